/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test_check_backup.c - options, states, summaries and perfdata of
 * check_backup on made-up samples.  A sample is only names, times and
 * sizes, so there is nothing to record (tests/fixtures/check_backup/
 * README.md); the directory scan is covered by the CLI cases on trees built
 * with touch -d and by tests/integration/check_backup.sh.
 * Times in summaries are the monitoring host's local time: each test sets
 * TZ, and the judgement is run under zones east and west of UTC too.
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

#include "check_backup.h"
#include "msp_test.h"

#define NOW 1700000000.0 /* 2023-11-14 22:13:20 UTC */
#define H 3600

static void set_tz(const char *tz)
{
	setenv("TZ", tz, 1);
	tzset();
}

/* Configure cfg from arguments with the plugin's parser: 0 or the MSP_E* with its message in err. */
#define configure(cfg, err, ...) \
	msp_test_configure(msp_test_plugin, (cfg), sizeof(*(cfg)), MSP_ARGS(__VA_ARGS__), (err))

/* The same, failing the test when it does not configure. */
#define CONFIGURE(cfg, ...) msp_test_configure_ok(msp_test_plugin, (cfg), sizeof(*(cfg)), MSP_ARGS(__VA_ARGS__))

/* A group for spec with files in one directory: name, age in seconds, size. */
struct f {
	const char *name;
	double age;
	int64_t size;
};

static struct check_backup_group *group(struct check_backup_sample *s, const char *spec, const char *dir,
					const struct f *files, size_t n)
{
	struct check_backup_group *g = check_backup_sample_add_group(s, spec);
	uint32_t idx;

	assert_non_null(g);
	if (n) {
		assert_int_equal(check_backup_group_add_dir(g, dir, &idx), 0);
		for (size_t i = 0; i < n; i++) {
			double when = NOW - files[i].age;
			int64_t sec = (int64_t)when;

			assert_int_equal(check_backup_group_add_file(g, idx, files[i].name, sec,
								     (int32_t)((when - (double)sec) * 1e9),
								     files[i].size),
					 0);
		}
	}
	return g;
}

/* Evaluate and render in the nagios format; *ret_state gets the state.  Caller frees. */
static char *evaluate(const struct check_backup_config *cfg, const struct check_backup_sample *s,
		      enum msp_state *ret_state)
{
	struct msp_result *root = msp_result_new();
	char *out;

	assert_non_null(root);
	assert_int_equal(check_backup_evaluate(cfg, s, NOW, root), 0);
	*ret_state = msp_result_state(root);
	out = msp_test_render(msp_test_plugin, root, MSP_FORMAT_NAGIOS);
	msp_result_free(root);
	return out;
}

/* State of one directory holding files of the given ages under cfg. */
static enum msp_state state_of_ages(const struct check_backup_config *cfg, const double *ages, size_t n)
{
	struct check_backup_sample s = { 0 };
	struct f files[8];
	enum msp_state st;

	for (size_t i = 0; i < n; i++)
		files[i] = (struct f){ i == 0 ? "a" : i == 1 ? "b" : "c", ages[i], 10 };
	group(&s, "/srv/b", "/srv/b", files, n);
	free(evaluate(cfg, &s, &st));
	check_backup_sample_release(&s);
	return st;
}

static enum msp_state state_of_age(const struct check_backup_config *cfg, double age)
{
	return state_of_ages(cfg, &age, 1);
}

/* ----------------------------------------------- one directory, a table */

/*
 * One directory /srv/b holding files (name, age, size) judged under the arguments: the state,
 * the texts the output must hold (want) and one it must not (absent).  TZ is UTC.
 */
struct dir_case {
	const char *what;
	const char *args[10];
	struct f files[4];
	enum msp_state state;
	const char *want[3];
	const char *absent;
	bool exact; /* want[0] is the whole output */
};

