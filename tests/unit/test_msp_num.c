/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test_msp_num.c - checked number parsing, units and locale-independent
 * formatting.
 */
#include <float.h>
#include <locale.h>
#include <math.h>
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
#include "../helpers/msp_test.h"

/* ---------------------------------------------------------- msp_num_double */

struct double_case {
	const char *text;
	double want;
};

static const struct double_case double_ok[] = {
	{ "12", 12 },
	{ "-3.5", -3.5 },
	{ "1e3", 1000 },
	{ "1E3", 1000 },
	{ "1e-3", 0.001 },
	{ "+7", 7 },
	{ ".5", 0.5 },
	{ "5.", 5 },
	{ "  12  ", 12 },
	{ "\t-0.25\t", -0.25 },
	{ "0", 0 },
	{ "-0", 0 },
	{ "1e300", 1e300 },
	{ "-1e300", -1e300 },
	{ "0.1", 0.1 },
	{ "007", 7 },
	{ "1.7976931348623157e308", DBL_MAX },
};

static void test_num__double_accepts_decimal_numbers(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(double_ok) / sizeof(double_ok[0]); i++) {
		double v = -12345;

		if (msp_num_double(double_ok[i].text, &v) != 0)
			fail_msg("'%s' rejected", double_ok[i].text);
		if (v != double_ok[i].want)
			fail_msg("'%s' read as %.17g, expected %.17g", double_ok[i].text, v, double_ok[i].want);
	}
}

static void test_num__double_rejects_non_finite_hex_and_garbage(void **state)
{
	static const char *const bad[] = {
		"",          " ",    "nan",   "NAN",   "-nan",   "nan(0x1)", "inf",   "-inf", "INF", "infinity",
		"-Infinity", "0x10", "0X1p3", "1e400", "-1e400", "1.8e308",  "12abc", "1,5",  "1 2", "1e",
		"1e+",       ".",    "-",     "+",     "--1",    "1..2",     "1.2.3", "\n12", "12%", "١٢",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		double v = 42;

		if (msp_num_double(bad[i], &v) != MSP_EINVAL)
			fail_msg("'%s' accepted as %g", bad[i], v);
		if (v != 42)
			fail_msg("'%s': out-parameter changed on failure", bad[i]);
	}
	assert_int_equal(msp_num_double(NULL, NULL), MSP_EINVAL);
}

/* Found by fuzz_num: an integer with 320+ leading zeros was an int64 but "no number" as a double. */
static void test_num__double_takes_long_numbers_int64_takes(void **state)
{
	char s[400];
	double d = 0;
	int64_t i = 0;

	(void)state;
	memset(s, '0', 320);
	snprintf(s + 320, sizeof(s) - 320, "1024819115206086199");
	assert_int_equal(msp_num_int64(s, INT64_MIN, INT64_MAX, &i), 0);
	assert_int_equal(msp_num_double(s, &d), 0);
	assert_true(d == (double)i);
	assert_int_equal(msp_num_double("1#", &d), MSP_EINVAL);
}

static void test_num__double_ignores_the_locale(void **state)
{
	double v = 0;

	(void)state;
	use_german_locale();
	assert_int_equal(msp_num_double("0.5", &v), 0);
	assert_true(v == 0.5);
	assert_int_equal(msp_num_double("1234.75", &v), 0);
	assert_true(v == 1234.75);
	assert_int_equal(msp_num_double("0,5", &v), MSP_EINVAL);
	assert_true(v == 1234.75);
}

/* ---------------------------------------------------------- integers */

