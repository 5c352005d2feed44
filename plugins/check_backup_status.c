/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * check_backup_status - the result of a backup job as the job itself wrote it down.
 *
 * probe: read the status file (of an rsnapshot log only its end) and its modification time
 * parse: check_backup_status_parse() (check_backup_status_parse.c, _json.c)
 * evaluate: check_backup_status_evaluate() (check_backup_status_eval.c)
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "check_backup_status.h"
#include "msp_redact.h"

static const char *const format_names[] = { "statusfile", "rsnapshot", "restic-json", "json" };

static const struct msp_choice format_choices[] = {
	{ "statusfile", CHECK_BACKUP_STATUS_STATUSFILE },
	{ "rsnapshot", CHECK_BACKUP_STATUS_RSNAPSHOT },
	{ "restic-json", CHECK_BACKUP_STATUS_RESTIC_JSON },
	{ "json", CHECK_BACKUP_STATUS_JSON },
	{ NULL, 0 },
};
static const struct msp_choice warnings_choices[] = { { "ok", 1 }, { "warning", 0 }, { NULL, 0 } };
static const struct msp_choice records_choices[] = { { "last", 0 }, { "all", 1 }, { NULL, 0 } };

/*
 * The ages stay text: msp_age_policy_parse_defaults reads them, with the one
 * "warning above critical" rule every age check follows.  -a and -c are one
 * option, so the 26h default is applied in finish, not as .def (a default on
 * -a would overwrite a -c given alone).
 */
#define MSP_CFG struct check_backup_status_config
static const struct msp_option options[] = {
	MSP_CHOICE(0, "format", format, "FORMAT", format_choices,
		   "statusfile, rsnapshot, restic-json or json (see below)", .def = "statusfile",
		   .var = "backup_status_format"),
	MSP_PATH('f', "file", file, "FILE", "The status file (an rsnapshot log for rsnapshot)",
		 .var = "backup_status_file"),
	MSP_STRING(0, "job", job, "NAME",
		   "rsnapshot: only runs of this interval (daily); json: the object holding the\n"
		   "fields (profiles.home.backup); all formats: the name in the summary",
		   .var = "backup_status_job"),
	MSP_STRING('a', "max-age", max_age, "AGE",
		   "CRITICAL when the last run finished longer ago (default 26h; 90s 15m 26h 7d 2w);\n"
		   "also -c/--critical.  The job must have run, not only once have succeeded",
		   .var = "backup_status_max_age"),
	MSP_STRING('c', "critical", max_age, "AGE", NULL),
	MSP_STRING('w', "warning", warn, "AGE", "WARNING when the last run finished longer ago",
		   .var = "backup_status_warning"),
	MSP_STRING(0, "max-future", max_future, "AGE", "A time further ahead than AGE is a WARNING", .def = "5m",
		   .var = "backup_status_max_future"),
	MSP_CHOICE(0, "warnings", warnings_ok, "ok|warning", warnings_choices,
		   "The state of a run that finished with warnings", .def = "warning", .var = "backup_status_warnings"),
	MSP_STRING(0, "time-field", time_field, "PATH",
		   "json: the field holding the time of the run (RFC 3339 text or epoch seconds),\n"
		   "a dotted path such as time or $.last.end; default: the file's modification time",
		   .var = "backup_status_time_field"),
	MSP_STRING(0, "result-field", result_field, "PATH", "json: the field holding the result (required)",
		   .var = "backup_status_result_field"),
	MSP_LIST(0, "ok-value", ok_value, "VALUE",
		 "json: a result meaning success, case-insensitive (repeatable; default true)",
		 .var = "backup_status_ok_value"),
	MSP_CHOICE(0, "records", records_all, "last|all", records_choices,
		   "json: a file of several JSON values (JSON lines, one appended per run) is judged\n"
		   "by its last record or by all of them (any failed record fails; the age is the\n"
		   "last record's)",
		   .def = "last", .given = MSP_GIVEN(records_given)),
	MSP_OPTION_END,
};

/* --------------------------------------------------------------- options */

static int status_finish(void *vcfg, const struct msp_context *ctx, struct msp_error *err)
{
	struct check_backup_status_config *cfg = vcfg;
	bool json = cfg->format == CHECK_BACKUP_STATUS_JSON;

	(void)ctx;
	if (!cfg->file)
		return msp_error_set(err, MSP_EINVAL, "no status file given: use -f FILE");
	if (json && !cfg->result_field)
		return msp_error_set(err, MSP_EINVAL, "--format json needs --result-field");
	if (!json && (cfg->result_field || cfg->time_field || cfg->ok_value.count || cfg->records_given))
		return msp_error_set(err, MSP_EINVAL,
				     "--result-field, --time-field, --ok-value and --records need --format json");
	return msp_age_policy_parse_defaults(&cfg->age, cfg->warn, cfg->max_age, NULL, "26h", cfg->max_future, err);
}

void check_backup_status_config_release(struct check_backup_status_config *cfg)
{
	msp_list_release(&cfg->ok_value);
}

