/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * check_file_age - age and size of a file (drop-in for monitoring-plugins check_file_age).
 *
 * probe: stat(2) the file, or expand a pattern with msp_glob (every unreadable place
 *        reported) and stat every match
 * parse: check_file_age_thresholds()      evaluate: check_file_age_evaluate()
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "check_file_age.h"
#include "msp_glob.h"

#define MSP_CFG struct check_file_age_config
static const struct msp_option options[] = {
	MSP_PATH('f', "file", file, "FILE",
		 "The file to check (or give it as the only argument); symlinks are followed\n"
		 "A pattern with * ? or [...] is expanded with glob(3), without a shell",
		 .var = "file_age_file"),
	MSP_STRING('w', "warning-age", warn_age, "SECONDS",
		   "WARNING when the file is more than SECONDS old (default 240); also --warning\n"
		   "Units are accepted: 90s 15m 26h 7d 2w; a range such as 1h:26h is a range (see below)",
		   .var = "file_age_warning_time"),
	MSP_STRING(0, "warning", warn_age, "SECONDS", NULL),
	MSP_STRING('c', "critical-age", crit_age, "SECONDS",
		   "CRITICAL when the file is more than SECONDS old (default 600); also --critical",
		   .var = "file_age_critical_time"),
	MSP_STRING(0, "critical", crit_age, "SECONDS", NULL),
	MSP_STRING('W', "warning-size", warn_size, "BYTES",
		   "WARNING when the file is *smaller* than BYTES (a minimum, as in the reference)\n"
		   "10KB = 10000 bytes, 10KiB = 10240.  Default: size is not checked",
		   .var = "file_age_warning_size"),
	MSP_STRING('C', "critical-size", crit_size, "BYTES", "CRITICAL when the file is smaller than BYTES",
		   .var = "file_age_critical_size"),
	MSP_BOOL('i', "ignore-missing", ignore_missing,
		 "OK when the file does not exist (or the pattern matches nothing)", .var = "file_age_ignoremissing"),
	MSP_SET(0, "newest", pick, CHECK_FILE_AGE_NEWEST,
		"When a pattern matches several files, judge the newest one (default)"),
	MSP_SET(0, "oldest", pick, CHECK_FILE_AGE_OLDEST, "When a pattern matches several files, judge the oldest one",
		.var = "file_age_oldest"),
	MSP_STATE(0, "future-state", future_state, "STATE",
		  "At least this state when the judged file was modified in the future\n"
		  "Default: WARNING for a pattern; for a single file the thresholds alone decide",
		  .given = MSP_GIVEN(has_future_state), .var = "file_age_future_state"),
	MSP_OPTION_END,
};

/* ------------------------------------------------------------ thresholds */

/*
 * The reference reads a value as a plain limit when it is all digits; any
 * other text switches it to range processing.  We also count a unit suffix
 * ("15m", "10KB") as plain: the reference cannot parse those at all.
 */
