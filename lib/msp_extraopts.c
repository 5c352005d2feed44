/* SPDX-License-Identifier: GPL-3.0-or-later */
/* msp_extraopts.c - --extra-opts ini files (see msp_extraopts.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "msp_buf.h"
#include "msp_extraopts.h"
#include "msp_file.h"
#include "banned.h"

#define INI_MAX (1 << 20)

const char *const msp_extraopts_default_files[] = {
	"/etc/nagios/plugins.ini",
	"/usr/local/nagios/etc/plugins.ini",
	"/usr/local/etc/nagios/plugins.ini",
	"/etc/opt/nagios/plugins.ini",
	"/etc/nagios-plugins.ini",
	"/usr/local/etc/nagios-plugins.ini",
	"/etc/opt/nagios-plugins.ini",
	"/etc/monitoring-plugins/monitoring-plugins.ini",
	NULL,
};

const char *const msp_extraopts_dir_files[] = { "plugins.ini", "nagios-plugins.ini", "monitoring-plugins.ini", NULL };

void msp_extraopts_free(char **argv)
{
	if (!argv)
		return;
	for (char **p = argv; *p; p++)
		free(*p);
	free(argv);
}

static int vec_push(char ***vec, int *n, char *s)
{
	char **v;

	if (!s)
		return MSP_ENOMEM;
	v = realloc(*vec, (size_t)(*n + 2) * sizeof(*v));
	if (!v) {
		free(s);
		return MSP_ENOMEM;
	}
	v[(*n)++] = s;
	v[*n] = NULL;
	*vec = v;
	return 0;
}

static char *trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r' || e[-1] == '\n'))
		*--e = '\0';
	return s;
}

/* Remove a trailing comment (';' or '#' at the start or after a blank) unless inside double quotes. */
static void strip_comment(char *s)
{
	bool q = false;

	for (char *p = s; *p; p++) {
		if (*p == '"')
			q = !q;
		else if (!q && (*p == ';' || *p == '#') && (p == s || p[-1] == ' ' || p[-1] == '\t')) {
			*p = '\0';
			return;
		}
	}
}

/* Append one "key[=value]" line of the chosen section to the vector as "--key[=value]". */
static int ini_option(char *t, const char *path, int lineno, char ***vec, int *n, struct msp_error *err)
{
	struct msp_buf opt;
	char *eq = strchr(t, '='), *key, *val;
	int r;

	if (eq)
		*eq = '\0';
	key = trim(t);
	if (*key == '\0')
		return msp_error_set(err, MSP_EINVAL, "cannot parse '%s' line %d: option without a name", path, lineno);
	msp_buf_init(&opt, 65536);
	msp_buf_addf(&opt, "--%s", key);
	if (eq) {
		size_t vl;

		val = trim(eq + 1);
		vl = strlen(val);
		if (vl >= 2 && val[0] == '"' && val[vl - 1] == '"') {
			val[vl - 1] = '\0';
			val++;
		}
		msp_buf_addf(&opt, "=%s", val);
	}
	if (opt.truncated) {
		/* A value cut short is another value: refuse it. */
		msp_buf_release(&opt);
		return msp_error_set(err, MSP_ETOOBIG, "cannot parse '%s' line %d: option '%.40s' is too long", path,
				     lineno, key);
	}
	r = vec_push(vec, n, msp_buf_detach(&opt));
	if (r < 0)
		return msp_error_set(err, r, "out of memory reading '%s'", path);
	return 0;
}

