/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test_msp_plugin.c - the runner: -t parsing, verbose output, and whole
 * runs of a small test plugin through msp_main() in a forked child
 * (option parsing, usage errors, --help/-V, timeouts and their state,
 * output formats, --extra-opts, signals, children killed on timeout).
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <setjmp.h>
#include <cmocka.h>

#include "msp.h"
#include "../helpers/msp_test.h"

/* ------------------------------------------------------ the test plugin */

enum { OPT_WARN, OPT_FLAG, OPT_NAME, OPT_SLEEP, OPT_FAIL, OPT_CRASH, OPT_TERM, OPT_CHILD, OPT_NAP, OPT_STEP };

struct test_cfg {
	const char *warn;
	int flag;
	const char *name;
	int positional;
	bool sleep, fail, crash, term;
	const char *pidfile;
	const char *step;
};

static const struct msp_option test_options[] = {
	{ OPT_WARN, 'w', "warning", MSP_ARG_REQUIRED, "LIMIT", "Warn above LIMIT" },
	{ OPT_FLAG, 'x', "flag", MSP_ARG_NONE, NULL, "A flag (repeatable)" },
	{ OPT_NAME, 0, "name", MSP_ARG_REQUIRED, "NAME", "A long-only option\nwith two help lines" },
	{ OPT_SLEEP, 's', "sleep", MSP_ARG_NONE, NULL, NULL },
	{ OPT_FAIL, 0, "fail", MSP_ARG_NONE, NULL, NULL },
	{ OPT_CRASH, 0, "crash", MSP_ARG_NONE, NULL, NULL },
	{ OPT_TERM, 0, "term", MSP_ARG_NONE, NULL, NULL },
	{ OPT_CHILD, 0, "child-pidfile", MSP_ARG_REQUIRED, "FILE", NULL },
	/* sleeps SECONDS while options are parsed, as a slow regcomp() would */
	{ OPT_NAP, 0, "nap", MSP_ARG_REQUIRED, "SECONDS", NULL },
	/* the step text -s sleeps under */
	{ OPT_STEP, 0, "step", MSP_ARG_REQUIRED, "TEXT", NULL },
	MSP_OPTION_END,
};

static int test_option(void *vcfg, int id, const char *arg, struct msp_error *err)
{
	struct test_cfg *cfg = vcfg;

	switch (id) {
	case OPT_WARN:
		if (strcmp(arg, "bad") == 0)
			return msp_error_set(err, MSP_EINVAL, "cannot parse '-w %s'", arg);
		cfg->warn = arg;
		return 0;
	case OPT_FLAG:
		cfg->flag++;
		return 0;
	case OPT_NAME:
		cfg->name = arg;
		return 0;
	case OPT_SLEEP:
		cfg->sleep = true;
		return 0;
	case OPT_FAIL:
		cfg->fail = true;
		return 0;
	case OPT_CRASH:
		cfg->crash = true;
		return 0;
	case OPT_TERM:
		cfg->term = true;
		return 0;
	case OPT_CHILD:
		cfg->pidfile = arg;
		return 0;
	case OPT_NAP: {
		struct timespec ts = { 0, 0 };
		double secs = strtod(arg, NULL);

		ts.tv_sec = (time_t)secs;
		ts.tv_nsec = (long)((secs - (double)ts.tv_sec) * 1e9);
		while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
			;
		return 0;
	}
	case OPT_STEP:
		cfg->step = arg;
		return 0;
	case MSP_OPT_POSITIONAL:
		cfg->positional++;
		return 0;
	}
	return msp_error_set(err, MSP_EINVAL, "unknown option");
}

static int test_finish(void *vcfg, const struct msp_context *ctx, struct msp_error *err)
{
	struct test_cfg *cfg = vcfg;

	(void)ctx;
	if (!cfg->warn)
		return msp_error_set(err, MSP_EINVAL, "missing -w");
	return 0;
}

static int test_check(void *vcfg, const struct msp_context *ctx, struct msp_result *root, struct msp_error *err)
{
	struct test_cfg *cfg = vcfg;

	if (cfg->crash)
		raise(SIGSEGV);
	if (cfg->term)
		raise(SIGTERM);
	if (cfg->fail)
		return msp_error_set(err, MSP_EINVAL, "cannot read 'thing'");
	msp_verbose(ctx, 1, "verbose detail %d", 1);
	msp_verbose(ctx, 2, "more detail");
	if (cfg->sleep) {
		if (cfg->step)
			msp_step("%s", cfg->step);
		else
			msp_step("sleeping in the %s", "test");
		sleep(30);
	}
	if (cfg->pidfile) {
		char script[600];
		const char *argv[] = { "/bin/sh", "-c", script, NULL };
		struct timespec far = msp_deadline_in(60);
		struct msp_exec_result res;

		snprintf(script, sizeof(script), "echo $$ > '%s'; exec sleep 30", cfg->pidfile);
		msp_step("running a child");
		msp_exec_run(argv, NULL, &far, 1024, 1024, &res, err);
		msp_exec_result_release(&res);
	}
	msp_result_set_state(root, MSP_STATE_OK);
	msp_result_add_perf(root, "w", 1, "", NULL);
	return msp_result_set_text(root, "w=%s x=%d name=%s pos=%d timeout=%u", cfg->warn, cfg->flag,
				   cfg->name ? cfg->name : "-", cfg->positional, ctx->timeout);
}

static const struct msp_doc_item test_files[] = {
	{ "/var/lib/test/state", "where the test keeps its state" },
	{ NULL, NULL },
};

static const struct msp_doc_item test_environment[] = {
	{ "TEST_SECRET", "the password, kept out of argv" },
	{ NULL, NULL },
};

