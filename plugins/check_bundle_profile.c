/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * check_bundle_profile.c - check_bundle's profile language: the words of a
 * command line (check_bundle_split), the config lines "NAME [(OPTIONS)] =
 * COMMAND LINE" (check_bundle_parse_config), --set (check_bundle_set_args)
 * and the lookup of bare plugin names (check_bundle_resolve).  Pure apart
 * from memory; no I/O.  The API is in check_bundle.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_bundle.h"

/* ------------------------------------------------------------- words */

static int add_word(char ***argv, size_t *argc, struct msp_buf *w, struct msp_error *err)
{
	char **nv;

	if (*argc >= CHECK_BUNDLE_ARGS_MAX)
		return msp_error_set(err, MSP_EINVAL, "more than %d words", CHECK_BUNDLE_ARGS_MAX);
	/* checked here, before the buffer is reset for the next word: a cut word never runs */
	if (w->truncated)
		return msp_error_set(err, MSP_EINVAL, "a word is longer than %d bytes", CHECK_BUNDLE_WORD_MAX);
	nv = realloc(*argv, (*argc + 2) * sizeof(*nv));
	if (!nv)
		return msp_error_set(err, MSP_ENOMEM, "out of memory");
	*argv = nv;
	nv[*argc] = strdup(msp_buf_str(w));
	if (!nv[*argc])
		return msp_error_set(err, MSP_ENOMEM, "out of memory");
	nv[++*argc] = NULL;
	msp_buf_reset(w);
	return 0;
}

void check_bundle_free_argv(char **argv)
{
	for (size_t i = 0; argv && argv[i]; i++)
		free(argv[i]);
	free(argv);
}

/* Read one quoted part starting after the opening quote q at *pp into w; 0 or MSP_EINVAL. */
static int quoted(const char **pp, char q, struct msp_buf *w, struct msp_error *err)
{
	const char *p = *pp;

	for (; *p && *p != q; p++) {
		if (q == '"' && *p == '\\' && (p[1] == '"' || p[1] == '\\'))
			p++;
		msp_buf_addc(w, *p);
	}
	if (!*p)
		return msp_error_set(err, MSP_EINVAL, "unterminated %s quote", q == '"' ? "double" : "single");
	*pp = p + 1;
	return 0;
}

/* check_bundle_split() that allows a line without words (*ret_argv NULL then). */
static int split_words(const char *line, char ***ret_argv, size_t *ret_argc, struct msp_error *err)
{
	char **argv = NULL;
	size_t argc = 0;
	bool in_word = false;
	struct msp_buf w;
	int r = 0;

	msp_buf_init(&w, CHECK_BUNDLE_WORD_MAX);
	for (const char *p = line; r == 0 && *p;) {
		char c = *p;

		if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
			if (in_word)
				r = add_word(&argv, &argc, &w, err);
			in_word = false;
			p++;
		} else if (c == '#' && !in_word) {
			break;
		} else if (c == '\'' || c == '"') {
			p++;
			in_word = true;
			r = quoted(&p, c, &w, err);
		} else if (c == '\\') {
			if (!p[1]) {
				r = msp_error_set(err, MSP_EINVAL, "a backslash ends the line");
				break;
			}
			msp_buf_addc(&w, p[1]);
			in_word = true;
			p += 2;
		} else if (c == '|') {
			/* named in words: a '|' in human text would end the plugin line (it prints as '/') */
			r = msp_error_set(err, MSP_EINVAL, "a pipe symbol is shell syntax, but no shell runs the command (quote it)");
		} else if (strchr("&;<>()`$", c)) {
			r = msp_error_set(err, MSP_EINVAL, "'%c' is shell syntax, but no shell runs the command (quote it)", c);
		} else {
			msp_buf_addc(&w, c);
			in_word = true;
			p++;
		}
	}
	if (r == 0 && (in_word || w.truncated))
		r = add_word(&argv, &argc, &w, err);
	msp_buf_release(&w);
	if (r < 0) {
		check_bundle_free_argv(argv);
		return r;
	}
	*ret_argv = argv;
	*ret_argc = argc;
	return 0;
}

int check_bundle_split(const char *line, char ***ret_argv, size_t *ret_argc, struct msp_error *err)
{
	char **argv;
	size_t argc;
	int r = split_words(line, &argv, &argc, err);

	if (r == 0 && argc == 0)
		return msp_error_set(err, MSP_EINVAL, "no command");
	if (r == 0) {
		*ret_argv = argv;
		*ret_argc = argc;
	}
	return r;
}

