/* SPDX-License-Identifier: GPL-3.0-or-later */
/* msp_mountsel.c - choosing filesystems and probing them (see msp_mountsel.h). */
#include <regex.h>
#include <stdlib.h>
#include <string.h>

#include "msp_buf.h"
#include "msp_mountsel.h"
#include "msp_regex.h"
#include "banned.h"

/*
 * MSP_EINVAL when pattern (which compiles) has a ')' that closes no group:
 * ERE reads it as a character alone, but wrapped in "^(...)$" it would
 * close the anchoring group and leave the rest unanchored ("ext)|.*" would
 * match every type).  The test: "(" + pattern compiles only when such a
 * ')' is there to close the added '(' (a balanced pattern leaves it open;
 * an escaped or bracketed ')' closes nothing).  Plain regcomp: pattern
 * passed msp_regex_check already, one '(' more costs nothing.
 */
static int unbalanced_close(const char *pattern, struct msp_error *err)
{
	struct msp_buf open;
	regex_t re;
	int rc = 0;

	msp_buf_init(&open, 4096);
	if (msp_buf_addf(&open, "(%s", pattern) < 0)
		rc = msp_error_set(err, MSP_EINVAL, "filesystem type pattern '%.60s' is too long", pattern);
	else if (regcomp(&re, msp_buf_str(&open), REG_EXTENDED | REG_NOSUB) == 0) {
		regfree(&re);
		rc = msp_error_set(
			err, MSP_EINVAL,
			"filesystem type pattern '%.60s' has a ')' without '(' (write '\\)' for the character)",
			pattern);
	}
	msp_buf_release(&open);
	return rc;
}

int msp_mount_filter_add_type(struct msp_mount_filter *f, bool include, const char *pattern, struct msp_error *err)
{
	regex_t **v = include ? &f->types_in : &f->types_out;
	size_t *n = include ? &f->ntypes_in : &f->ntypes_out;
	regex_t *nv = realloc(*v, (*n + 1) * sizeof(*nv));
	struct msp_buf anchored;
	int rc;

	if (!nv)
		return msp_error_set(err, MSP_ENOMEM, "out of memory");
	*v = nv;
	msp_buf_init(&anchored, 4096);
	if (msp_buf_addf(&anchored, "^(%s)$", pattern) < 0) {
		msp_buf_release(&anchored);
		return msp_error_set(err, MSP_EINVAL, "filesystem type pattern '%.60s' is too long", pattern);
	}
	/* The pattern as given first, so a message shows it rather than the anchored form. */
	rc = msp_regex_compile(&nv[*n], pattern, REG_EXTENDED | REG_NOSUB, "filesystem type pattern", err);
	if (rc == 0) {
		regfree(&nv[*n]);
		rc = unbalanced_close(pattern, err);
	}
	if (rc == 0)
		rc = msp_regex_compile(&nv[*n], msp_buf_str(&anchored), REG_EXTENDED | REG_NOSUB,
				       "filesystem type pattern", err);
	msp_buf_release(&anchored);
	if (rc < 0)
		return rc;
	(*n)++;
	return 0;
}

int msp_mount_filter_add_name(struct msp_mount_filter *f, const char *name, struct msp_error *err)
{
	const char **nv = realloc(f->names_out, (f->nnames_out + 1) * sizeof(*nv));

	if (!nv)
		return msp_error_set(err, MSP_ENOMEM, "out of memory");
	nv[f->nnames_out++] = name;
	f->names_out = nv;
	return 0;
}

static bool type_in(const char *type, const regex_t *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (regexec(&v[i], type, 0, NULL, 0) == 0)
			return true;
	return false;
}

bool msp_mount_filter_pass(const struct msp_mount_filter *f, const struct msp_mount *m)
{
	if (type_in(m->fstype, f->types_out, f->ntypes_out))
		return false;
	if (f->ntypes_in > 0 && !type_in(m->fstype, f->types_in, f->ntypes_in))
		return false;
	for (size_t i = 0; i < f->nnames_out; i++)
		if (strcmp(f->names_out[i], m->source) == 0 || strcmp(f->names_out[i], m->target) == 0)
			return false;
	return true;
}

