/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test_msp_mountsel.c - choosing filesystems: the filter, the selection
 * steps (paths, devices, exact mount points, regular expressions, all,
 * ignores), the remote rule, duplicates, and the probe of the items.
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
#include <cmocka.h>

#include "msp.h"

/* A table in the shape this machine has (the recorded check_disk fixtures), plus network mounts. */
static const char mountinfo[] = "43 42 254:0 / / rw,relatime - ext4 /dev/vda rw\n"
				"45 43 0:20 / /proc rw,relatime - proc proc rw\n"
				"58 43 0:6 / /dev rw,relatime - devtmpfs devtmpfs rw\n"
				"59 58 0:22 / /dev/shm rw,relatime - tmpfs tmpfs rw\n"
				"60 59 0:26 / /dev/shm rw,relatime - tmpfs tmpfs rw\n"
				"61 43 0:39 / /srv/data rw,relatime - xfs /dev/vdb1 rw\n"
				"62 43 0:41 / /mnt/home rw,relatime - nfs4 fileserver:/export/home rw\n"
				"63 43 0:42 / /run/user/1000/gvfs rw,relatime - fuse.gvfsd-fuse gvfsd-fuse rw\n"
				"64 43 0:43 / /media/cd ro,relatime - iso9660 /dev/sr0 ro\n";

struct fixture {
	struct msp_mount_table t;
	struct msp_mount_selection s;
	struct msp_mount_items items;
	struct msp_error err;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	msp_error_init(&f->err);
	assert_int_equal(msp_mount_table_parse(mountinfo, &f->t, &f->err), 0);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	msp_mount_items_release(&f->items);
	msp_mount_selection_release(&f->s);
	msp_mount_table_release(&f->t);
	free(f);
	return 0;
}

static void add(struct fixture *f, enum msp_mount_step_kind kind, const char *arg, bool icase, bool exact)
{
	if (msp_mount_selection_add(&f->s, kind, arg, icase, exact, false, &f->err) < 0)
		fail_msg("step '%s' rejected: %s", arg ? arg : "(all)", f->err.msg);
}

/* Select and filter; returns the mount points of the kept items, space separated (static buffer). */
static const char *kept(struct fixture *f)
{
	static char buf[1024];

	msp_mount_items_release(&f->items);
	assert_int_equal(msp_mount_select(&f->s, &f->t, &f->items, &f->err), 0);
	msp_mount_items_filter(&f->s, &f->t, &f->items);
	buf[0] = '\0';
	for (size_t i = 0; i < f->items.n; i++) {
		const struct msp_mount_item *it = &f->items.v[i];

		if (it->skip)
			continue;
		snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf), "%s%s%s", buf[0] ? " " : "",
			 it->mnt ? it->mnt->target : it->name, it->mnt ? "" : "?");
	}
	return buf;
}

static void test_filter__types_are_whole_name_patterns(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(msp_mount_filter_add_type(&f->s.filter, false, "tmpfs", &f->err), 0);
	assert_int_equal(msp_mount_filter_add_type(&f->s.filter, false, "fuse.*", &f->err), 0);
	add(f, MSP_MOUNT_ALL, NULL, false, false);
	/* "tmpfs" spares devtmpfs; "fuse.*" takes every FUSE type; pseudo filesystems never come. */
	assert_string_equal(kept(f), "/ /dev /srv/data /mnt/home /media/cd");
	assert_int_equal(msp_mount_filter_add_type(&f->s.filter, true, "ext4|xfs", &f->err), 0);
	assert_string_equal(kept(f), "/ /srv/data");
	assert_int_equal(msp_mount_filter_add_name(&f->s.filter, "/dev/vdb1", &f->err), 0);
	assert_int_equal(msp_mount_filter_add_name(&f->s.filter, "/", &f->err), 0);
	assert_string_equal(kept(f), "");
	assert_int_equal(msp_mount_filter_add_type(&f->s.filter, false, "(", &f->err), MSP_EINVAL);
	assert_non_null(strstr(f->err.msg, "cannot compile filesystem type pattern '('"));
}

