#include "sshsig.h"

#include <openssl/core_names.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base64.h"
#include "buf.h"
#include "crypto_loader.h"

#define MAX_BLOB (64 * 1024)
#define MIN_RSA_BITS 2048

static const char ARMOR_BEGIN[] = "-----BEGIN SSH SIGNATURE-----";
static const char ARMOR_END[] = "-----END SSH SIGNATURE-----";

/* ---------------------------------------------------------------- wire format */

struct reader {
	const unsigned char *p;
	size_t left;
};

static int get_u32(struct reader *r, uint32_t *v)
{
	if (r->left < 4)
		return -1;
	*v = (uint32_t)r->p[0] << 24 | (uint32_t)r->p[1] << 16 | (uint32_t)r->p[2] << 8 | r->p[3];
	r->p += 4;
	r->left -= 4;
	return 0;
}

static int get_string(struct reader *r, const unsigned char **s, size_t *len)
{
	uint32_t n;

	if (get_u32(r, &n) < 0 || n > r->left)
		return -1;
	*s = r->p;
	*len = n;
	r->p += n;
	r->left -= n;
	return 0;
}

static bool str_is(const unsigned char *s, size_t len, const char *want)
{
	return strlen(want) == len && !memcmp(s, want, len);
}

static char *dup_cstring(const unsigned char *s, size_t len)
{
	char *o;

	if (memchr(s, '\0', len))
		return NULL;
	if (!(o = malloc(len + 1)))
		return NULL;
	memcpy(o, s, len);
	o[len] = '\0';
	return o;
}

/* A positive SSH mpint as a BIGNUM; NULL when negative or malformed. */
static BIGNUM *get_mpint(struct reader *r)
{
	const unsigned char *s;
	size_t len;

	if (get_string(r, &s, &len) < 0 || len > 2048 || (len && (s[0] & 0x80)))
		return NULL;
	return pg_crypto.BN_bin2bn(s, (int)len, NULL);
}

static void put_u32(struct pg_buf *b, uint32_t v)
{
	unsigned char x[4] = { (unsigned char)(v >> 24), (unsigned char)(v >> 16),
			       (unsigned char)(v >> 8), (unsigned char)v };

	pg_buf_add(b, x, 4);
}

static void put_string(struct pg_buf *b, const void *s, size_t len)
{
	put_u32(b, (uint32_t)len);
	pg_buf_add(b, s, len);
}

/* ---------------------------------------------------------------- keys */

static EVP_PKEY *from_params(const char *type, OSSL_PARAM_BLD *bld)
{
	OSSL_PARAM *params = pg_crypto.OSSL_PARAM_BLD_to_param(bld);
	EVP_PKEY_CTX *ctx = params ? pg_crypto.EVP_PKEY_CTX_new_from_name(NULL, type, NULL) : NULL;
	EVP_PKEY *pkey = NULL;

	if (!ctx || pg_crypto.EVP_PKEY_fromdata_init(ctx) <= 0 ||
	    pg_crypto.EVP_PKEY_fromdata(ctx, &pkey, EVP_PKEY_PUBLIC_KEY, params) <= 0)
		pkey = NULL;
	pg_crypto.EVP_PKEY_CTX_free(ctx);
	pg_crypto.OSSL_PARAM_free(params);
	return pkey;
}

static EVP_PKEY *rsa_key(struct reader *r, const char **why)
{
	BIGNUM *e = get_mpint(r), *n = e ? get_mpint(r) : NULL;
	OSSL_PARAM_BLD *bld = NULL;
	EVP_PKEY *pkey = NULL;

	if (!e || !n || r->left)
		goto out;
	if (pg_crypto.BN_num_bits(n) < MIN_RSA_BITS) {
		*why = "RSA key shorter than 2048 bits (weak)";
		goto out;
	}
	if ((bld = pg_crypto.OSSL_PARAM_BLD_new()) &&
	    pg_crypto.OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_N, n) &&
	    pg_crypto.OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_E, e))
		pkey = from_params("RSA", bld);
