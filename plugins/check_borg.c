/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * check_borg - age of the newest archive of each series in a borg repository.
 *
 * check_borg.c: the options, the probe and the check's orchestration
 * probe: borg list --json (and with --info borg info --json REPO::ARCHIVE), run without a shell
 * parse: check_borg_parse_list(), check_borg_parse_info(), check_borg_parse_failure() in
 *        check_borg_parse.c
 * evaluate: check_borg_evaluate() in check_borg_eval.c
 *
 * Time: borg 1.2 prints archive times as naive local times ("2026-11-27T02:00:00.000000", no
 * offset): it converts the UTC time it stores with the time zone of the process that runs
 * `borg list`.  The JSON has no epoch field, and `--format '{time:%s}'` goes through mktime()
 * on that naive local time, which is ambiguous in the hour a DST change repeats.  So borg
 * always runs with TZ=UTC0 in its environment (a POSIX zone string that needs no tzdata;
 * sudo keeps TZ): its naive times are then UTC, and we read them with MSP_TIME_NAIVE_UTC.
 * The TZ of the monitoring host changes only how summaries print the time.
 */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "check_borg.h"
#include "msp_cmd.h"
#include "msp_redact.h"

#define BORG_OUT_MAX (64u << 20) /* borg list of ~250000 archives */
#define BORG_ERR_MAX (64u << 10)
#define PASSPHRASE_MAX 4096

static const struct msp_choice lock_states[] = {
	{ "ok", MSP_STATE_OK },
	{ "warning", MSP_STATE_WARNING },
	{ "unknown", MSP_STATE_UNKNOWN },
	{ NULL, 0 },
};

#define MSP_CFG struct check_borg_config
static const struct msp_option options[] = {
	MSP_STRING('R', "repository", repo, "REPO",
		   "The repository (a path, ssh://user@host/path or user@host:path); default $BORG_REPO",
		   .var = "borg_repo"),
	MSP_STRING(0, "repo", repo, "REPO", NULL),
	MSP_LIST('a', "glob-archives", glob, "GLOB",
		 "An archive series, e.g. 'system-*' (repeatable, at most 32): each is judged on\n"
		 "its own newest archive.  Without -a the whole repository is one series",
		 .var = "borg_glob_archives"),
	/* kept as text: msp_age_policy_parse_defaults() compares the two the user gave */
	MSP_STRING('w', "warning", warn, "AGE",
		   "WARNING when the newest archive is older than AGE (default 26h; 90m, 7d, ranges)",
		   .var = "borg_warning"),
	MSP_STRING('c', "critical", crit, "AGE", "CRITICAL when it is older than AGE (default 50h)",
		   .var = "borg_critical"),
	MSP_STRING(0, "max-future", max_future, "AGE",
		   "An archive time more than AGE ahead of now is a WARNING (clock problem)", .def = "5m",
		   .var = "borg_max_future"),
	MSP_PATH(0, "passphrase-file", passphrase_file, "FILE",
		 "Read the passphrase from FILE (trailing newlines dropped); otherwise\n"
		 "BORG_PASSCOMMAND or BORG_PASSPHRASE from the environment are passed on",
		 .var = "borg_passphrase_file"),
	MSP_PATH(0, "borg-bin", borg_bin, "PATH", "The borg program (a bare name is looked up in PATH)", .def = "borg",
		 .var = "borg_bin"),
	MSP_BOOL(0, "sudo", sudo, "Run borg through 'sudo -n' (see the notes)", .var = "borg_sudo"),
	MSP_PATH(0, "base-dir", base_dir, "DIR",
		 "BORG_BASE_DIR for borg (default $BORG_BASE_DIR, else a private temporary\n"
		 "directory removed after the run)",
		 .var = "borg_base_dir"),
	MSP_PATH(0, "cache-dir", cache_dir, "DIR",
		 "BORG_CACHE_DIR for borg (default $BORG_CACHE_DIR, else under the base dir);\n"
		 "a lasting one makes --info fast",
		 .var = "borg_cache_dir"),
	MSP_BOOL(0, "info", info,
		 "Also run borg info on the newest archive of each series: size, deduplicated\n"
		 "size, file count and duration as perfdata",
		 .var = "borg_info"),
	MSP_CHOICE(0, "lock", lock_state, "ok|warning|unknown", lock_states,
		   "State when another borg process (a running borg create) holds the repository\n"
		   "lock; the archives are then read with --bypass-lock",
		   .def = "warning", .var = "borg_lock"),
	MSP_DURATION(0, "lock-wait", lock_wait, "SECONDS", "How long borg waits for the lock (whole seconds)", .min = 0,
		     .max = 3600, .def = "1", .var = "borg_lock_wait"),
	MSP_BOOL(0, "allow-unencrypted", allow_unencrypted,
		 "Answer yes to borg's question about an unknown unencrypted repository\n"
		 "(BORG_UNKNOWN_UNENCRYPTED_REPO_ACCESS_IS_OK; default no)",
		 .var = "borg_allow_unencrypted"),
	MSP_BOOL(0, "allow-relocated", allow_relocated,
		 "Answer yes to borg's question about a moved repository\n"
		 "(BORG_RELOCATED_REPO_ACCESS_IS_OK; default no)",
		 .var = "borg_allow_relocated"),
	MSP_OPTION_END,
};

