/* Unit tests for lib/textenc.c: UTF-16/UTF-32 text found and decoded to
 * UTF-8, pathological input included (odd lengths, lone surrogates, cut
 * byte order marks, pieces cut inside a unit). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include <git2.h>

#include "textenc.h"

/* ASCII text as UTF-16/32 in enc, with a byte order mark when bom. */
static size_t encode(unsigned char *out, const char *s, enum pg_textenc enc, bool bom)
{
	size_t n = 0, w = enc == PG_TEXTENC_UTF32LE || enc == PG_TEXTENC_UTF32BE ? 4 : 2;
	bool le = enc == PG_TEXTENC_UTF16LE || enc == PG_TEXTENC_UTF32LE;

	if (bom) {
		uint32_t cp = 0xfeff;

		for (size_t k = 0; k < w; k++)
			out[n + k] = (unsigned char)(le ? cp >> (8 * k) : cp >> (8 * (w - 1 - k)));
		n += w;
	}
	for (; *s; s++, n += w)
		for (size_t k = 0; k < w; k++)
			out[n + k] = (unsigned char)(le ? (unsigned char)*s >> (8 * k)
						   : (unsigned char)*s >> (8 * (w - 1 - k)));
	return n;
}

static void expect_utf8(const void *data, size_t len, const char *want, size_t want_len)
{
	char *out;
	size_t n;

	assert_int_equal(pg_textenc_to_utf8(&out, &n, data, len), 1);
	assert_int_equal(n, want_len);
	assert_memory_equal(out, want, want_len);
	assert_int_equal(out[n], '\0');
	free(out);
}

static void test_every_encoding_with_and_without_bom(void **state)
{
	static const enum pg_textenc encs[] = { PG_TEXTENC_UTF16LE, PG_TEXTENC_UTF16BE, PG_TEXTENC_UTF32LE,
						PG_TEXTENC_UTF32BE };
	const char *text = "token = \"ghp_abc\"\nsecond line\n";
	unsigned char buf[512];

	(void)state;
	for (size_t i = 0; i < 4; i++)
		for (int bom = 0; bom < 2; bom++) {
			size_t len = encode(buf, text, encs[i], bom), skip;

			assert_int_equal(pg_textenc_detect(buf, len, &skip), encs[i]);
			assert_int_equal(skip, bom ? (encs[i] >= PG_TEXTENC_UTF32LE ? 4 : 2) : 0);
			expect_utf8(buf, len, text, strlen(text));
		}
}

static void test_not_utf16(void **state)
{
	static const unsigned char ints[] = { 1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0, 200, 0, 0, 0 };
	static const unsigned char png[] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13 };
	static char sentinel[] = "x";
	char *out = sentinel; /* must come back NULL */
	size_t n = 7, bom = 9;

	(void)state;
	assert_int_equal(pg_textenc_detect("plain UTF-8 text\n", 17, &bom), PG_TEXTENC_NONE);
	assert_int_equal(bom, 0);
	assert_int_equal(pg_textenc_detect("", 0, &bom), PG_TEXTENC_NONE);
	assert_int_equal(pg_textenc_detect("a", 1, &bom), PG_TEXTENC_NONE);
	assert_int_equal(pg_textenc_detect("a\0", 2, &bom), PG_TEXTENC_NONE); /* one unit: too little */
	/* small integers are NUL-patterned too, but not text */
	assert_int_equal(pg_textenc_detect(ints, sizeof(ints), &bom), PG_TEXTENC_NONE);
	assert_int_equal(pg_textenc_detect(png, sizeof(png), &bom), PG_TEXTENC_NONE);
	assert_int_equal(pg_textenc_to_utf8(&out, &n, png, sizeof(png)), 0);
	assert_null(out);
	assert_int_equal(n, 0);
}

