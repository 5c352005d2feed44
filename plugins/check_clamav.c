/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * check_clamav - ClamAV signature freshness, clamd health and freshclam results.
 *
 * probe: read daily/main/bytecode .cvd/.cld/.cud in --db-dir (check_clamav_db.c: the
 *        512-byte header, and the body checked against it: MD5, or tar + the .info's
 *        SHA-256 for a .cld), optionally read the tail of a freshclam log, ask clamd
 *        PING, VERSION and scan the EICAR test string (INSTREAM)
 * parse: check_clamav_parse_header(), check_clamav_verify_body() (check_clamav_db.c),
 *        check_clamav_parse_freshclam(), check_clamav_parse_version() (check_clamav_parse.c)
 * evaluate: check_clamav_evaluate() (check_clamav_eval.c)
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "check_clamav.h"
#include "msp_sock.h"

enum { OPT_DATABASES };

/* --databases when not given: the callback applies it in finish (the runner applies only typed defaults). */
#define CLAMAV_DATABASES_DEFAULT "daily,main,bytecode"

#define MSP_CFG struct check_clamav_config
static const struct msp_option options[] = {
	MSP_PATH(0, "db-dir", db_dir, "DIR", "Directory holding the signature databases", .def = "/var/lib/clamav",
		 .var = "clamav_db_dir"),
	/* Text: the age rule (msp_age_policy_parse_defaults) needs to know what the user gave. */
	MSP_STRING('w', "warning", warn, "AGE",
		   "WARNING when the daily database was built more than AGE ago\n"
		   "(units s m h d w, or a range)",
		   .def = "2d", .given = MSP_GIVEN(warn_given), .flags = MSP_OPTF_EMPTY_ERROR, .var = "clamav_warning"),
	MSP_STRING('c', "critical", crit, "AGE", "CRITICAL when it is older than AGE", .def = "4d",
		   .given = MSP_GIVEN(crit_given), .flags = MSP_OPTF_EMPTY_ERROR, .var = "clamav_critical"),
	MSP_DURATION(0, "max-future", max_future, "AGE",
		     "A build time further ahead than AGE is a WARNING (clock problem)", .def = "5m",
		     .var = "clamav_max_future"),
	MSP_CALLBACK(OPT_DATABASES, 0, "databases", MSP_ARG_REQUIRED, "LIST",
		     "Databases that must be present, comma separated\n"
		     "(daily is always required; 'none' skips the database files: a remote clamd)",
		     .def = CLAMAV_DATABASES_DEFAULT, .var = "clamav_databases"),
	MSP_PATH(0, "freshclam-log", freshclam_log, "FILE",
		 "Report freshclam's last update run from its log (needs LogTime yes)\n"
		 "(a failed last run is a WARNING, a log without a finished run UNKNOWN)",
		 .var = "clamav_freshclam_log"),
	MSP_PATH(0, "socket", socket, "PATH",
		 "Ask clamd on its local socket (LocalSocket, Debian: /var/run/clamav/clamd.ctl)",
		 .var = "clamav_socket"),
	MSP_STRING('H', "hostname", host, "HOST", "Ask clamd over TCP (TCPSocket) on HOST", .var = "clamav_address"),
	MSP_UINT('p', "port", port, "PORT", 1, 65535, "clamd's TCP port", .def = "3310", .given = MSP_GIVEN(port_given),
		 .var = "clamav_port"),
	MSP_SET('4', "use-ipv4", family, 4, "Connect over IPv4 only", .var = "clamav_ipv4"),
	MSP_SET('6', "use-ipv6", family, 6, "Connect over IPv6 only", .var = "clamav_ipv6"),
	MSP_BOOL(0, "loaded-vs-disk", loaded_vs_disk,
		 "WARNING when clamd runs another daily version than the one in --db-dir\n"
		 "(it never reloaded after an update)",
		 .var = "clamav_loaded_vs_disk"),
	MSP_BOOL(0, "eicar", eicar,
		 "Scan the EICAR test string through clamd (INSTREAM): CRITICAL unless detected\n"
		 "(clamd's StreamMaxLength must allow 68 bytes)",
		 .var = "clamav_eicar"),
	MSP_OPTION_END,
};

