/* SPDX-License-Identifier: GPL-3.0-or-later */
/* msp_age.c - judging timestamps against age thresholds (see msp_age.h). */
#include <math.h>
#include <stdio.h>

#include "msp_age.h"
#include "msp_num.h"
#include "banned.h"

int msp_age_policy_parse(struct msp_age_policy *ret, const char *warn, const char *crit, const char *max_future,
			 struct msp_error *err)
{
	struct msp_age_policy p = { .max_future = MSP_AGE_MAX_FUTURE_DEFAULT };
	int rc;

	if (warn) {
		rc = msp_range_parse(warn, MSP_UNIT_DURATION, 1, &p.thr.warn, err);
		if (rc < 0)
			return rc;
		p.thr.has_warn = true;
	}
	if (crit) {
		rc = msp_range_parse(crit, MSP_UNIT_DURATION, 1, &p.thr.crit, err);
		if (rc < 0)
			return rc;
		p.thr.has_crit = true;
	}
	if (max_future) {
		rc = msp_num_duration(max_future, &p.max_future, err);
		if (rc < 0)
			return rc;
		if (p.max_future < 0)
			return msp_error_set(err, MSP_EINVAL, "max future '%s' is negative", max_future);
	}
	*ret = p;
	return 0;
}

int msp_age_policy_parse_defaults(struct msp_age_policy *ret, const char *warn, const char *crit,
				  const char *default_warn, const char *default_crit, const char *max_future,
				  struct msp_error *err)
{
	struct msp_age_policy p;
	int rc;

	rc = msp_age_policy_parse(&p, warn ? warn : default_warn, crit ? crit : default_crit, max_future, err);
	if (rc < 0)
		return rc;
	/*
	 * One rule for every age check: a warning limit above the critical one
	 * would never warn (the age is CRITICAL first): a typo, not a policy.
	 * Only when the user gave both: "-c 12h" alone keeps the default warning
	 * (which then never fires), as it always did.  Ranges with a lower bound
	 * ("1h:26h") are the user's to order.
	 */
	if (warn && crit && msp_range_is_plain_upper(&p.thr.warn) && msp_range_is_plain_upper(&p.thr.crit) &&
	    p.thr.warn.end > p.thr.crit.end)
		return msp_error_set(err, MSP_EINVAL,
				     "warning age '%s' is above critical age '%s': it would be CRITICAL before it is "
				     "ever a WARNING (swap the two)",
				     warn, crit);
	*ret = p;
	return 0;
}

enum msp_state msp_age_judge(const struct msp_age_policy *p, double when, double now, double *ret_age, char *buf,
			     size_t len)
{
	char human[64];
	double age = now - when;
	enum msp_state st;

	if (!isfinite(age)) {
		snprintf(buf, len, "at an unknown time");
		*ret_age = NAN;
		return MSP_STATE_UNKNOWN;
	}
	if (age < -p->max_future) {
		snprintf(buf, len, "%s in the future (clock problem?)", msp_num_human_duration(-age, human, sizeof(human)));
		*ret_age = age;
		st = msp_threshold_eval(&p->thr, 0);
		return msp_state_worst(st, MSP_STATE_WARNING);
	}
	if (age < 0)
		age = 0;
	if (age < 1)
		snprintf(buf, len, "just now");
	else
		snprintf(buf, len, "%s ago", msp_num_human_duration(age, human, sizeof(human)));
	*ret_age = age;
	return msp_threshold_eval(&p->thr, age);
}

struct msp_perf *msp_age_add_perf(struct msp_result *r, const char *label, const struct msp_age_policy *p, double age)
{
	struct msp_perf *perf;

	perf = msp_result_add_perf(r, label, age > 0 ? age : 0, "s", &p->thr);
	if (perf) {
		perf->decimals = 0; /* whole seconds: graphs need no nanoseconds */
		msp_perf_set_min(perf, 0);
	}
	return perf;
}
