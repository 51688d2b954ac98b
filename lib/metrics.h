/* Prometheus metrics in text format, for node_exporter's textfile collector.
 *
 *   pushguard_pushes_total{repository, event}          counter
 *   pushguard_background_scans_total{repository, result} counter (push.scanned)
 *   pushguard_ref_updates_landed_total{repository}     counter (push.landed)
 *   pushguard_findings_total{repository, check, rule}  counter (findings that counted)
 *   pushguard_hook_duration_seconds                    histogram
 *
 * Each push reads the file, adds its numbers and writes it back: under an
 * exclusive flock() on "<file>.lock", into a temp file renamed over the old
 * one, so the collector never sees a half-written file. */
#ifndef PG_METRICS_H
#define PG_METRICS_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "finding.h"

int pg_metrics_update(const char *path, const char *repository, const char *event_word,
		      const struct pg_findings *findings, int64_t duration_ms, struct pg_error *err);
/* The background check of a push accepted unchecked (push.scanned): counts the
 * result and its findings; no push, no hook duration. */
int pg_metrics_update_scan(const char *path, const char *repository, const char *result,
			   const struct pg_findings *findings, struct pg_error *err);

/* The post-receive hook (push.landed): nrefs ref updates entered the
 * repository; no push decision, no hook duration. */
int pg_metrics_update_landed(const char *path, const char *repository, size_t nrefs, struct pg_error *err);

#endif
