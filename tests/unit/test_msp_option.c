/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test_msp_option.c - the typed option table through the runner's own
 * parser (msp_parse via the test harness): every entry type, the empty-
 * argument rule, defaults and "given" flags, positional arguments, the
 * warning/critical order check, and what --help makes of the table.
 */
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <setjmp.h>
#include <cmocka.h>

#include "msp.h"
#include "../helpers/msp_test.h"

enum { MODE_FAST = 1, MODE_SLOW = 2 };

struct cfg {
	const char *host;
	const char *expect;
	const char *name;
	bool flag;
	bool host_given;
	int family;
	int verbose;
	long count;
	unsigned port;
	double ratio;
	double age;
	double size;
	struct msp_threshold th;
	enum msp_state missing_state;
	int mode;
	struct msp_list tags;
	struct msp_list items;
	const char *pos;
	int callback_calls;
};

static const struct msp_choice modes[] = { { "fast", MODE_FAST }, { "slow", MODE_SLOW }, { NULL, 0 } };

#define MSP_CFG struct cfg
static const struct msp_option options[] = {
	MSP_STRING('H', "host", host, "HOST", "Host", .given = MSP_GIVEN(host_given), .def = "localhost"),
	MSP_STRING('e', "expect", expect, "TEXT", "Expected text ('' expects nothing)", .flags = MSP_OPTF_EMPTY_OK),
	MSP_STRING('n', "name", name, "NAME", "A name that may not be empty", .flags = MSP_OPTF_EMPTY_ERROR),
	MSP_BOOL('f', "flag", flag, "A flag"),
	MSP_SET('4', NULL, family, 4, "IPv4"),
	MSP_SET('6', NULL, family, 6, "IPv6"),
	MSP_COUNT('d', "debug", verbose, "More detail"),
	MSP_INT('k', "count", count, "N", -5, 100, "A count"),
	MSP_UINT('p', "port", port, "PORT", 1, 65535, "A port", .def = "443"),
	MSP_DOUBLE('r', "ratio", ratio, "R", 0, 1, "A ratio"),
	MSP_DURATION('a', "max-age", age, "AGE", "An age", .def = "1d"),
	MSP_SIZE('s', "min-size", size, "SIZE", "A size"),
	MSP_WARN('w', "warning", th, "RANGE", MSP_UNIT_DURATION, "Warning"),
	MSP_CRIT('c', "critical", th, "RANGE", MSP_UNIT_DURATION, "Critical", .flags = MSP_OPTF_ORDERED),
	MSP_STATE(0, "missing", missing_state, "STATE", "State when missing", .def = "critical"),
	MSP_CHOICE('m', "mode", mode, "MODE", modes, "Mode"),
	MSP_LIST('t', "tag", tags, "TAG", "A tag (repeatable)"),
	MSP_LIST('i', "items", items, "A,B", "Items", .flags = MSP_OPTF_SPLIT),
	MSP_CALLBACK(7, 'x', "extra", MSP_ARG_REQUIRED, "X", "Handled by the callback"),
	MSP_OPTION_END,
};
static const struct msp_option positional = MSP_STRING(0, NULL, pos, "ARG", NULL);

static int test_callback(void *vcfg, int id, const char *arg, struct msp_error *err)
{
	struct cfg *c = vcfg;

	if (id != 7)
		return msp_error_set(err, MSP_EINVAL, "wrong id %d", id);
	c->callback_calls++;
	return strcmp(arg, "bad") == 0 ? msp_error_set(err, MSP_EINVAL, "extra '%s' is bad", arg) : 0;
}

static int test_check(void *vcfg, const struct msp_context *ctx, struct msp_result *root, struct msp_error *err)
{
	(void)vcfg;
	(void)ctx;
	(void)err;
	msp_result_set_state(root, MSP_STATE_OK);
	return msp_result_set_text(root, "fine");
}

static const struct msp_plugin plugin = {
	.name = "check_opt",
	.service = "OPT",
	.options = options,
	.option = test_callback,
	.check = test_check,
};

static const struct msp_plugin plugin_positional = {
	.name = "check_opt",
	.service = "OPT",
	.options = options,
	.positional = &positional,
	.option = test_callback,
	.check = test_check,
};

