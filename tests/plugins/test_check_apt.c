/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test_check_apt.c - check_apt's OPTS splitting, apt path resolution,
 * parsing of `apt-get -s` output and dpkg status files, and evaluation, on
 * output recorded from the local repository tests/helpers/apt_repo.sh builds
 * and from this machine (tests/fixtures/check_apt/README.md).
 */
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "check_apt.h"
#include "msp_test.h"

#define NOW ((int64_t)1700000000)

/* ------------------------------------------------------------- helpers */

static char *fixture(const char *name)
{
	char rel[256];

	snprintf(rel, sizeof(rel), "check_apt/%s", name);
	return msp_test_fixture(rel, 1 << 24);
}

/* Configure cfg from args (NULL-terminated) with the runner's own parser and finish. */
static int configure(struct check_apt_config *cfg, const char *const *args, struct msp_error *err)
{
	return msp_test_configure(msp_test_plugin, cfg, sizeof(*cfg), args, err);
}

static void config_ok(struct check_apt_config *cfg, const char *const *args)
{
	msp_test_configure_ok(msp_test_plugin, cfg, sizeof(*cfg), args);
}

/* A sample from recorded simulation output and the recorded status file. */
static void sample_from(struct check_apt_sample *s, const char *sim)
{
	char *out = fixture(sim), *status = fixture("repo_status_one_held");

	memset(s, 0, sizeof(*s));
	assert_int_equal(check_apt_parse_simulation(out, s), 0);
	assert_int_equal(check_apt_parse_status(status, &s->held), 0);
	s->held_known = true;
	s->phased_known = s->summary_seen;
	s->lists_known = true;
	s->lists_mtime = NOW - 3600;
	s->lists_dir = strdup("/var/lib/apt/lists/");
	free(out);
	free(status);
}

/* Evaluate and render (nagios format); *ret_state gets the state.  Caller frees the text. */
static char *evaluate(const struct check_apt_config *cfg, const struct check_apt_sample *s, enum msp_state *ret_state)
{
	struct msp_result *root = msp_result_new();
	struct msp_buf b;

	assert_non_null(root);
	assert_int_equal(check_apt_evaluate(cfg, s, NOW, root), 0);
	*ret_state = msp_result_state(root);
	msp_buf_init(&b, MSP_OUTPUT_MAX + 4096);
	/* the default shape, every line; test_eval__reference_line checks the drop-in line the runner prints */
	assert_non_null(root->style);
	root->style = NULL;
	assert_int_equal(msp_render(root, MSP_FORMAT_NAGIOS, "check_apt", "APT", &b), 0);
	msp_result_free(root);
	return msp_buf_detach(&b);
}

/* Configure with argv, evaluate the recorded simulation sim; returns the output. */
static char *run_on(const char *const *argv, const char *sim, enum msp_state *ret_state)
{
	struct check_apt_config cfg;
	struct check_apt_sample s;
	char *out;

	config_ok(&cfg, argv);
	sample_from(&s, sim);
	out = evaluate(&cfg, &s, ret_state);
	check_apt_sample_release(&s);
	check_apt_config_release(&cfg);
	return out;
}

#define ARGS(...) MSP_ARGS(__VA_ARGS__)
#define NOARGS ((const char *const[]){ NULL })

/* --------------------------------------------------------------- OPTS */

static void expect_words(const char *opts, const char *const *want)
{
	char **w = NULL;
	size_t n = 99, k = 0;

	assert_int_equal(check_apt_split_opts(opts, &w, &n, NULL), 0);
	while (want[k])
		k++;
	assert_int_equal(n, k);
	for (size_t i = 0; i < n; i++)
		assert_string_equal(w[i], want[i]);
	assert_null(w[n]);
	check_apt_words_free(w);
}

static void test_split__as_the_reference_splits(void **state)
{
	(void)state;
	expect_words("-o 'Debug::NoLocking=true' -s -qq", ARGS("-o", "Debug::NoLocking=true", "-s", "-qq"));
	expect_words("  -s\t-qq  ", ARGS("-s", "-qq"));
	expect_words("-o 'A::B=c d' -s", ARGS("-o", "A::B=c d", "-s"));
	/* a quote inside a word is an ordinary character */
	expect_words("-oA::B='c d' -s", ARGS("-oA::B='c", "d'", "-s"));
	/* a quoted word ends at its closing quote */
	expect_words("-s 'a''b'", ARGS("-s", "a", "b"));
	expect_words("-s 'a b'c", ARGS("-s", "a b", "c"));
	expect_words("-s ''", ARGS("-s", ""));
	expect_words("", NOARGS);
}

static void test_split__double_quote_and_open_quote_are_errors(void **state)
{
	struct msp_error err;
	char **w = NULL;
	size_t n = 0;

	(void)state;
	msp_error_init(&err);
	assert_int_equal(check_apt_split_opts("-s -o \"X::Y=1 2\"", &w, &n, &err), MSP_EINVAL);
	assert_non_null(strstr(err.msg, "\" is not supported"));
	assert_int_equal(check_apt_split_opts("-s 'open", &w, &n, &err), MSP_EINVAL);
	assert_non_null(strstr(err.msg, "unterminated"));
	assert_null(w);
}

