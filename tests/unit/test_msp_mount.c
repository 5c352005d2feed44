/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test_msp_mount.c - the mount table parser (mountinfo and /proc/mounts
 * formats, escapes, lookups) and statvfs with a deadline (real calls,
 * and a probe that hangs like a dead mount).
 */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "msp.h"

/* Lines as the kernel writes them (from tests/fixtures/check_disk/bind_and_blank.mountinfo). */
static const char mountinfo[] =
	"43 42 254:0 / / rw,relatime - ext4 /dev/vda rw,discard\n"
	"45 43 0:20 / /proc rw,relatime - proc proc rw\n"
	"58 43 0:6 / /dev rw,relatime - devtmpfs devtmpfs rw,size=12334416k,mode=755\n"
	"59 58 0:22 / /dev/shm rw,relatime - tmpfs tmpfs rw,size=24683620k\n"
	"60 59 0:26 / /dev/shm rw,relatime shared:7 - tmpfs tmpfs rw,size=24683620k\n"
	"44 43 0:39 / /tmp/check_disk_rec/full rw,relatime - tmpfs cdfull rw,size=2000k\n"
	"64 43 0:39 /sub /tmp/check_disk_rec/bind rw,relatime - tmpfs cdfull rw,size=2000k\n"
	"65 43 0:40 / /tmp/check_disk_rec/with\\040space rw,relatime - tmpfs cdblank rw,size=1024k\n"
	"66 43 0:41 / /mnt/home rw,relatime - nfs4 fileserver:/export/home rw,vers=4.2\n"
	"67 43 0:42 / /mnt/share rw,relatime - cifs //nas/share rw\n"
	"68 43 0:43 / /home rw,relatime - autofs systemd-1 rw,fd=40\n";

static void parse_ok(const char *text, struct msp_mount_table *t)
{
	struct msp_error err;

	msp_error_init(&err);
	if (msp_mount_table_parse(text, t, &err) != 0)
		fail_msg("mount table rejected: %s", err.msg);
}

static void test_mountinfo__fields(void **state)
{
	struct msp_mount_table t;
	const struct msp_mount *m;

	(void)state;
	parse_ok(mountinfo, &t);
	assert_int_equal(t.n, 11);
	m = &t.mounts[0];
	assert_int_equal(m->id, 43);
	assert_int_equal(m->parent_id, 42);
	assert_int_equal(m->major, 254);
	assert_int_equal(m->minor, 0);
	assert_string_equal(m->root, "/");
	assert_string_equal(m->target, "/");
	assert_string_equal(m->fstype, "ext4");
	assert_string_equal(m->source, "/dev/vda");
	assert_string_equal(m->options, "rw,relatime");
	/* Optional fields ("shared:7") before the separator are passed over. */
	assert_string_equal(t.mounts[4].fstype, "tmpfs");
	assert_string_equal(t.mounts[4].source, "tmpfs");
	/* A bind mount keeps the subdirectory it shows; escapes are decoded. */
	assert_string_equal(t.mounts[6].root, "/sub");
	assert_string_equal(t.mounts[7].target, "/tmp/check_disk_rec/with space");
	msp_mount_table_release(&t);
	assert_null(t.mounts);
	assert_int_equal(t.n, 0);
}

static void test_mountinfo__lookups(void **state)
{
	struct msp_mount_table t;

	(void)state;
	parse_ok(mountinfo, &t);
	/* /dev/shm is mounted twice: the later entry is on top and is the one found. */
	assert_ptr_equal(msp_mount_by_target(&t, "/dev/shm"), &t.mounts[4]);
	assert_true(msp_mount_is_covered(&t, &t.mounts[3]));
	assert_false(msp_mount_is_covered(&t, &t.mounts[4]));
	assert_ptr_equal(msp_mount_by_source(&t, "/dev/vda"), &t.mounts[0]);
	assert_ptr_equal(msp_mount_by_source(&t, "cdfull"), &t.mounts[6]);
	assert_null(msp_mount_by_target(&t, "/dev/sh"));
	/* Whole path components only: /devices is on /, not on /dev. */
	assert_ptr_equal(msp_mount_for_path(&t, "/devices"), &t.mounts[0]);
	assert_ptr_equal(msp_mount_for_path(&t, "/dev"), &t.mounts[2]);
	assert_ptr_equal(msp_mount_for_path(&t, "/dev/"), &t.mounts[2]);
	assert_ptr_equal(msp_mount_for_path(&t, "/dev/shm/x/y"), &t.mounts[4]);
	assert_ptr_equal(msp_mount_for_path(&t, "/tmp/check_disk_rec/with space/f"), &t.mounts[7]);
	assert_ptr_equal(msp_mount_for_path(&t, "/"), &t.mounts[0]);
	assert_null(msp_mount_for_path(&t, "dev/shm"));
	msp_mount_table_release(&t);
}

