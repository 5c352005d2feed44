/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test_check_file_age.c - thresholds, states, summaries and perfdata of
 * check_file_age on made-up samples (a sample is only paths, times and
 * sizes, so there is nothing to record; the probe is covered by the CLI
 * and differential tests).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "check_file_age.h"
#include "msp_test.h"

#define NOW ((int64_t)1700000000)

/* Configure cfg with -f /srv/f and -w -c -W -C (NULL = not given) through the plugin's parser. */
static void setup_cfg(struct check_file_age_config *cfg, const char *w, const char *c, const char *ws, const char *cs)
{
	const char *args[12] = { "-f", "/srv/f" };
	const char *const value[] = { w, c, ws, cs }, *const name[] = { "-w", "-c", "-W", "-C" };
	size_t n = 2;

	for (size_t i = 0; i < 4; i++) {
		if (value[i]) {
			args[n++] = name[i];
			args[n++] = value[i];
		}
	}
	msp_test_configure_ok(msp_test_plugin, cfg, sizeof(*cfg), args);
}

/* Render root in the nagios format as the runner does (the reference's line); the caller frees. */
static char *render(struct msp_result *root)
{
	return msp_test_render(msp_test_plugin, root, MSP_FORMAT_NAGIOS);
}

/* Evaluate one file of the given age and size; returns the rendered output, *ret_state the state. */
static char *eval_one(const struct check_file_age_config *cfg, const char *path, int64_t age, int64_t size,
		      enum msp_state *ret_state)
{
	struct check_file_age_sample s = { 0 };
	struct msp_result *root = msp_result_new();
	char *out;

	assert_non_null(root);
	assert_int_equal(check_file_age_sample_add(&s, path, NOW - age, 0, size), 0);
	assert_int_equal(check_file_age_evaluate(cfg, &s, NOW, root), 0);
	*ret_state = msp_result_state(root);
	out = render(root);
	msp_result_free(root);
	check_file_age_sample_release(&s);
	return out;
}

static enum msp_state state_of(const struct check_file_age_config *cfg, int64_t age, int64_t size)
{
	enum msp_state st;

	free(eval_one(cfg, "/srv/f", age, size, &st));
	return st;
}

/* ----------------------------------------------------------- plain mode */

static void test_plain__reference_line(void **state)
{
	struct check_file_age_config cfg;
	enum msp_state st;
	char *out;

	setup_cfg(&cfg, "10", "20", NULL, NULL);
	assert_false(cfg.range_mode);
	out = eval_one(&cfg, "/etc/passwd", 18, 1270, &st);
	assert_int_equal(st, MSP_STATE_WARNING);
	assert_string_equal(out, "FILE_AGE WARNING: /etc/passwd is 18 seconds old and 1270 bytes | "
				 "age=18s;10;20 size=1270B;0;0;0\n");
	free(out);
}

static void test_plain__defaults_240_600(void **state)
{
	struct check_file_age_config cfg;
	enum msp_state st;
	char *out;

	setup_cfg(&cfg, NULL, NULL, NULL, NULL);
	assert_int_equal(state_of(&cfg, 240, 0), MSP_STATE_OK);
	assert_int_equal(state_of(&cfg, 241, 0), MSP_STATE_WARNING);
	assert_int_equal(state_of(&cfg, 600, 0), MSP_STATE_WARNING);
	assert_int_equal(state_of(&cfg, 601, 0), MSP_STATE_CRITICAL);
	out = eval_one(&cfg, "/srv/f", 5, 0, &st);
	assert_non_null(strstr(out, "| age=5s;240;600 size=0B;0;0;0\n"));
	free(out);
}

static void test_plain__age_equal_to_limit_is_not_an_alert(void **state)
{
	struct check_file_age_config cfg;

	setup_cfg(&cfg, "10", "20", NULL, NULL);
	assert_int_equal(state_of(&cfg, 0, 0), MSP_STATE_OK);
	assert_int_equal(state_of(&cfg, 10, 0), MSP_STATE_OK);
	assert_int_equal(state_of(&cfg, 11, 0), MSP_STATE_WARNING);
	assert_int_equal(state_of(&cfg, 20, 0), MSP_STATE_WARNING);
	assert_int_equal(state_of(&cfg, 21, 0), MSP_STATE_CRITICAL);
}

