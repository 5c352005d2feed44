/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * check_reboot - is a reboot or a service restart pending?
 *
 * Four sources, each reported on its own line and each with its own state:
 * the /run/reboot-required flag (Ubuntu), the running kernel against the
 * newest image in /boot, `needrestart -b` (services running outdated code,
 * its kernel status) and processes that still map deleted libraries or
 * executables (/proc/<pid>/maps).  Inside a container the kernel belongs to
 * the host: that source is skipped with a note.
 *
 * probe: files under --root, needrestart, /proc/<pid>/maps
 * parse: check_reboot_parse_needrestart(), check_reboot_scan_maps()
 * evaluate: check_reboot_evaluate()
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check_reboot.h"
#include "msp_cmd.h"
#include "msp_dir.h"

#define NEEDRESTART_DEFAULT "/usr/sbin/needrestart"
#define MAPS_MAX (8u << 20) /* a longer map is scanned this far; found nothing there: not checked */
#define PROCS_KEPT 256      /* processes remembered for the long output */

static const char *const source_names[REBOOT_NSOURCES] = { "flag", "kernel", "services", "libs" };

static const struct msp_choice libs_scans[] = {
	{ "auto", REBOOT_SCAN_AUTO },
	{ "always", REBOOT_SCAN_ALWAYS },
	{ NULL, 0 },
};

#define MSP_CFG struct check_reboot_config
static const struct msp_option options[] = {
	MSP_STATE(0, "flag", state[REBOOT_FLAG], "STATE", "State when /run/reboot-required exists", .def = "WARNING",
		  .var = "reboot_flag_state"),
	MSP_STATE(0, "kernel", state[REBOOT_KERNEL], "STATE",
		  "State when the running kernel is not the newest installed one", .def = "WARNING",
		  .var = "reboot_kernel_state"),
	MSP_STATE(0, "services", state[REBOOT_SERVICES], "STATE", "State when needrestart names services to restart",
		  .def = "WARNING", .var = "reboot_services_state"),
	MSP_STATE(0, "libs", state[REBOOT_LIBS], "STATE",
		  "State when processes still map deleted libraries or programs", .def = "WARNING",
		  .var = "reboot_libs_state"),
	MSP_STATE(0, "libs-unreadable", unreadable_state, "STATE",
		  "State when the maps of some processes cannot be read (UNKNOWN: they were not\n"
		  "checked).  The processes are named either way",
		  .def = "UNKNOWN", .var = "reboot_libs_unreadable_state"),
	MSP_CHOICE(0, "libs-scan", libs_scan, "auto|always", libs_scans,
		   "When to scan the memory maps for deleted libraries: always (maps that\n"
		   "cannot be read are --libs-unreadable, UNKNOWN), or auto: only where check_reboot\n"
		   "can read every process's maps (root or CAP_SYS_PTRACE); elsewhere the summary\n"
		   "says \"libraries not checked\" and the other sources decide.  check_bundle's\n"
		   "default profile uses auto",
		   .def = "always", .var = "reboot_libs_scan"),
	MSP_LIST(0, "ignore", ignore_list, "SOURCE[,SOURCE]",
		 "Do not check these sources: flag, kernel, services, libs (repeatable)", .var = "reboot_ignore"),
	MSP_PATH(0, "needrestart", needrestart, "PATH",
		 "needrestart program to run (default " NEEDRESTART_DEFAULT " when installed)"),
	MSP_BOOL(0, "no-needrestart", no_needrestart, "Do not run needrestart", .var = "reboot_no_needrestart"),
	MSP_PATH(0, "root", root, "DIR",
		 "Read /run, /boot and /proc below DIR (a recorded tree).  needrestart\n"
		 "runs only for / unless --needrestart is given",
		 .def = "/"),
	MSP_UINT(0, "list", list_max, "N", 0, 10000, "Name at most N processes and services in the long output",
		 .def = "20"),
	MSP_OPTION_END,
};

