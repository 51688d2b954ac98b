#include "alloc.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int pg_grow(void **v, size_t *alloc, size_t need, size_t size)
{
	size_t n;
	void *p;

	if (need <= *alloc)
		return 0;
	n = *alloc < SIZE_MAX / 3 ? *alloc + *alloc / 2 : SIZE_MAX;
	if (n < need)
		n = need;
	if (n < 16)
		n = 16;
	if (!size || n > SIZE_MAX / size)
		return -1;
	if (!(p = realloc(*v, n * size)))
		return -1;
	*v = p;
	*alloc = n;
	return 0;
}

int pg_grow_zero(void **v, size_t *alloc, size_t need, size_t size)
{
	size_t old = *alloc;

	if (pg_grow(v, alloc, need, size) < 0)
		return -1;
	if (*alloc > old)
		memset((char *)*v + old * size, 0, (*alloc - old) * size);
	return 0;
}
