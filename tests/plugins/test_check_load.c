/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test_check_load.c - check_load's parse (recorded /proc/loadavg files),
 * its threshold syntax, evaluate (states, -r scaling, perfdata, summary),
 * the option and finish callbacks, and the probe run on the fixtures.
 */
#include <locale.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <setjmp.h>
#include <cmocka.h>

#include "check_load.h"
#include "msp_test.h"

/* ------------------------------------------------------------ helpers */

#define CONFIGURE(cfg, err, ...) msp_test_configure(msp_test_plugin, (cfg), sizeof(*(cfg)), MSP_ARGS(__VA_ARGS__), (err))
#define CONFIG_OK(cfg, ...) msp_test_configure_ok(msp_test_plugin, (cfg), sizeof(*(cfg)), MSP_ARGS(__VA_ARGS__))

/* Read tests/fixtures/check_load/<name> into a malloc'd string. */
static char *fixture(const char *name)
{
	char rel[256];

	snprintf(rel, sizeof(rel), "check_load/%s", name);
	return msp_test_fixture(rel, 4096);
}

/* Configure -w warn -c crit through the runner's parser and finish; asserts they are accepted. */
static void set_thresholds(struct check_load_config *cfg, const char *warn, const char *crit)
{
	CONFIG_OK(cfg, "-w", warn, "-c", crit);
}

/* Evaluate and render in the nagios format; *ret_state gets the state. Caller frees. */
static char *evaluate(const struct check_load_config *cfg, double l1, double l5, double l15, long ncpu,
		      enum msp_state *ret_state)
{
	struct check_load_sample s = { { l1, l5, l15 }, ncpu };
	struct msp_result *root = msp_result_new();
	char *out;

	assert_non_null(root);
	assert_int_equal(check_load_evaluate(cfg, &s, root), 0);
	*ret_state = msp_result_state(root);
	out = msp_test_render(msp_test_plugin, root, MSP_FORMAT_NAGIOS); /* the reference's line */
	msp_result_free(root);
	return out;
}

static enum msp_state state_of(const struct check_load_config *cfg, double l1, double l5, double l15)
{
	enum msp_state st;

	free(evaluate(cfg, l1, l5, l15, 1, &st));
	return st;
}

static bool range_is(const struct msp_range *r, const char *text)
{
	char buf[MSP_RANGE_FORMAT_MAX];

	return strcmp(msp_range_format(r, 1, buf, sizeof(buf)), text) == 0;
}

/* ------------------------------------------------------------ parse */

struct parse_case {
	const char *file;
	double load[3];
};

/* The recorded files and the values in them (see tests/fixtures/check_load/README.md). */
static const struct parse_case recorded[] = {
	{ "loadavg_idle.txt", { 0.37, 0.48, 0.26 } },
	{ "loadavg_busy.txt", { 4.99, 3.38, 2.03 } },
};

static void test_parse__recorded_loadavg_files(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(recorded) / sizeof(recorded[0]); i++) {
		char *text = fixture(recorded[i].file);
		struct check_load_sample s = { { -1, -1, -1 }, 0 };
		struct msp_error err;

		msp_error_init(&err);
		if (check_load_parse(text, &s, &err) != 0)
			fail_msg("%s: %s", recorded[i].file, err.msg);
		for (int k = 0; k < 3; k++)
			if (s.load[k] != recorded[i].load[k])
				fail_msg("%s: load %d is %g, expected %g", recorded[i].file, k, s.load[k],
					 recorded[i].load[k]);
		free(text);
	}
}

static void test_parse__truncated_file_is_an_error(void **state)
{
	char *text = fixture("loadavg_truncated.txt");
	struct check_load_sample s = { { -1, -1, -1 }, 0 };
	struct msp_error err;

	(void)state;
	msp_error_init(&err);
	assert_int_equal(check_load_parse(text, &s, &err), MSP_EINVAL);
	assert_string_equal(err.msg, "cannot parse load averages '4.99 3.38'");
	assert_true(s.load[0] == -1); /* untouched */
	free(text);
}

