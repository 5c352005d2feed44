/* SPDX-License-Identifier: GPL-3.0-or-later */
/* msp_regex.c - a regcomp() with a bound on its cost (see msp_regex.h). */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "msp_plugin.h"
#include "msp_regex.h"
#include "banned.h"

#define TOO_BIG ((uint64_t)MSP_REGEX_MAX_SIZE + 1)

/*
 * Empty paths are what costs regcomp time beyond the parts it builds: it
 * computes, for every node, the nodes reachable without reading a
 * character, and a group that can match the empty string makes such paths
 * through all its copies ('((a?){100}){40}': 8000 parts, 1.3 s; '(a?){255}':
 * 0.004 s).  So such a group counts NULLABLE_GROUP_COST times its parts,
 * and so does an anchor or word boundary, whose nodes regcomp copies along
 * those paths ('((a\b)*){215}': 2.5 s).  A
 * '*', '+' or '{m,}' over something that can match the empty string is
 * refused: with an alternative beside it regcomp's time doubles with each
 * copy ('(|()*){20}': 4 s, one more copy 8 s) and it is never needed ('(a*)*'
 * matches what 'a*' does).
 */
#define NULLABLE_GROUP_COST 8

/*
 * A walk over the pattern: where it is, the syntax, the first reason to
 * refuse, and whether what was scanned last can match the empty string.
 */
struct scan {
	const char *p;
	bool ere;
	int depth;
	bool nullable;
	char why[96];
};

static uint64_t sat_add(uint64_t a, uint64_t b)
{
	return a + b > TOO_BIG ? TOO_BIG : a + b;
}

static uint64_t sat_mul(uint64_t a, uint64_t b)
{
	if (a == 0 || b == 0)
		return 0;
	return a > TOO_BIG / b ? TOO_BIG : (a * b > TOO_BIG ? TOO_BIG : a * b);
}

/* Skip a bracket expression; s->p is just past the '['. */
static void skip_bracket(struct scan *s)
{
	const char *p = s->p;

	if (*p == '^')
		p++;
	if (*p == ']')
		p++; /* a leading ']' is a member */
	while (*p && *p != ']') {
		if (p[0] == '[' && (p[1] == ':' || p[1] == '.' || p[1] == '=')) {
			char close = p[1];
			const char *end = p + 2;

			while (*end && !(end[0] == close && end[1] == ']'))
				end++;
			p = *end ? end + 2 : end;
			continue;
		}
		p++;
	}
	s->p = *p ? p + 1 : p;
}

/* A number of at most 5 digits at *pp (more is too many); -1 when there is none. */
static long read_count(const char **pp)
{
	const char *p = *pp;
	long v = 0;
	int digits = 0;

	while (*p >= '0' && *p <= '9') {
		if (digits++ < 6)
			v = v * 10 + (*p - '0');
		p++;
	}
	*pp = p;
	return digits == 0 ? -1 : digits > 6 ? 1000000 : v;
}

/* A repeat operator: how many copies regcomp makes, whether it may take none, whether it has no bound. */
struct repeat {
	uint64_t copies;
	bool may_be_none;
	bool unbounded;
};

/*
 * An interval at s->p ("{m}", "{m,}", "{m,n}" in ERE; "\{...\}" in BRE,
 * s->p at the '{'/'\\').  Sets *ret and moves past it; false when it is
 * not an interval (then it is a literal and s->p is unchanged).
 */
static bool read_interval(struct scan *s, struct repeat *ret)
{
	const char *p = s->p + (s->ere ? 1 : 2);
	long m, n;

	m = read_count(&p);
	if (m < 0 && *p != ',')
		return false;
	if (m < 0)
		m = 0; /* glibc reads "{,n}" as "{0,n}" */
	n = m;
	if (*p == ',') {
		p++;
		n = read_count(&p); /* -1: no upper bound */
	}
	if (s->ere ? *p != '}' : (p[0] != '\\' || p[1] != '}'))
		return false;
	s->p = p + (s->ere ? 1 : 2);
	if (m > MSP_REGEX_MAX_REPEAT || n > MSP_REGEX_MAX_REPEAT) {
		snprintf(s->why, sizeof(s->why), "a repeat count above %d", MSP_REGEX_MAX_REPEAT);
		return true;
	}
	ret->copies = n < 0 ? (uint64_t)m + 1 : (uint64_t)(n > m ? n : m);
	if (ret->copies == 0)
		ret->copies = 1;
	ret->may_be_none = m == 0;
	ret->unbounded = n < 0;
	return true;
}

/* The repeat operator at s->p, if any: moves past it and sets *ret. */
static bool read_quantifier(struct scan *s, struct repeat *ret)
{
	const char *p = s->p;
	char op = 0;

	if (*p == '*')
		op = *p;
	else if (s->ere && (*p == '+' || *p == '?'))
		op = *p;
	else if (!s->ere && p[0] == '\\' && (p[1] == '+' || p[1] == '?'))
		op = p[1];
	else if ((s->ere && p[0] == '{') || (!s->ere && p[0] == '\\' && p[1] == '{'))
		return read_interval(s, ret);
	if (!op)
		return false;
	s->p += p[0] == '\\' ? 2 : 1;
	ret->copies = op == '+' ? 2 : 1;
	ret->may_be_none = op != '+';
	ret->unbounded = op != '?';
	return true;
}

static uint64_t scan_alternatives(struct scan *s);

