/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test_check_clamav.c - check_clamav's header parser and database reader on
 * headers of sigtool-built databases, the freshclam log parser on recorded
 * freshclam 1.4 logs, clamd VERSION replies, evaluate (states, summary,
 * perfdata) and the options through the runner's parser.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <setjmp.h>
#include <cmocka.h>

#include "check_clamav.h"
#include "msp_test.h"

/* Build times in the fixture headers (tests/fixtures/check_clamav/README.md). */
#define DAILY_27500_BUILT 1795834800 /* 2026-11-28 03:00 UTC */
#define HOUR 3600
#define DAY 86400

/* ------------------------------------------------------------ helpers */

static const char *fixture_path(const char *name, char *buf, size_t len)
{
	char rel[512];

	snprintf(rel, sizeof(rel), "check_clamav/%s", name);
	return msp_test_fixture_path(rel, buf, len);
}

static char *fixture_text(const char *name)
{
	char rel[512];

	snprintf(rel, sizeof(rel), "check_clamav/%s", name);
	return msp_test_fixture(rel, 1 << 20);
}

/*
 * The first max bytes of a fixture that may hold NUL bytes (a database
 * header, a log after a crash), NUL-terminated; *ret_len how many were
 * read.  msp_test_fixture gives no length.  Caller frees.
 */
static char *fixture_bytes(const char *name, size_t max, size_t *ret_len)
{
	char path[1024];
	FILE *f = fopen(fixture_path(name, path, sizeof(path)), "rb");
	char *buf = malloc(max + 1);

	if (!f || !buf)
		fail_msg("cannot read fixture %s", path);
	*ret_len = fread(buf, 1, max, f);
	buf[*ret_len] = '\0';
	fclose(f);
	return buf;
}

/* Read the header of fixture rel into buf (512 bytes); *ret_len its length (fewer when truncated). */
static void fixture_header(const char *rel, char *buf, size_t *ret_len)
{
	char *b = fixture_bytes(rel, CHECK_CLAMAV_HEADER_SIZE, ret_len);

	memcpy(buf, b, *ret_len);
	free(b);
}

/* A config as the runner leaves it after parsing args (NULL: none) and finish; fails the test on an error. */
static void configure(struct check_clamav_config *cfg, const char *const *args)
{
	msp_test_configure_ok(msp_test_plugin, cfg, sizeof(*cfg), args ? args : MSP_ARGS(NULL));
}

static void read_dir(const char *dir, struct check_clamav_sample *s)
{
	char path[1024];

	memset(s, 0, sizeof(*s));
	for (int i = 0; i < CHECK_CLAMAV_NDB; i++)
		check_clamav_read_db(fixture_path(dir, path, sizeof(path)), (enum check_clamav_dbid)i, &s->db[i]);
}

/* Evaluate and render (nagios format); returns the output, *ret_state the state.  Caller frees. */
static char *evaluate(const struct check_clamav_config *cfg, const struct check_clamav_sample *s, int64_t now,
		      enum msp_state *ret_state)
{
	struct msp_result *root = msp_result_new();
	struct msp_buf b;

	assert_non_null(root);
	assert_int_equal(check_clamav_evaluate(cfg, s, now, root), 0);
	*ret_state = msp_result_state(root);
	msp_buf_init(&b, MSP_OUTPUT_MAX + 4096);
	assert_int_equal(msp_render(root, MSP_FORMAT_NAGIOS, "check_clamav", "CLAMAV", &b), 0);
	msp_result_free(root);
	return msp_buf_detach(&b);
}

static void assert_contains(const char *hay, const char *needle)
{
	if (!strstr(hay, needle))
		fail_msg("'%s' not found in:\n%s", needle, hay);
}

static void assert_line1_starts(const char *out, const char *prefix)
{
	if (strncmp(out, prefix, strlen(prefix)) != 0)
		fail_msg("expected line 1 to start with '%s', got:\n%s", prefix, out);
}

/* --------------------------------------------------------- header parse */

static void test_header__sigtool_daily_fields(void **state)
{
	char buf[CHECK_CLAMAV_HEADER_SIZE];
	struct check_clamav_header h;
	struct msp_error err;
	size_t len;

	(void)state;
	fixture_header("fresh/daily.cld", buf, &len);
	msp_error_init(&err);
	assert_int_equal(check_clamav_parse_header(buf, len, &h, &err), 0);
	assert_int_equal(h.version, 27500);
	assert_int_equal(h.sigs, 1);
	assert_int_equal(h.flevel, 216);
	assert_int_equal(h.build_time, DAILY_27500_BUILT);
	assert_string_equal(h.builder, "builder");
}

static void test_header__main_and_bytecode_fields(void **state)
{
	char buf[CHECK_CLAMAV_HEADER_SIZE];
	struct check_clamav_header h;
	size_t len;

	(void)state;
	fixture_header("fresh/main.cvd", buf, &len);
	assert_int_equal(check_clamav_parse_header(buf, len, &h, NULL), 0);
	assert_int_equal(h.version, 62);
	assert_int_equal(h.build_time, 1631819400);
	fixture_header("fresh/bytecode.cvd", buf, &len);
	assert_int_equal(check_clamav_parse_header(buf, len, &h, NULL), 0);
	assert_int_equal(h.version, 335);
	assert_int_equal(h.build_time, 1709736720);
}

struct bad_header {
	const char *file;
	const char *message;
};

static const struct bad_header bad_headers[] = {
	{ "truncated/daily.cvd", "truncated header (100 of 512 bytes)" },
	{ "zeros/daily.cvd", "not a ClamAV database (no 'ClamAV-VDB' header)" },
	{ "gzip_part/daily.cvd", "not a ClamAV database (no 'ClamAV-VDB' header)" },
	{ "bad_version/daily.cld", "malformed header: version '27x00' is not a number" },
	{ "no_build_time/daily.cvd", "malformed header: 7 fields instead of 9" },
};

static void test_header__bad_headers_are_errors_with_the_reason(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(bad_headers) / sizeof(bad_headers[0]); i++) {
		char buf[CHECK_CLAMAV_HEADER_SIZE];
		struct check_clamav_header h = { .version = 99 };
		struct msp_error err;
		size_t len;

		fixture_header(bad_headers[i].file, buf, &len);
		msp_error_init(&err);
		assert_int_equal(check_clamav_parse_header(buf, len, &h, &err), MSP_EINVAL);
		if (strcmp(err.msg, bad_headers[i].message) != 0)
			fail_msg("%s: '%s', expected '%s'", bad_headers[i].file, err.msg, bad_headers[i].message);
		assert_int_equal(h.version, 99); /* untouched on failure */
	}
}