static void test_mountinfo__kinds(void **state)
{
	struct msp_mount_table t;

	(void)state;
	parse_ok(mountinfo, &t);
	assert_false(msp_mount_is_remote(&t.mounts[0]));
	assert_false(msp_mount_is_remote(&t.mounts[5]));
	assert_true(msp_mount_is_remote(&t.mounts[8]));  /* nfs4, server:/export */
	assert_true(msp_mount_is_remote(&t.mounts[9]));  /* cifs //nas/share */
	assert_true(msp_mount_is_pseudo(&t.mounts[1]));  /* proc */
	assert_true(msp_mount_is_pseudo(&t.mounts[10])); /* autofs: statvfs could trigger a mount */
	assert_false(msp_mount_is_pseudo(&t.mounts[2])); /* devtmpfs has a size */
	assert_false(msp_mount_is_pseudo(&t.mounts[3]));
	/* in-process statvfs only where it cannot block: not network, not pseudo */
	assert_true(msp_mount_is_local(&t.mounts[0]));
	assert_true(msp_mount_is_local(&t.mounts[2]));  /* devtmpfs */
	assert_false(msp_mount_is_local(&t.mounts[1])); /* proc */
	assert_false(msp_mount_is_local(&t.mounts[8])); /* nfs4 */
	assert_false(msp_mount_is_local(&t.mounts[9])); /* cifs */
	assert_false(msp_mount_is_local(&t.mounts[10])); /* autofs */
	assert_false(msp_mount_is_local(NULL));
	msp_mount_table_release(&t);
}

static void test_proc_mounts__format(void **state)
{
	struct msp_mount_table t;

	(void)state;
	parse_ok("/dev/vda / ext4 rw,relatime,discard 0 0\n"
		 "proc /proc proc rw,relatime 0 0\n"
		 "cdblank /tmp/check_disk_rec/with\\040space tmpfs rw,relatime,size=1024k 0 0\n",
		 &t);
	assert_int_equal(t.n, 3);
	assert_int_equal(t.mounts[0].id, -1);
	assert_string_equal(t.mounts[0].source, "/dev/vda");
	assert_string_equal(t.mounts[0].root, "/");
	assert_string_equal(t.mounts[2].target, "/tmp/check_disk_rec/with space");
	assert_string_equal(t.mounts[2].fstype, "tmpfs");
	msp_mount_table_release(&t);
}

static void test_table__recorded_files(void **state)
{
	const char *top = getenv("top_srcdir");
	struct msp_mount_table t;
	struct msp_error err;
	char path[4096];

	(void)state;
	msp_error_init(&err);
	snprintf(path, sizeof(path), "%s/tests/fixtures/check_disk/host.mountinfo", top ? top : ".");
	assert_int_equal(msp_mount_table_read(path, &t, &err), 0);
	assert_true(t.n >= 10);
	assert_non_null(msp_mount_by_target(&t, "/"));
	msp_mount_table_release(&t);
	snprintf(path, sizeof(path), "%s/tests/fixtures/check_disk/proc_mounts.txt", top ? top : ".");
	assert_int_equal(msp_mount_table_read(path, &t, &err), 0);
	assert_non_null(msp_mount_by_target(&t, "/tmp/check_disk_rec/with space"));
	msp_mount_table_release(&t);
	assert_int_equal(msp_mount_table_read("/nonexistent/mountinfo", &t, &err), MSP_ENOENT);
	assert_non_null(strstr(err.msg, "/nonexistent/mountinfo"));
	msp_mount_table_release(&t);
	/* The live table of this machine has a root. */
	assert_int_equal(msp_mount_table_read(NULL, &t, &err), 0);
	assert_non_null(msp_mount_for_path(&t, "/"));
	msp_mount_table_release(&t);
}

