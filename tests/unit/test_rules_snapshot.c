/* The built-in pack's snapshot (rules_snapshot.h): read back, it is the rule
 * set loading the TOML gives, field by field; a stale, damaged or foreign
 * snapshot is never used, and pg_ruleset_load reads a fitting one. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "rules.h"
#include "rules_snapshot.h"

#define PACK "policies/rules/default.toml"

struct fixture {
	struct pg_buf toml;
	struct pg_ruleset parsed; /* the pack, from its TOML */
	struct pg_buf snap;       /* its snapshot */
};

static void read_whole(const char *path, struct pg_buf *out)
{
	FILE *fp = fopen(path, "rb");
	char chunk[4096];
	size_t n;

	assert_non_null(fp);
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		assert_int_equal(pg_buf_add(out, chunk, n), 0);
	fclose(fp);
}

static void write_whole(const char *path, const void *data, size_t len)
{
	FILE *fp = fopen(path, "wb");

	assert_non_null(fp);
	assert_int_equal(fwrite(data, 1, len, fp), len);
	assert_int_equal(fclose(fp), 0);
}

static int setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof(*fx));
	struct pg_error err = PG_ERROR_INIT;

	if (!fx || access(PACK, R_OK) < 0)
		return -1;
	fx->parsed = (struct pg_ruleset)PG_RULESET_INIT;
	read_whole(PACK, &fx->toml);
	if (pg_ruleset_load(&fx->parsed, PACK, PACK, &err) < 0 ||
	    pg_rules_snapshot_write(&fx->snap, &fx->parsed, PACK, fx->toml.ptr, fx->toml.len, &err) < 0) {
		fprintf(stderr, "%s\n", err.msg);
		return -1;
	}
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *fx = *state;

	pg_ruleset_release(&fx->parsed);
	pg_buf_release(&fx->toml);
	pg_buf_release(&fx->snap);
	free(fx);
	return 0;
}

static void same_str(const char *a, const char *b)
{
	if (!a || !b)
		assert_ptr_equal(a, b);
	else
		assert_string_equal(a, b);
}

static void same_strvec(const struct pg_strvec *a, const struct pg_strvec *b)
{
	assert_int_equal(a->n, b->n);
	for (size_t i = 0; i < a->n; i++)
		assert_string_equal(a->v[i], b->v[i]);
}

static void same_regex(const struct pg_regex *a, const struct pg_regex *b)
{
	if (!a || !b) {
		assert_ptr_equal(a, b);
		return;
	}
	assert_string_equal(pg_regex_pattern(a), pg_regex_pattern(b));
	assert_string_equal(pg_regex_what(a), pg_regex_what(b)); /* FILE:LINE: rule 'ID': 'regex' */
}

static void same_allowlists(const struct pg_allowlist *a, size_t na, const struct pg_allowlist *b, size_t nb)
{
	assert_int_equal(na, nb);
	for (size_t i = 0; i < na; i++) {
		same_str(a[i].description, b[i].description);
		assert_int_equal(a[i].match_all, b[i].match_all);
		same_strvec(&a[i].commits, &b[i].commits);
		assert_int_equal(a[i].npaths, b[i].npaths);
		for (size_t j = 0; j < a[i].npaths; j++)
			same_regex(a[i].paths[j], b[i].paths[j]);
		assert_int_equal(a[i].nregexes, b[i].nregexes);
		for (size_t j = 0; j < a[i].nregexes; j++)
			same_regex(a[i].regexes[j], b[i].regexes[j]);
		assert_int_equal(a[i].regex_target, b[i].regex_target);
		same_strvec(&a[i].stopwords, &b[i].stopwords);
	}
}

static void same_ruleset(const struct pg_ruleset *a, const struct pg_ruleset *b)
{
	assert_int_equal(a->n, b->n);
	for (size_t i = 0; i < a->n; i++) {
		const struct pg_rule *x = &a->rules[i], *y = &b->rules[i];

		assert_string_equal(x->id, y->id);
		same_str(x->description, y->description);
		same_str(x->regex_src, y->regex_src);
		same_regex(x->regex, y->regex);
		assert_int_equal(x->secret_group, y->secret_group);
		assert_memory_equal(&x->entropy, &y->entropy, sizeof(x->entropy));
		same_strvec(&x->keywords, &y->keywords);
		same_regex(x->path, y->path);
		same_strvec(&x->tags, &y->tags);
		same_allowlists(x->allowlists, x->nallowlists, y->allowlists, y->nallowlists);
		assert_string_equal(x->origin, y->origin);
		assert_int_equal(x->confidence, y->confidence);
		assert_int_equal(x->value_check, y->value_check);
		assert_int_equal(x->key_group, y->key_group);
		assert_int_equal(x->user_group, y->user_group);
		assert_int_equal(x->skip_report, y->skip_report);
		assert_int_equal(x->id_hash, y->id_hash);
	}
	same_allowlists(a->allowlists, a->nallowlists, b->allowlists, b->nallowlists);
}

