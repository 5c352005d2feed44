/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test_check_reboot.c - check_reboot's parsers (needrestart -b output,
 * /proc/<pid>/maps recorded from real processes), kernel ordering, evaluate
 * (a state per source, the options that choose it) and the whole check run
 * on recorded /proc, /boot and /run trees (tests/fixtures/check_reboot/).
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <setjmp.h>
#include <cmocka.h>

#include "check_reboot.h"
#include "msp_test.h"

/* ------------------------------------------------------------ helpers */

static const char *fixture_path(const char *name, char *buf, size_t len)
{
	char rel[512];

	snprintf(rel, sizeof(rel), "check_reboot/%s", name);
	return msp_test_fixture_path(rel, buf, len);
}

static char *fixture(const char *name)
{
	char rel[512];

	snprintf(rel, sizeof(rel), "check_reboot/%s", name);
	return msp_test_fixture(rel, 1 << 20);
}

/* Configure cfg from args (NULL-terminated) through the runner's parser and finish. */
static void configure(struct check_reboot_config *cfg, const char *const *args)
{
	msp_test_configure_ok(msp_test_plugin, cfg, sizeof(*cfg), args);
	msp_list_release(&cfg->ignore_list); /* finish made cfg->ignore[] of it */
}

/* Run the whole check on a fixture tree with args; returns the nagios output, *ret_state the state. */
static char *run_tree(const char *tree, const char *const *args, enum msp_state *ret_state)
{
	struct check_reboot_config cfg;
	const char *argv[24] = { "--root" };
	char root_path[1024];
	size_t n = 2;
	char *out;

	argv[1] = fixture_path(tree, root_path, sizeof(root_path));
	for (size_t i = 0; args && args[i] && n < 23; i++)
		argv[n++] = args[i];
	out = msp_test_run(msp_test_plugin, &cfg, sizeof(cfg), argv, MSP_FORMAT_NAGIOS, ret_state);
	msp_list_release(&cfg.ignore_list);
	return out;
}

static void assert_contains(const char *hay, const char *needle)
{
	if (!strstr(hay, needle))
		fail_msg("'%s' not found in:\n%s", needle, hay);
}

/* ------------------------------------------------------------ parsers */

/* The example of needrestart's README.batch.md: services, containers, sessions. */
static void test_reboot__needrestart_services_parsed(void **state)
{
	struct check_reboot_needrestart nr;
	char *text = fixture("needrestart_services.txt");

	(void)state;
	assert_int_equal(check_reboot_parse_needrestart(text, &nr, NULL), 0);
	assert_true(nr.ran);
	assert_int_equal(nr.ksta, 1);
	assert_string_equal(nr.kcur, "3.19.3-tl1+");
	assert_int_equal(nr.nservices, 2);
	assert_string_equal(nr.services[0], "systemd-journald.service");
	assert_string_equal(nr.services[1], "systemd-machined.service");
	assert_int_equal(nr.nsessions, 2);
	check_reboot_sample_release(&(struct check_reboot_sample){ .nr = nr });
	free(text);
}

/* Recorded here (a container): kernel status 0, no services, microcode lines. */
static void test_reboot__needrestart_container_parsed(void **state)
{
	struct check_reboot_needrestart nr;
	char *text = fixture("needrestart_container.txt");

	(void)state;
	assert_int_equal(check_reboot_parse_needrestart(text, &nr, NULL), 0);
	assert_int_equal(nr.ksta, 0);
	assert_int_equal(nr.nservices, 0);
	free(text);
}

static void test_reboot__needrestart_garbage_rejected(void **state)
{
	struct check_reboot_needrestart nr = { .ksta = 9 };
	struct msp_error err;

	(void)state;
	msp_error_init(&err);
	assert_int_equal(check_reboot_parse_needrestart("", &nr, &err), MSP_EINVAL);
	assert_int_equal(check_reboot_parse_needrestart("Scanning processes...\nNo services need to be restarted.\n",
							&nr, &err), MSP_EINVAL);
	assert_string_equal(err.msg, "needrestart -b printed no NEEDRESTART-VER line");
	assert_int_equal(check_reboot_parse_needrestart("NEEDRESTART-VER: 3.6\nNEEDRESTART-KSTA: 7\n", &nr, &err),
			 MSP_EINVAL);
	assert_int_equal(check_reboot_parse_needrestart("NEEDRESTART-VER: 3.6\nNEEDRESTART-SVC: a.service\n"
							"NEEDRESTART-KSTA: x\n", &nr, &err), MSP_EINVAL);
	assert_int_equal(nr.ksta, 9); /* untouched on failure */
}

