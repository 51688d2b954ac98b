/* Unit tests for lib/glob.c: ref and path globs. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "glob.h"

struct gcase {
	const char *pattern;
	const char *text;
	bool want;
};

static void run_cases(const struct gcase *c, size_t n, bool path)
{
	size_t bad = 0;

	for (size_t i = 0; i < n; i++) {
		bool got = path ? pg_glob_match_path(c[i].pattern, c[i].text)
				: pg_glob_match(c[i].pattern, c[i].text);

		if (got != c[i].want) {
			print_error("%s('%s', '%s') = %s, want %s\n",
				    path ? "pg_glob_match_path" : "pg_glob_match",
				    c[i].pattern, c[i].text, got ? "true" : "false",
				    c[i].want ? "true" : "false");
			bad++;
		}
	}
	if (bad)
		fail_msg("%zu of %zu cases wrong", bad, n);
}

#define RUN(cases, path) run_cases(cases, sizeof(cases) / sizeof(*cases), path)

static void test_star_does_not_cross_slash(void **state)
{
	static const struct gcase c[] = {
		{ "*", "abc", true },
		{ "*", "", true },
		{ "*", "a/b", false },
		{ "*.c", "x.c", true },
		{ "*.c", ".c", true },
		{ "*.c", "d/x.c", false },
		{ "*.c", "x.h", false },
		{ "a*", "a", true },
		{ "a*b", "aXYZb", true },
		{ "a*b", "a/b", false },
		{ "a*b*c", "abXbc", true },
		{ "refs/heads/*", "refs/heads/main", true },
		{ "refs/heads/*", "refs/heads/feature/x", false },
		{ "refs/heads/*", "refs/heads/", true },
		{ "refs/heads/*", "refs/tags/v1", false },
		{ "refs/*/main", "refs/heads/main", true },
		{ "refs/*/main", "refs/heads/x/main", false },
	};

	(void)state;
	RUN(c, false);
}

static void test_double_star_crosses_slash(void **state)
{
	static const struct gcase c[] = {
		{ "**", "a/b/c", true },
		{ "**", "", true },
		{ "refs/heads/**", "refs/heads/main", true },
		{ "refs/heads/**", "refs/heads/feature/x/y", true },
		{ "refs/heads/**", "refs/tags/v1", false },
		{ "a/**/b", "a/b", true },
		{ "a/**/b", "a/x/b", true },
		{ "a/**/b", "a/x/y/z/b", true },
		{ "a/**/b", "a/xb", false },
		{ "a/**/b", "a/x/bc", false },
		{ "a/**/b", "ab", false },
		{ "**/x", "x", true },
		{ "**/x", "a/b/x", true },
		{ "**/x", "a/bx", false },
		{ "a/**", "a/b/c", true },
		{ "a/**", "b/a/c", false },
		{ "**.key", "d/e/f.key", true },
		{ "refs/**/release", "refs/heads/release", true },
	};

	(void)state;
	RUN(c, false);
}

static void test_question_mark(void **state)
{
	static const struct gcase c[] = {
		{ "?", "a", true },
		{ "?", "", false },
		{ "?", "ab", false },
		{ "?", "/", false },
		{ "a?c", "abc", true },
		{ "a?c", "a/c", false },
		{ "a?c", "ac", false },
		{ "v?.?", "v1.2", true },
	};

	(void)state;
	RUN(c, false);
}

static void test_classes(void **state)
{
	static const struct gcase c[] = {
		{ "[abc]", "b", true },
		{ "[abc]", "d", false },
		{ "[abc]", "", false },
		{ "[a-c]x", "bx", true },
		{ "[a-c]x", "dx", false },
		{ "[a-cx-z]", "y", true },
		{ "[a-cx-z]", "m", false },
		{ "[0-9][0-9]", "42", true },
		{ "[0-9][0-9]", "4a", false },
		{ "[!a-c]", "d", true },
		{ "[!a-c]", "b", false },
		{ "[^a-c]", "z", true },
		{ "[^a-c]", "a", false },
		{ "[]]", "]", true },
		{ "[]]", "a", false },
		{ "[!]]", "a", true },
		{ "[!]]", "]", false },
		{ "[a-]", "-", true },
		{ "[a-]", "a", true },
		{ "[a-]", "b", false },
		{ "a[!x]b", "a/b", false }, /* a class never matches '/' */
		{ "a[/]b", "a/b", false },
		{ "v[0-9]*", "v10.2", true },
		{ "v[0-9]*", "vx", false },
	};

	(void)state;
	RUN(c, false);
}

static void test_escapes(void **state)
{
	static const struct gcase c[] = {
		{ "\\*", "*", true },
		{ "\\*", "a", false },
		{ "\\*", "", false },
		{ "a\\?", "a?", true },
		{ "a\\?", "ab", false },
		{ "\\[x]", "[x]", true },
		{ "\\[x]", "x", false },
		{ "[\\]]", "]", true },
		{ "[\\]]", "\\", false },
		{ "\\\\", "\\", true },
		{ "\\a", "a", true },
		{ "x\\*y*", "x*yz", true },
		{ "x\\*y*", "xAyz", false },
	};

	(void)state;
	RUN(c, false);
}

