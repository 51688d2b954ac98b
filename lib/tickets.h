/* The change-ticket check (check "tickets"): every new commit on a protected
 * ref cites a ticket that the tracker says is open for work or approved.
 *
 * Tickets are taken from commit messages (ticket_extract.h); with
 * pushguard.tickets.url set, each distinct ticket of the push is looked up
 * once, all concurrently under one deadline (tracker.h), valid answers kept
 * for pushguard.tickets.cacheTtl (ticket_cache.h). Exemptions (merges,
 * skipPattern, exempt pushers) and an unreachable tracker accepted by
 * pushguard.tickets.onUnreachable = accept leave a note in the findings. */
#ifndef PG_TICKETS_H
#define PG_TICKETS_H

#include <stdbool.h>
#include <stdint.h>

#include "check.h"
#include "error.h"
#include "policy.h"
#include "pushguard.h"
#include "regex.h"
#include "strvec.h"
#include "ticket_extract.h"
#include "tracker.h"

extern const struct pg_key_def pg_tickets_keys[];

/* At most this many distinct tickets are looked up for one push. */
#define PG_TICKETS_MAX_LOOKUPS 256
/* At most this many commits already on the server are checked as they enter a
 * ref of pushguard.tickets.refs (a topic branch pushed to main). */
#define PG_TICKETS_MAX_ENTERING 1000
#define PG_TICKETS_DEFAULT_TIMEOUT_MS 3000
/* pushguard.tickets.timeout outside this range is a configuration error */
#define PG_TICKETS_MIN_TIMEOUT_MS 100
#define PG_TICKETS_MAX_TIMEOUT_MS 60000
#define PG_TICKETS_CACHE_FILE "pushguard-tickets.cache"

struct pg_tickets_config {
	bool required;
	struct pg_strvec refs;            /* pushguard.tickets.refs; empty = all */
	struct pg_ticket_extractor extractor;
	bool per_push;
	bool skip_merges;
	struct pg_regex *skip_pattern;
	struct pg_strvec exempt_users;
	bool live;                        /* pushguard.tickets.url is set */
	struct pg_tracker tracker;        /* its strings point into this struct or the policy */
	struct pg_strvec allowed;
	char *token;                      /* secret: wiped on release */
	int64_t cache_ttl_ms;             /* 0: no cache */
	bool accept_unreachable;
};

/* Reads and validates the pushguard.tickets.* settings: pattern, token and
 * CA files readable, URL template usable for the type. PG_ECONFIG names the
 * key and the file it was set in (never the token). Release c in every case. */
int pg_tickets_config_load(struct pg_tickets_config *c, const struct pg_policy *p,
			   struct pg_error *err);
void pg_tickets_config_release(struct pg_tickets_config *c);

/* pg_tickets_timeout, pg_tickets_config_open and pg_tickets_config_free:
 * pushguard.h. */

#endif
