/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test_check_procs.c - check_procs's options (through the runner's own
 * parser), filters and evaluation on the /proc tree recorded on the build
 * machine (tests/fixtures/msp_proc/machine, whose README lists the ten
 * processes and what ps said about them).
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
#include "msp_test.h"

#define MACHINE "tests/fixtures/msp_proc/machine" /* relative to the source tree (main changes there) */

static char g_root[1024];

static const char *fixture_root(void)
{
	return msp_test_fixture_path("msp_proc/machine", g_root, sizeof(g_root));
}

/*
 * Configure cfg with --proc-root <the recorded tree> and args (NULL-ended)
 * through the runner's parser; what an earlier configure of cfg compiled is
 * released first (cfg must start zeroed).  0 or the MSP_E* with err set.
 */
static int configure(struct check_procs_config *cfg, struct msp_error *err, const char *const *args)
{
	const char *argv[48] = { "--proc-root", fixture_root() };
	size_t n = 2;

	for (size_t i = 0; args[i]; i++) {
		assert_true(n < 47);
		argv[n++] = args[i];
	}
	argv[n] = NULL;
	check_procs_config_release(cfg);
	return msp_test_configure(msp_test_plugin, cfg, sizeof(*cfg), argv, err);
}

#define CONFIGURE(cfg, err, ...) configure((cfg), (err), MSP_ARGS(__VA_ARGS__))
#define CONFIG_OK(cfg, ...) config_ok((cfg), MSP_ARGS(__VA_ARGS__))

static void config_ok(struct check_procs_config *cfg, const char *const *args)
{
	struct msp_error err;

	if (configure(cfg, &err, args) != 0)
		fail_msg("%s ...: %s", args[0] ? args[0] : "(no options)", err.msg);
}

