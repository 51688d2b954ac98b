/* Which commits a section limited to refs judges (walk.h explains the rule),
 * shared by every section so that they all follow it alike. */
#include "check.h"

#include "signature.h"

const struct pg_ref_update *pg_check_commit_ref(const struct pg_check_ctx *ctx,
						const struct pg_commit *c,
						const struct pg_strvec *scope)
{
	if (c->existing) {
		int s = pg_walk_scope_index(ctx->walk, scope);

		if (s < 0 || !(c->scopes & (1u << s)))
			return NULL; /* on the server already, and not entering these refs */
	}
	/* any of the scope's refs the commit is reachable from brings it in */
	for (size_t i = 0; i < c->nrefs; i++) {
		const struct pg_ref_update *u = &ctx->push->updates[c->refs[i]];

		if (pg_policy_scope_matches(scope, u->ref))
			return u;
	}
	return NULL;
}

static int add_key(struct pg_walk *w, const struct pg_policy *p, const char *key, struct pg_error *err)
{
	struct pg_strvec globs = PG_STRVEC_INIT;
	int rc;

	if (pg_policy_list(p, key, &globs) < 0)
		rc = pg_error_oom(err);
	else
		rc = pg_walk_add_scope(w, &globs, err);
	pg_strvec_release(&globs);
	return rc;
}

int pg_check_add_scopes(struct pg_walk *w, const struct pg_policy *p, struct pg_error *err)
{
	struct pg_signatures s = PG_SIGNATURES_INIT;
	int rc = 0;

	if (p->message_pattern || p->reject_message_pattern || p->author_email_pattern ||
	    p->committer_email_pattern || p->require_signoff)
		rc = pg_walk_add_scope(w, &p->commits_scope, err);
	if (!rc && (p->files_deny.n || p->files_max_size || p->files_max_path_length))
		rc = pg_walk_add_scope(w, &p->files_scope, err);
	if (!rc && pg_policy_bool(p, "pushguard.secrets.enabled", true))
		rc = add_key(w, p, "pushguard.secrets.refs", err);
	if (!rc && pg_policy_bool(p, "pushguard.tickets.required", false))
		rc = add_key(w, p, "pushguard.tickets.refs", err);
	if (!rc && (rc = pg_signatures_load(&s, p, err)) == 0 && s.required)
		rc = pg_walk_add_scope(w, &s.refs, err);
	pg_signatures_release(&s);
	return rc;
}
