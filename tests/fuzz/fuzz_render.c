/* libFuzzer target for lib/render.c's sanitiser: arbitrary bytes (a
 * NUL-terminated copy) through pg_render_safe and pg_render_safe_dup; the
 * output must hold no control character and be valid UTF-8.
 *
 *   make fuzz && build-fuzz/fuzz_render -max_total_time=60 tests/fuzz/corpus_render
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "render.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_safe(const unsigned char *s, size_t len)
{
	for (size_t i = 0; i < len;) {
		unsigned char c = s[i];
		size_t n;

		if (c < 0x20 || c == 0x7f)
			abort(); /* C0 or DEL got through */
		if (c < 0x80) {
			i++;
			continue;
		}
		n = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 0;
		if (!n || i + n > len)
			abort(); /* invalid UTF-8 got through */
		for (size_t k = 1; k < n; k++)
			if ((s[i + k] & 0xc0) != 0x80)
				abort();
		if (n == 2 && c == 0xc2 && s[i + 1] < 0xa0)
			abort(); /* a C1 control got through */
		i += n;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pg_buf out = PG_BUF_INIT;
	char *copy = malloc(size + 1), *dup;

	if (!copy)
		return 0;
	memcpy(copy, data, size);
	copy[size] = '\0';
	pg_render_safe(&out, copy);
	check_safe((const unsigned char *)out.ptr, out.len);
	if ((dup = pg_render_safe_dup(copy))) {
		if (strlen(dup) != out.len || memcmp(dup, out.ptr, out.len))
			abort(); /* both spellings agree */
		free(dup);
	}
	pg_buf_release(&out);
	free(copy);
	return 0;
}
