/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * check_restic - age and count of the snapshots in a restic repository.
 *
 * probe: restic snapshots --json --no-lock (msp_cmd: no shell, clean environment, deadline, caps)
 * parse: check_restic_parse() (check_restic_parse.c)
 * evaluate: check_restic_evaluate(), failures: check_restic_failure() (check_restic_eval.c)
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "check_restic.h"
#include "msp_cmd.h"
#include "msp_redact.h"

enum { OPT_GROUP_BY };

#define MSP_CFG struct check_restic_config
static const struct msp_option options[] = {
	MSP_STRING('r', "repo", repo, "REPO",
		   "The repository (default: $RESTIC_REPOSITORY); handed to restic in its environment",
		   .var = "restic_repo"),
	MSP_STRING(0, "repository", repo, "REPO", NULL),
	MSP_PATH(0, "repository-file", repo_file, "FILE",
		 "Read the repository from FILE (default: $RESTIC_REPOSITORY_FILE)", .var = "restic_repository_file"),
	MSP_PATH('p', "password-file", password_file, "FILE",
		 "Read the repository password from FILE (default: $RESTIC_PASSWORD_FILE)",
		 .var = "restic_password_file"),
	MSP_STRING(0, "password-command", password_command, "COMMAND",
		   "restic runs COMMAND to get the password (default: $RESTIC_PASSWORD_COMMAND).\n"
		   "Without either, $RESTIC_PASSWORD is passed on when set",
		   .var = "restic_password_command"),
	MSP_PATH(0, "cache-dir", cache_dir, "DIR",
		 "restic's cache directory (default: $RESTIC_CACHE_DIR; neither: --no-cache)",
		 .var = "restic_cache_dir"),
	MSP_PATH(0, "restic-bin", restic_bin, "PATH", "The restic program or a wrapper script (searched in PATH)",
		 .def = "restic", .given = MSP_GIVEN(restic_bin_given), .var = "restic_bin"),
	MSP_BOOL(0, "sudo", sudo, "Run restic through sudo -n (never asks for a password; needs a sudoers rule)",
		 .var = "restic_sudo"),
	MSP_LIST('H', "host", host, "HOST", "Only snapshots of HOST (repeatable: any of them)", .var = "restic_host"),
	MSP_LIST(0, "path", path, "PATH", "Only snapshots that include PATH (repeatable: all of them)",
		 .var = "restic_path"),
	MSP_LIST(0, "tag", tag, "TAG[,TAG]", "Only snapshots with these tags (repeatable: any of the lists)",
		 .var = "restic_tag"),
	MSP_CALLBACK(OPT_GROUP_BY, 'g', "group-by", MSP_ARG_REQUIRED, "host,paths,tags",
		     "Judge each group of snapshots on its own (one long-output line each)", .var = "restic_group_by"),
	MSP_UINT(0, "expect-groups", expect_groups, "N", 0, CHECK_RESTIC_COUNT_MAX,
		 "CRITICAL when fewer than N groups are found (a group that disappeared)",
		 .var = "restic_expect_groups"),
	MSP_UINT(0, "min-snapshots", min_snapshots, "N", 0, CHECK_RESTIC_COUNT_MAX,
		 "CRITICAL when a group holds fewer than N matching snapshots\n"
		 "(without --group-by: the repository)",
		 .def = "1", .var = "restic_min_snapshots"),
	/* Text: the age rule (msp_age_policy_parse_defaults) needs to know what the user gave. */
	MSP_STRING('w', "warning", warn, "AGE", "WARNING when the newest snapshot is older (90s 15m 26h 7d, ranges)",
		   .def = "26h", .given = MSP_GIVEN(warn_given), .var = "restic_warning"),
	MSP_STRING('c', "critical", crit, "AGE", "CRITICAL when the newest snapshot is older", .def = "50h",
		   .given = MSP_GIVEN(crit_given), .var = "restic_critical"),
	MSP_DURATION(0, "max-future", max_future, "AGE", "A snapshot time further ahead than this is a WARNING",
		     .def = "5m", .var = "restic_max_future"),
	MSP_BOOL(0, "lock", lock,
		 "Take restic's shared lock (no --no-lock): an exclusive lock is then reported\n"
		 "(prune, a stale lock); needs write access to the repository",
		 .var = "restic_lock"),
	MSP_STATE(0, "lock-state", lock_state, "STATE", "State for a locked repository", .def = "WARNING",
		  .var = "restic_lock_state"),
	MSP_LIST(0, "pass-env", pass_env, "NAME",
		 "Pass our environment variable NAME on to restic (repeatable; e.g. AWS_ACCESS_KEY_ID)",
		 .var = "restic_pass_env"),
	MSP_OPTION_END,
};

