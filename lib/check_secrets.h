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
#include "pushguard.h"
#include "rules.h"
#include "secrets.h"
#include "strvec.h"

extern const struct pg_key_def pg_secrets_keys[];

/* Larger files are streamed, so this bounds time, not memory. A text file
 * over it is a finding (too-large-to-scan) that refuses the push by default.
 * 64 MiB is scanned in about 1.1 s on the 2-core reference machine (bench/
 * bounds.sh maxblob): a file at the limit leaves most of the default 4 s
 * budget to the rest of the push and to a busy server, where 96 MB took 2 s
 * idle and ran out of budget under load (docs/secrets.md). */
#define PG_SECRETS_DEFAULT_MAX_BLOB ((int64_t)64 << 20)
#define PG_SECRETS_MAX_THREADS 8
#define PG_SECRETS_PARALLEL_MIN 64 /* blobs: fewer are scanned on one core */
/* Larger blobs are read and scanned in windows (secrets_stream.h), never held whole. */
#define PG_SECRETS_STREAM_MIN ((uint64_t)4 << 20)
#define PG_SECRETS_PREFILTER_MIN_BYTES ((uint64_t)256 << 10) /* below: keywords only */

struct pg_secret_engine {
	bool enabled;
	int64_t max_blob;            /* bytes; larger blobs are not scanned: text ones are findings */
	bool oversize_accept;        /* pushguard.secrets.onOversize = accept: those findings are allowed */
	bool allow_inline;           /* pushguard.secrets.allowInline: a pushguard:allow comment allows */
	struct pg_strvec scope;      /* pushguard.secrets.refs */
	struct pg_ruleset rules;
	struct pg_prefilter *pf;
	struct pg_secrets_scanner scanner;
	struct pg_strvec ignored;    /* fingerprints from the ignore file, then the policy ref's */
	size_t ignored_server;       /* how many of them come from the server's ignore file */
	struct pg_oidmap seen;       /* blobs already scanned in this run */
	const char *repo_path;       /* for worker threads: NULL = the hook's repository (env) */
	const char *cache_dir;       /* pushguard.secrets.cacheDir, or NULL for the default */
	char shipped_db[4096];       /* the built-in pack's precompiled database; "" with extra rules */
	int64_t deadline_ms;         /* stop with PG_ETIMEOUT past it (budget.h); 0 = none */
	enum pg_confidence block;    /* pushguard.secrets.block: lower findings only warn */
	size_t skipped_large, skipped_binary, scanned;
	uint64_t scanned_bytes;
	size_t jobs;                 /* threads scanning; 0 = every core (at most PG_SECRETS_MAX_THREADS) */
	/* progress while pg_secret_engine_scan runs (read with __atomic_load_n):
	 * blobs to scan and their bytes, then those done */
	size_t progress_blobs, progress_blobs_done;
	uint64_t progress_bytes, progress_bytes_done;
};

/* Loads rules (built-in pack unless pushguard.secrets.builtin = false, plus
 * pushguard.secrets.rules files) and the ignore file. The prefilter database is
 * read when a scan needs it: the precompiled one installed beside the built-in
 * pack (built-in rules alone), else from the cache, else compiled. PG_ECONFIG names the key, file and line. */
int pg_secret_engine_open(struct pg_secret_engine *e, const struct pg_policy *p, struct pg_error *err);
void pg_secret_engine_release(struct pg_secret_engine *e);

/* A generic value found in this many files of one push is an example
 * (documentation, templates), not a live credential: confidence low. */
#define PG_SECRETS_EXAMPLE_REPEATS 3

/* Scans the added files of every commit of walk; findings get the first ref
 * in scope that brings the commit (push may be NULL: no refs, all in scope).
 * Each finding has its confidence (credential.h) and is a warning when that
 * is below e->block. */
int pg_secret_engine_scan(struct pg_secret_engine *e, git_repository *repo,
			  const struct pg_walk *walk, const struct pg_check_ctx *ctx,
			  struct pg_findings *out, struct pg_error *err);

/* Outside file contents (secrets_meta.c), with the same rules, entropy,
 * allowlists and ignore file as file contents. Every secret found is
 * registered for masking (mask.h) before any finding is added, allowed or
 * not, found on something new or not, so no output of the process shows it.
 *
 * The names of the pushed refs, before the walk (so that even a push that runs
 * out of time budget is recorded and told masked): a ref the push creates, in
 * pushguard.secrets.refs, is a finding, `ref name REF`; the name of a ref
 * updated or deleted is old and only masked. out NULL: masked only (the
 * post-receive hook, whose record names the refs). */
int pg_secret_engine_scan_refs(struct pg_secret_engine *e, const struct pg_push *push,
			       struct pg_findings *out, struct pg_error *err);

/* After the walk: the full message of every commit the walk found that the
 * secrets check judges (pg_check_commit_ref; ctx NULL: every commit),
 * `commit ID message:LINE`, its author and committer, `commit ID author:1`
 * and `committer:2` (decoded, and as written when the encoding header makes
 * them read otherwise: a secret only the bytes as written hold is reported
 * once, "as written"), and every other field of its header but the tree and
 * parent ids (walk.h: mergetag, encoding, gpgsig, unknown ones), `commit ID
 * header KEY:LINE` (LINE 1 the key's line, continuation lines after it; KEY
 * "#N", the field's place, when the key is no plain word); the message of
 * every annotated tag a pushed ref in scope names, and of the tags it names
 * in turn, new to the repository, `tag NAME message:LINE`, and its header
 * but the object id and type (tagger, tag name, unknown ones), `tag NAME
 * header KEY:LINE`; the paths those commits add, `path PATH`, a finding
 * only in the commit where the part holding the secret is new (no parent has
 * it). ctx NULL (pushguard scan): with_refs adds every ref name of repo and
 * the messages of the annotated tags they name. Reported before the files,
 * and before the other checks' findings in a push, which are then masked. */
int pg_secret_engine_scan_meta(struct pg_secret_engine *e, git_repository *repo,
			       const struct pg_walk *walk, const struct pg_check_ctx *ctx,
			       bool with_refs, struct pg_findings *out, struct pg_error *err);

/* What pg_secret_engine_scan_meta() is about to scan, in bytes (about), to
 * choose the scanner: the multi-pattern database pays off on a large push. */
uint64_t pg_secret_engine_meta_bytes(const struct pg_walk *walk);

/* Loads the multi-pattern database when `bytes` are to be scanned and it pays
 * off (the one installed with the built-in pack, else from the cache or
 * compiled); nothing when loaded already. */
int pg_secret_engine_prefilter(struct pg_secret_engine *e, uint64_t bytes, struct pg_error *err);

/* Which ignore file holds fingerprint (or its masked form), as allowed_by
 * says it ("ignore file (pushguard.secrets.ignoreFile)", or the policy
 * ref's); NULL when none does. */
const char *pg_secret_engine_ignored_by(const struct pg_secret_engine *e, const char *fingerprint);

/* pg_secrets_block (and pg_secret_engine_new, pg_secret_engine_free,
 * pg_secret_engine_scan_history, the accessors): pushguard.h. */

#endif
