/* SPDX-License-Identifier: GPL-3.0-or-later */
/* msp_tls.c - TLS (OpenSSL) on a connected socket, with deadlines (see msp_tls.h). */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include "msp_net.h"
#include "msp_tls.h"
#include "msp_time.h"
#include "banned.h"

struct msp_tls {
	SSL_CTX *ctx;
	SSL *ssl;
	struct msp_sock *sock; /* the caller's */
	bool verify;
	bool established;
};

/* The first (most specific) reason in OpenSSL's error queue into buf; the queue is emptied. */
static const char *tls_reason(char *buf, size_t len)
{
	unsigned long e = ERR_get_error();
	const char *why;

	why = e ? ERR_reason_error_string(e) : NULL;

	snprintf(buf, len, "%s", why ? why : "unknown TLS error");
	ERR_clear_error();
	return buf;
}

/*
 * After an SSL call returned ret: wait for what it wants (read or write
 * readiness).  1 ready (call it again), 0 the deadline passed, -1 it failed
 * (*ret_code is SSL_get_error's code).
 */
static int tls_wait(struct msp_tls *t, int ret, const struct timespec *deadline, int *ret_code)
{
	int code = SSL_get_error(t->ssl, ret);
	short ev;
	int r;

	*ret_code = code;
	if (code == SSL_ERROR_WANT_READ)
		ev = POLLIN;
	else if (code == SSL_ERROR_WANT_WRITE)
		ev = POLLOUT;
	else
		return -1;
	r = msp_sock_wait(t->sock, ev, deadline);
	if (r < 0) {
		t->sock->sys_errno = -r;
		*ret_code = SSL_ERROR_SYSCALL;
		errno = -r;
		return -1;
	}
	return r;
}

/* The message of a failed SSL call: a system error, an early close or OpenSSL's reason. */
static int tls_fail(struct msp_tls *t, int code, int ret, const char *what, struct msp_error *err)
{
	char why[200];

	if (code == SSL_ERROR_SYSCALL && errno != 0 && ERR_peek_error() == 0) {
		t->sock->sys_errno = errno;
		return msp_error_errno(err, errno, "%s '%s' failed", what, t->sock->peer);
	}
	if (code == SSL_ERROR_SYSCALL && ret == 0 && ERR_peek_error() == 0)
		return msp_error_set(err, MSP_ESYS, "%s '%s' failed: the peer closed the connection", what,
				     t->sock->peer);
	return msp_error_set(err, MSP_ESYS, "%s '%s' failed: %s", what, t->sock->peer, tls_reason(why, sizeof(why)));
}

static int tls_setup_ctx(struct msp_tls *t, const struct msp_tls_config *cfg, struct msp_error *err)
{
	char why[200];

	t->ctx = SSL_CTX_new(TLS_client_method());
	if (!t->ctx)
		return msp_error_set(err, MSP_ENOMEM, "cannot set up TLS: %s", tls_reason(why, sizeof(why)));
	SSL_CTX_set_verify(t->ctx, SSL_VERIFY_NONE, NULL); /* judged after the handshake: msp_tls_verified */
	SSL_CTX_set_options(t->ctx, SSL_OP_IGNORE_UNEXPECTED_EOF);
	if (!cfg->verify)
		return 0;
	if (cfg->ca_file || cfg->ca_dir) {
		if (SSL_CTX_load_verify_locations(t->ctx, cfg->ca_file, cfg->ca_dir) != 1)
			return msp_error_set(err, MSP_EINVAL, "cannot load CA certificates from '%s': %s",
					     cfg->ca_file ? cfg->ca_file : cfg->ca_dir, tls_reason(why, sizeof(why)));
	} else if (SSL_CTX_set_default_verify_paths(t->ctx) != 1) {
		return msp_error_set(err, MSP_EINVAL, "cannot load the system's CA certificates: %s",
				     tls_reason(why, sizeof(why)));
	}
	return 0;
}

static int tls_setup_ssl(struct msp_tls *t, const struct msp_tls_config *cfg, struct msp_error *err)
{
	char why[200];

	t->ssl = SSL_new(t->ctx);
	if (!t->ssl || SSL_set_fd(t->ssl, t->sock->fd) != 1)
		return msp_error_set(err, MSP_ENOMEM, "cannot set up TLS: %s", tls_reason(why, sizeof(why)));
	if (cfg->sni && cfg->sni[0] && !msp_net_is_numeric(cfg->sni) && SSL_set_tlsext_host_name(t->ssl, cfg->sni) != 1)
		return msp_error_set(err, MSP_EINVAL, "cannot send the server name '%.100s': %s", cfg->sni,
				     tls_reason(why, sizeof(why)));
	if (cfg->verify && cfg->verify_host && cfg->verify_host[0]) {
		int ok = msp_net_is_numeric(cfg->verify_host) ?
				 X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(t->ssl), cfg->verify_host) :
				 SSL_set1_host(t->ssl, cfg->verify_host);

		if (ok != 1)
			return msp_error_set(err, MSP_EINVAL, "cannot match certificates against '%.100s'",
					     cfg->verify_host);
	}
	return 0;
}

