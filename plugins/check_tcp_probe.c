/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * check_tcp_probe.c - check_tcp's only I/O: look up, connect (TCP, UDP or a
 * unix socket), TLS, send, read the answer until it matches, quit.  Every
 * step ends at the one deadline; what goes wrong is a finding in the sample
 * (refused, no address, failed, timed out), never an error of the plugin.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "check_tcp.h"
#include "msp_net.h"
#include "msp_time.h"
#include "banned.h"

struct conn {
	struct msp_sock sock;
	struct msp_tls *tls; /* NULL without -S */
};

static int conn_write(struct conn *c, const void *p, size_t n, const struct timespec *dl, struct msp_error *e)
{
	return c->tls ? msp_tls_write_all(c->tls, p, n, dl, e) : msp_sock_write_all(&c->sock, p, n, dl, e);
}

static int conn_read_some(struct conn *c, struct msp_buf *b, size_t max, const struct timespec *dl, struct msp_error *e)
{
	return c->tls ? msp_tls_read_some(c->tls, b, max, dl, e) : msp_sock_read_some(&c->sock, b, max, dl, e);
}

/* Record a failed step: its outcome from the error and the socket's errno, and the message. */
static void failed(struct check_tcp_sample *s, int r, const struct msp_sock *sk, const struct msp_error *e)
{
	if (r == MSP_ETIMEOUT)
		s->outcome = CHECK_TCP_TIMEOUT;
	else if (r == MSP_ENOENT)
		s->outcome = CHECK_TCP_NO_ADDRESS;
	else if (sk->sys_errno == ECONNREFUSED)
		s->outcome = CHECK_TCP_REFUSED;
	else
		s->outcome = CHECK_TCP_FAILED;
	snprintf(s->reason, sizeof(s->reason), "%s", e->msg);
}

static int start_tls(const struct check_tcp_config *cfg, const struct timespec *dl, struct conn *c,
		     struct check_tcp_sample *s)
{
	struct msp_tls_config tc = {
		.sni = cfg->sni ? cfg->sni : cfg->host,
		.verify = cfg->verify,
		.ca_file = cfg->ca_file,
		.verify_host = cfg->host,
	};
	struct msp_error e;
	int r;

	msp_error_init(&e);
	msp_step("in the TLS handshake with %s", c->sock.peer);
	r = msp_tls_connect(&c->sock, &tc, dl, &c->tls, &e);
	if (r == 0)
		r = msp_tls_verified(c->tls, &e);
	if (r == 0 && cfg->check_cert) {
		r = msp_tls_peer_cert(c->tls, &s->cert, &e);
		s->have_cert = r == 0;
	}
	if (r < 0) {
		failed(s, r, &c->sock, &e);
		if (s->outcome != CHECK_TCP_TIMEOUT)
			s->outcome = CHECK_TCP_FAILED; /* a reset in the handshake is no refusal */
	}
	return r;
}

static int open_conn(const struct check_tcp_config *cfg, const struct timespec *dl, struct conn *c,
		     struct check_tcp_sample *s)
{
	struct msp_error e;
	char port[12];
	int r;

	msp_error_init(&e);
	if (cfg->unix_socket) {
		msp_step("connecting to %s", cfg->host);
		r = msp_sock_connect_unix(&c->sock, cfg->host, dl, &e);
	} else {
		snprintf(port, sizeof(port), "%u", cfg->port);
		msp_step("looking up or connecting to %s port %s", cfg->host, port);
		r = msp_net_connect(&c->sock, cfg->host, port, cfg->udp ? SOCK_DGRAM : SOCK_STREAM,
				    (enum msp_sock_family)cfg->family, dl, &e);
	}
	if (r < 0) {
		failed(s, r, &c->sock, &e);
		/* the reference's words for a connect that failed ("Network is unreachable") */
		if (r == MSP_ESYS && c->sock.sys_errno != 0 && cfg->unix_socket)
			snprintf(s->reason, sizeof(s->reason), "connect to socket %s: %s", cfg->host,
				 strerror(c->sock.sys_errno));
		else if (r == MSP_ESYS && c->sock.sys_errno != 0)
			snprintf(s->reason, sizeof(s->reason), "connect to address %s and port %u: %s", cfg->host,
				 cfg->port, strerror(c->sock.sys_errno));
		return r;
	}
	return cfg->ssl ? start_tls(cfg, dl, c, s) : 0;
}

