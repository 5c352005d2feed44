/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * msp_cmd.h - run a tool and turn how it ended into a state and a message.
 *
 * One layer above msp_exec (no shell, deadline, caps, kills descendants)
 * and msp_redact (secrets out of every text):
 *
 *   struct msp_cmd cmd;
 *   struct msp_cmd_verdict v;
 *   struct msp_cmd_expect ex = { .what = "restic snapshots", .hint = "install restic or give --restic-bin" };
 *
 *   msp_cmd_init(&cmd, ctx, cfg->restic_bin);
 *   msp_cmd_sudo(&cmd, cfg->sudo, false);
 *   msp_cmd_arg(&cmd, "snapshots");
 *   msp_cmd_env(&cmd, "RESTIC_PASSWORD", pw, MSP_CMD_ENV_SECRET);
 *   if (msp_cmd_run(&cmd, &ctx->deadline, OUT_MAX, ERR_MAX, &res, err) < 0 ||
 *       msp_cmd_judge(&cmd, &res, &ex, &v, err) < 0)
 *           ... an error of ours (out of memory, too many arguments, fork)
 *   else if (v.end != MSP_CMD_OK)
 *           ... the tool failed: v.state, v.msg (or v.reason and v.line)
 *   msp_exec_result_release(&res);
 *   msp_cmd_release(&cmd);
 *
 * Invariants:
 * - The builder calls (arg, env, sudo, secret) never drop anything: when an
 *   argument or variable does not fit or memory runs out, the call returns
 *   MSP_ETOOBIG / MSP_ENOMEM and remembers it, and msp_cmd_run() refuses
 *   to run the command (a dropped --host or password would check
 *   something else).  So a caller may check only msp_cmd_run()'s result.
 * - The child's environment holds only what the caller adds, plus PATH
 *   (MSP_CMD_PATH) and LC_ALL=C unless the caller sets them.
 * - Every text this module makes (-v lines, reason, line, msg) has passed
 *   through the command's secrets (cmd->secrets) as a whole, before
 *   anything cut it short.  The caller redacts its own result tree with
 *   the same set (msp_redact_result(&cmd.secrets, root)).
 * - Library code never prints: -v output goes through msp_verbose() of the
 *   context given to msp_cmd_init() (none when it is NULL).
 */
#ifndef MSP_CMD_H
#define MSP_CMD_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "msp_error.h"
#include "msp_exec.h"
#include "msp_plugin.h"
#include "msp_redact.h"
#include "msp_state.h"

#define MSP_CMD_ARGS_MAX 128
#define MSP_CMD_ENV_MAX 40
/* The PATH a tool gets unless the caller sets one. */
#define MSP_CMD_PATH "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

/* Flags of a variable (msp_cmd_env). */
enum {
	MSP_CMD_ENV_SECRET = 1,  /* the value is a secret: never shown, redacted from every text */
	MSP_CMD_ENV_HIDDEN = 2,  /* the value is not shown by -v (a password command), not redacted */
	MSP_CMD_ENV_NO_SUDO = 4, /* not named in sudo's --preserve-env (PATH, HOME: sudo sets its own) */
};

struct msp_cmd_var {
	char *text; /* owned "NAME=value"; wiped before it is freed */
	unsigned flags;
};

struct msp_cmd {
	const struct msp_context *ctx; /* borrowed; NULL: no -v output, timeouts say no seconds */
	const char *program;           /* borrowed: argv[0] (searched in the child's PATH without '/') */
	char *arg[MSP_CMD_ARGS_MAX];   /* owned copies: the arguments after the program */
	size_t narg;
	struct msp_cmd_var env[MSP_CMD_ENV_MAX];
	size_t nenv;
	bool sudo;          /* run as "sudo -n [--preserve-env=...] -- program args" */
	bool sudo_keep_env; /* ask sudo to keep our variables (all but MSP_CMD_ENV_NO_SUDO ones) */
	struct msp_redact secrets;
	int error;      /* the first failure of a builder call (0: none); msp_cmd_run refuses to run */
	size_t out_max; /* the stdout cap of the last run, for "printed more than" */
};

/*
 * An empty command that will run program (no allocation).  ctx and program
 * are borrowed and must outlive cmd.  Release it with msp_cmd_release().
 */
void msp_cmd_init(struct msp_cmd *cmd, const struct msp_context *ctx, const char *program);

/* Free the arguments and variables (values wiped) and the secrets; cmd is empty afterwards. */
void msp_cmd_release(struct msp_cmd *cmd);

/* Append one argument (copied).  0, MSP_ETOOBIG (more than MSP_CMD_ARGS_MAX), MSP_ENOMEM. */
int msp_cmd_arg(struct msp_cmd *cmd, const char *arg);

