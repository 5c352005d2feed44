/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * check_apt_parse.c - the pure parsing of check_apt: OPTS split into words,
 * the apt paths they select, `apt-get -s` output (Inst lines, kept-back
 * lists, the summary and its cross-check), dpkg status files (holds) and
 * the phased updates among the kept-back packages.  No I/O.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "check_apt.h"

#define KEPT_BACK_HEAD "The following packages have been kept back:"
/* apt 2.7+ lists phased updates apart; they are "not upgraded" as the kept-back ones (apt 2.6 lists them there). */
#define DEFERRED_HEAD "The following upgrades have been deferred due to phasing:"

/* ------------------------------------------------------------- small lists */

int check_apt_names_add(struct check_apt_names *l, const char *name)
{
	char **v;
	char *copy = strdup(name);

	if (!copy)
		return MSP_ENOMEM;
	v = realloc(l->v, (l->n + 1) * sizeof(*v));
	if (!v) {
		free(copy);
		return MSP_ENOMEM;
	}
	l->v = v;
	l->v[l->n++] = copy;
	return 0;
}

/* Names compare without an ":arch" suffix: dpkg's status names a held libc6 "libc6", apt "libc6:i386". */
static bool same_package(const char *a, const char *b)
{
	size_t la = strcspn(a, ":"), lb = strcspn(b, ":");

	return la == lb && strncmp(a, b, la) == 0;
}

bool check_apt_names_has(const struct check_apt_names *l, const char *name)
{
	for (size_t i = 0; i < l->n; i++)
		if (same_package(l->v[i], name))
			return true;
	return false;
}