void check_bundle_quote(struct msp_buf *b, const char *w)
{
	if (*w && *w != '#' && !strpbrk(w, " \t\r\n'\"\\|&;<>()`$")) {
		msp_buf_adds(b, w);
	} else if (!strchr(w, '\'')) {
		msp_buf_addf(b, "'%s'", w);
	} else {
		msp_buf_addc(b, '"');
		for (; *w; w++) {
			if (*w == '"' || *w == '\\')
				msp_buf_addc(b, '\\');
			msp_buf_addc(b, *w);
		}
		msp_buf_addc(b, '"');
	}
}

/* ------------------------------------------------------------ config */

void check_bundle_free_entries(struct check_bundle_entry *e, size_t n)
{
	for (size_t i = 0; e && i < n; i++) {
		check_bundle_free_argv(e[i].argv);
		free(e[i].requires);
	}
	free(e);
}

/* One "key[=value]" of the (...) list. */
static int line_option(struct check_bundle_entry *e, const char *opt, size_t len, struct msp_error *err)
{
	char buf[CHECK_BUNDLE_WORD_MAX + 1];
	const char *val;
	double secs;

	if (len == 0)
		return msp_error_set(err, MSP_EINVAL, "empty option in ( )");
	if (len >= sizeof(buf))
		return msp_error_set(err, MSP_EINVAL, "option in ( ) longer than %d bytes", CHECK_BUNDLE_WORD_MAX);
	memcpy(buf, opt, len);
	buf[len] = '\0';
	val = strchr(buf, '=');
	if (strcmp(buf, "optional") == 0) {
		e->optional = true;
	} else if (val && strncmp(buf, "timeout=", 8) == 0) {
		if (msp_num_duration(val + 1, &secs, err) < 0 || secs <= 0 || secs > 86400)
			return msp_error_set(err, MSP_EINVAL, "timeout '%.40s' is not a duration from 1ms to 1d", val + 1);
		e->timeout = secs;
	} else if (val && strncmp(buf, "requires=", 9) == 0 && val[1] == '/') {
		free(e->requires);
		if (!(e->requires = strdup(val + 1)))
			return msp_error_set(err, MSP_ENOMEM, "out of memory");
	} else {
		return msp_error_set(err, MSP_EINVAL, "unknown option '%.40s' (optional, timeout=DURATION, requires=/PATH)",
				     buf);
	}
	return 0;
}

/* "NAME [(OPTIONS)] = COMMAND" into e; the text after '=' is split into words. */
static int parse_line(const char *s, struct check_bundle_entry *e, struct msp_error *err)
{
	size_t n = strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-");
	const char *p = s + n;

	if (n == 0)
		return msp_error_set(err, MSP_EINVAL, "expected 'NAME = COMMAND LINE'");
	if (n > CHECK_BUNDLE_NAME_MAX)
		return msp_error_set(err, MSP_EINVAL, "name longer than %d characters", CHECK_BUNDLE_NAME_MAX);
	memcpy(e->name, s, n);
	e->name[n] = '\0';
	p += strspn(p, " \t");
	if (*p == '(') {
		const char *close = strchr(p, ')');

		if (!close)
			return msp_error_set(err, MSP_EINVAL, "'(' without ')'");
		for (p++; p < close;) {
			size_t l;

			p += strspn(p, " \t");
			l = strcspn(p, ",)");
			while (l > 0 && (p[l - 1] == ' ' || p[l - 1] == '\t'))
				l--;
			if (line_option(e, p, l, err) < 0)
				return MSP_EINVAL;
			p += strcspn(p, ",)");
			if (*p == ',')
				p++;
		}
		p = close + 1 + strspn(close + 1, " \t");
	}
	if (*p != '=')
		return msp_error_set(err, MSP_EINVAL, "expected '=' after the name '%s'", e->name);
	return check_bundle_split(p + 1, &e->argv, &e->argc, err);
}

/* Parse line s (number lineno) into v[*n] and count it; v has room for CHECK_BUNDLE_MAX entries. */
static int config_entry(const char *s, const char *origin, unsigned lineno, struct check_bundle_entry *v, size_t *n,
			struct msp_error *err)
{
	struct check_bundle_entry *e = &v[*n];
	struct msp_error e2;
	int r;

