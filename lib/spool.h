/* The webhook spool: one file per undelivered event, so nothing is lost while
 * an endpoint is down (or pushguard.webhook.* needs fixing) and the push never
 * waits for it.
 *
 * A spool file is named "<unix-time>-<event id>.event" and holds two lines:
 * "pushguard-spool 2 <destination>" and the event JSON. The destination
 * (webhook.h, pg_webhook_destination) tells which endpoint the event is for
 * without keeping the URL's credentials: the sender takes the URL from the
 * policy when it delivers. Files written by earlier builds say
 * "pushguard-spool 1 <url>"; they are still read, and rewritten in the new
 * form the first time a sender leaves them in the spool.
 *
 * A file is written to a temp file, fsync()ed and renamed into place, then the
 * directory is fsync()ed. Whoever delivers a file first claims it with an
 * exclusive flock() and checks it is still linked; it removes it (still
 * holding the lock) once delivered, so a file is never delivered twice by
 * concurrent senders. The file's mtime is the earliest time a background
 * sender retries it; `pushguard flush` ignores that.
 *
 * Background senders hold <dir>/.sender.lock (flock) while they deliver: one
 * per spool, however many pushes come while an endpoint hangs. */
#ifndef PG_SPOOL_H
#define PG_SPOOL_H

#include <stdint.h>
#include <time.h>

#include "error.h"
#include "pushguard.h"
#include "strvec.h"

/* Writes one event durably; creates dir (0700) if needed. dest: one line, no
 * credentials (pg_webhook_destination). */
int pg_spool_write(const char *dir, const char *id, const char *dest, const char *event_json,
		   struct pg_error *err);

/* pg_spool_list, the names of the spool files in dir, oldest first: pushguard.h. */

/* True when dir holds a file whose retry time has come (cheap: one readdir). */
int pg_spool_has_due(const char *dir, time_t now);

/* The sender lock: 1 taken (*fd holds it; closing fd releases it), 0 another
 * process holds it (*fd -1), negative on error. Creates dir if needed. */
int pg_spool_lock(int *fd, const char *dir, struct pg_error *err);

struct pg_spool_item {
	int fd;        /* open and locked while claimed; -1 otherwise */
	char *path;
	int version;   /* 2; 1: dest is the URL itself, credentials and all */
	char *dest;    /* where it is to be delivered */
	char *event;   /* the event JSON */
	time_t not_before;
	time_t created;
};

#define PG_SPOOL_ITEM_INIT { -1, NULL, 0, NULL, NULL, 0, 0 }

/* Claims dir/name: 1 claimed (item filled, locked), 0 somebody else holds it
 * or it is gone, negative on error (unreadable). */
int pg_spool_claim(struct pg_spool_item *item, const char *dir, const char *name, struct pg_error *err);
/* Delivered (or to be dropped): removes the file, then releases it. */
int pg_spool_done(struct pg_spool_item *item, struct pg_error *err);
/* Not delivered: the file stays; no background retry before `when`. Releases it. */
void pg_spool_defer(struct pg_spool_item *item, time_t when);
/* Rewrites a claimed file with a new destination (a version 1 file: its URL
 * replaced by dest), same name and event; the item stays claimed (0), or is
 * released when another sender took the new file at once (1). */
int pg_spool_rewrite(struct pg_spool_item *item, const char *dest, struct pg_error *err);
/* Releases the claim (unlocks) and frees the item's strings. */
void pg_spool_release(struct pg_spool_item *item);

#endif