static const struct msp_plugin plugin_hint = {
	.name = "check_opt",
	.service = "OPT",
	.options = options,
	.positional_hint = "give the host with -H",
	.option = test_callback,
	.check = test_check,
};

static int parse(struct cfg *c, const char *const *args, struct msp_error *err)
{
	return msp_test_configure(&plugin, c, sizeof(*c), args, err);
}

/* The message of a failed parse (fails the test when it succeeds). */
static const char *parse_error(const char *const *args)
{
	static struct msp_error err;
	struct cfg c;

	if (parse(&c, args, &err) >= 0)
		fail_msg("%s %s...: parsed, want an error", args[0], args[1] ? args[1] : "");
	return err.msg;
}

static void test_option__every_type_writes_its_field(void **state)
{
	struct cfg c;

	(void)state;
	msp_test_configure_ok(&plugin, &c, sizeof(c),
			      MSP_ARGS("-H", "db1", "--expect=ready", "-f", "-6", "-dd", "--debug", "-k", "-5", "-p",
				       "8080", "-r", "0.25", "-a", "26h", "-s", "1MiB", "-w", "2h", "-c", "1d",
				       "--missing", "warning", "-m", "SLOW", "-t", "a", "--tag", "b", "-i", "x,,y",
				       "-x", "good"));
	assert_string_equal(c.host, "db1");
	assert_true(c.host_given);
	assert_string_equal(c.expect, "ready");
	assert_true(c.flag);
	assert_int_equal(c.family, 6);
	assert_int_equal(c.verbose, 3);
	assert_int_equal(c.count, -5);
	assert_int_equal(c.port, 8080);
	assert_true(fabs(c.ratio - 0.25) < 1e-9);
	assert_true(fabs(c.age - 26 * 3600.0) < 1e-6);
	assert_true(fabs(c.size - 1048576.0) < 1e-6);
	assert_true(c.th.has_warn && c.th.has_crit);
	assert_true(fabs(c.th.warn.end - 7200.0) < 1e-6);
	assert_true(fabs(c.th.crit.end - 86400.0) < 1e-6);
	assert_int_equal(c.missing_state, MSP_STATE_WARNING);
	assert_int_equal(c.mode, MODE_SLOW);
	assert_int_equal(c.tags.count, 2);
	assert_string_equal(c.tags.items[0], "a");
	assert_string_equal(c.tags.items[1], "b");
	assert_null(c.tags.items[2]);
	assert_int_equal(c.items.count, 2);
	assert_string_equal(c.items.items[1], "y");
	assert_int_equal(c.callback_calls, 1);
	msp_list_release(&c.tags);
	msp_list_release(&c.items);
}

static void test_option__defaults_apply_only_when_not_given(void **state)
{
	struct cfg c;

	(void)state;
	msp_test_configure_ok(&plugin, &c, sizeof(c), MSP_ARGS("-f"));
	assert_string_equal(c.host, "localhost");
	assert_false(c.host_given); /* a default is not "given" */
	assert_int_equal(c.port, 443);
	assert_true(fabs(c.age - 86400.0) < 1e-6);
	assert_int_equal(c.missing_state, MSP_STATE_CRITICAL);
	assert_false(c.th.has_warn);
	msp_test_configure_ok(&plugin, &c, sizeof(c), MSP_ARGS("-p", "22", "--missing=ok"));
	assert_int_equal(c.port, 22);
	assert_int_equal(c.missing_state, MSP_STATE_OK);
}

static void test_option__empty_argument_rule(void **state)
{
	struct cfg c;

	(void)state;
	/* '' is "not given": the default applies, the flag stays unset */
	msp_test_configure_ok(&plugin, &c, sizeof(c), MSP_ARGS("-H", "", "-p", "", "-w", "", "-t", ""));
	assert_string_equal(c.host, "localhost");
	assert_false(c.host_given);
	assert_int_equal(c.port, 443);
	assert_false(c.th.has_warn);
	assert_int_equal(c.tags.count, 0);
	/* MSP_OPTF_EMPTY_OK: '' is a value */
	msp_test_configure_ok(&plugin, &c, sizeof(c), MSP_ARGS("-e", ""));
	assert_non_null(c.expect);
	assert_string_equal(c.expect, "");
	/* MSP_OPTF_EMPTY_ERROR */
	assert_string_equal(parse_error(MSP_ARGS("-n", "")), "option '--name' is empty");
	/* a callback entry gets '' as it is */
	msp_test_configure_ok(&plugin, &c, sizeof(c), MSP_ARGS("-x", ""));
	assert_int_equal(c.callback_calls, 1);
}

