/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test_msp_time.c - monotonic deadlines and the wall-clock helpers.
 */
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <setjmp.h>
#include <cmocka.h>

#include "msp.h"

/* Switch TZ for a test; returns the old value for tz_restore (caller passes it back). */
static char *tz_set(const char *tz)
{
	char *old = getenv("TZ") ? strdup(getenv("TZ")) : NULL;

	setenv("TZ", tz, 1);
	tzset();
	return old;
}

static void tz_restore(char *old)
{
	if (old) {
		setenv("TZ", old, 1);
		free(old);
	} else {
		unsetenv("TZ");
	}
	tzset();
}

static void test_time__deadline_counts_down_and_passes(void **state)
{
	struct timespec d = msp_deadline_in(0.3);
	int left = msp_deadline_ms_left(&d);

	(void)state;
	if (left < 200 || left > 300)
		fail_msg("0.3 s deadline has %d ms left right away", left);
	assert_false(msp_deadline_passed(&d));
	usleep(350000);
	assert_int_equal(msp_deadline_ms_left(&d), 0);
	assert_true(msp_deadline_passed(&d));
}

static void test_time__ms_left_rounds_up_until_passed(void **state)
{
	/*
	 * Truncating would report 0 ms during the last millisecond, and a
	 * poll(..., 0) loop would spin while the deadline has not passed yet:
	 * 0 must only come once the deadline is really behind us.
	 */
	struct timespec d = msp_deadline_in(0.05);

	(void)state;
	for (;;) {
		int left = msp_deadline_ms_left(&d);
		struct timespec now;

		clock_gettime(CLOCK_MONOTONIC, &now);
		assert_true(left <= 50);
		if (left == 0) {
			if (now.tv_sec < d.tv_sec || (now.tv_sec == d.tv_sec && now.tv_nsec < d.tv_nsec))
				fail_msg("0 ms left reported before the deadline");
			break;
		}
	}
	assert_true(msp_deadline_passed(&d));
}

static void test_time__deadline_nanoseconds_stay_normalised(void **state)
{
	(void)state;
	for (int i = 0; i < 2000; i++) {
		struct timespec d = msp_deadline_in(i * 0.0007 + 0.999999999 * (i % 2));

		assert_true(d.tv_nsec >= 0);
		assert_true(d.tv_nsec < 1000000000L);
	}
}

static void test_time__odd_durations_are_clamped(void **state)
{
	struct timespec d;

	(void)state;
	d = msp_deadline_in(-5);
	assert_true(msp_deadline_passed(&d));
	d = msp_deadline_in(0);
	assert_true(msp_deadline_passed(&d));
	d = msp_deadline_in(NAN);
	assert_true(msp_deadline_passed(&d));
	assert_true(d.tv_nsec >= 0 && d.tv_nsec < 1000000000L);
	d = msp_deadline_in(-INFINITY);
	assert_true(msp_deadline_passed(&d));
	d = msp_deadline_in(1e300);
	assert_int_equal(msp_deadline_ms_left(&d), INT_MAX);
	d = msp_deadline_in(INFINITY);
	assert_int_equal(msp_deadline_ms_left(&d), INT_MAX);
	assert_false(msp_deadline_passed(&d));
	d = msp_deadline_in(86400);
	assert_in_range(msp_deadline_ms_left(&d), 86399000, 86400000);
}

static void test_time__mono_advances(void **state)
{
	double a = msp_time_mono(), b;

	(void)state;
	usleep(50000);
	b = msp_time_mono();
	assert_true(b - a >= 0.049);
	assert_true(b - a < 5);
}

static void test_time__utc_breaks_down_epoch_seconds(void **state)
{
	struct tm tm;

	(void)state;
	assert_ptr_equal(msp_time_utc(0, &tm), &tm);
	assert_int_equal(tm.tm_year, 70);
	assert_int_equal(tm.tm_mon, 0);
	assert_int_equal(tm.tm_mday, 1);
	assert_int_equal(tm.tm_hour, 0);
	assert_int_equal(tm.tm_wday, 4);
	msp_time_utc(1700000000, &tm);
	assert_int_equal(tm.tm_year + 1900, 2023);
	assert_int_equal(tm.tm_mon + 1, 11);
	assert_int_equal(tm.tm_mday, 14);
	assert_int_equal(tm.tm_hour, 22);
	assert_int_equal(tm.tm_min, 13);
	assert_int_equal(tm.tm_sec, 20);
}

