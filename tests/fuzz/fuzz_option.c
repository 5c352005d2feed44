/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * fuzz_option.c - the runner's option parser (msp_prescan, msp_parse,
 * msp_prepare) with argv as input, on a small plugin whose table has an
 * entry of every type.
 *
 * Input: one byte (bit 0: the plugin takes positional arguments), then the
 * arguments, separated by NUL bytes (at most 40).  --extra-opts reads the
 * ini file written at start ($MP_CONFIG_FILE), so the expansion is
 * exercised too.  Invariants: a failure has a message; a success leaves
 * every typed field within its entry's bounds and choices (port 1-65535,
 * count -5..100, ratio 0..1, a state, a mode, an address family), ranges
 * with start <= end in the order MSP_OPTF_ORDERED promises, lists
 * NULL-terminated and within MSP_LIST_MAX, a name that is never empty,
 * defaults applied; and the run releases everything it took (LeakSanitizer).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "msp.h"

#define MAX_ARGS 40

struct cfg {
	const char *host;
	const char *expect;
	const char *name;
	bool flag;
	bool host_given;
	int family;
	int debug;
	long count;
	unsigned port;
	double ratio;
	double age;
	double size;
	struct msp_threshold th;
	enum msp_state missing;
	int mode;
	struct msp_list tags;
	struct msp_list items;
	const char *pos;
	int calls;
};

static const struct msp_choice modes[] = { { "fast", 1 }, { "slow", 2 }, { NULL, 0 } };

#define MSP_CFG struct cfg
static const struct msp_option options[] = {
	MSP_STRING('H', "host", host, "HOST", "Host", .given = MSP_GIVEN(host_given), .def = "localhost"),
	MSP_STRING('e', "expect", expect, "TEXT", "Expected text", .flags = MSP_OPTF_EMPTY_OK),
	MSP_STRING('n', "name", name, "NAME", "A name", .flags = MSP_OPTF_EMPTY_ERROR),
	MSP_BOOL('f', "flag", flag, "A flag"),
	MSP_SET('4', NULL, family, 4, "IPv4"),
	MSP_SET('6', NULL, family, 6, "IPv6"),
	MSP_COUNT('d', "debug", debug, "More detail"),
	MSP_INT('k', "count", count, "N", -5, 100, "A count"),
	MSP_UINT('p', "port", port, "PORT", 1, 65535, "A port", .def = "443"),
	MSP_DOUBLE('r', "ratio", ratio, "R", 0, 1, "A ratio"),
	MSP_DURATION('a', "max-age", age, "AGE", "An age", .def = "1d"),
	MSP_SIZE('s', "min-size", size, "SIZE", "A size", .flags = MSP_OPTF_1024),
	MSP_WARN('w', "warning", th, "RANGE", MSP_UNIT_DURATION | MSP_UNIT_PERCENT, "Warning"),
	MSP_CRIT('c', "critical", th, "RANGE", MSP_UNIT_DURATION | MSP_UNIT_PERCENT, "Critical",
		 .flags = MSP_OPTF_ORDERED),
	MSP_STATE(0, "missing", missing, "STATE", "State when missing", .def = "critical"),
	MSP_CHOICE('m', "mode", mode, "MODE", modes, "Mode"),
	MSP_LIST('t', "tag", tags, "TAG", "A tag (repeatable)"),
	MSP_LIST('i', "items", items, "A,B", "Items", .flags = MSP_OPTF_SPLIT),
	MSP_CALLBACK(7, 'x', "extra", MSP_ARG_OPTIONAL, "X", "Handled by the callback"),
	MSP_OPTION_END,
};
static const struct msp_option positional = MSP_STRING(0, NULL, pos, "ARG", NULL);

static int on_option(void *vcfg, int id, const char *arg, struct msp_error *err)
{
	struct cfg *c = vcfg;

	FUZZ_ASSERT(id == 7, "callback for id %d", id);
	c->calls++;
	return arg && strcmp(arg, "bad") == 0 ? msp_error_set(err, MSP_EINVAL, "extra '%s' is bad", arg) : 0;
}

static int on_check(void *vcfg, const struct msp_context *ctx, struct msp_result *root, struct msp_error *err)
{
	(void)vcfg;
	(void)ctx;
	(void)root;
	(void)err;
	return 0;
}

