/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * utmp_write - append login records to a utmp file with the C library's
 * own pututxline(), the way login(1) and sshd write them; used to record
 * the check_users fixtures (tests/fixtures/check_users/README.md) and by
 * tests/integration/check_users.sh.
 *
 *     utmp_write FILE TYPE[:USER:LINE:PID] ...
 *
 * TYPE is boot, runlvl, login, user or dead.  FILE is created if missing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>
#include <fcntl.h>
#include <utmpx.h>

#include "msp.h"

static int type_of(const char *t)
{
	static const struct {
		const char *name;
		int type;
	} types[] = { { "boot", BOOT_TIME }, { "runlvl", RUN_LVL }, { "login", LOGIN_PROCESS },
		      { "user", USER_PROCESS }, { "dead", DEAD_PROCESS } };

	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		if (strcmp(types[i].name, t) == 0)
			return types[i].type;
	return -1;
}

int main(int argc, char **argv)
{
	int fd;

	if (argc < 3) {
		fprintf(stderr, "usage: utmp_write FILE TYPE[:USER:LINE:PID] ...\n");
		return 2;
	}
	fd = open(argv[1], O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0 || close(fd) < 0 || utmpxname(argv[1]) != 0) {
		perror(argv[1]);
		return 1;
	}
	setutxent();
	for (int i = 2; i < argc; i++) {
		char spec[256];
		const char *f[4] = { NULL, "", "", "0" };
		struct utmpx u;
		struct timeval tv;
		int n = 0, type;
		int64_t pid;

		snprintf(spec, sizeof(spec), "%s", argv[i]);
		for (char *p = spec, *c; n < 4 && p; p = c ? c + 1 : NULL) {
			c = strchr(p, ':');
			if (c)
				*c = '\0';
			f[n++] = p;
		}
		type = type_of(f[0]);
		if (type < 0 || msp_num_int64(f[3], 0, 4194304, &pid) < 0) {
			fprintf(stderr, "utmp_write: bad record '%s'\n", argv[i]);
			return 2;
		}
		memset(&u, 0, sizeof(u));
		u.ut_type = (short)type;
		u.ut_pid = (pid_t)pid;
		snprintf(u.ut_user, sizeof(u.ut_user), "%s", f[1]);
		snprintf(u.ut_line, sizeof(u.ut_line), "%s", f[2]);
		/* the id login(1) derives from the line, so each line gets its own record */
		{
			/* ut_id holds up to 4 bytes without a terminator: the last 4 of the line */
			size_t len = strlen(f[2]), idn = len < sizeof(u.ut_id) ? len : sizeof(u.ut_id);

			memcpy(u.ut_id, f[2] + len - idn, idn);
		}
		gettimeofday(&tv, NULL);
		u.ut_tv.tv_sec = (int32_t)tv.tv_sec;
		u.ut_tv.tv_usec = (int32_t)tv.tv_usec;
		setutxent(); /* search from the start, so a dead record replaces its session */
		if (!pututxline(&u)) {
			perror("pututxline");
			return 1;
		}
	}
	endutxent();
	return 0;
}
