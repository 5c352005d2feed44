/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * fuzz.c - helpers of the libFuzzer targets (fuzz.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fuzz.h"

#define FUZZ_FILES_MAX 16

static char tmpdir[256];
static char written[FUZZ_FILES_MAX][320]; /* files and directories to remove at exit, in order */
static size_t nwritten;

void fuzz_fail(const char *file, int line, const char *cond, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s:%d: invariant broken: %s: ", file, line, cond);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	abort();
}

char *fuzz_strndup(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);

	if (!s)
		abort();
	if (size)
		memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

char *fuzz_take(const uint8_t **data, size_t *size, uint8_t sep)
{
	const uint8_t *p = *size ? memchr(*data, sep, *size) : NULL;
	size_t n = p ? (size_t)(p - *data) : *size;
	char *head = fuzz_strndup(*data, n);

	*data += p ? n + 1 : n;
	*size -= p ? n + 1 : n;
	return head;
}

bool fuzz_close(double a, double b, double rel, double abs)
{
	if (a == b)
		return true;
	return fabs(a - b) <= abs + rel * fmax(fabs(a), fabs(b));
}

static void remove_written(void)
{
	/* the newest first: files before the directories that hold them */
	while (nwritten > 0) {
		const char *p = written[--nwritten];

		if (remove(p) != 0 && errno != ENOENT)
			fprintf(stderr, "fuzz: cannot remove '%s': %s\n", p, strerror(errno));
	}
	if (tmpdir[0])
		rmdir(tmpdir);
}

const char *fuzz_tmpdir(void)
{
	const char *base;

	if (tmpdir[0])
		return tmpdir;
	/* memory, not disk: a file written per input runs 100 times faster on tmpfs */
	base = getenv("MSP_FUZZ_TMPDIR");
	if ((!base || !*base) && access("/dev/shm", W_OK | X_OK) == 0)
		base = "/dev/shm";
	if (!base || !*base)
		base = getenv("TMPDIR");
	if (!base || !*base)
		base = "/tmp";
	if (snprintf(tmpdir, sizeof(tmpdir), "%s/msp-fuzz.XXXXXX", base) >= (int)sizeof(tmpdir))
		abort();
	if (!mkdtemp(tmpdir)) {
		perror("fuzz: mkdtemp");
		abort();
	}
	atexit(remove_written);
	return tmpdir;
}

static void remember(const char *path)
{
	for (size_t i = 0; i < nwritten; i++)
		if (strcmp(written[i], path) == 0)
			return;
	if (nwritten >= FUZZ_FILES_MAX || strlen(path) >= sizeof(written[0]))
		abort();
	snprintf(written[nwritten++], sizeof(written[0]), "%s", path);
}

const char *fuzz_write_file(const char *dir_name, const char *name, const uint8_t *data, size_t size)
{
	static char path[320];
	const char *dir = fuzz_tmpdir();
	int fd;

	if (dir_name) {
		snprintf(path, sizeof(path), "%s/%s", dir, dir_name);
		if (mkdir(path, 0700) != 0 && errno != EEXIST)
			abort();
		remember(path);
		snprintf(path, sizeof(path), "%s/%s/%s", dir, dir_name, name);
	} else {
		snprintf(path, sizeof(path), "%s/%s", dir, name);
	}
	remember(path);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		abort();
	for (size_t off = 0; off < size;) {
		ssize_t w = write(fd, data + off, size - off);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			abort();
		off += (size_t)w;
	}
	close(fd);
	return path;
}
