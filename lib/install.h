/* Wiring pushguard's hooks into a server: `pushguard install` and `pushguard
 * uninstall` (tools/cmd_install.c; install.sh calls them after `make install`).
 *
 * Per repository, by server type:
 *   plain:  REPO/hooks/HOOK is pushguard's wrapper (it execs BINDIR/pushguard-HOOK
 *           --chain HOOK.d); a hook already there that is not ours moves to
 *           hooks/HOOK.d/00-original (or 00-original-N) and still runs;
 *   gitea:  REPO/hooks/HOOK.d/pushguard (Gitea's own HOOK runs each HOOK.d entry);
 *   gitlab: REPO/custom_hooks/HOOK.d/pushguard.
 * Server-wide: plain --global DIR (DIR/HOOK and core.hooksPath = DIR in git's
 * system config), gitlab --global DIR (DIR/HOOK.d/pushguard, Gitaly's
 * custom_hooks_dir), gitolite LOCAL_CODE/hooks/common/HOOK.
 * post-receive (what landed) is installed alongside HOOK. Every file written
 * starts "#!/bin/sh" and has PG_INSTALL_MARKER as its second line: uninstall
 * removes only those, and puts back what it displaced. Files are written
 * whole and renamed into place, mode 0755; run as root, what is created gets
 * the owner of the directory it is in. Each step is printed to `out` as it is
 * taken ("  would ..." with dry_run, which changes nothing). */
#ifndef PG_INSTALL_H
#define PG_INSTALL_H

#include <stdbool.h>
#include <stdio.h>

#include "error.h"
#include "strvec.h"

#define PG_INSTALL_MARKER "# pushguard: managed hook"

enum pg_install_server {
	PG_INSTALL_DETECT = 0, /* per repository: pg_install_detect_server() */
	PG_INSTALL_PLAIN,
	PG_INSTALL_GITEA,      /* also Forgejo */
	PG_INSTALL_GITLAB,
	PG_INSTALL_GITOLITE,
};

struct pg_install_opts {
	const char *bindir;          /* absolute: the wrappers exec BINDIR/pushguard-HOOK */
	const char *hook;            /* "pre-receive" (default when NULL) or "update" */
	bool hook_set;               /* --hook given: uninstall removes that one only */
	const char *policy;          /* pushguard.policy to set in each REPO/config, or NULL */
	bool fsck_objects;           /* receive.fsckObjects = true in each REPO/config */
	bool dry_run;
	enum pg_install_server server;
	const char *global_dir;      /* --global DIR (plain or gitlab), or NULL */
	const char *gitolite_local;  /* --gitolite-local DIR (gitolite), or NULL */
	FILE *out;                   /* what is done (NULL: stdout) */
	FILE *errout;                /* warnings and per-repository errors (NULL: stderr) */
};

/* "plain", "gitea", "gitlab", "gitolite" (NULL for PG_INSTALL_DETECT). */
const char *pg_install_server_name(enum pg_install_server s);
/* From a name: plain, gitea, forgejo (= gitea), gitlab or gitolite; -1 if none. */
int pg_install_server_parse(const char *name);

/* Which server runs repository repo: gitea (hooks/pre-receive.d/gitea or
 * hooks/update.d/gitea, or a hooks/pre-receive not ours that names Gitea or
 * Forgejo), gitlab (custom_hooks/, or an @hashed path), gitolite (gl-conf),
 * else plain. */
enum pg_install_server pg_install_detect_server(const char *repo);

/* The whole wiring: every repository of repos (a path that does not exist is
 * created as a bare repository, unless uninstalling) and every bare repository
 * found under each of all_dirs (lib/discover.c), each checked before anything
 * changes; or, with global_dir or gitolite_local, the server-wide place (repos
 * and all_dirs then empty). Prints what it does and a summary line. Returns 0;
 * PG_ECONFIG when a repository is unusable (nothing is changed then) or some
 * failed, naming how many; PG_ERR when a file or git could not be written or
 * run (what was done before stays). libgit2 must be initialised. */
int pg_install_run(const struct pg_install_opts *o, bool uninstall, const struct pg_strvec *repos,
		   const struct pg_strvec *all_dirs, struct pg_error *err);

/* path made absolute and normalised (".", ".." and repeated slashes resolved
 * by name; symbolic links are kept), as the paths baked into the hooks are.
 * Returns a string to free, or NULL when memory runs out or the working
 * directory cannot be read. */
char *pg_install_abspath(const char *path);

#endif
