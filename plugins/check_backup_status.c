/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * check_backup_status - the result of a backup job as the job itself wrote it down.
 *
 * probe: read the status file (of an rsnapshot log only its end) and its modification time
 * parse: check_backup_status_parse()     evaluate: check_backup_status_evaluate()
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "check_backup_status.h"
#include "msp_json.h"
#include "msp_redact.h"

enum {
	OPT_FORMAT,
	OPT_FILE,
	OPT_JOB,
	OPT_MAX_AGE,
	OPT_WARN,
	OPT_MAX_FUTURE,
	OPT_WARNINGS,
	OPT_TIME_FIELD,
	OPT_RESULT_FIELD,
	OPT_OK_VALUE,
	OPT_RECORDS,
};

static const struct msp_option options[] = {
	{ OPT_FORMAT, 0, "format", MSP_ARG_REQUIRED, "FORMAT",
	  "statusfile (default), rsnapshot, restic-json or json (see below)" },
	{ OPT_FILE, 'f', "file", MSP_ARG_REQUIRED, "FILE", "The status file (an rsnapshot log for rsnapshot)" },
	{ OPT_JOB, 0, "job", MSP_ARG_REQUIRED, "NAME",
	  "rsnapshot: only runs of this interval (daily); json: the object holding the\n"
	  "fields (profiles.home.backup); all formats: the name in the summary" },
	{ OPT_MAX_AGE, 'a', "max-age", MSP_ARG_REQUIRED, "AGE",
	  "CRITICAL when the last run finished longer ago (default 26h; 90s 15m 26h 7d 2w);\n"
	  "also -c/--critical.  The job must have run, not only once have succeeded" },
	{ OPT_MAX_AGE, 'c', "critical", MSP_ARG_REQUIRED, "AGE", NULL },
	{ OPT_WARN, 'w', "warning", MSP_ARG_REQUIRED, "AGE", "WARNING when the last run finished longer ago" },
	{ OPT_MAX_FUTURE, 0, "max-future", MSP_ARG_REQUIRED, "AGE",
	  "A time further ahead than AGE is a WARNING (default 5m)" },
	{ OPT_WARNINGS, 0, "warnings", MSP_ARG_REQUIRED, "ok|warning",
	  "The state of a run that finished with warnings (default warning)" },
	{ OPT_TIME_FIELD, 0, "time-field", MSP_ARG_REQUIRED, "PATH",
	  "json: the field holding the time of the run (RFC 3339 text or epoch seconds),\n"
	  "a dotted path such as time or $.last.end; default: the file's modification time" },
	{ OPT_RESULT_FIELD, 0, "result-field", MSP_ARG_REQUIRED, "PATH",
	  "json: the field holding the result (required)" },
	{ OPT_OK_VALUE, 0, "ok-value", MSP_ARG_REQUIRED, "VALUE",
	  "json: a result meaning success, case-insensitive (repeatable; default true)" },
	{ OPT_RECORDS, 0, "records", MSP_ARG_REQUIRED, "last|all",
	  "json: a file of several JSON values (JSON lines, one appended per run) is judged\n"
	  "by its last record (default) or by all of them (any failed record fails; the\n"
	  "age is the last record's)" },
	MSP_OPTION_END,
};

static const char *const format_names[] = { "statusfile", "rsnapshot", "restic-json", "json" };

/* --------------------------------------------------------------- options */

static int format_option(struct check_backup_status_config *cfg, const char *arg, struct msp_error *err)
{
	for (size_t i = 0; i < sizeof(format_names) / sizeof(format_names[0]); i++)
		if (strcmp(arg, format_names[i]) == 0) {
			cfg->format = (enum check_backup_status_format)i;
			return 0;
		}
	return msp_error_set(err, MSP_EINVAL, "unknown format '%.40s': use statusfile, rsnapshot, restic-json or json",
			     arg);
}

static int status_option(void *vcfg, int id, const char *arg, struct msp_error *err)
{
	struct check_backup_status_config *cfg = vcfg;
	const char **v;

	/* Debian command files pass '' for unset macros: an empty value is "not given". */
	if (arg && !*arg && id != MSP_OPT_POSITIONAL)
		return 0;
	switch (id) {
	case OPT_FORMAT:
		return format_option(cfg, arg, err);
	case OPT_FILE:
		cfg->file = arg;
		return 0;
	case OPT_JOB:
		cfg->job = arg;
		return 0;
	case OPT_MAX_AGE:
		cfg->max_age = arg;
		return 0;
	case OPT_WARN:
		cfg->warn = arg;
		return 0;
	case OPT_MAX_FUTURE:
		cfg->max_future = arg;
		return 0;
	case OPT_WARNINGS:
		if (strcasecmp(arg, "ok") != 0 && strcasecmp(arg, "warning") != 0)
			return msp_error_set(err, MSP_EINVAL, "--warnings '%.40s' is not ok or warning", arg);
		cfg->warnings_ok = strcasecmp(arg, "ok") == 0;
		return 0;
	case OPT_TIME_FIELD:
		cfg->time_field = arg;
		return 0;
	case OPT_RESULT_FIELD:
		cfg->result_field = arg;
		return 0;
	case OPT_RECORDS:
		if (strcmp(arg, "last") != 0 && strcmp(arg, "all") != 0)
			return msp_error_set(err, MSP_EINVAL, "--records '%.40s' is not last or all", arg);
		cfg->records_all = strcmp(arg, "all") == 0;
		cfg->records_given = true;
		return 0;
	case OPT_OK_VALUE:
		v = realloc(cfg->ok_value, (cfg->nok_value + 1) * sizeof(*v));
		if (!v)
			return msp_error_set(err, MSP_ENOMEM, "out of memory");
		v[cfg->nok_value++] = arg;
		cfg->ok_value = v;
		return 0;
	case MSP_OPT_POSITIONAL:
		return msp_error_set(err, MSP_EINVAL, "unexpected argument '%.60s': give the file with -f", arg);
	}
	return msp_error_set(err, MSP_EINVAL, "unknown option");
}

static int status_finish(void *vcfg, const struct msp_context *ctx, struct msp_error *err)
{
	struct check_backup_status_config *cfg = vcfg;
	bool json = cfg->format == CHECK_BACKUP_STATUS_JSON;

	(void)ctx;
	if (!cfg->file)
		return msp_error_set(err, MSP_EINVAL, "no status file given: use -f FILE");
	if (json && !cfg->result_field)
		return msp_error_set(err, MSP_EINVAL, "--format json needs --result-field");
	if (!json && (cfg->result_field || cfg->time_field || cfg->nok_value || cfg->records_given))
		return msp_error_set(err, MSP_EINVAL,
				     "--result-field, --time-field, --ok-value and --records need --format json");
	return msp_age_policy_parse_defaults(&cfg->age, cfg->warn, cfg->max_age, NULL, "26h", cfg->max_future, err);
}

