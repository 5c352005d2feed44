/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * msp_cmd.c - run a tool and turn how it ended into a state and a message
 * (see msp_cmd.h).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "msp_buf.h"
#include "msp_cmd.h"

#include "banned.h"

#define TRACEBACK "Traceback (most recent call last):"

void msp_cmd_init(struct msp_cmd *cmd, const struct msp_context *ctx, const char *program)
{
	memset(cmd, 0, sizeof(*cmd));
	cmd->ctx = ctx;
	cmd->program = program;
	msp_redact_init(&cmd->secrets);
}

void msp_cmd_clear_args(struct msp_cmd *cmd)
{
	for (size_t i = 0; i < cmd->narg; i++)
		free(cmd->arg[i]);
	cmd->narg = 0;
}

void msp_cmd_release(struct msp_cmd *cmd)
{
	msp_cmd_clear_args(cmd);
	for (size_t i = 0; i < cmd->nenv; i++) {
		explicit_bzero(cmd->env[i].text, strlen(cmd->env[i].text));
		free(cmd->env[i].text);
	}
	cmd->nenv = 0;
	msp_redact_release(&cmd->secrets);
	cmd->error = 0;
}

/* Remember the first failure of a builder call; returns r. */
static int note(struct msp_cmd *cmd, int r)
{
	if (r < 0 && cmd->error == 0)
		cmd->error = r;
	return r;
}

/* Take ownership of a (NULL: out of memory). */
static int add_owned(struct msp_cmd *cmd, char *a)
{
	if (!a)
		return note(cmd, MSP_ENOMEM);
	if (cmd->narg == MSP_CMD_ARGS_MAX) {
		free(a);
		return note(cmd, MSP_ETOOBIG);
	}
	cmd->arg[cmd->narg++] = a;
	return 0;
}

int msp_cmd_arg(struct msp_cmd *cmd, const char *arg)
{
	return arg ? add_owned(cmd, strdup(arg)) : note(cmd, MSP_EINVAL);
}

int msp_cmd_argf(struct msp_cmd *cmd, const char *fmt, ...)
{
	va_list ap;
	char *a;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&a, fmt, ap);
	va_end(ap);
	return add_owned(cmd, n < 0 ? NULL : a);
}

int msp_cmd_args(struct msp_cmd *cmd, const char *const *args)
{
	int r = 0;

	for (size_t i = 0; args[i] && r == 0; i++)
		r = msp_cmd_arg(cmd, args[i]);
	return r;
}

int msp_cmd_sudo(struct msp_cmd *cmd, bool on, bool keep_env)
{
	cmd->sudo = on;
	cmd->sudo_keep_env = on && keep_env;
	return 0;
}

int msp_cmd_secret(struct msp_cmd *cmd, const char *text)
{
	return note(cmd, msp_redact_add(&cmd->secrets, text));
}

int msp_cmd_secret_location(struct msp_cmd *cmd, const char *location)
{
	return location ? note(cmd, msp_redact_add_location(&cmd->secrets, location)) : 0;
}

/* The index of variable name (len bytes) in cmd->env, or cmd->nenv. */
static size_t env_find(const struct msp_cmd *cmd, const char *name, size_t len)
{
	size_t i;

	for (i = 0; i < cmd->nenv; i++)
		if (strncmp(cmd->env[i].text, name, len) == 0 && cmd->env[i].text[len] == '=')
			break;
	return i;
}

int msp_cmd_env(struct msp_cmd *cmd, const char *name, const char *value, unsigned flags)
{
	size_t len = name ? strlen(name) : 0, i;
	char *text;

	if (!value)
		return 0;
	if (!len || strchr(name, '='))
		return note(cmd, MSP_EINVAL);
	if ((flags & MSP_CMD_ENV_SECRET) && msp_cmd_secret(cmd, value) < 0)
		return cmd->error;
	i = env_find(cmd, name, len);
	if (i == MSP_CMD_ENV_MAX)
		return note(cmd, MSP_ETOOBIG);
	if (asprintf(&text, "%s=%s", name, value) < 0)
		return note(cmd, MSP_ENOMEM);
	if (i < cmd->nenv) {
		explicit_bzero(cmd->env[i].text, strlen(cmd->env[i].text));
		free(cmd->env[i].text);
	} else {
		cmd->nenv++;
	}
	cmd->env[i].text = text;
	cmd->env[i].flags = flags;
	return 0;
}

