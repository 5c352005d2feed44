/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test_check_procs.c - check_procs's options, filters and evaluation on the
 * /proc tree recorded on the build machine (tests/fixtures/msp_proc/machine,
 * whose README lists the ten processes and what ps said about them).
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

#include "check_procs.h"

static char g_root[1024];

static const char *fixture_root(void)
{
	const char *top = getenv("top_srcdir");

	snprintf(g_root, sizeof(g_root), "%s/tests/fixtures/msp_proc/machine", top && *top ? top : ".");
	return g_root;
}

static int option_id_long(const char *name)
{
	for (const struct msp_option *o = msp_test_plugin->options; o->long_name || o->short_name; o++)
		if (o->long_name && strcmp(o->long_name, name) == 0)
			return o->id;
	fail_msg("no option --%s", name);
	return -1;
}

static int set(struct check_procs_config *cfg, const char *name, const char *arg)
{
	struct msp_error err;

	msp_error_init(&err);
	return msp_test_plugin->option(cfg, option_id_long(name), arg, &err);
}

static void config_init(struct check_procs_config *cfg)
{
	struct msp_context ctx = { 0 };
	struct msp_error err;

	memset(cfg, 0, sizeof(*cfg));
	msp_error_init(&err);
	assert_int_equal(msp_test_plugin->finish(cfg, &ctx, &err), 0);
	cfg->proc_root = fixture_root();
}

static void config_release(struct check_procs_config *cfg)
{
	if (cfg->has_regex)
		regfree(&cfg->regex);
	cfg->has_regex = false;
}

/* Number of fixture processes matching cfg, with nobody left out as "self". */
static size_t count(const struct check_procs_config *cfg)
{
	struct check_procs_sample s;
	struct msp_error err;
	size_t n;

	msp_error_init(&err);
	assert_int_equal(check_procs_collect(cfg, NULL, &s, &err), 0);
	assert_int_equal(s.seen, 10);
	n = s.n;
	check_procs_sample_release(&s);
	return n;
}

/* Count with one option set (long name, value). */
static size_t count_with(const char *name, const char *arg)
{
	struct check_procs_config cfg;
	size_t n;

	config_init(&cfg);
	assert_int_equal(set(&cfg, name, arg), 0);
	n = count(&cfg);
	config_release(&cfg);
	return n;
}

static void read_fixture_proc(long pid, unsigned fields, struct msp_proc_system *sys, struct msp_proc *p)
{
	struct msp_error err;

	msp_error_init(&err);
	assert_int_equal(msp_proc_system_read(fixture_root(), sys, &err), 0);
	assert_int_equal(msp_proc_read(fixture_root(), pid, fields, sys, p, &err), 0);
}

/* ------------------------------------------------------------ options */

static void test_options__thresholds_and_metric(void **state)
{
	struct check_procs_config cfg;

	(void)state;
	config_init(&cfg);
	assert_int_equal(set(&cfg, "warning", "5:"), 0);
	assert_true(cfg.th.has_warn && cfg.th.warn.start == 5 && cfg.th.warn.end_inf);
	assert_int_equal(set(&cfg, "critical", "@0:0"), 0);
	assert_true(cfg.th.has_crit && cfg.th.crit.inside);
	/* an empty threshold is an error (the reference drops it) */
	assert_int_equal(set(&cfg, "warning", ""), MSP_EINVAL);
	assert_true(cfg.th.has_warn);
	assert_int_equal(set(&cfg, "warning", "abc"), MSP_EINVAL);
	assert_int_equal(set(&cfg, "warning", "10:5"), MSP_EINVAL);
	assert_int_equal(set(&cfg, "metric", "ELAPSED"), 0);
	assert_int_equal(cfg.metric, CHECK_PROCS_ELAPSED);
	assert_int_equal(set(&cfg, "metric", "RSS"), 0);
	assert_int_equal(cfg.metric, CHECK_PROCS_RSS);
	/* the reference is case-sensitive too */
	assert_int_equal(set(&cfg, "metric", "vsz"), MSP_EINVAL);
	assert_int_equal(set(&cfg, "metric", ""), MSP_EINVAL);
}

