/* Unit tests for lib/keyfile.c: key containers recognised by structure.
 * Keys, certificates and PKCS#12 stores are made here with OpenSSL; Java key
 * stores and OpenPGP packets are built byte by byte from their documented
 * layouts. Nothing is read from disk. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/pkcs12.h>
#include <openssl/rand.h>
#include <openssl/x509.h>

#include "keyfile.h"

struct fx {
	EVP_PKEY *key;
	X509 *cert;
};

/* pg_keyfile_detect's kind, asserting that it succeeds */
static enum pg_keyfile_kind detect(const void *data, size_t len)
{
	struct pg_error err = PG_ERROR_INIT;
	enum pg_keyfile_kind kind = PG_KEYFILE_NONE;

	assert_int_equal(pg_keyfile_detect(&kind, data, len, &err), 0);
	return kind;
}

static int setup(void **state)
{
	struct fx *fx = calloc(1, sizeof(*fx));
	X509_NAME *name;

	if (!fx || !(fx->key = EVP_RSA_gen(2048)) || !(fx->cert = X509_new()))
		return -1;
	ASN1_INTEGER_set(X509_get_serialNumber(fx->cert), 1);
	X509_gmtime_adj(X509_getm_notBefore(fx->cert), 0);
	X509_gmtime_adj(X509_getm_notAfter(fx->cert), 3600);
	X509_set_pubkey(fx->cert, fx->key);
	name = X509_get_subject_name(fx->cert);
	X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, (const unsigned char *)"t", -1, -1, 0);
	X509_set_issuer_name(fx->cert, name);
	if (!X509_sign(fx->cert, fx->key, EVP_sha256()))
		return -1;
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fx *fx = *state;

	EVP_PKEY_free(fx->key);
	X509_free(fx->cert);
	free(fx);
	return 0;
}

/* i2d output of an OpenSSL object, as a malloc'd buffer */
#define DER(out, len, fn, obj)                                           \
	do {                                                             \
		unsigned char *p_;                                       \
		(len) = (size_t)fn((obj), NULL);                         \
		(out) = malloc((len));                                   \
		assert_non_null((out));                                  \
		p_ = (out);                                              \
		assert_int_equal((size_t)fn((obj), &p_), (len));         \
	} while (0)

static void test_der_private_keys(void **state)
{
	struct fx *fx = *state;
	unsigned char *der;
	size_t len;
	PKCS8_PRIV_KEY_INFO *p8 = EVP_PKEY2PKCS8(fx->key);
	X509_SIG *enc;

	DER(der, len, i2d_PrivateKey, fx->key); /* PKCS#1 */
	assert_int_equal(detect(der, len), PG_KEYFILE_DER);
	free(der);
	DER(der, len, i2d_PKCS8_PRIV_KEY_INFO, p8);
	assert_int_equal(detect(der, len), PG_KEYFILE_DER);
	free(der);
	enc = PKCS8_encrypt(-1, EVP_aes_256_cbc(), "pw", 2, NULL, 0, 1000, p8);
	assert_non_null(enc);
	DER(der, len, i2d_X509_SIG, enc);
	assert_int_equal(detect(der, len), PG_KEYFILE_DER);
	/* truncated: nothing certain */
	assert_int_equal(detect(der, len - 10), PG_KEYFILE_NONE);
	free(der);
	X509_SIG_free(enc);
	PKCS8_PRIV_KEY_INFO_free(p8);
}

static void test_public_der_is_not_a_key(void **state)
{
	struct fx *fx = *state;
	unsigned char *der;
	size_t len;

	DER(der, len, i2d_X509, fx->cert);
	assert_int_equal(detect(der, len), PG_KEYFILE_NONE);
	free(der);
	DER(der, len, i2d_PUBKEY, fx->key);
	assert_int_equal(detect(der, len), PG_KEYFILE_NONE);
	free(der);
}

static void test_pkcs12(void **state)
{
	struct fx *fx = *state;
	STACK_OF(X509) *ca = sk_X509_new_null();
	unsigned char *der;
	size_t len;
	PKCS12 *p12;

	/* a key and its certificate: the key bag is in sight */
	p12 = PKCS12_create("s3cret", "k", fx->key, fx->cert, NULL, 0, 0, 0, 0, 0);
	assert_non_null(p12);
	DER(der, len, i2d_PKCS12, p12);
	assert_int_equal(detect(der, len), PG_KEYFILE_PKCS12);
	free(der);
	PKCS12_free(p12);
	/* certificates only, empty password: a trust store, opened and passed */
	sk_X509_push(ca, fx->cert);
	p12 = PKCS12_create("", NULL, NULL, NULL, ca, 0, 0, 0, 0, 0);
	assert_non_null(p12);
	DER(der, len, i2d_PKCS12, p12);
	assert_int_equal(detect(der, len), PG_KEYFILE_NONE);
	free(der);
	PKCS12_free(p12);
	/* certificates only under a password we do not have: sealed */
	p12 = PKCS12_create("s3cret", NULL, NULL, NULL, ca, 0, 0, 0, 0, 0);
	assert_non_null(p12);
	DER(der, len, i2d_PKCS12, p12);
	assert_int_equal(detect(der, len), PG_KEYFILE_PKCS12_SEALED);
	free(der);
	PKCS12_free(p12);
	sk_X509_free(ca);
}