static bool is_plain(const char *s)
{
	size_t digits;

	if (!s)
		return true;
	digits = strspn(s, "0123456789");
	if (digits == 0)
		return false;
	for (s += digits; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z')))
			return false;
	return true;
}

/* A plain limit: one number in the base unit. */
static int plain_value(const char *opt, const char *text, const char *dflt, unsigned unit, double *ret,
		       struct msp_error *err)
{
	struct msp_error e;

	msp_error_init(&e);
	if (msp_num_value(text ? text : dflt, unit, 1, ret, NULL, &e) < 0)
		return msp_error_set(err, MSP_EINVAL, "cannot parse %s: %s", opt, e.msg);
	return 0;
}

/* The reference's plain mode: age above N alerts, size below N alerts; perfdata shows N. */
static int plain_thresholds(const struct check_file_age_config *cfg, struct msp_threshold ret[4], struct msp_error *err)
{
	double w, c, ws, cs;

	if (plain_value("-w", cfg->warn_age, "240", MSP_UNIT_DURATION, &w, err) < 0 ||
	    plain_value("-c", cfg->crit_age, "600", MSP_UNIT_DURATION, &c, err) < 0 ||
	    plain_value("-W", cfg->warn_size, "0", MSP_UNIT_SIZE, &ws, err) < 0 ||
	    plain_value("-C", cfg->crit_size, "0", MSP_UNIT_SIZE, &cs, err) < 0)
		return MSP_EINVAL;
	ret[0] = (struct msp_threshold){ .warn = { .start_inf = true, .end = w },
					 .crit = { .start_inf = true, .end = c },
					 .has_warn = true,
					 .has_crit = true };
	ret[1] = (struct msp_threshold){ .warn = { .start = ws, .end_inf = true },
					 .crit = { .start = cs, .end_inf = true },
					 .has_warn = true,
					 .has_crit = true };
	ret[2] = (struct msp_threshold){
		.warn = { .end = w }, .crit = { .end = c }, .has_warn = true, .has_crit = true
	};
	ret[3] = (struct msp_threshold){
		.warn = { .end = ws }, .crit = { .end = cs }, .has_warn = true, .has_crit = true
	};
	return 0;
}

/* The reference's range mode: every value is a range; an unset or "0" size limit means "0:". */
static int range_thresholds(const struct check_file_age_config *cfg, struct msp_threshold ret[4], struct msp_error *err)
{
	const char *ws = cfg->warn_size, *cs = cfg->crit_size;
	struct msp_threshold age = { .has_warn = true, .has_crit = true };
	struct msp_threshold size = { .has_warn = true, .has_crit = true };

	if (!ws || strcmp(ws, "0") == 0)
		ws = "0:";
	if (!cs || strcmp(cs, "0") == 0)
		cs = "0:";
	if (msp_range_parse(cfg->warn_age ? cfg->warn_age : "240", MSP_UNIT_DURATION, 1, &age.warn, err) < 0 ||
	    msp_range_parse(cfg->crit_age ? cfg->crit_age : "600", MSP_UNIT_DURATION, 1, &age.crit, err) < 0 ||
	    msp_range_parse(ws, MSP_UNIT_SIZE, 1, &size.warn, err) < 0 ||
	    msp_range_parse(cs, MSP_UNIT_SIZE, 1, &size.crit, err) < 0)
		return MSP_EINVAL;
	ret[0] = ret[2] = age;
	ret[1] = ret[3] = size;
	return 0;
}

int check_file_age_thresholds(struct check_file_age_config *cfg, struct msp_error *err)
{
	struct msp_threshold t[4];
	bool range_mode = !is_plain(cfg->warn_age) || !is_plain(cfg->crit_age) || !is_plain(cfg->warn_size) ||
			  !is_plain(cfg->crit_size);

	if ((range_mode ? range_thresholds(cfg, t, err) : plain_thresholds(cfg, t, err)) < 0)
		return MSP_EINVAL;
	cfg->range_mode = range_mode;
	cfg->age = t[0];
	cfg->size = t[1];
	cfg->age_perf = t[2];
	cfg->size_perf = t[3];
	return 0;
}

/* --------------------------------------------------------------- options */

static int file_age_option(void *vcfg, int id, const char *arg, struct msp_error *err)
{
	struct check_file_age_config *cfg = vcfg;

	/* The only callback entry: a file given as an argument (id MSP_OPT_POSITIONAL). */
	(void)id;
	if (cfg->file)
		return msp_error_set(err, MSP_EINVAL, "unexpected argument '%.60s': the file is already '%.60s'", arg,
				     cfg->file);
	cfg->file = arg;
	return 0;
}

static int file_age_finish(void *vcfg, const struct msp_context *ctx, struct msp_error *err)
{
	struct check_file_age_config *cfg = vcfg;

	if (check_file_age_thresholds(cfg, err) < 0)
		return MSP_EINVAL;
	if (!cfg->file)
		return msp_error_set(err, MSP_EINVAL, "no file specified: give -f FILE");
	return 0;
}

/* ---------------------------------------------------------------- sample */

int check_file_age_sample_add(struct check_file_age_sample *s, const char *path, int64_t mtime, long mtime_nsec,
			      int64_t size)
{
	struct check_file_age_entry *v;
	char *p = strdup(path);

	if (!p)
		return MSP_ENOMEM;
	v = realloc(s->entry, (s->n + 1) * sizeof(*v));
	if (!v) {
		free(p);
		return MSP_ENOMEM;
	}
	s->entry = v;
	s->entry[s->n++] = (struct check_file_age_entry){ p, mtime, mtime_nsec, size };
	return 0;
}

void check_file_age_sample_release(struct check_file_age_sample *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->entry[i].path);
	free(s->entry);
	s->entry = NULL;
	s->n = 0;
}

