/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * check_apt - pending package updates (drop-in for monitoring-plugins check_apt).
 *
 * probe: apt-get update (-u), apt-get -s upgrade|dist-upgrade (and a second
 *        simulation that includes phased updates when apt kept packages back),
 *        the dpkg status file (holds) and the mtimes in apt's lists directory
 * parse: check_apt_split_opts(), check_apt_paths(), check_apt_parse_simulation(),
 *        check_apt_parse_status()      evaluate: check_apt_evaluate()
 */
#include <dirent.h>
#include <stdarg.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>

#include "check_apt.h"
#ifdef MSP_HAVE_APT_PKG
#include "check_apt_pkg.h"
#endif
#include "msp_cmd.h"

#define APT_OUT_MAX (16u << 20) /* a dist-upgrade of every package on a big system fits */
#define APT_ERR_MAX (64u << 10)
#define STATUS_MAX (128u << 20) /* dpkg status files of large systems are ~10 MiB */
#define KEPT_BACK_HEAD "The following packages have been kept back:"
/* apt 2.7+ lists phased updates apart; they are "not upgraded" as the kept-back ones (apt 2.6 lists them there). */
#define DEFERRED_HEAD "The following upgrades have been deferred due to phasing:"

enum {
	OPT_UPDATE,
	OPT_UPGRADE,
	OPT_DIST_UPGRADE,
	OPT_NO_UPGRADE,
	OPT_LIST,
	OPT_EXTRA_PERFDATA,
	OPT_INCLUDE,
	OPT_EXCLUDE,
	OPT_CRITICAL,
	OPT_ONLY_CRITICAL,
	OPT_PACKAGES_WARNING,
	OPT_INPUT_FILE,
	OPT_LISTS_MAX_AGE,
	OPT_LISTS_DIR,
	OPT_DPKG_STATUS,
	OPT_APT_GET,
};

static const struct msp_option options[] = {
	{ OPT_UPDATE, 'u', "update", MSP_ARG_OPTIONAL, "OPTS",
	  "First run 'apt-get OPTS update' (default OPTS: -q; needs root).  Its failure is\n"
	  "CRITICAL, warnings on its stderr are a WARNING" },
	{ OPT_UPGRADE, 'U', "upgrade", MSP_ARG_OPTIONAL, "OPTS",
	  "Simulate 'apt-get OPTS upgrade' (the default).  OPTS replace the default\n"
	  "options -o Debug::NoLocking=true -s -q: without -s apt-get really upgrades" },
	{ OPT_DIST_UPGRADE, 'd', "dist-upgrade", MSP_ARG_OPTIONAL, "OPTS",
	  "Simulate 'apt-get OPTS dist-upgrade' instead; OPTS as for -U" },
	{ OPT_NO_UPGRADE, 'n', "no-upgrade", MSP_ARG_NONE, NULL,
	  "Do not simulate the upgrade (useful with -u or --lists-max-age)" },
	{ OPT_LIST, 'l', "list", MSP_ARG_NONE, NULL,
	  "Name every package after line 1, as the reference does (the multi-line, table and\n"
	  "json formats name at most 20 of each kind without it)" },
	{ OPT_EXTRA_PERFDATA, 0, "extra-perfdata", MSP_ARG_NONE, NULL,
	  "Add held, phased, kept_back and lists_age to the reference's two perfdata items\n"
	  "(lists_age comes with --lists-max-age too)" },
	{ OPT_INCLUDE, 'i', "include", MSP_ARG_REQUIRED, "REGEXP",
	  "Count only packages whose Inst line matches REGEXP (POSIX extended; repeat to\n"
	  "add alternatives)" },
	{ OPT_EXCLUDE, 'e', "exclude", MSP_ARG_REQUIRED, "REGEXP",
	  "Do not count packages whose Inst line matches REGEXP" },
	{ OPT_CRITICAL, 'c', "critical", MSP_ARG_REQUIRED, "REGEXP",
	  "An included package whose Inst line matches REGEXP is a critical update\n"
	  "(CRITICAL).  Default, for Debian and Ubuntu security updates:\n"
	  "  " CHECK_APT_SECURITY_REGEX },
	{ OPT_ONLY_CRITICAL, 'o', "only-critical", MSP_ARG_NONE, NULL,
	  "Only critical updates change the state; others are counted and listed" },
	{ OPT_PACKAGES_WARNING, 'w', "packages-warning", MSP_ARG_REQUIRED, "N",
	  "WARNING when N or more packages can be upgraded (default 1)" },
	{ OPT_INPUT_FILE, 0, "input-file", MSP_ARG_REQUIRED, "FILE",
	  "Read a saved 'apt-get -s upgrade' output from FILE instead of running apt-get" },
	{ OPT_LISTS_MAX_AGE, 0, "lists-max-age", MSP_ARG_REQUIRED, "DURATION",
	  "WARNING when the newest file in apt's lists directory is older than DURATION\n"
	  "(2d, 36h, 90m; bare numbers are seconds) or there is none: stale lists make\n"
	  "every count read 0" },
	{ OPT_LISTS_DIR, 0, "lists-dir", MSP_ARG_REQUIRED, "DIR",
	  "apt's lists directory (default: -o Dir::State::Lists= etc. in OPTS, else\n"
	  "/var/lib/apt/lists)" },
	{ OPT_DPKG_STATUS, 0, "dpkg-status", MSP_ARG_REQUIRED, "FILE",
	  "The dpkg status file to read holds from (default: -o Dir::State::status= in\n"
	  "OPTS, else /var/lib/dpkg/status)" },
	{ OPT_APT_GET, 0, "apt-get", MSP_ARG_REQUIRED, "PATH",
	  "Run PATH instead of /usr/bin/apt-get (for tests and unusual installs)" },
	MSP_OPTION_END,
};

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

