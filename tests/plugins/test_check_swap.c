/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test_check_swap.c - check_swap's threshold syntax, /proc/swaps parsing,
 * evaluate on meminfo and swaps files recorded on this machine (no swap,
 * one idle swap file, two swap files with one in use), and the option and
 * finish callbacks.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <setjmp.h>
#include <cmocka.h>

#include "check_swap.h"
#include "msp_test.h"

/* ------------------------------------------------------------ helpers */

static char *fixture(const char *name)
{
	char rel[256];

	snprintf(rel, sizeof(rel), "check_swap/%s", name);
	return msp_test_fixture(rel, 65536);
}

/* A sample from a recorded meminfo (and swaps file, or NULL). Free s->dev. */
static void load_sample(const char *meminfo, const char *swaps, struct check_swap_sample *s)
{
	struct msp_meminfo mi;
	struct msp_error err;
	char *text = fixture(meminfo);

	memset(s, 0, sizeof(*s));
	msp_error_init(&err);
	assert_int_equal(msp_meminfo_parse(text, &mi, &err), 0);
	assert_int_equal(check_swap_from_meminfo(&mi, s, &err), 0);
	free(text);
	if (swaps) {
		text = fixture(swaps);
		assert_int_equal(check_swap_parse_swaps(text, &s->dev, &s->ndev, &err), 0);
		free(text);
	}
}

/* Config from -w/-c text through the runner's parser and finish (NULL = not given). */
static int configure(struct check_swap_config *cfg, const char *warn, const char *crit, bool all, const char *noswap,
		     struct msp_error *err)
{
	const char *args[8] = { NULL };
	int n = 0;

	if (warn) {
		args[n++] = "-w";
		args[n++] = warn;
	}
	if (crit) {
		args[n++] = "-c";
		args[n++] = crit;
	}
	if (noswap) {
		args[n++] = "-n";
		args[n++] = noswap;
	}
	if (all)
		args[n++] = "-a";
	return msp_test_configure(msp_test_plugin, cfg, sizeof(*cfg), args, err);
}

static void config_ok(struct check_swap_config *cfg, const char *warn, const char *crit, bool all, const char *noswap)
{
	struct msp_error err;

	if (configure(cfg, warn, crit, all, noswap, &err) != 0)
		fail_msg("-w '%s' -c '%s': %s", warn ? warn : "", crit ? crit : "", err.msg);
}

/* Evaluate and render line 1 (nagios format); *ret_state gets the state. Caller frees. */
static char *evaluate(const struct check_swap_config *cfg, const struct check_swap_sample *s, enum msp_state *ret_state)
{
	struct msp_result *root = msp_result_new();
	struct msp_buf b;

	assert_non_null(root);
	assert_int_equal(check_swap_evaluate(cfg, s, root), 0);
	*ret_state = msp_result_state(root);
	msp_buf_init(&b, MSP_OUTPUT_MAX + 4096);
	assert_int_equal(msp_render(root, MSP_FORMAT_NAGIOS, "check_swap", "SWAP", &b), 0);
	msp_result_free(root);
	return msp_buf_detach(&b);
}

static enum msp_state state_of(const char *warn, const char *crit, bool all, const char *meminfo, const char *swaps)
{
	struct check_swap_config cfg;
	struct check_swap_sample s;
	enum msp_state st;

	config_ok(&cfg, warn, crit, all, NULL);
	load_sample(meminfo, swaps, &s);
	free(evaluate(&cfg, &s, &st));
	free(s.dev);
	return st;
}

/* ------------------------------------------------------------ thresholds */

