/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * msp_mount.c - the mount table, and statvfs() in worker processes with a
 * deadline (see msp_mount.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "msp_buf.h"
#include "msp_file.h"
#include "msp_mount.h"
#include "msp_num.h"
#include "msp_plugin.h"
#include "msp_time.h"
#include "banned.h"

#define MAX_FIELDS 64

static bool is_odigit(char c)
{
	return c >= '0' && c <= '7';
}

void msp_mount_unescape(char *s)
{
	char *w = s;

	for (const char *r = s; *r;) {
		if (r[0] == '\\' && is_odigit(r[1]) && is_odigit(r[2]) && is_odigit(r[3])) {
			int v = (r[1] - '0') * 64 + (r[2] - '0') * 8 + (r[3] - '0');

			/* "\000" would cut the string short; keep it as written. */
			if (v != 0 && v < 256) {
				*w++ = (char)v;
				r += 4;
				continue;
			}
		}
		*w++ = *r++;
	}
	*w = '\0';
}

int msp_mount_escape(const char *s, char *out, size_t outlen)
{
	size_t n = 0;

	if (outlen == 0)
		return MSP_ETOOBIG;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p <= ' ' || *p == 0x7f || *p == '\\') {
			if (n + 4 >= outlen)
				goto toobig;
			out[n++] = '\\';
			out[n++] = (char)('0' + ((*p >> 6) & 7));
			out[n++] = (char)('0' + ((*p >> 3) & 7));
			out[n++] = (char)('0' + (*p & 7));
		} else {
			if (n + 1 >= outlen)
				goto toobig;
			out[n++] = (char)*p;
		}
	}
	out[n] = '\0';
	return 0;
toobig:
	out[n] = '\0';
	return MSP_ETOOBIG;
}

/* Split line at single blanks (empty fields kept, as the kernel may print one).  Returns the field count. */
static size_t split_fields(char *line, char **f, size_t max)
{
	size_t n = 0;
	char *p = line;

	while (n < max) {
		char *sp = strchr(p, ' ');

		f[n++] = p;
		if (!sp)
			break;
		*sp = '\0';
		p = sp + 1;
	}
	return n;
}

static void mount_release(struct msp_mount *m)
{
	free(m->root);
	free(m->target);
	free(m->fstype);
	free(m->source);
	free(m->options);
	memset(m, 0, sizeof(*m));
}

static int dup_field(char **dst, const char *src)
{
	*dst = strdup(src);
	if (!*dst)
		return MSP_ENOMEM;
	msp_mount_unescape(*dst);
	return 0;
}

/*
 * mountinfo: "id parent major:minor root target options [optional...] - fstype source superoptions".
 * Returns 1 when parsed, 0 when the line is not in this format, MSP_ENOMEM.
 */
static int parse_mountinfo(char **f, size_t nf, struct msp_mount *m)
{
	uint64_t id, parent, major, minor;
	char *colon;
	size_t sep;
	int r = 0;

	if (nf < 10 || msp_num_uint64(f[0], UINT64_MAX, &id) < 0 || msp_num_uint64(f[1], UINT64_MAX, &parent) < 0)
		return 0;
	colon = strchr(f[2], ':');
	if (!colon)
		return 0;
	*colon = '\0';
	if (msp_num_uint64(f[2], UINT64_MAX, &major) < 0 || msp_num_uint64(colon + 1, UINT64_MAX, &minor) < 0) {
		*colon = ':'; /* the /proc/mounts parser reads this field next */
		return 0;
	}
	for (sep = 6; sep < nf && strcmp(f[sep], "-") != 0; sep++)
		;
	if (sep + 3 > nf)
		return 0;
	m->id = id > 0x7fffffff ? -1 : (int)id;
	m->parent_id = parent > 0x7fffffff ? -1 : (int)parent;
	m->major = (unsigned)major;
	m->minor = (unsigned)minor;
	r |= dup_field(&m->root, f[3]);
	r |= dup_field(&m->target, f[4]);
	r |= dup_field(&m->options, f[5]);
	r |= dup_field(&m->fstype, f[sep + 1]);
	r |= dup_field(&m->source, f[sep + 2]);
	return r < 0 ? MSP_ENOMEM : 1;
}

