/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test_msp_cmd.c - the tool runner on real child processes: small /bin/sh
 * scripts in a temporary directory that exit 0/1/2/127, die by a signal,
 * sleep past the deadline, print a Python traceback or echo secrets; the
 * argv and environment they get; the -v display; the builder's limits.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <setjmp.h>
#include <cmocka.h>

#include "msp.h"
#include "msp_cmd.h"
#include "../helpers/msp_test.h"

static char dir[64];

/* Write an executable /bin/sh script dir/name with body; returns its path (static buffer per call site). */
static const char *script(const char *name, const char *body, char *path, size_t len)
{
	FILE *f;

	snprintf(path, len, "%s/%s", dir, name);
	f = fopen(path, "w");
	assert_non_null(f);
	fprintf(f, "#!/bin/sh\n%s\n", body);
	assert_int_equal(fclose(f), 0);
	assert_int_equal(chmod(path, 0755), 0);
	return path;
}

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/test_msp_cmd.XXXXXX");
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof(cmd), "%s", dir);
	/* the scripts only: the directory holds nothing else */
	for (const char *n = "ok\0fail\0tb\0kill\0sleep\0secret\0env\0args\0quiet\0big\0ansi\0noexec\0"; *n;
	     n += strlen(n) + 1) {
		char p[128];

		snprintf(p, sizeof(p), "%s/%s", dir, n);
		unlink(p);
	}
	return rmdir(cmd);
}

static struct msp_context ctx_v(int verbose)
{
	struct msp_context c = { .verbose = verbose, .timeout = 7, .timeout_state = MSP_STATE_CRITICAL };

	c.deadline = msp_deadline_in(10);
	return c;
}

/* Run cmd with a deadline secs from now and judge it with ex; asserts both calls worked. */
static void run_judge(struct msp_cmd *cmd, double secs, const struct msp_cmd_expect *ex, struct msp_exec_result *res,
		      struct msp_cmd_verdict *v)
{
	struct timespec deadline = msp_deadline_in(secs);
	struct msp_error err;

	msp_error_init(&err);
	if (msp_cmd_run(cmd, &deadline, 1 << 16, 1 << 16, res, &err) != 0)
		fail_msg("msp_cmd_run failed: %s", err.msg);
	assert_int_equal(msp_cmd_judge(cmd, res, ex, v, &err), 0);
}

static void test_cmd__exit_0_is_ok_with_output(void **state)
{
	struct msp_context ctx = ctx_v(0);
	struct msp_exec_result res;
	struct msp_cmd_verdict v;
	struct msp_cmd cmd;
	char p[128];

	(void)state;
	msp_cmd_init(&cmd, &ctx, script("ok", "echo \"out:$1:$2\"; echo 'W: a warning' >&2", p, sizeof(p)));
	assert_int_equal(msp_cmd_arg(&cmd, "a b"), 0);
	assert_int_equal(msp_cmd_argf(&cmd, "n=%d", 5), 0);
	run_judge(&cmd, 5, NULL, &res, &v);
	assert_int_equal(v.end, MSP_CMD_OK);
	assert_int_equal(v.state, MSP_STATE_OK);
	assert_string_equal(v.msg, "");
	assert_string_equal(v.line, "W: a warning"); /* a warning on stderr is there for the caller */
	assert_string_equal(msp_buf_str(&res.out), "out:a b:n=5\n");
	msp_exec_result_release(&res);
	msp_cmd_release(&cmd);
}

