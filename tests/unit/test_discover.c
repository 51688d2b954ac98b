/* Unit tests for lib/discover.c: every bare repository under a directory, in
 * path order; work trees, symbolic links and repositories inside repositories
 * are not reported; the directory itself may be the one repository. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <git2.h>

#include "discover.h"
#include "repo.h"

struct fx {
	char dir[64];
};

static int setup(void **state)
{
	struct pg_error err = PG_ERROR_INIT;
	struct fx *fx = calloc(1, sizeof(*fx));

	if (!fx || pg_repo_global_init(&err) < 0)
		return -1;
	snprintf(fx->dir, sizeof(fx->dir), "/tmp/pg-unit-discover.XXXXXX");
	if (!mkdtemp(fx->dir))
		return -1;
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fx *fx = *state;
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", fx->dir);
	if (system(cmd) != 0)
		return -1;
	free(fx);
	git_libgit2_shutdown();
	return 0;
}

static const char *at(struct fx *fx, const char *rel)
{
	static char path[4][256];
	static int i;

	i = (i + 1) % 4;
	snprintf(path[i], sizeof(path[i]), "%s/%s", fx->dir, rel);
	return path[i];
}

static void init_repo(struct fx *fx, const char *rel, bool bare)
{
	git_repository *repo = NULL;
	git_repository_init_options o = GIT_REPOSITORY_INIT_OPTIONS_INIT;

	o.flags = GIT_REPOSITORY_INIT_MKPATH | (bare ? GIT_REPOSITORY_INIT_BARE : 0);
	assert_int_equal(git_repository_init_ext(&repo, at(fx, rel), &o), 0);
	git_repository_free(repo);
}

static void mkdirs(struct fx *fx, const char *rel)
{
	char cmd[320];

	snprintf(cmd, sizeof(cmd), "mkdir -p '%s'", at(fx, rel));
	assert_int_equal(system(cmd), 0);
}

/* ./fleet: alpha.git, team/beta.git, team/gamma.git (bare); a work tree; a
 * symbolic link to alpha.git; a bare repository inside alpha.git; a directory
 * shaped like a repository that is none. */
static void make_fleet(struct fx *fx)
{
	FILE *fp;

	init_repo(fx, "fleet/team/gamma.git", true);
	init_repo(fx, "fleet/alpha.git", true);
	init_repo(fx, "fleet/team/beta.git", true);
	init_repo(fx, "fleet/worktree", false);
	init_repo(fx, "fleet/alpha.git/inner.git", true);
	assert_int_equal(symlink(at(fx, "fleet/alpha.git"), at(fx, "fleet/link.git")), 0);
	mkdirs(fx, "fleet/fake.git/objects");
	mkdirs(fx, "fleet/fake.git/refs");
	mkdirs(fx, "fleet/fake.git/sub.git");
	init_repo(fx, "fleet/fake.git/sub.git", true); /* inside something repository-shaped: not looked at */
	assert_non_null(fp = fopen(at(fx, "fleet/fake.git/HEAD"), "w"));
	fputs("not a ref\n", fp);
	fclose(fp);
}

static void finds_every_bare_repo_in_order(void **state)
{
	struct fx *fx = *state;
	struct pg_error err = PG_ERROR_INIT;
	struct pg_strvec out = PG_STRVEC_INIT;

	make_fleet(fx);
	assert_int_equal(pg_discover_bare_repos(&out, at(fx, "fleet"), &err), 0);
	assert_int_equal(out.n, 3);
	assert_string_equal(out.v[0], at(fx, "fleet/alpha.git"));
	assert_string_equal(out.v[1], at(fx, "fleet/team/beta.git"));
	assert_string_equal(out.v[2], at(fx, "fleet/team/gamma.git"));
	pg_strvec_release(&out);
}

static void trailing_slash_not_doubled(void **state)
{
	struct fx *fx = *state;
	struct pg_error err = PG_ERROR_INIT;
	struct pg_strvec out = PG_STRVEC_INIT;

	init_repo(fx, "fleet/one.git", true);
	assert_int_equal(pg_discover_bare_repos(&out, at(fx, "fleet/"), &err), 0);
	assert_int_equal(out.n, 1);
	assert_string_equal(out.v[0], at(fx, "fleet/one.git"));
	pg_strvec_release(&out);
}

static void appends_after_what_is_there(void **state)
{
	struct fx *fx = *state;
	struct pg_error err = PG_ERROR_INIT;
	struct pg_strvec out = PG_STRVEC_INIT;

	init_repo(fx, "a/z.git", true);
	init_repo(fx, "b/y.git", true);
	assert_int_equal(pg_strvec_push(&out, "given"), 0);
	assert_int_equal(pg_discover_bare_repos(&out, at(fx, "b"), &err), 0);
	assert_int_equal(pg_discover_bare_repos(&out, at(fx, "a"), &err), 0);
	assert_int_equal(out.n, 3);
	assert_string_equal(out.v[0], "given");
	assert_string_equal(out.v[1], at(fx, "b/y.git"));
	assert_string_equal(out.v[2], at(fx, "a/z.git"));
	pg_strvec_release(&out);
}

static void dir_itself_is_the_repo(void **state)
{
	struct fx *fx = *state;
	struct pg_error err = PG_ERROR_INIT;
	struct pg_strvec out = PG_STRVEC_INIT;

	init_repo(fx, "solo.git", true);
	init_repo(fx, "solo.git/nested.git", true);
	assert_int_equal(pg_discover_bare_repos(&out, at(fx, "solo.git"), &err), 0);
	assert_int_equal(out.n, 1);
	assert_string_equal(out.v[0], at(fx, "solo.git"));
	pg_strvec_release(&out);
}

static void empty_or_missing_dir_finds_nothing(void **state)
{
	struct fx *fx = *state;
	struct pg_error err = PG_ERROR_INIT;
	struct pg_strvec out = PG_STRVEC_INIT;

	mkdirs(fx, "empty");
	init_repo(fx, "onlywork", false);
	assert_int_equal(pg_discover_bare_repos(&out, at(fx, "empty"), &err), 0);
	assert_int_equal(pg_discover_bare_repos(&out, at(fx, "nope"), &err), 0);
	assert_int_equal(pg_discover_bare_repos(&out, at(fx, "onlywork"), &err), 0);
	assert_int_equal(out.n, 0);
	pg_strvec_release(&out);
}

static void is_bare_repo(void **state)
{
	struct fx *fx = *state;

	init_repo(fx, "b.git", true);
	init_repo(fx, "w", false);
	assert_true(pg_is_bare_repo(at(fx, "b.git")));
	assert_false(pg_is_bare_repo(at(fx, "w")));
	assert_false(pg_is_bare_repo(at(fx, "w/.git")));
	assert_false(pg_is_bare_repo(at(fx, "nope.git")));
	assert_false(pg_is_bare_repo(fx->dir));
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(finds_every_bare_repo_in_order),
		T(trailing_slash_not_doubled),
		T(appends_after_what_is_there),
		T(dir_itself_is_the_repo),
		T(empty_or_missing_dir_finds_nothing),
		T(is_bare_repo),
	};
#undef T
	return cmocka_run_group_tests(tests, NULL, NULL);
}
