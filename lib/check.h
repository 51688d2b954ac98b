/* The push-rule checks. Each reads what the walk produced (never the objects
 * again) and appends findings; none decides whether the push passes. */
#ifndef PG_CHECK_H
#define PG_CHECK_H

#include <git2.h>
#include <stdint.h>

#include "error.h"
#include "finding.h"
#include "policy.h"
#include "push.h"
#include "walk.h"

struct pg_check_ctx {
	git_repository *repo;
	const struct pg_push *push;
	const struct pg_policy *policy;
	const struct pg_walk *walk;
	struct pg_findings *findings;
	int64_t deadline_ms;       /* pg_clock_ms() clock (clock.h); 0 = none (budget.h) */
};

/* Deletions, force pushes, names of new branches and tags (check "refs"). */
int pg_check_refs(struct pg_check_ctx *ctx, struct pg_error *err);
/* Message patterns, author/committer emails, sign-off (check "commits"). */
int pg_check_commits(struct pg_check_ctx *ctx, struct pg_error *err);
/* Denied file names, sizes, path lengths of added files (check "files"). */
int pg_check_files(struct pg_check_ctx *ctx, struct pg_error *err);

/* The first ref bringing commit c that lies in scope, or NULL when none does. */
const struct pg_ref_update *pg_check_commit_ref(const struct pg_check_ctx *ctx,
						const struct pg_commit *c,
						const struct pg_strvec *scope);

#endif
