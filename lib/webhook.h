/* Webhook delivery of push events: payload formats, signatures, one POST.
 *
 * Every POST carries X-Pushguard-Event (push.rejected, ...),
 * X-Pushguard-Delivery (the event id, the same on every retry) and, when a
 * secret is configured, X-Pushguard-Signature-256: sha256=<hex HMAC-SHA256 of
 * the body> (GitHub's scheme) and the Standard Webhooks headers webhook-id,
 * webhook-timestamp and webhook-signature: v1,<base64 HMAC-SHA256 of
 * "id.timestamp.body">. For the Standard Webhooks signature a secret written
 * "whsec_<base64>" is base64-decoded first, as their libraries do; the GitHub
 * signature always uses the secret's bytes as written.
 *
 * TLS verification is always on, only http and https are spoken and
 * redirects are never followed. The secret and the token never appear in an
 * error message. */
#ifndef PG_WEBHOOK_H
#define PG_WEBHOOK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "error.h"
#include "event.h"
#include "policy.h"
#include "pushguard.h"
#include "strvec.h"

enum pg_webhook_format { PG_WEBHOOK_JSON, PG_WEBHOOK_SLACK, PG_WEBHOOK_SPLUNK_HEC };

#define PG_WEBHOOK_DEFAULT_TIMEOUT_MS 5000
#define PG_WEBHOOK_DEFAULT_RETRIES 4
#define PG_WEBHOOK_MAX_SECRET 4096
/* pushguard.webhook.timeout and .retries outside these are configuration errors */
#define PG_WEBHOOK_MIN_TIMEOUT_MS 100
#define PG_WEBHOOK_MAX_TIMEOUT_MS 60000
#define PG_WEBHOOK_MAX_RETRIES 20
/* every event but push.accepted and push.landed (one per push, however it went) */
#define PG_WEBHOOK_DEFAULT_EVENTS                                                                   \
	((1u << PG_EVENT_REJECTED) | (1u << PG_EVENT_WARNED) | (1u << PG_EVENT_BYPASSED) |           \
	 (1u << PG_EVENT_UNCHECKED) | (1u << PG_EVENT_SCANNED) | (1u << PG_EVENT_POLICY_CHANGED))

struct pg_webhook {
	char *url;        /* NULL: no webhook configured */
	char *secret;     /* NULL: unsigned */
	char *token;      /* Authorization: "Splunk <token>" for splunk-hec, else "Bearer <token>"; or NULL */
	enum pg_webhook_format format;
	unsigned events;  /* bit (1u << pg_event_kind) per event delivered */
	int64_t timeout_ms;
	char *ca_file;
	char *spool_dir;  /* absolute */
	int retries;      /* attempts after the first, by the detached sender */
	bool spoolable;   /* url is one pushguard can deliver to: events may wait in the spool */
};

#define PG_WEBHOOK_INIT { NULL, NULL, NULL, PG_WEBHOOK_JSON, 0, 0, NULL, NULL, 0, false }

/* Reads pushguard.webhook.* from p. git_dir (absolute) places the default
 * spool, <git_dir>/pushguard-spool. With no url set, returns 0 and leaves
 * w->url NULL.
 *
 * A bad setting is PG_ECONFIG naming the key and the file it was set in (err
 * gets the first, problems, when not NULL, every one), and events must not be
 * delivered; but w is still filled as far as it goes: w->url, w->spool_dir,
 * w->events (the default set when pushguard.webhook.events is at fault) and
 * w->spoolable (false when the URL itself is at fault), so that the caller
 * keeps the event in the spool until the setting is fixed instead of losing
 * it. PG_ERR: out of memory. Release w in every case. */
int pg_webhook_load(struct pg_webhook *w, const struct pg_policy *p, const char *git_dir,
		    struct pg_strvec *problems, struct pg_error *err);
void pg_webhook_release(struct pg_webhook *w);

/* The URL as pushguard shows and stores it: scheme://host[:port], then "/…"
 * when anything follows; never user:password@, the path or the query (Slack
 * and Discord URLs hold their secret in the path). "(not a URL)" when there is
 * no scheme://. -1 out of memory. */
int pg_webhook_url_display(struct pg_buf *out, const char *url);

/* Where a spooled event is to go, without the URL's credentials: "<display>
 * <salt>:<SHA-256 of salt and URL>", a fresh random salt each time. The
 * sender takes the URL from the policy when it delivers and recognises its
 * events with pg_webhook_destination_matches. Caller frees *out; -1 on failure. */
int pg_webhook_destination(char **out, const char *url);
bool pg_webhook_destination_matches(const char *dest, const char *url);

/* Parses one value of pushguard.webhook.events ("rejected", "all", "a,b");
 * returns the bits, or 0 when a word is unknown. */
unsigned pg_webhook_parse_events(const char *value);

/* "sha256=<64 hex>" of HMAC-SHA256(key, body). */
int pg_webhook_sign_github(char out[72], const char *key, size_t keylen, const void *body, size_t len);
/* "v1,<base64>" of HMAC-SHA256(secret, id "." timestamp "." body); a
 * "whsec_" secret is base64-decoded first. -1 when a whsec_ secret is not base64. */
int pg_webhook_sign_standard(char out[64], const char *secret, const char *id, int64_t timestamp,
			     const void *body, size_t len);

/* The POST body for event_json (one event as written by pg_event_to_json) in
 * w's format. Caller frees *out. */
int pg_webhook_payload(char **out, const struct pg_webhook *w, const char *event_json,
		       struct pg_error *err);

enum pg_webhook_result {
	PG_WEBHOOK_DELIVERED, /* 2xx */
	PG_WEBHOOK_RETRY,     /* transport failure, timeout, other status: try again later */
	PG_WEBHOOK_GONE,      /* 410: the receiver asks us to stop; drop the event */
};

/* POSTs the event (id and kind from event_json) once. *why gets a short
 * reason ("HTTP 503", "timed out after 5000 ms") for anything but
 * DELIVERED. Negative only on an internal failure (libcurl cannot load). */
int pg_webhook_post(const struct pg_webhook *w, const char *event_json, char *why, size_t whylen,
		    struct pg_error *err);

#endif
