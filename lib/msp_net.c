/* SPDX-License-Identifier: GPL-3.0-or-later */
/* msp_net.c - name lookup inside the deadline, and connecting by name (see msp_net.h). */
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "msp_net.h"
#include "msp_time.h"
#include "banned.h"

#define NET_NAME_MAX 255 /* a DNS name's longest text form */
#define NET_PORT_MAX 64

/*
 * One lookup, run by a thread of its own.  The thread and the caller share
 * it; whoever is last frees it: the caller after joining a thread that
 * finished, the thread itself when the caller abandoned it (state).
 */
struct lookup {
	struct addrinfo hints;
	char name[NET_NAME_MAX + 1];
	char port[NET_PORT_MAX];
	bool has_port;
	struct addrinfo *res; /* the thread's result */
	int rc;               /* getaddrinfo's return */
	int sys_errno;        /* errno for EAI_SYSTEM (errno is the thread's own) */
	int done[2];          /* a pipe: the thread writes one byte when it has finished */
	atomic_int state;     /* LOOKUP_RUNNING, LOOKUP_DONE, LOOKUP_ABANDONED */
};

enum { LOOKUP_RUNNING = 0, LOOKUP_DONE, LOOKUP_ABANDONED };

static void lookup_free(struct lookup *l)
{
	if (l->res)
		freeaddrinfo(l->res);
	close(l->done[0]);
	close(l->done[1]);
	free(l);
}

static void *lookup_thread(void *arg)
{
	struct lookup *l = arg;
	int expected = LOOKUP_RUNNING;

	l->rc = getaddrinfo(l->name, l->has_port ? l->port : NULL, &l->hints, &l->res);
	l->sys_errno = errno;
	if (!atomic_compare_exchange_strong(&l->state, &expected, LOOKUP_DONE)) {
		lookup_free(l); /* abandoned: nobody waits for the answer any more */
		return NULL;
	}
	(void)!write(l->done[1], "", 1);
	return NULL;
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

/* Start the lookup thread with every signal blocked (the runner's alarm goes to the caller). */
static int lookup_start(struct lookup *l, pthread_t *ret)
{
	sigset_t all, old;
	int r;

	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	r = pthread_create(ret, NULL, lookup_thread, l);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return r;
}

/* Wait for the lookup thread until deadline: 1 it finished, 0 the deadline passed. */
static int lookup_wait(struct lookup *l, const struct timespec *deadline)
{
	for (;;) {
		struct pollfd p = { .fd = l->done[0], .events = POLLIN };
		int ms = msp_deadline_ms_left(deadline);

		if (atomic_load(&l->state) == LOOKUP_DONE)
			return 1;
		if (ms == 0)
			return 0;
		if (poll(&p, 1, ms) < 0 && errno != EINTR)
			return 0;
	}
}

/*
 * Look name up in a thread of its own, waiting until deadline at most; a
 * lookup still running then is abandoned (the thread frees it when
 * getaddrinfo returns) and the process goes on without it.
 */
static int lookup_async(const char *name, const char *port, const struct addrinfo *hints,
			const struct timespec *deadline, struct addrinfo **ret, struct msp_error *err)
{
	struct lookup *l;
	pthread_t thread;
	int expected = LOOKUP_RUNNING, r;

	if (msp_deadline_passed(deadline))
		return msp_error_set(err, MSP_ETIMEOUT, "name lookup of '%s' timed out", name);
	l = calloc(1, sizeof(*l));
	if (!l)
		return msp_error_set(err, MSP_ENOMEM, "out of memory looking up '%s'", name);
	snprintf(l->name, sizeof(l->name), "%s", name);
	l->has_port = port != NULL;
	snprintf(l->port, sizeof(l->port), "%s", port ? port : "");
	l->hints = *hints;
	atomic_init(&l->state, LOOKUP_RUNNING);
	if (pipe2(l->done, O_CLOEXEC) < 0) {
		free(l);
		return msp_error_errno(err, errno, "cannot look up '%s'", name);
	}
	r = lookup_start(l, &thread);
	if (r != 0) {
		lookup_free(l);
		return msp_error_errno(err, r, "cannot look up '%s'", name);
	}
	if (!lookup_wait(l, deadline) && atomic_compare_exchange_strong(&l->state, &expected, LOOKUP_ABANDONED)) {
		pthread_detach(thread);
		return msp_error_set(err, MSP_ETIMEOUT, "name lookup of '%s' timed out", name);
	}
	pthread_join(thread, NULL);
	r = l->rc;
	errno = l->sys_errno;
	if (r == 0) {
		*ret = l->res;
		l->res = NULL;
	}
	lookup_free(l);
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
