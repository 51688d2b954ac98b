/* Unit tests for lib/dashboard.c: aggregation, --since, percentiles, escaping,
 * accepted ref updates against those that landed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dashboard.h"

static const char *ev(char *buf, size_t n, const char *kind, const char *time, const char *repo,
		      const char *pusher, int dur, const char *extra)
{
	snprintf(buf, n, "{\"id\":\"x\",\"event\":\"push.%s\",\"time\":\"%s\",\"repository\":\"%s\","
		 "\"pusher\":\"%s\",\"refs\":[],\"findings\":[%s],\"duration_ms\":%d%s}",
		 kind, time, repo, pusher,
		 strcmp(kind, "accepted") ? "{\"check\":\"files\",\"rule\":\"deny\"},{\"check\":\"secret\",\"rule\":\"aws\",\"allowed\":true}" : "",
		 dur, extra ? extra : "");
	return buf;
}

/* push.unchecked (onTimeout = accept-and-report) is a decision of its own, not a stray line */
static void unchecked_counted(void **state)
{
	struct pg_dashboard *d;
	struct pg_error err = PG_ERROR_INIT;
	struct pg_buf out = PG_BUF_INIT;
	char b[1024];

	(void)state;
	assert_int_equal(pg_dashboard_new(&d, NULL, &err), 0);
	assert_int_equal(pg_dashboard_add_line(d, ev(b, sizeof(b), "unchecked", "2024-05-01T10:00:00.000Z",
							"team/app", "alice", 4000, ",\"unchecked\":true")), 1);
	pg_dashboard_text(&out, d);
	assert_non_null(strstr(out.ptr, "1 push decision"));
	assert_null(strstr(out.ptr, "skipped"));
	assert_non_null(strstr(out.ptr, "accepted 0, rejected 0, warned 0, bypassed 0, unchecked 1"));
	pg_buf_release(&out);
	pg_dashboard_free(d);
}

