/* SPDX-License-Identifier: GPL-3.0-or-later */
/* msp_render.c - the output formats (see msp_render.h). */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "msp_num.h"
#include "msp_render.h"
#include "banned.h"

#define SUMMARY_MAX 1024 /* bytes of summary text on line 1 */
#define TRUNC_MARK "... (output truncated)"
#define PROM_TRUNC_MARK "# output truncated\n"

int msp_format_parse(const char *name, enum msp_format *ret_format, struct msp_error *err)
{
	static const struct {
		const char *name;
		enum msp_format fmt;
	} names[] = {
		{ "nagios", MSP_FORMAT_NAGIOS },
		{ "multi-line", MSP_FORMAT_MULTILINE },
		{ "json", MSP_FORMAT_JSON },
		{ "prometheus", MSP_FORMAT_PROMETHEUS },
		{ "table", MSP_FORMAT_TABLE },
	};

	for (size_t i = 0; name && i < sizeof(names) / sizeof(names[0]); i++) {
		if (strcasecmp(name, names[i].name) == 0) {
			*ret_format = names[i].fmt;
			return 0;
		}
	}
	return msp_error_set(err, MSP_EINVAL, "output format '%.40s' is not nagios, multi-line, json, prometheus or table",
			     name ? name : "");
}

size_t msp_utf8_len(const unsigned char *s, size_t n)
{
	size_t len;
	unsigned cp;

	if (n == 0)
		return 0;
	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		len = 2;
		cp = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		len = 3;
		cp = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		len = 4;
		cp = s[0] & 0x07;
	} else {
		return 0;
	}
	if (n < len)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	if ((len == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) || (len == 4 && (cp < 0x10000 || cp > 0x10ffff)))
		return 0;
	return len;
}

size_t msp_text_clean_char(const char *s, size_t n, char prev, char *out, size_t *ret_outlen)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t l = msp_utf8_len(p, n);
	char c;

	if (l == 0) {
		out[0] = '?';
		*ret_outlen = 1;
		return 1;
	}
	if (l > 1) {
		for (size_t i = 0; i < l; i++)
			out[i] = s[i];
		*ret_outlen = l;
		return l;
	}
	c = s[0];
	if (c == '|')
		c = '/';
	else if (c == '\t')
		c = ' ';
	else if ((unsigned char)c < 0x20 || c == 0x7f)
		c = '?';
	else if (c == '$' && (prev == '\0' || prev == ' ' || prev == '\t' || prev == '\n' || prev == '\r' ||
			      prev == '\v' || prev == '\f'))
		c = '_';
	out[0] = c;
	*ret_outlen = 1;
	return 1;
}

/* Sanitised copy of at most max bytes of s (cut at a character boundary). */
static int text_add(struct msp_buf *b, const char *s, size_t max)
{
	const char *p = s ? s : "";
	size_t n = strlen(p), done = 0;
	int r = 0;

	while (*p) {
		char out[4];
		size_t ol, l = msp_text_clean_char(p, n, done ? p[-1] : '\0', out, &ol);

		if (done + l > max) {
			r |= msp_buf_adds(b, "...");
			break;
		}
		r |= msp_buf_add(b, out, ol);
		p += l;
		n -= l;
		done += l;
	}
	return r < 0 ? MSP_ETOOBIG : 0;
}

int msp_render_text(struct msp_buf *b, const char *s)
{
	return text_add(b, s, (size_t)-1);
}

/* Children of r in display order: worst first, stable, notes last. Caller frees. */
static const struct msp_result **sorted_children(const struct msp_result *r)
{
	const struct msp_result **v;
	size_t n = 0;

	v = calloc(r->nchild ? r->nchild : 1, sizeof(*v));
	if (!v)
		return NULL;
	for (int rank = 3; rank >= 0; rank--)
		for (size_t i = 0; i < r->nchild; i++)
			if (!r->child[i]->note && msp_state_rank(msp_result_state(r->child[i])) == rank)
				v[n++] = r->child[i];
	for (size_t i = 0; i < r->nchild; i++)
		if (r->child[i]->note)
			v[n++] = r->child[i];
	return v;
}

