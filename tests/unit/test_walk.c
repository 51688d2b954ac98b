/* Unit tests for lib/walk.c: the one walk over what a push adds, on real
 * repositories built with the git CLI. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <git2.h>

#include "budget.h"
#include "clock.h"
#include "push.h"
#include "repo_fixture.h"
#include "walk.h"

static int setup(void **state)
{
	struct repo_fx *fx = malloc(sizeof(*fx));

	if (!fx || repo_fx_init(fx, "walk") < 0) {
		free(fx);
		return -1;
	}
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	repo_fx_release(*state);
	free(*state);
	return 0;
}

static const struct pg_commit *find_commit(const struct repo_fx *fx, const char *hex)
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
	struct repo_fx *fx = *state;
	char c0[41], c1[41], c2[41];
	const struct pg_commit *c;
	size_t pos;

	fx_write_file(fx, "a.txt", "base\n");
	fx_commit(fx, "C0", c0);
	fx_write_file(fx, "b.txt", "bee\n");
	fx_commit(fx, "C1 add b", c1);
	fx_write_file(fx, "a.txt", "changed\n");
	fx_commit(fx, "C2 change a", c2);
	fx_sh(fx, "git update-ref refs/heads/main %s", c0); /* the push is not in yet */

	fx_update(fx, "refs/heads/main", c0, c2);
	fx_run_ok(fx, false);
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
	struct repo_fx *fx = *state;
	char c0[41], c1[41], c2[41];

	fx_write_file(fx, "a.txt", "base\n");
	fx_commit(fx, "C0", c0);
	fx_write_file(fx, "b.txt", "bee\n");
	fx_commit(fx, "C1", c1);
	fx_write_file(fx, "c.txt", "sea\n");
	fx_commit(fx, "C2", c2);
	fx_sh(fx, "git update-ref refs/heads/main %s", c0);

	fx_update(fx, "refs/heads/main", c0, c2);
	fx_update(fx, "refs/heads/feature", Z40, c2);
	fx_run_ok(fx, true);
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
	struct repo_fx *fx = *state;
	char c0[41], c1[41], c2[41];
	const struct pg_commit *c;

	fx_write_file(fx, "a.txt", "base\n");
	fx_commit(fx, "C0", c0);
	fx_write_file(fx, "b.txt", "bee\n");
	fx_commit(fx, "C1", c1);
	fx_write_file(fx, "c.txt", "sea\n");
	fx_commit(fx, "C2", c2);
	fx_sh(fx, "git update-ref refs/heads/main %s", c0);

	/* the child's ref comes first */
	fx_update(fx, "refs/heads/tip", Z40, c2);
	fx_update(fx, "refs/heads/mid", Z40, c1);
	fx_run_ok(fx, false);
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
	struct repo_fx *fx = *state;
	char c0[41], c1[41];

	fx_write_file(fx, "a.txt", "base\n");
	fx_commit(fx, "C0", c0);
	fx_sh(fx, "git checkout -q -b other");
	fx_write_file(fx, "b.txt", "bee\n");
	fx_commit(fx, "C1 on other", c1);

	fx_update(fx, "refs/heads/copy-of-main", Z40, c0);
	fx_update(fx, "refs/heads/copy-of-other", Z40, c1); /* reachable from refs/heads/other */
	fx_run_ok(fx, true);
	assert_int_equal(fx->walk.n, 0);
}

static void test_deleted_ref_walks_nothing(void **state)
{
	struct repo_fx *fx = *state;
	char c0[41], c1[41];

	fx_write_file(fx, "a.txt", "base\n");
	fx_commit(fx, "C0", c0);
	fx_sh(fx, "git checkout -q -b doomed");
	fx_write_file(fx, "b.txt", "bee\n");
	fx_commit(fx, "C1", c1);
	fx_update(fx, "refs/heads/doomed", c1, Z40);
	fx_run_ok(fx, true);
	assert_int_equal(fx->walk.n, 0);
}

static void test_root_commit_lists_all_files(void **state)
{
	struct repo_fx *fx = *state;
	char root[41], blob[41];
	const struct pg_added_file *f;
	const struct pg_commit *c;

	fx_sh(fx, "mkdir -p dir/sub");
	fx_write_file(fx, "a.txt", "hello\n");
	fx_write_sized(fx, "dir/b.txt", 1000, 'b');
	fx_write_sized(fx, "dir/sub/c.bin", 3000, '\0');
	fx_write_file(fx, "run.sh", "#!/bin/sh\n");
	fx_sh(fx, "chmod 755 run.sh && ln -s a.txt link");
	fx_commit(fx, "root", root);
	fx_sh(fx, "git update-ref -d refs/heads/main");

	fx_update(fx, "refs/heads/main", Z40, root);
	fx_run_ok(fx, true);
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
		fx_rev(fx, spec, blob);
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
	struct repo_fx *fx = *state;
	char c0[41], c1[41], c2[41];
	const struct pg_commit *c;
	const struct pg_added_file *f;

	fx_write_file(fx, "a.txt", "hello\n");
	fx_write_file(fx, "keep.txt", "unchanged\n");
	fx_write_file(fx, "gone.txt", "to be deleted\n");
	fx_write_file(fx, "old-name.txt", "renamed content\n");
	fx_commit(fx, "C0", c0);
	fx_write_sized(fx, "a.txt", 12345, 'x');
	fx_sh(fx, "git rm -q gone.txt");
	fx_commit(fx, "C1 grow a, delete gone", c1);
	fx_sh(fx, "git mv old-name.txt new-name.txt");
	fx_commit(fx, "C2 rename", c2);
	fx_sh(fx, "git update-ref refs/heads/main %s", c0);

	fx_update(fx, "refs/heads/main", c0, c2);
	fx_run_ok(fx, true);
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
	struct repo_fx *fx = *state;
	char c0[41], s1[41], m1[41], m[41];
	const struct pg_commit *c;

	fx_write_file(fx, "base.txt", "base\n");
	fx_commit(fx, "C0", c0);
	fx_sh(fx, "git checkout -q -b side");
	fx_write_file(fx, "side.txt", "from the side branch\n");
	fx_commit(fx, "S1", s1);
	fx_sh(fx, "git checkout -q main");
	fx_write_file(fx, "main.txt", "on main\n");
	fx_commit(fx, "M1", m1);
	fx_sh(fx, "git merge -q --no-ff --no-edit side");
	fx_rev(fx, "HEAD", m);
	fx_sh(fx, "git update-ref refs/heads/main %s && git branch -q -D side", c0);

	fx_update(fx, "refs/heads/main", c0, m);
	fx_run_ok(fx, true);
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
	struct repo_fx *fx = *state;
	char c0[41], s1[41], m1[41], m[41];
	const struct pg_commit *c;
	const struct pg_added_file *f;

	fx_write_file(fx, "base.txt", "base\n");
	fx_commit(fx, "C0", c0);
	fx_sh(fx, "git checkout -q -b side");
	fx_write_file(fx, "side.txt", "side\n");
	fx_write_file(fx, "side2.txt", "side two\n");
	fx_commit(fx, "S1", s1);
	fx_sh(fx, "git checkout -q main");
	fx_write_file(fx, "main.txt", "on main\n");
	fx_commit(fx, "M1", m1);
	fx_sh(fx, "git merge -q --no-ff --no-commit side");
	fx_write_file(fx, "evil.txt", "added in the merge itself\n");
	fx_write_file(fx, "side2.txt", "changed in the merge\n");
	fx_sh(fx, "git add -A && git commit -q -m 'evil merge'");
	fx_rev(fx, "HEAD", m);
	fx_sh(fx, "git update-ref refs/heads/main %s && git branch -q -D side", c0);

	fx_update(fx, "refs/heads/main", c0, m);
	fx_run_ok(fx, true);
	assert_int_equal(fx->walk.n, 3);
	c = find_commit(fx, m);
	assert_int_equal(c->nfiles, 2);
	assert_non_null(f = find_file(c, "evil.txt"));
	assert_int_equal(f->size, 26);
	assert_non_null(f = find_file(c, "side2.txt"));
	assert_int_equal(f->size, 21);
	assert_null(find_file(c, "side.txt"));
}

