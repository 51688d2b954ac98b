/* Unit tests for lib/check_refs.c, check_commits.c and check_files.c on real
 * repositories built with the git CLI and policies filled in by hand. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <git2.h>

#include "budget.h"
#include "clock.h"
#include "check.h"
#include "check_secrets.h"
#include "push.h"
#include "repo.h"
#include "walk.h"

#define SCRATCH "/tmp/pg-unit"
#define Z40 "0000000000000000000000000000000000000000"

struct fx {
	char dir[256];
	git_repository *repo;
	struct pg_push push;
	struct pg_walk walk;
	struct pg_error err;
	struct pg_policy policy;
	struct pg_findings findings;
	struct pg_check_ctx ctx;
};

static int group_setup(void **state)
{
	struct pg_error err = PG_ERROR_INIT;

	(void)state;
	if (mkdir(SCRATCH, 0700) < 0 && errno != EEXIST)
		return -1;
	/* a predictable git: no user or system config, fixed identities */
	setenv("HOME", SCRATCH, 1);
	setenv("GIT_CONFIG_NOSYSTEM", "1", 1);
	setenv("GIT_CONFIG_GLOBAL", "/dev/null", 1);
	setenv("GIT_AUTHOR_NAME", "Alice Author", 1);
	setenv("GIT_AUTHOR_EMAIL", "alice@example.com", 1);
	setenv("GIT_COMMITTER_NAME", "Carl Committer", 1);
	setenv("GIT_COMMITTER_EMAIL", "carl@example.com", 1);
	setenv("GIT_AUTHOR_DATE", "2024-01-01T00:00:00Z", 1);
	setenv("GIT_COMMITTER_DATE", "2024-01-01T00:00:00Z", 1);
	unsetenv("GIT_DIR");
	unsetenv("GIT_WORK_TREE");
	unsetenv("GIT_INDEX_FILE");
	unsetenv("GIT_OBJECT_DIRECTORY");
	unsetenv("GIT_ALTERNATE_OBJECT_DIRECTORIES");
	return pg_repo_global_init(&err) < 0 ? -1 : 0;
}

static int group_teardown(void **state)
{
	(void)state;
	git_libgit2_shutdown();
	return 0;
}

