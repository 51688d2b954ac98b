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
#include "pushguard.h"
#include "strvec.h"
#include "walk.h"

/* PG_CLIENT_POLICY_REF and the other constants, pg_client_parse_pre_push,
 * pg_client_git, pg_client_run_hook, pg_client_limit_policy,
 * pg_client_staged_walk and pg_client_check_staged: pushguard.h. */

/* Removes every value of key from p: the developer's machine cannot do what
 * it asks (a tracker lookup without the token, signatures without the keys). */
void pg_client_policy_drop(struct pg_policy *p, const char *key);

#endif
