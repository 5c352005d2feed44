/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test_msp_dir.c - the fail-closed directory lister on a real tree in a temporary directory.
 *
 * Permissions do not bite root, so the cases about them run with the
 * effective user 'nobody' (65534) when the test runs as root (seteuid, given
 * back afterwards), as test_msp_glob.c does.  The modes give group and
 * others the same bits, so root's groups change nothing.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
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

#include "msp_dir.h"
#include "../helpers/msp_test.h"


static char top[64];

static char *at(const char *rel)
{
	static char path[512];

	snprintf(path, sizeof(path), "%s/%s", top, rel);
	return path;
}

static void mkfile(const char *rel, size_t size)
{
	int fd = open(at(rel), O_WRONLY | O_CREAT | O_TRUNC, 0644);

	assert_true(fd >= 0);
	assert_int_equal(ftruncate(fd, (off_t)size), 0);
	close(fd);
}

static void mkdir_at(const char *rel)
{
	assert_int_equal(mkdir(at(rel), 0755), 0);
}

static void mode(const char *rel, mode_t m)
{
	assert_int_equal(chmod(at(rel), m), 0);
}

static int setup(void **state)
{
	(void)state;
	snprintf(top, sizeof(top), "/tmp/msp-dir-test.XXXXXX");
	if (!mkdtemp(top) || chmod(top, 0755) < 0)
		return -1;
	/* created out of order, so that a sorted result is not readdir's luck */
	mkdir_at("tree");
	mkfile("tree/zeta", 3);
	mkfile("tree/alpha", 1);
	mkdir_at("tree/sub");
	mkfile("tree/sub/inner", 0);
	mkfile("tree/.hidden", 2);
	if (symlink("alpha", at("tree/link")) < 0 || symlink("nowhere", at("tree/dangling")) < 0)
		return -1;
	mkdir_at("empty");
	mkdir_at("noexec");
	mkfile("noexec/a", 0);
	mkfile("noexec/b", 0);
	mkdir_at("noread");
	return 0;
}

static int remove_one(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	(void)st;
	(void)type;
	(void)ftw;
	return remove(path);
}

static int teardown(void **state)
{
	(void)state;
	return nftw(top, remove_one, 16, FTW_DEPTH | FTW_PHYS);
}

static void list_ok(const char *rel, unsigned flags, struct msp_dir *d)
{
	struct msp_error err;

	msp_error_init(&err);
	if (msp_dir_list(at(rel), flags, 0, d, &err) != 0)
		fail_msg("msp_dir_list('%s'): %s", rel, err.msg);
}

static void test_dir__sorted_without_dots_with_lstat(void **state)
{
	static const char *const want[] = { ".hidden", "alpha", "dangling", "link", "sub", "zeta" };
	struct msp_dir d;

	(void)state;
	list_ok("tree", 0, &d);
	assert_int_equal(d.n, 6);
	for (size_t i = 0; i < d.n; i++) {
		assert_string_equal(d.entry[i].name, want[i]);
		assert_int_equal(d.entry[i].errnum, 0);
	}
	assert_true(S_ISREG(d.entry[1].st.st_mode));
	assert_int_equal(d.entry[1].st.st_size, 1);
	assert_true(S_ISLNK(d.entry[2].st.st_mode));
	assert_true(S_ISLNK(d.entry[3].st.st_mode));
	assert_true(S_ISDIR(d.entry[4].st.st_mode));
	assert_int_equal(d.entry[5].st.st_size, 3);
	msp_dir_release(&d);
	assert_null(d.entry);
	assert_int_equal(d.n, 0);
}

static void test_dir__follow_stats_the_target_and_leaves_a_dangling_link_out(void **state)
{
	struct msp_error err;
	struct msp_dir d;

	(void)state;
	/* the dangling link's target is ENOENT: with FOLLOW it reads as vanished */
	list_ok("tree", MSP_DIR_FOLLOW, &d);
	assert_int_equal(d.n, 5);
	assert_string_equal(d.entry[2].name, "link");
	assert_true(S_ISREG(d.entry[2].st.st_mode));
	assert_int_equal(d.entry[2].st.st_size, 1);
	msp_dir_release(&d);
	/* a link loop is no vanished entry: it fails closed */
	assert_int_equal(symlink("loop", at("tree/loop")), 0);
	msp_error_init(&err);
	assert_int_equal(msp_dir_list(at("tree"), MSP_DIR_FOLLOW, 0, &d, &err), MSP_ESYS);
	assert_int_equal(d.errnum, ELOOP);
	assert_int_equal(d.n, 0);
	assert_non_null(strstr(err.msg, "tree/loop'"));
	assert_int_equal(unlink(at("tree/loop")), 0);
}

static void test_dir__empty_directory_is_no_entries(void **state)
{
	struct msp_dir d;

	(void)state;
	list_ok("empty", 0, &d);
	assert_int_equal(d.n, 0);
	msp_dir_release(&d);
}

