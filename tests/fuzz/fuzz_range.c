/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * fuzz_range.c - msp_range_parse (thresholds).
 *
 * Input: one byte choosing the unit families, the 1024 convention and the
 * bare scale, then the range text.  Invariants: a parsed range has start <=
 * end (when both are finite) and finite numbers; it formats back
 * (msp_range_format) to text that parses again, as bare numbers in base
 * units, to the same range up to the 6 decimals perfdata prints, and that
 * second range is a fixed point (formats and parses to itself exactly);
 * alerting agrees with the range's bounds, and NaN always alerts.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "msp.h"

static const double scales[] = { 0, 1, 1024, 1048576, 0.001, 60 };

static bool same(const struct msp_range *a, const struct msp_range *b)
{
	return a->inside == b->inside && a->start_inf == b->start_inf && a->end_inf == b->end_inf &&
	       (a->start_inf || a->start == b->start) && (a->end_inf || a->end == b->end);
}

/* A number msp_range_format printed: 6 decimals, and clamped to 1e300. */
static bool near(double parsed, double printed)
{
	if (fabs(parsed) >= 1e300)
		return fabs(printed) == 1e300;
	return fuzz_close(parsed, printed, 1e-12, 5.0001e-7);
}

static void check_bounds(const struct msp_range *r, const char *text)
{
	FUZZ_ASSERT(msp_range_alert(r, NAN), "NaN does not alert for '%s'", text);
	if (!r->start_inf) {
		FUZZ_ASSERT(isfinite(r->start), "start %g of '%s'", r->start, text);
		FUZZ_ASSERT(msp_range_alert(r, r->start) == r->inside, "start of '%s'", text);
		if (r->start > -1e300)
			FUZZ_ASSERT(msp_range_alert(r, -INFINITY) != r->inside, "below '%s'", text);
	}
	if (!r->end_inf) {
		FUZZ_ASSERT(isfinite(r->end), "end %g of '%s'", r->end, text);
		FUZZ_ASSERT(msp_range_alert(r, r->end) == r->inside, "end of '%s'", text);
		FUZZ_ASSERT(msp_range_alert(r, INFINITY) != r->inside, "above '%s'", text);
	}
	if (!r->start_inf && !r->end_inf)
		FUZZ_ASSERT(r->start <= r->end, "start %g above end %g in '%s'", r->start, r->end, text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct msp_range r1, r2, r3;
	struct msp_error err;
	char t2[MSP_RANGE_FORMAT_MAX], t3[MSP_RANGE_FORMAT_MAX];
	unsigned mask;
	double scale;
	char *text;
	int r;

	if (size < 1)
		return 0;
	mask = data[0] & 7u;
	if (data[0] & 8u)
		mask |= MSP_NUM_SIZE_1024;
	scale = scales[(data[0] >> 4) % (sizeof(scales) / sizeof(scales[0]))];
	text = fuzz_strndup(data + 1, size - 1);
	msp_error_init(&err);
	r = msp_range_parse(text, mask, scale, &r1, &err);
	if (r < 0) {
		FUZZ_ASSERT(r == MSP_EINVAL && err.msg[0], "failure %d without a message for '%s'", r, text);
		goto out;
	}
	FUZZ_ASSERT(r == 0, "returned %d", r);
	check_bounds(&r1, text);

	msp_range_format(&r1, 1, t2, sizeof(t2));
	r = msp_range_parse(t2, mask & ~(unsigned)MSP_NUM_SIZE_1024, 1, &r2, &err);
	FUZZ_ASSERT(r == 0, "'%s' formats to '%s', which does not parse: %s", text, t2, err.msg);
	FUZZ_ASSERT(r1.inside == r2.inside && r1.end_inf == r2.end_inf, "'%s' -> '%s' changes shape", text, t2);
	FUZZ_ASSERT(r1.start_inf == r2.start_inf, "'%s' -> '%s' changes the start", text, t2);
	FUZZ_ASSERT(r1.start_inf || near(r1.start, r2.start), "'%s' -> '%s': start %.17g, now %.17g", text, t2,
		    r1.start, r2.start);
	FUZZ_ASSERT(r1.end_inf || near(r1.end, r2.end), "'%s' -> '%s': end %.17g, now %.17g", text, t2, r1.end, r2.end);
	check_bounds(&r2, t2);

	msp_range_format(&r2, 1, t3, sizeof(t3));
	r = msp_range_parse(t3, 0, 1, &r3, &err);
	FUZZ_ASSERT(r == 0 && same(&r2, &r3), "'%s' -> '%s' -> '%s' is no fixed point", text, t2, t3);
out:
	free(text);
	return 0;
}
