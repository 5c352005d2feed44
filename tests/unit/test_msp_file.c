/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test_msp_file.c - bounded reads of small local files, /proc included.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <setjmp.h>
#include <cmocka.h>

#include "msp.h"

static char g_dir[256];
static char g_path[512];

static int setup(void **state)
{
	const char *tmp = getenv("TMPDIR");

	(void)state;
	snprintf(g_dir, sizeof(g_dir), "%s/msp-file-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(g_dir))
		return -1;
	snprintf(g_path, sizeof(g_path), "%s/data", g_dir);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	unlink(g_path);
	return rmdir(g_dir);
}

/* Write n bytes of pattern (repeated) to g_path. */
static void write_data(const char *pattern, size_t n)
{
	FILE *f = fopen(g_path, "w");
	size_t plen = strlen(pattern);

	assert_non_null(f);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(fputc(pattern[i % plen], f), (unsigned char)pattern[i % plen]);
	assert_int_equal(fclose(f), 0);
}

static void test_file__reads_whole_small_file(void **state)
{
	struct msp_buf b;
	struct msp_error err;

	(void)state;
	write_data("0.72 0.26 0.09 1/79 6208\n", 25);
	msp_buf_init(&b, 4096);
	msp_error_init(&err);
	assert_int_equal(msp_file_read(g_path, 4096, &b, &err), 0);
	assert_string_equal(msp_buf_str(&b), "0.72 0.26 0.09 1/79 6208\n");
	assert_false(b.truncated);
	msp_buf_release(&b);
}

static void test_file__appends_to_buffer(void **state)
{
	struct msp_buf b;

	(void)state;
	write_data("tail", 4);
	msp_buf_init(&b, 4096);
	msp_buf_adds(&b, "head-");
	assert_int_equal(msp_file_read(g_path, 100, &b, NULL), 0);
	assert_string_equal(msp_buf_str(&b), "head-tail");
	msp_buf_release(&b);
}

static void test_file__reads_proc_files_without_size(void **state)
{
	struct msp_buf b;
	struct stat st;
	double load = -1;

	(void)state;
	assert_int_equal(stat("/proc/loadavg", &st), 0);
	assert_int_equal(st.st_size, 0); /* why st_size cannot be trusted */
	msp_buf_init(&b, 4096);
	assert_int_equal(msp_file_read("/proc/loadavg", 4096, &b, NULL), 0);
	assert_true(b.len > 10);
	assert_int_equal(b.data[b.len - 1], '\n');
	b.data[strcspn(b.data, " ")] = '\0';
	assert_int_equal(msp_num_double(b.data, &load), 0);
	assert_true(load >= 0);
	msp_buf_release(&b);
}

static void test_file__empty_file_reads_as_empty(void **state)
{
	struct msp_buf b;

	(void)state;
	write_data("x", 0);
	msp_buf_init(&b, 4096);
	assert_int_equal(msp_file_read(g_path, 4096, &b, NULL), 0);
	assert_int_equal(b.len, 0);
	assert_string_equal(msp_buf_str(&b), "");
	msp_buf_release(&b);
}

static void test_file__missing_file_is_enoent(void **state)
{
	struct msp_buf b;
	struct msp_error err;
	char path[600];

	(void)state;
	snprintf(path, sizeof(path), "%s/no-such-file", g_dir);
	msp_buf_init(&b, 4096);
	msp_error_init(&err);
	assert_int_equal(msp_file_read(path, 4096, &b, &err), MSP_ENOENT);
	assert_int_equal(err.code, MSP_ENOENT);
	assert_true(strstr(err.msg, path) == err.msg + strlen("cannot open '"));
	assert_non_null(strstr(err.msg, "no such file"));
	assert_int_equal(b.len, 0);
	msp_buf_release(&b);
}

static void test_file__directory_is_a_system_error(void **state)
{
	struct msp_buf b;
	struct msp_error err;

	(void)state;
	msp_buf_init(&b, 4096);
	msp_error_init(&err);
	assert_int_equal(msp_file_read(g_dir, 4096, &b, &err), MSP_ESYS);
	assert_non_null(strstr(err.msg, g_dir));
	assert_non_null(strstr(err.msg, "Is a directory"));
	msp_buf_release(&b);
}

static void test_file__unreadable_file_is_a_system_error(void **state)
{
	struct msp_buf b;
	struct msp_error err;

	(void)state;
	if (geteuid() == 0)
		skip(); /* root reads anything */
	write_data("secret", 6);
	assert_int_equal(chmod(g_path, 0), 0);
	msp_buf_init(&b, 4096);
	msp_error_init(&err);
	assert_int_equal(msp_file_read(g_path, 4096, &b, &err), MSP_ESYS);
	assert_non_null(strstr(err.msg, "Permission denied"));
	msp_buf_release(&b);
}

static void test_file__longer_than_max_keeps_max_bytes(void **state)
{
	struct msp_buf b;
	struct msp_error err;
	char want[64];

	(void)state;
	write_data("0123456789", 20000);
	msp_buf_init(&b, 1 << 20);
	msp_error_init(&err);
	assert_int_equal(msp_file_read(g_path, 10005, &b, &err), MSP_ETOOBIG);
	assert_int_equal(b.len, 10005);
	assert_int_equal(b.data[10004], '4');
	snprintf(want, sizeof(want), "is larger than %d bytes", 10005);
	assert_non_null(strstr(err.msg, want));
	msp_buf_release(&b);
	/* max 0: nothing stored */
	msp_buf_init(&b, 100);
	assert_int_equal(msp_file_read(g_path, 0, &b, NULL), MSP_ETOOBIG);
	assert_int_equal(b.len, 0);
	msp_buf_release(&b);
}

static void test_file__exactly_max_bytes_is_fine(void **state)
{
	struct msp_buf b;

	(void)state;
	write_data("ab", 8192);
	msp_buf_init(&b, 1 << 20);
	assert_int_equal(msp_file_read(g_path, 8192, &b, NULL), 0);
	assert_int_equal(b.len, 8192);
	msp_buf_release(&b);
}

static void test_file__buffer_ceiling_below_max_is_too_big(void **state)
{
	struct msp_buf b;
	struct msp_error err;

	(void)state;
	write_data("z", 100);
	msp_buf_init(&b, 10);
	msp_error_init(&err);
	assert_int_equal(msp_file_read(g_path, 1000, &b, &err), MSP_ETOOBIG);
	assert_int_equal(b.len, 10);
	assert_true(b.truncated);
	msp_buf_release(&b);
}

static void test_file__large_file_read_in_many_chunks(void **state)
{
	struct msp_buf b;

	(void)state;
	write_data("abcdefghijklmnopqrstuvwxyz", 1000000);
	msp_buf_init(&b, 2000000);
	assert_int_equal(msp_file_read(g_path, 2000000, &b, NULL), 0);
	assert_int_equal(b.len, 1000000);
	for (size_t i = 0; i < b.len; i += 99991)
		assert_int_equal(b.data[i], 'a' + (int)(i % 26));
	msp_buf_release(&b);
}

/* NUL runs (a crash in an append-only log) end a line or vanish at its start; what follows is kept. */
static void test_file__skip_nuls_keeps_what_follows(void **state)
{
	static const struct {
		const char *in, *out;
		size_t len, runs;
	} cases[] = {
		{ "a\n\0\0\0b\n", "a\nb\n", 7, 1 },
		{ "a\0\0b\n", "a\nb\n", 5, 1 },
		{ "\0\0ok\n", "ok\n", 5, 1 },
		{ "a\0b\0\0\0c", "a\nb\nc", 7, 2 },
		{ "x\n\0\0", "x\n", 4, 1 },
		{ "\0\0\0", "", 3, 1 },
		{ "plain\n", "plain\n", 6, 0 },
	};
	char buf[32];

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		size_t runs = 99, n;

		memcpy(buf, cases[i].in, cases[i].len);
		n = msp_file_skip_nuls(buf, cases[i].len, &runs);
		assert_int_equal(n, strlen(cases[i].out));
		assert_string_equal(buf, cases[i].out);
		assert_int_equal(runs, cases[i].runs);
	}
	assert_int_equal(msp_file_skip_nuls(buf, 0, NULL), 0);
	assert_string_equal(buf, "");
}

