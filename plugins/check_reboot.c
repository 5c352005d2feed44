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
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check_reboot.h"
#include "msp_cmd.h"

#define NEEDRESTART_DEFAULT "/usr/sbin/needrestart"
#define MAPS_MAX (8u << 20) /* a longer map is scanned this far; found nothing there: not checked */
#define PROCS_KEPT 256      /* processes remembered for the long output */
#define UNREADABLE_KEPT 16
#define CAP_SYS_PTRACE_BIT 19 /* linux/capability.h */
#define NEEDS_ROOT "needs root: see --help for the sudo rule"

enum { OPT_ROOT, OPT_FLAG, OPT_KERNEL, OPT_SERVICES, OPT_LIBS, OPT_IGNORE, OPT_NEEDRESTART, OPT_NO_NEEDRESTART,
       OPT_LIST, OPT_UNREADABLE, OPT_LIBS_SCAN };

static const char *const source_names[REBOOT_NSOURCES] = { "flag", "kernel", "services", "libs" };

static const struct msp_option options[] = {
	{ OPT_FLAG, 0, "flag", MSP_ARG_REQUIRED, "STATE",
	  "State when /run/reboot-required exists (default WARNING)" },
	{ OPT_KERNEL, 0, "kernel", MSP_ARG_REQUIRED, "STATE",
	  "State when the running kernel is not the newest installed one (default WARNING)" },
	{ OPT_SERVICES, 0, "services", MSP_ARG_REQUIRED, "STATE",
	  "State when needrestart names services to restart (default WARNING)" },
	{ OPT_LIBS, 0, "libs", MSP_ARG_REQUIRED, "STATE",
	  "State when processes still map deleted libraries or programs (default WARNING)" },
	{ OPT_UNREADABLE, 0, "libs-unreadable", MSP_ARG_REQUIRED, "STATE",
	  "State when the maps of some processes cannot be read (default UNKNOWN: they were not\n"
	  "checked).  The processes are named either way" },
	{ OPT_LIBS_SCAN, 0, "libs-scan", MSP_ARG_REQUIRED, "auto|always",
	  "When to scan the memory maps for deleted libraries: always (default; maps that\n"
	  "cannot be read are --libs-unreadable, UNKNOWN), or auto: only where check_reboot\n"
	  "can read every process's maps (root or CAP_SYS_PTRACE); elsewhere the summary\n"
	  "says \"libraries not checked\" and the other sources decide.  check_bundle's\n"
	  "default profile uses auto" },
	{ OPT_IGNORE, 0, "ignore", MSP_ARG_REQUIRED, "SOURCE[,SOURCE]",
	  "Do not check these sources: flag, kernel, services, libs (repeatable)" },
	{ OPT_NEEDRESTART, 0, "needrestart", MSP_ARG_REQUIRED, "PATH",
	  "needrestart program to run (default " NEEDRESTART_DEFAULT " when installed)" },
	{ OPT_NO_NEEDRESTART, 0, "no-needrestart", MSP_ARG_NONE, NULL, "Do not run needrestart" },
	{ OPT_ROOT, 0, "root", MSP_ARG_REQUIRED, "DIR",
	  "Read /run, /boot and /proc below DIR (a recorded tree; default /).  needrestart\n"
	  "runs only for / unless --needrestart is given" },
	{ OPT_LIST, 0, "list", MSP_ARG_REQUIRED, "N", "Name at most N processes and services in the long output (default 20)" },
	MSP_OPTION_END,
};

static int parse_sources(const char *arg, bool ignore[REBOOT_NSOURCES], struct msp_error *err)
{
	const char *p = arg;

	if (!arg || !*arg)
		return msp_error_set(err, MSP_EINVAL, "--ignore needs a source: flag, kernel, services or libs");
	while (*p) {
		size_t len = strcspn(p, ",");
		int found = -1;

		for (int i = 0; i < REBOOT_NSOURCES; i++)
			if (strlen(source_names[i]) == len && strncmp(p, source_names[i], len) == 0)
				found = i;
		if (found < 0)
			return msp_error_set(err, MSP_EINVAL, "unknown source '%.*s': use flag, kernel, services or libs",
					     (int)(len > 40 ? 40 : len), p);
		ignore[found] = true;
		p += len + (p[len] == ',');
	}
	return 0;
}