/* Positional arguments go to the callback (id MSP_OPT_POSITIONAL). */
static const struct msp_option test_positional = MSP_CALLBACK(MSP_OPT_POSITIONAL, 0, NULL, MSP_ARG_REQUIRED, "ARG", NULL);

static const struct msp_plugin test_plugin = {
	.positional = &test_positional,
	.name = "check_test",
	.service = "TEST",
	/* wrapped as --help shows it; usage errors print it on one line */
	.synopsis = "-w LIMIT [-x]\n    [--name NAME]",
	.description = "A plugin for the runner's unit test.",
	.notes = "Notes at the end of the help.\n"
		 "Examples:\n"
		 "  check_test -w 5\n"
		 "  check_test -w 5 --name 'a b'    with a comment",
	.files = test_files,
	.environment = test_environment,
	.options = test_options,
	.timeout = 10,
	.timeout_state = MSP_STATE_UNKNOWN,
	.option = test_option,
	.finish = test_finish,
	.check = test_check,
};

/* ------------------------------------------------------------ harness */

/* Where the child's stdout goes. */
enum out_mode { OUT_PIPE, OUT_CLOSED, OUT_FULL };

/* Set before run_plugin: the child's stdout, an environment variable to set, a stdin that never ends. */
static enum out_mode g_out_mode = OUT_PIPE;
static char *g_child_env;
static bool g_stdin_pipe;

struct run {
	int rc; /* exit code, or 128 + signal */
	char out[16384];
	char err[4096];
};

static void read_all(int fd, char *buf, size_t len)
{
	size_t n = 0;

	for (;;) {
		ssize_t r = read(fd, buf + n, len - 1 - n);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		n += (size_t)r;
		if (n == len - 1)
			break;
	}
	buf[n] = '\0';
}