static void test_time__local_follows_tz(void **state)
{
	char *old = tz_set("CET-1CEST,M3.5.0,M10.5.0/3");
	struct tm tm;

	(void)state;
	assert_ptr_equal(msp_time_local(1700000000, &tm), &tm);
	assert_int_equal(tm.tm_hour, 23); /* winter: UTC+1 */
	assert_int_equal(tm.tm_isdst, 0);
	msp_time_local(1690000000, &tm);
	assert_int_equal(tm.tm_hour, 6); /* summer: UTC+2 */
	assert_int_equal(tm.tm_min, 26);
	assert_int_equal(tm.tm_isdst, 1);
	tz_restore(old);
}

/* The same instant written with the offsets restic, Go and ISO tools use. */
static void test_time__rfc3339_offsets_name_one_instant(void **state)
{
	static const char *const same[] = {
		"2026-11-28T02:41:49+01:00", "2026-11-28T01:41:49Z",      "2026-11-28t01:41:49z",
		"2026-11-28 01:41:49+00:00", "2026-11-28T14:41:49+13:00", "2026-11-27T15:41:49-10:00",
		"2026-11-28T02:41:49+0100",  "2026-11-28T02:41:49+01",    " 2026-11-28T01:41:49Z\n",
	};
	double t;

	(void)state;
	for (size_t i = 0; i < sizeof(same) / sizeof(same[0]); i++) {
		t = 0;
		assert_int_equal(msp_time_parse_rfc3339(same[i], 0, &t, NULL), 0);
		assert_true(t == 1795830109.0);
	}
}

static void test_time__rfc3339_keeps_fractions_up_to_nanoseconds(void **state)
{
	double t;

	(void)state;
	assert_int_equal(msp_time_parse_rfc3339("2026-11-28T02:41:49.602813859+01:00", 0, &t, NULL), 0);
	assert_true(fabs(t - 1795830109.602813859) < 1e-6);
	assert_int_equal(msp_time_parse_rfc3339("2026-11-28T01:41:49.5Z", 0, &t, NULL), 0);
	assert_true(t == 1795830109.5);
	assert_int_equal(msp_time_parse_rfc3339("2026-11-28T01:41:49.1234567891Z", 0, &t, NULL), MSP_EINVAL);
	assert_int_equal(msp_time_parse_rfc3339("2026-11-28T01:41:49.Z", 0, &t, NULL), MSP_EINVAL);
}

static void test_time__rfc3339_calendar_edges(void **state)
{
	double t;

	(void)state;
	assert_int_equal(msp_time_parse_rfc3339("2000-02-29T00:00:00Z", 0, &t, NULL), 0);
	assert_true(t == 951782400.0);
	assert_int_equal(msp_time_parse_rfc3339("1969-12-31T23:59:59Z", 0, &t, NULL), 0);
	assert_true(t == -1.0);
	assert_int_equal(msp_time_parse_rfc3339("2024-12-31T23:00:00-05:00", 0, &t, NULL), 0);
	assert_true(t == 1735704000.0);
	assert_int_equal(msp_time_parse_rfc3339("2023-02-29T00:00:00Z", 0, &t, NULL), MSP_EINVAL);
	assert_int_equal(msp_time_parse_rfc3339("2100-02-29T00:00:00Z", 0, &t, NULL), MSP_EINVAL);
}

static void test_time__rfc3339_rejects_garbage_and_keeps_output(void **state)
{
	static const char *const bad[] = {
		"",
		"2026-11-28",
		"2026-11-28T01:41Z",
		"2026-13-01T00:00:00Z",
		"2026-11-31T00:00:00Z",
		"2026-11-28T24:00:00Z",
		"2026-11-28T01:60:00Z",
		"2026-11-28T01:41:49+24:00",
		"2026-11-28T01:41:49Zjunk",
		"2026-11-28X01:41:49Z",
		"+2026-11-28T01:41:49Z",
		"1795830109",
		"2026-11-28T01:41:49 +01:00",
	};
	struct msp_error err;
	double t = 42;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		msp_error_init(&err);
		assert_int_equal(msp_time_parse_rfc3339(bad[i], MSP_TIME_NAIVE_UTC, &t, &err), MSP_EINVAL);
		assert_non_null(strstr(err.msg, "cannot parse time"));
		assert_true(t == 42);
	}
}

