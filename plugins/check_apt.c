/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * check_apt - pending package updates (drop-in for monitoring-plugins check_apt).
 *
 * probe: apt-get update (-u), apt-get -s upgrade|dist-upgrade (and a second
 *        simulation that includes phased updates when apt kept packages back),
 *        the dpkg status file (holds) and the mtimes in apt's lists directory
 * parse: check_apt_split_opts(), check_apt_paths(), check_apt_parse_simulation(),
 *        check_apt_parse_status() (check_apt_parse.c)
 * evaluate: check_apt_evaluate() (check_apt_eval.c)
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "check_apt.h"
#ifdef MSP_HAVE_APT_PKG
#include "check_apt_pkg.h"
#endif
#include "msp_cmd.h"
#include "msp_dir.h"

#define APT_OUT_MAX (16u << 20) /* a dist-upgrade of every package on a big system fits */
#define APT_ERR_MAX (64u << 10)
#define STATUS_MAX (128u << 20) /* dpkg status files of large systems are ~10 MiB */

/* -u/-U/-d: an optional OPTS whose meaning depends on the order (see apt_opt). */
enum { OPT_UPDATE, OPT_UPGRADE, OPT_DIST_UPGRADE };

#define MSP_CFG struct check_apt_config
static const struct msp_option options[] = {
	MSP_CALLBACK(OPT_UPDATE, 'u', "update", MSP_ARG_OPTIONAL, "OPTS",
		     "First run 'apt-get OPTS update' (default OPTS: -q; needs root).  Its failure is\n"
		     "CRITICAL, warnings on its stderr are a WARNING",
		     .var = "apt_update"),
	MSP_CALLBACK(OPT_UPGRADE, 'U', "upgrade", MSP_ARG_OPTIONAL, "OPTS",
		     "Simulate 'apt-get OPTS upgrade' (the default).  OPTS replace the default\n"
		     "options -o Debug::NoLocking=true -s -q: without -s apt-get really upgrades",
		     .var = "apt_upgrade"),
	MSP_CALLBACK(OPT_DIST_UPGRADE, 'd', "dist-upgrade", MSP_ARG_OPTIONAL, "OPTS",
		     "Simulate 'apt-get OPTS dist-upgrade' instead; OPTS as for -U", .var = "apt_dist_upgrade"),
	MSP_BOOL('n', "no-upgrade", no_upgrade, "Do not simulate the upgrade (useful with -u or --lists-max-age)",
		 .var = "apt_no_upgrade"),
	MSP_BOOL('l', "list", list,
		 "Name every package after line 1, as the reference does (the multi-line, table and\n"
		 "json formats name at most 20 of each kind without it)",
		 .var = "apt_list"),
	MSP_BOOL(0, "extra-perfdata", extra_perfdata,
		 "Add held, phased, kept_back and lists_age to the reference's two perfdata items\n"
		 "(lists_age comes with --lists-max-age too)",
		 .var = "apt_extra_perfdata"),
	MSP_LIST('i', "include", include_list, "REGEXP",
		 "Count only packages whose Inst line matches REGEXP (POSIX extended; repeat to\n"
		 "add alternatives)",
		 .var = "apt_include"),
	MSP_LIST('e', "exclude", exclude_list, "REGEXP", "Do not count packages whose Inst line matches REGEXP",
		 .var = "apt_exclude"),
	MSP_LIST('c', "critical", critical_list, "REGEXP",
		 "An included package whose Inst line matches REGEXP is a critical update\n"
		 "(CRITICAL).  Default, for Debian and Ubuntu security updates:\n"
		 "  " CHECK_APT_SECURITY_REGEX,
		 .var = "apt_critical"),
	MSP_BOOL('o', "only-critical", only_critical, "Only critical updates change the state",
		 .var = "apt_only_critical"),
	/* '' is an error: the reference reads it as 0 (every package a WARNING), "not given" would be 1 */
	MSP_INT('w', "packages-warning", packages_warning, "N", 0, 1000000000,
		"WARNING when N or more packages can be upgraded", .def = "1", .flags = MSP_OPTF_EMPTY_ERROR,
		.var = "apt_packages_warning"),
	MSP_PATH(0, "input-file", input_file, "FILE",
		 "Read a saved 'apt-get -s upgrade' output from FILE instead of running apt-get"),
	MSP_DURATION(0, "lists-max-age", lists_max_age, "DURATION",
		     "WARNING when the newest file in apt's lists directory is older than DURATION\n"
		     "(2d, 36h, 90m; bare numbers are seconds) or there is none: stale lists make\n"
		     "every count read 0",
		     .given = MSP_GIVEN(has_lists_max_age), .flags = MSP_OPTF_EMPTY_ERROR, .var = "apt_lists_max_age"),
	MSP_PATH(0, "lists-dir", lists_dir, "DIR",
		 "apt's lists directory (default: -o Dir::State::Lists= etc. in OPTS, else\n"
		 "/var/lib/apt/lists)",
		 .var = "apt_lists_dir"),
	MSP_PATH(0, "dpkg-status", status_file, "FILE",
		 "The dpkg status file to read holds from (default: -o Dir::State::status= in\n"
		 "OPTS, else /var/lib/dpkg/status)",
		 .var = "apt_dpkg_status"),
	MSP_PATH(0, "apt-get", apt_get, "PATH", "Run PATH instead of apt-get (for tests and unusual installs)",
		 .def = "/usr/bin/apt-get"),
	MSP_OPTION_END,
};