static void test_plain__size_limit_is_a_minimum(void **state)
{
	struct check_file_age_config cfg;
	enum msp_state st;
	char *out;

	setup_cfg(&cfg, NULL, NULL, "100", "50");
	assert_int_equal(state_of(&cfg, 1, 1000000), MSP_STATE_OK);
	assert_int_equal(state_of(&cfg, 1, 100), MSP_STATE_OK);
	assert_int_equal(state_of(&cfg, 1, 99), MSP_STATE_WARNING);
	assert_int_equal(state_of(&cfg, 1, 50), MSP_STATE_WARNING);
	assert_int_equal(state_of(&cfg, 1, 49), MSP_STATE_CRITICAL);
	assert_int_equal(state_of(&cfg, 1, 0), MSP_STATE_CRITICAL);
	/* the perfdata shows the limits as given, like the reference */
	out = eval_one(&cfg, "/srv/f", 1, 70, &st);
	assert_non_null(strstr(out, "| age=1s;240;600 size=70B;100;50;0\n"));
	free(out);
}

static void test_plain__critical_age_beats_warning_size(void **state)
{
	struct check_file_age_config cfg;

	setup_cfg(&cfg, "10", "20", "100", NULL);
	assert_int_equal(state_of(&cfg, 30, 5), MSP_STATE_CRITICAL);
	assert_int_equal(state_of(&cfg, 5, 5), MSP_STATE_WARNING);
}

static void test_plain__units(void **state)
{
	struct check_file_age_config cfg;
	enum msp_state st;
	char *out;

	setup_cfg(&cfg, "15m", "26h", "2KB", "1KiB");
	assert_false(cfg.range_mode);
	assert_int_equal(state_of(&cfg, 900, 5000), MSP_STATE_OK);
	assert_int_equal(state_of(&cfg, 901, 5000), MSP_STATE_WARNING);
	assert_int_equal(state_of(&cfg, 26 * 3600, 5000), MSP_STATE_WARNING);
	assert_int_equal(state_of(&cfg, 26 * 3600 + 1, 5000), MSP_STATE_CRITICAL);
	assert_int_equal(state_of(&cfg, 1, 2000), MSP_STATE_OK);
	assert_int_equal(state_of(&cfg, 1, 1999), MSP_STATE_WARNING);
	assert_int_equal(state_of(&cfg, 1, 1024), MSP_STATE_WARNING);
	assert_int_equal(state_of(&cfg, 1, 1023), MSP_STATE_CRITICAL);
	out = eval_one(&cfg, "/srv/f", 60, 3000, &st);
	assert_non_null(strstr(out, "| age=60s;900;93600 size=3000B;2000;1024;0\n"));
	free(out);
}

static void test_plain__zero_size_limit_never_alerts(void **state)
{
	struct check_file_age_config cfg;

	setup_cfg(&cfg, NULL, NULL, "0", "0");
	assert_false(cfg.range_mode);
	assert_int_equal(state_of(&cfg, 1, 0), MSP_STATE_OK);
}

/* ----------------------------------------------------------- range mode */

static void test_range__one_range_makes_all_ranges(void **state)
{
	struct check_file_age_config cfg;
	enum msp_state st;
	char *out;

	/* the reference: -W 50 is now 0..50, so a 100-byte file is a WARNING */
	setup_cfg(&cfg, "10:400", "1000", "50", NULL);
	assert_true(cfg.range_mode);
	out = eval_one(&cfg, "/srv/f", 300, 100, &st);
	assert_int_equal(st, MSP_STATE_WARNING);
	assert_non_null(strstr(out, "| age=300s;10:400;1000 size=100B;50;0:;0\n"));
	free(out);
	assert_int_equal(state_of(&cfg, 300, 50), MSP_STATE_OK);
	assert_int_equal(state_of(&cfg, 5, 50), MSP_STATE_WARNING); /* below 10 */
	assert_int_equal(state_of(&cfg, 1001, 50), MSP_STATE_CRITICAL);
}