static void test_num__int64_checks_bounds_inclusively(void **state)
{
	int64_t v = 0;

	(void)state;
	assert_int_equal(msp_num_int64("42", 0, 100, &v), 0);
	assert_int_equal(v, 42);
	assert_int_equal(msp_num_int64(" -42 ", -100, 100, &v), 0);
	assert_true(v == -42);
	assert_int_equal(msp_num_int64("+7", 0, 10, &v), 0);
	assert_int_equal(v, 7);
	assert_int_equal(msp_num_int64("0", 0, 0, &v), 0);
	assert_int_equal(v, 0);
	assert_int_equal(msp_num_int64("100", 0, 100, &v), 0);
	assert_int_equal(v, 100);
	assert_int_equal(msp_num_int64("-100", -100, 100, &v), 0);
	assert_true(v == -100);
	v = 5;
	assert_int_equal(msp_num_int64("101", 0, 100, &v), MSP_EINVAL);
	assert_int_equal(msp_num_int64("-101", -100, 100, &v), MSP_EINVAL);
	assert_int_equal(msp_num_int64("-1", 0, 100, &v), MSP_EINVAL);
	assert_int_equal(v, 5);
	assert_int_equal(msp_num_int64("9223372036854775807", INT64_MIN, INT64_MAX, &v), 0);
	assert_true(v == INT64_MAX);
	assert_int_equal(msp_num_int64("-9223372036854775808", INT64_MIN, INT64_MAX, &v), 0);
	assert_true(v == INT64_MIN);
	assert_int_equal(msp_num_int64("9223372036854775808", INT64_MIN, INT64_MAX, &v), MSP_EINVAL);
	assert_int_equal(msp_num_int64("-9223372036854775809", INT64_MIN, INT64_MAX, &v), MSP_EINVAL);
}

static void test_num__int64_rejects_fractions_hex_and_garbage(void **state)
{
	static const char *const bad[] = { "",    " ",     "-",   "+",   "1.5", "1e3", "0x10", "12abc",
					   "1 2", "1,000", "--1", "+-1", "nan", "inf", "\n1" };
	int64_t v = 99;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (msp_num_int64(bad[i], INT64_MIN, INT64_MAX, &v) != MSP_EINVAL)
			fail_msg("'%s' accepted as %lld", bad[i], (long long)v);
	assert_int_equal(v, 99);
	assert_int_equal(msp_num_int64(NULL, 0, 1, &v), MSP_EINVAL);
}

static void test_num__uint64_rejects_negative_numbers(void **state)
{
	uint64_t v = 7;

	(void)state;
	/* strtoull() would read "-1" as 2^64-1 */
	assert_int_equal(msp_num_uint64("-1", UINT64_MAX, &v), MSP_EINVAL);
	assert_int_equal(msp_num_uint64(" -0", UINT64_MAX, &v), MSP_EINVAL);
	assert_int_equal(v, 7);
	assert_int_equal(msp_num_uint64("18446744073709551615", UINT64_MAX, &v), 0);
	assert_true(v == UINT64_MAX);
	assert_int_equal(msp_num_uint64("18446744073709551616", UINT64_MAX, &v), MSP_EINVAL);
	assert_int_equal(msp_num_uint64("86400", 86400, &v), 0);
	assert_true(v == 86400);
	assert_int_equal(msp_num_uint64("86401", 86400, &v), MSP_EINVAL);
	assert_int_equal(msp_num_uint64(" 0 ", 10, &v), 0);
	assert_true(v == 0);
	assert_int_equal(msp_num_uint64("1.0", 10, &v), MSP_EINVAL);
	assert_int_equal(msp_num_uint64("", 10, &v), MSP_EINVAL);
	assert_int_equal(msp_num_uint64(NULL, 10, &v), MSP_EINVAL);
}

/* ---------------------------------------------------------- units */

struct value_case {
	const char *text;
	unsigned mask;
	double bare_scale;
	double want;
	enum msp_unit unit;
};