/* --------------------------------------------------------------- options */

static int borg_finish(void *vcfg, const struct msp_context *ctx, struct msp_error *err)
{
	struct check_borg_config *cfg = vcfg;
	const char *env_repo = getenv("BORG_REPO");
	char num[MSP_NUM_FORMAT_MAX];

	if (cfg->glob.count > CHECK_BORG_GLOB_MAX)
		return msp_error_set(err, MSP_EINVAL, "too many -a globs (at most %d)", CHECK_BORG_GLOB_MAX);
	if (cfg->lock_wait != floor(cfg->lock_wait))
		return msp_error_set(err, MSP_EINVAL, "--lock-wait '%s' is not whole seconds",
				     msp_num_format(cfg->lock_wait, 3, num, sizeof(num)));
	if (msp_age_policy_parse_defaults(&cfg->age, cfg->warn, cfg->crit, "26h", "50h", cfg->max_future, err) < 0)
		return MSP_EINVAL;
	if (!cfg->repo && env_repo && *env_repo)
		cfg->repo = env_repo;
	if (!cfg->repo)
		return msp_error_set(err, MSP_EINVAL, "no repository given: use -R REPO or set BORG_REPO");
	if (cfg->lock_wait >= ctx->timeout)
		return msp_error_set(err, MSP_EINVAL, "--lock-wait %.0f leaves no time within the timeout of %u s",
				     cfg->lock_wait, ctx->timeout);
	return 0;
}

/* ----------------------------------------------------------------- probe */

/* borg's command and environment (nothing of ours but what it needs, see the notes) and our temporary directory. */
struct borg_env {
	struct msp_cmd cmd;     /* environment and secrets; the arguments of the current step */
	const char *secret_src; /* where the passphrase came from, for messages */
	char tmpdir[512];       /* our private BORG_BASE_DIR, "" when none */
	int janitor_fd;         /* write end of the pipe whose closing makes the janitor remove tmpdir; 0 when none */
	char repo[200];         /* the repository as messages show it (redacted, cut short) */
};

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *f)
{
	(void)st;
	(void)flag;
	(void)f;
	remove(path);
	return 0;
}

/* Remove dir and all in it; a borg that is still dying may add a file meanwhile: try again a while. */
static void remove_tree(const char *dir, int tries)
{
	struct timespec pause = { 0, 100 * 1000000L };

	for (int i = 0; i < tries; i++) {
		nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
		if (access(dir, F_OK) != 0 && errno == ENOENT)
			return;
		nanosleep(&pause, NULL);
	}
}

/* The janitor: wait until the pipe's last write end closes, remove dir, exit.  Never returns. */
static void janitor_run(const char *dir, int rfd)
{
	struct sigaction sa;
	char c;
	int fd;

	/*
	 * Its own session: a kill of our process group (a monitoring core ending
	 * a plugin that overran) must not take it along; and none of the runner's
	 * handlers, which would print a result of their own.
	 */
	setsid();
	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGPIPE, &sa, NULL);
	sa.sa_handler = SIG_DFL;
	sigaction(SIGALRM, &sa, NULL);
	/* Hold nothing of the caller's: whoever reads our stdout sees its end when we end. */
	fd = open("/dev/null", O_RDWR);
	for (int i = 0; i < 3 && fd >= 0; i++)
		dup2(fd, i);
	if (rfd != 3 && dup2(rfd, 3) == 3)
		rfd = 3;
	close_range((unsigned)rfd + 1, ~0U, 0);
	for (;;) {
		ssize_t n = read(rfd, &c, 1);

		if (n == 0 || (n < 0 && errno != EINTR))
			break;
	}
	remove_tree(dir, 50);
	_exit(0);
}