static const struct dir_case dir_cases[] = {
	{ "newest: the summary names the file, its age and its local time",
	  { "-p", "/srv/b" },
	  { { "db-1.sql.gz", 30 * H, 100 }, { "db-2.sql.gz", 5 * H + 180, 2048 } },
	  MSP_STATE_OK,
	  { "BACKUP OK - /srv/b/db-2.sql.gz 5h 3m ago (2023-11-14 17:10 +0000), newest of 2 files | "
	    "age=18180s;93600;180000;0 files=2;;;0 size=2048B;;;0\n"
	    "[OK] /srv/b/db-2.sql.gz 5h 3m ago (2023-11-14 17:10 +0000), newest of 2 files\n" },
	  .exact = true },
	{ "newest: 26h is within the default warning", { "-p", "/srv/b" }, { { "a", 26 * H, 1 } }, MSP_STATE_OK },
	{ "newest: past 26h is a WARNING", { "-p", "/srv/b" }, { { "a", 26 * H + 1, 1 } }, MSP_STATE_WARNING },
	{ "newest: 50h is still a WARNING", { "-p", "/srv/b" }, { { "a", 50 * H, 1 } }, MSP_STATE_WARNING },
	{ "newest: past 50h is CRITICAL", { "-p", "/srv/b" }, { { "a", 50 * H + 1, 1 } }, MSP_STATE_CRITICAL },
	{ "newest: only the newest counts",
	  { "-p", "/srv/b", "-w", "2h", "-c", "3h" },
	  { { "a", 100 * H, 1 }, { "b", 1 * H, 1 }, { "c", 60 * H, 1 } },
	  MSP_STATE_OK },
	{ "newest: a range alerts a file too new",
	  { "-p", "/srv/b", "-w", "1h:26h", "-c", "50h" },
	  { { "a", 30 * 60, 1 } },
	  MSP_STATE_WARNING },
	{ "newest: inside the range",
	  { "-p", "/srv/b", "-w", "1h:26h", "-c", "50h" },
	  { { "a", 2 * H, 1 } },
	  MSP_STATE_OK },
	{ "--oldest judges the oldest",
	  { "-p", "/srv/b", "--oldest" },
	  { { "new", 1 * H, 1 }, { "old", 60 * H, 1 } },
	  MSP_STATE_CRITICAL,
	  { "BACKUP CRITICAL - /srv/b/old 2d 12h ago (2023-11-12 10:13 +0000), oldest of 2 files | age=216000s;" } },
	{ "--all: every file must be recent, those past the limits are listed",
	  { "-p", "/srv/b", "--all" },
	  { { "a", 1 * H, 1 }, { "b", 30 * H, 1 }, { "c", 2 * H, 1 }, { "d", 60 * H, 1 } },
	  MSP_STATE_CRITICAL,
	  { "BACKUP CRITICAL - 2 of 4 files past the limits, worst /srv/b/d 2d 12h ago ",
	    "\n/srv/b/b 1d 6h ago\n/srv/b/d 2d 12h ago\n" },
	  "/srv/b/a 1h" },
	{ "--all: recent files are OK",
	  { "-p", "/srv/b", "--all" },
	  { { "a", 1 * H, 1 }, { "b", 25 * H, 1 } },
	  MSP_STATE_OK,
	  { "BACKUP OK - all 2 files recent enough, oldest /srv/b/b 1d 1h ago " } },
	{ "--all: three recent files",
	  { "-p", "/srv/b", "--all" },
	  { { "a", 1 * H, 1 }, { "b", 2 * H, 1 }, { "c", 25 * H, 1 } },
	  MSP_STATE_OK },
	{ "--all: a file in the future is a WARNING",
	  { "-p", "/srv/b", "--all" },
	  { { "a", 1 * H, 1 }, { "b", -2 * H, 1 } },
	  MSP_STATE_WARNING },
	{ "future: beyond --max-future is a WARNING, not fresh; perfdata never shows a negative age",
	  { "-p", "/srv/b" },
	  { { "old", 100 * H, 1 }, { "ahead", -3 * H, 1 } },
	  MSP_STATE_WARNING,
	  { "BACKUP WARNING - /srv/b/ahead 3h in the future (clock problem?) (", "| age=0s;93600;180000;0 " } },
	{ "future: within the default 5m is age 0", { "-p", "/srv/b" }, { { "a", -299, 1 } }, MSP_STATE_OK },
	{ "future: past the default 5m", { "-p", "/srv/b" }, { { "a", -301, 1 } }, MSP_STATE_WARNING },
	{ "future: within --max-future 1h",
	  { "-p", "/srv/b", "--max-future", "1h" },
	  { { "a", -301, 1 } },
	  MSP_STATE_OK },
	{ "future: past --max-future 1h",
	  { "-p", "/srv/b", "--max-future", "1h" },
	  { { "a", -3601, 1 } },
	  MSP_STATE_WARNING },
	{ "--min-count: fewer files take the missing state",
	  { "-p", "/srv/b", "--min-count", "3" },
	  { { "a", 1 * H, 1 }, { "b", 2 * H, 1 } },
	  MSP_STATE_CRITICAL,
	  { ", newest of 2 files, only 2 files (--min-count 3) |" } },
	{ "--min-count: enough files",
	  { "-p", "/srv/b", "--min-count", "2", "--missing", "warning" },
	  { { "a", 1 * H, 1 }, { "b", 2 * H, 1 } },
	  MSP_STATE_OK },
	{ "--min-count with --missing=warning",
	  { "-p", "/srv/b", "--min-count", "3", "--missing", "warning" },
	  { { "a", 1 * H, 1 }, { "b", 2 * H, 1 } },
	  MSP_STATE_WARNING },
	{ "--min-size applies to the newest file",
	  { "-p", "/srv/b", "--min-size", "1MB" },
	  { { "big-but-old", 20 * H, 5000000 }, { "tiny", 1 * H, 12 } },
	  MSP_STATE_CRITICAL,
	  { "newest of 2 files, newest only 12 B (--min-size 976.6 KiB) | ", " size=12B;;1000000:;0\n" } },
	{ "--max-size applies to the newest file",
	  { "-p", "/srv/b", "--max-size", "10" },
	  { { "big-but-old", 20 * H, 5000000 }, { "tiny", 1 * H, 12 } },
	  MSP_STATE_CRITICAL,
	  { ", newest 12 B (--max-size 10 B) | ", " size=12B;;10;0\n" } },
	{ "--min-size and --max-size are inclusive",
	  { "-p", "/srv/b", "--min-size", "12", "--max-size", "12B" },
	  { { "big-but-old", 20 * H, 5000000 }, { "tiny", 1 * H, 12 } },
	  MSP_STATE_OK },
};