/* Run the test plugin with args (NULL-terminated) in a child; args[0] is not the program name. */
static void run_plugin(const char *const *args, struct run *ret)
{
	int po[2], pe[2], status = 0;
	pid_t pid;

	memset(ret, 0, sizeof(*ret));
	assert_int_equal(pipe(po), 0);
	assert_int_equal(pipe(pe), 0);
	fflush(NULL);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		static struct test_cfg cfg;
		char *argv[32];
		int argc = 0, in[2];

		/* A watchdog: a runner that blocks before arming its own deadline still ends. */
		alarm(15);
		if (g_child_env)
			putenv(g_child_env);
		if (g_stdin_pipe && pipe(in) == 0)
			dup2(in[0], 0); /* the write end stays open: a read never ends */
		dup2(po[1], 1);
		if (g_out_mode == OUT_CLOSED)
			close(1);
		else if (g_out_mode == OUT_FULL) {
			int full = open("/dev/full", O_WRONLY);

			dup2(full, 1);
			close(full);
		}
		dup2(pe[1], 2);
		close(po[0]);
		close(pe[0]);
		argv[argc++] = strdup("check_test");
		for (; args[argc - 1] && argc < 31; argc++)
			argv[argc] = strdup(args[argc - 1]);
		argv[argc] = NULL;
		msp_main(&test_plugin, &cfg, argc, argv);
	}
	close(po[1]);
	close(pe[1]);
	read_all(po[0], ret->out, sizeof(ret->out));
	read_all(pe[0], ret->err, sizeof(ret->err));
	close(po[0]);
	close(pe[0]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	ret->rc = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

static void expect_run(const char *const *args, int rc, const char *out)
{
	struct run r;

	run_plugin(args, &r);
	if (r.rc != rc || strcmp(r.out, out) != 0)
		fail_msg("exit %d, expected %d; stdout:\n%s\nexpected:\n%s\nstderr:\n%s", r.rc, rc, r.out, out, r.err);
	if (r.err[0])
		fail_msg("unexpected stderr: %s", r.err);
}

static bool starts_with(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

#define USAGE_LINE "Usage: check_test -w LIMIT [-x] [--name NAME] (see --help)\n"

/* ------------------------------------------------------ msp_timeout_parse */

static void test_plugin__timeout_parse_accepts_seconds_and_state(void **state)
{
	static const struct {
		const char *arg;
		unsigned secs;
		bool has_state;
		enum msp_state st;
	} ok[] = {
		{ "10", 10, false, MSP_STATE_UNKNOWN },
		{ "1", 1, false, MSP_STATE_UNKNOWN },
		{ "86400", 86400, false, MSP_STATE_UNKNOWN },
		{ " 30 ", 30, false, MSP_STATE_UNKNOWN },
		{ "10:critical", 10, true, MSP_STATE_CRITICAL },
		{ "10:CRIT", 10, true, MSP_STATE_CRITICAL },
		{ "5:ok", 5, true, MSP_STATE_OK },
		{ "5:1", 5, true, MSP_STATE_WARNING },
		{ "5:unknown", 5, true, MSP_STATE_UNKNOWN },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		unsigned secs = 0;
		bool has = !ok[i].has_state;
		enum msp_state st = (enum msp_state)99;
		struct msp_error err;

		msp_error_init(&err);
		if (msp_timeout_parse(ok[i].arg, &secs, &has, &st, &err) != 0)
			fail_msg("-t '%s' rejected: %s", ok[i].arg, err.msg);
		if (secs != ok[i].secs || has != ok[i].has_state || (has && st != ok[i].st))
			fail_msg("-t '%s': %u s, state %d/%s", ok[i].arg, secs, has, msp_state_name(st));
	}
}

static void test_plugin__timeout_parse_rejects_bad_values(void **state)
{
	static const char *const bad[] = { "",
					   "0",
					   "-5",
					   "86401",
					   "abc",
					   "10.5",
					   "1e3",
					   "10:",
					   "10:bogus",
					   ":critical",
					   "10:critical:x",
					   "0x10",
					   "99999999999999999999999999999999" };

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		unsigned secs = 77;
		bool has = true;
		enum msp_state st = (enum msp_state)99;
		struct msp_error err;

		msp_error_init(&err);
		if (msp_timeout_parse(bad[i], &secs, &has, &st, &err) != MSP_EINVAL)
			fail_msg("-t '%s' accepted", bad[i]);
		if (secs != 77 || !has || st != (enum msp_state)99)
			fail_msg("-t '%s': out-parameters changed on failure", bad[i]);
		if (!starts_with(err.msg, "timeout"))
			fail_msg("-t '%s': message '%s'", bad[i], err.msg);
	}
	assert_int_equal(msp_timeout_parse(NULL, NULL, NULL, NULL, NULL), MSP_EINVAL);
}

/* ---------------------------------------------------------- msp_verbose */

static void test_plugin__verbose_writes_stderr_only_at_level(void **state)
{
	struct msp_context ctx;
	char path[] = "/tmp/msp-verbose-XXXXXX";
	char buf[256];
	int fd = mkstemp(path), saved;
	ssize_t n;

	(void)state;
	assert_true(fd >= 0);
	unlink(path);
	fflush(stderr);
	saved = dup(2);
	dup2(fd, 2);
	memset(&ctx, 0, sizeof(ctx));
	msp_verbose(&ctx, 1, "hidden %d", 0);
	msp_verbose(NULL, 0, "hidden too");
	ctx.verbose = 2;
	msp_verbose(&ctx, 1, "shown %d", 1);
	msp_verbose(&ctx, 2, "shown %s", "two");
	msp_verbose(&ctx, 3, "hidden three");
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	n = pread(fd, buf, sizeof(buf) - 1, 0);
	close(fd);
	assert_true(n >= 0);
	buf[n] = '\0';
	assert_string_equal(buf, "shown 1\nshown two\n");
}

/* ------------------------------------------------------ whole runs */

static void test_plugin__runs_check_and_exits_with_its_state(void **state)
{
	const char *const args[] = { "-w", "5", "-x", "--name=n1", "-x", "pos", NULL };

	(void)state;
	expect_run(args, 0, "TEST OK - w=5 x=2 name=n1 pos=1 timeout=10 | w=1\n");
}

static void test_plugin__empty_arguments_ignored(void **state)
{
	const char *const args[] = { "", "-w", "5", "", NULL };

	(void)state;
	expect_run(args, 0, "TEST OK - w=5 x=0 name=- pos=0 timeout=10 | w=1\n");
}

static void test_plugin__usage_errors_are_unknown_with_usage(void **state)
{
	const char *const unknown_long[] = { "-w", "5", "--bogus", NULL };
	const char *const unknown_short[] = { "-q", NULL };
	const char *const no_value[] = { "-w", NULL };
	const char *const no_value_long[] = { "--name", NULL };
	const char *const bad_value[] = { "-w", "bad", NULL };
	const char *const value_for_flag[] = { "-w", "5", "--flag=1", NULL };
	const char *const value_for_help[] = { "--help=x", NULL };
	const char *const finish_fails[] = { "-x", NULL };
	const char *const bad_timeout[] = { "-w", "1", "-t", "0", NULL };
	const char *const bad_format[] = { "-w", "1", "--output-format=xml", NULL };

	(void)state;
	expect_run(unknown_long, 3, "TEST UNKNOWN - unknown option '--bogus'\n" USAGE_LINE);
	expect_run(unknown_short, 3, "TEST UNKNOWN - unknown option '-q'\n" USAGE_LINE);
	expect_run(no_value, 3, "TEST UNKNOWN - option '-w' needs a value\n" USAGE_LINE);
	expect_run(no_value_long, 3, "TEST UNKNOWN - option '--name' needs a value\n" USAGE_LINE);
	expect_run(bad_value, 3, "TEST UNKNOWN - cannot parse '-w bad'\n" USAGE_LINE);
	expect_run(value_for_flag, 3, "TEST UNKNOWN - option '--flag=1' does not take a value\n" USAGE_LINE);
	expect_run(value_for_help, 3, "TEST UNKNOWN - option '--help=x' does not take a value\n" USAGE_LINE);
	expect_run(finish_fails, 3, "TEST UNKNOWN - missing -w\n" USAGE_LINE);
	expect_run(bad_timeout, 3,
		   "TEST UNKNOWN - timeout '0' is not a number of seconds from 1 to 86400\n" USAGE_LINE);
	expect_run(bad_format, 3,
		   "TEST UNKNOWN - output format 'xml' is not nagios, multi-line, json, prometheus or table\n" USAGE_LINE);
}

static void test_plugin__check_error_is_unknown(void **state)
{
	const char *const args[] = { "-w", "5", "--fail", NULL };

	(void)state;
	expect_run(args, 3, "TEST UNKNOWN - cannot read 'thing'\n");
}

static void test_plugin__help_and_version_exit_unknown(void **state)
{
	const char *const help[] = { "-w", "5", "--help", NULL };
	const char *const h[] = { "-h", NULL };
	const char *const version[] = { "-V", NULL };
	struct run r;

	(void)state;
	run_plugin(help, &r);
	assert_int_equal(r.rc, 3);
	assert_true(starts_with(r.out, "check_test v" PACKAGE_VERSION " (" PACKAGE_NAME ")\n\n"
				       "A plugin for the runner's unit test.\n\n"
				       "Usage:\n  check_test -w LIMIT [-x]\n    [--name NAME]\n\nOptions:\n"));
	assert_non_null(strstr(r.out, "\n -w, --warning=LIMIT\n    Warn above LIMIT\n"));
	assert_non_null(strstr(r.out, "\n --name=NAME\n    A long-only option\n    with two help lines\n"));
	assert_non_null(strstr(r.out, "\n -t, --timeout=SECONDS[:STATE]\n"));
	assert_null(strstr(r.out, "--sleep")); /* hidden options stay hidden */
	assert_non_null(strstr(r.out, "\nNotes at the end of the help.\nExamples:\n  check_test -w 5\n"));
	assert_string_equal(r.err, "");
	run_plugin(h, &r);
	assert_int_equal(r.rc, 3);
	assert_true(starts_with(r.out, "check_test v"));
	run_plugin(version, &r);
	assert_int_equal(r.rc, 3);
	assert_string_equal(r.out, "check_test v" PACKAGE_VERSION " (" PACKAGE_NAME " " PACKAGE_VERSION ")\n");
}

static void test_plugin__verbose_goes_to_stderr_only_with_v(void **state)
{
	const char *const quiet[] = { "-w", "5", NULL };
	const char *const v1[] = { "-w", "5", "-v", NULL };
	const char *const v2[] = { "-vv", "-w", "5", NULL };
	struct run r;

	(void)state;
	run_plugin(quiet, &r);
	assert_string_equal(r.err, "");
	run_plugin(v1, &r);
	assert_int_equal(r.rc, 0);
	assert_string_equal(r.err, "verbose detail 1\n");
	assert_true(starts_with(r.out, "TEST OK - "));
	run_plugin(v2, &r);
	assert_string_equal(r.err, "verbose detail 1\nmore detail\n");
}

static void test_plugin__output_formats(void **state)
{
	const char *const json[] = { "-w", "5", "--output-format=json", NULL };
	const char *const json_usage[] = { "--bogus", "--output-format", "json", NULL };
	const char *const ml[] = { "-w", "5", "--output-format", "multi-line", NULL };
	const char *const timeout_value[] = { "-w", "5", "-t", "42", NULL };

	(void)state;
	expect_run(json, 0,
		   "{\"version\":1,\"plugin\":\"check_test\",\"service\":\"TEST\",\"state\":\"OK\",\"exit_code\":0,"
		   "\"summary\":\"w=5 x=0 name=- pos=0 timeout=10\",\"checks\":[],\"perfdata\":[{\"label\":\"w\","
		   "\"value\":1,\"uom\":\"\",\"warn\":null,\"crit\":null,\"min\":null,\"max\":null}]}\n");
	/* usage errors come out in the asked format too, without the usage line */
	expect_run(
		json_usage, 3,
		"{\"version\":1,\"plugin\":\"check_test\",\"service\":\"TEST\",\"state\":\"UNKNOWN\",\"exit_code\":3,"
		"\"summary\":\"unknown option '--bogus'\",\"checks\":[],\"perfdata\":[]}\n");
	expect_run(ml, 0, "[OK] - w=5 x=0 name=- pos=0 timeout=10\n|w=1\n");
	expect_run(timeout_value, 0, "TEST OK - w=5 x=0 name=- pos=0 timeout=42 | w=1\n");
}

static void test_plugin__extra_opts_before_command_line(void **state)
{
	char path[] = "/tmp/msp-plugin-ini-XXXXXX";
	char spec[128];
	int fd = mkstemp(path);
	const char ini[] = "[check_test]\nwarning=7\nflag\nname=from-ini\n[other]\nwarning=8\n";
	const char *const from_ini[] = { spec, NULL };
	const char *const overridden[] = { spec, "-w", "9", NULL };
	const char *const missing[] = { "--extra-opts=nosuch@/nonexistent/x.ini", NULL };
	struct run r;

	(void)state;
	assert_true(fd >= 0);
	assert_int_equal(write(fd, ini, sizeof(ini) - 1), (ssize_t)(sizeof(ini) - 1));
	close(fd);
	snprintf(spec, sizeof(spec), "--extra-opts=@%s", path);
	expect_run(from_ini, 0, "TEST OK - w=7 x=1 name=from-ini pos=0 timeout=10 | w=1\n");
	expect_run(overridden, 0, "TEST OK - w=9 x=1 name=from-ini pos=0 timeout=10 | w=1\n");
	snprintf(spec, sizeof(spec), "--extra-opts=other@%s", path);
	expect_run(from_ini, 0, "TEST OK - w=8 x=0 name=- pos=0 timeout=10 | w=1\n");
	unlink(path);
	run_plugin(missing, &r);
	assert_int_equal(r.rc, 3);
	assert_true(starts_with(r.out, "TEST UNKNOWN - cannot open '/nonexistent/x.ini'"));
}

static void test_plugin__timeout_reports_step_and_state(void **state)
{
	const char *const dflt[] = { "-w", "5", "-s", "-t", "1", NULL };
	const char *const crit[] = { "-w", "5", "-s", "-t", "1:critical", NULL };
	const char *const result[] = { "-w", "5", "-s", "--timeout-result=warning", "-t", "1", NULL };
	double t0 = msp_time_mono();

	(void)state;
	expect_run(dflt, 3, "TEST UNKNOWN - timed out after 1 s while sleeping in the test\n");
	expect_run(crit, 2, "TEST CRITICAL - timed out after 1 s while sleeping in the test\n");
	expect_run(result, 1, "TEST WARNING - timed out after 1 s while sleeping in the test\n");
	assert_true(msp_time_mono() - t0 < 10);
}

static void test_plugin__timeout_kills_running_children(void **state)
{
	char path[] = "/tmp/msp-plugin-pid-XXXXXX";
	char opt[128];
	const char *const args[] = { "-w", "5", opt, "-t", "1", NULL };
	int fd = mkstemp(path);
	long pid = -1;
	FILE *f;

	(void)state;
	assert_true(fd >= 0);
	close(fd);
	snprintf(opt, sizeof(opt), "--child-pidfile=%s", path);
	expect_run(args, 3, "TEST UNKNOWN - timed out after 1 s while running a child\n");
	f = fopen(path, "r");
	assert_non_null(f);
	assert_int_equal(fscanf(f, "%ld", &pid), 1);
	fclose(f);
	unlink(path);
	assert_true(pid > 1);
	if (!wait_process_gone(pid))
		fail_msg("child %ld of the plugin survived its timeout", pid);
}

static void test_plugin__signals_end_in_unknown(void **state)
{
	const char *const term[] = { "-w", "5", "--term", NULL };
	const char *const crash[] = { "-w", "5", "--crash", NULL };

	(void)state;
	expect_run(term, 3, "TEST UNKNOWN - interrupted by SIGTERM\n");
#ifdef MSP_SANITIZERS
	(void)crash; /* the sanitizers report crashes themselves */
#else
	expect_run(crash, 3, "TEST UNKNOWN - internal error, caught signal SIGSEGV\n");
#endif
}

/* ------------------------------------------------ an unwritable stdout */

/* Every path out of msp_main() with stdout closed or full ends in exit 3: nobody can read an OK. */
static void test_plugin__unwritable_stdout_exits_unknown(void **state)
{
	const char *const ok[] = { "-w", "5", NULL };
	const char *const ok_json[] = { "-w", "5", "--output-format=json", NULL };
	const char *const ok_prom[] = { "-w", "5", "--output-format=prometheus", NULL };
	const char *const usage[] = { "--bogus", NULL };
	const char *const finish_fails[] = { "-x", NULL };
	const char *const help[] = { "--help", NULL };
	const char *const man[] = { "--help-man", NULL };
	const char *const version[] = { "-V", NULL };
	const char *const timeout_ok[] = { "-w", "5", "-s", "-t", "1:ok", NULL };
	const char *const timeout_ok_json[] = { "-w", "5", "-s", "-t", "1:ok", "--output-format=json", NULL };
	const char *const *const cases[] = { ok, ok_json, ok_prom, usage, finish_fails, help, man, version,
					     timeout_ok, timeout_ok_json };
	static const enum out_mode modes[] = { OUT_CLOSED, OUT_FULL };
	char failed[4096] = "";
	size_t nf = 0;
	struct run r;

	(void)state;
	for (size_t m = 0; m < 2; m++) {
		g_out_mode = modes[m];
		for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
			run_plugin(cases[i], &r);
			if (r.rc != 3 && nf < sizeof(failed))
				nf += (size_t)snprintf(failed + nf, sizeof(failed) - nf,
						       "stdout %s, args '%s %s ...': exit %d, want 3\n",
						       modes[m] == OUT_CLOSED ? "closed" : "/dev/full", cases[i][0],
						       cases[i][1] ? cases[i][1] : "", r.rc);
		}
	}
	g_out_mode = OUT_PIPE;
	if (failed[0])
		fail_msg("%s", failed);
}

