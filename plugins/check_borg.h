/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * check_borg.h - check_borg's config, sample and pure parts: the parsers
 * (check_borg_parse.c) and the evaluation (check_borg_eval.c), shared with
 * the probe in check_borg.c and the unit tests.
 */
#ifndef CHECK_BORG_H
#define CHECK_BORG_H

#include <stdbool.h>
#include <stddef.h>

#include "msp.h"

/* At most this many -a globs (each is one archive series, judged on its own). */
#define CHECK_BORG_GLOB_MAX 32

struct check_borg_config {
	/* From the options; strings point into argv or the environment.  NULL = not given. */
	const char *repo;            /* -R, else $BORG_REPO */
	struct msp_list glob;        /* -a; none: the whole repository is one series */
	const char *warn, *crit;     /* -w/-c on the age as given (defaults 26h/50h) */
	const char *max_future;      /* --max-future (default 5m) */
	const char *passphrase_file; /* --passphrase-file */
	const char *borg_bin;        /* --borg-bin (default "borg", found in PATH) */
	const char *base_dir;        /* --base-dir, else $BORG_BASE_DIR, else a private temporary directory */
	const char *cache_dir;       /* --cache-dir, else $BORG_CACHE_DIR, else under the base dir */
	bool sudo;                   /* --sudo: run borg through sudo -n */
	bool info;                   /* --info: borg info on the newest archive of each series */
	bool allow_unencrypted;      /* --allow-unencrypted */
	bool allow_relocated;        /* --allow-relocated */
	int lock_state;              /* --lock: MSP_STATE_OK, _WARNING (default) or _UNKNOWN */
	double lock_wait;            /* --lock-wait, whole seconds (default 1) */

	/* Filled by the finish callback. */
	struct msp_age_policy age;
};

/* One archive of `borg list --json`. */
struct check_borg_archive {
	char *name;      /* owned */
	double time;     /* seconds since the epoch (borg ran with TZ=UTC0, see check_borg.c) */
	bool checkpoint; /* "<name>.checkpoint" or "<name>.checkpoint.N": an interrupted or running borg create */
};

/* The answer of `borg list --json`. */
struct check_borg_list {
	struct check_borg_archive *archive; /* owned array, in borg's order (oldest first) */
	size_t n;
	char *encryption; /* "repokey", "none", ...; owned, may be NULL */
};

/* The numbers of `borg info --json REPO::ARCHIVE` for one archive. */
struct check_borg_info {
	bool valid;
	double original_size;     /* bytes */
	double compressed_size;   /* bytes */
	double deduplicated_size; /* bytes this archive added to the repository */
	double nfiles;
	double duration; /* seconds borg create ran */
	double end;      /* seconds since the epoch; NaN when borg gave none */
};

/* Why a borg run failed, from its exit status and its --log-json stderr. */
enum check_borg_failure_kind {
	CHECK_BORG_FAIL_OTHER = 0,    /* an error we do not know by name */
	CHECK_BORG_FAIL_PASSPHRASE,   /* PassphraseWrong */
	CHECK_BORG_FAIL_PASSCOMMAND,  /* PasscommandFailure (its text may hold the command: not shown) */
	CHECK_BORG_FAIL_REPO_MISSING, /* Repository.DoesNotExist */
	CHECK_BORG_FAIL_NOT_A_REPO,   /* Repository.InvalidRepository */
	CHECK_BORG_FAIL_LOCKED,       /* LockTimeout: another process holds the lock */
	CHECK_BORG_FAIL_LOCK_DENIED,  /* LockFailed: the lock cannot be made here (a read-only user) */
	CHECK_BORG_FAIL_UNENCRYPTED,  /* refused BORG_UNKNOWN_UNENCRYPTED_REPO_ACCESS_IS_OK question */
	CHECK_BORG_FAIL_RELOCATED,    /* refused BORG_RELOCATED_REPO_ACCESS_IS_OK question */
	CHECK_BORG_FAIL_CONNECTION,   /* ConnectionClosed*, remote borg not reachable */
	CHECK_BORG_FAIL_SUDO,         /* sudo refused (a "sudo:" line, no borg output) */
};

struct check_borg_failure {
	enum check_borg_failure_kind kind;
	char msgid[64];    /* borg's msgid, "" when none */
	char message[256]; /* borg's message (first line), "" when none */
};

struct check_borg_sample {
	struct check_borg_list list;
	bool locked;                  /* the lock wait ran out; the list was read with --bypass-lock */
	bool lock_denied;             /* with locked: borg could not make the lock (LockFailed), none held it */
	char lock_message[256];       /* borg's LockTimeout or LockFailed message */
	bool list_warning;            /* borg list exited 1 (a warning) */
	struct check_borg_info *info; /* owned; one per series (-a globs, or 1), NULL without --info */
	char **info_error;            /* owned; per series, NULL or why borg info gave nothing */
	size_t ninfo;
};

/*
 * Parse the stdout of `borg list --json` into *ret (which the caller frees
 * with check_borg_list_release, also after an error).  Times are read as
 * UTC (borg ran with TZ=UTC0).  A document without an "archives" list, an
 * archive without a name or with a time that does not parse is MSP_EINVAL
 * with a message; MSP_ENOMEM.
 */
int check_borg_parse_list(const char *json, size_t len, struct check_borg_list *ret, struct msp_error *err);
void check_borg_list_release(struct check_borg_list *l);

/*
 * Parse the stdout of `borg info --json REPO::ARCHIVE` (one archive) into
 * *ret.  want (NULL: any) is the archive asked for: an answer about
 * another archive is an error.  0, or MSP_EINVAL with a message when there
 * is no archive, another one, or no stats; *ret is set only on success.
 */
int check_borg_parse_info(const char *json, size_t len, const char *want, struct check_borg_info *ret,
			  struct msp_error *err);

/*
 * Read what went wrong from a failed run's stderr (borg --log-json lines;
 * plain lines such as sudo's are used as the message when there is no JSON
 * error).  Always fills *ret.
 */
void check_borg_parse_failure(const char *stderr_text, struct check_borg_failure *ret);

/* True when name is a checkpoint archive name ("x.checkpoint", "x.checkpoint.3"). */
bool check_borg_is_checkpoint(const char *name);

/* The archives of one series, as check_borg_pick_series() finds them. */
struct check_borg_series {
	const struct check_borg_archive *newest;      /* newest that is not a checkpoint; NULL when none */
	const struct check_borg_archive *newest_ckpt; /* newest checkpoint; NULL when none */
	size_t count, nckpt;                          /* archives (not checkpoints), checkpoints */
};

/*
 * The archives of l that glob (fnmatch; NULL = all) matches: the newest
 * archive and the newest checkpoint (on equal times the later in borg's
 * order wins) and how many of each.  The pointers are into l.
 */
void check_borg_pick_series(const struct check_borg_list *l, const char *glob, struct check_borg_series *ret);

/* Free what s owns (accepts a zeroed sample). */
void check_borg_sample_release(struct check_borg_sample *s);

/*
 * Fill root from cfg (after the finish callback), the sample and the wall
 * clock `now`: one child per series (each -a glob, or the whole repository)
 * judged on its newest archive that is not a checkpoint, perfdata per
 * series, the lock finding, and the summary.  Returns 0 or MSP_ENOMEM.
 */
int check_borg_evaluate(const struct check_borg_config *cfg, const struct check_borg_sample *s, double now,
			struct msp_result *root);

#endif
