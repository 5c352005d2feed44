/*
 * check_clamav - ClamAV signature freshness, clamd health and freshclam results.
 *
 * probe: read the 512-byte headers of daily/main/bytecode .cvd/.cld/.cud in --db-dir,
 *        optionally read the tail of a freshclam log
 * parse: check_clamav_parse_header(), check_clamav_parse_freshclam()
 * evaluate: check_clamav_evaluate()
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

enum {
	OPT_DB_DIR,
	OPT_WARN,
	OPT_CRIT,
	OPT_DATABASES,
	OPT_FRESHCLAM_LOG,
};

static const struct msp_option options[] = {
	{ OPT_DB_DIR, 0, "db-dir", MSP_ARG_REQUIRED, "DIR",
	  "Directory holding the signature databases (default /var/lib/clamav)" },
	{ OPT_WARN, 'w', "warning", MSP_ARG_REQUIRED, "AGE",
	  "WARNING when the daily database was built more than AGE ago (default 2d;\n"
	  "units s m h d w, or a range)" },
	{ OPT_CRIT, 'c', "critical", MSP_ARG_REQUIRED, "AGE", "CRITICAL when it is older than AGE (default 4d)" },
	{ OPT_DATABASES, 0, "databases", MSP_ARG_REQUIRED, "LIST",
	  "Databases that must be present, comma separated (default daily,main,bytecode);\n"
	  "daily is always required" },
	{ OPT_FRESHCLAM_LOG, 0, "freshclam-log", MSP_ARG_REQUIRED, "FILE",
	  "Also report freshclam's last update attempt from its log (LogTime yes);\n"
	  "a failed last attempt is a WARNING, a log without a finished attempt UNKNOWN" },
	MSP_OPTION_END,
};

static const char *const db_names[CHECK_CLAMAV_NDB] = { "daily", "main", "bytecode" };

const char *check_clamav_db_name(enum check_clamav_dbid id)
{
	return id < CHECK_CLAMAV_NDB ? db_names[id] : "?";
}

/* --------------------------------------------------------------- options */

static int parse_databases(struct check_clamav_config *cfg, const char *arg, struct msp_error *err)
{
	bool want[CHECK_CLAMAV_NDB] = { true, false, false };
	const char *p = arg;

	while (*p) {
		size_t n = strcspn(p, ",");
		int found = -1;

		for (int i = 0; i < CHECK_CLAMAV_NDB; i++)
			if (n == strlen(db_names[i]) && strncmp(p, db_names[i], n) == 0)
				found = i;
		if (found < 0 && n > 0)
			return msp_error_set(err, MSP_EINVAL,
					     "unknown database '%.*s' in '%.80s': use daily, main, bytecode",
					     (int)(n > 40 ? 40 : n), p, arg);
		if (found >= 0)
			want[found] = true;
		p += n;
		if (*p == ',')
			p++;
	}
	memcpy(cfg->want, want, sizeof(want));
	cfg->databases_given = true;
	return 0;
}

static int clamav_option(void *vcfg, int id, const char *arg, struct msp_error *err)
{
	struct check_clamav_config *cfg = vcfg;
	/* Debian command files pass '' for unset macros: an empty value means "not given". */
	const char *v = arg && *arg ? arg : NULL;

	switch (id) {
	case OPT_DB_DIR:
		cfg->db_dir = v;
		return 0;
	case OPT_WARN:
	case OPT_CRIT:
		/* An empty threshold is a mistake in a command definition, as in check_load and check_disk. */
		if (!v)
			return msp_error_set(err, MSP_EINVAL, "%s threshold is empty",
					     id == OPT_WARN ? "warning" : "critical");
		*(id == OPT_WARN ? &cfg->warn : &cfg->crit) = v;
		return 0;
	case OPT_DATABASES:
		return v ? parse_databases(cfg, v, err) : 0;
	case OPT_FRESHCLAM_LOG:
		cfg->freshclam_log = v;
		return 0;
	case MSP_OPT_POSITIONAL:
		return msp_error_set(err, MSP_EINVAL, "unexpected argument '%.60s'", arg);
	}
	return msp_error_set(err, MSP_EINVAL, "unknown option");
}

