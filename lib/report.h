/* Findings as reports for admins and tools: plain text, JSON, and SARIF 2.1.0
 * for code-scanning dashboards. Like every output, they carry the masked
 * excerpt and the fingerprint, never a raw secret. */
#ifndef PG_REPORT_H
#define PG_REPORT_H

#include <stdio.h>

#include "error.h"
#include "finding.h"
#include "pushguard.h"
#include "rules.h"

/* enum pg_report_format, pg_report_format_parse and pg_report_write:
 * pushguard.h. */

#endif
