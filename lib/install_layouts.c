/* Layouts where pushguard is one entry among the server's own: Gitea/Forgejo
 * and GitLab repositories (HOOK.d/pushguard, run by the server's HOOK), and
 * the server-wide places: --global DIR (plain: DIR/HOOK and core.hooksPath;
 * gitlab: Gitaly's custom_hooks_dir) and gitolite's LOCAL_CODE. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "install_steps.h"

size_t pg_install_hooks(const struct pg_install_state *st, const char *list[3])
{
	list[0] = st->hook;
	list[1] = "post-receive";
	return 2;
}

static bool ours_at(const char *base, const char *hook, const char *suffix)
{
	struct pg_buf path = PG_BUF_INIT;
	bool ours;

	pg_buf_addf(&path, "%s/%s%s", base, hook, suffix);
	ours = !pg_buf_failed(&path) && pg_install_is_ours(path.ptr);
	pg_buf_release(&path);
	return ours;
}

size_t pg_install_uninstall_hooks(const struct pg_install_state *st, const char *list[3], const char *base,
				  const char *suffix)
{
	static const char *const both[] = { "pre-receive", "update" };
	size_t n = 0;
	bool keep = false;

	if (st->o->hook_set) {
		list[n++] = st->hook;
	} else {
		list[n++] = both[0];
		list[n++] = both[1];
	}
	for (size_t i = 0; i < 2; i++)
		if (strcmp(both[i], list[0]) && (n == 1 || strcmp(both[i], list[1])) && ours_at(base, both[i], suffix))
			keep = true;
	if (!keep)
		list[n++] = "post-receive";
	return n;
}

/* Where HOOK.d entries go in repository repo for server. */
static int entry_base(struct pg_buf *b, enum pg_install_server server, const char *repo)
{
	return pg_buf_addf(b, "%s/%s", repo, server == PG_INSTALL_GITLAB ? "custom_hooks" : "hooks");
}

/* Writes BASE/HOOK.d/pushguard for each hook of the install (a HOOK.d entry,
 * removed with "install.sh --uninstall HOW"). */
static int place_entries(struct pg_install_state *st, const char *base, const char *how, const char *repo,
			 struct pg_error *err)
{
	struct pg_buf path = PG_BUF_INIT, text = PG_BUF_INIT, top = PG_BUF_INIT;
	const char *hooks[3];
	size_t n = pg_install_hooks(st, hooks);
	int ret = 0;

	for (size_t i = 0; i < n; i++) {
		pg_buf_reset(&path);
		pg_buf_reset(&text);
		pg_buf_addf(&path, "%s/%s.d/pushguard", base, hooks[i]);
		if (pg_buf_failed(&path) || pg_install_entry_text(&text, st->o->bindir, hooks[i], how) < 0) {
			ret = pg_error_oom(err);
			goto done;
		}
		if (repo) { /* Gitea's own hooks/HOOK runs the entries */
			struct stat sb;

			pg_buf_reset(&top);
			pg_buf_addf(&top, "%s/hooks/%s", repo, hooks[i]);
			if (!pg_buf_failed(&top) && !(stat(top.ptr, &sb) == 0 && S_ISREG(sb.st_mode)))
				pg_install_warn(st, "%s: no hooks/%s: Gitea writes it (Site Administration: resynchronize git hooks); until then %s.d is not run",
						repo, hooks[i], hooks[i]);
		}
		if ((ret = pg_install_place(st, path.ptr, &text, hooks[i], err)) < 0)
			goto done;
	}
done:
	pg_buf_release(&path);
	pg_buf_release(&text);
	pg_buf_release(&top);
	return ret;
}

/* Removes BASE/HOOK.d/pushguard for each hook of the uninstall, its HOOK.d
 * when empty and up to `up` more directories. */
