/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * msp_sock.h - stream sockets (TCP or a unix socket path) with deadlines.
 *
 * Every operation takes an absolute deadline on CLOCK_MONOTONIC (from
 * msp_deadline_in() or the runner's ctx->deadline), so a peer that never
 * accepts, never answers or trickles bytes cannot hold a plugin past it.
 * Reads take a byte cap: a peer that sends too much ends the read with
 * MSP_ETOOBIG instead of growing memory.  The socket is nonblocking and
 * close-on-exec; writes never raise SIGPIPE (a closed peer is an error
 * return).  Nothing here prints: failures return a negative MSP_E* code with
 * a message naming the peer ("cannot connect to '127.0.0.1:3310':
 * Connection refused"), and the failing errno in s->sys_errno for callers
 * that treat some causes differently (ECONNREFUSED, ENOENT).
 *
 * Names are looked up inside the deadline too (lib/msp_net.h: getaddrinfo_a
 * and gai_suspend); numeric addresses never resolve.
 *
 * Lifecycle: msp_sock_init() (no allocation), connect, I/O, msp_sock_close()
 * (safe to call twice or on a socket that never connected).
 */
#ifndef MSP_SOCK_H
#define MSP_SOCK_H

#include <stddef.h>
#include <sys/socket.h>
#include <time.h>

#include "msp_buf.h"
#include "msp_error.h"

/* Address families for msp_sock_connect_tcp (-4 / -6). */
enum msp_sock_family {
	MSP_SOCK_ANY = 0,
	MSP_SOCK_IPV4 = 4,
	MSP_SOCK_IPV6 = 6,
};

#define MSP_SOCK_PEER_MAX 300

struct msp_sock {
	int fd;                       /* -1 when not connected */
	int sys_errno;                /* errno of the last failure, 0 when none or not a system error */
	char peer[MSP_SOCK_PEER_MAX]; /* "unix:/path", "127.0.0.1:3310", "[::1]:3310" (for messages) */
};

/* Set up an unconnected socket record (no allocation). */
void msp_sock_init(struct msp_sock *s);

/*
 * Connect to the unix stream socket at path before deadline.  Returns 0,
 * MSP_EINVAL (path too long for sockaddr_un), MSP_ETIMEOUT or MSP_ESYS
 * (sys_errno ENOENT: no such socket, ECONNREFUSED: nobody listens).  On
 * failure nothing stays open (s->fd is -1), as for msp_sock_connect_tcp.
 */
int msp_sock_connect_unix(struct msp_sock *s, const char *path, const struct timespec *deadline,
			  struct msp_error *err);

/*
 * Resolve host (a name or a numeric address, IPv6 with or without
 * brackets) and port (a number or a service name), then try each address
 * in turn until one accepts, all before deadline (msp_net_connect with
 * SOCK_STREAM).  family restricts the addresses (-4/-6).  Returns 0,
 * MSP_EINVAL (cannot resolve), MSP_ETIMEOUT (also a name lookup that did
 * not end in time) or MSP_ESYS (sys_errno e.g. ECONNREFUSED, EHOSTUNREACH)
 * with the last address's failure.
 */
int msp_sock_connect_tcp(struct msp_sock *s, const char *host, const char *port, enum msp_sock_family family,
			 const struct timespec *deadline, struct msp_error *err);

/*
 * Connect to one address sa (len bytes) with a new socket of socktype
 * (SOCK_STREAM or SOCK_DGRAM), before deadline; s->peer names the address
 * ("127.0.0.1:22", "[::1]:22").  0, MSP_ETIMEOUT or MSP_ESYS (sys_errno
 * set); on failure nothing stays open.  lib/msp_net.c tries each address
 * of a name with it.
 */
int msp_sock_connect_addr(struct msp_sock *s, const struct sockaddr *sa, socklen_t len, int socktype,
			  const struct timespec *deadline, struct msp_error *err);

/*
 * Wait until s->fd is ready for events (POLLIN, POLLOUT) or deadline
 * passes.  1 ready, 0 the deadline passed, a negative errno on failure.
 * Signals that interrupt the wait do not end it.  For callers that drive
 * the socket themselves (TLS).
 */
int msp_sock_wait(const struct msp_sock *s, short events, const struct timespec *deadline);

/*
 * Write all len bytes before deadline.  0, MSP_ETIMEOUT or MSP_ESYS (e.g.
 * EPIPE / ECONNRESET when the peer closed).
 */
int msp_sock_write_all(struct msp_sock *s, const void *buf, size_t len, const struct timespec *deadline,
		       struct msp_error *err);

/*
 * Read into b (appending) until the byte delim has arrived (delim 0..255;
 * -1: read until the peer closes), at most max bytes in this call, before
 * deadline.  Returns:
 *   0            delim was read (b may hold bytes after it: they are the
 *                caller's) - or, with delim -1, the peer closed;
 *   1            the peer closed before delim (b holds what came);
 *   MSP_ETOOBIG  max bytes came without delim (b holds them), or b's own
 *                ceiling was reached;
 *   MSP_ETIMEOUT the deadline passed (b holds what came);
 *   MSP_ESYS     a read error (sys_errno set);
 *   MSP_ENOMEM.
 */
int msp_sock_read_until(struct msp_sock *s, struct msp_buf *b, int delim, size_t max, const struct timespec *deadline,
			struct msp_error *err);

/*
 * Wait for data before deadline and append what one read returns (at most
 * max bytes, max > 0) to b: for protocols judged as bytes arrive (an
 * expected banner).  Returns the count appended (> 0), 0 when the peer
 * closed, MSP_ETIMEOUT (nothing came), MSP_ETOOBIG (b's ceiling reached;
 * b holds what fitted), MSP_ESYS (sys_errno set, e.g. ECONNREFUSED on a
 * connected UDP socket), MSP_ENOMEM.
 */
int msp_sock_read_some(struct msp_sock *s, struct msp_buf *b, size_t max, const struct timespec *deadline,
		       struct msp_error *err);

/* Close the socket; s is unconnected afterwards.  Accepts a closed socket. */
void msp_sock_close(struct msp_sock *s);

#endif
