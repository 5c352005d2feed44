/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test_check_borg.c - check_borg's parsers on output recorded from borg 1.2.4
 * (tests/fixtures/check_borg/, see its README) and its evaluation: states,
 * summaries, perfdata, series, checkpoints, locks, and the options through
 * the runner's own parser (msp_test.h).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include "check_borg.h"
#include "msp_test.h"

/* 2026-11-28T06:00:00Z and the archive times of the fixtures (recorded with --timestamp, UTC). */
#define NOW 1795845600.0
#define T_HOME_25 1795575600.0   /* home-2026-11-25    2026-11-25T03:00:00Z */
#define T_SYSTEM_26 1795658400.0 /* system-2026-11-26  2026-11-26T02:00:00Z */
#define T_SYSTEM_27 1795744800.0 /* system-2026-11-27  2026-11-27T02:00:00Z */
#define T_HOME_27 1795750200.0   /* home-2026-11-27    2026-11-27T03:30:00Z */
#define T_CKPT 1795842110.0      /* system-2026-11-28.checkpoint, 2026-11-28T05:01:50Z */

static char *read_fixture(const char *name, size_t *ret_len)
{
	char rel[256];
	char *text;

	snprintf(rel, sizeof(rel), "check_borg/%s", name);
	text = msp_test_fixture(rel, 1 << 20);
	*ret_len = strlen(text); /* JSON and log lines: no NUL inside */
	return text;
}

static void load_list(const char *name, struct check_borg_list *l)
{
	struct msp_error err;
	size_t len;
	char *text = read_fixture(name, &len);

	msp_error_init(&err);
	memset(l, 0, sizeof(*l));
	assert_int_equal(check_borg_parse_list(text, len, l, &err), 0);
	free(text);
}

/* cfg with -w/-c (NULL: the defaults 26h/50h) and globs (NULL-terminated), through the real parser. */
static void setup_cfg(struct check_borg_config *cfg, const char *w, const char *c, const char *const *globs)
{
	const char *args[24] = { "-R", "/srv/borg/repo" };
	size_t n = 2;

	for (size_t i = 0; globs && globs[i] && n < 20; i++) {
		args[n++] = "-a";
		args[n++] = globs[i];
	}
	if (w) {
		args[n++] = "-w";
		args[n++] = w;
	}
	if (c) {
		args[n++] = "-c";
		args[n++] = c;
	}
	msp_test_configure_ok(msp_test_plugin, cfg, sizeof(*cfg), args);
}

static char *render(struct msp_result *root)
{
	return msp_test_render(msp_test_plugin, root, MSP_FORMAT_NAGIOS);
}

/* Evaluate sample s at now; returns the rendered output and the state. */
static char *evaluate(const struct check_borg_config *cfg, const struct check_borg_sample *s, double now,
		      enum msp_state *ret_state)
{
	struct msp_result *root = msp_result_new();
	char *out;

	assert_non_null(root);
	assert_int_equal(check_borg_evaluate(cfg, s, now, root), 0);
	*ret_state = msp_result_state(root);
	out = render(root);
	msp_result_free(root);
	return out;
}

static void assert_contains(const char *hay, const char *needle)
{
	if (!strstr(hay, needle))
		fail_msg("'%s' not found in:\n%s", needle, hay);
}

/* ------------------------------------------------------------ parse list */

static void test_parse_list__two_series_times_are_utc(void **state)
{
	struct check_borg_list l;

	(void)state;
	load_list("borg_list_two_series.json", &l);
	assert_int_equal(l.n, 4);
	/* borg sorts by time, oldest first */
	assert_string_equal(l.archive[0].name, "home-2026-11-25");
	assert_true(l.archive[0].time == T_HOME_25);
	assert_string_equal(l.archive[1].name, "system-2026-11-26");
	assert_true(l.archive[1].time == T_SYSTEM_26);
	assert_string_equal(l.archive[2].name, "system-2026-11-27");
	assert_true(l.archive[2].time == T_SYSTEM_27);
	assert_string_equal(l.archive[3].name, "home-2026-11-27");
	assert_true(l.archive[3].time == T_HOME_27);
	for (size_t i = 0; i < l.n; i++)
		assert_false(l.archive[i].checkpoint);
	assert_string_equal(l.encryption, "repokey");
	check_borg_list_release(&l);
}

static void test_parse_list__checkpoint_is_marked(void **state)
{
	struct check_borg_list l;

	(void)state;
	load_list("borg_list_checkpoint.json", &l);
	assert_int_equal(l.n, 5);
	assert_string_equal(l.archive[4].name, "system-2026-11-28.checkpoint");
	assert_true(l.archive[4].checkpoint);
	assert_true(l.archive[4].time == T_CKPT);
	assert_false(l.archive[3].checkpoint);
	check_borg_list_release(&l);
}