/* --------------------------------------------------------------- options */

/* -g/--group-by: "host,paths,tags" in any order, singular or plural, into restic 0.14's spelling. */
static int restic_option(void *vcfg, int id, const char *arg, struct msp_error *err)
{
	struct check_restic_config *cfg = vcfg;
	bool host = false, paths = false, tags = false;
	const char *p = arg;

	(void)id; /* OPT_GROUP_BY, the only callback entry; '' leaves it as it was (not given) */
	while (*p) {
		size_t n = strcspn(p, ",");

		if ((n == 4 && !strncmp(p, "host", 4)) || (n == 5 && !strncmp(p, "hosts", 5)))
			host = true;
		else if ((n == 4 && !strncmp(p, "path", 4)) || (n == 5 && !strncmp(p, "paths", 5)))
			paths = true;
		else if ((n == 3 && !strncmp(p, "tag", 3)) || (n == 4 && !strncmp(p, "tags", 4)))
			tags = true;
		else if (n > 0)
			return msp_error_set(err, MSP_EINVAL,
					     "cannot parse --group-by '%.60s': want host, paths and/or tags", arg);
		p += n + (p[n] == ',');
	}
	if (*arg)
		snprintf(cfg->group_by, sizeof(cfg->group_by), "%s%s%s%s%s", host ? "host" : "",
			 host && (paths || tags) ? "," : "", paths ? "paths" : "", paths && tags ? "," : "",
			 tags ? "tags" : "");
	return 0;
}

/* Options win over the environment; a variable that is set but empty counts as unset. */
static const char *env_or(const char *opt, const char *name)
{
	const char *e = getenv(name);

	return opt ? opt : e && *e ? e : NULL;
}

/* The options that go together or exclude each other. */
static int check_combinations(const struct check_restic_config *cfg, struct msp_error *err)
{
	if (cfg->repo && cfg->repo_file)
		return msp_error_set(err, MSP_EINVAL, "give -r or --repository-file, not both");
	if (cfg->password_file && cfg->password_command)
		return msp_error_set(err, MSP_EINVAL, "give --password-file or --password-command, not both");
	if (cfg->expect_groups && !cfg->group_by[0])
		return msp_error_set(err, MSP_EINVAL, "--expect-groups needs --group-by");
	for (size_t i = 0; i < cfg->pass_env.count; i++) {
		const char *v = cfg->pass_env.items[i];

		if (strchr(v, '=') || !strncmp(v, "RESTIC_", 7))
			return msp_error_set(err, MSP_EINVAL,
					     "cannot pass '%.60s': give a variable name (RESTIC_* are passed already)",
					     v);
	}
	return 0;
}

