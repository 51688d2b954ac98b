#include "install.h"

#include <errno.h>
#include <ftw.h>
#include <limits.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "alloc.h"
#include "client.h"
#include "discover.h"
#include "install_steps.h"

static const char *const server_names[] = {
	[PG_INSTALL_PLAIN] = "plain",
	[PG_INSTALL_GITEA] = "gitea",
	[PG_INSTALL_GITLAB] = "gitlab",
	[PG_INSTALL_GITOLITE] = "gitolite",
};

const char *pg_install_server_name(enum pg_install_server s)
{
	return s > PG_INSTALL_DETECT && s <= PG_INSTALL_GITOLITE ? server_names[s] : NULL;
}

int pg_install_server_parse(const char *name)
{
	if (!strcmp(name, "forgejo"))
		return PG_INSTALL_GITEA;
	for (int s = PG_INSTALL_PLAIN; s <= PG_INSTALL_GITOLITE; s++)
		if (!strcmp(name, server_names[s]))
			return s;
	return -1;
}

char *pg_install_abspath(const char *path)
{
	struct pg_buf in = PG_BUF_INIT, out = PG_BUF_INIT;
	char cwd[PATH_MAX];
	char *ret = NULL;

	if (path[0] != '/') {
		if (!getcwd(cwd, sizeof(cwd)))
			goto done;
		pg_buf_addf(&in, "%s/", cwd);
	}
	pg_buf_adds(&in, path);
	if (pg_buf_failed(&in))
		goto done;
	for (char *p = in.ptr; *p;) {
		size_t n = strcspn(p, "/");

		if ((n == 1 && p[0] == '.') || n == 0) {
			/* nothing */
		} else if (n == 2 && p[0] == '.' && p[1] == '.') {
			char *slash = out.len ? strrchr(out.ptr, '/') : NULL;

			if (slash) {
				out.len = (size_t)(slash - out.ptr);
				out.ptr[out.len] = '\0';
			}
		} else {
			pg_buf_addch(&out, '/');
			pg_buf_add(&out, p, n);
		}
		p += n;
		if (*p == '/')
			p++;
	}
	if (!out.len)
		pg_buf_addch(&out, '/');
	ret = pg_buf_detach(&out);
done:
	pg_buf_release(&in);
	pg_buf_release(&out);
	return ret;
}

int pg_install_git(struct pg_buf *out, struct pg_error *err, ...)
{
	const char *argv[16] = { "git" };
	struct pg_buf errout = PG_BUF_INIT;
	size_t n = 1;
	va_list ap;
	int ret;

	va_start(ap, err);
	while (n < sizeof(argv) / sizeof(*argv) - 1 && (argv[n] = va_arg(ap, const char *)))
		n++;
	va_end(ap);
	argv[n] = NULL;
	ret = pg_client_git(out, &errout, 0, argv, err);
	if (ret > 0 && errout.len && !pg_buf_failed(&errout)) /* the reason, for a caller that fails on it */
		pg_error_set(err, PG_ERR, "%.*s", (int)strcspn(errout.ptr, "\n"), errout.ptr);
	if (out && out->len && out->ptr[out->len - 1] == '\n')
		out->ptr[--out->len] = '\0';
	pg_buf_release(&errout);
	return ret;
}

/* Sets key to value in file when it is not already (`current` git's value, or
 * empty when unset). */
static int set_config(struct pg_install_state *st, const char *file, const char *key, const char *value,
		      const char *current, struct pg_error *err)
{
	int rc;

	if (!strcmp(current, value))
		return 0;
	pg_install_act(st, "set %s = %s in %s", key, value, file);
	st->changed = true;
	if (st->o->dry_run)
		return 0;
	if ((rc = pg_install_git(NULL, err, "config", "-f", file, key, value, NULL)) < 0)
		return rc;
	if (rc) {
		char why[sizeof(err->msg)]; /* git's reason, which err holds now */

		snprintf(why, sizeof(why), "%s", err->msg);
		return pg_error_set(err, PG_ERR, "cannot set %s in %s: %s", key, file, why);
	}
	return 0;
}

