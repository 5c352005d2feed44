/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * check_ntp_time_proto.c - NTPv4 client packets (RFC 5905) and the probe.
 *
 * The UDP socket is connected to the server, so the kernel drops
 * datagrams from any other address or port, and an ICMP port unreachable
 * comes back as ECONNREFUSED.  A reply counts only when its origin
 * timestamp is the transmit timestamp of the request it answers.
 */
#include <errno.h>
#include <math.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/random.h>
#include <time.h>

#include "check_ntp_time.h"
#include "msp_net.h"

static uint64_t get64(const unsigned char *p)
{
	uint64_t v = 0;

	for (int i = 0; i < 8; i++)
		v = v << 8 | p[i];
	return v;
}

static void put64(unsigned char *p, uint64_t v)
{
	for (int i = 7; i >= 0; i--) {
		p[i] = (unsigned char)v;
		v >>= 8;
	}
}

uint64_t check_ntp_timestamp(double t)
{
	double s = floor(t);
	uint64_t sec = (uint64_t)((int64_t)s + CHECK_NTP_UNIX_EPOCH) & 0xffffffffu;
	uint64_t frac = (uint64_t)((t - s) * 4294967296.0);

	return sec << 32 | (frac & 0xffffffffu);
}

double check_ntp_to_unix(uint64_t ts, double near)
{
	double sec = (double)(ts >> 32) - (double)CHECK_NTP_UNIX_EPOCH;
	double era = 4294967296.0;

	/* the era nearest to our own clock: timestamps wrap in 2036 */
	sec += era * round((near - sec) / era);
	return sec + (double)(ts & 0xffffffffu) / 4294967296.0;
}

void check_ntp_build_request(unsigned char *buf, uint64_t xmt)
{
	memset(buf, 0, CHECK_NTP_PACKET);
	buf[0] = 0 << 6 | 4 << 3 | 3; /* LI 0, version 4, mode 3 (client) */
	put64(buf + 40, xmt);
}

int check_ntp_parse_reply(const unsigned char *buf, size_t len, uint64_t xmt, double near,
			  struct check_ntp_reply *ret, struct msp_error *err)
{
	struct check_ntp_reply r = { 0 };

	if (len < CHECK_NTP_PACKET)
		return msp_error_set(err, MSP_EINVAL, "short answer (%zu bytes)", len);
	r.leap = buf[0] >> 6;
	r.version = buf[0] >> 3 & 7;
	r.mode = buf[0] & 7;
	r.stratum = buf[1];
	if (r.mode != 4 || r.version < 1 || r.version > 4)
		return msp_error_set(err, MSP_EINVAL, "not a server reply (version %d, mode %d)", r.version, r.mode);
	if (get64(buf + 24) != xmt)
		return msp_error_set(err, MSP_EINVAL, "origin timestamp is not our request's");
	for (int i = 0; i < 4; i++)
		r.refid[i] = buf[12 + i] >= 0x20 && buf[12 + i] < 0x7f ? (char)buf[12 + i] : '?';
	if (r.stratum != 0 && get64(buf + 40) == 0)
		return msp_error_set(err, MSP_EINVAL, "answer without a transmit timestamp");
	r.t2 = check_ntp_to_unix(get64(buf + 32), near);
	r.t3 = check_ntp_to_unix(get64(buf + 40), near);
	*ret = r;
	return 0;
}

void check_ntp_add_reply(struct check_ntp_sample *s, const struct check_ntp_reply *r, double t1, double t4)
{
	double delay = (t4 - t1) - (r->t3 - r->t2);

	s->stratum = r->stratum;
	if (r->stratum == 0 && r->refid[0] >= 'A' && r->refid[0] <= 'Z') {
		s->kod = true;
		memcpy(s->kod_code, r->refid, sizeof(s->kod_code));
		return;
	}
	/* stratum 0 without a kiss code: "unspecified", as an unsynchronised chronyd answers */
	if (r->leap == 3 || r->stratum == 0 || r->stratum >= 16) {
		s->unsynced = true;
		s->leap = r->leap;
		return;
	}
	if (s->valid == 0 || delay < s->delay_min)
		s->delay_min = delay;
	s->offset_sum += ((r->t2 - t1) + (r->t3 - t4)) / 2;
	s->valid++;
}

