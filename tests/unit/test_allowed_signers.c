/* Unit tests for lib/allowed_signers.c: ssh-keygen's allowed signers format,
 * pattern lists, validity times and the lookup git's verification needs. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "allowed_signers.h"

/* public keys only (made with ssh-keygen), nothing secret */
#define KEY_A "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIF1D0x2bZP2c1TUygZGQDCcmPs/DUgT1vUZojTw+pWyf"
#define KEY_B "ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBFD2PCMp3PAgggZFiXOoYTAQf8upew+gOBJwktxylDtWiyPY/+Lx2opvUj1SA7sbQktG48sEguTi99abqBYHr78="

static int parse(struct pg_allowed_signers *as, const char *text, struct pg_error *err)
{
	*as = (struct pg_allowed_signers)PG_ALLOWED_SIGNERS_INIT;
	return pg_allowed_signers_parse(as, text, strlen(text), "signers", err);
}

static void key(struct pg_sshkey *k, const char *text)
{
	struct pg_error err = PG_ERROR_INIT;

	assert_int_equal(pg_sshkey_from_text(k, text, NULL, &err), 0);
}

static void test_formats(void **state)
{
	struct pg_allowed_signers as;
	struct pg_error err = PG_ERROR_INIT;
	const char *text =
		"# comment\n"
		"\n"
		"alice@example.com " KEY_A " alice's laptop\n"
		"  \"bob@example.com,carol@example.com\" namespaces=\"git,file\",valid-after=\"20200101\" " KEY_B "\r\n"
		"*@example.com cert-authority " KEY_A "\n"
		"dave@example.com valid-before=20300101Z,namespaces=git " KEY_B;

	assert_int_equal(parse(&as, text, &err), 0);
	assert_int_equal(as.n, 4);
	assert_string_equal(as.v[0].principals, "alice@example.com");
	assert_null(as.v[0].namespaces);
	assert_int_equal(as.v[0].line, 3);
	assert_string_equal(as.v[1].principals, "bob@example.com,carol@example.com");
	assert_string_equal(as.v[1].namespaces, "git,file");
	assert_true(as.v[1].valid_after > 0);
	assert_true(as.v[2].cert_authority);
	assert_int_equal(as.v[3].valid_before, 1893456000); /* 2030-01-01T00:00:00Z */
	assert_string_equal(as.v[3].namespaces, "git");
	pg_allowed_signers_release(&as);
}

static void test_errors_name_file_and_line(void **state)
{
	static const struct { const char *text, *want; } bad[] = {
		{ "alice@example.com\n", "signers:1" },
		{ "\n\nalice@example.com ssh-ed25519 !!!\n", "signers:3" },
		{ "alice@example.com bogus-option " KEY_A "\n", "signers:1: unknown option" },
		{ "alice@example.com valid-after=2020 " KEY_A "\n", "invalid time" },
		{ "alice@example.com namespaces=\"git " KEY_A "\n", "unterminated" },
		{ "\"alice@example.com " KEY_A "\n", "unterminated" },
		{ "a valid-after=20250101,valid-before=20240101 " KEY_A "\n", "valid-before is not after" },
		{ "a ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIF1D\n", "signers:1" },
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		struct pg_allowed_signers as;
		struct pg_error err = PG_ERROR_INIT;

		if (parse(&as, bad[i].text, &err) != PG_ECONFIG)
			fail_msg("case %zu: accepted", i);
		if (!strstr(err.msg, bad[i].want))
			fail_msg("case %zu: '%s' does not say '%s'", i, err.msg, bad[i].want);
		pg_allowed_signers_release(&as);
	}
}

static void test_times(void **state)
{
	assert_int_equal(pg_allowed_signers_parse_time("20300101Z"), 1893456000);
	assert_int_equal(pg_allowed_signers_parse_time("203001010130Z"), 1893456000 + 5400);
	assert_int_equal(pg_allowed_signers_parse_time("20300101013005Z"), 1893456000 + 5405);
	assert_true(pg_allowed_signers_parse_time("20300101") > 0); /* local time */
	assert_int_equal(pg_allowed_signers_parse_time("2030010"), -1);
	assert_int_equal(pg_allowed_signers_parse_time("20301301"), -1);
	assert_int_equal(pg_allowed_signers_parse_time("20300101ZZ"), -1);
	assert_int_equal(pg_allowed_signers_parse_time(""), -1);
}

