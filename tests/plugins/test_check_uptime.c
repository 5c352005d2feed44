/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test_check_uptime.c - check_uptime's /proc/uptime parsing (files recorded
 * on this machine, one in a time namespace right after "boot"), duration
 * ranges, the ITL minimum-pair reading, summary and perfdata; options go
 * through the runner's own parser and finish (tests/helpers/msp_test.h).
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <setjmp.h>
#include <cmocka.h>

#include "check_uptime.h"
#include "msp_test.h"

#define RUNNING "tests/fixtures/check_uptime/running" /* 13252.35 s */
#define BOOTED "tests/fixtures/check_uptime/booted"   /* 300.61 s, recorded in a time namespace */
#define BROKEN "tests/fixtures/check_uptime/broken"

#define CONFIGURE(cfg, err, ...) msp_test_configure(msp_test_plugin, (cfg), sizeof(*(cfg)), MSP_ARGS(__VA_ARGS__), (err))
#define CONFIG_OK(cfg, ...) msp_test_configure_ok(msp_test_plugin, (cfg), sizeof(*(cfg)), MSP_ARGS(__VA_ARGS__))

static double fixture_uptime(const char *dir)
{
	char rel[256], *text;
	struct msp_error err;
	double up = -1;

	snprintf(rel, sizeof(rel), "check_uptime/%s/uptime", dir);
	text = msp_test_fixture(rel, 4096);
	msp_error_init(&err);
	assert_int_equal(check_uptime_parse(text, &up, &err), 0);
	free(text);
	return up;
}

/* The nagios output of cfg on an uptime of up seconds, at a fixed wall clock. */
static char *evaluate(const struct check_uptime_config *cfg, double up, enum msp_state *st)
{
	struct msp_result *root = msp_result_new();
	char *out;

	assert_int_equal(check_uptime_evaluate(cfg, up, 1795849200, root), 0);
	*st = msp_result_state(root);
	out = msp_test_render(msp_test_plugin, root, MSP_FORMAT_NAGIOS);
	msp_result_free(root);
	return out;
}

static void test_parse__recorded_files(void **state)
{
	struct msp_error err;
	double up = 7;

	(void)state;
	assert_true(fixture_uptime("running") == 13252.35);
	assert_true(fixture_uptime("booted") == 300.61);
	assert_int_equal(check_uptime_parse("x 1\n", &up, &err), MSP_EINVAL);
	assert_string_equal(err.msg, "cannot parse uptime 'x 1\n'");
	assert_int_equal(check_uptime_parse("", &up, &err), MSP_EINVAL);
	assert_int_equal(check_uptime_parse("-5 1\n", &up, &err), MSP_EINVAL);
	assert_true(up == 7);
}