/* Read back, the snapshot is the TOML's rule set, every field of every rule. */
static void test_pack_reads_back_as_parsed(void **state)
{
	struct fixture *fx = *state;
	struct pg_ruleset back = PG_RULESET_INIT;
	struct pg_error err = PG_ERROR_INIT;

	assert_true(fx->parsed.n > 200);
	assert_int_equal(pg_rules_snapshot_read(&back, PACK, fx->toml.ptr, fx->toml.len, fx->snap.ptr, fx->snap.len,
						&err), 1);
	same_ruleset(&fx->parsed, &back);
	pg_ruleset_release(&back);
}

/* Made from other bytes (one changed, one more), or by another version: not used. */
static void test_stale_snapshot_not_used(void **state)
{
	struct fixture *fx = *state;
	struct pg_ruleset rs = PG_RULESET_INIT;
	struct pg_error err = PG_ERROR_INIT;
	char *toml = malloc(fx->toml.len + 1);
	char *snap = malloc(fx->snap.len);
	size_t magic = sizeof(PG_RULES_SNAPSHOT_MAGIC) - 1;

	assert_non_null(toml);
	assert_non_null(snap);
	memcpy(toml, fx->toml.ptr, fx->toml.len);
	toml[fx->toml.len / 2] ^= 1;
	assert_int_equal(pg_rules_snapshot_read(&rs, PACK, toml, fx->toml.len, fx->snap.ptr, fx->snap.len, &err), 0);
	toml[fx->toml.len / 2] ^= 1;
	toml[fx->toml.len] = '\n';
	assert_int_equal(pg_rules_snapshot_read(&rs, PACK, toml, fx->toml.len + 1, fx->snap.ptr, fx->snap.len, &err),
			 0);
	/* the version: magic, u64 length, u32 CRC, u32 its length, then its first byte */
	memcpy(snap, fx->snap.ptr, fx->snap.len);
	snap[magic + 8 + 4 + 4] ^= 1;
	assert_int_equal(pg_rules_snapshot_read(&rs, PACK, fx->toml.ptr, fx->toml.len, snap, fx->snap.len, &err), 0);
	assert_int_equal(rs.n, 0);
	assert_null(rs.rules);
	free(snap);
	free(toml);
}

/* Cut anywhere, or grown by a byte, it is not used, and leaves nothing behind. */
static void test_damaged_snapshot_not_used(void **state)
{
	struct fixture *fx = *state;
	struct pg_ruleset rs = PG_RULESET_INIT;
	struct pg_error err = PG_ERROR_INIT;
	char *longer = malloc(fx->snap.len + 1);

	for (size_t n = 0; n < fx->snap.len; n += n < 256 ? 1 : 97) {
		assert_int_equal(pg_rules_snapshot_read(&rs, PACK, fx->toml.ptr, fx->toml.len, fx->snap.ptr, n, &err), 0);
		assert_int_equal(rs.n, 0);
		assert_int_equal(rs.nallowlists, 0);
	}
	assert_int_equal(pg_rules_snapshot_read(&rs, PACK, fx->toml.ptr, fx->toml.len, fx->snap.ptr,
						fx->snap.len - 1, &err), 0);
	assert_non_null(longer);
	memcpy(longer, fx->snap.ptr, fx->snap.len);
	longer[fx->snap.len] = 0;
	assert_int_equal(pg_rules_snapshot_read(&rs, PACK, fx->toml.ptr, fx->toml.len, longer, fx->snap.len + 1,
						&err), 0);
	assert_int_equal(rs.n, 0);
	free(longer);
}

/* Into a rule set that already holds rules (an extending file came first), it
 * is not read: merging is the TOML loader's. */
