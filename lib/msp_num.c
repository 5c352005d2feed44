/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * msp_num.c - checked, locale-independent number parsing (see msp_num.h).
 *
 * strtod() honours LC_NUMERIC, so all conversions run in a private "C"
 * locale object: a plugin started under de_DE still reads "0.5" as a half
 * and prints a '.'.
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "msp_num.h"
#include "banned.h"

static locale_t c_locale(void)
{
	static locale_t loc = (locale_t)0;

	if (loc == (locale_t)0)
		loc = newlocale(LC_ALL_MASK, "C", (locale_t)0);
	return loc;
}

static const char *skip_blanks(const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	return s;
}

/*
 * Scan the longest decimal number at s (sign, digits, point, exponent with
 * digits).  Returns its length, 0 when there is none.  Hex, "inf" and "nan"
 * are not numbers here.
 */
static size_t scan_number(const char *s)
{
	size_t i = 0, digits = 0;

	if (s[i] == '+' || s[i] == '-')
		i++;
	while (isdigit((unsigned char)s[i])) {
		i++;
		digits++;
	}
	if (s[i] == '.') {
		i++;
		while (isdigit((unsigned char)s[i])) {
			i++;
			digits++;
		}
	}
	if (digits == 0)
		return 0;
	if (s[i] == 'e' || s[i] == 'E') {
		size_t j = i + 1;

		if (s[j] == '+' || s[j] == '-')
			j++;
		if (isdigit((unsigned char)s[j])) {
			while (isdigit((unsigned char)s[j]))
				j++;
			i = j;
		}
	}
	return i;
}

/* Convert exactly n bytes at s (already validated by scan_number); what msp_num_format wrote fits. */
static int convert(const char *s, size_t n, double *ret)
{
	char buf[MSP_NUM_FORMAT_MAX + 16];
	/* a longer number (leading zeros: "000...01") is still a number, as msp_num_int64 reads it */
	char *tmp = n < sizeof(buf) ? buf : malloc(n + 1);
	char *end;
	double v;
	int r = 0;

	if (!tmp)
		return MSP_ENOMEM;
	memcpy(tmp, s, n);
	tmp[n] = '\0';
	errno = 0;
	v = strtod_l(tmp, &end, c_locale());
	if (*end != '\0' || errno == ERANGE || !isfinite(v))
		r = MSP_EINVAL;
	else
		*ret = v;
	if (tmp != buf)
		free(tmp);
	return r;
}

int msp_num_double(const char *s, double *ret_value)
{
	size_t n;
	double v;

	if (!s)
		return MSP_EINVAL;
	s = skip_blanks(s);
	n = scan_number(s);
	if (n == 0 || *skip_blanks(s + n) != '\0')
		return MSP_EINVAL;
	if (convert(s, n, &v) < 0)
		return MSP_EINVAL;
	*ret_value = v;
	return 0;
}

int msp_num_int64(const char *s, int64_t min, int64_t max, int64_t *ret_value)
{
	char *end;
	long long v;

	if (!s)
		return MSP_EINVAL;
	s = skip_blanks(s);
	if (!(isdigit((unsigned char)*s) || ((*s == '-' || *s == '+') && isdigit((unsigned char)s[1]))))
		return MSP_EINVAL;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno == ERANGE || *skip_blanks(end) != '\0')
		return MSP_EINVAL;
	if (v < min || v > max)
		return MSP_EINVAL;
	*ret_value = v;
	return 0;
}

int msp_num_uint64(const char *s, uint64_t max, uint64_t *ret_value)
{
	char *end;
	unsigned long long v;

	if (!s)
		return MSP_EINVAL;
	s = skip_blanks(s);
	if (!isdigit((unsigned char)*s))
		return MSP_EINVAL;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno == ERANGE || *skip_blanks(end) != '\0' || v > max)
		return MSP_EINVAL;
	*ret_value = v;
	return 0;
}

struct suffix {
	const char *name;
	double factor;
	double factor_1024; /* used with MSP_NUM_SIZE_1024 (0 = same as factor) */
};

