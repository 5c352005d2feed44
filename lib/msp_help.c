/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * msp_help.c - --help and the manual page, generated from the plugin's
 * description and option table (see msp_plugin.h).
 */
#include <stdio.h>
#include <string.h>

#include "msp_buf.h"
#include "msp_extraopts.h"
#include "msp_plugin.h"
#include "msp_runtime.h"
#include "banned.h"

#ifndef MSP_DOCDIR /* Makefile.am passes $(docdir) */
#define MSP_DOCDIR "/usr/local/share/doc/msp-plugins"
#endif

static void help_lines(struct msp_buf *b, const char *h);

static void help_option(struct msp_buf *b, const struct msp_option *o)
{
	if (!o->help)
		return;
	/* Straight into b: a fixed buffer here would cut a long option name or value name. */
	if (o->short_name && o->long_name)
		msp_buf_addf(b, " -%c, --%s", o->short_name, o->long_name);
	else if (o->short_name)
		msp_buf_addf(b, " -%c", o->short_name);
	else
		msp_buf_addf(b, " --%s", o->long_name);
	if (o->arg == MSP_ARG_REQUIRED)
		msp_buf_addf(b, "%s%s", o->long_name ? "=" : " ", o->arg_name ? o->arg_name : "VALUE");
	else if (o->arg == MSP_ARG_OPTIONAL)
		msp_buf_addf(b, "[=%s]", o->arg_name ? o->arg_name : "VALUE");
	msp_buf_addc(b, '\n');
	help_lines(b, o->help);
	if (o->def)
		msp_buf_addf(b, "    (default: %s)\n", o->def);
}

/* The lines of a help text, each indented by four blanks. */
static void help_lines(struct msp_buf *b, const char *h)
{
	while (*h) {
		const char *nl = strchr(h, '\n');
		size_t l = nl ? (size_t)(nl - h) : strlen(h);

		msp_buf_addf(b, "    %.*s\n", (int)l, h);
		h += l;
		if (*h == '\n')
			h++;
	}
}

/*
 * Call show for every option in help order: the standard options the
 * plugin does not take over (a plugin's own -v or --timeout hides ours),
 * then the plugin's table.
 */
static void each_option(const struct msp_plugin *p, void (*show)(struct msp_buf *, const struct msp_option *),
			struct msp_buf *b)
{
	for (const struct msp_option *o = msp_std_options; o->short_name || o->long_name; o++) {
		struct msp_option shown = *o;

		if (shown.short_name && msp_plugin_has_short(p, shown.short_name))
			shown.short_name = 0;
		if (shown.long_name && msp_plugin_has_long(p, shown.long_name))
			continue;
		show(b, &shown);
	}
	for (const struct msp_option *o = p->options; o && (o->short_name || o->long_name); o++)
		show(b, o);
}

int msp_help_text(const struct msp_plugin *p, struct msp_buf *b)
{
	msp_buf_addf(b, "%s v%s (%s)\n\n", p->name, PACKAGE_VERSION, PACKAGE_NAME);
	if (p->description)
		msp_buf_addf(b, "%s\n\n", p->description);
	msp_buf_addf(b, "Usage:\n  %s %s\n\nOptions:\n", p->name, p->synopsis ? p->synopsis : "[OPTION]...");
	each_option(p, help_option, b);
	msp_buf_addf(b, "\nOn timeout the state is %s unless -t N:STATE or --timeout-result says otherwise;\n"
			 "the default timeout is %u s.  Exit codes: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN.\n",
		     msp_state_name(p->timeout_state), p->timeout ? p->timeout : 10);
	if (p->notes)
		msp_buf_addf(b, "\n%s\n", p->notes);
	return b->truncated ? MSP_ETOOBIG : 0;
}

/*
 * Text for roff: backslashes escaped, a leading '.' or '\'' defused, dashes
 * as \-.  With fill set, leading blanks of a line are dropped (roff fills
 * the wrapped lines of a help text into one paragraph; a leading blank
 * would break it) and an empty line starts a new paragraph.
 */
static void man_text_mode(struct msp_buf *b, const char *s, size_t n, bool fill)
{
	bool bol = true;

	for (size_t i = 0; i < n; i++) {
		char c = s[i];

		if (bol && fill && (c == ' ' || c == '\t'))
			continue;
		if (bol && fill && c == '\n') {
			msp_buf_adds(b, ".PP\n");
			continue;
		}
		if (bol && (c == '.' || c == '\''))
			msp_buf_adds(b, "\\&");
		bol = c == '\n';
		if (c == '\\')
			msp_buf_adds(b, "\\e");
		else if (c == '-')
			msp_buf_adds(b, "\\-");
		else
			msp_buf_addc(b, c);
	}
}

static void man_text(struct msp_buf *b, const char *s, size_t n)
{
	man_text_mode(b, s, n, true);
}

