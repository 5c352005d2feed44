/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test_check_ssh.c - check_ssh: the identification parser on the shapes
 * RFC 4253 allows and forbids, and whole runs (real option parser, finish,
 * probe, nagios rendering) against a unix-socket peer forked by the test
 * that sends a scripted answer (no network): states, summaries, perfdata,
 * -r/-P, -w/-c, lines before the identification, non-SSH answers and
 * usage errors, one table row each.
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

#include "check_ssh.h"
#include "msp_runtime.h"
#include "msp_test.h"

static void test_ssh__parse(void **state)
{
	struct check_ssh_ident id;

	(void)state;
	memset(&id, 0, sizeof(id));
	assert_int_equal(check_ssh_parse("SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n", 32, &id), 0);
	assert_true(id.found);
	assert_string_equal(id.proto, "2.0");
	assert_string_equal(id.software, "OpenSSH_9.2p1 Debian-2");
	/* lines before the identification (RFC 4253 4.2), a bare LF */
	assert_int_equal(check_ssh_parse("hello\r\nworld\nSSH-1.99-Foo\n", 26, &id), 0);
	assert_true(id.found);
	assert_string_equal(id.proto, "1.99");
	assert_string_equal(id.software, "Foo");
	/* not yet a whole line: more is needed */
	assert_int_equal(check_ssh_parse("SSH-2.0-Open", 12, &id), 1);
	/* lines but no identification yet: more is needed, the first line is kept */
	assert_int_equal(check_ssh_parse("220 mail ESMTP\r\n", 16, &id), 1);
	assert_false(id.found);
	assert_string_equal(id.first, "220 mail ESMTP");
	/* malformed identification lines decide: not found, the line is the answer */
	assert_int_equal(check_ssh_parse("SSH-2.0\r\n", 9, &id), 0);
	assert_false(id.found);
	assert_string_equal(id.first, "SSH-2.0");
	assert_int_equal(check_ssh_parse("SSH-x.y-Foo\r\n", 13, &id), 0);
	assert_false(id.found);
	assert_int_equal(check_ssh_parse("SSH-2.0-\r\n", 10, &id), 0);
	assert_false(id.found);
	/* control bytes from the server never reach the output */
	assert_int_equal(check_ssh_parse("SSH-2.0-Foo\x1b[2J\r\n", 17, &id), 0);
	assert_string_equal(id.software, "Foo?[2J");
}

/* A unix-socket peer: a child that accepts one connection, sends answer, reads until the client closes. */
static pid_t peer_start(const char *path, const char *answer)
{
	int fd = msp_test_unix_listen(path);
	pid_t pid;

	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		int c = accept(fd, NULL, NULL);
		char buf[512];

		if (answer && !answer[0])
			_exit(0); /* "": closes at once */
		if (c >= 0 && answer && write(c, answer, strlen(answer)) < 0)
			_exit(1);
		while (c >= 0 && answer && read(c, buf, sizeof(buf)) > 0)
			;
		if (!answer)
			sleep(30); /* never answers */
		_exit(0);
	}
	close(fd);
	return pid;
}

static void peer_stop(pid_t pid, const char *path)
{
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	unlink(path);
}

struct peer_row {
	const char *answer; /* NULL: never answers */
	const char *args[8];
	enum msp_state state;
	const char *line1;
};