/* One --ignore argument ("kernel" or "flag,libs") into ignore[].  0 or MSP_EINVAL naming the unknown source. */
static int parse_sources(const char *arg, bool ignore[REBOOT_NSOURCES], struct msp_error *err)
{
	const char *p = arg;

	while (*p) {
		size_t len = strcspn(p, ",");
		int found = -1;

		for (int i = 0; i < REBOOT_NSOURCES; i++)
			if (strlen(source_names[i]) == len && strncmp(p, source_names[i], len) == 0)
				found = i;
		if (found < 0)
			return msp_error_set(err, MSP_EINVAL,
					     "unknown source '%.*s': use flag, kernel, services or libs",
					     (int)(len > 40 ? 40 : len), p);
		ignore[found] = true;
		p += len + (p[len] == ',');
	}
	return 0;
}

static int reboot_finish(void *vcfg, const struct msp_context *ctx, struct msp_error *err)
{
	struct check_reboot_config *cfg = vcfg;

	cfg->timeout_state = ctx->timeout_state;
	for (size_t i = 0; i < cfg->ignore_list.count; i++)
		if (parse_sources(cfg->ignore_list.items[i], cfg->ignore, err) < 0)
			return MSP_EINVAL;
	return 0;
}

/* ------------------------------------------------------------ probe */

/* root + rel into buf ("/" + "/proc" is "/proc"); false when it does not fit. */
static bool path_at(const struct check_reboot_config *cfg, const char *rel, char *buf, size_t len)
{
	const char *root = strcmp(cfg->root, "/") == 0 ? "" : cfg->root;
	int n = snprintf(buf, len, "%s%s", root, rel);

	return n > 0 && (size_t)n < len;
}

/* Read a small file below root; false when it is missing or unreadable.  The text ends at the first newline. */
static bool read_line_at(const struct check_reboot_config *cfg, const char *rel, char *out, size_t len)
{
	struct msp_buf b;
	char path[4096];
	bool ok = false;

	msp_buf_init(&b, 64 * 1024);
	if (path_at(cfg, rel, path, sizeof(path)) && msp_file_read(path, 64 * 1024, &b, NULL) == 0) {
		snprintf(out, len, "%.*s", (int)strcspn(msp_buf_str(&b), "\n"), msp_buf_str(&b));
		ok = true;
	}
	msp_buf_release(&b);
	return ok;
}

/*
 * 1 when rel exists below root, 0 when it does not (ENOENT only), -errno when
 * that cannot be told: EACCES, ELOOP, ENAMETOOLONG, and ENOTDIR (a component
 * that is not a directory is a tree we do not understand, not an absent file).
 */
static int exists_at(const struct check_reboot_config *cfg, const char *rel)
{
	char path[4096];
	struct stat st;

	if (!path_at(cfg, rel, path, sizeof(path)))
		return -ENAMETOOLONG;
	if (lstat(path, &st) == 0)
		return 1;
	return errno == ENOENT ? 0 : -errno;
}

/* reboot-required and its package list ("pkg\npkg\n" -> "pkg, pkg"). */
static void probe_flag(const struct check_reboot_config *cfg, struct check_reboot_sample *s)
{
	struct msp_buf b;
	struct msp_error e;
	char path[4096];
	size_t len = 0;
	int r;

	msp_step("reading /run/reboot-required");
	r = exists_at(cfg, "/run/reboot-required");
	if (r < 0) {
		snprintf(s->flag_error, sizeof(s->flag_error),
			 "cannot tell whether '%.200s/run/reboot-required' exists: %s",
			 strcmp(cfg->root, "/") == 0 ? "" : cfg->root, strerror(-r));
		return;
	}
	s->flag = r == 1;
	if (!s->flag)
		return;
	msp_buf_init(&b, 64 * 1024);
	msp_error_init(&e);
	r = path_at(cfg, "/run/reboot-required.pkgs", path, sizeof(path)) ? msp_file_read(path, 64 * 1024, &b, &e) :
									    MSP_ENOENT;
	if (r < 0 && r != MSP_ENOENT)
		snprintf(s->pkgs_error, sizeof(s->pkgs_error), "packages unknown: %.250s", e.msg);
	else if (r == 0) {
		for (const char *p = msp_buf_str(&b); *p;) {
			size_t n = strcspn(p, "\n");

			if (n && len < sizeof(s->pkgs))
				len += (size_t)snprintf(s->pkgs + len, sizeof(s->pkgs) - len, "%s%.*s", len ? ", " : "",
							(int)n, p);
			p += n + (p[n] == '\n');
		}
	}
	msp_buf_release(&b);
}

