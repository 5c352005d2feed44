/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * check_backup_sample.c - the sample check_backup's probe fills and its evaluation reads: one
 * group per judged path, its files (names in an arena, each directory stored once) and the
 * places that could not be read (check_backup.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_backup.h"

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
