/* The audit log: one event per line (JSON Lines), appended by every push.
 *
 * The file is opened with O_APPEND for each push and the whole line goes out
 * in one write(2) under an exclusive flock(), so concurrent pushes never
 * interleave or tear lines. Because it is reopened every time, logrotate can
 * simply move it away (no copytruncate). */
#ifndef PG_AUDIT_H
#define PG_AUDIT_H

#include "error.h"

/* Appends line and a newline to path (created 0640). A symbolic link at path,
 * or as its directory, is refused (O_NOFOLLOW), and so is anything but a
 * regular file: the error says so. */
int pg_audit_append(const char *path, const char *line, struct pg_error *err);

#endif
