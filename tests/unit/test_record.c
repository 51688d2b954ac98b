/* Unit tests for lib/record.c: where a push decision is recorded, the event id
 * a caller chooses, the background check's result (push.scanned), what
 * landed (push.landed), bad webhook settings (the event kept or recorded,
 * never a refusal) and links at the audit log's and metrics file's names. */
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

#include "clock.h"
#include "record.h"
#include "spool.h"

struct fx {
	char dir[64], audit[128], metrics[128];
	struct pg_policy p;
	struct pg_push push;
	struct pg_findings f;
	struct pg_bypass bypass;
	struct pg_verdict verdict;
};

/* a policy whose repository config holds `extra` */
static void load(struct fx *fx, const char *extra)
{
	struct pg_error err = PG_ERROR_INIT;
	char pdir[96], def[128], repo[96];
	FILE *fp;

	snprintf(pdir, sizeof(pdir), "%s/policies", fx->dir);
	snprintf(def, sizeof(def), "%s/default.conf", pdir);
	snprintf(repo, sizeof(repo), "%s/config", fx->dir);
	mkdir(pdir, 0700);
	assert_non_null(fp = fopen(def, "w"));
	fclose(fp);
	assert_non_null(fp = fopen(repo, "w"));
	fprintf(fp, "[pushguard]\n%s", extra);
	fclose(fp);
	pg_policy_release(&fx->p);
	pg_policy_init(&fx->p);
	if (pg_policy_load(&fx->p, &(struct pg_policy_paths){ "/nonexistent/system", pdir, repo }, &err) < 0)
		fail_msg("%s", err.msg);
}

static int setup(void **state)
{
	struct fx *fx = calloc(1, sizeof(*fx));
	struct pg_error err = PG_ERROR_INIT;

	if (!fx)
		return -1;
	snprintf(fx->dir, sizeof(fx->dir), "/tmp/pg-unit-record.XXXXXX");
	if (!mkdtemp(fx->dir))
		return -1;
	snprintf(fx->audit, sizeof(fx->audit), "%s/audit.jsonl", fx->dir);
	snprintf(fx->metrics, sizeof(fx->metrics), "%s/metrics.prom", fx->dir);
	unsetenv("PUSHGUARD_SYSTEM_CONFIG");
	unsetenv("PUSHGUARD_POLICY_DIR");
	unsetenv("GL_PROJECT_PATH");
	unsetenv("GITEA_REPO_USER_NAME");
	git_libgit2_init();
	pg_policy_init(&fx->p);
	fx->push = (struct pg_push)PG_PUSH_INIT;
	fx->f = (struct pg_findings)PG_FINDINGS_INIT;
	fx->bypass = (struct pg_bypass)PG_BYPASS_INIT;
	fx->verdict.start_ms = pg_clock_ms();
	if (pg_push_add_update(&fx->push, "refs/heads/main", "1111111111111111111111111111111111111111",
			       "2222222222222222222222222222222222222222", &err) < 0)
		return -1;
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fx *fx = *state;
	char cmd[128];

	pg_policy_release(&fx->p);
	pg_push_release(&fx->push);
	pg_findings_release(&fx->f);
	git_libgit2_shutdown();
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", fx->dir);
	if (system(cmd) != 0)
		return -1;
	free(fx);
	return 0;
}

static json_t *last_event(const struct fx *fx)
{
	char line[8192], last[8192] = "";
	FILE *fp = fopen(fx->audit, "r");
	json_t *ev;

	assert_non_null(fp);
	while (fgets(line, sizeof(line), fp))
		memcpy(last, line, sizeof(last));
	fclose(fp);
	assert_non_null(ev = json_loads(last, 0, NULL));
	return ev;
}

