/* msp_time.c - deadlines and time helpers (see msp_time.h). */
#include <limits.h>
#include <math.h>

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