static void test_one_dir__table(void **state)
{
	(void)state;
	set_tz("UTC");
	for (size_t i = 0; i < sizeof(dir_cases) / sizeof(dir_cases[0]); i++) {
		const struct dir_case *c = &dir_cases[i];
		struct check_backup_config cfg;
		struct check_backup_sample s = { 0 };
		enum msp_state st;
		size_t n = 0;
		char *out;
		bool ok;

		while (n < 4 && c->files[n].name)
			n++;
		msp_test_configure_ok(msp_test_plugin, &cfg, sizeof(cfg), c->args);
		group(&s, "/srv/b", "/srv/b", c->files, n);
		out = evaluate(&cfg, &s, &st);
		ok = st == c->state && (!c->absent || !strstr(out, c->absent)) &&
		     (!c->exact || !strcmp(out, c->want[0]));
		for (size_t w = 0; w < 3 && c->want[w]; w++)
			ok = ok && strstr(out, c->want[w]);
		check_backup_sample_release(&s);
		check_backup_config_release(&cfg);
		if (!ok)
			fail_msg("row %zu (%s): want %s, got %s: %s", i, c->what, msp_state_name(c->state),
				 msp_state_name(st), out);
		free(out);
	}
}

/* ------------------------------------------------------------ missing */

static void test_missing__path_glob_and_empty_dir_are_critical(void **state)
{
	struct check_backup_config cfg;
	struct check_backup_sample s = { 0 };
	enum msp_state st;
	char *out;

	(void)state;
	CONFIGURE(&cfg, "--path", "/srv/none");
	group(&s, "/srv/none", NULL, NULL, 0)->absence = CHECK_BACKUP_NO_SUCH_PATH;
	out = evaluate(&cfg, &s, &st);
	assert_int_equal(st, MSP_STATE_CRITICAL);
	assert_string_equal(out, "BACKUP CRITICAL - '/srv/none' does not exist | files=0;;;0\n"
				 "[CRITICAL] '/srv/none' does not exist\n");
	free(out);
	check_backup_sample_release(&s);

	group(&s, "/srv/*.gz", NULL, NULL, 0)->absence = CHECK_BACKUP_NO_GLOB_MATCH;
	out = evaluate(&cfg, &s, &st);
	assert_int_equal(st, MSP_STATE_CRITICAL);
	assert_non_null(strstr(out, "BACKUP CRITICAL - '/srv/*.gz' matches nothing | files=0;;;0\n"));
	free(out);
	check_backup_sample_release(&s);

	group(&s, "/srv/empty", NULL, NULL, 0);
	out = evaluate(&cfg, &s, &st);
	assert_int_equal(st, MSP_STATE_CRITICAL);
	assert_non_null(strstr(out, "BACKUP CRITICAL - no file in '/srv/empty' |"));
	free(out);
	check_backup_sample_release(&s);
	check_backup_config_release(&cfg);

	CONFIGURE(&cfg, "--path", "/srv/empty", "--match", "*.gz");
	group(&s, "/srv/empty", NULL, NULL, 0);
	out = evaluate(&cfg, &s, &st);
	assert_non_null(strstr(out, "BACKUP CRITICAL - no matching file in '/srv/empty' |"));
	free(out);
	check_backup_sample_release(&s);
	check_backup_config_release(&cfg);
}