static void test_threshold__percent_size_and_units(void **state)
{
	struct check_swap_level l = { 0 };
	struct msp_error err;

	(void)state;
	msp_error_init(&err);
	assert_int_equal(check_swap_parse_threshold("20%", &l, &err), 0);
	assert_true(l.percent == 20 && l.bytes == 0);
	assert_int_equal(check_swap_parse_threshold("100000000", &l, &err), 0);
	assert_true(l.percent == 20 && l.bytes == 100000000); /* a size keeps the percentage */
	assert_int_equal(check_swap_parse_threshold("500MB", &l, &err), 0);
	assert_true(l.bytes == 500.0 * 1048576);
	assert_int_equal(check_swap_parse_threshold("2GiB", &l, &err), 0);
	assert_true(l.bytes == 2.0 * 1073741824);
	assert_int_equal(check_swap_parse_threshold("12.5%", &l, &err), 0);
	assert_true(l.percent == 12.5);
	/* '' leaves the level alone */
	assert_int_equal(check_swap_parse_threshold("", &l, &err), 0);
	assert_true(l.percent == 12.5 && l.bytes == 2.0 * 1073741824);
}

static void test_threshold__bad_values_are_errors(void **state)
{
	static const char *const bad[] = { "abc", "-5", "-5%", "101%", "20%,10%", "10x", "nan", "5 %%", "1e400" };
	struct check_swap_level l = { 7, 8 };
	struct msp_error err;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		msp_error_init(&err);
		if (check_swap_parse_threshold(bad[i], &l, &err) != MSP_EINVAL)
			fail_msg("accepted '%s'", bad[i]);
		assert_non_null(strstr(err.msg, bad[i]));
	}
	assert_true(l.percent == 7 && l.bytes == 8);
}

static void test_finish__combinations(void **state)
{
	struct check_swap_config cfg;
	struct msp_error err;

	(void)state;
	assert_int_equal(configure(&cfg, NULL, NULL, false, NULL, &err), MSP_EINVAL);
	assert_non_null(strstr(err.msg, "missing thresholds"));
	/* zero is no threshold, as in the reference */
	assert_int_equal(configure(&cfg, "0", "0%", false, NULL, &err), MSP_EINVAL);
	assert_int_equal(configure(&cfg, "10%", "20%", false, NULL, &err), MSP_EINVAL);
	assert_int_equal(configure(&cfg, "10", "20", false, NULL, &err), MSP_EINVAL);
	/* mixed kinds are not compared with each other (the reference does not either) */
	assert_int_equal(configure(&cfg, "20", "10%", false, NULL, &err), 0);
	assert_int_equal(configure(&cfg, NULL, "10%", false, NULL, &err), 0);
	assert_int_equal(cfg.noswap, MSP_STATE_CRITICAL);
	assert_string_equal(cfg.proc_root, "/proc");
	assert_false(cfg.noswap_set);
	assert_int_equal(configure(&cfg, "20%", "10%", false, "warning", &err), 0);
	assert_int_equal(cfg.noswap, MSP_STATE_WARNING);
	assert_true(cfg.noswap_set);
	assert_int_equal(configure(&cfg, "20%", "10%", false, "0", &err), 0);
	assert_int_equal(cfg.noswap, MSP_STATE_OK);
	assert_int_equal(configure(&cfg, "20%", "10%", false, "bogus", &err), MSP_EINVAL);
	assert_string_equal(err.msg, "--no-swap 'bogus' is not OK, WARNING, CRITICAL or UNKNOWN");
	/* '' (an unset macro in a command file) is not given: the default */
	assert_int_equal(configure(&cfg, "20%", "", false, "", &err), 0);
	assert_int_equal(cfg.noswap, MSP_STATE_CRITICAL);
	assert_true(cfg.crit.percent == 0 && cfg.crit.bytes == 0);
	/* -w '' alone sets no threshold at all */
	assert_int_equal(configure(&cfg, "", NULL, false, NULL, &err), MSP_EINVAL);
	assert_non_null(strstr(err.msg, "missing thresholds"));
	/* a level takes a percentage and a size from two uses; an error names the value */
	msp_test_configure_ok(msp_test_plugin, &cfg, sizeof(cfg), MSP_ARGS("-w", "20%", "-w", "100MB", "-c", "10%"));
	assert_true(cfg.warn.percent == 20 && cfg.warn.bytes == 100.0 * 1048576 && cfg.crit.percent == 10);
	assert_int_equal(msp_test_configure(msp_test_plugin, &cfg, sizeof(cfg), MSP_ARGS("-w", "abc"), &err),
			 MSP_EINVAL);
	assert_non_null(strstr(err.msg, "cannot parse threshold 'abc'"));
	assert_int_equal(msp_test_configure(msp_test_plugin, &cfg, sizeof(cfg), MSP_ARGS("-w", "20%", "stray"), &err),
			 MSP_EINVAL);
	assert_string_equal(err.msg, "unexpected argument 'stray'");
}