/* /proc/mounts: "source target fstype options dump pass".  Returns 1, 0 or MSP_ENOMEM. */
static int parse_mounts_line(char **f, size_t nf, struct msp_mount *m)
{
	int r = 0;

	if (nf < 4 || nf > 6 || f[1][0] != '/' || f[2][0] == '\0')
		return 0;
	m->id = -1;
	m->parent_id = -1;
	r |= dup_field(&m->source, f[0]);
	r |= dup_field(&m->target, f[1]);
	r |= dup_field(&m->fstype, f[2]);
	r |= dup_field(&m->options, f[3]);
	r |= dup_field(&m->root, "/");
	return r < 0 ? MSP_ENOMEM : 1;
}

static int table_add(struct msp_mount_table *t, size_t *cap, const struct msp_mount *m)
{
	if (t->n == *cap) {
		size_t nc = *cap ? *cap * 2 : 64;
		struct msp_mount *nv = realloc(t->mounts, nc * sizeof(*nv));

		if (!nv)
			return MSP_ENOMEM;
		t->mounts = nv;
		*cap = nc;
	}
	t->mounts[t->n++] = *m;
	return 0;
}

static int parse_line(char *line, struct msp_mount_table *t, size_t *cap, size_t lineno, struct msp_error *err)
{
	char *f[MAX_FIELDS];
	struct msp_mount m;
	size_t nf;
	int r;

	memset(&m, 0, sizeof(m));
	nf = split_fields(line, f, MAX_FIELDS);
	r = parse_mountinfo(f, nf, &m);
	if (r == 0) {
		mount_release(&m);
		r = parse_mounts_line(f, nf, &m);
	}
	if (r == 1)
		r = table_add(t, cap, &m);
	else if (r == 0)
		r = msp_error_set(err, MSP_EINVAL, "cannot parse mount table line %zu", lineno);
	if (r < 0) {
		mount_release(&m);
		if (r == MSP_ENOMEM)
			msp_error_set(err, MSP_ENOMEM, "out of memory reading the mount table");
		return r;
	}
	return 0;
}

int msp_mount_table_parse(const char *text, struct msp_mount_table *ret, struct msp_error *err)
{
	char *copy = NULL, *line, *next;
	size_t cap = 0, lineno = 0;
	int r = 0;

	memset(ret, 0, sizeof(*ret));
	copy = strdup(text ? text : "");
	if (!copy)
		return msp_error_set(err, MSP_ENOMEM, "out of memory reading the mount table");
	for (line = copy; line && *line; line = next) {
		size_t len;

		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		lineno++;
		len = strlen(line);
		if (len > 0 && line[len - 1] == '\r')
			line[--len] = '\0';
		if (len == 0)
			continue;
		r = parse_line(line, ret, &cap, lineno, err);
		if (r < 0)
			break;
	}
	free(copy);
	return r;
}

int msp_mount_table_read(const char *path, struct msp_mount_table *ret, struct msp_error *err)
{
	struct msp_buf b;
	int r;

	memset(ret, 0, sizeof(*ret));
	msp_buf_init(&b, MSP_MOUNT_TABLE_MAX);
	if (path) {
		r = msp_file_read(path, MSP_MOUNT_TABLE_MAX, &b, err);
	} else {
		r = msp_file_read("/proc/self/mountinfo", MSP_MOUNT_TABLE_MAX, &b, err);
		if (r == MSP_ENOENT) {
			msp_buf_reset(&b);
			r = msp_file_read("/proc/mounts", MSP_MOUNT_TABLE_MAX, &b, err);
		}
	}
	if (r == 0)
		r = msp_mount_table_parse(msp_buf_str(&b), ret, err);
	msp_buf_release(&b);
	return r;
}

void msp_mount_table_release(struct msp_mount_table *t)
{
	for (size_t i = 0; i < t->n; i++)
		mount_release(&t->mounts[i]);
	free(t->mounts);
	t->mounts = NULL;
	t->n = 0;
}

const struct msp_mount *msp_mount_by_target(const struct msp_mount_table *t, const char *target)
{
	for (size_t i = t->n; i-- > 0;)
		if (strcmp(t->mounts[i].target, target) == 0)
			return &t->mounts[i];
	return NULL;
}

const struct msp_mount *msp_mount_by_source(const struct msp_mount_table *t, const char *source)
{
	for (size_t i = t->n; i-- > 0;)
		if (strcmp(t->mounts[i].source, source) == 0)
			return &t->mounts[i];
	return NULL;
}

