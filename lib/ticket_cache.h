/* A short-lived cache of valid ticket answers, one file per repository.
 *
 * Only VALID answers are kept (a refused push is cheap to re-check, and a
 * ticket someone just reopened or approved must count at once). Each entry
 * lapses after pushguard.tickets.cacheTtl, or earlier when the answer itself
 * said so (the end of a ServiceNow change window). The file starts with a
 * hash of the tracker settings, so changing the URL, type or allowed states
 * empties it. It is rewritten whole: a temp file in the same directory, then
 * rename(), so a reader sees the old or the new file, never half of one. A
 * missing, unreadable or damaged file is an empty cache, never an error. */
#ifndef PG_TICKET_CACHE_H
#define PG_TICKET_CACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"

#define PG_TICKET_CACHE_MAX_ENTRIES 10000
#define PG_TICKET_CACHE_MAX_BYTES ((size_t)1 << 20)

struct pg_ticket_cache_entry {
	char *ticket;
	char *state;     /* the tracker's state when it was valid ("" when none) */
	int64_t expires; /* seconds since the epoch */
};

struct pg_ticket_cache {
	char *path;
	uint64_t config_hash;
	struct pg_ticket_cache_entry *v;
	size_t n, alloc;
	bool dirty;
};

#define PG_TICKET_CACHE_INIT { NULL, 0, NULL, 0, 0, false }

/* FNV-1a over s, for the settings hash. */
uint64_t pg_ticket_cache_hash(uint64_t h, const char *s);
#define PG_TICKET_CACHE_HASH_SEED 0xcbf29ce484222325ULL

/* Reads path (entries not yet expired at `now`, under config_hash). 0, or
 * negative only when out of memory. */
int pg_ticket_cache_load(struct pg_ticket_cache *c, const char *path, uint64_t config_hash,
			 int64_t now, struct pg_error *err);
/* The entry for ticket valid at `now`, or NULL. */
const struct pg_ticket_cache_entry *pg_ticket_cache_get(const struct pg_ticket_cache *c,
							 const char *ticket, int64_t now);
/* Adds or replaces an entry; ids or states with control characters are not kept. */
int pg_ticket_cache_put(struct pg_ticket_cache *c, const char *ticket, const char *state,
			int64_t expires, struct pg_error *err);
/* Writes the live entries back when anything changed (atomic write + rename). */
int pg_ticket_cache_save(struct pg_ticket_cache *c, int64_t now, struct pg_error *err);
void pg_ticket_cache_release(struct pg_ticket_cache *c);

#endif
