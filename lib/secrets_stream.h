/* Scanning a text too large to hold whole (a big blob read in pieces) in
 * overlapping windows, with the same findings a whole-text scan would give.
 *
 * A window holds `window` bytes. The next one starts at the last line start
 * at least PG_SECRETS_OVERLAP bytes before the window's end (or exactly that
 * far back, mid-line, when one line fills the window), so a secret shorter
 * than the overlap is always seen whole by the window that owns its start;
 * a window reports only what starts before the next window does. Line
 * numbers and offsets are the whole text's. Whether a line is new is asked
 * of the old lines (the parents' versions) by hash; for a line longer than
 * a window that is known only at its end, so its findings wait until then. */
#ifndef PG_SECRETS_STREAM_H
#define PG_SECRETS_STREAM_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "error.h"
#include "lineset.h"
#include "secrets.h"

#define PG_SECRETS_WINDOW ((size_t)4 << 20)
#define PG_SECRETS_OVERLAP ((size_t)64 << 10)

/* Reads up to n bytes: > 0 bytes read, 0 at the end, < 0 an error. */
typedef ssize_t pg_secrets_reader(void *payload, char *buf, size_t n, struct pg_error *err);
/* The lines already there before (loaded on first need); *out NULL: every line is new. */
typedef int pg_secrets_old_lines(void *payload, const struct pg_lineset **out, struct pg_error *err);

struct pg_secrets_stream {
	pg_secrets_reader *read;
	void *read_payload;
	pg_secrets_old_lines *old_lines;  /* NULL: every line is new */
	void *old_payload;
	const char *path, *commit;        /* as for pg_secrets_scan() */
	size_t window;                    /* 0: PG_SECRETS_WINDOW; at least 4 x the overlap */
	int64_t deadline_ms;              /* checked between windows (budget.h); 0 = none */
	/* results */
	bool binary;                      /* a NUL in the first 8000 bytes: not scanned further */
	uint64_t bytes;                   /* bytes read */
};

/* Scans the text st->read delivers, appending findings to out; PG_ETIMEOUT
 * once the deadline has passed between two windows. */
int pg_secrets_scan_stream(struct pg_secrets_scanner *s, struct pg_secrets_stream *st,
			   struct pg_secrets_found *out, struct pg_error *err);

#endif
