/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test_check_restic.c - check_restic's parse, evaluate and failure mapping on
 * output recorded from restic 0.14 (tests/fixtures/check_restic/README.md),
 * and its options through the runner's parser (tests/helpers/msp_test.h).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "check_restic.h"
#include "msp_test.h"

/* 2026-11-28T06:00:00Z: an hour after the newest recorded snapshot. */
#define NOW 1795845600.0

/* A recorded restic output (JSON or stderr text); *ret_len its length when wanted.  Caller frees. */
static char *fixture(const char *name, size_t *ret_len)
{
	char rel[512], *text;

	snprintf(rel, sizeof(rel), "check_restic/%s", name);
	text = msp_test_fixture(rel, 1 << 20);
	if (ret_len)
		*ret_len = strlen(text);
	return text;
}

/*
 * A config as the runner leaves it after parsing "-r /srv/restic -p
 * /etc/restic/pw" and args (NULL-terminated, may be NULL) and finish; fails
 * the test on an error.  cfg is zeroed or configured before (its lists are
 * released first); release it with check_restic_config_release.
 */
static void configure(struct check_restic_config *cfg, const char *const *args)
{
	const char *argv[48] = { "-r", "/srv/restic", "-p", "/etc/restic/pw" };
	size_t n = 4;

	check_restic_config_release(cfg);
	for (size_t i = 0; args && args[i]; i++) {
		assert_true(n + 1 < sizeof(argv) / sizeof(argv[0]));
		argv[n++] = args[i];
	}
	msp_test_configure_ok(msp_test_plugin, cfg, sizeof(*cfg), argv);
}

/* The --group-by a fixture was recorded with, from its name. */
static const char *fixture_group_by(const char *name)
{
	if (strstr(name, "group_by_host_paths_tags"))
		return "host,paths,tags";
	if (strstr(name, "group_by_host"))
		return "host";
	if (strstr(name, "group_by_tags"))
		return "tags";
	return "";
}

static void parse_fixture_cfg(const struct check_restic_config *cfg, const char *name, struct check_restic_sample *s)
{
	struct msp_error err;
	size_t len;
	char *text = fixture(name, &len);

	msp_error_init(&err);
	if (check_restic_parse(cfg, text, len, s, &err) != 0)
		fail_msg("%s: %s", name, err.msg);
	free(text);
}

static void parse_fixture(const char *name, struct check_restic_sample *s)
{
	struct check_restic_config cfg = { 0 };
	const char *group_by = fixture_group_by(name);

	configure(&cfg, *group_by ? MSP_ARGS("-g", group_by) : NULL);
	parse_fixture_cfg(&cfg, name, s);
	check_restic_config_release(&cfg);
}

/* The group named name in s (fails the test when there is none). */
static const struct check_restic_group *find_group(const struct check_restic_sample *s, const char *name)
{
	for (size_t i = 0; i < s->ngroup; i++)
		if (strcmp(s->group[i].name, name) == 0)
			return &s->group[i];
	fail_msg("no group '%s'", name);
	return NULL;
}

static int parse_text_cfg(const struct check_restic_config *cfg, const char *text, char *msg, size_t len)
{
	struct check_restic_sample s = { 0 };
	struct msp_error err;
	int r;

	msp_error_init(&err);
	r = check_restic_parse(cfg, text, strlen(text), &s, &err);
	snprintf(msg, len, "%s", err.msg);
	check_restic_sample_release(&s);
	return r;
}

static int parse_text(const char *text, char *msg, size_t len)
{
	struct check_restic_config cfg = { 0 };
	int r;

	configure(&cfg, NULL);
	r = parse_text_cfg(&cfg, text, msg, len);
	check_restic_config_release(&cfg);
	return r;
}

static char *render(struct msp_result *root)
{
	return msp_test_render(msp_test_plugin, root, MSP_FORMAT_NAGIOS);
}

/* Evaluate a fixture; returns the rendered output and the state. */
static char *eval_fixture(const struct check_restic_config *cfg, const char *name, double now,
			  enum msp_state *ret_state)
{
	struct check_restic_sample s = { 0 };
	struct msp_result *root = msp_result_new();
	char *out;

	assert_non_null(root);
	parse_fixture_cfg(cfg, name, &s);
	assert_int_equal(check_restic_evaluate(cfg, &s, now, root), 0);
	*ret_state = msp_result_state(root);
	out = render(root);
	msp_result_free(root);
	check_restic_sample_release(&s);
	return out;
}

static void set_tz(const char *tz)
{
	setenv("TZ", tz, 1);
	tzset();
}

static int tz_utc(void **state)
{
	(void)state;
	set_tz("UTC");
	return 0;
}

/* ----------------------------------------------------------------- parse */

static void test_parse__plain_list_keeps_count_and_newest(void **state)
{
	struct check_restic_sample s = { 0 };

	parse_fixture("snapshots_all.json", &s);
	assert_false(s.grouped);
	assert_int_equal(s.ngroup, 1);
	assert_int_equal(s.group[0].nsnap, 5);
	assert_string_equal(s.group[0].name, "");
	assert_string_equal(s.group[0].newest.short_id, "f00e087b");
	assert_string_equal(s.group[0].newest.hostname, "web1");
	assert_string_equal(s.group[0].newest.tags, "weekly");
	assert_string_equal(s.group[0].newest.paths, "/tmp/check_restic_fixture/srv/www");
	/* 9 fraction digits and Z */
	assert_true(fabs(s.group[0].newest.time - (1795842020.0 + 0.070416374)) < 1e-5);
	assert_false(s.group[0].newest.has_summary);
	check_restic_sample_release(&s);
}

static void test_parse__offsets_decide_which_is_newest(void **state)
{
	struct check_restic_sample s = { 0 };

	/* 2026-11-26T18:30:00-08:00 is 02:30Z on the 27th, after 2026-11-27T06:45:00+05:30 (01:15Z). */
	parse_fixture("snapshots_host_db1.json", &s);
	assert_int_equal(s.group[0].nsnap, 2);
	assert_string_equal(s.group[0].newest.short_id, "4758fa9b");
	assert_true(s.group[0].newest.time == 1795746600.0);
	assert_string_equal(s.group[0].newest.tags, "daily,db");
	check_restic_sample_release(&s);
}

static void test_parse__fractionless_time_with_positive_offset(void **state)
{
	struct check_restic_sample s = { 0 };

	parse_fixture("snapshots_group_by_tags.json", &s);
	assert_true(s.grouped);
	assert_int_equal(s.ngroup, 4);
	/* daily: 2026-11-27T02:00:00+13:00 = 2026-11-26T13:00:00Z */
	assert_int_equal(find_group(&s, "daily")->nsnap, 2);
	assert_true(find_group(&s, "daily")->newest.time == 1795698000.0);
	/* a snapshot without tags, grouped by tags */
	assert_true(find_group(&s, "untagged")->newest.time == 1795742100.0);
	check_restic_sample_release(&s);
}