/* --------------------------------------------------------------- paths */

static void expect_paths(const char *opts, const char *lists, const char *status)
{
	char **w = NULL, *l = NULL, *s = NULL;
	size_t n = 0;

	assert_int_equal(check_apt_split_opts(opts, &w, &n, NULL), 0);
	assert_int_equal(check_apt_paths(w, n, &l, &s), 0);
	assert_string_equal(l, lists);
	assert_string_equal(s, status);
	free(l);
	free(s);
	check_apt_words_free(w);
}

/* The expectations are what `apt-config -o ... shell L Dir::State::Lists/d S Dir::State::status/f` says. */
static void test_paths__resolved_as_apt_does(void **state)
{
	(void)state;
	expect_paths("-o Debug::NoLocking=true -s -qq", "/var/lib/apt/lists/", "/var/lib/dpkg/status");
	expect_paths("-o Dir=/x", "/x/var/lib/apt/lists/", "/x/var/lib/dpkg/status");
	expect_paths("-o Dir=/x -o Dir::State=st", "/x/st/lists/", "/x/var/lib/dpkg/status");
	expect_paths("-o Dir=/x -o Dir::State=/st", "/st/lists/", "/x/var/lib/dpkg/status");
	expect_paths("-oDir::State::lists=/abs/ -o Dir::State::status=/s/status", "/abs/", "/s/status");
	expect_paths("--option dir::state::LISTS=rel/ -s", "/var/lib/apt/rel/", "/var/lib/dpkg/status");
	expect_paths("--option=Dir::State=/t/state -o", "/t/state/lists/", "/var/lib/dpkg/status");
}

/* --------------------------------------------------------------- parse */

static void test_parse__upgrade_q_has_inst_lines_and_kept_back(void **state)
{
	struct check_apt_sample s = { 0 };
	char *out = fixture("repo_upgrade_q.txt");

	(void)state;
	assert_int_equal(check_apt_parse_simulation(out, &s), 0);
	assert_int_equal(s.npkg, 4);
	assert_string_equal(s.pkg[0].name, "msp-libsec");
	assert_string_equal(s.pkg[0].line, "Inst msp-libsec [1.0] (1.1 Debian-Security:12/bookworm-security [all])");
	assert_string_equal(s.pkg[3].name, "msp-sec");
	assert_true(s.summary_seen);
	assert_int_equal(s.kept_back.n, 3);
	assert_string_equal(s.kept_back.v[0], "msp-held");
	assert_string_equal(s.kept_back.v[1], "msp-keep");
	assert_string_equal(s.kept_back.v[2], "msp-phased");
	check_apt_sample_release(&s);
	free(out);
}

static void test_parse__qq_has_no_summary(void **state)
{
	struct check_apt_sample s = { 0 };
	char *out = fixture("repo_upgrade_qq.txt");

	(void)state;
	assert_int_equal(check_apt_parse_simulation(out, &s), 0);
	assert_int_equal(s.npkg, 4);
	assert_false(s.summary_seen);
	assert_int_equal(s.kept_back.n, 0);
	check_apt_sample_release(&s);
	free(out);
}

static void test_parse__nothing_to_do(void **state)
{
	struct check_apt_sample s = { 0 };
	char *out = fixture("repo_upgrade_q_nothing.txt");

	(void)state;
	assert_int_equal(check_apt_parse_simulation(out, &s), 0);
	assert_int_equal(s.npkg, 0);
	assert_true(s.summary_seen);
	check_apt_sample_release(&s);
	free(out);
}

static void test_parse__status_finds_the_hold(void **state)
{
	struct check_apt_names held = { 0 };
	char *status = fixture("repo_status_one_held");

	(void)state;
	assert_int_equal(check_apt_parse_status(status, &held), 0);
	assert_int_equal(held.n, 1);
	assert_string_equal(held.v[0], "msp-held");
	check_apt_names_release(&held);
	/* a hold on a package that is not installed is no held package */
	assert_int_equal(check_apt_parse_status("Package: a\nStatus: hold ok not-installed\n\n"
						"Package: b\nStatus: hold ok installed",
						&held),
			 0);
	assert_int_equal(held.n, 1);
	assert_string_equal(held.v[0], "b");
	check_apt_names_release(&held);
	/* a status file without a single package is not a system without holds */
	assert_int_equal(check_apt_parse_status("", &held), MSP_EINVAL);
	assert_int_equal(check_apt_parse_status("\n\nStatus: hold ok installed\n", &held), MSP_EINVAL);
	assert_int_equal(held.n, 0);
	free(status);
}

