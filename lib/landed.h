/* The post-receive hook: what a push really put into the repository.
 *
 * pre-receive and update decide before any ref moves; a ref update they
 * accepted can still fail afterwards (another push moved the ref first, the
 * ref lock was taken, receive-pack was killed). git runs post-receive once
 * the refs have moved and hands it only the updates that landed, so the
 * event it records, push.landed (event.h), says what entered the repository:
 * the audit log, metrics file and webhook (pushguard.webhook.events = landed)
 * get it like any other event. Nothing here changes anything: the refs have
 * moved already, a problem is a warning line for the pusher.
 *
 * install.sh installs it next to pre-receive or update, for every server
 * type, and chains the post-receive hook it displaces (post-receive.d/),
 * which runs whatever pushguard records. */
#ifndef PG_LANDED_H
#define PG_LANDED_H

/* pg_landed_main, the whole post-receive hook: pushguard.h. */
#include "pushguard.h"

#endif
