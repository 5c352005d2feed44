/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test_msp_render.c - the four output formats on a small tree (exact
 * text), worst-first long output, sanitising of human text, the output cap
 * (formats stay valid when cut) and the empty tree.
 *
 * With json-c (MSP_TEST_JSONC) every JSON output is also parsed back.
 */
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <setjmp.h>
#include <cmocka.h>
#ifdef MSP_TEST_JSONC
#include <json.h>
#endif

#include "msp.h"
#include "../helpers/msp_test.h"

#define OUT_CEILING (MSP_OUTPUT_MAX + 4096) /* as the runner: room to see an overrun */
#define TRUNC_MARK "... (output truncated)"

/* ------------------------------------------------------------ helpers */

static char *render(const struct msp_result *root, enum msp_format fmt);

/* A drop-in's line 1 as its reference prints it; per-object lines only in the other formats. */
static void test_render__nagios_style_of_a_drop_in(void **state)
{
	static const struct msp_nagios_style procs = { ": ", " | ", NULL, true, false };
	static const struct msp_nagios_style load = { NULL, "|", " ", true, true };
	struct msp_result *root = msp_result_new();
	char *out;

	(void)state;
	assert_non_null(root);
	msp_result_set_state(root, MSP_STATE_WARNING);
	msp_result_set_text(root, "3 processes");
	assert_non_null(msp_result_add_perf(root, "procs", 3, "", NULL));
	assert_non_null(msp_result_add_child(root, MSP_STATE_WARNING, "one object"));
	assert_non_null(msp_result_add_note(root, "a note"));
	root->style = &procs;
	out = render(root, MSP_FORMAT_NAGIOS);
	assert_string_equal(out, "DISK WARNING: 3 processes | procs=3\n");
	free(out);
	root->style = &load;
	out = render(root, MSP_FORMAT_NAGIOS);
	assert_string_equal(out, "DISK WARNING - 3 processes|procs=3 \na note\n");
	free(out);
	/* the other formats keep every line */
	out = render(root, MSP_FORMAT_MULTILINE);
	assert_non_null(strstr(out, "\\_[WARNING] - one object"));
	free(out);
	/* an empty summary: "DISK OK| /=..." as check_disk -e prints it */
	msp_result_set_text(root, "%s", "");
	root->style = &load;
	out = render(root, MSP_FORMAT_NAGIOS);
	assert_string_equal(out, "DISK WARNING|procs=3 \na note\n");
	free(out);
	msp_result_free(root);
}

/* Render root in fmt; the caller frees the returned string. */
static char *render(const struct msp_result *root, enum msp_format fmt)
{
	struct msp_buf b;

	msp_buf_init(&b, OUT_CEILING);
	assert_int_equal(msp_render(root, fmt, "check_disk", "DISK", &b), 0);
	assert_false(b.truncated);
	return msp_buf_detach(&b);
}

static struct msp_threshold th_80_90(void)
{
	struct msp_threshold th;

	memset(&th, 0, sizeof(th));
	assert_int_equal(msp_range_parse("80", MSP_UNIT_PERCENT, 1, &th.warn, NULL), 0);
	assert_int_equal(msp_range_parse("90", MSP_UNIT_PERCENT, 1, &th.crit, NULL), 0);
	th.has_warn = th.has_crit = true;
	return th;
}

/*
 * The small tree of the exact-output tests: three file systems, one
 * critical, one warning with a grandchild, one fine, and perfdata on
 * the children (one label needing quotes).
 */
static struct msp_result *small_tree(void)
{
	struct msp_result *r = msp_result_new(), *c;
	struct msp_threshold th = th_80_90();
	struct msp_perf *p;

	assert_non_null(r);
	assert_int_equal(msp_result_set_text(r, "1 critical, 1 warning"), 0);
	c = msp_result_add_child(r, MSP_STATE_OK, "/ 40%% used");
	p = msp_result_add_perf(c, "/", 40, "%", &th);
	msp_perf_set_min(p, 0);
	msp_perf_set_max(p, 100);
	c = msp_result_add_child(r, MSP_STATE_CRITICAL, "/data 95.5%% used");
	p = msp_result_add_perf(c, "/data", 95.5, "%", &th);
	msp_perf_set_min(p, 0);
	msp_perf_set_max(p, 100);
	c = msp_result_add_child(r, MSP_STATE_WARNING, "/var 85%% used");
	assert_non_null(msp_result_add_child(c, MSP_STATE_WARNING, "inodes 85%% used"));
	assert_non_null(msp_result_add_perf(c, "my var", 85, "%", &th));
	return r;
}

#ifdef MSP_TEST_JSONC
/* Parse text strictly as one JSON document (a trailing newline allowed); the caller puts the object. */
static struct json_object *json_parse_all(const char *text)
{
	struct json_tokener *tok = json_tokener_new();
	struct json_object *o;
	size_t len = strlen(text);

	assert_non_null(tok);
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT | JSON_TOKENER_VALIDATE_UTF8);
	if (len > 0 && text[len - 1] == '\n')
		len--;
	o = json_tokener_parse_ex(tok, text, (int)len);
	if (!o || json_tokener_get_error(tok) != json_tokener_success || json_tokener_get_parse_end(tok) != len)
		fail_msg("not valid JSON (%s) at byte %zu: %.200s",
			 json_tokener_error_desc(json_tokener_get_error(tok)), json_tokener_get_parse_end(tok), text);
	json_tokener_free(tok);
	return o;
}

static struct json_object *json_get(struct json_object *o, const char *key)
{
	struct json_object *v = NULL;

	if (!json_object_object_get_ex(o, key, &v))
		fail_msg("JSON has no key '%s'", key);
	return v;
}
#endif

/*
 * Check that text is one JSON document.  With json-c it is parsed; without,
 * brackets and quotes must balance (the exact-string tests cover the rest).
 */
static void expect_valid_json(const char *text)
{
#ifdef MSP_TEST_JSONC
	json_object_put(json_parse_all(text));
#else
	int depth = 0;
	bool in_str = false;

	for (const char *p = text; *p; p++) {
		if (in_str) {
			if (*p == '\\' && p[1])
				p++;
			else if (*p == '"')
				in_str = false;
			else if ((unsigned char)*p < 0x20)
				fail_msg("raw control character in a JSON string");
			continue;
		}
		if (*p == '"')
			in_str = true;
		else if (*p == '{' || *p == '[')
			depth++;
		else if (*p == '}' || *p == ']')
			depth--;
		if (depth < 0)
			fail_msg("unbalanced JSON");
	}
	assert_false(in_str);
	assert_int_equal(depth, 0);
	assert_int_equal(text[0], '{');
	assert_string_equal(text + strlen(text) - 2, "}\n");
#endif
}