/* Length of target when it is a whole-component prefix of path, else 0 (and 1 for "/"). */
static size_t prefix_len(const char *target, const char *path)
{
	size_t len = strlen(target);

	while (len > 1 && target[len - 1] == '/')
		len--;
	if (len == 1 && target[0] == '/')
		return 1;
	if (len == 0 || strncmp(target, path, len) != 0)
		return 0;
	return path[len] == '/' || path[len] == '\0' ? len : 0;
}

const struct msp_mount *msp_mount_for_path(const struct msp_mount_table *t, const char *path)
{
	const struct msp_mount *best = NULL;
	size_t best_len = 0;

	if (!path || path[0] != '/')
		return NULL;
	for (size_t i = 0; i < t->n; i++) {
		size_t len = prefix_len(t->mounts[i].target, path);

		if (len > 0 && len >= best_len) {
			best = &t->mounts[i];
			best_len = len;
		}
	}
	return best;
}

bool msp_mount_is_covered(const struct msp_mount_table *t, const struct msp_mount *m)
{
	if (m < t->mounts || m >= t->mounts + t->n)
		return false;
	for (const struct msp_mount *o = m + 1; o < t->mounts + t->n; o++)
		if (strcmp(o->target, m->target) == 0)
			return true;
	return false;
}

static bool in_list(const char *s, const char *const *list)
{
	for (; *list; list++)
		if (strcmp(s, *list) == 0)
			return true;
	return false;
}

bool msp_mount_is_remote(const struct msp_mount *m)
{
	static const char *const types[] = {
		"nfs",         "nfs4",      "cifs",        "smbfs",          "smb3",       "ncpfs", "afs",
		"coda",        "ceph",      "glusterfs",   "fuse.glusterfs", "fuse.sshfs", "sshfs", "davfs",
		"fuse.davfs2", "fuse.s3fs", "fuse.rclone", "lustre",         "gpfs",       "9p",    "beegfs",
		"fuse.cephfs", NULL,
	};

	if (in_list(m->fstype, types))
		return true;
	/* "server:/export" (NFS and friends) and "//server/share" (SMB), unless it names a local device. */
	if (m->source[0] != '/' && strchr(m->source, ':'))
		return true;
	return m->source[0] == '/' && m->source[1] == '/';
}

bool msp_mount_is_local(const struct msp_mount *m)
{
	static const char *const types[] = {
		"ext2", "ext3", "ext4",  "xfs",   "btrfs",  "jfs",   "reiserfs", "f2fs",     "vfat",
		"msdos", "exfat", "ntfs3", "hfsplus", "zfs", "tmpfs", "devtmpfs", "squashfs", "erofs",
		"iso9660", "udf", "hugetlbfs", NULL,
	};

	return m && in_list(m->fstype, types) && !msp_mount_is_remote(m);
}

bool msp_mount_is_pseudo(const struct msp_mount *m)
{
	static const char *const types[] = {
		"proc",       "sysfs",     "cgroup", "cgroup2",  "devpts",  "mqueue",      "debugfs",    "tracefs",
		"securityfs", "pstore",    "bpf",    "configfs", "fusectl", "binfmt_misc", "rpc_pipefs", "nsfs",
		"autofs",     "selinuxfs", "nfsd",   "ramfs",    "rootfs",  NULL,
	};

	return in_list(m->fstype, types);
}

bool msp_mount_match(const struct msp_mount *m, const regex_t *re)
{
	return regexec(re, m->target, 0, NULL, 0) == 0 || regexec(re, m->source, 0, NULL, 0) == 0;
}

/* ------------------------------------------------------------ statvfs */

__extension__ typedef unsigned __int128 u128;

static uint64_t bytes_of(uint64_t blocks, uint64_t frsize)
{
	u128 v = (u128)blocks * frsize;

	return v > UINT64_MAX ? UINT64_MAX : (uint64_t)v;
}

void msp_fsusage_space(const struct msp_fsusage *u, bool without_reserve, struct msp_fsspace *ret)
{
	uint64_t used = u->blocks > u->bfree ? u->blocks - u->bfree : 0;
	uint64_t avail = u->bavail > u->bfree ? 0 : u->bavail;

	ret->used = bytes_of(used, u->frsize);
	ret->avail = bytes_of(avail, u->frsize);
	ret->size = bytes_of(without_reserve ? used + avail : u->blocks, u->frsize);
}

