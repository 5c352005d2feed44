/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test_msp_net.c - name lookup inside the deadline and connecting by name,
 * against real sockets on 127.0.0.1 (and ::1 when this namespace has it).
 */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <time.h>
#include <unistd.h>
#include <setjmp.h>
#include <cmocka.h>

#include "msp.h"
#include "msp_net.h"
#include "msp_sock.h"

/* A listener (SOCK_STREAM) or bound socket (SOCK_DGRAM) on addr (127.0.0.1 or ::1), its port in ret_port. */
static int listener(int family, int type, char *ret_port, size_t len)
{
	struct sockaddr_storage ss;
	socklen_t sl;
	int fd = socket(family, type | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return -1;
	memset(&ss, 0, sizeof(ss));
	if (family == AF_INET) {
		struct sockaddr_in *in = (struct sockaddr_in *)&ss;

		in->sin_family = AF_INET;
		in->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		sl = sizeof(*in);
	} else {
		struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)&ss;

		in6->sin6_family = AF_INET6;
		in6->sin6_addr = in6addr_loopback;
		sl = sizeof(*in6);
	}
	if (bind(fd, (struct sockaddr *)&ss, sl) != 0 || (type == SOCK_STREAM && listen(fd, 8) != 0)) {
		close(fd);
		return -1;
	}
	assert_int_equal(getsockname(fd, (struct sockaddr *)&ss, &sl), 0);
	snprintf(ret_port, len, "%u",
		 (unsigned)ntohs(family == AF_INET ? ((struct sockaddr_in *)&ss)->sin_port :
						     ((struct sockaddr_in6 *)&ss)->sin6_port));
	return fd;
}

/* A port on 127.0.0.1 nothing listens on: bound, then closed. */
static void free_port(int type, char *ret_port, size_t len)
{
	int fd = listener(AF_INET, type, ret_port, len);

	assert_true(fd >= 0);
	close(fd);
}

static void test_net__numeric_addresses_resolve_without_the_resolver(void **state)
{
	struct timespec dl = msp_deadline_in(5);
	struct addrinfo *res = NULL;
	struct msp_error err;

	(void)state;
	msp_error_init(&err);
	assert_int_equal(msp_net_resolve("127.0.0.1", "22", SOCK_STREAM, MSP_SOCK_ANY, &dl, &res, &err), 0);
	assert_int_equal(res->ai_family, AF_INET);
	assert_int_equal(ntohs(((struct sockaddr_in *)res->ai_addr)->sin_port), 22);
	freeaddrinfo(res);
	res = NULL;
	assert_int_equal(msp_net_resolve("[::1]", "22", SOCK_STREAM, MSP_SOCK_ANY, &dl, &res, &err), 0);
	assert_int_equal(res->ai_family, AF_INET6);
	freeaddrinfo(res);
	assert_true(msp_net_is_numeric("127.0.0.1"));
	assert_true(msp_net_is_numeric("[::1]"));
	assert_true(msp_net_is_numeric("::1"));
	assert_false(msp_net_is_numeric("localhost"));
	assert_false(msp_net_is_numeric("mail.example.com"));
	assert_false(msp_net_is_numeric(""));
}

static void test_net__family_mismatch_is_no_address(void **state)
{
	struct timespec dl = msp_deadline_in(5);
	struct addrinfo *res = NULL;
	struct msp_error err;

	(void)state;
	msp_error_init(&err);
	assert_int_equal(msp_net_resolve("127.0.0.1", "22", SOCK_STREAM, MSP_SOCK_IPV6, &dl, &res, &err), MSP_ENOENT);
	assert_null(res);
	assert_non_null(strstr(err.msg, "cannot resolve '127.0.0.1': "));
}

static void test_net__bad_names(void **state)
{
	struct timespec dl = msp_deadline_in(5);
	struct addrinfo *res = NULL;
	struct msp_error err;
	char big[400];

	(void)state;
	msp_error_init(&err);
	assert_int_equal(msp_net_resolve("", "22", SOCK_STREAM, MSP_SOCK_ANY, &dl, &res, &err), MSP_EINVAL);
	assert_string_equal(err.msg, "host name is empty");
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	assert_int_equal(msp_net_resolve(big, "22", SOCK_STREAM, MSP_SOCK_ANY, &dl, &res, &err), MSP_EINVAL);
	assert_non_null(strstr(err.msg, "is too long"));
	assert_int_equal(msp_net_resolve("127.0.0.1", "no-such-service-x", SOCK_STREAM, MSP_SOCK_ANY, &dl, &res, &err),
			 MSP_ENOENT);
	assert_string_equal(err.msg, "cannot resolve port 'no-such-service-x'");
}

