/* libFuzzer target for lib/signature_parse.c's object splitter: the bytes as a raw
 * commit and as a raw tag object (pg_signed_parse: payload, signature,
 * format, signer email and time, subject), and an SSH signature that comes
 * out of it through lib/sshsig.c's parser.
 *
 *   make fuzz && build-fuzz/fuzz_signature -max_total_time=60 tests/fuzz/corpus_signature
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "signature.h"
#include "sshsig.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void one(const uint8_t *data, size_t size, git_object_t type)
{
	struct pg_signed s = PG_SIGNED_INIT;
	struct pg_error err = PG_ERROR_INIT;

	if (pg_signed_parse(&s, (const char *)data, size, type, &err) == 0) {
		if (!s.email || !s.subject)
			abort();
		if (s.payload.len > size || s.signature.len > size)
			abort(); /* both are cut from the object */
		if (s.format == PG_SIG_SSH) {
			struct pg_sshsig sig = PG_SSHSIG_INIT;
			struct pg_error serr = PG_ERROR_INIT;

			(void)pg_sshsig_parse(&sig, s.signature.ptr, s.signature.len, &serr);
			pg_sshsig_release(&sig);
		}
	} else if (!err.msg[0]) {
		abort(); /* every error says why */
	}
	pg_signed_release(&s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	one(data, size, GIT_OBJECT_COMMIT);
	one(data, size, GIT_OBJECT_TAG);
	return 0;
}
