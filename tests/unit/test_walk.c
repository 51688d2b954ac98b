/* Unit tests for lib/walk.c: the one walk over what a push adds, on real
 * repositories built with the git CLI. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

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

	return cmocka_run_group_tests_name("walk", tests, repo_fx_group_setup, repo_fx_group_teardown);
}
