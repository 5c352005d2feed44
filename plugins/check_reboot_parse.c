/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * check_reboot_parse.c - check_reboot's pure parsers: `needrestart -b`
 * output, /proc/<pid>/maps (executable mappings of deleted files),
 * /proc/self/status (who we run as) and the order of kernel releases.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_reboot.h"

#define CAP_SYS_PTRACE_BIT 19 /* linux/capability.h */

void check_reboot_sample_release(struct check_reboot_sample *s)
{
	for (size_t i = 0; i < s->nr.nservices; i++)
		free(s->nr.services[i]);
	free(s->nr.services);
	free(s->procs);
	free(s->unreadable);
	s->unreadable = NULL;
	s->nr.services = NULL;
	s->nr.nservices = 0;
	s->procs = NULL;
	s->nprocs = 0;
}

static void copy_value(char *dst, size_t len, const char *v, size_t n)
{
	if (n >= len)
		n = len - 1;
	memcpy(dst, v, n);
	dst[n] = '\0';
}

static int add_service(struct check_reboot_needrestart *nr, const char *v, size_t n)
{
	char **grown = realloc(nr->services, (nr->nservices + 1) * sizeof(*grown));

	if (!grown)
		return MSP_ENOMEM;
	nr->services = grown;
	grown[nr->nservices] = strndup(v, n);
	if (!grown[nr->nservices])
		return MSP_ENOMEM;
	nr->nservices++;
	return 0;
}

int check_reboot_parse_needrestart(const char *text, struct check_reboot_needrestart *ret, struct msp_error *err)
{
	struct check_reboot_needrestart nr = { .ran = true };
	bool have_ver = false;
	int rc = 0;

	for (const char *line = text; *line;) {
		size_t len = strcspn(line, "\n");
		const char *colon = memchr(line, ':', len);

		if (len > 12 && strncmp(line, "NEEDRESTART-", 12) == 0 && colon) {
			const char *key = line + 12, *v = colon + 1;
			size_t klen = (size_t)(colon - key), vlen = len - (size_t)(v - line);
			int64_t k;
			char num[8];

			while (vlen && *v == ' ')
				v++, vlen--;
			if (klen == 3 && strncmp(key, "VER", 3) == 0) {
				have_ver = true;
			} else if (klen == 4 && strncmp(key, "KSTA", 4) == 0) {
				copy_value(num, sizeof(num), v, vlen);
				if (msp_num_int64(num, 0, 3, &k) < 0) {
					rc = msp_error_set(err, MSP_EINVAL, "needrestart kernel status '%s' is not 0..3", num);
					goto out;
				}
				nr.ksta = (int)k;
			} else if (klen == 4 && strncmp(key, "KCUR", 4) == 0) {
				copy_value(nr.kcur, sizeof(nr.kcur), v, vlen);
			} else if (klen == 4 && strncmp(key, "KEXP", 4) == 0) {
				copy_value(nr.kexp, sizeof(nr.kexp), v, vlen);
			} else if (klen == 3 && strncmp(key, "SVC", 3) == 0 && vlen) {
				rc = add_service(&nr, v, vlen);
				if (rc < 0)
					goto out;
			} else if (klen == 4 && strncmp(key, "SESS", 4) == 0) {
				nr.nsessions++;
			}
		}
		line += len + (line[len] == '\n');
	}
	if (!have_ver) {
		rc = msp_error_set(err, MSP_EINVAL, "needrestart -b printed no NEEDRESTART-VER line");
		goto out;
	}
	*ret = nr;
	return 0;
out:
	check_reboot_sample_release(&(struct check_reboot_sample){ .nr = nr });
	return rc;
}