static const struct suffix duration_suffixes[] = {
	{ "us", 1e-6, 0 },     { "ms", 1e-3, 0 },	 { "s", 1, 0 },	       { "sec", 1, 0 },
	{ "secs", 1, 0 },      { "second", 1, 0 },	 { "seconds", 1, 0 },  { "m", 60, 0 },
	{ "min", 60, 0 },      { "mins", 60, 0 },	 { "minute", 60, 0 },  { "minutes", 60, 0 },
	{ "h", 3600, 0 },      { "hour", 3600, 0 },	 { "hours", 3600, 0 }, { "d", 86400, 0 },
	{ "day", 86400, 0 },   { "days", 86400, 0 },	 { "w", 604800, 0 },   { "week", 604800, 0 },
	{ "weeks", 604800, 0 }, { NULL, 0, 0 },
};

static const struct suffix size_suffixes[] = {
	{ "b", 1, 0 },
	{ "k", 1e3, 1024.0 },
	{ "kb", 1e3, 1024.0 },
	{ "kib", 1024.0, 0 },
	{ "m", 1e6, 1048576.0 },
	{ "mb", 1e6, 1048576.0 },
	{ "mib", 1048576.0, 0 },
	{ "g", 1e9, 1073741824.0 },
	{ "gb", 1e9, 1073741824.0 },
	{ "gib", 1073741824.0, 0 },
	{ "t", 1e12, 1099511627776.0 },
	{ "tb", 1e12, 1099511627776.0 },
	{ "tib", 1099511627776.0, 0 },
	{ "p", 1e15, 1125899906842624.0 },
	{ "pb", 1e15, 1125899906842624.0 },
	{ "pib", 1125899906842624.0, 0 },
	{ NULL, 0, 0 },
};

static const struct suffix *find_suffix(const struct suffix *tab, const char *s)
{
	for (; tab->name; tab++)
		if (strcasecmp(tab->name, s) == 0)
			return tab;
	return NULL;
}

/*
 * The factor and family of unit (a suffix without blanks) among the families
 * in unit_mask; 0 and *ret_unit untouched when unit is none of them.
 */
static double unit_factor(const char *unit, unsigned unit_mask, enum msp_unit *ret_unit)
{
	const struct suffix *suf;

	if ((unit_mask & MSP_UNIT_PERCENT) && strcmp(unit, "%") == 0) {
		*ret_unit = MSP_UNIT_PERCENT;
		return 1;
	}
	if ((unit_mask & MSP_UNIT_DURATION) && (suf = find_suffix(duration_suffixes, unit))) {
		*ret_unit = MSP_UNIT_DURATION;
		return suf->factor;
	}
	if ((unit_mask & MSP_UNIT_SIZE) && (suf = find_suffix(size_suffixes, unit))) {
		*ret_unit = MSP_UNIT_SIZE;
		return (unit_mask & MSP_NUM_SIZE_1024) && suf->factor_1024 != 0 ? suf->factor_1024 : suf->factor;
	}
	return 0;
}

int msp_num_value(const char *s, unsigned unit_mask, double bare_scale, double *ret_value,
		  enum msp_unit *ret_unit, struct msp_error *err)
{
	const char *orig = s, *u;
	enum msp_unit family = MSP_UNIT_NONE;
	char unit[16];
	size_t n, ulen;
	double v, f;