/* The earlier of the deadline and `secs` from now. */
static struct timespec until(const struct timespec *dl, double secs)
{
	struct timespec t = msp_deadline_in(secs);

	return msp_deadline_ms_left(&t) < msp_deadline_ms_left(dl) ? t : *dl;
}

/*
 * Read until the answer matches or cannot match, the peer closes, -m
 * bytes came, or no more came for CHECK_TCP_IDLE_GAP seconds after an
 * answer that does not match yet.
 */
static int read_answer(const struct check_tcp_config *cfg, struct conn *c, const struct timespec *dl, struct msp_buf *b,
		       struct check_tcp_sample *s)
{
	struct timespec wait = *dl;
	struct msp_error e;

	msp_error_init(&e);
	msp_step("waiting for %s to answer", c->sock.peer);
	for (;;) {
		int r = conn_read_some(c, b, CHECK_TCP_READ_MAX, &wait, &e);

		if (r == 0 || r == MSP_ETOOBIG)
			return 0;
		if (r == MSP_ETIMEOUT && b->len > 0 && !msp_deadline_passed(dl))
			return 0; /* the idle gap after a partial answer */
		if (r < 0 && cfg->udp && c->sock.sys_errno == ECONNREFUSED)
			return 0; /* ICMP port unreachable: no answer */
		if (r < 0) {
			failed(s, r, &c->sock, &e);
			if (s->outcome == CHECK_TCP_REFUSED)
				s->outcome = CHECK_TCP_FAILED;
			return r;
		}
		if (cfg->maxbytes && b->len >= cfg->maxbytes)
			return 0;
		if (check_tcp_match(cfg, b->data, b->len) != -1)
			return 0;
		wait = until(dl, CHECK_TCP_IDLE_GAP);
	}
}

/* -d: wait between sending and reading, never past the deadline; returns the seconds waited. */
static double pause_for(unsigned secs, const struct timespec *dl)
{
	double start = msp_time_mono();
	struct timespec end = until(dl, (double)secs), nap;
	int ms;

	msp_step("waiting %u s before reading (-d)", secs);
	while ((ms = msp_deadline_ms_left(&end)) > 0) {
		nap.tv_sec = ms / 1000;
		nap.tv_nsec = (long)(ms % 1000) * 1000000L;
		nanosleep(&nap, NULL);
	}
	return msp_time_mono() - start;
}

static int converse(const struct check_tcp_config *cfg, struct conn *c, const struct timespec *dl, struct msp_buf *b,
		    struct check_tcp_sample *s, double *ret_paused)
{
	struct msp_error e;
	int r = 0;

	msp_error_init(&e);
	if (cfg->send_len > 0) {
		msp_step("sending to %s", c->sock.peer);
		r = conn_write(c, cfg->send, cfg->send_len, dl, &e);
		if (r < 0) {
			failed(s, r, &c->sock, &e);
			return r;
		}
	}
	if (cfg->delay)
		*ret_paused = pause_for(cfg->delay, dl);
	if (cfg->nexpects > 0) {
		s->read = true;
		r = read_answer(cfg, c, dl, b, s);
	}
	return r;
}

int check_tcp_probe(const struct check_tcp_config *cfg, const struct timespec *deadline, struct msp_buf *b,
		    struct check_tcp_sample *s)
{
	struct conn c = { .tls = NULL };
	double start = msp_time_mono(), paused = 0;
	int r;

	msp_sock_init(&c.sock);
	r = open_conn(cfg, deadline, &c, s);
	if (r == 0)
		r = converse(cfg, &c, deadline, b, s, &paused);
	s->elapsed = msp_time_mono() - start - paused;
	if (s->elapsed < 0)
		s->elapsed = 0;
	if (r == 0 && cfg->quit_len > 0) {
		struct timespec quick = until(deadline, 1.0);
		struct msp_error e;

		msp_error_init(&e);
		(void)conn_write(&c, cfg->quit, cfg->quit_len, &quick,
				 &e); /* a polite goodbye; its failure changes nothing */
	}
	s->answer = b->data;
	s->answer_len = b->len;
	msp_tls_free(c.tls);
	msp_sock_close(&c.sock);
	return r == MSP_ENOMEM ? r : 0;
}
