/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * msp_dir.c - a directory lister that fails closed (see msp_dir.h).
 *
 * Invariant: a listing is whole or it is an error; the only entries left out
 * are "." and ".." and those that no longer exist when examined.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "msp_dir.h"

#include "banned.h"

struct listing {
	const char *dir; /* for messages */
	unsigned flags;
	size_t max, cap;
	struct msp_dir *d;
	struct msp_error *err;
};

static bool is_dot(const char *name)
{
	return name[0] == '.' && (!name[1] || (name[1] == '.' && !name[2]));
}

static int fail_errno(struct listing *l, int errnum, const char *entry)
{
	l->d->errnum = errnum;
	if (entry)
		return msp_error_errno(l->err, errnum, "cannot examine '%.200s/%.200s'", l->dir, entry);
	return msp_error_errno(l->err, errnum, "cannot read directory '%.200s'", l->dir);
}

/* Room for one more entry. */
static int grow(struct listing *l)
{
	struct msp_dir *d = l->d;
	struct msp_dir_entry *nv;
	size_t ncap;

	if (d->n >= l->max)
		return msp_error_set(l->err, MSP_ETOOBIG, "directory '%.200s' holds more than %zu entries", l->dir,
				     l->max);
	if (d->n < l->cap)
		return 0;
	ncap = l->cap ? l->cap * 2 : 16;
	nv = realloc(d->entry, ncap * sizeof(*nv));
	if (!nv)
		return msp_error_set(l->err, MSP_ENOMEM, "out of memory");
	d->entry = nv;
	l->cap = ncap;
	return 0;
}

/* Examine and record one readdir entry (left out when it is gone meanwhile). */
static int add_entry(struct listing *l, int dfd, const struct dirent *de)
{
	int atflags = l->flags & MSP_DIR_FOLLOW ? 0 : AT_SYMLINK_NOFOLLOW;
	struct msp_dir_entry e = { .type = de->d_type };
	int r;

	if (fstatat(dfd, de->d_name, &e.st, atflags) < 0) {
		if (errno == ENOENT)
			return 0;
		if (!(l->flags & MSP_DIR_UNREADABLE))
			return fail_errno(l, errno, de->d_name);
		e.errnum = errno;
		memset(&e.st, 0, sizeof(e.st));
	}
	r = grow(l);
	if (r < 0)
		return r;
	e.name = strdup(de->d_name);
	if (!e.name)
		return msp_error_set(l->err, MSP_ENOMEM, "out of memory");
	l->d->entry[l->d->n++] = e;
	return 0;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(((const struct msp_dir_entry *)a)->name, ((const struct msp_dir_entry *)b)->name);
}

/* Read the open stream to its end (closing it), sorted into l->d; on failure l->d is emptied. */
static int read_all(struct listing *l, DIR *dir)
{
	struct dirent *de;
	int r = 0;

	for (;;) {
		errno = 0;
		de = readdir(dir);
		if (!de) {
			/* The end, or an error: a listing cut short is no listing. */
			if (errno)
				r = fail_errno(l, errno, NULL);
			break;
		}
		if (is_dot(de->d_name))
			continue;
		r = add_entry(l, dirfd(dir), de);
		if (r < 0)
			break;
	}
	closedir(dir);
	if (r < 0) {
		int errnum = l->d->errnum;

		msp_dir_release(l->d);
		l->d->errnum = errnum;
		return r;
	}
	if (l->d->n > 1)
		qsort(l->d->entry, l->d->n, sizeof(*l->d->entry), by_name);
	return 0;
}

static void start(struct listing *l, const char *dir, unsigned flags, size_t max, struct msp_dir *ret,
		  struct msp_error *err)
{
	*l = (struct listing){ .dir = dir ? dir : "", .flags = flags, .max = max ? max : MSP_DIR_MAX_DEFAULT,
			       .d = ret, .err = err };
	*ret = (struct msp_dir){ 0 };
}

int msp_dir_list(const char *dir, unsigned flags, size_t max, struct msp_dir *ret, struct msp_error *err)
{
	struct listing l;
	DIR *d;

	start(&l, dir, flags, max, ret, err);
	if (!dir || !*dir)
		return msp_error_set(err, MSP_EINVAL, "empty directory name");
	d = opendir(dir);
	if (!d)
		return fail_errno(&l, errno, NULL);
	return read_all(&l, d);
}

int msp_dir_list_at(int dfd, const char *name, unsigned flags, size_t max, struct msp_dir *ret,
		    struct msp_error *err)
{
	struct listing l;
	DIR *d;
	int fd;

	start(&l, name, flags, max, ret, err);
	/* A duplicate, as closedir closes the descriptor fdopendir was given. */
	fd = fcntl(dfd, F_DUPFD_CLOEXEC, 0);
	if (fd < 0)
		return fail_errno(&l, errno, NULL);
	d = fdopendir(fd);
	if (!d) {
		int errnum = errno;

		close(fd);
		return fail_errno(&l, errnum, NULL);
	}
	rewinddir(d);
	return read_all(&l, d);
}

void msp_dir_release(struct msp_dir *d)
{
	for (size_t i = 0; i < d->n; i++)
		free(d->entry[i].name);
	free(d->entry);
	*d = (struct msp_dir){ 0 };
}
