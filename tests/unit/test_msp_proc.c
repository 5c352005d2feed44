/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test_msp_proc.c - reading processes from a proc root: a /proc tree
 * recorded on the build machine (tests/fixtures/msp_proc/machine, see its
 * README), a scratch tree with a vanished and a garbled process, and the
 * live /proc.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <setjmp.h>
#include <cmocka.h>

#include "msp.h"

static char g_root[1024];    /* the recorded tree */
static char g_scratch[1024]; /* a temporary tree built from pieces of it */

static const char *fixture_root(void)
{
	const char *top = getenv("top_srcdir");

	snprintf(g_root, sizeof(g_root), "%s/tests/fixtures/msp_proc/machine", top && *top ? top : ".");
	return g_root;
}

static void read_system(struct msp_proc_system *sys)
{
	struct msp_error err;

	msp_error_init(&err);
	assert_int_equal(msp_proc_system_read(fixture_root(), sys, &err), 0);
}

static void read_proc(long pid, unsigned fields, struct msp_proc *p)
{
	struct msp_proc_system sys;
	struct msp_error err;

	read_system(&sys);
	msp_error_init(&err);
	assert_int_equal(msp_proc_read(fixture_root(), pid, fields, &sys, p, &err), 0);
}

static void test_proc__system_reads_uptime_and_btime(void **state)
{
	struct msp_proc_system sys;

	(void)state;
	read_system(&sys);
	assert_float_equal(sys.uptime, 8200.51, 1e-9);
	assert_int_equal(sys.btime, 1795834274);
	assert_true(sys.hz > 0);
	assert_true(sys.page_kib > 0);
}

static void test_proc__stat_of_init(void **state)
{
	struct msp_proc p;

	(void)state;
	read_proc(1, MSP_PROC_STAT, &p);
	assert_int_equal(p.pid, 1);
	assert_int_equal(p.ppid, 0);
	assert_int_equal(p.state, 'S');
	assert_string_equal(p.comm, "process_api");
	assert_int_equal(p.nice, -10);
	assert_int_equal(p.threads, 13);
	assert_int_equal(p.utime, 1552);
	assert_int_equal(p.stime, 2645);
	assert_int_equal(p.starttime, 18);
	assert_int_equal(p.vsz_kib, 47060); /* ps showed the same VSZ */
	assert_int_equal(p.rss_kib, 3983 * (uint64_t)(sysconf(_SC_PAGESIZE) / 1024));
	assert_false(p.flags & MSP_PROC_PF_KTHREAD);
	assert_false(p.has_status);
	assert_null(p.args);
	if (sysconf(_SC_CLK_TCK) == 100) {
		assert_float_equal(p.cpu_seconds, 41.97, 1e-9);
		assert_float_equal(p.elapsed_seconds, 8200.33, 1e-6);
	}
}

static void test_proc__pcpu_is_truncated_like_ps(void **state)
{
	struct msp_proc_system sys;
	struct msp_proc p;

	(void)state;
	if (sysconf(_SC_CLK_TCK) != 100)
		skip();
	read_system(&sys);
	read_proc(1, MSP_PROC_STAT, &p);
	/* 41970 ms of CPU over 8200 s: 5.1 permille, which ps prints as 0.5 */
	assert_float_equal(msp_proc_pcpu(&p, &sys), 0.5, 1e-9);
	p.elapsed_seconds = 0.9;
	assert_float_equal(msp_proc_pcpu(&p, &sys), 0, 0);
	/* 41.97 s in 10 s: 419%, printed without a decimal from 100% on */
	p.elapsed_seconds = 10.5;
	assert_float_equal(msp_proc_pcpu(&p, &sys), 419, 0);
}

static void test_proc__comm_with_blank_and_parenthesis(void **state)
{
	struct msp_proc p;

	(void)state;
	read_proc(19901, MSP_PROC_STAT | MSP_PROC_CMDLINE, &p);
	assert_string_equal(p.comm, "msp fixture)x");
	assert_int_equal(p.state, 'S');
	assert_int_equal(p.ppid, 19878);
	assert_int_equal(p.vsz_kib, 5900);
	assert_string_equal(p.args, "/tmp/tmp.2WTOyczIQD/msp fixture)x 1000");
	msp_proc_release(&p);
	assert_null(p.args);
}

