/* Unit tests for lib/finding.c: what a finding keeps, and the counts. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "finding.h"

#define HEX1 "3f2a91c0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a6"
#define ELLIPSIS "\xe2\x80\xa6"

static char *repeat(const char *unit, size_t times)
{
	size_t n = strlen(unit);
	char *s = malloc(n * times + 1);

	assert_non_null(s);
	for (size_t i = 0; i < times; i++)
		memcpy(s + i * n, unit, n);
	s[n * times] = '\0';
	return s;
}

/* The subject the finding keeps for this one. */
static char *kept(const char *subject)
{
	struct pg_findings f = PG_FINDINGS_INIT;
	struct pg_error err = PG_ERROR_INIT;
	struct pg_finding_spec spec = { "commits", "signoff", "refs/heads/main", HEX1, subject, NULL, 0, NULL, NULL };
	char *s;

	assert_int_equal(pg_findings_add(&f, &spec, "m", NULL, &err), PG_OK);
	s = f.v[0].subject ? strdup(f.v[0].subject) : NULL;
	pg_findings_release(&f);
	return s;
}

static void check_kept(const char *subject, const char *want)
{
	char *s = kept(subject);

	assert_non_null(s);
	assert_string_equal(s, want);
	free(s);
}

static void test_short_subject_kept_whole(void **state)
{
	char *s80 = repeat("a", PG_FINDING_MAX_SUBJECT);

	(void)state;
	check_kept("Add deploy script", "Add deploy script");
	check_kept("", "");
	check_kept(s80, s80);
	assert_null(kept(NULL));
	free(s80);
}

static void test_long_subject_cut_to_max_characters(void **state)
{
	char *s81 = repeat("a", PG_FINDING_MAX_SUBJECT + 1), *s80 = repeat("a", PG_FINDING_MAX_SUBJECT);
	char *huge = repeat("0123456789abcdef", (size_t)1 << 18); /* 4 MiB */
	char want[512];

	(void)state;
	snprintf(want, sizeof(want), "%s" ELLIPSIS, s80);
	check_kept(s81, want);
	snprintf(want, sizeof(want), "%.*s" ELLIPSIS, PG_FINDING_MAX_SUBJECT, huge);
	check_kept(huge, want);
	free(s81);
	free(s80);
	free(huge);
}

/* Characters, not bytes; never half a character. */
static void test_cut_on_utf8_boundary(void **state)
{
	char *e = repeat("\xc3\xa9", 200), *euro = repeat("\xe2\x82\xac", 200), *emoji = repeat("\xf0\x9f\x98\x80", 200);
	char *mixed = repeat("a\xf0\x9f\x98\x80", 100);
	char want[1024];

	(void)state;
	snprintf(want, sizeof(want), "%.*s" ELLIPSIS, 2 * PG_FINDING_MAX_SUBJECT, e);
	check_kept(e, want);
	snprintf(want, sizeof(want), "%.*s" ELLIPSIS, 3 * PG_FINDING_MAX_SUBJECT, euro);
	check_kept(euro, want);
	snprintf(want, sizeof(want), "%.*s" ELLIPSIS, 4 * PG_FINDING_MAX_SUBJECT, emoji);
	check_kept(emoji, want);
	/* 40 x (a + emoji) = 80 characters, 200 bytes */
	snprintf(want, sizeof(want), "%.*s" ELLIPSIS, 5 * PG_FINDING_MAX_SUBJECT / 2, mixed);
	check_kept(mixed, want);
	free(e);
	free(euro);
	free(emoji);
	free(mixed);
}

/* Bytes that are not UTF-8 (a run of continuation bytes counts as no
 * character at all) still cannot make the copy large. */
static void test_invalid_utf8_cut_by_bytes(void **state)
{
	char *junk = repeat("\x80", 100000);
	char *s = kept(junk);

	(void)state;
	assert_non_null(s);
	assert_true(strlen(s) <= 4 * PG_FINDING_MAX_SUBJECT + strlen(ELLIPSIS));
	assert_non_null(strstr(s, ELLIPSIS));
	free(s);
	free(junk);
}

static void add(struct pg_findings *f, const char *commit, const char *allowed_by)
{
	struct pg_error err = PG_ERROR_INIT;
	struct pg_finding_spec spec = { "files", "deny", "refs/heads/main", commit, "s", "p", 0, NULL, NULL,
					 allowed_by };

	assert_int_equal(pg_findings_add(f, &spec, "m", NULL, &err), PG_OK);
}

static void test_count_commits(void **state)
{
	struct pg_findings f = PG_FINDINGS_INIT;
	char hex[41];

	(void)state;
	assert_int_equal(pg_findings_count_commits(&f), 0);
	add(&f, NULL, NULL);                 /* about a ref: no commit */
	assert_int_equal(pg_findings_count_commits(&f), 0);
	add(&f, HEX1, NULL);
	add(&f, "0123456789abcdef0123456789abcdef01234567", NULL);
	add(&f, HEX1, NULL);
	add(&f, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "inline comment"); /* allowed: not counted */
	assert_int_equal(pg_findings_count_commits(&f), 2);
	assert_int_equal(pg_findings_count_blocking(&f), 4);
	/* many findings over many commits, interleaved: counted exactly (and fast) */
	for (size_t i = 0; i < 60000; i++) {
		snprintf(hex, sizeof(hex), "%040zx", i % 1000);
		add(&f, hex, NULL);
	}
	assert_int_equal(pg_findings_count_commits(&f), 1002);
	pg_findings_release(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_short_subject_kept_whole),
		cmocka_unit_test(test_long_subject_cut_to_max_characters),
		cmocka_unit_test(test_cut_on_utf8_boundary),
		cmocka_unit_test(test_invalid_utf8_cut_by_bytes),
		cmocka_unit_test(test_count_commits),
	};

	return cmocka_run_group_tests_name("finding", tests, NULL, NULL);
}