/* The markers container runtimes leave (systemd-detect-virt -c reads the same). */
static void probe_container(const struct check_reboot_config *cfg, struct check_reboot_sample *s)
{
	char line[256] = "";
	struct msp_buf b;
	char path[4096];

	/* An error here counts as "not a container": the kernel is then checked, which cannot say OK wrongly. */
	if (exists_at(cfg, "/.dockerenv") == 1) {
		snprintf(s->container, sizeof(s->container), "docker");
		return;
	}
	if (exists_at(cfg, "/run/.containerenv") == 1) {
		snprintf(s->container, sizeof(s->container), "podman");
		return;
	}
	if (read_line_at(cfg, "/run/systemd/container", line, sizeof(line)) && line[0]) {
		snprintf(s->container, sizeof(s->container), "%.60s", line);
		return;
	}
	/* PID 1's environment: container=lxc, container=systemd-nspawn... */
	msp_buf_init(&b, 256 * 1024);
	if (path_at(cfg, "/proc/1/environ", path, sizeof(path)) && msp_file_read(path, 256 * 1024, &b, NULL) == 0) {
		for (size_t i = 0; i < b.len; i += strlen(b.data + i) + 1)
			if (strncmp(b.data + i, "container=", 10) == 0 && b.data[i + 10]) {
				snprintf(s->container, sizeof(s->container), "%.60s", b.data + i + 10);
				break;
			}
	}
	msp_buf_release(&b);
}

static void probe_kernel(const struct check_reboot_config *cfg, struct check_reboot_sample *s)
{
	char boot[4096];
	struct msp_error err;
	struct msp_dir d;
	int r;

	msp_step("reading the kernel images in /boot");
	read_line_at(cfg, "/proc/sys/kernel/osrelease", s->running, sizeof(s->running));
	if (!path_at(cfg, "/boot", boot, sizeof(boot))) {
		snprintf(s->boot_error, sizeof(s->boot_error), "--root is too long for /boot");
		return;
	}
	/* Only the names count: an entry that cannot be examined is still listed. */
	r = msp_dir_list(boot, MSP_DIR_UNREADABLE, 0, &d, &err);
	if (r < 0) {
		/* no /boot is "no kernel images" (judged later); an unreadable one, or a listing cut short, is not */
		if (r != MSP_ESYS)
			snprintf(s->boot_error, sizeof(s->boot_error), "%.290s", err.msg);
		else if (d.errnum != ENOENT)
			snprintf(s->boot_error, sizeof(s->boot_error), "cannot read '%.200s': %s", boot,
				 strerror(d.errnum));
		return;
	}
	for (size_t i = 0; i < d.n; i++) {
		const char *name = d.entry[i].name, *rel = name + 8;

		if (strncmp(name, "vmlinuz-", 8) != 0 || !*rel || strlen(rel) >= sizeof(s->newest))
			continue;
		s->nimages++;
		if (strcmp(rel, s->running) == 0)
			s->running_installed = true;
		if (!s->newest[0] || check_reboot_kernel_cmp(rel, s->newest) > 0)
			snprintf(s->newest, sizeof(s->newest), "%s", rel);
	}
	msp_dir_release(&d);
}