/* An unbalanced ')' would close the anchoring group ("^(ext)|.*)$"): refused, never "every type". */
static void test_filter__type_pattern_cannot_escape_its_anchors(void **state)
{
	struct fixture *f = *state;
	const char *const bad[] = { "ext)|.*", "ext4)|(.*", "(ext4)|x)", "tmpfs)|(xfs", ")" };

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		msp_error_init(&f->err);
		assert_int_equal(msp_mount_filter_add_type(&f->s.filter, false, bad[i], &f->err), MSP_EINVAL);
		assert_non_null(strstr(f->err.msg, "filesystem type pattern"));
		assert_non_null(strstr(f->err.msg, bad[i]));
	}
	assert_int_equal(f->s.filter.ntypes_out, 0);
	/* a ')' that is a character, escaped or in brackets, is fine and matches only itself */
	assert_int_equal(msp_mount_filter_add_type(&f->s.filter, false, "ext4\\)", &f->err), 0);
	assert_int_equal(msp_mount_filter_add_type(&f->s.filter, false, "xfs[)]", &f->err), 0);
	add(f, MSP_MOUNT_ALL, NULL, false, false);
	assert_string_equal(kept(f), "/ /dev /dev/shm /srv/data /mnt/home /run/user/1000/gvfs /media/cd");
}

static void test_select__paths_devices_exact(void **state)
{
	struct fixture *f = *state;

	add(f, MSP_MOUNT_PATH, "/dev/vdb1", false, false); /* a device: its mount, no resolving */
	add(f, MSP_MOUNT_PATH, "/srv/data/db", false, false);
	add(f, MSP_MOUNT_PATH, "/usr", false, true);
	add(f, MSP_MOUNT_PATH, "/dev/shm", false, true);
	assert_string_equal(kept(f), "/srv/data /srv/data/db? /usr? /dev/shm");
	assert_false(f->items.v[0].resolve);
	assert_true(f->items.v[1].resolve);
	assert_null(f->items.v[1].mnt);
	assert_true(f->items.v[2].not_found);
	/* The topmost of the two /dev/shm mounts. */
	assert_ptr_equal(f->items.v[3].mnt, &f->t.mounts[4]);
	/* Once the probe resolved the path, its mount is known: here the one an earlier item has. */
	f->items.v[1].status = MSP_STATVFS_OK;
	f->items.v[1].resolved = strdup("/srv/data/db");
	msp_mount_items_filter(&f->s, &f->t, &f->items);
	assert_ptr_equal(f->items.v[1].mnt, &f->t.mounts[5]);
	assert_true(f->items.v[1].skip);
}

static void test_select__regex_all_and_ignore(void **state)
{
	struct fixture *f = *state;

	add(f, MSP_MOUNT_REGEX, "^/DEV", true, false);
	/* Mount points and sources both count: / is on /dev/vda. */
	assert_string_equal(kept(f), "/ /dev /dev/shm /srv/data /media/cd");
	add(f, MSP_MOUNT_IGNORE, "^/dev/(vd|sr)", false, false);
	assert_string_equal(kept(f), "/dev /dev/shm");
	/* Selected again after the ignore, a mount comes back (in its first place). */
	add(f, MSP_MOUNT_PATH, "/", false, true);
	assert_string_equal(kept(f), "/ /dev /dev/shm");
	add(f, MSP_MOUNT_REGEX, "^/nothing", false, false);
	msp_mount_items_release(&f->items);
	assert_int_equal(msp_mount_select(&f->s, &f->t, &f->items, &f->err), MSP_EINVAL);
	assert_string_equal(f->err.msg, "regular expression '^/nothing' matches no mount point or device");
	assert_int_equal(msp_mount_selection_add(&f->s, MSP_MOUNT_REGEX, "a(", false, false, false, &f->err),
			 MSP_EINVAL);
	assert_non_null(strstr(f->err.msg, "cannot compile regular expression 'a('"));
}

