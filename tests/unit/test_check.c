/* Unit tests for lib/check_refs.c, check_commits.c and check_files.c on real
 * repositories built with the git CLI and policies filled in by hand. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <git2.h>

#include "budget.h"
#include "clock.h"
#include "check.h"
#include "check_secrets.h"
#include "mask.h"
#include "push.h"
#include "repo_fixture.h"
#include "walk.h"

struct fx {
	struct repo_fx r; /* the repository, the push and its walk */
	struct pg_policy policy;
	struct pg_findings findings;
	struct pg_check_ctx ctx;
};

static int setup(void **state)
{
	struct fx *fx = calloc(1, sizeof(*fx));

	if (!fx || repo_fx_init(&fx->r, "check") < 0) {
		free(fx);
		return -1;
	}
	fx->findings = (struct pg_findings)PG_FINDINGS_INIT;
	pg_policy_init(&fx->policy);
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fx *fx = *state;

	pg_findings_release(&fx->findings);
	pg_policy_release(&fx->policy);
	repo_fx_release(&fx->r);
	free(fx);
	return 0;
}

/* Walks the push (with files) and runs one check over it. */
static void check(struct fx *fx, int (*fn)(struct pg_check_ctx *, struct pg_error *))
{
	int rc;

	fx_run_ok(&fx->r, true);
	pg_findings_release(&fx->findings);
	fx->ctx = (struct pg_check_ctx){ fx->r.repo, &fx->r.push, &fx->policy, &fx->r.walk, &fx->findings };
	rc = fn(&fx->ctx, &fx->r.err);
	if (rc != PG_OK)
		fail_msg("check returned %d: %s", rc, fx->r.err.msg);
}

/* check(), with the scopes of fx->policy's sections given to the walk, as the hook does. */
static void check_scoped(struct fx *fx, int (*fn)(struct pg_check_ctx *, struct pg_error *))
{
	int rc;

	if (!fx->r.repo)
		fx_open_repo(&fx->r);
	pg_walk_release(&fx->r.walk);
	pg_findings_release(&fx->findings);
	if ((rc = pg_check_add_scopes(&fx->r.walk, &fx->policy, &fx->r.err)) < 0 ||
	    (rc = pg_walk_run(&fx->r.walk, fx->r.repo, &fx->r.push, true, &fx->r.err)) < 0)
		fail_msg("walk returned %d: %s", rc, fx->r.err.msg);
	fx->ctx = (struct pg_check_ctx){ fx->r.repo, &fx->r.push, &fx->policy, &fx->r.walk, &fx->findings };
	if ((rc = fn(&fx->ctx, &fx->r.err)) != PG_OK)
		fail_msg("check returned %d: %s", rc, fx->r.err.msg);
}

static void reset_push(struct fx *fx)
{
	pg_push_release(&fx->r.push);
	pg_walk_release(&fx->r.walk);
	pg_findings_release(&fx->findings);
}

static void set_regex(struct pg_regex **re, const char *pattern)
{
	struct pg_error err = PG_ERROR_INIT;

	pg_regex_free(*re);
	*re = NULL;
	if (pg_regex_compile(re, pattern, "test pattern", &err) < 0)
		fail_msg("%s", err.msg);
}

static void add_glob(struct pg_strvec *sv, const char *g)
{
	assert_int_equal(pg_strvec_push(sv, g), 0);
}

#define assert_has(hay, needle)                                                   \
	do {                                                                      \
		const char *hay_ = (hay);                                         \
		if (!hay_ || !strstr(hay_, (needle)))                             \
			fail_msg("'%s' not found in '%s'", (needle), hay_ ? hay_ : "(null)"); \
	} while (0)

static const struct pg_finding *finding(const struct fx *fx, size_t i)
{
	if (i >= fx->findings.n)
		fail_msg("finding %zu of %zu", i, fx->findings.n);
	return &fx->findings.v[i];
}

static const struct pg_finding *finding_for_path(const struct fx *fx, const char *path)
{
	for (size_t i = 0; i < fx->findings.n; i++)
		if (fx->findings.v[i].path && !strcmp(fx->findings.v[i].path, path))
			return &fx->findings.v[i];
	fail_msg("no finding for %s", path);
	return NULL;
}

static const struct pg_finding *finding_for_commit(const struct fx *fx, const char *hex, const char *rule)
{
	for (size_t i = 0; i < fx->findings.n; i++)
		if (!strcmp(fx->findings.v[i].commit, hex) && !strcmp(fx->findings.v[i].rule, rule))
			return &fx->findings.v[i];
	return NULL;
}

/* ---- refs ---------------------------------------------------------------- */

