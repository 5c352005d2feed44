/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test_check_backup_status.c - parse and evaluate of check_backup_status on
 * the rsnapshot logs and restic outputs recorded in
 * tests/fixtures/check_backup_status/ (see its README.md), and on status
 * file texts written in the shapes the formats define.
 */
#include <math.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include "check_backup_status.h"
#include "msp_test.h"

/* The recorded rsnapshot runs: 2026-11-28 05:09:xx on a machine in UTC. */
#define T_0509 1795842540.0 /* 2026-11-28T05:09:00Z */

static void set_tz(const char *tz)
{
	setenv("TZ", tz, 1);
	tzset();
}

/* Configure cfg from the arguments with the real parser and finish; failing the test when they are refused. */
#define CONFIGURE(cfg, ...) msp_test_configure_ok(msp_test_plugin, (cfg), sizeof(*(cfg)), MSP_ARGS(__VA_ARGS__))

static char *fixture(const char *name)
{
	char rel[512];

	snprintf(rel, sizeof(rel), "check_backup_status/%s", name);
	return msp_test_fixture(rel, 1 << 20);
}

/* Parse len bytes (NUL bytes allowed) under cfg into *s (mtime = file_time); returns parse's result. */
static int parse_bytes(const struct check_backup_status_config *cfg, const char *text, size_t len, double file_time,
		       struct check_backup_status_sample *s, struct msp_error *err)
{
	check_backup_status_sample_init(s);
	s->mtime = file_time;
	msp_error_init(err);
	return check_backup_status_parse(cfg, text, len, s, err);
}