static const struct value_case value_ok[] = {
	{ "90s", MSP_UNIT_DURATION, 1, 90, MSP_UNIT_DURATION },
	{ "15m", MSP_UNIT_DURATION, 1, 900, MSP_UNIT_DURATION },
	{ "26h", MSP_UNIT_DURATION, 1, 93600, MSP_UNIT_DURATION },
	{ "7d", MSP_UNIT_DURATION, 1, 604800, MSP_UNIT_DURATION },
	{ "2w", MSP_UNIT_DURATION, 1, 1209600, MSP_UNIT_DURATION },
	{ "1.5h", MSP_UNIT_DURATION, 1, 5400, MSP_UNIT_DURATION },
	{ "250ms", MSP_UNIT_DURATION, 1, 0.25, MSP_UNIT_DURATION },
	{ "500us", MSP_UNIT_DURATION, 1, 0.0005, MSP_UNIT_DURATION },
	{ "3 days", MSP_UNIT_DURATION, 1, 259200, MSP_UNIT_DURATION },
	{ "10min", MSP_UNIT_DURATION, 1, 600, MSP_UNIT_DURATION },
	{ "1H", MSP_UNIT_DURATION, 1, 3600, MSP_UNIT_DURATION },
	{ "45", MSP_UNIT_DURATION, 1, 45, MSP_UNIT_NONE },
	{ "2", MSP_UNIT_DURATION, 60, 120, MSP_UNIT_NONE }, /* a plugin whose bare numbers are minutes */
	{ "10B", MSP_UNIT_SIZE, 1, 10, MSP_UNIT_SIZE },
	{ "10KB", MSP_UNIT_SIZE, 1, 1e4, MSP_UNIT_SIZE },
	{ "10MB", MSP_UNIT_SIZE, 1, 1e7, MSP_UNIT_SIZE },
	{ "10GB", MSP_UNIT_SIZE, 1, 1e10, MSP_UNIT_SIZE },
	{ "10TB", MSP_UNIT_SIZE, 1, 1e13, MSP_UNIT_SIZE },
	{ "2PB", MSP_UNIT_SIZE, 1, 2e15, MSP_UNIT_SIZE },
	{ "10KiB", MSP_UNIT_SIZE, 1, 10240, MSP_UNIT_SIZE },
	{ "10MiB", MSP_UNIT_SIZE, 1, 10485760, MSP_UNIT_SIZE },
	{ "10GiB", MSP_UNIT_SIZE, 1, 10737418240.0, MSP_UNIT_SIZE },
	{ "10TiB", MSP_UNIT_SIZE, 1, 10995116277760.0, MSP_UNIT_SIZE },
	{ "1.5 GiB", MSP_UNIT_SIZE, 1, 1610612736.0, MSP_UNIT_SIZE },
	{ "10G", MSP_UNIT_SIZE, 1, 1e10, MSP_UNIT_SIZE },
	{ "10gb", MSP_UNIT_SIZE, 1, 1e10, MSP_UNIT_SIZE },
	{ "10KB", MSP_UNIT_SIZE | MSP_NUM_SIZE_1024, 1, 10240, MSP_UNIT_SIZE },
	{ "10K", MSP_UNIT_SIZE | MSP_NUM_SIZE_1024, 1, 10240, MSP_UNIT_SIZE },
	{ "10KiB", MSP_UNIT_SIZE | MSP_NUM_SIZE_1024, 1, 10240, MSP_UNIT_SIZE },
	{ "10", MSP_UNIT_SIZE, 1048576, 10485760, MSP_UNIT_NONE },
	{ "15%", MSP_UNIT_PERCENT, 1, 15, MSP_UNIT_PERCENT },
	{ "99.5%", MSP_UNIT_PERCENT | MSP_UNIT_SIZE, 1, 99.5, MSP_UNIT_PERCENT },
	{ "15", MSP_UNIT_PERCENT, 1, 15, MSP_UNIT_NONE },
	{ " -5s ", MSP_UNIT_DURATION, 1, -5, MSP_UNIT_DURATION },
};

static void test_num__value_converts_units_to_base(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(value_ok) / sizeof(value_ok[0]); i++) {
		const struct value_case *c = &value_ok[i];
		struct msp_error err;
		enum msp_unit u = (enum msp_unit)99;
		double v = -1;

		msp_error_init(&err);
		if (msp_num_value(c->text, c->mask, c->bare_scale, &v, &u, &err) != 0)
			fail_msg("'%s' rejected: %s", c->text, err.msg);
		if (fabs(v - c->want) > fabs(c->want) * 1e-15)
			fail_msg("'%s' read as %.17g, expected %.17g", c->text, v, c->want);
		if (u != c->unit)
			fail_msg("'%s': unit family %d, expected %d", c->text, u, c->unit);
	}
}

