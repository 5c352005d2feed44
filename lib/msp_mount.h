/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * msp_mount.h - the mount table, and statvfs() that cannot hang the plugin.
 *
 * Mount table.  /proc/self/mountinfo is read by preference: it names every
 * mount exactly (mount id, parent, major:minor, the root of a bind mount,
 * the type with its FUSE subtype).  The /proc/mounts format is understood
 * too (fallback, and recorded tables).  Octal escapes the kernel writes in
 * paths ("\040" for a blank) are decoded.  Entries keep the kernel's order,
 * which is mount order: when a mount point appears twice, the later entry
 * is mounted on top and is the one a path lookup reaches.
 *
 * statvfs with a deadline.  statvfs(), stat() and realpath() on a dead NFS
 * server or a FUSE daemon that no longer answers block, often in a sleep
 * no signal of ours ends.  So the calls run in forked worker processes that
 * report over a pipe, one text line per event ("starting <i> <path>" before
 * each call, then "ok ..." or "failed ..."); the parent polls the pipes
 * until the deadline.  When a call has not answered for a while (stall_ms),
 * the jobs after it move to a new worker, so one dead mount does not hide
 * the state of the others; the stalled worker keeps its job and is still
 * heard if it answers before the deadline.  Workers are registered with
 * msp_timeout_track_child() and killed (SIGKILL) when they are no longer
 * needed, at the latest when msp_statvfs_run() returns.  The parent itself
 * touches a mounted filesystem only for jobs marked in_process, which the
 * caller keeps to local filesystems whose statvfs() answers from memory
 * (msp_mount_is_local): on a typical server every filesystem is such, and
 * no worker is forked at all.
 *
 * Library code: nothing here prints or exits.
 */
#ifndef MSP_MOUNT_H
#define MSP_MOUNT_H

#include <regex.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "msp_error.h"

struct msp_mount {
	int id;         /* mount id; -1 when read from the /proc/mounts format */
	int parent_id;  /* -1 when unknown */
	unsigned major; /* st_dev of the filesystem (0:0 when unknown) */
	unsigned minor;
	char *root;    /* what of the filesystem is mounted: "/" or a bind-mounted subdirectory */
	char *target;  /* mount point */
	char *fstype;  /* "ext4", "tmpfs", "fuse.sshfs" */
	char *source;  /* "/dev/sda1", "server:/export", "tmpfs" */
	char *options; /* mount options, "rw,relatime" */
};

/* A parsed table.  Owns the entries and their strings. */
struct msp_mount_table {
	struct msp_mount *mounts;
	size_t n;
};

/* Largest mount table read (hosts with thousands of container mounts stay far below). */
#define MSP_MOUNT_TABLE_MAX (16u << 20)

/*
 * Parse mount table text, in the mountinfo or the /proc/mounts format
 * (decided per line), into *ret (initialised by the call; free it with
 * msp_mount_table_release even on error).  Lines that fit neither format
 * are an error (MSP_EINVAL naming the line number); an empty text gives an
 * empty table.  Returns 0, MSP_EINVAL or MSP_ENOMEM.
 */
int msp_mount_table_parse(const char *text, struct msp_mount_table *ret, struct msp_error *err);

/*
 * Read and parse the mount table file at path; NULL reads
 * /proc/self/mountinfo, falling back to /proc/mounts when that is missing.
 * Tests pass a recorded file.  Same returns as msp_mount_table_parse, plus
 * MSP_ENOENT / MSP_ESYS / MSP_ETOOBIG from reading.
 */
int msp_mount_table_read(const char *path, struct msp_mount_table *ret, struct msp_error *err);

/* Free the entries (accepts a zeroed or already released table). */
void msp_mount_table_release(struct msp_mount_table *t);

/* The last (topmost) entry whose mount point is exactly target, or NULL.  Borrowed from t. */
const struct msp_mount *msp_mount_by_target(const struct msp_mount_table *t, const char *target);

/* The last entry whose source is exactly source, or NULL.  Borrowed from t. */
const struct msp_mount *msp_mount_by_source(const struct msp_mount_table *t, const char *source);

/*
 * The mount an absolute, canonical path (no symlinks, "." or "..": what
 * realpath() returns) lies on: the entry with the longest mount point that
 * is a whole-component prefix of path, the last of equals.  NULL for a
 * relative path or an empty table.  Borrowed from t.
 */
const struct msp_mount *msp_mount_for_path(const struct msp_mount_table *t, const char *path);

/* True when a later entry has the same mount point, so m is covered and unreachable by path. */
bool msp_mount_is_covered(const struct msp_mount_table *t, const struct msp_mount *m);

/* True for network filesystems (NFS, SMB/CIFS, sshfs, Ceph, ...: "server:/x" and "//server/x" sources too). */
bool msp_mount_is_remote(const struct msp_mount *m);

