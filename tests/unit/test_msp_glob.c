/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test_msp_glob.c - the fail-closed glob expander on a real tree in a temporary directory.
 *
 * Permissions do not bite root, so the cases about them run with the
 * effective user 'nobody' (65534) when the test runs as root (seteuid, given
 * back afterwards); as another user they run as that user.  The modes used
 * give group and others the same bits, so root's groups change nothing.
 */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <glob.h>
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

#include "msp_glob.h"
#include "../helpers/msp_test.h"


static char top[64];

/* Make a path below top: directories for every '/'-ended part, a file otherwise. */
static void mk(const char *rel)
{
	char path[512];
	size_t len;
	int fd;

	snprintf(path, sizeof(path), "%s/%s", top, rel);
	len = strlen(path);
	for (char *p = path + strlen(top) + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(path, 0755) < 0 && errno != EEXIST)
			fail_msg("mkdir %s: %s", path, strerror(errno));
		*p = '/';
	}
	if (path[len - 1] == '/')
		return;
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	assert_true(fd >= 0);
	close(fd);
}

static void mode(const char *rel, mode_t m)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/%s", top, rel);
	assert_int_equal(chmod(path, m), 0);
}

static char *at(const char *rel)
{
	static char path[512];

	snprintf(path, sizeof(path), "%s/%s", top, rel);
	return path;
}

static int setup(void **state)
{
	(void)state;
	snprintf(top, sizeof(top), "/tmp/msp-glob-test.XXXXXX");
	if (!mkdtemp(top))
		return -1;
	/* nobody must reach the tree (mkdtemp makes it 0700). */
	if (chmod(top, 0755) < 0)
		return -1;
	mk("nas/host1/daily.0/backup.tar");
	mk("nas/host2/daily.0/backup.tar");
	mk("nas/host3/daily.0/backup.tar");
	mk("nas/notes.txt");
	mk("nas/.hidden/daily.0/backup.tar");
	mk("lit[1].tar");
	mk("star*/file");
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
	/* the modes were given back by each case, so the tree can be walked */
	return nftw(top, remove_one, 16, FTW_DEPTH | FTW_PHYS);
}

static void expand_ok(const char *pattern, struct msp_glob *g)
{
	struct msp_error err;

	msp_error_init(&err);
	if (msp_glob_expand(pattern, 0, g, &err) != 0)
		fail_msg("msp_glob_expand('%s'): %s", pattern, err.msg);
}

static void test_glob__matches_every_host_sorted(void **state)
{
	struct msp_glob g;

	(void)state;
	expand_ok(at("nas/*/daily.0"), &g);
	assert_int_equal(g.n, 3);
	assert_int_equal(g.nerror, 0);
	assert_string_equal(g.path[0], at("nas/host1/daily.0"));
	assert_string_equal(g.path[1], at("nas/host2/daily.0"));
	assert_string_equal(g.path[2], at("nas/host3/daily.0"));
	msp_glob_release(&g);
	assert_null(g.path);
	assert_int_equal(g.n, 0);
}

static void test_glob__leading_dot_needs_a_dot_and_dot_dirs_never_match(void **state)
{
	struct msp_glob g;

	(void)state;
	expand_ok(at("nas/*"), &g);
	assert_int_equal(g.n, 4); /* host1..3, notes.txt; not .hidden */
	assert_string_equal(g.path[3], at("nas/notes.txt"));
	msp_glob_release(&g);
	expand_ok(at("nas/.*"), &g);
	assert_int_equal(g.n, 1);
	assert_string_equal(g.path[0], at("nas/.hidden"));
	msp_glob_release(&g);
}

static void test_glob__last_literal_must_exist_and_absence_is_no_error(void **state)
{
	struct msp_glob g;

	(void)state;
	expand_ok(at("nas/*/daily.1"), &g);
	assert_int_equal(g.n, 0);
	assert_int_equal(g.nerror, 0);
	msp_glob_release(&g);
	/* notes.txt is not a directory: ENOTDIR is "no match", not an error */
	expand_ok(at("nas/*/x*"), &g);
	assert_int_equal(g.n, 0);
	assert_int_equal(g.nerror, 0);
	msp_glob_release(&g);
	expand_ok(at("no-such/*/daily.0"), &g);
	assert_int_equal(g.n, 0);
	assert_int_equal(g.nerror, 0);
	msp_glob_release(&g);
}

static void test_glob__trailing_slash_keeps_directories(void **state)
{
	struct msp_glob g;
	char want[600];

	(void)state;
	expand_ok(at("nas/*/"), &g);
	assert_int_equal(g.n, 3);
	snprintf(want, sizeof(want), "%s/", at("nas/host1"));
	assert_string_equal(g.path[0], want);
	msp_glob_release(&g);
}

