/* SPDX-License-Identifier: GPL-3.0-or-later */
/* msp_sock.c - stream sockets with deadlines (see msp_sock.h). */
#include <errno.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <unistd.h>

#include "msp_net.h"
#include "msp_sock.h"
#include "msp_time.h"
#include "banned.h"

void msp_sock_init(struct msp_sock *s)
{
	s->fd = -1;
	s->sys_errno = 0;
	s->peer[0] = '\0';
}

void msp_sock_close(struct msp_sock *s)
{
	if (s->fd >= 0)
		close(s->fd);
	s->fd = -1;
}

/*
 * Wait until fd is ready for events or the deadline passes.  1 ready, 0
 * deadline, negative errno.  EINTR (a signal we handle) just waits again.
 */
static int wait_fd(int fd, short events, const struct timespec *deadline)
{
	for (;;) {
		struct pollfd p = { .fd = fd, .events = events };
		int ms = msp_deadline_ms_left(deadline);
		int r;

		if (ms == 0)
			return 0;
		r = poll(&p, 1, ms);
		if (r > 0)
			return 1;
		if (r == 0)
			continue; /* poll rounds; the deadline decides */
		if (errno != EINTR)
			return -errno;
	}
}

static int sys_fail(struct msp_sock *s, int errnum, struct msp_error *err, const char *what)
{
	s->sys_errno = errnum;
	return msp_error_errno(err, errnum, "%s '%s'", what, s->peer);
}

/* Finish a nonblocking connect() on s->fd.  0 or an MSP_E* code. */
static int finish_connect(struct msp_sock *s, const struct timespec *deadline, struct msp_error *err)
{
	socklen_t len = sizeof(int);
	int soerr = 0, r;

	r = wait_fd(s->fd, POLLOUT, deadline);
	if (r == 0) {
		s->sys_errno = ETIMEDOUT;
		return msp_error_set(err, MSP_ETIMEOUT, "timed out connecting to '%s'", s->peer);
	}
	if (r < 0)
		return sys_fail(s, -r, err, "cannot connect to");
	if (getsockopt(s->fd, SOL_SOCKET, SO_ERROR, &soerr, &len) < 0)
		return sys_fail(s, errno, err, "cannot connect to");
	if (soerr)
		return sys_fail(s, soerr, err, "cannot connect to");
	return 0;
}

static int connect_unix(struct msp_sock *s, const char *path, const struct timespec *deadline,
			struct msp_error *err)
{
	struct sockaddr_un sa;
	size_t n = strlen(path);

	msp_sock_close(s);
	s->sys_errno = 0;
	snprintf(s->peer, sizeof(s->peer), "unix:%s", path);
	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	if (n == 0 || n >= sizeof(sa.sun_path))
		return msp_error_set(err, MSP_EINVAL, "socket path '%.200s' is %s", path, n ? "too long" : "empty");
	memcpy(sa.sun_path, path, n);
	s->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (s->fd < 0)
		return sys_fail(s, errno, err, "cannot create a socket for");
	for (;;) {
		if (connect(s->fd, (struct sockaddr *)&sa, sizeof(sa)) == 0)
			return 0;
		if (errno == EINPROGRESS)
			break;
		if (errno == EINTR)
			continue;
		/* A full listen backlog: a unix socket says EAGAIN instead of waiting; try again shortly. */
		if (errno == EAGAIN && !msp_deadline_passed(deadline)) {
			struct timespec nap = { 0, 10 * 1000 * 1000 };

			nanosleep(&nap, NULL);
			continue;
		}
		if (errno == EAGAIN) {
			s->sys_errno = ETIMEDOUT;
			return msp_error_set(err, MSP_ETIMEOUT, "timed out connecting to '%s'", s->peer);
		}
		return sys_fail(s, errno, err, "cannot connect to");
	}
	return finish_connect(s, deadline, err);
}

int msp_sock_connect_unix(struct msp_sock *s, const char *path, const struct timespec *deadline,
			  struct msp_error *err)
{
	int r = connect_unix(s, path, deadline, err);

	if (r < 0)
		msp_sock_close(s);
	return r;
}

/* Name an address for messages: "127.0.0.1:3310" or "[::1]:3310". */
static void name_addr(const struct sockaddr *sa, char *buf, size_t len)
{
	char host[INET6_ADDRSTRLEN] = "?";

	if (sa->sa_family == AF_INET) {
		const struct sockaddr_in *in = (const struct sockaddr_in *)sa;

		inet_ntop(AF_INET, &in->sin_addr, host, sizeof(host));
		snprintf(buf, len, "%s:%u", host, (unsigned)ntohs(in->sin_port));
	} else if (sa->sa_family == AF_INET6) {
		const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)sa;

		inet_ntop(AF_INET6, &in6->sin6_addr, host, sizeof(host));
		snprintf(buf, len, "[%s]:%u", host, (unsigned)ntohs(in6->sin6_port));
	} else {
		snprintf(buf, len, "address family %d", (int)sa->sa_family);
	}
}

int msp_sock_wait(const struct msp_sock *s, short events, const struct timespec *deadline)
{
	return wait_fd(s->fd, events, deadline);
}

