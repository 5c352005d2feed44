/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test_check_disk.c - check_disk's selection, filters and evaluation on
 * recorded mount tables and statvfs() numbers
 * (tests/fixtures/check_disk/, see its README.md).
 *
 * The main table test replays every run of the reference plugin recorded
 * next to a situation (<situation>.reference): the same arguments on the
 * same recorded numbers must give the same state, the same summary and
 * the same perfdata.  The other tests cover what the reference did not
 * show: missing paths, mounts that hang, option order, the filters.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "check_disk.h"
#include "msp_test.h"

#define MAX_ARGS 32

struct recorded {
	char *target;
	bool ok;
	int error;
	struct msp_fsusage u;
};

struct situation {
	struct msp_mount_table t;
	struct recorded *rec;
	size_t nrec;
};

struct run {
	struct situation sit;
	struct check_disk_config cfg;
	struct msp_mount_items items;
	struct msp_result *root;
	char *out;   /* rendered, nagios format */
	char *line1; /* its first line */
	enum msp_state state;
};

static char *read_fixture(const char *name)
{
	char rel[512];

	snprintf(rel, sizeof(rel), "check_disk/%s", name);
	return msp_test_fixture(rel, 1 << 20);
}

/* "<target> frsize blocks bfree bavail files ffree favail flag" or "<target> error ERRNO" per line. */
static void load_statvfs(struct situation *s, const char *name)
{
	char *text = read_fixture(name), *save = NULL;

	for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		struct recorded *r;
		char *sp = strchr(line, ' ');

		assert_non_null(sp);
		*sp++ = '\0';
		s->rec = realloc(s->rec, (s->nrec + 1) * sizeof(*s->rec));
		assert_non_null(s->rec);
		r = &s->rec[s->nrec++];
		memset(r, 0, sizeof(*r));
		r->target = strdup(line);
		msp_mount_unescape(r->target);
		if (strncmp(sp, "error ", 6) == 0) {
			r->error = (int)strtol(sp + 6, NULL, 10);
			continue;
		}
		r->ok = sscanf(sp,
			       "%" SCNu64 " %" SCNu64 " %" SCNu64 " %" SCNu64 " %" SCNu64 " %" SCNu64 " %" SCNu64
			       " %" SCNu64,
			       &r->u.frsize, &r->u.blocks, &r->u.bfree, &r->u.bavail, &r->u.files, &r->u.ffree,
			       &r->u.favail, &r->u.flag) == 8;
		assert_true(r->ok);
	}
	free(text);
}

static void situation_load(struct situation *s, const char *name)
{
	char file[256], path[4096];
	struct msp_error err;

	memset(s, 0, sizeof(*s));
	msp_error_init(&err);
	snprintf(file, sizeof(file), "check_disk/%s.mountinfo", name);
	if (msp_mount_table_read(msp_test_fixture_path(file, path, sizeof(path)), &s->t, &err) != 0)
		fail_msg("cannot read %s: %s", path, err.msg);
	snprintf(file, sizeof(file), "%s.statvfs", name);
	load_statvfs(s, file);
	assert_int_equal(s->nrec, s->t.n);
}

static void situation_release(struct situation *s)
{
	for (size_t i = 0; i < s->nrec; i++)
		free(s->rec[i].target);
	free(s->rec);
	msp_mount_table_release(&s->t);
}

/* What statvfs() said for a mount point (the last line: the mount on top). */
static const struct recorded *recorded_for(const struct situation *s, const char *target)
{
	for (size_t i = s->nrec; i-- > 0;)
		if (strcmp(s->rec[i].target, target) == 0)
			return &s->rec[i];
	fail_msg("no statvfs recorded for '%s'", target);
	return NULL;
}

/* Configure through the runner's parser and finish; a timeout state other than UNKNOWN as --timeout-result. */
static int configure(struct check_disk_config *cfg, const char *const *argv, enum msp_state timeout_state,
		     struct msp_error *err)
{
	const char *args[MAX_ARGS + 3];
	size_t n = 0;