/* A deleted path that is a real file mapped for execution: not memfd, shared memory or a device. */
static bool counts_as_deleted_code(const char *path, size_t n)
{
	static const char *const skip[] = { "/memfd:", "/dev/", "/SYSV", "/[", "/run/user/", "/drm" };

	if (n == 0 || path[0] != '/')
		return false;
	for (size_t i = 0; i < sizeof(skip) / sizeof(skip[0]); i++)
		if (strncmp(path, skip[i], strlen(skip[i])) == 0)
			return false;
	return true;
}

unsigned check_reboot_scan_maps(const char *maps, char *first, size_t len)
{
	static const char deleted[] = " (deleted)";
	const size_t dlen = sizeof(deleted) - 1;
	unsigned found = 0;
	char last[256] = "";

	for (const char *line = maps; *line;) {
		size_t n = strcspn(line, "\n");
		const char *perms = memchr(line, ' ', n);
		const char *path = memchr(line, '/', n);

		/* "start-end perms offset dev inode   path": code is mapped r-x. */
		if (perms && path && n > dlen && memcmp(line + n - dlen, deleted, dlen) == 0 &&
		    (size_t)(perms - line) + 4 < n && perms[3] == 'x') {
			size_t plen = (size_t)(line + n - dlen - path);

			/* One library has several r-x ranges only rarely; count each file once in a row. */
			if (counts_as_deleted_code(path, plen) &&
			    !(plen < sizeof(last) && strncmp(last, path, plen) == 0 && last[plen] == '\0')) {
				copy_value(last, sizeof(last), path, plen);
				if (found++ == 0 && first)
					copy_value(first, len, path, plen);
			}
		}
		line += n + (line[n] == '\n');
	}
	return found;
}

/* The value of "Key:" in status text (NULL when absent); *len is its length up to the newline. */
static const char *status_field(const char *text, const char *key, size_t *len)
{
	size_t klen = strlen(key);

	for (const char *line = text; *line;) {
		size_t n = strcspn(line, "\n");

		if (n > klen && strncmp(line, key, klen) == 0) {
			*len = n - klen;
			return line + klen;
		}
		line += n + (line[n] == '\n');
	}
	return NULL;
}

int check_reboot_parse_status(const char *text, struct check_reboot_creds *ret, struct msp_error *err)
{
	char buf[128], ids[4][32], *end = NULL;
	int64_t ruid, euid;
	unsigned long long cap;
	size_t len;
	const char *v = status_field(text, "Uid:", &len);

	/* "Uid:\treal\teffective\tsaved\tfilesystem" */
	if (!v || len >= sizeof(buf))
		return msp_error_set(err, MSP_EINVAL, "status has no Uid: line");
	copy_value(buf, sizeof(buf), v, len);
	if (sscanf(buf, "%31s %31s %31s %31s", ids[0], ids[1], ids[2], ids[3]) != 4 ||
	    msp_num_int64(ids[0], 0, UINT32_MAX, &ruid) < 0 || msp_num_int64(ids[1], 0, UINT32_MAX, &euid) < 0)
		return msp_error_set(err, MSP_EINVAL, "cannot parse status line 'Uid:%.60s'", buf);
	v = status_field(text, "CapEff:", &len);
	if (!v || len >= sizeof(buf))
		return msp_error_set(err, MSP_EINVAL, "status has no CapEff: line");
	copy_value(buf, sizeof(buf), v, len);
	errno = 0;
	cap = strtoull(buf, &end, 16);
	if (errno || end == buf || *end || strchr(buf, '-'))
		return msp_error_set(err, MSP_EINVAL, "cannot parse status line 'CapEff:%.60s'", buf);
	*ret = (struct check_reboot_creds){
		.known = true, .ruid = (long)ruid, .euid = (long)euid, .cap_sys_ptrace = (cap >> CAP_SYS_PTRACE_BIT) & 1
	};
	return 0;
}

bool check_reboot_sees_all_maps(const struct check_reboot_creds *c)
{
	return !c->known || c->euid == 0 || c->cap_sys_ptrace;
}

int check_reboot_kernel_cmp(const char *a, const char *b)
{
	return strverscmp(a, b);
}