/* ---------------------------------------------------------------- options */

int check_apt_regex_add(struct check_apt_regex *r, const char *pattern)
{
	char *s = NULL;

	if (r->text ? asprintf(&s, "%s|%s", r->text, pattern) < 0 : !(s = strdup(pattern)))
		return MSP_ENOMEM;
	free(r->text);
	r->text = s;
	return 0;
}

static int compile_one(struct check_apt_regex *r, const char *def, const char *opt, struct msp_error *err)
{
	char what[32];
	int rc;

	if (!r->text && def && !(r->text = strdup(def)))
		return msp_error_set(err, MSP_ENOMEM, "out of memory");
	if (!r->text || r->compiled)
		return 0;
	snprintf(what, sizeof(what), "%s regexp", opt);
	rc = msp_regex_compile(&r->re, r->text, REG_EXTENDED | REG_NOSUB, what, err);
	if (rc < 0)
		return rc;
	r->compiled = true;
	return 0;
}

int check_apt_compile(struct check_apt_config *cfg, struct msp_error *err)
{
	if (compile_one(&cfg->include, NULL, "-i", err) < 0 || compile_one(&cfg->exclude, NULL, "-e", err) < 0 ||
	    compile_one(&cfg->critical, CHECK_APT_SECURITY_REGEX, "-c", err) < 0)
		return MSP_EINVAL;
	return 0;
}

static void regex_release(struct check_apt_regex *r)
{
	if (r->compiled)
		regfree(&r->re);
	free(r->text);
	*r = (struct check_apt_regex){ 0 };
}

void check_apt_config_release(struct check_apt_config *cfg)
{
	regex_release(&cfg->include);
	regex_release(&cfg->exclude);
	regex_release(&cfg->critical);
	check_apt_words_free(cfg->upgrade_words);
	check_apt_words_free(cfg->update_words);
	cfg->upgrade_words = cfg->update_words = NULL;
	cfg->n_upgrade_words = cfg->n_update_words = 0;
	msp_list_release(&cfg->include_list);
	msp_list_release(&cfg->exclude_list);
	msp_list_release(&cfg->critical_list);
}

