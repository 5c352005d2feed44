/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test_msp_error.c - error records: codes, messages, errno text, truncation.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <setjmp.h>
#include <cmocka.h>

#include "msp.h"

static void test_error__init_clears(void **state)
{
	struct msp_error err;

	(void)state;
	memset(&err, 'x', sizeof(err));
	msp_error_init(&err);
	assert_int_equal(err.code, 0);
	assert_string_equal(err.msg, "");
}

static void test_error__set_returns_code_and_formats(void **state)
{
	struct msp_error err;

	(void)state;
	msp_error_init(&err);
	assert_int_equal(msp_error_set(&err, MSP_EINVAL, "cannot parse '%s': %d", "10:5", 42), MSP_EINVAL);
	assert_int_equal(err.code, MSP_EINVAL);
	assert_string_equal(err.msg, "cannot parse '10:5': 42");
	/* a later error replaces the earlier one */
	assert_int_equal(msp_error_set(&err, MSP_ENOMEM, "out of memory"), MSP_ENOMEM);
	assert_string_equal(err.msg, "out of memory");
}

static void test_error__null_record_still_returns_code(void **state)
{
	(void)state;
	assert_int_equal(msp_error_set(NULL, MSP_ETOOBIG, "ignored %d", 1), MSP_ETOOBIG);
	assert_int_equal(msp_error_errno(NULL, ENOENT, "ignored"), MSP_ESYS);
}

static void test_error__errno_appends_strerror(void **state)
{
	struct msp_error err;
	char want[MSP_ERROR_MAX];

	(void)state;
	msp_error_init(&err);
	assert_int_equal(msp_error_errno(&err, ENOENT, "cannot open '%s'", "/x"), MSP_ESYS);
	assert_int_equal(err.code, MSP_ESYS);
	snprintf(want, sizeof(want), "cannot open '/x': %s", strerror(ENOENT));
	assert_string_equal(err.msg, want);
}

static void test_error__long_message_truncated_and_terminated(void **state)
{
	struct msp_error err;
	char big[3 * MSP_ERROR_MAX];

	(void)state;
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	msp_error_set(&err, MSP_EINVAL, "%s", big);
	assert_int_equal(strlen(err.msg), MSP_ERROR_MAX - 1);
	msp_error_errno(&err, EACCES, "%s", big);
	assert_int_equal(strlen(err.msg), MSP_ERROR_MAX - 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_error__init_clears),
		cmocka_unit_test(test_error__set_returns_code_and_formats),
		cmocka_unit_test(test_error__null_record_still_returns_code),
		cmocka_unit_test(test_error__errno_appends_strerror),
		cmocka_unit_test(test_error__long_message_truncated_and_terminated),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