static void test_options__filters(void **state)
{
	struct check_procs_config cfg;

	(void)state;
	config_init(&cfg);
	assert_int_equal(set(&cfg, "ppid", "1"), 0);
	assert_true(cfg.has_ppid && cfg.ppid == 1);
	assert_int_equal(set(&cfg, "ppid", "1x"), MSP_EINVAL);
	assert_int_equal(set(&cfg, "ppid", ""), MSP_EINVAL);
	assert_int_equal(set(&cfg, "vsz", "100000"), 0);
	assert_true(cfg.has_vsz && cfg.vsz_kib == 100000);
	assert_int_equal(set(&cfg, "vsz", "12abc"), MSP_EINVAL);
	assert_int_equal(set(&cfg, "rss", "-1"), MSP_EINVAL);
	assert_int_equal(set(&cfg, "pcpu", "1.5"), 0);
	assert_true(cfg.has_pcpu && cfg.pcpu == 1.5);
	assert_int_equal(set(&cfg, "pcpu", "1.5x"), MSP_EINVAL);
	assert_int_equal(set(&cfg, "user", "root"), 0);
	assert_true(cfg.has_uid && cfg.uid == 0);
	assert_string_equal(cfg.user, "root");
	assert_int_equal(set(&cfg, "user", "65534"), 0);
	assert_int_equal(cfg.uid, 65534);
	assert_string_equal(cfg.user, "nobody");
	assert_int_equal(set(&cfg, "user", "no-such-user-here"), MSP_EINVAL);
	assert_int_equal(set(&cfg, "user", "99999"), MSP_EINVAL);
	assert_int_equal(set(&cfg, "user", ""), MSP_EINVAL);
	assert_int_equal(set(&cfg, "command", ""), MSP_EINVAL);
	assert_int_equal(set(&cfg, "ereg-argument-array", "("), MSP_EINVAL);
	assert_false(cfg.has_regex);
	assert_int_equal(set(&cfg, "ereg-argument-array", "^/usr"), 0);
	assert_true(cfg.has_regex);
	assert_int_equal(set(&cfg, "ereg-argument-array", "^/bin"), 0);
	assert_string_equal(cfg.ereg, "^/bin");
	/* empty -s and -a select everything, as the reference's substring tests do */
	assert_int_equal(set(&cfg, "state", ""), 0);
	assert_null(cfg.state);
	assert_int_equal(set(&cfg, "argument-array", ""), 0);
	assert_null(cfg.args);
	for (int i = 0; i < CHECK_PROCS_MAX_EXCLUDE; i++)
		assert_int_equal(set(&cfg, "exclude-process", "sleep"), 0);
	assert_int_equal(set(&cfg, "exclude-process", "one-too-many"), MSP_EINVAL);
	config_release(&cfg);
}

static void test_options__positional_warn_crit_state(void **state)
{
	struct check_procs_config cfg;
	struct msp_error err;

	(void)state;
	config_init(&cfg);
	msp_error_init(&err);
	assert_int_equal(msp_test_plugin->option(&cfg, MSP_OPT_POSITIONAL, "10", &err), 0);
	assert_int_equal(msp_test_plugin->option(&cfg, MSP_OPT_POSITIONAL, "20", &err), 0);
	assert_int_equal(msp_test_plugin->option(&cfg, MSP_OPT_POSITIONAL, "Z", &err), 0);
	assert_true(cfg.th.has_warn && cfg.th.warn.end == 10);
	assert_true(cfg.th.has_crit && cfg.th.crit.end == 20);
	assert_string_equal(cfg.state, "Z");
	assert_int_equal(msp_test_plugin->option(&cfg, MSP_OPT_POSITIONAL, "x", &err), MSP_EINVAL);
	assert_string_equal(err.msg, "unexpected argument 'x'");
	/* after -c 5, a lone positional is the warning threshold (as in the reference) */
	config_init(&cfg);
	assert_int_equal(set(&cfg, "critical", "5"), 0);
	assert_int_equal(msp_test_plugin->option(&cfg, MSP_OPT_POSITIONAL, "10", &err), 0);
	assert_true(cfg.th.has_warn && cfg.th.warn.end == 10 && cfg.th.crit.end == 5);
	config_init(&cfg);
	assert_int_equal(msp_test_plugin->option(&cfg, MSP_OPT_POSITIONAL, "foo", &err), MSP_EINVAL);
}

