/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * check_dns_resolve.c - the probe of check_dns: one c-ares channel whose
 * sockets this file polls itself, so every wait (a server name's lookup,
 * the queries, c-ares's retransmissions) ends at the runner's deadline
 * (ctx->deadline, half a second before the alarm) and a silent server is
 * reported by the check, not by the alarm.  c-ares gets the raw answers
 * (ARES_FLAG_NOCHECKRESP: a SERVFAIL or REFUSED comes back as it is
 * instead of moving on to another server) and check_dns_parse() reads them.
 */
#include <arpa/inet.h>
#include <ares.h>
#include <errno.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_dns.h"

/* One c-ares try waits this long (then 2x, 4x, ...): the deadline ends the whole lookup anyway. */
#define TRY_MS 1000
#define TRIES 6

struct dns_job {
	struct check_dns_sample *s;
	int qtype;
	bool done;
	bool first_reply; /* no reply folded in yet */
	int status;       /* c-ares's, for the message */
	int nomem;
	double t_start, t_end;
};

static void query_done(void *arg, int status, int timeouts, unsigned char *abuf, int alen)
{
	struct dns_job *job = arg;
	struct check_dns_reply r = { .outcome = CHECK_DNS_BADRESP };

	(void)timeouts;
	job->done = true;
	job->status = status;
	job->t_end = msp_time_mono();
	if (abuf && alen > 0) {
		if (check_dns_parse(abuf, (size_t)alen, job->qtype, job->s, &r) < 0)
			job->nomem = 1;
	} else if (status == ARES_ETIMEOUT || status == ARES_ECANCELLED || status == ARES_EDESTRUCTION) {
		r.outcome = CHECK_DNS_TIMEOUT;
	} else if (status == ARES_ECONNREFUSED) {
		r.outcome = CHECK_DNS_UNREACHABLE;
	} else if (status == ARES_ENOMEM) {
		job->nomem = 1;
	}
	check_dns_combine(job->s, &r, job->first_reply);
	job->first_reply = false;
}

struct dns_jobs {
	struct dns_job job[CHECK_DNS_QUERIES_MAX];
	size_t n;
};

static bool jobs_done(void *arg)
{
	const struct dns_jobs *jobs = arg;

	for (size_t i = 0; i < jobs->n; i++)
		if (!jobs->job[i].done)
			return false;
	return true;
}

/*
 * Drive the channel until *done says so or the deadline passes: poll the
 * sockets c-ares wants, at most until its next retransmission.  0, or
 * MSP_ETIMEOUT when the deadline passed first.
 */
static int channel_run(ares_channel ch, const struct timespec *deadline, bool (*done)(void *), void *arg)
{
	while (!done(arg)) {
		ares_socket_t socks[ARES_GETSOCK_MAXNUM];
		struct pollfd pfd[ARES_GETSOCK_MAXNUM];
		struct timeval max, tv, *next;
		unsigned bits = (unsigned)ares_getsock(ch, socks, ARES_GETSOCK_MAXNUM);
		int left = msp_deadline_ms_left(deadline), n = 0, ms, r;

		if (left <= 0)
			return MSP_ETIMEOUT;
		for (int i = 0; i < ARES_GETSOCK_MAXNUM; i++) {
			/* ARES_GETSOCK_READABLE/WRITABLE shift a signed 1 up to bit 31 */
			bool rd = bits & (1u << i), wr = bits & (1u << (i + ARES_GETSOCK_MAXNUM));

			if (!rd && !wr)
				continue;
			pfd[n].fd = socks[i];
			pfd[n].events = (short)((rd ? POLLIN : 0) | (wr ? POLLOUT : 0));
			pfd[n++].revents = 0;
		}
		max.tv_sec = left / 1000;
		max.tv_usec = (left % 1000) * 1000;
		next = ares_timeout(ch, &max, &tv);
		ms = (int)(next->tv_sec * 1000 + (next->tv_usec + 999) / 1000);
		r = poll(pfd, (nfds_t)n, ms);
		if (r < 0 && errno != EINTR)
			return MSP_ESYS;
		for (int i = 0; i < n && r > 0; i++) {
			if (!pfd[i].revents)
				continue;
			ares_process_fd(ch, pfd[i].revents & (POLLIN | POLLERR | POLLHUP) ? pfd[i].fd : ARES_SOCKET_BAD,
					pfd[i].revents & POLLOUT ? pfd[i].fd : ARES_SOCKET_BAD);
		}
		ares_process_fd(ch, ARES_SOCKET_BAD, ARES_SOCKET_BAD); /* retransmissions that are due */
	}
	return 0;
}

/* The server's address lookup (-s NAME) through the channel's own resolver. */
struct server_lookup {
	bool done;
	int status;
	struct ares_addr_port_node node;
};

static void server_found(void *arg, int status, int timeouts, struct ares_addrinfo *res)
{
	struct server_lookup *l = arg;

	(void)timeouts;
	l->done = true;
	l->status = status;
	for (struct ares_addrinfo_node *a = res ? res->nodes : NULL; status == ARES_SUCCESS && a; a = a->ai_next) {
		l->node.family = a->ai_family;
		if (a->ai_family == AF_INET)
			memcpy(&l->node.addr.addr4, &((struct sockaddr_in *)(void *)a->ai_addr)->sin_addr, 4);
		else if (a->ai_family == AF_INET6)
			memcpy(&l->node.addr.addr6, &((struct sockaddr_in6 *)(void *)a->ai_addr)->sin6_addr, 16);
		else
			continue;
		break;
	}
	if (res)
		ares_freeaddrinfo(res);
}

static bool server_done(void *arg)
{
	return ((struct server_lookup *)arg)->done;
}

/* -s: a numeric address ("127.0.0.1", "::1", "[::1]") or a name looked up before the deadline. */
static int server_address(ares_channel ch, const char *server, const struct timespec *deadline,
			  struct ares_addr_port_node *ret, struct msp_error *err)
{
	struct server_lookup l = { .done = false };
	struct ares_addrinfo_hints hints = { .ai_family = AF_UNSPEC };
	char bare[256];
	size_t n = strlen(server);

	if (server[0] == '[' && n > 2 && server[n - 1] == ']' && n - 2 < sizeof(bare)) {
		memcpy(bare, server + 1, n - 2);
		bare[n - 2] = '\0';
	} else {
		snprintf(bare, sizeof(bare), "%s", server);
	}
	if (inet_pton(AF_INET, bare, &ret->addr.addr4) == 1) {
		ret->family = AF_INET;
		return 0;
	}
	if (inet_pton(AF_INET6, bare, &ret->addr.addr6) == 1) {
		ret->family = AF_INET6;
		return 0;
	}
	msp_step("looking up the DNS server '%s'", server);
	ares_getaddrinfo(ch, bare, NULL, &hints, server_found, &l);
	if (channel_run(ch, deadline, server_done, &l) == MSP_ETIMEOUT)
		return msp_error_set(err, MSP_ETIMEOUT, "cannot find the DNS server '%s': no answer in time", server);
	if (l.status != ARES_SUCCESS || !l.node.family)
		return msp_error_set(err, MSP_EINVAL, "cannot find the DNS server '%s': %s", server,
				     ares_strerror(l.status));
	ret->addr = l.node.addr;
	ret->family = l.node.family;
	return 0;
}

/* A channel for cfg: its server (-s) and port (--port), or resolv.conf's servers on that port. */
static int channel_open(const struct check_dns_config *cfg, const struct timespec *deadline, ares_channel *ret,
			struct msp_error *err)
{
	struct ares_options o = { .flags = ARES_FLAG_NOCHECKRESP | ARES_FLAG_NOSEARCH | ARES_FLAG_NOALIASES,
				  .timeout = TRY_MS,
				  .tries = TRIES,
				  .udp_port = (unsigned short)cfg->port,
				  .tcp_port = (unsigned short)cfg->port };
	struct ares_addr_port_node node = { .next = NULL };
	ares_channel ch = NULL;
	int r;

	r = ares_library_init(ARES_LIB_INIT_ALL);
	if (r != ARES_SUCCESS)
		return msp_error_set(err, MSP_ENOMEM, "cannot set up the resolver: %s", ares_strerror(r));
	r = ares_init_options(
		&ch, &o, ARES_OPT_FLAGS | ARES_OPT_TIMEOUTMS | ARES_OPT_TRIES | ARES_OPT_UDP_PORT | ARES_OPT_TCP_PORT);
	if (r != ARES_SUCCESS)
		return msp_error_set(err, r == ARES_ENOMEM ? MSP_ENOMEM : MSP_EINVAL, "cannot set up the resolver: %s",
				     ares_strerror(r));
	if (cfg->server) {
		r = server_address(ch, cfg->server, deadline, &node, err);
		if (r == 0) {
			node.udp_port = node.tcp_port = (int)cfg->port;
			if (ares_set_servers_ports(ch, &node) != ARES_SUCCESS)
				r = msp_error_set(err, MSP_EINVAL, "cannot use the DNS server '%s'", cfg->server);
		}
		if (r < 0) {
			ares_destroy(ch);
			return r;
		}
	}
	*ret = ch;
	return 0;
}

/* "127.0.0.1" (-s as given) or the first server of resolv.conf, for messages. */
static void server_name(ares_channel ch, const struct check_dns_config *cfg, char *buf, size_t len)
{
	struct ares_addr_port_node *list = NULL;
	char a[INET6_ADDRSTRLEN] = "";

	if (cfg->server) {
		snprintf(buf, len, "%s", cfg->server);
		return;
	}
	buf[0] = '\0';
	if (ares_get_servers_ports(ch, &list) == ARES_SUCCESS && list) {
		ares_inet_ntop(list->family, &list->addr, a, sizeof(a));
		snprintf(buf, len, "%s", a);
	}
	ares_free_data(list);
}

int check_dns_probe(const struct check_dns_config *cfg, const struct msp_context *ctx, struct check_dns_sample *s,
		    struct msp_error *err)
{
	struct dns_jobs jobs = { .n = cfg->nqtypes };
	ares_channel ch = NULL;
	double start;
	int r;

	r = channel_open(cfg, &ctx->deadline, &ch, err);
	if (r == MSP_ETIMEOUT) {
		s->outcome = CHECK_DNS_TIMEOUT;
		snprintf(s->server, sizeof(s->server), "%.250s", cfg->server);
		snprintf(s->detail, sizeof(s->detail), "%.150s", err->msg);
		return 0;
	}
	if (r < 0)
		return r;
	server_name(ch, cfg, s->server, sizeof(s->server));
	msp_step("asking %s for '%s'", s->server[0] ? s->server : "the DNS server", cfg->qname);
	start = msp_time_mono();
	for (size_t i = 0; i < jobs.n; i++) {
		jobs.job[i] =
			(struct dns_job){ .s = s, .qtype = cfg->qtypes[i], .first_reply = i == 0, .t_start = start };
		msp_verbose(ctx, 1, "query %s type %d (server %s port %u)\n", cfg->qname, cfg->qtypes[i],
			    s->server[0] ? s->server : "from resolv.conf", cfg->port);
		ares_query(ch, cfg->qname, 1 /* IN */, cfg->qtypes[i], query_done, &jobs.job[i]);
	}
	r = channel_run(ch, &ctx->deadline, jobs_done, &jobs);
	s->seconds = msp_time_mono() - start;
	if (r == MSP_ETIMEOUT)
		s->outcome = CHECK_DNS_TIMEOUT;
	ares_destroy(ch); /* cancels what is still open (their callbacks run: TIMEOUT) */
	if (r == MSP_ETIMEOUT)
		s->outcome = CHECK_DNS_TIMEOUT;
	for (size_t i = 0; i < jobs.n; i++) {
		if (jobs.job[i].nomem)
			return msp_error_set(err, MSP_ENOMEM, "out of memory");
		if (jobs.job[i].status != ARES_SUCCESS && !s->detail[0])
			snprintf(s->detail, sizeof(s->detail), "%s", ares_strerror(jobs.job[i].status));
	}
	if (r == MSP_ESYS)
		return msp_error_set(err, MSP_ESYS, "cannot wait for the DNS server: %s", strerror(errno));
	check_dns_sort(s);
	return 0;
}
