/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * check_procs - count processes, or judge each one's size, CPU or age
 * (drop-in for monitoring-plugins check_procs).
 *
 * This file: the options, who "we" are, the check's orchestration.
 * probe: check_procs_collect() walks /proc through msp_proc, reading each
 *        process's status and cmdline only when a filter needs them
 * match: check_procs_match() (check_procs_match.c)
 * evaluate: check_procs_evaluate() (check_procs_eval.c)
 */
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check_procs.h"

/*
 * Typed where the order does not matter; the filters keep a callback: the
 * summary names them in the order they were given, as the reference does,
 * and -m is case-sensitive as in the reference.
 */
enum { OPT_METRIC = CHECK_PROCS_F_EXCLUDE + 1, OPT_POSITIONAL };

#define MSP_CFG struct check_procs_config
static const struct msp_option options[] = {
	MSP_WARN('w', "warning", th, "RANGE", MSP_UNIT_NONE, "WARNING when the metric is outside RANGE",
		 .flags = MSP_OPTF_EMPTY_ERROR, .var = "procs_warning"),
	MSP_CRIT('c', "critical", th, "RANGE", MSP_UNIT_NONE, "CRITICAL when the metric is outside RANGE",
		 .flags = MSP_OPTF_EMPTY_ERROR, .var = "procs_critical"),
	MSP_CALLBACK(OPT_METRIC, 'm', "metric", MSP_ARG_REQUIRED, "TYPE",
		     "What the thresholds apply to:\n"
		     "  PROCS   - number of matching processes (default)\n"
		     "  VSZ     - virtual memory size of each process, KiB\n"
		     "  RSS     - resident set size of each process, KiB\n"
		     "  CPU     - %CPU of each process (CPU time over its lifetime, as ps shows it)\n"
		     "  ELAPSED - age of each process in seconds",
		     .var = "procs_metric"),
	MSP_CALLBACK(CHECK_PROCS_F_STATE, 's', "state", MSP_ARG_REQUIRED, "STATUSFLAGS",
		     "Only processes whose ps STAT text contains STATUSFLAGS as written\n"
		     "(Z zombies, D uninterruptible, T stopped, Ss session leaders, ...);\n"
		     "also accepted as --status (the long name 2.3.3 takes)",
		     .var = "procs_state"),
	MSP_CALLBACK(CHECK_PROCS_F_STATE, 0, "status", MSP_ARG_REQUIRED, "STATUSFLAGS", NULL),
	MSP_CALLBACK(CHECK_PROCS_F_PPID, 'p', "ppid", MSP_ARG_REQUIRED, "PPID", "Only children of the process PPID",
		     .var = "procs_ppid"),
	MSP_CALLBACK(CHECK_PROCS_F_VSZ, 'z', "vsz", MSP_ARG_REQUIRED, "VSZ", "Only processes with a VSZ of at least VSZ KiB",
		     .var = "procs_vsz"),
	MSP_CALLBACK(CHECK_PROCS_F_RSS, 'r', "rss", MSP_ARG_REQUIRED, "RSS", "Only processes with an RSS of at least RSS KiB",
		     .var = "procs_rss"),
	MSP_CALLBACK(CHECK_PROCS_F_PCPU, 'P', "pcpu", MSP_ARG_REQUIRED, "PCPU", "Only processes with a %CPU of at least PCPU",
		     .var = "procs_pcpu"),
	MSP_CALLBACK(CHECK_PROCS_F_USER, 'u', "user", MSP_ARG_REQUIRED, "USER",
		     "Only processes of user name or uid USER (effective uid)", .var = "procs_user"),
	MSP_CALLBACK(CHECK_PROCS_F_ARGS, 'a', "argument-array", MSP_ARG_REQUIRED, "STRING",
		     "Only processes whose command line contains STRING", .var = "procs_argument"),
	MSP_CALLBACK(CHECK_PROCS_F_EREG, 0, "ereg-argument-array", MSP_ARG_REQUIRED, "REGEX",
		     "Only processes whose command line matches the extended regular expression REGEX",
		     .var = "procs_argument_regex"),
	MSP_CALLBACK(CHECK_PROCS_F_COMMAND, 'C', "command", MSP_ARG_REQUIRED, "COMMAND",
		     "Only processes with command name COMMAND (exact, no path)", .var = "procs_command"),
	MSP_CALLBACK(CHECK_PROCS_F_EXCLUDE, 'X', "exclude-process", MSP_ARG_REQUIRED, "NAME[,NAME...]",
		     "Leave out processes with one of these command names (repeatable)", .var = "procs_exclude_process"),
	MSP_BOOL('k', "no-kthreads", no_kthreads, "Leave out kernel threads", .var = "procs_nokthreads"),
	MSP_BOOL('T', "traditional", traditional,
		 "Leave out this plugin's own process by pid, not by its executable\n"
		 "(without -T every process running this executable under its name is left out)",
		 .var = "procs_traditional"),
	MSP_PATH(0, "proc-root", proc_root, "DIR", NULL, .def = "/proc"),
	MSP_OPTION_END,
};

