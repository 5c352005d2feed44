/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * check_procs - count processes, or judge each one's size, CPU or age
 * (drop-in for monitoring-plugins check_procs).
 *
 * probe: check_procs_collect() walks /proc through msp_proc, reading each
 *        process's status and cmdline only when a filter needs them
 * match: check_procs_match()     evaluate: check_procs_evaluate()
 */
#include <errno.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check_procs.h"

enum {
	OPT_WARN,
	OPT_CRIT,
	OPT_METRIC,
	OPT_STATE,
	OPT_PPID,
	OPT_VSZ,
	OPT_RSS,
	OPT_PCPU,
	OPT_USER,
	OPT_ARGS,
	OPT_EREG,
	OPT_COMMAND,
	OPT_EXCLUDE,
	OPT_NOKTHREADS,
	OPT_TRADITIONAL,
	OPT_PROC_ROOT,
};

static const struct msp_option options[] = {
	{ OPT_WARN, 'w', "warning", MSP_ARG_REQUIRED, "RANGE", "WARNING when the metric is outside RANGE" },
	{ OPT_CRIT, 'c', "critical", MSP_ARG_REQUIRED, "RANGE", "CRITICAL when the metric is outside RANGE" },
	{ OPT_METRIC, 'm', "metric", MSP_ARG_REQUIRED, "TYPE",
	  "What the thresholds apply to:\n"
	  "  PROCS   - number of matching processes (default)\n"
	  "  VSZ     - virtual memory size of each process, KiB\n"
	  "  RSS     - resident set size of each process, KiB\n"
	  "  CPU     - %CPU of each process (CPU time over its lifetime, as ps shows it)\n"
	  "  ELAPSED - age of each process in seconds" },
	{ OPT_STATE, 's', "state", MSP_ARG_REQUIRED, "STATUSFLAGS",
	  "Only processes whose ps STAT text contains STATUSFLAGS as written\n"
	  "(Z zombies, D uninterruptible, T stopped, Ss session leaders, ...);\n"
	  "also accepted as --status (the long name 2.3.3 takes)" },
	{ OPT_STATE, 0, "status", MSP_ARG_REQUIRED, "STATUSFLAGS", NULL },
	{ OPT_PPID, 'p', "ppid", MSP_ARG_REQUIRED, "PPID", "Only children of the process PPID" },
	{ OPT_VSZ, 'z', "vsz", MSP_ARG_REQUIRED, "VSZ", "Only processes with a VSZ of at least VSZ KiB" },
	{ OPT_RSS, 'r', "rss", MSP_ARG_REQUIRED, "RSS", "Only processes with an RSS of at least RSS KiB" },
	{ OPT_PCPU, 'P', "pcpu", MSP_ARG_REQUIRED, "PCPU", "Only processes with a %CPU of at least PCPU" },
	{ OPT_USER, 'u', "user", MSP_ARG_REQUIRED, "USER", "Only processes of user name or uid USER (effective uid)" },
	{ OPT_ARGS, 'a', "argument-array", MSP_ARG_REQUIRED, "STRING",
	  "Only processes whose command line contains STRING" },
	{ OPT_EREG, 0, "ereg-argument-array", MSP_ARG_REQUIRED, "REGEX",
	  "Only processes whose command line matches the extended regular expression REGEX" },
	{ OPT_COMMAND, 'C', "command", MSP_ARG_REQUIRED, "COMMAND", "Only processes with command name COMMAND (exact, no path)" },
	{ OPT_EXCLUDE, 'X', "exclude-process", MSP_ARG_REQUIRED, "NAME[,NAME...]",
	  "Leave out processes with one of these command names (repeatable)" },
	{ OPT_NOKTHREADS, 'k', "no-kthreads", MSP_ARG_NONE, NULL, "Leave out kernel threads" },
	{ OPT_TRADITIONAL, 'T', "traditional", MSP_ARG_NONE, NULL,
	  "Leave out this plugin's own process by pid, not by its executable\n"
	  "(without -T every process running this executable under its name is left out)" },
	{ OPT_PROC_ROOT, 0, "proc-root", MSP_ARG_REQUIRED, "DIR", NULL },
	MSP_OPTION_END,
};

