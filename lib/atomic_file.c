#include "atomic_file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"

int pg_write_all(int fd, const void *data, size_t len)
{
	const char *p = data;

	while (len) {
		ssize_t w = write(fd, p, len);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		len -= (size_t)w;
	}
	return 0;
}

int pg_atomic_file_writeat(int dfd, const char *path, const char *name, const void *data, size_t len,
			   mode_t mode, const char *what, struct pg_error *err)
{
	struct pg_buf tmp = PG_BUF_INIT;
	struct timespec now;
	int fd = -1, ret = PG_ERR;

	clock_gettime(CLOCK_REALTIME, &now);
	/* hidden, with no suffix a reader of the directory looks for (".event",
	 * ".prom"), and unique per writer */
	if (pg_buf_addf(&tmp, ".%s.tmp-%ld-%ld", name, (long)getpid(), (long)now.tv_nsec) < 0) {
		ret = pg_error_oom(err);
		goto out;
	}
	if ((fd = openat(dfd, tmp.ptr, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode)) < 0 ||
	    pg_write_all(fd, data, len) < 0 || fsync(fd) < 0) {
		ret = pg_error_set(err, PG_ERR, "cannot write %s (%s): %s", path, what, strerror(errno));
		goto out;
	}
	if (close(fd) < 0) {
		fd = -1;
		ret = pg_error_set(err, PG_ERR, "cannot write %s (%s): %s", path, what, strerror(errno));
		goto out;
	}
	fd = -1;
	if (renameat(dfd, tmp.ptr, dfd, name) < 0) {
		ret = pg_error_set(err, PG_ERR, "cannot replace %s (%s): %s", path, what, strerror(errno));
		goto out;
	}
	fsync(dfd); /* the rename itself survives a crash */
	ret = 0;
out:
	if (fd >= 0)
		close(fd);
	if (ret < 0 && tmp.len)
		unlinkat(dfd, tmp.ptr, 0);
	pg_buf_release(&tmp);
	return ret;
}

int pg_atomic_file_write(const char *path, const void *data, size_t len, mode_t mode,
			 const char *what, struct pg_error *err)
{
	struct pg_buf dir = PG_BUF_INIT;
	const char *slash = strrchr(path, '/');
	int dfd = -1, ret = PG_ERR;

	if ((slash ? pg_buf_add(&dir, path, (size_t)(slash - path) + (slash == path)) : pg_buf_adds(&dir, ".")) < 0) {
		ret = pg_error_oom(err);
		goto out;
	}
	if ((dfd = open(dir.ptr, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0) {
		ret = pg_error_set(err, PG_ERR, "cannot write %s (%s): %s", path, what, strerror(errno));
		goto out;
	}
	ret = pg_atomic_file_writeat(dfd, path, slash ? slash + 1 : path, data, len, mode, what, err);
out:
	if (dfd >= 0)
		close(dfd);
	pg_buf_release(&dir);
	return ret;
}

int pg_open_dir_of(int *dfd, const char **name, const char *path, const char *what, const char *key,
		   struct pg_error *err)
{
	struct pg_buf dir = PG_BUF_INIT;
	const char *slash = strrchr(path, '/');
	struct stat st;
	int ret = PG_ERR;

	*dfd = -1;
	*name = slash ? slash + 1 : path;
	if ((slash ? pg_buf_add(&dir, path, (size_t)(slash - path) + (slash == path)) : pg_buf_adds(&dir, ".")) < 0) {
		ret = pg_error_oom(err);
		goto out;
	}
	if ((*dfd = open(dir.ptr, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) < 0) {
		if (lstat(dir.ptr, &st) == 0 && S_ISLNK(st.st_mode))
			ret = pg_error_set(err, PG_ERR, "refused to open %s %s (%s): its directory %s is a symbolic "
					   "link, which pushguard does not follow (a link can point anywhere): give "
					   "the real path", what, path, key, dir.ptr);
		else
			ret = pg_error_set(err, PG_ERR, "cannot open %s %s (%s): %s: %s", what, path, key, dir.ptr,
					   strerror(errno));
		goto out;
	}
	ret = 0;
out:
	pg_buf_release(&dir);
	return ret;
}

int pg_refuse_link(int fd_errno, int dfd, const char *name, const char *path, const char *what,
		   const char *key, struct pg_error *err)
{
	struct stat st;

	if (fd_errno == ELOOP || (fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK(st.st_mode)))
		return pg_error_set(err, PG_ERR, "refused to open %s %s (%s): it is a symbolic link, which "
				    "pushguard does not follow (a link can point anywhere): remove it or give the "
				    "real path", what, path, key);
	return pg_error_set(err, PG_ERR, "cannot open %s %s (%s): %s", what, path, key, strerror(fd_errno));
}
