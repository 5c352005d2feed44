/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * msp_plugin.c - option parsing, standard options, timeouts and the runner
 * (see msp_plugin.h).
 *
 * Invariants: nothing but this file writes to stdout, and every path out
 * of msp_main() ends in exit code 0..3: normal rendering, usage errors,
 * --help/--version, the timeout alarm, fatal signals and failed writes.
 * A write to stdout that fails or is short (closed, EBADF, ENOSPC, EPIPE)
 * ends in exit 3 whatever the state: nobody read the result.  The deadline
 * is armed first thing in msp_main() and counts from there, so reading
 * --extra-opts files and parsing options (regcomp) are inside it.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/time.h>
#include <sys/types.h>
#include <unistd.h>

#include "msp_buf.h"
#include "msp_exec.h"
#include "msp_extraopts.h"
#include "msp_num.h"
#include "msp_plugin.h"
#include "msp_time.h"
#include "banned.h"

#define MAX_CHILDREN MSP_TIMEOUT_CHILDREN_MAX

#ifndef MSP_DOCDIR /* Makefile.am passes $(docdir) */
#define MSP_DOCDIR "/usr/local/share/doc/msp-plugins"
#endif
#define STEP_MAX 256

/* Standard option ids live below the plugin's (which are >= 0). */
enum {
	STD_HELP = -100,
	STD_VERSION,
	STD_VERBOSE,
	STD_TIMEOUT,
	STD_TIMEOUT_RESULT,
	STD_OUTPUT_FORMAT,
	STD_EXTRA_OPTS,
	STD_USAGE,
	STD_HELP_MAN,
	STD_PROM_LABEL,
};

static const struct msp_option std_options[] = {
	{ STD_HELP, 'h', "help", MSP_ARG_NONE, NULL, "Print this help and exit (state UNKNOWN, as the guidelines ask)" },
	{ STD_VERSION, 'V', "version", MSP_ARG_NONE, NULL, "Print the version and exit" },
	{ STD_VERBOSE, 'v', "verbose", MSP_ARG_NONE, NULL, "Explain what is done on stderr (repeat for more)" },
	{ STD_TIMEOUT, 't', "timeout", MSP_ARG_REQUIRED, "SECONDS[:STATE]",
	  "End after SECONDS (1..86400) with STATE (default: see below)" },
	{ STD_TIMEOUT_RESULT, 0, "timeout-result", MSP_ARG_REQUIRED, "STATE",
	  "State to report on timeout: OK, WARNING, CRITICAL or UNKNOWN" },
	{ STD_OUTPUT_FORMAT, 0, "output-format", MSP_ARG_REQUIRED, "FORMAT",
	  "nagios (default), multi-line, json, prometheus or table" },
	{ STD_EXTRA_OPTS, 0, "extra-opts", MSP_ARG_OPTIONAL, "[SECTION][@FILE]",
	  "Read options from an ini file (monitoring-plugins compatible)" },
	{ STD_PROM_LABEL, 0, "prometheus-label", MSP_ARG_REQUIRED, "NAME=VALUE",
	  "Label every prometheus sample NAME=\"VALUE\" (repeatable) instead of\n"
	  "args=\"HASH\", a hash of the command line that keeps apart the outputs\n"
	  "of different runs in one node_exporter textfile directory" },
	{ STD_USAGE, 0, "usage", MSP_ARG_NONE, NULL, NULL },
	/* The manual page, generated at build time from the same table as --help. */
	{ STD_HELP_MAN, 0, "help-man", MSP_ARG_NONE, NULL, NULL },
	MSP_OPTION_END,
};

/* State shared with the signal handlers: plain data only. */
static const char *g_service = "CHECK";
static const char *g_plugin = "check";
static volatile sig_atomic_t g_timeout_state = MSP_STATE_UNKNOWN;
static volatile sig_atomic_t g_format = MSP_FORMAT_NAGIOS;
/* The labels after plugin="..." in every prometheus sample, the timeout's too: name="value",... */
#define PROM_LABELS_MAX 1024
static char g_prom_labels[PROM_LABELS_MAX];
static volatile sig_atomic_t g_timeout = 10;
static char g_step[STEP_MAX] = "starting";
static double g_start; /* msp_time_mono() when msp_main() began */
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

