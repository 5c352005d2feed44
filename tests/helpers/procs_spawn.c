/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * procs_spawn - start N idle processes for check_procs's benchmark.
 *
 *   procs_spawn N [STOPPED_EVERY]
 *
 * Forks N children that wait in pause() (every STOPPED_EVERY-th one stops
 * itself with SIGSTOP, so -s T has something to find), prints "ready N" on
 * stdout once all exist, and then waits until stdin reaches end of file or
 * a SIGTERM/SIGINT arrives; then it kills every child and reaps them.
 * Forked children share their parent's pages, so ten thousand of them cost
 * little memory.  Meant to run inside a private PID namespace
 * (unshare -p -f --mount-proc), which the benchmark script arranges.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile sig_atomic_t g_stop;

static void on_signal(int sig)
{
	(void)sig;
	g_stop = 1;
}

static long parse_count(const char *s, long max)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < 0 || v > max)
		return -1;
	return v;
}

int main(int argc, char **argv)
{
	long n, stopped_every = 0, started = 0;
	pid_t *kids;
	struct sigaction sa;
	char buf[64];

	if (argc < 2 || argc > 3 || (n = parse_count(argv[1], 100000)) < 0 ||
	    (argc == 3 && (stopped_every = parse_count(argv[2], 100000)) < 0)) {
		fprintf(stderr, "usage: procs_spawn N [STOPPED_EVERY]\n");
		return 2;
	}
	kids = calloc((size_t)n + 1, sizeof(*kids));
	if (!kids)
		return 1;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	for (long i = 0; i < n && !g_stop; i++) {
		pid_t pid = fork();

		if (pid < 0) {
			fprintf(stderr, "procs_spawn: fork %ld: %s\n", i, strerror(errno));
			break;
		}
		if (pid == 0) {
			signal(SIGTERM, SIG_DFL);
			signal(SIGINT, SIG_DFL);
			if (stopped_every && i % stopped_every == 0)
				raise(SIGSTOP);
			for (;;)
				pause();
		}
		kids[started++] = pid;
	}
	printf("ready %ld\n", started);
	fflush(stdout);
	while (!g_stop && read(0, buf, sizeof(buf)) > 0)
		;
	for (long i = 0; i < started; i++)
		kill(kids[i], SIGKILL);
	for (long i = 0; i < started; i++)
		waitpid(kids[i], NULL, 0);
	free(kids);
	return started == n ? 0 : 1;
}