static bool starts_with(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* Number of lines (each must end in '\n'). */
static size_t count_lines(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		if (*s == '\n')
			n++;
	return n;
}

/* ------------------------------------------------ the four formats */

static void test_render__nagios_small_tree_exact(void **state)
{
	struct msp_result *r = small_tree();
	char *out = render(r, MSP_FORMAT_NAGIOS);

	(void)state;
	assert_string_equal(out, "DISK CRITICAL - 1 critical, 1 warning | /=40%;80;90;0;100 /data=95.5%;80;90;0;100 "
				 "'my var'=85%;80;90\n"
				 "[CRITICAL] /data 95.5% used\n"
				 "[WARNING] /var 85% used\n"
				 "  [WARNING] inodes 85% used\n"
				 "[OK] / 40% used\n");
	free(out);
	msp_result_free(r);
}

static void test_render__multiline_small_tree_exact(void **state)
{
	struct msp_result *r = small_tree();
	char *out = render(r, MSP_FORMAT_MULTILINE);

	(void)state;
	assert_string_equal(out, "[CRITICAL] - 1 critical, 1 warning\n"
				 "\t\\_[CRITICAL] - /data 95.5% used\n"
				 "\t\\_[WARNING] - /var 85% used\n"
				 "\t\t\\_[WARNING] - inodes 85% used\n"
				 "\t\\_[OK] - / 40% used\n"
				 "|/=40%;80;90;0;100 /data=95.5%;80;90;0;100 'my var'=85%;80;90\n");
	free(out);
	msp_result_free(r);
}

static const char small_tree_json[] =
	"{\"version\":1,\"plugin\":\"check_disk\",\"service\":\"DISK\",\"state\":\"CRITICAL\",\"exit_code\":2,"
	"\"summary\":\"1 critical, 1 warning\",\"checks\":["
	"{\"state\":\"OK\",\"output\":\"/ 40% used\",\"checks\":[]},"
	"{\"state\":\"CRITICAL\",\"output\":\"/data 95.5% used\",\"checks\":[]},"
	"{\"state\":\"WARNING\",\"output\":\"/var 85% used\",\"checks\":["
	"{\"state\":\"WARNING\",\"output\":\"inodes 85% used\",\"checks\":[]}]}],"
	"\"perfdata\":["
	"{\"label\":\"/\",\"value\":40,\"uom\":\"%\",\"warn\":\"80\",\"crit\":\"90\",\"min\":0,\"max\":100},"
	"{\"label\":\"/data\",\"value\":95.5,\"uom\":\"%\",\"warn\":\"80\",\"crit\":\"90\",\"min\":0,\"max\":100},"
	"{\"label\":\"my var\",\"value\":85,\"uom\":\"%\",\"warn\":\"80\",\"crit\":\"90\","
	"\"min\":null,\"max\":null}]}\n";

static void test_render__json_small_tree_exact_and_valid(void **state)
{
	struct msp_result *r = small_tree();
	char *out = render(r, MSP_FORMAT_JSON);

	(void)state;
	assert_string_equal(out, small_tree_json);
	expect_valid_json(out);
#ifdef MSP_TEST_JSONC
	{
		struct json_object *o = json_parse_all(out), *perf, *checks;

		assert_int_equal(json_object_get_int(json_get(o, "version")), 1);
		assert_string_equal(json_object_get_string(json_get(o, "state")), "CRITICAL");
		assert_int_equal(json_object_get_int(json_get(o, "exit_code")), 2);
		checks = json_get(o, "checks");
		assert_int_equal(json_object_array_length(checks), 3);
		perf = json_get(o, "perfdata");
		assert_int_equal(json_object_array_length(perf), 3);
		/* numbers are JSON numbers, thresholds strings, absent ones null */
		assert_true(
			json_object_is_type(json_get(json_object_array_get_idx(perf, 1), "value"), json_type_double));
		assert_true(json_object_get_double(json_get(json_object_array_get_idx(perf, 1), "value")) == 95.5);
		assert_true(json_object_is_type(json_get(json_object_array_get_idx(perf, 0), "value"), json_type_int));
		assert_true(
			json_object_is_type(json_get(json_object_array_get_idx(perf, 0), "warn"), json_type_string));
		assert_true(json_object_is_type(json_get(json_object_array_get_idx(perf, 2), "min"), json_type_null));
		json_object_put(o);
	}
#endif
	free(out);
	msp_result_free(r);
}

static void test_render__prometheus_small_tree_exact(void **state)
{
	struct msp_result *r = small_tree();
	char *out = render(r, MSP_FORMAT_PROMETHEUS);

	(void)state;
	assert_string_equal(out, "# HELP msp_check_state Plugin state: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN.\n"
				 "# TYPE msp_check_state gauge\n"
				 "msp_check_state{plugin=\"check_disk\"} 2\n"
				 "# HELP msp_perfdata Performance data item of the check, in its unit of measure.\n"
				 "# TYPE msp_perfdata gauge\n"
				 "msp_perfdata{plugin=\"check_disk\",label=\"/\",uom=\"%\"} 40\n"
				 "msp_perfdata{plugin=\"check_disk\",label=\"/data\",uom=\"%\"} 95.5\n"
				 "msp_perfdata{plugin=\"check_disk\",label=\"my var\",uom=\"%\"} 85\n");
	free(out);
	msp_result_free(r);
}

static void test_render__formats_agree_in_german_locale(void **state)
{
	struct msp_result *r;
	char *out;

	(void)state;
	use_german_locale();
	r = small_tree();
	out = render(r, MSP_FORMAT_JSON);
	assert_string_equal(out, small_tree_json);
	free(out);
	out = render(r, MSP_FORMAT_NAGIOS);
	assert_non_null(strstr(out, " /data=95.5%;80;90;0;100 "));
	free(out);
	out = render(r, MSP_FORMAT_PROMETHEUS);
	assert_non_null(strstr(out, "label=\"/data\",uom=\"%\"} 95.5\n"));
	free(out);
	msp_result_free(r);
}

static void test_render__format_names(void **state)
{
	enum msp_format f = MSP_FORMAT_NAGIOS;
	struct msp_error err;

	(void)state;
	msp_error_init(&err);
	assert_int_equal(msp_format_parse("json", &f, NULL), 0);
	assert_int_equal(f, MSP_FORMAT_JSON);
	assert_int_equal(msp_format_parse("Multi-Line", &f, NULL), 0);
	assert_int_equal(f, MSP_FORMAT_MULTILINE);
	assert_int_equal(msp_format_parse("PROMETHEUS", &f, NULL), 0);
	assert_int_equal(f, MSP_FORMAT_PROMETHEUS);
	assert_int_equal(msp_format_parse("Table", &f, NULL), 0);
	assert_int_equal(f, MSP_FORMAT_TABLE);
	assert_int_equal(msp_format_parse("nagios", &f, NULL), 0);
	assert_int_equal(f, MSP_FORMAT_NAGIOS);
	assert_int_equal(msp_format_parse("multiline", &f, &err), MSP_EINVAL);
	assert_int_equal(msp_format_parse("", &f, &err), MSP_EINVAL);
	assert_int_equal(msp_format_parse("xml", &f, &err), MSP_EINVAL);
	assert_string_equal(err.msg, "output format 'xml' is not nagios, multi-line, json, prometheus or table");
	assert_int_equal(msp_format_parse(NULL, &f, &err), MSP_EINVAL);
	assert_string_equal(err.msg, "output format '' is not nagios, multi-line, json, prometheus or table");
	assert_int_equal(f, MSP_FORMAT_NAGIOS);
}

/* ------------------------------------------------ named children, table */

/* Two named children as check_bundle builds them: a run with perfdata and a failed one. */
static struct msp_result *named_tree(void)
{
	struct msp_result *r = msp_result_new(), *c;

	assert_non_null(r);
	assert_int_equal(msp_result_set_text(r, "UNKNOWN: memory; 1 of 2 OK"), 0);
	c = msp_result_add_child(r, MSP_STATE_OK, "DISK OK - 82%% free");
	assert_int_equal(msp_result_set_name(c, "disk"), 0);
	assert_non_null(msp_result_add_perf(c, "disk::/", 17, "B", NULL));
	c = msp_result_add_child(r, MSP_STATE_UNKNOWN, "plugin not found: /x/check_mem");
	assert_int_equal(msp_result_set_name(c, "memory"), 0);
	assert_non_null(msp_result_add_note(c, "a note"));
	return r;
}

static void test_render__named_children_in_every_format(void **state)
{
	struct msp_result *r = named_tree();
	char *out;

	(void)state;
	out = render(r, MSP_FORMAT_NAGIOS);
	assert_string_equal(out, "DISK UNKNOWN - UNKNOWN: memory; 1 of 2 OK | disk::/=17B\n"
				 "[UNKNOWN] memory: plugin not found: /x/check_mem\n"
				 "  a note\n"
				 "[OK] disk: DISK OK - 82% free\n");
	free(out);
	out = render(r, MSP_FORMAT_MULTILINE);
	assert_string_equal(out, "[UNKNOWN] - UNKNOWN: memory; 1 of 2 OK\n"
				 "\t\\_[UNKNOWN] - memory: plugin not found: /x/check_mem\n"
				 "\t\t\\_ a note\n"
				 "\t\\_[OK] - disk: DISK OK - 82% free\n"
				 "|disk::/=17B\n");
	free(out);
	out = render(r, MSP_FORMAT_JSON);
	assert_string_equal(out, "{\"version\":1,\"plugin\":\"check_disk\",\"service\":\"DISK\",\"state\":\"UNKNOWN\","
				 "\"exit_code\":3,\"summary\":\"UNKNOWN: memory; 1 of 2 OK\",\"checks\":["
				 "{\"name\":\"disk\",\"state\":\"OK\",\"output\":\"DISK OK - 82% free\",\"checks\":[],"
				 "\"perfdata\":[{\"label\":\"disk::/\",\"value\":17,\"uom\":\"B\",\"warn\":null,"
				 "\"crit\":null,\"min\":null,\"max\":null}]},"
				 "{\"name\":\"memory\",\"state\":\"UNKNOWN\",\"output\":\"plugin not found: "
				 "/x/check_mem\",\"checks\":[],\"notes\":[\"a note\"]}],"
				 "\"perfdata\":[{\"label\":\"disk::/\",\"value\":17,\"uom\":\"B\",\"warn\":null,"
				 "\"crit\":null,\"min\":null,\"max\":null}]}\n");
	expect_valid_json(out);
	free(out);
	out = render(r, MSP_FORMAT_TABLE);
	assert_string_equal(out, "DISK UNKNOWN - UNKNOWN: memory; 1 of 2 OK\n"
				 "UNKNOWN   memory  plugin not found: /x/check_mem\n"
				 "OK        disk    DISK OK - 82% free\n");
	free(out);
	msp_result_free(r);
}

static void test_render__table_without_names_and_with_notes(void **state)
{
	struct msp_result *r = small_tree();
	char *out;

	(void)state;
	assert_non_null(msp_result_add_note(r, "listed | only"));
	out = render(r, MSP_FORMAT_TABLE);
	assert_string_equal(out, "DISK CRITICAL - 1 critical, 1 warning\n"
				 "CRITICAL  /data 95.5% used\n"
				 "WARNING   /var 85% used\n"
				 "OK        / 40% used\n"
				 "listed / only\n");
	free(out);
	msp_result_free(r);
}

static void test_render__json_drops_named_perfdata_before_checks(void **state)
{
	struct msp_result *r = msp_result_new(), *c;
	char label[64], *out;

	(void)state;
	assert_int_equal(msp_result_set_text(r, "big bundle"), 0);
	/* each item is in the tree twice in json: under its check and in the top-level list */
	for (int i = 0; i < 8; i++) {
		snprintf(label, sizeof(label), "c%d", i);
		c = msp_result_add_child(r, MSP_STATE_OK, "fine");
		assert_int_equal(msp_result_set_name(c, label), 0);
		for (int k = 0; k < 6; k++) {
			snprintf(label, sizeof(label), "c%d::item_with_a_longish_label_%d", i, k);
			assert_non_null(msp_result_add_perf(c, label, k, "", NULL));
		}
	}
	out = render(r, MSP_FORMAT_JSON);
	assert_true(strlen(out) <= MSP_OUTPUT_MAX);
	assert_non_null(strstr(out, "{\"name\":\"c7\",\"state\":\"OK\",\"output\":\"fine\",\"checks\":[]}"));
	assert_non_null(strstr(out, "{\"label\":\"c7::item_with_a_longish_label_5\""));
	assert_non_null(strstr(out, "\"truncated\":true"));
	expect_valid_json(out);
	free(out);
	msp_result_free(r);
}

/* ------------------------------------------------ order and summary */

static void test_render__long_output_worst_first_and_stable(void **state)
{
	struct msp_result *r = msp_result_new();
	char *out;

	(void)state;
	msp_result_set_text(r, "five things");
	msp_result_add_child(r, MSP_STATE_OK, "ok one");
	msp_result_add_child(r, MSP_STATE_WARNING, "warn one");
	msp_result_add_child(r, MSP_STATE_UNKNOWN, "unknown one");
	msp_result_add_child(r, MSP_STATE_OK, "ok two");
	msp_result_add_child(r, MSP_STATE_CRITICAL, "crit one");
	msp_result_add_child(r, MSP_STATE_WARNING, "warn two");
	out = render(r, MSP_FORMAT_NAGIOS);
	/* CRITICAL > UNKNOWN > WARNING > OK; equal states keep their order */
	assert_string_equal(out, "DISK CRITICAL - five things\n"
				 "[CRITICAL] crit one\n"
				 "[UNKNOWN] unknown one\n"
				 "[WARNING] warn one\n"
				 "[WARNING] warn two\n"
				 "[OK] ok one\n"
				 "[OK] ok two\n");
	free(out);
	msp_result_free(r);
}

static void test_render__notes_last_without_state_in_every_format(void **state)
{
	struct msp_result *r = msp_result_new();
	char *out;

	(void)state;
	msp_result_set_text(r, "one judged, two listed");
	msp_result_add_note(r, "listed first");
	msp_result_add_child(r, MSP_STATE_WARNING, "judged");
	msp_result_add_note(r, "listed second");
	/* notes never change the state: the warning decides */
	assert_int_equal(msp_result_state(r), MSP_STATE_WARNING);
	out = render(r, MSP_FORMAT_NAGIOS);
	assert_string_equal(out, "DISK WARNING - one judged, two listed\n"
				 "[WARNING] judged\n"
				 "listed first\n"
				 "listed second\n");
	free(out);
	out = render(r, MSP_FORMAT_MULTILINE);
	assert_string_equal(out, "[WARNING] - one judged, two listed\n"
				 "\t\\_[WARNING] - judged\n"
				 "\t\\_ listed first\n"
				 "\t\\_ listed second\n");
	free(out);
	out = render(r, MSP_FORMAT_JSON);
	assert_string_equal(out, "{\"version\":1,\"plugin\":\"check_disk\",\"service\":\"DISK\",\"state\":\"WARNING\","
				 "\"exit_code\":1,\"summary\":\"one judged, two listed\","
				 "\"checks\":[{\"state\":\"WARNING\",\"output\":\"judged\",\"checks\":[]}],"
				 "\"notes\":[\"listed first\",\"listed second\"],\"perfdata\":[]}\n");
	free(out);
	msp_result_free(r);
}

static void test_render__only_notes_is_unknown(void **state)
{
	struct msp_result *r = msp_result_new();
	char *out;

	(void)state;
	msp_result_add_note(r, "a listing is not a result");
	assert_int_equal(msp_result_state(r), MSP_STATE_UNKNOWN);
	out = render(r, MSP_FORMAT_NAGIOS);
	assert_string_equal(out, "DISK UNKNOWN - no result\na listing is not a result\n");
	free(out);
	msp_result_free(r);
}

static void test_render__summary_falls_back_to_worst_child(void **state)
{
	struct msp_result *r = msp_result_new();
	char *out;

	(void)state;
	msp_result_add_child(r, MSP_STATE_OK, "fine");
	msp_result_add_child(r, MSP_STATE_WARNING, "first warning");
	msp_result_add_child(r, MSP_STATE_WARNING, "second warning");
	out = render(r, MSP_FORMAT_NAGIOS);
	assert_string_equal(out, "DISK WARNING - first warning\n"
				 "[WARNING] first warning\n"
				 "[WARNING] second warning\n"
				 "[OK] fine\n");
	free(out);
	msp_result_free(r);
}

static void test_render__empty_tree_is_unknown(void **state)
{
	struct msp_result *r = msp_result_new();
	char *out;

	(void)state;
	out = render(r, MSP_FORMAT_NAGIOS);
	assert_string_equal(out, "DISK UNKNOWN - no result\n");
	free(out);
	out = render(r, MSP_FORMAT_MULTILINE);
	assert_string_equal(out, "[UNKNOWN] - no result\n");
	free(out);
	out = render(r, MSP_FORMAT_JSON);
	assert_string_equal(out, "{\"version\":1,\"plugin\":\"check_disk\",\"service\":\"DISK\",\"state\":\"UNKNOWN\","
				 "\"exit_code\":3,\"summary\":\"no result\",\"checks\":[],\"perfdata\":[]}\n");
	expect_valid_json(out);
	free(out);
	out = render(r, MSP_FORMAT_PROMETHEUS);
	assert_string_equal(out, "# HELP msp_check_state Plugin state: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN.\n"
				 "# TYPE msp_check_state gauge\n"
				 "msp_check_state{plugin=\"check_disk\"} 3\n");
	free(out);
	msp_result_free(r);
}

/* ------------------------------------------------------- sanitising */

static void expect_sanitised(const char *in, const char *want)
{
	struct msp_buf b;

	msp_buf_init(&b, 4096);
	assert_int_equal(msp_render_text(&b, in), 0);
	if (strcmp(msp_buf_str(&b), want) != 0)
		fail_msg("'%s' sanitised to '%s', expected '%s'", in, msp_buf_str(&b), want);
	msp_buf_release(&b);
}

static void test_render__bar_replaced(void **state)
{
	(void)state;
	expect_sanitised("a|b", "a/b");
	expect_sanitised("|||", "///");
}

static void test_render__control_characters_replaced(void **state)
{
	(void)state;
	expect_sanitised("line\nbreak", "line?break");
	expect_sanitised("cr\rlf", "cr?lf");
	expect_sanitised("tab\there", "tab here");
	expect_sanitised("bell\a esc\x1b[31m del\x7f", "bell? esc?[31m del?");
}

static void test_render__invalid_utf8_replaced(void **state)
{
	(void)state;
	expect_sanitised("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80", "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80");
	expect_sanitised("bad \xff byte", "bad ? byte");
	expect_sanitised("overlong \xc0\xaf", "overlong ??");
	expect_sanitised("surrogate \xed\xa0\x80", "surrogate ???");
	expect_sanitised("cut \xe2\x82", "cut ??");
	expect_sanitised("lone \x80 continuation", "lone ? continuation");
	expect_sanitised("too big \xf4\x90\x80\x80", "too big ????");
}

static void test_render__dollar_at_word_start_replaced(void **state)
{
	(void)state;
	expect_sanitised("$USER$", "_USER$");
	expect_sanitised("path $HOME and\t$X", "path _HOME and _X");
	expect_sanitised("cost 5$ a$b", "cost 5$ a$b");
}

static void test_render__tree_text_sanitised_in_every_format(void **state)
{
	struct msp_result *r = msp_result_new();
	char *out;

	(void)state;
	msp_result_set_state(r, MSP_STATE_WARNING);
	msp_result_set_text(r, "sum|mary\n$HOSTNAME$ \xff");
	msp_result_add_child(r, MSP_STATE_WARNING, "child|text\r\n");
	out = render(r, MSP_FORMAT_NAGIOS);
	assert_string_equal(out, "DISK WARNING - sum/mary?_HOSTNAME$ ?\n"
				 "[WARNING] child/text??\n");
	free(out);
	out = render(r, MSP_FORMAT_JSON);
	assert_non_null(strstr(out, "\"summary\":\"sum/mary?_HOSTNAME$ ?\""));
	assert_non_null(strstr(out, "\"output\":\"child/text??\""));
	expect_valid_json(out);
	free(out);
	msp_result_free(r);
}

static void test_render__json_escapes_labels(void **state)
{
	struct msp_result *r = msp_result_new();
	char *out;

	(void)state;
	msp_result_set_state(r, MSP_STATE_OK);
	msp_result_set_text(r, "say \"hi\" \\o/");
	msp_result_add_perf(r, "quote\"back\\slash", 1, "", NULL);
	msp_result_add_perf(r, "ctl\x01\xff", 2, "", NULL);
	out = render(r, MSP_FORMAT_JSON);
	assert_non_null(strstr(out, "\"summary\":\"say \\\"hi\\\" \\\\o/\""));
	assert_non_null(strstr(out, "\"label\":\"quote\\\"back\\\\slash\""));
	assert_non_null(strstr(out, "\"label\":\"ctl_?\""));
	expect_valid_json(out);
	free(out);
	out = render(r, MSP_FORMAT_PROMETHEUS);
	assert_non_null(strstr(out, "label=\"quote\\\"back\\\\slash\""));
	assert_non_null(strstr(out, "label=\"ctl_?\""));
	free(out);
	msp_result_free(r);
}

/*
 * A label is cleaned one way in every format: invalid UTF-8 '?' as in a
 * summary, control characters and '|' '_' (msp_perf.h), valid UTF-8 kept.
 */
static void test_render__labels_cleaned_alike_in_every_format(void **state)
{
	static const enum msp_format text_formats[] = { MSP_FORMAT_NAGIOS, MSP_FORMAT_MULTILINE };
	struct msp_result *r = msp_result_new();
	char *out;

	(void)state;
	msp_result_set_state(r, MSP_STATE_OK);
	msp_result_set_text(r, "s\xff");
	msp_result_add_perf(r, "a\x01" "b\xff" "c d\xc3\xa9\xe9", 1, "", NULL);
	msp_result_add_perf(r, "x|y", 2, "", NULL);
	for (size_t i = 0; i < 2; i++) {
		out = render(r, text_formats[i]);
		/* the summary's invalid byte is cleaned to '?', and the label's the same way */
		assert_non_null(strstr(out, "s?"));
		assert_non_null(strstr(out, "'a_b?c d\xc3\xa9?'=1 x_y=2"));
		free(out);
	}
	out = render(r, MSP_FORMAT_JSON);
	assert_non_null(strstr(out, "\"label\":\"a_b?c d\xc3\xa9?\""));
	assert_non_null(strstr(out, "\"label\":\"x_y\""));
	expect_valid_json(out);
	free(out);
	out = render(r, MSP_FORMAT_PROMETHEUS);
	assert_non_null(strstr(out, "label=\"a_b?c d\xc3\xa9?\""));
	assert_non_null(strstr(out, "label=\"x_y\""));
	free(out);
	msp_result_free(r);
}

static void test_render__summary_cut_at_1024_bytes(void **state)
{
	struct msp_result *r = msp_result_new();
	char *text = malloc(5001), *out;

	(void)state;
	/* 1023 ASCII bytes, then two-byte characters: the cut must not split one */
	memset(text, 'a', 1023);
	for (int i = 1023; i + 1 < 5000; i += 2) {
		text[i] = '\xc3';
		text[i + 1] = '\xa9';
	}
	text[4999] = '\0';
	msp_result_set_state(r, MSP_STATE_OK);
	msp_result_set_text(r, "%s", text);
	out = render(r, MSP_FORMAT_NAGIOS);
	assert_int_equal(strncmp(out, "DISK OK - ", 10), 0);
	assert_int_equal(strspn(out + 10, "a"), 1023);
	assert_string_equal(out + 10 + 1023, "...\n");
	free(out);
	free(text);
	msp_result_free(r);
}

/* ------------------------------------------------------------ the cap */

/*
 * n children, one of them CRITICAL (the one at n/2), each with one perfdata
 * item with a label of label_len bytes plus "c<index>".
 */
static struct msp_result *big_tree(int n, size_t label_len)
{
	struct msp_result *r = msp_result_new();
	char *label = malloc(label_len + 16);

	assert_non_null(label);
	msp_result_set_text(r, "%d children", n);
	for (int i = 0; i < n; i++) {
		struct msp_result *c;

		if (i == n / 2)
			c = msp_result_add_child(r, MSP_STATE_CRITICAL, "child %05d is broken", i);
		else
			c = msp_result_add_child(r, MSP_STATE_OK, "child %05d is fine", i);
		assert_non_null(c);
		memset(label, 'l', label_len);
		snprintf(label + label_len, 16, "c%05d", i);
		assert_non_null(msp_result_add_perf(c, label, i, "", NULL));
	}
	free(label);
	return r;
}

/* Every perfdata item in text (space separated) looks like "c<5 digits>=<number>". */
static void expect_whole_perf_items(const char *text, size_t *ret_n)
{
	char *copy = strdup(text), *save = NULL;
	size_t n = 0;

	for (char *t = strtok_r(copy, " ", &save); t; t = strtok_r(NULL, " ", &save)) {
		int idx = -1, val = -1, used = 0;

		if (sscanf(t, "c%5d=%d%n", &idx, &val, &used) != 2 || t[used] != '\0' || idx != val)
			fail_msg("perfdata item '%.80s' is not whole", t);
		n++;
	}
	free(copy);
	*ret_n = n;
}

static void test_render__nagios_capped_with_line_one_intact(void **state)
{
	struct msp_result *r = big_tree(10000, 0);
	char *out = render(r, MSP_FORMAT_NAGIOS), *nl, *line2, *mark;
	size_t nperf = 0;

	(void)state;
	assert_true(strlen(out) <= MSP_OUTPUT_MAX);
	nl = strchr(out, '\n');
	assert_non_null(nl);
	*nl = '\0';
	assert_true(starts_with(out, "DISK CRITICAL - 10000 children | c00000=0 c00001=1 "));
	expect_whole_perf_items(strstr(out, " | ") + 3, &nperf);
	assert_true(nperf > 100);
	line2 = nl + 1;
	/* the critical child is first, even though it was added in the middle */
	assert_true(starts_with(line2, "[CRITICAL] child 05000 is broken\n[OK] child 00000 is fine\n"));
	mark = strstr(line2, TRUNC_MARK "\n");
	assert_non_null(mark);
	assert_string_equal(mark, TRUNC_MARK "\n"); /* the marker is the last line */
	/* every line before the marker is a whole child line */
	for (char *p = strchr(line2, '\n') + 1; p < mark; p = strchr(p, '\n') + 1)
		assert_true(starts_with(p, "[OK] child "));
	assert_true(count_lines(line2) > 100);
	free(out);
	msp_result_free(r);
}

static void test_render__multiline_capped_with_perfdata_last(void **state)
{
	struct msp_result *r = big_tree(10000, 0);
	char *out = render(r, MSP_FORMAT_MULTILINE), *mark, *last;
	size_t len = strlen(out), nperf = 0;

	(void)state;
	assert_true(len <= MSP_OUTPUT_MAX);
	assert_true(starts_with(out, "[CRITICAL] - 10000 children\n\t\\_[CRITICAL] - child 05000 is broken\n"));
	mark = strstr(out, "\n" TRUNC_MARK "\n|");
	assert_non_null(mark);
	last = mark + 1 + strlen(TRUNC_MARK) + 1;
	assert_int_equal(out[len - 1], '\n');
	out[len - 1] = '\0';
	assert_null(strchr(last, '\n'));
	expect_whole_perf_items(last + 1, &nperf);
	assert_true(nperf > 100);
	free(out);
	msp_result_free(r);
}

static void test_render__json_valid_when_cut(void **state)
{
	struct msp_result *r = big_tree(10000, 0);
	char *out = render(r, MSP_FORMAT_JSON);

	(void)state;
	assert_true(strlen(out) <= MSP_OUTPUT_MAX);
	assert_true(starts_with(out, "{\"version\":1,\"plugin\":\"check_disk\",\"service\":\"DISK\","
				     "\"state\":\"CRITICAL\",\"exit_code\":2,\"summary\":\"10000 children\","));
	assert_non_null(strstr(out, "\"truncated\":true"));
	expect_valid_json(out);
	free(out);
	msp_result_free(r);
}

static void test_render__json_valid_when_cut_with_long_labels(void **state)
{
	static const size_t label_lens[] = { 1500, 3000, 7000, 9000 };

	(void)state;
	for (size_t i = 0; i < sizeof(label_lens) / sizeof(label_lens[0]); i++) {
		struct msp_result *r = big_tree(label_lens[i] ? 40 : 10000, label_lens[i]);
		char *out = render(r, MSP_FORMAT_JSON);

		if (strlen(out) > MSP_OUTPUT_MAX)
			fail_msg("labels of %zu bytes: %zu bytes of output", label_lens[i], strlen(out));
		assert_non_null(strstr(out, "\"state\":\"CRITICAL\""));
		assert_non_null(strstr(out, "\"truncated\":true"));
		expect_valid_json(out);
		free(out);
		msp_result_free(r);
	}
}

static void expect_whole_prometheus_lines(const char *out)
{
	const char *p = out;

	assert_int_equal(out[strlen(out) - 1], '\n');
	while (*p) {
		const char *nl = strchr(p, '\n');

		if (*p != '#' && !starts_with(p, "msp_check_state{plugin=\"check_disk\"} ") &&
		    !starts_with(p, "msp_perfdata{plugin=\"check_disk\",label=\""))
			fail_msg("not a metric line: %.80s", p);
		if (starts_with(p, "msp_perfdata") && !strstr(p, ",uom=\"\"} "))
			fail_msg("metric line cut: %.80s", p);
		p = nl + 1;
	}
}

static void test_render__prometheus_capped_with_whole_lines(void **state)
{
	static const size_t label_lens[] = { 0, 1500, 3000, 7000, 9000 };

	(void)state;
	for (size_t i = 0; i < sizeof(label_lens) / sizeof(label_lens[0]); i++) {
		struct msp_result *r = big_tree(label_lens[i] ? 40 : 10000, label_lens[i]);
		char *out = render(r, MSP_FORMAT_PROMETHEUS);

		if (strlen(out) > MSP_OUTPUT_MAX)
			fail_msg("labels of %zu bytes: %zu bytes of output", label_lens[i], strlen(out));
		assert_true(starts_with(out,
					"# HELP msp_check_state Plugin state: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN.\n"
					"# TYPE msp_check_state gauge\n"
					"msp_check_state{plugin=\"check_disk\"} 2\n"));
		expect_whole_prometheus_lines(out);
		assert_string_equal(out + strlen(out) - 19, "# output truncated\n");
		free(out);
		msp_result_free(r);
	}
}

static void test_render__nagios_drops_oversized_perfdata_whole(void **state)
{
	struct msp_result *r = big_tree(40, 1500);
	char *out = render(r, MSP_FORMAT_NAGIOS), *nl;

	(void)state;
	assert_true(strlen(out) <= MSP_OUTPUT_MAX);
	nl = strchr(out, '\n');
	*nl = '\0';
	/* items that fit are whole: each ends in "c<idx>=<idx>" */
	for (char *p = strstr(out, " | ") + 3; p && *p;) {
		char *sp = strchr(p, ' ');
		int idx = -1, val = -1;

		if (sp)
			*sp = '\0';
		assert_int_equal(strspn(p, "l"), 1500);
		assert_int_equal(sscanf(p + 1500, "c%5d=%d", &idx, &val), 2);
		assert_int_equal(idx, val);
		p = sp ? sp + 1 : NULL;
	}
	free(out);
	msp_result_free(r);
}

/* A non-finite value is "undetermined" in every format: U, null, NaN; never 0. */
static void test_render__non_finite_perf_value_is_not_zero(void **state)
{
	struct msp_result *r = msp_result_new();
	struct msp_perf *p;
	char *out;

	(void)state;
	msp_result_set_state(r, MSP_STATE_UNKNOWN);
	msp_result_set_text(r, "no reading");
	p = msp_result_add_perf(r, "temp", 0.0 / 0.0, "", NULL);
	assert_non_null(p);
	p->has_max = true;
	p->max = 1.0 / 0.0;
	out = render(r, MSP_FORMAT_NAGIOS);
	assert_string_equal(out, "DISK UNKNOWN - no reading | temp=U\n");
	free(out);
	out = render(r, MSP_FORMAT_JSON);
	assert_non_null(strstr(out, "{\"label\":\"temp\",\"value\":null,\"uom\":\"\",\"warn\":null,\"crit\":null,"
				    "\"min\":null,\"max\":null}"));
	expect_valid_json(out);
	free(out);
	out = render(r, MSP_FORMAT_PROMETHEUS);
	assert_non_null(strstr(out, "label=\"temp\",uom=\"\"} NaN\n"));
	free(out);
	msp_result_free(r);
}

/* A long name and a long text on one child line: cut, but the line ends and the next child keeps its own. */
static void test_render__long_name_and_text_keep_their_line(void **state)
{
	static const enum msp_format formats[] = { MSP_FORMAT_NAGIOS, MSP_FORMAT_MULTILINE };
	struct msp_result *r = msp_result_new(), *c;
	char name[701], text[1201];
	char *out;

	(void)state;
	memset(name, 'n', sizeof(name) - 1);
	name[sizeof(name) - 1] = '\0';
	memset(text, 't', sizeof(text) - 1);
	text[sizeof(text) - 1] = '\0';
	msp_result_set_text(r, "summary");
	c = msp_result_add_child(r, MSP_STATE_CRITICAL, "%s", text);
	assert_non_null(c);
	msp_result_set_name(c, name);
	msp_result_add_child(r, MSP_STATE_OK, "second child");
	for (size_t i = 0; i < 2; i++) {
		const char *second, *want;

		out = render(r, formats[i]);
		second = strstr(out, "second child");
		assert_non_null(second);
		/* the second child starts its own line */
		while (second > out && second[-1] != '\n')
			second--;
		want = formats[i] == MSP_FORMAT_NAGIOS ? "[OK] second child\n" : "\t\\_[OK] - second child\n";
		assert_true(strncmp(second, want, strlen(want)) == 0);
		free(out);
	}
	msp_result_free(r);
}

/* ------------------------------------------------ prometheus labels */

static char *render_prom(const struct msp_result *root, const char *plugin, const char *labels)
{
	struct msp_buf b;

	msp_buf_init(&b, OUT_CEILING);
	assert_int_equal(msp_render_prometheus(root, plugin, labels, &b), 0);
	return msp_buf_detach(&b);
}

/* A bundle's checks each get a state sample; every sample carries the run's labels. */
static void test_render__prometheus_labels_and_check_states(void **state)
{
	struct msp_result *r = named_tree();
	char *out;

	(void)state;
	out = render_prom(r, "check_bundle", "args=\"0123abcd\"");
	assert_string_equal(out, "# HELP msp_check_state Plugin state: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN.\n"
				 "# TYPE msp_check_state gauge\n"
				 "msp_check_state{plugin=\"check_bundle\",args=\"0123abcd\"} 3\n"
				 "msp_check_state{plugin=\"check_bundle\",args=\"0123abcd\",check=\"disk\"} 0\n"
				 "msp_check_state{plugin=\"check_bundle\",args=\"0123abcd\",check=\"memory\"} 3\n"
				 "# HELP msp_perfdata Performance data item of the check, in its unit of measure.\n"
				 "# TYPE msp_perfdata gauge\n"
				 "msp_perfdata{plugin=\"check_bundle\",args=\"0123abcd\",label=\"disk::/\",uom=\"B\"} 17\n");
	free(out);
	/* unnamed children (file systems) have no sample of their own; no labels: plugin alone */
	msp_result_free(r);
	r = small_tree();
	out = render_prom(r, "check_disk", NULL);
	assert_string_equal(out, "# HELP msp_check_state Plugin state: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN.\n"
				 "# TYPE msp_check_state gauge\n"
				 "msp_check_state{plugin=\"check_disk\"} 2\n"
				 "# HELP msp_perfdata Performance data item of the check, in its unit of measure.\n"
				 "# TYPE msp_perfdata gauge\n"
				 "msp_perfdata{plugin=\"check_disk\",label=\"/\",uom=\"%\"} 40\n"
				 "msp_perfdata{plugin=\"check_disk\",label=\"/data\",uom=\"%\"} 95.5\n"
				 "msp_perfdata{plugin=\"check_disk\",label=\"my var\",uom=\"%\"} 85\n");
	free(out);
	msp_result_free(r);
}

static void test_render__prometheus_label_names_checked(void **state)
{
	static const char *const bad[] = { "", "1abc", "a-b", "__name", "plugin", "check", "label", "uom", "a b", "job" };
	struct msp_buf labels;
	struct msp_error err;

	(void)state;
	msp_buf_init(&labels, 4096);
	assert_int_equal(msp_prom_label_add(&labels, "name", "root fs", NULL), 0);
	assert_int_equal(msp_prom_label_add(&labels, "site_2", "a\"b\\c\nd", NULL), 0);
	assert_string_equal(msp_buf_str(&labels), "name=\"root fs\",site_2=\"a\\\"b\\\\c\\nd\"");
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		msp_error_init(&err);
		if (msp_prom_label_add(&labels, bad[i], "x", &err) != MSP_EINVAL)
			fail_msg("label name '%s' accepted", bad[i]);
		assert_true(starts_with(err.msg, "prometheus label name '"));
	}
	msp_error_init(&err);
	assert_int_equal(msp_prom_label_add(&labels, "name", "again", &err), MSP_EINVAL);
	assert_string_equal(err.msg, "prometheus label 'name' is given twice");
	assert_string_equal(msp_buf_str(&labels), "name=\"root fs\",site_2=\"a\\\"b\\\\c\\nd\"");
	msp_buf_release(&labels);
}

