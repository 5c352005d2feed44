/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test_check_dns.c - check_dns's pure parts on recorded DNS answers
 * (tests/fixtures/check_dns, README there): reading a message, folding the
 * A and AAAA answers, the reverse name, -a matching, and the result lines
 * for every outcome, configured through the real option table.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "check_dns.h"
#include "msp_test.h"

static struct check_dns_config cfg;

/* Parse fixture NAME (an answer to a query of qtype) into s; returns the reply. */
static struct check_dns_reply parse_fixture(const char *name, int qtype, struct check_dns_sample *s)
{
	struct check_dns_reply r;
	char rel[128];
	size_t len = 0;
	char *data;

	snprintf(rel, sizeof(rel), "check_dns/%s", name);
	data = msp_test_fixture_bytes(rel, 65536, &len);
	assert_int_equal(check_dns_parse((const unsigned char *)data, len, qtype, s, &r), 0);
	free(data);
	return r;
}

static void test_parse__a_answer_is_authoritative(void **state)
{
	struct check_dns_sample s = { 0 };
	struct check_dns_reply r = parse_fixture("a_host.bin", CHECK_DNS_T_A, &s);

	(void)state;
	assert_int_equal(r.outcome, CHECK_DNS_ANSWER);
	assert_int_equal(r.rcode, 0);
	assert_true(r.authoritative);
	assert_int_equal(s.nanswers, 1);
	assert_string_equal(s.answers[0], "127.0.0.10");
	check_dns_sample_release(&s);
}

static void test_parse__two_addresses_sorted(void **state)
{
	struct check_dns_sample s = { 0 };
	struct check_dns_reply r = parse_fixture("a_multi.bin", CHECK_DNS_T_A, &s);

	(void)state;
	assert_int_equal(r.outcome, CHECK_DNS_ANSWER);
	check_dns_sort(&s);
	assert_int_equal(s.nanswers, 2);
	assert_string_equal(s.answers[0], "127.0.0.11");
	assert_string_equal(s.answers[1], "127.0.0.12");
	check_dns_sample_release(&s);
}

static void test_parse__cname_chain_keeps_only_the_address(void **state)
{
	struct check_dns_sample s = { 0 };
	struct check_dns_reply r = parse_fixture("a_alias.bin", CHECK_DNS_T_A, &s);

	(void)state;
	assert_int_equal(r.outcome, CHECK_DNS_ANSWER);
	assert_int_equal(s.nanswers, 1);
	assert_string_equal(s.answers[0], "127.0.0.10");
	check_dns_sample_release(&s);
}

static void test_parse__record_types_as_text(void **state)
{
	struct check_dns_sample s = { 0 };

	(void)state;
	assert_int_equal(parse_fixture("aaaa_both.bin", CHECK_DNS_T_AAAA, &s).outcome, CHECK_DNS_ANSWER);
	assert_int_equal(parse_fixture("mx_mx.bin", CHECK_DNS_T_MX, &s).outcome, CHECK_DNS_ANSWER);
	assert_int_equal(parse_fixture("ptr_host.bin", CHECK_DNS_T_PTR, &s).outcome, CHECK_DNS_ANSWER);
	assert_int_equal(parse_fixture("txt_txt.bin", CHECK_DNS_T_TXT, &s).outcome, CHECK_DNS_ANSWER);
	assert_int_equal(s.nanswers, 4);
	assert_string_equal(s.answers[0], "::2");
	assert_string_equal(s.answers[1], "10 mail.test.");
	assert_string_equal(s.answers[2], "host.test.");
	assert_string_equal(s.answers[3], "hello world");
	check_dns_sample_release(&s);
}

static void test_parse__any_reads_every_type_and_escapes_txt(void **state)
{
	struct check_dns_sample s = { 0 };
	struct check_dns_reply r = parse_fixture("any_records.bin", CHECK_DNS_T_ANY, &s);

	(void)state;
	assert_int_equal(r.outcome, CHECK_DNS_ANSWER);
	assert_int_equal(s.nanswers, 5);
	assert_string_equal(s.answers[0], "ns.peer.example. hostmaster.peer.example. 2026120801 3600 600 86400 60");
	assert_string_equal(s.answers[1], "ns.peer.example.");
	assert_string_equal(s.answers[2], "10 mail.peer.example.");
	assert_string_equal(s.answers[3], "1 2 5060 sip.peer.example.");
	/* a '|' would end line 1's text, a control byte has no place in it */
	assert_string_equal(s.answers[4], "helloa\\174b\\001c");
	check_dns_sample_release(&s);
}