static void test_range__unset_or_zero_size_means_zero_colon(void **state)
{
	struct check_file_age_config cfg;
	enum msp_state st;
	char *out;

	setup_cfg(&cfg, "10:20", NULL, "0", NULL);
	out = eval_one(&cfg, "/srv/f", 15, 12345, &st);
	assert_int_equal(st, MSP_STATE_OK);
	assert_non_null(strstr(out, "| age=15s;10:20;600 size=12345B;0:;0:;0\n"));
	free(out);
	/* "00" is not the reference's false value: it stays the range 0..0 */
	setup_cfg(&cfg, "10:20", NULL, "00", NULL);
	assert_int_equal(state_of(&cfg, 15, 1), MSP_STATE_WARNING);
}

static void test_range__inside_and_decimal(void **state)
{
	struct check_file_age_config cfg;

	setup_cfg(&cfg, "@250:400", NULL, NULL, NULL);
	assert_int_equal(state_of(&cfg, 300, 0), MSP_STATE_WARNING);
	assert_int_equal(state_of(&cfg, 401, 0), MSP_STATE_OK);
	assert_int_equal(state_of(&cfg, 601, 0), MSP_STATE_CRITICAL);
	/* "1.5" is not all digits: the reference switches to ranges */
	setup_cfg(&cfg, "1.5", NULL, NULL, NULL);
	assert_true(cfg.range_mode);
	assert_int_equal(state_of(&cfg, 2, 0), MSP_STATE_WARNING);
}

static void test_range__duration_units(void **state)
{
	struct check_file_age_config cfg;

	setup_cfg(&cfg, "1h:2h", "30m:3h", NULL, NULL);
	assert_int_equal(state_of(&cfg, 3600, 0), MSP_STATE_OK);
	assert_int_equal(state_of(&cfg, 3599, 0), MSP_STATE_WARNING);
	assert_int_equal(state_of(&cfg, 1799, 0), MSP_STATE_CRITICAL);
	assert_int_equal(state_of(&cfg, 7201, 0), MSP_STATE_WARNING);
	assert_int_equal(state_of(&cfg, 10801, 0), MSP_STATE_CRITICAL);
}

static void test_thresholds__errors_leave_cfg_alone(void **state)
{
	static const char *const bad[][4] = {
		{ "10:5", NULL, NULL, NULL }, { "5x", NULL, NULL, NULL },    { NULL, "@", NULL, NULL },
		{ NULL, NULL, "10s", NULL },  { NULL, NULL, NULL, "1:x" },   { "-5", NULL, NULL, NULL },
		{ "nan", NULL, NULL, NULL },  { NULL, "1e400", NULL, NULL },
	};
	struct check_file_age_config cfg;
	struct msp_error err;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memset(&cfg, 0, sizeof(cfg));
		cfg.warn_age = bad[i][0];
		cfg.crit_age = bad[i][1];
		cfg.warn_size = bad[i][2];
		cfg.crit_size = bad[i][3];
		msp_error_init(&err);
		assert_int_equal(check_file_age_thresholds(&cfg, &err), MSP_EINVAL);
		assert_true(err.msg[0] != '\0');
		assert_false(cfg.age.has_warn);
		assert_false(cfg.range_mode);
	}
	msp_error_init(&err);
	cfg.warn_age = "10:5";
	cfg.crit_age = cfg.warn_size = cfg.crit_size = NULL;
	check_file_age_thresholds(&cfg, &err);
	assert_string_equal(err.msg, "cannot parse range '10:5': range start is above end");
}

/* -------------------------------------------------------------- missing */

/* Nothing there, a file or a pattern, whole runs (the real probe): the reference's two answers. */
static void test_missing__critical_and_ignore_missing_ok(void **state)
{
	static const struct {
		const char *args[4];
		enum msp_state state;
		const char *out;
	} rows[] = {
		{ { "-f", "/nonexistent/msp-age" },
		  MSP_STATE_CRITICAL,
		  "FILE_AGE CRITICAL: File not found - /nonexistent/msp-age\n" },
		{ { "-i", "-f", "/nonexistent/msp-age" },
		  MSP_STATE_OK,
		  "FILE_AGE OK: /nonexistent/msp-age doesn't exist, but ignore-missing was set\n" },
		/* a pattern that matches nothing: the reference's words (it takes the pattern for a file name) */
		{ { "-f", "/nonexistent/*.tar" },
		  MSP_STATE_CRITICAL,
		  "FILE_AGE CRITICAL: File not found - /nonexistent/*.tar\n" },
		{ { "-i", "-f", "/nonexistent/*.tar" },
		  MSP_STATE_OK,
		  "FILE_AGE OK: /nonexistent/*.tar doesn't exist, but ignore-missing was set\n" },
	};
	struct check_file_age_config cfg;

	(void)state;
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		enum msp_state st;
		char *out = msp_test_run(msp_test_plugin, &cfg, sizeof(cfg), rows[i].args, MSP_FORMAT_NAGIOS, &st);

		assert_string_equal(out, rows[i].out);
		assert_int_equal(st, rows[i].state);
		free(out);
	}
}

