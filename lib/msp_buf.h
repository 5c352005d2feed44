/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * msp_buf.h - growable byte buffers with a ceiling.
 *
 * Invariants: data is NULL or NUL-terminated at data[len]; len <= max.
 * A buffer fed from outside is created with the largest size it may reach;
 * an append that would pass the ceiling stores what fits, sets
 * `truncated` and returns MSP_ETOOBIG.  The buffer owns data.
 */
#ifndef MSP_BUF_H
#define MSP_BUF_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

struct msp_buf {
	char *data;
	size_t len;
	size_t cap;
	size_t max;
	bool truncated;
};

/* Set up an empty buffer that may hold up to max bytes (no allocation). */
void msp_buf_init(struct msp_buf *b, size_t max);

/* Free the contents; the buffer is empty and reusable with the same ceiling. */
void msp_buf_release(struct msp_buf *b);

/* Empty the buffer, keep its memory. */
void msp_buf_reset(struct msp_buf *b);

/* Append n bytes.  0, MSP_ETOOBIG (partial append, truncated set) or MSP_ENOMEM. */
int msp_buf_add(struct msp_buf *b, const void *p, size_t n);

/* Append a NUL-terminated string. */
int msp_buf_adds(struct msp_buf *b, const char *s);

/* Append one byte. */
int msp_buf_addc(struct msp_buf *b, char c);

/* Append printf-style text (the C locale's decimal point is not forced here). */
int msp_buf_addf(struct msp_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int msp_buf_vaddf(struct msp_buf *b, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));

/* The contents as a string ("" when empty; never NULL). */
const char *msp_buf_str(const struct msp_buf *b);

/*
 * Hand the contents over: returns a malloc'd NUL-terminated string the
 * caller frees (or NULL on allocation failure) and leaves b empty.
 */
char *msp_buf_detach(struct msp_buf *b);

#endif
