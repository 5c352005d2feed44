/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * check_backup - are file-based backups (dumps, NAS shares, rsync targets) recent enough?
 *
 * options: the table below; --regex and --missing keep a callback (a compiled expression given
 *        once, a state that may not be OK)
 * probe: check_backup_probe() (check_backup_probe.c) expands each -p with msp_glob and reads
 *        the directories into a sample (check_backup_sample.c)
 * evaluate: check_backup_evaluate() (check_backup_eval.c) judges each path (each -p, each
 *        match of a wildcard) on its own; the worst path sets the state.
 */
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "check_backup.h"

/* The options with real logic, handled by backup_option. */
enum {
	OPT_REGEX,
	OPT_MISSING,
};

static const struct msp_choice time_choices[] = { { "mtime", 0 }, { "ctime", 1 }, { NULL, 0 } };

#define MSP_CFG struct check_backup_config
static const struct msp_option options[] = {
	MSP_LIST('p', "path", path, "PATH",
		 "A directory, file or glob pattern holding backups (repeatable)\n"
		 "Each path, and each match of a pattern, is judged on its own; a directory\n"
		 "contributes the regular files in it",
		 .var = "backup_path"),
	MSP_BOOL(0, "pool", pool, "Judge all matches of a pattern together, as one path (the newest file of all)",
		 .var = "backup_pool"),
	MSP_UINT(0, "expect-count", expect_count, "N", 1, UINT32_MAX,
		 "A pattern must match at least N paths (fewer: CRITICAL, or the --missing state)",
		 .var = "backup_expect_count"),
	MSP_BOOL('r', "recurse", recurse, "Also read the directories below each directory", .var = "backup_recurse"),
	MSP_UINT(0, "max-depth", max_depth, "N", 1, 100000,
		 "Read at most N levels (1 = the directory's own files); implies -r", .var = "backup_max_depth"),
	MSP_LIST(0, "match", match, "GLOB",
		 "Only files whose name matches GLOB (repeatable: any one matches), e.g. '*.sql.gz'",
		 .var = "backup_match"),
	MSP_CALLBACK(OPT_REGEX, 0, "regex", MSP_ARG_REQUIRED, "REGEX",
		     "Only files whose name matches the extended REGEX", .var = "backup_regex"),
	MSP_LIST(0, "exclude", exclude, "GLOB",
		 "Neither read nor count files and directories whose name matches GLOB (repeatable)",
		 .var = "backup_exclude"),
	MSP_SET(0, "newest", pick, CHECK_BACKUP_NEWEST, "Judge the newest file of each path (default)"),
	MSP_SET(0, "oldest", pick, CHECK_BACKUP_OLDEST, "Judge the oldest file of each path", .var = "backup_oldest"),
	MSP_SET(0, "all", pick, CHECK_BACKUP_ALL, "Every file must be recent enough", .var = "backup_all"),
	MSP_STRING('w', "warning", warn, "AGE",
		   "WARNING when the judged file is older (default 26h); units s m h d w, ranges allowed",
		   .var = "backup_warning"),
	MSP_STRING('c', "critical", crit, "AGE", "CRITICAL when the judged file is older (default 50h)",
		   .var = "backup_critical"),
	MSP_CHOICE(0, "time", use_ctime, "mtime|ctime", time_choices,
		   "Which time of a file is its age: mtime (default) or ctime\n"
		   "mtime fits dumps and NAS shares; ctime rsync -a and cp -p targets, which keep\n"
		   "the source's mtime (see below)",
		   .var = "backup_time"),
	MSP_STRING(0, "max-future", max_future, "AGE",
		   "A modification time further ahead than AGE is a WARNING (default 5m)", .var = "backup_max_future"),
	MSP_SIZE(0, "min-size", min_size, "BYTES",
		 "CRITICAL when the newest file is smaller (10KB = 10000, 10KiB = 10240)",
		 .given = MSP_GIVEN(has_min_size), .var = "backup_min_size"),
	MSP_SIZE(0, "max-size", max_size, "BYTES", "CRITICAL when the newest file is bigger",
		 .given = MSP_GIVEN(has_max_size), .var = "backup_max_size"),
	MSP_UINT(0, "min-count", min_count, "N", 0, 0, "Each path must yield at least N files",
		 .var = "backup_min_count"),
	MSP_CALLBACK(OPT_MISSING, 0, "missing", MSP_ARG_REQUIRED, "STATE",
		     "State when a path yields no file or fewer than --min-count: critical (default),\n"
		     "warning or unknown (never OK)",
		     .var = "backup_missing"),
	MSP_OPTION_END,
};

