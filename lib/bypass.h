/* The emergency bypass: `git push -o pushguard.bypass="reason"`.
 *
 * Honoured only for a pusher listed in pushguard.bypassUsers, with a reason,
 * in pre-receive (git gives the update hook no push options; the server
 * needs receive.advertisePushOptions = true). An honoured bypass accepts the
 * push whatever the findings, and the push is recorded as push.bypassed with
 * the reason and the findings it overrode. A bypass that is not honoured
 * changes nothing: the push is judged normally and the pusher is told why. */
#ifndef PG_BYPASS_H
#define PG_BYPASS_H

#include <stdbool.h>

#include "buf.h"
#include "policy.h"
#include "push.h"

#define PG_BYPASS_OPTION "pushguard.bypass"
#define PG_BYPASS_MAX_REASON 500

struct pg_bypass {
	bool requested;
	bool honoured;
	char *reason;  /* as given (control characters replaced), or NULL */
	char *refused; /* why it was not honoured, or NULL */
};

#define PG_BYPASS_INIT { false, false, NULL, NULL }

/* Looks for the option among push->options and decides. Returns 0, or -1
 * when out of memory (then nothing is honoured). */
int pg_bypass_decide(struct pg_bypass *out, const struct pg_push *push, const struct pg_policy *policy);
void pg_bypass_release(struct pg_bypass *b);

/* The pusher's line about a requested bypass: honoured (and recorded), or
 * not honoured and why. Nothing when none was requested. */
void pg_bypass_render(struct pg_buf *out, const struct pg_bypass *b, size_t overridden);

#endif