static void test_pattern_lists(void **state)
{
	assert_int_equal(pg_ssh_match_list("alice@example.com", "alice@example.com"), 1);
	assert_int_equal(pg_ssh_match_list("alice@example.com", "bob@x,*@example.com"), 1);
	assert_int_equal(pg_ssh_match_list("alice@example.com", "*@example.com,!alice@*"), 0);
	assert_int_equal(pg_ssh_match_list("alice@example.com", "?lice@example.co?"), 1);
	assert_int_equal(pg_ssh_match_list("alice@example.com", "alice"), 0);
	assert_int_equal(pg_ssh_match_list("Alice@example.com", "alice@example.com"), 0);
	assert_int_equal(pg_ssh_match_list("git", "git,file"), 1);
	assert_int_equal(pg_ssh_match_list("git", "file"), 0);
}

static void test_find(void **state)
{
	struct pg_allowed_signers as;
	struct pg_error err = PG_ERROR_INIT;
	const struct pg_allowed_signer *m;
	struct pg_sshkey a, b;
	const char *text =
		"*@example.com cert-authority " KEY_B "\n"
		"files@example.com namespaces=\"file\" " KEY_B "\n"
		"alice@example.com,bob@example.com valid-after=\"20200101Z\",valid-before=\"20250101Z\" " KEY_A "\n";
	int64_t in = 1640995200 /* 2022 */, before = 1500000000 /* 2017 */, after = 1800000000 /* 2027 */;

	key(&a, KEY_A);
	key(&b, KEY_B);
	assert_int_equal(parse(&as, text, &err), 0);
	assert_int_equal(pg_allowed_signers_find(&as, &a, "git", in, NULL, &m), PG_AS_TRUSTED);
	assert_int_equal(m->line, 3);
	assert_int_equal(pg_allowed_signers_find(&as, &a, "git", in, "bob@example.com", &m), PG_AS_TRUSTED);
	assert_int_equal(pg_allowed_signers_find(&as, &a, "git", in, "eve@example.com", &m), PG_AS_PRINCIPAL);
	assert_int_equal(pg_allowed_signers_find(&as, &a, "git", before, NULL, &m), PG_AS_NOT_YET);
	assert_int_equal(pg_allowed_signers_find(&as, &a, "git", after, NULL, &m), PG_AS_EXPIRED);
	/* only listed for namespace file; the cert-authority line never matches a plain key */
	assert_int_equal(pg_allowed_signers_find(&as, &b, "git", in, NULL, &m), PG_AS_NAMESPACE);
	assert_int_equal(m->line, 2);
	assert_int_equal(pg_allowed_signers_find(&as, &b, "file", in, NULL, &m), PG_AS_TRUSTED);
	pg_allowed_signers_release(&as);
	assert_int_equal(parse(&as, "x " KEY_B "\n", &err), 0);
	assert_int_equal(pg_allowed_signers_find(&as, &a, "git", in, NULL, &m), PG_AS_NOT_LISTED);
	assert_null(m);
	pg_allowed_signers_release(&as);
	pg_sshkey_release(&a);
	pg_sshkey_release(&b);
}

static void test_load_missing_file(void **state)
{
	struct pg_allowed_signers as = PG_ALLOWED_SIGNERS_INIT;
	struct pg_error err = PG_ERROR_INIT;

	assert_int_equal(pg_allowed_signers_load(&as, "/nonexistent/allowed_signers", &err), PG_ECONFIG);
	assert_non_null(strstr(err.msg, "/nonexistent/allowed_signers"));
	pg_allowed_signers_release(&as);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_formats),
		cmocka_unit_test(test_errors_name_file_and_line),
		cmocka_unit_test(test_times),
		cmocka_unit_test(test_pattern_lists),
		cmocka_unit_test(test_find),
		cmocka_unit_test(test_load_missing_file),
	};

	return cmocka_run_group_tests_name("allowed_signers", tests, NULL, NULL);
}