/*
 * Start the janitor of e->tmpdir: a process that removes the directory as
 * soon as we are gone, however we end (the runner's timeout and SIGTERM
 * handlers _exit without running our cleanup; even SIGKILL).  It blocks
 * reading a pipe whose write end only we hold: O_CLOEXEC keeps it from
 * borg, so the pipe closes exactly when we exit.  It is started through a
 * short-lived middle child, before anything made us a subreaper, so it is
 * not our child: the runner's kill of our children and their orphans
 * (msp_exec_kill_descendants) cannot end it before it has cleaned up.
 */
static int janitor_start(struct borg_env *e, struct msp_error *err)
{
	int fd[2], status, subreaper = 0;
	pid_t pid;

	if (pipe2(fd, O_CLOEXEC) < 0)
		return msp_error_errno(err, errno, "cannot create a pipe for the temporary directory's removal");
	/* Were we a subreaper already, the janitor would come back to us as our child: not meanwhile. */
	if (prctl(PR_GET_CHILD_SUBREAPER, &subreaper, 0, 0, 0) == 0 && subreaper)
		prctl(PR_SET_CHILD_SUBREAPER, 0, 0, 0, 0);
	pid = fork();
	if (pid == 0) {
		close(fd[1]);
		pid = fork();
		if (pid == 0)
			janitor_run(e->tmpdir, fd[0]);
		_exit(pid < 0 ? 1 : 0);
	}
	close(fd[0]);
	while (pid > 0 && waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (subreaper)
		prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
	if (pid < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		close(fd[1]);
		return msp_error_set(err, MSP_ESYS, "cannot start a process for the temporary directory's removal");
	}
	e->janitor_fd = fd[1];
	return 0;
}

static void env_release(struct borg_env *e)
{
	msp_cmd_release(&e->cmd);
	if (e->tmpdir[0])
		remove_tree(e->tmpdir, 1);
	/* The janitor finds the directory gone and ends. */
	if (e->janitor_fd > 0)
		close(e->janitor_fd);
	memset(e, 0, sizeof(*e));
}

/* Read the passphrase file into BORG_PASSPHRASE; the buffer is wiped. */
static int env_passphrase_file(struct borg_env *e, const char *path, struct msp_error *err)
{
	char buf[PASSPHRASE_MAX + 2];
	size_t len = 0;
	ssize_t got;
	int fd, r;

	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return msp_error_errno(err, errno, "cannot read the passphrase file '%.200s'", path);
	while (len < sizeof(buf) - 1 && (got = read(fd, buf + len, sizeof(buf) - 1 - len)) != 0) {
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			r = msp_error_errno(err, errno, "cannot read the passphrase file '%.200s'", path);
			goto out;
		}
		len += (size_t)got;
	}
	if (len > PASSPHRASE_MAX) {
		r = msp_error_set(err, MSP_EINVAL, "the passphrase file '%.200s' is longer than %d bytes", path,
				  PASSPHRASE_MAX);
		goto out;
	}
	/* As borg treats BORG_PASSCOMMAND output: trailing newlines are not part of the passphrase. */
	while (len && (buf[len - 1] == '\n' || buf[len - 1] == '\r'))
		len--;
	buf[len] = '\0';
	r = msp_cmd_env(&e->cmd, "BORG_PASSPHRASE", buf, MSP_CMD_ENV_SECRET);
	e->secret_src = "--passphrase-file";
out:
	explicit_bzero(buf, sizeof(buf));
	close(fd);
	return r;
}

/*
 * The passphrase: --passphrase-file, else BORG_PASSPHRASE / BORG_PASSCOMMAND of ours, else "".
 * A variable that does not fit is remembered by msp_cmd, which then refuses to run borg.
 */
