/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test_check_ping.c - check_ping's pure parts: the -w/-c pairs and the
 * usage errors through the real option parser, the judgement and the
 * reference's line 1 for given samples, the ICMP packets it builds and
 * the replies it accepts (and the ones it must not), the pacing.  The
 * probe itself runs in tests/integration/check_ping.sh (a private network
 * namespace).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <setjmp.h>
#include <cmocka.h>
#include <netinet/icmp6.h>
#include <netinet/ip_icmp.h>

#include "check_ping.h"
#include "msp_test.h"

static void release(void *vcfg)
{
	struct check_ping_config *cfg = vcfg;

	msp_list_release(&cfg->hosts);
}

static void test_ping__usage_errors(void **state)
{
	static const struct msp_test_case rows[] = {
		{ { "-w", "100,20%", "-c", "500,60%" }, MSP_STATE_UNKNOWN, "^PING UNKNOWN - missing host: give -H HOST$" },
		{ { "-H", "x", "-c", "500,60%" }, MSP_STATE_UNKNOWN, "^PING UNKNOWN - missing thresholds: " },
		{ { "-H", "x", "-w", "100,20%", "-c", "500" }, MSP_STATE_UNKNOWN,
		  "^PING UNKNOWN - missing packet loss: give it in -c \\(RTA,PL%\\)$" },
		{ { "-H", "x", "-w", "20%", "-c", "60%" }, MSP_STATE_UNKNOWN,
		  "^PING UNKNOWN - missing round trip average: give it in -w" },
		{ { "-H", "x", "-w", "100,20", "-c", "500,60%" }, MSP_STATE_UNKNOWN,
		  "^PING UNKNOWN - invalid -w '100,20': give RTA,PL% " },
		{ { "-H", "x", "-w", "100,200%", "-c", "500,300%" }, MSP_STATE_UNKNOWN, "^PING UNKNOWN - invalid -w " },
		{ { "-H", "x", "-w", "-1,20%", "-c", "500,60%" }, MSP_STATE_UNKNOWN, "^PING UNKNOWN - invalid -w " },
		{ { "-H", "x", "-w", "abc", "-c", "500,60%" }, MSP_STATE_UNKNOWN, "^PING UNKNOWN - invalid -w 'abc'" },
		{ { "-H", "x", "-w", "100,20%", "-c", "50,60%" }, MSP_STATE_UNKNOWN,
		  "^PING UNKNOWN - warning threshold --warning '100,20%' is beyond critical threshold --critical '50,60%'$" },
		{ { "-H", "x", "-w", "100,80%", "-c", "500,60%" }, MSP_STATE_UNKNOWN,
		  "^PING UNKNOWN - warning threshold --warning '100,80%' is beyond critical threshold --critical '500,60%'$" },
		{ { "-H", "x", "-w", "100,20%", "-c", "500,60%", "-p", "0" }, MSP_STATE_UNKNOWN, "^PING UNKNOWN - .*-p" },
		{ { "-H", "x", "-w", "100,20%", "-c", "500,60%", "stray" }, MSP_STATE_UNKNOWN,
		  "^PING UNKNOWN - unexpected argument 'stray'" },
	};
	struct check_ping_config cfg;

	(void)state;
	msp_test_cases_release(msp_test_plugin, &cfg, sizeof(cfg), rows, sizeof(rows) / sizeof(rows[0]), release);
}

static void test_ping__pairs(void **state)
{
	struct check_ping_pair p;
	struct msp_error err = { 0 };

	(void)state;
	assert_int_equal(check_ping_parse_pair("-w", "100,20%", &p, &err), 0);
	assert_true(p.rta == 100.0 && p.pl == 20);
	assert_int_equal(check_ping_parse_pair("-w", "1.5:0%", &p, &err), 0);
	assert_true(p.rta == 1.5 && p.pl == 0);
	assert_int_equal(check_ping_parse_pair("-w", "250", &p, &err), 0);
	assert_true(p.rta == 250.0 && p.pl == -1);
	assert_int_equal(check_ping_parse_pair("-w", "100%", &p, &err), 0);
	assert_true(p.rta < 0 && p.pl == 100);
	assert_int_equal(check_ping_parse_pair("-w", "", &p, &err), MSP_EINVAL);
	assert_int_equal(check_ping_parse_pair("-w", "1,101%", &p, &err), MSP_EINVAL);
	assert_int_equal(check_ping_parse_pair("-w", "1,%", &p, &err), MSP_EINVAL);
	assert_int_equal(check_ping_parse_pair("-w", "nan,5%", &p, &err), MSP_EINVAL);
	assert_int_equal(check_ping_parse_pair("-w", "1e999,5%", &p, &err), MSP_EINVAL);
}