/* --------------------------------------------------------------- options */

static int regex_option(struct check_backup_config *cfg, const char *arg, struct msp_error *err)
{
	int rc;

	if (cfg->has_regex)
		return msp_error_set(err, MSP_EINVAL, "--regex given twice: combine the expressions with '|'");
	rc = msp_regex_compile(&cfg->regex, arg, REG_EXTENDED | REG_NOSUB, "regex", err);
	if (rc < 0)
		return rc;
	cfg->has_regex = true;
	return 0;
}

static int missing_option(struct check_backup_config *cfg, const char *arg, struct msp_error *err)
{
	enum msp_state st;

	/* Nothing found is never OK: that is the failure this plugin exists to catch. */
	if (msp_state_parse(arg, &st, NULL) < 0 || st == MSP_STATE_OK)
		return msp_error_set(err, MSP_EINVAL, "missing state '%.40s' is not critical, warning or unknown", arg);
	cfg->missing_state = st;
	cfg->has_missing_state = true;
	return 0;
}

static int backup_option(void *vcfg, int id, const char *arg, struct msp_error *err)
{
	struct check_backup_config *cfg = vcfg;

	/* Debian command files pass '' for unset macros: an empty value is "not given". */
	if (!*arg)
		return 0;
	return id == OPT_REGEX ? regex_option(cfg, arg, err) : missing_option(cfg, arg, err);
}

static int backup_finish(void *vcfg, const struct msp_context *ctx, struct msp_error *err)
{
	struct check_backup_config *cfg = vcfg;

	(void)ctx;
	if (cfg->path.count == 0)
		return msp_error_set(err, MSP_EINVAL, "no path given: use -p PATH");
	if (cfg->has_min_size && cfg->has_max_size && cfg->min_size > cfg->max_size)
		return msp_error_set(err, MSP_EINVAL, "--min-size is above --max-size");
	if (!cfg->has_missing_state)
		cfg->missing_state = MSP_STATE_CRITICAL;
	if (cfg->max_depth)
		cfg->recurse = true;
	return msp_age_policy_parse_defaults(&cfg->age, cfg->warn, cfg->crit, "26h", "50h", cfg->max_future, err);
}

void check_backup_config_release(struct check_backup_config *cfg)
{
	msp_list_release(&cfg->path);
	msp_list_release(&cfg->match);
	msp_list_release(&cfg->exclude);
	if (cfg->has_regex)
		regfree(&cfg->regex);
	cfg->has_regex = false;
}

bool check_backup_name_matches(const struct check_backup_config *cfg, const char *name)
{
	bool ok = cfg->match.count == 0;

	for (size_t i = 0; i < cfg->match.count && !ok; i++)
		ok = fnmatch(cfg->match.items[i], name, 0) == 0;
	return ok && (!cfg->has_regex || regexec(&cfg->regex, name, 0, NULL, 0) == 0);
}

/* ----------------------------------------------------------------- check */

static int backup_check(void *vcfg, const struct msp_context *ctx, struct msp_result *root, struct msp_error *err)
{
	struct check_backup_config *cfg = vcfg;
	struct check_backup_sample s = { 0 };
	struct timespec now;
	int r = 0;

	for (size_t i = 0; i < cfg->path.count && r == 0; i++) {
		size_t first = s.ngroup;

		r = check_backup_probe(cfg, &s, cfg->path.items[i], err);
		for (size_t j = first; r == 0 && j < s.ngroup; j++)
			msp_verbose(ctx, 1, "'%s': %zu files, %zu directories with files, %zu unreadable",
				    s.group[j].spec, s.group[j].nfile, s.group[j].ndir, s.group[j].nproblem);
	}
	if (r == 0) {
		/* Read the clock after the scan: a file written meanwhile must not look as if it came from the future. */
		clock_gettime(CLOCK_REALTIME, &now);
		r = check_backup_evaluate(cfg, &s, (double)now.tv_sec + (double)now.tv_nsec / 1e9, root);
		if (r < 0)
			msp_error_set(err, r, "out of memory");
	}
	check_backup_sample_release(&s);
	return r;
}

/* Frees what the options allocated (the test harness calls it between runs; a real run just exits). */
static void backup_release(void *cfg)
{
	check_backup_config_release(cfg);
}

