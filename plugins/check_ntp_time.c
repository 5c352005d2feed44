/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * check_ntp_time - offset of the local clock from an NTP server (drop-in for
 * monitoring-plugins check_ntp_time).
 *
 * probe: check_ntp_time_probe() (check_ntp_time_proto.c: NTPv4 over UDP)
 * parse: check_ntp_parse_reply()      evaluate: check_ntp_time_evaluate()
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "check_ntp_time.h"

#define MSP_CFG struct check_ntp_time_config
static const struct msp_option options[] = {
	MSP_STRING('H', "hostname", host, "ADDRESS", "NTP server: a name or an address", .var = "ntp_address"),
	MSP_UINT('p', "port", port, "PORT", 1, 65535, "UDP port of the server", .def = "123", .var = "ntp_port"),
	MSP_BOOL('q', "quiet", quiet,
		 "UNKNOWN instead of CRITICAL when no offset can be had (no answer, an unsynchronised server, a "
		 "kiss-o'-death)",
		 .var = "ntp_quiet"),
	MSP_WARN('w', "warning", th, "THRESHOLD", MSP_UNIT_NONE,
		 "WARNING when the absolute offset (seconds) is outside THRESHOLD (a plain N: more than N)",
		 .def = "60", .var = "ntp_warning"),
	MSP_CRIT('c', "critical", th, "THRESHOLD", MSP_UNIT_NONE,
		 "CRITICAL when the absolute offset (seconds) is outside THRESHOLD (a plain N: more than N)",
		 .def = "120", .var = "ntp_critical"),
	MSP_DOUBLE('o', "time-offset", time_offset, "SECONDS", -1e9, 1e9,
		   "Expected offset of the server relative to this host: added to the measured offset",
		   .var = "ntp_timeoffset"),
	/* the reference's help says --time_offset, its parser takes --time-offset: both */
	MSP_DOUBLE(0, "time_offset", time_offset, "SECONDS", -1e9, 1e9, NULL),
	MSP_SET('4', "use-ipv4", family, 4, "Use IPv4", .var = "ntp_ipv4"),
	MSP_SET('6', "use-ipv6", family, 6, "Use IPv6", .var = "ntp_ipv6"),
	MSP_OPTION_END,
};

static int ntp_finish(void *vcfg, const struct msp_context *ctx, struct msp_error *err)
{
	struct check_ntp_time_config *cfg = vcfg;

	(void)ctx;
	if (!cfg->host)
		return msp_error_set(err, MSP_EINVAL, "missing server: give -H ADDRESS");
	return 0;
}

/* No offset: CRITICAL, or UNKNOWN with -q. */
static int no_offset(const struct check_ntp_time_config *cfg, struct msp_result *root, const char *text)
{
	msp_result_set_state(root, cfg->quiet ? MSP_STATE_UNKNOWN : MSP_STATE_CRITICAL);
	return msp_result_set_text(root, "%s", text);
}

/* Why s has no offset, in the reference's words and ours after them; false when it has one. */
static bool why_no_offset(const struct check_ntp_sample *s, char *buf, size_t len)
{
	if (s->kod)
		snprintf(buf, len, "Offset unknown: kiss-o'-death '%s' from the server", s->kod_code);
	else if (s->unsynced && s->leap == 3)
		snprintf(buf, len, "Offset unknown: the server is not synchronised (leap indicator alarm, stratum %d)",
			 s->stratum);
	else if (s->unsynced)
		snprintf(buf, len, "Offset unknown: the server is not synchronised (stratum %d)", s->stratum);
	else if (s->valid > 0)
		return false;
	else if (s->why[0])
		snprintf(buf, len, "No response from NTP server: %s", s->why);
	else if (s->refused)
		snprintf(buf, len, "No response from NTP server: port unreachable");
	else if (s->ignored)
		snprintf(buf, len, "No response from NTP server: %u answers that were not ours", s->ignored);
	else
		snprintf(buf, len, "No response from NTP server");
	return true;
}

int check_ntp_time_evaluate(const struct check_ntp_time_config *cfg, const struct check_ntp_sample *s,
			    struct msp_result *root)
{
	char why[300];
	double offset;
	struct msp_perf *p;