#ifdef MSP_TEST_JSONC
/* ------------------------------------------- the documented JSON schema */

/* Keys of o must be among allowed (a NULL-ended list) and include every key of required; types checked by caller. */
static void expect_keys(struct json_object *o, const char *where, const char *const *allowed, const char *const *required)
{
	assert_true(json_object_is_type(o, json_type_object));
	json_object_object_foreach(o, key, val)
	{
		bool ok = false;

		(void)val;
		for (const char *const *a = allowed; *a; a++)
			ok |= strcmp(*a, key) == 0;
		if (!ok)
			fail_msg("%s has the undocumented key '%s'", where, key);
	}
	for (const char *const *r = required; *r; r++)
		if (!json_object_object_get_ex(o, *r, NULL))
			fail_msg("%s lacks the key '%s'", where, *r);
}

static void expect_type(struct json_object *o, const char *key, enum json_type t, bool nullable, const char *where)
{
	struct json_object *v = NULL;

	if (!json_object_object_get_ex(o, key, &v))
		return;
	if (!(json_object_is_type(v, t) || (nullable && json_object_is_type(v, json_type_null))))
		fail_msg("%s: '%s' is a %s, documented %s%s", where, key, json_type_to_name(json_object_get_type(v)),
			 json_type_to_name(t), nullable ? " or null" : "");
}

