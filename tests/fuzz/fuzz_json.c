/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * fuzz_json.c - msp_json_parse, msp_json_parse_next, msp_json_path and the
 * getters (tool JSON: restic, borg, status files).
 *
 * Input: a path ("runs.0.end"), a newline, then the JSON text.
 * Invariants: a success is a tree (never NULL, never deeper than the 64
 * levels promised) that json-c writes out as text msp_json_parse reads back
 * to the same tree (written again, the same text); a failure has a message;
 * msp_json_parse_next walks any text in steps that move forward and stay
 * inside it, and on a text msp_json_parse takes it reads the same value and
 * then finds the end; msp_json_path gives a value or NULL, with *ret_null
 * only for NULL, and "$" is the root itself.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "msp_error.h"
#include "msp_json.h"
#include "msp_time.h"

#define DEPTH_LIMIT 64

static int depth(struct json_object *o)
{
	int d = 0;

	if (json_object_is_type(o, json_type_object)) {
		json_object_object_foreach(o, key, v)
		{
			int c = depth(v);

			(void)key;
			if (c > d)
				d = c;
		}
	} else if (json_object_is_type(o, json_type_array)) {
		for (size_t i = 0; i < json_object_array_length(o); i++) {
			int c = depth(json_object_array_get_idx(o, i));

			if (c > d)
				d = c;
		}
	}
	return d + 1;
}

/* o written by json-c reads back as a tree that is written the same way. */
static void check_round_trip(struct json_object *o, const char *what)
{
	const char *text = json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN);
	struct json_object *back = NULL;
	struct msp_error err;
	int r;

	FUZZ_ASSERT(text, "%s cannot be written", what);
	msp_error_init(&err);
	r = msp_json_parse(text, strlen(text), "written", &back, &err);
	if (r < 0 && json_object_is_type(o, json_type_null))
		return; /* a null document is refused, by design */
	FUZZ_ASSERT(r == 0 && back, "%s written as '%.200s' does not parse: %s", what, text, err.msg);
	FUZZ_ASSERT(strcmp(text, json_object_to_json_string_ext(back, JSON_C_TO_STRING_PLAIN)) == 0,
		    "%s written as '%.200s' reads back as '%.200s'", what, text,
		    json_object_to_json_string_ext(back, JSON_C_TO_STRING_PLAIN));
	json_object_put(back);
}

static void check_getters(struct json_object *root, const char *path)
{
	struct msp_error err;
	bool is_null = true;
	struct json_object *v = msp_json_path(root, path, &is_null);
	double t = 0;
	char *joined = NULL;

	FUZZ_ASSERT(!(v && is_null), "path '%s' gives a value and null", path);
	if (strcmp(path, "$") == 0)
		FUZZ_ASSERT(v == root, "'$' is not the root");
	msp_error_init(&err);
	if (v) {
		if (msp_json_time(v, MSP_JSON_TIME_EPOCH, &t, &err) == 0)
			FUZZ_ASSERT(msp_time_epoch_plausible(t), "path '%s' gives time %.17g", path, t);
		else
			FUZZ_ASSERT(err.msg[0], "msp_json_time failed without a reason");
	}
	(void)msp_json_string(root, path);
	t = msp_json_number(root, path);
	FUZZ_ASSERT(isnan(t) || json_object_is_type(root, json_type_object), "a number from a non-object");
	if (msp_json_join(root, path, ",", &joined, &err) == 0)
		FUZZ_ASSERT(joined, "joined is NULL");
	free(joined);
}

static void check_stream(const char *text, size_t len, struct json_object *whole)
{
	size_t off = 0;
	int values = 0;

	while (off <= len) {
		struct json_object *o = NULL;
		struct msp_error err;
		size_t used = 0;
		int r;

		msp_error_init(&err);
		r = msp_json_parse_next(text + off, len - off, &o, &used, &err);
		if (r == 0) {
			FUZZ_ASSERT(!whole || values == 1, "the stream ends after %d values", values);
			break;
		}
		if (r < 0) {
			FUZZ_ASSERT(!whole, "the document parses, the stream does not: %s", err.msg);
			FUZZ_ASSERT(err.msg[0], "a stream error without a reason");
			break;
		}
		FUZZ_ASSERT(r == 1 && used > 0 && used <= len - off, "returned %d, used %zu of %zu", r, used,
			    len - off);
		if (whole && values == 0)
			FUZZ_ASSERT(strcmp(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN),
					   json_object_to_json_string_ext(whole, JSON_C_TO_STRING_PLAIN)) == 0,
				    "the stream reads another first value");
		if (o) {
			check_round_trip(o, "a stream value");
			json_object_put(o);
		}
		values++;
		off += used;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct json_object *o = NULL;
	struct msp_error err;
	char *path = fuzz_take(&data, &size, '\n');
	char *text = malloc(size ? size : 1); /* no NUL after it: len is all the parser may read */
	int r;

	if (!text)
		abort();
	if (size)
		memcpy(text, data, size);

	msp_error_init(&err);
	r = msp_json_parse(text, size, "input", &o, &err);
	if (r == 0) {
		FUZZ_ASSERT(o, "success without a tree");
		FUZZ_ASSERT(depth(o) <= DEPTH_LIMIT + 1, "a tree %d levels deep", depth(o));
		check_round_trip(o, "the document");
		check_getters(o, path);
	} else {
		FUZZ_ASSERT(!o && err.msg[0] && (r == MSP_EINVAL || r == MSP_ENOMEM), "returned %d, tree %p", r,
			    (void *)o);
	}
	check_stream(text, size, o);
	json_object_put(o);
	free(path);
	free(text);
	return 0;
}