/* ---------------------------------------------------------------- globs */

static char *eval_three(const struct check_file_age_config *cfg, enum msp_state *ret_state)
{
	struct check_file_age_sample s = { .glob = true };
	struct msp_result *root = msp_result_new();
	char *out;

	/* glob order (by name), not age order */
	assert_int_equal(check_file_age_sample_add(&s, "/b/a.tar", NOW - 90000, 0, 500), 0);
	assert_int_equal(check_file_age_sample_add(&s, "/b/b.tar", NOW - 100, 0, 10), 0);
	assert_int_equal(check_file_age_sample_add(&s, "/b/c.tar", NOW - 5000, 0, 700), 0);
	assert_int_equal(check_file_age_evaluate(cfg, &s, NOW, root), 0);
	*ret_state = msp_result_state(root);
	out = render(root);
	msp_result_free(root);
	check_file_age_sample_release(&s);
	return out;
}

static void test_glob__newest_is_judged_by_default(void **state)
{
	struct check_file_age_config cfg;
	enum msp_state st;
	char *out;

	setup_cfg(&cfg, "1h", "1d", NULL, NULL);
	cfg.file = "/b/*.tar";
	out = eval_three(&cfg, &st);
	assert_int_equal(st, MSP_STATE_OK);
	assert_string_equal(out, "FILE_AGE OK: /b/b.tar is 100 seconds old and 10 bytes (newest of 3 files) | "
				 "age=100s;3600;86400 size=10B;0;0;0 files=3;;;0\n"
				 "[OK] /b/b.tar is 100 seconds old and 10 bytes\n"
				 "/b/c.tar is 5000 seconds old and 700 bytes\n"
				 "/b/a.tar is 90000 seconds old and 500 bytes\n");
	free(out);
}

static void test_glob__oldest(void **state)
{
	struct check_file_age_config cfg;
	enum msp_state st;
	char *out;

	setup_cfg(&cfg, "1h", "1d", NULL, NULL);
	cfg.pick = CHECK_FILE_AGE_OLDEST;
	out = eval_three(&cfg, &st);
	assert_int_equal(st, MSP_STATE_CRITICAL);
	assert_string_equal(out, "FILE_AGE CRITICAL: /b/a.tar is 90000 seconds old and 500 bytes (oldest of 3 files) | "
				 "age=90000s;3600;86400 size=500B;0;0;0 files=3;;;0\n"
				 "[CRITICAL] /b/a.tar is 90000 seconds old and 500 bytes\n"
				 "/b/c.tar is 5000 seconds old and 700 bytes\n"
				 "/b/b.tar is 100 seconds old and 10 bytes\n");
	free(out);
}

static void test_glob__size_of_the_judged_file_counts(void **state)
{
	struct check_file_age_config cfg;
	enum msp_state st;

	/* the newest (b.tar, 10 bytes) is below the 100-byte minimum; the others are not judged */
	setup_cfg(&cfg, "1h", "1d", NULL, "100");
	free(eval_three(&cfg, &st));
	assert_int_equal(st, MSP_STATE_CRITICAL);
}

static void test_glob__same_second_picks_by_nanoseconds_then_name(void **state)
{
	struct check_file_age_config cfg;
	struct check_file_age_sample s = { .glob = true };
	struct msp_result *root;

	setup_cfg(&cfg, NULL, NULL, NULL, NULL);
	assert_int_equal(check_file_age_sample_add(&s, "/x/1", NOW - 10, 500, 1), 0);
	assert_int_equal(check_file_age_sample_add(&s, "/x/2", NOW - 10, 900, 2), 0);
	assert_int_equal(check_file_age_sample_add(&s, "/x/3", NOW - 10, 900, 3), 0);
	root = msp_result_new();
	assert_int_equal(check_file_age_evaluate(&cfg, &s, NOW, root), 0);
	assert_string_equal(root->text, "/x/2 is 10 seconds old and 2 bytes (newest of 3 files)");
	msp_result_free(root);
	cfg.pick = CHECK_FILE_AGE_OLDEST;
	root = msp_result_new();
	assert_int_equal(check_file_age_evaluate(&cfg, &s, NOW, root), 0);
	assert_string_equal(root->text, "/x/1 is 10 seconds old and 1 bytes (oldest of 3 files)");
	msp_result_free(root);
	check_file_age_sample_release(&s);
}