int pg_install_repo_settings(struct pg_install_state *st, const char *repo, struct pg_error *err)
{
	struct pg_buf file = PG_BUF_INIT, cur = PG_BUF_INIT;
	int ret = 0, rc;

	if (!st->o->policy && !st->o->fsck_objects)
		return 0;
	if (pg_buf_addf(&file, "%s/config", repo) < 0) {
		ret = pg_error_oom(err);
		goto done;
	}
	if (st->o->policy) {
		if ((rc = pg_install_git(&cur, err, "config", "-f", file.ptr, "--get", "pushguard.policy", NULL)) < 0) {
			ret = rc;
			goto done;
		}
		if (rc)
			pg_buf_reset(&cur);
		if ((ret = set_config(st, file.ptr, "pushguard.policy", st->o->policy, cur.ptr, err)) < 0)
			goto done;
	}
	if (st->o->fsck_objects) {
		pg_buf_reset(&cur);
		rc = pg_install_git(&cur, err, "config", "-f", file.ptr, "--bool", "--get", "receive.fsckObjects", NULL);
		if (rc < 0) {
			ret = rc;
			goto done;
		}
		if (rc)
			pg_buf_reset(&cur);
		ret = set_config(st, file.ptr, "receive.fsckObjects", "true", cur.ptr, err);
	}
done:
	pg_buf_release(&file);
	pg_buf_release(&cur);
	return ret;
}

int pg_install_repo_finish(struct pg_install_state *st, const char *repo, struct pg_error *err)
{
	int ret = pg_install_repo_settings(st, repo, err);

	if (ret < 0)
		return ret;
	if (!st->changed) {
		pg_install_say(st, "  already up to date");
		st->uptodate++;
	}
	st->repos++;
	return 0;
}

static bool exists_followed(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0;
}

static bool is_type(const char *path, mode_t type)
{
	struct stat st;

	return stat(path, &st) == 0 && (st.st_mode & S_IFMT) == type;
}

enum pg_install_server pg_install_detect_server(const char *repo)
{
	struct pg_buf path = PG_BUF_INIT, text = PG_BUF_INIT;
	enum pg_install_server s = PG_INSTALL_PLAIN;
	char *abs = NULL;

	pg_buf_addf(&path, "%s/hooks/pre-receive.d/gitea", repo);
	if (!pg_buf_failed(&path) && exists_followed(path.ptr)) {
		s = PG_INSTALL_GITEA;
		goto done;
	}
	pg_buf_reset(&path);
	pg_buf_addf(&path, "%s/hooks/update.d/gitea", repo);
	if (!pg_buf_failed(&path) && exists_followed(path.ptr)) {
		s = PG_INSTALL_GITEA;
		goto done;
	}
	pg_buf_reset(&path);
	pg_buf_addf(&path, "%s/hooks/pre-receive", repo);
	if (!pg_buf_failed(&path) && !pg_install_is_ours(path.ptr) && pg_install_read(&text, path.ptr) == 0 &&
	    !pg_buf_failed(&text) && (strcasestr(text.ptr, "gitea") || strcasestr(text.ptr, "forgejo"))) {
		s = PG_INSTALL_GITEA;
		goto done;
	}
	pg_buf_reset(&path);
	pg_buf_addf(&path, "%s/custom_hooks", repo);
	abs = pg_install_abspath(repo);
	if ((!pg_buf_failed(&path) && is_type(path.ptr, S_IFDIR)) || (abs && strstr(abs, "/@hashed/"))) {
		s = PG_INSTALL_GITLAB;
		goto done;
	}
	pg_buf_reset(&path);
	pg_buf_addf(&path, "%s/gl-conf", repo);
	if (!pg_buf_failed(&path) && is_type(path.ptr, S_IFREG))
		s = PG_INSTALL_GITOLITE;
done:
	free(abs);
	pg_buf_release(&path);
	pg_buf_release(&text);
	return s;
}

