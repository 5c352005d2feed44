/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * msp_age.h - is a timestamp recent enough?  The judgement every backup,
 * signature and status check makes.
 *
 * A policy holds warning/critical ranges on the age in seconds (durations
 * with units: "-w 26h -c 50h", ranges such as "1h:26h") and how far a
 * timestamp may lie in the future before it counts as a clock problem.
 * A timestamp ahead of now by more than max_future is a WARNING, never
 * "fresh": a backup dated tomorrow says nothing about whether one ran today.
 * One up to max_future ahead is small clock skew and counts as age 0.
 */
#ifndef MSP_AGE_H
#define MSP_AGE_H

#include <stddef.h>

#include "msp_error.h"
#include "msp_range.h"
#include "msp_result.h"
#include "msp_state.h"

#define MSP_AGE_MAX_FUTURE_DEFAULT 300.0 /* 5m */

struct msp_age_policy {
	struct msp_threshold thr; /* on the age in seconds */
	double max_future;        /* seconds a timestamp may lie ahead of now */
};

/*
 * Fill *ret from -w/-c text (NULL leaves that threshold absent; a plugin
 * passes its defaults) and --max-future text (NULL means 5m).  Bare numbers
 * are seconds.  Returns 0, or MSP_EINVAL with a message; *ret is set only
 * on success.
 */
int msp_age_policy_parse(struct msp_age_policy *ret, const char *warn, const char *crit, const char *max_future,
			 struct msp_error *err);

/*
 * The same for a plugin with default limits: warn and crit are what the
 * user gave (NULL: not given, the default applies).  When the user gave
 * both as plain ages and warning is above critical ("-w 50h -c 26h"), the
 * result is MSP_EINVAL with a message that says so: the one rule every age
 * check follows.
 */
int msp_age_policy_parse_defaults(struct msp_age_policy *ret, const char *warn, const char *crit,
				  const char *default_warn, const char *default_crit, const char *max_future,
				  struct msp_error *err);

/*
 * Judge timestamp `when` at `now` (both seconds since the epoch).
 * *ret_age is now - when, 0 for a timestamp up to max_future ahead, and
 * negative for one beyond it.  buf receives a phrase for summaries:
 * "5h 3m ago", "just now" or "3h 2m in the future (clock problem?)".
 * Returns WARNING for a timestamp beyond max_future ahead (unless a
 * threshold on the age gives a worse state for age 0), else the threshold
 * state of the age (OK when no threshold is set).  A NaN timestamp is
 * UNKNOWN.
 */
#define MSP_AGE_PHRASE_MAX 64
enum msp_state msp_age_judge(const struct msp_age_policy *p, double when, double now, double *ret_age, char *buf,
			     size_t len);

/*
 * Add perfdata `label`=AGEs;warn;crit;0 to r, with the policy's
 * thresholds (a negative age is written as 0).  Returns the item or NULL
 * on ENOMEM.
 */
struct msp_perf *msp_age_add_perf(struct msp_result *r, const char *label, const struct msp_age_policy *p, double age);

#endif