void check_backup_status_config_release(struct check_backup_status_config *cfg)
{
	free(cfg->ok_value);
	cfg->ok_value = NULL;
	cfg->nok_value = 0;
}

/* ---------------------------------------------------------------- sample */

void check_backup_status_sample_init(struct check_backup_status_sample *s)
{
	memset(s, 0, sizeof(*s));
	s->mtime = NAN;
	s->when = NAN;
	s->unfinished = NAN;
}

/* Copy n bytes of src into a text field, control characters as blanks (they come from outside). */
static void set_text(char *dst, const char *src, size_t n)
{
	size_t i;

	for (i = 0; i < n && i + 1 < CHECK_BACKUP_STATUS_TEXT_MAX && src[i]; i++)
		dst[i] = (unsigned char)src[i] < 0x20 || src[i] == 0x7f ? ' ' : src[i];
	while (i > 0 && dst[i - 1] == ' ')
		i--;
	dst[i] = '\0';
}

static void add_detail(struct check_backup_status_sample *s, const char *text, size_t n)
{
	if (s->ndetail < CHECK_BACKUP_STATUS_DETAIL_MAX)
		set_text(s->detail[s->ndetail], text, n);
	s->ndetail++;
}

/* ------------------------------------------------------------ statusfile */

/* "WARNING: 3 files skipped" / "OK" + text on the next lines. */
static int parse_statusfile(const char *text, struct check_backup_status_sample *s, struct msp_error *err)
{
	size_t wlen = strcspn(text, " \t:-\r\n");
	const char *rest = text + wlen, *line;
	char word[16];

	set_text(word, text, wlen < sizeof(word) ? wlen : sizeof(word) - 1);
	if (text[strspn(text, " \t\r\n")] == '{' || text[strspn(text, " \t\r\n")] == '[')
		return msp_error_set(err, MSP_EINVAL,
				     "the file holds JSON, not a status line: use --format json with "
				     "--result-field (and --ok-value, --time-field)");
	if (wlen == 0 || wlen >= sizeof(word) || msp_state_parse(word, &s->reported, NULL) < 0)
		return msp_error_set(err, MSP_EINVAL,
				     "the first line does not start with a state word (OK, WARNING, "
				     "CRITICAL, UNKNOWN) but with '%.40s'",
				     word);
	s->outcome = CHECK_BACKUP_STATUS_REPORTED;
	rest += strspn(rest, " \t:-");
	set_text(s->text, rest, strcspn(rest, "\r\n"));
	/* The further lines are the job's long output. */
	for (line = strchr(text, '\n'); line && line[1]; line = strchr(line + 1, '\n'))
		if (line[1] != '\n' && line[1] != '\r')
			add_detail(s, line + 1, strcspn(line + 1, "\r\n"));
	if (!s->text[0] && s->ndetail)
		snprintf(s->text, sizeof(s->text), "%s", s->detail[0]);
	return 0;
}

/* ------------------------------------------------------------- rsnapshot */

/*
 * "[2026-11-28T05:09:06] ": rsnapshot writes the local time of the machine, without a zone.
 * Returns 0, 1 when the line does not start with a time (a continuation of a wrapped message),
 * or MSP_EINVAL when it has the shape of one but names no possible time (2026-02-30, 99:99:99).
 */
static int rsnapshot_time(const char *line, size_t len, double *ret, struct msp_error *err)
{
	static const char shape[] = "[dddd-dd-ddTdd:dd:dd]";
	char stamp[20];

	if (len < sizeof(shape) - 1)
		return 1;
	for (size_t i = 0; i < sizeof(shape) - 1; i++)
		if (shape[i] == 'd' ? line[i] < '0' || line[i] > '9' : line[i] != shape[i])
			return 1;
	memcpy(stamp, line + 1, 19);
	stamp[19] = '\0';
	if (msp_time_parse_rfc3339(stamp, MSP_TIME_NAIVE_LOCAL, ret, NULL) < 0)
		return msp_error_set(err, MSP_EINVAL, "impossible time '%s'", stamp);
	return 0;
}

enum rs_kind { RS_OTHER, RS_STARTED, RS_SUCCESS, RS_WARNINGS, RS_ERRORS, RS_ERROR_MSG };

/* Is text[0..len) exactly word? */
static bool text_is(const char *text, size_t len, const char *word)
{
	return strlen(word) == len && memcmp(text, word, len) == 0;
}

/* Is cmd[0..len) rsnapshot's command line ("/usr/bin/rsnapshot [-c FILE] INTERVAL")? */
static bool rsnapshot_cmd(const char *cmd, size_t len)
{
	const char *blank = memchr(cmd, ' ', len), *base = cmd;

	if (!blank)
		return false; /* no interval */
	for (const char *p = cmd; p < blank; p++)
		if (*p == '/')
			base = p + 1;
	return text_is(base, (size_t)(blank - base), "rsnapshot");
}

/*
 * Classify the text after the time.  rsnapshot 1.4 writes "CMD: started", "CMD: completed
 * successfully", "WARNING: CMD: completed, but with some warnings", "CMD: ERROR: MESSAGE" and,
 * last, "CMD: ERROR: CMD: completed, but with some errors" (or "... no definite status"); CMD is
 * its command line.  Only those exact lines count: an ERROR's message that merely ends in
 * ": completed successfully" (a source's name) is an error.  *ret_cmd/len name CMD, *ret_msg an
 * ERROR's message.
 */
static enum rs_kind rsnapshot_kind(const char *rest, size_t len, const char **ret_cmd, size_t *ret_cmdlen,
				   const char **ret_msg)
{
	bool warn = len >= 9 && memcmp(rest, "WARNING: ", 9) == 0;
	const char *line = warn ? rest + 9 : rest, *sep, *after, *m;
	size_t n = warn ? len - 9 : len, cmdlen, alen, mlen;

	sep = memmem(line, n, ": ", 2);
	if (!sep || !rsnapshot_cmd(line, (size_t)(sep - line)))
		return RS_OTHER;
	*ret_cmd = line;
	*ret_cmdlen = cmdlen = (size_t)(sep - line);
	after = sep + 2;
	alen = n - cmdlen - 2;
	if (warn)
		return text_is(after, alen, "completed, but with some warnings") ? RS_WARNINGS : RS_OTHER;
	if (text_is(after, alen, "started"))
		return RS_STARTED;
	if (text_is(after, alen, "completed successfully"))
		return RS_SUCCESS;
	if (alen < 7 || memcmp(after, "ERROR: ", 7) != 0)
		return RS_OTHER;
	m = after + 7;
	mlen = alen - 7;
	if (mlen > cmdlen + 2 && memcmp(m, line, cmdlen) == 0 && memcmp(m + cmdlen, ": ", 2) == 0 &&
	    (text_is(m + cmdlen + 2, mlen - cmdlen - 2, "completed, but with some errors") ||
	     text_is(m + cmdlen + 2, mlen - cmdlen - 2, "completed, but with no definite status")))
		return RS_ERRORS;
	*ret_msg = m;
	return RS_ERROR_MSG;
}

