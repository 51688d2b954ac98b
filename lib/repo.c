#include "repo.h"

#include <git2/sys/stream.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* pushguard opens no TLS connection through libgit2 (lib/libgit2_no_net.c
 * skips its TLS set-up): any attempt fails here, with this message. */
static int tls_refused(void)
{
	git_error_set_str(GIT_ERROR_SSL, "pushguard opens no TLS connections through libgit2");
	return -1;
}

static int tls_refuse_init(git_stream **out, const char *host, const char *port)
{
	(void)host;
	(void)port;
	*out = NULL;
	return tls_refused();
}

static int tls_refuse_wrap(git_stream **out, git_stream *in, const char *host)
{
	(void)in;
	(void)host;
	*out = NULL;
	return tls_refused();
}

int pg_repo_global_init(struct pg_error *err)
{
	git_stream_registration tls = { GIT_STREAM_VERSION, tls_refuse_init, tls_refuse_wrap };

	if (git_libgit2_init() < 0)
		return pg_error_git(err, "cannot initialise libgit2");
	if (git_stream_register(GIT_STREAM_TLS, &tls) < 0)
		return pg_error_git(err, "cannot configure libgit2");
	/* libgit2 re-hashes every object it reads (SHA-1 with collision
	 * detection): 60% of the time to read a history's blobs. git itself does
	 * not: the pushed objects were hashed by index-pack or unpack-objects when
	 * they arrived, as was everything already on the server. */
	if (git_libgit2_opts(GIT_OPT_SET_OWNER_VALIDATION, 0) < 0 ||
	    git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, 0) < 0)
		return pg_error_git(err, "cannot configure libgit2");
	/* libgit2 maps packs in 1 GiB windows, up to 8 GiB, and never unmaps
	 * one it is not short of: every page of a pack it read stays resident, so
	 * that a process reading a whole history grows as large as the pack.
	 * Bounded, least recently used windows are unmapped first. */
	if (git_libgit2_opts(GIT_OPT_SET_MWINDOW_SIZE, PG_REPO_MWINDOW_SIZE) < 0 ||
	    git_libgit2_opts(GIT_OPT_SET_MWINDOW_MAPPED_LIMIT, PG_REPO_MWINDOW_MAPPED_LIMIT) < 0)
		return pg_error_git(err, "cannot configure libgit2");
	/* Its object cache keeps every commit and tree a walk reads, up to 256
	 * MiB: a push of curl's history (39,000 commits) grew the hook to 450 MB
	 * of heap. The walk reads each object about once; blobs are read from the
	 * packs directly (packread.h). */
	if (git_libgit2_opts(GIT_OPT_SET_CACHE_MAX_SIZE, (ssize_t)PG_REPO_CACHE_MAX) < 0)
		return pg_error_git(err, "cannot configure libgit2");
	return 0;
}

int pg_repo_open(git_repository **out, const char *path, struct pg_error *err)
{
	*out = NULL;
	if (path) {
		if (git_repository_open_ext(out, path, GIT_REPOSITORY_OPEN_NO_SEARCH, NULL) < 0)
			return pg_error_git(err, "cannot open repository %s", path);
		return 0;
	}
	if (getenv("GIT_DIR") || getenv("GIT_OBJECT_DIRECTORY")) {
		if (git_repository_open_ext(out, NULL, GIT_REPOSITORY_OPEN_FROM_ENV, NULL) < 0)
			return pg_error_git(err, "cannot open the repository named by GIT_DIR");
		return 0;
	}
	if (git_repository_open_ext(out, ".", 0, NULL) < 0)
		return pg_error_git(err, "cannot open a repository at or above the current directory");
	return 0;
}

char *pg_repo_config_path(git_repository *repo)
{
	const char *dir = git_repository_commondir(repo);
	size_t n = strlen(dir) + sizeof("config") + 1;
	char *path = malloc(n);

	if (path)
		snprintf(path, n, "%s%sconfig", dir, dir[0] && dir[strlen(dir) - 1] == '/' ? "" : "/");
	return path;
}
