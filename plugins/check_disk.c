/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * check_disk - free space and inodes of mounted filesystems (drop-in for
 * monitoring-plugins check_disk).
 *
 * probe: /proc/self/mountinfo, then statvfs() with the deadline
 *        (msp_statvfs_run): in worker processes for network, FUSE and other
 *        filesystems that may block, so a dead mount is named instead of
 *        hanging the plugin; in process for local ones (no fork to pay)
 * pure:  check_disk_select(), check_disk_filter(), check_disk_evaluate()
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
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "check_disk.h"

enum {
	OPT_WARN,
	OPT_CRIT,
	OPT_IWARN,
	OPT_ICRIT,
	OPT_PATH,
	OPT_XDEV,
	OPT_XTYPE,
	OPT_NTYPE,
	OPT_CLEAR,
	OPT_EXACT,
	OPT_ERRORS,
	OPT_RESERVED,
	OPT_IPERF,
	OPT_GROUP,
	OPT_KB,
	OPT_MB,
	OPT_LOCAL,
	OPT_STATREMOTE,
	OPT_DEVICE,
	OPT_ALL,
	OPT_EREGI,
	OPT_EREG,
	OPT_IGNI,
	OPT_IGN,
	OPT_UNITS,
	OPT_MISSING,
	OPT_MOUNTTAB,
};

