/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * msp_dir.h - listing one directory without losing what could not be read.
 *
 * A readdir(3) loop that stops at the first NULL cannot tell "the end" from
 * "an error" unless errno is checked, and one that skips an entry fstatat(2)
 * could not examine hides it.  msp_dir_list() reads the whole directory and
 * either returns every entry or fails:
 *  - "." and ".." are left out; entries are sorted by strcmp(3) of their names
 *    (byte order, whatever the locale), so output never depends on readdir order.
 *  - each entry carries its name, readdir's d_type and a struct stat from
 *    fstatat(2), without following a symbolic link unless MSP_DIR_FOLLOW.
 *  - an entry that vanished between readdir and fstatat (ENOENT) is left out
 *    (it is gone; with MSP_DIR_FOLLOW so is a dangling link); any other
 *    fstatat failure fails the listing, or, with MSP_DIR_UNREADABLE, keeps
 *    the entry with errnum set and st zeroed.
 *  - opendir or readdir failing is MSP_ESYS naming the directory (never a
 *    short list), with the errno in ret->errnum.
 *  - more than `max` entries is MSP_ETOOBIG.
 */
#ifndef MSP_DIR_H
#define MSP_DIR_H

#include <stddef.h>
#include <sys/stat.h>

#include "msp_error.h"

/* A default for `max`: far above any directory a check reads, far below exhausting memory. */
#define MSP_DIR_MAX_DEFAULT 100000

enum {
	MSP_DIR_FOLLOW = 1u << 0,     /* stat through symbolic links (stat, not lstat) */
	MSP_DIR_UNREADABLE = 1u << 1, /* keep an entry fstatat cannot examine, flagged, instead of failing */
};

struct msp_dir_entry {
	char *name;         /* owned */
	unsigned char type; /* d_type from readdir (DT_UNKNOWN where the filesystem does not say) */
	int errnum;         /* 0, or fstatat's errno (MSP_DIR_UNREADABLE only; st is then zero) */
	struct stat st;
};

struct msp_dir {
	struct msp_dir_entry *entry; /* owned array of n, sorted by name */
	size_t n;
	int errnum; /* on MSP_ESYS: the errno of opendir/readdir/fstatat (set even though the call failed) */
};

/*
 * List directory dir into *ret (no need to initialise it).  flags: MSP_DIR_*.
 * max: most entries accepted (0 = MSP_DIR_MAX_DEFAULT).  Returns 0,
 * MSP_EINVAL (empty dir), MSP_ESYS (err names the directory, or the entry,
 * and the error; ret->errnum holds errno), MSP_ETOOBIG or MSP_ENOMEM; on
 * failure ret holds no entries.  The caller frees *ret with msp_dir_release().
 */
int msp_dir_list(const char *dir, unsigned flags, size_t max, struct msp_dir *ret, struct msp_error *err);

/*
 * The same for the directory open on dfd (not taken over: the caller still
 * closes it; the listing reads from a duplicate, rewound to the start, which
 * moves dfd's shared offset).  name is only for messages.
 */
int msp_dir_list_at(int dfd, const char *name, unsigned flags, size_t max, struct msp_dir *ret,
		    struct msp_error *err);

/* Free what d owns; d is empty afterwards (and may be reused). */
void msp_dir_release(struct msp_dir *d);

#endif
