/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test_msp_range.c - threshold ranges: the plugin development guidelines'
 * cases, their boundaries, malformed input, units, formatting and the
 * warning/critical evaluation order.
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

/* ------------------------------------------------------------ helpers */

static struct msp_range parse_ok(const char *text, unsigned mask, double scale)
{
	struct msp_range r;
	struct msp_error err;
	int rc;

	msp_error_init(&err);
	rc = msp_range_parse(text, mask, scale, &r, &err);
	if (rc != 0)
		fail_msg("range '%s' rejected: %s", text, err.msg);
	return r;
}

static void expect_reject(const char *text, unsigned mask)
{
	struct msp_range r, before;
	struct msp_error err;
	int rc;

	memset(&r, 0x5a, sizeof(r));
	before = r;
	msp_error_init(&err);
	rc = msp_range_parse(text, mask, 1, &r, &err);
	if (rc != MSP_EINVAL)
		fail_msg("range '%s' accepted (rc %d), expected MSP_EINVAL", text, rc);
	/* A message for the user, and the out-parameter left alone. */
	if (err.msg[0] == '\0')
		fail_msg("range '%s' rejected without a message", text);
	if (strncmp(err.msg, "cannot parse range", 18) != 0 && strcmp(err.msg, "missing range") != 0)
		fail_msg("range '%s': message '%s' does not say what failed", text, err.msg);
	assert_memory_equal(&r, &before, sizeof(r));
}

/* ------------------------------------------------- guideline table test */

struct alert_case {
	const char *text;
	double v;
	bool alert;
};

/* The plugin development guidelines' examples, just inside, at and just outside each boundary. */
static const struct alert_case guideline_cases[] = {
	/* "10": alert when v < 0 or v > 10 (ends inclusive in the OK range) */
	{ "10", -0.001, true },
	{ "10", 0, false },
	{ "10", 0.001, false },
	{ "10", 5, false },
	{ "10", 9.999, false },
	{ "10", 10, false },
	{ "10", 10.001, true },
	{ "10", 1e300, true },
	/* "10:": alert when v < 10 */
	{ "10:", -1e300, true },
	{ "10:", 0, true },
	{ "10:", 9.999, true },
	{ "10:", 10, false },
	{ "10:", 10.001, false },
	{ "10:", 1e300, false },
	/* "~:10": alert when v > 10 */
	{ "~:10", -1e300, false },
	{ "~:10", -5, false },
	{ "~:10", 10, false },
	{ "~:10", 10.001, true },
	/* "10:20": alert when v < 10 or v > 20 */
	{ "10:20", 9.999, true },
	{ "10:20", 10, false },
	{ "10:20", 15, false },
	{ "10:20", 20, false },
	{ "10:20", 20.001, true },
	{ "10:20", -15, true },
	/* "@10:20": alert when 10 <= v <= 20 (inclusive) */
	{ "@10:20", 9.999, false },
	{ "@10:20", 10, true },
	{ "@10:20", 15, true },
	{ "@10:20", 20, true },
	{ "@10:20", 20.001, false },
	/* negative numbers */
	{ "-10:-5", -10.001, true },
	{ "-10:-5", -10, false },
	{ "-10:-5", -7, false },
	{ "-10:-5", -5, false },
	{ "-10:-5", -4.999, true },
	{ "-10:-5", 0, true },
	{ "@-10:-5", -7, true },
	{ "@-10:-5", 0, false },
	{ "-5:", -5.001, true },
	{ "-5:", -5, false },
	/* "~:" is minus to plus infinity: never alerts */
	{ "~:", -1e300, false },
	{ "~:", 0, false },
	{ "~:", 1e300, false },
	/* "@~:0": alert when v <= 0 */
	{ "@~:0", -1e300, true },
	{ "@~:0", 0, true },
	{ "@~:0", 0.001, false },
	/* ":10": start defaults to 0 */
	{ ":10", -0.001, true },
	{ ":10", 0, false },
	{ ":10", 10, false },
	{ ":10", 10.001, true },
	/* zero-width ranges */
	{ "5:5", 5, false },
	{ "5:5", 4.999, true },
	{ "@5:5", 5, true },
	{ "@5:5", 5.001, false },
	/* surrounding and inner blanks */
	{ "  10  ", 10.001, true },
	{ "\t10\t", 5, false },
	{ " @10:20 ", 15, true },
	{ "10 : 20", 21, true },
	{ "10 : 20", 15, false },
	{ "10\n", 11, true },
	/* other number spellings */
	{ "1e3", 1000, false },
	{ "1e3", 1000.5, true },
	{ "+10", 10.5, true },
	{ ".5", 0.5, false },
	{ ".5", 0.6, true },
	{ "5.", 5.1, true },
	{ "1e300", 1e300, false },
	{ "1e300", 1e301, true },
	{ "~:1e300", -1e300, false },
};

