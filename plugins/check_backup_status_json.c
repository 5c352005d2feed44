/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * check_backup_status_json.c - the JSON formats: what `restic backup --json`
 * wrote (restic-json) and JSON status files judged by a result field (json),
 * read with msp_json (json-c; paths with msp_json_path).  Pure: no I/O.
 */
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "check_backup_status.h"
#include "msp_json.h"
#include "msp_redact.h"

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
	check_backup_status_add_detail(s, buf, sizeof(buf));
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
		check_backup_status_set_text(s->text, text, len);
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
static int restic_line(const char *p, size_t len, size_t lineno, struct check_backup_status_sample *s, void *ctx,
		       struct msp_error *err)
{
	struct restic_state *st = ctx;
	struct json_object *o = NULL;
	const char *type, *msg;
	char code[40];
	int r = 0;

	if (*p != '{') {
		if (strncmp(p, "Fatal: ", 7) == 0 || strncmp(p, "panic: ", 7) == 0)
			/* "Fatal: wrong password or no key found" */
			restic_end(s, st, CHECK_BACKUP_STATUS_FAILED, p, len);
		else if (!st->first_other[0] && len > 0)
			check_backup_status_set_text(st->first_other, p, len);
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

int check_backup_status_parse_restic(const char *text, struct check_backup_status_sample *s, struct msp_error *err)
{
	struct restic_state *st = calloc(1, sizeof(*st));
	int r;

	if (!st)
		return msp_error_set(err, MSP_ENOMEM, "out of memory");
	check_backup_status_sample_init(&st->cur);
	r = check_backup_status_each_line(text, restic_line, s, st, err, NULL);
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
	for (size_t i = 0; i < cfg->ok_value.count; i++)
		if (strcasecmp(value, cfg->ok_value.items[i]) == 0)
			ret->outcome = CHECK_BACKUP_STATUS_SUCCESS;
	if (!cfg->ok_value.count && strcasecmp(value, "true") == 0)
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
	check_backup_status_add_detail(s, note, sizeof(note));
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
int check_backup_status_parse_json(const struct check_backup_status_config *cfg, const char *text,
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