static void test_table__rejects_garbage(void **state)
{
	struct msp_mount_table t;
	struct msp_error err;

	(void)state;
	msp_error_init(&err);
	assert_int_equal(msp_mount_table_parse("43 42 254:0 / / rw - ext4 /dev/vda rw\nnot a mount line\n", &t, &err),
			 MSP_EINVAL);
	assert_string_equal(err.msg, "cannot parse mount table line 2");
	msp_mount_table_release(&t);
	/* A separator with nothing after it is not mountinfo, and not /proc/mounts either. */
	assert_int_equal(msp_mount_table_parse("43 42 254:0 / / rw a b c -\n", &t, &err), MSP_EINVAL);
	msp_mount_table_release(&t);
	assert_int_equal(msp_mount_table_parse("", &t, &err), 0);
	assert_int_equal(t.n, 0);
	msp_mount_table_release(&t);
}

static void test_escape__round_trip(void **state)
{
	char out[64], small[6];
	char all[40];

	(void)state;
	assert_int_equal(msp_mount_escape("a b\\c\nd\te", out, sizeof(out)), 0);
	assert_string_equal(out, "a\\040b\\134c\\012d\\011e");
	msp_mount_unescape(out);
	assert_string_equal(out, "a b\\c\nd\te");
	assert_int_equal(msp_mount_escape("abc def", small, sizeof(small)), MSP_ETOOBIG);
	assert_string_equal(small, "abc");
	/* Not an escape: kept as written ("\000" would end the string, "\8" is not octal). */
	snprintf(all, sizeof(all), "x\\000y\\8zz\\04");
	msp_mount_unescape(all);
	assert_string_equal(all, "x\\000y\\8zz\\04");
}

static void test_space__df_arithmetic(void **state)
{
	/* tests/fixtures/check_disk/ext4_reserved.statvfs: 1 KiB blocks, root keeps a reserve. */
	struct msp_fsusage u = { 1024, 59621, 5777, 1191, 2048, 2036, 2036, 4096 };
	struct msp_fsspace sp;

	(void)state;
	msp_fsusage_space(&u, false, &sp);
	assert_int_equal(sp.used, (59621 - 5777) * 1024ULL);
	assert_int_equal(sp.avail, 1191 * 1024ULL);
	assert_int_equal(sp.size, 59621 * 1024ULL);
	msp_fsusage_space(&u, true, &sp);
	assert_int_equal(sp.size, (59621 - 5777 + 1191) * 1024ULL);
	/* More available than free (some systems say so) counts as nothing available. */
	u.bavail = 6000;
	msp_fsusage_space(&u, false, &sp);
	assert_int_equal(sp.avail, 0);
	/* No wrap-around: a product past 2^64 saturates. */
	u.frsize = UINT64_MAX / 2;
	msp_fsusage_space(&u, false, &sp);
	assert_true(sp.size == UINT64_MAX);
	/* Rounded up, as df: 95.67% used is 96%, 0 of anything is 0, nothing of nothing is -1. */
	assert_int_equal(msp_percent_up(287, 300), 96);
	assert_int_equal(msp_percent_up(13, 100), 13);
	assert_int_equal(msp_percent_up(1, 1000000), 1);
	assert_int_equal(msp_percent_up(0, 5), 0);
	assert_int_equal(msp_percent_up(0, 0), -1);
	assert_int_equal(msp_percent_up(UINT64_MAX, UINT64_MAX), 100);
}

/* ------------------------------------------------------------ statvfs */

static void no_children_left(void)
{
	errno = 0;
	assert_int_equal(waitpid(-1, NULL, WNOHANG), -1);
	assert_int_equal(errno, ECHILD);
}