/* Whole runs on the recorded files: states, summaries, perfdata, usage errors. */
static void test_runs__recorded_files(void **state)
{
	static const struct msp_test_case rows[] = {
		/* a bare duration is an upper bound */
		{ { "--proc-root", RUNNING, "-w", "4h", "-c", "1d" }, MSP_STATE_OK,
		  "^UPTIME OK - up for 3h 40m \\| uptime=13252s;14400;86400;0$" },
		{ { "--proc-root", RUNNING, "-w", "3h", "-c", "1d" }, MSP_STATE_WARNING,
		  "^UPTIME WARNING - up for 3h 40m \\| uptime=13252s;10800;86400;0$" },
		{ { "--proc-root", RUNNING, "-w", "1h", "-c", "2h" }, MSP_STATE_CRITICAL, "^UPTIME CRITICAL - up for 3h 40m \\|" },
		/* a lower bound: just rebooted */
		{ { "--proc-root", BOOTED, "-w", "10m:", "-c", "5m:" }, MSP_STATE_WARNING,
		  "^UPTIME WARNING - up for 5m 1s - rebooted recently \\| uptime=300s;600:;300:;0$" },
		{ { "--proc-root", BOOTED, "-w", "10m:", "-c", "6m:" }, MSP_STATE_CRITICAL, "uptime=300s;600:;360:;0$" },
		{ { "--proc-root", RUNNING, "-w", "10m:4w", "-c", "5m:52w" }, MSP_STATE_OK,
		  "uptime=13252s;600:2419200;300:31449600;0$" },
		{ { "--proc-root", BOOTED, "-w", "@0:10m" }, MSP_STATE_WARNING, "uptime=300s;@0:600;;0$" },
		{ { "--proc-root", BOOTED, "-c", "300" }, MSP_STATE_CRITICAL, "uptime=300s;;300;0$" },
		/* the ITL defaults are minimum uptimes */
		{ { "--proc-root", BOOTED, "--warning", "30m", "--critical", "15m" }, MSP_STATE_CRITICAL,
		  "^UPTIME CRITICAL - up for 5m 1s - less than 15m: rebooted recently \\| uptime=300s;1800:;900:;0$" },
		{ { "--proc-root", RUNNING, "--warning", "30m", "--critical", "15m" }, MSP_STATE_OK,
		  "^UPTIME OK - up for 3h 40m \\| uptime=13252s;1800:;900:;0$" },
		{ { "--proc-root", RUNNING, "-w", "4h", "--for" }, MSP_STATE_OK, "^UPTIME OK - up for 3 hours, 40 minutes \\|" },
		{ { "--proc-root", RUNNING, "-w", "4h", "-f", "-s" }, MSP_STATE_OK, "^UPTIME OK - up since .* \\(3 hours, 40 minutes\\) \\|" },
		/* fail closed */
		{ { "--proc-root", BROKEN, "-w", "4h" }, MSP_STATE_UNKNOWN, "^UPTIME UNKNOWN - cannot parse uptime 'x 1" },
		{ { "--proc-root", "/nonexistent/msp-proc", "-w", "4h" }, MSP_STATE_UNKNOWN,
		  "^UPTIME UNKNOWN - cannot open '/nonexistent/msp-proc/uptime'" },
		/* usage errors */
		{ { "-f" }, MSP_STATE_UNKNOWN, "^UPTIME UNKNOWN - missing thresholds: give --warning and/or --critical$" },
		{ { "-w", "abc", "-c", "1h" }, MSP_STATE_UNKNOWN, "^UPTIME UNKNOWN - --warning: cannot parse range 'abc'" },
		{ { "-w", "1h", "-c", "4w:10m" }, MSP_STATE_UNKNOWN, "^UPTIME UNKNOWN - --critical: cannot parse range '4w:10m'" },
		{ { "-w", "10x", "-c", "1h" }, MSP_STATE_UNKNOWN, "^UPTIME UNKNOWN - --warning: " },
		{ { "-w", "", "-c", "1h" }, MSP_STATE_UNKNOWN, "^UPTIME UNKNOWN - option '--warning' is empty$" },
		{ { "-w", "1h", "stray" }, MSP_STATE_UNKNOWN, "^UPTIME UNKNOWN - unexpected argument 'stray'$" },
	};
	struct check_uptime_config cfg;

	(void)state;
	msp_test_cases(msp_test_plugin, &cfg, sizeof(cfg), rows, sizeof(rows) / sizeof(rows[0]));
}

static void test_options__ranges_and_defaults(void **state)
{
	struct check_uptime_config cfg;
	struct msp_error err;

	(void)state;
	CONFIG_OK(&cfg, "-w", "1h", "-c", "2h");
	assert_string_equal(cfg.proc_root, "/proc");
	assert_true(cfg.th.has_warn && cfg.th.warn.end == 3600 && !cfg.th.warn.end_inf);
	assert_true(cfg.th.has_crit && cfg.th.crit.end == 7200);
	assert_false(cfg.minimum_pair);
	assert_false(cfg.show_for || cfg.show_since);
	/* the ITL defaults: warning above critical, both bare durations, are minimum uptimes */
	CONFIG_OK(&cfg, "--warning", "30m", "--critical", "15m");
	assert_true(cfg.th.warn.start == 1800 && cfg.th.warn.end_inf);
	assert_true(cfg.th.crit.start == 900 && cfg.th.crit.end_inf);
	assert_true(cfg.minimum_pair);
	assert_string_equal(cfg.warn_text, "30m");
	/* warning below critical stays as written (upper bounds) */
	CONFIG_OK(&cfg, "-w", "15m", "-c", "30m");
	assert_false(cfg.minimum_pair);
	assert_true(cfg.th.warn.end == 900 && !cfg.th.warn.end_inf);
	/* -w alone is never a pair */
	CONFIG_OK(&cfg, "-w", "30m");
	assert_false(cfg.th.has_crit);
	assert_false(cfg.minimum_pair);
	assert_int_equal(CONFIGURE(&cfg, &err, "-w", "4w:10m"), MSP_EINVAL);
	assert_non_null(strstr(err.msg, "--warning: cannot parse range '4w:10m'"));
}

