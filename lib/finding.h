/* A finding: one problem a check found in the push. The same record feeds the
 * pusher's text, the audit log, webhook events and the CLI's reports, so it
 * never holds a raw secret: only a masked excerpt and a fingerprint. */
#ifndef PG_FINDING_H
#define PG_FINDING_H

#include <stdbool.h>
#include <stddef.h>

#include "credential.h"
#include "error.h"
#include "pushguard.h"
#include "strvec.h"

/* struct pg_finding, struct pg_findings and PG_FINDINGS_INIT: pushguard.h. */

/* A finding keeps at most this many characters of the commit subject (cut on
 * a UTF-8 character boundary, "\u2026" appended), so that a huge subject is
 * not copied into every finding, the record and the pusher's text. */
#define PG_FINDING_MAX_SUBJECT 80

/* Appends a finding; every string is copied (NULL stays NULL) with the
 * secrets found so far in names and messages masked (mask.h), the subject
 * masked first and then cut to PG_FINDING_MAX_SUBJECT characters. Notes too. */
struct pg_finding_spec {
	const char *check, *rule, *ref, *commit, *subject, *path;
	size_t line;
	const char *excerpt, *fingerprint;
	const char *allowed_by;
	enum pg_confidence confidence; /* 0: high */
	bool warning;
};
int pg_findings_add(struct pg_findings *f, const struct pg_finding_spec *spec,
		    const char *message, const char *fix, struct pg_error *err);
/* pg_findings_release, pg_findings_note: pushguard.h. */
/* Number of distinct commits among the findings that count (not allowed). */
size_t pg_findings_count_commits(const struct pg_findings *f);
/* pg_findings_count_blocking, the findings that refuse: pushguard.h. */
/* True when x refuses the push: neither allowed nor a warning. */
bool pg_finding_blocks(const struct pg_finding *x);
/* Findings below pushguard.secrets.block (not allowed): shown, not refused. */
size_t pg_findings_count_warnings(const struct pg_findings *f);
/* Findings allowed (inline comment, allowlist, ignore file). */
size_t pg_findings_count_allowed(const struct pg_findings *f);

#endif
