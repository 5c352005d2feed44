/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test_check_ntp_time.c - check_ntp_time's pure parts on NTP exchanges
 * recorded from chronyd (tests/fixtures/check_ntp_time/README.md): the
 * answers it accepts and the ones it must ignore (another origin
 * timestamp, a client-mode packet, short), the offset arithmetic, the
 * 2036 era, and line 1 for every way an offset cannot be had (never OK).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <setjmp.h>
#include <cmocka.h>

#include "check_ntp_time.h"
#include "msp_test.h"

static uint64_t get64(const unsigned char *p)
{
	uint64_t v = 0;

	for (int i = 0; i < 8; i++)
		v = v << 8 | p[i];
	return v;
}

/* A recorded exchange: the request's transmit timestamp and the answer. */
static unsigned char *exchange(const char *name, uint64_t *xmt, double *t1)
{
	char path[200];
	size_t len = 0;
	unsigned char *b;

	snprintf(path, sizeof(path), "check_ntp_time/%s", name);
	b = (unsigned char *)msp_test_fixture_bytes(path, 4096, &len);
	assert_non_null(b);
	assert_int_equal(len, 2 * CHECK_NTP_PACKET);
	*xmt = get64(b + 40);
	*t1 = check_ntp_to_unix(*xmt, 1.7e9);
	return b;
}

static void test_ntp__chrony_replies(void **state)
{
	struct check_ntp_reply r;
	struct check_ntp_sample s = { 0 };
	struct msp_error err = { 0 };
	uint64_t xmt;
	double t1;
	unsigned char *b = exchange("chrony_local_stratum8.bin", &xmt, &t1);

	(void)state;
	assert_int_equal(check_ntp_parse_reply(b + 48, 48, xmt, t1, &r, &err), 0);
	assert_int_equal(r.leap, 0);
	assert_int_equal(r.version, 4);
	assert_int_equal(r.mode, 4);
	assert_int_equal(r.stratum, 8);
	assert_true(r.t3 >= r.t2 && r.t3 - t1 < 1.0 && t1 - r.t2 < 1.0);
	check_ntp_add_reply(&s, &r, t1, r.t3);
	assert_int_equal(s.valid, 1);
	assert_false(s.unsynced || s.kod);
	/* an answer to another request (origin timestamp one tick off) is not ours */
	assert_int_equal(check_ntp_parse_reply(b + 48, 48, xmt + 1, t1, &r, &err), MSP_EINVAL);
	assert_string_equal(err.msg, "origin timestamp is not our request's");
	/* short, and a client-mode packet (our own request reflected) */
	assert_int_equal(check_ntp_parse_reply(b + 48, 47, xmt, t1, &r, &err), MSP_EINVAL);
	assert_int_equal(check_ntp_parse_reply(b, 48, xmt, t1, &r, &err), MSP_EINVAL);
	/* no transmit timestamp */
	memset(b + 48 + 40, 0, 8);
	assert_int_equal(check_ntp_parse_reply(b + 48, 48, xmt, t1, &r, &err), MSP_EINVAL);
	free(b);

	b = exchange("chrony_unsynchronised.bin", &xmt, &t1);
	memset(&s, 0, sizeof(s));
	assert_int_equal(check_ntp_parse_reply(b + 48, 48, xmt, t1, &r, &err), 0);
	assert_int_equal(r.leap, 3);
	check_ntp_add_reply(&s, &r, t1, t1);
	assert_true(s.unsynced);
	assert_false(s.kod);
	assert_int_equal(s.valid, 0);
	free(b);

	b = exchange("peer_kod_rate.bin", &xmt, &t1);
	memset(&s, 0, sizeof(s));
	assert_int_equal(check_ntp_parse_reply(b + 48, 48, xmt, t1, &r, &err), 0);
	check_ntp_add_reply(&s, &r, t1, t1);
	assert_true(s.kod);
	assert_string_equal(s.kod_code, "RATE");
	assert_int_equal(s.valid, 0);
	free(b);
}

static void test_ntp__arithmetic(void **state)
{
	struct check_ntp_reply r = { .leap = 0, .version = 4, .mode = 4, .stratum = 2 };
	struct check_ntp_sample s = { 0 };
	unsigned char pkt[CHECK_NTP_PACKET];

	(void)state;
	/* server 10 s ahead, 0.2 s each way, 0.1 s in the server */
	r.t2 = 1000.2 + 10;
	r.t3 = 1000.3 + 10;
	check_ntp_add_reply(&s, &r, 1000.0, 1000.5);
	assert_int_equal(s.valid, 1);
	assert_true(s.offset_sum > 9.999 && s.offset_sum < 10.001);
	assert_true(s.delay_min > 0.399 && s.delay_min < 0.401);
	/* timestamps round-trip, also past the 2036 era wrap */
	assert_true(check_ntp_to_unix(check_ntp_timestamp(1.7e9 + 0.25), 1.7e9) == 1.7e9 + 0.25);
	assert_true(check_ntp_to_unix(check_ntp_timestamp(2.2e9 + 0.5), 2.2e9) == 2.2e9 + 0.5);
	assert_int_equal(check_ntp_timestamp(2.2e9) >> 32, (uint64_t)(2.2e9 + 2208988800.0 - 4294967296.0));
	check_ntp_build_request(pkt, 0x0102030405060708u);
	assert_int_equal(pkt[0], 0x23); /* LI 0, version 4, mode 3 */
	assert_int_equal(get64(pkt + 40), 0x0102030405060708u);
}

