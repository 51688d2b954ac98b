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

/* The same in the directory open at dfd: name is the file's name there, path
 * the whole path for errors. Neither the temporary file nor a link at name is
 * followed (rename replaces a link, never its target). */
int pg_atomic_file_writeat(int dfd, const char *path, const char *name, const void *data, size_t len,
			   mode_t mode, const char *what, struct pg_error *err);

/* Opens the directory holding path into *dfd (a symbolic link as that
 * directory's last component is refused: O_NOFOLLOW); *name points into path
 * at the file's name. Errors say "cannot open <what> <path> (<key>)". */
int pg_open_dir_of(int *dfd, const char **name, const char *path, const char *what, const char *key,
		   struct pg_error *err);

/* The error for an openat(dfd, name, ... O_NOFOLLOW) that failed with
 * fd_errno: "it is a symbolic link" when it is one, else the system's reason.
 * Returns PG_ERR. */
int pg_refuse_link(int fd_errno, int dfd, const char *name, const char *path, const char *what,
		   const char *key, struct pg_error *err);

/* write(2) until done, retrying on EINTR; 0 or -1 with errno set. */
int pg_write_all(int fd, const void *data, size_t len);

#endif
