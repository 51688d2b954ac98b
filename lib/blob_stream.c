#include "blob_stream.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "build-config.h"

extern char **environ;

static int spawn_cat_file(struct pg_blob_stream *s, git_repository *repo, struct pg_error *err)
{
	char gitdir[4200], git[] = "git", cat_file[] = "cat-file", blob[] = "blob";
	char *argv[] = { git, gitdir, cat_file, blob, s->hex, NULL };
	posix_spawn_file_actions_t fa;
	int fds[2], rc;

	snprintf(gitdir, sizeof(gitdir), "--git-dir=%s", git_repository_path(repo));
	if (pipe2(fds, O_CLOEXEC) < 0)
		return pg_error_set(err, PG_ERR, "cannot read blob %s: pipe: %s", s->hex, strerror(errno));
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_adddup2(&fa, fds[1], 1);
	posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
	/* by the path fixed at build time: a PATH set by whoever runs the hook picks no other program */
	rc = posix_spawn(&s->pid, PG_GIT_PATH, &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	close(fds[1]);
	if (rc != 0) {
		close(fds[0]);
		s->pid = 0;
		return pg_error_set(err, PG_ERR, "cannot read blob %s: cannot run %s: %s", s->hex,
				    PG_GIT_PATH, strerror(rc));
	}
	s->fd = fds[0];
	return 0;
}

int pg_blob_stream_open(struct pg_blob_stream *s, git_repository *repo, const git_oid *oid,
			struct pg_error *err)
{
	git_odb *odb = NULL;
	git_object_t type;
	size_t len;
	int ret = PG_ERR;

	*s = (struct pg_blob_stream)PG_BLOB_STREAM_INIT;
	git_oid_tostr(s->hex, sizeof(s->hex), oid);
	if (git_repository_odb(&odb, repo) < 0 || git_odb_read_header(&len, &type, odb, oid) < 0) {
		ret = pg_error_git(err, "cannot read blob %s", s->hex);
		goto out;
	}
	if (type != GIT_OBJECT_BLOB) {
		ret = pg_error_set(err, PG_ERR, "object %s is not a blob", s->hex);
		goto out;
	}
	s->size = len;
	if (git_odb_open_rstream(&s->odb, &len, &type, odb, oid) == 0) {
		ret = 0;
		goto out;
	}
	git_error_clear();  /* packed: libgit2 has no stream for it */
	s->odb = NULL;
	ret = spawn_cat_file(s, repo, err);
out:
	git_odb_free(odb);
	return ret;
}

static ssize_t read_child(struct pg_blob_stream *s, char *buf, size_t n, struct pg_error *err)
{
	ssize_t got;

	do
		got = read(s->fd, buf, n);
	while (got < 0 && errno == EINTR);
	if (got < 0)
		return pg_error_set(err, PG_ERR, "cannot read blob %s from git cat-file: %s", s->hex,
				    strerror(errno));
	if (got == 0 && s->done == s->size) {
		int status;

		close(s->fd);
		s->fd = -1;
		while (waitpid(s->pid, &status, 0) < 0 && errno == EINTR)
			;
		s->pid = 0;
		if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
			return pg_error_set(err, PG_ERR, "git cat-file could not read blob %s", s->hex);
	}
	return got;
}

ssize_t pg_blob_stream_read(struct pg_blob_stream *s, char *buf, size_t n, struct pg_error *err)
{
	ssize_t got;

	if (s->done == s->size) {
		if (s->fd >= 0) {
			char extra;

			got = read_child(s, &extra, 1, err);
			if (got < 0)
				return got;
			if (got > 0)
				return pg_error_set(err, PG_ERR, "blob %s is longer than its header says", s->hex);
		}
		return 0;
	}
	if (n > s->size - s->done)
		n = (size_t)(s->size - s->done);
	if (s->odb) {
		int rc = git_odb_stream_read(s->odb, buf, n);

		if (rc < 0)
			return pg_error_git(err, "cannot read blob %s", s->hex);
		got = rc;
	} else {
		got = read_child(s, buf, n, err);
		if (got < 0)
			return got;
	}
	if (got == 0)
		return pg_error_set(err, PG_ERR, "blob %s ends before the size its header says", s->hex);
	s->done += (uint64_t)got;
	return got;
}

void pg_blob_stream_close(struct pg_blob_stream *s)
{
	git_odb_stream_free(s->odb);
	if (s->fd >= 0)
		close(s->fd);
	if (s->pid > 0) {
		kill(s->pid, SIGTERM);
		while (waitpid(s->pid, NULL, 0) < 0 && errno == EINTR)
			;
	}
	*s = (struct pg_blob_stream)PG_BLOB_STREAM_INIT;
}
