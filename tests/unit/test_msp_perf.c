/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test_msp_perf.c - perfdata text: label quoting, number formatting,
 * thresholds, min/max, trailing fields and UOMs, in the C and a German locale.
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

#include "msp.h"
#include "../helpers/msp_test.h"

static struct msp_perf make_perf(const char *label, double value, const char *uom)
{
	struct msp_perf p;

	memset(&p, 0, sizeof(p));
	p.label = strdup(label);
	assert_non_null(p.label);
	p.value = value;
	snprintf(p.uom, sizeof(p.uom), "%s", uom);
	p.decimals = 6;
	p.scale = 1;
	return p;
}

static struct msp_range range(const char *text, unsigned mask)
{
	struct msp_range r;
	struct msp_error err;

	msp_error_init(&err);
	if (msp_range_parse(text, mask, 1, &r, &err) != 0)
		fail_msg("range '%s': %s", text, err.msg);
	return r;
}

/* Write p alone and compare with want; frees p's label. */
static void expect_perf(struct msp_perf *p, const char *want)
{
	struct msp_buf b;

	msp_buf_init(&b, 4096);
	assert_int_equal(msp_perf_write(p, &b), 0);
	if (strcmp(msp_buf_str(&b), want) != 0)
		fail_msg("perfdata '%s', expected '%s'", msp_buf_str(&b), want);
	msp_buf_release(&b);
	msp_perf_release(p);
}

static void expect_label(const char *label, const char *want)
{
	struct msp_buf b;

	msp_buf_init(&b, 4096);
	assert_int_equal(msp_perf_write_label(label, &b), 0);
	if (strcmp(msp_buf_str(&b), want) != 0)
		fail_msg("label written as '%s', expected '%s'", msp_buf_str(&b), want);
	msp_buf_release(&b);
}

/* ------------------------------------------------------------- labels */

static void test_perf__label_quoted_only_when_needed(void **state)
{
	(void)state;
	expect_label("load1", "load1");
	expect_label("/var/lib", "/var/lib");
	expect_label("C:\\", "C:\\");
	expect_label("ümlaut", "ümlaut");
	expect_label("my label", "'my label'");
	expect_label("a=b", "'a=b'");
	expect_label("", "''");
	expect_label("say \"hi\"", "'say \"hi\"'");
}

static void test_perf__label_quote_is_doubled(void **state)
{
	(void)state;
	expect_label("it's", "'it''s'");
	expect_label("'", "''''");
	expect_label("a ''b", "'a ''''b'");
}

static void test_perf__label_bar_and_control_characters_replaced(void **state)
{
	(void)state;
	/* '|' would end the perfdata for the parser; control characters break the line */
	expect_label("a|b", "a_b");
	expect_label("tab\there", "tab_here");
	expect_label("del\x7f", "del_");
	expect_label("a b|c", "'a b_c'");
	expect_label("a\nb", "a_b");
	expect_label("a\rb", "a_b");
	expect_label("x\x01y", "x_y");
	expect_label("new line\n", "'new line_'");
}

/* ------------------------------------------------------------- values */

static void test_perf__integers_print_without_fraction(void **state)
{
	struct msp_perf p;

	(void)state;
	p = make_perf("x", 42, "");
	expect_perf(&p, "x=42");
	p = make_perf("x", -7, "");
	expect_perf(&p, "x=-7");
	p = make_perf("x", 0, "");
	expect_perf(&p, "x=0");
	p = make_perf("bytes", 85899345920.0, "B");
	expect_perf(&p, "bytes=85899345920B");
	p = make_perf("c", 18446744073709551616.0, "c");
	expect_perf(&p, "c=18446744073709551616c");
}

static void test_perf__no_exponent_for_large_and_tiny_values(void **state)
{
	struct msp_perf p;

	(void)state;
	p = make_perf("x", 1e20, "");
	expect_perf(&p, "x=100000000000000000000");
	p = make_perf("x", 1.5e15, "B");
	expect_perf(&p, "x=1500000000000000B");
	p = make_perf("x", 0.000001, "s");
	expect_perf(&p, "x=0.000001s");
	p = make_perf("x", 1e-9, "s"); /* below the 6 decimals: 0 */
	expect_perf(&p, "x=0s");
	p = make_perf("x", 1e-9, "s");
	p.decimals = 12;
	expect_perf(&p, "x=0.000000001s");
	p = make_perf("x", -2.5e-7, "");
	expect_perf(&p, "x=0");
}

