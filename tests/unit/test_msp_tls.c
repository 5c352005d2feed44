/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test_msp_tls.c - TLS on a connected socket, against a real TLS server on
 * 127.0.0.1 run in a thread of the test with a certificate the test makes
 * (EC P-256, CN and SAN msp-test.example plus IP 127.0.0.1, valid 10 days).
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <time.h>
#include <unistd.h>
#include <setjmp.h>
#include <cmocka.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include "msp.h"
#include "msp_net.h"
#include "msp_sock.h"
#include "msp_tls.h"

#define TEST_NAME "msp-test.example"
#define TEST_DAYS 10

enum server_mode { SERVE_TLS, SERVE_SILENT, SERVE_PLAIN };

struct server {
	int lfd;
	char port[16];
	enum server_mode mode;
	char sni[256]; /* what the client sent ("" none) */
	pthread_t thread;
};

static EVP_PKEY *g_key;
static X509 *g_cert;
static SSL_CTX *g_ctx;
static char g_pem[64];
static time_t g_made;

static void add_ext(X509 *x, int nid, const char *value)
{
	X509V3_CTX v3;
	X509_EXTENSION *ext;

	X509V3_set_ctx(&v3, x, x, NULL, NULL, 0);
	ext = X509V3_EXT_conf_nid(NULL, &v3, nid, value);
	assert_non_null(ext);
	assert_int_equal(X509_add_ext(x, ext, -1), 1);
	X509_EXTENSION_free(ext);
}

static int setup(void **state)
{
	X509_NAME *n;
	FILE *f;
	int fd;

	(void)state;
	g_key = EVP_EC_gen("P-256");
	g_cert = X509_new();
	if (!g_key || !g_cert)
		return -1;
	g_made = time(NULL);
	X509_set_version(g_cert, 2);
	ASN1_INTEGER_set(X509_get_serialNumber(g_cert), 1);
	X509_gmtime_adj(X509_getm_notBefore(g_cert), -3600);
	X509_gmtime_adj(X509_getm_notAfter(g_cert), (long)TEST_DAYS * 86400);
	X509_set_pubkey(g_cert, g_key);
	n = X509_get_subject_name(g_cert);
	X509_NAME_add_entry_by_txt(n, "CN", MBSTRING_ASC, (const unsigned char *)TEST_NAME, -1, -1, 0);
	X509_set_issuer_name(g_cert, n);
	add_ext(g_cert, NID_basic_constraints, "critical,CA:TRUE");
	add_ext(g_cert, NID_subject_alt_name, "DNS:" TEST_NAME ",IP:127.0.0.1");
	if (!X509_sign(g_cert, g_key, EVP_sha256()))
		return -1;
	snprintf(g_pem, sizeof(g_pem), "/tmp/msp-tls-test.XXXXXX");
	fd = mkstemp(g_pem);
	f = fd >= 0 ? fdopen(fd, "w") : NULL;
	if (!f || !PEM_write_X509(f, g_cert) || fclose(f) != 0)
		return -1;
	g_ctx = SSL_CTX_new(TLS_server_method());
	if (!g_ctx || SSL_CTX_use_certificate(g_ctx, g_cert) != 1 || SSL_CTX_use_PrivateKey(g_ctx, g_key) != 1)
		return -1;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	unlink(g_pem);
	SSL_CTX_free(g_ctx);
	X509_free(g_cert);
	EVP_PKEY_free(g_key);
	return 0;
}

/* One connection: a TLS echo of one line ("PONG\n"), silence until the client leaves, or plain text. */
static void *serve(void *arg)
{
	struct server *sv = arg;
	int fd = accept(sv->lfd, NULL, NULL);
	char buf[256];

	if (fd < 0)
		return NULL;
	if (sv->mode == SERVE_TLS) {
		SSL *ssl = SSL_new(g_ctx);
		const char *name;

		SSL_set_fd(ssl, fd);
		if (SSL_accept(ssl) == 1) {
			name = SSL_get_servername(ssl, TLSEXT_NAMETYPE_host_name);
			snprintf(sv->sni, sizeof(sv->sni), "%s", name ? name : "");
			if (SSL_read(ssl, buf, sizeof(buf)) > 0)
				SSL_write(ssl, "PONG\n", 5);
			SSL_shutdown(ssl);
		}
		SSL_free(ssl);
	} else if (sv->mode == SERVE_PLAIN) {
		(void)!write(fd, "hello\r\n", 7);
	} else {
		while (read(fd, buf, sizeof(buf)) > 0)
			;
	}
	close(fd);
	return NULL;
}