static void test_proc__kernel_threads(void **state)
{
	struct msp_proc p;

	(void)state;
	read_proc(4, MSP_PROC_STAT | MSP_PROC_STATUS | MSP_PROC_CMDLINE, &p);
	/* the kernel gives workqueue threads names longer than 15 bytes */
	assert_string_equal(p.comm, "kworker/R-rcu_gp");
	assert_int_equal(p.state, 'I');
	assert_int_equal(p.ppid, 2);
	assert_true(p.flags & MSP_PROC_PF_KTHREAD);
	assert_int_equal(p.vsz_kib, 0);
	assert_int_equal(p.vmlck_kib, 0);
	assert_string_equal(p.args, "[kworker/R-rcu_gp]");
	msp_proc_release(&p);
	read_proc(2, MSP_PROC_STAT | MSP_PROC_CMDLINE, &p);
	assert_string_equal(p.comm, "kthreadd");
	assert_int_equal(p.ppid, 0);
	assert_true(p.flags & MSP_PROC_PF_KTHREAD);
	assert_string_equal(p.args, "[kthreadd]");
	msp_proc_release(&p);
}

static void test_proc__zombie_and_stopped(void **state)
{
	struct msp_proc p;

	(void)state;
	read_proc(19928, MSP_PROC_STAT | MSP_PROC_STATUS | MSP_PROC_CMDLINE, &p);
	assert_int_equal(p.state, 'Z');
	assert_int_equal(p.ppid, 19903);
	assert_int_equal(p.rss_kib, 0);
	assert_true(p.has_status);
	assert_int_equal(p.uid_effective, 0);
	assert_string_equal(p.args, "[sleep] <defunct>");
	msp_proc_release(&p);
	read_proc(19902, MSP_PROC_STAT | MSP_PROC_CMDLINE, &p);
	assert_int_equal(p.state, 'T');
	assert_string_equal(p.args, "sleep 1000");
	msp_proc_release(&p);
}

static void test_proc__args_join_with_blanks_and_hide_control_characters(void **state)
{
	struct msp_proc p;

	(void)state;
	read_proc(19909, MSP_PROC_STAT | MSP_PROC_CMDLINE, &p);
	assert_string_equal(p.comm, "sh");
	/* ps showed the same text: NULs as blanks, the tab as '?' */
	assert_string_equal(p.args, "sh -c sleep 1000; : msp_fixture_sh tab?here two words");
	assert_false(p.args_truncated);
	msp_proc_release(&p);
}

static void test_proc__status_uids_and_locked_memory(void **state)
{
	struct msp_proc p;

	(void)state;
	read_proc(19914, MSP_PROC_STAT | MSP_PROC_STATUS, &p);
	assert_true(p.has_status);
	assert_int_equal(p.uid_real, 0);
	assert_int_equal(p.uid_effective, 65534);
	assert_int_equal(p.nice, 5);
	read_proc(19910, MSP_PROC_STAT | MSP_PROC_STATUS, &p);
	assert_int_equal(p.uid_real, 65534);
	assert_int_equal(p.uid_effective, 65534);
	read_proc(1, MSP_PROC_STAT | MSP_PROC_STATUS, &p);
	assert_int_equal(p.vmlck_kib, 47028);
}