/* ------------------------------------------------------------ new repositories */

static char *parent_dup(const char *path)
{
	const char *slash = strrchr(path, '/');

	if (!slash)
		return strdup(".");
	return slash == path ? strdup("/") : strndup(path, (size_t)(slash - path));
}

/* nftw() takes no argument for its callback: who create_bare() gives a new repository to */
static uid_t chown_uid;
static gid_t chown_gid;

static int chown_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	return lchown(path, chown_uid, chown_gid) < 0 ? -1 : 0;
}

/* A new bare repository at r (its parents too), owned like the nearest
 * directory that exists, or, when that is root's and this runs through sudo,
 * by the user who ran sudo (so they can push to it at once). */
static int create_bare(struct pg_install_state *st, const char *r, struct pg_error *err)
{
	struct pg_buf who = PG_BUF_INIT;
	const char *sudo_uid = getenv("SUDO_UID"), *sudo_gid = getenv("SUDO_GID");
	char *p = strdup(r), *top = NULL, *up = NULL;
	struct passwd *pw;
	struct stat sb;
	uid_t uid;
	gid_t gid;
	int ret = 0, rc;

	if (!p) {
		ret = pg_error_oom(err);
		goto done;
	}
	while (stat(p, &sb) < 0) {
		char *q = parent_dup(p);

		if (!q) {
			ret = pg_error_oom(err);
			goto done;
		}
		free(p);
		p = q;
	}
	uid = sb.st_uid;
	gid = sb.st_gid;
	if (uid == 0 && sudo_uid && *sudo_uid && strcmp(sudo_uid, "0")) {
		uid = (uid_t)strtoul(sudo_uid, NULL, 10);
		gid = (gid_t)strtoul(sudo_gid && *sudo_gid ? sudo_gid : sudo_uid, NULL, 10);
	}
	if (st->o->dry_run) {
		pg_install_say(st, "==> %s does not exist: would create it as a bare repository", r);
		goto done;
	}
	if (!(top = strdup(r))) {
		ret = pg_error_oom(err);
		goto done;
	}
	for (;;) {
		if (!(up = parent_dup(top))) {
			ret = pg_error_oom(err);
			goto done;
		}
		if (exists_followed(up) || !strcmp(up, top))
			break;
		free(top);
		top = up;
		up = NULL;
	}
	rc = pg_install_git(NULL, err, "-c", "init.defaultBranch=main", "init", "-q", "--bare", "--", r, NULL);
	if (rc != 0) {
		ret = rc < 0 ? rc : pg_error_set(err, PG_ERR, "%s: cannot create a bare repository there", r);
		goto done;
	}
	if (geteuid() == 0) {
		chown_uid = uid;
		chown_gid = gid;
		if (nftw(top, chown_one, 32, FTW_PHYS) != 0) {
			ret = pg_error_set(err, PG_ERR, "%s: cannot give it to uid %lu: %s", top, (unsigned long)uid,
					   strerror(errno));
			goto done;
		}
	}
	if ((pw = getpwuid(uid)))
		pg_buf_adds(&who, pw->pw_name);
	else
		pg_buf_addf(&who, "%lu", (unsigned long)uid);
	pg_install_say(st, "==> %s did not exist: created it as a bare repository (owner %s)", r,
		       pg_buf_failed(&who) ? "?" : who.ptr);
done:
	free(p);
	free(top);
	free(up);
	pg_buf_release(&who);
	return ret;
}

/* ------------------------------------------------------------ the run */

struct target {
	char *path;
	char *key;  /* its real path: each repository once */
	enum pg_install_server kind;
	bool create;
};

struct targets {
	struct target *v;
	size_t n, alloc;
};

static void targets_release(struct targets *t)
{
	for (size_t i = 0; i < t->n; i++) {
		free(t->v[i].path);
		free(t->v[i].key);
	}
	free(t->v);
}

