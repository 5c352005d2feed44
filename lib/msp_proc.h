/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * msp_proc.h - processes as /proc shows them (what ps prints, without ps).
 *
 * A proc root is "/proc" or, in tests, a directory holding a recorded copy
 * (<root>/stat, <root>/uptime and <root>/<pid>/{stat,status,cmdline}).
 *
 * Reading is split by file, so a caller reads only what it needs: the
 * stat file gives pid, ppid, state, comm, flags, nice, threads, times, vsz
 * and rss; status adds the real and effective uid and locked memory;
 * cmdline adds the argument text.  A process can end at any moment: a
 * read that finds its files gone (ENOENT, ESRCH) returns MSP_ENOENT, which
 * callers treat as "skip it", never as a failure of the whole listing; any
 * other failure is MSP_ESYS, never "gone".  Every read is bounded.
 * Nothing here prints.
 *
 * Two ways to walk the processes: msp_proc_foreach() with a callback, or
 * the msp_proc_iter_* iterator over pids with the msp_proc_read_* readers
 * (or msp_proc_path() for any other file of a process).
 */
#ifndef MSP_PROC_H
#define MSP_PROC_H

#include <dirent.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "msp_error.h"

/* Which files msp_proc_read() and msp_proc_foreach() read. */
enum {
	MSP_PROC_STAT = 1 << 0,    /* <pid>/stat: always read */
	MSP_PROC_STATUS = 1 << 1,  /* <pid>/status: uids, VmLck */
	MSP_PROC_CMDLINE = 1 << 2, /* <pid>/cmdline: args */
};

/* Ceiling for one process's argument text; longer text is cut (args_truncated). */
#define MSP_PROC_ARGS_MAX (128 * 1024)

/* The kernel's PF_KTHREAD bit in the stat flags field. */
#define MSP_PROC_PF_KTHREAD 0x00200000UL

/* Machine-wide facts the per-process times are computed from. */
struct msp_proc_system {
	double uptime;    /* seconds since boot (<root>/uptime) */
	int64_t btime;    /* boot time, seconds since the epoch (<root>/stat "btime") */
	long hz;          /* clock ticks per second (sysconf(_SC_CLK_TCK)) */
	long page_kib;    /* page size in KiB */
};

struct msp_proc {
	long pid;
	long ppid;
	long pgrp;
	long session;
	long tpgid;       /* foreground process group of the terminal, -1 when none */
	char state;       /* R S D Z T t X I ... */
	char comm[64];    /* command name as the kernel keeps it (up to 15 bytes on Linux) */
	unsigned long flags; /* PF_* bits (MSP_PROC_PF_KTHREAD) */
	long nice;
	long threads;
	uint64_t utime, stime; /* clock ticks */
	uint64_t starttime;    /* clock ticks after boot */
	uint64_t vsz_kib;
	uint64_t rss_kib;
	double cpu_seconds;     /* (utime + stime) / hz */
	double elapsed_seconds; /* uptime - starttime / hz, >= 0 */

	/* MSP_PROC_STATUS */
	bool has_status;
	long uid_real, uid_effective;
	uint64_t vmlck_kib;

	/* MSP_PROC_CMDLINE: owned, NUL-separated arguments joined by spaces; for a process without
	 * any ("[comm]" as ps shows kernel threads, "[comm] <defunct>" for a zombie) */
	char *args;
	bool args_truncated;
};

/*
 * Read uptime and btime under root (NULL = "/proc") plus the clock tick and
 * page size.  0, or MSP_ENOENT/MSP_ESYS/MSP_EINVAL with a message.
 */
int msp_proc_system_read(const char *root, struct msp_proc_system *ret, struct msp_error *err);

/*
 * Write "<root>/<pid>/<name>" (name may be NULL or "" for the process's
 * directory) into buf.  0, or MSP_ETOOBIG when it does not fit.
 */
int msp_proc_path(const char *root, long pid, const char *name, char *buf, size_t len);

