/* Finding the bare repositories of a server: what `pushguard install --all DIR`
 * and `pushguard check --all DIR` both work on, found the one same way. */
#ifndef PG_DISCOVER_H
#define PG_DISCOVER_H

#include <stdbool.h>

#include "error.h"
#include "strvec.h"

/* True when dir is a bare git repository: libgit2 opens it as a repository of
 * its own (no search upwards) and says it is bare. libgit2 must be initialised
 * (pg_repo_global_init). */
bool pg_is_bare_repo(const char *dir);

/* Appends to out every bare repository at or below dir, sorted by path (byte
 * order): a directory with HEAD (a file), objects/ and refs/ (directories) that
 * pg_is_bare_repo() accepts. It does not descend into a repository it finds
 * (bare or not), nor follow a symbolic link; unreadable directories are skipped.
 * Paths are dir joined with what is below it ("dir/a.git", dir's trailing
 * slash not doubled). Returns 0, or PG_ERR when memory runs out. */
int pg_discover_bare_repos(struct pg_strvec *out, const char *dir, struct pg_error *err);

#endif
