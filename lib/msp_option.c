/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * msp_option.c - the typed option table and the runner's argument parsing
 * (see msp_option.h and msp_plugin.h): standard options, getopt_long built
 * from the table, typed entries written into the config, defaults, the
 * empty-argument rule, positional arguments and the threshold order check.
 * Nothing here prints or exits: msp_parse() reports what it found and the
 * runner (msp_plugin.c) acts on it, so tests drive the real parser.
 */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "msp_buf.h"
#include "msp_extraopts.h"
#include "msp_num.h"
#include "msp_plugin.h"
#include "msp_runtime.h"
#include "msp_time.h"
#include "banned.h"

/* Standard option ids live below the plugin's (which are >= 0). */
enum {
	STD_HELP = -100,
	STD_VERSION,
	STD_VERBOSE,
	STD_TIMEOUT,
	STD_TIMEOUT_RESULT,
	STD_OUTPUT_FORMAT,
	STD_EXTRA_OPTS,
	STD_USAGE,
	STD_HELP_MAN,
	STD_PROM_LABEL,
};

const struct msp_option msp_std_options[] = {
	{ STD_HELP, 'h', "help", MSP_ARG_NONE, NULL, "Print this help and exit (state UNKNOWN, as the guidelines ask)" },
	{ STD_VERSION, 'V', "version", MSP_ARG_NONE, NULL, "Print the version and exit" },
	{ STD_VERBOSE, 'v', "verbose", MSP_ARG_NONE, NULL, "Explain what is done on stderr (repeat for more)" },
	{ STD_TIMEOUT, 't', "timeout", MSP_ARG_REQUIRED, "SECONDS[:STATE]",
	  "End after SECONDS (1..86400) with STATE (default: see below)" },
	{ STD_TIMEOUT_RESULT, 0, "timeout-result", MSP_ARG_REQUIRED, "STATE",
	  "State to report on timeout: OK, WARNING, CRITICAL or UNKNOWN" },
	{ STD_OUTPUT_FORMAT, 0, "output-format", MSP_ARG_REQUIRED, "FORMAT",
	  "nagios (default), multi-line, json, prometheus or table" },
	{ STD_EXTRA_OPTS, 0, "extra-opts", MSP_ARG_OPTIONAL, "[SECTION][@FILE]",
	  "Read options from an ini file (monitoring-plugins compatible)" },
	{ STD_PROM_LABEL, 0, "prometheus-label", MSP_ARG_REQUIRED, "NAME=VALUE",
	  "Label every prometheus sample NAME=\"VALUE\" (repeatable) instead of\n"
	  "args=\"HASH\", a hash of the command line that keeps apart the outputs\n"
	  "of different runs in one node_exporter textfile directory" },
	{ STD_USAGE, 0, "usage", MSP_ARG_NONE, NULL, NULL },
	/* The manual page, generated at build time from the same table as --help. */
	{ STD_HELP_MAN, 0, "help-man", MSP_ARG_NONE, NULL, NULL },
	MSP_OPTION_END,
};

static bool is_end(const struct msp_option *o)
{
	return !o->short_name && !o->long_name;
}

bool msp_plugin_has_short(const struct msp_plugin *p, char c)
{
	for (const struct msp_option *o = p->options; o && !is_end(o); o++)
		if (o->short_name == c)
			return true;
	return false;
}

bool msp_plugin_has_long(const struct msp_plugin *p, const char *name)
{
	for (const struct msp_option *o = p->options; o && !is_end(o); o++)
		if (o->long_name && strcmp(o->long_name, name) == 0)
			return true;
	return false;
}

/* ------------------------------------------------------- typed entries */

void msp_list_release(struct msp_list *l)
{
	if (!l)
		return;
	free(l->items);
	l->items = NULL;
	l->count = 0;
}