static int restic_finish(void *vcfg, const struct msp_context *ctx, struct msp_error *err)
{
	struct check_restic_config *cfg = vcfg;
	const char *pw = getenv("RESTIC_PASSWORD");
	int r;

	(void)ctx;
	if (check_combinations(cfg, err) < 0)
		return MSP_EINVAL;
	if (!cfg->repo && !cfg->repo_file) {
		cfg->repo = env_or(NULL, "RESTIC_REPOSITORY");
		cfg->repo_file = cfg->repo ? NULL : env_or(NULL, "RESTIC_REPOSITORY_FILE");
	}
	if (!cfg->password_file && !cfg->password_command) {
		cfg->password_file = env_or(NULL, "RESTIC_PASSWORD_FILE");
		cfg->password_command = env_or(NULL, "RESTIC_PASSWORD_COMMAND");
		cfg->password_env = pw && *pw;
	}
	cfg->cache_dir = env_or(cfg->cache_dir, "RESTIC_CACHE_DIR");
	/* A wrapper given as --restic-bin may bring its own repository and password. */
	if (!cfg->restic_bin_given && !cfg->repo && !cfg->repo_file)
		return msp_error_set(err, MSP_EINVAL,
				     "no repository: give -r REPO or --repository-file FILE, or set RESTIC_REPOSITORY");
	if (!cfg->restic_bin_given && !cfg->password_file && !cfg->password_command && !cfg->password_env)
		return msp_error_set(
			err, MSP_EINVAL,
			"no password: give --password-file or --password-command, or set RESTIC_PASSWORD_FILE");
	/* -w/-c hold the table's defaults when not given; the age rule compares only what the user gave. */
	r = msp_age_policy_parse_defaults(&cfg->age, cfg->warn_given ? cfg->warn : NULL,
					  cfg->crit_given ? cfg->crit : NULL, cfg->warn, cfg->crit, NULL, err);
	cfg->age.max_future = cfg->max_future;
	return r;
}

void check_restic_config_release(struct check_restic_config *cfg)
{
	msp_list_release(&cfg->host);
	msp_list_release(&cfg->path);
	msp_list_release(&cfg->tag);
	msp_list_release(&cfg->pass_env);
}

/*
 * What restic was doing when the deadline ended it, from its stderr so far:
 * restic retries a lock it cannot make ("Save(<lock/...>) returned error,
 * retrying after 1.2s: open /repo/locks/...: permission denied") until it
 * is killed, so the reason is in its last line, not in its exit.  buf gets
 * "" when stderr says nothing.
 */
static void timeout_cause(const char *err, char *buf, size_t len)
{
	const char *end = err + strlen(err), *line, *retry;

	while (end > err && (end[-1] == '\n' || end[-1] == '\r' || end[-1] == ' '))
		end--;
	for (line = end; line > err && line[-1] != '\n'; line--)
		;
	buf[0] = '\0';
	if (line == end)
		return;
	retry = strstr(line, "retrying after ");
	if (strncmp(line, "Save(<lock/", 11) == 0 && retry && retry < end && (retry = strstr(retry, ": ")) &&
	    retry < end)
		snprintf(buf, len, "it was retrying to make a lock (--lock): %.*s", (int)(end - retry - 2), retry + 2);
	else
		snprintf(buf, len, "restic's last message: %.*s", (int)(end - line), line);
}

/* ----------------------------------------------------------------- probe */

/*
 * The command: restic's argv and its environment, nothing of ours but PATH,
 * HOME and what names a repository, its password and cache, and the
 * --pass-env names.  The password reaches restic only as a file, a command
 * or RESTIC_PASSWORD, never in argv.  msp_cmd refuses to run a command an
 * argument or variable did not fit in.
 */