/* --------------------------------------------------------------- options */

int check_apt_regex_add(struct check_apt_regex *r, const char *pattern)
{
	char *s = NULL;

	if (r->text ? asprintf(&s, "%s|%s", r->text, pattern) < 0 : !(s = strdup(pattern)))
		return MSP_ENOMEM;
	free(r->text);
	r->text = s;
	return 0;
}

static int compile_one(struct check_apt_regex *r, const char *def, const char *opt, struct msp_error *err)
{
	char what[32];
	int rc;

	if (!r->text && def && !(r->text = strdup(def)))
		return msp_error_set(err, MSP_ENOMEM, "out of memory");
	if (!r->text || r->compiled)
		return 0;
	snprintf(what, sizeof(what), "%s regexp", opt);
	rc = msp_regex_compile(&r->re, r->text, REG_EXTENDED | REG_NOSUB, what, err);
	if (rc < 0)
		return rc;
	r->compiled = true;
	return 0;
}

int check_apt_compile(struct check_apt_config *cfg, struct msp_error *err)
{
	if (compile_one(&cfg->include, NULL, "-i", err) < 0 || compile_one(&cfg->exclude, NULL, "-e", err) < 0 ||
	    compile_one(&cfg->critical, CHECK_APT_SECURITY_REGEX, "-c", err) < 0)
		return MSP_EINVAL;
	return 0;
}

static void regex_release(struct check_apt_regex *r)
{
	if (r->compiled)
		regfree(&r->re);
	free(r->text);
	*r = (struct check_apt_regex){ 0 };
}

void check_apt_config_release(struct check_apt_config *cfg)
{
	regex_release(&cfg->include);
	regex_release(&cfg->exclude);
	regex_release(&cfg->critical);
	check_apt_words_free(cfg->upgrade_words);
	check_apt_words_free(cfg->update_words);
	cfg->upgrade_words = cfg->update_words = NULL;
	cfg->n_upgrade_words = cfg->n_update_words = 0;
}

/*
 * A -c value such as "10", "5:" or "@10:20" is a Nagios threshold given
 * where check_apt wants a regular expression: as a regexp it would match
 * almost no Inst line, so security updates would silently stop counting as
 * critical.  Refused instead (the reference takes it as a regexp).
 */
static bool looks_like_threshold(const char *v)
{
	const char *p = v;

	if (*p == '@')
		p++;
	if (*p == '~')
		p++;
	p += strspn(p, "0123456789.");
	if (*p == ':')
		p += 1 + strspn(p + 1, "0123456789.");
	return *p == '\0';
}

static int apt_opt(void *vcfg, int id, const char *arg, struct msp_error *err)
{
	struct check_apt_config *cfg = vcfg;
	/* Debian command files pass '' for unset macros: an empty value means "not given". */
	const char *v = arg && *arg ? arg : NULL;
	double secs;

	switch (id) {
	case OPT_UPDATE:
		cfg->do_update = true;
		cfg->update_opts = v ? v : cfg->update_opts;
		return 0;
	case OPT_UPGRADE:
	case OPT_DIST_UPGRADE:
		/* One OPTS for both, the last mode wins, a bare -U/-d keeps earlier OPTS: as the reference. */
		cfg->mode = id == OPT_UPGRADE ? CHECK_APT_UPGRADE : CHECK_APT_DIST_UPGRADE;
		cfg->upgrade_opts = v ? v : cfg->upgrade_opts;
		return 0;
	case OPT_NO_UPGRADE:
		cfg->no_upgrade = true;
		return 0;
	case OPT_LIST:
		cfg->list = true;
		return 0;
	case OPT_EXTRA_PERFDATA:
		cfg->extra_perfdata = true;
		return 0;
	case OPT_INCLUDE:
	case OPT_EXCLUDE:
	case OPT_CRITICAL:
		if (id == OPT_CRITICAL && v && looks_like_threshold(v))
			return msp_error_set(err, MSP_EINVAL,
					     "-c takes a regular expression for security updates, not a threshold ('%.40s'); "
					     "a number of packages is -w N", v);
		if (v && check_apt_regex_add(id == OPT_INCLUDE ? &cfg->include :
					     id == OPT_EXCLUDE ? &cfg->exclude :
								 &cfg->critical,
					     v) < 0)
			return msp_error_set(err, MSP_ENOMEM, "out of memory");
		return 0;
	case OPT_ONLY_CRITICAL:
		cfg->only_critical = true;
		return 0;
	case OPT_PACKAGES_WARNING:
		if (!v)
			return msp_error_set(err, MSP_EINVAL, "-w needs a number of packages (0 or more)");
		if (msp_num_int64(v, 0, 1000000000, &cfg->packages_warning) < 0)
			return msp_error_set(err, MSP_EINVAL, "-w '%.40s' is not a number of packages (0 or more)", v);
		cfg->has_packages_warning = true;
		return 0;
	case OPT_INPUT_FILE:
		cfg->input_file = v;
		return 0;
	case OPT_LISTS_MAX_AGE:
		if (!v || msp_num_duration(v, &secs, err) < 0 || secs <= 0)
			return msp_error_set(err, MSP_EINVAL,
					     "cannot parse --lists-max-age '%.40s': want a duration such as 2d",
					     arg ? arg : "");
		cfg->has_lists_max_age = true;
		cfg->lists_max_age = secs;
		return 0;
	case OPT_LISTS_DIR:
		cfg->lists_dir = v;
		return 0;
	case OPT_DPKG_STATUS:
		cfg->status_file = v;
		return 0;
	case OPT_APT_GET:
		cfg->apt_get = v;
		return 0;
	case MSP_OPT_POSITIONAL:
		if (!v)
			return 0;
		return msp_error_set(err, MSP_EINVAL, "unexpected argument '%.60s'", arg);
	}
	return msp_error_set(err, MSP_EINVAL, "unknown option");
}

