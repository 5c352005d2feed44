/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * check_swap - free swap space (drop-in for monitoring-plugins check_swap).
 *
 * probe: read /proc/meminfo (and, with -a, /proc/swaps)
 * parse: msp_meminfo_parse(), check_swap_parse_swaps()      evaluate: check_swap_evaluate()
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_swap.h"

/*
 * -w and -c keep a callback: one level takes a percentage and a size from two
 * uses (-w 20% -w 1GB).  Their Icinga 2 values are the ITL's default reading
 * (swap_wfree/swap_cfree in percent); the ITL's swap_integer switch has no
 * equivalent in a value template, so a size given there fails visibly ("500MB%").
 */
enum { OPT_WARN, OPT_CRIT };

#define MSP_CFG struct check_swap_config
static const struct msp_option options[] = {
	MSP_CALLBACK(OPT_WARN, 'w', "warning", MSP_ARG_REQUIRED, "PERCENT%|SIZE",
		     "WARNING when free swap is at or below PERCENT% of the swap size, or at or\n"
		     "below SIZE (bytes, or with a unit: 500MB, 2GB; KB MB GB TB are powers of 1024).\n"
		     "Give -w twice to set both a percentage and a size: both are checked",
		     .var = "$swap_wfree$%"),
	MSP_CALLBACK(OPT_CRIT, 'c', "critical", MSP_ARG_REQUIRED, "PERCENT%|SIZE",
		     "CRITICAL when free swap is at or below PERCENT% or SIZE (as for -w)", .var = "$swap_cfree$%"),
	MSP_BOOL('a', "allswaps", all_swaps,
		 "Judge every swap device of /proc/swaps on its own (percentages of its own size);\n"
		 "the state is the worst device's, one line per device in the long output",
		 .var = "swap_allswaps"),
	MSP_STATE('n', "no-swap", noswap, "STATE",
		  "State when the machine has no swap at all: ok, warning, critical or unknown.\n"
		  "Give -n ok where a machine without swap is fine",
		  .def = "critical", .given = MSP_GIVEN(noswap_set), .var = "swap_noswap"),
	MSP_PATH(0, "proc-root", proc_root, "DIR", "Read meminfo and swaps from DIR (recorded files, for tests)",
		 .def = "/proc"),
	MSP_OPTION_END,
};

int check_swap_parse_threshold(const char *arg, struct check_swap_level *level, struct msp_error *err)
{
	enum msp_unit unit;
	double v;

	if (!arg || !*arg)
		return 0; /* Debian command files pass '' for an unset threshold */
	if (msp_num_value(arg, MSP_UNIT_PERCENT | MSP_UNIT_SIZE | MSP_NUM_SIZE_1024, 1, &v, &unit, err) < 0)
		return msp_error_set(err, MSP_EINVAL, "cannot parse threshold '%.60s': want PERCENT%% or a size", arg);
	if (v < 0)
		return msp_error_set(err, MSP_EINVAL, "cannot parse threshold '%.60s': negative", arg);
	if (unit == MSP_UNIT_PERCENT) {
		if (v > 100)
			return msp_error_set(err, MSP_EINVAL, "threshold '%.60s' is above 100%%", arg);
		level->percent = v;
		level->percent_text = arg;
	} else {
		level->bytes = v;
		level->bytes_text = arg;
	}
	return 0;
}

static int swap_option(void *vcfg, int id, const char *arg, struct msp_error *err)
{
	struct check_swap_config *cfg = vcfg;

	return check_swap_parse_threshold(arg, id == OPT_WARN ? &cfg->warn : &cfg->crit, err);
}

/* Free swap alerts at or below the levels: a warning below its critical is the lib's "beyond" (kinds apart). */
static int check_order(const struct check_swap_level *w, const struct check_swap_level *c, struct msp_error *err)
{
	if (w->percent && c->percent &&
	    msp_check_order_values(w->percent, c->percent, false, "--warning", w->percent_text, "--critical",
				   c->percent_text, err) < 0)
		return MSP_EINVAL;
	if (w->bytes && c->bytes &&
	    msp_check_order_values(w->bytes, c->bytes, false, "--warning", w->bytes_text, "--critical", c->bytes_text,
				   err) < 0)
		return MSP_EINVAL;
	return 0;
}

