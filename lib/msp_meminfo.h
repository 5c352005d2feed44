/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * msp_meminfo.h - /proc/meminfo as named values in bytes.
 *
 * The kernel writes one "Name:   value[ kB]" line per field.  The parser
 * keeps every field (names up to MSP_MEMINFO_NAME_MAX - 1 characters, at
 * most MSP_MEMINFO_MAX fields) with its value converted to bytes ("kB" is
 * 1024 bytes; a field without a unit, such as HugePages_Total, is a count
 * and kept as is).  A malformed line, a duplicate name, an overflowing value
 * or an empty file is an error: callers must never judge memory from a file
 * they could not read completely.  Invariant: names are unique and values
 * finite.
 */
#ifndef MSP_MEMINFO_H
#define MSP_MEMINFO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "msp_error.h"

#define MSP_MEMINFO_NAME_MAX 48
#define MSP_MEMINFO_MAX 128        /* about 60 fields on a 6.x kernel */
#define MSP_MEMINFO_FILE_MAX 16384 /* bytes read at most; the file is ~1.5 KiB */

struct msp_meminfo_field {
	char name[MSP_MEMINFO_NAME_MAX];
	uint64_t value; /* bytes, or a plain count when has_unit is false */
	bool has_unit;  /* the line carried "kB" */
};

struct msp_meminfo {
	struct msp_meminfo_field field[MSP_MEMINFO_MAX];
	size_t n;
};

/*
 * Parse meminfo text into *ret (no allocation; the struct holds everything).
 * Returns 0, or MSP_EINVAL with a message naming the line.
 */
int msp_meminfo_parse(const char *text, struct msp_meminfo *ret, struct msp_error *err);

/*
 * Read and parse "<proc_root>/meminfo" (proc_root NULL or "" means "/proc";
 * tests point it at a directory of recorded files).  The read is bounded by
 * MSP_MEMINFO_FILE_MAX; a longer file is an error.  0 or MSP_E* with a message.
 */
int msp_meminfo_read(const char *proc_root, struct msp_meminfo *ret, struct msp_error *err);

/*
 * Look a field up by its exact name ("MemAvailable").  Returns true and
 * sets *ret_value when present; false (and *ret_value untouched) when the
 * kernel does not report it.
 */
bool msp_meminfo_get(const struct msp_meminfo *mi, const char *name, uint64_t *ret_value);

#endif