static void server_start(struct server *sv, enum server_mode mode)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t sl = sizeof(sa);

	memset(sv, 0, sizeof(*sv));
	sv->mode = mode;
	sv->lfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	assert_true(sv->lfd >= 0);
	assert_int_equal(bind(sv->lfd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	assert_int_equal(listen(sv->lfd, 4), 0);
	assert_int_equal(getsockname(sv->lfd, (struct sockaddr *)&sa, &sl), 0);
	snprintf(sv->port, sizeof(sv->port), "%u", (unsigned)ntohs(sa.sin_port));
	assert_int_equal(pthread_create(&sv->thread, NULL, serve, sv), 0);
}

static void server_stop(struct server *sv)
{
	pthread_join(sv->thread, NULL);
	close(sv->lfd);
}

static void connect_to(struct server *sv, struct msp_sock *s)
{
	struct timespec dl = msp_deadline_in(5);
	struct msp_error err;

	msp_sock_init(s);
	msp_error_init(&err);
	if (msp_net_connect(s, "127.0.0.1", sv->port, SOCK_STREAM, MSP_SOCK_ANY, &dl, &err) != 0)
		fail_msg("%s", err.msg);
}

/* Handshake, SNI, one request and its answer, the leaf's dates and name. */
static void test_tls__round_trip_sends_sni_and_reads_the_leaf(void **state)
{
	struct msp_tls_config cfg = { .sni = TEST_NAME };
	struct timespec dl = msp_deadline_in(5);
	struct msp_tls *t = NULL;
	struct msp_tls_cert cert;
	struct msp_error err;
	struct msp_sock s;
	struct server sv;
	struct msp_buf b;

	(void)state;
	server_start(&sv, SERVE_TLS);
	connect_to(&sv, &s);
	msp_error_init(&err);
	msp_buf_init(&b, 1024);
	if (msp_tls_connect(&s, &cfg, &dl, &t, &err) != 0)
		fail_msg("%s", err.msg);
	assert_int_equal(msp_tls_verified(t, &err), 0); /* not asked: nothing to say */
	assert_int_equal(msp_tls_write_all(t, "PING\n", 5, &dl, &err), 0);
	assert_int_equal(msp_tls_read_until(t, &b, '\n', 1024, &dl, &err), 0);
	assert_string_equal(b.data, "PONG\n");
	assert_int_equal(msp_tls_peer_cert(t, &cert, &err), 0);
	assert_string_equal(cert.cn, TEST_NAME);
	assert_string_equal(cert.subject, "/CN=" TEST_NAME);
	assert_true(cert.not_after - (double)g_made > TEST_DAYS * 86400.0 - 5);
	assert_true(cert.not_after - (double)g_made < TEST_DAYS * 86400.0 + 5);
	assert_true(cert.not_before < (double)g_made);
	/* the server closed with close_notify: a read now sees the close */
	msp_buf_reset(&b);
	assert_int_equal(msp_tls_read_some(t, &b, 1024, &dl, &err), 0);
	msp_tls_free(t);
	msp_sock_close(&s);
	server_stop(&sv);
	assert_string_equal(sv.sni, TEST_NAME);
	msp_buf_release(&b);
}

/* RFC 6066: no literal address as the server name. */
static void test_tls__an_ip_address_is_not_sent_as_sni(void **state)
{
	struct msp_tls_config cfg = { .sni = "127.0.0.1" };
	struct timespec dl = msp_deadline_in(5);
	struct msp_tls *t = NULL;
	struct msp_error err;
	struct msp_sock s;
	struct server sv;

	(void)state;
	server_start(&sv, SERVE_TLS);
	connect_to(&sv, &s);
	msp_error_init(&err);
	assert_int_equal(msp_tls_connect(&s, &cfg, &dl, &t, &err), 0);
	assert_int_equal(msp_tls_write_all(t, "x", 1, &dl, &err), 0);
	msp_tls_free(t);
	msp_sock_close(&s);
	server_stop(&sv);
	assert_string_equal(sv.sni, "");
}

/* Verify: self-signed against the system store, then trusted with --ca-file, names matched. */
static void verify_case(const char *ca_file, const char *host, const char *want)
{
	struct msp_tls_config cfg = { .sni = TEST_NAME, .verify = true, .ca_file = ca_file, .verify_host = host };
	struct timespec dl = msp_deadline_in(5);
	struct msp_tls *t = NULL;
	struct msp_error err;
	struct msp_sock s;
	struct server sv;
	char msg[256];

	server_start(&sv, SERVE_TLS);
	connect_to(&sv, &s);
	msp_error_init(&err);
	assert_int_equal(msp_tls_connect(&s, &cfg, &dl, &t, &err), 0);
	if (!want) {
		if (msp_tls_verified(t, &err) != 0)
			fail_msg("%s", err.msg);
	} else {
		assert_int_equal(msp_tls_verified(t, &err), MSP_EINVAL);
		snprintf(msg, sizeof(msg), "certificate of '127.0.0.1:%s' is not trusted: %s", sv.port, want);
		assert_string_equal(err.msg, msg);
	}
	assert_int_equal(msp_tls_write_all(t, "x", 1, &dl, &err), 0);
	msp_tls_free(t);
	msp_sock_close(&s);
	server_stop(&sv);
}

static void test_tls__verification(void **state)
{
	(void)state;
	verify_case(NULL, NULL, "self-signed certificate");
	verify_case(g_pem, NULL, NULL);
	verify_case(g_pem, TEST_NAME, NULL);
	verify_case(g_pem, "127.0.0.1", NULL);
	verify_case(g_pem, "other.example", "hostname mismatch");
	verify_case(g_pem, "127.0.0.2", "IP address mismatch");
}

static void test_tls__a_ca_file_that_cannot_be_read(void **state)
{
	struct msp_tls_config cfg = { .verify = true, .ca_file = "/nonexistent/ca.pem" };
	struct timespec dl = msp_deadline_in(5);
	struct msp_tls *t = NULL;
	struct msp_error err;
	struct msp_sock s;
	struct server sv;

	(void)state;
	server_start(&sv, SERVE_SILENT);
	connect_to(&sv, &s);
	msp_error_init(&err);
	assert_int_equal(msp_tls_connect(&s, &cfg, &dl, &t, &err), MSP_EINVAL);
	assert_null(t);
	assert_non_null(strstr(err.msg, "cannot load CA certificates from '/nonexistent/ca.pem'"));
	msp_sock_close(&s);
	server_stop(&sv);
}

/* A server that accepts and never speaks TLS: the handshake ends at the deadline. */
static void test_tls__silent_server_times_out_in_the_handshake(void **state)
{
	struct msp_tls_config cfg = { .sni = TEST_NAME };
	struct timespec dl;
	struct msp_tls *t = NULL;
	struct msp_error err;
	struct msp_sock s;
	struct server sv;
	char want[128];
	double start, took;

	(void)state;
	server_start(&sv, SERVE_SILENT);
	connect_to(&sv, &s);
	msp_error_init(&err);
	start = msp_time_mono();
	dl = msp_deadline_in(0.5);
	assert_int_equal(msp_tls_connect(&s, &cfg, &dl, &t, &err), MSP_ETIMEOUT);
	took = msp_time_mono() - start;
	assert_true(took >= 0.45 && took < 1.0);
	snprintf(want, sizeof(want), "timed out in the TLS handshake with '127.0.0.1:%s'", sv.port);
	assert_string_equal(err.msg, want);
	msp_sock_close(&s);
	server_stop(&sv);
}

/* Plain text where TLS was expected: a clear failure, not a hang. */
static void test_tls__plain_text_server_fails_the_handshake(void **state)
{
	struct msp_tls_config cfg = { .sni = TEST_NAME };
	struct timespec dl = msp_deadline_in(5);
	struct msp_tls *t = NULL;
	struct msp_error err;
	struct msp_sock s;
	struct server sv;
	char want[128];

	(void)state;
	server_start(&sv, SERVE_PLAIN);
	connect_to(&sv, &s);
	msp_error_init(&err);
	assert_int_equal(msp_tls_connect(&s, &cfg, &dl, &t, &err), MSP_ESYS);
	snprintf(want, sizeof(want), "TLS handshake with '127.0.0.1:%s' failed: wrong version number", sv.port);
	assert_string_equal(err.msg, want);
	msp_sock_close(&s);
	server_stop(&sv);
}

/* The -D verdict at fixed times before and after one not_after, in UTC. */
static void days_case(const char *cn, double left, long warn, long crit, enum msp_state want_st, const char *want)
{
	struct msp_tls_cert c;
	char text[512];

	memset(&c, 0, sizeof(c));
	snprintf(c.cn, sizeof(c.cn), "%s", cn);
	c.not_after = 1797566893.0; /* Fri Dec 18 04:08:13 2026 UTC */
	assert_int_equal(msp_tls_cert_days(&c, c.not_after - left, warn, crit, text, sizeof(text)), want_st);
	assert_string_equal(text, want);
}

static void test_tls__cert_days_verdict(void **state)
{
	(void)state;
	setenv("TZ", "UTC", 1);
	tzset();
	days_case("a.example", 40 * 86400.0, 30, 10, MSP_STATE_OK,
		  "Certificate 'a.example' will expire on Fri Dec 18 04:08:13 2026 +0000.");
	days_case("a.example", 30 * 86400.0 + 5, 30, 10, MSP_STATE_WARNING,
		  "Certificate 'a.example' expires in 30 day(s) (Fri Dec 18 04:08:13 2026 +0000).");
	days_case("a.example", 10 * 86400.0 + 5, 30, 10, MSP_STATE_CRITICAL,
		  "Certificate 'a.example' expires in 10 day(s) (Fri Dec 18 04:08:13 2026 +0000).");
	days_case("a.example", 11 * 86400.0, 30, 10, MSP_STATE_WARNING,
		  "Certificate 'a.example' expires in 11 day(s) (Fri Dec 18 04:08:13 2026 +0000).");
	days_case("", 5 * 3600.0 + 5, 30, 0, MSP_STATE_CRITICAL,
		  "Certificate 'Unknown CN' expires in 5 hour(s) (Fri Dec 18 04:08:13 2026 +0000).");
	days_case("a.example", 3600.0, 30, -1, MSP_STATE_WARNING,
		  "Certificate 'a.example' expires in 1 hour(s) (Fri Dec 18 04:08:13 2026 +0000).");
	days_case("a.example", 3599.0, 30, 0, MSP_STATE_CRITICAL,
		  "Certificate 'a.example' expires in 59 minute(s) (Fri Dec 18 04:08:13 2026 +0000).");
	days_case("a.example", -1.0, 30, 10, MSP_STATE_CRITICAL,
		  "Certificate 'a.example' expired on Fri Dec 18 04:08:13 2026 +0000.");
	days_case("a.example", 5 * 86400.0, 0, 0, MSP_STATE_OK,
		  "Certificate 'a.example' will expire on Fri Dec 18 04:08:13 2026 +0000.");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tls__round_trip_sends_sni_and_reads_the_leaf),
		cmocka_unit_test(test_tls__an_ip_address_is_not_sent_as_sni),
		cmocka_unit_test(test_tls__verification),
		cmocka_unit_test(test_tls__a_ca_file_that_cannot_be_read),
		cmocka_unit_test(test_tls__silent_server_times_out_in_the_handshake),
		cmocka_unit_test(test_tls__plain_text_server_fails_the_handshake),
		cmocka_unit_test(test_tls__cert_days_verdict),
	};

	signal(SIGPIPE, SIG_IGN);
	return cmocka_run_group_tests(tests, setup, teardown);
}