static void expect_schema_perfdata(struct json_object *list)
{
	static const char *const keys[] = { "label", "value", "uom", "warn", "crit", "min", "max", NULL };

	assert_true(json_object_is_type(list, json_type_array));
	for (size_t i = 0; i < json_object_array_length(list); i++) {
		struct json_object *p = json_object_array_get_idx(list, i);

		expect_keys(p, "a perfdata item", keys, keys);
		expect_type(p, "label", json_type_string, false, "perfdata");
		/* value: a number, null when nothing was measured (NaN) */
		if (!json_object_is_type(json_get(p, "value"), json_type_int))
			expect_type(p, "value", json_type_double, true, "perfdata");
		expect_type(p, "uom", json_type_string, false, "perfdata");
		/* the documented exception: thresholds are range text */
		expect_type(p, "warn", json_type_string, true, "perfdata");
		expect_type(p, "crit", json_type_string, true, "perfdata");
		if (!json_object_is_type(json_get(p, "min"), json_type_int))
			expect_type(p, "min", json_type_double, true, "perfdata");
		if (!json_object_is_type(json_get(p, "max"), json_type_int))
			expect_type(p, "max", json_type_double, true, "perfdata");
	}
}

static void expect_schema_notes(struct json_object *o)
{
	struct json_object *n = NULL;

	if (!json_object_object_get_ex(o, "notes", &n))
		return;
	assert_true(json_object_is_type(n, json_type_array));
	assert_true(json_object_array_length(n) > 0); /* present only when there are notes */
	for (size_t i = 0; i < json_object_array_length(n); i++)
		assert_true(json_object_is_type(json_object_array_get_idx(n, i), json_type_string));
}