static void test_deny_delete(void **state)
{
	struct fx *fx = *state;
	char c0[41], c1[41];
	const struct pg_finding *f;

	fx_write_file(&fx->r, "a.txt", "base\n");
	fx_commit(&fx->r, "C0", c0);
	fx_write_file(&fx->r, "b.txt", "bee\n");
	fx_commit(&fx->r, "C1", c1);
	fx_sh(&fx->r, "git branch topic && git branch release/1 && git branch release/2");
	add_glob(&fx->policy.deny_delete, "refs/heads/main");
	add_glob(&fx->policy.deny_delete, "refs/heads/release/*");

	fx_update(&fx->r, "refs/heads/main", c1, Z40);
	fx_update(&fx->r, "refs/heads/topic", c1, Z40);
	fx_update(&fx->r, "refs/heads/release/1", c1, Z40);
	fx_update(&fx->r, "refs/heads/release/2", c1, c0); /* not a deletion */
	check(fx, pg_check_refs);
	assert_int_equal(fx->findings.n, 2);
	f = finding(fx, 0);
	assert_string_equal(f->check, "refs");
	assert_string_equal(f->rule, "deny-delete");
	assert_string_equal(f->ref, "refs/heads/main");
	assert_string_equal(f->commit, "");
	assert_null(f->path);
	assert_has(f->message, "refs/heads/main");
	assert_has(f->message, "pushguard.refs.denyDelete");
	assert_non_null(f->fix);
	f = finding(fx, 1);
	assert_string_equal(f->rule, "deny-delete");
	assert_string_equal(f->ref, "refs/heads/release/1");
	assert_has(f->message, "refs/heads/release/*");
}

static void test_deny_force_push(void **state)
{
	struct fx *fx = *state;
	char c0[41], a1[41], a2[41], b1[41];
	const struct pg_finding *f;

	fx_write_file(&fx->r, "a.txt", "base\n");
	fx_commit(&fx->r, "C0", c0);
	fx_write_file(&fx->r, "a.txt", "a1\n");
	fx_commit(&fx->r, "A1", a1);
	fx_write_file(&fx->r, "a.txt", "a2\n");
	fx_commit(&fx->r, "A2", a2);
	fx_sh(&fx->r, "git checkout -q -b other %s", c0);
	fx_write_file(&fx->r, "a.txt", "b1\n");
	fx_commit(&fx->r, "B1", b1);
	/* before the push: main, ff and free at A1, rewind at A2; B1 and A2 otherwise unreferenced */
	fx_sh(&fx->r, "git checkout -q --detach && git branch -q -D other && git update-ref refs/heads/main %s && "
	       "git update-ref refs/heads/ff %s && git update-ref refs/heads/free %s && "
	       "git update-ref refs/heads/rewind %s", a1, a1, a1, a2);
	add_glob(&fx->policy.deny_force_push, "refs/heads/main");
	add_glob(&fx->policy.deny_force_push, "refs/heads/ff");
	add_glob(&fx->policy.deny_force_push, "refs/heads/rewind");
	add_glob(&fx->policy.deny_force_push, "refs/heads/new");

	fx_update(&fx->r, "refs/heads/main", a1, b1);   /* rewrites: refused */
	fx_update(&fx->r, "refs/heads/ff", a1, a2);     /* fast-forward: fine */
	fx_update(&fx->r, "refs/heads/free", a1, b1);   /* not covered */
	fx_update(&fx->r, "refs/heads/rewind", a2, a1); /* moves back: refused */
	fx_update(&fx->r, "refs/heads/new", Z40, b1);   /* creation: fine */
	check(fx, pg_check_refs);
	assert_int_equal(fx->findings.n, 2);
	f = finding(fx, 0);
	assert_string_equal(f->check, "refs");
	assert_string_equal(f->rule, "deny-force-push");
	assert_string_equal(f->ref, "refs/heads/main");
	assert_has(f->message, "pushguard.refs.denyForcePush");
	f = finding(fx, 1);
	assert_string_equal(f->rule, "deny-force-push");
	assert_string_equal(f->ref, "refs/heads/rewind");
}

static void test_deny_force_push_allows_deletion(void **state)
{
	struct fx *fx = *state;
	char c0[41];

	fx_write_file(&fx->r, "a.txt", "base\n");
	fx_commit(&fx->r, "C0", c0);
	add_glob(&fx->policy.deny_force_push, "refs/heads/**");
	fx_update(&fx->r, "refs/heads/main", c0, Z40);
	check(fx, pg_check_refs);
	assert_int_equal(fx->findings.n, 0);
}

static void test_branch_name_new_branches_only(void **state)
{
	struct fx *fx = *state;
	char c0[41], c1[41];
	const struct pg_finding *f;

	fx_write_file(&fx->r, "a.txt", "base\n");
	fx_commit(&fx->r, "C0", c0);
	fx_write_file(&fx->r, "b.txt", "bee\n");
	fx_commit(&fx->r, "C1", c1);
	fx_sh(&fx->r, "git update-ref refs/heads/main %s && git branch WIP %s", c0, c0);
	set_regex(&fx->policy.branch_pattern, "^(feature|fix)/[a-z0-9-]+$");

	fx_update(&fx->r, "refs/heads/feature/login", Z40, c1);
	fx_update(&fx->r, "refs/heads/Bad_Name", Z40, c1);
	fx_update(&fx->r, "refs/heads/WIP", c0, c1);  /* existing branch: not renamed by pushing */
	fx_update(&fx->r, "refs/tags/Bad_Tag", Z40, c1); /* a tag: the branch pattern does not apply */
	fx_update(&fx->r, "refs/notes/x", Z40, c1);
	check(fx, pg_check_refs);
	assert_int_equal(fx->findings.n, 1);
	f = finding(fx, 0);
	assert_string_equal(f->check, "refs");
	assert_string_equal(f->rule, "branch-name");
	assert_string_equal(f->ref, "refs/heads/Bad_Name");
	assert_has(f->message, "'Bad_Name'");
	assert_has(f->message, "^(feature|fix)/[a-z0-9-]+$");
	assert_has(f->fix, "Bad_Name");
}

