/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * msp_plugin.c - the runner: msp_main() and the steps it is made of (see
 * msp_plugin.h).  Parsing is in msp_option.c, --help and the man page in
 * msp_help.c, the signal-context parts (timeout, emergency output) in
 * msp_runtime.c.
 *
 * Invariants: nothing but the runner writes to stdout, and every path out
 * of msp_main() ends in exit code 0..3: normal rendering, usage errors,
 * --help/--version, the timeout alarm, fatal signals and failed writes.
 * A write to stdout that fails or is short (closed, EBADF, ENOSPC, EPIPE)
 * ends in exit 3 whatever the state: nobody read the result.  The deadline
 * is armed first thing in msp_main() and counts from there, so reading
 * --extra-opts files and parsing options (regcomp) are inside it.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "msp_buf.h"
#include "msp_plugin.h"
#include "msp_runtime.h"
#include "msp_time.h"
#include "banned.h"

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

__attribute__((noreturn)) static void finish(struct msp_result *root, enum msp_format fmt, const char *plugin,
					     const char *service)
{
	struct msp_buf out;
	enum msp_state st;
	int r;

	msp_rt_disarm_deadline();
	msp_buf_init(&out, MSP_OUTPUT_MAX + 4096);
	st = msp_result_state(root);
	/* colour only for a person: the table on a terminal, unless NO_COLOR (no-color.org) or TERM=dumb */
	if (fmt == MSP_FORMAT_TABLE && msp_color_wanted(isatty(1), getenv("NO_COLOR"), getenv("TERM")))
		r = msp_render_colored(root, fmt, plugin, service, &out);
	else if (fmt == MSP_FORMAT_PROMETHEUS)
		r = msp_render_prometheus(root, plugin, msp_g_prom_labels, &out);
	else
		r = msp_render(root, fmt, plugin, service, &out);
	if (r == MSP_ENOMEM)
		msp_rt_emergency_exit(MSP_STATE_UNKNOWN, "out of memory", "");
	if (r < 0 || out.len == 0)
		msp_rt_emergency_exit(MSP_STATE_UNKNOWN, "internal error: cannot render the result", "");
	fflush(stderr);
	if (!msp_rt_write_all(1, out.data, out.len))
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
		msp_rt_emergency_exit(MSP_STATE_UNKNOWN, "out of memory", "");
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

/* --help, the man page, the version or a contrib definition, then exit UNKNOWN (as the guidelines ask). */
__attribute__((noreturn)) static void print_info(const struct msp_plugin *p, enum msp_run_action action,
						 const char *contrib)
{
	struct msp_buf b;
	int r;

	msp_buf_init(&b, 1 << 20);
	if (action == MSP_RUN_VERSION)
		r = msp_buf_addf(&b, "%s v%s (%s %s)\n", p->name, PACKAGE_VERSION, PACKAGE_NAME, PACKAGE_VERSION);
	else if (action == MSP_RUN_MAN)
		r = msp_man_text(p, &b);
	else if (action == MSP_RUN_CONTRIB)
		r = msp_describe(p, contrib, &b, NULL);
	else
		r = msp_help_text(p, &b);
	if (r == MSP_EINVAL)
		msp_rt_emergency_exit(MSP_STATE_UNKNOWN, "--help-contrib takes icinga2, nagios or readme", "");
	if (r < 0 || b.truncated)
		msp_rt_emergency_exit(MSP_STATE_UNKNOWN, "internal error: the help text is too long", "");
	msp_rt_write_and_exit(msp_buf_str(&b), b.len, MSP_STATE_UNKNOWN);
}

int msp_prepare(const struct msp_plugin *p, void *cfg, const struct msp_run *run, struct msp_context *ctx,
		struct msp_error *err)
{
	memset(ctx, 0, sizeof(*ctx));
	ctx->verbose = run->verbose;
	ctx->timeout = run->timeout;
	ctx->timeout_state = run->timeout_state;
	ctx->now = time(NULL);
	ctx->format = run->fmt;
	/*
	 * Work ends a little before the alarm, so a plugin can report which
	 * step ran out; both count from the start of msp_main() (or of the
	 * first msp_prescan, in tests).
	 */
	ctx->deadline = msp_deadline_in(msp_g_start +
					(run->timeout > 2 ? run->timeout - 0.5 : run->timeout * 0.8) - msp_time_mono());
	ctx->plugin = p->name;
	ctx->service = p->service;
	if (!p->finish)
		return 0;
	msp_step("checking the options");
	return p->finish(cfg, ctx, err);
}

void msp_run_check(const struct msp_plugin *p, void *cfg, const struct msp_context *ctx, struct msp_result *root)
{
	struct msp_error err;
	int r;

	msp_error_init(&err);
	msp_step("running the check");
	r = p->check(cfg, ctx, root, &err);
	if (r < 0) {
		msp_result_set_state(root, MSP_STATE_UNKNOWN);
		msp_result_set_text(root, "%s", err.msg[0] ? err.msg : "the check failed");
	}
	if (!root->style)
		root->style = p->nagios; /* unless the check chose one for this result */
}

void msp_main(const struct msp_plugin *p, void *cfg, int argc, char **argv)
{
	struct msp_context ctx;
	struct msp_result *root;
	struct msp_run run;
	struct msp_error err;

	/* The deadline first: everything after this line is inside it (DESIGN.md 1.7). */
	msp_g_start = msp_time_mono();
	msp_g_service = p->service;
	msp_g_plugin = p->name;
	msp_g_timeout_state = p->timeout_state;
	msp_rt_install_handlers();
	msp_rt_arm_deadline(p->timeout ? p->timeout : 10);
	msp_rt_plug_std_fds();
	msp_error_init(&err);
	msp_run_init(p, &run);
	run.live = true;
	msp_prescan(p, argc, argv, &run);
	msp_rt_arm_deadline(run.timeout);

	msp_step("parsing options");
	/* The command line decides: what the pre-scan found is parsed again in order. */
	run.timeout = p->timeout ? p->timeout : 10;
	run.timeout_state = p->timeout_state;
	if (msp_parse(p, cfg, argc, argv, &run, &err) < 0)
		fail(p, run.fmt, err.msg, !run.not_usage);
	if (run.action != MSP_RUN_CHECK)
		print_info(p, run.action, run.contrib);
	/* A person at a terminal gets the plugin's readable form unless a format was asked for. */
	if (!run.fmt_set && p->tty_format != MSP_FORMAT_NAGIOS && isatty(1))
		run.fmt = p->tty_format;
	msp_g_format = run.fmt;
	msp_g_timeout_state = run.timeout_state;
	msp_rt_arm_deadline(run.timeout);

	if (msp_prepare(p, cfg, &run, &ctx, &err) < 0)
		fail(p, run.fmt, err.msg[0] ? err.msg : "invalid arguments", true);
	root = msp_result_new();
	if (!root)
		msp_rt_emergency_exit(MSP_STATE_UNKNOWN, "out of memory", "");
	msp_run_check(p, cfg, &ctx, root);
	msp_run_release(&run);
	finish(root, run.fmt, p->name, p->service);
}