out:
	pg_crypto.OSSL_PARAM_BLD_free(bld);
	pg_crypto.BN_free(e);
	pg_crypto.BN_free(n);
	return pkey;
}

static const char *ec_group(const char *type)
{
	if (!strcmp(type, "ecdsa-sha2-nistp256"))
		return "P-256";
	if (!strcmp(type, "ecdsa-sha2-nistp384"))
		return "P-384";
	if (!strcmp(type, "ecdsa-sha2-nistp521"))
		return "P-521";
	return NULL;
}

static EVP_PKEY *ec_key(struct reader *r, const char *type)
{
	const unsigned char *curve, *q;
	size_t curvelen, qlen;
	OSSL_PARAM_BLD *bld = NULL;
	EVP_PKEY *pkey = NULL;
	EVP_PKEY_CTX *ctx = NULL;
	char group[16];

	if (get_string(r, &curve, &curvelen) < 0 || get_string(r, &q, &qlen) < 0 || r->left ||
	    !str_is(curve, curvelen, type + strlen("ecdsa-sha2-")))
		return NULL;
	snprintf(group, sizeof(group), "%s", ec_group(type));
	if ((bld = pg_crypto.OSSL_PARAM_BLD_new()) &&
	    pg_crypto.OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME, group, 0) &&
	    pg_crypto.OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY, q, qlen))
		pkey = from_params("EC", bld);
	pg_crypto.OSSL_PARAM_BLD_free(bld);
	/* the point must lie on the curve */
	if (pkey && (!(ctx = pg_crypto.EVP_PKEY_CTX_new(pkey, NULL)) || pg_crypto.EVP_PKEY_public_check(ctx) != 1)) {
		pg_crypto.EVP_PKEY_free(pkey);
		pkey = NULL;
	}
	pg_crypto.EVP_PKEY_CTX_free(ctx);
	return pkey;
}

int pg_sshkey_from_blob(struct pg_sshkey *key, const void *blob, size_t len, struct pg_error *err)
{
	struct reader r = { blob, len };
	const unsigned char *t, *pk;
	size_t tlen, pklen;
	const char *why = NULL;
	size_t tl;
	int ret;

	*key = (struct pg_sshkey)PG_SSHKEY_INIT;
	if ((ret = pg_crypto_load("reading SSH public keys", err)) < 0)
		return ret;
	if (len > MAX_BLOB || get_string(&r, &t, &tlen) < 0 || !(key->type = dup_cstring(t, tlen)))
		goto bad;
	if (!(key->blob = malloc(len ? len : 1)))
		return pg_error_oom(err);
	memcpy(key->blob, blob, len);
	key->bloblen = len;
	tl = strlen(key->type);
	if (!strcmp(key->type, "ssh-ed25519")) {
		if (get_string(&r, &pk, &pklen) < 0 || pklen != 32 || r.left)
			goto bad;
		key->pkey = pg_crypto.EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, NULL, pk, 32);
	} else if (!strcmp(key->type, "ssh-rsa")) {
		key->pkey = rsa_key(&r, &why);
		if (why) {
			key->why = why;
			return 0;
		}
	} else if (ec_group(key->type)) {
		key->pkey = ec_key(&r, key->type);
	} else if (tl > 21 && !strcmp(key->type + tl - 21, "-cert-v01@openssh.com")) {
		key->why = "SSH certificates (cert-authority trust) are not supported; "
			   "list the signing key itself in the allowed signers file";
		return 0;
	} else if (!strncmp(key->type, "sk-", 3)) {
		key->why = "security-key (FIDO, sk-*) SSH signatures are not supported";
		return 0;
	} else {
		key->why = "unknown SSH key type";
		return 0;
	}
	if (!key->pkey)
		goto bad;
	key->supported = true;
	return 0;
bad:
	pg_sshkey_release(key);
	return pg_error_set(err, PG_EINPUT, "malformed SSH public key");
}