static int parse_range(const char *arg, struct msp_range *r, bool *has, struct msp_error *err)
{
	if (msp_range_parse(arg, MSP_UNIT_NONE, 1, r, err) < 0)
		return MSP_EINVAL;
	*has = true;
	return 0;
}

static int parse_metric(struct check_procs_config *cfg, const char *arg, struct msp_error *err)
{
	for (int m = CHECK_PROCS_PROCS; m <= CHECK_PROCS_ELAPSED; m++)
		if (strcmp(arg, check_procs_metric_name((enum check_procs_metric)m)) == 0) {
			cfg->metric = (enum check_procs_metric)m;
			return 0;
		}
	return msp_error_set(err, MSP_EINVAL, "unknown metric '%.40s': use PROCS, VSZ, RSS, CPU or ELAPSED", arg);
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

static int parse_ppid(struct check_procs_config *cfg, const char *arg, struct msp_error *err)
{
	int64_t n;

	if (msp_num_int64(arg, 0, INT32_MAX, &n) < 0)
		return msp_error_set(err, MSP_EINVAL, "parent process id '%.40s' is not a number", arg);
	cfg->has_ppid = true;
	cfg->ppid = (long)n;
	return 0;
}

static int parse_kib(const char *arg, const char *what, uint64_t *ret, bool *has, struct msp_error *err)
{
	if (msp_num_uint64(arg, UINT64_MAX / 1024, ret) < 0)
		return msp_error_set(err, MSP_EINVAL, "%s '%.40s' is not a whole number of KiB", what, arg);
	*has = true;
	return 0;
}

static int parse_pcpu(struct check_procs_config *cfg, const char *arg, struct msp_error *err)
{
	if (msp_num_double(arg, &cfg->pcpu) < 0)
		return msp_error_set(err, MSP_EINVAL, "%%CPU '%.40s' is not a number", arg);
	cfg->has_pcpu = true;
	return 0;
}

static int parse_regex(struct check_procs_config *cfg, const char *arg, struct msp_error *err)
{
	int rc;

	check_procs_config_release(cfg);
	rc = msp_regex_compile(&cfg->regex, arg, REG_EXTENDED | REG_NOSUB, NULL, err);
	if (rc < 0)
		return rc;
	cfg->has_regex = true;
	cfg->ereg = arg;
	return 0;
}

void check_procs_config_release(struct check_procs_config *cfg)
{
	if (cfg->has_regex)
		regfree(&cfg->regex);
	cfg->has_regex = false;
}

static int parse_command(struct check_procs_config *cfg, const char *arg, struct msp_error *err)
{
	if (!*arg)
		return msp_error_set(err, MSP_EINVAL, "empty command name for -C");
	cfg->command = arg;
	return 0;
}

static int parse_exclude(struct check_procs_config *cfg, const char *arg, struct msp_error *err)
{
	if (cfg->nexclude == CHECK_PROCS_MAX_EXCLUDE)
		return msp_error_set(err, MSP_EINVAL, "more than %d -X options", CHECK_PROCS_MAX_EXCLUDE);
	cfg->exclude[cfg->nexclude++] = arg;
	return 0;
}

/* Remember that filter id was given (once; -X each time), for the summary's order. */
static void note_filter(struct check_procs_config *cfg, int id)
{
	for (int i = 0; i < cfg->norder && id != CHECK_PROCS_F_EXCLUDE; i++)
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
		note_filter(cfg, CHECK_PROCS_F_STATE);
		return 0;
	}
	return msp_error_set(err, MSP_EINVAL, "unexpected argument '%.60s'", arg);
}