static void test_range__guideline_cases_alert_as_documented(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(guideline_cases) / sizeof(guideline_cases[0]); i++) {
		const struct alert_case *c = &guideline_cases[i];
		struct msp_range r = parse_ok(c->text, MSP_UNIT_NONE, 1);

		if (msp_range_alert(&r, c->v) != c->alert)
			fail_msg("range '%s' value %g: expected %s", c->text, c->v, c->alert ? "alert" : "no alert");
	}
}

static void test_range__plain_number_is_zero_to_end(void **state)
{
	struct msp_range r = parse_ok("10", MSP_UNIT_NONE, 1);

	(void)state;
	assert_false(r.inside);
	assert_false(r.start_inf);
	assert_false(r.end_inf);
	assert_true(r.start == 0);
	assert_true(r.end == 10);
	assert_int_equal(r.unit, MSP_UNIT_NONE);
}

static void test_range__colon_suffix_has_infinite_end(void **state)
{
	struct msp_range r = parse_ok("10:", MSP_UNIT_NONE, 1);

	(void)state;
	assert_true(r.end_inf);
	assert_false(r.start_inf);
	assert_true(r.start == 10);
}

static void test_range__tilde_is_minus_infinity(void **state)
{
	struct msp_range r = parse_ok("~:10", MSP_UNIT_NONE, 1);

	(void)state;
	assert_true(r.start_inf);
	assert_false(r.end_inf);
	assert_true(r.end == 10);
	r = parse_ok("~:", MSP_UNIT_NONE, 1);
	assert_true(r.start_inf);
	assert_true(r.end_inf);
}

static void test_range__at_prefix_alerts_inside(void **state)
{
	struct msp_range r = parse_ok("@10:20", MSP_UNIT_NONE, 1);

	(void)state;
	assert_true(r.inside);
	assert_true(msp_range_alert(&r, 10));
	assert_true(msp_range_alert(&r, 20));
	assert_false(msp_range_alert(&r, 9));
	assert_false(msp_range_alert(&r, 21));
	r = parse_ok("@~:0", MSP_UNIT_NONE, 1);
	assert_true(r.inside);
	assert_true(r.start_inf);
	assert_true(r.end == 0);
}

static void test_range__huge_numbers_within_double_are_accepted(void **state)
{
	struct msp_range r = parse_ok("1e300", MSP_UNIT_NONE, 1);

	(void)state;
	assert_true(r.end == 1e300);
	r = parse_ok("-1e300:1e300", MSP_UNIT_NONE, 1);
	assert_true(r.start == -1e300);
	assert_true(r.end == 1e300);
}

static void test_range__nan_value_always_alerts(void **state)
{
	/* A value that cannot be compared must never pass as inside the OK range. */
	static const char *const texts[] = { "10", "10:", "~:10", "10:20", "@10:20", "~:", "@~:0" };

	(void)state;
	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		struct msp_range r = parse_ok(texts[i], MSP_UNIT_NONE, 1);

		if (!msp_range_alert(&r, NAN))
			fail_msg("range '%s' does not alert for NaN", texts[i]);
	}
}

/* ------------------------------------------------------------ rejects */

