/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * msp_plugin.h - option tables, standard options and the common runner.
 *
 * A plugin describes itself with a struct msp_plugin (names, help text,
 * its option table and three callbacks) and hands control to msp_main(),
 * which never returns.  The runner:
 *   1. merges --extra-opts ini options in front of argv,
 *   2. parses argv with getopt_long built from the plugin's table plus the
 *      standard options (-h -V -v -t --timeout-result --output-format
 *      --extra-opts), calling p->option for each plugin option and for each
 *      positional argument (id MSP_OPT_POSITIONAL),
 *   3. calls p->check, which probes, evaluates and fills the result tree.
 *      The deadline (-t seconds, default p->timeout) is armed before
 *      step 1 and counts from the start of msp_main(): reading ini files
 *      and parsing options (regcomp) are inside it; a -t parsed late is
 *      re-armed from the start, and -t on the command line is pre-scanned
 *      so it holds from the first option on.  The timeout message names
 *      the step ("parsing options", "reading the --extra-opts file", or
 *      what the plugin set with msp_step()),
 *   4. renders the tree in the chosen format and exits with its state.
 * Any error on the way is "<SERVICE> UNKNOWN - message" and exit 3.  When
 * stdout cannot take the whole output (closed, EBADF, ENOSPC, EPIPE) the
 * exit code is 3, whatever the state: it is the only channel left.
 *
 * --help and --usage text are generated from the same table, so help and
 * parsing cannot drift apart.
 */
#ifndef MSP_PLUGIN_H
#define MSP_PLUGIN_H

#include <stdbool.h>
#include <time.h>

#include "msp_buf.h"
#include "msp_error.h"
#include "msp_option.h"
#include "msp_render.h"
#include "msp_result.h"
#include "msp_state.h"

#define MSP_OPT_POSITIONAL (-1)

/* What the runner knows at check time; passed to p->check. */
struct msp_context {
	int verbose;              /* number of -v */
	unsigned timeout;         /* seconds */
	enum msp_state timeout_state;
	time_t now;               /* wall clock at start */
	struct timespec deadline; /* CLOCK_MONOTONIC: when the timeout fires */
	const char *plugin;       /* executable name */
	const char *service;      /* service word */
	enum msp_format format;   /* the output format asked for */
};

/* A file or an environment variable for the man page: name, and what it is (one sentence). */
struct msp_doc_item {
	const char *name;
	const char *text;
};

struct msp_plugin {
	const char *name;        /* "check_disk" */
	const char *service;     /* "DISK" */
	const char *synopsis;    /* usage line after the name, e.g. "-w LIMIT -c LIMIT [-p PATH]..." */
	const char *description; /* paragraph(s) after the usage line */
	const char *summary;     /* the README's "concern" cell: one line, Markdown */
	const char *dropin;      /* what it replaces ("monitoring-plugins `check_load`"), NULL for a new plugin */
	const char *itl;         /* the Icinga 2 ITL CheckCommand it stands in for ("load"): its defaults are imported */
	/*
	 * Printed after the options (differences, examples); may be NULL.  A
	 * last block "Examples:\n" followed by lines indented by two blanks
	 * becomes the man page's EXAMPLES section (--help prints it as is).
	 */
	const char *notes;
	/*
	 * For the man page, optional, each ended by { NULL, NULL }: files the
	 * plugin reads by default (FILES) and environment variables it reads
	 * (ENVIRONMENT), besides what the runner documents for every plugin
	 * (the --extra-opts files, MP_CONFIG_FILE, NAGIOS_CONFIG_PATH, ...).
	 */
	const struct msp_doc_item *files;
	const struct msp_doc_item *environment;
	const struct msp_option *options; /* terminated by MSP_OPTION_END */
	/*
	 * The entry positional arguments are applied to (typed, or a callback
	 * entry whose id the callback gets; its help is not shown); NULL: a
	 * positional argument is an error.  Empty ones ('') are skipped.
	 */
	const struct msp_option *positional;
	/* Without p->positional: what the "unexpected argument" message adds ("give paths with -p"); may be NULL. */
	const char *positional_hint;
	unsigned timeout;        /* default -t seconds (0 = 10) */
	enum msp_state timeout_state; /* default state on timeout: UNKNOWN local, CRITICAL network */
	/*
	 * Format used when stdout is a terminal and no --output-format was
	 * given (MSP_FORMAT_TABLE for a report meant for a person); the zero
	 * value MSP_FORMAT_NAGIOS keeps the nagios format everywhere.
	 */
	enum msp_format tty_format;