/* A sleep started with a copy of libz preloaded, the copy then deleted (see the README). */
static void test_reboot__maps_with_deleted_library(void **state)
{
	char *maps = fixture("host_kernel_pending/proc/4242/maps");
	char first[256] = "";

	(void)state;
	assert_int_equal(check_reboot_scan_maps(maps, first, sizeof(first)), 1);
	assert_string_equal(first, "/tmp/rb/libmsptest.so.1");
	free(maps);
	maps = fixture("host_current/proc/1/maps");
	assert_int_equal(check_reboot_scan_maps(maps, first, sizeof(first)), 0);
	free(maps);
}

/* Only code mapped from real files counts: not memfd, shared memory, data-only mappings. */
static void test_reboot__maps_ignore_memfd_and_data(void **state)
{
	static const char maps[] =
		"7f00-7f01 r-xp 00000000 00:01 1044   /memfd:sealed-91173221a7ea (deleted)\n"
		"7f01-7f02 rw-s 00000000 00:05 3      /dev/shm/pulse-shm-1 (deleted)\n"
		"7f02-7f03 r--p 00000000 fe:00 77     /usr/lib/x86_64-linux-gnu/libold.so.1 (deleted)\n"
		"7f03-7f04 r-xp 00000000 fe:00 78     /usr/sbin/sshd (deleted)\n"
		"7f04-7f05 r-xp 00000000 fe:00 79     /usr/lib/x86_64-linux-gnu/libssl.so.3 (deleted)\n"
		"7f05-7f06 r-xp 00001000 fe:00 79     /usr/lib/x86_64-linux-gnu/libssl.so.3 (deleted)\n"
		"7f06-7f07 r-xp 00000000 fe:00 80     /usr/lib/x86_64-linux-gnu/libc.so.6\n"
		"7f07-7f08 r-xp 00000000 00:00 0      [vdso]\n";
	char first[256];

	(void)state;
	assert_int_equal(check_reboot_scan_maps(maps, first, sizeof(first)), 2);
	assert_string_equal(first, "/usr/sbin/sshd");
	assert_int_equal(check_reboot_scan_maps("", first, sizeof(first)), 0);
	assert_int_equal(check_reboot_scan_maps("garbage\n (deleted)\nx (deleted)", NULL, 0), 0);
}

static void test_reboot__kernel_releases_order_as_versions(void **state)
{
	(void)state;
	assert_true(check_reboot_kernel_cmp("6.1.0-9-amd64", "6.1.0-56-amd64") < 0);
	assert_true(check_reboot_kernel_cmp("6.1.0-56-amd64", "6.1.0-9-amd64") > 0);
	assert_true(check_reboot_kernel_cmp("5.10.0-28-amd64", "6.1.0-9-amd64") < 0);
	assert_int_equal(check_reboot_kernel_cmp("6.1.0-9-amd64", "6.1.0-9-amd64"), 0);
}

/* ------------------------------------------------------------ whole check on trees */

static void test_reboot__current_host_is_ok(void **state)
{
	static const char *const opts[] = { "--no-needrestart", NULL };
	enum msp_state st;
	char *out = run_tree("host_current", opts, &st);

	(void)state;
	assert_int_equal(st, MSP_STATE_OK);
	assert_contains(out, "REBOOT OK - no reboot or restart pending | reboot_required=0 kernel_pending=0 "
			     "deleted_lib_procs=0\n");
	assert_contains(out, "[OK] kernel 6.1.0-56-amd64 is the newest installed\n");
	assert_contains(out, "services: not checked (--no-needrestart)");
	free(out);
}