static void test_cmd__exit_codes_judged_by_expect(void **state)
{
	struct msp_context ctx = ctx_v(0);
	struct msp_cmd_expect ex = { .what = "tool list",
				     .ok_exits = MSP_CMD_EXIT_OK(1),
				     .fail_state = MSP_STATE_CRITICAL };
	static const struct {
		const char *code;
		enum msp_cmd_end end;
		enum msp_state state;
		const char *msg;
	} t[] = {
		{ "1", MSP_CMD_OK, MSP_STATE_OK, "" },
		{ "2", MSP_CMD_EXIT, MSP_STATE_CRITICAL, "tool list failed (exit 2): Fatal: repository is gone" },
		{ "127", MSP_CMD_EXIT, MSP_STATE_CRITICAL, "tool list failed (exit 127): Fatal: repository is gone" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct msp_exec_result res;
		struct msp_cmd_verdict v;
		struct msp_cmd cmd;
		char p[128];

		msp_cmd_init(&cmd, &ctx,
			     script("fail",
				    "printf '\\n\\n  Fatal: repository is gone\\nusage: ...\\n' >&2; exit \"$1\"", p,
				    sizeof(p)));
		msp_cmd_arg(&cmd, t[i].code);
		run_judge(&cmd, 5, &ex, &res, &v);
		assert_int_equal(v.end, t[i].end);
		assert_int_equal(v.state, t[i].state);
		assert_string_equal(v.msg, t[i].msg);
		if (t[i].end == MSP_CMD_EXIT) {
			char reason[32];

			snprintf(reason, sizeof(reason), "exit status %s", t[i].code);
			assert_string_equal(v.reason, reason);
		}
		msp_exec_result_release(&res);
		msp_cmd_release(&cmd);
	}
}

static void test_cmd__failure_is_never_ok(void **state)
{
	struct msp_context ctx = ctx_v(0);
	struct msp_exec_result res;
	struct msp_cmd_verdict v;
	struct msp_cmd cmd;
	char p[128];

	(void)state;
	/* a zeroed expect: fail_state reads OK, which a failure never is */
	msp_cmd_init(&cmd, &ctx, script("quiet", "exit 1", p, sizeof(p)));
	run_judge(&cmd, 5, NULL, &res, &v);
	assert_int_equal(v.end, MSP_CMD_EXIT);
	assert_int_equal(v.state, MSP_STATE_UNKNOWN);
	assert_non_null(strstr(v.msg, "/quiet failed (exit 1)"));
	assert_null(strchr(v.msg, ':')); /* no stderr: nothing quoted */
	msp_exec_result_release(&res);
	msp_cmd_release(&cmd);
}

static void test_cmd__python_traceback_quotes_the_exception(void **state)
{
	struct msp_context ctx = ctx_v(0);
	struct msp_cmd_expect ex = { .what = "borg list" };
	struct msp_exec_result res;
	struct msp_cmd_verdict v;
	struct msp_cmd cmd;
	char p[128];

	(void)state;
	msp_cmd_init(
		&cmd, &ctx,
		script("tb",
		       "cat >&2 <<'EOF'\n\nTraceback (most recent call last):\n"
		       "  File \"/usr/lib/python3/dist-packages/borg/archiver.py\", line 5, in main\n"
		       "    exit_code = archiver.run(args)\n"
		       "  File \"/usr/lib/python3/dist-packages/borg/locking.py\", line 9, in acquire\n"
		       "    raise LockFailed(self.path, str(err)) from None\n"
		       "borg.locking.LockFailed: Failed to create/acquire the lock /r/lock.exclusive\n\nEOF\nexit 2",
		       p, sizeof(p)));
	run_judge(&cmd, 5, &ex, &res, &v);
	assert_string_equal(v.line, "borg.locking.LockFailed: Failed to create/acquire the lock /r/lock.exclusive");
	assert_string_equal(v.msg, "borg list failed (exit 2): borg.locking.LockFailed: Failed to create/acquire the "
				   "lock /r/lock.exclusive");
	msp_exec_result_release(&res);
	msp_cmd_release(&cmd);
}

static void test_cmd__error_line_rules(void **state)
{
	static const struct {
		const char *text, *line;
	} t[] = {
		{ "", "" },
		{ "\n \n\t\n", "" },
		{ "\033[31mE: \033[0mUnable to locate\r\n", "E: Unable to locate" },
		{ "a\tb\x01\x7f c\n", "a b c" },
		{ "first\nsecond\n", "first" },
		/* chained: the last exception is what was raised */
		{ "Traceback (most recent call last):\n  File \"a\", line 1\nKeyError: 'x'\n\nDuring handling of the "
		  "above exception, another exception occurred:\n\nTraceback (most recent call last):\n  File \"b\"\n"
		  "ValueError: bad\n",
		  "ValueError: bad" },
		/* a traceback cut before its exception: nothing meaningful */
		{ "Traceback (most recent call last):\n  File \"a\", line 1\n", "" },
		/* a message before the traceback is the first meaningful line */
		{ "Local Exception\nTraceback (most recent call last):\n  File \"a\"\nOSError: x\n",
		  "Local Exception" },
	};
	char buf[64];

	(void)state;
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		assert_int_equal(msp_cmd_error_line(NULL, t[i].text, buf, sizeof(buf)), 0);
		assert_string_equal(buf, t[i].line);
	}
	/* cut at a character boundary, marked */
	assert_int_equal(msp_cmd_error_line(NULL, "\xc3\xa4\xc3\xa4\xc3\xa4\xc3\xa4", buf, 8), 0);
	assert_string_equal(buf, "\xc3\xa4\xc3\xa4...");
}