static void test_parse_list__empty_repository(void **state)
{
	struct check_borg_list l;

	(void)state;
	load_list("borg_list_empty.json", &l);
	assert_int_equal(l.n, 0);
	assert_string_equal(l.encryption, "none");
	check_borg_list_release(&l);
}

static void expect_list_error_n(const char *text, size_t len, const char *msg)
{
	struct check_borg_list l = { 0 };
	struct msp_error err;

	msp_error_init(&err);
	assert_int_equal(check_borg_parse_list(text, len, &l, &err), MSP_EINVAL);
	assert_contains(err.msg, msg);
	check_borg_list_release(&l);
}

static void expect_list_error(const char *text, const char *msg)
{
	expect_list_error_n(text, strlen(text), msg);
}

static void test_parse_list__rejects_what_is_not_a_listing(void **state)
{
	size_t len;
	char *text = read_fixture("borg_list_two_series.json", &len);
	char *info = read_fixture("borg_stderr_repo_missing.jsonl", &len);

	(void)state;
	expect_list_error("", "the output of borg list is empty");
	expect_list_error("not json", "cannot parse the output of borg list: ");
	expect_list_error_n(text, strlen(text) / 2, "cannot parse the output of borg list: the JSON ends early");
	expect_list_error("{}", "no \"archives\" list");
	expect_list_error("[]", "no \"archives\" list");
	expect_list_error("{\"archives\": {}}", "no \"archives\" list");
	expect_list_error("{\"archives\": []} x", "cannot parse the output of borg list: text after the JSON");
	expect_list_error("{\"archives\": [{\"name\": \"a\"}]}", "archive 0 lacks a time");
	expect_list_error("{\"archives\": [{\"time\": \"2026-11-27T02:00:00.000000\"}]}", "lacks a name");
	expect_list_error("{\"archives\": [{\"name\": \"a\", \"time\": \"yesterday\"}]}", "archive 'a'");
	expect_list_error(info, "no \"archives\" list");
	free(text);
	free(info);
}

/* ------------------------------------------------------------ parse info */

static void test_parse_info__sizes_files_duration(void **state)
{
	struct check_borg_info in = { 0 };
	struct msp_error err;
	size_t len;
	char *text = read_fixture("borg_info_archive.json", &len);

	(void)state;
	msp_error_init(&err);
	assert_int_equal(check_borg_parse_info(text, len, "system-2026-11-27", &in, &err), 0);
	assert_true(in.valid);
	assert_true(in.original_size == 8);
	assert_true(in.compressed_size == 94);
	assert_true(in.deduplicated_size == 535);
	assert_true(in.nfiles == 2);
	assert_true(in.duration > 0.00596 && in.duration < 0.00598);
	assert_true(in.end == T_SYSTEM_27);
	free(text);
}

static void test_parse_info__list_output_is_not_info(void **state)
{
	struct check_borg_info in = { 0 };
	struct msp_error err;
	size_t len;
	char *text = read_fixture("borg_list_two_series.json", &len);

	(void)state;
	msp_error_init(&err);
	assert_int_equal(check_borg_parse_info(text, len, NULL, &in, &err), MSP_EINVAL);
	assert_contains(err.msg, "not exactly one archive");
	assert_false(in.valid);
	free(text);
}

/* borg (or a wrapper) answering about another archive than the one judged is not believed */
static void test_parse_info__another_archive_is_an_error(void **state)
{
	struct check_borg_info in = { 0 };
	struct msp_error err;
	size_t len;
	char *text = read_fixture("borg_info_archive.json", &len);

	(void)state;
	msp_error_init(&err);
	assert_int_equal(check_borg_parse_info(text, len, "home-2026-11-27", &in, &err), MSP_EINVAL);
	assert_string_equal(err.msg,
			    "borg info returned archive 'system-2026-11-27' although 'home-2026-11-27' was asked");
	assert_false(in.valid);
	free(text);
}

/* --------------------------------------------------------- parse failure */

static void expect_failure(const char *fixture, enum check_borg_failure_kind kind, const char *msgid, const char *msg)
{
	struct check_borg_failure f;
	size_t len;
	char *text = read_fixture(fixture, &len);

	check_borg_parse_failure(text, &f);
	assert_int_equal(f.kind, kind);
	assert_string_equal(f.msgid, msgid);
	assert_contains(f.message, msg);
	free(text);
}