/* push.scanned is no decision: counted by result, and an unchecked push whose check found problems stands out */
static void scans_counted(void **state)
{
	struct pg_dashboard *d;
	struct pg_error err = PG_ERROR_INIT;
	struct pg_buf out = PG_BUF_INIT;
	static const char *const lines[] = {
		"{\"id\":\"u1\",\"event\":\"push.unchecked\",\"time\":\"2024-05-01T10:00:00.000Z\",\"repository\":\"team/app\","
		"\"pusher\":\"alice\",\"refs\":[{\"ref\":\"refs/heads/main\"}],\"findings\":[],\"duration_ms\":4000}",
		"{\"id\":\"u2\",\"event\":\"push.unchecked\",\"time\":\"2024-05-01T11:00:00.000Z\",\"repository\":\"team/app\","
		"\"pusher\":\"bob\",\"refs\":[],\"findings\":[],\"duration_ms\":4000}",
		"{\"id\":\"u3\",\"event\":\"push.unchecked\",\"time\":\"2024-05-01T12:00:00.000Z\",\"repository\":\"team/app\","
		"\"pusher\":\"carol\",\"refs\":[],\"findings\":[],\"duration_ms\":4000}",
		"{\"id\":\"s1\",\"event\":\"push.scanned\",\"time\":\"2024-05-01T10:00:09.000Z\",\"repository\":\"team/app\","
		"\"pusher\":\"alice\",\"refs\":[{\"ref\":\"refs/heads/<main>\"}],\"findings\":[{\"check\":\"secrets\","
		"\"rule\":\"github-pat\"},{\"check\":\"secrets\",\"rule\":\"github-pat\"},{\"check\":\"secrets\","
		"\"rule\":\"aws\",\"allowed\":true}],\"duration_ms\":90000,\"result\":\"findings\",\"unchecked_id\":\"u1\"}",
		"{\"id\":\"s2\",\"event\":\"push.scanned\",\"time\":\"2024-05-01T11:00:09.000Z\",\"repository\":\"team/app\","
		"\"pusher\":\"bob\",\"refs\":[],\"findings\":[],\"duration_ms\":90000,\"result\":\"clean\",\"unchecked_id\":\"u2\"}",
		"{\"id\":\"s3\",\"event\":\"push.scanned\",\"time\":\"2024-05-01T13:00:09.000Z\",\"repository\":\"team/app\","
		"\"pusher\":\"dan\",\"refs\":[],\"findings\":[],\"duration_ms\":10,\"result\":\"not-landed\",\"unchecked_id\":\"u9\"}",
	};

	(void)state;
	assert_int_equal(pg_dashboard_new(&d, NULL, &err), 0);
	for (size_t i = 0; i < sizeof(lines) / sizeof(*lines); i++)
		assert_int_equal(pg_dashboard_add_line(d, lines[i]), 1);
	pg_dashboard_text(&out, d);
	assert_non_null(strstr(out.ptr, "3 push decisions")); /* the scans are not pushes */
	assert_null(strstr(out.ptr, "skipped"));
	assert_non_null(strstr(out.ptr, "unchecked 3\n"));
	assert_non_null(strstr(out.ptr, "background checks of unchecked pushes: 1 clean, 1 WITH FINDINGS, 1 did not land, "
					"0 failed, 1 without a result yet"));
	assert_non_null(strstr(out.ptr, "UNCHECKED PUSHES WITH FINDINGS (accepted past the time budget, found by the "
					"background check): 1\n  2024-05-01T10:00:09.000Z  alice  team/app  refs/heads/<main>  "
					"secrets / github-pat  (2 findings)\n"));
	assert_true(strstr(out.ptr, "UNCHECKED PUSHES WITH FINDINGS") < strstr(out.ptr, "per day:")); /* first */
	assert_non_null(strstr(out.ptr, "secrets / github-pat  2\n"));
	assert_null(strstr(out.ptr, "secrets / aws"));
	assert_non_null(strstr(out.ptr, "alice  pushes 1, rejected 0")); /* one push, not two */
	assert_null(strstr(out.ptr, "dan  pushes"));
	assert_non_null(strstr(out.ptr, "max 4000")); /* the scans' 90 s are not hook latency */
	pg_buf_reset(&out);
	pg_dashboard_html(&out, d);
	assert_non_null(strstr(out.ptr, "id=\"kpi-scan-findings\"><b style=\"color:#b71c1c\">1</b>"));
	assert_non_null(strstr(out.ptr, "<table id=\"scan-findings\""));
	assert_non_null(strstr(out.ptr, "<td>refs/heads/&lt;main&gt;</td><td>secrets / github-pat</td><td>2</td>"));
	assert_non_null(strstr(out.ptr, "3 push decisions and 3 background checks"));
	pg_buf_release(&out);
	pg_dashboard_free(d);
}

