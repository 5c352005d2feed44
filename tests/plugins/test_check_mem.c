/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test_check_mem.c - check_mem's threshold syntax (-u/-f readings of a plain
 * number), the MemAvailable basis and its fail-closed estimate, evaluate on
 * meminfo files recorded on this machine, and the option/finish callbacks.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <setjmp.h>
#include <cmocka.h>

#include "check_mem.h"
#include "msp_test.h"

#define KIB 1024ULL

static void load(const char *name, bool estimate, struct check_mem_sample *s)
{
	char rel[256];
	char *text;
	struct msp_error err;
	struct msp_meminfo mi;

	snprintf(rel, sizeof(rel), "check_mem/%s", name);
	text = msp_test_fixture(rel, MSP_MEMINFO_FILE_MAX);
	msp_error_init(&err);
	assert_int_equal(msp_meminfo_parse(text, &mi, &err), 0);
	free(text);
	if (check_mem_sample_from(&mi, estimate, s, &err) != 0)
		fail_msg("%s: %s", name, err.msg);
}

/* Configure through the runner's parser and finish (the real option table). */
#define CONFIG_OK(cfg, ...) msp_test_configure_ok(msp_test_plugin, (cfg), sizeof(*(cfg)), MSP_ARGS(__VA_ARGS__))

static int configure(struct check_mem_config *cfg, struct msp_error *err, const char *const *args)
{
	return msp_test_configure(msp_test_plugin, cfg, sizeof(*cfg), args, err);
}

static char *evaluate(const struct check_mem_config *cfg, const struct check_mem_sample *s, enum msp_state *st)
{
	struct msp_result *root = msp_result_new();
	struct msp_buf b;

	assert_non_null(root);
	assert_int_equal(check_mem_evaluate(cfg, s, root), 0);
	*st = msp_result_state(root);
	msp_buf_init(&b, MSP_OUTPUT_MAX + 4096);
	assert_int_equal(msp_render(root, MSP_FORMAT_NAGIOS, "check_mem", "MEM", &b), 0);
	msp_result_free(root);
	return msp_buf_detach(&b);
}

static enum msp_state state_on(const char *fixture, const struct check_mem_config *cfg)
{
	struct check_mem_sample s;
	enum msp_state st;

	load(fixture, false, &s);
	free(evaluate(cfg, &s, &st));
	return st;
}

/* ------------------------------------------------------------ sample */

static void test_sample__memavailable_is_the_basis(void **state)
{
	struct check_mem_sample s;

	(void)state;
	load("meminfo_page_cache.txt", false, &s);
	assert_true(s.total == 24683620 * KIB);
	assert_true(s.available == 24155308 * KIB);
	assert_true(s.free == 20262888 * KIB);
	assert_true(s.buffers == 54900 * KIB);
	assert_true(s.page_cache == 3785844 * KIB);
	assert_false(s.estimated);
}

static void test_sample__no_memavailable_fails_closed(void **state)
{
	char *text = msp_test_fixture("check_mem/meminfo_no_memavailable.txt", MSP_MEMINFO_FILE_MAX);
	struct msp_error err;
	struct msp_meminfo mi;
	struct check_mem_sample s = { .total = 7 };

	(void)state;
	msp_error_init(&err);
	assert_int_equal(msp_meminfo_parse(text, &mi, &err), 0);
	free(text);
	assert_int_equal(check_mem_sample_from(&mi, false, &s, &err), MSP_EINVAL);
	assert_non_null(strstr(err.msg, "no MemAvailable"));
	assert_true(s.total == 7);
	/* the documented estimate: MemFree + Buffers + Cached + SReclaimable - Shmem */
	assert_int_equal(check_mem_sample_from(&mi, true, &s, &err), 0);
	assert_true(s.estimated);
	assert_true(s.available == (23849100ULL + 8732 + 559188 + 91968 - 8952) * KIB);
}

static void test_sample__missing_or_inconsistent_fields(void **state)
{
	static const char *const bad[] = {
		"MemFree: 1 kB\nMemAvailable: 1 kB\nBuffers: 0 kB\nCached: 0 kB\n",
		"MemTotal: 0 kB\nMemFree: 0 kB\nMemAvailable: 0 kB\nBuffers: 0 kB\nCached: 0 kB\n",
		"MemTotal: 10 kB\nMemAvailable: 5 kB\nBuffers: 0 kB\nCached: 0 kB\n",
		"MemTotal: 10 kB\nMemFree: 1 kB\nMemAvailable: 11 kB\nBuffers: 0 kB\nCached: 0 kB\n",
	};
	struct msp_meminfo mi;
	struct check_mem_sample s;
	struct msp_error err;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		msp_error_init(&err);
		assert_int_equal(msp_meminfo_parse(bad[i], &mi, &err), 0);
		if (check_mem_sample_from(&mi, true, &s, &err) != MSP_EINVAL)
			fail_msg("accepted '%s'", bad[i]);
	}
}