/* A filter option ('' arrives as it is: -s '' and -a '' select everything, as in the reference). */
static int parse_filter(struct check_procs_config *cfg, int id, const char *arg, struct msp_error *err)
{
	switch (id) {
	case CHECK_PROCS_F_STATE:
		cfg->state = *arg ? arg : NULL;
		return 0;
	case CHECK_PROCS_F_PPID:
		return parse_ppid(cfg, arg, err);
	case CHECK_PROCS_F_VSZ:
		return parse_kib(arg, "VSZ", &cfg->vsz_kib, &cfg->has_vsz, err);
	case CHECK_PROCS_F_RSS:
		return parse_kib(arg, "RSS", &cfg->rss_kib, &cfg->has_rss, err);
	case CHECK_PROCS_F_PCPU:
		return parse_pcpu(cfg, arg, err);
	case CHECK_PROCS_F_USER:
		return parse_user(cfg, arg, err);
	case CHECK_PROCS_F_ARGS:
		cfg->args = *arg ? arg : NULL;
		return 0;
	case CHECK_PROCS_F_EREG:
		return parse_regex(cfg, arg, err);
	case CHECK_PROCS_F_COMMAND:
		return parse_command(cfg, arg, err);
	}
	return parse_exclude(cfg, arg, err);
}

static int procs_option(void *vcfg, int id, const char *arg, struct msp_error *err)
{
	struct check_procs_config *cfg = vcfg;
	int r;

	if (id == OPT_METRIC)
		return parse_metric(cfg, arg, err);
	if (id == OPT_POSITIONAL)
		return positional_arg(cfg, arg, err);
	r = parse_filter(cfg, id, arg, err);
	if (r == 0)
		note_filter(cfg, id);
	return r;
}

/* ------------------------------------------------------------ check */

/* Who "we" are: our pid, our parent, and (without -T) our executable and command name. */
static void find_self(const struct check_procs_config *cfg, struct check_procs_self *self)
{
	struct msp_buf comm;
	struct stat st;

	self->pid = (long)getpid();
	self->ppid = (long)getppid();
	msp_buf_init(&comm, sizeof(self->comm) - 1);
	if (!cfg->traditional && stat("/proc/self/exe", &st) == 0 &&
	    msp_file_read("/proc/self/comm", sizeof(self->comm) - 1, &comm, NULL) == 0) {
		self->has_exe = true;
		self->dev = (uint64_t)st.st_dev;
		self->ino = (uint64_t)st.st_ino;
		snprintf(self->comm, sizeof(self->comm), "%.*s", (int)strcspn(msp_buf_str(&comm), "\n"),
			 msp_buf_str(&comm));
	}
	msp_buf_release(&comm);
}

static int procs_check(void *vcfg, const struct msp_context *ctx, struct msp_result *root, struct msp_error *err)
{
	struct check_procs_config *cfg = vcfg;
	struct check_procs_self self = { 0 };
	struct check_procs_sample s = { 0 };
	int r;

	find_self(cfg, &self);
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

/* The old syntax "check_procs WARN CRIT [STATE]": positional arguments go to the option callback. */
static const struct msp_option positional = MSP_CALLBACK(OPT_POSITIONAL, 0, NULL, MSP_ARG_REQUIRED, "ARG", NULL);

/* Frees what the options allocated (the test harness calls it between runs; a real run just exits). */
static void procs_release(void *cfg)
{
	check_procs_config_release(cfg);
}

static const struct msp_plugin plugin = {
	.itl = "procs",
	.summary = "number of processes by command, args, regex, user, state, parent, size or CPU; or each one's VSZ, RSS, %CPU or age; read from `/proc`, fast with 10,000 processes",
	.dropin = "monitoring-plugins `check_procs`",
	.release = procs_release,
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
	.check = procs_check,
};

MSP_PLUGIN_MAIN(plugin, struct check_procs_config)
