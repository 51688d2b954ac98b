/* Binary key containers recognised by their structure, whatever the file is
 * called: PKCS#12/PFX, Java JKS and JCEKS key stores, DER-encoded private
 * keys (PKCS#1, PKCS#8, SEC1, encrypted PKCS#8) and OpenPGP secret keys.
 * Text formats (PEM, OpenSSH, PuTTY, armored OpenPGP) are the rule pack's.
 *
 * A container that holds only certificates or public keys (a trust store,
 * a public keyring) is not key material and is reported as none. */
#ifndef PG_KEYFILE_H
#define PG_KEYFILE_H

#include <stddef.h>

#include "error.h"

enum pg_keyfile_kind {
	PG_KEYFILE_NONE = 0,
	PG_KEYFILE_PKCS12,        /* a key bag is in sight */
	PG_KEYFILE_PKCS12_SEALED, /* contents encrypted with a password we do not have (low confidence) */
	PG_KEYFILE_JKS,           /* holds a private key entry */
	PG_KEYFILE_JCEKS,         /* holds a private or secret key entry */
	PG_KEYFILE_DER,           /* a DER private key, plain or encrypted */
	PG_KEYFILE_OPENPGP,       /* an OpenPGP secret key packet */
};

/* Larger blobs are not looked at: key stores are a few kilobytes. */
#define PG_KEYFILE_MAX_SIZE ((size_t)1 << 20)

/* What data[0..len) holds, in *kind; PG_KEYFILE_NONE for anything else,
 * truncated or malformed input included. Safe on any bytes, from any thread.
 * Fails (PG_ERR) only when data looks like DER and libcrypto, which reads it,
 * cannot be loaded (crypto_loader.h). */
int pg_keyfile_detect(enum pg_keyfile_kind *kind, const unsigned char *data, size_t len,
		      struct pg_error *err);

/* The finding's rule id and description for a kind (not NONE). */
const char *pg_keyfile_rule(enum pg_keyfile_kind kind);
const char *pg_keyfile_description(enum pg_keyfile_kind kind);

#endif
