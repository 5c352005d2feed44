/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * check_restic - age and count of the snapshots in a restic repository.
 *
 * probe: restic snapshots --json --no-lock (msp_cmd: no shell, clean environment, deadline, caps)
 * parse: check_restic_parse()      evaluate: check_restic_evaluate()      failures: check_restic_failure()
 */
#include <errno.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "check_restic.h"
#include "msp_cmd.h"
#include "msp_json.h"
#include "msp_redact.h"

enum {
	OPT_REPO,
	OPT_REPO_FILE,
	OPT_PASSWORD_FILE,
	OPT_PASSWORD_COMMAND,
	OPT_CACHE_DIR,
	OPT_RESTIC_BIN,
	OPT_SUDO,
	OPT_HOST,
	OPT_PATH,
	OPT_TAG,
	OPT_GROUP_BY,
	OPT_EXPECT_GROUPS,
	OPT_MIN_SNAPSHOTS,
	OPT_WARN,
	OPT_CRIT,
	OPT_MAX_FUTURE,
	OPT_LOCK,
	OPT_LOCK_STATE,
	OPT_PASS_ENV,
};

static const struct msp_option options[] = {
	{ OPT_REPO, 'r', "repo", MSP_ARG_REQUIRED, "REPO",
	  "The repository (default: $RESTIC_REPOSITORY); handed to restic in its environment" },
	{ OPT_REPO, 0, "repository", MSP_ARG_REQUIRED, "REPO", NULL },
	{ OPT_REPO_FILE, 0, "repository-file", MSP_ARG_REQUIRED, "FILE",
	  "Read the repository from FILE (default: $RESTIC_REPOSITORY_FILE)" },
	{ OPT_PASSWORD_FILE, 'p', "password-file", MSP_ARG_REQUIRED, "FILE",
	  "Read the repository password from FILE (default: $RESTIC_PASSWORD_FILE)" },
	{ OPT_PASSWORD_COMMAND, 0, "password-command", MSP_ARG_REQUIRED, "COMMAND",
	  "restic runs COMMAND to get the password (default: $RESTIC_PASSWORD_COMMAND).\n"
	  "Without either, $RESTIC_PASSWORD is passed on when set" },
	{ OPT_CACHE_DIR, 0, "cache-dir", MSP_ARG_REQUIRED, "DIR",
	  "restic's cache directory (default: $RESTIC_CACHE_DIR; neither: --no-cache)" },
	{ OPT_RESTIC_BIN, 0, "restic-bin", MSP_ARG_REQUIRED, "PATH",
	  "The restic program or a wrapper script (default: restic, searched in PATH)" },
	{ OPT_SUDO, 0, "sudo", MSP_ARG_NONE, NULL,
	  "Run restic through sudo -n (never asks for a password; needs a sudoers rule)" },
	{ OPT_HOST, 'H', "host", MSP_ARG_REQUIRED, "HOST", "Only snapshots of HOST (repeatable: any of them)" },
	{ OPT_PATH, 0, "path", MSP_ARG_REQUIRED, "PATH", "Only snapshots that include PATH (repeatable: all of them)" },
	{ OPT_TAG, 0, "tag", MSP_ARG_REQUIRED, "TAG[,TAG]",
	  "Only snapshots with these tags (repeatable: any of the lists)" },
	{ OPT_GROUP_BY, 'g', "group-by", MSP_ARG_REQUIRED, "host,paths,tags",
	  "Judge each group of snapshots on its own (one long-output line each)" },
	{ OPT_EXPECT_GROUPS, 0, "expect-groups", MSP_ARG_REQUIRED, "N",
	  "CRITICAL when fewer than N groups are found (a group that disappeared)" },
	{ OPT_MIN_SNAPSHOTS, 0, "min-snapshots", MSP_ARG_REQUIRED, "N",
	  "CRITICAL when a group (or, without --group-by, the repository) holds fewer\n"
	  "than N matching snapshots (default 1)" },
	{ OPT_WARN, 'w', "warning", MSP_ARG_REQUIRED, "AGE",
	  "WARNING when the newest snapshot is older (default 26h; 90s 15m 26h 7d, ranges)" },
	{ OPT_CRIT, 'c', "critical", MSP_ARG_REQUIRED, "AGE",
	  "CRITICAL when the newest snapshot is older (default 50h)" },
	{ OPT_MAX_FUTURE, 0, "max-future", MSP_ARG_REQUIRED, "AGE",
	  "A snapshot time further ahead than this is a WARNING (default 5m)" },
	{ OPT_LOCK, 0, "lock", MSP_ARG_NONE, NULL,
	  "Take restic's shared lock instead of --no-lock, so an exclusive lock (prune,\n"
	  "a stale lock) is reported; needs write access to the repository" },
	{ OPT_LOCK_STATE, 0, "lock-state", MSP_ARG_REQUIRED, "STATE",
	  "State for a locked repository (default WARNING)" },
	{ OPT_PASS_ENV, 0, "pass-env", MSP_ARG_REQUIRED, "NAME",
	  "Pass our environment variable NAME on to restic (repeatable; e.g. AWS_ACCESS_KEY_ID)" },
	MSP_OPTION_END,
};

/* --------------------------------------------------------------- options */

static int list_add(struct check_restic_list *l, const char *opt, const char *v, struct msp_error *err)
{
	if (l->n >= CHECK_RESTIC_LIST_MAX)
		return msp_error_set(err, MSP_EINVAL, "too many %s options (at most %d)", opt, CHECK_RESTIC_LIST_MAX);
	l->v[l->n++] = v;
	return 0;
}

