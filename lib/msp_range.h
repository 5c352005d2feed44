/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * msp_range.h - Nagios threshold ranges and warning/critical pairs.
 *
 * Syntax ([@][start:][end], the plugin development guidelines):
 *   "10"     alert when v < 0 or v > 10
 *   "10:"    alert when v < 10
 *   "~:10"   alert when v > 10           (~ is minus infinity)
 *   "10:20"  alert when v < 10 or v > 20
 *   "@10:20" alert when 10 <= v <= 20   (inclusive)
 * A missing end means plus infinity; a missing start means 0.  Numbers may
 * carry a unit suffix when the caller allows it (see msp_num.h): then both
 * ends are converted to the base unit and must agree in family (a percent
 * range cannot end in bytes).  start > end, an empty string, "@" alone and
 * trailing garbage are errors.  Surrounding blanks are ignored.
 *
 * The original text is kept (normalised to base units) so perfdata can
 * print it back.
 */
#ifndef MSP_RANGE_H
#define MSP_RANGE_H

#include <stdbool.h>

#include "msp_error.h"
#include "msp_num.h"
#include "msp_state.h"

struct msp_range {
	double start;    /* ignored when start_inf */
	double end;      /* ignored when end_inf */
	bool start_inf;  /* start is minus infinity ("~") */
	bool end_inf;    /* no end given: plus infinity */
	bool inside;     /* "@": alert inside instead of outside */
	enum msp_unit unit; /* unit family of the numbers, MSP_UNIT_NONE for bare */
};

/*
 * Parse text into *ret_range.  unit_mask and bare_scale as for
 * msp_num_value().  Returns 0, or MSP_EINVAL with a message naming text.
 */
int msp_range_parse(const char *text, unsigned unit_mask, double bare_scale,
		    struct msp_range *ret_range, struct msp_error *err);

/* True when value v is in alert for range r (always for NaN: a value that cannot be compared is never fine). */
bool msp_range_alert(const struct msp_range *r, double v);

/*
 * True when r is a plain upper bound ("0:N" written as "N"): perfdata then
 * shows just the number.
 */
bool msp_range_is_plain_upper(const struct msp_range *r);

/*
 * Write r as perfdata threshold text into buf: the plain end for a plain
 * upper bound, the full range syntax otherwise, numbers formatted with
 * msp_num_format() after dividing by `scale` (1 when 0; a plugin that
 * reports MB passes 1048576).  A buffer of MSP_RANGE_FORMAT_MAX bytes holds
 * any range.  Returns buf.
 */
#define MSP_RANGE_FORMAT_MAX (2 * MSP_NUM_FORMAT_MAX + 2)
char *msp_range_format(const struct msp_range *r, double scale, char *buf, size_t len);

/* A warning/critical pair; either may be absent. */
struct msp_threshold {
	struct msp_range warn;
	struct msp_range crit;
	bool has_warn;
	bool has_crit;
};

/*
 * Evaluate v: CRITICAL if crit alerts, else WARNING if warn alerts, else OK.
 * A NaN value (a measurement that failed) is UNKNOWN, never OK.
 */
enum msp_state msp_threshold_eval(const struct msp_threshold *t, double v);

#endif