const char *msp_option_name(const struct msp_option *o, char *buf, size_t len)
{
	if (o->long_name)
		snprintf(buf, len, "--%s", o->long_name);
	else if (o->short_name)
		snprintf(buf, len, "-%c", o->short_name);
	else
		snprintf(buf, len, "%s", o->arg_name ? o->arg_name : "argument");
	return buf;
}

static int list_add(struct msp_list *l, const char *item, const char *name, struct msp_error *err)
{
	const char **n;

	if (l->count >= MSP_LIST_MAX)
		return msp_error_set(err, MSP_ETOOBIG, "%s given more than %d times", name, MSP_LIST_MAX);
	n = realloc(l->items, (l->count + 2) * sizeof(*n));
	if (!n)
		return msp_error_set(err, MSP_ENOMEM, "out of memory");
	n[l->count++] = item;
	n[l->count] = NULL;
	l->items = n;
	return 0;
}

/* Each comma-separated item of arg (empty items skipped); the pieces are kept for the process. */
static int list_split(struct msp_list *l, const char *arg, const char *name, struct msp_error *err)
{
	char *copy = strdup(arg), *save = NULL;
	int r = 0;

	if (!copy)
		return msp_error_set(err, MSP_ENOMEM, "out of memory");
	for (char *t = strtok_r(copy, ",", &save); t && r == 0; t = strtok_r(NULL, ",", &save))
		r = list_add(l, t, name, err);
	/* copy is owned by the items now (freed with the process); an empty list owns nothing */
	if (l->count == 0)
		free(copy);
	return r;
}

static bool has_bounds(const struct msp_option *o)
{
	return o->min != 0 || o->max != 0;
}

static int bounds_error(const struct msp_option *o, const char *name, const char *arg, const char *what,
			struct msp_error *err)
{
	char lo[MSP_NUM_FORMAT_MAX], hi[MSP_NUM_FORMAT_MAX];

	if (has_bounds(o))
		return msp_error_set(err, MSP_EINVAL, "%s '%.60s' is not %s from %s to %s", name, arg, what,
				     msp_num_format(o->min, 6, lo, sizeof(lo)), msp_num_format(o->max, 6, hi, sizeof(hi)));
	return msp_error_set(err, MSP_EINVAL, "%s '%.60s' is not %s", name, arg, what);
}

static int apply_integer(const struct msp_option *o, void *field, const char *arg, const char *name,
			 struct msp_error *err)
{
	double lo = has_bounds(o) ? o->min : o->type == MSP_OPT_UINT ? 0 : (double)INT32_MIN;
	double hi = has_bounds(o) ? o->max : o->type == MSP_OPT_UINT ? (double)UINT32_MAX : (double)INT32_MAX;
	int64_t v;

	if (msp_num_int64(arg, (int64_t)lo, (int64_t)hi, &v) < 0)
		return bounds_error(o, name, arg, "a whole number", err);
	if (o->type == MSP_OPT_UINT)
		*(unsigned *)field = (unsigned)v;
	else
		*(long *)field = (long)v;
	return 0;
}

static int apply_number(const struct msp_option *o, void *field, const char *arg, const char *name,
			struct msp_error *err)
{
	struct msp_error e;
	double v;
	int r;

	msp_error_init(&e);
	if (o->type == MSP_OPT_DURATION)
		r = msp_num_duration(arg, &v, &e);
	else if (o->type == MSP_OPT_SIZE)
		r = msp_num_value(arg, MSP_UNIT_SIZE | ((o->flags & MSP_OPTF_1024) ? MSP_NUM_SIZE_1024 : 0), 1, &v, NULL,
				  &e);
	else
		r = msp_num_double(arg, &v);
	if (r < 0 || !isfinite(v) || (o->type != MSP_OPT_DOUBLE && v < 0))
		return bounds_error(o, name, arg,
				    o->type == MSP_OPT_DURATION ? "a duration (90s, 15m, 2h, 7d)"
				    : o->type == MSP_OPT_SIZE   ? "a size (500MB, 2GiB)"
								: "a number",
				    err);
	if (has_bounds(o) && (v < o->min || v > o->max))
		return bounds_error(o, name, arg, o->type == MSP_OPT_DURATION ? "a duration" : "a number", err);
	*(double *)field = v;
	return 0;
}

