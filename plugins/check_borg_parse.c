/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * check_borg_parse.c - check_borg's pure parsers: the JSON of `borg list
 * --json` and `borg info --json`, the --log-json lines of a failed run, and
 * checkpoint archive names.  Times are read as UTC: borg runs with TZ=UTC0
 * (see check_borg.c).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_borg.h"
#include "msp_json.h"

bool check_borg_is_checkpoint(const char *name)
{
	const char *p = strstr(name, ".checkpoint");

	/* The last occurrence decides: "a.checkpoint-x.checkpoint" is a checkpoint. */
	while (p && strstr(p + 1, ".checkpoint"))
		p = strstr(p + 1, ".checkpoint");
	if (!p)
		return false;
	p += strlen(".checkpoint");
	if (*p == '\0')
		return true;
	if (*p++ != '.' || !*p)
		return false;
	return strspn(p, "0123456789") == strlen(p);
}

/* A number member; false when it is missing or not a number. */
static bool json_num(struct json_object *o, const char *key, double *ret)
{
	*ret = msp_json_number(o, key);
	return !isnan(*ret);
}

static int parse_archive(struct json_object *a, size_t i, struct check_borg_archive *ret, struct msp_error *err)
{
	const char *name = a && json_object_is_type(a, json_type_object) ? msp_json_string(a, "name") : NULL;
	const char *t = name ? msp_json_string(a, "time") : NULL;
	struct msp_error e;
	double when;

	if (!name || !t)
		return msp_error_set(err, MSP_EINVAL, "cannot parse the output of borg list: archive %zu lacks %s", i,
				     name ? "a time" : "a name");
	msp_error_init(&e);
	if (msp_time_parse_rfc3339(t, MSP_TIME_NAIVE_UTC, &when, &e) < 0)
		return msp_error_set(err, MSP_EINVAL, "cannot parse the output of borg list: archive '%.80s': %s", name,
				     e.msg);
	ret->name = strdup(name);
	if (!ret->name)
		return msp_error_set(err, MSP_ENOMEM, "out of memory");
	ret->time = when;
	ret->checkpoint = check_borg_is_checkpoint(name);
	return 0;
}

int check_borg_parse_list(const char *json, size_t len, struct check_borg_list *ret, struct msp_error *err)
{
	struct json_object *doc = NULL, *arr, *enc;
	const char *mode;
	size_t n;
	int r;

	r = msp_json_parse(json, len, "the output of borg list", &doc, err);
	if (r < 0)
		return r;
	r = MSP_EINVAL;
	if (!json_object_is_type(doc, json_type_object) || !json_object_object_get_ex(doc, "archives", &arr) ||
	    !json_object_is_type(arr, json_type_array)) {
		msp_error_set(err, MSP_EINVAL, "cannot parse the output of borg list: no \"archives\" list");
		goto out;
	}
	n = json_object_array_length(arr);
	ret->archive = calloc(n ? n : 1, sizeof(*ret->archive));
	if (!ret->archive) {
		r = msp_error_set(err, MSP_ENOMEM, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		r = parse_archive(json_object_array_get_idx(arr, i), i, &ret->archive[i], err);
		if (r < 0)
			goto out;
		ret->n++;
	}
	mode = json_object_object_get_ex(doc, "encryption", &enc) ? msp_json_string(enc, "mode") : NULL;
	if (mode && !(ret->encryption = strdup(mode))) {
		r = msp_error_set(err, MSP_ENOMEM, "out of memory");
		goto out;
	}
	r = 0;
out:
	json_object_put(doc);
	return r;
}

void check_borg_list_release(struct check_borg_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->archive[i].name);
	free(l->archive);
	free(l->encryption);
	memset(l, 0, sizeof(*l));
}

int check_borg_parse_info(const char *json, size_t len, const char *want, struct check_borg_info *ret,
			  struct msp_error *err)
{
	struct check_borg_info in = { .valid = true };
	struct json_object *doc = NULL, *arr, *a, *st;
	const char *end, *name;
	int r;

	r = msp_json_parse(json, len, "the output of borg info", &doc, err);
	if (r < 0)
		return r;
	r = MSP_EINVAL;
	if (!json_object_is_type(doc, json_type_object) || !json_object_object_get_ex(doc, "archives", &arr) ||
	    !json_object_is_type(arr, json_type_array) || json_object_array_length(arr) != 1) {
		msp_error_set(err, MSP_EINVAL, "cannot parse the output of borg info: not exactly one archive");
		goto out;
	}
	a = json_object_array_get_idx(arr, 0);
	/* The sizes must be those of the archive judged, not of one borg (or a wrapper) picked instead. */
	name = json_object_is_type(a, json_type_object) ? msp_json_string(a, "name") : NULL;
	if (want && (!name || strcmp(name, want) != 0)) {
		msp_error_set(err, MSP_EINVAL, "borg info returned archive '%.80s' although '%.80s' was asked",
			      name ? name : "", want);
		goto out;
	}
	if (!json_object_is_type(a, json_type_object) || !json_object_object_get_ex(a, "stats", &st) ||
	    !json_num(st, "original_size", &in.original_size) ||
	    !json_num(st, "compressed_size", &in.compressed_size) ||
	    !json_num(st, "deduplicated_size", &in.deduplicated_size) || !json_num(st, "nfiles", &in.nfiles) ||
	    !json_num(a, "duration", &in.duration)) {
		msp_error_set(err, MSP_EINVAL, "cannot parse the output of borg info: no stats or duration");
		goto out;
	}
	end = msp_json_string(a, "end");
	if (!end || msp_time_parse_rfc3339(end, MSP_TIME_NAIVE_UTC, &in.end, NULL) < 0)
		in.end = NAN;
	*ret = in;
	r = 0;
out:
	json_object_put(doc);
	return r;
}

static void copy_line(char *dst, size_t len, const char *src)
{
	size_t n = strcspn(src, "\r\n");

	snprintf(dst, len, "%.*s", (int)(n < len ? n : len - 1), src);
}

/* One --log-json line: remember errors and refused questions. */
static void failure_line(struct json_object *o, struct check_borg_failure *f, char *question, size_t qlen)
{
	const char *type = msp_json_string(o, "type"), *msgid = msp_json_string(o, "msgid"),
		   *msg = msp_json_string(o, "message");
	const char *level = msp_json_string(o, "levelname");

	if (!type)
		return;
	if (strcmp(type, "question_accepted_false") == 0 && msgid)
		snprintf(question, qlen, "%s", msgid);
	if (strcmp(type, "log_message") != 0 || !level || (strcmp(level, "ERROR") && strcmp(level, "CRITICAL")))
		return;
	/*
	 * borg logs its error, then the Python traceback as a second ERROR without a msgid: the first
	 * says why ("Failed to create/acquire the lock ... Permission denied"), the traceback never.
	 */
	if (msg && strncmp(msg, "Traceback (most recent call last)", 33) == 0)
		return;
	if (f->message[0] && f->msgid[0] && !(msgid && *msgid))
		return;
	snprintf(f->msgid, sizeof(f->msgid), "%s", msgid ? msgid : "");
	copy_line(f->message, sizeof(f->message), msg ? msg : "");
}

static enum check_borg_failure_kind failure_kind(const char *msgid, const char *question)
{
	static const struct {
		const char *msgid;
		enum check_borg_failure_kind kind;
	} map[] = {
		{ "PassphraseWrong", CHECK_BORG_FAIL_PASSPHRASE },
		{ "PasscommandFailure", CHECK_BORG_FAIL_PASSCOMMAND },
		{ "Repository.DoesNotExist", CHECK_BORG_FAIL_REPO_MISSING },
		{ "Repository.InvalidRepository", CHECK_BORG_FAIL_NOT_A_REPO },
		{ "LockTimeout", CHECK_BORG_FAIL_LOCKED },
		{ "LockFailed", CHECK_BORG_FAIL_LOCK_DENIED },
		{ "ConnectionClosed", CHECK_BORG_FAIL_CONNECTION },
		{ "ConnectionClosedWithHint", CHECK_BORG_FAIL_CONNECTION },
	};

	if (strcmp(question, "BORG_UNKNOWN_UNENCRYPTED_REPO_ACCESS_IS_OK") == 0)
		return CHECK_BORG_FAIL_UNENCRYPTED;
	if (strcmp(question, "BORG_RELOCATED_REPO_ACCESS_IS_OK") == 0)
		return CHECK_BORG_FAIL_RELOCATED;
	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (strcmp(msgid, map[i].msgid) == 0)
			return map[i].kind;
	return CHECK_BORG_FAIL_OTHER;
}

void check_borg_parse_failure(const char *text, struct check_borg_failure *ret)
{
	struct check_borg_failure f = { .kind = CHECK_BORG_FAIL_OTHER };
	char question[64] = "", plain[256] = "";
	const char *p = text ? text : "";

	while (*p) {
		size_t n = strcspn(p, "\n");
		struct json_object *o = NULL;

		if (n && p[0] == '{' && msp_json_parse(p, n, "a borg log line", &o, NULL) < 0)
			o = NULL;
		if (o && json_object_is_type(o, json_type_object))
			failure_line(o, &f, question, sizeof(question));
		else if (n && strspn(p, " \t\r") < n)
			copy_line(plain, sizeof(plain), p); /* the last plain line: sudo, a traceback's end */
		json_object_put(o);
		p += n + (p[n] == '\n');
	}
	f.kind = failure_kind(f.msgid, question);
	if (!f.message[0] && plain[0]) {
		snprintf(f.message, sizeof(f.message), "%s", plain);
		if (strncmp(plain, "sudo:", 5) == 0)
			f.kind = CHECK_BORG_FAIL_SUDO;
	}
	*ret = f;
}
