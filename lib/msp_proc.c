/* SPDX-License-Identifier: GPL-3.0-or-later */
/* msp_proc.c - processes read from /proc (see msp_proc.h). */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "msp_buf.h"
#include "msp_file.h"
#include "msp_num.h"
#include "msp_proc.h"
#include "banned.h"

#define DEFAULT_ROOT "/proc"

static const char *root_or_default(const char *root)
{
	return root && *root ? root : DEFAULT_ROOT;
}

int msp_proc_path(const char *root, long pid, const char *name, char *buf, size_t len)
{
	int n;

	if (name && *name)
		n = snprintf(buf, len, "%s/%ld/%s", root_or_default(root), pid, name);
	else
		n = snprintf(buf, len, "%s/%ld", root_or_default(root), pid);
	return n < 0 || (size_t)n >= len ? MSP_ETOOBIG : 0;
}

/*
 * Read a small per-process file into buf (NUL-terminated, at most len - 1
 * bytes; a longer file is cut, which the callers' formats tolerate).  One
 * open and usually one read: this runs for every process on the machine.
 * Returns the length, or MSP_ENOENT when the file is gone or unreadable
 * (a process that ended or one we may not look at).
 */
static ssize_t read_small(const char *path, char *buf, size_t len, struct msp_error *err)
{
	size_t got = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);

	if (fd < 0) {
		int e = errno;

		/* Only a process that ended is "gone"; any other failure hides a process from the caller. */
		msp_error_errno(err, e, "cannot open '%s'", path);
		if (e != ENOENT && e != ESRCH)
			return MSP_ESYS;
		if (err)
			err->code = MSP_ENOENT;
		return MSP_ENOENT;
	}
	while (got < len - 1) {
		ssize_t n = read(fd, buf + got, len - 1 - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			/* ESRCH: the process ended between open and read. */
			int e = errno;

			msp_error_errno(err, e, "cannot read '%s'", path);
			close(fd);
			if (e != ESRCH)
				return MSP_ESYS;
			if (err)
				err->code = MSP_ENOENT;
			return MSP_ENOENT;
		}
		if (n == 0)
			break;
		got += (size_t)n;
		/* A proc file is generated whole on the first read: a short read is the end, and
		 * stopping here saves a read() per file, which counts with 10,000 processes. */
		if ((size_t)n < len - 1 - (got - (size_t)n))
			break;
	}
	close(fd);
	buf[got] = '\0';
	return (ssize_t)got;
}

static int first_number(const char *text, double *ret)
{
	char word[64];
	size_t n = strcspn(text, " \t\n");

	if (n == 0 || n >= sizeof(word))
		return MSP_EINVAL;
	memcpy(word, text, n);
	word[n] = '\0';
	return msp_num_double(word, ret);
}

int msp_proc_system_read(const char *root, struct msp_proc_system *ret, struct msp_error *err)
{
	struct msp_proc_system s = { 0 };
	char path[4096];
	char buf[256];
	struct msp_buf b;
	const char *bt;
	int64_t v;
	int r;

	root = root_or_default(root);
	snprintf(path, sizeof(path), "%s/uptime", root);
	{
		/* MSP_ENOENT: the process is gone; MSP_ESYS: another failure, never "gone" */
		ssize_t got = read_small(path, buf, sizeof(buf), err);

		if (got < 0)
			return (int)got;
	}
	if (first_number(buf, &s.uptime) < 0 || s.uptime < 0)
		return msp_error_set(err, MSP_EINVAL, "cannot parse '%s': '%.40s'", path, buf);
	/* <root>/stat is several KiB on machines with many CPUs; btime comes after the cpu lines. */
	snprintf(path, sizeof(path), "%s/stat", root);
	msp_buf_init(&b, 1024 * 1024);
	r = msp_file_read(path, 1024 * 1024, &b, err);
	if (r < 0 && r != MSP_ETOOBIG)
		goto out;
	bt = strstr(msp_buf_str(&b), "\nbtime ");
	r = msp_error_set(err, MSP_EINVAL, "no 'btime' line in '%s'", path);
	if (bt) {
		char word[32];
		size_t n = strcspn(bt + 7, "\n");

		if (n < sizeof(word)) {
			memcpy(word, bt + 7, n);
			word[n] = '\0';
			if (msp_num_int64(word, 0, INT64_MAX, &v) == 0) {
				s.btime = v;
				r = 0;
			}
		}
	}
	if (r < 0)
		goto out;
	s.hz = sysconf(_SC_CLK_TCK);
	if (s.hz <= 0)
		s.hz = 100;
	s.page_kib = sysconf(_SC_PAGESIZE) / 1024;
	if (s.page_kib <= 0)
		s.page_kib = 4;
	*ret = s;
out:
	msp_buf_release(&b);
	return r;
}

