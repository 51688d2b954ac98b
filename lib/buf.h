/* Growable byte buffer: never NULL, always NUL-terminated, capped, and it
 * remembers a failure (as curl's dynbuf does).
 *
 * A buffer set up with PG_BUF_INIT points at a shared empty string until the
 * first append, so pg_buf_release() is safe on a merely-initialised buffer.
 * An append beyond `cap` bytes (0 = PG_BUF_DEFAULT_CAP), so that hostile
 * input cannot exhaust memory, or one that cannot get memory, returns -1,
 * leaves the contents unchanged and marks the buffer failed. A failed buffer
 * stays failed: every later append returns -1 at once and changes nothing,
 * so the text is always a whole prefix of what was written, never one with a
 * hole in the middle. Callers may therefore ignore each append's result and
 * check pg_buf_failed() once, where the text is used (written, sent, stored
 * in a finding); pg_buf_detach() gives NULL for a failed buffer.
 * pg_buf_reset() and pg_buf_release() empty the buffer and clear the failure. */
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
	int failed;  /* an append failed: see above */
};

extern char pg_buf_empty[];
#define PG_BUF_INIT { pg_buf_empty, 0, 0, 0, 0 }

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
/* True once an append has failed (cap reached or out of memory). */
static inline int pg_buf_failed(const struct pg_buf *b)
{
	return b->failed;
}
/* Hands the string to the caller (free() it); the buffer is re-initialised.
 * NULL when the buffer failed (its contents are released) or out of memory. */
char *pg_buf_detach(struct pg_buf *b);

#endif