/* -------------------------------------------------------------- evaluate */

/* Newer first; files modified at the same instant in name order, so the choice is stable. */
static int by_newest(const void *x, const void *y)
{
	const struct check_file_age_entry *a = *(const struct check_file_age_entry *const *)x;
	const struct check_file_age_entry *b = *(const struct check_file_age_entry *const *)y;

	if (a->mtime != b->mtime)
		return a->mtime > b->mtime ? -1 : 1;
	if (a->mtime_nsec != b->mtime_nsec)
		return a->mtime_nsec > b->mtime_nsec ? -1 : 1;
	return strcmp(a->path, b->path);
}

static int by_oldest(const void *x, const void *y)
{
	const struct check_file_age_entry *a = *(const struct check_file_age_entry *const *)x;
	const struct check_file_age_entry *b = *(const struct check_file_age_entry *const *)y;

	if (a->mtime != b->mtime)
		return a->mtime < b->mtime ? -1 : 1;
	if (a->mtime_nsec != b->mtime_nsec)
		return a->mtime_nsec < b->mtime_nsec ? -1 : 1;
	return strcmp(a->path, b->path);
}

/* "FILE_AGE OK: /x is 100 seconds old and 100 bytes | ..." : a colon after the state, one line */
static const struct msp_nagios_style nagios_style = { .state_sep = ": ", .no_children = true };
/* the same words for a pattern's result, which has a line for each match */
static const struct msp_nagios_style pattern_style = { .state_sep = ": " };

/* Nothing exists: the reference's two answers, and the same for a pattern that matches nothing. */
static int evaluate_missing(const struct check_file_age_config *cfg, struct msp_result *root)
{
	/* A pattern that matches nothing reads as the reference reads it: a file of that name is not there. */
	msp_result_set_state(root, cfg->ignore_missing ? MSP_STATE_OK : MSP_STATE_CRITICAL);
	if (cfg->ignore_missing)
		return msp_result_set_text(root, "%s doesn't exist, but ignore-missing was set", cfg->file);
	return msp_result_set_text(root, "File not found - %s", cfg->file);
}

/* The state a modification time in the future adds (OK adds nothing). */
static enum msp_state future_state(const struct check_file_age_config *cfg, const struct check_file_age_sample *s)
{
	if (cfg->has_future_state)
		return cfg->future_state;
	/* A single file keeps the reference's answer; a pattern is our own and says what it sees. */
	return s->glob ? MSP_STATE_WARNING : MSP_STATE_OK;
}

static int add_perfdata(const struct check_file_age_config *cfg, const struct check_file_age_sample *s,
			const struct check_file_age_entry *e, int64_t age, struct msp_result *root)
{
	struct msp_perf *p;

	p = msp_result_add_perf(root, "age", (double)age, "s", &cfg->age_perf);
	if (!p)
		return MSP_ENOMEM;
	p = msp_result_add_perf(root, "size", (double)e->size, "B", &cfg->size_perf);
	if (!p)
		return MSP_ENOMEM;
	msp_perf_set_min(p, 0);
	if (s->glob) {
		p = msp_result_add_perf(root, "files", (double)s->n, "", NULL);
		if (!p)
			return MSP_ENOMEM;
		msp_perf_set_min(p, 0);
	}
	return 0;
}

