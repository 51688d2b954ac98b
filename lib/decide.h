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

enum pg_outcome {
	PG_OUTCOME_ACCEPT,         /* nothing blocks (warnings and allowed findings are still shown) */
	PG_OUTCOME_OFF,            /* pushguard.mode = off: nothing checked, accepted */
	PG_OUTCOME_REFUSE,         /* blocking findings, mode enforce */
	PG_OUTCOME_WARN,           /* blocking findings, mode warn: shown, accepted */
	PG_OUTCOME_BYPASS,         /* blocking findings, a bypass honoured: accepted, recorded */
	PG_OUTCOME_ERROR_REFUSE,   /* an internal or configuration error, onError = reject */
	PG_OUTCOME_ERROR_ACCEPT,   /* ... onError = accept: accepted unchecked */
	PG_OUTCOME_TIMEOUT_REFUSE, /* the time budget ran out, onTimeout = reject */
	PG_OUTCOME_TIMEOUT_ACCEPT, /* ... onTimeout = accept or accept-and-report: accepted unchecked */
};

struct pg_decide_input {
	int rc;                 /* of loading and checking: 0, PG_ETIMEOUT or another error (error.h) */
	enum pg_mode mode;      /* pushguard.mode; read only when the policy loaded (rc 0 or PG_ETIMEOUT) */
	enum pg_on_error on_error;  /* pushguard.onError */
	bool timeout_accepts;   /* pushguard.onTimeout accepts (pg_budget_accepts) */
	bool recorded;          /* events go somewhere (pg_record_configured): a background check can report */
	size_t blocking;        /* findings that refuse (pg_findings_count_blocking) */
	bool bypass_honoured;   /* pg_bypass_decide honoured a bypass */
};

struct pg_decision {
	enum pg_outcome outcome;
	bool accepted;   /* the hook accepts (chained hooks still run and may refuse) */
	bool failed;     /* an error or the time budget decided, not the findings */
	bool cut_short;  /* refused for what was found before the budget ran out */
	bool unchecked;  /* accepted without every check having run */
	bool background; /* accepted unchecked and checked afterwards (background.h) */
};

void pg_decide(struct pg_decision *out, const struct pg_decide_input *in);

/* "accept", "refuse", ...: for tests and traces. */
const char *pg_outcome_name(enum pg_outcome o);

#endif
