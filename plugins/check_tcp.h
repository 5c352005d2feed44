/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * check_tcp.h - the parts of check_tcp (and its alias names) the unit tests reach.
 */
#ifndef CHECK_TCP_H
#define CHECK_TCP_H

#include <stdbool.h>
#include <stddef.h>

#include "msp.h"
#include "msp_sock.h"
#include "msp_tls.h"

#define CHECK_TCP_STRING_MAX 4096     /* -s and -q after escapes */
#define CHECK_TCP_READ_MAX (1u << 20) /* never read more than 1 MiB, whatever -m says */
#define CHECK_TCP_SHOW_MAX 512        /* bytes of the answer shown in the summary */
#define CHECK_TCP_IDLE_GAP 2.0        /* seconds to wait for more after an answer that does not match yet */

/* One installed name: its service word and the defaults the reference gives it. */
struct check_tcp_service {
	const char *name;      /* "check_ftp" */
	const char *service;   /* "FTP" */
	unsigned port;         /* 0: none (-p needed) */
	const char *send;      /* sent after connecting (NULL: nothing) */
	const char *expect[3]; /* any of them, at the start of the answer; NULL-terminated */
	const char *quit;      /* sent before closing (NULL: nothing) */
	bool ssl;
	bool udp;
	bool jail; /* the answer is not shown (-j) */
};

/* The table of names, ended by { NULL }; [0] is check_tcp. */
extern const struct check_tcp_service check_tcp_services[];

/* The entry for a program name (a path is fine); check_tcp's for an unknown one. */
const struct check_tcp_service *check_tcp_service_for(const char *progname);

struct check_tcp_config {
	const char *host; /* -H: a name, an address or a unix socket path */
	unsigned port;    /* -p */
	bool port_given;
	int family;           /* -4/-6: MSP_SOCK_IPV4 / MSP_SOCK_IPV6, 0 any */
	bool escape;          /* -E: read escapes in -s and -q */
	const char *send_arg; /* -s as given */
	const char *quit_arg; /* -q as given */
	/* filled by finish: -s / -q (or the alias's) after escapes */
	char send[CHECK_TCP_STRING_MAX];
	size_t send_len;
	char quit[CHECK_TCP_STRING_MAX]; /* and "\r\n" without -E */
	size_t quit_len;
	struct msp_list expect;    /* -e (repeatable) */
	bool all;                  /* -A: every -e must be in the answer */
	int mismatch;              /* -M: enum msp_state */
	int refuse;                /* -r: enum msp_state */
	bool jail;                 /* -j */
	unsigned maxbytes;         /* -m: stop reading after this many bytes (0: the cap) */
	unsigned delay;            /* -d: seconds between sending and reading */
	bool ssl;                  /* -S */
	bool check_cert;           /* -D given */
	long days_warn, days_crit; /* -D WARN[,CRIT] */
	const char *sni;           /* --sni / -N */
	double warn, crit;         /* -w / -c seconds */
	bool warn_given, crit_given;
	bool verify;         /* --verify */
	const char *ca_file; /* --ca-file */
	/* filled by finish */
	const struct check_tcp_service *svc;
	const char *const *expects; /* the expect strings in use (the alias's unless -e) */
	size_t nexpects;
	bool prefix_match; /* the alias's defaults: at the start of the answer */
	bool udp;
	bool unix_socket; /* -H names a socket path */
	unsigned timeout; /* -t, for the perfdata max */
	enum msp_state timeout_state;
};

enum check_tcp_outcome {
	CHECK_TCP_CONNECTED = 0, /* connected (and TLS up): the answer is judged */
	CHECK_TCP_REFUSED,       /* connection refused: -r decides */
	CHECK_TCP_NO_ADDRESS,    /* the name did not resolve */
	CHECK_TCP_FAILED,        /* connect, TLS or I/O failed: CRITICAL with the reason */
	CHECK_TCP_TIMEOUT,       /* the deadline passed in a step: the -t state */
};

struct check_tcp_sample {
	enum check_tcp_outcome outcome;
	char reason[MSP_ERROR_MAX]; /* the failure, for every outcome but CONNECTED */
	double elapsed;             /* seconds from the start of connecting to the end of the answer */
	bool read;                  /* an answer was waited for (-s or -e) */
	const char *answer;         /* what came (not NUL-safe: answer_len bytes), may be NULL */
	size_t answer_len;
	bool have_cert; /* -D: the peer's leaf */
	struct msp_tls_cert cert;
};

/* Replace \n \r \t \\ in s by the bytes (-E) into buf (size len); returns the length or -1 when too long. */
long check_tcp_unescape(const char *s, char *buf, size_t len);

/*
 * Whether answer (len bytes) satisfies the expect strings of cfg: 1 it
 * matches, 0 it cannot match any more (an alias's prefix that differs), -1
 * not yet (more bytes may still make it match).
 */
int check_tcp_match(const struct check_tcp_config *cfg, const char *answer, size_t len);

/* Fill root from the sample: state, summary, perfdata.  now: the wall clock (certificate days).  0 or MSP_ENOMEM. */
int check_tcp_evaluate(const struct check_tcp_config *cfg, const struct check_tcp_sample *s, double now,
		       struct msp_result *root);

/* The probe (check_tcp_probe.c): connect, TLS, send, read, quit.  Fills *s; the caller releases b. */
int check_tcp_probe(const struct check_tcp_config *cfg, const struct timespec *deadline, struct msp_buf *b,
		    struct check_tcp_sample *s);

#endif
