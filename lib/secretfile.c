#include "secretfile.h"

#include <errno.h>
#include <stdlib.h>
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

int pg_secretfile_read(char **out, const char *key, const char *path, const char *origin,
		       size_t max, struct pg_error *err)
{
	FILE *fp = fopen(path, "r");
	char *buf = NULL;
	size_t n;
	int ret;

	*out = NULL;
	if (!fp)
		return pg_error_set(err, PG_ECONFIG, "%s = '%s' in %s: cannot read the file: %s", key, path,
				    origin, strerror(errno));
	if ((ret = pg_secretfile_check(fp, key, path, origin, err)) < 0)
		goto out;
	if (!(buf = malloc(max + 1))) {
		ret = pg_error_oom(err);
		goto out;
	}
	n = fread(buf, 1, max, fp);
	buf[n] = '\0';
	buf[strcspn(buf, "\r\n")] = '\0';
	n = strlen(buf);
	while (n && (buf[n - 1] == ' ' || buf[n - 1] == '\t'))
		buf[--n] = '\0';
	if (!n)
		ret = pg_error_set(err, PG_ECONFIG, "%s = '%s' in %s: the file is empty", key, path, origin);
	else if (n >= max)
		ret = pg_error_set(err, PG_ECONFIG, "%s = '%s' in %s: the first line is too long", key, path, origin);
	else if (!(*out = strdup(buf)))
		ret = pg_error_oom(err);
	else
		ret = 0;
out:
	if (buf) {
		explicit_bzero(buf, max + 1);
		free(buf);
	}
	fclose(fp);
	return ret;
}
