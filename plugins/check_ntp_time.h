/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * check_ntp_time.h - the pure parts of check_ntp_time, for the unit tests.
 */
#ifndef CHECK_NTP_TIME_H
#define CHECK_NTP_TIME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "msp.h"

#define CHECK_NTP_PACKET 48   /* an NTP header without extensions or MAC (RFC 5905 7.3) */
#define CHECK_NTP_SAMPLES 4   /* answers averaged, as the reference takes them */
#define CHECK_NTP_UNIX_EPOCH 2208988800u /* 1970-01-01 in NTP era 0 seconds */

struct check_ntp_time_config {
	const char *host;         /* -H */
	unsigned port;            /* -p */
	struct msp_threshold th;  /* -w/-c on the absolute offset, seconds */
	double time_offset;       /* -o: added to the measured offset, as the reference does */
	bool quiet;               /* -q: no offset is UNKNOWN instead of CRITICAL */
	int family;               /* 0, 4 or 6 */
};

/* One server answer, parsed. */
struct check_ntp_reply {
	int leap;          /* LI: 3 = alarm (not synchronised) */
	int version;
	int mode;
	int stratum;       /* 0: kiss-o'-death (with a kiss code) or unspecified, 16: not synchronised */
	char refid[5];     /* the kiss code when stratum is 0 (printable, '?' for other bytes, NUL-ended) */
	double t2, t3;     /* server receive and transmit times, Unix seconds */
};

/* What the probe saw. */
struct check_ntp_sample {
	unsigned sent;       /* requests sent */
	unsigned valid;      /* answers that passed every check and carry time */
	double offset_sum;   /* seconds, over the valid answers */
	double delay_min;    /* seconds, round trip of the best answer */
	int stratum;         /* of the last answer */
	bool unsynced;       /* an answer with LI 3, stratum 16 (or above), or 0 without a kiss code */
	int leap;            /* its LI */
	bool kod;            /* a kiss-o'-death (stratum 0) */
	char kod_code[5];
	bool refused;        /* ICMP port unreachable: nothing listens there */
	unsigned ignored;    /* datagrams dropped: short, wrong mode, another origin timestamp */
	char why[200];       /* the network refused the socket (no route): the reason, else "" */
};

/* The 64-bit NTP timestamp of Unix time t (seconds, fraction). */
uint64_t check_ntp_timestamp(double t);

/* Unix seconds of the NTP timestamp ts, in the 136-year era nearest to near (Unix seconds). */
double check_ntp_to_unix(uint64_t ts, double near);

/* A client request (NTPv4, mode 3) carrying xmt as its transmit timestamp, into buf[CHECK_NTP_PACKET]. */
void check_ntp_build_request(unsigned char *buf, uint64_t xmt);

/*
 * Parse a datagram answering the request sent with transmit timestamp
 * xmt at Unix time near: 0 with *ret filled, or MSP_EINVAL with a reason
 * in err for one to ignore (short, not a server reply, another origin
 * timestamp: not ours, or a stale or forged answer; no transmit time
 * unless it is a kiss-o'-death).
 */
int check_ntp_parse_reply(const unsigned char *buf, size_t len, uint64_t xmt, double near,
			  struct check_ntp_reply *ret, struct msp_error *err);

/* Fold one parsed reply, sent at t1 and received at t4 (Unix seconds), into s. */
void check_ntp_add_reply(struct check_ntp_sample *s, const struct check_ntp_reply *r, double t1, double t4);

/* Fill root from s.  0 or MSP_ENOMEM. */
int check_ntp_time_evaluate(const struct check_ntp_time_config *cfg, const struct check_ntp_sample *s,
			    struct msp_result *root);

/* The probe (check_ntp_time_proto.c): 0, or MSP_E* with err set (name lookup, no socket). */
int check_ntp_time_probe(const struct check_ntp_time_config *cfg, const struct timespec *deadline,
			 struct check_ntp_sample *ret, struct msp_error *err);

#endif
