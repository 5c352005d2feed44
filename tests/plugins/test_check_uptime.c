/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test_check_uptime.c - check_uptime's /proc/uptime parsing (files recorded
 * on this machine, one in a time namespace right after "boot"), duration
 * ranges, the ITL minimum-pair reading, summary and perfdata.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <setjmp.h>
#include <cmocka.h>

#include "check_uptime.h"

static double fixture_uptime(const char *dir)
{
	const char *top = getenv("top_srcdir");
	char path[1024];
	struct msp_buf b;
	struct msp_error err;
	double up = -1;

	snprintf(path, sizeof(path), "%s/tests/fixtures/check_uptime/%s/uptime", top && *top ? top : ".", dir);
	msp_buf_init(&b, 4096);
	msp_error_init(&err);
	if (msp_file_read(path, 4096, &b, &err) < 0)
		fail_msg("fixture: %s (is top_srcdir set?)", err.msg);
	assert_int_equal(check_uptime_parse(msp_buf_str(&b), &up, &err), 0);
	msp_buf_release(&b);
	return up;
}

static int configure(struct check_uptime_config *cfg, const char *warn, const char *crit, struct msp_error *err)
{
	const struct msp_plugin *p = msp_test_plugin;
	int r = 0;

	memset(cfg, 0, sizeof(*cfg));
	msp_error_init(err);
	for (const struct msp_option *o = p->options; o->short_name || o->long_name; o++) {
		if (o->short_name == 'w' && warn && !r)
			r = p->option(cfg, o->id, warn, err);
		if (o->short_name == 'c' && crit && !r)
			r = p->option(cfg, o->id, crit, err);
	}
	return r ? r : p->finish(cfg, NULL, err);
}

static char *evaluate(const struct check_uptime_config *cfg, double up, enum msp_state *st)
{
	struct msp_result *root = msp_result_new();
	struct msp_buf b;

	assert_int_equal(check_uptime_evaluate(cfg, up, 1795849200, root), 0);
	*st = msp_result_state(root);
	msp_buf_init(&b, MSP_OUTPUT_MAX + 4096);
	assert_int_equal(msp_render(root, MSP_FORMAT_NAGIOS, "check_uptime", "UPTIME", &b), 0);
	msp_result_free(root);
	return msp_buf_detach(&b);
}

static enum msp_state state_of(const char *warn, const char *crit, double up)
{
	struct check_uptime_config cfg;
	struct msp_error err;
	enum msp_state st;

	if (configure(&cfg, warn, crit, &err) != 0)
		fail_msg("-w %s -c %s: %s", warn, crit, err.msg);
	free(evaluate(&cfg, up, &st));
	return st;
}

static void test_parse__recorded_files(void **state)
{
	struct msp_error err;
	double up = 7;

	(void)state;
	assert_true(fixture_uptime("running") == 13252.35);
	assert_true(fixture_uptime("booted") == 300.61);
	assert_int_equal(check_uptime_parse("x 1\n", &up, &err), MSP_EINVAL);
	assert_int_equal(check_uptime_parse("", &up, &err), MSP_EINVAL);
	assert_int_equal(check_uptime_parse("-5 1\n", &up, &err), MSP_EINVAL);
	assert_true(up == 7);
}

static void test_ranges__durations(void **state)
{
	double running = fixture_uptime("running"), booted = fixture_uptime("booted");

	(void)state;
	/* a bare duration is an upper bound */
	assert_int_equal(state_of("4h", "1d", running), MSP_STATE_OK);
	assert_int_equal(state_of("3h", "1d", running), MSP_STATE_WARNING);
	assert_int_equal(state_of("1h", "2h", running), MSP_STATE_CRITICAL);
	/* a lower bound: just rebooted */
	assert_int_equal(state_of("10m:", "5m:", booted), MSP_STATE_WARNING);
	assert_int_equal(state_of("10m:", "6m:", booted), MSP_STATE_CRITICAL);
	assert_int_equal(state_of("10m:4w", "5m:52w", running), MSP_STATE_OK);
	assert_int_equal(state_of("@0:10m", NULL, booted), MSP_STATE_WARNING);
	assert_int_equal(state_of(NULL, "300", booted), MSP_STATE_CRITICAL);
}

static void test_ranges__itl_defaults_are_minimum_uptimes(void **state)
{
	struct check_uptime_config cfg;
	struct msp_error err;

	(void)state;
	assert_int_equal(configure(&cfg, "30m", "15m", &err), 0);
	assert_true(cfg.th.warn.start == 1800 && cfg.th.warn.end_inf);
	assert_true(cfg.th.crit.start == 900 && cfg.th.crit.end_inf);
	assert_int_equal(state_of("30m", "15m", fixture_uptime("booted")), MSP_STATE_CRITICAL);
	assert_int_equal(state_of("30m", "15m", 1200), MSP_STATE_WARNING);
	assert_int_equal(state_of("30m", "15m", fixture_uptime("running")), MSP_STATE_OK);
	/* warning below critical stays as written (upper bounds) */
	assert_int_equal(state_of("15m", "30m", 1200), MSP_STATE_WARNING);
}

