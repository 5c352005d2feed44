/* SPDX-License-Identifier: GPL-3.0-or-later */
/* msp_time.c - deadlines and time helpers (see msp_time.h). */
#include <limits.h>
#include <math.h>
#include <stdint.h>

#include "msp_time.h"
#include "banned.h"

struct timespec msp_deadline_in(double seconds)
{
	struct timespec ts;
	double whole, frac;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	if (!(seconds > 0)) /* also NaN, which must not reach the time_t conversion */
		seconds = 0;
	if (seconds > 1e9)
		seconds = 1e9;
	frac = modf(seconds, &whole);
	ts.tv_sec += (time_t)whole;
	ts.tv_nsec += (long)(frac * 1e9);
	if (ts.tv_nsec >= 1000000000L) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000L;
	}
	return ts;
}

int msp_deadline_ms_left(const struct timespec *deadline)
{
	struct timespec now;
	double ms;

	clock_gettime(CLOCK_MONOTONIC, &now);
	ms = (double)(deadline->tv_sec - now.tv_sec) * 1e3 + (double)(deadline->tv_nsec - now.tv_nsec) / 1e6;
	if (ms <= 0)
		return 0;
	if (ms > INT_MAX)
		return INT_MAX;
	return (int)ceil(ms);
}

bool msp_deadline_passed(const struct timespec *deadline)
{
	return msp_deadline_ms_left(deadline) == 0;
}

double msp_time_mono(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

struct tm *msp_time_utc(time_t t, struct tm *ret)
{
	return gmtime_r(&t, ret);
}

struct tm *msp_time_local(time_t t, struct tm *ret)
{
	return localtime_r(&t, ret);
}

/* Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar (H. Hinnant's civil algorithm). */
static int64_t days_from_civil(int64_t y, int m, int d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static int days_in_month(int y, int m)
{
	static const int mdays[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	return m == 2 && leap ? 29 : mdays[m - 1];
}

/* Read exactly n digits at *p into *ret and advance; false when they are not all digits. */
static bool digits(const char **p, int n, int *ret)
{
	int v = 0;

	for (int i = 0; i < n; i++) {
		if ((*p)[i] < '0' || (*p)[i] > '9')
			return false;
		v = v * 10 + ((*p)[i] - '0');
	}
	*p += n;
	*ret = v;
	return true;
}

/* "Z", "+HH:MM", "+HHMM", "+HH" (or '-') at *p: offset east of UTC in seconds. */
static bool zone_offset(const char **p, int *ret_offset)
{
	int sign, hh, mm = 0;

	if (**p == 'Z' || **p == 'z') {
		(*p)++;
		*ret_offset = 0;
		return true;
	}
	if (**p != '+' && **p != '-')
		return false;
	sign = **p == '-' ? -1 : 1;
	(*p)++;
	if (!digits(p, 2, &hh) || hh > 23)
		return false;
	if (**p == ':') {
		/* "+01:" or "+01:5" is a cut offset, not +01:00 */
		(*p)++;
		if (!digits(p, 2, &mm) || mm > 59)
			return false;
	} else if (**p >= '0' && **p <= '9' && (!digits(p, 2, &mm) || mm > 59)) {
		return false;
	}
	*ret_offset = sign * (hh * 3600 + mm * 60);
	return true;
}

bool msp_time_tm_valid(const struct tm *tm)
{
	int y = tm->tm_year + 1900, mo = tm->tm_mon + 1;

	return mo >= 1 && mo <= 12 && tm->tm_mday >= 1 && tm->tm_mday <= days_in_month(y, mo) && tm->tm_hour >= 0 &&
	       tm->tm_hour <= 23 && tm->tm_min >= 0 && tm->tm_min <= 59 && tm->tm_sec >= 0 && tm->tm_sec <= 60;
}

int msp_time_parse_rfc3339(const char *s, unsigned flags, double *ret_epoch, struct msp_error *err)
{
	const char *p = s;
	int y, mo, d, h, mi, sec, offset = 0;
	double frac = 0, scale = 0.1;
	bool zoned;

	while (*p == ' ' || *p == '\t')
		p++;
	if (!digits(&p, 4, &y) || *p++ != '-' || !digits(&p, 2, &mo) || *p++ != '-' || !digits(&p, 2, &d))
		goto bad;
	if (*p != 'T' && *p != 't' && *p != ' ')
		goto bad;
	p++;
	if (!digits(&p, 2, &h) || *p++ != ':' || !digits(&p, 2, &mi) || *p++ != ':' || !digits(&p, 2, &sec))
		goto bad;
	if (mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo) || h > 23 || mi > 59 || sec > 60)
		goto bad;
	if (*p == '.' || *p == ',') {
		int n = 0;

		for (p++; *p >= '0' && *p <= '9'; p++, n++, scale /= 10)
			frac += (*p - '0') * scale;
		if (n == 0 || n > 9)
			goto bad;
	}
	zoned = *p == 'Z' || *p == 'z' || *p == '+' || *p == '-';
	if (zoned && !zone_offset(&p, &offset))
		goto bad;
	if (!zoned && !(flags & (MSP_TIME_NAIVE_UTC | MSP_TIME_NAIVE_LOCAL)))
		return msp_error_set(err, MSP_EINVAL, "time '%s' has no UTC offset", s);
	while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
		p++;
	if (*p != '\0')
		goto bad;
	if (!zoned && !(flags & MSP_TIME_NAIVE_UTC)) {
		/* local wall-clock time: the fields are valid, so mktime only resolves the zone */
		struct tm tm = { .tm_year = y - 1900,
				 .tm_mon = mo - 1,
				 .tm_mday = d,
				 .tm_hour = h,
				 .tm_min = mi,
				 .tm_sec = sec,
				 .tm_isdst = -1 };
		time_t t = mktime(&tm);

		if (t == (time_t)-1 && !(tm.tm_year == 69 && tm.tm_mon == 11 && tm.tm_mday == 31))
			goto bad;
		*ret_epoch = (double)t + frac;
		return 0;
	}
	*ret_epoch = (double)(days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec - offset) + frac;
	return 0;
bad:
	return msp_error_set(err, MSP_EINVAL, "cannot parse time '%s'", s);
}

bool msp_time_epoch_plausible(double t)
{
	return isfinite(t) && t >= 0 && t <= MSP_TIME_EPOCH_MAX;
}

char *msp_time_format(double epoch, char *buf, size_t len)
{
	struct tm tm;
	time_t t;

	if (len == 0)
		return buf;
	buf[0] = '\0';
	if (!isfinite(epoch) || epoch < -1e15 || epoch > 1e15)
		return buf;
	t = (time_t)floor(epoch);
	if (localtime_r(&t, &tm) == NULL || strftime(buf, len, "%Y-%m-%d %H:%M %z", &tm) == 0)
		buf[0] = '\0';
	return buf;
}
