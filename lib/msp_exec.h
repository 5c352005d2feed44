/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * msp_exec.h - run a tool without a shell.
 *
 * The child gets argv exactly as given (execve, no shell), the environment
 * envp (NULL = a minimal clean one: PATH=/usr/sbin:/usr/bin:/sbin:/bin,
 * LC_ALL=C), stdin from /dev/null, and its own process group.  It gets
 * exactly the descriptors 0, 1 and 2, nothing else this process has open.
 * stdout and stderr are read into separate buffers, each capped; the child
 * is killed (SIGTERM to its group, SIGKILL shortly after) when the deadline
 * passes.  The timeout handler of the runner also kills it
 * (msp_timeout_track_child, msp_exec_kill_descendants).
 *
 * Nothing a child starts outlives it: the process becomes a subreaper
 * (PR_SET_CHILD_SUBREAPER) at the first start, so orphans below it (a
 * daemon that called setsid, a double fork) become its children; when the
 * last running job has been reaped, every such orphan (a child outside our
 * own process group) is killed and reaped.
 *
 * Two ways to use it: msp_exec_run() runs one tool to its end; the
 * asynchronous calls (msp_exec_start, msp_exec_poll, msp_exec_finish) run
 * several at once, each with its own deadline, from one thread and one
 * poll() loop.  msp_exec_run() is msp_exec_start() + msp_exec_finish().
 */
#ifndef MSP_EXEC_H
#define MSP_EXEC_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "msp_buf.h"
#include "msp_error.h"

struct msp_exec_result {
	struct msp_buf out;  /* stdout, capped; owned */
	struct msp_buf err;  /* stderr, capped; owned */
	bool exited;         /* exited normally: exit_code valid */
	int exit_code;
	int signal;          /* terminating signal when !exited */
	bool timed_out;      /* killed because the deadline passed */
	bool exec_failed;    /* the program could not be started (errno_exec) */
	int errno_exec;
};

/* Free the buffers (accepts a zeroed struct). */
void msp_exec_result_release(struct msp_exec_result *r);

/*
 * Run argv[0] (a path; with no '/' it is searched in envp's PATH).
 * out_max/err_max cap the captured bytes (more is read and dropped, with
 * the buffer's `truncated` set).  Returns 0 when the child ran (see
 * *ret for how it ended, including exec failure and timeout), or MSP_E* when
 * it could not be set up (pipe, fork) or its exit status could not be
 * collected (SIGCHLD ignored by the process); then ret holds no output.
 * ret is initialised by the call.
 */
int msp_exec_run(const char *const argv[], const char *const envp[], const struct timespec *deadline,
		 size_t out_max, size_t err_max, struct msp_exec_result *ret, struct msp_error *err);


/*
 * The asynchronous API.  A job is one started child; it is "done" once its
 * pipes are closed (or abandoned after a kill) and it has been reaped.
 *
 *   struct msp_exec_job *job[N];
 *   for each i: msp_exec_start(argv_i, NULL, &deadline_i, ..., &job[i], err)
 *   while (msp_exec_poll(job, N, NULL) > 0)
 *           ;                             (or do other work between polls)
 *   for each i: msp_exec_finish(job[i], &result[i], err)   (frees the job)
 *
 * Deadlines are enforced by msp_exec_poll() (and msp_exec_finish(), which
 * polls the one job until it is done): SIGTERM to the child's process group
 * when its deadline passes, SIGKILL one second later, and SIGKILL to what is
 * left of the group once the child is reaped.  A job whose program cannot be
 * started (not found, not executable) is done at once with exec_failed set.
 * Jobs are not thread-safe; use them from one thread.
 */
struct msp_exec_job;

/*
 * Start argv as msp_exec_run() would and return the running job in
 * *ret_job (the caller frees it with msp_exec_finish() or msp_exec_free()).
 * deadline is copied.  Returns 0, MSP_EINVAL (no program), or MSP_E* when
 * a pipe or fork failed (then *ret_job is untouched).
 */
int msp_exec_start(const char *const argv[], const char *const envp[], const struct timespec *deadline,
		   size_t out_max, size_t err_max, struct msp_exec_job **ret_job, struct msp_error *err);

/*
 * Make progress on the jobs in jobs[0..n) (NULL entries and done jobs are
 * skipped): read their output, enforce their deadlines, reap them.  Blocks
 * until at least one job becomes done, until `until` passes (NULL: no
 * limit of its own) or until all are done, whichever is first.  Returns the
 * number of jobs not done yet.
 */
size_t msp_exec_poll(struct msp_exec_job *const jobs[], size_t n, const struct timespec *until);

/* True once the job has ended and been reaped (or could not be started). */
bool msp_exec_done(const struct msp_exec_job *job);

/* The child's pid (0 when it was never started); for tests and -v output. */
long msp_exec_pid(const struct msp_exec_job *job);

/*
 * Wait for the job to be done (enforcing its deadline), move its result
 * into *ret (initialised by the call; the caller releases it) and free the
 * job.  Returns 0, or MSP_ESYS when the exit status could not be collected
 * (SIGCHLD ignored by the process; then ret holds no output).  The job is
 * freed in both cases.
 */
int msp_exec_finish(struct msp_exec_job *job, struct msp_exec_result *ret, struct msp_error *err);

/*
 * Kill a job that is still running (SIGKILL to its process group), reap it
 * and free it, dropping its output.  Accepts NULL.
 */
void msp_exec_free(struct msp_exec_job *job);

/*
 * Kill every descendant of this process: the children, and, as each one
 * dies, the orphans it hands up (a process that runs tools becomes their
 * subreaper in msp_exec_start(), so every orphan below it becomes its
 * child, also one that called setsid or was double-forked).  Zombies are
 * left for the caller.  Async-signal-safe (open/getdents64/read/kill
 * only): the runner's timeout and signal handlers call it.  Gives up
 * after 0.3 s, or at once when /proc is missing or shows another PID
 * namespace.
 */
void msp_exec_kill_descendants(void);

#endif