static const struct msp_plugin plugin = {
	.release = backup_release,
	.positional_hint = "give paths with -p",
	.name = "check_backup",
	.summary = "file-based backups (dumps, NAS shares, rsync targets): the newest file under each path is recent "
		   "enough, big enough, present at all; each directory a pattern matches (`/srv/nas/*/daily.0`: each "
		   "host) judged and named on its own (`--pool` judges them together), `--expect-count N` catches a "
		   "host that vanished, `--time=ctime` for rsync targets (whose files keep the source's modification "
		   "time), a place the pattern cannot read or search is UNKNOWN; 100,000 files scanned in well under a "
		   "second",
	.service = "BACKUP",
	.synopsis = "-p PATH [-p PATH]... [-r [--max-depth N]] [--match GLOB] [--regex REGEX]\n"
		    "[--newest|--oldest|--all] [-w AGE] [-c AGE] [--min-size BYTES] [--max-size BYTES]\n"
		    "[--min-count N] [--missing=critical|warning|unknown] [--pool] [--expect-count N]\n"
		    "[--time=mtime|ctime]",
	.description = "Check that file-based backups (dumps, NAS shares, rsync targets) are recent enough: the\n"
		       "newest file under each path must have been modified within the limits.",
	.notes = "Each -p is judged on its own and the worst path sets the state, so one backup series\n"
		 "  that stopped is caught while others run.  A directory contributes the regular files\n"
		 "  in it (with -r also those below it).  --match, --regex and --exclude look at names,\n"
		 "  not at directory parts.  --max-depth counts levels: 1 is a directory's own files, 2\n"
		 "  adds its subdirectories' files.\n"
		 "Patterns (* ? [...] as in a shell, no shell run): each directory a pattern matches is\n"
		 "  a path of its own, judged, named and graphed ('PATH age') on its own, so with\n"
		 "  -p '/srv/nas/*/daily.0' one stale host is not hidden by a fresh one; the files it\n"
		 "  matches in one directory are one series (-p '/srv/db/*.sql.gz': the newest counts).\n"
		 "  --pool judges all matches of a pattern together, as one path.  --expect-count N:\n"
		 "  a pattern matching fewer than N paths (a host that vanished) is CRITICAL (--missing\n"
		 "  chooses), more are simply judged; perfdata adds 'matches'.\n"
		 "Symbolic links: a -p that is a link (or a match of its pattern) is followed; inside\n"
		 "  a directory, links are neither followed nor counted (the file they point to counts\n"
		 "  where it lies), so link loops cannot trap the scan.\n"
		 "Fail closed: a path that does not exist, a pattern that matches nothing, a directory\n"
		 "  without (matching) files and fewer than --min-count files are CRITICAL (--missing\n"
		 "  chooses WARNING or UNKNOWN instead, never OK).  A directory or file that cannot be\n"
		 "  read makes the path at least UNKNOWN and is named in the long output (--exclude\n"
		 "  skips a known one such as lost+found); so does a place a pattern could not read or\n"
		 "  search (a match there would otherwise be lost without a word, as with glob(3)).\n"
		 "Age: the time since the file's last modification; -w/-c default to 26h and 50h and\n"
		 "  take ranges (1h:26h).  A modification time more than --max-future (5m) ahead is a\n"
		 "  WARNING (a clock problem), never fresh.  --min-size/--max-size apply to the newest\n"
		 "  file of each path and are CRITICAL.\n"
		 "Which time: the modification time (mtime) is when the content was written.  It fits\n"
		 "  dumps and archives written in place and NAS shares a job writes to.  rsync -a, cp -p\n"
		 "  and tar x keep the source's mtime, so a fresh copy of files that have not changed\n"
		 "  for months looks months old: for such targets use --time=ctime, the time the file\n"
		 "  was last written or changed here (each copy run sets it; it cannot be set back).\n"
		 "Perfdata: age (of the path furthest behind), files (all paths), size (the newest\n"
		 "  file); with several paths also 'PATH age' and 'PATH files' for each; with\n"
		 "  --expect-count 'matches' ('PATTERN matches' for several patterns).\n"
		 "Examples:\n"
		 "  check_backup -p /srv/backup/db --match '*.sql.gz' -w 26h -c 50h --min-size 1MB\n"
		 "  check_backup -p '/srv/nas/*/daily.0' -w 30h -c 3d --expect-count 12\n"
		 "  check_backup -r -p /srv/rsync/host1 --exclude lost+found --all -w 8d -c 15d",
	.options = options,
	.timeout = 10,
	.timeout_state = MSP_STATE_UNKNOWN,
	.option = backup_option,
	.finish = backup_finish,
	.check = backup_check,
};

MSP_PLUGIN_MAIN(plugin, struct check_backup_config)
