/* Object id -> index map (open addressing), for "each object once per push". */
#ifndef PG_OIDMAP_H
#define PG_OIDMAP_H

#include <git2.h>
#include <stdbool.h>
#include <stddef.h>

struct pg_oidmap {
	git_oid *keys;
	size_t *vals;
	bool *used;
	size_t n, cap;
};

#define PG_OIDMAP_INIT { NULL, NULL, NULL, 0, 0 }

/* Looks oid up; returns true and sets *out when present. */
bool pg_oidmap_get(const struct pg_oidmap *m, const git_oid *oid, size_t *out);
/* Inserts or replaces; returns 0 or -1 on allocation failure. */
int pg_oidmap_put(struct pg_oidmap *m, const git_oid *oid, size_t val);
void pg_oidmap_release(struct pg_oidmap *m);

#endif