void msp_mount_filter_release(struct msp_mount_filter *f)
{
	for (size_t i = 0; i < f->ntypes_out; i++)
		regfree(&f->types_out[i]);
	for (size_t i = 0; i < f->ntypes_in; i++)
		regfree(&f->types_in[i]);
	free(f->types_out);
	free(f->types_in);
	free(f->names_out);
	memset(f, 0, sizeof(*f));
}

int msp_mount_selection_add(struct msp_mount_selection *s, enum msp_mount_step_kind kind, const char *arg, bool icase,
			    bool exact, bool unfiltered, struct msp_error *err)
{
	struct msp_mount_step *v = realloc(s->steps, (s->nsteps + 1) * sizeof(*v)), *st;
	int rc;

	if (!v)
		return msp_error_set(err, MSP_ENOMEM, "out of memory");
	s->steps = v;
	st = &v[s->nsteps];
	memset(st, 0, sizeof(*st));
	st->kind = kind;
	st->arg = arg;
	st->exact = exact;
	st->unfiltered = unfiltered;
	if (kind == MSP_MOUNT_REGEX || kind == MSP_MOUNT_IGNORE) {
		rc = msp_regex_compile(&st->re, arg, REG_EXTENDED | REG_NOSUB | (icase ? REG_ICASE : 0), NULL, err);
		if (rc < 0)
			return rc;
	}
	return (int)s->nsteps++;
}

void msp_mount_selection_release(struct msp_mount_selection *s)
{
	for (size_t i = 0; i < s->nsteps; i++)
		if (s->steps[i].kind == MSP_MOUNT_REGEX || s->steps[i].kind == MSP_MOUNT_IGNORE)
			regfree(&s->steps[i].re);
	free(s->steps);
	msp_mount_filter_release(&s->filter);
	memset(s, 0, sizeof(*s));
}

/* The item for name, new or selected before (then it moves to step k). */
static struct msp_mount_item *select_name(struct msp_mount_items *items, size_t *cap, const char *name, size_t k)
{
	struct msp_mount_item *it = NULL;

	for (size_t i = 0; i < items->n && !it; i++)
		if (strcmp(items->v[i].name, name) == 0)
			it = &items->v[i];
	if (!it) {
		if (items->n == *cap) {
			size_t nc = *cap ? *cap * 2 : 16;
			struct msp_mount_item *nv = realloc(items->v, nc * sizeof(*nv));

			if (!nv)
				return NULL;
			items->v = nv;
			*cap = nc;
		}
		it = &items->v[items->n++];
		memset(it, 0, sizeof(*it));
		it->name = name;
	}
	it->step = k;
	it->mnt = NULL;
	it->resolve = false;
	it->not_found = false;
	return it;
}

/* A device names its mount; exact paths must be mount points; other paths are resolved by the probe. */
static void select_path(const struct msp_mount_table *t, const struct msp_mount_step *st, struct msp_mount_item *it)
{
	const struct msp_mount *m = st->arg[0] == '/' ? msp_mount_by_source(t, st->arg) : NULL;

	if (!m && st->exact) {
		m = msp_mount_by_target(t, st->arg);
		it->not_found = m == NULL;
	} else if (!m) {
		/* A mount point names itself (mount targets are canonical); anything else needs realpath(). */
		m = msp_mount_by_target(t, st->arg);
		it->resolve = m == NULL;
	}
	it->mnt = m;
}

/* REGEX and ALL.  Returns how many mounts matched, or MSP_ENOMEM. */
static int select_mounts(const struct msp_mount_selection *s, const struct msp_mount_table *t,
			 struct msp_mount_items *items, size_t *cap, size_t k)
{
	const struct msp_mount_step *st = &s->steps[k];
	int matched = 0;

	for (size_t i = 0; i < t->n; i++) {
		const struct msp_mount *m = &t->mounts[i];
		struct msp_mount_item *it;

		if (st->kind == MSP_MOUNT_REGEX && !msp_mount_match(m, &st->re))
			continue;
		matched++;
		it = select_name(items, cap, m->target, k);
		if (!it)
			return MSP_ENOMEM;
		it->mnt = msp_mount_by_target(t, m->target); /* the topmost of that mount point */
	}
	return matched;
}

int msp_mount_select(const struct msp_mount_selection *s, const struct msp_mount_table *t, struct msp_mount_items *ret,
		     struct msp_error *err)
{
	size_t cap = 0;