/* A time without a zone is ambiguous: an error unless the caller knows the writer used UTC. */
static void test_time__rfc3339_naive_needs_the_flag(void **state)
{
	struct msp_error err;
	double t;

	(void)state;
	msp_error_init(&err);
	assert_int_equal(msp_time_parse_rfc3339("2026-11-28T01:41:49", 0, &t, &err), MSP_EINVAL);
	assert_string_equal(err.msg, "time '2026-11-28T01:41:49' has no UTC offset");
	assert_int_equal(msp_time_parse_rfc3339("2026-11-28T01:41:49.000000", MSP_TIME_NAIVE_UTC, &t, NULL), 0);
	assert_true(t == 1795830109.0);
}

/* An offset cut after its colon is no offset: "+01:" must not read as +01:00. */
static void test_time__rfc3339_rejects_a_cut_offset(void **state)
{
	double t = 42;

	(void)state;
	assert_int_equal(msp_time_parse_rfc3339("2026-11-28T01:41:49+01:", 0, &t, NULL), MSP_EINVAL);
	assert_int_equal(msp_time_parse_rfc3339("2026-11-28T01:41:49+01:5", 0, &t, NULL), MSP_EINVAL);
	assert_true(t == 42);
	assert_int_equal(msp_time_parse_rfc3339("2026-11-28T01:41:49+01", 0, &t, NULL), 0);
	assert_true(t == 1795826509.0);
}

/* Logs such as rsnapshot's write local time without a zone: MSP_TIME_NAIVE_LOCAL reads it in TZ. */
static void test_time__rfc3339_naive_local_follows_tz(void **state)
{
	char *old = tz_set("Asia/Tokyo");
	double t;

	(void)state;
	assert_int_equal(msp_time_parse_rfc3339("2026-11-28T10:41:49", MSP_TIME_NAIVE_LOCAL, &t, NULL), 0);
	assert_true(t == 1795830109.0);
	/* an offset in the text wins over the zone */
	assert_int_equal(msp_time_parse_rfc3339("2026-11-28T01:41:49Z", MSP_TIME_NAIVE_LOCAL, &t, NULL), 0);
	assert_true(t == 1795830109.0);
	setenv("TZ", "CET-1CEST,M3.5.0,M10.5.0/3", 1);
	tzset();
	assert_int_equal(msp_time_parse_rfc3339("2026-07-01T12:00:00.5", MSP_TIME_NAIVE_LOCAL, &t, NULL), 0);
	assert_true(t == 1782900000.5); /* summer time: UTC+2 */
	tz_restore(old);
}

/* Impossible fields are rejected, never rolled over to another date (as mktime would). */
static void test_time__naive_local_rejects_impossible_fields(void **state)
{
	static const char *const bad[] = {
		"2026-13-45T99:99:99", "2026-02-29T00:00:00", "2026-02-30T05:00:00", "2026-04-31T00:00:00",
		"2026-00-10T00:00:00", "2026-11-00T00:00:00", "2026-11-28T24:00:00", "2026-11-28T23:60:00",
		"2026-11-28T23:59:61", "2026-1-28T23:59:59",  "2026-11-28T-1:59:59",
	};
	char *old = tz_set("UTC0");
	struct msp_error err;
	double t = 42;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		msp_error_init(&err);
		if (msp_time_parse_rfc3339(bad[i], MSP_TIME_NAIVE_LOCAL, &t, &err) != MSP_EINVAL)
			fail_msg("'%s' was accepted", bad[i]);
		assert_non_null(strstr(err.msg, "cannot parse time"));
		assert_true(t == 42);
	}
	assert_int_equal(msp_time_parse_rfc3339("2028-02-29T23:59:60", MSP_TIME_NAIVE_LOCAL, &t, NULL), 0);
	tz_restore(old);
}

