/* A set of lines (by 64-bit hash), to tell which lines of a file are new:
 * a line is added by a commit when no parent's version of the file has it.
 * Comparing line sets instead of producing a diff is what keeps secret
 * scanning cheap; a moved line is (rightly) not an added one. */
#ifndef PG_LINESET_H
#define PG_LINESET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct pg_lineset {
	uint64_t *slots; /* 0 = empty; hashes are never 0 */
	size_t n, cap;
};

#define PG_LINESET_INIT { NULL, 0, 0 }

/* Adds every line of data (split at '\n'; a trailing '\r' is ignored). */
int pg_lineset_add_text(struct pg_lineset *s, const char *data, size_t len);
bool pg_lineset_has(const struct pg_lineset *s, const char *line, size_t len);

/* A line's hash built piece by piece, for text too large to hold whole:
 * the same value pg_lineset_has() computes for the whole line. */
struct pg_line_hasher {
	uint64_t h;
	bool held_cr;   /* the last byte so far was '\r' (dropped if the line ends there) */
	uint64_t bytes; /* bytes added so far */
};

void pg_line_hasher_init(struct pg_line_hasher *lh);
void pg_line_hasher_add(struct pg_line_hasher *lh, const char *p, size_t len);
uint64_t pg_line_hasher_final(const struct pg_line_hasher *lh);
bool pg_lineset_has_hash(const struct pg_lineset *s, uint64_t h);

/* Adds the lines of a text that arrives in consecutive pieces; open (set up
 * with pg_line_hasher_init) carries the unfinished line from one piece to
 * the next, and pg_lineset_add_end() adds it at the end. The lines are those
 * pg_lineset_add_text() finds in the whole text. */
int pg_lineset_add_piece(struct pg_lineset *s, struct pg_line_hasher *open, const char *data,
			 size_t len);
int pg_lineset_add_end(struct pg_lineset *s, struct pg_line_hasher *open);
void pg_lineset_release(struct pg_lineset *s);

#endif
