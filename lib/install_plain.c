/* A plain repository: REPO/hooks/HOOK is pushguard's wrapper; a hook that was
 * there moves to hooks/HOOK.d/00-original (pushguard runs it through --chain
 * once its own checks pass), and uninstall moves it back. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "install_steps.h"

#include "atomic_file.h"

/* cp -p: content, mode, times, and (as root) owner. */
static int copy_file(const char *from, const char *to, struct pg_error *err)
{
	char chunk[8192];
	struct stat sb;
	struct timespec times[2];
	int in = -1, out = -1, ret = 0;
	ssize_t n;

	if ((in = open(from, O_RDONLY | O_CLOEXEC)) < 0 || fstat(in, &sb) < 0 ||
	    (out = open(to, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600)) < 0)
		goto fail;
	while ((n = read(in, chunk, sizeof(chunk))) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 || pg_write_all(out, chunk, (size_t)n) < 0)
			goto fail;
	}
	if ((geteuid() == 0 && fchown(out, sb.st_uid, sb.st_gid) < 0) || fchmod(out, sb.st_mode & 07777) < 0)
		goto fail;
	times[0] = sb.st_atim;
	times[1] = sb.st_mtim;
	if (futimens(out, times) < 0 || fsync(out) < 0)
		goto fail;
	goto done;
fail:
	ret = pg_error_set(err, PG_ERR, "cannot copy %s to %s: %s", from, to, strerror(errno));
	if (out >= 0)
		unlink(to);
done:
	if (in >= 0)
		close(in);
	if (out >= 0)
		close(out);
	return ret;
}

/* The target of the symbolic link at path into b. */
static int read_link(struct pg_buf *b, const char *path, struct pg_error *err)
{
	char target[4096];
	ssize_t n = readlink(path, target, sizeof(target));

	if (n < 0 || (size_t)n >= sizeof(target))
		return pg_error_set(err, PG_ERR, "cannot read the link %s: %s", path,
				    n < 0 ? strerror(errno) : "too long");
	pg_buf_reset(b);
	return pg_buf_add(b, target, (size_t)n) < 0 ? pg_error_oom(err) : 0;
}

/* Moves the hook that is not ours at hook into chain (hooks/H.d) as
 * 00-original (or 00-original-N): copied first, the wrapper then renamed over
 * it, so the repository is never without a hook. */
static int displace(struct pg_install_state *st, const char *repo, const char *hooks, const char *hook,
		    const char *chain, struct pg_error *err)
{
	struct pg_buf dest = PG_BUF_INIT, target = PG_BUF_INIT, moved = PG_BUF_INIT;
	struct stat sb;
	int ret = 0;

	pg_buf_addf(&dest, "%s/00-original", chain);
	for (int n = 2; !pg_buf_failed(&dest) && pg_install_exists(dest.ptr); n++) {
		pg_buf_reset(&dest);
		pg_buf_addf(&dest, "%s/00-original-%d", chain, n);
	}
	if (pg_buf_failed(&dest)) {
		ret = pg_error_oom(err);
		goto done;
	}
	pg_install_act(st, "move existing hook %s to %s", hook, dest.ptr);
	if (!st->o->dry_run) {
		if (!(stat(chain, &sb) == 0 && S_ISDIR(sb.st_mode))) {
			if ((ret = pg_install_make_dirs(chain, err)) < 0)
				goto done;
			pg_install_match_owner(chain, hooks);
		}
		if (lstat(hook, &sb) == 0 && S_ISLNK(sb.st_mode)) {
			/* one directory down: a relative target gets a ../ */
			if ((ret = read_link(&target, hook, err)) < 0)
				goto done;
			if (target.ptr[0] != '/')
				pg_buf_adds(&moved, "../");
			pg_buf_add(&moved, target.ptr, target.len);
			if (pg_buf_failed(&moved)) {
				ret = pg_error_oom(err);
				goto done;
			}
			if (symlink(moved.ptr, dest.ptr) < 0) {
				ret = pg_error_set(err, PG_ERR, "cannot create %s: %s", dest.ptr, strerror(errno));
				goto done;
			}
			pg_install_match_owner(dest.ptr, chain);
		} else if ((ret = copy_file(hook, dest.ptr, err)) < 0) {
			goto done;
		}
	}
	if (access(hook, X_OK) < 0)
		pg_install_warn(st, "%s: %s was not executable, so git was not running it; %s is left that way (chmod +x it to run it)",
				repo, hook, dest.ptr);
done:
	pg_buf_release(&dest);
	pg_buf_release(&target);
	pg_buf_release(&moved);
	return ret;
}

