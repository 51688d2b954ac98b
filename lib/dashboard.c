#include "dashboard.h"

#include <jansson.h>
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "build-config.h"
#include "render.h"

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
static const char *const kind_words[NKINDS] = { "accepted", "rejected", "warned", "bypassed", "unchecked" };
static const char *const kind_colors[NKINDS] = { "#43a047", "#e53935", "#fb8c00", "#8e24aa", "#757575" };

/* push.scanned: the background check of an unchecked push, not a decision */
enum { S_CLEAN, S_FINDINGS, S_NOT_LANDED, S_ERROR, NRESULTS };
static const char *const result_words[NRESULTS] = { "clean", "findings", "not-landed", "error" };

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

static bool valid_since(const char *s)
{
	size_t n = strlen(s);

	if (n < 10 || n > 35)
		return false;
	for (size_t i = 0; i < 10; i++)
		if ((i == 4 || i == 7) ? s[i] != '-' : (s[i] < '0' || s[i] > '9'))
			return false;
	return n == 10 || s[10] == 'T';
}

int pg_dashboard_new(struct pg_dashboard **out, const char *since, struct pg_error *err)
{
	struct pg_dashboard *d;

	*out = NULL;
	if (since && !valid_since(since))
		return pg_error_set(err, PG_EINPUT, "--since '%s': expected a date (YYYY-MM-DD) or an RFC 3339 UTC time",
				    since);
	if (!(d = calloc(1, sizeof(*d))))
		return pg_error_set(err, PG_ERR, "out of memory");
	snprintf(d->since, sizeof(d->since), "%s", since ? since : "");
	d->days = json_object();
	d->rules = json_object();
	d->repos = json_object();
	d->pushers = json_object();
	d->bypasses = json_array();
	d->unchecked_ids = json_object();
	d->scanned_ids = json_object();
	d->scan_findings = json_array();
	d->accepted_refs = json_object();
	d->landed_refs = json_object();
	d->refusals = json_array();
	d->weeks = json_object();
	d->refused_rules = json_object();
	d->refused_repos = json_object();
	d->unchecked = json_array();
	d->scan_result = json_object();
	if (!d->days || !d->rules || !d->repos || !d->pushers || !d->bypasses || !d->unchecked_ids || !d->scanned_ids ||
	    !d->scan_findings || !d->accepted_refs || !d->landed_refs || !d->refusals || !d->weeks || !d->refused_rules ||
	    !d->refused_repos || !d->unchecked || !d->scan_result) {
		pg_dashboard_free(d);
		return pg_error_set(err, PG_ERR, "out of memory");
	}
	*out = d;
	return 0;
}

void pg_dashboard_free(struct pg_dashboard *d)
{
	if (!d)
		return;
	json_decref(d->days);
	json_decref(d->rules);
	json_decref(d->repos);
	json_decref(d->pushers);
	json_decref(d->bypasses);
	json_decref(d->unchecked_ids);
	json_decref(d->scanned_ids);
	json_decref(d->scan_findings);
	json_decref(d->accepted_refs);
	json_decref(d->landed_refs);
	json_decref(d->refusals);
	json_decref(d->weeks);
	json_decref(d->refused_rules);
	json_decref(d->refused_repos);
	json_decref(d->unchecked);
	json_decref(d->scan_result);
	free(d->dur);
	free(d);
}

/* obj[key][idx] += 1, the array created with width zeros */
static void bump(json_t *obj, const char *key, size_t idx, size_t width)
{
	json_t *a = json_object_get(obj, key);

	if (!a) {
		a = json_array();
		for (size_t i = 0; a && i < width; i++)
			json_array_append_new(a, json_integer(0));
		if (!a || json_object_set_new(obj, key, a) < 0)
			return;
	}
	json_array_set_new(a, idx, json_integer(json_integer_value(json_array_get(a, idx)) + 1));
}

static const char *jstr(json_t *o, const char *key, const char *def)
{
	json_t *v = json_object_get(o, key);

	return json_is_string(v) ? json_string_value(v) : def;
}

/* Adds row (a new reference, taken) to arr, which keeps the max newest rows by "time":
 * when full, row replaces the oldest if it is newer, else is dropped. */
static void keep_newest(json_t *arr, json_t *row, size_t max)
{
	size_t oldest = 0;
	const char *t = jstr(row, "time", "");

	if (!row)
		return;
	if (json_array_size(arr) < max) {
		json_array_append_new(arr, row);
		return;
	}
	for (size_t i = 1; i < json_array_size(arr); i++)
		if (strcmp(jstr(json_array_get(arr, i), "time", ""), jstr(json_array_get(arr, oldest), "time", "")) < 0)
			oldest = i;
	if (strcmp(t, jstr(json_array_get(arr, oldest), "time", "")) > 0)
		json_array_set_new(arr, oldest, row);
	else
		json_decref(row);
}

/* ISO 8601 week ("2026-W49") of the date at the start of time; false when it is no date. */
static bool iso_week(const char *time, char out[16])
{
	struct tm tm = { 0 };
	time_t t;

	if (sscanf(time, "%4d-%2d-%2d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday) != 3)
		return false;
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	tm.tm_hour = 12;
	if ((t = timegm(&tm)) == (time_t)-1 || !gmtime_r(&t, &tm))
		return false;
	return strftime(out, 16, "%G-W%V", &tm) > 0;
}

/* The rows a push.rejected adds to the latest refusals: one per blocking finding
 * (what the pusher read: rule, where, masked excerpt, fingerprint, and the
 * confidence where the event has it), or one naming the error that decided. */
static void add_refusal(struct pg_dashboard *d, json_t *ev, const char *time, const char *repo, const char *pusher)
{
	json_t *findings = json_object_get(ev, "findings");
	const char *ref0 = jstr(json_array_get(json_object_get(ev, "refs"), 0), "ref", "");
	json_t *seen = json_object();
	size_t rows = 0;

	for (size_t i = 0; i < json_array_size(findings); i++) {
		json_t *f = json_array_get(findings, i), *line = json_object_get(f, "line");
		char key[256], where[64] = "";

		if (json_is_true(json_object_get(f, "allowed")))
			continue;
		snprintf(key, sizeof(key), "%s / %s", jstr(f, "check", "?"), jstr(f, "rule", "?"));
		if (seen && !json_object_get(seen, key)) {
			json_object_set_new(seen, key, json_true());
			bump(d->refused_rules, key, 0, 1);
		}
		if (json_is_integer(line))
			snprintf(where, sizeof(where), ":%lld", (long long)json_integer_value(line));
		d->refusal_rows++;
		rows++;
		keep_newest(d->refusals,
			    json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s}", "time", time, "repository", repo,
				      "pusher", pusher, "ref", jstr(f, "ref", ref0), "rule", key, "confidence",
				      jstr(f, "confidence", ""), "path", jstr(f, "path", ""), "line", where,
				      "excerpt", jstr(f, "excerpt", ""), "fingerprint", jstr(f, "fingerprint", "")),
			    MAX_REFUSALS_SHOWN);
	}
	if (!rows) { /* refused for an error, a timeout, a configuration problem */
		const char *why = jstr(ev, "error", "refused without a finding");

		d->refusal_rows++;
		keep_newest(d->refusals,
			    json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s}", "time", time, "repository", repo,
				      "pusher", pusher, "ref", ref0, "rule", "(no finding)", "confidence", "", "path", why,
				      "line", "", "excerpt", "", "fingerprint", ""),
			    MAX_REFUSALS_SHOWN);
	}
	json_decref(seen);
}