/* msp_test_cases_release's hook: the compiled --ereg-argument-array. */
static void release(void *cfg)
{
	check_procs_config_release(cfg);
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

/* Count with one long option (arg NULL: a flag). */
static size_t count_with(const char *name, const char *arg)
{
	struct check_procs_config cfg = { 0 };
	char opt[64];
	size_t n;

	snprintf(opt, sizeof(opt), "--%s", name);
	if (arg)
		CONFIG_OK(&cfg, opt, arg);
	else
		CONFIG_OK(&cfg, opt);
	n = count(&cfg);
	check_procs_config_release(&cfg);
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
	struct check_procs_config cfg = { 0 };

	(void)state;
	CONFIG_OK(&cfg, "-w", "5:", "--critical=@0:0");
	assert_true(cfg.th.has_warn && cfg.th.warn.start == 5 && cfg.th.warn.end_inf);
	assert_true(cfg.th.has_crit && cfg.th.crit.inside);
	assert_int_equal(cfg.metric, CHECK_PROCS_PROCS);
	assert_string_equal(cfg.proc_root, fixture_root());
	CONFIG_OK(&cfg, "-m", "ELAPSED");
	assert_int_equal(cfg.metric, CHECK_PROCS_ELAPSED);
	assert_false(cfg.th.has_warn || cfg.th.has_crit);
	CONFIG_OK(&cfg, "--metric=RSS");
	assert_int_equal(cfg.metric, CHECK_PROCS_RSS);
	/* without --proc-root: the live /proc */
	check_procs_config_release(&cfg);
	msp_test_configure_ok(msp_test_plugin, &cfg, sizeof(cfg), MSP_ARGS("-w", "1"));
	assert_string_equal(cfg.proc_root, "/proc");
}

/* Usage errors: the message of each (the runner's words for typed options, ours for the rest). */
static void test_options__errors(void **state)
{
	static const struct {
		const char *args[6];
		const char *msg;
	} bad[] = {
		/* an empty threshold is an error (the reference drops it) */
		{ { "-w", "" }, "option '--warning' is empty" },
		{ { "-w", "5", "-c", "" }, "option '--critical' is empty" },
		{ { "-w", "abc" }, "--warning: cannot parse range 'abc': 'abc' is not a number" },
		{ { "-w", "10:5" }, "--warning: cannot parse range '10:5': range start is above end" },
		/* the reference is case-sensitive too */
		{ { "-m", "vsz" }, "unknown metric 'vsz': use PROCS, VSZ, RSS, CPU or ELAPSED" },
		{ { "-m", "" }, "unknown metric '': use PROCS, VSZ, RSS, CPU or ELAPSED" },
		{ { "-p", "1x" }, "parent process id '1x' is not a number" },
		{ { "-p", "" }, "parent process id '' is not a number" },
		{ { "-z", "12abc" }, "VSZ '12abc' is not a whole number of KiB" },
		{ { "-r", "-1" }, "RSS '-1' is not a whole number of KiB" },
		{ { "-P", "1.5x" }, "%CPU '1.5x' is not a number" },
		{ { "-u", "no-such-user-here" }, "no user named 'no-such-user-here'" },
		{ { "-u", "99999" }, "no user with uid '99999'" },
		{ { "-u", "" }, "no user named ''" },
		{ { "-C", "" }, "empty command name for -C" },
		{ { "--ereg-argument-array", "(" }, NULL },
		{ { "1", "2", "Z", "extra" }, "unexpected argument 'extra'" },
		{ { "foo" }, "cannot parse range 'foo': 'foo' is not a number" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct check_procs_config cfg = { 0 };
		struct msp_error err;

		if (configure(&cfg, &err, bad[i].args) != MSP_EINVAL)
			fail_msg("row %zu (%s %s) accepted", i, bad[i].args[0], bad[i].args[1] ? bad[i].args[1] : "");
		if (bad[i].msg && strcmp(err.msg, bad[i].msg) != 0)
			fail_msg("row %zu: message '%s', expected '%s'", i, err.msg, bad[i].msg);
		assert_false(cfg.has_regex);
		check_procs_config_release(&cfg);
	}
}

static void test_options__filters(void **state)
{
	struct check_procs_config cfg = { 0 };
	const char *x[2 * CHECK_PROCS_MAX_EXCLUDE + 3];
	struct msp_error err;

	(void)state;
	CONFIG_OK(&cfg, "-p", "1", "-z", "100000", "-P", "1.5", "-u", "root", "-k", "-T");
	assert_true(cfg.has_ppid && cfg.ppid == 1);
	assert_true(cfg.has_vsz && cfg.vsz_kib == 100000);
	assert_true(cfg.has_pcpu && cfg.pcpu == 1.5);
	assert_true(cfg.has_uid && cfg.uid == 0);
	assert_string_equal(cfg.user, "root");
	assert_true(cfg.no_kthreads && cfg.traditional);
	CONFIG_OK(&cfg, "--user=65534", "--ereg-argument-array=^/usr", "--ereg-argument-array=^/bin");
	assert_int_equal(cfg.uid, 65534);
	assert_string_equal(cfg.user, "nobody");
	assert_true(cfg.has_regex);
	assert_string_equal(cfg.ereg, "^/bin");
	assert_false(cfg.no_kthreads || cfg.traditional);
	/* empty -s and -a select everything, as the reference's substring tests do */
	CONFIG_OK(&cfg, "-s", "", "-a", "");
	assert_null(cfg.state);
	assert_null(cfg.args);
	/* at most CHECK_PROCS_MAX_EXCLUDE -X */
	for (int i = 0; i < CHECK_PROCS_MAX_EXCLUDE; i++) {
		x[2 * i] = "-X";
		x[2 * i + 1] = "sleep";
	}
	x[2 * CHECK_PROCS_MAX_EXCLUDE] = NULL;
	assert_int_equal(configure(&cfg, &err, x), 0);
	assert_int_equal(cfg.nexclude, CHECK_PROCS_MAX_EXCLUDE);
	x[2 * CHECK_PROCS_MAX_EXCLUDE] = "-X";
	x[2 * CHECK_PROCS_MAX_EXCLUDE + 1] = "one-too-many";
	x[2 * CHECK_PROCS_MAX_EXCLUDE + 2] = NULL;
	assert_int_equal(configure(&cfg, &err, x), MSP_EINVAL);
	assert_string_equal(err.msg, "more than 16 -X options");
	check_procs_config_release(&cfg);
}

static void test_options__positional_warn_crit_state(void **state)
{
	struct check_procs_config cfg = { 0 };

	(void)state;
	CONFIG_OK(&cfg, "10", "20", "Z");
	assert_true(cfg.th.has_warn && cfg.th.warn.end == 10);
	assert_true(cfg.th.has_crit && cfg.th.crit.end == 20);
	assert_string_equal(cfg.state, "Z");
	/* after -c 5, a lone positional is the warning threshold (as in the reference) */
	CONFIG_OK(&cfg, "-c", "5", "10");
	assert_true(cfg.th.has_warn && cfg.th.warn.end == 10 && cfg.th.crit.end == 5);
	/* '' is skipped (an unset macro in a command file) */
	CONFIG_OK(&cfg, "", "10", "", "20");
	assert_true(cfg.th.warn.end == 10 && cfg.th.crit.end == 20);
	assert_null(cfg.state);
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
	static const struct {
		const char *args[8];
		unsigned fields;
	} rows[] = {
		{ { NULL }, MSP_PROC_STAT },
		{ { "-s", "Z" }, MSP_PROC_STAT },
		{ { "-s", "Ss" }, MSP_PROC_STAT | MSP_PROC_STATUS },
		{ { "-s", "L" }, MSP_PROC_STAT | MSP_PROC_STATUS },
		{ { "-C", "sleep", "-m", "CPU" }, MSP_PROC_STAT },
		{ { "-C", "sleep", "-u", "root" }, MSP_PROC_STAT | MSP_PROC_STATUS },
		{ { "-u", "root", "-a", "x" }, MSP_PROC_STAT | MSP_PROC_STATUS | MSP_PROC_CMDLINE },
		{ { "--ereg-argument-array", "x" }, MSP_PROC_STAT | MSP_PROC_CMDLINE },
	};
	struct check_procs_config cfg = { 0 };

	(void)state;
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		config_ok(&cfg, rows[i].args);
		if (check_procs_fields(&cfg) != rows[i].fields)
			fail_msg("row %zu: fields %#x, expected %#x", i, check_procs_fields(&cfg), rows[i].fields);
	}
	check_procs_config_release(&cfg);
}

/* ------------------------------------------------------------ filters on the recorded tree */

static void test_filter__counts_on_recorded_tree(void **state)
{
	static const struct {
		const char *option, *arg;
		size_t n;
	} rows[] = {
		/* -k leaves out kthreadd's children, not kthreadd */
		{ "no-kthreads", NULL, 9 },
		{ "state", "Z", 1 },
		{ "state", "T", 1 },
		{ "state", "S", 7 },
		{ "state", "N", 1 },
		{ "state", "<L", 1 }, /* needs status: "S<Ll" */
		{ "state", "Ss", 0 },
		{ "state", "ZT", 0 },    /* a substring, not a set of letters */
		{ "status", "Z", 1 },    /* the long name 2.3.3 takes */
		{ "user", "65534", 2 }, /* effective uid */
		{ "user", "root", 8 },
		{ "command", "sleep", 5 },
		{ "command", "msp fixture)x", 1 },
		{ "command", "R-rcu_g", 1 },
		{ "command", "kworker/R-rcu_gp", 0 },
		{ "exclude-process", "sleep,sh", 4 },
		{ "ppid", "19878", 6 },
		{ "ppid", "19903", 1 },
		{ "vsz", "5900", 6 },
		{ "argument-array", "two words", 1 },
		{ "argument-array", "1000", 6 },
		{ "argument-array", "<defunct>", 1 },
		{ "ereg-argument-array", "^\\[", 3 },
		{ "ereg-argument-array", "fixture\\)x [0-9]+$", 1 },
	};
	struct check_procs_config cfg = { 0 };

	(void)state;
	CONFIG_OK(&cfg, "-w", "1");
	assert_int_equal(count(&cfg), 10);
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		size_t n = count_with(rows[i].option, rows[i].arg);

		if (n != rows[i].n)
			fail_msg("--%s %s: %zu processes, expected %zu", rows[i].option, rows[i].arg ? rows[i].arg : "", n,
				 rows[i].n);
	}
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
	struct check_procs_config cfg = { 0 };

	(void)state;
	CONFIG_OK(&cfg, "-C", "sleep", "-u", "nobody");
	assert_int_equal(count(&cfg), 2);
	CONFIG_OK(&cfg, "-C", "sleep", "-u", "nobody", "-s", "SN");
	assert_int_equal(count(&cfg), 1);
	CONFIG_OK(&cfg, "-C", "sleep", "-u", "nobody", "-s", "SN", "-a", "2000");
	assert_int_equal(count(&cfg), 0);
}

