/* Growable byte buffer: never NULL, always NUL-terminated, capped.
 *
 * A buffer set up with PG_BUF_INIT points at a shared empty string until the
 * first append, so pg_buf_release() is safe on a merely-initialised buffer.
 * Appends beyond `cap` bytes (0 = PG_BUF_DEFAULT_CAP) fail with -1 and leave
 * the contents unchanged, so hostile input cannot exhaust memory. */
#ifndef PG_BUF_H
#define PG_BUF_H

#include <stdarg.h>
#include <stddef.h>

#define PG_BUF_DEFAULT_CAP ((size_t)64 << 20)

struct pg_buf {
	char *ptr;
	size_t len;
	size_t alloc;
	size_t cap;
};

extern char pg_buf_empty[];
#define PG_BUF_INIT { pg_buf_empty, 0, 0, 0 }

void pg_buf_init(struct pg_buf *b, size_t cap);
void pg_buf_release(struct pg_buf *b);
void pg_buf_reset(struct pg_buf *b);
int pg_buf_add(struct pg_buf *b, const void *data, size_t len);
int pg_buf_adds(struct pg_buf *b, const char *s);
int pg_buf_addch(struct pg_buf *b, char c);
int pg_buf_addf(struct pg_buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
int pg_buf_vaddf(struct pg_buf *b, const char *fmt, va_list ap);
/* Appends s quoted for a POSIX shell ('it'\''s'), so a suggested command
 * stays correct whatever the path or name holds. */
int pg_buf_add_shell_quoted(struct pg_buf *b, const char *s);
/* Hands the string to the caller (free() it); the buffer is re-initialised. */
char *pg_buf_detach(struct pg_buf *b);

#endif