int msp_cmd_env_pass(struct msp_cmd *cmd, const char *name, unsigned flags)
{
	const char *v = getenv(name);

	return v && *v ? msp_cmd_env(cmd, name, v, flags) : 0;
}

/* PATH and LC_ALL when the caller set none, first in the list (as -v shows them). */
static int env_defaults(struct msp_cmd *cmd)
{
	static const struct {
		const char *name, *value;
		unsigned flags;
	} def[] = { { "PATH", MSP_CMD_PATH, MSP_CMD_ENV_NO_SUDO }, { "LC_ALL", "C", 0 } };

	for (size_t d = sizeof(def) / sizeof(def[0]); d-- > 0;) {
		char *text;

		if (env_find(cmd, def[d].name, strlen(def[d].name)) < cmd->nenv)
			continue;
		if (cmd->nenv == MSP_CMD_ENV_MAX)
			return note(cmd, MSP_ETOOBIG);
		if (asprintf(&text, "%s=%s", def[d].name, def[d].value) < 0)
			return note(cmd, MSP_ENOMEM);
		memmove(&cmd->env[1], &cmd->env[0], cmd->nenv * sizeof(cmd->env[0]));
		cmd->env[0].text = text;
		cmd->env[0].flags = def[d].flags;
		cmd->nenv++;
	}
	return 0;
}

/* "--preserve-env=A,B" for sudo: the variables without MSP_CMD_ENV_NO_SUDO.  NULL on ENOMEM. */
static char *preserve_arg(const struct msp_cmd *cmd)
{
	struct msp_buf b;

	msp_buf_init(&b, 1 << 16);
	msp_buf_adds(&b, "--preserve-env=");
	for (size_t i = 0, n = 0; i < cmd->nenv; i++)
		if (!(cmd->env[i].flags & MSP_CMD_ENV_NO_SUDO))
			msp_buf_addf(&b, "%s%.*s", n++ ? "," : "", (int)strcspn(cmd->env[i].text, "="),
				     cmd->env[i].text);
	return msp_buf_detach(&b);
}

/* argv as it runs (sudo first); *ret_pre owns the --preserve-env word.  NULL on ENOMEM. */
static const char **make_argv(const struct msp_cmd *cmd, char **ret_pre)
{
	const char **argv = calloc(cmd->narg + 6, sizeof(*argv));
	size_t n = 0;

	*ret_pre = NULL;
	if (!argv)
		return NULL;
	if (cmd->sudo) {
		argv[n++] = "sudo";
		argv[n++] = "-n";
		if (cmd->sudo_keep_env) {
			if (!(*ret_pre = preserve_arg(cmd))) {
				free(argv);
				return NULL;
			}
			argv[n++] = *ret_pre;
		}
		argv[n++] = "--";
	}
	argv[n++] = cmd->program;
	for (size_t i = 0; i < cmd->narg; i++)
		argv[n++] = cmd->arg[i];
	argv[n] = NULL;
	return argv;
}

