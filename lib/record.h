/* Recording a push decision: the event, appended to the audit log, counted in
 * the metrics file and spooled for the webhook, whose delivery runs in a
 * detached process. Nothing here changes the verdict or waits for the
 * network: a failure becomes a line for the pusher, never an error. */
#ifndef PG_RECORD_H
#define PG_RECORD_H

#include <git2.h>
#include <stdbool.h>
#include <stdint.h>

#include "bypass.h"
#include "finding.h"
#include "policy.h"
#include "push.h"
#include "strvec.h"

/* pushguard.auditLog, pushguard.metricsFile, pushguard.bypassUsers, pushguard.webhook.* */
extern const struct pg_key_def pg_reporting_keys[];

/* How the hook decided. */
struct pg_verdict {
	bool refused;            /* the hook exits 1 */
	const char *error;       /* the internal or configuration error that decided, or NULL */
	bool unchecked;          /* ... which pushguard.onError = accept let through */
	bool timed_out;          /* the time budget ran out (budget.h); accepted: push.unchecked */
	int64_t start_ms;        /* pg_clock_ms() at hook start (clock.h) */
};

/* The background check of a push accepted unchecked (background.h):
 * recorded as push.scanned. */
struct pg_record_scan {
	const char *result;                 /* clean | findings | not-landed | error */
	const char *unchecked_id;           /* the push.unchecked event it follows */
	const struct pg_strvec *not_landed; /* refs whose update never landed, or NULL */
	int64_t duration_ms;                /* the background check's own time */
};

/* An accepted update of the policy ref (policy_ref.h): recorded as policy.changed. */
struct pg_record_policy {
	const char *ref, *old, *new;             /* old: all zeros when created */
	const struct pg_strvec *changed_keys;    /* pushguard.* keys whose values differ */
	const struct pg_strvec *changed_files;   /* files added, changed or removed */
};

struct pg_record_input {
	const char *hook;                  /* "pre-receive" | "update" */
	const struct pg_push *push;
	const struct pg_policy *policy;
	const struct pg_findings *findings;
	const struct pg_bypass *bypass;
	const struct pg_verdict *verdict;
	git_repository *repo;              /* NULL when it could not be opened */
	const char *id;                    /* the event's id, or NULL for a fresh one */
	const struct pg_record_scan *scan; /* non-NULL: the event is push.scanned */
	bool landed;                       /* the event is push.landed: push holds the updates that landed */
	const struct pg_record_policy *policy_change; /* non-NULL: the event is policy.changed */
};

/* Records the decision where configured. Each problem (unwritable audit log,
 * full disk, bad webhook configuration) is appended to *problems as one line
 * for the pusher. With a bad webhook setting other than the URL, the event
 * still goes into the spool (and the line says where it waits); with a bad
 * URL it goes to the audit log only. */
void pg_record(struct pg_strvec *problems, const struct pg_record_input *in);

/* True when p records anywhere (audit log, metrics file or webhook). */
bool pg_record_configured(const struct pg_policy *p);

#endif
