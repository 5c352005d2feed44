/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * check_backup.h - what check_backup's parts share: the config (check_backup.c), the sample
 * (check_backup_sample.c) the probe fills (check_backup_probe.c) and the evaluation
 * (check_backup_eval.c) reads; the unit tests use the same.
 *
 * A sample holds one group per judged path: each -p, or with a wildcard
 * each of its matches (all its matches in one group with --pool).  A group
 * holds the regular files found for it (their times and sizes, the name
 * stored once in an arena and the directory once per directory, so a scan
 * of many files builds no path strings) and the places that could not be
 * read.  The sample also counts the matches of each wildcard -p, for
 * --expect-count.
 */
#ifndef CHECK_BACKUP_H
#define CHECK_BACKUP_H

#include <regex.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "msp.h"
#include "msp_age.h"

/* Long output lists at most this many files past the limits (--all) and remembers this many unreadable places. */
#define CHECK_BACKUP_LIST_MAX 20

enum check_backup_pick {
	CHECK_BACKUP_NEWEST = 0, /* judge the newest file of each path (default) */
	CHECK_BACKUP_OLDEST,     /* judge the oldest file */
	CHECK_BACKUP_ALL,        /* every file must be recent enough */
};

struct check_backup_config {
	/* From the options; strings point into argv, the lists and the regex are owned. */
	struct msp_list path;    /* -p, directories, files or glob patterns (msp_glob.h) */
	struct msp_list match;   /* --match: fnmatch(3) patterns for file names (any one matches) */
	struct msp_list exclude; /* --exclude: names (files and directories) never read */
	regex_t regex;           /* --regex: POSIX extended, on the file name */
	bool has_regex;
	bool recurse;       /* -r */
	unsigned max_depth; /* levels below a directory to read; 0 = no limit (with -r) */
	int pick;           /* enum check_backup_pick */
	const char *warn, *crit, *max_future;
	double min_size, max_size; /* bytes, on the newest file */
	bool has_min_size, has_max_size;
	unsigned min_count;           /* files each -p must yield */
	enum msp_state missing_state; /* nothing (or fewer than --min-count) found */
	bool has_missing_state;
	bool pool;             /* --pool: all matches of a wildcard -p are one path */
	unsigned expect_count; /* --expect-count: fewer matches of a wildcard -p fail; 0 = not given */
	int use_ctime;         /* --time=ctime (1): a file's age from its status change time */

	/* Filled by finish. */
	struct msp_age_policy age;
};

struct check_backup_file {
	int64_t mtime; /* seconds since the epoch */
	int32_t nsec;
	uint32_t dir;  /* index into group->dir */
	uint32_t name; /* offset of the NUL-terminated name in group->names; "" = dir is the whole path */
	int64_t size;  /* bytes */
};

/* A place that could not be read (a directory, or a file that could not be examined). */
struct check_backup_problem {
	char *path; /* owned */
	int errnum;
};

enum check_backup_absence {
	CHECK_BACKUP_PRESENT = 0,
	CHECK_BACKUP_NO_SUCH_PATH,  /* the -p does not exist */
	CHECK_BACKUP_NO_GLOB_MATCH, /* the -p pattern matches nothing */
	CHECK_BACKUP_UNREADABLE,    /* the path itself could not be examined (problem[0] says why) */
};

struct check_backup_group {
	const char *spec; /* the -p as given (not owned), or a match of it (then owned_spec) */
	char *owned_spec;
	enum check_backup_absence absence;
	char **dir; /* owned paths of the directories that hold files */
	size_t ndir, dir_cap;
	char *names; /* owned arena of NUL-terminated names */
	size_t names_len, names_cap;
	struct check_backup_file *file; /* owned */
	size_t nfile, file_cap;
	struct check_backup_problem problem[CHECK_BACKUP_LIST_MAX];
	size_t nproblem; /* how many there were (only the first CHECK_BACKUP_LIST_MAX are kept) */
};

/* A -p with a wildcard: how many paths it matched and how many places it could not read. */
struct check_backup_pattern {
	const char *spec; /* not owned */
	size_t nmatch, nunreadable;
};

struct check_backup_sample {
	struct check_backup_group *group; /* owned array, one per judged path */
	size_t ngroup;
	struct check_backup_pattern *pattern; /* owned array, one per -p with a wildcard */
	size_t npattern;
};

/* Free what cfg owns (the lists and the compiled regex; the strings belong to argv). */
void check_backup_config_release(struct check_backup_config *cfg);

/* True when a file called name is taken (--match and --regex; no filter takes every file). */
bool check_backup_name_matches(const struct check_backup_config *cfg, const char *name);

/* Add an empty group for spec to s; returns it, or NULL on ENOMEM.  The sample owns it. */
struct check_backup_group *check_backup_sample_add_group(struct check_backup_sample *s, const char *spec);

/* The same for a match of a wildcard: the group keeps a copy of path. */
struct check_backup_group *check_backup_sample_add_match(struct check_backup_sample *s, const char *path);

/* Record that the wildcard -p spec matched nmatch paths and nunreadable places could not be read.  0 or MSP_ENOMEM. */
int check_backup_sample_add_pattern(struct check_backup_sample *s, const char *spec, size_t nmatch, size_t nunreadable);

/* Copy a directory path into g; *ret_index names it for check_backup_group_add_file.  0 or MSP_ENOMEM. */
int check_backup_group_add_dir(struct check_backup_group *g, const char *path, uint32_t *ret_index);

/* Record a file called name in directory dir (name "" when dir is the file's whole path).  0 or MSP_ENOMEM. */
int check_backup_group_add_file(struct check_backup_group *g, uint32_t dir, const char *name, int64_t mtime,
				int32_t nsec, int64_t size);

/* Record a place that could not be read (a copy of path).  0 or MSP_ENOMEM. */
int check_backup_group_add_problem(struct check_backup_group *g, const char *path, int errnum);

/* Write the full path of f into buf (cut to len).  Returns buf. */
char *check_backup_file_path(const struct check_backup_group *g, const struct check_backup_file *f, char *buf,
			     size_t len);

/* Free what s owns; s is empty afterwards. */
void check_backup_sample_release(struct check_backup_sample *s);

/*
 * Probe one -p (check_backup_probe.c): a path is one group; a pattern one group per match
 * (one for all with --pool) and a pattern record for --expect-count.  A place that cannot
 * be read is recorded in its group, not returned.  Returns 0, or MSP_ENOMEM (or an error of
 * msp_glob_expand) with a message in err; s holds what was added so far either way.
 */
int check_backup_probe(const struct check_backup_config *cfg, struct check_backup_sample *s, const char *spec,
		       struct msp_error *err);

/*
 * Fill root from cfg (after the plugin's finish), the sample and the wall
 * clock `now`: state, summary, perfdata (age, files, size, per path when
 * there are several, matches per wildcard with --expect-count) and one
 * long-output line per path and per wildcard with too few matches, plus
 * lines for unreadable places and, with --all, the files past the limits.
 * Returns 0 or MSP_ENOMEM.
 */
int check_backup_evaluate(const struct check_backup_config *cfg, const struct check_backup_sample *s, double now,
			  struct msp_result *root);

#endif
