/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test_msp_meminfo.c - /proc/meminfo parsing: recorded files from this
 * machine, units, lookups, and the malformed inputs that must be errors.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <setjmp.h>
#include <cmocka.h>

#include "msp.h"

/* "$top_srcdir/tests/fixtures/<dir>" into buf. */
static const char *fixture_dir(const char *dir, char *buf, size_t len)
{
	const char *top = getenv("top_srcdir");

	snprintf(buf, len, "%s/tests/fixtures/%s", top && *top ? top : ".", dir);
	return buf;
}

/* Parse text; asserts success. */
static void parse_ok(const char *text, struct msp_meminfo *mi)
{
	struct msp_error err;

	msp_error_init(&err);
	if (msp_meminfo_parse(text, mi, &err) != 0)
		fail_msg("parse: %s", err.msg);
}

static uint64_t get(const struct msp_meminfo *mi, const char *name)
{
	uint64_t v = 0;

	if (!msp_meminfo_get(mi, name, &v))
		fail_msg("field '%s' missing", name);
	return v;
}

static void test_meminfo__kb_values_become_bytes(void **state)
{
	struct msp_meminfo mi;

	(void)state;
	parse_ok("MemTotal:       24683620 kB\nMemFree:        23849100 kB\nHugePages_Total:       3\n", &mi);
	assert_int_equal(mi.n, 3);
	assert_true(get(&mi, "MemTotal") == 24683620ULL * 1024);
	assert_true(get(&mi, "MemFree") == 23849100ULL * 1024);
	/* a field without "kB" is a count, not a size */
	assert_true(get(&mi, "HugePages_Total") == 3);
	assert_false(mi.field[2].has_unit);
	assert_true(mi.field[0].has_unit);
}

static void test_meminfo__lookup_is_exact(void **state)
{
	struct msp_meminfo mi;
	uint64_t v = 42;

	(void)state;
	parse_ok("Active(anon):      100 kB\nActive:      300 kB\n", &mi);
	assert_true(get(&mi, "Active") == 300 * 1024);
	assert_true(get(&mi, "Active(anon)") == 100 * 1024);
	assert_false(msp_meminfo_get(&mi, "Activ", &v));
	assert_false(msp_meminfo_get(&mi, "MemAvailable", &v));
	assert_true(v == 42); /* untouched when absent */
}

static void test_meminfo__recorded_files_parse_completely(void **state)
{
	static const struct {
		const char *dir;
		bool swap;
		bool avail;
	} files[] = {
		{ "check_swap/meminfo_swap_used.txt", true, true },
		{ "check_swap/meminfo_no_swap.txt", false, true },
		{ "check_mem/meminfo_no_memavailable.txt", false, false },
	};
	char path[1024];

	(void)state;
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		struct msp_meminfo mi;
		struct msp_error err;
		struct msp_buf b;
		uint64_t v;

		fixture_dir(files[i].dir, path, sizeof(path));
		msp_buf_init(&b, MSP_MEMINFO_FILE_MAX);
		msp_error_init(&err);
		if (msp_file_read(path, MSP_MEMINFO_FILE_MAX, &b, &err) < 0)
			fail_msg("%s (is top_srcdir set?)", err.msg);
		parse_ok(msp_buf_str(&b), &mi);
		msp_buf_release(&b);
		assert_true(mi.n > 40);
		assert_true(get(&mi, "MemTotal") > get(&mi, "MemFree"));
		assert_int_equal(msp_meminfo_get(&mi, "MemAvailable", &v), files[i].avail);
		assert_int_equal(get(&mi, "SwapTotal") > 0, files[i].swap);
	}
}

static void test_meminfo__recorded_swap_values(void **state)
{
	char dir[1024], path[1100];
	struct msp_meminfo mi;
	struct msp_error err;
	struct msp_buf b;

	(void)state;
	snprintf(path, sizeof(path), "%s", fixture_dir("check_swap/meminfo_swap_used.txt", dir, sizeof(dir)));
	msp_buf_init(&b, MSP_MEMINFO_FILE_MAX);
	msp_error_init(&err);
	assert_int_equal(msp_file_read(path, MSP_MEMINFO_FILE_MAX, &b, &err), 0);
	parse_ok(msp_buf_str(&b), &mi);
	msp_buf_release(&b);
	/* the values in the file: SwapTotal 105528 kB, SwapFree 58884 kB */
	assert_true(get(&mi, "SwapTotal") == 105528ULL * 1024);
	assert_true(get(&mi, "SwapFree") == 58884ULL * 1024);
}

