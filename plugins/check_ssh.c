/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * check_ssh - an SSH server's identification (drop-in for monitoring-plugins check_ssh).
 *
 * probe: connect, read the server's identification line (RFC 4253 4.2:
 * lines before it are allowed), send ours, close
 * parse: check_ssh_parse()      evaluate: check_ssh_evaluate()
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "check_ssh.h"
#include "msp_net.h"
#include "msp_time.h"
#include "banned.h"

/* What we send back once the server identified itself (the reference sends its own too). */
#define CHECK_SSH_OUR_IDENT "SSH-2.0-check_ssh_msp_" PACKAGE_VERSION "\r\n"
/* How long a server that sent lines but no identification gets to send more. */
#define CHECK_SSH_MORE_SECS 1.0

enum { OPT_HOST = 1 };

#define MSP_CFG struct check_ssh_config
static const struct msp_option options[] = {
	MSP_CALLBACK(OPT_HOST, 'H', "hostname", MSP_ARG_REQUIRED, "ADDRESS",
		     "Host name, IP address or unix socket (an absolute path) of the server; the host may\n"
		     "also be given as the argument after the options"),
	MSP_UINT('p', "port", port, "INTEGER", 1, 65535, "Port number", .def = "22", .var = "ssh_port"),
	MSP_SET('4', "use-ipv4", family, 4, "Use IPv4 connection", .var = "ssh_ipv4"),
	MSP_SET('6', "use-ipv6", family, 6, "Use IPv6 connection", .var = "ssh_ipv6"),
	MSP_STRING('r', "remote-version", remote_version, "STRING",
		   "CRITICAL when the server's version (software version and comments, as shown)\n"
		   "is not exactly STRING (ex: 'OpenSSH_9.2p1 Debian-2+deb12u3')",
		   .var = "ssh_remote_version"),
	MSP_STRING('P', "remote-protocol", remote_protocol, "STRING",
		   "CRITICAL when the server's protocol version is not exactly STRING (ex: 2.0)",
		   .var = "ssh_remote_protocol"),
	MSP_WARN('w', "warning", th, "SECONDS", MSP_UNIT_NONE,
		 "WARNING when the identification takes longer than SECONDS (not in the reference)"),
	MSP_CRIT('c', "critical", th, "SECONDS", MSP_UNIT_NONE,
		 "CRITICAL when the identification takes longer than SECONDS (not in the reference)"),
	MSP_OPTION_END,
};

static int ssh_option(void *vcfg, int id, const char *arg, struct msp_error *err)
{
	struct check_ssh_config *cfg = vcfg;

	if (id == MSP_OPT_POSITIONAL && cfg->host && strcmp(cfg->host, arg) == 0)
		return 0; /* the same host twice (-H and the ITL's positional host) */
	if (id == MSP_OPT_POSITIONAL && cfg->host)
		return msp_error_set(err, MSP_EINVAL, "unexpected argument '%s'", arg);
	if (arg[0] == '\0') {
		if (id == MSP_OPT_POSITIONAL)
			return 0;
		return msp_error_set(err, MSP_EINVAL, "option '-H' is empty");
	}
	cfg->host = arg;
	return 0;
}

static int ssh_finish(void *vcfg, const struct msp_context *ctx, struct msp_error *err)
{
	struct check_ssh_config *cfg = vcfg;

	if (!cfg->host)
		return msp_error_set(err, MSP_EINVAL, "missing host: give -H ADDRESS or the host as an argument");
	if (cfg->family && cfg->host[0] != '/' && msp_net_is_numeric(cfg->host) &&
	    (strchr(cfg->host, ':') ? 6 : 4) != cfg->family)
		return msp_error_set(err, MSP_EINVAL, "'%s' is no IPv%d address (-%d)", cfg->host, cfg->family,
				     cfg->family);
	cfg->timeout = ctx->timeout;
	cfg->timeout_state = ctx->timeout_state;
	cfg->deadline = ctx->deadline; /* the same as the check's (kept for in-process test runs) */
	return 0;
}

/* Copy one line (without its end) into dst, control bytes as '?'. */
static void copy_line(char *dst, size_t size, const char *src, size_t len)
{
	size_t n = len < size - 1 ? len : size - 1;

	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)src[i];

		dst[i] = c < 0x20 || c == 0x7f ? '?' : (char)c;
	}
	dst[n] = '\0';
}

/* Split "SSH-proto-software" (line without its end) into ret; false when it is malformed. */
static bool split_ident(const char *line, size_t len, struct check_ssh_ident *ret)
{
	const char *proto = line + 4, *end = line + len, *dash;

	dash = memchr(proto, '-', (size_t)(end - proto));
	if (!dash || dash == proto || dash + 1 >= end || len >= CHECK_SSH_LINE_MAX)
		return false;
	for (const char *p = proto; p < dash; p++)
		if ((*p < '0' || *p > '9') && *p != '.')
			return false;
	copy_line(ret->proto, sizeof(ret->proto), proto, (size_t)(dash - proto));
	copy_line(ret->software, sizeof(ret->software), dash + 1, (size_t)(end - dash - 1));
	return true;
}