	memset(ret, 0, sizeof(*ret));
	for (size_t k = 0; k < s->nsteps; k++) {
		const struct msp_mount_step *st = &s->steps[k];
		struct msp_mount_item *it;
		int r;

		if (st->kind == MSP_MOUNT_PATH) {
			it = select_name(ret, &cap, st->arg, k);
			if (!it)
				return msp_error_set(err, MSP_ENOMEM, "out of memory");
			select_path(t, st, it);
		} else if (st->kind == MSP_MOUNT_REGEX || st->kind == MSP_MOUNT_ALL) {
			r = select_mounts(s, t, ret, &cap, k);
			if (r < 0)
				return msp_error_set(err, MSP_ENOMEM, "out of memory");
			if (r == 0 && st->kind == MSP_MOUNT_REGEX)
				return msp_error_set(err, MSP_EINVAL,
						     "regular expression '%.60s' matches no mount point or device",
						     st->arg);
		}
	}
	return 0;
}

/* The filter, the remote rule, pseudo filesystems and IGNORE steps after the item's step. */
static bool dropped(const struct msp_mount_selection *s, struct msp_mount_item *it)
{
	const struct msp_mount_step *st = &s->steps[it->step];

	for (size_t k = it->step + 1; k < s->nsteps; k++)
		if (s->steps[k].kind == MSP_MOUNT_IGNORE && msp_mount_match(it->mnt, &s->steps[k].re))
			return true;
	if (st->kind != MSP_MOUNT_PATH && msp_mount_is_pseudo(it->mnt))
		return true;
	if (st->unfiltered)
		return false;
	if (s->remote != MSP_MOUNT_REMOTE_KEEP && msp_mount_is_remote(it->mnt)) {
		if (s->remote == MSP_MOUNT_REMOTE_SKIP)
			return true;
		it->stat_only = true;
	}
	return !msp_mount_filter_pass(&s->filter, it->mnt);
}

void msp_mount_items_filter(const struct msp_mount_selection *s, const struct msp_mount_table *t,
			    struct msp_mount_items *items)
{
	for (size_t i = 0; i < items->n; i++) {
		struct msp_mount_item *it = &items->v[i];

		if (it->skip)
			continue;
		if (!it->mnt && it->resolved && it->status == MSP_STATVFS_OK)
			it->mnt = msp_mount_for_path(t, it->resolved);
		if (!it->mnt)
			continue;
		if (dropped(s, it)) {
			it->skip = true;
			continue;
		}
		for (size_t j = 0; j < i && !it->skip; j++) {
			const struct msp_mount_item *o = &items->v[j];

			if (!o->skip && o->mnt && strcmp(o->mnt->target, it->mnt->target) == 0)
				it->skip = true;
		}
	}
}

int msp_mount_items_probe(struct msp_mount_items *items, const struct timespec *deadline,
			  const struct msp_statvfs_opts *opts, struct msp_error *err)
{
	struct msp_statvfs_job *jobs = calloc(items->n ? items->n : 1, sizeof(*jobs));
	size_t *map = calloc(items->n ? items->n : 1, sizeof(*map));
	size_t nj = 0;
	int r;

	if (!jobs || !map) {
		r = msp_error_set(err, MSP_ENOMEM, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < items->n; i++) {
		const struct msp_mount_item *it = &items->v[i];

		if (it->skip || it->not_found)
			continue;
		jobs[nj].path = it->resolve ? it->name : it->mnt->target;
		jobs[nj].resolve = it->resolve;
		jobs[nj].in_process = !it->resolve && msp_mount_is_local(it->mnt);
		map[nj++] = i;
	}
	r = msp_statvfs_run(jobs, nj, deadline, opts, err);
	for (size_t j = 0; r == 0 && j < nj; j++) {
		struct msp_mount_item *it = &items->v[map[j]];

		it->status = jobs[j].status;
		it->error = jobs[j].error;
		it->call = jobs[j].call;
		it->usage = jobs[j].usage;
		it->seconds = jobs[j].seconds;
		free(it->resolved);
		it->resolved = jobs[j].resolved;
		jobs[j].resolved = NULL;
	}
	msp_statvfs_jobs_release(jobs, nj);
out:
	free(jobs);
	free(map);
	return r;
}

void msp_mount_items_release(struct msp_mount_items *items)
{
	for (size_t i = 0; i < items->n; i++)
		free(items->v[i].resolved);
	free(items->v);
	items->v = NULL;
	items->n = 0;
}