/* ------------------------------------------------------------ thresholds */

static void test_threshold__plain_number_reads_by_mode(void **state)
{
	struct msp_range r;
	struct msp_error err;

	(void)state;
	msp_error_init(&err);
	assert_int_equal(check_mem_parse_threshold("80", CHECK_MEM_USED, &r, &err), 0);
	assert_true(msp_range_alert(&r, 80.5) && !msp_range_alert(&r, 80));
	assert_int_equal(check_mem_parse_threshold("20", CHECK_MEM_AVAILABLE, &r, &err), 0);
	assert_true(msp_range_alert(&r, 19.9) && !msp_range_alert(&r, 20) && !msp_range_alert(&r, 90));
	/* a range with a colon is taken as written in either mode */
	assert_int_equal(check_mem_parse_threshold("0:20", CHECK_MEM_AVAILABLE, &r, &err), 0);
	assert_true(msp_range_alert(&r, 90));
	assert_int_equal(check_mem_parse_threshold("1GB", CHECK_MEM_AVAILABLE, &r, &err), 0);
	assert_int_equal(r.unit, MSP_UNIT_SIZE);
	assert_true(r.start == 1073741824.0 && r.end_inf);
	assert_int_equal(check_mem_parse_threshold("80%", CHECK_MEM_USED, &r, &err), 0);
	assert_int_equal(r.unit, MSP_UNIT_PERCENT);
}

static void test_threshold__bad_values_are_errors(void **state)
{
	static const char *const bad[] = { "abc", "101", "50:101%", "90:80", "", "10x", "5%:1GB" };
	struct msp_range r;
	struct msp_error err;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		msp_error_init(&err);
		if (check_mem_parse_threshold(bad[i], CHECK_MEM_USED, &r, &err) != MSP_EINVAL)
			fail_msg("accepted '%s'", bad[i]);
	}
}

static void test_options__itl_order_and_conflicts(void **state)
{
	struct check_mem_config cfg;
	struct msp_error err;

	(void)state;
	/* Icinga 2 sorts the ITL's arguments by key: -C -c -f -w */
	CONFIG_OK(&cfg, "-C", "-c", "10", "-f", "-w", "20");
	assert_int_equal(cfg.mode, CHECK_MEM_AVAILABLE);
	assert_true(cfg.crit.start == 10 && cfg.crit.end_inf);
	CONFIG_OK(&cfg, "-a", "-w", "20");
	assert_int_equal(cfg.mode, CHECK_MEM_AVAILABLE);
	CONFIG_OK(&cfg, "-w", "80", "-c", "90");
	assert_int_equal(cfg.mode, CHECK_MEM_USED);
	assert_string_equal(cfg.proc_root, "/proc");
	assert_int_equal(configure(&cfg, &err, MSP_ARGS("-u", "-f", "-w", "1")), MSP_EINVAL);
	assert_string_equal(err.msg, "give either -u (used) or -f/-a (available), not both");
	assert_int_equal(configure(&cfg, &err, MSP_ARGS("-w", "80", "--available", "--used")), MSP_EINVAL);
	assert_int_equal(configure(&cfg, &err, MSP_ARGS("-u")), MSP_EINVAL);
	assert_non_null(strstr(err.msg, "missing thresholds"));
	assert_int_equal(configure(&cfg, &err, MSP_ARGS("-w", "90", "-c", "80")), MSP_EINVAL);
	assert_non_null(strstr(err.msg, "warning threshold --warning '90' is beyond critical threshold --critical '80'"));
	assert_int_equal(configure(&cfg, &err, MSP_ARGS("-f", "-w", "10", "-c", "20")), MSP_EINVAL);
	assert_non_null(strstr(err.msg, "warning threshold --warning '10' is beyond critical threshold --critical '20'"));
	assert_int_equal(configure(&cfg, &err, MSP_ARGS("-w", "80", "stray")), MSP_EINVAL);
	assert_string_equal(err.msg, "unexpected argument 'stray'");
	/* -w '' alone is no threshold at all */
	assert_int_equal(configure(&cfg, &err, MSP_ARGS("-w", "")), MSP_EINVAL);
	assert_non_null(strstr(err.msg, "missing thresholds"));
	/* different kinds are not compared */
	CONFIG_OK(&cfg, "-f", "-w", "10", "-c", "20GB");
	/* '' is unset (Debian-style command files) */
	CONFIG_OK(&cfg, "-w", "", "-c", "90");
	assert_false(cfg.has_warn);
}