static void test_reboot__pending_kernel_flag_and_libs(void **state)
{
	static const char *const opts[] = { "--no-needrestart", NULL };
	enum msp_state st;
	char *out = run_tree("host_kernel_pending", opts, &st);

	(void)state;
	assert_int_equal(st, MSP_STATE_WARNING);
	assert_contains(out, "REBOOT WARNING - reboot required by packages: linux-image-6.1.0-56-amd64, libc6; "
			     "kernel 6.1.0-9-amd64 running, 6.1.0-56-amd64 installed; 1 process uses deleted "
			     "libraries: sleep (4242) | reboot_required=1 kernel_pending=1 deleted_lib_procs=1\n");
	assert_contains(out, "  sleep (4242): /tmp/rb/libmsptest.so.1\n");
	free(out);
}

/* Each source has its own state; an ignored one is not read at all. */
static void test_reboot__states_per_source(void **state)
{
	static const char *const crit_kernel[] = { "--no-needrestart", "--kernel=CRITICAL", "--libs=OK", "--flag=OK", NULL };
	static const char *const only_libs[] = { "--no-needrestart", "--ignore=flag,kernel", "--libs=CRITICAL", NULL };
	enum msp_state st;
	char *out;

	(void)state;
	out = run_tree("host_kernel_pending", crit_kernel, &st);
	assert_int_equal(st, MSP_STATE_CRITICAL);
	assert_contains(out, "REBOOT CRITICAL - kernel 6.1.0-9-amd64 running, 6.1.0-56-amd64 installed | ");
	free(out);
	out = run_tree("host_kernel_pending", only_libs, &st);
	assert_int_equal(st, MSP_STATE_CRITICAL);
	assert_contains(out, "REBOOT CRITICAL - 1 process uses deleted libraries: sleep (4242) | deleted_lib_procs=1\n");
	free(out);
}

/* In a container the kernel is the host's: a note, not a warning and not "current". */
static void test_reboot__container_skips_kernel(void **state)
{
	static const char *const opts[] = { "--no-needrestart", NULL };
	enum msp_state st;
	char *out = run_tree("container", opts, &st);

	(void)state;
	assert_int_equal(st, MSP_STATE_OK);
	assert_contains(out, "kernel: skipped inside a container (docker)");
	assert_null(strstr(out, "kernel_pending"));
	free(out);
}

/* Nothing to compare with is not "current". */
static void test_reboot__no_images_is_unknown(void **state)
{
	static const char *const opts[] = { "--no-needrestart", NULL };
	enum msp_state st;
	char *out = run_tree("no_images", opts, &st);

	(void)state;
	assert_int_equal(st, MSP_STATE_UNKNOWN);
	assert_contains(out, "REBOOT UNKNOWN - kernel: no kernel images in /boot to compare");
	free(out);
}

static void test_reboot__everything_ignored_is_unknown(void **state)
{
	static const char *const opts[] = { "--ignore=flag,kernel", "--ignore=services,libs", NULL };
	static const char *const container_only[] = { "--no-needrestart", "--ignore=flag,libs", NULL };
	enum msp_state st;
	char *out = run_tree("host_current", opts, &st);

	(void)state;
	assert_int_equal(st, MSP_STATE_UNKNOWN);
	assert_contains(out, "REBOOT UNKNOWN - every source is ignored: nothing was checked");
	free(out);
	/* in a container with the other sources ignored and no needrestart, nothing was judged */
	out = run_tree("container", container_only, &st);
	assert_int_equal(st, MSP_STATE_UNKNOWN);
	assert_contains(out, "REBOOT UNKNOWN - nothing could be checked here: kernel: skipped inside a container");
	free(out);
}

