/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * check_reboot_eval.c - check_reboot's evaluation: one line per source with
 * its own state (the flag, the kernel, needrestart's services, processes
 * mapping deleted libraries), perfdata and the summary, which also says what
 * could not be checked for want of root.
 */
#include <stdio.h>
#include <string.h>

#include "check_reboot.h"

#define NEEDS_ROOT "needs root: see --help for the sudo rule"

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
		for (size_t i = 0; c && i < s->nunreadable && i < CHECK_REBOOT_UNREADABLE_KEPT && i < cfg->list_max; i++)
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