/* "host,paths,tags" in any order, singular or plural, into restic 0.14's spelling. */
static int parse_group_by(const char *arg, char *ret, size_t len, struct msp_error *err)
{
	bool host = false, paths = false, tags = false;
	const char *p = arg;

	while (*p) {
		size_t n = strcspn(p, ",");

		if ((n == 4 && !strncmp(p, "host", 4)) || (n == 5 && !strncmp(p, "hosts", 5)))
			host = true;
		else if ((n == 4 && !strncmp(p, "path", 4)) || (n == 5 && !strncmp(p, "paths", 5)))
			paths = true;
		else if ((n == 3 && !strncmp(p, "tag", 3)) || (n == 4 && !strncmp(p, "tags", 4)))
			tags = true;
		else if (n > 0)
			return msp_error_set(err, MSP_EINVAL,
					     "cannot parse --group-by '%.60s': want host, paths and/or tags", arg);
		p += n + (p[n] == ',');
	}
	snprintf(ret, len, "%s%s%s%s%s", host ? "host" : "", host && (paths || tags) ? "," : "", paths ? "paths" : "",
		 paths && tags ? "," : "", tags ? "tags" : "");
	return 0;
}

static int parse_count(const char *opt, const char *arg, unsigned long *ret, struct msp_error *err)
{
	uint64_t v;

	if (msp_num_uint64(arg, 1000000, &v) < 0)
		return msp_error_set(err, MSP_EINVAL, "cannot parse %s '%.40s': want a whole number", opt, arg);
	*ret = (unsigned long)v;
	return 0;
}

/* Options that keep their text (a pointer into argv) in a config member. */
static const struct {
	int id;
	size_t offset;
} kept[] = {
	{ OPT_REPO, offsetof(struct check_restic_config, repo) },
	{ OPT_REPO_FILE, offsetof(struct check_restic_config, repo_file) },
	{ OPT_PASSWORD_FILE, offsetof(struct check_restic_config, password_file) },
	{ OPT_PASSWORD_COMMAND, offsetof(struct check_restic_config, password_command) },
	{ OPT_CACHE_DIR, offsetof(struct check_restic_config, cache_dir) },
	{ OPT_RESTIC_BIN, offsetof(struct check_restic_config, restic_bin) },
	{ OPT_WARN, offsetof(struct check_restic_config, warn) },
	{ OPT_CRIT, offsetof(struct check_restic_config, crit) },
	{ OPT_MAX_FUTURE, offsetof(struct check_restic_config, max_future) },
};

static int restic_option(void *vcfg, int id, const char *arg, struct msp_error *err)
{
	struct check_restic_config *cfg = vcfg;
	/* Command files pass '' for unset macros: an empty value means "not given". */
	const char *v = arg && *arg ? arg : NULL;

	for (size_t i = 0; i < sizeof(kept) / sizeof(kept[0]); i++) {
		if (kept[i].id == id) {
			if (v)
				*(const char **)((char *)cfg + kept[i].offset) = v;
			return 0;
		}
	}
	if (!v && id != OPT_SUDO && id != OPT_LOCK)
		return 0;
	switch (id) {
	case OPT_SUDO:
		cfg->sudo = true;
		return 0;
	case OPT_LOCK:
		cfg->lock = true;
		return 0;
	case OPT_HOST:
		return list_add(&cfg->host, "--host", v, err);
	case OPT_PATH:
		return list_add(&cfg->path, "--path", v, err);
	case OPT_TAG:
		return list_add(&cfg->tag, "--tag", v, err);
	case OPT_PASS_ENV:
		if (strchr(v, '=') || !strncmp(v, "RESTIC_", 7))
			return msp_error_set(err, MSP_EINVAL,
					     "cannot pass '%.60s': give a variable name (RESTIC_* are passed already)",
					     v);
		return list_add(&cfg->pass_env, "--pass-env", v, err);
	case OPT_GROUP_BY:
		return parse_group_by(v, cfg->group_by, sizeof(cfg->group_by), err);
	case OPT_EXPECT_GROUPS:
		return parse_count("--expect-groups", v, &cfg->expect_groups, err);
	case OPT_MIN_SNAPSHOTS:
		return parse_count("--min-snapshots", v, &cfg->min_snapshots, err);
	case OPT_LOCK_STATE:
		if (msp_state_parse(v, &cfg->lock_state, NULL) < 0)
			return msp_error_set(err, MSP_EINVAL,
					     "lock state '%.40s' is not OK, WARNING, CRITICAL or UNKNOWN", v);
		cfg->has_lock_state = true;
		return 0;
	case MSP_OPT_POSITIONAL:
		return msp_error_set(err, MSP_EINVAL, "unexpected argument '%.60s'", v);
	}
	return msp_error_set(err, MSP_EINVAL, "unknown option");
}

/* Options win over the environment; a variable that is set but empty counts as unset. */
static const char *env_or(const char *opt, const char *name)
{
	const char *e = getenv(name);

	return opt ? opt : e && *e ? e : NULL;
}

static int restic_finish(void *vcfg, const struct msp_context *ctx, struct msp_error *err)
{
	struct check_restic_config *cfg = vcfg;
	const char *pw = getenv("RESTIC_PASSWORD");

	(void)ctx;
	if (cfg->repo && cfg->repo_file)
		return msp_error_set(err, MSP_EINVAL, "give -r or --repository-file, not both");
	if (cfg->password_file && cfg->password_command)
		return msp_error_set(err, MSP_EINVAL, "give --password-file or --password-command, not both");
	if (cfg->expect_groups && !cfg->group_by[0])
		return msp_error_set(err, MSP_EINVAL, "--expect-groups needs --group-by");
	if (!cfg->repo && !cfg->repo_file) {
		cfg->repo = env_or(NULL, "RESTIC_REPOSITORY");
		cfg->repo_file = cfg->repo ? NULL : env_or(NULL, "RESTIC_REPOSITORY_FILE");
	}
	if (!cfg->password_file && !cfg->password_command) {
		cfg->password_file = env_or(NULL, "RESTIC_PASSWORD_FILE");
		cfg->password_command = env_or(NULL, "RESTIC_PASSWORD_COMMAND");
		cfg->password_env = pw && *pw;
	}
	cfg->cache_dir = env_or(cfg->cache_dir, "RESTIC_CACHE_DIR");
	/* A wrapper given as --restic-bin may bring its own repository and password. */
	if (!cfg->restic_bin && !cfg->repo && !cfg->repo_file)
		return msp_error_set(err, MSP_EINVAL,
				     "no repository: give -r REPO or --repository-file FILE, or set RESTIC_REPOSITORY");
	if (!cfg->restic_bin && !cfg->password_file && !cfg->password_command && !cfg->password_env)
		return msp_error_set(
			err, MSP_EINVAL,
			"no password: give --password-file or --password-command, or set RESTIC_PASSWORD_FILE");
	if (!cfg->restic_bin)
		cfg->restic_bin = "restic";
	if (!cfg->has_lock_state)
		cfg->lock_state = MSP_STATE_WARNING;
	if (cfg->min_snapshots == 0)
		cfg->min_snapshots = 1;
	return msp_age_policy_parse_defaults(&cfg->age, cfg->warn, cfg->crit, "26h", "50h", cfg->max_future, err);
}

