/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * check_restic_eval.c - the sample judged into the result tree
 * (check_restic_evaluate: ages, counts, groups; time passed in) and a failed
 * restic run turned into a state and a message (check_restic_failure).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_restic.h"
#include "msp_cmd.h"
#include "msp_json.h"
#include "msp_redact.h"

struct verdict {
	const struct check_restic_group *g;
	enum msp_state st;
	double age;
	bool too_few;
	char phrase[MSP_AGE_PHRASE_MAX];
};

static void judge_group(const struct check_restic_config *cfg, const struct check_restic_group *g, double now,
			struct verdict *v)
{
	v->g = g;
	v->too_few = g->nsnap < cfg->min_snapshots;
	if (g->nsnap == 0) {
		v->st = MSP_STATE_CRITICAL;
		v->age = NAN;
		snprintf(v->phrase, sizeof(v->phrase), "missing");
		return;
	}
	v->st = msp_age_judge(&cfg->age, g->newest.time, now, &v->age, v->phrase, sizeof(v->phrase));
	if (v->too_few)
		v->st = msp_state_worst(v->st, MSP_STATE_CRITICAL);
}

/* Worst first; equally bad groups with the stalest first, then by name, so the order is stable. */
static int by_worst(const void *x, const void *y)
{
	const struct verdict *a = x, *b = y;
	int ra = msp_state_rank(a->st), rb = msp_state_rank(b->st);

	if (ra != rb)
		return rb - ra;
	if (a->g->nsnap && b->g->nsnap && a->g->newest.time != b->g->newest.time)
		return a->g->newest.time < b->g->newest.time ? -1 : 1;
	return strcmp(a->g->name, b->g->name);
}

/* "newest snapshot 5h 3m ago (web1, 2026-11-28 03:41 +0100), 12 snapshots" */
static int describe(const struct check_restic_config *cfg, const struct verdict *v, struct msp_buf *b)
{
	const struct check_restic_snapshot *n = &v->g->newest;
	char when[MSP_TIME_FORMAT_MAX];

	if (v->g->nsnap == 0)
		return msp_buf_adds(b, "no snapshots");
	msp_buf_addf(b, "newest snapshot %s (%s%s%s), %zu snapshot%s", v->phrase, n->hostname, *n->hostname ? ", " : "",
		     msp_time_format(n->time, when, sizeof(when)), v->g->nsnap, v->g->nsnap == 1 ? "" : "s");
	if (v->too_few)
		msp_buf_addf(b, ", fewer than %u", cfg->min_snapshots);
	return b->data ? 0 : MSP_ENOMEM;
}

/* Perfdata of one group: prefix "" without --group-by, "name_" with it. */
static int group_perf(const struct check_restic_config *cfg, const struct verdict *v, const char *prefix,
		      struct msp_result *root)
{
	const struct check_restic_snapshot *n = &v->g->newest;
	struct msp_threshold few = { .crit = { .start = (double)cfg->min_snapshots, .end_inf = true } };
	char label[256];
	struct msp_perf *p;

	few.has_crit = cfg->min_snapshots > 1;
	snprintf(label, sizeof(label), "%sage", prefix);
	if (v->g->nsnap && !msp_age_add_perf(root, label, &cfg->age, v->age))
		return MSP_ENOMEM;
	snprintf(label, sizeof(label), "%ssnapshots", prefix);
	if (!(p = msp_result_add_perf(root, label, (double)v->g->nsnap, "", &few)))
		return MSP_ENOMEM;
	msp_perf_set_min(p, 0);
	if (!v->g->nsnap || !n->has_summary)
		return 0;
	snprintf(label, sizeof(label), "%sduration", prefix);
	if (isfinite(n->duration) && !(p = msp_result_add_perf(root, label, n->duration, "s", NULL)))
		return MSP_ENOMEM;
	snprintf(label, sizeof(label), "%sdata_added", prefix);
	if (isfinite(n->data_added) && !(p = msp_result_add_perf(root, label, n->data_added, "B", NULL)))
		return MSP_ENOMEM;
	snprintf(label, sizeof(label), "%sfiles", prefix);
	if (isfinite(n->files) && !(p = msp_result_add_perf(root, label, n->files, "", NULL)))
		return MSP_ENOMEM;
	return 0;
}

/* "--host 'a' --tag 'daily'" for the message about an empty result; "" without filters. */
static void describe_filters(const struct check_restic_config *cfg, struct msp_buf *b)
{
	const struct msp_list *l[] = { &cfg->host, &cfg->path, &cfg->tag };
	const char *name[] = { "--host", "--path", "--tag" };

	for (size_t i = 0; i < 3; i++)
		for (size_t j = 0; j < l[i]->count; j++)
			msp_buf_addf(b, "%s%s '%s'", b->len ? " " : "", name[i], l[i]->items[j]);
}