static void test_glob__single_match_and_list_cap(void **state)
{
	struct check_file_age_config cfg;
	struct check_file_age_sample s = { .glob = true };
	struct msp_result *root;
	char path[32];

	setup_cfg(&cfg, NULL, NULL, NULL, NULL);
	assert_int_equal(check_file_age_sample_add(&s, "/x/only", NOW - 3, 0, 1), 0);
	root = msp_result_new();
	assert_int_equal(check_file_age_evaluate(&cfg, &s, NOW, root), 0);
	assert_string_equal(root->text, "/x/only is 3 seconds old and 1 bytes (the only match)");
	assert_int_equal(root->nchild, 1);
	msp_result_free(root);
	for (int i = 1; i < 25; i++) {
		snprintf(path, sizeof(path), "/x/f%02d", i);
		assert_int_equal(check_file_age_sample_add(&s, path, NOW - 100 - i, 0, 1), 0);
	}
	root = msp_result_new();
	assert_int_equal(check_file_age_evaluate(&cfg, &s, NOW, root), 0);
	assert_int_equal(root->nchild, CHECK_FILE_AGE_LIST_MAX + 1);
	assert_string_equal(root->child[0]->text, "/x/only is 3 seconds old and 1 bytes");
	assert_string_equal(root->child[CHECK_FILE_AGE_LIST_MAX]->text, "... and 5 more");
	assert_true(strstr(root->text, "(newest of 25 files)") != NULL);
	assert_int_equal(root->nperf, 3);
	assert_string_equal(root->perf[2].label, "files");
	assert_true(root->perf[2].value == 25);
	msp_result_free(root);
	check_file_age_sample_release(&s);
}

/* --------------------------------------------------------------- future */

static void test_future__single_file_keeps_reference_state(void **state)
{
	struct check_file_age_config cfg;
	enum msp_state st;
	char *out;

	setup_cfg(&cfg, NULL, NULL, NULL, NULL);
	out = eval_one(&cfg, "/srv/f", -3600, 4, &st);
	assert_int_equal(st, MSP_STATE_OK);
	assert_string_equal(out, "FILE_AGE OK: /srv/f is -3600 seconds old and 4 bytes (modified in the future) | "
				 "age=-3600s;240;600 size=4B;0;0;0\n");
	free(out);
	/* one second ahead is already the future */
	assert_int_equal(state_of(&cfg, -1, 0), MSP_STATE_OK);
	/* in range mode the reference's default -c 600 means 0..600: a negative age is outside */
	setup_cfg(&cfg, "10:20", NULL, NULL, NULL);
	assert_int_equal(state_of(&cfg, -3600, 0), MSP_STATE_CRITICAL);
}

static void test_future__glob_warns_and_option_overrides(void **state)
{
	struct check_file_age_config cfg;
	struct check_file_age_sample s = { .glob = true };
	struct msp_result *root;

	setup_cfg(&cfg, NULL, NULL, NULL, NULL);
	assert_int_equal(check_file_age_sample_add(&s, "/x/old", NOW - 10, 0, 1), 0);
	assert_int_equal(check_file_age_sample_add(&s, "/x/new", NOW + 60, 0, 1), 0);
	root = msp_result_new();
	assert_int_equal(check_file_age_evaluate(&cfg, &s, NOW, root), 0);
	assert_int_equal(msp_result_state(root), MSP_STATE_WARNING);
	assert_string_equal(root->text,
			    "/x/new is -60 seconds old and 1 bytes (newest of 2 files, modified in the future)");
	msp_result_free(root);

	cfg.has_future_state = true;
	cfg.future_state = MSP_STATE_CRITICAL;
	root = msp_result_new();
	assert_int_equal(check_file_age_evaluate(&cfg, &s, NOW, root), 0);
	assert_int_equal(msp_result_state(root), MSP_STATE_CRITICAL);
	msp_result_free(root);

	/* --future-state=OK: a clock that is ahead is tolerated */
	cfg.future_state = MSP_STATE_OK;
	root = msp_result_new();
	assert_int_equal(check_file_age_evaluate(&cfg, &s, NOW, root), 0);
	assert_int_equal(msp_result_state(root), MSP_STATE_OK);
	msp_result_free(root);

	/* --oldest judges /x/old, which is not in the future */
	cfg.has_future_state = false;
	cfg.pick = CHECK_FILE_AGE_OLDEST;
	root = msp_result_new();
	assert_int_equal(check_file_age_evaluate(&cfg, &s, NOW, root), 0);
	assert_int_equal(msp_result_state(root), MSP_STATE_OK);
	msp_result_free(root);
	check_file_age_sample_release(&s);
}