static int reboot_option(void *vcfg, int id, const char *arg, struct msp_error *err)
{
	struct check_reboot_config *cfg = vcfg;
	enum msp_state st;
	uint64_t n;

	switch (id) {
	case OPT_FLAG:
	case OPT_KERNEL:
	case OPT_SERVICES:
	case OPT_LIBS:
	case OPT_UNREADABLE:
		if (msp_state_parse(arg, &st, NULL) < 0)
			return msp_error_set(err, MSP_EINVAL, "state '%.40s' is not OK, WARNING, CRITICAL or UNKNOWN",
					     arg);
		if (id == OPT_UNREADABLE) {
			cfg->unreadable_state = st;
			cfg->unreadable_set = true;
		} else {
			cfg->state[id - OPT_FLAG] = st;
			cfg->state_set[id - OPT_FLAG] = true;
		}
		return 0;
	case OPT_IGNORE:
		return parse_sources(arg, cfg->ignore, err);
	case OPT_LIBS_SCAN:
		if (strcmp(arg, "auto") == 0)
			cfg->libs_scan = REBOOT_SCAN_AUTO;
		else if (strcmp(arg, "always") == 0)
			cfg->libs_scan = REBOOT_SCAN_ALWAYS;
		else
			return msp_error_set(err, MSP_EINVAL, "--libs-scan '%.40s' is not auto or always", arg);
		return 0;
	case OPT_NEEDRESTART:
		if (!*arg)
			return msp_error_set(err, MSP_EINVAL, "--needrestart needs a program path");
		cfg->needrestart = arg;
		return 0;
	case OPT_NO_NEEDRESTART:
		cfg->no_needrestart = true;
		return 0;
	case OPT_ROOT:
		if (!*arg)
			return msp_error_set(err, MSP_EINVAL, "--root needs a directory");
		cfg->root = arg;
		return 0;
	case OPT_LIST:
		if (msp_num_uint64(arg, 10000, &n) < 0)
			return msp_error_set(err, MSP_EINVAL, "--list '%.40s' is not a number from 0 to 10000", arg);
		cfg->list_max = (unsigned)n;
		cfg->list_set = true;
		return 0;
	case MSP_OPT_POSITIONAL:
		return msp_error_set(err, MSP_EINVAL, "unexpected argument '%.40s'", arg);
	}
	return msp_error_set(err, MSP_EINVAL, "unknown option");
}

static int reboot_finish(void *vcfg, const struct msp_context *ctx, struct msp_error *err)
{
	struct check_reboot_config *cfg = vcfg;

	(void)err;
	cfg->timeout_state = ctx->timeout_state;
	if (!cfg->root)
		cfg->root = "/";
	if (!cfg->list_set)
		cfg->list_max = 20;
	for (int i = 0; i < REBOOT_NSOURCES; i++)
		if (!cfg->state_set[i])
			cfg->state[i] = MSP_STATE_WARNING;
	if (!cfg->unreadable_set)
		cfg->unreadable_state = MSP_STATE_UNKNOWN;
	return 0;
}

/* ------------------------------------------------------------ parsing */

void check_reboot_sample_release(struct check_reboot_sample *s)
{
	for (size_t i = 0; i < s->nr.nservices; i++)
		free(s->nr.services[i]);
	free(s->nr.services);
	free(s->procs);
	free(s->unreadable);
	s->unreadable = NULL;
	s->nr.services = NULL;
	s->nr.nservices = 0;
	s->procs = NULL;
	s->nprocs = 0;
}