int msp_proc_iter_open(struct msp_proc_iter *it, const char *root, struct msp_error *err)
{
	root = root_or_default(root);
	it->root = root;
	it->error = 0;
	it->dir = opendir(root);
	if (!it->dir) {
		if (errno == ENOENT)
			return msp_error_set(err, MSP_ENOENT, "cannot list processes: '%s' does not exist", root);
		return msp_error_errno(err, errno, "cannot list processes in '%s'", root);
	}
	return 0;
}

int msp_proc_iter_next(struct msp_proc_iter *it, long *ret_pid)
{
	struct dirent *de;

	if (!it->dir)
		return 0;
	/* readdir() returns NULL at the end and on an error: only errno tells them apart. */
	errno = 0;
	while ((de = readdir(it->dir))) {
		const char *s = de->d_name;
		long pid = 0;

		if (!isdigit((unsigned char)*s))
			continue;
		for (; isdigit((unsigned char)*s) && pid < 1000000000L; s++)
			pid = pid * 10 + (*s - '0');
		if (*s || pid <= 0)
			continue;
		*ret_pid = pid;
		return 1;
	}
	if (!errno)
		return 0;
	it->error = errno;
	return MSP_ESYS;
}

int msp_proc_iter_check(const struct msp_proc_iter *it, struct msp_error *err)
{
	if (!it->error)
		return 0;
	return msp_error_errno(err, it->error, "cannot list the processes in '%s'", root_or_default(it->root));
}

void msp_proc_iter_close(struct msp_proc_iter *it)
{
	if (it->dir)
		closedir(it->dir);
	it->dir = NULL;
}

/* Split the part of a stat line after "comm) " into blank-separated fields. */
static int split_fields(char *s, char **f, int max)
{
	int n = 0;

	while (*s && n < max) {
		while (*s == ' ' || *s == '\n')
			s++;
		if (!*s)
			break;
		f[n++] = s;
		while (*s && *s != ' ' && *s != '\n')
			s++;
		if (*s)
			*s++ = '\0';
	}
	return n;
}

static int field_i64(const char *s, int64_t *ret)
{
	return msp_num_int64(s, INT64_MIN + 1, INT64_MAX, ret);
}

static int field_u64(const char *s, uint64_t *ret)
{
	return msp_num_uint64(s, UINT64_MAX, ret);
}

/*
 * Fields after ")" (0-based): 0 state, 1 ppid, 2 pgrp, 3 session, 4 tty_nr,
 * 5 tpgid, 6 flags, 11 utime, 12 stime, 16 nice, 17 num_threads,
 * 19 starttime, 20 vsize (bytes), 21 rss (pages).
 */
static int parse_stat_fields(char *rest, const struct msp_proc_system *sys, struct msp_proc *p)
{
	char *f[24];
	int64_t ppid, pgrp, sess, tpgid, nice, thr;
	uint64_t flags, ut, st, start, vsz, rss;
	double life;

	if (split_fields(rest, f, 22) < 22 || strlen(f[0]) != 1)
		return MSP_EINVAL;
	if (field_i64(f[1], &ppid) < 0 || field_i64(f[2], &pgrp) < 0 || field_i64(f[3], &sess) < 0 ||
	    field_i64(f[5], &tpgid) < 0 || field_u64(f[6], &flags) < 0 || field_u64(f[11], &ut) < 0 ||
	    field_u64(f[12], &st) < 0 || field_i64(f[16], &nice) < 0 || field_i64(f[17], &thr) < 0 ||
	    field_u64(f[19], &start) < 0 || field_u64(f[20], &vsz) < 0 || field_u64(f[21], &rss) < 0)
		return MSP_EINVAL;
	p->state = f[0][0];
	p->ppid = (long)ppid;
	p->pgrp = (long)pgrp;
	p->session = (long)sess;
	p->tpgid = (long)tpgid;
	p->flags = (unsigned long)flags;
	p->nice = (long)nice;
	p->threads = (long)thr;
	p->utime = ut;
	p->stime = st;
	p->starttime = start;
	p->vsz_kib = vsz / 1024;
	p->rss_kib = rss * (uint64_t)sys->page_kib;
	p->cpu_seconds = (double)(ut + st) / (double)sys->hz;
	life = sys->uptime - (double)start / (double)sys->hz;
	p->elapsed_seconds = life > 0 ? life : 0;
	return 0;
}

