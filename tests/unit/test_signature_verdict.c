/* Unit tests for lib/signature_verdict.c: every fact a verifier can return
 * (struct pg_sig_facts) in the words the pusher reads, byte for byte, with
 * its letter; the key and signer move from the facts to the verdict. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "signature.h"

#define FPR "4F1D2C3B4A5968778695A4B3C2D1E0F0A1B2C3D4"
#define SIGNERS "/etc/pushguard/allowed_signers"

struct expect {
	enum pg_sig_fact fact;
	const char *key, *what, *why, *file, *email;
	size_t line;
	int64_t when;
	unsigned bits;
	char letter;
	const char *reason; /* NULL: none (G) */
};

static const struct expect cases[] = {
	{ PG_SIG_GOOD, FPR, NULL, NULL, NULL, NULL, 0, 0, 0, 'G', NULL },
	{ PG_SIG_UNSIGNED, NULL, NULL, NULL, NULL, NULL, 0, 0, 0, 'N', "the commit is not signed" },
	{ PG_SIG_SHA256_ONLY, NULL, NULL, NULL, NULL, NULL, 0, 0, 0, 'E',
	  "only a gpgsig-sha256 signature (over the SHA-256 form of the commit), which cannot be checked in this "
	  "SHA-1 repository" },
	{ PG_SIG_NO_OPENPGP_KEYS, NULL, NULL, NULL, NULL, NULL, 0, 0, 0, 'E',
	  "OpenPGP signature, but no OpenPGP keys are configured (pushguard.signatures.keyring or gnupgHome)" },
	{ PG_SIG_X509_UNSUPPORTED, NULL, NULL, NULL, NULL, NULL, 0, 0, 0, 'E',
	  "X.509 (gpgsm, gitsign) signatures are not supported; sign with an OpenPGP or SSH key" },
	{ PG_SIG_FORMAT_UNKNOWN, NULL, NULL, NULL, NULL, NULL, 0, 0, 0, 'E', "the signature is in an unknown format" },
	{ PG_SIG_PGP_UNPARSABLE, NULL, NULL, NULL, NULL, NULL, 0, 0, 0, 'B', "the OpenPGP signature cannot be parsed" },
	{ PG_SIG_PGP_KEY_UNKNOWN, "0123456789ABCDEF", NULL, NULL, NULL, NULL, 0, 0, 0, 'E',
	  "the signing key 0123456789ABCDEF is not in the trusted OpenPGP keys" },
	{ PG_SIG_PGP_KEY_UNKNOWN, NULL, NULL, NULL, NULL, NULL, 0, 0, 0, 'E',
	  "the signing key is not in the trusted OpenPGP keys" },
	{ PG_SIG_PGP_WEAK_HASH, FPR, "SHA1", NULL, NULL, NULL, 0, 0, 0, 'B',
	  "the signature uses SHA1, a hash algorithm considered insecure for signatures made at that date" },
	{ PG_SIG_PGP_REVOKED, FPR, NULL, NULL, NULL, NULL, 0, 0, 0, 'R', "the key " FPR " was revoked by its owner" },
	{ PG_SIG_PGP_REVOKED_LISTED, FPR, NULL, NULL, NULL, NULL, 0, 0, 0, 'R',
	  "the key " FPR " is listed in pushguard.signatures.revokedKeys" },
	{ PG_SIG_PGP_KEY_EXPIRED, FPR, NULL, NULL, NULL, NULL, 0, 1700000000, 0, 'Y',
	  "the key " FPR " expired on 2023-11-14 22:13:20 UTC, before the commit's date" },
	{ PG_SIG_PGP_SIG_EXPIRED, FPR, NULL, NULL, NULL, NULL, 0, 1700000000, 0, 'X',
	  "the signature expired on 2023-11-14 22:13:20 UTC, before the commit's date" },
	{ PG_SIG_PGP_EXPIRED_AT_DATE, FPR, NULL, NULL, NULL, NULL, 0, 0, 0, 'X',
	  "the signature had expired at the commit's date" },
	{ PG_SIG_PGP_WEAK_KEY, FPR, "RSA", NULL, NULL, NULL, 0, 0, 1024, 'B',
	  "the key " FPR " is RSA-1024: keys shorter than 2048 bits are refused as weak" },
	{ PG_SIG_PGP_NO_UID, FPR, NULL, NULL, NULL, "eve@example.org", 0, 0, 0, 'U',
	  "no user id of the key " FPR " has the committer's email <eve@example.org> "
	  "(pushguard.signatures.matchCommitter)" },
	{ PG_SIG_PGP_MISMATCH, FPR, NULL, NULL, NULL, NULL, 0, 0, 0, 'B',
	  "the signature does not match the signed data (altered after signing, or made over other content)" },
	{ PG_SIG_PGP_UNCHECKABLE, NULL, "Bad parameters", NULL, NULL, NULL, 0, 0, 0, 'E',
	  "the OpenPGP signature cannot be checked: Bad parameters" },
	{ PG_SIG_SSH_MALFORMED, NULL, "bad armor", NULL, NULL, NULL, 0, 0, 0, 'B', "malformed SSH signature: bad armor" },
	{ PG_SIG_SSH_KEY_UNSUPPORTED, "SHA256:abc", "sk-ssh-ed25519@openssh.com", "security keys are not supported",
	  NULL, NULL, 0, 0, 0, 'E', "sk-ssh-ed25519@openssh.com key: security keys are not supported" },
	{ PG_SIG_SSH_MISMATCH, "SHA256:abc", "the signature does not verify", NULL, NULL, NULL, 0, 0, 0, 'B',
	  "the signature does not verify" },
	{ PG_SIG_SSH_REVOKED_LISTED, "SHA256:abc", NULL, NULL, NULL, NULL, 0, 0, 0, 'R',
	  "the key is listed in pushguard.signatures.revokedKeys" },
	{ PG_SIG_SSH_NO_SIGNERS_FILE, "SHA256:abc", NULL, NULL, NULL, NULL, 0, 0, 0, 'U',
	  "SSH signature, but no allowed signers file is configured (pushguard.signatures.allowedSignersFile)" },
	{ PG_SIG_SSH_NOT_LISTED, "SHA256:abc", NULL, NULL, SIGNERS, NULL, 0, 0, 0, 'U',
	  "the key is not in the allowed signers file " SIGNERS },
	{ PG_SIG_SSH_NAMESPACE, "SHA256:abc", "file", NULL, SIGNERS, NULL, 3, 0, 0, 'U',
	  SIGNERS ":3 allows this key only for namespaces=\"file\", not \"git\"" },
	{ PG_SIG_SSH_NOT_YET, "SHA256:abc", NULL, NULL, SIGNERS, NULL, 4, 1700000000, 0, 'Y',
	  SIGNERS ":4 makes this key valid only after 2023-11-14 22:13:20 UTC (valid-after); the commit is dated "
	  "before" },
	{ PG_SIG_SSH_EXPIRED, "SHA256:abc", NULL, NULL, SIGNERS, NULL, 5, 1700000000, 0, 'Y',
	  SIGNERS ":5 made this key valid only until 2023-11-14 22:13:20 UTC (valid-before); the commit is dated "
	  "after" },
	{ PG_SIG_SSH_PRINCIPAL, "SHA256:abc", "alice@example.org", NULL, SIGNERS, "eve@example.org", 6, 0, 0, 'U',
	  "the committer's email <eve@example.org> is not a principal of this key (" SIGNERS
	  ":6 lists \"alice@example.org\"; pushguard.signatures.matchCommitter)" },
};

