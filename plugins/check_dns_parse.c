/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * check_dns_parse.c - pure parts of check_dns: read a DNS message into a
 * sample, fold the outcomes of several queries, the name to ask for, and
 * matching an answer against -a.  Names inside a message are read with
 * c-ares's ares_expand_name (compression pointers, loops and lengths are
 * its job); everything else is bounds-checked here against the length.
 */
#include <arpa/inet.h>
#include <ares.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_dns.h"

#define HDR_LEN 12
#define FLAG_QR 0x8000
#define FLAG_AA 0x0400

static unsigned get16(const unsigned char *p)
{
	return (unsigned)p[0] << 8 | p[1];
}

static uint32_t get32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* Append src (n bytes) to dst (cap bytes) with bytes outside printable ASCII and '|' as \ooo. */
static void escape_add(char *dst, size_t cap, const unsigned char *src, size_t n)
{
	size_t len = strlen(dst);

	for (size_t i = 0; i < n && len + 5 < cap; i++) {
		if (src[i] < 0x20 || src[i] > 0x7e || src[i] == '|')
			len += (size_t)snprintf(dst + len, cap - len, "\\%03o", src[i]);
		else
			dst[len++] = (char)src[i];
	}
	dst[len] = '\0';
}

/* Append the name at p with a trailing dot to out; *ret_used gets its length in the message. */
static int name_add(const unsigned char *p, const unsigned char *msg, size_t len, char *out, size_t cap, long *ret_used)
{
	char *name = NULL;
	long used = 0;

	if (ares_expand_name(p, msg, (int)len, &name, &used) != ARES_SUCCESS)
		return -1;
	escape_add(out, cap, (const unsigned char *)name, strlen(name));
	escape_add(out, cap, (const unsigned char *)".", 1);
	ares_free_string(name);
	if (ret_used)
		*ret_used = used;
	return 0;
}

/* TXT: the character strings of rd (n bytes) one after the other. */
static int txt_add(const unsigned char *rd, size_t n, char *out, size_t cap)
{
	size_t off = 0;

	while (off < n) {
		size_t l = rd[off];

		if (off + 1 + l > n)
			return -1;
		escape_add(out, cap, rd + off + 1, l);
		off += 1 + l;
	}
	return 0;
}

/* SOA: MNAME RNAME SERIAL REFRESH RETRY EXPIRE MINIMUM, as dig writes it. */
static int soa_add(const unsigned char *rd, size_t n, const unsigned char *msg, size_t len, char *out, size_t cap)
{
	long u1 = 0, u2 = 0;
	const unsigned char *p;
	size_t l;

	if (name_add(rd, msg, len, out, cap, &u1) < 0)
		return -1;
	escape_add(out, cap, (const unsigned char *)" ", 1);
	if ((size_t)u1 >= n || name_add(rd + u1, msg, len, out, cap, &u2) < 0 || (size_t)(u1 + u2) + 20 > n)
		return -1;
	p = rd + u1 + u2;
	l = strlen(out);
	snprintf(out + l, cap - l, " %u %u %u %u %u", (unsigned)get32(p), (unsigned)get32(p + 4),
		 (unsigned)get32(p + 8), (unsigned)get32(p + 12), (unsigned)get32(p + 16));
	return 0;
}

/* Write the record data rd (n bytes, type t) as text into out; -1 when it cannot be read. */
static int rdata_text(int t, const unsigned char *rd, size_t n, const unsigned char *msg, size_t len, char *out,
		      size_t cap)
{
	out[0] = '\0';
	switch (t) {
	case CHECK_DNS_T_A:
	case CHECK_DNS_T_AAAA:
		if (n != (t == CHECK_DNS_T_A ? 4u : 16u))
			return -1;
		return inet_ntop(t == CHECK_DNS_T_A ? AF_INET : AF_INET6, rd, out, (socklen_t)cap) ? 0 : -1;
	case CHECK_DNS_T_NS:
	case CHECK_DNS_T_CNAME:
	case CHECK_DNS_T_PTR:
		return name_add(rd, msg, len, out, cap, NULL);
	case CHECK_DNS_T_MX:
		if (n < 3)
			return -1;
		snprintf(out, cap, "%u ", get16(rd));
		return name_add(rd + 2, msg, len, out, cap, NULL);
	case CHECK_DNS_T_SRV:
		if (n < 7)
			return -1;
		snprintf(out, cap, "%u %u %u ", get16(rd), get16(rd + 2), get16(rd + 4));
		return name_add(rd + 6, msg, len, out, cap, NULL);
	case CHECK_DNS_T_TXT:
		return txt_add(rd, n, out, cap);
	case CHECK_DNS_T_SOA:
		return soa_add(rd, n, msg, len, out, cap);
	default:
		snprintf(out, cap, "TYPE%d (%zu bytes)", t, n);
		return 0;
	}
}