static void test_parse__group_by_host_paths_tags_names(void **state)
{
	struct check_restic_sample s = { 0 };

	parse_fixture("snapshots_group_by_host_paths_tags.json", &s);
	assert_true(s.grouped);
	assert_int_equal(s.ngroup, 4);
	/* grouped here, in the order of the group keys */
	assert_string_equal(s.group[0].name, "db1:/tmp/check_restic_fixture/etc");
	assert_string_equal(s.group[1].name, "db1:/tmp/check_restic_fixture/srv/db:daily,db");
	assert_string_equal(s.group[2].name, "web1:/tmp/check_restic_fixture/srv/www:daily");
	assert_int_equal(s.group[2].nsnap, 2);
	assert_string_equal(s.group[2].newest.short_id, "47d6ce27");
	assert_string_equal(s.group[3].name, "web1:/tmp/check_restic_fixture/srv/www:weekly");
	check_restic_sample_release(&s);
}

static void test_parse__group_by_host_only(void **state)
{
	struct check_restic_sample s = { 0 };

	parse_fixture("snapshots_group_by_host.json", &s);
	assert_int_equal(s.ngroup, 2);
	assert_string_equal(s.group[0].name, "db1");
	assert_int_equal(s.group[0].nsnap, 2);
	assert_string_equal(s.group[1].name, "web1");
	assert_int_equal(s.group[1].nsnap, 3);
	assert_string_equal(s.group[1].newest.short_id, "f00e087b");
	check_restic_sample_release(&s);
}

static void test_parse__empty_list_is_an_empty_sample(void **state)
{
	struct check_restic_sample s = { 0 };

	parse_fixture("snapshots_empty_repo.json", &s);
	assert_int_equal(s.ngroup, 0);
	check_restic_sample_release(&s);
	parse_fixture("snapshots_no_match.json", &s);
	assert_int_equal(s.ngroup, 0);
	check_restic_sample_release(&s);
}

static void test_parse__restic017_summary(void **state)
{
	struct check_restic_sample s = { 0 };
	const struct check_restic_snapshot *n;

	parse_fixture("snapshots_restic017_summary.json", &s);
	n = &s.group[0].newest;
	assert_string_equal(n->short_id, "9f8e7d6c");
	assert_true(n->has_summary);
	assert_true(fabs(n->duration - 150.5) < 1e-6);
	assert_true(n->data_added == 10485760.0);
	assert_true(n->files == 4036.0);
	check_restic_sample_release(&s);
}

static void test_parse__unparseable_output_is_an_error(void **state)
{
	static const struct {
		const char *text, *msg;
	} cases[] = {
		{ "", "the snapshot list is empty" },
		{ "\n", "the snapshot list is empty" },
		{ "Fatal: something", "cannot parse the snapshot list: " },
		{ "[{\"time\":\"2026-11-27T02:00:00Z\"", "cannot parse the snapshot list: " },
		{ "[] trailing", "cannot parse the snapshot list: text after the JSON" },
		{ "{}", "cannot parse the snapshot list: not a JSON list" },
		{ "[1]", "a snapshot is not a JSON object" },
		{ "[{\"short_id\":\"abcd1234\"}]", "snapshot 'abcd1234' has no time" },
		{ "[{\"short_id\":\"abcd1234\",\"time\":\"yesterday\"}]",
		  "snapshot 'abcd1234': cannot parse time 'yesterday'" },
		{ "[{\"id\":\"0123456789abcdef\",\"time\":\"2026-11-27T02:00:00\"}]",
		  "snapshot '01234567': time '2026-11-27T02:00:00' has no UTC offset" },
		{ "[{\"time\":\"2026-11-27T02:00:00Z\",\"tags\":\"daily\"}]",
		  "snapshot '': 'tags' is not a list of strings" },
		{ "[{\"group_key\":{}}]", "a group has no group_key or no snapshots list" },
	};
	char msg[MSP_ERROR_MAX];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_int_equal(parse_text(cases[i].text, msg, sizeof(msg)), MSP_EINVAL);
		if (strncmp(msg, cases[i].msg, strlen(cases[i].msg)) != 0)
			fail_msg("case %zu: message '%s', want '%s...'", i, msg, cases[i].msg);
	}
}

/* -------------------------------------------------------------- evaluate */

static void test_evaluate__fresh_snapshot_is_ok(void **state)
{
	struct check_restic_config cfg = { 0 };
	enum msp_state st;
	char *out;

	configure(&cfg, NULL);
	out = eval_fixture(&cfg, "snapshots_all.json", NOW, &st);
	assert_int_equal(st, MSP_STATE_OK);
	assert_string_equal(out,
			    "RESTIC OK - newest snapshot 59m 40s ago (web1, 2026-11-28 05:00 +0000), 5 snapshots"
			    " | age=3580s;93600;180000;0 snapshots=5;;;0\n"
			    "newest snapshot f00e087b of web1, paths /tmp/check_restic_fixture/srv/www, tags weekly\n");
	free(out);
}

static void test_evaluate__age_thresholds(void **state)
{
	struct check_restic_config cfg = { 0 };
	enum msp_state st;
	char *out;

	/* db1's newest is 2026-11-27T02:30Z: 27.5 h before NOW */
	configure(&cfg, NULL);
	out = eval_fixture(&cfg, "snapshots_host_db1.json", NOW, &st);
	assert_int_equal(st, MSP_STATE_WARNING);
	assert_non_null(strstr(out, "RESTIC WARNING - newest snapshot 1d 3h ago (db1, 2026-11-27 02:30 +0000), "
				    "2 snapshots | age=99000s;93600;180000;0 snapshots=2;;;0\n"));
	free(out);
	configure(&cfg, MSP_ARGS("-w", "1h", "-c", "27h"));
	free(eval_fixture(&cfg, "snapshots_host_db1.json", NOW, &st));
	assert_int_equal(st, MSP_STATE_CRITICAL);
	configure(&cfg, MSP_ARGS("-w", "28h", "-c", "2d"));
	free(eval_fixture(&cfg, "snapshots_host_db1.json", NOW, &st));
	assert_int_equal(st, MSP_STATE_OK);
	/* the limit itself is not an alert */
	configure(&cfg, MSP_ARGS("-w", "99000", "-c", "2d"));
	free(eval_fixture(&cfg, "snapshots_host_db1.json", NOW, &st));
	assert_int_equal(st, MSP_STATE_OK);
	/* a range: too recent is an alert as well */
	configure(&cfg, MSP_ARGS("-w", "28h:30h", "-c", "2d"));
	free(eval_fixture(&cfg, "snapshots_host_db1.json", NOW, &st));
	assert_int_equal(st, MSP_STATE_WARNING);
}

