/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test_msp_buf.c - bounded buffers: the ceiling, truncation, lifecycle.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <setjmp.h>
#include <cmocka.h>

#include "msp.h"

static void test_buf__init_allocates_nothing(void **state)
{
	struct msp_buf b;

	(void)state;
	memset(&b, 0x5a, sizeof(b));
	msp_buf_init(&b, 100);
	assert_null(b.data);
	assert_int_equal(b.len, 0);
	assert_int_equal(b.cap, 0);
	assert_int_equal(b.max, 100);
	assert_false(b.truncated);
	assert_string_equal(msp_buf_str(&b), "");
	msp_buf_release(&b); /* release of a never-used buffer is fine */
}

static void test_buf__appends_keep_nul_termination(void **state)
{
	struct msp_buf b;

	(void)state;
	msp_buf_init(&b, 1024);
	assert_int_equal(msp_buf_adds(&b, "abc"), 0);
	assert_int_equal(msp_buf_addc(&b, '-'), 0);
	assert_int_equal(msp_buf_add(&b, "xyz", 2), 0);
	assert_int_equal(msp_buf_addf(&b, "%d/%s", 42, "z"), 0);
	assert_int_equal(msp_buf_adds(&b, ""), 0);
	assert_string_equal(msp_buf_str(&b), "abc-xy42/z");
	assert_int_equal(b.len, 10);
	assert_int_equal(b.data[b.len], '\0');
	assert_false(b.truncated);
	msp_buf_release(&b);
}

static void test_buf__binary_data_with_nul_bytes(void **state)
{
	struct msp_buf b;

	(void)state;
	msp_buf_init(&b, 16);
	assert_int_equal(msp_buf_add(&b, "a\0b", 3), 0);
	assert_int_equal(b.len, 3);
	assert_memory_equal(b.data, "a\0b", 4);
	msp_buf_release(&b);
}

static void test_buf__ceiling_stores_what_fits_and_marks_truncated(void **state)
{
	struct msp_buf b;

	(void)state;
	msp_buf_init(&b, 10);
	assert_int_equal(msp_buf_adds(&b, "hello"), 0);
	assert_int_equal(msp_buf_adds(&b, "world!!"), MSP_ETOOBIG);
	assert_true(b.truncated);
	assert_int_equal(b.len, 10);
	assert_string_equal(msp_buf_str(&b), "helloworld");
	assert_int_equal(msp_buf_addc(&b, 'x'), MSP_ETOOBIG);
	assert_int_equal(msp_buf_addf(&b, "%s", "more"), MSP_ETOOBIG);
	assert_int_equal(b.len, 10);
	assert_true(b.cap <= 11); /* never allocates past the ceiling */
	/* appending nothing to a full buffer is not an error */
	assert_int_equal(msp_buf_add(&b, "", 0), 0);
	msp_buf_release(&b);
}

static void test_buf__exactly_full_is_not_truncated(void **state)
{
	struct msp_buf b;

	(void)state;
	msp_buf_init(&b, 5);
	assert_int_equal(msp_buf_adds(&b, "12345"), 0);
	assert_false(b.truncated);
	assert_string_equal(msp_buf_str(&b), "12345");
	msp_buf_release(&b);
}

static void test_buf__zero_ceiling_holds_nothing(void **state)
{
	struct msp_buf b;

	(void)state;
	msp_buf_init(&b, 0);
	assert_int_equal(msp_buf_adds(&b, "x"), MSP_ETOOBIG);
	assert_true(b.truncated);
	assert_int_equal(b.len, 0);
	assert_string_equal(msp_buf_str(&b), "");
	msp_buf_release(&b);
}