static void test_header__every_byte_shorter_is_truncated(void **state)
{
	char buf[CHECK_CLAMAV_HEADER_SIZE];
	struct check_clamav_header h;
	size_t len;

	(void)state;
	fixture_header("fresh/daily.cld", buf, &len);
	for (size_t n = 0; n < CHECK_CLAMAV_HEADER_SIZE; n += 37)
		assert_int_equal(check_clamav_parse_header(buf, n, &h, NULL), MSP_EINVAL);
	assert_int_equal(check_clamav_parse_header(buf, CHECK_CLAMAV_HEADER_SIZE - 1, &h, NULL), MSP_EINVAL);
}

static void test_header__extra_fields_are_malformed(void **state)
{
	char buf[CHECK_CLAMAV_HEADER_SIZE + 1];
	struct check_clamav_header h;
	struct msp_error err;
	size_t len;
	char *end;

	(void)state;
	/* The real header with ":extra" after its 9th field, in the blank padding. */
	fixture_header("fresh/daily.cld", buf, &len);
	buf[CHECK_CLAMAV_HEADER_SIZE] = '\0';
	end = strstr(buf, ":1795834800");
	assert_non_null(end);
	end += strlen(":1795834800");
	memcpy(end, ":extra", 6);
	msp_error_init(&err);
	assert_int_equal(check_clamav_parse_header(buf, len, &h, &err), MSP_EINVAL);
	assert_string_equal(err.msg, "malformed header: more than 9 fields");
}

/* --------------------------------------------------------- read_db */

static void test_read_db__newer_of_cvd_and_cld_counts(void **state)
{
	struct check_clamav_sample s;

	(void)state;
	read_dir("cvd_and_cld", &s);
	assert_int_equal(s.db[CHECK_CLAMAV_DAILY].status, CHECK_CLAMAV_DB_OK);
	assert_string_equal(s.db[CHECK_CLAMAV_DAILY].file, "daily.cld");
	assert_int_equal(s.db[CHECK_CLAMAV_DAILY].h.version, 27500);
	read_dir("cld_older", &s);
	assert_string_equal(s.db[CHECK_CLAMAV_DAILY].file, "daily.cvd");
	assert_int_equal(s.db[CHECK_CLAMAV_DAILY].h.version, 27500);
	assert_int_equal(s.db[CHECK_CLAMAV_MAIN].status, CHECK_CLAMAV_DB_OK);
	assert_int_equal(s.db[CHECK_CLAMAV_BYTECODE].status, CHECK_CLAMAV_DB_OK);
}

static void test_read_db__missing_and_bad(void **state)
{
	struct check_clamav_sample s;

	(void)state;
	read_dir("no_daily", &s);
	assert_int_equal(s.db[CHECK_CLAMAV_DAILY].status, CHECK_CLAMAV_DB_MISSING);
	assert_int_equal(s.db[CHECK_CLAMAV_MAIN].status, CHECK_CLAMAV_DB_OK);
	read_dir("truncated", &s);
	assert_int_equal(s.db[CHECK_CLAMAV_DAILY].status, CHECK_CLAMAV_DB_BAD);
	assert_string_equal(s.db[CHECK_CLAMAV_DAILY].file, "daily.cvd");
	assert_string_equal(s.db[CHECK_CLAMAV_DAILY].problem, "truncated header (100 of 512 bytes)");
	read_dir("does-not-exist", &s);
	for (int i = 0; i < CHECK_CLAMAV_NDB; i++)
		assert_int_equal(s.db[i].status, CHECK_CLAMAV_DB_MISSING);
}

static void test_read_db__unreadable_file_is_bad(void **state)
{
	char dir[] = "/tmp/test_check_clamav.XXXXXX";
	char path[1200];
	struct check_clamav_db d;

	(void)state;
	assert_non_null(mkdtemp(dir));
	/* A directory where the file should be: open works, reading does not. */
	snprintf(path, sizeof(path), "%s/daily.cvd", dir);
	assert_int_equal(mkdir(path, 0700), 0);
	check_clamav_read_db(dir, CHECK_CLAMAV_DAILY, &d);
	assert_int_equal(d.status, CHECK_CLAMAV_DB_BAD);
	assert_string_equal(d.problem, "not a regular file");
	rmdir(path);
	rmdir(dir);
}

/*
 * A header is not a database: ClamAV refuses a .cvd whose body does not match the MD5
 * in its header, and a .cld whose tar archive is cut short.  Each directory holds one
 * damaged daily beside good main and bytecode containers (README.md).
 */
struct bad_body {
	const char *dir;
	const char *file;
	const char *problem;
};

static const struct bad_body bad_bodies[] = {
	{ "header_only", "daily.cvd", "no data after the header (header only)" },
	{ "body_truncated", "daily.cvd", "body does not match the MD5 in the header (damaged or incomplete)" },
	{ "header_wrong_body", "daily.cvd", "body does not match the MD5 in the header (damaged or incomplete)" },
	{ "header_garbage", "daily.cvd", "body does not match the MD5 in the header (damaged or incomplete)" },
	{ "cud_truncated", "daily.cud", "body does not match the MD5 in the header (damaged or incomplete)" },
	{ "cld_header_only", "daily.cld", "no data after the header (header only)" },
	{ "cld_truncated", "daily.cld", "tar entry 'daily.hdb' ends after 20 of 42 bytes (truncated)" },
	{ "cld_entry_missing", "daily.cld", "'daily.hdb' listed in daily.info is missing from the archive" },
	{ "cld_garbage", "daily.cld", "neither a tar archive nor a gzip stream after the header" },
	{ "cld_bad_checksum", "daily.cld", "tar entry 2: header checksum does not match (damaged)" },
	{ "cld_bad_sha256", "daily.cld", "'daily.hdb' does not match its SHA-256 in daily.info" },
};