static void test_only_into_an_empty_ruleset(void **state)
{
	struct fixture *fx = *state;
	struct pg_ruleset rs = PG_RULESET_INIT;
	struct pg_error err = PG_ERROR_INIT;
	static const char one[] = "[[rules]]\nid = \"x\"\nregex = '''x[0-9]{8}'''\n";

	assert_int_equal(pg_ruleset_load_buffer(&rs, "one.toml", one, sizeof(one) - 1, NULL, &err), 0);
	assert_int_equal(rs.n, 1);
	assert_int_equal(pg_rules_snapshot_read(&rs, PACK, fx->toml.ptr, fx->toml.len, fx->snap.ptr, fx->snap.len,
						&err), 0);
	assert_int_equal(rs.n, 1);
	pg_ruleset_release(&rs);
}

/* A ruleset holding patterns from more than the named file has no snapshot. */
static void test_foreign_patterns_refused(void **state)
{
	struct fixture *fx = *state;
	struct pg_buf out = PG_BUF_INIT;
	struct pg_error err = PG_ERROR_INIT;

	assert_int_equal(pg_rules_snapshot_write(&out, &fx->parsed, "other.toml", fx->toml.ptr, fx->toml.len, &err),
			 PG_ECONFIG);
	assert_non_null(strstr(err.msg, "other.toml"));
	pg_buf_release(&out);
}

/* pg_ruleset_load reads default.snap beside the pack, under the pack's own
 * name; when the pack changes it parses the pack again. A snapshot with one
 * description altered shows which was read. */
static void test_load_reads_the_snapshot_beside_the_pack(void **state)
{
	struct fixture *fx = *state;
	char dir[] = "/tmp/pg-snap-XXXXXX", toml[64], snap[64];
	struct pg_ruleset rs = PG_RULESET_INIT;
	struct pg_error err = PG_ERROR_INIT;
	const char *desc = fx->parsed.rules[0].description;
	char *altered = malloc(fx->snap.len), *at;

	assert_non_null(mkdtemp(dir));
	snprintf(toml, sizeof(toml), "%s/default.toml", dir);
	snprintf(snap, sizeof(snap), "%s/default.snap", dir);
	write_whole(toml, fx->toml.ptr, fx->toml.len);

	/* written for PACK, read under another path: the rules name the file read */
	write_whole(snap, fx->snap.ptr, fx->snap.len);
	assert_int_equal(pg_ruleset_load(&rs, toml, toml, &err), 0);
	assert_int_equal(rs.n, fx->parsed.n);
	assert_int_equal(strncmp(rs.rules[0].origin, toml, strlen(toml)), 0);
	assert_int_equal(strncmp(pg_regex_what(rs.rules[0].regex), toml, strlen(toml)), 0);
	assert_string_equal(pg_ruleset_digest(&rs), pg_ruleset_digest(&fx->parsed)); /* the same bytes */
	pg_ruleset_release(&rs);

	/* the same length, one letter of the first description changed: read from the snapshot */
	assert_non_null(altered);
	assert_non_null(desc);
	memcpy(altered, fx->snap.ptr, fx->snap.len);
	assert_non_null(at = memmem(altered, fx->snap.len, desc, strlen(desc)));
	*at = *at == 'Z' ? 'Y' : 'Z';
	write_whole(snap, altered, fx->snap.len);
	rs = (struct pg_ruleset)PG_RULESET_INIT;
	assert_int_equal(pg_ruleset_load(&rs, toml, toml, &err), 0);
	assert_int_equal(rs.rules[0].description[0], *at);
	pg_ruleset_release(&rs);

	/* the pack edited (a comment added): the snapshot is stale and the TOML is parsed */
	write_whole(toml, fx->toml.ptr, fx->toml.len);
	{
		FILE *fp = fopen(toml, "ab");

		assert_non_null(fp);
		fputs("# edited\n", fp);
		fclose(fp);
	}
	rs = (struct pg_ruleset)PG_RULESET_INIT;
	assert_int_equal(pg_ruleset_load(&rs, toml, toml, &err), 0);
	assert_string_equal(rs.rules[0].description, desc);
	pg_ruleset_release(&rs);

	free(altered);
	unlink(snap);
	unlink(toml);
	rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pack_reads_back_as_parsed),
		cmocka_unit_test(test_stale_snapshot_not_used),
		cmocka_unit_test(test_damaged_snapshot_not_used),
		cmocka_unit_test(test_only_into_an_empty_ruleset),
		cmocka_unit_test(test_foreign_patterns_refused),
		cmocka_unit_test(test_load_reads_the_snapshot_beside_the_pack),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