/* ------------------------------------------ the deadline covers parsing */

static void test_plugin__deadline_covers_option_parsing(void **state)
{
	/* -t before a slow option: the slow option is cut off */
	const char *const t_first[] = { "-t", "1", "--nap", "30", "-w", "5", NULL };
	/* -t after it still counts from the start: 2.5 s spent, 3 s in all (not 5.5) */
	const char *const t_after[] = { "--nap", "2.5", "-w", "5", "-t", "3", "-s", NULL };
	/* -t after a nap longer than itself: the pre-scan armed it, it fires during the nap */
	const char *const t_passed[] = { "--nap", "4", "-w", "5", "-t", "1:critical", NULL };
	/* the same from an ini file, which the pre-scan does not see: fires as soon as -t is parsed */
	char path[] = "/tmp/msp-plugin-ini-XXXXXX";
	char spec[128];
	const char *const t_from_ini[] = { "--nap", "2", spec, "-w", "5", NULL };
	const char ini[] = "[check_test]\ntimeout=1\n";
	int fd = mkstemp(path);
	double t0, took;

	(void)state;
	assert_true(fd >= 0);
	assert_int_equal(write(fd, ini, sizeof(ini) - 1), (ssize_t)(sizeof(ini) - 1));
	close(fd);
	snprintf(spec, sizeof(spec), "--extra-opts=@%s", path);
	t0 = msp_time_mono();
	expect_run(t_first, 3, "TEST UNKNOWN - timed out after 1 s while parsing options\n");
	assert_true(msp_time_mono() - t0 < 5);
	t0 = msp_time_mono();
	expect_run(t_after, 3, "TEST UNKNOWN - timed out after 3 s while sleeping in the test\n");
	took = msp_time_mono() - t0;
	if (took > 4.5)
		fail_msg("-t 3 after 2.5 s of parsing ended after %.1f s", took);
	t0 = msp_time_mono();
	expect_run(t_passed, 2, "TEST CRITICAL - timed out after 1 s while parsing options\n");
	assert_true(msp_time_mono() - t0 < 3);
	/* options from the ini file come first: the nap runs after -t 1 is parsed */
	t0 = msp_time_mono();
	expect_run(t_from_ini, 3, "TEST UNKNOWN - timed out after 1 s while parsing options\n");
	assert_true(msp_time_mono() - t0 < 3);
	unlink(path);
}

