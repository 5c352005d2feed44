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
	char *old = getenv("TZ") ? strdup(getenv("TZ")) : NULL;
	struct tm tm;

	(void)state;
	setenv("TZ", "CET-1CEST,M3.5.0,M10.5.0/3", 1);
	tzset();
	assert_ptr_equal(msp_time_local(1700000000, &tm), &tm);
	assert_int_equal(tm.tm_hour, 23); /* winter: UTC+1 */
	assert_int_equal(tm.tm_isdst, 0);
	msp_time_local(1690000000, &tm);
	assert_int_equal(tm.tm_hour, 6); /* summer: UTC+2 */
	assert_int_equal(tm.tm_min, 26);
	assert_int_equal(tm.tm_isdst, 1);
	if (old) {
		setenv("TZ", old, 1);
		free(old);
	} else {
		unsetenv("TZ");
	}
	tzset();
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
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
