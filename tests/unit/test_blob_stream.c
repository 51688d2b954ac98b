/* Unit tests for lib/blob_stream.c: a blob read in pieces, loose (libgit2's
 * stream) and packed (git cat-file through a pipe, git by its build-time
 * path, never from PATH), is the blob. */
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

#include "blob_stream.h"
#include "repo.h"

struct fx {
	char dir[64];
	char *data;
	size_t len;
	git_oid blob, tree;
	git_repository *repo;
	struct pg_error err;
};

static int sh(const char *dir, const char *cmd)
{
	char line[512];

	snprintf(line, sizeof(line), "cd '%s' && %s >/dev/null 2>&1", dir, cmd);
	return system(line);
}

static int setup(void **state)
{
	struct fx *fx = calloc(1, sizeof(*fx));
	char path[128];
	FILE *fp;

	if (!fx || pg_repo_global_init(&fx->err) < 0)
		return -1;
	strcpy(fx->dir, "/tmp/pg-blobstream-XXXXXX");
	if (!mkdtemp(fx->dir) || sh(fx->dir, "git init -q --bare repo.git") != 0)
		return -1;
	fx->len = (3 << 20) + 12345; /* several pipe buffers and stream reads */
	if (!(fx->data = malloc(fx->len)))
		return -1;
	srand((unsigned)getpid());
	for (size_t i = 0; i < fx->len; i++)
		fx->data[i] = (char)(i % 61 == 60 ? '\n' : 'a' + rand() % 26);
	snprintf(path, sizeof(path), "%s/big.txt", fx->dir);
	if (!(fp = fopen(path, "w")) || fwrite(fx->data, 1, fx->len, fp) != fx->len)
		return -1;
	fclose(fp);
	snprintf(path, sizeof(path), "%s/repo.git", fx->dir);
	if (pg_repo_open(&fx->repo, path, &fx->err) < 0)
		return -1;
	if (git_blob_create_from_buffer(&fx->blob, fx->repo, fx->data, fx->len) < 0)
		return -1;
	{
		git_treebuilder *tb = NULL;

		if (git_treebuilder_new(&tb, fx->repo, NULL) < 0 ||
		    git_treebuilder_insert(NULL, tb, "big.txt", &fx->blob, GIT_FILEMODE_BLOB) < 0 ||
		    git_treebuilder_write(&fx->tree, tb) < 0)
			return -1;
		git_treebuilder_free(tb);
	}
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fx *fx = *state;
	char cmd[128];

	git_repository_free(fx->repo);
	free(fx->data);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", fx->dir);
	if (system(cmd) != 0)
		return -1;
	free(fx);
	return 0;
}

static void read_all_and_compare(struct fx *fx)
{
	struct pg_blob_stream s;
	char *got = malloc(fx->len + 1);
	size_t at = 0;
	ssize_t n;

	assert_non_null(got);
	assert_int_equal(pg_blob_stream_open(&s, fx->repo, &fx->blob, &fx->err), 0);
	assert_int_equal(s.size, fx->len);
	do {
		size_t want = 70000 + (size_t)rand() % 100000; /* room for one byte too many */

		if (want > fx->len + 1 - at)
			want = fx->len + 1 - at;
		if ((n = pg_blob_stream_read(&s, got + at, want, &fx->err)) > 0)
			at += (size_t)n;
	} while (n > 0);
	assert_int_equal(n, 0);
	assert_int_equal(at, fx->len);
	assert_memory_equal(got, fx->data, fx->len);
	pg_blob_stream_close(&s);
	free(got);
}

static void test_loose_blob_streams_in_process(void **state)
{
	struct fx *fx = *state;
	struct pg_blob_stream s;

	assert_int_equal(pg_blob_stream_open(&s, fx->repo, &fx->blob, &fx->err), 0);
	assert_non_null(s.odb);
	assert_int_equal(s.pid, 0);
	pg_blob_stream_close(&s);
	read_all_and_compare(fx);
}

static void test_packed_blob_streams_from_git(void **state)
{
	struct fx *fx = *state;
	struct pg_blob_stream s;
	char cmd[256];

	/* pack the blob (kept alive by a tag of the tree), drop the loose copy */
	snprintf(cmd, sizeof(cmd), "cd repo.git && git tag t %s && git repack -qad && git prune-packed",
		 git_oid_tostr_s(&fx->tree));
	assert_int_equal(sh(fx->dir, cmd), 0);
	git_repository_free(fx->repo);
	snprintf(cmd, sizeof(cmd), "%s/repo.git", fx->dir);
	assert_int_equal(pg_repo_open(&fx->repo, cmd, &fx->err), 0);
	assert_int_equal(pg_blob_stream_open(&s, fx->repo, &fx->blob, &fx->err), 0);
	assert_null(s.odb);
	assert_true(s.pid > 0);
	pg_blob_stream_close(&s); /* closed early: the child is ended, not left behind */
	read_all_and_compare(fx);
}

/* git is run by the path fixed at build time: a `git` earlier in PATH is never run */
static void test_git_not_looked_up_in_path(void **state)
{
	struct fx *fx = *state;
	char cmd[256], bin[128], marker[128], *old = getenv("PATH") ? strdup(getenv("PATH")) : NULL;
	FILE *fp;

	snprintf(cmd, sizeof(cmd), "cd repo.git && git tag -f t %s && git repack -qad && git prune-packed",
		 git_oid_tostr_s(&fx->tree));
	assert_int_equal(sh(fx->dir, cmd), 0);
	git_repository_free(fx->repo);
	snprintf(cmd, sizeof(cmd), "%s/repo.git", fx->dir);
	assert_int_equal(pg_repo_open(&fx->repo, cmd, &fx->err), 0);
	/* an impostor that would say the blob is empty and leave a mark */
	snprintf(bin, sizeof(bin), "%s/bin", fx->dir);
	snprintf(marker, sizeof(marker), "%s/impostor-ran", fx->dir);
	assert_int_equal(mkdir(bin, 0700), 0);
	snprintf(cmd, sizeof(cmd), "%s/git", bin);
	assert_non_null(fp = fopen(cmd, "w"));
	fprintf(fp, "#!/bin/sh\ntouch '%s'\nexit 0\n", marker);
	fclose(fp);
	assert_int_equal(chmod(cmd, 0755), 0);
	setenv("PATH", bin, 1);
	read_all_and_compare(fx);
	if (old)
		setenv("PATH", old, 1);
	free(old);
	assert_int_equal(access(marker, F_OK), -1);
}

static void test_missing_or_wrong_object_named(void **state)
{
	struct fx *fx = *state;
	struct pg_blob_stream s;
	git_oid missing;

	assert_int_equal(git_oid_fromstr(&missing, "0123456789abcdef0123456789abcdef01234567"), 0);
	assert_true(pg_blob_stream_open(&s, fx->repo, &missing, &fx->err) < 0);
	assert_non_null(strstr(fx->err.msg, "0123456789abcdef0123456789abcdef01234567"));
	pg_blob_stream_close(&s);
	assert_true(pg_blob_stream_open(&s, fx->repo, &fx->tree, &fx->err) < 0);
	assert_non_null(strstr(fx->err.msg, "is not a blob"));
	pg_blob_stream_close(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_loose_blob_streams_in_process),
		cmocka_unit_test(test_packed_blob_streams_from_git),
		cmocka_unit_test(test_missing_or_wrong_object_named),
		cmocka_unit_test(test_git_not_looked_up_in_path),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