int msp_percent_up(uint64_t part, uint64_t whole)
{
	u128 p = (u128)part * 100;

	if (whole == 0)
		return -1;
	return (int)(p / whole + (p % whole != 0));
}

#define ESC_MAX (4 * PATH_MAX + 1) /* an escaped path */
#define MSG_MAX (ESC_MAX + 256)    /* one protocol line */
#define POLL_SLICE_MS 50           /* how often stalls are looked for */
#define DEFAULT_STALL_MS 300
#define DEFAULT_MAX_WORKERS 16
#define MAX_FORKS 256 /* per run, whatever happens */

struct worker {
	pid_t pid;         /* 0 once reaped or abandoned */
	int fd;            /* read end of the worker's pipe, -1 once closed */
	size_t first, end; /* the jobs [first, end) are this worker's */
	size_t cur;        /* the job running now, when busy */
	bool busy;
	double started;    /* msp_time_mono() when cur started */
	struct msp_buf in; /* an incomplete line */
};

struct run {
	struct msp_statvfs_job *jobs;
	size_t n;
	size_t left; /* jobs without an answer */
	struct worker *w;
	size_t nw, maxw;
	unsigned forks;
	msp_statvfs_probe_fn probe;
};

static int default_probe(const struct msp_statvfs_job *job, struct msp_fsusage *ret_usage, char **ret_resolved,
			 const char **ret_call)
{
	struct statvfs sv;
	struct stat st;

	if (job->resolve) {
		if (stat(job->path, &st) < 0) {
			*ret_call = "stat";
			return errno;
		}
		*ret_resolved = realpath(job->path, NULL);
		if (!*ret_resolved) {
			*ret_call = "realpath";
			return errno;
		}
	}
	if (statvfs(job->path, &sv) < 0) {
		*ret_call = "statvfs";
		return errno;
	}
	ret_usage->frsize = sv.f_frsize ? sv.f_frsize : sv.f_bsize;
	ret_usage->blocks = sv.f_blocks;
	ret_usage->bfree = sv.f_bfree;
	ret_usage->bavail = sv.f_bavail;
	ret_usage->files = sv.f_files;
	ret_usage->ffree = sv.f_ffree;
	ret_usage->favail = sv.f_favail;
	ret_usage->flag = sv.f_flag;
	return 0;
}

/* Write a whole line from the worker; false when the parent is gone. */
static bool send_line(int fd, const char *line, size_t len)
{
	while (len > 0) {
		ssize_t w = write(fd, line, len);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return false;
		line += w;
		len -= (size_t)w;
	}
	return true;
}

static bool sendf(int fd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static bool sendf(int fd, const char *fmt, ...)
{
	char line[MSG_MAX];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(line))
		return true; /* cannot happen with escaped paths; the parent sees no answer */
	return send_line(fd, line, (size_t)n);
}

/* One job in the worker: "starting", the calls, then "resolved" and "ok", or "failed". */
static bool worker_job(const struct run *run, size_t i, int fd)
{
	const struct msp_statvfs_job *job = &run->jobs[i];
	struct msp_fsusage u;
	char esc[ESC_MAX];
	char *resolved = NULL;
	const char *call = "statvfs";
	double t0;
	uint64_t us;
	bool ok;
	int e;

	msp_mount_escape(job->path, esc, sizeof(esc));
	if (!sendf(fd, "starting %zu %s\n", i, esc))
		return false;
	memset(&u, 0, sizeof(u));
	t0 = msp_time_mono();
	e = run->probe(job, &u, &resolved, &call);
	us = (uint64_t)((msp_time_mono() - t0) * 1e6); /* an integer: no locale decimal point on the wire */
	if (e != 0) {
		ok = sendf(fd, "failed %zu %s %d %" PRIu64 "\n", i, call, e, us);
	} else {
		ok = true;
		if (resolved && msp_mount_escape(resolved, esc, sizeof(esc)) == 0)
			ok = sendf(fd, "resolved %zu %s\n", i, esc);
		ok = ok && sendf(fd,
				 "ok %zu %" PRIu64 " %" PRIu64 " %" PRIu64 " %" PRIu64 " %" PRIu64 " %" PRIu64
				 " %" PRIu64 " %" PRIu64 " %" PRIu64 "\n",
				 i, us, u.frsize, u.blocks, u.bfree, u.bavail, u.files, u.ffree, u.favail, u.flag);
	}
	free(resolved);
	return ok;
}

