/* The secrets check: every blob a push adds is scanned once; what counts is
 * what sits on lines the commit adds. Also used by `pushguard scan` over a
 * repository's history. */
#ifndef PG_CHECK_SECRETS_H
#define PG_CHECK_SECRETS_H

#include <git2.h>
#include <stdbool.h>
#include <stdint.h>

#include "check.h"
#include "oidmap.h"
#include "policy.h"
#include "prefilter.h"
#include "rules.h"
#include "secrets.h"
#include "strvec.h"

extern const struct pg_key_def pg_secrets_keys[];

/* Larger files are streamed, so this bounds time, not memory: a 64 MB file
 * is a second of scanning, and the first scan that needs the rules database
 * also compiles it (3 s). Admins who want them scanned raise it. */
#define PG_SECRETS_DEFAULT_MAX_BLOB ((int64_t)5 << 20)
#define PG_SECRETS_MAX_THREADS 8
#define PG_SECRETS_PARALLEL_MIN 64 /* blobs: fewer are scanned on one core */
/* Larger blobs are read and scanned in windows (secrets_stream.h), never held whole. */
#define PG_SECRETS_STREAM_MIN ((uint64_t)4 << 20)
#define PG_SECRETS_PREFILTER_MIN_BYTES ((uint64_t)256 << 10) /* below: keywords only */

struct pg_secret_engine {
	bool enabled;
	int64_t max_blob;            /* bytes; larger blobs are skipped (and counted) */
	struct pg_strvec scope;      /* pushguard.secrets.refs */
	struct pg_ruleset rules;
	struct pg_prefilter *pf;
	struct pg_secrets_scanner scanner;
	struct pg_strvec ignored;    /* fingerprints from the ignore file */
	struct pg_oidmap seen;       /* blobs already scanned in this run */
	const char *repo_path;       /* for worker threads: NULL = the hook's repository (env) */
	const char *cache_dir;       /* pushguard.secrets.cacheDir, or NULL for the default */
	char shipped_db[4096];       /* the built-in pack's precompiled database; "" with extra rules */
	int64_t deadline_ms;         /* stop with PG_ETIMEOUT past it (budget.h); 0 = none */
	size_t skipped_large, skipped_binary, scanned;
	uint64_t scanned_bytes;
};

/* Loads rules (built-in pack unless pushguard.secrets.builtin = false, plus
 * pushguard.secrets.rules files) and the ignore file. The prefilter database is
 * read when a scan needs it: the precompiled one installed beside the built-in
 * pack (built-in rules alone), else from the cache, else compiled. PG_ECONFIG names the key, file and line. */
int pg_secret_engine_open(struct pg_secret_engine *e, const struct pg_policy *p, struct pg_error *err);
void pg_secret_engine_release(struct pg_secret_engine *e);

/* Scans the added files of every commit of walk; findings get the first ref
 * in scope that brings the commit (push may be NULL: no refs, all in scope). */
int pg_secret_engine_scan(struct pg_secret_engine *e, git_repository *repo,
			  const struct pg_walk *walk, const struct pg_check_ctx *ctx,
			  struct pg_findings *out, struct pg_error *err);

/* The hook's check (check "secrets"). */
int pg_check_secrets(struct pg_check_ctx *ctx, struct pg_error *err);

#endif