static char *judge(const struct check_ntp_sample *s, const char *const *args, enum msp_state *st)
{
	struct check_ntp_time_config cfg;
	struct msp_result *root = msp_result_new();
	char *out;

	msp_test_configure_ok(msp_test_plugin, &cfg, sizeof(cfg), args);
	assert_int_equal(check_ntp_time_evaluate(&cfg, s, root), 0);
	*st = msp_result_state(root);
	out = msp_test_render(msp_test_plugin, root, MSP_FORMAT_NAGIOS);
	msp_result_free(root);
	return out;
}

static void test_ntp__judgement(void **state)
{
	static const struct {
		struct check_ntp_sample s;
		bool quiet;
		enum msp_state st;
		const char *out;
	} rows[] = {
		{ { .sent = 4, .valid = 4, .offset_sum = 0.002, .stratum = 8 }, false, MSP_STATE_OK,
		  "NTP OK: Offset 0.0005 secs|offset=0.000500s;60.000000;120.000000;\n" },
		{ { .sent = 4, .valid = 2, .offset_sum = -300, .stratum = 8 }, false, MSP_STATE_CRITICAL,
		  "NTP CRITICAL: Offset -150 secs|offset=-150.000000s;60.000000;120.000000;\n" },
		{ { .sent = 1, .stratum = 16, .unsynced = true }, false, MSP_STATE_CRITICAL,
		  "NTP CRITICAL: Offset unknown: the server is not synchronised (stratum 16)\n" },
		{ { .sent = 1, .stratum = 2, .unsynced = true, .leap = 3 }, true, MSP_STATE_UNKNOWN,
		  "NTP UNKNOWN: Offset unknown: the server is not synchronised (leap indicator alarm, stratum 2)\n" },
		{ { .sent = 1, .kod = true, .kod_code = "DENY" }, false, MSP_STATE_CRITICAL,
		  "NTP CRITICAL: Offset unknown: kiss-o'-death 'DENY' from the server\n" },
		{ { .sent = 9 }, false, MSP_STATE_CRITICAL, "NTP CRITICAL: No response from NTP server\n" },
		{ { .sent = 9 }, true, MSP_STATE_UNKNOWN, "NTP UNKNOWN: No response from NTP server\n" },
		{ { .sent = 1, .refused = true }, false, MSP_STATE_CRITICAL,
		  "NTP CRITICAL: No response from NTP server: port unreachable\n" },
		{ { .sent = 9, .ignored = 9 }, false, MSP_STATE_CRITICAL,
		  "NTP CRITICAL: No response from NTP server: 9 answers that were not ours\n" },
	};
	enum msp_state st;

	(void)state;
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		char *out = judge(&rows[i].s, rows[i].quiet ? MSP_ARGS("-H", "h", "-q") : MSP_ARGS("-H", "h"), &st);

		if (strcmp(out, rows[i].out) != 0 || st != rows[i].st)
			fail_msg("row %zu: state %d, got\n%s\nwanted\n%s", i, (int)st, out, rows[i].out);
		free(out);
	}
}

static void test_ntp__options(void **state)
{
	static const struct msp_test_case rows[] = {
		{ { "-w", "1" }, MSP_STATE_UNKNOWN, "^NTP UNKNOWN - missing server: give -H ADDRESS$" },
		{ { "-H", "h", "-p", "0" }, MSP_STATE_UNKNOWN, "^NTP UNKNOWN - .*-p" },
		{ { "-H", "h", "-p", "65536" }, MSP_STATE_UNKNOWN, "^NTP UNKNOWN - .*-p" },
		{ { "-H", "h", "-w", "abc" }, MSP_STATE_UNKNOWN, "^NTP UNKNOWN - " },
		{ { "-H", "h", "-o", "x" }, MSP_STATE_UNKNOWN, "^NTP UNKNOWN - " },
		{ { "-H", "h", "stray" }, MSP_STATE_UNKNOWN, "^NTP UNKNOWN - unexpected argument 'stray'" },
	};
	struct check_ntp_time_config cfg;

	(void)state;
	msp_test_cases(msp_test_plugin, &cfg, sizeof(cfg), rows, sizeof(rows) / sizeof(rows[0]));
	msp_test_configure_ok(msp_test_plugin, &cfg, sizeof(cfg), MSP_ARGS("-H", "h", "-o", "-2.5", "-p", "1123", "-6"));
	assert_true(cfg.time_offset == -2.5);
	assert_int_equal(cfg.port, 1123);
	assert_int_equal(cfg.family, 6);
	msp_test_configure_ok(msp_test_plugin, &cfg, sizeof(cfg), MSP_ARGS("-H", "h", "--time_offset=1.5"));
	assert_true(cfg.time_offset == 1.5);
	msp_test_configure_ok(msp_test_plugin, &cfg, sizeof(cfg), MSP_ARGS("-H", "h", "--time-offset", "-3"));
	assert_true(cfg.time_offset == -3);
	msp_test_configure_ok(msp_test_plugin, &cfg, sizeof(cfg), MSP_ARGS("-H", "h"));
	assert_int_equal(cfg.port, 123);
	assert_true(cfg.th.has_warn && cfg.th.has_crit && cfg.th.warn.end == 60 && cfg.th.crit.end == 120);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ntp__chrony_replies),
		cmocka_unit_test(test_ntp__arithmetic),
		cmocka_unit_test(test_ntp__judgement),
		cmocka_unit_test(test_ntp__options),
	};

	if (getenv("top_srcdir") && chdir(getenv("top_srcdir")) != 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