static void test_parse_failure__recorded_errors(void **state)
{
	(void)state;
	expect_failure("borg_stderr_passphrase_wrong.jsonl", CHECK_BORG_FAIL_PASSPHRASE, "PassphraseWrong",
		       "is incorrect");
	expect_failure("borg_stderr_passcommand_failed.jsonl", CHECK_BORG_FAIL_PASSCOMMAND, "PasscommandFailure",
		       "BORG_PASSCOMMAND failed");
	expect_failure("borg_stderr_repo_missing.jsonl", CHECK_BORG_FAIL_REPO_MISSING, "Repository.DoesNotExist",
		       "does not exist");
	expect_failure("borg_stderr_not_a_repo.jsonl", CHECK_BORG_FAIL_NOT_A_REPO, "Repository.InvalidRepository",
		       "is not a valid repository");
	expect_failure("borg_stderr_lock_timeout.jsonl", CHECK_BORG_FAIL_LOCKED, "LockTimeout", "lock.exclusive");
	/* the traceback that follows is never the message: the first error says why */
	expect_failure("borg_stderr_lock_failed_read_only.jsonl", CHECK_BORG_FAIL_LOCK_DENIED, "LockFailed",
		       "Failed to create/acquire the lock /tmp/rr/b/lock.exclusive ([Errno 13] Permission denied");
	expect_failure("borg_stderr_unencrypted_unknown.jsonl", CHECK_BORG_FAIL_UNENCRYPTED,
		       "Cache.CacheInitAbortedError", "Cache initialization aborted");
	expect_failure("borg_stderr_relocated.jsonl", CHECK_BORG_FAIL_RELOCATED, "Cache.RepositoryAccessAborted",
		       "Repository access aborted");
}

static void test_parse_failure__plain_lines(void **state)
{
	struct check_borg_failure f;

	(void)state;
	check_borg_parse_failure("sudo: a password is required\n", &f);
	assert_int_equal(f.kind, CHECK_BORG_FAIL_SUDO);
	assert_string_equal(f.message, "sudo: a password is required");
	check_borg_parse_failure("Traceback (most recent call last):\n  ...\nKeyError: 'x'\n\n", &f);
	assert_int_equal(f.kind, CHECK_BORG_FAIL_OTHER);
	assert_string_equal(f.message, "KeyError: 'x'");
	check_borg_parse_failure("", &f);
	assert_int_equal(f.kind, CHECK_BORG_FAIL_OTHER);
	assert_string_equal(f.message, "");
	check_borg_parse_failure(
		"{\"type\": \"log_message\", \"levelname\": \"WARNING\", \"message\": \"w\"}\n{broken\n", &f);
	assert_int_equal(f.kind, CHECK_BORG_FAIL_OTHER);
	assert_string_equal(f.message, "{broken");
}

static void test_is_checkpoint__names(void **state)
{
	(void)state;
	assert_true(check_borg_is_checkpoint("system-2026-11-28.checkpoint"));
	assert_true(check_borg_is_checkpoint("system.checkpoint.1"));
	assert_true(check_borg_is_checkpoint("a.checkpoint-x.checkpoint.12"));
	assert_false(check_borg_is_checkpoint("system-2026-11-28"));
	assert_false(check_borg_is_checkpoint("system.checkpoint.x"));
	assert_false(check_borg_is_checkpoint("system.checkpoint."));
	assert_false(check_borg_is_checkpoint("system.checkpointy"));
	assert_false(check_borg_is_checkpoint("checkpoint"));
}

/* -------------------------------------------------------------- evaluate */

static void test_evaluate__whole_repository_newest_archive(void **state)
{
	static const char *const none[] = { NULL };
	struct check_borg_config cfg;
	struct check_borg_sample s = { 0 };
	enum msp_state st;
	char *out;

	(void)state;
	setup_cfg(&cfg, NULL, NULL, none);
	load_list("borg_list_two_series.json", &s.list);
	/* home-2026-11-27 is the newest: 26h 30m before NOW, past the default 26h */
	out = evaluate(&cfg, &s, NOW, &st);
	assert_int_equal(st, MSP_STATE_WARNING);
	assert_contains(out, "BORG WARNING - newest 'home-2026-11-27' 1d 2h ago | age=95400s;93600;180000;0 "
			     "archives=4;;;0\n");
	assert_contains(out, "[WARNING] newest 'home-2026-11-27' 1d 2h ago (2026-11-27 03:30 +0000), 4 archives");
	free(out);
	out = evaluate(&cfg, &s, T_HOME_27 + 3600, &st);
	assert_int_equal(st, MSP_STATE_OK);
	assert_contains(out, "BORG OK - newest 'home-2026-11-27' 1h ago | age=3600s;");
	free(out);
	out = evaluate(&cfg, &s, T_HOME_27 + 50 * 3600 + 1, &st);
	assert_int_equal(st, MSP_STATE_CRITICAL);
	free(out);
	check_borg_sample_release(&s);
	msp_list_release(&cfg.glob);
}

