/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * check_smtp_probe.c - check_smtp's only I/O: connect (TLS from the start
 * with --ssl), banner, EHLO/HELO/LHLO, STARTTLS and the certificate, MAIL
 * FROM, the -C commands, AUTH, QUIT.  Every step ends at the one deadline;
 * what goes wrong is an outcome in the sample, never an error of the plugin.
 * Secrets (the password, its base64) are never shown, also not with -v.
 */
#include <errno.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "check_smtp.h"
#include "msp_net.h"
#include "msp_time.h"
#include "banned.h"

struct conn {
	struct msp_sock sock;
	struct msp_tls *tls; /* NULL until TLS runs */
	struct msp_buf in;   /* bytes received and not yet consumed */
	const struct timespec *dl;
	int verbose;
};

/* What one reply came to: its code and its text (lines joined). */
struct reply {
	int code; /* -1: not an SMTP reply (garbage) */
	char text[CHECK_SMTP_TEXT_MAX];
};

static void say(const struct conn *c, const char *dir, const char *text)
{
	if (c->verbose > 0)
		fprintf(stderr, "%s %s\n", dir, text);
}

/* Send line and CRLF; shown shows it with -v (NULL: a secret, shown as "***"). */
static int send_line(struct conn *c, const char *line, const char *shown, struct msp_error *e)
{
	struct msp_buf b;
	int r;

	msp_buf_init(&b, strlen(line) + 3);
	r = msp_buf_adds(&b, line);
	if (r == 0)
		r = msp_buf_adds(&b, "\r\n");
	say(c, ">", shown ? shown : "***");
	if (r == 0)
		r = c->tls ? msp_tls_write_all(c->tls, b.data, b.len, c->dl, e) :
			     msp_sock_write_all(&c->sock, b.data, b.len, c->dl, e);
	explicit_bzero(b.data, b.len);
	msp_buf_release(&b);
	return r;
}

/* Drop the first n bytes of c->in. */
static void consume(struct conn *c, size_t n)
{
	memmove(c->in.data, c->in.data + n, c->in.len - n);
	c->in.len -= n;
}

/*
 * Read one reply into rp: 0 (rp->code -1 for garbage: what came is its
 * text), 1 the server closed first, MSP_ETIMEOUT, MSP_ESYS.
 */
static int get_reply(struct conn *c, struct reply *rp, struct msp_error *e)
{
	for (;;) {
		long n = c->in.len ? check_smtp_reply_len(c->in.data, c->in.len, &rp->code) : 0;
		int r;

		if (n != 0 || c->in.len >= CHECK_SMTP_REPLY_MAX) {
			if (n <= 0)
				rp->code = -1;
			check_smtp_reply_text(c->in.data, n > 0 ? (size_t)n : c->in.len, rp->text, sizeof(rp->text));
			consume(c, n > 0 ? (size_t)n : c->in.len);
			say(c, "<", rp->text);
			return 0;
		}
		r = c->tls ? msp_tls_read_some(c->tls, &c->in, CHECK_SMTP_REPLY_MAX - c->in.len, c->dl, e) :
			     msp_sock_read_some(&c->sock, &c->in, CHECK_SMTP_REPLY_MAX - c->in.len, c->dl, e);
		if (r == 0 && c->in.len) { /* closed after part of a line: judge what came */
			rp->code = -1;
			check_smtp_reply_text(c->in.data, c->in.len, rp->text, sizeof(rp->text));
			c->in.len = 0;
			return 0;
		}
		if (r <= 0)
			return r == 0 ? 1 : r;
	}
}

/* A failed step: the outcome from r, the reason naming what we waited for. */
static void step_failed(struct conn *c, struct check_smtp_sample *s, int r, const char *what, const struct msp_error *e)
{
	if (r == MSP_ETIMEOUT) {
		s->outcome = CHECK_SMTP_TIMEOUT;
		snprintf(s->reason, sizeof(s->reason), "timed out waiting for '%s' to %s", c->sock.peer, what);
	} else if (r == 1) {
		s->outcome = CHECK_SMTP_CLOSED;
		snprintf(s->reason, sizeof(s->reason), "connection closed by '%s' before it would %s", c->sock.peer,
			 what);
	} else {
		s->outcome = CHECK_SMTP_CLOSED;
		snprintf(s->reason, sizeof(s->reason), "%s", e->msg);
	}
}