/* Adds path (key: realpath, or NULL to compute it) unless its key is there;
 * takes key. */
static int add_target(struct targets *t, const char *path, char *key, bool create, struct pg_error *err)
{
	if (!key && !(key = realpath(path, NULL)))
		return pg_error_set(err, PG_ERR, "%s: %s", path, strerror(errno));
	for (size_t i = 0; i < t->n; i++) {
		if (!strcmp(t->v[i].key, key)) {
			free(key);
			return 0;
		}
	}
	if (PG_GROW(t->v, t->n + 1, t->alloc) < 0 || !(t->v[t->n].path = strdup(path))) {
		free(key);
		return pg_error_oom(err);
	}
	t->v[t->n].key = key;
	t->v[t->n].kind = PG_INSTALL_PLAIN;
	t->v[t->n].create = create;
	t->n++;
	return 0;
}

/* path without trailing slashes ("/" stays). */
static char *strip_slashes(const char *path)
{
	size_t n = strlen(path);

	while (n > 1 && path[n - 1] == '/')
		n--;
	return strndup(path, n);
}

/* Every repository named and found into t, each with its server type, checked
 * before anything changes: *bad when one is unusable (each said on errout). */
static int collect(struct pg_install_state *st, struct targets *t, bool uninstall, const struct pg_strvec *repos,
		   const struct pg_strvec *all_dirs, bool *bad, struct pg_error *err)
{
	struct pg_strvec create = PG_STRVEC_INIT, found = PG_STRVEC_INIT;
	char *p = NULL;
	int ret = 0;

	for (size_t i = 0; i < repos->n; i++) {
		free(p);
		if (!(p = strip_slashes(repos->v[i]))) {
			ret = pg_error_oom(err);
			goto done;
		}
		if (!pg_install_exists(p) && !uninstall) {
			if (pg_strvec_push(&create, p) < 0) {
				ret = pg_error_oom(err);
				goto done;
			}
		} else if (!is_type(p, S_IFDIR)) {
			pg_install_errmsg(st, "%s: no such directory", p);
			*bad = true;
		} else if (!pg_is_bare_repo(p)) {
			pg_install_errmsg(st, "%s: not a bare git repository", p);
			*bad = true;
		} else if ((ret = add_target(t, p, NULL, false, err)) < 0) {
			goto done;
		}
	}
	for (size_t i = 0; i < all_dirs->n; i++) {
		free(p);
		if (!(p = strip_slashes(all_dirs->v[i]))) {
			ret = pg_error_oom(err);
			goto done;
		}
		if (!is_type(p, S_IFDIR)) {
			pg_install_errmsg(st, "--all %s: no such directory", p);
			*bad = true;
			continue;
		}
		pg_strvec_clear(&found);
		if ((ret = pg_discover_bare_repos(&found, p, err)) < 0)
			goto done;
		for (size_t j = 0; j < found.n; j++)
			if ((ret = add_target(t, found.v[j], NULL, false, err)) < 0)
				goto done;
		pg_install_say(st, "==> --all %s: found %zu bare repositories", p, found.n);
	}
	/* a path that does not exist yet becomes a new bare repository, below */
	for (size_t i = 0; i < create.n; i++) {
		char *key = pg_install_abspath(create.v[i]);

		if (!key) {
			ret = pg_error_oom(err);
			goto done;
		}
		if ((ret = add_target(t, create.v[i], key, true, err)) < 0)
			goto done;
	}
	for (size_t i = 0; i < t->n; i++) {
		struct target *tg = &t->v[i];

		tg->kind = st->o->server ? st->o->server : pg_install_detect_server(tg->path);
		/* an install made as plain is removed as plain, whatever the layout says now */
		if (!st->o->server && uninstall) {
			struct pg_buf h = PG_BUF_INIT;

			pg_buf_addf(&h, "%s/hooks/pre-receive", tg->path);
			if (!pg_buf_failed(&h) && pg_install_is_ours(h.ptr))
				tg->kind = PG_INSTALL_PLAIN;
			pg_buf_reset(&h);
			pg_buf_addf(&h, "%s/hooks/update", tg->path);
			if (!pg_buf_failed(&h) && pg_install_is_ours(h.ptr))
				tg->kind = PG_INSTALL_PLAIN;
			pg_buf_release(&h);
		}
		if (tg->kind == PG_INSTALL_GITOLITE) {
			pg_install_errmsg(st, "%s: a gitolite repository (gl-conf): install once with --server gitolite --gitolite-local DIR",
					  tg->path);
			*bad = true;
		}
	}
done:
	free(p);
	pg_strvec_release(&create);
	pg_strvec_release(&found);
	return ret;
}

