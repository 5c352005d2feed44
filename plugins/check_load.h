/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * check_load.h - the pure parts of check_load, for the unit tests.
 */
#ifndef CHECK_LOAD_H
#define CHECK_LOAD_H

#include <stdbool.h>

#include "msp.h"

struct check_load_config {
	struct msp_range warn[3];
	struct msp_range crit[3];
	bool has_warn, has_crit;
	bool percpu;
	long procs_to_show;    /* -n: 0..1000 */
	const char *proc_root; /* "/proc" unless a test points elsewhere */
};

struct check_load_sample {
	double load[3]; /* 1, 5, 15 minutes */
	long ncpu;      /* online CPUs, >= 1 */
};

/* Parse /proc/loadavg text ("0.72 0.26 0.09 1/79 6208").  0 or MSP_EINVAL with a message. */
int check_load_parse(const char *text, struct check_load_sample *ret, struct msp_error *err);

/*
 * Parse a -w/-c value: one to three comma-separated thresholds; missing
 * ones repeat the last given (as the reference does).  0 or MSP_EINVAL.
 */
int check_load_parse_thresholds(const char *arg, struct msp_range ret[3], struct msp_error *err);

/* Fill root from cfg and sample: state, summary, perfdata.  0 or MSP_ENOMEM. */
int check_load_evaluate(const struct check_load_config *cfg, const struct check_load_sample *s,
			struct msp_result *root);

#endif
