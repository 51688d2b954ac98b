/* The developer side: what `pushguard client install`, `pushguard pre-push`
 * and `pushguard pre-commit` (tools/cmd_client.c) share.
 *
 * A developer's clone keeps a copy of the server's policy ref in
 * refs/pushguard/policy (fetched by `client install`, refreshed by every
 * pre-push). The pre-push hook runs the server's own pipeline on what is
 * about to be sent (pg_check_push, pg_decide, render): the push as git's
 * pre-push hook reads it becomes a pg_push, and "new" means not reachable
 * from what the remote already has (its remote-tracking refs, the remote
 * values of the pushed refs: walk->hide), not "not in the repository". The
 * pre-commit hook runs the files and secrets checks on the staged changes,
 * as one synthetic commit whose parent is HEAD. */
#ifndef PG_CLIENT_H
#define PG_CLIENT_H

#include <git2.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "error.h"
#include "policy.h"
#include "push.h"
#include "strvec.h"
#include "walk.h"

#define PG_CLIENT_POLICY_REF "refs/pushguard/policy"   /* the local copy */
#define PG_CLIENT_DEFAULT_REF "refs/meta/pushguard"    /* the server's ref, unless --ref */
#define PG_CLIENT_HOOK_MARK "# pushguard client hook"  /* first comment line of the hooks it writes */
#define PG_CLIENT_FETCH_TIMEOUT_MS 20000               /* the policy refresh gives up after this */
#define PG_CLIENT_MAX_INPUT ((size_t)16 << 20)         /* bytes of pre-push input */

/* Appends the updates of git's pre-push input ("<local ref> <local oid>
 * <remote ref> <remote oid>" lines) to push: ref = the remote ref, old = the
 * remote oid, new = the local oid (all zeros: a deletion). Returns 0, or
 * PG_EINPUT naming the line. */
int pg_client_parse_pre_push(struct pg_push *push, const char *input, size_t len, struct pg_error *err);

/* Runs git (PG_GIT_PATH) with argv (argv[0] "git", NULL-terminated), stdin
 * /dev/null, GIT_TERMINAL_PROMPT=0; its standard output into out (NULL:
 * discarded) and its standard error into errout (NULL: discarded), each
 * bounded; killed after timeout_ms (0: none). Returns its exit status,
 * PG_CLIENT_TIMED_OUT when killed for the time, or a negative error when it
 * could not run. */
#define PG_CLIENT_TIMED_OUT 1000
int pg_client_git(struct pg_buf *out, struct pg_buf *errout, int64_t timeout_ms, const char *const *argv,
		  struct pg_error *err);

/* Runs the hook at path (a hook that was there before pushguard's: chained)
 * with args (NULL-terminated, without argv[0]) and input on its stdin (NULL:
 * /dev/null); its output goes where ours goes. Returns its exit status, or a
 * negative error. */
int pg_client_run_hook(const char *path, const char *const *args, const char *input, size_t len,
		       struct pg_error *err);

/* Removes every value of key from p: the developer's machine cannot do what
 * it asks (a tracker lookup without the token, signatures without the keys). */
void pg_client_policy_drop(struct pg_policy *p, const char *key);

/* What the developer's machine cannot check is skipped, each with a note in
 * notes saying why and that the server still checks it: ticket lookups
 * (pushguard.tickets.url) unless this machine has a readable tracker token
 * (pushguard.tickets.tokenFile, which a policy ref cannot set: this
 * machine's system file) and the remote answered, only the syntax then;
 * signatures when the trusted keys cannot be loaded here. Returns 0 or an error (out of memory). */
int pg_client_limit_policy(struct pg_policy *p, bool offline, struct pg_strvec *notes, struct pg_error *err);

/* The staged changes as one synthetic commit for the files and secrets
 * checks: every path of index whose entry differs from head_tree (NULL: an
 * unborn branch, everything staged is new), with head_tree as its parent's
 * tree, so that only lines HEAD does not have count. hex names it in
 * findings. The commit is reachable from push update 0 when push has one.
 * Returns 0 or an error. */
int pg_client_staged_walk(struct pg_walk *w, git_repository *repo, git_index *index, const git_tree *head_tree,
			  bool with_push_ref, struct pg_error *err);

#endif
