/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test_msp_exec.c - running tools without a shell: captured output, exit
 * status, exec failures, output caps, deadlines and stubborn children,
 * argument passing and the clean environment.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
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

/* With the runner's child table full, a tool is not left running untracked: an error, no child left. */
static void test_exec__full_child_table_refuses_to_run(void **state)
{
	const char *const argv[] = { "/bin/sleep", "30", NULL };
	const pid_t base = 0x3ff00000; /* never a live pid */
	struct timespec deadline = msp_deadline_in(10);
	struct msp_exec_result res;
	struct msp_error err;

	(void)state;
	msp_error_init(&err);
	for (pid_t i = 0; i < MSP_TIMEOUT_CHILDREN_MAX; i++)
		assert_int_equal(msp_timeout_track_child(base + i), 0);
	assert_int_equal(msp_exec_run(argv, NULL, &deadline, 10, 10, &res, &err), MSP_ETOOBIG);
	assert_string_equal(err.msg, "cannot run '/bin/sleep': too many child processes at once");
	msp_exec_result_release(&res);
	assert_int_equal(waitpid(-1, NULL, WNOHANG), -1); /* the child was killed and reaped */
	assert_int_equal(errno, ECHILD);
	for (pid_t i = 0; i < MSP_TIMEOUT_CHILDREN_MAX; i++)
		msp_timeout_untrack_child(base + i);
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
	/* a second: long enough for yes to fill 64 KiB also on a machine busy with other builds */
	run(argv, NULL, 1.0, 65536, 65536, &res);
	assert_true(msp_time_mono() - t0 < 3);
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

/*
 * Processes whose argv holds marker, as /proc shows them; each found is
 * killed (so nothing outlives the test) and counted.
 */
static int kill_marked(const char *marker)
{
	DIR *d = opendir("/proc");
	struct dirent *de;
	int found = 0;

	assert_non_null(d);
	while ((de = readdir(d))) {
		char path[300], buf[4096];
		ssize_t n;
		int fd;

		if (de->d_name[0] < '1' || de->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%s/cmdline", de->d_name);
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			continue;
		n = read(fd, buf, sizeof(buf) - 1);
		close(fd);
		if (n <= 0)
			continue;
		for (ssize_t i = 0; i < n; i++)
			if (buf[i] == '\0')
				buf[i] = ' ';
		buf[n] = '\0';
		if (strstr(buf, marker)) {
			print_message("survivor %s: %s\n", de->d_name, buf);
			kill((pid_t)strtol(de->d_name, NULL, 10), SIGKILL);
			found++;
		}
	}
	closedir(d);
	return found;
}

/*
 * A shell line that leaves three descendants behind, each a "sleep" whose
 * argument holds a marker: one in a new session (setsid), one double-forked
 * (its parent exits at once), one double-forked into a new session.  Then
 * it runs `tail` (a hang or a plain exit).
 */
static void descendants_script(char *buf, size_t len, const char *marker, const char *tail)
{
	snprintf(buf, len,
		 "setsid sleep 1000.%s1 </dev/null >/dev/null 2>&1 & "
		 "(sleep 1000.%s2 </dev/null >/dev/null 2>&1 &); "
		 "(setsid sh -c 'sleep 1000.%s3; :' </dev/null >/dev/null 2>&1 &); "
		 "sleep 0.2; %s",
		 marker, marker, marker, tail);
}

static void test_exec__no_descendant_survives_a_deadline(void **state)
{
	char marker[32], script[1024];
	const char *argv[] = { "/bin/sh", "-c", script, NULL };
	struct msp_exec_result res;

	(void)state;
	snprintf(marker, sizeof(marker), "%ld%d", (long)getpid(), 41);
	descendants_script(script, sizeof(script), marker, "echo started; exec sleep 60");
	run(argv, NULL, 1.5, MiB, MiB, &res);
	assert_true(res.timed_out);
	assert_string_equal(msp_buf_str(&res.out), "started\n");
	msp_exec_result_release(&res);
	assert_int_equal(kill_marked(marker), 0);
	expect_no_children();
}

static void test_exec__no_descendant_survives_a_normal_exit(void **state)
{
	char marker[32], script[1024];
	const char *argv[] = { "/bin/sh", "-c", script, NULL };
	struct msp_exec_result res;

	(void)state;
	snprintf(marker, sizeof(marker), "%ld%d", (long)getpid(), 42);
	descendants_script(script, sizeof(script), marker, "echo done");
	run(argv, NULL, 10, MiB, MiB, &res);
	assert_false(res.timed_out);
	assert_true(res.exited);
	assert_int_equal(res.exit_code, 0);
	assert_string_equal(msp_buf_str(&res.out), "done\n");
	msp_exec_result_release(&res);
	assert_int_equal(kill_marked(marker), 0);
	expect_no_children();
}

static void test_exec_async__no_descendant_survives_the_jobs(void **state)
{
	char marker[32], hang[1024], done[1024];
	const char *hang_argv[] = { "/bin/sh", "-c", hang, NULL };
	const char *done_argv[] = { "/bin/sh", "-c", done, NULL };
	struct timespec d1 = msp_deadline_in(1.5), d2 = msp_deadline_in(10);
	struct msp_exec_job *job[2] = { NULL, NULL };
	struct msp_exec_result res;
	struct msp_error err;

	(void)state;
	snprintf(marker, sizeof(marker), "%ld%d", (long)getpid(), 43);
	descendants_script(hang, sizeof(hang), marker, "exec sleep 60");
	descendants_script(done, sizeof(done), marker, "echo done");
	msp_error_init(&err);
	assert_int_equal(msp_exec_start(hang_argv, NULL, &d1, MiB, MiB, &job[0], &err), 0);
	assert_int_equal(msp_exec_start(done_argv, NULL, &d2, MiB, MiB, &job[1], &err), 0);
	while (msp_exec_poll(job, 2, NULL) > 0)
		;
	for (int i = 0; i < 2; i++) {
		assert_int_equal(msp_exec_finish(job[i], &res, &err), 0);
		assert_true(res.timed_out == (i == 0));
		msp_exec_result_release(&res);
	}
	assert_int_equal(kill_marked(marker), 0);
	expect_no_children();
}

static void test_exec__kill_descendants_as_the_timeout_handler_does(void **state)
{
	char marker[32], script[1024];
	const char *argv[] = { "/bin/sh", "-c", script, NULL };
	struct timespec deadline = msp_deadline_in(60);
	struct msp_exec_job *job = NULL;
	struct msp_error err;
	double t0;

	(void)state;
	snprintf(marker, sizeof(marker), "%ld%d", (long)getpid(), 44);
	descendants_script(script, sizeof(script), marker, "echo started; exec sleep 60");
	msp_error_init(&err);
	assert_int_equal(msp_exec_start(argv, NULL, &deadline, MiB, MiB, &job, &err), 0);
	usleep(600 * 1000); /* the daemons are up */
	t0 = msp_time_mono();
	msp_exec_kill_descendants();
	assert_true(msp_time_mono() - t0 < 0.5);
	/* gone or zombies (a zombie has no argv): nothing marked runs */
	assert_int_equal(kill_marked(marker), 0);
	msp_exec_free(job);
	expect_no_children();
}

static void test_exec__child_gets_fds_0_1_2_only(void **state)
{
	/* the glob opens /proc/self/fd itself: that is the 3 */
	const char *const argv[] = { "/bin/sh", "-c", "cd /proc/self/fd && echo *; readlink 0", NULL };
	struct msp_exec_result res;
	int leaky = open("/dev/null", O_RDONLY); /* as a library might: no O_CLOEXEC */

	(void)state;
	assert_true(leaky > 2);
	run(argv, NULL, 10, MiB, MiB, &res);
	close(leaky);
	assert_string_equal(msp_buf_str(&res.out), "0 1 2 3\n/dev/null\n");
	assert_string_equal(msp_buf_str(&res.err), "");
	msp_exec_result_release(&res);
}

static void test_exec__fds_right_when_the_parent_has_0_1_2_closed(void **state)
{
	const char *const argv[] = { "/bin/sh", "-c", "cd /proc/self/fd && echo *; readlink 0; echo err >&2", NULL };
	struct msp_exec_result res;
	int saved[3];

	(void)state;
	/* a plugin started with its standard descriptors closed: the pipes get fds 0..2 */
	for (int i = 0; i < 3; i++) {
		saved[i] = fcntl(i, F_DUPFD_CLOEXEC, 10);
		assert_true(saved[i] >= 10);
		close(i);
	}
	run(argv, NULL, 10, MiB, MiB, &res);
	for (int i = 0; i < 3; i++) {
		dup2(saved[i], i);
		close(saved[i]);
	}
	assert_string_equal(msp_buf_str(&res.out), "0 1 2 3\n/dev/null\n");
	assert_string_equal(msp_buf_str(&res.err), "err\n");
	assert_true(res.exited);
	assert_int_equal(res.exit_code, 0);
	msp_exec_result_release(&res);
}

static void test_exec__overlong_path_is_an_error_never_cut(void **state)
{
	/* cut at PATH_MAX this would be "/./././...", a directory that passes access(X_OK) */
	char path[5000];
	const char *argv[] = { path, NULL };
	struct msp_exec_result res;
	size_t n = 1;

	(void)state;
	path[0] = '/';
	while (n + 2 < sizeof(path) - 16) {
		path[n++] = '.';
		path[n++] = '/';
	}
	memcpy(path + n, "bin/true", 9);
	run(argv, NULL, 10, MiB, MiB, &res);
	assert_true(res.exec_failed);
	assert_int_equal(res.errno_exec, ENAMETOOLONG);
	msp_exec_result_release(&res);
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

/* ------------------------------------------------------ asynchronous API */

static struct msp_exec_job *start(const char *const argv[], double secs)
{
	struct timespec deadline = msp_deadline_in(secs);
	struct msp_exec_job *job = NULL;
	struct msp_error err;

	msp_error_init(&err);
	if (msp_exec_start(argv, NULL, &deadline, MiB, MiB, &job, &err) != 0)
		fail_msg("msp_exec_start failed: %s", err.msg);
	assert_non_null(job);
	return job;
}

static void finish(struct msp_exec_job *job, struct msp_exec_result *res)
{
	struct msp_error err;

	msp_error_init(&err);
	if (msp_exec_finish(job, res, &err) != 0)
		fail_msg("msp_exec_finish failed: %s", err.msg);
}

static void test_exec_async__five_sleepers_run_in_parallel(void **state)
{
	const char *const argv[] = { "/bin/sh", "-c", "sleep 1; echo done $$", NULL };
	struct msp_exec_job *job[5];
	struct msp_exec_result res;
	double t0 = msp_time_mono(), took;

	(void)state;
	for (int i = 0; i < 5; i++)
		job[i] = start(argv, 20);
	while (msp_exec_poll(job, 5, NULL) > 0)
		;
	took = msp_time_mono() - t0;
	/* one second each, side by side: well under the 5 s they would take one after the other */
	if (took < 0.95 || took > 3.5)
		fail_msg("five parallel 'sleep 1' took %.2f s", took);
	for (int i = 0; i < 5; i++) {
		long pid = msp_exec_pid(job[i]);
		char want[64];

		assert_true(msp_exec_done(job[i]));
		finish(job[i], &res);
		snprintf(want, sizeof(want), "done %ld\n", pid);
		assert_string_equal(msp_buf_str(&res.out), want);
		assert_true(res.exited);
		assert_int_equal(res.exit_code, 0);
		assert_false(res.timed_out);
		msp_exec_result_release(&res);
	}
	expect_no_children();
}

static void test_exec_async__each_job_keeps_its_own_deadline(void **state)
{
	const char *const hang[] = { "/bin/sleep", "30", NULL };
	const char *const slow[] = { "/bin/sh", "-c", "sleep 0.6; echo slow; exit 2", NULL };
	struct msp_exec_job *job[2];
	struct msp_exec_result res;
	double t0 = msp_time_mono(), took;

	(void)state;
	job[0] = start(hang, 0.3);
	job[1] = start(slow, 20);
	/* the hanging one is killed at its deadline and is the first to be done */
	assert_int_equal(msp_exec_poll(job, 2, NULL), 1);
	assert_true(msp_exec_done(job[0]));
	assert_false(msp_exec_done(job[1]));
	took = msp_time_mono() - t0;
	if (took < 0.25 || took > 2)
		fail_msg("the 0.3 s deadline fired after %.2f s", took);
	assert_int_equal(msp_exec_poll(job, 2, NULL), 0);
	finish(job[0], &res);
	assert_true(res.timed_out);
	assert_false(res.exited);
	assert_int_equal(res.signal, SIGTERM);
	msp_exec_result_release(&res);
	finish(job[1], &res);
	assert_false(res.timed_out);
	assert_true(res.exited);
	assert_int_equal(res.exit_code, 2);
	assert_string_equal(msp_buf_str(&res.out), "slow\n");
	msp_exec_result_release(&res);
	expect_no_children();
}

static void test_exec_async__poll_returns_at_until(void **state)
{
	const char *const argv[] = { "/bin/sleep", "30", NULL };
	struct msp_exec_job *job = start(argv, 20);
	struct timespec until = msp_deadline_in(0.2);
	double t0 = msp_time_mono(), took;
	long pid = msp_exec_pid(job);

	(void)state;
	assert_int_equal(msp_exec_poll(&job, 1, &until), 1);
	took = msp_time_mono() - t0;
	if (took < 0.15 || took > 2)
		fail_msg("poll with a 0.2 s limit returned after %.2f s", took);
	assert_false(msp_exec_done(job));
	/* free kills the running child and its group */
	msp_exec_free(job);
	assert_true(wait_process_gone(pid));
	expect_no_children();
	msp_exec_free(NULL);
}

static void test_exec_async__missing_program_is_done_at_once(void **state)
{
	const char *const argv[] = { "/nonexistent/check_nothing", NULL };
	struct msp_exec_job *job = start(argv, 20);
	struct msp_exec_result res;

	(void)state;
	assert_true(msp_exec_done(job));
	assert_int_equal(msp_exec_pid(job), 0);
	assert_int_equal(msp_exec_poll(&job, 1, NULL), 0);
	finish(job, &res);
	assert_true(res.exec_failed);
	assert_int_equal(res.errno_exec, ENOENT);
	assert_false(res.exited);
	msp_exec_result_release(&res);
}

static void test_exec_async__null_entries_and_no_program(void **state)
{
	const char *const empty[] = { NULL };
	struct timespec deadline = msp_deadline_in(10);
	struct msp_exec_job *jobs[3] = { NULL, NULL, NULL };
	struct msp_exec_job *job = (struct msp_exec_job *)&deadline; /* must stay untouched */
	struct msp_error err;

	(void)state;
	msp_error_init(&err);
	assert_int_equal(msp_exec_start(empty, NULL, &deadline, 10, 10, &job, &err), MSP_EINVAL);
	assert_ptr_equal(job, (struct msp_exec_job *)&deadline);
	assert_int_equal(msp_exec_poll(jobs, 3, NULL), 0);
}

static void test_exec_async__twenty_jobs_outputs_stay_apart(void **state)
{
	const char *const argv[] = { "/bin/sh", "-c", "head -c 20000 /dev/zero | tr '\\0' x; echo; echo err $$ >&2", NULL };
	struct msp_exec_job *job[20];
	struct msp_exec_result res;

	(void)state;
	for (int i = 0; i < 20; i++)
		job[i] = start(argv, 20);
	while (msp_exec_poll(job, 20, NULL) > 0)
		;
	for (int i = 0; i < 20; i++) {
		char want[64];

		snprintf(want, sizeof(want), "err %ld\n", msp_exec_pid(job[i]));
		finish(job[i], &res);
		assert_int_equal(res.out.len, 20001);
		assert_int_equal(res.out.data[0], 'x');
		assert_int_equal(res.out.data[19999], 'x');
		assert_string_equal(msp_buf_str(&res.err), want);
		assert_true(res.exited);
		msp_exec_result_release(&res);
	}
	expect_no_children();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_exec__echo_output_and_exit_code),
		cmocka_unit_test(test_exec__full_child_table_refuses_to_run),
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
		cmocka_unit_test(test_exec__no_descendant_survives_a_deadline),
		cmocka_unit_test(test_exec__no_descendant_survives_a_normal_exit),
		cmocka_unit_test(test_exec_async__no_descendant_survives_the_jobs),
		cmocka_unit_test(test_exec__kill_descendants_as_the_timeout_handler_does),
		cmocka_unit_test(test_exec__child_gets_fds_0_1_2_only),
		cmocka_unit_test(test_exec__fds_right_when_the_parent_has_0_1_2_closed),
		cmocka_unit_test(test_exec__overlong_path_is_an_error_never_cut),
		cmocka_unit_test(test_exec__arguments_pass_literally),
		cmocka_unit_test(test_exec__clean_environment),
		cmocka_unit_test(test_exec__stdin_is_dev_null),
		cmocka_unit_test(test_exec__child_leads_its_own_process_group),
		cmocka_unit_test(test_exec__status_not_invented_when_child_cannot_be_reaped),
		cmocka_unit_test(test_exec__release_accepts_zeroed_result),
		cmocka_unit_test(test_exec_async__five_sleepers_run_in_parallel),
		cmocka_unit_test(test_exec_async__each_job_keeps_its_own_deadline),
		cmocka_unit_test(test_exec_async__poll_returns_at_until),
		cmocka_unit_test(test_exec_async__missing_program_is_done_at_once),
		cmocka_unit_test(test_exec_async__null_entries_and_no_program),
		cmocka_unit_test(test_exec_async__twenty_jobs_outputs_stay_apart),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