static void test_option__bad_values_name_the_option(void **state)
{
	(void)state;
	assert_string_equal(parse_error(MSP_ARGS("-p", "0")), "--port '0' is not a whole number from 1 to 65535");
	assert_string_equal(parse_error(MSP_ARGS("-p", "80x")), "--port '80x' is not a whole number from 1 to 65535");
	assert_string_equal(parse_error(MSP_ARGS("-k", "101")), "--count '101' is not a whole number from -5 to 100");
	assert_string_equal(parse_error(MSP_ARGS("-r", "1.5")), "--ratio '1.5' is not a number from 0 to 1");
	assert_string_equal(parse_error(MSP_ARGS("-r", "nan")), "--ratio 'nan' is not a number from 0 to 1");
	assert_string_equal(parse_error(MSP_ARGS("-a", "-5m")), "--max-age '-5m' is not a duration (90s, 15m, 2h, 7d)");
	assert_string_equal(parse_error(MSP_ARGS("-s", "lots")), "--min-size 'lots' is not a size (500MB, 2GiB)");
	assert_string_equal(parse_error(MSP_ARGS("--missing", "bad")),
			    "--missing 'bad' is not OK, WARNING, CRITICAL or UNKNOWN");
	assert_string_equal(parse_error(MSP_ARGS("-m", "medium")), "--mode 'medium' is not fast or slow");
	assert_non_null(strstr(parse_error(MSP_ARGS("-w", "5x")), "--warning: "));
	assert_string_equal(parse_error(MSP_ARGS("-x", "bad")), "extra 'bad' is bad");
	assert_string_equal(parse_error(MSP_ARGS("--bogus")), "unknown option '--bogus'");
	assert_string_equal(parse_error(MSP_ARGS("-q")), "unknown option '-q'");
	assert_string_equal(parse_error(MSP_ARGS("-p")), "option '-p' needs a value");
	assert_string_equal(parse_error(MSP_ARGS("--flag=yes")), "option '--flag=yes' does not take a value");
}

static void test_option__warning_beyond_critical(void **state)
{
	struct cfg c;

	(void)state;
	assert_string_equal(parse_error(MSP_ARGS("-w", "2d", "-c", "1d")),
			    "warning threshold --warning '172800' is beyond critical threshold --critical '86400'");
	assert_non_null(strstr(parse_error(MSP_ARGS("-w", "1h:", "-c", "2h:")), "is beyond critical threshold"));
	msp_test_configure_ok(&plugin, &c, sizeof(c), MSP_ARGS("-w", "1d", "-c", "1d"));
	msp_test_configure_ok(&plugin, &c, sizeof(c), MSP_ARGS("-w", "2h:", "-c", "1h:"));
	/* other shapes are not compared */
	msp_test_configure_ok(&plugin, &c, sizeof(c), MSP_ARGS("-w", "@1h:2h", "-c", "1m"));
	msp_test_configure_ok(&plugin, &c, sizeof(c), MSP_ARGS("-w", "5d"));
}