/*
 * A -c value such as "10", "5:" or "@10:20" is a Nagios threshold given
 * where check_apt wants a regular expression: as a regexp it would match
 * almost no Inst line, so security updates would silently stop counting as
 * critical.  Refused instead (the reference takes it as a regexp).
 */
static bool looks_like_threshold(const char *v)
{
	const char *p = v;

	if (*p == '@')
		p++;
	if (*p == '~')
		p++;
	p += strspn(p, "0123456789.");
	if (*p == ':')
		p += 1 + strspn(p + 1, "0123456789.");
	return *p == '\0';
}

/*
 * -u/-U/-d with or without OPTS: a bare one (or OPTS '', an unset macro: never
 * apt-get without -s, a real upgrade) keeps the OPTS given before it, and
 * -U/-d share one OPTS with the last mode winning, as in the reference.
 */
static int apt_opt(void *vcfg, int id, const char *arg, struct msp_error *err)
{
	struct check_apt_config *cfg = vcfg;
	bool has_opts = arg && *arg;

	(void)err;
	if (id == OPT_UPDATE) {
		cfg->do_update = true;
		if (has_opts)
			cfg->update_opts = arg;
		return 0;
	}
	cfg->mode = id == OPT_UPGRADE ? CHECK_APT_UPGRADE : CHECK_APT_DIST_UPGRADE;
	if (has_opts)
		cfg->upgrade_opts = arg;
	return 0;
}

/* Each -i/-e/-c value joined into its regexp; a threshold given to -c is refused (see looks_like_threshold). */
static int add_patterns(struct check_apt_config *cfg, struct msp_error *err)
{
	for (size_t i = 0; i < cfg->critical_list.count; i++)
		if (looks_like_threshold(cfg->critical_list.items[i]))
			return msp_error_set(
				err, MSP_EINVAL,
				"-c takes a regular expression for security updates, not a threshold ('%.40s'); "
				"a number of packages is -w N",
				cfg->critical_list.items[i]);
	for (size_t i = 0; i < cfg->include_list.count; i++)
		if (check_apt_regex_add(&cfg->include, cfg->include_list.items[i]) < 0)
			return msp_error_set(err, MSP_ENOMEM, "out of memory");
	for (size_t i = 0; i < cfg->exclude_list.count; i++)
		if (check_apt_regex_add(&cfg->exclude, cfg->exclude_list.items[i]) < 0)
			return msp_error_set(err, MSP_ENOMEM, "out of memory");
	for (size_t i = 0; i < cfg->critical_list.count; i++)
		if (check_apt_regex_add(&cfg->critical, cfg->critical_list.items[i]) < 0)
			return msp_error_set(err, MSP_ENOMEM, "out of memory");
	return 0;
}

static int apt_finish(void *vcfg, const struct msp_context *ctx, struct msp_error *err)
{
	struct check_apt_config *cfg = vcfg;

	(void)ctx;
	if (cfg->has_lists_max_age && !(cfg->lists_max_age > 0))
		return msp_error_set(err, MSP_EINVAL, "--lists-max-age must be longer than 0 s");
	if (add_patterns(cfg, err) < 0)
		return MSP_EINVAL;
	if (check_apt_split_opts(cfg->upgrade_opts ? cfg->upgrade_opts : CHECK_APT_UPGRADE_OPTS, &cfg->upgrade_words,
				 &cfg->n_upgrade_words, err) < 0)
		return MSP_EINVAL;
	if (check_apt_split_opts(cfg->update_opts ? cfg->update_opts : CHECK_APT_UPDATE_OPTS, &cfg->update_words,
				 &cfg->n_update_words, err) < 0)
		return MSP_EINVAL;
	return check_apt_compile(cfg, err);
}

/* ----------------------------------------------------------------- probe */

#ifdef MSP_HAVE_APT_PKG
/* The first meaningful line of stderr, owned (NULL when there is none; a quote lost to ENOMEM is only a quote). */
static char *first_line(const char *text)
{
	char buf[300];

	return msp_cmd_error_line(NULL, text, buf, sizeof(buf)) == 0 && buf[0] ? strdup(buf) : NULL;
}

