/* `pushguard report --html`: one self-contained page (inline CSS and SVG,
 * no script). */
#include "dashboard.h"

#include <jansson.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "build-config.h"
#include "dashboard_model.h"
#include "render.h"

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
	const char **days = pg_dash_sorted_days(d, &n);
	json_int_t max = 1;
	double bw;

	if (!days)
		return;
	for (size_t i = 0; i < n; i++) {
		json_int_t t = 0;

		for (int k = 0; k < NKINDS; k++)
			t += pg_dash_day_count(d, days[i], k);
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
			json_int_t c = pg_dash_day_count(d, days[i], order[j]);
			double h = (double)(H - bottom - top) * (double)c / (double)max;

			if (!c)
				continue;
			y -= h;
			pg_buf_addf(out, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"><title>%s: %lld %s</title></rect>",
				    x, y, bw > 4 ? bw - 2 : bw, h, pg_dash_kind_colors[order[j]], days[i], (long long)c, pg_dash_kind_words[order[j]]);
		}
		if (i == 0 || i == n - 1 || (n > 2 && i == n / 2))
			pg_buf_addf(out, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\" class=\"val\">%s</text>",
				    x + bw / 2, H - bottom + 16, days[i]);
	}
	for (int k = 0; k < NKINDS; k++)
		pg_buf_addf(out, "<rect x=\"%d\" y=\"%d\" width=\"12\" height=\"12\" fill=\"%s\"/><text x=\"%d\" y=\"%d\" class=\"val\">%s</text>",
			    left + k * 110, H - 14, pg_dash_kind_colors[k], left + k * 110 + 16, H - 3, pg_dash_kind_words[k]);
	pg_buf_adds(out, "</svg>\n");
	free(days);
}

