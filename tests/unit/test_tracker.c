/* Unit tests for lib/tracker.c: lookup URLs and what trackers' answers mean. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tracker.h"

struct fx {
	struct pg_tracker t;
	struct pg_strvec allowed;
	struct pg_ticket_result r;
	struct pg_error err;
};

static int setup(void **state)
{
	struct fx *fx = calloc(1, sizeof(*fx));

	if (!fx)
		return -1;
	fx->allowed = (struct pg_strvec)PG_STRVEC_INIT;
	fx->t.allowed = &fx->allowed;
	fx->t.timeout_ms = 3000;
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fx *fx = *state;

	pg_ticket_result_release(&fx->r);
	pg_strvec_release(&fx->allowed);
	free(fx);
	return 0;
}

static void answer(struct fx *fx, enum pg_tracker_type type, long status, const char *body)
{
	fx->t.type = type;
	pg_ticket_result_release(&fx->r);
	memset(&fx->r, 0, sizeof(fx->r));
	pg_tracker_interpret(&fx->r, &fx->t, status, false, body, body ? strlen(body) : 0);
}

#define JIRA(name, cat) "{\"key\":\"PROJ-1\",\"fields\":{\"status\":{\"name\":\"" name "\"," \
			"\"statusCategory\":{\"key\":\"" cat "\"}}}}"

static void test_url(void **state)
{
	struct fx *fx = *state;
	char *url = NULL;

	fx->t.type = PG_TRACKER_JIRA;
	fx->t.url = "https://jira.example.com/rest/api/2/issue/{ticket}?fields=status";
	assert_int_equal(pg_tracker_url(&url, &fx->t, "PROJ-12", &fx->err), 0);
	assert_string_equal(url, "https://jira.example.com/rest/api/2/issue/PROJ-12?fields=status");
	free(url);
	/* the id is escaped: it cannot change the path or the query */
	assert_int_equal(pg_tracker_url(&url, &fx->t, "a/../b?c=d&e f#", &fx->err), 0);
	assert_string_equal(url, "https://jira.example.com/rest/api/2/issue/a%2F..%2Fb%3Fc%3Dd%26e%20f%23?fields=status");
	free(url);
	fx->t.type = PG_TRACKER_SERVICENOW;
	fx->t.url = "https://x.service-now.com/api/now/table/change_request";
	assert_int_equal(pg_tracker_url(&url, &fx->t, "CHG0000001", &fx->err), 0);
	assert_non_null(strstr(url, "/change_request?sysparm_query=number%3DCHG0000001&sysparm_fields="));
	assert_non_null(strstr(url, "approval"));
	assert_non_null(strstr(url, "sysparm_limit=1"));
	free(url);
	fx->t.url = "https://x.service-now.com/api/now/table/change_request?sysparm_display_value=false";
	assert_int_equal(pg_tracker_url(&url, &fx->t, "CHG0000001", &fx->err), 0);
	assert_non_null(strstr(url, "?sysparm_display_value=false&sysparm_query=number%3DCHG0000001"));
	free(url);
}