	for (; argv[n]; n++) {
		if (n >= MAX_ARGS)
			fail_msg("more than %d arguments", MAX_ARGS);
		args[n] = argv[n];
	}
	if (timeout_state != MSP_STATE_UNKNOWN) {
		args[n++] = "--timeout-result";
		args[n++] = msp_state_name(timeout_state);
	}
	args[n] = NULL;
	return msp_test_configure(msp_test_plugin, cfg, sizeof(*cfg), args, err);
}

/* The probe, from the recording: a path the recorded table reaches is canonical as given. */
static void probe_recorded(struct run *r)
{
	for (size_t i = 0; i < r->items.n; i++) {
		struct msp_mount_item *it = &r->items.v[i];
		const struct msp_mount *m = it->mnt;
		const struct recorded *rec;

		if (it->skip || it->not_found)
			continue;
		if (it->resolve) {
			m = msp_mount_for_path(&r->sit.t, it->name);
			if (!m) {
				it->status = MSP_STATVFS_FAILED;
				it->error = ENOENT;
				it->call = "stat";
				continue;
			}
			it->resolved = strdup(it->name);
		}
		rec = recorded_for(&r->sit, m->target);
		if (!rec)
			continue;
		it->status = rec->ok ? MSP_STATVFS_OK : MSP_STATVFS_FAILED;
		it->error = rec->error;
		it->call = "statvfs";
		it->usage = rec->u;
	}
}

/* Options, selection, filter and the recorded probe; the test may then change what the probe found. */
static void run_prepare(struct run *r, const char *situation, const char *const *argv, enum msp_state timeout_state)
{
	struct msp_error err;

	memset(r, 0, sizeof(*r));
	msp_error_init(&err);
	situation_load(&r->sit, situation);
	if (configure(&r->cfg, argv, timeout_state, &err) != 0)
		fail_msg("options rejected: %s", err.msg);
	if (msp_mount_select(&r->cfg.sel, &r->sit.t, &r->items, &err) != 0)
		fail_msg("selection failed: %s", err.msg);
	msp_mount_items_filter(&r->cfg.sel, &r->sit.t, &r->items);
	probe_recorded(r);
}

static void run_finish(struct run *r)
{
	struct msp_buf b;
	char *nl;

	msp_mount_items_filter(&r->cfg.sel, &r->sit.t, &r->items);
	r->root = msp_result_new();
	assert_non_null(r->root);
	assert_int_equal(check_disk_evaluate(&r->cfg, &r->items, r->root), 0);
	r->state = msp_result_state(r->root);
	/* out: line 1 and a line per filesystem (the default shape); line1 as the runner prints it */
	msp_buf_init(&b, MSP_OUTPUT_MAX + 4096);
	assert_int_equal(msp_render(r->root, MSP_FORMAT_NAGIOS, "check_disk", "DISK", &b), 0);
	r->out = msp_buf_detach(&b);
	msp_buf_init(&b, MSP_OUTPUT_MAX + 4096);
	r->root->style = msp_test_plugin->nagios;
	assert_int_equal(msp_render(r->root, MSP_FORMAT_NAGIOS, "check_disk", "DISK", &b), 0);
	r->line1 = msp_buf_detach(&b);
	nl = strchr(r->line1, '\n');
	assert_non_null(nl);
	assert_null(strchr(nl + 1, '\n')); /* the reference prints one line */
	*nl = '\0';
}

static void run_release(struct run *r)
{
	msp_result_free(r->root);
	free(r->out);
	free(r->line1);
	msp_mount_items_release(&r->items);
	check_disk_config_release(&r->cfg);
	situation_release(&r->sit);
}

static void run_args(struct run *r, const char *situation, const char *const *argv)
{
	run_prepare(r, situation, argv, MSP_STATE_UNKNOWN);
	run_finish(r);
}

#define ARGS MSP_ARGS

static void assert_contains(const char *hay, const char *needle)
{
	if (!strstr(hay, needle))
		fail_msg("'%s' not found in:\n%s", needle, hay);
}

static void assert_lacks(const char *hay, const char *needle)
{
	if (strstr(hay, needle))
		fail_msg("'%s' unexpectedly found in:\n%s", needle, hay);
}