/* The summary: the root's text, else the text of its first worst child. */
static const char *summary_of(const struct msp_result *root)
{
	const struct msp_result *best = NULL;

	/* A drop-in's text is its reference's, also when that is empty ("DISK OK| ..."). */
	if (root->text && (root->text[0] || root->style))
		return root->text;
	for (size_t i = 0; i < root->nchild; i++) {
		const struct msp_result *c = root->child[i];

		if (!c->text || c->note)
			continue;
		if (!best || msp_state_rank(msp_result_state(c)) > msp_state_rank(msp_result_state(best)))
			best = c;
	}
	return best ? best->text : "no result";
}

/* Append every perfdata item of the tree, space separated, skipping items that would pass `budget` bytes. */
static int perf_all(const struct msp_result *r, struct msp_buf *b, size_t budget, bool *first)
{
	struct msp_buf one;
	int rc = 0;

	msp_buf_init(&one, 4096);
	for (size_t i = 0; i < r->nperf; i++) {
		msp_buf_reset(&one);
		if (msp_perf_write(&r->perf[i], &one) < 0)
			continue;
		if (b->len + one.len + 1 > budget)
			continue;
		if (!*first)
			rc |= msp_buf_addc(b, ' ');
		rc |= msp_buf_add(b, one.data, one.len);
		*first = false;
	}
	msp_buf_release(&one);
	for (size_t i = 0; i < r->nchild; i++)
		rc |= perf_all(r->child[i], b, budget, first);
	return rc < 0 ? MSP_ETOOBIG : 0;
}

static bool tree_has_perf(const struct msp_result *r)
{
	if (r->nperf)
		return true;
	for (size_t i = 0; i < r->nchild; i++)
		if (tree_has_perf(r->child[i]))
			return true;
	return false;
}

/* Long output lines for the children of r at depth `depth`; stops at `budget` total bytes. */
static int long_lines(const struct msp_result *r, enum msp_format fmt, bool notes_only, int depth,
		      struct msp_buf *b, size_t budget, bool *cut)
{
	const struct msp_result **kids;
	struct msp_buf line;
	int rc = 0;

	if (r->nchild == 0 || *cut)
		return 0;
	kids = sorted_children(r);
	if (!kids)
		return MSP_ENOMEM;
	/* Room for the indent, the tag, a whole name and a whole text (each cut at SUMMARY_MAX): a line is never cut. */
	msp_buf_init(&line, (size_t)depth * 2 + 2 * (SUMMARY_MAX + 8) + 64);
	for (size_t i = 0; i < r->nchild && !*cut; i++) {
		const struct msp_result *c = kids[i];

		if (notes_only && !c->note)
			continue;
		msp_buf_reset(&line);
		if (fmt == MSP_FORMAT_MULTILINE) {
			for (int d = 0; d <= depth; d++)
				msp_buf_addc(&line, '\t');
			if (c->note)
				msp_buf_adds(&line, "\\_ ");
			else
				msp_buf_addf(&line, "\\_[%s] - ", msp_state_name(msp_result_state(c)));
		} else {
			for (int d = 0; d < depth; d++)
				msp_buf_adds(&line, "  ");
			if (!c->note)
				msp_buf_addf(&line, "[%s] ", msp_state_name(msp_result_state(c)));
		}
		if (c->name) {
			text_add(&line, c->name, SUMMARY_MAX);
			msp_buf_adds(&line, ": ");
		}
		text_add(&line, c->text, SUMMARY_MAX);
		msp_buf_addc(&line, '\n');
		if (line.truncated) {
			rc = MSP_ETOOBIG; /* cannot happen with the room above; never glue two lines */
			break;
		}
		if (b->len + line.len > budget) {
			*cut = true;
			break;
		}
		rc |= msp_buf_add(b, line.data, line.len);
		rc |= long_lines(c, fmt, notes_only, depth + 1, b, budget, cut);
	}
	msp_buf_release(&line);
	free(kids);
	return rc < 0 ? MSP_ETOOBIG : 0;
}

static int render_text(const struct msp_result *root, enum msp_format fmt, const char *service,
		       struct msp_buf *out)
{
	static const struct msp_nagios_style plain = { " - ", " | ", "", false };
	const struct msp_nagios_style *style = fmt == MSP_FORMAT_NAGIOS && root->style ? root->style : &plain;
	enum msp_state st = msp_result_state(root);
	size_t budget = MSP_OUTPUT_MAX - sizeof(TRUNC_MARK) - 2;
	bool first = true, cut = false;
	const char *summary = summary_of(root);
	struct msp_buf perf;

