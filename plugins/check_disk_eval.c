/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * check_disk_eval.c - check_disk's evaluation: the probed items (with
 * their statvfs() numbers) into the result tree: states, the reference's
 * summary and perfdata, one child per filesystem or group, the problems
 * (missing paths, mounts that did not answer) named first.
 *
 * The numbers follow the reference exactly: free space is f_bavail, used is
 * f_blocks - f_bfree, percentages are of used + available with the used
 * share rounded up (df's rule), units are whole -u units (rounded down),
 * perfdata is used bytes with warn/crit/max in bytes.
 */
#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_disk.h"

/* Sizes of one filesystem or a group, as the reference counts them. */
struct fsnum {
	uint64_t used_u, free_u, total_u; /* whole display units, rounded down per filesystem */
	uint64_t used_b, avail_b;         /* bytes, for the percentages */
	uint64_t files, ffree;
	size_t members;
};

struct eval {
	const struct check_disk_config *cfg;
	struct msp_result *root;
	struct msp_buf problems, space;
	enum msp_state state;
	size_t measured, problem_count;
};

static void fsnum_add(struct fsnum *n, const struct msp_fsusage *u, const struct check_disk_config *cfg)
{
	struct msp_fsspace sp;

	msp_fsusage_space(u, cfg->ignore_reserved, &sp);
	n->used_u += sp.used / cfg->mult;
	n->free_u += sp.avail / cfg->mult;
	n->total_u += sp.size / cfg->mult;
	n->used_b += sp.used;
	n->avail_b += sp.avail;
	n->files += u->files;
	n->ffree += u->ffree < u->files ? u->ffree : u->files;
	n->members++;
}

static enum msp_state eval_pair(const struct check_disk_limit l[2], double v, uint64_t mult)
{
	struct msp_threshold th = { l[0].r, l[1].r, l[0].set, l[1].set };

	/* Amounts with a unit are bytes; compare them in display units. */
	if (th.warn.unit == MSP_UNIT_SIZE) {
		th.warn.start /= (double)mult;
		th.warn.end /= (double)mult;
	}
	if (th.crit.unit == MSP_UNIT_SIZE) {
		th.crit.start /= (double)mult;
		th.crit.end /= (double)mult;
	}
	return msp_threshold_eval(&th, v);
}

static enum msp_state fs_state(const struct check_disk_limits *l, const struct fsnum *n, uint64_t mult)
{
	int used = msp_percent_up(n->used_b, n->used_b + n->avail_b);
	enum msp_state st = eval_pair(l->free_units, (double)n->free_u, mult);

	st = msp_state_worst(st, eval_pair(l->free_pct, 100.0 - used, mult));
	st = msp_state_worst(st, eval_pair(l->used_pct, used, mult));
	if (n->files > 0)
		st = msp_state_worst(st, eval_pair(l->ifree_pct, 100.0 - msp_percent_up(n->files - n->ffree, n->files),
						   mult));
	return st;
}

/* The used-space level where free space crosses a threshold, in bytes (the reference's perfdata). */
static bool high_tide(const struct check_disk_limits *l, int which, const struct fsnum *n, uint64_t mult, double *ret)
{
	const struct check_disk_limit *u = &l->free_units[which], *p = &l->free_pct[which];
	double t = 0;
	bool have = false;

	if (u->set) {
		double end = u->r.end_inf ? 0 : u->r.end;

		t = (double)n->total_u - (u->r.unit == MSP_UNIT_SIZE ? end / (double)mult : end);
		have = true;
	}
	if (p->set) {
		double t2 = (1.0 - (p->r.end_inf ? 0 : p->r.end) / 100.0) * (double)n->total_u;

		t = have && t < t2 ? t : t2;
		have = true;
	}
	*ret = t < 0 ? 0 : floor(t * (double)mult);
	return have;
}

static struct msp_perf *perf_item(struct msp_result *root, const char *label, double value, const char *uom,
				  const struct msp_threshold *th, double max)
{
	struct msp_perf *p = msp_result_add_perf(root, label, value, uom, th);

	if (p) {
		p->decimals = 0;
		msp_perf_set_min(p, 0);
		msp_perf_set_max(p, max);
	}
	return p;
}

static int add_perf(struct eval *ev, const char *label, const struct check_disk_limits *l, const struct fsnum *n)
{
	uint64_t mult = ev->cfg->mult;
	struct msp_threshold th;
	char ilabel[PATH_MAX + 16];

	memset(&th, 0, sizeof(th));
	th.has_warn = high_tide(l, CHECK_DISK_WARN, n, mult, &th.warn.end);
	th.has_crit = high_tide(l, CHECK_DISK_CRIT, n, mult, &th.crit.end);
	if (!perf_item(ev->root, label, (double)n->used_u * (double)mult, "B", &th, (double)n->total_u * (double)mult))
		return MSP_ENOMEM;
	if (!ev->cfg->inode_perf)
		return 0;
	memset(&th, 0, sizeof(th));
	for (int i = 0; i < 2; i++) {
		const struct check_disk_limit *w = &l->ifree_pct[i];
		double t = (1.0 - (w->r.end_inf ? 0 : w->r.end) / 100.0) * (double)n->files;
		struct msp_range *r = i == CHECK_DISK_WARN ? &th.warn : &th.crit;

		r->end = t < 0 ? 0 : floor(t);
		*(i == CHECK_DISK_WARN ? &th.has_warn : &th.has_crit) = w->set;
	}
	snprintf(ilabel, sizeof(ilabel), "%s (inodes)", label);
	return perf_item(ev->root, ilabel, (double)(n->files - n->ffree), "", &th, (double)n->files) ? 0 : MSP_ENOMEM;
}

/* One measured filesystem or group: state, summary entry, long output line, perfdata. */
static int add_entry(struct eval *ev, const char *label, const char *detail, const struct check_disk_limits *l,
		     const struct fsnum *n)
{
	const struct check_disk_config *cfg = ev->cfg;
	enum msp_state st = fs_state(l, n, cfg->mult);
	int used = msp_percent_up(n->used_b, n->used_b + n->avail_b);
	char inode[16];

	if (n->files > 0)
		snprintf(inode, sizeof(inode), "%d%%", 100 - msp_percent_up(n->files - n->ffree, n->files));
	else
		snprintf(inode, sizeof(inode), "-");
	ev->measured++;
	ev->state = msp_state_worst(ev->state, st);
	if (add_perf(ev, label, l, n) < 0)
		return MSP_ENOMEM;
	if (cfg->errors_only && st == MSP_STATE_OK)
		return 0;
	msp_buf_addf(&ev->space, "%s%s %" PRIu64 "%s (%d%% inode=%s);", ev->space.len ? " " : "", label, n->free_u,
		     cfg->unit, 100 - used, inode);
	if (!msp_result_add_child(ev->root, st, "%s %" PRIu64 "%s of %" PRIu64 "%s free (%d%% inode=%s)%s", label,
				  n->free_u, cfg->unit, n->total_u, cfg->unit, 100 - used, inode, detail))
		return MSP_ENOMEM;
	return 0;
}

static int add_problem(struct eval *ev, enum msp_state st, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int add_problem(struct eval *ev, enum msp_state st, const char *fmt, ...)
{
	struct msp_buf text;
	va_list ap;
	int r = 0;

	msp_buf_init(&text, 4096);
	va_start(ap, fmt);
	msp_buf_vaddf(&text, fmt, ap);
	va_end(ap);
	ev->problem_count++;
	ev->state = msp_state_worst(ev->state, st);
	if (st != MSP_STATE_OK || !ev->cfg->errors_only) {
		if (st != MSP_STATE_OK)
			msp_buf_addf(&ev->problems, "%s%s", ev->problems.len ? "; " : "", msp_buf_str(&text));
		if (!msp_result_add_child(ev->root, st, "%s", msp_buf_str(&text)))
			r = MSP_ENOMEM;
	}
	msp_buf_release(&text);
	return r;
}

static const char *item_label(const struct check_disk_config *cfg, const struct msp_mount_item *it)
{
	if (!it->mnt)
		return it->name;
	return cfg->show_device ? it->mnt->source : it->mnt->target;
}

/* An item the probe could not measure: 1 when it was one (reported), 0 when it is measurable, or MSP_ENOMEM. */
static int item_problem(struct eval *ev, const struct msp_mount_item *it)
{
	const struct check_disk_config *cfg = ev->cfg;
	enum msp_state missing = cfg->ignore_missing ? MSP_STATE_OK : MSP_STATE_CRITICAL;
	const char *name = item_label(cfg, it), *note = cfg->ignore_missing ? " (ignored)" : "";
	int r;

	if (it->not_found)
		r = add_problem(ev, missing, "%s is not a mount point (-E)%s", it->name, note);
	else if (it->status == MSP_STATVFS_PENDING)
		r = add_problem(ev, cfg->timeout_state, "%s not checked: no time left (timeout %u s)", name,
				cfg->timeout);
	else if (it->status == MSP_STATVFS_TIMEOUT)
		r = add_problem(ev, cfg->timeout_state, "%s did not answer within %u s (%s hangs)", name, cfg->timeout,
				it->resolve ? "stat" : "statvfs");
	else if (it->status == MSP_STATVFS_FAILED && it->call && strcmp(it->call, "worker") == 0)
		r = add_problem(ev, MSP_STATE_UNKNOWN, "cannot check %s: the statvfs worker failed", name);
	else if (it->status == MSP_STATVFS_FAILED)
		r = add_problem(ev, missing, "%s is not accessible: %s%s", it->resolve ? it->name : name,
				strerror(it->error), note);
	else if (!it->mnt)
		r = add_problem(ev, MSP_STATE_UNKNOWN, "cannot tell which mount %s lies on", it->name);
	else if (it->stat_only)
		r = add_problem(ev, MSP_STATE_OK, "%s answers (network filesystem: thresholds not applied, -L)", name);
	else if (it->usage.blocks == 0 && cfg->sel.steps[it->step].kind == MSP_MOUNT_PATH)
		r = add_problem(ev, MSP_STATE_UNKNOWN, "%s (%s) reports no size: nothing to check", name,
				it->mnt ? it->mnt->fstype : "?");
	else if (it->usage.blocks > 0)
		return 0;
	else
		return 1; /* pseudo filesystems of a wide selection pass unseen, as in the reference */
	return r < 0 ? MSP_ENOMEM : 1;
}

/* The measurable members of the group of item first, summed into one entry. */
static int add_group(struct eval *ev, const struct msp_mount_items *items, size_t first, bool *done)
{
	const struct check_disk_op *op = &ev->cfg->ops[items->v[first].step];
	struct fsnum n;
	char detail[64];

	memset(&n, 0, sizeof(n));
	for (size_t i = first; i < items->n; i++) {
		const struct msp_mount_item *it = &items->v[i];
		const char *g = ev->cfg->ops[it->step].group;

		if (done[i] || it->skip || !g || strcmp(g, op->group) != 0)
			continue;
		done[i] = true;
		if (it->status == MSP_STATVFS_OK && !it->stat_only && it->usage.blocks > 0)
			fsnum_add(&n, &it->usage, ev->cfg);
	}
	snprintf(detail, sizeof(detail), ", group of %zu filesystem%s", n.members, n.members == 1 ? "" : "s");
	return add_entry(ev, op->group, detail, &op->lim, &n);
}

static int eval_items(struct eval *ev, const struct msp_mount_items *items)
{
	bool *done = calloc(items->n ? items->n : 1, sizeof(*done));
	int r = 0;

	if (!done)
		return MSP_ENOMEM;
	for (size_t i = 0; i < items->n && r >= 0; i++) {
		const struct msp_mount_item *it = &items->v[i];
		struct fsnum n;
		char detail[PATH_MAX + 64];

		if (it->skip || done[i])
			continue;
		r = item_problem(ev, it);
		if (r != 0)
			continue;
		if (ev->cfg->ops[it->step].group) {
			r = add_group(ev, items, i, done);
			continue;
		}
		memset(&n, 0, sizeof(n));
		fsnum_add(&n, &it->usage, ev->cfg);
		snprintf(detail, sizeof(detail), ", %s on %s", it->mnt->fstype,
			 ev->cfg->show_device ? it->mnt->target : it->mnt->source);
		r = add_entry(ev, item_label(ev->cfg, it), detail, &ev->cfg->ops[it->step].lim, &n);
	}
	free(done);
	return r < 0 ? MSP_ENOMEM : 0;
}

int check_disk_evaluate(const struct check_disk_config *cfg, const struct msp_mount_items *items,
			struct msp_result *root)
{
	struct eval ev = { .cfg = cfg, .root = root, .state = MSP_STATE_OK };
	int r;

	msp_buf_init(&ev.problems, 1 << 16);
	msp_buf_init(&ev.space, 1 << 16);
	r = eval_items(&ev, items);
	if (r == 0 && ev.measured == 0 && ev.problem_count == 0) {
		ev.state = cfg->ignore_missing ? MSP_STATE_OK : MSP_STATE_UNKNOWN;
		r = msp_result_set_text(root, "no filesystem to check: the selection and filters left nothing%s",
					cfg->ignore_missing ? " (ignored, -n)" : "");
	} else if (r == 0) {
		/* -e with none in alert: "DISK OK| /=..." as the reference prints it (the perfdata keeps every one) */
		r = msp_result_set_text(root, "%s%s%s%s", msp_buf_str(&ev.problems),
					ev.problems.len && ev.space.len ? "; " : "", ev.space.len ? "free space: " : "",
					msp_buf_str(&ev.space));
	}
	msp_result_set_state(root, ev.state);
	msp_buf_release(&ev.problems);
	msp_buf_release(&ev.space);
	return r;
}
