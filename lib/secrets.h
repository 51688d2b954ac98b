/* Finding credentials in one blob: the multi-pattern prefilter says which
 * rules may match, PCRE2 confirms and extracts the secret, then entropy,
 * allowlists and inline "pushguard:allow" / "gitleaks:allow" comments decide.
 * Base64 runs on reported lines are decoded one level and scanned too. */
#ifndef PG_SECRETS_H
#define PG_SECRETS_H

#include <stdbool.h>
#include <stddef.h>

#include "credential.h"
#include "error.h"
#include "prefilter.h"
#include "rules.h"

#define PG_SECRET_EXCERPT_CHARS 4

struct pg_secret {
	const struct pg_rule *rule;
	size_t line;            /* 1-based; 0 for a rule on the file's path only */
	size_t start, end;      /* the secret's bytes in the blob (for base64: the encoded run) */
	char excerpt[32];       /* the secret's first PG_SECRET_EXCERPT_CHARS characters, then "…" */
	bool in_base64;         /* found inside a base64 value on that line */
	enum pg_confidence confidence; /* the rule's, low for a generic finding in docs or tests */
	unsigned char value_id[16]; /* keyed hash of the secret (this process only): tells
	                             * repeats of one value apart without keeping it */
	char allowed_by[160];   /* "" when not allowed; else why (comment, allowlist) */
};

struct pg_secrets_found {
	struct pg_secret *v;
	size_t n, alloc;
};

#define PG_SECRETS_FOUND_INIT { NULL, 0, 0 }
void pg_secrets_found_release(struct pg_secrets_found *f);
/* Appends a copy of s; -1 when out of memory. */
int pg_secrets_found_add(struct pg_secrets_found *f, const struct pg_secret *s);

/* Tells whether a line of the blob is one the commit adds (1), not (0), or an error (<0). */
typedef int pg_secrets_line_filter(void *payload, const char *line, size_t len, struct pg_error *err);

struct pg_secrets_scanner {
	const struct pg_ruleset *rs;
	const struct pg_prefilter *pf;
	struct pg_prefilter_scratch *scratch;
	bool *fired;
	struct pg_keyword_hits *hits; /* per rule, without pf: where windowed rules' keywords are */
	struct pg_regex_span *windows; /* scratch for one rule's merged windows */
	size_t nwindows_alloc;
	bool no_inline_allow;          /* pushguard.secrets.allowInline = false */
};

#define PG_SECRETS_SCANNER_INIT { NULL, NULL, NULL, NULL, NULL, NULL, 0, false }

/* One scanner per thread; rs and pf must outlive it. pf NULL: rules are
 * preselected by their keywords alone (as fast for a few kilobytes, and no
 * database to load or compile). */
int pg_secrets_scanner_init(struct pg_secrets_scanner *s, const struct pg_ruleset *rs,
			    const struct pg_prefilter *pf, struct pg_error *err);
void pg_secrets_scanner_release(struct pg_secrets_scanner *s);

/* Scans data (the blob at `path` in `commit`, which may be NULL), appending to
 * out only what lies on lines `filter` accepts (NULL: every line). When rules
 * overlap on the same secret, only the first rule in the rules file reports
 * it (specific rules come before generic ones). */
int pg_secrets_scan(struct pg_secrets_scanner *s, const char *data, size_t len, const char *path,
		    const char *commit, pg_secrets_line_filter *filter, void *payload,
		    struct pg_secrets_found *out, struct pg_error *err);

#endif