/* ----------------------------------------------------------------- parse */

static void snapshot_release(struct check_restic_snapshot *s)
{
	free(s->hostname);
	free(s->paths);
	free(s->tags);
	memset(s, 0, sizeof(*s));
}

/* The summary object restic >= 0.17 adds; a time in it that does not parse leaves the duration unknown. */
static void parse_summary(struct json_object *o, struct check_restic_snapshot *s)
{
	struct json_object *sum;
	const char *start, *end;
	double t0, t1;

	s->duration = s->data_added = s->files = NAN;
	if (!json_object_object_get_ex(o, "summary", &sum) || !json_object_is_type(sum, json_type_object))
		return;
	s->has_summary = true;
	start = msp_json_string(sum, "backup_start");
	end = msp_json_string(sum, "backup_end");
	if (start && end && msp_time_parse_rfc3339(start, 0, &t0, NULL) == 0 &&
	    msp_time_parse_rfc3339(end, 0, &t1, NULL) == 0)
		s->duration = t1 - t0;
	s->data_added = msp_json_number(sum, "data_added");
	s->files = msp_json_number(sum, "total_files_processed");
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int sorted_strings(struct json_object *o, const char *key, const char ***ret, size_t *ret_n,
			  struct msp_error *err);
static char *join(const char *const *v, size_t n, const char *sep);

/* The list member key of o, sorted (as restic's group keys are) and joined with ",". */
static int sorted_join(struct json_object *o, const char *key, char **ret, struct msp_error *err)
{
	const char **v;
	size_t n;
	int r = sorted_strings(o, key, &v, &n, err);

	if (r < 0)
		return r;
	*ret = join(v, n, ",");
	free(v);
	return *ret ? 0 : msp_error_set(err, MSP_ENOMEM, "out of memory");
}

static int parse_snapshot(struct json_object *o, struct check_restic_snapshot *ret, struct msp_error *err)
{
	struct check_restic_snapshot s = { 0 };
	const char *id = msp_json_string(o, "short_id"), *t;
	struct msp_error e;
	int r;

	msp_error_init(&e);
	if (!json_object_is_type(o, json_type_object))
		return msp_error_set(err, MSP_EINVAL, "a snapshot is not a JSON object");
	if (!id)
		id = msp_json_string(o, "id");
	snprintf(s.short_id, 9, "%s", id ? id : "");
	t = msp_json_string(o, "time");
	if (!t)
		return msp_error_set(err, MSP_EINVAL, "snapshot '%s' has no time", s.short_id);
	if (msp_time_parse_rfc3339(t, 0, &s.time, &e) < 0)
		return msp_error_set(err, MSP_EINVAL, "snapshot '%s': %s", s.short_id, e.msg);
	s.hostname = strdup(msp_json_string(o, "hostname") ? msp_json_string(o, "hostname") : "");
	if (!s.hostname) {
		r = msp_error_set(err, MSP_ENOMEM, "out of memory");
		goto fail;
	}
	if ((r = sorted_join(o, "paths", &s.paths, &e)) < 0 || (r = sorted_join(o, "tags", &s.tags, &e)) < 0) {
		msp_error_set(err, r, "snapshot '%s': %s", s.short_id, e.msg);
		goto fail;
	}
	parse_summary(o, &s);
	*ret = s;
	return 0;
fail:
	snapshot_release(&s);
	return r;
}

/* The strings of the list member key of o (absent or null: none), sorted, in *ret (owned array of borrowed strings). */
static int sorted_strings(struct json_object *o, const char *key, const char ***ret, size_t *ret_n,
			  struct msp_error *err)
{
	struct json_object *a;
	const char **v;
	size_t n;

	*ret = NULL;
	*ret_n = 0;
	if (!json_object_object_get_ex(o, key, &a) || json_object_is_type(a, json_type_null))
		return 0;
	if (!json_object_is_type(a, json_type_array))
		return msp_error_set(err, MSP_EINVAL, "'%s' is not a list of strings", key);
	n = json_object_array_length(a);
	if (n == 0)
		return 0;
	if (!(v = calloc(n, sizeof(*v))))
		return msp_error_set(err, MSP_ENOMEM, "out of memory");
	for (size_t i = 0; i < n; i++) {
		struct json_object *e = json_object_array_get_idx(a, i);

		if (!json_object_is_type(e, json_type_string)) {
			free(v);
			return msp_error_set(err, MSP_EINVAL, "'%s' is not a list of strings", key);
		}
		v[i] = json_object_get_string(e);
	}
	qsort(v, n, sizeof(*v), cmp_str);
	*ret = v;
	*ret_n = n;
	return 0;
}

/* The strings joined with sep, in a new string (NULL on ENOMEM). */
static char *join(const char *const *v, size_t n, const char *sep)
{
	struct msp_buf b;

	msp_buf_init(&b, 1 << 24);
	msp_buf_adds(&b, "");
	for (size_t i = 0; i < n; i++)
		msp_buf_addf(&b, "%s%s", i ? sep : "", v[i]);
	return msp_buf_detach(&b);
}

/* One snapshot's members as restic's filters and groups see them. */
struct fields {
	const char *host;
	const char **paths, **tags; /* sorted; owned arrays of strings owned by the JSON */
	size_t npaths, ntags;
};

static int fields_get(struct json_object *o, struct fields *f, struct msp_error *err)
{
	int r;

	memset(f, 0, sizeof(*f));
	f->host = msp_json_string(o, "hostname");
	if (!f->host)
		f->host = "";
	if ((r = sorted_strings(o, "paths", &f->paths, &f->npaths, err)) < 0)
		return r;
	return sorted_strings(o, "tags", &f->tags, &f->ntags, err);
}

static void fields_release(struct fields *f)
{
	free(f->paths);
	free(f->tags);
	memset(f, 0, sizeof(*f));
}

static bool has(const char *const *v, size_t n, const char *s, size_t len)
{
	for (size_t i = 0; i < n; i++)
		if (strlen(v[i]) == len && strncmp(v[i], s, len) == 0)
			return true;
	return false;
}

/*
 * restic's rule for one --tag value: its comma-separated tags, each
 * trimmed, must all be on the snapshot; an empty one matches a snapshot
 * without tags (and ends the test there, as restic's loop does).
 */
static bool tags_match(const struct fields *f, const char *list)
{
	const char *p = list;

	for (;;) {
		size_t n = strcspn(p, ",");
		const char *t = p, *e = p + n;

		while (t < e && strchr(" \t\n\r\v\f", *t))
			t++;
		while (e > t && strchr(" \t\n\r\v\f", e[-1]))
			e--;
		if (e == t && f->ntags == 0)
			return true;
		if (!has(f->tags, f->ntags, t, (size_t)(e - t)))
			return false;
		if (!p[n])
			return true;
		p += n + 1;
	}
}

/* "'a'" or "'a' or 'b'": the values of one filter option. */
static void list_text(const struct check_restic_list *l, char *buf, size_t len)
{
	size_t o = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < l->n && o < len; i++)
		o += (size_t)snprintf(buf + o, len - o, "%s'%.60s'", i ? " or " : "", l->v[i]);
}