/* --------------------------------------------- the timeout path's output */

static void test_plugin__timeout_output_in_every_format(void **state)
{
	const char *const nagios[] = { "-w", "5", "-s", "-t", "1", "--step", "reading \"a\" | b\tc $HOME \xff", NULL };
	const char *const ml[] = { "-w", "5", "-s", "-t", "1", "--step", "reading \"a\"", "--output-format=multi-line",
				   NULL };
	const char *const json[] = { "-w", "5", "-s", "-t", "1", "--step", "reading \"a\" \\ \xff",
				     "--output-format=json", NULL };
	const char *const prom[] = { "-w", "5", "-s", "-t", "1", "--output-format=prometheus", NULL };
	const char *const table[] = { "-w", "5", "-s", "-t", "1", "--output-format=table", NULL };

	(void)state;
	/* plain quotes; '|', control characters, a word-initial '$' and invalid UTF-8 cleaned as in a summary */
	expect_run(nagios, 3, "TEST UNKNOWN - timed out after 1 s while reading \"a\" / b c _HOME ?\n");
	expect_run(ml, 3, "[UNKNOWN] - timed out after 1 s while reading \"a\"\n");
	expect_run(json, 3,
		   "{\"version\":1,\"plugin\":\"check_test\",\"service\":\"TEST\",\"state\":\"UNKNOWN\",\"exit_code\":3,"
		   "\"summary\":\"timed out after 1 s while reading \\\"a\\\" \\\\ ?\",\"checks\":[],\"perfdata\":[]}\n");
	/* the same HELP and TYPE lines and labels as the normal path */
	{
		const char *const ok[] = { "-w", "5", "-s", "-t", "1", "--output-format=prometheus", "--fail", NULL };
		struct run r;
		char want[512];
		const char *l;

		run_plugin(ok, &r); /* the same arguments but --fail: another hash, same shape */
		assert_non_null(l = strstr(r.out, "msp_check_state{plugin=\"check_test\",args=\""));
		run_plugin(prom, &r);
		assert_int_equal(r.rc, 3);
		assert_non_null(l = strstr(r.out, ",args=\""));
		snprintf(want, sizeof(want),
			 "# HELP msp_check_state Plugin state: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN.\n"
			 "# TYPE msp_check_state gauge\nmsp_check_state{plugin=\"check_test\",args=\"%.16s\"} 3\n",
			 l + 7);
		assert_string_equal(r.out, want);
	}
	expect_run(table, 3, "TEST UNKNOWN - timed out after 1 s while sleeping in the test\n");
}