static int env_passphrase(const struct check_borg_config *cfg, struct borg_env *e, struct msp_error *err)
{
	const char *pp = getenv("BORG_PASSPHRASE"), *pc = getenv("BORG_PASSCOMMAND");

	if (cfg->passphrase_file)
		return env_passphrase_file(e, cfg->passphrase_file, err);
	if (pc && *pc) {
		msp_cmd_env(&e->cmd, "BORG_PASSCOMMAND", pc, MSP_CMD_ENV_HIDDEN);
		e->secret_src = "BORG_PASSCOMMAND";
	}
	if (pp) {
		/* borg prefers BORG_PASSPHRASE over BORG_PASSCOMMAND; so do we by passing both. */
		msp_cmd_env(&e->cmd, "BORG_PASSPHRASE", pp, MSP_CMD_ENV_SECRET);
		e->secret_src = "BORG_PASSPHRASE";
	}
	/* No passphrase at all: an empty one, so borg fails instead of asking on a terminal. */
	if (!e->secret_src)
		msp_cmd_env(&e->cmd, "BORG_PASSPHRASE", "", MSP_CMD_ENV_SECRET);
	return 0;
}

static int env_dirs(const struct check_borg_config *cfg, struct borg_env *e, struct msp_error *err)
{
	const char *base = cfg->base_dir ? cfg->base_dir : getenv("BORG_BASE_DIR");
	const char *cache = cfg->cache_dir ? cfg->cache_dir : getenv("BORG_CACHE_DIR");
	const char *tmp = getenv("TMPDIR");
	int r;

	/* Under sudo borg runs as another user: it keeps that user's own directories unless told. */
	if ((!base || !*base) && !cfg->sudo) {
		snprintf(e->tmpdir, sizeof(e->tmpdir), "%s/check_borg.XXXXXX", tmp && *tmp == '/' ? tmp : "/tmp");
		if (!mkdtemp(e->tmpdir)) {
			r = msp_error_errno(err, errno, "cannot create a temporary directory for borg in '%.200s'",
					    tmp && *tmp == '/' ? tmp : "/tmp");
			e->tmpdir[0] = '\0';
			return r;
		}
		if ((r = janitor_start(e, err)) < 0)
			return r;
		base = e->tmpdir;
	}
	if (base && *base)
		msp_cmd_env(&e->cmd, "BORG_BASE_DIR", base, 0);
	if (cache && *cache)
		msp_cmd_env(&e->cmd, "BORG_CACHE_DIR", cache, 0);
	return 0;
}

static int env_build(const struct check_borg_config *cfg, struct borg_env *e, struct msp_error *err)
{
	/* Passed on when set: where keys and remote borg live, and ssh's agent (sudo is not asked to keep it). */
	static const char *const pass[] = { "BORG_CONFIG_DIR", "BORG_SECURITY_DIR", "BORG_KEYS_DIR", "BORG_KEY_FILE",
					    "BORG_RSH",        "BORG_REMOTE_PATH",  "SSH_AUTH_SOCK", "HOME" };

	msp_cmd_sudo(&e->cmd, cfg->sudo, true);
	msp_cmd_env(&e->cmd, "PATH", MSP_CMD_PATH, MSP_CMD_ENV_NO_SUDO);
	msp_cmd_env(&e->cmd, "TZ", "UTC0", 0); /* see the top of this file */
	msp_cmd_env(&e->cmd, "LC_ALL", "C.UTF-8", 0);
	msp_cmd_env(&e->cmd, "BORG_UNKNOWN_UNENCRYPTED_REPO_ACCESS_IS_OK", cfg->allow_unencrypted ? "yes" : "no", 0);
	msp_cmd_env(&e->cmd, "BORG_RELOCATED_REPO_ACCESS_IS_OK", cfg->allow_relocated ? "yes" : "no", 0);
	for (size_t i = 0; i < sizeof(pass) / sizeof(pass[0]); i++)
		if (!(cfg->sudo && strcmp(pass[i], "HOME") == 0))
			msp_cmd_env_pass(&e->cmd, pass[i], i >= 6 ? MSP_CMD_ENV_NO_SUDO : 0);
	if (env_dirs(cfg, e, err) < 0 || env_passphrase(cfg, e, err) < 0)
		return MSP_EINVAL;
	return 0;
}

