#include "check.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "render.h"

#define REWORD_FIX "reword the commit: git commit --amend (the last commit) or\n" \
		   "git rebase -i COMMIT~ and mark it 'reword' (an older one), then push again"

static int add(struct pg_check_ctx *ctx, const struct pg_commit *c, const struct pg_ref_update *u,
	       const char *rule, const char *msg, const char *fix, struct pg_error *err)
{
	struct pg_finding_spec spec = { "commits", rule, u->ref, c->hex, c->subject, NULL, 0, NULL, NULL };

	return pg_findings_add(ctx->findings, &spec, msg, fix, err);
}

/* 1 when the message has "Signed-off-by: Name <email>" for this email. */
static int has_signoff(const char *message, const char *email)
{
	static const char tag[] = "Signed-off-by:";
	size_t elen = strlen(email);

	for (const char *line = message; *line;) {
		const char *eol = strchrnul(line, '\n'), *lt, *gt;

		if (!strncasecmp(line, tag, sizeof(tag) - 1)) {
			lt = memchr(line, '<', (size_t)(eol - line));
			gt = lt ? memchr(lt, '>', (size_t)(eol - lt)) : NULL;
			if (gt && (size_t)(gt - lt - 1) == elen && !strncasecmp(lt + 1, email, elen))
				return 1;
		}
		line = *eol ? eol + 1 : eol;
	}
	return 0;
}

static int pattern_rule(struct pg_check_ctx *ctx, const struct pg_commit *c,
			const struct pg_ref_update *u, const struct pg_regex *re,
			const char *subject, bool must_match, const char *rule,
			const char *what, const char *key, const char *fix, struct pg_error *err)
{
	struct pg_buf msg = PG_BUF_INIT;
	int rc;

	if (!re)
		return 0;
	rc = pg_regex_match(re, subject, strlen(subject), err);
	if (rc < 0)
		return rc;
	if ((rc == 1) == must_match)
		return 0;
	if (must_match)
		pg_buf_addf(&msg, "%s does not match the required pattern %s (%s)", what, pg_regex_pattern(re), key);
	else
		pg_buf_addf(&msg, "%s matches the forbidden pattern %s (%s)", what, pg_regex_pattern(re), key);
	rc = pg_buf_failed(&msg) ? pg_error_oom(err)
				 : add(ctx, c, u, rule, msg.ptr, fix, err);
	pg_buf_release(&msg);
	return rc;
}

int pg_check_commits(struct pg_check_ctx *ctx, struct pg_error *err)
{
	const struct pg_policy *p = ctx->policy;

	for (size_t i = 0; i < ctx->walk->n; i++) {
		const struct pg_commit *c = &ctx->walk->commits[i];
		const struct pg_ref_update *u = pg_check_commit_ref(ctx, c, &p->commits_scope);
		struct pg_buf who = PG_BUF_INIT, fix = PG_BUF_INIT;
		int rc = 0;

		if (!u || c->synthetic)
			continue;
		pg_buf_adds(&who, "author email <");
		pg_render_safe(&who, c->author_email);
		if (pg_buf_adds(&who, ">") < 0)
			rc = pg_error_oom(err);
		if (!rc)
			rc = pattern_rule(ctx, c, u, p->message_pattern, c->message, true, "message-pattern",
					  "the commit message", "pushguard.commits.messagePattern", REWORD_FIX, err);
		if (!rc)
			rc = pattern_rule(ctx, c, u, p->reject_message_pattern, c->message, false,
					  "reject-message-pattern", "the commit message",
					  "pushguard.commits.rejectMessagePattern", REWORD_FIX, err);
		if (!rc)
			rc = pattern_rule(ctx, c, u, p->author_email_pattern, c->author_email, true,
					  "author-email", who.ptr, "pushguard.commits.authorEmailPattern",
					  "set your address and re-author the commit:\n"
					  "git config user.email YOU@EXAMPLE && git commit --amend --no-edit --reset-author\n"
					  "(older commits: git rebase -i COMMIT~ --exec 'git commit --amend --no-edit --reset-author')",
					  err);
		pg_buf_reset(&who);
		pg_buf_adds(&who, "committer email <");
		pg_render_safe(&who, c->committer_email);
		if (pg_buf_adds(&who, ">") < 0 && !rc)
			rc = pg_error_oom(err);
		if (!rc)
			rc = pattern_rule(ctx, c, u, p->committer_email_pattern, c->committer_email, true,
					  "committer-email", who.ptr, "pushguard.commits.committerEmailPattern",
					  "set your address and recommit:\n"
					  "git config user.email YOU@EXAMPLE && git commit --amend --no-edit\n"
					  "(older commits: git rebase COMMIT~ --exec 'git commit --amend --no-edit')",
					  err);
		/* a merge made by git carries no sign-off of its own: the merged
		 * commits carry theirs */
		if (!rc && p->require_signoff && c->nparents < 2 && !has_signoff(c->message, c->author_email)) {
			pg_buf_reset(&who);
			pg_buf_adds(&who, "no Signed-off-by line for the author <");
			pg_render_safe(&who, c->author_email);
			pg_buf_adds(&who, "> (pushguard.commits.requireSignoff)");
			pg_buf_addf(&fix, "sign off: git commit --amend --no-edit --signoff (the last commit) or\n"
				    "git rebase --signoff COMMIT~ (several commits), then push again");
			rc = pg_buf_failed(&who) || pg_buf_failed(&fix) ? pg_error_oom(err)
				: add(ctx, c, u, "signoff", who.ptr, fix.ptr, err);
		}
		pg_buf_release(&who);
		pg_buf_release(&fix);
		if (rc < 0)
			return rc;
	}
	return 0;
}
