/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * msp_render.h - turn a result tree into the text a monitoring system reads.
 *
 * Formats (DESIGN.md section 2):
 *   nagios      SERVICE STATE - summary | perfdata      (line 1, all perfdata)
 *               then one line per child, worst first, "[STATE] text",
 *               grandchildren indented by two blanks per level; notes
 *               (msp_result.h) follow as plain lines without a state tag
 *   multi-line  monitoring-plugins 3.x shape: "[STATE] - summary", children as
 *               TAB-indented "\_[STATE] - text", perfdata on the last line as
 *               "|label=..." (no blank after the bar)
 *   json        {"version":1,"plugin","service","state","exit_code","summary",
 *                "checks":[{"state","output","checks":[...],"notes":[...]}],
 *                "notes":[...],
 *                "perfdata":[{"label","value","uom","warn","crit","min","max"}]}
 *               (the perfdata of the whole tree is in the top-level list;
 *               "truncated":true is added when the output was cut; a
 *               "notes" list appears only where there are notes)
 *   prometheus  text exposition: msp_check_state{plugin="..."} and one gauge
 *               per perfdata item
 *   table       for a person at a terminal: line 1 as in nagios but without
 *               perfdata, then the children in aligned columns (state, name
 *               when children have one, text), worst first, then the notes
 *
 * A child with a name (msp_result_set_name) is shown "[STATE] name: text"
 * in nagios and multi-line, in its own column in table, and with "name"
 * in json, where a named check also lists its own perfdata items
 * ("perfdata") when it has any.
 *
 * Human text is sanitised on the way out: '|' becomes '/', a tab a blank,
 * other control characters and invalid UTF-8 become '?', a '$' that starts
 * a word (at the start or after white space) becomes '_' (Icinga macros).
 * The runner's timeout message is cleaned by the same function.  Perfdata
 * labels are cleaned the same way in every format (msp_perf.h: invalid
 * UTF-8 '?', control characters and '|' '_').  Output is capped
 * (MSP_OUTPUT_MAX, 8 KiB); the nagios and multi-line formats keep line 1
 * whole (perfdata items that do not fit are left out whole) and cut long
 * output at a line end with the marker "... (output truncated)".  JSON and
 * prometheus output stay valid when cut: JSON drops the perfdata lists of the
 * children, then the children, then the perfdata items that do not fit; prometheus leaves out whole lines and ends
 * with "# output truncated".
 */
#ifndef MSP_RENDER_H
#define MSP_RENDER_H

#include "msp_buf.h"
#include "msp_error.h"
#include "msp_result.h"

#define MSP_OUTPUT_MAX 8192

enum msp_format {
	MSP_FORMAT_NAGIOS = 0,
	MSP_FORMAT_MULTILINE,
	MSP_FORMAT_JSON,
	MSP_FORMAT_PROMETHEUS,
	MSP_FORMAT_TABLE,
};

/*
 * Parse a format name (case-insensitive).  0, or MSP_EINVAL with a message
 * in err (may be NULL) when name (may be NULL) is not a format.
 */
int msp_format_parse(const char *name, enum msp_format *ret_format, struct msp_error *err);

/*
 * Render root into out (which should have a ceiling of at least
 * MSP_OUTPUT_MAX + 1).  plugin is the executable name ("check_disk"),
 * service the service word ("DISK").  The state printed is
 * msp_result_state(root).  Returns 0 or MSP_ENOMEM.
 */
int msp_render(const struct msp_result *root, enum msp_format fmt, const char *plugin, const char *service,
	       struct msp_buf *out);

/*
 * msp_render() with colour where the format has a place for it: the state
 * words of the table format in ANSI colours (OK green, WARNING yellow,
 * CRITICAL red, UNKNOWN magenta).  Every other format is msp_render()'s,
 * never coloured.  The runner calls it when msp_color_wanted() says so.
 */
int msp_render_colored(const struct msp_result *root, enum msp_format fmt, const char *plugin, const char *service,
		       struct msp_buf *out);

/*
 * Whether output for a person may be coloured: stdout is a terminal (tty),
 * NO_COLOR (no_color, the environment value or NULL) is unset or empty
 * (no-color.org) and TERM (term, or NULL) is not "dumb".  Pure.
 */
bool msp_color_wanted(bool tty, const char *no_color, const char *term);

/*
 * The prometheus format with the labels that identify the run, so that two
 * outputs in node_exporter's textfile directory never give the same sample:
 * every sample carries plugin="..." then labels (exposition text made by
 * msp_prom_label_add(); NULL or "" for none).  Besides the root's state,
 * each named child (check_bundle's checks) gets its own state sample,
 * msp_check_state{...,check="NAME"}.  msp_render(MSP_FORMAT_PROMETHEUS) is
 * this with no labels.  0, MSP_ETOOBIG (labels too long) or MSP_ENOMEM.
 */
int msp_render_prometheus(const struct msp_result *root, const char *plugin, const char *labels, struct msp_buf *out);

/*
 * Append name="value" (value escaped) to labels, after a ',' when labels is
 * not empty.  name must be a prometheus label name ([a-zA-Z_][a-zA-Z0-9_]*,
 * not "__..."), not one of ours (plugin check label uom) nor job/instance
 * (Prometheus sets those on the scrape), and not already in labels.  0, or
 * MSP_EINVAL / MSP_ETOOBIG with a message; labels is unchanged on error.
 */
int msp_prom_label_add(struct msp_buf *labels, const char *name, const char *value, struct msp_error *err);

/* Copy s into b sanitised for human text (see above). */
int msp_render_text(struct msp_buf *b, const char *s);

/*
 * The cleaning of human text one character at a time, for code that
 * cannot allocate (the runner's signal handlers): clean the character at s
 * (n bytes left, prev the byte before it or '\0' at the start of the text)
 * into out (room for 4 bytes), set *ret_outlen to the bytes written and
 * return the bytes of s used (at least 1 when n > 0).  Pure and
 * async-signal-safe.
 */
size_t msp_text_clean_char(const char *s, size_t n, char prev, char *out, size_t *ret_outlen);

/* Length of the valid UTF-8 sequence at s (n bytes left); 0 when invalid.  Async-signal-safe. */
size_t msp_utf8_len(const unsigned char *s, size_t n);

/* The head of every prometheus output (also the runner's timeout path). */
#define MSP_PROM_STATE_HEAD                                                            \
	"# HELP msp_check_state Plugin state: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN.\n" \
	"# TYPE msp_check_state gauge\n"

#endif
