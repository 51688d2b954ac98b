/* Unit tests for lib/event.c: the push event's JSON, ids, times, repository names. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "event.h"

#define HEX1 "3f2a91c0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a6"
#define ZERO "0000000000000000000000000000000000000000"

struct fx {
	struct pg_push push;
	struct pg_findings f;
	struct pg_event ev;
	struct pg_error err;
	json_t *doc;
	char *json;
};

static int setup(void **state)
{
	struct fx *fx = calloc(1, sizeof(*fx));

	if (!fx)
		return -1;
	fx->push = (struct pg_push)PG_PUSH_INIT;
	fx->f = (struct pg_findings)PG_FINDINGS_INIT;
	if (pg_push_add_update(&fx->push, "refs/heads/main", ZERO, HEX1, &fx->err) < 0)
		return -1;
	fx->push.pusher = strdup("alice");
	fx->push.protocol = strdup("ssh");
	pg_event_new_id(fx->ev.id);
	fx->ev.kind = PG_EVENT_REJECTED;
	fx->ev.time_ms = 1714564800250LL; /* 2024-05-01T12:00:00.250Z */
	fx->ev.repository = "team/app";
	fx->ev.push = &fx->push;
	fx->ev.findings = &fx->f;
	fx->ev.policy = "strict";
	fx->ev.mode = "enforce";
	fx->ev.duration_ms = 42;
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fx *fx = *state;

	json_decref(fx->doc);
	free(fx->json);
	pg_findings_release(&fx->f);
	pg_push_release(&fx->push);
	free(fx);
	return 0;
}

static json_t *build(struct fx *fx)
{
	free(fx->json);
	json_decref(fx->doc);
	assert_int_equal(pg_event_to_json(&fx->json, &fx->ev, &fx->err), 0);
	assert_null(strchr(fx->json, '\n'));
	fx->doc = json_loads(fx->json, 0, NULL);
	assert_non_null(fx->doc);
	return fx->doc;
}