static void test_tag_name(void **state)
{
	struct fx *fx = *state;
	char c0[41];
	const struct pg_finding *f;

	fx_write_file(&fx->r, "a.txt", "base\n");
	fx_commit(&fx->r, "C0", c0);
	set_regex(&fx->policy.tag_pattern, "^v[0-9]+(\\.[0-9]+)*$");
	fx_update(&fx->r, "refs/tags/v1.2.3", Z40, c0);
	fx_update(&fx->r, "refs/tags/release-1", Z40, c0);
	fx_update(&fx->r, "refs/heads/release-1", Z40, c0); /* a branch: the tag pattern does not apply */
	check(fx, pg_check_refs);
	assert_int_equal(fx->findings.n, 1);
	f = finding(fx, 0);
	assert_string_equal(f->rule, "tag-name");
	assert_string_equal(f->ref, "refs/tags/release-1");
	assert_has(f->message, "release-1");
}

static void test_refs_scope(void **state)
{
	struct fx *fx = *state;
	char c0[41];

	fx_write_file(&fx->r, "a.txt", "base\n");
	fx_commit(&fx->r, "C0", c0);
	fx_sh(&fx->r, "git branch release/1");
	add_glob(&fx->policy.refs_scope, "refs/heads/release/*");
	add_glob(&fx->policy.deny_delete, "refs/heads/**");
	fx_update(&fx->r, "refs/heads/main", c0, Z40);
	fx_update(&fx->r, "refs/heads/release/1", c0, Z40);
	check(fx, pg_check_refs);
	assert_int_equal(fx->findings.n, 1);
	assert_string_equal(finding(fx, 0)->ref, "refs/heads/release/1");
}

/* ---- commits ------------------------------------------------------------- */

static void test_message_patterns(void **state)
{
	struct fx *fx = *state;
	char c0[41], c1[41], c2[41], c3[41];
	const struct pg_finding *f;

	fx_write_file(&fx->r, "a.txt", "base\n");
	fx_commit(&fx->r, "C0", c0);
	fx_write_file(&fx->r, "a.txt", "1\n");
	fx_commit(&fx->r, "ABC-1 a good message", c1);
	fx_write_file(&fx->r, "a.txt", "2\n");
	fx_commit(&fx->r, "a bad message", c2);
	fx_write_file(&fx->r, "a.txt", "3\n");
	fx_commit(&fx->r, "ABC-3 wip do not merge", c3);
	fx_sh(&fx->r, "git update-ref refs/heads/main %s", c0);
	set_regex(&fx->policy.message_pattern, "^[A-Z]+-[0-9]+ ");
	set_regex(&fx->policy.reject_message_pattern, "(?i)\\bwip\\b");

	fx_update(&fx->r, "refs/heads/main", c0, c3);
	check(fx, pg_check_commits);
	assert_int_equal(fx->r.walk.n, 3);
	assert_int_equal(fx->findings.n, 2);
	assert_null(finding_for_commit(fx, c1, "message-pattern"));
	assert_null(finding_for_commit(fx, c1, "reject-message-pattern"));

	assert_non_null(f = finding_for_commit(fx, c2, "message-pattern"));
	assert_string_equal(f->check, "commits");
	assert_string_equal(f->ref, "refs/heads/main");
	assert_string_equal(f->subject, "a bad message");
	assert_has(f->message, "pushguard.commits.messagePattern");
	assert_has(f->message, "^[A-Z]+-[0-9]+ ");
	assert_null(finding_for_commit(fx, c2, "reject-message-pattern"));

	assert_non_null(f = finding_for_commit(fx, c3, "reject-message-pattern"));
	assert_string_equal(f->subject, "ABC-3 wip do not merge");
	assert_has(f->message, "pushguard.commits.rejectMessagePattern");
	assert_null(finding_for_commit(fx, c3, "message-pattern"));
}

static void test_email_patterns(void **state)
{
	struct fx *fx = *state;
	char c0[41], c1[41], c2[41], c3[41];
	const struct pg_finding *f;

	fx_write_file(&fx->r, "a.txt", "base\n");
	fx_commit(&fx->r, "C0", c0);
	fx_write_file(&fx->r, "a.txt", "1\n");
	fx_commit(&fx->r, "good", c1);
	fx_write_file(&fx->r, "a.txt", "2\n");
	fx_sh(&fx->r, "git add -A && git commit -q --author='Eve <eve@evil.org>' -m 'bad author'");
	fx_rev(&fx->r, "HEAD", c2);
	fx_write_file(&fx->r, "a.txt", "3\n");
	fx_sh(&fx->r, "git add -A && GIT_COMMITTER_EMAIL=mallory@evil.org git commit -q -m 'bad committer'");
	fx_rev(&fx->r, "HEAD", c3);
	fx_sh(&fx->r, "git update-ref refs/heads/main %s", c0);
	set_regex(&fx->policy.author_email_pattern, "@example\\.com$");
	set_regex(&fx->policy.committer_email_pattern, "@example\\.com$");

	fx_update(&fx->r, "refs/heads/main", c0, c3);
	check(fx, pg_check_commits);
	assert_int_equal(fx->findings.n, 2);
	assert_non_null(f = finding_for_commit(fx, c2, "author-email"));
	assert_has(f->message, "eve@evil.org");
	assert_has(f->message, "pushguard.commits.authorEmailPattern");
	assert_null(finding_for_commit(fx, c2, "committer-email"));
	assert_non_null(f = finding_for_commit(fx, c3, "committer-email"));
	assert_has(f->message, "mallory@evil.org");
	assert_has(f->message, "pushguard.commits.committerEmailPattern");
	assert_null(finding_for_commit(fx, c3, "author-email"));
}