/* A long step text is cut, and the JSON stays whole. */
static void test_plugin__timeout_json_with_long_step_stays_valid(void **state)
{
	char step[2048];
	const char *const json[] = { "-w", "5", "-s", "-t", "1", "--step", step, "--output-format=json", NULL };
	const char *p;
	struct run r;
	size_t n;

	(void)state;
	memset(step, '"', sizeof(step) - 1);
	step[sizeof(step) - 1] = '\0';
	run_plugin(json, &r);
	assert_int_equal(r.rc, 3);
	n = strlen(r.out);
	assert_true(starts_with(r.out, "{\"version\":1,"));
	p = strstr(r.out, "\"summary\":\"timed out after 1 s while \\\"");
	assert_non_null(p);
	/* every quote of the step escaped, up to the closing one, and the object closed */
	for (p = strchr(p, '\\'); p && p[0] == '\\'; p += 2)
		assert_int_equal(p[1], '"');
	assert_non_null(p);
	assert_string_equal(p, "\",\"checks\":[],\"perfdata\":[]}\n");
	assert_true(n < 4096);
}

/* ------------------------------------------- --extra-opts from a non-file */

static void test_plugin__extra_opts_refuses_non_regular_files(void **state)
{
	char dir[] = "/tmp/msp-plugin-fifo-XXXXXX";
	char fifo[128], spec[160], env[160];
	const char *const at_fifo[] = { spec, "-w", "5", NULL };
	const char *const at_stdin[] = { "--extra-opts=@/dev/stdin", "-w", "5", NULL };
	const char *const from_env[] = { "--extra-opts", "-w", "5", NULL };
	double t0 = msp_time_mono();
	struct run r;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(fifo, sizeof(fifo), "%s/plugins.ini", dir);
	assert_int_equal(mkfifo(fifo, 0600), 0);
	snprintf(spec, sizeof(spec), "--extra-opts=@%s", fifo);
	run_plugin(at_fifo, &r);
	assert_int_equal(r.rc, 3);
	if (!starts_with(r.out, "TEST UNKNOWN - cannot read '") || !strstr(r.out, "': not a regular file\n"))
		fail_msg("FIFO: %s", r.out);
	g_stdin_pipe = true;
	run_plugin(at_stdin, &r);
	g_stdin_pipe = false;
	assert_int_equal(r.rc, 3);
	assert_string_equal(r.out, "TEST UNKNOWN - cannot read '/dev/stdin': not a regular file\n");
	snprintf(env, sizeof(env), "MP_CONFIG_FILE=%s", fifo);
	g_child_env = env;
	run_plugin(from_env, &r);
	g_child_env = NULL;
	assert_int_equal(r.rc, 3);
	if (!strstr(r.out, "': not a regular file\n"))
		fail_msg("MP_CONFIG_FILE=FIFO: %s", r.out);
	unlink(fifo);
	rmdir(dir);
	assert_true(msp_time_mono() - t0 < 5);
}

/* ------------------------------------------------- prometheus labels */

/* The value of label name in the first msp_check_state sample of out, in buf ("" when none). */
static const char *prom_label(const char *out, const char *name, char *buf, size_t len)
{
	char key[64];
	const char *s = strstr(out, "\nmsp_check_state{"), *end, *at;

	buf[0] = '\0';
	if (!s)
		return buf;
	end = strchr(s, '}');
	snprintf(key, sizeof(key), "%s=\"", name);
	for (at = strstr(s, key); at && at < end; at = strstr(at + 1, key))
		if (at[-1] == '{' || at[-1] == ',') {
			at += strlen(key);
			snprintf(buf, len, "%.*s", (int)strcspn(at, "\""), at);
			break;
		}
	return buf;
}

