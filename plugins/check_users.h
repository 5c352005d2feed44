/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * check_users.h - the pure parts of check_users, for the unit tests.
 */
#ifndef CHECK_USERS_H
#define CHECK_USERS_H

#include <stdbool.h>
#include <stddef.h>

#include "msp.h"

#define CHECK_USERS_UTMP_DEFAULT "/var/run/utmp"
#define CHECK_USERS_UTMP_MAX (64u << 20) /* 64 MiB: ~170,000 records */

struct check_users_config {
	struct msp_threshold th;
	const char *utmp; /* CHECK_USERS_UTMP_DEFAULT unless --utmp */
	bool utmp_given;  /* --utmp named the file: its absence is an error */
};

struct check_users_sample {
	long users;     /* USER_PROCESS records with a user name */
	long records;   /* all records in the file */
	bool missing;   /* the file does not exist (no login is recorded) */
};

/*
 * Count the logged-in users in the raw bytes of a utmp file (struct utmpx
 * records of this C library).  A length that is not a whole number of
 * records is MSP_EINVAL (a truncated or foreign file).  0 or MSP_EINVAL.
 */
int check_users_parse(const void *data, size_t len, struct check_users_sample *ret, struct msp_error *err);

/* Fill root: state, summary, perfdata.  0 or MSP_ENOMEM. */
int check_users_evaluate(const struct check_users_config *cfg, const struct check_users_sample *s,
			 struct msp_result *root);

#endif
