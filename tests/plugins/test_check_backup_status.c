/*
 * test_check_backup_status.c - parse and evaluate of check_backup_status on
 * the rsnapshot logs and restic outputs recorded in
 * tests/fixtures/check_backup_status/ (see its README.md), and on status
 * file texts written in the shapes the formats define.
 */
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include "check_backup_status.h"
#include "../helpers/msp_test.h"

/* The recorded rsnapshot runs: 2026-11-28 05:09:xx on a machine in UTC. */
#define T_0509 1795842540.0 /* 2026-11-28T05:09:00Z */

static void set_tz(const char *tz)
{
	setenv("TZ", tz, 1);
	tzset();
}

static int option_id(const char *name)
{
	for (const struct msp_option *o = msp_test_plugin->options; o->short_name || o->long_name; o++)
		if (o->long_name && strcmp(o->long_name, name) == 0)
			return o->id;
	fail_msg("no option --%s", name);
	return -1;
}

/* Apply "name", "value" pairs (NULL-terminated), then finish.  Returns the first error. */
static int configure(struct check_backup_status_config *cfg, struct msp_error *err, ...)
{
	const char *name;
	va_list ap;
	int r = 0;

	memset(cfg, 0, sizeof(*cfg));
	msp_error_init(err);
	va_start(ap, err);
	while (r == 0 && (name = va_arg(ap, const char *)) != NULL)
		r = msp_test_plugin->option(cfg, option_id(name), va_arg(ap, const char *), err);
	va_end(ap);
	return r ? r : msp_test_plugin->finish(cfg, NULL, err);
}

#define CONFIGURE(cfg, ...)                                                    \
	do {                                                                   \
		struct msp_error e_;                                           \
		assert_int_equal(configure((cfg), &e_, __VA_ARGS__, NULL), 0); \
	} while (0)

static char *fixture(const char *name)
{
	char rel[512];

	snprintf(rel, sizeof(rel), "check_backup_status/%s", name);
	return msp_test_fixture(rel, 1 << 20);
}

/* Parse text under cfg into *s (mtime = file_time); returns parse's result. */
static int parse_text(const struct check_backup_status_config *cfg, const char *text, double file_time,
		      struct check_backup_status_sample *s, struct msp_error *err)
{
	check_backup_status_sample_init(s);
	s->mtime = file_time;
	msp_error_init(err);
	return check_backup_status_parse(cfg, text, s, err);
}

static void parse_fixture(const struct check_backup_status_config *cfg, const char *name,
			  struct check_backup_status_sample *s)
{
	struct msp_error err;
	char *text = fixture(name);

	if (parse_text(cfg, text, T_0509, s, &err) != 0)
		fail_msg("%s: %s", name, err.msg);
	free(text);
}

/* Evaluate at now and render; *ret_state gets the state.  Caller frees. */
static char *evaluate(const struct check_backup_status_config *cfg, const struct check_backup_status_sample *s,
		      double now, enum msp_state *ret_state)
{
	struct msp_result *root = msp_result_new();
	struct msp_buf b;

	assert_non_null(root);
	assert_int_equal(check_backup_status_evaluate(cfg, s, now, root), 0);
	*ret_state = msp_result_state(root);
	msp_buf_init(&b, MSP_OUTPUT_MAX + 4096);
	assert_int_equal(msp_render(root, MSP_FORMAT_NAGIOS, "check_backup_status", "BACKUP_STATUS", &b), 0);
	msp_result_free(root);
	return msp_buf_detach(&b);
}

/* ------------------------------------------------------------ rsnapshot */