static void man_option(struct msp_buf *b, const struct msp_option *o)
{
	const char *arg = o->arg_name ? o->arg_name : "VALUE";

	if (!o->help)
		return;
	msp_buf_adds(b, ".TP\n");
	if (o->short_name)
		msp_buf_addf(b, "\\fB\\-%c\\fR%s", o->short_name, o->long_name ? ", " : "");
	if (o->long_name) {
		msp_buf_adds(b, "\\fB\\-\\-");
		man_text(b, o->long_name, strlen(o->long_name));
		msp_buf_adds(b, "\\fR");
	}
	if (o->arg != MSP_ARG_NONE) {
		msp_buf_adds(b, o->arg == MSP_ARG_OPTIONAL ? "[=\\fI" : o->long_name ? "=\\fI" : " \\fI");
		man_text(b, arg, strlen(arg));
		msp_buf_adds(b, o->arg == MSP_ARG_OPTIONAL ? "\\fR]" : "\\fR");
	}
	msp_buf_adds(b, "\n");
	man_text(b, o->help, strlen(o->help));
	if (o->def) {
		msp_buf_adds(b, " (default: ");
		man_text(b, o->def, strlen(o->def));
		msp_buf_adds(b, ")");
	}
	msp_buf_adds(b, "\n");
}

/* Preformatted text (notes and examples keep their alignment), without a trailing newline of its own. */
static void man_verbatim(struct msp_buf *b, const char *text, size_t n)
{
	msp_buf_adds(b, ".nf\n");
	man_text_mode(b, text, n, false);
	msp_buf_adds(b, "\n.fi\n");
}

/*
 * Where the examples start in notes: a last "Examples:" line (the first
 * line or after a newline) followed only by lines indented by two blanks.
 * NULL when the notes end otherwise: then they stay whole in NOTES.
 */
static const char *examples_at(const char *notes)
{
	const char *at = NULL, *l;

	for (const char *p = notes; (p = strstr(p, "Examples:\n")) != NULL; p++)
		if (p == notes || p[-1] == '\n')
			at = p;
	if (!at)
		return NULL;
	for (l = at + strlen("Examples:\n"); *l; l += strcspn(l, "\n") + (l[strcspn(l, "\n")] == '\n'))
		if (strncmp(l, "  ", 2) != 0 || l[2] == ' ' || l[2] == '\n' || l[2] == '\0')
			return NULL;
	return l == at + strlen("Examples:\n") ? NULL : at;
}

/* A path in a manual page, with a break point (\\:) after each '/': a long docdir still fits a line. */
static void man_path(struct msp_buf *b, const char *path)
{
	for (const char *p = path; *p;) {
		size_t n = strcspn(p, "/");

		man_text(b, p, n);
		p += n;
		if (*p == '/') {
			msp_buf_adds(b, "/\\:");
			p++;
		}
	}
}

/* One .TP entry: name in bold (env) or italic (files), text filled. */
static void man_item(struct msp_buf *b, const char *font, const char *name, const char *text)
{
	msp_buf_addf(b, ".TP\n.%s ", font);
	man_text(b, name, strlen(name));
	msp_buf_adds(b, "\n");
	man_text(b, text, strlen(text));
	msp_buf_adds(b, "\n");
}

static void man_exit_status(struct msp_buf *b, const struct msp_plugin *p)
{
	msp_buf_adds(b, ".SH EXIT STATUS\nThe exit code is the state, in every output format:\n"
			".TP\n.B 0\nOK: the check passed.\n"
			".TP\n.B 1\nWARNING: a warning threshold was passed.\n"
			".TP\n.B 2\nCRITICAL: what is checked is down or past a critical threshold.\n"
			".TP\n.B 3\nUNKNOWN: the plugin could not check (bad options, missing permission, a tool's "
			"output it could not parse, an internal error), and after \\fB\\-\\-help\\fR, "
			"\\fB\\-\\-version\\fR and every usage error, as the monitoring plugin guidelines ask.  "
			"Also when standard output cannot take the whole result: nobody could read it.\n");
	msp_buf_addf(b, ".PP\nOn timeout (default %u s) the state is %s unless \\fB\\-t\\fR N:STATE or "
			"\\fB\\-\\-timeout\\-result\\fR says otherwise.\n",
		     p->timeout ? p->timeout : 10, msp_state_name(p->timeout_state));
}

