#include "check.h"

#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "glob.h"

static const char *first_match(const struct pg_strvec *globs, const char *ref)
{
	for (size_t i = 0; i < globs->n; i++)
		if (pg_glob_match(globs->v[i], ref))
			return globs->v[i];
	return NULL;
}

/* 1 when moving old to new rewrites history, 0 when it fast-forwards. */
static int is_forced(git_repository *repo, const struct pg_ref_update *u, int64_t deadline_ms,
		     struct pg_error *err)
{
	git_oid old, new;
	int a, b, rc;

	if (!strcmp(u->old, u->new))
		return 0;
	if ((a = pg_walk_peel_commit(&old, repo, u->old, err)) < 0 ||
	    (b = pg_walk_peel_commit(&new, repo, u->new, err)) < 0)
		return PG_ERR;
	if (a || b)
		return 1; /* not commits: any change replaces the object */
	if (!git_oid_cmp(&old, &new))
		return 0;
	rc = pg_walk_is_ancestor(repo, &old, &new, deadline_ms, err);
	return rc < 0 ? rc : !rc;
}

static int name_rule(struct pg_check_ctx *ctx, const struct pg_ref_update *u,
		     const struct pg_regex *re, const char *rule, const char *what,
		     struct pg_error *err)
{
	struct pg_buf msg = PG_BUF_INIT, fix = PG_BUF_INIT;
	struct pg_finding_spec spec = { "refs", rule, u->ref, NULL, NULL, NULL, 0, NULL, NULL };
	int rc = pg_regex_match(re, u->short_name, strlen(u->short_name), err);

	if (rc != 0)
		return rc < 0 ? rc : 0;
	pg_buf_addf(&msg, "new %s name '%s' does not match the required pattern %s",
		    what, u->short_name, pg_regex_pattern(re));
	if (!strcmp(what, "branch")) {
		pg_buf_adds(&fix, "rename the branch and push it under the new name:\ngit branch -m ");
		pg_buf_add_shell_quoted(&fix, u->short_name);
		pg_buf_adds(&fix, " NEW-NAME && git push origin NEW-NAME");
	} else {
		pg_buf_adds(&fix, "tag under an allowed name: git tag NEW-NAME ");
		pg_buf_add_shell_quoted(&fix, u->short_name);
		pg_buf_adds(&fix, " && git tag -d ");
		pg_buf_add_shell_quoted(&fix, u->short_name);
		pg_buf_adds(&fix, " && git push origin NEW-NAME");
	}
	rc = pg_buf_failed(&msg) || pg_buf_failed(&fix) ? pg_error_oom(err)
				: pg_findings_add(ctx->findings, &spec, msg.ptr, fix.ptr, err);
	pg_buf_release(&msg);
	pg_buf_release(&fix);
	return rc;
}

int pg_check_refs(struct pg_check_ctx *ctx, struct pg_error *err)
{
	const struct pg_policy *p = ctx->policy;

	for (size_t i = 0; i < ctx->push->nupdates; i++) {
		const struct pg_ref_update *u = &ctx->push->updates[i];
		struct pg_finding_spec spec = { "refs", NULL, u->ref, NULL, NULL, NULL, 0, NULL, NULL };
		struct pg_buf msg = PG_BUF_INIT;
		const char *glob;
		int rc = 0;

		if (!pg_policy_scope_matches(&p->refs_scope, u->ref))
			continue;
		if (u->deleted && !u->created && (glob = first_match(&p->deny_delete, u->ref))) {
			spec.rule = "deny-delete";
			pg_buf_addf(&msg, "deleting %s is not allowed (pushguard.refs.denyDelete = %s)", u->ref, glob);
			rc = pg_buf_failed(&msg) ? pg_error_oom(err) :
			     pg_findings_add(ctx->findings, &spec, msg.ptr,
					     "keep the ref; if it really must go, ask a repository admin", err);
		} else if (!u->deleted && !u->created && (glob = first_match(&p->deny_force_push, u->ref))) {
			rc = is_forced(ctx->repo, u, ctx->deadline_ms, err);
			if (rc > 0) {
				spec.rule = "deny-force-push";
				pg_buf_addf(&msg, "%s cannot be rewritten: this push is not a fast-forward "
					    "(pushguard.refs.denyForcePush = %s)", u->ref, glob);
				rc = pg_buf_failed(&msg) ? pg_error_oom(err) :
				     pg_findings_add(ctx->findings, &spec, msg.ptr,
						     "fetch, put your work on top and push without --force:\n"
						     "git pull --rebase && git push", err);
			}
		} else if (u->created && u->kind == PG_REF_BRANCH && p->branch_pattern) {
			rc = name_rule(ctx, u, p->branch_pattern, "branch-name", "branch", err);
		} else if (u->created && u->kind == PG_REF_TAG && p->tag_pattern) {
			rc = name_rule(ctx, u, p->tag_pattern, "tag-name", "tag", err);
		}
		pg_buf_release(&msg);
		if (rc < 0)
			return rc;
	}
	return 0;
}