static void configured(void **state)
{
	struct fx *fx = *state;
	char extra[256];

	load(fx, "");
	assert_false(pg_record_configured(&fx->p));
	load(fx, "\tmode = warn\n");
	assert_false(pg_record_configured(&fx->p));
	snprintf(extra, sizeof(extra), "\tauditLog = %s\n", fx->audit);
	load(fx, extra);
	assert_true(pg_record_configured(&fx->p));
	snprintf(extra, sizeof(extra), "\tmetricsFile = %s\n", fx->metrics);
	load(fx, extra);
	assert_true(pg_record_configured(&fx->p));
	load(fx, "[pushguard \"webhook\"]\n\turl = https://example.invalid/hook\n");
	assert_true(pg_record_configured(&fx->p));
}

/* the hook chooses the id (the background check's hand-over names it) */
static void chosen_id(void **state)
{
	struct fx *fx = *state;
	struct pg_strvec problems = PG_STRVEC_INIT;
	char extra[256];
	json_t *ev;

	snprintf(extra, sizeof(extra), "\tauditLog = %s\n", fx->audit);
	load(fx, extra);
	fx->verdict.timed_out = fx->verdict.unchecked = true;
	pg_record(&problems, &(struct pg_record_input){ "pre-receive", &fx->push, &fx->p, &fx->f, &fx->bypass,
							&fx->verdict, NULL, "0b5e3f9c-1111-4222-8333-444455556666", NULL });
	assert_int_equal(problems.n, 0);
	ev = last_event(fx);
	assert_string_equal(json_string_value(json_object_get(ev, "id")), "0b5e3f9c-1111-4222-8333-444455556666");
	assert_string_equal(json_string_value(json_object_get(ev, "event")), "push.unchecked");
	json_decref(ev);
	pg_strvec_release(&problems);
}

static void scanned(void **state)
{
	struct fx *fx = *state;
	struct pg_strvec problems = PG_STRVEC_INIT, not_landed = PG_STRVEC_INIT;
	struct pg_error err = PG_ERROR_INIT;
	struct pg_finding_spec spec = { "secrets", "github-pat", "refs/heads/main", "2222222222222222222222222222222222222222",
					"Add", "deploy.sh", 1, "ghp_…", "fp-1", NULL };
	struct pg_record_scan scan = { "findings", "0b5e3f9c-1111-4222-8333-444455556666", &not_landed, 90000 };
	char extra[512];
	FILE *fp;
	char text[4096];
	size_t n;
	json_t *ev;

	snprintf(extra, sizeof(extra), "\tauditLog = %s\n\tmetricsFile = %s\n", fx->audit, fx->metrics);
	load(fx, extra);
	assert_int_equal(pg_findings_add(&fx->f, &spec, "GitHub token", NULL, &err), 0);
	/* a verdict that would say rejected: the scan decides the kind */
	fx->verdict.refused = true;
	pg_record(&problems, &(struct pg_record_input){ "update", &fx->push, &fx->p, &fx->f, &fx->bypass, &fx->verdict,
							NULL, NULL, &scan });
	assert_int_equal(problems.n, 0);
	ev = last_event(fx);
	assert_string_equal(json_string_value(json_object_get(ev, "event")), "push.scanned");
	assert_string_equal(json_string_value(json_object_get(ev, "result")), "findings");
	assert_string_equal(json_string_value(json_object_get(ev, "unchecked_id")), "0b5e3f9c-1111-4222-8333-444455556666");
	assert_string_equal(json_string_value(json_object_get(ev, "hook")), "update");
	assert_int_equal(json_integer_value(json_object_get(ev, "duration_ms")), 90000);
	assert_null(json_object_get(ev, "not_landed")); /* empty list: left out */
	assert_string_equal(json_string_value(json_object_get(json_array_get(json_object_get(ev, "findings"), 0), "fingerprint")),
			    "fp-1");
	assert_string_not_equal(json_string_value(json_object_get(ev, "id")), "0b5e3f9c-1111-4222-8333-444455556666");
	json_decref(ev);
	/* metrics: a background check, not a push */
	assert_non_null(fp = fopen(fx->metrics, "r"));
	n = fread(text, 1, sizeof(text) - 1, fp);
	text[n] = '\0';
	fclose(fp);
	assert_non_null(strstr(text, "pushguard_background_scans_total{"));
	assert_non_null(strstr(text, "result=\"findings\"} 1\n"));
	assert_null(strstr(text, "pushguard_pushes_total{"));
	assert_non_null(strstr(text, "pushguard_hook_duration_seconds_count 0\n"));
	pg_strvec_release(&problems);
	pg_strvec_release(&not_landed);
}

