/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * msp_test.c - pieces the cmocka unit tests share: the German locale for
 * the locale-independence tests, waiting for a process to go, and
 * reading recorded fixtures, and driving a plugin through the runner's own
 * steps (configure, check, render) without a process.
 */
#include <locale.h>
#include <regex.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/un.h>
#include <unistd.h>
#include <setjmp.h>
#include <cmocka.h>

#include "msp.h"
#include "msp_test.h"

void use_german_locale(void)
{
	const char *allow = getenv("MSP_ALLOW_NO_LOCALE");

	if (!setlocale(LC_ALL, "de_DE.UTF-8")) {
		if (allow && strcmp(allow, "1") == 0)
			skip();
		fail_msg("locale de_DE.UTF-8 is missing (localedef -i de_DE -f UTF-8 de_DE.UTF-8, "
			 "or set MSP_ALLOW_NO_LOCALE=1)");
	}
	/* Make sure the locale really changes the decimal point, or the test proves nothing. */
	assert_string_equal(localeconv()->decimal_point, ",");
}

int restore_c_locale(void **state)
{
	(void)state;
	setlocale(LC_ALL, "C");
	return 0;
}

/* True when pid no longer runs (gone, or a zombie waiting for its new parent). */
static bool process_gone(long pid)
{
	char path[64], buf[512], *rp;
	size_t n;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%ld/stat", pid);
	f = fopen(path, "r");
	if (!f)
		return true;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	rp = strrchr(buf, ')');
	return rp && rp[1] == ' ' && (rp[2] == 'Z' || rp[2] == 'X');
}

bool wait_process_gone(long pid)
{
	for (int i = 0; i < 200 && !process_gone(pid); i++)
		usleep(10000);
	if (process_gone(pid))
		return true;
	kill((pid_t)pid, SIGKILL);
	return false;
}

const char *msp_test_fixture_path(const char *rel, char *buf, size_t len)
{
	const char *top = getenv("top_srcdir");

	snprintf(buf, len, "%s/tests/fixtures/%s", top && *top ? top : ".", rel);
	return buf;
}

char *msp_test_fixture(const char *rel, size_t max)
{
	return msp_test_fixture_bytes(rel, max, NULL);
}

char *msp_test_fixture_bytes(const char *rel, size_t max, size_t *ret_len)
{
	char path[4096];
	struct msp_buf b;
	struct msp_error err;

	msp_buf_init(&b, max);
	msp_error_init(&err);
	if (msp_file_read(msp_test_fixture_path(rel, path, sizeof(path)), max, &b, &err) < 0)
		fail_msg("fixture: %s (is top_srcdir set?)", err.msg);
	if (ret_len)
		*ret_len = b.len;
	return msp_buf_detach(&b);
}

/* ------------------------------------------------ processes and sockets */

#define NOBODY 65534

bool msp_test_drop_root(void)
{
	if (geteuid() != 0)
		return true;
	return seteuid(NOBODY) == 0;
}

void msp_test_regain_root(void)
{
	if (getuid() == 0)
		assert_int_equal(seteuid(0), 0);
}

int msp_test_unix_listen(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);

	assert_true(fd >= 0);
	unlink(path);
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	assert_int_equal(listen(fd, 4), 0);
	return fd;
}

/* ------------------------------------------------ driving a plugin */

/*
 * The expanded argument vectors of every configure: a config's string
 * options point into them, so they live as long as the test program (and are
 * freed at exit).
 */
static char **kept_argv[4096];
static size_t kept;

static void release_kept(void)
{
	while (kept > 0)
		msp_extraopts_free(kept_argv[--kept]);
}

static void keep_argv(char **argv)
{
	if (kept == 0)
		atexit(release_kept);
	if (kept >= sizeof(kept_argv) / sizeof(kept_argv[0]))
		fail_msg("msp_test_configure: more than %zu runs in one test program", kept);
	kept_argv[kept++] = argv;
}

int msp_test_configure(const struct msp_plugin *p, void *cfg, size_t cfg_size, const char *const *args,
		       struct msp_error *err)
{
	char *argv[64];
	struct msp_run run;
	struct msp_context ctx;
	int argc = 0, r;

	msp_error_init(err);
	memset(cfg, 0, cfg_size);
	/* getopt permutes the vector, never the strings: the literals are only read */
	memcpy(&argv[argc++], &p->name, sizeof(char *));
	for (; args && args[argc - 1]; argc++) {
		if (argc >= 63)
			fail_msg("msp_test_configure: more than 62 arguments");
		memcpy(&argv[argc], &args[argc - 1], sizeof(char *));
	}
	argv[argc] = NULL;
	msp_run_init(p, &run);
	msp_prescan(p, argc, argv, &run);
	r = msp_parse(p, cfg, argc, argv, &run, err);
	if (r == 0 && run.action != MSP_RUN_CHECK)
		r = 1;
	else if (r == 0)
		r = msp_prepare(p, cfg, &run, &ctx, err);
	keep_argv(run.argv); /* cfg points into it (string options) */
	run.argv = NULL;
	msp_run_release(&run);
	return r;
}

