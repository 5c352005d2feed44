/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * fuzz.h - what the libFuzzer targets of tests/fuzz share.
 *
 * Every target asserts invariants of the parser it drives, not only that it
 * does not crash: FUZZ_ASSERT prints what broke and aborts, so libFuzzer
 * keeps the input as a crash artifact (tests/fuzz/README.md).
 */
#ifndef FUZZ_H
#define FUZZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv); /* optional: setup before the first input */

/* Print "file:line: invariant broken: cond: message" to stderr and abort. */
__attribute__((noreturn, format(printf, 4, 5))) void fuzz_fail(const char *file, int line, const char *cond,
							       const char *fmt, ...);

#define FUZZ_ASSERT(cond, ...)                                             \
	do {                                                               \
		if (!(cond))                                               \
			fuzz_fail(__FILE__, __LINE__, #cond, __VA_ARGS__); \
	} while (0)

/*
 * A NUL-terminated copy of data in a buffer of exactly size + 1 bytes, so
 * AddressSanitizer catches a read past the end.  The caller frees it.
 * Aborts when memory runs out (a fuzz run has no other use for it).
 */
char *fuzz_strndup(const uint8_t *data, size_t size);

/*
 * Write data to name in the target's own temporary directory (made on
 * first use under $MSP_FUZZ_TMPDIR, else /dev/shm, else $TMPDIR or /tmp;
 * removed at exit) and return the file's path,
 * valid until the next call.  dir_name, when not NULL, is a subdirectory
 * created first ("123" for a /proc/<pid>/ layout).  Aborts on failure.
 */
const char *fuzz_write_file(const char *dir_name, const char *name, const uint8_t *data, size_t size);

/* The target's temporary directory (made on first use). */
const char *fuzz_tmpdir(void);

/*
 * Split data at the first occurrence of byte sep: *ret_head gets the part
 * before it (NUL-terminated copy), and the rest stays in *data / *size.
 * Without sep, the head is everything and the rest is empty.  Caller frees
 * the head.
 */
char *fuzz_take(const uint8_t **data, size_t *size, uint8_t sep);

/* True when two doubles differ by at most abs plus rel times the larger magnitude. */
bool fuzz_close(double a, double b, double rel, double abs);

#endif