	if (*n >= CHECK_BUNDLE_MAX)
		return msp_error_set(err, MSP_EINVAL, "%s line %u: more than %d checks", origin, lineno,
				     CHECK_BUNDLE_MAX);
	(*n)++; /* counted also on error, so it is freed */
	e->line = lineno;
	msp_error_init(&e2);
	if ((r = parse_line(s, e, &e2)) < 0)
		return msp_error_set(err, r, "%s line %u: %s", origin, lineno, e2.msg);
	for (size_t i = 0; i + 1 < *n; i++)
		if (strcmp(v[i].name, e->name) == 0)
			return msp_error_set(err, MSP_EINVAL, "%s line %u: the name '%s' is used twice", origin, lineno,
					     e->name);
	return 0;
}

int check_bundle_parse_config(const char *text, const char *origin, struct check_bundle_entry **ret_entries,
			      size_t *ret_n, struct msp_error *err)
{
	struct check_bundle_entry *v = calloc(CHECK_BUNDLE_MAX, sizeof(*v));
	unsigned lineno = 0;
	size_t n = 0;
	int r = 0;

	if (!v)
		return msp_error_set(err, MSP_ENOMEM, "out of memory");
	for (const char *p = text; *p && r == 0;) {
		size_t len = strcspn(p, "\n");
		char *line;
		const char *s;

		lineno++;
		if (len > CHECK_BUNDLE_LINE_MAX) {
			r = msp_error_set(err, MSP_EINVAL, "%s line %u: line longer than %d bytes", origin, lineno,
					  CHECK_BUNDLE_LINE_MAX);
			break;
		}
		line = strndup(p, len);
		p += len + (p[len] == '\n');
		if (!line) {
			r = msp_error_set(err, MSP_ENOMEM, "out of memory");
			break;
		}
		s = line + strspn(line, " \t\r");
		if (*s && *s != '#')
			r = config_entry(s, origin, lineno, v, &n, err);
		free(line);
	}
	if (r < 0) {
		check_bundle_free_entries(v, n);
		return r;
	}
	*ret_entries = v;
	*ret_n = n;
	return 0;
}

int check_bundle_resolve(struct check_bundle_entry *e, const char *dir, struct msp_error *err)
{
	char *path;

	if (e->argv[0][0] == '/')
		return 0;
	if (strchr(e->argv[0], '/'))
		return msp_error_set(err, MSP_EINVAL, "'%s': give a bare plugin name or an absolute path", e->argv[0]);
	if (asprintf(&path, "%s/%s", dir, e->argv[0]) < 0)
		return msp_error_set(err, MSP_ENOMEM, "out of memory");
	free(e->argv[0]);
	e->argv[0] = path;
	e->bare = true;
	return 0;
}

int check_bundle_name_error(struct msp_error *err, const char *opt, const char *name, size_t len,
			    const struct check_bundle_entry *v, size_t n, const char *origin)
{
	struct msp_buf b;
	int r;

	msp_buf_init(&b, 300);
	for (size_t i = 0; i < n; i++)
		msp_buf_addf(&b, "%s%s", i ? ", " : "", v[i].name);
	r = msp_error_set(err, MSP_EINVAL, "%s '%.*s': no such check in %s (%s%s)", opt, (int)(len > 40 ? 40 : len),
			  name, origin, n ? msp_buf_str(&b) : "none", b.truncated ? " ..." : "");
	msp_buf_release(&b);
	return r;
}

int check_bundle_set_args(struct check_bundle_entry *v, size_t n, const char *spec, const char *origin,
			  struct msp_error *err)
{
	const char *eq = strchr(spec, '=');
	size_t len = eq ? (size_t)(eq - spec) : strlen(spec), i = 0, argc;
	char **words, **nv;
	struct msp_error e2;

	if (!eq)
		return msp_error_set(err, MSP_EINVAL, "--set '%.40s': expected NAME=ARGUMENTS", spec);
	while (i < n && (strlen(v[i].name) != len || strncmp(v[i].name, spec, len) != 0))
		i++;
	if (i == n)
		return check_bundle_name_error(err, "--set", spec, len, v, n, origin);
	msp_error_init(&e2);
	if (split_words(eq + 1, &words, &argc, &e2) < 0)
		return msp_error_set(err, e2.code, "--set '%s': %s", v[i].name, e2.msg);
	nv = calloc(argc + 2, sizeof(*nv));
	if (!nv) {
		check_bundle_free_argv(words);
		return msp_error_set(err, MSP_ENOMEM, "out of memory");
	}
	nv[0] = v[i].argv[0]; /* the program stays, its arguments go */
	for (size_t k = 0; k < argc; k++)
		nv[k + 1] = words[k];
	free(words);
	for (size_t k = 1; k < v[i].argc; k++)
		free(v[i].argv[k]);
	free(v[i].argv);
	v[i].argv = nv;
	v[i].argc = argc + 1;
	return 0;
}