int check_ssh_parse(const char *data, size_t len, struct check_ssh_ident *ret)
{
	struct check_ssh_ident id = { 0 };
	const char *p = data, *end = data + len;
	bool any = false;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t l;

		if (!nl)
			break;
		l = (size_t)(nl - p);
		if (l > 0 && p[l - 1] == '\r')
			l--;
		if (!any)
			copy_line(id.first, sizeof(id.first), p, l);
		any = true;
		if (l >= 4 && memcmp(p, "SSH-", 4) == 0) {
			id.found = split_ident(p, l, &id);
			if (!id.found)
				copy_line(id.first, sizeof(id.first), p, l); /* the malformed line is the answer */
			*ret = id;
			return 0;
		}
		p = nl + 1;
	}
	if (!any)
		return 1;
	*ret = id;
	return 1; /* lines, but no identification yet: more may come */
}

int check_ssh_evaluate(const struct check_ssh_config *cfg, const struct check_ssh_sample *s,
		       const struct check_ssh_ident *id, struct msp_result *root)
{
	if (s->outcome == CHECK_SSH_REFUSED || s->outcome == CHECK_SSH_TIMEOUT) {
		msp_result_set_state(root, s->outcome == CHECK_SSH_TIMEOUT ? cfg->timeout_state : MSP_STATE_CRITICAL);
		return msp_result_set_text(root, "%s", s->reason);
	}
	if (s->outcome == CHECK_SSH_CLOSED || !id || !id->found) {
		msp_result_set_state(root, MSP_STATE_CRITICAL);
		if (s->outcome == CHECK_SSH_CLOSED && (!id || !id->first[0]))
			return msp_result_set_text(root, "No data received from host");
		return msp_result_set_text(root, "Server answer: %s", id ? id->first : "");
	}
	if (cfg->remote_version && strcmp(cfg->remote_version, id->software) != 0) {
		msp_result_set_state(root, MSP_STATE_CRITICAL);
		return msp_result_set_text(root, "%s (protocol %s) version mismatch, expected '%s'", id->software,
					   id->proto, cfg->remote_version);
	}
	if (cfg->remote_protocol && strcmp(cfg->remote_protocol, id->proto) != 0) {
		msp_result_set_state(root, MSP_STATE_CRITICAL);
		return msp_result_set_text(root, "%s (protocol %s) protocol version mismatch, expected '%s'",
					   id->software, id->proto, cfg->remote_protocol);
	}
	msp_result_set_state(root, msp_threshold_eval(&cfg->th, s->elapsed));
	if (!msp_result_add_time_perf(root, s->elapsed, &cfg->th, (double)cfg->timeout))
		return MSP_ENOMEM;
	return msp_result_set_text(root, "%s (protocol %s)", id->software, id->proto);
}

/* The earlier of the deadline and secs from now. */
static struct timespec sooner(const struct timespec *dl, double secs)
{
	struct timespec t = msp_deadline_in(secs);

	return msp_deadline_ms_left(&t) < msp_deadline_ms_left(dl) ? t : *dl;
}

/* Record a failed connect or read in s. */
static void failed(const struct check_ssh_config *cfg, struct check_ssh_sample *s, int r, const struct msp_sock *sk,
		   const struct msp_error *e)
{
	if (r == MSP_ETIMEOUT) {
		s->outcome = CHECK_SSH_TIMEOUT;
		snprintf(s->reason, sizeof(s->reason), "%s", e->msg);
	} else if (sk->sys_errno && cfg->host[0] != '/') {
		s->outcome = CHECK_SSH_REFUSED;
		snprintf(s->reason, sizeof(s->reason), "connect to address %s and port %u: %s", cfg->host, cfg->port,
			 strerror(sk->sys_errno));
	} else {
		s->outcome = CHECK_SSH_REFUSED;
		snprintf(s->reason, sizeof(s->reason), "%s", e->msg);
	}
}

/*
 * Read until the identification line decides: it came (0, id->found), the
 * server sent complete lines but no identification and then nothing for
 * CHECK_SSH_MORE_SECS, or too much without one (0, !id->found), it closed
 * (1), or the deadline passed (MSP_ETIMEOUT) or the read failed.
 */
static int read_ident(struct msp_sock *sk, const struct timespec *dl, struct msp_buf *b, struct check_ssh_ident *id,
		      struct msp_error *e)
{
	int r, pr = 1;

	msp_step("waiting for the identification of %s", sk->peer);
	while (pr == 1) {
		struct timespec until = id->first[0] ? sooner(dl, CHECK_SSH_MORE_SECS) : *dl;

		r = msp_sock_read_some(sk, b, CHECK_SSH_ANSWER_MAX - b->len, &until, e);
		if (r == MSP_ETIMEOUT && id->first[0] && !msp_deadline_passed(dl))
			return 0; /* lines, then silence: judge them */
		if (r == MSP_ETIMEOUT)
			msp_error_set(e, MSP_ETIMEOUT, "timed out waiting for '%s' to send its identification",
				      sk->peer);
		if (r <= 0)
			return r == 0 ? 1 : r;
		pr = check_ssh_parse(b->data, b->len, id);
		if (pr == 1 && b->len >= CHECK_SSH_ANSWER_MAX) {
			if (!id->first[0]) /* no line end at all: show the start of what came */
				copy_line(id->first, 64, b->data, b->len);
			return 0;
		}
	}
	return 0;
}