static const char *const metric_names[] = { "PROCS", "VSZ", "RSS", "CPU", "ELAPSED" };

static int parse_range(const char *arg, struct msp_range *r, bool *has, struct msp_error *err)
{
	/* The reference reads '' as "no threshold"; an empty threshold is more likely a macro that
	 * was never set, and a check without the limits it was configured with is not a check. */
	if (!*arg)
		return msp_error_set(err, MSP_EINVAL, "empty threshold: give a range such as 10 or 5:");
	if (msp_range_parse(arg, MSP_UNIT_NONE, 1, r, err) < 0)
		return MSP_EINVAL;
	*has = true;
	return 0;
}

static int parse_user(struct check_procs_config *cfg, const char *arg, struct msp_error *err)
{
	struct passwd *pw;
	int64_t id;

	if (msp_num_int64(arg, 0, INT32_MAX, &id) == 0) {
		pw = getpwuid((uid_t)id);
		if (!pw)
			return msp_error_set(err, MSP_EINVAL, "no user with uid '%.40s'", arg);
	} else {
		pw = *arg ? getpwnam(arg) : NULL;
		if (!pw)
			return msp_error_set(err, MSP_EINVAL, "no user named '%.40s'", arg);
	}
	cfg->has_uid = true;
	cfg->uid = (long)pw->pw_uid;
	snprintf(cfg->user, sizeof(cfg->user), "%s", pw->pw_name);
	return 0;
}

static int parse_kib(const char *arg, const char *what, uint64_t *ret, bool *has, struct msp_error *err)
{
	if (msp_num_uint64(arg, UINT64_MAX / 1024, ret) < 0)
		return msp_error_set(err, MSP_EINVAL, "%s '%.40s' is not a whole number of KiB", what, arg);
	*has = true;
	return 0;
}

static int parse_regex(struct check_procs_config *cfg, const char *arg, struct msp_error *err)
{
	int rc;

	if (cfg->has_regex)
		regfree(&cfg->regex);
	cfg->has_regex = false;
	rc = msp_regex_compile(&cfg->regex, arg, REG_EXTENDED | REG_NOSUB, NULL, err);
	if (rc < 0)
		return rc;
	cfg->has_regex = true;
	cfg->ereg = arg;
	return 0;
}

/* Remember that filter option id was given (once; -X each time), for the summary's order. */
static void note_filter(struct check_procs_config *cfg, int id)
{
	for (int i = 0; i < cfg->norder && id != OPT_EXCLUDE; i++)
		if (cfg->order[i] == id)
			return;
	if (cfg->norder < (int)(sizeof(cfg->order) / sizeof(cfg->order[0])))
		cfg->order[cfg->norder++] = id;
}

static int positional_arg(struct check_procs_config *cfg, const char *arg, struct msp_error *err)
{
	/* The old syntax "check_procs WARN CRIT [STATE]" fills what options left unset. */
	cfg->npositional++;
	if (!cfg->th.has_warn && cfg->npositional == 1)
		return parse_range(arg, &cfg->th.warn, &cfg->th.has_warn, err);
	if (!cfg->th.has_crit && cfg->npositional <= 2)
		return parse_range(arg, &cfg->th.crit, &cfg->th.has_crit, err);
	if (!cfg->state && cfg->npositional <= 3) {
		cfg->state = arg;
		note_filter(cfg, OPT_STATE);
		return 0;
	}
	return msp_error_set(err, MSP_EINVAL, "unexpected argument '%.60s'", arg);
}