static void test_perf__decimals_trimmed(void **state)
{
	struct msp_perf p;

	(void)state;
	p = make_perf("load1", 1.14, "");
	p.decimals = 3;
	expect_perf(&p, "load1=1.14");
	p = make_perf("x", 0.5, "");
	expect_perf(&p, "x=0.5");
	p = make_perf("x", 2.0, "");
	p.decimals = 3;
	expect_perf(&p, "x=2");
	p = make_perf("x", 3.14159, "");
	p.decimals = 2;
	expect_perf(&p, "x=3.14");
	p = make_perf("x", 3.7, "");
	p.decimals = 0;
	expect_perf(&p, "x=4");
	p = make_perf("time", 0.123456789, "s");
	expect_perf(&p, "time=0.123457s");
}

/* --------------------------------------------------------- thresholds */

static void test_perf__plain_upper_thresholds_as_numbers(void **state)
{
	struct msp_perf p;

	(void)state;
	p = make_perf("x", 5, "");
	p.th.warn = range("10", 0);
	p.th.crit = range("20", 0);
	p.th.has_warn = p.th.has_crit = true;
	expect_perf(&p, "x=5;10;20");
	p = make_perf("x", 5, "");
	p.th.warn = range("0:10.5", 0);
	p.th.has_warn = true;
	expect_perf(&p, "x=5;10.5");
}

static void test_perf__other_thresholds_as_range_text(void **state)
{
	struct msp_perf p;

	(void)state;
	p = make_perf("x", 5, "");
	p.th.warn = range("10:20", 0);
	p.th.crit = range("@0:5", 0);
	p.th.has_warn = p.th.has_crit = true;
	expect_perf(&p, "x=5;10:20;@0:5");
	p = make_perf("x", 5, "");
	p.th.warn = range("10:", 0);
	p.th.crit = range("~:30", 0);
	p.th.has_warn = p.th.has_crit = true;
	expect_perf(&p, "x=5;10:;~:30");
	p = make_perf("x", -5, "");
	p.th.crit = range("-10:-1", 0);
	p.th.has_crit = true;
	expect_perf(&p, "x=-5;;-10:-1");
}

static void test_perf__thresholds_divided_by_scale(void **state)
{
	struct msp_perf p;

	(void)state;
	/* value already in MB, thresholds kept in bytes */
	p = make_perf("used", 512, "MB");
	p.scale = 1048576;
	p.th.warn = range("800MiB", MSP_UNIT_SIZE);
	p.th.crit = range("@1GiB:2GiB", MSP_UNIT_SIZE);
	p.th.has_warn = p.th.has_crit = true;
	expect_perf(&p, "used=512MB;800;@1024:2048");
	/* scale 0 means 1 */
	p = make_perf("t", 1, "s");
	p.scale = 0;
	p.th.warn = range("90s", MSP_UNIT_DURATION);
	p.th.has_warn = true;
	expect_perf(&p, "t=1s;90");
}

static void test_perf__huge_thresholds_written_in_full(void **state)
{
	struct msp_perf p;
	struct msp_buf b;
	char want[700];

	(void)state;
	p = make_perf("x", 1, "");
	p.th.warn = range("-1e300:1e300", 0);
	p.th.has_warn = true;
	msp_buf_init(&b, 4096);
	assert_int_equal(msp_perf_write(&p, &b), 0);
	snprintf(want, sizeof(want), "x=1;-%.0f:%.0f", 1e300, 1e300);
	assert_string_equal(msp_buf_str(&b), want);
	msp_buf_release(&b);
	msp_perf_release(&p);
}