static int swap_finish(void *vcfg, const struct msp_context *ctx, struct msp_error *err)
{
	struct check_swap_config *cfg = vcfg;

	(void)ctx;
	/* A zero threshold is no threshold (the reference's reading), so "-w 0 -c 0" sets none. */
	if (!cfg->warn.percent && !cfg->warn.bytes && !cfg->crit.percent && !cfg->crit.bytes)
		return msp_error_set(err, MSP_EINVAL, "missing thresholds: give -w and/or -c (PERCENT%% or SIZE)");
	return check_order(&cfg->warn, &cfg->crit, err);
}

int check_swap_from_meminfo(const struct msp_meminfo *mi, struct check_swap_sample *ret, struct msp_error *err)
{
	uint64_t total, free;

	if (!msp_meminfo_get(mi, "SwapTotal", &total) || !msp_meminfo_get(mi, "SwapFree", &free))
		return msp_error_set(err, MSP_EINVAL, "meminfo lacks SwapTotal or SwapFree");
	if (free > total)
		return msp_error_set(err, MSP_EINVAL, "meminfo says more swap is free than there is");
	ret->total = total;
	ret->free = free;
	return 0;
}

/* One /proc/swaps line: "Filename Type Size Used Priority", sizes in KiB. */
static int parse_swaps_line(const char *line, struct check_swap_device *ret, struct msp_error *err)
{
	char name[CHECK_SWAP_NAME_MAX], type[32], size[32], used[32], prio[32], extra[2];
	uint64_t sz, us;

	if (sscanf(line, "%255s %31s %31s %31s %31s %1s", name, type, size, used, prio, extra) != 5 ||
	    msp_num_uint64(size, UINT64_MAX / 1024, &sz) < 0 || msp_num_uint64(used, UINT64_MAX / 1024, &us) < 0 ||
	    us > sz)
		return msp_error_set(err, MSP_EINVAL, "cannot parse swaps line '%.60s'", line);
	memcpy(ret->name, name, sizeof(name));
	ret->size = sz * 1024;
	ret->used = us * 1024;
	return 0;
}

int check_swap_parse_swaps(const char *text, struct check_swap_device **ret_dev, size_t *ret_n, struct msp_error *err)
{
	struct check_swap_device *dev = NULL;
	const char *p = text;
	size_t n = 0, lineno = 0;
	int r = 0;

	while (p && *p) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		char line[512];

		if (len >= sizeof(line)) {
			r = msp_error_set(err, MSP_EINVAL, "swaps line %zu is too long", lineno + 1);
			goto out;
		}
		memcpy(line, p, len);
		line[len] = '\0';
		p += len + (nl ? 1 : 0);
		if (lineno++ == 0) {
			if (strncmp(line, "Filename", 8) != 0) {
				r = msp_error_set(err, MSP_EINVAL, "swaps does not start with its header line");
				goto out;
			}
			continue;
		}
		if (line[strspn(line, " \t")] == '\0')
			continue;
		{
			struct check_swap_device *nd = realloc(dev, (n + 1) * sizeof(*dev));

			if (!nd) {
				r = msp_error_set(err, MSP_ENOMEM, "out of memory");
				goto out;
			}
			dev = nd;
		}
		r = parse_swaps_line(line, &dev[n], err);
		if (r < 0)
			goto out;
		n++;
	}
	if (lineno == 0) {
		r = msp_error_set(err, MSP_EINVAL, "swaps is empty");
		goto out;
	}
	*ret_dev = dev;
	*ret_n = n;
	dev = NULL;
out:
	free(dev);
	return r;
}