/* ------------------------------------------------- the reference, replayed */

/* A perfdata field the reference printed as a wrapped negative number (above 2^63) is 0 in ours. */
static void compare_perf(const char *ref, const char *ours, const char *args)
{
	char *a = strdup(ref), *b = strdup(ours), *sa = NULL, *sb = NULL;
	const char *x = strtok_r(a, " ;", &sa), *y = strtok_r(b, " ;", &sb);

	for (; x && y; x = strtok_r(NULL, " ;", &sa), y = strtok_r(NULL, " ;", &sb)) {
		size_t len = strlen(x);

		if (strspn(x, "0123456789") == len &&
		    (len > 19 || (len == 19 && strcmp(x, "9223372036854775808") >= 0)))
			x = "0";
		if (strcmp(x, y) != 0)
			fail_msg("%s: perfdata field '%s', the reference has '%s'\nref:  %s\nours: %s", args, y, x, ref,
				 ours);
	}
	if (x || y)
		fail_msg("%s: perfdata differs\nref:  %s\nours: %s", args, ref, ours);
	free(a);
	free(b);
}

static void replay_line(const char *situation, char *line)
{
	const char *argv[MAX_ARGS + 1];
	char *f[MAX_ARGS + 2] = { NULL }, *ref_perf, *ours_perf, *save = NULL, args[1024] = "";
	size_t nf = 0, na = 0;
	struct run r;
	int rc;

	for (char *p = strtok_r(line, "\t", &save); p && nf < MAX_ARGS + 2; p = strtok_r(NULL, "\t", &save))
		f[nf++] = p;
	assert_true(nf >= 3);
	rc = (int)strtol(f[0], NULL, 10);
	for (size_t i = 2; i < nf; i++) {
		argv[na++] = f[i];
		snprintf(args + strlen(args), sizeof(args) - strlen(args), " %s", f[i]);
	}
	argv[na] = NULL;
	run_args(&r, situation, argv);
	if ((int)r.state != rc)
		fail_msg("%s%s: state %d, the reference %d\nref:  %s\nours: %s", situation, args, r.state, rc, f[1],
			 r.line1);
	/* The same summary, character for character, up to the bar ("...;| /=..."). */
	ref_perf = strchr(f[1], '|');
	ours_perf = strchr(r.line1, '|');
	assert_non_null(ref_perf);
	assert_non_null(ours_perf);
	*ref_perf++ = '\0';
	*ours_perf++ = '\0';
	ref_perf += strspn(ref_perf, " ");
	ours_perf += strspn(ours_perf, " ");
	if (strcmp(f[1], r.line1) != 0)
		fail_msg("%s%s: summary differs\nref:  %s\nours: %s", situation, args, f[1], r.line1);
	compare_perf(ref_perf, ours_perf, args);
	run_release(&r);
}

static void test_reference__recorded_runs_agree(void **state)
{
	static const char *const situations[] = { "host",          "tmpfs_95pct_full", "tmpfs_inodes_low",
						  "ext4_reserved", "bind_and_blank",   "remote_lookalike" };
	size_t total = 0;

	(void)state;
	for (size_t s = 0; s < sizeof(situations) / sizeof(situations[0]); s++) {
		char file[256], *text, *save = NULL;

		snprintf(file, sizeof(file), "%s.reference", situations[s]);
		text = read_fixture(file);
		for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
			replay_line(situations[s], line);
			total++;
		}
		free(text);
	}
	assert_true(total >= 25);
}

/* ------------------------------------------------------------ selection */

