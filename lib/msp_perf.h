/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * msp_perf.h - one performance data item and its text form.
 *
 *   'label'=value[UOM];[warn];[crit];[min];[max]
 *
 * The label is quoted only when it needs it (a blank, '=' or a quote), a
 * quote inside is written '', and control characters and '|' are written
 * as '_' (they would end the perfdata or the line); an invalid UTF-8 byte
 * becomes '?', as in summaries.  Every output format shows a label cleaned
 * this way (msp_perf_label_clean), so one item has one label everywhere.
 * A value that is NaN or infinite was not measured: it is written 'U'
 * (the guidelines' "undetermined"; null in JSON, NaN in prometheus), and a
 * non-finite min or max is left empty, never printed as a 0.  Numbers use '.' in every locale, never an
 * exponent; integer values print without a fraction.  UOMs are the classic
 * set: "", s ms us % B KB MB TB c (no GB: the
 * guidelines lack it and several graphers reject it).  warn/crit are plain numbers for
 * plain upper bounds and range text otherwise.
 */
#ifndef MSP_PERF_H
#define MSP_PERF_H

#include <stdbool.h>

#include "msp_buf.h"
#include "msp_range.h"

struct msp_perf {
	char *label;          /* owned */
	double value;
	char uom[4];          /* "" when none */
	int decimals;         /* digits after the point at most (trailing zeros dropped) */
	bool fixed;           /* value and plain thresholds with exactly `decimals` digits ("0.450;1.000") */
	bool keep_fields;     /* write all five fields, empty ones too ("procs=3;;;0;"), as a reference does */
	bool fixed_limits;    /* min and max with exactly `decimals` digits too ("time=0.1s;;;0.000000;10.000000") */
	double scale;         /* divide thresholds by this before printing (1 = as is) */
	struct msp_threshold th; /* thresholds in the value's base unit */
	bool has_min, has_max;
	double min, max;
};

/* True when uom is one of the classic units. */
bool msp_perf_uom_valid(const char *uom);

/*
 * Append the item in perfdata syntax to b (no leading or trailing blank).
 * Returns 0 or the msp_buf error.
 */
int msp_perf_write(const struct msp_perf *p, struct msp_buf *b);

/*
 * Append label cleaned (control characters and '|' as '_', invalid UTF-8
 * as '?'), not quoted: the label text every output format shows.
 * 0 or MSP_ETOOBIG.
 */
int msp_perf_label_clean(const char *label, struct msp_buf *b);

/* Append label cleaned and quoted as perfdata needs it. */
int msp_perf_write_label(const char *label, struct msp_buf *b);

/*
 * Parse one perfdata item at *text strictly (leading blanks skipped):
 * a label, quoted ('it''s') or bare (no blank, '=' or quote), '=', a finite
 * number (an exponent is accepted and printed back without one) with a
 * classic UOM, then up to four ';' fields: warn and crit as ranges
 * (msp_range.h), min and max as numbers; empty fields are absent.  On
 * success *ret gets the item (decimals as many as the text had, at least 6;
 * the caller frees the label with msp_perf_release) and 0 is returned.  An
 * invalid item (a comma decimal, "U", an unknown unit, a bad range, a sixth
 * field, no '=') gives MSP_EINVAL with "invalid perfdata 'ITEM': reason"
 * in err (may be NULL; ITEM cut at 60 bytes).  Either way *text is moved
 * past the item (at the next blank), so a caller can go on with the rest of
 * a perfdata string.  MSP_ENOMEM on allocation failure.
 */
int msp_perf_parse(const char **text, struct msp_perf *ret, struct msp_error *err);

/* Free the label. */
void msp_perf_release(struct msp_perf *p);

#endif