int msp_extraopts_read(const char *path, const char *section, char ***vec, int *n, struct msp_error *err)
{
	struct msp_buf b;
	char *line, *next;
	int found = 0, lineno = 0, r;
	bool in = false;

	msp_buf_init(&b, INI_MAX);
	/* msp_file_read reads a regular file only: a FIFO or /dev/stdin could block forever */
	r = msp_file_read(path, INI_MAX, &b, err);
	if (r < 0 || !b.data)
		goto out;
	for (line = b.data; line; line = next) {
		char *t;

		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		lineno++;
		strip_comment(line);
		t = trim(line);
		if (*t == '[') {
			char *close = strchr(t, ']');

			if (!close) {
				r = msp_error_set(err, MSP_EINVAL, "cannot parse '%s' line %d: '[' without ']'", path,
						  lineno);
				goto out;
			}
			*close = '\0';
			in = strcmp(trim(t + 1), section) == 0;
			found |= in;
		} else if (in && *t != '\0') {
			r = ini_option(t, path, lineno, vec, n, err);
			if (r < 0)
				goto out;
		}
	}
	r = found;
out:
	msp_buf_release(&b);
	return r;
}

/*
 * The default files tried so far (not there or not readable), for the
 * message when none is found or the one found lacks the section.
 */
struct tried {
	char list[2048]; /* "'a', 'b'" */
	size_t end[64];  /* where each listed path ends in list */
	size_t n, total; /* paths listed, paths tried */
};

/* path was not found, or (e not ENOENT) is there but cannot be read: that is said after it. */
static void tried_add(struct tried *t, const char *path, int e)
{
	size_t at = t->n ? t->end[t->n - 1] : 0;
	int w;

	t->total++;
	if (t->n < sizeof(t->end) / sizeof(t->end[0])) {
		w = snprintf(t->list + at, sizeof(t->list) - at, "%s'%s'%s%s%s", at ? ", " : "", path,
			     e == ENOENT ? "" : " (", e == ENOENT ? "" : strerror(e), e == ENOENT ? "" : ")");
		if (w > 0 && at + (size_t)w < sizeof(t->list))
			t->end[t->n++] = at + (size_t)w;
		else
			t->list[at] = '\0';
	}
}

/*
 * Set err to prefix (already formatted) followed by the paths tried,
 * as many as fit in a message; the rest are counted ("and 3 more"),
 * so the message is never cut inside a path.
 */
static int tried_error(struct msp_error *err, int code, const char *prefix, const struct tried *t)
{
	size_t used = strlen(prefix) + sizeof(" and 1000000 more"), k = t->n;
	size_t room = used < MSP_ERROR_MAX ? MSP_ERROR_MAX - used : 0;

	while (k > 0 && t->end[k - 1] > room)
		k--;
	if (k > 0 && k == t->total)
		return msp_error_set(err, code, "%s%.*s", prefix, (int)t->end[k - 1], t->list);
	if (k == 0)
		return msp_error_set(err, code, "%s%zu paths", prefix, t->total);
	return msp_error_set(err, code, "%s%.*s and %zu more", prefix, (int)t->end[k - 1], t->list, t->total - k);
}

/* Read section from the default file path, the first one found (as the reference does: it decides). */
static int read_found(const char *path, const char *section, const struct tried *t, char ***vec, int *n,
		      struct msp_error *err)
{
	char prefix[MSP_ERROR_MAX];
	int r = msp_extraopts_read(path, section, vec, n, err);

	if (r == 0 && t->total == 0)
		return msp_error_set(err, MSP_EINVAL, "no section '%s' in '%s', the first --extra-opts file found",
				     section, path);
	if (r == 0) {
		snprintf(prefix, sizeof(prefix),
			 "no section '%s' in '%s', the first --extra-opts file found; tried before it: ", section,
			 path);
		return tried_error(err, MSP_EINVAL, prefix, t);
	}
	return r < 0 ? r : 0;
}