static void expect_schema_state(struct json_object *o, const char *where)
{
	const char *st = json_object_get_string(json_get(o, "state"));

	expect_type(o, "state", json_type_string, false, where);
	if (strcmp(st, "OK") != 0 && strcmp(st, "WARNING") != 0 && strcmp(st, "CRITICAL") != 0 &&
	    strcmp(st, "UNKNOWN") != 0)
		fail_msg("%s: state '%s'", where, st);
}

static void expect_schema_checks(struct json_object *list, int depth)
{
	static const char *const keys[] = { "name", "state", "duration", "output", "checks", "notes", "perfdata", NULL };
	static const char *const required[] = { "state", "output", "checks", NULL };

	assert_true(json_object_is_type(list, json_type_array));
	assert_true(depth <= 16);
	for (size_t i = 0; i < json_object_array_length(list); i++) {
		struct json_object *c = json_object_array_get_idx(list, i);

		expect_keys(c, "a check", keys, required);
		expect_type(c, "name", json_type_string, false, "check");
		expect_schema_state(c, "check");
		if (json_object_object_get_ex(c, "duration", NULL) &&
		    !json_object_is_type(json_get(c, "duration"), json_type_int))
			expect_type(c, "duration", json_type_double, false, "check");
		expect_type(c, "output", json_type_string, false, "check");
		expect_schema_notes(c);
		if (json_object_object_get_ex(c, "perfdata", NULL)) {
			assert_true(json_object_object_get_ex(c, "name", NULL)); /* only named checks have their own */
			expect_schema_perfdata(json_get(c, "perfdata"));
		}
		expect_schema_checks(json_get(c, "checks"), depth + 1);
	}
}

