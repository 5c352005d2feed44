/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * check_backup_status.h - the pure parts of check_backup_status, for the unit tests.
 *
 * The plugin is four files, one job each:
 *   check_backup_status.c        options, reading the file (the probe), the plugin
 *   check_backup_status_parse.c  the sample; statusfile and rsnapshot's log
 *   check_backup_status_json.c   restic's --json output and JSON status files
 *   check_backup_status_eval.c   judging a sample into the result tree
 */
#ifndef CHECK_BACKUP_STATUS_H
#define CHECK_BACKUP_STATUS_H

#include <stdbool.h>
#include <stddef.h>

#include "msp.h"
#include "msp_age.h"

/* Bytes read from a status file; of an rsnapshot log only the last this many. */
#define CHECK_BACKUP_STATUS_READ_MAX (8u << 20)
/* Messages kept for the long output, and their length. */
#define CHECK_BACKUP_STATUS_DETAIL_MAX 10
#define CHECK_BACKUP_STATUS_TEXT_MAX 300

enum check_backup_status_format {
	CHECK_BACKUP_STATUS_STATUSFILE = 0, /* first line a state word, then the text */
	CHECK_BACKUP_STATUS_RSNAPSHOT,      /* rsnapshot's log file */
	CHECK_BACKUP_STATUS_RESTIC_JSON,    /* what `restic backup --json` writes, one run or several appended */
	CHECK_BACKUP_STATUS_JSON,           /* JSON values (one, or JSON lines), with --result-field and --time-field */
};

enum check_backup_status_outcome {
	CHECK_BACKUP_STATUS_SUCCESS = 0,
	CHECK_BACKUP_STATUS_WARNINGS, /* finished, but with warnings (or errors about single files) */
	CHECK_BACKUP_STATUS_FAILED,
	CHECK_BACKUP_STATUS_REPORTED, /* statusfile: the state the job wrote itself */
};

struct check_backup_status_config {
	/* From the options; strings point into argv. */
	int format; /* enum check_backup_status_format */
	const char *file;
	const char *job;
	const char *max_age, *warn, *max_future;
	int warnings_ok;    /* --warnings=ok */
	int records_all;    /* json, --records=all: every record is judged, not only the last */
	bool records_given; /* --records was given (it needs --format json) */
	const char *time_field, *result_field;
	struct msp_list ok_value; /* --ok-value, repeatable */

	/* Filled by finish. */
	struct msp_age_policy age;
};

struct check_backup_status_sample {
	bool missing; /* the file does not exist */
	bool empty;   /* the file has no content */
	double mtime; /* the file's modification time */

	enum check_backup_status_outcome outcome;
	enum msp_state reported;                 /* CHECK_BACKUP_STATUS_REPORTED: the job's own state */
	char job[CHECK_BACKUP_STATUS_TEXT_MAX];  /* the job as the file names it ("" when it does not) */
	char text[CHECK_BACKUP_STATUS_TEXT_MAX]; /* what the job said about the result ("" = nothing) */
	double when;       /* when the run finished, from inside the file; NaN when the file has no time */
	double unfinished; /* rsnapshot: start of a later run that has not finished; NaN when none */
	bool later_run;    /* restic-json: a later run has not finished (restic writes no time for it) */
	size_t nul_runs;   /* runs of NUL bytes skipped (writes lost in a crash) */
	char detail[CHECK_BACKUP_STATUS_DETAIL_MAX][CHECK_BACKUP_STATUS_TEXT_MAX]; /* messages of the run */
	size_t ndetail; /* how many there were (only the first CHECK_BACKUP_STATUS_DETAIL_MAX are kept) */

	/* restic's summary counters (restic-json). */
	bool has_summary;
	double files_new, files_changed, data_added, total_files, total_bytes, duration;
	size_t errors; /* "error" lines: files restic could not read */
};

/* Free what cfg owns. */
void check_backup_status_config_release(struct check_backup_status_config *cfg);

/*
 * Parse the content of a status file (len bytes, not empty, NUL bytes
 * allowed: runs of them are skipped and counted in s->nul_runs, never the
 * end of the text) in cfg->format into *s, whose mtime/missing/empty the
 * caller has set.  Returns 0, MSP_ENOMEM, or MSP_EINVAL with a message
 * saying what is wrong with the text (the plugin's answer is then
 * UNKNOWN: a garbage file is never OK).
 */
int check_backup_status_parse(const struct check_backup_status_config *cfg, const char *text, size_t len,
			      struct check_backup_status_sample *s, struct msp_error *err);

/* Set *s to an empty sample (times NaN). */
void check_backup_status_sample_init(struct check_backup_status_sample *s);

/* ------------------------------------------- between the parse files */

/* Copy n bytes of src (at most, up to a NUL) into a text field, control characters as blanks. */
void check_backup_status_set_text(char *dst, const char *src, size_t n);

/* Keep n bytes of text as a message of the run (the first CHECK_BACKUP_STATUS_DETAIL_MAX; all are counted). */
void check_backup_status_add_detail(struct check_backup_status_sample *s, const char *text, size_t n);

/*
 * Call fn on each line of text (NUL-terminated; a line without its '\n'),
 * numbered from 1, with s, ctx and err as given, until one returns
 * non-zero.  Returns that, or 0; *ret_lineno (when not NULL) is the number
 * of the last line fn was given (0: none).
 */
typedef int check_backup_status_line_fn(const char *line, size_t len, size_t lineno,
					struct check_backup_status_sample *s, void *ctx, struct msp_error *err);
int check_backup_status_each_line(const char *text, check_backup_status_line_fn *fn,
				  struct check_backup_status_sample *s, void *ctx, struct msp_error *err,
				  size_t *ret_lineno);

/*
 * The formats that check_backup_status_parse dispatches to (text is
 * NUL-terminated, NUL runs already skipped): 0, MSP_ENOMEM, or MSP_EINVAL
 * with what is wrong with the text.
 */
int check_backup_status_parse_restic(const char *text, struct check_backup_status_sample *s, struct msp_error *err);
int check_backup_status_parse_json(const struct check_backup_status_config *cfg, const char *text,
				   struct check_backup_status_sample *s, struct msp_error *err);

/*
 * Fill root from cfg, the sample and the wall clock `now`: state (the
 * result as the job reported it, the age of the run, missing or empty
 * file), summary, perfdata (age; restic's counters) and notes (messages of
 * the run).  Returns 0 or MSP_ENOMEM.
 */
int check_backup_status_evaluate(const struct check_backup_status_config *cfg,
				 const struct check_backup_status_sample *s, double now, struct msp_result *root);

#endif