static int answer_push(struct check_dns_sample *s, const char *text)
{
	char *copy;

	if (s->nanswers >= CHECK_DNS_ANSWERS_MAX)
		return 0; /* enough to judge; the rest would only make the line longer */
	copy = strdup(text);
	if (!copy)
		return MSP_ENOMEM;
	s->answers[s->nanswers++] = copy;
	return 0;
}

/* Walk the answer section from *off (an records); -1 unreadable, MSP_ENOMEM, else the count kept. */
static int answers_read(const unsigned char *msg, size_t len, size_t off, unsigned an, int qtype,
			struct check_dns_sample *s)
{
	char text[CHECK_DNS_ANSWER_LEN];
	int kept = 0;

	for (unsigned i = 0; i < an; i++) {
		char *owner = NULL;
		long used = 0;
		unsigned t, cls, rdlen;

		if (ares_expand_name(msg + off, msg, (int)len, &owner, &used) != ARES_SUCCESS)
			return -1;
		ares_free_string(owner);
		off += (size_t)used;
		if (off + 10 > len)
			return -1;
		t = get16(msg + off);
		cls = get16(msg + off + 2);
		rdlen = get16(msg + off + 8);
		off += 10;
		if (off + rdlen > len)
			return -1;
		if (cls == 1 && (qtype == CHECK_DNS_T_ANY || (int)t == qtype)) {
			if (rdata_text((int)t, msg + off, rdlen, msg, len, text, sizeof(text)) < 0)
				return -1;
			if (answer_push(s, text) < 0)
				return MSP_ENOMEM;
			kept++;
		}
		off += rdlen;
	}
	return kept;
}

int check_dns_parse(const unsigned char *msg, size_t len, int qtype, struct check_dns_sample *s,
		    struct check_dns_reply *ret)
{
	struct check_dns_reply r = { .outcome = CHECK_DNS_BADRESP };
	size_t off = HDR_LEN;
	unsigned flags, qd, an;
	int kept;

	*ret = r;
	if (len < HDR_LEN || !((flags = get16(msg + 2)) & FLAG_QR))
		return 0;
	qd = get16(msg + 4);
	an = get16(msg + 6);
	for (unsigned i = 0; i < qd; i++) {
		char *name = NULL;
		long used = 0;

		if (ares_expand_name(msg + off, msg, (int)len, &name, &used) != ARES_SUCCESS)
			return 0;
		ares_free_string(name);
		off += (size_t)used + 4;
		if (off > len)
			return 0;
	}
	r.rcode = (int)(flags & 0xf);
	r.authoritative = (flags & FLAG_AA) != 0;
	kept = answers_read(msg, len, off, an, qtype, s);
	if (kept == MSP_ENOMEM)
		return MSP_ENOMEM;
	if (kept < 0)
		r.outcome = CHECK_DNS_BADRESP;
	else if (r.rcode == 0)
		r.outcome = kept > 0 ? CHECK_DNS_ANSWER : CHECK_DNS_NODATA;
	else if (r.rcode == 3)
		r.outcome = CHECK_DNS_NXDOMAIN;
	else if (r.rcode == 2)
		r.outcome = CHECK_DNS_SERVFAIL;
	else if (r.rcode == 5)
		r.outcome = CHECK_DNS_REFUSED;
	else
		r.outcome = CHECK_DNS_RCODE;
	*ret = r;
	return 0;
}