void msp_test_configure_ok(const struct msp_plugin *p, void *cfg, size_t cfg_size, const char *const *args)
{
	struct msp_error err;
	int r = msp_test_configure(p, cfg, cfg_size, args, &err);

	if (r != 0)
		fail_msg("%s %s...: configure returned %d: %s", p->name, args && args[0] ? args[0] : "", r, err.msg);
}

/* Render root; a usage error (usage) in the runner's default shape, as msp_main's fail() does. */
static char *render(const struct msp_plugin *p, struct msp_result *root, enum msp_format fmt, bool usage)
{
	struct msp_buf b;

	if (!root->style && !usage)
		root->style = p->nagios;
	msp_buf_init(&b, MSP_OUTPUT_MAX + 4096);
	if (msp_render(root, fmt, p->name, p->service, &b) < 0)
		fail_msg("%s: the result cannot be rendered", p->name);
	return msp_buf_detach(&b);
}

char *msp_test_render(const struct msp_plugin *p, struct msp_result *root, enum msp_format fmt)
{
	return render(p, root, fmt, false);
}

char *msp_test_run(const struct msp_plugin *p, void *cfg, size_t cfg_size, const char *const *args,
		   enum msp_format fmt, enum msp_state *ret_state)
{
	struct msp_result *root = msp_result_new();
	struct msp_error err;
	struct msp_run run;
	struct msp_context ctx;
	char *out;
	int r;

	assert_non_null(root);
	r = msp_test_configure(p, cfg, cfg_size, args, &err);
	if (r != 0) {
		msp_result_set_state(root, MSP_STATE_UNKNOWN);
		msp_result_set_text(root, "%s", r > 0 ? "help or version asked" : err.msg);
	} else {
		msp_run_init(p, &run);
		run.fmt = fmt;
		memset(&ctx, 0, sizeof(ctx));
		/* the context as msp_prepare made it (finish already ran in configure) */
		ctx.verbose = 0;
		ctx.timeout = run.timeout;
		ctx.timeout_state = run.timeout_state;
		ctx.now = time(NULL);
		ctx.format = fmt;
		ctx.deadline = msp_deadline_in(run.timeout);
		ctx.plugin = p->name;
		ctx.service = p->service;
		msp_run_check(p, cfg, &ctx, root);
		msp_run_release(&run);
	}
	*ret_state = msp_result_state(root);
	out = render(p, root, fmt, r != 0);
	msp_result_free(root);
	return out;
}

bool msp_test_match(const char *text, const char *re)
{
	char line[8192];
	regex_t rx;
	bool ok;

	snprintf(line, sizeof(line), "%.*s", (int)strcspn(text, "\n"), text);
	if (regcomp(&rx, re, REG_EXTENDED | REG_NOSUB) != 0)
		fail_msg("bad regular expression in the test: %s", re);
	ok = regexec(&rx, line, 0, NULL, 0) == 0;
	regfree(&rx);
	return ok;
}

void msp_test_cases(const struct msp_plugin *p, void *cfg, size_t cfg_size, const struct msp_test_case *cases,
		    size_t n)
{
	msp_test_cases_release(p, cfg, cfg_size, cases, n, NULL);
}

void msp_test_cases_release(const struct msp_plugin *p, void *cfg, size_t cfg_size, const struct msp_test_case *cases,
			    size_t n, void (*release)(void *cfg))
{
	for (size_t i = 0; i < n; i++) {
		enum msp_state st;
		char *out = msp_test_run(p, cfg, cfg_size, cases[i].args, MSP_FORMAT_NAGIOS, &st);
		char shown[512] = "";

		if (release)
			release(cfg);
		else if (p->release)
			p->release(cfg);

		for (size_t a = 0; cases[i].args[a] && a < 24; a++)
			snprintf(shown + strlen(shown), sizeof(shown) - strlen(shown), " '%s'", cases[i].args[a]);
		if (st != cases[i].state || (cases[i].line1 && !msp_test_match(out, cases[i].line1))) {
			print_error("row %zu:%s\n  want %s, line 1 matching /%s/\n  got  %s: %s", i, shown,
				    msp_state_name(cases[i].state), cases[i].line1 ? cases[i].line1 : "", msp_state_name(st),
				    out);
			free(out);
			fail();
		}
		free(out);
	}
}
