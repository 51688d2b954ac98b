#include "oidmap.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static size_t slot(const git_oid *oid, size_t cap)
{
	uint64_t h;

	memcpy(&h, oid->id, sizeof(h)); /* object ids are already uniformly distributed */
	return (size_t)h & (cap - 1);
}

bool pg_oidmap_get(const struct pg_oidmap *m, const git_oid *oid, size_t *out)
{
	if (!m->cap)
		return false;
	for (size_t i = slot(oid, m->cap);; i = (i + 1) & (m->cap - 1)) {
		if (!m->used[i])
			return false;
		if (!git_oid_cmp(&m->keys[i], oid)) {
			if (out)
				*out = m->vals[i];
			return true;
		}
	}
}

static int grow(struct pg_oidmap *m)
{
	struct pg_oidmap bigger = PG_OIDMAP_INIT;

	bigger.cap = m->cap ? m->cap * 2 : 64;
	bigger.keys = malloc(bigger.cap * sizeof(*bigger.keys));
	bigger.vals = malloc(bigger.cap * sizeof(*bigger.vals));
	bigger.used = calloc(bigger.cap, sizeof(*bigger.used));
	if (!bigger.keys || !bigger.vals || !bigger.used) {
		pg_oidmap_release(&bigger);
		return -1;
	}
	for (size_t i = 0; i < m->cap; i++)
		if (m->used[i])
			pg_oidmap_put(&bigger, &m->keys[i], m->vals[i]);
	pg_oidmap_release(m);
	*m = bigger;
	return 0;
}

int pg_oidmap_put(struct pg_oidmap *m, const git_oid *oid, size_t val)
{
	size_t i;

	if ((m->n + 1) * 4 > m->cap * 3 && grow(m) < 0)
		return -1;
	for (i = slot(oid, m->cap); m->used[i]; i = (i + 1) & (m->cap - 1)) {
		if (!git_oid_cmp(&m->keys[i], oid)) {
			m->vals[i] = val;
			return 0;
		}
	}
	m->used[i] = true;
	git_oid_cpy(&m->keys[i], oid);
	m->vals[i] = val;
	m->n++;
	return 0;
}

void pg_oidmap_release(struct pg_oidmap *m)
{
	free(m->keys);
	free(m->vals);
	free(m->used);
	*m = (struct pg_oidmap)PG_OIDMAP_INIT;
}
