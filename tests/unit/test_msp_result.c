/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test_msp_result.c - the result tree: effective states (fail closed),
 * ownership of text, perfdata and children.
 */
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <setjmp.h>
#include <cmocka.h>

#include "msp.h"

static void test_result__empty_tree_is_unknown(void **state)
{
	struct msp_result *r = msp_result_new();

	(void)state;
	assert_non_null(r);
	assert_false(r->state_set);
	assert_null(r->text);
	assert_int_equal(r->nchild, 0);
	assert_int_equal(r->nperf, 0);
	assert_int_equal(msp_result_state(r), MSP_STATE_UNKNOWN);
	/* a summary text alone does not make it OK */
	assert_int_equal(msp_result_set_text(r, "all fine"), 0);
	assert_int_equal(msp_result_state(r), MSP_STATE_UNKNOWN);
	/* nor does perfdata */
	assert_non_null(msp_result_add_perf(r, "x", 1, "", NULL));
	assert_int_equal(msp_result_state(r), MSP_STATE_UNKNOWN);
	msp_result_free(r);
}

static void test_result__own_state_is_used_when_set(void **state)
{
	struct msp_result *r = msp_result_new();

	(void)state;
	msp_result_set_state(r, MSP_STATE_OK);
	assert_true(r->state_set);
	assert_int_equal(msp_result_state(r), MSP_STATE_OK);
	msp_result_set_state(r, MSP_STATE_CRITICAL);
	assert_int_equal(msp_result_state(r), MSP_STATE_CRITICAL);
	/* set replaces, also with a better state */
	msp_result_set_state(r, MSP_STATE_WARNING);
	assert_int_equal(msp_result_state(r), MSP_STATE_WARNING);
	/* the own state wins over the children's */
	assert_non_null(msp_result_add_child(r, MSP_STATE_CRITICAL, "down"));
	assert_int_equal(msp_result_state(r), MSP_STATE_WARNING);
	msp_result_free(r);
}

static void test_result__raise_only_makes_worse(void **state)
{
	struct msp_result *r = msp_result_new();

	(void)state;
	msp_result_raise(r, MSP_STATE_OK); /* from unset: takes the state */
	assert_true(r->state_set);
	assert_int_equal(msp_result_state(r), MSP_STATE_OK);
	msp_result_raise(r, MSP_STATE_WARNING);
	assert_int_equal(msp_result_state(r), MSP_STATE_WARNING);
	msp_result_raise(r, MSP_STATE_OK);
	assert_int_equal(msp_result_state(r), MSP_STATE_WARNING);
	msp_result_raise(r, MSP_STATE_UNKNOWN);
	assert_int_equal(msp_result_state(r), MSP_STATE_UNKNOWN);
	msp_result_raise(r, MSP_STATE_WARNING); /* UNKNOWN outranks WARNING */
	assert_int_equal(msp_result_state(r), MSP_STATE_UNKNOWN);
	msp_result_raise(r, MSP_STATE_CRITICAL);
	assert_int_equal(msp_result_state(r), MSP_STATE_CRITICAL);
	msp_result_raise(r, MSP_STATE_UNKNOWN);
	assert_int_equal(msp_result_state(r), MSP_STATE_CRITICAL);
	msp_result_free(r);
}

struct combine_case {
	enum msp_state a, b, want;
};

static void test_result__children_combine_by_rank(void **state)
{
	static const struct combine_case cases[] = {
		{ MSP_STATE_OK, MSP_STATE_OK, MSP_STATE_OK },
		{ MSP_STATE_OK, MSP_STATE_WARNING, MSP_STATE_WARNING },
		{ MSP_STATE_WARNING, MSP_STATE_OK, MSP_STATE_WARNING },
		{ MSP_STATE_WARNING, MSP_STATE_UNKNOWN, MSP_STATE_UNKNOWN },
		{ MSP_STATE_UNKNOWN, MSP_STATE_WARNING, MSP_STATE_UNKNOWN },
		{ MSP_STATE_UNKNOWN, MSP_STATE_CRITICAL, MSP_STATE_CRITICAL },
		{ MSP_STATE_CRITICAL, MSP_STATE_UNKNOWN, MSP_STATE_CRITICAL },
		{ MSP_STATE_OK, MSP_STATE_CRITICAL, MSP_STATE_CRITICAL },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct msp_result *r = msp_result_new();

		assert_non_null(msp_result_add_child(r, cases[i].a, "a"));
		assert_non_null(msp_result_add_child(r, cases[i].b, "b"));
		if (msp_result_state(r) != cases[i].want)
			fail_msg("%s + %s gave %s, expected %s", msp_state_name(cases[i].a), msp_state_name(cases[i].b),
				 msp_state_name(msp_result_state(r)), msp_state_name(cases[i].want));
		msp_result_free(r);
	}
}

