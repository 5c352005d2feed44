/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * check_smtp - an SMTP server's banner, greeting, STARTTLS, certificate, AUTH and
 * commands (drop-in for monitoring-plugins check_smtp).
 *
 * probe: check_smtp_probe() (check_smtp_probe.c)
 * evaluate: check_smtp_evaluate() (check_smtp_eval.c)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "check_smtp.h"
#include "msp_net.h"
#include "banned.h"

#define CHECK_SMTP_PASSFILE_MAX 4096

enum { OPT_HOST = 1 };

#define MSP_CFG struct check_smtp_config
static const struct msp_option options[] = {
	MSP_CALLBACK(OPT_HOST, 'H', "hostname", MSP_ARG_REQUIRED, "ADDRESS",
		     "Host name, IP address or unix socket (an absolute path) of the server (default:\n"
		     "localhost); the host may also be given as the argument after the options",
		     .var = "smtp_address"),
	MSP_UINT('p', "port", port, "INTEGER", 1, 65535, "Port number (default: 25, with --ssl 465)",
		 .given = MSP_GIVEN(port_given), .var = "smtp_port"),
	MSP_SET('4', "use-ipv4", family, 4, "Use IPv4 connection", .var = "smtp_ipv4"),
	MSP_SET('6', "use-ipv6", family, 6, "Use IPv6 connection", .var = "smtp_ipv6"),
	MSP_STRING('e', "expect", expect, "STRING", "String to expect in the server's banner and greeting reply",
		   .def = "220", .var = "smtp_expect"),
	MSP_LIST('C', "command", commands, "STRING", "SMTP command to send after the greeting (repeatable, in order)",
		 .var = "smtp_command"),
	MSP_LIST('R', "response", responses, "REGEX",
		 "Extended regular expression the reply to the -C of the same place must match\n"
		 "(repeatable, in order; a mismatch is WARNING)",
		 .var = "smtp_response"),
	MSP_STRING('f', "from", from, "ADDRESS", "Send MAIL FROM:<ADDRESS> after the greeting (Exchange 2000 wants it)",
		   .var = "smtp_mail_from"),
	MSP_STRING('F', "fqdn", fqdn, "FQDN", "Name sent with EHLO/HELO/LHLO (default: this host's name)",
		   .var = "smtp_helo_fqdn"),
	MSP_STRING('D', "certificate", cert_days, "WARN[,CRIT]",
		   "Check the certificate (implies -S unless --ssl): WARNING when it expires within WARN days,\n"
		   "CRITICAL within CRIT days; the verdict is the whole result",
		   .var = "smtp_certificate_age"),
	MSP_BOOL('S', "starttls", starttls, "Use STARTTLS for the connection", .var = "smtp_starttls"),
	MSP_BOOL(0, "ssl", implicit_tls, "Use TLS from the start (SMTPS, implicit TLS; default port 465)",
		 .var = "smtp_ssl"),
	MSP_BOOL(0, "tls", implicit_tls, "The same as --ssl", .var = "smtp_tls"),
	MSP_STRING('A', "authtype", authtype, "TYPE", "SMTP AUTH type to check: LOGIN or PLAIN (default: none)",
		   .var = "smtp_authtype"),
	MSP_STRING('U', "authuser", user, "USER", "SMTP AUTH user name", .var = "smtp_authuser"),
	MSP_STRING('P', "authpass", pass, "PASSWORD", "SMTP AUTH password (visible in ps: prefer --password-file)",
		   .var = "smtp_authpass"),
	MSP_PATH(0, "password-file", pass_file, "FILE", "Read the SMTP AUTH password from the first line of FILE",
		 .var = "smtp_password_file"),
	MSP_BOOL('L', "lmtp", lmtp, "Send LHLO instead of HELO/EHLO (LMTP)", .var = "smtp_lmtp"),
	MSP_BOOL('q', "ignore-quit-failure", ignore_quit,
		 "Ignore a QUIT that cannot be sent (the server closed); its answer is never judged",
		 .given = MSP_GIVEN(quit_flag_given), .var = "smtp_ignore_quit"),
	MSP_WARN('w', "warning", th, "SECONDS", MSP_UNIT_NONE, "Response time to result in WARNING (seconds)",
		 .flags = MSP_OPTF_EMPTY_ERROR, .var = "smtp_warning"),
	MSP_CRIT('c', "critical", th, "SECONDS", MSP_UNIT_NONE, "Response time to result in CRITICAL (seconds)",
		 .flags = MSP_OPTF_EMPTY_ERROR, .var = "smtp_critical"),
	MSP_OPTION_END,
};

static int smtp_option(void *vcfg, int id, const char *arg, struct msp_error *err)
{
	struct check_smtp_config *cfg = vcfg;

	if (id == OPT_HOST) {
		if (arg[0] == '\0')
			return 0; /* '' is "not given" */
		cfg->host = arg;
		return 0;
	}
	/* the ITL maps -q with "value": a boolean arrives as the word after it */
	if (cfg->quit_flag_given && (strcmp(arg, "true") == 0 || strcmp(arg, "false") == 0)) {
		cfg->ignore_quit = arg[0] == 't';
		return 0;
	}
	if (cfg->host && strcmp(cfg->host, arg) != 0)
		return msp_error_set(err, MSP_EINVAL, "unexpected argument '%s'", arg);
	cfg->host = arg;
	return 0;
}

