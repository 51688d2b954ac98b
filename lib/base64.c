#include "base64.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#endif

/* Generated from the two alphabets: "A"-"Z" 0-25, "a"-"z" 26-51, "0"-"9"
 * 52-61, "+" and "-" 62, "/" and "_" 63. */
const signed char pg_base64_digit[256] = {
	-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, /* 00 */
	-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, /* 10 */
	-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, 62, -1, 62, -1, 63, /* 20 */
	52, 53, 54, 55, 56, 57, 58, 59, 60, 61, -1, -1, -1, -1, -1, -1, /* 30 */
	-1,  0,  1,  2,  3,  4,  5,  6,  7,  8,  9, 10, 11, 12, 13, 14, /* 40 */
	15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, -1, -1, -1, -1, 63, /* 50 */
	-1, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40, /* 60 */
	41, 42, 43, 44, 45, 46, 47, 48, 49, 50, 51, -1, -1, -1, -1, -1, /* 70 */
	-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, /* 80 */
	-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, /* 90 */
	-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, /* a0 */
	-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, /* b0 */
	-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, /* c0 */
	-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, /* d0 */
	-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, /* e0 */
	-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, /* f0 */
};

int pg_base64_decode(unsigned char **out, size_t *outlen, const char *in, size_t len)
{
	unsigned char *o = malloc(len / 4 * 3 + 4);
	uint32_t acc = 0;
	size_t n = 0, bits = 0, pad = 0;

	if (!o)
		return -1;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)in[i];
		int v;

		if (c == ' ' || c == '\t' || c == '\r' || c == '\n')
			continue;
		if (c == '=') {
			pad++;
			continue;
		}
		if (pad || c == '-' || c == '_' || (v = pg_base64_digit[c]) < 0)
			goto bad; /* data after padding, or not standard base64 */
		acc = (acc << 6) | (uint32_t)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			o[n++] = (unsigned char)(acc >> bits);
		}
	}
	if (pad > 2 || bits >= 6 || (acc & ((1u << bits) - 1)))
		goto bad;
	*out = o;
	*outlen = n;
	return 0;
bad:
	free(o);
	return -1;
}

/* The digits as two nibble tables, for a byte-shuffle lookup: c is a digit
 * when lo[c & 15] & hi[c >> 4] is not 0. Classes, one bit each: 1 "+-/"
 * (row 2: B D F), 2 "0"-"9" (row 3: 0-9), 4 "A"-"O" and "a"-"o" (rows 4 and 6:
 * 1-F), 8 "P"-"Z" and "p"-"z" (rows 5 and 7: 0-A), 16 "_" (row 5: F). */
static const unsigned char digit_lo[16] = {
	2 | 8, 2 | 4 | 8, 2 | 4 | 8, 2 | 4 | 8, 2 | 4 | 8, 2 | 4 | 8, 2 | 4 | 8, 2 | 4 | 8,
	2 | 4 | 8, 2 | 4 | 8, 4 | 8, 1 | 4, 4, 1 | 4, 4, 1 | 4 | 16,
};
static const unsigned char digit_hi[16] = { 0, 0, 1, 2, 4, 8 | 16, 4, 8 };

static uint64_t digits64_table(const char *p)
{
	uint64_t m = 0;

	for (int i = 0; i < 64; i++)
		m |= (uint64_t)(pg_base64_digit[(unsigned char)p[i]] >= 0) << i;
	return m;
}

#if defined(__x86_64__) || defined(__i386__)
__attribute__((target("avx2"))) static uint64_t digits64_avx2(const char *p)
{
	const __m256i lo = _mm256_broadcastsi128_si256(_mm_loadu_si128((const __m128i *)(const void *)digit_lo));
	const __m256i hi = _mm256_broadcastsi128_si256(_mm_loadu_si128((const __m128i *)(const void *)digit_hi));
	const __m256i nibble = _mm256_set1_epi8(0x0f);
	uint64_t m = 0;

	for (int k = 0; k < 2; k++) {
		__m256i c = _mm256_loadu_si256((const __m256i *)(const void *)(p + 32 * k));
		/* bytes from 0x80 up have a high nibble of 8 to F: no class */
		__m256i cls = _mm256_and_si256(_mm256_shuffle_epi8(lo, _mm256_and_si256(c, nibble)),
					       _mm256_shuffle_epi8(hi, _mm256_and_si256(_mm256_srli_epi16(c, 4), nibble)));
		__m256i none = _mm256_cmpeq_epi8(cls, _mm256_setzero_si256());

		m |= (uint64_t)(uint32_t)~_mm256_movemask_epi8(none) << (32 * k);
	}
	return m;
}
#endif