static void test_range__malformed_text_is_rejected(void **state)
{
	static const char *const bad[] = {
		"",
		" ",
		"\t",
		"@",
		"@ ",
		"~",
		" ~ ",
		"@~",
		/* not finite or not decimal */
		"nan",
		"NaN",
		"-nan",
		"inf",
		"-inf",
		"Inf",
		"infinity",
		"INFINITY",
		"0x10",
		"0X1A",
		"0x1p3",
		"1e400",
		"-1e400",
		"1e400:",
		"~:1e400",
		"@1e400:1e401",
		/* trailing garbage */
		"10x",
		"10:20x",
		"10 20",
		"1,5",
		"10:20:30",
		"10::20",
		"@@10",
		"@10:20@",
		"10:~",
		"~10",
		"~:~",
		"10;20",
		"1e",
		"1e+",
		"--1",
		"+-1",
		".",
		"-",
		"abc",
		"10%",
		"10s",
		"10GB",
		"10:20%",
		/* start above end */
		"20:10",
		"@20:10",
		"-5:-10",
		"10.0001:10",
		"1e300:1",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		expect_reject(bad[i], MSP_UNIT_NONE);
}

static void test_range__null_text_is_rejected(void **state)
{
	struct msp_range r;
	struct msp_error err;

	(void)state;
	msp_error_init(&err);
	assert_int_equal(msp_range_parse(NULL, 0, 1, &r, &err), MSP_EINVAL);
	assert_string_equal(err.msg, "missing range");
}

static void test_range__error_message_names_the_text_and_problem(void **state)
{
	struct msp_range r;
	struct msp_error err;

	(void)state;
	msp_error_init(&err);
	assert_int_equal(msp_range_parse("10:5", 0, 1, &r, &err), MSP_EINVAL);
	assert_string_equal(err.msg, "cannot parse range '10:5': range start is above end");
	msp_error_init(&err);
	assert_int_equal(msp_range_parse("", 0, 1, &r, &err), MSP_EINVAL);
	assert_string_equal(err.msg, "cannot parse range '': empty");
	msp_error_init(&err);
	assert_int_equal(msp_range_parse("@", 0, 1, &r, &err), MSP_EINVAL);
	assert_string_equal(err.msg, "cannot parse range '@': nothing after '@'");
	msp_error_init(&err);
	assert_int_equal(msp_range_parse("5x", 0, 1, &r, &err), MSP_EINVAL);
	assert_non_null(strstr(err.msg, "'5x'"));
	/* NULL err is allowed */
	assert_int_equal(msp_range_parse("5x", 0, 1, &r, NULL), MSP_EINVAL);
}

static void test_range__overlong_number_is_rejected_not_truncated(void **state)
{
	char text[2000];
	struct msp_range r;

	(void)state;
	/* 1999 digits: far past any double, whatever length limit applies */
	memset(text, '1', sizeof(text) - 1);
	text[sizeof(text) - 1] = '\0';
	expect_reject(text, MSP_UNIT_NONE);
	/* 1e300 written out in full (301 digits, as msp_range_format writes it) is a number */
	memset(text, '0', 301);
	text[0] = '1';
	text[301] = '\0';
	r = parse_ok(text, MSP_UNIT_NONE, 1);
	assert_true(r.end == 1e300);
	/* ... and so with 12 decimals and a minus sign */
	snprintf(text, sizeof(text), "~:-%.12f", 1e300);
	r = parse_ok(text, MSP_UNIT_NONE, 1);
	assert_true(r.end == -1e300);
}

/* -------------------------------------------------------------- units */

struct unit_case {
	const char *text;
	unsigned mask;
	double bare_scale;
	double start, end; /* expected ends in base units */
	bool end_inf;
	enum msp_unit unit;
};

static const struct unit_case unit_cases[] = {
	/* durations */
	{ "90s", MSP_UNIT_DURATION, 1, 0, 90, false, MSP_UNIT_DURATION },
	{ "15m", MSP_UNIT_DURATION, 1, 0, 900, false, MSP_UNIT_DURATION },
	{ "26h", MSP_UNIT_DURATION, 1, 0, 93600, false, MSP_UNIT_DURATION },
	{ "7d", MSP_UNIT_DURATION, 1, 0, 604800, false, MSP_UNIT_DURATION },
	{ "2w", MSP_UNIT_DURATION, 1, 0, 1209600, false, MSP_UNIT_DURATION },
	{ "90s:15m", MSP_UNIT_DURATION, 1, 90, 900, false, MSP_UNIT_DURATION },
	{ "26h:", MSP_UNIT_DURATION, 1, 93600, 0, true, MSP_UNIT_DURATION },
	{ "500ms", MSP_UNIT_DURATION, 1, 0, 0.5, false, MSP_UNIT_DURATION },
	{ "120", MSP_UNIT_DURATION, 1, 0, 120, false, MSP_UNIT_NONE },
	{ "90:15m", MSP_UNIT_DURATION, 1, 90, 900, false, MSP_UNIT_DURATION },
	/* sizes, powers of 1000 */
	{ "10B", MSP_UNIT_SIZE, 1, 0, 10, false, MSP_UNIT_SIZE },
	{ "10KB", MSP_UNIT_SIZE, 1, 0, 10e3, false, MSP_UNIT_SIZE },
	{ "10MB", MSP_UNIT_SIZE, 1, 0, 10e6, false, MSP_UNIT_SIZE },
	{ "10GB", MSP_UNIT_SIZE, 1, 0, 10e9, false, MSP_UNIT_SIZE },
	{ "10TB", MSP_UNIT_SIZE, 1, 0, 10e12, false, MSP_UNIT_SIZE },
	/* sizes, powers of 1024 */
	{ "10KiB", MSP_UNIT_SIZE, 1, 0, 10240, false, MSP_UNIT_SIZE },
	{ "10MiB", MSP_UNIT_SIZE, 1, 0, 10485760, false, MSP_UNIT_SIZE },
	{ "10GiB", MSP_UNIT_SIZE, 1, 0, 10737418240.0, false, MSP_UNIT_SIZE },
	{ "10TiB", MSP_UNIT_SIZE, 1, 0, 10995116277760.0, false, MSP_UNIT_SIZE },
	{ "1GB:2GiB", MSP_UNIT_SIZE, 1, 1e9, 2147483648.0, false, MSP_UNIT_SIZE },
	/* the monitoring-plugins habit: KB means 1024 */
	{ "10KB", MSP_UNIT_SIZE | MSP_NUM_SIZE_1024, 1, 0, 10240, false, MSP_UNIT_SIZE },
	{ "10GB", MSP_UNIT_SIZE | MSP_NUM_SIZE_1024, 1, 0, 10737418240.0, false, MSP_UNIT_SIZE },
	/* bare numbers scaled (a plugin whose bare numbers mean MiB) */
	{ "10", MSP_UNIT_SIZE, 1048576, 0, 10485760, false, MSP_UNIT_NONE },
	{ "10MiB", MSP_UNIT_SIZE, 1048576, 0, 10485760, false, MSP_UNIT_SIZE },
	/* percent */
	{ "15%", MSP_UNIT_PERCENT, 1, 0, 15, false, MSP_UNIT_PERCENT },
	{ "10%:20%", MSP_UNIT_PERCENT, 1, 10, 20, false, MSP_UNIT_PERCENT },
	{ "@10%:20%", MSP_UNIT_PERCENT, 1, 10, 20, false, MSP_UNIT_PERCENT },
	{ "15%", MSP_UNIT_PERCENT | MSP_UNIT_SIZE, 1, 0, 15, false, MSP_UNIT_PERCENT },
	{ "15GB", MSP_UNIT_PERCENT | MSP_UNIT_SIZE, 1, 0, 15e9, false, MSP_UNIT_SIZE },
};

static void test_range__units_convert_to_base_unit(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(unit_cases) / sizeof(unit_cases[0]); i++) {
		const struct unit_case *c = &unit_cases[i];
		struct msp_range r = parse_ok(c->text, c->mask, c->bare_scale);

		if (r.start != c->start || r.end_inf != c->end_inf || (!c->end_inf && r.end != c->end))
			fail_msg("range '%s': got %.17g:%.17g (end_inf %d), expected %.17g:%.17g", c->text, r.start,
				 r.end, r.end_inf, c->start, c->end);
		if (r.unit != c->unit)
			fail_msg("range '%s': unit family %d, expected %d", c->text, r.unit, c->unit);
	}
}

