/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test_msp_sock.c - stream sockets with deadlines, against real sockets made
 * in the test: listeners on 127.0.0.1 and in a temporary directory, and
 * socketpairs for peers that never answer, send too much or close.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <time.h>
#include <unistd.h>
#include <setjmp.h>
#include <cmocka.h>

#include "msp.h"
#include "msp_sock.h"

/* ------------------------------------------------------------ helpers */

/* A TCP listener on 127.0.0.1 on a free port; *ret_port gets the port. */
static int tcp_listener(int backlog, char *ret_port, size_t len)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t sl = sizeof(sa);
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	assert_true(fd >= 0);
	assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	assert_int_equal(listen(fd, backlog), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&sa, &sl), 0);
	snprintf(ret_port, len, "%u", (unsigned)ntohs(sa.sin_port));
	return fd;
}

/* A connected pair: *ret_ours wrapped in s (nonblocking, as the library makes them), the peer end returned. */
static int pair(struct msp_sock *s)
{
	int sv[2];

	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), 0);
	assert_int_equal(fcntl(sv[0], F_SETFL, O_NONBLOCK), 0);
	msp_sock_init(s);
	s->fd = sv[0];
	snprintf(s->peer, sizeof(s->peer), "socketpair");
	return sv[1];
}

static void assert_took_between(double start, double lo, double hi)
{
	double took = msp_time_mono() - start;

	if (took < lo || took > hi)
		fail_msg("took %.3f s, expected %.3f..%.3f s", took, lo, hi);
}

/* ------------------------------------------------------------ connect */

static void test_sock__unix_path_that_does_not_exist(void **state)
{
	struct timespec dl = msp_deadline_in(5);
	struct msp_sock s;
	struct msp_error err;

	(void)state;
	msp_sock_init(&s);
	msp_error_init(&err);
	assert_int_equal(msp_sock_connect_unix(&s, "/nonexistent/msp_sock.sock", &dl, &err), MSP_ESYS);
	assert_int_equal(s.sys_errno, ENOENT);
	assert_int_equal(s.fd, -1); /* a failed connect leaves nothing open */
	assert_string_equal(err.msg, "cannot connect to 'unix:/nonexistent/msp_sock.sock': No such file or directory");
	msp_sock_close(&s);
	msp_sock_close(&s);
	assert_int_equal(s.fd, -1);
}

static void test_sock__unix_socket_nobody_listens_on_is_refused(void **state)
{
	char dir[] = "/tmp/test_msp_sock.XXXXXX", path[100];
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct timespec dl = msp_deadline_in(5);
	struct msp_sock s;
	struct msp_error err;
	int fd;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/s", dir);
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	close(fd); /* bound, never listened: the socket file stays, nobody accepts */
	msp_sock_init(&s);
	msp_error_init(&err);
	assert_int_equal(msp_sock_connect_unix(&s, path, &dl, &err), MSP_ESYS);
	assert_int_equal(s.sys_errno, ECONNREFUSED);
	assert_non_null(strstr(err.msg, "Connection refused"));
	msp_sock_close(&s);
	unlink(path);
	rmdir(dir);
}

static void test_sock__unix_path_too_long(void **state)
{
	char path[300];
	struct timespec dl = msp_deadline_in(5);
	struct msp_sock s;

	(void)state;
	memset(path, 'a', sizeof(path) - 1);
	path[sizeof(path) - 1] = '\0';
	msp_sock_init(&s);
	assert_int_equal(msp_sock_connect_unix(&s, path, &dl, NULL), MSP_EINVAL);
	assert_int_equal(msp_sock_connect_unix(&s, "", &dl, NULL), MSP_EINVAL);
}

static void test_sock__tcp_refused(void **state)
{
	struct timespec dl = msp_deadline_in(5);
	struct msp_sock s;
	struct msp_error err;
	char port[16], want[100];
	int fd;

	(void)state;
	fd = tcp_listener(1, port, sizeof(port));
	close(fd); /* the port is free again: nobody listens */
	msp_sock_init(&s);
	msp_error_init(&err);
	assert_int_equal(msp_sock_connect_tcp(&s, "127.0.0.1", port, MSP_SOCK_IPV4, &dl, &err), MSP_ESYS);
	assert_int_equal(s.sys_errno, ECONNREFUSED);
	snprintf(want, sizeof(want), "cannot connect to '127.0.0.1:%s': Connection refused", port);
	assert_string_equal(err.msg, want);
	assert_int_equal(s.fd, -1);
}