static void test_missing__state_is_configurable_but_never_ok(void **state)
{
	struct check_backup_config cfg;
	struct check_backup_sample s = { 0 };
	struct msp_error err;
	enum msp_state st;

	(void)state;
	CONFIGURE(&cfg, "--path", "/srv/none", "--missing", "warning");
	group(&s, "/srv/none", NULL, NULL, 0)->absence = CHECK_BACKUP_NO_SUCH_PATH;
	free(evaluate(&cfg, &s, &st));
	assert_int_equal(st, MSP_STATE_WARNING);
	check_backup_config_release(&cfg);
	CONFIGURE(&cfg, "--path", "/srv/none", "--missing", "unknown");
	free(evaluate(&cfg, &s, &st));
	assert_int_equal(st, MSP_STATE_UNKNOWN);
	check_backup_sample_release(&s);
	check_backup_config_release(&cfg);

	assert_int_equal(configure(&cfg, &err, "--path", "/x", "--missing", "ok"), MSP_EINVAL);
	assert_string_equal(err.msg, "missing state 'ok' is not critical, warning or unknown");
	check_backup_config_release(&cfg);
	assert_int_equal(configure(&cfg, &err, "--path", "/x", "--missing", "0"), MSP_EINVAL);
	check_backup_config_release(&cfg);
}

/* ----------------------------------------------------------- problems */

static void test_unreadable__is_unknown_and_named(void **state)
{
	struct check_backup_config cfg;
	struct check_backup_sample s = { 0 };
	const struct f files[] = { { "a", 1 * H, 1 } };
	struct check_backup_group *g;
	enum msp_state st;
	char *out;

	(void)state;
	CONFIGURE(&cfg, "--path", "/srv/b", "--recurse");
	g = group(&s, "/srv/b", "/srv/b", files, 1);
	assert_int_equal(check_backup_group_add_problem(g, "/srv/b/private", 13), 0);
	out = evaluate(&cfg, &s, &st);
	assert_int_equal(st, MSP_STATE_UNKNOWN);
	assert_non_null(strstr(out, "BACKUP UNKNOWN - /srv/b/a 1h ago ("));
	assert_non_null(strstr(out, "), the only file, 1 unreadable |"));
	assert_non_null(strstr(out, "\n[UNKNOWN] cannot read '/srv/b/private': Permission denied\n"));
	free(out);
	check_backup_sample_release(&s);

	/* a stale backup stays CRITICAL: the worse finding wins */
	{
		const struct f stale[] = { { "a", 100 * H, 1 } };

		g = group(&s, "/srv/b", "/srv/b", stale, 1);
		assert_int_equal(check_backup_group_add_problem(g, "/srv/b/private", 13), 0);
		free(evaluate(&cfg, &s, &st));
		assert_int_equal(st, MSP_STATE_CRITICAL);
		check_backup_sample_release(&s);
	}
	check_backup_config_release(&cfg);
}

static void test_unreadable__list_is_capped(void **state)
{
	struct check_backup_config cfg;
	struct check_backup_sample s = { 0 };
	struct check_backup_group *g;
	char path[64];
	enum msp_state st;
	char *out;

	(void)state;
	CONFIGURE(&cfg, "--path", "/srv/b");
	g = group(&s, "/srv/b", NULL, NULL, 0);
	for (int i = 0; i < CHECK_BACKUP_LIST_MAX + 5; i++) {
		snprintf(path, sizeof(path), "/srv/b/d%d", i);
		assert_int_equal(check_backup_group_add_problem(g, path, 13), 0);
	}
	out = evaluate(&cfg, &s, &st);
	assert_int_equal(st, MSP_STATE_CRITICAL);
	assert_non_null(strstr(out, "BACKUP CRITICAL - no file in '/srv/b', 25 unreadable |"));
	assert_non_null(
		strstr(out, "[UNKNOWN] cannot read '/srv/b/d19': Permission denied\n... and 5 more unreadable\n"));
	assert_null(strstr(out, "/srv/b/d20"));
	free(out);
	check_backup_sample_release(&s);
	check_backup_config_release(&cfg);
}

/* ------------------------------------------------------- several paths */

