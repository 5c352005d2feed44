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

#endif
