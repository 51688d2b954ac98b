#include "spool.h"

#include "atomic_file.h"

#include <stdbool.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"

#define SPOOL_MAGIC "pushguard-spool 2 "
#define SPOOL_MAGIC_V1 "pushguard-spool 1 "
#define SPOOL_LOCK ".sender.lock"
#define SPOOL_MAX ((size_t)16 << 20)

static int mkdir_p(const char *dir)
{
	char *p = strdup(dir), *s;
	int rc = 0;

	if (!p)
		return -1;
	for (s = p + 1; *s; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		if (mkdir(p, 0700) < 0 && errno != EEXIST)
			rc = -1;
		*s = '/';
	}
	if (mkdir(p, 0700) < 0 && errno != EEXIST)
		rc = -1;
	else
		rc = 0;
	free(p);
	return rc;
}

int pg_spool_write(const char *dir, const char *id, const char *dest, const char *event_json,
		   struct pg_error *err)
{
	struct pg_buf dst = PG_BUF_INIT, body = PG_BUF_INIT;
	int ret = PG_ERR;

	if (strchr(dest, '\n') || strchr(event_json, '\n'))
		return pg_error_set(err, PG_EINPUT, "event or destination spans lines");
	if (pg_buf_addf(&dst, "%s/%lld-%s.event", dir, (long long)time(NULL), id) < 0 ||
	    pg_buf_addf(&body, SPOOL_MAGIC "%s\n%s\n", dest, event_json) < 0) {
		ret = pg_error_oom(err);
		goto out;
	}
	if (mkdir_p(dir) < 0) {
		ret = pg_error_set(err, PG_ERR, "cannot create the webhook spool directory %s: %s", dir, strerror(errno));
		goto out;
	}
	if ((ret = pg_atomic_file_write(dst.ptr, body.ptr, body.len, 0600, "the webhook spool", err)) < 0)
		goto out;
	ret = 0;
out:
	pg_buf_release(&dst);
	pg_buf_release(&body);
	return ret;
}

static bool is_spool_name(const char *n)
{
	size_t len = strlen(n);

	return n[0] != '.' && len > 6 && !strcmp(n + len - 6, ".event");
}

static int by_name(const void *a, const void *b)
{
	const char *x = *(char *const *)a, *y = *(char *const *)b;
	long long tx = atoll(x), ty = atoll(y);

	if (tx != ty)
		return tx < ty ? -1 : 1;
	return strcmp(x, y);
}

int pg_spool_list(struct pg_strvec *out, const char *dir, struct pg_error *err)
{
	DIR *d = opendir(dir);
	struct dirent *e;

	if (!d) {
		if (errno == ENOENT)
			return 0;
		return pg_error_set(err, PG_ERR, "cannot read the webhook spool %s: %s", dir, strerror(errno));
	}
	while ((e = readdir(d)))
		if (is_spool_name(e->d_name) && pg_strvec_push(out, e->d_name) < 0) {
			closedir(d);
			return pg_error_oom(err);
		}
	closedir(d);
	if (out->n)
		qsort(out->v, out->n, sizeof(*out->v), by_name);
	return 0;
}

int pg_spool_has_due(const char *dir, time_t now)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int due = 0;

	if (!d)
		return 0;
	while (!due && (e = readdir(d))) {
		struct stat st;

		if (is_spool_name(e->d_name) && !fstatat(dirfd(d), e->d_name, &st, 0) && st.st_mtime <= now)
			due = 1;
	}
	closedir(d);
	return due;
}

void pg_spool_release(struct pg_spool_item *item)
{
	if (item->fd >= 0)
		close(item->fd); /* drops the flock */
	free(item->path);
	free(item->dest);
	free(item->event);
	*item = (struct pg_spool_item)PG_SPOOL_ITEM_INIT;
}