static void test_filter__leaves_out_self_and_parent(void **state)
{
	struct check_procs_config cfg = { 0 };
	struct check_procs_self self = { .pid = 19903 };
	struct check_procs_sample s;
	struct msp_error err;

	(void)state;
	CONFIG_OK(&cfg, "-w", "1");
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
	enum msp_state st;
	char *out;

	(void)state;
	msp_test_configure_ok(msp_test_plugin, &cfg, sizeof(cfg), MSP_ARGS("--proc-root", "/nonexistent/proc"));
	msp_error_init(&err);
	assert_int_equal(check_procs_collect(&cfg, NULL, &s, &err), MSP_ENOENT);
	assert_null(s.m);
	/* the whole run: UNKNOWN in the reference's line shape, no perfdata */
	out = msp_test_run(msp_test_plugin, &cfg, sizeof(cfg), MSP_ARGS("--proc-root", "/nonexistent/proc", "-w", "5"),
			   MSP_FORMAT_NAGIOS, &st);
	assert_int_equal(st, MSP_STATE_UNKNOWN);
	assert_string_equal(out, "PROCS UNKNOWN: cannot open '/nonexistent/proc/uptime': No such file or directory\n");
	free(out);
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
	struct check_procs_config cfg = { 0 };
	struct msp_result *root;

	(void)state;
	CONFIG_OK(&cfg, "-w", "5", "-c", "8");
	root = evaluate(&cfg);
	assert_int_equal(msp_result_state(root), MSP_STATE_CRITICAL);
	assert_string_equal(root->text, "10 processes");
	assert_int_equal(root->nperf, 1);
	assert_string_equal(root->perf[0].label, "procs");
	assert_true(root->perf[0].value == 10);
	assert_true(root->perf[0].th.has_warn && root->perf[0].th.warn.end == 5);
	assert_true(root->perf[0].has_min && root->perf[0].min == 0);
	msp_result_free(root);
	CONFIG_OK(&cfg, "-w", "5", "-c", "8", "-C", "sleep");
	root = evaluate(&cfg);
	assert_int_equal(msp_result_state(root), MSP_STATE_OK);
	assert_string_equal(root->text, "5 processes with command name 'sleep'");
	msp_result_free(root);
	CONFIG_OK(&cfg, "-c", "8", "-C", "sleep", "-s", "Z", "-w", "0");
	root = evaluate(&cfg);
	assert_int_equal(msp_result_state(root), MSP_STATE_WARNING);
	assert_string_equal(root->text, "1 process with command name 'sleep', STATE = Z");
	msp_result_free(root);
}

