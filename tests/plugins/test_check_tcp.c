/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test_check_tcp.c - check_tcp run whole (real option parser, finish, probe,
 * nagios rendering) against a banner server on 127.0.0.1 run in a thread of
 * the test, its alias names through the same table, and the pure parts
 * (-E escapes, expect matching, certificate days) on samples.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <unistd.h>
#include <setjmp.h>
#include <cmocka.h>

#include "check_tcp.h"
#include "msp_test.h"

/* ------------------------------------------------------------ the banner server */

static int g_lfd = -1;
static char g_port[16];
static const char *g_banner = "220 msp ready\r\n";
static char g_got[1024]; /* what the last client sent, until it closed */
static size_t g_got_len;
static pthread_mutex_t g_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_t g_thread;

static void *serve(void *arg)
{
	(void)arg;
	for (;;) {
		struct timeval tv = { 5, 0 };
		char buf[256], got[1024];
		size_t n = 0;
		ssize_t k;
		int fd = accept(g_lfd, NULL, NULL);

		if (fd < 0)
			return NULL;
		setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
		(void)!write(fd, g_banner, strlen(g_banner));
		while ((k = read(fd, buf, sizeof(buf))) > 0 && n + (size_t)k < sizeof(got)) {
			memcpy(got + n, buf, (size_t)k);
			n += (size_t)k;
		}
		pthread_mutex_lock(&g_lock);
		memcpy(g_got, got, n);
		g_got_len = n;
		pthread_mutex_unlock(&g_lock);
		close(fd);
	}
}

static int setup(void **state)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t sl = sizeof(sa);

	(void)state;
	g_lfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (g_lfd < 0 || bind(g_lfd, (struct sockaddr *)&sa, sizeof(sa)) != 0 || listen(g_lfd, 16) != 0 ||
	    getsockname(g_lfd, (struct sockaddr *)&sa, &sl) != 0)
		return -1;
	snprintf(g_port, sizeof(g_port), "%u", (unsigned)ntohs(sa.sin_port));
	return pthread_create(&g_thread, NULL, serve, NULL) == 0 ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	shutdown(g_lfd, SHUT_RDWR);
	pthread_join(g_thread, NULL);
	close(g_lfd);
	return 0;
}

/* A port on 127.0.0.1 nothing listens on. */
static const char *closed_port(void)
{
	static char port[16];
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t sl = sizeof(sa);
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&sa, &sl), 0);
	snprintf(port, sizeof(port), "%u", (unsigned)ntohs(sa.sin_port));
	close(fd);
	return port;
}

/* The plugin under another installed name (the runner passes argv[0]'s name as ctx->plugin). */
static const struct msp_plugin *as(const char *name)
{
	static struct msp_plugin p;
	const struct check_tcp_service *svc = check_tcp_service_for(name);

	p = *msp_test_plugin;
	p.name = svc->name;
	p.service = svc->service;
	return &p;
}

/* ------------------------------------------------------------ whole runs */

