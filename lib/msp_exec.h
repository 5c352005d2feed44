/*
 * msp_exec.h - run a tool without a shell.
 *
 * The child gets argv exactly as given (execve, no shell), the environment
 * envp (NULL = a minimal clean one: PATH=/usr/sbin:/usr/bin:/sbin:/bin,
 * LC_ALL=C), stdin from /dev/null, and its own process group.  stdout and
 * stderr are read into separate buffers, each capped; the child is killed
 * (SIGTERM to its group, SIGKILL shortly after) when the deadline passes.
 * The timeout handler of the runner also kills it (msp_timeout_track_child).
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

#endif
