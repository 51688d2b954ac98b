#include "crypto_loader.h"

#include <pthread.h>
#include <stdio.h>

#include "dl.h"

struct pg_crypto_api pg_crypto;

#define SYM(f) PG_DL_SYM(pg_crypto, "", f)

static const struct pg_dl_sym syms[] = {
	SYM(EVP_sha256), SYM(EVP_sha384), SYM(EVP_sha512), SYM(EVP_Digest), SYM(EVP_MD_CTX_new),
	SYM(EVP_MD_CTX_free), SYM(EVP_DigestInit_ex), SYM(EVP_DigestUpdate), SYM(EVP_DigestFinal_ex),
	SYM(HMAC), SYM(CRYPTO_memcmp), SYM(CRYPTO_free), SYM(ERR_clear_error),

	SYM(BN_bin2bn), SYM(BN_free), SYM(BN_num_bits), SYM(ECDSA_SIG_new), SYM(ECDSA_SIG_free),
	SYM(ECDSA_SIG_set0), SYM(i2d_ECDSA_SIG), SYM(OSSL_PARAM_BLD_new), SYM(OSSL_PARAM_BLD_free),
	SYM(OSSL_PARAM_BLD_push_BN), SYM(OSSL_PARAM_BLD_push_octet_string),
	SYM(OSSL_PARAM_BLD_push_utf8_string), SYM(OSSL_PARAM_BLD_to_param), SYM(OSSL_PARAM_free),
	SYM(EVP_PKEY_CTX_new), SYM(EVP_PKEY_CTX_new_from_name), SYM(EVP_PKEY_CTX_free),
	SYM(EVP_PKEY_fromdata_init), SYM(EVP_PKEY_fromdata), SYM(EVP_PKEY_public_check),
	SYM(EVP_PKEY_new_raw_public_key), SYM(EVP_PKEY_get_size), SYM(EVP_PKEY_free),
	SYM(EVP_DigestVerifyInit), SYM(EVP_DigestVerify),

	SYM(d2i_AutoPrivateKey), SYM(d2i_X509_SIG), SYM(X509_SIG_get0), SYM(X509_SIG_free),
	SYM(d2i_PKCS12), SYM(PKCS12_free), SYM(PKCS12_unpack_authsafes), SYM(PKCS12_unpack_p7data),
	SYM(PKCS12_unpack_p7encdata), SYM(PKCS12_SAFEBAG_get_nid), SYM(PKCS12_SAFEBAG_get0_safes),
	SYM(PKCS12_SAFEBAG_free), SYM(PKCS7_free), SYM(OBJ_obj2nid), SYM(OPENSSL_sk_num), SYM(OPENSSL_sk_value),
	SYM(OPENSSL_sk_pop_free),
	{ NULL, NULL },
};

/* The soname is OpenSSL 3's: every function above is in 3.0. */
static struct pg_dl_lib lib = { "libcrypto.so.3", "OpenSSL 3 (libssl3)", syms, NULL, NULL };

static pthread_once_t once = PTHREAD_ONCE_INIT;
static struct pg_error load_err = PG_ERROR_INIT;
static int load_rc;

static void load_once(void)
{
	load_rc = pg_dl_load(&lib, "pushguard", &load_err);
}

int pg_crypto_load(const char *purpose, struct pg_error *err)
{
	pthread_once(&once, load_once);
	if (load_rc < 0)
		return pg_error_set(err, load_err.code, "%s: %s", purpose, load_err.msg);
	return 0;
}