static void test_evaluate__each_glob_is_judged_on_its_own(void **state)
{
	static const char *const globs[] = { "system-*", "home-*", NULL };
	struct check_borg_config cfg;
	struct check_borg_sample s = { 0 };
	enum msp_state st;
	char *out;

	(void)state;
	setup_cfg(&cfg, "24h", "48h", globs);
	load_list("borg_list_two_series.json", &s.list);
	/* 2026-11-28T01:00Z: system 23h old, home 21h 30m old */
	out = evaluate(&cfg, &s, T_SYSTEM_27 + 23 * 3600, &st);
	assert_int_equal(st, MSP_STATE_OK);
	assert_contains(out, "BORG OK - system-*: newest 'system-2026-11-27' 23h ago; 2 of 2 series OK | "
			     "system_age=82800s;86400;172800;0 system_archives=2;;;0 home_age=77400s;86400;172800;0 "
			     "home_archives=2;;;0\n");
	free(out);
	/* at NOW system (28h) is late, home (26h 30m) too; system is named first */
	out = evaluate(&cfg, &s, NOW, &st);
	assert_int_equal(st, MSP_STATE_WARNING);
	assert_contains(out, "BORG WARNING - system-*: newest 'system-2026-11-27' 1d 4h ago; 0 of 2 series OK");
	free(out);
	check_borg_sample_release(&s);
	msp_list_release(&cfg.glob);
}

static void test_evaluate__stopped_series_is_caught(void **state)
{
	static const char *const globs[] = { "home-*", "system-*", NULL };
	struct check_borg_config cfg;
	struct check_borg_sample s = { 0 };
	enum msp_state st;
	char *out;

	(void)state;
	setup_cfg(&cfg, "1h", "2h", globs);
	load_list("borg_list_two_series.json", &s.list);
	/* home ran 1 h ago, system 2h 30m ago: the system series alone is CRITICAL */
	out = evaluate(&cfg, &s, T_HOME_27 + 3600, &st);
	assert_int_equal(st, MSP_STATE_CRITICAL);
	assert_contains(out, "BORG CRITICAL - system-*: newest 'system-2026-11-27' 2h 30m ago; 1 of 2 series OK | "
			     "home_age=3600s;3600;7200;0 home_archives=2;;;0 system_age=9000s;3600;7200;0 "
			     "system_archives=2;;;0\n");
	assert_contains(
		out, "[CRITICAL] system-*: newest 'system-2026-11-27' 2h 30m ago (2026-11-27 02:00 +0000), "
		     "2 archives\n[OK] home-*: newest 'home-2026-11-27' 1h ago (2026-11-27 03:30 +0000), 2 archives");
	free(out);
	check_borg_sample_release(&s);
	msp_list_release(&cfg.glob);
}

static void test_evaluate__checkpoint_never_counts(void **state)
{
	static const char *const globs[] = { "system-*", NULL };
	struct check_borg_config cfg;
	struct check_borg_sample s = { 0 };
	enum msp_state st;
	char *out;

	(void)state;
	setup_cfg(&cfg, NULL, NULL, globs);
	load_list("borg_list_checkpoint.json", &s.list);
	/* the checkpoint is 58 min old, the newest real system archive 28 h: WARNING, not OK */
	out = evaluate(&cfg, &s, NOW, &st);
	assert_int_equal(st, MSP_STATE_WARNING);
	assert_contains(out, "BORG WARNING - system-*: newest 'system-2026-11-27' 1d 4h ago | "
			     "system_age=100800s;93600;180000;0 system_archives=2;;;0\n");
	assert_contains(out, "newer checkpoint 'system-2026-11-28.checkpoint' (58m 10s ago) not counted");
	free(out);
	check_borg_sample_release(&s);
	msp_list_release(&cfg.glob);
}

static void test_evaluate__only_checkpoints_is_critical(void **state)
{
	static const char *const globs[] = { "*.checkpoint", NULL };
	struct check_borg_config cfg;
	struct check_borg_sample s = { 0 };
	enum msp_state st;
	char *out;

	(void)state;
	setup_cfg(&cfg, NULL, NULL, globs);
	load_list("borg_list_checkpoint.json", &s.list);
	out = evaluate(&cfg, &s, NOW, &st);
	assert_int_equal(st, MSP_STATE_CRITICAL);
	assert_contains(out, "BORG CRITICAL - *.checkpoint: no archive matches | checkpoint_archives=0;;;0\n");
	assert_contains(out, "(only checkpoints of interrupted runs)");
	free(out);
	check_borg_sample_release(&s);
	msp_list_release(&cfg.glob);
}