static void test_parse__failures_by_rcode(void **state)
{
	static const struct {
		const char *file;
		enum check_dns_outcome outcome;
		int rcode;
	} rows[] = {
		{ "a_nxdomain.bin", CHECK_DNS_NXDOMAIN, 3 }, { "a_nodata_txt.bin", CHECK_DNS_NODATA, 0 },
		{ "a_servfail.bin", CHECK_DNS_SERVFAIL, 2 }, { "a_refused.bin", CHECK_DNS_REFUSED, 5 },
		{ "a_formerr.bin", CHECK_DNS_RCODE, 1 },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct check_dns_sample s = { 0 };
		struct check_dns_reply r = parse_fixture(rows[i].file, CHECK_DNS_T_A, &s);

		assert_int_equal(r.outcome, rows[i].outcome);
		assert_int_equal(r.rcode, rows[i].rcode);
		assert_int_equal(s.nanswers, 0);
	}
}

static void test_parse__garbage_and_cut_answers_are_bad(void **state)
{
	struct check_dns_sample s = { 0 };
	struct check_dns_reply r;
	size_t len = 0;
	char *data;

	(void)state;
	assert_int_equal(parse_fixture("a_garbage.bin", CHECK_DNS_T_A, &s).outcome, CHECK_DNS_BADRESP);
	data = msp_test_fixture_bytes("check_dns/a_multi.bin", 4096, &len);
	/* every cut of a good answer short of its end: never an answer, never a crash */
	for (size_t cut = 0; cut < len; cut++) {
		assert_int_equal(check_dns_parse((const unsigned char *)data, cut, CHECK_DNS_T_A, &s, &r), 0);
		assert_true(r.outcome == CHECK_DNS_BADRESP || (r.outcome == CHECK_DNS_ANSWER && cut > 43));
		check_dns_sample_release(&s);
	}
	free(data);
}

static void test_combine__address_of_either_family_is_an_answer(void **state)
{
	struct check_dns_sample s = { 0 };
	struct check_dns_reply a = { CHECK_DNS_ANSWER, 0, true }, nodata = { CHECK_DNS_NODATA, 0, false };
	struct check_dns_reply nx = { CHECK_DNS_NXDOMAIN, 3, true }, tmo = { CHECK_DNS_TIMEOUT, 0, false };

	(void)state;
	check_dns_combine(&s, &a, true);
	check_dns_combine(&s, &nodata, false);
	assert_int_equal(s.outcome, CHECK_DNS_ANSWER);
	assert_true(s.authoritative); /* the empty AAAA answer without AA does not count */
	check_dns_combine(&s, &nodata, true);
	check_dns_combine(&s, &nodata, false);
	assert_int_equal(s.outcome, CHECK_DNS_NODATA);
	check_dns_combine(&s, &nx, true);
	check_dns_combine(&s, &nx, false);
	assert_int_equal(s.outcome, CHECK_DNS_NXDOMAIN);
	check_dns_combine(&s, &a, true);
	check_dns_combine(&s, &tmo, false); /* half an answer is no answer */
	assert_int_equal(s.outcome, CHECK_DNS_TIMEOUT);
}

static void test_qname__addresses_are_reversed(void **state)
{
	char buf[CHECK_DNS_ANSWER_LEN];
	bool ptr = false;

	(void)state;
	assert_int_equal(check_dns_qname("127.0.0.10", CHECK_DNS_T_DEFAULT, buf, sizeof(buf), &ptr), 0);
	assert_true(ptr);
	assert_string_equal(buf, "10.0.0.127.in-addr.arpa");
	assert_int_equal(check_dns_qname("2001:db8::1", CHECK_DNS_T_PTR, buf, sizeof(buf), &ptr), 0);
	assert_true(ptr);
	assert_string_equal(buf, "1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa");
	assert_int_equal(check_dns_qname("127.0.0.10", CHECK_DNS_T_A, buf, sizeof(buf), &ptr), 0);
	assert_false(ptr);
	assert_string_equal(buf, "127.0.0.10");
	assert_int_equal(check_dns_qname("host.test", CHECK_DNS_T_DEFAULT, buf, sizeof(buf), &ptr), 0);
	assert_false(ptr);
	assert_string_equal(buf, "host.test");
}

