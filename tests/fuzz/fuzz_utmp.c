/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * fuzz_utmp.c - check_users_parse (plugins/check_users.h), the utmp reader.
 *
 * Invariants: a length that is not a whole number of struct utmpx records
 * is refused with a message; otherwise the record count is the length over
 * the record size, and the users are exactly the USER_PROCESS records with
 * a user name, counted here on our own; without thresholds the evaluation
 * of that sample is OK.
 */
#include <stdlib.h>
#include <string.h>
#include <utmpx.h>

#include "check_users.h"
#include "fuzz.h"
#include "msp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct check_users_sample s;
	struct check_users_config cfg = { 0 };
	struct msp_error err;
	struct msp_result *root;
	long users = 0;
	int r;

	msp_error_init(&err);
	r = check_users_parse(data, size, &s, &err);
	if (size % sizeof(struct utmpx) != 0) {
		FUZZ_ASSERT(r == MSP_EINVAL && err.msg[0], "%zu bytes: returned %d", size, r);
		return 0;
	}
	FUZZ_ASSERT(r == 0, "%zu bytes: returned %d: %s", size, r, err.msg);
	for (size_t off = 0; off < size; off += sizeof(struct utmpx)) {
		struct utmpx u;

		memcpy(&u, data + off, sizeof(u));
		if (u.ut_type == USER_PROCESS && u.ut_user[0])
			users++;
	}
	FUZZ_ASSERT(s.records == (long)(size / sizeof(struct utmpx)) && s.users == users && !s.missing,
		    "%ld records, %ld users; counted %ld", s.records, s.users, users);
	root = msp_result_new();
	FUZZ_ASSERT(root, "out of memory");
	cfg.utmp = "/var/run/utmp";
	FUZZ_ASSERT(check_users_evaluate(&cfg, &s, root) == 0, "evaluate failed");
	FUZZ_ASSERT(msp_result_state(root) == MSP_STATE_OK, "no thresholds, state %d", msp_result_state(root));
	msp_result_free(root);
	return 0;
}
