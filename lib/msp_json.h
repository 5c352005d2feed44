/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * msp_json.h - reading the JSON that tools print (restic, borg, status files), with json-c.
 *
 * Built into its own library, lib/libmsp_json.a, and only when configure
 * found json-c (AM_CONDITIONAL HAVE_JSONC): a plugin that includes this
 * header sits inside `if HAVE_JSONC` in its fragment and links
 * $(MSP_JSON_LIB) (which brings $(JSONC_LIBS)) before $(MSP_LIB).  Not
 * included from msp.h, so plugins without JSON need no json-c headers.
 *
 * The getters never fail on a missing or mistyped member: they return
 * NULL / NAN and the caller decides whether that is an error (fail closed:
 * a required member that is absent must make the check UNKNOWN, never OK).
 */
#ifndef MSP_JSON_H
#define MSP_JSON_H

#include <stdbool.h>
#include <stddef.h>

#include <json-c/json.h>

#include "msp_error.h"

/*
 * Parse text (len bytes, need not be NUL-terminated) as exactly one JSON
 * value; blanks and newlines around it are allowed, anything else after
 * it is an error (a tool that printed a warning after its JSON).  Nesting
 * is limited to 64 levels.  `what` names the text in messages:
 * "WHAT is empty", "cannot parse WHAT: the JSON ends early",
 * "cannot parse WHAT: <json-c's reason>", "cannot parse WHAT: text after
 * the JSON", "WHAT is null" (a null document is no value to read).  Returns 0 and sets *ret (the caller frees it with
 * json_object_put()), or MSP_EINVAL / MSP_ENOMEM with a message.
 */
int msp_json_parse(const char *text, size_t len, const char *what, struct json_object **ret, struct msp_error *err);

/*
 * Read the first JSON value of a stream of them (JSON lines, concatenated
 * values, blanks and newlines between): blanks before it are skipped, the
 * text after it is left alone.  Returns 1 and sets *ret (NULL for a JSON
 * null: the caller decides what a null means; otherwise the caller frees
 * it with json_object_put()) and *ret_used (bytes of text up to the end of
 * the value, the next call starts there); 0 when text holds only blanks
 * (the end of the stream); or MSP_EINVAL (the text at this point is no
 * JSON value; err gets only the reason, "the JSON ends early" or json-c's,
 * the caller says what was read) or MSP_ENOMEM.  A number or literal at
 * the very end of text is complete.  Nesting is limited to 64 levels.
 */
int msp_json_parse_next(const char *text, size_t len, struct json_object **ret, size_t *ret_used,
			struct msp_error *err);

/*
 * Follow a dotted path from o: "profiles.home.backup" (members),
 * "runs.0.end" (array indexes), with an optional leading "$" or "$.".
 * Returns the value (owned by o), or NULL when a step is absent or not an
 * object or array; a JSON null at the end of the path also gives NULL but
 * sets *ret_null (else it is set false).  "$" alone is o.
 */
struct json_object *msp_json_path(struct json_object *o, const char *path, bool *ret_null);

/*
 * The time JSON value t holds: RFC 3339 text (with its UTC offset) or,
 * with MSP_JSON_TIME_EPOCH in flags, epoch seconds; either must pass
 * msp_time_epoch_plausible().  Returns 0 and sets *ret, or MSP_EINVAL with
 * only the reason in err (the caller names the field): msp_time's message
 * for text that is no time, else the value as JSON ("null", "NaN",
 * "Infinity", "1e400", "-1", "true").  Never a fallback to another time.
 */
#define MSP_JSON_TIME_EPOCH 0x1
int msp_json_time(struct json_object *t, unsigned flags, double *ret, struct msp_error *err);

/* The string member key of object o; NULL when o is no object or the member is absent or no string.  Owned by o. */
const char *msp_json_string(struct json_object *o, const char *key);

/* The number member key of object o (integer or floating point); NAN when absent or no number. */
double msp_json_number(struct json_object *o, const char *key);

/*
 * The member key of object o, a list of strings, joined with sep into a
 * new string the caller frees.  An absent or null member gives "".
 * Returns 0, MSP_EINVAL ("'KEY' is not a list of strings") or MSP_ENOMEM.
 */
int msp_json_join(struct json_object *o, const char *key, const char *sep, char **ret, struct msp_error *err);

#endif
