/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * check_bundle - run a list of checks in parallel and report one result.
 *
 * probe: start every child (msp_exec_start), poll them together, each with
 *        its own deadline
 * parse: check_bundle_parse_perf() here; the profile (config lines, words,
 *        --set) in check_bundle_profile.c
 * evaluate: check_bundle_evaluate_child() per child, check_bundle_summarize()
 */
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check_bundle.h"

#define CONFIG_MAX (256 * 1024)  /* bytes of a config file */
#define CHILD_OUT_MAX (64 * 1024) /* bytes of a child's stdout we keep */
#define CHILD_ERR_MAX 4096        /* bytes of a child's stderr (shown with -vv) */
#define KILL_GRACE 1.5            /* seconds a killed child may take to go, before the bundle's own deadline */
#define NOTES_MAX 3               /* dropped-perfdata notes per child */

/*
 * The default profile.  Thresholds are deliberately generous: the profile
 * should be quiet on a healthy box and speak up when something needs a
 * person.  Keep contrib/bundles/default.conf in step (a unit test compares).
 */
const char check_bundle_default_profile[] =
	"disk = check_disk -w 20% -c 10% -l -X tmpfs -X devtmpfs -X squashfs -X overlay\n"
	"load = check_load -r -w 1.5,1.25,1 -c 3,2.5,2\n"
	"memory = check_mem -u -w 90 -c 95\n"
	"swap = check_swap -w 20% -c 10% -n ok\n"
	"processes = check_procs -w 1000 -c 2000\n"
	"users = check_users -w 20 -c 50\n"
	"uptime = check_uptime -w 1h: -c 5m:\n"
	"clamav (optional, requires=/var/lib/clamav) = check_clamav\n"
	"apt (optional, requires=/usr/bin/apt-get, timeout=12) = check_apt -t 10\n"
	"reboot (optional, timeout=12) = check_reboot -t 10 --libs-scan=auto\n";

#define MSP_CFG struct check_bundle_config
static const struct msp_option options[] = {
	MSP_PATH('f', "file", file, "FILE",
		 "Read the checks from FILE (\"NAME = COMMAND LINE\" lines, see below)\n"
		 "Without -f the built-in default profile for this machine runs",
		 .var = "bundle_file"),
	MSP_DURATION(0, "child-timeout", child_timeout, "DURATION",
		     "Kill a check that runs longer than DURATION (1ms to 1d; \"(timeout=...)\"\n"
		     "on a line overrides it); the bundle's own -t (default 15) caps every check",
		     .min = 0.001, .max = 86400, .def = "10s", .var = "bundle_child_timeout"),
	MSP_STATE(0, "child-timeout-result", child_timeout_state, "STATE",
		  "State of a check that was killed at its deadline", .def = "UNKNOWN",
		  .var = "bundle_child_timeout_result"),
	MSP_PATH(0, "plugin-dir", plugin_dir, "DIR",
		 "Look up bare command names in DIR, an absolute path (default: the\n"
		 "directory of check_bundle)"),
	MSP_LIST('x', "exclude", exclude, "NAME", "Leave out the check NAME (repeatable)", .var = "bundle_exclude"),
	MSP_LIST(0, "set", set, "NAME=ARGS",
		 "Run the check NAME with the arguments ARGS instead of its own (repeatable;\n"
		 "ARGS split like a config line, no shell): --set 'disk=-w 15% -c 5% -x /boot'",
		 .var = "bundle_set"),
	MSP_BOOL(0, "list", list,
		 "Run nothing: list each check with what it would run on this machine, or\n"
		 "why it is left out; exits 3 (UNKNOWN), like --help"),
	MSP_OPTION_END,
};

/* ---------------------------------------------------------- perfdata */

/* Add a note about a dropped item (the first NOTES_MAX only); why is msp_perf_parse's message. */
static int perf_drop(struct msp_result *node, int dropped, const char *why)
{
	if (dropped >= NOTES_MAX)
		return 0;
	return msp_result_add_note(node, "dropped %s", why) ? 0 : MSP_ENOMEM;
}

