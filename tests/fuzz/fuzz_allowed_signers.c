/* libFuzzer target for lib/allowed_signers.c: the bytes as an ssh-keygen
 * allowed signers file (pg_allowed_signers_parse), then every listed key
 * looked up again (pg_allowed_signers_find) as git would.
 *
 *   make fuzz && build-fuzz/fuzz_allowed_signers -max_total_time=60 tests/fuzz/corpus_allowed_signers
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "allowed_signers.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pg_allowed_signers as = PG_ALLOWED_SIGNERS_INIT;
	struct pg_error err = PG_ERROR_INIT;

	if (pg_allowed_signers_parse(&as, (const char *)data, size, "fuzz_signers", &err) == 0) {
		for (size_t i = 0; i < as.n; i++) {
			const struct pg_allowed_signer *m = NULL;
			enum pg_as_result r;

			if (!as.v[i].principals)
				abort();
			r = pg_allowed_signers_find(&as, &as.v[i].key, "git", 1700000000, NULL, &m);
			if (r != PG_AS_NOT_LISTED && !m)
				abort(); /* a listed key names its deciding line */
			(void)pg_allowed_signers_find(&as, &as.v[i].key, "file", 0,
						      "user@example.com", &m);
			(void)pg_ssh_match_list("user@example.com", as.v[i].principals);
		}
	} else if (strncmp(err.msg, "fuzz_signers", 12)) {
		abort(); /* every error names the file */
	}
	pg_allowed_signers_release(&as);
	return 0;
}