/*
 * The simulation in process through libapt-pkg (plugins/check_apt_pkg.cc):
 * the same output lines apt-get -s prints that check_apt reads, without
 * apt-get's package manager.  1 when it declined (apt-get runs then; -v
 * says why), 0 when run and *ret_out are set, MSP_ENOMEM.  Only for the
 * default apt-get: --apt-get names another program to run.
 */
static int simulate_in_process(const struct check_apt_config *cfg, const struct msp_context *ctx, char *const *words,
			       size_t n, const char *extra, const char *verb, struct check_apt_run *run,
			       struct msp_buf *ret_out)
{
	struct check_apt_pkg_result res;
	int r;

	if (strcmp(cfg->apt_get, "/usr/bin/apt-get") != 0 || strcmp(verb, "update") == 0)
		return 1;
	msp_step("simulating %s with libapt-pkg", verb);
	r = check_apt_pkg_run(words, n, extra, verb, &res);
	if (r == CHECK_APT_PKG_FALLBACK)
		msp_verbose(ctx, 1, "not simulating in process (%s): running apt-get", res.why);
	if (r == CHECK_APT_PKG_DONE) {
		msp_verbose(ctx, 1, "%s%s%s", res.method, extra ? " with -o " : "", extra ? extra : "");
		run->ran = true;
		run->err_line = first_line(res.err);
		msp_buf_reset(ret_out);
		r = msp_buf_adds(ret_out, res.out);
		if (r == MSP_ETOOBIG) {
			run->failed = true;
			r = asprintf(&run->why, "more than %u bytes of output", APT_OUT_MAX) < 0 ? MSP_ENOMEM : 0;
		}
	}
	check_apt_pkg_result_release(&res);
	return r == CHECK_APT_PKG_NOMEM || r == MSP_ENOMEM ? MSP_ENOMEM : r;
}
#endif

/*
 * Run apt_get WORDS... [EXTRA...] VERB; record how it ended in run and hand
 * the stdout over in ret_out.  MSP_ETIMEOUT when the deadline passed.
 */
static int run_apt(const struct check_apt_config *cfg, const struct msp_context *ctx, char *const *words, size_t n,
		   const char *extra, const char *verb, struct check_apt_run *run, struct msp_buf *ret_out,
		   struct msp_error *err)
{
	struct msp_cmd_expect expect = { .whole_output = true };
	struct msp_exec_result x = { 0 };
	struct msp_cmd_verdict v;
	struct msp_cmd c;
	char what[512];
	int r;

#ifdef MSP_HAVE_APT_PKG
	r = simulate_in_process(cfg, ctx, words, n, extra, verb, run, ret_out);
	if (r <= 0)
		return r < 0 ? msp_error_set(err, MSP_ENOMEM, "out of memory") : 0;
#endif
	msp_cmd_init(&c, ctx, cfg->apt_get);
	for (size_t i = 0; i < n; i++)
		msp_cmd_arg(&c, words[i]);
	if (extra && msp_cmd_arg(&c, "-o") == 0)
		msp_cmd_arg(&c, extra);
	msp_cmd_arg(&c, verb);
	snprintf(what, sizeof(what), "%s %s", cfg->apt_get, verb);
	expect.what = what;
	msp_step("running %s", what);
	r = msp_cmd_run(&c, NULL, APT_OUT_MAX, APT_ERR_MAX, &x, err);
	if (r == 0)
		r = msp_cmd_judge(&c, &x, &expect, &v, err);
	if (r < 0)
		goto out;
	run->ran = true;
	if (v.end == MSP_CMD_TIMED_OUT) {
		r = msp_error_set(err, MSP_ETIMEOUT, "%s", v.msg);
		goto out;
	}
	run->err_line = v.line[0] ? strdup(v.line) : NULL;
	run->failed = v.end != MSP_CMD_OK;
	if ((run->failed && !(run->why = strdup(v.reason))) || (v.line[0] && !run->err_line)) {
		r = msp_error_set(err, MSP_ENOMEM, "out of memory");
	} else if (!run->failed) {
		msp_buf_release(ret_out);
		*ret_out = x.out;
		msp_buf_init(&x.out, 0);
	}
out:
	msp_exec_result_release(&x);
	msp_cmd_release(&c);
	return r;
}

