/* Unit tests for lib/ticket_extract.c: ticket references in commit messages. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ticket_extract.h"

struct fx {
	struct pg_ticket_extractor x;
	struct pg_strvec out;
	struct pg_error err;
};

static int setup(void **state)
{
	struct fx *fx = calloc(1, sizeof(*fx));

	if (!fx)
		return -1;
	fx->x = (struct pg_ticket_extractor)PG_TICKET_EXTRACTOR_INIT;
	fx->out = (struct pg_strvec)PG_STRVEC_INIT;
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fx *fx = *state;

	pg_ticket_extractor_release(&fx->x);
	pg_strvec_release(&fx->out);
	free(fx);
	return 0;
}

/* projects: "A,B" or NULL */
static void init(struct fx *fx, const char *pattern, const char *projects, bool subject_only)
{
	struct pg_strvec pv = PG_STRVEC_INIT;

	pg_ticket_extractor_release(&fx->x);
	for (const char *p = projects; p && *p;) {
		const char *comma = strchrnul(p, ',');
		char *one = strndup(p, (size_t)(comma - p));

		assert_non_null(one);
		assert_int_equal(pg_strvec_push(&pv, one), 0);
		free(one);
		p = *comma ? comma + 1 : comma;
	}
	assert_int_equal(pg_ticket_extractor_init(&fx->x, pattern, "test", &pv, subject_only, &fx->err), PG_OK);
	pg_strvec_release(&pv);
}

/* Extracts from text and compares with want, "A B C" (space-separated, "" for none). */
static void expect(struct fx *fx, const char *text, const char *want)
{
	char got[1024] = "";

	pg_strvec_clear(&fx->out);
	assert_true(pg_ticket_extract(&fx->out, &fx->x, text, &fx->err) >= 0);
	for (size_t i = 0; i < fx->out.n; i++) {
		strncat(got, i ? " " : "", sizeof(got) - strlen(got) - 1);
		strncat(got, fx->out.v[i], sizeof(got) - strlen(got) - 1);
	}
	if (strcmp(got, want))
		fail_msg("extract(\"%s\") = \"%s\", want \"%s\"", text, got, want);
}

static void test_jira_boundaries(void **state)
{
	struct fx *fx = *state;

	init(fx, PG_TICKET_PATTERN_JIRA, NULL, false);
	expect(fx, "PROJ-123: fix the thing", "PROJ-123");
	expect(fx, "fix (PROJ-7)", "PROJ-7");
	expect(fx, "[PROJ-7] fix", "PROJ-7");
	expect(fx, "feature/PROJ-7-login", "PROJ-7");
	expect(fx, "xPROJ-7 is not a key", "");
	expect(fx, "PROJ-7x is not a key", "");
	expect(fx, "PROJ_X-7 keys may have underscores", "PROJ_X-7");
	expect(fx, "PROJ-0 and PROJ-012 are not keys", "");
	expect(fx, "proj-7 lower case is not a key", "");
	expect(fx, "P-7 one letter is not a key", "");
	expect(fx, "A1-2", "A1-2");
	expect(fx, "no ticket here", "");
	expect(fx, "", "");
	expect(fx, "\xc3\xa9PROJ-9 after a non-ASCII letter", "PROJ-9");
}

static void test_projects_restrict(void **state)
{
	struct fx *fx = *state;

	init(fx, PG_TICKET_PATTERN_JIRA, "PROJ,OPS", false);
	expect(fx, "Fix UTF-8 decoding with SHA-256 sums, PROJ-12", "PROJ-12");
	expect(fx, "UTF-8 and SHA-256 only", "");
	expect(fx, "OPS-1 and PROJ-2 and ISO-8601", "OPS-1 PROJ-2");
	expect(fx, "XPROJ-3 is another project", "");
	/* project keys are compared without regard to case */
	init(fx, PG_TICKET_PATTERN_JIRA, "proj", false);
	expect(fx, "PROJ-4", "PROJ-4");
}