/* localhost comes from /etc/hosts through getaddrinfo_a: the asynchronous path works. */
static void test_net__name_through_the_asynchronous_resolver(void **state)
{
	struct timespec dl = msp_deadline_in(5);
	struct addrinfo *res = NULL;
	struct msp_error err;

	(void)state;
	msp_error_init(&err);
	assert_int_equal(msp_net_resolve("localhost", "22", SOCK_STREAM, MSP_SOCK_IPV4, &dl, &res, &err), 0);
	assert_int_equal(res->ai_family, AF_INET);
	assert_int_equal(((struct sockaddr_in *)res->ai_addr)->sin_addr.s_addr, htonl(INADDR_LOOPBACK));
	freeaddrinfo(res);
}

/*
 * A lookup whose deadline has passed ends at once with the timeout
 * message, whatever the resolver is doing (the lookup is abandoned).  The
 * name cannot be in /etc/hosts, so it needs the resolver's thread.
 */
static void test_net__lookup_past_its_deadline_times_out(void **state)
{
	struct timespec dl = msp_deadline_in(0);
	struct addrinfo *res = NULL;
	struct msp_error err;
	double start = msp_time_mono();

	(void)state;
	msp_error_init(&err);
	assert_int_equal(msp_net_resolve("msp-net-test.invalid", "22", SOCK_STREAM, MSP_SOCK_ANY, &dl, &res, &err),
			 MSP_ETIMEOUT);
	assert_string_equal(err.msg, "name lookup of 'msp-net-test.invalid' timed out");
	assert_null(res);
	assert_true(msp_time_mono() - start < 0.5);
}

static void test_net__connect_tcp_by_name_and_address(void **state)
{
	struct timespec dl = msp_deadline_in(5);
	struct msp_sock s;
	struct msp_error err;
	char port[16], want[64];
	int lfd = listener(AF_INET, SOCK_STREAM, port, sizeof(port));

	(void)state;
	assert_true(lfd >= 0);
	msp_sock_init(&s);
	msp_error_init(&err);
	assert_int_equal(msp_net_connect(&s, "localhost", port, SOCK_STREAM, MSP_SOCK_IPV4, &dl, &err), 0);
	snprintf(want, sizeof(want), "127.0.0.1:%s", port);
	assert_string_equal(s.peer, want);
	msp_sock_close(&s);
	assert_int_equal(msp_net_connect(&s, "127.0.0.1", port, SOCK_STREAM, MSP_SOCK_ANY, &dl, &err), 0);
	assert_true(s.fd >= 0);
	msp_sock_close(&s);
	close(lfd);
}

static void test_net__connect_refused_names_the_address(void **state)
{
	struct timespec dl = msp_deadline_in(5);
	struct msp_sock s;
	struct msp_error err;
	char port[16], want[96];

	(void)state;
	free_port(SOCK_STREAM, port, sizeof(port));
	msp_sock_init(&s);
	msp_error_init(&err);
	assert_int_equal(msp_net_connect(&s, "127.0.0.1", port, SOCK_STREAM, MSP_SOCK_ANY, &dl, &err), MSP_ESYS);
	assert_int_equal(s.sys_errno, ECONNREFUSED);
	assert_int_equal(s.fd, -1);
	snprintf(want, sizeof(want), "cannot connect to '127.0.0.1:%s': Connection refused", port);
	assert_string_equal(err.msg, want);
	/* the older API keeps its codes */
	assert_int_equal(msp_sock_connect_tcp(&s, "127.0.0.1", port, MSP_SOCK_IPV6, &dl, &err), MSP_EINVAL);
}

static void test_net__ipv6_loopback_when_present(void **state)
{
	struct timespec dl = msp_deadline_in(5);
	struct msp_sock s;
	struct msp_error err;
	char port[16], want[64];
	int lfd = listener(AF_INET6, SOCK_STREAM, port, sizeof(port));

	(void)state;
	if (lfd < 0)
		skip(); /* no ::1 in this namespace */
	msp_sock_init(&s);
	msp_error_init(&err);
	assert_int_equal(msp_net_connect(&s, "::1", port, SOCK_STREAM, MSP_SOCK_IPV6, &dl, &err), 0);
	snprintf(want, sizeof(want), "[::1]:%s", port);
	assert_string_equal(s.peer, want);
	msp_sock_close(&s);
	close(lfd);
}