static void aggregates(void **state)
{
	struct pg_dashboard *d;
	struct pg_error err = PG_ERROR_INIT;
	struct pg_buf out = PG_BUF_INIT;
	char b[1024];

	(void)state;
	assert_int_equal(pg_dashboard_new(&d, NULL, &err), 0);
	for (int i = 1; i <= 100; i++)
		assert_int_equal(pg_dashboard_add_line(d, ev(b, sizeof(b), "accepted", "2024-05-01T10:00:00.000Z",
								"team/app", "alice", i, NULL)), 1);
	assert_int_equal(pg_dashboard_add_line(d, ev(b, sizeof(b), "rejected", "2024-05-02T10:00:00.000Z",
							"team/<b>", "bob", 5, NULL)), 1);
	assert_int_equal(pg_dashboard_add_line(d, ev(b, sizeof(b), "bypassed", "2024-05-03T10:00:00.000Z", "team/app",
							"carol", 5, ",\"bypass_reason\":\"<script>outage</script>\"")), 1);
	assert_int_equal(pg_dashboard_add_line(d, "not json"), 0);
	assert_int_equal(pg_dashboard_add_line(d, "{\"event\":\"other\",\"time\":\"2024-05-01\"}"), 0);
	assert_int_equal(pg_dashboard_percentile(d, 50), 49); /* 102 values: 1..100 and two 5s */
	assert_int_equal(pg_dashboard_percentile(d, 99), 99);
	assert_int_equal(pg_dashboard_percentile(d, 100), 100);
	pg_dashboard_text(&out, d);
	assert_non_null(strstr(out.ptr, "102 push decisions from 2024-05-01 to 2024-05-03"));
	assert_non_null(strstr(out.ptr, "2 lines skipped"));
	assert_non_null(strstr(out.ptr, "accepted 100, rejected 1, warned 0, bypassed 1, unchecked 0"));
	assert_non_null(strstr(out.ptr, "files / deny  2"));
	assert_null(strstr(out.ptr, "secret / aws")); /* allowed */
	assert_non_null(strstr(out.ptr, "team/app  pushes 101, rejected 0"));
	assert_non_null(strstr(out.ptr, "carol  team/app  \"<script>outage</script>\"  (1 finding overridden)"));
	assert_non_null(strstr(out.ptr, "p50 49  p90 90"));
	pg_buf_reset(&out);
	pg_dashboard_html(&out, d);
	assert_non_null(strstr(out.ptr, "<svg"));
	assert_non_null(strstr(out.ptr, "Content-Security-Policy"));
	assert_null(strstr(out.ptr, "<script"));
	assert_non_null(strstr(out.ptr, "&lt;script&gt;outage"));
	assert_non_null(strstr(out.ptr, "team/&lt;b&gt;"));
	/* no external resource: the only URLs are SVG namespace names */
	for (const char *u = out.ptr; (u = strstr(u, "://")); u += 3)
		assert_int_equal(strncmp(u, "://www.w3.org/2000/svg\"", 23), 0);
	pg_buf_release(&out);
	pg_dashboard_free(d);
}

static void since(void **state)
{
	struct pg_dashboard *d;
	struct pg_error err = PG_ERROR_INIT;
	char b[1024];

	(void)state;
	assert_int_equal(pg_dashboard_new(&d, "yesterday", &err), PG_EINPUT);
	assert_int_equal(pg_dashboard_new(&d, "2024-05-02", &err), 0);
	assert_int_equal(pg_dashboard_add_line(d, ev(b, sizeof(b), "accepted", "2024-05-01T23:59:59.999Z", "r", "p", 1, NULL)), 0);
	assert_int_equal(pg_dashboard_add_line(d, ev(b, sizeof(b), "accepted", "2024-05-02T00:00:00.000Z", "r", "p", 1, NULL)), 1);
	pg_dashboard_free(d);
}

/* push.landed: accepted ref updates counted against those that landed; the
 * ones that never landed listed (a racing push, a killed receive-pack) */
