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

#endif