/* Long output: the matched files in the order they were ranked, the judged one first. */
static int list_files(const struct check_file_age_entry *const *order, size_t n, int64_t now, enum msp_state st,
		      struct msp_result *root)
{
	for (size_t i = 0; i < n && i < CHECK_FILE_AGE_LIST_MAX; i++) {
		/* Only the chosen file is judged; the others are listed for context. */
		struct msp_result *c;

		if (i == 0)
			c = msp_result_add_child(root, st, "%s is %lld seconds old and %lld bytes", order[i]->path,
						 (long long)(now - order[i]->mtime), (long long)order[i]->size);
		else
			c = msp_result_add_note(root, "%s is %lld seconds old and %lld bytes", order[i]->path,
						(long long)(now - order[i]->mtime), (long long)order[i]->size);
		if (!c)
			return MSP_ENOMEM;
	}
	if (n > CHECK_FILE_AGE_LIST_MAX && !msp_result_add_note(root, "... and %zu more", n - CHECK_FILE_AGE_LIST_MAX))
		return MSP_ENOMEM;
	return 0;
}

int check_file_age_evaluate(const struct check_file_age_config *cfg, const struct check_file_age_sample *s, int64_t now,
			    struct msp_result *root)
{
	const struct check_file_age_entry **order;
	const struct check_file_age_entry *e;
	char which[80] = "";
	enum msp_state st;
	int64_t age;
	int r = MSP_ENOMEM;

	if (s->n == 0)
		return evaluate_missing(cfg, root);
	/* a pattern is ours (the reference has none): its matches keep their lines */
	if (s->glob)
		root->style = &pattern_style;
	order = malloc(s->n * sizeof(*order));
	if (!order)
		return MSP_ENOMEM;
	for (size_t i = 0; i < s->n; i++)
		order[i] = &s->entry[i];
	qsort(order, s->n, sizeof(*order), cfg->pick == CHECK_FILE_AGE_OLDEST ? by_oldest : by_newest);
	e = order[0];
	age = now - e->mtime;
	st = msp_state_worst(msp_threshold_eval(&cfg->age, (double)age),
			     msp_threshold_eval(&cfg->size, (double)e->size));
	if (age < 0)
		st = msp_state_worst(st, future_state(cfg, s));
	msp_result_set_state(root, st);
	if (s->glob && s->n > 1)
		snprintf(which, sizeof(which), "%s of %zu files",
			 cfg->pick == CHECK_FILE_AGE_OLDEST ? "oldest" : "newest", s->n);
	else if (s->glob)
		snprintf(which, sizeof(which), "the only match");
	if (msp_result_set_text(root, "%s is %lld seconds old and %lld bytes%s%s%s%s%s", e->path, (long long)age,
				(long long)e->size, which[0] || age < 0 ? " (" : "", which,
				which[0] && age < 0 ? ", " : "", age < 0 ? "modified in the future" : "",
				which[0] || age < 0 ? ")" : "") < 0)
		goto out;
	if (add_perfdata(cfg, s, e, age, root) < 0)
		goto out;
	if (s->glob && list_files(order, s->n, now, st, root) < 0)
		goto out;
	r = 0;
out:
	free(order);
	return r;
}

/* ----------------------------------------------------------------- probe */