static void test_all__pseudo_passed_over_and_covered_mount_once(void **state)
{
	struct run r;

	(void)state;
	run_args(&r, "host", ARGS("-w", "10%", "-c", "5%"));
	assert_int_equal(r.state, MSP_STATE_OK);
	assert_string_equal(
		r.line1,
		"DISK OK - free space: / 81600MiB (83% inode=97%); /sys/fs/cgroup 12052MiB (100% inode=99%); "
		"/dev 12045MiB (100% inode=99%); /dev/shm 24105MiB (100% inode=99%);| "
		"/=17179869184B;243497277849;257024904396;0;270552530944 "
		"/sys/fs/cgroup=0B;11373694156;12005566054;0;12637437952 "
		"/dev=0B;11367088128;11998593024;0;12630097920 /dev/shm=0B;22748332032;24012128256;0;25275924480");
	/* Long output: one line per filesystem with its size, type and device. */
	assert_contains(r.out, "\n[OK] / 81600MiB of 258019MiB free (83% inode=97%), ext4 on /dev/vda\n");
	assert_lacks(r.out, "/proc");
	run_release(&r);
}

static void test_clear__thresholds_are_positional(void **state)
{
	struct run r;

	(void)state;
	/* -C before any path: all mounts take 90%/95%, then /dev/shm gets 10%/5%. */
	run_args(&r, "host", ARGS("-w", "90%", "-c", "95%", "-C", "-w", "10%", "-c", "5%", "-p", "/dev/shm"));
	assert_int_equal(r.state, MSP_STATE_CRITICAL);
	assert_contains(r.out, "[CRITICAL] / 81600MiB");
	assert_contains(r.out, "[OK] /dev/shm 24105MiB");
	assert_contains(r.line1, "/dev/shm=0B;22748332032;24012128256;");
	run_release(&r);
	/* -C after a path: no path is selected any more, so the last thresholds go to every mount. */
	run_args(&r, "host", ARGS("-w", "10%", "-c", "5%", "-p", "/", "-C", "-w", "90%", "-c", "95%"));
	assert_int_equal(r.state, MSP_STATE_CRITICAL);
	assert_contains(r.line1, "/=17179869184B;27055253094;13527626547;0;270552530944");
	run_release(&r);
	/* Without any threshold every mount is shown and OK. */
	run_args(&r, "host", ARGS("-l"));
	assert_int_equal(r.state, MSP_STATE_OK);
	assert_contains(r.line1, "/=17179869184B;;;0;270552530944");
	run_release(&r);
}

static void test_option_order__reference_rules(void **state)
{
	static const struct {
		const char *args[8];
		const char *msg; /* the start of the message */
	} bad[] = {
		/* threshold after the path */
		{ { "-p", "/", "-w", "10%" },
		  "give a threshold before -p '/' (thresholds apply to the paths after them)" },
		{ { "-w", "10%", "-p", "/", "-E" }, "give -E before selecting paths" },
		{ { "-w", "10%", "-p", "/", "-g", "g" }, "give -g before selecting paths" },
		{ { "-w", "10%", "-i", "^/dev" }, "select paths before -i/-I (-A selects all)" },
		{ { "-r", "^/" }, "give a threshold before -r/-R/-A" },
		{ { "-w", "10%", "-r", "(" }, "cannot compile regular expression '('" },
		{ { "-u", "furlongs" }, "--units 'furlongs' is not " },
		{ { "-w", "10%", "-W", "x" }, "cannot parse range 'x'" },
		{ { "-w", "", "-c", "5%" }, "free space threshold is empty" },
		{ { "-w", "10%", "--no-such-option" }, "unknown option '--no-such-option'" },
	};
	struct check_disk_config cfg;
	struct msp_error err;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		msp_error_init(&err);
		assert_int_equal(configure(&cfg, bad[i].args, MSP_STATE_UNKNOWN, &err), MSP_EINVAL);
		if (strncmp(err.msg, bad[i].msg, strlen(bad[i].msg)) != 0)
			fail_msg("row %zu: message '%s', want '%s...'", i, err.msg, bad[i].msg);
		check_disk_config_release(&cfg);
	}
	/* the runner words the -u error: every name it takes */
	assert_int_equal(configure(&cfg, ARGS("-w", "10%", "-u", "furlongs"), MSP_STATE_UNKNOWN, &err), MSP_EINVAL);
	assert_string_equal(err.msg,
			    "--units 'furlongs' is not bytes, B, kB, KiB, MB, MiB, GB, GiB, TB, TiB, PB or PiB");
	check_disk_config_release(&cfg);
	/* units: -u in any case, -k and -m; the last one given wins; MiB when none is */
	assert_int_equal(configure(&cfg, ARGS("-w", "10%", "-u", "gib"), MSP_STATE_UNKNOWN, &err), 0);
	assert_true(cfg.mult == 1073741824 && strcmp(cfg.unit, "GiB") == 0);
	check_disk_config_release(&cfg);
	assert_int_equal(configure(&cfg, ARGS("-u", "GB", "-k"), MSP_STATE_UNKNOWN, &err), 0);
	assert_true(cfg.mult == 1024 && strcmp(cfg.unit, "kiB") == 0);
	check_disk_config_release(&cfg);
	assert_int_equal(configure(&cfg, ARGS("-k", "-u", "bytes"), MSP_STATE_UNKNOWN, &err), 0);
	assert_true(cfg.mult == 1 && strcmp(cfg.unit, "B") == 0);
	check_disk_config_release(&cfg);
	assert_int_equal(configure(&cfg, ARGS("-w", "10%", "-u", ""), MSP_STATE_UNKNOWN, &err), 0);
	assert_true(cfg.mult == 1048576 && strcmp(cfg.unit, "MiB") == 0);
	check_disk_config_release(&cfg);
	/* a filter pattern that cannot be compiled is refused when the options are read */
	assert_int_equal(configure(&cfg, ARGS("-w", "10%", "-X", "a{255}{255}{255}"), MSP_STATE_UNKNOWN, &err),
			 MSP_EINVAL);
	assert_non_null(strstr(err.msg, "is too complex"));
	check_disk_config_release(&cfg);
	/* No option at all: nothing says what to check (the reference: "Could not parse arguments"). */
	assert_int_equal(configure(&cfg, ARGS(NULL), MSP_STATE_UNKNOWN, &err), MSP_EINVAL);
	assert_string_equal(err.msg, "missing thresholds: give -w and -c");
	check_disk_config_release(&cfg);
}