static void test_jira(void **state)
{
	struct fx *fx = *state;

	answer(fx, PG_TRACKER_JIRA, 200, JIRA("In Progress", "indeterminate"));
	assert_int_equal(fx->r.verdict, PG_TICKET_VALID);
	assert_string_equal(fx->r.state, "In Progress");
	answer(fx, PG_TRACKER_JIRA, 200, JIRA("To Do", "new"));
	assert_int_equal(fx->r.verdict, PG_TICKET_VALID);
	answer(fx, PG_TRACKER_JIRA, 200, JIRA("Done", "done"));
	assert_int_equal(fx->r.verdict, PG_TICKET_NOT_ALLOWED);
	assert_string_equal(fx->r.state, "Done");
	assert_non_null(strstr(fx->r.detail, "Done in Jira"));
	assert_non_null(strstr(fx->r.detail, "category:indeterminate"));
	/* allowedStatus: names case-insensitively, categories with category: */
	pg_strvec_push(&fx->allowed, "approved");
	answer(fx, PG_TRACKER_JIRA, 200, JIRA("Approved", "done"));
	assert_int_equal(fx->r.verdict, PG_TICKET_VALID);
	answer(fx, PG_TRACKER_JIRA, 200, JIRA("In Progress", "indeterminate"));
	assert_int_equal(fx->r.verdict, PG_TICKET_NOT_ALLOWED);
	pg_strvec_push(&fx->allowed, "CATEGORY:Indeterminate");
	answer(fx, PG_TRACKER_JIRA, 200, JIRA("In Review", "indeterminate"));
	assert_int_equal(fx->r.verdict, PG_TICKET_VALID);
	/* no category in the answer: only names can match */
	answer(fx, PG_TRACKER_JIRA, 200, "{\"fields\":{\"status\":{\"name\":\"Open\"}}}");
	assert_int_equal(fx->r.verdict, PG_TICKET_NOT_ALLOWED);
}

static void test_status_codes(void **state)
{
	struct fx *fx = *state;

	answer(fx, PG_TRACKER_JIRA, 404, "{\"errorMessages\":[\"Issue does not exist\"]}");
	assert_int_equal(fx->r.verdict, PG_TICKET_MISSING);
	answer(fx, PG_TRACKER_GITHUB, 410, "");
	assert_int_equal(fx->r.verdict, PG_TICKET_MISSING);
	answer(fx, PG_TRACKER_JIRA, 401, "");
	assert_int_equal(fx->r.verdict, PG_TICKET_CONFIG);
	assert_non_null(strstr(fx->r.detail, "HTTP 401"));
	assert_non_null(strstr(fx->r.detail, "tokenFile"));
	answer(fx, PG_TRACKER_JIRA, 403, "");
	assert_int_equal(fx->r.verdict, PG_TICKET_CONFIG);
	/* 403 with a rate limit header is the tracker being busy, not a configuration error */
	pg_ticket_result_release(&fx->r);
	pg_tracker_interpret(&fx->r, &fx->t, 403, true, "", 0);
	assert_int_equal(fx->r.verdict, PG_TICKET_UNREACHABLE);
	answer(fx, PG_TRACKER_JIRA, 429, "");
	assert_int_equal(fx->r.verdict, PG_TICKET_UNREACHABLE);
	answer(fx, PG_TRACKER_JIRA, 500, "");
	assert_int_equal(fx->r.verdict, PG_TICKET_UNREACHABLE);
	answer(fx, PG_TRACKER_JIRA, 503, JIRA("In Progress", "indeterminate"));
	assert_int_equal(fx->r.verdict, PG_TICKET_UNREACHABLE);
	assert_non_null(strstr(fx->r.detail, "HTTP 503"));
	answer(fx, PG_TRACKER_JIRA, 302, "");
	assert_int_equal(fx->r.verdict, PG_TICKET_CONFIG);
	assert_non_null(strstr(fx->r.detail, "redirect"));
	answer(fx, PG_TRACKER_JIRA, 400, "");
	assert_int_equal(fx->r.verdict, PG_TICKET_CONFIG);
}