static void test_tcp__runs_against_a_banner(void **state)
{
	const char *P = g_port, *C = closed_port();
	const struct msp_test_case rows[] = {
		{ { "-H", "127.0.0.1", "-p", P },
		  MSP_STATE_OK,
		  "^TCP OK - [0-9]\\.[0-9]{3} second response time on 127\\.0\\.0\\.1 port [0-9]+\\|time=[0-9]+\\.[0-9]{6}s;;;0\\.000000;10\\.000000$" },
		{ { "-H", "127.0.0.1", "-p", P, "-e", "220" },
		  MSP_STATE_OK,
		  "^TCP OK - [0-9.]+ second response time on 127\\.0\\.0\\.1 port [0-9]+ \\[220 msp ready\\]\\|time=" },
		{ { "-H", "127.0.0.1", "-p", P, "-e", "ready", "-j" }, MSP_STATE_OK, "port [0-9]+\\|time=" },
		{ { "-H", "localhost", "-p", P, "-4", "-e", "" },
		  MSP_STATE_OK,
		  "on localhost port [0-9]+ \\[220 msp ready\\]" },
		{ { "-H", "127.0.0.1", "-p", P, "-e", "nope", "-e", "msp" }, MSP_STATE_OK, NULL },
		{ { "-H", "127.0.0.1", "-p", P, "-e", "nope", "-e", "msp", "-A" },
		  MSP_STATE_WARNING,
		  "^TCP WARNING - Unexpected response from host/socket: 220 msp ready\\|time=" },
		{ { "-H", "127.0.0.1", "-p", P, "-e", "nope", "-M", "crit", "-t", "3" },
		  MSP_STATE_CRITICAL,
		  "^TCP CRITICAL - Unexpected response from host/socket: 220 msp ready\\|time=[0-9.]+s;;;0\\.000000;3\\.000000$" },
		{ { "-H", "127.0.0.1", "-p", P, "-e", "nope", "-M", "ok" },
		  MSP_STATE_OK,
		  "^TCP OK - Unexpected response " },
		{ { "-H", "127.0.0.1", "-p", P, "-w", "0", "-c", "5" },
		  MSP_STATE_WARNING,
		  "time=[0-9.]+s;0\\.000000;5\\.000000;0\\.000000;10\\.000000$" },
		{ { "-H", "127.0.0.1", "-p", P, "-c", "0" },
		  MSP_STATE_CRITICAL,
		  "time=[0-9.]+s;;0\\.000000;0\\.000000;" },
		{ { "-H", "127.0.0.1", "-p", C },
		  MSP_STATE_CRITICAL,
		  "^TCP CRITICAL - connect to address 127\\.0\\.0\\.1 and port [0-9]+: Connection refused$" },
		{ { "-H", "127.0.0.1", "-p", C, "-r", "ok" }, MSP_STATE_OK, "^TCP OK - connect to address " },
		{ { "-H", "127.0.0.1", "-p", C, "-r", "warn" }, MSP_STATE_WARNING, NULL },
		{ { "-H", "127.0.0.1", "-p", P, "-6" },
		  MSP_STATE_CRITICAL,
		  "^TCP CRITICAL - cannot resolve '127\\.0\\.0\\.1': " },
		{ { "-H", "/nonexistent/msp.sock" },
		  MSP_STATE_CRITICAL,
		  "^TCP CRITICAL - connect to socket /nonexistent/msp\\.sock: No such file or directory$" },
		/* argument errors */
		{ { "-H", "127.0.0.1" }, MSP_STATE_UNKNOWN, "^TCP UNKNOWN - no port given: use -p PORT$" },
		{ { "-p", P }, MSP_STATE_UNKNOWN, "^TCP UNKNOWN - no host given: use -H HOST$" },
		{ { "-H", "127.0.0.1", "-p", "0" }, MSP_STATE_UNKNOWN, NULL },
		{ { "-H", "127.0.0.1", "-p", "abc" }, MSP_STATE_UNKNOWN, NULL },
		{ { "-H", "127.0.0.1", "-p", P, "-r", "foo" }, MSP_STATE_UNKNOWN, NULL },
		{ { "-H", "127.0.0.1", "-p", P, "-M", "foo" }, MSP_STATE_UNKNOWN, NULL },
		{ { "-H", "127.0.0.1", "-p", P, "-w", "abc" }, MSP_STATE_UNKNOWN, NULL },
		{ { "-H", "127.0.0.1", "-p", P, "-D", "x" }, MSP_STATE_UNKNOWN, "^TCP UNKNOWN - invalid -D 'x': " },
		{ { "-H", "127.0.0.1", "-p", P, "stray" }, MSP_STATE_UNKNOWN, "unexpected argument 'stray'" },
	};
	struct check_tcp_config cfg;

	(void)state;
	msp_test_cases(msp_test_plugin, &cfg, sizeof(cfg), rows, sizeof(rows) / sizeof(rows[0]));
}

/* A TLS handshake with a plain-text server: CRITICAL with the reason, never OK. */
static void test_tcp__tls_to_a_plain_server_is_critical(void **state)
{
	const struct msp_test_case rows[] = {
		{ { "-H", "127.0.0.1", "-p", g_port, "-S" },
		  MSP_STATE_CRITICAL,
		  "^TCP CRITICAL - TLS handshake with '127\\.0\\.0\\.1:[0-9]+' failed: wrong version number$" },
		{ { "-H", "127.0.0.1", "-p", g_port, "-D", "30,10" },
		  MSP_STATE_CRITICAL,
		  "^TCP CRITICAL - TLS handshake " },
	};
	struct check_tcp_config cfg;

	(void)state;
	msp_test_cases(msp_test_plugin, &cfg, sizeof(cfg), rows, sizeof(rows) / sizeof(rows[0]));
}

