/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * check_backup_status_eval.c - check_backup_status_evaluate: a sample, the
 * age policy and the wall clock into state, summary, perfdata and notes.
 * Pure: the time is passed in.
 */
#include <math.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "check_backup_status.h"

/* -------------------------------------------------------------- evaluate */

static int restic_perfdata(const struct check_backup_status_sample *s, struct msp_result *root)
{
	static const struct {
		const char *label, *uom;
		size_t off;
	} items[] = {
		{ "files_new", "", offsetof(struct check_backup_status_sample, files_new) },
		{ "files_changed", "", offsetof(struct check_backup_status_sample, files_changed) },
		{ "files", "", offsetof(struct check_backup_status_sample, total_files) },
		{ "bytes", "B", offsetof(struct check_backup_status_sample, total_bytes) },
		{ "data_added", "B", offsetof(struct check_backup_status_sample, data_added) },
		{ "duration", "s", offsetof(struct check_backup_status_sample, duration) },
	};
	struct msp_perf *p;

	for (size_t i = 0; s->has_summary && i < sizeof(items) / sizeof(items[0]); i++) {
		double v;

		memcpy(&v, (const char *)s + items[i].off, sizeof(v));
		if (!isfinite(v))
			continue;
		p = msp_result_add_perf(root, items[i].label, v, items[i].uom, NULL);
		if (!p)
			return MSP_ENOMEM;
		p->decimals = 3;
		msp_perf_set_min(p, 0);
	}
	p = msp_result_add_perf(root, "errors", (double)s->errors, "", NULL);
	if (!p)
		return MSP_ENOMEM;
	msp_perf_set_min(p, 0);
	return 0;
}

static enum msp_state result_state(const struct check_backup_status_config *cfg,
				   const struct check_backup_status_sample *s, char *word, size_t len)
{
	enum msp_state st;

	switch (s->outcome) {
	case CHECK_BACKUP_STATUS_SUCCESS:
		snprintf(word, len, "completed successfully");
		return MSP_STATE_OK;
	case CHECK_BACKUP_STATUS_WARNINGS:
		snprintf(word, len, "completed with warnings");
		return cfg->warnings_ok ? MSP_STATE_OK : MSP_STATE_WARNING;
	case CHECK_BACKUP_STATUS_FAILED:
		snprintf(word, len, "failed");
		return MSP_STATE_CRITICAL;
	default:
		st = s->reported;
		snprintf(word, len, "reported %s", msp_state_name(st));
		return st == MSP_STATE_WARNING && cfg->warnings_ok ? MSP_STATE_OK : st;
	}
}

/* The file is not there or says nothing: the job did not report, which is never OK. */
static int evaluate_no_content(const struct check_backup_status_config *cfg, const struct check_backup_status_sample *s,
			       double now, struct msp_result *root)
{
	char phrase[MSP_AGE_PHRASE_MAX];
	double age;

	msp_result_set_state(root, MSP_STATE_CRITICAL);
	if (s->missing)
		return msp_result_set_text(root, "status file '%s' does not exist", cfg->file);
	msp_age_judge(&cfg->age, s->mtime, now, &age, phrase, sizeof(phrase));
	return msp_result_set_text(root, "status file '%s' is empty (written %s)", cfg->file, phrase);
}

int check_backup_status_evaluate(const struct check_backup_status_config *cfg,
				 const struct check_backup_status_sample *s, double now, struct msp_result *root)
{
	char word[40], phrase[MSP_AGE_PHRASE_MAX], when[MSP_TIME_FORMAT_MAX], limit[64];
	const char *name = cfg->job ? cfg->job : s->job;
	bool inside = isfinite(s->when);
	double t = inside ? s->when : s->mtime, age;
	enum msp_state rst, ast;

	if (s->missing || s->empty)
		return evaluate_no_content(cfg, s, now, root);
	if (name[0] == '$')
		name += name[1] == '.' ? 2 : 1; /* a JSON path: "$" would read as an Icinga macro */
	rst = result_state(cfg, s, word, sizeof(word));
	ast = msp_age_judge(&cfg->age, t, now, &age, phrase, sizeof(phrase));
	msp_result_set_state(root, msp_state_worst(rst, ast));
	limit[0] = '\0';
	if (ast != MSP_STATE_OK && age >= 0)
		snprintf(limit, sizeof(limit), ", no run since");
	if (msp_result_set_text(root, "%s%s%s%s%s, %s %s (%s)%s", name, *name ? " " : "", word, s->text[0] ? ": " : "",
				s->text, inside ? "finished" : "file written", phrase,
				msp_time_format(t, when, sizeof(when)), limit) < 0 ||
	    !msp_age_add_perf(root, "age", &cfg->age, age))
		return MSP_ENOMEM;
	if (cfg->format == CHECK_BACKUP_STATUS_RESTIC_JSON && restic_perfdata(s, root) < 0)
		return MSP_ENOMEM;
	if (isfinite(s->unfinished) &&
	    !msp_result_add_note(root, "a later run started %s has not finished (still running or killed)",
				 msp_time_format(s->unfinished, when, sizeof(when))))
		return MSP_ENOMEM;
	if (s->later_run && !msp_result_add_note(root, "a later run has not finished (still running or killed)"))
		return MSP_ENOMEM;
	if (s->nul_runs && !msp_result_add_note(root, "%zu run%s of NUL bytes skipped (a write lost in a crash?)",
						s->nul_runs, s->nul_runs == 1 ? "" : "s"))
		return MSP_ENOMEM;
	for (size_t i = 0; i < s->ndetail && i < CHECK_BACKUP_STATUS_DETAIL_MAX; i++)
		if (!msp_result_add_note(root, "%s", s->detail[i]))
			return MSP_ENOMEM;
	if (s->ndetail > CHECK_BACKUP_STATUS_DETAIL_MAX &&
	    !msp_result_add_note(root, "... and %zu more", s->ndetail - CHECK_BACKUP_STATUS_DETAIL_MAX))
		return MSP_ENOMEM;
	return 0;
}