static void copy_value(char *dst, size_t len, const char *v, size_t n)
{
	if (n >= len)
		n = len - 1;
	memcpy(dst, v, n);
	dst[n] = '\0';
}

static int add_service(struct check_reboot_needrestart *nr, const char *v, size_t n)
{
	char **grown = realloc(nr->services, (nr->nservices + 1) * sizeof(*grown));

	if (!grown)
		return MSP_ENOMEM;
	nr->services = grown;
	grown[nr->nservices] = strndup(v, n);
	if (!grown[nr->nservices])
		return MSP_ENOMEM;
	nr->nservices++;
	return 0;
}

int check_reboot_parse_needrestart(const char *text, struct check_reboot_needrestart *ret, struct msp_error *err)
{
	struct check_reboot_needrestart nr = { .ran = true };
	bool have_ver = false;
	int rc = 0;

	for (const char *line = text; *line;) {
		size_t len = strcspn(line, "\n");
		const char *colon = memchr(line, ':', len);

		if (len > 12 && strncmp(line, "NEEDRESTART-", 12) == 0 && colon) {
			const char *key = line + 12, *v = colon + 1;
			size_t klen = (size_t)(colon - key), vlen = len - (size_t)(v - line);
			int64_t k;
			char num[8];

			while (vlen && *v == ' ')
				v++, vlen--;
			if (klen == 3 && strncmp(key, "VER", 3) == 0) {
				have_ver = true;
			} else if (klen == 4 && strncmp(key, "KSTA", 4) == 0) {
				copy_value(num, sizeof(num), v, vlen);
				if (msp_num_int64(num, 0, 3, &k) < 0) {
					rc = msp_error_set(err, MSP_EINVAL, "needrestart kernel status '%s' is not 0..3", num);
					goto out;
				}
				nr.ksta = (int)k;
			} else if (klen == 4 && strncmp(key, "KCUR", 4) == 0) {
				copy_value(nr.kcur, sizeof(nr.kcur), v, vlen);
			} else if (klen == 4 && strncmp(key, "KEXP", 4) == 0) {
				copy_value(nr.kexp, sizeof(nr.kexp), v, vlen);
			} else if (klen == 3 && strncmp(key, "SVC", 3) == 0 && vlen) {
				rc = add_service(&nr, v, vlen);
				if (rc < 0)
					goto out;
			} else if (klen == 4 && strncmp(key, "SESS", 4) == 0) {
				nr.nsessions++;
			}
		}
		line += len + (line[len] == '\n');
	}
	if (!have_ver) {
		rc = msp_error_set(err, MSP_EINVAL, "needrestart -b printed no NEEDRESTART-VER line");
		goto out;
	}
	*ret = nr;
	return 0;
out:
	check_reboot_sample_release(&(struct check_reboot_sample){ .nr = nr });
	return rc;
}

/* A deleted path that is a real file mapped for execution: not memfd, shared memory or a device. */
static bool counts_as_deleted_code(const char *path, size_t n)
{
	static const char *const skip[] = { "/memfd:", "/dev/", "/SYSV", "/[", "/run/user/", "/drm" };

	if (n == 0 || path[0] != '/')
		return false;
	for (size_t i = 0; i < sizeof(skip) / sizeof(skip[0]); i++)
		if (strncmp(path, skip[i], strlen(skip[i])) == 0)
			return false;
	return true;
}

