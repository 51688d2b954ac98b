/* libFuzzer target for lib/rules.c (over lib/toml.c): the bytes are a
 * gitleaks rules file loaded with pg_ruleset_load from a temp file in /tmp.
 * ([extend] useDefault has no builtin file here, so it is an error.)
 *
 *   make fuzz && build-fuzz/fuzz_rules -max_total_time=60 tests/fuzz/corpus_rules
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rules.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[] = "/tmp/pg-fuzz-rules.XXXXXX";
	struct pg_ruleset rs = PG_RULESET_INIT;
	struct pg_error err = PG_ERROR_INIT;
	int fd = mkstemp(path), rc;

	if (fd < 0)
		abort();
	if (size && write(fd, data, size) != (ssize_t)size)
		abort();
	close(fd);
	rc = pg_ruleset_load(&rs, path, NULL, &err);
	if (rc < 0 && !err.msg[0])
		abort(); /* every error says why */
	if (rc == 0) {
		if (strlen(pg_ruleset_digest(&rs)) != 64)
			abort();
		for (size_t i = 0; i < rs.n; i++) {
			const struct pg_rule *r = &rs.rules[i];

			if (!r->id || !r->origin)
				abort();
			(void)pg_ruleset_allows(&rs, r, "0123456789abcdef", "a/b.txt", "secret",
						"key=secret", "key=secret # line");
		}
	}
	pg_ruleset_release(&rs);
	unlink(path);
	return 0;
}
