/* Unit tests for lib/ticket_cache.c: the per-repository cache of valid answers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ticket_cache.h"

struct fx {
	char dir[64];
	char path[128];
	struct pg_error err;
};

static int setup(void **state)
{
	struct fx *fx = calloc(1, sizeof(*fx));

	if (!fx)
		return -1;
	snprintf(fx->dir, sizeof(fx->dir), "/tmp/pg-cache-test.XXXXXX");
	if (!mkdtemp(fx->dir))
		return -1;
	snprintf(fx->path, sizeof(fx->path), "%s/cache", fx->dir);
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fx *fx = *state;
	char tmp[160];

	unlink(fx->path);
	snprintf(tmp, sizeof(tmp), "%s.tmp.%ld", fx->path, (long)getpid());
	unlink(tmp);
	rmdir(fx->dir);
	free(fx);
	return 0;
}

static void test_round_trip_and_expiry(void **state)
{
	struct fx *fx = *state;
	struct pg_ticket_cache c = PG_TICKET_CACHE_INIT;
	const struct pg_ticket_cache_entry *e;
	struct stat st;

	assert_int_equal(pg_ticket_cache_load(&c, fx->path, 42, 1000, &fx->err), 0); /* no file yet */
	assert_int_equal(c.n, 0);
	assert_int_equal(pg_ticket_cache_put(&c, "PROJ-1", "In Progress", 1100, &fx->err), 0);
	assert_int_equal(pg_ticket_cache_put(&c, "PROJ-2", "", 1010, &fx->err), 0);
	assert_int_equal(pg_ticket_cache_put(&c, "BAD\tID", "x", 2000, &fx->err), 0); /* not kept */
	assert_int_equal(pg_ticket_cache_put(&c, "PROJ-3", "evil\nline", 2000, &fx->err), 0); /* not kept */
	assert_int_equal(pg_ticket_cache_save(&c, 1000, &fx->err), 0);
	pg_ticket_cache_release(&c);
	assert_int_equal(stat(fx->path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);

	assert_int_equal(pg_ticket_cache_load(&c, fx->path, 42, 1005, &fx->err), 0);
	assert_int_equal(c.n, 2);
	e = pg_ticket_cache_get(&c, "PROJ-1", 1005);
	assert_non_null(e);
	assert_string_equal(e->state, "In Progress");
	assert_non_null(pg_ticket_cache_get(&c, "PROJ-2", 1005));
	assert_null(pg_ticket_cache_get(&c, "PROJ-2", 1010)); /* lapsed */
	assert_null(pg_ticket_cache_get(&c, "PROJ-3", 1005));
	pg_ticket_cache_release(&c);

	/* expired entries are not loaded */
	assert_int_equal(pg_ticket_cache_load(&c, fx->path, 42, 1050, &fx->err), 0);
	assert_int_equal(c.n, 1);
	pg_ticket_cache_release(&c);
}

static void test_other_settings_empty_it(void **state)
{
	struct fx *fx = *state;
	struct pg_ticket_cache c = PG_TICKET_CACHE_INIT;

	assert_int_equal(pg_ticket_cache_load(&c, fx->path, 1, 0, &fx->err), 0);
	assert_int_equal(pg_ticket_cache_put(&c, "PROJ-1", "Open", 100, &fx->err), 0);
	assert_int_equal(pg_ticket_cache_save(&c, 0, &fx->err), 0);
	pg_ticket_cache_release(&c);
	assert_int_equal(pg_ticket_cache_load(&c, fx->path, 2, 0, &fx->err), 0);
	assert_int_equal(c.n, 0);
	pg_ticket_cache_release(&c);
	assert_true(pg_ticket_cache_hash(PG_TICKET_CACHE_HASH_SEED, "ab") !=
		    pg_ticket_cache_hash(PG_TICKET_CACHE_HASH_SEED, "ba"));
	assert_true(pg_ticket_cache_hash(pg_ticket_cache_hash(PG_TICKET_CACHE_HASH_SEED, "a"), "bc") !=
		    pg_ticket_cache_hash(pg_ticket_cache_hash(PG_TICKET_CACHE_HASH_SEED, "ab"), "c"));
}

static void test_damaged_file(void **state)
{
	struct fx *fx = *state;
	struct pg_ticket_cache c = PG_TICKET_CACHE_INIT;
	FILE *fp = fopen(fx->path, "w");

	assert_non_null(fp);
	fputs("pushguard-ticket-cache 1 0000000000000007\nPROJ-1\tnot-a-number\tx\nPROJ-2\n\tx\t\nPROJ-3\t99999\tOpen\n", fp);
	fclose(fp);
	assert_int_equal(pg_ticket_cache_load(&c, fx->path, 7, 0, &fx->err), 0);
	assert_int_equal(c.n, 1);
	assert_non_null(pg_ticket_cache_get(&c, "PROJ-3", 0));
	pg_ticket_cache_release(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_round_trip_and_expiry, setup, teardown),
		cmocka_unit_test_setup_teardown(test_other_settings_empty_it, setup, teardown),
		cmocka_unit_test_setup_teardown(test_damaged_file, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