static void build_command(const struct check_restic_config *cfg, struct msp_cmd *c)
{
	const struct msp_list *l[] = { &cfg->host, &cfg->path, &cfg->tag };
	const char *name[] = { "--host", "--path", "--tag" };

	msp_cmd_env_pass(c, "PATH", MSP_CMD_ENV_NO_SUDO);
	msp_cmd_env(c, "LC_ALL", "C", 0);
	msp_cmd_env(c, "HOME", getenv("HOME"), MSP_CMD_ENV_NO_SUDO);
	msp_cmd_env(c, "RESTIC_REPOSITORY", cfg->repo, 0);
	msp_cmd_env(c, "RESTIC_REPOSITORY_FILE", cfg->repo_file, 0);
	msp_cmd_env(c, "RESTIC_PASSWORD_FILE", cfg->password_file, 0);
	msp_cmd_env(c, "RESTIC_PASSWORD_COMMAND", cfg->password_command, MSP_CMD_ENV_HIDDEN);
	if (cfg->password_env)
		msp_cmd_env(c, "RESTIC_PASSWORD", getenv("RESTIC_PASSWORD"), MSP_CMD_ENV_SECRET);
	msp_cmd_env(c, "RESTIC_CACHE_DIR", cfg->cache_dir, 0);
	for (size_t i = 0; i < cfg->pass_env.count; i++)
		msp_cmd_env(c, cfg->pass_env.items[i], getenv(cfg->pass_env.items[i]), MSP_CMD_ENV_HIDDEN);
	msp_cmd_sudo(c, cfg->sudo, false);
	msp_cmd_arg(c, "snapshots");
	msp_cmd_arg(c, "--json");
	if (!cfg->lock)
		msp_cmd_arg(c, "--no-lock");
	if (!cfg->cache_dir)
		msp_cmd_arg(c, "--no-cache");
	if (cfg->sudo) {
		/* sudo resets the environment: hand over what restic needs as options (paths, not secrets). */
		const char *opt[] = { "-r", "--repository-file", "--password-file", "--password-command",
				      "--cache-dir" };
		const char *val[] = { cfg->repo, cfg->repo_file, cfg->password_file, cfg->password_command,
				      cfg->cache_dir };

		for (size_t i = 0; i < 5; i++)
			if (val[i] && msp_cmd_arg(c, opt[i]) == 0)
				msp_cmd_arg(c, val[i]);
	}
	for (size_t i = 0; i < 3; i++)
		for (size_t j = 0; j < l[i]->count; j++)
			if (msp_cmd_arg(c, name[i]) == 0)
				msp_cmd_arg(c, l[i]->items[j]);
	if (cfg->group_by[0] && msp_cmd_arg(c, "--group-by") == 0)
		msp_cmd_arg(c, cfg->group_by);
}

/* The repository as messages show it: without a password in a URL. */
static const char *repo_shown(const struct check_restic_config *cfg, const struct msp_redact *secrets, char *buf,
			      size_t len)
{
	if (cfg->repo)
		return msp_redact_buf(secrets, cfg->repo, buf, len);
	if (cfg->repo_file) {
		snprintf(buf, len, "from %s", cfg->repo_file);
		return buf;
	}
	return NULL;
}

/* A small file's text without the blanks around it (as restic reads it); NULL when it cannot be read. */
static char *read_trimmed(const char *path)
{
	struct msp_buf b;
	struct msp_error e;
	char *t, *p;
	size_t n;

	msp_buf_init(&b, 1 << 16);
	msp_error_init(&e);
	if (msp_file_read(path, 1 << 16, &b, &e) < 0 || !(t = msp_buf_detach(&b))) {
		msp_buf_release(&b);
		return NULL;
	}
	p = t + strspn(t, " \t\r\n\v\f");
	n = strlen(p);
	while (n && strchr(" \t\r\n\v\f", p[n - 1]))
		n--;
	memmove(t, p, n);
	t[n] = '\0';
	return t;
}

/* Remember the text of file path (when we can read it) as a secret, or the password of the URL in it. */
static int add_file_secret(struct msp_redact *r, const char *path, bool url)
{
	char *t = path ? read_trimmed(path) : NULL;
	int rc;

	if (!t)
		return 0;
	rc = url ? msp_redact_add_url(r, t) : msp_redact_add(r, t);
	explicit_bzero(t, strlen(t));
	free(t);
	return rc;
}

int check_restic_secrets(const struct check_restic_config *cfg, struct msp_redact *r)
{
	const char *pw = getenv("RESTIC_PASSWORD");
	int rc;

	/* A file we cannot read (restic runs through sudo) adds nothing: restic may still read it. */
	if ((rc = msp_redact_add(r, pw)) == MSP_ENOMEM || (rc = msp_redact_add_url(r, cfg->repo)) == MSP_ENOMEM ||
	    (rc = add_file_secret(r, cfg->password_file, false)) == MSP_ENOMEM ||
	    (rc = add_file_secret(r, cfg->repo_file, true)) == MSP_ENOMEM)
		return MSP_ENOMEM;
	return 0;
}