/* --policy NAME that the hooks will not find: a warning, not an error (the
 * system file may be written later). */
static void check_policy(struct pg_install_state *st)
{
	const char *policy = st->o->policy;
	struct pg_buf path = PG_BUF_INIT;
	const char *bindir = st->o->bindir;
	size_t plen = strlen(bindir);

	if (strchr(policy, '/')) {
		if (!is_type(policy, S_IFREG))
			pg_install_warn(st, "policy file %s does not exist (here, at least)", policy);
		return;
	}
	/* the prefix: bindir without its last component */
	while (plen > 0 && bindir[plen - 1] != '/')
		plen--;
	if (plen > 1)
		plen--;
	pg_buf_addf(&path, "%.*s/share/pushguard/policies/%s.conf", (int)plen, bindir, policy);
	if (!pg_buf_failed(&path) && !is_type(path.ptr, S_IFREG))
		pg_install_warn(st, "no policy named '%s' in %.*s/share/pushguard/policies", policy, (int)plen, bindir);
	pg_buf_release(&path);
}

int pg_install_run(const struct pg_install_opts *o, bool uninstall, const struct pg_strvec *repos,
		   const struct pg_strvec *all_dirs, struct pg_error *err)
{
	struct pg_install_state st = { o, o->hook ? o->hook : "pre-receive", o->out ? o->out : stdout,
				       o->errout ? o->errout : stderr };
	struct targets t = { NULL, 0, 0 };
	bool bad = false;
	int ret = 0;

	if (o->global_dir || o->gitolite_local) {
		if ((ret = pg_install_server_wide(&st, uninstall, err)) < 0)
			goto done;
		if (st.failed)
			ret = pg_error_set(err, PG_ECONFIG, "nothing installed");
		goto done;
	}
	if ((ret = collect(&st, &t, uninstall, repos, all_dirs, &bad, err)) < 0)
		goto done;
	if (bad) {
		ret = pg_error_set(err, PG_ECONFIG, "nothing done");
		goto done;
	}
	if (!uninstall && o->policy && !o->dry_run)
		check_policy(&st);
	for (size_t i = 0; i < t.n; i++) {
		const struct target *tg = &t.v[i];

		if (tg->create && (ret = create_bare(&st, tg->path, err)) < 0)
			goto done;
		if (tg->kind == PG_INSTALL_PLAIN)
			ret = uninstall ? pg_uninstall_plain(&st, tg->path, err) : pg_install_plain(&st, tg->path, err);
		else
			ret = uninstall ? pg_uninstall_entry(&st, tg->kind, tg->path, err)
					: pg_install_entry(&st, tg->kind, tg->path, err);
		if (ret < 0)
			goto done;
	}
	if (uninstall)
		pg_install_say(&st, "%s from %zu repositories (%zu not installed)", o->dry_run ? "would remove" : "removed",
			       st.repos - st.not_installed, st.not_installed);
	else
		pg_install_say(&st, "%s in %zu repositories (%zu already up to date)",
			       o->dry_run ? "would install" : "installed", st.repos, st.uptodate);
	if (st.failed)
		ret = pg_error_set(err, PG_ECONFIG, "%zu repositories failed", st.failed);
done:
	targets_release(&t);
	return ret;
}
