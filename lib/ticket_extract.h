/* Finding change-ticket references in commit messages.
 *
 * A reference is a match of the configured PCRE2 pattern. The ticket id is the
 * named group "ticket" when the pattern has one, else the whole match; its
 * project is the named group "project", else the text before the id's last
 * '-' (PROJ in PROJ-123), else none. With a project list, a reference whose
 * project is not listed is ignored, so "UTF-8" or "SHA-256" never count; a
 * reference without a project part is not filtered. */
#ifndef PG_TICKET_EXTRACT_H
#define PG_TICKET_EXTRACT_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"
#include "regex.h"
#include "strvec.h"

/* Jira-style keys (PROJ-123) with word boundaries. */
#define PG_TICKET_PATTERN_JIRA "\\b(?<project>[A-Z][A-Z0-9_]+)-[1-9][0-9]*\\b"
/* ServiceNow change numbers (CHG0012345). */
#define PG_TICKET_PATTERN_SERVICENOW "\\b(?<ticket>CHG[0-9]{7,})\\b"
/* GitHub / GitLab issue references (#123); the id is the number. Not after a
 * word character, '/', '&' or '#' (URL fragments, HTML entities, "##"). */
#define PG_TICKET_PATTERN_ISSUE "(?<![\\w/&#])#(?<ticket>[1-9][0-9]{0,9})\\b"

/* At most this many distinct tickets are taken from one message. */
#define PG_TICKET_MAX_PER_MESSAGE 100

struct pg_ticket_extractor {
	struct pg_regex *re;
	int ticket_group;           /* -1: the whole match */
	int project_group;          /* -1: text before the last '-' */
	struct pg_strvec projects;  /* empty: any project */
	bool subject_only;          /* pushguard.tickets.scope = subject */
};

#define PG_TICKET_EXTRACTOR_INIT { NULL, -1, -1, PG_STRVEC_INIT, false }

/* Compiles pattern (`what` names the key and file in errors: PG_ECONFIG) and
 * copies projects (may be NULL). Release x in every case. */
int pg_ticket_extractor_init(struct pg_ticket_extractor *x, const char *pattern,
			     const char *what, const struct pg_strvec *projects,
			     bool subject_only, struct pg_error *err);
void pg_ticket_extractor_release(struct pg_ticket_extractor *x);

/* Appends to out each distinct ticket id in text (in order of first
 * appearance, skipping ids already in out). For a commit, pass the message
 * and the subject: which one is read depends on x->subject_only. Returns the
 * number appended, or negative on error. */
int pg_ticket_extract(struct pg_strvec *out, const struct pg_ticket_extractor *x,
		      const char *text, struct pg_error *err);
int pg_ticket_extract_commit(struct pg_strvec *out, const struct pg_ticket_extractor *x,
			     const char *message, const char *subject, struct pg_error *err);

/* True when id's project is acceptable (see above); project may be NULL. */
bool pg_ticket_project_allowed(const struct pg_ticket_extractor *x, const char *id,
			       const char *project);

#endif