static void test_evaluate__empty_repository_is_critical(void **state)
{
	struct check_borg_config cfg;
	struct check_borg_sample s = { 0 };
	enum msp_state st;
	char *out;

	(void)state;
	setup_cfg(&cfg, NULL, NULL, NULL);
	load_list("borg_list_empty.json", &s.list);
	out = evaluate(&cfg, &s, NOW, &st);
	assert_int_equal(st, MSP_STATE_CRITICAL);
	assert_contains(out, "BORG CRITICAL - no archives in the repository | archives=0;;;0\n");
	free(out);
	check_borg_sample_release(&s);
	msp_list_release(&cfg.glob);
}

static void test_evaluate__glob_without_match_is_critical(void **state)
{
	static const char *const globs[] = { "system-*", "db-*", NULL };
	struct check_borg_config cfg;
	struct check_borg_sample s = { 0 };
	enum msp_state st;
	char *out;

	(void)state;
	setup_cfg(&cfg, NULL, NULL, globs);
	load_list("borg_list_two_series.json", &s.list);
	out = evaluate(&cfg, &s, T_SYSTEM_27 + 60, &st);
	assert_int_equal(st, MSP_STATE_CRITICAL);
	assert_contains(out,
			"BORG CRITICAL - db-*: no archive matches; 1 of 2 series OK | system_age=60s;93600;180000;0 "
			"system_archives=2;;;0 db_archives=0;;;0\n");
	free(out);
	check_borg_sample_release(&s);
	msp_list_release(&cfg.glob);
}

static void test_evaluate__future_archive_is_warning(void **state)
{
	struct check_borg_config cfg;
	struct check_borg_sample s = { 0 };
	enum msp_state st;
	char *out;

	(void)state;
	setup_cfg(&cfg, NULL, NULL, NULL);
	load_list("borg_list_two_series.json", &s.list);
	/* the monitoring clock reads 2 h before the newest archive */
	out = evaluate(&cfg, &s, T_HOME_27 - 7200, &st);
	assert_int_equal(st, MSP_STATE_WARNING);
	assert_contains(out, "BORG WARNING - newest 'home-2026-11-27' 2h in the future (clock problem?) | age=0s;");
	free(out);
	/* within --max-future (default 5m): age 0, OK */
	out = evaluate(&cfg, &s, T_HOME_27 - 240, &st);
	assert_int_equal(st, MSP_STATE_OK);
	free(out);
	check_borg_sample_release(&s);
	msp_list_release(&cfg.glob);
}

static void test_evaluate__lock_state_follows_option(void **state)
{
	static const struct {
		const char *arg;
		enum msp_state want;
	} cases[] = {
		{ NULL, MSP_STATE_WARNING },
		{ "ok", MSP_STATE_OK },
		{ "warning", MSP_STATE_WARNING },
		{ "unknown", MSP_STATE_UNKNOWN },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct check_borg_config cfg;
		struct check_borg_sample s = { 0 };
		enum msp_state st;
		char *out;

		if (cases[i].arg)
			msp_test_configure_ok(msp_test_plugin, &cfg, sizeof(cfg),
					      MSP_ARGS("-R", "/srv/borg/repo", "--lock", cases[i].arg));
		else
			setup_cfg(&cfg, NULL, NULL, NULL);
		load_list("borg_list_two_series.json", &s.list);
		s.locked = true;
		out = evaluate(&cfg, &s, T_HOME_27 + 60, &st);
		assert_int_equal(st, cases[i].want);
		assert_contains(out, "newest 'home-2026-11-27' 1m ago; repository locked | age=60s;");
		assert_contains(out, "repository locked by another borg process (a running borg create?)");
		free(out);
		/* the lock never hides an old backup */
		out = evaluate(&cfg, &s, T_HOME_27 + 51 * 3600, &st);
		assert_int_equal(st, MSP_STATE_CRITICAL);
		free(out);
		check_borg_sample_release(&s);
		msp_list_release(&cfg.glob);
	}
}

