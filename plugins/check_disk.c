/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * check_disk - free space and inodes of mounted filesystems (drop-in for
 * monitoring-plugins check_disk).
 *
 * probe: /proc/self/mountinfo, then statvfs() with the deadline
 *        (msp_statvfs_run): in worker processes for network, FUSE and other
 *        filesystems that may block, so a dead mount is named instead of
 *        hanging the plugin; in process for local ones (no fork to pay)
 * select: msp_mount_select(), msp_mount_items_filter() on the options' selection
 * evaluate: check_disk_evaluate() (check_disk_eval.c)
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check_disk.h"

/*
 * Options with a callback are order-dependent: thresholds, group and -E apply
 * to the selections that follow them (as in monitoring-plugins).  The rest
 * are typed entries and apply wherever they are given.
 */
enum {
	OPT_WARN,
	OPT_CRIT,
	OPT_IWARN,
	OPT_ICRIT,
	OPT_PATH,
	OPT_CLEAR,
	OPT_EXACT,
	OPT_GROUP,
	OPT_ALL,
	OPT_EREGI,
	OPT_EREG,
	OPT_IGNI,
	OPT_IGN,
};

/* -u names; -k and -m are -u kB and -u MB. */
static const struct msp_choice unit_choices[] = {
	{ "bytes", CHECK_DISK_UNIT_B },
	{ "B", CHECK_DISK_UNIT_B },
	{ "kB", CHECK_DISK_UNIT_KIB },
	{ "KiB", CHECK_DISK_UNIT_KIB },
	{ "MB", CHECK_DISK_UNIT_MIB },
	{ "MiB", CHECK_DISK_UNIT_MIB },
	{ "GB", CHECK_DISK_UNIT_GIB },
	{ "GiB", CHECK_DISK_UNIT_GIB },
	{ "TB", CHECK_DISK_UNIT_TIB },
	{ "TiB", CHECK_DISK_UNIT_TIB },
	{ "PB", CHECK_DISK_UNIT_PIB },
	{ "PiB", CHECK_DISK_UNIT_PIB },
	{ NULL, 0 },
};

