/* The pipeline on one push: walk it once, then run every check in order on
 * what the walk found. Deciding, telling the pusher and recording come after
 * (hook.c: pg_decide, render, record). */
#include "check.h"

#include "check_secrets.h"

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
	struct pg_check_ctx ctx = { repo, push, policy, walk, findings, deadline_ms, NULL };
	struct pg_secret_engine secrets;
	bool with_secrets = pg_policy_bool(policy, "pushguard.secrets.enabled", true);
	int rc;

	walk->deadline_ms = deadline_ms;
	/* the ref names first: whatever happens next, a secret in one is masked
	 * in what the pusher reads and in the record (mask.h) */
	if (with_secrets) {
		ctx.secrets = &secrets;
		if ((rc = pg_secret_engine_open(&secrets, policy, err)) < 0)
			goto out;
		secrets.deadline_ms = deadline_ms;
		if ((rc = pg_secret_engine_scan_refs(&secrets, push, findings, err)) < 0)
			goto out;
	}
	if ((rc = pg_check_add_scopes(walk, policy, err)) < 0 ||
	    (rc = pg_walk_run(walk, repo, push, wants_files(policy), err)) < 0)
		goto out;
	/* messages and paths before the checks that quote them (subjects, paths) */
	if (with_secrets && (rc = pg_secret_engine_scan_meta(&secrets, repo, walk, &ctx, false, findings, err)) < 0)
		goto out;
	for (size_t i = 0; i < sizeof(checks) / sizeof(*checks); i++)
		if ((rc = checks[i](&ctx, err)) < 0)
			goto out;
	rc = 0;
out:
	if (with_secrets)
		pg_secret_engine_release(&secrets);
	return rc;
}
