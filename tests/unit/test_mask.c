/* Masking the secrets found in names and messages: the excerpt form (first
 * four characters, whole UTF-8 ones, then an ellipsis), every occurrence in a
 * string, the longest of two secrets starting at one byte, short values left
 * alone, and every output that writes pushed text: a finding's fields (the
 * subject masked before it is cut), the pusher's text, an event. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "event.h"
#include "finding.h"
#include "mask.h"
#include "render.h"

/* built at run time: no credential-looking literal in the tree */
static char tok[41], tok2[41];

static int setup(void **state)
{
	memcpy(tok, "ghp_", 4);
	for (int i = 0; i < 36; i++)
		tok[4 + i] = "AbCdEfGhIjKlMnOpQrStUvWxYz0123456789"[(i * 7 + 3) % 36];
	tok[40] = '\0';
	memcpy(tok2, tok, sizeof(tok));
	tok2[30] = '\0'; /* a prefix of tok: a shorter secret starting at the same byte */
	pg_mask_reset();
	return 0;
}

static int teardown(void **state)
{
	pg_mask_reset();
	return 0;
}

static char *fmt(const char *a, const char *b, const char *c)
{
	size_t n = strlen(a) + strlen(b) + strlen(c) + 1;
	char *s = malloc(n);

	strcpy(s, a);
	strcat(s, b);
	strcat(s, c);
	return s;
}

static void test_excerpt(void **state)
{
	char out[32];

	pg_mask_excerpt(out, sizeof(out), tok, strlen(tok));
	assert_string_equal(out, "ghp_\u2026");
	/* whole UTF-8 characters: "é" is two bytes */
	pg_mask_excerpt(out, sizeof(out), "\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9", 12);
	assert_string_equal(out, "\u00e9\u00e9\u00e9\u00e9\u2026");
	pg_mask_excerpt(out, sizeof(out), "ab", 2);
	assert_string_equal(out, "ab\u2026");
}

static void test_nothing_registered(void **state)
{
	char *s;

	assert_false(pg_mask_active());
	s = pg_mask_dup(tok);
	assert_string_equal(s, tok);
	free(s);
	assert_null(pg_mask_dup(NULL));
}

static void test_every_occurrence(void **state)
{
	char *in = fmt("refs/heads/", tok, "/x"), *in2 = fmt(tok, " and ", tok), *s;
	size_t len = 0;

	assert_int_equal(pg_mask_add(tok, strlen(tok)), 0);
	assert_true(pg_mask_active());
	s = pg_mask_dup(in);
	assert_string_equal(s, "refs/heads/ghp_\u2026/x");
	free(s);
	s = pg_mask_dup(in2);
	assert_string_equal(s, "ghp_\u2026 and ghp_\u2026");
	free(s);
	/* the first n bytes only; a secret cut by n is not whole there */
	s = pg_mask_dupn(in, 11 + 40, &len);
	assert_string_equal(s, "refs/heads/ghp_\u2026");
	assert_int_equal(len, strlen("refs/heads/ghp_\u2026"));
	free(s);
	s = pg_mask_dup("nothing here");
	assert_string_equal(s, "nothing here");
	free(s);
	free(in);
	free(in2);
}

static void test_longest_first_and_short_values(void **state)
{
	char *s;

	assert_int_equal(pg_mask_add(tok2, strlen(tok2)), 0);
	assert_int_equal(pg_mask_add(tok, strlen(tok)), 0);
	assert_int_equal(pg_mask_add(tok, strlen(tok)), 0); /* once */
	s = pg_mask_dup(tok);
	assert_string_equal(s, "ghp_\u2026"); /* not "ghp_…" and the rest of tok */
	free(s);
	/* values no longer than the excerpt are not registered */
	assert_int_equal(pg_mask_add("abcd", 4), 0);
	s = pg_mask_dup("abcd efgh");
	assert_string_equal(s, "abcd efgh");
	free(s);
	pg_mask_reset();
	assert_false(pg_mask_active());
}

static void test_outputs(void **state)
{
	struct pg_findings f = PG_FINDINGS_INIT;
	struct pg_error err = PG_ERROR_INIT;
	struct pg_buf b = PG_BUF_INIT;
	/* a subject whose cut (80 characters) falls inside the secret */
	char pad[71], *subject, *ref = fmt("refs/heads/", tok, ""), *json = NULL;
	struct pg_push push = PG_PUSH_INIT;
	struct pg_event ev = { .id = "x", .push = &push, .findings = &f };

	memset(pad, 'x', 70);
	pad[70] = '\0';
	subject = fmt(pad, " ", tok);
	assert_int_equal(pg_mask_add(tok, strlen(tok)), 0);
	assert_int_equal(pg_findings_add(&f, &(struct pg_finding_spec){ .check = "refs", .rule = "r", .ref = ref,
				    .commit = "0123456789012345678901234567890123456789", .subject = subject,
				    .path = tok, .fingerprint = ref }, tok, tok, &err), 0);
	assert_int_equal(pg_findings_note(&f, &err, "skipped for %s", ref), 0);
	assert_null(strstr(f.v[0].ref, tok));
	assert_null(strstr(f.v[0].path, tok));
	assert_null(strstr(f.v[0].message, tok));
	assert_null(strstr(f.v[0].fix, tok));
	assert_null(strstr(f.v[0].fingerprint, tok));
	assert_null(strstr(f.v[0].subject, "ghp_A")); /* no part of it past the excerpt */
	assert_non_null(strstr(f.v[0].subject, "ghp_\u2026"));
	assert_null(strstr(f.notes.v[0], tok));
	/* the pusher's text: a string given raw is masked all the same */
	pg_render_safe(&b, ref);
	assert_string_equal(b.ptr, "refs/heads/ghp_\u2026");
	pg_buf_release(&b);
	/* the event: refs and findings */
	assert_int_equal(pg_push_add_update(&push, ref, "0000000000000000000000000000000000000000",
					    "0123456789012345678901234567890123456789", &err), 0);
	assert_int_equal(pg_event_to_json(&json, &ev, &err), 0);
	assert_null(strstr(json, tok));
	assert_non_null(strstr(json, "refs/heads/ghp_\u2026"));
	free(json);
	pg_push_release(&push);
	pg_findings_release(&f);
	free(subject);
	free(ref);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_excerpt, setup, teardown),
		cmocka_unit_test_setup_teardown(test_nothing_registered, setup, teardown),
		cmocka_unit_test_setup_teardown(test_every_occurrence, setup, teardown),
		cmocka_unit_test_setup_teardown(test_longest_first_and_short_values, setup, teardown),
		cmocka_unit_test_setup_teardown(test_outputs, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