static size_t files_in(const char *dir)
{
	char cmd[256];
	FILE *fp;
	size_t n = 0;

	snprintf(cmd, sizeof(cmd), "ls '%s' 2>/dev/null | grep -c '\\.event$'", dir);
	assert_non_null(fp = popen(cmd, "r"));
	if (fscanf(fp, "%zu", &n) != 1)
		n = 0;
	pclose(fp);
	return n;
}

/* A bad webhook URL never refuses anything: the audit log has the event, the
 * pusher a line; nothing goes into a spool it could never leave. */
static void bad_url_recorded_not_spooled(void **state)
{
	struct fx *fx = *state;
	struct pg_strvec problems = PG_STRVEC_INIT;
	char extra[512], spool[128];
	json_t *ev;

	snprintf(spool, sizeof(spool), "%s/spool", fx->dir);
	snprintf(extra, sizeof(extra), "\tauditLog = %s\n[pushguard \"webhook\"]\n\turl = ftp://u:pw@example.com/x\n"
		 "\tspoolDir = %s\n", fx->audit, spool);
	load(fx, extra);
	fx->verdict.refused = true;
	pg_record(&problems, &(struct pg_record_input){ "pre-receive", &fx->push, &fx->p, &fx->f, &fx->bypass,
							&fx->verdict, NULL, NULL, NULL });
	assert_int_equal(problems.n, 2);
	assert_non_null(strstr(problems.v[0], "pushguard.webhook.url = 'ftp://example.com/"));
	assert_null(strstr(problems.v[0], "pw@"));
	assert_non_null(strstr(problems.v[1], "is not sent (the audit log has it"));
	ev = last_event(fx);
	assert_string_equal(json_string_value(json_object_get(ev, "event")), "push.rejected");
	json_decref(ev);
	assert_int_equal(access(spool, F_OK), -1);
	pg_strvec_release(&problems);
}

/* A secret file every user can read: the event waits in the spool (never
 * lost, never sent unsigned) and the line says where and what to do. */
static void unreadable_secret_spooled(void **state)
{
	struct fx *fx = *state;
	struct pg_strvec problems = PG_STRVEC_INIT;
	char extra[768], spool[128], secret[128];
	FILE *fp;

	snprintf(spool, sizeof(spool), "%s/spool", fx->dir);
	snprintf(secret, sizeof(secret), "%s/secret", fx->dir);
	assert_non_null(fp = fopen(secret, "w"));
	fputs("unit-test-signing-value\n", fp);
	fclose(fp);
	assert_int_equal(chmod(secret, 0644), 0);
	snprintf(extra, sizeof(extra), "[pushguard \"webhook\"]\n\turl = https://u:pw@example.invalid/hook\n"
		 "\tspoolDir = %s\n\tsecretFile = %s\n", spool, secret);
	load(fx, extra);
	fx->verdict.refused = true;
	pg_record(&problems, &(struct pg_record_input){ "pre-receive", &fx->push, &fx->p, &fx->f, &fx->bypass,
							&fx->verdict, NULL, NULL, NULL });
	assert_int_equal(problems.n, 1);
	assert_non_null(strstr(problems.v[0], "chmod 600 "));
	assert_non_null(strstr(problems.v[0], secret));
	assert_non_null(strstr(problems.v[0], "waits in "));
	assert_non_null(strstr(problems.v[0], spool));
	assert_null(strstr(problems.v[0], "unit-test-signing-value"));
	assert_int_equal(files_in(spool), 1);
	/* and no sender started for it: nothing holds the sender lock */
	{
		int lfd;

		assert_int_equal(pg_spool_lock(&lfd, spool, &(struct pg_error)PG_ERROR_INIT), 1);
		close(lfd);
	}
	/* the spool keeps no credentials */
	{
		char cmd[256];

		snprintf(cmd, sizeof(cmd), "grep -rq 'pw@' '%s'", spool);
		assert_int_not_equal(system(cmd), 0);
	}
	pg_strvec_release(&problems);
}