static void test_sock__tcp_round_trip(void **state)
{
	struct timespec dl = msp_deadline_in(5);
	struct msp_sock s;
	struct msp_buf b;
	struct msp_error err;
	char port[16], got[16] = "";
	int lfd, cfd;

	(void)state;
	lfd = tcp_listener(4, port, sizeof(port));
	msp_sock_init(&s);
	msp_error_init(&err);
	if (msp_sock_connect_tcp(&s, "127.0.0.1", port, MSP_SOCK_ANY, &dl, &err) != 0)
		fail_msg("%s", err.msg);
	cfd = accept(lfd, NULL, NULL);
	assert_true(cfd >= 0);
	assert_int_equal(msp_sock_write_all(&s, "PING\n", 5, &dl, &err), 0);
	assert_int_equal(read(cfd, got, 5), 5);
	assert_memory_equal(got, "PING\n", 5);
	assert_int_equal(write(cfd, "PONG\nmore", 9), 9);
	msp_buf_init(&b, 1024);
	assert_int_equal(msp_sock_read_until(&s, &b, '\n', 1024, &dl, &err), 0);
	/* What came after the delimiter in the same read is the caller's. */
	assert_string_equal(msp_buf_str(&b), "PONG\nmore");
	msp_buf_release(&b);
	msp_sock_close(&s);
	close(cfd);
	close(lfd);
}

static void test_sock__tcp_bracketed_address_names_the_peer(void **state)
{
	struct timespec dl = msp_deadline_in(5);
	struct msp_sock s;
	struct msp_error err;
	char port[16], want[64];
	int lfd;

	(void)state;
	lfd = tcp_listener(4, port, sizeof(port));
	msp_sock_init(&s);
	msp_error_init(&err);
	if (msp_sock_connect_tcp(&s, "[127.0.0.1]", port, MSP_SOCK_IPV4, &dl, &err) != 0)
		fail_msg("%s", err.msg);
	snprintf(want, sizeof(want), "127.0.0.1:%s", port);
	assert_string_equal(s.peer, want);
	msp_sock_close(&s);
	close(lfd);
}

static void test_sock__tcp_peer_that_never_answers_times_out(void **state)
{
	struct timespec dl = msp_deadline_in(5);
	struct msp_sock s;
	struct msp_buf b;
	struct msp_error err;
	char port[16];
	double start;
	int lfd;

	(void)state;
	/* The kernel completes the handshake; nobody ever accepts or answers. */
	lfd = tcp_listener(4, port, sizeof(port));
	msp_sock_init(&s);
	msp_error_init(&err);
	assert_int_equal(msp_sock_connect_tcp(&s, "127.0.0.1", port, MSP_SOCK_IPV4, &dl, &err), 0);
	assert_int_equal(msp_sock_write_all(&s, "zPING", 6, &dl, &err), 0);
	msp_buf_init(&b, 1024);
	start = msp_time_mono();
	dl = msp_deadline_in(0.3);
	assert_int_equal(msp_sock_read_until(&s, &b, '\0', 1024, &dl, &err), MSP_ETIMEOUT);
	assert_took_between(start, 0.29, 3);
	assert_int_equal(s.sys_errno, ETIMEDOUT);
	assert_non_null(strstr(err.msg, "timed out waiting for '127.0.0.1:"));
	assert_int_equal(b.len, 0);
	msp_buf_release(&b);
	msp_sock_close(&s);
	close(lfd);
}

/* ------------------------------------------------------------ reading */

static void test_sock__peer_that_sends_too_much_is_capped(void **state)
{
	struct timespec dl = msp_deadline_in(5);
	struct msp_sock s;
	struct msp_buf b;
	struct msp_error err;
	char junk[10000];
	int peer = pair(&s);

	(void)state;
	memset(junk, 'x', sizeof(junk));
	assert_int_equal(write(peer, junk, sizeof(junk)), (ssize_t)sizeof(junk));
	msp_buf_init(&b, 1 << 20);
	msp_error_init(&err);
	assert_int_equal(msp_sock_read_until(&s, &b, '\n', 1024, &dl, &err), MSP_ETOOBIG);
	assert_int_equal(b.len, 1024);
	assert_string_equal(err.msg, "'socketpair' sent more than 1024 bytes");
	/* The buffer's own ceiling counts as well. */
	msp_buf_release(&b);
	msp_buf_init(&b, 100);
	assert_int_equal(msp_sock_read_until(&s, &b, '\n', 1 << 20, &dl, &err), MSP_ETOOBIG);
	assert_int_equal(b.len, 100);
	msp_buf_release(&b);
	msp_sock_close(&s);
	close(peer);
}