/* ------------------------------------------------------------ evaluate */

static void test_evaluate__summary_and_perfdata(void **state)
{
	struct check_mem_config cfg;
	struct check_mem_sample s;
	enum msp_state st;
	char *out;

	(void)state;
	CONFIG_OK(&cfg, "-w", "80", "-c", "90");
	load("meminfo_idle.txt", false, &s);
	out = evaluate(&cfg, &s, &st);
	assert_int_equal(st, MSP_STATE_OK);
	/* used = 24683620 - 24247448 = 436172 KiB = 1.767% */
	assert_string_equal(out, "MEM OK - 1.8% used (425.9 MiB of 23.5 GiB), 23.1 GiB available | "
				 "used_pct=1.77%;80;90;0;100 used=446640128B;;;0;25276026880 "
				 "available=24829386752B;;;0;25276026880 free=24421478400B;;;0;25276026880 "
				 "buffers=8941568B;;;0;25276026880 page_cache=572608512B;;;0;25276026880\n");
	free(out);
	CONFIG_OK(&cfg, "-f", "-w", "99%", "-c", "1GB");
	out = evaluate(&cfg, &s, &st);
	assert_int_equal(st, MSP_STATE_WARNING);
	assert_non_null(strstr(out, "MEM WARNING - 98.2% available (23.1 GiB of 23.5 GiB), 425.9 MiB used | "
				    "available_pct=98.23%;99:;;0;100 used=446640128B;;;0;25276026880 "
				    "available=24829386752B;;1073741824:;0;25276026880 "));
	free(out);
}

static void test_evaluate__page_cache_does_not_count_as_used(void **state)
{
	struct check_mem_config cfg;

	(void)state;
	/* 3.6 GiB of page cache: MemFree says 17.9% used, MemAvailable 2.1% */
	CONFIG_OK(&cfg, "-w", "10", "-c", "15");
	assert_int_equal(state_on("meminfo_page_cache.txt", &cfg), MSP_STATE_OK);
	CONFIG_OK(&cfg, "-w", "2", "-c", "15");
	assert_int_equal(state_on("meminfo_page_cache.txt", &cfg), MSP_STATE_WARNING);
	CONFIG_OK(&cfg, "-f", "-w", "90", "-c", "85");
	assert_int_equal(state_on("meminfo_page_cache.txt", &cfg), MSP_STATE_OK);
	CONFIG_OK(&cfg, "-f", "-C", "-w", "98", "-c", "97.9");
	assert_int_equal(state_on("meminfo_page_cache.txt", &cfg), MSP_STATE_CRITICAL);
}

static void test_evaluate__sizes_and_ranges(void **state)
{
	struct check_mem_config cfg;

	(void)state;
	/* used is 436172 KiB = 425.95 MiB on the idle file */
	CONFIG_OK(&cfg, "-w", "425MiB", "-c", "1GiB");
	assert_int_equal(state_on("meminfo_idle.txt", &cfg), MSP_STATE_WARNING);
	CONFIG_OK(&cfg, "-w", "426MiB", "-c", "1GiB");
	assert_int_equal(state_on("meminfo_idle.txt", &cfg), MSP_STATE_OK);
	CONFIG_OK(&cfg, "-f", "-w", "20%", "-c", "23.2GiB");
	assert_int_equal(state_on("meminfo_idle.txt", &cfg), MSP_STATE_CRITICAL);
	CONFIG_OK(&cfg, "-w", "@1:2", "-c", "95");
	assert_int_equal(state_on("meminfo_idle.txt", &cfg), MSP_STATE_WARNING);
	/* critical alone, warning alone */
	CONFIG_OK(&cfg, "-c", "1");
	assert_int_equal(state_on("meminfo_idle.txt", &cfg), MSP_STATE_CRITICAL);
	CONFIG_OK(&cfg, "-w", "1.8");
	assert_int_equal(state_on("meminfo_idle.txt", &cfg), MSP_STATE_OK);
}

static void test_evaluate__estimate_is_marked(void **state)
{
	struct check_mem_config cfg;
	struct check_mem_sample s;
	enum msp_state st;
	char *out;

	(void)state;
	CONFIG_OK(&cfg, "-w", "80", "-c", "90");
	load("meminfo_no_memavailable.txt", true, &s);
	out = evaluate(&cfg, &s, &st);
	assert_int_equal(st, MSP_STATE_OK);
	assert_non_null(strstr(out, "MEM OK - 0.7% used (179.3 MiB of 23.5 GiB), 23.4 GiB available "
				    "(estimated: no MemAvailable) | used_pct=0.74%;80;90;0;100 used=187990016B;"));
	free(out);
}