static void landed_against_accepted(void **state)
{
	struct pg_dashboard *d;
	struct pg_error err = PG_ERROR_INIT;
	struct pg_buf out = PG_BUF_INIT;
#define REF(r, o, n) "{\"ref\":\"" r "\",\"old\":\"" o "\",\"new\":\"" n "\"}"
#define EV(kind, time, pusher, refs) \
	"{\"id\":\"x\",\"event\":\"push." kind "\",\"time\":\"" time "\",\"repository\":\"team/app\"," \
	"\"pusher\":\"" pusher "\",\"refs\":[" refs "],\"findings\":[],\"duration_ms\":5}"
	static const char *const lines[] = {
		/* alice: two refs accepted, both landed */
		EV("accepted", "2024-05-01T10:00:00.000Z", "alice", REF("refs/heads/main", "a1", "a2") "," REF("refs/tags/v1", "0", "a2")),
		EV("landed", "2024-05-01T10:00:00.100Z", "alice", REF("refs/heads/main", "a1", "a2") "," REF("refs/tags/v1", "0", "a2")),
		/* bob and carol race from a2: carol's update lands, bob's never */
		EV("accepted", "2024-05-01T11:00:00.000Z", "bob", REF("refs/heads/main", "a2", "b3")),
		EV("warned", "2024-05-01T11:00:00.010Z", "carol", REF("refs/heads/main", "a2", "c3")),
		EV("landed", "2024-05-01T11:00:00.200Z", "carol", REF("refs/heads/main", "a2", "c3")),
		/* refused: not counted as accepted */
		EV("rejected", "2024-05-01T12:00:00.000Z", "dave", REF("refs/heads/main", "c3", "d4")),
	};

	(void)state;
	assert_int_equal(pg_dashboard_new(&d, NULL, &err), 0);
	for (size_t i = 0; i < sizeof(lines) / sizeof(*lines); i++)
		assert_int_equal(pg_dashboard_add_line(d, lines[i]), 1);
	pg_dashboard_text(&out, d);
	/* landed is not a decision */
	assert_non_null(strstr(out.ptr, "4 push decisions"));
	assert_non_null(strstr(out.ptr, "accepted 2, rejected 1, warned 1"));
	assert_non_null(strstr(out.ptr, "ref updates: 4 accepted, 3 landed (post-receive); 1 accepted but never landed\n"));
	assert_non_null(strstr(out.ptr, "ACCEPTED BUT NEVER LANDED"));
	assert_non_null(strstr(out.ptr, "2024-05-01T11:00:00.000Z  bob  team/app  refs/heads/main  b3\n"));
	assert_null(strstr(out.ptr, "carol  team/app  refs/heads/main  c3"));
	pg_buf_reset(&out);
	pg_dashboard_html(&out, d);
	assert_non_null(strstr(out.ptr, "id=\"kpi-landed\"><b style=\"color:#1565c0\">3</b>"));
	assert_non_null(strstr(out.ptr, "id=\"kpi-not-landed\"><b style=\"color:#6d4c41\">1</b>"));
	assert_non_null(strstr(out.ptr, "<table id=\"not-landed\">"));
	assert_non_null(strstr(out.ptr, "<td>bob</td>"));
	pg_buf_release(&out);
	pg_dashboard_free(d);

	/* without any push.landed: the report says it cannot tell */
	assert_int_equal(pg_dashboard_new(&d, NULL, &err), 0);
	assert_int_equal(pg_dashboard_add_line(d, lines[2]), 1);
	pg_dashboard_text(&out, d);
	assert_non_null(strstr(out.ptr, "ref updates landed: not recorded"));
	assert_null(strstr(out.ptr, "NEVER LANDED"));
	pg_buf_release(&out);
	pg_dashboard_free(d);
#undef EV
#undef REF
}

static void empty(void **state)
{
	struct pg_dashboard *d;
	struct pg_error err = PG_ERROR_INIT;
	struct pg_buf out = PG_BUF_INIT;

	(void)state;
	assert_int_equal(pg_dashboard_new(&d, NULL, &err), 0);
	assert_int_equal(pg_dashboard_percentile(d, 50), -1);
	pg_dashboard_text(&out, d);
	assert_non_null(strstr(out.ptr, "0 push decisions"));
	pg_buf_reset(&out);
	pg_dashboard_html(&out, d);
	assert_non_null(strstr(out.ptr, "</html>"));
	pg_buf_release(&out);
	pg_dashboard_free(d);
}

/* index of needle in hay, or -1 */
static long pos(const char *hay, const char *needle)
{
	const char *p = strstr(hay, needle);

	return p ? p - hay : -1;
}

/* The latest refusals: one row per blocking finding, newest first, bounded at 50 of the
 * newest; rule, path:line, masked excerpt, fingerprint, confidence where present. */
