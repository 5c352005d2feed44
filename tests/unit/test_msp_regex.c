/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test_msp_regex.c - the cost check in front of regcomp(): patterns that
 * blow up glibc's compiler are refused at once with a reason, ordinary
 * ones compile and match.
 */
#include <regex.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <setjmp.h>
#include <cmocka.h>

#include "msp.h"

static void expect_compiles(const char *pattern, int cflags, const char *match, const char *nomatch)
{
	struct msp_error err;
	regex_t re;

	msp_error_init(&err);
	if (msp_regex_compile(&re, pattern, cflags, NULL, &err) != 0)
		fail_msg("'%s' refused: %s", pattern, err.msg);
	if (match && regexec(&re, match, 0, NULL, 0) != 0)
		fail_msg("'%s' does not match '%s'", pattern, match);
	if (nomatch && regexec(&re, nomatch, 0, NULL, 0) == 0)
		fail_msg("'%s' matches '%s'", pattern, nomatch);
	regfree(&re);
}

static void expect_too_complex(const char *pattern, int cflags, const char *why)
{
	struct msp_error err;
	regex_t re;
	double t0 = msp_time_mono();

	msp_error_init(&err);
	if (msp_regex_compile(&re, pattern, cflags, NULL, &err) != MSP_EINVAL) {
		regfree(&re);
		fail_msg("'%.80s' accepted", pattern);
	}
	if (strncmp(err.msg, "regular expression '", 20) != 0 || !strstr(err.msg, "' is too complex: ") ||
	    !strstr(err.msg, why))
		fail_msg("'%.80s': message '%s', want one with '%s'", pattern, err.msg, why);
	if (msp_time_mono() - t0 > 0.5)
		fail_msg("'%.80s': the check took %.2f s", pattern, msp_time_mono() - t0);
	assert_int_equal(msp_regex_check(pattern, cflags, NULL, NULL), MSP_EINVAL);
}

static char *repeat(const char *head, const char *unit, int n, const char *tail)
{
	size_t len = strlen(head) + strlen(unit) * (size_t)n + strlen(tail) + 1;
	char *s = malloc(len);

	assert_non_null(s);
	snprintf(s, len, "%s", head);
	for (int i = 0; i < n; i++)
		memcpy(s + strlen(head) + strlen(unit) * (size_t)i, unit, strlen(unit) + 1);
	memcpy(s + strlen(s), tail, strlen(tail) + 1);
	return s;
}

/* The two patterns of the issue, and their relatives. */
static void test_regex__refuses_patterns_that_blow_up(void **state)
{
	char *plus24 = repeat("a", "+", 24, "");
	char *nest = repeat("", "(", 200, "a");
	char *parens = repeat("", "(a+)+", 1, "");

	(void)state;
	expect_too_complex(plus24, REG_EXTENDED, "more than 3 repeat operators in a row");
	expect_too_complex("a{255}{255}{255}", REG_EXTENDED, "its repeats expand to more than 10000 parts");
	expect_too_complex("a{0,255}{0,255}", REG_EXTENDED, "expand to more than 10000 parts");
	expect_too_complex("(a{100}){101}", REG_EXTENDED, "expand to more than 10000 parts");
	expect_too_complex("((a{30}){30}){30}", REG_EXTENDED, "expand to more than 10000 parts");
	expect_too_complex("x|a{200}{60}", REG_EXTENDED, "expand to more than 10000 parts");
	expect_too_complex("a{1,32767}", REG_EXTENDED, "a repeat count above 255");
	expect_too_complex("a{256}", REG_EXTENDED, "a repeat count above 255");
	/* found by tests/fuzz/fuzz_regex: glibc reads "{,n}" as "{0,n}" (y{,15255}: 2.3 GB) */
	expect_too_complex("y{,15255}", REG_EXTENDED, "a repeat count above 255");
	expect_too_complex("y\\{,300\\}", 0, "a repeat count above 255");
	expect_too_complex("(a{,200}){,200}", REG_EXTENDED, "expand to more than 10000 parts");
	expect_too_complex("a{99999999999999999999}", REG_EXTENDED, "a repeat count above 255");
	expect_too_complex("a****", REG_EXTENDED, "more than 3 repeat operators in a row");
	expect_too_complex(nest, REG_EXTENDED, "groups nested more than 64 deep");
	/* basic syntax: \{ \} and \( \) */
	expect_too_complex("a\\{255\\}\\{255\\}", 0, "expand to more than 10000 parts");
	expect_too_complex("\\(a\\{100\\}\\)\\{200\\}", 0, "expand to more than 10000 parts");
	/* the message names the pattern, cut when long */
	{
		struct msp_error err;

		msp_error_init(&err);
		msp_regex_check(plus24, REG_EXTENDED, NULL, &err);
		assert_string_equal(err.msg, "regular expression 'a++++++++++++++++++++++++' is too complex: "
					     "more than 3 repeat operators in a row");
	}
	expect_compiles(parens, REG_EXTENDED, "aaa", "b");
	free(plus24);
	free(nest);
	free(parens);
}

/*
 * Found by tests/fuzz/fuzz_regex: what can match the empty string makes
 * empty paths through regcomp's automaton, and computing them cost far more
 * than the parts counted: '((()*){255}){2}' 7.5 s with 510 parts,
 * '(|()*){20}' 4 s with 40 (doubling with each copy), '((a?){100}){40}'
 * 1.3 s, '((;3\\b)*){215}' 3 s.
 */
