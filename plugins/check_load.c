/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * check_load - system load average (drop-in for monitoring-plugins check_load).
 *
 * probe: read /proc/loadavg (and, with -n, the processes through msp_proc)
 * parse: check_load_parse()      evaluate: check_load_evaluate()
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check_load.h"

/* -w/-c keep a callback: three thresholds in one value. */
enum { OPT_WARN, OPT_CRIT };

#define MSP_CFG struct check_load_config
static const struct msp_option options[] = {
	MSP_CALLBACK(OPT_WARN, 'w', "warning", MSP_ARG_REQUIRED, "WLOAD1[,WLOAD5,WLOAD15]",
		     "WARNING when a load average is above WLOADn (or outside a range such as 2:8)\n"
		     "One value applies to all three; missing values repeat the last one",
		     .var = "$load_wload1$,$load_wload5$,$load_wload15$"),
	MSP_CALLBACK(OPT_CRIT, 'c', "critical", MSP_ARG_REQUIRED, "CLOAD1[,CLOAD5,CLOAD15]",
		     "CRITICAL when a load average is above CLOADn", .var = "$load_cload1$,$load_cload5$,$load_cload15$"),
	MSP_BOOL('r', "percpu", percpu, "Divide the load averages by the number of online CPUs", .var = "load_percpu"),
	MSP_INT('n', "procs-to-show", procs_to_show, "N", 0, 1000,
		"List the N processes using the most CPU after line 1, in ps's columns as the\n"
		"reference prints them (0 = none); read from /proc, no ps is run",
		.def = "0", .var = "load_procs_to_show"),
	MSP_PATH(0, "proc-root", proc_root, "DIR", NULL, .def = "/proc"),
	MSP_OPTION_END,
};

int check_load_parse_thresholds(const char *arg, struct msp_range ret[3], struct msp_error *err)
{
	struct msp_range r[3];
	char part[128];
	const char *p = arg;
	bool more = false; /* text after the comma that ended the third value */
	int n = 0;

	if (!arg || !*arg)
		return msp_error_set(err, MSP_EINVAL, "load threshold is empty");
	while (n < 3) {
		const char *comma = strchr(p, ',');
		size_t len = comma ? (size_t)(comma - p) : strlen(p);

		if (len == 0 && comma)
			return msp_error_set(err, MSP_EINVAL, "cannot parse load threshold '%.60s': empty value", arg);
		if (len == 0)
			break;
		if (len >= sizeof(part))
			return msp_error_set(err, MSP_EINVAL, "cannot parse load threshold '%.60s': too long", arg);
		memcpy(part, p, len);
		part[len] = '\0';
		if (msp_range_parse(part, MSP_UNIT_NONE, 1, &r[n], err) < 0)
			return MSP_EINVAL;
		n++;
		if (!comma)
			break;
		p = comma + 1;
		more = n == 3 && *p;
	}
	if (n == 0)
		return msp_error_set(err, MSP_EINVAL, "cannot parse load threshold '%.60s'", arg);
	/* A trailing comma is tolerated (the reference does); a fourth value is not silently dropped. */
	if (more)
		return msp_error_set(err, MSP_EINVAL, "cannot parse load threshold '%.60s': more than three values", arg);
	for (int i = n; i < 3; i++)
		r[i] = r[n - 1];
	memcpy(ret, r, sizeof(r));
	return 0;
}

static int load_option(void *vcfg, int id, const char *arg, struct msp_error *err)
{
	struct check_load_config *cfg = vcfg;

	/* '' arrives as it is: an empty threshold is an error, as in the reference */
	if (id == OPT_WARN) {
		cfg->has_warn = true;
		return check_load_parse_thresholds(arg, cfg->warn, err);
	}
	cfg->has_crit = true;
	return check_load_parse_thresholds(arg, cfg->crit, err);
}

static int load_finish(void *vcfg, const struct msp_context *ctx, struct msp_error *err)
{
	struct check_load_config *cfg = vcfg;
	static const int minutes[3] = { 1, 5, 15 };

	if (!cfg->has_warn && !cfg->has_crit)
		return msp_error_set(err, MSP_EINVAL, "missing thresholds: give -w and -c");
	/* As in the reference, an unset threshold is 0 (so -c alone warns at any load). */
	for (int i = 0; i < 3; i++) {
		if (!cfg->has_warn)
			cfg->warn[i] = (struct msp_range){ .end = 0 };
		if (!cfg->has_crit)
			cfg->crit[i] = (struct msp_range){ .end = 0 };
		if (msp_range_is_plain_upper(&cfg->warn[i]) && msp_range_is_plain_upper(&cfg->crit[i]) &&
		    cfg->warn[i].end > cfg->crit[i].end)
			return msp_error_set(err, MSP_EINVAL, "%d-minute warning load is greater than critical load",
					     minutes[i]);
	}
	return 0;
}