static int remove_entries(struct pg_install_state *st, const char *base, int up, struct pg_error *err)
{
	struct pg_buf path = PG_BUF_INIT;
	const char *hooks[3];
	size_t n = pg_install_uninstall_hooks(st, hooks, base, ".d/pushguard");
	int ret = 0;

	for (size_t i = 0; i < n; i++) {
		pg_buf_reset(&path);
		if (pg_buf_addf(&path, "%s/%s.d/pushguard", base, hooks[i]) < 0) {
			ret = pg_error_oom(err);
			break;
		}
		if ((ret = pg_install_remove_ours(st, path.ptr, up, err)) < 0)
			break;
	}
	pg_buf_release(&path);
	return ret;
}

int pg_install_entry(struct pg_install_state *st, enum pg_install_server server, const char *repo,
		     struct pg_error *err)
{
	struct pg_buf base = PG_BUF_INIT, how = PG_BUF_INIT;
	const char *name = pg_install_server_name(server);
	int ret;

	st->changed = false;
	pg_install_say(st, "==> %s (%s)", repo, name);
	entry_base(&base, server, repo);
	pg_buf_addf(&how, "--server %s REPO", name);
	if (pg_buf_failed(&base) || pg_buf_failed(&how)) {
		ret = pg_error_oom(err);
		goto done;
	}
	if ((ret = place_entries(st, base.ptr, how.ptr, server == PG_INSTALL_GITEA ? repo : NULL, err)) < 0)
		goto done;
	ret = pg_install_repo_finish(st, repo, err);
done:
	pg_buf_release(&base);
	pg_buf_release(&how);
	return ret;
}

int pg_uninstall_entry(struct pg_install_state *st, enum pg_install_server server, const char *repo,
		       struct pg_error *err)
{
	struct pg_buf base = PG_BUF_INIT;
	int ret;

	st->found = false;
	pg_install_say(st, "==> %s (%s)", repo, pg_install_server_name(server));
	if (entry_base(&base, server, repo) < 0) {
		ret = pg_error_oom(err);
		goto done;
	}
	/* gitlab: custom_hooks/HOOK.d, then custom_hooks */
	if ((ret = remove_entries(st, base.ptr, server == PG_INSTALL_GITLAB ? 1 : 0, err)) < 0)
		goto done;
	if (!st->found) {
		pg_install_say(st, "  not installed");
		st->not_installed++;
	}
	st->repos++;
done:
	pg_buf_release(&base);
	return ret;
}

/* core.hooksPath in git's system config (GIT_CONFIG_SYSTEM, else /etc/gitconfig), or "". */
static int system_hooks_path(struct pg_buf *out, struct pg_error *err)
{
	int rc = pg_install_git(out, err, "config", "--system", "--get", "core.hooksPath", NULL);

	if (rc > 0)
		pg_buf_reset(out);
	return rc < 0 ? rc : 0;
}

static int git_system(struct pg_error *err, const char *what, const char *a, const char *b)
{
	int rc = pg_install_git(NULL, err, "config", "--system", a, b, NULL);

	if (rc > 0) {
		char why[sizeof(err->msg)]; /* git's reason, which err holds now */

		snprintf(why, sizeof(why), "%s", err->msg);
		return pg_error_set(err, PG_ERR, "cannot %s in git's system config: %s", what, why);
	}
	return rc;
}

/* Writes DIR/HOOK (the wrapper, with --chain) for each hook of hooks. */
static int place_wrappers(struct pg_install_state *st, const char *dir, const char *const *hooks, size_t n,
			  struct pg_error *err)
{
	struct pg_buf path = PG_BUF_INIT, text = PG_BUF_INIT;
	int ret = 0;

	for (size_t i = 0; i < n && ret == 0; i++) {
		pg_buf_reset(&path);
		pg_buf_reset(&text);
		pg_buf_addf(&path, "%s/%s", dir, hooks[i]);
		if (pg_buf_failed(&path) || pg_install_wrapper_text(&text, st->o->bindir, hooks[i]) < 0)
			ret = pg_error_oom(err);
		else
			ret = pg_install_place(st, path.ptr, &text, hooks[i], err);
	}
	pg_buf_release(&path);
	pg_buf_release(&text);
	return ret;
}

