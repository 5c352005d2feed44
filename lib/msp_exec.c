/* SPDX-License-Identifier: GPL-3.0-or-later */
/* msp_exec.c - run a tool without a shell (see msp_exec.h). */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "msp_exec.h"
#include "msp_plugin.h"
#include "msp_time.h"
#include "banned.h"

static const char *const default_env[] = { "PATH=/usr/sbin:/usr/bin:/sbin:/bin", "LC_ALL=C", NULL };

/* Jobs started and not reaped yet; orphans are swept when it drops to 0. */
static size_t g_live_jobs;

/* ------------------------------------------------- descendants via /proc */

/*
 * Everything from here to msp_exec_kill_descendants() runs in signal
 * handlers too: only open, read, getdents64, readlink, close, kill,
 * waitpid, clock_gettime and nanosleep, no malloc, no stdio.
 */

struct kid {
	pid_t pid;
	pid_t pgrp;
	char state;
};

/* Append the decimal digits of v to p; returns the new end. */
static char *put_ulong(char *p, unsigned long v)
{
	char tmp[24];
	int n = 0;

	do
		tmp[n++] = (char)('0' + v % 10);
	while ((v /= 10) > 0);
	while (n > 0)
		*p++ = tmp[--n];
	return p;
}

/* Parse the unsigned decimal at *pp (skipping one blank first); -1 when there is none. */
static long get_long(const char **pp, const char *end)
{
	const char *p = *pp;
	long v = 0;

	if (p < end && *p == ' ')
		p++;
	if (p >= end || *p < '0' || *p > '9')
		return -1;
	while (p < end && *p >= '0' && *p <= '9' && v < 100000000)
		v = v * 10 + (*p++ - '0');
	*pp = p;
	return v;
}

/* Read /proc/<name>/stat into k when its parent is self; false otherwise. */
static bool read_kid(const char *name, pid_t self, struct kid *k)
{
	char path[64] = "/proc/", buf[512], *q = path + 6;
	const char *p, *end, *close_paren = NULL;
	long pid = 0, ppid, pgrp;
	ssize_t n;
	int fd;

	for (const char *c = name; *c; c++) {
		if (*c < '0' || *c > '9' || q - path > 30)
			return false;
		pid = pid * 10 + (*c - '0');
		*q++ = *c;
	}
	memcpy(q, "/stat", 6);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY)) < 0)
		return false;
	n = read(fd, buf, sizeof(buf));
	close(fd);
	if (n <= 0)
		return false;
	end = buf + n;
	for (p = buf; p < end; p++) /* the command name may hold ')': the last one ends it */
		if (*p == ')')
			close_paren = p;
	if (!close_paren || close_paren + 3 >= end)
		return false;
	k->state = close_paren[2];
	p = close_paren + 3;
	ppid = get_long(&p, end);
	pgrp = get_long(&p, end);
	if (ppid != (long)self || pgrp < 0)
		return false;
	k->pid = (pid_t)pid;
	k->pgrp = (pid_t)pgrp;
	return true;
}

/* True when /proc shows this process under its own pid (not another PID namespace's /proc). */
static bool proc_is_ours(pid_t self)
{
	char link[32], want[32], *e = put_ulong(want, (unsigned long)self);
	ssize_t n = readlink("/proc/self", link, sizeof(link));

	return n == e - want && memcmp(link, want, (size_t)n) == 0;
}

/*
 * Call fn for each process whose parent is this one.  Returns the sum of
 * what fn returned, or -1 when /proc cannot tell.
 */