/* The alias names: their port, expect (at the start of the answer), quit and service word. */
static void test_tcp__alias_names(void **state)
{
	const struct msp_test_case ftp[] = {
		{ { "-H", "127.0.0.1", "-p", g_port },
		  MSP_STATE_OK,
		  "^FTP OK - [0-9.]+ second response time on 127\\.0\\.0\\.1 port [0-9]+ \\[220 msp ready\\]\\|" },
		{ { "-H", "127.0.0.1", "-p", g_port, "-e", "ready" }, MSP_STATE_OK, NULL },
		{ { "-H", "127.0.0.1", "-p", g_port, "-e", "foo" }, MSP_STATE_WARNING, "^FTP WARNING - Unexpected " },
	};
	const struct msp_test_case pop[] = {
		{ { "-H", "127.0.0.1", "-p", g_port },
		  MSP_STATE_WARNING,
		  "^POP WARNING - Unexpected response from host/socket: 220 msp ready\\|" },
	};
	const struct msp_test_case udp[] = {
		{ { "-H", "127.0.0.1", "-p", g_port },
		  MSP_STATE_UNKNOWN,
		  "^UDP UNKNOWN - with UDP checks, give a send \\(-s\\) and an expect \\(-e\\) string$" },
	};
	struct check_tcp_config cfg;

	(void)state;
	msp_test_cases(as("check_ftp"), &cfg, sizeof(cfg), ftp, sizeof(ftp) / sizeof(ftp[0]));
	pthread_mutex_lock(&g_lock);
	g_got_len = 0;
	pthread_mutex_unlock(&g_lock);
	msp_test_cases(as("/usr/lib/nagios/plugins/check_pop"), &cfg, sizeof(cfg), pop, 1);
	msp_test_cases(as("check_udp"), &cfg, sizeof(cfg), udp, 1);

	msp_test_configure_ok(as("check_imap"), &cfg, sizeof(cfg), MSP_ARGS("-H", "h"));
	assert_int_equal(cfg.port, 143);
	assert_string_equal(cfg.quit, "a1 LOGOUT\r\n");
	assert_true(cfg.prefix_match);
	assert_string_equal(cfg.expects[0], "* OK");
	msp_test_configure_ok(as("check_simap"), &cfg, sizeof(cfg), MSP_ARGS("-H", "h"));
	assert_int_equal(cfg.port, 993);
	assert_true(cfg.ssl);
	msp_test_configure_ok(as("check_nntps"), &cfg, sizeof(cfg), MSP_ARGS("-H", "h", "-p", "1563"));
	assert_int_equal(cfg.port, 1563);
	assert_int_equal(cfg.nexpects, 2);
	msp_test_configure_ok(as("check_jabber"), &cfg, sizeof(cfg), MSP_ARGS("-H", "h"));
	assert_true(cfg.jail);
	assert_int_equal(cfg.port, 5222);
	assert_non_null(strstr(cfg.send, "<stream:stream to='host'"));
	msp_test_configure_ok(as("check_clamd"), &cfg, sizeof(cfg), MSP_ARGS("-H", "h"));
	assert_string_equal(cfg.send, "PING");
	assert_int_equal(cfg.quit_len, 0);
	msp_test_configure_ok(as("check_ssmtp"), &cfg, sizeof(cfg), MSP_ARGS("-H", "h", "-q", "BYE"));
	assert_string_equal(cfg.quit, "BYE\r\n");
	assert_int_equal(cfg.port, 465);
	assert_true(check_tcp_service_for("check_nonsense") == &check_tcp_services[0]);
	assert_true(check_tcp_service_for(NULL) == &check_tcp_services[0]);
}

