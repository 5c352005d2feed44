/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * check_apt_eval.c - check_apt_evaluate: the config and a sample into the
 * reference's line 1 (state, counts, perfdata), problems as children and
 * package names as notes.  Pure: the time is passed in.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_apt.h"

/* -------------------------------------------------------------- evaluate */

static bool matches(const struct check_apt_regex *r, const char *line)
{
	return r->compiled && regexec(&r->re, line, 0, NULL, 0) == 0;
}

static int by_name(const void *x, const void *y)
{
	const struct check_apt_pkg *a = *(const struct check_apt_pkg *const *)x;
	const struct check_apt_pkg *b = *(const struct check_apt_pkg *const *)y;

	return strcmp(a->name, b->name);
}

/* The packages that count (after -i/-e), sorted by name, critical ones first; *ret_crit of them critical. */
static int classify(const struct check_apt_config *cfg, const struct check_apt_sample *s,
		    const struct check_apt_pkg ***ret, size_t *ret_n, size_t *ret_crit)
{
	const struct check_apt_pkg **v = calloc(s->npkg + 1, sizeof(*v));
	size_t n = 0, crit = 0;

	if (!v)
		return MSP_ENOMEM;
	for (int pass = 0; pass < 2; pass++)
		for (size_t i = 0; i < s->npkg; i++) {
			const struct check_apt_pkg *p = &s->pkg[i];
			bool is_crit;

			if ((cfg->include.compiled && !matches(&cfg->include, p->line)) ||
			    matches(&cfg->exclude, p->line))
				continue;
			is_crit = matches(&cfg->critical, p->line);
			if (is_crit != (pass == 0))
				continue;
			v[n++] = p;
			crit += is_crit;
		}
	qsort(v, crit, sizeof(*v), by_name);
	qsort(v + crit, n - crit, sizeof(*v), by_name);
	*ret = v;
	*ret_n = n;
	*ret_crit = crit;
	return 0;
}

