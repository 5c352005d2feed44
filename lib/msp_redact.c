/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * msp_redact.c - keep secrets out of everything a plugin shows (see msp_redact.h).
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "msp_buf.h"
#include "msp_error.h"
#include "msp_redact.h"

#include "banned.h"

/* Where the userinfo of a URL found in free text can end at the latest. */
#define URL_STOP " \t\r\n'\"`<>"

void msp_redact_init(struct msp_redact *r)
{
	memset(r, 0, sizeof(*r));
}

void msp_redact_release(struct msp_redact *r)
{
	for (size_t i = 0; i < r->n; i++) {
		explicit_bzero(r->secret[i], strlen(r->secret[i]));
		free(r->secret[i]);
	}
	memset(r, 0, sizeof(*r));
}

/* Remember the n bytes at s, the first keep of them shown. */
static int add_keep(struct msp_redact *r, const char *s, size_t n, unsigned char keep)
{
	char *c;

	/* A secret ends at a NUL ("%00" decoded), as the texts it is looked for in do; "" is none. */
	if (s)
		n = strnlen(s, n);
	if (!s || n <= keep)
		return 0;
	for (size_t i = 0; i < r->n; i++)
		if (strlen(r->secret[i]) == n && memcmp(r->secret[i], s, n) == 0)
			return 0;
	if (r->n == MSP_REDACT_MAX)
		return MSP_ETOOBIG;
	if (!(c = malloc(n + 1)))
		return MSP_ENOMEM;
	memcpy(c, s, n);
	c[n] = '\0';
	r->keep[r->n] = keep;
	r->secret[r->n++] = c;
	return 0;
}

static int add_n(struct msp_redact *r, const char *s, size_t n)
{
	return add_keep(r, s, n, 0);
}

