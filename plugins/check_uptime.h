/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * check_uptime.h - the pure parts of check_uptime, for the unit tests.
 */
#ifndef CHECK_UPTIME_H
#define CHECK_UPTIME_H

#include <stdbool.h>
#include <time.h>

#include "msp.h"

struct check_uptime_config {
	struct msp_threshold th;           /* in seconds */
	bool show_for;                     /* --for: "up for 3 days, 4 hours, 5 minutes" */
	bool show_since;                   /* --since: "up since 2026-11-28 02:51 +0000" */
	const char *proc_root;             /* "/proc" unless a test points elsewhere */
	const char *warn_text, *crit_text; /* -w/-c as given (argv; NULL: not given), parsed by finish */
	bool minimum_pair;                 /* finish read -w/-c as minimum uptimes (check_uptime_minimum_pair) */
};

/* Parse /proc/uptime ("13206.31 9155.23") into seconds.  0 or MSP_EINVAL. */
int check_uptime_parse(const char *text, double *ret_seconds, struct msp_error *err);

/*
 * Read -w/-c the way check_uptime does: a range of durations ("10m",
 * "10m:4w", "@1h:2h"; bare numbers are seconds).  When both are bare
 * durations and warning is above critical (the Icinga 2 ITL default
 * 30m/15m), both become minimum uptimes ("30m:", "15m:") and it returns
 * true; false when th is left as it is.  Done by finish (which records it
 * in cfg->minimum_pair, so the output can say how -w/-c were read);
 * exposed for tests.
 */
bool check_uptime_minimum_pair(struct msp_threshold *th);

/* Fill root: state, summary, perfdata.  now is the wall clock.  0 or MSP_ENOMEM. */
int check_uptime_evaluate(const struct check_uptime_config *cfg, double uptime, time_t now, struct msp_result *root);

#endif