	/*
	 * A drop-in plugin's nagios line 1 as its reference prints it
	 * (separators, no per-object lines); NULL for the default shape.  Used
	 * for the check's result and its errors, not for usage errors or
	 * timeouts; a check may set root->style itself for a result the
	 * reference cannot give.
	 */
	const struct msp_nagios_style *nagios;

	/*
	 * Handle one MSP_OPT_CALLBACK option (id from its entry; positional
	 * arguments with the id of p->positional).  arg is NULL for options
	 * without a value; an empty arg never arrives unless the entry has
	 * MSP_OPTF_EMPTY_OK.  May be NULL when every entry is typed.  Return 0,
	 * or a negative MSP_E* with a message in err.
	 */
	int (*option)(void *cfg, int id, const char *arg, struct msp_error *err);

	/*
	 * Free what the options and finish allocated in cfg (may be NULL).  A
	 * run of the plugin just exits; the test harness calls it between the
	 * runs it makes with one config, so lists and regexes do not leak.
	 */
	void (*release)(void *cfg);

	/* Validate and complete cfg after all options (may be NULL).  0 or MSP_E*. */
	int (*finish)(void *cfg, const struct msp_context *ctx, struct msp_error *err);

	/*
	 * Do the check: probe, parse, evaluate, and fill root (state, summary
	 * text, perfdata, children).  Returning a negative MSP_E* makes the
	 * result UNKNOWN with err's message as the summary.
	 */
	int (*check)(void *cfg, const struct msp_context *ctx, struct msp_result *root, struct msp_error *err);
};

/*
 * The plugin's main().  Built with -DMSP_TEST (plugin unit tests) it instead
 * exposes the plugin description as msp_test_plugin, so a test can drive the
 * real parser (msp_parse) without a process.
 */
#ifdef MSP_TEST
extern const struct msp_plugin *msp_test_plugin;
#define MSP_PLUGIN_MAIN(plugin, cfgtype) const struct msp_plugin *msp_test_plugin = &(plugin);
#else
#define MSP_PLUGIN_MAIN(plugin, cfgtype)                 \
	int main(int argc, char **argv)                  \
	{                                                \
		static cfgtype cfg;                      \
		msp_main(&(plugin), &cfg, argc, argv);   \
	}
#endif

/*
 * The runner's steps, each usable alone (the unit tests drive them; see
 * tests/helpers/msp_test.h):
 *   msp_run_init      defaults from the plugin (format, timeout)
 *   msp_prescan       --output-format and -t before the real parse
 *   msp_parse         --extra-opts, standard and plugin options, positional
 *                     arguments, defaults, threshold order: no output, no exit
 *   msp_prepare       the context from the run, then p->finish
 *   msp_run_check     p->check; a failure becomes an UNKNOWN result
 *   msp_run_release   frees what the run holds
 */
enum msp_run_action {
	MSP_RUN_CHECK = 0, /* run the check */
	MSP_RUN_HELP,      /* --help / --usage */
	MSP_RUN_MAN,       /* --help-man */
	MSP_RUN_VERSION,   /* -V / --version */
	MSP_RUN_CONTRIB,   /* --help-contrib=KIND: a generated definition (msp_describe) */
};