/* Run borg with args (NULL-terminated) after the common options. */
static int borg_run(const struct check_borg_config *cfg, const struct msp_context *ctx, struct borg_env *e, bool bypass,
		    const char *const *args, struct msp_exec_result *res, struct msp_error *err)
{
	struct timespec deadline;
	long margin_ms;

	msp_cmd_clear_args(&e->cmd);
	msp_cmd_arg(&e->cmd, "--log-json");
	msp_cmd_arg(&e->cmd, "--lock-wait");
	msp_cmd_argf(&e->cmd, "%.0f", cfg->lock_wait);
	if (bypass)
		msp_cmd_arg(&e->cmd, "--bypass-lock");
	msp_cmd_args(&e->cmd, args);
	/*
	 * Stop borg a little before the runner's deadline: killing and reaping it
	 * takes up to a second more, and only if we get there first is our
	 * temporary directory removed.
	 */
	deadline = ctx->deadline;
	margin_ms = ctx->timeout >= 5 ? 1200 : (long)ctx->timeout * 300;
	deadline.tv_sec -= margin_ms / 1000;
	deadline.tv_nsec -= (margin_ms % 1000) * 1000000L;
	if (deadline.tv_nsec < 0) {
		deadline.tv_sec--;
		deadline.tv_nsec += 1000000000L;
	}
	return msp_cmd_run(&e->cmd, &deadline, BORG_OUT_MAX, BORG_ERR_MAX, res, err);
}

/* The message and state for a failure borg reported. */
static enum msp_state describe_failure(const struct check_borg_config *cfg, const struct borg_env *e,
				       const struct check_borg_failure *f, const char *what, int code, char *msg,
				       size_t len)
{
	switch (f->kind) {
	case CHECK_BORG_FAIL_PASSPHRASE:
		snprintf(msg, len, "wrong passphrase for '%s' (%s)", e->repo,
			 e->secret_src ? e->secret_src :
					 "none given: use --passphrase-file, BORG_PASSCOMMAND or BORG_PASSPHRASE");
		return MSP_STATE_UNKNOWN;
	case CHECK_BORG_FAIL_PASSCOMMAND:
		/* borg's text repeats the command, which may hold a secret. */
		snprintf(msg, len, "BORG_PASSCOMMAND failed: borg got no passphrase for '%s'", e->repo);
		return MSP_STATE_UNKNOWN;
	case CHECK_BORG_FAIL_REPO_MISSING:
		snprintf(msg, len, "repository '%s' does not exist", e->repo);
		return MSP_STATE_CRITICAL;
	case CHECK_BORG_FAIL_NOT_A_REPO:
		snprintf(msg, len, "'%s' is not a borg repository", e->repo);
		return MSP_STATE_CRITICAL;
	case CHECK_BORG_FAIL_CONNECTION:
		snprintf(msg, len, "cannot reach repository '%s': %s", e->repo, f->message);
		return MSP_STATE_CRITICAL;
	case CHECK_BORG_FAIL_UNENCRYPTED:
		snprintf(msg, len,
			 "'%s' is an unencrypted repository borg has not seen before: give --allow-unencrypted",
			 e->repo);
		return MSP_STATE_UNKNOWN;
	case CHECK_BORG_FAIL_RELOCATED:
		snprintf(msg, len, "repository '%s' was known at another location: give --allow-relocated", e->repo);
		return MSP_STATE_UNKNOWN;
	case CHECK_BORG_FAIL_SUDO:
		snprintf(msg, len, "sudo did not run borg: %s", f->message);
		return MSP_STATE_UNKNOWN;
	default:
		snprintf(msg, len, "%s failed (exit %d): %s", what, code,
			 f->message[0] ? f->message : "no error message");
		return MSP_STATE_UNKNOWN;
	}
}

/*
 * How a run ended.  0: borg exited 0 or 1 (its output is for parsing).
 * 1: it failed; *ret_state and msg say how, f says why when borg said so.
 * MSP_ENOMEM.
 */
static int run_outcome(const struct check_borg_config *cfg, const struct borg_env *e, const struct msp_exec_result *res,
		       const char *what, struct check_borg_failure *f, enum msp_state *ret_state, char *msg, size_t len,
		       struct msp_error *err)
{
	struct msp_cmd_expect ex = { .hint = cfg->sudo ? NULL : "install borgbackup or give --borg-bin",
				     .ok_exits = MSP_CMD_EXIT_OK(1),
				     .fail_state = MSP_STATE_UNKNOWN };
	struct msp_cmd_verdict v;
	char on[320];
	char *text;