/* ------------------------------------------------------------ what ps would show */

static void test_ps__stat_text_as_ps_printed_it(void **state)
{
	static const struct {
		long pid;
		const char *stat;
	} want[] = {
		{ 1, "S<Ll" }, { 2, "S" }, { 4, "I<" }, { 19901, "S" }, { 19902, "T" },
		{ 19909, "S" }, { 19910, "S" }, { 19914, "SN" }, { 19928, "Z" },
	};
	struct msp_proc_system sys;
	struct msp_proc p;
	char buf[8];

	(void)state;
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		read_fixture_proc(want[i].pid, MSP_PROC_STAT | MSP_PROC_STATUS, &sys, &p);
		msp_proc_stat_text(&p, buf);
		assert_string_equal(buf, want[i].stat);
	}
	/* without status the L (locked pages) is unknown */
	read_fixture_proc(1, MSP_PROC_STAT, &sys, &p);
	msp_proc_stat_text(&p, buf);
	assert_string_equal(buf, "S<l");
	/* a session leader in the foreground process group */
	p.session = p.pid;
	p.pgrp = p.tpgid = 7;
	p.nice = 0;
	p.threads = 1;
	msp_proc_stat_text(&p, buf);
	assert_string_equal(buf, "Ss+");
}

static void test_ps__command_name_as_the_reference_compares_it(void **state)
{
	struct msp_proc_system sys;
	struct msp_proc p;
	char buf[64];

	(void)state;
	read_fixture_proc(4, MSP_PROC_STAT, &sys, &p);
	check_procs_prog(&p, buf);
	assert_string_equal(buf, "R-rcu_g"); /* "kworker/R-rcu_g" in ps's 15 columns, after the '/' */
	read_fixture_proc(19901, MSP_PROC_STAT, &sys, &p);
	check_procs_prog(&p, buf);
	assert_string_equal(buf, "msp fixture)x");
}

static void test_ps__fields_read_only_for_filters_that_need_them(void **state)
{
	struct check_procs_config cfg;

	(void)state;
	config_init(&cfg);
	assert_int_equal(check_procs_fields(&cfg), MSP_PROC_STAT);
	assert_int_equal(set(&cfg, "state", "Z"), 0);
	assert_int_equal(check_procs_fields(&cfg), MSP_PROC_STAT);
	assert_int_equal(set(&cfg, "state", "Ss"), 0);
	assert_int_equal(check_procs_fields(&cfg), MSP_PROC_STAT | MSP_PROC_STATUS);
	assert_int_equal(set(&cfg, "state", "L"), 0);
	assert_int_equal(check_procs_fields(&cfg), MSP_PROC_STAT | MSP_PROC_STATUS);
	config_init(&cfg);
	assert_int_equal(set(&cfg, "command", "sleep"), 0);
	assert_int_equal(set(&cfg, "metric", "CPU"), 0);
	assert_int_equal(check_procs_fields(&cfg), MSP_PROC_STAT);
	assert_int_equal(set(&cfg, "user", "root"), 0);
	assert_int_equal(check_procs_fields(&cfg), MSP_PROC_STAT | MSP_PROC_STATUS);
	assert_int_equal(set(&cfg, "argument-array", "x"), 0);
	assert_int_equal(check_procs_fields(&cfg), MSP_PROC_STAT | MSP_PROC_STATUS | MSP_PROC_CMDLINE);
	config_init(&cfg);
	assert_int_equal(set(&cfg, "ereg-argument-array", "x"), 0);
	assert_int_equal(check_procs_fields(&cfg), MSP_PROC_STAT | MSP_PROC_CMDLINE);
	config_release(&cfg);
}

/* ------------------------------------------------------------ filters on the recorded tree */

