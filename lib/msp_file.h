/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * msp_file.h - reading small local files with a ceiling.
 */
#ifndef MSP_FILE_H
#define MSP_FILE_H

#include <stddef.h>

#include "msp_buf.h"
#include "msp_error.h"

/*
 * Read the whole file at path into b (appending) but at most max bytes.
 * Works on /proc and /sys files (no reliance on st_size).  Only a regular
 * file is read: a FIFO, a device (/dev/null, a terminal) or a socket is
 * refused at once (MSP_EINVAL, "cannot read 'PATH': not a regular file"),
 * without waiting for a writer, so a wrong path cannot hang the plugin
 * until its deadline.  Returns 0, MSP_ETOOBIG (the file was longer than
 * max; what fits is kept), MSP_ENOENT, MSP_EINVAL or MSP_ESYS (a directory
 * too), with a message naming the path.
 */
int msp_file_read(const char *path, size_t max, struct msp_buf *b, struct msp_error *err);

/*
 * Take the NUL bytes out of text that was read from a file, in place: a
 * run of NULs (what a crash leaves where a write to an append-only log
 * was lost) ends the line it interrupts and vanishes at the start of a
 * line, so C-string parsing reads what was written after it instead of
 * stopping there.  buf holds len bytes and room for one more; the result
 * is NUL-terminated.  Returns its length; *ret_runs (may be NULL) gets the
 * number of runs.
 */
size_t msp_file_skip_nuls(char *buf, size_t len, size_t *ret_runs);

#endif
