/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test_check_smtp.c - check_smtp: SMTP replies (multi-line, garbage), -D,
 * the certificate verdicts at a fixed time, and whole runs (real option
 * parser, finish, probe, nagios rendering) against a unix-socket SMTP peer
 * forked by the test (no network): banner, expect string, HELO/EHLO, -C/-R,
 * AUTH LOGIN and PLAIN (the password also from a file), 421 banners,
 * garbage, silence, usage errors, one table row each.  STARTTLS and the
 * certificate against a real TLS server: tests/integration/check_smtp.sh.
 */
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>
#include <setjmp.h>
#include <cmocka.h>

#include "check_smtp.h"
#include "msp_runtime.h"
#include "msp_test.h"

static void test_smtp__replies(void **state)
{
	char text[64];
	int code = 0;

	(void)state;
	assert_int_equal(check_smtp_reply_len("220 ok\r\n", 8, &code), 8);
	assert_int_equal(code, 220);
	assert_int_equal(check_smtp_reply_len("250-a\r\n250-b\r\n250 c\r\nnext", 25, &code), 21);
	assert_int_equal(code, 250);
	assert_int_equal(check_smtp_reply_len("250-a\r\n250 c", 12, &code), 0);
	assert_int_equal(check_smtp_reply_len("220", 3, &code), 0);
	assert_int_equal(check_smtp_reply_len("354\n", 4, &code), 4);
	assert_int_equal(check_smtp_reply_len("hello\r\n", 7, &code), -1);
	assert_int_equal(check_smtp_reply_len("2x0 no\r\n", 8, &code), -1);
	assert_int_equal(check_smtp_reply_len("220x\r\n", 6, &code), -1);
	check_smtp_reply_text("250-a\r\n250 c\r\n", 14, text, sizeof(text));
	assert_string_equal(text, "250-a 250 c");
	check_smtp_reply_text("\x1b[2J\x01x\r\n", 8, text, sizeof(text));
	assert_string_equal(text, "?[2J?x");
}

static void test_smtp__days(void **state)
{
	struct msp_error err;
	long w = -1, c = -1;

	(void)state;
	assert_int_equal(check_smtp_parse_days("30", &w, &c, &err), 0);
	assert_int_equal(w, 30);
	assert_int_equal(c, 0);
	assert_int_equal(check_smtp_parse_days("30,14", &w, &c, &err), 0);
	assert_int_equal(c, 14);
	assert_int_equal(check_smtp_parse_days("abc", &w, &c, &err), MSP_EINVAL);
	assert_string_equal(err.msg, "cannot parse '-D abc': give days as WARN or WARN,CRIT (whole numbers)");
	assert_int_equal(check_smtp_parse_days("30,", &w, &c, &err), MSP_EINVAL);
	assert_int_equal(check_smtp_parse_days("-1", &w, &c, &err), MSP_EINVAL);
	assert_int_equal(check_smtp_parse_days("5,x", &w, &c, &err), MSP_EINVAL);
}

