#include "audit.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "atomic_file.h"
#include "buf.h"

#define WHAT "the audit log"
#define KEY "pushguard.auditLog"

int pg_audit_append(const char *path, const char *line, struct pg_error *err)
{
	struct pg_buf b = PG_BUF_INIT;
	const char *name, *p;
	struct stat st;
	size_t left;
	int dfd = -1, fd = -1, ret = PG_ERR;

	if (pg_buf_adds(&b, line) < 0 || pg_buf_addch(&b, '\n') < 0)
		return pg_error_oom(err);
	if ((ret = pg_open_dir_of(&dfd, &name, path, WHAT, KEY, err)) < 0)
		goto out;
	/* O_NOFOLLOW: a link planted at the log's name must not make pushguard append
	 * to whatever it points at; O_NONBLOCK: a FIFO there must not hang the push */
	if ((fd = openat(dfd, name, O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | O_NOCTTY,
			 0640)) < 0) {
		ret = pg_refuse_link(errno, dfd, name, path, WHAT, KEY, err);
		goto out;
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		ret = pg_error_set(err, PG_ERR, "refused to open " WHAT " %s (" KEY "): not a regular file", path);
		goto out;
	}
	while (flock(fd, LOCK_EX) < 0 && errno == EINTR)
		;
	for (p = b.ptr, left = b.len; left;) {
		ssize_t w = write(fd, p, left);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			ret = pg_error_set(err, PG_ERR, "cannot write " WHAT " %s (" KEY "): %s", path,
					   w < 0 ? strerror(errno) : "short write");
			goto out;
		}
		p += w;
		left -= (size_t)w;
	}
	ret = 0;
out:
	if (fd >= 0)
		close(fd);
	if (dfd >= 0)
		close(dfd);
	pg_buf_release(&b);
	return ret;
}
