/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * check_apt.h - the pure parts of check_apt, for the unit tests.
 *
 * The plugin is three files, one job each:
 *   check_apt.c        options, the probe (apt-get, dpkg status, lists), the plugin
 *   check_apt_parse.c  OPTS, apt paths, apt-get -s output, dpkg status, phasing
 *   check_apt_eval.c   judging a sample into the result tree
 * (check_apt_pkg.cc: the simulation in process, with libapt-pkg.)
 */
#ifndef CHECK_APT_H
#define CHECK_APT_H

#include <regex.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "msp.h"

/* The reference's security pattern, matched against each whole "Inst ..." line. */
#define CHECK_APT_SECURITY_REGEX "^[^\\(]*\\(.* (Debian-Security:|Ubuntu:[^/]*/[^-]*-security)"

/* apt-get options when -U/-d/-u give none (the reference uses -qq for the simulation, see --help). */
#define CHECK_APT_UPGRADE_OPTS "-o Debug::NoLocking=true -s -q"
#define CHECK_APT_UPDATE_OPTS "-q"

/* Without -l the long output names at most this many packages per kind. */
#define CHECK_APT_LIST_MAX 20

enum check_apt_mode {
	CHECK_APT_UPGRADE = 0,
	CHECK_APT_DIST_UPGRADE,
};

/* One regex option (-i, -e or -c): every value joined with '|', as the reference combines them. */
struct check_apt_regex {
	char *text; /* owned; NULL = not given */
	regex_t re; /* valid when compiled */
	bool compiled;
};

struct check_apt_config {
	/* From the options; strings point into argv. */
	enum check_apt_mode mode; /* -U / -d: the last one given wins */
	const char *upgrade_opts; /* OPTS of -U/-d (shared, as in the reference); NULL = default */
	bool do_update;           /* -u */
	const char *update_opts;  /* NULL = default */
	bool no_upgrade;          /* -n */
	struct msp_list include_list, exclude_list, critical_list; /* -i, -e, -c as given */
	bool only_critical;                                        /* -o */
	long packages_warning;                                     /* -w, default 1 */
	bool list;                                                 /* -l: name every package */
	bool extra_perfdata;     /* --extra-perfdata: held, phased, kept_back and lists_age too */
	bool has_lists_max_age;  /* --lists-max-age given */
	double lists_max_age;    /* seconds */
	const char *lists_dir;   /* --lists-dir; NULL = from the apt options or apt's default */
	const char *status_file; /* --dpkg-status; likewise */
	const char *apt_get;     /* --apt-get; default /usr/bin/apt-get */
	const char *input_file;  /* --input-file: a saved simulation instead of apt-get */

	/* Filled by the finish callback: the lists joined into regexps, OPTS split into words (owned). */
	struct check_apt_regex include, exclude, critical;
	char **upgrade_words, **update_words; /* NULL-terminated */
	size_t n_upgrade_words, n_update_words;
};

/* A list of owned strings. */
struct check_apt_names {
	char **v;
	size_t n;
};

/* One "Inst" line of the simulation. */
struct check_apt_pkg {
	char *name; /* owned: the word after "Inst " */
	char *line; /* owned: the whole line, what -i/-e/-c match */
};

/* apt's "U upgraded, N newly installed, [R reinstalled, ][D downgraded, ]X to remove and K not upgraded." */
struct check_apt_summary {
	unsigned long upgraded, newly_installed, reinstalled, downgraded, to_remove, not_upgraded;
};

/* How one apt-get run ended (the output itself is parsed separately). */
struct check_apt_run {
	bool ran;
	bool failed;    /* could not start, killed, non-zero exit or output over the cap */
	char *why;      /* owned: the reason when failed ("exit 100", "cannot run ...") */
	char *err_line; /* owned: first line of stderr, NULL when stderr was empty */
};

struct check_apt_sample {
	struct check_apt_run update, upgrade;
	struct check_apt_pkg *pkg; /* owned array: the Inst lines */
	size_t npkg;
	size_t n_new;       /* Inst lines without "[installed version]": new installs */
	size_t n_remove;    /* Remv and Purg lines */
	bool progress_seen; /* "Reading package lists...": apt was less quiet than -qq, so it printed a summary */
	bool summary_seen;  /* apt printed "N upgraded, ...": kept_back is complete */
	size_t n_summary;   /* summary lines seen (one is right) */
	bool summary_bad;   /* a line starting "N upgraded, " that does not read as apt's summary */
	struct check_apt_summary summary;
	char summary_line[160];           /* the line when summary_bad (cut) */
	struct check_apt_names kept_back; /* "have been kept back" (held, phased and others) */
	bool held_known;
	struct check_apt_names held; /* installed packages on hold (dpkg status) */
	char *held_error;            /* owned: why held is unknown */
	bool phased_known;
	struct check_apt_names phased; /* kept back only by phasing */
	char *phased_error;            /* owned: why phased is unknown */
	bool lists_known;
	bool lists_empty;    /* the lists directory holds no list file */
	int64_t lists_mtime; /* newest list file, seconds since the epoch */
	char *lists_dir;     /* owned: the directory looked at */
	char *lists_error;   /* owned: why lists_mtime is unknown */
};