int msp_redact_add(struct msp_redact *r, const char *secret)
{
	return secret ? add_n(r, secret, strlen(secret)) : 0;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Remember the password [p, p+n) as written and, when it holds %XX escapes, decoded. */
static int add_password(struct msp_redact *r, const char *p, size_t n)
{
	char *dec;
	size_t o = 0, k = strcspn(p, "/?#");
	int rc = add_n(r, p, n);

	/*
	 * A URL parser ends the host at the first '/', '?' or '#': it then
	 * quotes the password's first part as a port (Go: invalid port ":pa"
	 * after host).  ":" and that part are secret too.
	 */
	if (rc == 0 && k > 0 && k < n) {
		if (!(dec = malloc(k + 2)))
			return MSP_ENOMEM;
		dec[0] = ':';
		memcpy(dec + 1, p, k);
		rc = add_keep(r, dec, k + 1, 1);
		explicit_bzero(dec, k + 2);
		free(dec);
	}
	if (rc < 0 || !memchr(p, '%', n))
		return rc;
	if (!(dec = malloc(n + 1)))
		return MSP_ENOMEM;
	for (size_t i = 0; i < n; i++) {
		if (p[i] == '%' && i + 2 < n && hexval(p[i + 1]) >= 0 && hexval(p[i + 2]) >= 0) {
			dec[o++] = (char)(hexval(p[i + 1]) * 16 + hexval(p[i + 2]));
			i += 2;
		} else {
			dec[o++] = p[i];
		}
	}
	rc = add_n(r, dec, o);
	explicit_bzero(dec, n + 1);
	free(dec);
	return rc;
}

int msp_redact_add_url(struct msp_redact *r, const char *location)
{
	const char *p = location ? strstr(location, "://") : NULL;
	const char *at, *colon;

	for (; p; p = strstr(p + 3, "://")) {
		const char *start = p + 3;

		/* The repository the plugin was given: its password may hold anything, even blanks. */
		at = strrchr(start, '@');
		colon = at ? memchr(start, ':', (size_t)(at - start)) : NULL;
		if (colon) {
			int rc = add_password(r, colon + 1, (size_t)(at - colon - 1));

			if (rc < 0)
				return rc;
		}
	}
	return 0;
}

int msp_redact_add_location(struct msp_redact *r, const char *location)
{
	const char *at, *colon;

	if (!location)
		return 0;
	if (strstr(location, "://"))
		return msp_redact_add_url(r, location);
	at = strrchr(location, '@');
	colon = at ? memchr(location, ':', (size_t)(at - location)) : NULL;
	/* "/srv/a:b@c" is a path, not user:password@host */
	if (!colon || memchr(location, '/', (size_t)(colon - location)))
		return 0;
	return add_password(r, colon + 1, (size_t)(at - colon - 1));
}

/* Mark in hide[] every byte of text that belongs to a known secret (overlaps merge). */
static void mark_secrets(const struct msp_redact *r, const char *text, size_t len, unsigned char *hide)
{
	for (size_t i = 0; r && i < r->n; i++) {
		size_t n = strlen(r->secret[i]);

		for (const char *p = text; (p = strstr(p, r->secret[i])); p++)
			memset(hide + (p - text) + r->keep[i], 1, n - r->keep[i]);
	}
	(void)len;
}

/* At p = "://...": the length of "user:" up to the password, and the password's end; 0 when none. */
static size_t url_password(const char *p, const char **ret_end)
{
	const char *start = p + 3, *at = NULL, *colon;
	size_t n = strcspn(start, URL_STOP);

	for (size_t i = 0; i < n; i++)
		if (start[i] == '@')
			at = start + i;
	colon = at ? memchr(start, ':', (size_t)(at - start)) : NULL;
	if (!colon)
		return 0;
	*ret_end = at;
	return (size_t)(colon + 1 - p);
}

/* Rule 1 of msp_redact.h: each run of bytes that belong to known secrets becomes one mark. */
static int redact_secrets(const struct msp_redact *r, const char *text, struct msp_buf *b)
{
	size_t len = strlen(text);
	unsigned char *hide = calloc(len + 1, 1);
	int rc = msp_buf_adds(b, "");

	if (!hide)
		return MSP_ENOMEM;
	mark_secrets(r, text, len, hide);
	for (size_t i = 0; i < len && rc == 0; i++) {
		if (!hide[i])
			rc = msp_buf_addc(b, text[i]);
		else if (i == 0 || !hide[i - 1])
			rc = msp_buf_adds(b, MSP_REDACT_MARK);
	}
	free(hide);
	return rc;
}

/* Rule 2 of msp_redact.h: URL passwords. */
static int redact_urls(const char *text, struct msp_buf *b)
{
	const char *p = text, *end;
	size_t n;
	int rc = msp_buf_adds(b, "");

	while (*p && rc == 0) {
		if (strncmp(p, "://", 3) == 0 && (n = url_password(p, &end))) {
			if ((rc = msp_buf_add(b, p, n)) == 0)
				rc = msp_buf_adds(b, MSP_REDACT_MARK);
			p = end;
		} else {
			rc = msp_buf_addc(b, *p++);
		}
	}
	return rc;
}

char *msp_redact_dup(const struct msp_redact *r, const char *text)
{
	struct msp_buf b, u;
	char *ret = NULL;

	/* A one-byte secret becomes three: the worst growth. */
	msp_buf_init(&b, (text ? strlen(text) : 0) * 3 + 64);
	msp_buf_init(&u, (text ? strlen(text) : 0) * 3 + 64);
	/* Secrets first: a known password may hold a blank or an '@' that would end the URL rule early. */
	if (redact_secrets(r, text ? text : "", &b) == 0 && redact_urls(b.data, &u) == 0)
		ret = msp_buf_detach(&u);
	if (b.data)
		explicit_bzero(b.data, b.len);
	msp_buf_release(&b);
	msp_buf_release(&u);
	return ret;
}

char *msp_redact_buf(const struct msp_redact *r, const char *text, char *buf, size_t len)
{
	char *red = msp_redact_dup(r, text);

	if (len == 0)
		return buf;
	/* Out of memory: show nothing rather than something unredacted. */
	snprintf(buf, len, "%s", red ? red : "(" MSP_REDACT_MARK ")");
	free(red);
	return buf;
}

/* Replace *s (owned, may be NULL) by its redacted copy. */
static int redact_owned(const struct msp_redact *r, char **s)
{
	char *red;

	if (!*s)
		return 0;
	if (!(red = msp_redact_dup(r, *s)))
		return MSP_ENOMEM;
	if (strcmp(red, *s) != 0)
		explicit_bzero(*s, strlen(*s));
	free(*s);
	*s = red;
	return 0;
}

int msp_redact_result(const struct msp_redact *r, struct msp_result *root)
{
	if (!root)
		return 0;
	if (redact_owned(r, &root->text) < 0 || redact_owned(r, &root->name) < 0)
		return MSP_ENOMEM;
	for (size_t i = 0; i < root->nperf; i++)
		if (redact_owned(r, &root->perf[i].label) < 0)
			return MSP_ENOMEM;
	for (size_t i = 0; i < root->nchild; i++)
		if (msp_redact_result(r, root->child[i]) < 0)
			return MSP_ENOMEM;
	return 0;
}