/* Who we run as (<root>/proc/self/status); left unknown when it cannot be read, so the scan runs. */
static void probe_creds(const struct check_reboot_config *cfg, struct check_reboot_sample *s)
{
	char path[4096];
	struct msp_buf b;

	msp_step("reading /proc/self/status");
	msp_buf_init(&b, 64 * 1024);
	if (path_at(cfg, "/proc/self/status", path, sizeof(path)) && msp_file_read(path, 64 * 1024, &b, NULL) == 0 &&
	    check_reboot_parse_status(msp_buf_str(&b), &s->creds, NULL) < 0)
		s->creds.known = false;
	msp_buf_release(&b);
}

static void probe_needrestart(const struct check_reboot_config *cfg, const struct msp_context *ctx,
			      struct check_reboot_sample *s)
{
	/* -b batch output, -r l: list only, never restart anything; -n: no kernel hint prompts. */
	static const char *const args[] = { "-b", "-r", "l", "-n", NULL };
	/* the services after a cut would be missing */
	struct msp_cmd_expect expect = { .whole_output = true };
	struct check_reboot_needrestart *nr = &s->nr;
	const char *prog = cfg->needrestart;
	struct msp_exec_result r = { 0 };
	struct msp_cmd_verdict v;
	struct msp_error err;
	struct msp_cmd c;
	char what[200];

	if (cfg->no_needrestart || (cfg->ignore[REBOOT_SERVICES] && cfg->ignore[REBOOT_KERNEL]))
		return;
	if (!prog) {
		if (strcmp(cfg->root, "/") != 0 || access(NEEDRESTART_DEFAULT, X_OK) != 0)
			return;
		/* run by a user, needrestart checks only that user's processes: "no services" would be a guess */
		if (s->creds.known && s->creds.ruid != 0) {
			s->nr_skipped = true;
			return;
		}
		prog = NEEDRESTART_DEFAULT;
	}
	snprintf(what, sizeof(what), "%.150s -b", prog);
	expect.what = what;
	msp_step("running %s", what);
	msp_error_init(&err);
	msp_cmd_init(&c, ctx, prog);
	msp_cmd_args(&c, args);
	nr->failed = true;
	if (msp_cmd_run(&c, NULL, 1 << 20, 64 * 1024, &r, &err) < 0 || msp_cmd_judge(&c, &r, &expect, &v, &err) < 0) {
		snprintf(nr->error, sizeof(nr->error), "cannot run needrestart: %.200s", err.msg);
	} else if (v.end != MSP_CMD_OK) {
		nr->timed_out = v.end == MSP_CMD_TIMED_OUT;
		snprintf(nr->error, sizeof(nr->error), "%.250s", v.msg);
	} else if (check_reboot_parse_needrestart(msp_buf_str(&r.out), nr, &err) < 0) {
		snprintf(nr->error, sizeof(nr->error), "%.250s", err.msg);
	} else {
		nr->failed = false;
	}
	msp_exec_result_release(&r);
	msp_cmd_release(&c);
}

/* Fill p with the process's pid, name and what was found. */
static void describe(const char *procdir, long pid, struct check_reboot_proc *p, const char *file, unsigned n)
{
	char path[4096];
	struct msp_buf b;

	p->pid = (pid_t)pid;
	p->nfiles = n;
	snprintf(p->file, sizeof(p->file), "%s", file);
	msp_buf_init(&b, 256);
	if (msp_proc_path(procdir, pid, "comm", path, sizeof(path)) == 0 && msp_file_read(path, 256, &b, NULL) == 0)
		snprintf(p->comm, sizeof(p->comm), "%.*s", (int)strcspn(msp_buf_str(&b), "\n"), msp_buf_str(&b));
	else
		snprintf(p->comm, sizeof(p->comm), "?");
	msp_buf_release(&b);
}

