/* Unit tests for lib/signature_parse.c: splitting raw commit and tag objects into
 * the signed payload and the signature (pg_signed_parse). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "signature.h"

static void test_commit_signature_split(void **state)
{
	static const char raw[] =
		"tree 4b825dc642cb6eb9a060e54bf8d69288fbee4904\n"
		"author A <a@example.com> 1700000000 +0000\n"
		"committer C <c@example.com> 1700000001 +0000\n"
		"gpgsig -----BEGIN SSH SIGNATURE-----\n"
		" U1NIU0lH\n"
		" -----END SSH SIGNATURE-----\n"
		"\n"
		"subject\n\nbody\n";
	struct pg_signed s = PG_SIGNED_INIT;
	struct pg_error err = PG_ERROR_INIT;

	(void)state;
	assert_int_equal(pg_signed_parse(&s, raw, sizeof(raw) - 1, GIT_OBJECT_COMMIT, &err), 0);
	assert_int_equal(s.format, PG_SIG_SSH);
	assert_string_equal(s.email, "c@example.com");
	assert_int_equal(s.time, 1700000001);
	assert_string_equal(s.subject, "subject");
	assert_null(strstr(s.payload.ptr, "gpgsig"));
	assert_non_null(strstr(s.signature.ptr, "-----END SSH SIGNATURE-----"));
	pg_signed_release(&s);
}

/* Found by tests/fuzz/fuzz_signature: a second committer (or tagger) header
 * leaked the first email. The first one counts, as libgit2 reads it. */
static void test_repeated_ident_header(void **state)
{
	static const char commit[] =
		"tree 4b825dc642cb6eb9a060e54bf8d69288fbee4904\n"
		"author A <a@example.com> 1700000000 +0000\n"
		"committer C <c@example.com> 1700000001 +0000\n"
		"committer X <exempt@example.com> 1700000002 +0000\n"
		"\n"
		"subject\n";
	static const char tag[] =
		"object 4b825dc642cb6eb9a060e54bf8d69288fbee4904\n"
		"type commit\n"
		"tag v1\n"
		"tagger T <t@example.com> 1700000003 +0000\n"
		"tagger X <exempt@example.com> 1700000004 +0000\n"
		"\n"
		"release\n";
	struct pg_signed s = PG_SIGNED_INIT, t = PG_SIGNED_INIT;
	struct pg_error err = PG_ERROR_INIT;

	(void)state;
	assert_int_equal(pg_signed_parse(&s, commit, sizeof(commit) - 1, GIT_OBJECT_COMMIT, &err), 0);
	assert_string_equal(s.email, "c@example.com");
	assert_int_equal(s.time, 1700000001);
	pg_signed_release(&s);
	assert_int_equal(pg_signed_parse(&t, tag, sizeof(tag) - 1, GIT_OBJECT_TAG, &err), 0);
	assert_string_equal(t.email, "t@example.com");
	assert_int_equal(t.time, 1700000003);
	assert_int_equal(t.format, PG_SIG_NONE);
	pg_signed_release(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_commit_signature_split),
		cmocka_unit_test(test_repeated_ident_header),
	};

	return cmocka_run_group_tests_name("signature", tests, NULL, NULL);
}