#define MSP_CFG struct check_disk_config
static const struct msp_option options[] = {
	MSP_CALLBACK(OPT_WARN, 'w', "warning", MSP_ARG_REQUIRED, "LIMIT",
		     "WARNING when free space is at or below LIMIT: PERCENT% of used + available, or an\n"
		     "amount in -u units (default MiB) or with a unit (500M, 2G, 1T); a range alerts inside\n"
		     "it.  May be given twice (a percent and an amount).  Applies to the paths after it",
		     .var = "disk_wfree"),
	MSP_CALLBACK(OPT_CRIT, 'c', "critical", MSP_ARG_REQUIRED, "LIMIT",
		     "CRITICAL when free space is at or below LIMIT", .var = "disk_cfree"),
	MSP_CALLBACK(OPT_IWARN, 'W', "iwarning", MSP_ARG_REQUIRED, "PERCENT%",
		     "WARNING when free inodes are at or below PERCENT", .var = "disk_inode_wfree"),
	MSP_CALLBACK(OPT_ICRIT, 'K', "icritical", MSP_ARG_REQUIRED, "PERCENT%",
		     "CRITICAL when free inodes are at or below PERCENT", .var = "disk_inode_cfree"),
	MSP_CALLBACK(OPT_PATH, 'p', "path", MSP_ARG_REQUIRED, "PATH",
		     "Check the filesystem of PATH, a mount point, a path below one or a device\n"
		     "(repeatable; also --partition).  Give the thresholds first",
		     .var = "disk_partitions"),
	MSP_CALLBACK(OPT_PATH, 0, "partition", MSP_ARG_REQUIRED, "PATH", NULL, .var = "disk_partition"),
	MSP_LIST('x', "exclude_device", xdev, "PATH", "Skip this device or mount point (repeatable)",
		 .var = "disk_partitions_excluded"),
	MSP_LIST(0, "exclude-device", xdev, "PATH", NULL, .var = "disk_partition_excluded"),
	MSP_LIST('X', "exclude-type", xtype, "TYPE",
		 "Skip filesystems of this type (repeatable); a whole-name pattern such as 'fuse.*'",
		 .var = "disk_exclude_type"),
	MSP_LIST('N', "include-type", ntype, "TYPE", "Check only filesystems of this type (repeatable)",
		 .var = "disk_include_type"),
	MSP_CALLBACK(OPT_CLEAR, 'C', "clear", MSP_ARG_NONE, NULL,
		     "Forget the thresholds and group given so far (to give others for the next paths)",
		     .var = "disk_clear"),
	MSP_CALLBACK(OPT_EXACT, 'E', "exact-match", MSP_ARG_NONE, NULL,
		     "A -p must name a mount point exactly (give it before -p)", .var = "disk_exact_match"),
	MSP_BOOL('e', "errors-only", errors_only, "List only filesystems in alert (also -q, --quiet)",
		 .var = "disk_errors_only"),
	MSP_BOOL('q', "quiet", errors_only, NULL),
	MSP_BOOL('f', "freespace-ignore-reserved", ignore_reserved,
		 "Leave root-reserved blocks out of the size in perfdata", .var = "disk_ignore_reserved"),
	MSP_BOOL('P', "iperfdata", inode_perf, "Add inode usage to perfdata (also --inode-perfdata)",
		 .var = "disk_inode_perfdata"),
	MSP_BOOL(0, "inode-perfdata", inode_perf, NULL, .var = "disk_np_inode_perfdata"),
	MSP_CALLBACK(OPT_GROUP, 'g', "group", MSP_ARG_REQUIRED, "NAME",
		     "Sum the paths selected after it into one entry NAME (give it before them)", .var = "disk_group"),
	MSP_SET('k', "kilobytes", units, CHECK_DISK_UNIT_KIB, "Same as --units kB", .var = "disk_kilobytes"),
	MSP_SET('m', "megabytes", units, CHECK_DISK_UNIT_MIB, "Same as --units MB", .var = "disk_megabytes"),
	MSP_BOOL('l', "local", local, "Skip network filesystems", .var = "disk_local"),
	MSP_BOOL('L', "stat-remote-fs", stat_remote,
		 "Like -l, but see that network filesystems answer (CRITICAL when not)", .var = "disk_stat_remote_fs"),
	MSP_BOOL('M', "mountpoint", show_device, "Name filesystems by device instead of mount point",
		 .var = "disk_mountpoint"),
	MSP_CALLBACK(OPT_ALL, 'A', "all", MSP_ARG_NONE, NULL, "Select all filesystems (same as -R '.*')",
		     .var = "disk_all"),
	MSP_CALLBACK(OPT_EREGI, 'R', "eregi-path", MSP_ARG_REQUIRED, "REGEX",
		     "Select mount points or devices matching REGEX, any case (also --eregi-partition)",
		     .var = "disk_eregi_path"),
	MSP_CALLBACK(OPT_EREGI, 0, "eregi-partition", MSP_ARG_REQUIRED, "REGEX", NULL),
	MSP_CALLBACK(OPT_EREG, 'r', "ereg-path", MSP_ARG_REQUIRED, "REGEX",
		     "Select mount points or devices matching REGEX (also --ereg-partition)", .var = "disk_ereg_path"),
	MSP_CALLBACK(OPT_EREG, 0, "ereg-partition", MSP_ARG_REQUIRED, "REGEX", NULL),
	MSP_CALLBACK(OPT_IGNI, 'I', "ignore-eregi-path", MSP_ARG_REQUIRED, "REGEX",
		     "Drop selected filesystems matching REGEX, any case (also --ignore-eregi-partition)",
		     .var = "disk_ignore_eregi_path"),
	MSP_CALLBACK(OPT_IGNI, 0, "ignore-eregi-partition", MSP_ARG_REQUIRED, "REGEX", NULL),
	MSP_CALLBACK(OPT_IGN, 'i', "ignore-ereg-path", MSP_ARG_REQUIRED, "REGEX",
		     "Drop selected filesystems matching REGEX (also --ignore-ereg-partition)",
		     .var = "disk_ignore_ereg_path"),
	MSP_CALLBACK(OPT_IGN, 0, "ignore-ereg-partition", MSP_ARG_REQUIRED, "REGEX", NULL),
	MSP_CHOICE('u', "units", units, "UNIT", unit_choices,
		   "Unit of amounts and of the summary: bytes, kB, MB (default), GB, TB, PB (powers of 1024)",
		   .var = "disk_units"),
	MSP_BOOL('n', "ignore-missing", ignore_missing,
		 "A missing or inaccessible path, or a selection that leaves nothing, is OK",
		 .var = "disk_ignore_missing"),
	MSP_PATH(0, "mount-table", mount_table, "FILE", NULL),
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

/* The display unit of cfg->units (MiB when neither -u, -k nor -m was given). */
static void set_units(struct check_disk_config *cfg)
{
	static const char *const shown[] = { "MiB", "B", "kiB", "MiB", "GiB", "TiB", "PiB" };
	int u = cfg->units > 0 && cfg->units <= CHECK_DISK_UNIT_PIB ? cfg->units : CHECK_DISK_UNIT_MIB;

	cfg->mult = (uint64_t)1 << (10 * (u - CHECK_DISK_UNIT_B));
	cfg->unit = shown[u];
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
	case OPT_ALL:
		return add_regex(cfg, false, ".*", true, err);
	case OPT_EREGI:
	case OPT_EREG:
	case OPT_IGNI:
	case OPT_IGN:
		return add_regex(cfg, id == OPT_IGNI || id == OPT_IGN, arg, id == OPT_EREGI || id == OPT_IGNI, err);
	}
	return positional_arg(cfg, arg, err); /* MSP_OPT_POSITIONAL */
}

