/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test_check_users.c - check_users run whole (real option parser, finish,
 * check, nagios rendering) on utmp files written with the C library's
 * pututxline() (tests/fixtures/check_users/README.md): states, summaries,
 * perfdata, ranges and usage errors, one table row each.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <unistd.h>
#include <setjmp.h>
#include <cmocka.h>

#include "check_users.h"
#include "msp_test.h"

#define THREE "tests/fixtures/check_users/utmp_three_users.bin" /* alice twice, bob; LOGIN, dead and boot records */
#define NONE "tests/fixtures/check_users/utmp_no_users.bin"

static void test_users__runs(void **state)
{
	static const struct msp_test_case rows[] = {
		{ { "-w", "2", "-c", "5", "--utmp", THREE }, MSP_STATE_WARNING,
		  "^USERS WARNING - 3 users currently logged in \\|users=3;2;5;0$" },
		{ { "-w", "5", "-c", "10", "--utmp", THREE }, MSP_STATE_OK, "^USERS OK - 3 users currently logged in " },
		{ { "-c", "2", "--utmp", THREE }, MSP_STATE_CRITICAL, "users=3;;2;0$" },
		{ { "-w", "2", "--utmp", THREE }, MSP_STATE_WARNING, "users=3;2;;0$" },
		{ { "-w", "@0:5", "-c", "10", "--utmp", NONE }, MSP_STATE_WARNING, "^USERS WARNING - 0 users " },
		{ { "-w", "1:", "-c", "0:50", "--utmp", NONE }, MSP_STATE_WARNING, "users=0;1:;50;0$" },
		/* critical first, also when warning is above critical (the reference accepts it) */
		{ { "-w", "10", "-c", "2", "--utmp", THREE }, MSP_STATE_CRITICAL, NULL },
		/* '' is "not given": the default file */
		{ { "-w", "100000", "--utmp", "" }, MSP_STATE_OK, "^USERS OK - [0-9]+ users currently" },
		{ { "-w", "5", "--utmp", "tests/fixtures/check_users/utmp_truncated.bin" }, MSP_STATE_UNKNOWN,
		  "^USERS UNKNOWN - utmp is [0-9]+ bytes, not a whole number of [0-9]+-byte records$" },
		{ { "-w", "5", "--utmp", "/nonexistent/msp-utmp" }, MSP_STATE_UNKNOWN,
		  "^USERS UNKNOWN - utmp file '/nonexistent/msp-utmp' \\(--utmp\\) does not exist$" },
		{ { "--utmp", THREE }, MSP_STATE_UNKNOWN, "^USERS UNKNOWN - missing thresholds: give -w and/or -c$" },
		{ { "-w", "abc" }, MSP_STATE_UNKNOWN, "^USERS UNKNOWN - --warning: " },
		{ { "-w", "5", "-c", "10:5" }, MSP_STATE_UNKNOWN, "^USERS UNKNOWN - --critical: " },
		{ { "-w", "5", "stray" }, MSP_STATE_UNKNOWN, "^USERS UNKNOWN - unexpected argument 'stray'$" },
	};
	struct check_users_config cfg;

	(void)state;
	msp_test_cases(msp_test_plugin, &cfg, sizeof(cfg), rows, sizeof(rows) / sizeof(rows[0]));
}

/* A missing default utmp means nothing records logins here (containers): 0 users, with a note (long output). */
static void test_users__missing_default_file_is_no_logins(void **state)
{
	struct check_users_config cfg;
	struct check_users_sample s = { .missing = true };
	struct msp_result *root = msp_result_new();
	char *out;

	(void)state;
	msp_test_configure_ok(msp_test_plugin, &cfg, sizeof(cfg), MSP_ARGS("-w", "1:"));
	assert_int_equal(check_users_evaluate(&cfg, &s, root), 0);
	out = msp_test_render(msp_test_plugin, root, MSP_FORMAT_MULTILINE);
	assert_string_equal(out, "[WARNING] - 0 users currently logged in\n"
				 "\t\\_ '/var/run/utmp' does not exist: no login is recorded\n"
				 "|users=0;1:;;0\n");
	free(out);
	msp_result_free(root);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_users__runs),
		cmocka_unit_test(test_users__missing_default_file_is_no_logins),
	};

	if (getenv("top_srcdir") && chdir(getenv("top_srcdir")) != 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