/* An octopus merge lists only what no parent has: up to 8 parents compared
 * at once, more through libgit2's trees; the same either way. */
static void test_octopus_merges(void **state)
{
	struct repo_fx *fx = *state;
	char c0[41], m[41], big[41], any[41], path[32];
	const struct pg_commit *c;
	const struct pg_added_file *f;

	fx_sh(fx, "mkdir -p d dir2 o0 o1 o2 o3 o4 o5 o6 o7 o8");
	fx_write_file(fx, "base.txt", "base\n");
	fx_write_file(fx, "d/x.txt", "x\n");
	fx_commit(fx, "C0", c0);
	fx_sh(fx, "git checkout -q -b a");
	fx_write_file(fx, "a.txt", "a\n");
	fx_write_file(fx, "d/x.txt", "x changed on a\n");
	fx_commit(fx, "A1", any);
	fx_sh(fx, "git checkout -q -b b main");
	fx_write_file(fx, "b.txt", "b\n");
	fx_write_file(fx, "dir2/y.txt", "y\n");
	fx_commit(fx, "B1", any);
	fx_sh(fx, "git checkout -q main");
	fx_write_file(fx, "main.txt", "main\n");
	fx_commit(fx, "M1", any);
	fx_sh(fx, "git merge -q --no-ff --no-commit a b");
	fx_write_file(fx, "own.txt", "the merge's own\n");
	fx_sh(fx, "git add -A && git commit -q -m octopus");
	fx_rev(fx, "HEAD", m);
	/* ten parents: main and nine branches, each with a file of its own */
	for (int i = 0; i < 9; i++) {
		fx_sh(fx, "git checkout -q -b o%d %s", i, m);
		snprintf(path, sizeof(path), "o%d/file.txt", i);
		fx_write_file(fx, path, "one of nine\n");
		fx_commit(fx, "O", any);
	}
	fx_sh(fx, "git checkout -q main && git merge -q --no-ff --no-commit o0 o1 o2 o3 o4 o5 o6 o7 o8");
	fx_write_file(fx, "d/x.txt", "changed in the big merge\n");
	fx_sh(fx, "git add -A && git commit -q -m 'ten parents'");
	fx_rev(fx, "HEAD", big);
	fx_sh(fx, "git update-ref refs/heads/main %s && git branch -q -D a b o0 o1 o2 o3 o4 o5 o6 o7 o8", c0);

	fx_update(fx, "refs/heads/main", c0, big);
	fx_run_ok(fx, true);
	c = find_commit(fx, m);
	assert_int_equal(c->nparents, 3);
	assert_int_equal(c->nparent_trees, 3);
	assert_int_equal(c->nfiles, 1);
	assert_non_null(f = find_file(c, "own.txt"));
	assert_int_equal(f->size, 16);
	c = find_commit(fx, big);
	assert_int_equal(c->nparents, 10);
	assert_int_equal(c->nparent_trees, 10);
	assert_int_equal(c->nfiles, 1);
	assert_non_null(f = find_file(c, "d/x.txt"));
	assert_int_equal(f->size, 25);
}

/* A file that becomes a directory of the same name, and back: what is there
 * now is new. */
static void test_file_and_directory_swap(void **state)
{
	struct repo_fx *fx = *state;
	char c0[41], t1[41], t2[41];
	const struct pg_commit *c;

	fx_write_file(fx, "f", "a file\n");
	fx_write_file(fx, "f.txt", "beside it\n");
	fx_sh(fx, "mkdir -p d");
	fx_write_file(fx, "d/x.txt", "x\n");
	fx_commit(fx, "C0", c0);
	fx_sh(fx, "git rm -q f && mkdir -p f && echo inside >f/g.txt && git add f/g.txt");
	fx_commit(fx, "T1", t1);
	fx_sh(fx, "git rm -q -r d && echo now a file >d && git add d");
	fx_commit(fx, "T2", t2);
	fx_sh(fx, "git update-ref refs/heads/main %s", c0);

	fx_update(fx, "refs/heads/main", c0, t2);
	fx_run_ok(fx, true);
	c = find_commit(fx, t1);
	assert_int_equal(c->nfiles, 1);
	assert_non_null(find_file(c, "f/g.txt"));
	c = find_commit(fx, t2);
	assert_int_equal(c->nfiles, 1);
	assert_non_null(find_file(c, "d"));
}

static void test_merge_with_existing_side(void **state)
{
	struct repo_fx *fx = *state;
	char c0[41], m[41];
	const struct pg_commit *c;

	fx_write_file(fx, "base.txt", "base\n");
	fx_commit(fx, "C0", c0);
	fx_sh(fx, "git checkout -q -b side");
	fx_write_file(fx, "side.txt", "side\n");
	fx_sh(fx, "git add -A && git commit -q -m S1 && git checkout -q main");
	fx_write_file(fx, "main.txt", "main\n");
	fx_sh(fx, "git add -A && git commit -q -m M1 && git merge -q --no-ff --no-edit side");
	fx_rev(fx, "HEAD", m);
	fx_sh(fx, "git update-ref refs/heads/main %s", c0); /* side stays: S1 is not new */

	fx_update(fx, "refs/heads/main", c0, m);
	fx_run_ok(fx, true);
	assert_int_equal(fx->walk.n, 2); /* M1 and the merge */
	c = find_commit(fx, m);
	assert_int_equal(c->nfiles, 0);
}