/* -------------------------------------------------------------- options */

static int configure(struct check_file_age_config *cfg, const char *const *args, struct msp_error *err)
{
	return msp_test_configure(msp_test_plugin, cfg, sizeof(*cfg), args, err);
}

static void test_options__reference_and_itl_arguments(void **state)
{
	struct check_file_age_config cfg;

	(void)state;
	/* what the Icinga 2 ITL file_age command passes */
	msp_test_configure_ok(msp_test_plugin, &cfg, sizeof(cfg),
			      MSP_ARGS("-w", "300", "-c", "900", "-W", "10", "-C", "5", "-i", "-f", "/etc/passwd"));
	assert_true(cfg.ignore_missing);
	assert_string_equal(cfg.file, "/etc/passwd");
	assert_false(cfg.range_mode);
	assert_true(cfg.age.warn.end == 300);
	assert_true(cfg.age.crit.end == 900);
	assert_true(cfg.size.warn.start == 10);
	assert_true(cfg.size.crit.start == 5);
	/* long names of the reference and the usual aliases reach the same fields */
	msp_test_configure_ok(msp_test_plugin, &cfg, sizeof(cfg),
			      MSP_ARGS("--warning", "1m", "--critical-size", "7", "--file=/etc/passwd"));
	assert_string_equal(cfg.warn_age, "1m");
	assert_string_equal(cfg.crit_size, "7");
	assert_true(cfg.age.warn.end == 60);
	msp_test_configure_ok(msp_test_plugin, &cfg, sizeof(cfg),
			      MSP_ARGS("--warning-age=2m", "--critical=3m", "--warning-size=1KB", "--ignore-missing",
				       "/etc/passwd"));
	assert_true(cfg.age.warn.end == 120);
	assert_true(cfg.age.crit.end == 180);
	assert_true(cfg.size.warn.start == 1000);
	assert_true(cfg.ignore_missing);
	assert_string_equal(cfg.file, "/etc/passwd");
}

static void test_options__empty_values_are_unset(void **state)
{
	struct check_file_age_config cfg;

	(void)state;
	/* -f '' then the file as an argument, as the reference allows; '' limits are the defaults */
	msp_test_configure_ok(msp_test_plugin, &cfg, sizeof(cfg),
			      MSP_ARGS("-w", "", "-c", "", "-W", "", "-C", "", "-f", "", "--future-state", "",
				       "/etc/hostname"));
	assert_null(cfg.warn_age);
	assert_false(cfg.has_future_state); /* '' is not given, as for every option (it was an error) */
	assert_string_equal(cfg.file, "/etc/hostname");
	assert_false(cfg.range_mode);
	assert_true(cfg.age.warn.end == 240);
	assert_true(cfg.age.crit.end == 600);
}

