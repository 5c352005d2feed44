/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * check_backup - are file-based backups (dumps, NAS shares, rsync targets) recent enough?
 *
 * probe: expand each -p with msp_glob (every unreadable place reported), read directories with
 *        openat/fdopendir/fstatat (no symlinks followed inside a tree, no path built per file)
 * evaluate: check_backup_evaluate() judges each path (each -p, each match of a wildcard) on its
 *        own; the worst path sets the state.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "check_backup.h"
#include "msp_glob.h"

enum {
	OPT_PATH,
	OPT_RECURSE,
	OPT_MAX_DEPTH,
	OPT_MATCH,
	OPT_REGEX,
	OPT_EXCLUDE,
	OPT_NEWEST,
	OPT_OLDEST,
	OPT_ALL,
	OPT_WARN,
	OPT_CRIT,
	OPT_MAX_FUTURE,
	OPT_MIN_SIZE,
	OPT_MAX_SIZE,
	OPT_MIN_COUNT,
	OPT_MISSING,
	OPT_POOL,
	OPT_EXPECT_COUNT,
	OPT_TIME,
};

static const struct msp_option options[] = {
	{ OPT_PATH, 'p', "path", MSP_ARG_REQUIRED, "PATH",
	  "A directory, file or glob pattern holding backups (repeatable; each path, and\n"
	  "each match of a pattern, is judged on its own).  A directory contributes the\n"
	  "regular files in it" },
	{ OPT_POOL, 0, "pool", MSP_ARG_NONE, NULL,
	  "Judge all matches of a pattern together, as one path (the newest file of all)" },
	{ OPT_EXPECT_COUNT, 0, "expect-count", MSP_ARG_REQUIRED, "N",
	  "A pattern must match at least N paths (fewer: CRITICAL, or the --missing state)" },
	{ OPT_RECURSE, 'r', "recurse", MSP_ARG_NONE, NULL, "Also read the directories below each directory" },
	{ OPT_MAX_DEPTH, 0, "max-depth", MSP_ARG_REQUIRED, "N",
	  "Read at most N levels (1 = the directory's own files); implies -r" },
	{ OPT_MATCH, 0, "match", MSP_ARG_REQUIRED, "GLOB",
	  "Only files whose name matches GLOB (repeatable: any one matches), e.g. '*.sql.gz'" },
	{ OPT_REGEX, 0, "regex", MSP_ARG_REQUIRED, "REGEX", "Only files whose name matches the extended REGEX" },
	{ OPT_EXCLUDE, 0, "exclude", MSP_ARG_REQUIRED, "GLOB",
	  "Neither read nor count files and directories whose name matches GLOB (repeatable)" },
	{ OPT_NEWEST, 0, "newest", MSP_ARG_NONE, NULL, "Judge the newest file of each path (default)" },
	{ OPT_OLDEST, 0, "oldest", MSP_ARG_NONE, NULL, "Judge the oldest file of each path" },
	{ OPT_ALL, 0, "all", MSP_ARG_NONE, NULL, "Every file must be recent enough" },
	{ OPT_WARN, 'w', "warning", MSP_ARG_REQUIRED, "AGE",
	  "WARNING when the judged file is older (default 26h); units s m h d w, ranges allowed" },
	{ OPT_CRIT, 'c', "critical", MSP_ARG_REQUIRED, "AGE", "CRITICAL when the judged file is older (default 50h)" },
	{ OPT_TIME, 0, "time", MSP_ARG_REQUIRED, "mtime|ctime",
	  "Which time of a file is its age: mtime (default; dumps, NAS shares) or ctime\n"
	  "(rsync -a and cp -p targets, which keep the source's mtime; see below)" },
	{ OPT_MAX_FUTURE, 0, "max-future", MSP_ARG_REQUIRED, "AGE",
	  "A modification time further ahead than AGE is a WARNING (default 5m)" },
	{ OPT_MIN_SIZE, 0, "min-size", MSP_ARG_REQUIRED, "BYTES",
	  "CRITICAL when the newest file is smaller (10KB = 10000, 10KiB = 10240)" },
	{ OPT_MAX_SIZE, 0, "max-size", MSP_ARG_REQUIRED, "BYTES", "CRITICAL when the newest file is bigger" },
	{ OPT_MIN_COUNT, 0, "min-count", MSP_ARG_REQUIRED, "N", "Each path must yield at least N files" },
	{ OPT_MISSING, 0, "missing", MSP_ARG_REQUIRED, "STATE",
	  "State when a path yields no file or fewer than --min-count: critical (default),\n"
	  "warning or unknown" },
	MSP_OPTION_END,
};