/* One word as a POSIX shell reads it back: plain when safe, else in single quotes. */
static void add_quoted(struct msp_buf *b, const char *w)
{
	if (*w && strspn(w, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789@%+=:,./_-") == strlen(w)) {
		msp_buf_adds(b, w);
		return;
	}
	msp_buf_adds(b, "'");
	for (const char *p = w; *p; p++) {
		if (*p == '\'')
			msp_buf_adds(b, "'\\''");
		else
			msp_buf_add(b, p, 1);
	}
	msp_buf_adds(b, "'");
}

/* Show text (redacted whole, then cut) at -v level. */
static void show_redacted(const struct msp_cmd *cmd, int level, const char *label, const char *text)
{
	char *red = msp_redact_dup(&cmd->secrets, text);

	msp_verbose(cmd->ctx, level, "%s%.4000s", label, red ? red : "(out of memory)");
	if (red)
		explicit_bzero(red, strlen(red));
	free(red);
}

void msp_cmd_show(const struct msp_cmd *cmd)
{
	const char **argv;
	struct msp_buf b;
	char *pre;

	if (!cmd->ctx || cmd->ctx->verbose < 1)
		return;
	msp_buf_init(&b, 1 << 20);
	argv = make_argv(cmd, &pre);
	for (size_t i = 0; argv && argv[i]; i++) {
		if (i)
			msp_buf_adds(&b, " ");
		add_quoted(&b, argv[i]);
	}
	show_redacted(cmd, 1, "running: ", argv ? msp_buf_str(&b) : "(out of memory)");
	free(argv);
	free(pre);
	msp_buf_reset(&b);
	for (size_t i = 0; i < cmd->nenv; i++) {
		size_t name = strcspn(cmd->env[i].text, "=");
		bool hide = cmd->env[i].flags & (MSP_CMD_ENV_SECRET | MSP_CMD_ENV_HIDDEN);

		msp_buf_addf(&b, " %.*s=", (int)name, cmd->env[i].text);
		if (hide)
			msp_buf_adds(&b, "(hidden)");
		else
			add_quoted(&b, cmd->env[i].text + name + 1);
	}
	show_redacted(cmd, 1, "environment:", msp_buf_str(&b));
	explicit_bzero(b.data, b.len);
	msp_buf_release(&b);
}

int msp_cmd_run(struct msp_cmd *cmd, const struct timespec *deadline, size_t out_max, size_t err_max,
		struct msp_exec_result *ret, struct msp_error *err)
{
	const char **argv = NULL, **envp = NULL;
	char *pre = NULL;
	int r;

	memset(ret, 0, sizeof(*ret));
	if (!cmd->program || !*cmd->program)
		note(cmd, MSP_EINVAL);
	env_defaults(cmd);
	if (cmd->error < 0)
		return msp_error_set(err, cmd->error, "cannot run '%.200s': %s", cmd->program ? cmd->program : "(none)",
				     cmd->error == MSP_ETOOBIG ? "too many arguments, variables or secrets" :
				     cmd->error == MSP_ENOMEM  ? "out of memory" :
								 "no program or a bad variable name");
	if (!deadline && cmd->ctx)
		deadline = &cmd->ctx->deadline;
	argv = make_argv(cmd, &pre);
	envp = calloc(cmd->nenv + 1, sizeof(*envp));
	if (!argv || !envp) {
		r = msp_error_set(err, MSP_ENOMEM, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < cmd->nenv; i++)
		envp[i] = cmd->env[i].text;
	msp_cmd_show(cmd);
	cmd->out_max = out_max;
	r = msp_exec_run(argv, envp, deadline, out_max, err_max, ret, err);
	if (r == 0 && cmd->ctx && cmd->ctx->verbose >= 2) {
		char head[64];

		if (ret->exited)
			snprintf(head, sizeof(head), "exit %d, stderr: ", ret->exit_code);
		else
			snprintf(head, sizeof(head), "%s, stderr: ", ret->exec_failed ? "not started" : "killed");
		show_redacted(cmd, 2, head, msp_buf_str(&ret->err));
	}
	if (r < 0)
		msp_redact_buf(&cmd->secrets, err->msg, err->msg, sizeof(err->msg));
out:
	free(argv);
	free(envp);
	free(pre);
	return r;
}

/* ------------------------------------------------------------- the error line */

/* The length of an ANSI escape sequence at p (ESC [ ... final byte, ESC x); 0 when none. */
static size_t ansi_len(const char *p, const char *end)
{
	const char *q = p + 1;

	if (*p != '\033')
		return 0;
	if (q < end && *q == '[') {
		for (q++; q < end && (unsigned char)*q >= 0x20 && (unsigned char)*q < 0x40; q++)
			;
		return (size_t)(q < end ? q + 1 - p : q - p);
	}
	return (size_t)(q < end ? 2 : 1);
}

/* [p, end) without escape sequences and control characters (a tab becomes a blank), trailing blanks. */
static void clean_line(const char *p, const char *end, struct msp_buf *b)
{
	msp_buf_reset(b);
	while (p < end) {
		size_t n = ansi_len(p, end);

		if (n) {
			p += n;
			continue;
		}
		if (*p == '\t')
			msp_buf_adds(b, " ");
		else if ((unsigned char)*p >= 0x20 && *p != 0x7f)
			msp_buf_add(b, p, 1);
		p++;
	}
	while (b->len && b->data[b->len - 1] == ' ')
		b->data[--b->len] = '\0';
}

/* The next line of text at *pp, cleaned into b; false at the end. */
static bool next_line(const char **pp, struct msp_buf *b)
{
	const char *p = *pp;
	size_t n;

	if (!*p)
		return false;
	n = strcspn(p, "\n");
	clean_line(p, p + n, b);
	*pp = p + n + (p[n] == '\n');
	return true;
}

/* The exception that ends the last traceback in text (cleaned into b); false when none. */
static bool last_exception(const char *text, struct msp_buf *b)
{
	const char *p = text, *tb = NULL, *hit;

	while ((hit = strstr(p, TRACEBACK))) {
		tb = hit;
		p = hit + 1;
	}
	if (!tb)
		return false;
	p = tb;
	next_line(&p, b);
	while (next_line(&p, b))
		if (b->len && msp_buf_str(b)[0] != ' ')
			return true;
	return false;
}

/* Copy s into buf, cut at a UTF-8 character boundary with "..." when it does not fit. */
static void copy_cut(const char *s, char *buf, size_t len)
{
	size_t n = strlen(s);

	if (n < len) {
		memcpy(buf, s, n + 1);
		return;
	}
	if (len < 4) {
		buf[0] = '\0';
		return;
	}
	n = len - 4;
	while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
		n--;
	memcpy(buf, s, n);
	memcpy(buf + n, "...", 4);
}

int msp_cmd_error_line(const struct msp_redact *secrets, const char *text, char *buf, size_t len)
{
	struct msp_redact none;
	struct msp_buf line;
	const char *p;
	char *red;
	bool found = false;

	buf[0] = '\0';
	msp_redact_init(&none);
	if (!(red = msp_redact_dup(secrets ? secrets : &none, text)))
		return MSP_ENOMEM;
	msp_buf_init(&line, 1 << 20);
	for (p = red; !found && next_line(&p, &line);)
		found = line.len > 0;
	/* A traceback first: its header and frames say nothing, its last line says what went wrong. */
	if (found && strncmp(msp_buf_str(&line) + strspn(msp_buf_str(&line), " "), TRACEBACK, strlen(TRACEBACK)) == 0)
		found = last_exception(red, &line);
	if (found)
		copy_cut(msp_buf_str(&line) + strspn(msp_buf_str(&line), " "), buf, len);
	explicit_bzero(red, strlen(red));
	free(red);
	if (line.data)
		explicit_bzero(line.data, line.len);
	msp_buf_release(&line);
	return 0;
}

/* ------------------------------------------------------------------ judge */

/* "16 MiB", "64 KiB" or "1000 bytes". */
static void size_text(size_t n, char *buf, size_t len)
{
	if (n && n % (1u << 20) == 0)
		snprintf(buf, len, "%zu MiB", n >> 20);
	else if (n && n % 1024 == 0)
		snprintf(buf, len, "%zu KiB", n >> 10);
	else
		snprintf(buf, len, "%zu bytes", n);
}

/* How the run ended, with the short reason (not redacted yet). */
static enum msp_cmd_end classify(const struct msp_cmd *cmd, const struct msp_exec_result *res,
				 const struct msp_cmd_expect *ex, const char *prog, char *reason, size_t len)
{
	char size[32];

	if (res->exec_failed && res->errno_exec == ENOENT) {
		snprintf(reason, len, "'%s' not found", prog);
		return MSP_CMD_NOT_FOUND;
	}
	if (res->exec_failed) {
		snprintf(reason, len, "cannot run '%s': %s", prog, strerror(res->errno_exec));
		return MSP_CMD_CANNOT_START;
	}
	if (res->timed_out) {
		if (cmd->ctx)
			snprintf(reason, len, "timed out after %u s", cmd->ctx->timeout);
		else
			snprintf(reason, len, "timed out");
		return MSP_CMD_TIMED_OUT;
	}
	if (!res->exited) {
		const char *name = sigabbrev_np(res->signal);

		snprintf(reason, len, "killed by signal %d%s%s%s", res->signal, name ? " (SIG" : "", name ? name : "",
			 name ? ")" : "");
		return MSP_CMD_KILLED;
	}
	if (res->exit_code != 0 &&
	    (res->exit_code >= 64 || res->exit_code < 0 || !(ex->ok_exits & MSP_CMD_EXIT_OK(res->exit_code)))) {
		snprintf(reason, len, "exit status %d", res->exit_code);
		return MSP_CMD_EXIT;
	}
	if (ex->whole_output && res->out.truncated) {
		size_text(cmd->out_max, size, sizeof(size));
		snprintf(reason, len, "more than %s of output", size);
		return MSP_CMD_TRUNCATED;
	}
	return MSP_CMD_OK;
}

/* The one-line message for end (not redacted yet). */
static void message(const struct msp_cmd *cmd, const struct msp_cmd_expect *ex, const char *prog,
		    const struct msp_exec_result *res, struct msp_cmd_verdict *v)
{
	const char *what = ex->what ? ex->what : prog;
	char size[32];

	switch (v->end) {
	case MSP_CMD_OK:
		v->msg[0] = '\0';
		break;
	case MSP_CMD_NOT_FOUND:
		snprintf(v->msg, sizeof(v->msg), "%s%s%s%s%s", v->reason, strchr(prog, '/') ? "" : " in PATH",
			 ex->hint ? " (" : "", ex->hint ? ex->hint : "", ex->hint ? ")" : "");
		break;
	case MSP_CMD_TIMED_OUT:
		snprintf(v->msg, sizeof(v->msg), "%s while running %s", v->reason, what);
		break;
	case MSP_CMD_KILLED:
		snprintf(v->msg, sizeof(v->msg), "%s was %s", what, v->reason);
		break;
	case MSP_CMD_EXIT:
		snprintf(v->msg, sizeof(v->msg), "%s failed (exit %d)%s%s", what, res->exit_code,
			 v->line[0] ? ": " : "", v->line);
		break;
	case MSP_CMD_TRUNCATED:
		size_text(cmd->out_max, size, sizeof(size));
		snprintf(v->msg, sizeof(v->msg), "%s printed more than %s", what, size);
		break;
	default:
		snprintf(v->msg, sizeof(v->msg), "%s", v->reason);
		break;
	}
}

int msp_cmd_judge(const struct msp_cmd *cmd, const struct msp_exec_result *res, const struct msp_cmd_expect *expect,
		  struct msp_cmd_verdict *ret, struct msp_error *err)
{
	static const struct msp_cmd_expect none;
	const struct msp_cmd_expect *ex = expect ? expect : &none;
	const char *prog = cmd->sudo ? "sudo" : cmd->program ? cmd->program : "";

	memset(ret, 0, sizeof(*ret));
	ret->end = classify(cmd, res, ex, prog, ret->reason, sizeof(ret->reason));
	if (msp_cmd_error_line(&cmd->secrets, msp_buf_str(&res->err), ret->line, sizeof(ret->line)) < 0) {
		ret->state = MSP_STATE_UNKNOWN;
		snprintf(ret->msg, sizeof(ret->msg), "out of memory");
		return msp_error_set(err, MSP_ENOMEM, "out of memory");
	}
	message(cmd, ex, prog, res, ret);
	/* The program's name, what and hint may hold a secret too (a URL in what). */
	msp_redact_buf(&cmd->secrets, ret->reason, ret->reason, sizeof(ret->reason));
	msp_redact_buf(&cmd->secrets, ret->msg, ret->msg, sizeof(ret->msg));
	if (ret->end == MSP_CMD_OK)
		ret->state = MSP_STATE_OK;
	else if (ret->end == MSP_CMD_TIMED_OUT) /* what -t STATE or --timeout-result says */
		ret->state = cmd->ctx ? cmd->ctx->timeout_state : MSP_STATE_UNKNOWN;
	else /* a failure is never OK */
		ret->state = ex->fail_state == MSP_STATE_OK ? MSP_STATE_UNKNOWN : ex->fail_state;
	return 0;
}