static void test_cmd__secrets_redacted_before_the_cut(void **state)
{
	struct msp_redact r;
	char buf[16];

	(void)state;
	msp_redact_init(&r);
	assert_int_equal(msp_redact_add(&r, "TopSecretPassword"), 0);
	/* the secret runs past the cut: not even its start may show */
	assert_int_equal(msp_cmd_error_line(&r, "error: pw TopSecretPassword wrong\n", buf, sizeof(buf)), 0);
	assert_null(strstr(buf, "Top"));
	assert_string_equal(buf, "error: pw **...");
	msp_redact_release(&r);
}

static void test_cmd__killed_by_signal_named(void **state)
{
	struct msp_context ctx = ctx_v(0);
	struct msp_cmd_expect ex = { .what = "borg list" };
	struct msp_exec_result res;
	struct msp_cmd_verdict v;
	struct msp_cmd cmd;
	char p[128];

	(void)state;
	msp_cmd_init(&cmd, &ctx, script("kill", "kill -9 $$", p, sizeof(p)));
	run_judge(&cmd, 5, &ex, &res, &v);
	assert_int_equal(v.end, MSP_CMD_KILLED);
	assert_int_equal(v.state, MSP_STATE_UNKNOWN);
	assert_string_equal(v.reason, "killed by signal 9 (SIGKILL)");
	assert_string_equal(v.msg, "borg list was killed by signal 9 (SIGKILL)");
	msp_exec_result_release(&res);
	msp_cmd_release(&cmd);
}

static void test_cmd__timeout_takes_the_timeout_state(void **state)
{
	struct msp_context ctx = ctx_v(0);
	struct msp_cmd_expect ex = { .what = "restic snapshots" };
	struct msp_exec_result res;
	struct msp_cmd_verdict v;
	struct msp_cmd cmd;
	char p[128];

	(void)state;
	msp_cmd_init(&cmd, &ctx, script("sleep", "exec sleep 30", p, sizeof(p)));
	run_judge(&cmd, 0.3, &ex, &res, &v);
	assert_int_equal(v.end, MSP_CMD_TIMED_OUT);
	assert_int_equal(v.state, MSP_STATE_CRITICAL);
	assert_string_equal(v.msg, "timed out after 7 s while running restic snapshots");
	msp_exec_result_release(&res);
	msp_cmd_release(&cmd);
}

static void test_cmd__not_found_and_cannot_start(void **state)
{
	struct msp_context ctx = ctx_v(0);
	struct msp_cmd_expect ex = { .hint = "install restic or give --restic-bin", .fail_state = MSP_STATE_CRITICAL };
	struct msp_exec_result res;
	struct msp_cmd_verdict v;
	struct msp_cmd cmd;
	char p[128], want[256];
	int fd;

	(void)state;
	msp_cmd_init(&cmd, &ctx, "msp-no-such-tool");
	run_judge(&cmd, 5, &ex, &res, &v);
	assert_int_equal(v.end, MSP_CMD_NOT_FOUND);
	assert_int_equal(v.state, MSP_STATE_CRITICAL);
	assert_string_equal(v.msg, "'msp-no-such-tool' not found in PATH (install restic or give --restic-bin)");
	msp_exec_result_release(&res);
	msp_cmd_release(&cmd);

	/* through sudo: what was not found is sudo */
	msp_cmd_init(&cmd, &ctx, "restic");
	msp_cmd_sudo(&cmd, true, false);
	msp_cmd_env(&cmd, "PATH", dir, 0);
	run_judge(&cmd, 5, NULL, &res, &v);
	assert_string_equal(v.msg, "'sudo' not found in PATH");
	msp_exec_result_release(&res);
	msp_cmd_release(&cmd);

	snprintf(p, sizeof(p), "%s/noexec", dir);
	fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	assert_true(fd >= 0);
	close(fd);
	msp_cmd_init(&cmd, &ctx, p);
	run_judge(&cmd, 5, &ex, &res, &v);
	assert_int_equal(v.end, MSP_CMD_CANNOT_START);
	snprintf(want, sizeof(want), "cannot run '%s': Permission denied", p);
	assert_string_equal(v.msg, want);
	msp_exec_result_release(&res);
	msp_cmd_release(&cmd);
}