static int apply_threshold(const struct msp_option *o, struct msp_threshold *t, const char *arg, const char *name,
			   struct msp_error *err)
{
	struct msp_error e;
	unsigned units = o->units | ((o->flags & MSP_OPTF_1024) ? MSP_NUM_SIZE_1024 : 0);
	struct msp_range *r = o->type == MSP_OPT_WARN ? &t->warn : &t->crit;

	msp_error_init(&e);
	if (msp_range_parse(arg, units, o->scale, r, &e) < 0)
		return msp_error_set(err, MSP_EINVAL, "%s: %s", name, e.msg);
	if (o->type == MSP_OPT_WARN)
		t->has_warn = true;
	else
		t->has_crit = true;
	return 0;
}

static int apply_choice(const struct msp_option *o, int *field, const char *arg, const char *name,
			struct msp_error *err)
{
	struct msp_buf words;

	for (const struct msp_choice *c = o->choices; c && c->name; c++) {
		if (strcasecmp(c->name, arg) == 0) {
			*field = c->value;
			return 0;
		}
	}
	msp_buf_init(&words, 400);
	for (const struct msp_choice *c = o->choices; c && c->name; c++)
		msp_buf_addf(&words, "%s%s", c != o->choices ? (c[1].name ? ", " : " or ") : "", c->name);
	msp_error_set(err, MSP_EINVAL, "%s '%.60s' is not %s", name, arg, msp_buf_str(&words));
	msp_buf_release(&words);
	return MSP_EINVAL;
}

int msp_option_apply(const struct msp_option *o, void *cfg, const char *arg, struct msp_error *err)
{
	char *field = (char *)cfg + o->offset;
	char name[80];
	enum msp_state st;
	int r = 0;

	msp_option_name(o, name, sizeof(name));
	if (o->arg == MSP_ARG_REQUIRED && !arg)
		return msp_error_set(err, MSP_EINVAL, "option '%s' needs a value", name);
	switch (o->type) {
	case MSP_OPT_CALLBACK:
		return msp_error_set(err, MSP_EINVAL, "internal error: '%s' is handled by the plugin", name);
	case MSP_OPT_STRING:
	case MSP_OPT_PATH:
		*(const char **)field = arg;
		break;
	case MSP_OPT_BOOL:
		*(bool *)field = true;
		break;
	case MSP_OPT_SET:
		*(int *)field = o->value;
		break;
	case MSP_OPT_COUNT:
		++*(int *)field;
		break;
	case MSP_OPT_INT:
	case MSP_OPT_UINT:
		r = apply_integer(o, field, arg, name, err);
		break;
	case MSP_OPT_DOUBLE:
	case MSP_OPT_DURATION:
	case MSP_OPT_SIZE:
		r = apply_number(o, field, arg, name, err);
		break;
	case MSP_OPT_WARN:
	case MSP_OPT_CRIT:
		r = apply_threshold(o, (struct msp_threshold *)(void *)field, arg, name, err);
		break;
	case MSP_OPT_STATE:
		if (msp_state_parse(arg, &st) < 0)
			return msp_error_set(err, MSP_EINVAL, "%s '%.60s' is not OK, WARNING, CRITICAL or UNKNOWN", name,
					     arg);
		*(enum msp_state *)(void *)field = st;
		break;
	case MSP_OPT_CHOICE:
		r = apply_choice(o, (int *)(void *)field, arg, name, err);
		break;
	case MSP_OPT_LIST:
		if (o->flags & MSP_OPTF_SPLIT)
			r = list_split((struct msp_list *)(void *)field, arg, name, err);
		else
			r = list_add((struct msp_list *)(void *)field, arg, name, err);
		break;
	}
	if (r == 0 && o->given)
		*(bool *)((char *)cfg + o->given - 1) = true;
	return r;
}