__attribute__((noreturn)) static void worker_main(const struct run *run, size_t first, int fd)
{
	static const int sigs[] = { SIGTERM, SIGINT, SIGHUP, SIGALRM };
	int devnull;

	/* The plugin's handlers would print a result from here; a worker only talks over its pipe. */
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		signal(sigs[i], SIG_DFL);
	/* A worker stuck on a dead mount must not hold the monitoring system's stdout or stderr open. */
	devnull = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (devnull >= 0) {
		dup2(devnull, 0);
		dup2(devnull, 1);
		dup2(devnull, 2);
	}
	for (size_t i = first; i < run->n; i++) {
		if (run->jobs[i].status == MSP_STATVFS_OK || run->jobs[i].status == MSP_STATVFS_FAILED)
			continue; /* answered in the parent (in_process) */
		if (!worker_job(run, i, fd))
			break;
	}
	_exit(0);
}

/* Start a worker for the jobs [first, end).  0, or MSP_ESYS when it could not be started. */
static int worker_start(struct run *run, size_t first, size_t end, struct msp_error *err)
{
	struct worker *w;
	int p[2];
	pid_t pid;

	if (run->nw == run->maxw || run->forks >= MAX_FORKS)
		return msp_error_set(err, MSP_ESYS, "too many statvfs workers");
	if (pipe2(p, O_CLOEXEC) < 0)
		return msp_error_errno(err, errno, "cannot create a pipe for statvfs");
	pid = fork();
	if (pid < 0) {
		int e = errno;

		close(p[0]);
		close(p[1]);
		return msp_error_errno(err, e, "cannot fork for statvfs");
	}
	if (pid == 0) {
		close(p[0]);
		worker_main(run, first, p[1]);
	}
	close(p[1]);
	if (msp_timeout_track_child(pid) < 0) {
		/* a worker the timeout could not kill must not run */
		kill(pid, SIGKILL);
		while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
			;
		close(p[0]);
		return msp_error_set(err, MSP_ESYS, "cannot start a statvfs worker: too many child processes at once");
	}
	fcntl(p[0], F_SETFL, O_NONBLOCK);
	run->forks++;
	w = &run->w[run->nw++];
	memset(w, 0, sizeof(*w));
	w->pid = pid;
	w->fd = p[0];
	w->first = first;
	w->end = end;
	msp_buf_init(&w->in, MSG_MAX + 1);
	return 0;
}

/* Kill (when still needed) and reap a worker, close its pipe. */
static void worker_stop(struct worker *w, bool kill_it)
{
	if (w->fd >= 0) {
		close(w->fd);
		w->fd = -1;
	}
	if (w->pid > 0) {
		int status;

		if (kill_it)
			kill(w->pid, SIGKILL);
		/* A worker stuck in the kernel dies when its call returns; do not wait for that. */
		for (int i = 0; i < 20; i++) {
			pid_t r = waitpid(w->pid, &status, WNOHANG);

			if (r == w->pid || (r < 0 && errno != EINTR))
				break;
			if (!kill_it)
				kill(w->pid, SIGKILL);
			kill_it = true;
			usleep(1000);
		}
		msp_timeout_untrack_child(w->pid);
		w->pid = 0;
	}
	msp_buf_release(&w->in);
}

static void job_answered(struct run *run, size_t i, enum msp_statvfs_status st)
{
	struct msp_statvfs_job *job = &run->jobs[i];

	if (job->status != MSP_STATVFS_OK && job->status != MSP_STATVFS_FAILED)
		run->left--;
	job->status = st;
}

static const char *call_name(const char *word)
{
	static const char *const names[] = { "stat", "realpath", "statvfs" };

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(word, names[i]) == 0)
			return names[i];
	return "statvfs";
}

/* Read the index after the keyword; false when it is not one of w's jobs. */
static bool line_index(const struct worker *w, char **p, size_t *ret)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(*p, &end, 10);
	if (errno || end == *p || v < w->first || v >= w->end)
		return false;
	*ret = (size_t)v;
	*p = *end == ' ' ? end + 1 : end;
	return true;
}

