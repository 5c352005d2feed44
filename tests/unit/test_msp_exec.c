/*
 * test_msp_exec.c - running tools without a shell: captured output, exit
 * status, exec failures, output caps, deadlines and stubborn children,
 * argument passing and the clean environment.
 */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <setjmp.h>
#include <cmocka.h>

#include "msp.h"
#include "../helpers/msp_test.h"

#define MiB (1024 * 1024)

/* Run argv with a deadline `secs` from now; asserts the call itself worked. */
static void run(const char *const argv[], const char *const envp[], double secs, size_t out_max, size_t err_max,
		struct msp_exec_result *res)
{
	struct timespec deadline = msp_deadline_in(secs);
	struct msp_error err;

	msp_error_init(&err);
	if (msp_exec_run(argv, envp, &deadline, out_max, err_max, res, &err) != 0)
		fail_msg("msp_exec_run failed: %s", err.msg);
}

/* No child of this process is left, not even a zombie. */
static void expect_no_children(void)
{
	errno = 0;
	assert_int_equal(waitpid(-1, NULL, WNOHANG), -1);
	assert_int_equal(errno, ECHILD);
}

static void test_exec__echo_output_and_exit_code(void **state)
{
	const char *const argv[] = { "/bin/echo", "hello", "world", NULL };
	struct msp_exec_result res;

	(void)state;
	run(argv, NULL, 10, MiB, MiB, &res);
	assert_true(res.exited);
	assert_int_equal(res.exit_code, 0);
	assert_false(res.timed_out);
	assert_false(res.exec_failed);
	assert_string_equal(msp_buf_str(&res.out), "hello world\n");
	assert_string_equal(msp_buf_str(&res.err), "");
	assert_false(res.out.truncated);
	msp_exec_result_release(&res);
	expect_no_children();
}

static void test_exec__stdout_and_stderr_apart(void **state)
{
	const char *const argv[] = { "/bin/sh", "-c", "echo out1; echo err1 >&2; echo out2; echo err2 >&2; exit 3",
				     NULL };
	struct msp_exec_result res;

	(void)state;
	run(argv, NULL, 10, MiB, MiB, &res);
	assert_string_equal(msp_buf_str(&res.out), "out1\nout2\n");
	assert_string_equal(msp_buf_str(&res.err), "err1\nerr2\n");
	assert_true(res.exited);
	assert_int_equal(res.exit_code, 3);
	msp_exec_result_release(&res);
}

static void test_exec__exit_codes_and_signals(void **state)
{
	const char *const f[] = { "/bin/false", NULL };
	const char *const e255[] = { "/bin/sh", "-c", "exit 255", NULL };
	const char *const killed[] = { "/bin/sh", "-c", "kill -KILL $$", NULL };
	struct msp_exec_result res;

	(void)state;
	run(f, NULL, 10, MiB, MiB, &res);
	assert_true(res.exited);
	assert_int_equal(res.exit_code, 1);
	msp_exec_result_release(&res);
	run(e255, NULL, 10, MiB, MiB, &res);
	assert_true(res.exited);
	assert_int_equal(res.exit_code, 255);
	msp_exec_result_release(&res);
	run(killed, NULL, 10, MiB, MiB, &res);
	assert_false(res.exited);
	assert_int_equal(res.signal, SIGKILL);
	assert_false(res.timed_out);
	msp_exec_result_release(&res);
	expect_no_children();
}

static void test_exec__missing_program_is_exec_failed_enoent(void **state)
{
	const char *const abs[] = { "/nonexistent/dir/prog", "x", NULL };
	const char *const bare[] = { "no-such-program-msp-test", NULL };
	const char *const noexec[] = { "/etc/passwd", NULL };
	struct msp_exec_result res;

	(void)state;
	run(abs, NULL, 10, MiB, MiB, &res);
	assert_true(res.exec_failed);
	assert_int_equal(res.errno_exec, ENOENT);
	assert_false(res.exited && res.exit_code == 0);
	msp_exec_result_release(&res);
	run(bare, NULL, 10, MiB, MiB, &res);
	assert_true(res.exec_failed);
	assert_int_equal(res.errno_exec, ENOENT);
	msp_exec_result_release(&res);
	run(noexec, NULL, 10, MiB, MiB, &res);
	assert_true(res.exec_failed);
	assert_int_equal(res.errno_exec, EACCES);
	msp_exec_result_release(&res);
	expect_no_children();
}

