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
#include "pushguard.h"

#define PG_RENDER_MAX_FINDINGS 20          /* problem blocks shown in full */
#define PG_RENDER_MAX_BLOCK 2048           /* bytes of one problem block, at most */
#define PG_RENDER_MAX_SUMMARY 20           /* "N x check rule" lines for the problems not shown */
#define PG_RENDER_MAX_OUTPUT ((size_t)64 << 10) /* bytes pg_render_write() writes per process */

/* struct pg_render_opts and pg_render_findings(), the refusal (or warning)
 * for a set of findings: pushguard.h. */
/* pg_render_minor(): the findings that do not refuse, at most
 * PG_RENDER_MAX_MINOR of each kind, each pushed field cut to
 * PG_RENDER_MAX_FIELD bytes (pushguard.h). */
#define PG_RENDER_MAX_MINOR 20
#define PG_RENDER_MAX_FIELD 300          /* bytes of one pushed field on a one-line listing */
/* pg_render_notes(): the findings' notes, at most PG_RENDER_MAX_NOTES
 * lines of at most PG_RENDER_MAX_NOTE bytes (pushguard.h). */
#define PG_RENDER_MAX_NOTES 20
#define PG_RENDER_MAX_NOTE 400
/* pg_render_error, pg_render_safe, pg_render_safe_dup and pg_render_write
 * (PG_RENDER_MAX_OUTPUT bytes in all per process): pushguard.h. */
/* Starts counting what pg_render_write() wrote from zero again (tests). */
void pg_render_write_reset(void);

#endif
