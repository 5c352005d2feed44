/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * fuzz_perf.c - msp_perf_write, read back by a perfdata reader of its own.
 *
 * Input: a flag byte (uom, fixed, keep_fields, min, max), a byte of
 * decimals and scale, three 8-byte doubles (value, min, max: any bits,
 * NaN and infinities too), then lines: the label, the warning range, the
 * critical range (parsed with msp_range_parse; an invalid one is absent).
 * The item is written, then read here as the plugin development
 * guidelines define perfdata ('label'=value[UOM];[warn];[crit];[min];[max],
 * '' for a quote inside a quoted label), without msp_perf_parse.
 * Invariants: one line without '|' or control characters; the label
 * reads back as msp_perf_label_clean gives it, quoted whenever it holds a
 * blank, '=' or a quote; the value is 'U' when not finite, else a number
 * without an exponent within the printed precision of the value (exactly
 * `decimals` digits when fixed); the UOM is the item's; warn and crit are
 * ranges equal to the thresholds over scale; min and max are numbers, empty
 * when not finite; trailing empty fields are dropped unless keep_fields.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "msp.h"

static const char *const uoms[] = { "", "s", "ms", "us", "%", "B", "KB", "MB", "TB", "c" };
static const double scales[] = { 1, 0, 1024, 1048576, 1000, 3 };

struct item {
	char *label;
	char *value;
	char *field[4]; /* warn, crit, min, max: NULL when the field is not there */
	int nfields;    /* fields after the value, 0-4 */
};

static void item_release(struct item *it)
{
	free(it->label);
	free(it->value);
	for (int i = 0; i < 4; i++)
		free(it->field[i]);
}

/* Read one item of text; the whole text must be that item. */
static void read_item(const char *text, struct item *it)
{
	const char *p = text, *end;
	struct msp_buf label;

	memset(it, 0, sizeof(*it));
	msp_buf_init(&label, 1 << 20);
	if (*p == '\'') {
		for (p++;; p++) {
			FUZZ_ASSERT(*p, "unterminated label in '%s'", text);
			if (p[0] == '\'' && p[1] == '\'') {
				msp_buf_addc(&label, '\'');
				p++;
			} else if (*p == '\'') {
				p++;
				break;
			} else {
				msp_buf_addc(&label, *p);
			}
		}
	} else {
		for (; *p && *p != '='; p++) {
			FUZZ_ASSERT(*p != ' ' && *p != '\'' && *p != '"', "unquoted label with %#x in '%s'", *p, text);
			msp_buf_addc(&label, *p);
		}
		FUZZ_ASSERT(label.len > 0, "empty unquoted label in '%s'", text);
	}
	FUZZ_ASSERT(*p == '=', "no '=' after the label in '%s'", text);
	it->label = msp_buf_detach(&label);
	p++;
	end = p + strcspn(p, ";");
	it->value = fuzz_strndup((const uint8_t *)p, (size_t)(end - p));
	for (p = end; *p == ';'; p = end) {
		p++;
		FUZZ_ASSERT(it->nfields < 4, "more than five fields in '%s'", text);
		end = p + strcspn(p, ";");
		it->field[it->nfields++] = fuzz_strndup((const uint8_t *)p, (size_t)(end - p));
	}
	FUZZ_ASSERT(*p == '\0', "text after the item in '%s'", text);
}

/* The number a field or value starts with, and what follows it; NULL when there is none. */
static const char *read_number(const char *s, double *ret)
{
	size_t n = strspn(s, "-0123456789.");
	char *num = fuzz_strndup((const uint8_t *)s, n);
	int r = msp_num_double(num, ret);

	free(num);
	return n > 0 && r == 0 ? s + n : NULL;
}

static double precision(int decimals)
{
	return decimals > 12 ? 5e-13 : 0.5000001 * pow(10, -(decimals < 0 ? 0 : decimals));
}

static void check_number(const char *what, const char *text, double want, int decimals, bool fixed)
{
	double got;
	const char *rest = read_number(text, &got);

	FUZZ_ASSERT(rest && *rest == '\0', "%s '%s' is no plain number", what, text);
	if (fabs(want) >= 1e300)
		return; /* msp_num_format clamps there */
	FUZZ_ASSERT(fuzz_close(want, got, 1e-15, precision(decimals)), "%s %.17g written as '%s'", what, want, text);
	if (fixed && decimals > 0) {
		const char *dot = strchr(text, '.');

		FUZZ_ASSERT(dot && strlen(dot + 1) == (size_t)decimals, "fixed %s with %d decimals written as '%s'",
			    what, decimals, text);
	}
}