/*
 * Iterator over the pids under a proc root, in directory order:
 *
 *   r = msp_proc_iter_open(&it, root, err);
 *   while (r == 0 && msp_proc_iter_next(&it, &pid) == 1)
 *           ... (r = an error of the caller's stops the walk)
 *   if (r == 0)
 *           r = msp_proc_iter_check(&it, err);  (a failed listing is an error)
 *   msp_proc_iter_close(&it);
 */
struct msp_proc_iter {
	DIR *dir;
	const char *root; /* as given to _open ("/proc" for NULL): must outlive the iterator */
	int error;        /* errno of a failed listing; 0 while it has not failed */
};

/* Open root (NULL = "/proc").  0 or MSP_ENOENT/MSP_ESYS with a message; close with _close. */
int msp_proc_iter_open(struct msp_proc_iter *it, const char *root, struct msp_error *err);

/*
 * The next pid: 1 with *ret_pid set, 0 at the end, MSP_ESYS (errno set,
 * and kept in it->error) when the listing failed: a caller must not take
 * that for the end, or the processes not yet listed would silently not
 * exist.  msp_proc_iter_check() after the loop says which it was.
 */
int msp_proc_iter_next(struct msp_proc_iter *it, long *ret_pid);

/*
 * After the walk: 0 when the listing did not fail (it ended, or the
 * caller stopped early), else MSP_ESYS with "cannot list the processes in
 * '<root>': <strerror>" in err (may be NULL).
 */
int msp_proc_iter_check(const struct msp_proc_iter *it, struct msp_error *err);

/* Release the iterator (safe on one that failed to open or was closed). */
void msp_proc_iter_close(struct msp_proc_iter *it);

/*
 * Fill the stat part of *p for pid (p is cleared first; args stays NULL).
 * sys supplies hz, page size and uptime.  0, MSP_ENOENT (the process is
 * gone) or MSP_EINVAL (unparseable stat) with a message.
 */
int msp_proc_read_stat(const char *root, long pid, const struct msp_proc_system *sys, struct msp_proc *p,
		       struct msp_error *err);

/* Add the status part (uids, VmLck) to *p.  0, MSP_ENOENT or MSP_EINVAL. */
int msp_proc_read_status(const char *root, struct msp_proc *p, struct msp_error *err);

/*
 * Add the args to *p (p->args, owned by p: free with msp_proc_release).
 * Needs p->comm and p->state from the stat part.  0, MSP_ENOENT or MSP_ENOMEM.
 */
int msp_proc_read_cmdline(const char *root, struct msp_proc *p, struct msp_error *err);

/* Read the parts named in fields (MSP_PROC_STAT is implied) for pid into *p. */
int msp_proc_read(const char *root, long pid, unsigned fields, const struct msp_proc_system *sys,
		  struct msp_proc *p, struct msp_error *err);

/* Free p->args; *p may be read into again. */
void msp_proc_release(struct msp_proc *p);

/*
 * Call fn for every process under root whose files in `fields` could be
 * read; processes that vanish or are unreadable meanwhile are skipped.  p
 * is valid only during the call (its args are freed after).  fn returns
 * 0 to go on, > 0 to stop early (msp_proc_foreach then returns 0) or a
 * negative MSP_E* that ends the walk and is returned.  Also returns the
 * errors of msp_proc_system_read and msp_proc_iter_open.
 */
int msp_proc_foreach(const char *root, unsigned fields, int (*fn)(const struct msp_proc *p, void *data),
		     void *data, struct msp_error *err);

/*
 * STAT as ps prints it: the state letter, then < or N (nice), L (locked
 * pages: needs MSP_PROC_STATUS), s (session leader), l (threads), + (in the
 * terminal's foreground group).  buf gets at most 7 characters and a NUL.
 */
void msp_proc_stat_text(const struct msp_proc *p, char buf[8]);

/* ELAPSED as ps's etime prints it: [[dd-]hh:]mm:ss.  Returns buf. */
char *msp_proc_etime(double seconds, char *buf, size_t len);

/*
 * %CPU as ps prints it: CPU time over the process's life, in tenths of a
 * percent, truncated (ps's integer arithmetic), so 12.3 for 12.3%.  0 for a
 * process younger than a second.
 */
double msp_proc_pcpu(const struct msp_proc *p, const struct msp_proc_system *sys);

#endif