static void test_paths__each_is_judged_on_its_own(void **state)
{
	struct check_backup_config cfg;
	struct check_backup_sample s = { 0 };
	const struct f fresh[] = { { "x.tar", 2 * H, 10 } };
	const struct f stale[] = { { "y.tar", 30 * H, 20 } };
	enum msp_state st;
	char *out;

	(void)state;
	set_tz("UTC");
	CONFIGURE(&cfg, "--path", "/nas/a", "--path", "/nas/b");
	group(&s, "/nas/a", "/nas/a", fresh, 1);
	group(&s, "/nas/b", "/nas/b", stale, 1);
	out = evaluate(&cfg, &s, &st);
	assert_int_equal(st, MSP_STATE_WARNING);
	assert_string_equal(out,
			    "BACKUP WARNING - 1 of 2 paths not OK: /nas/b/y.tar 1d 6h ago (2023-11-13 16:13 +0000), "
			    "the only file | age=108000s;93600;180000;0 files=2;;;0 size=10B;;;0 "
			    "'/nas/a age'=7200s;93600;180000;0 '/nas/a files'=1;;;0 "
			    "'/nas/b age'=108000s;93600;180000;0 '/nas/b files'=1;;;0\n"
			    "[WARNING] /nas/b/y.tar 1d 6h ago (2023-11-13 16:13 +0000), the only file\n"
			    "[OK] /nas/a/x.tar 2h ago (2023-11-14 20:13 +0000), the only file\n");
	free(out);
	check_backup_sample_release(&s);

	group(&s, "/nas/a", "/nas/a", fresh, 1);
	group(&s, "/nas/b", "/nas/b", fresh, 1);
	out = evaluate(&cfg, &s, &st);
	assert_int_equal(st, MSP_STATE_OK);
	assert_non_null(strstr(out, "BACKUP OK - 2 paths OK, the newest: /nas/a/x.tar 2h ago "));
	free(out);
	check_backup_sample_release(&s);

	group(&s, "/nas/a", "/nas/a", fresh, 1);
	group(&s, "/nas/b", NULL, NULL, 0)->absence = CHECK_BACKUP_NO_SUCH_PATH;
	out = evaluate(&cfg, &s, &st);
	assert_int_equal(st, MSP_STATE_CRITICAL);
	assert_non_null(strstr(out, "BACKUP CRITICAL - 1 of 2 paths not OK: '/nas/b' does not exist |"));
	free(out);
	check_backup_sample_release(&s);
	check_backup_config_release(&cfg);
}

/* ------------------------------------------------------ time zones */

/* The judgement is in epoch seconds: the monitoring host's zone changes the printed time only. */
static void test_tz__states_do_not_depend_on_the_zone(void **state)
{
	static const char *const zones[] = { "UTC", "Asia/Kolkata", "Pacific/Kiritimati", "America/Los_Angeles",
					     "Pacific/Pago_Pago" };
	static const char *const printed[] = { "(2023-11-14 17:13 +0000)", "(2023-11-14 22:43 +0530)",
					       "(2023-11-15 07:13 +1400)", "(2023-11-14 09:13 -0800)",
					       "(2023-11-14 06:13 -1100)" };
	struct check_backup_config cfg;
	const double ages[] = { 26 * H, 26 * H + 1, 50 * H + 1, -301, -299 };
	const enum msp_state want[] = { MSP_STATE_OK, MSP_STATE_WARNING, MSP_STATE_CRITICAL, MSP_STATE_WARNING,
					MSP_STATE_OK };

	(void)state;
	CONFIGURE(&cfg, "--path", "/srv/b");
	for (size_t z = 0; z < sizeof(zones) / sizeof(zones[0]); z++) {
		struct check_backup_sample s = { 0 };
		const struct f files[] = { { "a", 5 * H, 1 } };
		enum msp_state st;
		char *out;

		set_tz(zones[z]);
		for (size_t i = 0; i < sizeof(ages) / sizeof(ages[0]); i++)
			assert_int_equal(state_of_age(&cfg, ages[i]), want[i]);
		group(&s, "/srv/b", "/srv/b", files, 1);
		out = evaluate(&cfg, &s, &st);
		assert_non_null(strstr(out, printed[z]));
		assert_non_null(strstr(out, "| age=18000s;"));
		free(out);
		check_backup_sample_release(&s);
	}
	set_tz("UTC");
	check_backup_config_release(&cfg);
}

/* ------------------------------------------------------------ options */

static void test_options__names_match_globs_and_regex(void **state)
{
	struct check_backup_config cfg;

	(void)state;
	CONFIGURE(&cfg, "--path", "/x");
	assert_true(check_backup_name_matches(&cfg, "anything"));
	check_backup_config_release(&cfg);
	CONFIGURE(&cfg, "--path", "/x", "--match", "*.sql.gz", "--match", "*.tar");
	assert_true(check_backup_name_matches(&cfg, "db.sql.gz"));
	assert_true(check_backup_name_matches(&cfg, "home.tar"));
	assert_false(check_backup_name_matches(&cfg, "db.sql.gz.tmp"));
	check_backup_config_release(&cfg);
	CONFIGURE(&cfg, "--path", "/x", "--match", "db-*", "--regex", "^db-[0-9]{4}\\.gz$");
	assert_true(check_backup_name_matches(&cfg, "db-2026.gz"));
	assert_false(check_backup_name_matches(&cfg, "db-26.gz"));
	assert_false(check_backup_name_matches(&cfg, "xdb-2026.gz"));
	check_backup_config_release(&cfg);
}