static int clamav_finish(void *vcfg, const struct msp_context *ctx, struct msp_error *err)
{
	struct check_clamav_config *cfg = vcfg;
	struct msp_threshold *t = &cfg->age;

	(void)ctx;
	if (!cfg->db_dir)
		cfg->db_dir = "/var/lib/clamav";
	if (!cfg->databases_given)
		cfg->want[CHECK_CLAMAV_DAILY] = cfg->want[CHECK_CLAMAV_MAIN] = cfg->want[CHECK_CLAMAV_BYTECODE] = true;
	if (msp_range_parse(cfg->warn ? cfg->warn : "2d", MSP_UNIT_DURATION, 1, &t->warn, err) < 0 ||
	    msp_range_parse(cfg->crit ? cfg->crit : "4d", MSP_UNIT_DURATION, 1, &t->crit, err) < 0)
		return MSP_EINVAL;
	t->has_warn = t->has_crit = true;
	return 0;
}

/* ---------------------------------------------------------------- header */

/* Split the header text at ':' into at most max fields (pointers into a copy the caller owns). */
static size_t split_fields(char *s, char **field, size_t max)
{
	size_t n = 0;

	while (n < max) {
		field[n++] = s;
		s = strchr(s, ':');
		if (!s)
			break;
		*s++ = '\0';
	}
	return n;
}

static int header_number(const char *what, const char *text, uint64_t max, uint64_t *ret, struct msp_error *err)
{
	if (!*text || strspn(text, "0123456789") != strlen(text) || msp_num_uint64(text, max, ret) < 0)
		return msp_error_set(err, MSP_EINVAL, "malformed header: %s '%.24s' is not a number", what, text);
	return 0;
}

int check_clamav_parse_header(const char *buf, size_t len, struct check_clamav_header *ret, struct msp_error *err)
{
	char text[CHECK_CLAMAV_HEADER_SIZE + 1];
	char *field[10];
	struct check_clamav_header h = { 0 };
	uint64_t btime;
	size_t n, end;

	if (len < CHECK_CLAMAV_HEADER_SIZE)
		return msp_error_set(err, MSP_EINVAL, "truncated header (%zu of %d bytes)", len,
				     CHECK_CLAMAV_HEADER_SIZE);
	if (memcmp(buf, "ClamAV-VDB:", 11) != 0)
		return msp_error_set(err, MSP_EINVAL, "not a ClamAV database (no 'ClamAV-VDB' header)");
	for (size_t i = 0; i < CHECK_CLAMAV_HEADER_SIZE; i++)
		if ((unsigned char)buf[i] < 0x20 || (unsigned char)buf[i] > 0x7e)
			return msp_error_set(err, MSP_EINVAL, "malformed header: byte %zu is not printable", i);
	/* The fields are padded to 512 bytes with blanks. */
	for (end = CHECK_CLAMAV_HEADER_SIZE; end > 0 && buf[end - 1] == ' '; end--)
		;
	memcpy(text, buf, end);
	text[end] = '\0';
	n = split_fields(text, field, 10);
	if (n < 9)
		return msp_error_set(err, MSP_EINVAL, "malformed header: %zu fields instead of 9", n);
	if (header_number("version", field[2], UINT32_MAX, &h.version, err) < 0 ||
	    header_number("signature count", field[3], UINT32_MAX, &h.sigs, err) < 0 ||
	    header_number("functionality level", field[4], UINT32_MAX, &h.flevel, err) < 0 ||
	    header_number("build time", field[8], INT64_MAX / 2, &btime, err) < 0)
		return MSP_EINVAL;
	if (btime == 0)
		return msp_error_set(err, MSP_EINVAL, "malformed header: build time is 0");
	h.build_time = (int64_t)btime;
	snprintf(h.builder, sizeof(h.builder), "%s", field[7]);
	*ret = h;
	return 0;
}

