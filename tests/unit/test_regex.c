/* Unit tests for lib/regex.c: PCRE2 patterns with limits. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "regex.h"

struct fx {
	struct pg_regex *re;
	struct pg_error err;
};

static int setup(void **state)
{
	struct fx *fx = calloc(1, sizeof(*fx));

	if (!fx)
		return -1;
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fx *fx = *state;

	pg_regex_free(fx->re);
	free(fx);
	return 0;
}

static void compile_ok(struct fx *fx, const char *pattern)
{
	pg_regex_free(fx->re);
	fx->re = NULL;
	fx->err = (struct pg_error)PG_ERROR_INIT;
	assert_int_equal(pg_regex_compile(&fx->re, pattern, "test.key", &fx->err), PG_OK);
	assert_non_null(fx->re);
	assert_string_equal(pg_regex_pattern(fx->re), pattern);
}

static int match(struct fx *fx, const char *subject)
{
	return pg_regex_match(fx->re, subject, strlen(subject), &fx->err);
}

static void test_compile_error_missing_paren(void **state)
{
	struct fx *fx = *state;
	struct pg_regex *re = (struct pg_regex *)(uintptr_t)1; /* must be reset to NULL */

	assert_int_equal(pg_regex_compile(&re, "a(b", "pushguard.commits.messagePattern in /etc/x",
					  &fx->err), PG_ECONFIG);
	assert_null(re);
	assert_int_equal(fx->err.code, PG_ECONFIG);
	assert_non_null(strstr(fx->err.msg, "pushguard.commits.messagePattern in /etc/x"));
	assert_non_null(strstr(fx->err.msg, "a(b"));
	assert_non_null(strstr(fx->err.msg, "offset 3"));
	assert_non_null(strstr(fx->err.msg, "parenthesis"));
}

static void test_compile_error_offsets(void **state)
{
	struct fx *fx = *state;

	assert_int_equal(pg_regex_compile(&fx->re, "[z-a]", "k1", &fx->err), PG_ECONFIG);
	assert_null(fx->re);
	assert_non_null(strstr(fx->err.msg, "k1"));
	assert_non_null(strstr(fx->err.msg, "offset 3"));

	fx->err = (struct pg_error)PG_ERROR_INIT;
	assert_int_equal(pg_regex_compile(&fx->re, "*x", "k2", &fx->err), PG_ECONFIG);
	assert_null(fx->re);
	assert_non_null(strstr(fx->err.msg, "k2"));
	assert_non_null(strstr(fx->err.msg, "offset 0"));

	fx->err = (struct pg_error)PG_ERROR_INIT;
	assert_int_equal(pg_regex_compile(&fx->re, "(abc", "k3", &fx->err), PG_ECONFIG);
	assert_non_null(strstr(fx->err.msg, "offset 4"));
}

static void test_match_and_no_match(void **state)
{
	struct fx *fx = *state;

	compile_ok(fx, "^[A-Z]+-[0-9]+ ");
	assert_int_equal(match(fx, "ABC-123 fix the thing"), 1);
	assert_int_equal(match(fx, "fix the thing"), 0);
	assert_int_equal(match(fx, "abc-123 lower case"), 0);
	assert_int_equal(match(fx, ""), 0);
	assert_int_equal(fx->err.code, 0);

	compile_ok(fx, "@example\\.com$");
	assert_int_equal(match(fx, "alice@example.com"), 1);
	assert_int_equal(match(fx, "alice@example.com.evil.org"), 0);
	assert_int_equal(match(fx, "alice@exampleXcom"), 0);
}

static void test_match_respects_length(void **state)
{
	struct fx *fx = *state;
	static const char subject[] = "ABC-1";
	static const char with_nul[] = { 'a', '\0', 'b' };

	compile_ok(fx, "^[A-Z]+-[0-9]");
	assert_int_equal(pg_regex_match(fx->re, subject, 5, &fx->err), 1);
	assert_int_equal(pg_regex_match(fx->re, subject, 3, &fx->err), 0);

	compile_ok(fx, "b$");
	assert_int_equal(pg_regex_match(fx->re, with_nul, sizeof(with_nul), &fx->err), 1);
	assert_int_equal(pg_regex_match(fx->re, with_nul, 1, &fx->err), 0);
}

static void test_utf8(void **state)
{
	struct fx *fx = *state;

	compile_ok(fx, "^.$");
	assert_int_equal(match(fx, "\xc3\xa9"), 1);  /* é is one character */
	assert_int_equal(match(fx, "ab"), 0);

	compile_ok(fx, "^caf\xc3\xa9");
	assert_int_equal(match(fx, "caf\xc3\xa9 au lait"), 1);
}

static void test_invalid_utf8_subject_does_not_error(void **state)
{
	struct fx *fx = *state;
	int rc;

	compile_ok(fx, "x");
	assert_int_equal(match(fx, "\xff\xfe"), 0);
	assert_int_equal(fx->err.code, 0);

	compile_ok(fx, "^.$");
	assert_int_equal(match(fx, "\xff"), 0);
	assert_int_equal(match(fx, "\xc3"), 0); /* truncated sequence */
	assert_int_equal(fx->err.code, 0);

	compile_ok(fx, "def");
	rc = match(fx, "abc\xff" "def");
	assert_true(rc >= 0);
	assert_int_equal(fx->err.code, 0);
}