/* Is the command line (…/rsnapshot [-c FILE] INTERVAL) one of the job's?  Its last word is the interval. */
static bool rsnapshot_job(const struct check_backup_status_config *cfg, const char *cmd, size_t len,
			  const char **ret_interval, size_t *ret_ilen)
{
	const char *sp = cmd + len;

	while (sp > cmd && sp[-1] != ' ')
		sp--;
	*ret_interval = sp;
	*ret_ilen = (size_t)(cmd + len - sp);
	return !cfg->job || text_is(sp, *ret_ilen, cfg->job);
}

/* A line that explains a problem of the run (rsync's complaints, rsnapshot's warnings). */
static bool rsnapshot_detail(const char *rest)
{
	return strncmp(rest, "WARNING: ", 9) == 0 || strncmp(rest, "ERROR: ", 7) == 0 ||
	       strncmp(rest, "rsync: ", 7) == 0 || strncmp(rest, "rsync error: ", 13) == 0;
}

struct rs_state {
	struct check_backup_status_sample cur; /* text and details of the attempt being read */
	bool in_run, pending, found;           /* inside a started run; ERRORs after the last end; a run ended */
	double pending_time;
};

static void rsnapshot_end(struct check_backup_status_sample *s, struct rs_state *st,
			  enum check_backup_status_outcome outcome, double t, const char *interval, size_t ilen)
{
	s->outcome = outcome;
	s->when = t;
	s->unfinished = NAN;
	set_text(s->job, interval, ilen);
	memcpy(s->text, st->cur.text, sizeof(s->text));
	memcpy(s->detail, st->cur.detail, sizeof(s->detail));
	s->ndetail = st->cur.ndetail;
	check_backup_status_sample_init(&st->cur);
	st->in_run = st->pending = false;
	st->found = true;
}

/* ERRORs with no "completed" after them: rsnapshot stopped (bad config, lock file), the run failed. */
static void rsnapshot_end_pending(struct check_backup_status_sample *s, struct rs_state *st)
{
	char job[CHECK_BACKUP_STATUS_TEXT_MAX];

	if (!st->pending)
		return;
	memcpy(job, st->cur.job, sizeof(job));
	rsnapshot_end(s, st, CHECK_BACKUP_STATUS_FAILED, st->pending_time, job, strlen(job));
}

static int rsnapshot_line(const struct check_backup_status_config *cfg, const char *line, size_t len,
			  struct check_backup_status_sample *s, struct rs_state *st, struct msp_error *err)
{
	const char *rest = line + 22, *cmd = NULL, *msg = NULL, *interval;
	size_t cmdlen = 0, ilen;
	enum rs_kind kind;
	double t;
	int r;

	while (len > 0 && line[len - 1] == '\r')
		len--;
	r = rsnapshot_time(line, len, &t, err);
	if (r < 0)
		return r;
	if (r > 0 || len < 23 || line[21] != ' ')
		return 0; /* a continuation of a wrapped message, or not rsnapshot's */
	len -= 22;
	kind = rsnapshot_kind(rest, len, &cmd, &cmdlen, &msg);
	if (kind == RS_OTHER || !rsnapshot_job(cfg, cmd, cmdlen, &interval, &ilen)) {
		if (kind == RS_OTHER && st->in_run && rsnapshot_detail(rest)) {
			add_detail(&st->cur, rest, len);
			if (!st->cur.text[0] && strncmp(rest, "WARNING: ", 9) == 0)
				set_text(st->cur.text, rest + 9, len - 9);
		}
		return 0;
	}
	switch (kind) {
	case RS_STARTED:
		rsnapshot_end_pending(s, st); /* the run before stopped with an ERROR: it failed, it is not lost */
		check_backup_status_sample_init(&st->cur);
		st->in_run = true;
		s->unfinished = t;
		return 0;
	case RS_ERROR_MSG:
		if (!st->in_run && !st->pending)
			check_backup_status_sample_init(&st->cur); /* stopped before it started: a config error */
		add_detail(&st->cur, msg, len - (size_t)(msg - rest));
		if (!st->cur.text[0])
			set_text(st->cur.text, msg, len - (size_t)(msg - rest));
		st->pending = true;
		st->pending_time = t;
		set_text(st->cur.job, interval, ilen);
		return 0;
	default:
		rsnapshot_end(s, st,
			      kind == RS_SUCCESS  ? CHECK_BACKUP_STATUS_SUCCESS :
			      kind == RS_WARNINGS ? CHECK_BACKUP_STATUS_WARNINGS :
						    CHECK_BACKUP_STATUS_FAILED,
			      t, interval, ilen);
		return 0;
	}
}

static int parse_rsnapshot(const struct check_backup_status_config *cfg, const char *text,
			   struct check_backup_status_sample *s, struct msp_error *err)
{
	struct rs_state *st = calloc(1, sizeof(*st));
	size_t lineno = 1;
	int r = 0;

	if (!st)
		return msp_error_set(err, MSP_ENOMEM, "out of memory");
	check_backup_status_sample_init(&st->cur);
	for (const char *p = text; *p && r == 0; lineno++) {
		size_t len = strcspn(p, "\n");

		r = rsnapshot_line(cfg, p, len, s, st, err);
		p += len + (p[len] == '\n');
	}
	if (r < 0) {
		char why[MSP_ERROR_MAX];

		memcpy(why, err->msg, sizeof(why));
		msp_error_set(err, r, "line %zu: %s", lineno - 1, why);
	} else {
		rsnapshot_end_pending(s, st);
		if (!st->found)
			r = msp_error_set(err, MSP_EINVAL, "no finished rsnapshot run%s%s%s in the log",
					  cfg->job ? " of '" : "", cfg->job ? cfg->job : "", cfg->job ? "'" : "");
	}
	free(st);
	return r;
}

/* ------------------------------------------------------------ JSON times */