static void test_evaluate__time_zone_of_this_host_changes_only_the_display(void **state)
{
	struct check_restic_config cfg = { 0 };
	const char *zones[] = { "Pacific/Auckland", "America/Los_Angeles", "Asia/Kolkata", "UTC" };
	const char *shown[] = { "2026-11-27 15:30 +1300", "2026-11-26 18:30 -0800", "2026-11-27 08:00 +0530",
				"2026-11-27 02:30 +0000" };
	enum msp_state st;

	configure(&cfg, NULL);
	for (size_t i = 0; i < 4; i++) {
		char *out;

		set_tz(zones[i]);
		out = eval_fixture(&cfg, "snapshots_host_db1.json", NOW, &st);
		assert_int_equal(st, MSP_STATE_WARNING);
		assert_non_null(strstr(out, "newest snapshot 1d 3h ago (db1, "));
		assert_non_null(strstr(out, shown[i]));
		assert_non_null(strstr(out, "| age=99000s;93600;180000;0 snapshots=2;;;0\n"));
		free(out);
	}
	set_tz("UTC");
}

static void test_evaluate__future_snapshot_is_a_warning(void **state)
{
	struct check_restic_config cfg = { 0 };
	enum msp_state st;
	char *out;

	configure(&cfg, NULL);
	out = eval_fixture(&cfg, "snapshots_future.json", NOW, &st);
	assert_int_equal(st, MSP_STATE_WARNING);
	assert_non_null(strstr(out, "RESTIC WARNING - newest snapshot "));
	assert_non_null(strstr(out, " in the future (clock problem?) (clockskew, 2099-01-01 00:00 +0000)"));
	assert_non_null(strstr(out, "| age=0s;93600;180000;0 snapshots=1;;;0\n"));
	free(out);
	/* within --max-future it is small skew: age 0, OK */
	configure(&cfg, MSP_ARGS("--max-future", "30000w"));
	free(eval_fixture(&cfg, "snapshots_future.json", NOW, &st));
	assert_int_equal(st, MSP_STATE_OK);
	check_restic_config_release(&cfg);
}

static void test_evaluate__empty_repository_is_critical(void **state)
{
	struct check_restic_config cfg = { 0 };
	enum msp_state st;
	char *out;

	configure(&cfg, NULL);
	out = eval_fixture(&cfg, "snapshots_empty_repo.json", NOW, &st);
	assert_int_equal(st, MSP_STATE_CRITICAL);
	assert_string_equal(out, "RESTIC CRITICAL - no snapshots in the repository | snapshots=0;;;0\n");
	free(out);
}

static void test_evaluate__no_match_is_critical_naming_the_filters(void **state)
{
	struct check_restic_config cfg = { 0 };
	enum msp_state st;
	char *out;

	configure(&cfg, MSP_ARGS("--host", "typo", "--path", "/srv/www", "--tag", "daily,db", "--tag", "weekly"));
	out = eval_fixture(&cfg, "snapshots_no_match.json", NOW, &st);
	assert_int_equal(st, MSP_STATE_CRITICAL);
	assert_string_equal(out,
			    "RESTIC CRITICAL - no snapshot matches --host 'typo' --path '/srv/www' --tag 'daily,db' "
			    "--tag 'weekly' | snapshots=0;;;0\n");
	free(out);
	configure(&cfg, MSP_ARGS("--host", "typo", "-g", "host"));
	out = eval_fixture(&cfg, "snapshots_no_match.json", NOW, &st);
	assert_int_equal(st, MSP_STATE_CRITICAL);
	assert_string_equal(out, "RESTIC CRITICAL - no snapshot matches --host 'typo' | groups=0;;;0\n");
	free(out);
	check_restic_config_release(&cfg);
}

static void test_evaluate__min_snapshots(void **state)
{
	struct check_restic_config cfg = { 0 };
	enum msp_state st;
	char *out;

	configure(&cfg, MSP_ARGS("-w", "2d", "-c", "3d", "--min-snapshots", "3"));
	out = eval_fixture(&cfg, "snapshots_host_db1.json", NOW, &st);
	assert_int_equal(st, MSP_STATE_CRITICAL);
	assert_non_null(strstr(out, "2 snapshots, fewer than 3 | age=99000s;172800;259200;0 snapshots=2;;3:;0\n"));
	free(out);
	configure(&cfg, MSP_ARGS("-w", "2d", "-c", "3d", "--min-snapshots", "2"));
	free(eval_fixture(&cfg, "snapshots_host_db1.json", NOW, &st));
	assert_int_equal(st, MSP_STATE_OK);
}

static void test_evaluate__groups_each_judged_worst_first(void **state)
{
	struct check_restic_config cfg = { 0 };
	enum msp_state st;
	char *out;

	/* web1's newest 1 h ago, db1's 27.5 h ago */
	configure(&cfg, MSP_ARGS("--group-by", "host"));
	out = eval_fixture(&cfg, "snapshots_group_by_host.json", NOW, &st);
	assert_int_equal(st, MSP_STATE_WARNING);
	assert_string_equal(out,
			    "RESTIC WARNING - db1: newest snapshot 1d 3h ago (db1, 2026-11-27 02:30 +0000), "
			    "2 snapshots; 1 of 2 groups not OK"
			    " | groups=2;;;0 db1_age=99000s;93600;180000;0 db1_snapshots=2;;;0"
			    " web1_age=3580s;93600;180000;0 web1_snapshots=3;;;0\n"
			    "[WARNING] db1: newest snapshot 1d 3h ago (db1, 2026-11-27 02:30 +0000), 2 snapshots\n"
			    "[OK] web1: newest snapshot 59m 40s ago (web1, 2026-11-28 05:00 +0000), 3 snapshots\n");
	free(out);
	configure(&cfg, MSP_ARGS("-w", "2d", "-c", "3d", "-g", "host"));
	out = eval_fixture(&cfg, "snapshots_group_by_host.json", NOW, &st);
	assert_int_equal(st, MSP_STATE_OK);
	assert_non_null(strstr(out, "RESTIC OK - 2 groups OK, stalest db1: newest snapshot 1d 3h ago"));
	free(out);
}