void msp_verbose(const struct msp_context *ctx, int level, const char *fmt, ...)
{
	va_list ap;

	if (!ctx || ctx->verbose < level)
		return;
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
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
static bool write_all(int fd, const char *p, size_t n)
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
__attribute__((noreturn)) static void write_and_exit(const char *out, size_t n, int state)
{
	if (n == 0 || !write_all(1, out, n))
		_exit(MSP_STATE_UNKNOWN);
	_exit(state & 3);
}

/* Print a one-line result from a signal handler and _exit with state. */
__attribute__((noreturn)) static void emergency_exit(int state, const char *what, const char *detail)
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
	if (g_format == MSP_FORMAT_JSON) {
		sb_add(&b, "{\"version\":1,\"plugin\":\"");
		sb_add_escaped(&b, g_plugin);
		sb_add(&b, "\",\"service\":\"");
		sb_add_escaped(&b, g_service);
		sb_add(&b, "\",\"state\":\"");
		sb_add(&b, name);
		sb_add(&b, "\",\"exit_code\":");
		sb_add_uint(&b, (unsigned)(state & 3));
		sb_add(&b, ",\"summary\":\"");
		sb_add_escaped(&b, text.d);
		sb_add(&b, "\",\"checks\":[],\"perfdata\":[]}");
	} else if (g_format == MSP_FORMAT_PROMETHEUS) {
		sb_add(&b, MSP_PROM_STATE_HEAD "msp_check_state{plugin=\"");
		sb_add_escaped(&b, g_plugin);
		sb_add(&b, g_prom_labels[0] ? "\"," : "\"");
		sb_add(&b, g_prom_labels); /* already exposition text */
		sb_add(&b, "} ");
		sb_add_uint(&b, (unsigned)(state & 3));
	} else {
		if (g_format == MSP_FORMAT_MULTILINE) {
			sb_add(&b, "[");
			sb_add(&b, name);
			sb_add(&b, "] - ");
		} else {
			sb_add(&b, g_service);
			sb_add(&b, " ");
			sb_add(&b, name);
			sb_add(&b, " - ");
		}
		sb_add(&b, text.d);
	}
	b.d[b.n++] = '\n';
	write_and_exit(b.d, b.n, state);
}

static void kill_children(void)
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
	kill_children();
	sb_add(&m, "timed out after ");
	sb_add_uint(&m, (unsigned)g_timeout);
	sb_add(&m, " s while ");
	m.d[m.n] = '\0';
	emergency_exit(g_timeout_state, m.d, g_step);
}

/*
 * (Re-)arm the deadline: secs seconds from the start of msp_main(), so a
 * -t given late still counts the time spent before it.  A deadline
 * already passed fires at once.
 */
static void arm_deadline(unsigned secs)
{
	double left = g_start + secs - msp_time_mono();
	struct itimerval it;

	if (left < 0.001)
		left = 0.001;
	memset(&it, 0, sizeof(it));
	it.it_value.tv_sec = (time_t)left;
	it.it_value.tv_usec = (suseconds_t)((left - (double)it.it_value.tv_sec) * 1e6);
	g_timeout = (sig_atomic_t)secs;
	setitimer(ITIMER_REAL, &it, NULL);
}

static void disarm_deadline(void)
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
static void plug_std_fds(void)
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
	kill_children();
	emergency_exit(MSP_STATE_UNKNOWN, "internal error, caught signal ", sig == SIGSEGV ? "SIGSEGV"
								       : sig == SIGBUS ? "SIGBUS"
								       : sig == SIGFPE ? "SIGFPE"
								       : sig == SIGILL ? "SIGILL"
										       : "SIGABRT");
}

static void on_term(int sig)
{
	kill_children();
	emergency_exit(MSP_STATE_UNKNOWN, "interrupted by ", sig == SIGTERM ? "SIGTERM" : sig == SIGINT ? "SIGINT" : "SIGHUP");
}

static void install_handlers(void)
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

/* --------------------------------------------------------------- output */

__attribute__((noreturn)) static void finish(struct msp_result *root, enum msp_format fmt, const char *plugin,
					     const char *service)
{
	struct msp_buf out;
	enum msp_state st;
	int r;

	disarm_deadline();
	msp_buf_init(&out, MSP_OUTPUT_MAX + 4096);
	st = msp_result_state(root);
	/* colour only for a person: the table on a terminal, unless NO_COLOR (no-color.org) or TERM=dumb */
	if (fmt == MSP_FORMAT_TABLE && msp_color_wanted(isatty(1), getenv("NO_COLOR"), getenv("TERM")))
		r = msp_render_colored(root, fmt, plugin, service, &out);
	else if (fmt == MSP_FORMAT_PROMETHEUS)
		r = msp_render_prometheus(root, plugin, g_prom_labels, &out);
	else
		r = msp_render(root, fmt, plugin, service, &out);
	if (r == MSP_ENOMEM)
		emergency_exit(MSP_STATE_UNKNOWN, "out of memory", "");
	if (r < 0 || out.len == 0)
		emergency_exit(MSP_STATE_UNKNOWN, "internal error: cannot render the result", "");
	fflush(stderr);
	if (!write_all(1, out.data, out.len))
		_exit(MSP_STATE_UNKNOWN);
	msp_buf_release(&out);
	msp_result_free(root);
	_exit((int)st & 3);
}

/* An UNKNOWN result with a message (usage errors and failed checks). */
__attribute__((noreturn)) static void fail(const struct msp_plugin *p, enum msp_format fmt, const char *msg,
					   bool show_usage)
{
	struct msp_result *root = msp_result_new();

	if (!root)
		emergency_exit(MSP_STATE_UNKNOWN, "out of memory", "");
	msp_result_set_state(root, MSP_STATE_UNKNOWN);
	msp_result_set_text(root, "%s", msg);
	if (show_usage && fmt != MSP_FORMAT_JSON && fmt != MSP_FORMAT_PROMETHEUS) {
		struct msp_result *n = msp_result_add_note(root, "Usage: %s %s (see --help)", p->name,
							   p->synopsis ? p->synopsis : "[OPTION]...");

		/* A synopsis wrapped over lines for --help reads as one line here. */
		for (char *t = n ? strchr(n->text, '\n') : NULL; t; t = strchr(t, '\n')) {
			char *rest = t + 1 + strspn(t + 1, " \t");

			*t++ = ' ';
			memmove(t, rest, strlen(rest) + 1);
		}
	}
	finish(root, fmt, p->name, p->service);
}

