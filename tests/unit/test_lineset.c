/* Unit tests for lib/lineset.c: the added-lines filter's set of old lines,
 * and the collision a pusher could plant against its old, unkeyed hash. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fnv_collide.h"
#include "lineset.h"

/* SipHash-2-4's published vectors: key 00..0f, message 00 01 02 ... */
static void test_siphash_vectors(void **state)
{
	static const struct { size_t len; uint64_t want; } v[] = {
		{ 0, 0x726fdb47dd0e0e31ull },  { 1, 0x74f839c593dc67fdull },  { 2, 0x0d6c8009d9a94f5aull },
		{ 7, 0xab0200f58b01d137ull },  { 8, 0x93f5f5799a932462ull },  { 15, 0xa129ca6149be45e5ull },
		{ 63, 0x958a324ceb064572ull },
	};
	unsigned char msg[64];

	(void)state;
	for (size_t i = 0; i < sizeof(msg); i++)
		msg[i] = (unsigned char)i;
	for (size_t i = 0; i < sizeof(v) / sizeof(*v); i++)
		assert_true(pg_lineset_siphash(0x0706050403020100ull, 0x0f0e0d0c0b0a0908ull, msg, v[i].len) ==
			    v[i].want);
}

static uint64_t line_hash(const char *s)
{
	struct pg_line_hasher lh;

	pg_line_hasher_init(&lh);
	pg_line_hasher_add(&lh, s, strlen(s));
	return pg_line_hasher_final(&lh);
}

static const char *self_path;

/* The hash of one line as another process computes it. */
static uint64_t hash_in_new_process(void)
{
	char cmd[4200];
	uint64_t h = 0;
	FILE *p;

	snprintf(cmd, sizeof(cmd), "'%s' --hash-a-line", self_path);
	p = popen(cmd, "r");
	assert_non_null(p);
	assert_int_equal(fscanf(p, "%" SCNx64, &h), 1);
	assert_int_equal(pclose(p), 0);
	return h;
}

/* The key is drawn per process: nobody can work out a line's hash ahead. */
static void test_key_is_random_per_process(void **state)
{
	uint64_t a = hash_in_new_process(), b = hash_in_new_process();

	(void)state;
	assert_true(a != b);
	assert_true(line_hash("password = hunter2") != a);
	/* within one process it is one function */
	assert_true(line_hash("password = hunter2") == line_hash("password = hunter2"));
}

/* The attack: an earlier push plants a harmless-looking line whose OLD hash
 * equals that of the secret line pushed later, so the secret line counted as
 * "already there". Built for real against the old hash; the set no longer
 * falls for it, whether the old lines were held whole or streamed. */
static void test_collision_against_old_hash_no_longer_works(void **state)
{
	char token[37], secret_prefix[64], secret[128], planted[128];
	unsigned char xa[FNV_COLLIDE_N], xb[FNV_COLLIDE_N];
	const char *planted_prefix = "# build note: ";
	struct pg_lineset whole = PG_LINESET_INIT, streamed = PG_LINESET_INIT;
	struct pg_line_hasher open;
	char text[512];
	size_t ls, lp;

	(void)state;
	for (int i = 0; i < 36; i++)
		token[i] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"[rand() % 62];
	token[36] = '\0';
	snprintf(secret_prefix, sizeof(secret_prefix), "TOKEN=ghp_%s # ", token);
	assert_int_equal(fnv_collide(secret_prefix, planted_prefix, xa, xb), 0);
	ls = strlen(secret_prefix);
	lp = strlen(planted_prefix);
	memcpy(secret, secret_prefix, ls);
	memcpy(secret + ls, xa, FNV_COLLIDE_N);
	memcpy(planted, planted_prefix, lp);
	memcpy(planted + lp, xb, FNV_COLLIDE_N);
	ls += FNV_COLLIDE_N;
	lp += FNV_COLLIDE_N;
	/* a real collision of the old hash, between different one-line texts */
	assert_true(ls != lp || memcmp(secret, planted, ls));
	assert_true(fnv_old_line_hash(secret, ls) == fnv_old_line_hash(planted, lp));
	assert_null(memchr(secret, '\n', ls));
	assert_null(memchr(planted, '\n', lp));
	assert_null(memchr(planted, '\0', lp));

	/* the parent's version of the file, with the planted line */
	snprintf(text, sizeof(text), "first line\n%.*s\nlast line\n", (int)lp, planted);
	assert_int_equal(pg_lineset_add_text(&whole, text, strlen(text)), 0);
	pg_line_hasher_init(&open);
	for (size_t i = 0; i < strlen(text); i += 7)
		assert_int_equal(pg_lineset_add_piece(&streamed, &open, text + i,
						      strlen(text) - i < 7 ? strlen(text) - i : 7), 0);
	assert_int_equal(pg_lineset_add_end(&streamed, &open), 0);

	assert_true(pg_lineset_has(&whole, planted, lp));
	assert_true(pg_lineset_has(&streamed, planted, lp));
	assert_false(pg_lineset_has(&whole, secret, ls));
	assert_false(pg_lineset_has(&streamed, secret, ls));
	{
		struct pg_line_hasher lh;

		pg_line_hasher_init(&lh);
		pg_line_hasher_add(&lh, secret, ls);
		assert_false(pg_lineset_has_hash(&whole, pg_line_hasher_final(&lh)));
		assert_false(pg_lineset_has_hash(&streamed, pg_line_hasher_final(&lh)));
	}
	pg_lineset_release(&whole);
	pg_lineset_release(&streamed);
}