static void test_catastrophic_pattern_is_bounded(void **state)
{
	struct fx *fx = *state;
	char subject[64];
	struct timespec t0, t1;
	double secs;
	int rc;

	memset(subject, 'a', 30);
	subject[30] = '!';
	subject[31] = '\0';
	compile_ok(fx, "^(a+)+$");
	alarm(60); /* a hang kills the test rather than the run */
	clock_gettime(CLOCK_MONOTONIC, &t0);
	rc = match(fx, subject);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	alarm(0);
	secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	assert_true(rc <= 0);
	if (secs > 10)
		fail_msg("matching took %.1f s", secs);
	if (rc < 0) {
		assert_int_equal(rc, fx->err.code);
		assert_non_null(strstr(fx->err.msg, "test.key"));
		assert_non_null(strstr(fx->err.msg, "^(a+)+$"));
	}
	/* the same pattern still matches what it should */
	subject[30] = '\0';
	fx->err = (struct pg_error)PG_ERROR_INIT;
	assert_int_equal(match(fx, subject), 1);
}

static void test_find_spans_and_groups(void **state)
{
	struct fx *fx = *state;
	static const char subject[] = "id=AKIA123 and id=AKIA456";
	struct pg_regex_span sp[3];

	compile_ok(fx, "id=(?<key>AKIA([0-9]+))");
	assert_int_equal(pg_regex_group(fx->re, "key"), 1);
	assert_int_equal(pg_regex_group(fx->re, "nope"), -1);
	assert_int_equal(pg_regex_find(fx->re, subject, strlen(subject), 0, sp, 3, &fx->err), 1);
	assert_int_equal(sp[0].start, 0);
	assert_int_equal(sp[0].end, 10);
	assert_int_equal(sp[1].start, 3);
	assert_int_equal(sp[1].end, 10);
	assert_int_equal(sp[2].start, 7);
	assert_int_equal(sp[2].end, 10);
	/* the next match, from past the first */
	assert_int_equal(pg_regex_find(fx->re, subject, strlen(subject), sp[0].end, sp, 2, &fx->err), 1);
	assert_int_equal(sp[0].start, 15);
	assert_int_equal(sp[1].start, 18);
	assert_int_equal(sp[1].end, 25);
	assert_int_equal(pg_regex_find(fx->re, subject, strlen(subject), sp[0].end, sp, 2, &fx->err), 0);
	/* past the end: nothing, no error */
	assert_int_equal(pg_regex_find(fx->re, subject, 5, 6, sp, 1, &fx->err), 0);
	assert_int_equal(fx->err.code, 0);
}

static void test_find_unset_groups(void **state)
{
	struct fx *fx = *state;
	struct pg_regex_span sp[4];

	compile_ok(fx, "(a)|(b)");
	assert_int_equal(pg_regex_find(fx->re, "xb", 2, 0, sp, 4, &fx->err), 1);
	assert_int_equal(sp[0].start, 1);
	assert_int_equal(sp[0].end, 2);
	assert_true(sp[1].start == PG_REGEX_UNSET && sp[1].end == PG_REGEX_UNSET);
	assert_int_equal(sp[2].start, 1);
	assert_int_equal(sp[2].end, 2);
	/* more spans than the pattern has groups */
	assert_true(sp[3].start == PG_REGEX_UNSET && sp[3].end == PG_REGEX_UNSET);
}

static void test_find_catastrophic_is_bounded(void **state)
{
	struct fx *fx = *state;
	char subject[64];
	struct pg_regex_span sp[1];
	int rc;

	memset(subject, 'a', 60);
	subject[60] = '!';
	compile_ok(fx, "^(a+)+$");
	alarm(60);
	rc = pg_regex_find(fx->re, subject, 61, 0, sp, 1, &fx->err);
	alarm(0);
	/* 2^60 ways to fail: only the match limit ends it, a configuration problem */
	assert_int_equal(rc, PG_ECONFIG);
	assert_int_equal(fx->err.code, PG_ECONFIG);
	assert_non_null(strstr(fx->err.msg, "limit"));
}

/* Freeing NULL is a no-op (cleanup paths rely on it), and leaves the
 * per-thread match data usable for the next regex. */
static void test_free_null(void **state)
{
	struct fx *fx = *state;
	struct pg_regex *re = NULL;
	struct pg_regex_span sp[2];

	pg_regex_free(NULL);
	assert_int_equal(pg_regex_compile(&re, "a(b+)c", "test", &fx->err), PG_OK);
	assert_int_equal(pg_regex_find(re, "xxabbbc", 7, 0, sp, 2, &fx->err), 1);
	assert_int_equal(sp[1].start, 3);
	assert_int_equal(sp[1].end, 6);
	pg_regex_free(re);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_compile_error_missing_paren),
		T(test_compile_error_offsets),
		T(test_match_and_no_match),
		T(test_match_respects_length),
		T(test_utf8),
		T(test_invalid_utf8_subject_does_not_error),
		T(test_catastrophic_pattern_is_bounded),
		T(test_find_spans_and_groups),
		T(test_find_unset_groups),
		T(test_find_catastrophic_is_bounded),
		T(test_free_null),
	};
#undef T

	return cmocka_run_group_tests_name("regex", tests, NULL, NULL);
}