/* --------------------------------------------------------------- options */

/* --databases: "none", or a comma separated list of daily, main, bytecode (daily always). */
static int clamav_option(void *vcfg, int id, const char *arg, struct msp_error *err)
{
	struct check_clamav_config *cfg = vcfg;
	bool want[CHECK_CLAMAV_NDB] = { true, false, false };
	const char *p = arg;

	(void)id; /* OPT_DATABASES, the only callback entry */
	if (!*arg)
		return 0; /* '' (an unset macro in a command file): not given */
	cfg->databases_given = true;
	cfg->no_databases = strcmp(arg, "none") == 0;
	if (cfg->no_databases) {
		memset(cfg->want, 0, sizeof(cfg->want));
		return 0;
	}
	while (*p) {
		size_t n = strcspn(p, ",");
		int found = -1;

		for (int i = 0; i < CHECK_CLAMAV_NDB; i++) {
			const char *name = check_clamav_db_name((enum check_clamav_dbid)i);

			if (n == strlen(name) && strncmp(p, name, n) == 0)
				found = i;
		}
		if (found < 0 && n > 0)
			return msp_error_set(err, MSP_EINVAL,
					     "unknown database '%.*s' in '%.80s': use daily, main, bytecode",
					     (int)(n > 40 ? 40 : n), p, arg);
		if (found >= 0)
			want[found] = true;
		p += n + (p[n] == ',');
	}
	memcpy(cfg->want, want, sizeof(want));
	return 0;
}

/* The daemon options together: --socket or -H, and what needs clamd. */
static int check_daemon_options(const struct check_clamav_config *cfg, struct msp_error *err)
{
	if (cfg->socket && cfg->host)
		return msp_error_set(err, MSP_EINVAL, "give either --socket or -H, not both");
	if (!cfg->socket && !cfg->host) {
		if (cfg->port_given || cfg->family)
			return msp_error_set(err, MSP_EINVAL, "-p, -4 and -6 need -H HOST");
		if (cfg->eicar || cfg->loaded_vs_disk)
			return msp_error_set(err, MSP_EINVAL, "--%s needs clamd: give --socket PATH or -H HOST",
					     cfg->eicar ? "eicar" : "loaded-vs-disk");
		if (cfg->no_databases)
			return msp_error_set(err, MSP_EINVAL,
					     "nothing to check: --databases none needs --socket or -H");
	}
	if (cfg->socket && (cfg->port_given || cfg->family))
		return msp_error_set(err, MSP_EINVAL, "-p, -4 and -6 apply to -H, not to --socket");
	if (cfg->loaded_vs_disk && cfg->no_databases)
		return msp_error_set(err, MSP_EINVAL,
				     "--loaded-vs-disk compares with --db-dir: not with --databases none");
	return 0;
}

static int clamav_finish(void *vcfg, const struct msp_context *ctx, struct msp_error *err)
{
	struct check_clamav_config *cfg = vcfg;
	int r;

	(void)ctx;
	if (check_daemon_options(cfg, err) < 0)
		return MSP_EINVAL;
	if (!cfg->databases_given && clamav_option(cfg, OPT_DATABASES, CLAMAV_DATABASES_DEFAULT, err) < 0)
		return MSP_EINVAL;
	/* -w/-c hold the table's defaults when not given; the age rule compares only what the user gave. */
	r = msp_age_policy_parse_defaults(&cfg->age, cfg->warn_given ? cfg->warn : NULL,
					  cfg->crit_given ? cfg->crit : NULL, cfg->warn, cfg->crit, NULL, err);
	cfg->age.max_future = cfg->max_future;
	return r;
}