static void test_parse_free__values(void **state)
{
	static const char *const bad[] = { "", "foo", "10:5", "-10%", "5x", "@", "10%%", "1e400", "nan" };
	struct check_disk_limit u[2], p[2];
	struct msp_error err;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memset(u, 0, sizeof(u));
		memset(p, 0, sizeof(p));
		if (check_disk_parse_free(bad[i], u, p, CHECK_DISK_WARN, &err) != MSP_EINVAL)
			fail_msg("'%s' accepted", bad[i]);
		assert_false(u[0].set || p[0].set);
	}
	/* A bare number counts units, a suffix makes bytes (1024-based, as -u is); always alert inside. */
	assert_int_equal(check_disk_parse_free("2G", u, p, CHECK_DISK_CRIT, &err), 0);
	assert_true(u[CHECK_DISK_CRIT].set);
	assert_int_equal(u[CHECK_DISK_CRIT].r.unit, MSP_UNIT_SIZE);
	assert_true(u[CHECK_DISK_CRIT].r.end == 2147483648.0);
	assert_true(u[CHECK_DISK_CRIT].r.inside);
	assert_int_equal(check_disk_parse_free("@10.5%", u, p, CHECK_DISK_WARN, &err), 0);
	assert_true(p[CHECK_DISK_WARN].set && p[CHECK_DISK_WARN].r.end == 10.5 && p[CHECK_DISK_WARN].r.inside);
}

static void test_units__suffix_means_bytes(void **state)
{
	struct run r;

	(void)state;
	/* /dev/shm has 24105 MiB free: below 30 GiB, above 20 GiB. */
	run_args(&r, "host", ARGS("-w", "30G", "-c", "20G", "-p", "/dev/shm"));
	assert_int_equal(r.state, MSP_STATE_WARNING);
	/* The warning level lies below zero used space: perfdata says 0, not a wrapped number. */
	assert_contains(r.line1, "/dev/shm=0B;0;3801088000;0;25275924480");
	run_release(&r);
	run_args(&r, "host", ARGS("-w", "30000", "-c", "24105", "-p", "/dev/shm"));
	assert_int_equal(r.state, MSP_STATE_CRITICAL); /* 24105 is inside @0:24105 */
	run_release(&r);
}