/* Epoch seconds from a file: finite, not before 1970, not after 9999 (what RFC 3339 can name). */
static void test_time__tm_valid_rejects_days_the_month_lacks(void **state)
{
	struct tm tm = { .tm_year = 126, .tm_mon = 1, .tm_mday = 28, .tm_hour = 23, .tm_min = 59, .tm_sec = 60 };

	(void)state;
	assert_true(msp_time_tm_valid(&tm));
	tm.tm_mday = 29; /* 2026 is no leap year */
	assert_false(msp_time_tm_valid(&tm));
	tm.tm_year = 124; /* 2024 is */
	assert_true(msp_time_tm_valid(&tm));
	tm.tm_mday = 31;
	assert_false(msp_time_tm_valid(&tm));
	tm = (struct tm){ .tm_year = 126, .tm_mon = 11, .tm_mday = 31, .tm_hour = 24 };
	assert_false(msp_time_tm_valid(&tm));
	tm.tm_hour = 23;
	tm.tm_min = 60;
	assert_false(msp_time_tm_valid(&tm));
	tm.tm_min = 0;
	tm.tm_mon = 12;
	assert_false(msp_time_tm_valid(&tm));
	tm.tm_mon = 11;
	assert_true(msp_time_tm_valid(&tm));
}

static void test_time__epoch_plausible(void **state)
{
	(void)state;
	assert_true(msp_time_epoch_plausible(0));
	assert_true(msp_time_epoch_plausible(1795830109.5));
	assert_true(msp_time_epoch_plausible(253402300799.0));
	assert_false(msp_time_epoch_plausible(253402300800.0));
	assert_false(msp_time_epoch_plausible(1795830109000.0)); /* milliseconds */
	assert_false(msp_time_epoch_plausible(-1));
	assert_false(msp_time_epoch_plausible(NAN));
	assert_false(msp_time_epoch_plausible(INFINITY));
	assert_false(msp_time_epoch_plausible(-INFINITY));
}

static void test_time__format_uses_local_zone(void **state)
{
	char *old = tz_set("CET-1CEST,M3.5.0,M10.5.0/3");
	char buf[MSP_TIME_FORMAT_MAX];

	(void)state;
	assert_string_equal(msp_time_format(1795830109.9, buf, sizeof(buf)), "2026-11-28 02:41 +0100");
	setenv("TZ", "UTC0", 1);
	tzset();
	assert_string_equal(msp_time_format(1795830109, buf, sizeof(buf)), "2026-11-28 01:41 +0000");
	assert_string_equal(msp_time_format(NAN, buf, sizeof(buf)), "");
	assert_string_equal(msp_time_format(1795830109, buf, 5), "");
	tz_restore(old);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_time__deadline_counts_down_and_passes),
		cmocka_unit_test(test_time__ms_left_rounds_up_until_passed),
		cmocka_unit_test(test_time__deadline_nanoseconds_stay_normalised),
		cmocka_unit_test(test_time__odd_durations_are_clamped),
		cmocka_unit_test(test_time__mono_advances),
		cmocka_unit_test(test_time__utc_breaks_down_epoch_seconds),
		cmocka_unit_test(test_time__local_follows_tz),
		cmocka_unit_test(test_time__rfc3339_offsets_name_one_instant),
		cmocka_unit_test(test_time__rfc3339_keeps_fractions_up_to_nanoseconds),
		cmocka_unit_test(test_time__rfc3339_calendar_edges),
		cmocka_unit_test(test_time__rfc3339_rejects_garbage_and_keeps_output),
		cmocka_unit_test(test_time__rfc3339_naive_needs_the_flag),
		cmocka_unit_test(test_time__rfc3339_rejects_a_cut_offset),
		cmocka_unit_test(test_time__rfc3339_naive_local_follows_tz),
		cmocka_unit_test(test_time__naive_local_rejects_impossible_fields),
		cmocka_unit_test(test_time__tm_valid_rejects_days_the_month_lacks),
		cmocka_unit_test(test_time__epoch_plausible),
		cmocka_unit_test(test_time__format_uses_local_zone),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