static void test_match__exact_and_networks(void **state)
{
	(void)state;
	assert_true(check_dns_match("127.0.0.10", "127.0.0.10"));
	assert_false(check_dns_match("127.0.0.10", "127.0.0.1"));
	assert_true(check_dns_match("127.0.0.10", "127.0.0.0/24"));
	assert_true(check_dns_match("127.0.0.10", "127.0.0.8/30"));
	assert_false(check_dns_match("127.0.0.10", "127.0.0.12/30"));
	assert_true(check_dns_match("2001:db8::5", "2001:db8::/32"));
	assert_false(check_dns_match("2001:db9::5", "2001:db8::/32"));
	assert_false(check_dns_match("127.0.0.10", "127.0.0.0/33"));
	assert_false(check_dns_match("127.0.0.10", "127.0.0.0/x"));
	assert_true(check_dns_match("host.test.", "host.test."));
	assert_false(check_dns_match("host.test.", "host.test"));
}

/* Evaluate sample s under the options args; returns line 1 (the caller frees) and its state. */
static char *evaluate(const char *const *args, const struct check_dns_sample *s, enum msp_state *ret_state)
{
	struct msp_result *root = msp_result_new();
	char *out;

	assert_non_null(root);
	msp_test_configure_ok(msp_test_plugin, &cfg, sizeof(cfg), args);
	assert_int_equal(check_dns_evaluate(&cfg, s, MSP_STATE_CRITICAL, 10, root), 0);
	out = msp_test_render(msp_test_plugin, root, MSP_FORMAT_NAGIOS);
	*ret_state = msp_result_state(root);
	msp_result_free(root);
	msp_list_release(&cfg.expect);
	return out;
}

static void expect_line(const char *const *args, const struct check_dns_sample *s, enum msp_state want,
			const char *line)
{
	enum msp_state st;
	char *out = evaluate(args, s, &st);

	if (strcmp(out, line) != 0 || st != want)
		fail_msg("got %d '%s', want %d '%s'", (int)st, out, (int)want, line);
	free(out);
}

static struct check_dns_sample multi_sample(void)
{
	struct check_dns_sample s = { .seconds = 0.011827, .authoritative = true, .answered = true };

	snprintf(s.server, sizeof(s.server), "127.0.0.1");
	s.answers[0] = strdup("127.0.0.11");
	s.answers[1] = strdup("127.0.0.12");
	s.nanswers = 2;
	return s;
}

static void test_evaluate__answers_as_the_reference_prints_them(void **state)
{
	struct check_dns_sample s = multi_sample();

	(void)state;
	expect_line(MSP_ARGS("-H", "multi.test"), &s, MSP_STATE_OK,
		    "DNS OK: 0.012 seconds response time. multi.test returns 127.0.0.11,127.0.0.12"
		    "|time=0.011827s;;;0.000000\n");
	expect_line(MSP_ARGS("-H", "multi.test", "-w", "5", "-c", "10"), &s, MSP_STATE_OK,
		    "DNS OK: 0.012 seconds response time. multi.test returns 127.0.0.11,127.0.0.12"
		    "|time=0.011827s;5.000000;10.000000;0.000000\n");
	expect_line(MSP_ARGS("-H", "multi.test", "-w", "0.01"), &s, MSP_STATE_WARNING,
		    "DNS WARNING: 0.012 seconds response time. multi.test returns 127.0.0.11,127.0.0.12"
		    "|time=0.011827s;0.010000;;0.000000\n");
	expect_line(MSP_ARGS("-H", "multi.test", "-c", "0.01"), &s, MSP_STATE_CRITICAL,
		    "DNS CRITICAL: 0.012 seconds response time. multi.test returns 127.0.0.11,127.0.0.12"
		    "|time=0.011827s;;0.010000;0.000000\n");
	check_dns_sample_release(&s);
}

