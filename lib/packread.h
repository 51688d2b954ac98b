/* Reading blobs straight from a repository's pack files, in pack order, for
 * scanning many of them (a history, a large push).
 *
 * libgit2 reads one object at a time: each delta chain is rebuilt from its
 * base, its small base cache is shared (under a lock) by every thread and
 * emptied whole when full, every object is copied out of it, and the packs
 * are mapped into memory, so that a history scan's resident size grows with
 * the pack. Here the packs are read with pread(2) (nothing stays mapped but
 * the indexes), each reader (one per thread) keeps its own delta base cache
 * with a byte budget, and the caller asks for objects sorted by pack offset,
 * where git puts a delta's base before it and keeps a file's versions
 * together: each object is inflated about once, as `git cat-file
 * --batch-all-objects --unordered` does.
 *
 * Only what the packs of the repository's object directories hold is found
 * here (pg_packs_find); anything else (loose objects, alternates, an object
 * this reader cannot make sense of) is for the caller to read through
 * libgit2, which remains the reference. Objects are not re-hashed, as in
 * libgit2 (repo.h).
 *
 * Objects are inflated with libdeflate when it can be loaded (two to three
 * times as fast as zlib), else with zlib.
 *
 * Reads go through a small window per reader: up to 64 KiB at a time when
 * reading forward through a pack (pack order: one read(2) serves many
 * objects), to the end of the page otherwise (a header, a small object); a
 * delta's header is inflated from its first 512 bytes; and the headers of
 * the last 8,192 entries read are kept, so that walking a delta chain down
 * to a cached base reads nothing again.
 *
 * Memory of one reader: its cache budget (PG_PACK_CACHE_BYTES), the window and
 * header table (about 0.5 MiB), plus, while an object is read, the object,
 * its delta and the compressed bytes. */
#ifndef PG_PACKREAD_H
#define PG_PACKREAD_H

#include <git2.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"

/* Each reader's delta base cache: the objects it read last, up to this many
 * bytes. Read in pack order, 4 MiB already leaves a history scan of redis
 * (70,000 blobs) with 6.6% more inflations than objects, 8 MiB with 4.5%. */
#define PG_PACK_CACHE_BYTES ((size_t)8 << 20)
/* Objects (and delta bases) larger than this are left to libgit2. */
#define PG_PACK_MAX_OBJECT ((size_t)64 << 20)

struct pg_packs;

/* Where an object is: which pack, at which offset. */
struct pg_pack_pos {
	uint32_t pack;
	uint64_t offset;
};

/* The packs of the repository whose common git directory is gitdir
 * (git_repository_commondir(): objects/pack), or,
 * when objdir is not NULL, only those of objdir (a push's quarantine,
 * GIT_OBJECT_DIRECTORY: what the push brings, not the server's whole
 * history, whose indexes would cost a hook time to load). A pack whose index
 * cannot be read is skipped: its objects are read through libgit2. *out NULL
 * (returns 0) when there are no packs. Loading costs 8 bytes per packed
 * object (their offsets, sorted). */
int pg_packs_open(struct pg_packs **out, const char *gitdir, const char *objdir, struct pg_error *err);
void pg_packs_free(struct pg_packs *p);
/* Readers made afterwards inflate with zlib even when libdeflate could be
 * loaded (pg_packs_open() loads it, deflate_loader.h): the tests read every
 * pack both ways. */
void pg_packs_zlib_only(struct pg_packs *p);
/* 1 and *pos when a pack holds id; 0 when none does. */
int pg_packs_find(const struct pg_packs *p, const git_oid *id, struct pg_pack_pos *pos);

/* One thread's reader. */
struct pg_pack_reader;

int pg_pack_reader_new(struct pg_pack_reader **out, const struct pg_packs *p, struct pg_error *err);
void pg_pack_reader_free(struct pg_pack_reader *r);
/* Reads the object at pos: *data (NUL-terminated, *len bytes, owned by the
 * reader, valid until the next call) and its type. Returns 0, or PG_ERR
 * (err says why; the caller reads the object through libgit2 instead). */
int pg_pack_read(struct pg_pack_reader *r, const struct pg_pack_pos *pos, const char **data, size_t *len,
		 git_object_t *type, struct pg_error *err);
/* The object's size and type (that of its delta chain's base) without
 * inflating it: what git_odb_read_header() says. Returns 0, or PG_ERR (read
 * it through libgit2). */
int pg_pack_read_header(struct pg_pack_reader *r, const struct pg_pack_pos *pos, size_t *size,
			git_object_t *type, struct pg_error *err);

#endif