static void test_signoff(void **state)
{
	struct fx *fx = *state;
	char c0[41], good[41], lower[41], wrong[41], none[41], longer[41], committer[41];
	const struct pg_finding *f;

	fx_write_file(&fx->r, "a.txt", "base\n");
	fx_commit(&fx->r, "C0", c0);
	/* the author is alice@example.com (GIT_AUTHOR_EMAIL) */
	fx_sh(&fx->r, "git commit -q --allow-empty -m good -m 'Signed-off-by: Alice Author <ALICE@Example.COM>'");
	fx_rev(&fx->r, "HEAD", good);
	fx_sh(&fx->r, "git commit -q --allow-empty -m lower -m 'signed-off-by: Alice <alice@example.com>'");
	fx_rev(&fx->r, "HEAD", lower);
	fx_sh(&fx->r, "git commit -q --allow-empty -m wrong -m 'Signed-off-by: Alice Author <alice@example.org>'");
	fx_rev(&fx->r, "HEAD", wrong);
	fx_sh(&fx->r, "git commit -q --allow-empty -m none");
	fx_rev(&fx->r, "HEAD", none);
	fx_sh(&fx->r, "git commit -q --allow-empty -m longer -m 'Signed-off-by: A <alice@example.com.evil.org>'");
	fx_rev(&fx->r, "HEAD", longer);
	fx_sh(&fx->r, "git commit -q --allow-empty -m committer -m 'Signed-off-by: Carl Committer <carl@example.com>'");
	fx_rev(&fx->r, "HEAD", committer);
	fx_sh(&fx->r, "git update-ref refs/heads/main %s", c0);
	fx->policy.require_signoff = true;

	fx_update(&fx->r, "refs/heads/main", c0, committer);
	check(fx, pg_check_commits);
	assert_int_equal(fx->r.walk.n, 6);
	assert_null(finding_for_commit(fx, good, "signoff"));
	assert_null(finding_for_commit(fx, lower, "signoff"));
	assert_non_null(f = finding_for_commit(fx, wrong, "signoff"));
	assert_string_equal(f->check, "commits");
	assert_has(f->message, "alice@example.com");
	assert_has(f->message, "pushguard.commits.requireSignoff");
	assert_non_null(finding_for_commit(fx, none, "signoff"));
	assert_non_null(finding_for_commit(fx, longer, "signoff"));
	assert_non_null(finding_for_commit(fx, committer, "signoff"));
	assert_int_equal(fx->findings.n, 4);
}

static void test_commits_scope(void **state)
{
	struct fx *fx = *state;
	char c0[41], c1[41];
	const struct pg_finding *f;
	const struct pg_ref_update *u;

	fx_write_file(&fx->r, "a.txt", "base\n");
	fx_commit(&fx->r, "C0", c0);
	fx_write_file(&fx->r, "a.txt", "1\n");
	fx_commit(&fx->r, "bad message", c1);
	fx_sh(&fx->r, "git update-ref refs/heads/main %s", c0);
	set_regex(&fx->policy.message_pattern, "^OK");
	add_glob(&fx->policy.commits_scope, "refs/heads/main");

	/* only on a branch out of scope: not checked */
	fx_update(&fx->r, "refs/heads/feature", Z40, c1);
	check(fx, pg_check_commits);
	assert_int_equal(fx->r.walk.n, 1);
	assert_int_equal(fx->findings.n, 0);
	assert_null(pg_check_commit_ref(&fx->ctx, &fx->r.walk.commits[0], &fx->policy.commits_scope));

	/* also on main: checked once, reported against main */
	reset_push(fx);
	fx_update(&fx->r, "refs/heads/feature", Z40, c1);
	fx_update(&fx->r, "refs/heads/main", c0, c1);
	check(fx, pg_check_commits);
	assert_int_equal(fx->r.walk.n, 1);
	assert_int_equal(fx->r.walk.commits[0].nrefs, 2);
	assert_int_equal(fx->findings.n, 1);
	f = finding(fx, 0);
	assert_string_equal(f->rule, "message-pattern");
	assert_string_equal(f->ref, "refs/heads/main");
	assert_string_equal(f->commit, c1);
	u = pg_check_commit_ref(&fx->ctx, &fx->r.walk.commits[0], &fx->policy.commits_scope);
	assert_non_null(u);
	assert_string_equal(u->ref, "refs/heads/main");
	/* no scope: the first ref that brings it */
	u = pg_check_commit_ref(&fx->ctx, &fx->r.walk.commits[0], &fx->policy.files_scope);
	assert_non_null(u);
	assert_string_equal(u->ref, "refs/heads/feature");
}

/* ---- scoped sections: commits already on the server entering their refs ---- */