/* Fail closed on a snapshot restic should not have returned: the filters were not applied. */
static int check_filters(const struct check_restic_config *cfg, const struct fields *f, struct msp_error *err)
{
	char want[256], got[256];
	char *j;
	bool ok = cfg->tag.n == 0;

	if (cfg->host.n && !has(cfg->host.v, cfg->host.n, f->host, strlen(f->host))) {
		list_text(&cfg->host, want, sizeof(want));
		return msp_error_set(err, MSP_EINVAL,
				     "restic returned a snapshot of host '%.60s' although --host %s was asked", f->host,
				     want);
	}
	for (size_t i = 0; i < cfg->path.n; i++) {
		if (!has(f->paths, f->npaths, cfg->path.v[i], strlen(cfg->path.v[i]))) {
			j = join(f->paths, f->npaths, ",");
			snprintf(got, sizeof(got), "%.100s", j ? j : "");
			free(j);
			return msp_error_set(
				err, MSP_EINVAL,
				"restic returned a snapshot of paths '%s' although --path '%.100s' was asked", got,
				cfg->path.v[i]);
		}
	}
	for (size_t i = 0; i < cfg->tag.n && !ok; i++)
		ok = tags_match(f, cfg->tag.v[i]);
	if (!ok) {
		j = join(f->tags, f->ntags, ",");
		snprintf(got, sizeof(got), "%.100s", j ? j : "");
		free(j);
		list_text(&cfg->tag, want, sizeof(want));
		return msp_error_set(err, MSP_EINVAL, "restic returned a snapshot %s%s%s although --tag %s was asked",
				     *got ? "with tags '" : "without tags", got, *got ? "'" : "", want);
	}
	return 0;
}

static bool same_list(const char *const *a, size_t na, const char *const *b, size_t nb)
{
	if (na != nb)
		return false;
	for (size_t i = 0; i < na; i++)
		if (strcmp(a[i], b[i]) != 0)
			return false;
	return true;
}

/* A snapshot restic put into a group must carry what the group key names. */
static int check_group_key(const struct fields *key, const struct fields *f, struct msp_error *err)
{
	char *a = NULL, *b = NULL;
	int r = 0;

	if (*key->host && strcmp(key->host, f->host) != 0)
		return msp_error_set(err, MSP_EINVAL,
				     "restic put a snapshot of host '%.60s' into the group of host '%.60s'", f->host,
				     key->host);
	if (key->npaths && !same_list(key->paths, key->npaths, f->paths, f->npaths)) {
		a = join(f->paths, f->npaths, ",");
		b = join(key->paths, key->npaths, ",");
		r = msp_error_set(err, MSP_EINVAL,
				  "restic put a snapshot of paths '%.100s' into the group of paths '%.100s'",
				  a ? a : "", b ? b : "");
	} else if (key->ntags && !same_list(key->tags, key->ntags, f->tags, f->ntags)) {
		a = join(f->tags, f->ntags, ",");
		b = join(key->tags, key->ntags, ",");
		r = msp_error_set(err, MSP_EINVAL,
				  "restic put a snapshot with tags '%.100s' into the group of tags '%.100s'",
				  a ? a : "", b ? b : "");
	}
	free(a);
	free(b);
	return r;
}

/* One snapshot as parsed, with the key of the group it belongs to under --group-by. */
struct item {
	struct check_restic_snapshot s;
	char *key;      /* owned: the grouped members, joined with separators no name holds */
	const char *id; /* the snapshot's id, owned by the JSON; NULL when absent */
	size_t order;   /* position in restic's output */
};

