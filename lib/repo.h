/* Opening the repository a hook or the CLI works on. */
#ifndef PG_REPO_H
#define PG_REPO_H

#include <git2.h>

#include "error.h"

/* Initialises libgit2 once per process. Owner validation is off: git itself
 * already chose to run the hook in this repository, and pushguard never runs
 * commands named by a repository's config. Objects are not re-hashed on read:
 * git hashed them when they arrived (see repo.c). */
int pg_repo_global_init(struct pg_error *err);
/* libgit2 maps packs this much at a time, at most this much in all (beyond
 * it, windows not in use are unmapped): the most of the packs resident. */
#define PG_REPO_MWINDOW_SIZE ((size_t)32 << 20)
#define PG_REPO_MWINDOW_MAPPED_LIMIT ((size_t)128 << 20)

/* path NULL: the hook's repository, from GIT_DIR and with the quarantined
 * objects of a push in progress visible (GIT_OBJECT_DIRECTORY,
 * GIT_ALTERNATE_OBJECT_DIRECTORIES). Otherwise the repository at path.
 * Caller frees *out with git_repository_free(). */
int pg_repo_open(git_repository **out, const char *path, struct pg_error *err);

/* The repository's own config file path ("<gitdir>/config"); caller frees. */
char *pg_repo_config_path(git_repository *repo);

#endif