static void test_range__mixed_unit_families_are_rejected(void **state)
{
	(void)state;
	expect_reject("10%:20GB", MSP_UNIT_PERCENT | MSP_UNIT_SIZE);
	expect_reject("10GB:20%", MSP_UNIT_PERCENT | MSP_UNIT_SIZE);
	expect_reject("90s:1GB", MSP_UNIT_DURATION | MSP_UNIT_SIZE);
	expect_reject("@1d:50%", MSP_UNIT_DURATION | MSP_UNIT_PERCENT);
}

static void test_range__units_outside_the_mask_are_rejected(void **state)
{
	(void)state;
	expect_reject("10%", MSP_UNIT_SIZE);
	expect_reject("10GB", MSP_UNIT_PERCENT);
	expect_reject("10d", MSP_UNIT_SIZE | MSP_UNIT_PERCENT);
	expect_reject("10GB", MSP_UNIT_DURATION);
	expect_reject("10XB", MSP_UNIT_SIZE);
	expect_reject("10 fortnights", MSP_UNIT_DURATION);
	expect_reject("10GB", MSP_NUM_SIZE_1024);
}

static void test_range__unit_overflow_is_rejected(void **state)
{
	(void)state;
	expect_reject("1e300TB", MSP_UNIT_SIZE);
	expect_reject("1e305w", MSP_UNIT_DURATION);
	expect_reject("1e300:1e305d", MSP_UNIT_DURATION);
}