/* -s and -q reach the server; -E applies to both wherever it is given, -q without it ends in \r\n. */
static void test_tcp__send_and_quit_strings(void **state)
{
	struct check_tcp_config cfg;
	enum msp_state st;
	char *out;

	(void)state;
	out = msp_test_run(msp_test_plugin, &cfg, sizeof(cfg),
			   MSP_ARGS("-H", "127.0.0.1", "-p", g_port, "-s", "a\\n", "-E", "-q", "b\\r\\n", "-e", "220"),
			   MSP_FORMAT_NAGIOS, &st);
	assert_int_equal(st, MSP_STATE_OK);
	free(out);
	usleep(100 * 1000);
	pthread_mutex_lock(&g_lock);
	assert_int_equal(g_got_len, 5);
	assert_memory_equal(g_got, "a\nb\r\n", 5);
	pthread_mutex_unlock(&g_lock);
	msp_test_configure_ok(msp_test_plugin, &cfg, sizeof(cfg), MSP_ARGS("-H", "h", "-p", "1", "-q", "bye"));
	assert_string_equal(cfg.quit, "bye\r\n");
	msp_test_configure_ok(msp_test_plugin, &cfg, sizeof(cfg), MSP_ARGS("-H", "h", "-p", "1", "-s", "x\\ty", "-E"));
	assert_string_equal(cfg.send, "x\ty");
	msp_test_configure_ok(msp_test_plugin, &cfg, sizeof(cfg), MSP_ARGS("-H", "h", "-p", "1", "-s", "x\\ty"));
	assert_string_equal(cfg.send, "x\\ty");
}

/* ------------------------------------------------------------ pure parts */

static void test_tcp__unescape(void **state)
{
	char buf[16];

	(void)state;
	assert_int_equal(check_tcp_unescape("a\\nb\\r\\t\\\\c\\x", buf, sizeof(buf)), 9);
	assert_string_equal(buf, "a\nb\r\t\\c\\x");
	assert_int_equal(check_tcp_unescape("0123456789abcdef", buf, sizeof(buf)), -1);
}

static void test_tcp__match(void **state)
{
	static const char *const two[] = { "200", "201", NULL };
	struct check_tcp_config cfg;

	(void)state;
	memset(&cfg, 0, sizeof(cfg));
	cfg.expects = two;
	cfg.nexpects = 2;
	cfg.prefix_match = true;
	assert_int_equal(check_tcp_match(&cfg, "201 news", 8), 1);
	assert_int_equal(check_tcp_match(&cfg, "20", 2), -1); /* too short to say */
	assert_int_equal(check_tcp_match(&cfg, "500 no", 6), 0);
	assert_int_equal(check_tcp_match(&cfg, "x 200", 5), 0); /* not at the start */
	cfg.prefix_match = false;
	assert_int_equal(check_tcp_match(&cfg, "x 200", 5), 1);
	assert_int_equal(check_tcp_match(&cfg, "x 20", 4), -1); /* may still come */
	cfg.all = true;
	assert_int_equal(check_tcp_match(&cfg, "200 then 201", 12), 1);
	assert_int_equal(check_tcp_match(&cfg, "200 only", 8), -1);
	cfg.prefix_match = true;
	assert_int_equal(check_tcp_match(&cfg, "200 only", 8), 0); /* 201 can no longer start it */
	cfg.nexpects = 0;
	assert_int_equal(check_tcp_match(&cfg, "", 0), 1);
}

static char *eval_line(const struct check_tcp_config *cfg, const struct check_tcp_sample *s, double now)
{
	struct msp_result *root = msp_result_new();
	char *out;

	assert_int_equal(check_tcp_evaluate(cfg, s, now, root), 0);
	out = msp_test_render(msp_test_plugin, root, MSP_FORMAT_NAGIOS);
	msp_result_free(root);
	return out;
}