/* Counts the findings of an event into the rules table; returns how many counted. */
static size_t count_findings(struct pg_dashboard *d, json_t *ev, struct pg_buf *rules)
{
	json_t *findings = json_object_get(ev, "findings");
	size_t blocking = 0;

	for (size_t i = 0; i < json_array_size(findings); i++) {
		json_t *f = json_array_get(findings, i);
		char key[256];

		if (json_is_true(json_object_get(f, "allowed")))
			continue;
		blocking++;
		snprintf(key, sizeof(key), "%s / %s", jstr(f, "check", "?"), jstr(f, "rule", "?"));
		bump(d->rules, key, 0, 1);
		if (rules && !strstr(rules->ptr, key)) {
			if (rules->len)
				pg_buf_adds(rules, ", ");
			pg_buf_adds(rules, key);
		}
	}
	return blocking;
}

/* push.scanned: the result of the background check of a push.unchecked. */
static void add_scanned(struct pg_dashboard *d, json_t *ev, const char *time)
{
	const char *result = jstr(ev, "result", "error"), *id = jstr(ev, "unchecked_id", NULL);
	struct pg_buf rules = PG_BUF_INIT;
	size_t r, blocking;

	for (r = 0; r < NRESULTS && strcmp(result, result_words[r]); r++)
		;
	if (r == NRESULTS)
		r = S_ERROR;
	d->scans[r]++;
	if (id) {
		json_object_set_new(d->scanned_ids, id, json_true());
		json_object_set_new(d->scan_result, id, json_string(result_words[r]));
	}
	blocking = count_findings(d, ev, &rules);
	if (r == S_FINDINGS || blocking) {
		json_t *refs = json_object_get(ev, "refs");

		json_array_append_new(d->scan_findings,
				      json_pack("{s:s,s:s,s:s,s:s,s:s,s:I}", "time", time, "pusher", jstr(ev, "pusher", "(unknown)"),
						"repository", jstr(ev, "repository", "(unknown)"), "ref",
						jstr(json_array_get(refs, 0), "ref", ""), "rules",
						pg_buf_failed(&rules) ? "(out of memory)" : rules.ptr, "count",
						(json_int_t)blocking));
	}
	pg_buf_release(&rules);
}

/* Each ref update of ev, keyed "repository\nref\nold\nnew", into set (landed:
 * true; accepted: where and by whom). Returns how many. */
static size_t add_updates(json_t *set, json_t *ev, const char *time, bool landed)
{
	json_t *refs = json_object_get(ev, "refs");
	const char *repo = jstr(ev, "repository", "(unknown)");
	size_t n = 0;

	for (size_t i = 0; i < json_array_size(refs); i++) {
		json_t *r = json_array_get(refs, i);
		struct pg_buf key = PG_BUF_INIT;

		if (!jstr(r, "ref", NULL) || !jstr(r, "old", NULL) || !jstr(r, "new", NULL))
			continue;
		if (pg_buf_addf(&key, "%s\n%s\n%s\n%s", repo, jstr(r, "ref", ""), jstr(r, "old", ""), jstr(r, "new", "")) == 0)
			json_object_set_new(set, key.ptr,
					    landed ? json_true()
						   : json_pack("{s:s,s:s,s:s,s:s,s:s}", "time", time, "pusher",
							       jstr(ev, "pusher", "(unknown)"), "repository", repo, "ref",
							       jstr(r, "ref", ""), "new", jstr(r, "new", "")));
		pg_buf_release(&key);
		n++;
	}
	return n;
}

int pg_dashboard_add_line(struct pg_dashboard *d, const char *line)
{
	json_t *ev = json_loads(line, 0, NULL);
	const char *event, *time, *repo, *pusher;
	size_t kind, blocking = 0;
	int ret = 0;

	if (json_is_object(ev) && (event = jstr(ev, "event", NULL)) && !strcmp(event, "policy.changed") &&
	    (time = jstr(ev, "time", NULL)) && strlen(time) >= 10) {
		if (!d->since[0] || strcmp(time, d->since) >= 0) {
			d->policy_changes++;
			ret = 1;
		}
		goto out;
	}
	if (!json_is_object(ev) || !(event = jstr(ev, "event", NULL)) || !(time = jstr(ev, "time", NULL)) ||
	    strncmp(event, "push.", 5) || strlen(time) < 10) {
		d->skipped++;
		goto out;
	}
	if (!strcmp(event, "push.scanned")) {
		if (d->since[0] && strcmp(time, d->since) < 0)
			goto out;
		add_scanned(d, ev, time);
		ret = 1;
		goto out;
	}
	if (!strcmp(event, "push.landed")) { /* not a decision: what entered the repository */
		if (d->since[0] && strcmp(time, d->since) < 0)
			goto out;
		d->landed_events++;
		d->landed_updates += add_updates(d->landed_refs, ev, time, true);
		ret = 1;
		goto out;
	}
	for (kind = 0; kind < NKINDS && strcmp(event + 5, kind_words[kind]); kind++)
		;
	if (kind == NKINDS) {
		d->skipped++;
		goto out;
	}
	if (d->since[0] && strcmp(time, d->since) < 0)
		goto out;
	if (kind == K_UNCHECKED && jstr(ev, "id", NULL))
		json_object_set_new(d->unchecked_ids, jstr(ev, "id", NULL), json_true());
	if (kind != K_REJECTED)
		add_updates(d->accepted_refs, ev, time, false);
	repo = jstr(ev, "repository", "(unknown)");
	pusher = jstr(ev, "pusher", "(unknown)");
	d->events++;
	d->counts[kind]++;
	if (!d->first[0] || strcmp(time, d->first) < 0)
		snprintf(d->first, sizeof(d->first), "%s", time);
	if (strcmp(time, d->last) > 0)
		snprintf(d->last, sizeof(d->last), "%s", time);
	{
		char day[11];

		memcpy(day, time, 10);
		day[10] = '\0';
		bump(d->days, day, kind, NKINDS);
	}
	{
		char week[16];
		/* [pushes, rejected, warned, bypassed, unchecked] */
		static const int col[NKINDS] = { [K_ACCEPTED] = -1, [K_REJECTED] = 1, [K_WARNED] = 2,
						 [K_BYPASSED] = 3, [K_UNCHECKED] = 4 };

		if (iso_week(time, week)) {
			bump(d->weeks, week, 0, 5);
			if (col[kind] > 0)
				bump(d->weeks, week, (size_t)col[kind], 5);
		}
	}
	bump(d->refused_repos, repo, 1, 2);
	if (kind == K_REJECTED) {
		bump(d->refused_repos, repo, 0, 2);
		add_refusal(d, ev, time, repo, pusher);
	}
	if (kind == K_UNCHECKED) {
		json_t *note0 = json_array_get(json_object_get(ev, "notes"), 0);
		const char *note = json_is_string(note0) ? json_string_value(note0) : "";

		keep_newest(d->unchecked,
			    json_pack("{s:s,s:s,s:s,s:s,s:s,s:s}", "time", time, "id", jstr(ev, "id", ""), "repository", repo,
				      "pusher", pusher, "ref", jstr(json_array_get(json_object_get(ev, "refs"), 0), "ref", ""),
				      "why", jstr(ev, "error", note)),
			    MAX_UNCHECKED_SHOWN);
	}
	bump(d->repos, repo, 0, 2);
	bump(d->pushers, pusher, 0, 2);
	if (kind == K_REJECTED) {
		bump(d->repos, repo, 1, 2);
		bump(d->pushers, pusher, 1, 2);
	}
	blocking = count_findings(d, ev, NULL);
	if (kind == K_BYPASSED)
		json_array_append_new(d->bypasses,
				      json_pack("{s:s,s:s,s:s,s:s,s:I}", "time", time, "pusher", pusher, "repository", repo,
						"reason", jstr(ev, "bypass_reason", ""), "overridden", (json_int_t)blocking));
	if (json_is_integer(json_object_get(ev, "duration_ms"))) {
		if (d->ndur == d->adur) {
			size_t n = d->adur ? d->adur * 2 : 256;
			int64_t *v = realloc(d->dur, n * sizeof(*v));

			if (!v)
				goto counted;
			d->dur = v;
			d->adur = n;
		}
		d->dur[d->ndur++] = json_integer_value(json_object_get(ev, "duration_ms"));
		d->sorted = false;
	}
counted:
	ret = 1;
out:
	json_decref(ev);
	return ret;
}