static void test_option__check_order_values(void **state)
{
	struct msp_error err;

	(void)state;
	/* upper bounds (higher is worse): warn <= crit; equal is fine */
	msp_error_init(&err);
	assert_int_equal(msp_check_order_values(100, 50, true, "-w", "100,20%", "-c", "50,60%", &err), MSP_EINVAL);
	assert_string_equal(err.msg, "warning threshold -w '100,20%' is beyond critical threshold -c '50,60%'");
	assert_int_equal(msp_check_order_values(50, 50, true, "-w", "50", "-c", "50", NULL), 0);
	assert_int_equal(msp_check_order_values(0, 500, true, "-w", "0", "-c", "500", NULL), 0);
	/* lower bounds (lower is worse): warn >= crit */
	msp_error_init(&err);
	assert_int_equal(msp_check_order_values(10, 20, false, "--warning", "10%", "--critical", "20%", &err),
			 MSP_EINVAL);
	assert_string_equal(err.msg, "warning threshold --warning '10%' is beyond critical threshold --critical '20%'");
	assert_int_equal(msp_check_order_values(20, 10, false, "-w", "20%", "-c", "10%", NULL), 0);
	assert_int_equal(msp_check_order_values(100, 100, false, "-w", "100%", "-c", "100%", NULL), 0);
	/* a value that is not a number is not compared */
	assert_int_equal(msp_check_order_values(NAN, 1, true, "-w", "x", "-c", "1", NULL), 0);
}

static void test_option__positional_arguments(void **state)
{
	struct cfg c;
	struct msp_error err;

	(void)state;
	assert_string_equal(parse_error(MSP_ARGS("-f", "stray")), "unexpected argument 'stray'");
	assert_int_equal(msp_test_configure(&plugin_hint, &c, sizeof(c), MSP_ARGS("db1"), &err), MSP_EINVAL);
	assert_string_equal(err.msg, "unexpected argument 'db1': give the host with -H");
	/* '' positionals are skipped everywhere */
	msp_test_configure_ok(&plugin, &c, sizeof(c), MSP_ARGS("-f", ""));
	msp_test_configure_ok(&plugin_positional, &c, sizeof(c), MSP_ARGS("-f", "db1"));
	assert_string_equal(c.pos, "db1");
}

static void test_option__standard_options_and_actions(void **state)
{
	struct cfg c;
	struct msp_error err;

	(void)state;
	assert_int_equal(msp_test_configure(&plugin, &c, sizeof(c), MSP_ARGS("-f", "--help", "--bogus"), &err), 1);
	assert_int_equal(msp_test_configure(&plugin, &c, sizeof(c), MSP_ARGS("-V"), &err), 1);
	assert_string_equal(parse_error(MSP_ARGS("--timeout", "0")), "timeout '0' is not a number of seconds from 1 to 86400");
	assert_string_equal(parse_error(MSP_ARGS("--output-format=xml")),
			    "output format 'xml' is not nagios, multi-line, json, prometheus or table");
}

static void test_option__help_shows_defaults(void **state)
{
	struct msp_buf b;

	(void)state;
	msp_buf_init(&b, 1 << 20);
	assert_int_equal(msp_help_text(&plugin, &b), 0);
	assert_non_null(strstr(msp_buf_str(&b), " -p, --port=PORT\n    A port\n    (default: 443)\n"));
	assert_non_null(strstr(msp_buf_str(&b), " -4\n    IPv4\n"));
	msp_buf_release(&b);
}

static void test_option__whole_run_through_the_harness(void **state)
{
	struct cfg c;
	static const struct msp_test_case cases[] = {
		{ { "-f", NULL }, MSP_STATE_OK, "^OPT OK - fine$" },
		{ { "-p", "0", NULL }, MSP_STATE_UNKNOWN, "^OPT UNKNOWN - --port '0' is not" },
		{ { "stray", NULL }, MSP_STATE_UNKNOWN, "^OPT UNKNOWN - unexpected argument 'stray'$" },
	};

	(void)state;
	msp_test_cases(&plugin, &c, sizeof(c), cases, sizeof(cases) / sizeof(cases[0]));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_option__every_type_writes_its_field),
		cmocka_unit_test(test_option__defaults_apply_only_when_not_given),
		cmocka_unit_test(test_option__empty_argument_rule),
		cmocka_unit_test(test_option__bad_values_name_the_option),
		cmocka_unit_test(test_option__warning_beyond_critical),
		cmocka_unit_test(test_option__check_order_values),
		cmocka_unit_test(test_option__positional_arguments),
		cmocka_unit_test(test_option__standard_options_and_actions),
		cmocka_unit_test(test_option__help_shows_defaults),
		cmocka_unit_test(test_option__whole_run_through_the_harness),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