/* ----------------------------------------------------------------- probe */

static int read_freshclam(const char *path, struct check_clamav_freshclam *ret)
{
	struct msp_buf b;
	struct msp_error err;
	struct stat st;
	bool partial = false;
	int fd;

	memset(ret, 0, sizeof(*ret));
	ret->checked = true;
	msp_error_init(&err);
	msp_step("reading '%.200s'", path);
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0 || fstat(fd, &st) < 0) {
		snprintf(ret->problem, sizeof(ret->problem), "cannot read '%.200s': %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return 0;
	}
	/* Only the end matters: start a little before the last CHECK_CLAMAV_LOG_TAIL bytes. */
	if (S_ISREG(st.st_mode) && st.st_size > CHECK_CLAMAV_LOG_TAIL) {
		partial = lseek(fd, st.st_size - CHECK_CLAMAV_LOG_TAIL, SEEK_SET) >= 0;
	}
	msp_buf_init(&b, CHECK_CLAMAV_LOG_TAIL);
	for (;;) {
		char chunk[8192];
		ssize_t k = read(fd, chunk, sizeof(chunk));

		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0) {
			snprintf(ret->problem, sizeof(ret->problem), "cannot read '%.200s': %s", path, strerror(errno));
			goto out;
		}
		if (k == 0 || msp_buf_add(&b, chunk, (size_t)k) == MSP_ETOOBIG)
			break;
	}
	check_clamav_parse_freshclam(msp_buf_str(&b), b.len, partial, ret);
out:
	close(fd);
	msp_buf_release(&b);
	return 0;
}

/* Copy a reply from the network for messages: printable ASCII only, at most len - 1 bytes. */
static void copy_reply(char *dst, size_t len, const char *src, size_t n)
{
	size_t i;

	for (i = 0; i < n && i + 1 < len; i++)
		dst[i] = (src[i] >= 0x20 && src[i] < 0x7f) ? src[i] : '?';
	dst[i] = '\0';
}

/*
 * The EICAR test file, stored reversed and turned around at run time: the
 * plugin's binary and source must not carry the string itself, or a scanner
 * on the monitored host would flag (and quarantine) the plugin.
 */
static const char eicar_reversed[] = "*H+H$!ELIF-TSET-SURIVITNA-DRADNATS-RACIE$}7)CC7)^P(45XZP\\4[PA@%P!O5X";

/* Our deadline for clamd: a little before the runner's, so the answer is ours, not the alarm's. */
static struct timespec daemon_deadline(const struct msp_context *ctx)
{
	int ms = msp_deadline_ms_left(&ctx->deadline);

	ms = ms > 600 ? ms - 300 : ms / 2;
	return msp_deadline_in((double)ms / 1000);
}

static int daemon_connect(const struct check_clamav_config *cfg, struct msp_sock *sk, const struct timespec *dl,
			  struct msp_error *err)
{
	char port[12];

	if (cfg->socket)
		return msp_sock_connect_unix(sk, cfg->socket, dl, err);
	snprintf(port, sizeof(port), "%u", cfg->port);
	return msp_sock_connect_tcp(sk, cfg->host, port,
				    cfg->family == 4   ? MSP_SOCK_IPV4
				    : cfg->family == 6 ? MSP_SOCK_IPV6
						       : MSP_SOCK_ANY,
				    dl, err);
}

/*
 * Send request (len bytes, the z-command `what`, maybe followed by data) on
 * a new connection and read the reply into reply.  clamd ends the reply to
 * a z-command with one NUL and closes: a reply without its NUL, or with
 * bytes after it, is not clamd's answer and is an error.  0, or an error
 * with a message naming `what`.
 */
