/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * fuzz_proc.c - the /proc text parsers of msp_proc: <pid>/stat,
 * <pid>/status, <pid>/cmdline, and uptime with the btime line of stat.
 *
 * Input: one byte choosing the file, then its contents (for the machine-
 * wide files: uptime, a newline, then stat), written under a temporary
 * proc root (the readers take a root directory).  Invariants: a stat that
 * parses gives the pid asked for, the command name found between the first
 * '(' and the last ')' (cut to fit), a state letter, times that are finite
 * and not negative, a STAT text of at most 7 characters; status gives
 * non-negative uids; cmdline gives one line of printable text; the
 * machine-wide read gives a finite uptime and btime that are not negative.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "msp.h"

#define PID 4242
#define PID_DIR "4242"

static const struct msp_proc_system sys = { .uptime = 123456.78, .btime = 1764000000, .hz = 100, .page_kib = 4 };
static const char good_stat[] = "4242 (sshd: a (b)) S 1 4242 4242 0 -1 4194560 1 0 0 0 12 34 0 0 20 0 1 0 5000 "
				"16000000 1200 18446744073709551615 1 1 0 0 0 0 0 4096 0 0 0 0 17 1 0 0 0 0 0\n";

static void check_stat(const struct msp_proc *p, const char *text)
{
	const char *lp = strchr(text, '('), *rp = strrchr(text, ')');
	size_t n;
	char st[8], et[64];
	double pcpu;

	FUZZ_ASSERT(lp && rp && rp > lp, "parsed without '(' and ')': '%s'", text);
	n = (size_t)(rp - lp - 1);
	if (n > sizeof(p->comm) - 1)
		n = sizeof(p->comm) - 1;
	FUZZ_ASSERT(strlen(p->comm) == n && memcmp(p->comm, lp + 1, n) == 0, "comm '%s' from '%s'", p->comm, text);
	FUZZ_ASSERT(p->pid == PID && p->state != '\0' && p->state != ' ', "pid %ld, state %d", p->pid, p->state);
	FUZZ_ASSERT(isfinite(p->cpu_seconds) && p->cpu_seconds >= 0, "cpu %g", p->cpu_seconds);
	FUZZ_ASSERT(isfinite(p->elapsed_seconds) && p->elapsed_seconds >= 0, "elapsed %g", p->elapsed_seconds);
	FUZZ_ASSERT(!p->args, "args from stat");
	msp_proc_stat_text(p, st);
	FUZZ_ASSERT(strlen(st) >= 1 && strlen(st) <= 7, "STAT '%s'", st);
	msp_proc_etime(p->elapsed_seconds, et, sizeof(et));
	FUZZ_ASSERT(strlen(et) >= 5, "ELAPSED '%s'", et);
	pcpu = msp_proc_pcpu(p, &sys);
	FUZZ_ASSERT(isfinite(pcpu) && pcpu >= 0, "%%CPU %g", pcpu);
}

static void run_pid_file(unsigned which, const uint8_t *data, size_t size)
{
	struct msp_proc p;
	struct msp_error err;
	int r;

	msp_error_init(&err);
	if (which == 0) {
		char *text = fuzz_strndup(data, size < 2047 ? size : 2047); /* what the reader's buffer holds */

		fuzz_write_file(PID_DIR, "stat", data, size);
		r = msp_proc_read_stat(fuzz_tmpdir(), PID, &sys, &p, &err);
		if (r == 0)
			check_stat(&p, text);
		else
			FUZZ_ASSERT(r == MSP_EINVAL && err.msg[0], "stat: returned %d, '%s'", r, err.msg);
		free(text);
		return;
	}
	fuzz_write_file(PID_DIR, "stat", (const uint8_t *)good_stat, sizeof(good_stat) - 1);
	r = msp_proc_read_stat(fuzz_tmpdir(), PID, &sys, &p, &err);
	FUZZ_ASSERT(r == 0, "the good stat does not parse: %s", err.msg);
	if (which == 1) {
		fuzz_write_file(PID_DIR, "status", data, size);
		r = msp_proc_read_status(fuzz_tmpdir(), &p, &err);
		if (r == 0)
			FUZZ_ASSERT(p.has_status && p.uid_real >= 0 && p.uid_effective >= 0, "uids %ld %ld", p.uid_real,
				    p.uid_effective);
		else
			FUZZ_ASSERT(r == MSP_EINVAL && err.msg[0] && !p.has_status, "status: returned %d", r);
	} else {
		fuzz_write_file(PID_DIR, "cmdline", data, size);
		r = msp_proc_read_cmdline(fuzz_tmpdir(), &p, &err);
		FUZZ_ASSERT(r == 0 && p.args, "cmdline: returned %d: %s", r, err.msg);
		FUZZ_ASSERT(p.args[0] != '\0' && strlen(p.args) <= MSP_PROC_ARGS_MAX + 64, "args '%s'", p.args);
		for (const unsigned char *c = (const unsigned char *)p.args; *c; c++)
			FUZZ_ASSERT(*c >= 0x20 && *c != 0x7f, "control character %#x in args", *c);
		FUZZ_ASSERT(!p.args_truncated || size >= MSP_PROC_ARGS_MAX, "%zu bytes, truncated", size);
	}
	msp_proc_release(&p);
}

static void run_system(const uint8_t *data, size_t size)
{
	struct msp_proc_system s;
	struct msp_error err;
	const uint8_t *nl = size ? memchr(data, '\n', size) : NULL;
	size_t head = nl ? (size_t)(nl - data) : size;
	int r;

	fuzz_write_file(NULL, "uptime", data, head);
	fuzz_write_file(NULL, "stat", nl ? nl + 1 : data + size, nl ? size - head - 1 : 0);
	msp_error_init(&err);
	r = msp_proc_system_read(fuzz_tmpdir(), &s, &err);
	if (r == 0)
		FUZZ_ASSERT(isfinite(s.uptime) && s.uptime >= 0 && s.btime >= 0 && s.hz > 0 && s.page_kib > 0,
			    "uptime %g btime %lld hz %ld page %ld", s.uptime, (long long)s.btime, s.hz, s.page_kib);
	else
		FUZZ_ASSERT(r == MSP_EINVAL && err.msg[0], "system: returned %d, '%s'", r, err.msg);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned which;

	if (size < 1)
		return 0;
	which = data[0] & 3u;
	if (which == 3)
		run_system(data + 1, size - 1);
	else
		run_pid_file(which, data + 1, size - 1);
	return 0;
}
