/* The one walk over what a push adds.
 *
 * New commits are those reachable from the pushed tips and from no existing
 * ref. Each appears once, however many refs bring it, with the refs that do.
 * A pushed ref (or annotated tag) that names a tree or blob appears as a
 * synthetic entry holding the blobs the server did not have before.
 *
 * Sections limited to some refs (pushguard.commits.refs, files.refs,
 * secrets.refs, signatures.refs, tickets.refs) judge every commit that
 * becomes reachable from one of their refs and was not reachable from one
 * before: a commit pushed to an out-of-scope ref first and to main later
 * enters main's scope with the second push. Such commits, already on the
 * server, are in the walk too, marked `existing`, with the scopes they enter
 * (pg_walk_add_scope(), pg_check_commit_ref() in check.h).
 *
 * For each commit, the files it adds: paths whose blob differs from the first
 * parent's (or, for a merge, from every parent's), with the blob's size read
 * from the object header, never the content.
 *
 * Commits, tags and trees are read from their raw bytes (object.h), as git
 * reads them: an object libgit2 cannot parse never stops the walk. What git
 * fsck calls an error in a commit the push brings, in a tree such a commit
 * adds, or in an annotated tag a pushed ref names is kept in `bad` (the check
 * "objects" reports it). */
#ifndef PG_WALK_H
#define PG_WALK_H

#include <git2.h>
#include <stdbool.h>
#include <stdint.h>

#include "error.h"
#include "oidmap.h"
#include "push.h"
#include "pushguard.h"
#include "strvec.h"

/* At most this many sections limited to refs (distinct sets of ref globs). */
#define PG_WALK_MAX_SCOPES 32
/* At most this many malformed objects are kept per commit (and for tags). */
#define PG_WALK_MAX_BAD 20
/* Trees nested deeper than this are not descended into: the tree at that
 * depth is a malformed object (check "objects"). git's own limit
 * (core.maxTreeDepth, git 2.45 and later refuse deeper trees); without one a
 * pushed tree tens of thousands deep ran the hook out of stack. */
#define PG_WALK_MAX_TREE_DEPTH 4096

struct pg_added_file {
	char *path;
	git_oid oid;
	uint32_t mode;  /* git's file mode: 0100644, 0100755, 0120000, 0160000 (any mode git does not read as a file) */
	int64_t size;   /* bytes; -1 for submodules (gitlinks) */
};

/* struct pg_bad_object (an object git accepted that git fsck would refuse):
 * pushguard.h. */

/* A commit's message and idents as written, before its declared encoding is
 * applied: "encoding UTF-16LE" makes an ASCII token read as other characters. */
struct pg_commit_raw {
	char *message, *author_name, *author_email, *committer_name, *committer_email;
};

struct pg_commit {
	git_oid oid;
	char hex[GIT_OID_HEXSZ + 1];
	char *subject;
	char *message;
	char *author_name, *author_email;
	char *committer_name, *committer_email;
	char *headers;        /* the header fields none of the above holds (pg_object_commit_other_headers():
			       * mergetag, encoding, gpgsig, unknown ones), raw, or NULL (most commits) */
	struct pg_commit_raw *raw; /* the message and idents as written when the encoding header makes
				    * them read otherwise (the fields above are decoded), else NULL */
	int64_t time;         /* committer time, seconds since the epoch */
	size_t nparents;
	git_oid *parent_ids;
	git_oid tree_id;      /* all zeros when the commit names no tree git could read */
	bool synthetic;       /* not a commit: the blobs of a pushed ref (or tag) naming a tree or blob */
	bool existing;        /* already on the server: here because it enters the refs of a scoped section */
	uint32_t scopes;      /* existing commits: bit i set when it enters the refs of scope i */
	size_t *refs;         /* indices into push->updates: pushed refs it is reachable from */
	size_t nrefs;
	struct pg_added_file *files;
	size_t nfiles;
	git_oid *parent_trees; /* with files: the parents' trees that could be read */
	size_t nparent_trees;
	struct pg_bad_object *bad; /* malformed: this commit, or trees it adds (never for existing ones) */
	size_t nbad;
	size_t nbad_dropped;       /* more than PG_WALK_MAX_BAD */
};

struct pg_walk {
	struct pg_commit *commits; /* existing commits first, then new ones; parents before children */
	size_t n, alloc;
	struct pg_oidmap index;    /* oid -> position in commits */
	int64_t deadline_ms;       /* set before pg_walk_run: stop with PG_ETIMEOUT past it (budget.h); 0 = none */
	/* set before pg_walk_run, or NULL: "existing" means reachable from these
	 * ids (ref tips saved before the push landed; ids that name no commit are
	 * ignored) instead of from every ref; non-NULL with nhide 0 hides nothing
	 * (the repository had no refs). Not owned. */
	const git_oid *hide;
	size_t nhide;
	struct pg_strvec scopes[PG_WALK_MAX_SCOPES]; /* pg_walk_add_scope() */
	size_t nscopes;
	struct pg_bad_object *bad_tags; /* malformed annotated tags the pushed refs name */
	size_t nbad_tags;
	size_t jobs;               /* set before pg_walk_history: threads listing files; 0 = every core */
	size_t listed;             /* progress, read with __atomic_load_n: commits whose files are listed */
};

#define PG_WALK_INIT { NULL, 0, 0, PG_OIDMAP_INIT, 0, NULL, 0, { { NULL, 0, 0 } }, 0, NULL, 0 }

/* Before pg_walk_run: a section judges only commits entering these ref
 * globs (empty: every ref, nothing to add). Sets with the same globs are
 * walked once. Returns 0, or a negative code (out of memory, more than
 * PG_WALK_MAX_SCOPES). */
int pg_walk_add_scope(struct pg_walk *w, const struct pg_strvec *globs, struct pg_error *err);
/* The index of the scope with exactly these globs, or -1. */
int pg_walk_scope_index(const struct pg_walk *w, const struct pg_strvec *globs);

/* Walks every created or updated ref of push. with_files: also list each
 * commit's added files. */
int pg_walk_run(struct pg_walk *w, git_repository *repo, const struct pg_push *push,
		bool with_files, struct pg_error *err);
void pg_walk_release(struct pg_walk *w);

/* pg_walk_history (and pg_walk_new, pg_walk_free, the accessors): pushguard.h. */

/* Peels a ref's new value to a commit id; returns 0, or 1 when it names no
 * commit (a tree, a blob, or a tag of one, or a tag too malformed to follow),
 * negative on error (an object missing). Tags are read as git reads them. */
int pg_walk_peel_commit(git_oid *out, git_repository *repo, const char *hex,
			struct pg_error *err);

/* 1 when commit `ancestor` is reachable from commit `descendant` (or is
 * it), 0 when not, negative on error or past deadline_ms (0: none). Reads
 * commits as git does (a malformed commit in history is walked like any). */
int pg_walk_is_ancestor(git_repository *repo, const git_oid *ancestor, const git_oid *descendant,
			int64_t deadline_ms, struct pg_error *err);

#endif