/* One process: its maps, and its name when it maps deleted code. */
static void probe_process(const char *procdir, long pid, struct check_reboot_sample *s)
{
	char path[4096], first[256] = "";
	struct msp_buf b;
	unsigned n;
	int rc;

	if (msp_proc_path(procdir, pid, "maps", path, sizeof(path)) < 0)
		return;
	msp_buf_init(&b, MAPS_MAX);
	errno = 0;
	rc = msp_file_read(path, MAPS_MAX, &b, NULL);
	if (rc == MSP_ENOENT || (rc == MSP_ESYS && errno == ESRCH)) {
		msp_buf_release(&b); /* it ended while we looked */
		return;
	}
	s->nscanned++;
	if (rc < 0 && rc != MSP_ETOOBIG) {
		msp_buf_release(&b);
		if (s->nunreadable++ < CHECK_REBOOT_UNREADABLE_KEPT)
			describe(procdir, pid, &s->unreadable[s->nunreadable - 1], "", 0);
		return;
	}
	n = check_reboot_scan_maps(msp_buf_str(&b), first, sizeof(first));
	msp_buf_release(&b);
	if (n == 0 && rc == MSP_ETOOBIG) {
		/* nothing in the first MAPS_MAX bytes says nothing about the rest: not checked */
		if (s->nunreadable++ < CHECK_REBOOT_UNREADABLE_KEPT)
			describe(procdir, pid, &s->unreadable[s->nunreadable - 1], "", 0);
		return;
	}
	if (n > 0 && s->nprocs_total++ < PROCS_KEPT)
		describe(procdir, pid, &s->procs[s->nprocs++], first, n);
}

static int probe_libs(const struct check_reboot_config *cfg, struct check_reboot_sample *s, struct msp_error *err)
{
	struct msp_proc_iter it = { 0 };
	char procdir[4096];
	bool live = strcmp(cfg->root, "/") == 0;
	long pid;
	int r;

	msp_step("reading the memory maps of the processes");
	if (!path_at(cfg, "/proc", procdir, sizeof(procdir)))
		return msp_error_set(err, MSP_EINVAL, "--root '%.200s' is too long", cfg->root);
	if (msp_proc_iter_open(&it, procdir, err) < 0)
		return MSP_ENOENT;
	s->procs = calloc(PROCS_KEPT, sizeof(*s->procs));
	s->unreadable = calloc(CHECK_REBOOT_UNREADABLE_KEPT, sizeof(*s->unreadable));
	if (!s->procs || !s->unreadable) {
		msp_proc_iter_close(&it);
		return msp_error_set(err, MSP_ENOMEM, "out of memory");
	}
	while (msp_proc_iter_next(&it, &pid) == 1)
		if (!(live && pid == (long)getpid()))
			probe_process(procdir, pid, s);
	/* The processes not yet listed were never looked at: no verdict on the libraries. */
	r = msp_proc_iter_check(&it, err);
	msp_proc_iter_close(&it);
	return r;
}

static int reboot_check(void *vcfg, const struct msp_context *ctx, struct msp_result *root, struct msp_error *err)
{
	const struct check_reboot_config *cfg = vcfg;
	struct check_reboot_sample s = { 0 };
	int rc = 0;

	probe_creds(cfg, &s);
	if (!cfg->ignore[REBOOT_FLAG])
		probe_flag(cfg, &s);
	if (!cfg->ignore[REBOOT_KERNEL]) {
		probe_container(cfg, &s);
		if (!s.container[0])
			probe_kernel(cfg, &s);
	}
	/* The bounded scans first: needrestart may use what is left of the time. */
	if (!cfg->ignore[REBOOT_LIBS] && cfg->libs_scan == REBOOT_SCAN_AUTO && !check_reboot_sees_all_maps(&s.creds)) {
		s.libs_skipped = true;
	} else if (!cfg->ignore[REBOOT_LIBS]) {
		rc = probe_libs(cfg, &s, err);
		if (rc < 0)
			goto out;
	}
	probe_needrestart(cfg, ctx, &s);
	rc = check_reboot_evaluate(cfg, &s, root);
out:
	check_reboot_sample_release(&s);
	return rc;
}

