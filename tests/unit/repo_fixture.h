/* A scratch repository for the unit tests that walk a push (test_walk.c,
 * test_check.c): a work tree under REPO_FX_SCRATCH built with the git CLI
 * (no user or system config, fixed identities and dates), opened with
 * libgit2, and a push to walk over it.
 *
 * A test file calls repo_fx_group_setup/teardown once (cmocka group), and
 * repo_fx_init/release around every test. The fx_* helpers fail the current
 * test (cmocka fail_msg) when a command or a file write fails. */
#ifndef PG_TEST_REPO_FIXTURE_H
#define PG_TEST_REPO_FIXTURE_H

#include <stdbool.h>
#include <stddef.h>

#include <git2.h>

#include "error.h"
#include "push.h"
#include "walk.h"

#define REPO_FX_SCRATCH "/tmp/pg-unit"
#define Z40 "0000000000000000000000000000000000000000"

struct repo_fx {
	char dir[256];        /* the work tree (and its .git) */
	git_repository *repo; /* NULL until fx_open_repo() or the first walk */
	struct pg_push push;  /* the ref updates fx_update() adds */
	struct pg_walk walk;  /* the last fx_run() */
	struct pg_error err;  /* the last error of update or walk */
	struct pg_strvec scopes; /* fx_scope(): one scope of one glob each, given to every walk */
};

/* cmocka group setup: creates REPO_FX_SCRATCH, points git at fixed identities
 * and dates and away from every user and system config, starts libgit2. */
int repo_fx_group_setup(void **state);
/* cmocka group teardown: shuts libgit2 down. */
int repo_fx_group_teardown(void **state);

/* Makes REPO_FX_SCRATCH/NAME.XXXXXX with `git init -b main`; fx's push, walk
 * and error initialised. Returns 0, or -1 when the directory cannot be made. */
int repo_fx_init(struct repo_fx *fx, const char *name);
/* Releases the walk, the push and the repository, and removes the directory. */
void repo_fx_release(struct repo_fx *fx);

/* Runs `cd DIR && { FMT; }` through the shell, its output discarded. */
void fx_sh(const struct repo_fx *fx, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Runs `cd DIR && FMT` and stores its first output line (non-empty) in out. */
void fx_sh_out(const struct repo_fx *fx, char *out, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* The object id `what` names (git rev-parse). */
void fx_rev(const struct repo_fx *fx, const char *what, char out[GIT_OID_HEXSZ + 1]);
/* Writes PATH (relative to the work tree; its directory must exist). */
void fx_write_file(const struct repo_fx *fx, const char *path, const char *content);
/* Writes PATH as size bytes of c. */
void fx_write_sized(const struct repo_fx *fx, const char *path, size_t size, char c);
/* Commits everything in the work tree (empty commits allowed); out: its id. */
void fx_commit(const struct repo_fx *fx, const char *msg, char out[GIT_OID_HEXSZ + 1]);
/* (Re)opens fx->repo with pg_repo_open. */
void fx_open_repo(struct repo_fx *fx);
/* Adds the update REF OLD -> NEW (hex ids, Z40 for none) to fx->push. */
void fx_update(struct repo_fx *fx, const char *ref, const char *old, const char *new);
/* Writes an object of type ("commit", "tree", "tag", "blob") with exactly
 * these bytes, as `git hash-object --literally -w` does; out: its id. */
void fx_object(struct repo_fx *fx, const char *type, const void *data, size_t len,
	       char out[GIT_OID_HEXSZ + 1]);
/* From now on, every walk gets the scope made of this one ref glob. */
void fx_scope(struct repo_fx *fx, const char *glob);
/* Walks fx->push afresh (opening the repository on first use): pg_walk_run's
 * return code, error in fx->err. */
int fx_run(struct repo_fx *fx, bool with_files);
/* fx_run, failing the test unless it returns PG_OK. */
void fx_run_ok(struct repo_fx *fx, bool with_files);

#endif