static void test_parse__phased_from_the_second_simulation(void **state)
{
	struct check_apt_sample s, all = { 0 };
	char *out = fixture("repo_upgrade_q_phased_included.txt");

	(void)state;
	sample_from(&s, "repo_upgrade_q.txt");
	assert_int_equal(check_apt_parse_simulation(out, &all), 0);
	assert_int_equal(check_apt_find_phased(&s, &all), 0);
	/* msp-held is held, msp-keep needs a new package: only msp-phased is phased */
	assert_int_equal(s.phased.n, 1);
	assert_string_equal(s.phased.v[0], "msp-phased");
	check_apt_sample_release(&all);
	check_apt_sample_release(&s);
	free(out);
}

/* ------------------------------------------------------ cross-checks */

/* text without its lines that start with prefix (as if apt's output had lost them).  Caller frees. */
static char *without_lines(const char *text, const char *prefix)
{
	char *out = calloc(1, strlen(text) + 1), *o = out;

	assert_non_null(out);
	for (const char *line = text; *line;) {
		const char *nl = strchr(line, '\n');
		size_t len = nl ? (size_t)(nl - line) + 1 : strlen(line);

		if (strncmp(line, prefix, strlen(prefix)) != 0) {
			memcpy(o, line, len);
			o += len;
		}
		line += len;
	}
	return out;
}

/* Parse text and verify it; the verification's return value, its message in msg. */
static int verify_text(const char *text, char *msg, size_t len)
{
	struct check_apt_sample s = { 0 };
	struct msp_error err;
	int r;

	msp_error_init(&err);
	assert_int_equal(check_apt_parse_simulation(text, &s), 0);
	r = check_apt_verify_simulation(&s, &err);
	snprintf(msg, len, "%s", r ? err.msg : "");
	check_apt_sample_release(&s);
	return r;
}

/* Recorded fixture name with the lines starting with prefix removed (NULL: none) must fail with want in the message. */
static void expect_refused(const char *name, const char *prefix, const char *want)
{
	char *text = fixture(name), *cut = prefix ? without_lines(text, prefix) : strdup(text), msg[512];

	assert_int_equal(verify_text(cut, msg, sizeof(msg)), MSP_EINVAL);
	if (!strstr(msg, want))
		fail_msg("%s without '%s': message '%s' lacks '%s'", name, prefix ? prefix : "", msg, want);
	free(cut);
	free(text);
}

static void test_verify__recorded_outputs_agree(void **state)
{
	static const char *const names[] = {
		"repo_upgrade_q.txt",           "repo_upgrade_qq.txt",
		"repo_dist_upgrade_q.txt",      "repo_upgrade_q_phased_included.txt",
		"repo_upgrade_q_nothing.txt",   "repo_dist_upgrade_q_remove.txt",
		"repo_upgrade_q_downgrade.txt", "repo_upgrade_q_not_root.txt",
		"repo_upgrade_qq_not_root.txt", "machine_bookworm_upgrade_q.txt",
	};
	char msg[512];

	(void)state;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		char *text = fixture(names[i]);

		if (verify_text(text, msg, sizeof(msg)) != 0)
			fail_msg("%s: %s", names[i], msg);
		free(text);
	}
}

static void test_verify__summary_without_inst_lines_is_refused(void **state)
{
	(void)state;
	/* "4 upgraded" but no Inst line: the reference says OK with 0 packages */
	expect_refused("repo_upgrade_q.txt", "Inst ", "the summary says 4 upgraded but 0 Inst lines upgrade");
	expect_refused("repo_upgrade_q.txt", "Inst msp-sec ", "the summary says 4 upgraded but 3 Inst lines upgrade");
	expect_refused("repo_upgrade_q_downgrade.txt", "Inst msp-current ",
		       "the summary says 4 upgraded, 1 downgraded but 4 Inst lines");
}

static void test_verify__new_installs_removals_and_kept_back_must_agree(void **state)
{
	(void)state;
	expect_refused("repo_dist_upgrade_q.txt", "Inst msp-newdep ",
		       "the summary says 1 newly installed but 0 Inst lines");
	expect_refused("repo_dist_upgrade_q_remove.txt", "Remv ", "the summary says 1 to remove but 0 Remv lines");
	/* the kept-back names lost: "3 not upgraded" but none listed */
	expect_refused("repo_upgrade_q.txt", "  msp-held msp-keep",
		       "the summary says 3 not upgraded but 0 packages are");
}

static void test_verify__missing_or_odd_summary_is_refused(void **state)
{
	char msg[512];

	(void)state;
	/* apt printed its progress (not -qq), so a summary line must be there */
	expect_refused("repo_upgrade_q.txt", "4 upgraded, ", "no \"N upgraded, ...\" summary line");
	expect_refused("repo_upgrade_q_nothing.txt", "0 upgraded, ", "no \"N upgraded, ...\" summary line");
	assert_int_equal(verify_text("Reading package lists...\n4 upgraded, 0 newly installed, lots to remove.\n", msg,
				     sizeof(msg)),
			 MSP_EINVAL);
	assert_non_null(strstr(msg, "cannot read the summary line '4 upgraded, 0 newly installed, lots to remove.'"));
	assert_int_equal(verify_text("0 upgraded, 0 newly installed, 0 to remove and 0 not upgraded.\n"
				     "0 upgraded, 0 newly installed, 0 to remove and 0 not upgraded.\n",
				     msg, sizeof(msg)),
			 MSP_EINVAL);
	assert_non_null(strstr(msg, "2 summary lines"));
	/* -qq output has neither progress nor a summary: nothing to compare */
	assert_int_equal(verify_text("", msg, sizeof(msg)), 0);
}