static void test_select__reselecting_moves_the_item(void **state)
{
	struct fixture *f = *state;

	add(f, MSP_MOUNT_ALL, NULL, false, false);
	add(f, MSP_MOUNT_PATH, "/srv/data", false, true);
	kept(f);
	for (size_t i = 0; i < f->items.n; i++) {
		if (strcmp(f->items.v[i].name, "/srv/data") == 0)
			assert_int_equal(f->items.v[i].step, 1);
		else if (strcmp(f->items.v[i].name, "/dev") == 0)
			assert_int_equal(f->items.v[i].step, 0);
	}
	/* A pseudo filesystem asked for by name stays (the caller decides what to say). */
	add(f, MSP_MOUNT_PATH, "/proc", false, true);
	assert_non_null(strstr(kept(f), "/proc"));
}

static void test_select__remote_rule_and_unfiltered_steps(void **state)
{
	struct fixture *f = *state;

	add(f, MSP_MOUNT_ALL, NULL, false, false);
	f->s.remote = MSP_MOUNT_REMOTE_SKIP;
	assert_null(strstr(kept(f), "/mnt/home"));
	f->s.remote = MSP_MOUNT_REMOTE_STAT_ONLY;
	assert_non_null(strstr(kept(f), "/mnt/home"));
	for (size_t i = 0; i < f->items.n; i++)
		assert_int_equal(f->items.v[i].stat_only, strcmp(f->items.v[i].name, "/mnt/home") == 0);
	/* A step marked unfiltered keeps what the filter and the remote rule would drop. */
	f->s.remote = MSP_MOUNT_REMOTE_SKIP;
	assert_int_equal(msp_mount_filter_add_type(&f->s.filter, false, "nfs4", &f->err), 0);
	assert_int_equal(msp_mount_selection_add(&f->s, MSP_MOUNT_PATH, "/mnt/home", false, true, true, &f->err), 1);
	assert_non_null(strstr(kept(f), "/mnt/home"));
}

static void test_probe__real_statvfs(void **state)
{
	struct fixture *f = *state;
	struct timespec deadline = msp_deadline_in(5);

	add(f, MSP_MOUNT_PATH, "/nonexistent/msp_mountsel", false, false);
	add(f, MSP_MOUNT_PATH, "/proc/self/..", false, false);
	add(f, MSP_MOUNT_PATH, "/usr", false, true); /* not a mount point here: not probed */
	kept(f);
	assert_int_equal(msp_mount_items_probe(&f->items, &deadline, NULL, &f->err), 0);
	assert_int_equal(f->items.v[0].status, MSP_STATVFS_FAILED);
	assert_int_equal(f->items.v[0].error, ENOENT);
	assert_string_equal(f->items.v[0].call, "stat");
	assert_int_equal(f->items.v[1].status, MSP_STATVFS_OK);
	assert_string_equal(f->items.v[1].resolved, "/proc");
	assert_int_equal(f->items.v[2].status, MSP_STATVFS_PENDING);
	/* /proc (as the live machine resolves it) is in the parsed table, where /proc is proc. */
	msp_mount_items_filter(&f->s, &f->t, &f->items);
	assert_ptr_equal(f->items.v[1].mnt, &f->t.mounts[1]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_filter__types_are_whole_name_patterns, setup, teardown),
		cmocka_unit_test_setup_teardown(test_filter__type_pattern_cannot_escape_its_anchors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_select__paths_devices_exact, setup, teardown),
		cmocka_unit_test_setup_teardown(test_select__regex_all_and_ignore, setup, teardown),
		cmocka_unit_test_setup_teardown(test_select__reselecting_moves_the_item, setup, teardown),
		cmocka_unit_test_setup_teardown(test_select__remote_rule_and_unfiltered_steps, setup, teardown),
		cmocka_unit_test_setup_teardown(test_probe__real_statvfs, setup, teardown),
	};

	signal(SIGPIPE, SIG_IGN);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