static int daemon_ask(const struct check_clamav_config *cfg, const char *what, const void *request, size_t len,
		      const struct timespec *dl, char *reply, size_t replylen, struct msp_error *err)
{
	struct msp_sock sk;
	struct msp_buf b;
	struct msp_error e;
	size_t n;
	int r;

	msp_sock_init(&sk);
	msp_buf_init(&b, CHECK_CLAMAV_REPLY_MAX);
	msp_error_init(&e);
	msp_step("asking clamd %s", what);
	r = daemon_connect(cfg, &sk, dl, &e);
	if (r == 0)
		r = msp_sock_write_all(&sk, request, len, dl, &e);
	if (r == 0)
		r = msp_sock_read_until(&sk, &b, '\0', CHECK_CLAMAV_REPLY_MAX, dl, &e);
	n = b.len ? strnlen(b.data, b.len) : 0;
	if (r == MSP_ETIMEOUT && b.len == 0 && sk.fd >= 0)
		r = msp_error_set(err, r, "no answer to %s within the timeout", what);
	else if (r == MSP_ETIMEOUT && sk.fd >= 0)
		r = msp_error_set(err, r, "%s answer not finished within the timeout", what);
	else if (r == MSP_ETOOBIG)
		r = msp_error_set(err, r, "%s answer longer than %d bytes", what, CHECK_CLAMAV_REPLY_MAX);
	else if (r == 1 && b.len == 0)
		r = msp_error_set(err, MSP_ESYS, "connection closed without an answer to %s", what);
	else if (r == 1)
		r = msp_error_set(err, MSP_ESYS, "%s answer not terminated (connection closed after %zu bytes)", what,
				  b.len);
	else if (r < 0)
		r = msp_error_set(err, r, "%s", e.msg);
	else if (n + 1 < b.len)
		r = msp_error_set(err, MSP_EINVAL, "%s answer followed by %zu more byte%s (not clamd)", what,
				  b.len - n - 1, b.len - n - 1 == 1 ? "" : "s");
	if (r >= 0) {
		/* clamd's n-form would end with a newline: tolerate one before the NUL. */
		while (n > 0 && (b.data[n - 1] == '\n' || b.data[n - 1] == '\r'))
			n--;
		copy_reply(reply, replylen, b.data, n);
		r = 0;
	}
	msp_sock_close(&sk);
	msp_buf_release(&b);
	return r;
}

/* INSTREAM: the command, the string in two chunks with 4-byte big-endian lengths, a zero-length end. */
static void probe_eicar(const struct check_clamav_config *cfg, const struct timespec *dl,
			struct check_clamav_daemon *d)
{
	const size_t n = sizeof(eicar_reversed) - 1, first = n / 2;
	unsigned char req[11 + 3 * 4 + sizeof(eicar_reversed)];
	char reply[CHECK_CLAMAV_REPLY_MAX];
	struct msp_error err;
	size_t len;

	memcpy(req, "zINSTREAM", 10); /* with its NUL */
	len = 10;
	for (int part = 0; part < 2; part++) {
		size_t from = part ? first : 0, k = part ? n - first : first;

		req[len++] = (unsigned char)(k >> 24);
		req[len++] = (unsigned char)(k >> 16);
		req[len++] = (unsigned char)(k >> 8);
		req[len++] = (unsigned char)k;
		for (size_t i = 0; i < k; i++)
			req[len + i] = (unsigned char)eicar_reversed[n - 1 - (from + i)];
		len += k;
	}
	memset(req + len, 0, 4);
	len += 4;
	msp_error_init(&err);
	if (daemon_ask(cfg, "INSTREAM", req, len, dl, reply, sizeof(reply), &err) < 0) {
		d->eicar = CHECK_CLAMAV_EICAR_FAILED;
		snprintf(d->eicar_reply, sizeof(d->eicar_reply), "%.190s", err.msg);
	} else if (strcmp(reply, "stream: OK") == 0) {
		d->eicar = CHECK_CLAMAV_EICAR_MISSED;
	} else if (strncmp(reply, "stream: ", 8) == 0 && strlen(reply) > 14 &&
		   strcmp(reply + strlen(reply) - 6, " FOUND") == 0) {
		d->eicar = CHECK_CLAMAV_EICAR_FOUND;
		snprintf(d->eicar_reply, sizeof(d->eicar_reply), "%.*s", (int)(strlen(reply) - 14), reply + 8);
	} else {
		d->eicar = CHECK_CLAMAV_EICAR_FAILED;
		snprintf(d->eicar_reply, sizeof(d->eicar_reply), "clamd answered '%.100s'", reply);
	}
	memset(req, 0, sizeof(req));
}