unsigned check_reboot_scan_maps(const char *maps, char *first, size_t len)
{
	static const char deleted[] = " (deleted)";
	const size_t dlen = sizeof(deleted) - 1;
	unsigned found = 0;
	char last[256] = "";

	for (const char *line = maps; *line;) {
		size_t n = strcspn(line, "\n");
		const char *perms = memchr(line, ' ', n);
		const char *path = memchr(line, '/', n);

		/* "start-end perms offset dev inode   path": code is mapped r-x. */
		if (perms && path && n > dlen && memcmp(line + n - dlen, deleted, dlen) == 0 &&
		    (size_t)(perms - line) + 4 < n && perms[3] == 'x') {
			size_t plen = (size_t)(line + n - dlen - path);

			/* One library has several r-x ranges only rarely; count each file once in a row. */
			if (counts_as_deleted_code(path, plen) &&
			    !(plen < sizeof(last) && strncmp(last, path, plen) == 0 && last[plen] == '\0')) {
				copy_value(last, sizeof(last), path, plen);
				if (found++ == 0 && first)
					copy_value(first, len, path, plen);
			}
		}
		line += n + (line[n] == '\n');
	}
	return found;
}

/* The value of "Key:" in status text (NULL when absent); *len is its length up to the newline. */
static const char *status_field(const char *text, const char *key, size_t *len)
{
	size_t klen = strlen(key);

	for (const char *line = text; *line;) {
		size_t n = strcspn(line, "\n");

		if (n > klen && strncmp(line, key, klen) == 0) {
			*len = n - klen;
			return line + klen;
		}
		line += n + (line[n] == '\n');
	}
	return NULL;
}

int check_reboot_parse_status(const char *text, struct check_reboot_creds *ret, struct msp_error *err)
{
	char buf[128], ids[4][32], *end = NULL;
	int64_t ruid, euid;
	unsigned long long cap;
	size_t len;
	const char *v = status_field(text, "Uid:", &len);

	/* "Uid:\treal\teffective\tsaved\tfilesystem" */
	if (!v || len >= sizeof(buf))
		return msp_error_set(err, MSP_EINVAL, "status has no Uid: line");
	copy_value(buf, sizeof(buf), v, len);
	if (sscanf(buf, "%31s %31s %31s %31s", ids[0], ids[1], ids[2], ids[3]) != 4 ||
	    msp_num_int64(ids[0], 0, UINT32_MAX, &ruid) < 0 || msp_num_int64(ids[1], 0, UINT32_MAX, &euid) < 0)
		return msp_error_set(err, MSP_EINVAL, "cannot parse status line 'Uid:%.60s'", buf);
	v = status_field(text, "CapEff:", &len);
	if (!v || len >= sizeof(buf))
		return msp_error_set(err, MSP_EINVAL, "status has no CapEff: line");
	copy_value(buf, sizeof(buf), v, len);
	errno = 0;
	cap = strtoull(buf, &end, 16);
	if (errno || end == buf || *end || strchr(buf, '-'))
		return msp_error_set(err, MSP_EINVAL, "cannot parse status line 'CapEff:%.60s'", buf);
	*ret = (struct check_reboot_creds){
		.known = true, .ruid = (long)ruid, .euid = (long)euid, .cap_sys_ptrace = (cap >> CAP_SYS_PTRACE_BIT) & 1
	};
	return 0;
}

bool check_reboot_sees_all_maps(const struct check_reboot_creds *c)
{
	return !c->known || c->euid == 0 || c->cap_sys_ptrace;
}

int check_reboot_kernel_cmp(const char *a, const char *b)
{
	return strverscmp(a, b);
}

/* ------------------------------------------------------------ evaluation */

static void eval_flag(const struct check_reboot_config *cfg, const struct check_reboot_sample *s,
		      struct msp_result *root)
{
	if (s->flag_error[0]) {
		msp_result_add_child(root, MSP_STATE_UNKNOWN, "flag: %s", s->flag_error);
		return;
	}
	if (s->pkgs_error[0])
		msp_result_add_note(root, "flag: %s", s->pkgs_error);
	if (!s->flag) {
		msp_result_add_child(root, MSP_STATE_OK, "flag: no /run/reboot-required");
		return;
	}
	if (s->pkgs[0])
		msp_result_add_child(root, cfg->state[REBOOT_FLAG], "reboot required by packages: %s", s->pkgs);
	else
		msp_result_add_child(root, cfg->state[REBOOT_FLAG], "reboot required (/run/reboot-required)");
}

