/* msp_exec.c - run a tool without a shell (see msp_exec.h). */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "msp_exec.h"
#include "msp_plugin.h"
#include "msp_time.h"
#include "banned.h"

static const char *const default_env[] = { "PATH=/usr/sbin:/usr/bin:/sbin:/bin", "LC_ALL=C", NULL };

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
		snprintf(buf, len, "%s", name);
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

/* In the child: wire up fds and exec; report errno on the status pipe and _exit. */
__attribute__((noreturn)) static void child_exec(const char *file, const char *const argv[],
						 const char *const envp[], int out_fd, int err_fd, int status_fd)
{
	int devnull = open("/dev/null", O_RDONLY);
	int e;

	setpgid(0, 0);
	signal(SIGPIPE, SIG_DFL);
	signal(SIGALRM, SIG_DFL);
	if (devnull < 0 || dup2(devnull, 0) < 0 || dup2(out_fd, 1) < 0 || dup2(err_fd, 2) < 0)
		goto fail;
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

static void kill_group(pid_t pid)
{
	if (kill(-pid, SIGTERM) < 0)
		kill(pid, SIGTERM);
}

int msp_exec_run(const char *const argv[], const char *const envp[], const struct timespec *deadline,
		 size_t out_max, size_t err_max, struct msp_exec_result *ret, struct msp_error *err)
{
	int po[2] = { -1, -1 }, pe[2] = { -1, -1 }, ps[2] = { -1, -1 };
	char file[PATH_MAX];
	pid_t pid;
	int status = 0, r, e = 0, wait_errno = ECHILD;
	bool open_out = true, open_err = true, killed = false, reaped = false;
	struct timespec kill_by = { 0, 0 };

	memset(ret, 0, sizeof(*ret));
	msp_buf_init(&ret->out, out_max);
	msp_buf_init(&ret->err, err_max);
	if (!envp)
		envp = default_env;
	if (!argv || !argv[0])
		return msp_error_set(err, MSP_EINVAL, "no program to run");
	r = resolve(argv[0], envp, file, sizeof(file));
	if (r < 0) {
		ret->exec_failed = true;
		ret->errno_exec = -r;
		return 0;
	}
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
	msp_timeout_track_child(pid);
	close(po[1]);
	close(pe[1]);
	close(ps[1]);
	po[1] = pe[1] = ps[1] = -1;
	if (read(ps[0], &e, sizeof(e)) == (ssize_t)sizeof(e)) {
		ret->exec_failed = true;
		ret->errno_exec = e;
	}
	fcntl(po[0], F_SETFL, O_NONBLOCK);
	fcntl(pe[0], F_SETFL, O_NONBLOCK);

	while (open_out || open_err) {
		struct pollfd fds[2];
		nfds_t n = 0;
		int wait_ms = killed ? msp_deadline_ms_left(&kill_by) : msp_deadline_ms_left(deadline);

		if (open_out)
			fds[n++] = (struct pollfd){ .fd = po[0], .events = POLLIN };
		if (open_err)
			fds[n++] = (struct pollfd){ .fd = pe[0], .events = POLLIN };
		if (wait_ms == 0) {
			if (killed)
				break; /* the child ignores TERM or a grandchild holds the pipe */
			ret->timed_out = true;
			kill_group(pid);
			killed = true;
			kill_by = msp_deadline_in(1.0);
			continue;
		}
		r = poll(fds, n, wait_ms);
		if (r < 0 && errno != EINTR)
			break;
		for (nfds_t i = 0; r > 0 && i < n; i++) {
			if (!(fds[i].revents & (POLLIN | POLLHUP | POLLERR)))
				continue;
			if (fds[i].fd == po[0] && !drain(po[0], &ret->out))
				open_out = false;
			else if (fds[i].fd == pe[0] && !drain(pe[0], &ret->err))
				open_err = false;
		}
	}
	/* The pipes are closed or abandoned: reap the child, by force once the deadline passes. */
	for (;;) {
		pid_t w = waitpid(pid, &status, WNOHANG);

		if (w == pid)
			reaped = true;
		if (w < 0 && errno != EINTR)
			wait_errno = errno;
		if (w == pid || (w < 0 && errno != EINTR))
			break;
		if (!killed && msp_deadline_passed(deadline)) {
			ret->timed_out = true;
			kill_group(pid);
			killed = true;
			kill_by = msp_deadline_in(1.0);
		} else if (killed && msp_deadline_passed(&kill_by)) {
			if (kill(-pid, SIGKILL) < 0)
				kill(pid, SIGKILL);
			while ((w = waitpid(pid, &status, 0)) < 0 && errno == EINTR)
				;
			if (w < 0)
				wait_errno = errno;
			reaped = w == pid;
			break;
		}
		usleep(2000);
	}
	kill(-pid, SIGKILL); /* leftovers of the group (grandchildren) go too */
	msp_timeout_untrack_child(pid);
	if (!reaped) {
		/* Someone else took the status (SIGCHLD ignored?): never report a made-up exit 0. */
		msp_exec_result_release(ret);
		r = msp_error_errno(err, wait_errno, "cannot collect the exit status of '%s'", argv[0]);
		goto out;
	}
	if (WIFEXITED(status)) {
		ret->exited = true;
		ret->exit_code = WEXITSTATUS(status);
	} else if (WIFSIGNALED(status)) {
		ret->signal = WTERMSIG(status);
	}
	r = 0;
out:
	close_pair(po);
	close_pair(pe);
	close_pair(ps);
	return r;
}