/* ------------------------------------------------------------ parse */

static void test_swaps__recorded_files(void **state)
{
	struct check_swap_sample s;

	(void)state;
	load_sample("meminfo_swap_used.txt", "swaps_two_files_used.txt", &s);
	assert_int_equal(s.ndev, 2);
	assert_string_equal(s.dev[0].name, "/tmp/swtest");
	assert_true(s.dev[0].size == 65532ULL * 1024 && s.dev[0].used == 46644ULL * 1024);
	assert_string_equal(s.dev[1].name, "/tmp/swtest2");
	assert_true(s.dev[1].size == 39996ULL * 1024 && s.dev[1].used == 0);
	assert_true(s.total == 105528ULL * 1024 && s.free == 58884ULL * 1024);
	free(s.dev);
	load_sample("meminfo_no_swap.txt", "swaps_none.txt", &s);
	assert_int_equal(s.ndev, 0);
	assert_null(s.dev);
	assert_true(s.total == 0 && s.free == 0);
}

static void test_swaps__malformed_is_an_error(void **state)
{
	static const char *const bad[] = {
		"",
		"/dev/sda2 partition 100 0 -2\n", /* no header */
		"Filename\tType\tSize\tUsed\tPriority\n/dev/sda2 partition 100\n",
		"Filename\tType\tSize\tUsed\tPriority\n/dev/sda2 partition 100 200 -2\n", /* used > size */
		"Filename\tType\tSize\tUsed\tPriority\n/dev/sda2 partition x 0 -2\n",
		"Filename\tType\tSize\tUsed\tPriority\n/dev/sda2 partition 100 0 -2 extra\n",
	};
	struct check_swap_device *dev = NULL;
	size_t n = 99;
	struct msp_error err;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		msp_error_init(&err);
		if (check_swap_parse_swaps(bad[i], &dev, &n, &err) != MSP_EINVAL)
			fail_msg("accepted '%s'", bad[i]);
	}
	assert_null(dev);
	assert_int_equal(n, 99);
}

static void test_meminfo__missing_or_inconsistent_fields_are_errors(void **state)
{
	struct msp_meminfo mi;
	struct check_swap_sample s = { 0 };
	struct msp_error err;

	(void)state;
	msp_error_init(&err);
	assert_int_equal(msp_meminfo_parse("MemTotal: 100 kB\nSwapFree: 0 kB\n", &mi, &err), 0);
	assert_int_equal(check_swap_from_meminfo(&mi, &s, &err), MSP_EINVAL);
	assert_int_equal(msp_meminfo_parse("SwapTotal: 10 kB\nSwapFree: 20 kB\n", &mi, &err), 0);
	assert_int_equal(check_swap_from_meminfo(&mi, &s, &err), MSP_EINVAL);
}

/* ------------------------------------------------------------ evaluate */

