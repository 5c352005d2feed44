/* SPDX-License-Identifier: GPL-3.0-or-later */
/* msp_net.c - name lookup inside the deadline, and connecting by name (see msp_net.h). */
#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "msp_net.h"
#include "msp_time.h"
#include "banned.h"

#define NET_NAME_MAX 255 /* a DNS name's longest text form */
#define NET_PORT_MAX 64

/* One getaddrinfo_a request and the strings it points to. */
struct lookup {
	struct gaicb cb;
	struct addrinfo hints;
	char name[NET_NAME_MAX + 1];
	char port[NET_PORT_MAX];
};

/*
 * Requests abandoned at their deadline: glibc's resolver thread still
 * writes into them, so they are never freed.  Kept reachable here (leak
 * checkers stay quiet); a process abandons one at most in practice.
 */
static struct lookup *abandoned[8];

static void lookup_abandon(struct lookup *l)
{
	int r = gai_cancel(&l->cb);

	if (r == EAI_CANCELED || r == EAI_ALLDONE) {
		if (l->cb.ar_result)
			freeaddrinfo(l->cb.ar_result);
		free(l);
		return;
	}
	for (size_t i = 0; i < sizeof(abandoned) / sizeof(abandoned[0]); i++) {
		if (!abandoned[i]) {
			abandoned[i] = l;
			return;
		}
	}
	/* more than the table holds: let it go, still never freed while the thread may run */
}

/* "[::1]" as people write IPv6 addresses next to ports: the name without brackets into buf. */
static int strip_brackets(const char *host, char *buf, size_t len, struct msp_error *err)
{
	size_t n = strlen(host);

	if (n >= 2 && host[0] == '[' && host[n - 1] == ']') {
		host++;
		n -= 2;
	}
	if (n == 0)
		return msp_error_set(err, MSP_EINVAL, "host name is empty");
	if (n >= len)
		return msp_error_set(err, MSP_EINVAL, "host name '%.60s...' is too long", host);
	memcpy(buf, host, n);
	buf[n] = '\0';
	return 0;
}

static int gai_fail(int r, const char *name, const char *port, struct msp_error *err)
{
	if (r == EAI_MEMORY)
		return msp_error_set(err, MSP_ENOMEM, "out of memory looking up '%s'", name);
	if (r == EAI_SERVICE)
		return msp_error_set(err, MSP_ENOENT, "cannot resolve port '%.40s'", port ? port : "");
	if (r == EAI_SYSTEM)
		return msp_error_errno(err, errno, "cannot resolve '%s'", name);
	return msp_error_set(err, MSP_ENOENT, "cannot resolve '%s': %s", name, gai_strerror(r));
}

/* Look name up with getaddrinfo_a, waiting with gai_suspend until deadline at most. */
static int lookup_async(const char *name, const char *port, const struct addrinfo *hints,
			const struct timespec *deadline, struct addrinfo **ret, struct msp_error *err)
{
	struct lookup *l = calloc(1, sizeof(*l));
	struct gaicb *list[1];
	int r;

	if (!l)
		return msp_error_set(err, MSP_ENOMEM, "out of memory looking up '%s'", name);
	snprintf(l->name, sizeof(l->name), "%s", name);
	l->hints = *hints;
	l->cb.ar_name = l->name;
	if (port) {
		snprintf(l->port, sizeof(l->port), "%s", port);
		l->cb.ar_service = l->port;
	}
	l->cb.ar_request = &l->hints;
	list[0] = &l->cb;
	r = getaddrinfo_a(GAI_NOWAIT, list, 1, NULL);
	if (r != 0) {
		free(l);
		return gai_fail(r, name, port, err);
	}
	while ((r = gai_error(&l->cb)) == EAI_INPROGRESS) {
		int ms = msp_deadline_ms_left(deadline);
		struct timespec wait = { ms / 1000, (long)(ms % 1000) * 1000000L };

		if (ms == 0) {
			lookup_abandon(l);
			return msp_error_set(err, MSP_ETIMEOUT, "name lookup of '%s' timed out", name);
		}
		gai_suspend((const struct gaicb *const *)list, 1, &wait);
	}
	if (r == 0)
		*ret = l->cb.ar_result;
	free(l);
	return r == 0 ? 0 : gai_fail(r, name, port, err);
}

static void hints_for(struct addrinfo *hints, int socktype, enum msp_sock_family family, int flags)
{
	memset(hints, 0, sizeof(*hints));
	hints->ai_family = family == MSP_SOCK_IPV4 ? AF_INET : family == MSP_SOCK_IPV6 ? AF_INET6 : AF_UNSPEC;
	hints->ai_socktype = socktype;
	hints->ai_flags = flags;
}

bool msp_net_is_numeric(const char *host)
{
	struct addrinfo hints, *res = NULL;
	char name[NET_NAME_MAX + 1];

	if (!host || strip_brackets(host, name, sizeof(name), NULL) < 0)
		return false;
	hints_for(&hints, SOCK_STREAM, MSP_SOCK_ANY, AI_NUMERICHOST);
	if (getaddrinfo(name, NULL, &hints, &res) != 0)
		return false;
	freeaddrinfo(res);
	return true;
}

int msp_net_resolve(const char *host, const char *port, int socktype, enum msp_sock_family family,
		    const struct timespec *deadline, struct addrinfo **ret, struct msp_error *err)
{
	struct addrinfo hints, *res = NULL;
	char name[NET_NAME_MAX + 1];
	int r = strip_brackets(host, name, sizeof(name), err);

	if (r < 0)
		return r;
	if (port && strlen(port) >= NET_PORT_MAX)
		return msp_error_set(err, MSP_EINVAL, "port '%.40s...' is too long", port);
	/* a numeric address never needs the resolver (nor a thread) */
	hints_for(&hints, socktype, family, AI_NUMERICHOST);
	r = getaddrinfo(name, port, &hints, &res);
	if (r == 0) {
		*ret = res;
		return 0;
	}
	if (r != EAI_NONAME)
		return gai_fail(r, name, port, err);
	hints_for(&hints, socktype, family, 0);
	return lookup_async(name, port, &hints, deadline, ret, err);
}

/* The deadline for one of `left` addresses still to try: an equal share of the time left. */
static struct timespec share_of(const struct timespec *deadline, size_t left)
{
	int ms = msp_deadline_ms_left(deadline);

	if (left <= 1)
		return *deadline;
	return msp_deadline_in((double)ms / 1000.0 / (double)left);
}

int msp_net_connect(struct msp_sock *s, const char *host, const char *port, int socktype, enum msp_sock_family family,
		    const struct timespec *deadline, struct msp_error *err)
{
	struct addrinfo *res = NULL;
	size_t n = 0, i = 0;
	int r;

	msp_sock_close(s);
	s->sys_errno = 0;
	snprintf(s->peer, sizeof(s->peer), "%.200s:%.40s", host, port ? port : "");
	r = msp_net_resolve(host, port, socktype, family, deadline, &res, err);
	if (r < 0)
		return r;
	for (const struct addrinfo *ai = res; ai; ai = ai->ai_next)
		n++;
	r = msp_error_set(err, MSP_ESYS, "'%s' has no address to connect to", host);
	for (const struct addrinfo *ai = res; ai; ai = ai->ai_next, i++) {
		struct timespec dl = share_of(deadline, n - i);

		r = msp_sock_connect_addr(s, ai->ai_addr, ai->ai_addrlen, socktype, &dl, err);
		if (r == 0 || msp_deadline_passed(deadline))
			break;
	}
	freeaddrinfo(res);
	return r;
}