static void test_exec__no_program_is_an_error(void **state)
{
	const char *const empty[] = { NULL };
	struct timespec deadline = msp_deadline_in(10);
	struct msp_exec_result res;
	struct msp_error err;

	(void)state;
	msp_error_init(&err);
	assert_int_equal(msp_exec_run(empty, NULL, &deadline, 10, 10, &res, &err), MSP_EINVAL);
	assert_string_equal(err.msg, "no program to run");
	msp_exec_result_release(&res);
	assert_int_equal(msp_exec_run(NULL, NULL, &deadline, 10, 10, &res, &err), MSP_EINVAL);
	msp_exec_result_release(&res);
}

static void test_exec__bare_name_searched_in_path(void **state)
{
	const char *const argv[] = { "echo", "found", NULL };
	const char *const env[] = { "PATH=/nonexistent:/bin", NULL };
	struct msp_exec_result res;

	(void)state;
	run(argv, NULL, 10, MiB, MiB, &res);
	assert_false(res.exec_failed);
	assert_string_equal(msp_buf_str(&res.out), "found\n");
	msp_exec_result_release(&res);
	run(argv, env, 10, MiB, MiB, &res);
	assert_false(res.exec_failed);
	assert_string_equal(msp_buf_str(&res.out), "found\n");
	msp_exec_result_release(&res);
}

static void test_exec__output_cap_ten_megabytes_into_64k(void **state)
{
	const char *const argv[] = { "/usr/bin/head", "-c", "10000000", "/dev/zero", NULL };
	struct msp_exec_result res;
	double t0 = msp_time_mono();

	(void)state;
	run(argv, NULL, 30, 65536, 65536, &res);
	/* the rest is read and dropped, so the writer is not blocked and ends normally */
	assert_true(res.exited);
	assert_int_equal(res.exit_code, 0);
	assert_false(res.timed_out);
	assert_int_equal(res.out.len, 65536);
	assert_true(res.out.truncated);
	assert_false(res.err.truncated);
	assert_true(msp_time_mono() - t0 < 20);
	msp_exec_result_release(&res);
	expect_no_children();
}

static void test_exec__stderr_capped_separately(void **state)
{
	const char *const argv[] = { "/bin/sh", "-c", "head -c 100000 /dev/zero >&2; echo done", NULL };
	struct msp_exec_result res;

	(void)state;
	run(argv, NULL, 10, MiB, 1000, &res);
	assert_int_equal(res.err.len, 1000);
	assert_true(res.err.truncated);
	assert_string_equal(msp_buf_str(&res.out), "done\n");
	assert_false(res.out.truncated);
	assert_true(res.exited);
	msp_exec_result_release(&res);
}

static void test_exec__both_pipes_full_do_not_deadlock(void **state)
{
	const char *const argv[] = {
		"/bin/sh", "-c", "head -c 1000000 /dev/zero >&2; head -c 1000000 /dev/zero; head -c 1000 /dev/zero >&2",
		NULL
	};
	struct msp_exec_result res;

	(void)state;
	run(argv, NULL, 20, 2 * MiB, 2 * MiB, &res);
	assert_false(res.timed_out);
	assert_int_equal(res.out.len, 1000000);
	assert_int_equal(res.err.len, 1001000);
	msp_exec_result_release(&res);
}

