#include "lineset.h"

#include <stdlib.h>
#include <string.h>

/* FNV-1a over the line without its '\n' (and a trailing '\r'), then a final mix. */
static inline uint64_t fnv(uint64_t h, const char *p, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		h ^= (unsigned char)p[i];
		h *= 0x100000001b3ull;
	}
	return h;
}

static inline uint64_t mix(uint64_t h)
{
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdull;
	h ^= h >> 33;
	return h ? h : 1;
}

#define FNV_BASIS 0xcbf29ce484222325ull

static uint64_t hash(const char *p, size_t len)
{
	if (len && p[len - 1] == '\r')
		len--;
	return mix(fnv(FNV_BASIS, p, len));
}

void pg_line_hasher_init(struct pg_line_hasher *lh)
{
	*lh = (struct pg_line_hasher){ FNV_BASIS, false, 0 };
}

void pg_line_hasher_add(struct pg_line_hasher *lh, const char *p, size_t len)
{
	if (!len)
		return;
	if (lh->held_cr)
		lh->h = fnv(lh->h, "\r", 1);
	lh->held_cr = p[len - 1] == '\r';
	lh->h = fnv(lh->h, p, len - lh->held_cr);
	lh->bytes += len;
}

uint64_t pg_line_hasher_final(const struct pg_line_hasher *lh)
{
	return mix(lh->h);
}

static int insert(struct pg_lineset *s, uint64_t h)
{
	size_t i;

	if ((s->n + 1) * 2 > s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 256;
		uint64_t *slots = calloc(cap, sizeof(*slots));

		if (!slots)
			return -1;
		for (size_t j = 0; j < s->cap; j++) {
			if (!s->slots[j])
				continue;
			for (i = s->slots[j] & (cap - 1); slots[i]; i = (i + 1) & (cap - 1))
				;
			slots[i] = s->slots[j];
		}
		free(s->slots);
		s->slots = slots;
		s->cap = cap;
	}
	for (i = h & (s->cap - 1); s->slots[i]; i = (i + 1) & (s->cap - 1))
		if (s->slots[i] == h)
			return 0;
	s->slots[i] = h;
	s->n++;
	return 0;
}

int pg_lineset_add_text(struct pg_lineset *s, const char *data, size_t len)
{
	const char *p = data, *end = data + len;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);

		if (insert(s, hash(p, n)) < 0)
			return -1;
		p += n + 1;
	}
	return 0;
}

bool pg_lineset_has_hash(const struct pg_lineset *s, uint64_t h)
{
	if (!s->cap)
		return false;
	for (size_t i = h & (s->cap - 1); s->slots[i]; i = (i + 1) & (s->cap - 1))
		if (s->slots[i] == h)
			return true;
	return false;
}

bool pg_lineset_has(const struct pg_lineset *s, const char *line, size_t len)
{
	return pg_lineset_has_hash(s, hash(line, len));
}

int pg_lineset_add_piece(struct pg_lineset *s, struct pg_line_hasher *open, const char *data,
			 size_t len)
{
	const char *p = data, *end = data + len;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));

		if (!nl) {
			pg_line_hasher_add(open, p, (size_t)(end - p));
			break;
		}
		pg_line_hasher_add(open, p, (size_t)(nl - p));
		if (insert(s, pg_line_hasher_final(open)) < 0)
			return -1;
		pg_line_hasher_init(open);
		p = nl + 1;
	}
	return 0;
}

int pg_lineset_add_end(struct pg_lineset *s, struct pg_line_hasher *open)
{
	int rc = open->bytes ? insert(s, pg_line_hasher_final(open)) : 0;

	pg_line_hasher_init(open);
	return rc;
}

void pg_lineset_release(struct pg_lineset *s)
{
	free(s->slots);
	*s = (struct pg_lineset)PG_LINESET_INIT;
}