static void test_rsnapshot__success_finished_at_the_logged_time(void **state)
{
	struct check_backup_status_config cfg;
	struct check_backup_status_sample s;
	enum msp_state st;
	char *out;

	(void)state;
	CONFIGURE(&cfg, "file", "/var/log/rsnapshot.log", "format", "rsnapshot");
	parse_fixture(&cfg, "rsnapshot_success.log", &s);
	assert_int_equal(s.outcome, CHECK_BACKUP_STATUS_SUCCESS);
	assert_string_equal(s.job, "daily");
	assert_string_equal(s.text, "");
	assert_true(s.when == T_0509 + 36); /* [2026-11-28T05:09:36] */
	assert_true(isnan(s.unfinished));
	assert_int_equal(s.ndetail, 0);
	out = evaluate(&cfg, &s, s.when + 5 * 3600 + 60, &st);
	assert_int_equal(st, MSP_STATE_OK);
	assert_string_equal(out, "BACKUP_STATUS OK - daily completed successfully, finished 5h 1m ago "
				 "(2026-11-28 05:09 +0000) | age=18060s;;93600;0\n");
	free(out);
	/* the job must have run recently: yesterday's success is not enough */
	out = evaluate(&cfg, &s, s.when + 27 * 3600, &st);
	assert_int_equal(st, MSP_STATE_CRITICAL);
	assert_non_null(strstr(out, "BACKUP_STATUS CRITICAL - daily completed successfully, finished 1d 3h ago "
				    "(2026-11-28 05:09 +0000), no run since | age=97200s;;93600;0\n"));
	free(out);
	check_backup_status_config_release(&cfg);
	CONFIGURE(&cfg, "file", "/x", "format", "rsnapshot", "warning", "1h", "max-age", "2d");
	free(evaluate(&cfg, &s, s.when + 27 * 3600, &st));
	assert_int_equal(st, MSP_STATE_WARNING);
	check_backup_status_config_release(&cfg);
}

static void test_rsnapshot__warnings_are_a_warning_unless_ok(void **state)
{
	struct check_backup_status_config cfg;
	struct check_backup_status_sample s;
	enum msp_state st;
	char *out;

	(void)state;
	CONFIGURE(&cfg, "file", "/x", "format", "rsnapshot");
	parse_fixture(&cfg, "rsnapshot_warnings.log", &s);
	assert_int_equal(s.outcome, CHECK_BACKUP_STATUS_WARNINGS);
	assert_string_equal(s.text, "Some files and/or directories in /tmp/rsnapshot-fixture/src/ only transferred "
				    "partially during rsync operation");
	assert_int_equal(s.ndetail, 3);
	assert_string_equal(s.detail[0], "rsync: [sender] send_files failed to open "
					 "\"/tmp/rsnapshot-fixture/src/sub/secret2\": Permission denied (13)");
	out = evaluate(&cfg, &s, s.when + 60, &st);
	assert_int_equal(st, MSP_STATE_WARNING);
	assert_non_null(strstr(out, "BACKUP_STATUS WARNING - daily completed with warnings: Some files and/or "));
	assert_non_null(strstr(out, "\nrsync error: some files/attrs were not transferred"));
	free(out);
	check_backup_status_config_release(&cfg);
	CONFIGURE(&cfg, "file", "/x", "format", "rsnapshot", "warnings", "ok");
	free(evaluate(&cfg, &s, s.when + 60, &st));
	assert_int_equal(st, MSP_STATE_OK);
	check_backup_status_config_release(&cfg);
}

struct failed_case {
	const char *file, *text;
};

static void test_rsnapshot__failed_runs_are_critical(void **state)
{
	static const struct failed_case cases[] = {
		{ "rsnapshot_rsync_failed.log",
		  "/usr/bin/rsync returned 10 while processing rsync://127.0.0.1:9/mod/" },
		{ "rsnapshot_config_error.log", "/tmp/rsnapshot-fixture/rsnap.conf on line 12:" },
		{ "rsnapshot_lockfile_error.log",
		  "Could not write lockfile /tmp/rsnapshot-fixture/rsnapshot.pid: Permission denied" },
		{ "rsnapshot_daily_weekly.log",
		  "/usr/bin/rsync returned 10 while processing rsync://127.0.0.1:9/mod/" },
	};
	struct check_backup_status_config cfg;
	struct check_backup_status_sample s;
	enum msp_state st;

	(void)state;
	CONFIGURE(&cfg, "file", "/x", "format", "rsnapshot");
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		parse_fixture(&cfg, cases[i].file, &s);
		assert_int_equal(s.outcome, CHECK_BACKUP_STATUS_FAILED);
		assert_string_equal(s.job, "daily");
		assert_string_equal(s.text, cases[i].text);
		assert_true(s.when >= T_0509 && s.when < T_0509 + 60);
		/* a fresh failure is still a failure */
		free(evaluate(&cfg, &s, s.when + 1, &st));
		assert_int_equal(st, MSP_STATE_CRITICAL);
	}
	check_backup_status_config_release(&cfg);
}