static void handle_ok(struct run *run, size_t i, const char *rest)
{
	struct msp_statvfs_job *job = &run->jobs[i];
	struct msp_fsusage u;
	uint64_t us;

	if (sscanf(rest,
		   "%" SCNu64 " %" SCNu64 " %" SCNu64 " %" SCNu64 " %" SCNu64 " %" SCNu64 " %" SCNu64 " %" SCNu64
		   " %" SCNu64,
		   &us, &u.frsize, &u.blocks, &u.bfree, &u.bavail, &u.files, &u.ffree, &u.favail, &u.flag) != 9) {
		job->error = EIO;
		job->call = "worker";
		job_answered(run, i, MSP_STATVFS_FAILED);
		return;
	}
	job->usage = u;
	job->seconds = (double)us / 1e6;
	job_answered(run, i, MSP_STATVFS_OK);
}

static void handle_failed(struct run *run, size_t i, char *rest)
{
	struct msp_statvfs_job *job = &run->jobs[i];
	char call[32];
	int e = EIO;
	uint64_t us = 0;

	if (sscanf(rest, "%31s %d %" SCNu64, call, &e, &us) < 2)
		snprintf(call, sizeof(call), "statvfs");
	job->call = call_name(call);
	job->error = e;
	job->seconds = (double)us / 1e6;
	job_answered(run, i, MSP_STATVFS_FAILED);
}

static void handle_line(struct run *run, struct worker *w, char *line)
{
	char *rest = strchr(line, ' ');
	size_t i;

	if (!rest)
		return;
	*rest++ = '\0';
	if (!line_index(w, &rest, &i))
		return;
	if (strcmp(line, "starting") == 0) {
		w->cur = i;
		w->busy = true;
		w->started = msp_time_mono();
		if (run->jobs[i].status == MSP_STATVFS_PENDING)
			run->jobs[i].status = MSP_STATVFS_TIMEOUT; /* until it answers */
	} else if (strcmp(line, "resolved") == 0) {
		free(run->jobs[i].resolved);
		run->jobs[i].resolved = strdup(rest);
		if (run->jobs[i].resolved)
			msp_mount_unescape(run->jobs[i].resolved);
	} else if (strcmp(line, "ok") == 0 || strcmp(line, "failed") == 0) {
		if (line[0] == 'o')
			handle_ok(run, i, rest);
		else
			handle_failed(run, i, rest);
		if (i == w->cur)
			w->busy = false;
		/* Its last job answered: a worker whose tail went to another one must not go on. */
		if (i + 1 == w->end && w->end < run->n)
			worker_stop(w, true);
	}
}

/* Jobs of a worker that ended without answering them failed. */
static void worker_orphans(struct run *run, const struct worker *w)
{
	for (size_t i = w->first; i < w->end; i++) {
		struct msp_statvfs_job *job = &run->jobs[i];

		if (job->status == MSP_STATVFS_OK || job->status == MSP_STATVFS_FAILED)
			continue;
		job->error = ECHILD;
		job->call = "worker";
		job_answered(run, i, MSP_STATVFS_FAILED);
	}
}

/* Read what a worker wrote; handle whole lines.  On end of file the worker is done. */
static void worker_read(struct run *run, struct worker *w)
{
	char chunk[4096];

	for (;;) {
		ssize_t r = read(w->fd, chunk, sizeof(chunk));
		char *nl;

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return;
		if (r <= 0) {
			worker_stop(w, false);
			worker_orphans(run, w);
			return;
		}
		msp_buf_add(&w->in, chunk, (size_t)r);
		while (w->fd >= 0 && w->in.data && (nl = memchr(w->in.data, '\n', w->in.len))) {
			size_t len = (size_t)(nl - w->in.data) + 1;
			char line[MSG_MAX + 1];

			snprintf(line, sizeof(line), "%.*s", (int)(len - 1), w->in.data);
			memmove(w->in.data, w->in.data + len, w->in.len - len + 1);
			w->in.len -= len;
			handle_line(run, w, line);
		}
		if (w->fd < 0)
			return;
		if (w->in.truncated) {
			/* A line longer than any the worker writes: the worker is not ours to trust. */
			worker_stop(w, true);
			worker_orphans(run, w);
			return;
		}
	}
}

/* A worker whose call hangs hands the jobs after it to a new worker. */
static void split_stalled(struct run *run, unsigned stall_ms)
{
	double now = msp_time_mono();
	size_t nw = run->nw;

	for (size_t k = 0; k < nw; k++) {
		struct worker *w = &run->w[k];
		size_t end;

		if (w->fd < 0 || !w->busy || w->cur + 1 >= w->end || (now - w->started) * 1000 < stall_ms)
			continue;
		end = w->end;
		if (worker_start(run, w->cur + 1, end, NULL) < 0)
			return;
		w = &run->w[k]; /* run->w does not move, but keep the pointer honest */
		w->end = w->cur + 1;
	}
}