static int each_child(int (*fn)(const struct kid *k, void *arg), void *arg)
{
	union {
		char b[4096];
		uint64_t align;
	} d;
	pid_t self = getpid();
	int dfd, sum = 0;
	long got;

	if (!proc_is_ours(self) || (dfd = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		return -1;
	while ((got = syscall(SYS_getdents64, dfd, d.b, sizeof(d.b))) > 0) {
		for (long off = 0; off < got;) {
			/* struct linux_dirent64: ino (8), off (8), reclen (2), type (1), name */
			unsigned short reclen;
			struct kid k;

			memcpy(&reclen, d.b + off + 16, sizeof(reclen));
			if (reclen == 0)
				break;
			if (read_kid(d.b + off + 19, self, &k))
				sum += fn(&k, arg);
			off += reclen;
		}
	}
	close(dfd);
	return sum;
}

static double mono_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void nap_ms(long ms)
{
	struct timespec ts = { 0, ms * 1000000L };

	nanosleep(&ts, NULL);
}

/* SIGKILL a child that still runs; returns 1 for it, 0 for a zombie. */
static int kill_kid(const struct kid *k, void *arg)
{
	(void)arg;
	if (k->state == 'Z' || k->state == 'X')
		return 0;
	kill(k->pid, SIGKILL);
	return 1;
}

void msp_exec_kill_descendants(void)
{
	double stop = mono_now() + 0.3;

	/*
	 * As the subreaper we inherit every orphan below us, so "all
	 * descendants" is "all children", again and again as each killed
	 * one hands its own children up to us.
	 */
	while (each_child(kill_kid, NULL) > 0 && mono_now() < stop)
		nap_ms(1);
}

/*
 * An orphan left by a job: a child of ours outside our own process group
 * (the jobs lead groups of their own; a worker forked without exec stays in
 * ours).  Kill it, reap it once it is a zombie; returns 1 for each found.
 */
static int sweep_kid(const struct kid *k, void *arg)
{
	int status;

	if (k->pgrp == *(const pid_t *)arg)
		return 0;
	if (k->state == 'Z' || k->state == 'X')
		waitpid(k->pid, &status, WNOHANG);
	else
		kill(k->pid, SIGKILL);
	return 1;
}

/* Kill and reap every orphan our jobs left behind (called when no job runs). */
static void sweep_orphans(void)
{
	pid_t pgrp = getpgrp();
	double stop = mono_now() + 2.0;

	while (each_child(sweep_kid, &pgrp) > 0 && mono_now() < stop)
		nap_ms(1);
}

/* Make orphans below us our children, not init's, so that they can be found and ended. */
static void become_subreaper(void)
{
	static bool done;

	if (!done)
		prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
	done = true;
}

void msp_exec_result_release(struct msp_exec_result *r)
{
	msp_buf_release(&r->out);
	msp_buf_release(&r->err);
}

/* Resolve name against the PATH in envp into buf.  0, or -errno. */
static int resolve(const char *name, const char *const envp[], char *buf, size_t len)
{
	const char *path = "/usr/sbin:/usr/bin:/sbin:/bin";

	if (strchr(name, '/')) {
		/* a cut path could name another file (a directory, another program): never run it */
		if ((size_t)snprintf(buf, len, "%s", name) >= len)
			return -ENAMETOOLONG;
		return access(buf, X_OK) == 0 ? 0 : -errno;
	}
	for (size_t i = 0; envp[i]; i++)
		if (strncmp(envp[i], "PATH=", 5) == 0)
			path = envp[i] + 5;
	while (*path) {
		const char *colon = strchr(path, ':');
		size_t dl = colon ? (size_t)(colon - path) : strlen(path);
		struct stat st;

		if (dl > 0 && (size_t)snprintf(buf, len, "%.*s/%s", (int)dl, path, name) < len &&
		    stat(buf, &st) == 0 && S_ISREG(st.st_mode) && access(buf, X_OK) == 0)
			return 0;
		path += dl;
		if (*path == ':')
			path++;
	}
	return -ENOENT;
}

static void close_pair(int p[2])
{
	if (p[0] >= 0)
		close(p[0]);
	if (p[1] >= 0)
		close(p[1]);
	p[0] = p[1] = -1;
}

/* fd itself when it is above 2, else a close-on-exec copy above 2 (-1 on failure). */
static int above_stdio(int fd)
{
	return fd > 2 ? fd : fcntl(fd, F_DUPFD_CLOEXEC, 3);
}

/* Close every descriptor from lo up (close_range where the kernel has it). */
static void close_from(int lo, int hi)
{
	struct rlimit rl;

	if (lo > hi)
		return;
#ifdef SYS_close_range
	if (syscall(SYS_close_range, (unsigned)lo, (unsigned)hi, 0U) == 0)
		return;
#endif
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < (rlim_t)hi)
		hi = (int)rl.rlim_cur;
	else if (hi > 65536)
		hi = 65536;
	for (int fd = lo; fd <= hi; fd++)
		close(fd);
}

/*
 * In the child: exactly fds 0 (/dev/null), 1 and 2 (the pipes) survive
 * the exec, whatever the parent had open; the status pipe (close-on-exec)
 * stays until the exec, to report its errno.  Sources are moved above 2
 * first: a parent started with 0..2 closed gets its pipes there.
 */
__attribute__((noreturn)) static void child_exec(const char *file, const char *const argv[],
						 const char *const envp[], int out_fd, int err_fd, int status_fd)
{
	pid_t parent = getppid();
	sigset_t none;
	int devnull, e;

	setpgid(0, 0);
	/* ended with us even when we are SIGKILLed and cannot kill it ourselves */
	prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
	if (getppid() != parent)
		_exit(127);
	signal(SIGPIPE, SIG_DFL);
	signal(SIGALRM, SIG_DFL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	if ((status_fd = above_stdio(status_fd)) < 0)
		_exit(127);
	devnull = open("/dev/null", O_RDONLY | O_CLOEXEC);
	if (devnull < 0 || (devnull = above_stdio(devnull)) < 0 || (out_fd = above_stdio(out_fd)) < 0 ||
	    (err_fd = above_stdio(err_fd)) < 0)
		goto fail;
	/* dup2 to another number clears close-on-exec on the copy */
	if (dup2(devnull, 0) < 0 || dup2(out_fd, 1) < 0 || dup2(err_fd, 2) < 0)
		goto fail;
	close_from(3, status_fd - 1);
	close_from(status_fd + 1, INT_MAX);
	{
		/* execve's prototype predates const; the strings are not modified. */
		union {
			const char *const *c;
			char *const *m;
		} a = { .c = argv }, env = { .c = envp };

		execve(file, a.m, env.m);
	}
fail:
	e = errno;
	if (write(status_fd, &e, sizeof(e)) < 0)
		_exit(127);
	_exit(127);
}

/* Read what is ready on fd into b (dropping what passes its ceiling). Returns 0 at EOF, 1 otherwise. */
static int drain(int fd, struct msp_buf *b)
{
	char chunk[8192];
	ssize_t n = read(fd, chunk, sizeof(chunk));

	if (n < 0)
		return errno == EINTR || errno == EAGAIN ? 1 : 0;
	if (n == 0)
		return 0;
	msp_buf_add(b, chunk, (size_t)n);
	return 1;
}

static void kill_group(pid_t pid, int sig)
{
	if (kill(-pid, sig) < 0)
		kill(pid, sig);
}

struct msp_exec_job {
	pid_t pid;            /* 0 when never started */
	int fd_out, fd_err;   /* -1 once closed or abandoned */
	struct timespec deadline, kill_by;
	bool killed, done, lost;
	int wait_errno;
	char *name;           /* argv[0], for messages */
	struct msp_exec_result res;
};

bool msp_exec_done(const struct msp_exec_job *job)
{
	return job->done;
}

long msp_exec_pid(const struct msp_exec_job *job)
{
	return (long)job->pid;
}

static void job_close_pipes(struct msp_exec_job *job)
{
	if (job->fd_out >= 0)
		close(job->fd_out);
	if (job->fd_err >= 0)
		close(job->fd_err);
	job->fd_out = job->fd_err = -1;
}

/* The child was reaped (or cannot be): record how it ended and sweep its group and orphans. */
static void job_reaped(struct msp_exec_job *job, int status)
{
	kill(-job->pid, SIGKILL); /* leftovers of the group (grandchildren) go too */
	msp_timeout_untrack_child(job->pid);
	job_close_pipes(job);
	job->done = true;
	if (g_live_jobs > 0 && --g_live_jobs == 0)
		sweep_orphans(); /* the last job: nothing it or the others started may outlive it */
	if (job->lost)
		return;
	if (WIFEXITED(status)) {
		job->res.exited = true;
		job->res.exit_code = WEXITSTATUS(status);
	} else if (WIFSIGNALED(status)) {
		job->res.signal = WTERMSIG(status);
	}
}

/*
 * Enforce the job's deadline and reap it once its pipes are closed.  Never
 * blocks, except for the short wait on a child that was just SIGKILLed.
 * Returns true when the job became done.
 */
static bool job_tick(struct msp_exec_job *job)
{
	bool pipes_open = job->fd_out >= 0 || job->fd_err >= 0;
	int status = 0;
	pid_t w;

	if (job->done)
		return false;
	if (!job->killed && msp_deadline_passed(&job->deadline)) {
		job->res.timed_out = true;
		kill_group(job->pid, SIGTERM);
		job->killed = true;
		job->kill_by = msp_deadline_in(1.0);
	}
	if (pipes_open && job->killed && msp_deadline_passed(&job->kill_by))
		job_close_pipes(job); /* the child ignores TERM or a grandchild holds the pipe */
	if (job->fd_out >= 0 || job->fd_err >= 0)
		return false;
	while ((w = waitpid(job->pid, &status, WNOHANG)) < 0 && errno == EINTR)
		;
	if (w < 0) {
		/* Someone else took the status (SIGCHLD ignored?): never report a made-up exit 0. */
		job->lost = true;
		job->wait_errno = errno;
		job_reaped(job, 0);
		return true;
	}
	if (w == job->pid) {
		job_reaped(job, status);
		return true;
	}
	if (job->killed && msp_deadline_passed(&job->kill_by)) {
		kill_group(job->pid, SIGKILL);
		while ((w = waitpid(job->pid, &status, 0)) < 0 && errno == EINTR)
			;
		if (w != job->pid) {
			job->lost = true;
			job->wait_errno = w < 0 ? errno : ECHILD;
		}
		job_reaped(job, status);
		return true;
	}
	return false;
}

/* Milliseconds until the job needs attention again without I/O (-1: only on I/O). */
static int job_wait_ms(const struct msp_exec_job *job)
{
	int ms = msp_deadline_ms_left(job->killed ? &job->kill_by : &job->deadline);

	if (job->fd_out < 0 && job->fd_err < 0 && ms > 2)
		ms = 2; /* pipes closed, not reaped yet: it is exiting, look again soon */
	return ms;
}

/*
 * Fork and exec the resolved program file for job (its own process group,
 * tracked for the timeout), then hand job the read ends of stdout and
 * stderr.  An exec failure in the child is reported through a status pipe
 * into job->res.  0 or MSP_E*.
 */
static int spawn(struct msp_exec_job *job, const char *file, const char *const argv[], const char *const envp[],
		 struct msp_error *err)
{
	int po[2] = { -1, -1 }, pe[2] = { -1, -1 }, ps[2] = { -1, -1 };
	pid_t pid;
	int r = 0, e = 0;

	become_subreaper();
	if (pipe2(po, O_CLOEXEC) < 0 || pipe2(pe, O_CLOEXEC) < 0 || pipe2(ps, O_CLOEXEC) < 0) {
		r = msp_error_errno(err, errno, "cannot create a pipe to run '%s'", argv[0]);
		goto out;
	}
	pid = fork();
	if (pid < 0) {
		r = msp_error_errno(err, errno, "cannot fork to run '%s'", argv[0]);
		goto out;
	}
	if (pid == 0)
		child_exec(file, argv, envp, po[1], pe[1], ps[1]);
	setpgid(pid, pid); /* also in the parent, so the group exists before any kill */
	if (msp_timeout_track_child(pid) < 0) {
		/* a child the timeout could not kill must not run */
		kill(-pid, SIGKILL);
		kill(pid, SIGKILL);
		while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
			;
		r = msp_error_set(err, MSP_ETOOBIG, "cannot run '%s': too many child processes at once", argv[0]);
		goto out;
	}
	job->pid = pid;
	g_live_jobs++;
	close(po[1]);
	close(pe[1]);
	close(ps[1]);
	po[1] = pe[1] = ps[1] = -1;
	/* The status pipe closes on exec (O_CLOEXEC) or carries the exec errno. */
	if (read(ps[0], &e, sizeof(e)) == (ssize_t)sizeof(e)) {
		job->res.exec_failed = true;
		job->res.errno_exec = e;
	}
	fcntl(po[0], F_SETFL, O_NONBLOCK);
	fcntl(pe[0], F_SETFL, O_NONBLOCK);
	job->fd_out = po[0];
	job->fd_err = pe[0];
	po[0] = pe[0] = -1;
out:
	close_pair(po);
	close_pair(pe);
	close_pair(ps);
	return r;
}

int msp_exec_start(const char *const argv[], const char *const envp[], const struct timespec *deadline,
		   size_t out_max, size_t err_max, struct msp_exec_job **ret_job, struct msp_error *err)
{
	struct msp_exec_job *job = NULL;
	char file[PATH_MAX];
	int r;

	if (!envp)
		envp = default_env;
	if (!argv || !argv[0])
		return msp_error_set(err, MSP_EINVAL, "no program to run");
	job = calloc(1, sizeof(*job));
	if (!job || !(job->name = strdup(argv[0]))) {
		r = msp_error_set(err, MSP_ENOMEM, "out of memory");
		goto out;
	}
	job->fd_out = job->fd_err = -1;
	job->deadline = *deadline;
	msp_buf_init(&job->res.out, out_max);
	msp_buf_init(&job->res.err, err_max);
	r = resolve(argv[0], envp, file, sizeof(file));
	if (r < 0) {
		job->res.exec_failed = true;
		job->res.errno_exec = -r;
		job->done = true;
	} else if ((r = spawn(job, file, argv, envp, err)) < 0) {
		goto out;
	}
	*ret_job = job;
	return 0;
out:
	if (job) {
		msp_exec_result_release(&job->res);
		free(job->name);
		free(job);
	}
	return r;
}

/* Add the open pipes of the jobs to fds (owner[i] says whose); returns the count. */
static nfds_t poll_set(struct msp_exec_job *const jobs[], size_t n, struct pollfd *fds, struct msp_exec_job **owner)
{
	nfds_t k = 0;

	for (size_t i = 0; i < n; i++) {
		if (!jobs[i] || jobs[i]->done)
			continue;
		if (jobs[i]->fd_out >= 0) {
			owner[k] = jobs[i];
			fds[k++] = (struct pollfd){ .fd = jobs[i]->fd_out, .events = POLLIN };
		}
		if (jobs[i]->fd_err >= 0) {
			owner[k] = jobs[i];
			fds[k++] = (struct pollfd){ .fd = jobs[i]->fd_err, .events = POLLIN };
		}
	}
	return k;
}

/* One round: tick every job; returns the number not done and whether one finished. */
static size_t tick_all(struct msp_exec_job *const jobs[], size_t n, bool *finished, int *wait_ms)
{
	size_t pending = 0;

	*wait_ms = -1;
	for (size_t i = 0; i < n; i++) {
		int ms;

		if (!jobs[i] || jobs[i]->done)
			continue;
		if (job_tick(jobs[i])) {
			*finished = true;
			continue;
		}
		pending++;
		ms = job_wait_ms(jobs[i]);
		if (*wait_ms < 0 || ms < *wait_ms)
			*wait_ms = ms;
	}
	return pending;
}

size_t msp_exec_poll(struct msp_exec_job *const jobs[], size_t n, const struct timespec *until)
{
	struct pollfd *fds = calloc(2 * n + 1, sizeof(*fds));
	struct msp_exec_job **owner = calloc(2 * n + 1, sizeof(*owner));
	bool finished = false;
	size_t pending;

	for (;;) {
		int wait_ms, r;
		nfds_t k;

		pending = tick_all(jobs, n, &finished, &wait_ms);
		if (finished || pending == 0 || (until && msp_deadline_passed(until)))
			break;
		if (until && (wait_ms < 0 || msp_deadline_ms_left(until) < wait_ms))
			wait_ms = msp_deadline_ms_left(until);
		if (!fds || !owner) {
			usleep(2000); /* out of memory: keep the deadlines, read nothing this round */
			continue;
		}
		k = poll_set(jobs, n, fds, owner);
		r = poll(fds, k, wait_ms);
		for (nfds_t i = 0; r > 0 && i < k; i++) {
			struct msp_exec_job *j = owner[i];

			if (!(fds[i].revents & (POLLIN | POLLHUP | POLLERR)))
				continue;
			if (fds[i].fd == j->fd_out && !drain(j->fd_out, &j->res.out)) {
				close(j->fd_out);
				j->fd_out = -1;
			} else if (fds[i].fd == j->fd_err && !drain(j->fd_err, &j->res.err)) {
				close(j->fd_err);
				j->fd_err = -1;
			}
		}
	}
	free(fds);
	free(owner);
	return pending;
}

int msp_exec_finish(struct msp_exec_job *job, struct msp_exec_result *ret, struct msp_error *err)
{
	int r = 0;

	while (!job->done)
		msp_exec_poll(&job, 1, NULL);
	*ret = job->res;
	memset(&job->res, 0, sizeof(job->res));
	if (job->lost) {
		r = msp_error_errno(err, job->wait_errno, "cannot collect the exit status of '%s'", job->name);
		msp_exec_result_release(ret);
		memset(ret, 0, sizeof(*ret));
	}
	free(job->name);
	free(job);
	return r;
}

void msp_exec_free(struct msp_exec_job *job)
{
	if (!job)
		return;
	if (!job->done && job->pid > 0) {
		int status;

		kill_group(job->pid, SIGKILL);
		while (waitpid(job->pid, &status, 0) < 0 && errno == EINTR)
			;
		kill(-job->pid, SIGKILL);
		msp_timeout_untrack_child(job->pid);
		if (g_live_jobs > 0 && --g_live_jobs == 0)
			sweep_orphans();
	}
	job_close_pipes(job);
	msp_exec_result_release(&job->res);
	free(job->name);
	free(job);
}

int msp_exec_run(const char *const argv[], const char *const envp[], const struct timespec *deadline,
		 size_t out_max, size_t err_max, struct msp_exec_result *ret, struct msp_error *err)
{
	struct msp_exec_job *job = NULL;
	int r;

	memset(ret, 0, sizeof(*ret));
	msp_buf_init(&ret->out, out_max);
	msp_buf_init(&ret->err, err_max);
	r = msp_exec_start(argv, envp, deadline, out_max, err_max, &job, err);
	if (r < 0)
		return r;
	r = msp_exec_finish(job, ret, err);
	if (r < 0) {
		msp_buf_init(&ret->out, out_max);
		msp_buf_init(&ret->err, err_max);
	}
	return r;
}
