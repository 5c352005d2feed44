/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * msp_num.h - checked parsing of numbers, durations and sizes.
 *
 * Every number that comes from outside (argv, files, tools) goes through
 * these: the whole string must be consumed (surrounding blanks allowed),
 * NaN, infinities, hexadecimal floats and out-of-range values are rejected,
 * and parsing does not depend on the locale (a '.' is the decimal point).
 * Out-parameters are set only on success.
 */
#ifndef MSP_NUM_H
#define MSP_NUM_H

#include <stdbool.h>
#include <stdint.h>

#include "msp_error.h"

/* A finite decimal number ("12", "-3.5", "1e3").  0 or MSP_EINVAL. */
int msp_num_double(const char *s, double *ret_value);

/* A decimal integer within [min, max].  0 or MSP_EINVAL. */
int msp_num_int64(const char *s, int64_t min, int64_t max, int64_t *ret_value);

/* A non-negative decimal integer within [0, max].  0 or MSP_EINVAL. */
int msp_num_uint64(const char *s, uint64_t max, uint64_t *ret_value);

/* Unit families a value may carry. */
enum msp_unit {
	MSP_UNIT_NONE = 0,
	MSP_UNIT_DURATION = 1, /* s m h d w (and ms, us); bare number = seconds by default */
	MSP_UNIT_SIZE = 2,     /* B KB MB GB TB PB (1000^n) and KiB MiB GiB TiB PiB (1024^n), K M G T */
	MSP_UNIT_PERCENT = 4,  /* trailing % */
};

/*
 * Parse a number with an optional unit suffix from the families allowed in
 * unit_mask.  The value is converted to the base unit (seconds or bytes);
 * a bare number is multiplied by bare_scale (1 when 0 is given), so a
 * plugin whose bare numbers mean megabytes passes 1048576.
 * *ret_unit tells which family the suffix belonged to (MSP_UNIT_NONE for a
 * bare number).  Size suffixes: "KB" "MB" ... are powers of 1000 unless
 * si_binary is set by the caller's convention (see msp_num_value's flags).
 * Returns 0, or MSP_EINVAL with a message in err.
 */
#define MSP_NUM_SIZE_1024 0x100 /* treat KB/MB/GB/TB/K/M/G/T as powers of 1024 (monitoring-plugins habit) */
int msp_num_value(const char *s, unsigned unit_mask, double bare_scale, double *ret_value,
		  enum msp_unit *ret_unit, struct msp_error *err);

/* Shorthands: a duration in seconds ("90s", "15m", "26h", "7d", "2w", bare = seconds). */
int msp_num_duration(const char *s, double *ret_seconds, struct msp_error *err);

/* A size in bytes ("10GB" = 10*1000^3, "10GiB" = 10*1024^3, bare = bytes). */
int msp_num_size(const char *s, double *ret_bytes, struct msp_error *err);

/*
 * Format a double for machine consumption: '.' decimal point in every
 * locale, no exponent, integers without a fraction, at most `decimals`
 * digits after the point with trailing zeros removed.  Writes into buf
 * (always NUL-terminated) and returns buf.  Without an exponent a large
 * value needs many digits: a buffer of MSP_NUM_FORMAT_MAX bytes holds any
 * value; a smaller one may cut the number short.
 */
#define MSP_NUM_FORMAT_MAX 320 /* sign, 301 digits (1e300), point, 12 decimals, NUL */
char *msp_num_format(double v, int decimals, char *buf, size_t len);

/* Human duration for summaries: "3d 4h", "2h 5m", "45s". Returns buf. */
char *msp_num_human_duration(double seconds, char *buf, size_t len);

/* Human size for summaries: "81650 MiB", "1.5 GiB". Returns buf. */
char *msp_num_human_size(double bytes, char *buf, size_t len);

#endif
