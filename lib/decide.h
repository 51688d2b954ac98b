/* decide: the verdict on a push, from what loading and checking it gave.
 *
 * Pure: no I/O, no allocation. The hook loads the push and its policy, runs
 * the checks (pg_check_push, check.h), decides here, then renders the
 * verdict for the pusher, runs the chained hooks when accepted, and records
 * it (record.h). Every way a push can end is one outcome below, and
 * tests/unit/test_decide.c goes through each. */
#ifndef PG_DECIDE_H
#define PG_DECIDE_H

#include <stdbool.h>
#include <stddef.h>

#include "policy.h"
#include "pushguard.h"

/* enum pg_outcome, struct pg_decide_input, struct pg_decision and
 * pg_decide(): pushguard.h. */

/* "accept", "refuse", ...: for tests and traces. */
const char *pg_outcome_name(enum pg_outcome o);

#endif
