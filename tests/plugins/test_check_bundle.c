/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test_check_bundle.c - check_bundle's config parsing and word splitting,
 * the strict perfdata re-parser (prefixes, quoting, dropped garbage), the
 * evaluation of recorded child outputs (real plugins' output, garbage,
 * nothing, timeouts, signals, bad exit codes, missing plugins), the summary,
 * --list and the options through the runner's own parser (msp_test.h).
 */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <setjmp.h>
#include <cmocka.h>

#include "check_bundle.h"
#include "msp_test.h"

/* ------------------------------------------------------------ helpers */

/* A file of the project (contrib/...), found from the fixtures directory; the caller frees it. */
static char *read_top(const char *rel)
{
	char up[1024];

	snprintf(up, sizeof(up), "../../%s", rel);
	return msp_test_fixture(up, 1 << 20);
}

/* A recorded run: stdout from tests/fixtures/check_bundle/<name> (byte for byte: NULs too) and an exit code. */
static void recorded(struct msp_exec_result *res, const char *name, int code)
{
	char rel[256], path[4096];
	struct msp_error err;

	snprintf(rel, sizeof(rel), "check_bundle/%s", name);
	memset(res, 0, sizeof(*res));
	msp_buf_init(&res->out, 1 << 20);
	msp_buf_init(&res->err, 16);
	msp_error_init(&err);
	if (msp_file_read(msp_test_fixture_path(rel, path, sizeof(path)), 1 << 20, &res->out, &err) < 0)
		fail_msg("fixture: %s (is top_srcdir set?)", err.msg);
	res->exited = true;
	res->exit_code = code;
}

static struct check_bundle_entry entry(const char *name)
{
	struct check_bundle_entry e;

	memset(&e, 0, sizeof(e));
	snprintf(e.name, sizeof(e.name), "%s", name);
	return e;
}

/* Evaluate one run into a fresh root; returns the root (caller frees). */
static struct msp_result *eval(const char *name, const struct msp_exec_result *res, enum msp_state timeout_state)
{
	struct check_bundle_entry e = entry(name);
	struct check_bundle_run run = { res, "/usr/lib/msp/check_x", 10, NULL };
	struct msp_result *root = msp_result_new();

	assert_non_null(root);
	assert_int_equal(check_bundle_evaluate_child(&e, &run, timeout_state, root), 0);
	assert_int_equal(root->nchild, 1);
	assert_string_equal(root->child[0]->name, name);
	return root;
}

/* The perfdata of node as the nagios format writes it, space separated. Caller frees. */
static char *perf_text(const struct msp_result *node)
{
	struct msp_buf b;

	msp_buf_init(&b, 1 << 16);
	for (size_t i = 0; i < node->nperf; i++) {
		if (i)
			msp_buf_addc(&b, ' ');
		msp_perf_write(&node->perf[i], &b);
	}
	if (!b.data)
		return strdup("");
	return msp_buf_detach(&b);
}

static char *render(struct msp_result *root, enum msp_format fmt)
{
	return msp_test_render(msp_test_plugin, root, fmt);
}

static void expect_split(const char *line, int n, ...)
{
	struct msp_error err;
	char **argv = NULL;
	size_t argc = 0;
	va_list ap;

	msp_error_init(&err);
	if (check_bundle_split(line, &argv, &argc, &err) != 0)
		fail_msg("split '%s': %s", line, err.msg);
	assert_int_equal(argc, n);
	va_start(ap, n);
	for (int i = 0; i < n; i++)
		assert_string_equal(argv[i], va_arg(ap, const char *));
	va_end(ap);
	assert_null(argv[n]);
	check_bundle_free_argv(argv);
}

static void expect_split_error(const char *line, const char *msg)
{
	struct msp_error err;
	char *marker[1] = { NULL };
	char **argv = marker;
	size_t argc = 99;

	msp_error_init(&err);
	assert_int_equal(check_bundle_split(line, &argv, &argc, &err), MSP_EINVAL);
	assert_string_equal(err.msg, msg);
	assert_ptr_equal(argv, marker);
	assert_int_equal(argc, 99);
}

static void expect_config_error(const char *text, const char *msg)
{
	struct check_bundle_entry *e = NULL;
	struct msp_error err;
	size_t n = 77;

	msp_error_init(&err);
	assert_int_equal(check_bundle_parse_config(text, "t.conf", &e, &n, &err), MSP_EINVAL);
	assert_string_equal(err.msg, msg);
	assert_null(e);
	assert_int_equal(n, 77);
}

/* -------------------------------------------------------------- words */

static void test_bundle__split_words_and_quotes(void **state)
{
	(void)state;
	expect_split("check_disk -w 20% -c 10%", 5, "check_disk", "-w", "20%", "-c", "10%");
	expect_split("  a\t b  ", 2, "a", "b");
	expect_split("x 'a b' \"c d\" e\\ f", 4, "x", "a b", "c d", "e f");
	expect_split("x 'it''s' \"say \\\"hi\\\" \\\\ \\n\"", 3, "x", "its", "say \"hi\" \\ \\n");
	expect_split("x '' \"\"", 3, "x", "", "");
	expect_split("x 'a|b;c&d$e`f(g)<h>'", 2, "x", "a|b;c&d$e`f(g)<h>");
	expect_split("x \\| \\$HOME", 3, "x", "|", "$HOME");
	expect_split("x ~:10 @10:20 /srv/*.gz a#b", 5, "x", "~:10", "@10:20", "/srv/*.gz", "a#b");
	expect_split("x -w 1 # the rest is a comment 'unterminated", 3, "x", "-w", "1");
	expect_split("x '#not a comment'", 2, "x", "#not a comment");
}

static void test_bundle__split_rejects_shell_syntax_and_bad_quoting(void **state)
{
	(void)state;
	expect_split_error("check_x | grep OK", "a pipe symbol is shell syntax, but no shell runs the command (quote it)");
	expect_split_error("check_x; rm -rf /", "';' is shell syntax, but no shell runs the command (quote it)");
	expect_split_error("check_x > /tmp/out", "'>' is shell syntax, but no shell runs the command (quote it)");
	expect_split_error("check_x -H $HOST", "'$' is shell syntax, but no shell runs the command (quote it)");
	expect_split_error("check_x `id`", "'`' is shell syntax, but no shell runs the command (quote it)");
	expect_split_error("check_x &", "'&' is shell syntax, but no shell runs the command (quote it)");
	expect_split_error("check_x 'open", "unterminated single quote");
	expect_split_error("check_x \"open", "unterminated double quote");
	expect_split_error("check_x end\\", "a backslash ends the line");
	expect_split_error("   ", "no command");
	expect_split_error("# only a comment", "no command");
}

/* ------------------------------------------------------------- config */