int msp_proc_read_stat(const char *root, long pid, const struct msp_proc_system *sys, struct msp_proc *p,
		       struct msp_error *err)
{
	char path[4096];
	char buf[2048];
	char *lp, *rp;
	size_t n;

	memset(p, 0, sizeof(*p));
	if (msp_proc_path(root, pid, "stat", path, sizeof(path)) < 0)
		return msp_error_set(err, MSP_ETOOBIG, "proc root path too long");
	{
		/* MSP_ENOENT: the process is gone; MSP_ESYS: another failure, never "gone" */
		ssize_t got = read_small(path, buf, sizeof(buf), err);

		if (got < 0)
			return (int)got;
	}
	/* comm may hold blanks and parentheses: it runs from the first '(' to the last ')'. */
	lp = strchr(buf, '(');
	rp = strrchr(buf, ')');
	if (!lp || !rp || rp < lp || rp[1] != ' ')
		return msp_error_set(err, MSP_EINVAL, "cannot parse '%s'", path);
	n = (size_t)(rp - lp - 1);
	if (n >= sizeof(p->comm))
		n = sizeof(p->comm) - 1;
	memcpy(p->comm, lp + 1, n);
	p->comm[n] = '\0';
	p->pid = pid;
	if (parse_stat_fields(rp + 2, sys, p) < 0) {
		memset(p, 0, sizeof(*p));
		return msp_error_set(err, MSP_EINVAL, "cannot parse '%s'", path);
	}
	return 0;
}

/* The value after "Key:" at the start of a line of status text, or NULL. */
static const char *status_value(const char *text, const char *key)
{
	size_t klen = strlen(key);
	const char *s = text;

	while (s && *s) {
		if (strncmp(s, key, klen) == 0)
			return s + klen;
		s = strchr(s, '\n');
		if (s)
			s++;
	}
	return NULL;
}

int msp_proc_read_status(const char *root, struct msp_proc *p, struct msp_error *err)
{
	char path[4096];
	char buf[8192];
	const char *v;
	char *end;
	long ruid, euid;

	if (msp_proc_path(root, p->pid, "status", path, sizeof(path)) < 0)
		return msp_error_set(err, MSP_ETOOBIG, "proc root path too long");
	{
		/* MSP_ENOENT: the process is gone; MSP_ESYS: another failure, never "gone" */
		ssize_t got = read_small(path, buf, sizeof(buf), err);

		if (got < 0)
			return (int)got;
	}
	v = status_value(buf, "Uid:");
	if (!v)
		return msp_error_set(err, MSP_EINVAL, "no 'Uid:' line in '%s'", path);
	errno = 0;
	ruid = strtol(v, &end, 10);
	if (end == v || errno)
		return msp_error_set(err, MSP_EINVAL, "cannot parse the 'Uid:' line in '%s'", path);
	v = end;
	euid = strtol(v, &end, 10);
	if (end == v || errno || ruid < 0 || euid < 0)
		return msp_error_set(err, MSP_EINVAL, "cannot parse the 'Uid:' line in '%s'", path);
	p->uid_real = ruid;
	p->uid_effective = euid;
	p->vmlck_kib = 0;
	/* Kernel threads and zombies have no Vm* lines: no locked memory. */
	v = status_value(buf, "VmLck:");
	if (v) {
		unsigned long long k;

		errno = 0;
		k = strtoull(v, &end, 10);
		if (end != v && !errno)
			p->vmlck_kib = k;
	}
	p->has_status = true;
	return 0;
}

/*
 * ps's rendering of a command line: arguments joined by blanks (trailing
 * NULs dropped), control characters shown as '?'.
 */
static void args_from_cmdline(char *s, size_t len)
{
	while (len > 0 && s[len - 1] == '\0')
		len--;
	s[len] = '\0';
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '\0')
			s[i] = ' ';
		else if (c < 0x20 || c == 0x7f)
			s[i] = '?';
	}
}