static void test_rsnapshot__job_picks_the_interval(void **state)
{
	struct check_backup_status_config cfg;
	struct check_backup_status_sample s;
	struct msp_error err;
	char *text = fixture("rsnapshot_daily_weekly.log");

	(void)state;
	CONFIGURE(&cfg, "file", "/x", "format", "rsnapshot", "job", "weekly");
	assert_int_equal(parse_text(&cfg, text, T_0509, &s, &err), 0);
	assert_int_equal(s.outcome, CHECK_BACKUP_STATUS_SUCCESS);
	assert_string_equal(s.job, "weekly");
	check_backup_status_config_release(&cfg);
	CONFIGURE(&cfg, "file", "/x", "format", "rsnapshot", "job", "monthly");
	assert_int_equal(parse_text(&cfg, text, T_0509, &s, &err), MSP_EINVAL);
	assert_string_equal(err.msg, "no finished rsnapshot run of 'monthly' in the log");
	check_backup_status_config_release(&cfg);
	free(text);
}

static void test_rsnapshot__unfinished_later_run_is_noted(void **state)
{
	struct check_backup_status_config cfg;
	struct check_backup_status_sample s;
	enum msp_state st;
	char *out;

	(void)state;
	CONFIGURE(&cfg, "file", "/x", "format", "rsnapshot");
	parse_fixture(&cfg, "rsnapshot_running.log", &s);
	assert_int_equal(s.outcome, CHECK_BACKUP_STATUS_SUCCESS);
	assert_true(isfinite(s.unfinished));
	out = evaluate(&cfg, &s, s.when + 60, &st);
	assert_int_equal(st, MSP_STATE_OK);
	assert_non_null(strstr(out, "\na later run started 2026-11-28 05:09 +0000 has not finished (still running or "
				    "killed)\n"));
	free(out);
	check_backup_status_config_release(&cfg);
}

static void test_rsnapshot__other_text_is_not_a_log(void **state)
{
	struct check_backup_status_config cfg;
	struct check_backup_status_sample s;
	struct msp_error err;
	char *text = fixture("restic_backup_ok.jsonl");

	(void)state;
	CONFIGURE(&cfg, "file", "/x", "format", "rsnapshot");
	assert_int_equal(parse_text(&cfg, text, T_0509, &s, &err), MSP_EINVAL);
	assert_string_equal(err.msg, "no finished rsnapshot run in the log");
	assert_int_equal(parse_text(&cfg, "OK all fine\n", T_0509, &s, &err), MSP_EINVAL);
	free(text);
	check_backup_status_config_release(&cfg);
}

/* rsnapshot writes local time without a zone: the same line means another instant in another zone. */
static void test_rsnapshot__log_time_is_local_time(void **state)
{
	static const struct {
		const char *tz;
		double offset;
	} zones[] = { { "Asia/Tokyo", 9 * 3600 }, { "America/Los_Angeles", -8 * 3600 }, { "UTC", 0 } };
	struct check_backup_status_config cfg;
	struct check_backup_status_sample s;
	enum msp_state st;
	char *out;

	(void)state;
	CONFIGURE(&cfg, "file", "/x", "format", "rsnapshot");
	for (size_t i = 0; i < sizeof(zones) / sizeof(zones[0]); i++) {
		set_tz(zones[i].tz);
		parse_fixture(&cfg, "rsnapshot_success.log", &s);
		assert_true(s.when == T_0509 + 36 - zones[i].offset);
		out = evaluate(&cfg, &s, s.when + 3600, &st);
		assert_int_equal(st, MSP_STATE_OK);
		assert_non_null(strstr(out, "finished 1h ago (2026-11-28 05:09 "));
		free(out);
	}
	set_tz("UTC");
	check_backup_status_config_release(&cfg);
}

