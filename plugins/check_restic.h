/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * check_restic.h - what check_restic's files share (check_restic.c: options
 * and probe; check_restic_parse.c: restic's JSON; check_restic_eval.c:
 * evaluate and failures) and what its unit test drives.
 */
#ifndef CHECK_RESTIC_H
#define CHECK_RESTIC_H

#include <stdbool.h>
#include <stddef.h>

#include "msp.h"
#include "msp_redact.h"

/* Ceilings for what restic writes: a snapshot is ~400 bytes, so 32 MiB is ~80000 snapshots. */
#define CHECK_RESTIC_OUT_MAX (32u << 20)
#define CHECK_RESTIC_ERR_MAX (64u << 10)
/* The largest --expect-groups and --min-snapshots. */
#define CHECK_RESTIC_COUNT_MAX 1000000

struct check_restic_config {
	/* From the option table; strings point into argv (or the environment).  NULL = not given. */
	const char *repo;             /* -r, else RESTIC_REPOSITORY */
	const char *repo_file;        /* --repository-file, else RESTIC_REPOSITORY_FILE */
	const char *password_file;    /* --password-file, else RESTIC_PASSWORD_FILE */
	const char *password_command; /* --password-command, else RESTIC_PASSWORD_COMMAND */
	bool password_env;            /* RESTIC_PASSWORD is set in our environment (value never copied) */
	const char *cache_dir;        /* --cache-dir, else RESTIC_CACHE_DIR; none: --no-cache */
	const char *restic_bin;       /* --restic-bin (default "restic") */
	bool restic_bin_given;        /* a wrapper may bring its own repository and password */
	bool sudo;                    /* run through sudo -n */
	bool lock;                    /* take restic's shared lock (omit --no-lock) */
	enum msp_state lock_state;    /* state when restic reports the repository locked */
	struct msp_list host, path, tag, pass_env; /* repeatable; check_restic_config_release frees them */
	char group_by[32];            /* "host,paths,tags" as restic 0.14 spells it; "" = not grouped */
	unsigned expect_groups;       /* 0 = not checked */
	unsigned min_snapshots;       /* per group (or in all); default 1 */
	const char *warn, *crit;      /* -w/-c text (the defaults when not given) */
	bool warn_given, crit_given;
	double max_future;            /* --max-future, seconds */

	/* Filled by the finish callback. */
	struct msp_age_policy age;
};

/* Free the lists of a config the option parser filled (the strings are argv's). */
void check_restic_config_release(struct check_restic_config *cfg);

/* The newest snapshot of a group, as restic snapshots --json describes it. */
struct check_restic_snapshot {
	double time;       /* seconds since the epoch, with the fraction; when the backup started */
	char short_id[17]; /* "" when restic gave no id */
	char *hostname;    /* owned, "" when absent */
	char *paths;       /* owned, sorted, joined with "," */
	char *tags;        /* owned, sorted, joined with ",", "" when none */
	/* From the summary object of restic >= 0.17; has_summary false without it. */
	bool has_summary;
	double duration;   /* backup_end - backup_start in seconds; NAN when not both given */
	double data_added; /* bytes, NAN when absent */
	double files;      /* total_files_processed, NAN when absent */
};

struct check_restic_group {
	char *name;   /* owned: "host:paths:tags" parts of the group key that are set ("untagged" when
		       * none); "" when not grouped */
	size_t nsnap; /* snapshots in the group (>= 1) */
	struct check_restic_snapshot newest;
};

struct check_restic_sample {
	struct check_restic_group *group; /* owned array */
	size_t ngroup;
	bool grouped; /* judged per group (--group-by given) */
};

/*
 * Parse the stdout of `restic snapshots --json` (plain or --group-by
 * shape) of len bytes into *ret: per group the count and the newest
 * snapshot.  `[]` is a valid, empty sample.  The tool is not trusted:
 * every snapshot must pass cfg's --host, --path and --tag filters by
 * restic's rules, and one listed in a group must carry what the group key
 * names; the groups are then made here from cfg->group_by, whatever shape
 * the output had (plain output is grouped, grouped output without
 * --group-by is one group).  Returns 0, MSP_EINVAL with a message (not
 * JSON, wrong shape, a snapshot without a valid time, a snapshot the
 * filters exclude) or MSP_ENOMEM; *ret is set only on success and freed
 * with check_restic_sample_release().
 */
int check_restic_parse(const struct check_restic_config *cfg, const char *text, size_t len,
		       struct check_restic_sample *ret, struct msp_error *err);

/* Free what s owns; s is empty afterwards. */
void check_restic_sample_release(struct check_restic_sample *s);

/*
 * Judge the sample at wall-clock time `now` (seconds since the epoch) and
 * fill root: state, summary, perfdata and one child per group.  An empty
 * sample is CRITICAL naming the filters.  Returns 0 or MSP_ENOMEM.
 */
int check_restic_evaluate(const struct check_restic_config *cfg, const struct check_restic_sample *s, double now,
			  struct msp_result *root);

/*
 * Turn a failed restic run (exit code, its stderr) into state and summary
 * on root: wrong password, missing repository, locked repository, ...
 * (see the plugin's --help notes).  repo is the repository as shown to the
 * user (may be NULL).  Every line quoted is redacted with secrets (NULL:
 * URL passwords only) first.  Returns 0 or MSP_ENOMEM.
 */
int check_restic_failure(const struct check_restic_config *cfg, const struct msp_redact *secrets, const char *repo,
			 int exit_code, const char *errtext, struct msp_result *root);

/*
 * Collect into r what restic's output must never show: $RESTIC_PASSWORD,
 * the text of the password file, the password of the repository URL (-r
 * or the repository file's).  Files we cannot read add nothing.  0 or
 * MSP_ENOMEM.
 */
int check_restic_secrets(const struct check_restic_config *cfg, struct msp_redact *r);

#endif