static void test_truncated_bom(void **state)
{
	size_t bom;

	(void)state;
	/* one byte of a mark is no mark */
	assert_int_equal(pg_textenc_detect("\xff", 1, &bom), PG_TEXTENC_NONE);
	assert_int_equal(pg_textenc_detect("\xfe", 1, &bom), PG_TEXTENC_NONE);
	/* FF FE 00: a UTF-32LE mark cut short is a UTF-16LE mark and one odd byte */
	assert_int_equal(pg_textenc_detect("\xff\xfe\0", 3, &bom), PG_TEXTENC_UTF16LE);
	assert_int_equal(bom, 2);
	expect_utf8("\xff\xfe\0", 3, "\xef\xbf\xbd", 3);
	/* 00 00 FE: not a mark */
	assert_int_equal(pg_textenc_detect("\0\0\xfe", 3, &bom), PG_TEXTENC_NONE);
	/* a mark alone is empty text */
	expect_utf8("\xfe\xff", 2, "", 0);
	expect_utf8("\0\0\xfe\xff", 4, "", 0);
}

static void test_odd_length_and_surrogates(void **state)
{
	(void)state;
	/* "AB" then a stray byte: U+FFFD for it */
	expect_utf8("\xff\xfe" "A\0B\0C", 7, "AB\xef\xbf\xbd", 5);
	/* a pair: U+1F600 */
	expect_utf8("\xff\xfe" "\x3d\xd8\x00\xde", 6, "\xf0\x9f\x98\x80", 4);
	/* a lone high surrogate before a letter, at the end, and a lone low one */
	expect_utf8("\xff\xfe" "\x3d\xd8" "A\0", 6, "\xef\xbf\xbd" "A", 4);
	expect_utf8("\xff\xfe" "A\0" "\x3d\xd8", 6, "A\xef\xbf\xbd", 4);
	expect_utf8("\xfe\xff" "\xde\x00" "\0A", 6, "\xef\xbf\xbd" "A", 4);
	/* two high halves in a row: both replaced */
	expect_utf8("\xff\xfe" "\x3d\xd8\x3d\xd8", 6, "\xef\xbf\xbd\xef\xbf\xbd", 6);
	/* UTF-32: a surrogate and a value past U+10FFFF; a cut unit */
	expect_utf8("\xff\xfe\0\0" "\x00\xd8\0\0" "\0\0\x11\0" "A\0\0\0" "B\0", 18,
		    "\xef\xbf\xbd\xef\xbf\xbd" "A\xef\xbf\xbd", 10);
	/* NULs inside the text stay NULs (U+0000) */
	expect_utf8("\xff\xfe" "a\0\0\0b\0", 8, "a\0b", 3);
}

/* The same text fed in pieces of every size gives the same UTF-8 as whole. */
static void test_pieces(void **state)
{
	static const unsigned char in[] = "\x3d\xd8\x00\xde" "a\0" "\x3d\xd8" "b\0" "\xe9\0" "\x00\xdc" "c";
	const size_t len = sizeof(in) - 1;
	char whole[128], part[128];
	size_t nwhole;

	(void)state;
	{
		struct pg_textenc_decoder d = PG_TEXTENC_DECODER_INIT(PG_TEXTENC_UTF16LE);

		nwhole = pg_textenc_decode(&d, in, len, whole, true);
	}
	assert_memory_equal(whole, "\xf0\x9f\x98\x80" "a\xef\xbf\xbd" "b\xc3\xa9\xef\xbf\xbd\xef\xbf\xbd", nwhole);
	for (size_t piece = 1; piece <= len; piece++) {
		struct pg_textenc_decoder d = PG_TEXTENC_DECODER_INIT(PG_TEXTENC_UTF16LE);
		size_t n = 0;

		for (size_t at = 0; at < len; at += piece) {
			size_t k = len - at < piece ? len - at : piece;
			size_t got = pg_textenc_decode(&d, in + at, k, part + n, at + k == len);

			assert_true(got <= pg_textenc_max_out(k));
			n += got;
		}
		assert_int_equal(n, nwhole);
		assert_memory_equal(part, whole, n);
	}
}

/* Worst cases for the output size: every unit a 3-byte character, and a
 * high half followed by a BMP character (U+FFFD then the character). */
