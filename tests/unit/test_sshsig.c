/* Unit tests for lib/sshsig.c: the SSHSIG armor and blob, SSH public keys,
 * and verification. The vectors were made with ssh-keygen -Y sign (OpenSSH
 * 9.2) over MSG: public keys and signatures only, nothing secret. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base64.h"
#include "sshsig.h"

static const char MSG[] = "hello pushguard\n";

static const char PUB_ED25519[] =
	"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIF1D0x2bZP2c1TUygZGQDCcmPs/DUgT1vUZojTw+pWyf vec-ed25519";

static const char SIG_ED25519[] =
	"-----BEGIN SSH SIGNATURE-----\n"
	"U1NIU0lHAAAAAQAAADMAAAALc3NoLWVkMjU1MTkAAAAgXUPTHZtk/ZzVNTKBkZAMJyY+z8\n"
	"NSBPW9RmiNPD6lbJ8AAAADZ2l0AAAAAAAAAAZzaGE1MTIAAABTAAAAC3NzaC1lZDI1NTE5\n"
	"AAAAQLkEvA6e5DKzVmB/bj8E1e4OvbsKFs42CBZ2h1niOy8NZQWwsxVXpf3fv74zoRL03P\n"
	"6Q8TwadVXfCJZ+KxKeaQU=\n"
	"-----END SSH SIGNATURE-----\n";

static const char PUB_RSA[] =
	"ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABgQCuqUgOdNP9mHTBG+VKPudSXaCmSOpPquANDk5/K/PwmDzlCcctOzgoz2wuQNY//NVjPDavyxe6JOFdEkGRJRxxSy7z41Vfb7smnRWeHlouHm10frPegGP2wCf2Og+tGEqcbp/T5Bx8XFRhrbioD1Vz8zpbqHrzXdx/JscDc/uu+uIypzPO/dcOPh//PLA8p8i0GmP1FDxcg+RDdg0bkIL1y54ZytIvOnTFGUX5MFGt6GB4gnkpC3OrHXzwIEP0U4jLqTygJoPlgPstF8EDtjbwwtmJn8t2wcGmS5AmP9B6VKbzuIxQtesUWPygLeaF+MbH+r9T2nJnM40xAjmOo+wCL2s15DPj6/aq1ZYDLJWjhGl8nZhFb+OoYSdKmt6ZWIWAKsmYHzL6sOtSiUOZ04KDDfA2V5RX+1RH6OD6QESsrzquP4pV4TQGvbgNtAZtoMX92dvXvrStiA7ktQinOgLwGkvNSExrR2BniFnt51Q46/+6sKqcgMwbwJD0qqhVuLM= vec-rsa";

static const char SIG_RSA[] =
	"-----BEGIN SSH SIGNATURE-----\n"
	"U1NIU0lHAAAAAQAAAZcAAAAHc3NoLXJzYQAAAAMBAAEAAAGBAK6pSA500/2YdMEb5Uo+51\n"
	"JdoKZI6k+q4A0OTn8r8/CYPOUJxy07OCjPbC5A1j/81WM8Nq/LF7ok4V0SQZElHHFLLvPj\n"
	"VV9vuyadFZ4eWi4ebXR+s96AY/bAJ/Y6D60YSpxun9PkHHxcVGGtuKgPVXPzOluoevNd3H\n"
	"8mxwNz+6764jKnM8791w4+H/88sDynyLQaY/UUPFyD5EN2DRuQgvXLnhnK0i86dMUZRfkw\n"
	"Ua3oYHiCeSkLc6sdfPAgQ/RTiMupPKAmg+WA+y0XwQO2NvDC2Ymfy3bBwaZLkCY/0HpUpv\n"
	"O4jFC16xRY/KAt5oX4xsf6v1PacmczjTECOY6j7AIvazXkM+Pr9qrVlgMslaOEaXydmEVv\n"
	"46hhJ0qa3plYhYAqyZgfMvqw61KJQ5nTgoMN8DZXlFf7VEfo4PpARKyvOq4/ilXhNAa9uA\n"
	"20Bm2gxf3Z29e+tK2IDuS1CKc6AvAaS81ITGtHYGeIWe3nVDjr/7qwqpyAzBvAkPSqqFW4\n"
	"swAAAANnaXQAAAAAAAAABnNoYTUxMgAAAZQAAAAMcnNhLXNoYTItNTEyAAABgK11TCKnmQ\n"
	"XVbamxtcO52LfC41gvjDaVQUwpzTY/TXK9K1LyGaiPuBhFST1wGKbE992BWWf5l0i96yuQ\n"
	"GY4JkUXjER4rSOC4phDe1MTOj+BoPZnmmoNgqXuCVyYkJQNq9NJEYTK72xgu2lzEGxDZgZ\n"
	"YhMOaOlBk1VHUTaL+oaeNC6shBl2v6drCfd3nXuIy+94/soQJ35ZjiSO51VA9qWaTCz7s7\n"
	"+Rh0/ABLxe4LmpnfCwsUS2JTOi5kXVdopAPl5LadOfd/R3pKiW2eOoURx0+J984RLJD1eg\n"
	"oBRu0Qx+6HSf7+tDYFpbSFtU7b9r6nbWS2o7/OxwimJfoADv0xfn61BnCQmDlZuqFWjqZe\n"
	"/mTyQM8WwdKBJuhq5D/fB9std7aXWuFLQDAPsRNYI7Vau7a3ynn3UD0w9NaZh1rqPrC1qL\n"
	"w9C6hQAkkTXmUKF21sDJmO/BYtYKKSC7Jv9ENWhlqhhwC82ec1mdyAbTGyKjGuARuYXlvv\n"
	"UZtESHkJA0qB7g==\n"
	"-----END SSH SIGNATURE-----\n";

static const char PUB_ECDSA[] =
	"ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBFD2PCMp3PAgggZFiXOoYTAQf8upew+gOBJwktxylDtWiyPY/+Lx2opvUj1SA7sbQktG48sEguTi99abqBYHr78= vec-ecdsa";

static const char SIG_ECDSA[] =
	"-----BEGIN SSH SIGNATURE-----\n"
	"U1NIU0lHAAAAAQAAAGgAAAATZWNkc2Etc2hhMi1uaXN0cDI1NgAAAAhuaXN0cDI1NgAAAE\n"
	"EEUPY8Iync8CCCBkWJc6hhMBB/y6l7D6A4EnCS3HKUO1aLI9j/4vHaim9SPVIDuxtCS0bj\n"
	"ywSC5OL31puoFgevvwAAAANnaXQAAAAAAAAABnNoYTUxMgAAAGQAAAATZWNkc2Etc2hhMi\n"
	"1uaXN0cDI1NgAAAEkAAAAgXvGMpc+ChRfkWDdcDxEwoMEBn5aPCX3KJnX+p/g3zakAAAAh\n"
	"AKOJAmGoCZ4XrkrwcndHj4/7ktDc/VHOi6rbT/WPpu7+\n"
	"-----END SSH SIGNATURE-----\n";

static const char SIG_FILE_NS[] =
	"-----BEGIN SSH SIGNATURE-----\n"
	"U1NIU0lHAAAAAQAAADMAAAALc3NoLWVkMjU1MTkAAAAgXUPTHZtk/ZzVNTKBkZAMJyY+z8\n"
	"NSBPW9RmiNPD6lbJ8AAAAEZmlsZQAAAAAAAAAGc2hhNTEyAAAAUwAAAAtzc2gtZWQyNTUx\n"
	"OQAAAEDsGgybooq+EFIZOcWb5mU0ZZCbozgPEAzcnwTVHnc0irEBgTdgewAoW7MP4xzxtk\n"
	"JvnJvq02He/mdYsT7EpGkC\n"
	"-----END SSH SIGNATURE-----\n";


static void verify_ok(const char *pub, const char *armor, const char *fingerprint)
{
	struct pg_sshsig sig;
	struct pg_sshkey key;
	struct pg_error err = PG_ERROR_INIT;
	char *fp;

	assert_int_equal(pg_sshsig_parse(&sig, armor, strlen(armor), &err), 0);
	assert_true(sig.key.supported);
	assert_string_equal(sig.namespace, "git");
	assert_int_equal(pg_sshsig_verify(&sig, MSG, strlen(MSG), "git", &err), 1);
	assert_int_equal(pg_sshkey_from_text(&key, pub, NULL, &err), 0);
	assert_true(pg_sshkey_equal(&key, &sig.key));
	fp = pg_sshkey_fingerprint(&key);
	assert_non_null(fp);
	assert_string_equal(fp, fingerprint);
	free(fp);
	/* one changed byte of the message */
	assert_int_equal(pg_sshsig_verify(&sig, "hello pushguarD\n", strlen(MSG), "git", &err), 0);
	assert_non_null(strstr(err.msg, "does not match"));
	/* another namespace */
	assert_int_equal(pg_sshsig_verify(&sig, MSG, strlen(MSG), "file", &err), 0);
	assert_non_null(strstr(err.msg, "namespace"));
	pg_sshkey_release(&key);
	pg_sshsig_release(&sig);
}