/* Phased updates: packages apt kept back that a simulation including phased updates installs. */
static int probe_phased(const struct check_apt_config *cfg, const struct msp_context *ctx, struct check_apt_sample *s,
			const char *verb, struct msp_error *err)
{
	struct check_apt_sample all = { 0 };
	struct msp_error bad;
	struct msp_buf out;
	int r;

	msp_error_init(&bad);
	msp_buf_init(&out, APT_OUT_MAX);
	r = run_apt(cfg, ctx, cfg->upgrade_words, cfg->n_upgrade_words, "APT::Get::Always-Include-Phased-Updates=true",
		    verb, &all.upgrade, &out, err);
	if (r == 0 && all.upgrade.failed) {
		r = asprintf(&s->phased_error, "cannot tell phased from kept-back updates: %s", all.upgrade.why) < 0 ?
			    msp_error_set(err, MSP_ENOMEM, "out of memory") :
			    0;
		goto out;
	}
	if (r == 0 && check_apt_parse_simulation(msp_buf_str(&out), &all) < 0)
		r = msp_error_set(err, MSP_ENOMEM, "out of memory");
	if (r == 0 && check_apt_verify_simulation(&all, &bad) < 0) {
		r = asprintf(&s->phased_error, "cannot tell phased from kept-back updates: %s", bad.msg) < 0 ?
			    msp_error_set(err, MSP_ENOMEM, "out of memory") :
			    0;
		goto out;
	}
	if (r == 0 && check_apt_find_phased(s, &all) < 0)
		r = msp_error_set(err, MSP_ENOMEM, "out of memory");
	s->phased_known = r == 0;
out:
	msp_buf_release(&out);
	check_apt_sample_release(&all);
	return r;
}

/* The simulation (or --input-file) and, when apt kept packages back, the phased ones among them. */
static int probe_simulation(const struct check_apt_config *cfg, const struct msp_context *ctx,
			    struct check_apt_sample *s, struct msp_error *err)
{
	const char *verb = cfg->mode == CHECK_APT_DIST_UPGRADE ? "dist-upgrade" : "upgrade";
	struct msp_error bad;
	struct msp_buf out;
	int r;

	msp_error_init(&bad);
	msp_buf_init(&out, APT_OUT_MAX);
	if (cfg->input_file) {
		msp_step("reading %s", cfg->input_file);
		r = msp_file_read(cfg->input_file, APT_OUT_MAX, &out, err);
	} else {
		r = run_apt(cfg, ctx, cfg->upgrade_words, cfg->n_upgrade_words, NULL, verb, &s->upgrade, &out, err);
	}
	if (r == 0 && check_apt_parse_simulation(msp_buf_str(&out), s) < 0)
		r = msp_error_set(err, MSP_ENOMEM, "out of memory");
	msp_buf_release(&out);
	if (r < 0 || s->upgrade.failed)
		return r;
	if (check_apt_verify_simulation(s, &bad) < 0)
		return msp_error_set(err, MSP_EINVAL, "cannot trust %s: %s",
				     cfg->input_file ? cfg->input_file : "the output of apt-get -s", bad.msg);
	/* -qq output may be empty when nothing is pending; a file or our own -q run never is. */
	if ((cfg->input_file || !cfg->upgrade_opts) && !s->summary_seen && s->npkg == 0)
		return msp_error_set(err, MSP_EINVAL, "cannot parse %s: no Inst line and no \"N upgraded\" line",
				     cfg->input_file ? cfg->input_file : "the output of apt-get -s");
	s->phased_known = s->summary_seen;
	for (size_t i = 0; i < s->kept_back.n && !cfg->input_file; i++)
		if (!check_apt_names_has(&s->held, s->kept_back.v[i]))
			return probe_phased(cfg, ctx, s, verb, err);
	return 0;
}