	memset(f, 0, sizeof(*f));
	snprintf(on, sizeof(on), "%s on '%s'", what, e->repo);
	ex.what = on;
	if (msp_cmd_judge(&e->cmd, res, &ex, &v, err) < 0)
		return MSP_ENOMEM;
	if (v.end == MSP_CMD_OK)
		return 0;
	*ret_state = v.state;
	snprintf(msg, len, "%s", v.msg);
	if (v.end != MSP_CMD_EXIT)
		return 1;
	/* Redacted before a line of it is cut short, and again once borg's JSON is decoded. */
	if (!(text = msp_redact_dup(&e->cmd.secrets, msp_buf_str(&res->err))))
		return msp_error_set(err, MSP_ENOMEM, "out of memory");
	check_borg_parse_failure(text, f);
	free(text);
	msp_redact_buf(&e->cmd.secrets, f->message, f->message, sizeof(f->message));
	*ret_state = describe_failure(cfg, e, f, what, res->exit_code, msg, len);
	return 1;
}

/*
 * Run one borg step; when another process holds the lock, note it in s and
 * run again with --bypass-lock.  0: *res holds borg's answer (exit 0 or 1);
 * 1: failed, *ret_state and msg filled; <0: MSP_E* in err.
 */
static int borg_step(const struct check_borg_config *cfg, const struct msp_context *ctx, struct borg_env *e,
		     const char *const *args, const char *what, struct check_borg_sample *s,
		     struct msp_exec_result *res, enum msp_state *ret_state, char *msg, size_t len,
		     struct msp_error *err)
{
	struct check_borg_failure f;
	int r;

	for (;;) {
		msp_step("running %s on '%.200s'%s", what, e->repo, s->locked ? " without the lock" : "");
		r = borg_run(cfg, ctx, e, s->locked, args, res, err);
		if (r < 0)
			return r;
		if ((r = run_outcome(cfg, e, res, what, &f, ret_state, msg, len, err)) <= 0)
			return r;
		if ((f.kind != CHECK_BORG_FAIL_LOCKED && f.kind != CHECK_BORG_FAIL_LOCK_DENIED) || s->locked)
			return 1;
		s->locked = true;
		s->lock_denied = f.kind == CHECK_BORG_FAIL_LOCK_DENIED;
		snprintf(s->lock_message, sizeof(s->lock_message), "%s", f.message);
		msp_verbose(ctx, 1, "repository locked (%s): reading without the lock", f.message);
		msp_exec_result_release(res);
	}
}

static int probe_list(const struct check_borg_config *cfg, const struct msp_context *ctx, struct borg_env *e,
		      struct check_borg_sample *s, struct msp_result *root, struct msp_error *err)
{
	/* Checkpoints are listed so they can be named (and are never counted). */
	const char *args[] = { "list", "--json", "--consider-checkpoints", cfg->repo, NULL };
	struct msp_exec_result res = { 0 };
	enum msp_state st;
	char msg[512];
	int r;

	r = borg_step(cfg, ctx, e, args, "borg list", s, &res, &st, msg, sizeof(msg), err);
	if (r == 1) {
		msp_result_set_state(root, st);
		r = msp_result_set_text(root, "%s", msg) < 0 ? msp_error_set(err, MSP_ENOMEM, "out of memory") : 1;
	} else if (r == 0 && res.out.truncated) {
		r = msp_error_set(err, MSP_ETOOBIG, "the output of borg list is longer than %u MiB",
				  BORG_OUT_MAX >> 20);
	} else if (r == 0) {
		s->list_warning = res.exit_code == 1;
		r = check_borg_parse_list(res.out.data ? res.out.data : "", res.out.len, &s->list, err);
	}
	msp_exec_result_release(&res);
	return r;
}

/* borg info on the newest archive of series i (the one judged, named exactly: no glob can pick another). */
static int probe_info_one(const struct check_borg_config *cfg, const struct msp_context *ctx, struct borg_env *e,
			  const struct check_borg_archive *a, struct check_borg_sample *s, size_t i,
			  struct msp_error *err)
{
	struct msp_exec_result res = { 0 };
	struct msp_error perr;
	char *target = NULL, msg[512];
	const char *args[] = { "info", "--json", NULL, NULL };
	enum msp_state st;
	int r;

	if (asprintf(&target, "%s::%s", cfg->repo, a->name) < 0)
		return msp_error_set(err, MSP_ENOMEM, "out of memory");
	args[2] = target;
	msp_error_init(&perr);
	r = borg_step(cfg, ctx, e, args, "borg info", s, &res, &st, msg, sizeof(msg), err);
	if (r == 0 &&
	    check_borg_parse_info(res.out.data ? res.out.data : "", res.out.len, a->name, &s->info[i], &perr) < 0) {
		snprintf(msg, sizeof(msg), "%s", perr.msg);
		r = 1;
	}
	if (r == 1 && asprintf(&s->info_error[i], "borg info on '%s': %s", a->name, msg) < 0) {
		s->info_error[i] = NULL;
		r = msp_error_set(err, MSP_ENOMEM, "out of memory");
	}
	msp_exec_result_release(&res);
	free(target);
	return r < 0 ? r : 0;
}