int pg_sshkey_from_text(struct pg_sshkey *key, const char *text, const char **end,
			struct pg_error *err)
{
	const char *p = text, *type, *b64;
	size_t typelen, b64len;
	unsigned char *blob = NULL;
	size_t bloblen;
	struct reader r;
	const unsigned char *t;
	size_t tlen;
	int ret;

	*key = (struct pg_sshkey)PG_SSHKEY_INIT;
	p += strspn(p, " \t");
	type = p;
	typelen = strcspn(p, " \t\r\n");
	p += typelen;
	p += strspn(p, " \t");
	b64 = p;
	b64len = strcspn(p, " \t\r\n");
	if (!typelen || !b64len)
		return pg_error_set(err, PG_EINPUT, "expected a public key: KEYTYPE BASE64");
	if (pg_base64_decode(&blob, &bloblen, b64, b64len) < 0)
		return pg_error_set(err, PG_EINPUT, "the public key is not valid base64");
	r = (struct reader){ blob, bloblen };
	if (get_string(&r, &t, &tlen) < 0 || tlen != typelen || memcmp(t, type, tlen)) {
		free(blob);
		return pg_error_set(err, PG_EINPUT, "the key type %.*s does not match the key's data",
				    (int)(typelen > 64 ? 64 : typelen), type);
	}
	ret = pg_sshkey_from_blob(key, blob, bloblen, err);
	free(blob);
	if (end)
		*end = b64 + b64len;
	return ret;
}

void pg_sshkey_release(struct pg_sshkey *key)
{
	free(key->type);
	free(key->blob);
	if (key->pkey) /* set only once libcrypto is loaded */
		pg_crypto.EVP_PKEY_free(key->pkey);
	*key = (struct pg_sshkey)PG_SSHKEY_INIT;
}

bool pg_sshkey_equal(const struct pg_sshkey *a, const struct pg_sshkey *b)
{
	return a->bloblen == b->bloblen && a->bloblen && !memcmp(a->blob, b->blob, a->bloblen);
}

char *pg_sshkey_fingerprint(const struct pg_sshkey *key)
{
	unsigned char md[32];
	char *b64, *out;

	if (pg_crypto_load("fingerprinting SSH keys", &(struct pg_error)PG_ERROR_INIT) < 0 ||
	    !pg_crypto.EVP_Digest(key->blob, key->bloblen, md, NULL, pg_crypto.EVP_sha256(), NULL))
		return NULL;
	if (!(b64 = pg_base64_encode(md, sizeof(md), false)))
		return NULL;
	if ((out = malloc(strlen(b64) + 8)))
		sprintf(out, "SHA256:%s", b64);
	free(b64);
	return out;
}

/* ---------------------------------------------------------------- signatures */

