/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * check_backup_probe.c - check_backup's only I/O: expand each -p with msp_glob (every
 * unreadable place reported) and read directories with openat and msp_dir (fstatat, no symlinks
 * followed inside a tree, no path built per file) into the sample.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check_backup.h"
#include "msp_dir.h"
#include "msp_glob.h"

/* Entries read from one directory at once: a flat directory of a million files still fits. */
#define DIR_MAX 1000000

/* The time --time chose: the modification time, or the status change time. */
static const struct timespec *file_time(const struct check_backup_config *cfg, const struct stat *st)
{
	return cfg->use_ctime ? &st->st_ctim : &st->st_mtim;
}

static bool excluded(const struct check_backup_config *cfg, const char *name)
{
	for (size_t i = 0; i < cfg->exclude.count; i++)
		if (fnmatch(cfg->exclude.items[i], name, 0) == 0)
			return true;
	return false;
}

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
static int walk_entry(struct walk *w, int dfd, const char *path, const struct msp_dir_entry *de, unsigned depth,
		      const struct ancestor *up, int64_t *dir_index)
{
	const char *name = de->name;
	uint32_t idx;

	if (w->cfg->exclude.count && excluded(w->cfg, name))
		return 0;
	if (de->errnum != 0) {
		/* Not examined: a directory is still tried (openat says why), a file that may count is a problem. */
		if (de->type == DT_DIR)
			return descend(w, dfd, path, name, depth, up);
		if (de->type == DT_UNKNOWN || (de->type == DT_REG && check_backup_name_matches(w->cfg, name)))
			return problem(w, path, name, de->errnum);
		return 0;
	}
	if (S_ISDIR(de->st.st_mode))
		return descend(w, dfd, path, name, depth, up);
	if (!S_ISREG(de->st.st_mode) || !check_backup_name_matches(w->cfg, name))
		return 0;
	if (*dir_index < 0) {
		/* The directory's path is stored once, with its first file. */
		if (check_backup_group_add_dir(w->g, path, &idx) < 0)
			return msp_error_set(w->err, MSP_ENOMEM, "out of memory");
		*dir_index = idx;
	}
	if (add_file(w, (uint32_t)*dir_index, name, &de->st) < 0)
		return msp_error_set(w->err, MSP_ENOMEM, "out of memory");
	return 0;
}

/* Read the directory open on fd (taken over and closed) at depth (1 = a -p directory's own entries). */
static int walk_dir(struct walk *w, int fd, const char *path, unsigned depth, const struct ancestor *up)
{
	struct ancestor me = { .up = up };
	int64_t dir_index = -1;
	struct msp_error e;
	struct msp_dir d;
	struct stat st;
	int r;

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
	msp_step("reading directory '%.200s'", path);
	/* A directory that cannot be listed whole is a problem of this group; past the cap, the scan stops. */
	r = msp_dir_list_at(fd, path, MSP_DIR_UNREADABLE, DIR_MAX, &d, &e);
	if (r == MSP_ESYS)
		r = problem(w, path, NULL, d.errnum);
	else if (r < 0)
		r = msp_error_set(w->err, r, "%s", e.msg);
	for (size_t i = 0; i < d.n && r == 0; i++)
		r = walk_entry(w, fd, path, &d.entry[i], depth, &me, &dir_index);
	msp_dir_release(&d);
	close(fd);
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
	if (check_backup_group_add_dir(w->g, path, &idx) < 0 || add_file(w, idx, "", &st) < 0)
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

int check_backup_probe(const struct check_backup_config *cfg, struct check_backup_sample *s, const char *spec,
		       struct msp_error *err)
{
	struct walk w = { .cfg = cfg, .err = err };

	return probe_path(&w, s, spec);
}