static void probe(const struct check_ssh_config *cfg, const struct timespec *dl, struct check_ssh_sample *s,
		  struct check_ssh_ident *id)
{
	struct msp_sock sk;
	struct msp_buf b;
	struct msp_error e;
	char port[8];
	double start = msp_time_mono();
	int r;

	msp_sock_init(&sk);
	msp_error_init(&e);
	msp_buf_init(&b, CHECK_SSH_ANSWER_MAX);
	snprintf(port, sizeof(port), "%u", cfg->port);
	msp_step("connecting to %s port %s", cfg->host, port);
	if (cfg->host[0] == '/')
		r = msp_sock_connect_unix(&sk, cfg->host, dl, &e);
	else
		r = msp_net_connect(&sk, cfg->host, port, SOCK_STREAM, (enum msp_sock_family)cfg->family, dl, &e);
	if (r == 0) {
		r = read_ident(&sk, dl, &b, id, &e);
		if (r == 1)
			s->outcome = CHECK_SSH_CLOSED;
		else if (r < 0)
			failed(cfg, s, r, &sk, &e);
		else
			s->elapsed = msp_time_mono() - start;
		if (r == 0 && id->found) /* tell the server who we are, as the reference does; its answer is not read */
			(void)msp_sock_write_all(&sk, CHECK_SSH_OUR_IDENT, strlen(CHECK_SSH_OUR_IDENT), dl, &e);
	} else {
		failed(cfg, s, r, &sk, &e);
	}
	msp_sock_close(&sk);
	msp_buf_release(&b);
}

static int ssh_check(void *vcfg, const struct msp_context *ctx, struct msp_result *root, struct msp_error *err)
{
	struct check_ssh_config *cfg = vcfg;
	struct check_ssh_sample s = { 0 };
	struct check_ssh_ident id = { 0 };
	int r;

	probe(cfg, &cfg->deadline, &s, &id);
	msp_verbose(ctx, 1, "ssh: %s port %u: identification '%s' protocol '%s' in %.6f s\n", cfg->host, cfg->port,
		    id.software, id.proto, s.elapsed);
	r = check_ssh_evaluate(cfg, &s, &id, root);
	if (r < 0)
		return msp_error_set(err, r, "out of memory");
	return 0;
}

/* A positional argument is the host (id MSP_OPT_POSITIONAL), as in the reference and the ITL. */
static const struct msp_option positional = MSP_CALLBACK(MSP_OPT_POSITIONAL, 0, NULL, MSP_ARG_REQUIRED, "HOST", NULL);

static const struct msp_plugin plugin = {
	.name = "check_ssh",
	.service = "SSH",
	.summary = "an SSH server answers with its identification (version, protocol), in time",
	.dropin = "monitoring-plugins `check_ssh`",
	.itl = "ssh",
	.synopsis = "[-4|-6] [-t TIMEOUT] [-r VERSION] [-P PROTOCOL] [-p PORT] [-w SECONDS] [-c SECONDS] HOST",
	.description = "Check that an SSH server answers with its identification line (RFC 4253 4.2:\n"
		       "SSH-protocol-software comments), optionally a given version and protocol.",
	.notes = "A refused connection, a timeout (-t, default CRITICAL), a server that closes and\n"
		 "one that answers without an SSH identification are CRITICAL.\n"
		 "Differences from monitoring-plugins check_ssh 2.3.3 (deliberate):\n"
		 "  - lines the server sends before its identification are skipped, as RFC 4253\n"
		 "    allows (the reference is CRITICAL 'Server answer: ...'); a server that sends\n"
		 "    lines but no identification within 1 s more is CRITICAL 'Server answer: LINE'\n"
		 "  - failures are one line with the service word: 'SSH CRITICAL - connect to address\n"
		 "    ...', 'SSH CRITICAL - timed out waiting for ...' (the reference prints them\n"
		 "    bare, 'CRITICAL - Socket timeout after N seconds')\n"
		 "  - -w/-c (response time) are new; -v prints the identification on stderr (the\n"
		 "    reference prints both identification lines on stdout before line 1)\n"
		 "  - --remote-protocol works (the reference's --help shows it, its parser lacks it)\n"
		 "  - the host may stand before the options (the reference stops parsing at it);\n"
		 "    a second, different host is an error (the reference ignores it)\n"
		 "Examples:\n"
		 "  check_ssh -H 192.0.2.10\n"
		 "  check_ssh -p 2222 -P 2.0 -w 1 -c 3 host.example.com",
	.options = options,
	.positional = &positional,
	.option = ssh_option,
	.timeout = 10,
	.timeout_state = MSP_STATE_CRITICAL,
	.finish = ssh_finish,
	.check = ssh_check,
};

MSP_PLUGIN_MAIN(plugin, struct check_ssh_config)