/* ----------------------------------------------------------------- help */

static void help_option(struct msp_buf *b, const struct msp_option *o)
{
	const char *h;

	if (!o->help)
		return;
	/* Straight into b: a fixed buffer here would cut a long option name or value name. */
	if (o->short_name && o->long_name)
		msp_buf_addf(b, " -%c, --%s", o->short_name, o->long_name);
	else if (o->short_name)
		msp_buf_addf(b, " -%c", o->short_name);
	else
		msp_buf_addf(b, " --%s", o->long_name);
	if (o->arg == MSP_ARG_REQUIRED)
		msp_buf_addf(b, "%s%s", o->long_name ? "=" : " ", o->arg_name ? o->arg_name : "VALUE");
	else if (o->arg == MSP_ARG_OPTIONAL)
		msp_buf_addf(b, "[=%s]", o->arg_name ? o->arg_name : "VALUE");
	msp_buf_addc(b, '\n');
	h = o->help;
	while (*h) {
		const char *nl = strchr(h, '\n');
		size_t l = nl ? (size_t)(nl - h) : strlen(h);

		msp_buf_addf(b, "    %.*s\n", (int)l, h);
		h += l;
		if (*h == '\n')
			h++;
	}
}

static bool plugin_has_short(const struct msp_plugin *p, char c)
{
	for (const struct msp_option *o = p->options; o && (o->short_name || o->long_name); o++)
		if (o->short_name == c)
			return true;
	return false;
}

static bool plugin_has_long(const struct msp_plugin *p, const char *name)
{
	for (const struct msp_option *o = p->options; o && (o->short_name || o->long_name); o++)
		if (o->long_name && strcmp(o->long_name, name) == 0)
			return true;
	return false;
}

/*
 * Call show for every option in help order: the standard options the
 * plugin does not take over (a plugin's own -v or --timeout hides ours),
 * then the plugin's table.
 */
static void each_option(const struct msp_plugin *p, void (*show)(struct msp_buf *, const struct msp_option *),
			struct msp_buf *b)
{
	for (const struct msp_option *o = std_options; o->short_name || o->long_name; o++) {
		struct msp_option shown = *o;

		if (shown.short_name && plugin_has_short(p, shown.short_name))
			shown.short_name = 0;
		if (shown.long_name && plugin_has_long(p, shown.long_name))
			continue;
		show(b, &shown);
	}
	for (const struct msp_option *o = p->options; o && (o->short_name || o->long_name); o++)
		show(b, o);
}

__attribute__((noreturn)) static void print_help(const struct msp_plugin *p)
{
	struct msp_buf b;

	msp_buf_init(&b, 1 << 20);
	msp_buf_addf(&b, "%s v%s (%s)\n\n", p->name, PACKAGE_VERSION, PACKAGE_NAME);
	if (p->description)
		msp_buf_addf(&b, "%s\n\n", p->description);
	msp_buf_addf(&b, "Usage:\n  %s %s\n\nOptions:\n", p->name, p->synopsis ? p->synopsis : "[OPTION]...");
	each_option(p, help_option, &b);
	msp_buf_addf(&b, "\nOn timeout the state is %s unless -t N:STATE or --timeout-result says otherwise;\n"
			 "the default timeout is %u s.  Exit codes: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN.\n",
		     msp_state_name(p->timeout_state), p->timeout ? p->timeout : 10);
	if (p->notes)
		msp_buf_addf(&b, "\n%s\n", p->notes);
	if (b.truncated)
		emergency_exit(MSP_STATE_UNKNOWN, "internal error: the help text is too long", "");
	write_and_exit(msp_buf_str(&b), b.len, MSP_STATE_UNKNOWN);
}

/*
 * Text for roff: backslashes escaped, a leading '.' or '\'' defused, dashes
 * as \-.  With fill set, leading blanks of a line are dropped (roff fills
 * the wrapped lines of a help text into one paragraph; a leading blank
 * would break it) and an empty line starts a new paragraph.
 */
static void man_text_mode(struct msp_buf *b, const char *s, size_t n, bool fill)
{
	bool bol = true;

	for (size_t i = 0; i < n; i++) {
		char c = s[i];

		if (bol && fill && (c == ' ' || c == '\t'))
			continue;
		if (bol && fill && c == '\n') {
			msp_buf_adds(b, ".PP\n");
			continue;
		}
		if (bol && (c == '.' || c == '\''))
			msp_buf_adds(b, "\\&");
		bol = c == '\n';
		if (c == '\\')
			msp_buf_adds(b, "\\e");
		else if (c == '-')
			msp_buf_adds(b, "\\-");
		else
			msp_buf_addc(b, c);
	}
}

static void man_text(struct msp_buf *b, const char *s, size_t n)
{
	man_text_mode(b, s, n, true);
}