/* The end of a plain upper bound ("N", "0:N", "~:N"), or NAN. */
static double upper_end(const struct msp_range *r)
{
	if (r->inside || r->end_inf || !(r->start_inf || r->start == 0))
		return NAN;
	return r->end;
}

/* The start of a plain lower bound ("N:"), or NAN. */
static double lower_start(const struct msp_range *r)
{
	if (r->inside || !r->end_inf || r->start_inf)
		return NAN;
	return r->start;
}

int msp_threshold_check_order(const struct msp_threshold *t, const char *wname, const char *cname,
			      struct msp_error *err)
{
	char w[MSP_RANGE_FORMAT_MAX], c[MSP_RANGE_FORMAT_MAX];
	double wu, cu, wl, cl;

	if (!t->has_warn || !t->has_crit)
		return 0;
	wu = upper_end(&t->warn);
	cu = upper_end(&t->crit);
	wl = lower_start(&t->warn);
	cl = lower_start(&t->crit);
	if ((!isnan(wu) && !isnan(cu) && wu > cu) || (!isnan(wl) && !isnan(cl) && wl < cl))
		return msp_error_set(err, MSP_EINVAL, "warning threshold %s '%s' is beyond critical threshold %s '%s'",
				     wname, msp_range_format(&t->warn, 1, w, sizeof(w)), cname,
				     msp_range_format(&t->crit, 1, c, sizeof(c)));
	return 0;
}

/* ---------------------------------------------------- standard options */

int msp_timeout_parse(const char *arg, unsigned *ret_secs, bool *ret_has_state, enum msp_state *ret_state,
		      struct msp_error *err)
{
	char num[32];
	const char *colon;
	uint64_t secs;
	enum msp_state st = MSP_STATE_UNKNOWN;

	if (!arg || !*arg)
		return msp_error_set(err, MSP_EINVAL, "timeout is empty");
	colon = strchr(arg, ':');
	if ((colon ? (size_t)(colon - arg) : strlen(arg)) >= sizeof(num))
		return msp_error_set(err, MSP_EINVAL, "timeout '%.40s' is not a number of seconds", arg);
	snprintf(num, sizeof(num), "%.*s", (int)(colon ? colon - arg : (ptrdiff_t)strlen(arg)), arg);
	if (msp_num_uint64(num, 86400, &secs) < 0 || secs == 0)
		return msp_error_set(err, MSP_EINVAL, "timeout '%.40s' is not a number of seconds from 1 to 86400", arg);
	if (colon && msp_state_parse(colon + 1, &st) < 0)
		return msp_error_set(err, MSP_EINVAL, "timeout state '%.40s' is not OK, WARNING, CRITICAL or UNKNOWN",
				     colon + 1);
	*ret_secs = (unsigned)secs;
	*ret_has_state = colon != NULL;
	*ret_state = st;
	return 0;
}

/* ------------------------------------------------------------- getopt */

struct optmap {
	struct option *longs;
	size_t nlong;
	char shorts[256];
	const struct msp_option *by_short[256];
	const struct msp_option **by_long;
};

