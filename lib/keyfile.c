#include "keyfile.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include <openssl/objects.h>

#include "crypto_loader.h"

/* ---- Java key stores ------------------------------------------------------
 * magic, version, entry count; each entry: tag (1 private key, 2 trusted
 * certificate, 3 JCEKS secret key), alias (u16 length + bytes), 8-byte date,
 * then the key (u32 length + bytes) and its chain, or the certificate. */

struct reader {
	const unsigned char *p, *end;
	bool bad;
};

static uint32_t u32(struct reader *r)
{
	uint32_t v;

	if (r->end - r->p < 4) {
		r->bad = true;
		return 0;
	}
	v = (uint32_t)r->p[0] << 24 | (uint32_t)r->p[1] << 16 | (uint32_t)r->p[2] << 8 | r->p[3];
	r->p += 4;
	return v;
}

static void skip(struct reader *r, size_t n)
{
	if ((size_t)(r->end - r->p) < n)
		r->bad = true;
	else
		r->p += n;
}

static void skip_utf(struct reader *r)
{
	size_t n;

	if (r->end - r->p < 2) {
		r->bad = true;
		return;
	}
	n = (size_t)r->p[0] << 8 | r->p[1];
	r->p += 2;
	skip(r, n);
}

/* A certificate in a JKS/JCEKS stream: its type (version 2) and its bytes. */
static void skip_cert(struct reader *r, uint32_t version)
{
	if (version == 2)
		skip_utf(r);
	skip(r, u32(r));
}

static bool java_store_has_key(const unsigned char *data, size_t len, bool jceks)
{
	struct reader r = { data + 4, data + len, false };
	uint32_t version = u32(&r), count = u32(&r);

	if (r.bad || (version != 1 && version != 2) || count > 100000)
		return false;
	for (uint32_t i = 0; i < count && !r.bad; i++) {
		uint32_t tag = u32(&r);

		if (tag == 1 || (jceks && tag == 3))
			return !r.bad; /* a private (or secret) key entry */
		if (tag != 2)
			return false;
		skip_utf(&r);
		skip(&r, 8);
		skip_cert(&r, version);
	}
	return false;
}

/* ---- OpenPGP -------------------------------------------------------------- */

/* The first packet is a Secret-Key (5) or Secret-Subkey (7) packet with a
 * known version and public-key algorithm. */
static bool openpgp_secret(const unsigned char *d, size_t len)
{
	static const unsigned char algos[] = { 1, 2, 3, 16, 17, 18, 19, 20, 22, 25, 26, 27, 28 };
	size_t hdr, body;
	unsigned tag;

	if (len < 8 || !(d[0] & 0x80))
		return false;
	if (d[0] & 0x40) { /* new format */
		tag = d[0] & 0x3f;
		if (d[1] < 192)
			hdr = 2, body = d[1];
		else if (d[1] < 224)
			hdr = 3, body = ((size_t)(d[1] - 192) << 8) + d[2] + 192;
		else if (d[1] == 255)
			hdr = 6, body = (size_t)d[2] << 24 | (size_t)d[3] << 16 | (size_t)d[4] << 8 | d[5];
		else
			return false;
	} else {
		static const size_t lens[] = { 1, 2, 4 };
		unsigned lt = d[0] & 3;

		tag = (d[0] >> 2) & 0x0f;
		if (lt == 3)
			return false;
		hdr = 1 + lens[lt];
		body = 0;
		for (size_t i = 1; i < hdr; i++)
			body = body << 8 | d[i];
	}
	if ((tag != 5 && tag != 7) || body < 12 || hdr + 6 > len || body > len - hdr)
		return false;
	d += hdr;
	if (d[0] < 4 || d[0] > 6) /* version 4, 5 or 6: a 4-byte time, then the algorithm */
		return false;
	for (size_t i = 0; i < sizeof(algos); i++)
		if (d[5] == algos[i])
			return true;
	return false;
}

/* ---- DER: PKCS#12 and private keys ---------------------------------------- */

/* The outer SEQUENCE's encoded length covers the data (a trailing newline
 * allowed): only then is the blob worth handing to a DER parser. */
