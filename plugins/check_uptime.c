/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * check_uptime - time since boot (drop-in for monitoring-plugins 2.4+ check_uptime and the ITL "uptime").
 *
 * probe: read /proc/uptime
 * parse: check_uptime_parse()      evaluate: check_uptime_evaluate()
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_uptime.h"

/* -w/-c are kept as written (the reading aid quotes them) and parsed by finish. */
#define MSP_CFG struct check_uptime_config
static const struct msp_option options[] = {
	MSP_STRING('w', "warning", warn_text, "RANGE",
		   "WARNING when the uptime is outside RANGE: durations with s m h d w (bare =\n"
		   "seconds); \"4w\" alerts above 4 weeks, \"10m:\" below 10 minutes (a reboot),\n"
		   "\"10m:4w\" both",
		   .flags = MSP_OPTF_EMPTY_ERROR, .var = "uptime_warning"),
	MSP_STRING('c', "critical", crit_text, "RANGE", "CRITICAL when the uptime is outside RANGE",
		   .flags = MSP_OPTF_EMPTY_ERROR, .var = "uptime_critical"),
	MSP_BOOL('f', "for", show_for, "Say how long the machine is up in words (\"up for 3 days, 4 hours\")",
		 .var = "uptime_for"),
	MSP_BOOL('s', "since", show_since, "Say when the machine booted (local time)", .var = "uptime_since"),
	MSP_PATH(0, "proc-root", proc_root, "DIR", "Read uptime from DIR instead of /proc (recorded files, for tests)",
		 .def = "/proc"),
	MSP_OPTION_END,
};

/* A -w/-c text (NULL: not given) as a range of durations into *r; name is the option for the message. */
static int parse_threshold(const char *text, const char *name, struct msp_range *r, bool *has, struct msp_error *err)
{
	struct msp_error e;

	if (!text)
		return 0;
	msp_error_init(&e);
	if (msp_range_parse(text, MSP_UNIT_DURATION, 1, r, &e) < 0)
		return msp_error_set(err, MSP_EINVAL, "%s: %s", name, e.msg);
	*has = true;
	return 0;
}

bool check_uptime_minimum_pair(struct msp_threshold *th)
{
	struct msp_range *w = &th->warn, *c = &th->crit;

	if (!th->has_warn || !th->has_crit || !msp_range_is_plain_upper(w) || !msp_range_is_plain_upper(c) ||
	    w->end <= c->end)
		return false;
	w->start = w->end;
	w->end_inf = true;
	c->start = c->end;
	c->end_inf = true;
	return true;
}

static int uptime_finish(void *vcfg, const struct msp_context *ctx, struct msp_error *err)
{
	struct check_uptime_config *cfg = vcfg;

	(void)ctx;
	if (parse_threshold(cfg->warn_text, "--warning", &cfg->th.warn, &cfg->th.has_warn, err) < 0 ||
	    parse_threshold(cfg->crit_text, "--critical", &cfg->th.crit, &cfg->th.has_crit, err) < 0)
		return MSP_EINVAL;
	if (!cfg->th.has_warn && !cfg->th.has_crit)
		return msp_error_set(err, MSP_EINVAL, "missing thresholds: give --warning and/or --critical");
	cfg->minimum_pair = check_uptime_minimum_pair(&cfg->th);
	return 0;
}

int check_uptime_parse(const char *text, double *ret_seconds, struct msp_error *err)
{
	char first[64];
	double v;

	if (!text || sscanf(text, "%63s", first) != 1 || msp_num_double(first, &v) < 0 || v < 0)
		return msp_error_set(err, MSP_EINVAL, "cannot parse uptime '%.40s'", text ? text : "");
	*ret_seconds = v;
	return 0;
}

/* "3 days, 4 hours, 5 minutes" (seconds only below a minute). */
static void words(double seconds, char *buf, size_t len)
{
	long s = (long)seconds, d = s / 86400, h = s % 86400 / 3600, m = s % 3600 / 60;
	struct msp_buf b;

	msp_buf_init(&b, len - 1);
	if (d)
		msp_buf_addf(&b, "%ld day%s, ", d, d == 1 ? "" : "s");
	if (d || h)
		msp_buf_addf(&b, "%ld hour%s, ", h, h == 1 ? "" : "s");
	if (s < 60)
		msp_buf_addf(&b, "%ld second%s", s, s == 1 ? "" : "s");
	else
		msp_buf_addf(&b, "%ld minute%s", m, m == 1 ? "" : "s");
	snprintf(buf, len, "%s", msp_buf_str(&b));
	msp_buf_release(&b);
}

/*
 * -w 10d -c 5d read as minimum uptimes: say so on a line of its own, with
 * what to write for a maximum, and which minimum was missed into why
 * (" - less than 5d: rebooted recently"; "" when OK or not read so).
 */
static void reading_aid(const struct check_uptime_config *cfg, enum msp_state st, char *why, size_t len,
			struct msp_result *root)
{
	const char *w = cfg->warn_text, *c = cfg->crit_text;

