/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * msp_option.h - the typed option table.
 *
 * A plugin lists its options in one table; the same table makes getopt's
 * arguments, --help, the man page and the generated contrib definitions.
 * Most entries are typed: the runner parses the argument and writes it
 * straight into the plugin's config struct at the entry's offset, so a
 * plugin has no switch statement for them.  Only options with real logic
 * keep a callback (type MSP_OPT_CALLBACK, the plugin's p->option).
 *
 *   #define MSP_CFG struct check_users_config
 *   static const struct msp_option options[] = {
 *           MSP_WARN('w', "warning", th, "RANGE", MSP_UNIT_NONE, "WARNING when ..."),
 *           MSP_CRIT('c', "critical", th, "RANGE", MSP_UNIT_NONE, "CRITICAL when ..."),
 *           MSP_PATH(0, "utmp", utmp, "FILE", "Read login records from FILE",
 *                    .def = "/var/run/utmp", .given = MSP_GIVEN(utmp_given)),
 *           MSP_OPTION_END,
 *   };
 *
 * The field named in an entry must have the C type the entry writes (the
 * build fails otherwise): STRING/PATH const char *, BOOL bool, SET/COUNT/
 * CHOICE int, INT long, UINT unsigned, DOUBLE/DURATION/SIZE double,
 * WARN/CRIT struct msp_threshold, STATE enum msp_state, LIST struct
 * msp_list.
 *
 * Rules every option follows (the runner applies them, not the plugin):
 *   - An empty argument ('') to a typed entry is "not given": Debian's
 *     and other command files pass '' for an unset macro.  The entry is
 *     skipped as if it were absent (its default then applies), unless it
 *     has the flag MSP_OPTF_EMPTY_OK ('' is a value: an empty expect
 *     string) or MSP_OPTF_EMPTY_ERROR ("option '-w' is empty", exit 3:
 *     drop-ins whose reference refuses it, and thresholds a check cannot
 *     run without).  A callback entry gets '' as it is and decides.
 *   - .def is the value an option has when it is not given (or given
 *     empty): parsed by the same rules after the command line, shown in
 *     --help as "(default: ...)" and used by the generated definitions.
 *   - .given (MSP_GIVEN(field)) names a bool set when the option was given.
 *   - Positional arguments are an error ("unexpected argument '...'")
 *     unless the plugin names a table entry that takes them
 *     (p->positional).
 *   - A CRIT entry with MSP_OPTF_ORDERED is checked against its WARN: a
 *     warning threshold beyond the critical one (-w 90 -c 80 for an upper
 *     bound, -w 10: -c 20: for a lower bound) is an error naming both.
 */
#ifndef MSP_OPTION_H
#define MSP_OPTION_H

#include <stdbool.h>
#include <stddef.h>

#include "msp_error.h"
#include "msp_num.h"
#include "msp_range.h"
#include "msp_state.h"

enum msp_arg {
	MSP_ARG_NONE = 0,
	MSP_ARG_REQUIRED,
	MSP_ARG_OPTIONAL, /* --opt[=VALUE] / -oVALUE */
};

enum msp_opt_type {
	MSP_OPT_CALLBACK = 0, /* p->option(cfg, id, arg, err): options with real logic */
	MSP_OPT_STRING,       /* const char *: the argument (argv's storage, never freed) */
	MSP_OPT_PATH,         /* const char *: a file or directory name */
	MSP_OPT_BOOL,         /* bool: true; no argument */
	MSP_OPT_SET,          /* int: .value; no argument (-4/-6, --no-x) */
	MSP_OPT_COUNT,        /* int: +1 each time; no argument */
	MSP_OPT_INT,          /* long: a decimal integer in [.min, .max] */
	MSP_OPT_UINT,         /* unsigned: a decimal integer in [.min, .max] */
	MSP_OPT_DOUBLE,       /* double: a number in [.min, .max] */
	MSP_OPT_DURATION,     /* double seconds: "90s" "15m" "2h" "7d" "2w"; bare = seconds */
	MSP_OPT_SIZE,         /* double bytes: "10GB" (1000^3) "10GiB" (1024^3); bare = bytes */
	MSP_OPT_WARN,         /* struct msp_threshold: .warn and .has_warn */
	MSP_OPT_CRIT,         /* struct msp_threshold: .crit and .has_crit */
	MSP_OPT_STATE,        /* enum msp_state: OK, WARNING, CRITICAL, UNKNOWN (any case) or 0..3 */
	MSP_OPT_CHOICE,       /* int: the value of the word in .choices */
	MSP_OPT_LIST,         /* struct msp_list: each use appends (repeatable) */
};

/* Entry flags. */
#define MSP_OPTF_EMPTY_OK 0x1 /* '' is a value, not "not given" */
#define MSP_OPTF_ORDERED 0x2  /* CRIT: a warning beyond this critical threshold is an error */
#define MSP_OPTF_SPLIT 0x4    /* LIST: "a,b,c" adds three items */
#define MSP_OPTF_1024 0x8     /* SIZE, WARN/CRIT with sizes: KB/MB/... are powers of 1024 */
#define MSP_OPTF_EMPTY_ERROR 0x10 /* '' is an error, not "not given" */

/* A word an MSP_OPT_CHOICE option accepts and the int it stores; { NULL, 0 } ends the list. */
struct msp_choice {
	const char *name;
	int value;
};

/* The values of a repeatable option, in command-line order; items[count] is NULL. */
struct msp_list {
	const char **items;
	size_t count;
	char **owned;  /* copies split from "a,b,c" arguments (MSP_OPTF_SPLIT), freed with the list */
	size_t nowned;
};
#define MSP_LIST_MAX 4096 /* more uses of one option is an error */

/* Free a list's arrays and split copies (not the other strings: they are argv's). */
void msp_list_release(struct msp_list *l);

struct msp_option {
	int id;                /* passed to the option callback (MSP_OPT_CALLBACK); >= 0 */
	char short_name;       /* 0 when none */
	const char *long_name; /* NULL when none */
	enum msp_arg arg;
	const char *arg_name;  /* shown in help, e.g. "PERCENT%" */
	const char *help;      /* one or more lines, no trailing newline; NULL hides the option */
	/* typed entries */
	enum msp_opt_type type;
	size_t offset;         /* of the field in the config struct */
	size_t given;          /* offset + 1 of a bool set when given; 0 for none */
	unsigned flags;        /* MSP_OPTF_* */
	/*
	 * The value when not given (NULL: the field stays as it is).  Applied by
	 * the runner to typed entries only; on a callback entry it is shown in
	 * --help and the generated definitions, and the plugin applies it.
	 */
	const char *def;
	double min, max;       /* INT, UINT, DOUBLE, DURATION, SIZE: bounds (both 0: none beyond the type's) */
	unsigned units;        /* WARN/CRIT: unit families the numbers may carry (enum msp_unit mask) */
	double scale;          /* WARN/CRIT: what a bare number is multiplied by (0: 1) */
	int value;             /* SET: the value stored */
	const struct msp_choice *choices; /* CHOICE */
	/*
	 * Generated Icinga 2 definitions: the custom variable ("users_wgreater";
	 * NULL: <name>_<long option>), or with '$' in it the value template
	 * itself ("$load_wload1$,$load_wload5$,$load_wload15$").
	 */
	const char *var;
};

/* The end of an option table. */
#define MSP_OPTION_END { 0, 0, NULL, MSP_ARG_NONE, NULL, NULL }

/* ------------------------------------------------------- entry macros */

/* 0 when field f of MSP_CFG has type t; a negative array size (a build error) otherwise. */
#define MSP_OPT_TYPECHECK(f, t) \
	(0 * sizeof(char[__builtin_types_compatible_p(__typeof__(((MSP_CFG *)0)->f), t) ? 1 : -1]))
#define MSP_OPT_FIELD(f, t) (offsetof(MSP_CFG, f) + MSP_OPT_TYPECHECK(f, t))
/* .given = MSP_GIVEN(field): a bool in MSP_CFG set when the option is given. */
#define MSP_GIVEN(f) (MSP_OPT_FIELD(f, bool) + 1)

#define MSP_OPT_TYPED_(s, l, t, a, an, h, off, ...)                                                         \
	{ .short_name = (s), .long_name = (l), .arg = (a), .arg_name = (an), .help = (h), .type = (t),        \
	  .offset = (off), __VA_ARGS__ }

/* An option handled by the plugin's callback (real logic): id, short, long, argument kind, name, help. */
#define MSP_CALLBACK(i, s, l, a, an, h, ...) \
	{ .id = (i), .short_name = (s), .long_name = (l), .arg = (a), .arg_name = (an), .help = (h), __VA_ARGS__ }
#define MSP_STRING(s, l, f, an, h, ...) \
	MSP_OPT_TYPED_(s, l, MSP_OPT_STRING, MSP_ARG_REQUIRED, an, h, MSP_OPT_FIELD(f, const char *), __VA_ARGS__)
#define MSP_PATH(s, l, f, an, h, ...) \
	MSP_OPT_TYPED_(s, l, MSP_OPT_PATH, MSP_ARG_REQUIRED, an, h, MSP_OPT_FIELD(f, const char *), __VA_ARGS__)
#define MSP_BOOL(s, l, f, h, ...) \
	MSP_OPT_TYPED_(s, l, MSP_OPT_BOOL, MSP_ARG_NONE, NULL, h, MSP_OPT_FIELD(f, bool), __VA_ARGS__)
#define MSP_SET(s, l, f, v, h, ...) \
	MSP_OPT_TYPED_(s, l, MSP_OPT_SET, MSP_ARG_NONE, NULL, h, MSP_OPT_FIELD(f, int), .value = (v), __VA_ARGS__)
#define MSP_COUNT(s, l, f, h, ...) \
	MSP_OPT_TYPED_(s, l, MSP_OPT_COUNT, MSP_ARG_NONE, NULL, h, MSP_OPT_FIELD(f, int), __VA_ARGS__)
#define MSP_INT(s, l, f, an, lo, hi, h, ...)                                                                  \
	MSP_OPT_TYPED_(s, l, MSP_OPT_INT, MSP_ARG_REQUIRED, an, h, MSP_OPT_FIELD(f, long), .min = (lo), .max = (hi), \
		       __VA_ARGS__)
#define MSP_UINT(s, l, f, an, lo, hi, h, ...)                                                      \
	MSP_OPT_TYPED_(s, l, MSP_OPT_UINT, MSP_ARG_REQUIRED, an, h, MSP_OPT_FIELD(f, unsigned), .min = (lo), \
		       .max = (hi), __VA_ARGS__)
#define MSP_DOUBLE(s, l, f, an, lo, hi, h, ...)                                                    \
	MSP_OPT_TYPED_(s, l, MSP_OPT_DOUBLE, MSP_ARG_REQUIRED, an, h, MSP_OPT_FIELD(f, double), .min = (lo), \
		       .max = (hi), __VA_ARGS__)
#define MSP_DURATION(s, l, f, an, h, ...) \
	MSP_OPT_TYPED_(s, l, MSP_OPT_DURATION, MSP_ARG_REQUIRED, an, h, MSP_OPT_FIELD(f, double), __VA_ARGS__)
#define MSP_SIZE(s, l, f, an, h, ...) \
	MSP_OPT_TYPED_(s, l, MSP_OPT_SIZE, MSP_ARG_REQUIRED, an, h, MSP_OPT_FIELD(f, double), __VA_ARGS__)
#define MSP_WARN(s, l, f, an, u, h, ...)                                                                       \
	MSP_OPT_TYPED_(s, l, MSP_OPT_WARN, MSP_ARG_REQUIRED, an, h, MSP_OPT_FIELD(f, struct msp_threshold), .units = (u), \
		       __VA_ARGS__)
#define MSP_CRIT(s, l, f, an, u, h, ...)                                                                       \
	MSP_OPT_TYPED_(s, l, MSP_OPT_CRIT, MSP_ARG_REQUIRED, an, h, MSP_OPT_FIELD(f, struct msp_threshold), .units = (u), \
		       __VA_ARGS__)
#define MSP_STATE(s, l, f, an, h, ...) \
	MSP_OPT_TYPED_(s, l, MSP_OPT_STATE, MSP_ARG_REQUIRED, an, h, MSP_OPT_FIELD(f, enum msp_state), __VA_ARGS__)
#define MSP_CHOICE(s, l, f, an, ch, h, ...)                                                                  \
	MSP_OPT_TYPED_(s, l, MSP_OPT_CHOICE, MSP_ARG_REQUIRED, an, h, MSP_OPT_FIELD(f, int), .choices = (ch), \
		       __VA_ARGS__)
#define MSP_LIST(s, l, f, an, h, ...) \
	MSP_OPT_TYPED_(s, l, MSP_OPT_LIST, MSP_ARG_REQUIRED, an, h, MSP_OPT_FIELD(f, struct msp_list), __VA_ARGS__)

/* ------------------------------------------------------------ parsing */

/*
 * Apply one typed entry to cfg with arg (NULL for options without a
 * value).  The empty-argument rule is the caller's (msp_option_apply does
 * parse ''); MSP_OPT_CALLBACK entries are not handled here (MSP_EINVAL).
 * 0, or MSP_EINVAL / MSP_ETOOBIG / MSP_ENOMEM with a message naming the
 * option and the value.
 */
int msp_option_apply(const struct msp_option *o, void *cfg, const char *arg, struct msp_error *err);

/* "-w", "--warning" or "-w/--warning" style name of o for messages, into buf; returns buf. */
const char *msp_option_name(const struct msp_option *o, char *buf, size_t len);

/*
 * Check that warn is not beyond crit (see MSP_OPTF_ORDERED): both plain
 * upper bounds ("N" or "0:N"/"~:N") need warn <= crit; both plain lower
 * bounds ("N:") need warn >= crit; other shapes are not compared.  wname
 * and cname name the options in the message.  0 or MSP_EINVAL.
 */
int msp_threshold_check_order(const struct msp_threshold *t, const char *wname, const char *cname,
			      struct msp_error *err);

/*
 * The same rule for thresholds a plugin keeps as plain numbers: when
 * higher_is_worse (upper bounds) w <= c is needed, otherwise (lower bounds)
 * w >= c.  wname/wtext and cname/ctext name the options and quote the values
 * as given, for the message msp_threshold_check_order() writes.  0 or
 * MSP_EINVAL.
 */
int msp_check_order_values(double w, double c, bool higher_is_worse, const char *wname, const char *wtext,
			   const char *cname, const char *ctext, struct msp_error *err);

#endif