static void test_proc__path(void **state)
{
	char buf[64];

	(void)state;
	assert_int_equal(msp_proc_path("/proc", 12, "exe", buf, sizeof(buf)), 0);
	assert_string_equal(buf, "/proc/12/exe");
	assert_int_equal(msp_proc_path(NULL, 12, NULL, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "/proc/12");
	assert_int_equal(msp_proc_path("/x", 7, "", buf, sizeof(buf)), 0);
	assert_string_equal(buf, "/x/7");
	assert_int_equal(msp_proc_path("/proc", 12, "exe", buf, 8), MSP_ETOOBIG);
}

static void test_proc__iterator_lists_only_pids(void **state)
{
	static const long want[] = { 1, 2, 4, 19901, 19902, 19903, 19909, 19910, 19914, 19928 };
	struct msp_proc_iter it = { NULL };
	struct msp_error err;
	bool seen[10] = { false };
	long pid;
	int n = 0;

	(void)state;
	msp_error_init(&err);
	assert_int_equal(msp_proc_iter_open(&it, fixture_root(), &err), 0);
	while (msp_proc_iter_next(&it, &pid) == 1) {
		bool known = false;

		for (size_t i = 0; i < 10; i++)
			if (want[i] == pid) {
				assert_false(seen[i]);
				seen[i] = known = true;
			}
		assert_true(known);
		n++;
	}
	assert_int_equal(msp_proc_iter_next(&it, &pid), 0);
	assert_int_equal(msp_proc_iter_check(&it, &err), 0); /* the end, not a failure */
	msp_proc_iter_close(&it);
	msp_proc_iter_close(&it);
	assert_int_equal(n, 10);
}

/* A listing that failed (readdir's errno kept by msp_proc_iter_next) is an error naming the root, never the end. */
static void test_proc__iterator_check_reports_a_failed_listing(void **state)
{
	struct msp_proc_iter it = { NULL };
	struct msp_error err;
	char want[2048];

	(void)state;
	msp_error_init(&err);
	assert_int_equal(msp_proc_iter_open(&it, fixture_root(), &err), 0);
	it.error = EIO; /* what msp_proc_iter_next records when readdir fails */
	assert_int_equal(msp_proc_iter_check(&it, &err), MSP_ESYS);
	snprintf(want, sizeof(want), "cannot list the processes in '%s': %s", fixture_root(), strerror(EIO));
	assert_string_equal(err.msg, want);
	assert_int_equal(msp_proc_iter_check(&it, NULL), MSP_ESYS);
	msp_proc_iter_close(&it);
	/* NULL root is /proc */
	assert_int_equal(msp_proc_iter_open(&it, NULL, &err), 0);
	it.error = EIO;
	assert_int_equal(msp_proc_iter_check(&it, &err), MSP_ESYS);
	assert_non_null(strstr(err.msg, "cannot list the processes in '/proc': "));
	msp_proc_iter_close(&it);
}

struct tally {
	int n;
	int zombies;
	int nobody;
	long stop_at; /* return 1 at this pid */
	int fail_at;  /* return MSP_EINVAL at the n-th call */
	bool args_seen;
};

static int count_proc(const struct msp_proc *p, void *data)
{
	struct tally *t = data;

	t->n++;
	t->zombies += p->state == 'Z';
	t->nobody += p->has_status && p->uid_effective == 65534;
	t->args_seen = t->args_seen || (p->args && *p->args);
	if (t->fail_at && t->n == t->fail_at)
		return MSP_EINVAL;
	return p->pid == t->stop_at ? 1 : 0;
}

static void test_proc__foreach_visits_every_process(void **state)
{
	struct tally t = { 0 };
	struct msp_error err;

	(void)state;
	msp_error_init(&err);
	assert_int_equal(msp_proc_foreach(fixture_root(), MSP_PROC_STATUS | MSP_PROC_CMDLINE, count_proc, &t, &err), 0);
	assert_int_equal(t.n, 10);
	assert_int_equal(t.zombies, 1);
	assert_int_equal(t.nobody, 2);
	assert_true(t.args_seen);
	/* stat only: no status, no args */
	memset(&t, 0, sizeof(t));
	assert_int_equal(msp_proc_foreach(fixture_root(), MSP_PROC_STAT, count_proc, &t, &err), 0);
	assert_int_equal(t.n, 10);
	assert_int_equal(t.nobody, 0);
	assert_false(t.args_seen);
}

static void test_proc__foreach_stops_early_or_on_error(void **state)
{
	struct tally t = { .stop_at = 19902 };
	struct msp_error err;

	(void)state;
	msp_error_init(&err);
	assert_int_equal(msp_proc_foreach(fixture_root(), MSP_PROC_STAT, count_proc, &t, &err), 0);
	assert_true(t.n >= 1 && t.n <= 10);
	memset(&t, 0, sizeof(t));
	t.fail_at = 3;
	assert_int_equal(msp_proc_foreach(fixture_root(), MSP_PROC_CMDLINE, count_proc, &t, &err), MSP_EINVAL);
	assert_int_equal(t.n, 3);
}

static void test_proc__missing_root_is_an_error(void **state)
{
	struct msp_error err;
	struct tally t = { 0 };

	(void)state;
	msp_error_init(&err);
	assert_int_equal(msp_proc_foreach("/nonexistent/proc", MSP_PROC_STAT, count_proc, &t, &err), MSP_ENOENT);
	assert_non_null(strstr(err.msg, "/nonexistent/proc/uptime"));
	assert_int_equal(t.n, 0);
}

/* ------------------------------------------------------------ scratch tree */

static int link_into(const char *name, const char *target_rel)
{
	char from[2048], to[2048];

	snprintf(from, sizeof(from), "%s/%s", fixture_root(), target_rel);
	snprintf(to, sizeof(to), "%s/%s", g_scratch, name);
	return symlink(from, to);
}

static int write_file(const char *rel, const char *text)
{
	char path[2048];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", g_scratch, rel);
	f = fopen(path, "w");
	if (!f)
		return -1;
	fputs(text, f);
	return fclose(f);
}

/*
 * Scratch root: the recorded stat and uptime, pid 1 and the zombie from
 * the recording, an empty pid directory (a process that ended between the
 * directory listing and the read) and a pid whose stat was cut after 40
 * bytes (derived from pid 19902's real file).
 */
static int make_scratch(void **state)
{
	const char *tmp = getenv("TMPDIR");
	char path[2048];

	(void)state;
	snprintf(g_scratch, sizeof(g_scratch), "%s/msp-proc-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(g_scratch))
		return -1;
	if (link_into("stat", "stat") || link_into("uptime", "uptime") || link_into("1", "1") ||
	    link_into("19928", "19928"))
		return -1;
	snprintf(path, sizeof(path), "%s/424242", g_scratch);
	if (mkdir(path, 0700))
		return -1;
	snprintf(path, sizeof(path), "%s/500", g_scratch);
	if (mkdir(path, 0700))
		return -1;
	/* 600: a stat that cannot be read (a directory: EISDIR); 700: one that cannot be opened (ELOOP) */
	snprintf(path, sizeof(path), "%s/600", g_scratch);
	if (mkdir(path, 0700))
		return -1;
	snprintf(path, sizeof(path), "%s/600/stat", g_scratch);
	if (mkdir(path, 0700))
		return -1;
	snprintf(path, sizeof(path), "%s/700", g_scratch);
	if (mkdir(path, 0700))
		return -1;
	snprintf(path, sizeof(path), "%s/700/stat", g_scratch);
	if (symlink("stat", path))
		return -1;
	return write_file("500/stat", "19902 (sleep) T 19878 19873 20309 0 -1 ");
}

static int remove_scratch(void **state)
{
	static const char *const names[] = { "stat", "uptime", "1", "19928", "500/stat" };
	char path[2048];

	(void)state;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", g_scratch, names[i]);
		unlink(path);
	}
	snprintf(path, sizeof(path), "%s/424242", g_scratch);
	rmdir(path);
	snprintf(path, sizeof(path), "%s/500", g_scratch);
	rmdir(path);
	snprintf(path, sizeof(path), "%s/600/stat", g_scratch);
	rmdir(path);
	snprintf(path, sizeof(path), "%s/600", g_scratch);
	rmdir(path);
	snprintf(path, sizeof(path), "%s/700/stat", g_scratch);
	unlink(path);
	snprintf(path, sizeof(path), "%s/700", g_scratch);
	rmdir(path);
	return rmdir(g_scratch);
}

static void test_proc__vanished_and_garbled_processes_are_skipped(void **state)
{
	struct msp_proc_system sys;
	struct msp_proc p;
	struct msp_error err;
	struct tally t = { 0 };

	(void)state;
	msp_error_init(&err);
	assert_int_equal(msp_proc_foreach(g_scratch, MSP_PROC_STATUS | MSP_PROC_CMDLINE, count_proc, &t, &err), 0);
	assert_int_equal(t.n, 2);
	assert_int_equal(t.zombies, 1);
	assert_int_equal(msp_proc_system_read(g_scratch, &sys, &err), 0);
	assert_int_equal(msp_proc_read_stat(g_scratch, 424242, &sys, &p, &err), MSP_ENOENT);
	assert_int_equal(msp_proc_read(g_scratch, 424242, MSP_PROC_CMDLINE, &sys, &p, &err), MSP_ENOENT);
	assert_int_equal(msp_proc_read_stat(g_scratch, 500, &sys, &p, &err), MSP_EINVAL);
	assert_non_null(strstr(err.msg, "500/stat"));
	/* A process whose files fail for another reason than its end is not "gone": the caller decides. */
	assert_int_equal(msp_proc_read_stat(g_scratch, 600, &sys, &p, &err), MSP_ESYS);
	assert_non_null(strstr(err.msg, "600/stat"));
	assert_int_equal(msp_proc_read_stat(g_scratch, 700, &sys, &p, &err), MSP_ESYS);
	assert_non_null(strstr(err.msg, "symbolic links"));
	/* status and cmdline of a process that is gone */
	assert_int_equal(msp_proc_read_stat(g_scratch, 1, &sys, &p, &err), 0);
	p.pid = 424242;
	assert_int_equal(msp_proc_read_status(g_scratch, &p, &err), MSP_ENOENT);
	assert_int_equal(msp_proc_read_cmdline(g_scratch, &p, &err), MSP_ENOENT);
	assert_null(p.args);
}

/* ------------------------------------------------------------ live /proc */

static int find_self(const struct msp_proc *p, void *data)
{
	struct msp_proc *ret = data;

	if (p->pid != (long)getpid())
		return 0;
	*ret = *p;
	ret->args = strdup(p->args ? p->args : "");
	return 1;
}

static void test_proc__live_proc_finds_this_test(void **state)
{
	struct msp_proc self = { 0 };
	struct msp_error err;

	(void)state;
	msp_error_init(&err);
	assert_int_equal(msp_proc_foreach(NULL, MSP_PROC_STATUS | MSP_PROC_CMDLINE, find_self, &self, &err), 0);
	assert_int_equal(self.pid, (long)getpid());
	assert_int_equal(self.ppid, (long)getppid());
	assert_int_equal(self.state, 'R');
	assert_int_equal(self.uid_real, (long)getuid());
	assert_int_equal(self.uid_effective, (long)geteuid());
	assert_non_null(strstr(self.args, "test_msp_proc"));
	assert_true(self.vsz_kib > 0 && self.rss_kib > 0);
	free(self.args);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_proc__system_reads_uptime_and_btime),
		cmocka_unit_test(test_proc__stat_of_init),
		cmocka_unit_test(test_proc__pcpu_is_truncated_like_ps),
		cmocka_unit_test(test_proc__comm_with_blank_and_parenthesis),
		cmocka_unit_test(test_proc__kernel_threads),
		cmocka_unit_test(test_proc__zombie_and_stopped),
		cmocka_unit_test(test_proc__args_join_with_blanks_and_hide_control_characters),
		cmocka_unit_test(test_proc__status_uids_and_locked_memory),
		cmocka_unit_test(test_proc__path),
		cmocka_unit_test(test_proc__iterator_lists_only_pids),
		cmocka_unit_test(test_proc__iterator_check_reports_a_failed_listing),
		cmocka_unit_test(test_proc__foreach_visits_every_process),
		cmocka_unit_test(test_proc__foreach_stops_early_or_on_error),
		cmocka_unit_test(test_proc__missing_root_is_an_error),
		cmocka_unit_test_setup_teardown(test_proc__vanished_and_garbled_processes_are_skipped, make_scratch,
						remove_scratch),
		cmocka_unit_test(test_proc__live_proc_finds_this_test),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