/* pushguard's wrapper as REPO/hooks/H. */
static int install_hook(struct pg_install_state *st, const char *repo, const char *h, struct pg_error *err)
{
	struct pg_buf hooks = PG_BUF_INIT, hook = PG_BUF_INIT, chain = PG_BUF_INIT, text = PG_BUF_INIT;
	struct stat sb;
	int ret = 0;

	pg_buf_addf(&hooks, "%s/hooks", repo);
	pg_buf_addf(&hook, "%s/%s", hooks.ptr, h);
	pg_buf_addf(&chain, "%s.d", hook.ptr);
	if (pg_buf_failed(&hooks) || pg_buf_failed(&hook) || pg_buf_failed(&chain) ||
	    pg_install_wrapper_text(&text, st->o->bindir, h) < 0) {
		ret = pg_error_oom(err);
		goto done;
	}
	if (pg_install_is_ours(hook.ptr)) {
		if (!pg_install_is_current(hook.ptr, &text)) {
			pg_install_act(st, "rewrite %s", hook.ptr);
			st->changed = true;
			if (!st->o->dry_run)
				ret = pg_install_write(hook.ptr, &text, err);
		}
		goto done;
	}
	if (pg_install_exists(hook.ptr) && (ret = displace(st, repo, hooks.ptr, hook.ptr, chain.ptr, err)) < 0)
		goto done;
	pg_install_act(st, "write hook %s -> %s/pushguard-%s", hook.ptr, st->o->bindir, h);
	st->changed = true;
	if (st->o->dry_run)
		goto done;
	if (!(stat(hooks.ptr, &sb) == 0 && S_ISDIR(sb.st_mode))) {
		if ((ret = pg_install_make_dirs(hooks.ptr, err)) < 0)
			goto done;
		pg_install_match_owner(hooks.ptr, repo);
	}
	ret = pg_install_write(hook.ptr, &text, err);
done:
	pg_buf_release(&hooks);
	pg_buf_release(&hook);
	pg_buf_release(&chain);
	pg_buf_release(&text);
	return ret;
}

int pg_install_plain(struct pg_install_state *st, const char *repo, struct pg_error *err)
{
	struct pg_buf path = PG_BUF_INIT, hp = PG_BUF_INIT;
	const char *hooks[3];
	size_t n = pg_install_hooks(st, hooks);
	int ret = 0, rc;

	pg_install_say(st, "==> %s", repo);
	pg_buf_addf(&path, "--git-dir=%s", repo);
	if (pg_buf_failed(&path)) {
		ret = pg_error_oom(err);
		goto done;
	}
	if ((rc = pg_install_git(&hp, err, path.ptr, "config", "--get", "core.hooksPath", NULL)) < 0) {
		ret = rc;
		goto done;
	}
	if (rc == 0 && hp.len)
		pg_install_warn(st, "%s: core.hooksPath is set (%s); git will not run hooks from %s/hooks", repo, hp.ptr,
				repo);
	for (size_t i = 0; i < n; i++) {
		pg_buf_reset(&path);
		pg_buf_addf(&path, "%s/hooks/%s", repo, hooks[i]);
		if (pg_buf_failed(&path)) {
			ret = pg_error_oom(err);
			goto done;
		}
		if (pg_install_is_dir(path.ptr)) {
			pg_install_errmsg(st, "%s: %s is a directory; leaving this repository alone", repo, path.ptr);
			st->failed++;
			goto done;
		}
	}
	st->changed = false;
	for (size_t i = 0; i < n; i++)
		if ((ret = install_hook(st, repo, hooks[i], err)) < 0)
			goto done;
	ret = pg_install_repo_finish(st, repo, err);
done:
	pg_buf_release(&path);
	pg_buf_release(&hp);
	return ret;
}

/* Puts orig (hooks/H.d/00-original) back as hook. */
static int restore(struct pg_install_state *st, const char *hooks, const char *h, const char *hook, const char *orig,
		   struct pg_error *err)
{
	struct pg_buf target = PG_BUF_INIT, up = PG_BUF_INIT, tmp = PG_BUF_INIT;
	struct stat sb;
	int ret = 0;

	pg_install_act(st, "move %s back to %s", orig, hook);
	if (st->o->dry_run)
		return 0;
	if (lstat(orig, &sb) == 0 && S_ISLNK(sb.st_mode)) {
		/* one directory up: ../x becomes x, a relative x H.d/x */
		if ((ret = read_link(&target, orig, err)) < 0)
			goto done;
		if (target.ptr[0] == '/')
			pg_buf_adds(&up, target.ptr);
		else if (!strncmp(target.ptr, "../", 3))
			pg_buf_adds(&up, target.ptr + 3);
		else
			pg_buf_addf(&up, "%s.d/%s", h, target.ptr);
		pg_buf_addf(&tmp, "%s/.%s.pushguard-old.%ld", hooks, h, (long)getpid());
		if (pg_buf_failed(&up) || pg_buf_failed(&tmp)) {
			ret = pg_error_oom(err);
			goto done;
		}
		unlink(tmp.ptr);
		if (symlink(up.ptr, tmp.ptr) < 0 || rename(tmp.ptr, hook) < 0 || unlink(orig) < 0)
			ret = pg_error_set(err, PG_ERR, "cannot move %s back to %s: %s", orig, hook, strerror(errno));
	} else if (rename(orig, hook) < 0) {
		ret = pg_error_set(err, PG_ERR, "cannot move %s back to %s: %s", orig, hook, strerror(errno));
	}
done:
	pg_buf_release(&target);
	pg_buf_release(&up);
	pg_buf_release(&tmp);
	return ret;
}