static void test_statvfs__real_calls(void **state)
{
	struct msp_statvfs_job jobs[3];
	struct timespec deadline = msp_deadline_in(5);
	struct msp_error err;

	(void)state;
	msp_error_init(&err);
	memset(jobs, 0, sizeof(jobs));
	jobs[0].path = "/";
	jobs[1].path = "/nonexistent/check_disk";
	jobs[1].resolve = true;
	jobs[2].path = "/usr/../usr/.";
	jobs[2].resolve = true;
	assert_int_equal(msp_statvfs_run(jobs, 3, &deadline, NULL, &err), 0);
	assert_int_equal(jobs[0].status, MSP_STATVFS_OK);
	assert_true(jobs[0].usage.blocks > 0);
	assert_true(jobs[0].usage.frsize > 0);
	assert_true(jobs[0].usage.bfree <= jobs[0].usage.blocks);
	assert_null(jobs[0].resolved);
	assert_int_equal(jobs[1].status, MSP_STATVFS_FAILED);
	assert_int_equal(jobs[1].error, ENOENT);
	assert_string_equal(jobs[1].call, "stat");
	assert_int_equal(jobs[2].status, MSP_STATVFS_OK);
	assert_string_equal(jobs[2].resolved, "/usr");
	msp_statvfs_jobs_release(jobs, 3);
	assert_null(jobs[2].resolved);
	no_children_left();
}

/* In the worker: "hang*" sleeps like a call on a dead mount, "crash" dies, the rest answers. */
static int fake_probe(const struct msp_statvfs_job *job, struct msp_fsusage *ret_usage, char **ret_resolved,
		      const char **ret_call)
{
	(void)ret_resolved;
	if (strncmp(job->path, "hang", 4) == 0)
		sleep(60);
	if (strcmp(job->path, "crash") == 0)
		_exit(9);
	if (strcmp(job->path, "denied") == 0) {
		*ret_call = "statvfs";
		return EACCES;
	}
	ret_usage->frsize = 4096;
	ret_usage->blocks = 100 + strlen(job->path);
	return 0;
}

/* Counts the calls made in this process: a worker's calls happen in its own copy. */
static int probes_here;

static int counting_probe(const struct msp_statvfs_job *job, struct msp_fsusage *ret_usage, char **ret_resolved,
			  const char **ret_call)
{
	probes_here++;
	return fake_probe(job, ret_usage, ret_resolved, ret_call);
}

static void test_statvfs__in_process_jobs_need_no_worker(void **state)
{
	const char *paths[] = { "a", "denied", "bb" };
	struct msp_statvfs_job jobs[3];
	struct msp_statvfs_opts opts = { counting_probe, 100, 0 };
	struct timespec deadline = msp_deadline_in(5.0);

	(void)state;
	memset(jobs, 0, sizeof(jobs));
	for (size_t i = 0; i < 3; i++)
		jobs[i].path = paths[i];
	jobs[0].in_process = jobs[1].in_process = true;
	probes_here = 0;
	assert_int_equal(msp_statvfs_run(jobs, 3, &deadline, &opts, NULL), 0);
	/* the two in-process jobs ran here, the third in a worker */
	assert_int_equal(probes_here, 2);
	assert_int_equal(jobs[0].status, MSP_STATVFS_OK);
	assert_int_equal(jobs[0].usage.blocks, 101);
	assert_int_equal(jobs[1].status, MSP_STATVFS_FAILED);
	assert_int_equal(jobs[1].error, EACCES);
	assert_string_equal(jobs[1].call, "statvfs");
	assert_int_equal(jobs[2].status, MSP_STATVFS_OK);
	assert_int_equal(jobs[2].usage.blocks, 102);
	/* all in process: no worker at all */
	jobs[2].in_process = true;
	probes_here = 0;
	assert_int_equal(msp_statvfs_run(jobs, 3, &deadline, &opts, NULL), 0);
	assert_int_equal(probes_here, 3);
	assert_int_equal(jobs[2].status, MSP_STATVFS_OK);
	msp_statvfs_jobs_release(jobs, 3);
	no_children_left();
}