static void probe_daemon(const struct check_clamav_config *cfg, const struct msp_context *ctx,
			 struct check_clamav_daemon *d)
{
	struct timespec dl = daemon_deadline(ctx);
	char reply[CHECK_CLAMAV_REPLY_MAX];
	struct msp_error err;
	double t0;

	if (cfg->socket)
		snprintf(d->where, sizeof(d->where), "socket '%.140s'", cfg->socket);
	else
		snprintf(d->where, sizeof(d->where), "%.100s port %u", cfg->host, cfg->port);
	msp_error_init(&err);
	t0 = msp_time_mono();
	if (daemon_ask(cfg, "PING", "zPING", 6, &dl, reply, sizeof(reply), &err) < 0) {
		d->status = CHECK_CLAMAV_DAEMON_DOWN;
		snprintf(d->problem, sizeof(d->problem), "%.300s", err.msg);
		return;
	}
	d->response_time = msp_time_mono() - t0;
	if (strcmp(reply, "PONG") != 0) {
		d->status = CHECK_CLAMAV_DAEMON_DOWN;
		snprintf(d->problem, sizeof(d->problem), "%s answered PING with '%.100s', not PONG", d->where, reply);
		return;
	}
	d->status = CHECK_CLAMAV_DAEMON_UP;
	if (daemon_ask(cfg, "VERSION", "zVERSION", 9, &dl, reply, sizeof(reply), &err) < 0)
		snprintf(d->version_problem, sizeof(d->version_problem), "%.300s", err.msg);
	else if (check_clamav_parse_version(reply, d, &err) < 0)
		snprintf(d->version_problem, sizeof(d->version_problem), "cannot parse '%.100s': %.150s", reply, err.msg);
	else
		d->has_version = true;
	if (cfg->eicar)
		probe_eicar(cfg, &dl, d);
}

static int clamav_check(void *vcfg, const struct msp_context *ctx, struct msp_result *root, struct msp_error *err)
{
	struct check_clamav_config *cfg = vcfg;
	struct check_clamav_sample *s;
	int r;

	s = calloc(1, sizeof(*s));
	if (!s)
		return msp_error_set(err, MSP_ENOMEM, "out of memory");
	for (int i = 0; i < CHECK_CLAMAV_NDB && !cfg->no_databases; i++)
		check_clamav_read_db(cfg->db_dir, (enum check_clamav_dbid)i, &s->db[i]);
	if (cfg->socket || cfg->host)
		probe_daemon(cfg, ctx, &s->daemon);
	if (cfg->freshclam_log)
		read_freshclam(cfg->freshclam_log, &s->freshclam);
	msp_verbose(ctx, 1, "daily: status %d, version %llu, built %lld", (int)s->db[0].status,
		    (unsigned long long)s->db[0].h.version, (long long)s->db[0].h.build_time);
	r = check_clamav_evaluate(cfg, s, (int64_t)time(NULL), root);
	if (r < 0)
		msp_error_set(err, r, "out of memory");
	free(s);
	return r;
}

