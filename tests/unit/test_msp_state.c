/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test_msp_state.c - state names, exit codes, the severity ranking and
 * parsing of state names.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <setjmp.h>
#include <cmocka.h>

#include "msp.h"

static void test_state__values_are_nagios_exit_codes(void **state)
{
	(void)state;
	assert_int_equal(MSP_STATE_OK, 0);
	assert_int_equal(MSP_STATE_WARNING, 1);
	assert_int_equal(MSP_STATE_CRITICAL, 2);
	assert_int_equal(MSP_STATE_UNKNOWN, 3);
}

static void test_state__names(void **state)
{
	(void)state;
	assert_string_equal(msp_state_name(MSP_STATE_OK), "OK");
	assert_string_equal(msp_state_name(MSP_STATE_WARNING), "WARNING");
	assert_string_equal(msp_state_name(MSP_STATE_CRITICAL), "CRITICAL");
	assert_string_equal(msp_state_name(MSP_STATE_UNKNOWN), "UNKNOWN");
	assert_string_equal(msp_state_name((enum msp_state)7), "UNKNOWN");
	assert_string_equal(msp_state_name((enum msp_state) - 1), "UNKNOWN");
}

static void test_state__unknown_ranks_between_warning_and_critical(void **state)
{
	(void)state;
	assert_int_equal(msp_state_rank(MSP_STATE_OK), 0);
	assert_int_equal(msp_state_rank(MSP_STATE_WARNING), 1);
	assert_int_equal(msp_state_rank(MSP_STATE_UNKNOWN), 2);
	assert_int_equal(msp_state_rank(MSP_STATE_CRITICAL), 3);
	/* out of range ranks as UNKNOWN: never better than a warning */
	assert_int_equal(msp_state_rank((enum msp_state)9), 2);
}

static void test_state__worst_is_symmetric_and_follows_rank(void **state)
{
	static const enum msp_state all[] = { MSP_STATE_OK, MSP_STATE_WARNING, MSP_STATE_UNKNOWN, MSP_STATE_CRITICAL };
	/* want[i][j] for all[i], all[j] in rank order */
	static const enum msp_state want[4][4] = {
		{ MSP_STATE_OK, MSP_STATE_WARNING, MSP_STATE_UNKNOWN, MSP_STATE_CRITICAL },
		{ MSP_STATE_WARNING, MSP_STATE_WARNING, MSP_STATE_UNKNOWN, MSP_STATE_CRITICAL },
		{ MSP_STATE_UNKNOWN, MSP_STATE_UNKNOWN, MSP_STATE_UNKNOWN, MSP_STATE_CRITICAL },
		{ MSP_STATE_CRITICAL, MSP_STATE_CRITICAL, MSP_STATE_CRITICAL, MSP_STATE_CRITICAL },
	};

	(void)state;
	for (int i = 0; i < 4; i++)
		for (int j = 0; j < 4; j++)
			if (msp_state_worst(all[i], all[j]) != want[i][j])
				fail_msg("worst(%s, %s) = %s, expected %s", msp_state_name(all[i]),
					 msp_state_name(all[j]), msp_state_name(msp_state_worst(all[i], all[j])),
					 msp_state_name(want[i][j]));
}

static void test_state__parse_names_and_numbers(void **state)
{
	static const struct {
		const char *text;
		enum msp_state want;
	} ok[] = {
		{ "ok", MSP_STATE_OK },
		{ "OK", MSP_STATE_OK },
		{ "Ok", MSP_STATE_OK },
		{ "0", MSP_STATE_OK },
		{ "warning", MSP_STATE_WARNING },
		{ "WARNING", MSP_STATE_WARNING },
		{ "warn", MSP_STATE_WARNING },
		{ "1", MSP_STATE_WARNING },
		{ "critical", MSP_STATE_CRITICAL },
		{ "CRIT", MSP_STATE_CRITICAL },
		{ "2", MSP_STATE_CRITICAL },
		{ "unknown", MSP_STATE_UNKNOWN },
		{ "Unknown", MSP_STATE_UNKNOWN },
		{ "3", MSP_STATE_UNKNOWN },
	};
	static const char *const bad[] = { "", "4", "-1", "okay", " ok", "ok ", "warnings", "crit2", "00", "unk", "w" };

	(void)state;
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		enum msp_state s = (enum msp_state)99;

		if (msp_state_parse(ok[i].text, &s, NULL) != 0 || s != ok[i].want)
			fail_msg("'%s' not parsed as %s", ok[i].text, msp_state_name(ok[i].want));
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		enum msp_state s = (enum msp_state)99;
		struct msp_error err;
		char want[128];

		msp_error_init(&err);
		if (msp_state_parse(bad[i], &s, &err) != MSP_EINVAL)
			fail_msg("'%s' accepted as a state", bad[i]);
		assert_int_equal(s, 99);
		snprintf(want, sizeof(want), "state '%s' is not OK, WARNING, CRITICAL or UNKNOWN", bad[i]);
		assert_string_equal(err.msg, want);
		assert_int_equal(err.code, MSP_EINVAL);
	}
	assert_int_equal(msp_state_parse(NULL, NULL, NULL), MSP_EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_state__values_are_nagios_exit_codes),
		cmocka_unit_test(test_state__names),
		cmocka_unit_test(test_state__unknown_ranks_between_warning_and_critical),
		cmocka_unit_test(test_state__worst_is_symmetric_and_follows_rank),
		cmocka_unit_test(test_state__parse_names_and_numbers),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