/* -D: the reference's verdicts, days counted from `now`. */
static void test_tcp__certificate_days(void **state)
{
	struct check_tcp_config cfg;
	struct check_tcp_sample s;
	double now = 1800000000; /* 2027-01-15 08:00 UTC */
	char *out;

	(void)state;
	setenv("TZ", "UTC", 1);
	tzset();
	msp_test_configure_ok(msp_test_plugin, &cfg, sizeof(cfg), MSP_ARGS("-H", "h", "-p", "1", "-D", "20,15"));
	assert_true(cfg.ssl && cfg.check_cert);
	memset(&s, 0, sizeof(s));
	s.have_cert = true;
	snprintf(s.cert.cn, sizeof(s.cert.cn), "www.example.com");
	s.cert.not_after = now + 9.5 * 86400;
	out = eval_line(&cfg, &s, now);
	assert_string_equal(out, "TCP CRITICAL - Certificate 'www.example.com' expires in 9 day(s) "
				 "(Sun Jan 24 20:00:00 2027 +0000).\n");
	free(out);
	cfg.days_crit = 5;
	out = eval_line(&cfg, &s, now);
	assert_true(msp_test_match(out, "^TCP WARNING - Certificate 'www.example.com' expires in 9 day\\(s\\) "));
	free(out);
	s.cert.not_after = now + 5 * 3600;
	out = eval_line(&cfg, &s, now);
	assert_true(msp_test_match(out, "^TCP CRITICAL - Certificate 'www.example.com' expires in 5 hour\\(s\\) "));
	free(out);
	s.cert.not_after = now - 60;
	out = eval_line(&cfg, &s, now);
	assert_true(msp_test_match(out, "^TCP CRITICAL - Certificate 'www.example.com' expired on "));
	free(out);
	s.cert.not_after = now + 100 * 86400;
	s.cert.cn[0] = '\0';
	s.elapsed = 0.0123;
	out = eval_line(&cfg, &s, now);
	assert_string_equal(out, "TCP OK - 0.012 second response time on h port 1|time=0.012300s;;;0.000000;10.000000\n"
				 "OK - Certificate 'Unknown CN' will expire on Sun Apr 25 08:00:00 2027 +0000.\n");
	free(out);
}

/* The answer shown on one line: control characters as blanks, cut at 512 bytes; an empty answer is CRITICAL. */
static void test_tcp__answer_shown_safely(void **state)
{
	struct check_tcp_config cfg;
	struct check_tcp_sample s;
	char big[2000];
	char *out;

	(void)state;
	msp_test_configure_ok(msp_test_plugin, &cfg, sizeof(cfg), MSP_ARGS("-H", "h", "-p", "1", "-e", "zz"));
	memset(&s, 0, sizeof(s));
	s.read = true;
	s.answer = "line1\r\nline2\x01|x\r\n";
	s.answer_len = strlen(s.answer);
	out = eval_line(&cfg, &s, 0);
	assert_true(
		msp_test_match(out, "^TCP WARNING - Unexpected response from host/socket: line1 line2 [^ ]x\\|time="));
	assert_null(strchr(out, '\x01'));
	free(out);
	memset(big, 'a', sizeof(big));
	s.answer = big;
	s.answer_len = sizeof(big);
	out = eval_line(&cfg, &s, 0);
	assert_true(msp_test_match(out, "socket: a{512}\\.\\.\\.\\|time="));
	free(out);
	s.answer_len = 0;
	out = eval_line(&cfg, &s, 0);
	assert_string_equal(out, "TCP CRITICAL - No data received from host\n");
	free(out);
	/* a timeout takes the -t state */
	s.outcome = CHECK_TCP_TIMEOUT;
	snprintf(s.reason, sizeof(s.reason), "name lookup of 'x.example' timed out");
	cfg.timeout_state = MSP_STATE_WARNING;
	out = eval_line(&cfg, &s, 0);
	assert_string_equal(out, "TCP WARNING - name lookup of 'x.example' timed out\n");
	free(out);
	msp_list_release(&cfg.expect);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tcp__runs_against_a_banner),
		cmocka_unit_test(test_tcp__tls_to_a_plain_server_is_critical),
		cmocka_unit_test(test_tcp__alias_names),
		cmocka_unit_test(test_tcp__send_and_quit_strings),
		cmocka_unit_test(test_tcp__unescape),
		cmocka_unit_test(test_tcp__match),
		cmocka_unit_test(test_tcp__certificate_days),
		cmocka_unit_test(test_tcp__answer_shown_safely),
	};

	signal(SIGPIPE, SIG_IGN);
	return cmocka_run_group_tests(tests, setup, teardown);
}