/* check_load's and check_procs' references: "load1=0.450;1.000;2.000;0;" and "procs=3;;;0;". */
static void test_perf__fixed_decimals_and_kept_fields_as_a_reference_writes(void **state)
{
	struct msp_perf p;

	(void)state;
	p = make_perf("load1", 0.45, "");
	p.decimals = 3;
	p.fixed = true;
	p.keep_fields = true;
	p.th.warn = range("1", 0);
	p.th.crit = range("2", 0);
	p.th.has_warn = p.th.has_crit = true;
	p.has_min = true;
	expect_perf(&p, "load1=0.450;1.000;2.000;0;");
	p = make_perf("load5", 12, "");
	p.decimals = 3;
	p.fixed = true;
	p.keep_fields = true;
	p.has_min = true;
	expect_perf(&p, "load5=12.000;;;0;");
	/* a range is written as a range, fixed or not */
	p = make_perf("x", 1.5, "");
	p.decimals = 2;
	p.fixed = true;
	p.th.warn = range("1:3", 0);
	p.th.has_warn = true;
	expect_perf(&p, "x=1.50;1:3");
	p = make_perf("procs", 3, "");
	p.decimals = 0;
	p.keep_fields = true;
	p.has_min = true;
	expect_perf(&p, "procs=3;;;0;");
	p = make_perf("x", 1, "");
	p.keep_fields = true;
	expect_perf(&p, "x=1;;;;");
	/* check_tcp's reference: "time=0.000180s;;;0.000000;10.000000", min and max fixed too */
	p = make_perf("time", 0.00018, "s");
	p.decimals = 6;
	p.fixed = true;
	p.keep_fields = true;
	p.fixed_limits = true;
	p.has_min = p.has_max = true;
	p.max = 10;
	expect_perf(&p, "time=0.000180s;;;0.000000;10.000000");
}

/* ------------------------------------------------------------ min/max */

static void test_perf__min_and_max(void **state)
{
	struct msp_perf p;

	(void)state;
	p = make_perf("x", 5, "%");
	msp_perf_set_min(&p, 0);
	msp_perf_set_max(&p, 100);
	expect_perf(&p, "x=5%;;;0;100");
	p = make_perf("x", 5, "");
	msp_perf_set_min(&p, 0);
	expect_perf(&p, "x=5;;;0");
	p = make_perf("x", 5, "");
	msp_perf_set_max(&p, 100.25);
	expect_perf(&p, "x=5;;;;100.25");
	p = make_perf("x", 5, "");
	p.th.warn = range("80", 0);
	p.th.crit = range("90", 0);
	p.th.has_warn = p.th.has_crit = true;
	msp_perf_set_min(&p, -1.5);
	msp_perf_set_max(&p, 1e12);
	expect_perf(&p, "x=5;80;90;-1.5;1000000000000");
}

static void test_perf__trailing_empty_fields_dropped(void **state)
{
	struct msp_perf p;

	(void)state;
	p = make_perf("x", 5, "");
	expect_perf(&p, "x=5");
	p = make_perf("x", 5, "s");
	p.th.warn = range("10", 0);
	p.th.has_warn = true;
	expect_perf(&p, "x=5s;10");
	p = make_perf("x", 5, "s");
	p.th.crit = range("10", 0);
	p.th.has_crit = true;
	expect_perf(&p, "x=5s;;10");
}

static void test_perf__write_appends_to_existing_text(void **state)
{
	struct msp_perf p = make_perf("b", 2, "");
	struct msp_buf b;

	(void)state;
	msp_buf_init(&b, 4096);
	msp_buf_adds(&b, "a=1;;; ");
	assert_int_equal(msp_perf_write(&p, &b), 0);
	assert_string_equal(msp_buf_str(&b), "a=1;;; b=2");
	msp_buf_release(&b);
	msp_perf_release(&p);
}

static void test_perf__write_reports_full_buffer(void **state)
{
	struct msp_perf p = make_perf("a_long_label", 12345, "");
	struct msp_buf b;

	(void)state;
	msp_buf_init(&b, 8);
	assert_int_equal(msp_perf_write(&p, &b), MSP_ETOOBIG);
	assert_true(b.truncated);
	assert_true(b.len <= 8);
	msp_buf_release(&b);
	msp_perf_release(&p);
	msp_perf_release(&p); /* release twice is harmless */
	assert_null(p.label);
}

/* ---------------------------------------------------------------- UOM */

