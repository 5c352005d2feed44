/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * check_mem - used or available memory, based on the kernel's MemAvailable.
 *
 * probe: read /proc/meminfo
 * parse: msp_meminfo_parse(), check_mem_sample_from()      evaluate: check_mem_evaluate()
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_mem.h"

#define MSP_CFG struct check_mem_config
static const struct msp_option options[] = {
	/* kept as text until the mode is known: the ITL passes -c and -w before -u/-f (sorted keys) */
	MSP_STRING('w', "warning", warn_text, "RANGE",
		   "WARNING outside RANGE; numbers are percent of MemTotal (80, 80%) or sizes with\n"
		   "a unit (2GB, 512MiB; KB MB GB TB are powers of 1024).  With -u a plain N alerts\n"
		   "above N, with -f below N (so with -f warning is above critical: -f -w 20 -c 10);\n"
		   "full ranges (10:90, @0:5) are taken as written",
		   .var = "mem_warning"),
	MSP_STRING('c', "critical", crit_text, "RANGE", "CRITICAL outside RANGE (as for -w)", .var = "mem_critical"),
	MSP_BOOL('u', "used", opt_used, "Judge used memory: MemTotal - MemAvailable (the default)", .var = "mem_used"),
	MSP_BOOL('f', "free", opt_available,
		 "Judge available memory: MemAvailable (what can be given to programs without\n"
		 "swapping: free memory plus the page cache and slab the kernel can reclaim)",
		 .var = "mem_free"),
	MSP_BOOL('a', "available", opt_available, "Same as -f", .var = "mem_available"),
	MSP_BOOL('C', "cache", opt_cache,
		 "Count reclaimable caches as free: always so here (MemAvailable already does);\n"
		 "accepted for the Icinga 2 ITL \"mem\" command",
		 .var = "mem_cache"),
	MSP_BOOL(0, "estimate-available", estimate,
		 "On kernels without MemAvailable (before Linux 3.14) estimate it as MemFree +\n"
		 "Buffers + Cached + SReclaimable - Shmem (an upper bound); without this option\n"
		 "such a kernel gives UNKNOWN",
		 .var = "mem_estimate_available"),
	MSP_PATH(0, "proc-root", proc_root, "DIR", "Read meminfo from DIR (recorded files, for tests)", .def = "/proc"),
	MSP_OPTION_END,
};

int check_mem_parse_threshold(const char *arg, enum check_mem_mode mode, struct msp_range *ret, struct msp_error *err)
{
	struct msp_range r;

	if (msp_range_parse(arg, MSP_UNIT_PERCENT | MSP_UNIT_SIZE | MSP_NUM_SIZE_1024, 1, &r, err) < 0)
		return MSP_EINVAL;
	if (r.unit != MSP_UNIT_SIZE && ((!r.end_inf && r.end > 100) || (!r.start_inf && r.start > 100)))
		return msp_error_set(err, MSP_EINVAL, "cannot parse '%.60s': a percentage above 100", arg);
	/* "-f -w 20": available below 20% is the alert, as every free-memory check reads it */
	if (mode == CHECK_MEM_AVAILABLE && msp_range_is_plain_upper(&r) && !strchr(arg, ':')) {
		r.start = r.end;
		r.end_inf = true;
	}
	*ret = r;
	return 0;
}

/*
 * The lib's order rule (msp_threshold_check_order) on the parsed ranges, kinds
 * (percent, size) apart; its message, quoting the values as given (-f turns
 * "10" into "10:", sizes become bytes).  Where the mode explains the slip
 * (-u's order with -f or the other way round), say what to write instead.
 */
static int check_order(const struct check_mem_config *cfg, struct msp_error *err)
{
	struct msp_threshold t = { .warn = cfg->warn, .crit = cfg->crit, .has_warn = true, .has_crit = true };
	bool used = cfg->mode == CHECK_MEM_USED;

	if (!cfg->has_warn || !cfg->has_crit || (t.warn.unit == MSP_UNIT_SIZE) != (t.crit.unit == MSP_UNIT_SIZE))
		return 0; /* different kinds are not compared */
	if (msp_threshold_check_order(&t, "--warning", "--critical", NULL) == 0)
		return 0;
	if (used != msp_range_is_plain_upper(&t.warn)) /* the lib's message alone: 1 beyond 0 */
		return msp_check_order_values(1, 0, true, "--warning", cfg->warn_text, "--critical", cfg->crit_text, err);
	return msp_error_set(err, MSP_EINVAL,
			     "warning threshold --warning '%.30s' is beyond critical threshold --critical '%.30s': %s, "
			     "so swap them (-w %.30s -c %.30s) or give %s",
			     cfg->warn_text, cfg->crit_text,
			     used ? "used memory alerts above them" : "with -f they are available memory and alert below them",
			     cfg->crit_text, cfg->warn_text, used ? "-f for available memory" : "-u for used memory");
}

