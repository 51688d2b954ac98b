/* Unit tests for lib/openpgp.c: the trust set and every verdict of
 * pg_openpgp_verify (its facts put in words by pg_sig_verdict_explain), over
 * keys and signatures made at run time by the real gpg in a scratch GnuPG
 * home (no key material is kept in the tree).
 *
 * Keys: alice (trusted, ed25519, <alice@example.org>), mallory (never
 * trusted), old (trusted, made in 2020 with a one-day expiry, signing on
 * its first day), weak (trusted, RSA 1024). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "openpgp.h"

#define DATA "tree 4b825dc642cb6eb9a060e54bf8d69288fbee4904\nauthor A <alice@example.org> 1700000000 +0000\n\nsigned\n"
#define NOW 1700000000     /* 2023-11-14: alice's signature and the commit */
#define DAY1 1577840400    /* 2020-01-01 01:00 UTC: old's key is valid */
#define LATER 1609459200   /* 2021-01-01: old's key has expired */

static char home[64];
static char alice_fpr[64], old_fpr[64];

static void sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void sh(const char *fmt, ...)
{
	char cmd[2048];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(cmd) || system(cmd) != 0)
		fail_msg("command failed: %s", cmd);
}

static char *slurp(const char *name, size_t *len)
{
	char path[256];
	FILE *f;
	char *buf = NULL;
	long n;

	snprintf(path, sizeof(path), "%s/%s", home, name);
	if (!(f = fopen(path, "rb")))
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0 &&
	    (buf = malloc((size_t)n + 1)) && fread(buf, 1, (size_t)n, f) == (size_t)n) {
		buf[n] = '\0';
		*len = (size_t)n;
	} else {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	return buf;
}

/* The fingerprint of the key with this user id, upper-case hex. */
static void fingerprint(const char *uid, char out[64])
{
	char cmd[512];
	FILE *p;

	snprintf(cmd, sizeof(cmd),
		 "GNUPGHOME=%s gpg --batch --with-colons --fingerprint '%s' 2>/dev/null | awk -F: '/^fpr/ {print $10; exit}'",
		 home, uid);
	out[0] = '\0';
	if ((p = popen(cmd, "r"))) {
		if (!fgets(out, 64, p))
			out[0] = '\0';
		pclose(p);
	}
	out[strcspn(out, "\n")] = '\0';
}

#define GPG "GNUPGHOME=%s gpg --batch --quiet --pinentry-mode loopback --passphrase '' "

static int group_setup(void **state)
{
	(void)state;
	snprintf(home, sizeof(home), "/tmp/pg-unit-openpgp.XXXXXX");
	if (!mkdtemp(home))
		return -1;
	chmod(home, 0700);
	sh("printf '%%s' '" DATA "' >%s/data", home);
	sh(GPG "--quick-gen-key 'Alice <alice@example.org>' ed25519 sign 0", home);
	sh(GPG "--quick-gen-key 'Mallory <mallory@example.org>' ed25519 sign 0", home);
	sh(GPG "--faked-system-time 20200101T000000 --quick-gen-key 'Old <old@example.org>' ed25519 sign 1d 2>/dev/null",
	   home);
	sh(GPG "--quick-gen-key 'Weak <weak@example.org>' rsa1024 sign 0 2>/dev/null", home);
	sh(GPG "--armor --export alice@example.org old@example.org weak@example.org >%s/trusted.asc", home, home);
	sh(GPG "--armor --export mallory@example.org >%s/mallory.asc", home, home);
	sh(GPG "--armor --local-user alice@example.org --detach-sign -o %s/alice.sig %s/data", home, home, home);
	sh(GPG "--armor --local-user mallory@example.org --detach-sign -o %s/mallory.sig %s/data", home, home,
	   home);
	sh(GPG "--faked-system-time 20200101T010000 --armor --local-user old@example.org --detach-sign "
	   "-o %s/old.sig %s/data 2>/dev/null", home, home, home);
	sh(GPG "--armor --local-user weak@example.org --detach-sign -o %s/weak.sig %s/data", home, home, home);
	sh("printf 'not a key\\n' >%s/junk.asc", home);
	fingerprint("alice@example.org", alice_fpr);
	fingerprint("old@example.org", old_fpr);
	return alice_fpr[0] && old_fpr[0] ? 0 : -1;
}

static int group_teardown(void **state)
{
	(void)state;
	sh("gpgconf --homedir %s --kill all >/dev/null 2>&1; rm -rf %s", home, home);
	return 0;
}