int check_load_parse(const char *text, struct check_load_sample *ret, struct msp_error *err)
{
	char f[3][64];
	double v[3];

	if (sscanf(text, "%63s %63s %63s", f[0], f[1], f[2]) != 3)
		return msp_error_set(err, MSP_EINVAL, "cannot parse load averages '%.40s'", text);
	for (int i = 0; i < 3; i++)
		if (msp_num_double(f[i], &v[i]) < 0 || v[i] < 0)
			return msp_error_set(err, MSP_EINVAL, "cannot parse load average '%.40s'", f[i]);
	memcpy(ret->load, v, sizeof(v));
	return 0;
}

int check_load_evaluate(const struct check_load_config *cfg, const struct check_load_sample *s,
			struct msp_result *root)
{
	static const char *const labels[3] = { "load1", "load5", "load15" };
	static const char *const scaled_labels[3] = { "scaled_load1", "scaled_load5", "scaled_load15" };
	enum msp_state st = MSP_STATE_OK;
	double shown[3];
	long ncpu = s->ncpu > 0 ? s->ncpu : 1;

	for (int i = 0; i < 3; i++) {
		struct msp_threshold th = { cfg->warn[i], cfg->crit[i], true, true };
		struct msp_perf *p;

		shown[i] = cfg->percpu ? s->load[i] / (double)ncpu : s->load[i];
		st = msp_state_worst(st, msp_threshold_eval(&th, shown[i]));
		p = msp_result_add_perf(root, labels[i], s->load[i], "", cfg->percpu ? NULL : &th);
		if (!p)
			return MSP_ENOMEM;
		/* the reference writes load1=0.450;1.000;2.000;0; (three decimals, the empty max field) */
		p->decimals = 3;
		p->fixed = p->keep_fields = true;
		msp_perf_set_min(p, 0);
		if (cfg->percpu) {
			p = msp_result_add_perf(root, scaled_labels[i], shown[i], "", &th);
			if (!p)
				return MSP_ENOMEM;
			p->decimals = 3;
			p->fixed = p->keep_fields = true;
			msp_perf_set_min(p, 0);
		}
	}
	msp_result_set_state(root, st);
	if (cfg->percpu)
		return msp_result_set_text(root,
					   "scaled load average: %.2f, %.2f, %.2f - total load average: %.2f, %.2f, %.2f",
					   shown[0], shown[1], shown[2], s->load[0], s->load[1], s->load[2]);
	return msp_result_set_text(root, "total load average: %.2f, %.2f, %.2f", s->load[0], s->load[1], s->load[2]);
}

/* ------------------------------------------------------------ -n probe */

/* One process as the reference's `ps -eo stat,uid,pid,ppid,vsz,rss,pcpu,etime,comm,args` row. */
struct proc_cpu {
	long pid;
	double pcpu;
	char *row; /* owned: the columns after %CPU are fixed when the process is read */
	char head[64];
};

struct proc_list {
	struct proc_cpu *v;
	size_t n, cap;
	const struct msp_proc_system *sys;
};

static int by_cpu(const void *a, const void *b)
{
	const struct proc_cpu *x = a, *y = b;

	/* the busiest first; equal ones by pid, so the list does not depend on qsort */
	if (x->pcpu != y->pcpu)
		return (x->pcpu < y->pcpu) - (x->pcpu > y->pcpu);
	return (x->pid > y->pid) - (x->pid < y->pid);
}

/* msp_proc_foreach callback: keep each process's row and %CPU (CPU time over lifetime, as ps computes it). */
static int collect_proc(const struct msp_proc *p, void *data)
{
	struct proc_list *l = data;
	struct proc_cpu *c;
	char stat[8], etime[32], comm[16];
	struct msp_buf row;

	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 256;
		struct proc_cpu *nv = realloc(l->v, cap * sizeof(*nv));

		if (!nv)
			return MSP_ENOMEM;
		l->v = nv;
		l->cap = cap;
	}
	c = &l->v[l->n];
	c->pid = p->pid;
	c->pcpu = msp_proc_pcpu(p, l->sys);
	msp_proc_stat_text(p, stat);
	snprintf(c->head, sizeof(c->head), "%-4s %5ld %5ld %5ld %6llu %5llu", stat,
		 p->has_status ? p->uid_effective : -1L, p->pid, p->ppid, (unsigned long long)p->vsz_kib,
		 (unsigned long long)p->rss_kib);
	snprintf(comm, sizeof(comm), "%.15s", p->comm);
	msp_buf_init(&row, 256 + MSP_PROC_ARGS_MAX);
	msp_buf_addf(&row, " %11s %-15s %s", msp_proc_etime(p->elapsed_seconds, etime, sizeof(etime)), comm,
		     p->args ? p->args : "");
	c->row = msp_buf_detach(&row);
	if (!c->row)
		return MSP_ENOMEM;
	l->n++;
	return 0;
}