int pg_dashboard_add_file(struct pg_dashboard *d, FILE *fp, const char *name, struct pg_error *err)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;

	while ((n = getline(&line, &cap, fp)) > 0) {
		if ((size_t)n > MAX_LINE) {
			d->skipped++;
			continue;
		}
		if (line[n - 1] == '\n')
			line[n - 1] = '\0';
		if (line[0])
			pg_dashboard_add_line(d, line);
	}
	free(line);
	if (ferror(fp))
		return pg_error_set(err, PG_ERR, "cannot read %s", name);
	return 0;
}

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

int64_t pg_dashboard_percentile(const struct pg_dashboard *d, double p)
{
	struct pg_dashboard *m = (struct pg_dashboard *)(uintptr_t)d; /* sorting is a cache */
	size_t rank;

	if (!d->ndur)
		return -1;
	if (!d->sorted) {
		qsort(m->dur, m->ndur, sizeof(*m->dur), cmp_i64);
		m->sorted = true;
	}
	rank = (size_t)ceil(p / 100.0 * (double)d->ndur);
	if (rank < 1)
		rank = 1;
	if (rank > d->ndur)
		rank = d->ndur;
	return d->dur[rank - 1];
}

/* ---------------------------------------------------------------- ranking */

struct ranked {
	const char *key;
	json_int_t a, b;
};

static int by_count(const void *x, const void *y)
{
	const struct ranked *p = x, *q = y;

	if (p->a != q->a)
		return p->a > q->a ? -1 : 1;
	return strcmp(p->key, q->key);
}

/* Entries of obj sorted by their first count, most first. Caller frees. */
static struct ranked *rank(json_t *obj, size_t *n)
{
	struct ranked *r = calloc(json_object_size(obj) + 1, sizeof(*r));
	const char *key;
	json_t *v;

	*n = 0;
	if (!r)
		return NULL;
	json_object_foreach(obj, key, v) {
		r[*n].key = key;
		r[*n].a = json_integer_value(json_array_get(v, 0));
		r[*n].b = json_integer_value(json_array_get(v, 1));
		(*n)++;
	}
	qsort(r, *n, sizeof(*r), by_count);
	return r;
}

static int by_key(const void *x, const void *y)
{
	return strcmp(*(const char *const *)x, *(const char *const *)y);
}

/* Keys of d->days in date order. Caller frees the array (not the keys). */
static const char **sorted_days(const struct pg_dashboard *d, size_t *n)
{
	const char **v = calloc(json_object_size(d->days) + 1, sizeof(*v));
	const char *key;
	json_t *val;

	*n = 0;
	if (!v)
		return NULL;
	json_object_foreach(d->days, key, val)
		v[(*n)++] = key;
	qsort(v, *n, sizeof(*v), by_key);
	return v;
}

static json_int_t day_count(const struct pg_dashboard *d, const char *day, int kind)
{
	return json_integer_value(json_array_get(json_object_get(d->days, day), (size_t)kind));
}

/* push.unchecked events with no push.scanned in the logs read (yet) */
static size_t awaiting_scan(const struct pg_dashboard *d)
{
	const char *id;
	json_t *v;
	size_t n = 0;

	json_object_foreach(d->unchecked_ids, id, v)
		n += !json_object_get(d->scanned_ids, id);
	return n;
}

/* Accepted ref updates no push.landed names, oldest first (the caller frees
 * the array, not what it holds); *n how many. */
static json_t **not_landed(const struct pg_dashboard *d, size_t *n)
{
	json_t **v = calloc(json_object_size(d->accepted_refs) + 1, sizeof(*v));
	const char *key;
	json_t *val;

	*n = 0;
	if (!v)
		return NULL;
	json_object_foreach(d->accepted_refs, key, val)
		if (!json_object_get(d->landed_refs, key))
			v[(*n)++] = val;
	return v;
}

static int by_time(const void *x, const void *y)
{
	return strcmp(jstr(*(json_t *const *)x, "time", ""), jstr(*(json_t *const *)y, "time", ""));
}

static size_t nscans(const struct pg_dashboard *d)
{
	size_t n = 0;

	for (int r = 0; r < NRESULTS; r++)
		n += d->scans[r];
	return n;
}

/* ------------------------------------------------------------------- text */