static void test_perf__uom_classic_set_only(void **state)
{
	static const char *const ok[] = { "", "s", "ms", "us", "%", "B", "KB", "MB", "TB", "c" };
	static const char *const bad[] = { "GB", "KiB", "MiB", "b", "kb", "S",  "Ms",  "%%", "ss",
					   "x",  " ",   "s ",  "C", "ns", "PB", "B/s", "°C" };

	(void)state;
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
		if (!msp_perf_uom_valid(ok[i]))
			fail_msg("UOM '%s' rejected", ok[i]);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (msp_perf_uom_valid(bad[i]))
			fail_msg("UOM '%s' accepted", bad[i]);
}

static void test_perf__uom_follows_value(void **state)
{
	struct msp_perf p;

	(void)state;
	p = make_perf("rta", 0.25, "ms");
	expect_perf(&p, "rta=0.25ms");
	p = make_perf("pl", 100, "%");
	expect_perf(&p, "pl=100%");
	p = make_perf("size", 10, "KB");
	expect_perf(&p, "size=10KB");
	p = make_perf("count", 3, "c");
	expect_perf(&p, "count=3c");
}

/* ------------------------------------------------------------- locale */

static void test_perf__german_locale_keeps_decimal_point(void **state)
{
	struct msp_perf p;

	(void)state;
	use_german_locale();
	p = make_perf("load1", 1.14, "");
	p.decimals = 3;
	expect_perf(&p, "load1=1.14");
	p = make_perf("x", 0.000001, "s");
	expect_perf(&p, "x=0.000001s");
	p = make_perf("x", 1e20, "");
	expect_perf(&p, "x=100000000000000000000");
	p = make_perf("x", 5.5, "%");
	p.th.warn = range("0.5:10.25", 0);
	p.th.crit = range("20.75", 0);
	p.th.has_warn = p.th.has_crit = true;
	msp_perf_set_min(&p, 0.5);
	msp_perf_set_max(&p, 99.5);
	expect_perf(&p, "x=5.5%;0.5:10.25;20.75;0.5;99.5");
	p = make_perf("it's", 2.5, "s");
	expect_perf(&p, "'it''s'=2.5s");
}

/* ------------------------------------------------------------- parsing */

/* Parse one item and write it back; asserts it parses. Caller frees. */
static char *reparse(const char *text, const char **rest)
{
	struct msp_perf p;
	struct msp_buf b;
	struct msp_error err;

	memset(&p, 0, sizeof(p));
	msp_error_init(&err);
	if (msp_perf_parse(&text, &p, &err) != 0)
		fail_msg("'%s' does not parse: %s", text, err.msg);
	msp_buf_init(&b, 4096);
	assert_int_equal(msp_perf_write(&p, &b), 0);
	msp_perf_release(&p);
	if (rest)
		*rest = text;
	return msp_buf_detach(&b);
}