/* Send cmd (shown as shown with -v) and read its reply; 0, or the failure recorded in s. */
static int exchange(struct conn *c, const char *cmd, const char *shown, struct reply *rp, struct check_smtp_sample *s)
{
	struct msp_error e;
	char what[96];
	int r;

	msp_error_init(&e);
	snprintf(what, sizeof(what), "answer %.60s", shown ? shown : "the password");
	msp_step("waiting for the answer to %.60s", shown ? shown : "the password");
	r = send_line(c, cmd, shown, &e);
	if (r == 0)
		r = get_reply(c, rp, &e);
	if (r != 0)
		step_failed(c, s, r, what, &e);
	return r;
}

static int connect_server(const struct check_smtp_config *cfg, struct conn *c, struct check_smtp_sample *s)
{
	struct msp_error e;
	char port[8];
	int r;

	msp_error_init(&e);
	snprintf(port, sizeof(port), "%u", cfg->port);
	msp_step("connecting to %s port %s", cfg->host, port);
	if (cfg->host[0] == '/')
		r = msp_sock_connect_unix(&c->sock, cfg->host, c->dl, &e);
	else
		r = msp_net_connect(&c->sock, cfg->host, port, SOCK_STREAM, (enum msp_sock_family)cfg->family, c->dl,
				    &e);
	if (r == 0)
		return 0;
	s->outcome = r == MSP_ETIMEOUT ? CHECK_SMTP_TIMEOUT : CHECK_SMTP_CONNECT;
	if (r != MSP_ETIMEOUT && c->sock.sys_errno && cfg->host[0] != '/')
		snprintf(s->reason, sizeof(s->reason), "connect to address %s and port %u: %s", cfg->host, cfg->port,
			 strerror(c->sock.sys_errno));
	else
		snprintf(s->reason, sizeof(s->reason), "%s", e.msg);
	return r;
}

/* The TLS handshake (SNI: the host name), and the certificate when -D asks. */
static int start_tls(const struct check_smtp_config *cfg, struct conn *c, struct check_smtp_sample *s)
{
	struct msp_tls_config tc = { .sni = cfg->host[0] == '/' ? NULL : cfg->host };
	struct msp_error e;
	int r;

	msp_error_init(&e);
	msp_step("in the TLS handshake with %s", c->sock.peer);
	r = msp_tls_connect(&c->sock, &tc, c->dl, &c->tls, &e);
	if (r == 0 && cfg->check_cert)
		s->have_cert = msp_tls_peer_cert(c->tls, &s->cert, &e) == 0;
	if (r < 0) {
		s->outcome = r == MSP_ETIMEOUT ? CHECK_SMTP_TIMEOUT : CHECK_SMTP_TLS;
		snprintf(s->reason, sizeof(s->reason), "%s", e.msg);
	}
	return r;
}

/* Banner: a reply at all, not 4xx/5xx; kept in banner for the expect string. */
static int banner(struct conn *c, struct reply *rp, struct check_smtp_sample *s)
{
	struct msp_error e;
	int r;

	msp_error_init(&e);
	msp_step("waiting for the banner of %s", c->sock.peer);
	r = get_reply(c, rp, &e);
	if (r == 1) {
		s->outcome = CHECK_SMTP_CLOSED;
		snprintf(s->reason, sizeof(s->reason), "No data received from host");
		return r;
	}
	if (r != 0) {
		step_failed(c, s, r, "send its banner", &e);
		return r;
	}
	if (rp->code >= 400) {
		s->outcome = CHECK_SMTP_REFUSED;
		snprintf(s->reply, sizeof(s->reply), "%s", rp->text);
		return -1;
	}
	return 0;
}

/* EHLO/HELO/LHLO with the fqdn; the reply into rp. */
static int greet(const struct check_smtp_config *cfg, struct conn *c, struct reply *rp, struct check_smtp_sample *s)
{
	const char *verb = cfg->lmtp ? "LHLO" : cfg->starttls || cfg->auth ? "EHLO" : "HELO";
	char cmd[300];

	snprintf(cmd, sizeof(cmd), "%s %s", verb, cfg->fqdn);
	return exchange(c, cmd, cmd, rp, s);
}

/* -S: STARTTLS offered and accepted, the handshake, the greeting again. */
static int starttls(const struct check_smtp_config *cfg, struct conn *c, const struct reply *greeting,
		    struct check_smtp_sample *s)
{
	struct reply rp;
	int r;