static void test_evaluate__summary_and_perfdata_with_swap_in_use(void **state)
{
	struct check_swap_config cfg;
	struct check_swap_sample s;
	enum msp_state st;
	char *out;

	(void)state;
	config_ok(&cfg, "20%", "10%", false, NULL);
	load_sample("meminfo_swap_used.txt", NULL, &s);
	out = evaluate(&cfg, &s, &st);
	assert_int_equal(st, MSP_STATE_OK);
	/* 58884 of 105528 KiB free: 55.8% -> 56%, 57 of 103 whole MiB; thresholds in bytes of the total */
	assert_string_equal(out, "SWAP OK - 56% free (57MB out of 103MB) | "
				 "swap=60297216B;21612134;10806067;0;108060672\n");
	free(out);
	/* a size threshold is shown instead of the percentage of the same level */
	cfg.warn.bytes = 100000000;
	out = evaluate(&cfg, &s, &st);
	assert_int_equal(st, MSP_STATE_WARNING);
	assert_non_null(strstr(out, "swap=60297216B;100000000;10806067;0;108060672"));
	free(out);
}

static void test_evaluate__percent_boundaries_are_inclusive(void **state)
{
	(void)state;
	/* free is 55.80%: 56% alerts, 55.8% is not below, 55% does not alert */
	assert_int_equal(state_of("56%", "10%", false, "meminfo_swap_used.txt", NULL), MSP_STATE_WARNING);
	assert_int_equal(state_of("55%", "10%", false, "meminfo_swap_used.txt", NULL), MSP_STATE_OK);
	assert_int_equal(state_of("60%", "56%", false, "meminfo_swap_used.txt", NULL), MSP_STATE_CRITICAL);
	/* an idle swap file is 100% free minus a page: 100% alerts, 99.9% does not */
	assert_int_equal(state_of("100%", "10%", false, "meminfo_swap_one_file.txt", NULL), MSP_STATE_WARNING);
	assert_int_equal(state_of("99.9%", "10%", false, "meminfo_swap_one_file.txt", NULL), MSP_STATE_OK);
}

static void test_evaluate__size_boundaries_are_inclusive(void **state)
{
	(void)state;
	/* 58884 KiB = 60297216 bytes free */
	assert_int_equal(state_of("60297216", "10", false, "meminfo_swap_used.txt", NULL), MSP_STATE_WARNING);
	assert_int_equal(state_of("60297215", "10", false, "meminfo_swap_used.txt", NULL), MSP_STATE_OK);
	assert_int_equal(state_of("1GB", "60297216", false, "meminfo_swap_used.txt", NULL), MSP_STATE_CRITICAL);
	assert_int_equal(state_of("57MB", "10", false, "meminfo_swap_used.txt", NULL), MSP_STATE_OK);
	assert_int_equal(state_of("58MB", "10", false, "meminfo_swap_used.txt", NULL), MSP_STATE_WARNING);
	/* both kinds in one level: either alerts */
	assert_int_equal(state_of("10%", "57.6MB", false, "meminfo_swap_used.txt", NULL), MSP_STATE_CRITICAL);
}

static void test_evaluate__no_swap_uses_the_no_swap_state(void **state)
{
	static const struct {
		const char *noswap;
		enum msp_state want;
	} cases[] = {
		{ NULL, MSP_STATE_CRITICAL },     { "ok", MSP_STATE_OK },      { "warning", MSP_STATE_WARNING },
		{ "unknown", MSP_STATE_UNKNOWN }, { "2", MSP_STATE_CRITICAL },
	};
	struct check_swap_sample s;

	(void)state;
	load_sample("meminfo_no_swap.txt", "swaps_none.txt", &s);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct check_swap_config cfg;
		enum msp_state st;
		char *out;

		config_ok(&cfg, "20%", "100MB", true, cases[i].noswap);
		out = evaluate(&cfg, &s, &st);
		assert_int_equal(st, cases[i].want);
		assert_non_null(strstr(out, " - 0% free (0MB out of 0MB) - Swap is either disabled, not present, or of "
					    "zero size. | swap=0B;0;104857600;0;0\n"));
		free(out);
	}
}

