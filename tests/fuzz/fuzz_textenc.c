/* libFuzzer target for lib/textenc.c: detects and decodes the input whole,
 * then again in pieces cut at sizes taken from the first byte, and checks
 * that both give the same bytes and stay within pg_textenc_max_out(); reads
 * the input as a binary file's text (pg_textenc_strings) whole and in the
 * same pieces, and checks both agree, stay within their bound and hold only
 * printable lines of the minimum length.
 *
 *   make fuzz && build-fuzz/fuzz_textenc -max_total_time=60 tests/fuzz/corpus_textenc
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "textenc.h"

#define MAX_INPUT (1 << 16)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void strings(const uint8_t *data, size_t size, size_t piece)
{
	struct pg_textenc_strings st = PG_TEXTENC_STRINGS_INIT;
	char *whole = malloc(size + PG_TEXTENC_STRINGS_MIN), *part = malloc(size + PG_TEXTENC_STRINGS_MIN);
	size_t nwhole, n = 0, run = 0;

	if (!whole || !part)
		goto out;
	nwhole = pg_textenc_strings(&st, data, size, whole, true);
	if (nwhole > size + 1)
		abort();
	for (size_t i = 0; i < nwhole; i++) {
		unsigned char c = (unsigned char)whole[i];

		if (c == '\n') {
			if (run < PG_TEXTENC_STRINGS_MIN)
				abort();
			run = 0;
		} else if ((c < 0x20 && c != '\t') || c > 0x7e) {
			abort();
		} else {
			run++;
		}
	}
	if (run) /* every line ends */
		abort();
	for (size_t at = 0;; at += piece) {
		size_t k = size - at < piece ? size - at : piece;
		size_t got = pg_textenc_strings(&st, data + at, k, part + n, at + k >= size);

		if (got > k + PG_TEXTENC_STRINGS_MIN)
			abort();
		n += got;
		if (at + k >= size)
			break;
	}
	if (n != nwhole || memcmp(part, whole, n))
		abort();
out:
	free(whole);
	free(part);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *whole = NULL, *part;
	size_t nwhole = 0, bom, piece, n = 0;
	enum pg_textenc enc;
	int rc;

	if (size < 1 || size > MAX_INPUT)
		return 0;
	piece = (size_t)data[0] % 7 + 1;
	data++, size--;
	strings(data, size, piece);
	rc = pg_textenc_to_utf8(&whole, &nwhole, data, size);
	enc = pg_textenc_detect(data, size, &bom);
	if ((rc == 1) != (enc != PG_TEXTENC_NONE))
		abort();
	if (rc != 1)
		return 0;
	if (nwhole > pg_textenc_max_out(size - bom) || whole[nwhole] != '\0')
		abort();
	if (!(part = malloc(pg_textenc_max_out(size) + 1))) {
		free(whole);
		return 0;
	}
	{
		struct pg_textenc_decoder d = PG_TEXTENC_DECODER_INIT(enc);

		for (size_t at = bom; at < size || at == bom; at += piece) {
			size_t k = size - at < piece ? size - at : piece;
			size_t got = pg_textenc_decode(&d, data + at, k, part + n, at + k >= size);

			if (got > pg_textenc_max_out(k))
				abort();
			n += got;
			if (at + k >= size)
				break;
		}
	}
	if (n != nwhole || memcmp(part, whole, n))
		abort();
	free(part);
	free(whole);
	return 0;
}