static int procs_option_one(struct check_procs_config *cfg, int id, const char *arg, struct msp_error *err)
{
	int64_t n;

	switch (id) {
	case OPT_WARN:
		return parse_range(arg, &cfg->th.warn, &cfg->th.has_warn, err);
	case OPT_CRIT:
		return parse_range(arg, &cfg->th.crit, &cfg->th.has_crit, err);
	case OPT_METRIC:
		for (size_t i = 0; i < sizeof(metric_names) / sizeof(metric_names[0]); i++)
			if (strcmp(arg, metric_names[i]) == 0) {
				cfg->metric = (enum check_procs_metric)i;
				return 0;
			}
		return msp_error_set(err, MSP_EINVAL, "unknown metric '%.40s': use PROCS, VSZ, RSS, CPU or ELAPSED", arg);
	case OPT_STATE:
		cfg->state = *arg ? arg : NULL;
		return 0;
	case OPT_PPID:
		if (msp_num_int64(arg, 0, INT32_MAX, &n) < 0)
			return msp_error_set(err, MSP_EINVAL, "parent process id '%.40s' is not a number", arg);
		cfg->has_ppid = true;
		cfg->ppid = (long)n;
		return 0;
	case OPT_VSZ:
		return parse_kib(arg, "VSZ", &cfg->vsz_kib, &cfg->has_vsz, err);
	case OPT_RSS:
		return parse_kib(arg, "RSS", &cfg->rss_kib, &cfg->has_rss, err);
	case OPT_PCPU:
		if (msp_num_double(arg, &cfg->pcpu) < 0)
			return msp_error_set(err, MSP_EINVAL, "%%CPU '%.40s' is not a number", arg);
		cfg->has_pcpu = true;
		return 0;
	case OPT_USER:
		return parse_user(cfg, arg, err);
	case OPT_ARGS:
		cfg->args = *arg ? arg : NULL;
		return 0;
	case OPT_EREG:
		return parse_regex(cfg, arg, err);
	case OPT_COMMAND:
		if (!*arg)
			return msp_error_set(err, MSP_EINVAL, "empty command name for -C");
		cfg->command = arg;
		return 0;
	case OPT_EXCLUDE:
		if (cfg->nexclude == CHECK_PROCS_MAX_EXCLUDE)
			return msp_error_set(err, MSP_EINVAL, "more than %d -X options", CHECK_PROCS_MAX_EXCLUDE);
		cfg->exclude[cfg->nexclude++] = arg;
		return 0;
	case OPT_NOKTHREADS:
		cfg->no_kthreads = true;
		return 0;
	case OPT_TRADITIONAL:
		cfg->traditional = true;
		return 0;
	case OPT_PROC_ROOT:
		cfg->proc_root = arg;
		return 0;
	case MSP_OPT_POSITIONAL:
		return positional_arg(cfg, arg, err);
	}
	return msp_error_set(err, MSP_EINVAL, "unknown option");
}

static int procs_option(void *vcfg, int id, const char *arg, struct msp_error *err)
{
	struct check_procs_config *cfg = vcfg;
	int r = procs_option_one(cfg, id, arg, err);

	/* The reference names the filters in the order they were given ("UID = 0 (root), command name 'x'"). */
	if (r == 0 && (id == OPT_STATE || id == OPT_PPID || id == OPT_VSZ || id == OPT_RSS || id == OPT_PCPU ||
		       id == OPT_USER || id == OPT_ARGS || id == OPT_EREG || id == OPT_COMMAND || id == OPT_EXCLUDE))
		note_filter(cfg, id);
	return r;
}

static int procs_finish(void *vcfg, const struct msp_context *ctx, struct msp_error *err)
{
	struct check_procs_config *cfg = vcfg;

	(void)ctx;
	(void)err;
	if (!cfg->proc_root)
		cfg->proc_root = "/proc";
	return 0;
}

/* ------------------------------------------------------------ matching */

unsigned check_procs_fields(const struct check_procs_config *cfg)
{
	unsigned f = MSP_PROC_STAT;

	if (cfg->has_uid)
		f |= MSP_PROC_STATUS;
	/* ps puts an L (locked pages, from status) inside STAT; it matters only to a longer -s text. */
	if (cfg->state && (strlen(cfg->state) > 1 || strchr(cfg->state, 'L')))
		f |= MSP_PROC_STATUS;
	if (cfg->args || cfg->has_regex)
		f |= MSP_PROC_CMDLINE;
	return f;
}

void check_procs_prog(const struct msp_proc *p, char buf[64])
{
	/* ps prints comm in a 15-column field (kernel threads' names may be longer) */
	char cut[16];
	const char *slash;
	size_t n = strnlen(p->comm, sizeof(cut) - 1);

	memcpy(cut, p->comm, n);
	cut[n] = '\0';
	slash = strrchr(cut, '/');
	snprintf(buf, 64, "%s", slash ? slash + 1 : cut);
}