struct items {
	struct item *v;
	size_t n, cap;
};

static void items_release(struct items *it)
{
	for (size_t i = 0; i < it->n; i++) {
		snapshot_release(&it->v[i].s);
		free(it->v[i].key);
	}
	free(it->v);
	memset(it, 0, sizeof(*it));
}

/* The group key of f under cfg->group_by ("" when not grouped). */
static char *group_key(const struct check_restic_config *cfg, const struct fields *f)
{
	char *paths = join(f->paths, f->npaths, "\x1f"), *tags = join(f->tags, f->ntags, "\x1f"), *k = NULL;

	if (paths && tags &&
	    asprintf(&k, "%s\x1e%s\x1e%s", strstr(cfg->group_by, "host") ? f->host : "",
		     strstr(cfg->group_by, "paths") ? paths : "", strstr(cfg->group_by, "tags") ? tags : "") < 0)
		k = NULL;
	free(paths);
	free(tags);
	return k;
}

/* Parse, verify and keep one snapshot; key is its group key in restic's output (NULL: plain list). */
static int add_snapshot(const struct check_restic_config *cfg, struct json_object *o, const struct fields *key,
			struct items *it, struct msp_error *err)
{
	struct item x = { .order = it->n, .id = msp_json_string(o, "id") };
	struct fields f;
	int r;

	if ((r = parse_snapshot(o, &x.s, err)) < 0)
		return r;
	if ((r = fields_get(o, &f, err)) == 0 && (r = check_filters(cfg, &f, err)) == 0 && key)
		r = check_group_key(key, &f, err);
	if (r == 0 && !(x.key = group_key(cfg, &f)))
		r = msp_error_set(err, MSP_ENOMEM, "out of memory");
	if (r == 0 && it->n == it->cap) {
		size_t cap = it->cap ? it->cap * 2 : 16;
		struct item *v = realloc(it->v, cap * sizeof(*v));

		if (!v)
			r = msp_error_set(err, MSP_ENOMEM, "out of memory");
		else {
			it->v = v;
			it->cap = cap;
		}
	}
	fields_release(&f);
	if (r < 0) {
		snapshot_release(&x.s);
		free(x.key);
		return r;
	}
	it->v[it->n++] = x;
	return 0;
}

static int add_group(const struct check_restic_config *cfg, struct json_object *o, struct items *it,
		     struct msp_error *err)
{
	struct json_object *key, *snaps;
	struct fields kf;
	size_t n;
	int r;

	if (!json_object_is_type(o, json_type_object) || !json_object_object_get_ex(o, "group_key", &key) ||
	    !json_object_is_type(key, json_type_object) || !json_object_object_get_ex(o, "snapshots", &snaps) ||
	    !json_object_is_type(snaps, json_type_array))
		return msp_error_set(err, MSP_EINVAL, "a group has no group_key or no snapshots list");
	n = json_object_array_length(snaps);
	if (n == 0)
		return msp_error_set(err, MSP_EINVAL, "restic returned a group without snapshots");
	if ((r = fields_get(key, &kf, err)) < 0)
		return r;
	for (size_t i = 0; i < n && r == 0; i++)
		r = add_snapshot(cfg, json_object_array_get_idx(snaps, i), &kf, it, err);
	fields_release(&kf);
	return r;
}

/* A snapshot listed twice would count twice towards --min-snapshots: restic never does that. */
static int check_unique(const struct items *it, struct msp_error *err)
{
	const char **id = calloc(it->n ? it->n : 1, sizeof(*id));
	size_t n = 0;
	int r = 0;

	if (!id)
		return msp_error_set(err, MSP_ENOMEM, "out of memory");
	for (size_t i = 0; i < it->n; i++)
		if (it->v[i].id)
			id[n++] = it->v[i].id;
	if (n)
		qsort(id, n, sizeof(*id), cmp_str);
	for (size_t i = 1; i < n && r == 0; i++)
		if (strcmp(id[i - 1], id[i]) == 0)
			r = msp_error_set(err, MSP_EINVAL, "restic returned snapshot '%.8s' more than once", id[i]);
	free(id);
	return r;
}

static int by_key(const void *x, const void *y)
{
	const struct item *a = x, *b = y;
	int c = strcmp(a->key, b->key);

	return c ? c : a->order < b->order ? -1 : a->order > b->order;
}

/* "host:paths:tags", the parts that are grouped and set; "untagged" when none. */
static char *group_name(const struct check_restic_config *cfg, const struct check_restic_snapshot *s)
{
	const char *part[3] = { strstr(cfg->group_by, "host") ? s->hostname : "",
				strstr(cfg->group_by, "paths") ? s->paths : "",
				strstr(cfg->group_by, "tags") ? s->tags : "" };
	struct msp_buf b;

	msp_buf_init(&b, 1 << 20);
	msp_buf_adds(&b, "");
	for (size_t i = 0; i < 3; i++)
		if (*part[i])
			msp_buf_addf(&b, "%s%s", b.len ? ":" : "", part[i]);
	if (b.len == 0 && cfg->group_by[0])
		msp_buf_adds(&b, "untagged");
	return msp_buf_detach(&b);
}

/* Group the snapshots ourselves, whatever shape restic's output had: per group the count and the newest. */
static int make_groups(const struct check_restic_config *cfg, struct items *it, struct check_restic_sample *s,
		       struct msp_error *err)
{
	if (it->n)
		qsort(it->v, it->n, sizeof(*it->v), by_key);
	s->group = calloc(it->n ? it->n : 1, sizeof(*s->group));
	if (!s->group)
		return msp_error_set(err, MSP_ENOMEM, "out of memory");
	for (size_t i = 0; i < it->n; i++) {
		struct check_restic_group *g = s->ngroup ? &s->group[s->ngroup - 1] : NULL;

		if (!g || strcmp(it->v[i - 1].key, it->v[i].key) != 0) {
			g = &s->group[s->ngroup++];
			g->newest = it->v[i].s;
			memset(&it->v[i].s, 0, sizeof(it->v[i].s));
			if (!(g->name = group_name(cfg, &g->newest)))
				return msp_error_set(err, MSP_ENOMEM, "out of memory");
		} else if (it->v[i].s.time > g->newest.time) {
			snapshot_release(&g->newest);
			g->newest = it->v[i].s;
			memset(&it->v[i].s, 0, sizeof(it->v[i].s));
		}
		g->nsnap++;
	}
	return 0;
}

