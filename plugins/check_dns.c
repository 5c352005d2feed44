/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * check_dns - a name lookup at a DNS server (drop-in for monitoring-plugins check_dns).
 *
 * probe: check_dns_probe() (check_dns_resolve.c: c-ares, bounded by the deadline)
 * parse: check_dns_parse() (check_dns_parse.c)   evaluate: check_dns_evaluate() (check_dns_eval.c)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_dns.h"

static const struct msp_choice query_types[] = {
	{ "A", CHECK_DNS_T_A },
	{ "AAAA", CHECK_DNS_T_AAAA },
	{ "CNAME", CHECK_DNS_T_CNAME },
	{ "MX", CHECK_DNS_T_MX },
	{ "NS", CHECK_DNS_T_NS },
	{ "PTR", CHECK_DNS_T_PTR },
	{ "SOA", CHECK_DNS_T_SOA },
	{ "SRV", CHECK_DNS_T_SRV },
	{ "TXT", CHECK_DNS_T_TXT },
	{ "ANY", CHECK_DNS_T_ANY },
	{ NULL, 0 },
};

#define MSP_CFG struct check_dns_config
static const struct msp_option options[] = {
	MSP_STRING('H', "hostname", host, "HOST",
		   "The name to look up; an IPv4 or IPv6 address is looked up in reverse (PTR)", .var = "dns_lookup"),
	MSP_STRING('s', "server", server, "HOST",
		   "Ask the DNS server HOST (an address or a name; default: the servers of\n/etc/resolv.conf)",
		   .var = "dns_server"),
	MSP_UINT(0, "port", port, "PORT", 1, 65535, "Ask the server on UDP (and TCP) port PORT", .def = "53",
		 .var = "dns_port"),
	MSP_CHOICE('q', "querytype", qtype, "TYPE", query_types,
		   "Ask for records of TYPE: A, AAAA, CNAME, MX, NS, PTR, SOA, SRV, TXT or ANY\n"
		   "(default: A and AAAA, as the reference asks)",
		   .var = "dns_query_type"),
	MSP_LIST('a', "expected-address", expect, "ADDRESS",
		 "An answer expected: an address, ADDRESS/BITS for a network, or a name ending\n"
		 "with a dot (PTR, CNAME, NS).  Repeat it or separate values with commas: one\n"
		 "match is enough (all of them with -L)",
		 .flags = MSP_OPTF_SPLIT, .var = "dns_expected_answers"),
	MSP_BOOL('L', "all", all, "CRITICAL unless every -a value matches an answer and every answer an -a value",
		 .var = "dns_all_expected"),
	MSP_BOOL('A', "expect-authority", authoritative,
		 "CRITICAL unless the server answers with authority (the AA bit)", .var = "dns_authoritative"),
	MSP_BOOL('n', "expect-nxdomain", nxdomain, "Expect the answer NXDOMAIN (the name does not exist); not with -a",
		 .var = "dns_expect_nxdomain"),
	MSP_WARN('w', "warning", th, "SECONDS", MSP_UNIT_NONE, "WARNING when the response time exceeds SECONDS",
		 .var = "dns_wtime"),
	MSP_CRIT('c', "critical", th, "SECONDS", MSP_UNIT_NONE, "CRITICAL when the response time exceeds SECONDS",
		 .var = "dns_ctime"),
	MSP_OPTION_END,
};

static int dns_finish(void *vcfg, const struct msp_context *ctx, struct msp_error *err)
{
	struct check_dns_config *cfg = vcfg;
	bool reversed = false;

	(void)ctx;
	if (!cfg->host)
		return msp_error_set(err, MSP_EINVAL, "missing -H: give the name to look up");
	if (cfg->nxdomain && cfg->expect.count)
		return msp_error_set(err, MSP_EINVAL, "--expected-address and --expect-nxdomain cannot be combined");
	if (check_dns_qname(cfg->host, cfg->qtype, cfg->qname, sizeof(cfg->qname), &reversed) < 0)
		return msp_error_set(err, MSP_EINVAL, "name '%.60s...' (-H) is too long", cfg->host);
	if (reversed)
		cfg->qtype = CHECK_DNS_T_PTR;
	cfg->nqtypes = 0;
	if (cfg->qtype == CHECK_DNS_T_DEFAULT) {
		cfg->qtypes[cfg->nqtypes++] = CHECK_DNS_T_A;
		cfg->qtypes[cfg->nqtypes++] = CHECK_DNS_T_AAAA;
	} else {
		cfg->qtypes[cfg->nqtypes++] = cfg->qtype;
	}
	return 0;
}

