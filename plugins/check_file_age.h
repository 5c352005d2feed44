/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * check_file_age.h - the pure parts of check_file_age, for the unit tests.
 */
#ifndef CHECK_FILE_AGE_H
#define CHECK_FILE_AGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "msp.h"

/* Long output lists at most this many matched files. */
#define CHECK_FILE_AGE_LIST_MAX 20

enum check_file_age_pick {
	CHECK_FILE_AGE_NEWEST = 0, /* judge the most recently modified match (default) */
	CHECK_FILE_AGE_OLDEST,     /* judge the least recently modified match */
};

struct check_file_age_config {
	/* From the options; strings point into argv.  NULL = not given ('' is not given either). */
	const char *file;      /* a path, or a glob(3) pattern when it holds * ? or [ */
	const char *warn_age;  /* -w */
	const char *crit_age;  /* -c */
	const char *warn_size; /* -W */
	const char *crit_size; /* -C */
	bool ignore_missing;   /* -i */
	int pick;              /* enum check_file_age_pick */
	bool has_future_state; /* --future-state given */
	enum msp_state future_state;

	/* Filled by check_file_age_thresholds(). */
	bool range_mode;               /* one of -w -c -W -C used range syntax */
	struct msp_threshold age;      /* evaluated against the age in seconds */
	struct msp_threshold size;     /* evaluated against the size in bytes */
	struct msp_threshold age_perf; /* the same limits as the perfdata shows them */
	struct msp_threshold size_perf;
};

/* One file that exists (stat(2) succeeded, symlinks followed). */
struct check_file_age_entry {
	char *path;      /* owned */
	int64_t mtime;   /* seconds since the epoch */
	long mtime_nsec; /* only used to order files modified in the same second */
	int64_t size;    /* bytes */
};

struct check_file_age_sample {
	struct check_file_age_entry *entry; /* owned array of n entries */
	size_t n;
	bool glob; /* the file argument was expanded as a pattern */
};

/*
 * Turn the -w -c -W -C texts of cfg into cfg->age, size, age_perf and
 * size_perf, the way the reference does it: when every given value is a
 * bare number (we also accept a unit suffix: 15m, 26h, 10KB), an age limit
 * N alerts when the age is above N and a size limit N alerts when the size
 * is *below* N; as soon as one value uses range syntax, all four are
 * ranges, and a size limit that is unset or "0" becomes "0:".  Unset ages
 * default to 240 (warning) and 600 (critical) seconds.
 * Returns 0, or MSP_EINVAL with a message; cfg is changed only on success.
 */
int check_file_age_thresholds(struct check_file_age_config *cfg, struct msp_error *err);

/*
 * Add a copy of one matched file to s.  Returns 0 or MSP_ENOMEM (s is
 * unchanged then).  The sample owns the copy.
 */
int check_file_age_sample_add(struct check_file_age_sample *s, const char *path, int64_t mtime, long mtime_nsec,
			      int64_t size);

/* Free what s owns; s is empty afterwards. */
void check_file_age_sample_release(struct check_file_age_sample *s);

/*
 * Fill root from cfg (after check_file_age_thresholds), the sample and the
 * wall clock `now` (seconds since the epoch): state, summary, perfdata
 * and, for a pattern, one long-output line per matched file (at most
 * CHECK_FILE_AGE_LIST_MAX).  Returns 0 or MSP_ENOMEM.
 */
int check_file_age_evaluate(const struct check_file_age_config *cfg, const struct check_file_age_sample *s, int64_t now,
			    struct msp_result *root);

#endif
