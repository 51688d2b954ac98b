/* The pipeline on one push: walk it once, then run every check in order on
 * what the walk found. Deciding, telling the pusher and recording come after
 * (hook.c: pg_decide, render, record). */
#include "check.h"

typedef int pg_check_fn(struct pg_check_ctx *ctx, struct pg_error *err);

/* In the order the pusher reads their findings. */
static pg_check_fn *const checks[] = {
	pg_check_objects, pg_check_refs, pg_check_commits, pg_check_files,
	pg_check_secrets, pg_check_tickets, pg_check_signatures,
};

/* Added files are listed only when a check looks at them. */
static bool wants_files(const struct pg_policy *p)
{
	return p->files_deny.n || p->files_max_size || p->files_max_path_length ||
	       pg_policy_bool(p, "pushguard.secrets.enabled", true);
}

int pg_check_push(struct pg_walk *walk, struct pg_findings *findings, git_repository *repo,
		  const struct pg_push *push, const struct pg_policy *policy, int64_t deadline_ms,
		  struct pg_error *err)
{
	struct pg_check_ctx ctx = { repo, push, policy, walk, findings, deadline_ms };
	int rc;

	walk->deadline_ms = deadline_ms;
	if ((rc = pg_check_add_scopes(walk, policy, err)) < 0 ||
	    (rc = pg_walk_run(walk, repo, push, wants_files(policy), err)) < 0)
		return rc;
	for (size_t i = 0; i < sizeof(checks) / sizeof(*checks); i++)
		if ((rc = checks[i](&ctx, err)) < 0)
			return rc;
	return 0;
}