/* One summary part: parts are joined with "; " (problems first, then the counts). */
static void part(struct msp_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void part(struct msp_buf *b, const char *fmt, ...)
{
	va_list ap;

	if (b->len)
		msp_buf_adds(b, "; ");
	va_start(ap, fmt);
	msp_buf_vaddf(b, fmt, ap);
	va_end(ap);
}

static int problem(struct msp_result *root, enum msp_state st, const struct check_apt_run *r, const char *what)
{
	struct msp_result *c;

	if (r->failed)
		c = msp_result_add_child(root, st, "%s failed: %s%s%s", what, r->why ? r->why : "error",
					 r->err_line ? ": " : "", r->err_line ? r->err_line : "");
	else
		c = msp_result_add_child(root, st, "%s wrote to stderr: %s", what, r->err_line);
	return c ? 0 : MSP_ENOMEM;
}

/* The update and the simulation: their failures and stderr, as the reference judges them. */
static int judge_runs(const struct check_apt_config *cfg, const struct check_apt_sample *s, struct msp_result *root,
		      struct msp_buf *sum, enum msp_state *st)
{
	const char *verb = cfg->mode == CHECK_APT_DIST_UPGRADE ? "apt-get -s dist-upgrade" : "apt-get -s upgrade";

	if (s->update.ran && (s->update.failed || s->update.err_line)) {
		/* A failed update is CRITICAL in the reference too: the lists cannot be trusted. */
		enum msp_state us = s->update.failed ? MSP_STATE_CRITICAL : MSP_STATE_WARNING;

		if (s->update.failed)
			part(sum, "apt-get update failed (%s)", s->update.why ? s->update.why : "error");
		else
			part(sum, "apt-get update warnings");
		*st = msp_state_worst(*st, us);
		if (problem(root, us, &s->update, "apt-get update") < 0)
			return MSP_ENOMEM;
	}
	if (s->upgrade.ran && (s->upgrade.failed || s->upgrade.err_line)) {
		/* The simulation did not work: we could not check (the reference: WARNING with stderr). */
		enum msp_state us = s->upgrade.failed ? MSP_STATE_UNKNOWN : MSP_STATE_WARNING;

		if (s->upgrade.failed)
			part(sum, "%s failed (%s)", verb, s->upgrade.why ? s->upgrade.why : "error");
		else
			part(sum, "%s warnings", verb);
		*st = msp_state_worst(*st, us);
		if (problem(root, us, &s->upgrade, verb) < 0)
			return MSP_ENOMEM;
	}
	return 0;
}

static int judge_lists(const struct check_apt_config *cfg, const struct check_apt_sample *s, int64_t now,
		       struct msp_result *root, struct msp_buf *sum, enum msp_state *st)
{
	char age[64], lim[64];
	int64_t a = s->lists_mtime < now ? now - s->lists_mtime : 0;
	struct msp_result *c = (struct msp_result *)1;

	if (s->lists_known && !s->lists_empty && (cfg->extra_perfdata || cfg->has_lists_max_age)) {
		struct msp_threshold th = { .warn = { .end = cfg->lists_max_age }, .has_warn = cfg->has_lists_max_age };
		struct msp_perf *p = msp_result_add_perf(root, "lists_age", (double)a, "s", &th);

		if (!p)
			return MSP_ENOMEM;
		msp_perf_set_min(p, 0);
	}
	if (!cfg->has_lists_max_age)
		return 0;
	msp_num_human_duration(cfg->lists_max_age, lim, sizeof(lim));
	if (!s->lists_known) {
		*st = msp_state_worst(*st, MSP_STATE_UNKNOWN);
		part(sum, "cannot read the package lists");
		c = msp_result_add_child(root, MSP_STATE_UNKNOWN, "%s",
					 s->lists_error ? s->lists_error : "lists unknown");
	} else if (s->lists_empty) {
		*st = msp_state_worst(*st, MSP_STATE_WARNING);
		part(sum, "no package lists: apt-get update never ran");
		c = msp_result_add_child(root, MSP_STATE_WARNING, "no package list in %s", s->lists_dir);
	} else if ((double)a > cfg->lists_max_age) {
		msp_num_human_duration((double)a, age, sizeof(age));
		*st = msp_state_worst(*st, MSP_STATE_WARNING);
		part(sum, "package lists %s old (limit %s)", age, lim);
		c = msp_result_add_child(root, MSP_STATE_WARNING, "newest package list in %s is %s old (limit %s)",
					 s->lists_dir, age, lim);
	} else {
		msp_num_human_duration((double)a, age, sizeof(age));
		c = msp_result_add_child(root, MSP_STATE_OK, "newest package list in %s is %s old (limit %s)",
					 s->lists_dir, age, lim);
	}
	return c ? 0 : MSP_ENOMEM;
}

/* The reference's line: a colon after the state, " |" before the perfdata; -l adds the package names. */
const struct msp_nagios_style check_apt_nagios_style = { .state_sep = ": ", .perf_sep = " |", .no_children = true };
static const struct msp_nagios_style nagios_style_list = {
	.state_sep = ": ", .perf_sep = " |", .no_children = true, .keep_notes = true
};

static int perf(struct msp_result *root, const char *label, size_t v)
{
	struct msp_perf *p = msp_result_add_perf(root, label, (double)v, "", NULL);

	if (!p)
		return MSP_ENOMEM;
	msp_perf_set_min(p, 0);
	return 0;
}

/*
 * Long output lines "name (what)"; at most CHECK_APT_LIST_MAX per kind
 * without -l.  The available ones are notes (with -l the nagios format
 * prints them after line 1, as the reference does); the ones apt does not
 * upgrade (extra) are OK lines of the other formats only.
 */
static int list_names(const struct check_apt_config *cfg, struct msp_result *root, const char *const *names, size_t n,
		      const char *what, bool extra)
{
	size_t max = cfg->list ? n : CHECK_APT_LIST_MAX;
	char line[512];

	for (size_t i = 0; i < n && i <= max; i++) {
		if (i < max)
			snprintf(line, sizeof(line), "%s%s%s%s", names[i], what ? " (" : "", what ? what : "",
				 what ? ")" : "");
		else
			snprintf(line, sizeof(line), "... and %zu more%s%s (-l lists all)", n - max, what ? " " : "",
				 what ? what : "");
		if (!(extra ? msp_result_add_child(root, MSP_STATE_OK, "%s", line) :
			      msp_result_add_note(root, "%s", line)))
			return MSP_ENOMEM;
	}
	return 0;
}

/* Kept-back packages that are neither held nor phased: they wait for new dependencies or removals. */
static int kept_other(const struct check_apt_sample *s, struct check_apt_names *ret)
{
	for (size_t i = 0; i < s->kept_back.n; i++) {
		const char *k = s->kept_back.v[i];

		if ((s->held_known && check_apt_names_has(&s->held, k)) || check_apt_names_has(&s->phased, k))
			continue;
		if (check_apt_names_add(ret, k) < 0)
			return MSP_ENOMEM;
	}
	return 0;
}

/*
 * Held, phased and kept-back packages: counted apart, never pending.  Line 1
 * is the reference's, so they get a line of their own (the multi-line, table
 * and json formats show it) and perfdata with --extra-perfdata.
 */
static int report_extras(const struct check_apt_config *cfg, const struct check_apt_sample *s, struct msp_result *root)
{
	struct check_apt_names other = { 0 };
	bool kept = !cfg->no_upgrade && s->summary_seen; /* apt listed what it kept back */
	struct msp_buf line;
	int r = MSP_ENOMEM;

	msp_buf_init(&line, 256);
	if (kept && kept_other(s, &other) < 0)
		goto out;
	if (s->held_known && s->held.n)
		msp_buf_addf(&line, "%s%zu held", line.len ? ", " : "", s->held.n);
	if (s->phased_known && s->phased.n)
		msp_buf_addf(&line, "%s%zu phased", line.len ? ", " : "", s->phased.n);
	if (other.n)
		msp_buf_addf(&line, "%s%zu kept back", line.len ? ", " : "", other.n);
	if (line.len && !msp_result_add_child(root, MSP_STATE_OK, "not counted as available: %s", msp_buf_str(&line)))
		goto out;
	if (cfg->extra_perfdata && ((s->held_known && perf(root, "held", s->held.n) < 0) ||
				    (kept && s->phased_known && perf(root, "phased", s->phased.n) < 0) ||
				    (kept && perf(root, "kept_back", other.n) < 0)))
		goto out;
	if (list_names(cfg, root, (const char *const *)s->phased.v, s->phased.n, "phased", true) < 0 ||
	    list_names(cfg, root, (const char *const *)other.v, other.n, "kept back", true) < 0 ||
	    list_names(cfg, root, (const char *const *)s->held.v, s->held.n, "held", true) < 0)
		goto out;
	if ((s->phased_error && !msp_result_add_note(root, "%s", s->phased_error)) ||
	    (s->held_error && !msp_result_add_note(root, "%s", s->held_error)))
		goto out;
	r = 0;
out:
	msp_buf_release(&line);
	check_apt_names_release(&other);
	return r;
}

/* The counts of the simulation, their state and the package names. */
static int judge_counts(const struct check_apt_config *cfg, const struct check_apt_sample *s, struct msp_result *root,
			struct msp_buf *counts, enum msp_state *st)
{
	const struct check_apt_pkg **v = NULL;
	const char **names = NULL;
	size_t n, crit;
	int r = MSP_ENOMEM;

	if (classify(cfg, s, &v, &n, &crit) < 0)
		return MSP_ENOMEM;
	msp_buf_addf(counts, "%zu packages available for %s (%zu critical updates).", n,
		     cfg->mode == CHECK_APT_DIST_UPGRADE ? "dist-upgrade" : "upgrade", crit);
	if (crit > 0)
		*st = msp_state_worst(*st, MSP_STATE_CRITICAL);
	else if ((int64_t)n >= cfg->packages_warning && !cfg->only_critical)
		*st = msp_state_worst(*st, MSP_STATE_WARNING);
	if (perf(root, "available_upgrades", n) < 0 || perf(root, "critical_updates", crit) < 0)
		goto out;
	names = calloc(n + 1, sizeof(*names));
	if (!names)
		goto out;
	for (size_t i = 0; i < n; i++)
		names[i] = v[i]->name;
	if (list_names(cfg, root, names, crit, "security", false) < 0 ||
	    list_names(cfg, root, names + crit, n - crit, NULL, false) < 0)
		goto out;
	r = 0;
out:
	free(names);
	free(v);
	return r;
}

int check_apt_evaluate(const struct check_apt_config *cfg, const struct check_apt_sample *s, int64_t now,
		       struct msp_result *root)
{
	enum msp_state st = MSP_STATE_OK;
	struct msp_buf sum, counts;
	int r = MSP_ENOMEM;

	/* Problems lead the summary, the counts follow; perfdata: the reference's labels first. */
	msp_buf_init(&sum, 4096);
	msp_buf_init(&counts, 4096);
	if (judge_runs(cfg, s, root, &sum, &st) < 0)
		goto out;
	if (cfg->no_upgrade) {
		msp_buf_addf(&counts, "upgrade not simulated (-n)%s",
			     s->update.ran && !s->update.failed ? ", lists updated" : "");
		/* Nothing at all was looked at: the reference says OK here, we do not. */
		if (!s->update.ran && !cfg->has_lists_max_age) {
			st = MSP_STATE_UNKNOWN;
			part(&sum, "nothing checked: -n needs -u or --lists-max-age");
		}
	} else if (!(s->upgrade.failed && s->npkg == 0) && judge_counts(cfg, s, root, &counts, &st) < 0) {
		/* (a simulation that failed without any Inst line has no counts: no zeros in the graphs) */
		goto out;
	}
	if (report_extras(cfg, s, root) < 0 || judge_lists(cfg, s, now, root, &sum, &st) < 0)
		goto out;
	/* "APT CRITICAL: 4 packages available for upgrade (2 critical updates). |..." and, with -l, the names */
	root->style = cfg->list ? &nagios_style_list : &check_apt_nagios_style;
	if (counts.len)
		part(&sum, "%s", msp_buf_str(&counts));
	msp_result_set_state(root, st);
	r = msp_result_set_text(root, "%s", msp_buf_str(&sum));
out:
	msp_buf_release(&sum);
	msp_buf_release(&counts);
	return r;
}
