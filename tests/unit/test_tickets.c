/* Unit tests for lib/tickets.c's configuration: the token file's permissions, the timeout's range. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <git2.h>

#include "policy.h"
#include "tickets.h"

/* Loads a policy with a live Jira URL and a token file of MODE, then the
 * ticket settings; returns pg_tickets_config_load's code. */
static int load_with_token_file(mode_t mode, struct pg_error *err)
{
	char dir[] = "/tmp/pg-unit-tickets.XXXXXX", pdir[64], def[96], repo[64], token[64], cmd[512];
	struct pg_policy p;
	struct pg_tickets_config c;
	FILE *fp;
	int rc;

	assert_non_null(mkdtemp(dir));
	snprintf(pdir, sizeof(pdir), "%s/policies", dir);
	snprintf(def, sizeof(def), "%s/default.conf", pdir);
	snprintf(repo, sizeof(repo), "%s/config", dir);
	snprintf(token, sizeof(token), "%s/jira.token", dir);
	assert_int_equal(mkdir(pdir, 0700), 0);
	assert_non_null(fp = fopen(def, "w"));
	fclose(fp);
	assert_non_null(fp = fopen(token, "w"));
	fputs("unit-test-token-value\n", fp);
	fclose(fp);
	assert_int_equal(chmod(token, mode), 0);
	assert_non_null(fp = fopen(repo, "w"));
	fprintf(fp, "[pushguard \"tickets\"]\n\turl = https://jira.example.invalid/rest/api/2/issue/{ticket}\n"
		"\tprojects = PROJ\n\ttokenFile = %s\n", token);
	fclose(fp);
	pg_policy_init(&p);
	assert_int_equal(pg_policy_load(&p, &(struct pg_policy_paths){ "/nonexistent/system", pdir, repo }, err), 0);
	rc = pg_tickets_config_load(&c, &p, err);
	pg_tickets_config_release(&c);
	pg_policy_release(&p);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
	return rc;
}

static void token_file_private_ok(void **state)
{
	struct pg_error err = PG_ERROR_INIT;

	(void)state;
	assert_int_equal(load_with_token_file(0600, &err), 0);
}

static void token_file_group_readable_ok(void **state)
{
	struct pg_error err = PG_ERROR_INIT;

	(void)state;
	assert_int_equal(load_with_token_file(0640, &err), 0);
}

static void token_file_world_readable_refused(void **state)
{
	struct pg_error err = PG_ERROR_INIT;

	(void)state;
	assert_int_equal(load_with_token_file(0644, &err), PG_ECONFIG);
	assert_non_null(strstr(err.msg, "pushguard.tickets.tokenFile"));
	assert_non_null(strstr(err.msg, "/jira.token"));
	assert_non_null(strstr(err.msg, "chmod 600 /tmp/pg-unit-tickets."));
	assert_null(strstr(err.msg, "unit-test-token-value"));
}

static int group_setup(void **state)
{
	(void)state;
	unsetenv("PUSHGUARD_SYSTEM_CONFIG");
	unsetenv("PUSHGUARD_POLICY_DIR");
	return git_libgit2_init() < 0 ? -1 : 0;
}

static int group_teardown(void **state)
{
	(void)state;
	git_libgit2_shutdown();
	return 0;
}

/* pushguard.tickets.timeout: 100ms to 60s; outside, a configuration error naming key and origin */
static void timeout_range(void **state)
{
	static const struct {
		const char *value;
		int rc;
		int64_t ms;
	} cases[] = { { "3s", 0, 3000 }, { "100ms", 0, 100 }, { "60s", 0, 60000 }, { "1m", 0, 60000 },
		      { "1h", PG_ECONFIG, 0 }, { "61s", PG_ECONFIG, 0 }, { "99ms", PG_ECONFIG, 0 }, { "0", PG_ECONFIG, 0 } };
	char dir[] = "/tmp/pg-unit-tickets.XXXXXX", pdir[64], def[96], repo[64], cmd[512];

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(pdir, sizeof(pdir), "%s/policies", dir);
	snprintf(def, sizeof(def), "%s/default.conf", pdir);
	snprintf(repo, sizeof(repo), "%s/config", dir);
	assert_int_equal(mkdir(pdir, 0700), 0);
	fclose(fopen(def, "w"));
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		struct pg_error err = PG_ERROR_INIT;
		struct pg_tickets_config c;
		struct pg_policy p;
		int64_t ms = -1;
		FILE *fp;

		assert_non_null(fp = fopen(repo, "w"));
		fprintf(fp, "[pushguard \"tickets\"]\n\trequired = true\n\tprojects = PROJ\n\ttimeout = %s\n", cases[i].value);
		fclose(fp);
		pg_policy_init(&p);
		assert_int_equal(pg_policy_load(&p, &(struct pg_policy_paths){ "/nonexistent/system", pdir, repo }, &err), 0);
		assert_int_equal(pg_tickets_timeout(&ms, &p, &err), cases[i].rc);
		assert_int_equal(pg_tickets_config_load(&c, &p, &err), cases[i].rc);
		if (cases[i].rc) {
			char want[128];

			snprintf(want, sizeof(want), "pushguard.tickets.timeout = '%s' in %s: out of range", cases[i].value, repo);
			assert_non_null(strstr(err.msg, want));
			assert_non_null(strstr(err.msg, "100ms to 60s"));
		} else {
			assert_int_equal(ms, cases[i].ms);
			assert_int_equal(c.tracker.timeout_ms, cases[i].ms);
		}
		pg_tickets_config_release(&c);
		pg_policy_release(&p);
	}
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(token_file_private_ok),
		cmocka_unit_test(token_file_group_readable_ok),
		cmocka_unit_test(token_file_world_readable_refused),
		cmocka_unit_test(timeout_range),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