/* The summary names the filters in the order they were given, in the reference's words. */
static void test_evaluate__summary_names_filters_in_order(void **state)
{
	static const struct msp_test_case rows[] = {
		{ { "--proc-root", MACHINE, "-C", "sleep", "-u", "nobody", "-s", "SN" }, MSP_STATE_OK,
		  "^PROCS OK: 1 process with command name 'sleep', UID = 65534 \\(nobody\\), STATE = SN \\| procs=1;;;0;$" },
		{ { "--proc-root", MACHINE, "-s", "SN", "-u", "nobody", "-C", "sleep" }, MSP_STATE_OK,
		  "^PROCS OK: 1 process with STATE = SN, UID = 65534 \\(nobody\\), command name 'sleep' \\|" },
		{ { "--proc-root", MACHINE, "-X", "sleep,sh", "-p", "19878", "-X", "process_api", "-z", "1" }, MSP_STATE_OK,
		  "^PROCS OK: 1 process with exclude progs 'sleep,sh', PPID = 19878, exclude progs 'process_api', "
		  "VSZ >= 1 \\|" },
		/* a repeated -a or -C keeps its first place and takes the last value; sh's args contain "sleep" */
		{ { "--proc-root", MACHINE, "-a", "1000", "--ereg-argument-array", "^s", "-a", "sleep" }, MSP_STATE_OK,
		  "^PROCS OK: 5 processes with args 'sleep', regex args '\\^s' \\|" },
		/* the zombie has no RSS */
		{ { "--proc-root", MACHINE, "-r", "1", "-P", "0", "-C", "sh", "-C", "sleep" }, MSP_STATE_OK,
		  "^PROCS OK: 4 processes with RSS >= 1, PCPU >= 0\\.00, command name 'sleep' \\|" },
		{ { "--proc-root", MACHINE, "0", "5", "Z" }, MSP_STATE_WARNING, "^PROCS WARNING: 1 process with STATE = Z \\| procs=1;0;5;0;$" },
		{ { "--proc-root", MACHINE, "-m", "CPU", "-w", "1000", "-C", "sleep" }, MSP_STATE_OK,
		  "^CPU OK: 5 processes with command name 'sleep' \\| procs=5;;;0; procs_warn=0;;;0; procs_crit=0;;;0;$" },
		/* a usage error is the runner's line; a check that cannot read the tree uses the reference's colon */
		{ { "--proc-root", MACHINE, "-w", "", "-c", "5" }, MSP_STATE_UNKNOWN,
		  "^PROCS UNKNOWN - option '--warning' is empty$" },
		{ { "--proc-root", "tests/fixtures/msp_proc", "-w", "5" }, MSP_STATE_UNKNOWN,
		  "^PROCS UNKNOWN: cannot open 'tests/fixtures/msp_proc/uptime'" },
	};
	struct check_procs_config cfg = { 0 };

	(void)state;
	/* whole runs (parser, check, nagios line); the compiled regex is released after each row */
	msp_test_cases_release(msp_test_plugin, &cfg, sizeof(cfg), rows, sizeof(rows) / sizeof(rows[0]), release);
}