/* The time --time chose: the modification time, or the status change time. */
static const struct timespec *file_time(const struct check_backup_config *cfg, const struct stat *st)
{
	return cfg->use_ctime ? &st->st_ctim : &st->st_mtim;
}

/* --------------------------------------------------------------- options */

static int push(const char ***v, size_t *n, const char *s, struct msp_error *err)
{
	const char **nv = realloc(*v, (*n + 1) * sizeof(**v));

	if (!nv)
		return msp_error_set(err, MSP_ENOMEM, "out of memory");
	nv[(*n)++] = s;
	*v = nv;
	return 0;
}

static int size_option(const char *name, const char *arg, double *ret, bool *ret_has, struct msp_error *err)
{
	struct msp_error e;

	msp_error_init(&e);
	if (msp_num_size(arg, ret, &e) < 0)
		return msp_error_set(err, MSP_EINVAL, "cannot parse %s: %s", name, e.msg);
	*ret_has = true;
	return 0;
}

static int regex_option(struct check_backup_config *cfg, const char *arg, struct msp_error *err)
{
	int rc;

	if (cfg->has_regex)
		return msp_error_set(err, MSP_EINVAL, "--regex given twice: combine the expressions with '|'");
	rc = msp_regex_compile(&cfg->regex, arg, REG_EXTENDED | REG_NOSUB, "regex", err);
	if (rc < 0)
		return rc;
	cfg->has_regex = true;
	return 0;
}

static int missing_option(struct check_backup_config *cfg, const char *arg, struct msp_error *err)
{
	enum msp_state st;

	/* Nothing found is never OK: that is the failure this plugin exists to catch. */
	if (msp_state_parse(arg, &st, NULL) < 0 || st == MSP_STATE_OK)
		return msp_error_set(err, MSP_EINVAL, "missing state '%.40s' is not critical, warning or unknown", arg);
	cfg->missing_state = st;
	cfg->has_missing_state = true;
	return 0;
}

static int backup_option(void *vcfg, int id, const char *arg, struct msp_error *err)
{
	struct check_backup_config *cfg = vcfg;
	uint64_t n;

	/* Debian command files pass '' for unset macros: an empty value is "not given". */
	if (arg && !*arg && id != MSP_OPT_POSITIONAL)
		return 0;
	switch (id) {
	case OPT_PATH:
		return push(&cfg->path, &cfg->npath, arg, err);
	case OPT_RECURSE:
		cfg->recurse = true;
		return 0;
	case OPT_MAX_DEPTH:
		if (msp_num_uint64(arg, 100000, &n) < 0 || n == 0)
			return msp_error_set(err, MSP_EINVAL, "cannot parse --max-depth '%.40s': want a number from 1",
					     arg);
		cfg->max_depth = (unsigned)n;
		cfg->recurse = true;
		return 0;
	case OPT_MATCH:
		return push(&cfg->match, &cfg->nmatch, arg, err);
	case OPT_EXCLUDE:
		return push(&cfg->exclude, &cfg->nexclude, arg, err);
	case OPT_REGEX:
		return regex_option(cfg, arg, err);
	case OPT_NEWEST:
	case OPT_OLDEST:
	case OPT_ALL:
		cfg->pick = id == OPT_NEWEST ? CHECK_BACKUP_NEWEST :
			    id == OPT_OLDEST ? CHECK_BACKUP_OLDEST :
					       CHECK_BACKUP_ALL;
		return 0;
	case OPT_WARN:
		cfg->warn = arg;
		return 0;
	case OPT_CRIT:
		cfg->crit = arg;
		return 0;
	case OPT_MAX_FUTURE:
		cfg->max_future = arg;
		return 0;
	case OPT_MIN_SIZE:
		return size_option("--min-size", arg, &cfg->min_size, &cfg->has_min_size, err);
	case OPT_MAX_SIZE:
		return size_option("--max-size", arg, &cfg->max_size, &cfg->has_max_size, err);
	case OPT_MIN_COUNT:
		if (msp_num_uint64(arg, UINT32_MAX, &cfg->min_count) < 0)
			return msp_error_set(err, MSP_EINVAL, "cannot parse --min-count '%.40s': want a count", arg);
		return 0;
	case OPT_MISSING:
		return missing_option(cfg, arg, err);
	case OPT_POOL:
		cfg->pool = true;
		return 0;
	case OPT_TIME:
		if (strcmp(arg, "mtime") != 0 && strcmp(arg, "ctime") != 0)
			return msp_error_set(err, MSP_EINVAL, "cannot parse --time '%.40s': want mtime or ctime", arg);
		cfg->use_ctime = arg[0] == 'c';
		return 0;
	case OPT_EXPECT_COUNT:
		if (msp_num_uint64(arg, UINT32_MAX, &n) < 0 || n == 0)
			return msp_error_set(err, MSP_EINVAL,
					     "cannot parse --expect-count '%.40s': want a count from 1", arg);
		cfg->expect_count = n;
		return 0;
	case MSP_OPT_POSITIONAL:
		return msp_error_set(err, MSP_EINVAL, "unexpected argument '%.60s': give paths with -p", arg);
	}
	return msp_error_set(err, MSP_EINVAL, "unknown option");
}