/* The time in JSON value t (named field in messages), never the file's time instead. */
static int json_time_value(struct json_object *t, const char *field, bool text_only, double *ret, struct msp_error *err)
{
	struct msp_error why;

	msp_error_init(&why);
	if (msp_json_time(t, text_only ? 0 : MSP_JSON_TIME_EPOCH, ret, &why) < 0)
		return msp_error_set(err, MSP_EINVAL, "field '%s' is not a time: %s", field, why.msg);
	return 0;
}

/* ---------------------------------------------------------- restic-json */

static int restic_summary(struct json_object *o, struct check_backup_status_sample *s, struct msp_error *err)
{
	struct json_object *end = NULL;
	const char *id = msp_json_string(o, "snapshot_id");

	s->has_summary = true;
	s->files_new = msp_json_number(o, "files_new");
	s->files_changed = msp_json_number(o, "files_changed");
	s->data_added = msp_json_number(o, "data_added");
	s->total_files = msp_json_number(o, "total_files_processed");
	s->total_bytes = msp_json_number(o, "total_bytes_processed");
	s->duration = msp_json_number(o, "total_duration");
	if (id)
		snprintf(s->job, sizeof(s->job), "snapshot %.8s", id); /* restic's short id */
	/* restic 0.17 and later say when the backup ended; 0.14 does not (then the file's time counts). */
	if (json_object_object_get_ex(o, "backup_end", &end))
		return json_time_value(end, "backup_end", true, &s->when, err);
	if (json_object_object_get_ex(o, "backup_start", NULL))
		return msp_error_set(err, MSP_EINVAL, "the summary has a backup_start but no backup_end");
	return 0;
}

/* {"message_type":"error","error":{"Op":"open","Path":"src/b","Err":13},"during":"archival","item":"/x/src/b"} */
static void restic_error(struct json_object *o, struct check_backup_status_sample *s)
{
	struct json_object *e = NULL;
	const char *item = msp_json_string(o, "item"), *op = NULL, *msg = NULL;
	char buf[CHECK_BACKUP_STATUS_TEXT_MAX];
	double errnum = NAN;

	if (json_object_object_get_ex(o, "error", &e) && json_object_is_type(e, json_type_object)) {
		op = msp_json_string(e, "Op");
		errnum = msp_json_number(e, "Err");
		msg = msp_json_string(e, "message");
	}
	if (msg)
		snprintf(buf, sizeof(buf), "%s: %s", item ? item : "?", msg);
	else if (isfinite(errnum) && errnum > 0 && errnum < 4096)
		/* restic reports the Linux errno number: the same table strerror reads */
		snprintf(buf, sizeof(buf), "%s: %s: %s", item ? item : "?", op ? op : "error", strerror((int)errnum));
	else
		snprintf(buf, sizeof(buf), "%s: %s", item ? item : "?", op ? op : "error");
	s->errors++;
	add_detail(s, buf, sizeof(buf));
}

/*
 * Reading restic's output run by run: a file a wrapper appends to (>>) holds several.  A run
 * ends with its summary (a snapshot was saved) or with a fatal error (exit_error, "Fatal: ...",
 * "panic: ..."); the last run that ended decides.  Status and error lines after it are a later
 * run that has not ended.
 */
struct restic_state {
	struct check_backup_status_sample cur;          /* the run being read */
	bool ended;                                     /* a run ended (its result is in the sample) */
	bool later;                                     /* lines of a run after the last one that ended */
	size_t broken;                                  /* a line after the last end that is cut or damaged JSON */
	char why[MSP_ERROR_MAX];                        /* what is wrong with it */
	char first_other[CHECK_BACKUP_STATUS_TEXT_MAX]; /* the first line that is not JSON */
};

/* The run in st->cur ended with outcome (and, when failed, the message text): it is the last so far. */
static void restic_end(struct check_backup_status_sample *s, struct restic_state *st,
		       enum check_backup_status_outcome outcome, const char *text, size_t len)
{
	struct check_backup_status_sample *c = &st->cur;

	s->outcome = outcome;
	if (outcome == CHECK_BACKUP_STATUS_FAILED) {
		set_text(s->text, text, len);
		c->has_summary = false;
	} else if (c->errors) {
		/* files restic could not read: a snapshot was saved, but incomplete (restic's exit code 3) */
		s->outcome = CHECK_BACKUP_STATUS_WARNINGS;
		snprintf(s->text, sizeof(s->text), "%zu file%s could not be read", c->errors,
			 c->errors == 1 ? "" : "s");
	} else {
		s->text[0] = '\0';
	}
	memcpy(s->job, c->job, sizeof(s->job));
	memcpy(s->detail, c->detail, sizeof(s->detail));
	s->ndetail = c->ndetail;
	s->errors = c->errors;
	s->has_summary = c->has_summary;
	s->when = c->when;
	s->files_new = c->files_new;
	s->files_changed = c->files_changed;
	s->data_added = c->data_added;
	s->total_files = c->total_files;
	s->total_bytes = c->total_bytes;
	s->duration = c->duration;
	check_backup_status_sample_init(c);
	st->ended = true;
	st->later = false;
	st->broken = 0;
}

/* One line of restic's output (stdout and stderr as a wrapper kept them). */
static int restic_line(const char *p, size_t len, size_t lineno, struct check_backup_status_sample *s,
		       struct restic_state *st, struct msp_error *err)
{
	struct json_object *o = NULL;
	const char *type, *msg;
	char code[40];
	int r = 0;

	if (*p != '{') {
		if (strncmp(p, "Fatal: ", 7) == 0 || strncmp(p, "panic: ", 7) == 0)
			/* "Fatal: wrong password or no key found" */
			restic_end(s, st, CHECK_BACKUP_STATUS_FAILED, p, len);
		else if (!st->first_other[0] && len > 0)
			set_text(st->first_other, p, len);
		return 0;
	}
	if (msp_json_parse(p, len, "a line", &o, NULL) < 0) {
		/* cut by a crash or a full disk: harmless only when a later run ended */
		st->broken = lineno;
		snprintf(st->why, sizeof(st->why), "cut or damaged JSON");
		return 0;
	}
	type = msp_json_string(o, "message_type");
	if (!type)
		type = "";
	if (strcmp(type, "summary") == 0) {
		r = restic_summary(o, &st->cur, err);
		if (r == 0) {
			restic_end(s, st, CHECK_BACKUP_STATUS_SUCCESS, NULL, 0);
		} else if (r == MSP_EINVAL) {
			/* a summary that cannot be judged: it matters unless a later run ends */
			st->broken = lineno;
			memcpy(st->why, err->msg, sizeof(st->why));
			check_backup_status_sample_init(&st->cur);
			r = 0;
		}
	} else if (strcmp(type, "exit_error") == 0) {
		/* restic 0.17+: {"message_type":"exit_error","code":10,"message":"Fatal: ..."} */
		msg = msp_json_string(o, "message");
		if (isfinite(msp_json_number(o, "code")))
			snprintf(code, sizeof(code), "restic exited with code %.0f", msp_json_number(o, "code"));
		else
			snprintf(code, sizeof(code), "restic reported an exit error");
		restic_end(s, st, CHECK_BACKUP_STATUS_FAILED, msg ? msg : code, CHECK_BACKUP_STATUS_TEXT_MAX);
	} else if (strcmp(type, "error") == 0) {
		restic_error(o, &st->cur);
		st->later = true;
	} else if (strcmp(type, "status") == 0 || strcmp(type, "verbose_status") == 0) {
		st->later = true;
	}
	json_object_put(o);
	return r;
}