/* The certificate's verdict at a fixed now, the reference's words. */
static void test_smtp__cert_verdicts(void **state)
{
	static const struct {
		double left;
		const char *days;
		enum msp_state want;
		const char *line1;
	} rows[] = {
		{ 9.5 * 86400, "5", MSP_STATE_OK,
		  "^SMTP OK - Certificate 'mail\\.msp\\.test' will expire on [A-Z][a-z]{2} " },
		{ 9.5 * 86400, "20", MSP_STATE_WARNING,
		  "^SMTP WARNING - Certificate 'mail\\.msp\\.test' expires in 9 day\\(s\\) \\(" },
		{ 9.5 * 86400, "20,10", MSP_STATE_CRITICAL, "^SMTP CRITICAL - Certificate .* expires in 9 day\\(s\\)" },
		{ 5 * 3600, "1", MSP_STATE_CRITICAL, "^SMTP CRITICAL - Certificate .* expires in 5 hour\\(s\\)" },
		{ 5 * 3600, "1,-0", MSP_STATE_UNKNOWN, NULL },
		{ 120, "1", MSP_STATE_CRITICAL, "expires in 2 minute\\(s\\)" },
		{ -86400, "1", MSP_STATE_CRITICAL, "^SMTP CRITICAL - Certificate 'mail\\.msp\\.test' expired on " },
	};
	const double now = 1800000000;

	(void)state;
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct check_smtp_config cfg;
		struct check_smtp_sample s = { .have_cert = true, .bad_cmd = -1 };
		struct msp_result *root = msp_result_new();
		struct msp_error err;
		char *out;

		if (msp_test_configure(msp_test_plugin, &cfg, sizeof(cfg), MSP_ARGS("-H", "h", "-D", rows[i].days),
				       &err) != 0) {
			assert_int_equal(rows[i].want, MSP_STATE_UNKNOWN);
			msp_result_free(root);
			continue;
		}
		s.cert.not_after = now + rows[i].left;
		snprintf(s.cert.cn, sizeof(s.cert.cn), "mail.msp.test");
		assert_int_equal(check_smtp_evaluate(&cfg, &s, now, root), 0);
		out = msp_test_render(msp_test_plugin, root, MSP_FORMAT_NAGIOS);
		if (msp_result_state(root) != rows[i].want || !msp_test_match(out, rows[i].line1))
			print_error("row %zu: %s", i, out);
		assert_int_equal(msp_result_state(root), rows[i].want);
		assert_true(msp_test_match(out, rows[i].line1));
		free(out);
		msp_result_free(root);
		check_smtp_release(&cfg);
	}
}

/*
 * A unix-socket SMTP peer: a child that accepts one connection, sends
 * banner (NULL: never anything), then answers each line with the reply of
 * the first rule whose prefix it starts with ("*": any), until QUIT.
 */
struct rule {
	const char *prefix, *reply;
};

static void peer_serve(int c, const char *banner, const struct rule *rules)
{
	char line[1024];
	size_t n = 0;

	if (!banner) {
		sleep(30);
		return;
	}
	if (!banner[0] || write(c, banner, strlen(banner)) < 0)
		return; /* "": closes at once */
	while (read(c, line + n, 1) == 1) {
		if (line[n] != '\n' && n + 2 < sizeof(line)) {
			n++;
			continue;
		}
		line[n] = '\0';
		n = 0;
		for (const struct rule *r = rules; r && r->prefix; r++) {
			if (strncmp(line, r->prefix, strlen(r->prefix)) == 0 || strcmp(r->prefix, "*") == 0) {
				if (write(c, r->reply, strlen(r->reply)) < 0)
					return;
				break;
			}
		}
		if (strncmp(line, "QUIT", 4) == 0)
			return;
	}
}

static pid_t peer_start(const char *path, const char *banner, const struct rule *rules)
{
	int fd = msp_test_unix_listen(path);
	pid_t pid;

	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		int c = accept(fd, NULL, NULL);

		if (c >= 0)
			peer_serve(c, banner, rules);
		_exit(0);
	}
	close(fd);
	return pid;
}

#define B220 "220 mail.msp.test ESMTP ready\r\n"
static const struct rule GOOD[] = {
	{ "EHLO", "250-mail.msp.test\r\n250-AUTH LOGIN PLAIN\r\n250 8BITMIME\r\n" },
	{ "HELO", "250 mail.msp.test\r\n" },
	{ "LHLO", "250 mail.msp.test\r\n" },
	{ "AUTH LOGIN", "334 VXNlcm5hbWU6\r\n" },
	{ "bW9uaXRvcg==", "334 UGFzc3dvcmQ6\r\n" }, /* "monitor" */
	{ "czNjcmV0", "235 2.7.0 ok\r\n" },         /* "s3cret" */
	{ "AUTH PLAIN AG1vbml0b3IAczNjcmV0", "235 2.7.0 ok\r\n" },
	{ "AUTH PLAIN", "535 5.7.8 invalid\r\n" },
	{ "NOOP", "250 2.0.0 ok\r\n" },
	{ "MAIL", "250 2.1.0 sender ok\r\n" },
	{ "QUIT", "221 bye\r\n" },
	{ "*", "535 5.7.8 no\r\n" },
	{ NULL, NULL },
};

struct peer_row {
	const char *banner;
	const struct rule *rules;
	const char *args[10];
	enum msp_state state;
	const char *line1;
};

