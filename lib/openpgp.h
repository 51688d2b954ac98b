/* OpenPGP signature verification with librnp, in-process.
 *
 * One struct pg_openpgp holds every public key the admin trusts (an armored
 * or binary keys file, and/or the public keyring of a GnuPG home: pubring.kbx
 * or pubring.gpg), loaded once per push. rnp's diagnostics go to /dev/null so
 * nothing of them reaches the pusher.
 *
 * Policy (documented in docs/signatures.md): a key in the trust set is trusted (no web
 * of trust). Key expiry, signature expiry and key revocation are evaluated at
 * the given time (the commit's). Weak algorithms follow rnp's security profile
 * (MD5 refused; SHA-1 data signatures made after 2019-01-19 refused), and
 * RSA/DSA/ElGamal keys shorter than PG_OPENPGP_MIN_KEY_BITS are refused too.
 *
 * A verification returns facts (struct pg_sig_facts, signature.h), not
 * words: signature_verdict.c writes the verdict. */
#ifndef PG_OPENPGP_H
#define PG_OPENPGP_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "signature.h"
#include "strvec.h"

struct pg_openpgp;

#define PG_OPENPGP_MIN_KEY_BITS 2048

/* Creates an empty trust set. Caller frees with pg_openpgp_free. */
int pg_openpgp_new(struct pg_openpgp **out, struct pg_error *err);
void pg_openpgp_free(struct pg_openpgp *k);

/* Adds the public keys of a keys file (armored or binary). what: how to name
 * the setting in errors ("pushguard.signatures.keyring in /etc/..."). A file
 * that cannot be read or holds no key is PG_ECONFIG naming it. */
int pg_openpgp_load_file(struct pg_openpgp *k, const char *path, const char *what,
			 struct pg_error *err);
/* The same for keys held in memory (a policy ref's keyring.asc), named `name`. */
int pg_openpgp_load_buffer(struct pg_openpgp *k, const void *data, size_t len, const char *name,
			   struct pg_error *err);
/* Adds the public keyring of a GnuPG home directory. */
int pg_openpgp_load_home(struct pg_openpgp *k, const char *home, const char *what,
			 struct pg_error *err);
size_t pg_openpgp_count(const struct pg_openpgp *k);

/* Verifies a detached signature over data, at time `when`. email: NULL, or
 * the address one of the key's user ids must carry. revoked: fingerprints
 * the admin revoked (upper-case hex). Fills out (a fresh PG_SIG_FACTS_INIT)
 * with what it found: the fact (PG_SIG_GOOD or a PG_SIG_PGP_* one), the key,
 * the signer and what the fact names; returns 0, or negative on internal
 * failure. Release out in every case. */
int pg_openpgp_verify(struct pg_openpgp *k, const void *data, size_t len, const void *sig,
		      size_t siglen, int64_t when, const char *email,
		      const struct pg_strvec *revoked, struct pg_sig_facts *out,
		      struct pg_error *err);

#endif
