/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test_check_users.c - check_users' utmp parsing on files written with the C
 * library's pututxline() (tests/fixtures/check_users/README.md), evaluate
 * (states, summary, perfdata) and the option and finish callbacks.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <setjmp.h>
#include <cmocka.h>

#include "check_users.h"
#include "msp_test.h"

static struct check_users_sample parse_fixture(const char *name, int want)
{
	const char *top = getenv("top_srcdir");
	char path[1024];
	struct msp_buf b;
	struct msp_error err;
	struct check_users_sample s = { .users = -1, .records = -1 };

	snprintf(path, sizeof(path), "%s/tests/fixtures/check_users/%s", top && *top ? top : ".", name);
	msp_buf_init(&b, CHECK_USERS_UTMP_MAX);
	msp_error_init(&err);
	if (msp_file_read(path, CHECK_USERS_UTMP_MAX, &b, &err) < 0)
		fail_msg("fixture: %s (is top_srcdir set?)", err.msg);
	assert_int_equal(check_users_parse(b.data, b.len, &s, &err), want);
	msp_buf_release(&b);
	return s;
}

static int configure(struct check_users_config *cfg, const char *warn, const char *crit, struct msp_error *err)
{
	const char *args[5] = { NULL };
	int n = 0;

	if (warn) {
		args[n++] = "-w";
		args[n++] = warn;
	}
	if (crit) {
		args[n++] = "-c";
		args[n++] = crit;
	}
	return msp_test_configure(msp_test_plugin, cfg, sizeof(*cfg), args, err);
}

static char *evaluate(const char *warn, const char *crit, long users, bool missing, enum msp_state *st)
{
	struct check_users_config cfg;
	struct check_users_sample s = { users, users, missing };
	struct msp_result *root = msp_result_new();
	struct msp_error err;
	struct msp_buf b;

	if (configure(&cfg, warn, crit, &err) != 0)
		fail_msg("-w %s -c %s: %s", warn, crit, err.msg);
	assert_int_equal(check_users_evaluate(&cfg, &s, root), 0);
	*st = msp_result_state(root);
	msp_buf_init(&b, MSP_OUTPUT_MAX + 4096);
	assert_int_equal(msp_render(root, MSP_FORMAT_NAGIOS, "check_users", "USERS", &b), 0);
	msp_result_free(root);
	return msp_buf_detach(&b);
}

static enum msp_state state_of(const char *warn, const char *crit, long users)
{
	enum msp_state st;

	free(evaluate(warn, crit, users, false, &st));
	return st;
}

static void test_parse__counts_user_process_records_only(void **state)
{
	struct check_users_sample s;

	(void)state;
	/* boot, run level, LOGIN on tty1, alice pts/0, bob pts/1, alice pts/2, a dead pts/3 */
	s = parse_fixture("utmp_three_users.bin", 0);
	assert_int_equal(s.users, 3);
	assert_int_equal(s.records, 7);
	s = parse_fixture("utmp_no_users.bin", 0);
	assert_int_equal(s.users, 0);
	assert_int_equal(s.records, 4);
}

static void test_parse__truncated_file_is_an_error(void **state)
{
	struct check_users_sample s;

	(void)state;
	s = parse_fixture("utmp_truncated.bin", MSP_EINVAL);
	assert_int_equal(s.users, -1); /* untouched */
}

static void test_parse__empty_file_is_no_users(void **state)
{
	struct check_users_sample s = { 5, 5, false };
	struct msp_error err;

	(void)state;
	assert_int_equal(check_users_parse("", 0, &s, &err), 0);
	assert_int_equal(s.users, 0);
}

