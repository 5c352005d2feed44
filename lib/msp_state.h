/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * msp_state.h - the four plugin states and how they combine.
 *
 * Exit codes are the Nagios ones: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN.
 *
 * Severity ranking (used wherever sub-results combine into one state):
 *     OK < WARNING < UNKNOWN < CRITICAL
 * UNKNOWN ("could not check") outranks WARNING because it may hide a
 * CRITICAL: a result we could not obtain must never read as better than a
 * warning we did obtain.  A CRITICAL that was actually measured still ranks
 * highest, because it is known to need action now.
 */
#ifndef MSP_STATE_H
#define MSP_STATE_H

#include "msp_error.h"

enum msp_state {
	MSP_STATE_OK = 0,
	MSP_STATE_WARNING = 1,
	MSP_STATE_CRITICAL = 2,
	MSP_STATE_UNKNOWN = 3,
};

/* "OK", "WARNING", "CRITICAL", "UNKNOWN"; never NULL (out of range -> "UNKNOWN"). */
const char *msp_state_name(enum msp_state s);

/* Severity rank per the table above: OK 0, WARNING 1, UNKNOWN 2, CRITICAL 3. */
int msp_state_rank(enum msp_state s);

/* The more severe of a and b. */
enum msp_state msp_state_worst(enum msp_state a, enum msp_state b);

/*
 * Parse a state name or number, case-insensitive: "ok", "warning"/"warn",
 * "critical"/"crit", "unknown", or "0".."3".  Returns 0 and sets *ret_state,
 * or MSP_EINVAL with a message in err (may be NULL) when s (may be NULL) is
 * not a state.
 */
int msp_state_parse(const char *s, enum msp_state *ret_state, struct msp_error *err);

#endif