/* Append one argument made from a printf format.  As msp_cmd_arg(). */
int msp_cmd_argf(struct msp_cmd *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Append the arguments of a NULL-terminated array.  As msp_cmd_arg(). */
int msp_cmd_args(struct msp_cmd *cmd, const char *const *args);

/* Drop the arguments (keep program, environment, sudo and secrets): for the next run of the same tool. */
void msp_cmd_clear_args(struct msp_cmd *cmd);

/*
 * Run the program through "sudo -n" (on) or not.  keep_env: pass
 * --preserve-env= with the names of the variables (sudo resets the
 * environment otherwise).  Returns 0.
 */
int msp_cmd_sudo(struct msp_cmd *cmd, bool on, bool keep_env);

/*
 * Set NAME=value in the child's environment (replacing an earlier value of
 * NAME); a NULL value adds nothing.  flags: MSP_CMD_ENV_*; a SECRET value is
 * also added to cmd->secrets.  0, MSP_EINVAL (a name with '=' or empty),
 * MSP_ETOOBIG (more than MSP_CMD_ENV_MAX, or the secrets are full), MSP_ENOMEM.
 */
int msp_cmd_env(struct msp_cmd *cmd, const char *name, const char *value, unsigned flags);

/* Pass our own value of NAME on, when it is set and not empty.  As msp_cmd_env(). */
int msp_cmd_env_pass(struct msp_cmd *cmd, const char *name, unsigned flags);

/* Remember text as a secret (NULL, "" ignored).  0, MSP_ETOOBIG, MSP_ENOMEM. */
int msp_cmd_secret(struct msp_cmd *cmd, const char *text);

/*
 * Remember the password of a repository location: a URL's
 * "scheme://user:PASSWORD@host" or scp-style "user:PASSWORD@host:path"
 * (msp_redact_add_location).  0, MSP_ETOOBIG, MSP_ENOMEM.
 */
int msp_cmd_secret_location(struct msp_cmd *cmd, const char *location);

/*
 * -v: "running: ARGV" (shell-quoted) and "environment: NAME=value ..."
 * (hidden values as NAME=(hidden)), both redacted.  Nothing without a
 * context or -v.  msp_cmd_run() calls it.
 */
void msp_cmd_show(const struct msp_cmd *cmd);

/*
 * Run the command (msp_exec_run) with the deadline (NULL: the context's)
 * and the caps.  Returns 0 when the child ran (how it ended is in *ret,
 * which the caller releases; judge it with msp_cmd_judge), or MSP_E* when
 * it was not run: a builder call had failed (cmd->error), or msp_exec
 * could not set it up.  With -vv it shows the exit and stderr (redacted).
 */
int msp_cmd_run(struct msp_cmd *cmd, const struct timespec *deadline, size_t out_max, size_t err_max,
		struct msp_exec_result *ret, struct msp_error *err);

/* How a run ended, as msp_cmd_judge() sees it. */
enum msp_cmd_end {
	MSP_CMD_OK,           /* an expected exit code (ret->exit_code says which) */
	MSP_CMD_NOT_FOUND,    /* the program (or sudo) does not exist */
	MSP_CMD_CANNOT_START, /* exec failed otherwise (permission, bad format) */
	MSP_CMD_TIMED_OUT,    /* killed at the deadline */
	MSP_CMD_KILLED,       /* ended by a signal */
	MSP_CMD_EXIT,         /* an exit code the caller did not declare OK */
	MSP_CMD_TRUNCATED,    /* stdout over its cap while the caller needs all of it */
};

/* What the caller expects of a run (a zeroed struct: exit 0 is OK, failures UNKNOWN). */
struct msp_cmd_expect {
	const char *what;          /* the run in messages, e.g. "borg list on '/srv/r'"; NULL: the program */
	const char *hint;          /* after "not found", e.g. "install restic or give --restic-bin"; NULL: none */
	unsigned long ok_exits;    /* bit N: exit code N (< 64) is a success too; exit 0 always is */
	enum msp_state fail_state; /* of a failure; OK counts as UNKNOWN (a failure is never OK) */
	bool whole_output;         /* a stdout cut at its cap is a failure (MSP_CMD_TRUNCATED) */
};

/* Declare exit code n as a success in msp_cmd_expect.ok_exits. */
#define MSP_CMD_EXIT_OK(n) (1UL << (n))

struct msp_cmd_verdict {
	enum msp_cmd_end end;
	enum msp_state state;    /* OK only when end is MSP_CMD_OK; a timeout: the context's timeout state */
	char reason[160];        /* short: "exit status 1", "killed by signal 9 (SIGKILL)", "'x' not found" */
	char line[256];          /* the tool's first meaningful error line (msp_cmd_error_line); "" when none */
	char msg[MSP_ERROR_MAX]; /* one line: "restic snapshots failed (exit 1): Fatal: ..."; "" when OK */
};

/*
 * Judge a finished run (ret of msp_cmd_run) against expect and fill *ret.
 * The messages:
 *   not found     'PROG' not found [in PATH] [(HINT)]
 *   cannot start  cannot run 'PROG': STRERROR
 *   timed out     timed out after N s while running WHAT
 *   killed        WHAT was killed by signal N (SIGNAME)
 *   exit          WHAT failed (exit N)[: LINE]
 *   truncated     WHAT printed more than SIZE
 * (PROG is sudo when sudo could not be run.)  ret->line is filled whatever
 * the end (a tool may warn on stderr and exit 0).  Returns 0, or
 * MSP_ENOMEM (then *ret says UNKNOWN with "out of memory").
 */
int msp_cmd_judge(const struct msp_cmd *cmd, const struct msp_exec_result *res, const struct msp_cmd_expect *expect,
		  struct msp_cmd_verdict *ret, struct msp_error *err);

/*
 * The first meaningful error line of a tool's stderr text, into buf (len >
 * 0; "" when there is none): redacted with secrets (may be NULL) as a
 * whole first; blank lines skipped; of a Python traceback ("Traceback (most
 * recent call last):", its indented "File ..." frames and code) only its
 * last line, the exception, counts; ANSI escape sequences and control
 * characters removed; cut to fit buf at a character boundary (UTF-8), with
 * "..." when cut.  Returns 0 or MSP_ENOMEM (buf "").
 */
int msp_cmd_error_line(const struct msp_redact *secrets, const char *text, char *buf, size_t len);

#endif