static bool name_in_list(const char *list, const char *name)
{
	size_t len = strlen(name);

	for (const char *s = list; s;) {
		const char *comma = strchr(s, ',');
		size_t n = comma ? (size_t)(comma - s) : strlen(s);

		if (n == len && strncmp(s, name, n) == 0)
			return true;
		s = comma ? comma + 1 : NULL;
	}
	return false;
}

/* Filters judged from the stat file alone. */
static bool match_stat(const struct check_procs_config *cfg, const struct msp_proc *p,
		       const struct msp_proc_system *sys, const char *prog)
{
	/* The reference leaves out children of kthreadd: every kernel thread but kthreadd itself. */
	if (cfg->no_kthreads && (p->flags & MSP_PROC_PF_KTHREAD) && p->ppid != 0)
		return false;
	for (int i = 0; i < cfg->nexclude; i++)
		if (name_in_list(cfg->exclude[i], prog))
			return false;
	if (cfg->command && strcmp(cfg->command, prog) != 0)
		return false;
	if (cfg->has_ppid && p->ppid != cfg->ppid)
		return false;
	if (cfg->has_vsz && p->vsz_kib < cfg->vsz_kib)
		return false;
	if (cfg->has_rss && p->rss_kib < cfg->rss_kib)
		return false;
	if (cfg->has_pcpu && msp_proc_pcpu(p, sys) < cfg->pcpu)
		return false;
	return true;
}

int check_procs_match(const struct check_procs_config *cfg, const struct msp_proc *p,
		      const struct msp_proc_system *sys, unsigned have)
{
	unsigned need = check_procs_fields(cfg);
	char prog[64], stat[8];

	check_procs_prog(p, prog);
	if (!match_stat(cfg, p, sys, prog))
		return 0;
	if ((need & MSP_PROC_STATUS) && !(have & MSP_PROC_STATUS)) {
		/* a one-letter -s other than L does not depend on status: judge it before reading more */
		if (cfg->state && strlen(cfg->state) == 1 && cfg->state[0] != 'L') {
			msp_proc_stat_text(p, stat);
			if (!strstr(stat, cfg->state))
				return 0;
		}
		return 2;
	}
	if (cfg->has_uid && p->uid_effective != cfg->uid)
		return 0;
	if (cfg->state) {
		msp_proc_stat_text(p, stat);
		if (!strstr(stat, cfg->state))
			return 0;
	}
	if ((need & MSP_PROC_CMDLINE) && !(have & MSP_PROC_CMDLINE))
		return 2;
	if (cfg->args && !strstr(p->args ? p->args : "", cfg->args))
		return 0;
	if (cfg->has_regex && regexec(&cfg->regex, p->args ? p->args : "", 0, NULL, 0) != 0)
		return 0;
	return 1;
}

double check_procs_value(const struct check_procs_config *cfg, const struct msp_proc *p,
			 const struct msp_proc_system *sys)
{
	switch (cfg->metric) {
	case CHECK_PROCS_VSZ:
		return (double)p->vsz_kib;
	case CHECK_PROCS_RSS:
		return (double)p->rss_kib;
	case CHECK_PROCS_CPU:
		return msp_proc_pcpu(p, sys);
	case CHECK_PROCS_ELAPSED:
		return (double)(uint64_t)p->elapsed_seconds; /* whole seconds, as ps's etime */
	case CHECK_PROCS_PROCS:
		break;
	}
	return 1;
}

/* ------------------------------------------------------------ probe */

/* Ourselves and our parent (and, without -T, anything running our executable: is_self_exe). */
static bool is_self_pid(const struct check_procs_self *self, const struct msp_proc *p)
{
	if (!self)
		return false;
	return (self->pid && p->pid == self->pid) || (self->ppid && p->pid == self->ppid);
}