int check_restic_parse(const struct check_restic_config *cfg, const char *text, size_t len,
		       struct check_restic_sample *ret, struct msp_error *err)
{
	struct check_restic_sample s = { 0 };
	struct items it = { 0 };
	struct json_object *top = NULL, *first;
	bool grouped;
	size_t n;
	int r;

	if (len > CHECK_RESTIC_OUT_MAX)
		return msp_error_set(err, MSP_ETOOBIG, "the snapshot list is longer than %u bytes",
				     CHECK_RESTIC_OUT_MAX);
	if ((r = msp_json_parse(text, len, "the snapshot list", &top, err)) < 0)
		return r;
	if (!json_object_is_type(top, json_type_array)) {
		r = msp_error_set(err, MSP_EINVAL, "cannot parse the snapshot list: not a JSON list");
		goto out;
	}
	n = json_object_array_length(top);
	first = n ? json_object_array_get_idx(top, 0) : NULL;
	grouped = first && json_object_is_type(first, json_type_object) &&
		  json_object_object_get_ex(first, "group_key", NULL);
	for (size_t i = 0; i < n && r == 0; i++) {
		struct json_object *o = json_object_array_get_idx(top, i);

		r = grouped ? add_group(cfg, o, &it, err) : add_snapshot(cfg, o, NULL, &it, err);
	}
	if (r == 0)
		r = check_unique(&it, err);
	if (r == 0)
		r = make_groups(cfg, &it, &s, err);
	s.grouped = cfg->group_by[0] != '\0';
	if (r == 0) {
		*ret = s;
		s = (struct check_restic_sample){ 0 };
	}
out:
	items_release(&it);
	check_restic_sample_release(&s);
	json_object_put(top);
	return r;
}

void check_restic_sample_release(struct check_restic_sample *s)
{
	for (size_t i = 0; i < s->ngroup; i++) {
		free(s->group[i].name);
		snapshot_release(&s->group[i].newest);
	}
	free(s->group);
	memset(s, 0, sizeof(*s));
}

/* -------------------------------------------------------------- evaluate */

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
		msp_buf_addf(b, ", fewer than %lu", cfg->min_snapshots);
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
	const struct check_restic_list *l[] = { &cfg->host, &cfg->path, &cfg->tag };
	const char *name[] = { "--host", "--path", "--tag" };

	for (size_t i = 0; i < 3; i++)
		for (size_t j = 0; j < l[i]->n; j++)
			msp_buf_addf(b, "%s%s '%s'", b->len ? " " : "", name[i], l[i]->v[j]);
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
		msp_buf_addf(&b, "only %zu of %lu expected groups; ", n, cfg->expect_groups);
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

/*
 * What restic was doing when the deadline ended it, from its stderr so far:
 * restic retries a lock it cannot make ("Save(<lock/...>) returned error,
 * retrying after 1.2s: open /repo/locks/...: permission denied") until it
 * is killed, so the reason is in its last line, not in its exit.  buf gets
 * "" when stderr says nothing.
 */
static void timeout_cause(const char *err, char *buf, size_t len)
{
	const char *end = err + strlen(err), *line, *retry;

	while (end > err && (end[-1] == '\n' || end[-1] == '\r' || end[-1] == ' '))
		end--;
	for (line = end; line > err && line[-1] != '\n'; line--)
		;
	buf[0] = '\0';
	if (line == end)
		return;
	retry = strstr(line, "retrying after ");
	if (strncmp(line, "Save(<lock/", 11) == 0 && retry && retry < end && (retry = strstr(retry, ": ")) &&
	    retry < end)
		snprintf(buf, len, "it was retrying to make a lock (--lock): %.*s", (int)(end - retry - 2), retry + 2);
	else
		snprintf(buf, len, "restic's last message: %.*s", (int)(end - line), line);
}

/* ----------------------------------------------------------------- probe */

/*
 * The command: restic's argv and its environment, nothing of ours but PATH,
 * HOME and what names a repository, its password and cache, and the
 * --pass-env names.  The password reaches restic only as a file, a command
 * or RESTIC_PASSWORD, never in argv.  msp_cmd refuses to run a command an
 * argument or variable did not fit in.
 */