static void test_result__state_comes_up_from_grandchildren(void **state)
{
	struct msp_result *r = msp_result_new(), *mid, *leaf;

	(void)state;
	assert_non_null(msp_result_add_child(r, MSP_STATE_OK, "fine"));
	mid = msp_result_add_child(r, MSP_STATE_OK, "group");
	assert_non_null(mid);
	/* a child that is only a container: its state comes from below */
	mid->state_set = false;
	leaf = msp_result_add_child(mid, MSP_STATE_CRITICAL, "disk /data full");
	assert_non_null(leaf);
	assert_int_equal(msp_result_state(mid), MSP_STATE_CRITICAL);
	assert_int_equal(msp_result_state(r), MSP_STATE_CRITICAL);
	/* an empty container child is UNKNOWN, and so is the parent */
	mid = msp_result_add_child(r, MSP_STATE_OK, "empty group");
	mid->state_set = false;
	leaf->state = MSP_STATE_OK;
	assert_int_equal(msp_result_state(r), MSP_STATE_UNKNOWN);
	msp_result_free(r);
}

static void test_result__set_text_formats_and_replaces(void **state)
{
	struct msp_result *r = msp_result_new();
	char *big;

	(void)state;
	assert_int_equal(msp_result_set_text(r, "%d of %s", 3, "five"), 0);
	assert_string_equal(r->text, "3 of five");
	assert_int_equal(msp_result_set_text(r, "%s", "replaced"), 0);
	assert_string_equal(r->text, "replaced");
	assert_int_equal(msp_result_set_text(r, "%s", ""), 0);
	assert_string_equal(r->text, "");
	/* texts longer than a small stack buffer survive whole */
	big = malloc(100001);
	assert_non_null(big);
	memset(big, 'x', 100000);
	big[100000] = '\0';
	assert_int_equal(msp_result_set_text(r, "<%s>", big), 0);
	assert_int_equal(strlen(r->text), 100002);
	assert_int_equal(r->text[0], '<');
	assert_int_equal(r->text[100001], '>');
	free(big);
	msp_result_free(r);
}

static void test_result__add_child_sets_state_and_text(void **state)
{
	struct msp_result *r = msp_result_new(), *c;

	(void)state;
	c = msp_result_add_child(r, MSP_STATE_WARNING, "%s is %d%% full", "/var", 91);
	assert_non_null(c);
	assert_int_equal(r->nchild, 1);
	assert_ptr_equal(r->child[0], c);
	assert_true(c->state_set);
	assert_int_equal(c->state, MSP_STATE_WARNING);
	assert_string_equal(c->text, "/var is 91% full");
	for (int i = 0; i < 100; i++)
		assert_non_null(msp_result_add_child(r, MSP_STATE_OK, "child %d", i));
	assert_int_equal(r->nchild, 101);
	assert_string_equal(r->child[100]->text, "child 99");
	assert_ptr_equal(r->child[0], c);
	msp_result_free(r);
}

