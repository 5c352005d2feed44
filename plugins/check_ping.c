/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * check_ping - round trip average and packet loss of ICMP echo (drop-in for
 * monitoring-plugins check_ping).
 *
 * probe: check_ping_probe() (check_ping_icmp.c: ICMP datagram or raw socket)
 * parse: check_ping_parse_pair()      evaluate: check_ping_evaluate()
 */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_ping.h"

#define MSP_CFG struct check_ping_config
static const struct msp_option options[] = {
	MSP_LIST('H', "hostname", hosts, "HOST",
		 "Host to ping (a name or an address); more -H: OK when the first that answers is alive",
		 .var = "ping_address"),
	MSP_STRING('w', "warning", warning, "RTA,PL%",
		   "WARNING when the round trip average reaches RTA ms or the packet loss PL percent",
		   .var = "$ping_wrta$,$ping_wpl$%"),
	MSP_STRING('c', "critical", critical, "RTA,PL%",
		   "CRITICAL when the round trip average reaches RTA ms or the packet loss PL percent",
		   .var = "$ping_crta$,$ping_cpl$%"),
	MSP_UINT('p', "packets", packets, "N", 1, CHECK_PING_MAX_PACKETS,
		 "Number of ICMP echo requests to send, one a second (fewer seconds apart when -t is shorter)",
		 .def = "5", .var = "ping_packets"),
	MSP_SET('4', "use-ipv4", family, 4, "Ping the host's IPv4 address", .var = "ping_ipv4"),
	MSP_SET('6', "use-ipv6", family, 6, "Ping the host's IPv6 address", .var = "ping_ipv6"),
	MSP_BOOL('L', "link", link, "Wrap the summary in an HTML link to the traceroute CGI (obsolete)"),
	MSP_BOOL('n', "nohtml", nohtml, "No HTML link (the default; overrides -L)"),
	MSP_OPTION_END,
};

/* A non-negative decimal number, all of [p, end). */
static bool parse_ms(const char *p, const char *end, double *ret)
{
	char buf[64], *e;
	size_t n = (size_t)(end - p);

	if (n == 0 || n >= sizeof(buf) || !isdigit((unsigned char)p[0]))
		return false;
	memcpy(buf, p, n);
	buf[n] = '\0';
	errno = 0;
	*ret = strtod(buf, &e);
	return errno == 0 && *e == '\0' && isfinite(*ret);
}

/* An integer percent 0..100 followed by '%', all of [p, end). */
static bool parse_pl(const char *p, const char *end, int *ret)
{
	int v = 0;

	if (end - p < 2 || end[-1] != '%')
		return false;
	for (const char *q = p; q < end - 1; q++) {
		if (!isdigit((unsigned char)*q) || v > 100)
			return false;
		v = v * 10 + (*q - '0');
	}
	*ret = v;
	return v <= 100;
}

int check_ping_parse_pair(const char *name, const char *text, struct check_ping_pair *ret, struct msp_error *err)
{
	const char *end = text + strlen(text), *sep = strpbrk(text, ",:");
	struct check_ping_pair p = { -1, -1 };
	bool ok;

	if (sep)
		ok = parse_ms(text, sep, &p.rta) && parse_pl(sep + 1, end, &p.pl);
	else if (end > text && end[-1] == '%')
		ok = parse_pl(text, end, &p.pl);
	else
		ok = parse_ms(text, end, &p.rta);
	if (!ok)
		return msp_error_set(err, MSP_EINVAL,
				     "invalid %s '%s': give RTA,PL%% (milliseconds, a percentage from 0 to 100)", name,
				     text);
	*ret = p;
	return 0;
}