static int dns_check(void *vcfg, const struct msp_context *ctx, struct msp_result *root, struct msp_error *err)
{
	struct check_dns_config *cfg = vcfg;
	struct check_dns_sample s = { .outcome = CHECK_DNS_TIMEOUT };
	int r;

	r = check_dns_probe(cfg, ctx, &s, err);
	if (r == 0) {
		for (size_t i = 0; i < s.nanswers; i++)
			msp_verbose(ctx, 1, "answer: %s\n", s.answers[i]);
		msp_verbose(ctx, 1, "outcome %d, rcode %d, %s, %.6f s\n", (int)s.outcome, s.rcode,
			    s.authoritative ? "authoritative" : "not authoritative", s.seconds);
		r = check_dns_evaluate(cfg, &s, ctx->timeout_state, ctx->timeout, root);
		if (r < 0)
			msp_error_set(err, r, "out of memory");
	}
	check_dns_sample_release(&s);
	return r;
}

static void dns_release(void *vcfg)
{
	struct check_dns_config *cfg = vcfg;

	msp_list_release(&cfg->expect);
}

static const struct msp_plugin plugin = {
	.release = dns_release,
	.nagios = &(const struct msp_nagios_style){ .state_sep = " - ", .perf_sep = "|", .no_children = true },
	.name = "check_dns",
	.service = "DNS",
	.summary = "a name lookup at a DNS server: answers, NXDOMAIN, authority, response time",
	.dropin = "monitoring-plugins `check_dns`",
	.itl = "dns",
	.synopsis = "-H HOST [-s SERVER] [--port PORT] [-q TYPE] [-a ADDRESS]... [-L] [-n] [-A] [-w SECONDS] "
		    "[-c SECONDS]",
	.description = "Check that a DNS server answers a lookup of a name: the addresses (or other records)\n"
		       "it returns, optionally against expected ones, its authority and its response time.\n"
		       "The query goes out through the c-ares resolver library (no nslookup is run) and\n"
		       "ends within the timeout whatever the server does.  NXDOMAIN, an empty answer,\n"
		       "SERVFAIL, REFUSED, other response codes, an unreadable answer, nobody listening and\n"
		       "no answer in time each have their own message; all are CRITICAL (a timeout takes\n"
		       "the state of -t N:STATE), only NXDOMAIN under -n is OK.",
	.notes = "Differences from monitoring-plugins check_dns 2.3.3 (deliberate):\n"
		 "  - failures always begin 'DNS CRITICAL - ' (the reference prints some bare:\n"
		 "    \"Domain 'x' was not found by the server\"), and a timeout is\n"
		 "    'DNS CRITICAL - No response from DNS S within the N s timeout'\n"
		 "  - SERVFAIL, REFUSED, other response codes and an empty answer (NODATA) have\n"
		 "    their own messages; the reference calls most of them \"not found\" and\n"
		 "    REFUSED \"Connection to DNS S was refused\"; the state is CRITICAL in both\n"
		 "  - -q TYPE (the Icinga 2 ITL's dns_query_type) and --port are added; the\n"
		 "    ITL passes its dns_accept_cname as -n, which means --expect-nxdomain here\n"
		 "    as in the reference: our definition names it dns_expect_nxdomain\n"
		 "  - the -n line \"Domain 'x' was found by the server: '...'\" has no empty\n"
		 "    second line\n"
		 "Examples:\n"
		 "  check_dns -H www.example.com -s 192.0.2.53 -w 0.5 -c 1\n"
		 "  check_dns -H www.example.com -a 192.0.2.10,192.0.2.11 -L\n"
		 "  check_dns -H example.com -q MX -a '10 mail.example.com.'\n"
		 "  check_dns -H gone.example.com -n",
	.options = options,
	.timeout = 10,
	.timeout_state = MSP_STATE_CRITICAL,
	.finish = dns_finish,
	.check = dns_check,
};

MSP_PLUGIN_MAIN(plugin, struct check_dns_config)
