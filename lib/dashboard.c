#include "dashboard.h"

#include <jansson.h>
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "alloc.h"
#include "build-config.h"
#include "dashboard_model.h"
#include "render.h"

const char *const pg_dash_kind_words[NKINDS] = { "accepted", "rejected", "warned", "bypassed", "unchecked" };
const char *const pg_dash_kind_colors[NKINDS] = { "#43a047", "#e53935", "#fb8c00", "#8e24aa", "#757575" };
const char *const pg_dash_result_words[NRESULTS] = { "clean", "findings", "not-landed", "error" };

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
		return pg_error_oom(err);
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
		return pg_error_oom(err);
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

const char *pg_dash_str(json_t *o, const char *key, const char *def)
{
	json_t *v = json_object_get(o, key);

	return json_is_string(v) ? json_string_value(v) : def;
}

/* Adds row (a new reference, taken) to arr, which keeps the max newest rows by "time":
 * when full, row replaces the oldest if it is newer, else is dropped. */
static void keep_newest(json_t *arr, json_t *row, size_t max)
{
	size_t oldest = 0;
	const char *t = pg_dash_str(row, "time", "");

	if (!row)
		return;
	if (json_array_size(arr) < max) {
		json_array_append_new(arr, row);
		return;
	}
	for (size_t i = 1; i < json_array_size(arr); i++)
		if (strcmp(pg_dash_str(json_array_get(arr, i), "time", ""), pg_dash_str(json_array_get(arr, oldest), "time", "")) < 0)
			oldest = i;
	if (strcmp(t, pg_dash_str(json_array_get(arr, oldest), "time", "")) > 0)
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
	const char *ref0 = pg_dash_str(json_array_get(json_object_get(ev, "refs"), 0), "ref", "");
	json_t *seen = json_object();
	size_t rows = 0;

	for (size_t i = 0; i < json_array_size(findings); i++) {
		json_t *f = json_array_get(findings, i), *line = json_object_get(f, "line");
		char key[256], where[64] = "";

		if (json_is_true(json_object_get(f, "allowed")))
			continue;
		snprintf(key, sizeof(key), "%s / %s", pg_dash_str(f, "check", "?"), pg_dash_str(f, "rule", "?"));
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
				      "pusher", pusher, "ref", pg_dash_str(f, "ref", ref0), "rule", key, "confidence",
				      pg_dash_str(f, "confidence", ""), "path", pg_dash_str(f, "path", ""), "line", where,
				      "excerpt", pg_dash_str(f, "excerpt", ""), "fingerprint", pg_dash_str(f, "fingerprint", "")),
			    MAX_REFUSALS_SHOWN);
	}
	if (!rows) { /* refused for an error, a timeout, a configuration problem */
		const char *why = pg_dash_str(ev, "error", "refused without a finding");

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
		snprintf(key, sizeof(key), "%s / %s", pg_dash_str(f, "check", "?"), pg_dash_str(f, "rule", "?"));
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
	const char *result = pg_dash_str(ev, "result", "error"), *id = pg_dash_str(ev, "unchecked_id", NULL);
	struct pg_buf rules = PG_BUF_INIT;
	size_t r, blocking;

	for (r = 0; r < NRESULTS && strcmp(result, pg_dash_result_words[r]); r++)
		;
	if (r == NRESULTS)
		r = S_ERROR;
	d->scans[r]++;
	if (id) {
		json_object_set_new(d->scanned_ids, id, json_true());
		json_object_set_new(d->scan_result, id, json_string(pg_dash_result_words[r]));
	}
	blocking = count_findings(d, ev, &rules);
	if (r == S_FINDINGS || blocking) {
		json_t *refs = json_object_get(ev, "refs");

		json_array_append_new(d->scan_findings,
				      json_pack("{s:s,s:s,s:s,s:s,s:s,s:I}", "time", time, "pusher", pg_dash_str(ev, "pusher", "(unknown)"),
						"repository", pg_dash_str(ev, "repository", "(unknown)"), "ref",
						pg_dash_str(json_array_get(refs, 0), "ref", ""), "rules",
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
	const char *repo = pg_dash_str(ev, "repository", "(unknown)");
	size_t n = 0;

	for (size_t i = 0; i < json_array_size(refs); i++) {
		json_t *r = json_array_get(refs, i);
		struct pg_buf key = PG_BUF_INIT;

		if (!pg_dash_str(r, "ref", NULL) || !pg_dash_str(r, "old", NULL) || !pg_dash_str(r, "new", NULL))
			continue;
		if (pg_buf_addf(&key, "%s\n%s\n%s\n%s", repo, pg_dash_str(r, "ref", ""), pg_dash_str(r, "old", ""), pg_dash_str(r, "new", "")) == 0)
			json_object_set_new(set, key.ptr,
					    landed ? json_true()
						   : json_pack("{s:s,s:s,s:s,s:s,s:s}", "time", time, "pusher",
							       pg_dash_str(ev, "pusher", "(unknown)"), "repository", repo, "ref",
							       pg_dash_str(r, "ref", ""), "new", pg_dash_str(r, "new", "")));
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

	if (json_is_object(ev) && (event = pg_dash_str(ev, "event", NULL)) && !strcmp(event, "policy.changed") &&
	    (time = pg_dash_str(ev, "time", NULL)) && strlen(time) >= 10) {
		if (!d->since[0] || strcmp(time, d->since) >= 0) {
			d->policy_changes++;
			ret = 1;
		}
		goto out;
	}
	if (!json_is_object(ev) || !(event = pg_dash_str(ev, "event", NULL)) || !(time = pg_dash_str(ev, "time", NULL)) ||
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
	for (kind = 0; kind < NKINDS && strcmp(event + 5, pg_dash_kind_words[kind]); kind++)
		;
	if (kind == NKINDS) {
		d->skipped++;
		goto out;
	}
	if (d->since[0] && strcmp(time, d->since) < 0)
		goto out;
	if (kind == K_UNCHECKED && pg_dash_str(ev, "id", NULL))
		json_object_set_new(d->unchecked_ids, pg_dash_str(ev, "id", NULL), json_true());
	if (kind != K_REJECTED)
		add_updates(d->accepted_refs, ev, time, false);
	repo = pg_dash_str(ev, "repository", "(unknown)");
	pusher = pg_dash_str(ev, "pusher", "(unknown)");
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
			    json_pack("{s:s,s:s,s:s,s:s,s:s,s:s}", "time", time, "id", pg_dash_str(ev, "id", ""), "repository", repo,
				      "pusher", pusher, "ref", pg_dash_str(json_array_get(json_object_get(ev, "refs"), 0), "ref", ""),
				      "why", pg_dash_str(ev, "error", note)),
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
						"reason", pg_dash_str(ev, "bypass_reason", ""), "overridden", (json_int_t)blocking));
	if (json_is_integer(json_object_get(ev, "duration_ms"))) {
		if (PG_GROW(d->dur, d->ndur + 1, d->adur) < 0)
			goto counted;
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


static int by_count(const void *x, const void *y)
{
	const struct ranked *p = x, *q = y;

	if (p->a != q->a)
		return p->a > q->a ? -1 : 1;
	return strcmp(p->key, q->key);
}

/* Entries of obj sorted by their first count, most first. Caller frees. */
struct ranked *pg_dash_rank(json_t *obj, size_t *n)
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

int pg_dash_by_key(const void *x, const void *y)
{
	return strcmp(*(const char *const *)x, *(const char *const *)y);
}

/* Keys of d->days in date order. Caller frees the array (not the keys). */
const char **pg_dash_sorted_days(const struct pg_dashboard *d, size_t *n)
{
	const char **v = calloc(json_object_size(d->days) + 1, sizeof(*v));
	const char *key;
	json_t *val;

	*n = 0;
	if (!v)
		return NULL;
	json_object_foreach(d->days, key, val)
		v[(*n)++] = key;
	qsort(v, *n, sizeof(*v), pg_dash_by_key);
	return v;
}

json_int_t pg_dash_day_count(const struct pg_dashboard *d, const char *day, int kind)
{
	return json_integer_value(json_array_get(json_object_get(d->days, day), (size_t)kind));
}

/* push.unchecked events with no push.scanned in the logs read (yet) */
size_t pg_dash_awaiting_scan(const struct pg_dashboard *d)
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
json_t **pg_dash_not_landed(const struct pg_dashboard *d, size_t *n)
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

int pg_dash_by_time(const void *x, const void *y)
{
	return strcmp(pg_dash_str(*(json_t *const *)x, "time", ""), pg_dash_str(*(json_t *const *)y, "time", ""));
}

size_t pg_dash_nscans(const struct pg_dashboard *d)
{
	size_t n = 0;

	for (int r = 0; r < NRESULTS; r++)
		n += d->scans[r];
	return n;
}
