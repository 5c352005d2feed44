/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test_msp_extraopts.c - --extra-opts: ini parsing, errors, where the
 * options land in argv, and the default file search through
 * MP_CONFIG_FILE and NAGIOS_CONFIG_PATH (pointed at temporary files).
 */
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

#include "msp.h"

static char g_dir[256];

static bool starts_with(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

static char g_files[16][512];
static int g_nfiles;

/* Write content to name inside the temporary directory; returns its path (valid until teardown). */
static const char *write_file(const char *name, const char *content)
{
	char *path;
	FILE *f;

	assert_true(g_nfiles < 16);
	path = g_files[g_nfiles++];
	snprintf(path, sizeof(g_files[0]), "%s/%s", g_dir, name);
	f = fopen(path, "w");
	assert_non_null(f);
	assert_int_equal(fputs(content, f) >= 0, 1);
	assert_int_equal(fclose(f), 0);
	return path;
}

static int setup(void **state)
{
	const char *tmp = getenv("TMPDIR");

	(void)state;
	snprintf(g_dir, sizeof(g_dir), "%s/msp-extraopts-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(g_dir))
		return -1;
	g_nfiles = 0;
	unsetenv("MP_CONFIG_FILE");
	unsetenv("NAGIOS_CONFIG_PATH");
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	for (int i = 0; i < g_nfiles; i++)
		unlink(g_files[i]);
	g_nfiles = 0;
	unsetenv("MP_CONFIG_FILE");
	unsetenv("NAGIOS_CONFIG_PATH");
	return rmdir(g_dir);
}

/* Compare a NULL-terminated vector with the expected strings (NULL-terminated too). */
static void expect_vec(char **vec, int n, const char *const *want)
{
	int i;

	for (i = 0; want[i]; i++) {
		if (i >= n || !vec[i])
			fail_msg("vector ends after %d entries, expected '%s' next", i, want[i]);
		if (strcmp(vec[i], want[i]) != 0)
			fail_msg("entry %d is '%s', expected '%s'", i, vec[i], want[i]);
	}
	if (i != n || vec[n] != NULL)
		fail_msg("vector has %d entries, expected %d", n, i);
}

static const char sample_ini[] = "; monitoring-plugins style ini\n"
				 "# another comment\n"
				 "\n"
				 "[other]\n"
				 "warning = 99\n"
				 "[check_load]\n"
				 "warning = 10,20,30   ; trailing comment\n"
				 "critical=\"50,60,70\"\n"
				 "percpu\n"
				 "   procs-to-show = 5   \n"
				 "label = \"a ; b # c\"\n"
				 "url=http://host/#frag\n"
				 "expr=a=b\r\n"
				 "  # indented comment\n"
				 "[ spaced ]\n"
				 "x=1\n"
				 "[check_load]\n"
				 "timeout=30\n";

/* ---------------------------------------------------------- reading */

static void test_extraopts__read_section_keys_values_and_comments(void **state)
{
	const char *path = write_file("sample.ini", sample_ini);
	static const char *const want[] = { "--warning=10,20,30", "--critical=50,60,70", "--percpu",
					    "--procs-to-show=5",  "--label=a ; b # c",   "--url=http://host/#frag",
					    "--expr=a=b",         "--timeout=30",        NULL };
	char **vec = NULL;
	int n = 0;
	struct msp_error err;

	(void)state;
	msp_error_init(&err);
	assert_int_equal(msp_extraopts_read(path, "check_load", &vec, &n, &err), 1);
	expect_vec(vec, n, want);
	msp_extraopts_free(vec);
}

static void test_extraopts__read_section_name_trimmed(void **state)
{
	const char *path = write_file("sample.ini", sample_ini);
	static const char *const want[] = { "--x=1", NULL };
	char **vec = NULL;
	int n = 0;

	(void)state;
	assert_int_equal(msp_extraopts_read(path, "spaced", &vec, &n, NULL), 1);
	expect_vec(vec, n, want);
	msp_extraopts_free(vec);
}

static void test_extraopts__read_appends_to_vector(void **state)
{
	const char *a = write_file("a.ini", "[s]\none=1\n");
	const char *b = write_file("b.ini", "[s]\ntwo=2\n");
	static const char *const want[] = { "--one=1", "--two=2", NULL };
	char **vec = NULL;
	int n = 0;

	(void)state;
	assert_int_equal(msp_extraopts_read(a, "s", &vec, &n, NULL), 1);
	assert_int_equal(msp_extraopts_read(b, "s", &vec, &n, NULL), 1);
	expect_vec(vec, n, want);
	msp_extraopts_free(vec);
}

static void test_extraopts__read_missing_section_returns_zero(void **state)
{
	const char *path = write_file("sample.ini", sample_ini);
	char **vec = NULL;
	int n = 0;

	(void)state;
	assert_int_equal(msp_extraopts_read(path, "check_disk", &vec, &n, NULL), 0);
	assert_int_equal(n, 0);
	assert_null(vec);
	/* a key named like the section is not a section */
	path = write_file("keys.ini", "[x]\ncheck_disk=1\n");
	assert_int_equal(msp_extraopts_read(path, "check_disk", &vec, &n, NULL), 0);
	/* an empty file has no sections */
	path = write_file("empty.ini", "");
	assert_int_equal(msp_extraopts_read(path, "check_disk", &vec, &n, NULL), 0);
	assert_null(vec);
}

static void test_extraopts__read_missing_file_is_an_error(void **state)
{
	char path[600];
	char **vec = NULL;
	int n = 0;
	struct msp_error err;

	(void)state;
	snprintf(path, sizeof(path), "%s/no-such.ini", g_dir);
	msp_error_init(&err);
	assert_int_equal(msp_extraopts_read(path, "s", &vec, &n, &err), MSP_ENOENT);
	assert_non_null(strstr(err.msg, "no-such.ini"));
	assert_null(vec);
	/* a directory is not an ini file either */
	msp_error_init(&err);
	assert_true(msp_extraopts_read(g_dir, "s", &vec, &n, &err) < 0);
	assert_null(vec);
}

static void test_extraopts__read_syntax_errors_name_the_line(void **state)
{
	const char *path = write_file("bad.ini", "[s]\na=1\n[broken\nb=2\n");
	char **vec = NULL;
	int n = 0;
	struct msp_error err;

	(void)state;
	msp_error_init(&err);
	assert_int_equal(msp_extraopts_read(path, "s", &vec, &n, &err), MSP_EINVAL);
	assert_non_null(strstr(err.msg, "line 3"));
	msp_extraopts_free(vec);
	vec = NULL;
	n = 0;
	path = write_file("noname.ini", "[s]\n = value\n");
	msp_error_init(&err);
	assert_int_equal(msp_extraopts_read(path, "s", &vec, &n, &err), MSP_EINVAL);
	assert_non_null(strstr(err.msg, "line 2"));
	assert_non_null(strstr(err.msg, "without a name"));
	msp_extraopts_free(vec);
	vec = NULL;
	n = 0;
	/* blank lines count: the line number is the one an editor shows */
	path = write_file("blanks.ini", "\n[s]\n\n; comment\n\na=1\n\n=2\n");
	msp_error_init(&err);
	assert_int_equal(msp_extraopts_read(path, "s", &vec, &n, &err), MSP_EINVAL);
	assert_non_null(strstr(err.msg, "line 8"));
	msp_extraopts_free(vec);
}

/* ---------------------------------------------------------- expansion */

static void test_extraopts__file_options_come_before_command_line(void **state)
{
	char spec[600];
	const char *path = write_file("load.ini", "[check_load]\nwarning=1,2,3\ncritical=4,5,6\n");
	char *argv[] = { strdup("check_load"), strdup("-w"), strdup("9"), spec, strdup("-c"), strdup("10"), NULL };
	const char *want[] = { "check_load", "--warning=1,2,3", "--critical=4,5,6", "-w", "9", "-c", "10", NULL };
	char **out = NULL;
	int n = 0;
	struct msp_error err;

	(void)state;
	snprintf(spec, sizeof(spec), "--extra-opts=check_load@%s", path);
	msp_error_init(&err);
	assert_int_equal(msp_extraopts_expand(6, argv, "check_load", &n, &out, &err), 0);
	expect_vec(out, n, want);
	/* the input vector is untouched */
	assert_string_equal(argv[3], spec);
	msp_extraopts_free(out);
	for (int i = 0; i < 6; i++)
		if (i != 3)
			free(argv[i]);
}

static void test_extraopts__several_occurrences_in_order(void **state)
{
	char s1[600], s2[600];
	const char *a = write_file("a.ini", "[first]\none\n[check_x]\nplugin-section=yes\n");
	const char *b = write_file("b.ini", "[second]\ntwo=2\n");
	char arg0[] = "check_x", arg3[] = "pos";
	char *argv[] = { arg0, s1, s2, arg3, NULL };
	const char *want[] = { "check_x", "--one", "--two=2", "pos", NULL };
	const char *want_plugin[] = { "check_x", "--plugin-section=yes", NULL };
	char **out = NULL;
	int n = 0;

	(void)state;
	snprintf(s1, sizeof(s1), "--extra-opts=first@%s", a);
	snprintf(s2, sizeof(s2), "--extra-opts=second@%s", b);
	assert_int_equal(msp_extraopts_expand(4, argv, "check_x", &n, &out, NULL), 0);
	expect_vec(out, n, want);
	msp_extraopts_free(out);
	/* "@file" alone: the section is the plugin's name */
	snprintf(s1, sizeof(s1), "--extra-opts=@%s", a);
	assert_int_equal(msp_extraopts_expand(2, argv, "check_x", &n, &out, NULL), 0);
	expect_vec(out, n, want_plugin);
	msp_extraopts_free(out);
}

static void test_extraopts__missing_section_in_named_file_is_an_error(void **state)
{
	char spec[600];
	const char *path = write_file("load.ini", "[check_load]\nwarning=1\n");
	char arg0[] = "check_load";
	char *argv[] = { arg0, spec, NULL };
	char **out = NULL;
	int n = 0;
	struct msp_error err;

	(void)state;
	snprintf(spec, sizeof(spec), "--extra-opts=chek_load@%s", path);
	msp_error_init(&err);
	assert_int_equal(msp_extraopts_expand(2, argv, "check_load", &n, &out, &err), MSP_EINVAL);
	assert_null(out);
	assert_non_null(strstr(err.msg, "no section 'chek_load'"));
	/* and a missing file */
	snprintf(spec, sizeof(spec), "--extra-opts=check_load@%s/missing.ini", g_dir);
	msp_error_init(&err);
	assert_int_equal(msp_extraopts_expand(2, argv, "check_load", &n, &out, &err), MSP_ENOENT);
	assert_null(out);
	assert_non_null(strstr(err.msg, "missing.ini"));
}

static void test_extraopts__double_dash_ends_expansion(void **state)
{
	char a0[] = "check_x", a1[] = "-v", a2[] = "--", a3[] = "--extra-opts=nothing@/nonexistent";
	char *argv[] = { a0, a1, a2, a3, NULL };
	const char *want[] = { "check_x", "-v", "--", "--extra-opts=nothing@/nonexistent", NULL };
	char **out = NULL;
	int n = 0;

	(void)state;
	assert_int_equal(msp_extraopts_expand(4, argv, "check_x", &n, &out, NULL), 0);
	expect_vec(out, n, want);
	msp_extraopts_free(out);
}

static void test_extraopts__no_extra_opts_copies_argv(void **state)
{
	char a0[] = "check_x", a1[] = "-w", a2[] = "", a3[] = "--extra-optsX";
	char *argv[] = { a0, a1, a2, a3, NULL };
	const char *want[] = { "check_x", "-w", "", "--extra-optsX", NULL };
	char **out = NULL;
	int n = 0;

	(void)state;
	assert_int_equal(msp_extraopts_expand(4, argv, "check_x", &n, &out, NULL), 0);
	expect_vec(out, n, want);
	msp_extraopts_free(out);
	msp_extraopts_free(NULL);
}

/* ------------------------------------------------------ default search */

static void test_extraopts__default_search_uses_mp_config_file(void **state)
{
	const char *path = write_file("mp.ini", "[check_x]\nfrom=mp_config_file\n[sec]\nk=v\n");
	const char *other = write_file("plugins.ini", "[check_x]\nfrom=nagios_config_path\n");
	char a0[] = "check_x", a1[] = "--extra-opts", a2[] = "--extra-opts=sec";
	char *argv[] = { a0, a1, a2, NULL };
	const char *want[] = { "check_x", "--from=mp_config_file", "--k=v", NULL };
	char **out = NULL;
	int n = 0;

	(void)state;
	(void)other;
	setenv("MP_CONFIG_FILE", path, 1);
	setenv("NAGIOS_CONFIG_PATH", g_dir, 1); /* MP_CONFIG_FILE comes first */
	assert_int_equal(msp_extraopts_expand(3, argv, "check_x", &n, &out, NULL), 0);
	expect_vec(out, n, want);
	msp_extraopts_free(out);
}

static void test_extraopts__default_search_walks_nagios_config_path(void **state)
{
	char dirs[1200];
	char a0[] = "check_x", a1[] = "--extra-opts=";
	char *argv[] = { a0, a1, NULL };
	const char *want[] = { "check_x", "--from=plugins.ini", NULL };
	const char *want_mp[] = { "check_x", "--from=monitoring-plugins.ini", NULL };
	char **out = NULL;
	int n = 0;
	struct msp_error err;

	(void)state;
	write_file("monitoring-plugins.ini", "[check_x]\nfrom=monitoring-plugins.ini\n");
	snprintf(dirs, sizeof(dirs), "/nonexistent/dir:%s", g_dir);
	setenv("NAGIOS_CONFIG_PATH", dirs, 1);
	assert_int_equal(msp_extraopts_expand(2, argv, "check_x", &n, &out, NULL), 0);
	expect_vec(out, n, want_mp);
	msp_extraopts_free(out);
	/* plugins.ini is looked for before monitoring-plugins.ini in the same directory */
	write_file("plugins.ini", "[check_x]\nfrom=plugins.ini\n");
	assert_int_equal(msp_extraopts_expand(2, argv, "check_x", &n, &out, NULL), 0);
	expect_vec(out, n, want);
	msp_extraopts_free(out);
	/* the first file found decides: a missing section there is an error */
	write_file("nagios-plugins.ini", "[check_y]\nx=1\n");
	msp_error_init(&err);
	assert_int_equal(msp_extraopts_expand(2, argv, "check_y", &n, &out, &err), MSP_EINVAL);
	assert_non_null(strstr(err.msg, "no section 'check_y'"));
	assert_non_null(strstr(err.msg, "plugins.ini"));
}

/* A section missing from the file found: the message names that file and the paths tried before it. */
static void test_extraopts__missing_section_names_the_paths_tried(void **state)
{
	char dirs[1200], want[1600];
	char a0[] = "check_y", a1[] = "--extra-opts";
	char *argv[] = { a0, a1, NULL };
	char **out = NULL;
	int n = 0;
	struct msp_error err;

	(void)state;
	write_file("monitoring-plugins.ini", "[check_x]\nx=1\n");
	snprintf(dirs, sizeof(dirs), "/nonexistent/dir:%s", g_dir);
	setenv("NAGIOS_CONFIG_PATH", dirs, 1);
	msp_error_init(&err);
	assert_int_equal(msp_extraopts_expand(2, argv, "check_y", &n, &out, &err), MSP_EINVAL);
	assert_null(out);
	snprintf(want, sizeof(want),
		 "no section 'check_y' in '%s/monitoring-plugins.ini', the first --extra-opts file found; tried before it: "
		 "'/nonexistent/dir/plugins.ini', '/nonexistent/dir/nagios-plugins.ini', "
		 "'/nonexistent/dir/monitoring-plugins.ini', '%s/plugins.ini', '%s/nagios-plugins.ini'",
		 g_dir, g_dir, g_dir);
	assert_string_equal(err.msg, want);
	/* a file that is there but cannot be read is skipped, and the message says why */
	if (geteuid() != 0) {
		const char *locked = write_file("plugins.ini", "[check_y]\nx=1\n");

		assert_int_equal(chmod(locked, 0), 0);
		msp_error_init(&err);
		assert_int_equal(msp_extraopts_expand(2, argv, "check_y", &n, &out, &err), MSP_EINVAL);
		snprintf(want, sizeof(want), "'%s/plugins.ini' (Permission denied), '%s/nagios-plugins.ini'\n", g_dir,
			 g_dir);
		want[strlen(want) - 1] = '\0';
		if (!strstr(err.msg, want))
			fail_msg("'%s' not in '%s'", want, err.msg);
	}
}

static void test_extraopts__default_search_without_any_file(void **state)
{
	static const char *const defaults[] = {
		"/etc/nagios/plugins.ini",           "/usr/local/nagios/etc/plugins.ini",
		"/usr/local/etc/nagios/plugins.ini", "/etc/opt/nagios/plugins.ini",
		"/etc/nagios-plugins.ini",           "/usr/local/etc/nagios-plugins.ini",
		"/etc/opt/nagios-plugins.ini",       "/etc/monitoring-plugins/monitoring-plugins.ini",
	};
	char dirs[600];
	char a0[] = "check_x", a1[] = "--extra-opts";
	char *argv[] = { a0, a1, NULL };
	char **out = NULL;
	int n = 0;
	struct msp_error err;

	(void)state;
	for (size_t i = 0; i < sizeof(defaults) / sizeof(defaults[0]); i++)
		if (access(defaults[i], F_OK) == 0)
			skip();                    /* this machine has a system-wide ini file */
	snprintf(dirs, sizeof(dirs), "%s", g_dir); /* an empty directory */
	setenv("NAGIOS_CONFIG_PATH", dirs, 1);
	setenv("MP_CONFIG_FILE", "/no/mp.ini", 1);
	msp_error_init(&err);
	assert_int_equal(msp_extraopts_expand(2, argv, "check_x", &n, &out, &err), MSP_ENOENT);
	assert_null(out);
	/* every path tried, in the order tried */
	assert_true(starts_with(err.msg, "cannot find an --extra-opts file: tried '/no/mp.ini', "));
	{
		char tail[1600];

		snprintf(tail, sizeof(tail),
			 "'/no/mp.ini', '%s/plugins.ini', '%s/nagios-plugins.ini', '%s/monitoring-plugins.ini', "
			 "'/etc/nagios/plugins.ini', '/usr/local/nagios/etc/plugins.ini', "
			 "'/usr/local/etc/nagios/plugins.ini', '/etc/opt/nagios/plugins.ini', '/etc/nagios-plugins.ini', "
			 "'/usr/local/etc/nagios-plugins.ini', '/etc/opt/nagios-plugins.ini', "
			 "'/etc/monitoring-plugins/monitoring-plugins.ini'",
			 g_dir, g_dir, g_dir);
		assert_string_equal(err.msg + strlen("cannot find an --extra-opts file: tried "), tail);
	}
	/* many directories: the list stops before the message would be cut, saying how many are left */
	msp_error_init(&err);
	setenv("NAGIOS_CONFIG_PATH", "/a/very/long/directory/name/one:/a/very/long/directory/name/two:/a/very/long/"
				     "directory/name/three:/a/very/long/directory/name/four",
	       1);
	assert_int_equal(msp_extraopts_expand(2, argv, "check_x", &n, &out, &err), MSP_ENOENT);
	assert_true(strlen(err.msg) < MSP_ERROR_MAX - 1);
	assert_non_null(strstr(err.msg, "'/a/very/long/directory/name/one/plugins.ini', "));
	assert_non_null(strstr(err.msg, " more"));
	assert_null(strstr(err.msg, "/monitoring-plugins/monitoring-plugins.ini'"));
}

/* A section name or a value that would be cut is refused: cut, it could name another section or value. */
static void test_extraopts__too_long_section_or_value_refused(void **state)
{
	char section[300], ini[80000], spec[1024];
	const char *path;
	char arg0[] = "check_load";
	char *argv[] = { arg0, spec, NULL };
	char **out = NULL, **vec = NULL;
	int n = 0;
	struct msp_error err;

	(void)state;
	memset(section, 's', sizeof(section) - 1);
	section[sizeof(section) - 1] = '\0';
	/* a section named like the first 255 bytes of the long one */
	snprintf(ini, sizeof(ini), "[%.255s]\nwarning=1\n", section);
	path = write_file("long.ini", ini);
	snprintf(spec, sizeof(spec), "--extra-opts=%s@%s", section, path);
	msp_error_init(&err);
	assert_int_equal(msp_extraopts_expand(2, argv, "check_load", &n, &out, &err), MSP_EINVAL);
	assert_null(out);
	assert_non_null(strstr(err.msg, "is too long"));
	/* a value of 70000 bytes */
	snprintf(ini, sizeof(ini), "[check_load]\nregex=");
	memset(ini + 19, 'v', 70000);
	memcpy(ini + 19 + 70000, "\n", 2);
	path = write_file("value.ini", ini);
	msp_error_init(&err);
	assert_int_equal(msp_extraopts_read(path, "check_load", &vec, &n, &err), MSP_ETOOBIG);
	assert_non_null(strstr(err.msg, "line 2: option 'regex' is too long"));
	msp_extraopts_free(vec);
}

/* Only a regular file is read: a FIFO is refused at once instead of blocking in open() or read(). */
static void test_extraopts__non_regular_file_refused(void **state)
{
	char fifo[600];
	char **vec = NULL;
	int n = 0;
	struct msp_error err;

	(void)state;
	snprintf(fifo, sizeof(fifo), "%s/fifo.ini", g_dir);
	assert_int_equal(mkfifo(fifo, 0600), 0);
	msp_error_init(&err);
	assert_int_equal(msp_extraopts_read(fifo, "check_load", &vec, &n, &err), MSP_EINVAL);
	unlink(fifo);
	assert_null(vec);
	assert_true(strstr(err.msg, "cannot read '") == err.msg);
	assert_non_null(strstr(err.msg, "fifo.ini': not a regular file"));
	msp_error_init(&err);
	/* a directory says what it is (msp_file_read) */
	assert_int_equal(msp_extraopts_read(g_dir, "check_load", &vec, &n, &err), MSP_ESYS);
	assert_non_null(strstr(err.msg, "': Is a directory"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_extraopts__read_section_keys_values_and_comments, setup, teardown),
		cmocka_unit_test_setup_teardown(test_extraopts__read_section_name_trimmed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_extraopts__read_appends_to_vector, setup, teardown),
		cmocka_unit_test_setup_teardown(test_extraopts__read_missing_section_returns_zero, setup, teardown),
		cmocka_unit_test_setup_teardown(test_extraopts__read_missing_file_is_an_error, setup, teardown),
		cmocka_unit_test_setup_teardown(test_extraopts__read_syntax_errors_name_the_line, setup, teardown),
		cmocka_unit_test_setup_teardown(test_extraopts__too_long_section_or_value_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_extraopts__non_regular_file_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_extraopts__file_options_come_before_command_line, setup, teardown),
		cmocka_unit_test_setup_teardown(test_extraopts__several_occurrences_in_order, setup, teardown),
		cmocka_unit_test_setup_teardown(test_extraopts__missing_section_in_named_file_is_an_error, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_extraopts__double_dash_ends_expansion, setup, teardown),
		cmocka_unit_test_setup_teardown(test_extraopts__no_extra_opts_copies_argv, setup, teardown),
		cmocka_unit_test_setup_teardown(test_extraopts__default_search_uses_mp_config_file, setup, teardown),
		cmocka_unit_test_setup_teardown(test_extraopts__default_search_walks_nagios_config_path, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_extraopts__default_search_without_any_file, setup, teardown),
		cmocka_unit_test_setup_teardown(test_extraopts__missing_section_names_the_paths_tried, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
