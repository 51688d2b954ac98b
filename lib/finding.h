/* A finding: one problem a check found in the push. The same record feeds the
 * pusher's text, the audit log, webhook events and the CLI's reports, so it
 * never holds a raw secret: only a masked excerpt and a fingerprint. */
#ifndef PG_FINDING_H
#define PG_FINDING_H

#include <stdbool.h>
#include <stddef.h>

#include "credential.h"
#include "error.h"
#include "strvec.h"

struct pg_finding {
	const char *check;   /* "refs", "commits", "files", ... (static) */
	char *rule;          /* "deny-delete", "message-pattern", a secret rule's id, ... */
	char *ref;
	char commit[65];     /* full hex id, "" when the finding is about a ref */
	char *subject;       /* commit subject cut to PG_FINDING_MAX_SUBJECT, or NULL */
	char *path;          /* NULL when not about a file */
	size_t line;         /* 0 when not about a line */
	char *message;       /* what is wrong, in plain words */
	char *fix;           /* how to fix it: the commands */
	char *excerpt;       /* masked excerpt, or NULL */
	char *fingerprint;   /* stable id an admin can allow, or NULL */
	char *allowed_by;    /* NULL when the finding counts; else why it was allowed
	                      * (inline comment, allowlist, ignore file): recorded, not refused */
	enum pg_confidence confidence; /* how sure: high for every check but generic secrets */
	bool warning;        /* below pushguard.secrets.block: shown and recorded, not refused */
};

struct pg_findings {
	struct pg_finding *v;
	size_t n, alloc;
	/* Short lines for the pusher and the record that are not problems: an
	 * exemption applied, a check skipped ("ticket check skipped for ..."). */
	struct pg_strvec notes;
};

#define PG_FINDINGS_INIT { NULL, 0, 0, PG_STRVEC_INIT }

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
void pg_findings_release(struct pg_findings *f);
/* Appends a note (printf format; one line, no trailing newline). */
int pg_findings_note(struct pg_findings *f, struct pg_error *err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Number of distinct commits among the findings that count (not allowed). */
size_t pg_findings_count_commits(const struct pg_findings *f);
/* Number of findings that count, i.e. refuse the push. */
size_t pg_findings_count_blocking(const struct pg_findings *f);
/* True when x refuses the push: neither allowed nor a warning. */
bool pg_finding_blocks(const struct pg_finding *x);
/* Findings below pushguard.secrets.block (not allowed): shown, not refused. */
size_t pg_findings_count_warnings(const struct pg_findings *f);
/* Findings allowed (inline comment, allowlist, ignore file). */
size_t pg_findings_count_allowed(const struct pg_findings *f);

#endif