static const struct msp_plugin plugin = {
	.summary = "pending reboot or restarts: `/run/reboot-required`, running vs newest kernel (skipped in containers), `needrestart -b`, processes mapping deleted libraries",
	.name = "check_reboot",
	.service = "REBOOT",
	.synopsis = "[--flag=STATE] [--kernel=STATE] [--services=STATE] [--libs=STATE] [--ignore=SOURCE]...\n"
		    "    [--libs-scan=auto|always] [--needrestart=PATH | --no-needrestart] [--root=DIR] [--list=N]",
	.description = "Check whether a reboot or a service restart is pending.  Each source is reported on its\n"
		       "own line with its own state: the /run/reboot-required flag and its package list, the\n"
		       "running kernel against the newest image in /boot (inside a container the kernel is the\n"
		       "host's: skipped with a note), needrestart -b when needrestart is installed (its kernel\n"
		       "status and the services running outdated code), and processes that still map deleted\n"
		       "libraries or programs (read from /proc/<pid>/maps; needs root to see every process).",
	.notes = "Fail closed: a source that cannot be read is UNKNOWN, not OK: maps of other users'\n"
		 "processes without root (--libs-scan=auto leaves them to root instead and says\n"
		 "\"libraries not checked\" in the summary; even root may not read them all: a\n"
		 "container's PID 1 stays unreadable, --libs-unreadable), a host without\n"
		 "kernel images in /boot (--ignore=kernel when it boots from elsewhere), needrestart that\n"
		 "fails or prints something else than its batch format or more than 1 MiB.  Only\n"
		 "\"does not exist\" (ENOENT) means no flag: a /run/reboot-required that cannot be\n"
		 "examined (permission, a symlink loop, a /run that is not a directory) is UNKNOWN,\n"
		 "and so is a /boot that cannot be listed.  A process whose maps run past 8 MiB with\n"
		 "nothing found before the cut counts as unreadable (--libs-unreadable).\n"
		 "needrestart runs as `needrestart -b -r l -n`: list only, it never restarts anything.\n"
		 "Its kernel status, when known, is used before the /boot comparison.  Run by a user\n"
		 "other than root, needrestart checks only that user's processes: it is not run\n"
		 "then, and the summary says \"services not checked\" (a --needrestart program given\n"
		 "explicitly runs anyway, e.g. a wrapper that runs needrestart through sudo).\n"
		 "Who check_reboot runs as is read from /proc/self/status (below --root).\n"
		 "The sudo rule: to check everything as the monitoring user (nagios, zabbix), let it\n"
		 "run check_reboot as root with a fixed argument list, in /etc/sudoers.d/check_reboot\n"
		 "(visudo -f; contrib/sudoers/check_reboot has it for nagios and zabbix):\n"
		 "  nagios ALL=(root) NOPASSWD: /usr/local/libexec/msp-plugins/check_reboot -t 10\n"
		 "and run it as \"sudo -n /usr/local/libexec/msp-plugins/check_reboot -t 10\" (-n: fail\n"
		 "rather than wait for a password; the path is where make install put it).\n"
		 "Perfdata: reboot_required (0/1), kernel_pending (0/1), services (to restart),\n"
		 "deleted_lib_procs (processes mapping deleted files).\n"
		 "Examples:\n"
		 "  check_reboot                                 every source, WARNING when pending\n"
		 "  check_reboot --kernel=CRITICAL --libs=OK     a pending kernel is critical, libraries only listed\n"
		 "  check_reboot --libs-scan=auto                as the monitoring user: libraries where root\n"
		 "  sudo -n check_reboot -t 10                   everything, with the sudo rule above",
	.options = options,
	.timeout = 15,
	.timeout_state = MSP_STATE_UNKNOWN,
	.finish = reboot_finish,
	.check = reboot_check,
};

MSP_PLUGIN_MAIN(plugin, struct check_reboot_config)