static void test_evaluate__expected_addresses(void **state)
{
	struct check_dns_sample s = multi_sample();

	(void)state;
	/* one match is enough; "a,b" is two values, in any order */
	expect_line(MSP_ARGS("-H", "m", "-a", "127.0.0.11"), &s, MSP_STATE_OK,
		    "DNS OK: 0.012 seconds response time. m returns 127.0.0.11,127.0.0.12|time=0.011827s;;;0.000000\n");
	expect_line(MSP_ARGS("-H", "m", "-a", "127.0.0.12,127.0.0.11", "-L"), &s, MSP_STATE_OK,
		    "DNS OK: 0.012 seconds response time. m returns 127.0.0.11,127.0.0.12|time=0.011827s;;;0.000000\n");
	expect_line(MSP_ARGS("-H", "m", "-a", "127.0.0.0/8", "-L"), &s, MSP_STATE_OK,
		    "DNS OK: 0.012 seconds response time. m returns 127.0.0.11,127.0.0.12|time=0.011827s;;;0.000000\n");
	/* -L: every answer must be expected, and every expected value answered */
	expect_line(MSP_ARGS("-H", "m", "-a", "127.0.0.11", "-L"), &s, MSP_STATE_CRITICAL,
		    "DNS CRITICAL - expected '127.0.0.11' but got '127.0.0.11,127.0.0.12'\n");
	expect_line(MSP_ARGS("-H", "m", "-a", "127.0.0.11", "-a", "127.0.0.12", "-a", "127.0.0.99", "-L"), &s,
		    MSP_STATE_CRITICAL,
		    "DNS CRITICAL - expected '127.0.0.11; 127.0.0.12; 127.0.0.99' but got '127.0.0.11,127.0.0.12'\n");
	expect_line(MSP_ARGS("-H", "m", "-a", "127.0.0.98", "-a", "127.0.0.99"), &s, MSP_STATE_CRITICAL,
		    "DNS CRITICAL - expected '127.0.0.98; 127.0.0.99' but got '127.0.0.11,127.0.0.12'\n");
	check_dns_sample_release(&s);
}

static void test_evaluate__authority_and_nxdomain(void **state)
{
	struct check_dns_sample s = multi_sample();
	struct check_dns_sample nx = { .outcome = CHECK_DNS_NXDOMAIN, .rcode = 3, .seconds = 0.5 };

	(void)state;
	s.authoritative = false;
	expect_line(MSP_ARGS("-H", "m", "-A"), &s, MSP_STATE_CRITICAL,
		    "DNS CRITICAL - server 127.0.0.1 is not authoritative for m\n");
	expect_line(MSP_ARGS("-H", "m", "-n"), &s, MSP_STATE_CRITICAL,
		    "DNS CRITICAL - Domain 'm' was found by the server: '127.0.0.11,127.0.0.12'\n");
	expect_line(MSP_ARGS("-H", "nx.test", "-n"), &nx, MSP_STATE_OK,
		    "DNS OK: 0.500 seconds response time. nx.test returns NXDOMAIN|time=0.500000s;;;0.000000\n");
	expect_line(MSP_ARGS("-H", "nx.test"), &nx, MSP_STATE_CRITICAL,
		    "DNS CRITICAL - Domain 'nx.test' was not found by the server\n");
	nx.seconds = 1.0;
	expect_line(MSP_ARGS("-H", "nx.test", "-n"), &nx, MSP_STATE_OK,
		    "DNS OK: 1.000 second response time. nx.test returns NXDOMAIN|time=1.000000s;;;0.000000\n");
	check_dns_sample_release(&s);
}

