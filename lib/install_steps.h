/* The steps of pg_install_run() (lib/install.c): plain repositories
 * (lib/install_plain.c), HOOK.d entries and the server-wide places
 * (lib/install_layouts.c), and what they share. */
#ifndef PG_INSTALL_STEPS_H
#define PG_INSTALL_STEPS_H

#include <stddef.h>

#include "buf.h"
#include "error.h"
#include "install.h"
#include "install_files.h"

/* Runs git (PG_GIT_PATH) with the NULL-terminated arguments after "git"; its
 * standard output, without the last newline, into out (NULL: discarded).
 * Returns git's exit status, or a negative error when it could not run. */
int pg_install_git(struct pg_buf *out, struct pg_error *err, ...) __attribute__((sentinel));

/* --policy and --fsck-objects: pushguard.policy and receive.fsckObjects in
 * REPO/config, each only when it differs (st->changed then). */
int pg_install_repo_settings(struct pg_install_state *st, const char *repo, struct pg_error *err);
/* The end of one repository's wiring: its settings, then "already up to
 * date" when nothing changed, and the counts of the summary line. */
int pg_install_repo_finish(struct pg_install_state *st, const char *repo, struct pg_error *err);

/* The hooks an install writes: st->hook, then post-receive; returns 2. */
size_t pg_install_hooks(const struct pg_install_state *st, const char *list[3]);
/* The hooks an uninstall removes: st->hook (without --hook: pre-receive and
 * update), then post-receive when neither of those two stays, that is when
 * the one not being removed is not ours at BASE/HOOK SUFFIX. Returns how many. */
size_t pg_install_uninstall_hooks(const struct pg_install_state *st, const char *list[3], const char *base,
				  const char *suffix);

int pg_install_plain(struct pg_install_state *st, const char *repo, struct pg_error *err);
int pg_uninstall_plain(struct pg_install_state *st, const char *repo, struct pg_error *err);

/* gitea: REPO/hooks/HOOK.d/pushguard; gitlab: REPO/custom_hooks/HOOK.d/pushguard. */
int pg_install_entry(struct pg_install_state *st, enum pg_install_server server, const char *repo,
		     struct pg_error *err);
int pg_uninstall_entry(struct pg_install_state *st, enum pg_install_server server, const char *repo,
		       struct pg_error *err);

/* --global (plain or gitlab) or gitolite, from st->o. */
int pg_install_server_wide(struct pg_install_state *st, bool uninstall, struct pg_error *err);

#endif