/*
 * apt 2.7 (Ubuntu 24.04) lists phased updates under their own header, and its
 * "N not upgraded" counts them.  apt 2.6 here cannot print that layout, so the
 * recorded repo_upgrade_q.txt is rearranged into it: msp-phased moves from the
 * kept-back list to the deferred list.
 */
static void test_verify__apt_2_7_deferred_phasing_list_counts_as_not_upgraded(void **state)
{
	static const char deferred[] = "The following upgrades have been deferred due to phasing:\n  msp-phased\n";
	char *text = fixture("repo_upgrade_q.txt"), *out, msg[512];
	const char *kept =
		strstr(text, "The following packages have been kept back:\n  msp-held msp-keep msp-phased\n");
	struct check_apt_sample s = { 0 };
	struct msp_buf b;

	(void)state;
	assert_non_null(kept);
	msp_buf_init(&b, 1 << 20);
	msp_buf_add(&b, text, (size_t)(kept - text));
	msp_buf_adds(&b, deferred);
	msp_buf_adds(&b, "The following packages have been kept back:\n  msp-held msp-keep\n");
	msp_buf_adds(&b, strstr(kept, "The following packages will be upgraded:"));
	out = msp_buf_detach(&b);
	if (verify_text(out, msg, sizeof(msg)) != 0)
		fail_msg("%s", msg);
	assert_int_equal(check_apt_parse_simulation(out, &s), 0);
	assert_int_equal(s.kept_back.n, 3);
	assert_string_equal(s.kept_back.v[0], "msp-phased");
	check_apt_sample_release(&s);
	free(out);
	free(text);
}

/* ------------------------------------------------------------ evaluate */

/* The line the runner prints: the reference's, one line; -l adds the available packages after it. */
static void test_eval__reference_line(void **state)
{
	struct check_apt_config cfg;
	struct check_apt_sample s;
	struct msp_result *root;
	char *out;

	(void)state;
	for (int list = 0; list < 2; list++) {
		config_ok(&cfg, list ? ARGS("-l") : NOARGS);
		sample_from(&s, "repo_upgrade_q.txt");
		root = msp_result_new();
		assert_non_null(root);
		assert_int_equal(check_apt_evaluate(&cfg, &s, NOW, root), 0);
		out = msp_test_render(msp_test_plugin, root, MSP_FORMAT_NAGIOS);
		assert_string_equal(out, list ? "APT CRITICAL: 4 packages available for upgrade (2 critical updates). "
						"|available_upgrades=4;;;0 critical_updates=2;;;0\n"
						"msp-libsec (security)\nmsp-sec (security)\nmsp-other\nmsp-plain\n" :
						"APT CRITICAL: 4 packages available for upgrade (2 critical updates). "
						"|available_upgrades=4;;;0 critical_updates=2;;;0\n");
		free(out);
		msp_result_free(root);
		check_apt_sample_release(&s);
		check_apt_config_release(&cfg);
	}
}

static void test_eval__security_is_critical_with_reference_perfdata(void **state)
{
	struct check_apt_config cfg;
	struct check_apt_sample s, all = { 0 };
	enum msp_state st;
	char *out, *ph = fixture("repo_upgrade_q_phased_included.txt");

	(void)state;
	config_ok(&cfg, ARGS("--extra-perfdata"));
	sample_from(&s, "repo_upgrade_q.txt");
	assert_int_equal(check_apt_parse_simulation(ph, &all), 0);
	assert_int_equal(check_apt_find_phased(&s, &all), 0);
	out = evaluate(&cfg, &s, &st);
	assert_int_equal(st, MSP_STATE_CRITICAL);
	assert_string_equal(out, "APT CRITICAL - 4 packages available for upgrade (2 critical updates). | "
				 "available_upgrades=4;;;0 critical_updates=2;;;0 held=1;;;0 phased=1;;;0 "
				 "kept_back=1;;;0 lists_age=3600s;;;0\n"
				 "[OK] not counted as available: 1 held, 1 phased, 1 kept back\n"
				 "[OK] msp-phased (phased)\n[OK] msp-keep (kept back)\n[OK] msp-held (held)\n"
				 "msp-libsec (security)\nmsp-sec (security)\nmsp-other\nmsp-plain\n");
	free(out);
	free(ph);
	check_apt_sample_release(&all);
	check_apt_sample_release(&s);
	check_apt_config_release(&cfg);
}

