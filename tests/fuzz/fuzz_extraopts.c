/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * fuzz_extraopts.c - msp_extraopts_read (--extra-opts ini files).
 *
 * Input: the section name, a newline, then the file's contents (written to
 * a temporary file: the reader takes a path).  Invariants: the result is 1
 * (section found), 0 (no options given back) or an error with a message;
 * the vector is NULL-terminated and every item is "--key" or "--key=value"
 * on one line; and the options, written again as a plain ini file
 * ("[section]" and "key=value" lines, where the text needs no quoting),
 * read back to the same vector.
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "msp.h"

static void free_vec(char **vec, int n)
{
	for (int i = 0; i < n; i++)
		free(vec[i]);
	free(vec);
}

/* True when s can be written to an ini line as it is and read back unchanged. */
static bool plain(const char *s, bool is_key)
{
	size_t n = strlen(s);

	if (n == 0)
		return !is_key;
	if (s[0] == ' ' || s[0] == '\t' || s[n - 1] == ' ' || s[n - 1] == '\t')
		return false;
	if (is_key && (s[0] == '[' || strchr(s, '=')))
		return false;
	return strpbrk(s, "\"#;]\r\n") == NULL;
}

static void check_rewrite(const char *section, char **vec, int n)
{
	struct msp_buf b;
	struct msp_error err;
	char **vec2 = NULL;
	int n2 = 0, r;

	if (!plain(section, true))
		return;
	for (int i = 0; i < n; i++) {
		const char *eq = strchr(vec[i] + 2, '=');
		char *key =
			fuzz_strndup((const uint8_t *)vec[i] + 2, eq ? (size_t)(eq - vec[i] - 2) : strlen(vec[i] + 2));
		bool ok = plain(key, true) && (!eq || plain(eq + 1, false));

		free(key);
		if (!ok)
			return;
	}
	msp_buf_init(&b, 1 << 22);
	msp_buf_addf(&b, "[%s]\n", section);
	for (int i = 0; i < n; i++)
		msp_buf_addf(&b, "%s\n", vec[i] + 2);
	FUZZ_ASSERT(!b.truncated, "rewritten file too long");
	msp_error_init(&err);
	r = msp_extraopts_read(fuzz_write_file(NULL, "again.ini", (const uint8_t *)b.data, b.len), section, &vec2, &n2,
			       &err);
	FUZZ_ASSERT(r == 1, "the rewritten file gives %d: %s\n%s", r, err.msg, b.data);
	FUZZ_ASSERT(n2 == n, "%d options, then %d\n%s", n, n2, b.data);
	for (int i = 0; i < n; i++)
		FUZZ_ASSERT(strcmp(vec[i], vec2[i]) == 0, "'%s' reads back as '%s'", vec[i], vec2[i]);
	free_vec(vec2, n2);
	msp_buf_release(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct msp_error err;
	char **vec = NULL;
	int n = 0, r;
	char *section = fuzz_take(&data, &size, '\n');
	const char *path = fuzz_write_file(NULL, "plugins.ini", data, size);

	msp_error_init(&err);
	r = msp_extraopts_read(path, section, &vec, &n, &err);
	FUZZ_ASSERT(r == 0 || r == 1 || (r < 0 && err.msg[0]), "returned %d, message '%s'", r, err.msg);
	FUZZ_ASSERT(n >= 0 && (n == 0 || vec), "%d options, vector %p", n, (void *)vec);
	if (vec)
		FUZZ_ASSERT(vec[n] == NULL, "the vector is not NULL-terminated");
	FUZZ_ASSERT(r == 1 || n == 0 || r < 0, "section '%s' not found, yet %d options", section, n);
	for (int i = 0; i < n; i++) {
		FUZZ_ASSERT(strncmp(vec[i], "--", 2) == 0 && vec[i][2] != '\0' && vec[i][2] != '=',
			    "option '%s' has no name", vec[i]);
		FUZZ_ASSERT(!strchr(vec[i], '\n'), "option '%s' spans lines", vec[i]);
	}
	if (r == 1)
		check_rewrite(section, vec, n);
	free_vec(vec, n);
	free(section);
	return 0;
}