static void test_evaluate__summary_and_perfdata(void **state)
{
	enum msp_state st;
	char *out;

	(void)state;
	out = evaluate("2", "5", 3, false, &st);
	assert_int_equal(st, MSP_STATE_WARNING);
	assert_string_equal(out, "USERS WARNING - 3 users currently logged in | users=3;2;5;0\n");
	free(out);
	out = evaluate("1:", "0:50", 0, true, &st);
	assert_int_equal(st, MSP_STATE_WARNING);
	assert_string_equal(out, "USERS WARNING - 0 users currently logged in | users=0;1:;50;0\n"
				 "'/var/run/utmp' does not exist: no login is recorded\n");
	free(out);
}

static void test_evaluate__ranges(void **state)
{
	(void)state;
	assert_int_equal(state_of("5", "10", 5), MSP_STATE_OK);
	assert_int_equal(state_of("5", "10", 6), MSP_STATE_WARNING);
	assert_int_equal(state_of("5", "10", 11), MSP_STATE_CRITICAL);
	assert_int_equal(state_of("@0:5", "10", 0), MSP_STATE_WARNING);
	assert_int_equal(state_of("0", "0", 1), MSP_STATE_CRITICAL);
	assert_int_equal(state_of(NULL, "2", 3), MSP_STATE_CRITICAL);
	assert_int_equal(state_of("2", NULL, 3), MSP_STATE_WARNING);
	/* critical before warning, also when warning is above critical (the reference accepts that) */
	assert_int_equal(state_of("10", "5", 7), MSP_STATE_CRITICAL);
}

static void test_options__errors(void **state)
{
	struct check_users_config cfg;
	struct msp_error err;

	(void)state;
	assert_int_equal(configure(&cfg, NULL, NULL, &err), MSP_EINVAL);
	assert_non_null(strstr(err.msg, "missing thresholds"));
	assert_int_equal(configure(&cfg, "abc", "10", &err), MSP_EINVAL);
	assert_int_equal(configure(&cfg, "5", "10:5", &err), MSP_EINVAL);
	assert_int_equal(configure(&cfg, "5", "10", &err), 0);
	assert_string_equal(cfg.utmp, "/var/run/utmp");
	assert_false(cfg.utmp_given);
	assert_int_equal(msp_test_configure(msp_test_plugin, &cfg, sizeof(cfg), MSP_ARGS("-w", "5", "stray"), &err),
			 MSP_EINVAL);
	assert_string_equal(err.msg, "unexpected argument 'stray'");
}

/* The whole run with --utmp value (NULL: not given): the state, the output in out. */
static enum msp_state check_with_utmp(const char *value, char *out, size_t len)
{
	struct check_users_config cfg;
	enum msp_state st;
	char *o = msp_test_run(msp_test_plugin, &cfg, sizeof(cfg),
			       value ? MSP_ARGS("-w", "5", "-c", "10", "--utmp", value) : MSP_ARGS("-w", "5", "-c", "10"),
			       MSP_FORMAT_NAGIOS, &st);

	snprintf(out, len, "%s", o);
	free(o);
	return st;
}

/* A file given with --utmp that does not exist is a mistake, not "no logins recorded". */
static void test_check__given_utmp_that_is_missing_is_unknown(void **state)
{
	char out[1024];

	(void)state;
	assert_int_equal(check_with_utmp("/nonexistent/msp-utmp", out, sizeof(out)), MSP_STATE_UNKNOWN);
	assert_string_equal(out, "USERS UNKNOWN - utmp file '/nonexistent/msp-utmp' (--utmp) does not exist\n");
	/* an empty value (Debian command files pass '') means not given: the default path */
	check_with_utmp("", out, sizeof(out));
	assert_null(strstr(out, "''"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse__counts_user_process_records_only),
		cmocka_unit_test(test_parse__truncated_file_is_an_error),
		cmocka_unit_test(test_parse__empty_file_is_no_users),
		cmocka_unit_test(test_evaluate__summary_and_perfdata),
		cmocka_unit_test(test_evaluate__ranges),
		cmocka_unit_test(test_options__errors),
		cmocka_unit_test(test_check__given_utmp_that_is_missing_is_unknown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