/* Fail closed: `[]` (a typo in a filter, an empty repository) is never OK. */
static int evaluate_empty(const struct check_restic_config *cfg, struct msp_result *root)
{
	struct msp_buf f;
	struct msp_perf *p;
	int r;

	msp_buf_init(&f, 4096);
	describe_filters(cfg, &f);
	msp_result_set_state(root, MSP_STATE_CRITICAL);
	if (f.len)
		r = msp_result_set_text(root, "no snapshot matches %s", msp_buf_str(&f));
	else
		r = msp_result_set_text(root, "no snapshots in the repository");
	msp_buf_release(&f);
	if (r < 0 || !(p = msp_result_add_perf(root, cfg->group_by[0] ? "groups" : "snapshots", 0, "", NULL)))
		return MSP_ENOMEM;
	msp_perf_set_min(p, 0);
	return 0;
}

static int evaluate_single(const struct check_restic_config *cfg, const struct check_restic_group *g, double now,
			   struct msp_result *root)
{
	struct verdict v;
	struct msp_buf b;
	int r;

	judge_group(cfg, g, now, &v);
	msp_buf_init(&b, 4096);
	r = describe(cfg, &v, &b);
	msp_result_set_state(root, v.st);
	if (r == 0)
		r = msp_result_set_text(root, "%s", msp_buf_str(&b));
	if (r == 0)
		r = group_perf(cfg, &v, "", root);
	if (r == 0 && *g->newest.short_id &&
	    !msp_result_add_note(root, "newest snapshot %s of %s, paths %s%s%s", g->newest.short_id,
				 *g->newest.hostname ? g->newest.hostname : "(no host)", g->newest.paths,
				 *g->newest.tags ? ", tags " : "", g->newest.tags))
		r = MSP_ENOMEM;
	msp_buf_release(&b);
	return r;
}

/* Summary for --group-by: the worst group first, then how many are not OK. */
static int group_summary(const struct check_restic_config *cfg, const struct verdict *v, size_t n,
			 struct msp_result *root)
{
	size_t bad = 0;
	struct msp_buf b;
	int r;

	msp_buf_init(&b, 4096);
	for (size_t i = 0; i < n; i++)
		bad += v[i].st != MSP_STATE_OK;
	if (cfg->expect_groups && n < cfg->expect_groups)
		msp_buf_addf(&b, "only %zu of %u expected groups; ", n, cfg->expect_groups);
	if (bad == 0)
		msp_buf_addf(&b, "%zu group%s OK, stalest %s: ", n, n == 1 ? "" : "s", v[0].g->name);
	else
		msp_buf_addf(&b, "%s: ", v[0].g->name);
	r = describe(cfg, &v[0], &b);
	if (bad)
		msp_buf_addf(&b, "; %zu of %zu groups not OK", bad, n);
	if (r == 0)
		r = msp_result_set_text(root, "%s", msp_buf_str(&b));
	msp_buf_release(&b);
	return r;
}

static int evaluate_groups(const struct check_restic_config *cfg, const struct check_restic_sample *s, double now,
			   struct msp_result *root)
{
	struct msp_threshold expect = { .crit = { .start = (double)cfg->expect_groups, .end_inf = true },
					.has_crit = cfg->expect_groups > 0 };
	struct verdict *v = calloc(s->ngroup, sizeof(*v));
	enum msp_state st = MSP_STATE_OK;
	struct msp_buf b;
	struct msp_perf *p;
	char prefix[512];
	int r = MSP_ENOMEM;

	if (!v)
		return MSP_ENOMEM;
	msp_buf_init(&b, 4096);
	for (size_t i = 0; i < s->ngroup; i++)
		judge_group(cfg, &s->group[i], now, &v[i]);
	qsort(v, s->ngroup, sizeof(*v), by_worst);
	for (size_t i = 0; i < s->ngroup; i++)
		st = msp_state_worst(st, v[i].st);
	if (cfg->expect_groups && s->ngroup < cfg->expect_groups)
		st = MSP_STATE_CRITICAL;
	msp_result_set_state(root, st);
	if (group_summary(cfg, v, s->ngroup, root) < 0)
		goto out;
	if (!(p = msp_result_add_perf(root, "groups", (double)s->ngroup, "", &expect)))
		goto out;
	msp_perf_set_min(p, 0);
	for (size_t i = 0; i < s->ngroup; i++) {
		msp_buf_reset(&b);
		snprintf(prefix, sizeof(prefix), "%s_", v[i].g->name);
		if (describe(cfg, &v[i], &b) < 0 || group_perf(cfg, &v[i], prefix, root) < 0 ||
		    !msp_result_add_child(root, v[i].st, "%s: %s", v[i].g->name, msp_buf_str(&b)))
			goto out;
	}
	r = 0;
out:
	msp_buf_release(&b);
	free(v);
	return r;
}

int check_restic_evaluate(const struct check_restic_config *cfg, const struct check_restic_sample *s, double now,
			  struct msp_result *root)
{
	if (s->ngroup == 0)
		return evaluate_empty(cfg, root);
	if (!s->grouped)
		return evaluate_single(cfg, &s->group[0], now, root);
	return evaluate_groups(cfg, s, now, root);
}