static char *dup_or_null(const char *s)
{
	char *d = s ? strdup(s) : NULL;

	assert_true(!s || d);
	return d;
}

static void test_every_fact_in_words(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		const struct expect *c = &cases[i];
		struct pg_sig_facts f = PG_SIG_FACTS_INIT;
		struct pg_sig_verdict v = PG_SIG_VERDICT_INIT;

		f.format = PG_SIG_OPENPGP;
		f.key = dup_or_null(c->key);
		f.signer = dup_or_null("A <a@example.org>");
		f.why = dup_or_null(c->why);
		f.file = dup_or_null(c->file);
		f.email = dup_or_null(c->email);
		f.line = c->line;
		f.when = c->when;
		f.bits = c->bits;
		assert_int_equal(pg_sig_facts_set(&f, c->fact, c->what), 0);
		assert_int_equal(pg_sig_verdict_explain(&v, &f), 0);
		assert_int_equal(v.letter, c->letter);
		if (c->reason)
			assert_string_equal(v.reason, c->reason);
		else
			assert_null(v.reason);
		/* key and signer moved to the verdict */
		assert_int_equal(v.format, PG_SIG_OPENPGP);
		if (c->key)
			assert_string_equal(v.key, c->key);
		else
			assert_null(v.key);
		assert_string_equal(v.signer, "A <a@example.org>");
		assert_null(f.key);
		assert_null(f.signer);
		pg_sig_facts_release(&f);
		pg_sig_verdict_release(&v);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_fact_in_words),
	};

	return cmocka_run_group_tests_name("signature_verdict", tests, NULL, NULL);
}
