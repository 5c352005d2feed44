/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * msp_error.h - error codes and the message buffer library code fills in.
 *
 * Library functions return 0 (or a non-negative count) on success and a
 * negative MSP_E* code on failure; when they take a struct msp_error they
 * also leave a one-line, lower-case message in it (git style: the problem
 * first, the subject in quotes, no full stop).  Library code never prints.
 */
#ifndef MSP_ERROR_H
#define MSP_ERROR_H

#include <stddef.h>

enum {
	MSP_EINVAL = -1,   /* bad argument or unparseable input */
	MSP_ENOMEM = -2,   /* allocation failed */
	MSP_ESYS = -3,     /* a system call failed (errno in the message) */
	MSP_ETIMEOUT = -4, /* a deadline passed */
	MSP_ETOOBIG = -5,  /* input exceeded its ceiling */
	MSP_ENOENT = -6,   /* something looked for does not exist */
};

#define MSP_ERROR_MAX 512

struct msp_error {
	int code;
	char msg[MSP_ERROR_MAX];
};

/* Clear an error record (no allocation). */
void msp_error_init(struct msp_error *err);

/*
 * Record code and a printf-style message in err (err may be NULL).
 * Returns code, so callers can write `return msp_error_set(err, MSP_EINVAL, ...)`.
 */
int msp_error_set(struct msp_error *err, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Like msp_error_set, appending ": strerror(errnum)". */
int msp_error_errno(struct msp_error *err, int errnum, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