static void test_many_tickets_deduplicated(void **state)
{
	struct fx *fx = *state;
	char big[8192] = "";

	init(fx, PG_TICKET_PATTERN_JIRA, "PROJ,OPS", false);
	expect(fx, "PROJ-1 PROJ-2\n\nAlso PROJ-1, OPS-3 and PROJ-2.\nRefs: OPS-4", "PROJ-1 PROJ-2 OPS-3 OPS-4");
	/* at most PG_TICKET_MAX_PER_MESSAGE per message */
	for (int i = 1; i <= PG_TICKET_MAX_PER_MESSAGE + 20; i++) {
		char one[32];

		snprintf(one, sizeof(one), "PROJ-%d ", i);
		strcat(big, one);
	}
	pg_strvec_clear(&fx->out);
	assert_int_equal(pg_ticket_extract(&fx->out, &fx->x, big, &fx->err), PG_TICKET_MAX_PER_MESSAGE);
	assert_int_equal(fx->out.n, PG_TICKET_MAX_PER_MESSAGE);
	/* ids already in out are not added again */
	assert_int_equal(pg_ticket_extract(&fx->out, &fx->x, "PROJ-1 PROJ-999", &fx->err), 1);
}

static void test_scope_subject(void **state)
{
	struct fx *fx = *state;
	const char *msg = "Fix login\n\nSee PROJ-5 for details";

	init(fx, PG_TICKET_PATTERN_JIRA, "PROJ", true);
	assert_int_equal(pg_ticket_extract_commit(&fx->out, &fx->x, msg, "Fix login", &fx->err), 0);
	assert_int_equal(fx->out.n, 0);
	init(fx, PG_TICKET_PATTERN_JIRA, "PROJ", false);
	assert_int_equal(pg_ticket_extract_commit(&fx->out, &fx->x, msg, "Fix login", &fx->err), 1);
	assert_string_equal(fx->out.v[0], "PROJ-5");
}

static void test_issue_and_servicenow_patterns(void **state)
{
	struct fx *fx = *state;

	init(fx, PG_TICKET_PATTERN_ISSUE, NULL, false);
	expect(fx, "Fix #12 and (#7), closes #12", "12 7");
	expect(fx, "page#3 &#39; ##4 a/b#5 #0 #x", "");
	expect(fx, "#42: start of message", "42");
	init(fx, PG_TICKET_PATTERN_SERVICENOW, "PROJ", false);
	expect(fx, "CHG0012345 deploy; not CHG123 nor XCHG0000001", "CHG0012345");
}

static void test_custom_pattern_groups(void **state)
{
	struct fx *fx = *state;

	/* "ticket" group: the id; "project" group: the project */
	init(fx, "\\bT:(?<ticket>(?<project>[a-z]+)/[0-9]+)", "web", false);
	expect(fx, "T:web/1 T:db/2 T:web/3", "web/1 web/3");
	/* no group: the whole match, project before the last '-' */
	init(fx, "\\b[A-Z]+-[A-Z]+-[0-9]+\\b", "AB-CD", false);
	expect(fx, "AB-CD-1 AB-XY-2", "AB-CD-1");
	/* a pattern that can match the empty string still terminates */
	init(fx, "x*", NULL, false);
	expect(fx, "ab\xc3\xa9xx", "xx");
}

static void test_bad_pattern(void **state)
{
	struct fx *fx = *state;

	assert_int_equal(pg_ticket_extractor_init(&fx->x, "([A-Z]+", "pushguard.tickets.pattern in /x/config",
						  NULL, false, &fx->err), PG_ECONFIG);
	assert_non_null(strstr(fx->err.msg, "pushguard.tickets.pattern in /x/config"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_jira_boundaries, setup, teardown),
		cmocka_unit_test_setup_teardown(test_projects_restrict, setup, teardown),
		cmocka_unit_test_setup_teardown(test_many_tickets_deduplicated, setup, teardown),
		cmocka_unit_test_setup_teardown(test_scope_subject, setup, teardown),
		cmocka_unit_test_setup_teardown(test_issue_and_servicenow_patterns, setup, teardown),
		cmocka_unit_test_setup_teardown(test_custom_pattern_groups, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_pattern, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