static int parse_restic(const char *text, struct check_backup_status_sample *s, struct msp_error *err)
{
	struct restic_state *st = calloc(1, sizeof(*st));
	size_t lineno = 1;
	int r = 0;

	if (!st)
		return msp_error_set(err, MSP_ENOMEM, "out of memory");
	check_backup_status_sample_init(&st->cur);
	for (const char *p = text; *p && r == 0; lineno++) {
		size_t len = strcspn(p, "\n");

		r = restic_line(p, len, lineno, s, st, err);
		p += len + (p[len] == '\n');
	}
	if (r == 0 && st->broken)
		r = msp_error_set(err, MSP_EINVAL, "line %zu: %s, and no run ended after it", st->broken, st->why);
	else if (r == 0 && !st->ended) {
		/* no summary: restic stopped before the snapshot was saved, or it still runs */
		restic_end(s, st, CHECK_BACKUP_STATUS_FAILED,
			   st->later          ? "no summary line: the run has not finished (still running or killed)" :
			   st->first_other[0] ? st->first_other :
						"no summary line",
			   CHECK_BACKUP_STATUS_TEXT_MAX);
	} else if (r == 0 && st->later) {
		s->later_run = true;
		/* restic 0.14's summary has no time and the file's time is the later run's: a fresh
		 * file would pass for a fresh backup */
		if (s->outcome != CHECK_BACKUP_STATUS_FAILED && !isfinite(s->when))
			r = msp_error_set(err, MSP_EINVAL,
					  "a later run has not finished and the summary before it has no time "
					  "(restic before 0.17)");
	}
	free(st);
	return r;
}

/* ----------------------------------------------------------------- json */

/* What one record says: the outcome, the text of a failure, the time (NaN without --time-field). */
struct json_record {
	enum check_backup_status_outcome outcome;
	char text[CHECK_BACKUP_STATUS_TEXT_MAX];
	double when;
};

/* Judge one JSON record; `where` names it in messages ("the status file", "record 3 (line 5)"). */
static int json_record(const struct check_backup_status_config *cfg, struct json_object *doc, const char *where,
		       struct json_record *ret, struct msp_error *err)
{
	struct json_object *base, *res, *t;
	const char *value, *why;
	bool null;

	ret->when = NAN;
	if (!doc)
		return msp_error_set(err, MSP_EINVAL, "%s is null, not a status", where);
	base = cfg->job ? msp_json_path(doc, cfg->job, &null) : doc;
	if (!base)
		return msp_error_set(err, MSP_EINVAL, "no job '%s' in %s", cfg->job, where);
	res = msp_json_path(base, cfg->result_field, &null);
	if ((!res && !null) || json_object_is_type(res, json_type_object) || json_object_is_type(res, json_type_array))
		return msp_error_set(err, MSP_EINVAL, "no field '%s' with a value in %s", cfg->result_field, where);
	if (cfg->time_field) {
		t = msp_json_path(base, cfg->time_field, &null);
		if (!t && !null)
			return msp_error_set(err, MSP_EINVAL, "no field '%s' in %s", cfg->time_field, where);
		if (json_time_value(t, cfg->time_field, false, &ret->when, err) < 0)
			return MSP_EINVAL;
	}
	value = res ? json_object_get_string(res) : "null";
	ret->outcome = CHECK_BACKUP_STATUS_FAILED;
	for (size_t i = 0; i < cfg->nok_value; i++)
		if (strcasecmp(value, cfg->ok_value[i]) == 0)
			ret->outcome = CHECK_BACKUP_STATUS_SUCCESS;
	if (!cfg->nok_value && strcasecmp(value, "true") == 0)
		ret->outcome = CHECK_BACKUP_STATUS_SUCCESS;
	/* resticprofile and similar tools put the reason next to the result; a repository URL in it may
	 * carry a password: hidden before the text is cut short, so no part of it can show */
	why = msp_json_string(base, "error");
	ret->text[0] = '\0';
	if (ret->outcome == CHECK_BACKUP_STATUS_FAILED) {
		struct msp_redact none;
		char shown[CHECK_BACKUP_STATUS_TEXT_MAX];

		msp_redact_init(&none);
		msp_redact_buf(&none, why ? why : "", shown, sizeof(shown));
		snprintf(ret->text, sizeof(ret->text), "%s is '%.100s'%s%.150s", cfg->result_field, value,
			 *shown ? ": " : "", shown);
	}
	return 0;
}

/* --records=all: note record n if it failed (the worst decides); *ret_failed is the last that failed. */
static void json_fold(struct check_backup_status_sample *s, const struct json_record *rec, size_t n, size_t line,
		      size_t *ret_failed, char *failed_text)
{
	char note[CHECK_BACKUP_STATUS_TEXT_MAX + 40];

	s->when = rec->when; /* the last record is the last run */
	if (rec->outcome == CHECK_BACKUP_STATUS_SUCCESS)
		return;
	s->outcome = CHECK_BACKUP_STATUS_FAILED;
	snprintf(note, sizeof(note), "record %zu (line %zu): %s", n, line, rec->text);
	add_detail(s, note, sizeof(note));
	*ret_failed = n;
	memcpy(failed_text, rec->text, CHECK_BACKUP_STATUS_TEXT_MAX);
}

/* The last of n records (at line), the only one judged without --records=all. */
static int json_judge_last(const struct check_backup_status_config *cfg, struct json_object *last, size_t n,
			   size_t line, struct check_backup_status_sample *s, struct msp_error *err)
{
	struct json_record rec;
	char where[64];

	if (n == 1)
		snprintf(where, sizeof(where), "the status file");
	else
		snprintf(where, sizeof(where), "record %zu (line %zu)", n, line);
	if (json_record(cfg, last, where, &rec, err) < 0)
		return MSP_EINVAL;
	s->outcome = rec.outcome;
	s->when = rec.when;
	memcpy(s->text, rec.text, sizeof(s->text));
	return 0;
}