	if (!strstr(greeting->text, "STARTTLS")) {
		s->outcome = CHECK_SMTP_NO_TLS;
		return -1;
	}
	r = exchange(c, "STARTTLS", "STARTTLS", &rp, s);
	if (r != 0)
		return r;
	if (rp.code != 220) {
		s->outcome = CHECK_SMTP_TLS_REFUSED;
		snprintf(s->reply, sizeof(s->reply), "%s", rp.text);
		return -1;
	}
	c->in.len = 0; /* nothing sent before the handshake may count after it (RFC 3207 4.2) */
	r = start_tls(cfg, c, s);
	if (r != 0 || cfg->check_cert)
		return r;
	return greet(cfg, c, &rp, s);
}

/* base64 of len bytes of p into out (size >= 4 * (len + 2) / 3 + 1). */
static void base64(const unsigned char *p, size_t len, char *out)
{
	static const char tab[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	size_t o = 0;

	for (size_t i = 0; i < len; i += 3) {
		unsigned v = (unsigned)p[i] << 16 | (i + 1 < len ? (unsigned)p[i + 1] << 8 : 0) |
			     (i + 2 < len ? p[i + 2] : 0);

		out[o++] = tab[v >> 18 & 63];
		out[o++] = tab[v >> 12 & 63];
		out[o++] = i + 1 < len ? tab[v >> 6 & 63] : '=';
		out[o++] = i + 2 < len ? tab[v & 63] : '=';
	}
	out[o] = '\0';
}

/* One AUTH step: send, and the reply must have code want; else the reference's words. */
static int auth_step(struct conn *c, const char *cmd, const char *shown, int want, const char *after,
		     struct check_smtp_sample *s)
{
	struct reply rp;
	int r = exchange(c, cmd, shown, &rp, s);

	if (r == 0 && rp.code != want) {
		s->outcome = CHECK_SMTP_AUTH_FAILED;
		snprintf(s->reason, sizeof(s->reason), "invalid response received after %s", after);
		snprintf(s->reply, sizeof(s->reply), "%s", rp.text);
		return -1;
	}
	if (r != 0 && s->outcome == CHECK_SMTP_CLOSED)
		snprintf(s->reason, sizeof(s->reason), "recv() failed after %s", after);
	return r;
}

static int auth(const struct check_smtp_config *cfg, struct conn *c, struct check_smtp_sample *s)
{
	size_t ul = strlen(cfg->user), pl = strlen(cfg->pass);
	unsigned char *raw = malloc(ul + pl + 2);
	char *b64 = calloc(1, 4 * (ul + pl + 4) / 3 + 16), *cmd = calloc(1, 4 * (ul + pl + 4) / 3 + 32);
	int r = -1;

	if (!raw || !b64 || !cmd) {
		s->outcome = CHECK_SMTP_AUTH_FAILED;
		snprintf(s->reason, sizeof(s->reason), "out of memory");
		goto out;
	}
	if (cfg->auth == CHECK_SMTP_AUTH_PLAIN) { /* RFC 4616: authzid NUL authcid NUL passwd */
		raw[0] = '\0';
		memcpy(raw + 1, cfg->user, ul);
		raw[ul + 1] = '\0';
		memcpy(raw + ul + 2, cfg->pass, pl);
		base64(raw, ul + pl + 2, b64);
		snprintf(cmd, 4 * (ul + pl + 4) / 3 + 32, "AUTH PLAIN %s", b64);
		r = auth_step(c, cmd, "AUTH PLAIN ***", 235, "AUTH PLAIN", s);
		goto out;
	}
	r = auth_step(c, "AUTH LOGIN", "AUTH LOGIN", 334, "AUTH LOGIN", s);
	base64((const unsigned char *)cfg->user, ul, b64);
	if (r == 0)
		r = auth_step(c, b64, b64, 334, "authuser", s);
	base64((const unsigned char *)cfg->pass, pl, b64);
	if (r == 0)
		r = auth_step(c, b64, NULL, 235, "authpass", s);
out:
	if (raw)
		explicit_bzero(raw, ul + pl + 2);
	if (b64)
		explicit_bzero(b64, strlen(b64));
	if (cmd)
		explicit_bzero(cmd, strlen(cmd));
	free(raw);
	free(b64);
	free(cmd);
	return r;
}

/* MAIL FROM, then each -C with its -R; a mismatch is kept (the first), the dialogue goes on. */
static int commands(const struct check_smtp_config *cfg, struct conn *c, struct check_smtp_sample *s)
{
	struct reply rp;
	int r;

	if (cfg->from) {
		char cmd[600];

		snprintf(cmd, sizeof(cmd), "MAIL FROM:<%s>", cfg->from);
		r = exchange(c, cmd, cmd, &rp, s);
		if (r != 0)
			return r;
	}
	for (size_t i = 0; i < cfg->commands.count; i++) {
		r = exchange(c, cfg->commands.items[i], cfg->commands.items[i], &rp, s);
		if (r != 0)
			return r;
		if (i < cfg->responses.count && s->bad_cmd < 0 && regexec(&cfg->resp_re[i], rp.text, 0, NULL, 0) != 0) {
			s->bad_cmd = (int)i;
			snprintf(s->bad_reply, sizeof(s->bad_reply), "%s", rp.text);
		}
	}
	return 0;
}

/* The steps after connecting, in the reference's order. */
static int dialogue(const struct check_smtp_config *cfg, struct conn *c, struct check_smtp_sample *s)
{
	struct reply first, greeting;
	char both[2 * CHECK_SMTP_TEXT_MAX + 2];
	int r;

	if (cfg->implicit_tls && (r = start_tls(cfg, c, s)) != 0)
		return r;
	r = banner(c, &first, s);
	if (r != 0 || (cfg->implicit_tls && cfg->check_cert))
		return r;
	if (first.code < 0) {
		s->outcome = CHECK_SMTP_BAD_BANNER;
		snprintf(s->reply, sizeof(s->reply), "%s", first.text);
		return -1;
	}
	r = greet(cfg, c, &greeting, s);
	if (r != 0)
		return r;
	snprintf(both, sizeof(both), "%s %s", first.text, greeting.text);
	if (!strstr(both, cfg->expect)) {
		s->outcome = CHECK_SMTP_BAD_BANNER;
		snprintf(s->reply, sizeof(s->reply), "%s", first.text);
		return -1;
	}
	if (cfg->starttls && ((r = starttls(cfg, c, &greeting, s)) != 0 || cfg->check_cert))
		return r;
	r = commands(cfg, c, s);
	if (r == 0 && cfg->auth)
		r = auth(cfg, c, s);
	return r;
}

/*
 * QUIT; the answer is read (at most a second) but not judged, and only
 * after a dialogue that went well.  A QUIT that cannot be sent fails unless -q.
 */
static void quit(const struct check_smtp_config *cfg, struct conn *c, struct check_smtp_sample *s)
{
	struct timespec soon = msp_deadline_in(1.0);
	const struct timespec *dl = msp_deadline_ms_left(&soon) < msp_deadline_ms_left(c->dl) ? &soon : c->dl;
	const struct timespec *saved = c->dl;
	struct msp_error e;
	struct reply rp;

	msp_error_init(&e);
	msp_step("saying QUIT to %s", c->sock.peer);
	c->dl = dl;
	if (send_line(c, "QUIT", "QUIT", &e) != 0 && !cfg->ignore_quit && s->outcome == CHECK_SMTP_DONE) {
		s->outcome = CHECK_SMTP_QUIT_FAILED;
		snprintf(s->reason, sizeof(s->reason), "cannot send QUIT: %.300s", e.msg);
	} else if (s->outcome == CHECK_SMTP_DONE || s->have_cert) {
		(void)get_reply(c, &rp, &e); /* a clean end for the server; a decided result waits for nothing */
	}
	c->dl = saved;
}

void check_smtp_probe(const struct check_smtp_config *cfg, struct check_smtp_sample *s, int verbose)
{
	struct conn c = { .dl = &cfg->deadline, .verbose = verbose };
	double start = msp_time_mono();
	int r;

	msp_sock_init(&c.sock);
	msp_buf_init(&c.in, CHECK_SMTP_REPLY_MAX);
	r = connect_server(cfg, &c, s);
	if (r == 0) {
		r = dialogue(cfg, &c, s);
		s->elapsed = msp_time_mono() - start;
		if (s->outcome == CHECK_SMTP_DONE || s->outcome == CHECK_SMTP_AUTH_FAILED ||
		    s->outcome == CHECK_SMTP_REFUSED || s->outcome == CHECK_SMTP_BAD_BANNER ||
		    s->outcome == CHECK_SMTP_NO_TLS || s->outcome == CHECK_SMTP_TLS_REFUSED || s->have_cert)
			quit(cfg, &c, s);
	}
	msp_tls_free(c.tls);
	msp_sock_close(&c.sock);
	msp_buf_release(&c.in);
}