/* Parse text under cfg into *s (mtime = file_time); returns parse's result. */
static int parse_text(const struct check_backup_status_config *cfg, const char *text, double file_time,
		      struct check_backup_status_sample *s, struct msp_error *err)
{
	return parse_bytes(cfg, text, strlen(text), file_time, s, err);
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

/* Evaluate at now and render as the runner does; *ret_state gets the state.  Caller frees. */
static char *evaluate(const struct check_backup_status_config *cfg, const struct check_backup_status_sample *s,
		      double now, enum msp_state *ret_state)
{
	struct msp_result *root = msp_result_new();
	char *out;

	assert_non_null(root);
	assert_int_equal(check_backup_status_evaluate(cfg, s, now, root), 0);
	*ret_state = msp_result_state(root);
	out = msp_test_render(msp_test_plugin, root, MSP_FORMAT_NAGIOS);
	msp_result_free(root);
	return out;
}

/* ------------------------------------------------------------ rsnapshot */

static void test_rsnapshot__success_finished_at_the_logged_time(void **state)
{
	struct check_backup_status_config cfg;
	struct check_backup_status_sample s;
	enum msp_state st;
	char *out;

	(void)state;
	CONFIGURE(&cfg, "-f", "/var/log/rsnapshot.log", "--format", "rsnapshot");
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
	CONFIGURE(&cfg, "-f", "/x", "--format", "rsnapshot", "--warning", "1h", "--max-age", "2d");
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
	CONFIGURE(&cfg, "-f", "/x", "--format", "rsnapshot");
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
	CONFIGURE(&cfg, "-f", "/x", "--format", "rsnapshot", "--warnings", "ok");
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
	CONFIGURE(&cfg, "-f", "/x", "--format", "rsnapshot");
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
	CONFIGURE(&cfg, "-f", "/x", "--format", "rsnapshot", "--job", "weekly");
	assert_int_equal(parse_text(&cfg, text, T_0509, &s, &err), 0);
	assert_int_equal(s.outcome, CHECK_BACKUP_STATUS_SUCCESS);
	assert_string_equal(s.job, "weekly");
	check_backup_status_config_release(&cfg);
	CONFIGURE(&cfg, "-f", "/x", "--format", "rsnapshot", "--job", "monthly");
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
	CONFIGURE(&cfg, "-f", "/x", "--format", "rsnapshot");
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
	CONFIGURE(&cfg, "-f", "/x", "--format", "rsnapshot");
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
	CONFIGURE(&cfg, "-f", "/x", "--format", "rsnapshot");
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
	CONFIGURE(&cfg, "-f", "/x", "--format", "restic-json");
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
	CONFIGURE(&cfg, "-f", "/x", "--format", "restic-json");
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
	CONFIGURE(&cfg, "-f", "/x", "--format", "restic-json", "--warnings", "ok");
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
	CONFIGURE(&cfg, "-f", "/x", "--format", "restic-json");
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
	CONFIGURE(&cfg, "-f", "/x", "--format", "restic-json");
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
	CONFIGURE(&cfg, "-f", "/x");
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
	CONFIGURE(&cfg, "-f", "/x", "--max-age", "1d", "--warnings", "ok");
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
	CONFIGURE(&cfg, "-f", "/x", "--format", "json", "--job", "profiles.home.backup", "--result-field", "success",
		  "--time-field", "time");
	assert_int_equal(parse_text(&cfg, resticprofile, T_0509, &s, &err), 0);
	assert_int_equal(s.outcome, CHECK_BACKUP_STATUS_SUCCESS);
	assert_true(fabs(s.when - 1795830109.602813859) < 1e-3);
	out = evaluate(&cfg, &s, s.when + 3600, &st);
	assert_int_equal(st, MSP_STATE_OK);
	assert_non_null(strstr(out, "BACKUP_STATUS OK - profiles.home.backup completed successfully, finished 1h ago "
				    "(2026-11-28 01:41 +0000) |"));
	free(out);
	check_backup_status_config_release(&cfg);

	CONFIGURE(&cfg, "-f", "/x", "--format", "json", "--job", "$.profiles.db.backup", "--result-field", "success",
		  "--time-field", "time");
	assert_int_equal(parse_text(&cfg, resticprofile, T_0509, &s, &err), 0);
	assert_int_equal(s.outcome, CHECK_BACKUP_STATUS_FAILED);
	assert_string_equal(s.text, "success is 'false': exit status 1");
	check_backup_status_config_release(&cfg);

	/* the same without --job: a dotted path from the top */
	CONFIGURE(&cfg, "-f", "/x", "--format", "json", "--result-field", "profiles.db.backup.success");
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
	CONFIGURE(&cfg, "-f", "/x", "--format", "json", "--result-field", "runs.0.result", "--time-field", "runs.0.end",
		  "--ok-value", "Success", "--ok-value", "done");
	assert_int_equal(parse_text(&cfg, "{\"runs\":[{\"result\":\"DONE\",\"end\":1795842546}]}", T_0509, &s, &err),
			 0);
	assert_int_equal(s.outcome, CHECK_BACKUP_STATUS_SUCCESS);
	assert_true(s.when == 1795842546.0);
	assert_int_equal(parse_text(&cfg, "{\"runs\":[{\"result\":\"true\",\"end\":1}]}", T_0509, &s, &err), 0);
	assert_int_equal(s.outcome, CHECK_BACKUP_STATUS_FAILED);
	assert_string_equal(s.text, "runs.0.result is 'true'");
	check_backup_status_config_release(&cfg);
	CONFIGURE(&cfg, "-f", "/x", "--format", "json", "--result-field", "rc", "--ok-value", "0");
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
	CONFIGURE(&cfg, "-f", "/x", "--format", "json", "--job", "a", "--result-field", "ok", "--time-field", "t");
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
	assert_string_equal(err.msg, "field 't' is not a time: [1]");
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
	CONFIGURE(&cfg, "-f", "/srv/status.txt");
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
	CONFIGURE(&cfg, "-f", "/x");
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

/* Usage errors, in the runner's words or the plugin's, and the options that are one (-a/-c). */
static void test_options__errors(void **state)
{
	static const struct msp_test_case cases[] = {
		{ { "--format", "json" },
		  MSP_STATE_UNKNOWN,
		  "^BACKUP_STATUS UNKNOWN - no status file given: use -f FILE$" },
		{ { "-f", "/x", "--format", "xml" },
		  MSP_STATE_UNKNOWN,
		  "^BACKUP_STATUS UNKNOWN - --format 'xml' is not statusfile, rsnapshot, restic-json or json$" },
		{ { "-f", "/x", "--format", "json" },
		  MSP_STATE_UNKNOWN,
		  "UNKNOWN - --format json needs --result-field$" },
		{ { "-f", "/x", "--time-field", "t" },
		  MSP_STATE_UNKNOWN,
		  "UNKNOWN - --result-field, --time-field, --ok-value and --records need --format json$" },
		{ { "-f", "/x", "--records", "all" },
		  MSP_STATE_UNKNOWN,
		  "UNKNOWN - --result-field, --time-field, --ok-value and --records need --format json$" },
		/* given with the default value is still given */
		{ { "-f", "/x", "--records", "last" }, MSP_STATE_UNKNOWN, "need --format json$" },
		{ { "-f", "/x", "--format", "json", "--result-field", "ok", "--records", "some" },
		  MSP_STATE_UNKNOWN,
		  "^BACKUP_STATUS UNKNOWN - --records 'some' is not last or all$" },
		{ { "-f", "/x", "--warnings", "maybe" },
		  MSP_STATE_UNKNOWN,
		  "^BACKUP_STATUS UNKNOWN - --warnings 'maybe' is not ok or warning$" },
		{ { "-f", "/x", "--max-age", "10:5" },
		  MSP_STATE_UNKNOWN,
		  "^BACKUP_STATUS UNKNOWN - cannot parse range '10:5': range start is above end$" },
		{ { "-f", "/x", "-a", "soon" },
		  MSP_STATE_UNKNOWN,
		  "^BACKUP_STATUS UNKNOWN - cannot parse range 'soon'" },
		{ { "-f", "/x", "-w", "2d", "-c", "1d" },
		  MSP_STATE_UNKNOWN,
		  "^BACKUP_STATUS UNKNOWN - warning age '2d' is above critical age '1d'" },
		{ { "/x" },
		  MSP_STATE_UNKNOWN,
		  "^BACKUP_STATUS UNKNOWN - unexpected argument '/x': give the file with -f$" },
		{ { "-f", "/x", "--no-such-option" }, MSP_STATE_UNKNOWN, "^BACKUP_STATUS UNKNOWN - unknown option" },
		/* the options are right: the check runs, and a file that is not there is CRITICAL */
		{ { "-f", "/nonexistent/x" },
		  MSP_STATE_CRITICAL,
		  "^BACKUP_STATUS CRITICAL - status file '/nonexistent/x' does not exist$" },
		{ { "-f", "/nonexistent/x", "--format", "RSNAPSHOT", "--warnings", "OK" }, MSP_STATE_CRITICAL, NULL },
		/* '' is "not given" (Debian command files): the file stays required */
		{ { "-f", "" }, MSP_STATE_UNKNOWN, "no status file given" },
		{ { "-w", "" }, MSP_STATE_UNKNOWN, "no status file given" },
	};
	struct check_backup_status_config cfg;

	(void)state;
	msp_test_cases(msp_test_plugin, &cfg, sizeof(cfg), cases, sizeof(cases) / sizeof(cases[0]));
}

/* Defaults, '' as "not given", -c as another name of -a, --ok-value repeated. */
static void test_options__values(void **state)
{
	struct check_backup_status_config cfg;
	struct check_backup_status_sample s;
	enum msp_state st;
	char *out;

	(void)state;
	CONFIGURE(&cfg, "-f", "/x", "--format", "", "--max-age", "", "--warnings", "", "--records", "");
	assert_int_equal(cfg.format, CHECK_BACKUP_STATUS_STATUSFILE);
	assert_false(cfg.warnings_ok);
	assert_false(cfg.records_all);
	assert_false(cfg.records_given);
	assert_string_equal(cfg.max_future, "5m");
	check_backup_status_sample_init(&s);
	s.outcome = CHECK_BACKUP_STATUS_SUCCESS;
	s.mtime = T_0509;
	out = evaluate(&cfg, &s, T_0509 + 60, &st);
	assert_non_null(strstr(out, " | age=60s;;93600;0\n")); /* -a 26h */
	free(out);
	CONFIGURE(&cfg, "-f", "/x", "-c", "4d", "-w", "1d");
	out = evaluate(&cfg, &s, T_0509 + 60, &st);
	assert_non_null(strstr(out, " | age=60s;86400;345600;0\n"));
	free(out);
	CONFIGURE(&cfg, "-f", "/x", "--format", "json", "--result-field", "r", "--ok-value", "a", "--ok-value", "b",
		  "--records", "all", "--warnings", "ok");
	assert_int_equal(cfg.format, CHECK_BACKUP_STATUS_JSON);
	assert_int_equal(cfg.ok_value.count, 2);
	assert_string_equal(cfg.ok_value.items[1], "b");
	assert_true(cfg.records_all && cfg.records_given && cfg.warnings_ok);
	check_backup_status_config_release(&cfg);
}

/* The whole run on recorded files: the probe reads them (the rsnapshot logs carry their own times). */
static void test_check__whole_runs_on_fixtures(void **state)
{
	char ok[1024], failed[1024], dir[1024];
	const struct msp_test_case cases[] = {
		{ { "--format", "rsnapshot", "-f", ok, "-a", "100000d" },
		  MSP_STATE_OK,
		  "^BACKUP_STATUS OK - daily completed successfully, finished .* ago \\(2026-11-28 05:09 \\+0000\\) \\| "
		  "age=[0-9]+s;;8640000000;0$" },
		{ { "--format", "rsnapshot", "-f", ok, "-a", "1h" },
		  MSP_STATE_CRITICAL,
		  "^BACKUP_STATUS CRITICAL - daily completed successfully, finished .*, no run since \\| " },
		{ { "--format", "rsnapshot", "-f", failed, "-a", "100000d" },
		  MSP_STATE_CRITICAL,
		  "^BACKUP_STATUS CRITICAL - daily failed: /usr/bin/rsync returned 10 " },
		{ { "--format", "rsnapshot", "--job", "monthly", "-f", ok },
		  MSP_STATE_UNKNOWN,
		  "^BACKUP_STATUS UNKNOWN - cannot parse '.*' as rsnapshot: no finished rsnapshot run of 'monthly' in the "
		  "log$" },
		{ { "-f", ok }, MSP_STATE_UNKNOWN, "^BACKUP_STATUS UNKNOWN - cannot parse '.*' as statusfile: " },
		{ { "-f", dir }, MSP_STATE_UNKNOWN, "^BACKUP_STATUS UNKNOWN - '.*' is not a regular file$" },
	};
	struct check_backup_status_config cfg;

	(void)state;
	msp_test_fixture_path("check_backup_status/rsnapshot_success.log", ok, sizeof(ok));
	msp_test_fixture_path("check_backup_status/rsnapshot_rsync_failed.log", failed, sizeof(failed));
	msp_test_fixture_path("check_backup_status", dir, sizeof(dir));
	msp_test_cases(msp_test_plugin, &cfg, sizeof(cfg), cases, sizeof(cases) / sizeof(cases[0]));
}

/* ------------------------------------------------ issue 9: fail-open reads */

/* rsnapshot's ERROR whose message ends in ": completed successfully" (a source's name; recorded, the
 * log cut before rsnapshot's last line as if it was killed) is a failure, not a success. */
static void test_rsnapshot__error_text_ending_in_completed_is_no_success(void **state)
{
	struct check_backup_status_config cfg;
	struct check_backup_status_sample s;
	enum msp_state st;

	(void)state;
	CONFIGURE(&cfg, "-f", "/x", "--format", "rsnapshot");
	parse_fixture(&cfg, "rsnapshot_error_text_completed_cut.log", &s);
	assert_int_equal(s.outcome, CHECK_BACKUP_STATUS_FAILED);
	assert_string_equal(s.text, "/usr/bin/rsync returned 10 while processing rsync://127.0.0.1:9/mod: completed "
				    "successfully");
	free(evaluate(&cfg, &s, s.when + 60, &st));
	assert_int_equal(st, MSP_STATE_CRITICAL);
	check_backup_status_config_release(&cfg);
}

/* A run that stopped with an ERROR and no "completed" line is the last finished run, also when a
 * later run has started since: it is not lost behind the run before it. */
static void test_rsnapshot__stopped_run_before_a_started_one_counts(void **state)
{
	struct check_backup_status_config cfg;
	struct check_backup_status_sample s;
	struct msp_error err;
	char *ok = fixture("rsnapshot_success.log"), *lock = fixture("rsnapshot_lockfile_error.log"), text[8192];

	(void)state;
	/* a success, a run stopped by the lock file, then a run that is still going */
	snprintf(text, sizeof(text), "%s%s%.99s\n", ok, lock, ok);
	CONFIGURE(&cfg, "-f", "/x", "--format", "rsnapshot");
	assert_int_equal(parse_text(&cfg, text, T_0509, &s, &err), 0);
	assert_int_equal(s.outcome, CHECK_BACKUP_STATUS_FAILED);
	assert_string_equal(s.text, "Could not write lockfile /tmp/rsnapshot-fixture/rsnapshot.pid: Permission denied");
	assert_true(isfinite(s.unfinished));
	check_backup_status_config_release(&cfg);
	free(ok);
	free(lock);
}

/* An impossible time is no time: rejected, never rolled over by mktime to another date. */
static void test_rsnapshot__impossible_time_is_an_error(void **state)
{
	static const char *const bad[] = { "2026-02-30T05:09:36", "2026-13-45T99:99:99", "2026-11-28T24:00:00",
					   "2026-11-31T05:09:36" };
	struct check_backup_status_config cfg;
	struct check_backup_status_sample s;
	struct msp_error err;
	char text[512], want[128];

	(void)state;
	CONFIGURE(&cfg, "-f", "/x", "--format", "rsnapshot");
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(text, sizeof(text),
			 "[2026-11-28T05:09:36] /usr/bin/rsnapshot daily: started\n"
			 "[%s] /usr/bin/rsnapshot daily: completed successfully\n",
			 bad[i]);
		assert_int_equal(parse_text(&cfg, text, T_0509, &s, &err), MSP_EINVAL);
		snprintf(want, sizeof(want), "line 2: impossible time '%s'", bad[i]);
		assert_string_equal(err.msg, want);
	}
	/* the last second of a leap year's February is a time */
	assert_int_equal(parse_text(&cfg, "[2028-02-29T23:59:59] /usr/bin/rsnapshot daily: completed successfully\n",
				    T_0509, &s, &err),
			 0);
	check_backup_status_config_release(&cfg);
}

/* A successful run, NUL bytes (a crash lost a write), then a failed run: the failure is read. */
static void test_nul__bytes_never_end_the_reading(void **state)
{
	struct check_backup_status_config cfg;
	struct check_backup_status_sample s;
	struct msp_error err;
	enum msp_state st;
	char *ok = fixture("rsnapshot_success.log"), *bad = fixture("rsnapshot_rsync_failed.log"), text[8192], *out;
	size_t n;

	(void)state;
	CONFIGURE(&cfg, "-f", "/x", "--format", "rsnapshot");
	n = (size_t)snprintf(text, sizeof(text), "%s", ok);
	memset(text + n, '\0', 100); /* at the start of a line */
	n += 100 + (size_t)snprintf(text + n + 100, sizeof(text) - n - 100, "%s", bad);
	assert_int_equal(parse_bytes(&cfg, text, n, T_0509, &s, &err), 0);
	assert_int_equal(s.outcome, CHECK_BACKUP_STATUS_FAILED);
	assert_int_equal(s.nul_runs, 1);
	out = evaluate(&cfg, &s, s.when + 60, &st);
	assert_int_equal(st, MSP_STATE_CRITICAL);
	assert_non_null(strstr(out, "\n1 run of NUL bytes skipped (a write lost in a crash?)\n"));
	free(out);
	check_backup_status_config_release(&cfg);

	/* in the middle of a line: it ends that line */
	CONFIGURE(&cfg, "-f", "/x", "--format", "json", "--result-field", "ok");
	assert_int_equal(parse_bytes(&cfg, "{\"ok\":true}\n{\"o\0\0\0{\"ok\":false}\n", 28, T_0509, &s, &err),
			 MSP_EINVAL);
	assert_non_null(strstr(err.msg, "the text after record 1 (line 2) is not JSON: "));
	assert_non_null(strstr(err.msg, "; 1 run of NUL bytes in the file (a write lost in a crash?)"));
	assert_int_equal(parse_bytes(&cfg, "{\"ok\":true}\n\0\0\0\0{\"ok\":false}\n", 29, T_0509, &s, &err), 0);
	assert_int_equal(s.outcome, CHECK_BACKUP_STATUS_FAILED);
	check_backup_status_config_release(&cfg);

	/* statusfile: NULs before the state word; a file of nothing but NULs is unreadable */
	CONFIGURE(&cfg, "-f", "/x");
	assert_int_equal(parse_bytes(&cfg, "\0\0\0CRITICAL: disk full\n", 23, T_0509, &s, &err), 0);
	assert_int_equal(s.reported, MSP_STATE_CRITICAL);
	assert_string_equal(s.text, "disk full");
	assert_int_equal(parse_bytes(&cfg, "OK\0\0\0\0", 6, T_0509, &s, &err), 0);
	assert_int_equal(s.reported, MSP_STATE_OK);
	assert_int_equal(parse_bytes(&cfg, "\0\0\0\0\n\0", 6, T_0509, &s, &err), MSP_EINVAL);
	assert_string_equal(err.msg, "the file holds nothing but NUL bytes (a write lost in a crash?)");
	check_backup_status_config_release(&cfg);
	free(ok);
	free(bad);
}

/* restic backup --json appended with >> (recorded): the last run decides. */
static void test_restic__the_last_run_decides(void **state)
{
	struct check_backup_status_config cfg;
	struct check_backup_status_sample s;
	struct msp_error err;
	enum msp_state st;
	char *out, *warn = fixture("restic_backup_unreadable_file.jsonl"), *ok = fixture("restic_backup_ok.jsonl"),
		   text[16384];

	(void)state;
	CONFIGURE(&cfg, "-f", "/x", "--format", "restic-json");
	parse_fixture(&cfg, "restic_backup_ok_then_wrong_password.jsonl", &s);
	assert_int_equal(s.outcome, CHECK_BACKUP_STATUS_FAILED);
	assert_string_equal(s.text, "Fatal: wrong password or no key found");
	assert_false(s.has_summary);
	out = evaluate(&cfg, &s, T_0509 + 60, &st);
	assert_int_equal(st, MSP_STATE_CRITICAL);
	assert_null(strstr(out, "files_new="));
	free(out);
	parse_fixture(&cfg, "restic_backup_ok_no_repository_ok.jsonl", &s);
	assert_int_equal(s.outcome, CHECK_BACKUP_STATUS_SUCCESS);
	assert_true(s.has_summary);
	assert_string_equal(s.job, "snapshot 01778c4b"); /* the second run's */
	/* files restic could not read belong to their run: a later clean run is a success */
	snprintf(text, sizeof(text), "%s%s", warn, ok);
	assert_int_equal(parse_text(&cfg, text, T_0509, &s, &err), 0);
	assert_int_equal(s.outcome, CHECK_BACKUP_STATUS_SUCCESS);
	assert_int_equal(s.errors, 0);
	assert_int_equal(s.ndetail, 0);
	snprintf(text, sizeof(text), "%s%s", ok, warn);
	assert_int_equal(parse_text(&cfg, text, T_0509, &s, &err), 0);
	assert_int_equal(s.outcome, CHECK_BACKUP_STATUS_WARNINGS);
	assert_int_equal(s.errors, 1);
	/* restic 0.17's exit_error, with or without a message */
	assert_int_equal(parse_text(&cfg,
				    "{\"message_type\":\"summary\",\"snapshot_id\":\"abc\"}\n"
				    "{\"message_type\":\"exit_error\",\"code\":11}\n",
				    T_0509, &s, &err),
			 0);
	assert_int_equal(s.outcome, CHECK_BACKUP_STATUS_FAILED);
	assert_string_equal(s.text, "restic exited with code 11");
	check_backup_status_config_release(&cfg);
	free(warn);
	free(ok);
}

/* A run killed after a summary (recorded, SIGKILL): restic 0.14's summary has no time and the file's
 * is the killed run's, so when the last backup finished is unknown; with 0.17's backup_end it is known. */
static void test_restic__unfinished_later_run(void **state)
{
	struct check_backup_status_config cfg;
	struct check_backup_status_sample s;
	struct msp_error err;
	enum msp_state st;
	char *out, *killed = fixture("restic_backup_ok_then_killed.jsonl"), text[16384], *status;

	(void)state;
	CONFIGURE(&cfg, "-f", "/x", "--format", "restic-json");
	assert_int_equal(parse_text(&cfg, killed, T_0509, &s, &err), MSP_EINVAL);
	assert_string_equal(err.msg, "a later run has not finished and the summary before it has no time (restic "
				     "before 0.17)");
	status = strstr(killed, "\n{\"message_type\":\"status\",\"percent_done\":0,\"files_done\":1}") + 1;
	snprintf(text, sizeof(text),
		 "{\"message_type\":\"summary\",\"snapshot_id\":\"abc\",\"backup_start\":\"2026-11-28T05:00:00Z\","
		 "\"backup_end\":\"2026-11-28T05:01:00Z\"}\n%s",
		 status);
	assert_int_equal(parse_text(&cfg, text, T_0509, &s, &err), 0);
	assert_int_equal(s.outcome, CHECK_BACKUP_STATUS_SUCCESS);
	assert_true(s.when == 1795842060.0);
	assert_true(s.later_run);
	out = evaluate(&cfg, &s, s.when + 60, &st);
	assert_int_equal(st, MSP_STATE_OK);
	assert_non_null(strstr(out, "\na later run has not finished (still running or killed)\n"));
	free(out);
	/* only the killed run: no summary */
	assert_int_equal(parse_text(&cfg, status, T_0509, &s, &err), 0);
	assert_int_equal(s.outcome, CHECK_BACKUP_STATUS_FAILED);
	assert_string_equal(s.text, "no summary line: the run has not finished (still running or killed)");
	/* a line cut in the middle after the last end: that run's end may be lost */
	assert_int_equal(parse_text(&cfg,
				    "{\"message_type\":\"summary\",\"snapshot_id\":\"abc\"}\n{\"message_type\":\"sum",
				    T_0509, &s, &err),
			 MSP_EINVAL);
	assert_string_equal(err.msg, "line 2: cut or damaged JSON, and no run ended after it");
	check_backup_status_config_release(&cfg);
	free(killed);
}

/* A present backup_end that is no time is an error, never the file's time; a missing one only where
 * restic never writes it (before 0.17: no backup_start either). */
static void test_restic__backup_end_must_be_a_time(void **state)
{
	static const struct {
		const char *end, *msg;
	} cases[] = {
		{ "null", "line 1: field 'backup_end' is not a time: null, and no run ended after it" },
		{ "1795842546", "line 1: field 'backup_end' is not a time: 1795842546, and no run ended after it" },
		{ "NaN", "line 1: field 'backup_end' is not a time: NaN, and no run ended after it" },
		{ "\"2026-13-45T99:99:99Z\"",
		  "line 1: field 'backup_end' is not a time: cannot parse time '2026-13-45T99:99:99Z', and no run ended after it" },
		{ "\"1969-12-31T23:59:59Z\"",
		  "line 1: field 'backup_end' is not a time: \"1969-12-31T23:59:59Z\", and no run ended after it" },
	};
	struct check_backup_status_config cfg;
	struct check_backup_status_sample s;
	struct msp_error err;
	char text[256];

	(void)state;
	CONFIGURE(&cfg, "-f", "/x", "--format", "restic-json");
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(text, sizeof(text), "{\"message_type\":\"summary\",\"backup_end\":%s}\n", cases[i].end);
		assert_int_equal(parse_text(&cfg, text, T_0509, &s, &err), MSP_EINVAL);
		assert_string_equal(err.msg, cases[i].msg);
	}
	assert_int_equal(parse_text(&cfg, "{\"message_type\":\"summary\",\"backup_start\":\"2026-11-28T05:00:00Z\"}\n",
				    T_0509, &s, &err),
			 MSP_EINVAL);
	assert_string_equal(err.msg,
			    "line 1: the summary has a backup_start but no backup_end, and no run ended after it");
	/* a bad summary of an earlier run does not matter once a later run has ended */
	assert_int_equal(parse_text(&cfg, "{\"message_type\":\"summary\",\"backup_end\":null}\nFatal: wrong password\n",
				    T_0509, &s, &err),
			 0);
	assert_int_equal(s.outcome, CHECK_BACKUP_STATUS_FAILED);
	assert_string_equal(s.text, "Fatal: wrong password");
	check_backup_status_config_release(&cfg);
}