#if defined(__SSE2__)
static uint64_t digits64_sse2(const char *p)
{
	uint64_t m = 0;

	for (int k = 0; k < 4; k++) {
		__m128i c = _mm_loadu_si128((const __m128i *)(const void *)(p + 16 * k));
		__m128i bias = _mm_set1_epi8((char)0x80);
		/* unsigned (c - lo) < n, as a signed compare after flipping the top bit */
		__m128i lower = _mm_or_si128(c, _mm_set1_epi8(0x20));
		__m128i alpha = _mm_cmplt_epi8(_mm_xor_si128(_mm_sub_epi8(lower, _mm_set1_epi8('a')), bias),
					       _mm_set1_epi8((char)(26 - 128)));
		__m128i digit = _mm_cmplt_epi8(_mm_xor_si128(_mm_sub_epi8(c, _mm_set1_epi8('0')), bias),
					       _mm_set1_epi8((char)(10 - 128)));
		__m128i sym = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(c, _mm_set1_epi8('+')),
							 _mm_cmpeq_epi8(c, _mm_set1_epi8('/'))),
					   _mm_or_si128(_mm_cmpeq_epi8(c, _mm_set1_epi8('-')),
							_mm_cmpeq_epi8(c, _mm_set1_epi8('_'))));

		m |= (uint64_t)(uint16_t)_mm_movemask_epi8(_mm_or_si128(_mm_or_si128(alpha, digit), sym)) << (16 * k);
	}
	return m;
}
#endif

static bool has_avx2(void)
{
#if defined(__x86_64__) || defined(__i386__)
	__builtin_cpu_init();
	return __builtin_cpu_supports("avx2");
#else
	return false;
#endif
}

size_t pg_base64_digits64_all(pg_base64_digits64_fn **out, size_t n)
{
	pg_base64_digits64_fn *all[3];
	size_t k = 0;

#if defined(__x86_64__) || defined(__i386__)
	if (has_avx2())
		all[k++] = digits64_avx2;
#endif
#if defined(__SSE2__)
	all[k++] = digits64_sse2;
#endif
	all[k++] = digits64_table;
	for (size_t i = 0; i < k && i < n; i++)
		out[i] = all[i];
	return k < n ? k : n;
}

static pg_base64_digits64_fn *best;
static pthread_once_t best_once = PTHREAD_ONCE_INIT;

static void choose_best(void)
{
	pg_base64_digits64_all(&best, 1);
}

pg_base64_digits64_fn *pg_base64_digits64(void)
{
	pthread_once(&best_once, choose_best);
	return best;
}

size_t pg_base64_decode_run(unsigned char *out, const char *in, size_t len)
{
	uint32_t acc = 0;
	size_t n = 0;
	int bits = 0;

	for (size_t i = 0; i < len; i++) {
		int v = pg_base64_digit[(unsigned char)in[i]];

		if (v < 0)
			break;
		acc = (acc << 6) | (uint32_t)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			out[n++] = (unsigned char)(acc >> bits);
		}
	}
	return n;
}

char *pg_base64_encode(const unsigned char *in, size_t len, bool pad)
{
	static const char tab[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	char *o, *p;
	size_t i;

	if (len > (SIZE_MAX - 5) / 4 * 3 || !(o = malloc(len / 3 * 4 + 5)))
		return NULL;
	p = o;
	for (i = 0; i + 2 < len; i += 3) {
		uint32_t v = (uint32_t)in[i] << 16 | (uint32_t)in[i + 1] << 8 | in[i + 2];

		*p++ = tab[v >> 18];
		*p++ = tab[(v >> 12) & 63];
		*p++ = tab[(v >> 6) & 63];
		*p++ = tab[v & 63];
	}
	if (len - i == 1) {
		*p++ = tab[in[i] >> 2];
		*p++ = tab[(in[i] & 3) << 4];
		if (pad) {
			*p++ = '=';
			*p++ = '=';
		}
	} else if (len - i == 2) {
		*p++ = tab[in[i] >> 2];
		*p++ = tab[((in[i] & 3) << 4) | (in[i + 1] >> 4)];
		*p++ = tab[(in[i + 1] & 15) << 2];
		if (pad)
			*p++ = '=';
	}
	*p = '\0';
	return o;
}
