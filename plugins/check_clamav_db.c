/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * check_clamav_db.c - check_clamav's database files: the container header
 * (check_clamav_parse_header), the body checked against it
 * (check_clamav_verify_body: MD5, or tar + the .info's SHA-256 for a .cld)
 * and the choice of the newest of name.cvd/.cld/.cud (check_clamav_read_db).
 */
#include <errno.h>
#include <fcntl.h>
#include <strings.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "check_clamav.h"

static const char *const db_names[CHECK_CLAMAV_NDB] = { "daily", "main", "bytecode" };

const char *check_clamav_db_name(enum check_clamav_dbid id)
{
	return id < CHECK_CLAMAV_NDB ? db_names[id] : "?";
}

/* ---------------------------------------------------------------- header */

/* Split the header text at ':' into at most max fields (pointers into a copy the caller owns). */
static size_t split_fields(char *s, char **field, size_t max)
{
	size_t n = 0;

	while (n < max) {
		field[n++] = s;
		s = strchr(s, ':');
		if (!s)
			break;
		*s++ = '\0';
	}
	return n;
}

static int header_number(const char *what, const char *text, uint64_t max, uint64_t *ret, struct msp_error *err)
{
	if (!*text || strspn(text, "0123456789") != strlen(text) || msp_num_uint64(text, max, ret) < 0)
		return msp_error_set(err, MSP_EINVAL, "malformed header: %s '%.24s' is not a number", what, text);
	return 0;
}

int check_clamav_parse_header(const char *buf, size_t len, struct check_clamav_header *ret, struct msp_error *err)
{
	char text[CHECK_CLAMAV_HEADER_SIZE + 1];
	char *field[10];
	struct check_clamav_header h = { 0 };
	uint64_t btime;
	size_t n, end;

	if (len < CHECK_CLAMAV_HEADER_SIZE)
		return msp_error_set(err, MSP_EINVAL, "truncated header (%zu of %d bytes)", len,
				     CHECK_CLAMAV_HEADER_SIZE);
	if (memcmp(buf, "ClamAV-VDB:", 11) != 0)
		return msp_error_set(err, MSP_EINVAL, "not a ClamAV database (no 'ClamAV-VDB' header)");
	for (size_t i = 0; i < CHECK_CLAMAV_HEADER_SIZE; i++)
		if ((unsigned char)buf[i] < 0x20 || (unsigned char)buf[i] > 0x7e)
			return msp_error_set(err, MSP_EINVAL, "malformed header: byte %zu is not printable", i);
	/* The fields are padded to 512 bytes with blanks. */
	for (end = CHECK_CLAMAV_HEADER_SIZE; end > 0 && buf[end - 1] == ' '; end--)
		;
	memcpy(text, buf, end);
	text[end] = '\0';
	n = split_fields(text, field, 10);
	if (n < 9)
		return msp_error_set(err, MSP_EINVAL, "malformed header: %zu fields instead of 9", n);
	if (n > 9)
		return msp_error_set(err, MSP_EINVAL, "malformed header: more than 9 fields");
	if (header_number("version", field[2], UINT32_MAX, &h.version, err) < 0 ||
	    header_number("signature count", field[3], UINT32_MAX, &h.sigs, err) < 0 ||
	    header_number("functionality level", field[4], UINT32_MAX, &h.flevel, err) < 0 ||
	    header_number("build time", field[8], INT64_MAX / 2, &btime, err) < 0)
		return MSP_EINVAL;
	if (btime == 0)
		return msp_error_set(err, MSP_EINVAL, "malformed header: build time is 0");
	h.build_time = (int64_t)btime;
	snprintf(h.builder, sizeof(h.builder), "%s", field[7]);
	snprintf(h.md5, sizeof(h.md5), "%.39s", field[5]);
	*ret = h;
	return 0;
}

/* ------------------------------------------------------------------ body */

/* Read up to len bytes, fewer only at the end of the file.  The count, or -1 with errno set. */
static ssize_t read_full(int fd, void *buf, size_t len)
{
	size_t got = 0;

	while (got < len) {
		ssize_t k = read(fd, (char *)buf + got, len - got);

		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0)
			return -1;
		if (k == 0)
			break;
		got += (size_t)k;
	}
	return (ssize_t)got;
}

static bool is_md5_hex(const char *s)
{
	return strlen(s) == 32 && strspn(s, "0123456789abcdefABCDEF") == 32;
}