static void test_options__errors(void **state)
{
	struct check_file_age_config cfg;
	struct msp_error err;

	(void)state;
	assert_int_equal(configure(&cfg, MSP_ARGS("-i"), &err), MSP_EINVAL);
	assert_string_equal(err.msg, "no file specified: give -f FILE");
	assert_int_equal(configure(&cfg, MSP_ARGS("-w", ""), &err), MSP_EINVAL);
	assert_string_equal(err.msg, "no file specified: give -f FILE");
	assert_int_equal(configure(&cfg, MSP_ARGS("-f", "/a", "/b"), &err), MSP_EINVAL);
	assert_string_equal(err.msg, "unexpected argument '/b': the file is already '/a'");
	assert_int_equal(configure(&cfg, MSP_ARGS("/a", "/b"), &err), MSP_EINVAL);
	assert_string_equal(err.msg, "unexpected argument '/b': the file is already '/a'");
	assert_int_equal(configure(&cfg, MSP_ARGS("-f", "/a", "--future-state", "sometimes"), &err), MSP_EINVAL);
	assert_string_equal(err.msg, "--future-state 'sometimes' is not OK, WARNING, CRITICAL or UNKNOWN");
	assert_int_equal(configure(&cfg, MSP_ARGS("-f", "/a", "--no-such-option"), &err), MSP_EINVAL);
	assert_int_equal(configure(&cfg, MSP_ARGS("-f", "/a", "-c", "10:5"), &err), MSP_EINVAL);
	assert_string_equal(err.msg, "cannot parse range '10:5': range start is above end");
	assert_int_equal(configure(&cfg, MSP_ARGS("-f", "/a", "-W", "10s"), &err), MSP_EINVAL);
	assert_string_equal(err.msg, "cannot parse -W: '10s' has an unknown unit 's'");
}

static void test_options__pick_and_future_state(void **state)
{
	struct check_file_age_config cfg;

	(void)state;
	msp_test_configure_ok(msp_test_plugin, &cfg, sizeof(cfg), MSP_ARGS("-f", "/a"));
	assert_false(cfg.has_future_state);
	assert_int_equal(cfg.pick, CHECK_FILE_AGE_NEWEST);
	msp_test_configure_ok(msp_test_plugin, &cfg, sizeof(cfg),
			      MSP_ARGS("-f", "/a", "--future-state", "critical", "--oldest"));
	assert_true(cfg.has_future_state);
	assert_int_equal(cfg.future_state, MSP_STATE_CRITICAL);
	assert_int_equal(cfg.pick, CHECK_FILE_AGE_OLDEST);
	msp_test_configure_ok(msp_test_plugin, &cfg, sizeof(cfg), MSP_ARGS("-f", "/a", "--oldest", "--newest"));
	assert_int_equal(cfg.pick, CHECK_FILE_AGE_NEWEST);
	/* --future-state=ok is a choice (a clock that is ahead is tolerated), not "not given" */
	msp_test_configure_ok(msp_test_plugin, &cfg, sizeof(cfg), MSP_ARGS("-f", "/a", "--future-state=ok"));
	assert_true(cfg.has_future_state);
	assert_int_equal(cfg.future_state, MSP_STATE_OK);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain__reference_line),
		cmocka_unit_test(test_plain__defaults_240_600),
		cmocka_unit_test(test_plain__age_equal_to_limit_is_not_an_alert),
		cmocka_unit_test(test_plain__size_limit_is_a_minimum),
		cmocka_unit_test(test_plain__critical_age_beats_warning_size),
		cmocka_unit_test(test_plain__units),
		cmocka_unit_test(test_plain__zero_size_limit_never_alerts),
		cmocka_unit_test(test_range__one_range_makes_all_ranges),
		cmocka_unit_test(test_range__unset_or_zero_size_means_zero_colon),
		cmocka_unit_test(test_range__inside_and_decimal),
		cmocka_unit_test(test_range__duration_units),
		cmocka_unit_test(test_thresholds__errors_leave_cfg_alone),
		cmocka_unit_test(test_missing__critical_and_ignore_missing_ok),
		cmocka_unit_test(test_glob__newest_is_judged_by_default),
		cmocka_unit_test(test_glob__oldest),
		cmocka_unit_test(test_glob__size_of_the_judged_file_counts),
		cmocka_unit_test(test_glob__same_second_picks_by_nanoseconds_then_name),
		cmocka_unit_test(test_glob__single_match_and_list_cap),
		cmocka_unit_test(test_future__single_file_keeps_reference_state),
		cmocka_unit_test(test_future__glob_warns_and_option_overrides),
		cmocka_unit_test(test_options__reference_and_itl_arguments),
		cmocka_unit_test(test_options__empty_values_are_unset),
		cmocka_unit_test(test_options__errors),
		cmocka_unit_test(test_options__pick_and_future_state),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