static void latest_refusals(void **state)
{
	struct pg_dashboard *d;
	struct pg_error err = PG_ERROR_INIT;
	struct pg_buf out = PG_BUF_INIT;
	char b[2048];

	(void)state;
	assert_int_equal(pg_dashboard_new(&d, NULL, &err), 0);
	/* 60 refusals, fed oldest and newest alternately: only the newest 50 are kept */
	for (int i = 0; i < 60; i++) {
		int day = i % 2 ? 59 - i / 2 : i / 2; /* 0, 59, 1, 58, ... */

		snprintf(b, sizeof(b), "{\"id\":\"r%d\",\"event\":\"push.rejected\",\"time\":\"2026-%02d-%02dT10:00:00.000Z\","
			 "\"repository\":\"team/app\",\"pusher\":\"alice\",\"refs\":[{\"ref\":\"refs/heads/main\"}],"
			 "\"findings\":[{\"check\":\"secrets\",\"rule\":\"github-pat\",\"ref\":\"refs/heads/dev\","
			 "\"path\":\"cfg/r%02d.env\",\"line\":%d,\"excerpt\":\"ghp_\u2026\",\"fingerprint\":\"c0ffee:cfg/r%02d.env:github-pat:%d\"%s}],"
			 "\"duration_ms\":5}", day, 1 + day / 28, 1 + day % 28, day, day + 1, day, day + 1,
			 day == 59 ? ",\"confidence\":\"high\"" : day == 58 ? ",\"confidence\":\"<b>odd</b>\"" : "");
		assert_int_equal(pg_dashboard_add_line(d, b), 1);
	}
	/* an allowed finding is not a refusal row; a refusal without findings names its error */
	assert_int_equal(pg_dashboard_add_line(d, "{\"event\":\"push.rejected\",\"time\":\"2026-03-05T10:00:00.000Z\","
						 "\"repository\":\"team/app\",\"pusher\":\"bob\",\"refs\":[],\"findings\":[],"
						 "\"error\":\"pushguard.files.maxSize: not a size\"}"), 1);
	pg_dashboard_html(&out, d);
	assert_non_null(strstr(out.ptr, "The newest 50 of 61 refused findings"));
	/* newest first: the error refusal (March 5), then day 59 (March 4), ...; day 11 is the 50th and oldest shown */
	assert_true(pos(out.ptr, "pushguard.files.maxSize: not a size") < pos(out.ptr, "cfg/r59.env:60"));
	assert_true(pos(out.ptr, "cfg/r59.env:60") < pos(out.ptr, "cfg/r58.env:59"));
	assert_true(pos(out.ptr, "cfg/r12.env:13") < pos(out.ptr, "cfg/r11.env:12"));
	assert_int_equal(pos(out.ptr, "cfg/r10.env:11"), -1);
	assert_int_equal(pos(out.ptr, "cfg/r00.env:1<"), -1);
	/* what the pusher read, and the finding's own ref */
	assert_non_null(strstr(out.ptr, "<td class=\"mono\">ghp_\u2026</td>"));
	assert_non_null(strstr(out.ptr, "c0ffee:cfg/r59.env:github-pat:60"));
	assert_non_null(strstr(out.ptr, "<td>refs/heads/dev</td>"));
	/* confidence: shown where present (escaped, unknown words styled neutrally), absent elsewhere */
	assert_non_null(strstr(out.ptr, "secrets / github-pat <span class=\"conf conf-high\">high</span>"));
	assert_non_null(strstr(out.ptr, "<span class=\"conf conf-other\">&lt;b&gt;odd&lt;/b&gt;</span>"));
	assert_int_equal(pos(out.ptr, "<b>odd</b>"), -1);
	/* top rules and repositories by refusals */
	assert_non_null(strstr(out.ptr, "Top rules by refusals"));
	assert_non_null(strstr(out.ptr, "secrets / github-pat: 60</title>"));
	assert_non_null(strstr(out.ptr, "team/app: 61</title>"));
	pg_buf_release(&out);
	pg_dashboard_free(d);
}

/* Weekly trends by ISO week (2026-01-01 is in 2026-W01, 2025-12-29 too; 2027-01-01 in 2026-W53),
 * newest week first in the table, with the refusal rate. */
