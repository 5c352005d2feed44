/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * msp_regex.h - the one way plugins and lib compile a regular expression.
 *
 * glibc's regcomp() expands bounded repeats into copies of their operand
 * before it builds the automaton, so a short pattern can take unbounded
 * time and memory while options are parsed: 'a{255}{255}{255}' needs
 * 16 million copies (seconds, gigabytes), 'a' followed by 24 '+' doubles
 * 24 times, 'a{1,32767}' runs for minutes.  A plugin that hangs there
 * never reports.  msp_regex_compile() therefore checks the pattern first,
 * statically, and refuses (MSP_EINVAL, a clear message) a pattern that
 *   - has a repeat count above MSP_REGEX_MAX_REPEAT ('{256}'),
 *   - would expand to more than MSP_REGEX_MAX_SIZE parts, counting each
 *     atom (a character, '.', a bracket expression) as one, a group as the
 *     sum of its contents, alternatives added, and a repeat as its operand
 *     times the copies regcomp makes ('{m}' and '{m,n}': the larger bound,
 *     '{m,}': m + 1, '+': 2, '*' and '?': 1), a group that can match the
 *     empty string ('(a?)', '(x|)') as 8 times its parts and an anchor or
 *     word boundary ('^', '\b') as 8 parts (regcomp's cost grows with the
 *     empty paths through their copies),
 *   - repeats without a bound ('*', '+', '{m,}') something that can match
 *     the empty string ('(a*)*', '()+', '(x|y?)*': regcomp's time doubles
 *     with each copy of such a loop beside an alternative),
 *   - stacks more than MSP_REGEX_MAX_STACKED repeat operators on one
 *     operand ('a****'), or
 *   - nests groups deeper than MSP_REGEX_MAX_DEPTH (regcomp recurses).
 * Within these limits glibc compiles any pattern in well under a second
 * and under about 100 MB.  Only then is regcomp() called, with the step
 * "compiling the regular expression '...'" named for the timeout message
 * (the runner's deadline covers option parsing too: msp_plugin.h).
 *
 * A memory limit (RLIMIT_AS) is not used: AddressSanitizer reserves
 * terabytes of address space, so it cannot run under one, and a limit
 * set for regcomp would also bind the rest of the run.
 */
#ifndef MSP_REGEX_H
#define MSP_REGEX_H

#include <regex.h>

#include "msp_error.h"

#define MSP_REGEX_MAX_SIZE 10000
#define MSP_REGEX_MAX_REPEAT 255
#define MSP_REGEX_MAX_STACKED 3
#define MSP_REGEX_MAX_DEPTH 64

/*
 * Check pattern against the limits above (cflags as for regcomp; only
 * REG_EXTENDED matters).  0, or MSP_EINVAL with "<what> '<pattern>' is
 * too complex: <why>" in err; what names the pattern for the user
 * ("-i regexp"; NULL: "regular expression").  Syntax errors are left to
 * regcomp.
 */
int msp_regex_check(const char *pattern, int cflags, const char *what, struct msp_error *err);

/*
 * msp_regex_check(), then regcomp(re, pattern, cflags).  On success (0)
 * the caller owns *re and frees it with regfree().  On failure *re holds
 * nothing to free and err says "cannot compile <what> '<pattern>':
 * <regerror text>" or why the pattern is too complex (what as for
 * msp_regex_check; patterns are shown up to 60 bytes); MSP_EINVAL, or
 * MSP_ENOMEM when regcomp ran out of memory.
 */
int msp_regex_compile(regex_t *re, const char *pattern, int cflags, const char *what, struct msp_error *err);

#endif
