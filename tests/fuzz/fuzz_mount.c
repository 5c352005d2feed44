/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * fuzz_mount.c - msp_mount_table_parse (mountinfo and /proc/mounts).
 *
 * Invariants: a success gives entries with every string set; lookups by
 * mount point find the topmost entry (msp_mount_by_target, and
 * msp_mount_is_covered agrees), a lookup by path finds a mount whose point
 * is a whole-component prefix; msp_mount_escape and msp_mount_unescape are
 * inverse and escape cuts short only when the text does not fit; and the
 * table, written again in the /proc/mounts format with escapes, parses to
 * the same sources, mount points, types and options.  A failure has a
 * message.
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "msp.h"

static size_t escaped_len(const char *s)
{
	size_t n = 0;

	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		n += (*p <= ' ' || *p == 0x7f || *p == '\\') ? 4 : 1;
	return n;
}

static void check_escape(const char *s)
{
	size_t need = escaped_len(s) + 1;
	char *out = malloc(need), *small;
	int r;

	if (!out)
		abort();
	FUZZ_ASSERT(msp_mount_escape(s, out, need) == 0, "'%s' does not fit %zu bytes", s, need);
	FUZZ_ASSERT(strlen(out) == need - 1 && !strpbrk(out, " \t\n"), "'%s' escapes to '%s'", s, out);
	msp_mount_unescape(out);
	if (!strstr(s, "\\000"))
		FUZZ_ASSERT(strcmp(out, s) == 0, "'%s' escapes and unescapes to '%s'", s, out);
	free(out);
	small = malloc(need - 1);
	if (!small)
		abort();
	r = msp_mount_escape(s, small, need - 1);
	FUZZ_ASSERT(r == MSP_ETOOBIG || need == 1, "'%s' fits %zu bytes (%d)", s, need - 1, r);
	FUZZ_ASSERT(need == 1 || memchr(small, '\0', need - 1), "a cut escape is not terminated");
	free(small);
}

static void check_lookups(const struct msp_mount_table *t)
{
	for (size_t i = 0; i < t->n; i++) {
		const struct msp_mount *m = &t->mounts[i], *top, *on;

		FUZZ_ASSERT(m->root && m->target && m->fstype && m->source && m->options, "entry %zu lacks a field", i);
		top = msp_mount_by_target(t, m->target);
		FUZZ_ASSERT(top && top >= m && strcmp(top->target, m->target) == 0, "entry %zu: by target", i);
		for (const struct msp_mount *x = top + 1; x < t->mounts + t->n; x++)
			FUZZ_ASSERT(strcmp(x->target, m->target) != 0, "entry %zu: not the topmost", i);
		FUZZ_ASSERT(msp_mount_is_covered(t, m) == (top != m), "entry %zu: covered or not", i);
		FUZZ_ASSERT(msp_mount_by_source(t, m->source), "entry %zu: by source", i);
		if (m->target[0] == '/') {
			size_t n;

			on = msp_mount_for_path(t, m->target);
			FUZZ_ASSERT(on, "'%s' is on no mount", m->target);
			/* a mount point written with trailing slashes ("/sys/") is the same directory */
			n = strlen(on->target);
			while (n > 1 && on->target[n - 1] == '/')
				n--;
			FUZZ_ASSERT(strncmp(on->target, m->target, n) == 0 &&
					    (n == 1 || m->target[n] == '\0' || m->target[n] == '/'),
				    "'%s' is said to be on '%s'", m->target, on->target);
		}
		check_escape(m->target);
		check_escape(m->source);
	}
}

static void add_escaped(struct msp_buf *b, const char *s, char after)
{
	size_t need = escaped_len(s) + 1;
	char *out = malloc(need);

	if (!out)
		abort();
	msp_mount_escape(s, out, need);
	msp_buf_adds(b, out);
	msp_buf_addc(b, after);
	free(out);
}

static void check_rewrite(const struct msp_mount_table *t)
{
	struct msp_mount_table again;
	struct msp_error err;
	struct msp_buf b;
	int r;

	for (size_t i = 0; i < t->n; i++) {
		const struct msp_mount *m = &t->mounts[i];

		/* what the /proc/mounts format cannot hold, or "\000" that unescaping keeps as text */
		if (m->target[0] != '/' || m->fstype[0] == '\0' || strstr(m->target, "\\000") ||
		    strstr(m->source, "\\000") || strstr(m->fstype, "\\000") || strstr(m->options, "\\000"))
			return;
	}
	msp_buf_init(&b, 1 << 24);
	for (size_t i = 0; i < t->n; i++) {
		add_escaped(&b, t->mounts[i].source, ' ');
		add_escaped(&b, t->mounts[i].target, ' ');
		add_escaped(&b, t->mounts[i].fstype, ' ');
		add_escaped(&b, t->mounts[i].options, ' ');
		msp_buf_adds(&b, "0 0\n");
	}
	msp_error_init(&err);
	r = msp_mount_table_parse(msp_buf_str(&b), &again, &err);
	FUZZ_ASSERT(r == 0 && again.n == t->n, "written again (%d, %zu entries): %s\n%s", r, again.n, err.msg,
		    msp_buf_str(&b));
	for (size_t i = 0; i < t->n; i++) {
		const struct msp_mount *m = &t->mounts[i], *a = &again.mounts[i];

		FUZZ_ASSERT(strcmp(m->source, a->source) == 0 && strcmp(m->target, a->target) == 0 &&
				    strcmp(m->fstype, a->fstype) == 0 && strcmp(m->options, a->options) == 0,
			    "entry %zu reads back as '%s' '%s' '%s' '%s'", i, a->source, a->target, a->fstype,
			    a->options);
	}
	msp_mount_table_release(&again);
	msp_buf_release(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct msp_mount_table t;
	struct msp_error err;
	char *text = fuzz_strndup(data, size);
	int r;

	msp_error_init(&err);
	r = msp_mount_table_parse(text, &t, &err);
	if (r == 0) {
		check_lookups(&t);
		check_rewrite(&t);
	} else {
		FUZZ_ASSERT((r == MSP_EINVAL || r == MSP_ENOMEM) && err.msg[0], "returned %d without a message", r);
	}
	msp_mount_table_release(&t);
	free(text);
	return 0;
}