static void test_evaluate__fewer_groups_than_expected_is_critical(void **state)
{
	struct check_restic_config cfg = { 0 };
	enum msp_state st;
	char *out;

	configure(&cfg, MSP_ARGS("-w", "2d", "-c", "3d", "-g", "host", "--expect-groups", "3"));
	out = eval_fixture(&cfg, "snapshots_group_by_host.json", NOW, &st);
	assert_int_equal(st, MSP_STATE_CRITICAL);
	assert_non_null(strstr(out, "RESTIC CRITICAL - only 2 of 3 expected groups; 2 groups OK, stalest db1: "));
	assert_non_null(strstr(out, "| groups=2;;3:;0 "));
	free(out);
	configure(&cfg, MSP_ARGS("-w", "2d", "-c", "3d", "-g", "host", "--expect-groups", "2"));
	free(eval_fixture(&cfg, "snapshots_group_by_host.json", NOW, &st));
	assert_int_equal(st, MSP_STATE_OK);
}

static void test_evaluate__group_min_snapshots_per_group(void **state)
{
	struct check_restic_config cfg = { 0 };
	enum msp_state st;
	char *out;

	configure(&cfg, MSP_ARGS("-w", "30d", "-c", "60d", "--group-by", "host,paths,tags", "--min-snapshots", "2"));
	out = eval_fixture(&cfg, "snapshots_group_by_host_paths_tags.json", NOW, &st);
	assert_int_equal(st, MSP_STATE_CRITICAL);
	assert_non_null(strstr(out, "; 3 of 4 groups not OK"));
	assert_non_null(strstr(out, "[OK] web1:/tmp/check_restic_fixture/srv/www:daily: newest snapshot "));
	assert_non_null(strstr(out, " web1:/tmp/check_restic_fixture/srv/www:daily_snapshots=2;;2:;0"));
	assert_non_null(strstr(out, "[CRITICAL] db1:/tmp/check_restic_fixture/etc: newest snapshot "));
	free(out);
}

static void test_evaluate__restic017_summary_perfdata(void **state)
{
	struct check_restic_config cfg = { 0 };
	enum msp_state st;
	char *out;

	configure(&cfg, NULL);
	out = eval_fixture(&cfg, "snapshots_restic017_summary.json", NOW, &st);
	assert_int_equal(st, MSP_STATE_OK);
	/* 2026-11-27T23:15:01.987654321+01:00 is 22:15:01.99Z */
	assert_non_null(strstr(out, "RESTIC OK - newest snapshot 7h 44m ago (web1, 2026-11-27 22:15 +0000), 2 snapshots"
				    " | age=27898s;93600;180000;0 snapshots=2;;;0 duration=150.5s"
				    " data_added=10485760B files=4036\n"));
	free(out);
}

/* -------------------------------------------------------------- failures */

static char *fail_with(const struct check_restic_config *cfg, int rc, const char *stderr_fixture,
		       enum msp_state *ret_state)
{
	struct msp_result *root = msp_result_new();
	char *err = stderr_fixture ? fixture(stderr_fixture, NULL) : strdup("");
	char *out;

	assert_non_null(root);
	assert_int_equal(check_restic_failure(cfg, NULL, "/srv/restic", rc, err, root), 0);
	*ret_state = msp_result_state(root);
	out = render(root);
	msp_result_free(root);
	free(err);
	return out;
}

static void test_failure__recorded_restic014_messages(void **state)
{
	static const struct {
		const char *file;
		enum msp_state st;
		const char *out;
	} cases[] = {
		{ "stderr_wrong_password.rc1.txt", MSP_STATE_UNKNOWN,
		  "RESTIC UNKNOWN - wrong password for repository '/srv/restic' (no key matches)\n" },
		{ "stderr_missing_repo.rc1.txt", MSP_STATE_CRITICAL,
		  "RESTIC CRITICAL - repository '/srv/restic' does not exist or cannot be reached\n" },
		{ "stderr_no_password.rc1.txt", MSP_STATE_UNKNOWN,
		  "RESTIC UNKNOWN - the password for repository '/srv/restic' is empty\n" },
		{ "stderr_password_file_missing.rc1.txt", MSP_STATE_UNKNOWN,
		  "RESTIC UNKNOWN - cannot get the password: Resolving password failed: Fatal: "
		  "/tmp/check_restic_fixture/no-such-file does not exist\n" },
	};
	struct check_restic_config cfg = { 0 };
	enum msp_state st;

	configure(&cfg, NULL);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *out = fail_with(&cfg, 1, cases[i].file, &st);

		assert_int_equal(st, cases[i].st);
		assert_string_equal(out, cases[i].out);
		free(out);
	}
}

static void test_failure__locked_uses_lock_state(void **state)
{
	struct check_restic_config cfg = { 0 };
	enum msp_state st;
	char *out;

	configure(&cfg, NULL);
	out = fail_with(&cfg, 1, "stderr_locked.rc1.txt", &st);
	assert_int_equal(st, MSP_STATE_WARNING);
	assert_string_equal(
		out, "RESTIC WARNING - repository '/srv/restic' is locked exclusively by PID 4555 on vm by root\n");
	free(out);
	configure(&cfg, MSP_ARGS("--lock-state", "critical"));
	free(fail_with(&cfg, 1, "stderr_locked.rc1.txt", &st));
	assert_int_equal(st, MSP_STATE_CRITICAL);
	configure(&cfg, MSP_ARGS("--lock-state", "OK"));
	free(fail_with(&cfg, 1, "stderr_locked.rc1.txt", &st));
	assert_int_equal(st, MSP_STATE_OK);
}

static void test_failure__restic017_exit_codes(void **state)
{
	struct check_restic_config cfg = { 0 };
	enum msp_state st;
	char *out;

	configure(&cfg, NULL);
	out = fail_with(&cfg, 10, NULL, &st);
	assert_int_equal(st, MSP_STATE_CRITICAL);
	assert_non_null(strstr(out, "does not exist"));
	free(out);
	out = fail_with(&cfg, 11, NULL, &st);
	assert_int_equal(st, MSP_STATE_WARNING);
	assert_string_equal(out, "RESTIC WARNING - repository '/srv/restic' is locked by another restic process\n");
	free(out);
	out = fail_with(&cfg, 12, NULL, &st);
	assert_int_equal(st, MSP_STATE_UNKNOWN);
	assert_non_null(strstr(out, "wrong password"));
	free(out);
	/* an exit code nobody knows is a failure, never OK */
	out = fail_with(&cfg, 42, NULL, &st);
	assert_int_equal(st, MSP_STATE_UNKNOWN);
	assert_string_equal(out, "RESTIC UNKNOWN - restic snapshots failed (exit 42)\n");
	free(out);
}

