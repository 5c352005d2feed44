/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test_msp_age.c - judging timestamps: thresholds on the age, clock skew,
 * future timestamps and the perfdata item.
 */
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <setjmp.h>
#include <cmocka.h>

#include "msp.h"

#define NOW 1795830109.0 /* 2026-11-28T01:41:49Z */
#define HOUR 3600.0

static struct msp_age_policy policy(const char *warn, const char *crit, const char *max_future)
{
	struct msp_age_policy p;

	assert_int_equal(msp_age_policy_parse(&p, warn, crit, max_future, NULL), 0);
	return p;
}

static void test_age__thresholds_on_hours(void **state)
{
	struct msp_age_policy p = policy("26h", "50h", NULL);
	char phrase[MSP_AGE_PHRASE_MAX];
	double age;

	(void)state;
	assert_int_equal(msp_age_judge(&p, NOW - 5 * HOUR - 180, NOW, &age, phrase, sizeof(phrase)), MSP_STATE_OK);
	assert_true(age == 5 * HOUR + 180);
	assert_string_equal(phrase, "5h 3m ago");
	assert_int_equal(msp_age_judge(&p, NOW - 27 * HOUR, NOW, &age, phrase, sizeof(phrase)), MSP_STATE_WARNING);
	assert_int_equal(msp_age_judge(&p, NOW - 14 * 24 * HOUR, NOW, &age, phrase, sizeof(phrase)),
			 MSP_STATE_CRITICAL);
	assert_string_equal(phrase, "14d ago");
}

/* Ranges: "1h:26h" also warns about a backup that is too new (e.g. a job that ran twice). */
static void test_age__ranges_alert_below_start(void **state)
{
	struct msp_age_policy p = policy("1h:26h", "~:50h", NULL);
	char phrase[MSP_AGE_PHRASE_MAX];
	double age;

	(void)state;
	assert_int_equal(msp_age_judge(&p, NOW - 600, NOW, &age, phrase, sizeof(phrase)), MSP_STATE_WARNING);
	assert_int_equal(msp_age_judge(&p, NOW - 2 * HOUR, NOW, &age, phrase, sizeof(phrase)), MSP_STATE_OK);
}

static void test_age__small_skew_counts_as_now(void **state)
{
	struct msp_age_policy p = policy("26h", "50h", NULL);
	char phrase[MSP_AGE_PHRASE_MAX];
	double age = -1;

	(void)state;
	assert_int_equal(msp_age_judge(&p, NOW + 299, NOW, &age, phrase, sizeof(phrase)), MSP_STATE_OK);
	assert_true(age == 0);
	assert_string_equal(phrase, "just now");
}

/* A timestamp ahead of the clock is not "fresh": it is a clock problem. */
static void test_age__future_beyond_limit_is_warning(void **state)
{
	struct msp_age_policy p = policy("26h", "50h", NULL);
	struct msp_age_policy wide = policy("26h", "50h", "1d");
	char phrase[MSP_AGE_PHRASE_MAX];
	double age;

	(void)state;
	assert_int_equal(msp_age_judge(&p, NOW + 3 * HOUR + 120, NOW, &age, phrase, sizeof(phrase)),
			 MSP_STATE_WARNING);
	assert_true(age == -(3 * HOUR + 120));
	assert_string_equal(phrase, "3h 2m in the future (clock problem?)");
	assert_int_equal(msp_age_judge(&wide, NOW + 3 * HOUR, NOW, &age, phrase, sizeof(phrase)), MSP_STATE_OK);
	/* without thresholds the future is still a warning */
	p = policy(NULL, NULL, "0");
	assert_int_equal(msp_age_judge(&p, NOW + 1, NOW, &age, phrase, sizeof(phrase)), MSP_STATE_WARNING);
	/* a range whose start excludes age 0 makes it critical */
	p = policy(NULL, "1h:", NULL);
	assert_int_equal(msp_age_judge(&p, NOW + HOUR, NOW, &age, phrase, sizeof(phrase)), MSP_STATE_CRITICAL);
}

static void test_age__unknown_time_is_never_ok(void **state)
{
	struct msp_age_policy p = policy(NULL, NULL, NULL);
	char phrase[MSP_AGE_PHRASE_MAX];
	double age;

	(void)state;
	assert_int_equal(msp_age_judge(&p, NAN, NOW, &age, phrase, sizeof(phrase)), MSP_STATE_UNKNOWN);
	assert_int_equal(msp_age_judge(&p, INFINITY, NOW, &age, phrase, sizeof(phrase)), MSP_STATE_UNKNOWN);
}