static int ping_finish(void *vcfg, const struct msp_context *ctx, struct msp_error *err)
{
	struct check_ping_config *cfg = vcfg;
	int r;

	(void)ctx;
	if (cfg->hosts.count == 0)
		return msp_error_set(err, MSP_EINVAL, "missing host: give -H HOST");
	if (!cfg->warning || !cfg->critical)
		return msp_error_set(err, MSP_EINVAL, "missing thresholds: give -w RTA,PL%% and -c RTA,PL%%");
	r = check_ping_parse_pair("-w", cfg->warning, &cfg->w, err);
	if (r == 0)
		r = check_ping_parse_pair("-c", cfg->critical, &cfg->c, err);
	if (r < 0)
		return r;
	if (cfg->w.rta < 0 || cfg->c.rta < 0)
		return msp_error_set(err, MSP_EINVAL, "missing round trip average: give it in -%c (RTA,PL%%)",
				     cfg->w.rta < 0 ? 'w' : 'c');
	if (cfg->w.pl < 0 || cfg->c.pl < 0)
		return msp_error_set(err, MSP_EINVAL, "missing packet loss: give it in -%c (RTA,PL%%)",
				     cfg->w.pl < 0 ? 'w' : 'c');
	/* both are upper bounds (at or over alerts): warning may not exceed critical in either */
	if (msp_check_order_values(cfg->w.rta, cfg->c.rta, true, "--warning", cfg->warning, "--critical", cfg->critical,
				   err) < 0)
		return MSP_EINVAL;
	return msp_check_order_values(cfg->w.pl, cfg->c.pl, true, "--warning", cfg->warning, "--critical",
				      cfg->critical, err);
}

enum msp_state check_ping_state(const struct check_ping_config *cfg, const struct check_ping_sample *s)
{
	double rta;
	int pl;

	if (s->fail != CHECK_PING_ANSWERED || s->sent == 0 || s->received == 0)
		return MSP_STATE_CRITICAL;
	pl = (int)((s->sent - s->received) * 100 / s->sent);
	rta = s->rtt_sum / s->received;
	if (pl >= cfg->c.pl || rta >= cfg->c.rta)
		return MSP_STATE_CRITICAL;
	if (pl >= cfg->w.pl || rta >= cfg->w.rta)
		return MSP_STATE_WARNING;
	return MSP_STATE_OK;
}

const char *check_ping_fail_text(enum check_ping_fail f)
{
	static const char *const text[] = {
		[CHECK_PING_ANSWERED] = "Answered",
		[CHECK_PING_NET_UNREACH] = "Network Unreachable",
		[CHECK_PING_HOST_UNREACH] = "Host Unreachable",
		[CHECK_PING_PORT_UNREACH] = "Bogus ICMP: Port Unreachable",
		[CHECK_PING_PROTO_UNREACH] = "Bogus ICMP: Protocol Unreachable",
		[CHECK_PING_NET_PROHIB] = "Network Prohibited",
		[CHECK_PING_HOST_PROHIB] = "Host Prohibited",
		[CHECK_PING_FILTERED] = "Packet Filtered",
		[CHECK_PING_TTL] = "Time to live exceeded",
		[CHECK_PING_DEST_UNREACH] = "Destination Unreachable",
	};

	return (unsigned)f < sizeof(text) / sizeof(text[0]) ? text[f] : "Destination Unreachable";
}

/* The rta and pl items, as the reference writes them ("rta=0.05ms;100.000000;500.000000;0.000000 pl=0%;20;60;0;"). */
static int add_perf(const struct check_ping_config *cfg, const struct check_ping_sample *s, struct msp_result *root)
{
	/* the reference leaves a threshold of 0 out ("rta=0.04ms;;500.000000;0.000000") */
	struct msp_threshold th = { .has_warn = cfg->w.rta > 0, .has_crit = cfg->c.rta > 0 };
	struct msp_perf *p;
	int pl = (int)((s->sent - s->received) * 100 / s->sent);

	th.warn.end = cfg->w.rta;
	th.crit.end = cfg->c.rta;
	p = msp_result_add_perf(root, "rta", s->received ? s->rtt_sum / s->received : NAN, s->received ? "ms" : "", &th);
	if (!p)
		return MSP_ENOMEM;
	p->fixed = true;
	p->fixed_limits = true;
	if (s->received)
		msp_perf_set_min(p, 0);
	else
		p->keep_fields = true;
	th.has_warn = cfg->w.pl > 0;
	th.has_crit = cfg->c.pl > 0;
	th.warn.end = cfg->w.pl;
	th.crit.end = cfg->c.pl;
	p = msp_result_add_perf(root, "pl", pl, "%", &th);
	if (!p)
		return MSP_ENOMEM;
	p->decimals = 0;
	p->keep_fields = true;
	msp_perf_set_min(p, 0);
	return 0;
}