/* text is a document of schema version 1 exactly as doc/output-formats.md describes it. */
static void expect_schema_v1(const char *text)
{
	static const char *const keys[] = { "version", "plugin",   "service",  "state",     "exit_code", "summary",
					     "checks",  "notes",    "perfdata", "truncated", NULL };
	static const char *const required[] = { "version", "plugin", "service",  "state",
						"exit_code", "summary", "checks", "perfdata", NULL };
	static const char *const states[] = { "OK", "WARNING", "CRITICAL", "UNKNOWN" };
	struct json_object *o = json_parse_all(text);
	int code;

	expect_keys(o, "the document", keys, required);
	expect_type(o, "version", json_type_int, false, "top");
	assert_int_equal(json_object_get_int(json_get(o, "version")), 1);
	expect_type(o, "plugin", json_type_string, false, "top");
	expect_type(o, "service", json_type_string, false, "top");
	expect_schema_state(o, "top");
	expect_type(o, "exit_code", json_type_int, false, "top");
	code = json_object_get_int(json_get(o, "exit_code"));
	assert_true(code >= 0 && code <= 3);
	assert_string_equal(json_object_get_string(json_get(o, "state")), states[code]);
	expect_type(o, "summary", json_type_string, false, "top");
	expect_schema_checks(json_get(o, "checks"), 1);
	expect_schema_notes(o);
	expect_schema_perfdata(json_get(o, "perfdata"));
	if (json_object_object_get_ex(o, "truncated", NULL)) {
		expect_type(o, "truncated", json_type_boolean, false, "top");
		assert_true(json_object_get_boolean(json_get(o, "truncated")));
	}
	json_object_put(o);
}