/* Read the first 512 bytes of path.  0 (with *ret_len), MSP_ENOENT or MSP_ESYS. */
static int read_head(const char *path, char *buf, size_t *ret_len, struct msp_error *err)
{
	struct stat st;
	size_t got = 0;
	int fd, r = 0;

	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0) {
		if (errno == ENOENT)
			return MSP_ENOENT;
		return msp_error_errno(err, errno, "cannot open");
	}
	if (fstat(fd, &st) < 0) {
		r = msp_error_errno(err, errno, "cannot stat");
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		r = msp_error_set(err, MSP_ESYS, "not a regular file");
		goto out;
	}
	while (got < CHECK_CLAMAV_HEADER_SIZE) {
		ssize_t k = read(fd, buf + got, CHECK_CLAMAV_HEADER_SIZE - got);

		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0) {
			r = msp_error_errno(err, errno, "cannot read");
			goto out;
		}
		if (k == 0)
			break;
		got += (size_t)k;
	}
	*ret_len = got;
out:
	close(fd);
	return r;
}

/* Is a newer than b?  The version decides; the build time breaks a tie. */
static bool header_newer(const struct check_clamav_header *a, const struct check_clamav_header *b)
{
	if (a->version != b->version)
		return a->version > b->version;
	return a->build_time > b->build_time;
}

void check_clamav_read_db(const char *dir, enum check_clamav_dbid id, struct check_clamav_db *ret)
{
	static const char *const ext[] = { "cvd", "cld", "cud" };
	struct check_clamav_db d = { .status = CHECK_CLAMAV_DB_MISSING };

	snprintf(d.file, sizeof(d.file), "%s.cvd", db_names[id]);
	for (size_t i = 0; i < sizeof(ext) / sizeof(ext[0]); i++) {
		char path[4096], buf[CHECK_CLAMAV_HEADER_SIZE], file[16];
		struct check_clamav_header h;
		struct msp_error err;
		size_t len = 0;
		int r;

		snprintf(file, sizeof(file), "%s.%s", db_names[id], ext[i]);
		snprintf(path, sizeof(path), "%s/%s", dir, file);
		msp_error_init(&err);
		msp_step("reading the header of '%.200s'", path);
		r = read_head(path, buf, &len, &err);
		if (r == MSP_ENOENT)
			continue;
		if (r == 0)
			r = check_clamav_parse_header(buf, len, &h, &err);
		if (r < 0) {
			/* A damaged file is reported even when another copy is fine: clamd may load it. */
			d.status = CHECK_CLAMAV_DB_BAD;
			snprintf(d.file, sizeof(d.file), "%s", file);
			snprintf(d.problem, sizeof(d.problem), "%.300s", err.msg);
			break;
		}
		if (d.status == CHECK_CLAMAV_DB_MISSING || header_newer(&h, &d.h)) {
			d.status = CHECK_CLAMAV_DB_OK;
			d.h = h;
			snprintf(d.file, sizeof(d.file), "%s", file);
		}
	}
	*ret = d;
}

/* ------------------------------------------------------------- freshclam */

/* "Sat Nov 28 04:56:28 2026 -> ..." : the time at the start of a log line, or 0. */
static int64_t log_time(const char *line)
{
	struct tm tm;
	const char *end;

	memset(&tm, 0, sizeof(tm));
	end = strptime(line, "%a %b %d %H:%M:%S %Y", &tm);
	if (!end || strncmp(end, " -> ", 4) != 0)
		return 0;
	tm.tm_isdst = -1;
	return (int64_t)mktime(&tm);
}

/* The message part of a log line (after "DATE -> "), or the whole line without LogTime. */
static const char *log_message(const char *line)
{
	const char *m = strstr(line, " -> ");

	return m && log_time(line) ? m + 4 : line;
}

struct fc_run {
	int64_t start;
	bool failed, succeeded;
	char reason[200];
};