/* A trust set of trusted.asc (alice, old, weak). */
static struct pg_openpgp *trusted(void)
{
	struct pg_openpgp *k = NULL;
	struct pg_error err = PG_ERROR_INIT;
	char path[256];

	snprintf(path, sizeof(path), "%s/trusted.asc", home);
	assert_int_equal(pg_openpgp_new(&k, &err), 0);
	assert_int_equal(pg_openpgp_load_file(k, path, "test keyring", &err), 0);
	assert_int_equal(pg_openpgp_count(k), 3);
	return k;
}

/* pg_openpgp_verify's facts, put in the words the pusher reads
 * (pg_sig_verdict_explain, signature_verdict.c), into v. */
static int pgp_verdict(struct pg_openpgp *k, const void *data, size_t len, const void *sig, size_t siglen,
		       int64_t when, const char *email, const struct pg_strvec *revoked, struct pg_sig_verdict *v,
		       struct pg_error *err)
{
	struct pg_sig_facts f = PG_SIG_FACTS_INIT;
	int rc = pg_openpgp_verify(k, data, len, sig, siglen, when, email, revoked, &f, err);

	if (rc == 0)
		assert_int_equal(pg_sig_verdict_explain(v, &f), 0);
	pg_sig_facts_release(&f);
	return rc;
}

/* Verifies DATA against the signature file sig at `when`; the verdict's letter. */
static char verify(struct pg_openpgp *k, const char *sig, int64_t when, const char *email,
		   const struct pg_strvec *revoked, struct pg_sig_verdict *v)
{
	struct pg_error err = PG_ERROR_INIT;
	size_t dlen = 0, slen = 0;
	char *data = slurp("data", &dlen), *s = slurp(sig, &slen);

	assert_non_null(data);
	assert_non_null(s);
	assert_int_equal(pgp_verdict(k, data, dlen, s, slen, when, email, revoked, v, &err), 0);
	free(data);
	free(s);
	return v->letter;
}

static void good_signature_names_key_and_signer(void **state)
{
	struct pg_openpgp *k = trusted();
	struct pg_sig_verdict v = PG_SIG_VERDICT_INIT;

	(void)state;
	assert_int_equal(verify(k, "alice.sig", NOW, "alice@example.org", NULL, &v), 'G');
	assert_null(v.reason);
	assert_non_null(v.key);
	assert_string_equal(v.key, alice_fpr);
	assert_non_null(strstr(v.signer, "alice@example.org"));
	pg_sig_verdict_release(&v);
	pg_openpgp_free(k);
}

static void tampered_data_is_bad(void **state)
{
	struct pg_openpgp *k = trusted();
	struct pg_sig_verdict v = PG_SIG_VERDICT_INIT;
	struct pg_error err = PG_ERROR_INIT;
	size_t slen = 0;
	char *s = slurp("alice.sig", &slen);
	static const char other[] = DATA "one more line\n";

	(void)state;
	assert_int_equal(pgp_verdict(k, other, strlen(other), s, slen, NOW, NULL, NULL, &v, &err), 0);
	assert_int_equal(v.letter, 'B');
	assert_non_null(strstr(v.reason, "does not match"));
	free(s);
	pg_sig_verdict_release(&v);
	pg_openpgp_free(k);
}

static void key_not_trusted_is_named(void **state)
{
	struct pg_openpgp *k = trusted();
	struct pg_sig_verdict v = PG_SIG_VERDICT_INIT;

	(void)state;
	assert_int_equal(verify(k, "mallory.sig", NOW, NULL, NULL, &v), 'E');
	assert_non_null(strstr(v.reason, "not in the trusted OpenPGP keys"));
	pg_sig_verdict_release(&v);
	pg_openpgp_free(k);
}

static void email_must_be_a_user_id(void **state)
{
	struct pg_openpgp *k = trusted();
	struct pg_sig_verdict v = PG_SIG_VERDICT_INIT;

	(void)state;
	assert_int_equal(verify(k, "alice.sig", NOW, "eve@example.org", NULL, &v), 'U');
	assert_non_null(strstr(v.reason, "eve@example.org"));
	pg_sig_verdict_release(&v);
	pg_openpgp_free(k);
}

static void revoked_by_the_admin(void **state)
{
	struct pg_openpgp *k = trusted();
	struct pg_sig_verdict v = PG_SIG_VERDICT_INIT;
	struct pg_strvec revoked = PG_STRVEC_INIT;

	(void)state;
	assert_int_equal(pg_strvec_push(&revoked, alice_fpr), 0);
	assert_int_equal(verify(k, "alice.sig", NOW, NULL, &revoked, &v), 'R');
	assert_non_null(strstr(v.reason, "revokedKeys"));
	pg_sig_verdict_release(&v);
	pg_strvec_release(&revoked);
	pg_openpgp_free(k);
}

