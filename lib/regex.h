/* PCRE2 patterns from the admin's policy, compiled once (JIT where available)
 * and matched with match and depth limits so no pattern can run away. */
#ifndef PG_REGEX_H
#define PG_REGEX_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"

struct pg_regex;

/* Compiles `pattern` (UTF-8; invalid UTF-8 in subjects never matches rather
 * than failing). On a syntax error fills err with the offset and PCRE2's
 * reason, prefixed by `what` (e.g. the config key). Caller frees *out. */
int pg_regex_compile(struct pg_regex **out, const char *pattern, const char *what,
		     struct pg_error *err);
void pg_regex_free(struct pg_regex *re);
const char *pg_regex_pattern(const struct pg_regex *re);

/* 1 match, 0 no match, negative on a matching failure (limit hit), with err set. */
int pg_regex_match(const struct pg_regex *re, const char *subject, size_t len,
		   struct pg_error *err);

struct pg_regex_span {
	size_t start, end;   /* the whole match */
	size_t gstart, gend; /* the requested group (the whole match when absent) */
};

/* Finds the first match at or after `offset`. group > 0: report that capture
 * group; group 0: the first non-empty group, else the whole match; group < 0:
 * the whole match. Returns 1 found, 0 none, negative on a matching failure. */
int pg_regex_find(const struct pg_regex *re, const char *subject, size_t len, size_t offset,
		  int group, struct pg_regex_span *out, struct pg_error *err);

#endif