static void test_max_out(void **state)
{
	unsigned char in[4096];
	char *out;
	size_t n;

	(void)state;
	for (size_t i = 0; i < sizeof(in); i += 4) {
		in[i] = 0x00, in[i + 1] = 0xd8; /* high */
		in[i + 2] = 0xac, in[i + 3] = 0x20; /* U+20AC */
	}
	{
		struct pg_textenc_decoder d = PG_TEXTENC_DECODER_INIT(PG_TEXTENC_UTF16LE);

		out = malloc(pg_textenc_max_out(sizeof(in)));
		assert_non_null(out);
		n = pg_textenc_decode(&d, in, sizeof(in), out, true);
		assert_true(n <= pg_textenc_max_out(sizeof(in)));
		assert_int_equal(n, sizeof(in) / 4 * 6);
		free(out);
	}
}

/* Binary data read as text: runs of at least 8 bytes of printable ASCII and
 * tab, one per line; the rest dropped; the same in pieces of any size. */
static void test_strings(void **state)
{
	const char data[] = "\x7f" "ELF\0\0\x01TOKEN=ghp_a1\tb~\x80\xc3\xa9zzzzzzz\r\n\x1f short\0-----BEGIN KEY";
	const char want[] = "TOKEN=ghp_a1\tb~\n-----BEGIN KEY\n";
	size_t len = sizeof(data) - 1;
	char out[sizeof(data) + PG_TEXTENC_STRINGS_MIN];
	unsigned char noise[4096];
	struct pg_textenc_strings st = PG_TEXTENC_STRINGS_INIT;
	size_t n, lines = 0;

	(void)state;
	n = pg_textenc_strings(&st, data, len, out, true);
	assert_int_equal(n, strlen(want));
	assert_memory_equal(out, want, n);
	/* a byte at a time: the same */
	for (size_t i = 0, o = 0; i <= len; i++) {
		size_t k = pg_textenc_strings(&st, data + i, i < len ? 1 : 0, out + o, i == len);

		assert_true(k <= 1 + PG_TEXTENC_STRINGS_MIN);
		o += k;
		if (i == len) {
			assert_int_equal(o, strlen(want));
			assert_memory_equal(out, want, o);
		}
	}
	/* a run of exactly the minimum is kept, one byte shorter is not */
	n = pg_textenc_strings(&st, "\0abcdefgh\0abcdefg\0", 18, out, true);
	assert_int_equal(n, 9);
	assert_memory_equal(out, "abcdefgh\n", 9);
	/* random bytes: hardly a line (a run of 8 printable bytes is 0.04% likely) */
	for (size_t i = 0; i < sizeof(noise); i++)
		noise[i] = (unsigned char)((i * 2654435761u) >> 13);
	{
		char big[sizeof(noise) + PG_TEXTENC_STRINGS_MIN];

		n = pg_textenc_strings(&st, noise, sizeof(noise), big, true);
		for (size_t i = 0; i < n; i++)
			lines += big[i] == '\n';
	}
	assert_true(lines < 8);
}

/* strings(1) as the reference reads it: a byte at a time. */
static size_t strings_reference(const unsigned char *p, size_t len, char *out)
{
	size_t o = 0, i = 0;

	while (i < len) {
		size_t j = i;

		while (j < len && ((p[j] >= 0x20 && p[j] < 0x7f) || p[j] == '\t'))
			j++;
		if (j - i >= PG_TEXTENC_STRINGS_MIN) {
			memcpy(out + o, p + i, j - i);
			o += j - i;
			out[o++] = '\n';
		}
		i = j + 1;
	}
	return o;
}

/* Data long enough to be read 64 bytes at a time: runs of every length
 * around the minimum, across block edges, between random bytes; whole and in
 * random pieces, the same as the reference. */