/* ----------------------------------------------------------------- probe */

/*
 * Of a file too big to read whole, seek to the last CHECK_BACKUP_STATUS_READ_MAX bytes where the
 * format allows: rsnapshot's log and restic's output appended run by run only grow, their last
 * runs are at the end.  Sets *ret_want; *ret_tail when the reading starts inside the file.
 */
static int seek_tail(const struct check_backup_status_config *cfg, int fd, off_t size, size_t *ret_want, bool *ret_tail,
		     struct msp_error *err)
{
	*ret_want = (size_t)size;
	*ret_tail = false;
	if (*ret_want <= CHECK_BACKUP_STATUS_READ_MAX)
		return 0;
	if (cfg->format != CHECK_BACKUP_STATUS_RSNAPSHOT && cfg->format != CHECK_BACKUP_STATUS_RESTIC_JSON)
		return msp_error_set(err, MSP_ETOOBIG, "'%s' is bigger than %u MiB", cfg->file,
				     CHECK_BACKUP_STATUS_READ_MAX >> 20);
	if (lseek(fd, size - (off_t)CHECK_BACKUP_STATUS_READ_MAX, SEEK_SET) < 0)
		return msp_error_errno(err, errno, "cannot read '%s'", cfg->file);
	*ret_want = CHECK_BACKUP_STATUS_READ_MAX;
	*ret_tail = true;
	return 0;
}

/* Read the file into *ret (malloc'd, *ret_len bytes, NUL bytes kept); of a long log only the end. */
static int read_status(const struct check_backup_status_config *cfg, struct check_backup_status_sample *s, char **ret,
		       size_t *ret_len, struct msp_error *err)
{
	struct stat st;
	size_t got = 0, want;
	char *buf = NULL, *nl;
	bool tail;
	ssize_t n;
	int fd, r = MSP_ESYS;

	fd = open(cfg->file, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0 && (errno == ENOENT || errno == ENOTDIR)) {
		s->missing = true;
		return 0;
	}
	if (fd < 0)
		return msp_error_errno(err, errno, "cannot open '%s'", cfg->file);
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		r = msp_error_set(err, MSP_EINVAL, "'%s' is not a regular file", cfg->file);
		goto out;
	}
	s->mtime = (double)st.st_mtim.tv_sec + (double)st.st_mtim.tv_nsec / 1e9;
	if ((r = seek_tail(cfg, fd, st.st_size, &want, &tail, err)) < 0 || !(buf = malloc(want + 1))) {
		r = r < 0 ? r : msp_error_set(err, MSP_ENOMEM, "out of memory");
		goto out;
	}
	while (got < want && (n = read(fd, buf + got, want - got)) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			goto fail;
		got += (size_t)n;
	}
	if (tail && (nl = memchr(buf, '\n', got)) != NULL) {
		/* the first line is cut: it is not one to judge */
		got -= (size_t)(nl + 1 - buf);
		memmove(buf, nl + 1, got);
	}
	buf[got] = '\0';
	s->empty = true;
	for (size_t i = 0; i < got && s->empty; i++)
		s->empty = buf[i] == ' ' || buf[i] == '\t' || buf[i] == '\r' || buf[i] == '\n';
	*ret = buf;
	*ret_len = got;
	buf = NULL;
	r = 0;
	goto out;
fail:
	r = msp_error_errno(err, errno, "cannot read '%s'", cfg->file);
out:
	free(buf);
	close(fd);
	return r;
}

static int status_check(void *vcfg, const struct msp_context *ctx, struct msp_result *root, struct msp_error *err)
{
	struct check_backup_status_config *cfg = vcfg;
	struct check_backup_status_sample *s = malloc(sizeof(*s));
	struct timespec now;
	char *text = NULL;
	size_t len = 0;
	int r;

	if (!s)
		return msp_error_set(err, MSP_ENOMEM, "out of memory");
	check_backup_status_sample_init(s);
	msp_step("reading '%.200s'", cfg->file);
	r = read_status(cfg, s, &text, &len, err);
	if (r == 0 && !s->missing && !s->empty) {
		r = check_backup_status_parse(cfg, text, len, s, err);
		if (r == MSP_EINVAL) {
			char why[MSP_ERROR_MAX];

			memcpy(why, err->msg, sizeof(why));
			msp_error_set(err, MSP_EINVAL, "cannot parse '%.200s' as %s: %.250s", cfg->file,
				      format_names[cfg->format], why);
		}
	}
	if (r == 0) {
		clock_gettime(CLOCK_REALTIME, &now);
		msp_verbose(ctx, 1, "'%s': outcome %d, time %f (%s)", cfg->file, (int)s->outcome,
			    isfinite(s->when) ? s->when : s->mtime, isfinite(s->when) ? "inside" : "file");
		r = check_backup_status_evaluate(cfg, s, (double)now.tv_sec + (double)now.tv_nsec / 1e9, root);
		if (r == 0) {
			/* job logs quote repository URLs ("rest:https://u:PASSWORD@host/"): never show a password */
			struct msp_redact none;

			msp_redact_init(&none);
			r = msp_redact_result(&none, root);
		}
		if (r < 0)
			msp_error_set(err, r, "out of memory");
	}
	free(text);
	free(s);
	return r;
}