static void man_environment(struct msp_buf *b, const struct msp_plugin *p)
{
	msp_buf_adds(b, ".SH ENVIRONMENT\n");
	for (const struct msp_doc_item *e = p->environment; e && e->name; e++)
		man_item(b, "B", e->name, e->text ? e->text : "");
	man_item(b, "B", "MP_CONFIG_FILE",
		 "The ini file --extra-opts reads when no @FILE is given, before any other (see FILES).");
	man_item(b, "B", "NAGIOS_CONFIG_PATH",
		 "Directories, separated by ':', searched for plugins.ini, nagios-plugins.ini and "
		 "monitoring-plugins.ini by --extra-opts without @FILE, after MP_CONFIG_FILE and before the fixed "
		 "paths.");
	man_item(b, "B", "NO_COLOR",
		 "When set and not empty, the table format is never coloured (no-color.org); it is coloured only "
		 "on a terminal whose TERM is not dumb.");
	man_item(b, "B", "TZ", "The time zone of the local times a plugin shows (when a backup ran, a file changed).");
	man_item(b, "B", "LC_ALL",
		 "Not used (nor LANG, LC_NUMERIC): numbers are written with a '.' decimal point and the plugin's "
		 "own messages in English in every locale, so the output parses the same everywhere.");
}

static void man_files(struct msp_buf *b, const struct msp_plugin *p)
{
	msp_buf_adds(b, ".SH FILES\n");
	for (const struct msp_doc_item *f = p->files; f && f->name; f++)
		man_item(b, "I", f->name, f->text ? f->text : "");
	msp_buf_adds(b, ".TP\n.I $MP_CONFIG_FILE\n.TQ\n");
	for (size_t i = 0; msp_extraopts_dir_files[i]; i++) {
		msp_buf_adds(b, ".I $NAGIOS_CONFIG_PATH/");
		man_text(b, msp_extraopts_dir_files[i], strlen(msp_extraopts_dir_files[i]));
		msp_buf_adds(b, "\n.TQ\n");
	}
	for (size_t i = 0; msp_extraopts_default_files[i]; i++) {
		msp_buf_adds(b, ".I ");
		man_text(b, msp_extraopts_default_files[i], strlen(msp_extraopts_default_files[i]));
		msp_buf_adds(b, msp_extraopts_default_files[i + 1] ? "\n.TQ\n" : "\n");
	}
	msp_buf_adds(b, "The ini files \\fB\\-\\-extra\\-opts\\fR without @FILE searches, in this order; the first "
			"one found is read, and a missing section there is an error that lists the paths tried.\n");
}

static void man_see_also(struct msp_buf *b)
{
	static const char *const docs[] = { "README.md", "output-formats.md", "contrib/" };
	static const char *const what[] = { "options every plugin takes, installation, the drop-in plugins",
					    "the nagios, multi-line, json, prometheus and table formats",
					    "Icinga 2, Nagios and Zabbix definitions and bundle profiles" };

	/* paths as long as a DESTDIR or distcheck docdir cannot be justified: no adjusting, no hyphens */
	msp_buf_adds(b, ".SH SEE ALSO\n.ad l\n.nh\nThe msp\\-plugins documents, installed with the plugins:\n");
	for (size_t i = 0; i < sizeof(docs) / sizeof(docs[0]); i++) {
		msp_buf_adds(b, ".TP\n.I ");
		man_path(b, MSP_DOCDIR);
		msp_buf_adds(b, "/\\:");
		man_path(b, docs[i]);
		msp_buf_addc(b, '\n');
		man_text(b, what[i], strlen(what[i]));
		msp_buf_addc(b, '\n');
	}
}

/* The manual page (man(7)) from the same description and table as --help. */
int msp_man_text(const struct msp_plugin *p, struct msp_buf *b)
{
	const char *d = p->description ? p->description : "";
	const char *ex = p->notes ? examples_at(p->notes) : NULL;
	size_t first = strcspn(d, ".\n");

	msp_buf_addf(b, ".TH %s 1 \"\" \"%s %s\" \"Monitoring plugins\"\n.SH NAME\n%s \\- ", p->name, PACKAGE_NAME,
		     PACKAGE_VERSION, p->name);
	man_text(b, d, first);
	msp_buf_addf(b, "\n.SH SYNOPSIS\n.B %s\n", p->name);
	man_text(b, p->synopsis ? p->synopsis : "[OPTION]...", strlen(p->synopsis ? p->synopsis : "[OPTION]..."));
	msp_buf_adds(b, "\n");
	if (*d) {
		msp_buf_adds(b, ".SH DESCRIPTION\n");
		man_text(b, d, strlen(d));
		msp_buf_adds(b, "\n");
	}
	msp_buf_adds(b, ".SH OPTIONS\n");
	each_option(p, man_option, b);
	man_exit_status(b, p);
	man_environment(b, p);
	man_files(b, p);
	if (p->notes && ex != p->notes) {
		size_t n = ex ? (size_t)(ex - p->notes) : strlen(p->notes);

		while (n > 0 && p->notes[n - 1] == '\n')
			n--;
		msp_buf_adds(b, ".SH NOTES\n");
		man_verbatim(b, p->notes, n);
	}
	if (ex) {
		msp_buf_adds(b, ".SH EXAMPLES\n");
		man_verbatim(b, ex + strlen("Examples:\n"), strlen(ex + strlen("Examples:\n")));
	}
	man_see_also(b);
	return b->truncated ? MSP_ETOOBIG : 0;
}
