/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * check_tcp - a TCP (or UDP, or unix socket) service answers, in time, with
 * what it should (drop-in for monitoring-plugins check_tcp and its alias
 * names check_ftp, check_imap, check_pop, check_simap, check_spop,
 * check_ssmtp, check_jabber, check_nntp, check_nntps, check_clamd and
 * check_udp: one binary, the name it runs under picks the defaults).
 *
 * probe: check_tcp_probe() (check_tcp_probe.c)
 * match and evaluate: check_tcp_match(), check_tcp_evaluate() (check_tcp_eval.c)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_tcp.h"
#include "banned.h"

#define JABBER_HELLO                                                                                      \
	"<stream:stream to='host' xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'>" \
	"\n"

const struct check_tcp_service check_tcp_services[] = {
	{ .name = "check_tcp", .service = "TCP" },
	{ .name = "check_ftp", .service = "FTP", .port = 21, .expect = { "220" }, .quit = "QUIT\r\n" },
	{ .name = "check_pop", .service = "POP", .port = 110, .expect = { "+OK" }, .quit = "QUIT\r\n" },
	{ .name = "check_spop", .service = "SPOP", .port = 995, .expect = { "+OK" }, .quit = "QUIT\r\n", .ssl = true },
	{ .name = "check_imap", .service = "IMAP", .port = 143, .expect = { "* OK" }, .quit = "a1 LOGOUT\r\n" },
	{ .name = "check_simap",
	  .service = "SIMAP",
	  .port = 993,
	  .expect = { "* OK" },
	  .quit = "a1 LOGOUT\r\n",
	  .ssl = true },
	{ .name = "check_ssmtp", .service = "SSMTP", .port = 465, .expect = { "220" }, .quit = "QUIT\r\n", .ssl = true },
	{ .name = "check_nntp", .service = "NNTP", .port = 119, .expect = { "200", "201" }, .quit = "QUIT\r\n" },
	{ .name = "check_nntps",
	  .service = "NNTPS",
	  .port = 563,
	  .expect = { "200", "201" },
	  .quit = "QUIT\r\n",
	  .ssl = true },
	{ .name = "check_jabber",
	  .service = "JABBER",
	  .port = 5222,
	  .send = JABBER_HELLO,
	  .expect = { "<?xml version='1.0'" },
	  .quit = "</stream:stream>\n",
	  .jail = true },
	{ .name = "check_clamd", .service = "CLAMD", .port = 3310, .send = "PING", .expect = { "PONG" } },
	{ .name = "check_udp", .service = "UDP", .udp = true },
	{ .name = NULL },
};

const struct check_tcp_service *check_tcp_service_for(const char *progname)
{
	const char *base = progname ? strrchr(progname, '/') : NULL;

	base = base ? base + 1 : progname;
	for (size_t i = 0; base && check_tcp_services[i].name; i++) {
		if (strcmp(base, check_tcp_services[i].name) == 0)
			return &check_tcp_services[i];
	}
	return &check_tcp_services[0];
}

enum { OPT_CERT = 1 };

static const struct msp_choice states[] = {
	{ "ok", MSP_STATE_OK },         { "warn", MSP_STATE_WARNING },      { "warning", MSP_STATE_WARNING },
	{ "crit", MSP_STATE_CRITICAL }, { "critical", MSP_STATE_CRITICAL }, { NULL, 0 },
};