/* A FIFO (with or without a writer), a character device: refused at once, never waited on. */
static void test_file__non_regular_files_are_refused_without_waiting(void **state)
{
	char fifo[600];
	const char *const paths[] = { fifo, "/dev/null", "/dev/zero" };
	struct msp_buf b;
	struct msp_error err;
	int keep;

	(void)state;
	snprintf(fifo, sizeof(fifo), "%s/fifo", g_dir);
	assert_int_equal(mkfifo(fifo, 0600), 0);
	alarm(5); /* a blocking open or read ends the test program instead of hanging it */
	for (int writer = 0; writer < 2; writer++) {
		keep = writer ? open(fifo, O_RDWR | O_CLOEXEC) : -1; /* a writer that never writes */
		for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
			msp_buf_init(&b, 4096);
			msp_error_init(&err);
			assert_int_equal(msp_file_read(paths[i], 4096, &b, &err), MSP_EINVAL);
			assert_non_null(strstr(err.msg, "not a regular file"));
			assert_non_null(strstr(err.msg, paths[i]));
			assert_int_equal(b.len, 0);
			msp_buf_release(&b);
		}
		if (keep >= 0)
			close(keep);
	}
	alarm(0);
	unlink(fifo);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_file__skip_nuls_keeps_what_follows),
		cmocka_unit_test_setup_teardown(test_file__reads_whole_small_file, setup, teardown),
		cmocka_unit_test_setup_teardown(test_file__appends_to_buffer, setup, teardown),
		cmocka_unit_test_setup_teardown(test_file__reads_proc_files_without_size, setup, teardown),
		cmocka_unit_test_setup_teardown(test_file__empty_file_reads_as_empty, setup, teardown),
		cmocka_unit_test_setup_teardown(test_file__missing_file_is_enoent, setup, teardown),
		cmocka_unit_test_setup_teardown(test_file__directory_is_a_system_error, setup, teardown),
		cmocka_unit_test_setup_teardown(test_file__non_regular_files_are_refused_without_waiting, setup, teardown),
		cmocka_unit_test_setup_teardown(test_file__unreadable_file_is_a_system_error, setup, teardown),
		cmocka_unit_test_setup_teardown(test_file__longer_than_max_keeps_max_bytes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_file__exactly_max_bytes_is_fine, setup, teardown),
		cmocka_unit_test_setup_teardown(test_file__buffer_ceiling_below_max_is_too_big, setup, teardown),
		cmocka_unit_test_setup_teardown(test_file__large_file_read_in_many_chunks, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