static int mem_finish(void *vcfg, const struct msp_context *ctx, struct msp_error *err)
{
	struct check_mem_config *cfg = vcfg;

	(void)ctx;
	if (cfg->opt_used && cfg->opt_available)
		return msp_error_set(err, MSP_EINVAL, "give either -u (used) or -f/-a (available), not both");
	cfg->mode = cfg->opt_available ? CHECK_MEM_AVAILABLE : CHECK_MEM_USED;
	cfg->has_warn = cfg->warn_text != NULL;
	cfg->has_crit = cfg->crit_text != NULL;
	if (cfg->has_warn && check_mem_parse_threshold(cfg->warn_text, cfg->mode, &cfg->warn, err) < 0)
		return MSP_EINVAL;
	if (cfg->has_crit && check_mem_parse_threshold(cfg->crit_text, cfg->mode, &cfg->crit, err) < 0)
		return MSP_EINVAL;
	if (!cfg->has_warn && !cfg->has_crit)
		return msp_error_set(err, MSP_EINVAL, "missing thresholds: give -w and/or -c");
	return check_order(cfg, err);
}

static uint64_t field_or_zero(const struct msp_meminfo *mi, const char *name)
{
	uint64_t v = 0;

	msp_meminfo_get(mi, name, &v);
	return v;
}

int check_mem_sample_from(const struct msp_meminfo *mi, bool estimate, struct check_mem_sample *ret,
			  struct msp_error *err)
{
	struct check_mem_sample s = { 0 };

	if (!msp_meminfo_get(mi, "MemTotal", &s.total) || s.total == 0)
		return msp_error_set(err, MSP_EINVAL, "meminfo has no MemTotal");
	if (!msp_meminfo_get(mi, "MemFree", &s.free) || !msp_meminfo_get(mi, "Buffers", &s.buffers) ||
	    !msp_meminfo_get(mi, "Cached", &s.page_cache))
		return msp_error_set(err, MSP_EINVAL, "meminfo lacks MemFree, Buffers or Cached");
	if (!msp_meminfo_get(mi, "MemAvailable", &s.available)) {
		uint64_t shmem = field_or_zero(mi, "Shmem"), est;

		if (!estimate)
			return msp_error_set(err, MSP_EINVAL,
					     "meminfo has no MemAvailable (Linux < 3.14): use --estimate-available");
		est = s.free + s.buffers + s.page_cache + field_or_zero(mi, "SReclaimable");
		est = est > shmem ? est - shmem : 0;
		s.available = est < s.total ? est : s.total;
		s.estimated = true;
	}
	if (s.available > s.total || s.free > s.total)
		return msp_error_set(err, MSP_EINVAL, "meminfo says more memory is available than MemTotal");
	*ret = s;
	return 0;
}

/* Add a perfdata item in bytes with min 0 and max total. */
static int add_bytes(struct msp_result *root, const char *label, uint64_t v, uint64_t total,
		     const struct msp_threshold *th)
{
	struct msp_perf *p = msp_result_add_perf(root, label, (double)v, "B", th);

	if (!p)
		return MSP_ENOMEM;
	p->decimals = 0;
	msp_perf_set_min(p, 0);
	msp_perf_set_max(p, (double)total);
	return 0;
}

static int add_perfdata(const struct check_mem_config *cfg, const struct check_mem_sample *s, double pct_used,
			struct msp_result *root)
{
	struct msp_threshold pct = { cfg->warn, cfg->crit, false, false };
	struct msp_threshold size = pct;
	bool used = cfg->mode == CHECK_MEM_USED;
	struct msp_perf *p;
	int r;

	/* each threshold goes to the item it was written for: percent or bytes */
	pct.has_warn = cfg->has_warn && cfg->warn.unit != MSP_UNIT_SIZE;
	pct.has_crit = cfg->has_crit && cfg->crit.unit != MSP_UNIT_SIZE;
	size.has_warn = cfg->has_warn && cfg->warn.unit == MSP_UNIT_SIZE;
	size.has_crit = cfg->has_crit && cfg->crit.unit == MSP_UNIT_SIZE;
	p = msp_result_add_perf(root, used ? "used_pct" : "available_pct", used ? pct_used : 100 - pct_used, "%", &pct);
	if (!p)
		return MSP_ENOMEM;
	p->decimals = 2;
	msp_perf_set_min(p, 0);
	msp_perf_set_max(p, 100);
	r = add_bytes(root, "used", s->total - s->available, s->total, used ? &size : NULL);
	if (!r)
		r = add_bytes(root, "available", s->available, s->total, used ? NULL : &size);
	if (!r)
		r = add_bytes(root, "free", s->free, s->total, NULL);
	if (!r)
		r = add_bytes(root, "buffers", s->buffers, s->total, NULL);
	if (!r)
		r = add_bytes(root, "page_cache", s->page_cache, s->total, NULL);
	return r;
}