static const struct msp_option options[] = {
	{ OPT_WARN, 'w', "warning", MSP_ARG_REQUIRED, "LIMIT",
	  "WARNING when free space is at or below LIMIT: PERCENT% of used + available, or an\n"
	  "amount in -u units (default MiB) or with a unit (500M, 2G, 1T); a range alerts inside\n"
	  "it.  May be given twice (a percent and an amount).  Applies to the paths after it" },
	{ OPT_CRIT, 'c', "critical", MSP_ARG_REQUIRED, "LIMIT", "CRITICAL when free space is at or below LIMIT" },
	{ OPT_IWARN, 'W', "iwarning", MSP_ARG_REQUIRED, "PERCENT%",
	  "WARNING when free inodes are at or below PERCENT" },
	{ OPT_ICRIT, 'K', "icritical", MSP_ARG_REQUIRED, "PERCENT%",
	  "CRITICAL when free inodes are at or below PERCENT" },
	{ OPT_PATH, 'p', "path", MSP_ARG_REQUIRED, "PATH",
	  "Check the filesystem of PATH, a mount point, a path below one or a device\n"
	  "(repeatable; also --partition).  Give the thresholds first" },
	{ OPT_PATH, 0, "partition", MSP_ARG_REQUIRED, "PATH", NULL },
	{ OPT_XDEV, 'x', "exclude_device", MSP_ARG_REQUIRED, "PATH", "Skip this device or mount point (repeatable)" },
	{ OPT_XDEV, 0, "exclude-device", MSP_ARG_REQUIRED, "PATH", NULL },
	{ OPT_XTYPE, 'X', "exclude-type", MSP_ARG_REQUIRED, "TYPE",
	  "Skip filesystems of this type (repeatable); a whole-name pattern such as 'fuse.*'" },
	{ OPT_NTYPE, 'N', "include-type", MSP_ARG_REQUIRED, "TYPE",
	  "Check only filesystems of this type (repeatable)" },
	{ OPT_CLEAR, 'C', "clear", MSP_ARG_NONE, NULL,
	  "Forget the thresholds and group given so far (to give others for the next paths)" },
	{ OPT_EXACT, 'E', "exact-match", MSP_ARG_NONE, NULL,
	  "A -p must name a mount point exactly (give it before -p)" },
	{ OPT_ERRORS, 'e', "errors-only", MSP_ARG_NONE, NULL, "List only filesystems in alert (also -q, --quiet)" },
	{ OPT_ERRORS, 'q', "quiet", MSP_ARG_NONE, NULL, NULL },
	{ OPT_RESERVED, 'f', "freespace-ignore-reserved", MSP_ARG_NONE, NULL,
	  "Leave root-reserved blocks out of the size in perfdata" },
	{ OPT_IPERF, 'P', "iperfdata", MSP_ARG_NONE, NULL, "Add inode usage to perfdata (also --inode-perfdata)" },
	{ OPT_IPERF, 0, "inode-perfdata", MSP_ARG_NONE, NULL, NULL },
	{ OPT_GROUP, 'g', "group", MSP_ARG_REQUIRED, "NAME",
	  "Sum the paths selected after it into one entry NAME (give it before them)" },
	{ OPT_KB, 'k', "kilobytes", MSP_ARG_NONE, NULL, "Same as --units kB" },
	{ OPT_MB, 'm', "megabytes", MSP_ARG_NONE, NULL, "Same as --units MB" },
	{ OPT_LOCAL, 'l', "local", MSP_ARG_NONE, NULL, "Skip network filesystems" },
	{ OPT_STATREMOTE, 'L', "stat-remote-fs", MSP_ARG_NONE, NULL,
	  "Like -l, but see that network filesystems answer (CRITICAL when not)" },
	{ OPT_DEVICE, 'M', "mountpoint", MSP_ARG_NONE, NULL, "Name filesystems by device instead of mount point" },
	{ OPT_ALL, 'A', "all", MSP_ARG_NONE, NULL, "Select all filesystems (same as -R '.*')" },
	{ OPT_EREGI, 'R', "eregi-path", MSP_ARG_REQUIRED, "REGEX",
	  "Select mount points or devices matching REGEX, any case (also --eregi-partition)" },
	{ OPT_EREGI, 0, "eregi-partition", MSP_ARG_REQUIRED, "REGEX", NULL },
	{ OPT_EREG, 'r', "ereg-path", MSP_ARG_REQUIRED, "REGEX",
	  "Select mount points or devices matching REGEX (also --ereg-partition)" },
	{ OPT_EREG, 0, "ereg-partition", MSP_ARG_REQUIRED, "REGEX", NULL },
	{ OPT_IGNI, 'I', "ignore-eregi-path", MSP_ARG_REQUIRED, "REGEX",
	  "Drop selected filesystems matching REGEX, any case (also --ignore-eregi-partition)" },
	{ OPT_IGNI, 0, "ignore-eregi-partition", MSP_ARG_REQUIRED, "REGEX", NULL },
	{ OPT_IGN, 'i', "ignore-ereg-path", MSP_ARG_REQUIRED, "REGEX",
	  "Drop selected filesystems matching REGEX (also --ignore-ereg-partition)" },
	{ OPT_IGN, 0, "ignore-ereg-partition", MSP_ARG_REQUIRED, "REGEX", NULL },
	{ OPT_UNITS, 'u', "units", MSP_ARG_REQUIRED, "UNIT",
	  "Unit of amounts and of the summary: bytes, kB, MB (default), GB, TB, PB (powers of 1024)" },
	{ OPT_MISSING, 'n', "ignore-missing", MSP_ARG_NONE, NULL,
	  "A missing or inaccessible path, or a selection that leaves nothing, is OK" },
	{ OPT_MOUNTTAB, 0, "mount-table", MSP_ARG_REQUIRED, "FILE", NULL },
	MSP_OPTION_END,
};

/* ------------------------------------------------------------ options */

static bool limits_set(const struct check_disk_limits *l)
{
	for (int i = 0; i < 2; i++)
		if (l->free_units[i].set || l->free_pct[i].set || l->used_pct[i].set || l->ifree_pct[i].set)
			return true;
	return false;
}

int check_disk_parse_free(const char *arg, struct check_disk_limit lim_units[2], struct check_disk_limit lim_pct[2],
			  int which, struct msp_error *err)
{
	const char *p = arg;
	struct msp_range r;
	bool pct;

	if (!p || !*p)
		return msp_error_set(err, MSP_EINVAL, "free space threshold is empty");
	if (*p == '@')
		p++; /* the reference alerts inside every free-space range anyway */
	pct = strchr(p, '%') != NULL;
	if (msp_range_parse(p, pct ? MSP_UNIT_PERCENT : MSP_UNIT_SIZE | MSP_NUM_SIZE_1024, 1, &r, err) < 0)
		return MSP_EINVAL;
	r.inside = true;
	if (pct) {
		lim_pct[which].r = r;
		lim_pct[which].set = true;
	} else {
		lim_units[which].r = r;
		lim_units[which].set = true;
	}
	return 0;
}

