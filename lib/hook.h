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
#include "pushguard.h"
#include "walk.h"

/* enum pg_hook_kind and pg_hook_main, the whole hook: pushguard.h. */

#endif