/* Evaluate a sample with thresholds -w 100,20% -c 500,60%; line 1 as the runner renders it. */
static char *judge(const struct check_ping_sample *s, size_t n, const char *const *args, enum msp_state *st)
{
	struct check_ping_config cfg;
	struct msp_result *root = msp_result_new();
	char *out;

	msp_test_configure_ok(msp_test_plugin, &cfg, sizeof(cfg), args);
	assert_int_equal(check_ping_evaluate(&cfg, s, n, root), 0);
	*st = msp_result_state(root);
	out = msp_test_render(msp_test_plugin, root, MSP_FORMAT_NAGIOS);
	msp_result_free(root);
	msp_list_release(&cfg.hosts);
	return out;
}

static void test_ping__judgement(void **state)
{
	static const struct {
		struct check_ping_sample s;
		enum msp_state st;
		const char *out;
	} rows[] = {
		{ { "h", "127.0.0.1", 5, 5, 0.4, 0.05, 0.1, CHECK_PING_ANSWERED }, MSP_STATE_OK,
		  "PING OK - Packet loss = 0%, RTA = 0.08 ms|rta=0.080000ms;100.000000;500.000000;0.000000 pl=0%;20;60;0;\n" },
		{ { "h", "127.0.0.1", 5, 4, 400, 100, 100, CHECK_PING_ANSWERED }, MSP_STATE_WARNING,
		  "PING WARNING - Packet loss = 20%, RTA = 100.00 ms|rta=100.000000ms;100.000000;500.000000;0.000000 "
		  "pl=20%;20;60;0;\n" },
		{ { "h", "127.0.0.1", 5, 2, 2, 1, 1, CHECK_PING_ANSWERED }, MSP_STATE_CRITICAL,
		  "PING CRITICAL - Packet loss = 60%, RTA = 1.00 ms|rta=1.000000ms;100.000000;500.000000;0.000000 "
		  "pl=60%;20;60;0;\n" },
		{ { "h", "127.0.0.1", 3, 3, 1500, 500, 500, CHECK_PING_ANSWERED }, MSP_STATE_CRITICAL,
		  "PING CRITICAL - Packet loss = 0%, RTA = 500.00 ms|rta=500.000000ms;100.000000;500.000000;0.000000 "
		  "pl=0%;20;60;0;\n" },
		{ { "h", "127.0.0.1", 5, 0, 0, 0, 0, CHECK_PING_ANSWERED }, MSP_STATE_CRITICAL,
		  "PING CRITICAL - Packet loss = 100%| rta=U;100.000000;500.000000;; pl=100%;20;60;0;\n" },
		{ { "10.1.2.3", "10.1.2.3", 0, 0, 0, 0, 0, CHECK_PING_NET_UNREACH }, MSP_STATE_CRITICAL,
		  "PING CRITICAL - Network Unreachable (10.1.2.3)\n" },
		{ { "h", "10.1.2.3", 2, 0, 0, 0, 0, CHECK_PING_HOST_UNREACH }, MSP_STATE_CRITICAL,
		  "PING CRITICAL - Host Unreachable (h)\n" },
		/* one reply of three: 66% loss, integer percent as ping(8) prints it */
		{ { "h", "::1", 3, 1, 0.2, 0.2, 0.2, CHECK_PING_ANSWERED }, MSP_STATE_CRITICAL,
		  "PING CRITICAL - Packet loss = 66%, RTA = 0.20 ms|rta=0.200000ms;100.000000;500.000000;0.000000 "
		  "pl=66%;20;60;0;\n" },
	};
	enum msp_state st;

	(void)state;
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		char *out = judge(&rows[i].s, 1, MSP_ARGS("-H", "h", "-w", "100,20%", "-c", "500,60%"), &st);

		if (strcmp(out, rows[i].out) != 0 || st != rows[i].st)
			fail_msg("row %zu: state %d, got\n%s\nwanted\n%s", i, (int)st, out, rows[i].out);
		free(out);
	}
}

static void test_ping__several_hosts(void **state)
{
	const struct check_ping_sample s[] = {
		{ "a", "10.1.2.3", 0, 0, 0, 0, 0, CHECK_PING_NET_UNREACH },
		{ "b", "127.0.0.2", 5, 0, 0, 0, 0, CHECK_PING_ANSWERED },
		{ "c", "127.0.0.1", 5, 1, 0.1, 0.1, 0.1, CHECK_PING_ANSWERED },
	};
	const char *const *args = MSP_ARGS("-H", "a", "-H", "b", "-H", "c", "-w", "1,1%", "-c", "2,2%");
	enum msp_state st;
	char *out;

	(void)state;
	out = judge(s, 3, args, &st);
	assert_string_equal(out, "PING OK - c is alive\n");
	assert_int_equal(st, MSP_STATE_OK);
	free(out);
	/* none answered: CRITICAL naming each, never "alive" */
	out = judge(s, 2, args, &st);
	assert_int_equal(st, MSP_STATE_CRITICAL);
	assert_string_equal(out, "PING CRITICAL - no host answered (2 tried)\na: Network Unreachable\n"
				 "b: Packet loss = 100%\n");
	free(out);
}

