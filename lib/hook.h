/* The whole hook: read the push, load the policy, walk, check, decide,
 * tell the pusher, run chained hooks. Both hook mains are one call to this. */
#ifndef PG_HOOK_H
#define PG_HOOK_H

#include <git2.h>
#include <stdint.h>

#include "error.h"
#include "finding.h"
#include "policy.h"
#include "push.h"
#include "walk.h"

enum pg_hook_kind { PG_HOOK_PRE_RECEIVE, PG_HOOK_UPDATE };

/* Parses the hook's own arguments ([--chain DIR], and REF OLD NEW for update)
 * and runs it. Returns the exit status: 0 accept, 1 refuse. Never lets a push
 * through on an internal error unless pushguard.onError = accept. */
int pg_hook_main(enum pg_hook_kind kind, int argc, char **argv);

#endif