	msp_buf_init(&perf, MSP_OUTPUT_MAX);
	if (fmt == MSP_FORMAT_MULTILINE)
		msp_buf_addf(out, "[%s] - ", msp_state_name(st));
	else
		msp_buf_addf(out, "%s %s", service, msp_state_name(st));
	/* "DISK OK| /=..." : a drop-in whose summary is empty prints no separator (check_disk -e) */
	if (fmt != MSP_FORMAT_MULTILINE && (*summary || !root->style))
		msp_buf_adds(out, style->state_sep ? style->state_sep : plain.state_sep);
	text_add(out, summary, SUMMARY_MAX);
	/* Perfdata gets what line 1 leaves of half the output. */
	if (tree_has_perf(root))
		perf_all(root, &perf, MSP_OUTPUT_MAX / 2 > out->len + 3 ? MSP_OUTPUT_MAX / 2 - out->len - 3 : 0,
			 &first);
	if (fmt == MSP_FORMAT_NAGIOS && perf.len) {
		msp_buf_adds(out, style->perf_sep ? style->perf_sep : plain.perf_sep);
		msp_buf_add(out, perf.data, perf.len);
		msp_buf_adds(out, style->perf_end ? style->perf_end : plain.perf_end);
	}
	msp_buf_addc(out, '\n');
	if (fmt == MSP_FORMAT_MULTILINE && perf.len)
		budget -= perf.len + 2;
	if (!style->no_children || style->keep_notes)
		long_lines(root, fmt, style->no_children, 0, out, budget, &cut);
	if (cut)
		msp_buf_adds(out, TRUNC_MARK "\n");
	if (fmt == MSP_FORMAT_MULTILINE && perf.len) {
		msp_buf_addc(out, '|');
		msp_buf_add(out, perf.data, perf.len);
		msp_buf_addc(out, '\n');
	}
	msp_buf_release(&perf);
	return 0;
}

/* ------------------------------------------------------------------ json */

static void json_str(struct msp_buf *b, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *p = (const unsigned char *)(s ? s : "");
	size_t n = strlen((const char *)p);

	msp_buf_addc(b, '"');
	while (*p) {
		size_t l = msp_utf8_len(p, n);

		if (l == 0) {
			msp_buf_adds(b, "\\ufffd");
			l = 1;
		} else if (l > 1) {
			msp_buf_add(b, p, l);
		} else if (*p == '"' || *p == '\\') {
			msp_buf_addc(b, '\\');
			msp_buf_addc(b, (char)*p);
		} else if (*p < 0x20 || *p == 0x7f) {
			char esc[7] = { '\\', 'u', '0', '0', hex[*p >> 4], hex[*p & 15], 0 };

			msp_buf_adds(b, esc);
		} else {
			msp_buf_addc(b, (char)*p);
		}
		p += l;
		n -= l;
	}
	msp_buf_addc(b, '"');
}

/* Human text, sanitised as for the text formats, as a JSON string. */
static void json_text(struct msp_buf *b, const char *s)
{
	struct msp_buf t;

	msp_buf_init(&t, SUMMARY_MAX + 8);
	text_add(&t, s, SUMMARY_MAX);
	json_str(b, msp_buf_str(&t));
	msp_buf_release(&t);
}

/* ',"notes":[...]' for the notes among r's children; nothing when there are none. */
static void json_notes(struct msp_buf *b, const struct msp_result *r, int depth_left)
{
	bool first = true;

	for (size_t i = 0; depth_left > 0 && i < r->nchild; i++) {
		if (!r->child[i]->note)
			continue;
		msp_buf_adds(b, first ? ",\"notes\":[" : ",");
		first = false;
		json_text(b, r->child[i]->text);
	}
	if (!first)
		msp_buf_addc(b, ']');
}

/* A JSON number; null for NaN and the infinities (JSON has no such numbers, and 0 would be a reading). */
static void json_num(struct msp_buf *b, double v, int decimals)
{
	char num[MSP_NUM_FORMAT_MAX];

	msp_buf_adds(b, isfinite(v) ? msp_num_format(v, decimals, num, sizeof(num)) : "null");
}