static void man_option(struct msp_buf *b, const struct msp_option *o)
{
	const char *arg = o->arg_name ? o->arg_name : "VALUE";

	if (!o->help)
		return;
	msp_buf_adds(b, ".TP\n");
	if (o->short_name)
		msp_buf_addf(b, "\\fB\\-%c\\fR%s", o->short_name, o->long_name ? ", " : "");
	if (o->long_name) {
		msp_buf_adds(b, "\\fB\\-\\-");
		man_text(b, o->long_name, strlen(o->long_name));
		msp_buf_adds(b, "\\fR");
	}
	if (o->arg != MSP_ARG_NONE) {
		msp_buf_adds(b, o->arg == MSP_ARG_OPTIONAL ? "[=\\fI" : o->long_name ? "=\\fI" : " \\fI");
		man_text(b, arg, strlen(arg));
		msp_buf_adds(b, o->arg == MSP_ARG_OPTIONAL ? "\\fR]" : "\\fR");
	}
	msp_buf_adds(b, "\n");
	man_text(b, o->help, strlen(o->help));
	msp_buf_adds(b, "\n");
}

/* Preformatted text (notes and examples keep their alignment), without a trailing newline of its own. */
static void man_verbatim(struct msp_buf *b, const char *text, size_t n)
{
	msp_buf_adds(b, ".nf\n");
	man_text_mode(b, text, n, false);
	msp_buf_adds(b, "\n.fi\n");
}

/*
 * Where the examples start in notes: a last "Examples:" line (the first
 * line or after a newline) followed only by lines indented by two blanks.
 * NULL when the notes end otherwise: then they stay whole in NOTES.
 */
static const char *examples_at(const char *notes)
{
	const char *at = NULL, *l;

	for (const char *p = notes; (p = strstr(p, "Examples:\n")) != NULL; p++)
		if (p == notes || p[-1] == '\n')
			at = p;
	if (!at)
		return NULL;
	for (l = at + strlen("Examples:\n"); *l; l += strcspn(l, "\n") + (l[strcspn(l, "\n")] == '\n'))
		if (strncmp(l, "  ", 2) != 0 || l[2] == ' ' || l[2] == '\n' || l[2] == '\0')
			return NULL;
	return l == at + strlen("Examples:\n") ? NULL : at;
}

/* A path in a manual page, with a break point (\\:) after each '/': a long docdir still fits a line. */
static void man_path(struct msp_buf *b, const char *path)
{
	for (const char *p = path; *p;) {
		size_t n = strcspn(p, "/");

		man_text(b, p, n);
		p += n;
		if (*p == '/') {
			msp_buf_adds(b, "/\\:");
			p++;
		}
	}
}

/* One .TP entry: name in bold (env) or italic (files), text filled. */
static void man_item(struct msp_buf *b, const char *font, const char *name, const char *text)
{
	msp_buf_addf(b, ".TP\n.%s ", font);
	man_text(b, name, strlen(name));
	msp_buf_adds(b, "\n");
	man_text(b, text, strlen(text));
	msp_buf_adds(b, "\n");
}

static void man_exit_status(struct msp_buf *b, const struct msp_plugin *p)
{
	msp_buf_adds(b, ".SH EXIT STATUS\nThe exit code is the state, in every output format:\n"
			".TP\n.B 0\nOK: the check passed.\n"
			".TP\n.B 1\nWARNING: a warning threshold was passed.\n"
			".TP\n.B 2\nCRITICAL: what is checked is down or past a critical threshold.\n"
			".TP\n.B 3\nUNKNOWN: the plugin could not check (bad options, missing permission, a tool's "
			"output it could not parse, an internal error), and after \\fB\\-\\-help\\fR, "
			"\\fB\\-\\-version\\fR and every usage error, as the monitoring plugin guidelines ask.  "
			"Also when standard output cannot take the whole result: nobody could read it.\n");
	msp_buf_addf(b, ".PP\nOn timeout (default %u s) the state is %s unless \\fB\\-t\\fR N:STATE or "
			"\\fB\\-\\-timeout\\-result\\fR says otherwise.\n",
		     p->timeout ? p->timeout : 10, msp_state_name(p->timeout_state));
}

static void man_environment(struct msp_buf *b, const struct msp_plugin *p)
{
	msp_buf_adds(b, ".SH ENVIRONMENT\n");
	for (const struct msp_doc_item *e = p->environment; e && e->name; e++)
		man_item(b, "B", e->name, e->text ? e->text : "");
	man_item(b, "B", "MP_CONFIG_FILE",
		 "The ini file --extra-opts reads when no @FILE is given, before any other (see FILES).");
	man_item(b, "B", "NAGIOS_CONFIG_PATH",
		 "Directories, separated by ':', searched for plugins.ini, nagios-plugins.ini and "
		 "monitoring-plugins.ini by --extra-opts without @FILE, after MP_CONFIG_FILE and before the fixed "
		 "paths.");
	man_item(b, "B", "NO_COLOR",
		 "When set and not empty, the table format is never coloured (no-color.org); it is coloured only "
		 "on a terminal whose TERM is not dumb.");
	man_item(b, "B", "TZ", "The time zone of the local times a plugin shows (when a backup ran, a file changed).");
	man_item(b, "B", "LC_ALL",
		 "Not used (nor LANG, LC_NUMERIC): numbers are written with a '.' decimal point and the plugin's "
		 "own messages in English in every locale, so the output parses the same everywhere.");
}