/* Pushed to an out-of-scope ref first, then to main: judged as it enters main. */
static void test_scope_staging_bypass_closed(void **state)
{
	struct fx *fx = *state;
	char c0[41], c1[41];
	const struct pg_finding *f;

	fx_write_file(&fx->r, "a.txt", "base\n");
	fx_commit(&fx->r, "C0", c0);
	fx_write_file(&fx->r, "id_rsa", "not really\n");
	fx_commit(&fx->r, "WIP: staged", c1);
	fx_sh(&fx->r, "git update-ref refs/heads/main %s && git update-ref refs/tags/staging %s", c0, c1);
	set_regex(&fx->policy.reject_message_pattern, "^WIP");
	add_glob(&fx->policy.commits_scope, "refs/heads/main");
	add_glob(&fx->policy.files_deny, "id_rsa");

	fx_update(&fx->r, "refs/heads/main", c0, c1);
	check_scoped(fx, pg_check_commits);
	assert_int_equal(fx->r.walk.n, 1);
	assert_true(fx->r.walk.commits[0].existing);
	assert_int_equal(fx->findings.n, 1);
	f = finding(fx, 0);
	assert_string_equal(f->rule, "reject-message-pattern");
	assert_string_equal(f->ref, "refs/heads/main");
	assert_string_equal(f->commit, c1);

	/* the files section is not limited to refs: C1 was judged when it came (under the tag) */
	check_scoped(fx, pg_check_files);
	assert_int_equal(fx->findings.n, 0);
	assert_null(pg_check_commit_ref(&fx->ctx, &fx->r.walk.commits[0], &fx->policy.files_scope));
	/* limited to main, it judges C1 now */
	add_glob(&fx->policy.files_scope, "refs/heads/main");
	check_scoped(fx, pg_check_files);
	assert_int_equal(fx->findings.n, 1);
	assert_string_equal(finding(fx, 0)->rule, "deny");
	assert_string_equal(finding(fx, 0)->path, "id_rsa");
	/* a scope the walk was not given: not judged */
	{
		struct pg_strvec other = PG_STRVEC_INIT;

		add_glob(&other, "refs/heads/release/*");
		assert_null(pg_check_commit_ref(&fx->ctx, &fx->r.walk.commits[0], &other));
		pg_strvec_release(&other);
	}
}

/* pg_check_add_scopes gives the walk the scope of each section that is on. */
static void test_add_scopes(void **state)
{
	struct fx *fx = *state;
	struct pg_walk w = PG_WALK_INIT;
	struct pg_strvec sv = PG_STRVEC_INIT;

	/* signatures are off, secrets unscoped, no commit or file rules: nothing */
	add_glob(&fx->policy.commits_scope, "refs/heads/main");
	assert_int_equal(pg_check_add_scopes(&w, &fx->policy, &fx->r.err), 0);
	assert_int_equal(w.nscopes, 0);
	/* a commit rule turns the commits section on */
	fx->policy.require_signoff = true;
	assert_int_equal(pg_check_add_scopes(&w, &fx->policy, &fx->r.err), 0);
	assert_int_equal(w.nscopes, 1);
	assert_int_equal(pg_walk_scope_index(&w, &fx->policy.commits_scope), 0);
	/* the same globs for files: still one scope */
	add_glob(&fx->policy.files_scope, "refs/heads/main");
	fx->policy.files_max_size = 10;
	assert_int_equal(pg_check_add_scopes(&w, &fx->policy, &fx->r.err), 0);
	assert_int_equal(w.nscopes, 1);
	pg_walk_release(&w);
	add_glob(&sv, "refs/heads/**");
	assert_int_equal(pg_walk_scope_index(&w, &sv), -1);
	pg_strvec_release(&sv);
}

/* ---- objects --------------------------------------------------------------- */

static void test_objects_malformed(void **state)
{
	struct fx *fx = *state;
	char c0[41], tree[41], bad[41], tag[41], buf[512];
	const struct pg_finding *f;
	int n;

	fx_write_file(&fx->r, "a.txt", "base\n");
	fx_commit(&fx->r, "C0", c0);
	fx_rev(&fx->r, "HEAD^{tree}", tree);
	n = snprintf(buf, sizeof(buf), "tree %s\nparent %s\nauthor A a@x 1704067200 +0000\n"
		     "committer C <c@x> 1704067200 +0000\n\nAuthor without brackets\n", tree, c0);
	fx_object(&fx->r, "commit", buf, (size_t)n, bad);
	n = snprintf(buf, sizeof(buf), "object %s\ntype commit\ntag v1\ntagger T <t@x> 1 +0000\ntagger U <u@x> 2 +0000\n\nm\n",
		     bad);
	fx_object(&fx->r, "tag", buf, (size_t)n, tag);
	fx_update(&fx->r, "refs/heads/main", c0, bad);
	fx_update(&fx->r, "refs/tags/v1", Z40, tag);
	check(fx, pg_check_objects);
	assert_int_equal(fx->findings.n, 2);
	f = finding(fx, 0);
	assert_string_equal(f->check, "objects");
	assert_string_equal(f->rule, "malformed");
	assert_string_equal(f->ref, "refs/tags/v1");
	assert_string_equal(f->commit, "");
	assert_has(f->message, tag);
	assert_has(f->message, "a second tagger line");
	assert_has(f->fix, "git tag -f -a");
	f = finding(fx, 1);
	assert_string_equal(f->ref, "refs/heads/main");
	assert_string_equal(f->commit, bad);
	assert_has(f->message, "malformed commit ");
	assert_has(f->message, bad);
	assert_has(f->message, "the author line has no <email>");
	assert_has(f->fix, "git fsck");
	assert_string_equal(f->subject, "Author without brackets");
}