/* Every kind of tree the renderer meets, checked against the documented schema. */
static void test_render__json_matches_the_documented_schema(void **state)
{
	struct msp_result *trees[6];
	struct msp_perf *p;
	struct msp_buf b;

	(void)state;
	trees[0] = small_tree();
	trees[1] = named_tree();
	msp_result_set_duration(trees[1]->child[0], 1.25);
	trees[2] = msp_result_new(); /* empty: UNKNOWN */
	trees[3] = big_tree(400, 40); /* truncated */
	trees[4] = msp_result_new();
	assert_non_null(msp_result_add_note(trees[4], "only a note"));
	trees[5] = small_tree();
	p = msp_result_add_perf(trees[5], "nothing measured", NAN, "s", NULL);
	assert_non_null(p);
	for (size_t i = 0; i < sizeof(trees) / sizeof(trees[0]); i++) {
		msp_buf_init(&b, OUT_CEILING);
		assert_int_equal(msp_render(trees[i], MSP_FORMAT_JSON, "check_x", "X", &b), 0);
		expect_schema_v1(msp_buf_str(&b));
		msp_buf_release(&b);
		msp_result_free(trees[i]);
	}
}
#endif

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_render__nagios_small_tree_exact),
		cmocka_unit_test(test_render__multiline_small_tree_exact),
		cmocka_unit_test(test_render__json_small_tree_exact_and_valid),
		cmocka_unit_test(test_render__prometheus_small_tree_exact),
		cmocka_unit_test(test_render__prometheus_labels_and_check_states),
		cmocka_unit_test(test_render__prometheus_label_names_checked),
