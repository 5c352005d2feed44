/* SPDX-License-Identifier: GPL-3.0-or-later */
/* msp_buf.c - bounded growable buffers (see msp_buf.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "msp_buf.h"
#include "msp_error.h"
#include "banned.h"

void msp_buf_init(struct msp_buf *b, size_t max)
{
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
	b->max = max;
	b->truncated = false;
}

void msp_buf_release(struct msp_buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
	b->truncated = false;
}

void msp_buf_reset(struct msp_buf *b)
{
	b->len = 0;
	b->truncated = false;
	if (b->data)
		b->data[0] = '\0';
}

/* Make room for `want` bytes of content plus the NUL. */
static int buf_grow(struct msp_buf *b, size_t want)
{
	size_t ncap;
	char *p;

	if (want + 1 <= b->cap)
		return 0;
	ncap = b->cap ? b->cap : 64;
	while (ncap < want + 1)
		ncap *= 2;
	if (ncap > b->max + 1)
		ncap = b->max + 1;
	p = realloc(b->data, ncap);
	if (!p)
		return MSP_ENOMEM;
	b->data = p;
	b->cap = ncap;
	return 0;
}

int msp_buf_add(struct msp_buf *b, const void *p, size_t n)
{
	size_t room = b->max - b->len;
	size_t take = n < room ? n : room;
	int r;

	r = buf_grow(b, b->len + take);
	if (r < 0)
		return r;
	if (take)
		memcpy(b->data + b->len, p, take);
	b->len += take;
	b->data[b->len] = '\0';
	if (take < n) {
		b->truncated = true;
		return MSP_ETOOBIG;
	}
	return 0;
}

int msp_buf_adds(struct msp_buf *b, const char *s)
{
	return msp_buf_add(b, s, strlen(s));
}

int msp_buf_addc(struct msp_buf *b, char c)
{
	return msp_buf_add(b, &c, 1);
}

int msp_buf_vaddf(struct msp_buf *b, const char *fmt, va_list ap)
{
	char small[256];
	va_list cp;
	int n;
	int r;

	va_copy(cp, ap);
	n = vsnprintf(small, sizeof(small), fmt, cp);
	va_end(cp);
	if (n < 0)
		return MSP_EINVAL;
	if ((size_t)n < sizeof(small))
		return msp_buf_add(b, small, (size_t)n);

	char *big = malloc((size_t)n + 1);
	if (!big)
		return MSP_ENOMEM;
	vsnprintf(big, (size_t)n + 1, fmt, ap);
	r = msp_buf_add(b, big, (size_t)n);
	free(big);
	return r;
}

int msp_buf_addf(struct msp_buf *b, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = msp_buf_vaddf(b, fmt, ap);
	va_end(ap);
	return r;
}

const char *msp_buf_str(const struct msp_buf *b)
{
	return b->data ? b->data : "";
}

char *msp_buf_detach(struct msp_buf *b)
{
	char *s = b->data;

	if (!s)
		s = strdup("");
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
	b->truncated = false;
	return s;
}