static void test_parse__malformed_values_are_errors(void **state)
{
	static const char *const bad[] = { "",
					   "\n",
					   "0.72 0.26",
					   "-0.5 0.26 0.09 1/79 6208\n",
					   "0.72 nan 0.09 1/79 6208\n",
					   "0.72 0.26 inf 1/79 6208\n",
					   "0,72 0,26 0,09 1/79 6208\n",
					   "0.72 0.26 0x10 1/79 6208\n",
					   "0.72x 0.26 0.09 1/79 6208\n",
					   "load average: 0.72 0.26 0.09\n" };

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct check_load_sample s;
		struct msp_error err;

		msp_error_init(&err);
		if (check_load_parse(bad[i], &s, &err) != MSP_EINVAL)
			fail_msg("'%s' parsed", bad[i]);
		assert_true(strncmp(err.msg, "cannot parse load average", 25) == 0);
	}
}

static void test_parse__ignores_the_locale(void **state)
{
	const char *allow = getenv("MSP_ALLOW_NO_LOCALE");
	struct check_load_sample s;

	(void)state;
	if (!setlocale(LC_ALL, "de_DE.UTF-8")) {
		if (allow && strcmp(allow, "1") == 0)
			skip();
		fail_msg("locale de_DE.UTF-8 is missing (localedef -i de_DE -f UTF-8 de_DE.UTF-8, "
			 "or set MSP_ALLOW_NO_LOCALE=1)");
	}
	assert_int_equal(check_load_parse("0.72 0.26 0.09 1/79 6208\n", &s, NULL), 0);
	setlocale(LC_ALL, "C");
	assert_true(s.load[0] == 0.72 && s.load[1] == 0.26 && s.load[2] == 0.09);
}

/* ------------------------------------------------------------ thresholds */

static void test_thresholds__one_value_applies_to_all(void **state)
{
	struct msp_range r[3];

	(void)state;
	assert_int_equal(check_load_parse_thresholds("5", r, NULL), 0);
	for (int i = 0; i < 3; i++)
		assert_true(range_is(&r[i], "5"));
}

static void test_thresholds__three_values_in_order(void **state)
{
	struct msp_range r[3];

	(void)state;
	assert_int_equal(check_load_parse_thresholds("15,10,5", r, NULL), 0);
	assert_true(range_is(&r[0], "15"));
	assert_true(range_is(&r[1], "10"));
	assert_true(range_is(&r[2], "5"));
	assert_int_equal(check_load_parse_thresholds("0.5,1.25,2", r, NULL), 0);
	assert_true(r[0].end == 0.5 && r[1].end == 1.25 && r[2].end == 2);
}

static void test_thresholds__missing_values_repeat_the_last(void **state)
{
	struct msp_range r[3];

	(void)state;
	assert_int_equal(check_load_parse_thresholds("1,2", r, NULL), 0);
	assert_true(range_is(&r[0], "1"));
	assert_true(range_is(&r[1], "2"));
	assert_true(range_is(&r[2], "2"));
	/* a trailing comma is tolerated, as in the reference */
	assert_int_equal(check_load_parse_thresholds("1,2,", r, NULL), 0);
	assert_true(range_is(&r[2], "2"));
	assert_int_equal(check_load_parse_thresholds("1,2,3,", r, NULL), 0);
	assert_true(range_is(&r[2], "3"));
}

static void test_thresholds__ranges_per_value(void **state)
{
	struct msp_range r[3];

	(void)state;
	assert_int_equal(check_load_parse_thresholds("2:8,@0:1,~:5", r, NULL), 0);
	assert_true(range_is(&r[0], "2:8"));
	assert_true(range_is(&r[1], "@0:1"));
	assert_true(range_is(&r[2], "~:5"));
	assert_true(msp_range_alert(&r[0], 1));
	assert_false(msp_range_alert(&r[0], 8));
	assert_true(msp_range_alert(&r[1], 0.5));
	assert_true(msp_range_alert(&r[2], 5.01));
}

