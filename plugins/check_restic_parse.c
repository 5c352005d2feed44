/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * check_restic_parse.c - check_restic_parse(): the output of `restic
 * snapshots --json` (plain or grouped) into per-group counts and newest
 * snapshots.  restic is not trusted: every snapshot is checked against the
 * --host/--path/--tag filters and the group key it was listed under, and the
 * groups are made here from --group-by.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_restic.h"
#include "msp_json.h"

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
static void list_text(const struct msp_list *l, char *buf, size_t len)
{
	size_t o = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < l->count && o < len; i++)
		o += (size_t)snprintf(buf + o, len - o, "%s'%.60s'", i ? " or " : "", l->items[i]);
}

/* Fail closed on a snapshot restic should not have returned: the filters were not applied. */
static int check_filters(const struct check_restic_config *cfg, const struct fields *f, struct msp_error *err)
{
	char want[256], got[256];
	char *j;
	bool ok = cfg->tag.count == 0;

	if (cfg->host.count && !has(cfg->host.items, cfg->host.count, f->host, strlen(f->host))) {
		list_text(&cfg->host, want, sizeof(want));
		return msp_error_set(err, MSP_EINVAL,
				     "restic returned a snapshot of host '%.60s' although --host %s was asked", f->host,
				     want);
	}
	for (size_t i = 0; i < cfg->path.count; i++) {
		if (!has(f->paths, f->npaths, cfg->path.items[i], strlen(cfg->path.items[i]))) {
			j = join(f->paths, f->npaths, ",");
			snprintf(got, sizeof(got), "%.100s", j ? j : "");
			free(j);
			return msp_error_set(
				err, MSP_EINVAL,
				"restic returned a snapshot of paths '%s' although --path '%.100s' was asked", got,
				cfg->path.items[i]);
		}
	}
	for (size_t i = 0; i < cfg->tag.count && !ok; i++)
		ok = tags_match(f, cfg->tag.items[i]);
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
