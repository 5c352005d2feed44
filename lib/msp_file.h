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
 * Works on /proc files (no reliance on st_size).  Returns 0, MSP_ETOOBIG
 * (the file was longer than max; what fits is kept), MSP_ENOENT or MSP_ESYS,
 * with a message naming the path.
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
