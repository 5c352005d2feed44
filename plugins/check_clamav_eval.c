/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * check_clamav_eval.c - check_clamav_evaluate(): the sample judged into the
 * result tree (one line per database, the daemon, the EICAR test and
 * freshclam; state, summary and perfdata).  Time is passed in.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "check_clamav.h"

/* Summary parts, problems first: a bounded string each. */
struct summary {
	char bad[512];
	char good[512];
};

static void summary_add(struct summary *sm, enum msp_state st, const char *text)
{
	char *s = st == MSP_STATE_OK ? sm->good : sm->bad;
	size_t len = strlen(s);

	snprintf(s + len, sizeof(sm->bad) - len, "%s%s", len ? ", " : "", text);
}

/* A database build time, UTC, for the long output. */
static void format_time(int64_t t, char *buf, size_t len)
{
	struct tm tm;

	if (!msp_time_utc((time_t)t, &tm) || !strftime(buf, len, "%Y-%m-%d %H:%M UTC", &tm))
		snprintf(buf, len, "%lld", (long long)t);
}

static int evaluate_db(const struct check_clamav_config *cfg, enum check_clamav_dbid id,
		       const struct check_clamav_db *d, int64_t now, struct summary *sm, struct msp_result *root)
{
	char when[40], ago[MSP_AGE_PHRASE_MAX], text[200];
	enum msp_state st;
	double age;

	if (d->status == CHECK_CLAMAV_DB_MISSING) {
		/* The summary names all missing databases at once (see check_clamav_evaluate). */
		return msp_result_add_child(root, MSP_STATE_CRITICAL, "no %s database (%s.cvd, .cld or .cud) in '%s'",
					    check_clamav_db_name(id), check_clamav_db_name(id), cfg->db_dir)
			       ? 0
			       : MSP_ENOMEM;
	}
	if (d->status == CHECK_CLAMAV_DB_BAD) {
		snprintf(text, sizeof(text), "%s: %s", d->file, d->problem);
		summary_add(sm, MSP_STATE_CRITICAL, text);
		return msp_result_add_child(root, MSP_STATE_CRITICAL, "%s/%s: %s", cfg->db_dir, d->file, d->problem)
			       ? 0
			       : MSP_ENOMEM;
	}
	format_time(d->h.build_time, when, sizeof(when));
	if (id == CHECK_CLAMAV_DAILY) {
		st = msp_age_judge(&cfg->age, (double)d->h.build_time, (double)now, &age, ago, sizeof(ago));
		snprintf(text, sizeof(text), "daily %llu built %s", (unsigned long long)d->h.version, ago);
		summary_add(sm, st, text);
	} else {
		/* main and bytecode change rarely: no age limit, but a time in the future still says so. */
		struct msp_age_policy any = { .max_future = cfg->age.max_future };

		st = msp_age_judge(&any, (double)d->h.build_time, (double)now, &age, ago, sizeof(ago));
		if (st != MSP_STATE_OK) {
			snprintf(text, sizeof(text), "%s built %s", d->file, ago);
			summary_add(sm, st, text);
		}
	}
	return msp_result_add_child(root, st, "%s: version %llu, %llu signatures, built %s (%s), builder %s; %s", d->file,
				    (unsigned long long)d->h.version, (unsigned long long)d->h.sigs, when, ago,
				    d->h.builder, d->verified[0] ? d->verified : "body not checked")
		       ? 0
		       : MSP_ENOMEM;
}