static void test_tag_of_tree_and_blob(void **state)
{
	struct repo_fx *fx = *state;
	char c0[41], tag[41], blob[41], tree[41];

	fx_write_file(fx, "a.txt", "base\n");
	fx_commit(fx, "C0", c0);
	fx_sh(fx, "git tag -a treetag -m 'a tag of a tree' 'HEAD^{tree}'");
	fx_rev(fx, "refs/tags/treetag", tag);
	fx_rev(fx, "HEAD:a.txt", blob);
	fx_rev(fx, "HEAD^{tree}", tree);
	fx_sh(fx, "git tag -d treetag");

	fx_update(fx, "refs/tags/treetag", Z40, tag);
	fx_update(fx, "refs/tags/blob", Z40, blob);
	fx_update(fx, "refs/tags/tree", Z40, tree);
	/* no commits; but their content is listed (no quarantine here, so all of it),
	 * each as a synthetic entry the file and secret checks see */
	fx_run_ok(fx, true);
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
	struct repo_fx *fx = *state;
	char c0[41], c1[41], tag[41];

	fx_write_file(fx, "a.txt", "base\n");
	fx_commit(fx, "C0", c0);
	fx_write_file(fx, "b.txt", "bee\n");
	fx_commit(fx, "C1", c1);
	fx_sh(fx, "git tag -a v1 -m 'release 1' %s", c1);
	fx_rev(fx, "refs/tags/v1", tag);
	assert_string_not_equal(tag, c1);
	fx_sh(fx, "git tag -d v1 && git update-ref refs/heads/main %s", c0);

	fx_update(fx, "refs/tags/v1", Z40, tag);
	fx_run_ok(fx, true);
	assert_int_equal(fx->walk.n, 1);
	assert_string_equal(fx->walk.commits[0].hex, c1);
	assert_int_equal(fx->walk.commits[0].nfiles, 1);
	assert_string_equal(fx->walk.commits[0].files[0].path, "b.txt");
}

static void test_submodule_gitlink(void **state)
{
	struct repo_fx *fx = *state;
	char c0[41], c1[41];
	const struct pg_added_file *f;

	fx_write_file(fx, "a.txt", "base\n");
	fx_commit(fx, "C0", c0);
	fx_sh(fx, "git update-index --add --cacheinfo 160000,%s,vendor/lib && git commit -q -m 'add submodule'", c0);
	fx_rev(fx, "HEAD", c1);
	fx_sh(fx, "git update-ref refs/heads/main %s", c0);

	fx_update(fx, "refs/heads/main", c0, c1);
	fx_run_ok(fx, true);
	assert_int_equal(fx->walk.n, 1);
	assert_non_null(f = find_file(&fx->walk.commits[0], "vendor/lib"));
	assert_int_equal(f->mode, 0160000);
	assert_int_equal(f->size, -1);
}

static void test_peel_commit(void **state)
{
	struct repo_fx *fx = *state;
	char c0[41], tag[41], tree[41], hex[41];
	git_oid out;

	fx_write_file(fx, "a.txt", "base\n");
	fx_commit(fx, "C0", c0);
	fx_sh(fx, "git tag -a v0 -m v0 HEAD && git tag -a tt -m tt 'HEAD^{tree}'");
	fx_rev(fx, "refs/tags/v0", tag);
	fx_open_repo(fx);

	assert_int_equal(pg_walk_peel_commit(&out, fx->repo, c0, &fx->err), 0);
	git_oid_tostr(hex, sizeof(hex), &out);
	assert_string_equal(hex, c0);
	memset(&out, 0, sizeof(out));
	assert_int_equal(pg_walk_peel_commit(&out, fx->repo, tag, &fx->err), 0);
	git_oid_tostr(hex, sizeof(hex), &out);
	assert_string_equal(hex, c0);

	fx_rev(fx, "refs/tags/tt", tag);
	assert_int_equal(pg_walk_peel_commit(&out, fx->repo, tag, &fx->err), 1);
	fx_rev(fx, "HEAD^{tree}", tree);
	assert_int_equal(pg_walk_peel_commit(&out, fx->repo, tree, &fx->err), 1);

	fx->err = (struct pg_error)PG_ERROR_INIT;
	assert_true(pg_walk_peel_commit(&out, fx->repo, "deadbeefdeadbeefdeadbeefdeadbeefdeadbeef", &fx->err) < 0);
	assert_int_equal(fx->err.code, PG_ERR);
	assert_non_null(strstr(fx->err.msg, "deadbeefdeadbeefdeadbeefdeadbeefdeadbeef"));
}

static void test_missing_object_is_an_error(void **state)
{
	struct repo_fx *fx = *state;
	char c0[41];

	fx_write_file(fx, "a.txt", "base\n");
	fx_commit(fx, "C0", c0);
	fx_update(fx, "refs/heads/main", c0, "deadbeefdeadbeefdeadbeefdeadbeefdeadbeef");
	assert_int_equal(fx_run(fx, true), PG_ERR);
	assert_int_equal(fx->err.code, PG_ERR);
	assert_non_null(strstr(fx->err.msg, "deadbeef"));
}