int pg_spool_claim(struct pg_spool_item *item, const char *dir, const char *name, struct pg_error *err)
{
	struct pg_buf path = PG_BUF_INIT, data = PG_BUF_INIT;
	struct stat st;
	char chunk[8192], *nl;
	ssize_t n;
	int ret = PG_ERR;

	*item = (struct pg_spool_item)PG_SPOOL_ITEM_INIT;
	if (pg_buf_addf(&path, "%s/%s", dir, name) < 0) {
		ret = pg_error_oom(err);
		goto fail;
	}
	if ((item->fd = open(path.ptr, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)) < 0) {
		if (errno == ENOENT) {
			ret = 0;
			goto fail;
		}
		ret = pg_error_set(err, PG_ERR, "cannot open %s: %s", path.ptr, strerror(errno));
		goto fail;
	}
	if (flock(item->fd, LOCK_EX | LOCK_NB) < 0) {
		ret = 0; /* another sender has it */
		goto fail;
	}
	/* it may have been delivered and removed between our open() and flock() */
	if (fstat(item->fd, &st) < 0 || st.st_nlink == 0 || !S_ISREG(st.st_mode)) {
		ret = 0;
		goto fail;
	}
	pg_buf_init(&data, SPOOL_MAX);
	while ((n = read(item->fd, chunk, sizeof(chunk))) > 0)
		if (pg_buf_add(&data, chunk, (size_t)n) < 0)
			break;
	if (!strncmp(data.ptr, SPOOL_MAGIC, strlen(SPOOL_MAGIC)))
		item->version = 2;
	else if (!strncmp(data.ptr, SPOOL_MAGIC_V1, strlen(SPOOL_MAGIC_V1)))
		item->version = 1;
	if (n != 0 || !item->version || !(nl = strchr(data.ptr, '\n'))) {
		ret = pg_error_set(err, PG_EINPUT, "%s is not a pushguard spool file", path.ptr);
		goto fail;
	}
	*nl = '\0';
	item->dest = strdup(data.ptr + strlen(SPOOL_MAGIC));
	item->event = strndup(nl + 1, strcspn(nl + 1, "\n"));
	item->path = pg_buf_detach(&path);
	item->not_before = st.st_mtime;
	item->created = (time_t)atoll(name);
	pg_buf_release(&data);
	if (!item->dest || !item->event || !item->path) {
		pg_spool_release(item);
		return pg_error_oom(err);
	}
	return 1;
fail:
	pg_buf_release(&path);
	pg_buf_release(&data);
	pg_spool_release(item);
	return ret;
}

int pg_spool_done(struct pg_spool_item *item, struct pg_error *err)
{
	int ret = 0;

	if (item->path && unlink(item->path) < 0 && errno != ENOENT)
		ret = pg_error_set(err, PG_ERR, "cannot remove the delivered event %s: %s", item->path, strerror(errno));
	pg_spool_release(item);
	return ret;
}

void pg_spool_defer(struct pg_spool_item *item, time_t when)
{
	struct timespec ts[2] = { { when, 0 }, { when, 0 } };

	if (item->fd >= 0)
		futimens(item->fd, ts); /* needs ownership; failing that, it is merely retried sooner */
	pg_spool_release(item);
}

int pg_spool_rewrite(struct pg_spool_item *item, const char *dest, struct pg_error *err)
{
	struct pg_buf body = PG_BUF_INIT;
	struct stat st;
	int fd = -1, ret = PG_ERR;

	if (strchr(dest, '\n'))
		return pg_error_set(err, PG_EINPUT, "destination spans lines");
	if (pg_buf_addf(&body, SPOOL_MAGIC "%s\n%s\n", dest, item->event) < 0) {
		ret = pg_error_oom(err);
		goto out;
	}
	/* the new file replaces the name; the old one, still locked, is delivered by nobody */
	if ((ret = pg_atomic_file_write(item->path, body.ptr, body.len, 0600, "the webhook spool", err)) < 0)
		goto out;
	if ((fd = open(item->path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)) < 0 || flock(fd, LOCK_EX | LOCK_NB) < 0 ||
	    fstat(fd, &st) < 0 || st.st_nlink == 0) {
		ret = 1; /* another sender has the new file (or delivered it already) */
		pg_spool_release(item);
		goto out;
	}
	close(item->fd);
	item->fd = fd;
	fd = -1;
	free(item->dest);
	item->version = 2;
	if (!(item->dest = strdup(dest))) {
		pg_spool_release(item);
		ret = pg_error_oom(err);
		goto out;
	}
	ret = 0;
out:
	if (fd >= 0)
		close(fd);
	pg_buf_release(&body);
	return ret;
}

int pg_spool_lock(int *fd, const char *dir, struct pg_error *err)
{
	struct pg_buf path = PG_BUF_INIT;
	int ret = PG_ERR;

	*fd = -1;
	if (pg_buf_addf(&path, "%s/" SPOOL_LOCK, dir) < 0) {
		ret = pg_error_oom(err);
		goto out;
	}
	if (mkdir_p(dir) < 0) {
		ret = pg_error_set(err, PG_ERR, "cannot create the webhook spool directory %s: %s", dir, strerror(errno));
		goto out;
	}
	if ((*fd = open(path.ptr, O_RDWR | O_CREAT | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, 0600)) < 0) {
		ret = pg_error_set(err, PG_ERR, "cannot open the webhook sender lock %s: %s", path.ptr,
				   errno == ELOOP ? "it is a symbolic link" : strerror(errno));
		goto out;
	}
	if (flock(*fd, LOCK_EX | LOCK_NB) < 0) {
		if (errno != EWOULDBLOCK) {
			ret = pg_error_set(err, PG_ERR, "cannot lock %s: %s", path.ptr, strerror(errno));
			goto out;
		}
		ret = 0; /* a sender is running: it takes what is spooled */
		goto out;
	}
	ret = 1;
out:
	if (ret != 1 && *fd >= 0) {
		close(*fd);
		*fd = -1;
	}
	pg_buf_release(&path);
	return ret;
}