static void test_num__value_rejects_unknown_units_and_overflow(void **state)
{
	static const struct {
		const char *text;
		unsigned mask;
	} bad[] = {
		{ "10XB", MSP_UNIT_SIZE },       { "10%", MSP_UNIT_SIZE },
		{ "10GB", MSP_UNIT_PERCENT },    { "10d", MSP_UNIT_SIZE },
		{ "10GB", MSP_UNIT_DURATION },   { "10s", 0 },
		{ "10 %x", MSP_UNIT_PERCENT },   { "10GB GB", MSP_UNIT_SIZE },
		{ "GB", MSP_UNIT_SIZE },         { "1e300TB", MSP_UNIT_SIZE },
		{ "1e305w", MSP_UNIT_DURATION }, { "1e400", MSP_UNIT_SIZE },
		{ "nan%", MSP_UNIT_PERCENT },    { "infs", MSP_UNIT_DURATION },
		{ "0x10GB", MSP_UNIT_SIZE },     { "10 bytesbytesbytesbytes", MSP_UNIT_SIZE },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct msp_error err;
		double v = 42;
		enum msp_unit u = MSP_UNIT_PERCENT;

		msp_error_init(&err);
		if (msp_num_value(bad[i].text, bad[i].mask, 1, &v, &u, &err) != MSP_EINVAL)
			fail_msg("'%s' (mask %u) accepted as %g", bad[i].text, bad[i].mask, v);
		if (v != 42 || u != MSP_UNIT_PERCENT)
			fail_msg("'%s': out-parameters changed on failure", bad[i].text);
		if (!strstr(err.msg, bad[i].text))
			fail_msg("'%s': message '%s' does not quote the input", bad[i].text, err.msg);
	}
}

static void test_num__value_messages_name_the_problem(void **state)
{
	struct msp_error err;
	double v;

	(void)state;
	msp_error_init(&err);
	msp_num_value("10XB", MSP_UNIT_SIZE, 1, &v, NULL, &err);
	assert_string_equal(err.msg, "'10XB' has an unknown unit 'XB'");
	msp_num_value("10s", 0, 1, &v, NULL, &err);
	assert_string_equal(err.msg, "'10s' has trailing garbage");
	msp_num_value("abc", MSP_UNIT_SIZE, 1, &v, NULL, &err);
	assert_string_equal(err.msg, "'abc' is not a number");
	msp_num_value("1e400", 0, 1, &v, NULL, &err);
	assert_string_equal(err.msg, "'1e400' is out of range");
	msp_num_value(NULL, 0, 1, &v, NULL, &err);
	assert_string_equal(err.msg, "missing number");
}

static void test_num__duration_and_size_shorthands(void **state)
{
	double v = 0;

	(void)state;
	assert_int_equal(msp_num_duration("90m", &v, NULL), 0);
	assert_true(v == 5400);
	assert_int_equal(msp_num_duration("7d", &v, NULL), 0);
	assert_true(v == 604800);
	assert_int_equal(msp_num_duration("30", &v, NULL), 0);
	assert_true(v == 30);
	assert_int_equal(msp_num_duration("10GB", &v, NULL), MSP_EINVAL);
	assert_int_equal(msp_num_duration("10%", &v, NULL), MSP_EINVAL);
	assert_int_equal(msp_num_size("10GB", &v, NULL), 0);
	assert_true(v == 1e10);
	assert_int_equal(msp_num_size("10GiB", &v, NULL), 0);
	assert_true(v == 10737418240.0);
	assert_int_equal(msp_num_size("512", &v, NULL), 0);
	assert_true(v == 512);
	assert_int_equal(msp_num_size("10s", &v, NULL), MSP_EINVAL);
	assert_int_equal(msp_num_size("10%", &v, NULL), MSP_EINVAL);
}

