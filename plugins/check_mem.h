/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * check_mem.h - the pure parts of check_mem, for the unit tests.
 */
#ifndef CHECK_MEM_H
#define CHECK_MEM_H

#include <stdbool.h>
#include <stdint.h>

#include "msp.h"

enum check_mem_mode {
	CHECK_MEM_USED = 0,  /* -u: judge used memory (default) */
	CHECK_MEM_AVAILABLE, /* -f / -a: judge available memory */
};

struct check_mem_config {
	enum check_mem_mode mode;          /* from opt_used/opt_available (finish) */
	bool opt_used, opt_available;      /* -u; -f or -a */
	bool opt_cache;                    /* -C: accepted, changes nothing (MemAvailable counts caches) */
	const char *warn_text, *crit_text; /* -w/-c as given (argv), parsed by finish; NULL = unset */
	struct msp_range warn, crit;       /* percent (unit NONE or PERCENT) or bytes (unit SIZE) */
	bool has_warn, has_crit;
	bool estimate;         /* --estimate-available: allow the estimate without MemAvailable */
	const char *proc_root; /* "/proc" unless a test points elsewhere */
};

struct check_mem_sample {
	uint64_t total;      /* MemTotal */
	uint64_t available;  /* MemAvailable, or the estimate */
	uint64_t free;       /* MemFree */
	uint64_t buffers;    /* Buffers */
	uint64_t page_cache; /* Cached */
	bool estimated;      /* available is the estimate (no MemAvailable) */
};

/*
 * Turn parsed meminfo into a sample.  Without MemAvailable (Linux < 3.14)
 * this fails (MSP_EINVAL, saying so) unless estimate is set; then available
 * is MemFree + Buffers + Cached + SReclaimable - Shmem, capped at MemTotal,
 * and sample->estimated is set.  Missing or inconsistent fields are
 * MSP_EINVAL.
 */
int check_mem_sample_from(const struct msp_meminfo *mi, bool estimate, struct check_mem_sample *ret,
			  struct msp_error *err);

/*
 * Parse a -w/-c value for mode: a range whose numbers are percent (bare or
 * with %) or sizes with a unit (500MB, 2GiB; KB MB GB TB are powers of
 * 1024).  For CHECK_MEM_AVAILABLE a plain number N means "alert below N"
 * (N:), the way free-memory thresholds are written.  0 or MSP_EINVAL.
 */
int check_mem_parse_threshold(const char *arg, enum check_mem_mode mode, struct msp_range *ret, struct msp_error *err);

/* Fill root: state, summary, perfdata.  0 or MSP_ENOMEM. */
int check_mem_evaluate(const struct check_mem_config *cfg, const struct check_mem_sample *s, struct msp_result *root);

#endif
