#include "secretfile.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>

int pg_secretfile_check(FILE *fp, const char *key, const char *path, const char *origin,
			struct pg_error *err)
{
	struct stat st;

	if (fstat(fileno(fp), &st) < 0)
		return pg_error_set(err, PG_ECONFIG, "%s = '%s' in %s: cannot stat the file: %s", key, path,
				    origin, strerror(errno));
	if (st.st_mode & S_IROTH)
		return pg_error_set(err, PG_ECONFIG, "%s = '%s' in %s: the file is readable by every user of "
				    "this server (mode %04o); it holds a secret: chmod 600 %s (owned by the "
				    "git user; group-readable is allowed)", key, path, origin,
				    (unsigned)(st.st_mode & 07777), path);
	return 0;
}