/* The default search: $MP_CONFIG_FILE, each $NAGIOS_CONFIG_PATH directory, the fixed paths. */
static int search_defaults(const char *section, char ***vec, int *n, struct msp_error *err)
{
	const char *const *names = msp_extraopts_dir_files;
	struct tried t = { .n = 0, .total = 0 };
	char path[4096];
	const char *env;

	t.list[0] = '\0';
	env = getenv("MP_CONFIG_FILE");
	if (env && *env) {
		if (access(env, R_OK) == 0)
			return read_found(env, section, &t, vec, n, err);
		tried_add(&t, env, errno);
	}
	env = getenv("NAGIOS_CONFIG_PATH");
	for (const char *p = env ? env : ""; *p;) {
		size_t dl = strcspn(p, ":");

		for (size_t i = 0; dl > 0 && names[i]; i++) {
			int len = snprintf(path, sizeof(path), "%.*s/%s", (int)dl, p, names[i]);

			/* A cut path is another file: skip the directory. */
			if (len < 0 || (size_t)len >= sizeof(path))
				break;
			if (access(path, R_OK) == 0)
				return read_found(path, section, &t, vec, n, err);
			tried_add(&t, path, errno);
		}
		p += dl;
		if (*p == ':')
			p++;
	}
	for (size_t i = 0; msp_extraopts_default_files[i]; i++) {
		if (access(msp_extraopts_default_files[i], R_OK) == 0)
			return read_found(msp_extraopts_default_files[i], section, &t, vec, n, err);
		tried_add(&t, msp_extraopts_default_files[i], errno);
	}
	return tried_error(err, MSP_ENOENT, "cannot find an --extra-opts file: tried ", &t);
}

/* Read the options of one --extra-opts value ("", "section", "@file", "section@file"). */
static int expand_one(const char *spec, const char *plugin, char ***vec, int *n, struct msp_error *err)
{
	char section[256];
	const char *at = spec ? strchr(spec, '@') : NULL;
	int r;

	/* A section name cut short could name another section: refuse it instead. */
	if ((spec && at ? (size_t)(at - spec) : spec ? strlen(spec) : 0) >= sizeof(section))
		return msp_error_set(err, MSP_EINVAL, "--extra-opts section '%.40s...' is too long", spec);
	if (spec && at)
		snprintf(section, sizeof(section), "%.*s", (int)(at - spec), spec);
	else
		snprintf(section, sizeof(section), "%s", spec ? spec : "");
	if (section[0] == '\0')
		snprintf(section, sizeof(section), "%s", plugin);

	if (at) {
		r = msp_extraopts_read(at + 1, section, vec, n, err);
		if (r == 0)
			return msp_error_set(err, MSP_EINVAL, "no section '%s' in '%s'", section, at + 1);
		return r < 0 ? r : 0;
	}
	return search_defaults(section, vec, n, err);
}

int msp_extraopts_expand(int argc, char **argv, const char *plugin, int *ret_argc, char ***ret_argv,
			 struct msp_error *err)
{
	char **vec = NULL, **rest = NULL;
	int n = 0, nrest = 0, r = 0;

	r = vec_push(&vec, &n, strdup(argc > 0 ? argv[0] : plugin));
	if (r < 0)
		goto fail;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (strcmp(a, "--") == 0) {
			for (; i < argc; i++)
				if ((r = vec_push(&rest, &nrest, strdup(argv[i]))) < 0)
					goto fail;
			break;
		}
		if (strcmp(a, "--extra-opts") == 0) {
			r = expand_one(NULL, plugin, &vec, &n, err);
		} else if (strncmp(a, "--extra-opts=", 13) == 0) {
			r = expand_one(a + 13, plugin, &vec, &n, err);
		} else {
			r = vec_push(&rest, &nrest, strdup(a));
		}
		if (r < 0)
			goto fail;
	}
	for (int i = 0; i < nrest; i++) {
		r = vec_push(&vec, &n, rest[i]);
		rest[i] = NULL;
		if (r < 0)
			goto fail;
	}
	free(rest);
	*ret_argc = n;
	*ret_argv = vec;
	return 0;
fail:
	if (r == MSP_ENOMEM)
		msp_error_set(err, r, "out of memory expanding --extra-opts");
	if (rest) {
		for (int i = 0; i < nrest; i++)
			free(rest[i]);
		free(rest);
	}
	msp_extraopts_free(vec);
	return r;
}