static void test_filters__types_devices_local(void **state)
{
	struct run r;

	(void)state;
	run_args(&r, "host", ARGS("-w", "10%", "-c", "5%", "-X", "tmpfs", "-X", "devtmpfs"));
	assert_string_equal(r.line1, "DISK OK - free space: / 81600MiB (83% inode=97%);| "
				     "/=17179869184B;243497277849;257024904396;0;270552530944");
	run_release(&r);
	run_args(&r, "host", ARGS("-w", "10%", "-c", "5%", "-N", "devtmpfs"));
	assert_contains(r.line1, "free space: /dev 12045MiB (100% inode=99%);|");
	run_release(&r);
	run_args(&r, "host", ARGS("-w", "10%", "-c", "5%", "-x", "/dev/vda", "-x", "/dev/shm", "-x", "tmpfs"));
	assert_contains(r.line1, "free space: /dev 12045MiB (100% inode=99%);|");
	run_release(&r);
	/* -L: the network filesystem is asked, not judged; -l: not even asked. */
	run_args(&r, "remote_lookalike", ARGS("-w", "10%", "-c", "5%", "-L", "-p", "/tmp/check_disk_rec/nfs"));
	assert_int_equal(r.state, MSP_STATE_OK);
	assert_contains(r.out, "[OK] /tmp/check_disk_rec/nfs answers (network filesystem");
	assert_lacks(r.line1, "nfs=");
	run_release(&r);
	/* -L wins over -l in either order, as in the reference */
	run_args(&r, "remote_lookalike", ARGS("-w", "10%", "-c", "5%", "-L", "-l", "-p", "/tmp/check_disk_rec/nfs"));
	assert_contains(r.out, "[OK] /tmp/check_disk_rec/nfs answers (network filesystem");
	run_release(&r);
	run_args(&r, "remote_lookalike", ARGS("-w", "10%", "-c", "5%", "-l", "-L", "-p", "/tmp/check_disk_rec/nfs"));
	assert_contains(r.out, "[OK] /tmp/check_disk_rec/nfs answers (network filesystem");
	run_release(&r);
	/* an empty -x, -X or -N (an unset macro) is not given */
	run_args(&r, "host", ARGS("-w", "10%", "-c", "5%", "-x", "", "-X", "", "-N", "", "-p", "/"));
	assert_contains(r.line1, "DISK OK - free space: / 81600MiB (83% inode=97%);|");
	assert_int_equal(r.cfg.xdev.count + r.cfg.xtype.count + r.cfg.ntype.count, 0);
	run_release(&r);
}

static void test_ignore__drops_what_was_selected_before(void **state)
{
	struct run r;

	(void)state;
	/* A regular expression sees mount points and devices: ^/dev would drop / (on /dev/vda) too. */
	run_args(&r, "host", ARGS("-w", "10%", "-c", "5%", "-A", "-i", "^/dev$", "-i", "shm", "-I", "CGROUP"));
	assert_string_equal(r.line1, "DISK OK - free space: / 81600MiB (83% inode=97%);| "
				     "/=17179869184B;243497277849;257024904396;0;270552530944");
	run_release(&r);
	/* A path selected after the -i is kept. */
	run_args(&r, "host", ARGS("-w", "10%", "-c", "5%", "-p", "/", "-i", "^/", "-p", "/dev/shm"));
	assert_contains(r.line1, "free space: /dev/shm 24105MiB (100% inode=99%);|");
	run_release(&r);
}

/* ------------------------------------------------------------ fail closed */

