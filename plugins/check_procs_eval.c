/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * check_procs_eval.c - check_procs's evaluation (check_procs.h): the count
 * or each process's metric against the thresholds, the summary in the
 * reference's words (the filters named in the order they were given), its
 * perfdata, and one line per process in alert.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_procs.h"

static const char *const metric_names[] = { "PROCS", "VSZ", "RSS", "CPU", "ELAPSED" };

const char *check_procs_metric_name(enum check_procs_metric m)
{
	return (unsigned)m < sizeof(metric_names) / sizeof(metric_names[0]) ? metric_names[m] : NULL;
}

/* Whether filter id (for an exclusion: the x-th -X) has a value to name. */
static bool filter_set(const struct check_procs_config *cfg, int id, int x)
{
	switch (id) {
	case CHECK_PROCS_F_COMMAND:
		return cfg->command != NULL;
	case CHECK_PROCS_F_EXCLUDE:
		return x < cfg->nexclude;
	case CHECK_PROCS_F_USER:
		return cfg->has_uid;
	case CHECK_PROCS_F_STATE:
		return cfg->state != NULL;
	case CHECK_PROCS_F_PPID:
		return cfg->has_ppid;
	case CHECK_PROCS_F_ARGS:
		return cfg->args != NULL;
	case CHECK_PROCS_F_EREG:
		return cfg->has_regex;
	case CHECK_PROCS_F_VSZ:
		return cfg->has_vsz;
	case CHECK_PROCS_F_RSS:
		return cfg->has_rss;
	case CHECK_PROCS_F_PCPU:
		return cfg->has_pcpu;
	}
	return false;
}

/* Filter id in the reference's words ("command name 'x'", "UID = 0 (root)") into b. */
static void describe_filter(const struct check_procs_config *cfg, int id, int x, struct msp_buf *b)
{
	switch (id) {
	case CHECK_PROCS_F_COMMAND:
		msp_buf_addf(b, "command name '%s'", cfg->command);
		break;
	case CHECK_PROCS_F_EXCLUDE:
		msp_buf_addf(b, "exclude progs '%s'", cfg->exclude[x]);
		break;
	case CHECK_PROCS_F_USER:
		msp_buf_addf(b, "UID = %ld (%s)", cfg->uid, cfg->user);
		break;
	case CHECK_PROCS_F_STATE:
		msp_buf_addf(b, "STATE = %s", cfg->state);
		break;
	case CHECK_PROCS_F_PPID:
		msp_buf_addf(b, "PPID = %ld", cfg->ppid);
		break;
	case CHECK_PROCS_F_ARGS:
		msp_buf_addf(b, "args '%s'", cfg->args);
		break;
	case CHECK_PROCS_F_EREG:
		msp_buf_addf(b, "regex args '%s'", cfg->ereg);
		break;
	case CHECK_PROCS_F_VSZ:
		msp_buf_addf(b, "VSZ >= %llu", (unsigned long long)cfg->vsz_kib);
		break;
	case CHECK_PROCS_F_RSS:
		msp_buf_addf(b, "RSS >= %llu", (unsigned long long)cfg->rss_kib);
		break;
	case CHECK_PROCS_F_PCPU:
		msp_buf_addf(b, "PCPU >= %.2f", cfg->pcpu);
		break;
	}
}

/* " with command name 'x', UID = 0 (root), ..." in the order the filters were given, as the reference says it. */
static void describe_filters(const struct check_procs_config *cfg, struct msp_buf *b)
{
	const char *sep = " with ";

	for (int i = 0, x = 0; i < cfg->norder; i++) {
		int id = cfg->order[i], nth = id == CHECK_PROCS_F_EXCLUDE ? x++ : 0;

		if (!filter_set(cfg, id, nth))
			continue;
		msp_buf_adds(b, sep);
		describe_filter(cfg, id, nth, b);
		sep = ", ";
	}
}

static int by_value_desc(const void *a, const void *b)
{
	const struct check_procs_match *x = a, *y = b;

	if (x->value != y->value)
		return x->value < y->value ? 1 : -1;
	return (x->pid > y->pid) - (x->pid < y->pid);
}

/* One line per process in alert, worst first, at most 10 (the rest as a count). */
static int add_alerting(const struct check_procs_config *cfg, const struct check_procs_sample *s,
			struct msp_result *root)
{
	static const char *const unit[] = { "", " KiB", " KiB", "%", " s" };
	struct check_procs_match *v = NULL;
	size_t n = 0, shown = 0;