static void test_smtp__runs(void **state)
{
	static const struct peer_row rows[] = {
		{ B220,
		  GOOD,
		  { NULL },
		  MSP_STATE_OK,
		  "^SMTP OK - [0-9]\\.[0-9]{3} sec\\. response time\\|time=[0-9]\\.[0-9]{6}s;;;0\\.000000$" },
		{ "220-mail.msp.test ESMTP\r\n220-more\r\n220 ready\r\n",
		  GOOD,
		  { "-e", "more" },
		  MSP_STATE_OK,
		  "^SMTP OK - " },
		{ B220,
		  GOOD,
		  { "-e", "IMAP" },
		  MSP_STATE_WARNING,
		  "^SMTP WARNING - Invalid SMTP response received from host: 220 mail\\.msp\\.test ESMTP ready$" },
		{ B220,
		  GOOD,
		  { "-w", "0", "-c", "9" },
		  MSP_STATE_WARNING,
		  "\\|time=[0-9.]+s;0\\.000000;9\\.000000;0\\.000000$" },
		{ B220,
		  GOOD,
		  { "-C", "NOOP", "-R", "^250", "-C", "MAIL FROM:<a@b>", "-R", "^250 2\\.1" },
		  MSP_STATE_OK,
		  "^SMTP OK - " },
		{ B220,
		  GOOD,
		  { "-C", "NOOP", "-R", "^251", "-C", "NOOP", "-R", "^250" },
		  MSP_STATE_WARNING,
		  "^SMTP WARNING - Invalid response '250 2\\.0\\.0 ok' to command 'NOOP', [0-9.]+ sec\\. response time\\|time=" },
		{ B220, GOOD, { "-A", "LOGIN", "-U", "monitor", "-P", "s3cret" }, MSP_STATE_OK, "^SMTP OK - " },
		{ B220,
		  GOOD,
		  { "-A", "login", "-U", "monitor", "-P", "wrong" },
		  MSP_STATE_CRITICAL,
		  "^SMTP CRITICAL - invalid response received after authpass, [0-9.]+ sec\\. response time\\|time=" },
		{ B220, GOOD, { "-A", "PLAIN", "-U", "monitor", "-P", "s3cret" }, MSP_STATE_OK, "^SMTP OK - " },
		{ B220,
		  GOOD,
		  { "-A", "PLAIN", "-U", "monitor", "-P", "nope" },
		  MSP_STATE_CRITICAL,
		  "^SMTP CRITICAL - invalid response received after AUTH PLAIN, " },
		{ B220,
		  GOOD,
		  { "-A", "PLAIN", "-U", "monitor", "--password-file", "tests/fixtures/check_smtp/password.txt" },
		  MSP_STATE_OK,
		  "^SMTP OK - " },
		{ B220, GOOD, { "-S" }, MSP_STATE_WARNING, "^SMTP WARNING - TLS not supported by server$" },
		{ B220, GOOD, { "-L", "-F", "me.msp.test", "-f", "a@b" }, MSP_STATE_OK, "^SMTP OK - " },
		{ "421 4.3.2 mail.msp.test service not available\r\n",
		  GOOD,
		  { NULL },
		  MSP_STATE_CRITICAL,
		  "^SMTP CRITICAL - 421 4\\.3\\.2 mail\\.msp\\.test service not available$" },
		{ "554 no SMTP here\r\n", GOOD, { NULL }, MSP_STATE_CRITICAL, "^SMTP CRITICAL - 554 no SMTP here$" },
		{ "\x01\x02 garbage\r\n",
		  GOOD,
		  { NULL },
		  MSP_STATE_WARNING,
		  "^SMTP WARNING - Invalid SMTP response received from host: \\?\\? garbage$" },
		{ "", GOOD, { NULL }, MSP_STATE_CRITICAL, "^SMTP CRITICAL - No data received from host$" },
		{ B220,
		  NULL,
		  { "-t", "1" },
		  MSP_STATE_CRITICAL,
		  "^SMTP CRITICAL - timed out waiting for 'unix:.*' to answer HELO " },
		{ NULL,
		  NULL,
		  { "-t", "1" },
		  MSP_STATE_CRITICAL,
		  "^SMTP CRITICAL - timed out waiting for 'unix:.*' to send its banner$" },
		{ NULL, NULL, { "-t", "1:unknown" }, MSP_STATE_UNKNOWN, "^SMTP UNKNOWN - timed out waiting for " },
	};
	char path[64];

	(void)state;
	snprintf(path, sizeof(path), "/tmp/msp-test-smtp-%ld.sock", (long)getpid());
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		const char *args[16] = { "-H", path };
		struct check_smtp_config cfg;
		enum msp_state st;
		pid_t pid = peer_start(path, rows[i].banner, rows[i].rules);
		size_t n = 2;
		char *out;
		bool ok;

		for (size_t j = 0; rows[i].args[j]; j++)
			args[n++] = rows[i].args[j];
		msp_g_start = 0; /* each run's deadline counts from its own start */
		out = msp_test_run(msp_test_plugin, &cfg, sizeof(cfg), args, MSP_FORMAT_NAGIOS, &st);
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		unlink(path);
		check_smtp_release(&cfg);
		ok = st == rows[i].state && msp_test_match(out, rows[i].line1);
		if (!ok)
			print_error("row %zu: state %d, output: %s", i, (int)st, out);
		free(out);
		assert_true(ok);
	}
}