/* ------------------------------------------------------------ whole runs */

/* Options, probe, evaluation and rendering as the runner does them, on a recorded /proc (the idle machine). */
static void test_run__recorded_proc_and_usage_errors(void **state)
{
	char proc[4096];
	struct check_mem_config cfg;

	(void)state;
	msp_test_fixture_path("check_mem/proc", proc, sizeof(proc));
	{
		const struct msp_test_case rows[] = {
			{ { "--proc-root", proc, "-w", "80", "-c", "90" },
			  MSP_STATE_OK,
			  "^MEM OK - 1\\.8% used \\(425\\.9 MiB of 23\\.5 GiB\\), 23\\.1 GiB available \\| "
			  "used_pct=1\\.77%;80;90;0;100 used=446640128B;;;0;25276026880 "
			  "available=24829386752B;;;0;25276026880 free=24421478400B;;;0;25276026880 "
			  "buffers=8941568B;;;0;25276026880 page_cache=572608512B;;;0;25276026880$" },
			{ { "--proc-root", proc, "-f", "-w", "20", "-c", "10" },
			  MSP_STATE_OK,
			  "^MEM OK - 98\\.2% available \\(23\\.1 GiB of 23\\.5 GiB\\), 425\\.9 MiB used \\| "
			  "available_pct=98\\.23%;20:;10:;0;100 " },
			/* the Icinga 2 ITL order (keys sorted: -C -c -f -w) */
			{ { "--proc-root", proc, "-C", "-c", "10", "-f", "-w", "98.5" },
			  MSP_STATE_WARNING,
			  "^MEM WARNING - 98\\.2% available" },
			{ { "--proc-root", proc, "--available", "-w", "99", "-c", "98.5%" },
			  MSP_STATE_CRITICAL,
			  "^MEM CRITICAL - " },
			{ { "--proc-root", proc, "-w", "400MiB", "-c", "1GiB" },
			  MSP_STATE_WARNING,
			  "^MEM WARNING - .* used=446640128B;419430400;1073741824;0;25276026880 " },
			/* '' is not given */
			{ { "--proc-root", proc, "-w", "", "-c", "90" },
			  MSP_STATE_OK,
			  "^MEM OK - .* used_pct=1\\.77%;;90;0;100 " },
			{ { "--proc-root", "/nonexistent/msp-mem", "-w", "80" },
			  MSP_STATE_UNKNOWN,
			  "^MEM UNKNOWN - cannot open '/nonexistent/msp-mem/meminfo': no such file$" },
			/* usage errors: the runner's one line */
			{ { "-u", "-f", "-w", "80" },
			  MSP_STATE_UNKNOWN,
			  "^MEM UNKNOWN - give either -u \\(used\\) or -f/-a \\(available\\), not both$" },
			{ { "-w", "" }, MSP_STATE_UNKNOWN, "^MEM UNKNOWN - missing thresholds" },
			{ { "-w", "90", "-c", "80" },
			  MSP_STATE_UNKNOWN,
			  "^MEM UNKNOWN - warning threshold --warning '90' is beyond critical threshold --critical '80': used "
			  "memory alerts above them, so swap them "
			  "\\(-w 80 -c 90\\) or give -f for available memory$" },
			{ { "-w", "101", "-c", "102" },
			  MSP_STATE_UNKNOWN,
			  "^MEM UNKNOWN - cannot parse '101': a percentage above 100$" },
			{ { "-w", "80", "stray" }, MSP_STATE_UNKNOWN, "^MEM UNKNOWN - unexpected argument 'stray'$" },
		};

		msp_test_cases(msp_test_plugin, &cfg, sizeof(cfg), rows, sizeof(rows) / sizeof(rows[0]));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sample__memavailable_is_the_basis),
		cmocka_unit_test(test_sample__no_memavailable_fails_closed),
		cmocka_unit_test(test_sample__missing_or_inconsistent_fields),
		cmocka_unit_test(test_threshold__plain_number_reads_by_mode),
		cmocka_unit_test(test_threshold__bad_values_are_errors),
		cmocka_unit_test(test_options__itl_order_and_conflicts),
		cmocka_unit_test(test_evaluate__summary_and_perfdata),
		cmocka_unit_test(test_evaluate__page_cache_does_not_count_as_used),
		cmocka_unit_test(test_evaluate__sizes_and_ranges),
		cmocka_unit_test(test_evaluate__estimate_is_marked),
		cmocka_unit_test(test_run__recorded_proc_and_usage_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
