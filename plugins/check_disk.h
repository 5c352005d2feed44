/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * check_disk.h - the pure parts of check_disk, for the unit tests.
 *
 * The pipeline: options build a mount selection (msp_mountsel.h), one
 * step per -p, -r, -R, -A, -i, -I, with the thresholds and group in force
 * at that step beside it (thresholds are positional, as in
 * monitoring-plugins: a -p takes the thresholds given before it).
 * msp_mount_select() and msp_mount_items_filter() turn it into items, the
 * probe fills in statvfs(), check_disk_evaluate() makes the result tree.
 */
#ifndef CHECK_DISK_H
#define CHECK_DISK_H

#include <stdbool.h>
#include <stdint.h>

#include "msp.h"

enum { CHECK_DISK_WARN = 0, CHECK_DISK_CRIT = 1 };

struct check_disk_limit {
	struct msp_range r; /* alert inside (the reference prefixes '@' to every free-space range) */
	bool set;
};

/* The thresholds in force when a path was selected. */
struct check_disk_limits {
	struct check_disk_limit free_units[2]; /* free space: bare numbers count -u units, sizes are bytes */
	struct check_disk_limit free_pct[2];   /* free space in percent of used + available */
	struct check_disk_limit used_pct[2];   /* used space in percent, alert outside (legacy positionals) */
	struct check_disk_limit ifree_pct[2];  /* free inodes in percent */
};

/* What a selection step of the mount selection carries here (same index as the step). */
struct check_disk_op {
	const char *group;            /* -g in force (NULL: none) */
	struct check_disk_limits lim; /* thresholds in force */
};

/* -u, -k, -m (0: not given, MiB). */
enum {
	CHECK_DISK_UNIT_B = 1,
	CHECK_DISK_UNIT_KIB,
	CHECK_DISK_UNIT_MIB,
	CHECK_DISK_UNIT_GIB,
	CHECK_DISK_UNIT_TIB,
	CHECK_DISK_UNIT_PIB
};

struct check_disk_config {
	struct msp_mount_selection sel; /* -p -r -R -A -i -I -E; -x -X -N -l -L by finish */
	struct check_disk_op *ops;      /* owned, one per sel step (check_disk_config_release) */
	struct check_disk_limits cur;   /* thresholds given so far */
	const char *group;
	bool path_selected, exact, any_option;
	unsigned npaths;  /* positional paths so far */
	int units;        /* CHECK_DISK_UNIT_* of -u/-k/-m; 0 when none was given */
	uint64_t mult;    /* bytes per display unit: 1048576 unless -u, -k (finish) */
	const char *unit; /* "MiB" (finish) */
	bool errors_only, show_device, ignore_reserved, inode_perf, ignore_missing;
	bool local, stat_remote;            /* -l, -L */
	struct msp_list xdev, xtype, ntype; /* -x, -X, -N */
	const char *mount_table;            /* a recorded mount table instead of /proc/self/mountinfo */
	enum msp_state timeout_state;
	unsigned timeout;
};

/*
 * Parse a -w/-c value into lim (percent with a '%', else free space).
 * 0 or MSP_EINVAL with a message.
 */
int check_disk_parse_free(const char *arg, struct check_disk_limit lim_units[2], struct check_disk_limit lim_pct[2],
			  int which, struct msp_error *err);

/* Fill root from the probed items: state, summary, long output, perfdata.  0 or MSP_ENOMEM. */
int check_disk_evaluate(const struct check_disk_config *cfg, const struct msp_mount_items *items,
			struct msp_result *root);

void check_disk_config_release(struct check_disk_config *cfg);

#endif