static void test_ed25519(void **state)
{
	verify_ok(PUB_ED25519, SIG_ED25519, "SHA256:VY3iFcHUilhlpPWJdGDePwpOqA0xDsOjOxWKGj0BRm4");
}

static void test_rsa(void **state)
{
	verify_ok(PUB_RSA, SIG_RSA, "SHA256:EJpgbFN3U2xm0YG+ONcaB5hH04I+5y3Tbj6Xy/nlgI8");
}

static void test_ecdsa(void **state)
{
	verify_ok(PUB_ECDSA, SIG_ECDSA, "SHA256:VhNX9hG7jKKSV5naU8NLmY35TilYNSrTS1iMv1RFlEI");
}

static void test_signed_in_other_namespace(void **state)
{
	struct pg_sshsig sig;
	struct pg_error err = PG_ERROR_INIT;

	assert_int_equal(pg_sshsig_parse(&sig, SIG_FILE_NS, strlen(SIG_FILE_NS), &err), 0);
	assert_string_equal(sig.namespace, "file");
	assert_int_equal(pg_sshsig_verify(&sig, MSG, strlen(MSG), "git", &err), 0);
	assert_int_equal(pg_sshsig_verify(&sig, MSG, strlen(MSG), "file", &err), 1);
	pg_sshsig_release(&sig);
}

