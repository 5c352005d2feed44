/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * check_smtp_eval.c - check_smtp's pure parts: SMTP replies, -D, the
 * certificate verdict and the result tree (the reference's words).
 */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_smtp.h"
#include "banned.h"

/* Whether the line p (n bytes, without its end) is "NNN", "NNN text" or "NNN-text"; its code. */
static bool reply_line(const char *p, size_t n, int *ret_code, bool *ret_more)
{
	if (n < 3 || !isdigit((unsigned char)p[0]) || !isdigit((unsigned char)p[1]) || !isdigit((unsigned char)p[2]))
		return false;
	if (n > 3 && p[3] != ' ' && p[3] != '-')
		return false;
	*ret_code = (p[0] - '0') * 100 + (p[1] - '0') * 10 + (p[2] - '0');
	*ret_more = n > 3 && p[3] == '-';
	return true;
}

long check_smtp_reply_len(const char *data, size_t len, int *ret_code)
{
	size_t off = 0;

	while (off < len) {
		const char *nl = memchr(data + off, '\n', len - off);
		size_t n;
		int code;
		bool more;

		if (!nl)
			return 0;
		n = (size_t)(nl - (data + off));
		if (n > 0 && data[off + n - 1] == '\r')
			n--;
		if (!reply_line(data + off, n, &code, &more))
			return -1;
		off = (size_t)(nl - data) + 1;
		if (!more) {
			*ret_code = code;
			return (long)off;
		}
	}
	return 0;
}

void check_smtp_reply_text(const char *data, size_t len, char *out, size_t size)
{
	size_t o = 0;

	for (size_t i = 0; i < len && o + 1 < size; i++) {
		unsigned char c = (unsigned char)data[i];

		if (c == '\r')
			continue;
		if (c == '\n') {
			if (i + 1 < len && o > 0)
				out[o++] = ' ';
			continue;
		}
		out[o++] = c < 0x20 || c == 0x7f ? '?' : (char)c;
	}
	out[o] = '\0';
}

static int parse_day(const char *s, char **end, long *ret)
{
	long v;

	if (!isdigit((unsigned char)*s))
		return MSP_EINVAL;
	errno = 0;
	v = strtol(s, end, 10);
	if (errno || v > 36500)
		return MSP_EINVAL;
	*ret = v;
	return 0;
}

int check_smtp_parse_days(const char *arg, long *ret_warn, long *ret_crit, struct msp_error *err)
{
	long w = 0, c = 0;
	char *end = NULL;

	if (parse_day(arg, &end, &w) < 0 || (*end && *end != ',') ||
	    (*end == ',' && (parse_day(end + 1, &end, &c) < 0 || *end)))
		return msp_error_set(err, MSP_EINVAL,
				     "cannot parse '-D %s': give days as WARN or WARN,CRIT (whole numbers)", arg);
	*ret_warn = w;
	*ret_crit = c;
	return 0;
}

/* -D: the certificate's verdict is the whole result, as in the reference. */
static int eval_cert(const struct check_smtp_config *cfg, const struct check_smtp_sample *s, double now,
		     struct msp_result *root)
{
	char text[512];

	msp_result_set_state(root,
			     msp_tls_cert_days(&s->cert, now, cfg->days_warn, cfg->days_crit, text, sizeof(text)));
	return msp_result_set_text(root, "%s", text);
}

/* A dialogue that ended early: the state and the words. */
static int eval_failure(const struct check_smtp_config *cfg, const struct check_smtp_sample *s, struct msp_result *root)
{
	switch (s->outcome) {
	case CHECK_SMTP_TIMEOUT:
		msp_result_set_state(root, cfg->timeout_state);
		return msp_result_set_text(root, "%s", s->reason);
	case CHECK_SMTP_REFUSED:
		msp_result_set_state(root, MSP_STATE_CRITICAL);
		return msp_result_set_text(root, "%s", s->reply);
	case CHECK_SMTP_BAD_BANNER:
		msp_result_set_state(root, MSP_STATE_WARNING);
		if (cfg->port == 25)
			return msp_result_set_text(root, "Invalid SMTP response received from host: %s", s->reply);
		return msp_result_set_text(root, "Invalid SMTP response received from host on port %u: %s", cfg->port,
					   s->reply);
	case CHECK_SMTP_NO_TLS:
		msp_result_set_state(root, MSP_STATE_WARNING);
		return msp_result_set_text(root, "TLS not supported by server");
	case CHECK_SMTP_TLS_REFUSED:
		msp_result_set_state(root, MSP_STATE_CRITICAL);
		return msp_result_set_text(root, "Server does not support STARTTLS: %s", s->reply);
	case CHECK_SMTP_QUIT_FAILED:
		msp_result_set_state(root, MSP_STATE_CRITICAL);
		return msp_result_set_text(root, "%s", s->reason);
	default: /* CONNECT, CLOSED, TLS, AUTH_FAILED */
		msp_result_set_state(root, MSP_STATE_CRITICAL);
		return msp_result_set_text(root, "%s", s->reason);
	}
}

/* "0.001 sec. response time|time=0.000690s;;;0.000000", with what went wrong before it. */
static int eval_time(const struct check_smtp_config *cfg, const struct check_smtp_sample *s, struct msp_result *root)
{
	enum msp_state st = msp_threshold_eval(&cfg->th, s->elapsed);

	if (!msp_result_add_time_perf(root, s->elapsed, &cfg->th, NAN))
		return MSP_ENOMEM;
	if (s->outcome == CHECK_SMTP_AUTH_FAILED) {
		msp_result_set_state(root, MSP_STATE_CRITICAL);
		return msp_result_set_text(root, "%s, %.3f sec. response time", s->reason, s->elapsed);
	}
	if (s->bad_cmd >= 0) {
		msp_result_set_state(root, st > MSP_STATE_WARNING && st != MSP_STATE_UNKNOWN ? st : MSP_STATE_WARNING);
		return msp_result_set_text(root, "Invalid response '%s' to command '%s', %.3f sec. response time",
					   s->bad_reply, cfg->commands.items[s->bad_cmd], s->elapsed);
	}
	msp_result_set_state(root, st);
	return msp_result_set_text(root, "%.3f sec. response time", s->elapsed);
}

int check_smtp_evaluate(const struct check_smtp_config *cfg, const struct check_smtp_sample *s, double now,
			struct msp_result *root)
{
	if (cfg->check_cert && s->have_cert)
		return eval_cert(cfg, s, now, root);
	if (s->outcome != CHECK_SMTP_DONE && s->outcome != CHECK_SMTP_AUTH_FAILED)
		return eval_failure(cfg, s, root);
	if (cfg->check_cert) { /* no certificate came: never OK */
		msp_result_set_state(root, MSP_STATE_CRITICAL);
		return msp_result_set_text(root, "the server sent no certificate");
	}
	return eval_time(cfg, s, root);
}