static void test_filter__counts_on_recorded_tree(void **state)
{
	struct check_procs_config cfg;

	(void)state;
	config_init(&cfg);
	assert_int_equal(count(&cfg), 10);
	/* -k leaves out kthreadd's children, not kthreadd */
	assert_int_equal(count_with("no-kthreads", NULL), 9);
	assert_int_equal(count_with("state", "Z"), 1);
	assert_int_equal(count_with("state", "T"), 1);
	assert_int_equal(count_with("state", "S"), 7);
	assert_int_equal(count_with("state", "N"), 1);
	assert_int_equal(count_with("state", "<L"), 1); /* needs status: "S<Ll" */
	assert_int_equal(count_with("state", "Ss"), 0);
	assert_int_equal(count_with("state", "ZT"), 0); /* a substring, not a set of letters */
	assert_int_equal(count_with("user", "65534"), 2); /* effective uid */
	assert_int_equal(count_with("user", "root"), 8);
	assert_int_equal(count_with("command", "sleep"), 5);
	assert_int_equal(count_with("command", "msp fixture)x"), 1);
	assert_int_equal(count_with("command", "R-rcu_g"), 1);
	assert_int_equal(count_with("command", "kworker/R-rcu_gp"), 0);
	assert_int_equal(count_with("exclude-process", "sleep,sh"), 4);
	assert_int_equal(count_with("ppid", "19878"), 6);
	assert_int_equal(count_with("ppid", "19903"), 1);
	assert_int_equal(count_with("vsz", "5900"), 6);
	assert_int_equal(count_with("argument-array", "two words"), 1);
	assert_int_equal(count_with("argument-array", "1000"), 6);
	assert_int_equal(count_with("argument-array", "<defunct>"), 1);
	assert_int_equal(count_with("ereg-argument-array", "^\\["), 3);
	assert_int_equal(count_with("ereg-argument-array", "fixture\\)x [0-9]+$"), 1);
	config_release(&cfg);
}

static void test_filter__sizes_and_cpu_need_the_recorded_units(void **state)
{
	(void)state;
	if (sysconf(_SC_CLK_TCK) != 100 || sysconf(_SC_PAGESIZE) != 4096)
		skip(); /* the recorded ticks and pages are in 1/100 s and 4 KiB */
	assert_int_equal(count_with("rss", "1770"), 4);
	/* %CPU: 2 ticks in 1 s (2.0) for 19910 and 19914, 1 tick (1.0) for 19901, 19903 and 19909, 0.5 for pid 1 */
	assert_int_equal(count_with("pcpu", "1"), 5);
	assert_int_equal(count_with("pcpu", "2"), 2);
	assert_int_equal(count_with("pcpu", "0.5"), 6);
	assert_int_equal(count_with("pcpu", "2.1"), 0);
}

static void test_filter__filters_combine(void **state)
{
	struct check_procs_config cfg;

	(void)state;
	config_init(&cfg);
	assert_int_equal(set(&cfg, "command", "sleep"), 0);
	assert_int_equal(set(&cfg, "user", "nobody"), 0);
	assert_int_equal(count(&cfg), 2);
	assert_int_equal(set(&cfg, "state", "SN"), 0);
	assert_int_equal(count(&cfg), 1);
	assert_int_equal(set(&cfg, "argument-array", "2000"), 0);
	assert_int_equal(count(&cfg), 0);
	config_release(&cfg);
}

static void test_filter__leaves_out_self_and_parent(void **state)
{
	struct check_procs_config cfg;
	struct check_procs_self self = { .pid = 19903 };
	struct check_procs_sample s;
	struct msp_error err;

	(void)state;
	config_init(&cfg);
	msp_error_init(&err);
	/* "we" are 19903: not counted; its child (the zombie) is, as in the reference */
	assert_int_equal(check_procs_collect(&cfg, &self, &s, &err), 0);
	assert_int_equal(s.seen, 10);
	assert_int_equal(s.n, 9);
	for (size_t i = 0; i < s.n; i++)
		assert_true(s.m[i].pid != 19903);
	check_procs_sample_release(&s);
	/* our parent is 1 */
	self.pid = 424242;
	self.ppid = 1;
	assert_int_equal(check_procs_collect(&cfg, &self, &s, &err), 0);
	assert_int_equal(s.n, 9);
	check_procs_sample_release(&s);
}