static size_t count_lines(const char *p, size_t n)
{
	size_t lines = 0;

	for (const char *e = p + n; (p = memchr(p, '\n', (size_t)(e - p))) != NULL; p++)
		lines++;
	return lines;
}

/*
 * A status file of one JSON value, or several (JSON lines appended per run, concatenated values;
 * blanks and blank lines between): the last record is judged, or with --records=all each one.
 * Text that is no JSON value, anywhere, makes it unreadable.
 */
static int parse_json(const struct check_backup_status_config *cfg, const char *text,
		      struct check_backup_status_sample *s, struct msp_error *err)
{
	struct json_object *o = NULL, *last = NULL;
	struct json_record rec;
	char where[64], failed_text[CHECK_BACKUP_STATUS_TEXT_MAX];
	size_t len = strlen(text), off = 0, used, n = 0, line = 1, last_line = 1, skip, failed = 0;
	int r;

	s->outcome = CHECK_BACKUP_STATUS_SUCCESS;
	for (;;) {
		/* blanks before the value: its line (also that of text that is no value) */
		skip = strspn(text + off, " \t\r\n");
		line += count_lines(text + off, skip);
		off += skip;
		r = msp_json_parse_next(text + off, len - off, &o, &used, err);
		if (r != 1)
			break;
		n++;
		if (cfg->records_all) {
			snprintf(where, sizeof(where), "record %zu (line %zu)", n, line);
			r = json_record(cfg, o, where, &rec, err);
			json_object_put(o);
			if (r < 0)
				return r;
			json_fold(s, &rec, n, line, &failed, failed_text);
		} else {
			json_object_put(last);
			last = o;
			last_line = line;
		}
		line += count_lines(text + off, used);
		off += used;
	}
	if (r < 0) {
		char why[MSP_ERROR_MAX];

		json_object_put(last);
		if (r != MSP_EINVAL)
			return r;
		memcpy(why, err->msg, sizeof(why));
		if (n == 0)
			return msp_error_set(err, r, "the status file is not JSON: %s", why);
		return msp_error_set(err, r, "the text after record %zu (line %zu) is not JSON: %s", n, line, why);
	}
	if (n == 0)
		return msp_error_set(err, MSP_EINVAL, "the status file holds no JSON value");
	if (cfg->records_all) {
		if (failed)
			snprintf(s->text, sizeof(s->text), "record %zu of %zu: %.240s", failed, n, failed_text);
		else
			snprintf(s->text, sizeof(s->text), "all %zu records", n);
		return 0;
	}
	r = json_judge_last(cfg, last, n, last_line, s, err);
	json_object_put(last);
	return r;
}

/* ----------------------------------------------------------------- parse */

int check_backup_status_parse(const struct check_backup_status_config *cfg, const char *text, size_t len,
			      struct check_backup_status_sample *s, struct msp_error *err)
{
	char *clean = malloc(len + 1);
	int r;

	if (!clean)
		return msp_error_set(err, MSP_ENOMEM, "out of memory");
	memcpy(clean, text, len);
	msp_file_skip_nuls(clean, len, &s->nul_runs); /* what a crash left: read on after it */
	if (s->nul_runs && clean[strspn(clean, " \t\r\n")] == '\0') {
		free(clean);
		return msp_error_set(err, MSP_EINVAL,
				     "the file holds nothing but NUL bytes (a write lost in a crash?)");
	}
	switch (cfg->format) {
	case CHECK_BACKUP_STATUS_RSNAPSHOT:
		r = parse_rsnapshot(cfg, clean, s, err);
		break;
	case CHECK_BACKUP_STATUS_RESTIC_JSON:
		r = parse_restic(clean, s, err);
		break;
	case CHECK_BACKUP_STATUS_JSON:
		r = parse_json(cfg, clean, s, err);
		break;
	default:
		r = parse_statusfile(clean, s, err);
	}
	free(clean);
	if (r == MSP_EINVAL && s->nul_runs) {
		char why[MSP_ERROR_MAX];

		memcpy(why, err->msg, sizeof(why));
		msp_error_set(err, r, "%s; %zu run%s of NUL bytes in the file (a write lost in a crash?)", why,
			      s->nul_runs, s->nul_runs == 1 ? "" : "s");
	}
	return r;
}

/* -------------------------------------------------------------- evaluate */

static int restic_perfdata(const struct check_backup_status_sample *s, struct msp_result *root)
{
	static const struct {
		const char *label, *uom;
		size_t off;
	} items[] = {
		{ "files_new", "", offsetof(struct check_backup_status_sample, files_new) },
		{ "files_changed", "", offsetof(struct check_backup_status_sample, files_changed) },
		{ "files", "", offsetof(struct check_backup_status_sample, total_files) },
		{ "bytes", "B", offsetof(struct check_backup_status_sample, total_bytes) },
		{ "data_added", "B", offsetof(struct check_backup_status_sample, data_added) },
		{ "duration", "s", offsetof(struct check_backup_status_sample, duration) },
	};
	struct msp_perf *p;

	for (size_t i = 0; s->has_summary && i < sizeof(items) / sizeof(items[0]); i++) {
		double v;

		memcpy(&v, (const char *)s + items[i].off, sizeof(v));
		if (!isfinite(v))
			continue;
		p = msp_result_add_perf(root, items[i].label, v, items[i].uom, NULL);
		if (!p)
			return MSP_ENOMEM;
		p->decimals = 3;
		msp_perf_set_min(p, 0);
	}
	p = msp_result_add_perf(root, "errors", (double)s->errors, "", NULL);
	if (!p)
		return MSP_ENOMEM;
	msp_perf_set_min(p, 0);
	return 0;
}

static enum msp_state result_state(const struct check_backup_status_config *cfg,
				   const struct check_backup_status_sample *s, char *word, size_t len)
{
	enum msp_state st;

	switch (s->outcome) {
	case CHECK_BACKUP_STATUS_SUCCESS:
		snprintf(word, len, "completed successfully");
		return MSP_STATE_OK;
	case CHECK_BACKUP_STATUS_WARNINGS:
		snprintf(word, len, "completed with warnings");
		return cfg->warnings_ok ? MSP_STATE_OK : MSP_STATE_WARNING;
	case CHECK_BACKUP_STATUS_FAILED:
		snprintf(word, len, "failed");
		return MSP_STATE_CRITICAL;
	default:
		st = s->reported;
		snprintf(word, len, "reported %s", msp_state_name(st));
		return st == MSP_STATE_WARNING && cfg->warnings_ok ? MSP_STATE_OK : st;
	}
}

