/* Findings as reports for admins and tools: plain text, JSON, and SARIF 2.1.0
 * for code-scanning dashboards. Like every output, they carry the masked
 * excerpt and the fingerprint, never a raw secret. */
#ifndef PG_REPORT_H
#define PG_REPORT_H

#include <stdio.h>

#include "error.h"
#include "finding.h"
#include "rules.h"

enum pg_report_format { PG_REPORT_TEXT, PG_REPORT_JSON, PG_REPORT_SARIF };

/* Parses "text", "json" or "sarif"; -1 when unknown. */
int pg_report_format_parse(const char *name);

/* Writes f to fp. rules (may be NULL) describes the rules for SARIF's
 * tool.driver.rules; findings whose rule is not among them get a minimal entry. */
int pg_report_write(FILE *fp, enum pg_report_format format, const struct pg_findings *f,
		    const struct pg_ruleset *rules, struct pg_error *err);

#endif
