/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test_msp_json.c - msp_json: whole-text parsing, member getters, string lists.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "msp_json.h"

static int parse(const char *text, struct json_object **ret, char *msg)
{
	struct msp_error err;
	int r;

	msp_error_init(&err);
	*ret = NULL;
	r = msp_json_parse(text, strlen(text), "the list", ret, &err);
	snprintf(msg, MSP_ERROR_MAX, "%s", err.msg);
	return r;
}

static void test_json__parse_accepts_one_value_with_blanks_around(void **state)
{
	struct json_object *o;
	char msg[MSP_ERROR_MAX];

	assert_int_equal(parse(" \n[1, 2]\n\n", &o, msg), 0);
	assert_true(json_object_is_type(o, json_type_array));
	assert_int_equal(json_object_array_length(o), 2);
	json_object_put(o);
	assert_int_equal(parse("{\"a\":\"b\"}", &o, msg), 0);
	json_object_put(o);
}

static void test_json__parse_rejects_what_is_not_one_value(void **state)
{
	static const struct {
		const char *text, *msg;
	} cases[] = {
		{ "", "the list is empty" },
		{ " \r\n\t", "the list is empty" },
		{ "[1, 2", "cannot parse the list: the JSON ends early" },
		{ "[] []", "cannot parse the list: text after the JSON" },
		{ "[]\nwarning: something", "cannot parse the list: text after the JSON" },
		{ "Fatal: no repository", "cannot parse the list: " },
		{ "[1,]x", "cannot parse the list: " },
	};
	struct json_object *o;
	char msg[MSP_ERROR_MAX];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_int_equal(parse(cases[i].text, &o, msg), MSP_EINVAL);
		assert_null(o);
		if (strncmp(msg, cases[i].msg, strlen(cases[i].msg)) != 0)
			fail_msg("case %zu: '%s', want '%s...'", i, msg, cases[i].msg);
	}
}

/*
 * Found by tests/fuzz/fuzz_json: json-c's default mode takes "05e" for 5 and
 * "1e" for 1 (a number cut short reads as another number), and trailing
 * commas and single quotes: no JSON a tool writes, so none is a value.
 */
static void test_json__parse_rejects_what_is_not_json(void **state)
{
	static const char *const cases[] = { "05e", "1e", "05", "[1,]", "{\"a\":1,}", "'x'", "[\"a\" , 1e]" };
	struct json_object *o;
	char msg[MSP_ERROR_MAX];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		if (parse(cases[i], &o, msg) != MSP_EINVAL || o)
			fail_msg("'%s' parses, want an error", cases[i]);
		if (strncmp(msg, "cannot parse the list: ", 23) != 0)
			fail_msg("'%s': '%s'", cases[i], msg);
	}
}

static void test_json__parse_limits_nesting(void **state)
{
	char text[201], msg[MSP_ERROR_MAX];
	struct json_object *o;

	/* 100 levels: beyond the limit of 64 */
	memset(text, '[', 100);
	memset(text + 100, ']', 100);
	text[200] = '\0';
	assert_int_equal(parse(text, &o, msg), MSP_EINVAL);
	memset(text, '[', 10);
	memset(text + 10, ']', 10);
	text[20] = '\0';
	assert_int_equal(parse(text, &o, msg), 0);
	json_object_put(o);
}

static void test_json__parse_needs_no_terminating_nul(void **state)
{
	struct json_object *o = NULL;
	struct msp_error err;
	const char text[] = "[1]garbage";

	msp_error_init(&err);
	assert_int_equal(msp_json_parse(text, 3, "x", &o, &err), 0);
	assert_int_equal(json_object_array_length(o), 1);
	json_object_put(o);
}

/* A literal or number at the very end is complete (json-c waits for more); a null document is no value. */
static void test_json__parse_reads_a_literal_at_the_end_and_rejects_null(void **state)
{
	struct json_object *o;
	char msg[MSP_ERROR_MAX];

	(void)state;
	assert_int_equal(parse("true", &o, msg), 0);
	assert_true(json_object_is_type(o, json_type_boolean) && json_object_get_boolean(o));
	json_object_put(o);
	assert_int_equal(parse(" 42", &o, msg), 0);
	assert_int_equal(json_object_get_int(o), 42);
	json_object_put(o);
	/* json-c gives no object and "success" for null: never "cannot parse the list: success" */
	assert_int_equal(parse("null", &o, msg), MSP_EINVAL);
	assert_null(o);
	assert_string_equal(msg, "the list is null");
	assert_int_equal(parse("null\n", &o, msg), MSP_EINVAL);
	assert_string_equal(msg, "the list is null");
	assert_int_equal(parse("nul", &o, msg), MSP_EINVAL);
	assert_null(strstr(msg, "success"));
}

