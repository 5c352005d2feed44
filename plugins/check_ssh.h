/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * check_ssh.h - check_ssh's config, sample and pure functions (for the unit test).
 */
#ifndef CHECK_SSH_H
#define CHECK_SSH_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "msp.h"

#define CHECK_SSH_ANSWER_MAX 8192 /* bytes read before the identification line must have come */
#define CHECK_SSH_LINE_MAX 256    /* RFC 4253 4.2: the identification line is at most 255 bytes */

struct check_ssh_config {
	const char *host;
	unsigned port;
	int family; /* 0, 4 or 6 (-4/-6) */
	const char *remote_version;
	const char *remote_protocol;
	struct msp_threshold th; /* -w/-c: seconds */
	/* from the runner (finish) */
	unsigned timeout;
	enum msp_state timeout_state;
	struct timespec deadline;
};

/* What the probe saw. */
enum check_ssh_outcome {
	CHECK_SSH_ANSWERED = 0, /* the server sent something (judged by check_ssh_parse) */
	CHECK_SSH_REFUSED,      /* connect failed: refused, unreachable, no address */
	CHECK_SSH_TIMEOUT,      /* a step did not end before the deadline */
	CHECK_SSH_CLOSED,       /* the server closed without a line */
};

struct check_ssh_sample {
	enum check_ssh_outcome outcome;
	char reason[MSP_ERROR_MAX + 64]; /* REFUSED/TIMEOUT: what failed */
	double elapsed;                  /* seconds from connect to the identification line */
};

/* The server's identification line, split (RFC 4253 4.2: SSH-protoversion-softwareversion SP comments). */
struct check_ssh_ident {
	bool found;                        /* an SSH- line came */
	char proto[CHECK_SSH_LINE_MAX];    /* "2.0" */
	char software[CHECK_SSH_LINE_MAX]; /* "OpenSSH_9.2p1 Debian-2" (software version and comments) */
	char first[CHECK_SSH_LINE_MAX];    /* without an SSH- line: the first line that came (escaped) */
};

/*
 * Find the identification line in the len bytes the server sent (lines
 * before it are allowed, RFC 4253 4.2).  0 with ret->found when the line
 * is there and well formed; 0 with !ret->found and ret->first set when
 * every complete line is something else; 1 when more bytes are needed
 * (no complete line that decides yet).  Never allocates.
 */
int check_ssh_parse(const char *data, size_t len, struct check_ssh_ident *ret);

/* The result tree from the sample and the identification (NULL unless ANSWERED).  0 or MSP_ENOMEM. */
int check_ssh_evaluate(const struct check_ssh_config *cfg, const struct check_ssh_sample *s,
		       const struct check_ssh_ident *id, struct msp_result *root);

#endif