static void test_read_db__damaged_body_is_bad_with_the_file_named(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(bad_bodies) / sizeof(bad_bodies[0]); i++) {
		const struct bad_body *c = &bad_bodies[i];
		struct check_clamav_sample s;

		read_dir(c->dir, &s);
		if (s.db[CHECK_CLAMAV_DAILY].status != CHECK_CLAMAV_DB_BAD)
			fail_msg("%s: daily is not BAD (status %d, %s)", c->dir, (int)s.db[CHECK_CLAMAV_DAILY].status,
				 s.db[CHECK_CLAMAV_DAILY].problem);
		assert_string_equal(s.db[CHECK_CLAMAV_DAILY].file, c->file);
		if (strcmp(s.db[CHECK_CLAMAV_DAILY].problem, c->problem) != 0)
			fail_msg("%s: '%s', expected '%s'", c->dir, s.db[CHECK_CLAMAV_DAILY].problem, c->problem);
		assert_int_equal(s.db[CHECK_CLAMAV_MAIN].status, CHECK_CLAMAV_DB_OK);
		assert_int_equal(s.db[CHECK_CLAMAV_BYTECODE].status, CHECK_CLAMAV_DB_OK);
	}
}

static void test_read_db__says_what_was_verified(void **state)
{
	struct check_clamav_sample s;

	(void)state;
	read_dir("fresh", &s);
	assert_int_equal(s.db[CHECK_CLAMAV_DAILY].status, CHECK_CLAMAV_DB_OK);
	assert_string_equal(s.db[CHECK_CLAMAV_DAILY].verified, "tar and SHA-256 of 1 file checked against daily.info");
	assert_string_equal(s.db[CHECK_CLAMAV_MAIN].verified, "body MD5 checked (not the digital signature)");
	read_dir("cud", &s);
	assert_int_equal(s.db[CHECK_CLAMAV_DAILY].status, CHECK_CLAMAV_DB_OK);
	assert_string_equal(s.db[CHECK_CLAMAV_DAILY].file, "daily.cud");
	assert_string_equal(s.db[CHECK_CLAMAV_DAILY].verified, "body MD5 checked (not the digital signature)");
	/* sigtool's own .cld is gzip'd with a matching MD5; freshclam's compressed one is not checkable. */
	read_dir("cld_gzip", &s);
	assert_int_equal(s.db[CHECK_CLAMAV_DAILY].status, CHECK_CLAMAV_DB_OK);
	assert_string_equal(s.db[CHECK_CLAMAV_DAILY].verified, "body MD5 checked (not the digital signature)");
}

static void test_evaluate__header_only_cvd_is_critical(void **state)
{
	struct check_clamav_config cfg;
	struct check_clamav_sample s;
	enum msp_state st;
	char *out;

	(void)state;
	configure(&cfg, NULL);
	for (size_t i = 0; i < sizeof(bad_bodies) / sizeof(bad_bodies[0]); i++) {
		char want[400];

		read_dir(bad_bodies[i].dir, &s);
		out = evaluate(&cfg, &s, DAILY_27500_BUILT + HOUR, &st);
		if (st != MSP_STATE_CRITICAL)
			fail_msg("%s: %s", bad_bodies[i].dir, out);
		snprintf(want, sizeof(want), "CLAMAV CRITICAL - %s: %s | signatures=2;;;0\n", bad_bodies[i].file,
			 bad_bodies[i].problem);
		assert_line1_starts(out, want);
		free(out);
	}
}

/* --------------------------------------------------------- evaluate */

static void test_evaluate__fresh_is_ok_with_perfdata(void **state)
{
	struct check_clamav_config cfg;
	struct check_clamav_sample s;
	enum msp_state st;
	char *out;

	(void)state;
	configure(&cfg, NULL);
	read_dir("fresh", &s);
	out = evaluate(&cfg, &s, DAILY_27500_BUILT + HOUR, &st);
	assert_int_equal(st, MSP_STATE_OK);
	assert_line1_starts(out, "CLAMAV OK - daily 27500 built 1h ago | daily_age=3600s;172800;345600;0 "
				 "daily_version=27500;;;0 signatures=3;;;0\n");
	assert_contains(out, "[OK] daily.cld: version 27500, 1 signatures, built 2026-11-28 03:00 UTC (1h ago)");
	assert_contains(out, "[OK] main.cvd: version 62");
	free(out);
}

struct age_case {
	const char *warn, *crit;
	int64_t age;
	enum msp_state state;
};

static const struct age_case age_cases[] = {
	{ NULL, NULL, 2 * DAY, MSP_STATE_OK }, /* the limit itself is not an alert */
	{ NULL, NULL, 2 * DAY + 1, MSP_STATE_WARNING },
	{ NULL, NULL, 4 * DAY, MSP_STATE_WARNING },
	{ NULL, NULL, 4 * DAY + 1, MSP_STATE_CRITICAL },
	{ "6h", "12h", 7 * HOUR, MSP_STATE_WARNING },
	{ "6h", "12h", 13 * HOUR, MSP_STATE_CRITICAL },
	{ "6h", "12h", 5 * HOUR, MSP_STATE_OK },
	{ NULL, NULL, -2 * 60, MSP_STATE_OK },        /* mirror clock a little ahead: just built */
	{ NULL, NULL, -10 * 60, MSP_STATE_WARNING },  /* beyond --max-future (5m): the clock or the file is wrong */
	{ NULL, NULL, -2 * HOUR, MSP_STATE_WARNING },
	{ "1h", "90m", -2 * HOUR, MSP_STATE_WARNING },
	{ "1:", "2:", -2 * HOUR, MSP_STATE_CRITICAL }, /* a minimum age: age 0 is below it */
};

static void test_evaluate__daily_age_thresholds(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(age_cases) / sizeof(age_cases[0]); i++) {
		const char *args[5] = { NULL };
		struct check_clamav_config cfg;
		int n = 0;
		struct check_clamav_sample s;
		enum msp_state st;
		char *out;

		if (age_cases[i].warn) {
			args[n++] = "-w";
			args[n++] = age_cases[i].warn;
		}
		if (age_cases[i].crit) {
			args[n++] = "-c";
			args[n++] = age_cases[i].crit;
		}
		configure(&cfg, args);
		read_dir("fresh", &s);
		out = evaluate(&cfg, &s, DAILY_27500_BUILT + age_cases[i].age, &st);
		if (st != age_cases[i].state)
			fail_msg("case %zu: state %s, expected %s:\n%s", i, msp_state_name(st),
				 msp_state_name(age_cases[i].state), out);
		free(out);
	}
}

