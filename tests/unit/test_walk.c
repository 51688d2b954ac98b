/* Unit tests for lib/walk.c: the one walk over what a push adds, on real
 * repositories built with the git CLI. */
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

#include "push.h"
#include "repo.h"
#include "budget.h"
#include "clock.h"
#include "walk.h"

#define SCRATCH "/tmp/pg-unit"
#define Z40 "0000000000000000000000000000000000000000"

struct fx {
	char dir[256];
	git_repository *repo;
	struct pg_push push;
	struct pg_walk walk;
	struct pg_error err;
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
	snprintf(fx->dir, sizeof(fx->dir), SCRATCH "/walk.XXXXXX");
	if (!mkdtemp(fx->dir))
		return -1;
	fx->push = (struct pg_push)PG_PUSH_INIT;
	fx->walk = (struct pg_walk)PG_WALK_INIT;
	fx->err = (struct pg_error)PG_ERROR_INIT;
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

static const struct pg_commit *find_commit(const struct fx *fx, const char *hex)
{
	for (size_t i = 0; i < fx->walk.n; i++)
		if (!strcmp(fx->walk.commits[i].hex, hex))
			return &fx->walk.commits[i];
	fail_msg("commit %s not in the walk", hex);
	return NULL;
}

static const struct pg_added_file *find_file(const struct pg_commit *c, const char *path)
{
	for (size_t i = 0; i < c->nfiles; i++)
		if (!strcmp(c->files[i].path, path))
			return &c->files[i];
	return NULL;
}

static bool has_ref(const struct pg_commit *c, size_t ref)
{
	for (size_t i = 0; i < c->nrefs; i++)
		if (c->refs[i] == ref)
			return true;
	return false;
}

static void test_new_commits_only(void **state)
{
	struct fx *fx = *state;
	char c0[41], c1[41], c2[41];
	const struct pg_commit *c;
	size_t pos;

	write_file(fx, "a.txt", "base\n");
	commit(fx, "C0", c0);
	write_file(fx, "b.txt", "bee\n");
	commit(fx, "C1 add b", c1);
	write_file(fx, "a.txt", "changed\n");
	commit(fx, "C2 change a", c2);
	sh(fx, "git update-ref refs/heads/main %s", c0); /* the push is not in yet */

	update(fx, "refs/heads/main", c0, c2);
	run_ok(fx, false);
	assert_int_equal(fx->walk.n, 2);
	/* parents before children */
	assert_string_equal(fx->walk.commits[0].hex, c1);
	assert_string_equal(fx->walk.commits[1].hex, c2);

	c = &fx->walk.commits[0];
	assert_string_equal(c->subject, "C1 add b");
	assert_string_equal(c->message, "C1 add b\n");
	assert_string_equal(c->author_name, "Alice Author");
	assert_string_equal(c->author_email, "alice@example.com");
	assert_string_equal(c->committer_name, "Carl Committer");
	assert_string_equal(c->committer_email, "carl@example.com");
	assert_int_equal(c->time, 1704067200);
	assert_int_equal(c->nparents, 1);
	assert_int_equal(c->nrefs, 1);
	assert_int_equal(c->refs[0], 0);
	assert_int_equal(c->nfiles, 0); /* not asked for files */

	/* the index finds each commit's position */
	assert_true(pg_oidmap_get(&fx->walk.index, &fx->walk.commits[1].oid, &pos));
	assert_int_equal(pos, 1);
	{
		git_oid o;

		assert_int_equal(git_oid_fromstr(&o, c0), 0);
		assert_false(pg_oidmap_get(&fx->walk.index, &o, &pos));
	}
}

static void test_commit_once_for_two_refs(void **state)
{
	struct fx *fx = *state;
	char c0[41], c1[41], c2[41];

	write_file(fx, "a.txt", "base\n");
	commit(fx, "C0", c0);
	write_file(fx, "b.txt", "bee\n");
	commit(fx, "C1", c1);
	write_file(fx, "c.txt", "sea\n");
	commit(fx, "C2", c2);
	sh(fx, "git update-ref refs/heads/main %s", c0);

	update(fx, "refs/heads/main", c0, c2);
	update(fx, "refs/heads/feature", Z40, c2);
	run_ok(fx, true);
	assert_int_equal(fx->walk.n, 2);
	for (size_t i = 0; i < 2; i++) {
		const struct pg_commit *c = &fx->walk.commits[i];

		assert_int_equal(c->nrefs, 2);
		assert_true(has_ref(c, 0));
		assert_true(has_ref(c, 1));
	}
	assert_string_equal(fx->walk.commits[0].hex, c1);
	assert_string_equal(fx->walk.commits[1].hex, c2);
	/* files listed once per commit, not once per ref */
	assert_int_equal(fx->walk.commits[0].nfiles, 1);
	assert_int_equal(fx->walk.commits[1].nfiles, 1);
}

static void test_refs_reaching_different_depths(void **state)
{
	struct fx *fx = *state;
	char c0[41], c1[41], c2[41];
	const struct pg_commit *c;

	write_file(fx, "a.txt", "base\n");
	commit(fx, "C0", c0);
	write_file(fx, "b.txt", "bee\n");
	commit(fx, "C1", c1);
	write_file(fx, "c.txt", "sea\n");
	commit(fx, "C2", c2);
	sh(fx, "git update-ref refs/heads/main %s", c0);

	/* the child's ref comes first */
	update(fx, "refs/heads/tip", Z40, c2);
	update(fx, "refs/heads/mid", Z40, c1);
	run_ok(fx, false);
	assert_int_equal(fx->walk.n, 2);
	assert_string_equal(fx->walk.commits[0].hex, c1);
	assert_string_equal(fx->walk.commits[1].hex, c2);
	c = find_commit(fx, c1);
	assert_int_equal(c->nrefs, 2);
	assert_true(has_ref(c, 0) && has_ref(c, 1));
	c = find_commit(fx, c2);
	assert_int_equal(c->nrefs, 1);
	assert_int_equal(c->refs[0], 0);
}

static void test_new_branch_at_existing_commit(void **state)
{
	struct fx *fx = *state;
	char c0[41], c1[41];

	write_file(fx, "a.txt", "base\n");
	commit(fx, "C0", c0);
	sh(fx, "git checkout -q -b other");
	write_file(fx, "b.txt", "bee\n");
	commit(fx, "C1 on other", c1);

	update(fx, "refs/heads/copy-of-main", Z40, c0);
	update(fx, "refs/heads/copy-of-other", Z40, c1); /* reachable from refs/heads/other */
	run_ok(fx, true);
	assert_int_equal(fx->walk.n, 0);
}

static void test_deleted_ref_walks_nothing(void **state)
{
	struct fx *fx = *state;
	char c0[41], c1[41];

	write_file(fx, "a.txt", "base\n");
	commit(fx, "C0", c0);
	sh(fx, "git checkout -q -b doomed");
	write_file(fx, "b.txt", "bee\n");
	commit(fx, "C1", c1);
	update(fx, "refs/heads/doomed", c1, Z40);
	run_ok(fx, true);
	assert_int_equal(fx->walk.n, 0);
}

static void test_root_commit_lists_all_files(void **state)
{
	struct fx *fx = *state;
	char root[41], blob[41];
	const struct pg_added_file *f;
	const struct pg_commit *c;

	sh(fx, "mkdir -p dir/sub");
	write_file(fx, "a.txt", "hello\n");
	write_sized(fx, "dir/b.txt", 1000, 'b');
	write_sized(fx, "dir/sub/c.bin", 3000, '\0');
	write_file(fx, "run.sh", "#!/bin/sh\n");
	sh(fx, "chmod 755 run.sh && ln -s a.txt link");
	commit(fx, "root", root);
	sh(fx, "git update-ref -d refs/heads/main");

	update(fx, "refs/heads/main", Z40, root);
	run_ok(fx, true);
	assert_int_equal(fx->walk.n, 1);
	c = &fx->walk.commits[0];
	assert_string_equal(c->hex, root);
	assert_int_equal(c->nparents, 0);
	assert_int_equal(c->nfiles, 5);

	assert_non_null(f = find_file(c, "a.txt"));
	assert_int_equal(f->size, 6);
	assert_int_equal(f->mode, 0100644);
	{
		char spec[64];

		snprintf(spec, sizeof(spec), "%s:a.txt", root);
		rev(fx, spec, blob);
	}
	{
		char hex[41];

		git_oid_tostr(hex, sizeof(hex), &f->oid);
		assert_string_equal(hex, blob);
	}
	assert_non_null(f = find_file(c, "dir/b.txt"));
	assert_int_equal(f->size, 1000);
	assert_non_null(f = find_file(c, "dir/sub/c.bin"));
	assert_int_equal(f->size, 3000);
	assert_non_null(f = find_file(c, "run.sh"));
	assert_int_equal(f->mode, 0100755);
	assert_int_equal(f->size, 10);
	assert_non_null(f = find_file(c, "link"));
	assert_int_equal(f->mode, 0120000);
	assert_int_equal(f->size, 5); /* the link target "a.txt" */
	assert_null(find_file(c, "dir"));
}

static void test_modified_file_listed_with_size(void **state)
{
	struct fx *fx = *state;
	char c0[41], c1[41], c2[41];
	const struct pg_commit *c;
	const struct pg_added_file *f;

	write_file(fx, "a.txt", "hello\n");
	write_file(fx, "keep.txt", "unchanged\n");
	write_file(fx, "gone.txt", "to be deleted\n");
	write_file(fx, "old-name.txt", "renamed content\n");
	commit(fx, "C0", c0);
	write_sized(fx, "a.txt", 12345, 'x');
	sh(fx, "git rm -q gone.txt");
	commit(fx, "C1 grow a, delete gone", c1);
	sh(fx, "git mv old-name.txt new-name.txt");
	commit(fx, "C2 rename", c2);
	sh(fx, "git update-ref refs/heads/main %s", c0);

	update(fx, "refs/heads/main", c0, c2);
	run_ok(fx, true);
	assert_int_equal(fx->walk.n, 2);

	c = find_commit(fx, c1);
	assert_int_equal(c->nfiles, 1);
	f = &c->files[0];
	assert_string_equal(f->path, "a.txt");
	assert_int_equal(f->size, 12345);
	assert_int_equal(f->mode, 0100644);

	c = find_commit(fx, c2);
	assert_int_equal(c->nfiles, 1);
	assert_string_equal(c->files[0].path, "new-name.txt");
	assert_int_equal(c->files[0].size, 16);
}

static void test_merge_from_second_parent_not_listed(void **state)
{
	struct fx *fx = *state;
	char c0[41], s1[41], m1[41], m[41];
	const struct pg_commit *c;

	write_file(fx, "base.txt", "base\n");
	commit(fx, "C0", c0);
	sh(fx, "git checkout -q -b side");
	write_file(fx, "side.txt", "from the side branch\n");
	commit(fx, "S1", s1);
	sh(fx, "git checkout -q main");
	write_file(fx, "main.txt", "on main\n");
	commit(fx, "M1", m1);
	sh(fx, "git merge -q --no-ff --no-edit side");
	rev(fx, "HEAD", m);
	sh(fx, "git update-ref refs/heads/main %s && git branch -q -D side", c0);

	update(fx, "refs/heads/main", c0, m);
	run_ok(fx, true);
	assert_int_equal(fx->walk.n, 3);
	/* the merge comes after both its parents */
	assert_string_equal(fx->walk.commits[2].hex, m);
	c = find_commit(fx, m);
	assert_int_equal(c->nparents, 2);
	assert_int_equal(c->nfiles, 0);
	c = find_commit(fx, s1);
	assert_int_equal(c->nfiles, 1);
	assert_string_equal(c->files[0].path, "side.txt");
	c = find_commit(fx, m1);
	assert_int_equal(c->nfiles, 1);
	assert_string_equal(c->files[0].path, "main.txt");
}

static void test_evil_merge_lists_its_own_changes(void **state)
{
	struct fx *fx = *state;
	char c0[41], s1[41], m1[41], m[41];
	const struct pg_commit *c;
	const struct pg_added_file *f;

	write_file(fx, "base.txt", "base\n");
	commit(fx, "C0", c0);
	sh(fx, "git checkout -q -b side");
	write_file(fx, "side.txt", "side\n");
	write_file(fx, "side2.txt", "side two\n");
	commit(fx, "S1", s1);
	sh(fx, "git checkout -q main");
	write_file(fx, "main.txt", "on main\n");
	commit(fx, "M1", m1);
	sh(fx, "git merge -q --no-ff --no-commit side");
	write_file(fx, "evil.txt", "added in the merge itself\n");
	write_file(fx, "side2.txt", "changed in the merge\n");
	sh(fx, "git add -A && git commit -q -m 'evil merge'");
	rev(fx, "HEAD", m);
	sh(fx, "git update-ref refs/heads/main %s && git branch -q -D side", c0);

	update(fx, "refs/heads/main", c0, m);
	run_ok(fx, true);
	assert_int_equal(fx->walk.n, 3);
	c = find_commit(fx, m);
	assert_int_equal(c->nfiles, 2);
	assert_non_null(f = find_file(c, "evil.txt"));
	assert_int_equal(f->size, 26);
	assert_non_null(f = find_file(c, "side2.txt"));
	assert_int_equal(f->size, 21);
	assert_null(find_file(c, "side.txt"));
}

static void test_merge_with_existing_side(void **state)
{
	struct fx *fx = *state;
	char c0[41], m[41];
	const struct pg_commit *c;

	write_file(fx, "base.txt", "base\n");
	commit(fx, "C0", c0);
	sh(fx, "git checkout -q -b side");
	write_file(fx, "side.txt", "side\n");
	sh(fx, "git add -A && git commit -q -m S1 && git checkout -q main");
	write_file(fx, "main.txt", "main\n");
	sh(fx, "git add -A && git commit -q -m M1 && git merge -q --no-ff --no-edit side");
	rev(fx, "HEAD", m);
	sh(fx, "git update-ref refs/heads/main %s", c0); /* side stays: S1 is not new */

	update(fx, "refs/heads/main", c0, m);
	run_ok(fx, true);
	assert_int_equal(fx->walk.n, 2); /* M1 and the merge */
	c = find_commit(fx, m);
	assert_int_equal(c->nfiles, 0);
}

static void test_tag_of_tree_and_blob(void **state)
{
	struct fx *fx = *state;
	char c0[41], tag[41], blob[41], tree[41];

	write_file(fx, "a.txt", "base\n");
	commit(fx, "C0", c0);
	sh(fx, "git tag -a treetag -m 'a tag of a tree' 'HEAD^{tree}'");
	rev(fx, "refs/tags/treetag", tag);
	rev(fx, "HEAD:a.txt", blob);
	rev(fx, "HEAD^{tree}", tree);
	sh(fx, "git tag -d treetag");

	update(fx, "refs/tags/treetag", Z40, tag);
	update(fx, "refs/tags/blob", Z40, blob);
	update(fx, "refs/tags/tree", Z40, tree);
	/* no commits; but their content is listed (no quarantine here, so all of it),
	 * each as a synthetic entry the file and secret checks see */
	run_ok(fx, true);
	assert_int_equal(fx->walk.n, 3);
	for (size_t i = 0; i < 3; i++) {
		assert_true(fx->walk.commits[i].synthetic);
		assert_int_equal(fx->walk.commits[i].nfiles, 1);
		assert_int_equal(fx->walk.commits[i].nrefs, 1);
		assert_int_equal(fx->walk.commits[i].refs[0], i);
	}
	assert_string_equal(fx->walk.commits[0].hex, tree);
	assert_string_equal(fx->walk.commits[0].files[0].path, "a.txt");
	assert_string_equal(fx->walk.commits[1].files[0].path, "blob");
	assert_string_equal(fx->walk.commits[1].hex, blob);
	assert_int_equal(fx->walk.commits[1].files[0].size, 5);
	assert_string_equal(fx->walk.commits[2].files[0].path, "a.txt");
}

static void test_annotated_tag_of_new_commit(void **state)
{
	struct fx *fx = *state;
	char c0[41], c1[41], tag[41];

	write_file(fx, "a.txt", "base\n");
	commit(fx, "C0", c0);
	write_file(fx, "b.txt", "bee\n");
	commit(fx, "C1", c1);
	sh(fx, "git tag -a v1 -m 'release 1' %s", c1);
	rev(fx, "refs/tags/v1", tag);
	assert_string_not_equal(tag, c1);
	sh(fx, "git tag -d v1 && git update-ref refs/heads/main %s", c0);

	update(fx, "refs/tags/v1", Z40, tag);
	run_ok(fx, true);
	assert_int_equal(fx->walk.n, 1);
	assert_string_equal(fx->walk.commits[0].hex, c1);
	assert_int_equal(fx->walk.commits[0].nfiles, 1);
	assert_string_equal(fx->walk.commits[0].files[0].path, "b.txt");
}

static void test_submodule_gitlink(void **state)
{
	struct fx *fx = *state;
	char c0[41], c1[41];
	const struct pg_added_file *f;

	write_file(fx, "a.txt", "base\n");
	commit(fx, "C0", c0);
	sh(fx, "git update-index --add --cacheinfo 160000,%s,vendor/lib && git commit -q -m 'add submodule'", c0);
	rev(fx, "HEAD", c1);
	sh(fx, "git update-ref refs/heads/main %s", c0);

	update(fx, "refs/heads/main", c0, c1);
	run_ok(fx, true);
	assert_int_equal(fx->walk.n, 1);
	assert_non_null(f = find_file(&fx->walk.commits[0], "vendor/lib"));
	assert_int_equal(f->mode, 0160000);
	assert_int_equal(f->size, -1);
}

static void test_peel_commit(void **state)
{
	struct fx *fx = *state;
	char c0[41], tag[41], tree[41], hex[41];
	git_oid out;

	write_file(fx, "a.txt", "base\n");
	commit(fx, "C0", c0);
	sh(fx, "git tag -a v0 -m v0 HEAD && git tag -a tt -m tt 'HEAD^{tree}'");
	rev(fx, "refs/tags/v0", tag);
	open_repo(fx);

	assert_int_equal(pg_walk_peel_commit(&out, fx->repo, c0, &fx->err), 0);
	git_oid_tostr(hex, sizeof(hex), &out);
	assert_string_equal(hex, c0);
	memset(&out, 0, sizeof(out));
	assert_int_equal(pg_walk_peel_commit(&out, fx->repo, tag, &fx->err), 0);
	git_oid_tostr(hex, sizeof(hex), &out);
	assert_string_equal(hex, c0);

	rev(fx, "refs/tags/tt", tag);
	assert_int_equal(pg_walk_peel_commit(&out, fx->repo, tag, &fx->err), 1);
	rev(fx, "HEAD^{tree}", tree);
	assert_int_equal(pg_walk_peel_commit(&out, fx->repo, tree, &fx->err), 1);

	fx->err = (struct pg_error)PG_ERROR_INIT;
	assert_true(pg_walk_peel_commit(&out, fx->repo, "deadbeefdeadbeefdeadbeefdeadbeefdeadbeef", &fx->err) < 0);
	assert_int_equal(fx->err.code, PG_ERR);
	assert_non_null(strstr(fx->err.msg, "deadbeefdeadbeefdeadbeefdeadbeefdeadbeef"));
}

static void test_missing_object_is_an_error(void **state)
{
	struct fx *fx = *state;
	char c0[41];

	write_file(fx, "a.txt", "base\n");
	commit(fx, "C0", c0);
	update(fx, "refs/heads/main", c0, "deadbeefdeadbeefdeadbeefdeadbeefdeadbeef");
	assert_int_equal(run(fx, true), PG_ERR);
	assert_int_equal(fx->err.code, PG_ERR);
	assert_non_null(strstr(fx->err.msg, "deadbeef"));
}

/* pushguard.timeBudget: past the deadline the walk stops with PG_ETIMEOUT */
static void test_deadline_stops_the_walk(void **state)
{
	struct fx *fx = *state;
	char c0[41], c1[41], c2[41];

	write_file(fx, "a.txt", "base\n");
	commit(fx, "C0", c0);
	write_file(fx, "b.txt", "bee\n");
	commit(fx, "C1", c1);
	write_file(fx, "c.txt", "sea\n");
	commit(fx, "C2", c2);
	sh(fx, "git update-ref refs/heads/main %s", c0);
	update(fx, "refs/heads/main", c0, c2);
	open_repo(fx);
	pg_walk_release(&fx->walk);
	fx->walk.deadline_ms = pg_clock_ms() - 1; /* already spent */
	assert_int_equal(pg_walk_run(&fx->walk, fx->repo, &fx->push, true, &fx->err), PG_ETIMEOUT);
	assert_non_null(strstr(fx->err.msg, "pushguard.timeBudget"));
	/* a deadline still ahead changes nothing */
	pg_walk_release(&fx->walk);
	fx->err = (struct pg_error)PG_ERROR_INIT;
	fx->walk.deadline_ms = pg_clock_ms() + 60000;
	assert_int_equal(pg_walk_run(&fx->walk, fx->repo, &fx->push, true, &fx->err), PG_OK);
	assert_int_equal(fx->walk.n, 2);
}

/* w->hide: after the push landed, the saved tips say what existed before it */
static void test_hide_saved_tips(void **state)
{
	struct fx *fx = *state;
	char c0[41], c1[41], c2[41], side[41], blob[41];
	git_oid hide[3];

	write_file(fx, "a.txt", "base\n");
	commit(fx, "C0", c0);
	sh(fx, "git branch side");
	write_file(fx, "b.txt", "bee\n");
	commit(fx, "C1", c1);
	write_file(fx, "c.txt", "sea\n");
	commit(fx, "C2", c2);
	sh(fx, "git checkout -q side && echo s >s.txt && git add s.txt && git commit -q -m S && git checkout -q main");
	rev(fx, "side", side);
	sh_out(fx, blob, sizeof(blob), "echo tagged | git hash-object -w --stdin");
	/* the push has landed: main is at C2 already, so every ref hides everything */
	update(fx, "refs/heads/main", c0, c2);
	run_ok(fx, true);
	assert_int_equal(fx->walk.n, 0);

	/* with the tips as they were: main at C0, side; a blob id hides nothing */
	assert_int_equal(git_oid_fromstr(&hide[0], c0), 0);
	assert_int_equal(git_oid_fromstr(&hide[1], side), 0);
	assert_int_equal(git_oid_fromstr(&hide[2], blob), 0);
	pg_walk_release(&fx->walk);
	fx->walk.hide = hide;
	fx->walk.nhide = 3;
	assert_int_equal(pg_walk_run(&fx->walk, fx->repo, &fx->push, true, &fx->err), PG_OK);
	assert_int_equal(fx->walk.n, 2);
	assert_string_equal(fx->walk.commits[0].hex, c1);
	assert_string_equal(fx->walk.commits[1].hex, c2);
	assert_non_null(find_file(&fx->walk.commits[0], "b.txt"));

	/* a saved tip that is gone from the repository is an error, not a wider walk */
	assert_int_equal(git_oid_fromstr(&hide[2], "deadbeefdeadbeefdeadbeefdeadbeefdeadbeef"), 0);
	pg_walk_release(&fx->walk);
	fx->walk.hide = hide;
	fx->walk.nhide = 3;
	assert_int_equal(pg_walk_run(&fx->walk, fx->repo, &fx->push, true, &fx->err), PG_ERR);
	assert_non_null(strstr(fx->err.msg, "deadbeef"));
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_new_commits_only),
		T(test_commit_once_for_two_refs),
		T(test_refs_reaching_different_depths),
		T(test_new_branch_at_existing_commit),
		T(test_deleted_ref_walks_nothing),
		T(test_root_commit_lists_all_files),
		T(test_modified_file_listed_with_size),
		T(test_merge_from_second_parent_not_listed),
		T(test_evil_merge_lists_its_own_changes),
		T(test_merge_with_existing_side),
		T(test_tag_of_tree_and_blob),
		T(test_annotated_tag_of_new_commit),
		T(test_submodule_gitlink),
		T(test_peel_commit),
		T(test_missing_object_is_an_error),
		T(test_deadline_stops_the_walk),
		T(test_hide_saved_tips),
	};
#undef T

	return cmocka_run_group_tests_name("walk", tests, group_setup, group_teardown);
}