static void test_num__value_ignores_the_locale(void **state)
{
	double v = 0;

	(void)state;
	use_german_locale();
	assert_int_equal(msp_num_value("1.5GB", MSP_UNIT_SIZE, 1, &v, NULL, NULL), 0);
	assert_true(v == 1.5e9);
	assert_int_equal(msp_num_value("0.5h", MSP_UNIT_DURATION, 1, &v, NULL, NULL), 0);
	assert_true(v == 1800);
	assert_int_equal(msp_num_value("1,5GB", MSP_UNIT_SIZE, 1, &v, NULL, NULL), MSP_EINVAL);
}

/* ---------------------------------------------------------- formatting */

struct format_case {
	double v;
	int decimals;
	const char *want;
};

static const struct format_case format_cases[] = {
	{ 42, 6, "42" },
	{ -42, 6, "-42" },
	{ 0, 6, "0" },
	{ -0.0, 6, "0" },
	{ 0.5, 6, "0.5" },
	{ 1.25, 6, "1.25" },
	{ 1.25, 1, "1.2" }, /* 1.25 is exact in binary: round half to even */
	{ 3.14159, 2, "3.14" },
	{ 3.14159, 0, "3" },
	{ 3.14159, -5, "3" },
	{ 2.5e-13, 20, "0" }, /* decimals are capped at 12 */
	{ 1e-12, 20, "0.000000000001" },
	{ 0.1, 6, "0.1" },
	{ 100.0, 3, "100" },
	{ 1000000, 6, "1000000" },
	{ 1e20, 6, "100000000000000000000" },
	{ 123456789012345678.0, 0, "123456789012345680" },
	{ 1e-7, 6, "0" },
	{ -1e-7, 6, "0" },
	{ 1e-7, 12, "0.0000001" },
	{ -0.000001, 6, "-0.000001" },
	{ 18446744073709551616.0, 0, "18446744073709551616" },
	{ 85899345920.0, 6, "85899345920" },
};

static void test_num__format_has_no_exponent_and_trims_zeros(void **state)
{
	char buf[MSP_NUM_FORMAT_MAX];

	(void)state;
	for (size_t i = 0; i < sizeof(format_cases) / sizeof(format_cases[0]); i++) {
		const struct format_case *c = &format_cases[i];

		msp_num_format(c->v, c->decimals, buf, sizeof(buf));
		if (strcmp(buf, c->want) != 0)
			fail_msg("%.17g with %d decimals: '%s', expected '%s'", c->v, c->decimals, buf, c->want);
	}
}

static void test_num__format_huge_values_in_full(void **state)
{
	char buf[MSP_NUM_FORMAT_MAX];
	double back = 0;

	(void)state;
	msp_num_format(1e300, 6, buf, sizeof(buf));
	assert_null(strpbrk(buf, "eE."));
	assert_int_equal(strlen(buf), 301);
	assert_int_equal(msp_num_double(buf, &back), 0);
	assert_true(back == 1e300);
	msp_num_format(-DBL_MAX, 12, buf, sizeof(buf));
	assert_null(strpbrk(buf, "eE"));
	assert_int_equal(buf[0], '-');
	assert_true(strlen(buf) < sizeof(buf));
	assert_int_equal(msp_num_double(buf, &back), 0);
	assert_true(back <= -1e300);
}

static void test_num__format_returns_buf_and_respects_its_size(void **state)
{
	char buf[4] = "zzz";

	(void)state;
	assert_ptr_equal(msp_num_format(123456, 0, buf, sizeof(buf)), buf);
	assert_string_equal(buf, "123");
	assert_ptr_equal(msp_num_format(1, 0, buf, 0), buf);
	assert_string_equal(buf, "123"); /* len 0: untouched */
	msp_num_format(5, 0, buf, 1);
	assert_string_equal(buf, "");
}