static void test_exec__endless_writer_stopped_by_deadline(void **state)
{
	const char *const argv[] = { "/usr/bin/yes", NULL };
	struct msp_exec_result res;
	double t0 = msp_time_mono();

	(void)state;
	run(argv, NULL, 0.3, 65536, 65536, &res);
	assert_true(msp_time_mono() - t0 < 2);
	assert_true(res.timed_out);
	assert_true(res.out.truncated);
	assert_int_equal(res.out.len, 65536);
	assert_false(res.exited);
	msp_exec_result_release(&res);
	expect_no_children();
}

static void test_exec__deadline_kills_sleep(void **state)
{
	const char *const argv[] = { "/bin/sleep", "10", NULL };
	struct msp_exec_result res;
	double t0 = msp_time_mono(), took;

	(void)state;
	run(argv, NULL, 0.3, MiB, MiB, &res);
	took = msp_time_mono() - t0;
	if (took >= 2 || took < 0.25)
		fail_msg("sleep 10 with a 0.3 s deadline took %.2f s", took);
	assert_true(res.timed_out);
	assert_false(res.exited);
	assert_int_equal(res.signal, SIGTERM);
	msp_exec_result_release(&res);
	expect_no_children(); /* reaped */
}

static void test_exec__child_ignoring_sigterm_is_killed(void **state)
{
	const char *const argv[] = { "/bin/sh", "-c", "trap '' TERM; echo ready; while :; do sleep 1; done", NULL };
	struct msp_exec_result res;
	double t0 = msp_time_mono(), took;

	(void)state;
	run(argv, NULL, 0.3, MiB, MiB, &res);
	took = msp_time_mono() - t0;
	if (took >= 3)
		fail_msg("a child ignoring SIGTERM held us %.2f s", took);
	assert_true(res.timed_out);
	assert_false(res.exited);
	assert_int_equal(res.signal, SIGKILL);
	assert_string_equal(msp_buf_str(&res.out), "ready\n");
	msp_exec_result_release(&res);
	expect_no_children();
}

static void test_exec__grandchild_holding_the_pipe_is_killed(void **state)
{
	/* sh exits at once, but the background sleep keeps stdout open */
	const char *const argv[] = { "/bin/sh", "-c", "sleep 30 & echo $!", NULL };
	struct msp_exec_result res;
	double t0 = msp_time_mono();
	long grandchild = -1;

	(void)state;
	run(argv, NULL, 0.5, MiB, MiB, &res);
	assert_true(msp_time_mono() - t0 < 3);
	assert_int_equal(sscanf(msp_buf_str(&res.out), "%ld", &grandchild), 1);
	assert_true(grandchild > 1);
	assert_true(res.timed_out);
	msp_exec_result_release(&res);
	/* the whole process group went: no sleep 30 left behind */
	if (!wait_process_gone(grandchild))
		fail_msg("grandchild %ld still runs after the deadline", grandchild);
}

static void test_exec__arguments_pass_literally(void **state)
{
	const char *const argv[] = { "/bin/echo", "a; echo injected", "$(id)", "`id`", "$HOME", "*",
				     "'q'",       "\"dq\"",           "| cat", "",     NULL };
	struct msp_exec_result res;

	(void)state;
	run(argv, NULL, 10, MiB, MiB, &res);
	assert_string_equal(msp_buf_str(&res.out), "a; echo injected $(id) `id` $HOME * 'q' \"dq\" | cat \n");
	msp_exec_result_release(&res);
}

static void test_exec__clean_environment(void **state)
{
	const char *const argv[] = { "/usr/bin/env", NULL };
	const char *const mine[] = { "FOO=bar", "LANG=de_DE.UTF-8", NULL };
	struct msp_exec_result res;

	(void)state;
	setenv("MSP_TEST_SECRET", "do-not-pass", 1);
	run(argv, NULL, 10, MiB, MiB, &res);
	assert_string_equal(msp_buf_str(&res.out), "PATH=/usr/sbin:/usr/bin:/sbin:/bin\nLC_ALL=C\n");
	msp_exec_result_release(&res);
	run(argv, mine, 10, MiB, MiB, &res);
	assert_string_equal(msp_buf_str(&res.out), "FOO=bar\nLANG=de_DE.UTF-8\n");
	msp_exec_result_release(&res);
	unsetenv("MSP_TEST_SECRET");
}

