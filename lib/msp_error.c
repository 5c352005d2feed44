/* SPDX-License-Identifier: GPL-3.0-or-later */
/* msp_error.c - error records (see msp_error.h). */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "msp_error.h"
#include "banned.h"

void msp_error_init(struct msp_error *err)
{
	err->code = 0;
	err->msg[0] = '\0';
}

int msp_error_set(struct msp_error *err, int code, const char *fmt, ...)
{
	va_list ap;

	if (!err)
		return code;
	err->code = code;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	return code;
}

int msp_error_errno(struct msp_error *err, int errnum, const char *fmt, ...)
{
	va_list ap;
	size_t n;

	if (!err)
		return MSP_ESYS;
	err->code = MSP_ESYS;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	n = strlen(err->msg);
	if (n < sizeof(err->msg))
		snprintf(err->msg + n, sizeof(err->msg) - n, ": %s", strerror(errnum));
	return MSP_ESYS;
}