static void test_num__format_ignores_the_locale(void **state)
{
	char buf[MSP_NUM_FORMAT_MAX];

	(void)state;
	use_german_locale();
	assert_string_equal(msp_num_format(0.5, 6, buf, sizeof(buf)), "0.5");
	assert_string_equal(msp_num_format(1234567.25, 2, buf, sizeof(buf)), "1234567.25");
	assert_string_equal(msp_num_format(-3.75, 6, buf, sizeof(buf)), "-3.75");
	assert_string_equal(msp_num_format(1e-7, 12, buf, sizeof(buf)), "0.0000001");
	/* ... and leaves the caller's locale in place */
	assert_string_equal(localeconv()->decimal_point, ",");
}

/* ---------------------------------------------------------- human forms */

static void test_num__human_duration_uses_two_largest_units(void **state)
{
	static const struct {
		double s;
		const char *want;
	} cases[] = {
		{ 0, "0s" },
		{ 45, "45s" },
		{ 59.4, "59s" },
		{ 59.6, "1m" },
		{ 60, "1m" },
		{ 125, "2m 5s" },
		{ 3600, "1h" },
		{ 7500, "2h 5m" },
		{ 86400, "1d" },
		{ 273600, "3d 4h" },
		{ 90061, "1d 1h" },
		{ -90, "-1m 30s" },
		{ 1209600, "14d" },
		{ INFINITY, "a very long time" },
		{ 1e300, "a very long time" },
	};
	char buf[64];

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		msp_num_human_duration(cases[i].s, buf, sizeof(buf));
		if (strcmp(buf, cases[i].want) != 0)
			fail_msg("%g s: '%s', expected '%s'", cases[i].s, buf, cases[i].want);
	}
}

static void test_num__human_size_uses_binary_units(void **state)
{
	static const struct {
		double b;
		const char *want;
	} cases[] = {
		{ 0, "0 B" },
		{ 1023, "1023 B" },
		{ 1024, "1 KiB" },
		{ 1536, "1.5 KiB" },
		{ 1610612736.0, "1.5 GiB" },
		{ 85617459200.0, "79.7 GiB" },
		{ 13249974108.0, "12.3 GiB" },
		{ 1099511627776.0, "1 TiB" },
		{ 1e300, NULL }, /* only: no exponent, no overflow */
	};
	char buf[MSP_NUM_FORMAT_MAX + 8];

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		msp_num_human_size(cases[i].b, buf, sizeof(buf));
		if (!cases[i].want) {
			size_t digits = strspn(buf, "0123456789.");

			assert_true(digits > 200);
			assert_string_equal(buf + digits, " EiB");
			continue;
		}
		if (strcmp(buf, cases[i].want) != 0)
			fail_msg("%.17g bytes: '%s', expected '%s'", cases[i].b, buf, cases[i].want);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_num__double_accepts_decimal_numbers),
		cmocka_unit_test(test_num__double_rejects_non_finite_hex_and_garbage),
		cmocka_unit_test(test_num__double_takes_long_numbers_int64_takes),
		cmocka_unit_test_teardown(test_num__double_ignores_the_locale, restore_c_locale),
		cmocka_unit_test(test_num__int64_checks_bounds_inclusively),
		cmocka_unit_test(test_num__int64_rejects_fractions_hex_and_garbage),
		cmocka_unit_test(test_num__uint64_rejects_negative_numbers),
		cmocka_unit_test(test_num__value_converts_units_to_base),
		cmocka_unit_test(test_num__value_rejects_unknown_units_and_overflow),
		cmocka_unit_test(test_num__value_messages_name_the_problem),
		cmocka_unit_test(test_num__duration_and_size_shorthands),
		cmocka_unit_test_teardown(test_num__value_ignores_the_locale, restore_c_locale),
		cmocka_unit_test(test_num__format_has_no_exponent_and_trims_zeros),
		cmocka_unit_test(test_num__format_huge_values_in_full),
		cmocka_unit_test(test_num__format_returns_buf_and_respects_its_size),
		cmocka_unit_test_teardown(test_num__format_ignores_the_locale, restore_c_locale),
		cmocka_unit_test(test_num__human_duration_uses_two_largest_units),
		cmocka_unit_test(test_num__human_size_uses_binary_units),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
