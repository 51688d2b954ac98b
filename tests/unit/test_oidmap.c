/* Unit tests for lib/oidmap.c: object id -> index map. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <git2.h>

#include "oidmap.h"

static int group_setup(void **state)
{
	(void)state;
	return git_libgit2_init() < 0 ? -1 : 0;
}

static int group_teardown(void **state)
{
	(void)state;
	git_libgit2_shutdown();
	return 0;
}

static int setup(void **state)
{
	struct pg_oidmap *m = malloc(sizeof(*m));

	if (!m)
		return -1;
	*m = (struct pg_oidmap)PG_OIDMAP_INIT;
	*state = m;
	return 0;
}

static int teardown(void **state)
{
	struct pg_oidmap *m = *state;

	pg_oidmap_release(m);
	free(m);
	return 0;
}

/* A realistic, uniformly distributed id: the hash of "object N". */
static void oid_n(git_oid *out, size_t n)
{
	char data[64];
	int len = snprintf(data, sizeof(data), "object %zu", n);

	assert_int_equal(git_odb_hash(out, data, (size_t)len, GIT_OBJECT_BLOB), 0);
}

static void test_empty_map(void **state)
{
	struct pg_oidmap *m = *state;
	git_oid a;
	size_t v = 12345;

	oid_n(&a, 1);
	assert_false(pg_oidmap_get(m, &a, &v));
	assert_int_equal(v, 12345); /* untouched */
	assert_int_equal(m->n, 0);
}

static void test_put_get(void **state)
{
	struct pg_oidmap *m = *state;
	git_oid a, b, c, missing;
	size_t v = 0;

	oid_n(&a, 1);
	oid_n(&b, 2);
	oid_n(&c, 3);
	oid_n(&missing, 4);
	assert_int_equal(pg_oidmap_put(m, &a, 10), 0);
	assert_int_equal(pg_oidmap_put(m, &b, 20), 0);
	assert_int_equal(pg_oidmap_put(m, &c, 0), 0);
	assert_int_equal(m->n, 3);

	assert_true(pg_oidmap_get(m, &a, &v));
	assert_int_equal(v, 10);
	assert_true(pg_oidmap_get(m, &b, &v));
	assert_int_equal(v, 20);
	assert_true(pg_oidmap_get(m, &c, &v));
	assert_int_equal(v, 0);
	v = 777;
	assert_false(pg_oidmap_get(m, &missing, &v));
	assert_int_equal(v, 777);
	/* out may be NULL */
	assert_true(pg_oidmap_get(m, &a, NULL));
	assert_false(pg_oidmap_get(m, &missing, NULL));
}

static void test_replace(void **state)
{
	struct pg_oidmap *m = *state;
	git_oid a, b;
	size_t v = 0;

	oid_n(&a, 100);
	oid_n(&b, 101);
	assert_int_equal(pg_oidmap_put(m, &a, 1), 0);
	assert_int_equal(pg_oidmap_put(m, &b, 2), 0);
	assert_int_equal(pg_oidmap_put(m, &a, 99), 0);
	assert_int_equal(m->n, 2);
	assert_true(pg_oidmap_get(m, &a, &v));
	assert_int_equal(v, 99);
	assert_true(pg_oidmap_get(m, &b, &v));
	assert_int_equal(v, 2);
}

static void test_growth_10000(void **state)
{
	struct pg_oidmap *m = *state;
	const size_t n = 10000;
	git_oid oid;
	size_t v, bad = 0;

	for (size_t i = 0; i < n; i++) {
		oid_n(&oid, i);
		assert_int_equal(pg_oidmap_put(m, &oid, i * 3), 0);
	}
	assert_int_equal(m->n, n);
	assert_true(m->cap >= n);
	for (size_t i = 0; i < n; i++) {
		oid_n(&oid, i);
		if (!pg_oidmap_get(m, &oid, &v) || v != i * 3)
			bad++;
	}
	assert_int_equal(bad, 0);
	/* ids never put are absent */
	for (size_t i = n; i < n + 1000; i++) {
		oid_n(&oid, i);
		if (pg_oidmap_get(m, &oid, &v))
			bad++;
	}
	assert_int_equal(bad, 0);
	/* replacing after growth keeps the count */
	oid_n(&oid, 5000);
	assert_int_equal(pg_oidmap_put(m, &oid, 1), 0);
	assert_int_equal(m->n, n);
	assert_true(pg_oidmap_get(m, &oid, &v));
	assert_int_equal(v, 1);
}

/* Ids that agree in their leading bytes all hash to the same slot. */
static void test_colliding_prefixes(void **state)
{
	struct pg_oidmap *m = *state;
	const size_t n = 2000;
	git_oid oid;
	size_t v, bad = 0;

	for (size_t i = 0; i < n; i++) {
		memset(&oid, 0xab, sizeof(oid));
		oid.id[18] = (unsigned char)(i >> 8);
		oid.id[19] = (unsigned char)i;
		assert_int_equal(pg_oidmap_put(m, &oid, i), 0);
	}
	assert_int_equal(m->n, n);
	for (size_t i = 0; i < n; i++) {
		memset(&oid, 0xab, sizeof(oid));
		oid.id[18] = (unsigned char)(i >> 8);
		oid.id[19] = (unsigned char)i;
		if (!pg_oidmap_get(m, &oid, &v) || v != i)
			bad++;
	}
	assert_int_equal(bad, 0);
	memset(&oid, 0xab, sizeof(oid));
	oid.id[17] = 1;
	assert_false(pg_oidmap_get(m, &oid, &v));
}

static void test_release_and_reuse(void **state)
{
	struct pg_oidmap *m = *state;
	git_oid a;
	size_t v;

	oid_n(&a, 7);
	assert_int_equal(pg_oidmap_put(m, &a, 7), 0);
	pg_oidmap_release(m);
	assert_int_equal(m->n, 0);
	assert_false(pg_oidmap_get(m, &a, &v));
	assert_int_equal(pg_oidmap_put(m, &a, 8), 0);
	assert_true(pg_oidmap_get(m, &a, &v));
	assert_int_equal(v, 8);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_empty_map),
		T(test_put_get),
		T(test_replace),
		T(test_growth_10000),
		T(test_colliding_prefixes),
		T(test_release_and_reuse),
	};
#undef T

	return cmocka_run_group_tests_name("oidmap", tests, group_setup, group_teardown);
}
