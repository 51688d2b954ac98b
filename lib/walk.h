/* The one walk over what a push adds.
 *
 * New commits are those reachable from the pushed tips and from no existing
 * ref. Each appears once, however many refs bring it, with the refs that do.
 * A pushed tag of a tree or blob appears as a synthetic entry holding the
 * blobs the server did not have before.
 * For each commit, the files it adds: paths whose blob differs from the first
 * parent's (or, for a merge, from every parent's), with the blob's size read
 * from the object header, never the content. */
#ifndef PG_WALK_H
#define PG_WALK_H

#include <git2.h>
#include <stdbool.h>
#include <stdint.h>

#include "error.h"
#include "oidmap.h"
#include "push.h"

struct pg_added_file {
	char *path;
	git_oid oid;
	uint32_t mode;  /* git file mode: 0100644, 0100755, 0120000, 0160000 */
	int64_t size;   /* bytes; -1 for submodules (gitlinks) */
};

struct pg_commit {
	git_oid oid;
	char hex[GIT_OID_HEXSZ + 1];
	char *subject;
	char *message;
	char *author_name, *author_email;
	char *committer_name, *committer_email;
	int64_t time;         /* committer time, seconds since the epoch */
	size_t nparents;
	git_oid *parent_ids;
	bool synthetic;       /* not a commit: the blobs of a pushed tag of a tree or blob */
	size_t *refs;         /* indices into push->updates */
	size_t nrefs;
	struct pg_added_file *files;
	size_t nfiles;
};

struct pg_walk {
	struct pg_commit *commits; /* parents before children */
	size_t n, alloc;
	struct pg_oidmap index;    /* oid -> position in commits */
	int64_t deadline_ms;       /* set before pg_walk_run: stop with PG_ETIMEOUT past it (budget.h); 0 = none */
	/* set before pg_walk_run, or NULL: "existing" means reachable from these
	 * ids (ref tips saved before the push landed; ids that name no commit are
	 * ignored) instead of from every ref; non-NULL with nhide 0 hides nothing
	 * (the repository had no refs). Not owned. */
	const git_oid *hide;
	size_t nhide;
};

#define PG_WALK_INIT { NULL, 0, 0, PG_OIDMAP_INIT, 0, NULL, 0 }

/* Walks every created or updated ref of push. with_files: also list each
 * commit's added files. */
int pg_walk_run(struct pg_walk *w, git_repository *repo, const struct pg_push *push,
		bool with_files, struct pg_error *err);
void pg_walk_release(struct pg_walk *w);

/* For auditing existing history: every commit reachable from all refs, or
 * those of `range` ("A..B", or one revision and its ancestors), each with its
 * added files. Commits get no refs. */
int pg_walk_history(struct pg_walk *w, git_repository *repo, const char *range,
		    struct pg_error *err);

/* Peels a ref's new value to a commit id; returns 0, or 1 when it names no
 * commit (a tag of a tree or blob), negative on error. */
int pg_walk_peel_commit(git_oid *out, git_repository *repo, const char *hex,
			struct pg_error *err);

#endif