static void json_perf(struct msp_buf *b, const struct msp_perf *p)
{
	char rng[MSP_RANGE_FORMAT_MAX];
	double scale = p->scale != 0 ? p->scale : 1;
	struct msp_buf label;

	msp_buf_init(&label, 1 << 20);
	msp_perf_label_clean(p->label, &label);
	msp_buf_adds(b, "{\"label\":");
	json_str(b, msp_buf_str(&label));
	msp_buf_release(&label);
	msp_buf_adds(b, ",\"value\":");
	json_num(b, p->value, p->decimals);
	msp_buf_adds(b, ",\"uom\":");
	json_str(b, p->uom);
	msp_buf_adds(b, ",\"warn\":");
	if (p->th.has_warn)
		json_str(b, msp_range_format(&p->th.warn, scale, rng, sizeof(rng)));
	else
		msp_buf_adds(b, "null");
	msp_buf_adds(b, ",\"crit\":");
	if (p->th.has_crit)
		json_str(b, msp_range_format(&p->th.crit, scale, rng, sizeof(rng)));
	else
		msp_buf_adds(b, "null");
	msp_buf_adds(b, ",\"min\":");
	if (p->has_min)
		json_num(b, p->min, p->decimals);
	else
		msp_buf_adds(b, "null");
	msp_buf_adds(b, ",\"max\":");
	if (p->has_max)
		json_num(b, p->max, p->decimals);
	else
		msp_buf_adds(b, "null");
	msp_buf_addc(b, '}');
}

/*
 * Perfdata items of the whole tree as JSON array members, skipping items
 * that would take b past `budget` bytes (each item is written whole or not
 * at all, so the array stays valid).
 */
static void json_perf_all(struct msp_buf *b, const struct msp_result *r, bool *first, size_t budget)
{
	struct msp_buf one;

	msp_buf_init(&one, 1 << 20);
	for (size_t i = 0; i < r->nperf; i++) {
		msp_buf_reset(&one);
		json_perf(&one, &r->perf[i]);
		if (one.truncated || b->len + one.len + 1 > budget)
			continue;
		if (!*first)
			msp_buf_addc(b, ',');
		msp_buf_add(b, one.data, one.len);
		*first = false;
	}
	msp_buf_release(&one);
	for (size_t i = 0; i < r->nchild; i++)
		json_perf_all(b, r->child[i], first, budget);
}

/* ',"perfdata":[...]' for r's own perfdata items; nothing when it has none. */
static void json_own_perf(struct msp_buf *b, const struct msp_result *r)
{
	for (size_t i = 0; i < r->nperf; i++) {
		msp_buf_adds(b, i == 0 ? ",\"perfdata\":[" : ",");
		json_perf(b, &r->perf[i]);
	}
	if (r->nperf)
		msp_buf_addc(b, ']');
}

/*
 * The stateful children of r as a JSON array of check objects, each with
 * its notes and, when it has a name, the name and (with `perf`) its own
 * perfdata (a named check stands for a whole plugin run: check_bundle).
 */
static void json_checks(struct msp_buf *b, const struct msp_result *r, int depth_left, bool perf)
{
	bool first = true;

	msp_buf_addc(b, '[');
	for (size_t i = 0; depth_left > 0 && i < r->nchild; i++) {
		const struct msp_result *c = r->child[i];

		if (c->note)
			continue;
		if (!first)
			msp_buf_addc(b, ',');
		first = false;
		msp_buf_addc(b, '{');
		if (c->name) {
			msp_buf_adds(b, "\"name\":");
			json_text(b, c->name);
			msp_buf_addc(b, ',');
		}
		msp_buf_adds(b, "\"state\":");
		json_str(b, msp_state_name(msp_result_state(c)));
		if (c->has_duration) {
			msp_buf_adds(b, ",\"duration\":");
			json_num(b, c->duration, 3);
		}
		msp_buf_adds(b, ",\"output\":");
		json_text(b, c->text);
		msp_buf_adds(b, ",\"checks\":");
		json_checks(b, c, depth_left - 1, perf);
		json_notes(b, c, depth_left - 1);
		if (perf && c->name)
			json_own_perf(b, c);
		msp_buf_addc(b, '}');
	}
	msp_buf_addc(b, ']');
}

