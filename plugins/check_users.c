/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * check_users - number of logged-in users (drop-in for monitoring-plugins check_users).
 *
 * probe: read the utmp file (/var/run/utmp)
 * parse: check_users_parse()      evaluate: check_users_evaluate()
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utmpx.h>

#include "check_users.h"

#define MSP_CFG struct check_users_config
static const struct msp_option options[] = {
	MSP_WARN('w', "warning", th, "RANGE", MSP_UNIT_NONE,
		 "WARNING when the number of users is outside RANGE (a plain N: more than N)"),
	MSP_CRIT('c', "critical", th, "RANGE", MSP_UNIT_NONE,
		 "CRITICAL when the number of users is outside RANGE (a plain N: more than N)"),
	MSP_PATH(0, "utmp", utmp, "FILE", "Read login records from FILE (recorded files, for tests)",
		 .def = CHECK_USERS_UTMP_DEFAULT, .given = MSP_GIVEN(utmp_given)),
	MSP_OPTION_END,
};

static int users_finish(void *vcfg, const struct msp_context *ctx, struct msp_error *err)
{
	struct check_users_config *cfg = vcfg;

	(void)ctx;
	if (!cfg->th.has_warn && !cfg->th.has_crit)
		return msp_error_set(err, MSP_EINVAL, "missing thresholds: give -w and/or -c");
	return 0;
}

int check_users_parse(const void *data, size_t len, struct check_users_sample *ret, struct msp_error *err)
{
	struct check_users_sample s = { 0 };
	const unsigned char *p = data;

	if (len % sizeof(struct utmpx) != 0)
		return msp_error_set(err, MSP_EINVAL, "utmp is %zu bytes, not a whole number of %zu-byte records", len,
				     sizeof(struct utmpx));
	for (size_t off = 0; off < len; off += sizeof(struct utmpx)) {
		struct utmpx u;

		memcpy(&u, p + off, sizeof(u)); /* the buffer need not be aligned */
		s.records++;
		if (u.ut_type == USER_PROCESS && u.ut_user[0] != '\0')
			s.users++;
	}
	*ret = s;
	return 0;
}

int check_users_evaluate(const struct check_users_config *cfg, const struct check_users_sample *s,
			 struct msp_result *root)
{
	struct msp_perf *p;

	msp_result_set_state(root, msp_threshold_eval(&cfg->th, (double)s->users));
	p = msp_result_add_perf(root, "users", (double)s->users, "", &cfg->th);
	if (!p)
		return MSP_ENOMEM;
	p->decimals = 0;
	msp_perf_set_min(p, 0);
	if (s->missing && !msp_result_add_note(root, "'%s' does not exist: no login is recorded", cfg->utmp))
		return MSP_ENOMEM;
	return msp_result_set_text(root, "%ld users currently logged in", s->users);
}

static int users_check(void *vcfg, const struct msp_context *ctx, struct msp_result *root, struct msp_error *err)
{
	struct check_users_config *cfg = vcfg;
	struct check_users_sample s = { 0 };
	struct msp_buf b;
	int r;

	msp_step("reading %s", cfg->utmp);
	msp_buf_init(&b, CHECK_USERS_UTMP_MAX);
	r = msp_file_read(cfg->utmp, CHECK_USERS_UTMP_MAX, &b, err);
	if (r == MSP_ENOENT && cfg->utmp_given) {
		/* a file named on the command line that is not there is a mistake, not "no logins" */
		msp_error_set(err, MSP_ENOENT, "utmp file '%s' (--utmp) does not exist", cfg->utmp);
	} else if (r == MSP_ENOENT) {
		/* no utmp: nothing records logins here (containers), as who(1) and the reference read it */
		s.missing = true;
		r = 0;
	} else if (r == 0) {
		r = check_users_parse(b.data ? b.data : "", b.len, &s, err);
	}
	msp_buf_release(&b);
	if (r < 0)
		return r;
	msp_verbose(ctx, 1, "users: %ld of %ld records in %s\n", s.users, s.records, cfg->utmp);
	r = check_users_evaluate(cfg, &s, root);
	if (r < 0)
		return msp_error_set(err, r, "out of memory");
	return 0;
}

/* "USERS OK - 2 users currently logged in |users=2;5;10;0" : a blank before the bar, none after it */
static const struct msp_nagios_style nagios_style = { .perf_sep = " |", .no_children = true };

static const struct msp_plugin plugin = {
	.itl = "users",
	.summary = "number of logged-in users from utmp, ranges; a truncated utmp is UNKNOWN",
	.dropin = "monitoring-plugins `check_users`",
	.nagios = &nagios_style,
	.name = "check_users",
	.service = "USERS",
	.synopsis = "-w RANGE -c RANGE [--utmp FILE]",
	.description = "Check the number of users logged in on the local machine (login records of\n"
		       "type USER_PROCESS in " CHECK_USERS_UTMP_DEFAULT ", as who(1) counts them).",
	.notes = "A missing " CHECK_USERS_UTMP_DEFAULT " means nothing records logins here (common in\n"
		 "containers): 0 users, as in the reference, with a note in the long output.  A file\n"
		 "given with --utmp that does not exist, and an unreadable or truncated utmp file,\n"
		 "are UNKNOWN.\n"
		 "Differences from monitoring-plugins check_users 2.3.3 (deliberate):\n"
		 "  - -w or -c alone works (the reference crashes); thresholds that are not\n"
		 "    ranges (\"abc\", \"5x\") and stray arguments are errors (the reference reads\n"
		 "    \"abc\" as a threshold that never alerts and ignores stray arguments)\n"
		 "  - -t, --timeout-result and --output-format are accepted (standard options)\n"
		 "Examples:\n"
		 "  check_users -w 5 -c 10\n"
		 "  check_users -w 1: -c 0:50      (WARNING when nobody is logged in)",
	.options = options,
	.timeout = 10,
	.timeout_state = MSP_STATE_UNKNOWN,
	.finish = users_finish,
	.check = users_check,
};

MSP_PLUGIN_MAIN(plugin, struct check_users_config)