/* A hit on a line held whole counts only when the bytes are the same: a slot
 * whose hash matches but whose bytes differ (what a keyed collision would
 * be) is no hit. */
static void test_hit_confirmed_by_bytes(void **state)
{
	struct pg_lineset s = PG_LINESET_INIT;
	uint32_t off = UINT32_MAX;

	(void)state;
	assert_int_equal(pg_lineset_add_text(&s, "aws_secret = 1234\nother\n", 24), 0);
	assert_true(pg_lineset_has(&s, "aws_secret = 1234", 17));
	for (size_t i = 0; i < s.cap; i++)
		if (s.slots[i].hash && s.slots[i].len == 17)
			off = s.slots[i].off;
	assert_true(off != UINT32_MAX);
	/* the stored bytes are now those of another line with the same hash */
	memcpy(s.bytes + off, "aws_secret = 9999", 17);
	assert_false(pg_lineset_has(&s, "aws_secret = 1234", 17));
	assert_true(pg_lineset_has(&s, "aws_secret = 9999", 17) == false); /* its own hash differs */
	assert_true(pg_lineset_has_hash(&s, line_hash("aws_secret = 1234"))); /* by hash alone: yes */
	assert_true(pg_lineset_has(&s, "other", 5));
	pg_lineset_release(&s);
}

static void test_lines_crlf_empty_and_both_kinds(void **state)
{
	struct pg_lineset s = PG_LINESET_INIT;
	struct pg_line_hasher open;

	(void)state;
	assert_int_equal(pg_lineset_add_text(&s, "a\r\n\nb\nb\r\nc", 10), 0);
	assert_int_equal(s.n, 4); /* a, "", b, c */
	assert_true(pg_lineset_has(&s, "a", 1));
	assert_true(pg_lineset_has(&s, "a\r", 2));
	assert_true(pg_lineset_has(&s, "", 0));
	assert_true(pg_lineset_has(&s, "c\r", 2));
	assert_false(pg_lineset_has(&s, "a\r\r", 3));
	assert_false(pg_lineset_has(&s, "d", 1));
	/* the same line by hash only is a second entry; both are found */
	pg_line_hasher_init(&open);
	assert_int_equal(pg_lineset_add_piece(&s, &open, "a\r\nd", 4), 0);
	assert_int_equal(pg_lineset_add_end(&s, &open), 0);
	assert_int_equal(s.n, 6);
	assert_true(pg_lineset_has(&s, "d", 1));
	assert_true(pg_lineset_has(&s, "a", 1));
	/* many lines: the table grows, every one still found */
	for (int i = 0; i < 5000; i++) {
		char line[32];

		snprintf(line, sizeof(line), "line %d", i);
		assert_int_equal(pg_lineset_add_text(&s, line, strlen(line)), 0);
	}
	for (int i = 0; i < 5000; i++) {
		char line[32];

		snprintf(line, sizeof(line), "line %d", i);
		assert_true(pg_lineset_has(&s, line, strlen(line)));
	}
	assert_false(pg_lineset_has(&s, "line 5000", 9));
	pg_lineset_release(&s);
	assert_false(pg_lineset_has(&s, "a", 1)); /* released: empty */
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_siphash_vectors),
		cmocka_unit_test(test_key_is_random_per_process),
		cmocka_unit_test(test_collision_against_old_hash_no_longer_works),
		cmocka_unit_test(test_hit_confirmed_by_bytes),
		cmocka_unit_test(test_lines_crlf_empty_and_both_kinds),
	};

	if (argc == 2 && !strcmp(argv[1], "--hash-a-line")) {
		printf("%" PRIx64 "\n", line_hash("password = hunter2"));
		return 0;
	}
	self_path = argv[0];
	srand((unsigned)time(NULL));
	return cmocka_run_group_tests_name("lineset", tests, NULL, NULL);
}
