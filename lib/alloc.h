/* Growing arrays, one way.
 *
 *     struct thing *v = NULL;
 *     size_t n = 0, alloc = 0;
 *
 *     if (PG_GROW(v, n + 1, alloc) < 0)
 *             return pg_error_oom(err);
 *     v[n++] = x;
 *
 * PG_GROW(v, need, alloc) makes room for at least `need` elements of *v:
 * when `alloc` is smaller it reallocates to the larger of `need` and one and
 * a half times `alloc` (at least 16), updating v and alloc. It returns 0, or
 * -1 when memory runs out or the size would overflow; v and alloc are then
 * unchanged, so what the array held is still there to release. New slots
 * are not cleared: pg_grow_zero() / PG_GROW_ZERO clear them. */
#ifndef PG_ALLOC_H
#define PG_ALLOC_H

#include <stddef.h>

int pg_grow(void **v, size_t *alloc, size_t need, size_t size);
int pg_grow_zero(void **v, size_t *alloc, size_t need, size_t size);

#define PG_GROW(v, need, alloc) pg_grow((void **)&(v), &(alloc), (need), sizeof(*(v)))
#define PG_GROW_ZERO(v, need, alloc) pg_grow_zero((void **)&(v), &(alloc), (need), sizeof(*(v)))

#endif
