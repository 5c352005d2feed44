/* SPDX-License-Identifier: GPL-3.0-or-later */
/* msp_result.c - the result tree (see msp_result.h). */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "msp_buf.h"
#include "msp_error.h"
#include "msp_result.h"
#include "banned.h"

struct msp_result *msp_result_new(void)
{
	struct msp_result *r = calloc(1, sizeof(*r));

	if (r)
		r->state = MSP_STATE_UNKNOWN;
	return r;
}

void msp_result_free(struct msp_result *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->nchild; i++)
		msp_result_free(r->child[i]);
	free(r->child);
	for (size_t i = 0; i < r->nperf; i++)
		msp_perf_release(&r->perf[i]);
	free(r->perf);
	free(r->text);
	free(r->name);
	free(r);
}

void msp_result_set_state(struct msp_result *r, enum msp_state s)
{
	r->state = s;
	r->state_set = true;
}

void msp_result_raise(struct msp_result *r, enum msp_state s)
{
	if (!r->state_set)
		msp_result_set_state(r, s);
	else
		r->state = msp_state_worst(r->state, s);
}

__attribute__((format(printf, 1, 0))) static char *vformat(const char *fmt, va_list ap)
{
	struct msp_buf b;

	msp_buf_init(&b, 1 << 20);
	if (msp_buf_vaddf(&b, fmt, ap) == MSP_ENOMEM) {
		msp_buf_release(&b);
		return NULL;
	}
	return msp_buf_detach(&b);
}

int msp_result_set_text(struct msp_result *r, const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	s = vformat(fmt, ap);
	va_end(ap);
	if (!s)
		return MSP_ENOMEM;
	free(r->text);
	r->text = s;
	return 0;
}

int msp_result_set_name(struct msp_result *r, const char *name)
{
	char *s = strdup(name);

	if (!s)
		return MSP_ENOMEM;
	free(r->name);
	r->name = s;
	return 0;
}

void msp_result_set_duration(struct msp_result *r, double seconds)
{
	r->duration = seconds;
	r->has_duration = true;
}

/* Append a new child with text formatted from fmt/ap; NULL on ENOMEM. */
__attribute__((format(printf, 2, 0))) static struct msp_result *add_child(struct msp_result *r, const char *fmt,
									  va_list ap)
{
	struct msp_result *c = NULL, **v;

	v = realloc(r->child, (r->nchild + 1) * sizeof(*v));
	if (!v)
		return NULL;
	r->child = v;
	c = msp_result_new();
	if (!c)
		return NULL;
	c->text = vformat(fmt, ap);
	if (!c->text) {
		free(c);
		return NULL;
	}
	r->child[r->nchild++] = c;
	return c;
}

struct msp_result *msp_result_add_child(struct msp_result *r, enum msp_state s, const char *fmt, ...)
{
	struct msp_result *c;
	va_list ap;

	va_start(ap, fmt);
	c = add_child(r, fmt, ap);
	va_end(ap);
	if (c)
		msp_result_set_state(c, s);
	return c;
}

struct msp_result *msp_result_add_note(struct msp_result *r, const char *fmt, ...)
{
	struct msp_result *c;
	va_list ap;

	va_start(ap, fmt);
	c = add_child(r, fmt, ap);
	va_end(ap);
	if (c)
		c->note = true;
	return c;
}

struct msp_perf *msp_result_add_perf(struct msp_result *r, const char *label, double value, const char *uom,
				     const struct msp_threshold *th)
{
	struct msp_perf *v, *p;
	char *l;

	l = strdup(label);
	if (!l)
		return NULL;
	v = realloc(r->perf, (r->nperf + 1) * sizeof(*v));
	if (!v) {
		free(l);
		return NULL;
	}
	r->perf = v;
	p = &r->perf[r->nperf++];
	memset(p, 0, sizeof(*p));
	p->label = l;
	p->value = value;
	snprintf(p->uom, sizeof(p->uom), "%s", uom && msp_perf_uom_valid(uom) ? uom : "");
	p->decimals = 6;
	p->scale = 1;
	if (th)
		p->th = *th;
	return p;
}

void msp_perf_set_min(struct msp_perf *p, double min)
{
	p->has_min = true;
	p->min = min;
}

void msp_perf_set_max(struct msp_perf *p, double max)
{
	p->has_max = true;
	p->max = max;
}

struct msp_perf *msp_result_add_time_perf(struct msp_result *r, double secs, const struct msp_threshold *th, double max)
{
	struct msp_perf *p = msp_result_add_perf(r, "time", secs, "s", th);

	if (!p)
		return NULL;
	p->decimals = 6;
	p->fixed = true;
	p->fixed_limits = true;
	msp_perf_set_min(p, 0);
	if (!isnan(max)) {
		p->keep_fields = true;
		msp_perf_set_max(p, max);
	}
	return p;
}

enum msp_state msp_result_state(const struct msp_result *r)
{
	enum msp_state s = MSP_STATE_UNKNOWN;
	bool any = false;

	if (r->state_set)
		return r->state;
	for (size_t i = 0; i < r->nchild; i++) {
		if (r->child[i]->note)
			continue;
		s = any ? msp_state_worst(s, msp_result_state(r->child[i])) : msp_result_state(r->child[i]);
		any = true;
	}
	return s;
}