static void test_cmd__truncated_output_when_all_is_needed(void **state)
{
	struct msp_context ctx = ctx_v(0);
	struct msp_cmd_expect ex = { .what = "needrestart -b", .whole_output = true };
	struct timespec deadline = msp_deadline_in(5);
	struct msp_exec_result res;
	struct msp_cmd_verdict v;
	struct msp_error err;
	struct msp_cmd cmd;
	char p[128];

	(void)state;
	msp_error_init(&err);
	msp_cmd_init(&cmd, &ctx, script("big", "head -c 5000 /dev/zero", p, sizeof(p)));
	assert_int_equal(msp_cmd_run(&cmd, &deadline, 2048, 1024, &res, &err), 0);
	assert_int_equal(msp_cmd_judge(&cmd, &res, &ex, &v, &err), 0);
	assert_int_equal(v.end, MSP_CMD_TRUNCATED);
	assert_string_equal(v.msg, "needrestart -b printed more than 2 KiB");
	assert_string_equal(v.reason, "more than 2 KiB of output");
	ex.whole_output = false;
	assert_int_equal(msp_cmd_judge(&cmd, &res, &ex, &v, &err), 0);
	assert_int_equal(v.end, MSP_CMD_OK);
	msp_exec_result_release(&res);
	msp_cmd_release(&cmd);
}

static void test_cmd__clean_environment(void **state)
{
	struct msp_context ctx = ctx_v(0);
	struct msp_exec_result res;
	struct msp_cmd_verdict v;
	struct msp_cmd cmd;
	char p[128];

	(void)state;
	setenv("MSP_CMD_LEAK", "leak", 1);
	setenv("MSP_CMD_PASS", "passed", 1);
	msp_cmd_init(&cmd, &ctx, script("env", "env | LC_ALL=C sort", p, sizeof(p)));
	assert_int_equal(msp_cmd_env(&cmd, "TOOL_REPO", "/srv/r", 0), 0);
	assert_int_equal(msp_cmd_env(&cmd, "TOOL_REPO", "/srv/other", 0), 0); /* replaced, not twice */
	assert_int_equal(msp_cmd_env_pass(&cmd, "MSP_CMD_PASS", 0), 0);
	assert_int_equal(msp_cmd_env_pass(&cmd, "MSP_CMD_UNSET_VAR", 0), 0);
	assert_int_equal(msp_cmd_env(&cmd, "TOOL_NONE", NULL, 0), 0);
	run_judge(&cmd, 5, NULL, &res, &v);
	assert_int_equal(v.end, MSP_CMD_OK);
	/* sh adds PWD (and maybe SHLVL, _); nothing of ours but what was added */
	assert_non_null(strstr(msp_buf_str(&res.out), "LC_ALL=C\nMSP_CMD_PASS=passed\nPATH=" MSP_CMD_PATH "\n"));
	assert_non_null(strstr(msp_buf_str(&res.out), "TOOL_REPO=/srv/other\n"));
	assert_null(strstr(msp_buf_str(&res.out), "/srv/r\n"));
	assert_null(strstr(msp_buf_str(&res.out), "MSP_CMD_LEAK"));
	assert_null(strstr(msp_buf_str(&res.out), "HOME="));
	msp_exec_result_release(&res);
	msp_cmd_release(&cmd);
	unsetenv("MSP_CMD_LEAK");
	unsetenv("MSP_CMD_PASS");
}

/* Capture what msp_verbose writes to stderr while fn runs. */
static void capture_stderr(void (*fn)(void *), void *arg, char *buf, size_t len)
{
	char path[128];
	int fd, saved;
	ssize_t n;

	snprintf(path, sizeof(path), "%s/stderr.txt", dir);
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	assert_true(fd >= 0);
	fflush(stderr);
	saved = dup(2);
	dup2(fd, 2);
	fn(arg);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	n = pread(fd, buf, len - 1, 0);
	buf[n > 0 ? n : 0] = '\0';
	close(fd);
	unlink(path);
}

struct secret_run {
	struct msp_cmd *cmd;
	struct msp_exec_result *res;
	struct msp_cmd_verdict *v;
};