/* A signature with one base64 character of its signature bytes changed. */
static void test_flipped_signature_bit(void **state)
{
	struct pg_sshsig sig;
	struct pg_error err = PG_ERROR_INIT;
	char *s = strdup(SIG_ED25519);
	char *end = strstr(s, "-----END");

	assert_non_null(end);
	/* the last base64 characters before the END line belong to the signature */
	end[-4] = end[-4] == 'A' ? 'B' : 'A';
	assert_int_equal(pg_sshsig_parse(&sig, s, strlen(s), &err), 0);
	assert_int_equal(pg_sshsig_verify(&sig, MSG, strlen(MSG), "git", &err), 0);
	pg_sshsig_release(&sig);
	free(s);
}

static void test_malformed_armor(void **state)
{
	static const char *const bad[] = {
		"",
		"-----BEGIN PGP SIGNATURE-----\nAAAA\n-----END PGP SIGNATURE-----\n",
		"-----BEGIN SSH SIGNATURE-----\nU1NIU0lH\n",                          /* no END */
		"-----BEGIN SSH SIGNATURE-----\n!!!!\n-----END SSH SIGNATURE-----\n", /* not base64 */
		"-----BEGIN SSH SIGNATURE-----\nU1NIU0lI\n-----END SSH SIGNATURE-----\n", /* SSHSIH */
		"-----BEGIN SSH SIGNATURE-----\nU1NIU0lHAAAAAg==\n-----END SSH SIGNATURE-----\n", /* v2 */
		"-----BEGIN SSH SIGNATURE-----\nU1NIU0lHAAAAAQAAADM=\n-----END SSH SIGNATURE-----\n", /* short */
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		struct pg_sshsig sig;
		struct pg_error err = PG_ERROR_INIT;

		if (pg_sshsig_parse(&sig, bad[i], strlen(bad[i]), &err) != PG_EINPUT)
			fail_msg("case %zu parsed", i);
		pg_sshsig_release(&sig);
	}
}