static void test_failure__other_errors_quote_the_fatal_line(void **state)
{
	struct check_restic_config cfg = { 0 };
	struct msp_result *root = msp_result_new();
	char *out;

	configure(&cfg, NULL);
	assert_int_equal(check_restic_failure(&cfg, NULL, NULL, 1,
					      "some noise\nFatal: unable to open repository at "
					      "rest:https://backup:s3cret@example.org/r: connection refused\n",
					      root),
			 0);
	assert_int_equal(msp_result_state(root), MSP_STATE_UNKNOWN);
	out = render(root);
	assert_string_equal(out, "RESTIC UNKNOWN - restic snapshots failed (exit 1): Fatal: unable to open repository "
				 "at rest:https://backup:***@example.org/r: connection refused\n");
	free(out);
	msp_result_free(root);
	root = msp_result_new();
	assert_int_equal(check_restic_failure(&cfg, NULL, "r", 1, "sudo: a password is required\n", root), 0);
	out = render(root);
	assert_string_equal(out, "RESTIC UNKNOWN - cannot run restic through sudo: sudo: a password is required\n");
	free(out);
	msp_result_free(root);
	/* no Fatal: line: the first meaningful line, past blank lines and colour codes */
	root = msp_result_new();
	assert_int_equal(check_restic_failure(&cfg, NULL, "r", 1, "\n\n\033[31mpanic: runtime error\033[0m\n", root),
			 0);
	out = render(root);
	assert_string_equal(out, "RESTIC UNKNOWN - restic snapshots failed (exit 1): panic: runtime error\n");
	free(out);
	msp_result_free(root);
}

/* restic >= 0.17 with --json: the exit_error line (written from the documented format, see the fixture README). */
static void test_failure__restic017_exit_error_json_message(void **state)
{
	struct check_restic_config cfg = { 0 };
	struct msp_result *root;
	char *out;

	configure(&cfg, NULL);
	root = msp_result_new();
	assert_int_equal(
		check_restic_failure(&cfg, NULL, "/srv/r", 1,
				     "{\"message_type\":\"exit_error\",\"code\":1,\"message\":\"Fatal: unable to "
				     "open repository at rest:https://u:pw@h/r: 500 Internal Server Error\"}\n",
				     root),
		0);
	out = render(root);
	assert_string_equal(out,
			    "RESTIC UNKNOWN - restic snapshots failed (exit 1): Fatal: unable to open repository at "
			    "rest:https://u:***@h/r: 500 Internal Server Error\n");
	free(out);
	msp_result_free(root);
	root = msp_result_new();
	assert_int_equal(check_restic_failure(&cfg, NULL, "/srv/r", 1,
					      "{\"message_type\":\"exit_error\",\"code\":1,\"message\":\"Resolving "
					      "password failed: exit status 1\"}\n",
					      root),
			 0);
	out = render(root);
	assert_string_equal(out,
			    "RESTIC UNKNOWN - cannot get the password: Resolving password failed: exit status 1\n");
	free(out);
	msp_result_free(root);
	root = msp_result_new();
	assert_int_equal(check_restic_failure(
				 &cfg, NULL, "/srv/r", 10,
				 "{\"message_type\":\"exit_error\",\"code\":10,\"message\":\"Fatal: repository "
				 "does not exist: unable to open config file\\nIs there a repository at the following "
				 "location?\\n/srv/r\"}\n",
				 root),
			 0);
	assert_int_equal(msp_result_state(root), MSP_STATE_CRITICAL);
	msp_result_free(root);
}

/* ------------------------------------------------- restic is not trusted */

static void test_parse__snapshot_of_another_host_is_rejected(void **state)
{
	struct check_restic_config cfg = { 0 };
	char msg[MSP_ERROR_MAX], *text = fixture("snapshots_all.json", NULL);

	/* a wrapper that ignores --host returns everything */
	configure(&cfg, MSP_ARGS("--host", "db1"));
	assert_int_equal(parse_text_cfg(&cfg, text, msg, sizeof(msg)), MSP_EINVAL);
	assert_string_equal(msg, "restic returned a snapshot of host 'web1' although --host 'db1' was asked");
	configure(&cfg, MSP_ARGS("--host", "db1", "-H", "db2"));
	assert_int_equal(parse_text_cfg(&cfg, text, msg, sizeof(msg)), MSP_EINVAL);
	assert_string_equal(msg, "restic returned a snapshot of host 'web1' although --host 'db1' or 'db2' was asked");
	/* several --host: any of them */
	configure(&cfg, MSP_ARGS("--host", "db1", "-H", "db2", "--host", "web1"));
	assert_int_equal(parse_text_cfg(&cfg, text, msg, sizeof(msg)), 0);
	/* host names are compared exactly, as restic does */
	configure(&cfg, MSP_ARGS("--host", "WEB1", "--host", "db1"));
	assert_int_equal(parse_text_cfg(&cfg, text, msg, sizeof(msg)), MSP_EINVAL);
	check_restic_config_release(&cfg);
	free(text);
}

static void test_parse__tags_follow_restics_rules(void **state)
{
	static const struct {
		const char *tag[3];
		int rc;
		const char *msg;
	} cases[] = {
		/* one --tag with a list: all of its tags */
		{ { "daily,db" },
		  MSP_EINVAL,
		  "restic returned a snapshot without tags although --tag 'daily,db' was asked" },
		{ { "daily,weekly", "," },
		  MSP_EINVAL,
		  "restic returned a snapshot with tags 'daily,db' although --tag 'daily,weekly' or ',' was asked" },
		/* several --tag: any of them; tags are trimmed; an empty tag matches a snapshot without tags */
		{ { " daily , db", "," }, 0, "" },
		{ { "db", " ," }, 0, "" },
		{ { "db", ",daily" }, 0, "" },
		/* restic stops at an empty tag only for a snapshot without tags */
		{ { ",daily" },
		  MSP_EINVAL,
		  "restic returned a snapshot with tags 'daily,db' although --tag ',daily' was asked" },
		{ { "db,", ",x" },
		  MSP_EINVAL,
		  "restic returned a snapshot with tags 'daily,db' although --tag 'db,' or ',x' was asked" },
	};
	char msg[MSP_ERROR_MAX], *text = fixture("snapshots_host_db1.json", NULL);

	/* c97b0f77 has no tags, 4758fa9b has daily and db */
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct check_restic_config cfg = { 0 };
		const char *args[7] = { NULL };

		for (size_t k = 0; k < 3 && cases[i].tag[k]; k++) {
			args[2 * k] = "--tag";
			args[2 * k + 1] = cases[i].tag[k];
		}
		configure(&cfg, args);
		if (parse_text_cfg(&cfg, text, msg, sizeof(msg)) != cases[i].rc || strcmp(msg, cases[i].msg) != 0)
			fail_msg("case %zu: '%s', want %d '%s'", i, msg, cases[i].rc, cases[i].msg);
		check_restic_config_release(&cfg);
	}
	free(text);
}