/* stat() path and add it to s; a path that does not exist is left out.  0, or the errno. */
static int stat_into(struct check_file_age_sample *s, const char *path, bool *ret_nomem)
{
	struct stat st;

	/* stat, not lstat: the reference judges what a symlink points to. */
	if (stat(path, &st) < 0)
		return errno == ENOENT || errno == ENOTDIR ? 0 : errno;
	if (check_file_age_sample_add(s, path, (int64_t)st.st_mtim.tv_sec, st.st_mtim.tv_nsec, (int64_t)st.st_size) < 0)
		*ret_nomem = true;
	return 0;
}

static int add_stat(struct check_file_age_sample *s, const char *path, struct msp_error *err)
{
	bool nomem = false;
	int e = stat_into(s, path, &nomem);

	if (e)
		return msp_error_errno(err, e, "cannot stat '%.300s'", path);
	if (nomem)
		return msp_error_set(err, MSP_ENOMEM, "out of memory");
	return 0;
}

/*
 * Any place the pattern could not read or search and any match that cannot be examined
 * makes the check UNKNOWN: the file that matters may be there.  The first is named.
 */
static int unreadable(struct msp_error *err, const char *verb, const char *path, int errnum, size_t n)
{
	char more[80] = "";

	if (n > 1)
		snprintf(more, sizeof(more), " (and %zu more unreadable place%s)", n - 1, n > 2 ? "s" : "");
	return msp_error_set(err, MSP_ESYS, "cannot %s '%.300s': %s%s", verb, path, strerror(errnum), more);
}

static int probe_glob(const char *pattern, struct check_file_age_sample *s, struct msp_error *err)
{
	struct msp_glob g = { 0 };
	const char *bad = NULL;
	bool nomem = false;
	int r, e, bad_errno = 0;
	size_t nbad;

	msp_step("expanding '%.200s'", pattern);
	r = msp_glob_expand(pattern, 0, &g, err);
	if (r < 0)
		return r;
	if (g.n == 0 && g.nerror == 0) {
		/* A file whose name holds a pattern character is still that file. */
		r = add_stat(s, pattern, err);
		s->glob = s->n == 0;
		goto out;
	}
	s->glob = true;
	nbad = g.nerror;
	msp_step("reading the status of the files matching '%.200s'", pattern);
	for (size_t i = 0; i < g.n && !nomem; i++) {
		e = stat_into(s, g.path[i], &nomem);
		if (e && nbad++ == 0) {
			bad = g.path[i];
			bad_errno = e;
		}
	}
	if (nomem)
		r = msp_error_set(err, MSP_ENOMEM, "out of memory");
	else if (g.nerror)
		r = unreadable(err, "read", g.error[0].path, g.error[0].errnum, nbad);
	else if (nbad)
		r = unreadable(err, "stat", bad, bad_errno, nbad);
out:
	msp_glob_release(&g);
	return r;
}

static int file_age_check(void *vcfg, const struct msp_context *ctx, struct msp_result *root, struct msp_error *err)
{
	struct check_file_age_config *cfg = vcfg;
	struct check_file_age_sample s = { 0 };
	int r;

	if (strpbrk(cfg->file, "*?[")) {
		r = probe_glob(cfg->file, &s, err);
	} else {
		msp_step("reading the status of '%.200s'", cfg->file);
		r = add_stat(&s, cfg->file, err);
	}
	if (r == 0) {
		/* Read the clock after stat(): a file written meanwhile must not look as if it came from the future. */
		time_t now = time(NULL);

		msp_verbose(ctx, 1, "%zu file(s) found for '%s'%s, now %lld", s.n, cfg->file,
			    s.glob ? " (pattern)" : "", (long long)now);
		r = check_file_age_evaluate(cfg, &s, (int64_t)now, root);
		if (r < 0)
			msp_error_set(err, r, "out of memory");
	}
	check_file_age_sample_release(&s);
	return r;
}

/* A positional argument goes to the option callback (id MSP_OPT_POSITIONAL). */
static const struct msp_option positional = MSP_CALLBACK(MSP_OPT_POSITIONAL, 0, NULL, MSP_ARG_REQUIRED, "FILE", NULL);