static void test_evaluate__future_build_time_says_so(void **state)
{
	const char *const *wider = MSP_ARGS("--max-future", "3h");
	struct check_clamav_config cfg;
	struct check_clamav_sample s;
	enum msp_state st;
	char *out;

	(void)state;
	configure(&cfg, NULL);
	read_dir("fresh", &s);
	out = evaluate(&cfg, &s, DAILY_27500_BUILT - 2 * HOUR, &st);
	assert_int_equal(st, MSP_STATE_WARNING);
	assert_line1_starts(out, "CLAMAV WARNING - daily 27500 built 2h in the future (clock problem?) | daily_age=0s;");
	free(out);
	out = evaluate(&cfg, &s, DAILY_27500_BUILT - 120, &st);
	assert_int_equal(st, MSP_STATE_OK);
	assert_contains(out, "daily_age=0s;");
	free(out);
	configure(&cfg, wider);
	out = evaluate(&cfg, &s, DAILY_27500_BUILT - 2 * HOUR, &st);
	assert_int_equal(st, MSP_STATE_OK);
	free(out);
}

static void test_evaluate__missing_databases_are_critical(void **state)
{
	const char *const *args = MSP_ARGS("--db-dir", "/nonexistent");
	struct check_clamav_config cfg;
	struct check_clamav_sample s;
	enum msp_state st;
	char *out;

	(void)state;
	configure(&cfg, args);
	memset(&s, 0, sizeof(s));
	for (int i = 0; i < CHECK_CLAMAV_NDB; i++)
		check_clamav_read_db(cfg.db_dir, (enum check_clamav_dbid)i, &s.db[i]);
	out = evaluate(&cfg, &s, DAILY_27500_BUILT, &st);
	assert_int_equal(st, MSP_STATE_CRITICAL);
	/* No perfdata is made up for a database that is not there. */
	assert_line1_starts(out, "CLAMAV CRITICAL - no daily, main, bytecode database in '/nonexistent'\n");
	assert_contains(out, "[CRITICAL] no daily database (daily.cvd, .cld or .cud) in '/nonexistent'");
	free(out);
}

static void test_evaluate__bad_daily_is_critical_even_when_fresh_elsewhere(void **state)
{
	static const char *const dirs[] = { "truncated", "zeros", "gzip_part", "bad_version", "no_build_time",
					    "no_daily" };
	struct check_clamav_config cfg;

	(void)state;
	configure(&cfg, NULL);
	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		struct check_clamav_sample s;
		enum msp_state st;
		char *out;

		read_dir(dirs[i], &s);
		out = evaluate(&cfg, &s, DAILY_27500_BUILT + HOUR, &st);
		if (st != MSP_STATE_CRITICAL)
			fail_msg("%s: %s", dirs[i], out);
		assert_null(strstr(out, "daily_age="));
		free(out);
	}
}

static void test_evaluate__truncated_summary_names_file_and_reason(void **state)
{
	struct check_clamav_config cfg;
	struct check_clamav_sample s;
	enum msp_state st;
	char *out;

	(void)state;
	configure(&cfg, NULL);
	read_dir("truncated", &s);
	out = evaluate(&cfg, &s, DAILY_27500_BUILT + HOUR, &st);
	assert_line1_starts(out, "CLAMAV CRITICAL - daily.cvd: truncated header (100 of 512 bytes) | signatures=2;;;0\n");
	free(out);
}

static void test_evaluate__databases_option_narrows_what_is_required(void **state)
{
	const char *const *only_daily = MSP_ARGS("--databases", "daily");
	const char *const *daily_main = MSP_ARGS("--databases", "daily,main");
	struct check_clamav_config cfg;
	struct check_clamav_sample s;
	enum msp_state st;
	char *out;

	(void)state;
	read_dir("only_daily", &s);
	configure(&cfg, NULL);
	out = evaluate(&cfg, &s, DAILY_27500_BUILT + HOUR, &st);
	assert_int_equal(st, MSP_STATE_CRITICAL);
	assert_line1_starts(out, "CLAMAV CRITICAL - no main, bytecode database in '");
	free(out);
	configure(&cfg, only_daily);
	out = evaluate(&cfg, &s, DAILY_27500_BUILT + HOUR, &st);
	assert_int_equal(st, MSP_STATE_OK);
	free(out);
	configure(&cfg, daily_main);
	out = evaluate(&cfg, &s, DAILY_27500_BUILT + HOUR, &st);
	assert_int_equal(st, MSP_STATE_CRITICAL);
	assert_line1_starts(out, "CLAMAV CRITICAL - no main database in '");
	free(out);
}

/* --------------------------------------------------------- freshclam */

static void parse_log(const char *name, struct check_clamav_freshclam *f)
{
	char *text = fixture_text(name);

	check_clamav_parse_freshclam(text, strlen(text), false, f);
	free(text);
}

static void test_freshclam__offline_runs_failed(void **state)
{
	struct check_clamav_freshclam f;

	(void)state;
	parse_log("freshclam_offline_twice.log", &f);
	assert_int_equal(f.attempts, 2);
	assert_int_equal(f.result, CHECK_CLAMAV_UPDATE_FAILED);
	assert_int_equal(f.result_time, 1795841813); /* Sat Nov 28 04:56:53 2026 UTC */
	assert_string_equal(f.reason, "Database update process failed: HTTP GET failed");
	assert_false(f.pending);
}

static void test_freshclam__last_run_decides(void **state)
{
	struct check_clamav_freshclam f;

	(void)state;
	parse_log("freshclam_up_then_failed.log", &f);
	assert_int_equal(f.attempts, 2);
	assert_int_equal(f.result, CHECK_CLAMAV_UPDATE_FAILED);
	assert_int_equal(f.result_time, 1795841877);
	parse_log("freshclam_failed_then_up.log", &f);
	assert_int_equal(f.attempts, 2);
	assert_int_equal(f.result, CHECK_CLAMAV_UPDATE_OK);
	assert_int_equal(f.result_time, 1795841902);
	assert_string_equal(f.reason, "");
}