/* Usage errors: the message each row must give (NULL: any), through the plugin's parser. */
static void test_options__errors(void **state)
{
	static const struct {
		const char *args[8];
		const char *msg;
	} rows[] = {
		{ { "--recurse" }, "no path given: use -p PATH" },
		{ { "-w", "" }, "no path given: use -p PATH" },
		{ { "/srv" }, "unexpected argument '/srv': give paths with -p" },
		{ { "-p", "/x", "--max-depth", "0" }, "--max-depth '0' is not a whole number from 1 to 100000" },
		{ { "-p", "/x", "--expect-count", "0" },
		  "--expect-count '0' is not a whole number from 1 to 4294967295" },
		{ { "-p", "/x", "--regex", "a(" }, NULL },
		{ { "-p", "/x", "--regex", "a", "--regex", "b" },
		  "--regex given twice: combine the expressions with '|'" },
		{ { "-p", "/x", "--min-size", "2KB", "--max-size", "1KB" }, "--min-size is above --max-size" },
		{ { "-p", "/x", "--min-size", "lots" }, "--min-size 'lots' is not a size (500MB, 2GiB)" },
		/* a negative minimum never alerted (before, it was taken) */
		{ { "-p", "/x", "--min-size", "-5" }, "--min-size '-5' is not a size (500MB, 2GiB)" },
		{ { "-p", "/x", "--min-count", "-1" }, "--min-count '-1' is not a whole number" },
		{ { "-p", "/x", "--time", "atime" }, "--time 'atime' is not mtime or ctime" },
		{ { "-p", "/x", "--missing", "ok" }, "missing state 'ok' is not critical, warning or unknown" },
		{ { "-p", "/x", "--missing", "maybe" }, "missing state 'maybe' is not critical, warning or unknown" },
		{ { "-p", "/x", "--warning", "10:5" }, "cannot parse range '10:5': range start is above end" },
		{ { "-p", "/x", "--max-future", "-5m" }, NULL },
	};
	struct check_backup_config cfg;
	struct msp_error err;

	(void)state;
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		int r = msp_test_configure(msp_test_plugin, &cfg, sizeof(cfg), rows[i].args, &err);

		check_backup_config_release(&cfg);
		if (r != MSP_EINVAL || (rows[i].msg && strcmp(err.msg, rows[i].msg) != 0))
			fail_msg("row %zu (%s %s): returned %d: '%s'", i, rows[i].args[0], rows[i].args[1], r, err.msg);
		assert_true(err.msg[0] != '\0');
	}
	assert_int_equal(configure(&cfg, &err, "-p", "/x", "--regex", "a("), MSP_EINVAL);
	assert_non_null(strstr(err.msg, "cannot compile regex 'a(': "));
	check_backup_config_release(&cfg);
}

static void test_options__max_depth_implies_recurse_and_empty_values_are_unset(void **state)
{
	struct check_backup_config cfg;

	(void)state;
	CONFIGURE(&cfg, "--path", "/x", "--max-depth", "3", "--warning", "", "--critical", "");
	assert_true(cfg.recurse);
	assert_int_equal(cfg.max_depth, 3);
	assert_int_equal(cfg.path.count, 1);
	assert_int_equal(state_of_age(&cfg, 26 * H + 1), MSP_STATE_WARNING);
	check_backup_config_release(&cfg);
}

/* Each option lands in its field; a repeated list option keeps every value in order. */
static void test_options__values_reach_the_config(void **state)
{
	struct check_backup_config cfg;

	(void)state;
	CONFIGURE(&cfg, "-p", "/a", "--path=/b", "--match", "*.gz", "--exclude", "lost+found", "--exclude", "tmp",
		  "--time=ctime", "--min-size", "2KB", "--max-size", "1MiB", "--min-count", "3", "--expect-count", "4",
		  "--pool", "--all", "--missing", "WARNING");
	assert_int_equal(cfg.path.count, 2);
	assert_string_equal(cfg.path.items[1], "/b");
	assert_int_equal(cfg.match.count, 1);
	assert_int_equal(cfg.exclude.count, 2);
	assert_string_equal(cfg.exclude.items[1], "tmp");
	assert_int_equal(cfg.use_ctime, 1);
	assert_true(cfg.has_min_size && cfg.min_size == 2000);
	assert_true(cfg.has_max_size && cfg.max_size == 1048576);
	assert_int_equal(cfg.min_count, 3);
	assert_int_equal(cfg.expect_count, 4);
	assert_true(cfg.pool);
	assert_int_equal(cfg.pick, CHECK_BACKUP_ALL);
	assert_int_equal(cfg.missing_state, MSP_STATE_WARNING);
	assert_false(cfg.recurse);
	check_backup_config_release(&cfg);
	/* the defaults: newest, mtime, CRITICAL when nothing is found, no size limits */
	CONFIGURE(&cfg, "-p", "/a", "--time", "mtime", "--min-size", "", "--missing", "");
	assert_int_equal(cfg.pick, CHECK_BACKUP_NEWEST);
	assert_int_equal(cfg.use_ctime, 0);
	assert_int_equal(cfg.missing_state, MSP_STATE_CRITICAL);
	assert_false(cfg.has_min_size || cfg.has_max_size);
	assert_int_equal(cfg.expect_count, 0);
	check_backup_config_release(&cfg);
}