static int render_json(const struct msp_result *root, const char *plugin, const char *service, struct msp_buf *out)
{
	enum msp_state st = msp_result_state(root);
	static const char tail[] = "],\"truncated\":true}\n";
	struct msp_buf b;

	/*
	 * Try the whole tree; when it passes the cap, drop the children's own
	 * perfdata lists (the top-level list has every item), then the
	 * children, then the perfdata that does not fit.
	 */
	for (int attempt = 0; attempt < 4; attempt++) {
		bool first = true;

		msp_buf_init(&b, 1 << 24);
		msp_buf_adds(&b, "{\"version\":1,\"plugin\":");
		json_str(&b, plugin);
		msp_buf_adds(&b, ",\"service\":");
		json_str(&b, service);
		msp_buf_adds(&b, ",\"state\":");
		json_str(&b, msp_state_name(st));
		msp_buf_addf(&b, ",\"exit_code\":%d,\"summary\":", (int)st);
		json_text(&b, summary_of(root));
		msp_buf_adds(&b, ",\"checks\":");
		json_checks(&b, root, attempt < 2 ? 16 : 0, attempt == 0);
		json_notes(&b, root, attempt < 2 ? 16 : 0);
		msp_buf_adds(&b, ",\"perfdata\":[");
		json_perf_all(&b, root, &first, attempt < 3 ? b.max : MSP_OUTPUT_MAX - (sizeof(tail) - 1));
		msp_buf_addc(&b, ']');
		if (attempt > 0)
			msp_buf_adds(&b, ",\"truncated\":true");
		msp_buf_adds(&b, "}\n");
		if (b.len <= MSP_OUTPUT_MAX || attempt == 3) {
			int r = msp_buf_add(out, b.data, b.len);

			msp_buf_release(&b);
			return r;
		}
		msp_buf_release(&b);
	}
	return 0;
}

/* ------------------------------------------------------------ prometheus */

static void prom_label_value(struct msp_buf *b, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s);

	msp_buf_addc(b, '"');
	while (*p) {
		size_t l = msp_utf8_len(p, n);

		if (l == 0) {
			msp_buf_addc(b, '?');
			l = 1;
		} else if (*p == '\\' || *p == '"') {
			msp_buf_addc(b, '\\');
			msp_buf_addc(b, (char)*p);
		} else if (*p == '\n') {
			msp_buf_adds(b, "\\n");
		} else if (l == 1 && (*p < 0x20 || *p == 0x7f)) {
			msp_buf_addc(b, '?');
		} else {
			msp_buf_add(b, p, l);
		}
		p += l;
		n -= l;
	}
	msp_buf_addc(b, '"');
}

/*
 * One gauge line per perfdata item of the tree, labelled with run (the
 * run's labels, exposition text); a line that would pass the cap is left
 * out whole (*dropped).
 */
static void prom_perf(struct msp_buf *b, const struct msp_result *r, const char *run, bool *dropped)
{
	char num[MSP_NUM_FORMAT_MAX];
	struct msp_buf line, label;

	msp_buf_init(&line, MSP_OUTPUT_MAX);
	msp_buf_init(&label, MSP_OUTPUT_MAX);
	for (size_t i = 0; i < r->nperf; i++) {
		const struct msp_perf *p = &r->perf[i];

		msp_buf_reset(&line);
		msp_buf_addf(&line, "msp_perfdata{%s,label=", run);
		msp_buf_reset(&label);
		msp_perf_label_clean(p->label, &label);
		prom_label_value(&line, msp_buf_str(&label));
		msp_buf_adds(&line, ",uom=");
		prom_label_value(&line, p->uom);
		msp_buf_addf(&line, "} %s\n",
			     isfinite(p->value) ? msp_num_format(p->value, p->decimals, num, sizeof(num))
			     : isnan(p->value)  ? "NaN"
			     : p->value > 0     ? "+Inf"
						: "-Inf");
		if (line.truncated || b->len + line.len > MSP_OUTPUT_MAX - (sizeof(PROM_TRUNC_MARK) - 1)) {
			*dropped = true;
			continue;
		}
		msp_buf_add(b, line.data, line.len);
	}
	msp_buf_release(&line);
	msp_buf_release(&label);
	for (size_t i = 0; i < r->nchild; i++)
		prom_perf(b, r->child[i], run, dropped);
}