/* A ref naming a blob straight: its content is scanned, with no parent to compare. */
static void test_secret_in_a_blob_a_ref_names(void **state)
{
	struct fx *fx = *state;
	char c0[41], blob[41], key[400];
	unsigned char rnd[61];
	FILE *fp;
	size_t n;
	int rc;

	if (access("policies/rules/default.toml", R_OK) < 0)
		skip();
	/* a credential-looking value made here from random bytes */
	assert_non_null(fp = fopen("/dev/urandom", "rb"));
	assert_int_equal(fread(rnd, 1, sizeof(rnd), fp), sizeof(rnd));
	fclose(fp);
	n = (size_t)snprintf(key, sizeof(key), "-----BEGIN %s PRIVATE KEY-----\nMII", "RSA");
	for (size_t i = 0; i < sizeof(rnd); i++)
		key[n++] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"[rnd[i] & 63];
	n += (size_t)snprintf(key + n, sizeof(key) - n, "\n-----END %s PRIVATE KEY-----\n", "RSA");
	setenv("PUSHGUARD_RULES_DIR", "policies/rules", 1);
	fx_write_file(&fx->r, "a.txt", "base\n");
	fx_commit(&fx->r, "C0", c0);
	fx_object(&fx->r, "blob", key, n, blob);
	fx_update(&fx->r, "refs/keys/one", Z40, blob);
	fx_run_ok(&fx->r, true);
	fx->ctx = (struct pg_check_ctx){ fx->r.repo, &fx->r.push, &fx->policy, &fx->r.walk, &fx->findings };
	rc = pg_check_secrets(&fx->ctx, &fx->r.err);
	unsetenv("PUSHGUARD_RULES_DIR");
	if (rc != PG_OK)
		fail_msg("check returned %d: %s", rc, fx->r.err.msg);
	assert_int_equal(fx->findings.n, 1);
	assert_string_equal(finding(fx, 0)->check, "secrets");
	assert_string_equal(finding(fx, 0)->ref, "refs/keys/one");
	assert_string_equal(finding(fx, 0)->path, "refs/keys/one"); /* a ref outside heads/ and tags/: its whole name */
	assert_string_equal(finding(fx, 0)->commit, blob);
}

/* A token in a commit message and in a new file's name: findings naming
 * where, the token masked in them (mask.h); the same name under a directory
 * the parent had already, changed again, is old. */
static void test_secret_in_message_and_path(void **state)
{
	struct fx *fx = *state;
	char c0[41], c1[41], c2[41], tok[41], msg[80], path[80], where[40], *masked;
	unsigned char rnd[36];
	FILE *fp;
	int rc;

	if (access("policies/rules/default.toml", R_OK) < 0)
		skip();
	assert_non_null(fp = fopen("/dev/urandom", "rb"));
	assert_int_equal(fread(rnd, 1, sizeof(rnd), fp), sizeof(rnd));
	fclose(fp);
	memcpy(tok, "ghp", 3);
	tok[3] = '_';
	for (size_t i = 0; i < sizeof(rnd); i++)
		tok[4 + i] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789ab"[rnd[i] & 63];
	tok[40] = '\0';
	setenv("PUSHGUARD_RULES_DIR", "policies/rules", 1);
	pg_mask_reset();
	fx_write_file(&fx->r, "a.txt", "base\n");
	fx_commit(&fx->r, "C0", c0);
	fx_sh(&fx->r, "mkdir -p cfg");
	snprintf(path, sizeof(path), "cfg/%s.txt", tok);
	fx_write_file(&fx->r, path, "nothing\n");
	snprintf(msg, sizeof(msg), "Deploy with %s", tok);
	fx_commit(&fx->r, msg, c1);
	fx_write_file(&fx->r, path, "changed\n");
	fx_commit(&fx->r, "Change it", c2);
	fx_sh(&fx->r, "git update-ref refs/heads/main %s", c0);
	fx_update(&fx->r, "refs/heads/main", c0, c2);
	fx_run_ok(&fx->r, true);
	fx->ctx = (struct pg_check_ctx){ fx->r.repo, &fx->r.push, &fx->policy, &fx->r.walk, &fx->findings };
	rc = pg_check_secrets(&fx->ctx, &fx->r.err);
	unsetenv("PUSHGUARD_RULES_DIR");
	if (rc != PG_OK)
		fail_msg("check returned %d: %s", rc, fx->r.err.msg);
	assert_int_equal(fx->findings.n, 2);
	snprintf(where, sizeof(where), "commit %.7s message", c1);
	assert_string_equal(finding(fx, 0)->path, where);
	assert_int_equal(finding(fx, 0)->line, 1);
	assert_string_equal(finding(fx, 0)->commit, c1);
	assert_string_equal(finding(fx, 0)->subject, "Deploy with ghp_\u2026");
	assert_string_equal(finding(fx, 1)->path, "path cfg/ghp_\u2026.txt");
	assert_string_equal(finding(fx, 1)->commit, c1); /* not c2: the name was old there */
	assert_true(pg_mask_active());
	assert_non_null(masked = pg_mask_dup(tok));
	assert_string_equal(masked, "ghp_\u2026");
	free(masked);
	for (size_t i = 0; i < fx->findings.n; i++)
		assert_null(strstr(finding(fx, i)->fingerprint, tok));
	pg_mask_reset();
}

/* ---- time budget ---------------------------------------------------------- */