static void test_thresholds__bad_values_are_errors(void **state)
{
	static const struct {
		const char *arg;
		const char *msg;
	} bad[] = {
		{ "", "load threshold is empty" },
		{ "1,,3", "cannot parse load threshold '1,,3': empty value" },
		{ ",1", "cannot parse load threshold ',1': empty value" },
		{ ",", "cannot parse load threshold ',': empty value" },
		{ "1,2,3,4", "cannot parse load threshold '1,2,3,4': more than three values" },
		{ "1,2,3,,", "cannot parse load threshold '1,2,3,,': more than three values" },
		{ "1x", "cannot parse range '1x': '1x' has trailing garbage" },
		{ "1,2x", "cannot parse range '2x': '2x' has trailing garbage" },
		{ "10:5", "cannot parse range '10:5': range start is above end" },
		{ "nan", "cannot parse range 'nan': 'nan' is not a number" },
		{ "@", "cannot parse range '@': nothing after '@'" },
	};
	struct msp_range r[3], before[3];

	(void)state;
	memset(r, 0x5a, sizeof(r));
	memcpy(before, r, sizeof(r));
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct msp_error err;

		msp_error_init(&err);
		if (check_load_parse_thresholds(bad[i].arg, r, &err) != MSP_EINVAL)
			fail_msg("'%s' accepted", bad[i].arg);
		if (strcmp(err.msg, bad[i].msg) != 0)
			fail_msg("'%s': message '%s', expected '%s'", bad[i].arg, err.msg, bad[i].msg);
		assert_memory_equal(r, before, sizeof(r));
	}
	assert_int_equal(check_load_parse_thresholds(NULL, r, NULL), MSP_EINVAL);
}

/* ------------------------------------------------------------ evaluate */

static void test_evaluate__each_value_against_its_own_thresholds(void **state)
{
	struct check_load_config cfg;

	(void)state;
	set_thresholds(&cfg, "1,2,3", "4,5,6");
	assert_int_equal(state_of(&cfg, 0.5, 0.5, 0.5), MSP_STATE_OK);
	assert_int_equal(state_of(&cfg, 1, 2, 3), MSP_STATE_OK); /* thresholds are inclusive */
	assert_int_equal(state_of(&cfg, 1.01, 0, 0), MSP_STATE_WARNING);
	assert_int_equal(state_of(&cfg, 0, 2.01, 0), MSP_STATE_WARNING);
	assert_int_equal(state_of(&cfg, 0, 0, 3.01), MSP_STATE_WARNING);
	assert_int_equal(state_of(&cfg, 4.01, 0, 0), MSP_STATE_CRITICAL);
	assert_int_equal(state_of(&cfg, 0, 5.01, 0), MSP_STATE_CRITICAL);
	assert_int_equal(state_of(&cfg, 0, 0, 6.01), MSP_STATE_CRITICAL);
	assert_int_equal(state_of(&cfg, 4, 5, 6), MSP_STATE_WARNING);
	/* the worst of the three wins */
	assert_int_equal(state_of(&cfg, 1.5, 0, 6.5), MSP_STATE_CRITICAL);
	/* 1-minute 3.5 is only a warning for load1 (warn 1, crit 4) although it would be critical for load15 */
	assert_int_equal(state_of(&cfg, 3.5, 0, 0), MSP_STATE_WARNING);
}

static void test_evaluate__ranges_and_inverted_ranges(void **state)
{
	struct check_load_config cfg;

	(void)state;
	/* warn when the load is suspiciously low (a stopped workload), crit when high */
	set_thresholds(&cfg, "@0:0.1", "10");
	assert_int_equal(state_of(&cfg, 0.05, 0.5, 0.5), MSP_STATE_WARNING);
	assert_int_equal(state_of(&cfg, 0.5, 0.5, 0.5), MSP_STATE_OK);
	assert_int_equal(state_of(&cfg, 11, 0.5, 0.5), MSP_STATE_CRITICAL);
}

static void test_evaluate__recorded_samples(void **state)
{
	struct check_load_config cfg;
	struct check_load_sample s;
	struct msp_result *root;
	char *text = fixture("loadavg_busy.txt");
	char *out;

	(void)state;
	assert_int_equal(check_load_parse(text, &s, NULL), 0);
	free(text);
	s.ncpu = 2; /* the machine it was recorded on */
	set_thresholds(&cfg, "4,3,2", "6,5,4");
	root = msp_result_new();
	assert_int_equal(check_load_evaluate(&cfg, &s, root), 0);
	assert_int_equal(msp_result_state(root), MSP_STATE_WARNING);
	out = msp_test_render(msp_test_plugin, root, MSP_FORMAT_NAGIOS);
	/* the reference's line: no blank before the bar, three decimals, the empty max field, a blank at the end */
	assert_string_equal(out, "LOAD WARNING - total load average: 4.99, 3.38, 2.03|"
				 "load1=4.990;4.000;6.000;0; load5=3.380;3.000;5.000;0; "
				 "load15=2.030;2.000;4.000;0; \n");
	free(out);
	msp_result_free(root);
}