int check_bundle_parse_perf(const char *text, const char *prefix, struct msp_result *node)
{
	int dropped = 0, r = 0;
	const char *p = text;
	struct msp_buf full;

	msp_buf_init(&full, 2048);
	while (r == 0 && *(p += strspn(p, " \t\r\n"))) {
		struct msp_perf one = { .label = NULL }, *added;
		struct msp_error why;

		msp_error_init(&why);
		r = msp_perf_parse(&p, &one, &why);
		if (r == MSP_EINVAL) {
			r = perf_drop(node, dropped++, why.msg);
			continue;
		}
		if (r < 0)
			break;
		msp_buf_reset(&full);
		msp_buf_addf(&full, "%s::%s", prefix, one.label);
		added = msp_result_add_perf(node, msp_buf_str(&full), one.value, one.uom, &one.th);
		msp_perf_release(&one);
		if (!added) {
			r = MSP_ENOMEM;
			break;
		}
		added->decimals = one.decimals;
		if (one.has_min)
			msp_perf_set_min(added, one.min);
		if (one.has_max)
			msp_perf_set_max(added, one.max);
		r = 0;
	}
	if (r == 0 && dropped > NOTES_MAX && !msp_result_add_note(node, "dropped %d more invalid perfdata items",
								   dropped - NOTES_MAX))
		r = MSP_ENOMEM;
	msp_buf_release(&full);
	return r < 0 ? r : dropped;
}

/* -------------------------------------------------------- evaluation */

/* True when line (len bytes) is printable UTF-8 text: no control characters but TAB. */
static bool printable(const char *line, size_t len)
{
	const unsigned char *s = (const unsigned char *)line;

	for (size_t i = 0; i < len;) {
		unsigned char c = s[i];
		size_t l = c < 0x80 ? 1 : c >= 0xc2 && c <= 0xdf ? 2 : c >= 0xe0 && c <= 0xef ? 3 : c >= 0xf0 && c <= 0xf4 ? 4 : 0;

		if (l == 0 || i + l > len || (c < 0x20 && c != '\t') || c == 0x7f)
			return false;
		for (size_t k = 1; k < l; k++)
			if ((s[i + k] & 0xc0) != 0x80)
				return false;
		i += l;
	}
	return true;
}

/*
 * Split the child's stdout: the first line's text (trimmed) into text,
 * perfdata (after '|' on line 1, and Nagios-style from the first later line
 * with a '|' to the end) into perf.  false when there is no valid first line.
 */
static bool split_output(const char *out, struct msp_buf *text, struct msp_buf *perf)
{
	size_t len = strcspn(out, "\n"), tl, skip;
	const char *rest = out[len] ? out + len + 1 : NULL, *bar;

	if (len > 0 && out[len - 1] == '\r')
		len--;
	if (!printable(out, len))
		return false;
	bar = memchr(out, '|', len);
	tl = bar ? (size_t)(bar - out) : len;
	skip = strspn(out, " \t");
	if (skip > tl)
		skip = tl;
	while (tl > skip && (out[tl - 1] == ' ' || out[tl - 1] == '\t'))
		tl--;
	if (tl == skip)
		return false;
	msp_buf_add(text, out + skip, tl - skip);
	if (bar) {
		msp_buf_add(perf, bar + 1, len - (size_t)(bar + 1 - out));
		msp_buf_addc(perf, ' ');
	}
	while (rest && *rest) {
		size_t l = strcspn(rest, "\n");
		const char *b = memchr(rest, '|', l);

		if (b) {
			msp_buf_adds(perf, b + 1);
			break;
		}
		rest += l + (rest[l] == '\n');
	}
	return true;
}

/* Why the program path cannot run (errnum from exec or access); a bare name's plugin_dir is named. */
static void not_runnable(struct msp_buf *b, const char *path, const char *plugin_dir, int errnum)
{
	const char *slash = strrchr(path, '/');

	if (errnum != ENOENT)
		msp_buf_addf(b, "cannot run %s: %s", path, strerror(errnum));
	else if (plugin_dir && slash)
		msp_buf_addf(b, "plugin not found: '%s' is not in --plugin-dir '%s'", slash + 1, plugin_dir);
	else
		msp_buf_addf(b, "plugin not found: %s", path);
}

/* The state and text of a child that did not end with a plugin result (or 0 when it did). */
static int failure(const struct check_bundle_run *run, enum msp_state timeout_state, enum msp_state *st,
		   struct msp_buf *text)
{
	const struct msp_exec_result *res = run->res;
	char num[MSP_NUM_FORMAT_MAX];