static bool level_alerts(const struct check_swap_level *l, uint64_t free, uint64_t total)
{
	if (l->percent > 0 && (double)free * 100.0 <= l->percent * (double)total)
		return true;
	return l->bytes > 0 && (double)free <= l->bytes;
}

static enum msp_state judge(const struct check_swap_config *cfg, uint64_t free, uint64_t total)
{
	if (level_alerts(&cfg->crit, free, total))
		return MSP_STATE_CRITICAL;
	if (level_alerts(&cfg->warn, free, total))
		return MSP_STATE_WARNING;
	return MSP_STATE_OK;
}

/* The perfdata threshold of a level: its size, else its percentage of total (the reference's choice). */
static double level_bytes(const struct check_swap_level *l, uint64_t total)
{
	if (l->bytes > 0)
		return floor(l->bytes);
	return floor(l->percent * (double)total / 100.0);
}

/* "56% free (57MB out of 103MB)": MB are whole MiB rounded down and the percentage rounded, as the reference. */
static void describe(uint64_t free, uint64_t total, char *buf, size_t len)
{
	double pct = total ? round((double)free * 100.0 / (double)total) : 0;

	snprintf(buf, len, "%.0f%% free (%lluMB out of %lluMB)", pct, (unsigned long long)(free >> 20),
		 (unsigned long long)(total >> 20));
}

int check_swap_evaluate(const struct check_swap_config *cfg, const struct check_swap_sample *s, struct msp_result *root)
{
	struct msp_threshold th = { .has_warn = true, .has_crit = true };
	enum msp_state st;
	struct msp_perf *p;
	char text[128];

	describe(s->free, s->total, text, sizeof(text));
	th.warn.end = level_bytes(&cfg->warn, s->total);
	th.crit.end = level_bytes(&cfg->crit, s->total);
	p = msp_result_add_perf(root, "swap", (double)s->free, "B", &th);
	if (!p)
		return MSP_ENOMEM;
	p->decimals = 0;
	msp_perf_set_min(p, 0);
	msp_perf_set_max(p, (double)s->total);
	if (s->total == 0) {
		msp_result_set_state(root, cfg->noswap);
		/*
		 * Line 1 is the reference's, word for word.  Without -n the state is the default
		 * CRITICAL, and the option that sets it is named on a further line (a note).
		 */
		if (!cfg->noswap_set &&
		    !msp_result_add_note(root,
					 "no swap: -n/--no-swap=STATE sets this state (%s by default); give "
					 "-n ok where a machine without swap is fine",
					 msp_state_name(cfg->noswap)))
			return MSP_ENOMEM;
		return msp_result_set_text(root, "%s - Swap is either disabled, not present, or of zero size.", text);
	}
	if (!cfg->all_swaps) {
		msp_result_set_state(root, judge(cfg, s->free, s->total));
		return msp_result_set_text(root, "%s", text);
	}
	/* -a: the worst device decides; a device list that cannot be matched with meminfo is no answer. */
	st = s->ndev ? MSP_STATE_OK : MSP_STATE_UNKNOWN;
	for (size_t i = 0; i < s->ndev; i++) {
		const struct check_swap_device *d = &s->dev[i];
		enum msp_state ds = d->size ? judge(cfg, d->size - d->used, d->size) : cfg->noswap;
		char dt[128];

		describe(d->size - d->used, d->size, dt, sizeof(dt));
		if (!msp_result_add_child(root, ds, "%s: %s", d->name, dt))
			return MSP_ENOMEM;
		st = msp_state_worst(st, ds);
	}
	msp_result_set_state(root, st);
	if (!s->ndev)
		return msp_result_set_text(root, "%s - meminfo reports swap but /proc/swaps lists no device", text);
	return msp_result_set_text(root, "%s", text);
}

static int read_swaps(const struct check_swap_config *cfg, struct check_swap_sample *s, struct msp_error *err)
{
	char path[4096];
	struct msp_buf b;
	int r;

	snprintf(path, sizeof(path), "%s/swaps", cfg->proc_root);
	msp_step("reading %s", path);
	msp_buf_init(&b, 1 << 20);
	r = msp_file_read(path, 1 << 20, &b, err);
	if (r == 0)
		r = check_swap_parse_swaps(msp_buf_str(&b), &s->dev, &s->ndev, err);
	msp_buf_release(&b);
	return r;
}