static void test_evaluate__summary_and_perfdata(void **state)
{
	struct check_load_config cfg;
	enum msp_state st;
	char *out;

	(void)state;
	set_thresholds(&cfg, "15,10,5", "30,25,20");
	out = evaluate(&cfg, 1.14, 0.6, 0.28, 2, &st);
	assert_int_equal(st, MSP_STATE_OK);
	assert_string_equal(out, "LOAD OK - total load average: 1.14, 0.60, 0.28|"
				 "load1=1.140;15.000;30.000;0; load5=0.600;10.000;25.000;0; load15=0.280;5.000;20.000;0; \n");
	free(out);
	/* three decimals in perfdata, two in the summary */
	out = evaluate(&cfg, 12.3456, 0, 100.5, 2, &st);
	assert_int_equal(st, MSP_STATE_CRITICAL);
	assert_string_equal(out, "LOAD CRITICAL - total load average: 12.35, 0.00, 100.50|"
				 "load1=12.346;15.000;30.000;0; load5=0.000;10.000;25.000;0; "
				 "load15=100.500;5.000;20.000;0; \n");
	free(out);
	/* range thresholds are written as ranges */
	set_thresholds(&cfg, "2:8", "@0:1");
	out = evaluate(&cfg, 0.5, 0.5, 0.5, 2, &st);
	assert_int_equal(st, MSP_STATE_CRITICAL);
	assert_string_equal(out, "LOAD CRITICAL - total load average: 0.50, 0.50, 0.50|"
				 "load1=0.500;2:8;@0:1;0; load5=0.500;2:8;@0:1;0; load15=0.500;2:8;@0:1;0; \n");
	free(out);
}

static void test_evaluate__percpu_scales_by_cpu_count(void **state)
{
	struct check_load_config cfg;
	enum msp_state st;
	char *out;

	(void)state;
	CONFIG_OK(&cfg, "-r", "-w", "1", "-c", "2");
	assert_true(cfg.percpu);
	/* 6 on 4 CPUs is 1.5 per CPU: warning; unscaled it would be critical */
	out = evaluate(&cfg, 6, 2, 1, 4, &st);
	assert_int_equal(st, MSP_STATE_WARNING);
	assert_string_equal(out, "LOAD WARNING - scaled load average: 1.50, 0.50, 0.25 - total load average: 6.00, "
				 "2.00, 1.00|load1=6.000;;;0; scaled_load1=1.500;1.000;2.000;0; load5=2.000;;;0; "
				 "scaled_load5=0.500;1.000;2.000;0; load15=1.000;;;0; scaled_load15=0.250;1.000;2.000;0; \n");
	free(out);
	out = evaluate(&cfg, 9, 2, 1, 4, &st);
	assert_int_equal(st, MSP_STATE_CRITICAL);
	free(out);
	out = evaluate(&cfg, 3.9, 3.9, 3.9, 4, &st);
	assert_int_equal(st, MSP_STATE_OK);
	free(out);
	/* a CPU count of 0 (unknown) counts as 1 rather than dividing by zero */
	out = evaluate(&cfg, 1.5, 0, 0, 0, &st);
	assert_int_equal(st, MSP_STATE_WARNING);
	assert_non_null(strstr(out, "scaled load average: 1.50, 0.00, 0.00"));
	free(out);
	/* without -r the CPU count does not matter */
	set_thresholds(&cfg, "1", "2");
	assert_false(cfg.percpu);
	out = evaluate(&cfg, 6, 2, 1, 4, &st);
	assert_int_equal(st, MSP_STATE_CRITICAL);
	assert_null(strstr(out, "scaled"));
	free(out);
}

/* ------------------------------------------------------ options */