static int parse_inode(const char *arg, struct check_disk_limit *lim, struct msp_error *err)
{
	const char *p = arg;

	if (!p || !*p)
		return msp_error_set(err, MSP_EINVAL, "inode threshold is empty");
	if (*p == '@')
		p++;
	if (msp_range_parse(p, MSP_UNIT_PERCENT, 1, &lim->r, err) < 0)
		return MSP_EINVAL;
	lim->r.inside = true;
	lim->set = true;
	return 0;
}

static int parse_units(struct check_disk_config *cfg, const char *arg, struct msp_error *err)
{
	static const struct {
		const char *name, *alt, *shown;
		int shift;
	} units[] = {
		{ "bytes", "B", "B", 0 },   { "kB", "KiB", "kiB", 10 }, { "MB", "MiB", "MiB", 20 },
		{ "GB", "GiB", "GiB", 30 }, { "TB", "TiB", "TiB", 40 }, { "PB", "PiB", "PiB", 50 },
	};

	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		if (strcasecmp(arg, units[i].name) == 0 || strcasecmp(arg, units[i].alt) == 0) {
			cfg->mult = (uint64_t)1 << units[i].shift;
			cfg->unit = units[i].shown;
			return 0;
		}
	}
	return msp_error_set(err, MSP_EINVAL, "unit '%.40s' is not bytes, kB, MB, GB, TB or PB", arg);
}

/* A selection step with the thresholds and group in force beside it.  0 or MSP_E*. */
static int add_step(struct check_disk_config *cfg, enum msp_mount_step_kind kind, const char *arg, bool icase,
		    struct msp_error *err)
{
	struct check_disk_op *v = realloc(cfg->ops, (cfg->sel.nsteps + 1) * sizeof(*v));
	int k;

	if (!v)
		return msp_error_set(err, MSP_ENOMEM, "out of memory");
	cfg->ops = v;
	/* Group members are summed whatever their type, as in the reference: no filter for them. */
	k = msp_mount_selection_add(&cfg->sel, kind, arg, icase, cfg->exact, cfg->group != NULL, err);
	if (k < 0)
		return k;
	v[k].group = cfg->group;
	v[k].lim = cfg->cur;
	if (kind != MSP_MOUNT_IGNORE)
		cfg->path_selected = true;
	return 0;
}

/* -r, -R, -A, -i, -I, with the reference's rules about what must come first. */
static int add_regex(struct check_disk_config *cfg, bool ignore, const char *arg, bool icase, struct msp_error *err)
{
	if (ignore && !cfg->path_selected)
		return msp_error_set(err, MSP_EINVAL, "select paths before -i/-I (-A selects all)");
	if (!ignore && !limits_set(&cfg->cur))
		return msp_error_set(err, MSP_EINVAL, "give a threshold before -r/-R/-A");
	return add_step(cfg, ignore ? MSP_MOUNT_IGNORE : MSP_MOUNT_REGEX, arg, icase, err);
}

static int add_path(struct check_disk_config *cfg, const char *arg, bool need_limits, struct msp_error *err)
{
	if (!*arg)
		return 0; /* Debian command files pass '' for an unset $ARG3$: check all */
	if (need_limits && !limits_set(&cfg->cur))
		return msp_error_set(err, MSP_EINVAL,
				     "give a threshold before -p '%.60s' (thresholds apply to the paths after them)",
				     arg);
	return add_step(cfg, MSP_MOUNT_PATH, arg, false, err);
}

static bool all_digits(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return false;
	return true;
}