/* ---------------------------------------------------------- formatting */

struct format_case {
	const char *text;
	double scale;
	const char *want;
};

static const struct format_case format_cases[] = {
	{ "10", 1, "10" },
	{ "0:10", 1, "10" },
	{ "10:", 1, "10:" },
	{ "~:10", 1, "~:10" },
	{ "10:20", 1, "10:20" },
	{ "@10:20", 1, "@10:20" },
	{ "@0:10", 1, "@0:10" },
	{ "~:", 1, "~:" },
	{ "@~:0", 1, "@~:0" },
	{ "-10:-5", 1, "-10:-5" },
	{ ":10", 1, "10" },
	{ "0.5", 1, "0.5" },
	{ "1.23456789", 1, "1.234568" },
	{ "1e3:2e3", 1, "1000:2000" },
	{ " 10 ", 1, "10" },
	{ "1e-9", 1, "0" },
	{ "100000000000000000000", 1, "100000000000000000000" },
	{ "10", 1048576, "0.00001" }, /* 10 / 2^20 = 0.0000095..., six decimals */
};

static void test_range__format_writes_plain_upper_as_number_else_range(void **state)
{
	char buf[512];

	(void)state;
	for (size_t i = 0; i < sizeof(format_cases) / sizeof(format_cases[0]); i++) {
		const struct format_case *c = &format_cases[i];
		struct msp_range r = parse_ok(c->text, MSP_UNIT_NONE, 1);

		msp_range_format(&r, c->scale, buf, sizeof(buf));
		if (strcmp(buf, c->want) != 0)
			fail_msg("range '%s' scale %g formatted as '%s', expected '%s'", c->text, c->scale, buf,
				 c->want);
	}
}

static void test_range__format_divides_by_scale(void **state)
{
	char buf[128];
	struct msp_range r = parse_ok("10GB:20GB", MSP_UNIT_SIZE, 1);

	(void)state;
	assert_string_equal(msp_range_format(&r, 1e9, buf, sizeof(buf)), "10:20");
	assert_string_equal(msp_range_format(&r, 1e6, buf, sizeof(buf)), "10000:20000");
	/* scale 0 means 1 */
	r = parse_ok("90s", MSP_UNIT_DURATION, 1);
	assert_string_equal(msp_range_format(&r, 0, buf, sizeof(buf)), "90");
	r = parse_ok("2h", MSP_UNIT_DURATION, 1);
	assert_string_equal(msp_range_format(&r, 60, buf, sizeof(buf)), "120");
}