/* "PING OK - Packet loss = 0%, RTA = 0.05 ms|rta=...": no blank before the bar (one after it at 100% loss) */
static const struct msp_nagios_style nagios_style = { .perf_sep = "|", .no_children = true, .keep_notes = true };
static const struct msp_nagios_style nagios_style_lost = { .perf_sep = "| ", .no_children = true };

/* One host: the reference's line. */
static int evaluate_one(const struct check_ping_config *cfg, const struct check_ping_sample *s,
			struct msp_result *root)
{
	msp_result_set_state(root, check_ping_state(cfg, s));
	if (s->fail != CHECK_PING_ANSWERED)
		return msp_result_set_text(root, "%s (%s)", check_ping_fail_text(s->fail), s->host);
	if (add_perf(cfg, s, root) < 0)
		return MSP_ENOMEM;
	if (s->received == 0) {
		root->style = &nagios_style_lost; /* the reference: "Packet loss = 100%| rta=U;..." */
		return msp_result_set_text(root, "Packet loss = 100%%");
	}
	return msp_result_set_text(root, "Packet loss = %u%%, RTA = %.2f ms", (s->sent - s->received) * 100 / s->sent,
				   s->rtt_sum / s->received);
}

int check_ping_evaluate(const struct check_ping_config *cfg, const struct check_ping_sample *s, size_t n,
			struct msp_result *root)
{
	size_t i;

	if (n == 1 && cfg->hosts.count == 1)
		return evaluate_one(cfg, s, root);
	/* several hosts: the first that answers is alive (they were probed until one did) */
	for (i = 0; i < n; i++)
		if (s[i].fail == CHECK_PING_ANSWERED && s[i].received > 0) {
			msp_result_set_state(root, MSP_STATE_OK);
			return msp_result_set_text(root, "%s is alive", s[i].host);
		}
	msp_result_set_state(root, MSP_STATE_CRITICAL);
	for (i = 0; i < n; i++)
		if (!msp_result_add_note(root, "%s: %s", s[i].host,
					 s[i].fail != CHECK_PING_ANSWERED ? check_ping_fail_text(s[i].fail)
									  : "Packet loss = 100%"))
			return MSP_ENOMEM;
	return msp_result_set_text(root, "no host answered (%zu tried)", n);
}

/* -L: the reference wraps "PING OK - ..." in a link to the traceroute CGI. */
static int add_link(const char *host, struct msp_result *root)
{
	static char service[600];
	char *text = root->text;
	int r;

	snprintf(service, sizeof(service), "<A HREF='/nagios/cgi-bin/traceroute.cgi?%.500s'>PING", host);
	root->service = service;
	root->text = NULL;
	r = msp_result_set_text(root, "%s</A>", text ? text : "");
	free(text);
	return r;
}

