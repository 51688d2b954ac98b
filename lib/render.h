/* What the pusher reads: plain words, where, and the commands that fix it.
 * Text from the push (messages, paths, ref names) is stripped of control
 * characters so no escape sequence reaches the pusher's terminal, and of
 * format characters (bidi controls, zero-width characters) that would make
 * it read differently from what it is. A secret found in a name or message
 * (mask.h) is masked in every pushed string, before any cut.
 *
 * Bounded whatever the push holds: at most PG_RENDER_MAX_FINDINGS problem
 * blocks of at most PG_RENDER_MAX_BLOCK bytes each (every field of pushed
 * text cut to a limit of its own), the other problems counted by check and
 * rule in at most PG_RENDER_MAX_SUMMARY lines, and PG_RENDER_MAX_OUTPUT bytes
 * written to the pusher by one process in all. */
#ifndef PG_RENDER_H
#define PG_RENDER_H

#include <stdbool.h>
#include <stdio.h>

#include "buf.h"
#include "error.h"
#include "finding.h"
#include "policy.h"

#define PG_RENDER_MAX_FINDINGS 20          /* problem blocks shown in full */
#define PG_RENDER_MAX_BLOCK 2048           /* bytes of one problem block, at most */
#define PG_RENDER_MAX_SUMMARY 20           /* "N x check rule" lines for the problems not shown */
#define PG_RENDER_MAX_OUTPUT ((size_t)64 << 10) /* bytes pg_render_write() writes per process */

struct pg_render_opts {
	enum pg_mode mode;        /* warn: "would be refused" */
	const char *policy_name;
	enum pg_confidence block; /* pushguard.secrets.block, named with findings below it */
};

/* The refusal (or warning) for a set of findings. */
void pg_render_findings(struct pg_buf *out, const struct pg_findings *f,
			const struct pg_render_opts *opts);
/* The findings that do not refuse: those below pushguard.secrets.block
 * (check, rule, confidence, path:line, masked excerpt, fingerprint) and the
 * allowed ones (rule, path:line, why), one line each, at most
 * PG_RENDER_MAX_MINOR of each kind; nothing when there are none. `block` is
 * the confidence that refuses, named in the heading. */
#define PG_RENDER_MAX_MINOR 20
#define PG_RENDER_MAX_FIELD 300          /* bytes of one pushed field on a one-line listing */
void pg_render_minor(struct pg_buf *out, const struct pg_findings *f, enum pg_confidence block);
/* The findings' notes (exemptions applied, checks skipped), one
 * "pushguard: ..." line each of at most PG_RENDER_MAX_NOTE bytes, at most
 * PG_RENDER_MAX_NOTES of them. */
#define PG_RENDER_MAX_NOTES 20
#define PG_RENDER_MAX_NOTE 400
void pg_render_notes(struct pg_buf *out, const struct pg_findings *f);
/* An internal or configuration error; accepted: pushguard.onError = accept let it through. */
void pg_render_error(struct pg_buf *out, const struct pg_error *err, bool accepted);
/* Appends s with control characters (C0, DEL, C1), invalid UTF-8 and the
 * characters that disguise text (bidi embeddings, overrides and isolates
 * U+202A-U+202E and U+2066-U+2069, zero-width and other format characters,
 * line and paragraph separators, invisible fillers, variation selectors,
 * tags) replaced by '?'. */
void pg_render_safe(struct pg_buf *out, const char *s);
/* The same as a new string (caller frees; NULL on allocation failure), for
 * checks that quote pushed text (paths, emails) inside their messages. */
char *pg_render_safe_dup(const char *s);
/* Writes text to fp, each line prefixed with `prefix` (may be NULL), e.g.
 * "GL-HOOK-ERR: " so GitLab shows the refusal in its web UI. Whole lines
 * only, and PG_RENDER_MAX_OUTPUT bytes in all per process (prefixes and
 * newlines counted): the line that would pass it is replaced by one saying
 * the rest is not shown, and nothing more is written after that. */
void pg_render_write(FILE *fp, const char *text, const char *prefix);
/* Starts counting what pg_render_write() wrote from zero again (tests). */
void pg_render_write_reset(void);

#endif
