/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * check_backup_eval.c - check_backup_evaluate(): each path (each -p, each match of a wildcard)
 * judged on its own into a long-output line, the worst path sets the state; the summary, the
 * perfdata and the lines for what could not be read.  Pure: time comes in as `now`.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_backup.h"

static double when_of(const struct check_backup_file *f)
{
	return (double)f->mtime + (double)f->nsec / 1e9;
}

/* Is a newer than b?  Files of the same instant in name order, so the choice is stable. */
static bool newer(const struct check_backup_group *g, const struct check_backup_file *a,
		  const struct check_backup_file *b)
{
	if (a->mtime != b->mtime)
		return a->mtime > b->mtime;
	if (a->nsec != b->nsec)
		return a->nsec > b->nsec;
	return strcmp(g->names + a->name, g->names + b->name) < 0;
}

/* What one path came to; the summary and perfdata are made from these. */
struct verdict {
	enum msp_state st;
	const struct check_backup_file *judged; /* NULL when no file was found */
	const struct check_backup_file *newest;
	double age;              /* of the judged file */
	size_t nbad;             /* --all: files past the limits */
	struct msp_result *line; /* its long-output line; NULL when it has none */
};

/* "PATH 5h 3m ago (2026-11-28 03:41 +0100)" */
static enum msp_state describe(const struct check_backup_config *cfg, const struct check_backup_group *g,
			       const struct check_backup_file *f, double now, double *ret_age, struct msp_buf *t)
{
	char path[4096], phrase[MSP_AGE_PHRASE_MAX], when[MSP_TIME_FORMAT_MAX];
	enum msp_state st = msp_age_judge(&cfg->age, when_of(f), now, ret_age, phrase, sizeof(phrase));

	msp_buf_addf(t, "%s %s (%s)", check_backup_file_path(g, f, path, sizeof(path)), phrase,
		     msp_time_format(when_of(f), when, sizeof(when)));
	return st;
}

/* --all: judge every file; the worst one (the oldest among equals) is the one named. */
static void judge_all(const struct check_backup_config *cfg, const struct check_backup_group *g, double now,
		      struct verdict *v)
{
	enum msp_state worst = MSP_STATE_OK;
	char phrase[MSP_AGE_PHRASE_MAX];
	double age;

	for (size_t i = 0; i < g->nfile; i++) {
		const struct check_backup_file *f = &g->file[i];
		enum msp_state st = msp_age_judge(&cfg->age, when_of(f), now, &age, phrase, sizeof(phrase));

		if (st != MSP_STATE_OK)
			v->nbad++;
		if (msp_state_rank(st) > msp_state_rank(worst) ||
		    (msp_state_rank(st) == msp_state_rank(worst) && newer(g, v->judged, f)))
			v->judged = f;
		worst = msp_state_worst(worst, st);
	}
}

static void judge_files(const struct check_backup_config *cfg, const struct check_backup_group *g, double now,
			struct verdict *v, struct msp_buf *t)
{
	const struct check_backup_file *oldest = &g->file[0];
	char a[64], b[64];

	v->newest = &g->file[0];
	for (size_t i = 1; i < g->nfile; i++) {
		if (newer(g, &g->file[i], v->newest))
			v->newest = &g->file[i];
		if (newer(g, oldest, &g->file[i]))
			oldest = &g->file[i];
	}
	v->judged = cfg->pick == CHECK_BACKUP_OLDEST ? oldest : v->newest;
	if (cfg->pick == CHECK_BACKUP_ALL) {
		v->judged = oldest;
		judge_all(cfg, g, now, v);
		if (v->nbad)
			msp_buf_addf(t, "%zu of %zu files past the limits, worst ", v->nbad, g->nfile);
		else
			msp_buf_addf(t, "all %zu files recent enough, oldest ", g->nfile);
	}
	v->st = describe(cfg, g, v->judged, now, &v->age, t);
	if (cfg->pick != CHECK_BACKUP_ALL && g->nfile == 1)
		msp_buf_adds(t, ", the only file");
	else if (cfg->pick != CHECK_BACKUP_ALL)
		msp_buf_addf(t, ", %s of %zu files", cfg->pick == CHECK_BACKUP_OLDEST ? "oldest" : "newest", g->nfile);
	if (cfg->has_min_size && (double)v->newest->size < cfg->min_size) {
		v->st = MSP_STATE_CRITICAL;
		msp_buf_addf(t, ", newest only %s (--min-size %s)", msp_num_human_size((double)v->newest->size, a, 64),
			     msp_num_human_size(cfg->min_size, b, 64));
	}
	if (cfg->has_max_size && (double)v->newest->size > cfg->max_size) {
		v->st = MSP_STATE_CRITICAL;
		msp_buf_addf(t, ", newest %s (--max-size %s)", msp_num_human_size((double)v->newest->size, a, 64),
			     msp_num_human_size(cfg->max_size, b, 64));
	}
}

/* Judge one path into a child of root. */
static int evaluate_group(const struct check_backup_config *cfg, const struct check_backup_group *g, double now,
			  struct msp_result *root, struct verdict *v)
{
	struct msp_buf t;
	int r = MSP_ENOMEM;