int msp_tls_connect(struct msp_sock *s, const struct msp_tls_config *cfg, const struct timespec *deadline,
		    struct msp_tls **ret, struct msp_error *err)
{
	struct msp_tls *t = NULL;
	int r, code;

	if (s->fd < 0)
		return msp_error_set(err, MSP_EINVAL, "socket is not connected");
	/* the first TLS use initialises OpenSSL, not the start of every plugin */
	if (OPENSSL_init_ssl(0, NULL) != 1)
		return msp_error_set(err, MSP_ENOMEM, "cannot initialise OpenSSL");
	t = calloc(1, sizeof(*t));
	if (!t)
		return msp_error_set(err, MSP_ENOMEM, "out of memory");
	t->sock = s;
	t->verify = cfg->verify;
	r = tls_setup_ctx(t, cfg, err);
	if (r == 0)
		r = tls_setup_ssl(t, cfg, err);
	while (r == 0) {
		int k;

		ERR_clear_error();
		errno = 0;
		k = SSL_connect(t->ssl);
		if (k == 1)
			break;
		r = tls_wait(t, k, deadline, &code);
		if (r == 1) {
			r = 0;
		} else if (r == 0) {
			t->sock->sys_errno = ETIMEDOUT;
			r = msp_error_set(err, MSP_ETIMEOUT, "timed out in the TLS handshake with '%s'", s->peer);
		} else {
			r = tls_fail(t, code, k, "TLS handshake with", err);
		}
	}
	if (r < 0) {
		msp_tls_free(t);
		return r;
	}
	t->established = true;
	*ret = t;
	return 0;
}

int msp_tls_verified(const struct msp_tls *t, struct msp_error *err)
{
	long v;

	if (!t->verify)
		return 0;
	if (!SSL_get0_peer_certificate(t->ssl))
		return msp_error_set(err, MSP_EINVAL, "'%s' sent no certificate", t->sock->peer);
	v = SSL_get_verify_result(t->ssl);
	if (v != X509_V_OK)
		return msp_error_set(err, MSP_EINVAL, "certificate of '%s' is not trusted: %s", t->sock->peer,
				     X509_verify_cert_error_string(v));
	return 0;
}

static double asn1_epoch(const ASN1_TIME *a)
{
	struct tm tm;

	memset(&tm, 0, sizeof(tm));
	if (!a || ASN1_TIME_to_tm(a, &tm) != 1)
		return 0;
	return (double)timegm(&tm);
}

int msp_tls_peer_cert(const struct msp_tls *t, struct msp_tls_cert *ret, struct msp_error *err)
{
	X509 *x = SSL_get0_peer_certificate(t->ssl);
	struct msp_tls_cert c;

	if (!x)
		return msp_error_set(err, MSP_ENOENT, "'%s' sent no certificate", t->sock->peer);
	memset(&c, 0, sizeof(c));
	c.not_before = asn1_epoch(X509_get0_notBefore(x));
	c.not_after = asn1_epoch(X509_get0_notAfter(x));
	if (X509_NAME_get_text_by_NID(X509_get_subject_name(x), NID_commonName, c.cn, sizeof(c.cn)) < 0)
		c.cn[0] = '\0';
	if (!X509_NAME_oneline(X509_get_subject_name(x), c.subject, sizeof(c.subject)))
		c.subject[0] = '\0';
	*ret = c;
	return 0;
}

/*
 * After an SSL_read or SSL_write that returned ret: wait for the socket as
 * OpenSSL asks, then 0 to call it again; else the timeout or the failure
 * (in writing's or reading's words).
 */
static int tls_again(struct msp_tls *t, int ret, const struct timespec *deadline, bool writing, struct msp_error *err)
{
	int code;
	int r = tls_wait(t, ret, deadline, &code);

	if (r == 0) {
		t->sock->sys_errno = ETIMEDOUT;
		if (writing)
			return msp_error_set(err, MSP_ETIMEOUT, "timed out sending to '%s'", t->sock->peer);
		return msp_error_set(err, MSP_ETIMEOUT, "timed out waiting for '%s' to answer", t->sock->peer);
	}
	if (r < 0)
		return tls_fail(t, code, ret, writing ? "sending to" : "reading from", err);
	return 0;
}

int msp_tls_write_all(struct msp_tls *t, const void *buf, size_t len, const struct timespec *deadline,
		      struct msp_error *err)
{
	const char *p = buf;