	why[0] = '\0';
	if (!cfg->minimum_pair || !w || !c)
		return;
	if (st == MSP_STATE_CRITICAL || st == MSP_STATE_WARNING)
		snprintf(why, len, " - less than %.30s: rebooted recently", st == MSP_STATE_CRITICAL ? c : w);
	msp_result_add_note(root,
			    "-w %.30s -c %.30s read as minimum uptimes (%.30s: %.30s:): up less than %.30s is WARNING, "
			    "less than %.30s CRITICAL; to alert when up too long write -w %.30s -c %.30s",
			    w, c, w, c, w, c, c, w);
}

int check_uptime_evaluate(const struct check_uptime_config *cfg, double uptime, time_t now, struct msp_result *root)
{
	char text[160], since[MSP_TIME_FORMAT_MAX], why[96];
	enum msp_state st = msp_threshold_eval(&cfg->th, uptime);
	struct msp_perf *p;

	msp_result_set_state(root, st);
	p = msp_result_add_perf(root, "uptime", floor(uptime), "s", &cfg->th);
	if (!p)
		return MSP_ENOMEM;
	p->decimals = 0;
	msp_perf_set_min(p, 0);
	if (cfg->show_for)
		words(uptime, text, sizeof(text));
	else
		msp_num_human_duration(uptime, text, sizeof(text));
	msp_time_format((double)now - uptime, since, sizeof(since));
	reading_aid(cfg, st, why, sizeof(why), root);
	if (!why[0] && st != MSP_STATE_OK && uptime < 3600)
		snprintf(why, sizeof(why), " - rebooted recently");
	if (cfg->show_since)
		return msp_result_set_text(root, "up since %s (%s)%s", since, text, why);
	return msp_result_set_text(root, "up for %s%s", text, why);
}

static int uptime_check(void *vcfg, const struct msp_context *ctx, struct msp_result *root, struct msp_error *err)
{
	struct check_uptime_config *cfg = vcfg;
	char path[4096];
	struct msp_buf b;
	double up = 0;
	int r;

	snprintf(path, sizeof(path), "%s/uptime", cfg->proc_root);
	msp_step("reading %s", path);
	msp_buf_init(&b, 4096);
	r = msp_file_read(path, 4096, &b, err);
	if (r == 0)
		r = check_uptime_parse(msp_buf_str(&b), &up, err);
	msp_buf_release(&b);
	if (r < 0)
		return r;
	r = check_uptime_evaluate(cfg, up, ctx->now, root);
	if (r < 0)
		return msp_error_set(err, r, "out of memory");
	return 0;
}

static const struct msp_plugin plugin = {
	.itl = "uptime",
	.summary = "time since boot as duration ranges: just rebooted (`30m:`), up too long (`26w`), or both",
	.dropin = "monitoring-plugins 2.4+ `check_uptime` (ITL `uptime`)",
	.name = "check_uptime",
	.service = "UPTIME",
	.synopsis = "--warning RANGE --critical RANGE [--for] [--since]",
	.description = "Check the time since the machine booted (/proc/uptime).\n"
		       "A machine that rebooted unexpectedly is what a provider wants to hear about:\n"
		       "give a lower bound (\"-w 30m: -c 10m:\") to be told for a while after each\n"
		       "reboot, an upper bound (\"-w 26w\") to be told about machines that missed\n"
		       "their kernel updates, or both (\"-w 30m:26w\").",
	.notes = "Ranges are the standard syntax with durations (s m h d w; bare numbers are\n"
		 "seconds): \"4w\" alerts above 4 weeks, \"10m:\" below 10 minutes, \"10m:4w\"\n"
		 "outside, \"@0:10m\" inside.  Perfdata: uptime in seconds.\n"
		 "The Icinga 2 ITL \"uptime\" command passes --warning 30m --critical 15m by\n"
		 "default: when both are bare durations and warning is above critical, both\n"
		 "are minimum uptimes (WARNING below 30 minutes, CRITICAL below 15), which is\n"
		 "what those defaults mean; monitoring-plugins check_uptime rejects them.  A\n"
		 "second line says so and what to write for a maximum uptime instead (\"-w 10d\n"
		 "-c 5d\" meant as \"up too long\" is \"-w 5d -c 10d\"); the summary names the\n"
		 "minimum that was missed (\"less than 5d: rebooted recently\").\n"
		 "Examples:\n"
		 "  check_uptime --warning 30m --critical 15m      just rebooted (ITL defaults)\n"
		 "  check_uptime -w 1h:26w -c 10m:52w --since\n"
		 "  check_uptime -w 90d --for                      up too long (missed reboots)",
	.options = options,
	.timeout = 10,
	.timeout_state = MSP_STATE_UNKNOWN,
	.finish = uptime_finish,
	.check = uptime_check,
};

MSP_PLUGIN_MAIN(plugin, struct check_uptime_config)