/* The file is not there or says nothing: the job did not report, which is never OK. */
static int evaluate_no_content(const struct check_backup_status_config *cfg, const struct check_backup_status_sample *s,
			       double now, struct msp_result *root)
{
	char phrase[MSP_AGE_PHRASE_MAX];
	double age;

	msp_result_set_state(root, MSP_STATE_CRITICAL);
	if (s->missing)
		return msp_result_set_text(root, "status file '%s' does not exist", cfg->file);
	msp_age_judge(&cfg->age, s->mtime, now, &age, phrase, sizeof(phrase));
	return msp_result_set_text(root, "status file '%s' is empty (written %s)", cfg->file, phrase);
}

int check_backup_status_evaluate(const struct check_backup_status_config *cfg,
				 const struct check_backup_status_sample *s, double now, struct msp_result *root)
{
	char word[40], phrase[MSP_AGE_PHRASE_MAX], when[MSP_TIME_FORMAT_MAX], limit[64];
	const char *name = cfg->job ? cfg->job : s->job;
	bool inside = isfinite(s->when);
	double t = inside ? s->when : s->mtime, age;
	enum msp_state rst, ast;

	if (s->missing || s->empty)
		return evaluate_no_content(cfg, s, now, root);
	if (name[0] == '$')
		name += name[1] == '.' ? 2 : 1; /* a JSON path: "$" would read as an Icinga macro */
	rst = result_state(cfg, s, word, sizeof(word));
	ast = msp_age_judge(&cfg->age, t, now, &age, phrase, sizeof(phrase));
	msp_result_set_state(root, msp_state_worst(rst, ast));
	limit[0] = '\0';
	if (ast != MSP_STATE_OK && age >= 0)
		snprintf(limit, sizeof(limit), ", no run since");
	if (msp_result_set_text(root, "%s%s%s%s%s, %s %s (%s)%s", name, *name ? " " : "", word, s->text[0] ? ": " : "",
				s->text, inside ? "finished" : "file written", phrase,
				msp_time_format(t, when, sizeof(when)), limit) < 0 ||
	    !msp_age_add_perf(root, "age", &cfg->age, age))
		return MSP_ENOMEM;
	if (cfg->format == CHECK_BACKUP_STATUS_RESTIC_JSON && restic_perfdata(s, root) < 0)
		return MSP_ENOMEM;
	if (isfinite(s->unfinished) &&
	    !msp_result_add_note(root, "a later run started %s has not finished (still running or killed)",
				 msp_time_format(s->unfinished, when, sizeof(when))))
		return MSP_ENOMEM;
	if (s->later_run && !msp_result_add_note(root, "a later run has not finished (still running or killed)"))
		return MSP_ENOMEM;
	if (s->nul_runs && !msp_result_add_note(root, "%zu run%s of NUL bytes skipped (a write lost in a crash?)",
						s->nul_runs, s->nul_runs == 1 ? "" : "s"))
		return MSP_ENOMEM;
	for (size_t i = 0; i < s->ndetail && i < CHECK_BACKUP_STATUS_DETAIL_MAX; i++)
		if (!msp_result_add_note(root, "%s", s->detail[i]))
			return MSP_ENOMEM;
	if (s->ndetail > CHECK_BACKUP_STATUS_DETAIL_MAX &&
	    !msp_result_add_note(root, "... and %zu more", s->ndetail - CHECK_BACKUP_STATUS_DETAIL_MAX))
		return MSP_ENOMEM;
	return 0;
}

/* ----------------------------------------------------------------- probe */

/*
 * Of a file too big to read whole, seek to the last CHECK_BACKUP_STATUS_READ_MAX bytes where the
 * format allows: rsnapshot's log and restic's output appended run by run only grow, their last
 * runs are at the end.  Sets *ret_want; *ret_tail when the reading starts inside the file.
 */
static int seek_tail(const struct check_backup_status_config *cfg, int fd, off_t size, size_t *ret_want, bool *ret_tail,
		     struct msp_error *err)
{
	*ret_want = (size_t)size;
	*ret_tail = false;
	if (*ret_want <= CHECK_BACKUP_STATUS_READ_MAX)
		return 0;
	if (cfg->format != CHECK_BACKUP_STATUS_RSNAPSHOT && cfg->format != CHECK_BACKUP_STATUS_RESTIC_JSON)
		return msp_error_set(err, MSP_ETOOBIG, "'%s' is bigger than %u MiB", cfg->file,
				     CHECK_BACKUP_STATUS_READ_MAX >> 20);
	if (lseek(fd, size - (off_t)CHECK_BACKUP_STATUS_READ_MAX, SEEK_SET) < 0)
		return msp_error_errno(err, errno, "cannot read '%s'", cfg->file);
	*ret_want = CHECK_BACKUP_STATUS_READ_MAX;
	*ret_tail = true;
	return 0;
}

/* Read the file into *ret (malloc'd, *ret_len bytes, NUL bytes kept); of a long log only the end. */
static int read_status(const struct check_backup_status_config *cfg, struct check_backup_status_sample *s, char **ret,
		       size_t *ret_len, struct msp_error *err)
{
	struct stat st;
	size_t got = 0, want;
	char *buf = NULL, *nl;
	bool tail;
	ssize_t n;
	int fd, r = MSP_ESYS;

	fd = open(cfg->file, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0 && (errno == ENOENT || errno == ENOTDIR)) {
		s->missing = true;
		return 0;
	}
	if (fd < 0)
		return msp_error_errno(err, errno, "cannot open '%s'", cfg->file);
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		r = msp_error_set(err, MSP_EINVAL, "'%s' is not a regular file", cfg->file);
		goto out;
	}
	s->mtime = (double)st.st_mtim.tv_sec + (double)st.st_mtim.tv_nsec / 1e9;
	if ((r = seek_tail(cfg, fd, st.st_size, &want, &tail, err)) < 0 || !(buf = malloc(want + 1))) {
		r = r < 0 ? r : msp_error_set(err, MSP_ENOMEM, "out of memory");
		goto out;
	}
	while (got < want && (n = read(fd, buf + got, want - got)) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			goto fail;
		got += (size_t)n;
	}
	if (tail && (nl = memchr(buf, '\n', got)) != NULL) {
		/* the first line is cut: it is not one to judge */
		got -= (size_t)(nl + 1 - buf);
		memmove(buf, nl + 1, got);
	}
	buf[got] = '\0';
	s->empty = true;
	for (size_t i = 0; i < got && s->empty; i++)
		s->empty = buf[i] == ' ' || buf[i] == '\t' || buf[i] == '\r' || buf[i] == '\n';
	*ret = buf;
	*ret_len = got;
	buf = NULL;
	r = 0;
	goto out;
