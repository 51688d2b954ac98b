/* The checks, and pg_check_push(), which runs them all on a push.
 *
 * Every check has the same signature: it reads what the walk produced (never
 * walks again), appends findings to ctx->findings, and returns 0, or a
 * negative error (PG_ECONFIG for a bad setting, PG_ETIMEOUT past
 * ctx->deadline_ms). None decides whether the push passes: that is
 * pg_decide() (decide.h). Each lives in its own file: check_objects.c,
 * check_refs.c, check_commits.c, check_files.c, check_secrets.c (the scan
 * engine it uses is secrets.c), tickets.c (trackers: tracker.c) and
 * check_signatures.c (the trust set: signature.c; one object's verdict:
 * signature_verify.c over openpgp.c and sshsig.c).*/
#ifndef PG_CHECK_H
#define PG_CHECK_H

#include <git2.h>
#include <stdint.h>

#include "error.h"
#include "finding.h"
#include "policy.h"
#include "push.h"
#include "pushguard.h"
#include "walk.h"

struct pg_secret_engine;

struct pg_check_ctx {
	git_repository *repo;
	const struct pg_push *push;
	const struct pg_policy *policy;
	const struct pg_walk *walk;
	struct pg_findings *findings;
	int64_t deadline_ms;       /* pg_clock_ms() clock (clock.h); 0 = none (budget.h) */
	/* opened by pg_check_push() for the ref names before the walk and kept
	 * for the secrets check; NULL: pg_check_secrets() opens its own */
	struct pg_secret_engine *secrets;
};

/* pg_check_push(), every check on a push in order: pushguard.h. The hooks
 * and the background check (background.h) run exactly that. */

/* Deletions, force pushes, names of new branches and tags (check "refs"). */
int pg_check_refs(struct pg_check_ctx *ctx, struct pg_error *err);
/* Message patterns, author/committer emails, sign-off (check "commits"). */
int pg_check_commits(struct pg_check_ctx *ctx, struct pg_error *err);
/* Denied file names, sizes, path lengths of added files (check "files"). */
int pg_check_files(struct pg_check_ctx *ctx, struct pg_error *err);

/* Malformed commits, trees and tags the push brings (check "objects", rule
 * "malformed"): what git fsck calls an error, which libgit2 often cannot
 * read. Applies to every ref. */
int pg_check_objects(struct pg_check_ctx *ctx, struct pg_error *err);

/* Credentials in what the push adds (check "secrets"; check_secrets.h). */
int pg_check_secrets(struct pg_check_ctx *ctx, struct pg_error *err);
/* Change tickets named in commit messages (check "tickets"; tickets.h).
 * PG_ECONFIG also for a tracker refusing pushguard's credentials (401/403). */
int pg_check_tickets(struct pg_check_ctx *ctx, struct pg_error *err);
/* Every new commit (and annotated tag) on the refs in
 * pushguard.signatures.refs must carry a good signature from a trusted key,
 * when pushguard.signatures.required is true (check "signatures"; signature.h). */
int pg_check_signatures(struct pg_check_ctx *ctx, struct pg_error *err);

/* The ref that brings commit c into a section limited to `scope` (ref globs;
 * empty = every ref), or NULL when c is not the section's to judge. A section
 * judges every commit that becomes reachable from one of its refs and was
 * not reachable from one before (walk.h): new commits on those refs, and
 * commits already on the server entering them (c->existing), provided the
 * scope was given to the walk (pg_check_add_scopes). */
const struct pg_ref_update *pg_check_commit_ref(const struct pg_check_ctx *ctx,
						const struct pg_commit *c,
						const struct pg_strvec *scope);

/* Before the walk: the scope of every section of p that is on and limited
 * to some refs (commits, files, secrets, tickets, signatures). */
int pg_check_add_scopes(struct pg_walk *w, const struct pg_policy *p, struct pg_error *err);

#endif
