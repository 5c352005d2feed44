/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * check_ping_icmp.c - ICMP echo: the packets (pure) and the probe of one host.
 *
 * An ICMP datagram socket (SOCK_DGRAM, IPPROTO_ICMP/ICMPV6: the kernel
 * picks the echo id and hands us only our replies) where
 * net.ipv4.ping_group_range lets this group have one; a raw socket
 * (CAP_NET_RAW) otherwise.  No setuid bit, no ping(8).  The socket is
 * connected, so a network without a route fails at once (ENETUNREACH), and
 * IP_RECVERR/IPV6_RECVERR bring ICMP errors (host unreachable, TTL
 * exceeded) on the error queue.
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <netdb.h>
#include <netinet/icmp6.h>
#include <netinet/in.h>
#include <netinet/ip_icmp.h>
#include <linux/errqueue.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#include "check_ping.h"
#include "msp_net.h"

#define ICMP_HDR 8
/* linux/icmp.h's raw-socket filter (that header clashes with netinet/ip_icmp.h): a bit set drops the type */
#define PING_ICMP_FILTER 1

static uint16_t inet_sum(const unsigned char *p, size_t len)
{
	uint32_t sum = 0;

	for (size_t i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)(p[i] << 8 | p[i + 1]);
	if (len % 2)
		sum += (uint32_t)(p[len - 1] << 8);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

size_t check_ping_build_echo(unsigned char *buf, bool v6, uint16_t id, uint16_t seq, const unsigned char *cookie)
{
	size_t len = ICMP_HDR + CHECK_PING_PAYLOAD;
	uint16_t sum;

	memset(buf, 0, len);
	buf[0] = v6 ? ICMP6_ECHO_REQUEST : ICMP_ECHO;
	buf[4] = (unsigned char)(id >> 8);
	buf[5] = (unsigned char)id;
	buf[6] = (unsigned char)(seq >> 8);
	buf[7] = (unsigned char)seq;
	memcpy(buf + ICMP_HDR, cookie, CHECK_PING_COOKIE);
	if (!v6) {
		sum = inet_sum(buf, len);
		buf[2] = (unsigned char)(sum >> 8);
		buf[3] = (unsigned char)sum;
	}
	return len;
}

int check_ping_parse_icmp(const unsigned char *buf, size_t len, bool v6, bool ip_header, bool check_id, uint16_t id,
			  const unsigned char *cookie, struct check_ping_reply *ret)
{
	size_t off = 0;

	memset(ret, 0, sizeof(*ret));
	if (ip_header) {
		if (len < 20 || (buf[0] >> 4) != 4 || (buf[0] & 0xf) < 5)
			return MSP_EINVAL;
		off = (size_t)(buf[0] & 0xf) * 4;
	}
	if (len < off + ICMP_HDR)
		return MSP_EINVAL;
	buf += off;
	len -= off;
	if (buf[0] != (v6 ? ICMP6_ECHO_REPLY : ICMP_ECHOREPLY) || buf[1] != 0)
		return 0;
	if (check_id && (uint16_t)(buf[4] << 8 | buf[5]) != id)
		return 0;
	if (len < ICMP_HDR + CHECK_PING_COOKIE || memcmp(buf + ICMP_HDR, cookie, CHECK_PING_COOKIE) != 0)
		return 0;
	ret->seq = (uint16_t)(buf[6] << 8 | buf[7]);
	ret->echo_reply = true;
	return 0;
}

static enum check_ping_fail v4_fail(int type, int code)
{
	if (type == ICMP_TIME_EXCEEDED)
		return CHECK_PING_TTL;
	if (type != ICMP_DEST_UNREACH)
		return CHECK_PING_ANSWERED;
	switch (code) {
	case ICMP_NET_UNREACH:
	case ICMP_NET_UNKNOWN:
		return CHECK_PING_NET_UNREACH;
	case ICMP_HOST_UNREACH:
	case ICMP_HOST_UNKNOWN:
		return CHECK_PING_HOST_UNREACH;
	case ICMP_PROT_UNREACH:
		return CHECK_PING_PROTO_UNREACH;
	case ICMP_PORT_UNREACH:
		return CHECK_PING_PORT_UNREACH;
	case ICMP_NET_ANO:
		return CHECK_PING_NET_PROHIB;
	case ICMP_HOST_ANO:
		return CHECK_PING_HOST_PROHIB;
	case ICMP_PKT_FILTERED:
		return CHECK_PING_FILTERED;
	default:
		return CHECK_PING_DEST_UNREACH;
	}
}

enum check_ping_fail check_ping_icmp_fail(bool v6, int type, int code)
{
	if (!v6)
		return v4_fail(type, code);
	if (type == ICMP6_TIME_EXCEEDED)
		return CHECK_PING_TTL;
	if (type != ICMP6_DST_UNREACH)
		return CHECK_PING_ANSWERED;
	switch (code) {
	case ICMP6_DST_UNREACH_NOROUTE:
		return CHECK_PING_NET_UNREACH;
	case ICMP6_DST_UNREACH_ADDR:
		return CHECK_PING_HOST_UNREACH;
	case ICMP6_DST_UNREACH_ADMIN:
		return CHECK_PING_FILTERED;
	case ICMP6_DST_UNREACH_NOPORT:
		return CHECK_PING_PORT_UNREACH;
	default:
		return CHECK_PING_DEST_UNREACH;
	}
}

/* ------------------------------------------------------------ the probe */

struct ping_run {
	int fd;
	bool v6, raw;
	uint16_t id;
	unsigned char cookie[CHECK_PING_COOKIE];
	double *sent_at;  /* per seq, monotonic seconds */
	bool *got;        /* per seq: a reply came */
	struct check_ping_sample *s;
};

/* What a failed connect or send means: a failure of the path, or -1 for an error of ours. */
static int errno_fail(int e)
{
	switch (e) {
	case ENETUNREACH:
	case ENETDOWN:
		return CHECK_PING_NET_UNREACH;
	case EHOSTUNREACH:
	case EHOSTDOWN:
		return CHECK_PING_HOST_UNREACH;
	case EACCES:
	case EPERM:
		return CHECK_PING_FILTERED;
	default:
		return -1;
	}
}

static int open_icmp(struct ping_run *pr, int family, struct msp_error *err)
{
	int proto = pr->v6 ? IPPROTO_ICMPV6 : IPPROTO_ICMP, one = 1;

	pr->fd = socket(family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, proto);
	if (pr->fd < 0 && (errno == EACCES || errno == EPERM || errno == EPROTONOSUPPORT)) {
		pr->raw = true;
		pr->fd = socket(family, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, proto);
	}
	if (pr->fd < 0)
		return msp_error_set(err, MSP_ESYS,
				     "cannot open an ICMP socket: %s (this group is not in net.ipv4.ping_group_range "
				     "and CAP_NET_RAW is missing)",
				     strerror(errno));
	if (pr->v6) {
		(void)setsockopt(pr->fd, IPPROTO_IPV6, IPV6_RECVERR, &one, sizeof(one));
		if (pr->raw) {
			struct icmp6_filter f;

			ICMP6_FILTER_SETBLOCKALL(&f);
			ICMP6_FILTER_SETPASS(ICMP6_ECHO_REPLY, &f);
			(void)setsockopt(pr->fd, IPPROTO_ICMPV6, ICMP6_FILTER, &f, sizeof(f));
		}
	} else {
		(void)setsockopt(pr->fd, IPPROTO_IP, IP_RECVERR, &one, sizeof(one));
		if (pr->raw) {
			uint32_t f = ~(1u << ICMP_ECHOREPLY);

			(void)setsockopt(pr->fd, IPPROTO_RAW, PING_ICMP_FILTER, &f, sizeof(f));
		}
	}
	return 0;
}

/* Read one ICMP error from the error queue into s->fail.  True when one was there. */
static bool read_errqueue(struct ping_run *pr)
{
	char cbuf[512];
	unsigned char data[256];
	struct iovec iov = { .iov_base = data, .iov_len = sizeof(data) };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf, .msg_controllen = sizeof(cbuf) };

	if (recvmsg(pr->fd, &m, MSG_ERRQUEUE | MSG_DONTWAIT) < 0)
		return false;
	for (struct cmsghdr *c = CMSG_FIRSTHDR(&m); c; c = CMSG_NXTHDR(&m, c)) {
		struct sock_extended_err ee;
		int f;

		if (!((c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_RECVERR) ||
		      (c->cmsg_level == IPPROTO_IPV6 && c->cmsg_type == IPV6_RECVERR)))
			continue;
		memcpy(&ee, CMSG_DATA(c), sizeof(ee));
		if (ee.ee_origin == SO_EE_ORIGIN_ICMP || ee.ee_origin == SO_EE_ORIGIN_ICMP6)
			f = (int)check_ping_icmp_fail(ee.ee_origin == SO_EE_ORIGIN_ICMP6, ee.ee_type, ee.ee_code);
		else
			f = errno_fail((int)ee.ee_errno);
		pr->s->fail = f > 0 ? (enum check_ping_fail)f : CHECK_PING_DEST_UNREACH;
		return true;
	}
	return true;
}