static void test_parse__paths_must_all_be_in_the_snapshot(void **state)
{
	struct check_restic_config cfg = { 0 };
	char msg[MSP_ERROR_MAX], *text = fixture("snapshots_host_db1.json", NULL);

	configure(&cfg, MSP_ARGS("--path", "/tmp/check_restic_fixture/srv/db"));
	assert_int_equal(parse_text_cfg(&cfg, text, msg, sizeof(msg)), MSP_EINVAL);
	assert_string_equal(msg, "restic returned a snapshot of paths '/tmp/check_restic_fixture/etc' although "
				 "--path '/tmp/check_restic_fixture/srv/db' was asked");
	free(text);
	/* compared exactly: restic does not clean a trailing slash either */
	text = fixture("snapshots_group_by_host.json", NULL);
	configure(&cfg, MSP_ARGS("--path", "/tmp/check_restic_fixture/etc/"));
	assert_int_equal(parse_text_cfg(&cfg, text, msg, sizeof(msg)), MSP_EINVAL);
	assert_string_equal(msg, "restic returned a snapshot of paths '/tmp/check_restic_fixture/etc' although "
				 "--path '/tmp/check_restic_fixture/etc/' was asked");
	check_restic_config_release(&cfg);
	free(text);
}

static void test_parse__group_key_must_match_its_snapshots(void **state)
{
	struct check_restic_config cfg = { 0 };
	char msg[MSP_ERROR_MAX], *text = fixture("snapshots_group_by_host_mixed.json", NULL);

	configure(&cfg, MSP_ARGS("-g", "host"));
	assert_int_equal(parse_text_cfg(&cfg, text, msg, sizeof(msg)), MSP_EINVAL);
	assert_string_equal(msg, "restic put a snapshot of host 'web1' into the group of host 'db1'");
	free(text);
	assert_int_equal(parse_text("[{\"group_key\":{\"hostname\":\"a\"},\"snapshots\":[]}]", msg, sizeof(msg)),
			 MSP_EINVAL);
	assert_string_equal(msg, "restic returned a group without snapshots");
}

static void test_parse__plain_output_is_grouped_here(void **state)
{
	struct check_restic_config cfg = { 0 };
	struct check_restic_sample s = { 0 };

	/* a wrapper that ignores --group-by host */
	configure(&cfg, MSP_ARGS("--group-by", "host"));
	parse_fixture_cfg(&cfg, "snapshots_all.json", &s);
	assert_true(s.grouped);
	assert_int_equal(s.ngroup, 2);
	assert_int_equal(find_group(&s, "db1")->nsnap, 2);
	assert_string_equal(find_group(&s, "db1")->newest.short_id, "4758fa9b");
	assert_int_equal(find_group(&s, "web1")->nsnap, 3);
	check_restic_sample_release(&s);
	/* grouped output without --group-by is one group */
	configure(&cfg, NULL);
	parse_fixture_cfg(&cfg, "snapshots_group_by_host.json", &s);
	assert_false(s.grouped);
	assert_int_equal(s.ngroup, 1);
	assert_int_equal(s.group[0].nsnap, 5);
	assert_string_equal(s.group[0].newest.short_id, "f00e087b");
	check_restic_sample_release(&s);
}

static void test_evaluate__expect_groups_whatever_the_output_shape(void **state)
{
	static const char twice[] =
		"[{\"group_key\":{\"hostname\":\"a\",\"paths\":null,\"tags\":null},\"snapshots\":[{\"time\":"
		"\"2026-11-28T05:00:00Z\",\"hostname\":\"a\",\"paths\":[\"/x\"],\"short_id\":\"11111111\"}]},"
		"{\"group_key\":{\"hostname\":\"a\",\"paths\":null,\"tags\":null},\"snapshots\":[{\"time\":"
		"\"2026-11-28T04:00:00Z\",\"hostname\":\"a\",\"paths\":[\"/x\"],\"short_id\":\"22222222\"}]}]";
	struct check_restic_config cfg = { 0 };
	struct check_restic_sample s = { 0 };
	struct msp_result *root;
	struct msp_error err;
	enum msp_state st;
	char *out;

	configure(&cfg, MSP_ARGS("-w", "30d", "-c", "60d", "-g", "host", "--expect-groups", "3"));
	/* plain output from a wrapper: 2 hosts, not 3 */
	out = eval_fixture(&cfg, "snapshots_all.json", NOW, &st);
	assert_int_equal(st, MSP_STATE_CRITICAL);
	assert_non_null(strstr(out, "RESTIC CRITICAL - only 2 of 3 expected groups; 2 groups OK, stalest db1: "));
	free(out);
	/* the same group listed twice counts once */
	configure(&cfg, MSP_ARGS("-w", "30d", "-c", "60d", "-g", "host", "--expect-groups", "2"));
	msp_error_init(&err);
	assert_int_equal(check_restic_parse(&cfg, twice, strlen(twice), &s, &err), 0);
	assert_int_equal(s.ngroup, 1);
	assert_int_equal(s.group[0].nsnap, 2);
	root = msp_result_new();
	assert_int_equal(check_restic_evaluate(&cfg, &s, NOW, root), 0);
	assert_int_equal(msp_result_state(root), MSP_STATE_CRITICAL);
	msp_result_free(root);
	check_restic_sample_release(&s);
}

static void test_parse__a_snapshot_listed_twice_is_rejected(void **state)
{
	/* it would count twice towards --min-snapshots */
	static const char twice[] = "[{\"time\":\"2026-11-28T05:00:00Z\",\"hostname\":\"a\",\"id\":\"aaaa1111bbbb\"},"
				    "{\"time\":\"2026-11-27T05:00:00Z\",\"hostname\":\"a\",\"id\":\"cccc2222dddd\"},"
				    "{\"time\":\"2026-11-28T05:00:00Z\",\"hostname\":\"a\",\"id\":\"aaaa1111bbbb\"}]";
	char msg[MSP_ERROR_MAX];

	assert_int_equal(parse_text(twice, msg, sizeof(msg)), MSP_EINVAL);
	assert_string_equal(msg, "restic returned snapshot 'aaaa1111' more than once");
}

/* ------------------------------------------------------------- secrets */

