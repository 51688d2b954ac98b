/* Unit tests for lib/packread.c: every object of a packed repository, read
 * directly, is byte for byte what libgit2 reads; what the reader cannot read
 * is an error for the caller to fall back on, never a wrong answer. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <git2.h>

#include "packread.h"
#include "repo_fixture.h"

static int setup(void **state)
{
	struct repo_fx *fx = malloc(sizeof(*fx));

	if (!fx || repo_fx_init(fx, "packread") < 0) {
		free(fx);
		return -1;
	}
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	repo_fx_release(*state);
	free(*state);
	return 0;
}

struct ids {
	git_oid *v;
	size_t n, alloc;
};

static int collect(const git_oid *id, void *payload)
{
	struct ids *ids = payload;

	if (ids->n == ids->alloc) {
		ids->alloc = ids->alloc ? 2 * ids->alloc : 64;
		ids->v = realloc(ids->v, ids->alloc * sizeof(*ids->v));
		assert_non_null(ids->v);
	}
	ids->v[ids->n++] = *id;
	return 0;
}

/* Every object, in the given order (forward or backward through the list
 * git_odb_foreach gives), read both ways; returns how many were in packs. */
static size_t compare_all(struct repo_fx *fx, bool backward)
{
	struct pg_error err = PG_ERROR_INIT;
	struct pg_packs *packs = NULL;
	struct pg_pack_reader *r = NULL;
	struct ids ids = { 0 };
	git_odb *odb = NULL;
	size_t packed = 0;

	fx_open_repo(fx);
	assert_int_equal(git_repository_odb(&odb, fx->repo), 0);
	assert_int_equal(git_odb_foreach(odb, collect, &ids), 0);
	assert_int_equal(pg_packs_open(&packs, git_repository_path(fx->repo), NULL, &err), 0);
	assert_non_null(packs);
	assert_int_equal(pg_pack_reader_new(&r, packs, &err), 0);
	for (size_t k = 0; k < ids.n; k++) {
		const git_oid *id = &ids.v[backward ? ids.n - 1 - k : k];
		struct pg_pack_pos pos;
		git_odb_object *o = NULL;
		const char *data;
		size_t len;
		git_object_t type;

		if (!pg_packs_find(packs, id, &pos))
			continue;
		packed++;
		assert_int_equal(pg_pack_read(r, &pos, &data, &len, &type, &err), 0);
		assert_int_equal(git_odb_read(&o, odb, id), 0);
		assert_int_equal(type, git_odb_object_type(o));
		assert_int_equal(len, git_odb_object_size(o));
		assert_memory_equal(data, git_odb_object_data(o), len);
		assert_int_equal(data[len], '\0');
		git_odb_object_free(o);
		{
			size_t hsize, gsize;
			git_object_t htype, gtype;

			assert_int_equal(pg_pack_read_header(r, &pos, &hsize, &htype, &err), 0);
			assert_int_equal(git_odb_read_header(&gsize, &gtype, odb, id), 0);
			assert_int_equal(hsize, gsize);
			assert_int_equal(htype, gtype);
		}
	}
	pg_pack_reader_free(r);
	pg_packs_free(packs);
	git_odb_free(odb);
	free(ids.v);
	return packed;
}

/* Many versions of a few files, repacked hard: long delta chains. */
static void make_history(struct repo_fx *fx)
{
	fx_sh(fx, "for i in $(seq 1 60); do "
		  "  { seq 1 $((200 + i * 7)); seq $i 300; } > a.txt; "
		  "  printf 'x%%.0s' $(seq 1 $i) > b.txt; "
		  "  head -c $((i * 50)) /dev/zero > c.bin; "
		  "  : > empty; git add -A; git commit -q -m v$i; "
		  "done");
}

static void test_deltas_read_as_libgit2_reads(void **state)
{
	struct repo_fx *fx = *state;

	make_history(fx);
	fx_sh(fx, "git repack -q -a -d -f --depth=50 --window=50");
	fx_sh(fx, "test $(git verify-pack -v .git/objects/pack/*.idx | awk '$2 == \"blob\" && NF >= 7' | wc -l) -gt 50");
	assert_true(compare_all(fx, false) > 200);
	assert_true(compare_all(fx, true) > 200); /* the other way: chains rebuilt from cold */
}

static void test_ref_deltas_and_several_packs(void **state)
{
	struct repo_fx *fx = *state;

	make_history(fx);
	fx_sh(fx, "git -c repack.useDeltaBaseOffset=false repack -q -a -d -f --depth=20");
	fx_sh(fx, "echo more > more.txt && git add more.txt && git commit -q -m more && git repack -q -d");
	assert_true(compare_all(fx, false) > 200);
}

static void test_nothing_packed(void **state)
{
	struct repo_fx *fx = *state;
	struct pg_error err = PG_ERROR_INIT;
	struct pg_packs *packs = (struct pg_packs *)&err;

	fx_sh(fx, "echo one > one.txt && git add one.txt && git commit -q -m one");
	fx_open_repo(fx);
	assert_int_equal(pg_packs_open(&packs, git_repository_path(fx->repo), NULL, &err), 0);
	assert_null(packs); /* loose objects: libgit2's to read */
}

static void test_bad_offset_is_an_error(void **state)
{
	struct repo_fx *fx = *state;
	struct pg_error err = PG_ERROR_INIT;
	struct pg_packs *packs = NULL;
	struct pg_pack_reader *r = NULL;
	struct pg_pack_pos pos;
	const char *data;
	size_t len;
	git_object_t type;
	git_oid id;
	char hex[GIT_OID_HEXSZ + 1];

	make_history(fx);
	fx_sh(fx, "git repack -q -a -d");
	fx_rev(fx, "HEAD:a.txt", hex);
	fx_open_repo(fx);
	assert_int_equal(git_oid_fromstr(&id, hex), 0);
	assert_int_equal(pg_packs_open(&packs, git_repository_path(fx->repo), NULL, &err), 0);
	assert_int_equal(pg_pack_reader_new(&r, packs, &err), 0);
	assert_int_equal(pg_packs_find(packs, &id, &pos), 1);
	pos.offset += 3; /* inside the entry: no object starts there */
	assert_true(pg_pack_read(r, &pos, &data, &len, &type, &err) < 0);
	pos.offset = 5; /* inside the pack header */
	assert_true(pg_pack_read(r, &pos, &data, &len, &type, &err) < 0);
	pos.pack = 99;
	assert_true(pg_pack_read(r, &pos, &data, &len, &type, &err) < 0);
	pg_pack_reader_free(r);
	pg_packs_free(packs);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_deltas_read_as_libgit2_reads),
		T(test_ref_deltas_and_several_packs),
		T(test_nothing_packed),
		T(test_bad_offset_is_an_error),
	};
#undef T

	return cmocka_run_group_tests_name("packread", tests, repo_fx_group_setup, repo_fx_group_teardown);
}