static int evaluate_freshclam(const struct check_clamav_config *cfg, const struct check_clamav_freshclam *f,
			      int64_t now, struct summary *sm, struct msp_result *root)
{
	char text[320], ago[64] = "", h[40];
	enum msp_state st;

	if (f->problem[0]) {
		st = MSP_STATE_UNKNOWN;
		snprintf(text, sizeof(text), "freshclam log: %.290s", f->problem);
	} else if (f->result == CHECK_CLAMAV_UPDATE_NONE) {
		st = MSP_STATE_UNKNOWN;
		snprintf(text, sizeof(text), "no finished freshclam update in '%.200s'%s", cfg->freshclam_log,
			 f->attempts ? "" : " (LogTime and UpdateLogFile set?)");
	} else {
		if (f->result_time)
			snprintf(ago, sizeof(ago), " %s ago", msp_num_human_duration((double)(now - f->result_time), h,
									       sizeof(h)));
		st = f->result == CHECK_CLAMAV_UPDATE_OK ? MSP_STATE_OK : MSP_STATE_WARNING;
		if (st == MSP_STATE_OK)
			snprintf(text, sizeof(text), "freshclam succeeded%s", ago);
		else
			snprintf(text, sizeof(text), "freshclam failed%s: %s", ago, f->reason);
	}
	summary_add(sm, st, st == MSP_STATE_OK ? "freshclam OK" : text);
	if (!msp_result_add_child(root, st, "%s", text))
		return MSP_ENOMEM;
	if (f->pending && f->result != CHECK_CLAMAV_UPDATE_NONE &&
	    !msp_result_add_note(root, "a later freshclam run has no result yet (running, or cut off)"))
		return MSP_ENOMEM;
	return 0;
}

static int evaluate_daemon(const struct check_clamav_config *cfg, const struct check_clamav_sample *s,
			   struct summary *sm, struct msp_result *root)
{
	const struct check_clamav_daemon *d = &s->daemon;
	const struct check_clamav_db *daily = &s->db[CHECK_CLAMAV_DAILY];
	char text[400];
	enum msp_state st = MSP_STATE_OK;

	if (d->status == CHECK_CLAMAV_DAEMON_DOWN) {
		snprintf(text, sizeof(text), "clamd: %s", d->problem);
		summary_add(sm, MSP_STATE_CRITICAL, text);
		return msp_result_add_child(root, MSP_STATE_CRITICAL, "%s", text) ? 0 : MSP_ENOMEM;
	}
	if (!d->has_version) {
		st = MSP_STATE_UNKNOWN;
		snprintf(text, sizeof(text), "clamd answered PONG, but VERSION: %s", d->version_problem);
	} else if (!d->has_loaded) {
		/* A scanner without signatures detects nothing. */
		st = MSP_STATE_CRITICAL;
		snprintf(text, sizeof(text), "clamd %s has no signature database loaded", d->engine);
	} else if (cfg->loaded_vs_disk && daily->status == CHECK_CLAMAV_DB_OK && d->loaded != daily->h.version) {
		st = MSP_STATE_WARNING;
		snprintf(text, sizeof(text), "clamd runs daily %llu, %s has %llu (%s)", (unsigned long long)d->loaded,
			 daily->file, (unsigned long long)daily->h.version,
			 d->loaded < daily->h.version ? "not reloaded" : "another database directory?");
	} else {
		snprintf(text, sizeof(text), "clamd %s answered in %.3f s", d->engine, d->response_time);
	}
	summary_add(sm, st, text);
	if (!msp_result_add_child(root, st, "%s%s", text,
				  st == MSP_STATE_OK && d->has_loaded ? " with daily loaded" : ""))
		return MSP_ENOMEM;
	if (st != MSP_STATE_OK && d->has_version &&
	    !msp_result_add_note(root, "clamd %s on %s answered in %.3f s", d->engine, d->where, d->response_time))
		return MSP_ENOMEM;
	if (d->eicar == CHECK_CLAMAV_EICAR_UNCHECKED)
		return 0;
	if (d->eicar == CHECK_CLAMAV_EICAR_FOUND) {
		summary_add(sm, MSP_STATE_OK, "EICAR detected");
		return msp_result_add_child(root, MSP_STATE_OK, "EICAR test string detected as %s", d->eicar_reply)
			       ? 0
			       : MSP_ENOMEM;
	}
	if (d->eicar == CHECK_CLAMAV_EICAR_MISSED)
		snprintf(text, sizeof(text), "clamd did not detect the EICAR test string");
	else
		snprintf(text, sizeof(text), "EICAR scan failed: %s", d->eicar_reply);
	summary_add(sm, MSP_STATE_CRITICAL, text);
	return msp_result_add_child(root, MSP_STATE_CRITICAL, "%s", text) ? 0 : MSP_ENOMEM;
}