/* Returns 1 when a newer kernel waits, 0 when the running one is current, -1 when not judged. */
static int eval_kernel(const struct check_reboot_config *cfg, const struct check_reboot_sample *s,
		       struct msp_result *root)
{
	enum msp_state pending = cfg->state[REBOOT_KERNEL];
	const struct check_reboot_needrestart *nr = &s->nr;

	if (s->container[0]) {
		msp_result_add_note(root, "kernel: skipped inside a container (%s); the host's kernel is checked there",
				    s->container);
		return -1;
	}
	if (nr->ran && !nr->failed && nr->ksta >= 1) {
		if (nr->ksta == 1) {
			msp_result_add_child(root, MSP_STATE_OK, "kernel %s is current (needrestart)", nr->kcur);
			return 0;
		}
		msp_result_add_child(root, pending, "kernel %s running, %s installed%s", nr->kcur,
				     nr->kexp[0] ? nr->kexp : "a newer one", nr->ksta == 2 ? " (ABI-compatible upgrade)" : "");
		return 1;
	}
	if (!s->running[0]) {
		msp_result_add_child(root, MSP_STATE_UNKNOWN, "kernel: cannot read the running kernel release");
		return -1;
	}
	if (s->boot_error[0]) {
		msp_result_add_child(root, MSP_STATE_UNKNOWN, "kernel: %s", s->boot_error);
		return -1;
	}
	if (s->nimages == 0) {
		msp_result_add_child(root, MSP_STATE_UNKNOWN,
				     "kernel: no kernel images in /boot to compare %s with (--ignore=kernel if it boots "
				     "from elsewhere)", s->running);
		return -1;
	}
	if (strcmp(s->running, s->newest) == 0) {
		msp_result_add_child(root, MSP_STATE_OK, "kernel %s is the newest installed", s->running);
		return 0;
	}
	if (!s->running_installed && check_reboot_kernel_cmp(s->running, s->newest) > 0)
		msp_result_add_child(root, pending, "kernel %s running is no longer installed (newest %s)", s->running,
				     s->newest);
	else
		msp_result_add_child(root, pending, "kernel %s running, %s installed", s->running, s->newest);
	return 1;
}

static void eval_services(const struct check_reboot_config *cfg, const struct check_reboot_sample *s,
			  struct msp_result *root)
{
	const struct check_reboot_needrestart *nr = &s->nr;
	struct msp_result *c;

	if (s->nr_skipped) {
		msp_result_add_note(root,
				    "services: not checked: needrestart run by uid %ld sees only that user's processes",
				    s->creds.ruid);
		return;
	}
	if (nr->failed) {
		msp_result_add_child(root, nr->timed_out ? cfg->timeout_state : MSP_STATE_UNKNOWN, "services: %s",
				     nr->error);
		return;
	}
	if (!nr->ran) {
		msp_result_add_note(root, "services: not checked (%s)", cfg->no_needrestart ? "--no-needrestart" :
				    strcmp(cfg->root, "/") != 0 ? "needrestart runs only for /" :
				    "needrestart is not installed");
		return;
	}
	if (nr->nservices == 0) {
		msp_result_add_child(root, MSP_STATE_OK, "no services to restart");
		return;
	}
	c = msp_result_add_child(root, cfg->state[REBOOT_SERVICES], "%zu service%s to restart: %s%s", nr->nservices,
				 nr->nservices == 1 ? "" : "s", nr->services[0], nr->nservices > 1 ? ", ..." : "");
	for (size_t i = 0; c && i < nr->nservices && i < cfg->list_max; i++)
		msp_result_add_note(c, "%s", nr->services[i]);
}

static void eval_libs(const struct check_reboot_config *cfg, const struct check_reboot_sample *s,
		      struct msp_result *root)
{
	struct msp_result *c;