void check_apt_names_release(struct check_apt_names *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

static void run_release(struct check_apt_run *r)
{
	free(r->why);
	free(r->err_line);
	*r = (struct check_apt_run){ 0 };
}

void check_apt_sample_release(struct check_apt_sample *s)
{
	run_release(&s->update);
	run_release(&s->upgrade);
	for (size_t i = 0; i < s->npkg; i++) {
		free(s->pkg[i].name);
		free(s->pkg[i].line);
	}
	free(s->pkg);
	check_apt_names_release(&s->kept_back);
	check_apt_names_release(&s->held);
	check_apt_names_release(&s->phased);
	free(s->held_error);
	free(s->phased_error);
	free(s->lists_dir);
	free(s->lists_error);
	*s = (struct check_apt_sample){ 0 };
}

/* ------------------------------------------------------------------ OPTS */

void check_apt_words_free(char **words)
{
	for (size_t i = 0; words && words[i]; i++)
		free(words[i]);
	free(words);
}

static int push_word(char ***v, size_t *n, const char *p, size_t len)
{
	char **nv = realloc(*v, (*n + 2) * sizeof(**v));

	if (!nv)
		return MSP_ENOMEM;
	*v = nv;
	if (!(nv[*n] = strndup(p, len)))
		return MSP_ENOMEM;
	nv[++*n] = NULL;
	return 0;
}

int check_apt_split_opts(const char *opts, char ***ret, size_t *ret_n, struct msp_error *err)
{
	static const char blanks[] = " \t\n\r\v\f";
	char **v = NULL;
	size_t n = 0;
	const char *p = opts;
	int r;

	if (strchr(opts, '"'))
		return msp_error_set(err, MSP_EINVAL,
				     "cannot split apt-get options '%.200s': \" is not supported (use ')", opts);
	v = calloc(1, sizeof(*v)); /* no words yet: an empty NULL-terminated array */
	if (!v)
		goto nomem;
	for (;;) {
		p += strspn(p, blanks);
		if (!*p)
			break;
		if (*p == '\'') {
			const char *q = strchr(p + 1, '\'');

			if (!q) {
				check_apt_words_free(v);
				return msp_error_set(err, MSP_EINVAL,
						     "cannot split apt-get options '%.200s': unterminated '", opts);
			}
			r = push_word(&v, &n, p + 1, (size_t)(q - p - 1));
			p = q + 1;
		} else {
			size_t len = strcspn(p, blanks);

			r = push_word(&v, &n, p, len);
			p += len;
		}
		if (r < 0)
			goto nomem;
	}
	*ret = v;
	*ret_n = n;
	return 0;
nomem:
	check_apt_words_free(v);
	return msp_error_set(err, MSP_ENOMEM, "out of memory");
}

/* "NAME=VALUE" of an -o option when NAME is name (any case): the value, else NULL. */
static const char *option_value(const char *assign, const char *name)
{
	size_t len = strlen(name);

	if (strncasecmp(assign, name, len) == 0 && assign[len] == '=')
		return assign + len + 1;
	return NULL;
}

/* The NAME=VALUE text of word i when it is an apt -o/--option, else NULL; *skip says how many words it used. */
static const char *apt_option(char *const *words, size_t n, size_t i, size_t *skip)
{
	const char *w = words[i];

	*skip = 1;
	if (strcmp(w, "-o") == 0 || strcmp(w, "--option") == 0) {
		if (i + 1 >= n)
			return NULL;
		*skip = 2;
		return words[i + 1];
	}
	if (strncmp(w, "-o", 2) == 0)
		return w + 2;
	if (strncmp(w, "--option=", 9) == 0)
		return w + 9;
	return NULL;
}

/* base + "/" + rel, or rel alone when it is absolute. */
static char *join_path(const char *base, const char *rel)
{
	char *s = NULL;

	if (rel[0] == '/')
		return strdup(rel);
	if (asprintf(&s, "%s%s%s", base, base[0] && base[strlen(base) - 1] == '/' ? "" : "/", rel) < 0)
		return NULL;
	return s;
}

int check_apt_paths(char *const *words, size_t n, char **ret_lists, char **ret_status)
{
	const char *dir = "/", *state = "var/lib/apt/", *lists = "lists/", *status = NULL, *v;
	char *state_dir = NULL, *l = NULL, *st = NULL, *dpkg = NULL;
	size_t skip;

	for (size_t i = 0; i < n; i += skip) {
		const char *o = apt_option(words, n, i, &skip);

		if (!o)
			continue;
		if ((v = option_value(o, "Dir")))
			dir = v;
		else if ((v = option_value(o, "Dir::State")))
			state = v;
		else if ((v = option_value(o, "Dir::State::Lists")))
			lists = v;
		else if ((v = option_value(o, "Dir::State::status")))
			status = v;
	}
	state_dir = join_path(dir, state);
	if (!state_dir)
		goto out;
	l = join_path(state_dir, lists);
	/* apt moves the default status file along with Dir; an explicit one is taken as given. */
	st = status ? join_path(state_dir, status) : (dpkg = join_path(dir, "var/lib/dpkg/status"), dpkg);
	if (!l || !st)
		goto out;
	*ret_lists = l;
	*ret_status = st;
	free(state_dir);
	return 0;
out:
	free(state_dir);
	free(l);
	free(st);
	return MSP_ENOMEM;
}

/* ----------------------------------------------------------------- parse */

static int add_pkg(struct check_apt_sample *s, const char *line, size_t len)
{
	struct check_apt_pkg *v;
	const char *name = line + 5;
	char *n = strndup(name, strcspn(name, " \t\n")), *l = strndup(line, len);

	v = n && l ? realloc(s->pkg, (s->npkg + 1) * sizeof(*v)) : NULL;
	if (!v) {
		free(n);
		free(l);
		return MSP_ENOMEM;
	}
	s->pkg = v;
	s->pkg[s->npkg++] = (struct check_apt_pkg){ n, l };
	return 0;
}

/* Add the blank-separated names of one continuation line of apt's "kept back" list. */
static int add_names(struct check_apt_names *l, const char *line, size_t len)
{
	char word[256];
	size_t i = 0;

	while (i < len) {
		size_t w;

		i += strspn(line + i, " \t");
		w = strcspn(line + i, " \t\n");
		if (w > len - i)
			w = len - i;
		if (w == 0)
			break;
		snprintf(word, sizeof(word), "%.*s", (int)w, line + i);
		if (check_apt_names_add(l, word) < 0)
			return MSP_ENOMEM;
		i += w;
	}
	return 0;
}

/* "N upgraded, M newly installed, ..." ends apt's lists. */
static bool is_summary(const char *line)
{
	const char *p = line + strspn(line, "0123456789");

	return p != line && strncmp(p, " upgraded, ", 11) == 0;
}

/* "<digits><text>" at *p: the number into *ret and *p past text.  False when it is not there. */
static bool read_count(const char **p, const char *text, unsigned long *ret)
{
	size_t d = strspn(*p, "0123456789"), tl = strlen(text);
	unsigned long v = 0;

	if (d == 0 || d > 9 || strncmp(*p + d, text, tl) != 0)
		return false;
	for (size_t i = 0; i < d; i++)
		v = v * 10 + (unsigned long)((*p)[i] - '0');
	*ret = v;
	*p += d + tl;
	return true;
}

/* apt's summary line (apt-private/private-output.cc prints it in this order); false when it reads otherwise. */
static bool parse_summary(const char *line, size_t len, struct check_apt_summary *ret)
{
	char buf[512];
	const char *p = buf;
	struct check_apt_summary c = { 0 };

	if (len >= sizeof(buf))
		return false;
	memcpy(buf, line, len);
	buf[len] = '\0';
	if (!read_count(&p, " upgraded, ", &c.upgraded) || !read_count(&p, " newly installed, ", &c.newly_installed))
		return false;
	read_count(&p, " reinstalled, ", &c.reinstalled);
	read_count(&p, " downgraded, ", &c.downgraded);
	if (!read_count(&p, " to remove and ", &c.to_remove) || !read_count(&p, " not upgraded.", &c.not_upgraded) ||
	    *p != '\0')
		return false;
	*ret = c;
	return true;
}

/* One line outside the kept-back list: Inst/Remv/Purg lines, apt's progress and its summary. */
static int parse_line(struct check_apt_sample *s, const char *line, size_t len)
{
	if (strncmp(line, "Inst ", 5) == 0) {
		const char *after = line + 5 + strcspn(line + 5, " \n");

		/* "Inst NAME [INSTALLED] (NEW ...)": an upgrade, downgrade or reinstall; no [ ]: a new package */
		if (strncmp(after, " [", 2) != 0)
			s->n_new++;
		return add_pkg(s, line, len);
	}
	if (strncmp(line, "Remv ", 5) == 0 || strncmp(line, "Purg ", 5) == 0)
		s->n_remove++;
	else if (strncmp(line, "Reading package lists...", 24) == 0)
		s->progress_seen = true;
	else if (is_summary(line)) {
		s->summary_seen = true;
		s->n_summary++;
		if (!parse_summary(line, len, &s->summary)) {
			s->summary_bad = true;
			snprintf(s->summary_line, sizeof(s->summary_line), "%.*s", (int)len, line);
		}
	}
	return 0;
}

int check_apt_parse_simulation(const char *out, struct check_apt_sample *s)
{
	bool in_kept = false;

	for (const char *line = out; *line;) {
		const char *nl = strchr(line, '\n');
		size_t len = nl ? (size_t)(nl - line) : strlen(line);

		if (in_kept && line[0] == ' ') {
			if (add_names(&s->kept_back, line, len) < 0)
				return MSP_ENOMEM;
		} else {
			in_kept = strncmp(line, KEPT_BACK_HEAD, strlen(KEPT_BACK_HEAD)) == 0 ||
				  strncmp(line, DEFERRED_HEAD, strlen(DEFERRED_HEAD)) == 0;
			if (parse_line(s, line, len) < 0)
				return MSP_ENOMEM;
		}
		line += len + (nl ? 1 : 0);
	}
	return 0;
}

/*
 * A summary that the rest of the output contradicts means lines were lost
 * (or the output is not apt's): with no Inst line at all the counts would
 * read 0 packages, OK.  Only the summary that apt prints below -qq can be
 * checked; -qq output has none (the reference's default).
 */
int check_apt_verify_simulation(const struct check_apt_sample *s, struct msp_error *err)
{
	const struct check_apt_summary *c = &s->summary;
	unsigned long with_installed = c->upgraded + c->reinstalled + c->downgraded;
	size_t n_installed = s->npkg - s->n_new;
	char other[64] = "";

	if (!s->summary_seen)
		return s->progress_seen ? msp_error_set(err, MSP_EINVAL,
							"apt-get output has progress lines but no \"N upgraded, ...\" "
							"summary line: output incomplete") :
					  0;
	if (s->n_summary > 1)
		return msp_error_set(err, MSP_EINVAL, "apt-get output has %zu summary lines, want 1", s->n_summary);
	if (s->summary_bad)
		return msp_error_set(err, MSP_EINVAL, "cannot read the summary line '%s'", s->summary_line);
	if (c->reinstalled)
		snprintf(other, sizeof(other), ", %lu reinstalled", c->reinstalled);
	if (c->downgraded)
		snprintf(other + strlen(other), sizeof(other) - strlen(other), ", %lu downgraded", c->downgraded);
	if (with_installed != n_installed)
		return msp_error_set(err, MSP_EINVAL, "the summary says %lu upgraded%s but %zu Inst lines upgrade",
				     c->upgraded, other, n_installed);
	if (c->newly_installed != s->n_new)
		return msp_error_set(err, MSP_EINVAL, "the summary says %lu newly installed but %zu Inst lines install",
				     c->newly_installed, s->n_new);
	if (c->to_remove != s->n_remove)
		return msp_error_set(err, MSP_EINVAL, "the summary says %lu to remove but %zu Remv lines", c->to_remove,
				     s->n_remove);
	if (c->not_upgraded != s->kept_back.n)
		return msp_error_set(err, MSP_EINVAL,
				     "the summary says %lu not upgraded but %zu packages are kept back",
				     c->not_upgraded, s->kept_back.n);
	return 0;
}

/* The value of field name in the stanza line, or NULL. */
static const char *field(const char *line, size_t len, const char *name, size_t *ret_len)
{
	size_t nl = strlen(name);

	if (len <= nl || strncasecmp(line, name, nl) != 0 || line[nl] != ':')
		return NULL;
	line += nl + 1;
	len -= nl + 1;
	while (len && (*line == ' ' || *line == '\t')) {
		line++;
		len--;
	}
	*ret_len = len;
	return line;
}

/* A Status value "hold ok installed" (selection, flag, state) of a package that is installed. */
static bool status_held(const char *v, size_t len)
{
	char st[128];

	snprintf(st, sizeof(st), "%.*s", (int)len, v);
	if (strncmp(st, "hold ", 5) != 0)
		return false;
	return !strstr(st, " not-installed") && !strstr(st, " config-files");
}

int check_apt_parse_status(const char *text, struct check_apt_names *held)
{
	char name[256] = "";
	bool hold = false;
	size_t packages = 0;

	for (const char *line = text;;) {
		const char *nl = strchr(line, '\n');
		size_t len = nl ? (size_t)(nl - line) : strlen(line), vl;
		const char *v;

		if (len == 0) { /* a blank line (or the end) closes a stanza */
			if (hold && name[0] && check_apt_names_add(held, name) < 0)
				return MSP_ENOMEM;
			name[0] = '\0';
			hold = false;
		} else if ((v = field(line, len, "Package", &vl))) {
			snprintf(name, sizeof(name), "%.*s", (int)vl, v);
			packages++;
		} else if ((v = field(line, len, "Status", &vl))) {
			hold = status_held(v, vl);
		}
		if (!nl)
			break;
		line = nl + 1;
	}
	if (hold && name[0])
		return check_apt_names_add(held, name);
	/* dpkg itself is installed wherever apt runs: no package at all is not a system without holds */
	return packages ? 0 : MSP_EINVAL;
}

/* ------------------------------------------------------------- phasing */

int check_apt_find_phased(struct check_apt_sample *s, const struct check_apt_sample *all)
{
	for (size_t i = 0; i < s->kept_back.n; i++) {
		const char *k = s->kept_back.v[i];
		bool installs = false;

		for (size_t j = 0; j < all->npkg && !installs; j++)
			installs = strcmp(all->pkg[j].name, k) == 0;
		if (installs && !check_apt_names_has(&s->held, k) && check_apt_names_add(&s->phased, k) < 0)
			return MSP_ENOMEM;
	}
	return 0;
}