void pg_dashboard_text(struct pg_buf *out, const struct pg_dashboard *d)
{
	size_t n, i;
	const char **days;
	struct ranked *r;

	pg_buf_addf(out, "pushguard report: %zu push decision%s", d->events, d->events == 1 ? "" : "s");
	if (d->events)
		pg_buf_addf(out, " from %.10s to %.10s", d->first, d->last);
	if (d->since[0])
		pg_buf_addf(out, " (since %s)", d->since);
	pg_buf_addch(out, '\n');
	if (d->skipped)
		pg_buf_addf(out, "  %zu line%s skipped: not pushguard events\n", d->skipped, d->skipped == 1 ? "" : "s");
	pg_buf_addf(out, "  accepted %zu, rejected %zu, warned %zu, bypassed %zu, unchecked %zu\n",
		    d->counts[K_ACCEPTED], d->counts[K_REJECTED], d->counts[K_WARNED], d->counts[K_BYPASSED],
		    d->counts[K_UNCHECKED]);
	if (d->policy_changes)
		pg_buf_addf(out, "  policy ref changes: %zu (policy.changed)\n", d->policy_changes);
	if (d->counts[K_UNCHECKED] || nscans(d))
		pg_buf_addf(out, "  background checks of unchecked pushes: %zu clean, %zu WITH FINDINGS, %zu did not land, "
			    "%zu failed, %zu without a result yet\n", d->scans[S_CLEAN], d->scans[S_FINDINGS],
			    d->scans[S_NOT_LANDED], d->scans[S_ERROR], awaiting_scan(d));
	if (d->landed_events) {
		size_t nl = 0;
		json_t **v = not_landed(d, &nl);

		pg_buf_addf(out, "  ref updates: %zu accepted, %zu landed (post-receive); %zu accepted but never landed\n",
			    json_object_size(d->accepted_refs), d->landed_updates, nl);
		if (v && nl) {
			qsort(v, nl, sizeof(*v), by_time);
			pg_buf_addf(out, "\nACCEPTED BUT NEVER LANDED (a racing push moved the ref first, or receive-pack "
				    "was killed): %zu\n", nl);
			for (size_t k = 0; k < nl && k < MAX_NOT_LANDED_SHOWN; k++) {
				pg_buf_addf(out, "  %s  ", jstr(v[k], "time", ""));
				pg_render_safe(out, jstr(v[k], "pusher", ""));
				pg_buf_adds(out, "  ");
				pg_render_safe(out, jstr(v[k], "repository", ""));
				pg_buf_adds(out, "  ");
				pg_render_safe(out, jstr(v[k], "ref", ""));
				pg_buf_adds(out, "  ");
				pg_render_safe(out, jstr(v[k], "new", ""));
				pg_buf_addch(out, '\n');
			}
		}
		free(v);
	} else if (d->events) {
		pg_buf_adds(out, "  ref updates landed: not recorded (no push.landed event: install.sh installs the "
			    "post-receive hook that records them)\n");
	}
	if (json_array_size(d->scan_findings)) {
		pg_buf_addf(out, "\nUNCHECKED PUSHES WITH FINDINGS (accepted past the time budget, found by the background "
			    "check): %zu\n", json_array_size(d->scan_findings));
		for (i = 0; i < json_array_size(d->scan_findings) && i < MAX_SCAN_FINDINGS_SHOWN; i++) {
			json_t *f = json_array_get(d->scan_findings, i);
			json_int_t c = json_integer_value(json_object_get(f, "count"));

			pg_buf_addf(out, "  %s  ", jstr(f, "time", ""));
			pg_render_safe(out, jstr(f, "pusher", ""));
			pg_buf_adds(out, "  ");
			pg_render_safe(out, jstr(f, "repository", ""));
			pg_buf_adds(out, "  ");
			pg_render_safe(out, jstr(f, "ref", ""));
			pg_buf_adds(out, "  ");
			pg_render_safe(out, jstr(f, "rules", ""));
			pg_buf_addf(out, "  (%lld finding%s)\n", (long long)c, c == 1 ? "" : "s");
		}
	}
	if (!d->events)
		return;
	pg_buf_adds(out, "\nper day:\n");
	if ((days = sorted_days(d, &n))) {
		for (i = 0; i < n; i++) {
			json_int_t total = 0;

			for (int k = 0; k < NKINDS; k++)
				total += day_count(d, days[i], k);
			pg_buf_addf(out, "  %s  pushes %-6lld rejected %-5lld warned %-5lld bypassed %lld\n", days[i],
				    (long long)total, (long long)day_count(d, days[i], K_REJECTED),
				    (long long)day_count(d, days[i], K_WARNED), (long long)day_count(d, days[i], K_BYPASSED));
		}
		free(days);
	}
	pg_buf_adds(out, "\nfindings by check and rule:\n");
	if ((r = rank(d->rules, &n))) {
		for (i = 0; i < n && i < TOP_RULES; i++) {
			pg_buf_adds(out, "  ");
			pg_render_safe(out, r[i].key);
			pg_buf_addf(out, "  %lld\n", (long long)r[i].a);
		}
		if (!n)
			pg_buf_adds(out, "  (none)\n");
		free(r);
	}
	pg_buf_adds(out, "\ntop repositories:\n");
	if ((r = rank(d->repos, &n))) {
		for (i = 0; i < n && i < TOP_N; i++) {
			pg_buf_adds(out, "  ");
			pg_render_safe(out, r[i].key);
			pg_buf_addf(out, "  pushes %lld, rejected %lld\n", (long long)r[i].a, (long long)r[i].b);
		}
		free(r);
	}
	pg_buf_adds(out, "\ntop pushers:\n");
	if ((r = rank(d->pushers, &n))) {
		for (i = 0; i < n && i < TOP_N; i++) {
			pg_buf_adds(out, "  ");
			pg_render_safe(out, r[i].key);
			pg_buf_addf(out, "  pushes %lld, rejected %lld\n", (long long)r[i].a, (long long)r[i].b);
		}
		free(r);
	}
	pg_buf_addf(out, "\nbypasses: %zu\n", json_array_size(d->bypasses));
	for (i = 0; i < json_array_size(d->bypasses) && i < MAX_BYPASSES_SHOWN; i++) {
		json_t *b = json_array_get(d->bypasses, i);

		pg_buf_addf(out, "  %s  ", jstr(b, "time", ""));
		pg_render_safe(out, jstr(b, "pusher", ""));
		pg_buf_adds(out, "  ");
		pg_render_safe(out, jstr(b, "repository", ""));
		pg_buf_adds(out, "  \"");
		pg_render_safe(out, jstr(b, "reason", ""));
		pg_buf_addf(out, "\"  (%lld finding%s overridden)\n", (long long)json_integer_value(json_object_get(b, "overridden")),
			    json_integer_value(json_object_get(b, "overridden")) == 1 ? "" : "s");
	}
	if (d->ndur)
		pg_buf_addf(out, "\nhook latency (ms): p50 %lld  p90 %lld  p95 %lld  p99 %lld  max %lld\n",
			    (long long)pg_dashboard_percentile(d, 50), (long long)pg_dashboard_percentile(d, 90),
			    (long long)pg_dashboard_percentile(d, 95), (long long)pg_dashboard_percentile(d, 99),
			    (long long)pg_dashboard_percentile(d, 100));
}

