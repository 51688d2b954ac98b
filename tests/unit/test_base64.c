/* The one base64 module: RFC 4648 test vectors both ways, the strict decoder
 * refusing what is not standard base64, the scanner's run decoder reading
 * either alphabet up to the first other byte, random round trips, and the
 * digit masks of the scanner's run search. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "base64.h"

static const struct {
	const char *plain, *padded, *bare;
} vectors[] = { /* RFC 4648 section 10 */
	{ "", "", "" },
	{ "f", "Zg==", "Zg" },
	{ "fo", "Zm8=", "Zm8" },
	{ "foo", "Zm9v", "Zm9v" },
	{ "foob", "Zm9vYg==", "Zm9vYg" },
	{ "fooba", "Zm9vYmE=", "Zm9vYmE" },
	{ "foobar", "Zm9vYmFy", "Zm9vYmFy" },
};

static void test_rfc4648_vectors(void **state)
{
	for (size_t i = 0; i < sizeof(vectors) / sizeof(*vectors); i++) {
		const char *plain = vectors[i].plain;
		size_t n = strlen(plain);
		char *enc = pg_base64_encode((const unsigned char *)plain, n, true);
		unsigned char *dec = NULL;
		size_t declen = 99;

		assert_string_equal(enc, vectors[i].padded);
		free(enc);
		enc = pg_base64_encode((const unsigned char *)plain, n, false);
		assert_string_equal(enc, vectors[i].bare);
		free(enc);
		assert_int_equal(pg_base64_decode(&dec, &declen, vectors[i].padded, strlen(vectors[i].padded)), 0);
		assert_int_equal(declen, n);
		assert_memory_equal(dec, plain, n);
		free(dec);
		assert_int_equal(pg_base64_decode(&dec, &declen, vectors[i].bare, strlen(vectors[i].bare)), 0);
		assert_int_equal(declen, n);
		free(dec);
	}
}

static void test_strict_decoder_refuses(void **state)
{
	static const char *const bad[] = {
		"Zg==x",   /* data after padding */
		"Z",       /* six bits: no byte */
		"Zh==",    /* stray bits set in the last digit */
		"Zg===",   /* three pads */
		"Zm9v$A==", /* not a digit */
		"Zm-_",    /* URL-safe digits: not the standard alphabet */
	};
	unsigned char *dec = NULL;
	size_t n;

	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++)
		assert_int_equal(pg_base64_decode(&dec, &n, bad[i], strlen(bad[i])), -1);
	assert_null(dec);
	assert_int_equal(pg_base64_decode(&dec, &n, "Zm9v\r\n YmFy", 11), 0); /* whitespace skipped */
	assert_int_equal(n, 6);
	assert_memory_equal(dec, "foobar", 6);
	free(dec);
}

static void test_run_decoder(void **state)
{
	unsigned char out[32];

	/* both alphabets, stopping at the first byte that is not a digit */
	assert_int_equal(pg_base64_decode_run(out, "Zm9vYmFy\"rest", 13), 6);
	assert_memory_equal(out, "foobar", 6);
	assert_int_equal(pg_base64_decode_run(out, "-_-_", 4), 3);
	assert_int_equal(out[0], 0xfb);
	assert_int_equal(out[1], 0xff);
	assert_int_equal(out[2], 0xbf);
	assert_int_equal(pg_base64_decode_run(out, "=Zm9v", 5), 0);
	assert_int_equal(pg_base64_digit['+'], 62);
	assert_int_equal(pg_base64_digit['-'], 62);
	assert_int_equal(pg_base64_digit['/'], 63);
	assert_int_equal(pg_base64_digit['_'], 63);
	assert_int_equal(pg_base64_digit['='], -1);
	assert_int_equal(pg_base64_digit[0x80 + 'A'], -1);
}

static void test_random_round_trips(void **state)
{
	unsigned char in[300];
	uint64_t x = 0x9e3779b97f4a7c15ULL;

	for (size_t len = 0; len < sizeof(in); len++) {
		unsigned char *dec = NULL;
		size_t n = 0;
		char *enc;

		for (size_t i = 0; i < len; i++) {
			x ^= x << 13, x ^= x >> 7, x ^= x << 17;
			in[i] = (unsigned char)x;
		}
		for (int pad = 0; pad < 2; pad++) {
			assert_non_null(enc = pg_base64_encode(in, len, pad));
			assert_int_equal(strlen(enc), pad ? (len + 2) / 3 * 4 : (len * 4 + 2) / 3);
			assert_int_equal(pg_base64_decode(&dec, &n, enc, strlen(enc)), 0);
			assert_int_equal(n, len);
			assert_memory_equal(dec, in, len);
			free(dec);
			free(enc);
		}
	}
}

/* The run search's 64-byte digit masks: every implementation the CPU runs
 * (AVX2, SSE2, the table) says what pg_base64_digit[] says, for every byte
 * value at every position, on random blocks, and on blocks read at every
 * alignment. */
static uint64_t expected_mask(const char *p)
{
	uint64_t m = 0;

	for (int i = 0; i < 64; i++)
		m |= (uint64_t)(pg_base64_digit[(unsigned char)p[i]] >= 0) << i;
	return m;
}

static void test_digit_masks(void **state)
{
	pg_base64_digits64_fn *impl[8];
	size_t n = pg_base64_digits64_all(impl, 8);
	char buf[64 + 128];
	unsigned seed = 7;

	(void)state;
	assert_true(n >= 1);
	assert_ptr_equal(pg_base64_digits64(), impl[0]); /* the best is the first */
	for (size_t k = 0; k < n; k++) {
		for (int c = 0; c < 256; c++)
			for (int at = 0; at < 64; at++) {
				memset(buf, 'A', 64); /* all digits but one */
				buf[at] = (char)c;
				assert_int_equal(impl[k](buf), expected_mask(buf));
				memset(buf, ' ', 64); /* no digit but one */
				buf[at] = (char)c;
				assert_int_equal(impl[k](buf), expected_mask(buf));
			}
		for (int round = 0; round < 2000; round++) {
			size_t off = (size_t)round % 64;

			for (size_t i = 0; i < sizeof(buf); i++) {
				seed = seed * 1103515245u + 12345u;
				/* half the bytes near the digits' edges ('+' to 'z'), half anything */
				buf[i] = (char)(seed >> 31 ? 0x2a + (seed >> 16) % 0x52 : (seed >> 16) & 0xff);
			}
			assert_int_equal(impl[k](buf + off), expected_mask(buf + off));
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rfc4648_vectors),
		cmocka_unit_test(test_strict_decoder_refuses),
		cmocka_unit_test(test_run_decoder),
		cmocka_unit_test(test_random_round_trips),
		cmocka_unit_test(test_digit_masks),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