static void put32(unsigned char **p, uint32_t v)
{
	(*p)[0] = (unsigned char)(v >> 24);
	(*p)[1] = (unsigned char)(v >> 16);
	(*p)[2] = (unsigned char)(v >> 8);
	(*p)[3] = (unsigned char)v;
	*p += 4;
}

static void put_utf(unsigned char **p, const char *s)
{
	size_t n = strlen(s);

	(*p)[0] = (unsigned char)(n >> 8);
	(*p)[1] = (unsigned char)n;
	memcpy(*p + 2, s, n);
	*p += 2 + n;
}

/* A JKS/JCEKS stream: a trusted certificate entry, then an entry of `tag`
 * (0: none). Returns its length. */
static size_t java_store(unsigned char *buf, uint32_t magic, uint32_t tag)
{
	unsigned char *p = buf;

	put32(&p, magic);
	put32(&p, 2);
	put32(&p, tag ? 2 : 1);
	put32(&p, 2); /* trusted certificate: alias, date, type, bytes */
	put_utf(&p, "ca");
	memset(p, 1, 8), p += 8;
	put_utf(&p, "X.509");
	put32(&p, 40);
	RAND_bytes(p, 40), p += 40;
	if (tag) {
		put32(&p, tag);
		put_utf(&p, "server");
		memset(p, 1, 8), p += 8;
		put32(&p, 64);
		RAND_bytes(p, 64), p += 64;
		put32(&p, 0);
	}
	RAND_bytes(p, 20), p += 20; /* the store's digest */
	return (size_t)(p - buf);
}

static void test_java_stores(void **state)
{
	unsigned char buf[512];
	size_t n;

	n = java_store(buf, 0xfeedfeed, 1);
	assert_int_equal(detect(buf, n), PG_KEYFILE_JKS);
	n = java_store(buf, 0xfeedfeed, 0);
	assert_int_equal(detect(buf, n), PG_KEYFILE_NONE); /* trust store */
	n = java_store(buf, 0xcececece, 3);
	assert_int_equal(detect(buf, n), PG_KEYFILE_JCEKS);
	n = java_store(buf, 0xcececece, 1);
	assert_int_equal(detect(buf, n), PG_KEYFILE_JCEKS);
	n = java_store(buf, 0xfeedfeed, 1);
	assert_int_equal(detect(buf, 60), PG_KEYFILE_NONE); /* cut before the key entry */
	buf[7] = 9; /* unknown version */
	assert_int_equal(detect(buf, n), PG_KEYFILE_NONE);
}

static void test_openpgp(void **state)
{
	unsigned char pkt[64] = { 0xc5, 40, 4, 0x65, 0x00, 0x00, 0x00, 22 };

	RAND_bytes(pkt + 8, 40);
	assert_int_equal(detect(pkt, 42), PG_KEYFILE_OPENPGP); /* new format, Secret-Key */
	pkt[0] = 0xc6;
	assert_int_equal(detect(pkt, 42), PG_KEYFILE_NONE);    /* Public-Key */
	pkt[0] = 0x95, pkt[1] = 0, pkt[2] = 40, pkt[3] = 4, pkt[8] = 1;   /* old format, 2-byte length, RSA */
	assert_int_equal(detect(pkt, 43), PG_KEYFILE_OPENPGP);
	pkt[3] = 9; /* unknown version */
	assert_int_equal(detect(pkt, 43), PG_KEYFILE_NONE);
}

static void test_other_bytes(void **state)
{
	unsigned char buf[4096];

	for (int i = 0; i < 200; i++) {
		size_t n = 8 + (size_t)(rand() % 4000);

		RAND_bytes(buf, (int)n);
		if (buf[0] == 0xfe || buf[0] == 0xce || buf[0] & 0x80)
			buf[0] = 0x42;
		assert_int_equal(detect(buf, n), PG_KEYFILE_NONE);
	}
	assert_int_equal(detect((const unsigned char *)"hello", 5), PG_KEYFILE_NONE);
	assert_int_equal(detect(NULL, 100), PG_KEYFILE_NONE);
	assert_string_equal(pg_keyfile_rule(PG_KEYFILE_JKS), "private-key-java-keystore");
	assert_non_null(strstr(pg_keyfile_description(PG_KEYFILE_PKCS12_SEALED), "password"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_der_private_keys),
		cmocka_unit_test(test_public_der_is_not_a_key),
		cmocka_unit_test(test_pkcs12),
		cmocka_unit_test(test_java_stores),
		cmocka_unit_test(test_openpgp),
		cmocka_unit_test(test_other_bytes),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