/* State of one threshold: percent ranges judge the percentage, size ranges the bytes. */
static bool alerts(const struct msp_range *r, double pct, double bytes)
{
	return msp_range_alert(r, r->unit == MSP_UNIT_SIZE ? bytes : pct);
}

int check_mem_evaluate(const struct check_mem_config *cfg, const struct check_mem_sample *s, struct msp_result *root)
{
	bool used = cfg->mode == CHECK_MEM_USED;
	uint64_t used_b = s->total - s->available;
	double pct_used = (double)used_b * 100.0 / (double)s->total;
	double v_pct = used ? pct_used : 100.0 - pct_used;
	double v_bytes = (double)(used ? used_b : s->available);
	enum msp_state st = MSP_STATE_OK;
	char a[64], b[64], t[64];
	int r;

	if (cfg->has_crit && alerts(&cfg->crit, v_pct, v_bytes))
		st = MSP_STATE_CRITICAL;
	else if (cfg->has_warn && alerts(&cfg->warn, v_pct, v_bytes))
		st = MSP_STATE_WARNING;
	msp_result_set_state(root, st);
	r = add_perfdata(cfg, s, pct_used, root);
	if (r < 0)
		return r;
	msp_num_human_size((double)used_b, a, sizeof(a));
	msp_num_human_size((double)s->available, b, sizeof(b));
	msp_num_human_size((double)s->total, t, sizeof(t));
	if (used)
		return msp_result_set_text(root, "%.1f%% used (%s of %s), %s available%s", pct_used, a, t, b,
					   s->estimated ? " (estimated: no MemAvailable)" : "");
	return msp_result_set_text(root, "%.1f%% available (%s of %s), %s used%s", 100.0 - pct_used, b, t, a,
				   s->estimated ? " (estimated: no MemAvailable)" : "");
}

static int mem_check(void *vcfg, const struct msp_context *ctx, struct msp_result *root, struct msp_error *err)
{
	struct check_mem_config *cfg = vcfg;
	struct check_mem_sample s;
	struct msp_meminfo mi;
	int r;

	msp_step("reading %s/meminfo", cfg->proc_root);
	r = msp_meminfo_read(cfg->proc_root, &mi, err);
	if (r == 0)
		r = check_mem_sample_from(&mi, cfg->estimate, &s, err);
	if (r < 0)
		return r;
	msp_verbose(ctx, 1, "mem: total %llu available %llu free %llu bytes\n", (unsigned long long)s.total,
		    (unsigned long long)s.available, (unsigned long long)s.free);
	r = check_mem_evaluate(cfg, &s, root);
	if (r < 0)
		return msp_error_set(err, r, "out of memory");
	return 0;
}

static const struct msp_plugin plugin = {
	.name = "check_mem",
	.summary = "used or available memory (MemAvailable based: reclaimable page cache is not \"used\"), percent or "
		   "size, cache and buffers in perfdata; the options of the Icinga 2 ITL `mem` command",
	.service = "MEM",
	.synopsis = "[-u | -f | -a] [-C] -w RANGE -c RANGE [--estimate-available]",
	.description = "Check used or available memory on the local machine (/proc/meminfo).\n"
		       "Available memory is the kernel's MemAvailable: free memory plus the page\n"
		       "cache and slab it can reclaim without swapping.  Used memory is MemTotal -\n"
		       "MemAvailable, so a machine whose RAM is mostly page cache is not \"full\".",
	.notes = "Perfdata (bytes unless marked): used_pct or available_pct (%, carries percent\n"
		 "thresholds), used, available (the judged one carries size thresholds), free\n"
		 "(MemFree), buffers (Buffers), page_cache (Cached), all with min 0 and max MemTotal.\n"
		 "Compatible with the Icinga 2 ITL \"mem\" command (check_mem.pl): -u, -f, -a, -C,\n"
		 "-w and -c as percentages (\"-u -w 80 -c 90\", \"-f -w 20 -c 10\").  Unlike\n"
		 "check_mem.pl, caches the kernel can reclaim always count as available (-C is\n"
		 "implied), and a boundary value alerts only beyond it (80% used with -w 80 is OK).\n"
		 "A kernel without MemAvailable is UNKNOWN unless --estimate-available is given:\n"
		 "an answer that may be wrong is never given silently.\n"
		 "Examples:\n"
		 "  check_mem -w 80 -c 90                 used above 80% / 90%\n"
		 "  check_mem -f -w 20% -c 1GB            available below 20% / below 1 GiB\n"
		 "  check_mem -u -w 80 -c @95:100         ranges as written",
	.options = options,
	.timeout = 10,
	.timeout_state = MSP_STATE_UNKNOWN,
	.finish = mem_finish,
	.check = mem_check,
};

MSP_PLUGIN_MAIN(plugin, struct check_mem_config)
