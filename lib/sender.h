/* Delivering spooled events: in a detached process after a push, and from
 * `pushguard flush`.
 *
 * One background sender per spool: it holds the spool's sender lock
 * (spool.h) while it delivers, and a push that finds the lock taken leaves
 * its event in the spool for that sender instead of starting another. Before
 * it exits the sender lets go of the lock and looks once more: an event
 * spooled meanwhile by a push that found the lock taken is taken up again
 * (unless yet another sender has the lock by then, which then sees it).
 *
 * When an endpoint fails an event (after that event's retries), the sender
 * tries no other event in that run: they stay in the spool for the next
 * sender or `pushguard flush`, so a hanging endpoint costs one timeout per
 * run, not one per event. */
#ifndef PG_SENDER_H
#define PG_SENDER_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"
#include "pushguard.h"
#include "strvec.h"
#include "webhook.h"

/* A background sender gives retries, with backoff, to events never tried
 * before: the file's retry time (mtime) lies less than this after its creation. */
#define PG_SENDER_MIN_DELAY_S 30
#define PG_SENDER_MAX_DELAY_S 3600

/* struct pg_sender_stats, PG_SENDER_STATS_INIT and pg_sender_stats_release:
 * pushguard.h. */

/* pg_sender_run (pushguard.h): delivers the spool files addressed to w->url
 * (w loaded without problems). flush (`pushguard flush`): every file gets
 * one attempt, whatever its retry time. Else (a background sender): takes
 * the spool's sender lock first (held by another: returns 0 at once,
 * st->busy 1) and delivers own_id (may be NULL: an event just written)
 * first, then the events whose retry time has come; an event never tried
 * before gets w->retries retries 1 s, 2 s, 4 s, ... apart. A file that stays
 * undelivered gets its next retry time (twice its age, 30 s to 1 h). */

/* Starts pg_sender_run(w, own_id, false) in a detached process (new session,
 * fds 0-2 on /dev/null, every other fd closed, no GIT_* variables, cwd /) and
 * returns at once: git waits for nothing. Returns 0 started, 1 not started
 * because a sender already runs on this spool (it takes the event), negative
 * on an error (the event stays in the spool). */
int pg_sender_spawn(const struct pg_webhook *w, const char *own_id, struct pg_error *err);

#endif