static void test_sample__file_paths(void **state)
{
	struct check_backup_sample s = { 0 };
	struct check_backup_group *g = check_backup_sample_add_group(&s, "/a/");
	uint32_t d1, d2;
	char buf[64];

	(void)state;
	assert_int_equal(check_backup_group_add_dir(g, "/a/", &d1), 0);
	assert_int_equal(check_backup_group_add_dir(g, "/a/f.gz", &d2), 0);
	assert_int_equal(check_backup_group_add_file(g, d1, "x", 1, 0, 1), 0);
	assert_int_equal(check_backup_group_add_file(g, d2, "", 1, 0, 1), 0);
	assert_string_equal(check_backup_file_path(g, &g->file[0], buf, sizeof(buf)), "/a/x");
	assert_string_equal(check_backup_file_path(g, &g->file[1], buf, sizeof(buf)), "/a/f.gz");
	check_backup_sample_release(&s);
}

/* ------------------------------------------------------------ patterns */

/* Each match of '/srv/nas/HOST/daily.0' is a path: a stale host is not hidden by a fresh one. */
static void test_pattern__a_stale_match_is_not_hidden_by_a_fresh_one(void **state)
{
	struct check_backup_config cfg;
	struct check_backup_sample s = { 0 };
	const struct f fresh[] = { { "backup.tar", 1 * H, 10 } }, stale[] = { { "backup.tar", 96 * H, 10 } };
	struct check_backup_group *g;
	enum msp_state st;
	char *out;

	(void)state;
	CONFIGURE(&cfg, "--path", "/srv/nas/*/daily.0", "--warning", "30h", "--critical", "3d");
	g = check_backup_sample_add_match(&s, "/srv/nas/host1/daily.0");
	assert_non_null(g);
	assert_string_equal(g->spec, "/srv/nas/host1/daily.0");
	check_backup_sample_release(&s);
	group(&s, "/srv/nas/host1/daily.0", "/srv/nas/host1/daily.0", fresh, 1);
	group(&s, "/srv/nas/host2/daily.0", "/srv/nas/host2/daily.0", stale, 1);
	assert_int_equal(check_backup_sample_add_pattern(&s, "/srv/nas/*/daily.0", 2, 0), 0);
	out = evaluate(&cfg, &s, &st);
	assert_int_equal(st, MSP_STATE_CRITICAL);
	assert_non_null(
		strstr(out, "BACKUP CRITICAL - 1 of 2 paths not OK: /srv/nas/host2/daily.0/backup.tar 4d ago ("));
	assert_non_null(strstr(
		out, " | age=345600s;108000;259200;0 files=2;;;0 size=10B;;;0 "
		     "'/srv/nas/host1/daily.0 age'=3600s;108000;259200;0 '/srv/nas/host1/daily.0 files'=1;;;0 "
		     "'/srv/nas/host2/daily.0 age'=345600s;108000;259200;0 '/srv/nas/host2/daily.0 files'=1;;;0\n"));
	assert_non_null(strstr(out, "\n[CRITICAL] /srv/nas/host2/daily.0/backup.tar 4d ago ("));
	assert_non_null(strstr(out, "\n[OK] /srv/nas/host1/daily.0/backup.tar 1h ago ("));
	free(out);
	check_backup_sample_release(&s);
	check_backup_config_release(&cfg);
}

/* A match the pattern could not examine (a host directory without search permission) is UNKNOWN. */
static void test_pattern__an_unreadable_match_is_unknown(void **state)
{
	struct check_backup_config cfg;
	struct check_backup_sample s = { 0 };
	const struct f fresh[] = { { "backup.tar", 1 * H, 10 } };
	struct check_backup_group *g;
	enum msp_state st;
	char *out;

	(void)state;
	CONFIGURE(&cfg, "--path", "/srv/nas/*/daily.0");
	group(&s, "/srv/nas/host1/daily.0", "/srv/nas/host1/daily.0", fresh, 1);
	g = check_backup_sample_add_match(&s, "/srv/nas/host2/daily.0");
	g->absence = CHECK_BACKUP_UNREADABLE;
	assert_int_equal(check_backup_group_add_problem(g, "/srv/nas/host2/daily.0", 13), 0);
	assert_int_equal(check_backup_sample_add_pattern(&s, "/srv/nas/*/daily.0", 1, 1), 0);
	out = evaluate(&cfg, &s, &st);
	assert_int_equal(st, MSP_STATE_UNKNOWN);
	/* no made-up numbers for what could not be read, and the reason once */
	assert_string_equal(strchr(out, '\n'),
			    "\n[UNKNOWN] cannot read '/srv/nas/host2/daily.0': Permission denied\n"
			    "[OK] /srv/nas/host1/daily.0/backup.tar 1h ago (2023-11-14 21:13 +0000), the only file\n");
	assert_non_null(strstr(
		out, "BACKUP UNKNOWN - 1 of 2 paths not OK: cannot read '/srv/nas/host2/daily.0': "
		     "Permission denied | age=3600s;93600;180000;0 files=1;;;0 size=10B;;;0 "
		     "'/srv/nas/host1/daily.0 age'=3600s;93600;180000;0 '/srv/nas/host1/daily.0 files'=1;;;0\n"));
	free(out);
	check_backup_sample_release(&s);
	check_backup_config_release(&cfg);
}