/* The references' response time: six fixed decimals, min 0, and max with all five fields when given. */
static void test_result__add_time_perf(void **state)
{
	struct msp_result *r = msp_result_new();
	struct msp_threshold th;
	struct msp_buf b;

	(void)state;
	memset(&th, 0, sizeof(th));
	assert_int_equal(msp_range_parse("1.5", 0, 1, &th.warn, NULL), 0);
	th.has_warn = true;
	assert_non_null(msp_result_add_time_perf(r, 0.000690, NULL, NAN));
	assert_non_null(msp_result_add_time_perf(r, 0.25, &th, 10));
	msp_buf_init(&b, 256);
	assert_int_equal(msp_perf_write(&r->perf[0], &b), 0);
	assert_string_equal(msp_buf_str(&b), "time=0.000690s;;;0.000000");
	msp_buf_release(&b);
	msp_buf_init(&b, 256);
	assert_int_equal(msp_perf_write(&r->perf[1], &b), 0);
	assert_string_equal(msp_buf_str(&b), "time=0.250000s;1.500000;;0.000000;10.000000");
	msp_buf_release(&b);
	msp_result_free(r);
}

static void test_result__add_perf_copies_label_and_thresholds(void **state)
{
	struct msp_result *r = msp_result_new();
	struct msp_threshold th;
	struct msp_perf *p;
	char label[16];

	(void)state;
	memset(&th, 0, sizeof(th));
	assert_int_equal(msp_range_parse("10", 0, 1, &th.warn, NULL), 0);
	th.has_warn = true;
	snprintf(label, sizeof(label), "%s", "load1");
	p = msp_result_add_perf(r, label, 1.5, "s", &th);
	assert_non_null(p);
	label[0] = 'X'; /* the tree has its own copy */
	th.has_warn = false;
	assert_string_equal(r->perf[0].label, "load1");
	assert_true(r->perf[0].th.has_warn);
	assert_false(r->perf[0].th.has_crit);
	assert_true(r->perf[0].value == 1.5);
	assert_string_equal(r->perf[0].uom, "s");
	assert_int_equal(r->perf[0].decimals, 6);
	assert_true(r->perf[0].scale == 1);
	assert_false(r->perf[0].has_min);
	assert_false(r->perf[0].has_max);
	msp_perf_set_min(p, 0);
	msp_perf_set_max(p, 100);
	assert_true(r->perf[0].has_min && r->perf[0].min == 0);
	assert_true(r->perf[0].has_max && r->perf[0].max == 100);
	msp_result_free(r);
}

static void test_result__add_perf_blanks_invalid_uom(void **state)
{
	struct msp_result *r = msp_result_new();

	(void)state;
	assert_non_null(msp_result_add_perf(r, "a", 1, "GB", NULL));
	assert_non_null(msp_result_add_perf(r, "b", 1, NULL, NULL));
	assert_non_null(msp_result_add_perf(r, "c", 1, "toolong", NULL));
	assert_non_null(msp_result_add_perf(r, "d", 1, "%", NULL));
	assert_int_equal(r->nperf, 4);
	assert_string_equal(r->perf[0].uom, "");
	assert_string_equal(r->perf[1].uom, "");
	assert_string_equal(r->perf[2].uom, "");
	assert_string_equal(r->perf[3].uom, "%");
	assert_false(r->perf[1].th.has_warn);
	msp_result_free(r);
}

static void test_result__free_accepts_null_and_deep_trees(void **state)
{
	struct msp_result *r = msp_result_new(), *c = r;

	(void)state;
	msp_result_free(NULL);
	for (int i = 0; i < 500; i++) {
		c = msp_result_add_child(c, MSP_STATE_OK, "level %d", i);
		assert_non_null(c);
		assert_non_null(msp_result_add_perf(c, "depth", i, "", NULL));
	}
	assert_int_equal(msp_result_state(r), MSP_STATE_OK);
	msp_result_free(r); /* valgrind/ASan check that everything went */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_result__empty_tree_is_unknown),
		cmocka_unit_test(test_result__own_state_is_used_when_set),
		cmocka_unit_test(test_result__raise_only_makes_worse),
		cmocka_unit_test(test_result__children_combine_by_rank),
		cmocka_unit_test(test_result__state_comes_up_from_grandchildren),
		cmocka_unit_test(test_result__set_text_formats_and_replaces),
		cmocka_unit_test(test_result__add_child_sets_state_and_text),
		cmocka_unit_test(test_result__add_perf_copies_label_and_thresholds),
		cmocka_unit_test(test_result__add_time_perf),
		cmocka_unit_test(test_result__add_perf_blanks_invalid_uom),
		cmocka_unit_test(test_result__free_accepts_null_and_deep_trees),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
