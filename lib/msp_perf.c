/* SPDX-License-Identifier: GPL-3.0-or-later */
/* msp_perf.c - perfdata items (see msp_perf.h). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "msp_num.h"
#include "msp_perf.h"
#include "msp_render.h"
#include "banned.h"

bool msp_perf_uom_valid(const char *uom)
{
	static const char *const ok[] = { "", "s", "ms", "us", "%", "B", "KB", "MB", "TB", "c" };

	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
		if (strcmp(uom, ok[i]) == 0)
			return true;
	return false;
}

int msp_perf_label_clean(const char *label, struct msp_buf *b)
{
	const unsigned char *p = (const unsigned char *)(label ? label : "");
	size_t n = strlen((const char *)p);
	int r = 0;

	while (*p) {
		size_t l = msp_utf8_len(p, n);

		if (l == 0) {
			r |= msp_buf_addc(b, '?'); /* as in summaries (msp_render.h) */
			l = 1;
		} else if (l == 1 && (*p < 0x20 || *p == 0x7f || *p == '|')) {
			r |= msp_buf_addc(b, '_');
		} else {
			r |= msp_buf_add(b, p, l);
		}
		p += l;
		n -= l;
	}
	return r < 0 ? MSP_ETOOBIG : 0;
}

int msp_perf_write_label(const char *label, struct msp_buf *b)
{
	struct msp_buf clean;
	const char *c;
	bool quote;
	int r;

	msp_buf_init(&clean, 1 << 20);
	r = msp_perf_label_clean(label, &clean);
	c = msp_buf_str(&clean);
	quote = c[0] == '\0' || strpbrk(c, " ='\"") != NULL;
	if (quote)
		r |= msp_buf_addc(b, '\'');
	for (const char *p = c; *p; p++) {
		if (*p == '\'')
			r |= msp_buf_adds(b, "''");
		else
			r |= msp_buf_addc(b, *p);
	}
	if (quote)
		r |= msp_buf_addc(b, '\'');
	msp_buf_release(&clean);
	return r < 0 ? MSP_ETOOBIG : 0;
}

/* v with exactly `decimals` digits after the point ("0.450"), locale-independent: p->fixed. */
static const char *fixed_number(double v, int decimals, char *buf, size_t len)
{
	char *dot;
	size_t have, n;

	msp_num_format(v, decimals, buf, len);
	if (decimals <= 0)
		return buf;
	n = strlen(buf);
	dot = strchr(buf, '.');
	have = dot ? strlen(dot + 1) : 0;
	if (!dot && n + 1 < len)
		buf[n++] = '.';
	/* msp_num_format dropped the trailing zeros: put them back */
	for (; have < (size_t)decimals && n + 1 < len; have++)
		buf[n++] = '0';
	buf[n] = '\0';
	return buf;
}

/* A threshold field: a plain upper bound of a fixed item as a fixed number, else the range text. */
static const char *threshold_text(const struct msp_perf *p, const struct msp_range *r, double scale, char *buf,
				  size_t len)
{
	if (p->fixed && msp_range_is_plain_upper(r))
		return fixed_number(r->end / scale, p->decimals, buf, len);
	return msp_range_format(r, scale, buf, len);
}

int msp_perf_write(const struct msp_perf *p, struct msp_buf *b)
{
	char num[MSP_NUM_FORMAT_MAX], rng[MSP_RANGE_FORMAT_MAX];
	double scale = p->scale != 0 ? p->scale : 1;
	int r = 0;

	r |= msp_perf_write_label(p->label, b);
	r |= msp_buf_addc(b, '=');
	/* A value that is no number was not measured: 'U' (undetermined), never a 0 that reads as a reading. */
	if (!isfinite(p->value))
		r |= msp_buf_adds(b, "U");
	else if (p->fixed)
		r |= msp_buf_adds(b, fixed_number(p->value, p->decimals, num, sizeof(num)));
	else
		r |= msp_buf_adds(b, msp_num_format(p->value, p->decimals, num, sizeof(num)));
	r |= msp_buf_adds(b, p->uom);
	r |= msp_buf_addc(b, ';');
	if (p->th.has_warn)
		r |= msp_buf_adds(b, threshold_text(p, &p->th.warn, scale, rng, sizeof(rng)));
	r |= msp_buf_addc(b, ';');
	if (p->th.has_crit)
		r |= msp_buf_adds(b, threshold_text(p, &p->th.crit, scale, rng, sizeof(rng)));
	r |= msp_buf_addc(b, ';');
	if (p->has_min && isfinite(p->min))
		r |= msp_buf_adds(b, p->fixed_limits ? fixed_number(p->min, p->decimals, num, sizeof(num))
						     : msp_num_format(p->min, p->decimals, num, sizeof(num)));
	r |= msp_buf_addc(b, ';');
	if (p->has_max && isfinite(p->max))
		r |= msp_buf_adds(b, p->fixed_limits ? fixed_number(p->max, p->decimals, num, sizeof(num))
						     : msp_num_format(p->max, p->decimals, num, sizeof(num)));
	/* Drop the empty trailing fields: "x=1;;;;" reads better as "x=1" (unless a reference writes them). */
	while (!p->keep_fields && b->len > 0 && b->data[b->len - 1] == ';')
		b->data[--b->len] = '\0';
	return r < 0 ? MSP_ETOOBIG : 0;
}

