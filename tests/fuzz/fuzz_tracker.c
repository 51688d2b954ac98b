/* libFuzzer target for lib/tracker.c's answer interpretation: the bytes as
 * the HTTP 200 body of a ticket lookup, for every tracker type
 * (pg_tracker_interpret; no network), with the default allowed states and
 * with an explicit list, ServiceNow also with its change window checked.
 *
 *   make fuzz && build-fuzz/fuzz_tracker -max_total_time=60 tests/fuzz/corpus_tracker
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tracker.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void one(const struct pg_tracker *t, long status, const uint8_t *data, size_t size)
{
	struct pg_ticket_result r;

	memset(&r, 0, sizeof(r));
	pg_tracker_interpret(&r, t, status, false, (const char *)data, size);
	if (r.verdict != PG_TICKET_VALID && !r.detail)
		abort(); /* a refusal says why */
	(void)pg_ticket_verdict_name(r.verdict);
	pg_ticket_result_release(&r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const enum pg_tracker_type types[] = {
		PG_TRACKER_JIRA, PG_TRACKER_SERVICENOW, PG_TRACKER_GITHUB,
		PG_TRACKER_GITLAB, PG_TRACKER_HTTP,
	};
	static char s0[] = "Done", s1[] = "approved", s2[] = "closed", s3[] = "*";
	static char *states[] = { s0, s1, s2, s3 };
	struct pg_strvec allowed = { states, 4, 4 };

	if (size > PG_TRACKER_MAX_BODY)
		return 0;
	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		struct pg_tracker t = { types[i], "https://tracker.invalid/{ticket}", NULL, false, NULL,
					1000, NULL, false, 1700000000 };

		one(&t, 200, data, size);
		t.allowed = &allowed;
		t.check_window = true;
		one(&t, 200, data, size);
	}
	return 0;
}
