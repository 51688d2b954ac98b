/* `pushguard report` as text. */
#include "dashboard.h"

#include <jansson.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "dashboard_model.h"
#include "render.h"

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
	if (d->counts[K_UNCHECKED] || pg_dash_nscans(d))
		pg_buf_addf(out, "  background checks of unchecked pushes: %zu clean, %zu WITH FINDINGS, %zu did not land, "
			    "%zu failed, %zu without a result yet\n", d->scans[S_CLEAN], d->scans[S_FINDINGS],
			    d->scans[S_NOT_LANDED], d->scans[S_ERROR], pg_dash_awaiting_scan(d));
	if (d->landed_events) {
		size_t nl = 0;
		json_t **v = pg_dash_not_landed(d, &nl);

		pg_buf_addf(out, "  ref updates: %zu accepted, %zu landed (post-receive); %zu accepted but never landed\n",
			    json_object_size(d->accepted_refs), d->landed_updates, nl);
		if (v && nl) {
			qsort(v, nl, sizeof(*v), pg_dash_by_time);
			pg_buf_addf(out, "\nACCEPTED BUT NEVER LANDED (a racing push moved the ref first, or receive-pack "
				    "was killed): %zu\n", nl);
			for (size_t k = 0; k < nl && k < MAX_NOT_LANDED_SHOWN; k++) {
				pg_buf_addf(out, "  %s  ", pg_dash_str(v[k], "time", ""));
				pg_render_safe(out, pg_dash_str(v[k], "pusher", ""));
				pg_buf_adds(out, "  ");
				pg_render_safe(out, pg_dash_str(v[k], "repository", ""));
				pg_buf_adds(out, "  ");
				pg_render_safe(out, pg_dash_str(v[k], "ref", ""));
				pg_buf_adds(out, "  ");
				pg_render_safe(out, pg_dash_str(v[k], "new", ""));
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

			pg_buf_addf(out, "  %s  ", pg_dash_str(f, "time", ""));
			pg_render_safe(out, pg_dash_str(f, "pusher", ""));
			pg_buf_adds(out, "  ");
			pg_render_safe(out, pg_dash_str(f, "repository", ""));
			pg_buf_adds(out, "  ");
			pg_render_safe(out, pg_dash_str(f, "ref", ""));
			pg_buf_adds(out, "  ");
			pg_render_safe(out, pg_dash_str(f, "rules", ""));
			pg_buf_addf(out, "  (%lld finding%s)\n", (long long)c, c == 1 ? "" : "s");
		}
	}
	if (!d->events)
		return;
	pg_buf_adds(out, "\nper day:\n");
	if ((days = pg_dash_sorted_days(d, &n))) {
		for (i = 0; i < n; i++) {
			json_int_t total = 0;

			for (int k = 0; k < NKINDS; k++)
				total += pg_dash_day_count(d, days[i], k);
			pg_buf_addf(out, "  %s  pushes %-6lld rejected %-5lld warned %-5lld bypassed %lld\n", days[i],
				    (long long)total, (long long)pg_dash_day_count(d, days[i], K_REJECTED),
				    (long long)pg_dash_day_count(d, days[i], K_WARNED), (long long)pg_dash_day_count(d, days[i], K_BYPASSED));
		}
		free(days);
	}
	pg_buf_adds(out, "\nfindings by check and rule:\n");
	if ((r = pg_dash_rank(d->rules, &n))) {
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
	if ((r = pg_dash_rank(d->repos, &n))) {
		for (i = 0; i < n && i < TOP_N; i++) {
			pg_buf_adds(out, "  ");
			pg_render_safe(out, r[i].key);
			pg_buf_addf(out, "  pushes %lld, rejected %lld\n", (long long)r[i].a, (long long)r[i].b);
		}
		free(r);
	}
	pg_buf_adds(out, "\ntop pushers:\n");
	if ((r = pg_dash_rank(d->pushers, &n))) {
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

		pg_buf_addf(out, "  %s  ", pg_dash_str(b, "time", ""));
		pg_render_safe(out, pg_dash_str(b, "pusher", ""));
		pg_buf_adds(out, "  ");
		pg_render_safe(out, pg_dash_str(b, "repository", ""));
		pg_buf_adds(out, "  \"");
		pg_render_safe(out, pg_dash_str(b, "reason", ""));
		pg_buf_addf(out, "\"  (%lld finding%s overridden)\n", (long long)json_integer_value(json_object_get(b, "overridden")),
			    json_integer_value(json_object_get(b, "overridden")) == 1 ? "" : "s");
	}
	if (d->ndur)
		pg_buf_addf(out, "\nhook latency (ms): p50 %lld  p90 %lld  p95 %lld  p99 %lld  max %lld\n",
			    (long long)pg_dashboard_percentile(d, 50), (long long)pg_dashboard_percentile(d, 90),
			    (long long)pg_dashboard_percentile(d, 95), (long long)pg_dashboard_percentile(d, 99),
			    (long long)pg_dashboard_percentile(d, 100));
}