static void test_ssh__runs(void **state)
{
	static const struct peer_row rows[] = {
		{ "SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n",
		  { NULL },
		  MSP_STATE_OK,
		  "^SSH OK - OpenSSH_9\\.2p1 Debian-2 \\(protocol 2\\.0\\) \\| time=[0-9]\\.[0-9]{6}s;;;0\\.000000;10\\.000000$" },
		{ "banner one\r\nbanner two\r\nSSH-2.0-Foo_1\r\n",
		  { NULL },
		  MSP_STATE_OK,
		  "^SSH OK - Foo_1 \\(protocol 2\\.0\\) \\| time=" },
		{ "SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n", { "-r", "OpenSSH_9.2p1 Debian-2" }, MSP_STATE_OK, "^SSH OK - " },
		{ "SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n",
		  { "-r", "OpenSSH_9.2p1" },
		  MSP_STATE_CRITICAL,
		  "^SSH CRITICAL - OpenSSH_9\\.2p1 Debian-2 \\(protocol 2\\.0\\) version mismatch, expected "
		  "'OpenSSH_9\\.2p1'$" },
		{ "SSH-2.0-Foo\r\n", { "-P", "2.0" }, MSP_STATE_OK, "^SSH OK - Foo \\(protocol 2\\.0\\)" },
		{ "SSH-1.99-Foo\r\n",
		  { "-P", "2.0" },
		  MSP_STATE_CRITICAL,
		  "^SSH CRITICAL - Foo \\(protocol 1\\.99\\) protocol version mismatch, expected '2\\.0'$" },
		{ "SSH-2.0-Foo\r\n",
		  { "-w", "0", "-c", "100" },
		  MSP_STATE_WARNING,
		  "^SSH WARNING - Foo \\(protocol 2\\.0\\) \\| time=[0-9.]+s;0\\.000000;100\\.000000;0\\.000000;10\\.000000$" },
		{ "SSH-2.0-Foo\r\n",
		  { "-c", "0", "-t", "5" },
		  MSP_STATE_CRITICAL,
		  "time=[0-9.]+s;;0\\.000000;0\\.000000;5\\.000000$" },
		{ "220 mail.example ESMTP\r\n",
		  { "-t", "5" },
		  MSP_STATE_CRITICAL,
		  "^SSH CRITICAL - Server answer: 220 mail\\.example ESMTP$" },
		{ "SSH-2.0\r\n", { NULL }, MSP_STATE_CRITICAL, "^SSH CRITICAL - Server answer: SSH-2\\.0$" },
		{ "", { NULL }, MSP_STATE_CRITICAL, "^SSH CRITICAL - No data received from host$" },
		{ NULL,
		  { "-t", "1" },
		  MSP_STATE_CRITICAL,
		  "^SSH CRITICAL - timed out waiting for 'unix:.*' to send its identification$" },
		{ NULL, { "-t", "1:warning" }, MSP_STATE_WARNING, "^SSH WARNING - timed out waiting for " },
	};
	char path[64];

	(void)state;
	snprintf(path, sizeof(path), "/tmp/msp-test-ssh-%ld.sock", (long)getpid());
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		const char *args[16] = { "-H", path };
		struct check_ssh_config cfg;
		enum msp_state st;
		pid_t pid = peer_start(path, rows[i].answer);
		char *out;
		size_t n = 2;
		bool ok;

		for (size_t j = 0; rows[i].args[j]; j++)
			args[n++] = rows[i].args[j];
		msp_g_start = 0; /* each run's deadline counts from its own start */
		out = msp_test_run(msp_test_plugin, &cfg, sizeof(cfg), args, MSP_FORMAT_NAGIOS, &st);
		peer_stop(pid, path);
		ok = st == rows[i].state && msp_test_match(out, rows[i].line1);
		if (!ok)
			print_error("row %zu: state %d, output: %s", i, (int)st, out);
		free(out);
		assert_true(ok);
	}
}

static void test_ssh__usage(void **state)
{
	static const struct msp_test_case rows[] = {
		{ { NULL },
		  MSP_STATE_UNKNOWN,
		  "^SSH UNKNOWN - missing host: give -H ADDRESS or the host as an argument$" },
		{ { "-H", "" }, MSP_STATE_UNKNOWN, "^SSH UNKNOWN - option '-H' is empty$" },
		{ { "-H", "h", "stray" }, MSP_STATE_UNKNOWN, "^SSH UNKNOWN - unexpected argument 'stray'$" },
		{ { "-H", "h", "-p", "0" }, MSP_STATE_UNKNOWN, "^SSH UNKNOWN - " },
		{ { "-H", "h", "-p", "65536" }, MSP_STATE_UNKNOWN, "^SSH UNKNOWN - " },
		{ { "-H", "h", "-w", "abc" }, MSP_STATE_UNKNOWN, "^SSH UNKNOWN - " },
		{ { "/nonexistent/msp-ssh.sock" }, MSP_STATE_CRITICAL, "^SSH CRITICAL - cannot connect to " },
	};
	struct check_ssh_config cfg;

	(void)state;
	msp_test_cases(msp_test_plugin, &cfg, sizeof(cfg), rows, sizeof(rows) / sizeof(rows[0]));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ssh__parse),
		cmocka_unit_test(test_ssh__runs),
		cmocka_unit_test(test_ssh__usage),
	};

	signal(SIGPIPE, SIG_IGN);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