static void test_evaluate__info_perfdata_and_failure(void **state)
{
	static const char *const globs[] = { "system-*", "home-*", NULL };
	struct check_borg_config cfg;
	struct check_borg_sample s = { 0 };
	struct check_borg_info info[2] = { 0 };
	char *errors[2] = { NULL, NULL };
	enum msp_state st;
	size_t len;
	char *text = read_fixture("borg_info_archive.json", &len), *out;

	(void)state;
	setup_cfg(&cfg, NULL, NULL, globs);
	load_list("borg_list_two_series.json", &s.list);
	assert_int_equal(check_borg_parse_info(text, len, NULL, &info[0], NULL), 0);
	errors[1] = strdup("borg info on 'home-2026-11-27': timed out");
	s.info = info;
	s.info_error = errors;
	s.ninfo = 2;
	out = evaluate(&cfg, &s, T_HOME_27 + 60, &st);
	/* the info failure makes it UNKNOWN: sizes were asked for and are missing */
	assert_int_equal(st, MSP_STATE_UNKNOWN);
	assert_contains(out, "system_age=5460s;93600;180000;0 system_archives=2;;;0 system_size=8B;;;0 "
			     "system_deduplicated_size=535B;;;0 system_files=2;;;0 system_duration=0.006s;;;0 "
			     "home_age=60s;");
	assert_contains(out, "[UNKNOWN] borg info on 'home-2026-11-27': timed out");
	assert_contains(out, "8 B, 535 B deduplicated, 2 files, took 0s, ended 2026-11-27 02:00 +0000");
	free(out);
	free(errors[1]);
	s.info = NULL;
	s.info_error = NULL;
	check_borg_sample_release(&s);
	msp_list_release(&cfg.glob);
	free(text);
}

static void test_evaluate__labels_of_wildcard_only_and_clashing_globs(void **state)
{
	static const char *const globs[] = { "*", "home-*", "home-?*", NULL };
	struct check_borg_config cfg;
	struct check_borg_sample s = { 0 };
	struct msp_result *root = msp_result_new();

	(void)state;
	setup_cfg(&cfg, NULL, NULL, globs);
	load_list("borg_list_two_series.json", &s.list);
	assert_int_equal(check_borg_evaluate(&cfg, &s, NOW, root), 0);
	assert_int_equal(root->nchild, 3);
	assert_string_equal(root->child[0]->perf[0].label, "series1_age");
	assert_string_equal(root->child[1]->perf[0].label, "home_age");
	assert_string_equal(root->child[2]->perf[0].label, "series3_age");
	msp_result_free(root);
	check_borg_sample_release(&s);
	msp_list_release(&cfg.glob);
}

static void test_evaluate__zone_of_monitoring_host_changes_only_the_text(void **state)
{
	struct check_borg_config cfg;
	struct check_borg_sample s = { 0 };
	enum msp_state st;
	char *out;

	(void)state;
	setup_cfg(&cfg, NULL, NULL, NULL);
	load_list("borg_list_two_series.json", &s.list);
	setenv("TZ", "Pacific/Auckland", 1);
	tzset();
	out = evaluate(&cfg, &s, NOW, &st);
	setenv("TZ", "UTC0", 1);
	tzset();
	assert_int_equal(st, MSP_STATE_WARNING);
	assert_contains(out, "| age=95400s;93600;180000;0 archives=4;;;0\n");
	assert_contains(out, "(2026-11-27 16:30 +1300)");
	free(out);
	check_borg_sample_release(&s);
	msp_list_release(&cfg.glob);
}

/* --------------------------------------------------------------- options */

/* Configure cfg with args through the runner's parser and finish; the message into msg (may be NULL). */
static int configure(struct check_borg_config *cfg, const char *const *args, char *msg)
{
	struct msp_error err;
	int r = msp_test_configure(msp_test_plugin, cfg, sizeof(*cfg), args, &err);

	if (msg)
		snprintf(msg, MSP_ERROR_MAX, "%s", err.msg);
	return r;
}