static int probe_info(const struct check_borg_config *cfg, const struct msp_context *ctx, struct borg_env *e,
		      struct check_borg_sample *s, struct msp_error *err)
{
	size_t nseries = cfg->glob.count ? cfg->glob.count : 1;

	s->info = calloc(nseries, sizeof(*s->info));
	s->info_error = calloc(nseries, sizeof(*s->info_error));
	if (!s->info || !s->info_error)
		return msp_error_set(err, MSP_ENOMEM, "out of memory");
	s->ninfo = nseries;
	for (size_t i = 0; i < nseries; i++) {
		struct check_borg_series se;

		check_borg_pick_series(&s->list, cfg->glob.count ? cfg->glob.items[i] : NULL, &se);
		if (se.newest && probe_info_one(cfg, ctx, e, se.newest, s, i, err) < 0)
			return MSP_ENOMEM;
	}
	return 0;
}

/*
 * What no output may show: the password of the repository location
 * (ssh://user:PASSWORD@host/..., user:PASSWORD@host:path) and our
 * BORG_PASSPHRASE; the passphrase read from --passphrase-file is added
 * once it is read.  The repository as messages show it, redacted.
 */
static int borg_secrets(const struct check_borg_config *cfg, struct borg_env *e, struct msp_error *err)
{
	if (msp_cmd_secret_location(&e->cmd, cfg->repo) == MSP_ENOMEM ||
	    msp_cmd_secret(&e->cmd, getenv("BORG_PASSPHRASE")) == MSP_ENOMEM)
		return msp_error_set(err, MSP_ENOMEM, "out of memory");
	msp_redact_buf(&e->cmd.secrets, cfg->repo, e->repo, sizeof(e->repo));
	return 0;
}

static int borg_check(void *vcfg, const struct msp_context *ctx, struct msp_result *root, struct msp_error *err)
{
	struct check_borg_config *cfg = vcfg;
	struct check_borg_sample s = { 0 };
	struct borg_env e = { 0 };
	struct timespec now;
	int r;

	msp_step("preparing the environment for borg");
	msp_cmd_init(&e.cmd, ctx, cfg->borg_bin);
	r = borg_secrets(cfg, &e, err);
	if (r == 0)
		r = env_build(cfg, &e, err);
	if (r == 0)
		r = probe_list(cfg, ctx, &e, &s, root, err);
	if (r == 0 && cfg->info)
		r = probe_info(cfg, ctx, &e, &s, err);
	if (r == 0) {
		/* The clock after borg answered: an archive made meanwhile must not look like the future. */
		clock_gettime(CLOCK_REALTIME, &now);
		msp_verbose(ctx, 1, "%zu archive(s) listed, now %lld", s.list.n, (long long)now.tv_sec);
		r = check_borg_evaluate(cfg, &s, (double)now.tv_sec + now.tv_nsec / 1e9, root);
		if (r < 0)
			msp_error_set(err, r, "out of memory");
	}
	/* Last: nothing borg printed may show a secret (its messages, archive names). */
	if (msp_redact_result(&e.cmd.secrets, root) < 0 && r == 0)
		r = msp_error_set(err, MSP_ENOMEM, "out of memory");
	msp_redact_buf(&e.cmd.secrets, err->msg, err->msg, sizeof(err->msg));
	check_borg_sample_release(&s);
	env_release(&e);
	return r < 0 ? r : 0;
}