static void read_replies(struct ping_run *pr, double now)
{
	unsigned char buf[1500];
	struct check_ping_reply rep;
	ssize_t n;

	while ((n = recv(pr->fd, buf, sizeof(buf), MSG_DONTWAIT)) > 0) {
		if (check_ping_parse_icmp(buf, (size_t)n, pr->v6, pr->raw && !pr->v6, pr->raw, pr->id, pr->cookie,
					  &rep) < 0 ||
		    !rep.echo_reply || rep.seq >= pr->s->sent || pr->got[rep.seq])
			continue;
		double ms = (now - pr->sent_at[rep.seq]) * 1000.0;

		pr->got[rep.seq] = true;
		pr->s->received++;
		pr->s->rtt_sum += ms;
		if (pr->s->received == 1 || ms < pr->s->rtt_min)
			pr->s->rtt_min = ms;
		if (ms > pr->s->rtt_max)
			pr->s->rtt_max = ms;
	}
}

/* Send echo request seq.  0, 1 when the path refused it (s->fail set), or MSP_ESYS. */
static int send_one(struct ping_run *pr, uint16_t seq, struct msp_error *err)
{
	unsigned char pkt[ICMP_HDR + CHECK_PING_PAYLOAD];
	size_t len = check_ping_build_echo(pkt, pr->v6, pr->id, seq, pr->cookie);
	int f;

	pr->sent_at[seq] = msp_time_mono();
	if (send(pr->fd, pkt, len, 0) == (ssize_t)len) {
		pr->s->sent++;
		return 0;
	}
	f = errno_fail(errno);
	if (f < 0 && (errno == EAGAIN || errno == ENOBUFS)) {
		pr->s->sent++; /* dropped on the way out: a lost packet */
		return 0;
	}
	if (f < 0)
		return msp_error_set(err, MSP_ESYS, "cannot send to '%s': %s", pr->s->addr, strerror(errno));
	pr->s->fail = (enum check_ping_fail)f;
	return 1;
}