int msp_prom_label_add(struct msp_buf *labels, const char *name, const char *value, struct msp_error *err)
{
	static const char *const ours[] = { "plugin", "check", "label", "uom", "job", "instance" };
	size_t at = labels->len, nl = name ? strlen(name) : 0;
	bool ok = nl > 0 && !(name[0] >= '0' && name[0] <= '9') && strncmp(name, "__", 2) != 0;
	struct msp_buf seek;

	for (size_t i = 0; ok && i < nl; i++)
		ok = (name[i] >= 'a' && name[i] <= 'z') || (name[i] >= 'A' && name[i] <= 'Z') ||
		     (name[i] >= '0' && name[i] <= '9') || name[i] == '_';
	if (!ok)
		return msp_error_set(err, MSP_EINVAL,
				     "prometheus label name '%.60s' is not a letter or '_' followed by letters, digits "
				     "or '_' (and does not start with '__')",
				     name ? name : "");
	for (size_t i = 0; i < sizeof(ours) / sizeof(ours[0]); i++)
		if (strcmp(name, ours[i]) == 0)
			return msp_error_set(err, MSP_EINVAL, "prometheus label name '%s' is reserved", name);
	/* "name=" at the start or after a ',' (values are quoted and escaped, so no ',name=' hides in one) */
	msp_buf_init(&seek, nl + 3);
	msp_buf_addf(&seek, ",%s=", name);
	if (strncmp(msp_buf_str(labels), seek.data + 1, nl + 1) == 0 || strstr(msp_buf_str(labels), seek.data)) {
		msp_buf_release(&seek);
		return msp_error_set(err, MSP_EINVAL, "prometheus label '%s' is given twice", name);
	}
	msp_buf_release(&seek);
	if (at > 0)
		msp_buf_addc(labels, ',');
	msp_buf_addf(labels, "%s=", name);
	prom_label_value(labels, value ? value : "");
	if (labels->truncated) {
		labels->len = at;
		labels->data[at] = '\0';
		labels->truncated = false;
		return msp_error_set(err, MSP_ETOOBIG, "prometheus label '%.60s' is too long", name);
	}
	return 0;
}

/* 'plugin="...",<labels>' : what identifies the run in every sample. */
static void prom_run_labels(struct msp_buf *b, const char *plugin, const char *labels)
{
	msp_buf_adds(b, "plugin=");
	prom_label_value(b, plugin);
	if (labels && *labels) {
		msp_buf_addc(b, ',');
		msp_buf_adds(b, labels);
	}
}

/* A state sample for each named check of the root (check_bundle's): msp_check_state{...,check="disk"}. */
static void prom_check_states(struct msp_buf *b, const struct msp_result *root, const char *run, bool *dropped)
{
	struct msp_buf line;

	msp_buf_init(&line, MSP_OUTPUT_MAX);
	for (size_t i = 0; i < root->nchild; i++) {
		const struct msp_result *c = root->child[i];

		if (c->note || !c->name)
			continue;
		msp_buf_reset(&line);
		msp_buf_addf(&line, "msp_check_state{%s,check=", run);
		prom_label_value(&line, c->name);
		msp_buf_addf(&line, "} %d\n", (int)msp_result_state(c));
		if (line.truncated || b->len + line.len > MSP_OUTPUT_MAX - (sizeof(PROM_TRUNC_MARK) - 1)) {
			*dropped = true;
			continue;
		}
		msp_buf_add(b, line.data, line.len);
	}
	msp_buf_release(&line);
}

int msp_render_prometheus(const struct msp_result *root, const char *plugin, const char *labels, struct msp_buf *out)
{
	bool dropped = false;
	struct msp_buf run;

	msp_buf_init(&run, MSP_OUTPUT_MAX / 2);
	prom_run_labels(&run, plugin, labels);
	if (run.truncated) {
		msp_buf_release(&run);
		return MSP_ETOOBIG;
	}
	msp_buf_addf(out, MSP_PROM_STATE_HEAD "msp_check_state{%s} %d\n", msp_buf_str(&run),
		     (int)msp_result_state(root));
	prom_check_states(out, root, msp_buf_str(&run), &dropped);
	if (tree_has_perf(root)) {
		msp_buf_adds(out, "# HELP msp_perfdata Performance data item of the check, in its unit of measure.\n"
				  "# TYPE msp_perfdata gauge\n");
		prom_perf(out, root, msp_buf_str(&run), &dropped);
	}
	if (dropped)
		msp_buf_adds(out, PROM_TRUNC_MARK);
	msp_buf_release(&run);
	return 0;
}

/* ----------------------------------------------------------------- table */

/* Display width of sanitised text (UTF-8 sequences count one column). */
static size_t text_width(const char *s)
{
	size_t w = 0;

	for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++)
		if ((*p & 0xc0) != 0x80)
			w++;
	return w;
}