static void sh(const struct fx *fx, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void sh(const struct fx *fx, const char *fmt, ...)
{
	char cmd[4096];
	int n, rc;
	va_list ap;

	n = snprintf(cmd, sizeof(cmd), "cd '%s' && { ", fx->dir);
	va_start(ap, fmt);
	n += vsnprintf(cmd + n, sizeof(cmd) - (size_t)n, fmt, ap);
	va_end(ap);
	snprintf(cmd + n, sizeof(cmd) - (size_t)n, "; } >/dev/null 2>&1");
	rc = system(cmd);
	if (rc == -1 || !WIFEXITED(rc) || WEXITSTATUS(rc) != 0)
		fail_msg("command failed (%d): %s", rc, cmd);
}

/* Runs a command and returns its first output line (a hex id). */
static void sh_out(const struct fx *fx, char *out, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static void sh_out(const struct fx *fx, char *out, size_t size, const char *fmt, ...)
{
	char cmd[4096];
	int n;
	va_list ap;
	FILE *fp;

	n = snprintf(cmd, sizeof(cmd), "cd '%s' && ", fx->dir);
	va_start(ap, fmt);
	vsnprintf(cmd + n, sizeof(cmd) - (size_t)n, fmt, ap);
	va_end(ap);
	fp = popen(cmd, "r");
	assert_non_null(fp);
	if (!fgets(out, (int)size, fp))
		out[0] = '\0';
	if (pclose(fp) != 0)
		fail_msg("command failed: %s", cmd);
	out[strcspn(out, "\n")] = '\0';
	assert_true(out[0] != '\0');
}

static void rev(const struct fx *fx, const char *what, char out[GIT_OID_HEXSZ + 1])
{
	char line[128];

	sh_out(fx, line, sizeof(line), "git rev-parse '%s'", what);
	assert_int_equal(strlen(line), GIT_OID_HEXSZ);
	memcpy(out, line, GIT_OID_HEXSZ + 1);
}

static void write_file(const struct fx *fx, const char *path, const char *content)
{
	char full[1024];
	FILE *fp;

	snprintf(full, sizeof(full), "%s/%s", fx->dir, path);
	fp = fopen(full, "w");
	if (!fp)
		fail_msg("cannot write %s: %s", full, strerror(errno));
	fputs(content, fp);
	fclose(fp);
}

static void write_sized(const struct fx *fx, const char *path, size_t size, char c)
{
	char full[1024];
	FILE *fp;

	snprintf(full, sizeof(full), "%s/%s", fx->dir, path);
	fp = fopen(full, "w");
	if (!fp)
		fail_msg("cannot write %s: %s", full, strerror(errno));
	for (size_t i = 0; i < size; i++)
		fputc(c, fp);
	fclose(fp);
}

/* Commits everything in the work tree; returns the new commit's id. */
static void commit(const struct fx *fx, const char *msg, char out[GIT_OID_HEXSZ + 1])
{
	sh(fx, "git add -A && git commit -q --allow-empty -m '%s'", msg);
	rev(fx, "HEAD", out);
}

static int setup(void **state)
{
	struct fx *fx = calloc(1, sizeof(*fx));

	if (!fx)
		return -1;
	snprintf(fx->dir, sizeof(fx->dir), SCRATCH "/check.XXXXXX");
	if (!mkdtemp(fx->dir))
		return -1;
	fx->push = (struct pg_push)PG_PUSH_INIT;
	fx->walk = (struct pg_walk)PG_WALK_INIT;
	fx->err = (struct pg_error)PG_ERROR_INIT;
	fx->findings = (struct pg_findings)PG_FINDINGS_INIT;
	pg_policy_init(&fx->policy);
	*state = fx;
	sh(fx, "git init -q -b main .");
	return 0;
}

static int rm_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static int teardown(void **state)
{
	struct fx *fx = *state;

	pg_findings_release(&fx->findings);
	pg_policy_release(&fx->policy);
	pg_walk_release(&fx->walk);
	pg_push_release(&fx->push);
	git_repository_free(fx->repo);
	nftw(fx->dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	free(fx);
	return 0;
}

static void open_repo(struct fx *fx)
{
	struct pg_error err = PG_ERROR_INIT;

	git_repository_free(fx->repo);
	fx->repo = NULL;
	if (pg_repo_open(&fx->repo, fx->dir, &err) < 0)
		fail_msg("%s", err.msg);
}

static void update(struct fx *fx, const char *ref, const char *old, const char *new)
{
	if (pg_push_add_update(&fx->push, ref, old, new, &fx->err) < 0)
		fail_msg("%s", fx->err.msg);
}

static int run(struct fx *fx, bool with_files)
{
	if (!fx->repo)
		open_repo(fx);
	pg_walk_release(&fx->walk);
	return pg_walk_run(&fx->walk, fx->repo, &fx->push, with_files, &fx->err);
}

static void run_ok(struct fx *fx, bool with_files)
{
	int rc = run(fx, with_files);

	if (rc != PG_OK)
		fail_msg("pg_walk_run returned %d: %s", rc, fx->err.msg);
}


/* Walks the push (with files) and runs one check over it. */
static void check(struct fx *fx, int (*fn)(struct pg_check_ctx *, struct pg_error *))
{
	int rc;

	run_ok(fx, true);
	pg_findings_release(&fx->findings);
	fx->ctx = (struct pg_check_ctx){ fx->repo, &fx->push, &fx->policy, &fx->walk, &fx->findings };
	rc = fn(&fx->ctx, &fx->err);
	if (rc != PG_OK)
		fail_msg("check returned %d: %s", rc, fx->err.msg);
}

static void reset_push(struct fx *fx)
{
	pg_push_release(&fx->push);
	pg_walk_release(&fx->walk);
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

	write_file(fx, "a.txt", "base\n");
	commit(fx, "C0", c0);
	write_file(fx, "b.txt", "bee\n");
	commit(fx, "C1", c1);
	sh(fx, "git branch topic && git branch release/1 && git branch release/2");
	add_glob(&fx->policy.deny_delete, "refs/heads/main");
	add_glob(&fx->policy.deny_delete, "refs/heads/release/*");

	update(fx, "refs/heads/main", c1, Z40);
	update(fx, "refs/heads/topic", c1, Z40);
	update(fx, "refs/heads/release/1", c1, Z40);
	update(fx, "refs/heads/release/2", c1, c0); /* not a deletion */
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

	write_file(fx, "a.txt", "base\n");
	commit(fx, "C0", c0);
	write_file(fx, "a.txt", "a1\n");
	commit(fx, "A1", a1);
	write_file(fx, "a.txt", "a2\n");
	commit(fx, "A2", a2);
	sh(fx, "git checkout -q -b other %s", c0);
	write_file(fx, "a.txt", "b1\n");
	commit(fx, "B1", b1);
	/* before the push: main, ff and free at A1, rewind at A2; B1 and A2 otherwise unreferenced */
	sh(fx, "git checkout -q --detach && git branch -q -D other && git update-ref refs/heads/main %s && "
	       "git update-ref refs/heads/ff %s && git update-ref refs/heads/free %s && "
	       "git update-ref refs/heads/rewind %s", a1, a1, a1, a2);
	add_glob(&fx->policy.deny_force_push, "refs/heads/main");
	add_glob(&fx->policy.deny_force_push, "refs/heads/ff");
	add_glob(&fx->policy.deny_force_push, "refs/heads/rewind");
	add_glob(&fx->policy.deny_force_push, "refs/heads/new");

	update(fx, "refs/heads/main", a1, b1);   /* rewrites: refused */
	update(fx, "refs/heads/ff", a1, a2);     /* fast-forward: fine */
	update(fx, "refs/heads/free", a1, b1);   /* not covered */
	update(fx, "refs/heads/rewind", a2, a1); /* moves back: refused */
	update(fx, "refs/heads/new", Z40, b1);   /* creation: fine */
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

	write_file(fx, "a.txt", "base\n");
	commit(fx, "C0", c0);
	add_glob(&fx->policy.deny_force_push, "refs/heads/**");
	update(fx, "refs/heads/main", c0, Z40);
	check(fx, pg_check_refs);
	assert_int_equal(fx->findings.n, 0);
}

static void test_branch_name_new_branches_only(void **state)
{
	struct fx *fx = *state;
	char c0[41], c1[41];
	const struct pg_finding *f;

	write_file(fx, "a.txt", "base\n");
	commit(fx, "C0", c0);
	write_file(fx, "b.txt", "bee\n");
	commit(fx, "C1", c1);
	sh(fx, "git update-ref refs/heads/main %s && git branch WIP %s", c0, c0);
	set_regex(&fx->policy.branch_pattern, "^(feature|fix)/[a-z0-9-]+$");

	update(fx, "refs/heads/feature/login", Z40, c1);
	update(fx, "refs/heads/Bad_Name", Z40, c1);
	update(fx, "refs/heads/WIP", c0, c1);  /* existing branch: not renamed by pushing */
	update(fx, "refs/tags/Bad_Tag", Z40, c1); /* a tag: the branch pattern does not apply */
	update(fx, "refs/notes/x", Z40, c1);
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

	write_file(fx, "a.txt", "base\n");
	commit(fx, "C0", c0);
	set_regex(&fx->policy.tag_pattern, "^v[0-9]+(\\.[0-9]+)*$");
	update(fx, "refs/tags/v1.2.3", Z40, c0);
	update(fx, "refs/tags/release-1", Z40, c0);
	update(fx, "refs/heads/release-1", Z40, c0); /* a branch: the tag pattern does not apply */
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

	write_file(fx, "a.txt", "base\n");
	commit(fx, "C0", c0);
	sh(fx, "git branch release/1");
	add_glob(&fx->policy.refs_scope, "refs/heads/release/*");
	add_glob(&fx->policy.deny_delete, "refs/heads/**");
	update(fx, "refs/heads/main", c0, Z40);
	update(fx, "refs/heads/release/1", c0, Z40);
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

	write_file(fx, "a.txt", "base\n");
	commit(fx, "C0", c0);
	write_file(fx, "a.txt", "1\n");
	commit(fx, "ABC-1 a good message", c1);
	write_file(fx, "a.txt", "2\n");
	commit(fx, "a bad message", c2);
	write_file(fx, "a.txt", "3\n");
	commit(fx, "ABC-3 wip do not merge", c3);
	sh(fx, "git update-ref refs/heads/main %s", c0);
	set_regex(&fx->policy.message_pattern, "^[A-Z]+-[0-9]+ ");
	set_regex(&fx->policy.reject_message_pattern, "(?i)\\bwip\\b");

	update(fx, "refs/heads/main", c0, c3);
	check(fx, pg_check_commits);
	assert_int_equal(fx->walk.n, 3);
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

	write_file(fx, "a.txt", "base\n");
	commit(fx, "C0", c0);
	write_file(fx, "a.txt", "1\n");
	commit(fx, "good", c1);
	write_file(fx, "a.txt", "2\n");
	sh(fx, "git add -A && git commit -q --author='Eve <eve@evil.org>' -m 'bad author'");
	rev(fx, "HEAD", c2);
	write_file(fx, "a.txt", "3\n");
	sh(fx, "git add -A && GIT_COMMITTER_EMAIL=mallory@evil.org git commit -q -m 'bad committer'");
	rev(fx, "HEAD", c3);
	sh(fx, "git update-ref refs/heads/main %s", c0);
	set_regex(&fx->policy.author_email_pattern, "@example\\.com$");
	set_regex(&fx->policy.committer_email_pattern, "@example\\.com$");

	update(fx, "refs/heads/main", c0, c3);
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

	write_file(fx, "a.txt", "base\n");
	commit(fx, "C0", c0);
	/* the author is alice@example.com (GIT_AUTHOR_EMAIL) */
	sh(fx, "git commit -q --allow-empty -m good -m 'Signed-off-by: Alice Author <ALICE@Example.COM>'");
	rev(fx, "HEAD", good);
	sh(fx, "git commit -q --allow-empty -m lower -m 'signed-off-by: Alice <alice@example.com>'");
	rev(fx, "HEAD", lower);
	sh(fx, "git commit -q --allow-empty -m wrong -m 'Signed-off-by: Alice Author <alice@example.org>'");
	rev(fx, "HEAD", wrong);
	sh(fx, "git commit -q --allow-empty -m none");
	rev(fx, "HEAD", none);
	sh(fx, "git commit -q --allow-empty -m longer -m 'Signed-off-by: A <alice@example.com.evil.org>'");
	rev(fx, "HEAD", longer);
	sh(fx, "git commit -q --allow-empty -m committer -m 'Signed-off-by: Carl Committer <carl@example.com>'");
	rev(fx, "HEAD", committer);
	sh(fx, "git update-ref refs/heads/main %s", c0);
	fx->policy.require_signoff = true;

	update(fx, "refs/heads/main", c0, committer);
	check(fx, pg_check_commits);
	assert_int_equal(fx->walk.n, 6);
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

	write_file(fx, "a.txt", "base\n");
	commit(fx, "C0", c0);
	write_file(fx, "a.txt", "1\n");
	commit(fx, "bad message", c1);
	sh(fx, "git update-ref refs/heads/main %s", c0);
	set_regex(&fx->policy.message_pattern, "^OK");
	add_glob(&fx->policy.commits_scope, "refs/heads/main");

	/* only on a branch out of scope: not checked */
	update(fx, "refs/heads/feature", Z40, c1);
	check(fx, pg_check_commits);
	assert_int_equal(fx->walk.n, 1);
	assert_int_equal(fx->findings.n, 0);
	assert_null(pg_check_commit_ref(&fx->ctx, &fx->walk.commits[0], &fx->policy.commits_scope));

	/* also on main: checked once, reported against main */
	reset_push(fx);
	update(fx, "refs/heads/feature", Z40, c1);
	update(fx, "refs/heads/main", c0, c1);
	check(fx, pg_check_commits);
	assert_int_equal(fx->walk.n, 1);
	assert_int_equal(fx->walk.commits[0].nrefs, 2);
	assert_int_equal(fx->findings.n, 1);
	f = finding(fx, 0);
	assert_string_equal(f->rule, "message-pattern");
	assert_string_equal(f->ref, "refs/heads/main");
	assert_string_equal(f->commit, c1);
	u = pg_check_commit_ref(&fx->ctx, &fx->walk.commits[0], &fx->policy.commits_scope);
	assert_non_null(u);
	assert_string_equal(u->ref, "refs/heads/main");
	/* no scope: the first ref that brings it */
	u = pg_check_commit_ref(&fx->ctx, &fx->walk.commits[0], &fx->policy.files_scope);
	assert_non_null(u);
	assert_string_equal(u->ref, "refs/heads/feature");
}

/* ---- time budget ---------------------------------------------------------- */

/* pushguard.timeBudget: past the deadline the secrets scan stops between blobs */
static void test_secrets_stop_at_deadline(void **state)
{
	struct fx *fx = *state;
	char c0[41], c1[41];
	int rc;

	if (access("policies/rules/default.toml", R_OK) < 0)
		skip();
	setenv("PUSHGUARD_RULES_DIR", "policies/rules", 1);
	write_file(fx, "README", "base\n");
	commit(fx, "C0", c0);
	write_file(fx, "a.txt", "one\n");
	write_file(fx, "b.txt", "two\n");
	commit(fx, "C1", c1);
	sh(fx, "git update-ref refs/heads/main %s", c0);
	update(fx, "refs/heads/main", c0, c1);
	run_ok(fx, true);
	fx->ctx = (struct pg_check_ctx){ fx->repo, &fx->push, &fx->policy, &fx->walk, &fx->findings,
					 pg_clock_ms() - 1 };
	rc = pg_check_secrets(&fx->ctx, &fx->err);
	assert_int_equal(rc, PG_ETIMEOUT);
	assert_has(fx->err.msg, "scanning for secrets");
	fx->err = (struct pg_error)PG_ERROR_INIT;
	fx->ctx.deadline_ms = pg_clock_ms() + 60000;
	rc = pg_check_secrets(&fx->ctx, &fx->err);
	unsetenv("PUSHGUARD_RULES_DIR");
	if (rc != PG_OK)
		fail_msg("check returned %d: %s", rc, fx->err.msg);
}

/* ---- files --------------------------------------------------------------- */

static void test_files_deny(void **state)
{
	struct fx *fx = *state;
	char c0[41], c1[41];
	const struct pg_finding *f;

	write_file(fx, "README", "base\n");
	commit(fx, "C0", c0);
	sh(fx, "mkdir -p keys certs sub");
	write_file(fx, "keys/id_rsa", "-----BEGIN OPENSSH PRIVATE KEY-----\n");
	write_file(fx, "certs/server.pem", "pem\n");
	write_file(fx, "README.md", "docs\n");
	write_file(fx, "keys/id_rsa.pub", "ssh-ed25519 AAAA\n");
	write_file(fx, "top-only.txt", "top\n");
	write_file(fx, "sub/top-only.txt", "not top\n");
	commit(fx, "Add deploy key", c1);
	sh(fx, "git update-ref refs/heads/main %s", c0);
	add_glob(&fx->policy.files_deny, "id_rsa");
	add_glob(&fx->policy.files_deny, "*.pem");
	add_glob(&fx->policy.files_deny, "/top-only.txt");

	update(fx, "refs/heads/main", c0, c1);
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

	write_file(fx, "README", "base\n");
	commit(fx, "C0", c0);
	write_sized(fx, "small.bin", 50, 's');
	write_sized(fx, "exact.bin", 100, 'e');
	write_sized(fx, "big.bin", 101, 'b');
	commit(fx, "sizes", c1);
	sh(fx, "git update-ref refs/heads/main %s", c0);
	fx->policy.files_max_size = 100;

	update(fx, "refs/heads/main", c0, c1);
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

	write_file(fx, "README", "base\n");
	commit(fx, "C0", c0);
	write_sized(fx, "big.bin", 3 * 1024 * 1024, 'b');
	commit(fx, "big", c1);
	sh(fx, "git update-ref refs/heads/main %s", c0);
	fx->policy.files_max_size = 1024 * 1024;
	update(fx, "refs/heads/main", c0, c1);
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

	write_file(fx, "R", "base\n");
	commit(fx, "C0", c0);
	sh(fx, "mkdir -p dir");
	write_file(fx, "short.txt", "9 bytes\n");      /* 9 */
	write_file(fx, "abcdef.txt", "exactly 10\n");  /* 10 */
	write_file(fx, "dir/longer.txt", "14 bytes\n"); /* 14 */
	commit(fx, "paths", c1);
	sh(fx, "git update-ref refs/heads/main %s", c0);
	fx->policy.files_max_path_length = 10;

	update(fx, "refs/heads/main", c0, c1);
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

	write_file(fx, "R", "base\n");
	commit(fx, "C0", c0);
	write_sized(fx, "a-long-name.pem", 500, 'k');
	commit(fx, "one file, three problems", c1);
	sh(fx, "git update-ref refs/heads/main %s", c0);
	add_glob(&fx->policy.files_deny, "*.pem");
	fx->policy.files_max_size = 100;
	fx->policy.files_max_path_length = 5;

	update(fx, "refs/heads/main", c0, c1);
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
	write_file(fx, "old.pem", "already here\n");
	write_sized(fx, "huge.bin", 500, 'h');
	commit(fx, "C0", c0);
	write_file(fx, "README", "docs\n");
	sh(fx, "git rm -q huge.bin");
	commit(fx, "C1", c1);
	sh(fx, "git update-ref refs/heads/main %s", c0);
	add_glob(&fx->policy.files_deny, "*.pem");
	fx->policy.files_max_size = 100;

	update(fx, "refs/heads/main", c0, c1);
	check(fx, pg_check_files);
	assert_int_equal(fx->findings.n, 0);
}

static void test_files_scope(void **state)
{
	struct fx *fx = *state;
	char c0[41], c1[41];

	write_file(fx, "R", "base\n");
	commit(fx, "C0", c0);
	write_file(fx, "x.pem", "pem\n");
	commit(fx, "pem", c1);
	sh(fx, "git update-ref refs/heads/main %s", c0);
	add_glob(&fx->policy.files_deny, "*.pem");
	add_glob(&fx->policy.files_scope, "refs/heads/main");
	add_glob(&fx->policy.files_scope, "refs/heads/release/*");

	update(fx, "refs/heads/scratch/x", Z40, c1);
	check(fx, pg_check_files);
	assert_int_equal(fx->findings.n, 0);

	reset_push(fx);
	update(fx, "refs/heads/release/2", Z40, c1);
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
		T(test_files_deny),
		T(test_files_max_size),
		T(test_files_max_size_human_units),
		T(test_files_max_path_length),
		T(test_files_several_rules_one_file),
		T(test_files_unchanged_and_deleted_not_checked),
		T(test_files_scope),
	};
#undef T

	return cmocka_run_group_tests_name("check", tests, group_setup, group_teardown);
}