static int install_global_plain(struct pg_install_state *st, const char *dir, struct pg_error *err)
{
	struct pg_buf cur = PG_BUF_INIT;
	const char *hooks[3];
	size_t n = pg_install_hooks(st, hooks);
	int ret;

	pg_install_say(st, "==> server-wide hooks in %s (core.hooksPath)", dir);
	if ((ret = place_wrappers(st, dir, hooks, n, err)) < 0 || (ret = system_hooks_path(&cur, err)) < 0)
		goto done;
	if (strcmp(cur.ptr, dir)) {
		if (cur.len)
			pg_install_warn(st, "core.hooksPath was %s in git's system config; the hooks there no longer run",
					cur.ptr);
		pg_install_act(st, "set core.hooksPath = %s (git config --system)", dir);
		st->changed = true;
		if (!st->o->dry_run && (ret = git_system(err, "set core.hooksPath", "core.hooksPath", dir)) < 0)
			goto done;
	}
	pg_install_say(st, "  every repository runs the hooks in %s instead of its own hooks/", dir);
	pg_install_say(st, "  (other server-wide hooks go in %s/%s.d/: pushguard runs them after its checks)", dir, st->hook);
	if (!st->changed)
		pg_install_say(st, "  already up to date");
done:
	pg_buf_release(&cur);
	return ret;
}

static int uninstall_global_plain(struct pg_install_state *st, const char *dir, struct pg_error *err)
{
	struct pg_buf cur = PG_BUF_INIT, path = PG_BUF_INIT;
	const char *hooks[3];
	size_t n = pg_install_uninstall_hooks(st, hooks, dir, "");
	int ret = 0;

	pg_install_say(st, "==> server-wide hooks in %s (core.hooksPath)", dir);
	for (size_t i = 0; i < n; i++) {
		pg_buf_reset(&path);
		if (pg_buf_addf(&path, "%s/%s", dir, hooks[i]) < 0) {
			ret = pg_error_oom(err);
			goto done;
		}
		if ((ret = pg_install_remove_ours(st, path.ptr, -1, err)) < 0)
			goto done;
	}
	if ((ret = system_hooks_path(&cur, err)) < 0)
		goto done;
	if (!strcmp(cur.ptr, dir)) {
		struct stat sb;
		bool is_dir = stat(dir, &sb) == 0 && S_ISDIR(sb.st_mode);

		if (is_dir && !pg_install_dir_empty(dir, NULL)) {
			pg_install_say(st, "  left core.hooksPath = %s: other hooks are still there", dir);
		} else {
			st->found = true;
			pg_install_act(st, "unset core.hooksPath (git config --system)");
			if (!st->o->dry_run) {
				if ((ret = git_system(err, "unset core.hooksPath", "--unset", "core.hooksPath")) < 0)
					goto done;
				if (is_dir && rmdir(dir) < 0) {
					ret = pg_error_set(err, PG_ERR, "cannot remove %s: %s", dir, strerror(errno));
					goto done;
				}
			}
		}
	}
	if (!st->found)
		pg_install_say(st, "  not installed");
done:
	pg_buf_release(&cur);
	pg_buf_release(&path);
	return ret;
}

static int install_global_gitlab(struct pg_install_state *st, const char *dir, struct pg_error *err)
{
	int ret;

	pg_install_say(st, "==> GitLab server hooks in %s", dir);
	if ((ret = place_entries(st, dir, "--server gitlab --global DIR", NULL, err)) < 0)
		return ret;
	if (!st->changed)
		pg_install_say(st, "  already up to date");
	pg_install_say(st, "  Gitaly runs it for every repository when its config.toml has:");
	pg_install_say(st, "    [hooks]");
	pg_install_say(st, "    custom_hooks_dir = \"%s\"", dir);
	return 0;
}

