/* libFuzzer target for lib/sshsig.c: the bytes as an armored SSH signature
 * (pg_sshsig_parse, then pg_sshsig_verify over a fixed message when it
 * parses), as a public key blob (pg_sshkey_from_blob) and as the text of an
 * authorized_keys-style key (pg_sshkey_from_text), plus pg_base64_decode.
 *
 *   make fuzz && build-fuzz/fuzz_sshsig -max_total_time=60 tests/fuzz/corpus_sshsig
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base64.h"
#include "sshsig.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_key(struct pg_sshkey *key)
{
	char *fp;

	if (!key->type || (!key->supported && !key->why))
		abort();
	if ((fp = pg_sshkey_fingerprint(key))) {
		if (strncmp(fp, "SHA256:", 7))
			abort();
		free(fp);
	}
	if (!pg_sshkey_equal(key, key))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pg_sshsig sig = PG_SSHSIG_INIT;
	struct pg_sshkey key = PG_SSHKEY_INIT, tkey = PG_SSHKEY_INIT;
	struct pg_error err = PG_ERROR_INIT;
	unsigned char *dec = NULL;
	size_t declen = 0;
	const char *end = NULL;
	char *text;

	if (pg_sshsig_parse(&sig, (const char *)data, size, &err) == 0) {
		struct pg_error verr = PG_ERROR_INIT;

		check_key(&sig.key);
		if (!sig.namespace || !sig.hash_alg)
			abort();
		if (pg_sshsig_verify(&sig, "fuzz\n", 5, "git", &verr) == 0 && !verr.msg[0])
			abort(); /* a bad signature says why */
	} else if (!err.msg[0]) {
		abort();
	}
	pg_sshsig_release(&sig);

	err = (struct pg_error)PG_ERROR_INIT;
	if (pg_sshkey_from_blob(&key, data, size, &err) == 0)
		check_key(&key);
	pg_sshkey_release(&key);

	if (pg_base64_decode(&dec, &declen, (const char *)data, size) == 0)
		free(dec);

	if (!(text = malloc(size + 1)))
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	err = (struct pg_error)PG_ERROR_INIT;
	if (pg_sshkey_from_text(&tkey, text, &end, &err) == 0) {
		check_key(&tkey);
		if (end < text || end > text + strlen(text))
			abort();
	}
	pg_sshkey_release(&tkey);
	free(text);
	return 0;
}