static const char *s(json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

static void add(struct fx *fx, const char *check, const char *rule, const char *commit, const char *path,
		size_t line, const char *fingerprint, const char *allowed_by)
{
	struct pg_finding_spec spec = { check, rule, "refs/heads/main", commit, "Subject", path, line,
					"AKIA…", fingerprint, allowed_by };

	assert_int_equal(pg_findings_add(&fx->f, &spec, "what is wrong", "how to fix", &fx->err), 0);
}

static void named_fields(void **state)
{
	struct fx *fx = *state;
	static const char *const names[] = { "id", "event", "time", "repository", "pusher", "protocol", "refs",
					     "findings", "policy", "mode", "duration_ms", "pushguard_version" };
	json_t *o = build(fx), *r;

	for (size_t i = 0; i < sizeof(names) / sizeof(*names); i++)
		assert_non_null(json_object_get(o, names[i]));
	assert_string_equal(s(o, "id"), fx->ev.id);
	assert_string_equal(s(o, "event"), "push.rejected");
	assert_string_equal(s(o, "time"), "2024-05-01T12:00:00.250Z");
	assert_string_equal(s(o, "repository"), "team/app");
	assert_string_equal(s(o, "pusher"), "alice");
	assert_string_equal(s(o, "protocol"), "ssh");
	assert_string_equal(s(o, "policy"), "strict");
	assert_string_equal(s(o, "mode"), "enforce");
	assert_int_equal(json_integer_value(json_object_get(o, "duration_ms")), 42);
	assert_int_equal(json_array_size(json_object_get(o, "refs")), 1);
	r = json_array_get(json_object_get(o, "refs"), 0);
	assert_string_equal(s(r, "ref"), "refs/heads/main");
	assert_string_equal(s(r, "old"), ZERO);
	assert_string_equal(s(r, "new"), HEX1);
	assert_int_equal(json_array_size(json_object_get(o, "findings")), 0);
	/* optional fields only when they apply */
	assert_null(json_object_get(o, "bypass_reason"));
	assert_null(json_object_get(o, "error"));
	assert_null(json_object_get(o, "unchecked"));
	assert_null(json_object_get(o, "notes"));
}

static void findings_shape(void **state)
{
	struct fx *fx = *state;
	json_t *o, *a, *f;

	add(fx, "secret", "aws-key", HEX1, "deploy.sh", 4, HEX1 ":deploy.sh:aws-key:4", NULL);
	add(fx, "refs", "deny-delete", NULL, NULL, 0, NULL, NULL);
	add(fx, "secret", "github-pat", HEX1, "test.txt", 1, "fp", "inline pushguard:allow");
	o = build(fx);
	a = json_object_get(o, "findings");
	assert_int_equal(json_array_size(a), 3);
	f = json_array_get(a, 0);
	assert_string_equal(s(f, "check"), "secret");
	assert_string_equal(s(f, "rule"), "aws-key");
	assert_string_equal(s(f, "ref"), "refs/heads/main");
	assert_string_equal(s(f, "commit"), HEX1);
	assert_string_equal(s(f, "path"), "deploy.sh");
	assert_int_equal(json_integer_value(json_object_get(f, "line")), 4);
	assert_string_equal(s(f, "message"), "what is wrong");
	assert_string_equal(s(f, "fingerprint"), HEX1 ":deploy.sh:aws-key:4");
	assert_null(json_object_get(f, "allowed"));
	/* never the excerpt, never the fix text */
	assert_null(json_object_get(f, "excerpt"));
	assert_null(strstr(fx->json, "AKIA"));
	f = json_array_get(a, 1);
	assert_true(json_is_null(json_object_get(f, "commit")));
	assert_null(json_object_get(f, "path"));
	assert_null(json_object_get(f, "line"));
	assert_true(json_is_null(json_object_get(f, "fingerprint")));
	f = json_array_get(a, 2);
	assert_true(json_is_true(json_object_get(f, "allowed")));
	assert_string_equal(s(f, "allowed_by"), "inline pushguard:allow");
}

static void extras(void **state)
{
	struct fx *fx = *state;
	json_t *o;

	fx->ev.kind = PG_EVENT_BYPASSED;
	fx->ev.bypass_reason = "prod down, INC-42";
	fx->ev.error = "tracker unreachable";
	fx->ev.unchecked = true;
	fx->ev.hook = "pre-receive";
	assert_int_equal(pg_findings_note(&fx->f, &fx->err, "ticket check skipped for %s", "bob"), 0);
	o = build(fx);
	assert_string_equal(s(o, "event"), "push.bypassed");
	assert_string_equal(s(o, "bypass_reason"), "prod down, INC-42");
	assert_string_equal(s(o, "error"), "tracker unreachable");
	assert_true(json_is_true(json_object_get(o, "unchecked")));
	assert_string_equal(s(o, "hook"), "pre-receive");
	assert_string_equal(json_string_value(json_array_get(json_object_get(o, "notes"), 0)),
			    "ticket check skipped for bob");
}

/* the background check's result: same shape, plus result, unchecked_id, not_landed */
static void scanned_fields(void **state)
{
	struct fx *fx = *state;
	struct pg_strvec nl = PG_STRVEC_INIT;
	json_t *o, *a;

	fx->ev.kind = PG_EVENT_SCANNED;
	fx->ev.result = "findings";
	fx->ev.unchecked_id = "0b5e3f9c-1111-4222-8333-444455556666";
	add(fx, "secret", "github-pat", HEX1, "deploy.sh", 4, HEX1 ":deploy.sh:github-pat:4", NULL);
	o = build(fx);
	assert_string_equal(s(o, "event"), "push.scanned");
	assert_string_equal(s(o, "result"), "findings");
	assert_string_equal(s(o, "unchecked_id"), "0b5e3f9c-1111-4222-8333-444455556666");
	assert_null(json_object_get(o, "not_landed")); /* everything landed */
	assert_string_equal(s(json_array_get(json_object_get(o, "findings"), 0), "fingerprint"),
			    HEX1 ":deploy.sh:github-pat:4");
	assert_null(json_object_get(json_array_get(json_object_get(o, "findings"), 0), "excerpt"));

	assert_int_equal(pg_strvec_push(&nl, "refs/heads/main"), 0);
	assert_int_equal(pg_strvec_push(&nl, "refs/heads/b\xff"), 0);
	fx->ev.result = "not-landed";
	fx->ev.not_landed = &nl;
	o = build(fx);
	a = json_object_get(o, "not_landed");
	assert_int_equal(json_array_size(a), 2);
	assert_string_equal(json_string_value(json_array_get(a, 0)), "refs/heads/main");
	assert_string_equal(json_string_value(json_array_get(a, 1)), "refs/heads/b?");
	assert_string_equal(s(o, "result"), "not-landed");
	pg_strvec_release(&nl);

	/* other events never carry them */
	fx->ev.kind = PG_EVENT_UNCHECKED;
	fx->ev.result = NULL;
	fx->ev.unchecked_id = NULL;
	fx->ev.not_landed = NULL;
	o = build(fx);
	assert_null(json_object_get(o, "result"));
	assert_null(json_object_get(o, "unchecked_id"));
}

static void policy_changed_fields(void **state)
{
	struct fx *fx = *state;
	struct pg_strvec keys = PG_STRVEC_INIT, files = PG_STRVEC_INIT;
	json_t *o, *pr;

	assert_int_equal(pg_strvec_push(&keys, "pushguard.files.deny"), 0);
	assert_int_equal(pg_strvec_push(&files, "pushguard.conf"), 0);
	assert_int_equal(pg_strvec_push(&files, "rules/acme.toml"), 0);
	fx->ev.kind = PG_EVENT_POLICY_CHANGED;
	fx->ev.findings = NULL;
	fx->ev.policy_ref = "refs/meta/pushguard";
	fx->ev.policy_old = ZERO;
	fx->ev.policy_new = HEX1;
	fx->ev.changed_keys = &keys;
	fx->ev.changed_files = &files;
	o = build(fx);
	assert_string_equal(s(o, "event"), "policy.changed");
	assert_string_equal(s(o, "pusher"), "alice");
	pr = json_object_get(o, "policy_ref");
	assert_string_equal(s(pr, "ref"), "refs/meta/pushguard");
	assert_string_equal(s(pr, "old"), ZERO);
	assert_string_equal(s(pr, "new"), HEX1);
	assert_int_equal(json_array_size(json_object_get(o, "changed_keys")), 1);
	assert_string_equal(json_string_value(json_array_get(json_object_get(o, "changed_keys"), 0)),
			    "pushguard.files.deny");
	assert_int_equal(json_array_size(json_object_get(o, "changed_files")), 2);
	assert_int_equal(json_array_size(json_object_get(o, "findings")), 0);
	/* other events never carry them */
	fx->ev.kind = PG_EVENT_ACCEPTED;
	o = build(fx);
	assert_null(json_object_get(o, "policy_ref"));
	assert_null(json_object_get(o, "changed_keys"));
	pg_strvec_release(&keys);
	pg_strvec_release(&files);
}

static void invalid_utf8_survives(void **state)
{
	struct fx *fx = *state;
	json_t *o;

	add(fx, "files", "deny", HEX1, "bad\xff\xfe.txt", 0, NULL, NULL);
	o = build(fx);
	assert_string_equal(s(json_array_get(json_object_get(o, "findings"), 0), "path"), "bad??.txt");
}

static void findings_capped(void **state)
{
	struct fx *fx = *state;
	json_t *o;

	for (int i = 0; i < PG_EVENT_MAX_FINDINGS + 3; i++)
		add(fx, "files", "deny", HEX1, "x", 0, NULL, NULL);
	o = build(fx);
	assert_int_equal(json_array_size(json_object_get(o, "findings")), PG_EVENT_MAX_FINDINGS);
	assert_int_equal(json_integer_value(json_object_get(o, "findings_truncated")), 3);
}

static void no_push_read(void **state)
{
	struct fx *fx = *state;
	json_t *o;

	fx->ev.push = NULL;
	fx->ev.findings = NULL;
	fx->ev.policy = NULL;
	o = build(fx);
	assert_true(json_is_null(json_object_get(o, "pusher")));
	assert_int_equal(json_array_size(json_object_get(o, "refs")), 0);
	assert_string_equal(s(o, "policy"), "default");
}

static void ids_unique_v4(void **state)
{
	char a[37], b[37];

	(void)state;
	pg_event_new_id(a);
	pg_event_new_id(b);
	assert_int_equal(strlen(a), 36);
	assert_string_not_equal(a, b);
	assert_int_equal(a[14], '4');
	assert_non_null(strchr("89ab", a[19]));
	assert_true(a[8] == '-' && a[13] == '-' && a[18] == '-' && a[23] == '-');
}

static void kinds_and_time(void **state)
{
	char t[32];

	(void)state;
	assert_string_equal(pg_event_kind_name(PG_EVENT_ACCEPTED), "push.accepted");
	assert_string_equal(pg_event_kind_name(PG_EVENT_WARNED), "push.warned");
	assert_string_equal(pg_event_kind_word(PG_EVENT_BYPASSED), "bypassed");
	assert_string_equal(pg_event_kind_name(PG_EVENT_UNCHECKED), "push.unchecked");
	assert_string_equal(pg_event_kind_name(PG_EVENT_SCANNED), "push.scanned");
	assert_string_equal(pg_event_kind_word(PG_EVENT_SCANNED), "scanned");
	assert_string_equal(pg_event_kind_name(PG_EVENT_LANDED), "push.landed");
	assert_string_equal(pg_event_kind_word(PG_EVENT_LANDED), "landed");
	assert_string_equal(pg_event_kind_name(PG_EVENT_POLICY_CHANGED), "policy.changed");
	assert_string_equal(pg_event_kind_word(PG_EVENT_POLICY_CHANGED), "policy");
	pg_event_format_time(t, 0);
	assert_string_equal(t, "1970-01-01T00:00:00.000Z");
	pg_event_format_time(t, 1714564800999LL);
	assert_string_equal(t, "2024-05-01T12:00:00.999Z");
}

static void repository_names(void **state)
{
	char *r;

	(void)state;
	unsetenv("GL_PROJECT_PATH");
	unsetenv("GITEA_REPO_USER_NAME");
	unsetenv("GITEA_REPO_NAME");
	r = pg_event_repository("/srv/git/app.git/");
	assert_string_equal(r, "/srv/git/app.git");
	free(r);
	r = pg_event_repository("/home/a/app/.git");
	assert_string_equal(r, "/home/a/app");
	free(r);
	setenv("GITEA_REPO_USER_NAME", "org", 1);
	setenv("GITEA_REPO_NAME", "app", 1);
	r = pg_event_repository("/x");
	assert_string_equal(r, "org/app");
	free(r);
	setenv("GL_PROJECT_PATH", "group/sub/app", 1);
	r = pg_event_repository("/x");
	assert_string_equal(r, "group/sub/app");
	free(r);
	unsetenv("GL_PROJECT_PATH");
	unsetenv("GITEA_REPO_USER_NAME");
	unsetenv("GITEA_REPO_NAME");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(named_fields, setup, teardown),
		cmocka_unit_test_setup_teardown(findings_shape, setup, teardown),
		cmocka_unit_test_setup_teardown(extras, setup, teardown),
		cmocka_unit_test_setup_teardown(scanned_fields, setup, teardown),
		cmocka_unit_test_setup_teardown(policy_changed_fields, setup, teardown),
		cmocka_unit_test_setup_teardown(invalid_utf8_survives, setup, teardown),
		cmocka_unit_test_setup_teardown(findings_capped, setup, teardown),
		cmocka_unit_test_setup_teardown(no_push_read, setup, teardown),
		cmocka_unit_test(ids_unique_v4),
		cmocka_unit_test(kinds_and_time),
		cmocka_unit_test(repository_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