static void release(void *cfg)
{
	check_smtp_release(cfg);
}

static void test_smtp__usage(void **state)
{
	static const struct msp_test_case rows[] = {
		{ { "-H", "h", "-A", "LOGIN", "-P", "x" },
		  MSP_STATE_UNKNOWN,
		  "^SMTP UNKNOWN - -A LOGIN needs a user \\(-U\\)$" },
		{ { "-H", "h", "-A", "PLAIN", "-U", "u" },
		  MSP_STATE_UNKNOWN,
		  "^SMTP UNKNOWN - -A PLAIN needs a password \\(-P or --password-file\\)$" },
		{ { "-H", "h", "-A", "CRAM-MD5", "-U", "u", "-P", "p" },
		  MSP_STATE_UNKNOWN,
		  "^SMTP UNKNOWN - unsupported -A 'CRAM-MD5': give LOGIN or PLAIN$" },
		{ { "-H", "h", "-R", "250" }, MSP_STATE_UNKNOWN, "^SMTP UNKNOWN - 1 -R but only 0 -C: " },
		{ { "-H", "h", "-C", "NOOP", "-R", "(" }, MSP_STATE_UNKNOWN, "^SMTP UNKNOWN - " },
		{ { "-H", "h", "-D", "abc" }, MSP_STATE_UNKNOWN, "^SMTP UNKNOWN - cannot parse '-D abc': " },
		{ { "-H", "h", "-S", "--ssl" }, MSP_STATE_UNKNOWN, "^SMTP UNKNOWN - give -S \\(STARTTLS\\) or --ssl" },
		{ { "-H", "h", "--password-file", "/nonexistent/pw", "-A", "LOGIN", "-U", "u" },
		  MSP_STATE_UNKNOWN,
		  "^SMTP UNKNOWN - .*'/nonexistent/pw'" },
		{ { "-H", "h", "other" }, MSP_STATE_UNKNOWN, "^SMTP UNKNOWN - unexpected argument 'other'$" },
		{ { "-H", "127.0.0.1", "-6" },
		  MSP_STATE_UNKNOWN,
		  "^SMTP UNKNOWN - '127\\.0\\.0\\.1' is no IPv6 address \\(-6\\)$" },
		{ { "-H", "/nonexistent/msp-smtp.sock", "-q", "true" },
		  MSP_STATE_CRITICAL,
		  "^SMTP CRITICAL - cannot connect to " },
	};
	struct check_smtp_config cfg;

	(void)state;
	msp_test_cases_release(msp_test_plugin, &cfg, sizeof(cfg), rows, sizeof(rows) / sizeof(rows[0]), release);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_smtp__replies),       cmocka_unit_test(test_smtp__days),
		cmocka_unit_test(test_smtp__cert_verdicts), cmocka_unit_test(test_smtp__runs),
		cmocka_unit_test(test_smtp__usage),
	};

	signal(SIGPIPE, SIG_IGN);
	if (getenv("top_srcdir") && chdir(getenv("top_srcdir")) != 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