static void test_perf__parse_round_trip(void **state)
{
	static const struct {
		const char *in, *out;
	} cases[] = {
		{ "load1=0.720;5.000;10.000;0;", "load1=0.72;5;10;0" },
		{ "/=17500733440B;216442024755;243497277849;0;270552530944",
		  "/=17500733440B;216442024755;243497277849;0;270552530944" },
		{ "'it''s ok'=5%", "'it''s ok'=5%" },
		{ "'/var lib'=1KB;;;0", "'/var lib'=1KB;;;0" },
		{ "'plain'=3", "plain=3" },
		{ "t=0.000123456s;10:;@0:1", "t=0.000123456s;10:;@0:1" },
		{ "big=1e3ms", "big=1000ms" },
		{ "neg=-2.5;~:0;;-10;10", "neg=-2.5;~:0;;-10;10" },
		{ "c=12345c", "c=12345c" },
		{ "  x=1  ", "x=1" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *out = reparse(cases[i].in, NULL);

		assert_string_equal(out, cases[i].out);
		free(out);
	}
}

static void test_perf__parse_rejects_with_reason_and_moves_on(void **state)
{
	static const struct {
		const char *in, *why;
	} bad[] = {
		{ "x=1,5", "unknown unit" },
		{ "x=U", "the value is not a number" },
		{ "x=5GB", "unknown unit" },
		{ "x=1;2;3;4;5;6", "more than five fields" },
		{ "=3", "empty label" },
		{ "'open=3", "unterminated quote" },
		{ "noequals", "no '=' after the label" },
		{ "x=1;10:5", "bad warning or critical range" },
		{ "x=1;;;zero", "min or max is not a number" },
		{ "x=nan", "the value is not a number" },
	};
	const char *text = "a=1 b=U 'c d'=2s", *rest;
	char *out;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct msp_perf p = { .label = (char *)NULL };
		const char *t = bad[i].in;
		struct msp_error err;
		char want[160];

		msp_error_init(&err);
		assert_int_equal(msp_perf_parse(&t, &p, &err), MSP_EINVAL);
		snprintf(want, sizeof(want), "invalid perfdata '%s': %s", bad[i].in, bad[i].why);
		assert_string_equal(err.msg, want);
		assert_int_equal(err.code, MSP_EINVAL);
		assert_null(p.label);
		assert_int_equal(*t, '\0'); /* consumed up to the next blank */
	}
	/* a string of items: each call takes one, a bad one is skipped whole */
	out = reparse(text, &rest);
	assert_string_equal(out, "a=1");
	free(out);
	{
		struct msp_perf p;
		struct msp_error err;

		msp_error_init(&err);
		assert_int_equal(msp_perf_parse(&rest, &p, &err), MSP_EINVAL);
		assert_string_equal(err.msg, "invalid perfdata 'b=U': the value is not a number");
	}
	out = reparse(rest, &rest);
	assert_string_equal(out, "'c d'=2s");
	assert_string_equal(rest, "");
	free(out);
}

/* A value that could not be measured is 'U' (the guidelines' "undetermined"), never a 0 that reads as a reading. */
static void test_perf__non_finite_value_written_as_u(void **state)
{
	struct msp_perf p;
	struct msp_buf b;

	(void)state;
	memset(&p, 0, sizeof(p));
	p.label = (char[]){ "x" };
	p.value = NAN;
	p.decimals = 2;
	p.scale = 1;
	p.has_min = true;
	p.min = 0;
	p.has_max = true;
	p.max = INFINITY;
	msp_buf_init(&b, 4096);
	assert_int_equal(msp_perf_write(&p, &b), 0);
	assert_string_equal(msp_buf_str(&b), "x=U;;;0");
	msp_buf_reset(&b);
	p.value = -INFINITY;
	assert_int_equal(msp_perf_write(&p, &b), 0);
	assert_string_equal(msp_buf_str(&b), "x=U;;;0");
	msp_buf_release(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_perf__label_quoted_only_when_needed),
		cmocka_unit_test(test_perf__label_quote_is_doubled),
		cmocka_unit_test(test_perf__label_bar_and_control_characters_replaced),
		cmocka_unit_test(test_perf__non_finite_value_written_as_u),
		cmocka_unit_test(test_perf__integers_print_without_fraction),
		cmocka_unit_test(test_perf__no_exponent_for_large_and_tiny_values),
		cmocka_unit_test(test_perf__decimals_trimmed),
		cmocka_unit_test(test_perf__plain_upper_thresholds_as_numbers),
		cmocka_unit_test(test_perf__other_thresholds_as_range_text),
		cmocka_unit_test(test_perf__thresholds_divided_by_scale),
		cmocka_unit_test(test_perf__huge_thresholds_written_in_full),
		cmocka_unit_test(test_perf__min_and_max),
		cmocka_unit_test(test_perf__trailing_empty_fields_dropped),
		cmocka_unit_test(test_perf__write_appends_to_existing_text),
		cmocka_unit_test(test_perf__write_reports_full_buffer),
		cmocka_unit_test(test_perf__uom_classic_set_only),
		cmocka_unit_test(test_perf__uom_follows_value),
		cmocka_unit_test(test_perf__fixed_decimals_and_kept_fields_as_a_reference_writes),
		cmocka_unit_test(test_perf__parse_round_trip),
		cmocka_unit_test(test_perf__parse_rejects_with_reason_and_moves_on),
		cmocka_unit_test_teardown(test_perf__german_locale_keeps_decimal_point, restore_c_locale),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
