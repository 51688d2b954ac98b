/* OpenSSL's libcrypto, loaded on first use rather than linked.
 *
 * Linked, libcrypto costs every hook process about 2 ms before its first
 * line (the dynamic linker relocates its 370 KB of pointer tables: 120 page
 * faults), for every push; yet a push needs it only to verify an SSH
 * signature (sshsig.c), to look inside a DER key file (keyfile.c), to hash
 * the rules for the compiled-database cache (rules.c), to key a finding's id
 * (secrets.c) or to sign a webhook delivery (webhook.c). Those call it
 * through pg_crypto once pg_crypto_load() has succeeded. Each member is
 * named as the OpenSSL function it holds. */
#ifndef PG_CRYPTO_LOADER_H
#define PG_CRYPTO_LOADER_H

#include <openssl/bn.h>
#include <openssl/crypto.h>
#include <openssl/ecdsa.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/objects.h>
#include <openssl/param_build.h>
#include <openssl/pkcs12.h>
#include <openssl/x509.h>

#include "error.h"

#define PG_CRYPTO_FN(f) __typeof__(f) *f

struct pg_crypto_api {
	/* digests, HMAC, comparison */
	PG_CRYPTO_FN(EVP_sha256);
	PG_CRYPTO_FN(EVP_sha384);
	PG_CRYPTO_FN(EVP_sha512);
	PG_CRYPTO_FN(EVP_Digest);
	PG_CRYPTO_FN(EVP_MD_CTX_new);
	PG_CRYPTO_FN(EVP_MD_CTX_free);
	PG_CRYPTO_FN(EVP_DigestInit_ex);
	PG_CRYPTO_FN(EVP_DigestUpdate);
	PG_CRYPTO_FN(EVP_DigestFinal_ex);
	PG_CRYPTO_FN(HMAC);
	PG_CRYPTO_FN(CRYPTO_memcmp);
	PG_CRYPTO_FN(CRYPTO_free);
	PG_CRYPTO_FN(ERR_clear_error);
	/* public keys and signatures (SSH) */
	PG_CRYPTO_FN(BN_bin2bn);
	PG_CRYPTO_FN(BN_free);
	PG_CRYPTO_FN(BN_num_bits);
	PG_CRYPTO_FN(ECDSA_SIG_new);
	PG_CRYPTO_FN(ECDSA_SIG_free);
	PG_CRYPTO_FN(ECDSA_SIG_set0);
	PG_CRYPTO_FN(i2d_ECDSA_SIG);
	PG_CRYPTO_FN(OSSL_PARAM_BLD_new);
	PG_CRYPTO_FN(OSSL_PARAM_BLD_free);
	PG_CRYPTO_FN(OSSL_PARAM_BLD_push_BN);
	PG_CRYPTO_FN(OSSL_PARAM_BLD_push_octet_string);
	PG_CRYPTO_FN(OSSL_PARAM_BLD_push_utf8_string);
	PG_CRYPTO_FN(OSSL_PARAM_BLD_to_param);
	PG_CRYPTO_FN(OSSL_PARAM_free);
	PG_CRYPTO_FN(EVP_PKEY_CTX_new);
	PG_CRYPTO_FN(EVP_PKEY_CTX_new_from_name);
	PG_CRYPTO_FN(EVP_PKEY_CTX_free);
	PG_CRYPTO_FN(EVP_PKEY_fromdata_init);
	PG_CRYPTO_FN(EVP_PKEY_fromdata);
	PG_CRYPTO_FN(EVP_PKEY_public_check);
	PG_CRYPTO_FN(EVP_PKEY_new_raw_public_key);
	PG_CRYPTO_FN(EVP_PKEY_get_size);
	PG_CRYPTO_FN(EVP_PKEY_free);
	PG_CRYPTO_FN(EVP_DigestVerifyInit);
	PG_CRYPTO_FN(EVP_DigestVerify);
	/* key files (DER, PKCS#12) */
	PG_CRYPTO_FN(d2i_AutoPrivateKey);
	PG_CRYPTO_FN(d2i_X509_SIG);
	PG_CRYPTO_FN(X509_SIG_get0);
	PG_CRYPTO_FN(X509_SIG_free);
	PG_CRYPTO_FN(d2i_PKCS12);
	PG_CRYPTO_FN(PKCS12_free);
	PG_CRYPTO_FN(PKCS12_unpack_authsafes);
	PG_CRYPTO_FN(PKCS12_unpack_p7data);
	PG_CRYPTO_FN(PKCS12_unpack_p7encdata);
	PG_CRYPTO_FN(PKCS12_SAFEBAG_get_nid);
	PG_CRYPTO_FN(PKCS12_SAFEBAG_get0_safes);
	PG_CRYPTO_FN(PKCS12_SAFEBAG_free);
	PG_CRYPTO_FN(PKCS7_free);
	PG_CRYPTO_FN(OBJ_obj2nid);
	PG_CRYPTO_FN(OPENSSL_sk_num);
	PG_CRYPTO_FN(OPENSSL_sk_value);
	PG_CRYPTO_FN(OPENSSL_sk_pop_free);
};

/* Filled by pg_crypto_load(); all NULL before and after a failed load. */
extern struct pg_crypto_api pg_crypto;

/* Loads libcrypto.so.3 once per process (later calls return at once, with
 * the first call's result); safe from any thread. purpose names the caller
 * in the error ("verifying SSH signatures"). */
int pg_crypto_load(const char *purpose, struct pg_error *err);

#endif