static void key_expiry_is_judged_at_the_commit_date(void **state)
{
	struct pg_openpgp *k = trusted();
	struct pg_sig_verdict v = PG_SIG_VERDICT_INIT;

	(void)state;
	assert_int_equal(verify(k, "old.sig", DAY1, NULL, NULL, &v), 'G');
	assert_string_equal(v.key, old_fpr);
	pg_sig_verdict_release(&v);
	v = (struct pg_sig_verdict)PG_SIG_VERDICT_INIT;
	assert_int_equal(verify(k, "old.sig", LATER, NULL, NULL, &v), 'Y');
	assert_non_null(strstr(v.reason, "expired"));
	pg_sig_verdict_release(&v);
	pg_openpgp_free(k);
}

static void short_rsa_keys_are_weak(void **state)
{
	struct pg_openpgp *k = trusted();
	struct pg_sig_verdict v = PG_SIG_VERDICT_INIT;

	(void)state;
	assert_int_equal(verify(k, "weak.sig", NOW, NULL, NULL, &v), 'B');
	assert_non_null(strstr(v.reason, "1024"));
	pg_sig_verdict_release(&v);
	pg_openpgp_free(k);
}

static void garbage_signature_is_bad_not_an_error(void **state)
{
	struct pg_openpgp *k = trusted();
	struct pg_sig_verdict v = PG_SIG_VERDICT_INIT;
	struct pg_error err = PG_ERROR_INIT;
	static const char sig[] = "-----BEGIN PGP SIGNATURE-----\n\nnot base64 at all\n-----END PGP SIGNATURE-----\n";

	(void)state;
	assert_int_equal(pgp_verdict(k, DATA, strlen(DATA), sig, strlen(sig), NOW, NULL, NULL, &v, &err), 0);
	assert_true(v.letter == 'B' || v.letter == 'E');
	assert_non_null(v.reason);
	pg_sig_verdict_release(&v);
	pg_openpgp_free(k);
}

static void bad_keys_files_name_the_setting(void **state)
{
	struct pg_openpgp *k = NULL;
	struct pg_error err = PG_ERROR_INIT;
	char path[256];

	(void)state;
	assert_int_equal(pg_openpgp_new(&k, &err), 0);
	snprintf(path, sizeof(path), "%s/missing.asc", home);
	assert_int_equal(pg_openpgp_load_file(k, path, "pushguard.signatures.keyring in /etc/x", &err),
			 PG_ECONFIG);
	assert_non_null(strstr(err.msg, "pushguard.signatures.keyring in /etc/x"));
	snprintf(path, sizeof(path), "%s/junk.asc", home);
	assert_int_equal(pg_openpgp_load_file(k, path, "pushguard.signatures.keyring", &err), PG_ECONFIG);
	assert_non_null(strstr(err.msg, "junk.asc"));
	assert_int_equal(pg_openpgp_count(k), 0);
	pg_openpgp_free(k);
}

static void gnupg_home_is_a_trust_set(void **state)
{
	struct pg_openpgp *k = NULL;
	struct pg_error err = PG_ERROR_INIT;
	struct pg_sig_verdict v = PG_SIG_VERDICT_INIT;

	(void)state;
	assert_int_equal(pg_openpgp_new(&k, &err), 0);
	assert_int_equal(pg_openpgp_load_home(k, home, "pushguard.signatures.gpgHome", &err), 0);
	assert_int_equal(pg_openpgp_count(k), 4);
	/* the home holds mallory too: every key of it is trusted */
	assert_int_equal(verify(k, "mallory.sig", NOW, "mallory@example.org", NULL, &v), 'G');
	pg_sig_verdict_release(&v);
	pg_openpgp_free(k);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(good_signature_names_key_and_signer),
		cmocka_unit_test(tampered_data_is_bad),
		cmocka_unit_test(key_not_trusted_is_named),
		cmocka_unit_test(email_must_be_a_user_id),
		cmocka_unit_test(revoked_by_the_admin),
		cmocka_unit_test(key_expiry_is_judged_at_the_commit_date),
		cmocka_unit_test(short_rsa_keys_are_weak),
		cmocka_unit_test(garbage_signature_is_bad_not_an_error),
		cmocka_unit_test(bad_keys_files_name_the_setting),
		cmocka_unit_test(gnupg_home_is_a_trust_set),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
