/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * msp_time.h - deadlines on the monotonic clock, and wall-clock helpers.
 */
#ifndef MSP_TIME_H
#define MSP_TIME_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "msp_error.h"

/* A deadline `seconds` from now on CLOCK_MONOTONIC. */
struct timespec msp_deadline_in(double seconds);

/* Milliseconds left until deadline (0 when passed; capped at INT_MAX), for poll(). */
int msp_deadline_ms_left(const struct timespec *deadline);

/* True when the deadline has passed. */
bool msp_deadline_passed(const struct timespec *deadline);

/* Seconds on CLOCK_MONOTONIC as a double (for measuring response times). */
double msp_time_mono(void);

/* Thread-safe UTC / local broken-down time (wrappers around *_r; banned.h forbids the others). */
struct tm *msp_time_utc(time_t t, struct tm *ret);
struct tm *msp_time_local(time_t t, struct tm *ret);

/*
 * Parse an RFC 3339 date-time as restic, JSON status files and most tools
 * write it: "2026-11-28T02:41:49.602813859+01:00", "...Z", "+0100", "+01",
 * with 'T', 't' or one blank between date and time and 0..9 fraction
 * digits.  The offset is required (a time without a zone is ambiguous)
 * unless flags has MSP_TIME_NAIVE_UTC (a missing offset means UTC) or
 * MSP_TIME_NAIVE_LOCAL (it means the local time zone of this process, TZ:
 * logs such as rsnapshot's).  Every field is range-checked, never rolled
 * over to another date: month 1-12, day 1 to the month's last (leap years
 * included), hour 0-23, minute 0-59, second 0-60.  Surrounding blanks are
 * ignored.  *ret_epoch is set to the seconds since the epoch including the
 * fraction.  Returns 0, or MSP_EINVAL with a message quoting the text in err.
 */
#define MSP_TIME_NAIVE_UTC 0x1
#define MSP_TIME_NAIVE_LOCAL 0x2
int msp_time_parse_rfc3339(const char *s, unsigned flags, double *ret_epoch, struct msp_error *err);

/*
 * True when t (seconds since the epoch, read from a file or a tool) can be
 * the time of something that happened: finite, not before 1970 and not
 * after 9999-12-31T23:59:59Z (the last time RFC 3339 can write).  NaN,
 * infinities, negative sentinels and milliseconds taken for seconds fail.
 */
#define MSP_TIME_EPOCH_MAX 253402300799.0
bool msp_time_epoch_plausible(double t);

/*
 * True when the calendar fields of tm name a time that exists: month
 * 0..11, a day the month has (leap years counted), hour 0..23, minute
 * 0..59, second 0..60.  strptime(3) takes "Feb 31" and mktime(3) turns it
 * into March 3rd; a parser checks with this before it converts.
 */
bool msp_time_tm_valid(const struct tm *tm);

/*
 * Write epoch as the monitoring host's local wall-clock time for
 * summaries: "2026-11-28 03:41 +0100".  A buffer of MSP_TIME_FORMAT_MAX
 * bytes holds any time.  Returns buf (always NUL-terminated).
 */
#define MSP_TIME_FORMAT_MAX 40
char *msp_time_format(double epoch, char *buf, size_t len);

#endif
