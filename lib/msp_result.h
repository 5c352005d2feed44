/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * msp_result.h - the result tree a plugin builds and the runner renders.
 *
 * A node has a state, a one-line text, perfdata items and children.  The
 * root's text is the summary.  A node's effective state is its own state
 * when set, else the worst effective state of its children (msp_state.h
 * ranking), else UNKNOWN: an empty tree never reads as OK (fail closed).
 * A note is a child that only informs (a listing, a usage hint): it has no
 * state, never changes its parent's state, and is shown after the stateful
 * children without a state tag (in JSON under "notes").
 * Every node owns its text, perfdata and children; msp_result_free() on
 * the root frees the whole tree.
 */
#ifndef MSP_RESULT_H
#define MSP_RESULT_H

#include <stdbool.h>
#include <stddef.h>

#include "msp_perf.h"
#include "msp_state.h"

/*
 * How a drop-in plugin's nagios output differs from the default, so that its
 * line 1 is its reference's character for character (DESIGN.md item 8):
 * "PROCS OK: 3 processes | procs=3;;;0;", "LOAD OK - ...|load1=0.450;...".
 * NULL members keep the defaults.  The other formats ignore it.
 */
struct msp_nagios_style {
	const char *state_sep; /* after "SERVICE STATE" when a summary follows; default " - " */
	const char *perf_sep;  /* between the summary and the perfdata; default " | " */
	const char *perf_end;  /* after the last perfdata item; default "" */
	bool no_children;      /* no per-object lines and no notes: the reference prints line 1 only */
	bool keep_notes;       /* with no_children: the notes still print (the reference's further lines) */
};

struct msp_result {
	enum msp_state state;
	bool state_set;
	bool note;                /* informational line: no state of its own */
	char *text;               /* owned, may be NULL */
	char *name;               /* owned, may be NULL: short name of a named child (check_bundle's children) */
	double duration;          /* seconds the child took (check_bundle's children), when has_duration */
	bool has_duration;
	/* The root only: how the nagios format prints line 1 (a drop-in's reference shape); NULL: the default. */
	const struct msp_nagios_style *style;
	/* The root only: a service word for this result in place of the plugin's (check_procs -m VSZ: "VSZ"). */
	const char *service;
	struct msp_perf *perf;    /* owned array */
	size_t nperf;
	struct msp_result **child; /* owned array of owned nodes */
	size_t nchild;
};

/* A new empty node (caller frees with msp_result_free), or NULL on ENOMEM. */
struct msp_result *msp_result_new(void);

/* Free a node and everything under it; accepts NULL. */
void msp_result_free(struct msp_result *r);

/* Set the node's own state. */
void msp_result_set_state(struct msp_result *r, enum msp_state s);

/* Raise the node's own state to s if s is worse (sets state_set). */
void msp_result_raise(struct msp_result *r, enum msp_state s);

/* Replace the node's text with printf-style text.  0 or MSP_ENOMEM. */
int msp_result_set_text(struct msp_result *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/*
 * Give the node a short name (a word such as "disk"): renderers show it
 * before the text ("[OK] disk: ..."), in its own column (table) or as
 * "name" (json).  0 or MSP_ENOMEM.
 */
int msp_result_set_name(struct msp_result *r, const char *name);

/*
 * Record how long the object took to check, in seconds (check_bundle: each
 * check's run).  table shows it in a column, json as "duration".
 */
void msp_result_set_duration(struct msp_result *r, double seconds);

/*
 * Add a child node with state s and printf-style text; the tree owns it.
 * Returns the child (for adding perfdata or grandchildren) or NULL on ENOMEM.
 */
struct msp_result *msp_result_add_child(struct msp_result *r, enum msp_state s, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/*
 * Add a note (see the top of this file) with printf-style text.  Returns
 * the note or NULL on ENOMEM; the tree owns it.
 */
struct msp_result *msp_result_add_note(struct msp_result *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/*
 * Add a perfdata item to r, copying label and the thresholds from th (may
 * be NULL).  uom is "" or a classic unit.  Returns a pointer to the stored
 * item (valid until the next add on r, for setting min/max/decimals) or
 * NULL on ENOMEM.  decimals defaults to 6, scale to 1.
 */
struct msp_perf *msp_result_add_perf(struct msp_result *r, const char *label, double value, const char *uom,
				     const struct msp_threshold *th);

/* Set min and/or max on a perf item (convenience). */
void msp_perf_set_min(struct msp_perf *p, double min);
void msp_perf_set_max(struct msp_perf *p, double max);

/*
 * The network checks' response time as the references print it: "time"
 * in s with six fixed decimals (limits too) and min 0
 * ("time=0.000690s;;;0.000000"); with a max that is not NaN also max and
 * all five fields ("time=0.000690s;;;0.000000;10.000000").  Thresholds from
 * th (may be NULL).  Returns the item, or NULL on ENOMEM.
 */
struct msp_perf *msp_result_add_time_perf(struct msp_result *r, double secs, const struct msp_threshold *th,
					  double max);

/* Effective state of the node (see the top of this file). */
enum msp_state msp_result_state(const struct msp_result *r);

#endif