/*
 * Digest the next max bytes of fd (to the end of the file when there are
 * fewer) with md into hex (2 * digest size + 1 bytes).  *ret_n: how many
 * bytes came.  0, MSP_ESYS or MSP_ENOMEM.
 */
static int digest_fd(int fd, const EVP_MD *md, uint64_t max, char *hex, uint64_t *ret_n, struct msp_error *err)
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	unsigned char buf[32768], d[EVP_MAX_MD_SIZE];
	unsigned dlen = 0;
	uint64_t n = 0;
	int r = 0;

	if (!ctx || EVP_DigestInit_ex(ctx, md, NULL) != 1) {
		r = msp_error_set(err, MSP_ENOMEM, "cannot start %s in OpenSSL", EVP_MD_get0_name(md));
		goto out;
	}
	while (n < max) {
		size_t want = max - n < sizeof(buf) ? (size_t)(max - n) : sizeof(buf);
		ssize_t k = read_full(fd, buf, want);

		if (k < 0) {
			r = msp_error_errno(err, errno, "cannot read");
			goto out;
		}
		if (k > 0 && EVP_DigestUpdate(ctx, buf, (size_t)k) != 1) {
			r = msp_error_set(err, MSP_ENOMEM, "%s failed in OpenSSL", EVP_MD_get0_name(md));
			goto out;
		}
		n += (uint64_t)k;
		if ((size_t)k < want)
			break;
	}
	if (EVP_DigestFinal_ex(ctx, d, &dlen) != 1) {
		r = msp_error_set(err, MSP_ENOMEM, "%s failed in OpenSSL", EVP_MD_get0_name(md));
		goto out;
	}
	for (unsigned i = 0; i < dlen; i++)
		snprintf(hex + 2 * i, 3, "%02x", d[i]);
	*ret_n = n;
out:
	EVP_MD_CTX_free(ctx);
	return r;
}

/* .cvd, .cud and sigtool's gzip'd .cld: the MD5 of everything after the header is in the header. */
static int verify_md5(int fd, const struct check_clamav_header *h, struct msp_error *err)
{
	char md5[2 * EVP_MAX_MD_SIZE + 1];
	uint64_t n = 0;
	int r;

	if (!is_md5_hex(h->md5))
		return msp_error_set(err, MSP_EINVAL, "malformed header: MD5 '%.24s' is not 32 hex digits", h->md5);
	r = digest_fd(fd, EVP_md5(), UINT64_MAX, md5, &n, err);
	if (r < 0)
		return r;
	if (n == 0)
		return msp_error_set(err, MSP_EINVAL, "no data after the header (header only)");
	if (strcasecmp(md5, h->md5) != 0)
		return msp_error_set(err, MSP_EINVAL,
				     "body does not match the MD5 in the header (damaged or incomplete)");
	return 0;
}

/* A tar number: optional blanks, octal digits, then only NULs and blanks. */
static int tar_number(const unsigned char *f, size_t len, uint64_t *ret)
{
	uint64_t v = 0;
	size_t i = 0, digits = 0;

	while (i < len && f[i] == ' ')
		i++;
	for (; i < len && f[i] >= '0' && f[i] <= '7'; i++, digits++) {
		if (v > (UINT64_MAX >> 4))
			return -1;
		v = v * 8 + (uint64_t)(f[i] - '0');
	}
	for (; i < len; i++)
		if (f[i] != '\0' && f[i] != ' ')
			return -1;
	if (!digits)
		return -1;
	*ret = v;
	return 0;
}

struct tar_file {
	char name[101];
	uint64_t size;
	char sha256[65];
};

/* One 512-byte tar header: the checksum, a printable name, a regular file, its size. */
static int tar_header(const unsigned char *b, size_t index, struct tar_file *f, struct msp_error *err)
{
	uint64_t sum = 0, want;
	size_t n;

	for (size_t i = 0; i < 512; i++)
		sum += i >= 148 && i < 156 ? ' ' : b[i];
	if (tar_number(b + 148, 8, &want) < 0 || want != sum)
		return msp_error_set(err, MSP_EINVAL, "tar entry %zu: header checksum does not match (damaged)",
				     index + 1);
	n = strnlen((const char *)b, 100);
	memcpy(f->name, b, n);
	f->name[n] = '\0';
	for (size_t i = 0; i < n; i++)
		if (b[i] < 0x21 || b[i] > 0x7e || b[i] == '/')
			f->name[i] = '?';
	if (n == 0 || strchr(f->name, '?'))
		return msp_error_set(err, MSP_EINVAL, "tar entry %zu: malformed name '%.40s'", index + 1, f->name);
	if (b[156] != '0' && b[156] != '\0')
		return msp_error_set(err, MSP_EINVAL, "tar entry '%.40s' is not a regular file", f->name);
	if (tar_number(b + 124, 12, &f->size) < 0)
		return msp_error_set(err, MSP_EINVAL, "tar entry '%.40s': malformed size", f->name);
	return 0;
}

