/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * check_reboot.h - check_reboot's config, sample and pure parts: the
 * parsers (check_reboot_parse.c) and the evaluation (check_reboot_eval.c),
 * shared with the probe in check_reboot.c and the unit tests.
 */
#ifndef CHECK_REBOOT_H
#define CHECK_REBOOT_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "msp.h"

/* The sources a pending reboot or restart is read from. */
enum check_reboot_source {
	REBOOT_FLAG,     /* /run/reboot-required (Ubuntu, some Debian derivatives) */
	REBOOT_KERNEL,   /* running kernel vs the newest installed image */
	REBOOT_SERVICES, /* needrestart -b: services running outdated code */
	REBOOT_LIBS,     /* processes mapping deleted libraries or executables */
	REBOOT_NSOURCES,
};

/* When the deleted-library scan runs (--libs-scan). */
enum check_reboot_libs_scan {
	REBOOT_SCAN_ALWAYS, /* scan; maps that cannot be read are --libs-unreadable (fail closed) */
	REBOOT_SCAN_AUTO,   /* scan only when every process's maps can be read, else say "not checked" */
};

/* Who check_reboot runs as, from <root>/proc/self/status. */
struct check_reboot_creds {
	bool known;          /* the status file was read and parsed */
	long ruid, euid;     /* real and effective uid */
	bool cap_sys_ptrace; /* CAP_SYS_PTRACE (capability 19) in CapEff */
};

struct check_reboot_config {
	const char *root;                      /* --root: "/" or a recorded tree */
	enum msp_state state[REBOOT_NSOURCES]; /* state when the source says "pending" */
	struct msp_list ignore_list;           /* --ignore's words, as given */
	bool ignore[REBOOT_NSOURCES];          /* from ignore_list (finish) */
	const char *needrestart;               /* program; NULL = the default path when root is "/" */
	bool no_needrestart;
	unsigned list_max;               /* processes/services named in long output */
	enum msp_state unreadable_state; /* libs source when some maps cannot be read */
	enum msp_state timeout_state;    /* from -t N:STATE / --timeout-result */
	int libs_scan;                   /* enum check_reboot_libs_scan */
};

#define CHECK_REBOOT_UNREADABLE_KEPT 16 /* processes with unreadable maps remembered for the long output */

/* A process that maps a file deleted since it was mapped. */
struct check_reboot_proc {
	pid_t pid;
	char comm[32];
	char file[256]; /* the first deleted file found */
	unsigned nfiles;
};

/* What needrestart -b reported. */
struct check_reboot_needrestart {
	bool ran;          /* it was run and its output parsed */
	bool failed;       /* it was run but failed or printed something unparseable */
	char error[256];   /* why, when failed */
	bool timed_out;    /* failed by running past the deadline: the timeout state applies */
	int ksta;          /* kernel status 0 unknown, 1 current, 2 ABI-compatible upgrade, 3 version upgrade */
	char kcur[128];
	char kexp[128];
	char **services;   /* owned */
	size_t nservices;
	size_t nsessions;
};

struct check_reboot_sample {
	bool flag;
	char flag_error[300];       /* why the flag could not be checked ("" when it could) */
	char pkgs[512];             /* reboot-required.pkgs, comma-separated, "" when none */
	char pkgs_error[300];       /* why reboot-required.pkgs could not be read ("" when absent or read) */
	char container[64];         /* how a container was recognised, "" when not in one */
	char running[128];          /* running kernel release, "" when unknown */
	char newest[128];           /* newest kernel image in /boot, "" when none */
	bool running_installed;     /* an image of the running release is in /boot */
	char boot_error[300];       /* why /boot could not be listed ("" when it could, or is missing) */
	unsigned nimages;
	struct check_reboot_needrestart nr;
	struct check_reboot_proc *procs; /* owned; at most list capacity, see nprocs_total */
	size_t nprocs;
	size_t nprocs_total;        /* processes with deleted files (also beyond the list) */
	size_t nscanned;
	size_t nunreadable;         /* processes whose maps could not be read (permission) */
	struct check_reboot_proc *unreadable; /* owned; the first few of them */
	struct check_reboot_creds creds;
	bool libs_skipped;          /* --libs-scan=auto without the privilege to read every process's maps */
	bool nr_skipped;            /* the default needrestart not run: not root, it would see only our processes */
};

/* Free what a sample owns (accepts a zeroed sample). */
void check_reboot_sample_release(struct check_reboot_sample *s);

/*
 * Parse `needrestart -b` output into *ret (its services are owned by ret).
 * 0, MSP_EINVAL when it is not needrestart's batch format, MSP_ENOMEM.
 */
int check_reboot_parse_needrestart(const char *text, struct check_reboot_needrestart *ret, struct msp_error *err);

/*
 * Scan the text of one /proc/<pid>/maps for executable mappings of deleted
 * files (libraries, the program itself); memfd, shared memory and devices
 * do not count.  Returns the number found and copies the first path into
 * first (may be NULL).
 */
unsigned check_reboot_scan_maps(const char *maps, char *first, size_t len);

/*
 * Parse the text of /proc/self/status (its Uid: and CapEff: lines) into
 * *ret (known set).  0, or MSP_EINVAL when either line is missing or bad.
 */
int check_reboot_parse_status(const char *text, struct check_reboot_creds *ret, struct msp_error *err);

/*
 * Whether a process with these credentials can read every process's maps:
 * euid 0 or CAP_SYS_PTRACE.  Unknown credentials count as yes, so the scan
 * runs and says what it could not read (fail closed).  Even then some maps
 * may stay hidden (a container's PID 1 from root): those are unreadable.
 */
bool check_reboot_sees_all_maps(const struct check_reboot_creds *c);

/* Order two kernel releases as versions ("6.1.0-9-amd64" < "6.1.0-10-amd64"). */
int check_reboot_kernel_cmp(const char *a, const char *b);

/* Fill root from cfg and sample: state per source, summary, perfdata.  0 or MSP_ENOMEM. */
int check_reboot_evaluate(const struct check_reboot_config *cfg, const struct check_reboot_sample *s,
			  struct msp_result *root);

#endif