static void fc_line(const char *line, struct fc_run *run)
{
	const char *msg = log_message(line);

	if (strncmp(msg, "ERROR: ", 7) == 0) {
		const char *e = msg + 7;

		if (strncmp(e, "Update failed", 13) == 0 || strncmp(e, "Database update process failed", 30) == 0)
			run->failed = true;
		/* "Update failed." only closes the run; the line before it says why. */
		if (strcmp(e, "Update failed.") != 0)
			snprintf(run->reason, sizeof(run->reason), "%s", e);
		return;
	}
	if (strstr(msg, "database is up-to-date (version:") || strstr(msg, " updated (version:") ||
	    strncmp(msg, "Database updated (", 18) == 0)
		run->succeeded = true;
}

static void fc_close(const struct fc_run *run, struct check_clamav_freshclam *ret)
{
	if (run->failed) {
		ret->result = CHECK_CLAMAV_UPDATE_FAILED;
		snprintf(ret->reason, sizeof(ret->reason), "%s", run->reason[0] ? run->reason : "Update failed");
	} else if (run->succeeded) {
		ret->result = CHECK_CLAMAV_UPDATE_OK;
		ret->reason[0] = '\0';
	} else {
		ret->pending = true;
		ret->pending_time = run->start;
		return;
	}
	ret->result_time = run->start;
	ret->pending = false;
}

void check_clamav_parse_freshclam(const char *text, bool partial, struct check_clamav_freshclam *ret)
{
	struct check_clamav_freshclam f = { .checked = true };
	struct fc_run run = { 0 };
	bool in_run = false;
	const char *p = text;

	if (partial) {
		const char *nl = strchr(p, '\n');

		p = nl ? nl + 1 : p + strlen(p);
	}
	while (*p) {
		size_t n = strcspn(p, "\n");
		char line[1024];

		snprintf(line, sizeof(line), "%.*s", (int)(n < sizeof(line) - 1 ? n : sizeof(line) - 1), p);
		if (strstr(line, "ClamAV update process started at ")) {
			if (in_run)
				fc_close(&run, &f);
			memset(&run, 0, sizeof(run));
			run.start = log_time(line);
			in_run = true;
			f.attempts++;
		} else if (in_run) {
			fc_line(line, &run);
		}
		p += n;
		if (*p == '\n')
			p++;
	}
	if (in_run)
		fc_close(&run, &f);
	*ret = f;
}

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
	check_clamav_parse_freshclam(msp_buf_str(&b), partial, ret);
out:
	close(fd);
	msp_buf_release(&b);
	return 0;
}

/* -------------------------------------------------------------- evaluate */

/* Summary parts, problems first: a bounded string each. */
struct summary {
	char bad[512];
	char good[512];
};

static void summary_add(struct summary *sm, enum msp_state st, const char *text)
{
	char *s = st == MSP_STATE_OK ? sm->good : sm->bad;
	size_t len = strlen(s);

	snprintf(s + len, sizeof(sm->bad) - len, "%s%s", len ? ", " : "", text);
}

/* A database build time, UTC, for the long output. */
static void format_time(int64_t t, char *buf, size_t len)
{
	struct tm tm;

	if (!msp_time_utc((time_t)t, &tm) || !strftime(buf, len, "%Y-%m-%d %H:%M UTC", &tm))
		snprintf(buf, len, "%lld", (long long)t);
}

/* Clock skew between a mirror and this host smaller than this counts as "just built". */
#define FUTURE_TOLERANCE 3600

