/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * check_clamav - ClamAV signature freshness, clamd health and freshclam results.
 *
 * probe: read daily/main/bytecode .cvd/.cld/.cud in --db-dir (the 512-byte header, and
 *        the body checked against it: MD5, or tar + the .info's SHA-256 for a .cld),
 *        optionally read the tail of a freshclam log, ask clamd PING, VERSION and
 *        scan the EICAR test string (INSTREAM)
 * parse: check_clamav_parse_header(), check_clamav_verify_body(), check_clamav_parse_freshclam(),
 *        check_clamav_parse_version()
 * evaluate: check_clamav_evaluate()
 */
#include <errno.h>
#include <fcntl.h>
#include <strings.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "check_clamav.h"
#include "msp_sock.h"

enum {
	OPT_DB_DIR,
	OPT_WARN,
	OPT_CRIT,
	OPT_DATABASES,
	OPT_FRESHCLAM_LOG,
	OPT_SOCKET,
	OPT_HOST,
	OPT_PORT,
	OPT_IPV4,
	OPT_IPV6,
	OPT_LOADED_VS_DISK,
	OPT_EICAR,
	OPT_MAX_FUTURE,
};

static const struct msp_option options[] = {
	{ OPT_DB_DIR, 0, "db-dir", MSP_ARG_REQUIRED, "DIR",
	  "Directory holding the signature databases (default /var/lib/clamav)" },
	{ OPT_WARN, 'w', "warning", MSP_ARG_REQUIRED, "AGE",
	  "WARNING when the daily database was built more than AGE ago (default 2d;\n"
	  "units s m h d w, or a range)" },
	{ OPT_CRIT, 'c', "critical", MSP_ARG_REQUIRED, "AGE", "CRITICAL when it is older than AGE (default 4d)" },
	{ OPT_MAX_FUTURE, 0, "max-future", MSP_ARG_REQUIRED, "AGE",
	  "A build time further ahead than AGE is a WARNING (clock problem; default 5m)" },
	{ OPT_DATABASES, 0, "databases", MSP_ARG_REQUIRED, "LIST",
	  "Databases that must be present, comma separated (default daily,main,bytecode);\n"
	  "daily is always required.  'none' skips the database files (a remote clamd)" },
	{ OPT_FRESHCLAM_LOG, 0, "freshclam-log", MSP_ARG_REQUIRED, "FILE",
	  "Also report freshclam's last update attempt from its log (LogTime yes);\n"
	  "a failed last attempt is a WARNING, a log without a finished attempt UNKNOWN" },
	{ OPT_SOCKET, 0, "socket", MSP_ARG_REQUIRED, "PATH",
	  "Ask clamd on its local socket (LocalSocket, Debian: /var/run/clamav/clamd.ctl)" },
	{ OPT_HOST, 'H', "hostname", MSP_ARG_REQUIRED, "HOST", "Ask clamd over TCP (TCPSocket) on HOST" },
	{ OPT_PORT, 'p', "port", MSP_ARG_REQUIRED, "PORT", "clamd's TCP port (default 3310)" },
	{ OPT_IPV4, '4', "use-ipv4", MSP_ARG_NONE, NULL, "Connect over IPv4 only" },
	{ OPT_IPV6, '6', "use-ipv6", MSP_ARG_NONE, NULL, "Connect over IPv6 only" },
	{ OPT_LOADED_VS_DISK, 0, "loaded-vs-disk", MSP_ARG_NONE, NULL,
	  "WARNING when clamd runs another daily version than the one in --db-dir\n"
	  "(it never reloaded after an update)" },
	{ OPT_EICAR, 0, "eicar", MSP_ARG_NONE, NULL,
	  "Scan the EICAR test string through clamd (INSTREAM); CRITICAL unless it is\n"
	  "detected (StreamMaxLength must allow 68 bytes)" },
	MSP_OPTION_END,
};

static const char *const db_names[CHECK_CLAMAV_NDB] = { "daily", "main", "bytecode" };

const char *check_clamav_db_name(enum check_clamav_dbid id)
{
	return id < CHECK_CLAMAV_NDB ? db_names[id] : "?";
}

/* --------------------------------------------------------------- options */

static int parse_databases(struct check_clamav_config *cfg, const char *arg, struct msp_error *err)
{
	bool want[CHECK_CLAMAV_NDB] = { true, false, false };
	const char *p = arg;

	if (strcmp(arg, "none") == 0) {
		memset(cfg->want, 0, sizeof(cfg->want));
		cfg->databases_given = true;
		cfg->no_databases = true;
		return 0;
	}

	while (*p) {
		size_t n = strcspn(p, ",");
		int found = -1;

		for (int i = 0; i < CHECK_CLAMAV_NDB; i++)
			if (n == strlen(db_names[i]) && strncmp(p, db_names[i], n) == 0)
				found = i;
		if (found < 0 && n > 0)
			return msp_error_set(err, MSP_EINVAL,
					     "unknown database '%.*s' in '%.80s': use daily, main, bytecode",
					     (int)(n > 40 ? 40 : n), p, arg);
		if (found >= 0)
			want[found] = true;
		p += n;
		if (*p == ',')
			p++;
	}
	memcpy(cfg->want, want, sizeof(want));
	cfg->databases_given = true;
	cfg->no_databases = false;
	return 0;
}

static int clamav_option(void *vcfg, int id, const char *arg, struct msp_error *err)
{
	struct check_clamav_config *cfg = vcfg;
	/* Debian command files pass '' for unset macros: an empty value means "not given". */
	const char *v = arg && *arg ? arg : NULL;

	switch (id) {
	case OPT_DB_DIR:
		cfg->db_dir = v;
		return 0;
	case OPT_WARN:
	case OPT_CRIT:
		/* An empty threshold is a mistake in a command definition, as in check_load and check_disk. */
		if (!v)
			return msp_error_set(err, MSP_EINVAL, "%s threshold is empty",
					     id == OPT_WARN ? "warning" : "critical");
		*(id == OPT_WARN ? &cfg->warn : &cfg->crit) = v;
		return 0;
	case OPT_DATABASES:
		return v ? parse_databases(cfg, v, err) : 0;
	case OPT_FRESHCLAM_LOG:
		cfg->freshclam_log = v;
		return 0;
	case OPT_SOCKET:
		cfg->socket = v;
		return 0;
	case OPT_HOST:
		cfg->host = v;
		return 0;
	case OPT_PORT:
		cfg->port = v;
		return 0;
	case OPT_IPV4:
		cfg->family = 4;
		return 0;
	case OPT_IPV6:
		cfg->family = 6;
		return 0;
	case OPT_LOADED_VS_DISK:
		cfg->loaded_vs_disk = true;
		return 0;
	case OPT_EICAR:
		cfg->eicar = true;
		return 0;
	case OPT_MAX_FUTURE:
		cfg->max_future = v;
		return 0;
	case MSP_OPT_POSITIONAL:
		return msp_error_set(err, MSP_EINVAL, "unexpected argument '%.60s'", arg);
	}
	return msp_error_set(err, MSP_EINVAL, "unknown option");
}

static int clamav_finish(void *vcfg, const struct msp_context *ctx, struct msp_error *err)
{
	struct check_clamav_config *cfg = vcfg;

	(void)ctx;
	if (!cfg->db_dir)
		cfg->db_dir = "/var/lib/clamav";
	if (check_clamav_check_daemon_options(cfg, err) < 0)
		return MSP_EINVAL;
	if (!cfg->databases_given)
		cfg->want[CHECK_CLAMAV_DAILY] = cfg->want[CHECK_CLAMAV_MAIN] = cfg->want[CHECK_CLAMAV_BYTECODE] = true;
	return msp_age_policy_parse_defaults(&cfg->age, cfg->warn, cfg->crit, "2d", "4d", cfg->max_future, err);
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

/* ------------------------------------------------------------- freshclam */

/*
 * "Sat Nov 28 04:56:28 2026 -> ..." : the time at the start of a log line,
 * 0 when there is none, -1 when it names a time that does not exist ("Feb
 * 31", which mktime would move to March).
 */
static int64_t log_time(const char *line)
{
	struct tm tm;
	const char *end;

	memset(&tm, 0, sizeof(tm));
	end = strptime(line, "%a %b %d %H:%M:%S %Y", &tm);
	if (!end || strncmp(end, " -> ", 4) != 0)
		return 0;
	if (!msp_time_tm_valid(&tm))
		return -1;
	tm.tm_isdst = -1;
	return (int64_t)mktime(&tm);
}

/* The message part of a log line (after "DATE -> "), or the whole line without LogTime. */
static const char *log_message(const char *line)
{
	const char *m = strstr(line, " -> ");

	return m && log_time(line) != 0 ? m + 4 : line;
}

struct fc_run {
	int64_t start;
	bool failed, succeeded;
	char reason[200];
};

static void fc_line(const char *line, struct fc_run *run)
{
	const char *msg = log_message(line);

	if (strncmp(msg, "ERROR: ", 7) == 0) {
		const char *e = msg + 7;

		if (strncmp(e, "Update failed", 13) == 0 || strncmp(e, "Database update process failed", 30) == 0)
			run->failed = true;
		/* "Update failed." only closes the run; the line before it says why. */
		if (strcmp(e, "Update failed.") != 0)
			snprintf(run->reason, sizeof(run->reason), "%s", e);
		return;
	}
	if (strstr(msg, "database is up-to-date (version:") || strstr(msg, " updated (version:") ||
	    strncmp(msg, "Database updated (", 18) == 0)
		run->succeeded = true;
}

static void fc_close(const struct fc_run *run, struct check_clamav_freshclam *ret)
{
	if (run->failed) {
		ret->result = CHECK_CLAMAV_UPDATE_FAILED;
		snprintf(ret->reason, sizeof(ret->reason), "%s", run->reason[0] ? run->reason : "Update failed");
	} else if (run->succeeded) {
		ret->result = CHECK_CLAMAV_UPDATE_OK;
		ret->reason[0] = '\0';
	} else {
		ret->pending = true;
		ret->pending_time = run->start;
		return;
	}
	ret->result_time = run->start;
	ret->pending = false;
}

/* The length of the line at p (end excluded): it ends at a newline or a NUL byte. */
static size_t line_len(const char *p, const char *end)
{
	const char *q = p;

	while (q < end && *q != '\n' && *q != '\0')
		q++;
	return (size_t)(q - p);
}

void check_clamav_parse_freshclam(const char *text, size_t len, bool partial, struct check_clamav_freshclam *ret)
{
	struct check_clamav_freshclam f = { .checked = true };
	struct fc_run run = { 0 };
	bool in_run = false;
	const char *p = text, *end = text + len;

	/* A crash leaves runs of NULs in an append-only log: they end a line, and reading goes on. */
	if (partial)
		p += line_len(p, end) + (p + line_len(p, end) < end);
	while (p < end) {
		size_t n = line_len(p, end);
		char line[1024];

		if (n > 0) {
			snprintf(line, sizeof(line), "%.*s", (int)(n < sizeof(line) - 1 ? n : sizeof(line) - 1), p);
			if (strstr(line, "ClamAV update process started at ")) {
				if (in_run)
					fc_close(&run, &f);
				memset(&run, 0, sizeof(run));
				run.start = log_time(line);
				if (run.start < 0) {
					/* Never a guess: the run's time decides how old the last update is. */
					snprintf(f.problem, sizeof(f.problem), "impossible time in '%.200s'", line);
					in_run = false;
					break;
				}
				in_run = true;
				f.attempts++;
			} else if (in_run) {
				fc_line(line, &run);
			}
		}
		p += n + (p + n < end);
	}
	if (in_run)
		fc_close(&run, &f);
	*ret = f;
}

static int read_freshclam(const char *path, struct check_clamav_freshclam *ret)
{
	struct msp_buf b;
	struct msp_error err;
	struct stat st;
	bool partial = false;
	int fd;

	memset(ret, 0, sizeof(*ret));
	ret->checked = true;
	msp_error_init(&err);
	msp_step("reading '%.200s'", path);
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0 || fstat(fd, &st) < 0) {
		snprintf(ret->problem, sizeof(ret->problem), "cannot read '%.200s': %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return 0;
	}
	/* Only the end matters: start a little before the last CHECK_CLAMAV_LOG_TAIL bytes. */
	if (S_ISREG(st.st_mode) && st.st_size > CHECK_CLAMAV_LOG_TAIL) {
		partial = lseek(fd, st.st_size - CHECK_CLAMAV_LOG_TAIL, SEEK_SET) >= 0;
	}
	msp_buf_init(&b, CHECK_CLAMAV_LOG_TAIL);
	for (;;) {
		char chunk[8192];
		ssize_t k = read(fd, chunk, sizeof(chunk));

		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0) {
			snprintf(ret->problem, sizeof(ret->problem), "cannot read '%.200s': %s", path, strerror(errno));
			goto out;
		}
		if (k == 0 || msp_buf_add(&b, chunk, (size_t)k) == MSP_ETOOBIG)
			break;
	}
	check_clamav_parse_freshclam(msp_buf_str(&b), b.len, partial, ret);
out:
	close(fd);
	msp_buf_release(&b);
	return 0;
}

/* ---------------------------------------------------------------- daemon */

int check_clamav_check_daemon_options(struct check_clamav_config *cfg, struct msp_error *err)
{
	uint64_t port;

	if (cfg->socket && cfg->host)
		return msp_error_set(err, MSP_EINVAL, "give either --socket or -H, not both");
	if (!cfg->socket && !cfg->host) {
		if (cfg->port || cfg->family)
			return msp_error_set(err, MSP_EINVAL, "-p, -4 and -6 need -H HOST");
		if (cfg->eicar || cfg->loaded_vs_disk)
			return msp_error_set(err, MSP_EINVAL, "--%s needs clamd: give --socket PATH or -H HOST",
					     cfg->eicar ? "eicar" : "loaded-vs-disk");
		if (cfg->no_databases)
			return msp_error_set(err, MSP_EINVAL, "nothing to check: --databases none needs --socket or -H");
	}
	if (cfg->socket && (cfg->port || cfg->family))
		return msp_error_set(err, MSP_EINVAL, "-p, -4 and -6 apply to -H, not to --socket");
	if (cfg->loaded_vs_disk && cfg->no_databases)
		return msp_error_set(err, MSP_EINVAL, "--loaded-vs-disk compares with --db-dir: not with --databases none");
	if (!cfg->port)
		cfg->port = "3310";
	if (msp_num_uint64(cfg->port, 65535, &port) < 0 || port == 0)
		return msp_error_set(err, MSP_EINVAL, "port '%.40s' is not a number from 1 to 65535", cfg->port);
	return 0;
}

/* Copy a reply from the network for messages: printable ASCII only, at most len - 1 bytes. */
static void copy_reply(char *dst, size_t len, const char *src, size_t n)
{
	size_t i;

	for (i = 0; i < n && i + 1 < len; i++)
		dst[i] = (src[i] >= 0x20 && src[i] < 0x7f) ? src[i] : '?';
	dst[i] = '\0';
}

int check_clamav_parse_version(const char *reply, struct check_clamav_daemon *d, struct msp_error *err)
{
	char engine[32];
	uint64_t loaded;
	const char *slash, *p;
	size_t n;

	if (strncmp(reply, "ClamAV ", 7) != 0)
		return msp_error_set(err, MSP_EINVAL, "not a version");
	p = reply + 7;
	n = strcspn(p, "/");
	if (n == 0 || n >= sizeof(engine) || strspn(p, "0123456789.") < n)
		return msp_error_set(err, MSP_EINVAL, "no engine version");
	memcpy(engine, p, n);
	engine[n] = '\0';
	snprintf(d->engine, sizeof(d->engine), "%s", engine);
	d->has_loaded = false;
	d->loaded = 0;
	if (p[n] == '\0')
		return 0; /* "ClamAV 1.4.6": no database loaded */
	p += n + 1;
	slash = strchr(p, '/');
	n = slash ? (size_t)(slash - p) : strlen(p);
	if (slash) {
		/* The database's build time, ctime() style: nothing may follow it. */
		struct tm tm;
		const char *end;

		memset(&tm, 0, sizeof(tm));
		end = strptime(slash + 1, "%a %b %d %H:%M:%S %Y", &tm);
		if (!end || *end || !msp_time_tm_valid(&tm))
			return msp_error_set(err, MSP_EINVAL, "database date '%.40s' is not a date", slash + 1);
	}
	{
		char num[24];

		if (n == 0 || n >= sizeof(num))
			return msp_error_set(err, MSP_EINVAL, "no database version");
		memcpy(num, p, n);
		num[n] = '\0';
		if (strspn(num, "0123456789") != n || msp_num_uint64(num, UINT32_MAX, &loaded) < 0)
			return msp_error_set(err, MSP_EINVAL, "database version is not a number");
	}
	d->has_loaded = true;
	d->loaded = loaded;
	return 0;
}

/* -------------------------------------------------------------- evaluate */

/* Summary parts, problems first: a bounded string each. */
struct summary {
	char bad[512];
	char good[512];
};

static void summary_add(struct summary *sm, enum msp_state st, const char *text)
{
	char *s = st == MSP_STATE_OK ? sm->good : sm->bad;
	size_t len = strlen(s);

	snprintf(s + len, sizeof(sm->bad) - len, "%s%s", len ? ", " : "", text);
}

/* A database build time, UTC, for the long output. */
static void format_time(int64_t t, char *buf, size_t len)
{
	struct tm tm;

	if (!msp_time_utc((time_t)t, &tm) || !strftime(buf, len, "%Y-%m-%d %H:%M UTC", &tm))
		snprintf(buf, len, "%lld", (long long)t);
}

static int evaluate_db(const struct check_clamav_config *cfg, enum check_clamav_dbid id,
		       const struct check_clamav_db *d, int64_t now, struct summary *sm, struct msp_result *root)
{
	char when[40], ago[MSP_AGE_PHRASE_MAX], text[200];
	enum msp_state st;
	double age;

	if (d->status == CHECK_CLAMAV_DB_MISSING) {
		/* The summary names all missing databases at once (see check_clamav_evaluate). */
		return msp_result_add_child(root, MSP_STATE_CRITICAL, "no %s database (%s.cvd, .cld or .cud) in '%s'",
					    db_names[id], db_names[id], cfg->db_dir)
			       ? 0
			       : MSP_ENOMEM;
	}
	if (d->status == CHECK_CLAMAV_DB_BAD) {
		snprintf(text, sizeof(text), "%s: %s", d->file, d->problem);
		summary_add(sm, MSP_STATE_CRITICAL, text);
		return msp_result_add_child(root, MSP_STATE_CRITICAL, "%s/%s: %s", cfg->db_dir, d->file, d->problem)
			       ? 0
			       : MSP_ENOMEM;
	}
	format_time(d->h.build_time, when, sizeof(when));
	if (id == CHECK_CLAMAV_DAILY) {
		st = msp_age_judge(&cfg->age, (double)d->h.build_time, (double)now, &age, ago, sizeof(ago));
		snprintf(text, sizeof(text), "daily %llu built %s", (unsigned long long)d->h.version, ago);
		summary_add(sm, st, text);
	} else {
		/* main and bytecode change rarely: no age limit, but a time in the future still says so. */
		struct msp_age_policy any = { .max_future = cfg->age.max_future };

		st = msp_age_judge(&any, (double)d->h.build_time, (double)now, &age, ago, sizeof(ago));
		if (st != MSP_STATE_OK) {
			snprintf(text, sizeof(text), "%s built %s", d->file, ago);
			summary_add(sm, st, text);
		}
	}
	return msp_result_add_child(root, st, "%s: version %llu, %llu signatures, built %s (%s), builder %s; %s", d->file,
				    (unsigned long long)d->h.version, (unsigned long long)d->h.sigs, when, ago,
				    d->h.builder, d->verified[0] ? d->verified : "body not checked")
		       ? 0
		       : MSP_ENOMEM;
}

static int evaluate_freshclam(const struct check_clamav_config *cfg, const struct check_clamav_freshclam *f,
			      int64_t now, struct summary *sm, struct msp_result *root)
{
	char text[320], ago[64] = "", h[40];
	enum msp_state st;

	if (f->problem[0]) {
		st = MSP_STATE_UNKNOWN;
		snprintf(text, sizeof(text), "freshclam log: %.290s", f->problem);
	} else if (f->result == CHECK_CLAMAV_UPDATE_NONE) {
		st = MSP_STATE_UNKNOWN;
		snprintf(text, sizeof(text), "no finished freshclam update in '%.200s'%s", cfg->freshclam_log,
			 f->attempts ? "" : " (LogTime and UpdateLogFile set?)");
	} else {
		if (f->result_time)
			snprintf(ago, sizeof(ago), " %s ago", msp_num_human_duration((double)(now - f->result_time), h,
									       sizeof(h)));
		st = f->result == CHECK_CLAMAV_UPDATE_OK ? MSP_STATE_OK : MSP_STATE_WARNING;
		if (st == MSP_STATE_OK)
			snprintf(text, sizeof(text), "freshclam succeeded%s", ago);
		else
			snprintf(text, sizeof(text), "freshclam failed%s: %s", ago, f->reason);
	}
	summary_add(sm, st, st == MSP_STATE_OK ? "freshclam OK" : text);
	if (!msp_result_add_child(root, st, "%s", text))
		return MSP_ENOMEM;
	if (f->pending && f->result != CHECK_CLAMAV_UPDATE_NONE &&
	    !msp_result_add_note(root, "a later freshclam run has no result yet (running, or cut off)"))
		return MSP_ENOMEM;
	return 0;
}

static int evaluate_daemon(const struct check_clamav_config *cfg, const struct check_clamav_sample *s,
			   struct summary *sm, struct msp_result *root)
{
	const struct check_clamav_daemon *d = &s->daemon;
	const struct check_clamav_db *daily = &s->db[CHECK_CLAMAV_DAILY];
	char text[400];
	enum msp_state st = MSP_STATE_OK;

	if (d->status == CHECK_CLAMAV_DAEMON_DOWN) {
		snprintf(text, sizeof(text), "clamd: %s", d->problem);
		summary_add(sm, MSP_STATE_CRITICAL, text);
		return msp_result_add_child(root, MSP_STATE_CRITICAL, "%s", text) ? 0 : MSP_ENOMEM;
	}
	if (!d->has_version) {
		st = MSP_STATE_UNKNOWN;
		snprintf(text, sizeof(text), "clamd answered PONG, but VERSION: %s", d->version_problem);
	} else if (!d->has_loaded) {
		/* A scanner without signatures detects nothing. */
		st = MSP_STATE_CRITICAL;
		snprintf(text, sizeof(text), "clamd %s has no signature database loaded", d->engine);
	} else if (cfg->loaded_vs_disk && daily->status == CHECK_CLAMAV_DB_OK && d->loaded != daily->h.version) {
		st = MSP_STATE_WARNING;
		snprintf(text, sizeof(text), "clamd runs daily %llu, %s has %llu (%s)", (unsigned long long)d->loaded,
			 daily->file, (unsigned long long)daily->h.version,
			 d->loaded < daily->h.version ? "not reloaded" : "another database directory?");
	} else {
		snprintf(text, sizeof(text), "clamd %s answered in %.3f s", d->engine, d->response_time);
	}
	summary_add(sm, st, text);
	if (!msp_result_add_child(root, st, "%s%s", text,
				  st == MSP_STATE_OK && d->has_loaded ? " with daily loaded" : ""))
		return MSP_ENOMEM;
	if (st != MSP_STATE_OK && d->has_version &&
	    !msp_result_add_note(root, "clamd %s on %s answered in %.3f s", d->engine, d->where, d->response_time))
		return MSP_ENOMEM;
	if (d->eicar == CHECK_CLAMAV_EICAR_UNCHECKED)
		return 0;
	if (d->eicar == CHECK_CLAMAV_EICAR_FOUND) {
		summary_add(sm, MSP_STATE_OK, "EICAR detected");
		return msp_result_add_child(root, MSP_STATE_OK, "EICAR test string detected as %s", d->eicar_reply)
			       ? 0
			       : MSP_ENOMEM;
	}
	if (d->eicar == CHECK_CLAMAV_EICAR_MISSED)
		snprintf(text, sizeof(text), "clamd did not detect the EICAR test string");
	else
		snprintf(text, sizeof(text), "EICAR scan failed: %s", d->eicar_reply);
	summary_add(sm, MSP_STATE_CRITICAL, text);
	return msp_result_add_child(root, MSP_STATE_CRITICAL, "%s", text) ? 0 : MSP_ENOMEM;
}

static int add_perfdata(const struct check_clamav_config *cfg, const struct check_clamav_sample *s, int64_t now,
			struct msp_result *root)
{
	const struct check_clamav_db *daily = &s->db[CHECK_CLAMAV_DAILY];
	uint64_t sigs = 0;
	bool any = false;
	struct msp_perf *p;

	if (daily->status == CHECK_CLAMAV_DB_OK) {
		char phrase[MSP_AGE_PHRASE_MAX];
		double age;

		msp_age_judge(&cfg->age, (double)daily->h.build_time, (double)now, &age, phrase, sizeof(phrase));
		if (!msp_age_add_perf(root, "daily_age", &cfg->age, age))
			return MSP_ENOMEM;
		p = msp_result_add_perf(root, "daily_version", (double)daily->h.version, "", NULL);
		if (!p)
			return MSP_ENOMEM;
		msp_perf_set_min(p, 0);
	}
	for (int i = 0; i < CHECK_CLAMAV_NDB; i++) {
		if (s->db[i].status == CHECK_CLAMAV_DB_OK) {
			sigs += s->db[i].h.sigs;
			any = true;
		}
	}
	if (any) {
		p = msp_result_add_perf(root, "signatures", (double)sigs, "", NULL);
		if (!p)
			return MSP_ENOMEM;
		msp_perf_set_min(p, 0);
	}
	if (s->daemon.status == CHECK_CLAMAV_DAEMON_UP) {
		p = msp_result_add_perf(root, "time", s->daemon.response_time, "s", NULL);
		if (!p)
			return MSP_ENOMEM;
		msp_perf_set_min(p, 0);
	}
	return 0;
}

int check_clamav_evaluate(const struct check_clamav_config *cfg, const struct check_clamav_sample *s, int64_t now,
			  struct msp_result *root)
{
	struct summary sm = { "", "" };
	char missing[80] = "", text[300];
	int r;

	for (int i = 0; i < CHECK_CLAMAV_NDB; i++) {
		if (!cfg->want[i] && s->db[i].status != CHECK_CLAMAV_DB_OK)
			continue;
		if (s->db[i].status == CHECK_CLAMAV_DB_MISSING)
			snprintf(missing + strlen(missing), sizeof(missing) - strlen(missing), "%s%s",
				 missing[0] ? ", " : "", db_names[i]);
		r = evaluate_db(cfg, (enum check_clamav_dbid)i, &s->db[i], now, &sm, root);
		if (r < 0)
			return r;
	}
	if (missing[0]) {
		snprintf(text, sizeof(text), "no %s database in '%.200s'", missing, cfg->db_dir);
		summary_add(&sm, MSP_STATE_CRITICAL, text);
	}
	if (s->daemon.status != CHECK_CLAMAV_DAEMON_UNCHECKED) {
		r = evaluate_daemon(cfg, s, &sm, root);
		if (r < 0)
			return r;
	}
	if (s->freshclam.checked) {
		r = evaluate_freshclam(cfg, &s->freshclam, now, &sm, root);
		if (r < 0)
			return r;
	}
	r = add_perfdata(cfg, s, now, root);
	if (r < 0)
		return r;
	return msp_result_set_text(root, "%s%s%s", sm.bad, sm.bad[0] && sm.good[0] ? "; " : "", sm.good);
}

/* ----------------------------------------------------------------- probe */

/*
 * The EICAR test file, stored reversed and turned around at run time: the
 * plugin's binary and source must not carry the string itself, or a scanner
 * on the monitored host would flag (and quarantine) the plugin.
 */
static const char eicar_reversed[] = "*H+H$!ELIF-TSET-SURIVITNA-DRADNATS-RACIE$}7)CC7)^P(45XZP\\4[PA@%P!O5X";

/* Our deadline for clamd: a little before the runner's, so the answer is ours, not the alarm's. */
static struct timespec daemon_deadline(const struct msp_context *ctx)
{
	int ms = msp_deadline_ms_left(&ctx->deadline);

	ms = ms > 600 ? ms - 300 : ms / 2;
	return msp_deadline_in((double)ms / 1000);
}

static int daemon_connect(const struct check_clamav_config *cfg, struct msp_sock *sk, const struct timespec *dl,
			  struct msp_error *err)
{
	if (cfg->socket)
		return msp_sock_connect_unix(sk, cfg->socket, dl, err);
	return msp_sock_connect_tcp(sk, cfg->host, cfg->port,
				    cfg->family == 4   ? MSP_SOCK_IPV4
				    : cfg->family == 6 ? MSP_SOCK_IPV6
						       : MSP_SOCK_ANY,
				    dl, err);
}

/*
 * Send request (len bytes, the z-command `what`, maybe followed by data) on
 * a new connection and read the reply into reply.  clamd ends the reply to
 * a z-command with one NUL and closes: a reply without its NUL, or with
 * bytes after it, is not clamd's answer and is an error.  0, or an error
 * with a message naming `what`.
 */
static int daemon_ask(const struct check_clamav_config *cfg, const char *what, const void *request, size_t len,
		      const struct timespec *dl, char *reply, size_t replylen, struct msp_error *err)
{
	struct msp_sock sk;
	struct msp_buf b;
	struct msp_error e;
	size_t n;
	int r;

	msp_sock_init(&sk);
	msp_buf_init(&b, CHECK_CLAMAV_REPLY_MAX);
	msp_error_init(&e);
	msp_step("asking clamd %s", what);
	r = daemon_connect(cfg, &sk, dl, &e);
	if (r == 0)
		r = msp_sock_write_all(&sk, request, len, dl, &e);
	if (r == 0)
		r = msp_sock_read_until(&sk, &b, '\0', CHECK_CLAMAV_REPLY_MAX, dl, &e);
	n = b.len ? strnlen(b.data, b.len) : 0;
	if (r == MSP_ETIMEOUT && b.len == 0 && sk.fd >= 0)
		r = msp_error_set(err, r, "no answer to %s within the timeout", what);
	else if (r == MSP_ETIMEOUT && sk.fd >= 0)
		r = msp_error_set(err, r, "%s answer not finished within the timeout", what);
	else if (r == MSP_ETOOBIG)
		r = msp_error_set(err, r, "%s answer longer than %d bytes", what, CHECK_CLAMAV_REPLY_MAX);
	else if (r == 1 && b.len == 0)
		r = msp_error_set(err, MSP_ESYS, "connection closed without an answer to %s", what);
	else if (r == 1)
		r = msp_error_set(err, MSP_ESYS, "%s answer not terminated (connection closed after %zu bytes)", what,
				  b.len);
	else if (r < 0)
		r = msp_error_set(err, r, "%s", e.msg);
	else if (n + 1 < b.len)
		r = msp_error_set(err, MSP_EINVAL, "%s answer followed by %zu more byte%s (not clamd)", what,
				  b.len - n - 1, b.len - n - 1 == 1 ? "" : "s");
	if (r >= 0) {
		/* clamd's n-form would end with a newline: tolerate one before the NUL. */
		while (n > 0 && (b.data[n - 1] == '\n' || b.data[n - 1] == '\r'))
			n--;
		copy_reply(reply, replylen, b.data, n);
		r = 0;
	}
	msp_sock_close(&sk);
	msp_buf_release(&b);
	return r;
}

/* INSTREAM: the command, the string in two chunks with 4-byte big-endian lengths, a zero-length end. */
static void probe_eicar(const struct check_clamav_config *cfg, const struct timespec *dl,
			struct check_clamav_daemon *d)
{
	const size_t n = sizeof(eicar_reversed) - 1, first = n / 2;
	unsigned char req[11 + 3 * 4 + sizeof(eicar_reversed)];
	char reply[CHECK_CLAMAV_REPLY_MAX];
	struct msp_error err;
	size_t len;

	memcpy(req, "zINSTREAM", 10); /* with its NUL */
	len = 10;
	for (int part = 0; part < 2; part++) {
		size_t from = part ? first : 0, k = part ? n - first : first;

		req[len++] = (unsigned char)(k >> 24);
		req[len++] = (unsigned char)(k >> 16);
		req[len++] = (unsigned char)(k >> 8);
		req[len++] = (unsigned char)k;
		for (size_t i = 0; i < k; i++)
			req[len + i] = (unsigned char)eicar_reversed[n - 1 - (from + i)];
		len += k;
	}
	memset(req + len, 0, 4);
	len += 4;
	msp_error_init(&err);
	if (daemon_ask(cfg, "INSTREAM", req, len, dl, reply, sizeof(reply), &err) < 0) {
		d->eicar = CHECK_CLAMAV_EICAR_FAILED;
		snprintf(d->eicar_reply, sizeof(d->eicar_reply), "%.190s", err.msg);
	} else if (strcmp(reply, "stream: OK") == 0) {
		d->eicar = CHECK_CLAMAV_EICAR_MISSED;
	} else if (strncmp(reply, "stream: ", 8) == 0 && strlen(reply) > 14 &&
		   strcmp(reply + strlen(reply) - 6, " FOUND") == 0) {
		d->eicar = CHECK_CLAMAV_EICAR_FOUND;
		snprintf(d->eicar_reply, sizeof(d->eicar_reply), "%.*s", (int)(strlen(reply) - 14), reply + 8);
	} else {
		d->eicar = CHECK_CLAMAV_EICAR_FAILED;
		snprintf(d->eicar_reply, sizeof(d->eicar_reply), "clamd answered '%.100s'", reply);
	}
	memset(req, 0, sizeof(req));
}

static void probe_daemon(const struct check_clamav_config *cfg, const struct msp_context *ctx,
			 struct check_clamav_daemon *d)
{
	struct timespec dl = daemon_deadline(ctx);
	char reply[CHECK_CLAMAV_REPLY_MAX];
	struct msp_error err;
	double t0;

	if (cfg->socket)
		snprintf(d->where, sizeof(d->where), "socket '%.140s'", cfg->socket);
	else
		snprintf(d->where, sizeof(d->where), "%.100s port %.20s", cfg->host, cfg->port);
	msp_error_init(&err);
	t0 = msp_time_mono();
	if (daemon_ask(cfg, "PING", "zPING", 6, &dl, reply, sizeof(reply), &err) < 0) {
		d->status = CHECK_CLAMAV_DAEMON_DOWN;
		snprintf(d->problem, sizeof(d->problem), "%.300s", err.msg);
		return;
	}
	d->response_time = msp_time_mono() - t0;
	if (strcmp(reply, "PONG") != 0) {
		d->status = CHECK_CLAMAV_DAEMON_DOWN;
		snprintf(d->problem, sizeof(d->problem), "%s answered PING with '%.100s', not PONG", d->where, reply);
		return;
	}
	d->status = CHECK_CLAMAV_DAEMON_UP;
	if (daemon_ask(cfg, "VERSION", "zVERSION", 9, &dl, reply, sizeof(reply), &err) < 0)
		snprintf(d->version_problem, sizeof(d->version_problem), "%.300s", err.msg);
	else if (check_clamav_parse_version(reply, d, &err) < 0)
		snprintf(d->version_problem, sizeof(d->version_problem), "cannot parse '%.100s': %.150s", reply, err.msg);
	else
		d->has_version = true;
	if (cfg->eicar)
		probe_eicar(cfg, &dl, d);
}

static int clamav_check(void *vcfg, const struct msp_context *ctx, struct msp_result *root, struct msp_error *err)
{
	struct check_clamav_config *cfg = vcfg;
	struct check_clamav_sample *s;
	int r;

	s = calloc(1, sizeof(*s));
	if (!s)
		return msp_error_set(err, MSP_ENOMEM, "out of memory");
	for (int i = 0; i < CHECK_CLAMAV_NDB && !cfg->no_databases; i++)
		check_clamav_read_db(cfg->db_dir, (enum check_clamav_dbid)i, &s->db[i]);
	if (cfg->socket || cfg->host)
		probe_daemon(cfg, ctx, &s->daemon);
	if (cfg->freshclam_log)
		read_freshclam(cfg->freshclam_log, &s->freshclam);
	msp_verbose(ctx, 1, "daily: status %d, version %llu, built %lld", (int)s->db[0].status,
		    (unsigned long long)s->db[0].h.version, (long long)s->db[0].h.build_time);
	r = check_clamav_evaluate(cfg, s, (int64_t)time(NULL), root);
	if (r < 0)
		msp_error_set(err, r, "out of memory");
	free(s);
	return r;
}

static const struct msp_plugin plugin = {
	.name = "check_clamav",
	.service = "CLAMAV",
	.synopsis = "[-w AGE] [-c AGE] [--db-dir DIR] [--databases LIST] [--freshclam-log FILE] "
		    "[--socket PATH | -H HOST [-p PORT] [-4|-6]] [--loaded-vs-disk] [--eicar]",
	.description = "Check that ClamAV's signature databases are present, intact and fresh - daily, main and\n"
		       "bytecode (.cvd, .cld or .cud; the newest copy counts), offline, on mirrors, without\n"
		       "libclamav - and, optionally, that clamd answers, runs the daily database on disk and\n"
		       "detects the EICAR test string, and that freshclam's last run worked.",
	.notes = "Databases:\n"
		 "  A database that is missing, unreadable, truncated, has a malformed header or a\n"
		 "  body that does not check out is CRITICAL, the file named (never OK: a scanner\n"
		 "  without signatures detects nothing).  -w/-c judge the build time of the daily\n"
		 "  database; a build time more than --max-future ahead is a WARNING (the clock or\n"
		 "  the file is wrong).  main and bytecode change rarely: they must only be present\n"
		 "  and intact.  .cud (sigtool's unsigned container, which clamd loads too) counts\n"
		 "  like .cvd and .cld.\n"
		 "What is verified, on every run (about 0.3 s for a 160 MB main.cvd):\n"
		 "  .cvd, .cud: the header, and the MD5 of the whole body against the header.\n"
		 "  .cld as freshclam writes it (uncompressed tar): every tar header, and each\n"
		 "  file's size and SHA-256 against the .info inside it, all files present.\n"
		 "  A gzip'd .cld: the body's MD5 when the header's matches (sigtool's), else only\n"
		 "  the gzip magic (CompressLocalDatabase): the long output says which.\n"
		 "  Not verified: the digital signature (RSA over the MD5) of .cvd and of the .info,\n"
		 "  and the signatures themselves (clamd still refuses an unsigned .cvd).\n"
		 "clamd (--socket or -H): PING must answer PONG (else CRITICAL: down, refused, no\n"
		 "  answer, a wrong or too long answer, bytes after its end); VERSION must name a\n"
		 "  loaded daily database (else CRITICAL: clamd runs without signatures).\n"
		 "  --loaded-vs-disk warns while clamd still runs another daily than --db-dir holds.\n"
		 "  --eicar scans the EICAR test string (built at run time, never stored in the\n"
		 "  binary) and is CRITICAL unless clamd reports it FOUND.  Every step ends before\n"
		 "  -t, whatever the peer does.\n"
		 "freshclam (--freshclam-log): the last finished update run: failed is a WARNING\n"
		 "  (the database age escalates), none found (LogTime off, empty log) UNKNOWN.  Runs\n"
		 "  of NUL bytes (left by a crash) end a line; the runs after them still count.\n"
		 "Perfdata: daily_age (s), daily_version, signatures (all databases read),\n"
		 "  time (s, clamd's PING answer).\n"
		 "Unlike contrib check_clamav, nothing here needs DNS or says OK without a database.\n"
		 "Examples:\n"
		 "  check_clamav -w 2d -c 4d\n"
		 "  check_clamav --socket /var/run/clamav/clamd.ctl --loaded-vs-disk --eicar\n"
		 "  check_clamav --freshclam-log /var/log/clamav/freshclam.log\n"
		 "  check_clamav --databases none -H clamd.example.net -p 3310 --eicar",
	.options = options,
	.timeout = 10,
	.timeout_state = MSP_STATE_CRITICAL,
	.option = clamav_option,
	.finish = clamav_finish,
	.check = clamav_check,
};

MSP_PLUGIN_MAIN(plugin, struct check_clamav_config)
