/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * tests/helpers/apt_sim.c - run check_apt's in-process simulation
 * (plugins/check_apt_pkg.cc) the way check_apt does, for the tests that
 * compare it with apt-get -s:
 *
 *   apt_sim [--phased] VERB [WORD...]
 *
 * prints on stdout what check_apt_pkg_run() returns for `apt-get WORD...
 * VERB` and its warnings on stderr; with --phased it first runs it as check_apt
 * does, then again with APT::Get::Always-Include-Phased-Updates=true (the
 * cache reused), and prints the second result.  Exit status: 0, 100 when the
 * in-process method declined (the reason on stderr: check_apt would run
 * apt-get), 1 out of memory or bad usage.
 */
#include <stdio.h>
#include <string.h>

#include "check_apt_pkg.h"

int main(int argc, char **argv)
{
	struct check_apt_pkg_result r;
	int phased = argc > 1 && strcmp(argv[1], "--phased") == 0;
	int first = 1 + phased, rc;

	if (argc <= first) {
		fprintf(stderr, "usage: apt_sim [--phased] VERB [WORD...]\n");
		return 1;
	}
	rc = check_apt_pkg_run(argv + first + 1, (size_t)(argc - first - 1), NULL, argv[first], &r);
	if (rc == CHECK_APT_PKG_DONE && phased) {
		check_apt_pkg_result_release(&r);
		rc = check_apt_pkg_run(argv + first + 1, (size_t)(argc - first - 1),
				       "APT::Get::Always-Include-Phased-Updates=true", argv[first], &r);
	}
	if (rc == CHECK_APT_PKG_DONE) {
		fputs(r.out, stdout);
		fputs(r.err, stderr);
		fprintf(stderr, "method: %s\n", r.method);
	} else if (rc == CHECK_APT_PKG_FALLBACK) {
		fprintf(stderr, "declined: %s\n", r.why);
	} else {
		fprintf(stderr, "apt_sim: out of memory\n");
	}
	check_apt_pkg_result_release(&r);
	check_apt_pkg_cleanup();
	return rc == CHECK_APT_PKG_DONE ? 0 : rc == CHECK_APT_PKG_FALLBACK ? 100 : 1;
}