/* The legacy form "check_disk WARN_USED% CRIT_USED% [PATH]": up to two whole numbers, then a path. */
static int positional_arg(struct check_disk_config *cfg, const char *arg, struct msp_error *err)
{
	struct check_disk_limit *used = cfg->cur.used_pct;

	if (cfg->npaths == 0 && all_digits(arg) && !used[CHECK_DISK_CRIT].set) {
		struct check_disk_limit *l = &used[used[CHECK_DISK_WARN].set ? CHECK_DISK_CRIT : CHECK_DISK_WARN];

		if (msp_range_parse(arg, MSP_UNIT_NONE, 1, &l->r, err) < 0)
			return MSP_EINVAL;
		l->set = true;
		return 0;
	}
	cfg->npaths++;
	return add_path(cfg, arg, false, err);
}

/* Options that only set something: true when id was one. */
static bool flag_option(struct check_disk_config *cfg, int id)
{
	switch (id) {
	case OPT_ERRORS:
		cfg->errors_only = true;
		return true;
	case OPT_RESERVED:
		cfg->ignore_reserved = true;
		return true;
	case OPT_IPERF:
		cfg->inode_perf = true;
		return true;
	case OPT_LOCAL:
		if (cfg->sel.remote == MSP_MOUNT_REMOTE_KEEP)
			cfg->sel.remote = MSP_MOUNT_REMOTE_SKIP;
		return true;
	case OPT_STATREMOTE:
		cfg->sel.remote = MSP_MOUNT_REMOTE_STAT_ONLY;
		return true;
	case OPT_DEVICE:
		cfg->show_device = true;
		return true;
	case OPT_MISSING:
		cfg->ignore_missing = true;
		return true;
	}
	return false;
}

/* -C: what was given so far applies to every mount if no path took it; then start afresh. */
static int clear_option(struct check_disk_config *cfg, struct msp_error *err)
{
	if (!cfg->path_selected && add_step(cfg, MSP_MOUNT_ALL, NULL, false, err) < 0)
		return MSP_ENOMEM;
	memset(&cfg->cur, 0, sizeof(cfg->cur));
	cfg->path_selected = false;
	cfg->group = NULL;
	return 0;
}

static int disk_option(void *vcfg, int id, const char *arg, struct msp_error *err)
{
	struct check_disk_config *cfg = vcfg;
	struct check_disk_limits *l = &cfg->cur;

	cfg->any_option = true;
	if (flag_option(cfg, id))
		return 0;
	switch (id) {
	case OPT_WARN:
	case OPT_CRIT:
		return check_disk_parse_free(arg, l->free_units, l->free_pct,
					     id == OPT_WARN ? CHECK_DISK_WARN : CHECK_DISK_CRIT, err);
	case OPT_IWARN:
	case OPT_ICRIT:
		return parse_inode(arg, &l->ifree_pct[id == OPT_IWARN ? CHECK_DISK_WARN : CHECK_DISK_CRIT], err);
	case OPT_PATH:
		return add_path(cfg, arg, true, err);
	case OPT_XDEV:
		return *arg ? msp_mount_filter_add_name(&cfg->sel.filter, arg, err) : 0;
	case OPT_XTYPE:
	case OPT_NTYPE:
		return *arg ? msp_mount_filter_add_type(&cfg->sel.filter, id == OPT_NTYPE, arg, err) : 0;
	case OPT_CLEAR:
		return clear_option(cfg, err);
	case OPT_EXACT:
	case OPT_GROUP:
		if (cfg->path_selected)
			return msp_error_set(err, MSP_EINVAL, "give %s before selecting paths",
					     id == OPT_EXACT ? "-E" : "-g");
		if (id == OPT_EXACT)
			cfg->exact = true;
		else
			cfg->group = *arg ? arg : NULL;
		return 0;
	case OPT_EREGI:
	case OPT_EREG:
	case OPT_IGNI:
	case OPT_IGN:
		return add_regex(cfg, id == OPT_IGNI || id == OPT_IGN, arg, id == OPT_EREGI || id == OPT_IGNI, err);
	case OPT_ALL:
		return add_regex(cfg, false, ".*", true, err);
	case OPT_UNITS:
		return *arg ? parse_units(cfg, arg, err) : 0;
	case OPT_KB:
	case OPT_MB:
		return parse_units(cfg, id == OPT_KB ? "kB" : "MB", err);
	case OPT_MOUNTTAB:
		cfg->mount_table = arg;
		return 0;
	case MSP_OPT_POSITIONAL:
		return positional_arg(cfg, arg, err);
	}
	return msp_error_set(err, MSP_EINVAL, "unknown option");
}