static void test_eval__states_follow_the_reference(void **state)
{
	const struct {
		const char *const *argv;
		enum msp_state st;
		const char *summary;
	} cases[] = {
		{ ARGS("-c", "nomatch"), MSP_STATE_WARNING, "4 packages available for upgrade (0 critical updates)" },
		{ ARGS("-c", "nomatch", "-w", "4"), MSP_STATE_WARNING, "4 packages" },
		{ ARGS("-c", "nomatch", "-w", "5"), MSP_STATE_OK, "4 packages" },
		{ ARGS("-o"), MSP_STATE_CRITICAL, "(2 critical updates)" },
		{ ARGS("-o", "-c", "nomatch"), MSP_STATE_OK, "(0 critical updates)" },
		{ ARGS("-i", "msp-plain"), MSP_STATE_WARNING, "1 packages available for upgrade (0 critical" },
		{ ARGS("-e", "msp-sec"), MSP_STATE_CRITICAL, "3 packages available for upgrade (1 critical" },
		/* several -i are joined with '|', so these two halves make one valid pattern */
		{ ARGS("-i", "(msp-sec", "-i", "msp-other)"), MSP_STATE_CRITICAL,
		  "2 packages available for upgrade (1 crit" },
		{ ARGS("-i", "^Inst msp-sec"), MSP_STATE_CRITICAL, "1 packages available for upgrade (1 crit" },
		{ ARGS("-i", "^msp-sec"), MSP_STATE_OK, "0 packages available" },
		{ ARGS("-i", "MSP-SEC"), MSP_STATE_OK, "0 packages available" },
		{ ARGS("-i", "other", "-e", "oth"), MSP_STATE_OK, "0 packages available" },
		{ ARGS("-c", "bookworm \\["), MSP_STATE_CRITICAL, "(2 critical updates)" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		enum msp_state st;
		char *out = run_on(cases[i].argv, "repo_upgrade_q.txt", &st);

		if (st != cases[i].st || !strstr(out, cases[i].summary))
			fail_msg("case %zu: state %d, output %s", i, st, out);
		free(out);
	}
}

static void test_eval__dist_upgrade_counts_new_packages(void **state)
{
	enum msp_state st;
	char *out = run_on(ARGS("-d", "-l"), "repo_dist_upgrade_q.txt", &st);

	(void)state;
	assert_int_equal(st, MSP_STATE_CRITICAL);
	assert_non_null(strstr(
		out,
		"APT CRITICAL - 6 packages available for dist-upgrade (2 critical updates). | available_upgrades=6;;;0 "
		"critical_updates=2;;;0\n[OK] not counted as available: 1 held, 1 kept back\n"));
	assert_non_null(strstr(out, "\nmsp-keep\nmsp-newdep\n"));
	free(out);
}

static void test_eval__this_machine_as_the_reference_counted(void **state)
{
	enum msp_state st;
	char *out = run_on(NOARGS, "machine_bookworm_upgrade_q.txt", &st);

	(void)state;
	/* the reference said "115 packages available for upgrade (74 critical updates)" on the same lists */
	assert_int_equal(st, MSP_STATE_CRITICAL);
	assert_non_null(strstr(out, "| available_upgrades=115;;;0 critical_updates=74;;;0\n"));
	/* without -l at most 20 names of each kind */
	assert_non_null(strstr(out, "\n... and 54 more security (-l lists all)\n"));
	assert_non_null(strstr(out, "\n... and 21 more (-l lists all)\n"));
	free(out);
	out = run_on(ARGS("-l"), "machine_bookworm_upgrade_q.txt", &st);
	assert_null(strstr(out, "more"));
	assert_non_null(strstr(out, "\nzip (security)\nappstream\n"));
	free(out);
}

static void test_eval__nothing_pending_is_ok(void **state)
{
	enum msp_state st;
	char *out = run_on(NOARGS, "repo_upgrade_q_nothing.txt", &st);

	(void)state;
	assert_int_equal(st, MSP_STATE_OK);
	assert_non_null(strstr(out, "APT OK - 0 packages available for upgrade (0 critical updates). | "
				    "available_upgrades=0;;;0 critical_updates=0;;;0\n"
				    "[OK] not counted as available: 1 held\n"));
	free(out);
}

/* Set how the runs ended, evaluate repo_upgrade_q with -c nomatch -w 10 (so the counts alone are OK). */
static char *run_failed(bool update_failed, const char *update_err, bool sim_failed, const char *sim_err,
			enum msp_state *ret_state)
{
	struct check_apt_config cfg;
	struct check_apt_sample s;
	char *out;

	config_ok(&cfg, ARGS("-u", "-c", "nomatch", "-w", "10"));
	sample_from(&s, "repo_upgrade_q.txt");
	s.update = (struct check_apt_run){ .ran = true, .failed = update_failed };
	s.update.why = update_failed ? strdup("exit status 100") : NULL;
	s.update.err_line = update_err ? strdup(update_err) : NULL;
	s.upgrade = (struct check_apt_run){ .ran = true, .failed = sim_failed };
	s.upgrade.why = sim_failed ? strdup("exit status 100") : NULL;
	s.upgrade.err_line = sim_err ? strdup(sim_err) : NULL;
	out = evaluate(&cfg, &s, ret_state);
	check_apt_sample_release(&s);
	check_apt_config_release(&cfg);
	return out;
}

static void test_eval__failures_and_warnings(void **state)
{
	enum msp_state st;
	char *out;

	(void)state;
	out = run_failed(false, NULL, false, NULL, &st);
	assert_int_equal(st, MSP_STATE_OK);
	free(out);
	/* a failed update: CRITICAL, as in the reference */
	out = run_failed(true, "E: Invalid operation updat", false, NULL, &st);
	assert_int_equal(st, MSP_STATE_CRITICAL);
	assert_non_null(strstr(out, "APT CRITICAL - apt-get update failed (exit status 100); 4 packages available"));
	assert_non_null(
		strstr(out, "\n[CRITICAL] apt-get update failed: exit status 100: E: Invalid operation updat\n"));
	free(out);
	/* stderr alone: WARNING, for the update and for the simulation */
	out = run_failed(false, "W: Target Packages is configured multiple times", false, NULL, &st);
	assert_int_equal(st, MSP_STATE_WARNING);
	free(out);
	out = run_failed(false, NULL, false, "W: Target Packages is configured multiple times", &st);
	assert_int_equal(st, MSP_STATE_WARNING);
	assert_non_null(strstr(out, "APT WARNING - apt-get -s upgrade warnings; 4 packages"));
	free(out);
	/* a failed simulation: UNKNOWN (the reference: WARNING when it wrote to stderr) */
	out = run_failed(false, NULL, true, "E: Command line option 'x' is not understood", &st);
	assert_int_equal(st, MSP_STATE_UNKNOWN);
	assert_non_null(strstr(out, "APT UNKNOWN - apt-get -s upgrade failed (exit status 100); 4 packages"));
	free(out);
}

/* repo_upgrade_q with -c nomatch -w 10 and the lists in the given condition. */
static char *run_lists(const char *max_age, bool known, bool empty, int64_t age, enum msp_state *ret_state)
{
	struct check_apt_config cfg;
	struct check_apt_sample s;
	char *out;

	config_ok(&cfg, max_age ? ARGS("-c", "nomatch", "-w", "10", "--lists-max-age", max_age) :
				  ARGS("-c", "nomatch", "-w", "10", "--extra-perfdata"));
	sample_from(&s, "repo_upgrade_q.txt");
	s.lists_known = known;
	s.lists_empty = empty;
	s.lists_mtime = NOW - age;
	if (!known)
		s.lists_error = strdup("cannot read the lists directory '/x': Permission denied");
	out = evaluate(&cfg, &s, ret_state);
	check_apt_sample_release(&s);
	check_apt_config_release(&cfg);
	return out;
}

static void test_eval__stale_lists_are_a_warning(void **state)
{
	enum msp_state st;
	char *out;

	(void)state;
	out = run_lists("2d", true, false, 3600, &st);
	assert_int_equal(st, MSP_STATE_OK);
	assert_non_null(strstr(out, " lists_age=3600s;172800;;0\n"));
	free(out);
	out = run_lists("2d", true, false, 3 * 86400, &st);
	assert_int_equal(st, MSP_STATE_WARNING);
	assert_non_null(strstr(out, "APT WARNING - package lists 3d old (limit 2d); 4 packages available"));
	free(out);
	out = run_lists("2d", true, true, 0, &st);
	assert_int_equal(st, MSP_STATE_WARNING);
	assert_non_null(strstr(out, "no package lists"));
	assert_null(strstr(out, "lists_age"));
	free(out);
	out = run_lists("2d", false, false, 0, &st);
	assert_int_equal(st, MSP_STATE_UNKNOWN);
	free(out);
	/* without --lists-max-age (with --extra-perfdata) the age is only perfdata, also when it is old */
	out = run_lists(NULL, true, false, 30 * 86400, &st);
	assert_int_equal(st, MSP_STATE_OK);
	assert_non_null(strstr(out, " lists_age=2592000s;;;0\n"));
	free(out);
}

static void test_eval__no_upgrade_alone_checks_nothing(void **state)
{
	struct check_apt_config cfg;
	struct check_apt_sample s = { 0 };
	enum msp_state st;
	char *out;

	(void)state;
	config_ok(&cfg, ARGS("-n"));
	out = evaluate(&cfg, &s, &st);
	assert_int_equal(st, MSP_STATE_UNKNOWN);
	assert_non_null(strstr(out, "nothing checked"));
	free(out);
	check_apt_config_release(&cfg);
	config_ok(&cfg, ARGS("-n", "-u"));
	s.update.ran = true;
	out = evaluate(&cfg, &s, &st);
	assert_int_equal(st, MSP_STATE_OK);
	assert_non_null(strstr(out, "APT OK - upgrade not simulated (-n), lists updated"));
	assert_null(strstr(out, "available_upgrades"));
	free(out);
	check_apt_config_release(&cfg);
}

/* ------------------------------------------------------------- options */

static void test_options__modes_and_opts(void **state)
{
	struct check_apt_config cfg;

	(void)state;
	config_ok(&cfg, ARGS("-d-s -qq", "-U"));
	/* the last mode wins, OPTS stay from -d (as in the reference) */
	assert_int_equal(cfg.mode, CHECK_APT_UPGRADE);
	assert_int_equal(cfg.n_upgrade_words, 2);
	assert_string_equal(cfg.upgrade_words[1], "-qq");
	assert_int_equal(cfg.packages_warning, 1);
	assert_string_equal(cfg.apt_get, "/usr/bin/apt-get");
	assert_false(cfg.do_update || cfg.no_upgrade || cfg.list || cfg.has_lists_max_age);
	check_apt_config_release(&cfg);
	config_ok(&cfg, ARGS("--upgrade=", "-u"));
	/* an empty OPTS is the default, never a real upgrade */
	assert_string_equal(cfg.upgrade_words[2], "-s");
	assert_string_equal(cfg.update_words[0], "-q");
	assert_true(cfg.do_update);
	check_apt_config_release(&cfg);
	config_ok(&cfg, ARGS("--update=-q -o A=1", "-u", "--dist-upgrade=-s", "-d", "--upgrade"));
	/* a bare -u keeps the OPTS before it */
	assert_int_equal(cfg.n_update_words, 3);
	assert_int_equal(cfg.mode, CHECK_APT_UPGRADE);
	assert_string_equal(cfg.upgrade_words[0], "-s");
	check_apt_config_release(&cfg);
	/* -i/-e/-c values are joined with '|'; '' is not given (-c keeps the security default) */
	config_ok(&cfg, ARGS("-c", "", "-i", "a", "--include=b", "-e", "", "-e", "x"));
	assert_string_equal(cfg.critical.text, CHECK_APT_SECURITY_REGEX);
	assert_string_equal(cfg.include.text, "a|b");
	assert_string_equal(cfg.exclude.text, "x");
	check_apt_config_release(&cfg);
	config_ok(&cfg, ARGS("-c", "bookworm-security|10:", "-c", "x", "-w", "0", "-n", "-l", "-o", "--extra-perfdata",
			     "--lists-max-age", "36h", "--apt-get", "/x/apt", "--input-file", "/x/in", "--lists-dir",
			     "/x/l", "--dpkg-status", "/x/s", ""));
	assert_string_equal(cfg.critical.text, "bookworm-security|10:|x");
	assert_int_equal(cfg.packages_warning, 0);
	assert_true(cfg.no_upgrade && cfg.list && cfg.only_critical && cfg.extra_perfdata && cfg.has_lists_max_age);
	assert_true(cfg.lists_max_age == 36 * 3600);
	assert_string_equal(cfg.apt_get, "/x/apt");
	assert_string_equal(cfg.input_file, "/x/in");
	assert_string_equal(cfg.lists_dir, "/x/l");
	assert_string_equal(cfg.status_file, "/x/s");
	check_apt_config_release(&cfg);
}

/* Usage errors: the argument list, the message wanted (an extended regexp). */
static void test_options__errors(void **state)
{
	static const struct {
		const char *args[8];
		const char *msg;
	} cases[] = {
		{ { "-i", "(" }, "^cannot compile -i regexp '\\('" },
		{ { "-i", "a", "-e", "[" }, "^cannot compile -e regexp '\\['" },
		{ { "-w", "3x" }, "^--packages-warning '3x' is not a whole number from 0 to 1000000000$" },
		{ { "-w", "-1" }, "^--packages-warning '-1' is not a whole number" },
		/* the reference reads '' as 0; "not given" would be 1: neither is what was meant */
		{ { "-w", "" }, "^option '--packages-warning' is empty$" },
		/* a threshold where a regexp belongs would make security updates stop counting */
		{ { "-c", "10" },
		  "^-c takes a regular expression for security updates, not a threshold \\('10'\\); a number of packages "
		  "is -w N$" },
		{ { "-c", "@" }, "^-c takes a regular expression for security updates, not a threshold \\('@'\\)" },
		{ { "-i", "x", "-c", "x", "-c", "5:" }, "not a threshold \\('5:'\\)" },
		{ { "-c", "@10:20" }, "not a threshold" },
		{ { "-c", "~:3" }, "not a threshold" },
		{ { "-c", "1.5" }, "not a threshold" },
		{ { "--lists-max-age", "soon" }, "^--lists-max-age 'soon' is not a duration" },
		{ { "--lists-max-age", "" }, "^option '--lists-max-age' is empty$" },
		{ { "--lists-max-age", "0" }, "^--lists-max-age must be longer than 0 s$" },
		{ { "-U-s \"x\"" }, "^cannot split apt-get options '-s \"x\"': \" is not supported" },
		{ { "-u-q 'open" }, "^cannot split apt-get options '-q 'open': unterminated '$" },
		{ { "stray" }, "^unexpected argument 'stray'$" },
		{ { "--no-such" }, "^unknown option '--no-such'$" },
	};
	struct check_apt_config cfg;
	struct msp_error err;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		if (configure(&cfg, cases[i].args, &err) != MSP_EINVAL || !msp_test_match(err.msg, cases[i].msg))
			fail_msg("row %zu (%s ...): got '%s', want /%s/", i, cases[i].args[0], err.msg, cases[i].msg);
		check_apt_config_release(&cfg);
	}
}

