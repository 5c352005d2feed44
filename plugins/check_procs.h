/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * check_procs.h - the pure parts of check_procs, for the unit tests.
 */
#ifndef CHECK_PROCS_H
#define CHECK_PROCS_H

#include <regex.h>
#include <stdbool.h>
#include <stdint.h>

#include "msp.h"

enum check_procs_metric {
	CHECK_PROCS_PROCS = 0, /* number of matching processes (default) */
	CHECK_PROCS_VSZ,       /* each process's virtual size, KiB */
	CHECK_PROCS_RSS,       /* each process's resident size, KiB */
	CHECK_PROCS_CPU,       /* each process's %CPU as ps computes it */
	CHECK_PROCS_ELAPSED,   /* each process's age in seconds */
};

#define CHECK_PROCS_MAX_EXCLUDE 16

/* The filter options, as the summary names them (in the order they were given: order[] below). */
enum check_procs_filter {
	CHECK_PROCS_F_STATE,   /* -s */
	CHECK_PROCS_F_PPID,    /* -p */
	CHECK_PROCS_F_VSZ,     /* -z */
	CHECK_PROCS_F_RSS,     /* -r */
	CHECK_PROCS_F_PCPU,    /* -P */
	CHECK_PROCS_F_USER,    /* -u */
	CHECK_PROCS_F_ARGS,    /* -a */
	CHECK_PROCS_F_EREG,    /* --ereg-argument-array */
	CHECK_PROCS_F_COMMAND, /* -C */
	CHECK_PROCS_F_EXCLUDE, /* -X (each one) */
};

struct check_procs_config {
	struct msp_threshold th;
	enum check_procs_metric metric;
	const char *state;   /* -s: text that must occur in ps's STAT column */
	bool has_ppid;
	long ppid;
	bool has_vsz, has_rss, has_pcpu;
	uint64_t vsz_kib, rss_kib; /* -z, -r: at least this */
	double pcpu;               /* -P: at least this */
	bool has_uid;
	long uid;
	char user[64];       /* name of uid for the summary */
	const char *args;    /* -a: substring of the args */
	const char *ereg;    /* --ereg-argument-array: its text */
	bool has_regex;
	regex_t regex;
	const char *command; /* -C: exact command name */
	const char *exclude[CHECK_PROCS_MAX_EXCLUDE]; /* -X: comma-separated command names */
	int nexclude;
	/* The filters (enum check_procs_filter) in the order given: the summary names them in that order */
	int order[CHECK_PROCS_MAX_EXCLUDE + 16];
	int norder;
	bool no_kthreads;    /* -k */
	bool traditional;    /* -T: recognise ourselves by pid, not by executable */
	int npositional;
	const char *proc_root; /* "/proc" unless a test points elsewhere */
};

/* Free what the options allocated (the compiled --ereg-argument-array); cfg may be configured again. */
void check_procs_config_release(struct check_procs_config *cfg);

/* "PROCS", "VSZ", "RSS", "CPU", "ELAPSED": the metric's name (-m, and the service word of its output). */
const char *check_procs_metric_name(enum check_procs_metric m);

/* Who "we" are: the processes the reference leaves out of every count (itself, its parent). */
struct check_procs_self {
	long pid;      /* ourselves (0: none) */
	long ppid;     /* our parent, left out too (0: none) */
	bool has_exe;  /* compare executables (not with -T) */
	uint64_t dev, ino; /* our executable */
	char comm[64]; /* our command name: only processes with the same one have their executable compared */
};

/* One matching process. */
struct check_procs_match {
	long pid;
	double value; /* the metric's value for this process */
	char prog[64];
};

struct check_procs_sample {
	size_t seen;   /* processes read (whatever the filters said) */
	size_t n;      /* matching processes */
	size_t cap;
	struct check_procs_match *m; /* owned; free with check_procs_sample_release */
};

/* The files each process must be read from for cfg's filters (MSP_PROC_* bits). */
unsigned check_procs_fields(const struct check_procs_config *cfg);

/* The command name as the reference compares it: ps's 15-column comm, after its last '/'. */
void check_procs_prog(const struct msp_proc *p, char buf[64]);

/*
 * Does p pass cfg's filters?  have says which parts of p are read
 * (MSP_PROC_* bits).  Returns 0 (no), 1 (yes) or 2 (every filter that
 * could be judged passed, but one needs a part not in have).
 */
int check_procs_match(const struct check_procs_config *cfg, const struct msp_proc *p,
		      const struct msp_proc_system *sys, unsigned have);

/* The metric's value for p. */
double check_procs_value(const struct check_procs_config *cfg, const struct msp_proc *p,
			 const struct msp_proc_system *sys);

/*
 * Walk the processes under cfg->proc_root, leaving out self's (may be NULL),
 * and collect those that match into *ret (cleared first).  0, or an
 * MSP_E* with a message (the proc root cannot be read, out of memory).
 */
int check_procs_collect(const struct check_procs_config *cfg, const struct check_procs_self *self,
			struct check_procs_sample *ret, struct msp_error *err);

void check_procs_sample_release(struct check_procs_sample *s);

/* Fill root from the matches: state, summary, perfdata, alerting processes.  0 or MSP_ENOMEM. */
int check_procs_evaluate(const struct check_procs_config *cfg, const struct check_procs_sample *s,
			 struct msp_result *root);

#endif