static int uninstall_global_gitlab(struct pg_install_state *st, const char *dir, struct pg_error *err)
{
	int ret;

	pg_install_say(st, "==> GitLab server hooks in %s", dir);
	if ((ret = remove_entries(st, dir, 0, err)) < 0)
		return ret;
	if (!st->found)
		pg_install_say(st, "  not installed");
	return 0;
}

static const char *const gitolite_hooks[] = { "pre-receive", "post-receive" };

static int install_gitolite(struct pg_install_state *st, const char *dir, struct pg_error *err)
{
	struct pg_buf common = PG_BUF_INIT;
	int ret;

	pg_install_say(st, "==> gitolite LOCAL_CODE %s", dir);
	if (pg_buf_addf(&common, "%s/hooks/common", dir) < 0) {
		ret = pg_error_oom(err);
		goto done;
	}
	if ((ret = place_wrappers(st, common.ptr, gitolite_hooks, 2, err)) < 0)
		goto done;
	if (!st->changed)
		pg_install_say(st, "  already up to date");
	pg_install_say(st, "  gitolite runs it in every repository once ~/.gitolite.rc has (in %%RC):");
	pg_install_say(st, "      LOCAL_CODE => \"%s\",", dir);
	pg_install_say(st, "  and, as the gitolite user, you have run: gitolite setup --hooks-only");
	pg_install_say(st, "  (gitolite keeps the update hook for its access rules: pushguard is pre-receive).");
	pg_install_say(st, "  Only for some repositories: add 'repo-specific-hooks' to the rc's ENABLE list, move");
	pg_install_say(st, "  the files to %s/hooks/repo-specific/pushguard and .../pushguard-landed (post-receive)", dir);
	pg_install_say(st, "  and in gitolite.conf write");
	pg_install_say(st, "      repo project");
	pg_install_say(st, "          option hook.pre-receive = pushguard");
	pg_install_say(st, "          option hook.post-receive = pushguard-landed");
done:
	pg_buf_release(&common);
	return ret;
}

static int uninstall_gitolite(struct pg_install_state *st, const char *dir, struct pg_error *err)
{
	struct pg_buf path = PG_BUF_INIT;
	int ret = 0;

	pg_install_say(st, "==> gitolite LOCAL_CODE %s", dir);
	for (size_t i = 0; i < 2; i++) {
		pg_buf_reset(&path);
		if (pg_buf_addf(&path, "%s/hooks/common/%s", dir, gitolite_hooks[i]) < 0) {
			ret = pg_error_oom(err);
			goto done;
		}
		if ((ret = pg_install_remove_ours(st, path.ptr, 1, err)) < 0)
			goto done;
	}
	if (st->found) {
		pg_install_say(st, "  then, as the gitolite user, remove each repository's now dangling");
		pg_install_say(st, "  hooks/pre-receive and hooks/post-receive symlinks (gitolite setup --hooks-only does not)");
	} else {
		pg_install_say(st, "  not installed");
	}
done:
	pg_buf_release(&path);
	return ret;
}

int pg_install_server_wide(struct pg_install_state *st, bool uninstall, struct pg_error *err)
{
	const struct pg_install_opts *o = st->o;
	char *dir = pg_install_abspath(o->gitolite_local ? o->gitolite_local : o->global_dir);
	int ret;

	if (!dir)
		return pg_error_set(err, PG_ERR, "cannot make %s absolute: %s",
				    o->gitolite_local ? o->gitolite_local : o->global_dir, strerror(errno));
	st->changed = st->found = false;
	if (o->gitolite_local)
		ret = uninstall ? uninstall_gitolite(st, dir, err) : install_gitolite(st, dir, err);
	else if (o->server == PG_INSTALL_GITLAB)
		ret = uninstall ? uninstall_global_gitlab(st, dir, err) : install_global_gitlab(st, dir, err);
	else
		ret = uninstall ? uninstall_global_plain(st, dir, err) : install_global_plain(st, dir, err);
	free(dir);
	return ret;
}