static void build_command(const struct check_restic_config *cfg, struct msp_cmd *c)
{
	const struct check_restic_list *l[] = { &cfg->host, &cfg->path, &cfg->tag };
	const char *name[] = { "--host", "--path", "--tag" };

	msp_cmd_env_pass(c, "PATH", MSP_CMD_ENV_NO_SUDO);
	msp_cmd_env(c, "LC_ALL", "C", 0);
	msp_cmd_env(c, "HOME", getenv("HOME"), MSP_CMD_ENV_NO_SUDO);
	msp_cmd_env(c, "RESTIC_REPOSITORY", cfg->repo, 0);
	msp_cmd_env(c, "RESTIC_REPOSITORY_FILE", cfg->repo_file, 0);
	msp_cmd_env(c, "RESTIC_PASSWORD_FILE", cfg->password_file, 0);
	msp_cmd_env(c, "RESTIC_PASSWORD_COMMAND", cfg->password_command, MSP_CMD_ENV_HIDDEN);
	if (cfg->password_env)
		msp_cmd_env(c, "RESTIC_PASSWORD", getenv("RESTIC_PASSWORD"), MSP_CMD_ENV_SECRET);
	msp_cmd_env(c, "RESTIC_CACHE_DIR", cfg->cache_dir, 0);
	for (size_t i = 0; i < cfg->pass_env.n; i++)
		msp_cmd_env(c, cfg->pass_env.v[i], getenv(cfg->pass_env.v[i]), MSP_CMD_ENV_HIDDEN);
	msp_cmd_sudo(c, cfg->sudo, false);
	msp_cmd_arg(c, "snapshots");
	msp_cmd_arg(c, "--json");
	if (!cfg->lock)
		msp_cmd_arg(c, "--no-lock");
	if (!cfg->cache_dir)
		msp_cmd_arg(c, "--no-cache");
	if (cfg->sudo) {
		/* sudo resets the environment: hand over what restic needs as options (paths, not secrets). */
		const char *opt[] = { "-r", "--repository-file", "--password-file", "--password-command",
				      "--cache-dir" };
		const char *val[] = { cfg->repo, cfg->repo_file, cfg->password_file, cfg->password_command,
				      cfg->cache_dir };

		for (size_t i = 0; i < 5; i++)
			if (val[i] && msp_cmd_arg(c, opt[i]) == 0)
				msp_cmd_arg(c, val[i]);
	}
	for (size_t i = 0; i < 3; i++)
		for (size_t j = 0; j < l[i]->n; j++)
			if (msp_cmd_arg(c, name[i]) == 0)
				msp_cmd_arg(c, l[i]->v[j]);
	if (cfg->group_by[0] && msp_cmd_arg(c, "--group-by") == 0)
		msp_cmd_arg(c, cfg->group_by);
}

/* The repository as messages show it: without a password in a URL. */
static const char *repo_shown(const struct check_restic_config *cfg, const struct msp_redact *secrets, char *buf,
			      size_t len)
{
	if (cfg->repo)
		return msp_redact_buf(secrets, cfg->repo, buf, len);
	if (cfg->repo_file) {
		snprintf(buf, len, "from %s", cfg->repo_file);
		return buf;
	}
	return NULL;
}

/* A small file's text without the blanks around it (as restic reads it); NULL when it cannot be read. */
static char *read_trimmed(const char *path)
{
	struct msp_buf b;
	struct msp_error e;
	char *t, *p;
	size_t n;

	msp_buf_init(&b, 1 << 16);
	msp_error_init(&e);
	if (msp_file_read(path, 1 << 16, &b, &e) < 0 || !(t = msp_buf_detach(&b))) {
		msp_buf_release(&b);
		return NULL;
	}
	p = t + strspn(t, " \t\r\n\v\f");
	n = strlen(p);
	while (n && strchr(" \t\r\n\v\f", p[n - 1]))
		n--;
	memmove(t, p, n);
	t[n] = '\0';
	return t;
}

/* Remember the text of file path (when we can read it) as a secret, or the password of the URL in it. */
static int add_file_secret(struct msp_redact *r, const char *path, bool url)
{
	char *t = path ? read_trimmed(path) : NULL;
	int rc;

	if (!t)
		return 0;
	rc = url ? msp_redact_add_url(r, t) : msp_redact_add(r, t);
	explicit_bzero(t, strlen(t));
	free(t);
	return rc;
}

int check_restic_secrets(const struct check_restic_config *cfg, struct msp_redact *r)
{
	const char *pw = getenv("RESTIC_PASSWORD");
	int rc;

	/* A file we cannot read (restic runs through sudo) adds nothing: restic may still read it. */
	if ((rc = msp_redact_add(r, pw)) == MSP_ENOMEM || (rc = msp_redact_add_url(r, cfg->repo)) == MSP_ENOMEM ||
	    (rc = add_file_secret(r, cfg->password_file, false)) == MSP_ENOMEM ||
	    (rc = add_file_secret(r, cfg->repo_file, true)) == MSP_ENOMEM)
		return MSP_ENOMEM;
	return 0;
}

/* How the run ended, when it did not end with an exit status of 0. */
static int run_failed(const struct check_restic_config *cfg, const struct msp_cmd *c, const struct msp_exec_result *x,
		      const struct msp_cmd_verdict *v, const char *repo, struct msp_result *root)
{
	char last[300] = "";
	char *red;
	int r = 0;

	/* Whatever restic says is redacted before anything quotes it or cuts it short. */
	if (!(red = msp_redact_dup(&c->secrets, msp_buf_str(&x->err))))
		return MSP_ENOMEM;
	if (v->end == MSP_CMD_EXIT) {
		r = check_restic_failure(cfg, &c->secrets, repo, x->exit_code, red, root);
	} else {
		if (v->end == MSP_CMD_TIMED_OUT)
			timeout_cause(red, last, sizeof(last));
		msp_result_set_state(root, v->state);
		r = msp_result_set_text(root, "%s%s%s%s", v->msg, v->end == MSP_CMD_TIMED_OUT ? " (killed it)" : "",
					last[0] ? "; " : "", last);
	}
	explicit_bzero(red, strlen(red));
	free(red);
	return r;
}

