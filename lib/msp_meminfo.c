/* SPDX-License-Identifier: GPL-3.0-or-later */
/* msp_meminfo.c - /proc/meminfo parser (see msp_meminfo.h). */
#include <stdio.h>
#include <string.h>

#include "msp_buf.h"
#include "msp_file.h"
#include "msp_meminfo.h"
#include "msp_num.h"
#include "banned.h"

/* Parse one line "Name:   123 kB" (without its newline) into *ret. */
static int parse_line(const char *line, size_t len, struct msp_meminfo_field *ret, struct msp_error *err)
{
	const char *colon = memchr(line, ':', len);
	const char *p, *end = line + len;
	char num[32];
	size_t nlen, dlen;
	uint64_t v;
	bool kb = false;

	if (!colon || colon == line)
		return msp_error_set(err, MSP_EINVAL, "cannot parse meminfo line '%.*s'", (int)(len > 60 ? 60 : len),
				     line);
	nlen = (size_t)(colon - line);
	if (nlen >= MSP_MEMINFO_NAME_MAX || memchr(line, ' ', nlen))
		return msp_error_set(err, MSP_EINVAL, "cannot parse meminfo field name '%.*s'", (int)(nlen > 60 ? 60 : nlen),
				     line);
	p = colon + 1;
	while (p < end && *p == ' ')
		p++;
	dlen = strspn(p, "0123456789");
	if (p + dlen > end)
		dlen = (size_t)(end - p);
	if (dlen == 0 || dlen >= sizeof(num))
		return msp_error_set(err, MSP_EINVAL, "cannot parse meminfo value of '%.*s'", (int)nlen, line);
	memcpy(num, p, dlen);
	num[dlen] = '\0';
	p += dlen;
	if (end - p == 3 && memcmp(p, " kB", 3) == 0)
		kb = true;
	else if (p != end)
		return msp_error_set(err, MSP_EINVAL, "cannot parse meminfo value of '%.*s'", (int)nlen, line);
	if (msp_num_uint64(num, kb ? UINT64_MAX / 1024 : UINT64_MAX, &v) < 0)
		return msp_error_set(err, MSP_EINVAL, "meminfo value of '%.*s' is out of range", (int)nlen, line);
	memcpy(ret->name, line, nlen);
	ret->name[nlen] = '\0';
	ret->value = kb ? v * 1024 : v;
	ret->has_unit = kb;
	return 0;
}

int msp_meminfo_parse(const char *text, struct msp_meminfo *ret, struct msp_error *err)
{
	struct msp_meminfo mi; /* ~8 KiB; *ret is written only on success */
	const char *p = text;
	uint64_t dummy;

	if (!text)
		return msp_error_set(err, MSP_EINVAL, "meminfo is empty");
	mi.n = 0;
	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);

		if (len > 0) {
			struct msp_meminfo_field f;

			if (mi.n == MSP_MEMINFO_MAX)
				return msp_error_set(err, MSP_EINVAL, "meminfo has more than %d fields", MSP_MEMINFO_MAX);
			if (parse_line(p, len, &f, err) < 0)
				return MSP_EINVAL;
			if (msp_meminfo_get(&mi, f.name, &dummy))
				return msp_error_set(err, MSP_EINVAL, "meminfo field '%s' appears twice", f.name);
			mi.field[mi.n++] = f;
		}
		p += len + (nl ? 1 : 0);
	}
	if (mi.n == 0)
		return msp_error_set(err, MSP_EINVAL, "meminfo is empty");
	memcpy(ret, &mi, sizeof(mi));
	return 0;
}

int msp_meminfo_read(const char *proc_root, struct msp_meminfo *ret, struct msp_error *err)
{
	char path[4096];
	struct msp_buf b;
	int r;

	snprintf(path, sizeof(path), "%s/meminfo", proc_root && *proc_root ? proc_root : "/proc");
	msp_buf_init(&b, MSP_MEMINFO_FILE_MAX);
	r = msp_file_read(path, MSP_MEMINFO_FILE_MAX, &b, err);
	if (r == 0)
		r = msp_meminfo_parse(msp_buf_str(&b), ret, err);
	if (r == MSP_EINVAL && err) {
		/* name the file: a parse message alone does not say which one */
		char msg[sizeof(err->msg)];

		snprintf(msg, sizeof(msg), "%s", err->msg);
		msp_error_set(err, r, "%s: %s", path, msg);
	}
	msp_buf_release(&b);
	return r;
}

bool msp_meminfo_get(const struct msp_meminfo *mi, const char *name, uint64_t *ret_value)
{
	for (size_t i = 0; i < mi->n; i++)
		if (strcmp(mi->field[i].name, name) == 0) {
			*ret_value = mi->field[i].value;
			return true;
		}
	return false;
}
