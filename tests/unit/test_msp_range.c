#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include "msp.h"
static void test_range__plain(void **state) { struct msp_range r; assert_int_equal(msp_range_parse("10", 0, 1, &r, NULL), 0); assert_true(msp_range_alert(&r, 11)); }
int main(void) { const struct CMUnitTest t[] = { cmocka_unit_test(test_range__plain) }; return cmocka_run_group_tests(t, NULL, NULL); }