/* pushguard.timeBudget: past the deadline the secrets scan stops between blobs */
static void test_secrets_stop_at_deadline(void **state)
{
	struct fx *fx = *state;
	char c0[41], c1[41];
	int rc;

	if (access("policies/rules/default.toml", R_OK) < 0) {
		print_message("# SKIP test_secrets_stop_at_deadline: policies/rules/default.toml not found (run from the source tree)\n");
		skip();
	}
	setenv("PUSHGUARD_RULES_DIR", "policies/rules", 1);
	fx_write_file(&fx->r, "README", "base\n");
	fx_commit(&fx->r, "C0", c0);
	fx_write_file(&fx->r, "a.txt", "one\n");
	fx_write_file(&fx->r, "b.txt", "two\n");
	fx_commit(&fx->r, "C1", c1);
	fx_sh(&fx->r, "git update-ref refs/heads/main %s", c0);
	fx_update(&fx->r, "refs/heads/main", c0, c1);
	fx_run_ok(&fx->r, true);
	fx->ctx = (struct pg_check_ctx){ fx->r.repo, &fx->r.push, &fx->policy, &fx->r.walk, &fx->findings,
					 pg_clock_ms() - 1 };
	rc = pg_check_secrets(&fx->ctx, &fx->r.err);
	assert_int_equal(rc, PG_ETIMEOUT);
	assert_has(fx->r.err.msg, "scanning for secrets");
	fx->r.err = (struct pg_error)PG_ERROR_INIT;
	fx->ctx.deadline_ms = pg_clock_ms() + 60000;
	rc = pg_check_secrets(&fx->ctx, &fx->r.err);
	unsetenv("PUSHGUARD_RULES_DIR");
	if (rc != PG_OK)
		fail_msg("check returned %d: %s", rc, fx->r.err.msg);
}

/* ---- files --------------------------------------------------------------- */

static void test_files_deny(void **state)
{
	struct fx *fx = *state;
	char c0[41], c1[41];
	const struct pg_finding *f;

	fx_write_file(&fx->r, "README", "base\n");
	fx_commit(&fx->r, "C0", c0);
	fx_sh(&fx->r, "mkdir -p keys certs sub");
	fx_write_file(&fx->r, "keys/id_rsa", "-----BEGIN OPENSSH PRIVATE KEY-----\n");
	fx_write_file(&fx->r, "certs/server.pem", "pem\n");
	fx_write_file(&fx->r, "README.md", "docs\n");
	fx_write_file(&fx->r, "keys/id_rsa.pub", "ssh-ed25519 AAAA\n");
	fx_write_file(&fx->r, "top-only.txt", "top\n");
	fx_write_file(&fx->r, "sub/top-only.txt", "not top\n");
	fx_commit(&fx->r, "Add deploy key", c1);
	fx_sh(&fx->r, "git update-ref refs/heads/main %s", c0);
	add_glob(&fx->policy.files_deny, "id_rsa");
	add_glob(&fx->policy.files_deny, "*.pem");
	add_glob(&fx->policy.files_deny, "/top-only.txt");

	fx_update(&fx->r, "refs/heads/main", c0, c1);
	check(fx, pg_check_files);
	assert_int_equal(fx->findings.n, 3);
	f = finding_for_path(fx, "keys/id_rsa");
	assert_string_equal(f->check, "files");
	assert_string_equal(f->rule, "deny");
	assert_string_equal(f->ref, "refs/heads/main");
	assert_string_equal(f->commit, c1);
	assert_string_equal(f->subject, "Add deploy key");
	assert_has(f->message, "'id_rsa'");
	assert_has(f->message, "pushguard.files.deny");
	assert_has(f->fix, "git rm --cached 'keys/id_rsa'");
	f = finding_for_path(fx, "certs/server.pem");
	assert_has(f->message, "'*.pem'");
	f = finding_for_path(fx, "top-only.txt");
	assert_string_equal(f->rule, "deny");
}

static void test_files_max_size(void **state)
{
	struct fx *fx = *state;
	char c0[41], c1[41];
	const struct pg_finding *f;

	fx_write_file(&fx->r, "README", "base\n");
	fx_commit(&fx->r, "C0", c0);
	fx_write_sized(&fx->r, "small.bin", 50, 's');
	fx_write_sized(&fx->r, "exact.bin", 100, 'e');
	fx_write_sized(&fx->r, "big.bin", 101, 'b');
	fx_commit(&fx->r, "sizes", c1);
	fx_sh(&fx->r, "git update-ref refs/heads/main %s", c0);
	fx->policy.files_max_size = 100;

	fx_update(&fx->r, "refs/heads/main", c0, c1);
	check(fx, pg_check_files);
	assert_int_equal(fx->findings.n, 1);
	f = finding(fx, 0);
	assert_string_equal(f->rule, "max-size");
	assert_string_equal(f->path, "big.bin");
	assert_string_equal(f->commit, c1);
	assert_has(f->message, "101 bytes");
	assert_has(f->message, "pushguard.files.maxSize");
}

static void test_files_max_size_human_units(void **state)
{
	struct fx *fx = *state;
	char c0[41], c1[41];

	fx_write_file(&fx->r, "README", "base\n");
	fx_commit(&fx->r, "C0", c0);
	fx_write_sized(&fx->r, "big.bin", 3 * 1024 * 1024, 'b');
	fx_commit(&fx->r, "big", c1);
	fx_sh(&fx->r, "git update-ref refs/heads/main %s", c0);
	fx->policy.files_max_size = 1024 * 1024;
	fx_update(&fx->r, "refs/heads/main", c0, c1);
	check(fx, pg_check_files);
	assert_int_equal(fx->findings.n, 1);
	assert_has(finding(fx, 0)->message, "3.0 MiB");
	assert_has(finding(fx, 0)->message, "1.0 MiB");
}