static int add_perfdata(const struct check_clamav_config *cfg, const struct check_clamav_sample *s, int64_t now,
			struct msp_result *root)
{
	const struct check_clamav_db *daily = &s->db[CHECK_CLAMAV_DAILY];
	uint64_t sigs = 0;
	bool any = false;
	struct msp_perf *p;

	if (daily->status == CHECK_CLAMAV_DB_OK) {
		char phrase[MSP_AGE_PHRASE_MAX];
		double age;

		msp_age_judge(&cfg->age, (double)daily->h.build_time, (double)now, &age, phrase, sizeof(phrase));
		if (!msp_age_add_perf(root, "daily_age", &cfg->age, age))
			return MSP_ENOMEM;
		p = msp_result_add_perf(root, "daily_version", (double)daily->h.version, "", NULL);
		if (!p)
			return MSP_ENOMEM;
		msp_perf_set_min(p, 0);
	}
	for (int i = 0; i < CHECK_CLAMAV_NDB; i++) {
		if (s->db[i].status == CHECK_CLAMAV_DB_OK) {
			sigs += s->db[i].h.sigs;
			any = true;
		}
	}
	if (any) {
		p = msp_result_add_perf(root, "signatures", (double)sigs, "", NULL);
		if (!p)
			return MSP_ENOMEM;
		msp_perf_set_min(p, 0);
	}
	if (s->daemon.status == CHECK_CLAMAV_DAEMON_UP) {
		p = msp_result_add_perf(root, "time", s->daemon.response_time, "s", NULL);
		if (!p)
			return MSP_ENOMEM;
		msp_perf_set_min(p, 0);
	}
	return 0;
}

int check_clamav_evaluate(const struct check_clamav_config *cfg, const struct check_clamav_sample *s, int64_t now,
			  struct msp_result *root)
{
	struct summary sm = { "", "" };
	char missing[80] = "", text[300];
	int r;

	for (int i = 0; i < CHECK_CLAMAV_NDB; i++) {
		if (!cfg->want[i] && s->db[i].status != CHECK_CLAMAV_DB_OK)
			continue;
		if (s->db[i].status == CHECK_CLAMAV_DB_MISSING)
			snprintf(missing + strlen(missing), sizeof(missing) - strlen(missing), "%s%s",
				 missing[0] ? ", " : "", check_clamav_db_name((enum check_clamav_dbid)i));
		r = evaluate_db(cfg, (enum check_clamav_dbid)i, &s->db[i], now, &sm, root);
		if (r < 0)
			return r;
	}
	if (missing[0]) {
		snprintf(text, sizeof(text), "no %s database in '%.200s'", missing, cfg->db_dir);
		summary_add(&sm, MSP_STATE_CRITICAL, text);
	}
	if (s->daemon.status != CHECK_CLAMAV_DAEMON_UNCHECKED) {
		r = evaluate_daemon(cfg, s, &sm, root);
		if (r < 0)
			return r;
	}
	if (s->freshclam.checked) {
		r = evaluate_freshclam(cfg, &s->freshclam, now, &sm, root);
		if (r < 0)
			return r;
	}
	r = add_perfdata(cfg, s, now, root);
	if (r < 0)
		return r;
	return msp_result_set_text(root, "%s%s%s", sm.bad, sm.bad[0] && sm.good[0] ? "; " : "", sm.good);
}