static void test_sock__peer_that_closes(void **state)
{
	struct timespec dl = msp_deadline_in(5);
	struct msp_sock s;
	struct msp_buf b;
	int peer = pair(&s);

	(void)state;
	assert_int_equal(write(peer, "PONG", 4), 4);
	close(peer);
	msp_buf_init(&b, 1024);
	/* Closed before the delimiter: 1, with what came. */
	assert_int_equal(msp_sock_read_until(&s, &b, '\0', 1024, &dl, NULL), 1);
	assert_string_equal(msp_buf_str(&b), "PONG");
	msp_buf_release(&b);
	msp_sock_close(&s);

	peer = pair(&s);
	assert_int_equal(write(peer, "a\nb\n", 4), 4);
	close(peer);
	msp_buf_init(&b, 1024);
	/* delim -1 reads to the end. */
	assert_int_equal(msp_sock_read_until(&s, &b, -1, 1024, &dl, NULL), 0);
	assert_string_equal(msp_buf_str(&b), "a\nb\n");
	msp_buf_release(&b);
	msp_sock_close(&s);
}

static void test_sock__nul_delimiter(void **state)
{
	struct timespec dl = msp_deadline_in(5);
	struct msp_sock s;
	struct msp_buf b;
	int peer = pair(&s);

	(void)state;
	assert_int_equal(write(peer, "PONG\0", 5), 5);
	msp_buf_init(&b, 1024);
	assert_int_equal(msp_sock_read_until(&s, &b, '\0', 1024, &dl, NULL), 0);
	assert_int_equal(b.len, 5);
	assert_memory_equal(b.data, "PONG\0", 5);
	msp_buf_release(&b);
	msp_sock_close(&s);
	close(peer);
}

static void test_sock__trickling_peer_ends_at_the_deadline(void **state)
{
	struct timespec dl;
	struct msp_sock s;
	struct msp_buf b;
	double start;
	int peer = pair(&s);

	(void)state;
	/* Some bytes but never the delimiter: the deadline still ends the read. */
	assert_int_equal(write(peer, "PON", 3), 3);
	msp_buf_init(&b, 1024);
	start = msp_time_mono();
	dl = msp_deadline_in(0.3);
	assert_int_equal(msp_sock_read_until(&s, &b, '\0', 1024, &dl, NULL), MSP_ETIMEOUT);
	assert_took_between(start, 0.29, 3);
	assert_string_equal(msp_buf_str(&b), "PON");
	msp_buf_release(&b);
	msp_sock_close(&s);
	close(peer);
}

/* ------------------------------------------------------------ writing */

static void test_sock__write_to_a_closed_peer_is_an_error_not_sigpipe(void **state)
{
	struct timespec dl = msp_deadline_in(5);
	struct msp_sock s;
	struct msp_error err;
	int peer = pair(&s);

	(void)state;
	close(peer);
	msp_error_init(&err);
	assert_int_equal(msp_sock_write_all(&s, "zPING", 6, &dl, &err), MSP_ESYS);
	assert_int_equal(s.sys_errno, EPIPE);
	assert_string_equal(err.msg, "cannot send to 'socketpair': Broken pipe");
	msp_sock_close(&s);
	assert_int_equal(msp_sock_write_all(&s, "x", 1, &dl, &err), MSP_EINVAL);
}

static void test_sock__write_to_a_peer_that_never_reads_times_out(void **state)
{
	static char big[4 << 20];
	struct timespec dl;
	struct msp_sock s;
	struct msp_error err;
	double start;
	int peer = pair(&s);

	(void)state;
	msp_error_init(&err);
	start = msp_time_mono();
	dl = msp_deadline_in(0.3);
	assert_int_equal(msp_sock_write_all(&s, big, sizeof(big), &dl, &err), MSP_ETIMEOUT);
	assert_took_between(start, 0.29, 3);
	assert_string_equal(err.msg, "timed out sending to 'socketpair'");
	msp_sock_close(&s);
	close(peer);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sock__unix_path_that_does_not_exist),
		cmocka_unit_test(test_sock__unix_socket_nobody_listens_on_is_refused),
		cmocka_unit_test(test_sock__unix_path_too_long),
		cmocka_unit_test(test_sock__tcp_refused),
		cmocka_unit_test(test_sock__tcp_round_trip),
		cmocka_unit_test(test_sock__tcp_bracketed_address_names_the_peer),
		cmocka_unit_test(test_sock__tcp_peer_that_never_answers_times_out),
		cmocka_unit_test(test_sock__peer_that_sends_too_much_is_capped),
		cmocka_unit_test(test_sock__peer_that_closes),
		cmocka_unit_test(test_sock__nul_delimiter),
		cmocka_unit_test(test_sock__trickling_peer_ends_at_the_deadline),
		cmocka_unit_test(test_sock__write_to_a_closed_peer_is_an_error_not_sigpipe),
		cmocka_unit_test(test_sock__write_to_a_peer_that_never_reads_times_out),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