/* The state word, in its ANSI colour when color is set (green, yellow, red, magenta), padded to pad columns. */
static void table_state(struct msp_buf *b, enum msp_state st, bool color, int pad)
{
	static const char *const sgr[] = { "32", "33", "31", "35" };
	const char *name = msp_state_name(st);
	int fill = pad - (int)strlen(name);

	if (color)
		msp_buf_addf(b, "\033[%sm%s\033[0m%*s", sgr[(int)st & 3], name, fill > 0 ? fill : 0, "");
	else
		msp_buf_addf(b, "%-*s", pad, name);
}

/* A duration as "12.34s" right-aligned in 7 columns (fixed 2 decimals, '.' in every locale), or blanks. */
static void table_duration(struct msp_buf *b, const struct msp_result *c)
{
	long long cs = c->has_duration && isfinite(c->duration) && c->duration >= 0 && c->duration < 1e9
			       ? llround(c->duration * 100)
			       : -1;

	if (cs < 0)
		msp_buf_adds(b, "         ");
	else
		msp_buf_addf(b, "%3lld.%02llds  ", cs / 100, cs % 100);
}

/* One child as a table row: state, name (padded to name_w when > 0), duration (when dur), text. */
static void table_row(struct msp_buf *line, const struct msp_result *c, size_t name_w, bool dur, bool color)
{
	msp_buf_reset(line);
	if (c->note) {
		text_add(line, c->text, SUMMARY_MAX);
		msp_buf_addc(line, '\n');
		return;
	}
	table_state(line, msp_result_state(c), color, 10);
	if (name_w > 0) {
		size_t at = line->len;

		text_add(line, c->name ? c->name : "", 64);
		for (size_t w = text_width(line->data + at); w < name_w + 2; w++)
			msp_buf_addc(line, ' ');
	}
	if (dur)
		table_duration(line, c);
	text_add(line, c->text, SUMMARY_MAX);
	msp_buf_addc(line, '\n');
}

static int render_table(const struct msp_result *root, const char *service, bool color, struct msp_buf *out)
{
	const struct msp_result **kids = sorted_children(root);
	size_t budget = MSP_OUTPUT_MAX - sizeof(TRUNC_MARK) - 2, name_w = 0;
	bool dur = false;
	struct msp_buf line;

	if (!kids)
		return MSP_ENOMEM;
	msp_buf_addf(out, "%s ", service);
	table_state(out, msp_result_state(root), color, 0);
	msp_buf_adds(out, " - ");
	text_add(out, summary_of(root), SUMMARY_MAX);
	msp_buf_addc(out, '\n');
	for (size_t i = 0; i < root->nchild; i++) {
		size_t w = kids[i]->name ? text_width(kids[i]->name) : 0;

		if (w > name_w)
			name_w = w > 64 ? 64 : w;
		dur |= kids[i]->has_duration;
	}
	msp_buf_init(&line, SUMMARY_MAX + 256);
	for (size_t i = 0; i < root->nchild; i++) {
		table_row(&line, kids[i], name_w, dur, color);
		if (out->len + line.len > budget) {
			msp_buf_adds(out, TRUNC_MARK "\n");
			break;
		}
		msp_buf_add(out, line.data, line.len);
	}
	msp_buf_release(&line);
	free(kids);
	return 0;
}

bool msp_color_wanted(bool tty, const char *no_color, const char *term)
{
	/* no-color.org: NO_COLOR present and not empty disables colour, whatever its value */
	if (!tty || (no_color && *no_color))
		return false;
	return !term || strcmp(term, "dumb") != 0;
}

int msp_render_colored(const struct msp_result *root, enum msp_format fmt, const char *plugin, const char *service,
		       struct msp_buf *out)
{
	if (fmt == MSP_FORMAT_TABLE)
		return render_table(root, service, true, out);
	return msp_render(root, fmt, plugin, service, out);
}

int msp_render(const struct msp_result *root, enum msp_format fmt, const char *plugin, const char *service,
	       struct msp_buf *out)
{
	if (root->service)
		service = root->service;
	switch (fmt) {
	case MSP_FORMAT_JSON:
		return render_json(root, plugin, service, out);
	case MSP_FORMAT_PROMETHEUS:
		return msp_render_prometheus(root, plugin, NULL, out);
	case MSP_FORMAT_TABLE:
		return render_table(root, service, false, out);
	case MSP_FORMAT_NAGIOS:
	case MSP_FORMAT_MULTILINE:
		break;
	}
	return render_text(root, fmt, service, out);
}