static void test_evaluate__no_thresholds_is_ok_and_zero_can_alert(void **state)
{
	struct check_procs_config cfg = { 0 };
	struct msp_result *root;

	(void)state;
	CONFIG_OK(&cfg, "-C", "sshd");
	root = evaluate(&cfg);
	assert_int_equal(msp_result_state(root), MSP_STATE_OK);
	assert_string_equal(root->text, "0 processes with command name 'sshd'");
	msp_result_free(root);
	CONFIG_OK(&cfg, "-C", "sshd", "-c", "1:");
	root = evaluate(&cfg);
	assert_int_equal(msp_result_state(root), MSP_STATE_CRITICAL);
	msp_result_free(root);
}

static void test_evaluate__vsz_per_process(void **state)
{
	struct check_procs_config cfg = { 0 };
	struct msp_result *root;

	(void)state;
	CONFIG_OK(&cfg, "-m", "VSZ", "-w", "5000", "-c", "10000");
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
	struct check_procs_config cfg = { 0 };
	struct msp_result *root;

	(void)state;
	CONFIG_OK(&cfg, "-m", "ELAPSED", "-w", "3600");
	root = evaluate(&cfg);
	/* pids 1, 2 and 4 started 8200 s before the recording, the others about 2 s */
	assert_int_equal(msp_result_state(root), MSP_STATE_WARNING);
	assert_string_equal(root->text, "3 warn out of 10 processes");
	assert_string_equal(root->child[0]->text, "ELAPSED 8200 s: pid 1 (process_api)");
	msp_result_free(root);
	CONFIG_OK(&cfg, "-m", "ELAPSED", "-w", "100000", "-C", "sleep");
	root = evaluate(&cfg);
	assert_int_equal(msp_result_state(root), MSP_STATE_OK);
	assert_string_equal(root->text, "5 processes with command name 'sleep'");
	assert_int_equal(root->nchild, 0);
	msp_result_free(root);
}

static void test_evaluate__many_alerting_processes_are_capped(void **state)
{
	struct check_procs_config cfg = { 0 };
	struct check_procs_sample s = { 0 };
	struct check_procs_match m[25];
	struct msp_result *root = msp_result_new();

	(void)state;
	CONFIG_OK(&cfg, "-m", "RSS", "-w", "10", "-c", "20");
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
		cmocka_unit_test(test_options__errors),
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
		cmocka_unit_test(test_evaluate__summary_names_filters_in_order),
		cmocka_unit_test(test_evaluate__no_thresholds_is_ok_and_zero_can_alert),
		cmocka_unit_test(test_evaluate__vsz_per_process),
		cmocka_unit_test(test_evaluate__elapsed_and_warn_only_wording),
		cmocka_unit_test(test_evaluate__many_alerting_processes_are_capped),
	};

	/* the table rows name the recorded tree relative to the source tree */
	if (getenv("top_srcdir") && chdir(getenv("top_srcdir")) != 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
