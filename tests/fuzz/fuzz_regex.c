/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * fuzz_regex.c - msp_regex_check, the cost pre-check before regcomp.
 *
 * Input: one byte of flags (REG_EXTENDED, REG_ICASE, REG_NOSUB,
 * REG_NEWLINE), then the pattern.  Every pattern the check lets through
 * goes to regcomp (msp_regex_compile): the promise is that glibc then
 * compiles it in well under a second and 100 MB, so a pattern that takes
 * more than 2 s of CPU, or makes this target exceed its memory limit, is a
 * pattern the check should have refused.  Invariants besides: a
 * refused pattern is refused by msp_regex_compile too, with the same
 * message; a failure has a message and leaves nothing to free.
 */
#include <regex.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fuzz.h"
#include "msp.h"

#define CPU_LIMIT 2.0 /* seconds; the promise is "well under a second" */

static double cpu_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct msp_error err, err2;
	regex_t re;
	int cflags = 0, r, rc;
	double cpu;
	char *pattern;

	if (size < 1)
		return 0;
	if (data[0] & 1)
		cflags |= REG_EXTENDED;
	if (data[0] & 2)
		cflags |= REG_ICASE;
	if (data[0] & 4)
		cflags |= REG_NOSUB;
	if (data[0] & 8)
		cflags |= REG_NEWLINE;
	pattern = fuzz_strndup(data + 1, size - 1);
	msp_error_init(&err);
	msp_error_init(&err2);
	r = msp_regex_check(pattern, cflags, "-r regexp", &err);
	FUZZ_ASSERT(r == 0 || (r == MSP_EINVAL && err.msg[0]), "check returned %d", r);
	cpu = cpu_seconds();
	rc = msp_regex_compile(&re, pattern, cflags, "-r regexp", &err2);
	cpu = cpu_seconds() - cpu;
	/* CPU time, so a loaded machine does not fail it; ASan's malloc makes regcomp slower, not 4 times */
	FUZZ_ASSERT(cpu < CPU_LIMIT, "'%s' (flags %#x) took %.2f s of CPU to compile", pattern, (unsigned)cflags, cpu);
	if (r < 0)
		FUZZ_ASSERT(rc == MSP_EINVAL && strcmp(err.msg, err2.msg) == 0,
			    "refused ('%s'), yet compiled (%d, '%s')", err.msg, rc, err2.msg);
	if (rc == 0)
		regfree(&re);
	else
		FUZZ_ASSERT((rc == MSP_EINVAL || rc == MSP_ENOMEM) && err2.msg[0], "compile returned %d", rc);
	free(pattern);
	return 0;
}