static const struct msp_plugin plugin = {
	.itl = "file_age",
	.positional = &positional,
	.nagios = &nagios_style,
	.name = "check_file_age",
	.summary = "age and size of a file, or of the newest/oldest file matching a pattern",
	.dropin = "monitoring-plugins `check_file_age`",
	.service = "FILE_AGE",
	.synopsis = "[-w SECONDS] [-c SECONDS] [-W BYTES] [-C BYTES] [-i] [--oldest] -f FILE",
	.description = "Check the age (time since the last modification) and the size of a file, or of the newest\n"
		       "(or oldest) file matching a pattern.",
	.notes = "Thresholds, as in monitoring-plugins check_file_age:\n"
		 "  When -w, -c, -W and -C are all bare numbers, -w/-c are upper limits for the age\n"
		 "  and -W/-C are MINIMUM sizes (a file smaller than -C bytes is CRITICAL).  When any\n"
		 "  of them uses range syntax (10:20, @5:10, ~:300, 1.5), all four are ranges: -W 100\n"
		 "  then means 0..100 (a bigger file alerts), and an unset or 0 size limit means 0:.\n"
		 "  An age equal to the limit is not an alert.  Perfdata shows the limits in seconds\n"
		 "  and bytes (15m as 900, 0:500 as 500).\n"
		 "Patterns (our addition): -f '/var/backups/db-*.sql.gz' stats every match and judges\n"
		 "  the newest (--oldest: the oldest); the perfdata adds files=N and the long output\n"
		 "  lists the matches (at most 20).  No match is CRITICAL, or OK with -i, exactly as\n"
		 "  for a missing file.  A directory the pattern cannot read or search (also one in\n"
		 "  the middle, where glob(3) drops the match without a word) or a match that cannot\n"
		 "  be examined makes the result UNKNOWN, also with -i.  As in a shell, * does not\n"
		 "  match a leading dot; there is no ~ or {a,b} expansion.  A file whose name holds\n"
		 "  * ? [ is used as named when the pattern matches nothing.\n"
		 "Modification time in the future: the age is negative (\"-60 seconds old\") and the\n"
		 "  summary says so (\"(modified in the future)\": the one text the reference does not\n"
		 "  print).  For a single file the thresholds decide, as in the reference\n"
		 "  (plain limits: OK; ranges such as 0:600: an alert); for a pattern it is at least\n"
		 "  WARNING (a clock problem).  --future-state=STATE sets the state for both.\n"
		 "Differences from monitoring-plugins check_file_age 2.3.3 (deliberate):\n"
		 "  - a file that cannot be examined (permission denied, symlink loop) is UNKNOWN,\n"
		 "    also with -i; the reference says CRITICAL \"File not found\" (OK with -i)\n"
		 "  - range syntax works without the Perl module Monitoring::Plugin (without it the\n"
		 "    reference dies with exit 2); a bad range is UNKNOWN (the reference: exit 255)\n"
		 "  - units (15m, 26h, 7d, 10KB) are accepted; an empty -w/-c/-W/-C means the default\n"
		 "  - unknown options and a second file argument are UNKNOWN (the reference ignores\n"
		 "    them); --file=FILE takes a value (in the reference --file takes none)\n"
		 "Examples:\n"
		 "  check_file_age -w 300 -c 900 -f /var/spool/heartbeat\n"
		 "  check_file_age -w 26h -c 50h -C 1024 -f '/srv/backup/db-*.sql.gz'\n"
		 "  check_file_age --oldest -w 10m -c 1h -i -f '/var/spool/outgoing/*'",
	.options = options,
	.timeout = 10,
	.timeout_state = MSP_STATE_UNKNOWN,
	.option = file_age_option,
	.finish = file_age_finish,
	.check = file_age_check,
};

MSP_PLUGIN_MAIN(plugin, struct check_file_age_config)