static void test_filter__missing_proc_root_is_an_error(void **state)
{
	struct check_procs_config cfg;
	struct check_procs_sample s = { 0 };
	struct msp_error err;

	(void)state;
	config_init(&cfg);
	cfg.proc_root = "/nonexistent/proc";
	msp_error_init(&err);
	assert_int_equal(check_procs_collect(&cfg, NULL, &s, &err), MSP_ENOENT);
	assert_null(s.m);
}

/* ------------------------------------------------------------ evaluate */

static struct msp_result *evaluate(const struct check_procs_config *cfg)
{
	struct check_procs_sample s;
	struct msp_result *root = msp_result_new();
	struct msp_error err;

	assert_non_null(root);
	msp_error_init(&err);
	assert_int_equal(check_procs_collect(cfg, NULL, &s, &err), 0);
	assert_int_equal(check_procs_evaluate(cfg, &s, root), 0);
	check_procs_sample_release(&s);
	return root;
}

static void test_evaluate__count_against_thresholds(void **state)
{
	struct check_procs_config cfg;
	struct msp_result *root;

	(void)state;
	config_init(&cfg);
	assert_int_equal(set(&cfg, "warning", "5"), 0);
	assert_int_equal(set(&cfg, "critical", "8"), 0);
	root = evaluate(&cfg);
	assert_int_equal(msp_result_state(root), MSP_STATE_CRITICAL);
	assert_string_equal(root->text, "10 processes");
	assert_int_equal(root->nperf, 1);
	assert_string_equal(root->perf[0].label, "procs");
	assert_true(root->perf[0].value == 10);
	assert_true(root->perf[0].th.has_warn && root->perf[0].th.warn.end == 5);
	assert_true(root->perf[0].has_min && root->perf[0].min == 0);
	msp_result_free(root);
	assert_int_equal(set(&cfg, "command", "sleep"), 0);
	root = evaluate(&cfg);
	assert_int_equal(msp_result_state(root), MSP_STATE_OK);
	assert_string_equal(root->text, "5 processes with command name 'sleep'");
	msp_result_free(root);
	assert_int_equal(set(&cfg, "state", "Z"), 0);
	assert_int_equal(set(&cfg, "warning", "0"), 0);
	root = evaluate(&cfg);
	assert_int_equal(msp_result_state(root), MSP_STATE_WARNING);
	assert_string_equal(root->text, "1 process with command name 'sleep', STATE = Z");
	msp_result_free(root);
}

static void test_evaluate__no_thresholds_is_ok_and_zero_can_alert(void **state)
{
	struct check_procs_config cfg;
	struct msp_result *root;

	(void)state;
	config_init(&cfg);
	assert_int_equal(set(&cfg, "command", "sshd"), 0);
	root = evaluate(&cfg);
	assert_int_equal(msp_result_state(root), MSP_STATE_OK);
	assert_string_equal(root->text, "0 processes with command name 'sshd'");
	msp_result_free(root);
	assert_int_equal(set(&cfg, "critical", "1:"), 0);
	root = evaluate(&cfg);
	assert_int_equal(msp_result_state(root), MSP_STATE_CRITICAL);
	msp_result_free(root);
}

static void test_evaluate__vsz_per_process(void **state)
{
	struct check_procs_config cfg;
	struct msp_result *root;

	(void)state;
	config_init(&cfg);
	assert_int_equal(set(&cfg, "metric", "VSZ"), 0);
	assert_int_equal(set(&cfg, "warning", "5000"), 0);
	assert_int_equal(set(&cfg, "critical", "10000"), 0);
	root = evaluate(&cfg);
	/* pid 1 has 47060 KiB; five sleeps and the fixture-named sleep 5900 KiB; sh 2592 */
	assert_int_equal(msp_result_state(root), MSP_STATE_CRITICAL);
	assert_string_equal(root->text, "1 crit, 5 warn out of 10 processes");
	assert_string_equal(root->service, "VSZ"); /* "VSZ CRITICAL: ..." as the reference */
	assert_int_equal(root->nperf, 3);
	assert_string_equal(root->perf[0].label, "procs");
	assert_true(root->perf[0].value == 10);
	assert_string_equal(root->perf[1].label, "procs_warn");
	assert_true(root->perf[1].value == 5);
	assert_string_equal(root->perf[2].label, "procs_crit");
	assert_true(root->perf[2].value == 1);
	assert_false(root->perf[0].th.has_warn);
	assert_int_equal(root->nchild, 6);
	assert_int_equal(msp_result_state(root->child[0]), MSP_STATE_CRITICAL);
	assert_string_equal(root->child[0]->text, "VSZ 47060 KiB: pid 1 (process_api)");
	assert_int_equal(msp_result_state(root->child[1]), MSP_STATE_WARNING);
	msp_result_free(root);
}

