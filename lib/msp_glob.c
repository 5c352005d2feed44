/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * msp_glob.c - a glob expander that reports what it could not read (see msp_glob.h).
 *
 * The walk keeps a list of candidate prefixes, one level per pattern
 * component: a literal component is appended to every prefix, a wildcard
 * one replaces every prefix by the matching entries of that directory.
 * Directories are read with msp_dir_list (whole or an error).
 * Invariant: every failure other than "does not exist" lands in
 * g->error; nothing is dropped silently.
 */
#include <dirent.h>
#include <errno.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "msp_dir.h"
#include "msp_glob.h"

#include "banned.h"

/* A growing list of owned strings. */
struct strv {
	char **v;
	size_t n, cap;
};

struct expansion {
	const char *pattern;
	size_t max;
	struct msp_glob *g;
	size_t error_cap;
	struct msp_error *err;
};

static void strv_release(struct strv *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->v[i]);
	free(s->v);
	*s = (struct strv){ 0 };
}

/* Take over str (freed on failure). */
static int strv_push(struct expansion *x, struct strv *s, char *str)
{
	if (!str)
		return msp_error_set(x->err, MSP_ENOMEM, "out of memory");
	if (s->n >= x->max) {
		free(str);
		return msp_error_set(x->err, MSP_ETOOBIG, "pattern '%.200s' matches more than %zu paths", x->pattern,
				     x->max);
	}
	if (s->n == s->cap) {
		size_t ncap = s->cap ? s->cap * 2 : 16;
		char **nv = realloc(s->v, ncap * sizeof(*nv));

		if (!nv) {
			free(str);
			return msp_error_set(x->err, MSP_ENOMEM, "out of memory");
		}
		s->v = nv;
		s->cap = ncap;
	}
	s->v[s->n++] = str;
	return 0;
}

/* prefix + "/" + name, without doubling a '/' ("" is the current directory). */
static char *join(const char *prefix, const char *name)
{
	size_t pl = strlen(prefix), nl = strlen(name);
	bool slash = pl && prefix[pl - 1] != '/';
	char *p = malloc(pl + slash + nl + 1);

	if (!p)
		return NULL;
	memcpy(p, prefix, pl);
	if (slash)
		p[pl] = '/';
	memcpy(p + pl + slash, name, nl + 1);
	return p;
}

static int add_error(struct expansion *x, const char *path, int errnum)
{
	struct msp_glob *g = x->g;
	char *p;

	if (g->nerror >= x->max)
		return msp_error_set(x->err, MSP_ETOOBIG, "pattern '%.200s': more than %zu unreadable places",
				     x->pattern, x->max);
	if (g->nerror == x->error_cap) {
		size_t ncap = x->error_cap ? x->error_cap * 2 : 8;
		struct msp_glob_error *nv = realloc(g->error, ncap * sizeof(*nv));

		if (!nv)
			return msp_error_set(x->err, MSP_ENOMEM, "out of memory");
		g->error = nv;
		x->error_cap = ncap;
	}
	p = strdup(*path ? path : ".");
	if (!p)
		return msp_error_set(x->err, MSP_ENOMEM, "out of memory");
	g->error[g->nerror++] = (struct msp_glob_error){ p, errnum };
	return 0;
}

/* "Does not exist" is no match; anything else means we could not look. */
static bool is_absent(int errnum)
{
	return errnum == ENOENT || errnum == ENOTDIR;
}

bool msp_glob_has_magic(const char *pattern)
{
	for (const char *p = pattern; *p; p++) {
		if (*p == '\\' && p[1])
			p++;
		else if (*p == '*' || *p == '?' || *p == '[')
			return true;
	}
	return false;
}

/* A literal component without its quoting backslashes (owned). */
static char *unquote(const char *comp)
{
	char *out = malloc(strlen(comp) + 1), *o = out;

	if (!out)
		return NULL;
	for (const char *p = comp; *p; p++) {
		if (*p == '\\' && p[1])
			p++;
		*o++ = *p;
	}
	*o = '\0';
	return out;
}

/* The last component is literal: keep the candidates that exist. */
static int keep_existing(struct expansion *x, struct strv *cand, struct strv *out)
{
	struct stat st;
	int r = 0;

	for (size_t i = 0; i < cand->n && r == 0; i++) {
		if (lstat(cand->v[i], &st) == 0) {
			r = strv_push(x, out, cand->v[i]);
			cand->v[i] = NULL;
		} else if (!is_absent(errno)) {
			r = add_error(x, cand->v[i], errno);
		}
	}
	return r;
}

/* Can this entry have children?  Directories, links (followed later) and what could not be examined might. */
static bool may_be_dir(const struct msp_dir_entry *e)
{
	if (e->errnum != 0)
		return e->type == DT_DIR || e->type == DT_LNK || e->type == DT_UNKNOWN;
	return S_ISDIR(e->st.st_mode) || S_ISLNK(e->st.st_mode);
}

