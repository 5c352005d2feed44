/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * msp_tls.h - TLS (OpenSSL) on a connected socket, with deadlines.
 *
 * msp_tls_connect() runs the handshake on a connected struct msp_sock
 * (lib/msp_sock.h; the socket is nonblocking, every wait ends at the
 * deadline), then reads and writes go through msp_tls_write_all() and
 * msp_tls_read_until(), which keep msp_sock's contract: a byte cap on
 * every read, MSP_ETIMEOUT at the deadline.
 *
 * SNI: the server name is always sent when the host is a name; an IP
 * address is never sent (RFC 6066 forbids literal addresses).  The peer's
 * chain is verified only when asked (cfg->verify): against the system
 * store, or against cfg->ca_file / cfg->ca_dir; cfg->verify_host also
 * matches the leaf against a host name (SAN, wildcards, IP SANs as
 * OpenSSL's X509_check_host/ip do).  The handshake itself succeeds on an
 * untrusted chain; msp_tls_verified() says whether and why not, so a
 * plugin can report "not trusted" as a finding rather than as a broken
 * connection.
 *
 * OpenSSL is initialised on the first msp_tls_connect(), never at start:
 * a plugin that does not use TLS pays nothing for it.  Plugins that use
 * this module link $(OPENSSL_LIBS).  Nothing here prints.
 */
#ifndef MSP_TLS_H
#define MSP_TLS_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "msp_buf.h"
#include "msp_error.h"
#include "msp_sock.h"
#include "msp_state.h"

struct msp_tls; /* opaque: one TLS session on a socket */

struct msp_tls_config {
	const char *sni;         /* the name sent (NULL or an IP address: none) */
	bool verify;             /* verify the peer's chain (msp_tls_verified) */
	const char *ca_file;     /* PEM bundle to trust instead of the system store (NULL: none) */
	const char *ca_dir;      /* hashed directory to trust instead of the system store (NULL: none) */
	const char *verify_host; /* with verify: the name or address the leaf must match (NULL: no match) */
};

/* The peer's leaf certificate, as far as the plugins judge it. */
#define MSP_TLS_NAME_MAX 256
struct msp_tls_cert {
	double not_before; /* seconds since the epoch */
	double not_after;
	char cn[MSP_TLS_NAME_MAX];      /* subject CN ("" when it has none) */
	char subject[MSP_TLS_NAME_MAX]; /* one-line subject, "/C=../O=../CN=.." */
};

/*
 * Run a TLS handshake on the connected socket s before deadline.  On
 * success *ret holds the session (free with msp_tls_free; s stays the
 * caller's and must outlive it) and 0 is returned.  MSP_ETIMEOUT ("timed
 * out in the TLS handshake with 'PEER'"), MSP_ESYS ("TLS handshake with
 * 'PEER' failed: REASON", sys_errno set when the socket failed),
 * MSP_EINVAL (a CA file that cannot be loaded), MSP_ENOMEM.
 */
int msp_tls_connect(struct msp_sock *s, const struct msp_tls_config *cfg, const struct timespec *deadline,
		    struct msp_tls **ret, struct msp_error *err);

/*
 * Whether the chain (and the host, when asked) verified: 0, or MSP_EINVAL
 * with "certificate of 'PEER' is not trusted: REASON".  Without
 * cfg->verify it always returns 0.
 */
int msp_tls_verified(const struct msp_tls *t, struct msp_error *err);

/* The peer's leaf certificate into *ret: 0, or MSP_ENOENT when the peer sent none. */
int msp_tls_peer_cert(const struct msp_tls *t, struct msp_tls_cert *ret, struct msp_error *err);

/*
 * The certificate-days verdict of -D WARN[,CRIT] at time now (seconds
 * since the epoch): CRITICAL with "Certificate 'CN' expired on DATE." once
 * past not_after; within days_warn days (or less than one day left) the
 * state by days_crit with "Certificate 'CN' expires in N day(s) (DATE)."
 * (hour(s), minute(s) on the last day); else OK with "Certificate 'CN'
 * will expire on DATE.".  A certificate without a CN is "Unknown CN";
 * DATE is local time.  The sentence goes into text (len bytes, 512 hold
 * any of them).
 */
enum msp_state msp_tls_cert_days(const struct msp_tls_cert *c, double now, long days_warn, long days_crit, char *text,
				 size_t len);

/* Write all len bytes before deadline: 0, MSP_ETIMEOUT, MSP_ESYS. */
int msp_tls_write_all(struct msp_tls *t, const void *buf, size_t len, const struct timespec *deadline,
		      struct msp_error *err);

/* As msp_sock_read_until (same returns), over TLS.  A close without close_notify is a close. */
int msp_tls_read_until(struct msp_tls *t, struct msp_buf *b, int delim, size_t max, const struct timespec *deadline,
		       struct msp_error *err);

/* As msp_sock_read_some (same returns), over TLS. */
int msp_tls_read_some(struct msp_tls *t, struct msp_buf *b, size_t max, const struct timespec *deadline,
		      struct msp_error *err);

/* Send close_notify if it can go at once, and free the session; accepts NULL.  The socket stays open. */
void msp_tls_free(struct msp_tls *t);

#endif
