/* A finding: one problem a check found in the push. The same record feeds the
 * pusher's text, the audit log, webhook events and the CLI's reports, so it
 * never holds a raw secret: only a masked excerpt and a fingerprint. */
#ifndef PG_FINDING_H
#define PG_FINDING_H

#include <stddef.h>

#include "error.h"

struct pg_finding {
	const char *check;   /* "refs", "commits", "files", ... (static) */
	const char *rule;    /* "deny-delete", "message-pattern", ... (static) */
	char *ref;
	char commit[65];     /* full hex id, "" when the finding is about a ref */
	char *subject;       /* commit subject, or NULL */
	char *path;          /* NULL when not about a file */
	size_t line;         /* 0 when not about a line */
	char *message;       /* what is wrong, in plain words */
	char *fix;           /* how to fix it: the commands */
	char *excerpt;       /* masked excerpt, or NULL */
	char *fingerprint;   /* stable id an admin can allow, or NULL */
};

struct pg_findings {
	struct pg_finding *v;
	size_t n, alloc;
	size_t ncommits_affected;
};

#define PG_FINDINGS_INIT { NULL, 0, 0, 0 }

/* Appends a finding; strings are copied (NULL stays NULL). message and fix are
 * printf formats over the trailing arguments: message first, then fix. */
struct pg_finding_spec {
	const char *check, *rule, *ref, *commit, *subject, *path;
	size_t line;
	const char *excerpt, *fingerprint;
};
int pg_findings_add(struct pg_findings *f, const struct pg_finding_spec *spec,
		    const char *message, const char *fix, struct pg_error *err);
void pg_findings_release(struct pg_findings *f);
/* Number of distinct commits among the findings. */
size_t pg_findings_count_commits(const struct pg_findings *f);

#endif