/* needrestart's kernel status wins over the /boot comparison; its services have their own state. */
static void test_reboot__needrestart_services_and_kernel_status(void **state)
{
	struct check_reboot_config cfg;
	struct check_reboot_sample s = { .running = "6.1.0-9-amd64", .newest = "6.1.0-56-amd64", .nimages = 2,
					 .nscanned = 3 };
	struct msp_result *root = msp_result_new();
	static const char *const opts[] = { "--services=CRITICAL", NULL };
	char *text = fixture("needrestart_services.txt");
	struct msp_buf b;

	(void)state;
	configure(&cfg, opts);
	assert_int_equal(check_reboot_parse_needrestart(text, &s.nr, NULL), 0);
	assert_int_equal(check_reboot_evaluate(&cfg, &s, root), 0);
	assert_int_equal(msp_result_state(root), MSP_STATE_CRITICAL);
	msp_buf_init(&b, MSP_OUTPUT_MAX + 4096);
	assert_int_equal(msp_render(root, MSP_FORMAT_NAGIOS, "check_reboot", "REBOOT", &b), 0);
	assert_contains(msp_buf_str(&b), "REBOOT CRITICAL - 2 services to restart: systemd-journald.service, ... | "
					 "reboot_required=0 kernel_pending=0 services=2 deleted_lib_procs=0\n");
	assert_contains(msp_buf_str(&b), "[OK] kernel 3.19.3-tl1+ is current (needrestart)\n");
	assert_contains(msp_buf_str(&b), "  systemd-machined.service\n");
	msp_buf_release(&b);
	msp_result_free(root);
	/* a needrestart that failed is UNKNOWN for the services, never "no services" */
	check_reboot_sample_release(&s);
	s.nr = (struct check_reboot_needrestart){ .ran = true, .failed = true };
	snprintf(s.nr.error, sizeof(s.nr.error), "needrestart -b failed (exit 1)");
	root = msp_result_new();
	assert_int_equal(check_reboot_evaluate(&cfg, &s, root), 0);
	assert_int_equal(msp_result_state(root), MSP_STATE_UNKNOWN);
	assert_string_equal(root->text, "kernel 6.1.0-9-amd64 running, 6.1.0-56-amd64 installed; services: needrestart "
					"-b failed (exit 1)");
	msp_result_free(root);
	free(text);
}

/* Unreadable maps: UNKNOWN by default (not checked), the chosen state with --libs-unreadable. */
static void test_reboot__unreadable_maps_fail_closed(void **state)
{
	struct check_reboot_proc hidden = { .pid = 1, .comm = "init" };
	struct check_reboot_sample s = { .nscanned = 40, .nunreadable = 1, .unreadable = &hidden };
	static const char *const plain[] = { "--ignore=flag,kernel,services", NULL };
	static const char *const relaxed[] = { "--ignore=flag,kernel,services", "--libs-unreadable=OK", NULL };
	struct check_reboot_config cfg;
	struct msp_result *root = msp_result_new();

	(void)state;
	configure(&cfg, plain);
	assert_int_equal(check_reboot_evaluate(&cfg, &s, root), 0);
	assert_int_equal(msp_result_state(root), MSP_STATE_UNKNOWN);
	assert_string_equal(root->text, "libs: cannot read the memory maps of 1 of 40 processes, e.g. init (1)");
	msp_result_free(root);
	root = msp_result_new();
	configure(&cfg, relaxed);
	assert_int_equal(check_reboot_evaluate(&cfg, &s, root), 0);
	assert_int_equal(msp_result_state(root), MSP_STATE_OK);
	msp_result_free(root);
}

/* A flag or /boot that could not be examined is UNKNOWN, never "not pending"; no 0 in the graphs either. */
static void test_reboot__unexaminable_flag_and_boot_are_unknown(void **state)
{
	struct check_reboot_sample s = { .running = "6.1.0-9-amd64", .nimages = 0 };
	static const char *const only_flag[] = { "--ignore=kernel,services,libs", NULL };
	static const char *const only_kernel[] = { "--ignore=flag,services,libs", NULL };
	struct check_reboot_config cfg;
	struct msp_result *root = msp_result_new();

	(void)state;
	snprintf(s.flag_error, sizeof(s.flag_error), "cannot tell whether '/run/reboot-required' exists: Permission denied");
	snprintf(s.boot_error, sizeof(s.boot_error), "cannot read '/boot': Permission denied");
	configure(&cfg, only_flag);
	assert_int_equal(check_reboot_evaluate(&cfg, &s, root), 0);
	assert_int_equal(msp_result_state(root), MSP_STATE_UNKNOWN);
	assert_string_equal(root->text, "flag: cannot tell whether '/run/reboot-required' exists: Permission denied");
	assert_int_equal(root->nperf, 0);
	msp_result_free(root);
	root = msp_result_new();
	configure(&cfg, only_kernel);
	assert_int_equal(check_reboot_evaluate(&cfg, &s, root), 0);
	assert_int_equal(msp_result_state(root), MSP_STATE_UNKNOWN);
	assert_string_equal(root->text, "kernel: cannot read '/boot': Permission denied");
	assert_int_equal(root->nperf, 0);
	msp_result_free(root);
}