static void test_bundle__config_lines_options_and_comments(void **state)
{
	const char *text = "# a comment\n"
			   "\n"
			   "   # indented comment\n"
			   "disk = check_disk -w 20% -c 10%\n"
			   "apt (optional, requires=/usr/bin/apt-get, timeout=2m) = /usr/local/bin/check_apt --list\r\n"
			   "web.1-x_y (timeout=500ms)=check_http -H 'a b'\n";
	struct check_bundle_entry *e = NULL;
	struct msp_error err;
	size_t n = 0;

	(void)state;
	msp_error_init(&err);
	if (check_bundle_parse_config(text, "t.conf", &e, &n, &err) != 0)
		fail_msg("%s", err.msg);
	assert_int_equal(n, 3);
	assert_string_equal(e[0].name, "disk");
	assert_int_equal(e[0].argc, 5);
	assert_string_equal(e[0].argv[0], "check_disk");
	assert_false(e[0].optional);
	assert_null(e[0].requires);
	assert_true(e[0].timeout == 0);
	assert_int_equal(e[0].line, 4);
	assert_string_equal(e[1].name, "apt");
	assert_true(e[1].optional);
	assert_string_equal(e[1].requires, "/usr/bin/apt-get");
	assert_true(e[1].timeout == 120);
	assert_int_equal(e[1].argc, 2);
	assert_string_equal(e[1].argv[1], "--list");
	assert_string_equal(e[2].name, "web.1-x_y");
	assert_true(e[2].timeout == 0.5);
	assert_int_equal(e[2].argc, 3);
	assert_string_equal(e[2].argv[1], "-H");
	assert_string_equal(e[2].argv[2], "a b");
	check_bundle_free_entries(e, n);
}

static void test_bundle__config_errors_name_the_line(void **state)
{
	(void)state;
	expect_config_error("disk = check_disk\n\nload check_load\n", "t.conf line 3: expected '=' after the name 'load'");
	expect_config_error("= check_disk\n", "t.conf line 1: expected 'NAME = COMMAND LINE'");
	expect_config_error("disk =\n", "t.conf line 1: no command");
	expect_config_error("disk = a\ndisk = b\n", "t.conf line 2: the name 'disk' is used twice");
	expect_config_error("d/x = a\n", "t.conf line 1: expected '=' after the name 'd'");
	expect_config_error("x (fast) = a\n",
			    "t.conf line 1: unknown option 'fast' (optional, timeout=DURATION, requires=/PATH)");
	expect_config_error("x (timeout=0) = a\n", "t.conf line 1: timeout '0' is not a duration from 1ms to 1d");
	expect_config_error("x (timeout=soon) = a\n", "t.conf line 1: timeout 'soon' is not a duration from 1ms to 1d");
	expect_config_error("x (requires=relative) = a\n",
			    "t.conf line 1: unknown option 'requires=relative' (optional, timeout=DURATION, requires=/PATH)");
	expect_config_error("x (optional = a\n", "t.conf line 1: '(' without ')'");
	expect_config_error("x = a | b\n", "t.conf line 1: a pipe symbol is shell syntax, but no shell runs the command (quote it)");
	expect_config_error("a_name_that_is_longer_than_32_chars = a\n", "t.conf line 1: name longer than 32 characters");
}

/* n lines "cNUM = /bin/true" (caller frees). */
static char *many_checks(int n)
{
	struct msp_buf b;

	msp_buf_init(&b, 1 << 20);
	for (int i = 1; i <= n; i++)
		msp_buf_addf(&b, "c%d = /bin/true\n", i);
	return msp_buf_detach(&b);
}

/* One line "x = WORD..." with n words of len bytes each (caller frees). */
static char *words_line(int n, size_t len)
{
	struct msp_buf b;

	msp_buf_init(&b, 1 << 20);
	msp_buf_adds(&b, "x =");
	for (int i = 0; i < n; i++) {
		msp_buf_addc(&b, ' ');
		for (size_t k = 0; k < len; k++)
			msp_buf_addc(&b, 'a');
	}
	msp_buf_addc(&b, '\n');
	return msp_buf_detach(&b);
}

static void test_bundle__config_at_most_64_checks(void **state)
{
	struct check_bundle_entry *e = NULL;
	struct msp_error err;
	char *text = many_checks(CHECK_BUNDLE_MAX);
	size_t n = 0;

	(void)state;
	msp_error_init(&err);
	if (check_bundle_parse_config(text, "t.conf", &e, &n, &err) != 0)
		fail_msg("%s", err.msg);
	assert_int_equal(n, 64);
	assert_string_equal(e[63].name, "c64");
	assert_int_equal(e[63].line, 64);
	check_bundle_free_entries(e, n);
	free(text);
	text = many_checks(CHECK_BUNDLE_MAX + 1);
	expect_config_error(text, "t.conf line 65: more than 64 checks");
	free(text);
	text = many_checks(200);
	expect_config_error(text, "t.conf line 65: more than 64 checks");
	free(text);
}

static void test_bundle__config_limits_are_errors_never_cut(void **state)
{
	struct check_bundle_entry *e = NULL;
	struct msp_error err;
	char *text;
	size_t n = 0;

	(void)state;
	/* 127 words after the program: 128 in all is the limit and fits */
	text = words_line(CHECK_BUNDLE_ARGS_MAX, 1);
	msp_error_init(&err);
	if (check_bundle_parse_config(text, "t.conf", &e, &n, &err) != 0)
		fail_msg("%s", err.msg);
	assert_int_equal(e[0].argc, 128);
	check_bundle_free_entries(e, n);
	free(text);
	text = words_line(CHECK_BUNDLE_ARGS_MAX + 1, 1);
	expect_config_error(text, "t.conf line 1: more than 128 words");
	free(text);
	/* a long word followed by another one is an error, never a shortened argument */
	text = words_line(2, CHECK_BUNDLE_WORD_MAX + 1);
	expect_split_error(text + 3, "a word is longer than 4096 bytes");
	free(text);
	text = words_line(1, CHECK_BUNDLE_WORD_MAX + 1);
	expect_config_error(text, "t.conf line 1: a word is longer than 4096 bytes");
	free(text);
	text = words_line(1, CHECK_BUNDLE_WORD_MAX);
	msp_error_init(&err);
	if (check_bundle_parse_config(text, "t.conf", &e, &n, &err) != 0)
		fail_msg("%s", err.msg);
	assert_int_equal(strlen(e[0].argv[0]), CHECK_BUNDLE_WORD_MAX);
	check_bundle_free_entries(e, n);
	free(text);
	/* a line: 3 words of 4096 bytes pass the line limit */
	text = words_line(3, CHECK_BUNDLE_WORD_MAX);
	expect_config_error(text, "t.conf line 1: line longer than 8192 bytes");
	free(text);
	/* an option in ( ) */
	{
		struct msp_buf b;

		msp_buf_init(&b, 1 << 16);
		msp_buf_adds(&b, "x (requires=/");
		for (int k = 0; k < CHECK_BUNDLE_WORD_MAX; k++)
			msp_buf_addc(&b, 'a');
		msp_buf_adds(&b, ") = a\n");
		text = msp_buf_detach(&b);
	}
	expect_config_error(text, "t.conf line 1: option in ( ) longer than 4096 bytes");
	free(text);
}