static void test_strings_blocks(void **state)
{
	static unsigned char data[64 * 1024];
	static char want[sizeof(data) + 1], got[sizeof(data) + PG_TEXTENC_STRINGS_MIN * 2];
	unsigned seed = 99;

	(void)state;
	for (int round = 0; round < 40; round++) {
		size_t len = 0, n, o = 0;
		struct pg_textenc_strings st = PG_TEXTENC_STRINGS_INIT;

		while (len < sizeof(data)) {
			size_t run;

			seed = seed * 1103515245u + 12345u;
			run = (seed >> 16) % (round % 2 ? 12 : 80); /* short runs, or long ones */
			for (size_t k = 0; k < run && len < sizeof(data); k++) {
				seed = seed * 1103515245u + 12345u;
				data[len++] = (unsigned char)((seed >> 20) % 8 ? 0x20 + (seed >> 8) % 0x5f : '\t');
			}
			seed = seed * 1103515245u + 12345u;
			for (size_t k = (seed >> 16) % 5; k > 0 && len < sizeof(data); k--) {
				seed = seed * 1103515245u + 12345u;
				data[len++] = (unsigned char)((seed >> 16) % 2 ? (seed >> 8) % 0x20 : 0x7f + (seed >> 8) % 0x81);
			}
		}
		len -= (size_t)round; /* not a multiple of 64 */
		n = strings_reference(data, len, want);
		/* whole */
		assert_int_equal(pg_textenc_strings(&st, data, len, got, true), n);
		assert_memory_equal(got, want, n);
		/* in pieces of 1 to 300 bytes */
		for (size_t at = 0; at < len;) {
			size_t piece;

			seed = seed * 1103515245u + 12345u;
			piece = 1 + (seed >> 16) % 300;
			piece = piece < len - at ? piece : len - at;
			o += pg_textenc_strings(&st, data + at, piece, got + o, at + piece == len);
			at += piece;
		}
		assert_int_equal(o, n);
		assert_memory_equal(got, want, n);
	}
}

/* pg_textenc_plain() only ever says what libgit2 says, and pg_textenc_binary() says it all: every byte value at
 * every place of a 16-byte block and of the tail, and the byte order marks. */
static void test_plain_as_libgit2(void **state)
{
	char buf[64];
	static const struct {
		const char *s;
		size_t n;
	} starts[] = {
		{ "\xef\xbb\xbf" "text", 7 },	   /* UTF-8: libgit2 skips the mark */
		{ "\xff\xfe" "t\0e\0", 6 },	   /* UTF-16LE */
		{ "\xfe\xff" "\0t\0e", 6 },	   /* UTF-16BE */
		{ "\xff\xfe\0\0" "t\0\0\0", 8 }, /* UTF-32LE */
		{ "\0\0\xfe\xff" "\0\0\0t", 8 }, /* UTF-32BE */
		{ "\xfe" "text", 5 },
	};

	(void)state;
	for (int c = 0; c < 256; c++)
		for (size_t at = 0; at < 40; at++) {
			memset(buf, 'a', 40);
			buf[at] = (char)c;
			if (pg_textenc_plain(buf, 40) && git_blob_data_is_binary(buf, 40))
				fail_msg("byte 0x%02x at %zu: plain here, binary to libgit2", c, at);
			assert_int_equal(pg_textenc_binary(buf, 40), git_blob_data_is_binary(buf, 40));
			/* plain is exactly: no other byte than these */
			assert_int_equal(pg_textenc_plain(buf, 40),
					 at == 0 && (c == 0xfe || c == 0xff) ? false
					 : (c >= 0x20 && c != 0x7f) || c == '\t' || c == '\n' || c == '\r');
		}
	for (size_t i = 0; i < sizeof(starts) / sizeof(starts[0]); i++)
		if (pg_textenc_plain(starts[i].s, starts[i].n) && git_blob_data_is_binary(starts[i].s, starts[i].n))
			fail_msg("start %zu: plain here, binary to libgit2", i);
		else if (pg_textenc_binary(starts[i].s, starts[i].n) != git_blob_data_is_binary(starts[i].s, starts[i].n))
			fail_msg("start %zu: pg_textenc_binary differs from libgit2", i);
	assert_true(pg_textenc_plain("", 0));
	assert_true(pg_textenc_plain("\xef\xbb\xbf" "caf\xc3\xa9\r\n", 9));
	assert_false(pg_textenc_plain("\xff\xfe" "t\0", 4));
	assert_false(pg_textenc_plain("a\0b", 3));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_encoding_with_and_without_bom),
		cmocka_unit_test(test_not_utf16),
		cmocka_unit_test(test_truncated_bom),
		cmocka_unit_test(test_odd_length_and_surrogates),
		cmocka_unit_test(test_pieces),
		cmocka_unit_test(test_max_out),
		cmocka_unit_test(test_strings),
		cmocka_unit_test(test_strings_blocks),
		cmocka_unit_test(test_plain_as_libgit2),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