static void man_files(struct msp_buf *b, const struct msp_plugin *p)
{
	msp_buf_adds(b, ".SH FILES\n");
	for (const struct msp_doc_item *f = p->files; f && f->name; f++)
		man_item(b, "I", f->name, f->text ? f->text : "");
	msp_buf_adds(b, ".TP\n.I $MP_CONFIG_FILE\n.TQ\n");
	for (size_t i = 0; msp_extraopts_dir_files[i]; i++) {
		msp_buf_adds(b, ".I $NAGIOS_CONFIG_PATH/");
		man_text(b, msp_extraopts_dir_files[i], strlen(msp_extraopts_dir_files[i]));
		msp_buf_adds(b, "\n.TQ\n");
	}
	for (size_t i = 0; msp_extraopts_default_files[i]; i++) {
		msp_buf_adds(b, ".I ");
		man_text(b, msp_extraopts_default_files[i], strlen(msp_extraopts_default_files[i]));
		msp_buf_adds(b, msp_extraopts_default_files[i + 1] ? "\n.TQ\n" : "\n");
	}
	msp_buf_adds(b, "The ini files \\fB\\-\\-extra\\-opts\\fR without @FILE searches, in this order; the first "
			"one found is read, and a missing section there is an error that lists the paths tried.\n");
}

static void man_see_also(struct msp_buf *b)
{
	static const char *const docs[] = { "README.md", "output-formats.md", "contrib/" };
	static const char *const what[] = { "options every plugin takes, installation, the drop-in plugins",
					    "the nagios, multi-line, json, prometheus and table formats",
					    "Icinga 2, Nagios and Zabbix definitions and bundle profiles" };

	/* paths as long as a DESTDIR or distcheck docdir cannot be justified: no adjusting, no hyphens */
	msp_buf_adds(b, ".SH SEE ALSO\n.ad l\n.nh\nThe msp\\-plugins documents, installed with the plugins:\n");
	for (size_t i = 0; i < sizeof(docs) / sizeof(docs[0]); i++) {
		msp_buf_adds(b, ".TP\n.I ");
		man_path(b, MSP_DOCDIR);
		msp_buf_adds(b, "/\\:");
		man_path(b, docs[i]);
		msp_buf_addc(b, '\n');
		man_text(b, what[i], strlen(what[i]));
		msp_buf_addc(b, '\n');
	}
}

/* The manual page (man(7)) from the same description and table as --help. */
__attribute__((noreturn)) static void print_man(const struct msp_plugin *p)
{
	const char *d = p->description ? p->description : "";
	const char *ex = p->notes ? examples_at(p->notes) : NULL;
	size_t first = strcspn(d, ".\n");
	struct msp_buf b;

	msp_buf_init(&b, 1 << 20);
	msp_buf_addf(&b, ".TH %s 1 \"\" \"%s %s\" \"Monitoring plugins\"\n.SH NAME\n%s \\- ", p->name, PACKAGE_NAME,
		     PACKAGE_VERSION, p->name);
	man_text(&b, d, first);
	msp_buf_addf(&b, "\n.SH SYNOPSIS\n.B %s\n", p->name);
	man_text(&b, p->synopsis ? p->synopsis : "[OPTION]...", strlen(p->synopsis ? p->synopsis : "[OPTION]..."));
	msp_buf_adds(&b, "\n");
	if (*d) {
		msp_buf_adds(&b, ".SH DESCRIPTION\n");
		man_text(&b, d, strlen(d));
		msp_buf_adds(&b, "\n");
	}
	msp_buf_adds(&b, ".SH OPTIONS\n");
	each_option(p, man_option, &b);
	man_exit_status(&b, p);
	man_environment(&b, p);
	man_files(&b, p);
	if (p->notes && ex != p->notes) {
		size_t n = ex ? (size_t)(ex - p->notes) : strlen(p->notes);

		while (n > 0 && p->notes[n - 1] == '\n')
			n--;
		msp_buf_adds(&b, ".SH NOTES\n");
		man_verbatim(&b, p->notes, n);
	}
	if (ex) {
		msp_buf_adds(&b, ".SH EXAMPLES\n");
		man_verbatim(&b, ex + strlen("Examples:\n"), strlen(ex + strlen("Examples:\n")));
	}
	man_see_also(&b);
	if (b.truncated)
		emergency_exit(MSP_STATE_UNKNOWN, "internal error: the manual page is too long", "");
	write_and_exit(msp_buf_str(&b), b.len, MSP_STATE_UNKNOWN);
}

/* -------------------------------------------------------------- parsing */

int msp_timeout_parse(const char *arg, unsigned *ret_secs, bool *ret_has_state, enum msp_state *ret_state,
		      struct msp_error *err)
{
	char num[32];
	const char *colon;
	uint64_t secs;
	enum msp_state st = MSP_STATE_UNKNOWN;