static void test_freshclam__verification_failure(void **state)
{
	struct check_clamav_freshclam f;

	(void)state;
	parse_log("freshclam_verify_failed.log", &f);
	assert_int_equal(f.result, CHECK_CLAMAV_UPDATE_FAILED);
	assert_string_equal(f.reason, "Database update process failed: Invalid or corrupted CVD/CLD database");
}

static void test_freshclam__unfinished_last_run_is_pending(void **state)
{
	char *text = fixture_text("freshclam_up_then_failed.log");
	struct check_clamav_freshclam f;
	char *second;

	(void)state;
	/* Cut the log where the second run has only started. */
	second = strstr(strstr(text, "update process started at") + 1, "update process started at");
	assert_non_null(second);
	second[40] = '\0';
	check_clamav_parse_freshclam(text, strlen(text), false, &f);
	assert_int_equal(f.attempts, 2);
	assert_int_equal(f.result, CHECK_CLAMAV_UPDATE_OK);
	assert_true(f.pending);
	free(text);
}

static void test_freshclam__partial_tail_skips_the_first_line(void **state)
{
	char *text = fixture_text("freshclam_failed_then_up.log");
	struct check_clamav_freshclam f;
	char *cut;

	(void)state;
	/* As if the read started in the middle of the second run's start line. */
	cut = strstr(strstr(text, "update process started at") + 1, "update process started at");
	check_clamav_parse_freshclam(cut, strlen(cut), true, &f);
	assert_int_equal(f.attempts, 0);
	assert_int_equal(f.result, CHECK_CLAMAV_UPDATE_NONE);
	free(text);
}

static void test_freshclam__nul_run_does_not_hide_later_runs(void **state)
{
	struct check_clamav_freshclam f;
	size_t len;
	char *text = fixture_bytes("freshclam_nul_after_crash.log", 1 << 20, &len);

	(void)state;
	/* A crash left 4096 NUL bytes after a successful run; the failed run after them decides. */
	check_clamav_parse_freshclam(text, len, false, &f);
	assert_int_equal(f.attempts, 2);
	assert_int_equal(f.result, CHECK_CLAMAV_UPDATE_FAILED);
	assert_int_equal(f.result_time, 1795841877);
	assert_string_equal(f.reason, "Database update process failed: HTTP GET failed");
	/* NULs in the middle of a line end that line; the partial first line is skipped past a NUL too. */
	memset(text + 10, '\0', 30);
	check_clamav_parse_freshclam(text, len, true, &f);
	assert_int_equal(f.attempts, 2);
	assert_int_equal(f.result, CHECK_CLAMAV_UPDATE_FAILED);
	free(text);
}

static void test_freshclam__impossible_time_is_a_problem_not_another_date(void **state)
{
	static const char log[] =
		"--------------------------------------\n"
		"Sat Feb 31 04:56:28 2026 -> ClamAV update process started at Sat Feb 31 04:56:28 2026\n"
		"Sat Feb 31 04:56:28 2026 -> daily.cld database is up-to-date (version: 27500, sigs: 2077000, "
		"f-level: 90, builder: raynman)\n";
	struct check_clamav_freshclam f;

	(void)state;
	check_clamav_parse_freshclam(log, sizeof(log) - 1, false, &f);
	assert_string_equal(f.problem, "impossible time in 'Sat Feb 31 04:56:28 2026 -> ClamAV update process "
				       "started at Sat Feb 31 04:56:28 2026'");
}

static void test_freshclam__empty_log_and_evaluate_states(void **state)
{
	const char *const *args = MSP_ARGS("--freshclam-log", "/var/log/clamav/freshclam.log", "--databases", "daily");
	struct check_clamav_config cfg;
	struct check_clamav_sample s;
	enum msp_state st;
	char *out;

	(void)state;
	configure(&cfg, args);
	read_dir("fresh", &s);
	check_clamav_parse_freshclam("", 0, false, &s.freshclam);
	out = evaluate(&cfg, &s, DAILY_27500_BUILT + HOUR, &st);
	assert_int_equal(st, MSP_STATE_UNKNOWN);
	assert_line1_starts(out, "CLAMAV UNKNOWN - no finished freshclam update in '/var/log/clamav/freshclam.log' "
				 "(LogTime and UpdateLogFile set?); daily 27500");
	free(out);

	parse_log("freshclam_up_then_failed.log", &s.freshclam);
	out = evaluate(&cfg, &s, 1795841877 + 600, &st);
	assert_int_equal(st, MSP_STATE_WARNING);
	assert_line1_starts(out, "CLAMAV WARNING - freshclam failed 10m ago: Database update process failed: "
				 "HTTP GET failed; daily 27500 built");
	free(out);

	parse_log("freshclam_failed_then_up.log", &s.freshclam);
	out = evaluate(&cfg, &s, DAILY_27500_BUILT + HOUR, &st);
	assert_int_equal(st, MSP_STATE_OK);
	assert_line1_starts(out, "CLAMAV OK - daily 27500 built 1h ago, freshclam OK |");
	free(out);

	/* Stale database and failing updates: the worst wins. */
	parse_log("freshclam_offline_twice.log", &s.freshclam);
	out = evaluate(&cfg, &s, DAILY_27500_BUILT + 5 * DAY, &st);
	assert_int_equal(st, MSP_STATE_CRITICAL);
	free(out);

	memset(&s.freshclam, 0, sizeof(s.freshclam));
	s.freshclam.checked = true;
	snprintf(s.freshclam.problem, sizeof(s.freshclam.problem), "cannot read 'x': Permission denied");
	out = evaluate(&cfg, &s, DAILY_27500_BUILT + HOUR, &st);
	assert_int_equal(st, MSP_STATE_UNKNOWN);
	assert_line1_starts(out, "CLAMAV UNKNOWN - freshclam log: cannot read 'x': Permission denied;");
	free(out);
}

/* --------------------------------------------------------- daemon */