/* ---------------------------------------------------------- restic-json */

static void test_restic__summary_is_success_with_counters(void **state)
{
	struct check_backup_status_config cfg;
	struct check_backup_status_sample s;
	enum msp_state st;
	char *out;

	(void)state;
	CONFIGURE(&cfg, "file", "/x", "format", "restic-json");
	parse_fixture(&cfg, "restic_backup_ok.jsonl", &s);
	assert_int_equal(s.outcome, CHECK_BACKUP_STATUS_SUCCESS);
	assert_true(s.has_summary);
	assert_string_equal(s.job, "snapshot 57f5f3ca");
	assert_true(s.files_new == 1 && s.files_changed == 0 && s.data_added == 709 && s.total_files == 1 &&
		    s.total_bytes == 5 && fabs(s.duration - 0.510937124) < 1e-9);
	/* restic 0.14 writes no time: the file's counts */
	assert_true(isnan(s.when));
	out = evaluate(&cfg, &s, T_0509 + 7200, &st);
	assert_int_equal(st, MSP_STATE_OK);
	assert_string_equal(out, "BACKUP_STATUS OK - snapshot 57f5f3ca completed successfully, file written 2h ago "
				 "(2026-11-28 05:09 +0000) | age=7200s;;93600;0 files_new=1;;;0 files_changed=0;;;0 "
				 "files=1;;;0 bytes=5B;;;0 data_added=709B;;;0 duration=0.511s;;;0 errors=0;;;0\n");
	free(out);
	parse_fixture(&cfg, "restic_summary_only.json", &s);
	assert_int_equal(s.outcome, CHECK_BACKUP_STATUS_SUCCESS);
	assert_true(s.data_added == 709);
	free(evaluate(&cfg, &s, T_0509 + 30 * 3600, &st));
	assert_int_equal(st, MSP_STATE_CRITICAL);
	check_backup_status_config_release(&cfg);
}

static void test_restic__unreadable_file_is_a_warning(void **state)
{
	struct check_backup_status_config cfg;
	struct check_backup_status_sample s;
	enum msp_state st;
	char *out;

	(void)state;
	CONFIGURE(&cfg, "file", "/x", "format", "restic-json");
	parse_fixture(&cfg, "restic_backup_unreadable_file.jsonl", &s);
	assert_int_equal(s.outcome, CHECK_BACKUP_STATUS_WARNINGS);
	assert_int_equal(s.errors, 1);
	assert_string_equal(s.detail[0], "/tmp/rj/src/b: open: Permission denied");
	out = evaluate(&cfg, &s, T_0509 + 60, &st);
	assert_int_equal(st, MSP_STATE_WARNING);
	assert_non_null(strstr(out, "completed with warnings: 1 file could not be read, file written 1m ago"));
	assert_non_null(strstr(out, " errors=1;;;0\n/tmp/rj/src/b: open: Permission denied\n"));
	free(out);
	check_backup_status_config_release(&cfg);
	CONFIGURE(&cfg, "file", "/x", "format", "restic-json", "warnings", "ok");
	free(evaluate(&cfg, &s, T_0509 + 60, &st));
	assert_int_equal(st, MSP_STATE_OK);
	check_backup_status_config_release(&cfg);
}

static void test_restic__no_summary_is_a_failure(void **state)
{
	static const struct failed_case cases[] = {
		{ "restic_backup_wrong_password.txt", "Fatal: wrong password or no key found" },
		{ "restic_backup_no_repository.txt",
		  "Fatal: unable to open config file: stat /tmp/rj/nope/config: no such file or directory" },
		{ "rsnapshot_success.log",
		  "[2026-11-28T05:09:36] /usr/bin/rsnapshot -c /tmp/rsnapshot-fixture/rsnap.conf "
		  "daily: started" },
	};
	struct check_backup_status_config cfg;
	struct check_backup_status_sample s;
	enum msp_state st;
	char *out;

	(void)state;
	CONFIGURE(&cfg, "file", "/x", "format", "restic-json");
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		parse_fixture(&cfg, cases[i].file, &s);
		assert_int_equal(s.outcome, CHECK_BACKUP_STATUS_FAILED);
		assert_string_equal(s.text, cases[i].text);
		out = evaluate(&cfg, &s, T_0509 + 1, &st);
		assert_int_equal(st, MSP_STATE_CRITICAL);
		/* no summary, no counters */
		assert_null(strstr(out, "files_new="));
		free(out);
	}
	check_backup_status_config_release(&cfg);
}