/* JSON lines and concatenated values, one at a time: where each ends, blanks between are fine. */
static void test_json__parse_next_walks_a_stream_of_values(void **state)
{
	const char text[] = "{\"a\":1}\n\n {\"a\":2}{\"a\":3} null\n7\ttrue \n";
	struct json_object *o = NULL;
	struct msp_error err;
	size_t off = 0, used;
	int n = 0;
	double want[] = { 1, 2, 3 };

	(void)state;
	msp_error_init(&err);
	for (;;) {
		int r = msp_json_parse_next(text + off, strlen(text) - off, &o, &used, &err);

		if (r == 0)
			break;
		assert_int_equal(r, 1);
		if (n < 3)
			assert_true(msp_json_number(o, "a") == want[n]);
		else if (n == 3)
			assert_null(o); /* null is a value; the caller decides what it means */
		else if (n == 4)
			assert_int_equal(json_object_get_int(o), 7);
		else
			assert_true(json_object_get_boolean(o));
		json_object_put(o);
		off += used;
		n++;
	}
	assert_int_equal(n, 6);
	assert_int_equal(strspn(text + off, " \n"), strlen(text) - off); /* only blanks are left */
	assert_int_equal(msp_json_parse_next("  \n", 3, &o, &used, &err), 0);
}

static void test_json__parse_next_says_why_a_value_is_broken(void **state)
{
	static const struct {
		const char *text, *msg;
	} cases[] = {
		{ "{\"a\":1", "the JSON ends early" },
		{ "garbage", "" },
		{ "{\"a\":1}", NULL },
	};
	struct json_object *o;
	struct msp_error err;
	size_t used = 99;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int r;

		msp_error_init(&err);
		o = NULL;
		r = msp_json_parse_next(cases[i].text, strlen(cases[i].text), &o, &used, &err);
		if (!cases[i].msg) {
			assert_int_equal(r, 1);
			json_object_put(o);
			continue;
		}
		assert_int_equal(r, MSP_EINVAL);
		assert_null(o);
		assert_true(strncmp(err.msg, cases[i].msg, strlen(cases[i].msg)) == 0);
		assert_true(err.msg[0] != '\0');
		assert_null(strstr(err.msg, "success"));
	}
}

static void test_json__path_follows_members_and_indexes(void **state)
{
	struct json_object *o = json_tokener_parse("{\"a\":{\"b\":[{\"c\":1},{\"c\":null}]},\"n\":null}");
	bool null = true;

	(void)state;
	assert_non_null(o);
	assert_int_equal(json_object_get_int(msp_json_path(o, "a.b.0.c", &null)), 1);
	assert_false(null);
	assert_int_equal(json_object_get_int(msp_json_path(o, "$.a.b.0.c", &null)), 1);
	assert_true(msp_json_path(o, "$", &null) == o);
	assert_null(msp_json_path(o, "a.b.1.c", &null));
	assert_true(null);
	assert_null(msp_json_path(o, "n", &null));
	assert_true(null);
	assert_null(msp_json_path(o, "a.x", &null));
	assert_false(null);
	assert_null(msp_json_path(o, "a.b.2.c", &null));
	assert_null(msp_json_path(o, "a.b.-1", &null));
	assert_null(msp_json_path(o, "a.b.x", &null));
	assert_null(msp_json_path(o, "a.b.0.c.d", &null));
	assert_false(null);
	json_object_put(o);
}