/*
 * Check an entry against the "name:size:sha256" lines of the .info text:
 * NULL when it is listed and matches, else what differs ("size",
 * "SHA-256"), or "" when it is not listed at all.
 */
static const char *info_mismatch(const char *info, const struct tar_file *f)
{
	size_t nlen = strlen(f->name);

	for (const char *p = info; *p; p += strcspn(p, "\n"), p += *p == '\n') {
		char size[24];
		size_t n = strcspn(p, "\n"), slen;

		if (n <= nlen + 1 || strncmp(p, f->name, nlen) != 0 || p[nlen] != ':')
			continue;
		slen = (size_t)snprintf(size, sizeof(size), ":%llu:", (unsigned long long)f->size);
		if (strncmp(p + nlen, size, slen) != 0)
			return "size";
		if (n != nlen + slen + 64 || strncasecmp(p + nlen + slen, f->sha256, 64) != 0)
			return "SHA-256";
		return NULL;
	}
	return "";
}

/* Every "name:size:..." line of the .info must be in the archive; the first that is not, or NULL. */
static const char *info_missing(const char *info, const struct tar_file *files, size_t nfiles, char *name, size_t len)
{
	/* The first line is the header, "DSIG:" the signature; the rest name files. */
	for (const char *p = info + strcspn(info, "\n"); *p; p += strcspn(p, "\n")) {
		size_t n;
		bool found = false;

		p += *p == '\n';
		n = strcspn(p, ":\n");
		if (n == 0 || p[n] != ':' || (n == 4 && strncmp(p, "DSIG", 4) == 0))
			continue;
		for (size_t i = 0; i < nfiles && !found; i++)
			found = strlen(files[i].name) == n && strncmp(files[i].name, p, n) == 0;
		if (!found) {
			snprintf(name, len, "%.*s", (int)(n < 60 ? n : 60), p);
			return name;
		}
	}
	return NULL;
}

/* One entry's data: the .info is kept (info, at most 64 KiB), every other file hashed. */
static int tar_data(int fd, struct tar_file *f, struct msp_buf *info, struct msp_error *err)
{
	uint64_t n = 0, pad = (512 - f->size % 512) % 512;
	size_t nl = strlen(f->name);
	unsigned char skip[512];
	ssize_t k;
	int r;

	if (nl > 5 && strcmp(f->name + nl - 5, ".info") == 0 && info->len == 0) {
		char *buf = NULL;

		if (f->size > 65536)
			return msp_error_set(err, MSP_EINVAL, "'%s' is larger than 64 KiB", f->name);
		buf = malloc((size_t)f->size + 1);
		if (!buf)
			return msp_error_set(err, MSP_ENOMEM, "out of memory");
		k = read_full(fd, buf, (size_t)f->size);
		r = k < 0 ? msp_error_errno(err, errno, "cannot read") : 0;
		n = k > 0 ? (uint64_t)k : 0;
		if (r == 0 && n == f->size)
			r = msp_buf_add(info, buf, (size_t)n);
		free(buf);
		if (r < 0)
			return r;
	} else {
		r = digest_fd(fd, EVP_sha256(), f->size, f->sha256, &n, err);
		if (r < 0)
			return r;
	}
	if (n != f->size || read_full(fd, skip, (size_t)pad) != (ssize_t)pad)
		return msp_error_set(err, MSP_EINVAL, "tar entry '%s' ends after %llu of %llu bytes (truncated)",
				     f->name, (unsigned long long)(n < f->size ? n : f->size),
				     (unsigned long long)f->size);
	return 0;
}

/*
 * The files of a tar archive (n of them; the .info is entry info_at, from 1; 0: none)
 * against the .info's lines.  0 with what was checked in ret_verified, or MSP_EINVAL.
 */
