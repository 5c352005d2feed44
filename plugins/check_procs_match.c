/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * check_procs_match.c - check_procs's filters and the walk over /proc that
 * applies them (check_procs.h): which files a process must be read from,
 * whether it passes, the metric's value, and the processes left out as
 * "self" (this plugin and its parent, as the reference leaves them out).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "check_procs.h"

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