/* The password from --password-file: its first line (without the line end). */
static int read_pass_file(struct check_smtp_config *cfg, struct msp_error *err)
{
	struct msp_buf b;
	int r;

	msp_buf_init(&b, CHECK_SMTP_PASSFILE_MAX);
	r = msp_file_read(cfg->pass_file, CHECK_SMTP_PASSFILE_MAX, &b, err);
	if (r < 0) {
		msp_buf_release(&b);
		return r; /* msp_file_read names the file and why */
	}
	cfg->pass_owned = msp_buf_detach(&b);
	if (!cfg->pass_owned)
		cfg->pass_owned = strdup("");
	if (!cfg->pass_owned)
		return msp_error_set(err, MSP_ENOMEM, "out of memory");
	cfg->pass_owned[strcspn(cfg->pass_owned, "\r\n")] = '\0';
	cfg->pass = cfg->pass_owned;
	return 0;
}

static int finish_auth(struct check_smtp_config *cfg, struct msp_error *err)
{
	if (cfg->pass_file) {
		int r = read_pass_file(cfg, err);

		if (r < 0)
			return r;
	}
	if (!cfg->authtype || strcasecmp(cfg->authtype, "none") == 0)
		return 0;
	if (strcasecmp(cfg->authtype, "LOGIN") == 0)
		cfg->auth = CHECK_SMTP_AUTH_LOGIN;
	else if (strcasecmp(cfg->authtype, "PLAIN") == 0)
		cfg->auth = CHECK_SMTP_AUTH_PLAIN;
	else
		return msp_error_set(err, MSP_EINVAL, "unsupported -A '%s': give LOGIN or PLAIN", cfg->authtype);
	if (!cfg->user)
		return msp_error_set(err, MSP_EINVAL, "-A %s needs a user (-U)", cfg->authtype);
	if (!cfg->pass)
		return msp_error_set(err, MSP_EINVAL, "-A %s needs a password (-P or --password-file)", cfg->authtype);
	return 0;
}

static int finish_responses(struct check_smtp_config *cfg, struct msp_error *err)
{
	if (cfg->responses.count > cfg->commands.count)
		return msp_error_set(err, MSP_EINVAL, "%zu -R but only %zu -C: each -R is the reply to one -C",
				     cfg->responses.count, cfg->commands.count);
	if (cfg->responses.count == 0)
		return 0;
	cfg->resp_re = calloc(cfg->responses.count, sizeof(*cfg->resp_re));
	if (!cfg->resp_re)
		return msp_error_set(err, MSP_ENOMEM, "out of memory");
	for (size_t i = 0; i < cfg->responses.count; i++) {
		int r = msp_regex_compile(&cfg->resp_re[i], cfg->responses.items[i], REG_EXTENDED | REG_NOSUB, "-R",
					  err);

		if (r < 0) {
			for (size_t j = 0; j < i; j++)
				regfree(&cfg->resp_re[j]);
			free(cfg->resp_re);
			cfg->resp_re = NULL;
			return r;
		}
	}
	return 0;
}

static int smtp_finish(void *vcfg, const struct msp_context *ctx, struct msp_error *err)
{
	struct check_smtp_config *cfg = vcfg;
	int r;

	if (!cfg->host)
		cfg->host = "localhost"; /* as the reference */
	if (!cfg->port_given)
		cfg->port = cfg->implicit_tls ? 465 : 25;
	if (cfg->family && cfg->host[0] != '/' && msp_net_is_numeric(cfg->host) &&
	    (strchr(cfg->host, ':') ? 6 : 4) != cfg->family)
		return msp_error_set(err, MSP_EINVAL, "'%s' is no IPv%d address (-%d)", cfg->host, cfg->family,
				     cfg->family);
	if (cfg->cert_days) {
		r = check_smtp_parse_days(cfg->cert_days, &cfg->days_warn, &cfg->days_crit, err);
		if (r < 0)
			return r;
		cfg->check_cert = true;
		if (!cfg->implicit_tls)
			cfg->starttls = true;
	}
	if (cfg->starttls && cfg->implicit_tls)
		return msp_error_set(err, MSP_EINVAL, "give -S (STARTTLS) or --ssl (TLS from the start), not both");
	if (!cfg->fqdn) {
		if (gethostname(cfg->fqdn_buf, sizeof(cfg->fqdn_buf) - 1) != 0 || !cfg->fqdn_buf[0])
			snprintf(cfg->fqdn_buf, sizeof(cfg->fqdn_buf), "localhost");
		cfg->fqdn = cfg->fqdn_buf;
	}
	r = finish_auth(cfg, err);
	if (r == 0)
		r = finish_responses(cfg, err);
	if (r < 0)
		return r;
	cfg->timeout = ctx->timeout;
	cfg->timeout_state = ctx->timeout_state;
	cfg->deadline = ctx->deadline; /* the same as the check's (kept for in-process test runs) */
	return 0;
}