/*
 * The whole run in process (the runner's parse, the probe, the render) on a
 * recorded simulation (--input-file), status file and lists directory: no
 * apt-get runs.  Returns line 1 and more of the output; the caller frees.
 */
static char *run_whole(const char *const *extra, enum msp_state *ret_state)
{
	char in[1024], status[1024], lists[1024];
	const char *args[24] = { "--input-file", in, "--dpkg-status", status, "--lists-dir", lists };
	struct check_apt_config cfg;
	size_t n = 6;
	char *out;

	msp_test_fixture_path("check_apt/repo_upgrade_q.txt", in, sizeof(in));
	msp_test_fixture_path("check_apt/repo_status_one_held", status, sizeof(status));
	msp_test_fixture_path("check_apt", lists, sizeof(lists));
	for (size_t i = 0; extra[i] && n < 23; i++)
		args[n++] = extra[i];
	out = msp_test_run(msp_test_plugin, &cfg, sizeof(cfg), args, MSP_FORMAT_NAGIOS, ret_state);
	check_apt_config_release(&cfg);
	return out;
}

static void test_check__whole_runs_on_recorded_output(void **state)
{
	static const struct {
		const char *args[8];
		enum msp_state st;
		const char *out;
	} cases[] = {
		{ { NULL },
		  MSP_STATE_CRITICAL,
		  "APT CRITICAL: 4 packages available for upgrade (2 critical updates). "
		  "|available_upgrades=4;;;0 critical_updates=2;;;0\n" },
		{ { "-c", "nomatch", "-w", "5" },
		  MSP_STATE_OK,
		  "APT OK: 4 packages available for upgrade (0 critical updates). "
		  "|available_upgrades=4;;;0 critical_updates=0;;;0\n" },
		{ { "-c", "nomatch", "-l", "-e", "msp-sec" },
		  MSP_STATE_WARNING,
		  "APT WARNING: 3 packages available for upgrade (0 critical updates). "
		  "|available_upgrades=3;;;0 critical_updates=0;;;0\nmsp-libsec\nmsp-other\nmsp-plain\n" },
		{ { "-n" },
		  MSP_STATE_UNKNOWN,
		  "APT UNKNOWN: nothing checked: -n needs -u or --lists-max-age; upgrade not simulated (-n)\n" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		enum msp_state st;
		char *out = run_whole(cases[i].args, &st);

		if (st != cases[i].st || strcmp(out, cases[i].out) != 0)
			fail_msg("row %zu: state %s, output:\n%s", i, msp_state_name(st), out);
		free(out);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_split__as_the_reference_splits),
		cmocka_unit_test(test_split__double_quote_and_open_quote_are_errors),
		cmocka_unit_test(test_paths__resolved_as_apt_does),
		cmocka_unit_test(test_parse__upgrade_q_has_inst_lines_and_kept_back),
		cmocka_unit_test(test_parse__qq_has_no_summary),
		cmocka_unit_test(test_parse__nothing_to_do),
		cmocka_unit_test(test_parse__status_finds_the_hold),
		cmocka_unit_test(test_parse__phased_from_the_second_simulation),
		cmocka_unit_test(test_verify__recorded_outputs_agree),
		cmocka_unit_test(test_verify__summary_without_inst_lines_is_refused),
		cmocka_unit_test(test_verify__new_installs_removals_and_kept_back_must_agree),
		cmocka_unit_test(test_verify__missing_or_odd_summary_is_refused),
		cmocka_unit_test(test_verify__apt_2_7_deferred_phasing_list_counts_as_not_upgraded),
		cmocka_unit_test(test_eval__reference_line),
		cmocka_unit_test(test_eval__security_is_critical_with_reference_perfdata),
		cmocka_unit_test(test_eval__states_follow_the_reference),
		cmocka_unit_test(test_eval__dist_upgrade_counts_new_packages),
		cmocka_unit_test(test_eval__this_machine_as_the_reference_counted),
		cmocka_unit_test(test_eval__nothing_pending_is_ok),
		cmocka_unit_test(test_eval__failures_and_warnings),
		cmocka_unit_test(test_eval__stale_lists_are_a_warning),
		cmocka_unit_test(test_eval__no_upgrade_alone_checks_nothing),
		cmocka_unit_test(test_options__modes_and_opts),
		cmocka_unit_test(test_options__errors),
		cmocka_unit_test(test_check__whole_runs_on_recorded_output),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