static void test_ping__packets(void **state)
{
	const unsigned char cookie[CHECK_PING_COOKIE] = "cookie!";
	unsigned char pkt[8 + CHECK_PING_PAYLOAD], ip[20 + sizeof(pkt)];
	struct check_ping_reply rep;
	size_t len;

	(void)state;
	len = check_ping_build_echo(pkt, false, 0x1234, 7, cookie);
	assert_int_equal(len, 64);
	assert_int_equal(pkt[0], ICMP_ECHO);
	/* the checksum makes the ones' complement sum 0xffff */
	{
		unsigned sum = 0;

		for (size_t i = 0; i < len; i += 2)
			sum += (unsigned)(pkt[i] << 8 | pkt[i + 1]);
		while (sum >> 16)
			sum = (sum & 0xffff) + (sum >> 16);
		assert_int_equal(sum, 0xffff);
	}
	/* our own request is not a reply */
	assert_int_equal(check_ping_parse_icmp(pkt, len, false, false, true, 0x1234, cookie, &rep), 0);
	assert_false(rep.echo_reply);
	pkt[0] = ICMP_ECHOREPLY;
	assert_int_equal(check_ping_parse_icmp(pkt, len, false, false, true, 0x1234, cookie, &rep), 0);
	assert_true(rep.echo_reply);
	assert_int_equal(rep.seq, 7);
	/* another process's echo (other id) or another run's (other cookie) */
	assert_int_equal(check_ping_parse_icmp(pkt, len, false, false, true, 0x1235, cookie, &rep), 0);
	assert_false(rep.echo_reply);
	assert_int_equal(check_ping_parse_icmp(pkt, len, false, false, true, 0x1234, (const unsigned char *)"other!!",
					       &rep),
			 0);
	assert_false(rep.echo_reply);
	/* raw IPv4: the IP header first (IHL 5) */
	memset(ip, 0, 20);
	ip[0] = 0x45;
	memcpy(ip + 20, pkt, len);
	assert_int_equal(check_ping_parse_icmp(ip, 20 + len, false, true, true, 0x1234, cookie, &rep), 0);
	assert_true(rep.echo_reply);
	/* truncated or not IPv4 */
	assert_int_equal(check_ping_parse_icmp(ip, 24, false, true, true, 0x1234, cookie, &rep), MSP_EINVAL);
	ip[0] = 0x65;
	assert_int_equal(check_ping_parse_icmp(ip, 20 + len, false, true, true, 0x1234, cookie, &rep), MSP_EINVAL);
	assert_int_equal(check_ping_parse_icmp(pkt, 12, false, false, false, 0, cookie, &rep), 0);
	assert_false(rep.echo_reply);
	/* IPv6: types 128/129 */
	len = check_ping_build_echo(pkt, true, 1, 2, cookie);
	assert_int_equal(pkt[0], ICMP6_ECHO_REQUEST);
	pkt[0] = ICMP6_ECHO_REPLY;
	assert_int_equal(check_ping_parse_icmp(pkt, len, true, false, false, 0, cookie, &rep), 0);
	assert_true(rep.echo_reply);
	assert_int_equal(rep.seq, 2);
}

static void test_ping__icmp_errors_and_pacing(void **state)
{
	(void)state;
	assert_int_equal(check_ping_icmp_fail(false, ICMP_DEST_UNREACH, ICMP_NET_UNREACH), CHECK_PING_NET_UNREACH);
	assert_int_equal(check_ping_icmp_fail(false, ICMP_DEST_UNREACH, ICMP_HOST_UNREACH), CHECK_PING_HOST_UNREACH);
	assert_int_equal(check_ping_icmp_fail(false, ICMP_DEST_UNREACH, ICMP_PKT_FILTERED), CHECK_PING_FILTERED);
	assert_int_equal(check_ping_icmp_fail(false, ICMP_TIME_EXCEEDED, 0), CHECK_PING_TTL);
	assert_int_equal(check_ping_icmp_fail(true, ICMP6_DST_UNREACH, ICMP6_DST_UNREACH_ADDR), CHECK_PING_HOST_UNREACH);
	assert_int_equal(check_ping_icmp_fail(true, ICMP6_DST_UNREACH, ICMP6_DST_UNREACH_NOROUTE),
			 CHECK_PING_NET_UNREACH);
	assert_string_equal(check_ping_fail_text(CHECK_PING_NET_UNREACH), "Network Unreachable");
	/* one a second when it fits; closer when -t is short; never negative */
	assert_true(check_ping_interval(5, 9.8, 1.0) == 1.0);
	assert_true(check_ping_interval(5, 2.8, 1.0) > 0.44 && check_ping_interval(5, 2.8, 1.0) < 0.46);
	assert_true(check_ping_interval(1, 0.5, 1.0) == 1.0);
	assert_true(check_ping_interval(3, 0, 1.0) == 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ping__usage_errors),
		cmocka_unit_test(test_ping__pairs),
		cmocka_unit_test(test_ping__judgement),
		cmocka_unit_test(test_ping__several_hosts),
		cmocka_unit_test(test_ping__packets),
		cmocka_unit_test(test_ping__icmp_errors_and_pacing),
	};

	if (getenv("top_srcdir") && chdir(getenv("top_srcdir")) != 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
