/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * msp_runtime.c - the runner's process-wide state and everything that runs
 * in signal context: the timeout alarm, fatal and terminating signals, the
 * one-line emergency result they print, the step name and the children the
 * timeout kills (see msp_runtime.h).  Only async-signal-safe calls below
 * the "async-safe output" line.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <sys/types.h>
#include <unistd.h>

#include "msp_exec.h"
#include "msp_plugin.h"
#include "msp_runtime.h"
#include "msp_time.h"
#include "banned.h"

#define MAX_CHILDREN MSP_TIMEOUT_CHILDREN_MAX
#define STEP_MAX 256

/* State shared with the signal handlers: plain data only. */
const char *msp_g_service = "CHECK";
const char *msp_g_plugin = "check";
volatile sig_atomic_t msp_g_timeout_state = MSP_STATE_UNKNOWN;
volatile sig_atomic_t msp_g_format = MSP_FORMAT_NAGIOS;
char msp_g_prom_labels[MSP_PROM_LABELS_MAX];
static volatile sig_atomic_t g_timeout = 10;
static char g_step[STEP_MAX] = "starting";
double msp_g_start; /* msp_time_mono() when msp_main() began */
static volatile pid_t g_children[MAX_CHILDREN];

void msp_step(const char *fmt, ...)
{
	char tmp[STEP_MAX];
	va_list ap;
	sigset_t set, old;

	va_start(ap, fmt);
	vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	/* Block the alarm while the step text changes, so the handler never sees half of it. */
	sigemptyset(&set);
	sigaddset(&set, SIGALRM);
	sigprocmask(SIG_BLOCK, &set, &old);
	memcpy(g_step, tmp, sizeof(g_step));
	sigprocmask(SIG_SETMASK, &old, NULL);
}

const char *msp_step_current(char *buf, size_t size)
{
	sigset_t set, old;

	if (!buf || size == 0)
		return "";
	sigemptyset(&set);
	sigaddset(&set, SIGALRM);
	sigprocmask(SIG_BLOCK, &set, &old);
	snprintf(buf, size, "%s", g_step);
	sigprocmask(SIG_SETMASK, &old, NULL);
	return buf;
}

int msp_timeout_track_child(pid_t pid)
{
	for (int i = 0; i < MAX_CHILDREN; i++) {
		if (g_children[i] == 0) {
			g_children[i] = pid;
			return 0;
		}
	}
	return MSP_ETOOBIG;
}

void msp_timeout_untrack_child(pid_t pid)
{
	for (int i = 0; i < MAX_CHILDREN; i++)
		if (g_children[i] == pid)
			g_children[i] = 0;
}

/* ---------------------------------------------------- async-safe output */

#define EMERG_TEXT_MAX 512 /* bytes of cleaned message text */

struct sbuf {
	char d[4096]; /* fits every format around EMERG_TEXT_MAX bytes of text, escaped */
	size_t n;
};

static void sb_add(struct sbuf *b, const char *s)
{
	while (*s && b->n < sizeof(b->d) - 1)
		b->d[b->n++] = *s++;
}

/* Append the cleaned text s (no more than max bytes in b, cut at a character), as summaries are cleaned. */
static void sb_add_text(struct sbuf *b, const char *s, size_t max, char *prev)
{
	size_t n = strlen(s);

	while (n > 0) {
		char out[4];
		size_t ol, l = msp_text_clean_char(s, n, *prev, out, &ol);

		if (b->n + ol > max)
			return;
		for (size_t i = 0; i < ol; i++)
			b->d[b->n++] = out[i];
		*prev = s[l - 1];
		s += l;
		n -= l;
	}
}

/* Append s (already cleaned: no control characters) as JSON or prometheus string content. */
static void sb_add_escaped(struct sbuf *b, const char *s)
{
	for (; *s && b->n < sizeof(b->d) - 3; s++) {
		if (*s == '"' || *s == '\\')
			b->d[b->n++] = '\\';
		b->d[b->n++] = *s;
	}
}

static void sb_add_uint(struct sbuf *b, unsigned v)
{
	char tmp[16];
	int i = 0;

	do {
		tmp[i++] = (char)('0' + v % 10);
		v /= 10;
	} while (v && i < 15);
	while (i > 0 && b->n < sizeof(b->d) - 1)
		b->d[b->n++] = tmp[--i];
}

/* Write all of p to fd; false when any of it could not be written. */
bool msp_rt_write_all(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return false;
		p += w;
		n -= (size_t)w;
	}
	return true;
}

/* Write out to stdout and _exit with state, or with UNKNOWN when stdout took less than all of it. */
__attribute__((noreturn)) void msp_rt_write_and_exit(const char *out, size_t n, int state)
{
	if (n == 0 || !msp_rt_write_all(1, out, n))
		_exit(MSP_STATE_UNKNOWN);
	_exit(state & 3);
}