static void test_whole_string(void **state)
{
	static const struct gcase c[] = {
		{ "abc", "abc", true },
		{ "abc", "abcd", false },
		{ "abc", "ab", false },
		{ "abc", "xabc", false },
		{ "", "", true },
		{ "", "a", false },
		{ "refs/heads/main", "refs/heads/main", true },
		{ "refs/heads/main", "refs/heads/mainline", false },
	};

	(void)state;
	RUN(c, false);
}

static void test_path_unanchored_any_depth(void **state)
{
	static const struct gcase c[] = {
		{ "id_rsa", "id_rsa", true },
		{ "id_rsa", "a/id_rsa", true },
		{ "id_rsa", "a/b/c/id_rsa", true },
		{ "id_rsa", "a/id_rsa.pub", false },
		{ "id_rsa", "xid_rsa", false },
		{ "id_rsa", "a/xid_rsa", false },
		{ "id_rsa", "id_rsa/x", false },
		{ ".aws/credentials", ".aws/credentials", true },
		{ ".aws/credentials", "x/.aws/credentials", true },
		{ ".aws/credentials", "x/y/.aws/credentials", true },
		{ ".aws/credentials", "x.aws/credentials", false },
		{ ".aws/credentials", "x/.aws/credentials.bak", false },
		{ "b/id_rsa", "ab/id_rsa", false },
		{ "*.key", "server.key", true },
		{ "*.key", "deep/dir/server.key", true },
		{ "*.key", "deep/dir/server.key.txt", false },
		{ "dir/**", "x/dir/a/b", true },
		{ "secrets/*.env", "app/secrets/prod.env", true },
		{ "secrets/*.env", "app/secrets/sub/prod.env", false },
	};

	(void)state;
	RUN(c, true);
}

static void test_path_leading_slash_anchored(void **state)
{
	static const struct gcase c[] = {
		{ "/id_rsa", "id_rsa", true },
		{ "/id_rsa", "a/id_rsa", false },
		{ "/config/*.yml", "config/app.yml", true },
		{ "/config/*.yml", "x/config/app.yml", false },
		{ "/config/*.yml", "config/sub/app.yml", false },
		{ "/**/x.pem", "a/b/x.pem", true },
		{ "/**/x.pem", "x.pem", true },
	};

	(void)state;
	RUN(c, true);
}

static void test_check_good_patterns(void **state)
{
	static const char *const good[] = {
		"refs/heads/*", "refs/heads/**", "[a-z]*", "\\[", "**", "a/**/b",
		"[]]", "[!]x]", "v?.*", "[\\]]", "id_rsa", ".aws/credentials",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(good) / sizeof(*good); i++) {
		const char *why = pg_glob_check(good[i]);

		if (why)
			fail_msg("pg_glob_check('%s') = '%s', want NULL", good[i], why);
	}
}

static void test_check_bad_patterns(void **state)
{
	const char *why;

	(void)state;
	why = pg_glob_check("");
	assert_non_null(why);
	assert_non_null(strstr(why, "empty"));

	why = pg_glob_check("refs/heads/[abc");
	assert_non_null(why);
	assert_non_null(strstr(why, "["));

	why = pg_glob_check("[");
	assert_non_null(why);

	why = pg_glob_check("[]");
	assert_non_null(why);

	why = pg_glob_check("[!");
	assert_non_null(why);

	why = pg_glob_check("abc\\");
	assert_non_null(why);
	assert_non_null(strstr(why, "backslash"));

	why = pg_glob_check("[a\\");
	assert_non_null(why);

	/* a malformed class never matches, not even itself */
	assert_false(pg_glob_match("[abc", "[abc"));
	assert_false(pg_glob_match("[abc", "a"));
}

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* Paths come from the pusher: a crafted path must not make a deny pattern
 * run for seconds (the hook would hang every push it sees). */
static void test_pathological_inputs_are_fast(void **state)
{
	char path[1024], as[64];
	double t, took1, took2;
	bool r1, r2;

	(void)state;
	path[0] = '\0';
	for (int i = 0; i < 200; i++)
		strcat(path, "x/y/");
	strcat(path, "end");
	memset(as, 'a', 40);
	as[40] = '\0';

	alarm(300); /* a hang kills the run rather than blocking it forever */
	t = now();
	r1 = pg_glob_match_path("**/x/**/y/**/z", path);
	took1 = now() - t;
	t = now();
	r2 = pg_glob_match("*a*a*a*a*a*a*a*a*b", as);
	took2 = now() - t;
	alarm(0);
	assert_false(r1);
	assert_false(r2);
	if (took1 > 0.5 || took2 > 0.5)
		fail_msg("'**/x/**/y/**/z' on a %zu-byte path took %.2f s; '*a*a*a*a*a*a*a*a*b' on 40 'a' took %.2f s",
			 strlen(path), took1, took2);
}

/* Found by tests/fuzz/fuzz_glob: a pattern with many "**" retried the same
 * (pattern, text) positions exponentially often (0.4 s per match at -O2, a
 * 3 s libFuzzer timeout under the sanitizers); attempts are remembered now. */