static void test_evaluate__all_swaps_judges_each_device(void **state)
{
	struct check_swap_config cfg;
	struct check_swap_sample s;
	enum msp_state st;
	char *out;

	(void)state;
	load_sample("meminfo_swap_used.txt", "swaps_two_files_used.txt", &s);
	/* total 56% free is fine, but /tmp/swtest alone is 29% free */
	config_ok(&cfg, "30%", "10%", false, NULL);
	out = evaluate(&cfg, &s, &st);
	assert_int_equal(st, MSP_STATE_OK);
	free(out);
	config_ok(&cfg, "30%", "10%", true, NULL);
	out = evaluate(&cfg, &s, &st);
	assert_int_equal(st, MSP_STATE_WARNING);
	assert_non_null(strstr(out, "SWAP WARNING - 56% free (57MB out of 103MB) | swap=60297216B;"));
	assert_non_null(strstr(out, "\n[WARNING] /tmp/swtest: 29% free (18MB out of 63MB)\n"));
	assert_non_null(strstr(out, "\n[OK] /tmp/swtest2: 100% free (39MB out of 39MB)"));
	free(out);
	config_ok(&cfg, "30%", "29%", true, NULL);
	free(evaluate(&cfg, &s, &st));
	assert_int_equal(st, MSP_STATE_CRITICAL);
	free(s.dev);
	s.dev = NULL;
	/* swap in meminfo but no device listed: cannot judge per device, never OK */
	s.ndev = 0;
	out = evaluate(&cfg, &s, &st);
	assert_int_equal(st, MSP_STATE_UNKNOWN);
	free(out);
}

/* ------------------------------------------------------------ whole runs */

/* A proc root: a fresh directory with meminfo (and swaps, unless NULL) linked to recorded files. */
static void proc_make(char *dir, const char *meminfo, const char *swaps)
{
	char link[4096], target[4096], rel[256];

	if (!mkdtemp(dir))
		fail_msg("mkdtemp %s failed", dir);
	snprintf(rel, sizeof(rel), "check_swap/%s", meminfo);
	snprintf(link, sizeof(link), "%s/meminfo", dir);
	assert_int_equal(symlink(msp_test_fixture_path(rel, target, sizeof(target)), link), 0);
	if (swaps) {
		snprintf(rel, sizeof(rel), "check_swap/%s", swaps);
		snprintf(link, sizeof(link), "%s/swaps", dir);
		assert_int_equal(symlink(msp_test_fixture_path(rel, target, sizeof(target)), link), 0);
	}
}

