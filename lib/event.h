/* The record of one push decision: one JSON document, the same bytes in the
 * audit log, the webhook spool and (for format = json) the webhook body.
 *
 * Fields, always present: id (unique; stays the same across delivery
 * retries), event (push.accepted | push.rejected | push.warned |
 * push.bypassed | push.unchecked | push.scanned | push.landed), time (RFC 3339, UTC, milliseconds), repository, pusher,
 * protocol, refs [{ref, old, new}], findings [{check, rule, ref, commit,
 * message, fingerprint, and path / line where they apply; "allowed": true
 * and allowed_by for findings an exemption let through}], policy, mode,
 * duration_ms, pushguard_version. Present when they apply: hook, notes,
 * bypass_reason, bypass_refused, error, unchecked, findings_truncated.
 *
 * push.scanned is not a decision: it is the result of the background check of
 * a push accepted as push.unchecked (background.h), recorded once the push
 * landed. It adds result (clean | findings | not-landed | error),
 * unchecked_id (the id of that push.unchecked event) and, when some ref
 * updates never landed, not_landed [ref names]; its findings are those of the
 * refs that landed and its duration_ms is the background check's.
 *
 * push.landed is not a decision either: the post-receive hook records it
 * once git has moved the refs, with refs listing the updates that landed
 * (git hands post-receive only those). A decision that accepted an update
 * (push.accepted, warned, bypassed, unchecked) whose {ref, old, new} appears in
 * no push.landed never entered the repository: a racing push moved the ref
 * first, or receive-pack was killed. Its findings are empty.
 *
 * policy.changed is not a decision: the pre-receive (or update) hook records
 * it beside the push's own event when it accepted an update of the policy ref
 * (pushguard.policyRef, policy_ref.h). It adds policy_ref {ref, old, new}
 * (old is all zeros when the ref is created), changed_keys (the pushguard.*
 * keys of pushguard.conf whose values differ) and changed_files (the ref's
 * files that were added, changed or removed); its findings are empty.
 *
 * A finding carries its masked excerpt nowhere here: events go to third-party
 * systems (chat, SIEM), so only the fingerprint identifies a secret. A secret
 * found in a ref name, path or message is masked in every string (mask.h). */
#ifndef PG_EVENT_H
#define PG_EVENT_H

#include <stdbool.h>
#include <stdint.h>

#include "error.h"
#include "finding.h"
#include "push.h"

#define PG_EVENT_MAX_FINDINGS 500

/* UNCHECKED: accepted without a full check (pushguard.onTimeout = accept-and-report).
 * SCANNED: the background check of an UNCHECKED push, afterwards.
 * LANDED: the ref updates that entered the repository (post-receive). */
enum pg_event_kind { PG_EVENT_ACCEPTED, PG_EVENT_REJECTED, PG_EVENT_WARNED, PG_EVENT_BYPASSED, PG_EVENT_UNCHECKED,
		     PG_EVENT_SCANNED, PG_EVENT_LANDED, PG_EVENT_POLICY_CHANGED };
#define PG_EVENT_NKINDS 8

/* "push.accepted", ... */
const char *pg_event_kind_name(enum pg_event_kind kind);
/* "accepted", ... (the word pushguard.webhook.events uses; "policy" for policy.changed) */
const char *pg_event_kind_word(enum pg_event_kind kind);

struct pg_event {
	char id[37];               /* UUID v4 */
	enum pg_event_kind kind;
	int64_t time_ms;           /* milliseconds since the epoch */
	const char *hook;          /* "pre-receive" | "update", or NULL */
	const char *repository;
	const struct pg_push *push;          /* may be NULL (nothing read yet) */
	const struct pg_findings *findings;  /* may be NULL */
	const char *policy;        /* policy name */
	const char *mode;          /* enforce | warn | off */
	int64_t duration_ms;
	const char *error;         /* the internal or configuration error that decided, or NULL */
	bool unchecked;            /* pushguard.onError = accept let that error through */
	const char *bypass_reason; /* honoured bypass, or NULL */
	const char *bypass_refused;/* why a requested bypass was not honoured, or NULL */
	/* PG_EVENT_SCANNED only */
	const char *result;        /* clean | findings | not-landed | error */
	const char *unchecked_id;  /* the push.unchecked event this result follows */
	const struct pg_strvec *not_landed; /* refs whose update never landed, or NULL */
	/* PG_EVENT_POLICY_CHANGED only */
	const char *policy_ref, *policy_old, *policy_new;
	const struct pg_strvec *changed_keys, *changed_files;
};

/* Fills id with a fresh random UUID v4. */
void pg_event_new_id(char id[37]);

/* Milliseconds since the epoch (wall clock). */
int64_t pg_event_now_ms(void);

/* RFC 3339 UTC with milliseconds, "2024-05-01T12:00:00.123Z". */
void pg_event_format_time(char out[32], int64_t time_ms);

/* The representative name of the repository: GL_PROJECT_PATH (GitLab),
 * GITEA_REPO_USER_NAME/GITEA_REPO_NAME (Gitea, Forgejo), else git_dir without
 * a trailing "/" (and without "/.git" for a non-bare one). Caller frees. */
char *pg_event_repository(const char *git_dir);

/* The event as one line of compact JSON, no trailing newline. Caller frees *out. */
int pg_event_to_json(char **out, const struct pg_event *ev, struct pg_error *err);

#endif
