/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * check_swap.h - the pure parts of check_swap, for the unit tests.
 */
#ifndef CHECK_SWAP_H
#define CHECK_SWAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "msp.h"

/*
 * One threshold level (-w or -c).  As in the reference, a level may hold a
 * percentage and a size at once ("-w 20% -w 500MB"); each alerts when free
 * swap is at or below it.  0 means unset (the reference reads 0 that way).
 */
struct check_swap_level {
	double percent;                        /* of the swap size, 0 = unset */
	double bytes;                          /* 0 = unset */
	const char *percent_text, *bytes_text; /* as given (argv), for messages; NULL when unset */
};

struct check_swap_config {
	struct check_swap_level warn, crit;
	bool all_swaps;        /* -a: judge each device of /proc/swaps */
	enum msp_state noswap; /* state when there is no swap at all (-n, default CRITICAL) */
	bool noswap_set;       /* -n was given */
	const char *proc_root; /* "/proc" unless a test points elsewhere */
};

#define CHECK_SWAP_NAME_MAX 256

struct check_swap_device {
	char name[CHECK_SWAP_NAME_MAX]; /* as /proc/swaps writes it (blanks escaped as \040) */
	uint64_t size, used;            /* bytes */
};

struct check_swap_sample {
	uint64_t total, free;          /* bytes, from /proc/meminfo */
	struct check_swap_device *dev; /* owned; from /proc/swaps, only with -a */
	size_t ndev;
};

/*
 * Parse a -w/-c value into level: "N%" (percent free, 0..100), a size in
 * bytes ("100000000") or with a unit ("500MB" = 500 MiB: KB MB GB TB are
 * powers of 1024 here, as the summary's MB are).  "" leaves level as it is.
 * 0 or MSP_EINVAL.
 */
int check_swap_parse_threshold(const char *arg, struct check_swap_level *level, struct msp_error *err);

/* SwapTotal/SwapFree of parsed meminfo into *ret (dev untouched).  0 or MSP_EINVAL. */
int check_swap_from_meminfo(const struct msp_meminfo *mi, struct check_swap_sample *ret, struct msp_error *err);

/*
 * Parse /proc/swaps text into a malloc'd array (*ret_dev, caller frees;
 * NULL with *ret_n 0 when no device is active).  0, MSP_EINVAL or MSP_ENOMEM.
 */
int check_swap_parse_swaps(const char *text, struct check_swap_device **ret_dev, size_t *ret_n, struct msp_error *err);

/* Fill root: state, summary, perfdata, one child per device with -a.  0 or MSP_ENOMEM. */
int check_swap_evaluate(const struct check_swap_config *cfg, const struct check_swap_sample *s,
			struct msp_result *root);

#endif
