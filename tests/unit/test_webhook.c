/* Unit tests for lib/webhook.c: signatures (GitHub's and Standard Webhooks'
 * published test vectors), payload formats, pushguard.webhook.events, how a
 * URL is shown and stored (no credentials), and every bad setting reported
 * while the spool stays usable. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <git2.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "event.h"
#include "policy.h"
#include "webhook.h"

/* https://docs.github.com/en/webhooks/using-webhooks/validating-webhook-deliveries */
static void github_vector(void **state)
{
	char sig[72];
	const char *secret = "It's a Secret to Everybody";

	(void)state;
	assert_int_equal(pg_webhook_sign_github(sig, secret, strlen(secret), "Hello, World!", 13), 0);
	assert_string_equal(sig, "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17");
}

static void github_differs_per_body(void **state)
{
	char a[72], b[72];

	(void)state;
	assert_int_equal(pg_webhook_sign_github(a, "k", 1, "x", 1), 0);
	assert_int_equal(pg_webhook_sign_github(b, "k", 1, "y", 1), 0);
	assert_string_not_equal(a, b);
	assert_int_equal(strlen(a), 71);
}

/* the Standard Webhooks reference libraries' test vector */
static void standard_vector(void **state)
{
	char sig[64];
	const char *body = "{\"test\": 2432232314}";

	(void)state;
	assert_int_equal(pg_webhook_sign_standard(sig, "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
						  "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, body, strlen(body)), 0);
	assert_string_equal(sig, "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
}

static void standard_raw_secret_and_bad_base64(void **state)
{
	char a[64], b[64];

	(void)state;
	/* a secret without whsec_ is used as written: "MfKQ..." raw differs from its decoding */
	assert_int_equal(pg_webhook_sign_standard(a, "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "id", 1, "b", 1), 0);
	assert_int_equal(pg_webhook_sign_standard(b, "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "id", 1, "b", 1), 0);
	assert_string_not_equal(a, b);
	assert_int_equal(strncmp(a, "v1,", 3), 0);
	assert_int_equal(pg_webhook_sign_standard(a, "whsec_abc", "id", 1, "b", 1), -1);
	/* the timestamp is signed */
	assert_int_equal(pg_webhook_sign_standard(b, "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "id", 2, "b", 1), 0);
	assert_int_equal(pg_webhook_sign_standard(a, "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "id", 1, "b", 1), 0);
	assert_string_not_equal(a, b);
}

static void events_words(void **state)
{
	(void)state;
	assert_int_equal(pg_webhook_parse_events("rejected"), 1u << PG_EVENT_REJECTED);
	assert_int_equal(pg_webhook_parse_events("all"), 0xff);
	assert_int_equal(pg_webhook_parse_events("policy"), 1u << PG_EVENT_POLICY_CHANGED);
	assert_int_equal(pg_webhook_parse_events("landed"), 1u << PG_EVENT_LANDED);
	assert_int_equal(pg_webhook_parse_events("unchecked"), 1u << PG_EVENT_UNCHECKED);
	assert_int_equal(pg_webhook_parse_events("scanned"), 1u << PG_EVENT_SCANNED);
	assert_int_equal(pg_webhook_parse_events("accepted, bypassed"),
			 (1u << PG_EVENT_ACCEPTED) | (1u << PG_EVENT_BYPASSED));
	assert_int_equal(pg_webhook_parse_events("Warned"), 1u << PG_EVENT_WARNED);
	assert_int_equal(pg_webhook_parse_events("rejected,nonsense"), 0);
	assert_int_equal(pg_webhook_parse_events(""), 0);
}

static const char *EVENT =
	"{\"id\":\"0b7c5e9a-1111-4222-8333-444455556666\",\"event\":\"push.rejected\","
	"\"time\":\"2024-05-01T12:00:00.250Z\",\"repository\":\"team/app\",\"pusher\":\"alice\","
	"\"protocol\":\"ssh\",\"refs\":[{\"ref\":\"refs/heads/main\",\"old\":\"a\",\"new\":\"b\"}],"
	"\"findings\":[{\"check\":\"files\",\"rule\":\"deny\",\"ref\":\"refs/heads/main\",\"commit\":\"b\","
	"\"path\":\"keys/<id_rsa>\",\"message\":\"denied & bad\",\"fingerprint\":null}],"
	"\"policy\":\"default\",\"mode\":\"enforce\",\"duration_ms\":12,\"pushguard_version\":\"0.1.0\"}";

static void payload_json_is_the_event(void **state)
{
	struct pg_webhook w = PG_WEBHOOK_INIT;
	struct pg_error err = PG_ERROR_INIT;
	char *out = NULL;

	(void)state;
	w.format = PG_WEBHOOK_JSON;
	assert_int_equal(pg_webhook_payload(&out, &w, EVENT, &err), 0);
	assert_string_equal(out, EVENT);
	free(out);
}

static void payload_slack(void **state)
{
	struct pg_webhook w = PG_WEBHOOK_INIT;
	struct pg_error err = PG_ERROR_INIT;
	char *out = NULL;
	json_t *doc;
	const char *text;

	(void)state;
	w.format = PG_WEBHOOK_SLACK;
	assert_int_equal(pg_webhook_payload(&out, &w, EVENT, &err), 0);
	doc = json_loads(out, 0, NULL);
	assert_non_null(doc);
	assert_int_equal(json_object_size(doc), 1);
	text = json_string_value(json_object_get(doc, "text"));
	assert_non_null(text);
	assert_non_null(strstr(text, "push.rejected"));
	assert_non_null(strstr(text, "alice"));
	assert_non_null(strstr(text, "team/app"));
	assert_non_null(strstr(text, "keys/&lt;id_rsa&gt;")); /* Slack's escaping */
	assert_non_null(strstr(text, "denied &amp; bad"));
	json_decref(doc);
	free(out);
}

/* push.scanned: the result up front, findings stand out */
static void payload_slack_scanned(void **state)
{
	static const char *const results[] = { "findings", "clean" };
	static const char *const icons[] = { ":rotating_light:", ":mag:" };
	struct pg_webhook w = PG_WEBHOOK_INIT;
	struct pg_error err = PG_ERROR_INIT;

	(void)state;
	w.format = PG_WEBHOOK_SLACK;
	for (int i = 0; i < 2; i++) {
		char ev[512], *out = NULL;
		json_t *doc;
		const char *text;

		snprintf(ev, sizeof(ev), "{\"id\":\"x\",\"event\":\"push.scanned\",\"result\":\"%s\",\"pusher\":\"alice\","
			 "\"repository\":\"team/app\",\"refs\":[],\"findings\":[]}", results[i]);
		assert_int_equal(pg_webhook_payload(&out, &w, ev, &err), 0);
		assert_non_null(doc = json_loads(out, 0, NULL));
		text = json_string_value(json_object_get(doc, "text"));
		assert_non_null(text);
		assert_ptr_equal(strstr(text, icons[i]), text);
		assert_non_null(strstr(text, "*push.scanned*"));
		assert_non_null(strstr(text, results[i]));
		json_decref(doc);
		free(out);
	}
}

static void payload_slack_policy_changed(void **state)
{
	struct pg_webhook w = PG_WEBHOOK_INIT;
	struct pg_error err = PG_ERROR_INIT;
	char *out = NULL;
	json_t *doc;
	const char *text;

	(void)state;
	w.format = PG_WEBHOOK_SLACK;
	assert_int_equal(pg_webhook_payload(&out, &w,
					    "{\"id\":\"x\",\"event\":\"policy.changed\",\"pusher\":\"alice\","
					    "\"repository\":\"team/app\",\"refs\":[{\"ref\":\"refs/meta/pushguard\"}],"
					    "\"findings\":[],\"policy_ref\":{\"ref\":\"refs/meta/pushguard\"},"
					    "\"changed_keys\":[\"pushguard.files.deny\"],\"changed_files\":[\"pushguard.conf\"]}",
					    &err),
			 0);
	assert_non_null(doc = json_loads(out, 0, NULL));
	text = json_string_value(json_object_get(doc, "text"));
	assert_non_null(text);
	assert_ptr_equal(strstr(text, ":scroll:"), text);
	assert_non_null(strstr(text, "*policy.changed* by alice"));
	assert_non_null(strstr(text, "changed keys: `pushguard.files.deny`; files: `pushguard.conf`"));
	json_decref(doc);
	free(out);
}

static void payload_splunk_hec(void **state)
{
	struct pg_webhook w = PG_WEBHOOK_INIT;
	struct pg_error err = PG_ERROR_INIT;
	char *out = NULL;
	json_t *doc;

	(void)state;
	w.format = PG_WEBHOOK_SPLUNK_HEC;
	assert_int_equal(pg_webhook_payload(&out, &w, EVENT, &err), 0);
	doc = json_loads(out, 0, NULL);
	assert_non_null(doc);
	assert_true(json_is_real(json_object_get(doc, "time")));
	assert_true(json_real_value(json_object_get(doc, "time")) > 1714564800.2 &&
		    json_real_value(json_object_get(doc, "time")) < 1714564800.3);
	assert_string_equal(json_string_value(json_object_get(doc, "source")), "pushguard");
	assert_string_equal(json_string_value(json_object_get(doc, "sourcetype")), "pushguard:push");
	assert_non_null(json_string_value(json_object_get(doc, "host")));
	assert_string_equal(json_string_value(json_object_get(json_object_get(doc, "event"), "id")),
			    "0b7c5e9a-1111-4222-8333-444455556666");
	json_decref(doc);
	free(out);
}

static void payload_not_json(void **state)
{
	struct pg_webhook w = PG_WEBHOOK_INIT;
	struct pg_error err = PG_ERROR_INIT;
	char *out = NULL;

	(void)state;
	w.format = PG_WEBHOOK_SLACK;
	assert_int_equal(pg_webhook_payload(&out, &w, "not json", &err), PG_EINPUT);
	assert_null(out);
}

/* Loads a policy whose repository config sets KEY = a secret file of MODE,
 * then the webhook settings; returns pg_webhook_load's code. */
static int load_with_secret_file(const char *key, mode_t mode, struct pg_error *err)
{
	char dir[] = "/tmp/pg-unit-webhook.XXXXXX", pdir[64], def[96], repo[64], secret[64], cmd[512];
	struct pg_policy p;
	struct pg_webhook w = PG_WEBHOOK_INIT;
	FILE *fp;
	int rc;

	assert_non_null(mkdtemp(dir));
	snprintf(pdir, sizeof(pdir), "%s/policies", dir);
	snprintf(def, sizeof(def), "%s/default.conf", pdir);
	snprintf(repo, sizeof(repo), "%s/config", dir);
	snprintf(secret, sizeof(secret), "%s/secret", dir);
	assert_int_equal(mkdir(pdir, 0700), 0);
	assert_non_null(fp = fopen(def, "w"));
	fclose(fp);
	assert_non_null(fp = fopen(secret, "w"));
	fputs("whsec-unit-test-value\n", fp);
	fclose(fp);
	assert_int_equal(chmod(secret, mode), 0);
	assert_non_null(fp = fopen(repo, "w"));
	fprintf(fp, "[pushguard \"webhook\"]\n\turl = https://example.invalid/hook\n\t%s = %s\n",
		strrchr(key, '.') + 1, secret);
	fclose(fp);
	pg_policy_init(&p);
	assert_true(git_libgit2_init() > 0);
	unsetenv("PUSHGUARD_SYSTEM_CONFIG");
	unsetenv("PUSHGUARD_POLICY_DIR");
	assert_int_equal(pg_policy_load(&p, &(struct pg_policy_paths){ "/nonexistent/system", pdir, repo }, err), 0);
	rc = pg_webhook_load(&w, &p, dir, NULL, err);
	pg_webhook_release(&w);
	pg_policy_release(&p);
	git_libgit2_shutdown();
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
	return rc;
}

static void secret_files_world_readable_refused(void **state)
{
	const char *keys[] = { "pushguard.webhook.secretFile", "pushguard.webhook.tokenFile" };

	(void)state;
	for (size_t i = 0; i < 2; i++) {
		struct pg_error err = PG_ERROR_INIT;

		assert_int_equal(load_with_secret_file(keys[i], 0600, &err), 0);
		assert_int_equal(load_with_secret_file(keys[i], 0640, &err), 0);
		assert_int_equal(load_with_secret_file(keys[i], 0644, &err), PG_ECONFIG);
		assert_non_null(strstr(err.msg, keys[i]));
		assert_non_null(strstr(err.msg, "chmod 600 /tmp/pg-unit-webhook."));
		assert_null(strstr(err.msg, "whsec-unit-test-value"));
	}
}

static void url_display_hides_credentials(void **state)
{
	struct pg_buf b = PG_BUF_INIT;

	(void)state;
	assert_int_equal(pg_webhook_url_display(&b, "https://bob:hunter2@hooks.example.com:8443/services/T1/B2/Zq9?token=abc#x"), 0);
	assert_string_equal(b.ptr, "https://hooks.example.com:8443/\xe2\x80\xa6");
	pg_buf_reset(&b);
	assert_int_equal(pg_webhook_url_display(&b, "HTTP://Example.COM"), 0);
	assert_string_equal(b.ptr, "http://Example.COM");
	pg_buf_reset(&b);
	assert_int_equal(pg_webhook_url_display(&b, "http://h?k=secret"), 0);
	assert_string_equal(b.ptr, "http://h/\xe2\x80\xa6");
	pg_buf_reset(&b);
	assert_int_equal(pg_webhook_url_display(&b, "user:pw@host/x"), 0);
	assert_string_equal(b.ptr, "(not a URL)");
	pg_buf_reset(&b);
	/* an @ in the path is not userinfo; a control character in the host is shown as ? */
	assert_int_equal(pg_webhook_url_display(&b, "https://h\x1b[2J/a@b"), 0);
	assert_string_equal(b.ptr, "https://h?[2J/\xe2\x80\xa6");
	pg_buf_release(&b);
}

static void destination_matches_without_credentials(void **state)
{
	const char *url = "https://bob:hunter2@hooks.example.com/services/T1/B2/Zq9secretpath?token=abc";
	char *a = NULL, *b = NULL;

	(void)state;
	assert_int_equal(pg_webhook_destination(&a, url), 0);
	assert_int_equal(pg_webhook_destination(&b, url), 0);
	assert_null(strstr(a, "hunter2"));
	assert_null(strstr(a, "bob"));
	assert_null(strstr(a, "Zq9secretpath"));
	assert_null(strstr(a, "token"));
	assert_int_equal(strncmp(a, "https://hooks.example.com/\xe2\x80\xa6 ", strlen("https://hooks.example.com/\xe2\x80\xa6 ")), 0);
	assert_null(strchr(a, '\n'));
	assert_string_not_equal(a, b); /* salted: the same URL gives another destination each time */
	assert_true(pg_webhook_destination_matches(a, url));
	assert_true(pg_webhook_destination_matches(b, url));
	assert_false(pg_webhook_destination_matches(a, "https://bob:hunter3@hooks.example.com/services/T1/B2/Zq9secretpath?token=abc"));
	assert_false(pg_webhook_destination_matches(a, "https://hooks.example.com/other"));
	assert_false(pg_webhook_destination_matches("https://x y", url));
	assert_false(pg_webhook_destination_matches(url, url)); /* an old-style URL line is not a destination */
	a[strlen(a) - 1] = a[strlen(a) - 1] == '0' ? '1' : '0';
	assert_false(pg_webhook_destination_matches(a, url));
	free(a);
	free(b);
}

/* A policy from repository config text (and an empty default policy) in a
 * fresh directory; its path in dir. */
static void policy_from(struct pg_policy *p, char dir[64], const char *config)
{
	char pdir[96], def[128], repo[96];
	struct pg_error err = PG_ERROR_INIT;
	FILE *fp;

	snprintf(dir, 64, "/tmp/pg-unit-webhook.XXXXXX");
	assert_non_null(mkdtemp(dir));
	snprintf(pdir, sizeof(pdir), "%s/policies", dir);
	snprintf(def, sizeof(def), "%s/default.conf", pdir);
	snprintf(repo, sizeof(repo), "%s/config", dir);
	assert_int_equal(mkdir(pdir, 0700), 0);
	assert_non_null(fp = fopen(def, "w"));
	fclose(fp);
	assert_non_null(fp = fopen(repo, "w"));
	fputs(config, fp);
	fclose(fp);
	pg_policy_init(p);
	unsetenv("PUSHGUARD_SYSTEM_CONFIG");
	unsetenv("PUSHGUARD_POLICY_DIR");
	/* a bad webhook URL is no problem of the policy: reporting never refuses a push */
	assert_int_equal(pg_policy_load(p, &(struct pg_policy_paths){ "/nonexistent/system", pdir, repo }, &err), 0);
}

static void rm_dir(const char *dir)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
}

static void every_bad_setting_reported(void **state)
{
	struct pg_policy p;
	struct pg_webhook w;
	struct pg_strvec problems = PG_STRVEC_INIT;
	struct pg_error err = PG_ERROR_INIT;
	char dir[64], spool[96];

	(void)state;
	assert_true(git_libgit2_init() > 0);
	policy_from(&p, dir, "[pushguard \"webhook\"]\n\turl = ftp://bob:hunter2@example.com/x\n\tevents = rejected,sometimes\n"
			     "\tretries = 21\n\ttimeout = 1h\n\tsecretFile = /nonexistent/secret\n");
	assert_int_equal(pg_webhook_load(&w, &p, dir, &problems, &err), PG_ECONFIG);
	assert_int_equal(problems.n, 5);
	/* the first problem in err: the URL, shown without its credentials */
	assert_non_null(strstr(err.msg, "pushguard.webhook.url = 'ftp://example.com/\xe2\x80\xa6' in "));
	assert_non_null(strstr(err.msg, "expected an http:// or https:// URL"));
	assert_null(strstr(err.msg, "hunter2"));
	assert_non_null(strstr(problems.v[1], "pushguard.webhook.events = 'rejected,sometimes' in "));
	assert_non_null(strstr(problems.v[2], "pushguard.webhook.timeout = '1h' in "));
	assert_non_null(strstr(problems.v[2], "100ms to 60s"));
	assert_non_null(strstr(problems.v[3], "pushguard.webhook.retries = '21' in "));
	assert_non_null(strstr(problems.v[3], "0 to 20"));
	assert_non_null(strstr(problems.v[4], "pushguard.webhook.secretFile = '/nonexistent/secret' in "));
	for (size_t i = 0; i < problems.n; i++)
		assert_non_null(strstr(problems.v[i], "/config"));
	/* still filled as far as it goes: nowhere to address events with that URL */
	assert_false(w.spoolable);
	snprintf(spool, sizeof(spool), "%s/pushguard-spool", dir);
	assert_string_equal(w.spool_dir, spool);
	assert_int_equal(w.events, PG_WEBHOOK_DEFAULT_EVENTS);
	pg_webhook_release(&w);
	pg_policy_release(&p);
	pg_strvec_release(&problems);
	rm_dir(dir);

	/* a good URL with a bad limit: events can wait in the spool */
	policy_from(&p, dir, "[pushguard \"webhook\"]\n\turl = https://example.invalid/hook\n\tretries = 100\n"
			     "\tevents = landed\n");
	assert_int_equal(pg_webhook_load(&w, &p, dir, NULL, &err), PG_ECONFIG);
	assert_non_null(strstr(err.msg, "pushguard.webhook.retries = '100'"));
	assert_true(w.spoolable);
	assert_int_equal(w.events, 1u << PG_EVENT_LANDED);
	pg_webhook_release(&w);
	pg_policy_release(&p);
	rm_dir(dir);

	/* the limits themselves are fine */
	policy_from(&p, dir, "[pushguard \"webhook\"]\n\turl = https://example.invalid/hook\n\tretries = 20\n"
			     "\ttimeout = 100ms\n");
	assert_int_equal(pg_webhook_load(&w, &p, dir, NULL, &err), 0);
	assert_int_equal(w.retries, 20);
	assert_int_equal(w.timeout_ms, 100);
	assert_true(w.spoolable);
	pg_webhook_release(&w);
	pg_policy_release(&p);
	rm_dir(dir);

	/* URLs that name no host */
	policy_from(&p, dir, "[pushguard \"webhook\"]\n\turl = https://:443/x\n");
	assert_int_equal(pg_webhook_load(&w, &p, dir, NULL, &err), PG_ECONFIG);
	assert_non_null(strstr(err.msg, "names no host"));
	pg_webhook_release(&w);
	pg_policy_release(&p);
	rm_dir(dir);
	git_libgit2_shutdown();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(github_vector),
		cmocka_unit_test(github_differs_per_body),
		cmocka_unit_test(standard_vector),
		cmocka_unit_test(standard_raw_secret_and_bad_base64),
		cmocka_unit_test(events_words),
		cmocka_unit_test(payload_json_is_the_event),
		cmocka_unit_test(payload_slack),
		cmocka_unit_test(payload_slack_scanned),
		cmocka_unit_test(payload_slack_policy_changed),
		cmocka_unit_test(payload_splunk_hec),
		cmocka_unit_test(payload_not_json),
		cmocka_unit_test(secret_files_world_readable_refused),
		cmocka_unit_test(url_display_hides_credentials),
		cmocka_unit_test(destination_matches_without_credentials),
		cmocka_unit_test(every_bad_setting_reported),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