static int check_info(const struct tar_file *files, size_t n, size_t info_at, const struct msp_buf *info,
		      char *ret_verified, size_t len, struct msp_error *err)
{
	const char *name, *what;
	char missing[64];
	size_t hashed = 0;

	if (!info_at)
		return msp_error_set(err, MSP_EINVAL, "no .info file in the tar archive (cannot check its files)");
	name = files[info_at - 1].name;
	if (memchr(info->data, '\0', info->len))
		return msp_error_set(err, MSP_EINVAL, "%s holds NUL bytes (damaged)", name);
	for (size_t i = 0; i < n; i++) {
		if (i + 1 == info_at)
			continue;
		what = info_mismatch(msp_buf_str(info), &files[i]);
		/* COPYING need not be listed; when it is, it must match like the rest. */
		if (what && !*what && strcmp(files[i].name, "COPYING") == 0)
			continue;
		if (what && !*what)
			return msp_error_set(err, MSP_EINVAL, "'%s' is not listed in %s", files[i].name, name);
		if (what)
			return msp_error_set(err, MSP_EINVAL, "'%s' does not match its %s in %s", files[i].name, what,
					     name);
		hashed++;
	}
	if (info_missing(msp_buf_str(info), files, n, missing, sizeof(missing)))
		return msp_error_set(err, MSP_EINVAL, "'%s' listed in %s is missing from the archive", missing, name);
	snprintf(ret_verified, len, "tar and SHA-256 of %zu file%s checked against %s", hashed, hashed == 1 ? "" : "s",
		 name);
	return 0;
}

/*
 * freshclam's .cld: a tar without end-of-archive blocks (the file ends after the last
 * entry, or at a zero block).  Every file must be listed in the .info with its size
 * and SHA-256, and every file the .info lists must be there: that catches a cut at an
 * entry boundary as well as damage inside an entry.
 */
static int verify_tar(int fd, char *ret_verified, size_t len, struct msp_error *err)
{
	struct tar_file *files = calloc(CHECK_CLAMAV_TAR_MAX_FILES, sizeof(*files));
	struct msp_buf info;
	unsigned char b[512];
	size_t n = 0, info_at = 0;
	int r = 0;

	msp_buf_init(&info, 65536 + 1);
	if (!files) {
		r = msp_error_set(err, MSP_ENOMEM, "out of memory");
		goto out;
	}
	for (;;) {
		ssize_t k = read_full(fd, b, sizeof(b));

		if (k < 0) {
			r = msp_error_errno(err, errno, "cannot read");
			goto out;
		}
		if (k == 0 || (k == 512 && b[0] == '\0'))
			break;
		if (k < 512) {
			r = msp_error_set(err, MSP_EINVAL, "tar entry %zu: header cut off after %zd bytes (truncated)",
					  n + 1, k);
			goto out;
		}
		if (n == CHECK_CLAMAV_TAR_MAX_FILES) {
			r = msp_error_set(err, MSP_EINVAL, "more than %d files in the tar archive",
					  CHECK_CLAMAV_TAR_MAX_FILES);
			goto out;
		}
		r = tar_header(b, n, &files[n], err);
		if (r == 0) {
			bool was_info = info.len > 0;

			r = tar_data(fd, &files[n], &info, err);
			if (!was_info && info.len > 0)
				info_at = n + 1;
		}
		if (r < 0)
			goto out;
		n++;
	}
	r = check_info(files, n, info_at, &info, ret_verified, len, err);
out:
	msp_buf_release(&info);
	free(files);
	return r;
}