#define MSP_CFG struct check_tcp_config
static const struct msp_option options[] = {
	MSP_STRING('H', "hostname", host, "ADDRESS", "Host name, IP address, or unix socket (an absolute path)",
		   .var = "tcp_address"),
	MSP_UINT('p', "port", port, "INTEGER", 1, 65535, "Port number (the alias names have their service's port)",
		 .given = MSP_GIVEN(port_given), .var = "tcp_port"),
	MSP_SET('4', "use-ipv4", family, MSP_SOCK_IPV4, "Use IPv4 connection", .var = "tcp_ipv4"),
	MSP_SET('6', "use-ipv6", family, MSP_SOCK_IPV6, "Use IPv6 connection", .var = "tcp_ipv6"),
	MSP_BOOL('E', "escape", escape,
		 "Read \\n, \\r, \\t and \\\\ in the send and quit strings.\n"
		 "Default: nothing added to send, \\r\\n added to the end of quit",
		 .var = "tcp_escape"),
	MSP_STRING('s', "send", send_arg, "STRING", "String to send to the server", .var = "tcp_send"),
	MSP_LIST('e', "expect", expect, "STRING",
		 "String to expect in the server's answer (may be repeated: any of them)", .flags = MSP_OPTF_EMPTY_OK,
		 .var = "tcp_expect"),
	MSP_BOOL('A', "all", all, "All expect strings must be in the answer (default: any)", .var = "tcp_all"),
	MSP_STRING('q', "quit", quit_arg, "STRING", "String to send the server before closing the connection",
		   .var = "tcp_quit"),
	MSP_CHOICE('r', "refuse", refuse, "ok|warn|crit", states, "State of a refused connection", .def = "crit",
		   .var = "tcp_refuse"),
	MSP_CHOICE('M', "mismatch", mismatch, "ok|warn|crit", states, "State of an answer without the expected strings",
		   .def = "warn", .var = "tcp_mismatch"),
	MSP_BOOL('j', "jail", jail, "Hide the server's answer from the output", .var = "tcp_jail"),
	MSP_UINT('m', "maxbytes", maxbytes, "INTEGER", 0, CHECK_TCP_READ_MAX,
		 "Stop reading once this many bytes came (never more than 1 MiB)", .var = "tcp_maxbytes"),
	MSP_UINT('d', "delay", delay, "INTEGER", 0, 3600, "Seconds to wait between sending and reading the answer",
		 .var = "tcp_delay"),
	MSP_CALLBACK(OPT_CERT, 'D', "certificate", MSP_ARG_REQUIRED, "INTEGER[,INTEGER]",
		     "Minimum days the certificate must still be valid: WARNING, CRITICAL (default 0);\n"
		     "implies -S",
		     .var = "tcp_certificate"),
	MSP_BOOL('S', "ssl", ssl, "Use TLS for the connection", .var = "tcp_ssl"),
	MSP_STRING('N', "sni", sni, "STRING", "TLS server name (default: the -H name; an IP address sends none)",
		   .var = "tcp_sni"),
	MSP_BOOL(0, "verify", verify,
		 "CRITICAL unless the peer's chain is trusted (system store) and names -H; implies -S",
		 .var = "tcp_verify"),
	MSP_PATH(0, "ca-file", ca_file, "FILE", "Trust only the CA certificates in FILE (implies --verify and -S)",
		 .var = "tcp_ca_file"),
	MSP_DOUBLE('w', "warning", warn, "DOUBLE", 0, 86400, "Response time to result in WARNING (seconds)",
		   .given = MSP_GIVEN(warn_given), .var = "tcp_wtime"),
	MSP_DOUBLE('c', "critical", crit, "DOUBLE", 0, 86400, "Response time to result in CRITICAL (seconds)",
		   .given = MSP_GIVEN(crit_given), .var = "tcp_ctime"),
	MSP_OPTION_END,
};

/* -D WARN[,CRIT]: whole days, CRIT 0 when not given. */
static int parse_days(struct check_tcp_config *cfg, const char *arg, struct msp_error *err)
{
	char warn[32];
	const char *comma = strchr(arg, ',');
	size_t n = comma ? (size_t)(comma - arg) : strlen(arg);
	int64_t w = 0, c = 0;

	if (n >= sizeof(warn))
		return msp_error_set(err, MSP_EINVAL, "invalid -D '%.40s': want DAYS[,DAYS]", arg);
	memcpy(warn, arg, n);
	warn[n] = '\0';
	if (msp_num_int64(warn, 0, 36500, &w) < 0 || (comma && msp_num_int64(comma + 1, 0, 36500, &c) < 0))
		return msp_error_set(err, MSP_EINVAL, "invalid -D '%.40s': want DAYS[,DAYS] (whole days, 0 to 36500)",
				     arg);
	cfg->days_warn = (long)w;
	cfg->days_crit = (long)c;
	cfg->check_cert = true;
	cfg->ssl = true;
	return 0;
}

/* -D is the only option with logic of its own. */
static int tcp_option(void *vcfg, int id, const char *arg, struct msp_error *err)
{
	(void)id;
	return parse_days(vcfg, arg, err);
}

/*
 * -s / -q into buf (CHECK_TCP_STRING_MAX bytes): with -E (wherever it is
 * given) the escapes are read; -q without -E ends in "\r\n" as the
 * reference's does.
 */