static void test_secrets__password_file_env_and_url(void **state)
{
	struct check_restic_config cfg = { 0 };
	struct msp_redact r;
	char path[] = "/tmp/test_check_restic.XXXXXX";
	int fd = mkstemp(path);
	char *red;

	assert_true(fd >= 0);
	assert_int_equal(write(fd, "  pw from file\n\n", 16), 16);
	close(fd);
	setenv("RESTIC_PASSWORD", "pw-from-env", 1);
	msp_test_configure_ok(msp_test_plugin, &cfg, sizeof(cfg),
			      MSP_ARGS("-r", "rest:http://user:p@ss/w@127.0.0.1:8000/repo", "-p", path));
	msp_redact_init(&r);
	assert_int_equal(check_restic_secrets(&cfg, &r), 0);
	red = msp_redact_dup(&r, "Fatal: pw from file pw-from-env p@ss/w user:p@ss/w@127.0.0.1");
	assert_string_equal(red, "Fatal: *** *** *** user:***@127.0.0.1");
	free(red);
	msp_redact_release(&r);
	/* a file we cannot read adds nothing and is no error */
	unsetenv("RESTIC_PASSWORD");
	unlink(path);
	msp_test_configure_ok(msp_test_plugin, &cfg, sizeof(cfg), MSP_ARGS("--repository-file", path, "-p", path));
	assert_null(cfg.repo);
	msp_redact_init(&r);
	assert_int_equal(check_restic_secrets(&cfg, &r), 0);
	assert_int_equal(r.n, 0);
	msp_redact_release(&r);
}

/* --------------------------------------------------------------- options */

static void test_options__group_by_is_normalised(void **state)
{
	static const char *const spelled[][2] = {
		{ "tags,host", "host,tags" },
		{ "paths", "paths" },
		{ "hosts,path,tag", "host,paths,tags" },
		{ "", "" }, /* '' from a command file: not grouped */
	};
	struct check_restic_config cfg = { 0 };

	(void)state;
	for (size_t i = 0; i < sizeof(spelled) / sizeof(spelled[0]); i++) {
		configure(&cfg, MSP_ARGS("--group-by", spelled[i][0]));
		assert_string_equal(cfg.group_by, spelled[i][1]);
	}
	check_restic_config_release(&cfg);
}

static void test_options__counts_lists_and_states(void **state)
{
	struct check_restic_config cfg = { 0 };

	(void)state;
	configure(&cfg, MSP_ARGS("-g", "host", "--expect-groups", "4", "--min-snapshots", "3", "--lock-state",
				 "critical", "--pass-env", "AWS_ACCESS_KEY_ID", "--pass-env", "AWS_SECRET_ACCESS_KEY",
				 "--host", "a", "-H", "b", "--tag", "", "--path", "/srv"));
	assert_int_equal(cfg.expect_groups, 4);
	assert_int_equal(cfg.min_snapshots, 3);
	assert_int_equal(cfg.lock_state, MSP_STATE_CRITICAL);
	assert_int_equal(cfg.pass_env.count, 2);
	assert_string_equal(cfg.pass_env.items[1], "AWS_SECRET_ACCESS_KEY");
	assert_int_equal(cfg.host.count, 2);
	assert_string_equal(cfg.host.items[0], "a");
	assert_string_equal(cfg.host.items[1], "b");
	/* '' from a command file is "not given" */
	assert_int_equal(cfg.tag.count, 0);
	assert_int_equal(cfg.path.count, 1);
	check_restic_config_release(&cfg);
}

/* Usage errors through the runner's parse and finish, each with its message (no restic runs). */
static const struct msp_test_case usage_errors[] = {
	{ { "-r", "a", "-p", "b", "--group-by", "host,user" },
	  MSP_STATE_UNKNOWN,
	  "^RESTIC UNKNOWN - cannot parse --group-by 'host,user': want host, paths and/or tags$" },
	{ { "-r", "a", "-p", "b", "--expect-groups", "four" },
	  MSP_STATE_UNKNOWN,
	  "^RESTIC UNKNOWN - --expect-groups 'four' is not a whole number from 0 to 1000000$" },
	{ { "-r", "a", "-p", "b", "--min-snapshots", "-1" },
	  MSP_STATE_UNKNOWN,
	  "^RESTIC UNKNOWN - --min-snapshots '-1' is not a whole number from 0 to 1000000$" },
	{ { "-r", "a", "-p", "b", "--lock-state", "bad" },
	  MSP_STATE_UNKNOWN,
	  "^RESTIC UNKNOWN - --lock-state 'bad' is not OK, WARNING, CRITICAL or UNKNOWN$" },
	{ { "-r", "a", "-p", "b", "--pass-env", "X=1" },
	  MSP_STATE_UNKNOWN,
	  "^RESTIC UNKNOWN - cannot pass 'X=1': give a variable name \\(RESTIC_\\* are passed already\\)$" },
	{ { "-r", "a", "-p", "b", "--pass-env", "HOME", "--pass-env", "RESTIC_PASSWORD" },
	  MSP_STATE_UNKNOWN,
	  "^RESTIC UNKNOWN - cannot pass 'RESTIC_PASSWORD': give a variable name" },
	{ { "-r", "a", "-p", "b", "stray" }, MSP_STATE_UNKNOWN, "^RESTIC UNKNOWN - unexpected argument 'stray'$" },
	{ { "-r", "a", "-p", "b", "--expect-groups", "2" },
	  MSP_STATE_UNKNOWN,
	  "^RESTIC UNKNOWN - --expect-groups needs --group-by$" },
	{ { "-r", "a", "--password-file", "/etc/pw", "--password-command", "cat /etc/pw" },
	  MSP_STATE_UNKNOWN,
	  "^RESTIC UNKNOWN - give --password-file or --password-command, not both$" },
	{ { "-r", "a", "--repository-file", "b", "-p", "c" },
	  MSP_STATE_UNKNOWN,
	  "^RESTIC UNKNOWN - give -r or --repository-file, not both$" },
	{ { "--repository", "a", "-p", "b", "-w", "10:5" },
	  MSP_STATE_UNKNOWN,
	  "^RESTIC UNKNOWN - cannot parse range '10:5': range start is above end$" },
	{ { "-r", "a", "-p", "b", "-w", "3d", "-c", "1d" },
	  MSP_STATE_UNKNOWN,
	  "^RESTIC UNKNOWN - warning age '3d' is above critical age '1d': .* \\(swap the two\\)$" },
	{ { "-r", "a", "-p", "b", "--max-future", "soon" },
	  MSP_STATE_UNKNOWN,
	  "^RESTIC UNKNOWN - --max-future 'soon' is not a duration" },
};