	if (!arg || !*arg)
		return msp_error_set(err, MSP_EINVAL, "timeout is empty");
	colon = strchr(arg, ':');
	if ((colon ? (size_t)(colon - arg) : strlen(arg)) >= sizeof(num))
		return msp_error_set(err, MSP_EINVAL, "timeout '%.40s' is not a number of seconds", arg);
	snprintf(num, sizeof(num), "%.*s", (int)(colon ? colon - arg : (ptrdiff_t)strlen(arg)), arg);
	if (msp_num_uint64(num, 86400, &secs) < 0 || secs == 0)
		return msp_error_set(err, MSP_EINVAL, "timeout '%.40s' is not a number of seconds from 1 to 86400", arg);
	if (colon && msp_state_parse(colon + 1, &st) < 0)
		return msp_error_set(err, MSP_EINVAL, "timeout state '%.40s' is not OK, WARNING, CRITICAL or UNKNOWN",
				     colon + 1);
	*ret_secs = (unsigned)secs;
	*ret_has_state = colon != NULL;
	*ret_state = st;
	return 0;
}

struct optmap {
	struct option *longs;
	size_t nlong;
	char shorts[256];
	int short_id[256];
	const struct msp_option **by_long;
};

static int optmap_add(struct optmap *m, const struct msp_option *o, bool std, const struct msp_plugin *p)
{
	if (o->short_name && !(std && plugin_has_short(p, o->short_name))) {
		size_t n = strlen(m->shorts);

		/* Cannot happen with one option per character; refuse rather than drop an option. */
		if (n + 4 > sizeof(m->shorts))
			return MSP_ETOOBIG;
		m->shorts[n++] = o->short_name;
		if (o->arg == MSP_ARG_REQUIRED)
			m->shorts[n++] = ':';
		else if (o->arg == MSP_ARG_OPTIONAL) {
			m->shorts[n++] = ':';
			m->shorts[n++] = ':';
		}
		m->shorts[n] = '\0';
		m->short_id[(unsigned char)o->short_name] = o->id;
	}
	if (o->long_name && !(std && plugin_has_long(p, o->long_name))) {
		struct option *l = &m->longs[m->nlong];

		l->name = o->long_name;
		l->has_arg = o->arg == MSP_ARG_NONE ? no_argument
			     : o->arg == MSP_ARG_REQUIRED ? required_argument
							  : optional_argument;
		l->flag = NULL;
		l->val = 1000 + (int)m->nlong;
		m->by_long[m->nlong] = o;
		m->nlong++;
	}
	return 0;
}

static int optmap_build(struct optmap *m, const struct msp_plugin *p)
{
	size_t n = 0;

	for (const struct msp_option *o = p->options; o && (o->short_name || o->long_name); o++)
		n++;
	n += sizeof(std_options) / sizeof(std_options[0]);
	memset(m, 0, sizeof(*m));
	m->longs = calloc(n + 1, sizeof(*m->longs));
	m->by_long = calloc(n + 1, sizeof(*m->by_long));
	if (!m->longs || !m->by_long)
		return MSP_ENOMEM;
	m->shorts[0] = ':';
	m->shorts[1] = '\0';
	for (const struct msp_option *o = p->options; o && (o->short_name || o->long_name); o++)
		if (optmap_add(m, o, false, p) < 0)
			return MSP_ETOOBIG;
	for (const struct msp_option *o = std_options; o->short_name || o->long_name; o++)
		if (optmap_add(m, o, true, p) < 0)
			return MSP_ETOOBIG;
	return 0;
}

static void optmap_free(struct optmap *m)
{
	free(m->longs);
	free(m->by_long);
}

struct run_opts {
	enum msp_format fmt;
	bool fmt_set;
	unsigned timeout;
	bool timeout_state_set;
	enum msp_state timeout_state;
	int verbose;
	struct msp_buf prom_labels; /* from --prometheus-label */
};

/* Make labels (exposition text) the prometheus labels of every sample, the signal handlers' too. */
static void set_prom_labels(const char *labels)
{
	sigset_t all, old;

	sigfillset(&all);
	sigprocmask(SIG_BLOCK, &all, &old);
	snprintf(g_prom_labels, sizeof(g_prom_labels), "%s", labels);
	sigprocmask(SIG_SETMASK, &old, NULL);
}

/*
 * The default prometheus label: args="HASH", 64-bit FNV-1a of the
 * arguments as given (argv[1..], each with its NUL), so two runs with other
 * arguments write different samples and the same command line always the
 * same series.
 */
static void set_prom_default_labels(int argc, char **argv)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	char text[64];

	for (int i = 1; i < argc; i++)
		for (const unsigned char *c = (const unsigned char *)argv[i];; c++) {
			h = (h ^ *c) * 0x100000001b3ULL;
			if (!*c)
				break;
		}
	snprintf(text, sizeof(text), "args=\"%016llx\"", (unsigned long long)h);
	set_prom_labels(text);
}

/* --prometheus-label=NAME=VALUE: 0 or MSP_EINVAL/MSP_ETOOBIG with a message. */
static int add_prom_label(struct run_opts *ro, const char *arg, struct msp_error *err)
{
	const char *eq = arg ? strchr(arg, '=') : NULL;
	char name[128];
	int r;

	if (!eq)
		return msp_error_set(err, MSP_EINVAL, "prometheus label '%.60s' is not NAME=VALUE", arg ? arg : "");
	if ((size_t)(eq - arg) >= sizeof(name))
		return msp_error_set(err, MSP_EINVAL, "prometheus label name '%.60s...' is too long", arg);
	snprintf(name, sizeof(name), "%.*s", (int)(eq - arg), arg);
	r = msp_prom_label_add(&ro->prom_labels, name, eq + 1, err);
	if (r == MSP_ETOOBIG)
		return msp_error_set(err, r, "prometheus labels longer than %d bytes", PROM_LABELS_MAX - 1);
	if (r < 0)
		return r;
	set_prom_labels(msp_buf_str(&ro->prom_labels));
	return 0;
}