static bool is_self_exe(const struct check_procs_config *cfg, const struct check_procs_self *self,
			const struct msp_proc *p)
{
	char path[4096];
	struct stat st;

	/* Resolving /proc/<pid>/exe is the dearest step per process: only for our own command name
	 * (a kernel thread or another name is not a copy of us started as usual). */
	if (!self || !self->has_exe || (p->flags & MSP_PROC_PF_KTHREAD) || strcmp(p->comm, self->comm) != 0 ||
	    msp_proc_path(cfg->proc_root, p->pid, "exe", path, sizeof(path)) < 0)
		return false;
	return stat(path, &st) == 0 && (uint64_t)st.st_dev == self->dev && (uint64_t)st.st_ino == self->ino;
}

static int add_match(struct check_procs_sample *s, const struct msp_proc *p, double value)
{
	struct check_procs_match *m;

	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 64;
		struct check_procs_match *nm = realloc(s->m, cap * sizeof(*nm));

		if (!nm)
			return MSP_ENOMEM;
		s->m = nm;
		s->cap = cap;
	}
	m = &s->m[s->n++];
	m->pid = p->pid;
	m->value = value;
	snprintf(m->prog, sizeof(m->prog), "%s", p->comm);
	return 0;
}

/*
 * Read what the filters still need and judge p: 1 match, 0 not (or gone),
 * or an error with err set (MSP_ENOMEM, or a file we could not parse: only a
 * process that ended, MSP_ENOENT, may drop out of the count).
 */
static int judge(const struct check_procs_config *cfg, const struct msp_proc_system *sys, unsigned need,
		 struct msp_proc *p, struct msp_error *err)
{
	unsigned have = MSP_PROC_STAT;
	int m = check_procs_match(cfg, p, sys, have);

	if (m == 2 && (need & MSP_PROC_STATUS)) {
		int r = msp_proc_read_status(cfg->proc_root, p, err);

		if (r < 0)
			return r == MSP_ENOENT ? 0 : r;
		have |= MSP_PROC_STATUS;
		m = check_procs_match(cfg, p, sys, have);
	}
	if (m == 2 && (need & MSP_PROC_CMDLINE)) {
		int r = msp_proc_read_cmdline(cfg->proc_root, p, err);

		if (r < 0)
			return r == MSP_ENOENT ? 0 : r;
		have |= MSP_PROC_CMDLINE;
		m = check_procs_match(cfg, p, sys, have);
	}
	return m == 1;
}

int check_procs_collect(const struct check_procs_config *cfg, const struct check_procs_self *self,
			struct check_procs_sample *ret, struct msp_error *err)
{
	struct check_procs_sample s = { 0 };
	struct msp_proc_system sys;
	struct msp_proc_iter it = { NULL };
	struct msp_proc p = { 0 };
	unsigned need = check_procs_fields(cfg);
	long pid;
	int r;

	r = msp_proc_system_read(cfg->proc_root, &sys, err);
	if (r == 0)
		r = msp_proc_iter_open(&it, cfg->proc_root, err);
	while (r == 0 && msp_proc_iter_next(&it, &pid) == 1) {
		int m = msp_proc_read_stat(cfg->proc_root, pid, &sys, &p, err);

		if (m == MSP_ENOENT)
			continue; /* ended since the listing */
		if (m < 0) {
			r = m; /* unparseable: counting it out would be a guess */
			break;
		}
		s.seen++;
		if (is_self_pid(self, &p))
			continue;
		m = judge(cfg, &sys, need, &p, err);
		if (m == 1 && !is_self_exe(cfg, self, &p) && add_match(&s, &p, check_procs_value(cfg, &p, &sys)) < 0)
			m = msp_error_set(err, MSP_ENOMEM, "out of memory");
		msp_proc_release(&p);
		if (m < 0)
			r = m;
	}
	if (r == 0)
		r = msp_proc_iter_check(&it, err);
	msp_proc_iter_close(&it);
	if (r < 0) {
		check_procs_sample_release(&s);
		return r;
	}
	*ret = s;
	return 0;
}

void check_procs_sample_release(struct check_procs_sample *s)
{
	free(s->m);
	s->m = NULL;
	s->n = s->cap = 0;
}

/* ------------------------------------------------------------ evaluate */

