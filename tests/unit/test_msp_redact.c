/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test_msp_redact.c - known secrets and URL passwords are hidden wherever they appear.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <setjmp.h>
#include <cmocka.h>

#include "msp.h"
#include "msp_redact.h"

static void expect_redacted(const struct msp_redact *r, const char *in, const char *want)
{
	char *got = msp_redact_dup(r, in);

	assert_non_null(got);
	if (strcmp(got, want) != 0)
		fail_msg("redact '%s': got '%s', want '%s'", in, got, want);
	free(got);
}

static void test_redact__url_password_whatever_it_holds(void **state)
{
	(void)state;
	/* no known secret: the URL rule alone */
	expect_redacted(NULL, "rest:https://u:pw@h:8000/r", "rest:https://u:***@h:8000/r");
	expect_redacted(NULL, "rest:http://user:p@ss@host/", "rest:http://user:***@host/");
	expect_redacted(NULL, "rest:http://user:pa/ss@host/", "rest:http://user:***@host/");
	expect_redacted(NULL, "parse \"http://user:pa/ss@127.0.0.1:1/\": invalid port",
			"parse \"http://user:***@127.0.0.1:1/\": invalid port");
	expect_redacted(NULL, "a http://x:1@y b https://p:q:r@@s/t", "a http://x:***@y b https://p:***@s/t");
	expect_redacted(NULL, "Invalid location format: \"ssh://u:S3cretPw@host:1/./repo\"",
			"Invalid location format: \"ssh://u:***@host:1/./repo\"");
	/* nothing to hide */
	expect_redacted(NULL, "s3:https://s3.example.org/bucket", "s3:https://s3.example.org/bucket");
	expect_redacted(NULL, "sftp:user@host:/srv/restic", "sftp:user@host:/srv/restic");
	expect_redacted(NULL, "ssh://backup@nas:22/./host1", "ssh://backup@nas:22/./host1");
	expect_redacted(NULL, "", "");
	expect_redacted(NULL, NULL, "");
}

static void test_redact__known_secrets_anywhere(void **state)
{
	struct msp_redact r;

	(void)state;
	msp_redact_init(&r);
	assert_int_equal(msp_redact_add(&r, "S3cret pw"), 0);
	assert_int_equal(msp_redact_add(&r, "S3cret"), 0);
	assert_int_equal(msp_redact_add(&r, ""), 0);
	assert_int_equal(msp_redact_add(&r, NULL), 0);
	assert_int_equal(msp_redact_add(&r, "S3cret"), 0); /* known already */
	assert_int_equal(r.n, 2);
	/* secrets that overlap or touch become one mark */
	expect_redacted(&r, "Fatal: S3cret pw is wrong, S3cretS3cret", "Fatal: *** is wrong, ***");
	expect_redacted(&r, "no secret here", "no secret here");
	msp_redact_release(&r);
	assert_int_equal(r.n, 0);
}

static void test_redact__repository_password_learnt_from_the_url(void **state)
{
	struct msp_redact r;

	(void)state;
	msp_redact_init(&r);
	assert_int_equal(msp_redact_add_url(&r, "rest:http://user:p@ss w/rd@127.0.0.1:8000/repo"), 0);
	assert_int_equal(r.n, 2);
	assert_string_equal(r.secret[0], "p@ss w/rd");
	/* what a URL parser takes for the port: Go says invalid port ":p@ss w" after host */
	assert_string_equal(r.secret[1], ":p@ss w");
	expect_redacted(&r, "url.Parse: invalid port \":p@ss w\" after host",
			"url.Parse: invalid port \":***\" after host");
	/* the password with a blank defeats the URL rule in free text, not the known secret */
	expect_redacted(&r, "Head \"http://user:p@ss w/rd@127.0.0.1:8000/repo/config\"",
			"Head \"http://user:***@127.0.0.1:8000/repo/config\"");
	expect_redacted(&r, "echo p@ss w/rd", "echo ***");
	msp_redact_release(&r);

	/* written percent-encoded: both forms are secret */
	msp_redact_init(&r);
	assert_int_equal(msp_redact_add_url(&r, "rest:https://u:p%40ss%2Fx@h/"), 0);
	assert_int_equal(r.n, 2);
	expect_redacted(&r, "password p@ss/x or p%40ss%2Fx", "password *** or ***");
	assert_string_equal(r.secret[1], "p@ss/x");
	assert_int_equal(msp_redact_add_url(&r, "sftp:user@host:/srv/restic"), 0);
	assert_int_equal(msp_redact_add_url(&r, "s3:https://s3.example.org/b"), 0);
	assert_int_equal(msp_redact_add_url(&r, NULL), 0);
	assert_int_equal(r.n, 2);
	msp_redact_release(&r);
}