static int build_string(const char *arg, bool escape, bool is_quit, char *buf, size_t *ret_len, struct msp_error *err)
{
	size_t n = strlen(arg);
	long k;

	if (escape) {
		k = check_tcp_unescape(arg, buf, CHECK_TCP_STRING_MAX);
	} else {
		k = n + 3 < CHECK_TCP_STRING_MAX ? (long)n : -1;
		if (k >= 0)
			memcpy(buf, arg, n);
		if (k >= 0 && is_quit) {
			memcpy(buf + k, "\r\n", 2);
			k += 2;
		}
	}
	if (k < 0)
		return msp_error_set(err, MSP_EINVAL, "%s string is longer than %u bytes", is_quit ? "quit" : "send",
				     CHECK_TCP_STRING_MAX - 3);
	buf[k] = '\0';
	*ret_len = (size_t)k;
	return 0;
}

static void copy_default(char *buf, size_t *len, const char *text)
{
	size_t n = strlen(text);

	memcpy(buf, text, n + 1); /* the table's strings are far below CHECK_TCP_STRING_MAX */
	*len = n;
}

/* The installed name's defaults for what the command line left open. */
static void apply_service(struct check_tcp_config *cfg, const struct check_tcp_service *svc)
{
	cfg->svc = svc;
	if (!cfg->port_given)
		cfg->port = svc->port;
	if (!cfg->send_arg && svc->send)
		copy_default(cfg->send, &cfg->send_len, svc->send);
	if (!cfg->quit_arg && svc->quit)
		copy_default(cfg->quit, &cfg->quit_len, svc->quit);
	cfg->ssl = cfg->ssl || svc->ssl;
	cfg->jail = cfg->jail || svc->jail;
	cfg->udp = svc->udp;
	if (cfg->expect.count > 0) {
		cfg->expects = cfg->expect.items;
		cfg->nexpects = cfg->expect.count;
	} else {
		cfg->expects = svc->expect;
		cfg->nexpects = 0;
		while (cfg->nexpects < 3 && svc->expect[cfg->nexpects])
			cfg->nexpects++;
		cfg->prefix_match = true; /* the reference's defaults must start the answer */
	}
}

static int tcp_finish(void *vcfg, const struct msp_context *ctx, struct msp_error *err)
{
	struct check_tcp_config *cfg = vcfg;

	if (!cfg->host)
		return msp_error_set(err, MSP_EINVAL, "no host given: use -H HOST");
	if (cfg->send_arg && build_string(cfg->send_arg, cfg->escape, false, cfg->send, &cfg->send_len, err) < 0)
		return err->code;
	if (cfg->quit_arg && build_string(cfg->quit_arg, cfg->escape, true, cfg->quit, &cfg->quit_len, err) < 0)
		return err->code;
	apply_service(cfg, check_tcp_service_for(ctx->plugin));
	cfg->timeout = ctx->timeout;
	cfg->timeout_state = ctx->timeout_state;
	cfg->unix_socket = cfg->host[0] == '/';
	if (cfg->ca_file)
		cfg->verify = true;
	if (cfg->verify)
		cfg->ssl = true;
	if (!cfg->unix_socket && cfg->port == 0)
		return msp_error_set(err, MSP_EINVAL, "no port given: use -p PORT");
	if (cfg->udp && (cfg->send_len == 0 || cfg->nexpects == 0))
		return msp_error_set(err, MSP_EINVAL, "with UDP checks, give a send (-s) and an expect (-e) string");
	if (cfg->udp && cfg->ssl)
		return msp_error_set(err, MSP_EINVAL, "TLS (-S, -D) is for TCP connections, not UDP");
	return 0;
}

static int tcp_check(void *vcfg, const struct msp_context *ctx, struct msp_result *root, struct msp_error *err)
{
	struct check_tcp_config *cfg = vcfg;
	struct check_tcp_sample s;
	struct msp_buf b;
	int r;

	memset(&s, 0, sizeof(s));
	msp_buf_init(&b, CHECK_TCP_READ_MAX);
	r = check_tcp_probe(cfg, &ctx->deadline, &b, &s);
	if (r == 0) {
		msp_verbose(ctx, 1, "%s: %zu bytes in %.6f s, outcome %d %s\n", cfg->host, s.answer_len, s.elapsed,
			    (int)s.outcome, s.reason);
		r = check_tcp_evaluate(cfg, &s, (double)time(NULL), root);
	}
	msp_buf_release(&b);
	msp_list_release(&cfg->expect);
	if (r < 0)
		return msp_error_set(err, r, "out of memory");
	return 0;
}