fail:
	r = msp_error_errno(err, errno, "cannot read '%s'", cfg->file);
out:
	free(buf);
	close(fd);
	return r;
}

static int status_check(void *vcfg, const struct msp_context *ctx, struct msp_result *root, struct msp_error *err)
{
	struct check_backup_status_config *cfg = vcfg;
	struct check_backup_status_sample *s = malloc(sizeof(*s));
	struct timespec now;
	char *text = NULL;
	size_t len = 0;
	int r;

	if (!s)
		return msp_error_set(err, MSP_ENOMEM, "out of memory");
	check_backup_status_sample_init(s);
	msp_step("reading '%.200s'", cfg->file);
	r = read_status(cfg, s, &text, &len, err);
	if (r == 0 && !s->missing && !s->empty) {
		r = check_backup_status_parse(cfg, text, len, s, err);
		if (r == MSP_EINVAL) {
			char why[MSP_ERROR_MAX];

			memcpy(why, err->msg, sizeof(why));
			msp_error_set(err, MSP_EINVAL, "cannot parse '%.200s' as %s: %.250s", cfg->file,
				      format_names[cfg->format], why);
		}
	}
	if (r == 0) {
		clock_gettime(CLOCK_REALTIME, &now);
		msp_verbose(ctx, 1, "'%s': outcome %d, time %f (%s)", cfg->file, (int)s->outcome,
			    isfinite(s->when) ? s->when : s->mtime, isfinite(s->when) ? "inside" : "file");
		r = check_backup_status_evaluate(cfg, s, (double)now.tv_sec + (double)now.tv_nsec / 1e9, root);
		if (r == 0) {
			/* job logs quote repository URLs ("rest:https://u:PASSWORD@host/"): never show a password */
			struct msp_redact none;

			msp_redact_init(&none);
			r = msp_redact_result(&none, root);
		}
		if (r < 0)
			msp_error_set(err, r, "out of memory");
	}
	free(text);
	free(s);
	return r;
}

static const struct msp_plugin plugin = {
	.positional_hint = "give the file with -f",
	.name = "check_backup_status",
	.service = "BACKUP_STATUS",
	.synopsis = "-f FILE [--format statusfile|rsnapshot|restic-json|json] [--job NAME] [-a AGE] [-w AGE]\n"
		    "[--warnings=ok|warning] [--result-field PATH [--time-field PATH] [--ok-value VALUE]...\n"
		    "[--records=last|all]]",
	.description = "Check the result of a backup job that monitoring cannot inspect directly, as the job wrote\n"
		       "it down: a status file, rsnapshot's log, restic's JSON output or any JSON status file.\n"
		       "The last run must have succeeded and must be recent: a job that stopped running is caught.",
	.notes = "Formats:\n"
		 "  statusfile   the first line starts with a state word (OK WARNING CRITICAL UNKNOWN,\n"
		 "               or 0-3), the rest of it is the text; further lines are long output\n"
		 "               (as Debian's contrib check_statusfile reads it)\n"
		 "  rsnapshot    rsnapshot's log (logfile in rsnapshot.conf, 1.4.x lines): the last\n"
		 "               'completed successfully', 'completed, but with some warnings' or\n"
		 "               '... some errors' of the interval --job (default: any); ERROR lines\n"
		 "               with no 'completed' after them (a config error, a lock file) are a\n"
		 "               failed run.  rsync's complaints are listed.\n"
		 "  restic-json  what 'restic backup --json' wrote to stdout (keep it: restic ... --json\n"
		 "               >FILE 2>&1, or >>FILE: several runs): the last run that ended decides.\n"
		 "               Its summary line is success, 'error' lines (files restic could not\n"
		 "               read, exit code 3) make it 'with warnings'; exit_error, 'Fatal: ...' or\n"
		 "               no summary is a failure.  Perfdata: restic's counters.\n"
		 "  json         JSON: --result-field names the result (success when it equals an\n"
		 "               --ok-value, default true), --time-field the time, --job the object\n"
		 "               holding both; e.g. resticprofile's status file:\n"
		 "               --job profiles.home.backup --result-field success --time-field time\n"
		 "               A file of several values (JSON lines, one appended per run) is judged\n"
		 "               by its last record, or with --records=all by every one.\n"
		 "Which time the age is measured from: the time inside the file when it has one\n"
		 "  (rsnapshot's log line of the end of the run, restic's backup_end from 0.17 on,\n"
		 "  --time-field), else the file's modification time (statusfile, restic 0.14).\n"
		 "  rsnapshot writes local time without a zone: run the check with the TZ of the\n"
		 "  machine that writes the log.  The summary says which ('finished' or 'file written').\n"
		 "  A time that is there but is no time (null, NaN, 1e400, a negative or millisecond\n"
		 "  epoch, 2026-02-30, 99:99:99) is UNKNOWN, never replaced by the file's time.  So is\n"
		 "  restic 0.14's summary (no backup_end) followed by a run that has not ended: the\n"
		 "  file's time is then that run's, not the backup's.\n"
		 "Fail closed: a missing or empty file is CRITICAL; a file that cannot be read or\n"
		 "  parsed (no state word, no rsnapshot run of the job, not JSON, text after the last\n"
		 "  JSON value, no result field) is UNKNOWN.  A run older than -a (default 26h) is\n"
		 "  CRITICAL, older than -w WARNING; a time more than --max-future (5m) ahead is a\n"
		 "  WARNING (a clock problem).  Runs of NUL bytes (writes lost in a crash) are\n"
		 "  skipped, never the end of the reading; a file of nothing else is UNKNOWN.  Of an\n"
		 "  rsnapshot log or restic output over 8 MiB the end is read; a bigger status file\n"
		 "  or JSON file is UNKNOWN.\n"
		 "Examples:\n"
		 "  check_backup_status -f /var/log/rsnapshot.log --format rsnapshot --job daily -a 26h\n"
		 "  check_backup_status -f /var/lib/backup/restic.json --format restic-json -a 2d\n"
		 "  check_backup_status -f /var/log/job.jsonl --format json --result-field ok --records=all\n"
		 "  check_backup_status -f /srv/export/veeam.txt -a 26h --warnings=ok",
	.options = options,
	.timeout = 10,
	.timeout_state = MSP_STATE_UNKNOWN,
	.option = status_option,
	.finish = status_finish,
	.check = status_check,
};

MSP_PLUGIN_MAIN(plugin, struct check_backup_status_config)