static int backup_finish(void *vcfg, const struct msp_context *ctx, struct msp_error *err)
{
	struct check_backup_config *cfg = vcfg;

	(void)ctx;
	if (cfg->npath == 0)
		return msp_error_set(err, MSP_EINVAL, "no path given: use -p PATH");
	if (cfg->has_min_size && cfg->has_max_size && cfg->min_size > cfg->max_size)
		return msp_error_set(err, MSP_EINVAL, "--min-size is above --max-size");
	if (!cfg->has_missing_state)
		cfg->missing_state = MSP_STATE_CRITICAL;
	return msp_age_policy_parse_defaults(&cfg->age, cfg->warn, cfg->crit, "26h", "50h", cfg->max_future, err);
}

void check_backup_config_release(struct check_backup_config *cfg)
{
	free(cfg->path);
	free(cfg->match);
	free(cfg->exclude);
	if (cfg->has_regex)
		regfree(&cfg->regex);
	cfg->path = cfg->match = cfg->exclude = NULL;
	cfg->npath = cfg->nmatch = cfg->nexclude = 0;
	cfg->has_regex = false;
}

bool check_backup_name_matches(const struct check_backup_config *cfg, const char *name)
{
	bool ok = cfg->nmatch == 0;

	for (size_t i = 0; i < cfg->nmatch && !ok; i++)
		ok = fnmatch(cfg->match[i], name, 0) == 0;
	return ok && (!cfg->has_regex || regexec(&cfg->regex, name, 0, NULL, 0) == 0);
}

static bool excluded(const struct check_backup_config *cfg, const char *name)
{
	for (size_t i = 0; i < cfg->nexclude; i++)
		if (fnmatch(cfg->exclude[i], name, 0) == 0)
			return true;
	return false;
}

/* ---------------------------------------------------------------- sample */

struct check_backup_group *check_backup_sample_add_group(struct check_backup_sample *s, const char *spec)
{
	struct check_backup_group *v = realloc(s->group, (s->ngroup + 1) * sizeof(*v));

	if (!v)
		return NULL;
	s->group = v;
	memset(&v[s->ngroup], 0, sizeof(*v));
	v[s->ngroup].spec = spec;
	return &v[s->ngroup++];
}

struct check_backup_group *check_backup_sample_add_match(struct check_backup_sample *s, const char *path)
{
	char *copy = strdup(path);
	struct check_backup_group *g = copy ? check_backup_sample_add_group(s, copy) : NULL;

	if (!g) {
		free(copy);
		return NULL;
	}
	g->owned_spec = copy;
	return g;
}

int check_backup_sample_add_pattern(struct check_backup_sample *s, const char *spec, size_t nmatch, size_t nunreadable)
{
	struct check_backup_pattern *v = realloc(s->pattern, (s->npattern + 1) * sizeof(*v));

	if (!v)
		return MSP_ENOMEM;
	s->pattern = v;
	v[s->npattern++] = (struct check_backup_pattern){ spec, nmatch, nunreadable };
	return 0;
}