static int optmap_add(struct optmap *m, const struct msp_option *o, bool std, const struct msp_plugin *p)
{
	if (o->short_name && !(std && msp_plugin_has_short(p, o->short_name))) {
		size_t n = strlen(m->shorts);

		/* Cannot happen with one option per character; refuse rather than drop an option. */
		if (n + 4 > sizeof(m->shorts))
			return MSP_ETOOBIG;
		m->shorts[n++] = o->short_name;
		if (o->arg == MSP_ARG_REQUIRED)
			m->shorts[n++] = ':';
		else if (o->arg == MSP_ARG_OPTIONAL) {
			m->shorts[n++] = ':';
			m->shorts[n++] = ':';
		}
		m->shorts[n] = '\0';
		m->by_short[(unsigned char)o->short_name] = o;
	}
	if (o->long_name && !(std && msp_plugin_has_long(p, o->long_name))) {
		struct option *l = &m->longs[m->nlong];

		l->name = o->long_name;
		l->has_arg = o->arg == MSP_ARG_NONE ? no_argument
			     : o->arg == MSP_ARG_REQUIRED ? required_argument
							  : optional_argument;
		l->flag = NULL;
		l->val = 1000 + (int)m->nlong;
		m->by_long[m->nlong] = o;
		m->nlong++;
	}
	return 0;
}

static void optmap_free(struct optmap *m)
{
	free(m->longs);
	free(m->by_long);
}

static int optmap_build(struct optmap *m, const struct msp_plugin *p, struct msp_error *err)
{
	size_t n = 0;

	for (const struct msp_option *o = p->options; o && !is_end(o); o++)
		n++;
	n += sizeof(msp_std_options) / sizeof(msp_std_options[0]);
	memset(m, 0, sizeof(*m));
	m->longs = calloc(n + 1, sizeof(*m->longs));
	m->by_long = calloc(n + 1, sizeof(*m->by_long));
	if (!m->longs || !m->by_long)
		return msp_error_set(err, MSP_ENOMEM, "out of memory");
	m->shorts[0] = ':';
	m->shorts[1] = '\0';
	for (const struct msp_option *o = p->options; o && !is_end(o); o++)
		if (optmap_add(m, o, false, p) < 0)
			return msp_error_set(err, MSP_ETOOBIG, "internal error: cannot build the option table");
	for (const struct msp_option *o = msp_std_options; !is_end(o); o++)
		if (optmap_add(m, o, true, p) < 0)
			return msp_error_set(err, MSP_ETOOBIG, "internal error: cannot build the option table");
	return 0;
}

/* ------------------------------------------------- prometheus labels */

/* Make labels (exposition text) the prometheus labels of every sample, the signal handlers' too. */
static void set_prom_labels(const char *labels)
{
	sigset_t all, old;

	sigfillset(&all);
	sigprocmask(SIG_BLOCK, &all, &old);
	snprintf(msp_g_prom_labels, sizeof(msp_g_prom_labels), "%s", labels);
	sigprocmask(SIG_SETMASK, &old, NULL);
}

/*
 * The default prometheus label: args="HASH", 64-bit FNV-1a of the
 * arguments as given (argv[1..], each with its NUL), so two runs with other
 * arguments write different samples and the same command line always the
 * same series.
 */
static void set_prom_default_labels(int argc, char **argv)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	char text[64];

	for (int i = 1; i < argc; i++)
		for (const unsigned char *c = (const unsigned char *)argv[i];; c++) {
			h = (h ^ *c) * 0x100000001b3ULL;
			if (!*c)
				break;
		}
	snprintf(text, sizeof(text), "args=\"%016llx\"", (unsigned long long)h);
	set_prom_labels(text);
}

/* --prometheus-label=NAME=VALUE: 0 or MSP_EINVAL/MSP_ETOOBIG with a message. */
static int add_prom_label(struct msp_run *run, const char *arg, struct msp_error *err)
{
	const char *eq = arg ? strchr(arg, '=') : NULL;
	char name[128];
	int r;

	if (!eq)
		return msp_error_set(err, MSP_EINVAL, "prometheus label '%.60s' is not NAME=VALUE", arg ? arg : "");
	if ((size_t)(eq - arg) >= sizeof(name))
		return msp_error_set(err, MSP_EINVAL, "prometheus label name '%.60s...' is too long", arg);
	snprintf(name, sizeof(name), "%.*s", (int)(eq - arg), arg);
	r = msp_prom_label_add(&run->prom_labels, name, eq + 1, err);
	if (r == MSP_ETOOBIG)
		return msp_error_set(err, r, "prometheus labels longer than %d bytes", MSP_PROM_LABELS_MAX - 1);
	if (r < 0)
		return r;
	set_prom_labels(msp_buf_str(&run->prom_labels));
	return 0;
}