#ifdef MSP_TEST_JSONC
		cmocka_unit_test(test_render__json_matches_the_documented_schema),
#endif
		cmocka_unit_test_teardown(test_render__formats_agree_in_german_locale, restore_c_locale),
		cmocka_unit_test(test_render__format_names),
		cmocka_unit_test(test_render__named_children_in_every_format),
		cmocka_unit_test(test_render__table_without_names_and_with_notes),
		cmocka_unit_test(test_render__json_drops_named_perfdata_before_checks),
		cmocka_unit_test(test_render__long_output_worst_first_and_stable),
		cmocka_unit_test(test_render__notes_last_without_state_in_every_format),
		cmocka_unit_test(test_render__only_notes_is_unknown),
		cmocka_unit_test(test_render__summary_falls_back_to_worst_child),
		cmocka_unit_test(test_render__empty_tree_is_unknown),
		cmocka_unit_test(test_render__bar_replaced),
		cmocka_unit_test(test_render__control_characters_replaced),
		cmocka_unit_test(test_render__invalid_utf8_replaced),
		cmocka_unit_test(test_render__dollar_at_word_start_replaced),
		cmocka_unit_test(test_render__tree_text_sanitised_in_every_format),
		cmocka_unit_test(test_render__json_escapes_labels),
		cmocka_unit_test(test_render__labels_cleaned_alike_in_every_format),
		cmocka_unit_test(test_render__non_finite_perf_value_is_not_zero),
		cmocka_unit_test(test_render__long_name_and_text_keep_their_line),
		cmocka_unit_test(test_render__summary_cut_at_1024_bytes),
		cmocka_unit_test(test_render__nagios_capped_with_line_one_intact),
		cmocka_unit_test(test_render__multiline_capped_with_perfdata_last),
		cmocka_unit_test(test_render__json_valid_when_cut),
		cmocka_unit_test(test_render__json_valid_when_cut_with_long_labels),
		cmocka_unit_test(test_render__prometheus_capped_with_whole_lines),
		cmocka_unit_test(test_render__nagios_drops_oversized_perfdata_whole),
		cmocka_unit_test(test_render__nagios_style_of_a_drop_in),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
