/* The push's time budget (pushguard.timeBudget, pushguard.onTimeout): a
 * monotonic deadline that the walk and the secrets scan check between
 * commits and blobs; past it they stop and return PG_ETIMEOUT. */
#ifndef PG_BUDGET_H
#define PG_BUDGET_H

#include <stdbool.h>
#include <stdint.h>

#include "buf.h"
#include "error.h"
#include "policy.h"
#include "push.h"

extern const struct pg_key_def pg_budget_keys[];

#define PG_BUDGET_DEFAULT_MS 4000

/* start_ms + pushguard.timeBudget, or 0 (no deadline) when the budget is 0. */
int64_t pg_budget_deadline(const struct pg_policy *p, int64_t start_ms);
/* True once deadline_ms (non-zero) has passed. */
bool pg_budget_expired(int64_t deadline_ms);
/* Sets err to PG_ETIMEOUT, saying what was cut short (`where`). */
int pg_budget_error(struct pg_error *err, const char *where);
/* pushguard.onTimeout = accept-and-report. */
bool pg_budget_accepts(const struct pg_policy *p);
/* The pusher's text for a push stopped by the budget: refused with how to
 * split it, or accepted unchecked (background: and checked afterwards by a
 * detached process, background.h). */
void pg_budget_render(struct pg_buf *out, const struct pg_error *err, const struct pg_policy *p,
		      const struct pg_push *push, bool accepted, bool background);

#endif