/* " with command name 'x', UID = 0 (root), ..." in the reference's order and words. */
static void describe_filters(const struct check_procs_config *cfg, struct msp_buf *b)
{
	const char *sep = " with ";

#define FILTER(...)                                 \
	do {                                        \
		msp_buf_adds(b, sep);               \
		msp_buf_addf(b, __VA_ARGS__);       \
		sep = ", ";                         \
	} while (0)
	for (int i = 0, x = 0; i < cfg->norder; i++) {
		switch (cfg->order[i]) {
		case OPT_COMMAND:
			if (cfg->command)
				FILTER("command name '%s'", cfg->command);
			break;
		case OPT_EXCLUDE:
			if (x < cfg->nexclude)
				FILTER("exclude progs '%s'", cfg->exclude[x++]);
			break;
		case OPT_USER:
			if (cfg->has_uid)
				FILTER("UID = %ld (%s)", cfg->uid, cfg->user);
			break;
		case OPT_STATE:
			if (cfg->state)
				FILTER("STATE = %s", cfg->state);
			break;
		case OPT_PPID:
			if (cfg->has_ppid)
				FILTER("PPID = %ld", cfg->ppid);
			break;
		case OPT_ARGS:
			if (cfg->args)
				FILTER("args '%s'", cfg->args);
			break;
		case OPT_EREG:
			if (cfg->has_regex)
				FILTER("regex args '%s'", cfg->ereg);
			break;
		case OPT_VSZ:
			if (cfg->has_vsz)
				FILTER("VSZ >= %llu", (unsigned long long)cfg->vsz_kib);
			break;
		case OPT_RSS:
			if (cfg->has_rss)
				FILTER("RSS >= %llu", (unsigned long long)cfg->rss_kib);
			break;
		case OPT_PCPU:
			if (cfg->has_pcpu)
				FILTER("PCPU >= %.2f", cfg->pcpu);
			break;
		}
	}
#undef FILTER
}

static int by_value_desc(const void *a, const void *b)
{
	const struct check_procs_match *x = a, *y = b;

	if (x->value != y->value)
		return x->value < y->value ? 1 : -1;
	return (x->pid > y->pid) - (x->pid < y->pid);
}

/* One line per process in alert, worst first, at most 10 (the rest as a count). */
static int add_alerting(const struct check_procs_config *cfg, const struct check_procs_sample *s,
			struct msp_result *root)
{
	static const char *const unit[] = { "", " KiB", " KiB", "%", " s" };
	struct check_procs_match *v = NULL;
	size_t n = 0, shown = 0;

	for (size_t i = 0; i < s->n; i++)
		if (msp_threshold_eval(&cfg->th, s->m[i].value) != MSP_STATE_OK)
			n++;
	if (!n)
		return 0;
	v = malloc(n * sizeof(*v));
	if (!v)
		return MSP_ENOMEM;
	n = 0;
	for (size_t i = 0; i < s->n; i++)
		if (msp_threshold_eval(&cfg->th, s->m[i].value) != MSP_STATE_OK)
			v[n++] = s->m[i];
	qsort(v, n, sizeof(*v), by_value_desc);
	for (int pass = 0; pass < 2; pass++)
		for (size_t i = 0; i < n && shown < 10; i++) {
			enum msp_state st = msp_threshold_eval(&cfg->th, v[i].value);
			char num[MSP_NUM_FORMAT_MAX];

			if ((pass == 0) != (st == MSP_STATE_CRITICAL))
				continue;
			msp_num_format(v[i].value, 1, num, sizeof(num));
			if (!msp_result_add_child(root, st, "%s %s%s: pid %ld (%s)", metric_names[cfg->metric], num,
						  unit[cfg->metric], v[i].pid, v[i].prog))
				goto nomem;
			shown++;
		}
	if (n > shown && !msp_result_add_note(root, "%zu more processes in alert", n - shown))
		goto nomem;
	free(v);
	return 0;
nomem:
	free(v);
	return MSP_ENOMEM;
}

static int evaluate_each(const struct check_procs_config *cfg, const struct check_procs_sample *s,
			 struct msp_result *root, struct msp_buf *text)
{
	size_t warn = 0, crit = 0;
	enum msp_state st = MSP_STATE_OK;
	struct msp_perf *p;