double check_ping_interval(unsigned n, double budget, double linger)
{
	double iv;

	if (n < 2)
		return 1.0;
	if (linger > budget / 2)
		linger = budget / 2;
	iv = (budget - linger) / (double)(n - 1);
	if (iv > 1.0)
		return 1.0;
	return iv > 0 ? iv : 0;
}

/* The send-and-wait loop until every packet is answered, an error comes, or end (monotonic seconds). */
static int ping_loop(struct ping_run *pr, unsigned n, double end, double linger, struct msp_error *err)
{
	double iv = check_ping_interval(n, end - msp_time_mono(), linger), next = msp_time_mono(), until;
	struct pollfd p = { .fd = pr->fd, .events = POLLIN };
	int r;

	for (;;) {
		double now = msp_time_mono();

		if (pr->s->sent < n && now >= next) {
			r = send_one(pr, (uint16_t)pr->s->sent, err);
			if (r != 0)
				return r < 0 ? r : 0;
			next += iv;
		}
		if (pr->s->sent == n && pr->s->received == n)
			return 0;
		until = pr->s->sent < n ? next : pr->sent_at[n - 1] + linger;
		if (until > end)
			until = end;
		if (now >= end || (pr->s->sent == n && now >= until))
			return 0;
		r = poll(&p, 1, (int)ceil((until - now) * 1000.0));
		if (r < 0 && errno != EINTR)
			return msp_error_set(err, MSP_ESYS, "cannot wait for replies: %s", strerror(errno));
		if (r > 0 && (p.revents & POLLERR) && read_errqueue(pr) && pr->s->fail != CHECK_PING_ANSWERED)
			return 0;
		if (r > 0 && (p.revents & POLLIN))
			read_replies(pr, msp_time_mono());
	}
}