/* A typed option was given (the reference refuses only a command line without any option). */
static bool typed_given(const struct check_disk_config *cfg)
{
	return cfg->errors_only || cfg->ignore_reserved || cfg->inode_perf || cfg->show_device || cfg->ignore_missing ||
	       cfg->local || cfg->stat_remote || cfg->units || cfg->mount_table || cfg->xdev.count ||
	       cfg->xtype.count || cfg->ntype.count;
}

/* -x, -X and -N into the selection's filter; the reference never checks CD-ROMs. */
static int add_filters(struct check_disk_config *cfg, struct msp_error *err)
{
	int r = 0;

	for (size_t i = 0; r == 0 && i < cfg->xdev.count; i++)
		r = msp_mount_filter_add_name(&cfg->sel.filter, cfg->xdev.items[i], err);
	for (size_t i = 0; r == 0 && i < cfg->xtype.count; i++)
		r = msp_mount_filter_add_type(&cfg->sel.filter, false, cfg->xtype.items[i], err);
	for (size_t i = 0; r == 0 && i < cfg->ntype.count; i++)
		r = msp_mount_filter_add_type(&cfg->sel.filter, true, cfg->ntype.items[i], err);
	if (r == 0)
		r = msp_mount_filter_add_type(&cfg->sel.filter, false, "iso9660", err);
	return r;
}

static int disk_finish(void *vcfg, const struct msp_context *ctx, struct msp_error *err)
{
	struct check_disk_config *cfg = vcfg;
	int r;

	if (!cfg->any_option && !typed_given(cfg))
		return msp_error_set(err, MSP_EINVAL, "missing thresholds: give -w and -c");
	/* Without a path every mount is checked, with the last thresholds given. */
	if (!cfg->path_selected && add_step(cfg, MSP_MOUNT_ALL, NULL, false, err) < 0)
		return MSP_ENOMEM;
	set_units(cfg);
	r = add_filters(cfg, err);
	if (r < 0)
		return r;
	/* -L wins over -l whatever their order */
	if (cfg->stat_remote)
		cfg->sel.remote = MSP_MOUNT_REMOTE_STAT_ONLY;
	else if (cfg->local)
		cfg->sel.remote = MSP_MOUNT_REMOTE_SKIP;
	cfg->timeout_state = ctx->timeout_state;
	cfg->timeout = ctx->timeout;
	return 0;
}

void check_disk_config_release(struct check_disk_config *cfg)
{
	msp_mount_selection_release(&cfg->sel);
	msp_list_release(&cfg->xdev);
	msp_list_release(&cfg->xtype);
	msp_list_release(&cfg->ntype);
	free(cfg->ops);
	memset(cfg, 0, sizeof(*cfg));
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

/* Frees what the options allocated (the test harness calls it between runs; a real run just exits). */
static void disk_release(void *cfg)
{
	check_disk_config_release(cfg);
}

static const struct msp_plugin plugin = {
	.itl = "disk",
	.release = disk_release,
	.positional = &positional,
	.nagios = &nagios_style,
	.name = "check_disk",
	.summary = "free space and inodes of mounted filesystems, never hangs on a dead network mount",
	.dropin = "monitoring-plugins `check_disk`",
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