/* /proc/self/status recorded as root, as nobody and as nobody with CAP_SYS_PTRACE (fixtures README). */
static void test_reboot__status_parsed(void **state)
{
	struct check_reboot_creds c;
	char *text;

	(void)state;
	text = fixture("status_root.txt");
	assert_int_equal(check_reboot_parse_status(text, &c, NULL), 0);
	assert_true(c.known);
	assert_int_equal(c.ruid, 0);
	assert_int_equal(c.euid, 0);
	assert_true(c.cap_sys_ptrace);
	assert_true(check_reboot_sees_all_maps(&c));
	free(text);
	text = fixture("status_nobody.txt");
	assert_int_equal(check_reboot_parse_status(text, &c, NULL), 0);
	assert_int_equal(c.ruid, 65534);
	assert_int_equal(c.euid, 65534);
	assert_false(c.cap_sys_ptrace);
	assert_false(check_reboot_sees_all_maps(&c));
	free(text);
	text = fixture("status_nobody_ptrace.txt");
	assert_int_equal(check_reboot_parse_status(text, &c, NULL), 0);
	assert_int_equal(c.euid, 65534);
	assert_true(c.cap_sys_ptrace);
	assert_true(check_reboot_sees_all_maps(&c));
	free(text);
	/* what cannot be parsed is not "unprivileged": unknown credentials scan (fail closed) */
	assert_int_equal(check_reboot_parse_status("Name:\tx\nUid:\t0\t0\t0\t0\n", &c, NULL), MSP_EINVAL);
	assert_int_equal(check_reboot_parse_status("Uid:\t0\t0\nCapEff:\t0\n", &c, NULL), MSP_EINVAL);
	assert_int_equal(check_reboot_parse_status("Uid:\t0\t0\t0\t0\nCapEff:\tzz\n", &c, NULL), MSP_EINVAL);
	assert_true(check_reboot_sees_all_maps(&(struct check_reboot_creds){ .known = false }));
}

/* --libs-scan=auto without the privilege: not checked, said in the summary; the other sources decide. */
static void test_reboot__skipped_libs_and_services_said_in_summary(void **state)
{
	struct check_reboot_sample s = { .running = "6.1.0-56-amd64", .newest = "6.1.0-56-amd64", .nimages = 2,
					 .creds = { .known = true, .ruid = 65534, .euid = 65534 },
					 .libs_skipped = true };
	static const char *const opts[] = { "--libs-scan=auto", "--no-needrestart", NULL };
	static const char *const libs_only[] = { "--libs-scan=auto", "--ignore=flag,kernel,services", NULL };
	struct check_reboot_config cfg;
	struct msp_result *root = msp_result_new();
	struct msp_buf b;

	(void)state;
	configure(&cfg, opts);
	assert_int_equal(cfg.libs_scan, REBOOT_SCAN_AUTO);
	assert_int_equal(check_reboot_evaluate(&cfg, &s, root), 0);
	assert_int_equal(msp_result_state(root), MSP_STATE_OK);
	msp_buf_init(&b, MSP_OUTPUT_MAX + 4096);
	assert_int_equal(msp_render(root, MSP_FORMAT_NAGIOS, "check_reboot", "REBOOT", &b), 0);
	assert_contains(msp_buf_str(&b), "REBOOT OK - no reboot or restart pending; libraries not checked (needs root: "
					 "see --help for the sudo rule) | reboot_required=0 kernel_pending=0\n");
	assert_contains(msp_buf_str(&b), "libs: not checked: uid 65534 without CAP_SYS_PTRACE cannot read other users' "
					 "memory maps (--libs-scan=auto)\n");
	msp_buf_release(&b);
	msp_result_free(root);
	/* a pending kernel still speaks, the services skipped as well */
	snprintf(s.running, sizeof(s.running), "6.1.0-9-amd64");
	s.nr_skipped = true;
	root = msp_result_new();
	assert_int_equal(check_reboot_evaluate(&cfg, &s, root), 0);
	assert_int_equal(msp_result_state(root), MSP_STATE_WARNING);
	assert_string_equal(root->text, "kernel 6.1.0-9-amd64 running, 6.1.0-56-amd64 installed; libraries and "
					"services not checked (needs root: see --help for the sudo rule)");
	msp_result_free(root);
	/* nothing else checked: nothing was checked */
	configure(&cfg, libs_only);
	root = msp_result_new();
	assert_int_equal(check_reboot_evaluate(&cfg, &s, root), 0);
	assert_int_equal(msp_result_state(root), MSP_STATE_UNKNOWN);
	assert_string_equal(root->text, "nothing could be checked here: libraries and services not checked (needs root: "
					"see --help for the sudo rule)");
	msp_result_free(root);
}