/* Two runs with other arguments never write the same samples; the same command line always the same. */
static void test_plugin__prometheus_samples_identify_the_run(void **state)
{
	const char *const a[] = { "-w", "5", "--output-format=prometheus", NULL };
	const char *const a_again[] = { "-w", "5", "--output-format=prometheus", NULL };
	const char *const b[] = { "-w", "6", "--output-format=prometheus", NULL };
	const char *const c[] = { "-w", "5", "--output-format=prometheus", "x", NULL };
	const char *const named[] = { "-w", "5", "--output-format=prometheus", "--prometheus-label=name=root fs",
				      "--prometheus-label", "site=\"b\"", NULL };
	const char *const bad[] = { "-w", "5", "--output-format=prometheus", "--prometheus-label=plugin=x", NULL };
	const char *const twice[] = { "-w", "5", "--output-format=prometheus", "--prometheus-label=n=1",
				      "--prometheus-label=n=2", NULL };
	const char *const no_eq[] = { "-w", "5", "--prometheus-label=name", NULL };
	char va[64], v2[64], vb[64], vc[64];
	struct run r;

	(void)state;
	run_plugin(a, &r);
	assert_int_equal(r.rc, 0);
	prom_label(r.out, "args", va, sizeof(va));
	assert_int_equal(strlen(va), 16);
	/* every sample carries it */
	assert_non_null(strstr(r.out, "msp_perfdata{plugin=\"check_test\",args=\""));
	run_plugin(a_again, &r);
	assert_string_equal(prom_label(r.out, "args", v2, sizeof(v2)), va);
	run_plugin(b, &r);
	prom_label(r.out, "args", vb, sizeof(vb));
	run_plugin(c, &r);
	prom_label(r.out, "args", vc, sizeof(vc));
	assert_int_equal(strlen(vb), 16);
	assert_int_equal(strlen(vc), 16);
	assert_string_not_equal(va, vb);
	assert_string_not_equal(va, vc);
	assert_string_not_equal(vb, vc);
	/* labels of one's own instead: stable when thresholds change */
	run_plugin(named, &r);
	assert_int_equal(r.rc, 0);
	assert_non_null(strstr(r.out, "\nmsp_check_state{plugin=\"check_test\",name=\"root fs\",site=\"\\\"b\\\"\"} 0\n"));
	assert_non_null(strstr(r.out, "\nmsp_perfdata{plugin=\"check_test\",name=\"root fs\",site=\"\\\"b\\\"\",label=\"w\""));
	assert_null(strstr(r.out, "args="));
	/* bad labels are usage errors, in the asked format */
	run_plugin(bad, &r);
	assert_int_equal(r.rc, 3);
	assert_non_null(strstr(r.out, "msp_check_state{plugin=\"check_test\",args=\""));
	run_plugin(twice, &r);
	assert_int_equal(r.rc, 3);
	expect_run(no_eq, 3, "TEST UNKNOWN - prometheus label 'name' is not NAME=VALUE\n" USAGE_LINE);
}

/* ------------------------------------------------------- the man page */

/* The text of section name in page (up to the next .SH), in buf; NULL when there is none. */
static const char *man_section(const char *page, const char *name, char *buf, size_t len)
{
	char head[64];
	const char *at, *end;

	snprintf(head, sizeof(head), "\n.SH %s\n", name);
	at = strstr(page, head);
	if (!at)
		return NULL;
	at += strlen(head);
	end = strstr(at, "\n.SH ");
	snprintf(buf, len, "%.*s", (int)(end ? end - at + 1 : (ptrdiff_t)strlen(at)), at);
	return buf;
}

