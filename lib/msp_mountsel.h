/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * msp_mountsel.h - choosing filesystems the way df-like plugins do
 * (check_disk's -p -E -r -R -A -i -I -x -X -N -l -L), and asking them for
 * their usage with a deadline.
 *
 * A selection is a list of steps in command-line order:
 *   PATH    a path, a mount point or a device (with exact: a mount point or
 *           a device only); a path is resolved by the probe (stat,
 *           realpath), which reaches the mount it lies on
 *   REGEX   every mount whose mount point or source matches
 *   ALL     every mount
 *   IGNORE  drop what the steps before it selected and matches
 * Selecting the same name again (a path, or a mount point) does not add an
 * item: the item moves to the later step (which carries, say, other
 * thresholds).  msp_mount_items_filter() then drops what the filter, the
 * remote rule and IGNORE steps exclude, pseudo filesystems that a REGEX or
 * ALL step reached (a PATH step keeps them: the caller asked by name), and
 * every filesystem reached a second time (the first item keeps it).  It
 * runs before the probe (for what is known) and after it (for resolved
 * paths), so a filtered mount is never touched.
 *
 * Library code: nothing here prints or exits.
 */
#ifndef MSP_MOUNTSEL_H
#define MSP_MOUNTSEL_H

#include <regex.h>
#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "msp_error.h"
#include "msp_mount.h"

/*
 * Which mounts to look at: the filters of df-like plugins.  A type is a
 * whole-name extended regular expression ("tmpfs" is just tmpfs, "fuse.*"
 * every FUSE type, as Icinga's ITL passes it); a name is a device or a
 * mount point, compared exactly.  A zeroed struct passes everything.
 */
struct msp_mount_filter {
	regex_t *types_out; /* owned */
	size_t ntypes_out;
	regex_t *types_in; /* owned; when there are any, other types are skipped */
	size_t ntypes_in;
	const char **names_out; /* owned array of borrowed strings */
	size_t nnames_out;
};

/* Add a type pattern to skip (include false) or to keep only.  0, MSP_EINVAL (bad regex) or MSP_ENOMEM. */
int msp_mount_filter_add_type(struct msp_mount_filter *f, bool include, const char *pattern, struct msp_error *err);

/* Add a device or mount point to skip; name is borrowed and must outlive f.  0 or MSP_ENOMEM. */
int msp_mount_filter_add_name(struct msp_mount_filter *f, const char *name, struct msp_error *err);

/* True when m passes f. */
bool msp_mount_filter_pass(const struct msp_mount_filter *f, const struct msp_mount *m);

/* Free what f holds; f is zeroed (passes everything) afterwards. */
void msp_mount_filter_release(struct msp_mount_filter *f);

enum msp_mount_step_kind {
	MSP_MOUNT_PATH,
	MSP_MOUNT_REGEX,
	MSP_MOUNT_ALL,
	MSP_MOUNT_IGNORE,
};

/* What to do with network filesystems (msp_mount_is_remote). */
enum msp_mount_remote {
	MSP_MOUNT_REMOTE_KEEP = 0,
	MSP_MOUNT_REMOTE_SKIP,      /* -l */
	MSP_MOUNT_REMOTE_STAT_ONLY, /* -L: probe them, but mark the items stat_only */
};

struct msp_mount_step {
	enum msp_mount_step_kind kind;
	const char *arg; /* PATH: path, mount point or device; REGEX, IGNORE: the expression; borrowed */
	regex_t re;      /* REGEX, IGNORE: compiled arg */
	bool exact;      /* PATH: must be a mount point or a device (no resolving) */
	bool unfiltered; /* the filter and the remote rule spare what this step selects */
};

struct msp_mount_selection {
	struct msp_mount_step *steps; /* owned */
	size_t nsteps;
	struct msp_mount_filter filter;
	enum msp_mount_remote remote;
};

/*
 * Append a step (arg is borrowed and must outlive s; icase for REGEX and
 * IGNORE).  Returns the new step's index, MSP_EINVAL with a message when
 * the regular expression does not compile, or MSP_ENOMEM.
 */
int msp_mount_selection_add(struct msp_mount_selection *s, enum msp_mount_step_kind kind, const char *arg, bool icase,
			    bool exact, bool unfiltered, struct msp_error *err);

/* Free the steps and the filter; s is empty afterwards. */
void msp_mount_selection_release(struct msp_mount_selection *s);

struct msp_mount_item {
	const char *name;            /* PATH argument or mount point; borrowed */
	size_t step;                 /* index of the step that selected it last */
	const struct msp_mount *mnt; /* NULL until known; borrowed from the mount table */
	bool resolve;                /* the probe resolves the path to find its mount */
	bool not_found;              /* exact PATH that is no mount point or device */
	bool skip;                   /* dropped by msp_mount_items_filter */
	bool stat_only;              /* remote with MSP_MOUNT_REMOTE_STAT_ONLY */
	/* what the probe found (see struct msp_statvfs_job) */
	enum msp_statvfs_status status;
	int error;
	const char *call;
	struct msp_fsusage usage;
	char *resolved; /* owned */
	double seconds;
};

struct msp_mount_items {
	struct msp_mount_item *v; /* owned: msp_mount_items_release */
	size_t n;
};

/*
 * Run the steps of s against table t into *ret (initialised by the call;
 * release it also on error).  MSP_EINVAL when a REGEX step matches no
 * mount ("regular expression '...' matches no mount point or device"),
 * MSP_ENOMEM.
 */
int msp_mount_select(const struct msp_mount_selection *s, const struct msp_mount_table *t, struct msp_mount_items *ret,
		     struct msp_error *err);

/* Give resolved items their mount and mark what is dropped (see the top of this file). */
void msp_mount_items_filter(const struct msp_mount_selection *s, const struct msp_mount_table *t,
			    struct msp_mount_items *items);

/*
 * statvfs() for every item not skipped or not_found (resolving paths),
 * with msp_statvfs_run and the deadline; fills the probe fields.  opts may
 * be NULL.  0, or MSP_E* when no worker could be started.
 */
int msp_mount_items_probe(struct msp_mount_items *items, const struct timespec *deadline,
			  const struct msp_statvfs_opts *opts, struct msp_error *err);

/* Free the items (accepts an empty or released list). */
void msp_mount_items_release(struct msp_mount_items *items);

#endif