/* restic 0.17 adds backup_start/backup_end to the summary (reference section 1.1): the end counts. */
static void test_restic__backup_end_is_the_time(void **state)
{
	struct check_backup_status_config cfg;
	struct check_backup_status_sample s;
	struct msp_error err;

	(void)state;
	CONFIGURE(&cfg, "file", "/x", "format", "restic-json");
	assert_int_equal(
		parse_text(&cfg,
			   "{\"message_type\":\"summary\",\"backup_start\":\"2026-11-28T02:41:49.602813859+01:00\","
			   "\"backup_end\":\"2026-11-28T02:43:00.5+01:00\",\"snapshot_id\":\"abc\"}\n",
			   T_0509, &s, &err),
		0);
	assert_true(fabs(s.when - (1795830180.0 + 0.5)) < 1e-3); /* 2026-11-28T01:43:00.5Z */
	assert_int_equal(parse_text(&cfg, "{\"message_type\":\"summary\",\"backup_end\":\"yesterday\"}\n", T_0509, &s,
				    &err),
			 MSP_EINVAL);
	check_backup_status_config_release(&cfg);
}

/* ----------------------------------------------------------- statusfile */

static void test_statusfile__state_word_and_text(void **state)
{
	static const struct {
		const char *text;
		enum msp_state want;
		const char *said;
	} cases[] = {
		{ "OK\n", MSP_STATE_OK, "" },
		{ "OK: 120 GB copied\n", MSP_STATE_OK, "120 GB copied" },
		{ "warning - 3 files skipped\nC:\\data\\a.pst\n", MSP_STATE_WARNING, "3 files skipped" },
		{ "CRITICAL\r\nlicence expired\r\n", MSP_STATE_CRITICAL, "licence expired" },
		{ "2 job failed", MSP_STATE_CRITICAL, "job failed" },
		{ "UNKNOWN agent not reachable", MSP_STATE_UNKNOWN, "agent not reachable" },
	};
	struct check_backup_status_config cfg;
	struct check_backup_status_sample s;
	struct msp_error err;
	enum msp_state st;

	(void)state;
	CONFIGURE(&cfg, "file", "/x");
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_int_equal(parse_text(&cfg, cases[i].text, T_0509, &s, &err), 0);
		assert_int_equal(s.outcome, CHECK_BACKUP_STATUS_REPORTED);
		assert_int_equal(s.reported, cases[i].want);
		assert_string_equal(s.text, cases[i].said);
		free(evaluate(&cfg, &s, T_0509 + 60, &st));
		assert_int_equal(st, cases[i].want);
	}
	check_backup_status_config_release(&cfg);
}

static void test_statusfile__garbage_is_an_error_and_age_counts(void **state)
{
	struct check_backup_status_config cfg;
	struct check_backup_status_sample s;
	struct msp_error err;
	enum msp_state st;
	char *out;

	(void)state;
	CONFIGURE(&cfg, "file", "/x", "max-age", "1d", "warnings", "ok");
	assert_int_equal(parse_text(&cfg, "Backup finished\n", T_0509, &s, &err), MSP_EINVAL);
	assert_string_equal(err.msg, "the first line does not start with a state word (OK, WARNING, CRITICAL, "
				     "UNKNOWN) but with 'Backup'");
	assert_int_equal(parse_text(&cfg, "OKAY\n", T_0509, &s, &err), MSP_EINVAL);
	assert_int_equal(parse_text(&cfg, "WARNING: 1 skipped\n", T_0509, &s, &err), 0);
	out = evaluate(&cfg, &s, T_0509 + 3600, &st);
	assert_int_equal(st, MSP_STATE_OK);
	assert_string_equal(out, "BACKUP_STATUS OK - reported WARNING: 1 skipped, file written 1h ago "
				 "(2026-11-28 05:09 +0000) | age=3600s;;86400;0\n");
	free(out);
	free(evaluate(&cfg, &s, T_0509 + 86401, &st));
	assert_int_equal(st, MSP_STATE_CRITICAL);
	check_backup_status_config_release(&cfg);
}

