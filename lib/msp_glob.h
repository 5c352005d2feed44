/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * msp_glob.h - expanding a glob(3)-style pattern without losing what could not be read.
 *
 * glob(3) drops a match silently when it cannot look: with a wildcard for the host
 * in '/srv/nas/HOST/daily.0' and a host directory the monitoring user may list but
 * not search, glibc's lstat of host2/daily.0 fails with EACCES, the error callback
 * is never called and host2 simply is not there.  msp_glob_expand() walks the pattern
 * one component at a time and returns, next to the matches, every place it could
 * not read or search, with the errno, so a plugin can say UNKNOWN instead of OK.
 *
 * Semantics (those of a shell and of glob(3) without flags, with the differences
 * named):
 *  - * ? [...] per component (fnmatch(3) with FNM_PERIOD: a leading dot must be
 *    matched explicitly); a backslash quotes the next character; '.' and '..' are
 *    never produced by a wildcard.  No ~, no {a,b}.
 *  - a component without wildcards is taken as written; the last one must exist
 *    (lstat: a dangling symlink counts, as in glob(3)).
 *  - symbolic links are followed where a later component needs a directory, as
 *    glob(3) does; the number of components bounds the walk, so a link loop
 *    cannot trap it.
 *  - a trailing '/' keeps only directories (the match keeps the '/').
 *  - "does not exist" (ENOENT, ENOTDIR) is no match, as in a shell; every other
 *    failure (EACCES, ELOOP, EIO, ...) of opendir, readdir or lstat is an error
 *    entry naming the path tried.
 *  - matches, and the error entries, are sorted by strcmp(3) (byte order,
 *    whatever the locale).
 *  - at most `max` matches and `max` candidates per level, and
 *    MSP_DIR_MAX_DEFAULT entries in a directory a wildcard reads: past that
 *    the expansion stops with MSP_ETOOBIG (an incomplete list would be a guess).
 */
#ifndef MSP_GLOB_H
#define MSP_GLOB_H

#include <stdbool.h>
#include <stddef.h>

#include "msp_error.h"

/* A default for `max` that no sane backup layout reaches. */
#define MSP_GLOB_MAX_DEFAULT 10000

/* A place the expansion could not read or search. */
struct msp_glob_error {
	char *path; /* owned: the directory that could not be read, or the path that could not be examined */
	int errnum; /* errno */
};

struct msp_glob {
	char **path; /* owned array of n owned strings, sorted */
	size_t n;
	struct msp_glob_error *error; /* owned array of nerror, sorted by path */
	size_t nerror;
};

/* True when pattern holds an unquoted * ? or [ (so msp_glob_expand would treat it as a pattern). */
bool msp_glob_has_magic(const char *pattern);

/*
 * Expand pattern into *ret (which the caller zero-initialises or has
 * released).  Returns 0 (with matches and/or errors, possibly neither),
 * MSP_EINVAL for an empty pattern, MSP_ETOOBIG past `max` (0 = the
 * default), or MSP_ENOMEM; on failure *ret is left empty and err says why.
 * The caller frees *ret with msp_glob_release().
 */
int msp_glob_expand(const char *pattern, size_t max, struct msp_glob *ret, struct msp_error *err);

/* Free what g owns; g is empty afterwards (and may be reused). */
void msp_glob_release(struct msp_glob *g);

#endif