static int evaluate_db(const struct check_clamav_config *cfg, enum check_clamav_dbid id,
		       const struct check_clamav_db *d, int64_t now, struct summary *sm, struct msp_result *root)
{
	char when[40], ago[40], text[200];
	enum msp_state st = MSP_STATE_OK;
	int64_t age;

	if (d->status == CHECK_CLAMAV_DB_MISSING) {
		/* The summary names all missing databases at once (see check_clamav_evaluate). */
		return msp_result_add_child(root, MSP_STATE_CRITICAL, "no %s database (%s.cvd, .cld or .cud) in '%s'",
					    db_names[id], db_names[id], cfg->db_dir)
			       ? 0
			       : MSP_ENOMEM;
	}
	if (d->status == CHECK_CLAMAV_DB_BAD) {
		snprintf(text, sizeof(text), "%s: %s", d->file, d->problem);
		summary_add(sm, MSP_STATE_CRITICAL, text);
		return msp_result_add_child(root, MSP_STATE_CRITICAL, "%s/%s: %s", cfg->db_dir, d->file, d->problem)
			       ? 0
			       : MSP_ENOMEM;
	}
	age = now - d->h.build_time;
	if (age < 0 && age >= -FUTURE_TOLERANCE)
		age = 0;
	format_time(d->h.build_time, when, sizeof(when));
	if (age < 0)
		snprintf(ago, sizeof(ago), "in the future");
	else
		snprintf(ago, sizeof(ago), "%s ago", msp_num_human_duration((double)age, text, sizeof(text)));
	if (id == CHECK_CLAMAV_DAILY) {
		/* A build time in the future is beyond every age range's 0 start: it alerts. */
		st = msp_threshold_eval(&cfg->age, (double)age);
		snprintf(text, sizeof(text), "daily %llu built %s", (unsigned long long)d->h.version, ago);
		summary_add(sm, st, text);
	}
	return msp_result_add_child(root, st, "%s: version %llu, %llu signatures, built %s (%s), builder %s", d->file,
				    (unsigned long long)d->h.version, (unsigned long long)d->h.sigs, when, ago,
				    d->h.builder)
		       ? 0
		       : MSP_ENOMEM;
}

static int evaluate_freshclam(const struct check_clamav_config *cfg, const struct check_clamav_freshclam *f,
			      int64_t now, struct summary *sm, struct msp_result *root)
{
	char text[320], ago[64] = "", h[40];
	enum msp_state st;

	if (f->problem[0]) {
		st = MSP_STATE_UNKNOWN;
		snprintf(text, sizeof(text), "freshclam log: %.290s", f->problem);
	} else if (f->result == CHECK_CLAMAV_UPDATE_NONE) {
		st = MSP_STATE_UNKNOWN;
		snprintf(text, sizeof(text), "no finished freshclam update in '%.200s'%s", cfg->freshclam_log,
			 f->attempts ? "" : " (LogTime and UpdateLogFile set?)");
	} else {
		if (f->result_time)
			snprintf(ago, sizeof(ago), " %s ago", msp_num_human_duration((double)(now - f->result_time), h,
									       sizeof(h)));
		st = f->result == CHECK_CLAMAV_UPDATE_OK ? MSP_STATE_OK : MSP_STATE_WARNING;
		if (st == MSP_STATE_OK)
			snprintf(text, sizeof(text), "freshclam succeeded%s", ago);
		else
			snprintf(text, sizeof(text), "freshclam failed%s: %s", ago, f->reason);
	}
	summary_add(sm, st, st == MSP_STATE_OK ? "freshclam OK" : text);
	if (!msp_result_add_child(root, st, "%s", text))
		return MSP_ENOMEM;
	if (f->pending && f->result != CHECK_CLAMAV_UPDATE_NONE &&
	    !msp_result_add_note(root, "a later freshclam run has no result yet (running, or cut off)"))
		return MSP_ENOMEM;
	return 0;
}

static int add_perfdata(const struct check_clamav_config *cfg, const struct check_clamav_sample *s, int64_t now,
			struct msp_result *root)
{
	const struct check_clamav_db *daily = &s->db[CHECK_CLAMAV_DAILY];
	uint64_t sigs = 0;
	bool any = false;
	struct msp_perf *p;

	if (daily->status == CHECK_CLAMAV_DB_OK) {
		int64_t age = now - daily->h.build_time;

		if (age < 0 && age >= -FUTURE_TOLERANCE)
			age = 0;
		if (!msp_result_add_perf(root, "daily_age", (double)age, "s", &cfg->age))
			return MSP_ENOMEM;
		p = msp_result_add_perf(root, "daily_version", (double)daily->h.version, "", NULL);
		if (!p)
			return MSP_ENOMEM;
		msp_perf_set_min(p, 0);
	}
	for (int i = 0; i < CHECK_CLAMAV_NDB; i++) {
		if (s->db[i].status == CHECK_CLAMAV_DB_OK) {
			sigs += s->db[i].h.sigs;
			any = true;
		}
	}
	if (any) {
		p = msp_result_add_perf(root, "signatures", (double)sigs, "", NULL);
		if (!p)
			return MSP_ENOMEM;
		msp_perf_set_min(p, 0);
	}
	return 0;
}