static void test_range__format_round_trips(void **state)
{
	static const char *const texts[] = {
		"10",    "10:",   "~:10",         "10:20",    "@10:20",
		"~:",    "@~:0",  ":10",          "-10:-5",   "@-1.5:2.25",
		"0.125", "1e300", "-1e300:1e300", "@~:1e300", "123456789012345",
		"0:0",   "@0:0",
	};
	char buf[1024];

	(void)state;
	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		struct msp_range a = parse_ok(texts[i], MSP_UNIT_NONE, 1), b;
		struct msp_error err;

		msp_error_init(&err);
		msp_range_format(&a, 1, buf, sizeof(buf));
		if (msp_range_parse(buf, MSP_UNIT_NONE, 1, &b, &err) != 0)
			fail_msg("'%s' formatted as '%s', which does not parse: %s", texts[i], buf, err.msg);
		if (a.inside != b.inside || a.start_inf != b.start_inf || a.end_inf != b.end_inf ||
		    (!a.start_inf && a.start != b.start) || (!a.end_inf && a.end != b.end))
			fail_msg("'%s' -> '%s' does not round trip", texts[i], buf);
	}
}

static void test_range__format_respects_buffer_size(void **state)
{
	char buf[6];
	struct msp_range r = parse_ok("@100:200", MSP_UNIT_NONE, 1);

	(void)state;
	memset(buf, 'x', sizeof(buf));
	msp_range_format(&r, 1, buf, sizeof(buf));
	assert_int_equal(strlen(buf), 5);
	assert_string_equal(buf, "@100:");
}

static void test_range__parse_and_format_ignore_the_locale(void **state)
{
	char buf[128];
	struct msp_range r;

	(void)state;
	use_german_locale();
	r = parse_ok("0.5:1.25", MSP_UNIT_NONE, 1);
	assert_true(r.start == 0.5);
	assert_true(r.end == 1.25);
	assert_string_equal(msp_range_format(&r, 1, buf, sizeof(buf)), "0.5:1.25");
	expect_reject("0,5", MSP_UNIT_NONE);
	r = parse_ok("1.5GB", MSP_UNIT_SIZE, 1);
	assert_true(r.end == 1.5e9);
}

/* ---------------------------------------------------------- thresholds */

static struct msp_threshold threshold(const char *warn, const char *crit)
{
	struct msp_threshold t;

	memset(&t, 0, sizeof(t));
	if (warn) {
		t.warn = parse_ok(warn, MSP_UNIT_NONE, 1);
		t.has_warn = true;
	}
	if (crit) {
		t.crit = parse_ok(crit, MSP_UNIT_NONE, 1);
		t.has_crit = true;
	}
	return t;
}

struct eval_case {
	const char *warn, *crit;
	double v;
	enum msp_state want;
};

static const struct eval_case eval_cases[] = {
	{ "10", "20", 5, MSP_STATE_OK },
	{ "10", "20", 10, MSP_STATE_OK },
	{ "10", "20", 10.5, MSP_STATE_WARNING },
	{ "10", "20", 20, MSP_STATE_WARNING },
	{ "10", "20", 20.5, MSP_STATE_CRITICAL },
	{ "10", "20", -1, MSP_STATE_CRITICAL }, /* below 0 is outside both */
	/* critical wins even when warning also alerts */
	{ "5:", "10:", 3, MSP_STATE_CRITICAL },
	{ "5:", "10:", 7, MSP_STATE_CRITICAL },
	{ "10:", "5:", 7, MSP_STATE_WARNING },
	{ "10:", "5:", 11, MSP_STATE_OK },
	/* inverted ranges */
	{ "@0:5", "@0:1", 0.5, MSP_STATE_CRITICAL },
	{ "@0:5", "@0:1", 3, MSP_STATE_WARNING },
	{ "@0:5", "@0:1", 6, MSP_STATE_OK },
	/* only one of them */
	{ NULL, "20", 25, MSP_STATE_CRITICAL },
	{ NULL, "20", 15, MSP_STATE_OK },
	{ "10", NULL, 15, MSP_STATE_WARNING },
	{ "10", NULL, 1e300, MSP_STATE_WARNING },
	{ NULL, NULL, 1e300, MSP_STATE_OK },
};