/* ------------------------------------------------------------ prescan */

void msp_run_init(const struct msp_plugin *p, struct msp_run *run)
{
	memset(run, 0, sizeof(*run));
	if (msp_g_start == 0) /* outside msp_main (tests): the deadline counts from here */
		msp_g_start = msp_time_mono();
	run->fmt = MSP_FORMAT_NAGIOS;
	run->timeout = p->timeout ? p->timeout : 10;
	run->timeout_state = p->timeout_state;
	msp_buf_init(&run->prom_labels, MSP_PROM_LABELS_MAX - 1);
}

void msp_run_release(struct msp_run *run)
{
	msp_buf_release(&run->prom_labels);
	msp_extraopts_free(run->argv);
	run->argv = NULL;
	run->argc = 0;
}

void msp_prescan(const struct msp_plugin *p, int argc, char **argv, struct msp_run *run)
{
	bool has_state;
	enum msp_state st;
	unsigned secs;

	set_prom_default_labels(argc, argv);
	for (int i = 1; i < argc; i++) {
		const char *v = NULL;

		/* --output-format first, so usage errors come out in the asked format */
		if (strncmp(argv[i], "--output-format=", 16) == 0)
			msp_format_parse(argv[i] + 16, &run->fmt);
		else if (strcmp(argv[i], "--output-format") == 0 && i + 1 < argc)
			msp_format_parse(argv[i + 1], &run->fmt);
		if (strcmp(argv[i], "--") == 0)
			break;
		/* -t, so the deadline is the asked one while the options before it are parsed */
		if (!msp_plugin_has_short(p, 't') && strcmp(argv[i], "-t") == 0 && i + 1 < argc)
			v = argv[i + 1];
		else if (!msp_plugin_has_short(p, 't') && strncmp(argv[i], "-t", 2) == 0 && argv[i][2])
			v = argv[i] + 2;
		else if (!msp_plugin_has_long(p, "timeout") && strncmp(argv[i], "--timeout=", 10) == 0)
			v = argv[i] + 10;
		else if (!msp_plugin_has_long(p, "timeout") && strcmp(argv[i], "--timeout") == 0 && i + 1 < argc)
			v = argv[i + 1];
		if (v && msp_timeout_parse(v, &secs, &has_state, &st, NULL) == 0) {
			run->timeout = secs;
			if (has_state)
				run->timeout_state = st;
		}
	}
	msp_g_format = run->fmt;
	msp_g_timeout_state = run->timeout_state;
}

/* ------------------------------------------------------------ parsing */