/* ----------------------------------------------------------------- json */

/* The shape of resticprofile's status file (reference section 4). */
static const char resticprofile[] =
	"{\"profiles\":{\"home\":{\"backup\":{\"success\":true,\"time\":\"2026-11-28T02:41:49.602813859+01:00\","
	"\"error\":\"\",\"stderr\":\"\"}},\"db\":{\"backup\":{\"success\":false,\"time\":\"2026-11-27T23:00:00Z\","
	"\"error\":\"exit status 1\",\"stderr\":\"Fatal: repository is already locked\"}}}}";

static void test_json__resticprofile_status(void **state)
{
	struct check_backup_status_config cfg;
	struct check_backup_status_sample s;
	struct msp_error err;
	enum msp_state st;
	char *out;

	(void)state;
	CONFIGURE(&cfg, "file", "/x", "format", "json", "job", "profiles.home.backup", "result-field", "success",
		  "time-field", "time");
	assert_int_equal(parse_text(&cfg, resticprofile, T_0509, &s, &err), 0);
	assert_int_equal(s.outcome, CHECK_BACKUP_STATUS_SUCCESS);
	assert_true(fabs(s.when - 1795830109.602813859) < 1e-3);
	out = evaluate(&cfg, &s, s.when + 3600, &st);
	assert_int_equal(st, MSP_STATE_OK);
	assert_non_null(strstr(out, "BACKUP_STATUS OK - profiles.home.backup completed successfully, finished 1h ago "
				    "(2026-11-28 01:41 +0000) |"));
	free(out);
	check_backup_status_config_release(&cfg);

	CONFIGURE(&cfg, "file", "/x", "format", "json", "job", "$.profiles.db.backup", "result-field", "success",
		  "time-field", "time");
	assert_int_equal(parse_text(&cfg, resticprofile, T_0509, &s, &err), 0);
	assert_int_equal(s.outcome, CHECK_BACKUP_STATUS_FAILED);
	assert_string_equal(s.text, "success is 'false': exit status 1");
	check_backup_status_config_release(&cfg);

	/* the same without --job: a dotted path from the top */
	CONFIGURE(&cfg, "file", "/x", "format", "json", "result-field", "profiles.db.backup.success");
	assert_int_equal(parse_text(&cfg, resticprofile, T_0509, &s, &err), 0);
	assert_int_equal(s.outcome, CHECK_BACKUP_STATUS_FAILED);
	assert_true(isnan(s.when));
	check_backup_status_config_release(&cfg);
}

static void test_json__ok_values_epoch_times_and_arrays(void **state)
{
	struct check_backup_status_config cfg;
	struct check_backup_status_sample s;
	struct msp_error err;

	(void)state;
	CONFIGURE(&cfg, "file", "/x", "format", "json", "result-field", "runs.0.result", "time-field", "runs.0.end",
		  "ok-value", "Success", "ok-value", "done");
	assert_int_equal(parse_text(&cfg, "{\"runs\":[{\"result\":\"DONE\",\"end\":1795842546}]}", T_0509, &s, &err),
			 0);
	assert_int_equal(s.outcome, CHECK_BACKUP_STATUS_SUCCESS);
	assert_true(s.when == 1795842546.0);
	assert_int_equal(parse_text(&cfg, "{\"runs\":[{\"result\":\"true\",\"end\":1}]}", T_0509, &s, &err), 0);
	assert_int_equal(s.outcome, CHECK_BACKUP_STATUS_FAILED);
	assert_string_equal(s.text, "runs.0.result is 'true'");
	check_backup_status_config_release(&cfg);
	CONFIGURE(&cfg, "file", "/x", "format", "json", "result-field", "rc", "ok-value", "0");
	assert_int_equal(parse_text(&cfg, "{\"rc\":0}", T_0509, &s, &err), 0);
	assert_int_equal(s.outcome, CHECK_BACKUP_STATUS_SUCCESS);
	assert_int_equal(parse_text(&cfg, "{\"rc\":null}", T_0509, &s, &err), 0);
	assert_int_equal(s.outcome, CHECK_BACKUP_STATUS_FAILED);
	check_backup_status_config_release(&cfg);
}