static void do_secret_run(void *arg)
{
	struct secret_run *s = arg;

	run_judge(s->cmd, 5, NULL, s->res, s->v);
}

static void test_cmd__secrets_never_show(void **state)
{
	struct msp_context ctx = ctx_v(3);
	struct msp_cmd_expect ex = { 0 };
	struct msp_exec_result res;
	struct msp_cmd_verdict v;
	struct msp_cmd cmd;
	struct secret_run s = { &cmd, &res, &v };
	char p[128], out[8192];

	(void)state;
	(void)ex;
	msp_cmd_init(&cmd, &ctx,
		     script("secret", "echo \"Fatal: cannot use $TOOL_PW nor $TOOL_CMD for $1\" >&2; exit 1", p,
			    sizeof(p)));
	assert_int_equal(msp_cmd_env(&cmd, "TOOL_PW", "Pw-S3cret", MSP_CMD_ENV_SECRET), 0);
	assert_int_equal(msp_cmd_env(&cmd, "TOOL_CMD", "cat /etc/pw", MSP_CMD_ENV_HIDDEN), 0);
	assert_int_equal(msp_cmd_secret_location(&cmd, "sftp://u:Url-S3cret@host/repo"), 0);
	assert_int_equal(msp_cmd_arg(&cmd, "sftp://u:Url-S3cret@host/repo"), 0);
	capture_stderr(do_secret_run, &s, out, sizeof(out));
	assert_int_equal(v.end, MSP_CMD_EXIT);
	assert_null(strstr(v.msg, "S3cret"));
	assert_non_null(
		strstr(v.msg, "failed (exit 1): Fatal: cannot use *** nor cat /etc/pw for sftp://u:***@host/repo"));
	/* -v: the command shell-quoted and redacted; hidden values hidden; -vv: stderr redacted */
	assert_null(strstr(out, "S3cret"));
	assert_null(strstr(out, "TOOL_CMD=cat"));
	assert_non_null(strstr(out, "running: "));
	assert_non_null(strstr(out, "/secret sftp://u:***@host/repo\n"));
	assert_non_null(
		strstr(out, "environment: PATH=" MSP_CMD_PATH " LC_ALL=C TOOL_PW=(hidden) TOOL_CMD=(hidden)\n"));
	assert_non_null(strstr(out, "exit 1, stderr: Fatal: cannot use ***"));
	msp_exec_result_release(&res);
	msp_cmd_release(&cmd);
}

static void show(void *arg)
{
	msp_cmd_show(arg);
}

static void test_cmd__show_quotes_like_a_shell(void **state)
{
	struct msp_context ctx = ctx_v(1);
	struct msp_cmd cmd;
	char out[4096];

	(void)state;
	msp_cmd_init(&cmd, &ctx, "borg");
	msp_cmd_sudo(&cmd, true, true);
	msp_cmd_env(&cmd, "HOME", "/root", MSP_CMD_ENV_NO_SUDO);
	msp_cmd_env(&cmd, "BORG_PASSPHRASE", "x y", MSP_CMD_ENV_SECRET);
	msp_cmd_env(&cmd, "TZ", "UTC0", 0);
	msp_cmd_arg(&cmd, "it's");
	msp_cmd_arg(&cmd, "");
	msp_cmd_arg(&cmd, "a b");
	msp_cmd_arg(&cmd, "/srv/r::home-1");
	/* the defaults are in place once the command ran or was judged ready; show them before too */
	capture_stderr(show, &cmd, out, sizeof(out));
	assert_non_null(strstr(out, "running: sudo -n --preserve-env=BORG_PASSPHRASE,TZ -- borg 'it'\\''s' '' 'a b' "
				    "/srv/r::home-1\n"));
	assert_non_null(strstr(out, "environment: HOME=/root BORG_PASSPHRASE=(hidden) TZ=UTC0\n"));
	msp_cmd_release(&cmd);

	/* without -v nothing */
	ctx.verbose = 0;
	msp_cmd_init(&cmd, &ctx, "borg");
	capture_stderr(show, &cmd, out, sizeof(out));
	assert_string_equal(out, "");
	msp_cmd_release(&cmd);
}

