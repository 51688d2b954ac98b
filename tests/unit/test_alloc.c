/* PG_GROW / pg_grow: room for what is asked, geometric growth, the array
 * untouched when the size would overflow, new slots cleared by the _ZERO
 * variant. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "alloc.h"

static void test_grow_appends(void **state)
{
	int *v = NULL;
	size_t n = 0, alloc = 0, reallocs = 0;

	for (int i = 0; i < 10000; i++) {
		size_t before = alloc;

		assert_int_equal(PG_GROW(v, n + 1, alloc), 0);
		assert_true(alloc >= n + 1);
		reallocs += alloc != before;
		v[n++] = i;
	}
	for (int i = 0; i < 10000; i++)
		assert_int_equal(v[i], i);
	assert_true(reallocs < 30); /* geometric, not one step per element */
	free(v);
}

static void test_grow_enough_is_a_no_op(void **state)
{
	char *v = malloc(32);
	char *same = v;
	size_t alloc = 32;

	assert_non_null(v);
	assert_int_equal(PG_GROW(v, 32, alloc), 0);
	assert_ptr_equal(v, same);
	assert_int_equal(alloc, 32);
	assert_int_equal(PG_GROW(v, 100, alloc), 0); /* a jump past 1.5x: exactly what is needed */
	assert_int_equal(alloc, 100);
	free(v);
}

static void test_grow_overflow_keeps_the_array(void **state)
{
	uint64_t *v = NULL;
	size_t alloc = 0;

	assert_int_equal(PG_GROW(v, 4, alloc), 0);
	v[3] = 42;
	assert_int_equal(PG_GROW(v, SIZE_MAX / 4, alloc), -1);
	assert_int_equal(alloc, 16);
	assert_int_equal(v[3], 42);
	free(v);
}

static void test_grow_zero_clears_new_slots(void **state)
{
	long *v = NULL;
	size_t alloc = 0;

	assert_int_equal(PG_GROW_ZERO(v, 1, alloc), 0);
	for (size_t i = 0; i < alloc; i++)
		assert_int_equal(v[i], 0);
	v[0] = 7;
	assert_int_equal(PG_GROW_ZERO(v, 1000, alloc), 0);
	assert_int_equal(v[0], 7);
	for (size_t i = 1; i < alloc; i++)
		assert_int_equal(v[i], 0);
	free(v);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_grow_appends),
		cmocka_unit_test(test_grow_enough_is_a_no_op),
		cmocka_unit_test(test_grow_overflow_keeps_the_array),
		cmocka_unit_test(test_grow_zero_clears_new_slots),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
