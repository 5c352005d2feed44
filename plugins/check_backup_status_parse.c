/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * check_backup_status_parse.c - the sample, the status file formats that are
 * text (statusfile, rsnapshot's log), and check_backup_status_parse, which
 * hands the JSON formats to check_backup_status_json.c.  Pure: no I/O.
 */
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_backup_status.h"

/* ---------------------------------------------------------------- sample */

void check_backup_status_sample_init(struct check_backup_status_sample *s)
{
	memset(s, 0, sizeof(*s));
	s->mtime = NAN;
	s->when = NAN;
	s->unfinished = NAN;
}

/* Control characters as blanks: the text comes from outside. */
void check_backup_status_set_text(char *dst, const char *src, size_t n)
{
	size_t i;

	for (i = 0; i < n && i + 1 < CHECK_BACKUP_STATUS_TEXT_MAX && src[i]; i++)
		dst[i] = (unsigned char)src[i] < 0x20 || src[i] == 0x7f ? ' ' : src[i];
	while (i > 0 && dst[i - 1] == ' ')
		i--;
	dst[i] = '\0';
}

void check_backup_status_add_detail(struct check_backup_status_sample *s, const char *text, size_t n)
{
	if (s->ndetail < CHECK_BACKUP_STATUS_DETAIL_MAX)
		check_backup_status_set_text(s->detail[s->ndetail], text, n);
	s->ndetail++;
}

/* ------------------------------------------------------------ statusfile */

/* "WARNING: 3 files skipped" / "OK" + text on the next lines. */
static int parse_statusfile(const char *text, struct check_backup_status_sample *s, struct msp_error *err)
{
	size_t wlen = strcspn(text, " \t:-\r\n");
	const char *rest = text + wlen, *line;
	char word[16];

	check_backup_status_set_text(word, text, wlen < sizeof(word) ? wlen : sizeof(word) - 1);
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
	check_backup_status_set_text(s->text, rest, strcspn(rest, "\r\n"));
	/* The further lines are the job's long output. */
	for (line = strchr(text, '\n'); line && line[1]; line = strchr(line + 1, '\n'))
		if (line[1] != '\n' && line[1] != '\r')
			check_backup_status_add_detail(s, line + 1, strcspn(line + 1, "\r\n"));
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

int check_backup_status_each_line(const char *text, check_backup_status_line_fn *fn,
				  struct check_backup_status_sample *s, void *ctx, struct msp_error *err,
				  size_t *ret_lineno)
{
	size_t lineno = 0;
	int r = 0;

	for (const char *p = text; *p && r == 0;) {
		size_t len = strcspn(p, "\n");

		r = fn(p, len, ++lineno, s, ctx, err);
		p += len + (p[len] == '\n');
	}
	if (ret_lineno)
		*ret_lineno = lineno;
	return r;
}

struct rs_state {
	const struct check_backup_status_config *cfg;
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
	check_backup_status_set_text(s->job, interval, ilen);
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

static int rsnapshot_line(const char *line, size_t len, size_t lineno, struct check_backup_status_sample *s, void *ctx,
			  struct msp_error *err)
{
	struct rs_state *st = ctx;
	const struct check_backup_status_config *cfg = st->cfg;
	const char *rest = line + 22, *cmd = NULL, *msg = NULL, *interval;
	size_t cmdlen = 0, ilen;
	enum rs_kind kind;
	double t;
	int r;

	(void)lineno; /* the caller names the line of a failure */
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
			check_backup_status_add_detail(&st->cur, rest, len);
			if (!st->cur.text[0] && strncmp(rest, "WARNING: ", 9) == 0)
				check_backup_status_set_text(st->cur.text, rest + 9, len - 9);
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
		check_backup_status_add_detail(&st->cur, msg, len - (size_t)(msg - rest));
		if (!st->cur.text[0])
			check_backup_status_set_text(st->cur.text, msg, len - (size_t)(msg - rest));
		st->pending = true;
		st->pending_time = t;
		check_backup_status_set_text(st->cur.job, interval, ilen);
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
	size_t lineno;
	int r;

	if (!st)
		return msp_error_set(err, MSP_ENOMEM, "out of memory");
	st->cfg = cfg;
	check_backup_status_sample_init(&st->cur);
	r = check_backup_status_each_line(text, rsnapshot_line, s, st, err, &lineno);
	if (r < 0) {
		char why[MSP_ERROR_MAX];

		memcpy(why, err->msg, sizeof(why));
		msp_error_set(err, r, "line %zu: %s", lineno, why);
	} else {
		rsnapshot_end_pending(s, st);
		if (!st->found)
			r = msp_error_set(err, MSP_EINVAL, "no finished rsnapshot run%s%s%s in the log",
					  cfg->job ? " of '" : "", cfg->job ? cfg->job : "", cfg->job ? "'" : "");
	}
	free(st);
	return r;
}

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
		r = check_backup_status_parse_restic(clean, s, err);
		break;
	case CHECK_BACKUP_STATUS_JSON:
		r = check_backup_status_parse_json(cfg, clean, s, err);
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
