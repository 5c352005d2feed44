/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * fuzz_num.c - msp_num_duration, msp_num_size, msp_num_value and the plain
 * number parsers (msp_num_double, msp_num_int64, msp_num_uint64).
 *
 * Input: one byte choosing the unit families, the 1024 convention and the
 * bare scale, then the text.  Invariants: a success is finite, in its
 * bounds and of a unit family that was allowed; the shorthands agree with
 * msp_num_value; the text with '#' appended never parses (the whole string
 * must be consumed); a value formatted by msp_num_format parses back to
 * itself (up to the 12 decimals printed); an integer the integer parsers
 * take is the number msp_num_double reads.
 */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "msp.h"

static const double scales[] = { 0, 1, 1024, 1048576, 0.001, 1e300 };

static void check_format(double v, const char *text)
{
	char buf[MSP_NUM_FORMAT_MAX];
	double back;

	if (fabs(v) >= 1e300)
		return; /* msp_num_format clamps there, by design */
	msp_num_format(v, 12, buf, sizeof(buf));
	FUZZ_ASSERT(msp_num_double(buf, &back) == 0, "'%s': %.17g formats to '%s', which does not parse", text, v, buf);
	FUZZ_ASSERT(fuzz_close(v, back, 1e-15, 5.0001e-13), "'%s': %.17g formats to '%s' = %.17g", text, v, buf, back);
	FUZZ_ASSERT(!strchr(buf, 'e') && !strchr(buf, 'E'), "'%s' formats with an exponent: '%s'", text, buf);
}

static char *with_suffix(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	char *t = malloc(n + m + 1);

	if (!t)
		abort();
	memcpy(t, s, n);
	memcpy(t + n, suffix, m + 1);
	return t;
}

static void check_value(const char *s, unsigned mask, double scale)
{
	struct msp_error err;
	enum msp_unit unit = MSP_UNIT_PERCENT;
	double v = 0, w = 0;
	char *t;
	int r;

	msp_error_init(&err);
	r = msp_num_value(s, mask, scale, &v, &unit, &err);
	if (r < 0) {
		FUZZ_ASSERT(r == MSP_EINVAL && err.msg[0], "failure %d without a message for '%s'", r, s);
		return;
	}
	FUZZ_ASSERT(r == 0 && isfinite(v), "'%s' gives %g (%d)", s, v, r);
	FUZZ_ASSERT(unit == MSP_UNIT_NONE || (mask & unit), "'%s' gives unit %d outside mask %#x", s, unit, mask);
	check_format(v, s);
	t = with_suffix(s, "#");
	FUZZ_ASSERT(msp_num_value(t, mask, scale, &w, NULL, NULL) == MSP_EINVAL, "'%s' parses", t);
	free(t);
	if ((mask & ~(unsigned)MSP_NUM_SIZE_1024) == MSP_UNIT_DURATION && (scale == 0 || scale == 1)) {
		FUZZ_ASSERT(msp_num_duration(s, &w, NULL) == 0 && w == v, "duration of '%s' differs", s);
	} else if (mask == MSP_UNIT_SIZE && (scale == 0 || scale == 1)) {
		FUZZ_ASSERT(msp_num_size(s, &w, NULL) == 0 && w == v, "size of '%s' differs", s);
	}
}

static void check_plain(const char *s)
{
	double d = 0;
	int64_t i = 0;
	uint64_t u = 0;
	bool is_d = msp_num_double(s, &d) == 0;
	bool is_i = msp_num_int64(s, INT64_MIN, INT64_MAX, &i) == 0;
	bool is_u = msp_num_uint64(s, UINT64_MAX, &u) == 0;
	char *t;

	if (is_d) {
		FUZZ_ASSERT(isfinite(d), "'%s' gives %g", s, d);
		check_format(d, s);
		t = with_suffix(s, "#");
		FUZZ_ASSERT(msp_num_double(t, &d) == MSP_EINVAL, "'%s' parses", t);
		free(t);
	}
	if (is_i) {
		FUZZ_ASSERT(is_d, "integer '%s' is no double", s);
		FUZZ_ASSERT(fuzz_close((double)i, d, 1e-15, 0), "'%s': %" PRId64 " vs %.17g", s, i, d);
		if (i < INT64_MAX)
			FUZZ_ASSERT(msp_num_int64(s, i + 1, INT64_MAX, &i) == MSP_EINVAL,
				    "'%s' is accepted below its minimum", s);
	}
	if (is_u) {
		FUZZ_ASSERT(is_d, "unsigned '%s' is no double", s);
		FUZZ_ASSERT(fuzz_close((double)u, d, 1e-15, 0), "'%s': %" PRIu64 " vs %.17g", s, u, d);
		if (u > 0)
			FUZZ_ASSERT(msp_num_uint64(s, u - 1, &u) == MSP_EINVAL, "'%s' is accepted above its maximum",
				    s);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned mask;
	double scale;
	char *s;

	if (size < 1)
		return 0;
	mask = data[0] & 7u;
	if (data[0] & 8u)
		mask |= MSP_NUM_SIZE_1024;
	scale = scales[(data[0] >> 4) % (sizeof(scales) / sizeof(scales[0]))];
	s = fuzz_strndup(data + 1, size - 1);
	check_value(s, mask, scale);
	check_value(s, MSP_UNIT_DURATION, 1);
	check_value(s, MSP_UNIT_SIZE, 1);
	check_plain(s);
	free(s);
	return 0;
}