	for (size_t i = 0; i < s->n; i++) {
		enum msp_state one = msp_threshold_eval(&cfg->th, s->m[i].value);

		warn += one == MSP_STATE_WARNING;
		crit += one == MSP_STATE_CRITICAL;
		st = msp_state_worst(st, one);
	}
	/* "VSZ WARNING: 2 warn out of 80 processes": the reference names the metric in place of PROCS */
	root->service = metric_names[cfg->metric];
	if (crit)
		msp_buf_addf(text, "%zu crit, %zu warn out of ", crit, warn);
	else if (warn)
		msp_buf_addf(text, "%zu warn out of ", warn);
	if (add_alerting(cfg, s, root) < 0)
		return MSP_ENOMEM;
	msp_result_set_state(root, st);
	if (!(p = msp_result_add_perf(root, "procs", (double)s->n, "", NULL)))
		return MSP_ENOMEM;
	msp_perf_set_min(p, 0);
	p->keep_fields = true;
	if (!(p = msp_result_add_perf(root, "procs_warn", (double)warn, "", NULL)))
		return MSP_ENOMEM;
	msp_perf_set_min(p, 0);
	p->keep_fields = true;
	if (!(p = msp_result_add_perf(root, "procs_crit", (double)crit, "", NULL)))
		return MSP_ENOMEM;
	msp_perf_set_min(p, 0);
	p->keep_fields = true;
	return 0;
}

int check_procs_evaluate(const struct check_procs_config *cfg, const struct check_procs_sample *s,
			 struct msp_result *root)
{
	struct msp_buf text;
	struct msp_perf *p;
	int r = 0;

	msp_buf_init(&text, 4096);
	if (cfg->metric == CHECK_PROCS_PROCS) {
		msp_result_set_state(root, msp_threshold_eval(&cfg->th, (double)s->n));
		p = msp_result_add_perf(root, "procs", (double)s->n, "", &cfg->th);
		if (!p) {
			r = MSP_ENOMEM;
		} else {
			msp_perf_set_min(p, 0);
			p->keep_fields = true; /* procs=3;;;0; as the reference writes it */
		}
	} else {
		r = evaluate_each(cfg, s, root, &text);
	}
	msp_buf_addf(&text, "%zu process%s", s->n, s->n == 1 ? "" : "es");
	describe_filters(cfg, &text);
	if (r == 0)
		r = msp_result_set_text(root, "%s", msp_buf_str(&text));
	msp_buf_release(&text);
	return r;
}

/* ------------------------------------------------------------ check */

static int procs_check(void *vcfg, const struct msp_context *ctx, struct msp_result *root, struct msp_error *err)
{
	struct check_procs_config *cfg = vcfg;
	struct check_procs_self self = { .pid = (long)getpid(), .ppid = (long)getppid() };
	struct check_procs_sample s = { 0 };
	struct msp_buf comm;
	struct stat st;
	int r;

	msp_buf_init(&comm, sizeof(self.comm) - 1);
	if (!cfg->traditional && stat("/proc/self/exe", &st) == 0 &&
	    msp_file_read("/proc/self/comm", sizeof(self.comm) - 1, &comm, NULL) == 0) {
		self.has_exe = true;
		self.dev = (uint64_t)st.st_dev;
		self.ino = (uint64_t)st.st_ino;
		snprintf(self.comm, sizeof(self.comm), "%.*s", (int)strcspn(msp_buf_str(&comm), "\n"),
			 msp_buf_str(&comm));
	}
	msp_buf_release(&comm);
	msp_step("reading processes under %s", cfg->proc_root);
	r = check_procs_collect(cfg, &self, &s, err);
	if (r < 0)
		return r;
	if (s.seen == 0) {
		check_procs_sample_release(&s);
		return msp_error_set(err, MSP_ENOENT, "no processes found under '%s'", cfg->proc_root);
	}
	for (size_t i = 0; i < s.n; i++)
		msp_verbose(ctx, 2, "matched: pid=%ld prog=%s value=%g\n", s.m[i].pid, s.m[i].prog, s.m[i].value);
	msp_verbose(ctx, 1, "%zu processes read, %zu matched\n", s.seen, s.n);
	r = check_procs_evaluate(cfg, &s, root);
	check_procs_sample_release(&s);
	if (r < 0)
		return msp_error_set(err, r, "out of memory");
	return 0;
}