static void check_range(const char *what, const char *text, const struct msp_range *want, double scale,
			const struct msp_perf *p)
{
	struct msp_range got;
	struct msp_error err;
	double tol = p->fixed ? fmax(precision(p->decimals), precision(6)) : precision(6);

	msp_error_init(&err);
	FUZZ_ASSERT(msp_range_parse(text, 0, 1, &got, &err) == 0, "%s '%s' does not parse: %s", what, text, err.msg);
	FUZZ_ASSERT(got.inside == want->inside && got.start_inf == want->start_inf && got.end_inf == want->end_inf,
		    "%s '%s' has another shape", what, text);
	if (!want->start_inf && fabs(want->start / scale) < 1e300)
		FUZZ_ASSERT(fuzz_close(got.start, want->start / scale, 1e-12, tol), "%s '%s': start %.17g", what, text,
			    want->start / scale);
	if (!want->end_inf && fabs(want->end / scale) < 1e300)
		FUZZ_ASSERT(fuzz_close(got.end, want->end / scale, 1e-12, tol), "%s '%s': end %.17g", what, text,
			    want->end / scale);
}

static void check_item(const struct msp_perf *p, const char *text)
{
	struct msp_buf clean;
	struct item it;
	double scale = p->scale != 0 ? p->scale : 1;
	const char *uom;
	bool present[4] = { p->th.has_warn, p->th.has_crit, p->has_min && isfinite(p->min),
			    p->has_max && isfinite(p->max) };

	for (const unsigned char *c = (const unsigned char *)text; *c; c++)
		FUZZ_ASSERT(*c >= 0x20 && *c != 0x7f && *c != '|', "byte %#x in '%s'", *c, text);
	read_item(text, &it);
	msp_buf_init(&clean, 1 << 20);
	msp_perf_label_clean(p->label, &clean);
	FUZZ_ASSERT(strcmp(it.label, msp_buf_str(&clean)) == 0, "label '%s' reads back as '%s'", msp_buf_str(&clean),
		    it.label);
	FUZZ_ASSERT(text[0] == '\'' || !strpbrk(it.label, " ='\""), "label '%s' is not quoted", it.label);
	msp_buf_release(&clean);

	if (!isfinite(p->value)) {
		FUZZ_ASSERT(it.value[0] == 'U', "value %g written '%s'", p->value, it.value);
		uom = it.value + 1;
	} else {
		double v;
		char *num;

		uom = read_number(it.value, &v);
		FUZZ_ASSERT(uom, "value %.17g written '%s'", p->value, it.value);
		num = fuzz_strndup((const uint8_t *)it.value, (size_t)(uom - it.value));
		check_number("value", num, p->value, p->decimals, p->fixed);
		free(num);
	}
	FUZZ_ASSERT(strcmp(uom, p->uom) == 0, "UOM '%s' written '%s'", p->uom, uom);

	FUZZ_ASSERT(!p->keep_fields || it.nfields == 4, "keep_fields, yet %d fields in '%s'", it.nfields, text);
	for (int i = 0; i < 4; i++) {
		const char *f = i < it.nfields ? it.field[i] : "";

		FUZZ_ASSERT(present[i] == (f[0] != '\0'), "field %d present %d in '%s'", i, present[i], text);
		if (i == it.nfields - 1 && !p->keep_fields)
			FUZZ_ASSERT(f[0], "a trailing empty field in '%s'", text);
	}
	if (present[0])
		check_range("warn", it.field[0], &p->th.warn, scale, p);
	if (present[1])
		check_range("crit", it.field[1], &p->th.crit, scale, p);
	if (present[2])
		check_number("min", it.field[2], p->min, p->decimals, false);
	if (present[3])
		check_number("max", it.field[3], p->max, p->decimals, false);
	item_release(&it);
}

static double take_double(const uint8_t **data, size_t *size)
{
	double d = 0;

	if (*size >= sizeof(d)) {
		memcpy(&d, *data, sizeof(d));
		*data += sizeof(d);
		*size -= sizeof(d);
	}
	return d;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct msp_perf p;
	struct msp_buf b;
	char *w, *c;

	if (size < 2)
		return 0;
	memset(&p, 0, sizeof(p));
	snprintf(p.uom, sizeof(p.uom), "%s", uoms[(data[0] & 15u) % (sizeof(uoms) / sizeof(uoms[0]))]);
	p.fixed = data[0] & 16u;
	p.keep_fields = data[0] & 32u;
	p.has_min = data[0] & 64u;
	p.has_max = data[0] & 128u;
	p.decimals = (data[1] & 15u) - 1; /* -1 to 14: below and above the range msp_num_format takes */
	p.scale = scales[(data[1] >> 4) % (sizeof(scales) / sizeof(scales[0]))];
	data += 2;
	size -= 2;
	p.value = take_double(&data, &size);
	p.min = take_double(&data, &size);
	p.max = take_double(&data, &size);
	p.label = fuzz_take(&data, &size, '\n');
	w = fuzz_take(&data, &size, '\n');
	c = fuzz_take(&data, &size, '\n');
	p.th.has_warn = msp_range_parse(w, MSP_UNIT_DURATION | MSP_UNIT_SIZE, 1, &p.th.warn, NULL) == 0;
	p.th.has_crit = msp_range_parse(c, MSP_UNIT_PERCENT, 1, &p.th.crit, NULL) == 0;
	msp_buf_init(&b, 1 << 22);
	FUZZ_ASSERT(msp_perf_write(&p, &b) == 0, "the item does not fit");
	check_item(&p, msp_buf_str(&b));
	msp_buf_release(&b);
	msp_perf_release(&p);
	free(w);
	free(c);
	return 0;
}