int msp_proc_read_cmdline(const char *root, struct msp_proc *p, struct msp_error *err)
{
	char path[4096];
	struct msp_buf b;
	int r;

	if (msp_proc_path(root, p->pid, "cmdline", path, sizeof(path)) < 0)
		return msp_error_set(err, MSP_ETOOBIG, "proc root path too long");
	msp_buf_init(&b, MSP_PROC_ARGS_MAX);
	r = msp_file_read(path, MSP_PROC_ARGS_MAX, &b, err);
	if (r < 0 && r != MSP_ETOOBIG) {
		msp_buf_release(&b);
		/* Gone (ENOENT, ESRCH) is MSP_ENOENT; any other failure stays what it is. */
		if (r == MSP_ESYS && errno == ESRCH)
			return msp_error_set(err, MSP_ENOENT, "process %ld ended", p->pid);
		return r;
	}
	p->args_truncated = r == MSP_ETOOBIG;
	if (b.len)
		args_from_cmdline(b.data, b.len);
	if (!b.len || !b.data[0]) {
		/* No arguments: a kernel thread or a zombie; ps shows the name in brackets. */
		msp_buf_reset(&b);
		r = msp_buf_addf(&b, "[%s]%s", p->comm, p->state == 'Z' ? " <defunct>" : "");
		if (r < 0) {
			msp_buf_release(&b);
			return msp_error_set(err, MSP_ENOMEM, "out of memory");
		}
	}
	free(p->args);
	p->args = msp_buf_detach(&b);
	if (!p->args)
		return msp_error_set(err, MSP_ENOMEM, "out of memory");
	return 0;
}

int msp_proc_read(const char *root, long pid, unsigned fields, const struct msp_proc_system *sys,
		  struct msp_proc *p, struct msp_error *err)
{
	int r = msp_proc_read_stat(root, pid, sys, p, err);

	if (r == 0 && (fields & MSP_PROC_STATUS))
		r = msp_proc_read_status(root, p, err);
	if (r == 0 && (fields & MSP_PROC_CMDLINE))
		r = msp_proc_read_cmdline(root, p, err);
	if (r < 0)
		msp_proc_release(p);
	return r;
}

void msp_proc_release(struct msp_proc *p)
{
	free(p->args);
	p->args = NULL;
}

int msp_proc_foreach(const char *root, unsigned fields, int (*fn)(const struct msp_proc *p, void *data),
		     void *data, struct msp_error *err)
{
	struct msp_proc_system sys;
	struct msp_proc_iter it = { NULL };
	struct msp_proc p = { 0 };
	long pid;
	int r;

	r = msp_proc_system_read(root, &sys, err);
	if (r == 0)
		r = msp_proc_iter_open(&it, root, err);
	while (r == 0 && msp_proc_iter_next(&it, &pid) == 1) {
		int rr = msp_proc_read(root, pid, fields, &sys, &p, NULL);

		if (rr == MSP_ENOMEM) {
			r = msp_error_set(err, MSP_ENOMEM, "out of memory");
			break;
		}
		if (rr < 0)
			continue; /* gone or unreadable meanwhile: not an error */
		rr = fn(&p, data);
		msp_proc_release(&p);
		if (rr > 0)
			break;
		r = rr;
	}
	if (r == 0)
		r = msp_proc_iter_check(&it, err);
	msp_proc_iter_close(&it);
	return r;
}

void msp_proc_stat_text(const struct msp_proc *p, char buf[8])
{
	int n = 0;

	buf[n++] = p->state ? p->state : '?';
	if (p->nice < 0)
		buf[n++] = '<';
	else if (p->nice > 0)
		buf[n++] = 'N';
	if (p->has_status && p->vmlck_kib > 0)
		buf[n++] = 'L';
	if (p->session == p->pid)
		buf[n++] = 's';
	if (p->threads > 1)
		buf[n++] = 'l';
	if (p->pgrp == p->tpgid)
		buf[n++] = '+';
	buf[n] = '\0';
}

char *msp_proc_etime(double seconds, char *buf, size_t len)
{
	uint64_t t = seconds > 0 && seconds < 1e12 ? (uint64_t)seconds : 0;
	uint64_t d = t / 86400, h = t / 3600 % 24, m = t / 60 % 60, s = t % 60;

	if (d)
		snprintf(buf, len, "%llu-%02llu:%02llu:%02llu", (unsigned long long)d, (unsigned long long)h,
			 (unsigned long long)m, (unsigned long long)s);
	else if (h)
		snprintf(buf, len, "%02llu:%02llu:%02llu", (unsigned long long)h, (unsigned long long)m,
			 (unsigned long long)s);
	else
		snprintf(buf, len, "%02llu:%02llu", (unsigned long long)m, (unsigned long long)s);
	return buf;
}

double msp_proc_pcpu(const struct msp_proc *p, const struct msp_proc_system *sys)
{
	uint64_t life = (uint64_t)p->elapsed_seconds;
	uint64_t permille;

	if (life == 0 || sys->hz <= 0)
		return 0;
	permille = (p->utime + p->stime) * 1000ULL / (uint64_t)sys->hz / life;
	/* ps prints 99.9 at most with a decimal; from 100% on it prints whole percent. */
	if (permille > 999)
		return (double)(permille / 10);
	return (double)permille / 10.0;
}