int msp_sock_connect_addr(struct msp_sock *s, const struct sockaddr *sa, socklen_t len, int socktype,
			  const struct timespec *deadline, struct msp_error *err)
{
	int r;

	msp_sock_close(s);
	s->sys_errno = 0;
	name_addr(sa, s->peer, sizeof(s->peer));
	s->fd = socket(sa->sa_family, socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (s->fd < 0)
		return sys_fail(s, errno, err, "cannot create a socket for");
	while (connect(s->fd, sa, len) < 0) {
		if (errno == EINTR)
			continue;
		if (errno != EINPROGRESS) {
			r = sys_fail(s, errno, err, "cannot connect to");
			msp_sock_close(s);
			return r;
		}
		r = finish_connect(s, deadline, err);
		if (r < 0)
			msp_sock_close(s);
		return r;
	}
	return 0;
}

int msp_sock_connect_tcp(struct msp_sock *s, const char *host, const char *port, enum msp_sock_family family,
			 const struct timespec *deadline, struct msp_error *err)
{
	int r = msp_net_connect(s, host, port, SOCK_STREAM, family, deadline, err);

	/* the API of this function predates msp_net: a name that does not resolve is MSP_EINVAL */
	return r == MSP_ENOENT ? MSP_EINVAL : r;
}

int msp_sock_write_all(struct msp_sock *s, const void *buf, size_t len, const struct timespec *deadline,
		       struct msp_error *err)
{
	const char *p = buf;

	if (s->fd < 0)
		return msp_error_set(err, MSP_EINVAL, "socket is not connected");
	while (len > 0) {
		ssize_t k = send(s->fd, p, len, MSG_NOSIGNAL);
		int r;

		if (k > 0) {
			p += k;
			len -= (size_t)k;
			continue;
		}
		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0 && errno != EAGAIN && errno != EWOULDBLOCK)
			return sys_fail(s, errno, err, "cannot send to");
		r = wait_fd(s->fd, POLLOUT, deadline);
		if (r == 0) {
			s->sys_errno = ETIMEDOUT;
			return msp_error_set(err, MSP_ETIMEOUT, "timed out sending to '%s'", s->peer);
		}
		if (r < 0)
			return sys_fail(s, -r, err, "cannot send to");
	}
	return 0;
}

/* After a recv that failed: 0 to call it again (interrupted, or readable now), else the timeout or the failure. */
static int read_again(struct msp_sock *s, const struct timespec *deadline, struct msp_error *err)
{
	int r;

	if (errno == EINTR)
		return 0;
	if (errno != EAGAIN && errno != EWOULDBLOCK)
		return sys_fail(s, errno, err, "cannot read from");
	r = wait_fd(s->fd, POLLIN, deadline);
	if (r == 0) {
		s->sys_errno = ETIMEDOUT;
		return msp_error_set(err, MSP_ETIMEOUT, "timed out waiting for '%s' to answer", s->peer);
	}
	if (r < 0)
		return sys_fail(s, -r, err, "cannot read from");
	return 0;
}

int msp_sock_read_until(struct msp_sock *s, struct msp_buf *b, int delim, size_t max, const struct timespec *deadline,
			struct msp_error *err)
{
	size_t got = 0;

	if (s->fd < 0)
		return msp_error_set(err, MSP_EINVAL, "socket is not connected");
	while (got < max) {
		char chunk[4096];
		size_t want = max - got < sizeof(chunk) ? max - got : sizeof(chunk);
		ssize_t k = recv(s->fd, chunk, want, 0);
		int r;

		if (k > 0) {
			r = msp_buf_add(b, chunk, (size_t)k);
			if (r == MSP_ENOMEM)
				return msp_error_set(err, MSP_ENOMEM, "out of memory reading from '%s'", s->peer);
			got += (size_t)k;
			if (delim >= 0 && memchr(chunk, delim, (size_t)k))
				return 0;
			if (r == MSP_ETOOBIG)
				return msp_error_set(err, MSP_ETOOBIG, "'%s' sent more than %zu bytes", s->peer,
						     b->max);
			continue;
		}
		if (k == 0)
			return delim < 0 ? 0 : 1;
		r = read_again(s, deadline, err);
		if (r != 0)
			return r;
	}
	return msp_error_set(err, MSP_ETOOBIG, "'%s' sent more than %zu bytes", s->peer, max);
}

int msp_sock_read_some(struct msp_sock *s, struct msp_buf *b, size_t max, const struct timespec *deadline,
		       struct msp_error *err)
{
	if (s->fd < 0)
		return msp_error_set(err, MSP_EINVAL, "socket is not connected");
	for (;;) {
		char chunk[4096];
		ssize_t k = recv(s->fd, chunk, max < sizeof(chunk) ? max : sizeof(chunk), 0);
		int r;

		if (k > 0) {
			r = msp_buf_add(b, chunk, (size_t)k);
			if (r == MSP_ENOMEM)
				return msp_error_set(err, MSP_ENOMEM, "out of memory reading from '%s'", s->peer);
			if (r == MSP_ETOOBIG)
				return msp_error_set(err, MSP_ETOOBIG, "'%s' sent more than %zu bytes", s->peer,
						     b->max);
			return (int)k;
		}
		if (k == 0)
			return 0;
		r = read_again(s, deadline, err);
		if (r != 0)
			return r;
	}
}