static void weekly_trends(void **state)
{
	struct pg_dashboard *d;
	struct pg_error err = PG_ERROR_INIT;
	struct pg_buf out = PG_BUF_INIT;
	char b[1024];

	(void)state;
	assert_int_equal(pg_dashboard_new(&d, NULL, &err), 0);
	pg_dashboard_add_line(d, ev(b, sizeof(b), "accepted", "2025-12-29T10:00:00.000Z", "r", "a", 1, NULL));
	pg_dashboard_add_line(d, ev(b, sizeof(b), "rejected", "2026-01-01T10:00:00.000Z", "r", "a", 1, NULL));
	pg_dashboard_add_line(d, ev(b, sizeof(b), "accepted", "2026-01-01T11:00:00.000Z", "r", "a", 1, NULL));
	pg_dashboard_add_line(d, ev(b, sizeof(b), "bypassed", "2026-01-01T12:00:00.000Z", "r", "a", 1, NULL));
	pg_dashboard_add_line(d, ev(b, sizeof(b), "unchecked", "2027-01-01T12:00:00.000Z", "r", "a", 1, NULL));
	pg_dashboard_html(&out, d);
	assert_non_null(strstr(out.ptr, "<tr><td>2026-W01</td><td>4</td><td>1</td><td>25.0%</td><td>0</td><td>1</td><td>0</td></tr>"));
	assert_non_null(strstr(out.ptr, "<tr><td>2026-W53</td><td>1</td><td>0</td><td>0.0%</td><td>0</td><td>0</td><td>1</td></tr>"));
	assert_true(pos(out.ptr, "<td>2026-W53</td>") < pos(out.ptr, "<td>2026-W01</td>"));
	assert_non_null(strstr(out.ptr, "id=\"weekly-chart\""));
	pg_buf_release(&out);
	pg_dashboard_free(d);
}

/* Unchecked pushes listed newest first with why and what their background check found */
static void unchecked_listed(void **state)
{
	struct pg_dashboard *d;
	struct pg_error err = PG_ERROR_INIT;
	struct pg_buf out = PG_BUF_INIT;

	(void)state;
	assert_int_equal(pg_dashboard_new(&d, NULL, &err), 0);
	pg_dashboard_add_line(d, "{\"id\":\"u1\",\"event\":\"push.unchecked\",\"time\":\"2026-05-01T10:00:00.000Z\","
			      "\"repository\":\"team/app\",\"pusher\":\"alice\",\"refs\":[{\"ref\":\"refs/heads/main\"}],"
			      "\"findings\":[],\"error\":\"the time budget ran out\"}");
	pg_dashboard_add_line(d, "{\"id\":\"u2\",\"event\":\"push.unchecked\",\"time\":\"2026-05-02T10:00:00.000Z\","
			      "\"repository\":\"team/web\",\"pusher\":\"bob\",\"refs\":[],\"findings\":[]}");
	pg_dashboard_add_line(d, "{\"id\":\"s1\",\"event\":\"push.scanned\",\"unchecked_id\":\"u1\",\"result\":\"findings\","
			      "\"time\":\"2026-05-01T10:00:09.000Z\",\"repository\":\"team/app\",\"pusher\":\"alice\","
			      "\"refs\":[],\"findings\":[{\"check\":\"secrets\",\"rule\":\"aws\"}]}");
	pg_dashboard_html(&out, d);
	assert_non_null(strstr(out.ptr, "<h2>Unchecked pushes (2)</h2>"));
	assert_non_null(strstr(out.ptr, "<td>the time budget ran out</td><td class=\"bad\">findings</td>"));
	assert_non_null(strstr(out.ptr, "<td>team/web</td><td>bob</td><td></td><td></td><td>no result yet</td>"));
	assert_true(pos(out.ptr, "<td>team/web</td>") < pos(out.ptr, "<td>team/app</td><td>alice</td><td>refs/heads/main</td><td>the"));
	pg_buf_release(&out);
	pg_dashboard_free(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(aggregates),
		cmocka_unit_test(unchecked_counted),
		cmocka_unit_test(scans_counted),
		cmocka_unit_test(since),
		cmocka_unit_test(landed_against_accepted),
		cmocka_unit_test(empty),
		cmocka_unit_test(latest_refusals),
		cmocka_unit_test(weekly_trends),
		cmocka_unit_test(unchecked_listed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