/* "TCP OK - 0.000 second response time on 127.0.0.1 port 22|time=0.000180s;;;0.000000;10.000000" */
static const struct msp_nagios_style nagios_style = { .perf_sep = "|", .no_children = true, .keep_notes = true };

static const struct msp_plugin plugin = {
	.nagios = &nagios_style,
	.name = "check_tcp",
	.service = "TCP",
	.summary = "a TCP, UDP or unix-socket service answers in time with what it should, TLS and its certificate's "
		   "days (also as check_ftp, check_imap, check_pop, check_simap, check_spop, check_ssmtp, "
		   "check_jabber, check_nntp, check_nntps, check_clamd, check_udp)",
	.dropin = "monitoring-plugins `check_tcp` and its aliases",
	.itl = "tcp",
	.synopsis = "-H HOST -p PORT [-s SEND] [-e EXPECT]... [-A] [-q QUIT] [-E] [-m BYTES] [-d SECS]\n"
		    "  [-r ok|warn|crit] [-M ok|warn|crit] [-j] [-S] [-D DAYS[,DAYS]] [--sni NAME] [-4|-6]\n"
		    "  [-w SECS] [-c SECS]",
	.description = "Check that a TCP service accepts a connection and answers in time, optionally with a\n"
		       "string to send, strings to expect, TLS and the days left on its certificate.  Run as\n"
		       "check_ftp, check_imap, check_pop, check_simap, check_spop, check_ssmtp, check_jabber,\n"
		       "check_nntp, check_nntps or check_clamd it has that service's port, send, expect and\n"
		       "quit strings (an expected string must then start the answer); as check_udp it sends\n"
		       "a datagram and waits for the answer.",
	.notes = "Every step (name lookup, connect, TLS, send, answer) ends within -t: a name lookup\n"
		 "that hangs is CRITICAL 'name lookup of NAME timed out', a silent server CRITICAL\n"
		 "(or the -t N:STATE state) naming the step.\n"
		 "Differences from monitoring-plugins check_tcp 2.3.3 (deliberate):\n"
		 "  - line 1 always starts with the service word (the reference prints a refused\n"
		 "    connection, a timeout and certificate verdicts without it); with -D and a\n"
		 "    certificate that is still good, the certificate line follows line 1\n"
		 "  - the server's answer is shown on one line (control characters as blanks,\n"
		 "    at most 512 bytes) and at most 1 MiB of it is read\n"
		 "  - without -H, or without -p for a name that has no default port, the check is\n"
		 "    UNKNOWN (the reference connects to 127.0.0.1, or to port 0); -w/-c that are\n"
		 "    not numbers are errors (the reference reads 'abc' as 0)\n"
		 "  - -S sends the -H name as SNI (never an IP address) without --sni; --verify and\n"
		 "    --ca-file check the chain and the name\n"
		 "  - -m stops reading at the byte count (the reference reads past it once)\n"
		 "  - -E applies to -s and -q wherever it is given (the reference: only to those\n"
		 "    after it; the ITL's tcp command puts it first)\n"
		 "Examples:\n"
		 "  check_tcp -H mail.example.com -p 25 -e 220 -q 'QUIT'\n"
		 "  check_tcp -H www.example.com -p 443 -D 30,14\n"
		 "  check_imap -H mail.example.com -w 1 -c 3",
	.options = options,
	.timeout = 10,
	.timeout_state = MSP_STATE_CRITICAL,
	.option = tcp_option,
	.finish = tcp_finish,
	.check = tcp_check,
};

#ifdef MSP_TEST
MSP_PLUGIN_MAIN(plugin, struct check_tcp_config)
#else
/* One binary, many names: the name it runs under picks the service word and the defaults. */
int main(int argc, char **argv)
{
	static struct check_tcp_config cfg;
	static struct msp_plugin p;
	const struct check_tcp_service *svc = check_tcp_service_for(argc > 0 ? argv[0] : NULL);

	p = plugin;
	p.name = svc->name;
	p.service = svc->service;
	msp_main(&p, &cfg, argc, argv);
}
#endif