static void test_cmd__builder_overflow_refuses_to_run(void **state)
{
	struct msp_context ctx = ctx_v(0);
	struct msp_exec_result res;
	struct msp_error err;
	struct msp_cmd cmd;
	char p[128], name[32];
	int r = 0;

	(void)state;
	msp_error_init(&err);
	msp_cmd_init(&cmd, &ctx, script("args", "exit 0", p, sizeof(p)));
	for (int i = 0; i <= MSP_CMD_ARGS_MAX && r == 0; i++)
		r = msp_cmd_argf(&cmd, "--host=h%d", i);
	assert_int_equal(r, MSP_ETOOBIG);
	assert_int_equal(msp_cmd_arg(&cmd, "later"), MSP_ETOOBIG); /* nothing after a dropped one either */
	assert_int_equal(msp_cmd_run(&cmd, NULL, 1024, 1024, &res, &err), MSP_ETOOBIG);
	assert_non_null(strstr(err.msg, "too many arguments"));
	msp_exec_result_release(&res);
	msp_cmd_release(&cmd);

	msp_cmd_init(&cmd, &ctx, p);
	for (int i = 0, rr = 0; i <= MSP_CMD_ENV_MAX && rr == 0; i++) {
		snprintf(name, sizeof(name), "V%d", i);
		rr = msp_cmd_env(&cmd, name, "1", 0);
		r = rr;
	}
	assert_int_equal(r, MSP_ETOOBIG);
	assert_int_equal(msp_cmd_run(&cmd, NULL, 1024, 1024, &res, &err), MSP_ETOOBIG);
	msp_exec_result_release(&res);
	msp_cmd_release(&cmd);

	msp_cmd_init(&cmd, &ctx, p);
	assert_int_equal(msp_cmd_env(&cmd, "A=B", "1", 0), MSP_EINVAL);
	assert_int_equal(msp_cmd_run(&cmd, NULL, 1024, 1024, &res, &err), MSP_EINVAL);
	msp_exec_result_release(&res);
	msp_cmd_release(&cmd);

	/* a full set of secrets is an error too: a secret that cannot be hidden must not be passed */
	msp_cmd_init(&cmd, &ctx, p);
	r = 0;
	for (int i = 0; i <= MSP_REDACT_MAX && r == 0; i++) {
		snprintf(name, sizeof(name), "secret-%d", i);
		r = msp_cmd_secret(&cmd, name);
	}
	assert_int_equal(r, MSP_ETOOBIG);
	assert_int_equal(msp_cmd_run(&cmd, NULL, 1024, 1024, &res, &err), MSP_ETOOBIG);
	msp_exec_result_release(&res);
	msp_cmd_release(&cmd);
}

static void test_cmd__clear_args_keeps_environment(void **state)
{
	struct msp_context ctx = ctx_v(0);
	struct msp_exec_result res;
	struct msp_cmd_verdict v;
	struct msp_cmd cmd;
	const char *const args[] = { "one", "two", NULL };
	char p[128];

	(void)state;
	msp_cmd_init(&cmd, &ctx, script("args", "echo \"$# $* $X\"", p, sizeof(p)));
	msp_cmd_env(&cmd, "X", "kept", 0);
	msp_cmd_arg(&cmd, "zero");
	msp_cmd_clear_args(&cmd);
	assert_int_equal(msp_cmd_args(&cmd, args), 0);
	run_judge(&cmd, 5, NULL, &res, &v);
	assert_string_equal(msp_buf_str(&res.out), "2 one two kept\n");
	msp_exec_result_release(&res);
	msp_cmd_release(&cmd);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cmd__exit_0_is_ok_with_output),
		cmocka_unit_test(test_cmd__exit_codes_judged_by_expect),
		cmocka_unit_test(test_cmd__failure_is_never_ok),
		cmocka_unit_test(test_cmd__python_traceback_quotes_the_exception),
		cmocka_unit_test(test_cmd__error_line_rules),
		cmocka_unit_test(test_cmd__secrets_redacted_before_the_cut),
		cmocka_unit_test(test_cmd__killed_by_signal_named),
		cmocka_unit_test(test_cmd__timeout_takes_the_timeout_state),
		cmocka_unit_test(test_cmd__not_found_and_cannot_start),
		cmocka_unit_test(test_cmd__truncated_output_when_all_is_needed),
		cmocka_unit_test(test_cmd__clean_environment),
		cmocka_unit_test(test_cmd__secrets_never_show),
		cmocka_unit_test(test_cmd__show_quotes_like_a_shell),
		cmocka_unit_test(test_cmd__builder_overflow_refuses_to_run),
		cmocka_unit_test(test_cmd__clear_args_keeps_environment),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