static void test_version__loaded_daily_and_none(void **state)
{
	struct check_clamav_daemon d;
	struct msp_error err;

	(void)state;
	memset(&d, 0, sizeof(d));
	msp_error_init(&err);
	assert_int_equal(check_clamav_parse_version("ClamAV 1.4.6/27490/Fri Nov 20 10:00:00 2026", &d, &err), 0);
	assert_string_equal(d.engine, "1.4.6");
	assert_true(d.has_loaded);
	assert_int_equal(d.loaded, 27490);
	assert_int_equal(check_clamav_parse_version("ClamAV 1.4.6", &d, &err), 0);
	assert_false(d.has_loaded);
	assert_int_equal(check_clamav_parse_version("PONG", &d, &err), MSP_EINVAL);
	assert_int_equal(check_clamav_parse_version("ClamAV x/27490/today", &d, &err), MSP_EINVAL);
	assert_int_equal(check_clamav_parse_version("ClamAV 1.4.6/27x90/today", &d, &err), MSP_EINVAL);
	assert_int_equal(check_clamav_parse_version("ClamAV 1.4.6//today", &d, &err), MSP_EINVAL);
}

static void test_version__trailing_text_is_not_a_version(void **state)
{
	struct check_clamav_daemon d;
	struct msp_error err;

	(void)state;
	memset(&d, 0, sizeof(d));
	msp_error_init(&err);
	/* clamd 1.4.6 on this machine: "ClamAV 1.4.6/27490/Fri Nov 20 10:00:00 2026" (ctime of the build). */
	assert_int_equal(check_clamav_parse_version("ClamAV 1.4.6/27490/Fri Nov 20 10:00:00 2026", &d, &err), 0);
	assert_int_equal(check_clamav_parse_version("ClamAV 1.4.6/27490/Sun Nov  8 10:00:00 2026", &d, &err), 0);
	assert_int_equal(check_clamav_parse_version("ClamAV 1.4.6/27490/Fri Nov 20 10:00:00 2026 PONG", &d, &err),
			 MSP_EINVAL);
	assert_string_equal(err.msg, "database date 'Fri Nov 20 10:00:00 2026 PONG' is not a date");
	assert_int_equal(check_clamav_parse_version("ClamAV 1.4.6/27490/today", &d, &err), MSP_EINVAL);
	/* strptime takes day 31 of any month; mktime would move it to March */
	assert_int_equal(check_clamav_parse_version("ClamAV 1.4.6/27490/Sat Feb 31 10:00:00 2026", &d, &err),
			 MSP_EINVAL);
	assert_int_equal(check_clamav_parse_version("ClamAV 1.4.6 extra", &d, &err), MSP_EINVAL);
	assert_int_equal(check_clamav_parse_version("ClamAV 1.4.6/27490x", &d, &err), MSP_EINVAL);
}

/* A sample with the fresh databases and a daemon that answered, for the daemon cases. */
static void daemon_sample(struct check_clamav_sample *s, uint64_t loaded)
{
	read_dir("fresh", s);
	s->daemon.status = CHECK_CLAMAV_DAEMON_UP;
	snprintf(s->daemon.where, sizeof(s->daemon.where), "socket '/run/clamav/clamd.ctl'");
	s->daemon.response_time = 0.0025;
	s->daemon.has_version = true;
	snprintf(s->daemon.engine, sizeof(s->daemon.engine), "1.4.6");
	s->daemon.has_loaded = loaded != 0;
	s->daemon.loaded = loaded;
}

static void test_evaluate__daemon_states(void **state)
{
	const char *const *plain = MSP_ARGS("--socket", "/run/clamav/clamd.ctl");
	const char *const *compare = MSP_ARGS("--socket", "/run/clamav/clamd.ctl", "--loaded-vs-disk");
	struct check_clamav_config cfg;
	struct check_clamav_sample s;
	enum msp_state st;
	char *out;

	(void)state;
	configure(&cfg, plain);
	daemon_sample(&s, 27500);
	out = evaluate(&cfg, &s, DAILY_27500_BUILT + HOUR, &st);
	assert_int_equal(st, MSP_STATE_OK);
	assert_line1_starts(out, "CLAMAV OK - daily 27500 built 1h ago, clamd 1.4.6 answered in 0.003 s | "
				 "daily_age=3600s;172800;345600;0 daily_version=27500;;;0 signatures=3;;;0 time=0.0025s;;;0\n");
	free(out);

	/* An older daily loaded than on disk: only --loaded-vs-disk cares. */
	daemon_sample(&s, 27490);
	out = evaluate(&cfg, &s, DAILY_27500_BUILT + HOUR, &st);
	assert_int_equal(st, MSP_STATE_OK);
	free(out);
	configure(&cfg, compare);
	assert_true(cfg.loaded_vs_disk);
	out = evaluate(&cfg, &s, DAILY_27500_BUILT + HOUR, &st);
	assert_int_equal(st, MSP_STATE_WARNING);
	assert_line1_starts(out, "CLAMAV WARNING - clamd runs daily 27490, daily.cld has 27500 (not reloaded); "
				 "daily 27500 built 1h ago |");
	assert_contains(out, "clamd 1.4.6 on socket '/run/clamav/clamd.ctl' answered in 0.003 s");
	free(out);
	daemon_sample(&s, 27501);
	out = evaluate(&cfg, &s, DAILY_27500_BUILT + HOUR, &st);
	assert_int_equal(st, MSP_STATE_WARNING);
	assert_contains(out, "(another database directory?)");
	free(out);

	/* Running without signatures. */
	daemon_sample(&s, 0);
	out = evaluate(&cfg, &s, DAILY_27500_BUILT + HOUR, &st);
	assert_int_equal(st, MSP_STATE_CRITICAL);
	assert_line1_starts(out, "CLAMAV CRITICAL - clamd 1.4.6 has no signature database loaded; daily 27500");
	free(out);

	/* PONG but VERSION failed: not OK. */
	daemon_sample(&s, 27500);
	s.daemon.has_version = false;
	snprintf(s.daemon.version_problem, sizeof(s.daemon.version_problem), "no answer to VERSION within the timeout");
	out = evaluate(&cfg, &s, DAILY_27500_BUILT + HOUR, &st);
	assert_int_equal(st, MSP_STATE_UNKNOWN);
	assert_line1_starts(out, "CLAMAV UNKNOWN - clamd answered PONG, but VERSION: no answer to VERSION within");
	free(out);

	/* Down: CRITICAL, no response time made up. */
	memset(&s.daemon, 0, sizeof(s.daemon));
	s.daemon.status = CHECK_CLAMAV_DAEMON_DOWN;
	snprintf(s.daemon.problem, sizeof(s.daemon.problem),
		 "cannot connect to 'unix:/run/clamav/clamd.ctl': Connection refused");
	out = evaluate(&cfg, &s, DAILY_27500_BUILT + HOUR, &st);
	assert_int_equal(st, MSP_STATE_CRITICAL);
	assert_line1_starts(out, "CLAMAV CRITICAL - clamd: cannot connect to 'unix:/run/clamav/clamd.ctl': Connection "
				 "refused; daily 27500 built 1h ago |");
	assert_null(strstr(out, "time="));
	free(out);
}