void check_smtp_release(struct check_smtp_config *cfg)
{
	for (size_t i = 0; cfg->resp_re && i < cfg->responses.count; i++)
		regfree(&cfg->resp_re[i]);
	free(cfg->resp_re);
	cfg->resp_re = NULL;
	if (cfg->pass_owned) {
		explicit_bzero(cfg->pass_owned, strlen(cfg->pass_owned));
		free(cfg->pass_owned);
		cfg->pass_owned = NULL;
	}
	msp_list_release(&cfg->commands);
	msp_list_release(&cfg->responses);
}

static int smtp_check(void *vcfg, const struct msp_context *ctx, struct msp_result *root, struct msp_error *err)
{
	struct check_smtp_config *cfg = vcfg;
	struct check_smtp_sample s;
	int r;

	memset(&s, 0, sizeof(s));
	s.bad_cmd = -1;
	check_smtp_probe(cfg, &s, ctx->verbose);
	r = check_smtp_evaluate(cfg, &s, (double)time(NULL), root);
	if (r < 0)
		return msp_error_set(err, r, "out of memory");
	return 0;
}

/* A positional argument is the host (or the ITL's true/false after -q). */
static const struct msp_option positional = MSP_CALLBACK(MSP_OPT_POSITIONAL, 0, NULL, MSP_ARG_REQUIRED, "HOST", NULL);

/* "SMTP OK - 0.001 sec. response time|time=0.000690s;;;0.000000": no blank around the bar */
static const struct msp_nagios_style nagios_style = { .perf_sep = "|", .no_children = true };

static const struct msp_plugin plugin = {
	.nagios = &nagios_style,
	.name = "check_smtp",
	.service = "SMTP",
	.summary = "an SMTP server greets, offers STARTTLS with a certificate that is not about to expire, "
		   "accepts AUTH and answers commands, in time",
	.dropin = "monitoring-plugins `check_smtp`",
	.itl = "smtp",
	.synopsis = "-H HOST [-p PORT] [-4|-6] [-e EXPECT] [-C COMMAND [-R REGEX]]... [-f FROM] [-F FQDN]\n"
		    "  [-S | --ssl] [-D WARN[,CRIT]] [-A LOGIN|PLAIN -U USER (-P PASS | --password-file FILE)]\n"
		    "  [-L] [-q] [-w SECONDS] [-c SECONDS] [-t TIMEOUT]",
	.description = "Check an SMTP server: its banner and greeting reply (EHLO, HELO or LHLO), and\n"
		       "as asked STARTTLS and the certificate's days left, AUTH LOGIN/PLAIN, commands\n"
		       "and their replies, and the response time; QUIT at the end.",
	.notes = "A refused connection, a timeout (-t, default CRITICAL), a TLS handshake that fails\n"
		 "and a banner that is a 4xx/5xx reply are CRITICAL; an unexpected banner WARNING.\n"
		 "Differences from monitoring-plugins check_smtp 2.3.3 (deliberate):\n"
		 "  - a 421/554 banner is CRITICAL with the server's words (the reference says\n"
		 "    'recv() failed' WARNING, or waits for the timeout); a close before any\n"
		 "    banner is CRITICAL 'No data received from host' (there: WARNING)\n"
		 "  - failures are one line with the service word ('SMTP CRITICAL - connect to\n"
		 "    address ...', 'SMTP WARNING - Invalid SMTP response ...: BANNER', 'SMTP\n"
		 "    CRITICAL - timed out waiting for ...'); a -R mismatch and the response time\n"
		 "    share line 1 (the reference prints two lines); -v writes to stderr\n"
		 "  - -A PLAIN works (the reference knows LOGIN only); --password-file reads the\n"
		 "    password from a file; --ssl/--tls speak TLS from the start (SMTPS)\n"
		 "  - -A without -U or a password, an unknown -A, more -R than -C and a bad\n"
		 "    -R regex are UNKNOWN before connecting (the reference: CRITICAL after it)\n"
		 "  - -q true / -q false (how the ITL passes smtp_ignore_quit) are read as such\n"
		 "Examples:\n"
		 "  check_smtp -H mail.example.com -w 2 -c 5\n"
		 "  check_smtp -H mail.example.com -p 587 -D 30,14\n"
		 "  check_smtp -H mail.example.com -S -A LOGIN -U monitor --password-file /etc/nagios/smtp.pw\n"
		 "  check_smtp -H mail.example.com -C 'MAIL FROM:<a@example.com>' -R '^250'",
	.options = options,
	.positional = &positional,
	.option = smtp_option,
	.timeout = 10,
	.timeout_state = MSP_STATE_CRITICAL,
	.finish = smtp_finish,
	.check = smtp_check,
};

MSP_PLUGIN_MAIN(plugin, struct check_smtp_config)