static int disk_finish(void *vcfg, const struct msp_context *ctx, struct msp_error *err)
{
	struct check_disk_config *cfg = vcfg;

	if (!cfg->any_option)
		return msp_error_set(err, MSP_EINVAL, "missing thresholds: give -w and -c");
	/* Without a path every mount is checked, with the last thresholds given. */
	if (!cfg->path_selected && add_step(cfg, MSP_MOUNT_ALL, NULL, false, err) < 0)
		return MSP_ENOMEM;
	if (!cfg->mult)
		parse_units(cfg, "MB", err);
	/* The reference never checks CD-ROMs. */
	if (msp_mount_filter_add_type(&cfg->sel.filter, false, "iso9660", err) < 0)
		return MSP_ENOMEM;
	cfg->timeout_state = ctx->timeout_state;
	cfg->timeout = ctx->timeout;
	return 0;
}

void check_disk_config_release(struct check_disk_config *cfg)
{
	msp_mount_selection_release(&cfg->sel);
	free(cfg->ops);
	memset(cfg, 0, sizeof(*cfg));
}

/* ------------------------------------------------------------ evaluation */

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

/* ------------------------------------------------------------ probe */

static int probe(const struct msp_context *ctx, struct msp_mount_items *items, struct msp_error *err)
{
	static const char *const names[] = { "not started", "ok", "failed", "no answer" };
	size_t n = 0;
	int r;

	for (size_t i = 0; i < items->n; i++)
		n += !items->v[i].skip && !items->v[i].not_found;
	msp_step("waiting for statvfs() on %zu filesystem%s", n, n == 1 ? "" : "s");
	r = msp_mount_items_probe(items, &ctx->deadline, NULL, err);
	for (size_t i = 0; r == 0 && i < items->n; i++) {
		const struct msp_mount_item *it = &items->v[i];

		if (!it->skip && !it->not_found)
			msp_verbose(ctx, 1, "%s%s: %s%s%s (%.3f s)", it->name, it->resolve ? " (resolved)" : "",
				    names[it->status], it->status == MSP_STATVFS_FAILED ? ", " : "",
				    it->status == MSP_STATVFS_FAILED ? strerror(it->error) : "", it->seconds);
	}
	return r;
}

static int disk_check(void *vcfg, const struct msp_context *ctx, struct msp_result *root, struct msp_error *err)
{
	struct check_disk_config *cfg = vcfg;
	struct msp_mount_table t;
	struct msp_mount_items items = { NULL, 0 };
	int r;

	msp_step("reading the mount table");
	r = msp_mount_table_read(cfg->mount_table, &t, err);
	if (r == 0)
		r = msp_mount_select(&cfg->sel, &t, &items, err);
	if (r == 0) {
		msp_mount_items_filter(&cfg->sel, &t, &items);
		r = probe(ctx, &items, err);
	}
	if (r == 0) {
		msp_mount_items_filter(&cfg->sel, &t, &items);
		r = check_disk_evaluate(cfg, &items, root);
		if (r < 0)
			msp_error_set(err, r, "out of memory");
	}
	msp_mount_items_release(&items);
	msp_mount_table_release(&t);
	return r;
}

/* "DISK OK - free space: / 81031MiB (82% inode=97%);| /=...": the bar right after the ';', one line */
static const struct msp_nagios_style nagios_style = { .perf_sep = "| ", .no_children = true };

/* A positional argument goes to the option callback (id MSP_OPT_POSITIONAL). */
static const struct msp_option positional = MSP_CALLBACK(MSP_OPT_POSITIONAL, 0, NULL, MSP_ARG_REQUIRED, "PATH", NULL);