static void test_files_max_path_length(void **state)
{
	struct fx *fx = *state;
	char c0[41], c1[41];
	const struct pg_finding *f;

	fx_write_file(&fx->r, "R", "base\n");
	fx_commit(&fx->r, "C0", c0);
	fx_sh(&fx->r, "mkdir -p dir");
	fx_write_file(&fx->r, "short.txt", "9 bytes\n");      /* 9 */
	fx_write_file(&fx->r, "abcdef.txt", "exactly 10\n");  /* 10 */
	fx_write_file(&fx->r, "dir/longer.txt", "14 bytes\n"); /* 14 */
	fx_commit(&fx->r, "paths", c1);
	fx_sh(&fx->r, "git update-ref refs/heads/main %s", c0);
	fx->policy.files_max_path_length = 10;

	fx_update(&fx->r, "refs/heads/main", c0, c1);
	check(fx, pg_check_files);
	assert_int_equal(fx->findings.n, 1);
	f = finding(fx, 0);
	assert_string_equal(f->rule, "max-path-length");
	assert_string_equal(f->path, "dir/longer.txt");
	assert_has(f->message, "14");
	assert_has(f->message, "pushguard.files.maxPathLength");
}

static void test_files_several_rules_one_file(void **state)
{
	struct fx *fx = *state;
	char c0[41], c1[41];

	fx_write_file(&fx->r, "R", "base\n");
	fx_commit(&fx->r, "C0", c0);
	fx_write_sized(&fx->r, "a-long-name.pem", 500, 'k');
	fx_commit(&fx->r, "one file, three problems", c1);
	fx_sh(&fx->r, "git update-ref refs/heads/main %s", c0);
	add_glob(&fx->policy.files_deny, "*.pem");
	fx->policy.files_max_size = 100;
	fx->policy.files_max_path_length = 5;

	fx_update(&fx->r, "refs/heads/main", c0, c1);
	check(fx, pg_check_files);
	assert_int_equal(fx->findings.n, 3);
	assert_string_equal(finding(fx, 0)->rule, "deny");
	assert_string_equal(finding(fx, 1)->rule, "max-size");
	assert_string_equal(finding(fx, 2)->rule, "max-path-length");
	for (size_t i = 0; i < 3; i++)
		assert_string_equal(finding(fx, i)->path, "a-long-name.pem");
}

static void test_files_unchanged_and_deleted_not_checked(void **state)
{
	struct fx *fx = *state;
	char c0[41], c1[41];

	/* the denied file predates the policy; the push only touches another file */
	fx_write_file(&fx->r, "old.pem", "already here\n");
	fx_write_sized(&fx->r, "huge.bin", 500, 'h');
	fx_commit(&fx->r, "C0", c0);
	fx_write_file(&fx->r, "README", "docs\n");
	fx_sh(&fx->r, "git rm -q huge.bin");
	fx_commit(&fx->r, "C1", c1);
	fx_sh(&fx->r, "git update-ref refs/heads/main %s", c0);
	add_glob(&fx->policy.files_deny, "*.pem");
	fx->policy.files_max_size = 100;

	fx_update(&fx->r, "refs/heads/main", c0, c1);
	check(fx, pg_check_files);
	assert_int_equal(fx->findings.n, 0);
}

static void test_files_scope(void **state)
{
	struct fx *fx = *state;
	char c0[41], c1[41];

	fx_write_file(&fx->r, "R", "base\n");
	fx_commit(&fx->r, "C0", c0);
	fx_write_file(&fx->r, "x.pem", "pem\n");
	fx_commit(&fx->r, "pem", c1);
	fx_sh(&fx->r, "git update-ref refs/heads/main %s", c0);
	add_glob(&fx->policy.files_deny, "*.pem");
	add_glob(&fx->policy.files_scope, "refs/heads/main");
	add_glob(&fx->policy.files_scope, "refs/heads/release/*");

	fx_update(&fx->r, "refs/heads/scratch/x", Z40, c1);
	check(fx, pg_check_files);
	assert_int_equal(fx->findings.n, 0);

	reset_push(fx);
	fx_update(&fx->r, "refs/heads/release/2", Z40, c1);
	check(fx, pg_check_files);
	assert_int_equal(fx->findings.n, 1);
	assert_string_equal(finding(fx, 0)->ref, "refs/heads/release/2");
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_deny_delete),
		T(test_deny_force_push),
		T(test_deny_force_push_allows_deletion),
		T(test_branch_name_new_branches_only),
		T(test_tag_name),
		T(test_refs_scope),
		T(test_message_patterns),
		T(test_email_patterns),
		T(test_signoff),
		T(test_commits_scope),
		T(test_secrets_stop_at_deadline),
		T(test_scope_staging_bypass_closed),
		T(test_add_scopes),
		T(test_objects_malformed),
		T(test_secret_in_a_blob_a_ref_names),
		T(test_secret_in_message_and_path),
		T(test_files_deny),
		T(test_files_max_size),
		T(test_files_max_size_human_units),
		T(test_files_max_path_length),
		T(test_files_several_rules_one_file),
		T(test_files_unchanged_and_deleted_not_checked),
		T(test_files_scope),
	};
#undef T

	return cmocka_run_group_tests_name("check", tests, repo_fx_group_setup, repo_fx_group_teardown);
}
