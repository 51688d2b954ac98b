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
/* The same, compiling on first use instead (for the shipped rule pack, whose
 * patterns are tested: most rules never run in a small push). A pattern that
 * then fails to compile makes that match fail with PG_ECONFIG. */
int pg_regex_compile_lazy(struct pg_regex **out, const char *pattern, const char *what,
			  struct pg_error *err);
void pg_regex_free(struct pg_regex *re);
const char *pg_regex_pattern(const struct pg_regex *re);
/* The `what` it was compiled with (the rules' "FILE:LINE: rule 'ID': 'regex'"). */
const char *pg_regex_what(const struct pg_regex *re);

/* 1 match, 0 no match, negative on a matching failure (limit hit), with err set. */
int pg_regex_match(const struct pg_regex *re, const char *subject, size_t len,
		   struct pg_error *err);

/* A matched span: byte offsets [start, end) into the subject; both
 * PG_REGEX_UNSET when the group did not take part in the match. */
#define PG_REGEX_UNSET ((size_t)-1)
struct pg_regex_span {
	size_t start, end;
};

/* Finds the first match at or after byte `offset`. out[0] gets the whole
 * match, out[i] group i, for i < nout. 1 found, 0 none, negative when
 * matching failed (limit hit), with err set. A caller iterating over all
 * matches must step past an empty match itself. */
int pg_regex_find(const struct pg_regex *re, const char *subject, size_t len, size_t offset,
		  struct pg_regex_span *out, size_t nout, struct pg_error *err);
/* The same, looking only at subject[offset, end): what lies before offset
 * is still seen by \b and lookbehinds, and $ matches at end only when end is
 * the subject's end (len). */
int pg_regex_find_in(const struct pg_regex *re, const char *subject, size_t len, size_t offset,
		     size_t end, struct pg_regex_span *out, size_t nout, struct pg_error *err);
/* Frees the calling thread's reusable match data (threads that ran finds
 * call it before they end; the main thread may, for leak checkers). */
void pg_regex_thread_release(void);
/* Number of the named group `name`, or -1 when the pattern has none. */
int pg_regex_group(const struct pg_regex *re, const char *name);

#endif