int check_clamav_evaluate(const struct check_clamav_config *cfg, const struct check_clamav_sample *s, int64_t now,
			  struct msp_result *root)
{
	struct summary sm = { "", "" };
	char missing[80] = "", text[300];
	int r;

	for (int i = 0; i < CHECK_CLAMAV_NDB; i++) {
		if (!cfg->want[i] && s->db[i].status != CHECK_CLAMAV_DB_OK)
			continue;
		if (s->db[i].status == CHECK_CLAMAV_DB_MISSING)
			snprintf(missing + strlen(missing), sizeof(missing) - strlen(missing), "%s%s",
				 missing[0] ? ", " : "", db_names[i]);
		r = evaluate_db(cfg, (enum check_clamav_dbid)i, &s->db[i], now, &sm, root);
		if (r < 0)
			return r;
	}
	if (missing[0]) {
		snprintf(text, sizeof(text), "no %s database in '%.200s'", missing, cfg->db_dir);
		summary_add(&sm, MSP_STATE_CRITICAL, text);
	}
	if (s->freshclam.checked) {
		r = evaluate_freshclam(cfg, &s->freshclam, now, &sm, root);
		if (r < 0)
			return r;
	}
	r = add_perfdata(cfg, s, now, root);
	if (r < 0)
		return r;
	return msp_result_set_text(root, "%s%s%s", sm.bad, sm.bad[0] && sm.good[0] ? "; " : "", sm.good);
}

/* ----------------------------------------------------------------- probe */

static int clamav_check(void *vcfg, const struct msp_context *ctx, struct msp_result *root, struct msp_error *err)
{
	struct check_clamav_config *cfg = vcfg;
	struct check_clamav_sample *s;
	int r;

	s = calloc(1, sizeof(*s));
	if (!s)
		return msp_error_set(err, MSP_ENOMEM, "out of memory");
	for (int i = 0; i < CHECK_CLAMAV_NDB; i++)
		check_clamav_read_db(cfg->db_dir, (enum check_clamav_dbid)i, &s->db[i]);
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
	.name = "check_clamav",
	.service = "CLAMAV",
	.synopsis = "[-w AGE] [-c AGE] [--db-dir DIR] [--databases LIST] [--freshclam-log FILE]",
	.description = "Check that ClamAV's signature databases are present and fresh, from the 512-byte headers\n"
		       "of daily, main and bytecode (.cvd, .cld or .cud; the newest copy counts) - offline,\n"
		       "on mirrors, without libclamav.",
	.notes = "States:\n"
		 "  A database that is missing, unreadable, truncated or has a malformed header is\n"
		 "  CRITICAL (never OK: a scanner without signatures detects nothing).  -w/-c judge\n"
		 "  the build time of the daily database; a build time more than an hour in the future\n"
		 "  alerts as well (the clock or the file is wrong).  main and bytecode change rarely:\n"
		 "  they must only be present and readable.\n"
		 "Perfdata: daily_age (s), daily_version, signatures (all databases read).\n"
		 "Examples:\n"
		 "  check_clamav -w 2d -c 4d\n"
		 "  check_clamav --db-dir /srv/clamav-mirror --databases daily,main\n"
		 "  check_clamav --freshclam-log /var/log/clamav/freshclam.log",
	.options = options,
	.timeout = 10,
	.timeout_state = MSP_STATE_CRITICAL,
	.option = clamav_option,
	.finish = clamav_finish,
	.check = clamav_check,
};

MSP_PLUGIN_MAIN(plugin, struct check_clamav_config)
