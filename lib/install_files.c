#include "install_files.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "atomic_file.h"

#define MAX_HOOK_SIZE ((size_t)1 << 20) /* a hook larger than this is not read whole */

static void vline(FILE *fp, const char *prefix, const char *fmt, va_list ap)
{
	fputs(prefix, fp);
	vfprintf(fp, fmt, ap);
	fputc('\n', fp);
	fflush(fp);
}

void pg_install_say(struct pg_install_state *st, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vline(st->out, "", fmt, ap);
	va_end(ap);
}

void pg_install_act(struct pg_install_state *st, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vline(st->out, st->o->dry_run ? "  would " : "  ", fmt, ap);
	va_end(ap);
}

void pg_install_warn(struct pg_install_state *st, const char *fmt, ...)
{
	va_list ap;

	fflush(st->out);
	va_start(ap, fmt);
	vline(st->errout, "pushguard: warning: ", fmt, ap);
	va_end(ap);
}

void pg_install_errmsg(struct pg_install_state *st, const char *fmt, ...)
{
	va_list ap;

	fflush(st->out);
	va_start(ap, fmt);
	vline(st->errout, "pushguard: error: ", fmt, ap);
	va_end(ap);
}

int pg_install_read(struct pg_buf *b, const char *path)
{
	char chunk[8192];
	struct stat st;
	ssize_t n;
	int fd, ret = -1;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return -1;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode))
		goto done;
	while ((n = read(fd, chunk, sizeof(chunk))) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 || pg_buf_add(b, chunk, (size_t)n) < 0)
			goto done;
		if (b->len >= MAX_HOOK_SIZE)
			break;
	}
	ret = 0;
done:
	close(fd);
	return ret;
}

bool pg_install_is_ours(const char *path)
{
	struct pg_buf b = PG_BUF_INIT;
	size_t mlen = strlen(PG_INSTALL_MARKER);
	bool ours = false;

	if (pg_install_read(&b, path) == 0) {
		for (const char *line = b.ptr;;) {
			if (!strncmp(line, PG_INSTALL_MARKER, mlen)) {
				ours = true;
				break;
			}
			if (!(line = strchr(line, '\n')))
				break;
			line++;
		}
	}
	pg_buf_release(&b);
	return ours;
}

bool pg_install_exists(const char *path)
{
	struct stat st;

	return lstat(path, &st) == 0;
}

