/* A growable array of owned, NUL-terminated strings. */
#ifndef PG_STRVEC_H
#define PG_STRVEC_H

#include <stddef.h>

struct pg_strvec {
	char **v;
	size_t n;
	size_t alloc;
};

#define PG_STRVEC_INIT { NULL, 0, 0 }

/* Copies s; returns 0 or -1 on allocation failure. */
int pg_strvec_push(struct pg_strvec *sv, const char *s);
void pg_strvec_clear(struct pg_strvec *sv);
void pg_strvec_release(struct pg_strvec *sv);
int pg_strvec_copy(struct pg_strvec *out, const struct pg_strvec *src);

#endif
