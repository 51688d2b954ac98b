/* What lib/dashboard.c reads from the audit log, shared with the two
 * renderers (dashboard_text.c, dashboard_html.c). Internal to those three
 * files: everyone else uses dashboard.h. */
#ifndef PG_DASHBOARD_MODEL_H
#define PG_DASHBOARD_MODEL_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dashboard.h"

#define TOP_N 10
#define TOP_RULES 20
#define MAX_BYPASSES_SHOWN 200
#define MAX_LINE ((size_t)16 << 20)
#define MAX_SCAN_FINDINGS_SHOWN 200
#define MAX_NOT_LANDED_SHOWN 50
#define MAX_REFUSALS_SHOWN 50 /* rows (one per blocking finding) of the latest refusals */
#define MAX_UNCHECKED_SHOWN 100
#define MAX_WEEKS_SHOWN 26

enum { K_ACCEPTED, K_REJECTED, K_WARNED, K_BYPASSED, K_UNCHECKED, NKINDS };
extern const char *const pg_dash_kind_words[NKINDS];
extern const char *const pg_dash_kind_colors[NKINDS];

/* push.scanned: the background check of an unchecked push, not a decision */
enum { S_CLEAN, S_FINDINGS, S_NOT_LANDED, S_ERROR, NRESULTS };
extern const char *const pg_dash_result_words[NRESULTS];

struct pg_dashboard {
	char since[40];
	size_t events, skipped, counts[NKINDS];
	json_t *days;     /* "YYYY-MM-DD" -> [accepted, rejected, warned, bypassed, unchecked] */
	json_t *rules;    /* "check / rule" -> [count] */
	json_t *repos;    /* repository -> [pushes, rejected] */
	json_t *pushers;  /* pusher -> [pushes, rejected] */
	json_t *bypasses; /* [{time, pusher, repository, reason, overridden}] */
	size_t scans[NRESULTS];
	json_t *unchecked_ids; /* id of every push.unchecked -> true */
	json_t *scanned_ids;   /* unchecked_id of every push.scanned -> true */
	json_t *scan_findings; /* [{time, pusher, repository, ref, rules, count}]: unchecked pushes that had problems */
	/* push.landed (post-receive): which accepted ref updates entered the repository */
	size_t landed_events, landed_updates;
	size_t policy_changes; /* policy.changed: accepted updates of the policy ref, not decisions */
	json_t *accepted_refs; /* "repository\nref\nold\nnew" -> {time, pusher, repository, ref, new} */
	json_t *landed_refs;   /* the same keys -> true */
	json_t *refusals;      /* the newest MAX_REFUSALS_SHOWN rows: one per blocking finding of a push.rejected */
	size_t refusal_rows;   /* all such rows, shown or not */
	json_t *weeks;         /* ISO week "YYYY-Www" -> [pushes, rejected, warned, bypassed, unchecked] */
	json_t *refused_rules; /* "check / rule" -> [refused pushes it was in] */
	json_t *refused_repos; /* repository -> [refused pushes, pushes] */
	json_t *unchecked;     /* the newest MAX_UNCHECKED_SHOWN push.unchecked: [{time, id, repository, pusher, ref, notes}] */
	json_t *scan_result;   /* unchecked_id -> result of its push.scanned */
	int64_t *dur;
	size_t ndur, adur;
	bool sorted;
	char first[40], last[40];
};

struct ranked {
	const char *key;
	json_int_t a, b;
};

/* The string member key of o, or def. */
const char *pg_dash_str(json_t *o, const char *key, const char *def);
/* Entries of obj sorted by their first count, most first. Caller frees. */
struct ranked *pg_dash_rank(json_t *obj, size_t *n);
/* qsort comparators: strings; events by their "time" */
int pg_dash_by_key(const void *x, const void *y);
int pg_dash_by_time(const void *x, const void *y);
/* Keys of d->days in date order. Caller frees the array (not the keys). */
const char **pg_dash_sorted_days(const struct pg_dashboard *d, size_t *n);
json_int_t pg_dash_day_count(const struct pg_dashboard *d, const char *day, int kind);
/* push.unchecked events with no push.scanned in the logs read (yet) */
size_t pg_dash_awaiting_scan(const struct pg_dashboard *d);
/* Accepted ref updates no push.landed names, oldest first (the caller frees
 * the array, not what it holds); *n how many. */
json_t **pg_dash_not_landed(const struct pg_dashboard *d, size_t *n);
/* push.scanned events counted, whatever their result */
size_t pg_dash_nscans(const struct pg_dashboard *d);

#endif