/* JSON lines: the last record decides, or every record with --records=all; garbage is an error. */
static void test_json__records(void **state)
{
	static const char runs[] = "{\"success\":true,\"t\":1795842000}\n\n"
				   "{\"success\":false,\"error\":\"disk full\",\"t\":1795842100}\n"
				   "{\"success\":true,\"t\":1795842200}\n";
	struct check_backup_status_config cfg;
	struct check_backup_status_sample s;
	struct msp_error err;
	enum msp_state st;
	char *out;

	(void)state;
	CONFIGURE(&cfg, "-f", "/x", "--format", "json", "--result-field", "success", "--time-field", "t");
	assert_int_equal(parse_text(&cfg, runs, T_0509, &s, &err), 0);
	assert_int_equal(s.outcome, CHECK_BACKUP_STATUS_SUCCESS);
	assert_true(s.when == 1795842200.0);
	assert_int_equal(parse_text(&cfg, "{\"success\":true,\"t\":1}{\"success\":false,\"t\":1795842200}", T_0509, &s,
				    &err),
			 0);
	assert_int_equal(s.outcome, CHECK_BACKUP_STATUS_FAILED);
	assert_string_equal(s.text, "success is 'false'");
	/* only the last record is judged: the others must be JSON, not complete */
	assert_int_equal(parse_text(&cfg, "{}\n{\"success\":true,\"t\":1795842200}", T_0509, &s, &err), 0);
	assert_int_equal(parse_text(&cfg, "{\"success\":true,\"t\":1795842200}\n{}\n", T_0509, &s, &err), MSP_EINVAL);
	assert_string_equal(err.msg, "no field 'success' with a value in record 2 (line 2)");
	assert_int_equal(parse_text(&cfg, "{\"success\":true,\"t\":1795842200} garbage", T_0509, &s, &err), MSP_EINVAL);
	assert_non_null(strstr(err.msg, "the text after record 1 (line 1) is not JSON: "));
	assert_int_equal(parse_text(&cfg, "garbage {\"success\":true}", T_0509, &s, &err), MSP_EINVAL);
	assert_non_null(strstr(err.msg, "the status file is not JSON: "));
	/* a null is no status, and is not described as "success" (json-c's word for no error) */
	assert_int_equal(parse_text(&cfg, "null\n", T_0509, &s, &err), MSP_EINVAL);
	assert_string_equal(err.msg, "the status file is null, not a status");
	assert_int_equal(parse_text(&cfg, "{\"success\":true,\"t\":1795842200}\nnull", T_0509, &s, &err), MSP_EINVAL);
	assert_string_equal(err.msg, "record 2 (line 2) is null, not a status");
	check_backup_status_config_release(&cfg);

	CONFIGURE(&cfg, "-f", "/x", "--format", "json", "--result-field", "success", "--time-field", "t", "--records",
		  "all");
	assert_true(cfg.records_all);
	assert_int_equal(parse_text(&cfg, runs, T_0509, &s, &err), 0);
	assert_int_equal(s.outcome, CHECK_BACKUP_STATUS_FAILED);
	assert_string_equal(s.text, "record 2 of 3: success is 'false': disk full");
	assert_true(s.when == 1795842200.0);
	out = evaluate(&cfg, &s, s.when + 60, &st);
	assert_int_equal(st, MSP_STATE_CRITICAL);
	assert_non_null(strstr(out, "BACKUP_STATUS CRITICAL - failed: record 2 of 3: success is 'false': disk full, "
				    "finished 1m ago"));
	assert_non_null(strstr(out, "\nrecord 2 (line 3): success is 'false': disk full\n"));
	free(out);
	/* every record needs its fields */
	assert_int_equal(parse_text(&cfg, "{}\n{\"success\":true,\"t\":1795842200}", T_0509, &s, &err), MSP_EINVAL);
	assert_string_equal(err.msg, "no field 'success' with a value in record 1 (line 1)");
	assert_int_equal(parse_text(&cfg, "{\"success\":true,\"t\":1795842200}", T_0509, &s, &err), 0);
	assert_int_equal(s.outcome, CHECK_BACKUP_STATUS_SUCCESS);
	assert_string_equal(s.text, "all 1 records");
	check_backup_status_config_release(&cfg);
	CONFIGURE(&cfg, "-f", "/x", "--format", "json", "--result-field", "success", "--records", "last");
	assert_false(cfg.records_all);
	check_backup_status_config_release(&cfg);
}