static double wall_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Wait for the answer to the request with transmit timestamp xmt, until end (monotonic).  1 one came, 0 none. */
static int await_reply(int fd, uint64_t xmt, double t1, double end, struct check_ntp_sample *s)
{
	unsigned char buf[1024];
	struct pollfd p = { .fd = fd, .events = POLLIN };
	struct check_ntp_reply r;
	struct msp_error err = { 0 };

	for (;;) {
		double left = end - msp_time_mono();
		ssize_t n;

		if (left <= 0)
			return 0;
		if (poll(&p, 1, (int)ceil(left * 1000.0)) <= 0)
			continue;
		n = recv(fd, buf, sizeof(buf), MSG_DONTWAIT);
		if (n < 0 && errno == ECONNREFUSED) {
			s->refused = true;
			return 0;
		}
		if (n < 0)
			continue;
		if (check_ntp_parse_reply(buf, (size_t)n, xmt, t1, &r, &err) < 0) {
			s->ignored++;
			continue;
		}
		check_ntp_add_reply(s, &r, t1, wall_now());
		return 1;
	}
}

/* One request and its answer (a second at most).  MSP_ESYS when it cannot be sent. */
static int one_sample(int fd, double end, struct check_ntp_sample *s, struct msp_error *err)
{
	unsigned char pkt[CHECK_NTP_PACKET];
	uint32_t noise = 0;
	double t1 = wall_now(), until = msp_time_mono() + 1.0;
	/* the low bits of the fraction are below the clock's resolution: random, so an answer cannot be guessed */
	uint64_t xmt;

	if (getrandom(&noise, sizeof(noise), 0) != (ssize_t)sizeof(noise))
		noise = (uint32_t)(t1 * 1e9);
	xmt = (check_ntp_timestamp(t1) & ~(uint64_t)0x3ff) | (noise & 0x3ff);
	check_ntp_build_request(pkt, xmt);
	if (send(fd, pkt, sizeof(pkt), 0) != (ssize_t)sizeof(pkt)) {
		if (errno == ECONNREFUSED) {
			s->refused = true;
			return 0;
		}
		return msp_error_set(err, MSP_ESYS, "cannot send to the server: %s", strerror(errno));
	}
	s->sent++;
	return await_reply(fd, xmt, t1, until < end ? until : end, s);
}

int check_ntp_time_probe(const struct check_ntp_time_config *cfg, const struct timespec *deadline,
			 struct check_ntp_sample *ret, struct msp_error *err)
{
	struct msp_sock sock;
	char port[16];
	enum msp_sock_family fam = cfg->family == 4 ? MSP_SOCK_IPV4 : cfg->family == 6 ? MSP_SOCK_IPV6 : MSP_SOCK_ANY;
	double end = (double)deadline->tv_sec + (double)deadline->tv_nsec / 1e9;
	int r;

	memset(ret, 0, sizeof(*ret));
	snprintf(port, sizeof(port), "%u", cfg->port);
	msp_sock_init(&sock);
	r = msp_net_connect(&sock, cfg->host, port, SOCK_DGRAM, fam, deadline, err);
	if (r == MSP_ESYS) {
		/* no route to the server: no answer, with the reason (not an error of the check) */
		snprintf(ret->why, sizeof(ret->why), "%.199s", err->msg);
		return 0;
	}
	if (r < 0)
		return r;
	/*
	 * answers until CHECK_NTP_SAMPLES came, or one says the time cannot be had, or time is up;
	 * a server that answers some requests is not asked more than twice as often
	 */
	while (r >= 0 && ret->valid < CHECK_NTP_SAMPLES && !ret->kod && !ret->unsynced && !ret->refused &&
	       !(ret->valid > 0 && ret->sent >= 2 * CHECK_NTP_SAMPLES) && msp_time_mono() < end)
		r = one_sample(sock.fd, end, ret, err);
	msp_sock_close(&sock);
	return r < 0 ? r : 0;
}