static int apt_finish(void *vcfg, const struct msp_context *ctx, struct msp_error *err)
{
	struct check_apt_config *cfg = vcfg;

	(void)ctx;
	if (!cfg->has_packages_warning)
		cfg->packages_warning = 1;
	if (!cfg->apt_get)
		cfg->apt_get = "/usr/bin/apt-get";
	if (check_apt_split_opts(cfg->upgrade_opts ? cfg->upgrade_opts : CHECK_APT_UPGRADE_OPTS, &cfg->upgrade_words,
				 &cfg->n_upgrade_words, err) < 0)
		return MSP_EINVAL;
	if (check_apt_split_opts(cfg->update_opts ? cfg->update_opts : CHECK_APT_UPDATE_OPTS, &cfg->update_words,
				 &cfg->n_update_words, err) < 0)
		return MSP_EINVAL;
	return check_apt_compile(cfg, err);
}

/* -------------------------------------------------------------- evaluate */

static bool matches(const struct check_apt_regex *r, const char *line)
{
	return r->compiled && regexec(&r->re, line, 0, NULL, 0) == 0;
}

static int by_name(const void *x, const void *y)
{
	const struct check_apt_pkg *a = *(const struct check_apt_pkg *const *)x;
	const struct check_apt_pkg *b = *(const struct check_apt_pkg *const *)y;

	return strcmp(a->name, b->name);
}

/* The packages that count (after -i/-e), sorted by name, critical ones first; *ret_crit of them critical. */
static int classify(const struct check_apt_config *cfg, const struct check_apt_sample *s,
		    const struct check_apt_pkg ***ret, size_t *ret_n, size_t *ret_crit)
{
	const struct check_apt_pkg **v = calloc(s->npkg + 1, sizeof(*v));
	size_t n = 0, crit = 0;

	if (!v)
		return MSP_ENOMEM;
	for (int pass = 0; pass < 2; pass++)
		for (size_t i = 0; i < s->npkg; i++) {
			const struct check_apt_pkg *p = &s->pkg[i];
			bool is_crit;

			if ((cfg->include.compiled && !matches(&cfg->include, p->line)) ||
			    matches(&cfg->exclude, p->line))
				continue;
			is_crit = matches(&cfg->critical, p->line);
			if (is_crit != (pass == 0))
				continue;
			v[n++] = p;
			crit += is_crit;
		}
	qsort(v, crit, sizeof(*v), by_name);
	qsort(v + crit, n - crit, sizeof(*v), by_name);
	*ret = v;
	*ret_n = n;
	*ret_crit = crit;
	return 0;
}

