/* Delivering spooled events: in a detached process after a push, and from
 * `pushguard flush`. */
#ifndef PG_SENDER_H
#define PG_SENDER_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"
#include "strvec.h"
#include "webhook.h"

struct pg_sender_stats {
	size_t delivered;   /* POSTed, 2xx, removed */
	size_t dropped;     /* 410 Gone or not an event: removed undelivered */
	size_t failed;      /* still in the spool */
	size_t busy;        /* claimed by another sender just now */
	size_t other;       /* addressed to another URL: left alone */
	struct pg_strvec problems; /* one line per failure: "<id>: HTTP 503" */
};

#define PG_SENDER_STATS_INIT { 0, 0, 0, 0, 0, PG_STRVEC_INIT }

void pg_sender_stats_release(struct pg_sender_stats *st);

/* Delivers the spool files addressed to w->url. own_id (may be NULL): an
 * event just written, tried first and retried w->retries times with
 * exponential backoff (1 s, 2 s, 4 s, ...). Every other file gets one attempt;
 * in the background (flush false) only once its retry time has come. A file
 * that stays undelivered gets its next retry time (twice its age, 30 s to 1 h).
 * Negative only when the spool cannot be read or libcurl cannot load. */
int pg_sender_run(struct pg_sender_stats *st, const struct pg_webhook *w, const char *own_id,
		  bool flush, struct pg_error *err);

/* Starts pg_sender_run(w, own_id, false) in a detached process (new session,
 * fds 0-2 on /dev/null, every other fd closed, no GIT_* variables, cwd /) and
 * returns at once: git waits for nothing. */
int pg_sender_spawn(const struct pg_webhook *w, const char *own_id, struct pg_error *err);

#endif
