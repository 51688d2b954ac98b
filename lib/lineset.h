/* A set of lines, to tell which lines of a file are new: a line is added by
 * a commit when no parent's version of the file has it. Comparing line sets
 * instead of producing a diff is what keeps secret scanning cheap; a moved
 * line is (rightly) not an added one.
 *
 * A pusher must not be able to make a line count as "already there": plant,
 * in an earlier push, a line whose hash equals that of a secret line pushed
 * later. So lines are looked up by a keyed hash, SipHash-2-4 with a key drawn
 * at random once per process (not knowing the key, nobody can compute a
 * collision), and a line added whole (pg_lineset_add_text) keeps its bytes:
 * a hit on it counts only when the bytes are the same. Lines of a text that
 * arrives in pieces (a parent too large to hold, pg_lineset_add_piece) and a
 * line asked by hash alone (pg_lineset_has_hash, a line longer than the
 * streaming window) are known by their keyed hash only, so that memory stays
 * bounded: for them a hit is a 64-bit match of a secret-keyed hash.
 *
 * A trailing '\r' is not part of a line, so CRLF and LF versions match. */
#ifndef PG_LINESET_H
#define PG_LINESET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* One line of the set: hash 0 = an empty slot (hashes are never 0); len =
 * PG_LINESET_HASH_ONLY when the line's bytes are not kept. */
struct pg_lineset_slot {
	uint64_t hash;
	uint32_t off, len; /* the line's bytes: bytes[off .. off + len) */
};

#define PG_LINESET_HASH_ONLY UINT32_MAX

struct pg_lineset {
	struct pg_lineset_slot *slots;
	size_t n, cap;
	char *bytes;        /* the lines added whole, each distinct one once */
	size_t nbytes, abytes;
};

#define PG_LINESET_INIT { NULL, 0, 0, NULL, 0, 0 }

/* Adds every line of data (split at '\n'), keeping its bytes. */
int pg_lineset_add_text(struct pg_lineset *s, const char *data, size_t len);
/* True when the set has this line: a line with the same bytes, or a line
 * known by hash only whose keyed hash is this line's. */
bool pg_lineset_has(const struct pg_lineset *s, const char *line, size_t len);

/* A line's keyed hash built piece by piece, for text too large to hold
 * whole: the same value pg_lineset_has() computes for the whole line. */
struct pg_line_hasher {
	uint64_t v[4];   /* SipHash state */
	uint64_t tail;   /* bytes not yet making a whole 8-byte word, little-endian */
	uint64_t fed;    /* bytes hashed (a '\r' is held back until more follows) */
	bool held_cr;    /* the last byte so far was '\r' (dropped if the line ends there) */
	uint64_t bytes;  /* bytes added so far, '\r' included */
};

void pg_line_hasher_init(struct pg_line_hasher *lh);
void pg_line_hasher_add(struct pg_line_hasher *lh, const char *p, size_t len);
uint64_t pg_line_hasher_final(const struct pg_line_hasher *lh);
/* True when the set has a line with keyed hash h (bytes are not compared). */
bool pg_lineset_has_hash(const struct pg_lineset *s, uint64_t h);

/* Adds the lines of a text that arrives in consecutive pieces, by hash only;
 * open (set up with pg_line_hasher_init) carries the unfinished line from one
 * piece to the next, and pg_lineset_add_end() adds it at the end. The lines
 * are those pg_lineset_add_text() finds in the whole text. */
int pg_lineset_add_piece(struct pg_lineset *s, struct pg_line_hasher *open, const char *data,
			 size_t len);
int pg_lineset_add_end(struct pg_lineset *s, struct pg_line_hasher *open);
void pg_lineset_release(struct pg_lineset *s);

/* SipHash-2-4 of data under the 128-bit key (k0, k1): the function the set
 * uses with its per-process key; exposed for its published test vectors. */
uint64_t pg_lineset_siphash(uint64_t k0, uint64_t k1, const void *data, size_t len);

#endif