static void test_options__repository_from_argument_or_environment(void **state)
{
	struct check_borg_config cfg;
	char msg[MSP_ERROR_MAX];

	(void)state;
	unsetenv("BORG_REPO");
	assert_int_equal(configure(&cfg, MSP_ARGS(NULL), msg), MSP_EINVAL);
	assert_string_equal(msg, "no repository given: use -R REPO or set BORG_REPO");
	setenv("BORG_REPO", "/srv/from-env", 1);
	assert_int_equal(configure(&cfg, MSP_ARGS(NULL), NULL), 0);
	assert_string_equal(cfg.repo, "/srv/from-env");
	/* '' (an unset macro in a command file) is "not given": the environment's repository applies */
	assert_int_equal(configure(&cfg, MSP_ARGS("-R", ""), NULL), 0);
	assert_string_equal(cfg.repo, "/srv/from-env");
	assert_int_equal(configure(&cfg, MSP_ARGS("--repo", "/srv/alias"), NULL), 0);
	assert_string_equal(cfg.repo, "/srv/alias");
	assert_int_equal(configure(&cfg, MSP_ARGS("-R", "/srv/from-arg"), NULL), 0);
	assert_string_equal(cfg.repo, "/srv/from-arg");
	unsetenv("BORG_REPO");
	/* defaults */
	assert_int_equal(cfg.lock_state, MSP_STATE_WARNING);
	assert_true(cfg.lock_wait == 1);
	assert_string_equal(cfg.borg_bin, "borg");
	assert_null(cfg.passphrase_file);
	assert_false(cfg.sudo || cfg.info || cfg.allow_unencrypted || cfg.allow_relocated);
	assert_true(cfg.age.thr.warn.end == 93600 && cfg.age.thr.crit.end == 180000);
	assert_true(cfg.age.max_future == 300);
	/* a positional argument is not taken for the repository */
	assert_int_equal(configure(&cfg, MSP_ARGS("-R", "/srv/r", "/srv/x"), msg), MSP_EINVAL);
	assert_string_equal(msg, "unexpected argument '/srv/x': the repository is -R REPO");
}

static void test_options__values(void **state)
{
	struct check_borg_config cfg;

	(void)state;
	assert_int_equal(configure(&cfg,
				   MSP_ARGS("-R", "/srv/r", "--passphrase-file", "/etc/p", "--borg-bin", "/opt/borg",
					    "--sudo", "--base-dir", "/b", "--cache-dir", "/c", "--info", "--lock", "OK",
					    "--lock-wait", "2m", "--allow-unencrypted", "--allow-relocated", "-t", "300"),
				   NULL),
			 0);
	assert_string_equal(cfg.passphrase_file, "/etc/p");
	assert_string_equal(cfg.borg_bin, "/opt/borg");
	assert_string_equal(cfg.base_dir, "/b");
	assert_string_equal(cfg.cache_dir, "/c");
	assert_true(cfg.sudo && cfg.info && cfg.allow_unencrypted && cfg.allow_relocated);
	assert_int_equal(cfg.lock_state, MSP_STATE_OK);
	assert_true(cfg.lock_wait == 120);
	assert_int_equal(configure(&cfg, MSP_ARGS("-R", "/srv/r", "--lock=unknown", "--lock-wait", "5"), NULL), 0);
	assert_int_equal(cfg.lock_state, MSP_STATE_UNKNOWN);
	assert_true(cfg.lock_wait == 5);
	assert_int_equal(configure(&cfg, MSP_ARGS("-R", "/srv/r", "--lock-wait", "30", "-t", "60"), NULL), 0);
	assert_int_equal(configure(&cfg, MSP_ARGS("-R", "/srv/r", "-w", "1h:26h", "--max-future", "1h"), NULL), 0);
	assert_true(cfg.age.thr.warn.start == 3600 && cfg.age.thr.warn.end == 93600);
	assert_true(cfg.age.max_future == 3600);
	/* '' (an unset macro in a command file) is "not given": the defaults apply */
	assert_int_equal(configure(&cfg,
				   MSP_ARGS("-R", "/srv/r", "-w", "", "-c", "", "--max-future", "", "--lock", "",
					    "--lock-wait", "", "--borg-bin", "", "--passphrase-file", ""),
				   NULL),
			 0);
	assert_null(cfg.warn);
	assert_null(cfg.crit);
	assert_true(cfg.age.thr.warn.end == 93600 && cfg.age.thr.crit.end == 180000);
	assert_true(cfg.age.max_future == 300);
	assert_int_equal(cfg.lock_state, MSP_STATE_WARNING);
	assert_true(cfg.lock_wait == 1);
	assert_string_equal(cfg.borg_bin, "borg");
	assert_null(cfg.passphrase_file);
}

static void test_options__globs_accumulate_and_empty_is_ignored(void **state)
{
	struct check_borg_config cfg;
	const char *args[40] = { "-R", "/srv/r" };
	char msg[MSP_ERROR_MAX];

	(void)state;
	assert_int_equal(configure(&cfg, MSP_ARGS("-R", "/srv/r", "-a", "system-*", "-a", "", "--glob-archives",
						  "home-*"),
				   NULL),
			 0);
	assert_int_equal(cfg.glob.count, 2);
	assert_string_equal(cfg.glob.items[1], "home-*");
	msp_list_release(&cfg.glob);
	for (size_t i = 2; i < 2 + CHECK_BORG_GLOB_MAX; i++)
		args[i] = "-ax";
	assert_int_equal(configure(&cfg, args, NULL), 0);
	assert_int_equal(cfg.glob.count, CHECK_BORG_GLOB_MAX);
	msp_list_release(&cfg.glob);
	args[2 + CHECK_BORG_GLOB_MAX] = "-ay";
	assert_int_equal(configure(&cfg, args, msg), MSP_EINVAL);
	assert_string_equal(msg, "too many -a globs (at most 32)");
	msp_list_release(&cfg.glob);
}