/* Make room for one more element in a growing array. */
static int grow(void **v, size_t *cap, size_t n, size_t size)
{
	size_t ncap;
	void *nv;

	if (n < *cap)
		return 0;
	ncap = *cap ? *cap * 2 : 64;
	nv = realloc(*v, ncap * size);
	if (!nv)
		return MSP_ENOMEM;
	*v = nv;
	*cap = ncap;
	return 0;
}

int check_backup_group_add_dir(struct check_backup_group *g, const char *path, uint32_t *ret_index)
{
	char *p;

	if (g->ndir >= UINT32_MAX || grow((void **)&g->dir, &g->dir_cap, g->ndir, sizeof(*g->dir)) < 0)
		return MSP_ENOMEM;
	p = strdup(path);
	if (!p)
		return MSP_ENOMEM;
	g->dir[g->ndir] = p;
	*ret_index = (uint32_t)g->ndir++;
	return 0;
}

int check_backup_group_add_file(struct check_backup_group *g, uint32_t dir, const char *name, int64_t mtime,
				int32_t nsec, int64_t size)
{
	size_t len = strlen(name) + 1;

	if (g->names_len + len > UINT32_MAX)
		return MSP_ENOMEM;
	while (g->names_len + len > g->names_cap) {
		size_t ncap = g->names_cap ? g->names_cap * 2 : 4096;
		char *nv = realloc(g->names, ncap);

		if (!nv)
			return MSP_ENOMEM;
		g->names = nv;
		g->names_cap = ncap;
	}
	if (grow((void **)&g->file, &g->file_cap, g->nfile, sizeof(*g->file)) < 0)
		return MSP_ENOMEM;
	memcpy(g->names + g->names_len, name, len);
	g->file[g->nfile++] = (struct check_backup_file){ mtime, nsec, dir, (uint32_t)g->names_len, size };
	g->names_len += len;
	return 0;
}

int check_backup_group_add_problem(struct check_backup_group *g, const char *path, int errnum)
{
	if (g->nproblem < CHECK_BACKUP_LIST_MAX) {
		char *p = strdup(path);

		if (!p)
			return MSP_ENOMEM;
		g->problem[g->nproblem] = (struct check_backup_problem){ p, errnum };
	}
	g->nproblem++;
	return 0;
}

char *check_backup_file_path(const struct check_backup_group *g, const struct check_backup_file *f, char *buf,
			     size_t len)
{
	const char *dir = g->dir[f->dir], *name = g->names + f->name;
	size_t dl = strlen(dir);

	if (!*name)
		snprintf(buf, len, "%s", dir);
	else
		snprintf(buf, len, "%s%s%s", dir, dl && dir[dl - 1] == '/' ? "" : "/", name);
	return buf;
}

void check_backup_sample_release(struct check_backup_sample *s)
{
	for (size_t i = 0; i < s->ngroup; i++) {
		struct check_backup_group *g = &s->group[i];

		for (size_t j = 0; j < g->ndir; j++)
			free(g->dir[j]);
		for (size_t j = 0; j < g->nproblem && j < CHECK_BACKUP_LIST_MAX; j++)
			free(g->problem[j].path);
		free(g->dir);
		free(g->names);
		free(g->file);
		free(g->owned_spec);
	}
	free(s->group);
	free(s->pattern);
	s->group = NULL;
	s->ngroup = 0;
	s->pattern = NULL;
	s->npattern = 0;
}

/* -------------------------------------------------------------- evaluate */

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
		msp_buf_addf(&t, "no %sfile in '%s'", cfg->nmatch || cfg->has_regex ? "matching " : "", g->spec);
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

/* ----------------------------------------------------------------- probe */

/* The directories above the one being read, to notice a bind mount that loops back. */
struct ancestor {
	dev_t dev;
	ino_t ino;
	const struct ancestor *up;
};

struct walk {
	const struct check_backup_config *cfg;
	struct check_backup_group *g;
	struct msp_error *err;
};

/* Record that dir/name (or dir) could not be read; only running out of memory stops the scan. */
static int problem(struct walk *w, const char *dir, const char *name, int errnum)
{
	char path[4096];

	snprintf(path, sizeof(path), "%s%s%s", dir, name ? "/" : "", name ? name : "");
	if (check_backup_group_add_problem(w->g, path, errnum) < 0)
		return msp_error_set(w->err, MSP_ENOMEM, "out of memory");
	return 0;
}

