/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * check_ping.h - the pure parts of check_ping, for the unit tests.
 */
#ifndef CHECK_PING_H
#define CHECK_PING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "msp.h"

#define CHECK_PING_MAX_PACKETS 1000
#define CHECK_PING_SEQ_MAX CHECK_PING_MAX_PACKETS
#define CHECK_PING_PAYLOAD 56 /* bytes after the ICMP header, as ping(8) sends */
#define CHECK_PING_COOKIE 8   /* of them: a random cookie of this run, so stray echoes do not count */

/* One -w or -c pair: "RTA,PL%" (or "RTA:PL%"), "RTA" alone or "PL%" alone. */
struct check_ping_pair {
	double rta; /* ms; < 0: not given */
	int pl;     /* percent; < 0: not given */
};

struct check_ping_config {
	struct msp_list hosts;  /* -H, repeatable */
	const char *warning;    /* -w as given */
	const char *critical;   /* -c as given */
	unsigned packets;       /* -p */
	int family;             /* 0, 4 (-4) or 6 (-6) */
	bool link;              /* -L */
	bool nohtml;            /* -n: no link, whatever -L says */
	struct check_ping_pair w, c; /* parsed in finish */
};

/* How one host's probe ended. */
enum check_ping_fail {
	CHECK_PING_ANSWERED = 0, /* replies counted (some may be lost) */
	CHECK_PING_NET_UNREACH,
	CHECK_PING_HOST_UNREACH,
	CHECK_PING_PORT_UNREACH,
	CHECK_PING_PROTO_UNREACH,
	CHECK_PING_NET_PROHIB,
	CHECK_PING_HOST_PROHIB,
	CHECK_PING_FILTERED,
	CHECK_PING_TTL,
	CHECK_PING_DEST_UNREACH,
};

struct check_ping_sample {
	const char *host;  /* as given */
	char addr[64];     /* numeric address pinged */
	unsigned sent;
	unsigned received;
	double rtt_sum;    /* ms, over the replies */
	double rtt_min, rtt_max;
	enum check_ping_fail fail; /* an ICMP error or a send that the network refused */
};

/* One echo reply or ICMP error read from the socket, as check_ping_parse_icmp sees it. */
struct check_ping_reply {
	bool echo_reply;    /* an echo reply with our id (raw sockets) and cookie */
	uint16_t seq;
};

/* Parse one -w/-c argument into *ret.  0 or MSP_EINVAL with a message naming name and text. */
int check_ping_parse_pair(const char *name, const char *text, struct check_ping_pair *ret, struct msp_error *err);

/*
 * An ICMP (v6 when v6) echo request: type, code, checksum (IPv4 only: the
 * kernel sums ICMPv6 and datagram sockets rewrite it), id, seq, then the
 * cookie and zeros.  buf holds 8 + CHECK_PING_PAYLOAD bytes.  Returns the length.
 */
size_t check_ping_build_echo(unsigned char *buf, bool v6, uint16_t id, uint16_t seq, const unsigned char *cookie);

/*
 * Parse what one recv returned: raw IPv4 sockets deliver the IP header
 * first (ip_header true), the others the ICMP message alone.  id is
 * checked only when check_id (datagram sockets: the kernel matched it).
 * 0 with *ret filled (echo_reply false for anything that is not our echo
 * reply), MSP_EINVAL for a short or malformed packet.
 */
int check_ping_parse_icmp(const unsigned char *buf, size_t len, bool v6, bool ip_header, bool check_id, uint16_t id,
			  const unsigned char *cookie, struct check_ping_reply *ret);

/* What an ICMP error (type, code of the family) means; CHECK_PING_ANSWERED for one that is no error. */
enum check_ping_fail check_ping_icmp_fail(bool v6, int type, int code);

/* The reference's words for a failure ("Network Unreachable"). */
const char *check_ping_fail_text(enum check_ping_fail f);

/* The state of one sample against the thresholds (RTA and loss at or over a limit alert). */
enum msp_state check_ping_state(const struct check_ping_config *cfg, const struct check_ping_sample *s);

/* Fill root from the samples (n hosts probed, in order).  0 or MSP_ENOMEM. */
int check_ping_evaluate(const struct check_ping_config *cfg, const struct check_ping_sample *s, size_t n,
			struct msp_result *root);

/* The pacing: seconds between packets for n packets in budget seconds (1 s, less when they would not fit). */
double check_ping_interval(unsigned n, double budget, double linger);

/* Probe one host (check_ping_icmp.c): the only I/O.  0, or MSP_E* with err set (a resolver failure, no socket). */
int check_ping_probe(const struct check_ping_config *cfg, const char *host, const struct timespec *deadline,
		     struct check_ping_sample *ret, struct msp_error *err);

#endif