static const struct msp_plugin plugin = {
	.summary = "ClamAV signature databases present, intact (each body checked: its MD5, or tar and SHA-256 against its .info; not the digital signature) and fresh, clamd answering with the loaded version and detecting EICAR, freshclam's last run (needs OpenSSL) (fails closed where contrib `check_clamav` says OK)",
	.name = "check_clamav",
	.service = "CLAMAV",
	.synopsis = "[-w AGE] [-c AGE] [--db-dir DIR] [--databases LIST] [--freshclam-log FILE] "
		    "[--socket PATH | -H HOST [-p PORT] [-4|-6]] [--loaded-vs-disk] [--eicar]",
	.description = "Check that ClamAV's signature databases are present, intact and fresh - daily, main and\n"
		       "bytecode (.cvd, .cld or .cud; the newest copy counts), offline, on mirrors, without\n"
		       "libclamav - and, optionally, that clamd answers, runs the daily database on disk and\n"
		       "detects the EICAR test string, and that freshclam's last run worked.",
	.notes = "Databases:\n"
		 "  A database that is missing, unreadable, truncated, has a malformed header or a\n"
		 "  body that does not check out is CRITICAL, the file named (never OK: a scanner\n"
		 "  without signatures detects nothing).  -w/-c judge the build time of the daily\n"
		 "  database; a build time more than --max-future ahead is a WARNING (the clock or\n"
		 "  the file is wrong).  main and bytecode change rarely: they must only be present\n"
		 "  and intact.  .cud (sigtool's unsigned container, which clamd loads too) counts\n"
		 "  like .cvd and .cld.\n"
		 "What is verified, on every run (about 0.3 s for a 160 MB main.cvd):\n"
		 "  .cvd, .cud: the header, and the MD5 of the whole body against the header.\n"
		 "  .cld as freshclam writes it (uncompressed tar): every tar header, and each\n"
		 "  file's size and SHA-256 against the .info inside it, all files present.\n"
		 "  A gzip'd .cld: the body's MD5 when the header's matches (sigtool's), else only\n"
		 "  the gzip magic (CompressLocalDatabase): the long output says which.\n"
		 "  Not verified: the digital signature (RSA over the MD5) of .cvd and of the .info,\n"
		 "  and the signatures themselves (clamd still refuses an unsigned .cvd).\n"
		 "clamd (--socket or -H): PING must answer PONG (else CRITICAL: down, refused, no\n"
		 "  answer, a wrong or too long answer, bytes after its end); VERSION must name a\n"
		 "  loaded daily database (else CRITICAL: clamd runs without signatures).\n"
		 "  --loaded-vs-disk warns while clamd still runs another daily than --db-dir holds.\n"
		 "  --eicar scans the EICAR test string (built at run time, never stored in the\n"
		 "  binary) and is CRITICAL unless clamd reports it FOUND.  Every step ends before\n"
		 "  -t, whatever the peer does.\n"
		 "freshclam (--freshclam-log): the last finished update run: failed is a WARNING\n"
		 "  (the database age escalates), none found (LogTime off, empty log) UNKNOWN.  Runs\n"
		 "  of NUL bytes (left by a crash) end a line; the runs after them still count.\n"
		 "Perfdata: daily_age (s), daily_version, signatures (all databases read),\n"
		 "  time (s, clamd's PING answer).\n"
		 "Unlike contrib check_clamav, nothing here needs DNS or says OK without a database.\n"
		 "Examples:\n"
		 "  check_clamav -w 2d -c 4d\n"
		 "  check_clamav --socket /var/run/clamav/clamd.ctl --loaded-vs-disk --eicar\n"
		 "  check_clamav --freshclam-log /var/log/clamav/freshclam.log\n"
		 "  check_clamav --databases none -H clamd.example.net -p 3310 --eicar",
	.options = options,
	.timeout = 10,
	.timeout_state = MSP_STATE_CRITICAL,
	.option = clamav_option,
	.finish = clamav_finish,
	.check = clamav_check,
};

MSP_PLUGIN_MAIN(plugin, struct check_clamav_config)
