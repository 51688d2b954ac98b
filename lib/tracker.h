/* Looking change tickets up in an issue tracker over HTTP(S).
 *
 * Every distinct ticket is fetched once, all concurrently (libcurl multi),
 * under one deadline: connect and total time are both bounded by timeout_ms,
 * and whatever has not answered by then is "unreachable". TLS verification
 * stays on, only http/https are spoken, redirects are never followed, and no
 * answer body larger than PG_TRACKER_MAX_BODY is read. The token is only ever
 * put in the Authorization header: no message built here contains it. */
#ifndef PG_TRACKER_H
#define PG_TRACKER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "strvec.h"

#define PG_TRACKER_MAX_BODY ((size_t)1 << 20)
#define PG_TRACKER_MAX_PARALLEL 16

enum pg_tracker_type {
	PG_TRACKER_JIRA,
	PG_TRACKER_SERVICENOW,
	PG_TRACKER_GITHUB,
	PG_TRACKER_GITLAB,
	PG_TRACKER_HTTP,
};

enum pg_ticket_verdict {
	PG_TICKET_VALID,       /* exists, and its state is allowed */
	PG_TICKET_NOT_ALLOWED, /* exists, but closed / not approved / outside its window */
	PG_TICKET_MISSING,     /* 404 or 410: no such ticket, or invisible to the token */
	PG_TICKET_UNREACHABLE, /* timeout, DNS, connection, 5xx, 429, rate limit, malformed answer */
	PG_TICKET_CONFIG,      /* 401, 403, 3xx, other 4xx: pushguard's configuration is wrong */
};

struct pg_ticket_result {
	enum pg_ticket_verdict verdict;
	char *state;         /* the tracker's state for it ("Closed"), or NULL */
	char *detail;        /* why, in plain words ("HTTP 503"), or NULL */
	int64_t valid_until; /* seconds since the epoch after which a VALID answer lapses; 0 none */
	bool cached;         /* came from the cache, not the tracker */
};

struct pg_tracker {
	enum pg_tracker_type type;
	const char *url;                 /* template; {ticket} is replaced by the escaped id */
	const char *token;               /* secret, or NULL for no Authorization header */
	bool basic;                      /* token is "user:token", sent as Basic; else Bearer */
	const char *ca_file;             /* or NULL for the system CAs */
	int64_t timeout_ms;              /* connect and total, for all lookups together */
	const struct pg_strvec *allowed; /* allowed states; NULL or empty: the type's default */
	bool check_window;               /* ServiceNow: now must lie in start_date..end_date */
	int64_t now;                     /* seconds since the epoch, for the window */
};

enum pg_tracker_type pg_tracker_type_parse(const char *name); /* unknown: PG_TRACKER_HTTP */
const char *pg_tracker_type_title(enum pg_tracker_type type);   /* "Jira", "ServiceNow", ... */
/* The states allowed when pushguard.tickets.allowedStatus is unset, "|"-separated. */
const char *pg_tracker_default_allowed(enum pg_tracker_type type);
/* True when type needs {ticket} in its URL template (all but ServiceNow). */
bool pg_tracker_needs_placeholder(enum pg_tracker_type type);

/* The URL that looks ticket up. Caller frees *out. */
int pg_tracker_url(char **out, const struct pg_tracker *t, const char *ticket, struct pg_error *err);

/* What an HTTP answer says about a ticket (no network). http_status 0 is not
 * used here; transport failures are the caller's. rate_limited: the answer
 * carried Retry-After or X-RateLimit-Remaining: 0. Release out afterwards. */
void pg_tracker_interpret(struct pg_ticket_result *out, const struct pg_tracker *t,
			  long http_status, bool rate_limited, const char *body, size_t len);

/* Looks up tickets[0..n-1] concurrently; out[i] answers tickets[i] (entries
 * with out[i].cached set are skipped: already answered). Negative only on an
 * internal failure (out of memory, libcurl cannot start); every outcome of
 * the lookups themselves is a verdict. Release each out[i]. */
int pg_tracker_lookup(struct pg_ticket_result *out, const struct pg_tracker *t,
		      char *const *tickets, size_t n, struct pg_error *err);

void pg_ticket_result_release(struct pg_ticket_result *r);
const char *pg_ticket_verdict_name(enum pg_ticket_verdict v);

#endif
