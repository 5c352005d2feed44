/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * check_bundle.h - run a list of checks in parallel and report one result.
 *
 * The pure parts, exposed for tests/plugins/test_check_bundle.c: the
 * profile language in check_bundle_profile.c (lines "NAME [(OPTIONS)] =
 * COMMAND LINE", words split by check_bundle_split, --set), and in
 * check_bundle.c the strict perfdata re-parser, the evaluation of one
 * recorded child run into a named child of the result tree and --list.
 */
#ifndef CHECK_BUNDLE_H
#define CHECK_BUNDLE_H

#include <stdbool.h>
#include <stddef.h>

#include "msp.h"

#define CHECK_BUNDLE_MAX 64        /* checks in one bundle */
#define CHECK_BUNDLE_NAME_MAX 32   /* bytes of a check name */
#define CHECK_BUNDLE_ARGS_MAX 128  /* words of one command line */
#define CHECK_BUNDLE_WORD_MAX 4096 /* bytes of one word, and of one option in ( ) */
#define CHECK_BUNDLE_LINE_MAX 8192 /* bytes of one config line */

struct check_bundle_entry {
	char name[CHECK_BUNDLE_NAME_MAX + 1];
	char **argv;     /* owned, NULL-terminated; argv[0] as written until resolved */
	size_t argc;
	double timeout;  /* seconds; 0 = the bundle's --child-timeout */
	bool optional;   /* left out when its program is missing */
	char *requires;  /* owned, may be NULL: left out unless this path exists */
	bool bare;       /* argv[0] was a bare name, looked up in the plugin directory */
	unsigned line;   /* line in the config text (1-based) */
};

struct check_bundle_config {
	const char *file;           /* -f; NULL = the built-in default profile */
	const char *plugin_dir;     /* --plugin-dir (absolute); default: the directory of check_bundle */
	char *self_dir;             /* owned: directory of /proc/self/exe */
	double child_timeout;       /* seconds */
	enum msp_state child_timeout_state;
	struct msp_list exclude;    /* -x NAME */
	struct msp_list set;        /* --set NAME=ARGUMENTS, in order */
	bool list;                  /* --list: say what would run, run nothing */
	struct check_bundle_entry *entry; /* owned array */
	size_t nentry;
};

/*
 * Free what a configured cfg owns (entries, self_dir, the -x and --set
 * lists; not the strings, which are argv's) and leave it empty.  The
 * plugin's process ends instead; tests configure many times.
 */
void check_bundle_config_release(struct check_bundle_config *cfg);

/* How one child ran: the input of check_bundle_evaluate_child(). */
struct check_bundle_run {
	const struct msp_exec_result *res; /* NULL when it could not be started at all */
	const char *path;                  /* the program run (resolved argv[0]) */
	double limit;                      /* its deadline in seconds after the start */
	const char *start_error;           /* why it could not be started (res == NULL) */
	const char *plugin_dir;            /* where a bare name was looked up (named when it is missing), or NULL */
	double duration;                   /* seconds from its start until it was reaped (when res != NULL) */
};

/* The built-in default profile, in config file syntax (contrib/bundles/default.conf mirrors it). */
extern const char check_bundle_default_profile[];

/*
 * Split a command line into words (see --help: blanks separate words,
 * '...' and "..." quote, \ escapes, an unquoted # starting a word begins a
 * comment, unquoted shell syntax | & ; < > ( ) ` $ is an error; no
 * expansion of any kind).  *ret_argv is a NULL-terminated array the caller
 * frees with check_bundle_free_argv().  0 or MSP_EINVAL/MSP_ENOMEM.
 */
int check_bundle_split(const char *line, char ***ret_argv, size_t *ret_argc, struct msp_error *err);
void check_bundle_free_argv(char **argv);

/* Append word w to b quoted so that check_bundle_split() reads it back as the same one word. */
void check_bundle_quote(struct msp_buf *b, const char *w);

/*
 * Parse config text (origin names it in messages: a file name or "the
 * default profile") into entries; the caller frees them with
 * check_bundle_free_entries().  Blank lines and lines starting with # are
 * skipped.  0 or MSP_EINVAL ("FILE line N: ...") / MSP_ENOMEM.
 */
int check_bundle_parse_config(const char *text, const char *origin, struct check_bundle_entry **ret_entries,
			      size_t *ret_n, struct msp_error *err);
void check_bundle_free_entries(struct check_bundle_entry *e, size_t n);

/*
 * --set: spec "NAME=ARGUMENTS" replaces the arguments (argv[1..]) of the
 * entry NAME among v[0..n) with ARGUMENTS split by check_bundle_split's
 * rules (no words is allowed: the program then runs without arguments).
 * origin names the profile in messages.  0 or MSP_EINVAL (no '=', no such
 * entry: the message names those that exist, bad quoting) / MSP_ENOMEM.
 */
int check_bundle_set_args(struct check_bundle_entry *v, size_t n, const char *spec, const char *origin,
			  struct msp_error *err);

/*
 * The argument error for a check name (len bytes of name) that option opt
 * ("-x", "--set") gave but v[0..n) of origin does not have; the message
 * lists the names there are.  Returns MSP_EINVAL.
 */
int check_bundle_name_error(struct msp_error *err, const char *opt, const char *name, size_t len,
			    const struct check_bundle_entry *v, size_t n, const char *origin);

/*
 * Resolve argv[0]: a bare name is looked up in dir (and e->bare set), an
 * absolute path stays.  0, or MSP_EINVAL for a relative path with a '/' /
 * MSP_ENOMEM.
 */
int check_bundle_resolve(struct check_bundle_entry *e, const char *dir, struct msp_error *err);

/*
 * Re-parse perfdata text strictly and add each valid item to node with its
 * label prefixed "prefix::".  An invalid item is dropped and named in a note
 * on node.  Returns the number of dropped items, or MSP_ENOMEM.
 */
int check_bundle_parse_perf(const char *text, const char *prefix, struct msp_result *node);

/*
 * Turn one child run into a child of root named e->name: its state (exit
 * code 0..3 with a valid first line; anything else is timeout_state for a
 * timeout and UNKNOWN otherwise, never OK), the first line's text and its
 * perfdata.  0 or MSP_ENOMEM.
 */
int check_bundle_evaluate_child(const struct check_bundle_entry *e, const struct check_bundle_run *run,
				enum msp_state timeout_state, struct msp_result *root);

/*
 * Whether the resolved entry e is left out on this host: excluded by -x, its
 * requires= path missing, or (optional) its program not installed.  When it
 * is, the reason is appended to why ("left out by -x", ...).  Reads the file
 * system (access()).
 */
bool check_bundle_left_out(const struct check_bundle_config *cfg, const struct check_bundle_entry *e,
			   struct msp_buf *why);

/*
 * --list: one note on root per entry of cfg, "NAME: would run: COMMAND" or
 * why not ("NAME: left out ...", "NAME: would be UNKNOWN, plugin not found:
 * ..."), the count as summary, state UNKNOWN (like --help: nothing was
 * checked).  0 or MSP_ENOMEM.
 */
int check_bundle_list(const struct check_bundle_config *cfg, struct msp_result *root);

/* Set root's summary: the non-OK checks by name, worst first, or "all N checks OK".  0 or MSP_ENOMEM. */
int check_bundle_summarize(struct msp_result *root);

#endif