static void test_threshold__critical_is_evaluated_before_warning(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(eval_cases) / sizeof(eval_cases[0]); i++) {
		const struct eval_case *c = &eval_cases[i];
		struct msp_threshold t = threshold(c->warn, c->crit);
		enum msp_state got = msp_threshold_eval(&t, c->v);

		if (got != c->want)
			fail_msg("warn '%s' crit '%s' value %g: %s, expected %s", c->warn ? c->warn : "-",
				 c->crit ? c->crit : "-", c->v, msp_state_name(got), msp_state_name(c->want));
	}
}

static void test_threshold__nan_value_is_unknown(void **state)
{
	struct msp_threshold t = threshold("10", "20");

	(void)state;
	assert_int_equal(msp_threshold_eval(&t, NAN), MSP_STATE_UNKNOWN);
	t = threshold("@10:20", NULL);
	assert_int_equal(msp_threshold_eval(&t, NAN), MSP_STATE_UNKNOWN);
	t = threshold(NULL, NULL);
	assert_int_equal(msp_threshold_eval(&t, NAN), MSP_STATE_UNKNOWN);
}

static void test_range__plain_upper_detection(void **state)
{
	struct msp_range r;

	(void)state;
	r = parse_ok("10", 0, 1);
	assert_true(msp_range_is_plain_upper(&r));
	r = parse_ok("0:10", 0, 1);
	assert_true(msp_range_is_plain_upper(&r));
	r = parse_ok("1:10", 0, 1);
	assert_false(msp_range_is_plain_upper(&r));
	r = parse_ok("@10", 0, 1);
	assert_false(msp_range_is_plain_upper(&r));
	r = parse_ok("~:10", 0, 1);
	assert_false(msp_range_is_plain_upper(&r));
	r = parse_ok("10:", 0, 1);
	assert_false(msp_range_is_plain_upper(&r));
	r = parse_ok("0:", 0, 1);
	assert_false(msp_range_is_plain_upper(&r));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_range__guideline_cases_alert_as_documented),
		cmocka_unit_test(test_range__plain_number_is_zero_to_end),
		cmocka_unit_test(test_range__colon_suffix_has_infinite_end),
		cmocka_unit_test(test_range__tilde_is_minus_infinity),
		cmocka_unit_test(test_range__at_prefix_alerts_inside),
		cmocka_unit_test(test_range__huge_numbers_within_double_are_accepted),
		cmocka_unit_test(test_range__nan_value_always_alerts),
		cmocka_unit_test(test_range__malformed_text_is_rejected),
		cmocka_unit_test(test_range__null_text_is_rejected),
		cmocka_unit_test(test_range__error_message_names_the_text_and_problem),
		cmocka_unit_test(test_range__overlong_number_is_rejected_not_truncated),
		cmocka_unit_test(test_range__units_convert_to_base_unit),
		cmocka_unit_test(test_range__mixed_unit_families_are_rejected),
		cmocka_unit_test(test_range__units_outside_the_mask_are_rejected),
		cmocka_unit_test(test_range__unit_overflow_is_rejected),
		cmocka_unit_test(test_range__format_writes_plain_upper_as_number_else_range),
		cmocka_unit_test(test_range__format_divides_by_scale),
		cmocka_unit_test(test_range__format_round_trips),
		cmocka_unit_test(test_range__format_respects_buffer_size),
		cmocka_unit_test_teardown(test_range__parse_and_format_ignore_the_locale, restore_c_locale),
		cmocka_unit_test(test_threshold__critical_is_evaluated_before_warning),
		cmocka_unit_test(test_threshold__nan_value_is_unknown),
		cmocka_unit_test(test_range__plain_upper_detection),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