static const struct msp_plugin plugin = {
	.positional = &positional,
	.nagios = &nagios_style,
	.name = "check_disk",
	.service = "DISK",
	.synopsis = "-w LIMIT -c LIMIT [-W LIMIT] [-K LIMIT] [-p PATH | -x DEVICE]... [-C] [-E] [-e] [-f] [-g GROUP]\n"
		    "    [-k | -m | -u UNIT] [-l | -L] [-M] [-A] [-r|-R REGEX] [-i|-I REGEX] [-X TYPE] [-N TYPE] [-n]",
	.description =
		"Check the free space and inodes of mounted filesystems.  Every statvfs() runs in a worker\n"
		"process with the deadline, so a hanging NFS or FUSE mount is named instead of hanging the check.",
	.notes = "Thresholds are positional, as in monitoring-plugins: -p, -r, -R and -A take the\n"
		 "thresholds and group given before them; -C clears them.  Without a path every\n"
		 "mounted filesystem is checked (pseudo filesystems such as proc are passed over).\n"
		 "Percentages are of used + available space, the used share rounded up (as df).\n"
		 "Perfdata: <mount point>=<used bytes>B;<warn>;<crit>;0;<size> (-P adds inodes).\n"
		 "\n"
		 "Differences from monitoring-plugins check_disk 2.3.3 (deliberate):\n"
		 "  - a mount that does not answer (dead NFS/FUSE) is named and gets the timeout state\n"
		 "    (UNKNOWN unless -t N:STATE); the others are still checked; the reference hangs,\n"
		 "    beyond its own -t, until the monitoring system kills it\n"
		 "  - a -p of a filesystem without a size (proc, ramfs) is UNKNOWN (fail closed);\n"
		 "    the reference dropped it silently and said OK for the rest\n"
		 "  - amounts may carry a unit: -w 2G means 2 GiB; the reference read 2 -u units\n"
		 "  - thresholds that are not numbers (-w foo, -w 10%%, -w '') are errors (UNKNOWN);\n"
		 "    the reference read them as 0, which never alerts\n"
		 "  - -X and -N take whole-name patterns, so Icinga's default -X 'fuse.*' works;\n"
		 "    the reference compared names exactly\n"
		 "  - -p '' (Debian's check_disk command with $ARG3$ unset) is ignored: every\n"
		 "    filesystem is checked; the reference said CRITICAL\n"
		 "  - every positional argument after the optional used-percent pair is a path;\n"
		 "    the reference took the first and ignored the rest\n"
		 "  - a group whose first member has no size is summed right (the reference counted\n"
		 "    one member twice); a threshold below zero is 0 in perfdata, not a wrapped number\n"
		 "  - -u takes the names in any case and KiB, MiB...; -t takes 1..86400 s or N:STATE\n"
		 "  - -n/--ignore-missing (monitoring-plugins 2.4): missing paths and an empty\n"
		 "    selection are OK; --inode-perfdata (nagios-plugins) is -P\n"
		 "  - a path that is not accessible is named and the others are still checked (with\n"
		 "    their perfdata); the reference stops there and prints only that path\n"
		 "  - -E with a path that is not a mount point says so (\"is not a mount point (-E)\");\n"
		 "    the reference says \"not found\" or \"not accessible\"\n"
		 "Default output: line 1 exactly as the reference prints it (\"DISK OK| /=...\" with -e\n"
		 "and nothing in alert); one line per filesystem in the multi-line, table and json\n"
		 "formats.\n"
		 "Examples:\n"
		 "  check_disk -w 10% -c 5% -p / -p /var\n"
		 "  check_disk -w 10% -c 5% -X tmpfs -X devtmpfs -X 'fuse.*' -e\n"
		 "  check_disk -w 100 -c 50 -C -w 1000 -c 500 -g data -r '^/srv/data'",
	.options = options,
	.timeout = 10,
	.timeout_state = MSP_STATE_UNKNOWN,
	.option = disk_option,
	.finish = disk_finish,
	.check = disk_check,
};

MSP_PLUGIN_MAIN(plugin, struct check_disk_config)
