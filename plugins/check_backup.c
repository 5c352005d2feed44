/*
 * check_backup - are file-based backups (dumps, NAS shares, rsync targets) recent enough?
 *
 * probe: glob(3) each -p, read directories with openat/fdopendir/fstatat (no symlinks followed
 *        inside a tree, no path built per file)
 * evaluate: check_backup_evaluate() judges each -p on its own; the worst path sets the state.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "check_backup.h"

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
};

static const struct msp_option options[] = {
	{ OPT_PATH, 'p', "path", MSP_ARG_REQUIRED, "PATH",
	  "A directory, file or glob(3) pattern holding backups (repeatable; each is judged\n"
	  "on its own).  A directory contributes the regular files in it" },
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
	char msg[128];
	int rc;

	if (cfg->has_regex)
		return msp_error_set(err, MSP_EINVAL, "--regex given twice: combine the expressions with '|'");
	rc = regcomp(&cfg->regex, arg, REG_EXTENDED | REG_NOSUB);
	if (rc != 0) {
		regerror(rc, &cfg->regex, msg, sizeof(msg));
		return msp_error_set(err, MSP_EINVAL, "cannot parse regex '%.80s': %s", arg, msg);
	}
	cfg->has_regex = true;
	return 0;
}

static int missing_option(struct check_backup_config *cfg, const char *arg, struct msp_error *err)
{
	enum msp_state st;

	/* Nothing found is never OK: that is the failure this plugin exists to catch. */
	if (msp_state_parse(arg, &st) < 0 || st == MSP_STATE_OK)
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
	return msp_age_policy_parse(&cfg->age, cfg->warn ? cfg->warn : "26h", cfg->crit ? cfg->crit : "50h",
				    cfg->max_future, err);
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
	}
	free(s->group);
	s->group = NULL;
	s->ngroup = 0;
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
	double age;  /* of the judged file */
	size_t nbad; /* --all: files past the limits */
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
	if (t.data && msp_result_add_child(root, v->st, "%s", msp_buf_str(&t)))
		r = 0;
	msp_buf_release(&t);
	return r;
}

/* Lines naming what could not be read and, with --all, the files past the limits. */
static int list_details(const struct check_backup_config *cfg, const struct check_backup_group *g, double now,
			struct msp_result *root)
{
	char path[4096], phrase[MSP_AGE_PHRASE_MAX];
	size_t shown = 0;
	double age;

	for (size_t i = 0; i < g->nproblem && i < CHECK_BACKUP_LIST_MAX; i++)
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
		snprintf(label, sizeof(label), "%s age", s->group[i].spec);
		if (v[i].judged && !msp_age_add_perf(root, label, &cfg->age, v[i].age))
			return MSP_ENOMEM;
		snprintf(label, sizeof(label), "%s files", s->group[i].spec);
		p = msp_result_add_perf(root, label, (double)s->group[i].nfile, "", NULL);
		if (!p)
			return MSP_ENOMEM;
		msp_perf_set_min(p, 0);
	}
	return 0;
}

/* The summary: the one path's line, or for several how many are not OK and the worst line. */
static int summarize(const struct check_backup_sample *s, const struct verdict *v, struct msp_result *root)
{
	size_t bad = 0, worst = 0, newest = 0;

	for (size_t i = 0; i < s->ngroup; i++) {
		if (v[i].st != MSP_STATE_OK)
			bad++;
		if (msp_state_rank(v[i].st) > msp_state_rank(v[worst].st))
			worst = i;
		if (v[i].newest && (!v[newest].newest || when_of(v[i].newest) > when_of(v[newest].newest)))
			newest = i;
	}
	msp_result_set_state(root, v[worst].st);
	if (s->ngroup == 1)
		return msp_result_set_text(root, "%s", root->child[0]->text);
	if (bad)
		return msp_result_set_text(root, "%zu of %zu paths not OK: %s", bad, s->ngroup,
					   root->child[worst]->text);
	return msp_result_set_text(root, "%zu paths OK, the newest: %s", s->ngroup, root->child[newest]->text);
}

int check_backup_evaluate(const struct check_backup_config *cfg, const struct check_backup_sample *s, double now,
			  struct msp_result *root)
{
	struct verdict *v = calloc(s->ngroup ? s->ngroup : 1, sizeof(*v));
	int r = MSP_ENOMEM;