static void test_evaluate__eicar_states(void **state)
{
	const char *const *args = MSP_ARGS("--socket", "/run/clamav/clamd.ctl", "--eicar");
	struct check_clamav_config cfg;
	struct check_clamav_sample s;
	enum msp_state st;
	char *out;

	(void)state;
	configure(&cfg, args);
	assert_true(cfg.eicar);
	daemon_sample(&s, 27500);
	s.daemon.eicar = CHECK_CLAMAV_EICAR_FOUND;
	snprintf(s.daemon.eicar_reply, sizeof(s.daemon.eicar_reply), "Eicar-Signature");
	out = evaluate(&cfg, &s, DAILY_27500_BUILT + HOUR, &st);
	assert_int_equal(st, MSP_STATE_OK);
	assert_line1_starts(out, "CLAMAV OK - daily 27500 built 1h ago, clamd 1.4.6 answered in 0.003 s, EICAR detected |");
	assert_contains(out, "[OK] EICAR test string detected as Eicar-Signature");
	free(out);

	/* A scanner that detects nothing is CRITICAL. */
	s.daemon.eicar = CHECK_CLAMAV_EICAR_MISSED;
	out = evaluate(&cfg, &s, DAILY_27500_BUILT + HOUR, &st);
	assert_int_equal(st, MSP_STATE_CRITICAL);
	assert_line1_starts(out, "CLAMAV CRITICAL - clamd did not detect the EICAR test string; daily 27500");
	free(out);

	s.daemon.eicar = CHECK_CLAMAV_EICAR_FAILED;
	snprintf(s.daemon.eicar_reply, sizeof(s.daemon.eicar_reply), "clamd answered 'INSTREAM size limit exceeded. ERROR'");
	out = evaluate(&cfg, &s, DAILY_27500_BUILT + HOUR, &st);
	assert_int_equal(st, MSP_STATE_CRITICAL);
	assert_line1_starts(out, "CLAMAV CRITICAL - EICAR scan failed: clamd answered 'INSTREAM size limit exceeded");
	free(out);
}

/* Usage errors: the runner's own parse and finish, each with its message (no check runs). */
static const struct msp_test_case usage_errors[] = {
	{ { "--socket", "/s", "-H", "h" },
	  MSP_STATE_UNKNOWN,
	  "^CLAMAV UNKNOWN - give either --socket or -H, not both$" },
	{ { "--eicar" }, MSP_STATE_UNKNOWN, "^CLAMAV UNKNOWN - --eicar needs clamd: give --socket PATH or -H HOST$" },
	{ { "--loaded-vs-disk" },
	  MSP_STATE_UNKNOWN,
	  "^CLAMAV UNKNOWN - --loaded-vs-disk needs clamd: give --socket PATH or -H HOST$" },
	{ { "--port", "3310" }, MSP_STATE_UNKNOWN, "^CLAMAV UNKNOWN - -p, -4 and -6 need -H HOST$" },
	{ { "--use-ipv6" }, MSP_STATE_UNKNOWN, "^CLAMAV UNKNOWN - -p, -4 and -6 need -H HOST$" },
	{ { "--socket", "/s", "--port", "3310" },
	  MSP_STATE_UNKNOWN,
	  "^CLAMAV UNKNOWN - -p, -4 and -6 apply to -H, not to --socket$" },
	{ { "-H", "h", "--port", "0" },
	  MSP_STATE_UNKNOWN,
	  "^CLAMAV UNKNOWN - --port '0' is not a whole number from 1 to 65535$" },
	{ { "-H", "h", "--port", "70000" },
	  MSP_STATE_UNKNOWN,
	  "^CLAMAV UNKNOWN - --port '70000' is not a whole number" },
	{ { "-H", "h", "--port", "clamd" },
	  MSP_STATE_UNKNOWN,
	  "^CLAMAV UNKNOWN - --port 'clamd' is not a whole number" },
	{ { "--databases", "none" },
	  MSP_STATE_UNKNOWN,
	  "^CLAMAV UNKNOWN - nothing to check: --databases none needs --socket or -H$" },
	{ { "--databases", "none", "--socket", "/s", "--loaded-vs-disk" },
	  MSP_STATE_UNKNOWN,
	  "^CLAMAV UNKNOWN - --loaded-vs-disk compares with --db-dir: not with --databases none$" },
	{ { "--databases", "daily,mian" },
	  MSP_STATE_UNKNOWN,
	  "^CLAMAV UNKNOWN - unknown database 'mian' in 'daily,mian': use daily, main, bytecode$" },
	{ { "-w", "2x" }, MSP_STATE_UNKNOWN, "^CLAMAV UNKNOWN - .*'2x'" },
	{ { "-c", "10:5" },
	  MSP_STATE_UNKNOWN,
	  "^CLAMAV UNKNOWN - cannot parse range '10:5': range start is above end$" },
	{ { "-w", "4d", "-c", "2d" },
	  MSP_STATE_UNKNOWN,
	  "^CLAMAV UNKNOWN - warning age '4d' is above critical age '2d': .* \\(swap the two\\)$" },
	{ { "--max-future", "soon" }, MSP_STATE_UNKNOWN, "^CLAMAV UNKNOWN - --max-future 'soon' is not a duration" },
	{ { "-w", "" }, MSP_STATE_UNKNOWN, "^CLAMAV UNKNOWN - option '--warning' is empty$" },
	{ { "--critical", "" }, MSP_STATE_UNKNOWN, "^CLAMAV UNKNOWN - option '--critical' is empty$" },
	{ { "--db-dir", "/x", "stray" }, MSP_STATE_UNKNOWN, "^CLAMAV UNKNOWN - unexpected argument 'stray'$" },
};