/* A time is RFC 3339 text or (when asked) epoch seconds, and a possible one: never NaN, 1e400, -1, ms. */
static void test_json__time_takes_only_times(void **state)
{
	static const struct {
		const char *json;
		unsigned flags;
		double want; /* NAN: an error */
		const char *msg;
	} cases[] = {
		{ "\"2026-11-28T01:41:49.5Z\"", 0, 1795830109.5, NULL },
		{ "1795830109", MSP_JSON_TIME_EPOCH, 1795830109.0, NULL },
		{ "1795830109.25", MSP_JSON_TIME_EPOCH, 1795830109.25, NULL },
		{ "0", MSP_JSON_TIME_EPOCH, 0, NULL },
		{ "1795830109", 0, NAN, "1795830109" },
		{ "NaN", MSP_JSON_TIME_EPOCH, NAN, "NaN" },
		{ "Infinity", MSP_JSON_TIME_EPOCH, NAN, "Infinity" },
		{ "-Infinity", MSP_JSON_TIME_EPOCH, NAN, "-Infinity" },
		{ "1e400", MSP_JSON_TIME_EPOCH, NAN, "1e400" },
		{ "-1", MSP_JSON_TIME_EPOCH, NAN, "-1" },
		{ "1795830109000", MSP_JSON_TIME_EPOCH, NAN, "1795830109000" },
		{ "null", MSP_JSON_TIME_EPOCH, NAN, "null" },
		{ "true", MSP_JSON_TIME_EPOCH, NAN, "true" },
		{ "[1]", MSP_JSON_TIME_EPOCH, NAN, "[1]" },
		{ "\"2026-13-45T99:99:99Z\"", 0, NAN, "cannot parse time '2026-13-45T99:99:99Z'" },
		{ "\"2026-11-28T01:41:49\"", 0, NAN, "time '2026-11-28T01:41:49' has no UTC offset" },
		{ "\"1969-12-31T23:59:59Z\"", 0, NAN, "\"1969-12-31T23:59:59Z\"" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct json_object *o = NULL;
		struct msp_error err;
		size_t used;
		double t = 42;

		msp_error_init(&err);
		assert_int_equal(msp_json_parse_next(cases[i].json, strlen(cases[i].json), &o, &used, &err), 1);
		if (cases[i].msg) {
			assert_int_equal(msp_json_time(o, cases[i].flags, &t, &err), MSP_EINVAL);
			if (strcmp(err.msg, cases[i].msg) != 0)
				fail_msg("%s: '%s', want '%s'", cases[i].json, err.msg, cases[i].msg);
			assert_true(t == 42);
		} else {
			assert_int_equal(msp_json_time(o, cases[i].flags, &t, &err), 0);
			assert_true(t == cases[i].want);
		}
		json_object_put(o);
	}
}

static void test_json__getters_return_null_or_nan_for_absent_and_mistyped(void **state)
{
	struct json_object *o;
	char msg[MSP_ERROR_MAX];

	assert_int_equal(parse("{\"s\":\"text\",\"i\":42,\"d\":1.5,\"n\":null,\"b\":true,\"a\":[]}", &o, msg), 0);
	assert_string_equal(msp_json_string(o, "s"), "text");
	assert_null(msp_json_string(o, "i"));
	assert_null(msp_json_string(o, "n"));
	assert_null(msp_json_string(o, "missing"));
	assert_true(msp_json_number(o, "i") == 42.0);
	assert_true(msp_json_number(o, "d") == 1.5);
	assert_true(isnan(msp_json_number(o, "s")));
	assert_true(isnan(msp_json_number(o, "b")));
	assert_true(isnan(msp_json_number(o, "missing")));
	assert_null(msp_json_string(NULL, "s"));
	assert_true(isnan(msp_json_number(json_object_object_get(o, "a"), "x")));
	json_object_put(o);
}

static void test_json__join_lists_of_strings(void **state)
{
	struct json_object *o;
	struct msp_error err;
	char msg[MSP_ERROR_MAX], *s = NULL;

	msp_error_init(&err);
	assert_int_equal(
		parse("{\"tags\":[\"a\",\"b\",\"c\"],\"one\":[\"x\"],\"none\":null,\"empty\":[],\"bad\":[1],\"str\":\"a\"}",
		      &o, msg),
		0);
	assert_int_equal(msp_json_join(o, "tags", ",", &s, &err), 0);
	assert_string_equal(s, "a,b,c");
	free(s);
	assert_int_equal(msp_json_join(o, "tags", " / ", &s, &err), 0);
	assert_string_equal(s, "a / b / c");
	free(s);
	assert_int_equal(msp_json_join(o, "one", ",", &s, &err), 0);
	assert_string_equal(s, "x");
	free(s);
	assert_int_equal(msp_json_join(o, "none", ",", &s, &err), 0);
	assert_string_equal(s, "");
	free(s);
	assert_int_equal(msp_json_join(o, "empty", ",", &s, &err), 0);
	assert_string_equal(s, "");
	free(s);
	assert_int_equal(msp_json_join(o, "absent", ",", &s, &err), 0);
	assert_string_equal(s, "");
	free(s);
	s = NULL;
	assert_int_equal(msp_json_join(o, "bad", ",", &s, &err), MSP_EINVAL);
	assert_string_equal(err.msg, "'bad' is not a list of strings");
	assert_null(s);
	assert_int_equal(msp_json_join(o, "str", ",", &s, &err), MSP_EINVAL);
	assert_null(s);
	json_object_put(o);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_json__parse_accepts_one_value_with_blanks_around),
		cmocka_unit_test(test_json__parse_rejects_what_is_not_one_value),
		cmocka_unit_test(test_json__parse_rejects_what_is_not_json),
		cmocka_unit_test(test_json__parse_limits_nesting),
		cmocka_unit_test(test_json__parse_needs_no_terminating_nul),
		cmocka_unit_test(test_json__parse_reads_a_literal_at_the_end_and_rejects_null),
		cmocka_unit_test(test_json__parse_next_walks_a_stream_of_values),
		cmocka_unit_test(test_json__parse_next_says_why_a_value_is_broken),
		cmocka_unit_test(test_json__path_follows_members_and_indexes),
		cmocka_unit_test(test_json__time_takes_only_times),
		cmocka_unit_test(test_json__getters_return_null_or_nan_for_absent_and_mistyped),
		cmocka_unit_test(test_json__join_lists_of_strings),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
