/* msp_perf.c - perfdata items (see msp_perf.h). */
#include <stdlib.h>
#include <string.h>

#include "msp_num.h"
#include "msp_perf.h"
#include "banned.h"

bool msp_perf_uom_valid(const char *uom)
{
	static const char *const ok[] = { "", "s", "ms", "us", "%", "B", "KB", "MB", "TB", "c" };

	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
		if (strcmp(uom, ok[i]) == 0)
			return true;
	return false;
}

int msp_perf_write_label(const char *label, struct msp_buf *b)
{
	/* Control characters and '|' become '_', quoted or not: either would end the perfdata. */
	bool quote = label[0] == '\0' || strpbrk(label, " ='\"") != NULL;
	int r = 0;

	if (quote)
		r |= msp_buf_addc(b, '\'');
	for (const char *p = label; *p; p++) {
		if (*p == '\'')
			r |= msp_buf_adds(b, "''");
		else if ((unsigned char)*p < 0x20 || *p == 0x7f || *p == '|')
			r |= msp_buf_addc(b, '_');
		else
			r |= msp_buf_addc(b, *p);
	}
	if (quote)
		r |= msp_buf_addc(b, '\'');
	return r < 0 ? MSP_ETOOBIG : 0;
}

int msp_perf_write(const struct msp_perf *p, struct msp_buf *b)
{
	char num[MSP_NUM_FORMAT_MAX], rng[MSP_RANGE_FORMAT_MAX];
	double scale = p->scale != 0 ? p->scale : 1;
	int r = 0;

	r |= msp_perf_write_label(p->label, b);
	r |= msp_buf_addc(b, '=');
	r |= msp_buf_adds(b, msp_num_format(p->value, p->decimals, num, sizeof(num)));
	r |= msp_buf_adds(b, p->uom);
	r |= msp_buf_addc(b, ';');
	if (p->th.has_warn)
		r |= msp_buf_adds(b, msp_range_format(&p->th.warn, scale, rng, sizeof(rng)));
	r |= msp_buf_addc(b, ';');
	if (p->th.has_crit)
		r |= msp_buf_adds(b, msp_range_format(&p->th.crit, scale, rng, sizeof(rng)));
	r |= msp_buf_addc(b, ';');
	if (p->has_min)
		r |= msp_buf_adds(b, msp_num_format(p->min, p->decimals, num, sizeof(num)));
	r |= msp_buf_addc(b, ';');
	if (p->has_max)
		r |= msp_buf_adds(b, msp_num_format(p->max, p->decimals, num, sizeof(num)));
	/* Drop the empty trailing fields: "x=1;;;;" reads better as "x=1". */
	while (b->len > 0 && b->data[b->len - 1] == ';')
		b->data[--b->len] = '\0';
	return r < 0 ? MSP_ETOOBIG : 0;
}

void msp_perf_release(struct msp_perf *p)
{
	free(p->label);
	p->label = NULL;
}
