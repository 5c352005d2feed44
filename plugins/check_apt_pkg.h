/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * check_apt_pkg.h - check_apt's in-process upgrade simulation through
 * libapt-pkg (plugins/check_apt_pkg.cc, the only C++ in the project).
 *
 * check_apt_pkg_run() does what `apt-get WORDS... [-o EXTRA] VERB` does for
 * VERB upgrade or dist-upgrade with -s: it reads apt's configuration (the
 * configuration files, then -c FILE and -o NAME=VALUE in the order given),
 * opens apt's package cache and policy, applies the dpkg status, marks the
 * upgrade with apt's own resolver (APT::Upgrade::Upgrade in the mode apt-get
 * uses), drops new packages that are already garbage, and prints what
 * `apt-get -s` prints on stdout that check_apt reads:
 *   - below -qq: "Reading package lists...", the kept-back list, the
 *     "U upgraded, N newly installed, ..." summary (counted as apt-get counts);
 *   - "Inst NAME [CURRENT] (CANDIDATE RELEASE [ARCH])" for every package
 *     installed, upgraded, downgraded or reinstalled and "Remv"/"Purg NAME
 *     [CURRENT]" for every removal, sorted by name.  Left out: the "Conf"
 *     lines and the trailing "[broken deps ]" notes apt-get's package
 *     manager adds in its install order.
 * Warnings and notices libapt-pkg reports go to err, as apt-get writes them
 * to stderr ("W: ...").
 *
 * Where apt's package cache is switched off (Dir::Cache::pkgcache "") it
 * keeps one, msp-check_apt-pkgcache.bin in apt's Dir::Cache when only this
 * user can write there, else in /var/tmp/msp-plugins-UID (0700);
 * libapt-pkg checks it against the lists, the dpkg status and the
 * configuration before using it, as it does with apt's own.
 *
 * Whatever it cannot do exactly as apt-get does it hands back: an option it
 * does not know, OPTS without -s (a real upgrade), broken dependencies, an
 * external solver, an error from libapt-pkg (apt-get's message and exit
 * status are then apt-get's own), ...  The caller then runs apt-get.
 *
 * libapt-pkg keeps its configuration in a global: the function is not
 * thread-safe, and it leaves that configuration set until the next call or
 * check_apt_pkg_cleanup().  A second call with the same WORDS reuses the
 * package cache already opened (check_apt's second simulation, with phased
 * updates included, costs only the resolver).
 */
#ifndef CHECK_APT_PKG_H
#define CHECK_APT_PKG_H

#include <stdbool.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

enum check_apt_pkg_status {
	CHECK_APT_PKG_DONE = 0,     /* out, err and method set */
	CHECK_APT_PKG_FALLBACK = 1, /* why set: run apt-get instead */
	CHECK_APT_PKG_NOMEM = -1,
};

struct check_apt_pkg_result {
	char *out;    /* malloc'd: what apt-get -s prints on stdout (see above) */
	char *err;    /* malloc'd: its warnings and notices ("W: ...\n"), "" when none */
	char *method; /* malloc'd: "libapt-pkg upgrade simulation (apt 2.6.1)" */
	char *why;    /* malloc'd: why apt-get has to run instead (FALLBACK) */
};

/*
 * Simulate `apt-get WORDS... [-o EXTRA] VERB` (VERB "upgrade" or
 * "dist-upgrade"; EXTRA a NAME=VALUE or NULL).  Fills *ret (the caller
 * releases it with check_apt_pkg_result_release) and returns a
 * check_apt_pkg_status.  No exception escapes.
 */
int check_apt_pkg_run(char *const *words, size_t n, const char *extra, const char *verb,
		      struct check_apt_pkg_result *ret);

void check_apt_pkg_result_release(struct check_apt_pkg_result *r);

/* Free the package cache and configuration the last call kept (for leak checkers). */
void check_apt_pkg_cleanup(void);

#ifdef __cplusplus
}
#endif

#endif
