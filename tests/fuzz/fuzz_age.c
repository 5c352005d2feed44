/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * fuzz_age.c - msp_age_policy_parse, msp_age_policy_parse_defaults and
 * msp_age_judge (the freshness rule of the backup, signature and status
 * checks).
 *
 * Input: a flag byte (which of -w, -c, --max-future are given; whether
 * the defaults "26h" and "50h" apply), 16 bytes for the timestamp and now
 * (two doubles, any bits), then the -w, -c and --max-future text, one
 * line each.  Invariants: a policy that parses has a finite, non-negative
 * max_future and ranges with start <= end; a NaN timestamp is UNKNOWN; a
 * timestamp beyond max_future ahead of now is never better than WARNING;
 * the age is now - when, 0 for small clock skew and negative only beyond
 * it; the phrase fits its buffer; the perfdata age is never negative.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "msp.h"

static void check_judge(const struct msp_age_policy *p, double when, double now)
{
	char phrase[MSP_AGE_PHRASE_MAX];
	double age = 12345;
	enum msp_state st = msp_age_judge(p, when, now, &age, phrase, sizeof(phrase));
	struct msp_result *root;
	struct msp_perf *perf;

	FUZZ_ASSERT(st >= MSP_STATE_OK && st <= MSP_STATE_UNKNOWN, "state %d", (int)st);
	FUZZ_ASSERT(memchr(phrase, '\0', sizeof(phrase)), "the phrase is not terminated");
	if (isnan(when) || isnan(now)) {
		FUZZ_ASSERT(st == MSP_STATE_UNKNOWN || isnan(now), "NaN timestamp judged %d", (int)st);
		return;
	}
	if (!isfinite(when) || !isfinite(now))
		return;
	if (when > now + p->max_future && isfinite(now - when)) {
		FUZZ_ASSERT(st != MSP_STATE_OK, "%.17g is %.17g s ahead of %.17g, judged OK ('%s')", when, when - now,
			    now, phrase);
		FUZZ_ASSERT(age < 0, "%.17g ahead: age %.17g", when - now, age);
	} else if (when > now) {
		FUZZ_ASSERT(age == 0, "%.17g s of skew: age %.17g", when - now, age);
	} else {
		FUZZ_ASSERT(age == now - when, "age %.17g, want %.17g", age, now - when);
	}
	root = msp_result_new();
	FUZZ_ASSERT(root, "out of memory");
	perf = msp_age_add_perf(root, "age", p, age);
	FUZZ_ASSERT(perf && !(perf->value < 0), "perfdata age %g for age %g", perf ? perf->value : 0, age);
	msp_result_free(root);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct msp_age_policy p;
	struct msp_error err;
	double when, now;
	unsigned flags;
	char *w, *c, *f;
	int r;

	if (size < 17)
		return 0;
	flags = data[0];
	memcpy(&when, data + 1, sizeof(when));
	memcpy(&now, data + 9, sizeof(now));
	data += 17;
	size -= 17;
	w = fuzz_take(&data, &size, '\n');
	c = fuzz_take(&data, &size, '\n');
	f = fuzz_take(&data, &size, '\n');
	msp_error_init(&err);
	if (flags & 8)
		r = msp_age_policy_parse_defaults(&p, flags & 1 ? w : NULL, flags & 2 ? c : NULL, "26h", "50h",
						  flags & 4 ? f : NULL, &err);
	else
		r = msp_age_policy_parse(&p, flags & 1 ? w : NULL, flags & 2 ? c : NULL, flags & 4 ? f : NULL, &err);
	if (r < 0) {
		FUZZ_ASSERT(r == MSP_EINVAL && err.msg[0], "returned %d without a message", r);
	} else {
		FUZZ_ASSERT(r == 0 && isfinite(p.max_future) && p.max_future >= 0, "max_future %g", p.max_future);
		if (p.thr.has_warn)
			FUZZ_ASSERT(p.thr.warn.start_inf || p.thr.warn.end_inf || p.thr.warn.start <= p.thr.warn.end,
				    "warning range");
		if (p.thr.has_crit)
			FUZZ_ASSERT(p.thr.crit.start_inf || p.thr.crit.end_inf || p.thr.crit.start <= p.thr.crit.end,
				    "critical range");
		check_judge(&p, when, now);
	}
	free(w);
	free(c);
	free(f);
	return 0;
}
