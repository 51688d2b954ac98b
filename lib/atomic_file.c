#include "atomic_file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
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

int pg_atomic_file_write(const char *path, const void *data, size_t len, mode_t mode,
			 const char *what, struct pg_error *err)
{
	struct pg_buf tmp = PG_BUF_INIT, dir = PG_BUF_INIT;
	const char *slash = strrchr(path, '/');
	struct timespec now;
	int fd = -1, dfd, ret = PG_ERR;

	clock_gettime(CLOCK_REALTIME, &now);
	if (slash)
		pg_buf_add(&dir, path, (size_t)(slash - path) + (slash == path));
	else
		pg_buf_adds(&dir, ".");
	/* hidden, with no suffix a reader of the directory looks for (".event",
	 * ".prom"), and unique per writer */
	if (pg_buf_failed(&dir) || pg_buf_addf(&tmp, "%s/.%s.tmp-%ld-%ld", dir.ptr, slash ? slash + 1 : path, (long)getpid(),
			(long)now.tv_nsec) < 0) {
		ret = pg_error_set(err, PG_ERR, "out of memory");
		goto out;
	}
	if ((fd = open(tmp.ptr, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)) < 0 ||
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
	if (rename(tmp.ptr, path) < 0) {
		ret = pg_error_set(err, PG_ERR, "cannot replace %s (%s): %s", path, what, strerror(errno));
		goto out;
	}
	if ((dfd = open(dir.ptr, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) >= 0) {
		fsync(dfd); /* the rename itself survives a crash */
		close(dfd);
	}
	ret = 0;
out:
	if (fd >= 0)
		close(fd);
	if (ret < 0 && tmp.len)
		unlink(tmp.ptr);
	pg_buf_release(&tmp);
	pg_buf_release(&dir);
	return ret;
}
