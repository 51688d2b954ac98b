/* Go's RE2 syntax, as gitleaks rule files write their regexes, translated
 * to PCRE2 syntax with the same meaning, or refused naming what PCRE2 cannot
 * express alike (a construct, a count over Go's limit, groups nested too
 * deeply).
 *
 *     char *src;
 *     int groups;
 *     if (pg_re2_translate(&src, &groups, "(?i)key\\s*=\\s*(\\w{20})", &err) < 0)
 *             fail with err.msg;
 */
#ifndef PG_RE2_H
#define PG_RE2_H

#include "error.h"

/* Translates go_regex; *out is malloc'd PCRE2 source (the caller frees it),
 * *ngroups (when not NULL) the number of capture groups. 0, or PG_ECONFIG
 * with the reason (*out NULL), or PG_ERR when memory runs out. */
int pg_re2_translate(char **out, int *ngroups, const char *go_regex, struct pg_error *err);

#endif