/* Root that cannot read some maps (a container's PID 1) scanned all the same: --libs-unreadable decides. */
static void test_reboot__auto_scan_as_root_keeps_unreadable(void **state)
{
	struct check_reboot_proc hidden = { .pid = 1, .comm = "process_api" };
	struct check_reboot_sample s = { .nscanned = 75, .nunreadable = 1, .unreadable = &hidden,
					 .creds = { .known = true } };
	static const char *const opts[] = { "--libs-scan=auto", "--ignore=flag,kernel,services", NULL };
	struct check_reboot_config cfg;
	struct msp_result *root = msp_result_new();

	(void)state;
	configure(&cfg, opts);
	assert_int_equal(check_reboot_evaluate(&cfg, &s, root), 0);
	assert_int_equal(msp_result_state(root), MSP_STATE_UNKNOWN);
	assert_string_equal(root->text, "libs: cannot read the memory maps of 1 of 75 processes, e.g. process_api (1)");
	msp_result_free(root);
	/* as a user, the explicit scan stays UNKNOWN and says how to get the privilege */
	s.creds = (struct check_reboot_creds){ .known = true, .ruid = 110, .euid = 110 };
	root = msp_result_new();
	assert_int_equal(check_reboot_evaluate(&cfg, &s, root), 0);
	assert_int_equal(msp_result_state(root), MSP_STATE_UNKNOWN);
	assert_string_equal(root->text, "libs: cannot read the memory maps of 1 of 75 processes, e.g. process_api (1) "
					"(needs root: see --help for the sudo rule, or --libs-scan=auto)");
	msp_result_free(root);
}

static void test_reboot__options(void **state)
{
	struct check_reboot_config cfg;

	(void)state;
	/* the defaults */
	configure(&cfg, MSP_ARGS(NULL));
	assert_string_equal(cfg.root, "/");
	for (int i = 0; i < REBOOT_NSOURCES; i++) {
		assert_int_equal(cfg.state[i], MSP_STATE_WARNING);
		assert_false(cfg.ignore[i]);
	}
	assert_int_equal(cfg.unreadable_state, MSP_STATE_UNKNOWN);
	assert_int_equal(cfg.libs_scan, REBOOT_SCAN_ALWAYS);
	assert_int_equal(cfg.list_max, 20);
	assert_null(cfg.needrestart);
	assert_false(cfg.no_needrestart);
	assert_int_equal(cfg.timeout_state, MSP_STATE_UNKNOWN);
	/* each option into its field; --ignore repeats and takes lists */
	configure(&cfg, MSP_ARGS("--flag=ok", "--kernel", "CRITICAL", "--services=3", "--libs=warning",
				 "--libs-unreadable=OK", "--libs-scan=auto", "--ignore=flag,libs", "--ignore", "kernel",
				 "--needrestart=/opt/nr", "--no-needrestart", "--root=/srv/tree", "--list=0", "-t", "5:CRITICAL"));
	assert_int_equal(cfg.state[REBOOT_FLAG], MSP_STATE_OK);
	assert_int_equal(cfg.state[REBOOT_KERNEL], MSP_STATE_CRITICAL);
	assert_int_equal(cfg.state[REBOOT_SERVICES], MSP_STATE_UNKNOWN);
	assert_int_equal(cfg.state[REBOOT_LIBS], MSP_STATE_WARNING);
	assert_int_equal(cfg.unreadable_state, MSP_STATE_OK);
	assert_int_equal(cfg.libs_scan, REBOOT_SCAN_AUTO);
	assert_true(cfg.ignore[REBOOT_FLAG] && cfg.ignore[REBOOT_KERNEL] && cfg.ignore[REBOOT_LIBS]);
	assert_false(cfg.ignore[REBOOT_SERVICES]);
	assert_string_equal(cfg.needrestart, "/opt/nr");
	assert_true(cfg.no_needrestart);
	assert_string_equal(cfg.root, "/srv/tree");
	assert_int_equal(cfg.list_max, 0);
	assert_int_equal(cfg.timeout_state, MSP_STATE_CRITICAL);
	/* '' (an unset macro in a command file) is "not given": the defaults apply */
	configure(&cfg, MSP_ARGS("--kernel=", "--ignore=", "--root=", "--needrestart=", "--list=", "--libs-scan="));
	assert_int_equal(cfg.state[REBOOT_KERNEL], MSP_STATE_WARNING);
	assert_false(cfg.ignore[REBOOT_KERNEL]);
	assert_string_equal(cfg.root, "/");
	assert_null(cfg.needrestart);
	assert_int_equal(cfg.list_max, 20);
	assert_int_equal(cfg.libs_scan, REBOOT_SCAN_ALWAYS);
}