/* pushguard.timeBudget: past the deadline the walk stops with PG_ETIMEOUT */
static void test_deadline_stops_the_walk(void **state)
{
	struct repo_fx *fx = *state;
	char c0[41], c1[41], c2[41];

	fx_write_file(fx, "a.txt", "base\n");
	fx_commit(fx, "C0", c0);
	fx_write_file(fx, "b.txt", "bee\n");
	fx_commit(fx, "C1", c1);
	fx_write_file(fx, "c.txt", "sea\n");
	fx_commit(fx, "C2", c2);
	fx_sh(fx, "git update-ref refs/heads/main %s", c0);
	fx_update(fx, "refs/heads/main", c0, c2);
	fx_open_repo(fx);
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

/* A push of many commits is listed on every core (each thread with its own
 * repository handle): every commit still gets exactly its own files. */
static void test_many_commits_listed_in_parallel(void **state)
{
	struct repo_fx *fx = *state;
	char c0[41], tip[41];
	size_t n = 150;

	fx_write_file(fx, "a.txt", "base\n");
	fx_commit(fx, "C0", c0);
	/* commit i adds d(i%7)/f<i>.txt of i+1 bytes; commit 100 also changes a.txt */
	fx_sh(fx, "for i in $(seq 1 %zu); do "
		  "printf 'commit refs/heads/main\\ncommitter A <a@example.com> %%d +0000\\ndata 8\\nm%%07d\\n' $((1700000000 + i)) $i; "
		  "[ $i = 1 ] && printf 'from %s\\n'; "
		  "printf 'M 644 inline d%%d/f%%d.txt\\ndata %%d\\n%%s\\n\\n' $((i %% 7)) $i $((i + 1)) $(head -c $i /dev/zero | tr '\\0' x); "
		  "[ $i = 100 ] && printf 'M 644 inline a.txt\\ndata 8\\nchanged\\n\\n'; "
		  "done | git fast-import --quiet", n, c0);
	fx_rev(fx, "refs/heads/main", tip);
	fx_sh(fx, "git update-ref refs/heads/main %s", c0);
	fx_update(fx, "refs/heads/main", c0, tip);
	fx_run_ok(fx, true);
	assert_int_equal(fx->walk.n, n);
	for (size_t i = 0; i < n; i++) {
		const struct pg_commit *c = &fx->walk.commits[i];
		unsigned num = (unsigned)atoi(c->subject + 1);
		char path[64];
		const struct pg_added_file *f;

		assert_true(num >= 1 && num <= n);
		snprintf(path, sizeof(path), "d%u/f%u.txt", num % 7, num);
		assert_int_equal(c->nfiles, num == 100 ? 2 : 1);
		assert_non_null(f = find_file(c, path));
		assert_int_equal(f->size, num + 1);
		if (num == 100)
			assert_non_null(find_file(c, "a.txt"));
	}
}

/* w->hide: after the push landed, the saved tips say what existed before it */
static void test_hide_saved_tips(void **state)
{
	struct repo_fx *fx = *state;
	char c0[41], c1[41], c2[41], side[41], blob[41];
	git_oid hide[3];

	fx_write_file(fx, "a.txt", "base\n");
	fx_commit(fx, "C0", c0);
	fx_sh(fx, "git branch side");
	fx_write_file(fx, "b.txt", "bee\n");
	fx_commit(fx, "C1", c1);
	fx_write_file(fx, "c.txt", "sea\n");
	fx_commit(fx, "C2", c2);
	fx_sh(fx, "git checkout -q side && echo s >s.txt && git add s.txt && git commit -q -m S && git checkout -q main");
	fx_rev(fx, "side", side);
	fx_sh_out(fx, blob, sizeof(blob), "echo tagged | git hash-object -w --stdin");
	/* the push has landed: main is at C2 already, so every ref hides everything */
	fx_update(fx, "refs/heads/main", c0, c2);
	fx_run_ok(fx, true);
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

	/* no refs before the push (an empty repository): everything is new */
	pg_walk_release(&fx->walk);
	fx->walk.hide = hide;
	fx->walk.nhide = 0;
	assert_int_equal(pg_walk_run(&fx->walk, fx->repo, &fx->push, false, &fx->err), PG_OK);
	assert_int_equal(fx->walk.n, 3);
	assert_string_equal(fx->walk.commits[0].hex, c0);

	/* a saved tip that is gone from the repository is an error, not a wider walk */
	assert_int_equal(git_oid_fromstr(&hide[2], "deadbeefdeadbeefdeadbeefdeadbeefdeadbeef"), 0);
	pg_walk_release(&fx->walk);
	fx->walk.hide = hide;
	fx->walk.nhide = 3;
	assert_int_equal(pg_walk_run(&fx->walk, fx->repo, &fx->push, true, &fx->err), PG_ERR);
	assert_non_null(strstr(fx->err.msg, "deadbeef"));
}

/* ---- sections limited to refs: commits already on the server entering them ---- */

/* The attack of issue 15: a commit pushed to an out-of-scope ref first enters
 * main's scope when it is pushed to main. */
static void test_scope_existing_commit_enters(void **state)
{
	struct repo_fx *fx = *state;
	char c0[41], c1[41], c2[41], c3[41];
	const struct pg_commit *c;

	fx_write_file(fx, "a.txt", "base\n");
	fx_commit(fx, "C0", c0);
	fx_write_file(fx, "b.txt", "bee\n");
	fx_commit(fx, "C1 staged", c1);
	fx_write_file(fx, "c.txt", "sea\n");
	fx_commit(fx, "C2 staged", c2);
	fx_write_file(fx, "d.txt", "dee\n");
	fx_commit(fx, "C3 new", c3);
	/* on the server: main at C0, C2 under a tag (accepted there: out of scope) */
	fx_sh(fx, "git update-ref refs/heads/main %s && git update-ref refs/tags/staging %s", c0, c2);

	/* no scope: nothing is new */
	fx_update(fx, "refs/heads/main", c0, c2);
	fx_run_ok(fx, true);
	assert_int_equal(fx->walk.n, 0);

	/* main's scope: C1 and C2 enter it, parents first, with their files */
	fx_scope(fx, "refs/heads/main");
	fx_scope(fx, "refs/heads/main"); /* the same globs twice: one scope */
	fx_run_ok(fx, true);
	assert_int_equal(fx->walk.nscopes, 1);
	assert_int_equal(fx->walk.n, 2);
	assert_string_equal(fx->walk.commits[0].hex, c1);
	assert_string_equal(fx->walk.commits[1].hex, c2);
	for (size_t i = 0; i < 2; i++) {
		c = &fx->walk.commits[i];
		assert_true(c->existing);
		assert_int_equal(c->scopes, 1);
		assert_int_equal(c->nrefs, 1);
		assert_int_equal(c->refs[0], 0);
		assert_int_equal(c->nfiles, 1);
		assert_int_equal(c->nbad, 0);
	}
	assert_string_equal(find_commit(fx, c1)->files[0].path, "b.txt");
	assert_string_equal(find_commit(fx, c1)->subject, "C1 staged");

	/* a new commit on top: existing ones first, then the new one */
	pg_push_release(&fx->push);
	fx->push = (struct pg_push)PG_PUSH_INIT;
	fx_update(fx, "refs/heads/main", c0, c3);
	fx_run_ok(fx, true);
	assert_int_equal(fx->walk.n, 3);
	assert_string_equal(fx->walk.commits[2].hex, c3);
	assert_false(fx->walk.commits[2].existing);
	assert_true(fx->walk.commits[0].existing && fx->walk.commits[1].existing);

	/* a scope that main is not in: nothing enters */
	pg_strvec_release(&fx->scopes);
	fx_scope(fx, "refs/heads/release/*");
	fx_run_ok(fx, false);
	assert_int_equal(fx->walk.n, 1);
	assert_false(fx->walk.commits[0].existing);
}

/* Already reachable from a ref of the scope: not entering. */
static void test_scope_already_in_scope(void **state)
{
	struct repo_fx *fx = *state;
	char c0[41], c1[41];

	fx_write_file(fx, "a.txt", "base\n");
	fx_commit(fx, "C0", c0);
	fx_write_file(fx, "b.txt", "bee\n");
	fx_commit(fx, "C1", c1);
	fx_sh(fx, "git update-ref refs/heads/main %s && git update-ref refs/heads/topic %s", c0, c1);
	fx_scope(fx, "refs/heads/*");
	fx_update(fx, "refs/heads/main", c0, c1);
	fx_run_ok(fx, true);
	assert_int_equal(fx->walk.n, 0);
	/* main itself was in scope before the push: its old value hides */
	pg_push_release(&fx->push);
	fx->push = (struct pg_push)PG_PUSH_INIT;
	fx_sh(fx, "git update-ref -d refs/heads/topic && git update-ref refs/tags/t %s", c1);
	fx_update(fx, "refs/heads/release", Z40, c1);
	fx_run_ok(fx, true);
	assert_int_equal(fx->walk.n, 1); /* C1 enters (only a tag had it); C0 is on main */
	assert_string_equal(fx->walk.commits[0].hex, c1);
	assert_true(fx->walk.commits[0].existing);
}

/* A merge brings a topic branch (out of scope) into main. */
static void test_scope_merge_brings_topic(void **state)
{
	struct repo_fx *fx = *state;
	char c0[41], t1[41], m[41];

	fx_write_file(fx, "a.txt", "base\n");
	fx_commit(fx, "C0", c0);
	fx_sh(fx, "git checkout -q -b topic");
	fx_write_file(fx, "t.txt", "topic\n");
	fx_commit(fx, "T1", t1);
	fx_sh(fx, "git checkout -q main && git merge -q --no-ff --no-edit topic");
	fx_rev(fx, "HEAD", m);
	fx_sh(fx, "git update-ref refs/heads/main %s", c0);
	fx_scope(fx, "refs/heads/main");
	fx_update(fx, "refs/heads/main", c0, m);
	fx_run_ok(fx, true);
	assert_int_equal(fx->walk.n, 2);
	assert_string_equal(fx->walk.commits[0].hex, t1);
	assert_true(fx->walk.commits[0].existing);
	assert_string_equal(fx->walk.commits[0].files[0].path, "t.txt");
	assert_string_equal(fx->walk.commits[1].hex, m);
	assert_false(fx->walk.commits[1].existing);
	assert_int_equal(fx->walk.commits[1].nfiles, 0); /* the merge adds nothing of its own */
}

/* After the push landed (the background check): refs not pushed are taken as
 * they are, pushed ones at their old value. */
static void test_scope_after_landing(void **state)
{
	struct repo_fx *fx = *state;
	char c0[41], c1[41];
	git_oid hide[2];

	fx_write_file(fx, "a.txt", "base\n");
	fx_commit(fx, "C0", c0);
	fx_write_file(fx, "b.txt", "bee\n");
	fx_commit(fx, "C1", c1);
	fx_sh(fx, "git update-ref refs/tags/staging %s", c1); /* main is at C1: landed */
	assert_int_equal(git_oid_fromstr(&hide[0], c0), 0);
	assert_int_equal(git_oid_fromstr(&hide[1], c1), 0);
	fx_scope(fx, "refs/heads/main");
	fx_update(fx, "refs/heads/main", c0, c1);
	fx_open_repo(fx);
	pg_walk_release(&fx->walk);
	{
		struct pg_strvec one = PG_STRVEC_INIT;

		assert_int_equal(pg_strvec_push(&one, "refs/heads/main"), 0);
		assert_int_equal(pg_walk_add_scope(&fx->walk, &one, &fx->err), 0);
		pg_strvec_release(&one);
	}
	fx->walk.hide = hide;
	fx->walk.nhide = 2;
	assert_int_equal(pg_walk_run(&fx->walk, fx->repo, &fx->push, true, &fx->err), PG_OK);
	assert_int_equal(fx->walk.n, 1);
	assert_string_equal(fx->walk.commits[0].hex, c1);
	assert_true(fx->walk.commits[0].existing);
}

/* ---- objects git takes and libgit2 does not ---- */

static void raw_commit(struct repo_fx *fx, char out[41], const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void raw_commit(struct repo_fx *fx, char out[41], const char *fmt, ...)
{
	char buf[4096];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	fx_object(fx, "commit", buf, (size_t)n, out);
}

#define AUTHOR "author Alice Author <alice@example.com> 1704067200 +0000\n"
#define COMMITTER "committer Carl Committer <carl@example.com> 1704067200 +0000\n"

static void test_malformed_commit_in_push(void **state)
{
	struct repo_fx *fx = *state;
	char c0[41], tree[41], bad[41];
	const struct pg_commit *c;

	fx_write_file(fx, "a.txt", "base\n");
	fx_commit(fx, "C0", c0);
	fx_write_file(fx, "b.txt", "bee\n");
	fx_sh(fx, "git add b.txt");
	fx_sh_out(fx, tree, sizeof(tree), "git write-tree");
	raw_commit(fx, bad, "tree %s\nparent %s\n" COMMITTER "\nNo author here\n\nbody\n", tree, c0);

	fx_update(fx, "refs/heads/main", c0, bad);
	fx_run_ok(fx, true);
	assert_int_equal(fx->walk.n, 1);
	c = &fx->walk.commits[0];
	assert_string_equal(c->hex, bad);
	assert_string_equal(c->subject, "No author here");
	assert_string_equal(c->author_email, "");
	assert_string_equal(c->committer_email, "carl@example.com");
	assert_int_equal(c->nfiles, 1);
	assert_string_equal(c->files[0].path, "b.txt");
	assert_int_equal(c->nbad, 1);
	assert_string_equal(c->bad[0].type, "commit");
	assert_string_equal(c->bad[0].hex, bad);
	assert_string_equal(c->bad[0].what, "no author line");
	assert_null(c->bad[0].path);
}

/* The header fields the walk reads into no other field are kept for the
 * secrets check, in their places; an ordinary commit keeps none. */
static void test_other_headers_kept(void **state)
{
	struct repo_fx *fx = *state;
	char c0[41], c1[41], c2[41], tree[41];

	fx_write_file(fx, "a.txt", "base\n");
	fx_commit(fx, "C0", c0);
	fx_sh_out(fx, tree, sizeof(tree), "git write-tree");
	raw_commit(fx, c1, "tree %s\nparent %s\n" AUTHOR COMMITTER "encoding ISO-8859-1\nx-note one\n two\n\nm\n", tree,
		   c0);
	raw_commit(fx, c2, "tree %s\nparent %s\n" AUTHOR COMMITTER "\nplain\n", tree, c1);
	fx_update(fx, "refs/heads/main", c0, c2);
	fx_run_ok(fx, false);
	assert_int_equal(fx->walk.n, 2);
	assert_string_equal(find_commit(fx, c1)->headers, "\n\n\n\nencoding ISO-8859-1\nx-note one\n two\n");
	assert_null(find_commit(fx, c2)->headers);
}

/* The message and idents as written are kept when the declared encoding
 * reads them otherwise, and only then. */
static void test_raw_text_kept(void **state)
{
	struct repo_fx *fx = *state;
	char c0[41], c1[41], c2[41], c3[41], tree[41];
	const struct pg_commit *c;

	fx_write_file(fx, "a.txt", "base\n");
	fx_commit(fx, "C0", c0);
	fx_sh_out(fx, tree, sizeof(tree), "git write-tree");
	raw_commit(fx, c1, "tree %s\nparent %s\nauthor Ab <a@x> 1 +0000\n" COMMITTER "encoding UTF-16LE\n\nabc\n", tree, c0);
	raw_commit(fx, c2, "tree %s\nparent %s\n" AUTHOR COMMITTER "encoding ISO-8859-1\n\nplain ASCII\n", tree, c1);
	raw_commit(fx, c3, "tree %s\nparent %s\n" AUTHOR COMMITTER "encoding ISO-8859-1\n\ncaf\xe9\n", tree, c2);
	fx_update(fx, "refs/heads/main", c0, c3);
	fx_run_ok(fx, false);
	c = find_commit(fx, c1);
	assert_non_null(c->raw);
	assert_string_equal(c->raw->message, "abc\n");
	assert_string_equal(c->raw->author_name, "Ab");
	assert_string_equal(c->raw->committer_email, "carl@example.com");
	assert_string_not_equal(c->message, "abc\n"); /* decoded: two UTF-16 characters */
	assert_null(find_commit(fx, c2)->raw); /* ASCII reads the same in Latin-1 */
	c = find_commit(fx, c3);
	assert_non_null(c->raw);
	assert_string_equal(c->message, "caf\xc3\xa9\n");
	assert_string_equal(c->raw->message, "caf\xe9\n");
}

/* One such commit in history never stops a later push. */
static void test_malformed_history_is_walked(void **state)
{
	struct repo_fx *fx = *state;
	char c0[41], tree[41], bad[41], next[41], ours[41];
	const struct pg_commit *c;

	fx_write_file(fx, "a.txt", "base\n");
	fx_commit(fx, "C0", c0);
	fx_sh_out(fx, tree, sizeof(tree), "git write-tree");
	raw_commit(fx, bad, "tree %s\nparent %s\nauthor A a@x 1704067200 +0000\n"
		   "committer C c@x 99999999999999999999999 +0000\n\nbroken\n", tree, c0);
	fx_sh(fx, "git update-ref refs/heads/old %s", bad);
	fx_sh(fx, "git reset -q --hard %s && echo more >b.txt && git add b.txt", c0);
	fx_sh_out(fx, next, sizeof(next), "git commit-tree $(git write-tree) -p %s -m 'on top of it'", bad);
	fx_sh(fx, "git update-ref refs/heads/main %s", c0);

	fx_update(fx, "refs/heads/main", c0, next);
	fx_run_ok(fx, true);
	assert_int_equal(fx->walk.n, 1);
	c = &fx->walk.commits[0];
	assert_string_equal(c->hex, next);
	assert_int_equal(c->nbad, 0);
	assert_int_equal(c->nfiles, 1); /* against the malformed parent's tree */
	assert_string_equal(c->files[0].path, "b.txt");

	/* and a push that does not touch it at all */
	pg_push_release(&fx->push);
	fx->push = (struct pg_push)PG_PUSH_INIT;
	fx_sh_out(fx, ours, sizeof(ours), "git commit-tree $(git write-tree) -p %s -m 'elsewhere'", c0);
	fx_update(fx, "refs/heads/feature", Z40, ours);
	fx_run_ok(fx, true);
	assert_int_equal(fx->walk.n, 1);
	assert_string_equal(fx->walk.commits[0].hex, ours);
}

/* Raw tree bytes: "MODE NAME\0<20 bytes>" per entry. */
static size_t tree_entry(char *buf, const char *mode, const char *name, size_t name_len, const char *hex)
{
	git_oid id;
	size_t n;

	assert_int_equal(git_oid_fromstr(&id, hex), 0);
	n = (size_t)sprintf(buf, "%s ", mode);
	memcpy(buf + n, name, name_len);
	n += name_len;
	buf[n++] = '\0';
	memcpy(buf + n, id.id, GIT_OID_RAWSZ);
	return n + GIT_OID_RAWSZ;
}

static void test_malformed_trees_in_push(void **state)
{
	struct repo_fx *fx = *state;
	static char buf[80000], name[70001];
	char c0[41], blob[41], dotgit[41], longname[41], top[41], commit[41];
	const struct pg_commit *c;
	size_t n;

	fx_write_file(fx, "a.txt", "base\n");
	fx_commit(fx, "C0", c0);
	fx_sh_out(fx, blob, sizeof(blob), "echo hello | git hash-object -w --stdin");
	/* sub/ has an entry named .git; long/ a name libgit2 cannot read */
	n = tree_entry(buf, "100644", ".git", 4, blob);
	fx_object(fx, "tree", buf, n, dotgit);
	memset(name, 'x', sizeof(name) - 1);
	n = tree_entry(buf, "100644", name, sizeof(name) - 1, blob);
	fx_object(fx, "tree", buf, n, longname);
	n = tree_entry(buf, "100644", "a.txt", 5, blob);
	n += tree_entry(buf + n, "40000", "long", 4, longname);
	n += tree_entry(buf + n, "40000", "sub", 3, dotgit);
	fx_object(fx, "tree", buf, n, top);
	raw_commit(fx, commit, "tree %s\nparent %s\n" AUTHOR COMMITTER "\nodd trees\n", top, c0);

	fx_update(fx, "refs/heads/main", c0, commit);
	fx_run_ok(fx, true);
	assert_int_equal(fx->walk.n, 1);
	c = &fx->walk.commits[0];
	assert_int_equal(c->nbad, 2);
	assert_string_equal(c->bad[0].type, "tree");
	assert_string_equal(c->bad[0].hex, longname);
	assert_string_equal(c->bad[0].path, "long/");
	assert_non_null(strstr(c->bad[0].what, "has a name of 70000 bytes"));
	assert_string_equal(c->bad[1].hex, dotgit);
	assert_string_equal(c->bad[1].path, "sub/");
	assert_non_null(strstr(c->bad[1].what, "'.git'"));
	/* what could be read is listed: a.txt and sub/.git */
	assert_int_equal(c->nfiles, 2);
	assert_non_null(find_file(c, "a.txt"));
	assert_non_null(find_file(c, "sub/.git"));
}

/* A commit whose secret.txt lies `depth` directories down: d/d/.../secret.txt */
static void deep_commit(struct repo_fx *fx, const char *parent, size_t depth, char commit[41])
{
	char buf[256], blob[41], tree[41];
	size_t n;

	fx_sh_out(fx, blob, sizeof(blob), "echo 'token = not-a-real-one' | git hash-object -w --stdin");
	n = tree_entry(buf, "100644", "secret.txt", 10, blob);
	fx_object(fx, "tree", buf, n, tree);
	for (size_t i = 0; i < depth; i++) {
		n = tree_entry(buf, "40000", "d", 1, tree);
		fx_object(fx, "tree", buf, n, tree);
	}
	raw_commit(fx, commit, "tree %s\nparent %s\n" AUTHOR COMMITTER "\ndeep\n", tree, parent);
}

/* Trees are descended PG_WALK_MAX_TREE_DEPTH deep, git's own limit; the tree
 * below is malformed and not read: a pushed tree nested tens of thousands
 * deep ran the hook out of stack before. */
static void test_tree_depth_limit(void **state)
{
	struct repo_fx *fx = *state;
	char c0[41], at_limit[41], past[41];
	const struct pg_commit *c;

	fx_write_file(fx, "a.txt", "base\n");
	fx_commit(fx, "C0", c0);
	deep_commit(fx, c0, PG_WALK_MAX_TREE_DEPTH, at_limit);
	deep_commit(fx, at_limit, PG_WALK_MAX_TREE_DEPTH + 5, past);

	fx_update(fx, "refs/heads/main", c0, past);
	fx_run_ok(fx, true);
	assert_int_equal(fx->walk.n, 2);
	/* at the limit: read, the file listed at its full path */
	c = find_commit(fx, at_limit);
	assert_int_equal(c->nbad, 0);
	assert_int_equal(c->nfiles, 1);
	assert_int_equal(strlen(c->files[0].path), 2 * PG_WALK_MAX_TREE_DEPTH + strlen("secret.txt"));
	/* past it: the tree at depth 4097 is malformed, named by the start of its path */
	c = find_commit(fx, past);
	assert_int_equal(c->nbad, 1);
	assert_string_equal(c->bad[0].type, "tree");
	assert_non_null(strstr(c->bad[0].what, "4097 directories deep"));
	assert_non_null(strstr(c->bad[0].path, "d/d/d/"));
	assert_int_equal(strlen(c->bad[0].path), 203); /* 200 bytes and "..." */
	assert_non_null(c->bad[0].fix);
	assert_int_equal(c->nfiles, 0);
}

/* A mode git reads as a gitlink (anything not a file, symlink or directory):
 * its object need not exist, as git never reads it. */
static void test_odd_mode_is_a_gitlink(void **state)
{
	struct repo_fx *fx = *state;
	char buf[256], c0[41], tree[41], commit[41];
	const struct pg_added_file *f;
	size_t n;

	fx_write_file(fx, "a.txt", "base\n");
	fx_commit(fx, "C0", c0);
	n = tree_entry(buf, "20000", "dev", 3, "deadbeefdeadbeefdeadbeefdeadbeefdeadbeef");
	fx_object(fx, "tree", buf, n, tree);
	raw_commit(fx, commit, "tree %s\nparent %s\n" AUTHOR COMMITTER "\nodd mode\n", tree, c0);
	fx_update(fx, "refs/heads/main", c0, commit);
	fx_run_ok(fx, true);
	assert_int_equal(fx->walk.n, 1);
	assert_non_null(f = find_file(&fx->walk.commits[0], "dev"));
	assert_int_equal(f->mode, 0160000);
	assert_int_equal(f->size, -1);
	assert_int_equal(fx->walk.commits[0].nbad, 0);
}

/* A file entry naming a tree is malformed, not an internal error. */
static void test_file_entry_naming_a_tree(void **state)
{
	struct repo_fx *fx = *state;
	char buf[256], c0[41], sub[41], tree[41], commit[41];
	const struct pg_commit *c;
	size_t n;

	fx_write_file(fx, "a.txt", "base\n");
	fx_commit(fx, "C0", c0);
	fx_sh_out(fx, sub, sizeof(sub), "git write-tree");
	n = tree_entry(buf, "100644", "f", 1, sub);
	fx_object(fx, "tree", buf, n, tree);
	raw_commit(fx, commit, "tree %s\nparent %s\n" AUTHOR COMMITTER "\nwrong type\n", tree, c0);
	fx_update(fx, "refs/heads/main", c0, commit);
	fx_run_ok(fx, true);
	c = &fx->walk.commits[0];
	assert_int_equal(c->nfiles, 0);
	assert_int_equal(c->nbad, 1);
	assert_string_equal(c->bad[0].hex, sub);
	assert_string_equal(c->bad[0].what, "the entry for f names a tree, not a blob");
}

static void test_malformed_tags(void **state)
{
	struct repo_fx *fx = *state;
	char c0[41], tree[41], t1[41], t2[41], t3[41], buf[512];
	int n;

	fx_write_file(fx, "a.txt", "base\n");
	fx_commit(fx, "C0", c0);
	fx_rev(fx, "HEAD^{tree}", tree);
	n = snprintf(buf, sizeof(buf), "object %s\ntype commit\ntag v1\ntagger T t@x 1704067200 +0000\n\nbad tagger\n", c0);
	fx_object(fx, "tag", buf, (size_t)n, t1);
	n = snprintf(buf, sizeof(buf), "object %s\ntype commit\ntag v2\ntagger T <t@x> 1704067200 +0000\n\nsays commit\n", tree);
	fx_object(fx, "tag", buf, (size_t)n, t2);
	n = snprintf(buf, sizeof(buf), "type commit\ntag v3\n\nno object\n");
	fx_object(fx, "tag", buf, (size_t)n, t3);

	fx_update(fx, "refs/tags/v1", Z40, t1);
	fx_update(fx, "refs/tags/v2", Z40, t2);
	fx_update(fx, "refs/tags/v3", Z40, t3);
	fx_run_ok(fx, true);
	assert_int_equal(fx->walk.nbad_tags, 3);
	assert_string_equal(fx->walk.bad_tags[0].hex, t1);
	assert_int_equal(fx->walk.bad_tags[0].ref, 0);
	assert_string_equal(fx->walk.bad_tags[0].what, "the tagger line has no <email>");
	assert_string_equal(fx->walk.bad_tags[1].what, "it says its object is a commit, but it is a tree");
	assert_int_equal(fx->walk.bad_tags[1].ref, 1);
	assert_string_equal(fx->walk.bad_tags[2].what, "no object line");
	/* C0 is on main already; the tree v2 names is listed whole (no quarantine) */
	assert_int_equal(fx->walk.n, 1);
	assert_true(fx->walk.commits[0].synthetic);
	assert_string_equal(fx->walk.commits[0].hex, tree);

	/* peeling a tag without an object line names no commit, and is no error */
	{
		git_oid out;

		assert_int_equal(pg_walk_peel_commit(&out, fx->repo, t3, &fx->err), 1);
		assert_int_equal(pg_walk_peel_commit(&out, fx->repo, t1, &fx->err), 0);
	}
}

static void test_is_ancestor(void **state)
{
	struct repo_fx *fx = *state;
	char c0[41], c1[41], c2[41], side[41], tree[41], bad[41], top[41];
	git_oid o0, o1, o2, os, obad, otop;

	fx_write_file(fx, "a.txt", "base\n");
	fx_commit(fx, "C0", c0);
	fx_write_file(fx, "b.txt", "bee\n");
	fx_commit(fx, "C1", c1);
	fx_write_file(fx, "c.txt", "sea\n");
	fx_commit(fx, "C2", c2);
	fx_sh_out(fx, side, sizeof(side), "git commit-tree %s^{tree} -p %s -m side", c1, c0);
	fx_rev(fx, "HEAD^{tree}", tree);
	raw_commit(fx, bad, "tree %s\nparent %s\n" COMMITTER "\nno author\n", tree, c2);
	fx_sh_out(fx, top, sizeof(top), "git commit-tree %s -p %s -m top", tree, bad);
	fx_open_repo(fx);
	git_oid_fromstr(&o0, c0);
	git_oid_fromstr(&o1, c1);
	git_oid_fromstr(&o2, c2);
	git_oid_fromstr(&os, side);
	git_oid_fromstr(&obad, bad);
	git_oid_fromstr(&otop, top);
	assert_int_equal(pg_walk_is_ancestor(fx->repo, &o0, &o2, 0, &fx->err), 1);
	assert_int_equal(pg_walk_is_ancestor(fx->repo, &o2, &o2, 0, &fx->err), 1);
	assert_int_equal(pg_walk_is_ancestor(fx->repo, &o2, &o0, 0, &fx->err), 0);
	assert_int_equal(pg_walk_is_ancestor(fx->repo, &os, &o2, 0, &fx->err), 0);
	assert_int_equal(pg_walk_is_ancestor(fx->repo, &o2, &os, 0, &fx->err), 0);
	assert_int_equal(pg_walk_is_ancestor(fx->repo, &o0, &os, 0, &fx->err), 1);
	/* through a commit libgit2 cannot parse */
	assert_int_equal(pg_walk_is_ancestor(fx->repo, &o1, &otop, 0, &fx->err), 1);
	assert_int_equal(pg_walk_is_ancestor(fx->repo, &obad, &otop, 0, &fx->err), 1);
	assert_int_equal(pg_walk_is_ancestor(fx->repo, &otop, &obad, 0, &fx->err), 0);
	/* a deadline already past */
	assert_int_equal(pg_walk_is_ancestor(fx->repo, &o0, &otop, pg_clock_ms() - 1, &fx->err), PG_ETIMEOUT);
}

/* pushguard scan's walk: every ref, also those naming trees and blobs. */
static void test_history_with_trees_blobs_and_malformed(void **state)
{
	struct repo_fx *fx = *state;
	char c0[41], c1[41], tree[41], blob[41], bad[41];
	const struct pg_commit *c;
	size_t synthetic = 0;

	fx_write_file(fx, "a.txt", "base\n");
	fx_commit(fx, "C0", c0);
	fx_write_file(fx, "b.txt", "bee\n");
	fx_commit(fx, "C1", c1);
	fx_rev(fx, "HEAD^{tree}", tree);
	raw_commit(fx, bad, "tree %s\nparent %s\nauthor A <a@x> 1704067200 +0000\n\nno committer\n", tree, c1);
	fx_sh(fx, "git update-ref refs/heads/main %s", bad);
	fx_sh_out(fx, blob, sizeof(blob), "echo loose | git hash-object -w --stdin");
	fx_sh(fx, "git update-ref refs/tags/tree %s && git update-ref refs/blobs/one %s && "
		  "git tag -a blobtag -m 'a blob' %s", tree, blob, blob);
	fx_open_repo(fx);
	pg_walk_release(&fx->walk);
	assert_int_equal(pg_walk_history(&fx->walk, fx->repo, NULL, &fx->err), PG_OK);
	for (size_t i = 0; i < fx->walk.n; i++)
		synthetic += fx->walk.commits[i].synthetic;
	assert_int_equal(fx->walk.n - synthetic, 3);
	assert_int_equal(synthetic, 3); /* the tree, the blob, the tag of the blob */
	c = find_commit(fx, bad);
	assert_int_equal(c->nbad, 1);
	assert_string_equal(c->bad[0].what, "no committer line");
	c = find_commit(fx, tree);
	assert_true(c->synthetic);
	assert_int_equal(c->nfiles, 2);
	c = find_commit(fx, blob);
	assert_true(c->synthetic);
	assert_int_equal(c->nfiles, 1);

	/* a range: C1 only */
	pg_walk_release(&fx->walk);
	{
		char range[100];

		snprintf(range, sizeof(range), "%s..%s", c0, c1);
		assert_int_equal(pg_walk_history(&fx->walk, fx->repo, range, &fx->err), PG_OK);
	}
	assert_int_equal(fx->walk.n, 1);
	assert_string_equal(fx->walk.commits[0].hex, c1);
	assert_string_equal(fx->walk.commits[0].files[0].path, "b.txt");
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
		T(test_octopus_merges),
		T(test_file_and_directory_swap),
		T(test_merge_with_existing_side),
		T(test_tag_of_tree_and_blob),
		T(test_annotated_tag_of_new_commit),
		T(test_submodule_gitlink),
		T(test_peel_commit),
		T(test_missing_object_is_an_error),
		T(test_deadline_stops_the_walk),
		T(test_many_commits_listed_in_parallel),
		T(test_hide_saved_tips),
		T(test_scope_existing_commit_enters),
		T(test_scope_already_in_scope),
		T(test_scope_merge_brings_topic),
		T(test_scope_after_landing),
		T(test_malformed_commit_in_push),
		T(test_other_headers_kept),
		T(test_raw_text_kept),
		T(test_malformed_history_is_walked),
		T(test_malformed_trees_in_push),
		T(test_tree_depth_limit),
		T(test_odd_mode_is_a_gitlink),
		T(test_file_entry_naming_a_tree),
		T(test_malformed_tags),
		T(test_is_ancestor),
		T(test_history_with_trees_blobs_and_malformed),
	};
#undef T

	return cmocka_run_group_tests_name("walk", tests, repo_fx_group_setup, repo_fx_group_teardown);
}