	if (!v)
		return MSP_ENOMEM;
	/* The group lines come first, so child i is group i for the summary. */
	for (size_t i = 0; i < s->ngroup; i++)
		if (evaluate_group(cfg, &s->group[i], now, root, &v[i]) < 0)
			goto out;
	if (s->ngroup == 0) {
		msp_result_set_state(root, MSP_STATE_UNKNOWN);
		r = msp_result_set_text(root, "no path given");
		goto out;
	}
	if (summarize(s, v, root) < 0 || add_perfdata(cfg, s, v, root) < 0)
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
	if (check_backup_group_add_file(w->g, (uint32_t)*dir_index, name, (int64_t)st.st_mtim.tv_sec,
					(int32_t)st.st_mtim.tv_nsec, (int64_t)st.st_size) < 0)
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

/* A path named by -p or found by its pattern: symlinks are followed here, the user named it. */
static int take_path(struct walk *w, const char *path, bool *ret_found)
{
	const char *base = strrchr(path, '/');
	struct stat st;
	uint32_t idx;
	int fd;

	if (stat(path, &st) < 0) {
		if (errno == ENOENT || errno == ENOTDIR)
			return 0;
		*ret_found = true;
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
	    check_backup_group_add_file(w->g, idx, "", (int64_t)st.st_mtim.tv_sec, (int32_t)st.st_mtim.tv_nsec,
					(int64_t)st.st_size) < 0)
		return msp_error_set(w->err, MSP_ENOMEM, "out of memory");
	return 0;
}

/* glob(3) reports unreadable directories through a callback without a user pointer. */
static struct walk *glob_walk;
static int glob_failed;

static int on_glob_error(const char *path, int errnum)
{
	/* A directory that does not exist simply matches nothing, as in a shell. */
	if (errnum == ENOENT || errnum == ENOTDIR)
		return 0;
	if (problem(glob_walk, path, NULL, errnum) < 0)
		glob_failed = 1;
	return glob_failed; /* go on: the other directories still count */
}

static int probe_path(struct walk *w, const char *spec)
{
	bool found = false;
	size_t before;
	glob_t gl;
	int r;

	msp_step("reading '%.200s'", spec);
	if (!strpbrk(spec, "*?[")) {
		r = take_path(w, spec, &found);
		if (r == 0 && !found)
			w->g->absence = CHECK_BACKUP_NO_SUCH_PATH;
		return r;
	}
	memset(&gl, 0, sizeof(gl));
	before = w->g->nproblem;
	glob_walk = w;
	glob_failed = 0;
	r = glob(spec, GLOB_NOSORT, on_glob_error, &gl);
	if (glob_failed || r == GLOB_NOSPACE) {
		r = msp_error_set(w->err, MSP_ENOMEM, "out of memory expanding '%.200s'", spec);
	} else if (r == GLOB_NOMATCH || (r == 0 && gl.gl_pathc == 0)) {
		/* A file whose name holds a pattern character is still that file (unless reading failed). */
		r = w->g->nproblem == before ? take_path(w, spec, &found) : 0;
		if (r == 0 && !found)
			w->g->absence = CHECK_BACKUP_NO_GLOB_MATCH;
	} else {
		/* GLOB_ABORTED after an unreadable directory: it is recorded, the matches found still count. */
		r = 0;
		for (size_t i = 0; i < gl.gl_pathc && r == 0; i++)
			r = take_path(w, gl.gl_pathv[i], &found);
	}
	globfree(&gl);
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
		w.g = check_backup_sample_add_group(&s, cfg->path[i]);
		if (!w.g)
			r = msp_error_set(err, MSP_ENOMEM, "out of memory");
		else
			r = probe_path(&w, cfg->path[i]);
		if (r == 0)
			msp_verbose(ctx, 1, "'%s': %zu files, %zu directories with files, %zu unreadable", cfg->path[i],
				    w.g->nfile, w.g->ndir, w.g->nproblem);
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
	.name = "check_backup",
	.service = "BACKUP",
	.synopsis = "-p PATH [-p PATH]... [-r [--max-depth N]] [--match GLOB] [--regex REGEX]\n"
		    "[--newest|--oldest|--all] [-w AGE] [-c AGE] [--min-size BYTES] [--max-size BYTES]\n"
		    "[--min-count N] [--missing=critical|warning|unknown]",
	.description = "Check that file-based backups (dumps, NAS shares, rsync targets) are recent enough: the\n"
		       "newest file under each path must have been modified within the limits.",
	.notes = "Each -p is judged on its own and the worst path sets the state, so one backup series\n"
		 "  that stopped is caught while others run.  A directory contributes the regular files\n"
		 "  in it (with -r also those below it); a pattern (* ? [...], glob(3), no shell) every\n"
		 "  file it matches and the files in every directory it matches.  --match, --regex and\n"
		 "  --exclude look at names, not at directory parts.  --max-depth counts levels: 1 is a\n"
		 "  directory's own files, 2 adds its subdirectories' files.\n"
		 "Symbolic links: a -p that is a link (or a match of its pattern) is followed; inside\n"
		 "  a directory, links are neither followed nor counted (the file they point to counts\n"
		 "  where it lies), so link loops cannot trap the scan.\n"
		 "Fail closed: a path that does not exist, a pattern that matches nothing, a directory\n"
		 "  without (matching) files and fewer than --min-count files are CRITICAL (--missing\n"
		 "  chooses WARNING or UNKNOWN instead, never OK).  A directory or file that cannot be\n"
		 "  read makes the path at least UNKNOWN and is named in the long output (--exclude\n"
		 "  skips a known one such as lost+found).\n"
		 "Age: the time since the file's last modification; -w/-c default to 26h and 50h and\n"
		 "  take ranges (1h:26h).  A modification time more than --max-future (5m) ahead is a\n"
		 "  WARNING (a clock problem), never fresh.  --min-size/--max-size apply to the newest\n"
		 "  file of each path and are CRITICAL.\n"
		 "Perfdata: age (of the path furthest behind), files (all paths), size (the newest\n"
		 "  file); with several paths also 'PATH age' and 'PATH files' for each.\n"
		 "Examples:\n"
		 "  check_backup -p /srv/backup/db --match '*.sql.gz' -w 26h -c 50h --min-size 1MB\n"
		 "  check_backup -p '/srv/nas/*/daily.0' -w 30h -c 3d\n"
		 "  check_backup -r -p /srv/rsync/host1 --exclude lost+found --all -w 8d -c 15d",
	.options = options,
	.timeout = 10,
	.timeout_state = MSP_STATE_UNKNOWN,
	.option = backup_option,
	.finish = backup_finish,
	.check = backup_check,
};

MSP_PLUGIN_MAIN(plugin, struct check_backup_config)
