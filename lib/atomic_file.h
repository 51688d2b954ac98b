/* Replacing a file so that readers see the old content or the new, never a
 * part, and a crash loses neither: a hidden temporary file in the same
 * directory, written whole, fsync'd, renamed over the target, then the
 * directory fsync'd. Used for the spool, the metrics file, the ticket cache
 * and the compiled-rules cache. */
#ifndef PG_ATOMIC_FILE_H
#define PG_ATOMIC_FILE_H

#include <stddef.h>
#include <sys/types.h>

#include "error.h"

/* Writes data[0..len) to path with the given mode. `what` names the file in
 * errors ("the webhook spool", "pushguard.metricsFile"). */
int pg_atomic_file_write(const char *path, const void *data, size_t len, mode_t mode,
			 const char *what, struct pg_error *err);

/* write(2) until done, retrying on EINTR; 0 or -1 with errno set. */
int pg_write_all(int fd, const void *data, size_t len);

#endif
