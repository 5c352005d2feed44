/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * msp_test.c - pieces the cmocka unit tests share: the German locale for
 * the locale-independence tests, waiting for a process to go, and
 * reading recorded fixtures.
 */
#include <locale.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
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
	char path[4096];
	struct msp_buf b;
	struct msp_error err;

	msp_buf_init(&b, max);
	msp_error_init(&err);
	if (msp_file_read(msp_test_fixture_path(rel, path, sizeof(path)), max, &b, &err) < 0)
		fail_msg("fixture: %s (is top_srcdir set?)", err.msg);
	return msp_buf_detach(&b);
}
