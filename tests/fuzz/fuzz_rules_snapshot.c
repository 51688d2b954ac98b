/* libFuzzer target for lib/rules_snapshot.c: the bytes are a snapshot's body
 * (what follows the header), behind a header that fits a fixed pack, so that
 * every input reaches the rules. A snapshot that is read must hold rules as
 * loading TOML leaves them, and write back into one that reads again.
 *
 *   make fuzz && build-fuzz/fuzz_rules_snapshot -max_total_time=60 tests/fuzz/corpus_rules_snapshot
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "rules.h"
#include "rules_snapshot.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char TOML[] = "# the pack\n";
static const char NAME[] = "fuzz.toml";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pg_buf snap = PG_BUF_INIT, again = PG_BUF_INIT;
	struct pg_ruleset rs = PG_RULESET_INIT, back = PG_RULESET_INIT;
	struct pg_error err = PG_ERROR_INIT;
	size_t len = sizeof(TOML) - 1;
	int rc;

	/* the header, as the writer makes it: an empty rule set's snapshot less its
	 * two counts (u32 rules, u32 global allowlists) */
	if (pg_rules_snapshot_write(&snap, &rs, NAME, TOML, len, &err) < 0 || snap.len < 8)
		abort();
	snap.len -= 8;
	pg_buf_add(&snap, data, size);
	if (pg_buf_failed(&snap))
		abort();
	rc = pg_rules_snapshot_read(&rs, NAME, TOML, len, snap.ptr, snap.len, &err);
	if (rc < 0 && !err.msg[0])
		abort();
	if (rc == 0 && (rs.n || rs.nallowlists || rs.rules))
		abort(); /* not used: nothing left behind */
	if (rc == 1) {
		for (size_t i = 0; i < rs.n; i++) {
			const struct pg_rule *r = &rs.rules[i];

			if (!r->id || !r->origin || strncmp(r->origin, NAME, sizeof(NAME) - 1) || (!r->regex && !r->path) ||
			    r->id_hash != pg_rules_id_hash(r->id))
				abort();
			(void)pg_ruleset_allows(&rs, r, "0123456789abcdef", "a/b.txt", "secret", "key=secret",
						"key=secret # line");
		}
		if (pg_rules_snapshot_write(&again, &rs, NAME, TOML, len, &err) < 0 ||
		    pg_rules_snapshot_read(&back, NAME, TOML, len, again.ptr, again.len, &err) != 1 ||
		    back.n != rs.n || back.nallowlists != rs.nallowlists)
			abort();
	}
	pg_ruleset_release(&back);
	pg_ruleset_release(&rs);
	pg_buf_release(&again);
	pg_buf_release(&snap);
	return 0;
}