static int restic_check(void *vcfg, const struct msp_context *ctx, struct msp_result *root, struct msp_error *err)
{
	static const struct msp_cmd_expect expect = { .what = "restic snapshots",
						      .hint = "install restic or give --restic-bin",
						      .fail_state = MSP_STATE_UNKNOWN };
	struct check_restic_config *cfg = vcfg;
	struct check_restic_sample s = { 0 };
	struct msp_exec_result x = { 0 };
	struct msp_cmd_verdict v;
	struct msp_cmd c;
	char repo[512];
	const char *shown;
	int r;

	msp_cmd_init(&c, ctx, cfg->restic_bin);
	if ((r = check_restic_secrets(cfg, &c.secrets)) < 0) {
		msp_error_set(err, r, "out of memory");
		goto out;
	}
	shown = repo_shown(cfg, &c.secrets, repo, sizeof(repo));
	build_command(cfg, &c);
	msp_step("running restic snapshots on '%.200s'", shown ? shown : "the wrapper's repository");
	r = msp_cmd_run(&c, &ctx->deadline, CHECK_RESTIC_OUT_MAX + 1, CHECK_RESTIC_ERR_MAX, &x, err);
	if (r == 0)
		r = msp_cmd_judge(&c, &x, &expect, &v, err);
	if (r < 0)
		goto out;
	if (v.end != MSP_CMD_OK) {
		r = run_failed(cfg, &c, &x, &v, shown, root) < 0 ? msp_error_set(err, MSP_ENOMEM, "out of memory") : 0;
		goto out;
	}
	msp_verbose(ctx, 3, "restic printed %zu bytes of JSON", x.out.len);
	if (x.out.truncated) {
		r = msp_error_set(err, MSP_ETOOBIG, "the snapshot list is longer than %u bytes", CHECK_RESTIC_OUT_MAX);
		goto out;
	}
	if ((r = check_restic_parse(cfg, x.out.data ? x.out.data : "", x.out.len, &s, err)) < 0)
		goto out;
	/* The clock is read after restic ended: a snapshot made meanwhile must not look like it came from the future. */
	r = check_restic_evaluate(cfg, &s, (double)time(NULL), root);
	if (r < 0)
		msp_error_set(err, r, "out of memory");
out:
	/* Last: nothing restic printed (host names, paths, messages) may show a secret. */
	if (msp_redact_result(&c.secrets, root) < 0)
		r = msp_error_set(err, MSP_ENOMEM, "out of memory");
	msp_redact_buf(&c.secrets, err->msg, err->msg, sizeof(err->msg));
	check_restic_sample_release(&s);
	msp_exec_result_release(&x);
	msp_cmd_release(&c);
	return r;
}

static const struct msp_plugin plugin = {
	.name = "check_restic",
	.service = "RESTIC",
	.synopsis = "-r REPO -p PASSWORD_FILE [-w AGE] [-c AGE] [--host HOST]... [--path PATH]... [--tag TAGS]... "
		    "[--group-by host,paths,tags [--expect-groups N]] [--min-snapshots N] [--restic-bin PATH] [--sudo]",
	.description =
		"Check that a restic repository holds a recent snapshot: runs restic snapshots --json --no-lock\n"
		"and judges the age of the newest matching snapshot (per group with --group-by).",
	.notes = "Age: counted from the snapshot's time, which is when the backup started (restic --time\n"
		 "  may set it); times carry any UTC offset and up to 9 fraction digits, and are compared\n"
		 "  as instants, so the time zones of the backup host and of this host do not matter.\n"
		 "  A snapshot dated more than --max-future ahead is a WARNING (clock problem).\n"
		 "Trust: every snapshot restic returns is checked against the filters by restic's rules\n"
		 "  (several --host: any; --tag a,b: both; several --tag: any list; every --path must\n"
		 "  be one of the snapshot's paths), and the groups are made here from --group-by\n"
		 "  whatever shape the output has, so --expect-groups always counts real groups.\n"
		 "Perfdata: age (s), snapshots (count); with --group-by groups and NAME_age,\n"
		 "  NAME_snapshots per group (NAME = host:paths:tags as grouped).  Snapshots made by\n"
		 "  restic >= 0.17 carry a summary: then also duration (s), data_added (B), files.\n"
		 "States (never OK when the question cannot be answered):\n"
		 "  no snapshot matches the filters, empty repository      CRITICAL (names the filters)\n"
		 "  fewer groups than --expect-groups, fewer snapshots\n"
		 "  than --min-snapshots                                   CRITICAL\n"
		 "  repository does not exist (restic exit 10 or message)  CRITICAL\n"
		 "  repository locked (with --lock; restic exit 11)        --lock-state (WARNING)\n"
		 "  wrong or empty password, password command failed      UNKNOWN\n"
		 "  restic not installed, unparseable output, other errors UNKNOWN\n"
		 "  restic did not end within -t                           timeout state (UNKNOWN); restic is killed\n"
		 "  restic returned a snapshot outside --host/--path/--tag,\n"
		 "  a snapshot twice, or a group whose key does not match\n"
		 "  its snapshots                                          UNKNOWN (restic or the wrapper is broken)\n"
		 "  restic >= 0.17: its exit codes 10/11/12 and its exit_error message decide as above\n"
		 "Environment: restic gets a clean environment: PATH, HOME, LC_ALL=C, RESTIC_REPOSITORY\n"
		 "  (or _FILE), RESTIC_PASSWORD_FILE / _COMMAND (or RESTIC_PASSWORD when neither is\n"
		 "  set), RESTIC_CACHE_DIR, and --pass-env names.  Without a cache directory restic runs\n"
		 "  with --no-cache (the monitoring user often has no writable home).  Secrets never go\n"
		 "  into restic's argv and never into our output, also not with -vvv: the password (its\n"
		 "  file, $RESTIC_PASSWORD) and the password of a repository URL, whatever it holds, show\n"
		 "  as *** wherever restic quotes them, as does any user:password@ in a URL.  With --sudo\n"
		 "  the repository, password file or command and cache directory are passed as options\n"
		 "  (sudo resets the environment): keep a password out of a repository URL there.\n"
		 "Examples:\n"
		 "  check_restic -r /srv/restic -p /etc/restic/pw -w 26h -c 50h\n"
		 "  check_restic -r sftp:backup@nas:/restic -p /etc/restic/pw --host web1 --tag daily\n"
		 "  check_restic --group-by host,paths --expect-groups 4 -w 26h -c 3d",
	.options = options,
	.timeout = 30,
	.timeout_state = MSP_STATE_UNKNOWN,
	.option = restic_option,
	.finish = restic_finish,
	.check = restic_check,
};

MSP_PLUGIN_MAIN(plugin, struct check_restic_config)