static void test_many_double_stars_are_fast(void **state)
{
	static const char pattern[] =
		"***/**/**mv**/**/******/**/**/**/*/**/**mv**/**/***/*/*/**/**mv**/**/***"
		"/**/**/*/m*mv**/**/***/***/**/**mv**/**/***/**/**/****/**mv**/**/***/***"
		"/**/**m*/**/**mv**/**/***/**/**/***/**/";
	static const char text[] =
		"///**/**/**mv**/**/***/*/*/**/**mv**/**/***/**/**/*/m*mv**/**/***/***/**"
		"/**mv**/**/***/**/**/****/**mv**/**/***/***/**/**m*/**/**mv**/**/***/**/"
		"**/****/**mv**/**/***/***/**/**mv**/**mv**/*/***/**";
	double t, took;
	bool r = true;

	(void)state;
	alarm(300);
	t = now();
	for (int i = 0; i < 20; i++)
		r = pg_glob_match_path(pattern, text);
	took = now() - t;
	alarm(0);
	assert_false(r);
	assert_true(pg_glob_match_path("**/a**/**/b**/**/", "x/a/b/"));
	assert_false(pg_glob_match_path("**/a**/**/b**/**/", "x/b/a/"));
	if (took > 0.5)
		fail_msg("20 matches of a %zu-byte pattern with many '**' took %.2f s", sizeof(pattern) - 1, took);
}

/* A prepared set matches every path exactly as the patterns one by one do
 * (literal patterns take a shortcut), the first matching pattern's index. */
static void test_globset_agrees_with_single_patterns(void **state)
{
	static const char *const patterns[] = {
		"id_rsa", ".aws/credentials", "/top/secret.txt", "*.pem", "**/keys/*.key", "ID_DSA",
		"a\\*b", "conf/[ab].env", "deep/",
	};
	static const char *const paths[] = {
		"id_rsa", "home/id_rsa", "home/ID_RSA", "id_rsa.pub", "xid_rsa", "id_rsa/x",
		".aws/credentials", "u/.aws/credentials", "u/x.aws/credentials", ".aws/credentials.bak",
		"top/secret.txt", "x/top/secret.txt", "Top/Secret.TXT", "server.PEM", "a/b/c.pem",
		"keys/a.key", "x/y/keys/b.key", "id_dsa", "a/Id_Dsa", "a*b", "x/A*B", "axb",
		"conf/a.env", "conf/c.env", "deep", "deep/x", "", "/", "a//id_rsa",
	};
	size_t np = sizeof(patterns) / sizeof(*patterns);
	struct pg_globset gs;

	(void)state;
	assert_int_equal(pg_globset_init(&gs, patterns, np, true), 0);
	for (size_t j = 0; j < sizeof(paths) / sizeof(*paths); j++) {
		long want = -1;

		for (size_t i = 0; i < np && want < 0; i++)
			if (pg_glob_match_path_casefold(patterns[i], paths[j]))
				want = (long)i;
		if (pg_globset_match(&gs, paths[j]) != want)
			fail_msg("path '%s': set says %ld, the patterns %ld", paths[j], pg_globset_match(&gs, paths[j]),
				 want);
	}
	/* and a few by name, so that the loop above cannot agree on nothing */
	assert_int_equal(pg_globset_match(&gs, "home/ID_RSA"), 0);
	assert_int_equal(pg_globset_match(&gs, "u/.aws/credentials"), 1);
	assert_int_equal(pg_globset_match(&gs, "x/top/secret.txt"), -1);
	assert_int_equal(pg_globset_match(&gs, "Top/Secret.TXT"), 2);
	assert_int_equal(pg_globset_match(&gs, "xid_rsa"), -1);
	pg_globset_release(&gs);
	/* without casefold, case counts */
	assert_int_equal(pg_globset_init(&gs, patterns, np, false), 0);
	assert_int_equal(pg_globset_match(&gs, "home/ID_RSA"), -1);
	assert_int_equal(pg_globset_match(&gs, "a/ID_DSA"), 5);
	pg_globset_release(&gs);
	/* an empty set matches nothing */
	assert_int_equal(pg_globset_init(&gs, NULL, 0, true), 0);
	assert_int_equal(pg_globset_match(&gs, "id_rsa"), -1);
	pg_globset_release(&gs);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_star_does_not_cross_slash),
		cmocka_unit_test(test_double_star_crosses_slash),
		cmocka_unit_test(test_question_mark),
		cmocka_unit_test(test_classes),
		cmocka_unit_test(test_escapes),
		cmocka_unit_test(test_whole_string),
		cmocka_unit_test(test_path_unanchored_any_depth),
		cmocka_unit_test(test_path_leading_slash_anchored),
		cmocka_unit_test(test_check_good_patterns),
		cmocka_unit_test(test_check_bad_patterns),
		cmocka_unit_test(test_pathological_inputs_are_fast),
		cmocka_unit_test(test_many_double_stars_are_fast),
		cmocka_unit_test(test_globset_agrees_with_single_patterns),
	};

	return cmocka_run_group_tests_name("glob", tests, NULL, NULL);
}