	while (len > 0) {
		int chunk = len > 65536 ? 65536 : (int)len;
		int k, r;

		ERR_clear_error();
		errno = 0;
		k = SSL_write(t->ssl, p, chunk);
		if (k > 0) {
			p += k;
			len -= (size_t)k;
			continue;
		}
		r = tls_again(t, k, deadline, true, err);
		if (r != 0)
			return r;
	}
	return 0;
}

int msp_tls_read_until(struct msp_tls *t, struct msp_buf *b, int delim, size_t max, const struct timespec *deadline,
		       struct msp_error *err)
{
	size_t got = 0;

	while (got < max) {
		char chunk[4096];
		int want = (int)(max - got < sizeof(chunk) ? max - got : sizeof(chunk));
		int k, r;

		ERR_clear_error();
		errno = 0;
		k = SSL_read(t->ssl, chunk, want);
		if (k > 0) {
			r = msp_buf_add(b, chunk, (size_t)k);
			if (r == MSP_ENOMEM)
				return msp_error_set(err, MSP_ENOMEM, "out of memory reading from '%s'", t->sock->peer);
			got += (size_t)k;
			if (delim >= 0 && memchr(chunk, delim, (size_t)k))
				return 0;
			if (r == MSP_ETOOBIG)
				return msp_error_set(err, MSP_ETOOBIG, "'%s' sent more than %zu bytes", t->sock->peer,
						     b->max);
			continue;
		}
		if (SSL_get_error(t->ssl, k) == SSL_ERROR_ZERO_RETURN)
			return delim < 0 ? 0 : 1;
		r = tls_again(t, k, deadline, false, err);
		if (r != 0)
			return r;
	}
	return msp_error_set(err, MSP_ETOOBIG, "'%s' sent more than %zu bytes", t->sock->peer, max);
}

int msp_tls_read_some(struct msp_tls *t, struct msp_buf *b, size_t max, const struct timespec *deadline,
		      struct msp_error *err)
{
	for (;;) {
		char chunk[4096];
		int k, r;

		ERR_clear_error();
		errno = 0;
		k = SSL_read(t->ssl, chunk, (int)(max < sizeof(chunk) ? max : sizeof(chunk)));
		if (k > 0) {
			r = msp_buf_add(b, chunk, (size_t)k);
			if (r == MSP_ENOMEM)
				return msp_error_set(err, MSP_ENOMEM, "out of memory reading from '%s'", t->sock->peer);
			if (r == MSP_ETOOBIG)
				return msp_error_set(err, MSP_ETOOBIG, "'%s' sent more than %zu bytes", t->sock->peer,
						     b->max);
			return k;
		}
		if (SSL_get_error(t->ssl, k) == SSL_ERROR_ZERO_RETURN)
			return 0;
		r = tls_again(t, k, deadline, false, err);
		if (r != 0)
			return r;
	}
}

void msp_tls_free(struct msp_tls *t)
{
	if (!t)
		return;
	if (t->ssl && t->established) {
		ERR_clear_error();
		SSL_shutdown(t->ssl); /* one try, nonblocking: a close_notify when it goes out at once */
	}
	SSL_free(t->ssl);
	SSL_CTX_free(t->ctx);
	ERR_clear_error();
	free(t);
}

/* "Fri Dec 18 04:08:13 2026 +0000": "%c %z" in the C locale, local time (the seconds when it cannot be shown). */
static void cert_date(double epoch, char *buf, size_t len)
{
	struct tm tm;

	if (!msp_time_local((time_t)epoch, &tm) || strftime(buf, len, "%a %b %e %H:%M:%S %Y %z", &tm) == 0)
		snprintf(buf, len, "%.0f", epoch);
}

enum msp_state msp_tls_cert_days(const struct msp_tls_cert *c, double now, long days_warn, long days_crit, char *text,
				 size_t len)
{
	const char *cn = c->cn[0] ? c->cn : "Unknown CN";
	double left = c->not_after - now;
	long days = (long)(left / 86400);
	enum msp_state near = days > days_crit ? MSP_STATE_WARNING : MSP_STATE_CRITICAL;
	char date[64];

	cert_date(c->not_after, date, sizeof(date));
	if (left < 0) {
		snprintf(text, len, "Certificate '%s' expired on %s.", cn, date);
		return MSP_STATE_CRITICAL;
	}
	if (days > 0 && days <= days_warn) {
		snprintf(text, len, "Certificate '%s' expires in %ld day(s) (%s).", cn, days, date);
		return near;
	}
	if (days == 0) {
		if (left >= 3600)
			snprintf(text, len, "Certificate '%s' expires in %ld hour(s) (%s).", cn, (long)(left / 3600),
				 date);
		else
			snprintf(text, len, "Certificate '%s' expires in %ld minute(s) (%s).", cn, (long)(left / 60),
				 date);
		return near;
	}
	snprintf(text, len, "Certificate '%s' will expire on %s.", cn, date);
	return MSP_STATE_OK;
}