static void test_reboot__bad_options(void **state)
{
	static const struct msp_test_case rows[] = {
		{ { "--kernel=SOMETIMES" }, MSP_STATE_UNKNOWN,
		  "^REBOOT UNKNOWN - --kernel 'SOMETIMES' is not OK, WARNING, CRITICAL or UNKNOWN$" },
		{ { "--libs-unreadable", "maybe" }, MSP_STATE_UNKNOWN, "^REBOOT UNKNOWN - --libs-unreadable 'maybe' is not " },
		{ { "--list=-1" }, MSP_STATE_UNKNOWN, "^REBOOT UNKNOWN - --list '-1' is not a whole number from 0 to 10000$" },
		{ { "--list=10001" }, MSP_STATE_UNKNOWN, "^REBOOT UNKNOWN - --list '10001' is not a whole number" },
		{ { "--libs-scan=sometimes" }, MSP_STATE_UNKNOWN,
		  "^REBOOT UNKNOWN - --libs-scan 'sometimes' is not auto or always$" },
		{ { "extra" }, MSP_STATE_UNKNOWN, "^REBOOT UNKNOWN - unexpected argument 'extra'$" },
	};
	struct check_reboot_config cfg;
	struct msp_error err;

	(void)state;
	msp_test_cases(msp_test_plugin, &cfg, sizeof(cfg), rows, sizeof(rows) / sizeof(rows[0]));
	assert_int_equal(msp_test_configure(msp_test_plugin, &cfg, sizeof(cfg), MSP_ARGS("--ignore", "kernel,disk"), &err),
			 MSP_EINVAL);
	assert_string_equal(err.msg, "unknown source 'disk': use flag, kernel, services or libs");
	msp_list_release(&cfg.ignore_list);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reboot__needrestart_services_parsed),
		cmocka_unit_test(test_reboot__needrestart_container_parsed),
		cmocka_unit_test(test_reboot__needrestart_garbage_rejected),
		cmocka_unit_test(test_reboot__maps_with_deleted_library),
		cmocka_unit_test(test_reboot__maps_ignore_memfd_and_data),
		cmocka_unit_test(test_reboot__kernel_releases_order_as_versions),
		cmocka_unit_test(test_reboot__current_host_is_ok),
		cmocka_unit_test(test_reboot__pending_kernel_flag_and_libs),
		cmocka_unit_test(test_reboot__states_per_source),
		cmocka_unit_test(test_reboot__container_skips_kernel),
		cmocka_unit_test(test_reboot__no_images_is_unknown),
		cmocka_unit_test(test_reboot__everything_ignored_is_unknown),
		cmocka_unit_test(test_reboot__needrestart_services_and_kernel_status),
		cmocka_unit_test(test_reboot__unreadable_maps_fail_closed),
		cmocka_unit_test(test_reboot__unexaminable_flag_and_boot_are_unknown),
		cmocka_unit_test(test_reboot__status_parsed),
		cmocka_unit_test(test_reboot__skipped_libs_and_services_said_in_summary),
		cmocka_unit_test(test_reboot__auto_scan_as_root_keeps_unreadable),
		cmocka_unit_test(test_reboot__options),
		cmocka_unit_test(test_reboot__bad_options),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