/* The address to ping: with -4/-6 that family, else the first IPv4 address, else the first. */
static int pick_addr(const struct check_ping_config *cfg, const char *host, const struct timespec *deadline,
		     struct sockaddr_storage *sa, socklen_t *salen, struct check_ping_sample *s, struct msp_error *err)
{
	struct addrinfo *res = NULL, *pick = NULL;
	enum msp_sock_family fam = cfg->family == 4 ? MSP_SOCK_IPV4 : cfg->family == 6 ? MSP_SOCK_IPV6 : MSP_SOCK_ANY;
	int r = msp_net_resolve(host, NULL, SOCK_DGRAM, fam, deadline, &res, err);

	if (r < 0)
		return r;
	for (struct addrinfo *a = res; a && !pick; a = a->ai_next)
		if (a->ai_family == AF_INET)
			pick = a;
	if (!pick)
		pick = res;
	if (!pick || pick->ai_addrlen > sizeof(*sa)) {
		freeaddrinfo(res);
		return msp_error_set(err, MSP_ENOENT, "cannot resolve '%s': no address", host);
	}
	memcpy(sa, pick->ai_addr, pick->ai_addrlen);
	*salen = pick->ai_addrlen;
	freeaddrinfo(res);
	if (getnameinfo((struct sockaddr *)sa, *salen, s->addr, sizeof(s->addr), NULL, 0, NI_NUMERICHOST) != 0)
		snprintf(s->addr, sizeof(s->addr), "%s", host);
	return 0;
}

static int ping_connect(struct ping_run *pr, const struct sockaddr_storage *sa, socklen_t salen,
			struct msp_error *err)
{
	struct sockaddr_storage me;
	socklen_t melen = sizeof(me);
	int f;

	if (connect(pr->fd, (const struct sockaddr *)sa, salen) != 0) {
		f = errno_fail(errno);
		if (f < 0)
			return msp_error_set(err, MSP_ESYS, "cannot reach '%s': %s", pr->s->addr, strerror(errno));
		pr->s->fail = (enum check_ping_fail)f;
		return 1;
	}
	if (!pr->raw && getsockname(pr->fd, (struct sockaddr *)&me, &melen) == 0)
		pr->id = ntohs(me.ss_family == AF_INET6 ? ((struct sockaddr_in6 *)&me)->sin6_port
							 : ((struct sockaddr_in *)&me)->sin_port);
	return 0;
}

int check_ping_probe(const struct check_ping_config *cfg, const char *host, const struct timespec *deadline,
		     struct check_ping_sample *ret, struct msp_error *err)
{
	struct ping_run pr = { .fd = -1, .s = ret };
	struct sockaddr_storage sa;
	socklen_t salen = 0;
	double end = (double)deadline->tv_sec + (double)deadline->tv_nsec / 1e9;
	double linger = cfg->c.rta / 1000.0 * 2 > 1.0 ? cfg->c.rta / 1000.0 * 2 : 1.0;
	int r;

	memset(ret, 0, sizeof(*ret));
	ret->host = host;
	r = pick_addr(cfg, host, deadline, &sa, &salen, ret, err);
	if (r < 0)
		return r;
	pr.v6 = sa.ss_family == AF_INET6;
	if (getrandom(pr.cookie, sizeof(pr.cookie), 0) != (ssize_t)sizeof(pr.cookie) ||
	    getrandom(&pr.id, sizeof(pr.id), 0) != (ssize_t)sizeof(pr.id))
		return msp_error_set(err, MSP_ESYS, "cannot read random bytes: %s", strerror(errno));
	r = open_icmp(&pr, sa.ss_family, err);
	if (r < 0)
		return r;
	pr.sent_at = calloc(cfg->packets, sizeof(*pr.sent_at));
	pr.got = calloc(cfg->packets, sizeof(*pr.got));
	if (!pr.sent_at || !pr.got)
		r = msp_error_set(err, MSP_ENOMEM, "out of memory");
	else
		r = ping_connect(&pr, &sa, salen, err);
	if (r == 0)
		r = ping_loop(&pr, cfg->packets, end, linger, err);
	free(pr.sent_at);
	free(pr.got);
	close(pr.fd);
	return r < 0 ? r : 0;
}