	if (!s)
		return msp_error_set(err, MSP_EINVAL, "missing number");
	s = skip_blanks(s);
	n = scan_number(s);
	if (n == 0)
		return msp_error_set(err, MSP_EINVAL, "'%s' is not a number", orig);
	if (convert(s, n, &v) < 0)
		return msp_error_set(err, MSP_EINVAL, "'%s' is out of range", orig);
	u = skip_blanks(s + n);
	ulen = strlen(u);
	while (ulen > 0 && (u[ulen - 1] == ' ' || u[ulen - 1] == '\t'))
		ulen--;
	if (ulen >= sizeof(unit))
		return msp_error_set(err, MSP_EINVAL, "'%s' has trailing garbage", orig);
	memcpy(unit, u, ulen);
	unit[ulen] = '\0';
	if (ulen == 0)
		f = bare_scale != 0 ? bare_scale : 1;
	else if ((f = unit_factor(unit, unit_mask, &family)) == 0)
		return unit_mask & ~MSP_NUM_SIZE_1024
			       ? msp_error_set(err, MSP_EINVAL, "'%s' has an unknown unit '%s'", orig, unit)
			       : msp_error_set(err, MSP_EINVAL, "'%s' has trailing garbage", orig);
	v *= f;
	if (!isfinite(v))
		return msp_error_set(err, MSP_EINVAL, "'%s' is out of range", orig);
	*ret_value = v;
	if (ret_unit)
		*ret_unit = family;
	return 0;
}

int msp_num_duration(const char *s, double *ret_seconds, struct msp_error *err)
{
	return msp_num_value(s, MSP_UNIT_DURATION, 1, ret_seconds, NULL, err);
}

int msp_num_size(const char *s, double *ret_bytes, struct msp_error *err)
{
	return msp_num_value(s, MSP_UNIT_SIZE, 1, ret_bytes, NULL, err);
}

char *msp_num_format(double v, int decimals, char *buf, size_t len)
{
	char tmp[512];
	locale_t old;
	size_t n;

	if (len == 0)
		return buf;
	if (!isfinite(v)) {
		snprintf(buf, len, "0");
		return buf;
	}
	if (decimals < 0)
		decimals = 0;
	if (decimals > 12)
		decimals = 12;
	if (fabs(v) >= 1e300)
		v = v < 0 ? -1e300 : 1e300;
	old = uselocale(c_locale());
	snprintf(tmp, sizeof(tmp), "%.*f", decimals, v);
	uselocale(old);
	if (strchr(tmp, '.')) {
		n = strlen(tmp);
		while (n > 0 && tmp[n - 1] == '0')
			tmp[--n] = '\0';
		if (n > 0 && tmp[n - 1] == '.')
			tmp[--n] = '\0';
	}
	if (strcmp(tmp, "-0") == 0)
		snprintf(tmp, sizeof(tmp), "0");
	snprintf(buf, len, "%s", tmp);
	return buf;
}

char *msp_num_human_duration(double seconds, char *buf, size_t len)
{
	static const struct {
		const char *unit;
		double secs;
	} units[] = { { "d", 86400 }, { "h", 3600 }, { "m", 60 }, { "s", 1 } };
	const char *sign = "";
	int64_t total;
	size_t i;

	if (seconds < 0) {
		sign = "-";
		seconds = -seconds;
	}
	if (!isfinite(seconds) || seconds > 9e15) {
		snprintf(buf, len, "%s%s", sign, "a very long time");
		return buf;
	}
	total = (int64_t)(seconds + 0.5);
	for (i = 0; i < 3; i++) {
		int64_t big = total / (int64_t)units[i].secs;

		if (big > 0) {
			int64_t rest = (total % (int64_t)units[i].secs) / (int64_t)units[i + 1].secs;

			if (rest)
				snprintf(buf, len, "%s%" PRId64 "%s %" PRId64 "%s", sign, big, units[i].unit, rest,
					 units[i + 1].unit);
			else
				snprintf(buf, len, "%s%" PRId64 "%s", sign, big, units[i].unit);
			return buf;
		}
	}
	snprintf(buf, len, "%s%" PRId64 "s", sign, total);
	return buf;
}

char *msp_num_human_size(double bytes, char *buf, size_t len)
{
	static const char *const units[] = { "B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB" };
	char num[MSP_NUM_FORMAT_MAX];
	size_t i = 0;
	double v = bytes;

	while (fabs(v) >= 1024 && i + 1 < sizeof(units) / sizeof(units[0])) {
		v /= 1024;
		i++;
	}
	msp_num_format(v, i == 0 ? 0 : (fabs(v) < 10 ? 2 : 1), num, sizeof(num));
	snprintf(buf, len, "%s %s", num, units[i]);
	return buf;
}