void msp_perf_release(struct msp_perf *p)
{
	free(p->label);
	p->label = NULL;
}

/* ------------------------------------------------------------ parsing */

/* A label at *pp ("'it''s'" or "disk"), up to and over the '='; 0 or MSP_EINVAL with *why. */
static int parse_label(const char **pp, struct msp_buf *label, const char **why)
{
	const char *p = *pp;

	if (*p == '\'') {
		for (p++;; p++) {
			if (!*p) {
				*why = "unterminated quote";
				return MSP_EINVAL;
			}
			if (*p == '\'' && p[1] == '\'') {
				msp_buf_addc(label, '\'');
				p++;
			} else if (*p == '\'') {
				p++;
				break;
			} else {
				msp_buf_addc(label, *p);
			}
		}
	} else {
		for (; *p && *p != '=' && *p != ' ' && *p != '\t' && *p != '\''; p++)
			msp_buf_addc(label, *p);
	}
	if (label->len == 0 || *p != '=') {
		*why = label->len == 0 ? "empty label" : "no '=' after the label";
		return MSP_EINVAL;
	}
	*pp = p + 1;
	return 0;
}

/* Digits after the decimal point of a number's text (for printing it back as precise). */
static int decimals_of(const char *num)
{
	const char *dot = strchr(num, '.');
	size_t d = dot ? strspn(dot + 1, "0123456789") : 0;

	return d < 6 ? 6 : d > 12 ? 12 : (int)d;
}

/* "value[UOM];warn;crit;min;max" into p; 0 or MSP_EINVAL with *why. */
static int parse_fields(char *v, struct msp_perf *p, const char **why)
{
	char *f[6] = { v, NULL, NULL, NULL, NULL, NULL };
	struct msp_error e;
	size_t nf = 1, numlen;
	char num[64];

	for (char *s = strchr(v, ';'); s; s = strchr(s + 1, ';')) {
		*s = '\0';
		if (nf == 5) {
			*why = "more than five fields";
			return MSP_EINVAL;
		}
		f[nf++] = s + 1;
	}
	numlen = strspn(f[0], "-+0123456789.eE");
	while (numlen > 0 && (f[0][numlen - 1] == 'e' || f[0][numlen - 1] == 'E'))
		numlen--; /* "5E" is 5 with an unknown unit, not an exponent */
	if (numlen == 0 || numlen >= sizeof(num)) {
		*why = "the value is not a number";
		return MSP_EINVAL;
	}
	memcpy(num, f[0], numlen);
	num[numlen] = '\0';
	if (msp_num_double(num, &p->value) < 0) {
		*why = "the value is not a number";
		return MSP_EINVAL;
	}
	if (!msp_perf_uom_valid(f[0] + numlen) || strlen(f[0] + numlen) >= sizeof(p->uom)) {
		*why = "unknown unit";
		return MSP_EINVAL;
	}
	snprintf(p->uom, sizeof(p->uom), "%s", f[0] + numlen);
	p->decimals = decimals_of(num);
	msp_error_init(&e);
	if ((f[1] && *f[1] && msp_range_parse(f[1], MSP_UNIT_NONE, 1, &p->th.warn, &e) < 0) ||
	    (f[2] && *f[2] && msp_range_parse(f[2], MSP_UNIT_NONE, 1, &p->th.crit, &e) < 0)) {
		*why = "bad warning or critical range";
		return MSP_EINVAL;
	}
	p->th.has_warn = f[1] && *f[1];
	p->th.has_crit = f[2] && *f[2];
	p->has_min = f[3] && *f[3];
	p->has_max = f[4] && *f[4];
	if ((p->has_min && msp_num_double(f[3], &p->min) < 0) || (p->has_max && msp_num_double(f[4], &p->max) < 0)) {
		*why = "min or max is not a number";
		return MSP_EINVAL;
	}
	return 0;
}

int msp_perf_parse(const char **text, struct msp_perf *ret, struct msp_error *err)
{
	const char *start = *text + strspn(*text, " \t\r\n"), *p = start, *why = NULL;
	struct msp_perf tmp;
	struct msp_buf label;
	size_t vlen;
	char *val;
	int r = MSP_EINVAL;

	memset(&tmp, 0, sizeof(tmp));
	tmp.scale = 1;
	msp_buf_init(&label, 1024);
	if (parse_label(&p, &label, &why) < 0) {
		p += strcspn(p, " \t\r\n"); /* go on at the next blank */
		goto out;
	}
	vlen = strcspn(p, " \t\r\n");
	val = strndup(p, vlen);
	p += vlen;
	if (!val) {
		r = MSP_ENOMEM;
		goto out;
	}
	if (parse_fields(val, &tmp, &why) == 0 && label.truncated)
		why = "label too long";
	free(val);
	if (why)
		goto out;
	tmp.label = msp_buf_detach(&label);
	if (!tmp.label) {
		r = MSP_ENOMEM;
		goto out;
	}
	*ret = tmp;
	r = 0;
out:
	if (r == MSP_EINVAL)
		msp_error_set(err, r, "invalid perfdata '%.*s': %s", (int)(p - start > 60 ? 60 : p - start), start, why);
	else if (r == MSP_ENOMEM)
		msp_error_set(err, r, "out of memory");
	msp_buf_release(&label);
	*text = p;
	return r;
}