static int probe_held(const char *path, struct check_apt_sample *s)
{
	struct msp_buf b;
	struct msp_error e;
	int r;

	msp_error_init(&e);
	msp_step("reading %s", path);
	msp_buf_init(&b, STATUS_MAX);
	r = msp_file_read(path, STATUS_MAX, &b, &e);
	if (r == 0) {
		r = check_apt_parse_status(msp_buf_str(&b), &s->held);
		if (r == MSP_EINVAL &&
		    asprintf(&s->held_error, "held packages unknown: '%s' lists no package", path) < 0)
			r = MSP_ENOMEM;
	} else if (asprintf(&s->held_error, "held packages unknown: %s", e.msg) < 0) {
		r = MSP_ENOMEM;
	}
	msp_buf_release(&b);
	if (r == MSP_ENOMEM)
		return r;
	s->held_known = r == 0;
	return 0;
}

/* The newest mtime of the regular files in apt's lists directory (lock and partial/ left out). */
static int probe_lists(const char *dir, struct check_apt_sample *s)
{
	struct msp_dir d;
	struct msp_error e;
	bool any = false;
	int r;

	msp_step("reading %s", dir);
	if (!(s->lists_dir = strdup(dir)))
		return MSP_ENOMEM;
	/* An entry gone meanwhile (apt-get update replaces lists) is left out; any other error hides a list. */
	r = msp_dir_list(dir, MSP_DIR_UNREADABLE, 0, &d, &e);
	if (r == MSP_ENOMEM)
		return r;
	if (r < 0)
		return asprintf(&s->lists_error, "cannot read the lists directory '%s': %s", dir,
				r == MSP_ESYS ? strerror(d.errnum) : e.msg) < 0 ?
			       MSP_ENOMEM :
			       0;
	for (size_t i = 0; i < d.n && r == 0; i++) {
		const struct msp_dir_entry *de = &d.entry[i];

		if (strcmp(de->name, "lock") == 0)
			continue;
		if (de->errnum != 0) {
			r = asprintf(&s->lists_error, "cannot read the lists directory '%s': %s: %s", dir, de->name,
				     strerror(de->errnum)) < 0 ?
				    MSP_ENOMEM :
				    1;
		} else if (S_ISREG(de->st.st_mode)) {
			if (!any || (int64_t)de->st.st_mtim.tv_sec > s->lists_mtime)
				s->lists_mtime = (int64_t)de->st.st_mtim.tv_sec;
			any = true;
		}
	}
	msp_dir_release(&d);
	if (r != 0)
		return r < 0 ? r : 0;
	s->lists_known = true;
	s->lists_empty = !any;
	return 0;
}

