/* SPDX-License-Identifier: GPL-3.0-or-later */
/* msp_range.c - threshold ranges (see msp_range.h for the syntax). */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "msp_range.h"
#include "banned.h"

/* Parse one end of a range (text in [s, s+n)) into *ret, merging the unit family into *unit. */
static int parse_end(const char *whole, const char *s, size_t n, unsigned mask, double scale, double *ret,
		     enum msp_unit *unit, struct msp_error *err)
{
	char tmp[MSP_NUM_FORMAT_MAX + 32]; /* any number msp_range_format wrote, plus a unit */
	enum msp_unit u;
	struct msp_error e;
	int r;

	if (n >= sizeof(tmp))
		return msp_error_set(err, MSP_EINVAL, "cannot parse range '%.60s': number too long", whole);
	memcpy(tmp, s, n);
	tmp[n] = '\0';
	msp_error_init(&e);
	r = msp_num_value(tmp, mask, scale, ret, &u, &e);
	if (r < 0)
		return msp_error_set(err, MSP_EINVAL, "cannot parse range '%.60s': %s", whole, e.msg);
	if (u != MSP_UNIT_NONE) {
		if (*unit != MSP_UNIT_NONE && *unit != u)
			return msp_error_set(err, MSP_EINVAL, "cannot parse range '%.60s': mixed units", whole);
		*unit = u;
	}
	return 0;
}

static bool only_blanks(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] != ' ' && s[i] != '\t')
			return false;
	return true;
}

/* The "start:end" form of s (len bytes, colon at colon) into r. */
static int parse_colon_form(const char *text, const char *s, size_t len, const char *colon, unsigned unit_mask,
			    double bare_scale, struct msp_range *r, struct msp_error *err)
{
	size_t slen = (size_t)(colon - s);
	const char *st = s, *end_text = colon + 1;

	while (slen > 0 && (*st == ' ' || *st == '\t')) {
		st++;
		slen--;
	}
	while (slen > 0 && (st[slen - 1] == ' ' || st[slen - 1] == '\t'))
		slen--;
	if (slen == 1 && *st == '~')
		r->start_inf = true;
	else if (slen == 0)
		r->start = 0;
	else if (parse_end(text, st, slen, unit_mask, bare_scale, &r->start, &r->unit, err) < 0)
		return MSP_EINVAL;
	len = (size_t)((s + len) - end_text);
	if (len == 0 || only_blanks(end_text, len)) {
		r->end_inf = true;
		return 0;
	}
	if (memchr(end_text, ':', len))
		return msp_error_set(err, MSP_EINVAL, "cannot parse range '%.60s': more than one ':'", text);
	return parse_end(text, end_text, len, unit_mask, bare_scale, &r->end, &r->unit, err) < 0 ? MSP_EINVAL : 0;
}

int msp_range_parse(const char *text, unsigned unit_mask, double bare_scale, struct msp_range *ret_range,
		    struct msp_error *err)
{
	struct msp_range r = { 0 };
	const char *s, *colon;
	size_t len;

	if (!text)
		return msp_error_set(err, MSP_EINVAL, "missing range");
	s = text;
	while (*s == ' ' || *s == '\t')
		s++;
	len = strlen(s);
	while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t' || s[len - 1] == '\n'))
		len--;
	if (len == 0)
		return msp_error_set(err, MSP_EINVAL, "cannot parse range '%.60s': empty", text);
	if (*s == '@') {
		r.inside = true;
		s++;
		len--;
		if (len == 0)
			return msp_error_set(err, MSP_EINVAL, "cannot parse range '%.60s': nothing after '@'", text);
	}
	colon = memchr(s, ':', len);
	if (colon) {
		if (parse_colon_form(text, s, len, colon, unit_mask, bare_scale, &r, err) < 0)
			return MSP_EINVAL;
	} else if (len == 1 && *s == '~') {
		return msp_error_set(err, MSP_EINVAL, "cannot parse range '%.60s': '~' needs a ':'", text);
	} else if (parse_end(text, s, len, unit_mask, bare_scale, &r.end, &r.unit, err) < 0) {
		return MSP_EINVAL;
	}
	if (!r.start_inf && !r.end_inf && r.start > r.end)
		return msp_error_set(err, MSP_EINVAL, "cannot parse range '%.60s': range start is above end", text);
	*ret_range = r;
	return 0;
}

bool msp_range_alert(const struct msp_range *r, double v)
{
	bool below = !r->start_inf && v < r->start;
	bool above = !r->end_inf && v > r->end;

	/* NaN compares false both ways: it would pass as inside "10:20" (fail open). */
	if (isnan(v))
		return true;
	if (r->inside)
		return !below && !above;
	return below || above;
}

bool msp_range_is_plain_upper(const struct msp_range *r)
{
	return !r->inside && !r->start_inf && r->start == 0 && !r->end_inf;
}

char *msp_range_format(const struct msp_range *r, double scale, char *buf, size_t len)
{
	char a[MSP_NUM_FORMAT_MAX], b[MSP_NUM_FORMAT_MAX];

	if (scale == 0)
		scale = 1;
	if (msp_range_is_plain_upper(r)) {
		snprintf(buf, len, "%s", msp_num_format(r->end / scale, 6, a, sizeof(a)));
		return buf;
	}
	snprintf(buf, len, "%s%s:%s", r->inside ? "@" : "",
		 r->start_inf ? "~" : msp_num_format(r->start / scale, 6, a, sizeof(a)),
		 r->end_inf ? "" : msp_num_format(r->end / scale, 6, b, sizeof(b)));
	return buf;
}

enum msp_state msp_threshold_eval(const struct msp_threshold *t, double v)
{
	if (isnan(v))
		return MSP_STATE_UNKNOWN;
	if (t->has_crit && msp_range_alert(&t->crit, v))
		return MSP_STATE_CRITICAL;
	if (t->has_warn && msp_range_alert(&t->warn, v))
		return MSP_STATE_WARNING;
	return MSP_STATE_OK;
}