static void test_regex__refuses_repeats_of_what_matches_nothing(void **state)
{
	static const char *const loops[] = { "(()*){255}", "((()*){255}){2}", "(|()*){20}", "(a|()*){255}",
					     "((a*)*){255}", "(a*)*b", "(()+)", "((a|)*)", "((^)*)", "(x|y?){2,}" };
	(void)state;
	for (size_t i = 0; i < sizeof(loops) / sizeof(loops[0]); i++)
		expect_too_complex(loops[i], REG_EXTENDED, "an unbounded repeat of a part that can match nothing");
	expect_too_complex("\\(\\(\\)*\\)\\{255\\}", 0, "an unbounded repeat of a part that can match nothing");
	expect_too_complex("((a?){100}){40}", REG_EXTENDED, "expand to more than 10000 parts");
	expect_too_complex("((a?){1,255}){39}", REG_EXTENDED, "expand to more than 10000 parts");
	expect_too_complex("((;3\\b)*){215}", REG_EXTENDED, "expand to more than 10000 parts");
	expect_too_complex("((a$)*){215}", REG_EXTENDED, "expand to more than 10000 parts");
	/* a nullable group repeated a bounded number of times, a loop over what must match once */
	expect_compiles("(a?){255}", REG_EXTENDED, "", NULL);
	expect_compiles("(x|)y", REG_EXTENDED, "y", "x");
	expect_compiles("((a?)b)*c{2}", REG_EXTENDED, "abbcc", "abc");
	expect_compiles("a{0,100}{0,100}", REG_EXTENDED, "", NULL);
}

static void test_regex__compiles_ordinary_patterns(void **state)
{
	char *literal = repeat("^", "x", 9000, "$");
	char *alts = repeat("^(p0", "|pkgname", 900, ")$");

	(void)state;
	expect_compiles("^\\[", REG_EXTENDED | REG_NOSUB, "[kworker]", "kworker");
	expect_compiles("^[^\\(]*\\(.* (Debian-Security:|Ubuntu:[^/]*/[^-]*-security)", REG_EXTENDED | REG_NOSUB,
			"Inst libc6 (2.36 Debian-Security:12/stable-security [amd64])", "Inst libc6 (2.36 Debian:12)");
	expect_compiles("^(ext[234]|xfs|btrfs)$", REG_EXTENDED | REG_NOSUB, "ext4", "tmpfs");
	expect_compiles("backup-[0-9]{4}-[0-9]{2}-[0-9]{2}\\.tar\\.gz$", REG_EXTENDED | REG_NOSUB,
			"backup-2026-12-08.tar.gz", "backup-26-12-08.tar.gz");
	expect_compiles("[]a]{2}", REG_EXTENDED, "]a", "a");
	expect_compiles("[[:alpha:]]{3,}[^]]", REG_EXTENDED, "abc1", "ab1");
	expect_compiles("a{255}", REG_EXTENDED, NULL, "a");
	expect_compiles("(ab|cd){1,100}x", REG_EXTENDED, "abcdx", "x");
	expect_compiles("a{0,100}{0,100}", REG_EXTENDED, "", NULL);
	expect_compiles("a*?", REG_EXTENDED, "", NULL);
	expect_compiles("a\\{2\\}", 0, "aa", "a");
	expect_compiles(literal, REG_EXTENDED | REG_NOSUB, NULL, "x");
	expect_compiles(alts, REG_EXTENDED | REG_NOSUB, "pkgname", "pkg");
	free(literal);
	free(alts);
}

static void test_regex__syntax_errors_name_the_pattern(void **state)
{
	struct msp_error err;
	regex_t re;

	(void)state;
	msp_error_init(&err);
	assert_int_equal(msp_regex_compile(&re, "a(b", REG_EXTENDED, NULL, &err), MSP_EINVAL);
	assert_string_equal(err.msg, "cannot compile regular expression 'a(b': Unmatched ( or \\(");
	msp_error_init(&err);
	assert_int_equal(msp_regex_compile(&re, "[z-a]", REG_EXTENDED, NULL, &err), MSP_EINVAL);
	assert_string_equal(err.msg, "cannot compile regular expression '[z-a]': Invalid range end");
	msp_error_init(&err);
	/* not an interval to the check: regcomp has the last word */
	assert_int_equal(msp_regex_compile(&re, "a{", REG_EXTENDED, NULL, &err), MSP_EINVAL);
	assert_string_equal(err.msg, "cannot compile regular expression 'a{': Unmatched \\{");
	assert_int_equal(msp_regex_check(NULL, REG_EXTENDED, NULL, NULL), MSP_EINVAL);
	/* the caller's name for the pattern */
	msp_error_init(&err);
	assert_int_equal(msp_regex_compile(&re, "(", REG_EXTENDED, "-i regexp", &err), MSP_EINVAL);
	assert_string_equal(err.msg, "cannot compile -i regexp '(': Unmatched ( or \\(");
	msp_error_init(&err);
	assert_int_equal(msp_regex_check("a{1,300}", REG_EXTENDED, "--regex", &err), MSP_EINVAL);
	assert_string_equal(err.msg, "--regex 'a{1,300}' is too complex: a repeat count above 255");
}

/* The step is named while regcomp runs (the timeout message says it) and put back after. */
static void test_regex__restores_the_step(void **state)
{
	char step[256];
	regex_t re;

	(void)state;
	msp_step("parsing options");
	assert_int_equal(msp_regex_compile(&re, "^x$", REG_EXTENDED, NULL, NULL), 0);
	regfree(&re);
	assert_string_equal(msp_step_current(step, sizeof(step)), "parsing options");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_regex__refuses_patterns_that_blow_up),
		cmocka_unit_test(test_regex__refuses_repeats_of_what_matches_nothing),
		cmocka_unit_test(test_regex__compiles_ordinary_patterns),
		cmocka_unit_test(test_regex__syntax_errors_name_the_pattern),
		cmocka_unit_test(test_regex__restores_the_step),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