static int ping_check(void *vcfg, const struct msp_context *ctx, struct msp_result *root, struct msp_error *err)
{
	struct check_ping_config *cfg = vcfg;
	struct check_ping_sample *s = calloc(cfg->hosts.count, sizeof(*s));
	size_t n = 0;
	int r = 0;

	if (!s)
		return msp_error_set(err, MSP_ENOMEM, "out of memory");
	for (size_t i = 0; i < cfg->hosts.count && r == 0; i++) {
		/* each host its share of what is left, ending a little before the runner's timeout */
		double left = (double)msp_deadline_ms_left(&ctx->deadline) / 1000.0 - 0.2;
		double share = left / (double)(cfg->hosts.count - i);
		struct timespec dl = msp_deadline_in(share > 0 ? share : 0);

		msp_step("pinging %s", cfg->hosts.items[i]);
		r = check_ping_probe(cfg, cfg->hosts.items[i], &dl, &s[n], err);
		if (r < 0)
			break;
		msp_verbose(ctx, 1, "%s (%s): %u sent, %u received, %s\n", s[n].host, s[n].addr, s[n].sent,
			    s[n].received, check_ping_fail_text(s[n].fail));
		if (s[n++].received > 0)
			break;
	}
	if (r == 0)
		r = check_ping_evaluate(cfg, s, n, root);
	if (r == 0 && cfg->link && !cfg->nohtml && cfg->hosts.count == 1)
		r = add_link(cfg->hosts.items[0], root);
	free(s);
	if (r == MSP_ENOMEM)
		return msp_error_set(err, r, "out of memory");
	return r;
}

static const struct msp_plugin plugin = {
	.nagios = &nagios_style,
	.name = "check_ping",
	.service = "PING",
	.summary = "round trip average and packet loss of ICMP echo, without ping(8) or setuid",
	.dropin = "monitoring-plugins `check_ping`",
	.synopsis = "-H HOST -w RTA,PL% -c RTA,PL% [-p N] [-4|-6] [-t SECONDS]",
	.description = "Check the round trip average and the packet loss of ICMP echo requests to a host.\n"
		       "Packets go out one a second through an ICMP datagram socket where\n"
		       "net.ipv4.ping_group_range allows this group one, else a raw socket (CAP_NET_RAW);\n"
		       "no setuid binary and no ping(8).  A round trip average or a loss at or over a\n"
		       "threshold alerts; a network or host that cannot be reached is CRITICAL with the\n"
		       "reason.",
	.notes = "The whole run ends within -t: when -p packets one second apart do not fit, they go\n"
		 "out closer together.  Replies are awaited up to twice the critical RTA (at least\n"
		 "one second) after the last request.\n"
		 "Differences from monitoring-plugins check_ping 2.3.3 (deliberate):\n"
		 "  - -t is kept: the reference stretches it to fit -p packets and -c's RTA\n"
		 "  - lost packets are not sent again: the reference's ping(8) -w keeps sending\n"
		 "    until -p replies came or the time is up\n"
		 "  - several -H: OK only when a host answers (\"PING OK - HOST is alive\"); the\n"
		 "    reference says alive for a host with 100% loss and stops CRITICAL at the first\n"
		 "    host without a route; when none answers, CRITICAL naming each\n"
		 "  - a prohibit route or a firewall's refusal is CRITICAL \"Packet Filtered\" (the\n"
		 "    reference cannot read ping's message and is UNKNOWN)\n"
		 "  - an unreachable host or network: \"PING CRITICAL - Network Unreachable (HOST)\"\n"
		 "    (the reference leaves out \"PING\")\n"
		 "  - -p 0 and positional host and threshold arguments are errors; a name that does\n"
		 "    not resolve is UNKNOWN \"cannot resolve ...\" (the reference prints its usage)\n"
		 "  - a name without -4/-6 pings its first IPv4 address, else its first IPv6 one\n"
		 "Examples:\n"
		 "  check_ping -H 192.0.2.10 -w 100,20% -c 500,60%\n"
		 "  check_ping -6 -H host.example -w 3000,80% -c 5000,100% -p 3",
	.options = options,
	.timeout = 10,
	.timeout_state = MSP_STATE_CRITICAL,
	.finish = ping_finish,
	.check = ping_check,
};

MSP_PLUGIN_MAIN(plugin, struct check_ping_config)