/* Add the entries of directory prefix that match comp to out. */
static int match_dir(struct expansion *x, const char *prefix, const char *comp, bool last, struct strv *out)
{
	struct msp_error e;
	struct msp_dir d;
	int r;

	/* Every entry that cannot be examined is kept: a later step reports what it cannot read. */
	r = msp_dir_list(*prefix ? prefix : ".", MSP_DIR_UNREADABLE, 0, &d, &e);
	if (r == MSP_ESYS)
		/* Unreadable, or a listing cut short that may have lost the match that matters. */
		return is_absent(d.errnum) ? 0 : add_error(x, prefix, d.errnum);
	if (r < 0)
		return msp_error_set(x->err, r, "%s", e.msg);
	for (size_t i = 0; i < d.n && r == 0; i++) {
		const struct msp_dir_entry *de = &d.entry[i];

		if (fnmatch(comp, de->name, FNM_PERIOD) != 0 || (!last && !may_be_dir(de)))
			continue;
		r = strv_push(x, out, join(prefix, de->name));
	}
	msp_dir_release(&d);
	return r;
}

/* Replace *cur by the candidates one component further. */
static int step(struct expansion *x, struct strv *cur, const char *comp, bool last)
{
	struct strv next = { 0 };
	char *lit = NULL;
	int r = 0;

	if (!msp_glob_has_magic(comp)) {
		lit = unquote(comp);
		if (!lit)
			return msp_error_set(x->err, MSP_ENOMEM, "out of memory");
		for (size_t i = 0; i < cur->n && r == 0; i++)
			r = strv_push(x, &next, join(cur->v[i], lit));
		if (r == 0 && last) {
			struct strv found = { 0 };

			r = keep_existing(x, &next, &found);
			strv_release(&next);
			next = found;
		}
	} else {
		for (size_t i = 0; i < cur->n && r == 0; i++)
			r = match_dir(x, cur->v[i], comp, last, &next);
	}
	free(lit);
	strv_release(cur);
	*cur = next;
	return r;
}

/* A trailing '/': keep the directories, with the '/'. */
static int keep_dirs(struct expansion *x, struct strv *cur)
{
	struct strv out = { 0 };
	struct stat st;
	int r = 0;

	for (size_t i = 0; i < cur->n && r == 0; i++) {
		if (stat(cur->v[i], &st) == 0) {
			if (S_ISDIR(st.st_mode))
				r = strv_push(x, &out, join(cur->v[i], ""));
		} else if (!is_absent(errno)) {
			r = add_error(x, cur->v[i], errno);
		}
	}
	strv_release(cur);
	*cur = out;
	return r;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int by_error_path(const void *a, const void *b)
{
	return strcmp(((const struct msp_glob_error *)a)->path, ((const struct msp_glob_error *)b)->path);
}

int msp_glob_expand(const char *pattern, size_t max, struct msp_glob *ret, struct msp_error *err)
{
	struct expansion x = { .pattern = pattern, .max = max ? max : MSP_GLOB_MAX_DEFAULT, .g = ret, .err = err };
	struct strv cur = { 0 };
	char *copy = NULL, *comp, *rest;
	size_t len;
	bool want_dir;
	int r;

	*ret = (struct msp_glob){ 0 };
	if (!pattern || !*pattern)
		return msp_error_set(err, MSP_EINVAL, "empty pattern");
	len = strlen(pattern);
	want_dir = len > 1 && pattern[len - 1] == '/';
	copy = strdup(pattern);
	r = strv_push(&x, &cur, strdup(pattern[0] == '/' ? "/" : ""));
	if (!copy && r == 0)
		r = msp_error_set(err, MSP_ENOMEM, "out of memory");
	/* Components one by one; repeated slashes are one. */
	for (rest = copy; r == 0 && rest;) {
		while (*rest == '/')
			rest++;
		if (!*rest)
			break;
		comp = rest;
		rest = strchr(rest, '/');
		if (rest)
			*rest++ = '\0';
		r = step(&x, &cur, comp, !rest || !rest[strspn(rest, "/")]);
	}
	if (r == 0 && want_dir)
		r = keep_dirs(&x, &cur);
	free(copy);
	if (r < 0) {
		strv_release(&cur);
		msp_glob_release(ret);
		return r;
	}
	/* Sorted, so that what a plugin prints does not depend on the order of readdir(). */
	if (cur.n > 1)
		qsort(cur.v, cur.n, sizeof(*cur.v), by_name);
	if (ret->nerror > 1)
		qsort(ret->error, ret->nerror, sizeof(*ret->error), by_error_path);
	ret->path = cur.v;
	ret->n = cur.n;
	return 0;
}

void msp_glob_release(struct msp_glob *g)
{
	for (size_t i = 0; i < g->n; i++)
		free(g->path[i]);
	for (size_t i = 0; i < g->nerror; i++)
		free(g->error[i].path);
	free(g->path);
	free(g->error);
	*g = (struct msp_glob){ 0 };
}