static void test_exec__stdin_is_dev_null(void **state)
{
	const char *const argv[] = { "/bin/cat", NULL };
	struct msp_exec_result res;
	double t0 = msp_time_mono();

	(void)state;
	run(argv, NULL, 5, MiB, MiB, &res);
	assert_true(msp_time_mono() - t0 < 2);
	assert_true(res.exited);
	assert_int_equal(res.exit_code, 0);
	assert_false(res.timed_out);
	assert_string_equal(msp_buf_str(&res.out), "");
	msp_exec_result_release(&res);
}

static void test_exec__child_leads_its_own_process_group(void **state)
{
	const char *const argv[] = { "/bin/sh", "-c", "echo $$; cut -d' ' -f5 /proc/$$/stat", NULL };
	struct msp_exec_result res;
	long pid = -1, pgid = -2;

	(void)state;
	run(argv, NULL, 10, MiB, MiB, &res);
	assert_int_equal(sscanf(msp_buf_str(&res.out), "%ld %ld", &pid, &pgid), 2);
	assert_int_equal(pid, pgid);
	assert_true(pgid != (long)getpgrp());
	msp_exec_result_release(&res);
}

static void test_exec__status_not_invented_when_child_cannot_be_reaped(void **state)
{
	/* With SIGCHLD ignored the kernel reaps the child itself and waitpid() has no status to give. */
	const char *const argv[] = { "/bin/false", NULL };
	struct timespec deadline = msp_deadline_in(10);
	struct msp_exec_result res;
	struct sigaction sa, old;
	struct msp_error err;
	int rc;

	(void)state;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_IGN;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGCHLD, &sa, &old);
	msp_error_init(&err);
	rc = msp_exec_run(argv, NULL, &deadline, MiB, MiB, &res, &err);
	sigaction(SIGCHLD, &old, NULL);
	/* it must not claim a clean exit: it says it could not tell */
	assert_false(res.exited && res.exit_code == 0);
	assert_int_equal(rc, MSP_ESYS);
	assert_string_equal(err.msg, "cannot collect the exit status of '/bin/false': No child processes");
	msp_exec_result_release(&res);
}

static void test_exec__release_accepts_zeroed_result(void **state)
{
	struct msp_exec_result res;

	(void)state;
	memset(&res, 0, sizeof(res));
	msp_exec_result_release(&res);
	msp_exec_result_release(&res);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_exec__echo_output_and_exit_code),
		cmocka_unit_test(test_exec__stdout_and_stderr_apart),
		cmocka_unit_test(test_exec__exit_codes_and_signals),
		cmocka_unit_test(test_exec__missing_program_is_exec_failed_enoent),
		cmocka_unit_test(test_exec__no_program_is_an_error),
		cmocka_unit_test(test_exec__bare_name_searched_in_path),
		cmocka_unit_test(test_exec__output_cap_ten_megabytes_into_64k),
		cmocka_unit_test(test_exec__stderr_capped_separately),
		cmocka_unit_test(test_exec__both_pipes_full_do_not_deadlock),
		cmocka_unit_test(test_exec__endless_writer_stopped_by_deadline),
		cmocka_unit_test(test_exec__deadline_kills_sleep),
		cmocka_unit_test(test_exec__child_ignoring_sigterm_is_killed),
		cmocka_unit_test(test_exec__grandchild_holding_the_pipe_is_killed),
		cmocka_unit_test(test_exec__arguments_pass_literally),
		cmocka_unit_test(test_exec__clean_environment),
		cmocka_unit_test(test_exec__stdin_is_dev_null),
		cmocka_unit_test(test_exec__child_leads_its_own_process_group),
		cmocka_unit_test(test_exec__status_not_invented_when_child_cannot_be_reaped),
		cmocka_unit_test(test_exec__release_accepts_zeroed_result),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