static void test_evaluate__each_failure_has_its_words_and_is_not_ok(void **state)
{
	static const struct {
		enum check_dns_outcome outcome;
		int rcode;
		const char *line;
	} rows[] = {
		{ CHECK_DNS_NODATA, 0,
		  "DNS CRITICAL - Domain 'h.test' has no A or AAAA record at DNS 127.0.0.1 (an empty answer)\n" },
		{ CHECK_DNS_SERVFAIL, 2, "DNS CRITICAL - Server failure at DNS 127.0.0.1 for 'h.test' (SERVFAIL)\n" },
		{ CHECK_DNS_REFUSED, 5,
		  "DNS CRITICAL - Query was refused by DNS server at 127.0.0.1 for 'h.test' (REFUSED)\n" },
		{ CHECK_DNS_RCODE, 4, "DNS CRITICAL - DNS 127.0.0.1 answered 'h.test' with NOTIMP\n" },
		{ CHECK_DNS_BADRESP, 0,
		  "DNS CRITICAL - Invalid answer from DNS 127.0.0.1: not a DNS message that can be read\n" },
		{ CHECK_DNS_UNREACHABLE, 0,
		  "DNS CRITICAL - No response from DNS 127.0.0.1: connection refused or unreachable\n" },
		{ CHECK_DNS_TIMEOUT, 0, "DNS CRITICAL - No response from DNS 127.0.0.1 within the 10 s timeout\n" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct check_dns_sample s = { .outcome = rows[i].outcome, .rcode = rows[i].rcode };

		snprintf(s.server, sizeof(s.server), "127.0.0.1");
		expect_line(MSP_ARGS("-H", "h.test"), &s, MSP_STATE_CRITICAL, rows[i].line);
		/* -n expects NXDOMAIN, nothing else */
		expect_line(MSP_ARGS("-H", "h.test", "-n"), &s, MSP_STATE_CRITICAL, rows[i].line);
	}
}

static void test_options__usage_errors(void **state)
{
	static const struct msp_test_case cases[] = {
		{ { "-s", "127.0.0.1" }, MSP_STATE_UNKNOWN, "^DNS UNKNOWN - missing -H: give the name to look up$" },
		{ { "-H", "h", "-n", "-a", "127.0.0.1" },
		  MSP_STATE_UNKNOWN,
		  "^DNS UNKNOWN - --expected-address and --expect-nxdomain cannot be combined$" },
		{ { "-H", "h", "-q", "HINFO" },
		  MSP_STATE_UNKNOWN,
		  "^DNS UNKNOWN - --querytype 'HINFO' is not A, AAAA, " },
		{ { "-H", "h", "--port", "0" }, MSP_STATE_UNKNOWN, "^DNS UNKNOWN - .*port" },
		{ { "-H", "h", "--port", "65536" }, MSP_STATE_UNKNOWN, "^DNS UNKNOWN - .*port" },
		{ { "-H", "h", "-w", "abc" }, MSP_STATE_UNKNOWN, "^DNS UNKNOWN - .*abc" },
		{ { "-H", "h", "stray" }, MSP_STATE_UNKNOWN, "^DNS UNKNOWN - unexpected argument 'stray'" },
	};

	(void)state;
	msp_test_cases(msp_test_plugin, &cfg, sizeof(cfg), cases, sizeof(cases) / sizeof(cases[0]));
}

static void test_options__query_types_and_defaults(void **state)
{
	(void)state;
	msp_test_configure_ok(msp_test_plugin, &cfg, sizeof(cfg), MSP_ARGS("-H", "h.test", "-a", "a,b", "-a", "c"));
	assert_int_equal(cfg.port, 53);
	assert_int_equal(cfg.nqtypes, 2);
	assert_int_equal(cfg.qtypes[0], CHECK_DNS_T_A);
	assert_int_equal(cfg.qtypes[1], CHECK_DNS_T_AAAA);
	assert_int_equal(cfg.expect.count, 3);
	assert_string_equal(cfg.expect.items[2], "c");
	msp_list_release(&cfg.expect);
	msp_test_configure_ok(msp_test_plugin, &cfg, sizeof(cfg),
			      MSP_ARGS("-H", "h.test", "-q", "mx", "--port", "5353"));
	assert_int_equal(cfg.port, 5353);
	assert_int_equal(cfg.nqtypes, 1);
	assert_int_equal(cfg.qtypes[0], CHECK_DNS_T_MX);
	msp_test_configure_ok(msp_test_plugin, &cfg, sizeof(cfg), MSP_ARGS("-H", "::1"));
	assert_int_equal(cfg.nqtypes, 1);
	assert_int_equal(cfg.qtypes[0], CHECK_DNS_T_PTR);
	assert_string_equal(cfg.qname, "1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.ip6.arpa");
	/* '' from a command file is "not given" */
	msp_test_configure_ok(msp_test_plugin, &cfg, sizeof(cfg), MSP_ARGS("-H", "h", "-s", "", "-q", "", "-w", ""));
	assert_null(cfg.server);
	assert_int_equal(cfg.nqtypes, 2);
	assert_false(cfg.th.has_warn);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse__a_answer_is_authoritative),
		cmocka_unit_test(test_parse__two_addresses_sorted),
		cmocka_unit_test(test_parse__cname_chain_keeps_only_the_address),
		cmocka_unit_test(test_parse__record_types_as_text),
		cmocka_unit_test(test_parse__any_reads_every_type_and_escapes_txt),
		cmocka_unit_test(test_parse__failures_by_rcode),
		cmocka_unit_test(test_parse__garbage_and_cut_answers_are_bad),
		cmocka_unit_test(test_combine__address_of_either_family_is_an_answer),
		cmocka_unit_test(test_qname__addresses_are_reversed),
		cmocka_unit_test(test_match__exact_and_networks),
		cmocka_unit_test(test_evaluate__answers_as_the_reference_prints_them),
		cmocka_unit_test(test_evaluate__expected_addresses),
		cmocka_unit_test(test_evaluate__authority_and_nxdomain),
		cmocka_unit_test(test_evaluate__each_failure_has_its_words_and_is_not_ok),
		cmocka_unit_test(test_options__usage_errors),
		cmocka_unit_test(test_options__query_types_and_defaults),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