static void test_malformed(void **state)
{
	struct fx *fx = *state;
	static const char *const bodies[] = {
		"", "not json", "{\"fields\":", "[]", "42", "{\"fields\":{}}",
		"{\"fields\":{\"status\":{\"name\":7}}}", "{\"a\":1,\"a\":2}",
	};

	for (size_t i = 0; i < sizeof(bodies) / sizeof(*bodies); i++) {
		answer(fx, PG_TRACKER_JIRA, 200, bodies[i]);
		if (fx->r.verdict != PG_TICKET_UNREACHABLE)
			fail_msg("body '%s': verdict %s, want unreachable", bodies[i],
				 pg_ticket_verdict_name(fx->r.verdict));
		assert_non_null(strstr(fx->r.detail, "malformed"));
	}
	answer(fx, PG_TRACKER_GITHUB, 200, "{\"number\":1}");
	assert_int_equal(fx->r.verdict, PG_TICKET_UNREACHABLE);
	answer(fx, PG_TRACKER_SERVICENOW, 200, "{\"result\":{}}");
	assert_int_equal(fx->r.verdict, PG_TICKET_UNREACHABLE);
	answer(fx, PG_TRACKER_SERVICENOW, 200, "{\"result\":[{\"approval\":\"approved\"}]}");
	assert_int_equal(fx->r.verdict, PG_TICKET_UNREACHABLE);
}

static void test_github_gitlab_http(void **state)
{
	struct fx *fx = *state;

	answer(fx, PG_TRACKER_GITHUB, 200, "{\"number\":5,\"state\":\"open\"}");
	assert_int_equal(fx->r.verdict, PG_TICKET_VALID);
	answer(fx, PG_TRACKER_GITHUB, 200, "{\"number\":5,\"state\":\"closed\"}");
	assert_int_equal(fx->r.verdict, PG_TICKET_NOT_ALLOWED);
	assert_string_equal(fx->r.state, "closed");
	answer(fx, PG_TRACKER_GITLAB, 200, "{\"iid\":5,\"state\":\"opened\"}");
	assert_int_equal(fx->r.verdict, PG_TICKET_VALID);
	answer(fx, PG_TRACKER_GITLAB, 200, "{\"iid\":5,\"state\":\"closed\"}");
	assert_int_equal(fx->r.verdict, PG_TICKET_NOT_ALLOWED);
	answer(fx, PG_TRACKER_HTTP, 204, NULL);
	assert_int_equal(fx->r.verdict, PG_TICKET_VALID);
	answer(fx, PG_TRACKER_HTTP, 200, "anything at all");
	assert_int_equal(fx->r.verdict, PG_TICKET_VALID);
	answer(fx, PG_TRACKER_HTTP, 422, "");
	assert_int_equal(fx->r.verdict, PG_TICKET_NOT_ALLOWED);
	answer(fx, PG_TRACKER_HTTP, 404, "");
	assert_int_equal(fx->r.verdict, PG_TICKET_MISSING);
}

#define SNOW(state, approval, start, end) "{\"result\":[{\"number\":\"CHG0000001\",\"state\":" state \
	",\"approval\":\"" approval "\",\"start_date\":\"" start "\",\"end_date\":\"" end "\"}]}"