/*
 * True for filesystems whose statvfs() answers from memory and cannot
 * block on a device or a network: block-device filesystems that keep their
 * counters in the superblock in memory (ext2/3/4, xfs, btrfs, ...) and
 * memory filesystems (tmpfs, devtmpfs).  Their calls may run in the
 * plugin's own process (msp_statvfs_job.in_process), which saves a fork.
 * Network, FUSE, overlay (it asks its upper filesystem, which may be remote)
 * and unknown types are not local.
 */
bool msp_mount_is_local(const struct msp_mount *m);

/*
 * True for kernel pseudo filesystems that never account space (proc,
 * sysfs, cgroup, devpts, autofs, ...).  Checking them is pointless, and
 * statvfs() on an autofs mount point may trigger a mount.
 */
bool msp_mount_is_pseudo(const struct msp_mount *m);

/* True when re (compiled with REG_NOSUB) matches the mount point or the source of m. */
bool msp_mount_match(const struct msp_mount *m, const regex_t *re);

/* ------------------------------------------------------------ statvfs */

/* What statvfs() says about a filesystem, in fixed-width numbers. */
struct msp_fsusage {
	uint64_t frsize; /* the unit of the block counts, in bytes */
	uint64_t blocks; /* size */
	uint64_t bfree;  /* free, including blocks reserved for root */
	uint64_t bavail; /* free for unprivileged users */
	uint64_t files;  /* inodes (0: the filesystem has no fixed inode count) */
	uint64_t ffree;
	uint64_t favail;
	uint64_t flag; /* ST_RDONLY, ST_NOSUID, ... */
};

/*
 * Space of a filesystem as df counts it, in bytes: used is blocks - bfree,
 * avail is bavail (0 when a system reports more than bfree), size is
 * blocks, or used + avail when without_reserve leaves out what only root
 * may use.  Products saturate at UINT64_MAX instead of wrapping.
 */
struct msp_fsspace {
	uint64_t used;
	uint64_t avail;
	uint64_t size;
};
void msp_fsusage_space(const struct msp_fsusage *u, bool without_reserve, struct msp_fsspace *ret);

/* part in percent of whole, rounded up (df's rule, so 0.1% used is 1%); -1 when whole is 0. */
int msp_percent_up(uint64_t part, uint64_t whole);

enum msp_statvfs_status {
	MSP_STATVFS_PENDING = 0, /* never started: the deadline came first */
	MSP_STATVFS_OK,
	MSP_STATVFS_FAILED,  /* a call failed: error and call say which and why */
	MSP_STATVFS_TIMEOUT, /* started, but did not answer before the deadline */
};

struct msp_statvfs_job {
	/* in */
	const char *path; /* borrowed; must stay valid during msp_statvfs_run */
	bool resolve;     /* also stat() the path and return realpath() of it */
	bool in_process;  /* the caller vouches the calls cannot block (see msp_mount_is_local): no worker */
	/* out */
	enum msp_statvfs_status status;
	int error;                /* errno, when FAILED */
	const char *call;         /* "stat", "realpath", "statvfs" or "worker" (static), when FAILED */
	struct msp_fsusage usage; /* when OK */
	char *resolved;           /* when OK and resolve: the canonical path; owned, see msp_statvfs_jobs_release */
	double seconds;           /* how long the job took, when OK or FAILED */
};

/*
 * The work a worker does for one job, replaceable for tests (a test makes a
 * path "hang" without a dead mount).  Runs in the worker process.  Returns 0
 * and fills *ret_usage (and *ret_resolved, malloc'd, when job->resolve), or
 * an errno value with *ret_call naming the call that failed.
 */
typedef int (*msp_statvfs_probe_fn)(const struct msp_statvfs_job *job, struct msp_fsusage *ret_usage,
				    char **ret_resolved, const char **ret_call);

struct msp_statvfs_opts {
	msp_statvfs_probe_fn probe; /* NULL: stat/realpath/statvfs */
	unsigned stall_ms;          /* 0: 300 ms */
	unsigned max_workers;       /* workers alive at once; 0: 16 */
};

/*
 * Run the jobs (status, error, usage, resolved are reset first) until all
 * have answered or *deadline (CLOCK_MONOTONIC) passes; jobs still running
 * then are TIMEOUT, jobs never started PENDING.  opts may be NULL.
 * Returns 0 when the jobs ran (whatever each job's outcome), or MSP_ESYS /
 * MSP_ENOMEM when no worker could be started.
 */
int msp_statvfs_run(struct msp_statvfs_job *jobs, size_t n, const struct timespec *deadline,
		    const struct msp_statvfs_opts *opts, struct msp_error *err);

/* Free the resolved paths of n jobs (the jobs themselves belong to the caller). */
void msp_statvfs_jobs_release(struct msp_statvfs_job *jobs, size_t n);

/*
 * Escape s for one protocol or table field: bytes <= ' ', DEL and '\\'
 * become "\ooo" (what the kernel writes in mountinfo).  Writes into out
 * (size outlen, always NUL-terminated); returns 0, or MSP_ETOOBIG when it
 * did not fit.  msp_mount_unescape() reverses it in place.
 */
int msp_mount_escape(const char *s, char *out, size_t outlen);
void msp_mount_unescape(char *s);

#endif