/* How the run ended, when it did not end with an exit status of 0. */
static int run_failed(const struct check_restic_config *cfg, const struct msp_cmd *c, const struct msp_exec_result *x,
		      const struct msp_cmd_verdict *v, const char *repo, struct msp_result *root)
{
	char last[300] = "";
	char *red;
	int r = 0;

	/* Whatever restic says is redacted before anything quotes it or cuts it short. */
	if (!(red = msp_redact_dup(&c->secrets, msp_buf_str(&x->err))))
		return MSP_ENOMEM;
	if (v->end == MSP_CMD_EXIT) {
		r = check_restic_failure(cfg, &c->secrets, repo, x->exit_code, red, root);
	} else {
		if (v->end == MSP_CMD_TIMED_OUT)
			timeout_cause(red, last, sizeof(last));
		msp_result_set_state(root, v->state);
		r = msp_result_set_text(root, "%s%s%s%s", v->msg, v->end == MSP_CMD_TIMED_OUT ? " (killed it)" : "",
					last[0] ? "; " : "", last);
	}
	explicit_bzero(red, strlen(red));
	free(red);
	return r;
}

static int restic_check(void *vcfg, const struct msp_context *ctx, struct msp_result *root, struct msp_error *err)
{
	static const struct msp_cmd_expect expect = { .what = "restic snapshots",
						      .hint = "install restic or give --restic-bin",
						      .fail_state = MSP_STATE_UNKNOWN };
	struct check_restic_config *cfg = vcfg;
	struct check_restic_sample s = { 0 };
	struct msp_exec_result x = { 0 };
	struct msp_cmd_verdict v;
	struct msp_cmd c;
	char repo[512];
	const char *shown;
	int r;

	msp_cmd_init(&c, ctx, cfg->restic_bin);
	if ((r = check_restic_secrets(cfg, &c.secrets)) < 0) {
		msp_error_set(err, r, "out of memory");
		goto out;
	}
	shown = repo_shown(cfg, &c.secrets, repo, sizeof(repo));
	build_command(cfg, &c);
	msp_step("running restic snapshots on '%.200s'", shown ? shown : "the wrapper's repository");
	r = msp_cmd_run(&c, &ctx->deadline, CHECK_RESTIC_OUT_MAX + 1, CHECK_RESTIC_ERR_MAX, &x, err);
	if (r == 0)
		r = msp_cmd_judge(&c, &x, &expect, &v, err);
	if (r < 0)
		goto out;
	if (v.end != MSP_CMD_OK) {
		r = run_failed(cfg, &c, &x, &v, shown, root) < 0 ? msp_error_set(err, MSP_ENOMEM, "out of memory") : 0;
		goto out;
	}
	msp_verbose(ctx, 3, "restic printed %zu bytes of JSON", x.out.len);
	if (x.out.truncated) {
		r = msp_error_set(err, MSP_ETOOBIG, "the snapshot list is longer than %u bytes", CHECK_RESTIC_OUT_MAX);
		goto out;
	}
	if ((r = check_restic_parse(cfg, x.out.data ? x.out.data : "", x.out.len, &s, err)) < 0)
		goto out;
	/* The clock is read after restic ended: a snapshot made meanwhile must not look like it came from the future. */
	r = check_restic_evaluate(cfg, &s, (double)time(NULL), root);
	if (r < 0)
		msp_error_set(err, r, "out of memory");
out:
	/* Last: nothing restic printed (host names, paths, messages) may show a secret. */
	if (msp_redact_result(&c.secrets, root) < 0)
		r = msp_error_set(err, MSP_ENOMEM, "out of memory");
	msp_redact_buf(&c.secrets, err->msg, err->msg, sizeof(err->msg));
	check_restic_sample_release(&s);
	msp_exec_result_release(&x);
	msp_cmd_release(&c);
	return r;
}

/* Frees what the options allocated (the test harness calls it between runs; a real run just exits). */
static void restic_release(void *cfg)
{
	check_restic_config_release(cfg);
}