/* Handle a standard option; returns 0 or MSP_EINVAL with a message. */
static int std_option(int id, const char *arg, struct msp_run *run, struct msp_error *err)
{
	bool has_state;
	enum msp_state st;

	switch (id) {
	case STD_HELP:
	case STD_USAGE:
		run->action = MSP_RUN_HELP;
		return 0;
	case STD_HELP_MAN:
		run->action = MSP_RUN_MAN;
		return 0;
	case STD_VERSION:
		run->action = MSP_RUN_VERSION;
		return 0;
	case STD_VERBOSE:
		run->verbose++;
		return 0;
	case STD_TIMEOUT:
		if (msp_timeout_parse(arg, &run->timeout, &has_state, &st, err) < 0)
			return MSP_EINVAL;
		if (has_state) {
			run->timeout_state = st;
			run->timeout_state_set = true;
		}
		if (run->live) { /* from the start, for the options still to come (-t from an ini file) */
			msp_g_timeout_state = run->timeout_state;
			msp_rt_arm_deadline(run->timeout);
		}
		return 0;
	case STD_TIMEOUT_RESULT:
		if (msp_state_parse(arg, &st) < 0)
			return msp_error_set(err, MSP_EINVAL, "timeout state '%.40s' is not OK, WARNING, CRITICAL or UNKNOWN",
					     arg ? arg : "");
		run->timeout_state = st;
		run->timeout_state_set = true;
		if (run->live)
			msp_g_timeout_state = st;
		return 0;
	case STD_OUTPUT_FORMAT:
		if (msp_format_parse(arg, &run->fmt) < 0)
			return msp_error_set(err, MSP_EINVAL,
					     "output format '%.40s' is not nagios, multi-line, json, prometheus or table",
					     arg ? arg : "");
		run->fmt_set = true;
		msp_g_format = run->fmt;
		return 0;
	case STD_EXTRA_OPTS:
		return 0; /* expanded before parsing */
	case STD_PROM_LABEL:
		return add_prom_label(run, arg, err);
	default:
		break;
	}
	return msp_error_set(err, MSP_EINVAL, "internal error: unknown standard option");
}

static bool is_std(const struct msp_option *o)
{
	return o->id <= STD_HELP + 20 && o->id >= STD_HELP;
}

/* Index of o in the plugin's table, or -1 (a standard option or the positional entry). */
static long table_index(const struct msp_plugin *p, const struct msp_option *o)
{
	for (const struct msp_option *t = p->options; t && !is_end(t); t++)
		if (t == o)
			return t - p->options;
	return -1;
}

/* One plugin option with its argument: the empty-argument rule, then typed or callback. */
static int plugin_option(const struct msp_plugin *p, void *cfg, const struct msp_option *o, const char *arg,
			 bool *given, struct msp_error *err)
{
	long i = table_index(p, o);
	char name[80];

	if (o->type != MSP_OPT_CALLBACK && arg && !*arg && !(o->flags & MSP_OPTF_EMPTY_OK)) {
		if (o->flags & MSP_OPTF_EMPTY_ERROR)
			return msp_error_set(err, MSP_EINVAL, "option '%s' is empty", msp_option_name(o, name, sizeof(name)));
		return 0; /* Debian's and other command files pass '' for an unset macro: not given */
	}
	if (i >= 0 && given)
		given[i] = true;
	if (o->type != MSP_OPT_CALLBACK)
		return msp_option_apply(o, cfg, arg, err);
	if (!p->option)
		return msp_error_set(err, MSP_EINVAL, "internal error: no option callback");
	return p->option(cfg, o->id, arg, err);
}

/* getopt's complaint about argv as a message. */
static int getopt_error(int c, int argc, char **argv, struct msp_error *err)
{
	const char *bad = optind > 0 && optind <= argc ? argv[optind - 1] : "?";

	/* getopt_long puts a long option's val (>= 1000 here) into optopt: name it from argv then. */
	if (c == ':' && optopt > 0 && optopt < 1000)
		return msp_error_set(err, MSP_EINVAL, "option '-%c' needs a value", (char)optopt);
	if (c == ':')
		return msp_error_set(err, MSP_EINVAL, "option '%.60s' needs a value", bad);
	if (optopt >= 1000)
		return msp_error_set(err, MSP_EINVAL, "option '%.60s' does not take a value", bad);
	if (optopt)
		return msp_error_set(err, MSP_EINVAL, "unknown option '-%c'", optopt);
	return msp_error_set(err, MSP_EINVAL, "unknown option '%.60s'", bad);
}

static int parse_options(const struct msp_plugin *p, void *cfg, struct msp_run *run, bool *given,
			 struct msp_error *err)
{
	struct optmap m;
	int c, r = 0;

