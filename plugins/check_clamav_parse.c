/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * check_clamav_parse.c - check_clamav's pure parsers: a freshclam log's
 * update runs (check_clamav_parse_freshclam) and clamd's VERSION reply
 * (check_clamav_parse_version).
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "check_clamav.h"

/*
 * "Sat Nov 28 04:56:28 2026 -> ..." : the time at the start of a log line,
 * 0 when there is none, -1 when it names a time that does not exist ("Feb
 * 31", which mktime would move to March).
 */
static int64_t log_time(const char *line)
{
	struct tm tm;
	const char *end;

	memset(&tm, 0, sizeof(tm));
	end = strptime(line, "%a %b %d %H:%M:%S %Y", &tm);
	if (!end || strncmp(end, " -> ", 4) != 0)
		return 0;
	if (!msp_time_tm_valid(&tm))
		return -1;
	tm.tm_isdst = -1;
	return (int64_t)mktime(&tm);
}

/* The message part of a log line (after "DATE -> "), or the whole line without LogTime. */
static const char *log_message(const char *line)
{
	const char *m = strstr(line, " -> ");

	return m && log_time(line) != 0 ? m + 4 : line;
}

struct fc_run {
	int64_t start;
	bool failed, succeeded;
	char reason[200];
};

static void fc_line(const char *line, struct fc_run *run)
{
	const char *msg = log_message(line);

	if (strncmp(msg, "ERROR: ", 7) == 0) {
		const char *e = msg + 7;

		if (strncmp(e, "Update failed", 13) == 0 || strncmp(e, "Database update process failed", 30) == 0)
			run->failed = true;
		/* "Update failed." only closes the run; the line before it says why. */
		if (strcmp(e, "Update failed.") != 0)
			snprintf(run->reason, sizeof(run->reason), "%s", e);
		return;
	}
	if (strstr(msg, "database is up-to-date (version:") || strstr(msg, " updated (version:") ||
	    strncmp(msg, "Database updated (", 18) == 0)
		run->succeeded = true;
}

static void fc_close(const struct fc_run *run, struct check_clamav_freshclam *ret)
{
	if (run->failed) {
		ret->result = CHECK_CLAMAV_UPDATE_FAILED;
		snprintf(ret->reason, sizeof(ret->reason), "%s", run->reason[0] ? run->reason : "Update failed");
	} else if (run->succeeded) {
		ret->result = CHECK_CLAMAV_UPDATE_OK;
		ret->reason[0] = '\0';
	} else {
		ret->pending = true;
		ret->pending_time = run->start;
		return;
	}
	ret->result_time = run->start;
	ret->pending = false;
}

/* The length of the line at p (end excluded): it ends at a newline or a NUL byte. */
static size_t line_len(const char *p, const char *end)
{
	const char *q = p;

	while (q < end && *q != '\n' && *q != '\0')
		q++;
	return (size_t)(q - p);
}

void check_clamav_parse_freshclam(const char *text, size_t len, bool partial, struct check_clamav_freshclam *ret)
{
	struct check_clamav_freshclam f = { .checked = true };
	struct fc_run run = { 0 };
	bool in_run = false;
	const char *p = text, *end = text + len;

	/* A crash leaves runs of NULs in an append-only log: they end a line, and reading goes on. */
	if (partial)
		p += line_len(p, end) + (p + line_len(p, end) < end);
	while (p < end) {
		size_t n = line_len(p, end);
		char line[1024];

		if (n > 0) {
			snprintf(line, sizeof(line), "%.*s", (int)(n < sizeof(line) - 1 ? n : sizeof(line) - 1), p);
			if (strstr(line, "ClamAV update process started at ")) {
				if (in_run)
					fc_close(&run, &f);
				memset(&run, 0, sizeof(run));
				run.start = log_time(line);
				if (run.start < 0) {
					/* Never a guess: the run's time decides how old the last update is. */
					snprintf(f.problem, sizeof(f.problem), "impossible time in '%.200s'", line);
					in_run = false;
					break;
				}
				in_run = true;
				f.attempts++;
			} else if (in_run) {
				fc_line(line, &run);
			}
		}
		p += n + (p + n < end);
	}
	if (in_run)
		fc_close(&run, &f);
	*ret = f;
}


int check_clamav_parse_version(const char *reply, struct check_clamav_daemon *d, struct msp_error *err)
{
	char engine[32];
	uint64_t loaded;
	const char *slash, *p;
	size_t n;

	if (strncmp(reply, "ClamAV ", 7) != 0)
		return msp_error_set(err, MSP_EINVAL, "not a version");
	p = reply + 7;
	n = strcspn(p, "/");
	if (n == 0 || n >= sizeof(engine) || strspn(p, "0123456789.") < n)
		return msp_error_set(err, MSP_EINVAL, "no engine version");
	memcpy(engine, p, n);
	engine[n] = '\0';
	snprintf(d->engine, sizeof(d->engine), "%s", engine);
	d->has_loaded = false;
	d->loaded = 0;
	if (p[n] == '\0')
		return 0; /* "ClamAV 1.4.6": no database loaded */
	p += n + 1;
	slash = strchr(p, '/');
	n = slash ? (size_t)(slash - p) : strlen(p);
	if (slash) {
		/* The database's build time, ctime() style: nothing may follow it. */
		struct tm tm;
		const char *end;

		memset(&tm, 0, sizeof(tm));
		end = strptime(slash + 1, "%a %b %d %H:%M:%S %Y", &tm);
		if (!end || *end || !msp_time_tm_valid(&tm))
			return msp_error_set(err, MSP_EINVAL, "database date '%.40s' is not a date", slash + 1);
	}
	{
		char num[24];

		if (n == 0 || n >= sizeof(num))
			return msp_error_set(err, MSP_EINVAL, "no database version");
		memcpy(num, p, n);
		num[n] = '\0';
		if (strspn(num, "0123456789") != n || msp_num_uint64(num, UINT32_MAX, &loaded) < 0)
			return msp_error_set(err, MSP_EINVAL, "database version is not a number");
	}
	d->has_loaded = true;
	d->loaded = loaded;
	return 0;
}