void check_dns_combine(struct check_dns_sample *s, const struct check_dns_reply *r, bool first)
{
	/* authority is judged on the answers that carried records (dnsmasq sets AA on them, not on NODATA) */
	if (r->outcome == CHECK_DNS_ANSWER) {
		s->authoritative = s->answered ? s->authoritative && r->authoritative : r->authoritative;
		s->answered = true;
	}
	if (first) {
		s->outcome = r->outcome;
		s->rcode = r->rcode;
		return;
	}
	/* A and AAAA: an address of either kind is an answer; an empty one beside it is no failure */
	if ((s->outcome == CHECK_DNS_ANSWER && r->outcome == CHECK_DNS_NODATA) ||
	    (s->outcome == CHECK_DNS_NODATA && r->outcome == CHECK_DNS_ANSWER)) {
		s->outcome = CHECK_DNS_ANSWER;
		return;
	}
	if (r->outcome > s->outcome) {
		s->outcome = r->outcome;
		s->rcode = r->rcode;
	}
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void check_dns_sort(struct check_dns_sample *s)
{
	size_t j = 0;

	if (s->nanswers == 0)
		return;
	qsort(s->answers, s->nanswers, sizeof(s->answers[0]), cmp_str);
	for (size_t i = 1; i < s->nanswers; i++) {
		if (strcmp(s->answers[i], s->answers[j]) == 0) {
			free(s->answers[i]);
			s->answers[i] = NULL;
		} else {
			s->answers[++j] = s->answers[i];
			if (j != i)
				s->answers[i] = NULL;
		}
	}
	s->nanswers = j + 1;
}

void check_dns_sample_release(struct check_dns_sample *s)
{
	for (size_t i = 0; i < s->nanswers; i++)
		free(s->answers[i]);
	s->nanswers = 0;
}

int check_dns_qname(const char *host, int qtype, char *buf, size_t len, bool *ret_ptr)
{
	unsigned char a[16];
	size_t off = 0;

	*ret_ptr = false;
	if (qtype != CHECK_DNS_T_PTR && qtype != CHECK_DNS_T_DEFAULT)
		return snprintf(buf, len, "%s", host) < (int)len ? 0 : MSP_EINVAL;
	if (inet_pton(AF_INET, host, a) == 1) {
		snprintf(buf, len, "%u.%u.%u.%u.in-addr.arpa", a[3], a[2], a[1], a[0]);
	} else if (inet_pton(AF_INET6, host, a) == 1) {
		for (int i = 15; i >= 0; i--)
			off += (size_t)snprintf(buf + off, len - off, "%x.%x.", a[i] & 0xf, a[i] >> 4);
		snprintf(buf + off, len - off, "ip6.arpa");
	} else {
		return snprintf(buf, len, "%s", host) < (int)len ? 0 : MSP_EINVAL;
	}
	*ret_ptr = true;
	return 0;
}

/* want "ADDRESS/BITS": does answer (an address of the same family) lie in that network? */
static bool cidr_match(const char *answer, const char *want)
{
	char net[INET6_ADDRSTRLEN + 1];
	const char *slash = strchr(want, '/');
	unsigned char a[16], n[16];
	int af, max, bits;
	char *end = NULL;
	long b;

	if (!slash || (size_t)(slash - want) >= sizeof(net))
		return false;
	memcpy(net, want, (size_t)(slash - want));
	net[slash - want] = '\0';
	af = strchr(net, ':') ? AF_INET6 : AF_INET;
	max = af == AF_INET ? 32 : 128;
	b = strtol(slash + 1, &end, 10);
	if (end == slash + 1 || *end || b < 0 || b > max)
		return false;
	if (inet_pton(af, net, n) != 1 || inet_pton(af, answer, a) != 1)
		return false;
	bits = (int)b;
	for (int i = 0; bits > 0; i++, bits -= 8) {
		unsigned char mask = bits >= 8 ? 0xff : (unsigned char)(0xff << (8 - bits));

		if ((a[i] & mask) != (n[i] & mask))
			return false;
	}
	return true;
}

bool check_dns_match(const char *answer, const char *want)
{
	return strcmp(answer, want) == 0 || cidr_match(answer, want);
}