static void test_meminfo__read_uses_proc_root(void **state)
{
	char dir[1024];
	struct msp_meminfo mi;
	struct msp_error err;

	(void)state;
	msp_error_init(&err);
	/* tests/fixtures/check_mem/proc holds a recorded meminfo under its kernel name */
	assert_int_equal(msp_meminfo_read(fixture_dir("check_mem/proc", dir, sizeof(dir)), &mi, &err), 0);
	assert_true(get(&mi, "MemTotal") == 24683620ULL * 1024);
	/* a missing file is an error naming the path */
	assert_int_equal(msp_meminfo_read(fixture_dir("check_mem/no-such-dir", dir, sizeof(dir)), &mi, &err),
			 MSP_ENOENT);
	assert_non_null(strstr(err.msg, "no-such-dir/meminfo"));
	/* the real file of the machine running the test */
	assert_int_equal(msp_meminfo_read(NULL, &mi, &err), 0);
	assert_true(get(&mi, "MemTotal") > 0);
}

static void test_meminfo__malformed_input_is_an_error(void **state)
{
	static const char *const bad[] = {
		"",
		"\n\n",
		"MemTotal 100 kB\n",           /* no colon */
		"MemTotal:\n",                 /* no value */
		"MemTotal:  abc kB\n",         /* not a number */
		"MemTotal:  -5 kB\n",          /* negative */
		"MemTotal:  100 MB\n",         /* unknown unit */
		"MemTotal:  100 kB junk\n",    /* trailing garbage */
		"MemTotal:  1.5 kB\n",         /* fraction */
		"Mem Total:  100 kB\n",        /* blank in the name */
		": 100 kB\n",                  /* empty name */
		"MemTotal: 100 kB\nMemTotal: 200 kB\n", /* duplicate */
		"MemTotal: 99999999999999999999 kB\n",  /* overflow */
		"MemTotal: 18014398509481984 kB\n",     /* fits as kB, overflows as bytes */
		"AnExtremelyLongFieldNameThatNoKernelWouldEverWrite: 1 kB\n",
	};
	struct msp_meminfo mi = { .n = 7 };
	struct msp_error err;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		msp_error_init(&err);
		if (msp_meminfo_parse(bad[i], &mi, &err) != MSP_EINVAL)
			fail_msg("accepted '%s'", bad[i]);
		assert_true(err.msg[0] != '\0');
		assert_int_equal(mi.n, 7); /* *ret untouched on failure */
	}
	assert_int_equal(msp_meminfo_parse(NULL, &mi, &err), MSP_EINVAL);
}

static void test_meminfo__last_line_without_newline(void **state)
{
	struct msp_meminfo mi;

	(void)state;
	parse_ok("MemTotal: 1 kB\nMemFree: 2 kB", &mi);
	assert_int_equal(mi.n, 2);
	assert_true(get(&mi, "MemFree") == 2048);
}

static void test_meminfo__too_many_fields_is_an_error(void **state)
{
	struct msp_buf b;
	struct msp_meminfo mi;
	struct msp_error err;

	(void)state;
	msp_buf_init(&b, 65536);
	for (int i = 0; i <= MSP_MEMINFO_MAX; i++)
		assert_int_equal(msp_buf_addf(&b, "Field%d: %d kB\n", i, i), 0);
	msp_error_init(&err);
	assert_int_equal(msp_meminfo_parse(msp_buf_str(&b), &mi, &err), MSP_EINVAL);
	assert_non_null(strstr(err.msg, "more than"));
	msp_buf_release(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_meminfo__kb_values_become_bytes),
		cmocka_unit_test(test_meminfo__lookup_is_exact),
		cmocka_unit_test(test_meminfo__recorded_files_parse_completely),
		cmocka_unit_test(test_meminfo__recorded_swap_values),
		cmocka_unit_test(test_meminfo__read_uses_proc_root),
		cmocka_unit_test(test_meminfo__malformed_input_is_an_error),
		cmocka_unit_test(test_meminfo__last_line_without_newline),
		cmocka_unit_test(test_meminfo__too_many_fields_is_an_error),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