static void test_options__errors(void **state)
{
	static const struct msp_test_case rows[] = {
		{ { "-R", "/srv/r", "--lock", "critical" }, MSP_STATE_UNKNOWN,
		  "^BORG UNKNOWN - --lock 'critical' is not ok, warning or unknown$" },
		{ { "-R", "/srv/r", "--lock", "maybe" }, MSP_STATE_UNKNOWN, "^BORG UNKNOWN - --lock 'maybe' is not " },
		{ { "-R", "/srv/r", "--lock-wait", "1.5" }, MSP_STATE_UNKNOWN,
		  "^BORG UNKNOWN - --lock-wait '1.5' is not whole seconds$" },
		{ { "-R", "/srv/r", "--lock-wait", "-1" }, MSP_STATE_UNKNOWN,
		  "^BORG UNKNOWN - --lock-wait '-1' is not a duration .* from 0 to 3600$" },
		{ { "-R", "/srv/r", "--lock-wait", "2h" }, MSP_STATE_UNKNOWN,
		  "^BORG UNKNOWN - --lock-wait '2h' is not a duration from 0 to 3600$" },
		{ { "-R", "/srv/r", "--lock-wait", "30" }, MSP_STATE_UNKNOWN,
		  "^BORG UNKNOWN - --lock-wait 30 leaves no time within the timeout of 30 s$" },
		{ { "-R", "/srv/r", "-w", "10:5" }, MSP_STATE_UNKNOWN, "^BORG UNKNOWN - .*'10:5'" },
		{ { "-R", "/srv/r", "-w", "1h:26h", "--max-future", "soon" }, MSP_STATE_UNKNOWN,
		  "^BORG UNKNOWN - .*'soon'" },
		{ { "-R", "/srv/r", "-w", "50h", "-c", "26h" }, MSP_STATE_UNKNOWN,
		  "^BORG UNKNOWN - warning age '50h' is above critical age '26h'" },
	};
	struct check_borg_config cfg;

	(void)state;
	msp_test_cases(msp_test_plugin, &cfg, sizeof(cfg), rows, sizeof(rows) / sizeof(rows[0]));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_list__two_series_times_are_utc),
		cmocka_unit_test(test_parse_list__checkpoint_is_marked),
		cmocka_unit_test(test_parse_list__empty_repository),
		cmocka_unit_test(test_parse_list__rejects_what_is_not_a_listing),
		cmocka_unit_test(test_parse_info__sizes_files_duration),
		cmocka_unit_test(test_parse_info__list_output_is_not_info),
		cmocka_unit_test(test_parse_info__another_archive_is_an_error),
		cmocka_unit_test(test_parse_failure__recorded_errors),
		cmocka_unit_test(test_parse_failure__plain_lines),
		cmocka_unit_test(test_is_checkpoint__names),
		cmocka_unit_test(test_evaluate__whole_repository_newest_archive),
		cmocka_unit_test(test_evaluate__each_glob_is_judged_on_its_own),
		cmocka_unit_test(test_evaluate__stopped_series_is_caught),
		cmocka_unit_test(test_evaluate__checkpoint_never_counts),
		cmocka_unit_test(test_evaluate__only_checkpoints_is_critical),
		cmocka_unit_test(test_evaluate__empty_repository_is_critical),
		cmocka_unit_test(test_evaluate__glob_without_match_is_critical),
		cmocka_unit_test(test_evaluate__future_archive_is_warning),
		cmocka_unit_test(test_evaluate__lock_state_follows_option),
		cmocka_unit_test(test_evaluate__info_perfdata_and_failure),
		cmocka_unit_test(test_evaluate__labels_of_wildcard_only_and_clashing_globs),
		cmocka_unit_test(test_evaluate__zone_of_monitoring_host_changes_only_the_text),
		cmocka_unit_test(test_options__repository_from_argument_or_environment),
		cmocka_unit_test(test_options__values),
		cmocka_unit_test(test_options__globs_accumulate_and_empty_is_ignored),
		cmocka_unit_test(test_options__errors),
	};

	/* Summaries print times in the local zone: pin it (one test switches it). */
	setenv("TZ", "UTC0", 1);
	tzset();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
