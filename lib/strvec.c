#include "strvec.h"

#include "alloc.h"

#include <stdlib.h>
#include <string.h>

int pg_strvec_push(struct pg_strvec *sv, const char *s)
{
	char *copy;

	if (PG_GROW(sv->v, sv->n + 1, sv->alloc) < 0)
		return -1;
	if (!(copy = strdup(s)))
		return -1;
	sv->v[sv->n++] = copy;
	return 0;
}

void pg_strvec_clear(struct pg_strvec *sv)
{
	for (size_t i = 0; i < sv->n; i++)
		free(sv->v[i]);
	sv->n = 0;
}

void pg_strvec_release(struct pg_strvec *sv)
{
	pg_strvec_clear(sv);
	free(sv->v);
	sv->v = NULL;
	sv->alloc = 0;
}

int pg_strvec_copy(struct pg_strvec *out, const struct pg_strvec *src)
{
	for (size_t i = 0; i < src->n; i++)
		if (pg_strvec_push(out, src->v[i]) < 0)
			return -1;
	return 0;
}