static const struct msp_plugin plugin = {
	.summary = "age and count of the newest restic snapshots, per host/paths/tags group; missing, locked or unreadable repositories never read as OK (needs json-c)",
	.release = restic_release,
	.name = "check_restic",
	.service = "RESTIC",
	.synopsis = "-r REPO -p PASSWORD_FILE [-w AGE] [-c AGE] [--host HOST]... [--path PATH]... [--tag TAGS]... "
		    "[--group-by host,paths,tags [--expect-groups N]] [--min-snapshots N] [--restic-bin PATH] [--sudo]",
	.description =
		"Check that a restic repository holds a recent snapshot: runs restic snapshots --json --no-lock\n"
		"and judges the age of the newest matching snapshot (per group with --group-by).",
	.notes = "Age: counted from the snapshot's time, which is when the backup started (restic --time\n"
		 "  may set it); times carry any UTC offset and up to 9 fraction digits, and are compared\n"
		 "  as instants, so the time zones of the backup host and of this host do not matter.\n"
		 "  A snapshot dated more than --max-future ahead is a WARNING (clock problem).\n"
		 "Trust: every snapshot restic returns is checked against the filters by restic's rules\n"
		 "  (several --host: any; --tag a,b: both; several --tag: any list; every --path must\n"
		 "  be one of the snapshot's paths), and the groups are made here from --group-by\n"
		 "  whatever shape the output has, so --expect-groups always counts real groups.\n"
		 "Perfdata: age (s), snapshots (count); with --group-by groups and NAME_age,\n"
		 "  NAME_snapshots per group (NAME = host:paths:tags as grouped).  Snapshots made by\n"
		 "  restic >= 0.17 carry a summary: then also duration (s), data_added (B), files.\n"
		 "States (never OK when the question cannot be answered):\n"
		 "  no snapshot matches the filters, empty repository      CRITICAL (names the filters)\n"
		 "  fewer groups than --expect-groups, fewer snapshots\n"
		 "  than --min-snapshots                                   CRITICAL\n"
		 "  repository does not exist (restic exit 10 or message)  CRITICAL\n"
		 "  repository locked (with --lock; restic exit 11)        --lock-state (WARNING)\n"
		 "  wrong or empty password, password command failed      UNKNOWN\n"
		 "  restic not installed, unparseable output, other errors UNKNOWN\n"
		 "  restic did not end within -t                           timeout state (UNKNOWN); restic is killed\n"
		 "  restic returned a snapshot outside --host/--path/--tag,\n"
		 "  a snapshot twice, or a group whose key does not match\n"
		 "  its snapshots                                          UNKNOWN (restic or the wrapper is broken)\n"
		 "  restic >= 0.17: its exit codes 10/11/12 and its exit_error message decide as above\n"
		 "Environment: restic gets a clean environment: PATH, HOME, LC_ALL=C, RESTIC_REPOSITORY\n"
		 "  (or _FILE), RESTIC_PASSWORD_FILE / _COMMAND (or RESTIC_PASSWORD when neither is\n"
		 "  set), RESTIC_CACHE_DIR, and --pass-env names.  Without a cache directory restic runs\n"
		 "  with --no-cache (the monitoring user often has no writable home).  Secrets never go\n"
		 "  into restic's argv and never into our output, also not with -vvv: the password (its\n"
		 "  file, $RESTIC_PASSWORD) and the password of a repository URL, whatever it holds, show\n"
		 "  as *** wherever restic quotes them, as does any user:password@ in a URL.  With --sudo\n"
		 "  the repository, password file or command and cache directory are passed as options\n"
		 "  (sudo resets the environment): keep a password out of a repository URL there.\n"
		 "Examples:\n"
		 "  check_restic -r /srv/restic -p /etc/restic/pw -w 26h -c 50h\n"
		 "  check_restic -r sftp:backup@nas:/restic -p /etc/restic/pw --host web1 --tag daily\n"
		 "  check_restic --group-by host,paths --expect-groups 4 -w 26h -c 3d",
	.options = options,
	.timeout = 30,
	.timeout_state = MSP_STATE_UNKNOWN,
	.option = restic_option,
	.finish = restic_finish,
	.check = restic_check,
};

MSP_PLUGIN_MAIN(plugin, struct check_restic_config)
