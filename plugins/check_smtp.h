/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * check_smtp.h - check_smtp's config, sample and pure functions (for the unit test).
 *
 * check_smtp.c        options, finish, the plugin
 * check_smtp_probe.c  the SMTP dialogue (the only I/O)
 * check_smtp_eval.c   replies, the certificate verdict, the result tree
 */
#ifndef CHECK_SMTP_H
#define CHECK_SMTP_H

#include <regex.h>
#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "msp.h"
#include "msp_tls.h"

#define CHECK_SMTP_REPLY_MAX 4096 /* one reply (all its lines), as shown and matched */
#define CHECK_SMTP_TEXT_MAX 512   /* a reply or command quoted in a message */

enum check_smtp_auth { CHECK_SMTP_AUTH_NONE = 0, CHECK_SMTP_AUTH_LOGIN, CHECK_SMTP_AUTH_PLAIN };

struct check_smtp_config {
	const char *host;
	unsigned port;
	bool port_given;
	int family; /* 0, 4 or 6 */
	const char *expect;
	struct msp_list commands;  /* -C, in order */
	struct msp_list responses; /* -R, the regex for the command of the same place */
	const char *from;
	const char *fqdn;
	const char *cert_days; /* -D "WARN[,CRIT]" */
	bool starttls, implicit_tls, lmtp, ignore_quit, quit_flag_given;
	const char *authtype, *user, *pass, *pass_file;
	struct msp_threshold th;
	/* from finish */
	bool check_cert;
	long days_warn, days_crit;
	enum check_smtp_auth auth;
	regex_t *resp_re; /* responses.count compiled -R, owned */
	char *pass_owned; /* the password read from --password-file */
	char fqdn_buf[256];
	unsigned timeout;
	enum msp_state timeout_state;
	struct timespec deadline;
};

/* What the dialogue came to; the first failure ends it. */
enum check_smtp_outcome {
	CHECK_SMTP_DONE = 0,    /* every step answered as expected (or a -R mismatch: see bad_cmd) */
	CHECK_SMTP_CONNECT,     /* could not connect (reason) */
	CHECK_SMTP_TIMEOUT,     /* the deadline passed (reason says in which step) */
	CHECK_SMTP_CLOSED,      /* the server closed (reason) */
	CHECK_SMTP_TLS,         /* the TLS handshake failed (reason) */
	CHECK_SMTP_REFUSED,     /* the banner is a 4xx/5xx reply (reply) */
	CHECK_SMTP_BAD_BANNER,  /* the expect string is not in the banner and greeting reply (reply) */
	CHECK_SMTP_NO_TLS,      /* -S: the server does not offer STARTTLS */
	CHECK_SMTP_TLS_REFUSED, /* -S: STARTTLS was not answered 220 (reply) */
	CHECK_SMTP_AUTH_FAILED, /* reason: "invalid response received after authpass" ... */
	CHECK_SMTP_QUIT_FAILED, /* the server closed before it answered QUIT */
};

struct check_smtp_sample {
	enum check_smtp_outcome outcome;
	char reason[MSP_ERROR_MAX + 64];
	char reply[CHECK_SMTP_TEXT_MAX]; /* the reply the outcome is about */
	int bad_cmd;                     /* the first -C whose reply did not match its -R (-1: none) */
	char bad_reply[CHECK_SMTP_TEXT_MAX];
	bool have_cert;
	struct msp_tls_cert cert;
	double elapsed; /* seconds from connect to the last answer before QUIT */
};

/*
 * Whether the len bytes in data start with one complete SMTP reply (RFC
 * 5321 4.2: "NNN-text" lines, then "NNN text"): its length (through the
 * last line end) and the code in *ret_code; 0 when more bytes are needed;
 * -1 when the first line is no reply line (garbage).
 */
long check_smtp_reply_len(const char *data, size_t len, int *ret_code);

/* The reply's lines joined with blanks (line ends dropped, control bytes as '?') into out. */
void check_smtp_reply_text(const char *data, size_t len, char *out, size_t size);

/* -D "WARN[,CRIT]" into *ret_warn and *ret_crit (days, >= 0): 0 or MSP_EINVAL. */
int check_smtp_parse_days(const char *arg, long *ret_warn, long *ret_crit, struct msp_error *err);

/* The result tree: the sample judged with the config at wall-clock time now.  0 or MSP_ENOMEM. */
int check_smtp_evaluate(const struct check_smtp_config *cfg, const struct check_smtp_sample *s, double now,
			struct msp_result *root);

/* The dialogue (check_smtp_probe.c): fills s, never fails as a plugin (failures are outcomes). */
void check_smtp_probe(const struct check_smtp_config *cfg, struct check_smtp_sample *s, int verbose);

/* Free what finish made (compiled -R, the password read from a file, the lists). */
void check_smtp_release(struct check_smtp_config *cfg);

#endif
