/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * fuzz_redact.c - msp_redact: secrets, URL and scp-style locations, and
 * the redaction of text.
 *
 * Input: one byte (how many secrets, 0-7, and whether the next line is a
 * location for msp_redact_add_url or msp_redact_add_location), that many
 * secret lines, the location line if any, then the text.  Invariants: no
 * secret the set holds (when it has no '*', which the mark itself is made
 * of) is left in the redacted text (for a secret with leading bytes kept,
 * the whole secret); redacting twice changes nothing more; msp_redact_buf
 * gives a prefix of the whole redaction, in place too, and never more than
 * fits.
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "msp.h"
#include "msp_redact.h"

static void check_redacted(const struct msp_redact *r, const char *text, const char *out)
{
	bool starless = true;
	char buf[64], *twice;
	size_t olen = strlen(out);

	for (size_t i = 0; i < r->n; i++) {
		const char *s = r->secret[i];

		if (strchr(s, '*')) {
			starless = false;
			continue;
		}
		FUZZ_ASSERT(!strstr(out, s), "secret '%s' (keep %u) is left in '%s' (from '%s')", s, r->keep[i], out,
			    text);
	}
	if (starless) {
		twice = msp_redact_dup(r, out);
		FUZZ_ASSERT(twice && strcmp(twice, out) == 0, "'%s' redacts to '%s', then to '%s'", text, out,
			    twice ? twice : "(null)");
		free(twice);
	}
	for (size_t len = 1; len <= sizeof(buf); len += 7) {
		size_t n;

		msp_redact_buf(r, text, buf, len);
		n = strlen(buf);
		FUZZ_ASSERT(n < len && n <= olen && memcmp(buf, out, n) == 0, "cut to %zu: '%s', whole '%s'", len, buf,
			    out);
		if (strlen(text) < len) {
			memcpy(buf, text, strlen(text) + 1);
			msp_redact_buf(r, buf, buf, len);
			FUZZ_ASSERT(strlen(buf) < len && strncmp(buf, out, strlen(buf)) == 0,
				    "in place, cut to %zu: '%s', whole '%s'", len, buf, out);
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct msp_redact r;
	unsigned nsecrets, location;
	char *text, *out;
	int rc;

	if (size < 1)
		return 0;
	nsecrets = data[0] & 7u;
	location = (data[0] >> 3) & 3u; /* 0 none, 1 URL, 2 scp-style, 3 none */
	data++;
	size--;
	msp_redact_init(&r);
	for (unsigned i = 0; i < nsecrets; i++) {
		char *s = fuzz_take(&data, &size, '\n');

		rc = msp_redact_add(&r, s);
		FUZZ_ASSERT(rc == 0 || rc == MSP_ETOOBIG, "add returned %d", rc);
		free(s);
	}
	if (location == 1 || location == 2) {
		char *s = fuzz_take(&data, &size, '\n');

		rc = location == 1 ? msp_redact_add_url(&r, s) : msp_redact_add_location(&r, s);
		FUZZ_ASSERT(rc == 0 || rc == MSP_ETOOBIG, "adding location '%s' returned %d", s, rc);
		free(s);
	}
	FUZZ_ASSERT(r.n <= MSP_REDACT_MAX, "%zu secrets", r.n);
	for (size_t i = 0; i < r.n; i++)
		FUZZ_ASSERT(r.secret[i] && r.secret[i][0], "secret %zu is empty", i);
	text = fuzz_strndup(data, size);
	out = msp_redact_dup(&r, text);
	FUZZ_ASSERT(out, "msp_redact_dup failed");
	check_redacted(&r, text, out);
	free(out);
	free(text);
	msp_redact_release(&r);
	return 0;
}
