/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * msp_test.h - pieces the cmocka unit tests share (tests/helpers/msp_test.c).
 *
 * Include after <cmocka.h> and "msp.h".  A test program that uses these
 * lists tests/helpers/msp_test.c in its SOURCES (Makefile.am).
 */
#ifndef MSP_TEST_H
#define MSP_TEST_H

#include <stdbool.h>
#include <stddef.h>

#include "msp.h"
#include "msp_plugin.h"

/*
 * Use the de_DE.UTF-8 locale (',' as decimal point) for a test.  A missing
 * locale fails the test, unless MSP_ALLOW_NO_LOCALE=1 says the machine
 * cannot have it; then the test is skipped.  Pair the test with
 * restore_c_locale as its teardown.
 */
void use_german_locale(void);

/* cmocka teardown: back to the C locale after use_german_locale(). */
int restore_c_locale(void **state);

/*
 * Wait up to 2 s for process pid to end (gone, or a zombie waiting for its
 * new parent).  Returns true when it did; otherwise it is sent SIGKILL, so
 * that it does not outlive the test, and false is returned.
 */
bool wait_process_gone(long pid);

/*
 * "$top_srcdir/tests/fixtures/<rel>" into buf (top_srcdir as make check
 * sets it, else "."); returns buf.
 */
const char *msp_test_fixture_path(const char *rel, char *buf, size_t len);

/*
 * Read fixture <rel> (at most max bytes) into a NUL-terminated string the
 * caller frees; fails the test when it cannot be read.
 */
char *msp_test_fixture(const char *rel, size_t max);

/* The same for a fixture that holds NUL bytes (database headers, utmp): its length in *ret_len. */
char *msp_test_fixture_bytes(const char *rel, size_t max, size_t *ret_len);

/* ------------------------------------------------ processes and sockets */

/*
 * For permission cases: as root, become 'nobody' (effective uid 65534) so
 * file modes count; false when that is not possible (the caller skips).
 * Not root: true, nothing changes.  msp_test_regain_root() undoes it.
 */
bool msp_test_drop_root(void);
void msp_test_regain_root(void);

/*
 * A listening unix stream socket at path (an old file there is removed);
 * the test fails when it cannot be made.  Returns the descriptor.
 */
int msp_test_unix_listen(const char *path);

/* ------------------------------------------------ driving a plugin */

/* A NULL-terminated argument list in place: MSP_ARGS("-w", "5", "-c", "10"). */
#define MSP_ARGS(...) ((const char *const[]){ __VA_ARGS__, NULL })

/*
 * Configure cfg (cfg_size bytes, zeroed first) from args (NULL-terminated,
 * without the program name) with the runner's own steps: msp_parse (the
 * real option table, defaults, positional arguments) and msp_prepare (the
 * plugin's finish).  Returns 0 or the MSP_E* of the first failure with its
 * message in err; --help and --version return 1.  p is the plugin
 * (msp_test_plugin in a plugin test).
 */
int msp_test_configure(const struct msp_plugin *p, void *cfg, size_t cfg_size, const char *const *args,
		       struct msp_error *err);

/* Like msp_test_configure, failing the test (with the message) when it does not return 0. */
void msp_test_configure_ok(const struct msp_plugin *p, void *cfg, size_t cfg_size, const char *const *args);

/*
 * Render root in fmt as the runner does (the plugin's drop-in style when
 * the check set none); a string the caller frees.
 */
char *msp_test_render(const struct msp_plugin *p, struct msp_result *root, enum msp_format fmt);

/*
 * The whole run in-process: configure with args, run the check, render in
 * fmt.  Returns the output (the caller frees) and its state in *ret_state;
 * a usage error renders as the runner's "<SERVICE> UNKNOWN - message" line
 * (the default shape, not the drop-in style, as msp_main prints it).
 */
char *msp_test_run(const struct msp_plugin *p, void *cfg, size_t cfg_size, const char *const *args,
		   enum msp_format fmt, enum msp_state *ret_state);

/*
 * One row of a table-driven test: arguments, the state wanted and an
 * extended regular expression line 1 of the nagios output must match
 * (NULL: any).
 */
struct msp_test_case {
	const char *args[24];
	enum msp_state state;
	const char *line1;
};

/*
 * Run every row of cases (n rows) with msp_test_run, then p->release(cfg)
 * when the plugin has one; a row that fails names itself.
 */
void msp_test_cases(const struct msp_plugin *p, void *cfg, size_t cfg_size, const struct msp_test_case *cases,
		    size_t n);

/* The same, calling release(cfg) after each row's run instead of p->release. */
void msp_test_cases_release(const struct msp_plugin *p, void *cfg, size_t cfg_size, const struct msp_test_case *cases,
			    size_t n, void (*release)(void *cfg));

/* Line 1 of text matches the extended regular expression re. */
bool msp_test_match(const char *text, const char *re);

#endif