/* ------------------------------------------------------------------- HTML */

static void esc(struct pg_buf *out, const char *s)
{
	struct pg_buf safe = PG_BUF_INIT;

	pg_render_safe(&safe, s ? s : "");
	for (const char *p = safe.ptr; *p; p++) {
		switch (*p) {
		case '&': pg_buf_adds(out, "&amp;"); break;
		case '<': pg_buf_adds(out, "&lt;"); break;
		case '>': pg_buf_adds(out, "&gt;"); break;
		case '"': pg_buf_adds(out, "&quot;"); break;
		case '\'': pg_buf_adds(out, "&#39;"); break;
		default: pg_buf_addch(out, *p);
		}
	}
	pg_buf_release(&safe);
}

/* Horizontal bars: one row per item, label left, value right. */
static void hbars(struct pg_buf *out, const char *title, const struct ranked *r, size_t n, bool second,
		  const char *color, const char *color2)
{
	const int row = 24, label_w = 300, bar_w = 440, width = label_w + bar_w + 160;
	json_int_t max = 1;

	for (size_t i = 0; i < n; i++)
		if (r[i].a > max)
			max = r[i].a;
	pg_buf_addf(out, "<svg class=\"chart\" role=\"img\" width=\"%d\" height=\"%zu\" viewBox=\"0 0 %d %zu\" "
		    "xmlns=\"http://www.w3.org/2000/svg\"><title>", width, n * row + 8, width, n * row + 8);
	esc(out, title);
	pg_buf_adds(out, "</title>");
	for (size_t i = 0; i < n; i++) {
		int y = (int)i * row + 4;
		double w = (double)bar_w * (double)r[i].a / (double)max;
		double w2 = second ? (double)bar_w * (double)r[i].b / (double)max : 0;
		struct pg_buf label = PG_BUF_INIT;

		pg_buf_adds(&label, r[i].key);
		if (label.len > 44) { /* keep whole UTF-8 characters */
			size_t cut = 41;

			while (cut && ((unsigned char)label.ptr[cut] & 0xc0) == 0x80)
				cut--;
			label.len = cut;
			label.ptr[cut] = '\0';
			pg_buf_adds(&label, "...");
		}
		pg_buf_addf(out, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\" class=\"lbl\">", label_w - 8, y + 15);
		esc(out, label.ptr);
		pg_buf_addf(out, "</text><rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\"><title>", label_w,
			    y + 2, w < 1 ? 1 : w, row - 6, color);
		esc(out, r[i].key);
		pg_buf_addf(out, ": %lld</title></rect>", (long long)r[i].a);
		if (second && r[i].b)
			pg_buf_addf(out, "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\"><title>%lld rejected</title></rect>",
				    label_w, y + 2, w2 < 1 ? 1 : w2, row - 6, color2, (long long)r[i].b);
		pg_buf_addf(out, "<text x=\"%.1f\" y=\"%d\" class=\"val\">%lld", label_w + (w < 1 ? 1 : w) + 6, y + 15,
			    (long long)r[i].a);
		if (second)
			pg_buf_addf(out, " (%lld rejected)", (long long)r[i].b);
		pg_buf_adds(out, "</text>");
		pg_buf_release(&label);
	}
	pg_buf_adds(out, "</svg>\n");
}