/* Print a one-line result from a signal handler and _exit with state. */
__attribute__((noreturn)) void msp_rt_emergency_exit(int state, const char *what, const char *detail)
{
	static const char *const names[] = { "OK", "WARNING", "CRITICAL", "UNKNOWN" };
	struct sbuf text = { .n = 0 };
	struct sbuf b = { .n = 0 };
	const char *name = names[state & 3];
	char prev = '\0';

	/* The message once, cleaned as render cleans a summary; formats escape it where they must. */
	sb_add_text(&text, what, EMERG_TEXT_MAX, &prev);
	sb_add_text(&text, detail, EMERG_TEXT_MAX, &prev);
	text.d[text.n] = '\0';
	if (msp_g_format == MSP_FORMAT_JSON) {
		sb_add(&b, "{\"version\":1,\"plugin\":\"");
		sb_add_escaped(&b, msp_g_plugin);
		sb_add(&b, "\",\"service\":\"");
		sb_add_escaped(&b, msp_g_service);
		sb_add(&b, "\",\"state\":\"");
		sb_add(&b, name);
		sb_add(&b, "\",\"exit_code\":");
		sb_add_uint(&b, (unsigned)(state & 3));
		sb_add(&b, ",\"summary\":\"");
		sb_add_escaped(&b, text.d);
		sb_add(&b, "\",\"checks\":[],\"perfdata\":[]}");
	} else if (msp_g_format == MSP_FORMAT_PROMETHEUS) {
		sb_add(&b, MSP_PROM_STATE_HEAD "msp_check_state{plugin=\"");
		sb_add_escaped(&b, msp_g_plugin);
		sb_add(&b, msp_g_prom_labels[0] ? "\"," : "\"");
		sb_add(&b, msp_g_prom_labels); /* already exposition text */
		sb_add(&b, "} ");
		sb_add_uint(&b, (unsigned)(state & 3));
	} else {
		if (msp_g_format == MSP_FORMAT_MULTILINE) {
			sb_add(&b, "[");
			sb_add(&b, name);
			sb_add(&b, "] - ");
		} else {
			sb_add(&b, msp_g_service);
			sb_add(&b, " ");
			sb_add(&b, name);
			sb_add(&b, " - ");
		}
		sb_add(&b, text.d);
	}
	b.d[b.n++] = '\n';
	msp_rt_write_and_exit(b.d, b.n, state);
}

void msp_rt_kill_children(void)
{
	for (int i = 0; i < MAX_CHILDREN; i++) {
		pid_t p = g_children[i];

		if (p > 0) {
			kill(-p, SIGKILL);
			kill(p, SIGKILL);
		}
	}
	msp_exec_kill_descendants(); /* orphans that left the groups (setsid, double fork) */
}

static void on_alarm(int sig)
{
	struct sbuf m = { .n = 0 };

	(void)sig;
	msp_rt_kill_children();
	sb_add(&m, "timed out after ");
	sb_add_uint(&m, (unsigned)g_timeout);
	sb_add(&m, " s while ");
	m.d[m.n] = '\0';
	msp_rt_emergency_exit(msp_g_timeout_state, m.d, g_step);
}

/*
 * (Re-)arm the deadline: secs seconds from the start of msp_main(), so a
 * -t given late still counts the time spent before it.  A deadline
 * already passed fires at once.
 */
void msp_rt_arm_deadline(unsigned secs)
{
	double left = msp_g_start + secs - msp_time_mono();
	struct itimerval it;

	if (left < 0.001)
		left = 0.001;
	memset(&it, 0, sizeof(it));
	it.it_value.tv_sec = (time_t)left;
	it.it_value.tv_usec = (suseconds_t)((left - (double)it.it_value.tv_sec) * 1e6);
	g_timeout = (sig_atomic_t)secs;
	setitimer(ITIMER_REAL, &it, NULL);
}

void msp_rt_disarm_deadline(void)
{
	struct itimerval it;

	memset(&it, 0, sizeof(it));
	setitimer(ITIMER_REAL, &it, NULL);
}

/*
 * A closed stdin, stdout or stderr would be handed to the next open() (an
 * ini file, a state file) and our output would go there.  Fill the hole
 * with /dev/null; stdout read-only, so writing the result fails and the
 * run ends in exit 3.
 */
void msp_rt_plug_std_fds(void)
{
	for (int fd = 0; fd <= 2; fd++) {
		int nfd;

		if (fcntl(fd, F_GETFD) >= 0 || errno != EBADF)
			continue;
		nfd = open("/dev/null", fd == 2 ? O_WRONLY : O_RDONLY);
		if (nfd >= 0 && nfd != fd) {
			dup2(nfd, fd);
			close(nfd);
		}
	}
}

static void on_fatal(int sig)
{
	msp_rt_kill_children();
	msp_rt_emergency_exit(MSP_STATE_UNKNOWN, "internal error, caught signal ", sig == SIGSEGV ? "SIGSEGV"
								       : sig == SIGBUS ? "SIGBUS"
								       : sig == SIGFPE ? "SIGFPE"
								       : sig == SIGILL ? "SIGILL"
										       : "SIGABRT");
}

static void on_term(int sig)
{
	msp_rt_kill_children();
	msp_rt_emergency_exit(MSP_STATE_UNKNOWN, "interrupted by ", sig == SIGTERM ? "SIGTERM" : sig == SIGINT ? "SIGINT" : "SIGHUP");
}

void msp_rt_install_handlers(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = on_alarm;
	sigaction(SIGALRM, &sa, NULL);
	sa.sa_handler = on_term;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);
#ifndef MSP_SANITIZERS
	/* Under ASan the sanitizer's own report is more useful than ours. */
	sa.sa_handler = on_fatal;
	sa.sa_flags = SA_RESETHAND;
	sigaction(SIGSEGV, &sa, NULL);
	sigaction(SIGBUS, &sa, NULL);
	sigaction(SIGFPE, &sa, NULL);
	sigaction(SIGILL, &sa, NULL);
	sigaction(SIGABRT, &sa, NULL);
#else
	(void)on_fatal;
#endif
}