/* Frees what the options allocated (the test harness calls it between runs; a real run just exits). */
static void backup_status_release(void *cfg)
{
	check_backup_status_config_release(cfg);
}

static const struct msp_plugin plugin = {
	.summary = "the result of a backup job as the job wrote it down: a status file, rsnapshot's log, `restic backup --json` output, any JSON status file (resticprofile); the last run must be recent and successful (needs json-c)",
	.release = backup_status_release,
	.positional_hint = "give the file with -f",
	.name = "check_backup_status",
	.service = "BACKUP_STATUS",
	.synopsis = "-f FILE [--format statusfile|rsnapshot|restic-json|json] [--job NAME] [-a AGE] [-w AGE]\n"
		    "[--warnings=ok|warning] [--result-field PATH [--time-field PATH] [--ok-value VALUE]...\n"
		    "[--records=last|all]]",
	.description = "Check the result of a backup job that monitoring cannot inspect directly, as the job wrote\n"
		       "it down: a status file, rsnapshot's log, restic's JSON output or any JSON status file.\n"
		       "The last run must have succeeded and must be recent: a job that stopped running is caught.",
	.notes = "Formats:\n"
		 "  statusfile   the first line starts with a state word (OK WARNING CRITICAL UNKNOWN,\n"
		 "               or 0-3), the rest of it is the text; further lines are long output\n"
		 "               (as Debian's contrib check_statusfile reads it)\n"
		 "  rsnapshot    rsnapshot's log (logfile in rsnapshot.conf, 1.4.x lines): the last\n"
		 "               'completed successfully', 'completed, but with some warnings' or\n"
		 "               '... some errors' of the interval --job (default: any); ERROR lines\n"
		 "               with no 'completed' after them (a config error, a lock file) are a\n"
		 "               failed run.  rsync's complaints are listed.\n"
		 "  restic-json  what 'restic backup --json' wrote to stdout (keep it: restic ... --json\n"
		 "               >FILE 2>&1, or >>FILE: several runs): the last run that ended decides.\n"
		 "               Its summary line is success, 'error' lines (files restic could not\n"
		 "               read, exit code 3) make it 'with warnings'; exit_error, 'Fatal: ...' or\n"
		 "               no summary is a failure.  Perfdata: restic's counters.\n"
		 "  json         JSON: --result-field names the result (success when it equals an\n"
		 "               --ok-value, default true), --time-field the time, --job the object\n"
		 "               holding both; e.g. resticprofile's status file:\n"
		 "               --job profiles.home.backup --result-field success --time-field time\n"
		 "               A file of several values (JSON lines, one appended per run) is judged\n"
		 "               by its last record, or with --records=all by every one.\n"
		 "Which time the age is measured from: the time inside the file when it has one\n"
		 "  (rsnapshot's log line of the end of the run, restic's backup_end from 0.17 on,\n"
		 "  --time-field), else the file's modification time (statusfile, restic 0.14).\n"
		 "  rsnapshot writes local time without a zone: run the check with the TZ of the\n"
		 "  machine that writes the log.  The summary says which ('finished' or 'file written').\n"
		 "  A time that is there but is no time (null, NaN, 1e400, a negative or millisecond\n"
		 "  epoch, 2026-02-30, 99:99:99) is UNKNOWN, never replaced by the file's time.  So is\n"
		 "  restic 0.14's summary (no backup_end) followed by a run that has not ended: the\n"
		 "  file's time is then that run's, not the backup's.\n"
		 "Fail closed: a missing or empty file is CRITICAL; a file that cannot be read or\n"
		 "  parsed (no state word, no rsnapshot run of the job, not JSON, text after the last\n"
		 "  JSON value, no result field) is UNKNOWN.  A run older than -a (default 26h) is\n"
		 "  CRITICAL, older than -w WARNING; a time more than --max-future (5m) ahead is a\n"
		 "  WARNING (a clock problem).  Runs of NUL bytes (writes lost in a crash) are\n"
		 "  skipped, never the end of the reading; a file of nothing else is UNKNOWN.  Of an\n"
		 "  rsnapshot log or restic output over 8 MiB the end is read; a bigger status file\n"
		 "  or JSON file is UNKNOWN.\n"
		 "Examples:\n"
		 "  check_backup_status -f /var/log/rsnapshot.log --format rsnapshot --job daily -a 26h\n"
		 "  check_backup_status -f /var/lib/backup/restic.json --format restic-json -a 2d\n"
		 "  check_backup_status -f /var/log/job.jsonl --format json --result-field ok --records=all\n"
		 "  check_backup_status -f /srv/export/veeam.txt -a 26h --warnings=ok",
	.options = options,
	.timeout = 10,
	.timeout_state = MSP_STATE_UNKNOWN,
	.finish = status_finish,
	.check = status_check,
};

MSP_PLUGIN_MAIN(plugin, struct check_backup_status_config)