	*st = MSP_STATE_UNKNOWN;
	if (!res)
		msp_buf_addf(text, "cannot start %s: %s", run->path, run->start_error ? run->start_error : "failed");
	else if (res->exec_failed)
		not_runnable(text, run->path, run->plugin_dir, res->errno_exec);
	else if (res->timed_out) {
		*st = timeout_state;
		msp_buf_addf(text, "timed out after %s s, killed", msp_num_format(run->limit, 1, num, sizeof(num)));
	} else if (!res->exited)
		msp_buf_addf(text, "killed by signal %d (%s)", res->signal, strsignal(res->signal));
	else if (res->exit_code > 3)
		msp_buf_addf(text, "exited with code %d, not a plugin state (0..3)", res->exit_code);
	else if (res->out.len == 0)
		msp_buf_addf(text, "printed nothing (exit code %d)", res->exit_code);
	else
		return 0;
	return 1;
}

int check_bundle_evaluate_child(const struct check_bundle_entry *e, const struct check_bundle_run *run,
				enum msp_state timeout_state, struct msp_result *root)
{
	struct msp_buf text, perf;
	struct msp_result *c;
	enum msp_state st;
	int r = MSP_ENOMEM;

	msp_buf_init(&text, 4096);
	msp_buf_init(&perf, CHILD_OUT_MAX);
	if (!failure(run, timeout_state, &st, &text)) {
		st = (enum msp_state)run->res->exit_code;
		if (!split_output(msp_buf_str(&run->res->out), &text, &perf)) {
			st = MSP_STATE_UNKNOWN;
			msp_buf_reset(&perf);
			msp_buf_addf(&text, "printed no valid first line (exit code %d)", run->res->exit_code);
		}
	}
	c = msp_result_add_child(root, st, "%s", msp_buf_str(&text));
	if (!c || msp_result_set_name(c, e->name) < 0)
		goto out;
	if (run->res)
		msp_result_set_duration(c, run->duration);
	if (perf.len && check_bundle_parse_perf(msp_buf_str(&perf), e->name, c) < 0)
		goto out;
	r = 0;
out:
	msp_buf_release(&text);
	msp_buf_release(&perf);
	return r;
}

int check_bundle_summarize(struct msp_result *root)
{
	struct msp_buf b;
	size_t ok = 0, total = 0;
	int r;

	/*
	 * "CRITICAL: disk; WARNING: apt, reboot; 7 of 10 OK": worst first, in profile order within a state.
	 * Room for every name of a full bundle, so no name is ever cut (the renderer caps the output).
	 */
	msp_buf_init(&b, CHECK_BUNDLE_MAX * (CHECK_BUNDLE_NAME_MAX + 2) + 64);
	for (int rank = 3; rank >= 1; rank--) {
		bool first = true;

		for (size_t i = 0; i < root->nchild; i++) {
			const struct msp_result *c = root->child[i];
			enum msp_state st = msp_result_state(c);

			if (c->note || msp_state_rank(st) != rank)
				continue;
			if (first)
				msp_buf_addf(&b, "%s%s: ", b.len ? "; " : "", msp_state_name(st));
			msp_buf_addf(&b, "%s%s", first ? "" : ", ", c->name ? c->name : "?");
			first = false;
		}
	}
	for (size_t i = 0; i < root->nchild; i++) {
		if (root->child[i]->note)
			continue;
		total++;
		ok += msp_result_state(root->child[i]) == MSP_STATE_OK;
	}
	if (total == 0)
		r = msp_result_set_text(root, "no checks to run");
	else if (ok == total)
		r = msp_result_set_text(root, "all %zu checks OK", total);
	else
		r = msp_result_set_text(root, "%s; %zu of %zu OK", msp_buf_str(&b), ok, total);
	msp_buf_release(&b);
	return r;
}

/* ------------------------------------------------------------- plugin */