static void test_options__warning_critical_and_flags(void **state)
{
	struct check_load_config cfg;

	(void)state;
	CONFIG_OK(&cfg, "-w", "1,2,3", "-c", "4", "-r", "-n", "5", "--proc-root", "/tmp/x");
	assert_true(cfg.has_warn);
	assert_true(range_is(&cfg.warn[2], "3"));
	assert_true(cfg.has_crit);
	assert_true(range_is(&cfg.crit[1], "4"));
	assert_true(cfg.percpu);
	assert_int_equal(cfg.procs_to_show, 5);
	assert_string_equal(cfg.proc_root, "/tmp/x");
	/* defaults; a later -w replaces an earlier one */
	CONFIG_OK(&cfg, "-w", "1,2,3", "-c", "9", "--warning=7");
	assert_true(range_is(&cfg.warn[0], "7"));
	assert_true(range_is(&cfg.warn[2], "7"));
	assert_false(cfg.percpu);
	assert_int_equal(cfg.procs_to_show, 0);
	assert_string_equal(cfg.proc_root, "/proc");
	/* '' for -n and --proc-root is "not given" */
	CONFIG_OK(&cfg, "-w", "1", "-c", "2", "-n", "", "--proc-root", "");
	assert_int_equal(cfg.procs_to_show, 0);
	assert_string_equal(cfg.proc_root, "/proc");
}

