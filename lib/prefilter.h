/* One pass over a blob that tells which secret rules could match in it.
 *
 * Every rule's regex is compiled into one Hyperscan database in prefilter mode
 * (a superset of the regex's matches); a rule whose regex Hyperscan cannot
 * take is represented by its keywords instead, and a rule with neither is
 * always run. Only the rules that fire are then run with PCRE2.
 *
 * Compiling the built-in pack's database takes seconds, so it is compiled at
 * build time (pg_prefilter_save) and installed next to the pack; a hook loads
 * it (pg_prefilter_load) and never compiles it. Other rule sets (extra rules
 * files) are compiled on first use and cached on disk, keyed by the rules'
 * digest and the Hyperscan version (pg_prefilter_build). */
#ifndef PG_PREFILTER_H
#define PG_PREFILTER_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"
#include "rules.h"

struct pg_prefilter;
struct pg_prefilter_scratch;

/* Where a prefilter's database came from. */
enum pg_prefilter_source {
	PG_PREFILTER_COMPILED, /* compiled now (and written to the cache when it can) */
	PG_PREFILTER_CACHED,   /* read from the cache */
	PG_PREFILTER_SHIPPED,  /* read from the precompiled file (pg_prefilter_load) */
};

/* cache_dir may be NULL (no cache); an unusable cache is ignored, never fatal.
 * Caller frees *out. */
int pg_prefilter_build(struct pg_prefilter **out, const struct pg_ruleset *rs,
		       const char *cache_dir, struct pg_error *err);
void pg_prefilter_free(struct pg_prefilter *pf);

/* Reads the database pg_prefilter_save wrote to path. Refused (error naming
 * path and why, nothing loaded) unless it was compiled from exactly rs (its
 * digest), by this Hyperscan version (hs_serialized_database_info) for a CPU
 * this one can run (hs_deserialize_database), and path is a regular file of
 * this user or root that no one else can write. Caller frees *out. */
int pg_prefilter_load(struct pg_prefilter **out, const struct pg_ruleset *rs, const char *path,
		      struct pg_error *err);

/* Compiles rs and writes it to path atomically, mode 0644: for this machine's
 * CPU (fastest here; another CPU without its features refuses it), or, portable,
 * for the architecture's baseline CPU (no AVX2/AVX-512: any machine of this
 * architecture reads it; a distribution package). */
int pg_prefilter_save(const struct pg_ruleset *rs, const char *path, bool portable, struct pg_error *err);

enum pg_prefilter_source pg_prefilter_source(const struct pg_prefilter *pf);

/* One scratch per thread. */
int pg_prefilter_scratch_new(struct pg_prefilter_scratch **out, const struct pg_prefilter *pf,
			     struct pg_error *err);
void pg_prefilter_scratch_free(struct pg_prefilter_scratch *s);

/* Sets fired[i] for every rule i (index into rs->rules) that may match in
 * data: its regex may match and one of its keywords occurs (a rule with
 * keywords runs only where one occurs, as in gitleaks); rules that must always
 * run are set too. fired has rs->n entries. For a rule run in windows
 * (pg_rule_windowed()) the scan also keeps where its keywords occur. */
int pg_prefilter_scan(const struct pg_prefilter *pf, struct pg_prefilter_scratch *s,
		      const char *data, size_t len, bool *fired, struct pg_error *err);

/* Where a windowed rule's keywords end in the text last scanned: offsets
 * just past each occurrence, in the order found (not necessarily sorted).
 * overflow: more than PG_KEYWORD_HITS_MAX, or no memory: run the rule on
 * the whole text instead. */
#define PG_KEYWORD_HITS_MAX 65536
struct pg_keyword_hits {
	size_t *end;
	size_t n, alloc;
	bool overflow;
};
void pg_keyword_hits_add(struct pg_keyword_hits *h, size_t end);
void pg_keyword_hits_release(struct pg_keyword_hits *h);
/* Owned by s; valid until the next scan with s. */
const struct pg_keyword_hits *pg_prefilter_hits(const struct pg_prefilter_scratch *s, size_t rule);

/* How many rules are prefiltered by regex, by keyword, and always run. */
void pg_prefilter_stats(const struct pg_prefilter *pf, size_t *by_regex, size_t *by_keyword,
			size_t *always);

#endif