static void proc_remove(const char *dir)
{
	char path[4096];

	snprintf(path, sizeof(path), "%s/meminfo", dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/swaps", dir);
	unlink(path);
	rmdir(dir);
}

/* Options, probe, evaluation and rendering as the runner does them, on recorded /proc files. */
static void test_run__recorded_proc_and_usage_errors(void **state)
{
	char used[] = "/tmp/msp-test-swap-used.XXXXXX", none[] = "/tmp/msp-test-swap-none.XXXXXX";
	struct check_swap_config cfg;

	(void)state;
	proc_make(used, "meminfo_swap_used.txt", "swaps_two_files_used.txt");
	proc_make(none, "meminfo_no_swap.txt", "swaps_none.txt");
	{
		const struct msp_test_case rows[] = {
			{ { "--proc-root", used, "-w", "20%", "-c", "10%" },
			  MSP_STATE_OK,
			  "^SWAP OK - 56% free \\(57MB out of 103MB\\) \\|swap=60297216B;21612134;10806067;0;108060672$" },
			{ { "--proc-root", used, "-w", "20%", "-w", "100MB", "-c", "10%" },
			  MSP_STATE_WARNING,
			  "^SWAP WARNING - .*swap=60297216B;104857600;10806067;0;108060672$" },
			{ { "--proc-root", used, "-a", "-w", "30%", "-c", "10%" },
			  MSP_STATE_WARNING,
			  "^SWAP WARNING - 56% free" },
			{ { "--proc-root", used, "--allswaps", "-w", "30%", "-c", "29%" },
			  MSP_STATE_CRITICAL,
			  "^SWAP CRITICAL - " },
			{ { "--proc-root", none, "-w", "20%", "-c", "10%" },
			  MSP_STATE_CRITICAL,
			  "^SWAP CRITICAL - 0% free \\(0MB out of 0MB\\) - Swap is either disabled, not present, or of zero "
			  "size\\. \\|swap=0B;0;0;0;0$" },
			{ { "--proc-root", none, "-w", "20%", "-c", "10%", "-n", "ok" },
			  MSP_STATE_OK,
			  "^SWAP OK - 0% free" },
			{ { "--proc-root", none, "-w", "20%", "-c", "10%", "--no-swap=unknown" },
			  MSP_STATE_UNKNOWN,
			  "^SWAP UNKNOWN - 0% free" },
			/* '' is not given: the default state, CRITICAL */
			{ { "--proc-root", none, "-w", "20%", "-c", "10%", "-n", "" },
			  MSP_STATE_CRITICAL,
			  "^SWAP CRITICAL - 0% free" },
			{ { "--proc-root", "/nonexistent/msp-swap", "-w", "20%" },
			  MSP_STATE_UNKNOWN,
			  "^SWAP UNKNOWN - cannot open '/nonexistent/msp-swap/meminfo': no such file$" },
			/* usage errors: the runner's one line */
			{ { "-w", "10%", "-c", "20%" },
			  MSP_STATE_UNKNOWN,
			  "^SWAP UNKNOWN - warning threshold --warning '10%' is beyond critical threshold --critical '20%'$" },
			{ { "-w", "0", "-c", "0%" }, MSP_STATE_UNKNOWN, "^SWAP UNKNOWN - missing thresholds" },
			{ { "-w", "" }, MSP_STATE_UNKNOWN, "^SWAP UNKNOWN - missing thresholds" },
			{ { "-w", "101%", "-c", "10%" },
			  MSP_STATE_UNKNOWN,
			  "^SWAP UNKNOWN - threshold '101%' is above 100%$" },
			{ { "-w", "-5", "-c", "1" }, MSP_STATE_UNKNOWN, "^SWAP UNKNOWN - cannot parse threshold '-5'" },
			{ { "-w", "20%", "-n", "maybe" },
			  MSP_STATE_UNKNOWN,
			  "^SWAP UNKNOWN - --no-swap 'maybe' is not OK, WARNING, CRITICAL or UNKNOWN$" },
			{ { "-w", "20%", "stray" }, MSP_STATE_UNKNOWN, "^SWAP UNKNOWN - unexpected argument 'stray'$" },
		};

		msp_test_cases(msp_test_plugin, &cfg, sizeof(cfg), rows, sizeof(rows) / sizeof(rows[0]));
	}
	proc_remove(used);
	proc_remove(none);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_threshold__percent_size_and_units),
		cmocka_unit_test(test_threshold__bad_values_are_errors),
		cmocka_unit_test(test_finish__combinations),
		cmocka_unit_test(test_swaps__recorded_files),
		cmocka_unit_test(test_swaps__malformed_is_an_error),
		cmocka_unit_test(test_meminfo__missing_or_inconsistent_fields_are_errors),
		cmocka_unit_test(test_evaluate__summary_and_perfdata_with_swap_in_use),
		cmocka_unit_test(test_evaluate__percent_boundaries_are_inclusive),
		cmocka_unit_test(test_evaluate__size_boundaries_are_inclusive),
		cmocka_unit_test(test_evaluate__no_swap_uses_the_no_swap_state),
		cmocka_unit_test(test_evaluate__all_swaps_judges_each_device),
		cmocka_unit_test(test_run__recorded_proc_and_usage_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
