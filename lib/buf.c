#include "buf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char pg_buf_empty[1];

void pg_buf_init(struct pg_buf *b, size_t cap)
{
	b->ptr = pg_buf_empty;
	b->len = b->alloc = 0;
	b->cap = cap;
	b->failed = 0;
}

void pg_buf_release(struct pg_buf *b)
{
	if (b->alloc)
		free(b->ptr);
	pg_buf_init(b, b->cap);
}

void pg_buf_reset(struct pg_buf *b)
{
	b->len = 0;
	b->failed = 0;
	if (b->alloc)
		b->ptr[0] = '\0';
}

static int grow(struct pg_buf *b, size_t extra)
{
	size_t cap = b->cap ? b->cap : PG_BUF_DEFAULT_CAP;
	size_t want, n;
	char *p;

	if (b->failed)
		return -1;
	if (extra > cap || b->len > cap - extra)
		goto fail;
	want = b->len + extra + 1;
	if (want <= b->alloc)
		return 0;
	n = b->alloc ? b->alloc : 64;
	while (n < want)
		n = n / 2 * 3 + 16;
	if (n > cap + 1)
		n = cap + 1;
	p = b->alloc ? realloc(b->ptr, n) : malloc(n);
	if (!p)
		goto fail;
	if (!b->alloc)
		p[0] = '\0';
	b->ptr = p;
	b->alloc = n;
	return 0;
fail:
	b->failed = 1;
	return -1;
}

int pg_buf_add(struct pg_buf *b, const void *data, size_t len)
{
	/* room left (alloc never exceeds cap + 1): no call, the usual case of
	 * the many small appends a parser or translator makes */
	if ((b->failed || len >= b->alloc - b->len) && grow(b, len) < 0)
		return -1;
	if (len == 1) /* a character: no call */
		b->ptr[b->len] = *(const char *)data;
	else if (len)
		memcpy(b->ptr + b->len, data, len);
	b->len += len;
	b->ptr[b->len] = '\0';
	return 0;
}

int pg_buf_adds(struct pg_buf *b, const char *s)
{
	return pg_buf_add(b, s, strlen(s));
}

int pg_buf_addch(struct pg_buf *b, char c)
{
	return pg_buf_add(b, &c, 1);
}

int pg_buf_vaddf(struct pg_buf *b, const char *fmt, va_list ap)
{
	va_list cp;
	int n;

	if (b->failed)
		return -1;
	/* Format straight into the free space; only a result that does not fit
	 * is formatted a second time, after growing. */
	va_copy(cp, ap);
	if (b->alloc > b->len + 1)
		n = vsnprintf(b->ptr + b->len, b->alloc - b->len, fmt, cp);
	else
		n = vsnprintf(NULL, 0, fmt, cp);
	va_end(cp);
	if (n < 0) {
		b->failed = 1;
		goto undo;
	}
	if (b->alloc && (size_t)n < b->alloc - b->len) {
		b->len += (size_t)n;
		return 0;
	}
	if (grow(b, (size_t)n) < 0)
		goto undo;
	vsnprintf(b->ptr + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
	return 0;
undo:
	if (b->alloc)
		b->ptr[b->len] = '\0';
	return -1;
}

int pg_buf_addf(struct pg_buf *b, const char *fmt, ...)
{
	va_list ap;
	int ret;

	va_start(ap, fmt);
	ret = pg_buf_vaddf(b, fmt, ap);
	va_end(ap);
	return ret;
}

char *pg_buf_detach(struct pg_buf *b)
{
	char *s;

	if (b->failed) {
		pg_buf_release(b);
		return NULL;
	}
	s = b->alloc ? b->ptr : strdup("");
	pg_buf_init(b, b->cap);
	return s;
}

int pg_buf_add_shell_quoted(struct pg_buf *b, const char *s)
{
	if (pg_buf_addch(b, '\'') < 0)
		return -1;
	for (; *s; s++)
		if ((*s == '\'' ? pg_buf_adds(b, "'\\''") : pg_buf_addch(b, *s)) < 0)
			return -1;
	return pg_buf_addch(b, '\'');
}