int check_clamav_verify_body(int fd, const char *file, const struct check_clamav_header *h, char *ret_verified,
			     size_t len, struct msp_error *err)
{
	const char *ext = strrchr(file, '.');
	unsigned char head[7];
	ssize_t k;
	int r;

	if (!ext || strcmp(ext, ".cld") != 0) {
		r = verify_md5(fd, h, err);
		if (r == 0)
			snprintf(ret_verified, len, "body MD5 checked (not the digital signature)");
		return r;
	}
	/* A .cld is an uncompressed tar (its first entry is COPYING), or gzip'd like a .cvd. */
	k = pread(fd, head, sizeof(head), CHECK_CLAMAV_HEADER_SIZE);
	if (k < 0)
		return msp_error_errno(err, errno, "cannot read");
	if (k == 0)
		return msp_error_set(err, MSP_EINVAL, "no data after the header (header only)");
	if (k == (ssize_t)sizeof(head) && memcmp(head, "COPYING", 7) == 0)
		return verify_tar(fd, ret_verified, len, err);
	if (k < 3 || head[0] != 0x1f || head[1] != 0x8b || head[2] != 8)
		return msp_error_set(err, MSP_EINVAL, "neither a tar archive nor a gzip stream after the header");
	/* sigtool writes the body's MD5; freshclam's CompressLocalDatabase copy carries the .cvd's. */
	if (is_md5_hex(h->md5)) {
		struct msp_error e;

		msp_error_init(&e);
		if (verify_md5(fd, h, &e) == 0) {
			snprintf(ret_verified, len, "body MD5 checked (not the digital signature)");
			return 0;
		}
		if (e.code != MSP_EINVAL)
			return msp_error_set(err, e.code, "%s", e.msg);
	}
	snprintf(ret_verified, len, "gzip body not checked (no MD5 for a compressed .cld)");
	return 0;
}

/*
 * Read and check the container at path: its header into *ret, its body
 * with check_clamav_verify_body.  0, MSP_ENOENT, or an error with the reason.
 */
static int read_container(const char *path, const char *file, struct check_clamav_header *ret, char *verified,
			  size_t vlen, struct msp_error *err)
{
	char buf[CHECK_CLAMAV_HEADER_SIZE];
	struct check_clamav_header h;
	struct stat st;
	ssize_t got;
	int fd, r = 0;

	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0) {
		if (errno == ENOENT)
			return MSP_ENOENT;
		return msp_error_errno(err, errno, "cannot open");
	}
	if (fstat(fd, &st) < 0) {
		r = msp_error_errno(err, errno, "cannot stat");
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		r = msp_error_set(err, MSP_ESYS, "not a regular file");
		goto out;
	}
	got = read_full(fd, buf, sizeof(buf));
	if (got < 0) {
		r = msp_error_errno(err, errno, "cannot read");
		goto out;
	}
	r = check_clamav_parse_header(buf, (size_t)got, &h, err);
	if (r == 0) {
		msp_step("checking the body of '%.200s'", path);
		r = check_clamav_verify_body(fd, file, &h, verified, vlen, err);
	}
	if (r == 0)
		*ret = h;
out:
	close(fd);
	return r;
}

/* Is a newer than b?  The version decides; the build time breaks a tie. */
static bool header_newer(const struct check_clamav_header *a, const struct check_clamav_header *b)
{
	if (a->version != b->version)
		return a->version > b->version;
	return a->build_time > b->build_time;
}

void check_clamav_read_db(const char *dir, enum check_clamav_dbid id, struct check_clamav_db *ret)
{
	static const char *const ext[] = { "cvd", "cld", "cud" };
	struct check_clamav_db d = { .status = CHECK_CLAMAV_DB_MISSING };

	snprintf(d.file, sizeof(d.file), "%s.cvd", db_names[id]);
	for (size_t i = 0; i < sizeof(ext) / sizeof(ext[0]); i++) {
		char path[4096], file[16], verified[sizeof(d.verified)] = "";
		struct check_clamav_header h;
		struct msp_error err;
		int r;

		snprintf(file, sizeof(file), "%s.%s", db_names[id], ext[i]);
		snprintf(path, sizeof(path), "%s/%s", dir, file);
		msp_error_init(&err);
		msp_step("reading '%.200s'", path);
		r = read_container(path, file, &h, verified, sizeof(verified), &err);
		if (r == MSP_ENOENT)
			continue;
		if (r < 0) {
			/* A damaged file is reported even when another copy is fine: clamd may load it. */
			d.status = CHECK_CLAMAV_DB_BAD;
			snprintf(d.file, sizeof(d.file), "%s", file);
			snprintf(d.problem, sizeof(d.problem), "%.300s", err.msg);
			break;
		}
		if (d.status == CHECK_CLAMAV_DB_MISSING || header_newer(&h, &d.h)) {
			d.status = CHECK_CLAMAV_DB_OK;
			d.h = h;
			snprintf(d.file, sizeof(d.file), "%s", file);
			snprintf(d.verified, sizeof(d.verified), "%s", verified);
		}
	}
	*ret = d;
}
