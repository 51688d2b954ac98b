/* SSH signatures (git's gpg.format = ssh): the SSHSIG armor and blob of
 * openssh's PROTOCOL.sshsig, SSH public keys, and verification with OpenSSL.
 *
 * Supported keys: ssh-ed25519, ssh-rsa (2048 bits or more, signatures
 * rsa-sha2-256/512 only, never SHA-1), ecdsa-sha2-nistp256/384/521. Security
 * keys (sk-*) and certificates (*-cert-v01@openssh.com) are recognised and
 * reported as unsupported. */
#ifndef PG_SSHSIG_H
#define PG_SSHSIG_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"

struct pg_sshkey {
	char *type;            /* "ssh-ed25519", "ssh-rsa", "ecdsa-sha2-nistp256", ... */
	unsigned char *blob;   /* the public key blob, exactly as on the wire */
	size_t bloblen;
	void *pkey;            /* EVP_PKEY *, NULL for unsupported types */
	bool supported;
	const char *why;       /* static: why the key is unsupported, or NULL */
};

#define PG_SSHKEY_INIT { NULL, NULL, 0, NULL, false, NULL }

struct pg_sshsig {
	struct pg_sshkey key;
	char *namespace;
	char *hash_alg;        /* "sha256" or "sha512" */
	unsigned char *sig;    /* the signature blob: string type, string bytes */
	size_t siglen;
	unsigned char *reserved;
	size_t reservedlen;
};

#define PG_SSHSIG_INIT { PG_SSHKEY_INIT, NULL, NULL, NULL, 0, NULL, 0 }

/* Parses a public key blob. An unknown or unsupported key type is not an
 * error: key->supported is false and key->why says why. Returns 0, or
 * PG_EINPUT when the blob is malformed. Release with pg_sshkey_release. */
int pg_sshkey_from_blob(struct pg_sshkey *key, const void *blob, size_t len, struct pg_error *err);
/* Parses "keytype base64 [comment]" (the tail of an authorized_keys line).
 * *end, when not NULL, is set past the base64 field. */
int pg_sshkey_from_text(struct pg_sshkey *key, const char *text, const char **end,
			struct pg_error *err);
void pg_sshkey_release(struct pg_sshkey *key);
/* True when both are the same public key (blobs compared byte for byte). */
bool pg_sshkey_equal(const struct pg_sshkey *a, const struct pg_sshkey *b);
/* "SHA256:<base64>" as ssh-keygen -l prints it; caller frees. NULL on OOM. */
char *pg_sshkey_fingerprint(const struct pg_sshkey *key);

/* Parses an armored SSH signature (-----BEGIN SSH SIGNATURE----- ...).
 * Returns 0 or PG_EINPUT (malformed; err says what). Release in every case. */
int pg_sshsig_parse(struct pg_sshsig *sig, const char *armor, size_t len, struct pg_error *err);
void pg_sshsig_release(struct pg_sshsig *sig);

/* Verifies sig over msg, made in namespace ns. Returns 1 when the signature
 * is cryptographically good, 0 when bad (err->msg says why: wrong namespace,
 * unsupported algorithm, mismatch), negative on internal failure. */
int pg_sshsig_verify(const struct pg_sshsig *sig, const void *msg, size_t len, const char *ns,
		     struct pg_error *err);

#endif