static int apt_check(void *vcfg, const struct msp_context *ctx, struct msp_result *root, struct msp_error *err)
{
	struct check_apt_config *cfg = vcfg;
	struct check_apt_sample s = { 0 };
	struct msp_buf ignored;
	char *lists = NULL, *status = NULL;
	int r;

	/* The lists and status apt reads for the counts: the simulation's options (the update's with -n). */
	r = cfg->no_upgrade ? check_apt_paths(cfg->update_words, cfg->n_update_words, &lists, &status) :
			      check_apt_paths(cfg->upgrade_words, cfg->n_upgrade_words, &lists, &status);
	if (r < 0) {
		r = msp_error_set(err, MSP_ENOMEM, "out of memory");
		goto out;
	}
	msp_buf_init(&ignored, APT_OUT_MAX);
	if (cfg->do_update)
		r = run_apt(cfg, ctx, cfg->update_words, cfg->n_update_words, NULL, "update", &s.update, &ignored, err);
	msp_buf_release(&ignored);
	if (r == 0)
		r = probe_held(cfg->status_file ? cfg->status_file : status, &s);
	if (r == 0 && !cfg->no_upgrade)
		r = probe_simulation(cfg, ctx, &s, err);
	if (r == 0)
		r = probe_lists(cfg->lists_dir ? cfg->lists_dir : lists, &s);
	if (r == MSP_ENOMEM)
		msp_error_set(err, r, "out of memory");
	if (r == MSP_ETIMEOUT) {
		/* The deadline passed inside apt-get: the timeout's state and the step it was in. */
		msp_result_set_state(root, ctx->timeout_state);
		r = msp_result_set_text(root, "%s", err->msg);
	} else if (r == 0) {
		msp_verbose(ctx, 1, "%zu Inst lines, %zu kept back, %zu held", s.npkg, s.kept_back.n, s.held.n);
		r = check_apt_evaluate(cfg, &s, (int64_t)time(NULL), root);
		if (r < 0)
			msp_error_set(err, r, "out of memory");
	}
out:
#ifdef MSP_HAVE_APT_PKG
	check_apt_pkg_cleanup(); /* the package cache the simulations shared */
#endif
	check_apt_sample_release(&s);
	free(lists);
	free(status);
	return r;
}

/* Frees what the options allocated (the test harness calls it between runs; a real run just exits). */
static void apt_release(void *cfg)
{
	check_apt_config_release(cfg);
}