static void test_evaluate__elapsed_and_warn_only_wording(void **state)
{
	struct check_procs_config cfg;
	struct msp_result *root;

	(void)state;
	config_init(&cfg);
	assert_int_equal(set(&cfg, "metric", "ELAPSED"), 0);
	assert_int_equal(set(&cfg, "warning", "3600"), 0);
	root = evaluate(&cfg);
	/* pids 1, 2 and 4 started 8200 s before the recording, the others about 2 s */
	assert_int_equal(msp_result_state(root), MSP_STATE_WARNING);
	assert_string_equal(root->text, "3 warn out of 10 processes");
	assert_string_equal(root->child[0]->text, "ELAPSED 8200 s: pid 1 (process_api)");
	msp_result_free(root);
	assert_int_equal(set(&cfg, "warning", "100000"), 0);
	assert_int_equal(set(&cfg, "command", "sleep"), 0);
	root = evaluate(&cfg);
	assert_int_equal(msp_result_state(root), MSP_STATE_OK);
	assert_string_equal(root->text, "5 processes with command name 'sleep'");
	assert_int_equal(root->nchild, 0);
	msp_result_free(root);
}

static void test_evaluate__many_alerting_processes_are_capped(void **state)
{
	struct check_procs_config cfg;
	struct check_procs_sample s = { 0 };
	struct check_procs_match m[25];
	struct msp_result *root = msp_result_new();

	(void)state;
	config_init(&cfg);
	assert_int_equal(set(&cfg, "metric", "RSS"), 0);
	assert_int_equal(set(&cfg, "warning", "10"), 0);
	assert_int_equal(set(&cfg, "critical", "20"), 0);
	for (int i = 0; i < 25; i++) {
		m[i].pid = 100 + i;
		m[i].value = i; /* 0..10 OK, 11..20 warn, 21..24 crit */
		snprintf(m[i].prog, sizeof(m[i].prog), "p%d", i);
	}
	s.m = m;
	s.n = 25;
	assert_int_equal(check_procs_evaluate(&cfg, &s, root), 0);
	assert_string_equal(root->text, "4 crit, 10 warn out of 25 processes");
	assert_int_equal(root->nchild, 11);
	assert_string_equal(root->child[0]->text, "RSS 24 KiB: pid 124 (p24)");
	assert_string_equal(root->child[4]->text, "RSS 20 KiB: pid 120 (p20)");
	assert_int_equal(msp_result_state(root->child[4]), MSP_STATE_WARNING);
	assert_true(root->child[10]->note);
	assert_string_equal(root->child[10]->text, "4 more processes in alert");
	msp_result_free(root);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_options__thresholds_and_metric),
		cmocka_unit_test(test_options__filters),
		cmocka_unit_test(test_options__positional_warn_crit_state),
		cmocka_unit_test(test_ps__stat_text_as_ps_printed_it),
		cmocka_unit_test(test_ps__command_name_as_the_reference_compares_it),
		cmocka_unit_test(test_ps__fields_read_only_for_filters_that_need_them),
		cmocka_unit_test(test_filter__counts_on_recorded_tree),
		cmocka_unit_test(test_filter__sizes_and_cpu_need_the_recorded_units),
		cmocka_unit_test(test_filter__filters_combine),
		cmocka_unit_test(test_filter__leaves_out_self_and_parent),
		cmocka_unit_test(test_filter__missing_proc_root_is_an_error),
		cmocka_unit_test(test_evaluate__count_against_thresholds),
		cmocka_unit_test(test_evaluate__no_thresholds_is_ok_and_zero_can_alert),
		cmocka_unit_test(test_evaluate__vsz_per_process),
		cmocka_unit_test(test_evaluate__elapsed_and_warn_only_wording),
		cmocka_unit_test(test_evaluate__many_alerting_processes_are_capped),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