/* -------------------------------------------------------------- failures */

/* The first line of text (redacted by the caller) holding needle, cut short; NULL when none. */
static const char *find_line(const char *text, const char *needle, char *buf, size_t len)
{
	const char *hit = strstr(text, needle), *start, *end;

	if (!hit)
		return NULL;
	for (start = hit; start > text && start[-1] != '\n'; start--)
		;
	end = start + strcspn(start, "\n");
	snprintf(buf, len, "%.*s", (int)(end - start > 200 ? 200 : end - start), start);
	return buf;
}

/* "repository is already locked exclusively by PID 1 on h by u (UID 0, GID 0)" -> "exclusively by PID 1 on h by u" */
static void lock_holder(const char *errtext, char *buf, size_t len)
{
	const char *l = find_line(errtext, "already locked", buf, len);
	char *p;

	if (!l) {
		snprintf(buf, len, "by another restic process");
		return;
	}
	p = strstr(buf, "already locked");
	memmove(buf, p + strlen("already locked"), strlen(p + strlen("already locked")) + 1);
	if ((p = strstr(buf, " (UID")))
		*p = '\0';
	while (*buf == ' ')
		memmove(buf, buf + 1, strlen(buf));
}

/*
 * restic >= 0.17 ends a failed --json run with {"message_type":"exit_error","code":N,"message":"..."}
 * on stderr: its message is the text to judge.  NULL when there is none.
 */
static const char *exit_error_message(const char *errtext, char *buf, size_t len)
{
	const char *p = strstr(errtext, "{\"message_type\":\"exit_error\"");
	struct json_object *o = NULL;
	const char *m;

	if (!p || msp_json_parse(p, strcspn(p, "\n"), "the exit error", &o, NULL) < 0)
		return NULL;
	m = msp_json_string(o, "message");
	if (m)
		snprintf(buf, len, "%s", m);
	json_object_put(o);
	return m ? buf : NULL;
}

static int failure_text(const struct check_restic_config *cfg, const char *repo, int exit_code, const char *errtext,
			struct msp_result *root);

int check_restic_failure(const struct check_restic_config *cfg, const struct msp_redact *secrets, const char *repo,
			 int exit_code, const char *text, struct msp_result *root)
{
	char msg[1024];
	char *errtext;
	const char *l;
	int r;

	if ((l = exit_error_message(text, msg, sizeof(msg))))
		text = l;
	/* The message restic's JSON held is redacted again once it is decoded, before a line of it is cut. */
	if (!(errtext = msp_redact_dup(secrets, text)))
		return MSP_ENOMEM;
	r = failure_text(cfg, repo, exit_code, errtext, root);
	explicit_bzero(errtext, strlen(errtext));
	explicit_bzero(msg, sizeof(msg));
	free(errtext);
	return r;
}

static int failure_text(const struct check_restic_config *cfg, const char *repo, int exit_code, const char *errtext,
			struct msp_result *root)
{
	char line[256];
	const char *l;

	if (!repo)
		repo = "(set by the wrapper)";
	if (exit_code == 12 || strstr(errtext, "wrong password")) {
		msp_result_set_state(root, MSP_STATE_UNKNOWN);
		return msp_result_set_text(root, "wrong password for repository '%s' (no key matches)", repo);
	}
	if (strstr(errtext, "empty password")) {
		msp_result_set_state(root, MSP_STATE_UNKNOWN);
		return msp_result_set_text(root, "the password for repository '%s' is empty", repo);
	}
	if ((l = find_line(errtext, "sudo:", line, sizeof(line)))) {
		msp_result_set_state(root, MSP_STATE_UNKNOWN);
		return msp_result_set_text(root, "cannot run restic through sudo: %s", l);
	}
	if ((l = find_line(errtext, "password", line, sizeof(line)))) {
		msp_result_set_state(root, MSP_STATE_UNKNOWN);
		return msp_result_set_text(root, "cannot get the password: %s", l);
	}
	if (exit_code == 11 || strstr(errtext, "already locked")) {
		lock_holder(errtext, line, sizeof(line));
		msp_result_set_state(root, cfg->lock_state);
		return msp_result_set_text(root, "repository '%s' is locked %s", repo, line);
	}
	if (exit_code == 10 || strstr(errtext, "Is there a repository at the following location?") ||
	    strstr(errtext, "unable to open config file")) {
		msp_result_set_state(root, MSP_STATE_CRITICAL);
		return msp_result_set_text(root, "repository '%s' does not exist or cannot be reached", repo);
	}
	msp_result_set_state(root, MSP_STATE_UNKNOWN);
	if (!(l = find_line(errtext, "Fatal:", line, sizeof(line))) &&
	    msp_cmd_error_line(NULL, errtext, line, sizeof(line)) == 0)
		l = line;
	return msp_result_set_text(root, "restic snapshots failed (exit %d)%s%s", exit_code, l && *l ? ": " : "",
				   l ? l : "");
}