/* "PROCS OK: 3 processes | procs=3;;;0;" : a colon after the state, no per-process lines */
static const struct msp_nagios_style nagios_style = { .state_sep = ": ", .no_children = true };

/* A positional argument goes to the option callback (id MSP_OPT_POSITIONAL). */
static const struct msp_option positional = MSP_CALLBACK(MSP_OPT_POSITIONAL, 0, NULL, MSP_ARG_REQUIRED, "ARG", NULL);

static const struct msp_plugin plugin = {
	.positional = &positional,
	.nagios = &nagios_style,
	.name = "check_procs",
	.service = "PROCS",
	.synopsis = "-w RANGE -c RANGE [-m PROCS|VSZ|RSS|CPU|ELAPSED] [-s STATE] [-p PPID] [-u USER] [-r RSS] "
		    "[-z VSZ] [-P PCPU] [-a STRING] [--ereg-argument-array REGEX] [-C COMMAND] [-X NAMES] [-k] [-T]",
	.description = "Count the processes that pass the filters (default), or judge each one's VSZ, RSS, %CPU\n"
		       "or age with -m.  Reads /proc directly; never runs ps.  All filters must match.\n"
		       "RANGE is [@][start:][end] (\"10\", \"2:\", \"5:10\", \"@0:0\"); the old form\n"
		       "\"check_procs WARN CRIT [STATE]\" is accepted too.",
	.notes = "Processes never counted, as in the reference: this plugin itself (every process\n"
		 "running its executable under its name; with -T only its own pid) and its parent.\n"
		 "Differences from monitoring-plugins check_procs 2.3.3 (deliberate):\n"
		 "  - with -m VSZ|RSS|CPU|ELAPSED the processes in alert are listed, one per line,\n"
		 "    in the multi-line, table and json output formats\n"
		 "  - a threshold that is not a range (\"abc\", \"10x\") is an error (UNKNOWN); the\n"
		 "    reference reads it as 0 and warns about any process\n"
		 "  - an empty -w, -c, -C or -u is an error (UNKNOWN); the reference drops an empty\n"
		 "    threshold, counts no process for -C '' and takes -u '' as root\n"
		 "  - -X/--exclude-process (monitoring-plugins 2.4+, Icinga 2 ITL procs_exclude_process)\n"
		 "    is accepted; 2.3.3 rejects it\n"
		 "  - the reference counts the ps it runs (in counts without -C, -a or -p), so its\n"
		 "    count is one higher; ours runs no child.  In a container without kthreadd its\n"
		 "    -k leaves out the container's pid 1; ours does not\n"
		 "  - a process running this plugin's executable under another command name (a\n"
		 "    renamed link) is counted; the reference compares every process's executable\n"
		 "  - a command name with blanks (\"tmux: server\") is matched whole by -C; the reference\n"
		 "    splits ps's output at the blank\n"
		 "  - --state (the name 2.3.3's help shows) works as well as --status (the name\n"
		 "    2.3.3 accepts), and --no-kthreads takes no value (2.3.3 wrongly wants one)\n"
		 "  - the standard options --timeout-result and --output-format are accepted\n"
		 "  - a process whose /proc stat or status cannot be parsed makes the check\n"
		 "    UNKNOWN; the reference skips a ps line it cannot parse (one process fewer).\n"
		 "    Only a process that ended while we read is left out\n"
		 "As in the reference, -s matches when the ps STAT text (\"Ss\", \"S<l\", \"Z\") contains\n"
		 "STATUSFLAGS as written: -s Z finds zombies, -s RSZDT finds nothing.\n"
		 "Examples:\n"
		 "  check_procs -w 250 -c 400\n"
		 "  check_procs -c 1: -C sshd\n"
		 "  check_procs -w 0 -c 5 -s Z\n"
		 "  check_procs -w 10 -a '/usr/local/bin/perl' -u root\n"
		 "  check_procs -w 50000 -c 100000 -m VSZ -C java",
	.options = options,
	.timeout = 10,
	.timeout_state = MSP_STATE_UNKNOWN,
	.option = procs_option,
	.finish = procs_finish,
	.check = procs_check,
};

MSP_PLUGIN_MAIN(plugin, struct check_procs_config)
