/* Permissions of files holding tokens and secrets (pushguard.tickets.tokenFile,
 * pushguard.webhook.secretFile, pushguard.webhook.tokenFile): a file every
 * user of the server can read is refused; group-readable is allowed. */
#ifndef PG_SECRETFILE_H
#define PG_SECRETFILE_H

#include <stddef.h>
#include <stdio.h>

#include "error.h"

/* 0 when the open file fp may hold a secret; PG_ECONFIG naming key, path,
 * origin (where key was set) and the fix when it is world-readable. */
int pg_secretfile_check(FILE *fp, const char *key, const char *path, const char *origin,
			struct pg_error *err);

/* The secret itself: the first line of the file at path, trailing blanks
 * stripped, at most max - 1 bytes, after pg_secretfile_check. Caller frees
 * *out (wiping it first is kind). The secret never goes into err. */
int pg_secretfile_read(char **out, const char *key, const char *path, const char *origin,
		       size_t max, struct pg_error *err);

#endif