bool pg_install_is_dir(const char *path)
{
	struct stat st;

	return lstat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static int add_binary(struct pg_buf *b, const char *bindir, const char *hook)
{
	struct pg_buf bin = PG_BUF_INIT;
	int ret;

	pg_buf_addf(&bin, "%s/pushguard-%s", bindir, hook);
	ret = pg_buf_failed(&bin) ? -1 : pg_buf_add_shell_quoted(b, bin.ptr);
	pg_buf_release(&bin);
	return ret;
}

int pg_install_wrapper_text(struct pg_buf *b, const char *bindir, const char *hook)
{
	pg_buf_adds(b, "#!/bin/sh\n" PG_INSTALL_MARKER ". Remove with: install.sh --uninstall REPO\nexec ");
	add_binary(b, bindir, hook);
	pg_buf_addf(b, " --chain \"${0%%/*}/%s.d\" \"$@\"\n", hook);
	return pg_buf_failed(b) ? -1 : 0;
}

int pg_install_entry_text(struct pg_buf *b, const char *bindir, const char *hook, const char *how)
{
	pg_buf_addf(b, "#!/bin/sh\n" PG_INSTALL_MARKER ". Remove with: install.sh --uninstall %s\nexec ", how);
	add_binary(b, bindir, hook);
	pg_buf_adds(b, " \"$@\"\n");
	return pg_buf_failed(b) ? -1 : 0;
}

bool pg_install_is_current(const char *path, const struct pg_buf *text)
{
	struct pg_buf b = PG_BUF_INIT;
	struct stat st;
	bool same;

	if (lstat(path, &st) < 0 || !S_ISREG(st.st_mode) || (st.st_mode & 07777) != 0755 ||
	    (size_t)st.st_size != text->len)
		return false;
	same = pg_install_read(&b, path) == 0 && b.len == text->len && !memcmp(b.ptr, text->ptr, b.len);
	pg_buf_release(&b);
	return same;
}

void pg_install_match_owner(const char *path, const char *like)
{
	struct stat st;

	if (geteuid() != 0 || stat(like, &st) < 0)
		return;
	if (lchown(path, st.st_uid, st.st_gid) < 0)
		return; /* best effort: the file is there, owned by root */
}

/* The directory path is in (path up to its last slash; "/" or "."). */
static int parent_of(struct pg_buf *out, const char *path)
{
	const char *slash = strrchr(path, '/');

	pg_buf_reset(out);
	if (!slash)
		pg_buf_addch(out, '.');
	else if (slash == path)
		pg_buf_addch(out, '/');
	else
		pg_buf_add(out, path, (size_t)(slash - path));
	return pg_buf_failed(out) ? -1 : 0;
}

int pg_install_make_dirs(const char *dir, struct pg_error *err)
{
	struct pg_buf parent = PG_BUF_INIT;
	struct stat st;
	int ret = 0;

	if (stat(dir, &st) == 0 && S_ISDIR(st.st_mode))
		return 0;
	if (parent_of(&parent, dir) < 0) {
		ret = pg_error_oom(err);
		goto done;
	}
	if (strcmp(parent.ptr, dir) && (ret = pg_install_make_dirs(parent.ptr, err)) < 0)
		goto done;
	if (mkdir(dir, 0777) < 0 && errno != EEXIST) {
		ret = pg_error_set(err, PG_ERR, "cannot create directory %s: %s", dir, strerror(errno));
		goto done;
	}
	pg_install_match_owner(dir, parent.ptr);
done:
	pg_buf_release(&parent);
	return ret;
}

int pg_install_write(const char *path, const struct pg_buf *text, struct pg_error *err)
{
	struct pg_buf dir = PG_BUF_INIT, tmp = PG_BUF_INIT;
	struct stat st;
	int fd = -1, ret = 0;

	if (parent_of(&dir, path) < 0 || pg_buf_addf(&tmp, "%s/.pushguard-new.%ld", dir.ptr, (long)getpid()) < 0) {
		ret = pg_error_oom(err);
		goto done;
	}
	unlink(tmp.ptr); /* one a crashed run left */
	if ((fd = open(tmp.ptr, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600)) < 0 ||
	    pg_write_all(fd, text->ptr, text->len) < 0 || fchmod(fd, 0755) < 0 ||
	    (geteuid() == 0 && stat(dir.ptr, &st) == 0 && fchown(fd, st.st_uid, st.st_gid) < 0) || fsync(fd) < 0) {
		ret = pg_error_set(err, PG_ERR, "cannot write %s: %s", tmp.ptr, strerror(errno));
		goto done;
	}
	if (close(fd) < 0) {
		fd = -1;
		ret = pg_error_set(err, PG_ERR, "cannot write %s: %s", tmp.ptr, strerror(errno));
		goto done;
	}
	fd = -1;
	if (rename(tmp.ptr, path) < 0)
		ret = pg_error_set(err, PG_ERR, "cannot rename %s to %s: %s", tmp.ptr, path, strerror(errno));
done:
	if (fd >= 0)
		close(fd);
	if (ret < 0 && tmp.len)
		unlink(tmp.ptr);
	pg_buf_release(&dir);
	pg_buf_release(&tmp);
	return ret;
}

int pg_install_place(struct pg_install_state *st, const char *path, const struct pg_buf *text,
		     const char *hook, struct pg_error *err)
{
	struct pg_buf dir = PG_BUF_INIT;
	int ret = 0;

	if (pg_install_is_current(path, text))
		return 0;
	if (pg_install_exists(path) && !pg_install_is_ours(path)) {
		pg_install_errmsg(st, "%s exists and is not pushguard's; leaving it alone", path);
		st->failed++;
		return 0;
	}
	pg_install_act(st, "write %s -> %s/pushguard-%s", path, st->o->bindir, hook);
	st->changed = true;
	if (st->o->dry_run)
		return 0;
	if (parent_of(&dir, path) < 0) {
		ret = pg_error_oom(err);
		goto done;
	}
	if ((ret = pg_install_make_dirs(dir.ptr, err)) < 0)
		goto done;
	ret = pg_install_write(path, text, err);
done:
	pg_buf_release(&dir);
	return ret;
}

bool pg_install_dir_empty(const char *dir, const char *except)
{
	struct dirent *de;
	bool empty = true;
	DIR *d;

	if (!(d = opendir(dir)))
		return false;
	while (empty && (de = readdir(d)))
		empty = !strcmp(de->d_name, ".") || !strcmp(de->d_name, "..") ||
			(except && !strcmp(de->d_name, except));
	closedir(d);
	return empty;
}

int pg_install_remove_ours(struct pg_install_state *st, const char *path, int up, struct pg_error *err)
{
	struct pg_buf d = PG_BUF_INIT, next = PG_BUF_INIT;
	int ret = 0;

	if (!pg_install_is_ours(path))
		return 0;
	st->found = true;
	pg_install_act(st, "remove %s", path);
	if (st->o->dry_run)
		return 0;
	if (unlink(path) < 0) {
		ret = pg_error_set(err, PG_ERR, "cannot remove %s: %s", path, strerror(errno));
		goto done;
	}
	if (parent_of(&d, path) < 0) {
		ret = pg_error_oom(err);
		goto done;
	}
	for (; up >= 0 && pg_install_is_dir(d.ptr) && pg_install_dir_empty(d.ptr, NULL); up--) {
		pg_install_act(st, "remove empty %s", d.ptr);
		if (rmdir(d.ptr) < 0) {
			ret = pg_error_set(err, PG_ERR, "cannot remove %s: %s", d.ptr, strerror(errno));
			goto done;
		}
		if (parent_of(&next, d.ptr) < 0) {
			ret = pg_error_oom(err);
			goto done;
		}
		pg_buf_reset(&d);
		pg_buf_add(&d, next.ptr, next.len);
	}
done:
	pg_buf_release(&d);
	pg_buf_release(&next);
	return ret;
}