static void test_bundle__config_empty_is_no_entries(void **state)
{
	struct check_bundle_entry *e = NULL;
	struct msp_error err;
	size_t n = 5;

	(void)state;
	msp_error_init(&err);
	assert_int_equal(check_bundle_parse_config("# nothing\n\n", "t.conf", &e, &n, &err), 0);
	assert_int_equal(n, 0);
	check_bundle_free_entries(e, n);
}

static void test_bundle__default_profile_matches_contrib_default_conf(void **state)
{
	static const char *const names[] = { "disk", "load", "memory", "swap", "processes",
					     "users", "uptime", "clamav", "apt", "reboot" };
	struct check_bundle_entry *a = NULL, *b = NULL;
	size_t na = 0, nb = 0;
	struct msp_error err;
	char *conf = read_top("contrib/bundles/default.conf");

	(void)state;
	msp_error_init(&err);
	assert_int_equal(check_bundle_parse_config(check_bundle_default_profile, "built-in", &a, &na, &err), 0);
	if (check_bundle_parse_config(conf, "default.conf", &b, &nb, &err) != 0)
		fail_msg("%s", err.msg);
	assert_int_equal(na, 10);
	assert_int_equal(nb, na);
	for (size_t i = 0; i < na; i++) {
		assert_string_equal(a[i].name, names[i]);
		assert_string_equal(b[i].name, a[i].name);
		assert_int_equal(b[i].argc, a[i].argc);
		for (size_t k = 0; k < a[i].argc; k++)
			assert_string_equal(b[i].argv[k], a[i].argv[k]);
		assert_int_equal(b[i].optional, a[i].optional);
		assert_true(b[i].timeout == a[i].timeout);
		assert_string_equal(b[i].requires ? b[i].requires : "-", a[i].requires ? a[i].requires : "-");
		/* the core checks are never optional: a missing one is a broken install */
		assert_int_equal(a[i].optional, i >= 7);
	}
	check_bundle_free_entries(a, na);
	check_bundle_free_entries(b, nb);
	free(conf);
}

static void test_bundle__contrib_profiles_parse(void **state)
{
	static const char *const files[] = { "contrib/bundles/default.conf", "contrib/bundles/fileserver.conf",
					     "contrib/bundles/small-office-gateway.conf" };

	(void)state;
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		struct check_bundle_entry *e = NULL;
		struct msp_error err;
		char *text = read_top(files[i]);
		size_t n = 0;

		msp_error_init(&err);
		if (check_bundle_parse_config(text, files[i], &e, &n, &err) != 0)
			fail_msg("%s", err.msg);
		assert_true(n >= 8);
		for (size_t k = 0; k < n; k++)
			assert_true(strncmp(e[k].argv[0], "check_", 6) == 0); /* bare plugin names: found next to the bundle */
		check_bundle_free_entries(e, n);
		free(text);
	}
}

static void test_bundle__resolve_bare_names_next_to_the_bundle(void **state)
{
	struct check_bundle_entry *e = NULL;
	struct msp_error err;
	size_t n = 0;

	(void)state;
	msp_error_init(&err);
	assert_int_equal(check_bundle_parse_config("a = check_load -w 1\nb = /bin/true\nc = ./x\nd = sub/x\n", "t", &e,
						   &n, &err),
			 0);
	assert_int_equal(check_bundle_resolve(&e[0], "/opt/msp/libexec", &err), 0);
	assert_string_equal(e[0].argv[0], "/opt/msp/libexec/check_load");
	assert_string_equal(e[0].argv[1], "-w");
	assert_true(e[0].bare);
	assert_int_equal(check_bundle_resolve(&e[1], "/opt/msp/libexec", &err), 0);
	assert_string_equal(e[1].argv[0], "/bin/true");
	assert_false(e[1].bare);
	assert_int_equal(check_bundle_resolve(&e[2], "/opt", &err), MSP_EINVAL);
	assert_string_equal(err.msg, "'./x': give a bare plugin name or an absolute path");
	assert_int_equal(check_bundle_resolve(&e[3], "/opt", &err), MSP_EINVAL);
	check_bundle_free_entries(e, n);
}

/* ----------------------------------------------------------- perfdata */

static void test_bundle__perf_prefixed_and_requoted(void **state)
{
	struct msp_result *node = msp_result_new();
	char *p;

	(void)state;
	assert_int_equal(check_bundle_parse_perf("/=17500733440B;216442024755;243497277849;0;270552530944 "
						 "'/var lib'=5% 'it''s'=1 load1=0.720;5.000;10.000;0; r=3;@10:20;~:5",
						 "disk", node),
			 0);
	p = perf_text(node);
	assert_string_equal(p, "disk::/=17500733440B;216442024755;243497277849;0;270552530944 "
			       "'disk::/var lib'=5% 'disk::it''s'=1 disk::load1=0.72;5;10;0 disk::r=3;@10:20;~:5");
	assert_string_equal(node->perf[0].label, "disk::/");
	assert_string_equal(node->perf[1].label, "disk::/var lib");
	assert_string_equal(node->perf[2].label, "disk::it's");
	assert_int_equal(node->nchild, 0); /* nothing dropped, no note */
	free(p);
	msp_result_free(node);
}

static void test_bundle__perf_keeps_precision_and_ranges(void **state)
{
	struct msp_result *node = msp_result_new();
	char *p;

	(void)state;
	assert_int_equal(check_bundle_parse_perf("t=0.000123456s;10:;@0:1 big=1e3ms neg=-2.5;;;-10;10 plain=7", "x",
						 node),
			 0);
	p = perf_text(node);
	assert_string_equal(p, "x::t=0.000123456s;10:;@0:1 x::big=1000ms x::neg=-2.5;;;-10;10 x::plain=7");
	free(p);
	msp_result_free(node);
}

static void test_bundle__perf_garbage_dropped_with_notes(void **state)
{
	struct msp_exec_result res;
	struct msp_result *root, *c;
	char *p, *out;

	(void)state;
	recorded(&res, "ref_check_dummy_bad_perfdata.txt", 0);
	root = eval("dummy", &res, MSP_STATE_UNKNOWN);
	c = root->child[0];
	assert_int_equal(msp_result_state(c), MSP_STATE_OK);
	assert_string_equal(c->text, "OK: text");
	/* only the two valid items survive, re-emitted */
	p = perf_text(c);
	assert_string_equal(p, "dummy::good=1;2;3;0;10 'dummy::a b'=2s");
	free(p);
	/* five bad items: three notes, then a count */
	assert_int_equal(c->nchild, 4);
	assert_true(c->child[0]->note);
	assert_string_equal(c->child[0]->text, "dropped invalid perfdata 'comma=1,5': unknown unit");
	assert_string_equal(c->child[1]->text, "dropped invalid perfdata 'undetermined=U': the value is not a number");
	assert_string_equal(c->child[2]->text, "dropped invalid perfdata 'gigabytes=5GB': unknown unit");
	assert_string_equal(c->child[3]->text, "dropped 2 more invalid perfdata items");
	out = render(root, MSP_FORMAT_NAGIOS);
	assert_string_equal(out, "BUNDLE OK - OK: text | dummy::good=1;2;3;0;10 'dummy::a b'=2s\n"
				 "[OK] dummy: OK: text\n"
				 "  dropped invalid perfdata 'comma=1,5': unknown unit\n"
				 "  dropped invalid perfdata 'undetermined=U': the value is not a number\n"
				 "  dropped invalid perfdata 'gigabytes=5GB': unknown unit\n"
				 "  dropped 2 more invalid perfdata items\n");
	free(out);
	msp_result_free(root);
	msp_exec_result_release(&res);
}

