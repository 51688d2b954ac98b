/* libFuzzer target for lib/glob.c: pattern and text split at the first NUL
 * (no NUL: the whole input is both); pg_glob_check, then the matchers when
 * the pattern is valid. Inputs are bounded as config values (256 bytes) and
 * paths (4096) are.
 *
 *   make fuzz && build-fuzz/fuzz_glob -max_total_time=60 tests/fuzz/corpus_glob
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "glob.h"

#define MAX_PATTERN 256 /* a config value */
#define MAX_TEXT 4096   /* PATH_MAX */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *copy, *pattern, *text;
	const uint8_t *nul;

	nul = memchr(data, 0, size);
	if ((nul ? (size_t)(nul - data) : size) > MAX_PATTERN || size > MAX_PATTERN + 1 + MAX_TEXT)
		return 0;
	if (!(copy = malloc(size + 1)))
		return 0;
	memcpy(copy, data, size);
	copy[size] = '\0';
	pattern = copy;
	text = nul ? copy + (nul - data) + 1 : copy;
	if (!pg_glob_check(pattern)) {
		(void)pg_glob_match_path(pattern, text);
		(void)pg_glob_match_path_casefold(pattern, text);
		(void)pg_glob_match(pattern, text);
	}
	free(copy);
	return 0;
}