int pg_sshsig_parse(struct pg_sshsig *sig, const char *armor, size_t len, struct pg_error *err)
{
	const char *begin, *end, *body;
	unsigned char *blob = NULL;
	size_t bloblen;
	struct reader r;
	const unsigned char *s;
	size_t slen;
	uint32_t version;
	int ret = PG_EINPUT;

	*sig = (struct pg_sshsig)PG_SSHSIG_INIT;
	begin = memmem(armor, len, ARMOR_BEGIN, sizeof(ARMOR_BEGIN) - 1);
	if (!begin || (begin != armor && begin[-1] != '\n'))
		return pg_error_set(err, PG_EINPUT, "no SSH signature armor");
	body = begin + sizeof(ARMOR_BEGIN) - 1;
	end = memmem(body, len - (size_t)(body - armor), ARMOR_END, sizeof(ARMOR_END) - 1);
	if (!end)
		return pg_error_set(err, PG_EINPUT, "SSH signature armor has no END line");
	if (pg_base64_decode(&blob, &bloblen, body, (size_t)(end - body)) < 0)
		return pg_error_set(err, PG_EINPUT, "SSH signature is not valid base64");
	r = (struct reader){ blob, bloblen };
	if (bloblen < 6 || memcmp(blob, "SSHSIG", 6)) {
		pg_error_set(err, PG_EINPUT, "SSH signature does not start with SSHSIG");
		goto out;
	}
	r.p += 6;
	r.left -= 6;
	if (get_u32(&r, &version) < 0 || version != 1) {
		pg_error_set(err, PG_EINPUT, "unsupported SSH signature version");
		goto out;
	}
	if (get_string(&r, &s, &slen) < 0) {
		pg_error_set(err, PG_EINPUT, "truncated SSH signature");
		goto out;
	}
	if ((ret = pg_sshkey_from_blob(&sig->key, s, slen, err)) < 0)
		goto out;
	ret = PG_EINPUT;
	if (get_string(&r, &s, &slen) < 0 || !(sig->namespace = dup_cstring(s, slen)) ||
	    get_string(&r, &s, &slen) < 0 ||
	    !(sig->reserved = malloc(slen ? slen : 1)) ||
	    (memcpy(sig->reserved, s, slen), sig->reservedlen = slen,
	     get_string(&r, &s, &slen) < 0) ||
	    !(sig->hash_alg = dup_cstring(s, slen)) ||
	    get_string(&r, &s, &slen) < 0 || !(sig->sig = malloc(slen ? slen : 1)) || r.left) {
		pg_error_set(err, PG_EINPUT, "truncated or malformed SSH signature");
		goto out;
	}
	memcpy(sig->sig, s, slen);
	sig->siglen = slen;
	ret = 0;
out:
	free(blob);
	return ret;
}

void pg_sshsig_release(struct pg_sshsig *sig)
{
	pg_sshkey_release(&sig->key);
	free(sig->namespace);
	free(sig->hash_alg);
	free(sig->sig);
	free(sig->reserved);
	*sig = (struct pg_sshsig)PG_SSHSIG_INIT;
}

/* 1 good, 0 bad. */
static int evp_verify(EVP_PKEY *pkey, const EVP_MD *md, const unsigned char *s, size_t slen,
		      const void *data, size_t len)
{
	EVP_MD_CTX *mctx = pg_crypto.EVP_MD_CTX_new();
	int ok = 0;

	if (mctx && pg_crypto.EVP_DigestVerifyInit(mctx, NULL, md, NULL, pkey) == 1 &&
	    pg_crypto.EVP_DigestVerify(mctx, s, slen, data, len) == 1)
		ok = 1;
	pg_crypto.EVP_MD_CTX_free(mctx);
	return ok;
}

static int verify_ecdsa(EVP_PKEY *pkey, const char *type, const unsigned char *s, size_t slen,
			const void *data, size_t len)
{
	struct reader r = { s, slen };
	BIGNUM *br = get_mpint(&r), *bs = br ? get_mpint(&r) : NULL;
	ECDSA_SIG *esig = NULL;
	unsigned char *der = NULL;
	const EVP_MD *md = !strcmp(type, "ecdsa-sha2-nistp256") ? pg_crypto.EVP_sha256()
		: !strcmp(type, "ecdsa-sha2-nistp384") ? pg_crypto.EVP_sha384() : pg_crypto.EVP_sha512();
	int derlen, ok = 0;

	if (!br || !bs || r.left || !(esig = pg_crypto.ECDSA_SIG_new()))
		goto out;
	if (!pg_crypto.ECDSA_SIG_set0(esig, br, bs))
		goto out;
	br = bs = NULL;
	if ((derlen = pg_crypto.i2d_ECDSA_SIG(esig, &der)) <= 0)
		goto out;
	ok = evp_verify(pkey, md, der, (size_t)derlen, data, len);
out:
	pg_crypto.CRYPTO_free(der, OPENSSL_FILE, OPENSSL_LINE);
	pg_crypto.ECDSA_SIG_free(esig);
	pg_crypto.BN_free(br);
	pg_crypto.BN_free(bs);
	return ok;
}