/* One summary part: parts are joined with "; " (problems first, then the counts). */
static void part(struct msp_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void part(struct msp_buf *b, const char *fmt, ...)
{
	va_list ap;

	if (b->len)
		msp_buf_adds(b, "; ");
	va_start(ap, fmt);
	msp_buf_vaddf(b, fmt, ap);
	va_end(ap);
}

static int problem(struct msp_result *root, enum msp_state st, const struct check_apt_run *r, const char *what)
{
	struct msp_result *c;

	if (r->failed)
		c = msp_result_add_child(root, st, "%s failed: %s%s%s", what, r->why ? r->why : "error",
					 r->err_line ? ": " : "", r->err_line ? r->err_line : "");
	else
		c = msp_result_add_child(root, st, "%s wrote to stderr: %s", what, r->err_line);
	return c ? 0 : MSP_ENOMEM;
}

/* The update and the simulation: their failures and stderr, as the reference judges them. */
static int judge_runs(const struct check_apt_config *cfg, const struct check_apt_sample *s, struct msp_result *root,
		      struct msp_buf *sum, enum msp_state *st)
{
	const char *verb = cfg->mode == CHECK_APT_DIST_UPGRADE ? "apt-get -s dist-upgrade" : "apt-get -s upgrade";

	if (s->update.ran && (s->update.failed || s->update.err_line)) {
		/* A failed update is CRITICAL in the reference too: the lists cannot be trusted. */
		enum msp_state us = s->update.failed ? MSP_STATE_CRITICAL : MSP_STATE_WARNING;

		if (s->update.failed)
			part(sum, "apt-get update failed (%s)", s->update.why ? s->update.why : "error");
		else
			part(sum, "apt-get update warnings");
		*st = msp_state_worst(*st, us);
		if (problem(root, us, &s->update, "apt-get update") < 0)
			return MSP_ENOMEM;
	}
	if (s->upgrade.ran && (s->upgrade.failed || s->upgrade.err_line)) {
		/* The simulation did not work: we could not check (the reference: WARNING with stderr). */
		enum msp_state us = s->upgrade.failed ? MSP_STATE_UNKNOWN : MSP_STATE_WARNING;

		if (s->upgrade.failed)
			part(sum, "%s failed (%s)", verb, s->upgrade.why ? s->upgrade.why : "error");
		else
			part(sum, "%s warnings", verb);
		*st = msp_state_worst(*st, us);
		if (problem(root, us, &s->upgrade, verb) < 0)
			return MSP_ENOMEM;
	}
	return 0;
}

static int judge_lists(const struct check_apt_config *cfg, const struct check_apt_sample *s, int64_t now,
		       struct msp_result *root, struct msp_buf *sum, enum msp_state *st)
{
	char age[64], lim[64];
	int64_t a = s->lists_mtime < now ? now - s->lists_mtime : 0;
	struct msp_result *c = (struct msp_result *)1;

	if (s->lists_known && !s->lists_empty && (cfg->extra_perfdata || cfg->has_lists_max_age)) {
		struct msp_threshold th = { .warn = { .end = cfg->lists_max_age }, .has_warn = cfg->has_lists_max_age };
		struct msp_perf *p = msp_result_add_perf(root, "lists_age", (double)a, "s", &th);

		if (!p)
			return MSP_ENOMEM;
		msp_perf_set_min(p, 0);
	}
	if (!cfg->has_lists_max_age)
		return 0;
	msp_num_human_duration(cfg->lists_max_age, lim, sizeof(lim));
	if (!s->lists_known) {
		*st = msp_state_worst(*st, MSP_STATE_UNKNOWN);
		part(sum, "cannot read the package lists");
		c = msp_result_add_child(root, MSP_STATE_UNKNOWN, "%s",
					 s->lists_error ? s->lists_error : "lists unknown");
	} else if (s->lists_empty) {
		*st = msp_state_worst(*st, MSP_STATE_WARNING);
		part(sum, "no package lists: apt-get update never ran");
		c = msp_result_add_child(root, MSP_STATE_WARNING, "no package list in %s", s->lists_dir);
	} else if ((double)a > cfg->lists_max_age) {
		msp_num_human_duration((double)a, age, sizeof(age));
		*st = msp_state_worst(*st, MSP_STATE_WARNING);
		part(sum, "package lists %s old (limit %s)", age, lim);
		c = msp_result_add_child(root, MSP_STATE_WARNING, "newest package list in %s is %s old (limit %s)",
					 s->lists_dir, age, lim);
	} else {
		msp_num_human_duration((double)a, age, sizeof(age));
		c = msp_result_add_child(root, MSP_STATE_OK, "newest package list in %s is %s old (limit %s)",
					 s->lists_dir, age, lim);
	}
	return c ? 0 : MSP_ENOMEM;
}

/* The reference's line: a colon after the state, " |" before the perfdata; -l adds the package names. */
static const struct msp_nagios_style nagios_style = { .state_sep = ": ", .perf_sep = " |", .no_children = true };
static const struct msp_nagios_style nagios_style_list = { .state_sep = ": ",
							   .perf_sep = " |",
							   .no_children = true,
							   .keep_notes = true };

static int perf(struct msp_result *root, const char *label, size_t v)
{
	struct msp_perf *p = msp_result_add_perf(root, label, (double)v, "", NULL);

	if (!p)
		return MSP_ENOMEM;
	msp_perf_set_min(p, 0);
	return 0;
}

/*
 * Long output lines "name (what)"; at most CHECK_APT_LIST_MAX per kind
 * without -l.  The available ones are notes (with -l the nagios format
 * prints them after line 1, as the reference does); the ones apt does not
 * upgrade (extra) are OK lines of the other formats only.
 */
static int list_names(const struct check_apt_config *cfg, struct msp_result *root, const char *const *names, size_t n,
		      const char *what, bool extra)
{
	size_t max = cfg->list ? n : CHECK_APT_LIST_MAX;
	char line[512];

	for (size_t i = 0; i < n && i <= max; i++) {
		if (i < max)
			snprintf(line, sizeof(line), "%s%s%s%s", names[i], what ? " (" : "", what ? what : "",
				 what ? ")" : "");
		else
			snprintf(line, sizeof(line), "... and %zu more%s%s (-l lists all)", n - max, what ? " " : "",
				 what ? what : "");
		if (!(extra ? msp_result_add_child(root, MSP_STATE_OK, "%s", line)
			    : msp_result_add_note(root, "%s", line)))
			return MSP_ENOMEM;
	}
	return 0;
}

/* Kept-back packages that are neither held nor phased: they wait for new dependencies or removals. */
static int kept_other(const struct check_apt_sample *s, struct check_apt_names *ret)
{
	for (size_t i = 0; i < s->kept_back.n; i++) {
		const char *k = s->kept_back.v[i];

		if ((s->held_known && check_apt_names_has(&s->held, k)) || check_apt_names_has(&s->phased, k))
			continue;
		if (check_apt_names_add(ret, k) < 0)
			return MSP_ENOMEM;
	}
	return 0;
}

/*
 * Held, phased and kept-back packages: counted apart, never pending.  Line 1
 * is the reference's, so they get a line of their own (the multi-line, table
 * and json formats show it) and perfdata with --extra-perfdata.
 */
static int report_extras(const struct check_apt_config *cfg, const struct check_apt_sample *s, struct msp_result *root)
{
	struct check_apt_names other = { 0 };
	bool kept = !cfg->no_upgrade && s->summary_seen; /* apt listed what it kept back */
	struct msp_buf line;
	int r = MSP_ENOMEM;

	msp_buf_init(&line, 256);
	if (kept && kept_other(s, &other) < 0)
		goto out;
	if (s->held_known && s->held.n)
		msp_buf_addf(&line, "%s%zu held", line.len ? ", " : "", s->held.n);
	if (s->phased_known && s->phased.n)
		msp_buf_addf(&line, "%s%zu phased", line.len ? ", " : "", s->phased.n);
	if (other.n)
		msp_buf_addf(&line, "%s%zu kept back", line.len ? ", " : "", other.n);
	if (line.len && !msp_result_add_child(root, MSP_STATE_OK, "not counted as available: %s", msp_buf_str(&line)))
		goto out;
	if (cfg->extra_perfdata && ((s->held_known && perf(root, "held", s->held.n) < 0) ||
				    (kept && s->phased_known && perf(root, "phased", s->phased.n) < 0) ||
				    (kept && perf(root, "kept_back", other.n) < 0)))
		goto out;
	if (list_names(cfg, root, (const char *const *)s->phased.v, s->phased.n, "phased", true) < 0 ||
	    list_names(cfg, root, (const char *const *)other.v, other.n, "kept back", true) < 0 ||
	    list_names(cfg, root, (const char *const *)s->held.v, s->held.n, "held", true) < 0)
		goto out;
	if ((s->phased_error && !msp_result_add_note(root, "%s", s->phased_error)) ||
	    (s->held_error && !msp_result_add_note(root, "%s", s->held_error)))
		goto out;
	r = 0;
out:
	msp_buf_release(&line);
	check_apt_names_release(&other);
	return r;
}

/* The counts of the simulation, their state and the package names. */
static int judge_counts(const struct check_apt_config *cfg, const struct check_apt_sample *s, struct msp_result *root,
			struct msp_buf *counts, enum msp_state *st)
{
	const struct check_apt_pkg **v = NULL;
	const char **names = NULL;
	size_t n, crit;
	int r = MSP_ENOMEM;

	if (classify(cfg, s, &v, &n, &crit) < 0)
		return MSP_ENOMEM;
	msp_buf_addf(counts, "%zu packages available for %s (%zu critical updates).", n,
		     cfg->mode == CHECK_APT_DIST_UPGRADE ? "dist-upgrade" : "upgrade", crit);
	if (crit > 0)
		*st = msp_state_worst(*st, MSP_STATE_CRITICAL);
	else if ((int64_t)n >= cfg->packages_warning && !cfg->only_critical)
		*st = msp_state_worst(*st, MSP_STATE_WARNING);
	if (perf(root, "available_upgrades", n) < 0 || perf(root, "critical_updates", crit) < 0)
		goto out;
	names = calloc(n + 1, sizeof(*names));
	if (!names)
		goto out;
	for (size_t i = 0; i < n; i++)
		names[i] = v[i]->name;
	if (list_names(cfg, root, names, crit, "security", false) < 0 ||
	    list_names(cfg, root, names + crit, n - crit, NULL, false) < 0)
		goto out;
	r = 0;
out:
	free(names);
	free(v);
	return r;
}

int check_apt_evaluate(const struct check_apt_config *cfg, const struct check_apt_sample *s, int64_t now,
		       struct msp_result *root)
{
	enum msp_state st = MSP_STATE_OK;
	struct msp_buf sum, counts;
	int r = MSP_ENOMEM;

	/* Problems lead the summary, the counts follow; perfdata: the reference's labels first. */
	msp_buf_init(&sum, 4096);
	msp_buf_init(&counts, 4096);
	if (judge_runs(cfg, s, root, &sum, &st) < 0)
		goto out;
	if (cfg->no_upgrade) {
		msp_buf_addf(&counts, "upgrade not simulated (-n)%s",
			     s->update.ran && !s->update.failed ? ", lists updated" : "");
		/* Nothing at all was looked at: the reference says OK here, we do not. */
		if (!s->update.ran && !cfg->has_lists_max_age) {
			st = MSP_STATE_UNKNOWN;
			part(&sum, "nothing checked: -n needs -u or --lists-max-age");
		}
	} else if (!(s->upgrade.failed && s->npkg == 0) && judge_counts(cfg, s, root, &counts, &st) < 0) {
		/* (a simulation that failed without any Inst line has no counts: no zeros in the graphs) */
		goto out;
	}
	if (report_extras(cfg, s, root) < 0 || judge_lists(cfg, s, now, root, &sum, &st) < 0)
		goto out;
	/* "APT CRITICAL: 4 packages available for upgrade (2 critical updates). |..." and, with -l, the names */
	root->style = cfg->list ? &nagios_style_list : &nagios_style;
	if (counts.len)
		part(&sum, "%s", msp_buf_str(&counts));
	msp_result_set_state(root, st);
	r = msp_result_set_text(root, "%s", msp_buf_str(&sum));
out:
	msp_buf_release(&sum);
	msp_buf_release(&counts);
	return r;
}

/* ----------------------------------------------------------------- probe */

#ifdef MSP_HAVE_APT_PKG
/* The first meaningful line of stderr, owned (NULL when there is none; a quote lost to ENOMEM is only a quote). */
static char *first_line(const char *text)
{
	char buf[300];

	return msp_cmd_error_line(NULL, text, buf, sizeof(buf)) == 0 && buf[0] ? strdup(buf) : NULL;
}

/*
 * The simulation in process through libapt-pkg (plugins/check_apt_pkg.cc):
 * the same output lines apt-get -s prints that check_apt reads, without
 * apt-get's package manager.  1 when it declined (apt-get runs then; -v
 * says why), 0 when run and *ret_out are set, MSP_ENOMEM.  Only for the
 * default apt-get: --apt-get names another program to run.
 */
static int simulate_in_process(const struct check_apt_config *cfg, const struct msp_context *ctx, char *const *words,
			       size_t n, const char *extra, const char *verb, struct check_apt_run *run,
			       struct msp_buf *ret_out)
{
	struct check_apt_pkg_result res;
	int r;

	if (strcmp(cfg->apt_get, "/usr/bin/apt-get") != 0 || strcmp(verb, "update") == 0)
		return 1;
	msp_step("simulating %s with libapt-pkg", verb);
	r = check_apt_pkg_run(words, n, extra, verb, &res);
	if (r == CHECK_APT_PKG_FALLBACK)
		msp_verbose(ctx, 1, "not simulating in process (%s): running apt-get", res.why);
	if (r == CHECK_APT_PKG_DONE) {
		msp_verbose(ctx, 1, "%s%s%s", res.method, extra ? " with -o " : "", extra ? extra : "");
		run->ran = true;
		run->err_line = first_line(res.err);
		msp_buf_reset(ret_out);
		r = msp_buf_adds(ret_out, res.out);
		if (r == MSP_ETOOBIG) {
			run->failed = true;
			r = asprintf(&run->why, "more than %u bytes of output", APT_OUT_MAX) < 0 ? MSP_ENOMEM : 0;
		}
	}
	check_apt_pkg_result_release(&res);
	return r == CHECK_APT_PKG_NOMEM || r == MSP_ENOMEM ? MSP_ENOMEM : r;
}
#endif

/*
 * Run apt_get WORDS... [EXTRA...] VERB; record how it ended in run and hand
 * the stdout over in ret_out.  MSP_ETIMEOUT when the deadline passed.
 */
static int run_apt(const struct check_apt_config *cfg, const struct msp_context *ctx, char *const *words, size_t n,
		   const char *extra, const char *verb, struct check_apt_run *run, struct msp_buf *ret_out,
		   struct msp_error *err)
{
	struct msp_cmd_expect expect = { .whole_output = true };
	struct msp_exec_result x = { 0 };
	struct msp_cmd_verdict v;
	struct msp_cmd c;
	char what[512];
	int r;

#ifdef MSP_HAVE_APT_PKG
	r = simulate_in_process(cfg, ctx, words, n, extra, verb, run, ret_out);
	if (r <= 0)
		return r < 0 ? msp_error_set(err, MSP_ENOMEM, "out of memory") : 0;
#endif
	msp_cmd_init(&c, ctx, cfg->apt_get);
	for (size_t i = 0; i < n; i++)
		msp_cmd_arg(&c, words[i]);
	if (extra && msp_cmd_arg(&c, "-o") == 0)
		msp_cmd_arg(&c, extra);
	msp_cmd_arg(&c, verb);
	snprintf(what, sizeof(what), "%s %s", cfg->apt_get, verb);
	expect.what = what;
	msp_step("running %s", what);
	r = msp_cmd_run(&c, NULL, APT_OUT_MAX, APT_ERR_MAX, &x, err);
	if (r == 0)
		r = msp_cmd_judge(&c, &x, &expect, &v, err);
	if (r < 0)
		goto out;
	run->ran = true;
	if (v.end == MSP_CMD_TIMED_OUT) {
		r = msp_error_set(err, MSP_ETIMEOUT, "%s", v.msg);
		goto out;
	}
	run->err_line = v.line[0] ? strdup(v.line) : NULL;
	run->failed = v.end != MSP_CMD_OK;
	if ((run->failed && !(run->why = strdup(v.reason))) || (v.line[0] && !run->err_line)) {
		r = msp_error_set(err, MSP_ENOMEM, "out of memory");
	} else if (!run->failed) {
		msp_buf_release(ret_out);
		*ret_out = x.out;
		msp_buf_init(&x.out, 0);
	}
out:
	msp_exec_result_release(&x);
	msp_cmd_release(&c);
	return r;
}

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

/* Phased updates: packages apt kept back that a simulation including phased updates installs. */
static int probe_phased(const struct check_apt_config *cfg, const struct msp_context *ctx, struct check_apt_sample *s,
			const char *verb, struct msp_error *err)
{
	struct check_apt_sample all = { 0 };
	struct msp_error bad;
	struct msp_buf out;
	int r;

	msp_error_init(&bad);
	msp_buf_init(&out, APT_OUT_MAX);
	r = run_apt(cfg, ctx, cfg->upgrade_words, cfg->n_upgrade_words, "APT::Get::Always-Include-Phased-Updates=true",
		    verb, &all.upgrade, &out, err);
	if (r == 0 && all.upgrade.failed) {
		r = asprintf(&s->phased_error, "cannot tell phased from kept-back updates: %s", all.upgrade.why) < 0 ?
			    msp_error_set(err, MSP_ENOMEM, "out of memory") :
			    0;
		goto out;
	}
	if (r == 0 && check_apt_parse_simulation(msp_buf_str(&out), &all) < 0)
		r = msp_error_set(err, MSP_ENOMEM, "out of memory");
	if (r == 0 && check_apt_verify_simulation(&all, &bad) < 0) {
		r = asprintf(&s->phased_error, "cannot tell phased from kept-back updates: %s", bad.msg) < 0 ?
			    msp_error_set(err, MSP_ENOMEM, "out of memory") :
			    0;
		goto out;
	}
	if (r == 0 && check_apt_find_phased(s, &all) < 0)
		r = msp_error_set(err, MSP_ENOMEM, "out of memory");
	s->phased_known = r == 0;
out:
	msp_buf_release(&out);
	check_apt_sample_release(&all);
	return r;
}

/* The simulation (or --input-file) and, when apt kept packages back, the phased ones among them. */
static int probe_simulation(const struct check_apt_config *cfg, const struct msp_context *ctx,
			    struct check_apt_sample *s, struct msp_error *err)
{
	const char *verb = cfg->mode == CHECK_APT_DIST_UPGRADE ? "dist-upgrade" : "upgrade";
	struct msp_error bad;
	struct msp_buf out;
	int r;

	msp_error_init(&bad);
	msp_buf_init(&out, APT_OUT_MAX);
	if (cfg->input_file) {
		msp_step("reading %s", cfg->input_file);
		r = msp_file_read(cfg->input_file, APT_OUT_MAX, &out, err);
	} else {
		r = run_apt(cfg, ctx, cfg->upgrade_words, cfg->n_upgrade_words, NULL, verb, &s->upgrade, &out, err);
	}
	if (r == 0 && check_apt_parse_simulation(msp_buf_str(&out), s) < 0)
		r = msp_error_set(err, MSP_ENOMEM, "out of memory");
	msp_buf_release(&out);
	if (r < 0 || s->upgrade.failed)
		return r;
	if (check_apt_verify_simulation(s, &bad) < 0)
		return msp_error_set(err, MSP_EINVAL, "cannot trust %s: %s",
				     cfg->input_file ? cfg->input_file : "the output of apt-get -s", bad.msg);
	/* -qq output may be empty when nothing is pending; a file or our own -q run never is. */
	if ((cfg->input_file || !cfg->upgrade_opts) && !s->summary_seen && s->npkg == 0)
		return msp_error_set(err, MSP_EINVAL, "cannot parse %s: no Inst line and no \"N upgraded\" line",
				     cfg->input_file ? cfg->input_file : "the output of apt-get -s");
	s->phased_known = s->summary_seen;
	for (size_t i = 0; i < s->kept_back.n && !cfg->input_file; i++)
		if (!check_apt_names_has(&s->held, s->kept_back.v[i]))
			return probe_phased(cfg, ctx, s, verb, err);
	return 0;
}

static int probe_held(const char *path, struct check_apt_sample *s)
{
	struct msp_buf b;
	struct msp_error e;
	int r;

	msp_error_init(&e);
	msp_step("reading %s", path);
	msp_buf_init(&b, STATUS_MAX);
	r = msp_file_read(path, STATUS_MAX, &b, &e);
	if (r == 0) {
		r = check_apt_parse_status(msp_buf_str(&b), &s->held);
		if (r == MSP_EINVAL && asprintf(&s->held_error, "held packages unknown: '%s' lists no package", path) < 0)
			r = MSP_ENOMEM;
	} else if (asprintf(&s->held_error, "held packages unknown: %s", e.msg) < 0) {
		r = MSP_ENOMEM;
	}
	msp_buf_release(&b);
	if (r == MSP_ENOMEM)
		return r;
	s->held_known = r == 0;
	return 0;
}

/* The newest mtime of the regular files in apt's lists directory (lock and partial/ left out). */
static int probe_lists(const char *dir, struct check_apt_sample *s)
{
	DIR *d;
	struct dirent *de;
	struct stat st;
	bool any = false;
	int e;

	msp_step("reading %s", dir);
	if (!(s->lists_dir = strdup(dir)))
		return MSP_ENOMEM;
	d = opendir(dir);
	if (!d)
		return asprintf(&s->lists_error, "cannot read the lists directory '%s': %s", dir, strerror(errno)) < 0 ?
			       MSP_ENOMEM :
			       0;
	for (;;) {
		errno = 0;
		if (!(de = readdir(d)))
			break;
		if (strcmp(de->d_name, "lock") == 0 || strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		if (fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0) {
			/* gone meanwhile (apt-get update replaces lists): fine; any other error hides a list */
			if (errno == ENOENT)
				continue;
			break;
		}
		if (!S_ISREG(st.st_mode))
			continue;
		if (!any || (int64_t)st.st_mtim.tv_sec > s->lists_mtime)
			s->lists_mtime = (int64_t)st.st_mtim.tv_sec;
		any = true;
	}
	e = errno;
	if (e != 0 && asprintf(&s->lists_error, "cannot read the lists directory '%s': %s%s%s", dir,
			       de ? de->d_name : "", de ? ": " : "", strerror(e)) < 0)
		s->lists_error = NULL;
	closedir(d);
	if (e != 0)
		return s->lists_error ? 0 : MSP_ENOMEM;
	s->lists_known = true;
	s->lists_empty = !any;
	return 0;
}

static int apt_check(void *vcfg, const struct msp_context *ctx, struct msp_result *root, struct msp_error *err)
{
	struct check_apt_config *cfg = vcfg;
	struct check_apt_sample s = { 0 };
	struct msp_buf ignored;
	char *lists = NULL, *status = NULL;
	int r;

	/* The lists and status apt reads for the counts: the simulation's options (the update's with -n). */
	r = cfg->no_upgrade ? check_apt_paths(cfg->update_words, cfg->n_update_words, &lists, &status) :
			      check_apt_paths(cfg->upgrade_words, cfg->n_upgrade_words, &lists, &status);
	if (r < 0) {
		r = msp_error_set(err, MSP_ENOMEM, "out of memory");
		goto out;
	}
	msp_buf_init(&ignored, APT_OUT_MAX);
	if (cfg->do_update)
		r = run_apt(cfg, ctx, cfg->update_words, cfg->n_update_words, NULL, "update", &s.update, &ignored, err);
	msp_buf_release(&ignored);
	if (r == 0)
		r = probe_held(cfg->status_file ? cfg->status_file : status, &s);
	if (r == 0 && !cfg->no_upgrade)
		r = probe_simulation(cfg, ctx, &s, err);
	if (r == 0)
		r = probe_lists(cfg->lists_dir ? cfg->lists_dir : lists, &s);
	if (r == MSP_ENOMEM)
		msp_error_set(err, r, "out of memory");
	if (r == MSP_ETIMEOUT) {
		/* The deadline passed inside apt-get: the timeout's state and the step it was in. */
		msp_result_set_state(root, ctx->timeout_state);
		r = msp_result_set_text(root, "%s", err->msg);
	} else if (r == 0) {
		msp_verbose(ctx, 1, "%zu Inst lines, %zu kept back, %zu held", s.npkg, s.kept_back.n, s.held.n);
		r = check_apt_evaluate(cfg, &s, (int64_t)time(NULL), root);
		if (r < 0)
			msp_error_set(err, r, "out of memory");
	}
out:
#ifdef MSP_HAVE_APT_PKG
	check_apt_pkg_cleanup(); /* the package cache the simulations shared */
#endif
	check_apt_sample_release(&s);
	free(lists);
	free(status);
	return r;
}

static const struct msp_plugin plugin = {
	.nagios = &nagios_style, /* also for errors; the check's result picks its own (-l) */
	.name = "check_apt",
	.service = "APT",
	.synopsis = "[-u[OPTS]] [-U[OPTS]|-d[OPTS]] [-n] [-l] [-i REGEXP]... [-e REGEXP]... [-c REGEXP]... [-o] "
		    "[-w N] [--lists-max-age DURATION] [--lists-dir DIR] [--dpkg-status FILE]",
	.description = "Check for package updates on apt-based systems (Debian, Ubuntu): simulate\n"
		       "'apt-get upgrade' (or dist-upgrade) and count the packages it would install.\n"
		       "Security updates are CRITICAL, other updates a WARNING.",
	.notes = "OPTS are split into words without a shell, as the reference splits them: blanks\n"
		 "  separate words, a word that starts with ' ends at the next ' (-o 'A::B=x y');\n"
		 "  \" is refused.  Config files given with -c in OPTS are not read for the lists\n"
		 "  directory and the status file: give --lists-dir and --dpkg-status then.\n"
		 "Held packages (apt-mark hold) are counted from the dpkg status file; packages apt\n"
		 "  keeps back are split into phased updates (found by a second simulation with\n"
		 "  APT::Get::Always-Include-Phased-Updates, run only when apt kept something back\n"
		 "  that is not held) and the rest (kept back for new dependencies).  None of them\n"
		 "  counts as available.  apt lists kept-back packages only when OPTS are not -qq.\n"
		 "Method: built with libapt-pkg (apt 2.6) the simulation runs in process with apt's\n"
		 "  own resolver (about 5x faster than apt-get -s); whatever it cannot do exactly as\n"
		 "  apt-get does (unknown options, OPTS without -s, broken dependencies, Debug::*\n"
		 "  options, ...) runs apt-get, and -v names the method or prints the command.  Where\n"
		 "  apt's package cache is switched off (Dir::Cache::pkgcache \"\", as in Docker\n"
		 "  images) it keeps msp-check_apt-pkgcache.bin (tens of MB) in apt's Dir::Cache when\n"
		 "  only this user can write there, else in /var/tmp/msp-plugins-UID; libapt-pkg\n"
		 "  checks it against the lists and the status file before each use.\n"
		 "Output: line 1 is the reference's (\"APT CRITICAL: 4 packages available for upgrade\n"
		 "  (2 critical updates). |available_upgrades=4;;;0 critical_updates=2;;;0\"), and -l\n"
		 "  names the packages after it (security first; phased, kept-back and held ones\n"
		 "  marked as such).  Held, phased and kept-back counts are a line of their own in the\n"
		 "  multi-line, table and json formats.\n"
		 "Perfdata: available_upgrades and critical_updates as in the reference; with\n"
		 "  --extra-perfdata also held, phased, kept_back and lists_age (seconds since the\n"
		 "  newest file in the lists directory changed; apt keeps the server's times, so a\n"
		 "  frozen mirror ages too), which --lists-max-age adds as well.  A graphing tool\n"
		 "  that keeps a fixed set of values per service (PNP4Nagios) then needs its\n"
		 "  storage reset once.\n"
		 "Differences from monitoring-plugins check_apt 2.3.3 (deliberate):\n"
		 "  - -c with a threshold instead of a regexp (-c 10, -c @) is an error: as a regexp it\n"
		 "    would stop security updates from counting as critical; -w '' is an error too\n"
		 "  - the default simulation runs with -q instead of -qq so apt lists what it kept\n"
		 "    back; the counts are the same\n"
		 "  - a simulation that fails (apt-get exits non-zero) is UNKNOWN; the reference\n"
		 "    says WARNING when apt-get also wrote to stderr (UNKNOWN otherwise)\n"
		 "  - warnings or errors of apt-get lead the summary, naming the run and its exit\n"
		 "    status (\"apt-get update failed (exit status 100); 4 packages ...\"); the\n"
		 "    reference appends \"  warnings detected, errors detected.\"\n"
		 "  - -n without -u or --lists-max-age checks nothing and is UNKNOWN (the\n"
		 "    reference: OK with 0 packages)\n"
		 "  - a timeout is UNKNOWN (the reference: CRITICAL); -t N:CRITICAL restores it\n"
		 "  - an empty -i/-e/-c/OPTS value means not given (the reference: an empty\n"
		 "    regexp matches every package; an empty OPTS runs apt-get without -s, a real\n"
		 "    upgrade); -w that is not a number and stray arguments are UNKNOWN (the\n"
		 "    reference reads -w 3x as 3 and ignores stray arguments)\n"
		 "  - output that contradicts itself is UNKNOWN naming both numbers: the summary\n"
		 "    'U upgraded, N newly installed, ... X to remove and K not upgraded.' must match\n"
		 "    the Inst lines (with and without an installed version), the Remv/Purg lines\n"
		 "    and the kept-back (and apt 2.7's deferred) lists; output with apt's progress\n"
		 "    lines needs the summary (the reference counts Inst lines: '5 upgraded'\n"
		 "    without any is OK);\n"
		 "    -qq output has no summary and is not cross-checked\n"
		 "  - package names are in the long output without -l (at most 20 per kind)\n"
		 "Examples:\n"
		 "  check_apt\n"
		 "  check_apt -d --lists-max-age 2d\n"
		 "  check_apt -o -i '^Inst (openssl|libssl)' -l\n"
		 "  check_apt -u -n --lists-max-age 36h",
	.options = options,
	.timeout = 10,
	.timeout_state = MSP_STATE_UNKNOWN,
	.option = apt_opt,
	.finish = apt_finish,
	.check = apt_check,
};

MSP_PLUGIN_MAIN(plugin, struct check_apt_config)