static void landed(void **state)
{
	struct fx *fx = *state;
	struct pg_strvec problems = PG_STRVEC_INIT;
	char extra[512], text[4096];
	FILE *fp;
	size_t n;
	json_t *ev;

	snprintf(extra, sizeof(extra), "\tauditLog = %s\n\tmetricsFile = %s\n", fx->audit, fx->metrics);
	load(fx, extra);
	pg_record(&problems, &(struct pg_record_input){ "post-receive", &fx->push, &fx->p, NULL, NULL, &fx->verdict,
							NULL, NULL, NULL, true });
	assert_int_equal(problems.n, 0);
	ev = last_event(fx);
	assert_string_equal(json_string_value(json_object_get(ev, "event")), "push.landed");
	assert_string_equal(json_string_value(json_object_get(ev, "hook")), "post-receive");
	assert_string_equal(json_string_value(json_object_get(json_array_get(json_object_get(ev, "refs"), 0), "new")),
			    "2222222222222222222222222222222222222222");
	assert_int_equal(json_array_size(json_object_get(ev, "findings")), 0);
	json_decref(ev);
	assert_non_null(fp = fopen(fx->metrics, "r"));
	n = fread(text, 1, sizeof(text) - 1, fp);
	text[n] = '\0';
	fclose(fp);
	assert_non_null(strstr(text, "# TYPE pushguard_ref_updates_landed_total counter\n"));
	assert_non_null(strstr(text, "pushguard_ref_updates_landed_total{repository=\""));
	assert_non_null(strstr(text, "\"} 1\n"));
	assert_null(strstr(text, "pushguard_pushes_total{"));
	pg_strvec_release(&problems);
}

/* Links at the audit log's and the metrics file's names: refused, said, not followed. */
static void links_refused(void **state)
{
	struct fx *fx = *state;
	struct pg_strvec problems = PG_STRVEC_INIT;
	char extra[512], victim[128];
	struct stat st;
	FILE *fp;

	snprintf(victim, sizeof(victim), "%s/victim", fx->dir);
	assert_non_null(fp = fopen(victim, "w"));
	fputs("keep\n", fp);
	fclose(fp);
	assert_int_equal(symlink(victim, fx->audit), 0);
	assert_int_equal(symlink(victim, fx->metrics), 0);
	snprintf(extra, sizeof(extra), "\tauditLog = %s\n\tmetricsFile = %s\n", fx->audit, fx->metrics);
	load(fx, extra);
	pg_record(&problems, &(struct pg_record_input){ "pre-receive", &fx->push, &fx->p, &fx->f, &fx->bypass,
							&fx->verdict, NULL, NULL, NULL });
	assert_int_equal(problems.n, 2);
	assert_non_null(strstr(problems.v[0], "pushguard.auditLog"));
	assert_non_null(strstr(problems.v[0], "symbolic link"));
	assert_non_null(strstr(problems.v[1], "pushguard.metricsFile"));
	assert_non_null(strstr(problems.v[1], "symbolic link"));
	assert_int_equal(stat(victim, &st), 0);
	assert_int_equal(st.st_size, 5);
	assert_int_equal(lstat(fx->metrics, &st), 0);
	assert_true(S_ISLNK(st.st_mode));
	pg_strvec_release(&problems);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(configured),
		T(chosen_id),
		T(scanned),
		T(bad_url_recorded_not_spooled),
		T(unreadable_secret_spooled),
		T(landed),
		T(links_refused),
	};
#undef T

	return cmocka_run_group_tests_name("record", tests, NULL, NULL);
}