static int by_time_desc(const void *x, const void *y)
{
	int c = strcmp(pg_dash_str(*(json_t *const *)y, "time", ""), pg_dash_str(*(json_t *const *)x, "time", ""));

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
		const char *conf = strncmp(pg_dash_str(r, "rule", ""), "secrets / ", 10) ? "" : pg_dash_str(r, "confidence", "");
		char time[20];

		snprintf(time, sizeof(time), "%.10s %.8s", pg_dash_str(r, "time", ""),
			 strlen(pg_dash_str(r, "time", "")) > 11 ? pg_dash_str(r, "time", "") + 11 : "");
		pg_buf_adds(out, "<tr>");
		td(out, "nowrap", time);
		td(out, NULL, pg_dash_str(r, "repository", ""));
		td(out, NULL, pg_dash_str(r, "pusher", ""));
		td(out, NULL, pg_dash_str(r, "ref", ""));
		pg_buf_adds(out, "<td class=\"nowrap\">");
		esc(out, pg_dash_str(r, "rule", ""));
		if (*conf) {
			pg_buf_adds(out, " <span class=\"conf conf-");
			esc(out, strcmp(conf, "high") && strcmp(conf, "medium") && strcmp(conf, "low") ? "other" : conf);
			pg_buf_adds(out, "\">");
			esc(out, conf);
			pg_buf_adds(out, "</span>");
		}
		pg_buf_adds(out, "</td><td class=\"mono\">");
		esc(out, pg_dash_str(r, "path", ""));
		esc(out, pg_dash_str(r, "line", ""));
		pg_buf_adds(out, "</td>");
		td(out, "mono", *pg_dash_str(r, "excerpt", "") ? pg_dash_str(r, "excerpt", "") : "\u2014");
		td(out, "mono fp", pg_dash_str(r, "fingerprint", ""));
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
	qsort(weeks, n, sizeof(*weeks), pg_dash_by_key);
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
		const char *id = pg_dash_str(rows[i], "id", "");
		pg_buf_adds(out, "<tr>");
		td(out, "nowrap", pg_dash_str(rows[i], "time", ""));
		td(out, NULL, pg_dash_str(rows[i], "repository", ""));
		td(out, NULL, pg_dash_str(rows[i], "pusher", ""));
		td(out, NULL, pg_dash_str(rows[i], "ref", ""));
		td(out, NULL, pg_dash_str(rows[i], "why", ""));
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
	if (pg_dash_nscans(d))
		pg_buf_addf(out, " and %zu background check%s", pg_dash_nscans(d), pg_dash_nscans(d) == 1 ? "" : "s");
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
		pg_buf_addf(out, "<span class=\"kpi\" id=\"kpi-%s\"><b style=\"color:%s\">%zu</b>%s</span>", pg_dash_kind_words[k],
			    pg_dash_kind_colors[k], d->counts[k], pg_dash_kind_words[k]);
	if (d->landed_events) {
		size_t nl = 0;
		json_t **v = pg_dash_not_landed(d, &nl);

		free(v);
		pg_buf_addf(out, "<span class=\"kpi\" id=\"kpi-landed\"><b style=\"color:#1565c0\">%zu</b>ref updates "
			    "landed</span><span class=\"kpi\" id=\"kpi-not-landed\"><b style=\"color:#6d4c41\">%zu</b>"
			    "accepted, never landed</span>", d->landed_updates, nl);
	}
	if (json_array_size(d->scan_findings))
		pg_buf_addf(out, "<span class=\"kpi\" id=\"kpi-scan-findings\"><b style=\"color:#b71c1c\">%zu</b>"
			    "unchecked with findings</span>", json_array_size(d->scan_findings));
	pg_buf_adds(out, "</div>\n");
	if (d->counts[K_UNCHECKED] || pg_dash_nscans(d))
		pg_buf_addf(out, "<p id=\"scans\">Background checks of unchecked pushes: %zu clean, <b>%zu with findings</b>, "
			    "%zu did not land, %zu failed, %zu without a result yet.</p>\n", d->scans[S_CLEAN],
			    d->scans[S_FINDINGS], d->scans[S_NOT_LANDED], d->scans[S_ERROR], pg_dash_awaiting_scan(d));
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
				esc(out, pg_dash_str(f, cols[c], ""));
				pg_buf_adds(out, "</td>");
			}
			pg_buf_addf(out, "<td>%lld</td></tr>\n", (long long)json_integer_value(json_object_get(f, "count")));
		}
		pg_buf_adds(out, "</table>\n");
	}
	weekly(out, d);

	pg_buf_adds(out, "<h2>Top rules by refusals</h2>\n<p>Refused pushes each check and rule was in.</p>\n");
	if ((r = pg_dash_rank(d->refused_rules, &n))) {
		if (n)
			hbars(out, "Top rules by refused pushes", r, n < TOP_N ? n : TOP_N, false, "#e53935", NULL);
		else
			pg_buf_adds(out, "<p>No refusals.</p>\n");
		free(r);
	}
	pg_buf_adds(out, "<h2>Top repositories by refusals</h2>\n");
	if ((r = pg_dash_rank(d->refused_repos, &n))) {
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
		json_t **v = pg_dash_not_landed(d, &nl);

		pg_buf_addf(out, "<p id=\"landed\">Ref updates: %zu accepted, %zu landed (post-receive), %zu accepted but "
			    "never landed.</p>\n", json_object_size(d->accepted_refs), d->landed_updates, nl);
		if (v && nl) {
			static const char *const cols[] = { "time", "pusher", "repository", "ref", "new" };

			qsort(v, nl, sizeof(*v), pg_dash_by_time);
			pg_buf_addf(out, "<h2>Accepted but never landed (%zu)</h2>\n<p>A racing push moved the ref first, or "
				    "receive-pack was killed: these updates never entered the repository.</p>\n"
				    "<table id=\"not-landed\"><tr><th>time</th><th>pusher</th><th>repository</th><th>ref</th>"
				    "<th>new</th></tr>\n", nl);
			for (size_t k = 0; k < nl && k < MAX_NOT_LANDED_SHOWN; k++) {
				pg_buf_adds(out, "<tr>");
				for (size_t c = 0; c < sizeof(cols) / sizeof(*cols); c++) {
					pg_buf_adds(out, "<td>");
					esc(out, pg_dash_str(v[k], cols[c], ""));
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
	if ((r = pg_dash_rank(d->rules, &n))) {
		if (n)
			hbars(out, "Findings by check and rule", r, n < TOP_RULES ? n : TOP_RULES, false, "#e53935", NULL);
		else
			pg_buf_adds(out, "<p>No findings.</p>\n");
		free(r);
	}
	pg_buf_adds(out, "<h2>Top repositories</h2>\n");
	if ((r = pg_dash_rank(d->repos, &n))) {
		if (n)
			hbars(out, "Top repositories", r, n < TOP_N ? n : TOP_N, true, "#90caf9", "#e53935");
		free(r);
	}
	pg_buf_adds(out, "<h2>Top pushers</h2>\n");
	if ((r = pg_dash_rank(d->pushers, &n))) {
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
			esc(out, pg_dash_str(b, "time", ""));
			pg_buf_adds(out, "</td><td>");
			esc(out, pg_dash_str(b, "pusher", ""));
			pg_buf_adds(out, "</td><td>");
			esc(out, pg_dash_str(b, "repository", ""));
			pg_buf_adds(out, "</td><td>");
			esc(out, pg_dash_str(b, "reason", ""));
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
