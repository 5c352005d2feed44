/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * check_dns_eval.c - check_dns's result from a sample: the reference's
 * line 1 for an answer ("DNS OK: 0.012 seconds response time. example.com
 * returns 127.0.0.1|time=0.011827s;;;0.000000") and for its failures, and
 * one distinct message per way a lookup fails (NXDOMAIN, an empty answer,
 * SERVFAIL, REFUSED, another response code, an unreadable answer, nobody
 * listening, no answer in time).  None of them is OK, except NXDOMAIN
 * under -n.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_dns.h"

/* "DNS OK: 0.012 seconds response time. ...|time=..." */
static const struct msp_nagios_style answer_style = { .state_sep = ": ", .perf_sep = "|", .no_children = true };
/* "DNS CRITICAL - expected '...' but got '...'" */
static const struct msp_nagios_style failure_style = { .state_sep = " - ", .perf_sep = "|", .no_children = true };

static const char *type_name(int t)
{
	switch (t) {
	case CHECK_DNS_T_A:
		return "A";
	case CHECK_DNS_T_AAAA:
		return "AAAA";
	case CHECK_DNS_T_NS:
		return "NS";
	case CHECK_DNS_T_CNAME:
		return "CNAME";
	case CHECK_DNS_T_SOA:
		return "SOA";
	case CHECK_DNS_T_PTR:
		return "PTR";
	case CHECK_DNS_T_MX:
		return "MX";
	case CHECK_DNS_T_TXT:
		return "TXT";
	case CHECK_DNS_T_SRV:
		return "SRV";
	case CHECK_DNS_T_ANY:
		return "ANY";
	default:
		return "A or AAAA";
	}
}

static const char *rcode_name(int rcode)
{
	static const char *const names[] = { "NOERROR",  "FORMERR", "SERVFAIL", "NXDOMAIN", "NOTIMP", "REFUSED",
					     "YXDOMAIN", "YXRRSET", "NXRRSET",  "NOTAUTH",  "NOTZONE" };

	return rcode >= 0 && rcode < (int)(sizeof(names) / sizeof(names[0])) ? names[rcode] : "an unknown code";
}

/* The answers joined by commas into b (the reference's "127.0.0.11,127.0.0.12"). */
static void answers_join(const struct check_dns_sample *s, struct msp_buf *b)
{
	for (size_t i = 0; i < s->nanswers; i++)
		msp_buf_addf(b, "%s%s", i ? "," : "", s->answers[i]);
}

/*
 * -a: OK when one expected value matches one answer; with -L every
 * expected value must match an answer and every answer an expected value.
 */
static bool expected_ok(const struct check_dns_config *cfg, const struct check_dns_sample *s)
{
	bool any = false, all = true;

	for (size_t i = 0; i < cfg->expect.count; i++) {
		bool hit = false;

		for (size_t j = 0; j < s->nanswers; j++)
			hit = check_dns_match(s->answers[j], cfg->expect.items[i]) || hit;
		any = any || hit;
		all = all && hit;
	}
	for (size_t j = 0; cfg->all && j < s->nanswers; j++) {
		bool hit = false;

		for (size_t i = 0; i < cfg->expect.count; i++)
			hit = hit || check_dns_match(s->answers[j], cfg->expect.items[i]);
		all = all && hit;
	}
	return cfg->all ? any && all : any;
}

/* "DNS OK: 0.012 seconds response time. HOST returns WHAT|time=0.011827s;;;0.000000" */
static int answer_line(const struct check_dns_config *cfg, const struct check_dns_sample *s, const char *what,
		       struct msp_result *root)
{
	root->style = &answer_style;
	msp_result_set_state(root, msp_threshold_eval(&cfg->th, s->seconds));
	if (!msp_result_add_time_perf(root, s->seconds, &cfg->th, NAN))
		return MSP_ENOMEM;
	return msp_result_set_text(root, "%.3f %s response time. %s returns %s", s->seconds,
				   s->seconds == 1.0 ? "second" : "seconds", cfg->host, what);
}

static int fail(struct msp_result *root, enum msp_state st, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static int fail(struct msp_result *root, enum msp_state st, const char *fmt, ...)
{
	char text[2048];
	va_list ap;

	root->style = &failure_style;
	msp_result_set_state(root, st);
	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	return msp_result_set_text(root, "%s", text);
}

/* The lookup got answers of the type asked: -n, -a, -A, then the response time. */
static int evaluate_answer(const struct check_dns_config *cfg, const struct check_dns_sample *s,
			   struct msp_result *root)
{
	struct msp_buf got, want;
	int r;

	msp_buf_init(&got, 64 * 1024);
	msp_buf_init(&want, 64 * 1024);
	answers_join(s, &got);
	for (size_t i = 0; i < cfg->expect.count; i++)
		msp_buf_addf(&want, "%s%s", i ? "; " : "", cfg->expect.items[i]);
	if (cfg->nxdomain)
		r = fail(root, MSP_STATE_CRITICAL, "Domain '%s' was found by the server: '%s'", cfg->host,
			 msp_buf_str(&got));
	else if (cfg->expect.count && !expected_ok(cfg, s))
		r = fail(root, MSP_STATE_CRITICAL, "expected '%s' but got '%s'", msp_buf_str(&want), msp_buf_str(&got));
	else if (cfg->authoritative && !s->authoritative)
		r = fail(root, MSP_STATE_CRITICAL, "server %s is not authoritative for %s", s->server, cfg->host);
	else
		r = answer_line(cfg, s, msp_buf_str(&got), root);
	msp_buf_release(&got);
	msp_buf_release(&want);
	return r;
}

/* Every way the lookup can fail, each with its own words. */
static int evaluate_failure(const struct check_dns_config *cfg, const struct check_dns_sample *s,
			    enum msp_state timeout_state, unsigned timeout, struct msp_result *root)
{
	const char *srv = s->server[0] ? s->server : "(resolv.conf)";
	switch (s->outcome) {
	case CHECK_DNS_NXDOMAIN:
		return fail(root, MSP_STATE_CRITICAL, "Domain '%s' was not found by the server", cfg->host);
	case CHECK_DNS_NODATA:
		return fail(root, MSP_STATE_CRITICAL, "Domain '%s' has no %s record at DNS %s (an empty answer)",
			    cfg->host, type_name(cfg->qtype), srv);
	case CHECK_DNS_SERVFAIL:
		return fail(root, MSP_STATE_CRITICAL, "Server failure at DNS %s for '%s' (SERVFAIL)", srv, cfg->host);
	case CHECK_DNS_REFUSED:
		return fail(root, MSP_STATE_CRITICAL, "Query was refused by DNS server at %s for '%s' (REFUSED)", srv,
			    cfg->host);
	case CHECK_DNS_RCODE:
		return fail(root, MSP_STATE_CRITICAL, "DNS %s answered '%s' with %s", srv, cfg->host,
			    rcode_name(s->rcode));
	case CHECK_DNS_BADRESP:
		return fail(root, MSP_STATE_CRITICAL, "Invalid answer from DNS %s: %s", srv,
			    s->detail[0] ? s->detail : "not a DNS message that can be read");
	case CHECK_DNS_UNREACHABLE:
		return fail(root, MSP_STATE_CRITICAL, "No response from DNS %s: connection refused or unreachable",
			    srv);
	case CHECK_DNS_TIMEOUT:
	default:
		return fail(root, timeout_state, "No response from DNS %s within the %u s timeout", srv, timeout);
	case CHECK_DNS_ANSWER:
		return MSP_EINVAL;
	}
}

int check_dns_evaluate(const struct check_dns_config *cfg, const struct check_dns_sample *s,
		       enum msp_state timeout_state, unsigned timeout, struct msp_result *root)
{
	if (s->outcome == CHECK_DNS_ANSWER)
		return evaluate_answer(cfg, s, root);
	if (s->outcome == CHECK_DNS_NXDOMAIN && cfg->nxdomain)
		return answer_line(cfg, s, "NXDOMAIN", root);
	return evaluate_failure(cfg, s, timeout_state, timeout, root);
}