	if (s->libs_skipped) {
		msp_result_add_note(root,
				    "libs: not checked: uid %ld without CAP_SYS_PTRACE cannot read other users' memory "
				    "maps (--libs-scan=auto)",
				    s->creds.euid);
		return;
	}
	if (s->nscanned == 0) {
		msp_result_add_child(root, MSP_STATE_UNKNOWN, "libs: no processes found under %s/proc", cfg->root);
		return;
	}
	if (s->nunreadable) {
		/* without the privilege, say how to get it or how to do without */
		c = msp_result_add_child(root, cfg->unreadable_state,
					 "libs: cannot read the memory maps of %zu of %zu processes, e.g. %s (%d)%s",
					 s->nunreadable, s->nscanned, s->unreadable[0].comm, (int)s->unreadable[0].pid,
					 check_reboot_sees_all_maps(&s->creds) ? "" :
					 " (" NEEDS_ROOT ", or --libs-scan=auto)");
		for (size_t i = 0; c && i < s->nunreadable && i < UNREADABLE_KEPT && i < cfg->list_max; i++)
			msp_result_add_note(c, "not readable: %s (%d)", s->unreadable[i].comm, (int)s->unreadable[i].pid);
	}
	if (s->nprocs_total == 0) {
		msp_result_add_child(root, MSP_STATE_OK, "no %sprocess uses deleted libraries",
				     s->nunreadable ? "readable " : "");
		return;
	}
	c = msp_result_add_child(root, cfg->state[REBOOT_LIBS], "%zu process%s use%s deleted libraries: %s (%d)%s",
				 s->nprocs_total, s->nprocs_total == 1 ? "" : "es", s->nprocs_total == 1 ? "s" : "",
				 s->procs[0].comm, (int)s->procs[0].pid, s->nprocs_total > 1 ? ", ..." : "");
	for (size_t i = 0; c && i < s->nprocs && i < cfg->list_max; i++)
		msp_result_add_note(c, "%s (%d): %s%s", s->procs[i].comm, (int)s->procs[i].pid, s->procs[i].file,
				    s->procs[i].nfiles > 1 ? " and more" : "");
}

/* What was left out for want of root ("libraries", "services", both), NULL when nothing. */
static const char *skipped_sources(const struct check_reboot_sample *s)
{
	if (s->libs_skipped && s->nr_skipped)
		return "libraries and services";
	if (s->libs_skipped)
		return "libraries";
	return s->nr_skipped ? "services" : NULL;
}

/* The summary: the non-OK sources, or what was found fine; then what was not checked for want of root. */
static int summarise(const struct check_reboot_sample *s, struct msp_result *root)
{
	char text[1024] = "";
	size_t len = 0;
	enum msp_state worst = msp_result_state(root);
	const char *skipped = skipped_sources(s);

	for (size_t i = 0; i < root->nchild; i++) {
		const struct msp_result *c = root->child[i];

		if (c->note || worst == MSP_STATE_OK || msp_result_state(c) == MSP_STATE_OK)
			continue;
		if (len < sizeof(text))
			len += (size_t)snprintf(text + len, sizeof(text) - len, "%s%s", len ? "; " : "", c->text);
	}
	if (worst == MSP_STATE_OK)
		snprintf(text, sizeof(text), "no reboot or restart pending");
	if (skipped)
		return msp_result_set_text(root, "%s; %s not checked (" NEEDS_ROOT ")", text, skipped);
	return msp_result_set_text(root, "%s", text);
}

int check_reboot_evaluate(const struct check_reboot_config *cfg, const struct check_reboot_sample *s,
			  struct msp_result *root)
{
	bool any = false;