#define READ_30M_15M                                                                                     \
	"-w 30m -c 15m read as minimum uptimes (30m: 15m:): up less than 30m is WARNING, less than 15m " \
	"CRITICAL; to alert when up too long write -w 15m -c 30m"

/* -w 10d -c 5d meant as "up too long" reads as minimum uptimes: the output says so and what to write */
static void test_evaluate__swapped_pair_says_how_it_was_read(void **state)
{
	struct check_uptime_config cfg;
	enum msp_state st;
	char *out;

	(void)state;
	CONFIG_OK(&cfg, "-w", "10d", "-c", "5d");
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
	enum msp_state st;
	char *out;

	(void)state;
	CONFIG_OK(&cfg, "-w", "30m", "-c", "15m");
	out = evaluate(&cfg, fixture_uptime("running"), &st);
	assert_int_equal(st, MSP_STATE_OK);
	assert_string_equal(out, "UPTIME OK - up for 3h 40m | uptime=13252s;1800:;900:;0\n" READ_30M_15M "\n");
	free(out);
	CONFIG_OK(&cfg, "-w", "30m", "-c", "15m", "--for");
	out = evaluate(&cfg, fixture_uptime("booted"), &st);
	assert_int_equal(st, MSP_STATE_CRITICAL);
	assert_string_equal(out, "UPTIME CRITICAL - up for 5 minutes - less than 15m: rebooted recently | "
				 "uptime=300s;1800:;900:;0\n" READ_30M_15M "\n");
	free(out);
	out = evaluate(&cfg, 90061, &st);
	assert_non_null(strstr(out, "up for 1 day, 1 hour, 1 minute |"));
	free(out);
	CONFIG_OK(&cfg, "-w", "30m", "-c", "15m", "--for", "--since");
	out = evaluate(&cfg, 90061, &st);
	assert_non_null(strstr(out, "up since "));
	assert_non_null(strstr(out, "(1 day, 1 hour, 1 minute)"));
	free(out);
	/* ranges as written (a maximum uptime) need no reading aid, and "rebooted recently" only below an hour */
	CONFIG_OK(&cfg, "-w", "5d", "-c", "10d");
	assert_false(cfg.minimum_pair);
	out = evaluate(&cfg, 2000, &st);
	assert_string_equal(out, "UPTIME OK - up for 33m 20s | uptime=2000s;432000;864000;0\n");
	free(out);
	CONFIG_OK(&cfg, "-w", "20m:", "-c", "10m:");
	out = evaluate(&cfg, 900, &st);
	assert_int_equal(st, MSP_STATE_WARNING);
	assert_string_equal(out, "UPTIME WARNING - up for 15m - rebooted recently | uptime=900s;1200:;600:;0\n");
	free(out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse__recorded_files),
		cmocka_unit_test(test_runs__recorded_files),
		cmocka_unit_test(test_options__ranges_and_defaults),
		cmocka_unit_test(test_evaluate__summary_and_perfdata),
		cmocka_unit_test(test_evaluate__swapped_pair_says_how_it_was_read),
	};

	/* the rows name the recorded files relative to the source tree */
	if (getenv("top_srcdir") && chdir(getenv("top_srcdir")) != 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
