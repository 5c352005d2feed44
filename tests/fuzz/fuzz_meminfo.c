/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * fuzz_meminfo.c - msp_meminfo_parse (/proc/meminfo).
 *
 * Invariants: a success has at least one and at most MSP_MEMINFO_MAX
 * fields, with unique, non-empty, NUL-terminated names that msp_meminfo_get
 * finds with their values, a "kB" value a whole number of KiB; and the
 * fields, written again in the kernel's format, parse to the same table.
 * A failure has a message.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "msp.h"

static void check_table(const struct msp_meminfo *mi)
{
	FUZZ_ASSERT(mi->n >= 1 && mi->n <= MSP_MEMINFO_MAX, "%zu fields", mi->n);
	for (size_t i = 0; i < mi->n; i++) {
		const struct msp_meminfo_field *f = &mi->field[i];
		uint64_t v = 0;

		FUZZ_ASSERT(memchr(f->name, '\0', sizeof(f->name)) && f->name[0], "field %zu has no proper name", i);
		FUZZ_ASSERT(!f->has_unit || f->value % 1024 == 0, "'%s' is %" PRIu64 " bytes, not whole KiB", f->name,
			    f->value);
		FUZZ_ASSERT(msp_meminfo_get(mi, f->name, &v) && v == f->value, "'%s' is not found as itself", f->name);
		for (size_t j = 0; j < i; j++)
			FUZZ_ASSERT(strcmp(mi->field[j].name, f->name) != 0, "'%s' twice", f->name);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct msp_meminfo mi, again;
	struct msp_error err;
	struct msp_buf b;
	char *text = fuzz_strndup(data, size);
	int r;

	msp_error_init(&err);
	r = msp_meminfo_parse(text, &mi, &err);
	if (r < 0) {
		FUZZ_ASSERT(r == MSP_EINVAL && err.msg[0], "returned %d without a message", r);
		goto out;
	}
	FUZZ_ASSERT(r == 0, "returned %d", r);
	check_table(&mi);
	msp_buf_init(&b, 1 << 20);
	for (size_t i = 0; i < mi.n; i++) {
		const struct msp_meminfo_field *f = &mi.field[i];

		if (f->has_unit)
			msp_buf_addf(&b, "%s:%16" PRIu64 " kB\n", f->name, f->value / 1024);
		else
			msp_buf_addf(&b, "%s:%16" PRIu64 "\n", f->name, f->value);
	}
	r = msp_meminfo_parse(b.data, &again, &err);
	FUZZ_ASSERT(r == 0 && again.n == mi.n, "written again (%d, %zu fields): %s\n%s", r, again.n, err.msg, b.data);
	for (size_t i = 0; i < mi.n; i++)
		FUZZ_ASSERT(strcmp(mi.field[i].name, again.field[i].name) == 0 &&
				    mi.field[i].value == again.field[i].value &&
				    mi.field[i].has_unit == again.field[i].has_unit,
			    "field '%s' reads back differently", mi.field[i].name);
	msp_buf_release(&b);
out:
	free(text);
	return 0;
}