static const struct msp_plugin plugins[2] = {
	{ .name = "check_opt", .service = "OPT", .options = options, .option = on_option, .check = on_check },
	{ .name = "check_opt",
	  .service = "OPT",
	  .options = options,
	  .positional = &positional,
	  .option = on_option,
	  .check = on_check },
};

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	static const char ini[] = "[check_opt]\nhost = db1\nwarning=10s\n; a comment\n[other]\ncount=5\ntag=\"a b\"\n";

	(void)argc;
	(void)argv;
	setenv("MP_CONFIG_FILE", fuzz_write_file(NULL, "plugins.ini", (const uint8_t *)ini, sizeof(ini) - 1), 1);
	unsetenv("NAGIOS_CONFIG_PATH");
	return 0;
}

static void check_list(const struct msp_list *l, const char *what)
{
	FUZZ_ASSERT(l->count <= MSP_LIST_MAX, "%zu %s", l->count, what);
	FUZZ_ASSERT(l->count == 0 || (l->items && l->items[l->count] == NULL), "%s list not NULL-terminated", what);
	for (size_t i = 0; i < l->count; i++)
		FUZZ_ASSERT(l->items[i], "%s %zu is NULL", what, i);
}

static void check_range(const struct msp_range *r, const char *what)
{
	FUZZ_ASSERT(r->start_inf || isfinite(r->start), "%s start %g", what, r->start);
	FUZZ_ASSERT(r->end_inf || isfinite(r->end), "%s end %g", what, r->end);
	FUZZ_ASSERT(r->start_inf || r->end_inf || r->start <= r->end, "%s %g:%g", what, r->start, r->end);
}

static void check_config(const struct cfg *c)
{
	struct msp_error err;

	FUZZ_ASSERT(c->host && (c->host_given || strcmp(c->host, "localhost") == 0), "host '%s'",
		    c->host ? c->host : "(null)");
	FUZZ_ASSERT(!c->name || c->name[0], "an empty name");
	FUZZ_ASSERT(c->family == 0 || c->family == 4 || c->family == 6, "family %d", c->family);
	FUZZ_ASSERT(c->debug >= 0 && c->count >= -5 && c->count <= 100, "debug %d, count %ld", c->debug, c->count);
	FUZZ_ASSERT(c->port >= 1 && c->port <= 65535, "port %u", c->port);
	FUZZ_ASSERT(c->ratio >= 0 && c->ratio <= 1, "ratio %g", c->ratio);
	FUZZ_ASSERT(isfinite(c->age) && isfinite(c->size), "age %g, size %g", c->age, c->size);
	FUZZ_ASSERT(c->missing >= MSP_STATE_OK && c->missing <= MSP_STATE_UNKNOWN, "state %d", (int)c->missing);
	FUZZ_ASSERT(c->mode >= 0 && c->mode <= 2, "mode %d", c->mode);
	if (c->th.has_warn)
		check_range(&c->th.warn, "warning");
	if (c->th.has_crit)
		check_range(&c->th.crit, "critical");
	msp_error_init(&err);
	FUZZ_ASSERT(msp_threshold_check_order(&c->th, "-w", "-c", &err) == 0, "out of order: %s", err.msg);
	check_list(&c->tags, "tag");
	check_list(&c->items, "item");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct msp_plugin *p;
	char *argv[MAX_ARGS + 2];
	int argc = 0, r;
	struct cfg c;
	struct msp_run run;
	struct msp_context ctx;
	struct msp_error err;

	if (size < 1)
		return 0;
	p = &plugins[data[0] & 1u];
	data++;
	size--;
	argv[argc++] = fuzz_strndup((const uint8_t *)"check_opt", 9);
	while (size > 0 && argc <= MAX_ARGS)
		argv[argc++] = fuzz_take(&data, &size, '\0');
	argv[argc] = NULL;

	memset(&c, 0, sizeof(c));
	msp_error_init(&err);
	msp_run_init(p, &run);
	msp_prescan(p, argc, argv, &run);
	r = msp_parse(p, &c, argc, argv, &run, &err);
	if (r == 0 && run.action == MSP_RUN_CHECK)
		r = msp_prepare(p, &c, &run, &ctx, &err);
	if (r < 0)
		FUZZ_ASSERT(err.msg[0], "failed (%d) without a message", r);
	else if (run.action == MSP_RUN_CHECK)
		check_config(&c);
	msp_list_release(&c.tags);
	msp_list_release(&c.items);
	msp_run_release(&run);
	for (int i = 0; i < argc; i++)
		free(argv[i]);
	return 0;
}