static const struct msp_plugin plugin = {
	.summary = "age of the newest borg archive, per archive series (`-a 'system-*'`), checkpoints never counted, locks reported, sizes with `--info` (needs json-c)",
	.positional_hint = "the repository is -R REPO",
	.name = "check_borg",
	.service = "BORG",
	.synopsis = "[-R REPO] [-a GLOB]... [-w AGE] [-c AGE] [--info] [--lock=STATE] [--passphrase-file FILE]",
	.description = "Check that the newest archive in a borg repository (or of each archive series chosen with\n"
		       "-a) is recent enough.  Runs 'borg list --json' (borg 1.2) without a shell.",
	.notes = "How it works:\n"
		 "  borg runs with TZ=UTC0, so the naive times it prints are UTC; the TZ of the\n"
		 "  monitoring host only changes how the summary shows them.  Checkpoint archives\n"
		 "  (NAME.checkpoint, NAME.checkpoint.N: an interrupted or running borg create) never\n"
		 "  count; a checkpoint newer than the newest archive is named in the long output.\n"
		 "  Each -a GLOB (fnmatch(3): * ? [...]) is one series with its own line and perfdata\n"
		 "  (label prefix: the glob without wildcards, -a 'system-*' gives system_age).  A glob\n"
		 "  that matches no archive, or an empty repository, is CRITICAL.  An archive time more\n"
		 "  than --max-future ahead is a WARNING (clock problem), never fresh.\n"
		 "  --info runs 'borg info --json REPO::ARCHIVE' on the archive each series was judged on;\n"
		 "  borg info needs borg's chunk cache, so give a lasting --cache-dir for big repositories.\n"
		 "Environment given to borg (nothing else of ours): PATH, TZ=UTC0, LC_ALL=C.UTF-8,\n"
		 "  BORG_BASE_DIR (--base-dir, $BORG_BASE_DIR, or a private temporary directory removed\n"
		 "  after the run), BORG_CACHE_DIR, the passphrase (--passphrase-file is read by us and\n"
		 "  passed as BORG_PASSPHRASE, never on the command line; else our BORG_PASSPHRASE and\n"
		 "  BORG_PASSCOMMAND; else an empty passphrase so borg never prompts), the answers\n"
		 "  BORG_UNKNOWN_UNENCRYPTED_REPO_ACCESS_IS_OK / BORG_RELOCATED_REPO_ACCESS_IS_OK (no,\n"
		 "  yes with --allow-unencrypted / --allow-relocated), and when set: BORG_CONFIG_DIR,\n"
		 "  BORG_SECURITY_DIR, BORG_KEYS_DIR, BORG_KEY_FILE, BORG_RSH, BORG_REMOTE_PATH,\n"
		 "  SSH_AUTH_SOCK, HOME.  BORG_PASSPHRASE_FD is not passed on.  Secrets are never\n"
		 "  printed, also not with -vvv: the passphrase and the password of the repository\n"
		 "  location (ssh://user:PASSWORD@host/..., whatever it holds) show as *** wherever borg\n"
		 "  quotes them.  The private temporary directory is removed by a small helper process\n"
		 "  as soon as check_borg ends, also on a timeout, SIGTERM or SIGKILL.\n"
		 "--sudo runs 'sudo -n --preserve-env=<those BORG_ names, TZ, LC_ALL> -- borg ...': sudoers\n"
		 "  must allow it (NOPASSWD for borg, and env_keep or SETENV for the names), and borg\n"
		 "  then uses root's own directories unless --base-dir is given.\n"
		 "Locks: borg waits --lock-wait seconds for the repository lock.  When another process\n"
		 "  holds it (a running borg create), the archives are read again with --bypass-lock\n"
		 "  and judged as usual, and the lock adds the --lock state (default WARNING).\n"
		 "Failures (never OK):\n"
		 "  repository does not exist, is not a borg repository, cannot be reached: CRITICAL\n"
		 "  wrong or missing passphrase, BORG_PASSCOMMAND failed, unknown unencrypted or moved\n"
		 "    repository without --allow-*, borg or sudo not installed, borg killed, output that\n"
		 "    does not parse, any other borg error: UNKNOWN, with borg's message\n"
		 "  timeout (-t, default 30 s; borg is killed): the --timeout-result state (UNKNOWN),\n"
		 "    naming the step\n"
		 "Examples:\n"
		 "  check_borg -R /srv/borg/host1 --passphrase-file /etc/nagios/borg-host1.pass\n"
		 "  check_borg -R ssh://backup@nas/./host1 -a 'system-*' -a 'home-*' -w 26h -c 50h --info\n"
		 "  BORG_REPO=/srv/borg/host1 BORG_PASSCOMMAND='cat /etc/nagios/pass' check_borg --lock=ok",
	.options = options,
	.timeout = 30,
	.timeout_state = MSP_STATE_UNKNOWN,
	.finish = borg_finish,
	.check = borg_check,
};

MSP_PLUGIN_MAIN(plugin, struct check_borg_config)