static void test_bundle__perf_each_bad_item_reason(void **state)
{
	static const struct {
		const char *item, *why;
	} bad[] = {
		{ "six=1;2;3;4;5;6", "more than five fields" },
		{ "=3", "empty label" },
		{ "'open=3", "unterminated quote" },
		{ "noequals", "no '=' after the label" },
		{ "x=", "the value is not a number" },
		{ "x=nan", "the value is not a number" },
		{ "x=0x10", "unknown unit" },
		{ "x=1;10:5", "bad warning or critical range" },
		{ "x=1;;;zero", "min or max is not a number" },
		{ "x=1GB", "unknown unit" },
		{ "x=1KiB", "unknown unit" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct msp_result *node = msp_result_new();
		char want[200];

		assert_int_equal(check_bundle_parse_perf(bad[i].item, "p", node), 1);
		assert_int_equal(node->nperf, 0);
		assert_int_equal(node->nchild, 1);
		snprintf(want, sizeof(want), "dropped invalid perfdata '%s': %s", bad[i].item, bad[i].why);
		assert_string_equal(node->child[0]->text, want);
		msp_result_free(node);
	}
}

/* ------------------------------------------------ recorded child runs */

static void test_bundle__real_plugin_outputs(void **state)
{
	static const struct {
		const char *file;
		int code;
		enum msp_state st;
		const char *text, *perf;
	} cases[] = {
		{ "msp_check_disk_ok.txt", 0, MSP_STATE_OK, "DISK OK - free space: / 81294MiB (82% inode=96%);",
		  "disk::/=17500733440B;216442024755;243497277849;0;270552530944" },
		{ "msp_check_load_critical.txt", 2, MSP_STATE_CRITICAL,
		  "LOAD CRITICAL - scaled load average: 4.23, 3.21, 2.21 - total load average: 8.46, 6.43, 4.43",
		  "disk::load1=8.46;;;0 disk::scaled_load1=4.23;1.5;3;0 disk::load5=6.43;;;0 "
		  "disk::scaled_load5=3.215;1.25;2.5;0 disk::load15=4.43;;;0 disk::scaled_load15=2.215;1;2;0" },
		{ "ref_check_load_ok.txt", 0, MSP_STATE_OK, "LOAD OK - total load average: 8.46, 6.43, 4.43",
		  "disk::load1=8.46;100;200;0 disk::load5=6.43;100;200;0 disk::load15=4.43;100;200;0" },
		{ "ref_check_procs_ok.txt", 0, MSP_STATE_OK, "PROCS OK: 123 processes", "disk::procs=123;1000;2000;0" },
		{ "ref_check_users_ok.txt", 0, MSP_STATE_OK, "USERS OK - 0 users currently logged in",
		  "disk::users=0;0;50;0" },
		{ "ref_check_swap_no_swap_critical.txt", 2, MSP_STATE_CRITICAL,
		  "SWAP CRITICAL - 0% free (0MB out of 0MB) - Swap is either disabled, not present, or of zero size.",
		  "disk::swap=0B;0;0;0;0" },
		{ "ref_check_disk_ok.txt", 0, MSP_STATE_OK, "DISK OK - free space: / 81294MiB (82% inode=96%);",
		  "disk::/=17500733440B;216442024755;243497277849;0;270552530944" },
		{ "ref_check_disk_missing_path.txt", 2, MSP_STATE_CRITICAL,
		  "DISK CRITICAL - /nonexistent-mount is not accessible: No such file or directory", "" },
		{ "ref_check_dummy_unknown_no_text.txt", 3, MSP_STATE_UNKNOWN, "UNKNOWN", "" },
		{ "ref_check_disk_usage_error.txt", 3, MSP_STATE_UNKNOWN, "Unknown argument", "" },
		{ "ref_check_dummy_quoted_labels.txt", 1, MSP_STATE_WARNING, "WARNING: quoted",
		  "'disk::it''s ok'=5% 'disk::/var lib'=1KB 'disk::x=y'=3" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct msp_exec_result res;
		struct msp_result *root;
		char *p;

		recorded(&res, cases[i].file, cases[i].code);
		root = eval("disk", &res, MSP_STATE_UNKNOWN);
		assert_int_equal(msp_result_state(root->child[0]), cases[i].st);
		assert_string_equal(root->child[0]->text, cases[i].text);
		p = perf_text(root->child[0]);
		assert_string_equal(p, cases[i].perf);
		/* the usage text has '|' in its long output: Nagios reads that as perfdata, we drop it with notes */
		if (strcmp(cases[i].file, "ref_check_disk_usage_error.txt") == 0) {
			assert_int_equal(root->child[0]->nchild, 4);
			assert_string_equal(root->child[0]->child[0]->text,
					    "dropped invalid perfdata '-w': no '=' after the label");
		} else if (root->child[0]->nchild) {
			fail_msg("%s: %s", cases[i].file, root->child[0]->child[0]->text);
		}
		free(p);
		msp_result_free(root);
		msp_exec_result_release(&res);
	}
}

static void test_bundle__garbage_and_nothing_are_unknown_never_ok(void **state)
{
	static const struct {
		const char *file;
		const char *text;
	} cases[] = {
		{ "garbage_binary.txt", "printed no valid first line (exit code 0)" },
		{ "garbage_blank_first_line.txt", "printed no valid first line (exit code 0)" },
	};
	struct msp_exec_result res;
	struct msp_result *root;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		recorded(&res, cases[i].file, 0);
		root = eval("g", &res, MSP_STATE_UNKNOWN);
		assert_int_equal(msp_result_state(root->child[0]), MSP_STATE_UNKNOWN);
		assert_string_equal(root->child[0]->text, cases[i].text);
		assert_int_equal(root->child[0]->nperf, 0);
		msp_result_free(root);
		msp_exec_result_release(&res);
	}
	/* exit 0 and not a byte */
	memset(&res, 0, sizeof(res));
	res.exited = true;
	root = eval("quiet", &res, MSP_STATE_UNKNOWN);
	assert_int_equal(msp_result_state(root->child[0]), MSP_STATE_UNKNOWN);
	assert_string_equal(root->child[0]->text, "printed nothing (exit code 0)");
	msp_result_free(root);
	/* only blanks before the bar is no text either */
	msp_buf_init(&res.out, 100);
	msp_buf_adds(&res.out, "   | a=1\n");
	root = eval("blank", &res, MSP_STATE_UNKNOWN);
	assert_int_equal(msp_result_state(root->child[0]), MSP_STATE_UNKNOWN);
	assert_int_equal(root->child[0]->nperf, 0);
	msp_result_free(root);
	msp_exec_result_release(&res);
}

static void test_bundle__failed_runs_each_reported(void **state)
{
	struct msp_exec_result res;
	struct msp_result *root;

	(void)state;
	memset(&res, 0, sizeof(res));
	res.exec_failed = true;
	res.errno_exec = ENOENT;
	root = eval("memory", &res, MSP_STATE_UNKNOWN);
	assert_int_equal(msp_result_state(root->child[0]), MSP_STATE_UNKNOWN);
	assert_string_equal(root->child[0]->text, "plugin not found: /usr/lib/msp/check_x");
	msp_result_free(root);
	root = msp_result_new();
	{
		/* a bare name: the message names the plugin directory and the option that sets it */
		struct check_bundle_entry e = entry("memory");
		struct check_bundle_run run = { &res, "/usr/lib/msp/check_mem", 10, NULL, "/usr/lib/msp", 0 };

		assert_int_equal(check_bundle_evaluate_child(&e, &run, MSP_STATE_UNKNOWN, root), 0);
		assert_int_equal(msp_result_state(root->child[0]), MSP_STATE_UNKNOWN);
		assert_string_equal(root->child[0]->text,
				    "plugin not found: 'check_mem' is not in --plugin-dir '/usr/lib/msp'");
	}
	msp_result_free(root);

	res.errno_exec = EACCES;
	root = eval("x", &res, MSP_STATE_UNKNOWN);
	assert_string_equal(root->child[0]->text, "cannot run /usr/lib/msp/check_x: Permission denied");
	msp_result_free(root);

	memset(&res, 0, sizeof(res));
	res.exited = true;
	res.exit_code = 127;
	root = eval("x", &res, MSP_STATE_UNKNOWN);
	assert_int_equal(msp_result_state(root->child[0]), MSP_STATE_UNKNOWN);
	assert_string_equal(root->child[0]->text, "exited with code 127, not a plugin state (0..3)");
	msp_result_free(root);

	res.exited = false;
	res.signal = SIGSEGV;
	root = eval("x", &res, MSP_STATE_UNKNOWN);
	assert_int_equal(msp_result_state(root->child[0]), MSP_STATE_UNKNOWN);
	assert_string_equal(root->child[0]->text, "killed by signal 11 (Segmentation fault)");
	msp_result_free(root);

	/* a timeout takes the configured state, also when the child printed an OK line first */
	memset(&res, 0, sizeof(res));
	msp_buf_init(&res.out, 100);
	msp_buf_adds(&res.out, "OK - half done | a=1\n");
	res.timed_out = true;
	res.signal = SIGTERM;
	root = eval("hang", &res, MSP_STATE_CRITICAL);
	assert_int_equal(msp_result_state(root->child[0]), MSP_STATE_CRITICAL);
	assert_string_equal(root->child[0]->text, "timed out after 10 s, killed");
	assert_int_equal(root->child[0]->nperf, 0);
	msp_result_free(root);
	root = eval("hang", &res, MSP_STATE_UNKNOWN);
	assert_int_equal(msp_result_state(root->child[0]), MSP_STATE_UNKNOWN);
	msp_result_free(root);
	msp_exec_result_release(&res);
}

static void test_bundle__could_not_start(void **state)
{
	struct check_bundle_entry e = entry("x");
	struct check_bundle_run run = { NULL, "/bin/x", 10, "cannot fork to run '/bin/x': Resource temporarily unavailable" };
	struct msp_result *root = msp_result_new();

	(void)state;
	assert_int_equal(check_bundle_evaluate_child(&e, &run, MSP_STATE_OK, root), 0);
	assert_int_equal(msp_result_state(root->child[0]), MSP_STATE_UNKNOWN);
	assert_string_equal(root->child[0]->text,
			    "cannot start /bin/x: cannot fork to run '/bin/x': Resource temporarily unavailable");
	msp_result_free(root);
}

/* -------------------------------------------------- summary and output */

static void add_run(struct msp_result *root, const char *name, const char *file, int code)
{
	struct check_bundle_entry e = entry(name);
	struct msp_exec_result res;
	struct check_bundle_run run = { &res, "/p/check", 10, NULL };

	recorded(&res, file, code);
	assert_int_equal(check_bundle_evaluate_child(&e, &run, MSP_STATE_UNKNOWN, root), 0);
	msp_exec_result_release(&res);
}

static void test_bundle__summary_names_non_ok_worst_first(void **state)
{
	struct msp_result *root = msp_result_new();
	struct msp_exec_result none;
	struct check_bundle_entry e = entry("memory");
	struct check_bundle_run run = { &none, "/p/check_mem", 10, NULL };
	char *out;

	(void)state;
	add_run(root, "disk", "msp_check_disk_ok.txt", 0);
	add_run(root, "users", "ref_check_dummy_quoted_labels.txt", 1);
	add_run(root, "load", "msp_check_load_critical.txt", 2);
	memset(&none, 0, sizeof(none));
	none.exec_failed = true;
	none.errno_exec = ENOENT;
	assert_int_equal(check_bundle_evaluate_child(&e, &run, MSP_STATE_UNKNOWN, root), 0);
	add_run(root, "swap", "ref_check_swap_no_swap_critical.txt", 2);
	assert_int_equal(check_bundle_summarize(root), 0);
	assert_string_equal(root->text, "CRITICAL: load, swap; UNKNOWN: memory; WARNING: users; 1 of 5 OK");
	assert_int_equal(msp_result_state(root), MSP_STATE_CRITICAL);
	out = render(root, MSP_FORMAT_TABLE);
	assert_string_equal(out, "BUNDLE CRITICAL - CRITICAL: load, swap; UNKNOWN: memory; WARNING: users; 1 of 5 OK\n"
				 "CRITICAL  load      0.00s  LOAD CRITICAL - scaled load average: 4.23, 3.21, 2.21 - "
				 "total load average: 8.46, 6.43, 4.43\n"
				 "CRITICAL  swap      0.00s  SWAP CRITICAL - 0% free (0MB out of 0MB) - Swap is either "
				 "disabled, not present, or of zero size.\n"
				 "UNKNOWN   memory    0.00s  plugin not found: /p/check_mem\n"
				 "WARNING   users     0.00s  WARNING: quoted\n"
				 "OK        disk      0.00s  DISK OK - free space: / 81294MiB (82% inode=96%);\n");
	free(out);
	out = render(root, MSP_FORMAT_NAGIOS);
	assert_non_null(strstr(out, "\n[UNKNOWN] memory: plugin not found: /p/check_mem\n"));
	assert_non_null(strstr(out, " | disk::/=17500733440B;"));
	assert_non_null(strstr(out, " 'users::it''s ok'=5% "));
	free(out);
	out = render(root, MSP_FORMAT_JSON);
	assert_non_null(strstr(out, "\"checks\":[{\"name\":\"disk\",\"state\":\"OK\",\"duration\":0,\"output\":\"DISK OK - free space: / "
				    "81294MiB (82% inode=96%);\",\"checks\":[],\"perfdata\":[{\"label\":\"disk::/\","
				    "\"value\":17500733440,\"uom\":\"B\""));
	assert_non_null(strstr(out, "{\"name\":\"memory\",\"state\":\"UNKNOWN\",\"duration\":0,\"output\":\"plugin not found: "
				    "/p/check_mem\",\"checks\":[]}"));
	free(out);
	msp_result_free(root);
}

static void test_bundle__summary_of_64_long_names_is_whole(void **state)
{
	struct msp_result *root = msp_result_new();
	char name[CHECK_BUNDLE_NAME_MAX + 1];

	(void)state;
	for (int i = 0; i < CHECK_BUNDLE_MAX; i++) {
		snprintf(name, sizeof(name), "%02d_name_of_the_longest_length_xx", i);
		assert_int_equal(strlen(name), CHECK_BUNDLE_NAME_MAX);
		add_run(root, name, "ref_check_swap_no_swap_critical.txt", 2);
	}
	assert_int_equal(check_bundle_summarize(root), 0);
	/* every name is there, the last one too, and the count after them */
	assert_non_null(strstr(root->text, "CRITICAL: 00_name_of_the_longest_length_xx, 01_"));
	assert_non_null(strstr(root->text, ", 63_name_of_the_longest_length_xx; 0 of 64 OK"));
	msp_result_free(root);
}

static void test_bundle__summary_all_ok_and_empty(void **state)
{
	struct msp_result *root = msp_result_new();

	(void)state;
	assert_int_equal(check_bundle_summarize(root), 0);
	assert_string_equal(root->text, "no checks to run");
	assert_int_equal(msp_result_state(root), MSP_STATE_UNKNOWN); /* an empty bundle is never OK */
	add_run(root, "disk", "msp_check_disk_ok.txt", 0);
	add_run(root, "procs", "ref_check_procs_ok.txt", 0);
	assert_int_equal(check_bundle_summarize(root), 0);
	assert_string_equal(root->text, "all 2 checks OK");
	assert_int_equal(msp_result_state(root), MSP_STATE_OK);
	msp_result_free(root);
}


/* ---------------------------------------------------- --set and --list */

static struct check_bundle_entry *parse_ok(const char *text, size_t *n)
{
	struct check_bundle_entry *e = NULL;
	struct msp_error err;

	msp_error_init(&err);
	if (check_bundle_parse_config(text, "t.conf", &e, n, &err) != 0)
		fail_msg("%s", err.msg);
	return e;
}

static void test_bundle__set_replaces_arguments_keeps_program(void **state)
{
	size_t n = 0;
	struct check_bundle_entry *e = parse_ok("disk = check_disk -w 20% -c 10%\nload = check_load -r\n", &n);
	struct msp_error err;

	(void)state;
	msp_error_init(&err);
	assert_int_equal(check_bundle_set_args(e, n, "disk=-w 15% -c 5% -x /boot 'a b' \"c\\\"d\"", "t.conf", &err), 0);
	assert_int_equal(e[0].argc, 9);
	assert_string_equal(e[0].argv[0], "check_disk");
	assert_string_equal(e[0].argv[1], "-w");
	assert_string_equal(e[0].argv[2], "15%");
	assert_string_equal(e[0].argv[6], "/boot");
	assert_string_equal(e[0].argv[7], "a b");
	assert_string_equal(e[0].argv[8], "c\"d");
	assert_null(e[0].argv[9]);
	/* a later --set replaces an earlier one; no words runs the program without arguments */
	assert_int_equal(check_bundle_set_args(e, n, "disk=-w 1", "t.conf", &err), 0);
	assert_int_equal(e[0].argc, 3);
	assert_int_equal(check_bundle_set_args(e, n, "disk=", "t.conf", &err), 0);
	assert_int_equal(e[0].argc, 1);
	assert_string_equal(e[0].argv[0], "check_disk");
	assert_null(e[0].argv[1]);
	/* the other entry is untouched */
	assert_int_equal(e[1].argc, 2);
	assert_string_equal(e[1].argv[1], "-r");
	check_bundle_free_entries(e, n);
}

static void test_bundle__set_errors_name_the_checks(void **state)
{
	size_t n = 0;
	struct check_bundle_entry *e = parse_ok("disk = check_disk -w 20%\nload = check_load -r\n", &n);
	struct msp_error err;

	(void)state;
	msp_error_init(&err);
	assert_int_equal(check_bundle_set_args(e, n, "dsk=-w 1", "the default profile", &err), MSP_EINVAL);
	assert_string_equal(err.msg, "--set 'dsk': no such check in the default profile (disk, load)");
	/* a prefix of a name is no name */
	assert_int_equal(check_bundle_set_args(e, n, "dis=-w 1", "t.conf", &err), MSP_EINVAL);
	assert_string_equal(err.msg, "--set 'dis': no such check in t.conf (disk, load)");
	assert_int_equal(check_bundle_set_args(e, n, "disk", "t.conf", &err), MSP_EINVAL);
	assert_string_equal(err.msg, "--set 'disk': expected NAME=ARGUMENTS");
	assert_int_equal(check_bundle_set_args(e, n, "disk=-w 1 > /tmp/x", "t.conf", &err), MSP_EINVAL);
	assert_string_equal(err.msg, "--set 'disk': '>' is shell syntax, but no shell runs the command (quote it)");
	assert_int_equal(check_bundle_set_args(e, n, "disk=-p 'x", "t.conf", &err), MSP_EINVAL);
	assert_string_equal(err.msg, "--set 'disk': unterminated single quote");
	/* nothing was changed by the failed calls */
	assert_int_equal(e[0].argc, 3);
	assert_string_equal(e[0].argv[2], "20%");
	check_bundle_free_entries(e, n);
}

/* A plugin directory with one executable plugin, check_here; the caller removes it with rm_dir(). */
static char *plugin_dir(void)
{
	char tmpl[] = "/tmp/test_check_bundle.XXXXXX", *dir = mkdtemp(tmpl), path[256];
	FILE *f;

	assert_non_null(dir);
	snprintf(path, sizeof(path), "%s/check_here", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("#!/bin/sh\necho OK\n", f);
	fclose(f);
	assert_int_equal(chmod(path, 0755), 0);
	return strdup(dir);
}

/* Write text to dir/name; path gets its name. */
static void write_file(const char *dir, const char *name, const char *text, char *path, size_t len)
{
	FILE *f;

	snprintf(path, len, "%s/%s", dir, name);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void rm_dir(char *dir)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/check_here", dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/bundle.conf", dir);
	unlink(path);
	rmdir(dir);
	free(dir);
}

static void test_bundle__list_says_what_runs_and_why_not(void **state)
{
	char *dir = plugin_dir(), *out, conf[256], expect[4096];
	struct check_bundle_config cfg;
	enum msp_state st;
	struct msp_error err;

	(void)state;
	write_file(dir, "bundle.conf",
		   "a = check_here -w 1 'two words' \"it's\" '' '#x' \"q\\\"\\\\\" '$H'\n"
		   "core = check_gone -w 1\n"
		   "opt (optional) = check_gone\n"
		   "abs (optional) = /nonexistent/check_x\n"
		   "req (requires=/nonexistent/dir) = check_here\n"
		   "skip = check_here\n",
		   conf, sizeof(conf));
	out = msp_test_run(msp_test_plugin, &cfg, sizeof(cfg),
			   MSP_ARGS("-f", conf, "--plugin-dir", dir, "-x", "skip", "--list"), MSP_FORMAT_NAGIOS, &st);
	assert_int_equal(st, MSP_STATE_UNKNOWN);
	snprintf(expect, sizeof(expect),
		 "BUNDLE UNKNOWN - 2 of 6 checks would run, 4 left out (--list: nothing was run)\n"
		 "a: would run: %s/check_here -w 1 'two words' \"it's\" '' '#x' 'q\"\\' '$H'\n"
		 "core: would be UNKNOWN, plugin not found: 'check_gone' is not in --plugin-dir '%s'\n"
		 "opt: left out (optional), plugin not found: 'check_gone' is not in --plugin-dir '%s'\n"
		 "abs: left out (optional), plugin not found: /nonexistent/check_x\n"
		 "req: left out: /nonexistent/dir does not exist (requires=)\n"
		 "skip: left out by -x\n",
		 dir, dir, dir);
	assert_string_equal(out, expect);
	/* what the list shows reads back as the same words */
	{
		char *cmd = strstr(out, "would run: ") + 11, **argv;
		size_t argc;

		cmd[strcspn(cmd, "\n")] = '\0';
		msp_error_init(&err);
		assert_int_equal(check_bundle_split(cmd, &argv, &argc, &err), 0);
		assert_int_equal(argc, cfg.entry[0].argc);
		for (size_t i = 0; i < argc; i++)
			assert_string_equal(argv[i], cfg.entry[0].argv[i]);
		check_bundle_free_argv(argv);
	}
	free(out);
	check_bundle_config_release(&cfg);
	rm_dir(dir);
}

/* ---------------------------------------------------- duration and colour */

static void test_bundle__duration_in_table_and_json_only(void **state)
{
	struct msp_result *root = msp_result_new();
	struct msp_exec_result res;
	struct check_bundle_entry e = entry("slow");
	struct check_bundle_run run = { &res, "/p/check", 10, NULL, NULL, 1.2346 };
	char *out;

	(void)state;
	recorded(&res, "ref_check_load_ok.txt", 0);
	assert_int_equal(check_bundle_evaluate_child(&e, &run, MSP_STATE_UNKNOWN, root), 0);
	assert_true(root->child[0]->has_duration);
	assert_true(root->child[0]->duration == 1.2346);
	assert_int_equal(check_bundle_summarize(root), 0);
	out = render(root, MSP_FORMAT_TABLE);
	assert_non_null(strstr(out, "\nOK        slow    1.23s  LOAD OK - total load average: "));
	assert_null(strchr(out, '\033'));
	free(out);
	out = render(root, MSP_FORMAT_JSON);
	assert_non_null(strstr(out, "{\"name\":\"slow\",\"state\":\"OK\",\"duration\":1.235,\"output\":\"LOAD OK - total load average: "));
	free(out);
	/* the formats a monitoring system reads stay as they were */
	out = render(root, MSP_FORMAT_NAGIOS);
	assert_null(strstr(out, "1.23"));
	free(out);
	out = render(root, MSP_FORMAT_PROMETHEUS);
	assert_null(strstr(out, "duration"));
	free(out);
	/* a check that could not be started has no duration */
	run.res = NULL;
	run.start_error = "no fork";
	assert_int_equal(check_bundle_evaluate_child(&e, &run, MSP_STATE_UNKNOWN, root), 0);
	assert_false(root->child[1]->has_duration);
	out = render(root, MSP_FORMAT_TABLE);
	assert_non_null(strstr(out, "\nUNKNOWN   slow           cannot start /p/check: no fork\n"));
	free(out);
	msp_result_free(root);
	msp_exec_result_release(&res);
}

static void test_bundle__colour_only_in_the_table_for_a_terminal(void **state)
{
	struct msp_result *root = msp_result_new();
	struct msp_buf b;
	static const enum msp_format plain[] = { MSP_FORMAT_NAGIOS, MSP_FORMAT_MULTILINE, MSP_FORMAT_JSON,
						MSP_FORMAT_PROMETHEUS };

	(void)state;
	add_run(root, "disk", "ref_check_disk_ok.txt", 0);
	add_run(root, "load", "ref_check_load_ok.txt", 2);
	assert_int_equal(check_bundle_summarize(root), 0);
	msp_buf_init(&b, MSP_OUTPUT_MAX + 1);
	assert_int_equal(msp_render_colored(root, MSP_FORMAT_TABLE, "check_bundle", "BUNDLE", &b), 0);
	assert_true(strncmp(msp_buf_str(&b), "BUNDLE \033[31mCRITICAL\033[0m - CRITICAL: load; 1 of 2 OK\n", 52) == 0);
	assert_non_null(strstr(msp_buf_str(&b), "\n\033[31mCRITICAL\033[0m  load    0.00s  LOAD OK - total load average"));
	assert_non_null(strstr(msp_buf_str(&b), "\n\033[32mOK\033[0m        disk    0.00s  DISK OK"));
	msp_buf_release(&b);
	for (size_t i = 0; i < sizeof(plain) / sizeof(plain[0]); i++) {
		char *want = render(root, plain[i]);

		msp_buf_init(&b, MSP_OUTPUT_MAX + 1);
		assert_int_equal(msp_render_colored(root, plain[i], "check_bundle", "BUNDLE", &b), 0);
		assert_string_equal(msp_buf_str(&b), want);
		assert_null(strchr(want, '\033'));
		msp_buf_release(&b);
		free(want);
	}
	/* a terminal, no NO_COLOR (or an empty one, no-color.org), a TERM that is not dumb */
	assert_true(msp_color_wanted(true, NULL, "xterm"));
	assert_true(msp_color_wanted(true, "", "xterm-256color"));
	assert_true(msp_color_wanted(true, NULL, NULL));
	assert_false(msp_color_wanted(false, NULL, "xterm"));
	assert_false(msp_color_wanted(true, "1", "xterm"));
	assert_false(msp_color_wanted(true, "0", "xterm")); /* any value: "0" does not mean "colour please" */
	assert_false(msp_color_wanted(true, NULL, "dumb"));
	msp_result_free(root);
}

/* ------------------------------------------------------------ options */

/* Configure cfg through the runner's parser and finish; fails the test unless that works. */
static void configure_ok(struct check_bundle_config *cfg, const char *const *args)
{
	msp_test_configure_ok(msp_test_plugin, cfg, sizeof(*cfg), args);
}

static void test_bundle__options_defaults_and_values(void **state)
{
	struct check_bundle_config cfg;

	(void)state;
	configure_ok(&cfg, MSP_ARGS(NULL));
	assert_true(cfg.child_timeout == 10);
	assert_int_equal(cfg.child_timeout_state, MSP_STATE_UNKNOWN);
	assert_null(cfg.file);
	assert_false(cfg.list);
	assert_int_equal(cfg.nentry, 10); /* the default profile */
	assert_non_null(cfg.self_dir);
	assert_ptr_equal(cfg.plugin_dir, cfg.self_dir);
	check_bundle_config_release(&cfg);

	configure_ok(&cfg, MSP_ARGS("--child-timeout", "1500ms", "--child-timeout-result", "critical", "--list", "-x",
				    "apt", "--exclude=reboot", "--set", "disk=-w 1", "--plugin-dir", "/opt/msp"));
	assert_true(cfg.child_timeout == 1.5);
	assert_int_equal(cfg.child_timeout_state, MSP_STATE_CRITICAL);
	assert_true(cfg.list);
	assert_int_equal(cfg.exclude.count, 2);
	assert_string_equal(cfg.exclude.items[1], "reboot");
	assert_null(cfg.self_dir);
	assert_int_equal(cfg.entry[0].argc, 3);
	assert_string_equal(cfg.entry[0].argv[0], "/opt/msp/check_disk");
	assert_string_equal(cfg.entry[0].argv[2], "1");
	check_bundle_config_release(&cfg);

	configure_ok(&cfg, MSP_ARGS("--child-timeout", "5", "--child-timeout-result", "2"));
	assert_true(cfg.child_timeout == 5);
	assert_int_equal(cfg.child_timeout_state, MSP_STATE_CRITICAL);
	check_bundle_config_release(&cfg);
	configure_ok(&cfg, MSP_ARGS("--child-timeout", "1ms"));
	assert_true(cfg.child_timeout == 0.001);
	check_bundle_config_release(&cfg);
}

static void test_bundle__options_empty_arguments_are_not_given(void **state)
{
	struct check_bundle_config cfg;

	(void)state;
	/* Debian command files pass '' for an unset macro: each is "not given", its default applies */
	configure_ok(&cfg, MSP_ARGS("-f", "", "-x", "", "--set", "", "--child-timeout", "", "--child-timeout-result",
				    "", "--plugin-dir", "", ""));
	assert_null(cfg.file);
	assert_int_equal(cfg.nentry, 10);
	assert_int_equal(cfg.exclude.count, 0);
	assert_int_equal(cfg.set.count, 0);
	assert_true(cfg.child_timeout == 10);
	assert_int_equal(cfg.child_timeout_state, MSP_STATE_UNKNOWN);
	assert_ptr_equal(cfg.plugin_dir, cfg.self_dir);
	assert_int_equal(cfg.entry[0].argc, 14); /* --set '' changed nothing */
	check_bundle_config_release(&cfg);
}

static void test_bundle__options_errors(void **state)
{
	static const struct {
		const char *args[6];
		const char *msg;
	} rows[] = {
		{ { "--child-timeout", "0" }, "--child-timeout '0' is not a duration from 0.001 to 86400" },
		{ { "--child-timeout", "2d" }, "--child-timeout '2d' is not a duration from 0.001 to 86400" },
		{ { "--child-timeout", "soon" },
		  "--child-timeout 'soon' is not a duration (90s, 15m, 2h, 7d) from 0.001 to 86400" },
		{ { "--child-timeout-result", "bad" }, "--child-timeout-result 'bad' is not OK, WARNING, CRITICAL or UNKNOWN" },
		{ { "--plugin-dir", "rel/dir" }, "--plugin-dir 'rel/dir' is not an absolute path" },
		{ { "stray" }, "unexpected argument 'stray'" },
		{ { "--list", "-x", "disk", "-x", "nope" },
		  "-x 'nope': no such check in the default profile (disk, load, memory, swap, processes, users, uptime, "
		  "clamav, apt, reboot)" },
		{ { "--set", "disk" }, "--set 'disk': expected NAME=ARGUMENTS" },
		{ { "--set", "disk=-w 1", "--set", "dsk=-w 2" },
		  "--set 'dsk': no such check in the default profile (disk, load, memory, swap, processes, users, uptime, "
		  "clamav, apt, reboot)" },
		{ { "-f", "/nonexistent/bundle.conf" }, NULL },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct check_bundle_config cfg;
		struct msp_error err;
		int r = msp_test_configure(msp_test_plugin, &cfg, sizeof(cfg), rows[i].args, &err);

		check_bundle_config_release(&cfg);
		if (r != MSP_EINVAL && !(rows[i].msg == NULL && r < 0))
			fail_msg("row %zu (%s): returned %d: %s", i, rows[i].args[0], r, err.msg);
		if (rows[i].msg)
			assert_string_equal(err.msg, rows[i].msg);
		else
			assert_non_null(strstr(err.msg, "/nonexistent/bundle.conf"));
	}
}

static void test_bundle__plugin_shape(void **state)
{
	const struct msp_plugin *p = msp_test_plugin;

	(void)state;
	assert_null(p->option); /* every option is a typed entry */
	assert_int_equal(p->tty_format, MSP_FORMAT_TABLE);
	assert_true(p->timeout > 10); /* longer than the default child deadline */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bundle__split_words_and_quotes),
		cmocka_unit_test(test_bundle__split_rejects_shell_syntax_and_bad_quoting),
		cmocka_unit_test(test_bundle__config_lines_options_and_comments),
		cmocka_unit_test(test_bundle__config_errors_name_the_line),
		cmocka_unit_test(test_bundle__config_at_most_64_checks),
		cmocka_unit_test(test_bundle__config_limits_are_errors_never_cut),
		cmocka_unit_test(test_bundle__config_empty_is_no_entries),
		cmocka_unit_test(test_bundle__default_profile_matches_contrib_default_conf),
		cmocka_unit_test(test_bundle__contrib_profiles_parse),
		cmocka_unit_test(test_bundle__resolve_bare_names_next_to_the_bundle),
		cmocka_unit_test(test_bundle__perf_prefixed_and_requoted),
		cmocka_unit_test(test_bundle__perf_keeps_precision_and_ranges),
		cmocka_unit_test(test_bundle__perf_garbage_dropped_with_notes),
		cmocka_unit_test(test_bundle__perf_each_bad_item_reason),
		cmocka_unit_test(test_bundle__real_plugin_outputs),
		cmocka_unit_test(test_bundle__garbage_and_nothing_are_unknown_never_ok),
		cmocka_unit_test(test_bundle__failed_runs_each_reported),
		cmocka_unit_test(test_bundle__could_not_start),
		cmocka_unit_test(test_bundle__summary_names_non_ok_worst_first),
		cmocka_unit_test(test_bundle__summary_of_64_long_names_is_whole),
		cmocka_unit_test(test_bundle__summary_all_ok_and_empty),
		cmocka_unit_test(test_bundle__set_replaces_arguments_keeps_program),
		cmocka_unit_test(test_bundle__set_errors_name_the_checks),
		cmocka_unit_test(test_bundle__list_says_what_runs_and_why_not),
		cmocka_unit_test(test_bundle__duration_in_table_and_json_only),
		cmocka_unit_test(test_bundle__colour_only_in_the_table_for_a_terminal),
		cmocka_unit_test(test_bundle__options_defaults_and_values),
		cmocka_unit_test(test_bundle__options_empty_arguments_are_not_given),
		cmocka_unit_test(test_bundle__options_errors),
		cmocka_unit_test(test_bundle__plugin_shape),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