/* UDP: connected, so a closed port's ICMP answer is ECONNREFUSED on the read. */
static void test_net__udp_round_trip_and_closed_port(void **state)
{
	struct timespec dl = msp_deadline_in(5);
	struct msp_sock s;
	struct msp_error err;
	struct msp_buf b;
	char port[16], got[16];
	struct sockaddr_storage from;
	socklen_t fl = sizeof(from);
	int ufd = listener(AF_INET, SOCK_DGRAM, port, sizeof(port));
	ssize_t k;

	(void)state;
	assert_true(ufd >= 0);
	msp_sock_init(&s);
	msp_error_init(&err);
	msp_buf_init(&b, 1024);
	assert_int_equal(msp_net_connect(&s, "127.0.0.1", port, SOCK_DGRAM, MSP_SOCK_ANY, &dl, &err), 0);
	assert_int_equal(msp_sock_write_all(&s, "PING", 4, &dl, &err), 0);
	k = recvfrom(ufd, got, sizeof(got), 0, (struct sockaddr *)&from, &fl);
	assert_int_equal(k, 4);
	assert_int_equal(sendto(ufd, "PONG", 4, 0, (struct sockaddr *)&from, fl), 4);
	assert_int_equal(msp_sock_read_some(&s, &b, 1024, &dl, &err), 4);
	assert_memory_equal(b.data, "PONG", 4);
	msp_sock_close(&s);
	close(ufd);

	free_port(SOCK_DGRAM, port, sizeof(port));
	assert_int_equal(msp_net_connect(&s, "127.0.0.1", port, SOCK_DGRAM, MSP_SOCK_ANY, &dl, &err), 0);
	assert_int_equal(msp_sock_write_all(&s, "PING", 4, &dl, &err), 0);
	assert_int_equal(msp_sock_read_some(&s, &b, 1024, &dl, &err), MSP_ESYS);
	assert_int_equal(s.sys_errno, ECONNREFUSED);
	msp_sock_close(&s);
	msp_buf_release(&b);
}

/* read_some: what one read brings, 0 on close, a timeout when nothing comes. */
static void test_net__read_some(void **state)
{
	struct timespec dl = msp_deadline_in(5), soon;
	struct msp_sock s;
	struct msp_error err;
	struct msp_buf b;
	char port[16];
	int lfd = listener(AF_INET, SOCK_STREAM, port, sizeof(port)), peer;
	double start;

	(void)state;
	msp_sock_init(&s);
	msp_error_init(&err);
	msp_buf_init(&b, 4);
	assert_int_equal(msp_net_connect(&s, "127.0.0.1", port, SOCK_STREAM, MSP_SOCK_ANY, &dl, &err), 0);
	peer = accept(lfd, NULL, NULL);
	assert_true(peer >= 0);
	start = msp_time_mono();
	soon = msp_deadline_in(0.3);
	assert_int_equal(msp_sock_read_some(&s, &b, 100, &soon, &err), MSP_ETIMEOUT);
	assert_true(msp_time_mono() - start >= 0.25 && msp_time_mono() - start < 1.0);
	assert_int_equal(write(peer, "ab", 2), 2);
	assert_int_equal(msp_sock_read_some(&s, &b, 100, &dl, &err), 2);
	assert_int_equal(write(peer, "cdef", 4), 4);
	/* b holds at most 4 bytes: the ceiling ends the read */
	assert_int_equal(msp_sock_read_some(&s, &b, 100, &dl, &err), MSP_ETOOBIG);
	assert_int_equal(b.len, 4);
	close(peer);
	msp_buf_reset(&b);
	assert_int_equal(msp_sock_read_some(&s, &b, 100, &dl, &err), 0); /* the peer closed */
	assert_int_equal(b.len, 0);
	msp_sock_close(&s);
	msp_buf_release(&b);
	close(lfd);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_net__numeric_addresses_resolve_without_the_resolver),
		cmocka_unit_test(test_net__family_mismatch_is_no_address),
		cmocka_unit_test(test_net__bad_names),
		cmocka_unit_test(test_net__name_through_the_asynchronous_resolver),
		cmocka_unit_test(test_net__lookup_past_its_deadline_times_out),
		cmocka_unit_test(test_net__connect_tcp_by_name_and_address),
		cmocka_unit_test(test_net__connect_refused_names_the_address),
		cmocka_unit_test(test_net__ipv6_loopback_when_present),
		cmocka_unit_test(test_net__udp_round_trip_and_closed_port),
		cmocka_unit_test(test_net__read_some),
	};

	signal(SIGPIPE, SIG_IGN);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
