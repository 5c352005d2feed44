/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * check_borg_eval.c - check_borg's evaluation: each series (an -a glob, or
 * the whole repository) judged on its newest archive that is not a
 * checkpoint, its perfdata, the borg info numbers, the lock finding and the
 * summary.  Pure: the clock is passed in.
 */
#include <fnmatch.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_borg.h"

void check_borg_pick_series(const struct check_borg_list *l, const char *glob, struct check_borg_series *ret)
{
	struct check_borg_series s = { 0 };

	for (size_t i = 0; i < l->n; i++) {
		const struct check_borg_archive *a = &l->archive[i];

		if (glob && fnmatch(glob, a->name, 0) != 0)
			continue;
		if (a->checkpoint) {
			s.nckpt++;
			if (!s.newest_ckpt || a->time >= s.newest_ckpt->time)
				s.newest_ckpt = a;
			continue;
		}
		s.count++;
		if (!s.newest || a->time >= s.newest->time)
			s.newest = a;
	}
	*ret = s;
}

/* The glob without wildcards and other characters graphers choke on: "system-*" -> "system". */
static void clean_glob(const char *g, char out[48])
{
	size_t n = 0, start;

	for (; *g && n < 47; g++)
		if (strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-", *g))
			out[n++] = *g;
	while (n && strchr("_.-", out[n - 1]))
		n--;
	out[n] = '\0';
	start = strspn(out, "_.-");
	memmove(out, out + start, n - start + 1);
}

/*
 * Perfdata label prefix of series i: its cleaned glob and "_", or "seriesN_"
 * when that leaves nothing or repeats an earlier series; "" without -a.
 */
static void series_prefix(const struct check_borg_config *cfg, size_t i, char *buf, size_t len)
{
	char mine[48], other[48];

	buf[0] = '\0';
	if (cfg->glob.count == 0)
		return;
	clean_glob(cfg->glob.items[i], mine);
	for (size_t k = 0; k < i && mine[0]; k++) {
		clean_glob(cfg->glob.items[k], other);
		if (strcmp(mine, other) == 0)
			mine[0] = '\0';
	}
	if (mine[0])
		snprintf(buf, len, "%s_", mine);
	else
		snprintf(buf, len, "series%zu_", i + 1);
}

static int add_perf(struct msp_result *r, const char *prefix, const char *name, double v, const char *uom)
{
	char label[96];
	struct msp_perf *p;

	snprintf(label, sizeof(label), "%s%s", prefix, name);
	p = msp_result_add_perf(r, label, v, uom, NULL);
	if (!p)
		return MSP_ENOMEM;
	p->decimals = 3;
	msp_perf_set_min(p, 0);
	return 0;
}

static int add_info(const struct check_borg_info *in, const char *prefix, struct msp_result *c)
{
	char size[32], dedup[32], took[32], when[MSP_TIME_FORMAT_MAX] = "";

	if (add_perf(c, prefix, "size", in->original_size, "B") < 0 ||
	    add_perf(c, prefix, "deduplicated_size", in->deduplicated_size, "B") < 0 ||
	    add_perf(c, prefix, "files", in->nfiles, "") < 0 || add_perf(c, prefix, "duration", in->duration, "s") < 0)
		return MSP_ENOMEM;
	if (!isnan(in->end))
		msp_time_format(in->end, when, sizeof(when));
	if (!msp_result_add_note(c, "%s, %s deduplicated, %.0f files, took %s%s%s",
				 msp_num_human_size(in->original_size, size, sizeof(size)),
				 msp_num_human_size(in->deduplicated_size, dedup, sizeof(dedup)), in->nfiles,
				 msp_num_human_duration(in->duration, took, sizeof(took)), when[0] ? ", ended " : "",
				 when))
		return MSP_ENOMEM;
	return 0;
}

/* One series: a child judged on its newest archive; returns the child (NULL on ENOMEM). */
static struct msp_result *evaluate_series(const struct check_borg_config *cfg, const struct check_borg_sample *s,
					  size_t i, double now, struct msp_result *root, char *summary, size_t slen)
{
	const char *glob = cfg->glob.count ? cfg->glob.items[i] : NULL;
	char prefix[64], phrase[MSP_AGE_PHRASE_MAX], when[MSP_TIME_FORMAT_MAX], tag[200] = "";
	struct msp_result *c;
	struct check_borg_series se;
	enum msp_state st;
	double age;

	check_borg_pick_series(&s->list, glob, &se);
	series_prefix(cfg, i, prefix, sizeof(prefix));
	if (glob)
		snprintf(tag, sizeof(tag), "%s: ", glob);
	if (!se.newest) {
		snprintf(summary, slen, "%s%s", tag, glob ? "no archive matches" : "no archives in the repository");
		c = msp_result_add_child(root, MSP_STATE_CRITICAL, "%s%s", summary,
					 se.nckpt ? " (only checkpoints of interrupted runs)" : "");
		if (c && add_perf(c, prefix, "archives", 0, "") < 0)
			return NULL;
		return c;
	}
	st = msp_age_judge(&cfg->age, se.newest->time, now, &age, phrase, sizeof(phrase));
	msp_time_format(se.newest->time, when, sizeof(when));
	snprintf(summary, slen, "%snewest '%s' %s", tag, se.newest->name, phrase);
	c = msp_result_add_child(root, st, "%snewest '%s' %s (%s), %zu archive%s", tag, se.newest->name, phrase, when,
				 se.count, se.count == 1 ? "" : "s");
	if (!c)
		return NULL;
	snprintf(tag, sizeof(tag), "%sage", prefix);
	if (!msp_age_add_perf(c, tag, &cfg->age, age) || add_perf(c, prefix, "archives", (double)se.count, "") < 0)
		return NULL;
	if (se.newest_ckpt && se.newest_ckpt->time > se.newest->time) {
		msp_age_judge(&cfg->age, se.newest_ckpt->time, now, &age, phrase, sizeof(phrase));
		if (!msp_result_add_note(c,
					 "newer checkpoint '%s' (%s) not counted: borg create was interrupted "
					 "or is still running",
					 se.newest_ckpt->name, phrase))
			return NULL;
	}
	if (s->info && i < s->ninfo && s->info[i].valid && add_info(&s->info[i], prefix, c) < 0)
		return NULL;
	return c;
}

int check_borg_evaluate(const struct check_borg_config *cfg, const struct check_borg_sample *s, double now,
			struct msp_result *root)
{
	size_t nseries = cfg->glob.count ? cfg->glob.count : 1, nok = 0;
	enum msp_state worst = MSP_STATE_OK;
	char summary[320] = "", text[320];
	char more[64] = "";

	for (size_t i = 0; i < nseries; i++) {
		struct msp_result *c = evaluate_series(cfg, s, i, now, root, text, sizeof(text));

		if (!c)
			return MSP_ENOMEM;
		if (c->state == MSP_STATE_OK)
			nok++;
		/* The summary names the first of the worst series. */
		if (i == 0 || msp_state_rank(c->state) > msp_state_rank(worst)) {
			worst = c->state;
			snprintf(summary, sizeof(summary), "%s", text);
		}
		if (s->info_error && i < s->ninfo && s->info_error[i] &&
		    !msp_result_add_child(root, MSP_STATE_UNKNOWN, "%s", s->info_error[i]))
			return MSP_ENOMEM;
	}
	if (s->list_warning &&
	    !msp_result_add_child(root, MSP_STATE_WARNING, "borg list ended with a warning (exit 1)"))
		return MSP_ENOMEM;
	/* a lock this user cannot make (a read-only repository) is no lock held: a note, not a state */
	if (s->locked && s->lock_denied &&
	    !msp_result_add_note(root, "archives read without the lock, which cannot be made here: %s", s->lock_message))
		return MSP_ENOMEM;
	if (s->locked && !s->lock_denied &&
	    !msp_result_add_child(root, cfg->lock_state,
				  "repository locked by another borg process (a running borg create?); "
				  "archives read without the lock"))
		return MSP_ENOMEM;
	if (nseries > 1)
		snprintf(more, sizeof(more), "; %zu of %zu series OK", nok, nseries);
	return msp_result_set_text(root, "%s%s%s%s", summary, more,
				   s->locked && !s->lock_denied ? "; repository locked" : "",
				   s->list_warning ? "; borg list warned" : "");
}

void check_borg_sample_release(struct check_borg_sample *s)
{
	check_borg_list_release(&s->list);
	for (size_t i = 0; s->info_error && i < s->ninfo; i++)
		free(s->info_error[i]);
	free(s->info_error);
	free(s->info);
	memset(s, 0, sizeof(*s));
}
