/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * check_dns.h - the pure parts of check_dns, for its unit test.
 *
 * The probe (check_dns_resolve.c) asks c-ares for the raw answers and
 * check_dns_parse() reads one DNS message into a sample; evaluate turns the
 * sample into the result tree (check_dns_eval.c).  Nothing here does I/O.
 */
#ifndef CHECK_DNS_H
#define CHECK_DNS_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "msp.h"

/* Query types (-q): the DNS type numbers; 0 is the default, A and AAAA both. */
#define CHECK_DNS_T_DEFAULT 0
#define CHECK_DNS_T_A 1
#define CHECK_DNS_T_NS 2
#define CHECK_DNS_T_CNAME 5
#define CHECK_DNS_T_SOA 6
#define CHECK_DNS_T_PTR 12
#define CHECK_DNS_T_MX 15
#define CHECK_DNS_T_TXT 16
#define CHECK_DNS_T_AAAA 28
#define CHECK_DNS_T_SRV 33
#define CHECK_DNS_T_ANY 255

#define CHECK_DNS_ANSWERS_MAX 256 /* answers kept from one lookup */
#define CHECK_DNS_ANSWER_LEN 1024 /* one answer as text, at most */
#define CHECK_DNS_QUERIES_MAX 2   /* A and AAAA */

struct check_dns_config {
	const char *host;        /* -H: the name (or address: a PTR lookup) */
	const char *server;      /* -s: NULL for /etc/resolv.conf's */
	unsigned port;           /* --port */
	int qtype;               /* -q, CHECK_DNS_T_* */
	struct msp_list expect;  /* -a, comma-separated and repeated */
	bool all;                /* -L */
	bool authoritative;      /* -A */
	bool nxdomain;           /* -n */
	struct msp_threshold th; /* -w/-c seconds */
	/* filled by finish */
	char qname[CHECK_DNS_ANSWER_LEN]; /* the name asked for (reversed for PTR) */
	int qtypes[CHECK_DNS_QUERIES_MAX];
	size_t nqtypes;
};

/* What became of the lookup, worst last (the order the queries' outcomes combine in). */
enum check_dns_outcome {
	CHECK_DNS_ANSWER = 0, /* NOERROR with answers of the type asked */
	CHECK_DNS_NODATA,     /* NOERROR, no answer of that type (an empty answer) */
	CHECK_DNS_NXDOMAIN,   /* the name does not exist */
	CHECK_DNS_RCODE,      /* another response code (FORMERR, NOTIMP, ...) */
	CHECK_DNS_SERVFAIL,
	CHECK_DNS_REFUSED,
	CHECK_DNS_BADRESP,     /* an answer that is no DNS message we can read */
	CHECK_DNS_UNREACHABLE, /* nobody listens (ICMP port unreachable), no route */
	CHECK_DNS_TIMEOUT,     /* no answer before the deadline */
};

struct check_dns_sample {
	enum check_dns_outcome outcome;
	int rcode;                            /* of the answer that decided the outcome */
	bool authoritative;                   /* every answer with records had the AA bit */
	bool answered;                        /* some answer had records */
	double seconds;                       /* from the first query sent to the last answer */
	char *answers[CHECK_DNS_ANSWERS_MAX]; /* owned, sorted by strcmp once complete */
	size_t nanswers;
	char server[300]; /* the server asked, for messages ("127.0.0.1", "[::1]:5353") */
	char detail[200]; /* the resolver's words for a failure, may be "" */
};

/* What one answer said (check_dns_parse), before it is folded into the sample. */
struct check_dns_reply {
	enum check_dns_outcome outcome;
	int rcode;
	bool authoritative; /* the AA bit */
};

/*
 * Read one DNS message (len bytes, as the server sent it) that answers a
 * query of type qtype: its response code, the AA bit and every answer
 * record of that type (any type for CHECK_DNS_T_ANY) as text, appended to
 * s->answers: addresses as inet_ntop writes them, names with a trailing dot
 * ("mail.test."), MX "PREF NAME.", SRV "PRIO WEIGHT PORT NAME.", SOA the
 * seven fields, TXT the strings joined (bytes outside printable ASCII and
 * '|' as \ooo).  ret->outcome is ANSWER, NODATA, NXDOMAIN, SERVFAIL,
 * REFUSED or RCODE, or BADRESP for a message that cannot be read.  0 or
 * MSP_ENOMEM; the answers are the caller's (check_dns_sample_release).
 */
int check_dns_parse(const unsigned char *msg, size_t len, int qtype, struct check_dns_sample *s,
		    struct check_dns_reply *ret);

/*
 * Fold one query's reply into s (first: the first reply).  The worse
 * outcome stays, except that an answer beside an empty answer (A and AAAA)
 * is an answer; authoritative when every answer with records had the AA bit.
 */
void check_dns_combine(struct check_dns_sample *s, const struct check_dns_reply *r, bool first);

/* Sort s->answers (strcmp) and drop repeats. */
void check_dns_sort(struct check_dns_sample *s);

/* Free the answers of s (s itself is the caller's). */
void check_dns_sample_release(struct check_dns_sample *s);

/*
 * The name to ask for: an IPv4 or IPv6 address given for a PTR lookup (or
 * with no -q) reversed into in-addr.arpa / ip6.arpa, else host as it is.
 * *ret_ptr tells whether the address was reversed.  0 or MSP_EINVAL.
 */
int check_dns_qname(const char *host, int qtype, char *buf, size_t len, bool *ret_ptr);

/* True when answer equals want or, want being ADDRESS/BITS, lies in that network. */
bool check_dns_match(const char *answer, const char *want);

/* State, summary and perfdata from the sample (the reference's words and shapes). */
int check_dns_evaluate(const struct check_dns_config *cfg, const struct check_dns_sample *s,
		       enum msp_state timeout_state, unsigned timeout, struct msp_result *root);

/*
 * The probe (check_dns_resolve.c): ask the server with c-ares before
 * ctx->deadline and fill s (a timeout is an outcome, not an error).  0, or
 * MSP_EINVAL (a server that cannot be used), MSP_ENOMEM, MSP_ESYS.
 */
int check_dns_probe(const struct check_dns_config *cfg, const struct msp_context *ctx, struct check_dns_sample *s,
		    struct msp_error *err);

#endif
