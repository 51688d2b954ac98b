/* Reading a blob in pieces, for blobs too large to hold whole.
 *
 * A loose object is inflated in-process by libgit2's stream; libgit2 cannot
 * stream a packed object, so then `git cat-file blob` (which streams from the
 * pack) runs as a child and the blob arrives through a pipe. Either way no
 * more than the caller's buffer of the blob is ever in this process. The
 * child inherits the environment, so the objects of a push in quarantine are
 * visible to it as they are to the hook. */
#ifndef PG_BLOB_STREAM_H
#define PG_BLOB_STREAM_H

#include <git2.h>
#include <stdint.h>
#include <sys/types.h>

#include "error.h"

struct pg_blob_stream {
	git_odb_stream *odb;  /* the in-process stream, or NULL */
	pid_t pid;            /* the git child, or 0 */
	int fd;               /* its stdout, or -1 */
	uint64_t size;        /* the blob's size, from the object header */
	uint64_t done;        /* bytes delivered so far */
	char hex[GIT_OID_HEXSZ + 1];
};

#define PG_BLOB_STREAM_INIT { NULL, 0, -1, 0, 0, "" }

/* Opens the blob oid of repo for reading. */
int pg_blob_stream_open(struct pg_blob_stream *s, git_repository *repo, const git_oid *oid,
			struct pg_error *err);
/* Reads up to n bytes into buf: returns how many (> 0), 0 at the end of the
 * blob, or a negative error (a blob shorter or longer than its header says
 * is one). */
ssize_t pg_blob_stream_read(struct pg_blob_stream *s, char *buf, size_t n, struct pg_error *err);
/* Ends the stream (waiting for the child, which is killed if the blob was not
 * read to its end); safe on a merely-initialised stream. */
void pg_blob_stream_close(struct pg_blob_stream *s);

#endif