/* Pre-scan argv for --output-format so usage errors come out in the asked format. */
static void prescan_format(int argc, char **argv, enum msp_format *fmt)
{
	for (int i = 1; i < argc; i++) {
		if (strncmp(argv[i], "--output-format=", 16) == 0)
			msp_format_parse(argv[i] + 16, fmt);
		else if (strcmp(argv[i], "--output-format") == 0 && i + 1 < argc)
			msp_format_parse(argv[i + 1], fmt);
	}
}

/*
 * Pre-scan argv for -t/--timeout, so the deadline is the asked one while
 * the options before -t are parsed (a slow regcomp).  Values that do not
 * parse are left to the real parse, which reports them; a plugin that
 * takes -t or --timeout itself is not scanned.
 */
static void prescan_timeout(const struct msp_plugin *p, int argc, char **argv, struct run_opts *ro)
{
	bool has_state;
	enum msp_state st;
	unsigned secs;

	for (int i = 1; i < argc; i++) {
		const char *v = NULL;

		if (strcmp(argv[i], "--") == 0)
			break;
		if (!plugin_has_short(p, 't') && strcmp(argv[i], "-t") == 0 && i + 1 < argc)
			v = argv[i + 1];
		else if (!plugin_has_short(p, 't') && strncmp(argv[i], "-t", 2) == 0 && argv[i][2])
			v = argv[i] + 2;
		else if (!plugin_has_long(p, "timeout") && strncmp(argv[i], "--timeout=", 10) == 0)
			v = argv[i] + 10;
		else if (!plugin_has_long(p, "timeout") && strcmp(argv[i], "--timeout") == 0 && i + 1 < argc)
			v = argv[i + 1];
		if (v && msp_timeout_parse(v, &secs, &has_state, &st, NULL) == 0) {
			ro->timeout = secs;
			if (has_state)
				ro->timeout_state = st;
		}
	}
}

/* Handle a standard option; returns 0 or MSP_EINVAL with a message. */
static int std_option(const struct msp_plugin *p, int id, const char *arg, struct run_opts *ro,
		      struct msp_error *err)
{
	bool has_state;
	enum msp_state st;

	switch (id) {
	case STD_HELP:
	case STD_USAGE:
		print_help(p);
	case STD_HELP_MAN:
		print_man(p);
	case STD_VERSION: {
		char line[256];
		int n = snprintf(line, sizeof(line), "%s v%s (%s %s)\n", p->name, PACKAGE_VERSION, PACKAGE_NAME,
				 PACKAGE_VERSION);

		write_and_exit(line, n > 0 && (size_t)n < sizeof(line) ? (size_t)n : 0, MSP_STATE_UNKNOWN);
	}
	case STD_VERBOSE:
		ro->verbose++;
		return 0;
	case STD_TIMEOUT:
		if (msp_timeout_parse(arg, &ro->timeout, &has_state, &st, err) < 0)
			return MSP_EINVAL;
		if (has_state) {
			ro->timeout_state = st;
			ro->timeout_state_set = true;
			g_timeout_state = st;
		}
		arm_deadline(ro->timeout); /* from the start, for the options still to come */
		return 0;
	case STD_TIMEOUT_RESULT:
		if (msp_state_parse(arg, &st) < 0)
			return msp_error_set(err, MSP_EINVAL, "timeout state '%.40s' is not OK, WARNING, CRITICAL or UNKNOWN",
					     arg ? arg : "");
		ro->timeout_state = st;
		ro->timeout_state_set = true;
		g_timeout_state = st;
		return 0;
	case STD_OUTPUT_FORMAT:
		if (msp_format_parse(arg, &ro->fmt) < 0)
			return msp_error_set(err, MSP_EINVAL,
					     "output format '%.40s' is not nagios, multi-line, json, prometheus or table",
					     arg ? arg : "");
		ro->fmt_set = true;
		g_format = ro->fmt;
		return 0;
	case STD_EXTRA_OPTS:
		return 0; /* expanded before parsing */
	case STD_PROM_LABEL:
		return add_prom_label(ro, arg, err);
	default:
		break;
	}
	return msp_error_set(err, MSP_EINVAL, "internal error: unknown standard option");
}

static bool is_std_id(int id)
{
	return id <= STD_HELP + 20 && id >= STD_HELP;
}