static int poll_workers(struct run *run, const struct timespec *deadline, unsigned stall_ms)
{
	struct pollfd *fds = calloc(run->maxw, sizeof(*fds));
	size_t *idx = calloc(run->maxw, sizeof(*idx));
	int r = 0;

	if (!fds || !idx) {
		r = MSP_ENOMEM;
		goto out;
	}
	while (run->left > 0 && !msp_deadline_passed(deadline)) {
		nfds_t nf = 0;
		int ms = msp_deadline_ms_left(deadline);

		for (size_t k = 0; k < run->nw; k++) {
			if (run->w[k].fd < 0)
				continue;
			fds[nf] = (struct pollfd){ .fd = run->w[k].fd, .events = POLLIN };
			idx[nf++] = k;
		}
		if (nf == 0)
			break; /* every worker ended; worker_orphans() accounted for their jobs */
		if (poll(fds, nf, ms < POLL_SLICE_MS ? ms : POLL_SLICE_MS) < 0 && errno != EINTR)
			break;
		for (nfds_t i = 0; i < nf; i++)
			if (fds[i].revents & (POLLIN | POLLHUP | POLLERR))
				worker_read(run, &run->w[idx[i]]);
		split_stalled(run, stall_ms);
	}
out:
	free(fds);
	free(idx);
	return r;
}

/* Answer the in_process jobs here, with the same probe a worker would run. */
static void run_in_process(struct run *run)
{
	for (size_t i = 0; i < run->n; i++) {
		struct msp_statvfs_job *job = &run->jobs[i];
		const char *call = "statvfs";
		char *resolved = NULL;
		double t0;
		int e;

		if (!job->in_process)
			continue;
		t0 = msp_time_mono();
		e = run->probe(job, &job->usage, &resolved, &call);
		job->seconds = msp_time_mono() - t0;
		if (e != 0) {
			free(resolved);
			job->error = e;
			job->call = call_name(call);
			memset(&job->usage, 0, sizeof(job->usage));
			job_answered(run, i, MSP_STATVFS_FAILED);
		} else {
			job->resolved = resolved;
			job_answered(run, i, MSP_STATVFS_OK);
		}
	}
}

int msp_statvfs_run(struct msp_statvfs_job *jobs, size_t n, const struct timespec *deadline,
		    const struct msp_statvfs_opts *opts, struct msp_error *err)
{
	struct run run;
	unsigned stall_ms = opts && opts->stall_ms ? opts->stall_ms : DEFAULT_STALL_MS;
	int r;

	for (size_t i = 0; i < n; i++) {
		free(jobs[i].resolved);
		jobs[i].resolved = NULL;
		jobs[i].status = MSP_STATVFS_PENDING;
		jobs[i].error = 0;
		jobs[i].call = NULL;
		jobs[i].seconds = 0;
		memset(&jobs[i].usage, 0, sizeof(jobs[i].usage));
	}
	if (n == 0)
		return 0;
	memset(&run, 0, sizeof(run));
	run.jobs = jobs;
	run.n = n;
	run.left = n;
	run.maxw = opts && opts->max_workers ? opts->max_workers : DEFAULT_MAX_WORKERS;
	run.probe = opts && opts->probe ? opts->probe : default_probe;
	run.w = calloc(run.maxw, sizeof(*run.w));
	if (!run.w)
		return msp_error_set(err, MSP_ENOMEM, "out of memory starting statvfs workers");
	run_in_process(&run);
	r = 0;
	if (run.left > 0) {
		r = worker_start(&run, 0, n, err);
		if (r == 0)
			r = poll_workers(&run, deadline, stall_ms);
	}
	if (r == MSP_ENOMEM)
		msp_error_set(err, r, "out of memory waiting for statvfs workers");
	for (size_t k = 0; k < run.nw; k++)
		worker_stop(&run.w[k], true);
	free(run.w);
	return r;
}

void msp_statvfs_jobs_release(struct msp_statvfs_job *jobs, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(jobs[i].resolved);
		jobs[i].resolved = NULL;
	}
}
