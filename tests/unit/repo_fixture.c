/* The scratch repository of repo_fixture.h. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "repo_fixture.h"

#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "repo.h"

int repo_fx_group_setup(void **state)
{
	struct pg_error err = PG_ERROR_INIT;

	(void)state;
	if (mkdir(REPO_FX_SCRATCH, 0700) < 0 && errno != EEXIST)
		return -1;
	/* a predictable git: no user or system config, fixed identities */
	setenv("HOME", REPO_FX_SCRATCH, 1);
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

int repo_fx_group_teardown(void **state)
{
	(void)state;
	git_libgit2_shutdown();
	return 0;
}

int repo_fx_init(struct repo_fx *fx, const char *name)
{
	memset(fx, 0, sizeof(*fx));
	fx->push = (struct pg_push)PG_PUSH_INIT;
	fx->walk = (struct pg_walk)PG_WALK_INIT;
	fx->err = (struct pg_error)PG_ERROR_INIT;
	snprintf(fx->dir, sizeof(fx->dir), REPO_FX_SCRATCH "/%s.XXXXXX", name);
	if (!mkdtemp(fx->dir)) {
		fx->dir[0] = '\0';
		return -1;
	}
	fx_sh(fx, "git init -q -b main .");
	return 0;
}

static int rm_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(path);
}

void repo_fx_release(struct repo_fx *fx)
{
	pg_strvec_release(&fx->scopes);
	pg_walk_release(&fx->walk);
	pg_push_release(&fx->push);
	git_repository_free(fx->repo);
	fx->repo = NULL;
	if (fx->dir[0])
		nftw(fx->dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

void fx_sh(const struct repo_fx *fx, const char *fmt, ...)
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

void fx_sh_out(const struct repo_fx *fx, char *out, size_t size, const char *fmt, ...)
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

void fx_rev(const struct repo_fx *fx, const char *what, char out[GIT_OID_HEXSZ + 1])
{
	char line[128];

	fx_sh_out(fx, line, sizeof(line), "git rev-parse '%s'", what);
	assert_int_equal(strlen(line), GIT_OID_HEXSZ);
	memcpy(out, line, GIT_OID_HEXSZ + 1);
}

static FILE *open_in_tree(const struct repo_fx *fx, const char *path)
{
	char full[1024];
	FILE *fp;

	snprintf(full, sizeof(full), "%s/%s", fx->dir, path);
	fp = fopen(full, "w");
	if (!fp)
		fail_msg("cannot write %s: %s", full, strerror(errno));
	return fp;
}

void fx_write_file(const struct repo_fx *fx, const char *path, const char *content)
{
	FILE *fp = open_in_tree(fx, path);

	fputs(content, fp);
	if (fclose(fp) != 0)
		fail_msg("cannot write %s/%s: %s", fx->dir, path, strerror(errno));
}

void fx_write_sized(const struct repo_fx *fx, const char *path, size_t size, char c)
{
	FILE *fp = open_in_tree(fx, path);

	for (size_t i = 0; i < size; i++)
		fputc(c, fp);
	if (fclose(fp) != 0)
		fail_msg("cannot write %s/%s: %s", fx->dir, path, strerror(errno));
}

void fx_commit(const struct repo_fx *fx, const char *msg, char out[GIT_OID_HEXSZ + 1])
{
	fx_sh(fx, "git add -A && git commit -q --allow-empty -m '%s'", msg);
	fx_rev(fx, "HEAD", out);
}

void fx_open_repo(struct repo_fx *fx)
{
	struct pg_error err = PG_ERROR_INIT;

	git_repository_free(fx->repo);
	fx->repo = NULL;
	if (pg_repo_open(&fx->repo, fx->dir, &err) < 0)
		fail_msg("%s", err.msg);
}

void fx_update(struct repo_fx *fx, const char *ref, const char *old, const char *new)
{
	if (pg_push_add_update(&fx->push, ref, old, new, &fx->err) < 0)
		fail_msg("%s", fx->err.msg);
}

void fx_object(struct repo_fx *fx, const char *type, const void *data, size_t len,
	       char out[GIT_OID_HEXSZ + 1])
{
	git_odb *odb = NULL;
	git_oid id;

	if (!fx->repo)
		fx_open_repo(fx);
	if (git_repository_odb(&odb, fx->repo) < 0 ||
	    git_odb_write(&id, odb, data, len, git_object_string2type(type)) < 0)
		fail_msg("cannot write a %s: %s", type, git_error_last() ? git_error_last()->message : "?");
	git_odb_free(odb);
	git_oid_tostr(out, GIT_OID_HEXSZ + 1, &id);
}

void fx_scope(struct repo_fx *fx, const char *glob)
{
	if (pg_strvec_push(&fx->scopes, glob) < 0)
		fail_msg("out of memory");
}

int fx_run(struct repo_fx *fx, bool with_files)
{
	if (!fx->repo)
		fx_open_repo(fx);
	pg_walk_release(&fx->walk);
	for (size_t i = 0; i < fx->scopes.n; i++) {
		struct pg_strvec one = PG_STRVEC_INIT;
		int rc;

		if (pg_strvec_push(&one, fx->scopes.v[i]) < 0)
			fail_msg("out of memory");
		rc = pg_walk_add_scope(&fx->walk, &one, &fx->err);
		pg_strvec_release(&one);
		if (rc < 0)
			return rc;
	}
	return pg_walk_run(&fx->walk, fx->repo, &fx->push, with_files, &fx->err);
}

void fx_run_ok(struct repo_fx *fx, bool with_files)
{
	int rc = fx_run(fx, with_files);

	if (rc != PG_OK)
		fail_msg("pg_walk_run returned %d: %s", rc, fx->err.msg);
}