static void test_glob__backslash_quotes_and_brackets_are_classes(void **state)
{
	struct msp_glob g;

	(void)state;
	expand_ok(at("lit\\[1\\].tar"), &g);
	assert_int_equal(g.n, 1);
	assert_string_equal(g.path[0], at("lit[1].tar"));
	msp_glob_release(&g);
	expand_ok(at("star\\*/f*"), &g);
	assert_int_equal(g.n, 1);
	assert_string_equal(g.path[0], at("star*/file"));
	msp_glob_release(&g);
	expand_ok(at("nas/host[13]/daily.0"), &g);
	assert_int_equal(g.n, 2);
	msp_glob_release(&g);
	assert_true(msp_glob_has_magic("a/b*"));
	assert_true(msp_glob_has_magic("a/[bc]"));
	assert_false(msp_glob_has_magic("a/b\\*"));
	assert_false(msp_glob_has_magic("/srv/nas/host1"));
}

static void test_glob__too_many_matches_is_an_error_not_a_cut(void **state)
{
	struct msp_error err;
	struct msp_glob g;

	(void)state;
	msp_error_init(&err);
	assert_int_equal(msp_glob_expand(at("nas/*/daily.0"), 2, &g, &err), MSP_ETOOBIG);
	assert_non_null(strstr(err.msg, "matches more than 2 paths"));
	assert_int_equal(g.n, 0);
	assert_null(g.path);
	assert_int_equal(msp_glob_expand("", 0, &g, &err), MSP_EINVAL);
}

/* A symlink loop in a middle component: ELOOP is an error, as root too. */
static void test_glob__link_loop_is_reported(void **state)
{
	struct msp_glob g;

	(void)state;
	assert_int_equal(symlink("loop", at("loop")), 0);
	expand_ok(at("lo*/daily.0"), &g);
	assert_int_equal(unlink(at("loop")), 0);
	assert_int_equal(g.n, 0);
	assert_int_equal(g.nerror, 1);
	assert_string_equal(g.error[0].path, at("loop/daily.0"));
	assert_int_equal(g.error[0].errnum, ELOOP);
	msp_glob_release(&g);
}

/*
 * The defect: host2 can be listed but not searched (mode 0744).  glob(3)
 * drops host2 without a word; msp_glob_expand names it.
 */
static void test_glob__unsearchable_middle_directory_is_an_error(void **state)
{
	struct msp_glob g;
	glob_t libc;
	int libc_rc, errors = 0;

	(void)state;
	mode("nas/host2", 0744);
	if (!msp_test_drop_root()) {
		mode("nas/host2", 0755);
		skip();
	}
	expand_ok(at("nas/*/daily.0"), &g);
	memset(&libc, 0, sizeof(libc));
	libc_rc = glob(at("nas/*/daily.0"), 0, NULL, &libc);
	msp_test_regain_root();
	mode("nas/host2", 0755);

	/* what glob(3) does: two matches, success, no error */
	assert_int_equal(libc_rc, 0);
	assert_int_equal(libc.gl_pathc, 2);
	globfree(&libc);

	assert_int_equal(g.n, 2);
	assert_string_equal(g.path[0], at("nas/host1/daily.0"));
	assert_string_equal(g.path[1], at("nas/host3/daily.0"));
	assert_int_equal(g.nerror, 1);
	assert_string_equal(g.error[0].path, at("nas/host2/daily.0"));
	assert_int_equal(g.error[0].errnum, EACCES);
	errors += (int)g.nerror;
	msp_glob_release(&g);
	assert_int_equal(errors, 1);
}

/* A directory that can be neither listed nor searched, with a wildcard below it. */
static void test_glob__unreadable_directory_is_an_error(void **state)
{
	struct msp_glob g;

	(void)state;
	mode("nas/host3", 0700);
	mode("nas", 0711); /* searchable, not listable */
	if (!msp_test_drop_root()) {
		mode("nas", 0755);
		mode("nas/host3", 0755);
		skip();
	}
	expand_ok(at("nas/host3/*"), &g);
	msp_test_regain_root();
	assert_int_equal(g.n, 0);
	assert_int_equal(g.nerror, 1);
	assert_string_equal(g.error[0].path, at("nas/host3"));
	assert_int_equal(g.error[0].errnum, EACCES);
	msp_glob_release(&g);

	/* nas itself cannot be listed: the wildcard right below it is an error */
	if (!msp_test_drop_root())
		fail();
	expand_ok(at("nas/*/daily.0"), &g);
	msp_test_regain_root();
	mode("nas", 0755);
	mode("nas/host3", 0755);
	assert_int_equal(g.n, 0);
	assert_int_equal(g.nerror, 1);
	assert_string_equal(g.error[0].path, at("nas"));
	assert_int_equal(g.error[0].errnum, EACCES);
	msp_glob_release(&g);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_glob__matches_every_host_sorted),
		cmocka_unit_test(test_glob__leading_dot_needs_a_dot_and_dot_dirs_never_match),
		cmocka_unit_test(test_glob__last_literal_must_exist_and_absence_is_no_error),
		cmocka_unit_test(test_glob__trailing_slash_keeps_directories),
		cmocka_unit_test(test_glob__backslash_quotes_and_brackets_are_classes),
		cmocka_unit_test(test_glob__too_many_matches_is_an_error_not_a_cut),
		cmocka_unit_test(test_glob__link_loop_is_reported),
		cmocka_unit_test(test_glob__unsearchable_middle_directory_is_an_error),
		cmocka_unit_test(test_glob__unreadable_directory_is_an_error),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
