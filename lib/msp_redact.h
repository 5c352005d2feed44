/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * msp_redact.h - keep secrets out of everything a plugin shows.
 *
 * A plugin that runs a tool with a password collects what it knows to be
 * secret in a struct msp_redact (a password read from a file or the
 * environment, a passphrase, the password in a repository URL) and passes
 * every text it shows through it: the tool's stderr before -v prints it,
 * the step text a timeout message quotes, the error message, and at the end
 * the whole result tree.  Two rules apply to every text:
 *   1. each known secret, wherever it appears, becomes MSP_REDACT_MARK;
 *   2. the password of a URL, "scheme://user:PASSWORD@host", becomes
 *      MSP_REDACT_MARK whatever characters it holds: it runs from the first
 *      ':' after "://" to the last '@' before the next blank, quote, '<',
 *      '>' or end of line.  (A path with an '@' in it is hidden too: better
 *      too much than too little.)
 * Redaction works on the whole text before anything cuts it short, so a
 * cut can never leave the first part of a secret visible.
 * Invariant: secrets are owned copies, wiped (explicit_bzero) on release.
 */
#ifndef MSP_REDACT_H
#define MSP_REDACT_H

#include <stddef.h>

#include "msp_result.h"

#define MSP_REDACT_MAX 16
#define MSP_REDACT_MARK "***"

struct msp_redact {
	char *secret[MSP_REDACT_MAX];       /* owned copies */
	unsigned char keep[MSP_REDACT_MAX]; /* leading bytes that must match but stay shown (the ':' of a port) */
	size_t n;
};

/* An empty set (no allocation). */
void msp_redact_init(struct msp_redact *r);

/* Wipe and free the secrets; the set is empty afterwards. */
void msp_redact_release(struct msp_redact *r);

/*
 * Remember secret (copied; NULL and "" are ignored, as is a secret already
 * known).  0, MSP_ENOMEM, or MSP_ETOOBIG when the set is full.
 */
int msp_redact_add(struct msp_redact *r, const char *secret);

/*
 * Remember the password of a repository URL "...scheme://user:PASSWORD@host..."
 * (the last '@' ends it, so it may hold '@', '/' or ':'), as written and
 * percent-decoded; when it holds '/', '?' or '#' also ":" and its part
 * before that character (what a URL parser quotes as a port).  A location
 * without a password adds nothing.  0, MSP_ENOMEM or MSP_ETOOBIG.
 */
int msp_redact_add_url(struct msp_redact *r, const char *location);

/*
 * Remember the password of an scp-style location "user:PASSWORD@host:path"
 * (no "://"; a user name cannot hold ':', so what follows the first ':'
 * up to the last '@' is taken for a password).  URLs are handled as by
 * msp_redact_add_url().  0, MSP_ENOMEM or MSP_ETOOBIG.
 */
int msp_redact_add_location(struct msp_redact *r, const char *location);

/*
 * A redacted copy of text (see the top of this file) that the caller frees;
 * NULL on ENOMEM.  text NULL gives "".
 */
char *msp_redact_dup(const struct msp_redact *r, const char *text);

/*
 * Redact text into buf (len > 0 bytes, always NUL-terminated, cut short
 * after redaction when it does not fit).  Returns buf.  text may be buf
 * itself (redaction in place).
 */
char *msp_redact_buf(const struct msp_redact *r, const char *text, char *buf, size_t len);

/*
 * Redact, in place, the text, name and perfdata labels of root and of
 * every node under it.  0 or MSP_ENOMEM (the tree is then partly done).
 */
int msp_redact_result(const struct msp_redact *r, struct msp_result *root);

#endif