struct msp_run {
	enum msp_run_action action;
	enum msp_format fmt;
	bool fmt_set;             /* --output-format given */
	unsigned timeout;         /* -t seconds */
	enum msp_state timeout_state;
	bool timeout_state_set;
	int verbose;
	struct msp_buf prom_labels; /* from --prometheus-label */
	int argc;                 /* argv after --extra-opts expansion (owned) */
	char **argv;
	int optind;               /* first positional argument in argv */
	bool not_usage;           /* the error was not a usage error (an --extra-opts file could not be read) */
	bool live;                /* msp_main's run: -t re-arms the process's deadline as it is parsed */
	const char *contrib;      /* --help-contrib's KIND */
};

void msp_run_init(const struct msp_plugin *p, struct msp_run *run);
void msp_prescan(const struct msp_plugin *p, int argc, char **argv, struct msp_run *run);
int msp_parse(const struct msp_plugin *p, void *cfg, int argc, char **argv, struct msp_run *run,
	      struct msp_error *err);
int msp_prepare(const struct msp_plugin *p, void *cfg, const struct msp_run *run, struct msp_context *ctx,
		struct msp_error *err);
void msp_run_check(const struct msp_plugin *p, void *cfg, const struct msp_context *ctx, struct msp_result *root);
void msp_run_release(struct msp_run *run);

/* --help and the man page (man(7) source) into b: 0, or MSP_ETOOBIG when b's cap cut them. */
int msp_help_text(const struct msp_plugin *p, struct msp_buf *b);
int msp_man_text(const struct msp_plugin *p, struct msp_buf *b);

/*
 * The generated Icinga 2 CheckCommand (kind "icinga2"), Nagios command
 * ("nagios") or README table row ("readme") of p into b (lib/msp_describe.c).
 * 0, MSP_EINVAL for another kind, MSP_ETOOBIG when b's cap cut it.
 */
int msp_describe(const struct msp_plugin *p, const char *kind, struct msp_buf *b, struct msp_error *err);

/* Whether the plugin's table takes short option c / long option name (standard ones then step aside). */
bool msp_plugin_has_short(const struct msp_plugin *p, char c);
bool msp_plugin_has_long(const struct msp_plugin *p, const char *name);

/* The standard options every plugin takes, ended by MSP_OPTION_END. */
extern const struct msp_option msp_std_options[];

/* Run the plugin; never returns.  cfg is the plugin's zero-initialised config. */
__attribute__((noreturn)) void msp_main(const struct msp_plugin *p, void *cfg, int argc, char **argv);

/*
 * Name the step now running, for the timeout message ("timed out after 10 s
 * while <step>").  step must stay valid until replaced (a literal or a
 * buffer the caller keeps); it is copied into a static buffer, so any string
 * is fine.  Safe to call often.
 */
void msp_step(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * Copy the step now running into buf (size bytes, cut when longer) and
 * return buf, so a caller that names a step of its own can put the old
 * one back after it (msp_regex_compile does).
 */
const char *msp_step_current(char *buf, size_t size);

/*
 * Register a child process the timeout must kill (its process group when
 * it leads one), and forget it again once reaped.  The table has room for
 * MSP_TIMEOUT_CHILDREN_MAX children at once (the signal handler reads it,
 * so it does not grow): when it is full, track returns MSP_ETOOBIG and the
 * caller must not let the child run untracked (kill and reap it, fail).
 */
#define MSP_TIMEOUT_CHILDREN_MAX 128
int msp_timeout_track_child(pid_t pid);
void msp_timeout_untrack_child(pid_t pid);

/* Print to stderr when ctx->verbose >= level (only the runner's -v enables stderr). */
void msp_verbose(const struct msp_context *ctx, int level, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/*
 * Parse "-t" values: "N" or "N:STATE" (N seconds, 1..86400).  Exposed for
 * tests.  0 or MSP_EINVAL.
 */
int msp_timeout_parse(const char *arg, unsigned *ret_secs, bool *ret_has_state, enum msp_state *ret_state,
		      struct msp_error *err);

#endif