/* Non-finite, negative and absurd epoch times are no times: an error, never the file's time. */
static void test_json__times_that_are_no_times(void **state)
{
	static const char *const bad[] = {
		"NaN",           "Infinity", "-Infinity", "1e400", "-1",
		"1795842546000", "null",     "true",      "\"\"",  "\"2026-02-30T05:00:00Z\""
	};
	struct check_backup_status_config cfg;
	struct check_backup_status_sample s;
	struct msp_error err;
	char text[128];

	(void)state;
	CONFIGURE(&cfg, "-f", "/x", "--format", "json", "--result-field", "ok", "--time-field", "t");
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(text, sizeof(text), "{\"ok\":true,\"t\":%s}", bad[i]);
		if (parse_text(&cfg, text, T_0509, &s, &err) != MSP_EINVAL)
			fail_msg("time %s was accepted", bad[i]);
		assert_non_null(strstr(err.msg, "field 't' is not a time: "));
	}
	assert_int_equal(parse_text(&cfg, "{\"ok\":true,\"t\":0}", T_0509, &s, &err), 0);
	assert_true(s.when == 0);
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
		cmocka_unit_test(test_options__values),
		cmocka_unit_test(test_check__whole_runs_on_fixtures),
		cmocka_unit_test(test_rsnapshot__error_text_ending_in_completed_is_no_success),
		cmocka_unit_test(test_rsnapshot__stopped_run_before_a_started_one_counts),
		cmocka_unit_test(test_rsnapshot__impossible_time_is_an_error),
		cmocka_unit_test(test_nul__bytes_never_end_the_reading),
		cmocka_unit_test(test_restic__the_last_run_decides),
		cmocka_unit_test(test_restic__unfinished_later_run),
		cmocka_unit_test(test_restic__backup_end_must_be_a_time),
		cmocka_unit_test(test_json__records),
		cmocka_unit_test(test_json__times_that_are_no_times),
	};

	set_tz("UTC");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