	if ((r = optmap_build(&m, p, err)) < 0) {
		optmap_free(&m);
		return r;
	}
	opterr = 0;
	optind = 0; /* 0: glibc re-initialises, so a second parse (tests) starts clean */
	while (r == 0 && run->action == MSP_RUN_CHECK) {
		int li = -1;
		const struct msp_option *o;

		c = getopt_long(run->argc, run->argv, m.shorts, m.longs, &li);
		if (c == -1)
			break;
		if (c == '?' || c == ':') {
			r = getopt_error(c, run->argc, run->argv, err);
			break;
		}
		o = c >= 1000 ? m.by_long[c - 1000] : m.by_short[(unsigned char)c];
		if (is_std(o))
			r = std_option(o->id, optarg, run, err);
		else
			r = plugin_option(p, cfg, o, optarg, given, err);
	}
	run->optind = optind;
	optmap_free(&m);
	return r;
}

static int parse_positionals(const struct msp_plugin *p, void *cfg, struct msp_run *run, struct msp_error *err)
{
	for (int i = run->optind; i < run->argc; i++) {
		int r;

		if (run->argv[i][0] == '\0')
			continue; /* Debian command files pass '' for unset macros */
		if (!p->positional)
			return msp_error_set(err, MSP_EINVAL, "unexpected argument '%.60s'%s%s", run->argv[i],
					     p->positional_hint ? ": " : "", p->positional_hint ? p->positional_hint : "");
		r = plugin_option(p, cfg, p->positional, run->argv[i], NULL, err);
		if (r < 0)
			return r;
	}
	return 0;
}

/* Defaults for what was not given, then the warning/critical order of MSP_OPTF_ORDERED pairs. */
static int apply_defaults(const struct msp_plugin *p, void *cfg, const bool *given, struct msp_error *err)
{
	long n = 0;

	for (const struct msp_option *o = p->options; o && !is_end(o); o++, n++) {
		if (o->def && !given[n] && o->type != MSP_OPT_CALLBACK) {
			int r = msp_option_apply(o, cfg, o->def, err);

			if (r < 0)
				return r;
			if (o->given) /* a default is not "given" */
				*(bool *)((char *)cfg + o->given - 1) = false;
		}
	}
	for (const struct msp_option *o = p->options; o && !is_end(o); o++) {
		if (o->type == MSP_OPT_CRIT && (o->flags & MSP_OPTF_ORDERED)) {
			char cname[80], wname[80] = "-w";

			for (const struct msp_option *w = p->options; !is_end(w); w++)
				if (w->type == MSP_OPT_WARN && w->offset == o->offset)
					msp_option_name(w, wname, sizeof(wname));
			if (msp_threshold_check_order((const struct msp_threshold *)(const void *)((const char *)cfg +
												  o->offset),
						      wname, msp_option_name(o, cname, sizeof(cname)), err) < 0)
				return MSP_EINVAL;
		}
	}
	return 0;
}

int msp_parse(const struct msp_plugin *p, void *cfg, int argc, char **argv, struct msp_run *run,
	      struct msp_error *err)
{
	size_t n = 0;
	bool *given;
	int r;

	if (!run->argv && msp_extraopts_expand(argc, argv, p->name, &run->argc, &run->argv, err) < 0) {
		run->not_usage = true;
		return MSP_EINVAL;
	}
	for (const struct msp_option *o = p->options; o && !is_end(o); o++)
		n++;
	given = calloc(n + 1, sizeof(*given));
	if (!given)
		return msp_error_set(err, MSP_ENOMEM, "out of memory");
	r = parse_options(p, cfg, run, given, err);
	if (r == 0 && run->action == MSP_RUN_CHECK)
		r = parse_positionals(p, cfg, run, err);
	if (r == 0 && run->action == MSP_RUN_CHECK)
		r = apply_defaults(p, cfg, given, err);
	free(given);
	if (r < 0 && !err->msg[0])
		msp_error_set(err, r, "invalid argument");
	return r < 0 ? r : 0;
}
