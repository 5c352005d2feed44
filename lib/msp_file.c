/* SPDX-License-Identifier: GPL-3.0-or-later */
/* msp_file.c - bounded file reads (see msp_file.h). */
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "msp_file.h"
#include "banned.h"

int msp_file_read(const char *path, size_t max, struct msp_buf *b, struct msp_error *err)
{
	char chunk[8192];
	size_t got = 0;
	struct stat st;
	int fd, r = 0;

	/*
	 * Only a regular file (/proc and /sys files are regular): a FIFO or a
	 * terminal could block until the deadline, so the open does not wait
	 * and anything else is refused before the first read.
	 */
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0) {
		int e = errno;

		if (e == ENOENT)
			return msp_error_set(err, MSP_ENOENT, "cannot open '%s': no such file", path);
		return msp_error_errno(err, e, "cannot open '%s'", path);
	}
	if (fstat(fd, &st) < 0) {
		r = msp_error_errno(err, errno, "cannot read '%s'", path);
		goto out;
	}
	if (S_ISDIR(st.st_mode)) {
		r = msp_error_errno(err, EISDIR, "cannot read '%s'", path);
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		r = msp_error_set(err, MSP_EINVAL, "cannot read '%s': not a regular file", path);
		goto out;
	}
	for (;;) {
		ssize_t n = read(fd, chunk, sizeof(chunk));

		if (n < 0) {
			if (errno == EINTR)
				continue;
			r = msp_error_errno(err, errno, "cannot read '%s'", path);
			break;
		}
		if (n == 0)
			break;
		if (got + (size_t)n > max) {
			msp_buf_add(b, chunk, max - got);
			r = msp_error_set(err, MSP_ETOOBIG, "'%s' is larger than %zu bytes", path, max);
			break;
		}
		if (msp_buf_add(b, chunk, (size_t)n) < 0) {
			r = msp_error_set(err, MSP_ETOOBIG, "'%s' does not fit in memory", path);
			break;
		}
		got += (size_t)n;
	}
out:
	close(fd);
	return r;
}

size_t msp_file_skip_nuls(char *buf, size_t len, size_t *ret_runs)
{
	size_t runs = 0, o = 0;

	/* a run of n >= 1 NULs becomes at most one newline: writing never overtakes reading */
	for (size_t i = 0; i < len;) {
		if (buf[i] != '\0') {
			buf[o++] = buf[i++];
			continue;
		}
		while (i < len && buf[i] == '\0')
			i++;
		runs++;
		if (o > 0 && buf[o - 1] != '\n')
			buf[o++] = '\n';
	}
	buf[o] = '\0';
	if (ret_runs)
		*ret_runs = runs;
	return o;
}