	if (g->absence == CHECK_BACKUP_UNREADABLE) {
		/* The path itself could not be examined: "could not check", whatever it holds. */
		*v = (struct verdict){ .st = MSP_STATE_UNKNOWN, .age = -1 };
		v->line = msp_result_add_child(root, v->st, "cannot read '%s': %s", g->spec,
					       strerror(g->nproblem ? g->problem[0].errnum : EIO));
		return v->line ? 0 : MSP_ENOMEM;
	}
	msp_buf_init(&t, 8192);
	*v = (struct verdict){ .st = cfg->missing_state, .age = -1 };
	if (g->absence == CHECK_BACKUP_NO_GLOB_MATCH)
		msp_buf_addf(&t, "'%s' matches nothing", g->spec);
	else if (g->absence == CHECK_BACKUP_NO_SUCH_PATH)
		msp_buf_addf(&t, "'%s' does not exist", g->spec);
	else if (g->nfile == 0)
		msp_buf_addf(&t, "no %sfile in '%s'", cfg->match.count || cfg->has_regex ? "matching " : "", g->spec);
	else
		judge_files(cfg, g, now, v, &t);
	if (g->nfile > 0 && g->nfile < cfg->min_count) {
		v->st = msp_state_worst(v->st, cfg->missing_state);
		msp_buf_addf(&t, ", only %zu files (--min-count %llu)", g->nfile, (unsigned long long)cfg->min_count);
	}
	if (g->nproblem) {
		/* A place we could not read may hold the file that matters: no answer is trustworthy. */
		v->st = msp_state_worst(v->st, MSP_STATE_UNKNOWN);
		msp_buf_addf(&t, ", %zu unreadable", g->nproblem);
	}
	if (t.data)
		v->line = msp_result_add_child(root, v->st, "%s", msp_buf_str(&t));
	if (v->line)
		r = 0;
	msp_buf_release(&t);
	return r;
}

/* --expect-count: a line for a wildcard that matched fewer paths (none is already a path's line). */
static int evaluate_pattern(const struct check_backup_config *cfg, const struct check_backup_pattern *p,
			    struct msp_result *root, struct verdict *v)
{
	*v = (struct verdict){ .st = MSP_STATE_OK, .age = -1 };
	if (!cfg->expect_count || p->nmatch == 0 || p->nmatch >= cfg->expect_count)
		return 0;
	v->st = cfg->missing_state;
	if (p->nunreadable)
		v->line =
			msp_result_add_child(root, v->st, "expected %llu matches of '%s', found %zu and %zu unreadable",
					     (unsigned long long)cfg->expect_count, p->spec, p->nmatch, p->nunreadable);
	else
		v->line = msp_result_add_child(root, v->st, "expected %llu matches of '%s', found %zu",
					       (unsigned long long)cfg->expect_count, p->spec, p->nmatch);
	return v->line ? 0 : MSP_ENOMEM;
}

/* Lines naming what could not be read and, with --all, the files past the limits. */
static int list_details(const struct check_backup_config *cfg, const struct check_backup_group *g, double now,
			struct msp_result *root)
{
	char path[4096], phrase[MSP_AGE_PHRASE_MAX];
	size_t shown = 0;
	double age;

	/* An unreadable path's own line already says why. */
	for (size_t i = 0; g->absence != CHECK_BACKUP_UNREADABLE && i < g->nproblem && i < CHECK_BACKUP_LIST_MAX; i++)
		if (!msp_result_add_child(root, MSP_STATE_UNKNOWN, "cannot read '%s': %s", g->problem[i].path,
					  strerror(g->problem[i].errnum)))
			return MSP_ENOMEM;
	if (g->nproblem > CHECK_BACKUP_LIST_MAX &&
	    !msp_result_add_note(root, "... and %zu more unreadable", g->nproblem - CHECK_BACKUP_LIST_MAX))
		return MSP_ENOMEM;
	if (cfg->pick != CHECK_BACKUP_ALL)
		return 0;
	for (size_t i = 0; i < g->nfile && shown < CHECK_BACKUP_LIST_MAX; i++) {
		const struct check_backup_file *f = &g->file[i];

		if (msp_age_judge(&cfg->age, when_of(f), now, &age, phrase, sizeof(phrase)) == MSP_STATE_OK)
			continue;
		shown++;
		if (!msp_result_add_note(root, "%s %s", check_backup_file_path(g, f, path, sizeof(path)), phrase))
			return MSP_ENOMEM;
	}
	return 0;
}

/* --expect-count: the matches of each wildcard, CRITICAL below the count. */
static int add_match_perfdata(const struct check_backup_config *cfg, const struct check_backup_sample *s,
			      struct msp_result *root)
{
	struct msp_threshold th = { .has_crit = true };
	struct msp_perf *p;
	char label[256];

	th.crit = (struct msp_range){ .start = (double)cfg->expect_count, .end_inf = true };
	for (size_t i = 0; cfg->expect_count && i < s->npattern; i++) {
		if (s->npattern == 1)
			snprintf(label, sizeof(label), "matches");
		else
			snprintf(label, sizeof(label), "%s matches", s->pattern[i].spec);
		p = msp_result_add_perf(root, label, (double)s->pattern[i].nmatch, "", &th);
		if (!p)
			return MSP_ENOMEM;
		msp_perf_set_min(p, 0);
	}
	return 0;
}

