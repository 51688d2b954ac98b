#include "audit.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "buf.h"

int pg_audit_append(const char *path, const char *line, struct pg_error *err)
{
	struct pg_buf b = PG_BUF_INIT;
	const char *p;
	size_t left;
	int fd = -1, ret = PG_ERR;

	if (pg_buf_adds(&b, line) < 0 || pg_buf_addch(&b, '\n') < 0)
		return pg_error_set(err, PG_ERR, "out of memory");
	if ((fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOCTTY, 0640)) < 0) {
		ret = pg_error_set(err, PG_ERR, "cannot open the audit log %s (pushguard.auditLog): %s", path,
				   strerror(errno));
		goto out;
	}
	while (flock(fd, LOCK_EX) < 0 && errno == EINTR)
		;
	for (p = b.ptr, left = b.len; left;) {
		ssize_t w = write(fd, p, left);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			ret = pg_error_set(err, PG_ERR, "cannot write the audit log %s (pushguard.auditLog): %s", path,
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
	pg_buf_release(&b);
	return ret;
}