	for (size_t i = 0; i < s->n; i++)
		if (msp_threshold_eval(&cfg->th, s->m[i].value) != MSP_STATE_OK)
			n++;
	if (!n)
		return 0;
	v = malloc(n * sizeof(*v));
	if (!v)
		return MSP_ENOMEM;
	n = 0;
	for (size_t i = 0; i < s->n; i++)
		if (msp_threshold_eval(&cfg->th, s->m[i].value) != MSP_STATE_OK)
			v[n++] = s->m[i];
	qsort(v, n, sizeof(*v), by_value_desc);
	for (int pass = 0; pass < 2; pass++)
		for (size_t i = 0; i < n && shown < 10; i++) {
			enum msp_state st = msp_threshold_eval(&cfg->th, v[i].value);
			char num[MSP_NUM_FORMAT_MAX];

			if ((pass == 0) != (st == MSP_STATE_CRITICAL))
				continue;
			msp_num_format(v[i].value, 1, num, sizeof(num));
			if (!msp_result_add_child(root, st, "%s %s%s: pid %ld (%s)", metric_names[cfg->metric], num,
						  unit[cfg->metric], v[i].pid, v[i].prog))
				goto nomem;
			shown++;
		}
	if (n > shown && !msp_result_add_note(root, "%zu more processes in alert", n - shown))
		goto nomem;
	free(v);
	return 0;
nomem:
	free(v);
	return MSP_ENOMEM;
}

static int evaluate_each(const struct check_procs_config *cfg, const struct check_procs_sample *s,
			 struct msp_result *root, struct msp_buf *text)
{
	size_t warn = 0, crit = 0;
	enum msp_state st = MSP_STATE_OK;
	struct msp_perf *p;

	for (size_t i = 0; i < s->n; i++) {
		enum msp_state one = msp_threshold_eval(&cfg->th, s->m[i].value);

		warn += one == MSP_STATE_WARNING;
		crit += one == MSP_STATE_CRITICAL;
		st = msp_state_worst(st, one);
	}
	/* "VSZ WARNING: 2 warn out of 80 processes": the reference names the metric in place of PROCS */
	root->service = metric_names[cfg->metric];
	if (crit)
		msp_buf_addf(text, "%zu crit, %zu warn out of ", crit, warn);
	else if (warn)
		msp_buf_addf(text, "%zu warn out of ", warn);
	if (add_alerting(cfg, s, root) < 0)
		return MSP_ENOMEM;
	msp_result_set_state(root, st);
	if (!(p = msp_result_add_perf(root, "procs", (double)s->n, "", NULL)))
		return MSP_ENOMEM;
	msp_perf_set_min(p, 0);
	p->keep_fields = true;
	if (!(p = msp_result_add_perf(root, "procs_warn", (double)warn, "", NULL)))
		return MSP_ENOMEM;
	msp_perf_set_min(p, 0);
	p->keep_fields = true;
	if (!(p = msp_result_add_perf(root, "procs_crit", (double)crit, "", NULL)))
		return MSP_ENOMEM;
	msp_perf_set_min(p, 0);
	p->keep_fields = true;
	return 0;
}

int check_procs_evaluate(const struct check_procs_config *cfg, const struct check_procs_sample *s,
			 struct msp_result *root)
{
	struct msp_buf text;
	struct msp_perf *p;
	int r = 0;

	msp_buf_init(&text, 4096);
	if (cfg->metric == CHECK_PROCS_PROCS) {
		msp_result_set_state(root, msp_threshold_eval(&cfg->th, (double)s->n));
		p = msp_result_add_perf(root, "procs", (double)s->n, "", &cfg->th);
		if (!p) {
			r = MSP_ENOMEM;
		} else {
			msp_perf_set_min(p, 0);
			p->keep_fields = true; /* procs=3;;;0; as the reference writes it */
		}
	} else {
		r = evaluate_each(cfg, s, root, &text);
	}
	msp_buf_addf(&text, "%zu process%s", s->n, s->n == 1 ? "" : "es");
	describe_filters(cfg, &text);
	if (r == 0)
		r = msp_result_set_text(root, "%s", msp_buf_str(&text));
	msp_buf_release(&text);
	return r;
}