static int swap_check(void *vcfg, const struct msp_context *ctx, struct msp_result *root, struct msp_error *err)
{
	struct check_swap_config *cfg = vcfg;
	struct check_swap_sample s = { 0 };
	struct msp_meminfo mi;
	int r;

	msp_step("reading %s/meminfo", cfg->proc_root);
	r = msp_meminfo_read(cfg->proc_root, &mi, err);
	if (r == 0)
		r = check_swap_from_meminfo(&mi, &s, err);
	if (r == 0 && cfg->all_swaps && s.total > 0)
		r = read_swaps(cfg, &s, err);
	if (r < 0)
		goto out;
	msp_verbose(ctx, 1, "swap: total %llu free %llu bytes, %zu devices\n", (unsigned long long)s.total,
		    (unsigned long long)s.free, s.ndev);
	r = check_swap_evaluate(cfg, &s, root);
	if (r < 0)
		msp_error_set(err, r, "out of memory");
out:
	free(s.dev);
	return r;
}

/* "SWAP OK - 100% free (...) |swap=...": a blank before the bar, none after it */
static const struct msp_nagios_style nagios_style = { .perf_sep = " |", .no_children = true };

static const struct msp_plugin plugin = {
	.itl = "swap",
	.nagios = &nagios_style,
	.name = "check_swap",
	.summary = "free swap space (percent or size), each swap device with `-a`, a settable state for no swap",
	.dropin = "monitoring-plugins `check_swap`",
	.service = "SWAP",
	.synopsis = "[-a] -w PERCENT%|SIZE -c PERCENT%|SIZE [-n STATE]",
	.description = "Check free swap space on the local machine (/proc/meminfo; /proc/swaps with -a).\n"
		       "A threshold alerts when free swap is at or below it; both a percentage and a\n"
		       "size may be given per level (-w 20% -w 1GB) and both are checked.",
	.notes = "Perfdata: swap=FREE_BYTES;WARN;CRIT;0;TOTAL_BYTES (WARN/CRIT are the size\n"
		 "thresholds, or the percentages turned into bytes).\n"
		 "Differences from monitoring-plugins check_swap 2.3.3 (deliberate):\n"
		 "  - sizes take units: \"-w 500MB\" is 500 MiB; the reference reads it as 500\n"
		 "    bytes (it ignores everything after the number)\n"
		 "  - free swap is compared in exact bytes and exact percent; the reference first\n"
		 "    rounds free swap down to whole MiB and the percentage to a whole number, so\n"
		 "    near a threshold it may alert a little early; perfdata values are exact too\n"
		 "  - -a judges each device of /proc/swaps; the reference on Linux ignores -a\n"
		 "  - negative or unparseable thresholds (\"-5\", \"abc\", \"20%,10%\") and stray\n"
		 "    arguments are errors (UNKNOWN); the reference reads \"-5\" as a huge size,\n"
		 "    \"abc\" as 0 and ignores stray arguments\n"
		 "  - -t, --timeout-result and --output-format are accepted (standard options)\n"
		 "  - no swap without -n: the reference's line is followed by a second one naming\n"
		 "    -n, the option that sets this state (with -n, the reference's line alone)\n"
		 "Examples:\n"
		 "  check_swap -w 20% -c 10%\n"
		 "  check_swap -w 50% -c 500MB -n ok     (a machine without swap is fine)\n"
		 "  check_swap -a -w 30% -c 10%",
	.options = options,
	.timeout = 10,
	.timeout_state = MSP_STATE_UNKNOWN,
	.option = swap_option,
	.finish = swap_finish,
	.check = swap_check,
};

MSP_PLUGIN_MAIN(plugin, struct check_swap_config)
