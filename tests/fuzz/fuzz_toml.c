/* libFuzzer target for lib/toml.c (and the Go-regex translator in lib/rules.c,
 * fed every string value of a document that parses).
 *
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -std=c11 -D_GNU_SOURCE -Ilib \
 *     tests/fuzz/fuzz_toml.c lib/toml.c lib/rules.c lib/regex.c lib/buf.c lib/strvec.c lib/error.c \
 *     $(pkg-config --libs libgit2 libpcre2-8 libcrypto) -lm -o build/fuzz_toml
 *   build/fuzz_toml -max_total_time=60 tests/fuzz/corpus_toml
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "re2.h"
#include "rules.h"
#include "toml.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void walk(const struct pg_toml *t, int depth)
{
	if (t->type == PG_TOML_STRING) {
		char *out = NULL;
		struct pg_error err = PG_ERROR_INIT;

		if (pg_re2_translate(&out, NULL, t->str, &err) == 0) {
			if (!out)
				abort();
			free(out);
		} else if (out || !err.msg[0]) {
			abort(); /* failures leave no output and say why */
		}
		return;
	}
	if (depth > 2 * PG_TOML_MAX_DEPTH * PG_TOML_MAX_DEPTH)
		abort();
	for (size_t i = 0; i < t->n; i++) {
		if ((t->type == PG_TOML_TABLE) != (t->kids[i]->key != NULL))
			abort(); /* table members have keys, array elements none */
		walk(t->kids[i], depth + 1);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pg_toml *t = NULL;
	struct pg_error err = PG_ERROR_INIT;

	if (pg_toml_parse(&t, (const char *)data, size, "fuzz.toml", &err) == 0) {
		if (!t || t->type != PG_TOML_TABLE)
			abort();
		walk(t, 0);
		pg_toml_free(t);
	} else if (t || strncmp(err.msg, "fuzz.toml", 9)) {
		abort(); /* every error names the file */
	}
	return 0;
}