static int walk_dir(struct walk *w, int fd, const char *path, unsigned depth, const struct ancestor *up);

static int descend(struct walk *w, int dfd, const char *path, const char *name, unsigned depth,
		   const struct ancestor *up)
{
	size_t len = strlen(path);
	char *child;
	int fd, r;

	if (!w->cfg->recurse || (w->cfg->max_depth && depth >= w->cfg->max_depth))
		return 0;
	/* O_NOFOLLOW: a directory replaced by a symlink meanwhile is not followed either. */
	fd = openat(dfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT || errno == ELOOP || errno == ENOTDIR ? 0 : problem(w, path, name, errno);
	child = malloc(len + strlen(name) + 2);
	if (!child) {
		close(fd);
		return msp_error_set(w->err, MSP_ENOMEM, "out of memory");
	}
	snprintf(child, len + strlen(name) + 2, "%s%s%s", path, len && path[len - 1] == '/' ? "" : "/", name);
	r = walk_dir(w, fd, child, depth + 1, up);
	free(child);
	return r;
}

/* Add a file to the walk's group with the time --time chose.  0 or MSP_ENOMEM. */
static int add_file(struct walk *w, uint32_t dir, const char *name, const struct stat *st)
{
	const struct timespec *t = file_time(w->cfg, st);

	return check_backup_group_add_file(w->g, dir, name, t->tv_sec, (int32_t)t->tv_nsec, (int64_t)st->st_size);
}

/* One directory entry: a file to record, a directory to read, anything else (symlinks, devices) to leave. */
static int walk_entry(struct walk *w, int dfd, const char *path, const struct dirent *de, unsigned depth,
		      const struct ancestor *up, int64_t *dir_index)
{
	const char *name = de->d_name;
	unsigned char type = de->d_type;
	struct stat st;
	bool have_st = false;
	uint32_t idx;

	if (name[0] == '.' && (!name[1] || (name[1] == '.' && !name[2])))
		return 0;
	if (w->cfg->nexclude && excluded(w->cfg, name))
		return 0;
	if (type == DT_UNKNOWN) {
		/* Some filesystems do not fill d_type: ask, still without following a link. */
		if (fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
			return errno == ENOENT ? 0 : problem(w, path, name, errno);
		have_st = true;
		type = S_ISDIR(st.st_mode) ? DT_DIR : S_ISREG(st.st_mode) ? DT_REG : DT_LNK;
	}
	if (type == DT_DIR)
		return descend(w, dfd, path, name, depth, up);
	if (type != DT_REG || !check_backup_name_matches(w->cfg, name))
		return 0;
	if (!have_st && fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return errno == ENOENT ? 0 : problem(w, path, name, errno);
	if (!S_ISREG(st.st_mode))
		return 0;
	if (*dir_index < 0) {
		/* The directory's path is stored once, with its first file. */
		if (check_backup_group_add_dir(w->g, path, &idx) < 0)
			return msp_error_set(w->err, MSP_ENOMEM, "out of memory");
		*dir_index = idx;
	}
	if (add_file(w, (uint32_t)*dir_index, name, &st) < 0)
		return msp_error_set(w->err, MSP_ENOMEM, "out of memory");
	return 0;
}

/* Read the directory open on fd (taken over and closed) at depth (1 = a -p directory's own entries). */
static int walk_dir(struct walk *w, int fd, const char *path, unsigned depth, const struct ancestor *up)
{
	struct ancestor me = { .up = up };
	int64_t dir_index = -1;
	struct dirent *de;
	struct stat st;
	DIR *d;
	int r = 0;

	if (fstat(fd, &st) < 0) {
		r = problem(w, path, NULL, errno);
		close(fd);
		return r;
	}
	me.dev = st.st_dev;
	me.ino = st.st_ino;
	for (const struct ancestor *a = up; a; a = a->up)
		if (a->dev == me.dev && a->ino == me.ino) {
			close(fd); /* already being read further up */
			return 0;
		}
	d = fdopendir(fd);
	if (!d) {
		r = problem(w, path, NULL, errno);
		close(fd);
		return r;
	}
	msp_step("reading directory '%.200s'", path);
	for (;;) {
		errno = 0;
		de = readdir(d);
		if (!de) {
			if (errno)
				r = problem(w, path, NULL, errno);
			break;
		}
		r = walk_entry(w, dirfd(d), path, de, depth, &me, &dir_index);
		if (r < 0)
			break;
	}
	closedir(d);
	return r;
}

/*
 * A path named by -p or found by its pattern: symlinks are followed here, the user named it.
 * own: the path is all the group judges, so when it cannot be examined the group is UNREADABLE.
 */
static int take_path(struct walk *w, const char *path, bool own, bool *ret_found)
{
	const char *base = strrchr(path, '/');
	struct stat st;
	uint32_t idx;
	int fd;

	if (stat(path, &st) < 0) {
		if (errno == ENOENT || errno == ENOTDIR)
			return 0;
		*ret_found = true;
		if (own)
			w->g->absence = CHECK_BACKUP_UNREADABLE;
		return problem(w, path, NULL, errno);
	}
	*ret_found = true;
	if (S_ISDIR(st.st_mode)) {
		fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (fd < 0)
			return problem(w, path, NULL, errno);
		return walk_dir(w, fd, path, 1, NULL);
	}
	if (!S_ISREG(st.st_mode) || !check_backup_name_matches(w->cfg, base && base[1] ? base + 1 : path))
		return 0;
	if (check_backup_group_add_dir(w->g, path, &idx) < 0 ||
	    add_file(w, idx, "", &st) < 0)
		return msp_error_set(w->err, MSP_ENOMEM, "out of memory");
	return 0;
}

/* A pattern that matched nothing: the places it could not read, or a file whose name holds * ? [. */
static int take_no_match(struct walk *w, const char *spec, const struct msp_glob *gl)
{
	bool found = false;
	int r = 0;

	for (size_t i = 0; i < gl->nerror && r == 0; i++)
		r = problem(w, gl->error[i].path, NULL, gl->error[i].errnum);
	if (r == 0 && gl->nerror == 0)
		r = take_path(w, spec, true, &found);
	if (r == 0 && !found)
		w->g->absence = CHECK_BACKUP_NO_GLOB_MATCH;
	return r;
}

/* Do paths a and b lie in the same directory? */
static bool same_dir(const char *a, const char *b)
{
	const char *sa = strrchr(a, '/'), *sb = strrchr(b, '/');
	size_t la = sa ? (size_t)(sa - a) : 0, lb = sb ? (size_t)(sb - b) : 0;

	return !sa == !sb && la == lb && strncmp(a, b, la) == 0;
}

/*
 * A new group for the files a pattern matches in m's directory: "DIR/LAST" with LAST the
 * pattern's last component, so the label is the -p itself when only the last component
 * holds a wildcard.
 */
static struct check_backup_group *add_file_series(struct check_backup_sample *s, const char *spec, const char *m)
{
	const char *slash = strrchr(m, '/'), *last = strrchr(spec, '/');
	int dirlen = slash ? (int)(slash - m) : 0;
	struct check_backup_group *g;
	char *label;
	int n;

	last = last ? last + 1 : spec;
	n = snprintf(NULL, 0, "%.*s%s%s", dirlen, m, slash ? "/" : "", last);
	label = n < 0 ? NULL : malloc((size_t)n + 1);
	if (!label)
		return NULL;
	snprintf(label, (size_t)n + 1, "%.*s%s%s", dirlen, m, slash ? "/" : "", last);
	g = check_backup_sample_add_match(s, label);
	free(label);
	return g;
}

/*
 * Each match its own group, and each place that could not be read its own UNKNOWN group.
 * The files matched in one directory are one series, as a directory's files are: the
 * matches are sorted and all equally deep, so they come one after the other.
 */
static int take_matches(struct walk *w, struct check_backup_sample *s, const char *spec, const struct msp_glob *gl)
{
	size_t series = SIZE_MAX;
	struct stat st;
	bool found;
	int r = 0;

	for (size_t i = 0; i < gl->n && r == 0; i++) {
		found = false;
		if (stat(gl->path[i], &st) == 0 && S_ISREG(st.st_mode)) {
			if (series == SIZE_MAX || !same_dir(gl->path[i - 1], gl->path[i])) {
				if (!add_file_series(s, spec, gl->path[i]))
					return msp_error_set(w->err, MSP_ENOMEM, "out of memory");
				series = s->ngroup - 1;
			}
			w->g = &s->group[series];
			r = take_path(w, gl->path[i], false, &found);
			continue;
		}
		series = SIZE_MAX;
		w->g = check_backup_sample_add_match(s, gl->path[i]);
		if (!w->g)
			return msp_error_set(w->err, MSP_ENOMEM, "out of memory");
		r = take_path(w, gl->path[i], true, &found);
		if (r == 0 && !found)
			w->g->absence = CHECK_BACKUP_NO_SUCH_PATH; /* gone since, or a dangling link */
	}
	for (size_t i = 0; i < gl->nerror && r == 0; i++) {
		w->g = check_backup_sample_add_match(s, gl->error[i].path);
		if (!w->g)
			return msp_error_set(w->err, MSP_ENOMEM, "out of memory");
		w->g->absence = CHECK_BACKUP_UNREADABLE;
		r = problem(w, gl->error[i].path, NULL, gl->error[i].errnum);
	}
	return r;
}

/* --pool: every match feeds the one group; what could not be read is its problem. */
static int take_pool(struct walk *w, const struct msp_glob *gl)
{
	bool found = false;
	int r = 0;

	for (size_t i = 0; r == 0 && i < gl->nerror; i++)
		r = problem(w, gl->error[i].path, NULL, gl->error[i].errnum);
	for (size_t i = 0; r == 0 && i < gl->n; i++)
		r = take_path(w, gl->path[i], false, &found);
	return r;
}

/* One -p: a path is one group; a pattern one group per match (one for all with --pool). */
static int probe_path(struct walk *w, struct check_backup_sample *s, const char *spec)
{
	struct msp_glob gl = { 0 };
	bool found = false;
	int r;

	msp_step("reading '%.200s'", spec);
	if (!strpbrk(spec, "*?[")) {
		w->g = check_backup_sample_add_group(s, spec);
		if (!w->g)
			return msp_error_set(w->err, MSP_ENOMEM, "out of memory");
		r = take_path(w, spec, true, &found);
		if (r == 0 && !found)
			w->g->absence = CHECK_BACKUP_NO_SUCH_PATH;
		return r;
	}
	r = msp_glob_expand(spec, 0, &gl, w->err);
	if (r < 0)
		return r;
	r = check_backup_sample_add_pattern(s, spec, gl.n, gl.nerror);
	if (r < 0) {
		r = msp_error_set(w->err, MSP_ENOMEM, "out of memory");
	} else if (gl.n > 0 && !w->cfg->pool) {
		r = take_matches(w, s, spec, &gl);
	} else {
		w->g = check_backup_sample_add_group(s, spec);
		if (!w->g)
			r = msp_error_set(w->err, MSP_ENOMEM, "out of memory");
		else if (gl.n == 0)
			r = take_no_match(w, spec, &gl);
		else
			r = take_pool(w, &gl);
	}
	msp_glob_release(&gl);
	return r;
}

static int backup_check(void *vcfg, const struct msp_context *ctx, struct msp_result *root, struct msp_error *err)
{
	struct check_backup_config *cfg = vcfg;
	struct check_backup_sample s = { 0 };
	struct walk w = { .cfg = cfg, .err = err };
	struct timespec now;
	int r = 0;

	for (size_t i = 0; i < cfg->npath && r == 0; i++) {
		size_t first = s.ngroup;

		r = probe_path(&w, &s, cfg->path[i]);
		for (size_t j = first; r == 0 && j < s.ngroup; j++)
			msp_verbose(ctx, 1, "'%s': %zu files, %zu directories with files, %zu unreadable",
				    s.group[j].spec, s.group[j].nfile, s.group[j].ndir, s.group[j].nproblem);
	}
	if (r == 0) {
		/* Read the clock after the scan: a file written meanwhile must not look as if it came from the future. */
		clock_gettime(CLOCK_REALTIME, &now);
		r = check_backup_evaluate(cfg, &s, (double)now.tv_sec + (double)now.tv_nsec / 1e9, root);
		if (r < 0)
			msp_error_set(err, r, "out of memory");
	}
	check_backup_sample_release(&s);
	return r;
}

static const struct msp_plugin plugin = {
	.positional_hint = "give paths with -p",
	.name = "check_backup",
	.service = "BACKUP",
	.synopsis = "-p PATH [-p PATH]... [-r [--max-depth N]] [--match GLOB] [--regex REGEX]\n"
		    "[--newest|--oldest|--all] [-w AGE] [-c AGE] [--min-size BYTES] [--max-size BYTES]\n"
		    "[--min-count N] [--missing=critical|warning|unknown] [--pool] [--expect-count N]\n"
		    "[--time=mtime|ctime]",
	.description = "Check that file-based backups (dumps, NAS shares, rsync targets) are recent enough: the\n"
		       "newest file under each path must have been modified within the limits.",
	.notes = "Each -p is judged on its own and the worst path sets the state, so one backup series\n"
		 "  that stopped is caught while others run.  A directory contributes the regular files\n"
		 "  in it (with -r also those below it).  --match, --regex and --exclude look at names,\n"
		 "  not at directory parts.  --max-depth counts levels: 1 is a directory's own files, 2\n"
		 "  adds its subdirectories' files.\n"
		 "Patterns (* ? [...] as in a shell, no shell run): each directory a pattern matches is\n"
		 "  a path of its own, judged, named and graphed ('PATH age') on its own, so with\n"
		 "  -p '/srv/nas/*/daily.0' one stale host is not hidden by a fresh one; the files it\n"
		 "  matches in one directory are one series (-p '/srv/db/*.sql.gz': the newest counts).\n"
		 "  --pool judges all matches of a pattern together, as one path.  --expect-count N:\n"
		 "  a pattern matching fewer than N paths (a host that vanished) is CRITICAL (--missing\n"
		 "  chooses), more are simply judged; perfdata adds 'matches'.\n"
		 "Symbolic links: a -p that is a link (or a match of its pattern) is followed; inside\n"
		 "  a directory, links are neither followed nor counted (the file they point to counts\n"
		 "  where it lies), so link loops cannot trap the scan.\n"
		 "Fail closed: a path that does not exist, a pattern that matches nothing, a directory\n"
		 "  without (matching) files and fewer than --min-count files are CRITICAL (--missing\n"
		 "  chooses WARNING or UNKNOWN instead, never OK).  A directory or file that cannot be\n"
		 "  read makes the path at least UNKNOWN and is named in the long output (--exclude\n"
		 "  skips a known one such as lost+found); so does a place a pattern could not read or\n"
		 "  search (a match there would otherwise be lost without a word, as with glob(3)).\n"
		 "Age: the time since the file's last modification; -w/-c default to 26h and 50h and\n"
		 "  take ranges (1h:26h).  A modification time more than --max-future (5m) ahead is a\n"
		 "  WARNING (a clock problem), never fresh.  --min-size/--max-size apply to the newest\n"
		 "  file of each path and are CRITICAL.\n"
		 "Which time: the modification time (mtime) is when the content was written.  It fits\n"
		 "  dumps and archives written in place and NAS shares a job writes to.  rsync -a, cp -p\n"
		 "  and tar x keep the source's mtime, so a fresh copy of files that have not changed\n"
		 "  for months looks months old: for such targets use --time=ctime, the time the file\n"
		 "  was last written or changed here (each copy run sets it; it cannot be set back).\n"
		 "Perfdata: age (of the path furthest behind), files (all paths), size (the newest\n"
		 "  file); with several paths also 'PATH age' and 'PATH files' for each; with\n"
		 "  --expect-count 'matches' ('PATTERN matches' for several patterns).\n"
		 "Examples:\n"
		 "  check_backup -p /srv/backup/db --match '*.sql.gz' -w 26h -c 50h --min-size 1MB\n"
		 "  check_backup -p '/srv/nas/*/daily.0' -w 30h -c 3d --expect-count 12\n"
		 "  check_backup -r -p /srv/rsync/host1 --exclude lost+found --all -w 8d -c 15d",
	.options = options,
	.timeout = 10,
	.timeout_state = MSP_STATE_UNKNOWN,
	.option = backup_option,
	.finish = backup_finish,
	.check = backup_check,
};

MSP_PLUGIN_MAIN(plugin, struct check_backup_config)