static void test_options__bad_values_are_errors(void **state)
{
	static const struct {
		const char *args[8];
		const char *msg;
	} bad[] = {
		{ { "-w", "1", "-c", "x" }, "cannot parse range 'x': 'x' is not a number" },
		{ { "-w", "", "-c", "5" }, "load threshold is empty" },
		{ { "-w", "1", "-c", "2", "-n", "abc" }, "--procs-to-show 'abc' is not a whole number from 0 to 1000" },
		{ { "-w", "1", "-c", "2", "-n", "1001" }, "--procs-to-show '1001' is not a whole number from 0 to 1000" },
		{ { "-w", "1", "-c", "2", "-n", "-1" }, "--procs-to-show '-1' is not a whole number from 0 to 1000" },
		{ { "-w", "1", "-c", "2", "extra" }, "unexpected argument 'extra'" },
		{ { "-w", "1", "-c", "2", "--percpu=yes" }, "option '--percpu=yes' does not take a value" },
		{ { NULL }, "missing thresholds: give -w and -c" },
		{ { "-r" }, "missing thresholds: give -w and -c" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct check_load_config cfg;
		struct msp_error err;

		if (msp_test_configure(msp_test_plugin, &cfg, sizeof(cfg), bad[i].args, &err) != MSP_EINVAL)
			fail_msg("row %zu accepted", i);
		if (strcmp(err.msg, bad[i].msg) != 0)
			fail_msg("row %zu: message '%s', expected '%s'", i, err.msg, bad[i].msg);
	}
}

static void test_finish__warning_above_critical_is_an_error(void **state)
{
	struct check_load_config cfg;
	struct msp_error err;

	(void)state;
	assert_int_equal(CONFIGURE(&cfg, &err, "-w", "5", "-c", "4"), MSP_EINVAL);
	assert_string_equal(err.msg, "1-minute warning load is greater than critical load");
	assert_int_equal(CONFIGURE(&cfg, &err, "-w", "1,5,1", "-c", "2,4,2"), MSP_EINVAL);
	assert_string_equal(err.msg, "5-minute warning load is greater than critical load");
	assert_int_equal(CONFIGURE(&cfg, &err, "-w", "1,1,3", "-c", "2,2,2.5"), MSP_EINVAL);
	assert_string_equal(err.msg, "15-minute warning load is greater than critical load");
	/* equal is fine, and so are ranges (no order between them) */
	assert_int_equal(CONFIGURE(&cfg, &err, "-w", "4", "-c", "4"), 0);
	assert_int_equal(CONFIGURE(&cfg, &err, "-w", "5:9", "-c", "4"), 0);
}

static void test_finish__critical_alone_warns_at_any_load(void **state)
{
	struct check_load_config cfg;

	(void)state;
	CONFIG_OK(&cfg, "-c", "10");
	/* as in the reference: the missing warning threshold is 0 */
	assert_int_equal(state_of(&cfg, 0, 0, 0), MSP_STATE_OK);
	assert_int_equal(state_of(&cfg, 0.01, 0, 0), MSP_STATE_WARNING);
	assert_int_equal(state_of(&cfg, 10.5, 0, 0), MSP_STATE_CRITICAL);
}

/* ------------------------------------------------------ probe on fixtures */

static char g_dir[256];

static int make_proc_dir(void **state)
{
	const char *tmp = getenv("TMPDIR");

	(void)state;
	snprintf(g_dir, sizeof(g_dir), "%s/msp-check-load-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	return mkdtemp(g_dir) ? 0 : -1;
}

static int remove_proc_dir(void **state)
{
	char path[512];

	(void)state;
	snprintf(path, sizeof(path), "%s/loadavg", g_dir);
	unlink(path);
	return rmdir(g_dir);
}

/* Put fixture `name` (NULL: nothing) as <g_dir>/loadavg. */
static void put_loadavg(const char *name)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/loadavg", g_dir);
	unlink(path);
	if (name) {
		char *text = fixture(name);
		FILE *f = fopen(path, "w");

		assert_non_null(f);
		fputs(text, f);
		fclose(f);
		free(text);
	}
}

/* The whole run (parser, finish, check, nagios output) with --proc-root g_dir and args; caller frees. */
static char *run(enum msp_state *st, const char *const *args)
{
	const char *argv[16] = { "--proc-root", g_dir };
	struct check_load_config cfg;
	size_t n = 2;

	for (size_t i = 0; args[i]; i++)
		argv[n++] = args[i];
	argv[n] = NULL;
	return msp_test_run(msp_test_plugin, &cfg, sizeof(cfg), argv, MSP_FORMAT_NAGIOS, st);
}

static void test_check__reads_loadavg_under_proc_root(void **state)
{
	enum msp_state st;
	char *out;

	(void)state;
	put_loadavg("loadavg_busy.txt");
	out = run(&st, MSP_ARGS("-w", "5", "-c", "10"));
	assert_int_equal(st, MSP_STATE_OK);
	assert_string_equal(out, "LOAD OK - total load average: 4.99, 3.38, 2.03|load1=4.990;5.000;10.000;0; "
				 "load5=3.380;5.000;10.000;0; load15=2.030;5.000;10.000;0; \n");
	free(out);
	out = run(&st, MSP_ARGS("-w", "4", "-c", "4.5"));
	assert_int_equal(st, MSP_STATE_CRITICAL);
	assert_true(msp_test_match(out, "^LOAD CRITICAL - total load average: 4\\.99, 3\\.38, 2\\.03\\|load1=4\\.990;4\\.000;4\\.500;0; "));
	free(out);
}

static void test_check__unreadable_or_truncated_loadavg_fails(void **state)
{
	enum msp_state st;
	char want[600], *out;

	(void)state;
	put_loadavg(NULL);
	out = run(&st, MSP_ARGS("-w", "5", "-c", "10"));
	/* nothing is reported as a result: UNKNOWN with the reason, no perfdata */
	assert_int_equal(st, MSP_STATE_UNKNOWN);
	snprintf(want, sizeof(want), "LOAD UNKNOWN - cannot open '%s/loadavg': no such file\n", g_dir);
	assert_string_equal(out, want);
	free(out);
	put_loadavg("loadavg_truncated.txt");
	out = run(&st, MSP_ARGS("-w", "5", "-c", "10"));
	assert_int_equal(st, MSP_STATE_UNKNOWN);
	assert_string_equal(out, "LOAD UNKNOWN - cannot parse load averages '4.99 3.38'\n");
	free(out);
}

/* The recorded /proc tree of tests/fixtures/msp_proc/machine, linked piece by piece into g_dir. */
static const char *const proc_tree[] = { "stat", "uptime", "1", "2", "4", "19901", "19902", "19903",
					 "19909", "19910", "19914", "19928" };

static int make_proc_tree(void **state)
{
	char rel[256], from[1024], to[512];

	if (make_proc_dir(state))
		return -1;
	for (size_t i = 0; i < sizeof(proc_tree) / sizeof(proc_tree[0]); i++) {
		snprintf(rel, sizeof(rel), "msp_proc/machine/%s", proc_tree[i]);
		snprintf(to, sizeof(to), "%s/%s", g_dir, proc_tree[i]);
		if (symlink(msp_test_fixture_path(rel, from, sizeof(from)), to))
			return -1;
	}
	return 0;
}

static int remove_proc_tree(void **state)
{
	char path[512];

	for (size_t i = 0; i < sizeof(proc_tree) / sizeof(proc_tree[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", g_dir, proc_tree[i]);
		unlink(path);
	}
	return remove_proc_dir(state);
}

static void test_check__top_processes_from_recorded_proc_tree(void **state)
{
	enum msp_state st;
	char path[512], *out;

	(void)state;
	if (sysconf(_SC_CLK_TCK) != 100)
		skip(); /* the recorded tick counts are in 1/100 s */
	put_loadavg("loadavg_idle.txt");
	out = run(&st, MSP_ARGS("-w", "5", "-c", "10", "-n", "3"));
	assert_int_equal(st, MSP_STATE_OK);
	/* CPU time over lifetime: 0.02 s in 1.79 s, 0.02 s in 1.81 s, 0.01 s in 1.81 s */
	/* ps's header, columns and arithmetic (whole seconds of life: 2 ticks in 1 s is 2.0%), the busiest first */
	assert_string_equal(out, "LOAD OK - total load average: 0.37, 0.48, 0.26|load1=0.370;5.000;10.000;0; "
				 "load5=0.480;5.000;10.000;0; load15=0.260;5.000;10.000;0; \n"
				 "STAT   UID   PID  PPID    VSZ   RSS %CPU     ELAPSED COMMAND         COMMAND\n"
				 "S    65534 19910 19878   5900  1796  2.0       00:01 sleep           sleep 1000\n"
				 "SN   65534 19914 19878   5900  1796  2.0       00:01 sleep           sleep 1000\n"
				 "S        0 19901 19878   5900  1684  1.0       00:01 msp fixture)x   "
				 "/tmp/tmp.2WTOyczIQD/msp fixture)x 1000\n");
	free(out);
	/* without the tree's uptime the load is still reported, with a note */
	snprintf(path, sizeof(path), "%s/uptime", g_dir);
	unlink(path);
	out = run(&st, MSP_ARGS("-w", "5", "-c", "10", "-n", "3"));
	assert_int_equal(st, MSP_STATE_OK);
	assert_true(msp_test_match(out, "^LOAD OK - total load average: 0\\.37, 0\\.48, 0\\.26\\|"));
	assert_non_null(strstr(out, "\ncannot list processes: cannot open '"));
	free(out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse__recorded_loadavg_files),
		cmocka_unit_test(test_parse__truncated_file_is_an_error),
		cmocka_unit_test(test_parse__malformed_values_are_errors),
		cmocka_unit_test(test_parse__ignores_the_locale),
		cmocka_unit_test(test_thresholds__one_value_applies_to_all),
		cmocka_unit_test(test_thresholds__three_values_in_order),
		cmocka_unit_test(test_thresholds__missing_values_repeat_the_last),
		cmocka_unit_test(test_thresholds__ranges_per_value),
		cmocka_unit_test(test_thresholds__bad_values_are_errors),
		cmocka_unit_test(test_evaluate__each_value_against_its_own_thresholds),
		cmocka_unit_test(test_evaluate__ranges_and_inverted_ranges),
		cmocka_unit_test(test_evaluate__recorded_samples),
		cmocka_unit_test(test_evaluate__summary_and_perfdata),
		cmocka_unit_test(test_evaluate__percpu_scales_by_cpu_count),
		cmocka_unit_test(test_options__warning_critical_and_flags),
		cmocka_unit_test(test_options__bad_values_are_errors),
		cmocka_unit_test(test_finish__warning_above_critical_is_an_error),
		cmocka_unit_test(test_finish__critical_alone_warns_at_any_load),
		cmocka_unit_test_setup_teardown(test_check__reads_loadavg_under_proc_root, make_proc_dir,
						remove_proc_dir),
		cmocka_unit_test_setup_teardown(test_check__unreadable_or_truncated_loadavg_fails, make_proc_dir,
						remove_proc_dir),
		cmocka_unit_test_setup_teardown(test_check__top_processes_from_recorded_proc_tree, make_proc_tree,
						remove_proc_tree),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
