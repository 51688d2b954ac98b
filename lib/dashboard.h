/* What the audit log says, summed up: `pushguard report`.
 *
 * Reads audit logs (one JSON event per line, as pg_record writes them) and
 * renders a text summary or one self-contained HTML page (inline CSS and SVG
 * charts, no script, no network: a Content-Security-Policy forbids any
 * fetch): pushes and refusals per day, findings by check and rule, top
 * repositories and pushers, bypasses with their reasons, hook latency
 * percentiles. push.scanned events (the background check of a push accepted
 * unchecked) are not push decisions: they are counted by result, their
 * findings go into the rules table, and each unchecked push whose check
 * found problems is listed on its own, first. push.landed events (the
 * post-receive hook) are not decisions either: the ref updates accepted
 * (accepted, warned, bypassed, unchecked) are counted against those that
 * landed, matched by repository, ref, old and new, and each accepted update
 * that never landed is listed. */
#ifndef PG_DASHBOARD_H
#define PG_DASHBOARD_H

#include <stdint.h>
#include <stdio.h>

#include "buf.h"
#include "error.h"

struct pg_dashboard; /* opaque */

/* since: "YYYY-MM-DD" or a full RFC 3339 UTC time, or NULL for everything.
 * PG_EINPUT when since is neither. */
int pg_dashboard_new(struct pg_dashboard **out, const char *since, struct pg_error *err);
void pg_dashboard_free(struct pg_dashboard *d);

/* Adds every event of an audit log; lines that are not events are counted
 * as skipped. name is used in errors. */
int pg_dashboard_add_file(struct pg_dashboard *d, FILE *fp, const char *name, struct pg_error *err);
/* Adds one line (exposed for tests). Returns 1 counted, 0 skipped or before since. */
int pg_dashboard_add_line(struct pg_dashboard *d, const char *line);

void pg_dashboard_text(struct pg_buf *out, const struct pg_dashboard *d);
void pg_dashboard_html(struct pg_buf *out, const struct pg_dashboard *d);

/* The p-th percentile (0..100) of the hook durations in ms, nearest rank; -1 when none. */
int64_t pg_dashboard_percentile(const struct pg_dashboard *d, double p);

#endif
