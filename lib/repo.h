/* Opening the repository a hook or the CLI works on. */
#ifndef PG_REPO_H
#define PG_REPO_H

#include <git2.h>

#include "error.h"
#include "pushguard.h"

/* pg_repo_global_init, pg_repo_open and pg_repo_config_path: pushguard.h. */

/* libgit2 maps packs this much at a time, at most this much in all (beyond
 * it, windows not in use are unmapped): the most of the packs resident. */
#define PG_REPO_MWINDOW_SIZE ((size_t)32 << 20)
#define PG_REPO_MWINDOW_MAPPED_LIMIT ((size_t)128 << 20)
/* libgit2's object cache (commits and trees read by the walk), at most. */
#define PG_REPO_CACHE_MAX ((size_t)16 << 20)

#endif