static bool der_sequence(const unsigned char *d, size_t len)
{
	size_t n, total;

	if (len < 8 || d[0] != 0x30)
		return false;
	if (d[1] < 0x80) {
		total = 2 + (size_t)d[1];
	} else {
		size_t k = d[1] & 0x7f;

		if (k < 1 || k > 4 || len < 2 + k)
			return false;
		n = 0;
		for (size_t i = 0; i < k; i++)
			n = n << 8 | d[2 + i];
		total = 2 + k + n;
	}
	return total == len || (total + 1 == len && d[len - 1] == '\n') ||
	       (total + 2 == len && d[len - 2] == '\r' && d[len - 1] == '\n');
}

static bool bags_hold_key(const STACK_OF(PKCS12_SAFEBAG) *bags, int depth)
{
	for (int i = 0; i < pg_crypto.OPENSSL_sk_num((const OPENSSL_STACK *)bags); i++) {
		const PKCS12_SAFEBAG *bag = pg_crypto.OPENSSL_sk_value((const OPENSSL_STACK *)bags, i);
		int nid = pg_crypto.PKCS12_SAFEBAG_get_nid(bag);

		if (nid == NID_keyBag || nid == NID_pkcs8ShroudedKeyBag)
			return true;
		if (nid == NID_safeContentsBag && depth < 4 &&
		    bags_hold_key(pg_crypto.PKCS12_SAFEBAG_get0_safes(bag), depth + 1))
			return true;
	}
	return false;
}

/* Opens encrypted contents with the empty password and the common defaults;
 * NULL when none fits. */
static STACK_OF(PKCS12_SAFEBAG) *open_sealed(PKCS7 *p7)
{
	static const char *const defaults[] = { "", "changeit", "password", "secret" };
	STACK_OF(PKCS12_SAFEBAG) *bags = pg_crypto.PKCS12_unpack_p7encdata(p7, NULL, 0);

	for (size_t i = 0; !bags && i < sizeof(defaults) / sizeof(*defaults); i++)
		bags = pg_crypto.PKCS12_unpack_p7encdata(p7, defaults[i], (int)strlen(defaults[i]));
	return bags;
}

/* PG_KEYFILE_NONE when data is not PKCS#12 or holds certificates only. */
static enum pg_keyfile_kind pkcs12_kind(const unsigned char *data, size_t len)
{
	const unsigned char *p = data;
	PKCS12 *p12 = pg_crypto.d2i_PKCS12(NULL, &p, (long)len);
	STACK_OF(PKCS7) *safes = NULL;
	enum pg_keyfile_kind kind = PG_KEYFILE_NONE;
	bool sealed = false;

	if (!p12)
		return PG_KEYFILE_NONE;
	if (!(safes = pg_crypto.PKCS12_unpack_authsafes(p12))) {
		kind = PG_KEYFILE_PKCS12_SEALED; /* a PKCS#12 whose contents we cannot read */
		goto out;
	}
	for (int i = 0; i < pg_crypto.OPENSSL_sk_num((const OPENSSL_STACK *)safes) && kind == PG_KEYFILE_NONE; i++) {
		PKCS7 *p7 = pg_crypto.OPENSSL_sk_value((const OPENSSL_STACK *)safes, i);
		int nid = pg_crypto.OBJ_obj2nid(p7->type);
		STACK_OF(PKCS12_SAFEBAG) *bags = NULL;

		if (nid == NID_pkcs7_data)
			bags = pg_crypto.PKCS12_unpack_p7data(p7);
		else if (nid == NID_pkcs7_encrypted && !(bags = open_sealed(p7)))
			sealed = true;
		if (bags && bags_hold_key(bags, 0))
			kind = PG_KEYFILE_PKCS12;
		pg_crypto.OPENSSL_sk_pop_free((OPENSSL_STACK *)bags, (OPENSSL_sk_freefunc)pg_crypto.PKCS12_SAFEBAG_free);
	}
	if (kind == PG_KEYFILE_NONE && sealed)
		kind = PG_KEYFILE_PKCS12_SEALED;
out:
	pg_crypto.OPENSSL_sk_pop_free((OPENSSL_STACK *)safes, (OPENSSL_sk_freefunc)pg_crypto.PKCS7_free);
	pg_crypto.PKCS12_free(p12);
	return kind;
}