static void test_servicenow(void **state)
{
	struct fx *fx = *state;

	answer(fx, PG_TRACKER_SERVICENOW, 200, SNOW("\"-2\"", "approved", "", ""));
	assert_int_equal(fx->r.verdict, PG_TICKET_VALID);
	assert_string_equal(fx->r.state, "Scheduled (-2), approval approved");
	answer(fx, PG_TRACKER_SERVICENOW, 200, SNOW("-1", "approved", "", "")); /* a number, not a string */
	assert_int_equal(fx->r.verdict, PG_TICKET_VALID);
	answer(fx, PG_TRACKER_SERVICENOW, 200, SNOW("\"-2\"", "requested", "", ""));
	assert_int_equal(fx->r.verdict, PG_TICKET_NOT_ALLOWED);
	assert_non_null(strstr(fx->r.detail, "not approved"));
	assert_non_null(strstr(fx->r.detail, "requested"));
	answer(fx, PG_TRACKER_SERVICENOW, 200, SNOW("\"3\"", "approved", "", ""));
	assert_int_equal(fx->r.verdict, PG_TICKET_NOT_ALLOWED);
	assert_non_null(strstr(fx->r.state, "Closed (3)"));
	answer(fx, PG_TRACKER_SERVICENOW, 200, "{\"result\":[]}");
	assert_int_equal(fx->r.verdict, PG_TICKET_MISSING);
	/* allowedStatus by name or by value */
	pg_strvec_push(&fx->allowed, "review");
	answer(fx, PG_TRACKER_SERVICENOW, 200, SNOW("\"0\"", "approved", "", ""));
	assert_int_equal(fx->r.verdict, PG_TICKET_VALID);
	answer(fx, PG_TRACKER_SERVICENOW, 200, SNOW("\"-2\"", "approved", "", ""));
	assert_int_equal(fx->r.verdict, PG_TICKET_NOT_ALLOWED);
	pg_strvec_clear(&fx->allowed);
	/* the planned window */
	fx->t.check_window = true;
	fx->t.now = 1700000000; /* 2023-11-14 22:13:20 UTC */
	answer(fx, PG_TRACKER_SERVICENOW, 200, SNOW("\"-1\"", "approved", "2023-11-14 20:00:00", "2023-11-15 02:00:00"));
	assert_int_equal(fx->r.verdict, PG_TICKET_VALID);
	assert_int_equal(fx->r.valid_until, 1700013600);
	answer(fx, PG_TRACKER_SERVICENOW, 200, SNOW("\"-1\"", "approved", "2023-11-15 20:00:00", "2023-11-16 02:00:00"));
	assert_int_equal(fx->r.verdict, PG_TICKET_NOT_ALLOWED);
	assert_non_null(strstr(fx->r.detail, "not started"));
	answer(fx, PG_TRACKER_SERVICENOW, 200, SNOW("\"-1\"", "approved", "2023-11-13 20:00:00", "2023-11-14 02:00:00"));
	assert_int_equal(fx->r.verdict, PG_TICKET_NOT_ALLOWED);
	assert_non_null(strstr(fx->r.detail, "over"));
	answer(fx, PG_TRACKER_SERVICENOW, 200, SNOW("\"-1\"", "approved", "", ""));
	assert_int_equal(fx->r.verdict, PG_TICKET_NOT_ALLOWED);
	assert_non_null(strstr(fx->r.detail, "no planned window"));
}

static void test_lookup_unreachable(void **state)
{
	struct fx *fx = *state;
	struct pg_ticket_result r[2] = { { 0 } };
	char t0[] = "PROJ-1", t1[] = "PROJ-2";
	char *tickets[] = { t0, t1 };

	/* nothing listens on port 1 of the loopback: connection refused, quickly */
	fx->t.type = PG_TRACKER_JIRA;
	fx->t.url = "http://127.0.0.1:1/rest/api/2/issue/{ticket}";
	fx->t.timeout_ms = 2000;
	r[1].cached = true;
	r[1].verdict = PG_TICKET_VALID;
	assert_int_equal(pg_tracker_lookup(r, &fx->t, tickets, 2, &fx->err), 0);
	assert_int_equal(r[0].verdict, PG_TICKET_UNREACHABLE);
	assert_non_null(r[0].detail);
	assert_int_equal(r[1].verdict, PG_TICKET_VALID); /* cached: not looked up */
	assert_null(r[1].detail);
	pg_ticket_result_release(&r[0]);
	pg_ticket_result_release(&r[1]);
	/* other schemes are never spoken */
	r[0] = (struct pg_ticket_result){ 0 };
	fx->t.url = "file:///etc/{ticket}";
	assert_int_equal(pg_tracker_lookup(r, &fx->t, tickets, 1, &fx->err), 0);
	assert_int_equal(r[0].verdict, PG_TICKET_CONFIG);
	pg_ticket_result_release(&r[0]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_url, setup, teardown),
		cmocka_unit_test_setup_teardown(test_jira, setup, teardown),
		cmocka_unit_test_setup_teardown(test_status_codes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_malformed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_github_gitlab_http, setup, teardown),
		cmocka_unit_test_setup_teardown(test_servicenow, setup, teardown),
		cmocka_unit_test_setup_teardown(test_lookup_unreachable, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