static void test_dir__missing_or_not_a_directory_is_an_error_naming_it(void **state)
{
	struct msp_error err;
	struct msp_dir d;

	(void)state;
	msp_error_init(&err);
	assert_int_equal(msp_dir_list(at("absent"), 0, 0, &d, &err), MSP_ESYS);
	assert_int_equal(d.errnum, ENOENT);
	assert_non_null(strstr(err.msg, "cannot read directory '"));
	assert_non_null(strstr(err.msg, "absent'"));
	assert_int_equal(msp_dir_list(at("tree/alpha"), 0, 0, &d, &err), MSP_ESYS);
	assert_int_equal(d.errnum, ENOTDIR);
	assert_int_equal(msp_dir_list("", 0, 0, &d, &err), MSP_EINVAL);
}

static void test_dir__unreadable_directory_is_an_error(void **state)
{
	struct msp_error err;
	struct msp_dir d;
	int r;

	(void)state;
	mode("noread", 0311);
	if (!msp_test_drop_root())
		fail();
	msp_error_init(&err);
	r = msp_dir_list(at("noread"), MSP_DIR_UNREADABLE, 0, &d, &err);
	msp_test_regain_root();
	mode("noread", 0755);
	assert_int_equal(r, MSP_ESYS);
	assert_int_equal(d.errnum, EACCES);
	assert_null(d.entry);
	assert_non_null(strstr(err.msg, "Permission denied"));
}

/* A directory that can be listed but not searched: every fstatat fails. */
static void test_dir__unexaminable_entry_fails_or_is_flagged(void **state)
{
	struct msp_error err;
	struct msp_dir d, flagged;
	int r, rf;

	(void)state;
	mode("noexec", 0644);
	if (!msp_test_drop_root())
		fail();
	msp_error_init(&err);
	r = msp_dir_list(at("noexec"), 0, 0, &d, &err);
	rf = msp_dir_list(at("noexec"), MSP_DIR_UNREADABLE, 0, &flagged, NULL);
	msp_test_regain_root();
	mode("noexec", 0755);
	assert_int_equal(r, MSP_ESYS);
	assert_int_equal(d.errnum, EACCES);
	assert_int_equal(d.n, 0);
	assert_non_null(strstr(err.msg, "cannot examine '"));
	assert_int_equal(rf, 0);
	assert_int_equal(flagged.n, 2);
	assert_string_equal(flagged.entry[0].name, "a");
	assert_string_equal(flagged.entry[1].name, "b");
	assert_int_equal(flagged.entry[0].errnum, EACCES);
	assert_int_equal(flagged.entry[1].errnum, EACCES);
	assert_int_equal(flagged.entry[0].st.st_mode, 0);
	msp_dir_release(&flagged);
}

static void test_dir__more_than_max_is_an_error_not_a_cut(void **state)
{
	struct msp_error err;
	struct msp_dir d;

	(void)state;
	msp_error_init(&err);
	assert_int_equal(msp_dir_list(at("tree"), 0, 5, &d, &err), MSP_ETOOBIG);
	assert_int_equal(d.n, 0);
	assert_null(d.entry);
	assert_non_null(strstr(err.msg, "more than 5 entries"));
	assert_int_equal(msp_dir_list(at("tree"), 0, 6, &d, &err), 0);
	assert_int_equal(d.n, 6);
	msp_dir_release(&d);
}

static void test_dir__at_variant_lists_the_open_directory_and_leaves_it_open(void **state)
{
	struct msp_error err;
	struct msp_dir d;
	struct dirent *de;
	DIR *first;
	int fd;

	(void)state;
	fd = open(at("tree"), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	assert_true(fd >= 0);
	/* an offset already moved does not shorten the listing */
	first = fdopendir(fcntl(fd, F_DUPFD_CLOEXEC, 0));
	assert_non_null(first);
	de = readdir(first);
	assert_non_null(de);
	de = readdir(first);
	assert_non_null(de);
	msp_error_init(&err);
	assert_int_equal(msp_dir_list_at(fd, "tree", 0, 0, &d, &err), 0);
	assert_int_equal(d.n, 6);
	assert_string_equal(d.entry[0].name, ".hidden");
	assert_string_equal(d.entry[4].name, "sub");
	msp_dir_release(&d);
	/* still open: a second listing works */
	assert_int_equal(msp_dir_list_at(fd, "tree", 0, 0, &d, &err), 0);
	assert_int_equal(d.n, 6);
	msp_dir_release(&d);
	closedir(first);
	close(fd);
	assert_int_equal(msp_dir_list_at(-1, "closed", 0, 0, &d, &err), MSP_ESYS);
	assert_int_equal(d.errnum, EBADF);
	assert_non_null(strstr(err.msg, "'closed'"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dir__sorted_without_dots_with_lstat),
		cmocka_unit_test(test_dir__follow_stats_the_target_and_leaves_a_dangling_link_out),
		cmocka_unit_test(test_dir__empty_directory_is_no_entries),
		cmocka_unit_test(test_dir__missing_or_not_a_directory_is_an_error_naming_it),
		cmocka_unit_test(test_dir__unreadable_directory_is_an_error),
		cmocka_unit_test(test_dir__unexaminable_entry_fails_or_is_flagged),
		cmocka_unit_test(test_dir__more_than_max_is_an_error_not_a_cut),
		cmocka_unit_test(test_dir__at_variant_lists_the_open_directory_and_leaves_it_open),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