/* After hook H is removed: its H.d goes too when nothing else is in it. */
static int tidy_chain(struct pg_install_state *st, const char *chain, struct pg_error *err)
{
	if (!pg_install_is_dir(chain))
		return 0;
	/* in a dry run 00-original is still there: judge without it */
	if (!pg_install_dir_empty(chain, st->o->dry_run ? "00-original" : NULL)) {
		pg_install_say(st, "  %s%s (not empty)", st->o->dry_run ? "would leave " : "left ", chain);
		return 0;
	}
	pg_install_act(st, "remove empty %s", chain);
	if (!st->o->dry_run && rmdir(chain) < 0)
		return pg_error_set(err, PG_ERR, "cannot remove %s: %s", chain, strerror(errno));
	return 0;
}

/* Lists REPO/config's pushguard.* settings, which uninstall leaves alone. */
static int say_settings_left(struct pg_install_state *st, const char *repo, struct pg_error *err)
{
	struct pg_buf cfg = PG_BUF_INIT, kv = PG_BUF_INIT, cmd = PG_BUF_INIT;
	int ret = 0, rc;

	if (pg_buf_addf(&cfg, "%s/config", repo) < 0) {
		ret = pg_error_oom(err);
		goto done;
	}
	rc = pg_install_git(&kv, err, "config", "-f", cfg.ptr, "--get-regexp", "^pushguard\\.", NULL);
	if (rc < 0) {
		ret = rc;
		goto done;
	}
	if (rc || !kv.len || pg_buf_failed(&kv))
		goto done;
	pg_install_say(st, "  left pushguard settings in %s alone:", cfg.ptr);
	for (char *line = kv.ptr; line;) {
		char *nl = strchr(line, '\n');

		pg_install_say(st, "    %.*s", nl ? (int)(nl - line) : (int)strlen(line), line);
		line = nl ? nl + 1 : NULL;
	}
	pg_buf_adds(&cmd, "git config -f ");
	if (cfg.ptr[strspn(cfg.ptr, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-./,:@%+=")])
		pg_buf_add_shell_quoted(&cmd, cfg.ptr); /* quoted only when it needs to be */
	else
		pg_buf_adds(&cmd, cfg.ptr);
	pg_buf_adds(&cmd, " --remove-section pushguard");
	pg_install_say(st, "  (remove them with: %s)", pg_buf_failed(&cmd) ? "git config --remove-section pushguard" : cmd.ptr);
done:
	pg_buf_release(&cfg);
	pg_buf_release(&kv);
	pg_buf_release(&cmd);
	return ret;
}

int pg_uninstall_plain(struct pg_install_state *st, const char *repo, struct pg_error *err)
{
	struct pg_buf hooks = PG_BUF_INIT, hook = PG_BUF_INIT, chain = PG_BUF_INIT, orig = PG_BUF_INIT;
	const char *list[3];
	size_t n;
	bool found = false;
	int ret = 0;

	pg_install_say(st, "==> %s", repo);
	if (pg_buf_addf(&hooks, "%s/hooks", repo) < 0) {
		ret = pg_error_oom(err);
		goto done;
	}
	n = pg_install_uninstall_hooks(st, list, hooks.ptr, "");
	for (size_t i = 0; i < n; i++) {
		pg_buf_reset(&hook);
		pg_buf_reset(&chain);
		pg_buf_reset(&orig);
		pg_buf_addf(&hook, "%s/%s", hooks.ptr, list[i]);
		pg_buf_addf(&chain, "%s.d", hook.ptr);
		pg_buf_addf(&orig, "%s/00-original", chain.ptr);
		if (pg_buf_failed(&hook) || pg_buf_failed(&chain) || pg_buf_failed(&orig)) {
			ret = pg_error_oom(err);
			goto done;
		}
		if (!pg_install_is_ours(hook.ptr))
			continue;
		found = true;
		if (pg_install_exists(orig.ptr)) {
			ret = restore(st, hooks.ptr, list[i], hook.ptr, orig.ptr, err);
		} else {
			pg_install_act(st, "remove %s", hook.ptr);
			if (!st->o->dry_run && unlink(hook.ptr) < 0)
				ret = pg_error_set(err, PG_ERR, "cannot remove %s: %s", hook.ptr, strerror(errno));
		}
		if (ret < 0 || (ret = tidy_chain(st, chain.ptr, err)) < 0)
			goto done;
	}
	if (!found) {
		pg_install_say(st, "  not installed");
		st->not_installed++;
	}
	if ((ret = say_settings_left(st, repo, err)) < 0)
		goto done;
	st->repos++;
done:
	pg_buf_release(&hooks);
	pg_buf_release(&hook);
	pg_buf_release(&chain);
	pg_buf_release(&orig);
	return ret;
}