static bool der_private_key(const unsigned char *data, size_t len)
{
	const unsigned char *p = data;
	EVP_PKEY *key = pg_crypto.d2i_AutoPrivateKey(NULL, &p, (long)len);
	X509_SIG *sig = NULL;
	bool found = key != NULL;

	pg_crypto.EVP_PKEY_free(key);
	p = data;
	if (!found && (sig = pg_crypto.d2i_X509_SIG(NULL, &p, (long)len))) {
		const X509_ALGOR *alg = NULL;
		const ASN1_OCTET_STRING *digest = NULL;
		int nid;

		pg_crypto.X509_SIG_get0(sig, &alg, &digest);
		nid = alg ? pg_crypto.OBJ_obj2nid(alg->algorithm) : NID_undef;
		/* encrypted PKCS#8 (PBES2 or a PKCS#12 PBE), not a signature's DigestInfo */
		found = nid == NID_pbes2 || nid == NID_pbe_WithSHA1And3_Key_TripleDES_CBC ||
			nid == NID_pbe_WithSHA1And2_Key_TripleDES_CBC || nid == NID_pbe_WithSHA1And128BitRC4 ||
			nid == NID_pbe_WithSHA1And40BitRC4 || nid == NID_pbe_WithSHA1And128BitRC2_CBC ||
			nid == NID_pbe_WithSHA1And40BitRC2_CBC || nid == NID_pbeWithMD5AndDES_CBC ||
			nid == NID_pbeWithSHA1AndDES_CBC;
		pg_crypto.X509_SIG_free(sig);
	}
	return found;
}

int pg_keyfile_detect(enum pg_keyfile_kind *kind, const unsigned char *data, size_t len,
		      struct pg_error *err)
{
	int ret;

	*kind = PG_KEYFILE_NONE;
	if (!data || len < 8 || len > PG_KEYFILE_MAX_SIZE)
		return 0;
	if (!memcmp(data, "\xfe\xed\xfe\xed", 4)) {
		if (java_store_has_key(data, len, false))
			*kind = PG_KEYFILE_JKS;
	} else if (!memcmp(data, "\xce\xce\xce\xce", 4)) {
		if (java_store_has_key(data, len, true))
			*kind = PG_KEYFILE_JCEKS;
	} else if (openpgp_secret(data, len)) {
		*kind = PG_KEYFILE_OPENPGP;
	} else if (der_sequence(data, len)) {
		if ((ret = pg_crypto_load("reading DER key files", err)) < 0)
			return ret;
		if ((*kind = pkcs12_kind(data, len)) == PG_KEYFILE_NONE && der_private_key(data, len))
			*kind = PG_KEYFILE_DER;
		pg_crypto.ERR_clear_error(); /* the parsers' complaints about what was not theirs */
	}
	return 0;
}

const char *pg_keyfile_rule(enum pg_keyfile_kind kind)
{
	switch (kind) {
	case PG_KEYFILE_PKCS12:
	case PG_KEYFILE_PKCS12_SEALED:
		return "private-key-pkcs12";
	case PG_KEYFILE_JKS:
	case PG_KEYFILE_JCEKS:
		return "private-key-java-keystore";
	case PG_KEYFILE_DER:
		return "private-key-der";
	case PG_KEYFILE_OPENPGP:
		return "private-key-pgp-binary";
	default:
		return "private-key";
	}
}

const char *pg_keyfile_description(enum pg_keyfile_kind kind)
{
	switch (kind) {
	case PG_KEYFILE_PKCS12:
		return "PKCS#12 (PFX) key store holding a private key";
	case PG_KEYFILE_PKCS12_SEALED:
		return "PKCS#12 (PFX) container whose contents are encrypted with a password: a trust store, or a private key";
	case PG_KEYFILE_JKS:
		return "Java key store (JKS) holding a private key";
	case PG_KEYFILE_JCEKS:
		return "Java key store (JCEKS) holding a private or secret key";
	case PG_KEYFILE_DER:
		return "DER-encoded private key (PKCS#1, PKCS#8 or SEC1)";
	case PG_KEYFILE_OPENPGP:
		return "OpenPGP secret key (binary)";
	default:
		return "private key";
	}
}
