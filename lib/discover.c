#include "discover.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <git2.h>

#include "buf.h"

bool pg_is_bare_repo(const char *dir)
{
	git_repository *repo = NULL;
	bool bare;

	if (git_repository_open_ext(&repo, dir, GIT_REPOSITORY_OPEN_NO_SEARCH, NULL) < 0)
		return false;
	bare = git_repository_is_bare(repo);
	git_repository_free(repo);
	return bare;
}

/* dir/name is a kind of file (S_IFREG, S_IFDIR), following links as git does. */
static bool has(struct pg_buf *path, const char *dir, const char *name, mode_t type)
{
	struct stat st;

	pg_buf_reset(path);
	pg_buf_addf(path, "%s/%s", dir, name);
	return !pg_buf_failed(path) && stat(path->ptr, &st) == 0 && (st.st_mode & S_IFMT) == type;
}

static bool looks_like_repo(struct pg_buf *scratch, const char *dir)
{
	return has(scratch, dir, "HEAD", S_IFREG) && has(scratch, dir, "objects", S_IFDIR) &&
	       has(scratch, dir, "refs", S_IFDIR);
}

static int walk(struct pg_strvec *out, const char *dir, struct pg_error *err)
{
	struct pg_buf scratch = PG_BUF_INIT, sub = PG_BUF_INIT;
	struct dirent *de;
	DIR *d = NULL;
	size_t dirlen = strlen(dir);
	int ret = 0;

	if (looks_like_repo(&scratch, dir)) {
		if (pg_is_bare_repo(dir) && pg_strvec_push(out, dir) < 0)
			ret = pg_error_oom(err);
		goto done;
	}
	if (!(d = opendir(dir)))
		goto done; /* unreadable: skipped */
	while ((de = readdir(d))) {
		struct stat st;

		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		pg_buf_reset(&sub);
		pg_buf_addf(&sub, "%s%s%s", dir, dirlen && dir[dirlen - 1] == '/' ? "" : "/", de->d_name);
		if (pg_buf_failed(&sub)) {
			ret = pg_error_oom(err);
			goto done;
		}
		if (lstat(sub.ptr, &st) < 0 || !S_ISDIR(st.st_mode))
			continue; /* files, and symbolic links (lstat) */
		if ((ret = walk(out, sub.ptr, err)) < 0)
			goto done;
	}
done:
	if (d)
		closedir(d);
	pg_buf_release(&scratch);
	pg_buf_release(&sub);
	return ret;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int pg_discover_bare_repos(struct pg_strvec *out, const char *dir, struct pg_error *err)
{
	size_t first = out->n;
	int ret = walk(out, dir, err);

	if (ret == 0 && out->n - first > 1)
		qsort(out->v + first, out->n - first, sizeof(*out->v), cmp_str);
	return ret;
}