static void test_plugin__man_page_sections(void **state)
{
	const char *const man[] = { "--help-man", NULL };
	char sect[8192];
	struct run r;

	(void)state;
	run_plugin(man, &r);
	assert_int_equal(r.rc, 3);
	assert_string_equal(r.err, "");
	/* the sections in man-pages(7) order */
	{
		const char *const order[] = { ".SH NAME\n", ".SH SYNOPSIS\n", ".SH DESCRIPTION\n", ".SH OPTIONS\n",
					      ".SH EXIT STATUS\n", ".SH ENVIRONMENT\n", ".SH FILES\n",
					      ".SH NOTES\n", ".SH EXAMPLES\n", ".SH SEE ALSO\n" };
		const char *prev = r.out;

		for (size_t i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
			const char *at = strstr(prev, order[i]);

			if (!at)
				fail_msg("no %s after the previous section in:\n%s", order[i], r.out);
			prev = at;
		}
	}
	/* EXIT STATUS: every code, and that --help, --version and usage errors exit 3 */
	assert_non_null(man_section(r.out, "EXIT STATUS", sect, sizeof(sect)));
	for (int code = 0; code < 4; code++) {
		char tp[32];

		snprintf(tp, sizeof(tp), ".TP\n.B %d\n", code);
		if (!strstr(sect, tp))
			fail_msg("no exit code %d in:\n%s", code, sect);
	}
	assert_non_null(strstr(sect, "\\fB\\-\\-help\\fR"));
	assert_non_null(strstr(sect, "\\fB\\-\\-version\\fR"));
	assert_non_null(strstr(sect, "usage error"));
	/* EXAMPLES out of the notes, as a section of its own, alignment kept */
	assert_non_null(man_section(r.out, "NOTES", sect, sizeof(sect)));
	assert_non_null(strstr(sect, "Notes at the end of the help."));
	assert_null(strstr(sect, "Examples"));
	assert_null(strstr(sect, "check_test \\-w 5"));
	assert_non_null(man_section(r.out, "EXAMPLES", sect, sizeof(sect)));
	assert_string_equal(sect, ".nf\n  check_test \\-w 5\n  check_test \\-w 5 \\-\\-name 'a b'    with a comment\n.fi\n");
	/* FILES: the plugin's own, then the --extra-opts files in the order they are searched */
	assert_non_null(man_section(r.out, "FILES", sect, sizeof(sect)));
	assert_non_null(strstr(sect, ".TP\n.I /var/lib/test/state\nwhere the test keeps its state\n"));
	assert_non_null(strstr(sect, "/etc/nagios/plugins.ini"));
	assert_non_null(strstr(sect, "/etc/monitoring\\-plugins/monitoring\\-plugins.ini"));
	assert_true(strstr(sect, "/etc/nagios/plugins.ini") < strstr(sect, "/etc/monitoring\\-plugins/"));
	/* ENVIRONMENT: the plugin's, then what the runner reads */
	assert_non_null(man_section(r.out, "ENVIRONMENT", sect, sizeof(sect)));
	assert_non_null(strstr(sect, ".TP\n.B TEST_SECRET\nthe password, kept out of argv\n"));
	{
		const char *const vars[] = { ".B MP_CONFIG_FILE\n", ".B NAGIOS_CONFIG_PATH\n", ".B NO_COLOR\n",
					     ".B TZ\n", ".B LC_ALL\n" };

		for (size_t i = 0; i < sizeof(vars) / sizeof(vars[0]); i++)
			if (!strstr(sect, vars[i]))
				fail_msg("no %s in:\n%s", vars[i], sect);
	}
	/* SEE ALSO: the installed documents, under the configured docdir */
	assert_non_null(man_section(r.out, "SEE ALSO", sect, sizeof(sect)));
	{
		char want[512];
		struct msp_buf dd;

		msp_buf_init(&dd, 4096);
		/* the page escapes '-' and puts a break point \\: after each '/' */
		for (const char *c = MSP_DOCDIR; *c; c++)
			msp_buf_adds(&dd, *c == '-' ? "\\-" : *c == '/' ? "/\\:" : (char[]){ *c, 0 });
		snprintf(want, sizeof(want), "%s/\\:README.md", msp_buf_str(&dd));
		if (!strstr(sect, want))
			fail_msg("no '%s' in:\n%s", want, sect);
		snprintf(want, sizeof(want), "%s/\\:output\\-formats.md", msp_buf_str(&dd));
		assert_non_null(strstr(sect, want));
		snprintf(want, sizeof(want), "%s/\\:contrib/\\:", msp_buf_str(&dd));
		assert_non_null(strstr(sect, want));
		msp_buf_release(&dd);
	}
}

/* ------------------------------------------------ the child table full */

static void test_plugin__track_child_reports_a_full_table(void **state)
{
	const pid_t base = 0x3ff00000; /* never a live pid: nothing here kills */

	(void)state;
	for (pid_t i = 0; i < MSP_TIMEOUT_CHILDREN_MAX; i++)
		assert_int_equal(msp_timeout_track_child(base + i), 0);
	/* one more would run untracked: the caller hears it */
	assert_int_equal(msp_timeout_track_child(base + MSP_TIMEOUT_CHILDREN_MAX), MSP_ETOOBIG);
	msp_timeout_untrack_child(base + 7);
	assert_int_equal(msp_timeout_track_child(base + MSP_TIMEOUT_CHILDREN_MAX), 0);
	assert_int_equal(msp_timeout_track_child(base + MSP_TIMEOUT_CHILDREN_MAX + 1), MSP_ETOOBIG);
	for (pid_t i = 0; i <= MSP_TIMEOUT_CHILDREN_MAX; i++)
		msp_timeout_untrack_child(base + i);
	assert_int_equal(msp_timeout_track_child(base), 0);
	msp_timeout_untrack_child(base);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plugin__timeout_parse_accepts_seconds_and_state),
		cmocka_unit_test(test_plugin__timeout_parse_rejects_bad_values),
		cmocka_unit_test(test_plugin__verbose_writes_stderr_only_at_level),
		cmocka_unit_test(test_plugin__runs_check_and_exits_with_its_state),
		cmocka_unit_test(test_plugin__empty_arguments_ignored),
		cmocka_unit_test(test_plugin__usage_errors_are_unknown_with_usage),
		cmocka_unit_test(test_plugin__check_error_is_unknown),
		cmocka_unit_test(test_plugin__help_and_version_exit_unknown),
		cmocka_unit_test(test_plugin__verbose_goes_to_stderr_only_with_v),
		cmocka_unit_test(test_plugin__output_formats),
		cmocka_unit_test(test_plugin__extra_opts_before_command_line),
		cmocka_unit_test(test_plugin__timeout_reports_step_and_state),
		cmocka_unit_test(test_plugin__timeout_kills_running_children),
		cmocka_unit_test(test_plugin__signals_end_in_unknown),
		cmocka_unit_test(test_plugin__unwritable_stdout_exits_unknown),
		cmocka_unit_test(test_plugin__deadline_covers_option_parsing),
		cmocka_unit_test(test_plugin__timeout_output_in_every_format),
		cmocka_unit_test(test_plugin__timeout_json_with_long_step_stays_valid),
		cmocka_unit_test(test_plugin__extra_opts_refuses_non_regular_files),
		cmocka_unit_test(test_plugin__track_child_reports_a_full_table),
		cmocka_unit_test(test_plugin__man_page_sections),
		cmocka_unit_test(test_plugin__prometheus_samples_identify_the_run),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