	if (why_no_offset(s, why, sizeof(why)))
		return no_offset(cfg, root, why);
	offset = s->offset_sum / s->valid + cfg->time_offset;
	msp_result_set_state(root, msp_threshold_eval(&cfg->th, fabs(offset)));
	p = msp_result_add_perf(root, "offset", offset, "s", &cfg->th);
	if (!p)
		return MSP_ENOMEM;
	p->fixed = true;
	return msp_result_set_text(root, "Offset %.10g secs", offset);
}

static int ntp_check(void *vcfg, const struct msp_context *ctx, struct msp_result *root, struct msp_error *err)
{
	struct check_ntp_time_config *cfg = vcfg;
	struct check_ntp_sample s;
	/* end a little before the runner's timeout: the answer is ours, not "timed out" */
	struct timespec dl = msp_deadline_in((double)msp_deadline_ms_left(&ctx->deadline) / 1000.0 - 0.2);
	int r;

	msp_step("asking %s", cfg->host);
	r = check_ntp_time_probe(cfg, &dl, &s, err);
	if (r < 0)
		return r;
	msp_verbose(ctx, 1, "%u requests, %u answers, %u ignored, stratum %d, delay %.6f s\n", s.sent, s.valid,
		    s.ignored, s.stratum, s.delay_min);
	r = check_ntp_time_evaluate(cfg, &s, root);
	if (r < 0)
		return msp_error_set(err, r, "out of memory");
	return 0;
}

/* "NTP OK: Offset -0.0004075 secs|offset=-0.000408s;60.000000;120.000000;" */
static const struct msp_nagios_style nagios_style = {
	.state_sep = ": ", .perf_sep = "|", .perf_end = ";", .no_children = true,
};

static const struct msp_plugin plugin = {
	.nagios = &nagios_style,
	.name = "check_ntp_time",
	.service = "NTP",
	.summary = "offset of the local clock from an NTP server (NTPv4 over UDP)",
	.dropin = "monitoring-plugins `check_ntp_time`",
	.synopsis = "-H ADDRESS [-p PORT] [-w SECONDS] [-c SECONDS] [-o SECONDS] [-q] [-4|-6] [-t SECONDS]",
	.description = "Check the offset of the local clock from an NTP server: four NTPv4 client\n"
		       "requests (RFC 5905), the offset averaged over the answers.  An answer counts only\n"
		       "from the server's address and port and with the origin timestamp of its request.\n"
		       "A server that is not synchronised (stratum 16, leap indicator 3), a kiss-o'-death\n"
		       "and no answer give no offset: CRITICAL (UNKNOWN with -q), never \"offset 0\".",
	.notes = "Differences from monitoring-plugins check_ntp_time 2.3.3 (deliberate):\n"
		 "  - with -q, no answer is UNKNOWN as the help of both says (the reference gives\n"
		 "    CRITICAL)\n"
		 "  - stratum 16 with leap indicator 0 and an answer whose origin timestamp is not\n"
		 "    our request's give no offset (the reference takes their offset: OK)\n"
		 "  - a threshold that is not a range (\"abc\") is an error (the reference reads 0)\n"
		 "  - \"Offset unknown: ...\" and \"No response from NTP server: ...\" name the reason\n"
		 "  - -H does not take a unix socket path; -o takes fractions of a second, and its\n"
		 "    long name is --time-offset (as the reference's parser takes it), also\n"
		 "    spelled with an underscore (as the reference's help writes it)\n"
		 "  - the run ends within -t (the reference may take longer for a silent server)\n"
		 "Examples:\n"
		 "  check_ntp_time -H ntp.example.org -w 0.5 -c 1\n"
		 "  check_ntp_time -H 192.0.2.123 -p 1123 -q",
	.options = options,
	.timeout = 10,
	.timeout_state = MSP_STATE_CRITICAL,
	.finish = ntp_finish,
	.check = ntp_check,
};

MSP_PLUGIN_MAIN(plugin, struct check_ntp_time_config)
