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

#include "deflate_loader.h"
#include "pack_build.h"
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

/* Every test runs twice: whole objects inflated with libdeflate (which the
 * build machine has: pg_packs_open() loads it), then with zlib. */
static bool zlib_only;

static void inflater(struct pg_packs *packs)
{
	if (zlib_only)
		pg_packs_zlib_only(packs);
	else
		assert_true(pg_deflate_loaded());
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
	inflater(packs);
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

/* ------------------------------------------------------- hostile packs */

/* A pack written by hand (pack_build.h): entries appended to body, the
 * objects the index lists at their offsets, object i's id 20 bytes of i
 * (or of what ids[] says). */
struct hp {
	unsigned char body[4096];
	size_t len;
	unsigned char ids[8][20];
	uint64_t offsets[8];
	uint32_t n;
	char got[512]; /* what the last hp_read() read */
	size_t got_len;
};

/* Appends an entry: header, extra (an OFS_DELTA's distance, a REF_DELTA's
 * id), payload deflated; lists it as an object unless hidden; returns its
 * offset in the pack. */
static uint64_t hp_add(struct hp *h, unsigned type, uint64_t size, const void *extra, size_t nextra,
		       const void *payload, size_t npayload, bool hidden)
{
	uint64_t at = 12 + h->len;

	assert_true(h->len + 32 + nextra + compressBound((uLong)npayload) <= sizeof(h->body));
	h->len += pb_entry_header(h->body + h->len, type, size);
	if (nextra)
		memcpy(h->body + h->len, extra, nextra);
	h->len += nextra;
	h->len += pb_deflate(h->body + h->len, payload, npayload);
	if (!hidden) {
		memset(h->ids[h->n], (int)h->n, 20);
		h->offsets[h->n++] = at;
	}
	return at;
}

static uint64_t hp_blob(struct hp *h, const char *s)
{
	return hp_add(h, 3, strlen(s), NULL, 0, s, strlen(s), false);
}

/* An OFS_DELTA on the entry at base (delta d of n bytes). */
static uint64_t hp_ofs_delta(struct hp *h, uint64_t base, const void *d, size_t n)
{
	unsigned char o[16];

	return hp_add(h, 6, n, o, pb_ofs(o, 12 + h->len - base), d, n, false);
}

/* Writes the pack and reads object i (and its header) through a fresh
 * reader; returns pg_pack_read's code, the object in h->got. Whatever is
 * read, the header agrees with it. */
static int hp_read(struct repo_fx *fx, struct hp *h, uint32_t i)
{
	struct pg_error err = PG_ERROR_INIT;
	struct pg_packs *packs = NULL;
	struct pg_pack_reader *r = NULL;
	struct pg_pack_pos pos;
	char objdir[512];
	const char *data;
	size_t len, hsize;
	git_object_t type, htype;
	git_oid id;
	int rc, hrc;

	snprintf(objdir, sizeof(objdir), "%s/hostile", fx->dir);
	fx_sh(fx, "mkdir -p hostile/pack");
	assert_int_equal(pb_write(objdir, h->body, h->len, (const unsigned char (*)[20])h->ids, h->offsets, h->n), 0);
	assert_int_equal(pg_packs_open(&packs, fx->dir, objdir, &err), 0);
	assert_non_null(packs);
	inflater(packs);
	assert_int_equal(pg_pack_reader_new(&r, packs, &err), 0);
	git_oid_fromraw(&id, h->ids[i]);
	assert_int_equal(pg_packs_find(packs, &id, &pos), 1);
	rc = pg_pack_read(r, &pos, &data, &len, &type, &err);
	h->got_len = 0;
	if (rc == 0) {
		assert_true(len < sizeof(h->got));
		assert_int_equal(data[len], '\0');
		memcpy(h->got, data, len + 1);
		h->got_len = len;
	} else {
		assert_int_equal(rc, PG_ERR);
		assert_true(err.msg[0] != '\0');
	}
	err = (struct pg_error)PG_ERROR_INIT;
	hrc = pg_pack_read_header(r, &pos, &hsize, &htype, &err);
	if (hrc == 0 && rc == 0) {
		assert_int_equal(hsize, len);
		assert_int_equal(htype, type);
	}
	pg_pack_reader_free(r);
	pg_packs_free(packs);
	return rc;
}

/* A delta: base size, result size, then the instructions. */
static size_t delta(unsigned char *d, size_t src, size_t dst, const void *ops, size_t nops)
{
	size_t n = pb_varint(d, src);

	n += pb_varint(d + n, dst);
	memcpy(d + n, ops, nops);
	return n + nops;
}

#define BASE "password = hunter2\n"

/* The hand-made packs read right when they are right: the tests below
 * break one thing at a time. */
static void test_hostile_controls(void **state)
{
	struct hp h = { .len = 0 };
	unsigned char d[64], id0[20] = { 0 };
	size_t n = delta(d, strlen(BASE), 13, "\x90\x0b\x02!\n", 5); /* copy 11 bytes, insert 2 */
	uint64_t b = hp_blob(&h, BASE);

	hp_ofs_delta(&h, b, d, n);
	hp_add(&h, 7, n, id0, 20, d, n, false);
	hp_add(&h, 3, 0, NULL, 0, "", 0, false);
	assert_int_equal(hp_read(*state, &h, 0), 0);
	assert_string_equal(h.got, BASE);
	assert_int_equal(hp_read(*state, &h, 1), 0);
	assert_string_equal(h.got, "password = !\n");
	assert_int_equal(hp_read(*state, &h, 2), 0);
	assert_string_equal(h.got, "password = !\n");
	assert_int_equal(hp_read(*state, &h, 3), 0);
	assert_int_equal(h.got_len, 0);
}

static void test_hostile_truncated_entry(void **state)
{
	struct hp h = { .len = 0 };

	hp_blob(&h, BASE BASE BASE);
	h.len -= 6; /* the end of the zlib stream and its checksum */
	assert_int_equal(hp_read(*state, &h, 0), PG_ERR);
	h = (struct hp){ .len = 0 };
	hp_blob(&h, BASE);
	h.len = 1; /* the header's first byte only */
	assert_int_equal(hp_read(*state, &h, 0), PG_ERR);
}

static void test_hostile_inflated_size_disagrees(void **state)
{
	struct hp h = { .len = 0 };

	hp_add(&h, 3, strlen(BASE) - 1, NULL, 0, BASE, strlen(BASE), false); /* inflates to more */
	hp_add(&h, 3, strlen(BASE) + 1, NULL, 0, BASE, strlen(BASE), false); /* to fewer */
	hp_add(&h, 3, 0, NULL, 0, BASE, strlen(BASE), false);                /* to more than nothing */
	assert_int_equal(hp_read(*state, &h, 0), PG_ERR);
	assert_int_equal(hp_read(*state, &h, 1), PG_ERR);
	assert_int_equal(hp_read(*state, &h, 2), PG_ERR);
}

static void test_hostile_ofs_delta_base(void **state)
{
	struct hp h = { .len = 0 };
	unsigned char d[64], o[16];
	size_t n = delta(d, strlen(BASE), 1, "\x01X", 2);
	uint64_t b = hp_blob(&h, BASE);

	hp_add(&h, 6, n, o, pb_ofs(o, 0), d, n, false);              /* at itself */
	hp_add(&h, 6, n, o, pb_ofs(o, 12 + h.len + 1), d, n, false); /* before the pack */
	hp_add(&h, 6, n, o, pb_ofs(o, 12 + h.len - (b + 1)), d, n, false); /* one byte into the blob */
	assert_int_equal(hp_read(*state, &h, 0), 0);
	assert_int_equal(hp_read(*state, &h, 1), PG_ERR);
	assert_int_equal(hp_read(*state, &h, 2), PG_ERR);
	assert_int_equal(hp_read(*state, &h, 3), PG_ERR);
}

/* A base hidden inside another object's entry, where no object starts,
 * which a delta names by its offset: not a base, whatever it holds. */
static void test_hostile_ofs_delta_base_inside_an_entry(void **state)
{
	struct hp h = { .len = 0 };
	unsigned char d[64];
	size_t n = delta(d, 4, 4, "\x90\x04", 2);
	uint64_t hidden;

	hp_blob(&h, BASE);
	hidden = hp_add(&h, 3, 4, NULL, 0, "EVIL", 4, true); /* part of object 0's entry, as the index says */
	hp_ofs_delta(&h, hidden, d, n);
	assert_int_equal(hp_read(*state, &h, 1), PG_ERR);
	assert_int_equal(hp_read(*state, &h, 0), 0); /* what ends the blob's entry does not matter */
	assert_string_equal(h.got, BASE);
}

static void test_hostile_delta_cycles(void **state)
{
	struct hp h = { .len = 0 };
	unsigned char d[64], id[20];
	size_t n = delta(d, 1, 1, "\x01X", 2);

	memset(id, 1, 20);
	hp_add(&h, 7, n, id, 20, d, n, false); /* 0 on 1 */
	memset(id, 0, 20);
	hp_add(&h, 7, n, id, 20, d, n, false); /* 1 on 0 */
	memset(id, 2, 20);
	hp_add(&h, 7, n, id, 20, d, n, false); /* 2 on itself */
	assert_int_equal(hp_read(*state, &h, 0), PG_ERR);
	assert_int_equal(hp_read(*state, &h, 1), PG_ERR);
	assert_int_equal(hp_read(*state, &h, 2), PG_ERR);
}

static void test_hostile_delta_instructions(void **state)
{
	struct hp h = { .len = 0 };
	unsigned char d[64], op[8];
	size_t bl = strlen(BASE), n;
	uint64_t b = hp_blob(&h, BASE);

	op[0] = 0x90, op[1] = (unsigned char)(bl + 1); /* copy one byte more than the base has */
	n = delta(d, bl, bl + 1, op, 2);
	hp_ofs_delta(&h, b, d, n);
	op[0] = 0x91, op[1] = 1, op[2] = (unsigned char)bl; /* from offset 1, the base's size */
	n = delta(d, bl, bl, op, 3);
	hp_ofs_delta(&h, b, d, n);
	n = delta(d, bl, 5, "\x90\x04", 2); /* says 5 bytes, makes 4 */
	hp_ofs_delta(&h, b, d, n);
	n = delta(d, bl, 3, "\x90\x04", 2); /* says 3 bytes, makes 4 */
	hp_ofs_delta(&h, b, d, n);
	n = delta(d, bl + 1, 4, "\x90\x04", 2); /* the base's size wrong */
	hp_ofs_delta(&h, b, d, n);
	n = delta(d, bl, 2, "\x00\x02XY", 4); /* the reserved instruction 0 */
	hp_ofs_delta(&h, b, d, n);
	n = delta(d, bl, 2, "\x05XY", 3); /* an insert past the delta's end */
	hp_ofs_delta(&h, b, d, n);
	for (uint32_t i = 1; i < h.n; i++)
		assert_int_equal(hp_read(*state, &h, i), PG_ERR);
}

static void test_hostile_sizes_over_the_limit(void **state)
{
	struct hp h = { .len = 0 };
	unsigned char d[64];
	size_t n = delta(d, strlen(BASE), PG_PACK_MAX_OBJECT + 1, "\x90\x04", 2);
	uint64_t b = hp_blob(&h, BASE);

	hp_add(&h, 3, PG_PACK_MAX_OBJECT + 1, NULL, 0, BASE, strlen(BASE), false);
	hp_add(&h, 3, UINT64_C(1) << 62, NULL, 0, BASE, strlen(BASE), false);
	hp_ofs_delta(&h, b, d, n);
	assert_int_equal(hp_read(*state, &h, 1), PG_ERR);
	assert_int_equal(hp_read(*state, &h, 2), PG_ERR);
	assert_int_equal(hp_read(*state, &h, 3), PG_ERR);
}

static void test_hostile_ref_delta_missing_base(void **state)
{
	struct hp h = { .len = 0 };
	unsigned char d[64], id[20];
	size_t n = delta(d, 1, 1, "\x01X", 2);

	memset(id, 0x55, 20);
	hp_add(&h, 7, n, id, 20, d, n, false);
	assert_int_equal(hp_read(*state, &h, 0), PG_ERR); /* a thin pack's: libgit2's to read */
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_deltas_read_as_libgit2_reads),
		T(test_ref_deltas_and_several_packs),
		T(test_nothing_packed),
		T(test_bad_offset_is_an_error),
		T(test_hostile_controls),
		T(test_hostile_truncated_entry),
		T(test_hostile_inflated_size_disagrees),
		T(test_hostile_ofs_delta_base),
		T(test_hostile_ofs_delta_base_inside_an_entry),
		T(test_hostile_delta_cycles),
		T(test_hostile_delta_instructions),
		T(test_hostile_sizes_over_the_limit),
		T(test_hostile_ref_delta_missing_base),
	};
#undef T

	int failed = cmocka_run_group_tests_name("packread (libdeflate)", tests, repo_fx_group_setup,
						 repo_fx_group_teardown);

	zlib_only = true;
	return failed + cmocka_run_group_tests_name("packread (zlib)", tests, repo_fx_group_setup,
						    repo_fx_group_teardown);
}