/* The directory check_bundle runs from (owned by the caller), or NULL. */
static char *self_dir(void)
{
	char buf[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", buf, sizeof(buf) - 1);
	char *slash;

	if (n <= 0)
		return NULL;
	buf[n] = '\0';
	slash = strrchr(buf, '/');
	if (!slash)
		return NULL;
	*slash = '\0';
	return strdup(slash == buf ? "/" : buf);
}

/* The profile's text: -f FILE, or the built-in default profile.  0 or MSP_E* (text released). */
static int read_profile(const struct check_bundle_config *cfg, const char *origin, struct msp_buf *text,
			struct msp_error *err)
{
	int r;

	msp_buf_init(text, CONFIG_MAX);
	if (!cfg->file)
		msp_buf_adds(text, check_bundle_default_profile);
	else if ((r = msp_file_read(cfg->file, CONFIG_MAX, text, err)) < 0) {
		msp_buf_release(text);
		return r;
	}
	/* a NUL would end the text early and silently drop the checks after it */
	if (strlen(msp_buf_str(text)) != text->len) {
		msp_buf_release(text);
		return msp_error_set(err, MSP_EINVAL, "'%s' contains a NUL byte", origin);
	}
	return 0;
}

/* -x and --set against the parsed profile: every -x names a check, each --set applied in order. */
static int apply_exclude_and_set(struct check_bundle_config *cfg, const char *origin, struct msp_error *err)
{
	int r;

	for (size_t i = 0; i < cfg->exclude.count; i++) {
		const char *name = cfg->exclude.items[i];
		size_t j = 0;

		while (j < cfg->nentry && strcmp(cfg->entry[j].name, name) != 0)
			j++;
		if (j == cfg->nentry)
			return check_bundle_name_error(err, "-x", name, strlen(name), cfg->entry, cfg->nentry, origin);
	}
	/* in order: a later --set for the same check replaces an earlier one, like any repeated option */
	for (size_t i = 0; i < cfg->set.count; i++)
		if ((r = check_bundle_set_args(cfg->entry, cfg->nentry, cfg->set.items[i], origin, err)) < 0)
			return r;
	return 0;
}

/* Each entry's program: a bare name in --plugin-dir (default: next to check_bundle). */
static int resolve_all(struct check_bundle_config *cfg, const char *origin, struct msp_error *err)
{
	int r;

	if (!cfg->plugin_dir) {
		cfg->self_dir = self_dir();
		if (!cfg->self_dir)
			return msp_error_set(err, MSP_ESYS,
					     "cannot tell the directory of check_bundle from /proc/self/exe");
		cfg->plugin_dir = cfg->self_dir;
	}
	for (size_t i = 0; i < cfg->nentry; i++) {
		struct msp_error e2;

		msp_error_init(&e2);
		if ((r = check_bundle_resolve(&cfg->entry[i], cfg->plugin_dir, &e2)) < 0)
			return msp_error_set(err, r, "%s line %u: %s", origin, cfg->entry[i].line, e2.msg);
	}
	return 0;
}

static int bundle_finish(void *vcfg, const struct msp_context *ctx, struct msp_error *err)
{
	struct check_bundle_config *cfg = vcfg;
	const char *origin = cfg->file ? cfg->file : "the default profile";
	struct msp_buf text;
	int r;

	(void)ctx;
	if (cfg->plugin_dir && cfg->plugin_dir[0] != '/')
		return msp_error_set(err, MSP_EINVAL, "--plugin-dir '%.60s' is not an absolute path", cfg->plugin_dir);
	if ((r = read_profile(cfg, origin, &text, err)) < 0)
		return r;
	r = check_bundle_parse_config(msp_buf_str(&text), origin, &cfg->entry, &cfg->nentry, err);
	msp_buf_release(&text);
	if (r == 0)
		r = apply_exclude_and_set(cfg, origin, err);
	if (r == 0)
		r = resolve_all(cfg, origin, err);
	return r;
}

void check_bundle_config_release(struct check_bundle_config *cfg)
{
	check_bundle_free_entries(cfg->entry, cfg->nentry);
	cfg->entry = NULL;
	cfg->nentry = 0;
	free(cfg->self_dir);
	cfg->self_dir = NULL;
	msp_list_release(&cfg->exclude);
	msp_list_release(&cfg->set);
}

bool check_bundle_left_out(const struct check_bundle_config *cfg, const struct check_bundle_entry *e,
			   struct msp_buf *why)
{
	for (size_t i = 0; i < cfg->exclude.count; i++)
		if (strcmp(cfg->exclude.items[i], e->name) == 0) {
			msp_buf_adds(why, "left out by -x");
			return true;
		}
	if (e->requires && access(e->requires, F_OK) != 0) {
		msp_buf_addf(why, "left out: %s does not exist (requires=)", e->requires);
		return true;
	}
	if (e->optional && access(e->argv[0], X_OK) != 0) {
		int errnum = errno;

		msp_buf_adds(why, "left out (optional), ");
		not_runnable(why, e->argv[0], e->bare ? cfg->plugin_dir : NULL, errnum);
		return true;
	}
	return false;
}

int check_bundle_list(const struct check_bundle_config *cfg, struct msp_result *root)
{
	struct msp_buf b;
	size_t run = 0;
	int r = 0;

	msp_buf_init(&b, CHECK_BUNDLE_LINE_MAX * 2);
	for (size_t i = 0; i < cfg->nentry && r == 0; i++) {
		const struct check_bundle_entry *e = &cfg->entry[i];

		msp_buf_reset(&b);
		msp_buf_addf(&b, "%s: ", e->name);
		if (!check_bundle_left_out(cfg, e, &b)) {
			run++;
			if (access(e->argv[0], X_OK) != 0) {
				int errnum = errno;

				msp_buf_adds(&b, "would be UNKNOWN, ");
				not_runnable(&b, e->argv[0], e->bare ? cfg->plugin_dir : NULL, errnum);
			} else {
				msp_buf_adds(&b, "would run:");
				for (size_t k = 0; k < e->argc; k++) {
					msp_buf_addc(&b, ' ');
					check_bundle_quote(&b, e->argv[k]);
				}
			}
		}
		if (!msp_result_add_note(root, "%s", msp_buf_str(&b)))
			r = MSP_ENOMEM;
	}
	msp_buf_release(&b);
	msp_result_set_state(root, MSP_STATE_UNKNOWN);
	if (r == 0)
		r = msp_result_set_text(root, "%zu of %zu checks would run, %zu left out (--list: nothing was run)", run,
					cfg->nentry, cfg->nentry - run);
	return r;
}

/* Name the checks still running in the step text, for the bundle's own timeout message. */
static void step_waiting(const struct check_bundle_config *cfg, struct msp_exec_job *const job[])
{
	struct msp_buf b;

	msp_buf_init(&b, 200);
	for (size_t i = 0; i < cfg->nentry; i++)
		if (job[i] && !msp_exec_done(job[i]))
			msp_buf_addf(&b, "%s%s", b.len ? ", " : "waiting for ", cfg->entry[i].name);
	msp_step("%s", msp_buf_str(&b));
	msp_buf_release(&b);
}

/* The children of one run, by entry index. */
struct children {
	struct msp_exec_job *job[CHECK_BUNDLE_MAX];
	char *start_err[CHECK_BUNDLE_MAX];
	double limit[CHECK_BUNDLE_MAX]; /* deadline in seconds after the start */
	double t0[CHECK_BUNDLE_MAX];    /* monotonic start, and end once reaped (t1 > 0) */
	double t1[CHECK_BUNDLE_MAX];
	bool run[CHECK_BUNDLE_MAX];
};

/* Start every entry that is not left out. */
static void start_all(const struct check_bundle_config *cfg, const struct msp_context *ctx, struct children *ch)
{
	double cap = msp_deadline_ms_left(&ctx->deadline) / 1000.0 - KILL_GRACE;
	struct msp_buf why;

	msp_buf_init(&why, 4096);
	for (size_t i = 0; i < cfg->nentry; i++) {
		const struct check_bundle_entry *e = &cfg->entry[i];
		struct msp_error err;
		struct timespec deadline;

		msp_buf_reset(&why);
		ch->run[i] = !check_bundle_left_out(cfg, e, &why);
		if (!ch->run[i]) {
			msp_verbose(ctx, 1, "%s: %s", e->name, msp_buf_str(&why));
			continue;
		}
		ch->limit[i] = e->timeout > 0 ? e->timeout : cfg->child_timeout;
		if (ch->limit[i] > cap)
			ch->limit[i] = cap > 0.1 ? cap : 0.1;
		deadline = msp_deadline_in(ch->limit[i]);
		msp_error_init(&err);
		ch->t0[i] = msp_time_mono();
		if (msp_exec_start((const char *const *)e->argv, NULL, &deadline, CHILD_OUT_MAX,
				   ctx->verbose >= 2 ? CHILD_ERR_MAX : 0, &ch->job[i], &err) < 0)
			ch->start_err[i] = strdup(err.msg);
		else if (msp_exec_pid(ch->job[i]) > 0)
			msp_verbose(ctx, 1, "%s: started pid %ld, deadline %.1f s: %s", e->name,
				    msp_exec_pid(ch->job[i]), ch->limit[i], e->argv[0]);
	}
	msp_buf_release(&why);
}

/* Wait for every child; note when each one was done (msp_exec_poll returns as each one ends). */
static void wait_all(const struct check_bundle_config *cfg, struct children *ch)
{
	size_t left;

	do {
		double now;

		step_waiting(cfg, ch->job);
		left = msp_exec_poll(ch->job, cfg->nentry, NULL);
		now = msp_time_mono();
		for (size_t i = 0; i < cfg->nentry; i++)
			if (ch->job[i] && ch->t1[i] == 0 && msp_exec_done(ch->job[i]))
				ch->t1[i] = now;
	} while (left > 0);
}

static int bundle_check(void *vcfg, const struct msp_context *ctx, struct msp_result *root, struct msp_error *err)
{
	struct check_bundle_config *cfg = vcfg;
	struct children ch;
	double t0 = msp_time_mono();
	int r = 0;

	if (cfg->nentry > CHECK_BUNDLE_MAX) /* check_bundle_parse_config() never gives more */
		return msp_error_set(err, MSP_EINVAL, "more than %d checks", CHECK_BUNDLE_MAX);
	if (cfg->list)
		return check_bundle_list(cfg, root) < 0 ? msp_error_set(err, MSP_ENOMEM, "out of memory") : 0;
	memset(&ch, 0, sizeof(ch));
	start_all(cfg, ctx, &ch);
	wait_all(cfg, &ch);
	msp_verbose(ctx, 1, "all checks ended after %.2f s", msp_time_mono() - t0);
	for (size_t i = 0; i < cfg->nentry; i++) {
		struct msp_exec_result res = { .exited = false };
		struct check_bundle_run cr = { NULL, cfg->entry[i].argv[0], ch.limit[i], ch.start_err[i],
					       cfg->entry[i].bare ? cfg->plugin_dir : NULL, 0 };
		struct msp_error e2;

		if (!ch.run[i])
			continue;
		msp_error_init(&e2);
		if (ch.job[i] && msp_exec_finish(ch.job[i], &res, &e2) < 0)
			cr.start_error = e2.msg;
		else if (ch.job[i])
			cr.res = &res;
		cr.duration = (ch.t1[i] > 0 ? ch.t1[i] : msp_time_mono()) - ch.t0[i];
		if (cr.res && res.err.len)
			msp_verbose(ctx, 2, "%s: stderr: %s", cfg->entry[i].name, msp_buf_str(&res.err));
		if (r == 0)
			r = check_bundle_evaluate_child(&cfg->entry[i], &cr, cfg->child_timeout_state, root);
		msp_exec_result_release(&res);
		free(ch.start_err[i]);
	}
	if (r == 0)
		r = check_bundle_summarize(root);
	if (r < 0)
		return msp_error_set(err, r, "out of memory");
	return 0;
}

/* Frees what the options allocated (the test harness calls it between runs; a real run just exits). */
static void bundle_release(void *cfg)
{
	check_bundle_config_release(cfg);
}

static const struct msp_plugin plugin = {
	.summary = "the whole machine in one check: runs a list of checks in parallel (default profile or `-f FILE`), each with its own deadline; worst state, non-OK checks named, every check's perfdata as `name::label`; a table on a terminal, JSON for Zabbix",
	.release = bundle_release,
	.name = "check_bundle",
	.service = "BUNDLE",
	.synopsis = "[-f FILE] [-x NAME]... [--set NAME=ARGS]... [--list] [--child-timeout=DURATION] "
		    "[--child-timeout-result=STATE]",
	.description = "Run a list of checks in parallel and report one result for the whole machine.\n"
		       "Each check has its own deadline.  The result is the worst state, the checks\n"
		       "that are not OK, each check's first line and its perfdata with the check's\n"
		       "name as prefix (disk::/=...).  On a terminal the report is a table with\n"
		       "each check's duration, the states in colour (not with NO_COLOR set or\n"
		       "TERM=dumb); --output-format=json gives every check with its perfdata and\n"
		       "its duration in seconds.",
	.notes = "Config file (-f): one check per line, '#' starts a comment line:\n"
		 "  NAME [(OPTION, ...)] = COMMAND LINE\n"
		 "  NAME: letters, digits, _ . - (at most 32); it prefixes the perfdata labels\n"
		 "  OPTION: timeout=DURATION   own deadline instead of --child-timeout\n"
		 "          optional           leave the check out when its program is missing\n"
		 "          requires=/PATH     leave the check out unless /PATH exists\n"
		 "  COMMAND LINE: run directly, no shell.  Words are separated by blanks; '...'\n"
		 "  keeps everything literally, \"...\" too except \\\" and \\\\; a backslash outside\n"
		 "  quotes keeps the next character; an unquoted # at the start of a word begins\n"
		 "  a comment.  Nothing is expanded ($VAR, ~, *, ?): unquoted | & ; < > ( ) ` $\n"
		 "  are an error.  A bare first word (check_disk) is the plugin of that name next\n"
		 "  to check_bundle (or in --plugin-dir); an absolute path runs as given.\n"
		 "  Limits: 64 checks, 128 words of 4096 bytes, 8192 bytes a line, 256 KiB a file;\n"
		 "  past one the bundle is UNKNOWN, it never cuts anything short.\n"
		 "Each check runs with a clean environment, in its own process group, with\n"
		 "stdin from /dev/null and no descriptor but 0, 1 and 2; a check that passes\n"
		 "its deadline is killed with its group.  Nothing a check starts outlives it:\n"
		 "daemons it left (setsid, double fork) are ended when it ends.\n"
		 "A check that is missing, prints nothing, prints no valid first line, exits\n"
		 "with a code outside 0..3 or dies by a signal is UNKNOWN, never OK; invalid\n"
		 "perfdata of a check is dropped with a note, never passed on.\n"
		 "Default profile (no -f; contrib/bundles/default.conf is the same):\n"
		 "  disk       check_disk -w 20% -c 10% -l -X tmpfs -X devtmpfs -X squashfs -X overlay\n"
		 "  load       check_load -r -w 1.5,1.25,1 -c 3,2.5,2   (per CPU)\n"
		 "  memory     check_mem -u -w 90 -c 95                (percent used)\n"
		 "  swap       check_swap -w 20% -c 10% -n ok           (percent free; no swap is OK)\n"
		 "  processes  check_procs -w 1000 -c 2000\n"
		 "  users      check_users -w 20 -c 50\n"
		 "  uptime     check_uptime -w 1h: -c 5m:               (a recent reboot)\n"
		 "  clamav     check_clamav             when /var/lib/clamav exists\n"
		 "  apt        check_apt -t 10          when /usr/bin/apt-get exists (deadline 12s)\n"
		 "  reboot     check_reboot -t 10 --libs-scan=auto   when installed (deadline 12s:\n"
		 "             needrestart is slow; libraries only where every process can be read)\n"
		 "A core check (disk ... uptime) whose plugin is missing is UNKNOWN (a broken\n"
		 "install, 'plugin not found' names --plugin-dir); the last three are left out\n"
		 "when their plugin is missing.\n"
		 "--set NAME=ARGS gives a check of the profile other arguments without a\n"
		 "profile file: the program stays, its arguments are replaced by ARGS, split\n"
		 "like a config line; a later --set for the same NAME wins.\n"
		 "--list runs nothing and prints each check with \"would run: COMMAND\" or\n"
		 "why not (left out by -x, requires=, an optional plugin not installed, a\n"
		 "plugin not found); like --help it exits 3 (UNKNOWN), nothing was checked.\n"
		 "Examples:\n"
		 "  check_bundle\n"
		 "  check_bundle -f /etc/msp-plugins/fileserver.conf --output-format=json\n"
		 "  check_bundle -x apt -t 12 --child-timeout 8s\n"
		 "  check_bundle --set 'disk=-w 15% -c 5% -x /boot' --list",
	.options = options,
	.timeout = 15,
	.timeout_state = MSP_STATE_UNKNOWN,
	.tty_format = MSP_FORMAT_TABLE,
	.finish = bundle_finish,
	.check = bundle_check,
};

MSP_PLUGIN_MAIN(plugin, struct check_bundle_config)