static void test_json__broken_documents_are_errors(void **state)
{
	struct check_backup_status_config cfg;
	struct check_backup_status_sample s;
	struct msp_error err;

	(void)state;
	CONFIGURE(&cfg, "file", "/x", "format", "json", "job", "a", "result-field", "ok", "time-field", "t");
	assert_int_equal(parse_text(&cfg, "{\"a\":{\"ok\":true,", T_0509, &s, &err), MSP_EINVAL);
	assert_non_null(strstr(err.msg, "the status file is not JSON: "));
	assert_int_equal(parse_text(&cfg, "not json", T_0509, &s, &err), MSP_EINVAL);
	assert_int_equal(parse_text(&cfg, "{\"b\":{}}", T_0509, &s, &err), MSP_EINVAL);
	assert_string_equal(err.msg, "no job 'a' in the status file");
	assert_int_equal(parse_text(&cfg, "{\"a\":{\"t\":1}}", T_0509, &s, &err), MSP_EINVAL);
	assert_string_equal(err.msg, "no field 'ok' with a value in the status file");
	assert_int_equal(parse_text(&cfg, "{\"a\":{\"ok\":{}}}", T_0509, &s, &err), MSP_EINVAL);
	assert_int_equal(parse_text(&cfg, "{\"a\":{\"ok\":true}}", T_0509, &s, &err), MSP_EINVAL);
	assert_string_equal(err.msg, "no field 't' in the status file");
	assert_int_equal(parse_text(&cfg, "{\"a\":{\"ok\":true,\"t\":\"2026-11-28 05:00\"}}", T_0509, &s, &err),
			 MSP_EINVAL);
	assert_int_equal(parse_text(&cfg, "{\"a\":{\"ok\":true,\"t\":[1]}}", T_0509, &s, &err), MSP_EINVAL);
	assert_string_equal(err.msg, "field 't' is not a time");
	check_backup_status_config_release(&cfg);
}

/* ------------------------------------------------------ no content, time */

static void test_evaluate__missing_and_empty_files_are_critical(void **state)
{
	struct check_backup_status_config cfg;
	struct check_backup_status_sample s;
	enum msp_state st;
	char *out;

	(void)state;
	CONFIGURE(&cfg, "file", "/srv/status.txt");
	check_backup_status_sample_init(&s);
	s.missing = true;
	out = evaluate(&cfg, &s, T_0509, &st);
	assert_int_equal(st, MSP_STATE_CRITICAL);
	assert_string_equal(out, "BACKUP_STATUS CRITICAL - status file '/srv/status.txt' does not exist\n");
	free(out);
	check_backup_status_sample_init(&s);
	s.empty = true;
	s.mtime = T_0509;
	out = evaluate(&cfg, &s, T_0509 + 120, &st);
	assert_int_equal(st, MSP_STATE_CRITICAL);
	assert_string_equal(out, "BACKUP_STATUS CRITICAL - status file '/srv/status.txt' is empty (written 2m ago)\n");
	free(out);
	check_backup_status_config_release(&cfg);
}