static void test_age__bad_options_are_errors(void **state)
{
	struct msp_age_policy p = { .max_future = 7 };
	struct msp_error err;

	(void)state;
	msp_error_init(&err);
	assert_int_equal(msp_age_policy_parse(&p, "50h:26h", NULL, NULL, &err), MSP_EINVAL);
	assert_non_null(strstr(err.msg, "50h:26h"));
	assert_int_equal(msp_age_policy_parse(&p, NULL, "5x", NULL, NULL), MSP_EINVAL);
	assert_int_equal(msp_age_policy_parse(&p, NULL, NULL, "-5m", NULL), MSP_EINVAL);
	assert_int_equal(msp_age_policy_parse(&p, NULL, NULL, "soon", NULL), MSP_EINVAL);
	assert_true(p.max_future == 7);
	p = policy(NULL, NULL, "10m");
	assert_true(p.max_future == 600);
	assert_false(p.thr.has_warn || p.thr.has_crit);
}

static void test_age__warning_above_critical_is_an_error(void **state)
{
	struct msp_age_policy p = { .max_future = 7 };
	struct msp_error err;

	(void)state;
	msp_error_init(&err);
	assert_int_equal(msp_age_policy_parse_defaults(&p, "50h", "26h", "26h", "50h", NULL, &err), MSP_EINVAL);
	assert_string_equal(err.msg, "warning age '50h' is above critical age '26h': it would be CRITICAL before "
				     "it is ever a WARNING (swap the two)");
	assert_true(p.max_future == 7);
	/* Equal limits, the right order and ranges with a lower bound are the user's choice. */
	assert_int_equal(msp_age_policy_parse_defaults(&p, "26h", "26h", "1h", "2h", NULL, NULL), 0);
	assert_true(p.thr.warn.end == 26 * 3600 && p.thr.crit.end == 26 * 3600);
	assert_int_equal(msp_age_policy_parse_defaults(&p, "1h:50h", "26h", "1h", "2h", NULL, NULL), 0);
	assert_true(p.thr.warn.start == 3600);
	/* A critical limit alone below the default warning keeps the default, as before. */
	assert_int_equal(msp_age_policy_parse_defaults(&p, NULL, "12h", "26h", "50h", NULL, NULL), 0);
	assert_true(p.thr.warn.end == 26 * 3600 && p.thr.crit.end == 12 * 3600);
	assert_int_equal(msp_age_policy_parse_defaults(&p, NULL, NULL, "26h", "50h", "10m", NULL), 0);
	assert_true(p.thr.warn.end == 26 * 3600 && p.thr.crit.end == 50 * 3600 && p.max_future == 600);
}

static void test_age__perfdata_whole_seconds_with_thresholds(void **state)
{
	struct msp_age_policy p = policy("26h", "50h", NULL);
	struct msp_result *r = msp_result_new();
	struct msp_buf b;

	(void)state;
	assert_non_null(r);
	assert_non_null(msp_age_add_perf(r, "age", &p, 3600.4));
	assert_non_null(msp_age_add_perf(r, "future_age", &p, -50));
	msp_buf_init(&b, 256);
	assert_int_equal(msp_perf_write(&r->perf[0], &b), 0);
	assert_string_equal(msp_buf_str(&b), "age=3600s;93600;180000;0");
	msp_buf_reset(&b);
	assert_int_equal(msp_perf_write(&r->perf[1], &b), 0);
	assert_string_equal(msp_buf_str(&b), "future_age=0s;93600;180000;0");
	msp_buf_release(&b);
	msp_result_free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_age__thresholds_on_hours),
		cmocka_unit_test(test_age__ranges_alert_below_start),
		cmocka_unit_test(test_age__small_skew_counts_as_now),
		cmocka_unit_test(test_age__future_beyond_limit_is_warning),
		cmocka_unit_test(test_age__unknown_time_is_never_ok),
		cmocka_unit_test(test_age__bad_options_are_errors),
		cmocka_unit_test(test_age__warning_above_critical_is_an_error),
		cmocka_unit_test(test_age__perfdata_whole_seconds_with_thresholds),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