/*
 * Found by tests/fuzz/fuzz_redact: "%00" in a URL password decoded to a
 * secret holding a NUL, kept as the empty string, and redaction then looked
 * for it past the end of the text.  A secret ends at a NUL (the text it is
 * looked for in does too); an empty one is no secret.
 */
static void test_redact__percent_00_in_a_url_password(void **state)
{
	struct msp_redact r;

	(void)state;
	msp_redact_init(&r);
	assert_int_equal(msp_redact_add_url(&r, "rest:https://u:%00ss@h/"), 0);
	assert_int_equal(msp_redact_add_url(&r, "rest:https://u:pa%00ss@h/"), 0);
	expect_redacted(&r, "Fatal: rest:https://u:%00ss@h/ failed; pa", "Fatal: rest:https://u:***@h/ failed; ***");
	assert_int_equal(r.n, 3);
	assert_string_equal(r.secret[0], "%00ss");
	assert_string_equal(r.secret[1], "pa%00ss");
	assert_string_equal(r.secret[2], "pa");
	msp_redact_release(&r);
}

static void test_redact__scp_style_location(void **state)
{
	struct msp_redact r;

	(void)state;
	msp_redact_init(&r);
	assert_int_equal(msp_redact_add_location(&r, "u:p@ss@host:repo"), 0);
	assert_int_equal(msp_redact_add_location(&r, "backup@nas:/srv/borg"), 0);
	assert_int_equal(msp_redact_add_location(&r, "/srv/a:b@c"), 0);
	assert_int_equal(msp_redact_add_location(&r, "ssh://u:S3cretPw@host/./repo"), 0);
	assert_int_equal(r.n, 2);
	assert_string_equal(r.secret[0], "p@ss");
	assert_string_equal(r.secret[1], "S3cretPw");
	expect_redacted(&r, "cannot reach 'u:p@ss@host:repo'", "cannot reach 'u:***@host:repo'");
	msp_redact_release(&r);
}

static void test_redact__buffer_cut_after_redaction(void **state)
{
	struct msp_redact r;
	char buf[16];

	(void)state;
	msp_redact_init(&r);
	assert_int_equal(msp_redact_add(&r, "0123456789abcdef"), 0);
	/* the secret straddles the cut: none of it may show */
	assert_string_equal(msp_redact_buf(&r, "xxxxxxxxxx0123456789abcdef", buf, sizeof(buf)), "xxxxxxxxxx***");
	/* in place */
	snprintf(buf, sizeof(buf), "x://u:pw@h");
	assert_string_equal(msp_redact_buf(&r, buf, buf, sizeof(buf)), "x://u:***@h");
	msp_redact_release(&r);
}

static void test_redact__table_is_bounded(void **state)
{
	struct msp_redact r;
	char s[8];

	(void)state;
	msp_redact_init(&r);
	for (int i = 0; i < MSP_REDACT_MAX; i++) {
		snprintf(s, sizeof(s), "s%d", i);
		assert_int_equal(msp_redact_add(&r, s), 0);
	}
	assert_int_equal(msp_redact_add(&r, "one more"), MSP_ETOOBIG);
	msp_redact_release(&r);
}

static void test_redact__whole_result_tree(void **state)
{
	struct msp_redact r;
	struct msp_result *root = msp_result_new(), *c;

	(void)state;
	assert_non_null(root);
	msp_redact_init(&r);
	assert_int_equal(msp_redact_add(&r, "hunter2"), 0);
	assert_int_equal(msp_result_set_text(root, "failed: hunter2"), 0);
	c = msp_result_add_child(root, MSP_STATE_OK, "child http://a:b@c/ hunter2");
	assert_non_null(c);
	assert_non_null(msp_result_add_note(c, "note hunter2"));
	assert_non_null(msp_result_add_perf(c, "hunter2_age", 1, "s", NULL));
	assert_int_equal(msp_redact_result(&r, root), 0);
	assert_string_equal(root->text, "failed: ***");
	assert_string_equal(c->text, "child http://a:***@c/ ***");
	assert_string_equal(c->child[0]->text, "note ***");
	assert_string_equal(c->perf[0].label, "***_age");
	msp_result_free(root);
	msp_redact_release(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_redact__url_password_whatever_it_holds),
		cmocka_unit_test(test_redact__known_secrets_anywhere),
		cmocka_unit_test(test_redact__repository_password_learnt_from_the_url),
		cmocka_unit_test(test_redact__percent_00_in_a_url_password),
		cmocka_unit_test(test_redact__scp_style_location),
		cmocka_unit_test(test_redact__buffer_cut_after_redaction),
		cmocka_unit_test(test_redact__table_is_bounded),
		cmocka_unit_test(test_redact__whole_result_tree),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
