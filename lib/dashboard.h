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
#include "pushguard.h"

/* pg_dashboard_new, pg_dashboard_free and pg_dashboard_add_file: pushguard.h. */

/* Adds one line (exposed for tests). Returns 1 counted, 0 skipped or before since. */
int pg_dashboard_add_line(struct pg_dashboard *d, const char *line);

/* pg_dashboard_text and pg_dashboard_html: pushguard.h. */

/* The p-th percentile (0..100) of the hook durations in ms, nearest rank; -1 when none. */
int64_t pg_dashboard_percentile(const struct pg_dashboard *d, double p);

#endif
