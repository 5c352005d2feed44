/* SPDX-License-Identifier: GPL-3.0-or-later */
/* msp_json.c - reading tool output with json-c (see msp_json.h). */
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "msp_buf.h"
#include "msp_json.h"
#include "msp_time.h"
#include "banned.h"

#define DEPTH_MAX 64

static bool blank_only(const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != ' ' && p[i] != '\t' && p[i] != '\r' && p[i] != '\n')
			return false;
	return true;
}

int msp_json_parse_next(const char *text, size_t len, struct json_object **ret, size_t *ret_used, struct msp_error *err)
{
	struct json_tokener *tok;
	enum json_tokener_error e;
	struct json_object *o;
	size_t skip = 0, end;

	while (skip < len && blank_only(text + skip, 1))
		skip++;
	if (skip == len)
		return 0;
	if (len - skip > INT_MAX)
		return msp_error_set(err, MSP_EINVAL, "longer than %d bytes", INT_MAX);
	tok = json_tokener_new_ex(DEPTH_MAX);
	if (!tok)
		return msp_error_set(err, MSP_ENOMEM, "out of memory");
	/*
	 * Strict: the default mode reads "05e" or a cut "1e" as a number, and takes trailing commas
	 * and 'quotes'.  What follows the value is the caller's (a stream, or "text after the JSON").
	 */
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT | JSON_TOKENER_ALLOW_TRAILING_CHARS);
	o = json_tokener_parse_ex(tok, text + skip, (int)(len - skip));
	e = json_tokener_get_error(tok);
	end = skip + json_tokener_get_parse_end(tok);
	if (!o && e == json_tokener_continue && end == len) {
		/* json-c waits for more digits or letters after "42", "true", "null": the text ends here */
		o = json_tokener_parse_ex(tok, "", 1);
		e = json_tokener_get_error(tok);
		if (e != json_tokener_success)
			e = json_tokener_continue; /* "[1, 2" stays "ends early" */
	}
	json_tokener_free(tok);
	if (e != json_tokener_success) {
		json_object_put(o);
		return msp_error_set(err, MSP_EINVAL, "%s",
				     e == json_tokener_continue ? "the JSON ends early" : json_tokener_error_desc(e));
	}
	/* json-c returns no object and success for a null */
	*ret = o;
	*ret_used = end;
	return 1;
}

int msp_json_parse(const char *text, size_t len, const char *what, struct json_object **ret, struct msp_error *err)
{
	struct json_object *o = NULL;
	struct msp_error why;
	size_t end = 0;
	int r;

	msp_error_init(&why);
	r = msp_json_parse_next(text, len, &o, &end, &why);
	if (r == 0)
		return msp_error_set(err, MSP_EINVAL, "%s is empty", what);
	if (r < 0)
		return r == MSP_ENOMEM ? msp_error_set(err, r, "out of memory") :
					 msp_error_set(err, r, "cannot parse %s: %s", what, why.msg);
	if (!o)
		return msp_error_set(err, MSP_EINVAL, "%s is null", what);
	if (end < len && !blank_only(text + end, len - end)) {
		json_object_put(o);
		return msp_error_set(err, MSP_EINVAL, "cannot parse %s: text after the JSON", what);
	}
	*ret = o;
	return 0;
}

struct json_object *msp_json_path(struct json_object *o, const char *path, bool *ret_null)
{
	char key[256];

	*ret_null = false;
	if (path[0] == '$')
		path += path[1] == '.' ? 2 : 1;
	while (o && *path) {
		size_t n = strcspn(path, ".");
		struct json_object *next = NULL;
		char *end;

		if (n >= sizeof(key))
			return NULL;
		memcpy(key, path, n);
		key[n] = '\0';
		if (json_object_is_type(o, json_type_array)) {
			unsigned long i = strtoul(key, &end, 10);

			next = *end || !n || key[0] == '-' ? NULL : json_object_array_get_idx(o, i);
		} else if (!json_object_is_type(o, json_type_object) || !json_object_object_get_ex(o, key, &next)) {
			next = NULL;
		}
		/* json-c's null is a NULL member: tell it from an absent one at the end of the path */
		if (!next && !path[n] && json_object_is_type(o, json_type_object) &&
		    json_object_object_get_ex(o, key, NULL))
			*ret_null = true;
		o = next;
		path += n + (path[n] == '.');
	}
	return o;
}

int msp_json_time(struct json_object *t, unsigned flags, double *ret, struct msp_error *err)
{
	double v = NAN;

	if (json_object_is_type(t, json_type_string) &&
	    msp_time_parse_rfc3339(json_object_get_string(t), 0, &v, err) < 0)
		return MSP_EINVAL;
	if ((flags & MSP_JSON_TIME_EPOCH) &&
	    (json_object_is_type(t, json_type_int) || json_object_is_type(t, json_type_double)))
		v = json_object_get_double(t);
	if (!msp_time_epoch_plausible(v))
		return msp_error_set(err, MSP_EINVAL, "%.60s",
				     json_object_to_json_string_ext(t, JSON_C_TO_STRING_PLAIN));
	*ret = v;
	return 0;
}

const char *msp_json_string(struct json_object *o, const char *key)
{
	struct json_object *v;

	if (!json_object_is_type(o, json_type_object) || !json_object_object_get_ex(o, key, &v) ||
	    !json_object_is_type(v, json_type_string))
		return NULL;
	return json_object_get_string(v);
}

double msp_json_number(struct json_object *o, const char *key)
{
	struct json_object *v;

	if (!json_object_is_type(o, json_type_object) || !json_object_object_get_ex(o, key, &v) ||
	    !(json_object_is_type(v, json_type_int) || json_object_is_type(v, json_type_double)))
		return NAN;
	return json_object_get_double(v);
}

int msp_json_join(struct json_object *o, const char *key, const char *sep, char **ret, struct msp_error *err)
{
	struct json_object *a = NULL;
	struct msp_buf b;
	char *s;

	if (json_object_is_type(o, json_type_object))
		json_object_object_get_ex(o, key, &a);
	if (a && !json_object_is_type(a, json_type_array))
		return msp_error_set(err, MSP_EINVAL, "'%s' is not a list of strings", key);
	msp_buf_init(&b, (size_t)1 << 24);
	for (size_t i = 0; a && i < json_object_array_length(a); i++) {
		struct json_object *v = json_object_array_get_idx(a, i);

		if (!json_object_is_type(v, json_type_string)) {
			msp_buf_release(&b);
			return msp_error_set(err, MSP_EINVAL, "'%s' is not a list of strings", key);
		}
		if ((i && msp_buf_adds(&b, sep) < 0) || msp_buf_adds(&b, json_object_get_string(v)) < 0) {
			msp_buf_release(&b);
			return msp_error_set(err, MSP_ENOMEM, "out of memory");
		}
	}
	s = msp_buf_detach(&b);
	if (!s)
		return msp_error_set(err, MSP_ENOMEM, "out of memory");
	*ret = s;
	return 0;
}
