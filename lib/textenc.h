/* Text in UTF-16 or UTF-32 (little or big endian, with or without a byte
 * order mark), as Windows tools write it (PowerShell's Out-File, .reg
 * exports, some .NET and Visual Studio files). git calls such a file binary
 * (it holds NUL bytes), so a scanner that skips binary files would skip it:
 * this module recognises it and decodes it to UTF-8 for the secret scanner.
 * Line numbers then refer to the decoded text.
 *
 * Recognised: a byte order mark (UTF-32 ones before UTF-16 ones, as
 * FF FE 00 00 starts both), or, without one, the NUL pattern of mostly-ASCII
 * text in the first PG_TEXTENC_SNIFF bytes (x 00 / 00 x / x 00 00 00 /
 * 00 00 00 x, the x mostly printable). Text in another script without a
 * mark is not recognised (it is rare without one). Decoding never fails on
 * content: an odd trailing byte, a lone or reversed surrogate, a code point
 * past U+10FFFF becomes U+FFFD. */
#ifndef PG_TEXTENC_H
#define PG_TEXTENC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum pg_textenc { PG_TEXTENC_NONE, PG_TEXTENC_UTF16LE, PG_TEXTENC_UTF16BE, PG_TEXTENC_UTF32LE,
		  PG_TEXTENC_UTF32BE };

/* Bytes of the start of a file looked at to recognise text without a mark. */
#define PG_TEXTENC_SNIFF 1024

/* "UTF-16LE", ...; "" for NONE. */
const char *pg_textenc_name(enum pg_textenc enc);

/* The encoding data (the start of a file is enough) is in, or NONE; *bom is
 * set to the length of its byte order mark (0 without one). */
enum pg_textenc pg_textenc_detect(const void *data, size_t len, size_t *bom);

/* Plain text to git: no NUL, no control byte but tab, LF and CR, no DEL,
 * and no first byte that may start a UTF-16 or UTF-32 byte order mark. True
 * means git_blob_data_is_binary() would say "not binary" (it counts the
 * bytes one by one); false means nothing: ask it. Sixteen bytes at a time. */
bool pg_textenc_plain(const void *data, size_t len);

/* git_blob_data_is_binary(data, len), asked only of what is not plain text. */
bool pg_textenc_binary(const void *data, size_t len);

/* An incremental decoder: feed the bytes in pieces of any size (a unit cut
 * between two pieces is kept for the next); the output of one call is at most
 * pg_textenc_max_out(len) bytes. Start after the byte order mark. */
struct pg_textenc_decoder {
	enum pg_textenc enc;
	unsigned char carry[4];
	size_t ncarry;
	uint32_t high;  /* a UTF-16 high surrogate waiting for its low half; 0 none */
};

#define PG_TEXTENC_DECODER_INIT(enc) { (enc), { 0 }, 0, 0 }

/* Room the UTF-8 of len more input bytes can need (carry and flush included). */
size_t pg_textenc_max_out(size_t len);

/* Decodes in[0..len) to UTF-8 at out, which has room for
 * pg_textenc_max_out(len) bytes; last: the input ends here (a cut unit or a
 * waiting surrogate becomes U+FFFD). Returns the bytes written. */
size_t pg_textenc_decode(struct pg_textenc_decoder *d, const void *in, size_t len, char *out, bool last);

/* Detects and decodes a whole text: 1 with *out (malloc'd, NUL-terminated,
 * the caller frees) and *out_len set, 0 when data is not UTF-16/32 text, -1
 * when out of memory. */
int pg_textenc_to_utf8(char **out, size_t *out_len, const void *data, size_t len);

/* Binary data read as its printable text, as strings(1) shows it: each run
 * of at least PG_TEXTENC_STRINGS_MIN bytes of printable ASCII and tab becomes
 * a line; every other byte, and shorter runs, are dropped. A token or a key
 * in a file that git calls binary (one NUL byte is enough) stays whole on a
 * line of its own, and random binary data gives almost no lines at all.
 * Feed the data in pieces of any size; the output of one call is at most
 * len + PG_TEXTENC_STRINGS_MIN bytes (a run cut between pieces is held back
 * until it is long enough); last: the data ends here. Returns the bytes
 * written to out. */
#define PG_TEXTENC_STRINGS_MIN 8

struct pg_textenc_strings {
	char run[PG_TEXTENC_STRINGS_MIN]; /* the start of a run, held until it is long enough */
	size_t nrun;                      /* its length so far (beyond the minimum: written) */
};

#define PG_TEXTENC_STRINGS_INIT { { 0 }, 0 }

size_t pg_textenc_strings(struct pg_textenc_strings *st, const void *in, size_t len, char *out, bool last);

#endif