/* Every truncation of a valid signature blob is refused, never read past. */
static void test_every_truncation(void **state)
{
	const char *b = strstr(SIG_ED25519, "\n") + 1, *e = strstr(SIG_ED25519, "-----END");
	unsigned char *blob;
	size_t len;

	assert_int_equal(pg_base64_decode(&blob, &len, b, (size_t)(e - b)), 0);
	/* the public key blob (51 bytes) starts at offset 14: magic 6, version 4, length 4 */
	for (size_t n = 0; n < 51; n++) {
		struct pg_sshkey key;
		struct pg_error err = PG_ERROR_INIT;

		if (pg_sshkey_from_blob(&key, blob + 14, n, &err) != PG_EINPUT)
			fail_msg("a key blob cut to %zu bytes parsed", n);
		pg_sshkey_release(&key);
	}
	{
		struct pg_sshkey key;
		struct pg_error err = PG_ERROR_INIT;

		assert_int_equal(pg_sshkey_from_blob(&key, blob + 14, 51, &err), 0);
		assert_true(key.supported);
		pg_sshkey_release(&key);
	}
	free(blob);
}

static void test_key_text(void **state)
{
	struct pg_sshkey key;
	struct pg_error err = PG_ERROR_INIT;
	const char *end;
	char *mismatch = strdup(PUB_ED25519);

	assert_int_equal(pg_sshkey_from_text(&key, "  ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIF1D0x2bZP2c1TUygZGQDCcmPs/DUgT1vUZojTw+pWyf  comment", &end, &err), 0);
	assert_string_equal(key.type, "ssh-ed25519");
	assert_string_equal(end, "  comment");
	pg_sshkey_release(&key);
	memcpy(mismatch, "ssh-rsa    ", 11); /* type word does not match the blob */
	assert_int_equal(pg_sshkey_from_text(&key, mismatch, NULL, &err), PG_EINPUT);
	assert_int_equal(pg_sshkey_from_text(&key, "ssh-ed25519", NULL, &err), PG_EINPUT);
	assert_int_equal(pg_sshkey_from_text(&key, "ssh-ed25519 ***", NULL, &err), PG_EINPUT);
	free(mismatch);
}

static void test_unsupported_types_are_not_errors(void **state)
{
	/* string "ssh-ed25519-cert-v01@openssh.com" + junk: recognised, unsupported */
	static const unsigned char cert[] = "\0\0\0\x20ssh-ed25519-cert-v01@openssh.com\0\0\0\0";
	static const unsigned char sk[] = "\0\0\0\x1ask-ssh-ed25519@openssh.com";
	struct pg_sshkey key;
	struct pg_error err = PG_ERROR_INIT;

	assert_int_equal(pg_sshkey_from_blob(&key, cert, sizeof(cert) - 1, &err), 0);
	assert_false(key.supported);
	assert_non_null(strstr(key.why, "certificates"));
	pg_sshkey_release(&key);
	assert_int_equal(pg_sshkey_from_blob(&key, sk, sizeof(sk) - 1, &err), 0);
	assert_false(key.supported);
	assert_non_null(strstr(key.why, "security-key"));
	pg_sshkey_release(&key);
}

static void test_base64(void **state)
{
	unsigned char *out;
	size_t n;

	assert_int_equal(pg_base64_decode(&out, &n, "aGVs\nbG8=", 9), 0);
	assert_int_equal(n, 5);
	assert_memory_equal(out, "hello", 5);
	free(out);
	assert_int_equal(pg_base64_decode(&out, &n, "aGVsbG8", 7), 0); /* padding optional */
	assert_int_equal(n, 5);
	free(out);
	assert_int_equal(pg_base64_decode(&out, &n, "aGVsbG8=x", 9), -1);
	assert_int_equal(pg_base64_decode(&out, &n, "a", 1), -1);
	assert_int_equal(pg_base64_decode(&out, &n, "a$==", 4), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ed25519),
		cmocka_unit_test(test_rsa),
		cmocka_unit_test(test_ecdsa),
		cmocka_unit_test(test_signed_in_other_namespace),
		cmocka_unit_test(test_flipped_signature_bit),
		cmocka_unit_test(test_malformed_armor),
		cmocka_unit_test(test_every_truncation),
		cmocka_unit_test(test_key_text),
		cmocka_unit_test(test_unsupported_types_are_not_errors),
		cmocka_unit_test(test_base64),
	};

	return cmocka_run_group_tests_name("sshsig", tests, NULL, NULL);
}