static void test_options__usage_errors_name_the_problem(void **state)
{
	struct check_clamav_config cfg;

	(void)state;
	msp_test_cases(msp_test_plugin, &cfg, sizeof(cfg), usage_errors,
		       sizeof(usage_errors) / sizeof(usage_errors[0]));
}

static void test_options__daemon_defaults(void **state)
{
	const char *const *tcp = MSP_ARGS("-H", "::1");
	const char *const *none = MSP_ARGS("--databases", "none", "-H", "clamd.example");
	struct check_clamav_config cfg;

	(void)state;
	configure(&cfg, tcp);
	assert_int_equal(cfg.port, 3310);
	assert_false(cfg.port_given);
	assert_string_equal(cfg.host, "::1");
	configure(&cfg, MSP_ARGS("-H", "::1", "-p", "", "-6"));
	assert_int_equal(cfg.port, 3310);
	assert_int_equal(cfg.family, 6);
	configure(&cfg, MSP_ARGS("-H", "::1", "-p", "3311", "-4"));
	assert_int_equal(cfg.port, 3311);
	assert_int_equal(cfg.family, 4);
	configure(&cfg, none);
	assert_true(cfg.no_databases);
	for (int i = 0; i < CHECK_CLAMAV_NDB; i++)
		assert_false(cfg.want[i]);
}

/* --------------------------------------------------------- options */

static void test_options__defaults(void **state)
{
	struct check_clamav_config cfg;
	char buf[MSP_RANGE_FORMAT_MAX];

	(void)state;
	configure(&cfg, NULL);
	assert_string_equal(cfg.db_dir, "/var/lib/clamav");
	assert_string_equal(msp_range_format(&cfg.age.thr.warn, 1, buf, sizeof(buf)), "172800");
	assert_string_equal(msp_range_format(&cfg.age.thr.crit, 1, buf, sizeof(buf)), "345600");
	assert_true(cfg.age.max_future == 300);
	assert_false(cfg.warn_given || cfg.crit_given);
	for (int i = 0; i < CHECK_CLAMAV_NDB; i++)
		assert_true(cfg.want[i]);
	assert_false(cfg.no_databases);
	assert_null(cfg.socket);
	assert_null(cfg.freshclam_log);
}

/* '' (an unset macro in a command file) is "not given" for these: the default holds. */
static void test_options__empty_values_are_not_given(void **state)
{
	struct check_clamav_config cfg;
	char buf[MSP_RANGE_FORMAT_MAX];

	(void)state;
	configure(&cfg, MSP_ARGS("--db-dir", "", "--databases", "", "--max-future", "", "--freshclam-log", ""));
	assert_string_equal(cfg.db_dir, "/var/lib/clamav");
	assert_true(cfg.age.max_future == 300);
	assert_null(cfg.freshclam_log);
	for (int i = 0; i < CHECK_CLAMAV_NDB; i++)
		assert_true(cfg.want[i]);
	configure(&cfg, MSP_ARGS("--databases", "", "--databases", "main", "--db-dir", "/srv/clamav", "-c", "12h"));
	assert_true(cfg.want[CHECK_CLAMAV_DAILY] && cfg.want[CHECK_CLAMAV_MAIN]);
	assert_false(cfg.want[CHECK_CLAMAV_BYTECODE]);
	assert_string_equal(cfg.db_dir, "/srv/clamav");
	/* -c alone keeps the default warning (the age rule compares only what was given) */
	assert_string_equal(msp_range_format(&cfg.age.thr.warn, 1, buf, sizeof(buf)), "172800");
	assert_string_equal(msp_range_format(&cfg.age.thr.crit, 1, buf, sizeof(buf)), "43200");
	assert_true(cfg.crit_given);
	assert_false(cfg.warn_given);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_header__sigtool_daily_fields),
		cmocka_unit_test(test_header__main_and_bytecode_fields),
		cmocka_unit_test(test_header__bad_headers_are_errors_with_the_reason),
		cmocka_unit_test(test_header__every_byte_shorter_is_truncated),
		cmocka_unit_test(test_header__extra_fields_are_malformed),
		cmocka_unit_test(test_read_db__newer_of_cvd_and_cld_counts),
		cmocka_unit_test(test_read_db__missing_and_bad),
		cmocka_unit_test(test_read_db__unreadable_file_is_bad),
		cmocka_unit_test(test_read_db__damaged_body_is_bad_with_the_file_named),
		cmocka_unit_test(test_read_db__says_what_was_verified),
		cmocka_unit_test(test_evaluate__header_only_cvd_is_critical),
		cmocka_unit_test(test_evaluate__fresh_is_ok_with_perfdata),
		cmocka_unit_test(test_evaluate__daily_age_thresholds),
		cmocka_unit_test(test_evaluate__future_build_time_says_so),
		cmocka_unit_test(test_evaluate__missing_databases_are_critical),
		cmocka_unit_test(test_evaluate__bad_daily_is_critical_even_when_fresh_elsewhere),
		cmocka_unit_test(test_evaluate__truncated_summary_names_file_and_reason),
		cmocka_unit_test(test_evaluate__databases_option_narrows_what_is_required),
		cmocka_unit_test(test_freshclam__offline_runs_failed),
		cmocka_unit_test(test_freshclam__last_run_decides),
		cmocka_unit_test(test_freshclam__verification_failure),
		cmocka_unit_test(test_freshclam__unfinished_last_run_is_pending),
		cmocka_unit_test(test_freshclam__partial_tail_skips_the_first_line),
		cmocka_unit_test(test_freshclam__empty_log_and_evaluate_states),
		cmocka_unit_test(test_freshclam__nul_run_does_not_hide_later_runs),
		cmocka_unit_test(test_freshclam__impossible_time_is_a_problem_not_another_date),
		cmocka_unit_test(test_version__loaded_daily_and_none),
		cmocka_unit_test(test_version__trailing_text_is_not_a_version),
		cmocka_unit_test(test_evaluate__daemon_states),
		cmocka_unit_test(test_evaluate__eicar_states),
		cmocka_unit_test(test_options__usage_errors_name_the_problem),
		cmocka_unit_test(test_options__daemon_defaults),
		cmocka_unit_test(test_options__defaults),
		cmocka_unit_test(test_options__empty_values_are_not_given),
	};

	/* freshclam writes local time; the recorded logs were written in UTC. */
	setenv("TZ", "UTC", 1);
	tzset();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
