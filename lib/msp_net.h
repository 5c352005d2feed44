/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * msp_net.h - name lookup inside the deadline, and connecting by name.
 *
 * Every network plugin has one deadline for the whole process (the
 * runner's ctx->deadline) and every step honours it: name lookup,
 * connect, TLS, request, answer.  getaddrinfo(3) cannot be interrupted, so
 * a name that is not numeric is looked up by a thread of its own (all
 * signals blocked) while the caller waits until the deadline; a lookup
 * still running then is abandoned (the thread frees its request when
 * getaddrinfo returns, or the process ends first) and the caller gets
 * MSP_ETIMEOUT with "name lookup of 'NAME' timed out".  (glibc's
 * getaddrinfo_a keeps idle resolver threads whose state valgrind reports
 * as lost; a thread of our own ends and is joined.)  Numeric addresses
 * never leave the process.
 *
 * Connecting tries every address the name has, in the resolver's order,
 * and gives each an equal share of the time left (an address that
 * swallows SYNs cannot eat the time of the next one); a refusal or an
 * unreachable network moves on at once.  UDP sockets are connected too, so
 * an ICMP port unreachable comes back as ECONNREFUSED on the next read.
 *
 * Nothing here prints.  Reads and writes: lib/msp_sock.h (and msp_tls.h
 * for TLS on top of a connected socket).
 */
#ifndef MSP_NET_H
#define MSP_NET_H

#include <stdbool.h>
#include <netdb.h>
#include <time.h>

#include "msp_error.h"
#include "msp_sock.h"

/*
 * Resolve host (a name, a numeric address, an IPv6 address with or
 * without brackets) and port (a number or a service name) for socktype
 * (SOCK_STREAM or SOCK_DGRAM), restricted to family, before deadline.
 * On success *ret is the list (the caller frees it with freeaddrinfo) and
 * 0 is returned.  Errors: MSP_EINVAL (empty or overlong name), MSP_ENOENT
 * ("cannot resolve 'NAME': Name or service not known": the name has no
 * address of that family, or the resolver failed), MSP_ETIMEOUT ("name
 * lookup of 'NAME' timed out"), MSP_ENOMEM.
 */
int msp_net_resolve(const char *host, const char *port, int socktype, enum msp_sock_family family,
		    const struct timespec *deadline, struct addrinfo **ret, struct msp_error *err);

/* True when host is a numeric IPv4 or IPv6 address (brackets allowed): no lookup, no SNI. */
bool msp_net_is_numeric(const char *host);

/*
 * Resolve host and port and connect s to the first address that accepts
 * (see the top of this file), all before deadline.  0, or the error of the
 * lookup (as msp_net_resolve) or of the last address tried: MSP_ETIMEOUT or
 * MSP_ESYS with s->sys_errno (ECONNREFUSED, ENETUNREACH, EHOSTUNREACH, ...)
 * and the message "cannot connect to 'ADDR:PORT': REASON".  On failure
 * nothing stays open.
 */
int msp_net_connect(struct msp_sock *s, const char *host, const char *port, int socktype, enum msp_sock_family family,
		    const struct timespec *deadline, struct msp_error *err);

#endif