static const struct msp_plugin plugin = {
	.itl = "apt",
	.summary = "pending package updates (apt-get simulation): security updates CRITICAL, others WARNING; held, phased and kept-back packages counted apart; stale package lists (`--lists-max-age`)",
	.dropin = "monitoring-plugins `check_apt`",
	.release = apt_release,
	.nagios = &check_apt_nagios_style, /* also for errors; the check's result picks its own (-l) */
	.name = "check_apt",
	.service = "APT",
	.synopsis = "[-u[OPTS]] [-U[OPTS]|-d[OPTS]] [-n] [-l] [-i REGEXP]... [-e REGEXP]... [-c REGEXP]... [-o] "
		    "[-w N] [--lists-max-age DURATION] [--lists-dir DIR] [--dpkg-status FILE]",
	.description = "Check for package updates on apt-based systems (Debian, Ubuntu): simulate\n"
		       "'apt-get upgrade' (or dist-upgrade) and count the packages it would install.\n"
		       "Security updates are CRITICAL, other updates a WARNING.",
	.notes = "OPTS are split into words without a shell, as the reference splits them: blanks\n"
		 "  separate words, a word that starts with ' ends at the next ' (-o 'A::B=x y');\n"
		 "  \" is refused.  Config files given with -c in OPTS are not read for the lists\n"
		 "  directory and the status file: give --lists-dir and --dpkg-status then.\n"
		 "Held packages (apt-mark hold) are counted from the dpkg status file; packages apt\n"
		 "  keeps back are split into phased updates (found by a second simulation with\n"
		 "  APT::Get::Always-Include-Phased-Updates, run only when apt kept something back\n"
		 "  that is not held) and the rest (kept back for new dependencies).  None of them\n"
		 "  counts as available.  apt lists kept-back packages only when OPTS are not -qq.\n"
		 "Method: built with libapt-pkg (apt 2.6) the simulation runs in process with apt's\n"
		 "  own resolver (about 5x faster than apt-get -s); whatever it cannot do exactly as\n"
		 "  apt-get does (unknown options, OPTS without -s, broken dependencies, Debug::*\n"
		 "  options, ...) runs apt-get, and -v names the method or prints the command.  Where\n"
		 "  apt's package cache is switched off (Dir::Cache::pkgcache \"\", as in Docker\n"
		 "  images) it keeps msp-check_apt-pkgcache.bin (tens of MB) in apt's Dir::Cache when\n"
		 "  only this user can write there, else in /var/tmp/msp-plugins-UID; libapt-pkg\n"
		 "  checks it against the lists and the status file before each use.\n"
		 "Output: line 1 is the reference's (\"APT CRITICAL: 4 packages available for upgrade\n"
		 "  (2 critical updates). |available_upgrades=4;;;0 critical_updates=2;;;0\"), and -l\n"
		 "  names the packages after it (security first; phased, kept-back and held ones\n"
		 "  marked as such).  Held, phased and kept-back counts are a line of their own in the\n"
		 "  multi-line, table and json formats.\n"
		 "Perfdata: available_upgrades and critical_updates as in the reference; with\n"
		 "  --extra-perfdata also held, phased, kept_back and lists_age (seconds since the\n"
		 "  newest file in the lists directory changed; apt keeps the server's times, so a\n"
		 "  frozen mirror ages too), which --lists-max-age adds as well.  A graphing tool\n"
		 "  that keeps a fixed set of values per service (PNP4Nagios) then needs its\n"
		 "  storage reset once.\n"
		 "Differences from monitoring-plugins check_apt 2.3.3 (deliberate):\n"
		 "  - -c with a threshold instead of a regexp (-c 10, -c @) is an error: as a regexp it\n"
		 "    would stop security updates from counting as critical; -w '' is an error too\n"
		 "  - the default simulation runs with -q instead of -qq so apt lists what it kept\n"
		 "    back; the counts are the same\n"
		 "  - a simulation that fails (apt-get exits non-zero) is UNKNOWN; the reference\n"
		 "    says WARNING when apt-get also wrote to stderr (UNKNOWN otherwise)\n"
		 "  - warnings or errors of apt-get lead the summary, naming the run and its exit\n"
		 "    status (\"apt-get update failed (exit status 100); 4 packages ...\"); the\n"
		 "    reference appends \"  warnings detected, errors detected.\"\n"
		 "  - -n without -u or --lists-max-age checks nothing and is UNKNOWN (the\n"
		 "    reference: OK with 0 packages)\n"
		 "  - a timeout is UNKNOWN (the reference: CRITICAL); -t N:CRITICAL restores it\n"
		 "  - an empty -i/-e/-c/OPTS value means not given (the reference: an empty\n"
		 "    regexp matches every package; an empty OPTS runs apt-get without -s, a real\n"
		 "    upgrade); -w that is not a number and stray arguments are UNKNOWN (the\n"
		 "    reference reads -w 3x as 3 and ignores stray arguments)\n"
		 "  - output that contradicts itself is UNKNOWN naming both numbers: the summary\n"
		 "    'U upgraded, N newly installed, ... X to remove and K not upgraded.' must match\n"
		 "    the Inst lines (with and without an installed version), the Remv/Purg lines\n"
		 "    and the kept-back (and apt 2.7's deferred) lists; output with apt's progress\n"
		 "    lines needs the summary (the reference counts Inst lines: '5 upgraded'\n"
		 "    without any is OK);\n"
		 "    -qq output has no summary and is not cross-checked\n"
		 "  - package names are in the long output without -l (at most 20 per kind)\n"
		 "Examples:\n"
		 "  check_apt\n"
		 "  check_apt -d --lists-max-age 2d\n"
		 "  check_apt -o -i '^Inst (openssl|libssl)' -l\n"
		 "  check_apt -u -n --lists-max-age 36h",
	.options = options,
	.timeout = 10,
	.timeout_state = MSP_STATE_UNKNOWN,
	.option = apt_opt,
	.finish = apt_finish,
	.check = apt_check,
};

MSP_PLUGIN_MAIN(plugin, struct check_apt_config)
