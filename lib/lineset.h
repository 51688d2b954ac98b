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
void pg_lineset_release(struct pg_lineset *s);

#endif