static void test_options__usage_errors_name_the_problem(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(usage_errors) / sizeof(usage_errors[0]); i++) {
		struct check_restic_config cfg = { 0 };

		msp_test_cases(msp_test_plugin, &cfg, sizeof(cfg), &usage_errors[i], 1);
		check_restic_config_release(&cfg); /* what the row's lists left */
	}
}

/* Without RESTIC_* in the environment. */
static void unset_restic_env(void)
{
	static const char *const names[] = { "RESTIC_REPOSITORY",    "RESTIC_REPOSITORY_FILE",  "RESTIC_PASSWORD",
					     "RESTIC_PASSWORD_FILE", "RESTIC_PASSWORD_COMMAND", "RESTIC_CACHE_DIR" };

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		unsetenv(names[i]);
}

/* Configure with args alone (no -r/-p added): 0 or the error, its message in msg. */
static int configure_plain(struct check_restic_config *cfg, const char *const *args, char *msg)
{
	struct msp_error err;
	int r;

	r = msp_test_configure(msp_test_plugin, cfg, sizeof(*cfg), args, &err);
	snprintf(msg, MSP_ERROR_MAX, "%s", err.msg);
	check_restic_config_release(cfg);
	return r;
}

static void test_finish__needs_repository_and_password(void **state)
{
	struct check_restic_config cfg = { 0 };
	char msg[MSP_ERROR_MAX];

	(void)state;
	unset_restic_env();
	assert_int_equal(configure_plain(&cfg, MSP_ARGS(NULL), msg), MSP_EINVAL);
	assert_string_equal(msg, "no repository: give -r REPO or --repository-file FILE, or set RESTIC_REPOSITORY");
	setenv("RESTIC_REPOSITORY", "/srv/restic", 1);
	assert_int_equal(configure_plain(&cfg, MSP_ARGS(NULL), msg), MSP_EINVAL);
	assert_string_equal(msg,
			    "no password: give --password-file or --password-command, or set RESTIC_PASSWORD_FILE");
	setenv("RESTIC_PASSWORD", "secret", 1);
	assert_int_equal(configure_plain(&cfg, MSP_ARGS(NULL), msg), 0);
	assert_string_equal(cfg.repo, "/srv/restic");
	assert_true(cfg.password_env);
	assert_string_equal(cfg.restic_bin, "restic");
	assert_false(cfg.restic_bin_given);
	assert_int_equal(cfg.min_snapshots, 1);
	assert_int_equal(cfg.lock_state, MSP_STATE_WARNING);
	assert_true(cfg.age.thr.has_warn && cfg.age.thr.warn.end == 93600.0);
	assert_true(cfg.age.thr.has_crit && cfg.age.thr.crit.end == 180000.0);
	assert_true(cfg.age.max_future == 300.0);
	assert_null(cfg.cache_dir);
	/* options win over the environment */
	setenv("RESTIC_CACHE_DIR", "/var/cache/restic", 1);
	assert_int_equal(configure_plain(&cfg, MSP_ARGS("-p", "/etc/pw", "-r", "/srv/other"), msg), 0);
	assert_false(cfg.password_env);
	assert_string_equal(cfg.repo, "/srv/other");
	assert_string_equal(cfg.cache_dir, "/var/cache/restic");
	/* -c alone keeps the default warning (the age rule compares only what was given) */
	assert_int_equal(configure_plain(&cfg, MSP_ARGS("-c", "12h", "-w", ""), msg), 0);
	assert_true(cfg.age.thr.warn.end == 93600.0 && cfg.age.thr.crit.end == 43200.0);
	unset_restic_env();
	/* a wrapper script may bring its own repository and password */
	assert_int_equal(configure_plain(&cfg, MSP_ARGS("--restic-bin", "/usr/local/bin/restic-wrapper"), msg), 0);
	assert_string_equal(cfg.restic_bin, "/usr/local/bin/restic-wrapper");
	assert_true(cfg.restic_bin_given);
	assert_null(cfg.repo);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse__plain_list_keeps_count_and_newest),
		cmocka_unit_test(test_parse__offsets_decide_which_is_newest),
		cmocka_unit_test(test_parse__fractionless_time_with_positive_offset),
		cmocka_unit_test(test_parse__group_by_host_paths_tags_names),
		cmocka_unit_test(test_parse__group_by_host_only),
		cmocka_unit_test(test_parse__empty_list_is_an_empty_sample),
		cmocka_unit_test(test_parse__restic017_summary),
		cmocka_unit_test(test_parse__unparseable_output_is_an_error),
		cmocka_unit_test(test_evaluate__fresh_snapshot_is_ok),
		cmocka_unit_test(test_evaluate__age_thresholds),
		cmocka_unit_test(test_evaluate__time_zone_of_this_host_changes_only_the_display),
		cmocka_unit_test(test_evaluate__future_snapshot_is_a_warning),
		cmocka_unit_test(test_evaluate__empty_repository_is_critical),
		cmocka_unit_test(test_evaluate__no_match_is_critical_naming_the_filters),
		cmocka_unit_test(test_evaluate__min_snapshots),
		cmocka_unit_test(test_evaluate__groups_each_judged_worst_first),
		cmocka_unit_test(test_evaluate__fewer_groups_than_expected_is_critical),
		cmocka_unit_test(test_evaluate__group_min_snapshots_per_group),
		cmocka_unit_test(test_evaluate__restic017_summary_perfdata),
		cmocka_unit_test(test_failure__recorded_restic014_messages),
		cmocka_unit_test(test_failure__locked_uses_lock_state),
		cmocka_unit_test(test_failure__restic017_exit_codes),
		cmocka_unit_test(test_failure__other_errors_quote_the_fatal_line),
		cmocka_unit_test(test_failure__restic017_exit_error_json_message),
		cmocka_unit_test(test_parse__snapshot_of_another_host_is_rejected),
		cmocka_unit_test(test_parse__tags_follow_restics_rules),
		cmocka_unit_test(test_parse__paths_must_all_be_in_the_snapshot),
		cmocka_unit_test(test_parse__group_key_must_match_its_snapshots),
		cmocka_unit_test(test_parse__plain_output_is_grouped_here),
		cmocka_unit_test(test_evaluate__expect_groups_whatever_the_output_shape),
		cmocka_unit_test(test_parse__a_snapshot_listed_twice_is_rejected),
		cmocka_unit_test(test_secrets__password_file_env_and_url),
		cmocka_unit_test(test_options__group_by_is_normalised),
		cmocka_unit_test(test_options__counts_lists_and_states),
		cmocka_unit_test(test_options__usage_errors_name_the_problem),
		cmocka_unit_test(test_finish__needs_repository_and_password),
	};

	tz_utc(NULL);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
