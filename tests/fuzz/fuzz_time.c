/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * fuzz_time.c - msp_time_parse_rfc3339.
 *
 * Input: one byte choosing the flags (offset required, naive UTC, naive
 * local), then the text.  TZ is Europe/Berlin, so naive local times meet
 * daylight saving time.  Invariants: a success is finite; a text with an
 * offset means the same instant whatever the flags; a naive text read as
 * local time is read as UTC too; and the instant, written again as RFC 3339
 * in UTC (from gmtime), parses back to itself (to the microsecond).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fuzz.h"
#include "msp.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	setenv("TZ", "Europe/Berlin", 1);
	tzset();
	return 0;
}

static void check_rewrite(const char *s, double t)
{
	struct tm tm;
	double whole = floor(t), back = 0;
	time_t secs = (time_t)whole;
	long usec = (long)((t - whole) * 1e6);
	char buf[80];
	struct msp_error err;

	if (t < -62135596800.0 || t > MSP_TIME_EPOCH_MAX)
		return; /* years 1-9999 only */
	FUZZ_ASSERT(msp_time_utc(secs, &tm), "gmtime of %.17g ('%s')", t, s);
	snprintf(buf, sizeof(buf), "%04d-%02d-%02dT%02d:%02d:%02d.%06ldZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
		 tm.tm_hour, tm.tm_min, tm.tm_sec, usec);
	msp_error_init(&err);
	FUZZ_ASSERT(msp_time_parse_rfc3339(buf, 0, &back, &err) == 0, "'%s' is %.17g, written '%s': %s", s, t, buf,
		    err.msg);
	FUZZ_ASSERT(fuzz_close(t, back, 0, 2e-6), "'%s' is %.17f, written '%s' is %.17f", s, t, buf, back);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const unsigned flag_sets[] = { 0, MSP_TIME_NAIVE_UTC, MSP_TIME_NAIVE_LOCAL, 0 };
	struct msp_error err;
	double t = NAN, t0 = NAN, tu = NAN, tl = NAN;
	unsigned flags;
	char *s;
	int r, r0, ru, rl;

	if (size < 1)
		return 0;
	flags = flag_sets[data[0] & 3u];
	s = fuzz_strndup(data + 1, size - 1);
	msp_error_init(&err);
	r = msp_time_parse_rfc3339(s, flags, &t, &err);
	FUZZ_ASSERT(r == 0 || (r == MSP_EINVAL && err.msg[0]), "returned %d for '%s'", r, s);
	if (r == 0) {
		FUZZ_ASSERT(isfinite(t), "'%s' gives %g", s, t);
		check_rewrite(s, t);
	}
	r0 = msp_time_parse_rfc3339(s, 0, &t0, NULL);
	ru = msp_time_parse_rfc3339(s, MSP_TIME_NAIVE_UTC, &tu, NULL);
	rl = msp_time_parse_rfc3339(s, MSP_TIME_NAIVE_LOCAL, &tl, NULL);
	if (r0 == 0) {
		/* an offset was given: the flags change nothing */
		FUZZ_ASSERT(ru == 0 && rl == 0 && t0 == tu && t0 == tl,
			    "'%s': %.17g, naive UTC %d %.17g, local %d %.17g", s, t0, ru, tu, rl, tl);
	}
	/* (a naive time in the gap of a clock change may be refused as local time, not the other way) */
	FUZZ_ASSERT(rl != 0 || ru == 0, "'%s' parses as naive local time but not as UTC (%d)", s, ru);
	free(s);
	return 0;
}
