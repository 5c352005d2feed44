/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * check_tcp_eval.c - check_tcp's pure parts: -E escapes, expect matching and
 * the result (state, the reference's summary shapes, perfdata).
 */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "check_tcp.h"
#include "banned.h"

long check_tcp_unescape(const char *s, char *buf, size_t len)
{
	size_t n = 0;

	for (const char *p = s; *p; p++) {
		char c = *p;

		if (c == '\\' && (p[1] == 'n' || p[1] == 'r' || p[1] == 't' || p[1] == '\\')) {
			p++;
			c = *p == 'n' ? '\n' : *p == 'r' ? '\r' : *p == 't' ? '\t' : '\\';
		}
		if (n + 1 >= len)
			return -1;
		buf[n++] = c;
	}
	buf[n] = '\0';
	return (long)n;
}

/* memmem for a NUL-terminated needle ("" is found everywhere). */
static bool contains(const char *hay, size_t len, const char *needle)
{
	size_t n = strlen(needle);

	return n == 0 || (n <= len && memmem(hay, len, needle, n) != NULL);
}

/* 1 answer starts with e, 0 it cannot any more, -1 too short to say. */
static int prefix_state(const char *answer, size_t len, const char *e)
{
	size_t n = strlen(e);

	if (len < n)
		return memcmp(answer, e, len) == 0 ? -1 : 0;
	return memcmp(answer, e, n) == 0 ? 1 : 0;
}

int check_tcp_match(const struct check_tcp_config *cfg, const char *answer, size_t len)
{
	size_t found = 0;
	bool open = false;

	if (cfg->nexpects == 0)
		return 1;
	for (size_t i = 0; i < cfg->nexpects; i++) {
		int m = cfg->prefix_match ? prefix_state(answer, len, cfg->expects[i]) :
					    (contains(answer, len, cfg->expects[i]) ? 1 : -1);

		if (m == 1 && !cfg->all)
			return 1;
		if (m == 1)
			found++;
		else if (m == -1)
			open = true;
		else if (cfg->all)
			return 0; /* -A: one that can no longer match fails them all */
	}
	if (found == cfg->nexpects)
		return 1;
	return open ? -1 : 0;
}

/* The answer as one line of text: control characters as blanks (runs as one), trailing ones gone, cut. */
static void answer_text(const struct check_tcp_sample *s, char *buf, size_t len)
{
	size_t n = 0, shown = s->answer_len < CHECK_TCP_SHOW_MAX ? s->answer_len : CHECK_TCP_SHOW_MAX;

	for (size_t i = 0; i < shown && n + 4 < len; i++) {
		unsigned char c = (unsigned char)s->answer[i];

		if (c < 0x20 || c == 0x7f) {
			if (n > 0 && buf[n - 1] != ' ')
				buf[n++] = ' ';
			continue;
		}
		buf[n++] = (char)c;
	}
	while (n > 0 && buf[n - 1] == ' ')
		n--;
	if (shown < s->answer_len && n + 4 < len) {
		memcpy(buf + n, "...", 3);
		n += 3;
	}
	buf[n] = '\0';
}

/*
 * -D: the reference's certificate verdict.  A certificate in its warning
 * window or expired is the whole result (*ret_done); an OK one is a note
 * before the response time.
 */
static int eval_cert(const struct check_tcp_config *cfg, const struct check_tcp_sample *s, double now,
		     struct msp_result *root, bool *ret_done)
{
	char text[512];
	enum msp_state st = msp_tls_cert_days(&s->cert, now, cfg->days_warn, cfg->days_crit, text, sizeof(text));

	*ret_done = st != MSP_STATE_OK;
	if (!*ret_done)
		return msp_result_add_note(root, "OK - %s", text) ? 0 : MSP_ENOMEM;
	msp_result_set_state(root, st);
	return msp_result_set_text(root, "%s", text);
}

/* A failure before any answer: the state and the reason (the reference's words where it has some). */
static int eval_failure(const struct check_tcp_config *cfg, const struct check_tcp_sample *s, struct msp_result *root)
{
	switch (s->outcome) {
	case CHECK_TCP_REFUSED:
		msp_result_set_state(root, (enum msp_state)cfg->refuse);
		if (cfg->unix_socket)
			return msp_result_set_text(root, "connect to socket %s: Connection refused", cfg->host);
		return msp_result_set_text(root, "connect to address %s and port %u: Connection refused", cfg->host,
					   cfg->port);
	case CHECK_TCP_TIMEOUT:
		msp_result_set_state(root, cfg->timeout_state);
		return msp_result_set_text(root, "%s", s->reason);
	case CHECK_TCP_NO_ADDRESS:
	case CHECK_TCP_FAILED:
	default:
		msp_result_set_state(root, MSP_STATE_CRITICAL);
		return msp_result_set_text(root, "%s", s->reason);
	}
}

static int add_time_perf(const struct check_tcp_config *cfg, const struct check_tcp_sample *s, struct msp_result *root)
{
	struct msp_threshold th;

	memset(&th, 0, sizeof(th));
	th.has_warn = cfg->warn_given;
	th.warn.end = cfg->warn;
	th.has_crit = cfg->crit_given;
	th.crit.end = cfg->crit;
	return msp_result_add_time_perf(root, s->elapsed, &th, (double)cfg->timeout) ? 0 : MSP_ENOMEM;
}

int check_tcp_evaluate(const struct check_tcp_config *cfg, const struct check_tcp_sample *s, double now,
		       struct msp_result *root)
{
	enum msp_state st = MSP_STATE_OK;
	char shown[CHECK_TCP_SHOW_MAX + 8];
	bool mismatch = false, done = false;
	int r;

	if (s->outcome != CHECK_TCP_CONNECTED)
		return eval_failure(cfg, s, root);
	if (cfg->check_cert && s->have_cert) {
		r = eval_cert(cfg, s, now, root, &done);
		if (r < 0 || done)
			return r;
	}
	answer_text(s, shown, sizeof(shown));
	if (s->read && cfg->nexpects > 0) {
		if (s->answer_len == 0) {
			msp_result_set_state(root, MSP_STATE_CRITICAL);
			return msp_result_set_text(root, "No data received from host");
		}
		mismatch = check_tcp_match(cfg, s->answer, s->answer_len) != 1;
		if (mismatch)
			st = (enum msp_state)cfg->mismatch;
	}
	if (cfg->crit_given && s->elapsed > cfg->crit)
		st = msp_state_worst(st, MSP_STATE_CRITICAL);
	else if (cfg->warn_given && s->elapsed > cfg->warn)
		st = msp_state_worst(st, MSP_STATE_WARNING);
	msp_result_set_state(root, st);
	if (mismatch)
		r = msp_result_set_text(root, "Unexpected response from host/socket: %s", shown);
	else if (cfg->unix_socket)
		r = msp_result_set_text(root, "%.3f second response time on socket %s%s%s%s", s->elapsed, cfg->host,
					cfg->nexpects && !cfg->jail ? " [" : "",
					cfg->nexpects && !cfg->jail ? shown : "",
					cfg->nexpects && !cfg->jail ? "]" : "");
	else
		r = msp_result_set_text(root, "%.3f second response time on %s port %u%s%s%s", s->elapsed, cfg->host,
					cfg->port, cfg->nexpects && !cfg->jail ? " [" : "",
					cfg->nexpects && !cfg->jail ? shown : "",
					cfg->nexpects && !cfg->jail ? "]" : "");
	return r < 0 ? r : add_time_perf(cfg, s, root);
}