static void parse_args(const struct msp_plugin *p, void *cfg, int argc, char **argv, struct run_opts *ro)
{
	struct msp_error err;
	struct optmap m;
	int c, r = 0;

	msp_error_init(&err);
	msp_step("parsing options");
	if (optmap_build(&m, p) < 0) {
		optmap_free(&m);
		emergency_exit(MSP_STATE_UNKNOWN, "internal error: cannot build the option table", "");
	}
	opterr = 0;
	optind = 1;
	for (;;) {
		int li = -1;
		const struct msp_option *o = NULL;
		int id;

		c = getopt_long(argc, argv, m.shorts, m.longs, &li);
		if (c == -1)
			break;
		if (c == '?' || c == ':') {
			char msg[300];
			const char *bad = optind > 0 && optind <= argc ? argv[optind - 1] : "?";

			/* getopt_long puts a long option's val (>= 1000 here) into optopt: name it from argv then. */
			if (c == ':')
				snprintf(msg, sizeof(msg), "option '%.60s' needs a value",
					 optopt > 0 && optopt < 1000 ? (char[]){ '-', (char)optopt, 0 } : bad);
			else if (optopt >= 1000)
				snprintf(msg, sizeof(msg), "option '%.60s' does not take a value", bad);
			else if (optopt)
				snprintf(msg, sizeof(msg), "unknown option '-%c'", optopt);
			else
				snprintf(msg, sizeof(msg), "unknown option '%.60s'", bad);
			optmap_free(&m);
			fail(p, ro->fmt, msg, true);
		}
		if (c >= 1000) {
			o = m.by_long[c - 1000];
			id = o->id;
		} else {
			id = m.short_id[(unsigned char)c];
		}
		if (is_std_id(id))
			r = std_option(p, id, optarg, ro, &err);
		else
			r = p->option(cfg, id, optarg, &err);
		if (r < 0) {
			optmap_free(&m);
			fail(p, ro->fmt, err.msg[0] ? err.msg : "invalid argument", true);
		}
	}
	for (int i = optind; i < argc; i++) {
		if (argv[i][0] == '\0')
			continue; /* Debian command files pass '' for unset macros */
		r = p->option(cfg, MSP_OPT_POSITIONAL, argv[i], &err);
		if (r < 0) {
			optmap_free(&m);
			fail(p, ro->fmt, err.msg[0] ? err.msg : "unexpected argument", true);
		}
	}
	optmap_free(&m);
}

void msp_main(const struct msp_plugin *p, void *cfg, int argc, char **argv)
{
	struct msp_context ctx;
	struct msp_result *root = NULL;
	struct run_opts ro = { 0 };
	struct msp_error err;
	char **eargv = NULL;
	int eargc = 0, r;

	/* The deadline first: everything after this line is inside it (DESIGN.md 1.7). */
	g_start = msp_time_mono();
	g_service = p->service;
	g_plugin = p->name;
	g_timeout_state = p->timeout_state;
	install_handlers();
	arm_deadline(p->timeout ? p->timeout : 10);
	plug_std_fds();
	msp_error_init(&err);
	ro.fmt = MSP_FORMAT_NAGIOS;
	ro.timeout = p->timeout ? p->timeout : 10;
	ro.timeout_state = p->timeout_state;
	prescan_format(argc, argv, &ro.fmt);
	g_format = ro.fmt;
	msp_buf_init(&ro.prom_labels, PROM_LABELS_MAX - 1);
	set_prom_default_labels(argc, argv);
	prescan_timeout(p, argc, argv, &ro);
	g_timeout_state = ro.timeout_state;
	arm_deadline(ro.timeout);

	msp_step("reading the --extra-opts file");
	if (msp_extraopts_expand(argc, argv, p->name, &eargc, &eargv, &err) < 0)
		fail(p, ro.fmt, err.msg, false);
	/* The command line decides: what the pre-scan found is parsed again in order. */
	ro.timeout = p->timeout ? p->timeout : 10;
	ro.timeout_state = p->timeout_state;
	parse_args(p, cfg, eargc, eargv, &ro);
	/* A person at a terminal gets the plugin's readable form unless a format was asked for. */
	if (!ro.fmt_set && p->tty_format != MSP_FORMAT_NAGIOS && isatty(1))
		ro.fmt = p->tty_format;
	g_format = ro.fmt;
	g_timeout_state = ro.timeout_state;
	arm_deadline(ro.timeout);

	memset(&ctx, 0, sizeof(ctx));
	ctx.verbose = ro.verbose;
	ctx.timeout = ro.timeout;
	ctx.timeout_state = ro.timeout_state;
	ctx.now = time(NULL);
	/*
	 * Work ends a little before the alarm, so a plugin can report which
	 * step ran out; both count from the start of msp_main().
	 */
	ctx.deadline = msp_deadline_in(g_start + (ro.timeout > 2 ? ro.timeout - 0.5 : ro.timeout * 0.8) -
				       msp_time_mono());
	ctx.plugin = p->name;
	ctx.service = p->service;

	if (p->finish) {
		msp_step("checking the options");
		r = p->finish(cfg, &ctx, &err);
		if (r < 0)
			fail(p, ro.fmt, err.msg[0] ? err.msg : "invalid arguments", true);
	}
	root = msp_result_new();
	if (!root)
		emergency_exit(MSP_STATE_UNKNOWN, "out of memory", "");
	msp_step("running the check");
	r = p->check(cfg, &ctx, root, &err);
	msp_extraopts_free(eargv);
	if (r < 0) {
		msp_result_set_state(root, MSP_STATE_UNKNOWN);
		msp_result_set_text(root, "%s", err.msg[0] ? err.msg : "the check failed");
	}
	if (!root->style)
		root->style = p->nagios; /* unless the check chose one for this result */
	finish(root, ro.fmt, p->name, p->service);
}
