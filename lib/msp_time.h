/*
 * msp_time.h - deadlines on the monotonic clock, and wall-clock helpers.
 */
#ifndef MSP_TIME_H
#define MSP_TIME_H

#include <stdbool.h>
#include <time.h>

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

#endif