static int add_top_procs(const struct check_load_config *cfg, struct msp_result *root)
{
	struct proc_list l = { NULL, 0, 0, NULL };
	struct msp_proc_system sys;
	struct msp_error err;
	int r;

	msp_error_init(&err);
	r = msp_proc_system_read(cfg->proc_root, &sys, &err);
	l.sys = &sys;
	if (r == 0)
		r = msp_proc_foreach(cfg->proc_root, MSP_PROC_STATUS | MSP_PROC_CMDLINE, collect_proc, &l, &err);
	if (r == MSP_ENOMEM)
		goto out;
	if (r < 0) {
		/* The load is measured; a missing process list is worth a line, not an UNKNOWN. */
		r = msp_result_add_note(root, "cannot list processes: %s", err.msg) ? 0 : MSP_ENOMEM;
		goto out;
	}
	if (l.n)
		qsort(l.v, l.n, sizeof(*l.v), by_cpu);
	/* the reference prints ps's header and the busiest rows as they are */
	if (l.n && !msp_result_add_note(root, "STAT   UID   PID  PPID    VSZ   RSS %%CPU     ELAPSED COMMAND         "
					      "COMMAND"))
		r = MSP_ENOMEM;
	for (size_t i = 0; r == 0 && i < l.n && i < (size_t)cfg->procs_to_show; i++)
		if (!msp_result_add_note(root, "%s %4.*f%s", l.v[i].head, l.v[i].pcpu < 100 ? 1 : 0, l.v[i].pcpu,
					 l.v[i].row))
			r = MSP_ENOMEM;
out:
	for (size_t i = 0; i < l.n; i++)
		free(l.v[i].row);
	free(l.v);
	return r;
}

static int load_check(void *vcfg, const struct msp_context *ctx, struct msp_result *root, struct msp_error *err)
{
	struct check_load_config *cfg = vcfg;
	struct check_load_sample s = { { 0 }, 1 };
	char path[512];
	struct msp_buf b;
	int r;

	snprintf(path, sizeof(path), "%s/loadavg", cfg->proc_root);
	msp_step("reading %s", path);
	msp_buf_init(&b, 4096);
	r = msp_file_read(path, 4096, &b, err);
	if (r == 0)
		r = check_load_parse(msp_buf_str(&b), &s, err);
	msp_buf_release(&b);
	if (r < 0)
		return r;
	s.ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	if (s.ncpu < 1)
		s.ncpu = 1;
	r = check_load_evaluate(cfg, &s, root);
	if (r == 0 && cfg->procs_to_show > 0) {
		msp_step("listing processes");
		r = add_top_procs(cfg, root);
	}
	if (r < 0)
		return msp_error_set(err, r, "out of memory");
	return 0;
}

/* "LOAD OK - total load average: ...|load1=...; load5=...; " : no blank before the bar, one after the end. */
static const struct msp_nagios_style nagios_style = { .perf_sep = "|",
							.perf_end = " ",
							.no_children = true,
							.keep_notes = true /* -n's process list */ };

static const struct msp_plugin plugin = {
	.itl = "load",
	.summary = "load average (1, 5, 15 minutes), optionally per CPU, top processes",
	.dropin = "monitoring-plugins `check_load`",
	.nagios = &nagios_style,
	.name = "check_load",
	.service = "LOAD",
	.synopsis = "[-r] -w WLOAD1,WLOAD5,WLOAD15 -c CLOAD1,CLOAD5,CLOAD15 [-n NUMBER_OF_PROCS]",
	.description = "Check the system load average (1, 5 and 15 minutes) from /proc/loadavg.",
	.notes = "Differences from monitoring-plugins check_load 2.3.3 (deliberate):\n"
		 "  - each threshold may be a full range (\"2:8\", \"@0:1\"); a ':' is therefore not\n"
		 "    a separator between the three values as it silently was in the reference\n"
		 "  - trailing garbage (\"1x\"), empty values (\"1,,3\"), a fourth value\n"
		 "    (\"1,2,3,4\"), non-numbers (\"nan\", \"inf\", \"0x10\"), a bad -n and stray\n"
		 "    arguments are errors (UNKNOWN) instead of being read as numbers or ignored\n"
		 "  - the standard options -t, --timeout-result and --output-format are\n"
		 "    accepted (the reference rejects them as unknown options)\n"
		 "Examples:\n"
		 "  check_load -w 15,10,5 -c 30,25,20\n"
		 "  check_load -r -w 1 -c 2 -n 5",
	.options = options,
	.timeout = 10,
	.timeout_state = MSP_STATE_UNKNOWN,
	.option = load_option,
	.finish = load_finish,
	.check = load_check,
};

MSP_PLUGIN_MAIN(plugin, struct check_load_config)