/* --expect-count: fewer matches are CRITICAL (or the --missing state), with 'matches' perfdata. */
static void test_pattern__expect_count(void **state)
{
	struct check_backup_config cfg;
	struct check_backup_sample s = { 0 };
	const struct f fresh[] = { { "backup.tar", 1 * H, 10 } };
	enum msp_state st;
	char *out;

	(void)state;
	CONFIGURE(&cfg, "--path", "/srv/nas/*/daily.0", "--expect-count", "3", "--pool");
	assert_true(cfg.pool);
	group(&s, "/srv/nas/*/daily.0", "/srv/nas/host1/daily.0", fresh, 1);
	assert_int_equal(check_backup_sample_add_pattern(&s, "/srv/nas/*/daily.0", 2, 1), 0);
	out = evaluate(&cfg, &s, &st);
	assert_int_equal(st, MSP_STATE_CRITICAL);
	assert_non_null(strstr(out,
			       "BACKUP CRITICAL - 1 of 2 paths not OK: expected 3 matches of '/srv/nas/*/daily.0', "
			       "found 2 and 1 unreadable | "));
	assert_non_null(strstr(out, " matches=2;;3:;0\n"));
	free(out);
	s.pattern[0].nmatch = 3;
	s.pattern[0].nunreadable = 0;
	out = evaluate(&cfg, &s, &st);
	assert_int_equal(st, MSP_STATE_OK);
	assert_non_null(strstr(out, "BACKUP OK - /srv/nas/host1/daily.0/backup.tar 1h ago ("));
	assert_non_null(strstr(out, " matches=3;;3:;0\n"));
	free(out);
	s.pattern[0].nmatch = 5; /* more is fine: a new host is judged like the others */
	free(evaluate(&cfg, &s, &st));
	assert_int_equal(st, MSP_STATE_OK);
	check_backup_sample_release(&s);
	check_backup_config_release(&cfg);

	CONFIGURE(&cfg, "--path", "/srv/nas/*/daily.0", "--expect-count", "3", "--missing", "warning");
	group(&s, "/srv/nas/host1/daily.0", "/srv/nas/host1/daily.0", fresh, 1);
	assert_int_equal(check_backup_sample_add_pattern(&s, "/srv/nas/*/daily.0", 1, 0), 0);
	out = evaluate(&cfg, &s, &st);
	assert_int_equal(st, MSP_STATE_WARNING);
	assert_non_null(strstr(
		out, "BACKUP WARNING - 1 of 2 paths not OK: expected 3 matches of '/srv/nas/*/daily.0', found 1 |"));
	free(out);
	check_backup_sample_release(&s);
	check_backup_config_release(&cfg);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_one_dir__table),
		cmocka_unit_test(test_missing__path_glob_and_empty_dir_are_critical),
		cmocka_unit_test(test_missing__state_is_configurable_but_never_ok),
		cmocka_unit_test(test_unreadable__is_unknown_and_named),
		cmocka_unit_test(test_unreadable__list_is_capped),
		cmocka_unit_test(test_paths__each_is_judged_on_its_own),
		cmocka_unit_test(test_pattern__a_stale_match_is_not_hidden_by_a_fresh_one),
		cmocka_unit_test(test_pattern__an_unreadable_match_is_unknown),
		cmocka_unit_test(test_pattern__expect_count),
		cmocka_unit_test(test_tz__states_do_not_depend_on_the_zone),
		cmocka_unit_test(test_options__names_match_globs_and_regex),
		cmocka_unit_test(test_options__errors),
		cmocka_unit_test(test_options__max_depth_implies_recurse_and_empty_values_are_unset),
		cmocka_unit_test(test_options__values_reach_the_config),
		cmocka_unit_test(test_sample__file_paths),
	};

	set_tz("UTC");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