static void test_missing_path__critical_unless_ignored(void **state)
{
	struct run r;

	(void)state;
	run_prepare(&r, "host", ARGS("-w", "10%", "-c", "5%", "-p", "/srv/gone", "-p", "/"), MSP_STATE_UNKNOWN);
	/* What stat() says on a machine without /srv/gone. */
	r.items.v[0].status = MSP_STATVFS_FAILED;
	r.items.v[0].error = ENOENT;
	r.items.v[0].call = "stat";
	free(r.items.v[0].resolved);
	r.items.v[0].resolved = NULL;
	run_finish(&r);
	assert_int_equal(r.state, MSP_STATE_CRITICAL);
	assert_contains(r.line1, "DISK CRITICAL - /srv/gone is not accessible: No such file or directory; "
				 "free space: / 81600MiB (83% inode=97%);|");
	run_release(&r);

	run_prepare(&r, "host", ARGS("-n", "-w", "10%", "-c", "5%", "-p", "/srv/gone"), MSP_STATE_UNKNOWN);
	r.items.v[0].status = MSP_STATVFS_FAILED;
	r.items.v[0].error = ENOENT;
	r.items.v[0].call = "stat";
	run_finish(&r);
	assert_int_equal(r.state, MSP_STATE_OK);
	assert_contains(r.out, "[OK] /srv/gone is not accessible: No such file or directory (ignored)");
	run_release(&r);
}

static void test_exact__not_a_mount_point(void **state)
{
	struct run r;

	(void)state;
	run_args(&r, "host", ARGS("-w", "10%", "-c", "5%", "-E", "-p", "/usr", "-p", "/dev/shm"));
	assert_int_equal(r.state, MSP_STATE_CRITICAL);
	assert_contains(r.line1, "DISK CRITICAL - /usr is not a mount point (-E); free space: /dev/shm");
	run_release(&r);
	/* A device names its mount point, with or without -E. */
	run_args(&r, "host", ARGS("-w", "10%", "-c", "5%", "-E", "-p", "/dev/vda"));
	assert_int_equal(r.state, MSP_STATE_OK);
	assert_contains(r.line1, "free space: / 81600MiB");
	run_release(&r);
}

static void test_nothing_left__unknown(void **state)
{
	struct run r;

	(void)state;
	run_args(&r, "host", ARGS("-w", "10%", "-c", "5%", "-p", "/", "-X", "ext4"));
	assert_int_equal(r.state, MSP_STATE_UNKNOWN);
	assert_string_equal(r.line1, "DISK UNKNOWN - no filesystem to check: the selection and filters left nothing");
	run_release(&r);
	run_args(&r, "host", ARGS("-n", "-w", "10%", "-c", "5%", "-N", "xfs"));
	assert_int_equal(r.state, MSP_STATE_OK);
	run_release(&r);
	/* A filesystem without a size, asked for by name, cannot be checked. */
	run_args(&r, "host", ARGS("-w", "10%", "-c", "5%", "-p", "/proc"));
	assert_int_equal(r.state, MSP_STATE_UNKNOWN);
	assert_string_equal(r.line1, "DISK UNKNOWN - /proc (proc) reports no size: nothing to check");
	run_release(&r);
}

static void test_regex__matching_nothing_is_an_error(void **state)
{
	struct check_disk_config cfg;
	struct msp_mount_items items;
	struct situation s;
	struct msp_error err;

	(void)state;
	msp_error_init(&err);
	situation_load(&s, "host");
	assert_int_equal(configure(&cfg, ARGS("-w", "10%", "-c", "5%", "-r", "^/DEV"), MSP_STATE_UNKNOWN, &err), 0);
	assert_int_equal(msp_mount_select(&cfg.sel, &s.t, &items, &err), MSP_EINVAL);
	assert_string_equal(err.msg, "regular expression '^/DEV' matches no mount point or device");
	msp_mount_items_release(&items);
	check_disk_config_release(&cfg);
	situation_release(&s);
}