int pg_sshsig_verify(const struct pg_sshsig *sig, const void *msg, size_t len, const char *ns,
		     struct pg_error *err)
{
	struct pg_buf data = PG_BUF_INIT;
	const EVP_MD *md;
	unsigned char h[64], *padded = NULL;
	unsigned int hlen;
	struct reader r = { sig->sig, sig->siglen };
	const unsigned char *st, *sb;
	size_t stlen, sblen;
	const char *type = sig->key.type;
	int ret = 0;

	if (!sig->key.supported) {
		pg_error_set(err, PG_EINPUT, "%s", sig->key.why ? sig->key.why : "unsupported key");
		return 0;
	}
	if (strcmp(sig->namespace, ns)) {
		pg_error_set(err, PG_EINPUT, "signature namespace is \"%.64s\", not \"%s\"", sig->namespace, ns);
		return 0;
	}
	if (!strcmp(sig->hash_alg, "sha256"))
		md = pg_crypto.EVP_sha256();
	else if (!strcmp(sig->hash_alg, "sha512"))
		md = pg_crypto.EVP_sha512();
	else {
		pg_error_set(err, PG_EINPUT, "unsupported SSH signature hash \"%.32s\"", sig->hash_alg);
		return 0;
	}
	if (!pg_crypto.EVP_Digest(msg, len, h, &hlen, md, NULL))
		return pg_error_set(err, PG_ERR, "OpenSSL digest failed");
	pg_buf_add(&data, "SSHSIG", 6);
	put_string(&data, sig->namespace, strlen(sig->namespace));
	put_string(&data, sig->reserved, sig->reservedlen);
	put_string(&data, sig->hash_alg, strlen(sig->hash_alg));
	put_string(&data, h, hlen);
	if (pg_buf_failed(&data)) {
		ret = pg_error_oom(err);
		goto out;
	}

	if (get_string(&r, &st, &stlen) < 0 || get_string(&r, &sb, &sblen) < 0 || r.left) {
		pg_error_set(err, PG_EINPUT, "malformed signature blob");
		goto out;
	}
	if (!strcmp(type, "ssh-ed25519")) {
		if (!str_is(st, stlen, "ssh-ed25519") || sblen != 64) {
			pg_error_set(err, PG_EINPUT, "malformed ed25519 signature");
			goto out;
		}
		ret = evp_verify(sig->key.pkey, NULL, sb, sblen, data.ptr, data.len);
	} else if (!strcmp(type, "ssh-rsa")) {
		const EVP_MD *rmd = str_is(st, stlen, "rsa-sha2-256") ? pg_crypto.EVP_sha256()
			: str_is(st, stlen, "rsa-sha2-512") ? pg_crypto.EVP_sha512() : NULL;
		size_t modlen = (size_t)pg_crypto.EVP_PKEY_get_size(sig->key.pkey);

		if (!rmd) {
			pg_error_set(err, PG_EINPUT, "RSA signature algorithm %.*s refused (only rsa-sha2-256/512)",
				     (int)(stlen > 32 ? 32 : stlen), st);
			goto out;
		}
		if (sblen > modlen) {
			pg_error_set(err, PG_EINPUT, "RSA signature longer than the key");
			goto out;
		}
		if (sblen < modlen) { /* openssh left-pads short signatures too */
			if (!(padded = calloc(1, modlen))) {
				ret = pg_error_oom(err);
				goto out;
			}
			memcpy(padded + modlen - sblen, sb, sblen);
			sb = padded;
			sblen = modlen;
		}
		ret = evp_verify(sig->key.pkey, rmd, sb, sblen, data.ptr, data.len);
	} else {
		if (!str_is(st, stlen, type)) {
			pg_error_set(err, PG_EINPUT, "signature type does not match the key type");
			goto out;
		}
		ret = verify_ecdsa(sig->key.pkey, type, sb, sblen, data.ptr, data.len);
	}
	if (!ret)
		pg_error_set(err, PG_EINPUT, "the signature does not match the signed data");
out:
	free(padded);
	pg_buf_release(&data);
	return ret;
}