/* One atom at s->p (moves past it); its size.  Sets s->nullable. */
static uint64_t scan_atom(struct scan *s)
{
	const char *p = s->p;

	/* anchors and word boundaries match the empty string, and cost like a nullable group */
	s->nullable = *p == '^' || *p == '$' || (*p == '\\' && p[1] && strchr("bB<>`'", p[1]));
	if (s->nullable) {
		s->p += *p == '\\' ? 2 : 1;
		return NULLABLE_GROUP_COST;
	}

	if ((s->ere && *p == '(') || (!s->ere && p[0] == '\\' && p[1] == '(')) {
		uint64_t inner;

		s->p += s->ere ? 1 : 2;
		if (++s->depth > MSP_REGEX_MAX_DEPTH) {
			snprintf(s->why, sizeof(s->why), "groups nested more than %d deep", MSP_REGEX_MAX_DEPTH);
			return TOO_BIG;
		}
		inner = scan_alternatives(s); /* sets s->nullable for the group */
		s->depth--;
		if (s->ere && *s->p == ')')
			s->p++;
		else if (!s->ere && s->p[0] == '\\' && s->p[1] == ')')
			s->p += 2;
		inner = sat_add(inner, 1);
		return s->nullable ? sat_mul(inner, NULLABLE_GROUP_COST) : inner;
	}
	if (*p == '[') {
		s->p++;
		skip_bracket(s);
		return 1;
	}
	if (*p == '\\' && p[1]) {
		s->p += 2;
		return 1;
	}
	s->p++;
	return 1;
}

/* True at the end of a branch: the end, '|', or the ')' that closes the group. */
static bool branch_end(const struct scan *s)
{
	const char *p = s->p;

	if (!*p)
		return true;
	if (s->ere)
		return *p == '|' || (*p == ')' && s->depth > 0);
	return p[0] == '\\' && (p[1] == '|' || (p[1] == ')' && s->depth > 0));
}

/* A branch (pieces in a row); its size.  Sets s->nullable: every piece can match nothing. */
static uint64_t scan_branch(struct scan *s)
{
	uint64_t size = 0;
	bool nullable = true;

	while (!branch_end(s) && !s->why[0]) {
		uint64_t piece = scan_atom(s);
		bool piece_nullable = s->nullable;
		struct repeat rep = { 1, false, false };
		bool empty_loop = false;
		int stacked = 0;

		while (!s->why[0] && read_quantifier(s, &rep)) {
			if (++stacked > MSP_REGEX_MAX_STACKED) {
				snprintf(s->why, sizeof(s->why), "more than %d repeat operators in a row",
					 MSP_REGEX_MAX_STACKED);
				break;
			}
			empty_loop = empty_loop || (rep.unbounded && piece_nullable);
			piece = sat_mul(piece, rep.copies);
			piece_nullable = piece_nullable || rep.may_be_none;
		}
		if (empty_loop && !s->why[0])
			snprintf(s->why, sizeof(s->why), "an unbounded repeat of a part that can match nothing");
		nullable = nullable && piece_nullable;
		size = sat_add(size, piece);
		if (size >= TOO_BIG && !s->why[0])
			snprintf(s->why, sizeof(s->why), "its repeats expand to more than %d parts", MSP_REGEX_MAX_SIZE);
	}
	s->nullable = nullable;
	return size;
}

/* Branches separated by '|'; their size.  Sets s->nullable: some branch can match nothing. */
static uint64_t scan_alternatives(struct scan *s)
{
	uint64_t size = scan_branch(s);
	bool nullable = s->nullable;

	while (!s->why[0] && *s->p) {
		if (s->ere && *s->p == '|')
			s->p++;
		else if (!s->ere && s->p[0] == '\\' && s->p[1] == '|')
			s->p += 2;
		else
			break;
		size = sat_add(size, scan_branch(s));
		nullable = nullable || s->nullable;
		if (size >= TOO_BIG && !s->why[0])
			snprintf(s->why, sizeof(s->why), "its repeats expand to more than %d parts", MSP_REGEX_MAX_SIZE);
	}
	s->nullable = nullable;
	return size;
}

int msp_regex_check(const char *pattern, int cflags, const char *what, struct msp_error *err)
{
	struct scan s;

	if (!pattern)
		return msp_error_set(err, MSP_EINVAL, "no %s", what ? what : "regular expression");
	memset(&s, 0, sizeof(s));
	s.p = pattern;
	s.ere = (cflags & REG_EXTENDED) != 0;
	while (*s.p && !s.why[0]) {
		scan_alternatives(&s);
		if (*s.p && !s.why[0])
			s.p++; /* an unmatched ')': regcomp decides what it is */
	}
	if (s.why[0])
		return msp_error_set(err, MSP_EINVAL, "%s '%.60s%s' is too complex: %s", what ? what : "regular expression",
				     pattern, strlen(pattern) > 60 ? "..." : "", s.why);
	return 0;
}

int msp_regex_compile(regex_t *re, const char *pattern, int cflags, const char *what, struct msp_error *err)
{
	char step[256], msg[256];
	int rc;

	if (msp_regex_check(pattern, cflags, what, err) < 0)
		return MSP_EINVAL;
	msp_step_current(step, sizeof(step));
	msp_step("compiling the regular expression '%.60s%s'", pattern, strlen(pattern) > 60 ? "..." : "");
	rc = regcomp(re, pattern, cflags);
	msp_step("%s", step);
	if (rc != 0) {
		regerror(rc, re, msg, sizeof(msg));
		return msp_error_set(err, rc == REG_ESPACE ? MSP_ENOMEM : MSP_EINVAL,
				     "cannot compile %s '%.60s%s': %s", what ? what : "regular expression", pattern,
				     strlen(pattern) > 60 ? "..." : "", msg);
	}
	return 0;
}