	if (!cfg->ignore[REBOOT_FLAG]) {
		eval_flag(cfg, s, root);
		if (!s->flag_error[0])
			msp_result_add_perf(root, "reboot_required", s->flag, "", NULL);
		any = true;
	}
	if (!cfg->ignore[REBOOT_KERNEL]) {
		int pending = eval_kernel(cfg, s, root);

		if (pending >= 0)
			msp_result_add_perf(root, "kernel_pending", pending, "", NULL);
		any = true;
	}
	if (!cfg->ignore[REBOOT_SERVICES]) {
		eval_services(cfg, s, root);
		if (s->nr.ran && !s->nr.failed)
			msp_result_add_perf(root, "services", (double)s->nr.nservices, "", NULL);
		any = true;
	}
	if (!cfg->ignore[REBOOT_LIBS]) {
		eval_libs(cfg, s, root);
		if (s->nscanned)
			msp_result_add_perf(root, "deleted_lib_procs", (double)s->nprocs_total, "", NULL);
		any = true;
	}
	if (!any) {
		msp_result_set_state(root, MSP_STATE_UNKNOWN);
		return msp_result_set_text(root, "every source is ignored: nothing was checked");
	}
	/* Only notes (e.g. a container without other sources) check nothing either. */
	for (size_t i = 0; i < root->nchild; i++)
		if (!root->child[i]->note)
			return summarise(s, root);
	msp_result_set_state(root, MSP_STATE_UNKNOWN);
	if (skipped_sources(s))
		return msp_result_set_text(root, "nothing could be checked here: %s not checked (" NEEDS_ROOT ")",
					   skipped_sources(s));
	return msp_result_set_text(root, "nothing could be checked here: %s", root->nchild ? root->child[0]->text : "");
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
		copy_value(out, len, msp_buf_str(&b), strcspn(msp_buf_str(&b), "\n"));
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
	struct dirent *e;
	DIR *d;

	msp_step("reading the kernel images in /boot");
	read_line_at(cfg, "/proc/sys/kernel/osrelease", s->running, sizeof(s->running));
	if (!path_at(cfg, "/boot", boot, sizeof(boot))) {
		snprintf(s->boot_error, sizeof(s->boot_error), "--root is too long for /boot");
		return;
	}
	if (!(d = opendir(boot))) {
		/* no /boot is "no kernel images" (judged later); an unreadable one is not */
		if (errno != ENOENT)
			snprintf(s->boot_error, sizeof(s->boot_error), "cannot read '%.200s': %s", boot,
				 strerror(errno));
		return;
	}
	for (;;) {
		const char *rel;

		errno = 0;
		if (!(e = readdir(d))) {
			/* a listing cut short could miss the newest kernel: "current" would be a guess */
			if (errno)
				snprintf(s->boot_error, sizeof(s->boot_error), "cannot read '%.200s': %s", boot,
					 strerror(errno));
			break;
		}
		rel = e->d_name + 8;

		if (strncmp(e->d_name, "vmlinuz-", 8) != 0 || !*rel || strlen(rel) >= sizeof(s->newest))
			continue;
		s->nimages++;
		if (strcmp(rel, s->running) == 0)
			s->running_installed = true;
		if (!s->newest[0] || check_reboot_kernel_cmp(rel, s->newest) > 0)
			snprintf(s->newest, sizeof(s->newest), "%s", rel);
	}
	closedir(d);
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
		copy_value(p->comm, sizeof(p->comm), msp_buf_str(&b), strcspn(msp_buf_str(&b), "\n"));
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
		if (s->nunreadable++ < UNREADABLE_KEPT)
			describe(procdir, pid, &s->unreadable[s->nunreadable - 1], "", 0);
		return;
	}
	n = check_reboot_scan_maps(msp_buf_str(&b), first, sizeof(first));
	msp_buf_release(&b);
	if (n == 0 && rc == MSP_ETOOBIG) {
		/* nothing in the first MAPS_MAX bytes says nothing about the rest: not checked */
		if (s->nunreadable++ < UNREADABLE_KEPT)
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
	s->unreadable = calloc(UNREADABLE_KEPT, sizeof(*s->unreadable));
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
	.option = reboot_option,
	.finish = reboot_finish,
	.check = reboot_check,
};

MSP_PLUGIN_MAIN(plugin, struct check_reboot_config)