/*
 * Split OPTS into words the way the reference does: words are separated by
 * blanks; a word that starts with ' runs to the next ' (the quotes are
 * removed, the next word starts right after it); a ' inside a word is an
 * ordinary character.  A " anywhere or an unterminated ' is an error (the
 * reference refuses both).  On success *ret (a NULL-terminated array the
 * caller frees with check_apt_words_free) and *ret_n are set.
 * Returns 0, MSP_EINVAL with a message, or MSP_ENOMEM.
 */
int check_apt_split_opts(const char *opts, char ***ret, size_t *ret_n, struct msp_error *err);
void check_apt_words_free(char **words);

/*
 * The lists directory and the dpkg status file apt uses with these apt-get
 * words: -o NAME=VALUE (also -oNAME=VALUE, --option NAME=VALUE) for Dir,
 * Dir::State, Dir::State::Lists and Dir::State::status (names without regard
 * to case), resolved as apt resolves them; apt's defaults otherwise.  Config
 * files (-c, apt.conf.d) are not read.  Both results are malloc'd strings the
 * caller frees.  0 or MSP_ENOMEM.
 */
int check_apt_paths(char *const *words, size_t n, char **ret_lists, char **ret_status);

/*
 * Parse the stdout of `apt-get -s upgrade|dist-upgrade`: every line that
 * starts with "Inst " is a package (counted like the reference), and when
 * apt printed its lists (-q or less quiet) the "kept back" names and the
 * "N upgraded, ..." summary.  Adds to s.  0 or MSP_ENOMEM.
 */
int check_apt_parse_simulation(const char *out, struct check_apt_sample *s);

/*
 * Whether a parsed simulation is complete and agrees with itself: when apt
 * printed its progress lines (quiet level below 2) it also printed exactly
 * one summary line, and the summary's counts are those of the Inst lines
 * (upgraded + reinstalled + downgraded with an installed version, newly
 * installed without), of the Remv/Purg lines, and of the kept-back list.
 * Output without progress lines and without a summary (-qq) has nothing to
 * compare and passes.  0, or MSP_EINVAL with a message naming both numbers.
 */
int check_apt_verify_simulation(const struct check_apt_sample *s, struct msp_error *err);

/*
 * Phased updates: the names s->kept_back lists (apart from held ones) that
 * `all`, the parsed simulation run with
 * APT::Get::Always-Include-Phased-Updates=true, installs; appended to
 * s->phased.  0 or MSP_ENOMEM.
 */
int check_apt_find_phased(struct check_apt_sample *s, const struct check_apt_sample *all);

/*
 * From a dpkg status file, the names of installed packages whose selection
 * is "hold", into *held (appended).  0, MSP_EINVAL when the text names no
 * package at all (not a status file), or MSP_ENOMEM.
 */
int check_apt_parse_status(const char *text, struct check_apt_names *held);

/* Append a copy of name to l.  0 or MSP_ENOMEM. */
int check_apt_names_add(struct check_apt_names *l, const char *name);
bool check_apt_names_has(const struct check_apt_names *l, const char *name);
void check_apt_names_release(struct check_apt_names *l);

/* Free what s owns; s is empty afterwards. */
void check_apt_sample_release(struct check_apt_sample *s);

/*
 * Add one -i/-e/-c value to r (joined to earlier ones with '|').  The
 * pattern is compiled by check_apt_compile.  0 or MSP_ENOMEM.
 */
int check_apt_regex_add(struct check_apt_regex *r, const char *pattern);

/* Compile cfg's patterns (REG_EXTENDED, REG_NOSUB); 0 or MSP_EINVAL naming the option. */
int check_apt_compile(struct check_apt_config *cfg, struct msp_error *err);

/* Free what the config owns (the lists, the regexes and the words). */
void check_apt_config_release(struct check_apt_config *cfg);

/*
 * Fill root from the config (after check_apt_compile), the sample and the
 * wall clock `now`: state, summary, perfdata (available_upgrades and
 * critical_updates as the reference prints them, then held, phased,
 * kept_back and lists_age), problems as children, package names as notes.
 * Returns 0 or MSP_ENOMEM.
 */
int check_apt_evaluate(const struct check_apt_config *cfg, const struct check_apt_sample *s, int64_t now,
		       struct msp_result *root);

/* The reference's line 1: a colon after the state, " |" before the perfdata, no object lines. */
extern const struct msp_nagios_style check_apt_nagios_style;

#endif
