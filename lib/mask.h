/* Secrets outside file contents. A credential in a ref name, a path, a commit
 * or tag message is shown and recorded with the text around it: the name
 * of the ref in every finding, the subject of every finding on that commit,
 * the refs of the audit event. Once the secrets check finds one there
 * (check_secrets.h) it registers it here, and every output of the process
 * writes it masked the way a finding's excerpt is, its first
 * PG_SECRET_EXCERPT_CHARS characters then "\u2026" (pg_mask_excerpt):
 *
 *   - findings (finding.c: every field, before the subject is cut, and notes);
 *   - the pusher's text (render.c: every pushed string made safe);
 *   - events (event.c: the audit log and the webhook payload, every string);
 *   - reports (report.c: pushguard scan's text, JSON and SARIF).
 *
 * Process-wide: a hook process checks one push, `pushguard scan` one
 * repository, so a secret found once is never written raw by that process
 * afterwards, whichever module writes it. Thread-safe. */
#ifndef PG_MASK_H
#define PG_MASK_H

#include <stdbool.h>
#include <stddef.h>

/* Writes the masked form of secret (len bytes) to out (n bytes): its first
 * PG_SECRET_EXCERPT_CHARS whole UTF-8 characters, then "\u2026". */
void pg_mask_excerpt(char *out, size_t n, const char *secret, size_t len);

/* Registers a secret to be masked from now on. Values of at most
 * PG_SECRET_EXCERPT_CHARS bytes are not registered (their masked form would
 * show them whole); a value registered already is kept once. 0, or -1 when
 * out of memory. */
int pg_mask_add(const char *secret, size_t len);

/* True when some secret is registered (nothing to do otherwise). */
bool pg_mask_active(void);

/* A copy of the first n bytes of s (less when it ends before; a
 * NUL-terminated result) with every registered secret masked, the longest
 * first where two start at the same byte; *out_len (may be NULL) gets its
 * length. NULL when out of memory. */
char *pg_mask_dupn(const char *s, size_t n, size_t *out_len);
/* The same for a whole string; NULL for s NULL. */
char *pg_mask_dup(const char *s);

/* Forgets every registered secret (tests). */
void pg_mask_reset(void);

#endif
