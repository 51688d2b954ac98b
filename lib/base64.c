#include "base64.h"

#include <stdint.h>
#include <stdlib.h>

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