static void test_hang__named_with_the_timeout_state(void **state)
{
	struct run r;

	(void)state;
	run_prepare(&r, "host", ARGS("-w", "10%", "-c", "5%", "-p", "/", "-p", "/dev/shm", "-p", "/dev"),
		    MSP_STATE_UNKNOWN);
	/* /dev/shm did not answer; /dev was never reached before the deadline. */
	r.items.v[1].status = MSP_STATVFS_TIMEOUT;
	r.items.v[2].status = MSP_STATVFS_PENDING;
	run_finish(&r);
	assert_int_equal(r.state, MSP_STATE_UNKNOWN);
	assert_contains(r.line1, "DISK UNKNOWN - /dev/shm did not answer within 10 s (statvfs hangs); "
				 "/dev not checked: no time left (timeout 10 s); free space: / 81600MiB");
	assert_contains(r.out, "\n[OK] / 81600MiB");
	run_release(&r);

	run_prepare(&r, "host", ARGS("-w", "10%", "-c", "5%"), MSP_STATE_CRITICAL);
	for (size_t i = 0; i < r.items.n; i++)
		if (r.items.v[i].mnt && strcmp(r.items.v[i].mnt->target, "/dev") == 0)
			r.items.v[i].status = MSP_STATVFS_TIMEOUT;
	run_finish(&r);
	assert_int_equal(r.state, MSP_STATE_CRITICAL);
	assert_contains(r.line1, "DISK CRITICAL - /dev did not answer within 10 s (statvfs hangs); free space:");
	run_release(&r);
}

static void test_errors_only__quiet_when_fine(void **state)
{
	struct run r;

	(void)state;
	run_args(&r, "host", ARGS("-e", "-w", "10%", "-c", "5%", "-p", "/", "-p", "/dev/shm"));
	assert_int_equal(r.state, MSP_STATE_OK);
	/* the reference's line: no summary, every filesystem in the perfdata */
	assert_string_equal(r.line1, "DISK OK| "
				     "/=17179869184B;243497277849;257024904396;0;270552530944 "
				     "/dev/shm=0B;22748332032;24012128256;0;25275924480");
	run_release(&r);
}

static void test_legacy_positionals__used_percent(void **state)
{
	struct run r;

	(void)state;
	/* / is 17% used (rounded up): above 16 is a warning, 17 is not above 17. */
	run_args(&r, "host", ARGS("16", "17", "/"));
	assert_int_equal(r.state, MSP_STATE_WARNING);
	run_release(&r);
	run_args(&r, "host", ARGS("10", "16", "/"));
	assert_int_equal(r.state, MSP_STATE_CRITICAL);
	run_release(&r);
	/* Every further positional argument is a path. */
	run_args(&r, "host", ARGS("-w", "10%", "-c", "5%", "/", "/dev"));
	assert_contains(r.line1, "free space: / 81600MiB (83% inode=97%); /dev 12045MiB");
	run_release(&r);
}

/* Numbers made up to reach a case the machine cannot show: a filesystem without an inode count. */
static void test_inodes__filesystem_without_inode_count(void **state)
{
	struct run r;

	(void)state;
	run_prepare(&r, "host", ARGS("-w", "10%", "-c", "5%", "-W", "20%", "-K", "10%", "-p", "/"), MSP_STATE_UNKNOWN);
	r.items.v[0].usage.files = 0;
	r.items.v[0].usage.ffree = 0;
	run_finish(&r);
	assert_int_equal(r.state, MSP_STATE_OK);
	assert_contains(r.line1, "free space: / 81600MiB (83% inode=-);|");
	run_release(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reference__recorded_runs_agree),
		cmocka_unit_test(test_all__pseudo_passed_over_and_covered_mount_once),
		cmocka_unit_test(test_clear__thresholds_are_positional),
		cmocka_unit_test(test_option_order__reference_rules),
		cmocka_unit_test(test_parse_free__values),
		cmocka_unit_test(test_units__suffix_means_bytes),
		cmocka_unit_test(test_filters__types_devices_local),
		cmocka_unit_test(test_ignore__drops_what_was_selected_before),
		cmocka_unit_test(test_missing_path__critical_unless_ignored),
		cmocka_unit_test(test_exact__not_a_mount_point),
		cmocka_unit_test(test_nothing_left__unknown),
		cmocka_unit_test(test_regex__matching_nothing_is_an_error),
		cmocka_unit_test(test_hang__named_with_the_timeout_state),
		cmocka_unit_test(test_errors_only__quiet_when_fine),
		cmocka_unit_test(test_legacy_positionals__used_percent),
		cmocka_unit_test(test_inodes__filesystem_without_inode_count),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