static void test_statvfs__hang_is_named_and_others_answer(void **state)
{
	const char *paths[] = { "a", "hang1", "bb", "denied", "hang2", "ccc" };
	struct msp_statvfs_job jobs[6];
	struct msp_statvfs_opts opts = { fake_probe, 100, 0 };
	struct msp_error err;
	struct timespec deadline;
	double t0;

	(void)state;
	msp_error_init(&err);
	memset(jobs, 0, sizeof(jobs));
	for (size_t i = 0; i < 6; i++)
		jobs[i].path = paths[i];
	t0 = msp_time_mono();
	/* Deadlines leave a busy machine time to fork the workers; the hanging calls take 60 s. */
	deadline = msp_deadline_in(3.0);
	assert_int_equal(msp_statvfs_run(jobs, 6, &deadline, &opts, &err), 0);
	/* It ends at the deadline, not when the hanging calls would. */
	assert_true(msp_time_mono() - t0 < 4.5);
	assert_int_equal(jobs[0].status, MSP_STATVFS_OK);
	assert_int_equal(jobs[0].usage.blocks, 101);
	assert_int_equal(jobs[1].status, MSP_STATVFS_TIMEOUT);
	assert_int_equal(jobs[2].status, MSP_STATVFS_OK);
	assert_int_equal(jobs[2].usage.blocks, 102);
	assert_int_equal(jobs[3].status, MSP_STATVFS_FAILED);
	assert_int_equal(jobs[3].error, EACCES);
	assert_int_equal(jobs[4].status, MSP_STATVFS_TIMEOUT);
	assert_int_equal(jobs[5].status, MSP_STATVFS_OK);
	assert_int_equal(jobs[5].usage.blocks, 103);
	msp_statvfs_jobs_release(jobs, 6);
	no_children_left();
}

static void test_statvfs__one_worker_leaves_the_rest_pending(void **state)
{
	const char *paths[] = { "a", "hang", "b" };
	struct msp_statvfs_job jobs[3];
	struct msp_statvfs_opts opts = { fake_probe, 50, 1 };
	struct msp_error err;
	struct timespec deadline = msp_deadline_in(2.0);

	(void)state;
	msp_error_init(&err);
	memset(jobs, 0, sizeof(jobs));
	for (size_t i = 0; i < 3; i++)
		jobs[i].path = paths[i];
	assert_int_equal(msp_statvfs_run(jobs, 3, &deadline, &opts, &err), 0);
	assert_int_equal(jobs[0].status, MSP_STATVFS_OK);
	assert_int_equal(jobs[1].status, MSP_STATVFS_TIMEOUT);
	assert_int_equal(jobs[2].status, MSP_STATVFS_PENDING);
	no_children_left();
}

static void test_statvfs__crashed_worker_fails_its_jobs(void **state)
{
	const char *paths[] = { "a", "crash", "b" };
	struct msp_statvfs_job jobs[3];
	struct msp_statvfs_opts opts = { fake_probe, 0, 0 };
	struct msp_error err;
	struct timespec deadline = msp_deadline_in(5);
	double t0 = msp_time_mono();

	(void)state;
	msp_error_init(&err);
	memset(jobs, 0, sizeof(jobs));
	for (size_t i = 0; i < 3; i++)
		jobs[i].path = paths[i];
	assert_int_equal(msp_statvfs_run(jobs, 3, &deadline, &opts, &err), 0);
	assert_true(msp_time_mono() - t0 < 4.5); /* a crash ends the job at once, not at the deadline */
	assert_int_equal(jobs[0].status, MSP_STATVFS_OK);
	assert_int_equal(jobs[1].status, MSP_STATVFS_FAILED);
	assert_string_equal(jobs[1].call, "worker");
	assert_int_equal(jobs[2].status, MSP_STATVFS_FAILED);
	no_children_left();
}

static void test_statvfs__nothing_to_do(void **state)
{
	struct timespec deadline = msp_deadline_in(1);
	struct msp_error err;

	(void)state;
	msp_error_init(&err);
	assert_int_equal(msp_statvfs_run(NULL, 0, &deadline, NULL, &err), 0);
	no_children_left();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mountinfo__fields),
		cmocka_unit_test(test_mountinfo__lookups),
		cmocka_unit_test(test_mountinfo__kinds),
		cmocka_unit_test(test_proc_mounts__format),
		cmocka_unit_test(test_table__recorded_files),
		cmocka_unit_test(test_table__rejects_garbage),
		cmocka_unit_test(test_escape__round_trip),
		cmocka_unit_test(test_space__df_arithmetic),
		cmocka_unit_test(test_statvfs__real_calls),
		cmocka_unit_test(test_statvfs__in_process_jobs_need_no_worker),
		cmocka_unit_test(test_statvfs__hang_is_named_and_others_answer),
		cmocka_unit_test(test_statvfs__one_worker_leaves_the_rest_pending),
		cmocka_unit_test(test_statvfs__crashed_worker_fails_its_jobs),
		cmocka_unit_test(test_statvfs__nothing_to_do),
	};

	signal(SIGPIPE, SIG_IGN);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