static void daily_chart(struct pg_buf *out, const struct pg_dashboard *d)
{
	const int W = 900, H = 240, left = 50, bottom = 40, top = 10;
	size_t n;
	const char **days = sorted_days(d, &n);
	json_int_t max = 1;
	double bw;

	if (!days)
		return;
	for (size_t i = 0; i < n; i++) {
		json_int_t t = 0;

		for (int k = 0; k < NKINDS; k++)
			t += day_count(d, days[i], k);
		if (t > max)
			max = t;
	}
	bw = n ? (double)(W - left - 10) / (double)n : 0;
	if (bw > 60)
		bw = 60;
	pg_buf_addf(out, "<svg class=\"chart\" id=\"per-day\" role=\"img\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
		    "xmlns=\"http://www.w3.org/2000/svg\"><title>Pushes per day</title>", W, H, W, H);
	pg_buf_addf(out, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#999\"/>", left, H - bottom, W - 10, H - bottom);
	pg_buf_addf(out, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#999\"/>", left, top, left, H - bottom);
	pg_buf_addf(out, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\" class=\"val\">%lld</text>", left - 6, top + 10, (long long)max);
	pg_buf_addf(out, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\" class=\"val\">0</text>", left - 6, H - bottom);
	for (size_t i = 0; i < n; i++) {
		double x = left + bw * (double)i + (bw > 4 ? 1 : 0), y = H - bottom;
		int order[NKINDS] = { K_ACCEPTED, K_UNCHECKED, K_WARNED, K_BYPASSED, K_REJECTED };

		for (int j = 0; j < NKINDS; j++) {
			json_int_t c = day_count(d, days[i], order[j]);
			double h = (double)(H - bottom - top) * (double)c / (double)max;

			if (!c)
				continue;
			y -= h;
			pg_buf_addf(out, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"><title>%s: %lld %s</title></rect>",
				    x, y, bw > 4 ? bw - 2 : bw, h, kind_colors[order[j]], days[i], (long long)c, kind_words[order[j]]);
		}
		if (i == 0 || i == n - 1 || (n > 2 && i == n / 2))
			pg_buf_addf(out, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\" class=\"val\">%s</text>",
				    x + bw / 2, H - bottom + 16, days[i]);
	}
	for (int k = 0; k < NKINDS; k++)
		pg_buf_addf(out, "<rect x=\"%d\" y=\"%d\" width=\"12\" height=\"12\" fill=\"%s\"/><text x=\"%d\" y=\"%d\" class=\"val\">%s</text>",
			    left + k * 110, H - 14, kind_colors[k], left + k * 110 + 16, H - 3, kind_words[k]);
	pg_buf_adds(out, "</svg>\n");
	free(days);
}

static int by_time_desc(const void *x, const void *y)
{
	int c = strcmp(jstr(*(json_t *const *)y, "time", ""), jstr(*(json_t *const *)x, "time", ""));

	return c;
}

/* The rows of arr, newest first. Caller frees the array (not the rows). */
static json_t **newest_first(json_t *arr, size_t *n)
{
	json_t **v = calloc(json_array_size(arr) + 1, sizeof(*v));

	*n = 0;
	if (!v)
		return NULL;
	for (size_t i = 0; i < json_array_size(arr); i++)
		v[(*n)++] = json_array_get(arr, i);
	qsort(v, *n, sizeof(*v), by_time_desc);
	return v;
}

static void td(struct pg_buf *out, const char *cls, const char *text)
{
	if (cls)
		pg_buf_addf(out, "<td class=\"%s\">", cls);
	else
		pg_buf_adds(out, "<td>");
	esc(out, text);
	pg_buf_adds(out, "</td>");
}

static void refusals_table(struct pg_buf *out, const struct pg_dashboard *d)
{
	size_t n;
	json_t **rows = newest_first(d->refusals, &n);

	pg_buf_addf(out, "<h2>Latest refusals</h2>\n<p>");
	if (d->refusal_rows > n)
		pg_buf_addf(out, "The newest %zu of %zu refused findings", n, d->refusal_rows);
	else
		pg_buf_addf(out, "%zu refused finding%s", n, n == 1 ? "" : "s");
	pg_buf_adds(out, ", newest first: what the pusher was shown (masked excerpt, never the secret).</p>\n");
	if (!rows || !n) {
		pg_buf_adds(out, "<p id=\"refusals\">No push was refused.</p>\n");
		free(rows);
		return;
	}
	pg_buf_adds(out, "<div class=\"wide\"><table id=\"refusals\"><tr><th>time (UTC)</th><th>repository</th><th>pusher</th>"
		    "<th>ref</th><th>check / rule</th><th>where</th><th>excerpt</th><th>fingerprint</th></tr>\n");
	for (size_t i = 0; i < n; i++) {
		json_t *r = rows[i];
		/* every finding has a confidence; only a secret's says something */
		const char *conf = strncmp(jstr(r, "rule", ""), "secrets / ", 10) ? "" : jstr(r, "confidence", "");
		char time[20];

		snprintf(time, sizeof(time), "%.10s %.8s", jstr(r, "time", ""),
			 strlen(jstr(r, "time", "")) > 11 ? jstr(r, "time", "") + 11 : "");
		pg_buf_adds(out, "<tr>");
		td(out, "nowrap", time);
		td(out, NULL, jstr(r, "repository", ""));
		td(out, NULL, jstr(r, "pusher", ""));
		td(out, NULL, jstr(r, "ref", ""));
		pg_buf_adds(out, "<td class=\"nowrap\">");
		esc(out, jstr(r, "rule", ""));
		if (*conf) {
			pg_buf_adds(out, " <span class=\"conf conf-");
			esc(out, strcmp(conf, "high") && strcmp(conf, "medium") && strcmp(conf, "low") ? "other" : conf);
			pg_buf_adds(out, "\">");
			esc(out, conf);
			pg_buf_adds(out, "</span>");
		}
		pg_buf_adds(out, "</td><td class=\"mono\">");
		esc(out, jstr(r, "path", ""));
		esc(out, jstr(r, "line", ""));
		pg_buf_adds(out, "</td>");
		td(out, "mono", *jstr(r, "excerpt", "") ? jstr(r, "excerpt", "") : "\u2014");
		td(out, "mono fp", jstr(r, "fingerprint", ""));
		pg_buf_adds(out, "</tr>\n");
	}
	pg_buf_adds(out, "</table></div>\n");
	free(rows);
}

/* Per ISO week: pushes with the refused part on top, and a table with the refusal rate. */
static void weekly(struct pg_buf *out, const struct pg_dashboard *d)
{
	const int W = 900, H = 200, left = 50, bottom = 36, top = 10;
	const char **weeks = calloc(json_object_size(d->weeks) + 1, sizeof(*weeks));
	const char *key;
	json_t *v;
	size_t n = 0, first;
	json_int_t max = 1;
	double bw;

	pg_buf_adds(out, "<h2>Weekly trends</h2>\n");
	if (!weeks)
		return;
	json_object_foreach(d->weeks, key, v)
		weeks[n++] = key;
	qsort(weeks, n, sizeof(*weeks), by_key);
	first = n > MAX_WEEKS_SHOWN ? n - MAX_WEEKS_SHOWN : 0;
	if (!n) {
		pg_buf_adds(out, "<p id=\"weekly\">No pushes.</p>\n");
		free(weeks);
		return;
	}
	for (size_t i = first; i < n; i++) {
		json_int_t t = json_integer_value(json_array_get(json_object_get(d->weeks, weeks[i]), 0));

		if (t > max)
			max = t;
	}
	bw = (double)(W - left - 10) / (double)(n - first);
	if (bw > 70)
		bw = 70;
	pg_buf_addf(out, "<svg class=\"chart\" id=\"weekly-chart\" role=\"img\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
		    "xmlns=\"http://www.w3.org/2000/svg\"><title>Pushes and refusals per week</title>", W, H, W, H);
	pg_buf_addf(out, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#999\"/>", left, H - bottom, W - 10, H - bottom);
	pg_buf_addf(out, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\" class=\"val\">%lld</text>", left - 6, top + 10, (long long)max);
	for (size_t i = first; i < n; i++) {
		json_t *w = json_object_get(d->weeks, weeks[i]);
		json_int_t pushes = json_integer_value(json_array_get(w, 0)), rej = json_integer_value(json_array_get(w, 1));
		double x = left + bw * (double)(i - first) + 2, hp = (double)(H - bottom - top) * (double)pushes / (double)max;
		double hr = (double)(H - bottom - top) * (double)rej / (double)max;

		pg_buf_addf(out, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"#90caf9\"><title>%s: %lld pushes</title></rect>",
			    x, H - bottom - hp, bw - 4, hp, weeks[i], (long long)pushes);
		if (rej)
			pg_buf_addf(out, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"#e53935\"><title>%s: %lld refused</title></rect>",
				    x, H - bottom - hr, bw - 4, hr, weeks[i], (long long)rej);
		if (n - first <= 12 || (i - first) % ((n - first + 5) / 6) == 0 || i == n - 1)
			pg_buf_addf(out, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\" class=\"val\">%s</text>", x + bw / 2 - 2,
				    H - bottom + 16, weeks[i]);
	}
	pg_buf_addf(out, "<rect x=\"%d\" y=\"%d\" width=\"12\" height=\"12\" fill=\"#90caf9\"/><text x=\"%d\" y=\"%d\" class=\"val\">pushes</text>"
		    "<rect x=\"%d\" y=\"%d\" width=\"12\" height=\"12\" fill=\"#e53935\"/><text x=\"%d\" y=\"%d\" class=\"val\">refused</text></svg>\n",
		    left, H - 14, left + 16, H - 3, left + 110, H - 14, left + 126, H - 3);
	pg_buf_adds(out, "<table id=\"weekly\"><tr><th>week</th><th>pushes</th><th>refused</th><th>refusal rate</th>"
		    "<th>warned</th><th>bypassed</th><th>unchecked</th></tr>\n");
	for (size_t i = n; i-- > first;) {
		json_t *w = json_object_get(d->weeks, weeks[i]);
		json_int_t c[5];

		for (int k = 0; k < 5; k++)
			c[k] = json_integer_value(json_array_get(w, (size_t)k));
		pg_buf_addf(out, "<tr><td>%s</td><td>%lld</td><td>%lld</td><td>%.1f%%</td><td>%lld</td><td>%lld</td><td>%lld</td></tr>\n",
			    weeks[i], (long long)c[0], (long long)c[1], c[0] ? 100.0 * (double)c[1] / (double)c[0] : 0.0,
			    (long long)c[2], (long long)c[3], (long long)c[4]);
	}
	pg_buf_adds(out, "</table>\n");
	free(weeks);
}

static void unchecked_table(struct pg_buf *out, const struct pg_dashboard *d)
{
	size_t n;
	json_t **rows = newest_first(d->unchecked, &n);

	pg_buf_addf(out, "<h2>Unchecked pushes (%zu)</h2>\n", d->counts[K_UNCHECKED]);
	if (!rows || !n) {
		pg_buf_adds(out, "<p id=\"unchecked\">None: every push was checked in full.</p>\n");
		free(rows);
		return;
	}
	pg_buf_addf(out, "<p>Accepted without a full check (the time budget ran out under pushguard.onTimeout = "
		    "accept-and-report, or an error under onError = accept)%s, newest first, with what the background "
		    "check found.</p>\n", d->counts[K_UNCHECKED] > n ? "; the newest shown" : "");
	pg_buf_adds(out, "<table id=\"unchecked\"><tr><th>time (UTC)</th><th>repository</th><th>pusher</th><th>ref</th>"
		    "<th>why</th><th>background check</th></tr>\n");
	for (size_t i = 0; i < n; i++) {
		const char *id = jstr(rows[i], "id", "");
		pg_buf_adds(out, "<tr>");
		td(out, "nowrap", jstr(rows[i], "time", ""));
		td(out, NULL, jstr(rows[i], "repository", ""));
		td(out, NULL, jstr(rows[i], "pusher", ""));
		td(out, NULL, jstr(rows[i], "ref", ""));
		td(out, NULL, jstr(rows[i], "why", ""));
		{
			json_t *res = *id ? json_object_get(d->scan_result, id) : NULL;
			const char *word = json_is_string(res) ? json_string_value(res) : "no result yet";

			td(out, !strcmp(word, "findings") ? "bad" : NULL, word);
		}
		pg_buf_adds(out, "</tr>\n");
	}
	pg_buf_adds(out, "</table>\n");
	free(rows);
}

void pg_dashboard_html(struct pg_buf *out, const struct pg_dashboard *d)
{
	struct ranked *r;
	size_t n;

	pg_buf_adds(out, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
		    "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n"
		    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
		    "<title>pushguard report</title>\n<style>\n"
		    "body{font-family:system-ui,sans-serif;margin:2em;color:#222;max-width:1400px}\n"
		    "h1{font-size:1.5em}h2{font-size:1.15em;margin-top:2em;border-bottom:1px solid #ddd}\n"
		    ".chart{display:block;max-width:100%;height:auto}.lbl,.val{font-size:12px;fill:#333}\n"
		    "table{border-collapse:collapse}td,th{padding:.25em .75em;border-bottom:1px solid #eee;text-align:left}\n"
		    ".kpi{display:inline-block;margin-right:2em}.kpi b{font-size:1.6em;display:block}\n"
		    ".wide{overflow-x:auto}.mono{font-family:ui-monospace,monospace;font-size:.9em}.nowrap{white-space:nowrap}\n"
		    ".fp{word-break:break-all;min-width:14em;max-width:20em;color:#555;font-size:.75em}.bad{color:#b71c1c;font-weight:bold}\n"
		    "#refusals td{vertical-align:top}\n"
		    ".conf{font-size:.75em;padding:0 .4em;border-radius:.6em;color:#fff;background:#757575}\n"
		    ".conf-high{background:#b71c1c}.conf-medium{background:#ef6c00}.conf-low{background:#9e9d24}\n"
		    "</style></head><body>\n<h1>pushguard report</h1>\n<p>");
	pg_buf_addf(out, "%zu push decisions", d->events);
	if (nscans(d))
		pg_buf_addf(out, " and %zu background check%s", nscans(d), nscans(d) == 1 ? "" : "s");
	if (d->events) {
		pg_buf_adds(out, " from ");
		esc(out, d->first);
		pg_buf_adds(out, " to ");
		esc(out, d->last);
	}
	if (d->since[0]) {
		pg_buf_adds(out, " (since ");
		esc(out, d->since);
		pg_buf_adds(out, ")");
	}
	if (d->skipped)
		pg_buf_addf(out, "; %zu lines skipped (not pushguard events)", d->skipped);
	pg_buf_adds(out, ". Generated by pushguard " PG_VERSION ".</p>\n<div>");
	for (int k = 0; k < NKINDS; k++)
		pg_buf_addf(out, "<span class=\"kpi\" id=\"kpi-%s\"><b style=\"color:%s\">%zu</b>%s</span>", kind_words[k],
			    kind_colors[k], d->counts[k], kind_words[k]);
	if (d->landed_events) {
		size_t nl = 0;
		json_t **v = not_landed(d, &nl);

		free(v);
		pg_buf_addf(out, "<span class=\"kpi\" id=\"kpi-landed\"><b style=\"color:#1565c0\">%zu</b>ref updates "
			    "landed</span><span class=\"kpi\" id=\"kpi-not-landed\"><b style=\"color:#6d4c41\">%zu</b>"
			    "accepted, never landed</span>", d->landed_updates, nl);
	}
	if (json_array_size(d->scan_findings))
		pg_buf_addf(out, "<span class=\"kpi\" id=\"kpi-scan-findings\"><b style=\"color:#b71c1c\">%zu</b>"
			    "unchecked with findings</span>", json_array_size(d->scan_findings));
	pg_buf_adds(out, "</div>\n");
	if (d->counts[K_UNCHECKED] || nscans(d))
		pg_buf_addf(out, "<p id=\"scans\">Background checks of unchecked pushes: %zu clean, <b>%zu with findings</b>, "
			    "%zu did not land, %zu failed, %zu without a result yet.</p>\n", d->scans[S_CLEAN],
			    d->scans[S_FINDINGS], d->scans[S_NOT_LANDED], d->scans[S_ERROR], awaiting_scan(d));
	if (json_array_size(d->scan_findings)) {
		pg_buf_addf(out, "<h2 style=\"color:#b71c1c\">Unchecked pushes with findings (%zu)</h2>\n"
			    "<p>Accepted past the time budget (pushguard.onTimeout = accept-and-report); the background check "
			    "found these problems afterwards.</p>\n<table id=\"scan-findings\" style=\"border-left:4px solid "
			    "#b71c1c\"><tr><th>time</th><th>pusher</th><th>repository</th><th>ref</th><th>check / rule</th>"
			    "<th>findings</th></tr>\n", json_array_size(d->scan_findings));
		for (size_t i = 0; i < json_array_size(d->scan_findings) && i < MAX_SCAN_FINDINGS_SHOWN; i++) {
			json_t *f = json_array_get(d->scan_findings, i);
			static const char *const cols[] = { "time", "pusher", "repository", "ref", "rules" };

			pg_buf_adds(out, "<tr>");
			for (size_t c = 0; c < sizeof(cols) / sizeof(*cols); c++) {
				pg_buf_adds(out, "<td>");
				esc(out, jstr(f, cols[c], ""));
				pg_buf_adds(out, "</td>");
			}
			pg_buf_addf(out, "<td>%lld</td></tr>\n", (long long)json_integer_value(json_object_get(f, "count")));
		}
		pg_buf_adds(out, "</table>\n");
	}
	weekly(out, d);

	pg_buf_adds(out, "<h2>Top rules by refusals</h2>\n<p>Refused pushes each check and rule was in.</p>\n");
	if ((r = rank(d->refused_rules, &n))) {
		if (n)
			hbars(out, "Top rules by refused pushes", r, n < TOP_N ? n : TOP_N, false, "#e53935", NULL);
		else
			pg_buf_adds(out, "<p>No refusals.</p>\n");
		free(r);
	}
	pg_buf_adds(out, "<h2>Top repositories by refusals</h2>\n");
	if ((r = rank(d->refused_repos, &n))) {
		size_t k = 0;

		while (k < n && r[k].a) /* repositories never refused are left out */
			k++;
		if (k)
			hbars(out, "Top repositories by refused pushes", r, k < TOP_N ? k : TOP_N, false, "#e53935", NULL);
		else
			pg_buf_adds(out, "<p>No refusals.</p>\n");
		free(r);
	}
	refusals_table(out, d);
	if (d->landed_events) {
		size_t nl = 0;
		json_t **v = not_landed(d, &nl);

		pg_buf_addf(out, "<p id=\"landed\">Ref updates: %zu accepted, %zu landed (post-receive), %zu accepted but "
			    "never landed.</p>\n", json_object_size(d->accepted_refs), d->landed_updates, nl);
		if (v && nl) {
			static const char *const cols[] = { "time", "pusher", "repository", "ref", "new" };

			qsort(v, nl, sizeof(*v), by_time);
			pg_buf_addf(out, "<h2>Accepted but never landed (%zu)</h2>\n<p>A racing push moved the ref first, or "
				    "receive-pack was killed: these updates never entered the repository.</p>\n"
				    "<table id=\"not-landed\"><tr><th>time</th><th>pusher</th><th>repository</th><th>ref</th>"
				    "<th>new</th></tr>\n", nl);
			for (size_t k = 0; k < nl && k < MAX_NOT_LANDED_SHOWN; k++) {
				pg_buf_adds(out, "<tr>");
				for (size_t c = 0; c < sizeof(cols) / sizeof(*cols); c++) {
					pg_buf_adds(out, "<td>");
					esc(out, jstr(v[k], cols[c], ""));
					pg_buf_adds(out, "</td>");
				}
				pg_buf_adds(out, "</tr>\n");
			}
			pg_buf_adds(out, "</table>\n");
		}
		free(v);
	}
	pg_buf_adds(out, "<h2>Pushes and refusals per day</h2>\n");
	daily_chart(out, d);

	pg_buf_adds(out, "<h2>Findings by check and rule</h2>\n");
	if ((r = rank(d->rules, &n))) {
		if (n)
			hbars(out, "Findings by check and rule", r, n < TOP_RULES ? n : TOP_RULES, false, "#e53935", NULL);
		else
			pg_buf_adds(out, "<p>No findings.</p>\n");
		free(r);
	}
	pg_buf_adds(out, "<h2>Top repositories</h2>\n");
	if ((r = rank(d->repos, &n))) {
		if (n)
			hbars(out, "Top repositories", r, n < TOP_N ? n : TOP_N, true, "#90caf9", "#e53935");
		free(r);
	}
	pg_buf_adds(out, "<h2>Top pushers</h2>\n");
	if ((r = rank(d->pushers, &n))) {
		if (n)
			hbars(out, "Top pushers", r, n < TOP_N ? n : TOP_N, true, "#90caf9", "#e53935");
		free(r);
	}
	pg_buf_addf(out, "<h2>Bypasses (%zu)</h2>\n", json_array_size(d->bypasses));
	if (json_array_size(d->bypasses)) {
		pg_buf_adds(out, "<table id=\"bypasses\"><tr><th>time</th><th>pusher</th><th>repository</th><th>reason</th>"
			    "<th>findings overridden</th></tr>\n");
		for (size_t i = 0; i < json_array_size(d->bypasses) && i < MAX_BYPASSES_SHOWN; i++) {
			json_t *b = json_array_get(d->bypasses, i);

			pg_buf_adds(out, "<tr><td>");
			esc(out, jstr(b, "time", ""));
			pg_buf_adds(out, "</td><td>");
			esc(out, jstr(b, "pusher", ""));
			pg_buf_adds(out, "</td><td>");
			esc(out, jstr(b, "repository", ""));
			pg_buf_adds(out, "</td><td>");
			esc(out, jstr(b, "reason", ""));
			pg_buf_addf(out, "</td><td>%lld</td></tr>\n", (long long)json_integer_value(json_object_get(b, "overridden")));
		}
		pg_buf_adds(out, "</table>\n");
	} else {
		pg_buf_adds(out, "<p>None.</p>\n");
	}
	unchecked_table(out, d);
	pg_buf_adds(out, "<h2>Hook latency</h2>\n");
	if (d->ndur) {
		static const double ps[] = { 50, 90, 95, 99, 100 };
		static const char *const names[] = { "p50", "p90", "p95", "p99", "max" };
		struct ranked lat[5];
		char labels[5][32];

		pg_buf_adds(out, "<table id=\"latency\"><tr>");
		for (int i = 0; i < 5; i++)
			pg_buf_addf(out, "<th>%s</th>", names[i]);
		pg_buf_adds(out, "</tr><tr>");
		for (int i = 0; i < 5; i++) {
			lat[i].a = pg_dashboard_percentile(d, ps[i]);
			lat[i].b = 0;
			snprintf(labels[i], sizeof(labels[i]), "%s (ms)", names[i]);
			lat[i].key = labels[i];
			pg_buf_addf(out, "<td>%lld ms</td>", (long long)lat[i].a);
		}
		pg_buf_adds(out, "</tr></table>\n");
		hbars(out, "Hook latency percentiles (ms)", lat, 5, false, "#5c6bc0", NULL);
	} else {
		pg_buf_adds(out, "<p>No durations recorded.</p>\n");
	}
	pg_buf_adds(out, "</body></html>\n");
}