static void test_buf__addf_longer_than_stack_buffer(void **state)
{
	struct msp_buf b;
	char big[5000];

	(void)state;
	memset(big, 'q', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	msp_buf_init(&b, 1 << 20);
	assert_int_equal(msp_buf_addf(&b, "[%s]", big), 0);
	assert_int_equal(b.len, 5000 + 1);
	assert_int_equal(b.data[0], '[');
	assert_int_equal(b.data[5000], ']');
	msp_buf_release(&b);
	/* and cut at the ceiling */
	msp_buf_init(&b, 300);
	assert_int_equal(msp_buf_addf(&b, "[%s]", big), MSP_ETOOBIG);
	assert_int_equal(b.len, 300);
	assert_true(b.truncated);
	msp_buf_release(&b);
}

static void test_buf__grows_to_large_sizes(void **state)
{
	struct msp_buf b;
	char chunk[1000];

	(void)state;
	memset(chunk, 'a', sizeof(chunk));
	msp_buf_init(&b, 2000000);
	for (int i = 0; i < 2000; i++)
		assert_int_equal(msp_buf_add(&b, chunk, sizeof(chunk)), 0);
	assert_int_equal(b.len, 2000000);
	assert_int_equal(msp_buf_addc(&b, 'z'), MSP_ETOOBIG);
	assert_int_equal(strlen(msp_buf_str(&b)), 2000000);
	msp_buf_release(&b);
}

static void test_buf__reset_keeps_memory_and_ceiling(void **state)
{
	struct msp_buf b;
	char *mem;

	(void)state;
	msp_buf_init(&b, 8);
	msp_buf_adds(&b, "123456789");
	assert_true(b.truncated);
	mem = b.data;
	msp_buf_reset(&b);
	assert_ptr_equal(b.data, mem);
	assert_int_equal(b.len, 0);
	assert_false(b.truncated);
	assert_int_equal(b.max, 8);
	assert_string_equal(msp_buf_str(&b), "");
	assert_int_equal(msp_buf_adds(&b, "ab"), 0);
	assert_string_equal(msp_buf_str(&b), "ab");
	msp_buf_release(&b);
}

static void test_buf__release_empties_and_allows_reuse(void **state)
{
	struct msp_buf b;

	(void)state;
	msp_buf_init(&b, 4);
	msp_buf_adds(&b, "abcdef");
	msp_buf_release(&b);
	assert_null(b.data);
	assert_int_equal(b.len, 0);
	assert_false(b.truncated);
	assert_int_equal(b.max, 4);
	assert_int_equal(msp_buf_adds(&b, "wxyz!"), MSP_ETOOBIG);
	assert_string_equal(msp_buf_str(&b), "wxyz");
	msp_buf_release(&b);
}

static void test_buf__detach_hands_over_the_string(void **state)
{
	struct msp_buf b;
	char *s;

	(void)state;
	msp_buf_init(&b, 100);
	msp_buf_adds(&b, "owned");
	s = msp_buf_detach(&b);
	assert_string_equal(s, "owned");
	assert_null(b.data);
	assert_int_equal(b.len, 0);
	assert_string_equal(msp_buf_str(&b), "");
	free(s);
	/* an empty buffer detaches as an allocated "" */
	s = msp_buf_detach(&b);
	assert_non_null(s);
	assert_string_equal(s, "");
	free(s);
	msp_buf_release(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_buf__init_allocates_nothing),
		cmocka_unit_test(test_buf__appends_keep_nul_termination),
		cmocka_unit_test(test_buf__binary_data_with_nul_bytes),
		cmocka_unit_test(test_buf__ceiling_stores_what_fits_and_marks_truncated),
		cmocka_unit_test(test_buf__exactly_full_is_not_truncated),
		cmocka_unit_test(test_buf__zero_ceiling_holds_nothing),
		cmocka_unit_test(test_buf__addf_longer_than_stack_buffer),
		cmocka_unit_test(test_buf__grows_to_large_sizes),
		cmocka_unit_test(test_buf__reset_keeps_memory_and_ceiling),
		cmocka_unit_test(test_buf__release_empties_and_allows_reuse),
		cmocka_unit_test(test_buf__detach_hands_over_the_string),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