static int add_perfdata(const struct check_backup_config *cfg, const struct check_backup_sample *s,
			const struct verdict *v, struct msp_result *root)
{
	const struct check_backup_file *newest = NULL;
	struct msp_threshold size_th = { 0 };
	struct msp_perf *p;
	bool has_age = false;
	double age = 0;
	size_t files = 0;
	char label[256];

	for (size_t i = 0; i < s->ngroup; i++) {
		files += s->group[i].nfile;
		if (v[i].judged && (!has_age || v[i].age > age)) {
			age = v[i].age; /* the path furthest behind */
			has_age = true;
		}
		if (v[i].newest && (!newest || when_of(v[i].newest) > when_of(newest)))
			newest = v[i].newest;
	}
	if (has_age && !msp_age_add_perf(root, "age", &cfg->age, age))
		return MSP_ENOMEM;
	p = msp_result_add_perf(root, "files", (double)files, "", NULL);
	if (!p)
		return MSP_ENOMEM;
	msp_perf_set_min(p, 0);
	if (newest) {
		size_th.has_crit = cfg->has_min_size || cfg->has_max_size;
		size_th.crit = (struct msp_range){ .start = cfg->has_min_size ? cfg->min_size : 0,
						   .end = cfg->max_size,
						   .end_inf = !cfg->has_max_size };
		p = msp_result_add_perf(root, "size", (double)newest->size, "B", &size_th);
		if (!p)
			return MSP_ENOMEM;
		msp_perf_set_min(p, 0);
	}
	for (size_t i = 0; s->ngroup > 1 && i < s->ngroup; i++) {
		if (s->group[i].absence == CHECK_BACKUP_UNREADABLE)
			continue; /* nothing was measured: no number rather than a false 0 */
		snprintf(label, sizeof(label), "%s age", s->group[i].spec);
		if (v[i].judged && !msp_age_add_perf(root, label, &cfg->age, v[i].age))
			return MSP_ENOMEM;
		snprintf(label, sizeof(label), "%s files", s->group[i].spec);
		p = msp_result_add_perf(root, label, (double)s->group[i].nfile, "", NULL);
		if (!p)
			return MSP_ENOMEM;
		msp_perf_set_min(p, 0);
	}
	return add_match_perfdata(cfg, s, root);
}

/* The summary: the one line, or for several how many are not OK and the worst line. */
static int summarize(const struct verdict *v, size_t nv, struct msp_result *root)
{
	size_t bad = 0, lines = 0, worst = SIZE_MAX, newest = SIZE_MAX;

	for (size_t i = 0; i < nv; i++) {
		if (!v[i].line)
			continue;
		lines++;
		if (v[i].st != MSP_STATE_OK)
			bad++;
		if (worst == SIZE_MAX || msp_state_rank(v[i].st) > msp_state_rank(v[worst].st))
			worst = i;
		if (v[i].newest && (newest == SIZE_MAX || when_of(v[i].newest) > when_of(v[newest].newest)))
			newest = i;
	}
	if (worst == SIZE_MAX) {
		msp_result_set_state(root, MSP_STATE_UNKNOWN);
		return msp_result_set_text(root, "nothing to judge");
	}
	msp_result_set_state(root, v[worst].st);
	if (lines == 1)
		return msp_result_set_text(root, "%s", v[worst].line->text);
	if (bad || newest == SIZE_MAX)
		return msp_result_set_text(root, "%zu of %zu paths not OK: %s", bad, lines, v[worst].line->text);
	return msp_result_set_text(root, "%zu paths OK, the newest: %s", lines, v[newest].line->text);
}

int check_backup_evaluate(const struct check_backup_config *cfg, const struct check_backup_sample *s, double now,
			  struct msp_result *root)
{
	/* One verdict per group, then one per wildcard pattern (a line only when it has too few matches). */
	struct verdict *v = calloc(s->ngroup + s->npattern + 1, sizeof(*v));
	int r = MSP_ENOMEM;

	if (!v)
		return MSP_ENOMEM;
	for (size_t i = 0; i < s->ngroup; i++)
		if (evaluate_group(cfg, &s->group[i], now, root, &v[i]) < 0)
			goto out;
	for (size_t i = 0; i < s->npattern; i++)
		if (evaluate_pattern(cfg, &s->pattern[i], root, &v[s->ngroup + i]) < 0)
			goto out;
	if (s->ngroup == 0) {
		msp_result_set_state(root, MSP_STATE_UNKNOWN);
		r = msp_result_set_text(root, "no path given");
		goto out;
	}
	if (summarize(v, s->ngroup + s->npattern, root) < 0 || add_perfdata(cfg, s, v, root) < 0)
		goto out;
	for (size_t i = 0; i < s->ngroup; i++)
		if (list_details(cfg, &s->group[i], now, root) < 0)
			goto out;
	r = 0;
out:
	free(v);
	return r;
}