static void test_options__errors(void **state)
{
	struct check_uptime_config cfg;
	struct msp_error err;

	(void)state;
	assert_int_equal(configure(&cfg, NULL, NULL, &err), MSP_EINVAL);
	assert_int_equal(configure(&cfg, "abc", "1h", &err), MSP_EINVAL);
	assert_int_equal(configure(&cfg, "4w:10m", "1h", &err), MSP_EINVAL);
	assert_int_equal(configure(&cfg, "10x", "1h", &err), MSP_EINVAL);
	assert_int_equal(configure(&cfg, "1h", "2h", &err), 0);
	assert_string_equal(cfg.proc_root, "/proc");
}

#define READ_30M_15M                                                                                     \
	"-w 30m -c 15m read as minimum uptimes (30m: 15m:): up less than 30m is WARNING, less than 15m " \
	"CRITICAL; to alert when up too long write -w 15m -c 30m"

/* -w 10d -c 5d meant as "up too long" reads as minimum uptimes: the output says so and what to write */
static void test_evaluate__swapped_pair_says_how_it_was_read(void **state)
{
	struct check_uptime_config cfg;
	struct msp_error err;
	enum msp_state st;
	char *out;

	(void)state;
	assert_int_equal(configure(&cfg, "10d", "5d", &err), 0);
	assert_true(cfg.minimum_pair);
	out = evaluate(&cfg, fixture_uptime("running"), &st);
	assert_int_equal(st, MSP_STATE_CRITICAL);
	assert_string_equal(out, "UPTIME CRITICAL - up for 3h 40m - less than 5d: rebooted recently | "
				 "uptime=13252s;864000:;432000:;0\n"
				 "-w 10d -c 5d read as minimum uptimes (10d: 5d:): up less than 10d is WARNING, less "
				 "than 5d CRITICAL; to alert when up too long write -w 5d -c 10d\n");
	free(out);
	out = evaluate(&cfg, 6 * 86400, &st);
	assert_int_equal(st, MSP_STATE_WARNING);
	assert_non_null(strstr(out, "UPTIME WARNING - up for 6d - less than 10d: rebooted recently |"));
	free(out);
	out = evaluate(&cfg, 11 * 86400, &st);
	assert_int_equal(st, MSP_STATE_OK);
	assert_non_null(strstr(out, "\n-w 10d -c 5d read as minimum uptimes"));
	free(out);
}

static void test_evaluate__summary_and_perfdata(void **state)
{
	struct check_uptime_config cfg;
	struct msp_error err;
	enum msp_state st;
	char *out;

	(void)state;
	assert_int_equal(configure(&cfg, "30m", "15m", &err), 0);
	out = evaluate(&cfg, fixture_uptime("running"), &st);
	assert_string_equal(out, "UPTIME OK - up for 3h 40m | uptime=13252s;1800:;900:;0\n" READ_30M_15M "\n");
	free(out);
	cfg.show_for = true;
	out = evaluate(&cfg, fixture_uptime("booted"), &st);
	assert_int_equal(st, MSP_STATE_CRITICAL);
	assert_string_equal(out, "UPTIME CRITICAL - up for 5 minutes - less than 15m: rebooted recently | "
				 "uptime=300s;1800:;900:;0\n" READ_30M_15M "\n");
	free(out);
	out = evaluate(&cfg, 90061, &st);
	assert_non_null(strstr(out, "up for 1 day, 1 hour, 1 minute |"));
	free(out);
	cfg.show_since = true;
	out = evaluate(&cfg, 90061, &st);
	assert_non_null(strstr(out, "up since "));
	assert_non_null(strstr(out, "(1 day, 1 hour, 1 minute)"));
	free(out);
	/* ranges as written (a maximum uptime) need no reading aid, and "rebooted recently" only below an hour */
	assert_int_equal(configure(&cfg, "5d", "10d", &err), 0);
	assert_false(cfg.minimum_pair);
	out = evaluate(&cfg, 2000, &st);
	assert_string_equal(out, "UPTIME OK - up for 33m 20s | uptime=2000s;432000;864000;0\n");
	free(out);
	assert_int_equal(configure(&cfg, "20m:", "10m:", &err), 0);
	out = evaluate(&cfg, 900, &st);
	assert_string_equal(out, "UPTIME WARNING - up for 15m - rebooted recently | uptime=900s;1200:;600:;0\n");
	free(out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse__recorded_files),
		cmocka_unit_test(test_ranges__durations),
		cmocka_unit_test(test_ranges__itl_defaults_are_minimum_uptimes),
		cmocka_unit_test(test_options__errors),
		cmocka_unit_test(test_evaluate__summary_and_perfdata),
		cmocka_unit_test(test_evaluate__swapped_pair_says_how_it_was_read),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