static void test_evaluate__time_in_the_future_is_a_warning(void **state)
{
	struct check_backup_status_config cfg;
	struct check_backup_status_sample s;
	struct msp_error err;
	enum msp_state st;
	char *out;

	(void)state;
	CONFIGURE(&cfg, "file", "/x");
	assert_int_equal(parse_text(&cfg, "OK\n", T_0509 + 3600, &s, &err), 0);
	out = evaluate(&cfg, &s, T_0509, &st);
	assert_int_equal(st, MSP_STATE_WARNING);
	assert_non_null(strstr(out, "reported OK, file written 1h in the future (clock problem?) (2026-11-28 06:09 "
				    "+0000) | age=0s;;93600;0\n"));
	free(out);
	free(evaluate(&cfg, &s, T_0509 + 3600 - 299, &st));
	assert_int_equal(st, MSP_STATE_OK);
	check_backup_status_config_release(&cfg);
}

/* ------------------------------------------------------------- options */

static void test_options__errors(void **state)
{
	struct check_backup_status_config cfg;
	struct msp_error err;

	(void)state;
	assert_int_equal(configure(&cfg, &err, "format", "json", NULL), MSP_EINVAL);
	assert_string_equal(err.msg, "no status file given: use -f FILE");
	assert_int_equal(configure(&cfg, &err, "file", "/x", "format", "xml", NULL), MSP_EINVAL);
	assert_string_equal(err.msg, "unknown format 'xml': use statusfile, rsnapshot, restic-json or json");
	assert_int_equal(configure(&cfg, &err, "file", "/x", "format", "json", NULL), MSP_EINVAL);
	assert_string_equal(err.msg, "--format json needs --result-field");
	assert_int_equal(configure(&cfg, &err, "file", "/x", "time-field", "t", NULL), MSP_EINVAL);
	assert_string_equal(err.msg, "--result-field, --time-field and --ok-value need --format json");
	assert_int_equal(configure(&cfg, &err, "file", "/x", "warnings", "maybe", NULL), MSP_EINVAL);
	assert_string_equal(err.msg, "--warnings 'maybe' is not ok or warning");
	assert_int_equal(configure(&cfg, &err, "file", "/x", "max-age", "10:5", NULL), MSP_EINVAL);
	assert_int_equal(configure(&cfg, &err, "file", "/x", "max-age", "soon", NULL), MSP_EINVAL);
	memset(&cfg, 0, sizeof(cfg));
	assert_int_equal(msp_test_plugin->option(&cfg, MSP_OPT_POSITIONAL, "/x", &err), MSP_EINVAL);
	assert_string_equal(err.msg, "unexpected argument '/x': give the file with -f");
	CONFIGURE(&cfg, "file", "/x", "format", "", "max-age", "", "warnings", "");
	assert_int_equal(cfg.format, CHECK_BACKUP_STATUS_STATUSFILE);
	assert_false(cfg.warnings_ok);
	check_backup_status_config_release(&cfg);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rsnapshot__success_finished_at_the_logged_time),
		cmocka_unit_test(test_rsnapshot__warnings_are_a_warning_unless_ok),
		cmocka_unit_test(test_rsnapshot__failed_runs_are_critical),
		cmocka_unit_test(test_rsnapshot__job_picks_the_interval),
		cmocka_unit_test(test_rsnapshot__unfinished_later_run_is_noted),
		cmocka_unit_test(test_rsnapshot__other_text_is_not_a_log),
		cmocka_unit_test(test_rsnapshot__log_time_is_local_time),
		cmocka_unit_test(test_restic__summary_is_success_with_counters),
		cmocka_unit_test(test_restic__unreadable_file_is_a_warning),
		cmocka_unit_test(test_restic__no_summary_is_a_failure),
		cmocka_unit_test(test_restic__backup_end_is_the_time),
		cmocka_unit_test(test_statusfile__state_word_and_text),
		cmocka_unit_test(test_statusfile__garbage_is_an_error_and_age_counts),
		cmocka_unit_test(test_json__resticprofile_status),
		cmocka_unit_test(test_json__ok_values_epoch_times_and_arrays),
		cmocka_unit_test(test_json__broken_documents_are_errors),
		cmocka_unit_test(test_evaluate__missing_and_empty_files_are_critical),
		cmocka_unit_test(test_evaluate__time_in_the_future_is_a_warning),
		cmocka_unit_test(test_options__errors),
	};

	set_tz("UTC");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
