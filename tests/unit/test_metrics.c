/* Unit tests for lib/metrics.c: Prometheus text format, accumulation, escaping,
 * what landed, no symbolic links followed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "metrics.h"

#define SCRATCH "/tmp/pg-unit"

static char dir[256], path[300];

static int setup(void **state)
{
	(void)state;
	if (mkdir(SCRATCH, 0700) < 0 && errno != EEXIST)
		return -1;
	snprintf(dir, sizeof(dir), SCRATCH "/metrics.XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	snprintf(path, sizeof(path), "%s/pushguard.prom", dir);
	return 0;
}

static int teardown(void **state)
{
	char lock[320];

	(void)state;
	snprintf(lock, sizeof(lock), "%s.lock", path);
	unlink(path);
	unlink(lock);
	rmdir(dir);
	return 0;
}

static char *slurp(void)
{
	static char buf[65536];
	FILE *fp = fopen(path, "r");
	size_t n;

	assert_non_null(fp);
	n = fread(buf, 1, sizeof(buf) - 1, fp);
	buf[n] = '\0';
	fclose(fp);
	return buf;
}

static void counts_and_histogram(void **state)
{
	struct pg_findings f = PG_FINDINGS_INIT;
	struct pg_error err = PG_ERROR_INIT;
	struct pg_finding_spec a = { "files", "deny", "refs/heads/main", NULL, NULL, "id_rsa", 0, NULL, NULL, NULL };
	struct pg_finding_spec allowed = { "secret", "aws", "refs/heads/main", NULL, NULL, "x", 1, NULL, NULL, "inline" };
	struct pg_finding_spec low = { "secrets", "generic-password", "refs/heads/main", NULL, NULL, "docs/a.md", 3,
				       NULL, NULL, NULL, PG_CONFIDENCE_LOW, true };
	char *t;

	(void)state;
	assert_int_equal(pg_findings_add(&f, &a, "m", NULL, &err), 0);
	assert_int_equal(pg_findings_add(&f, &a, "m", NULL, &err), 0);
	assert_int_equal(pg_findings_add(&f, &allowed, "m", NULL, &err), 0);
	assert_int_equal(pg_findings_add(&f, &low, "m", NULL, &err), 0);
	assert_int_equal(pg_metrics_update(path, "team/app", "rejected", &f, 30, &err), 0);
	assert_int_equal(pg_metrics_update(path, "team/app", "rejected", &f, 3000, &err), 0);
	assert_int_equal(pg_metrics_update(path, "other\"repo\\", "accepted", NULL, 7, &err), 0);
	t = slurp();
	assert_non_null(strstr(t, "# TYPE pushguard_pushes_total counter\n"));
	assert_non_null(strstr(t, "\npushguard_pushes_total{repository=\"team/app\",event=\"rejected\"} 2\n"));
	assert_non_null(strstr(t, "\npushguard_pushes_total{repository=\"other\\\"repo\\\\\",event=\"accepted\"} 1\n"));
	assert_non_null(strstr(t, "# TYPE pushguard_findings_total counter\n"));
	assert_non_null(strstr(t, "\npushguard_findings_total{repository=\"team/app\",check=\"files\",rule=\"deny\",confidence=\"high\"} 4\n"));
	/* below pushguard.secrets.block: its own family, with the confidence */
	assert_non_null(strstr(t, "# TYPE pushguard_warnings_total counter\n"));
	assert_non_null(strstr(t, "\npushguard_warnings_total{repository=\"team/app\",check=\"secrets\",rule=\"generic-password\",confidence=\"low\"} 2\n"));
	assert_null(strstr(t, "pushguard_findings_total{repository=\"team/app\",check=\"secrets\""));
	assert_null(strstr(t, "rule=\"aws\"")); /* allowed findings are not counted */
	assert_non_null(strstr(t, "# TYPE pushguard_hook_duration_seconds histogram\n"));
	assert_non_null(strstr(t, "\npushguard_hook_duration_seconds_bucket{le=\"0.01\"} 1\n"));
	assert_non_null(strstr(t, "\npushguard_hook_duration_seconds_bucket{le=\"0.05\"} 2\n"));
	assert_non_null(strstr(t, "\npushguard_hook_duration_seconds_bucket{le=\"2.5\"} 2\n"));
	assert_non_null(strstr(t, "\npushguard_hook_duration_seconds_bucket{le=\"5\"} 3\n"));
	assert_non_null(strstr(t, "\npushguard_hook_duration_seconds_bucket{le=\"+Inf\"} 3\n"));
	assert_non_null(strstr(t, "\npushguard_hook_duration_seconds_sum 3.037\n"));
	assert_non_null(strstr(t, "\npushguard_hook_duration_seconds_count 3\n"));
	/* every sample line is "name{labels} value" or "name value" */
	for (char *l = t; *l; l = strchr(l, '\n') + 1) {
		if (*l != '#')
			assert_int_equal(strncmp(l, "pushguard_", 10), 0);
	}
	pg_findings_release(&f);
}

/* push.scanned: its own counter, findings counted, the hook histogram untouched */
static void background_scans(void **state)
{
	struct pg_findings f = PG_FINDINGS_INIT;
	struct pg_error err = PG_ERROR_INIT;
	struct pg_finding_spec a = { "secret", "github-pat", "refs/heads/main", NULL, NULL, "x", 1, NULL, NULL, NULL };
	char *t;

	(void)state;
	assert_int_equal(pg_findings_add(&f, &a, "m", NULL, &err), 0);
	assert_int_equal(pg_metrics_update(path, "team/app", "unchecked", NULL, 4100, &err), 0);
	assert_null(strstr(slurp(), "background")); /* no family before the first check */
	assert_int_equal(pg_metrics_update_scan(path, "team/app", "findings", &f, &err), 0);
	assert_int_equal(pg_metrics_update_scan(path, "team/app", "clean", NULL, &err), 0);
	t = slurp();
	assert_non_null(strstr(t, "# TYPE pushguard_background_scans_total counter\n"));
	assert_non_null(strstr(t, "\npushguard_background_scans_total{repository=\"team/app\",result=\"findings\"} 1\n"));
	assert_non_null(strstr(t, "\npushguard_background_scans_total{repository=\"team/app\",result=\"clean\"} 1\n"));
	assert_non_null(strstr(t, "\npushguard_findings_total{repository=\"team/app\",check=\"secret\",rule=\"github-pat\",confidence=\"high\"} 1\n"));
	assert_non_null(strstr(t, "\npushguard_pushes_total{repository=\"team/app\",event=\"unchecked\"} 1\n"));
	assert_null(strstr(t, "event=\"scanned\"")); /* not a push decision */
	assert_non_null(strstr(t, "\npushguard_hook_duration_seconds_count 1\n"));
	assert_non_null(strstr(t, "\npushguard_hook_duration_seconds_bucket{le=\"5\"} 1\n"));
	/* a later push keeps the family */
	assert_int_equal(pg_metrics_update(path, "team/app", "accepted", NULL, 10, &err), 0);
	t = slurp();
	assert_non_null(strstr(t, "\npushguard_background_scans_total{repository=\"team/app\",result=\"clean\"} 1\n"));
	assert_non_null(strstr(t, "\npushguard_hook_duration_seconds_count 2\n"));
	pg_findings_release(&f);
}

/* push.landed: its own counter, by the number of refs; no push, no duration */
static void landed_updates(void **state)
{
	struct pg_error err = PG_ERROR_INIT;
	char *t;

	(void)state;
	assert_int_equal(pg_metrics_update(path, "team/app", "accepted", NULL, 10, &err), 0);
	assert_null(strstr(slurp(), "landed")); /* no family before the first */
	assert_int_equal(pg_metrics_update_landed(path, "team/app", 3, &err), 0);
	assert_int_equal(pg_metrics_update_landed(path, "team/app", 1, &err), 0);
	t = slurp();
	assert_non_null(strstr(t, "# TYPE pushguard_ref_updates_landed_total counter\n"));
	assert_non_null(strstr(t, "\npushguard_ref_updates_landed_total{repository=\"team/app\"} 4\n"));
	assert_non_null(strstr(t, "\npushguard_pushes_total{repository=\"team/app\",event=\"accepted\"} 1\n"));
	assert_null(strstr(t, "event=\"landed\""));
	assert_non_null(strstr(t, "\npushguard_hook_duration_seconds_count 1\n"));
}

/* links at the file's name, the lock's name or as the directory: refused, not followed */
static void links_refused(void **state)
{
	struct pg_error err = PG_ERROR_INIT;
	const char *line = "pushguard_pushes_total{repository=\"secret-repo\",event=\"accepted\"} 7\n";
	char victim[320], lock[320], sub[320], via[400];
	struct stat st;
	FILE *fp;

	(void)state;
	snprintf(victim, sizeof(victim), "%s/victim", dir);
	assert_non_null(fp = fopen(victim, "w"));
	fputs(line, fp);
	fclose(fp);
	assert_int_equal(symlink(victim, path), 0);
	assert_int_equal(pg_metrics_update(path, "r", "accepted", NULL, 1, &err), PG_ERR);
	assert_non_null(strstr(err.msg, "symbolic link"));
	assert_non_null(strstr(err.msg, "pushguard.metricsFile"));
	assert_int_equal(stat(victim, &st), 0);
	assert_int_equal(st.st_size, strlen(line));
	assert_int_equal(unlink(path), 0);
	snprintf(lock, sizeof(lock), "%s.lock", path);
	unlink(lock);
	assert_int_equal(symlink(victim, lock), 0);
	assert_int_equal(pg_metrics_update(path, "r", "accepted", NULL, 1, &err), PG_ERR);
	assert_non_null(strstr(err.msg, "the lock file"));
	assert_non_null(strstr(err.msg, "symbolic link"));
	assert_int_equal(access(path, F_OK), -1);
	assert_int_equal(unlink(lock), 0);
	snprintf(sub, sizeof(sub), "%s/via", dir);
	assert_int_equal(symlink(dir, sub), 0);
	snprintf(via, sizeof(via), "%s/pushguard.prom", sub);
	assert_int_equal(pg_metrics_update(via, "r", "accepted", NULL, 1, &err), PG_ERR);
	assert_non_null(strstr(err.msg, "its directory"));
	assert_int_equal(access(path, F_OK), -1);
	/* the real path */
	assert_int_equal(pg_metrics_update(path, "r", "accepted", NULL, 1, &err), 0);
	assert_null(strstr(slurp(), "secret-repo"));
	unlink(sub);
	unlink(victim);
}

static void unwritable(void **state)
{
	struct pg_error err = PG_ERROR_INIT;

	(void)state;
	assert_int_equal(pg_metrics_update("/nonexistent-dir/x.prom", "r", "accepted", NULL, 1, &err), PG_ERR);
	assert_non_null(strstr(err.msg, "pushguard.metricsFile"));
}

/* A metrics file larger than the reader takes (32 MiB) is an error: it is
 * never rewritten from the part that was read (buf.h: a failed buffer). */
static void too_large_is_not_rewritten(void **state)
{
	struct pg_error err = PG_ERROR_INIT;
	struct stat st;
	FILE *fp = fopen(path, "w");

	(void)state;
	assert_non_null(fp);
	fputs("# HELP pushguard_pushes_total Push decisions by repository and event.\n", fp);
	for (int i = 0; i < 700000; i++)
		fprintf(fp, "pushguard_pushes_total{repository=\"r%06d\",event=\"accepted\"} 1\n", i);
	fclose(fp);
	assert_int_equal(stat(path, &st), 0);
	assert_true(st.st_size > (32 << 20));
	assert_int_equal(pg_metrics_update(path, "r", "accepted", NULL, 1, &err), PG_ERR);
	assert_non_null(strstr(err.msg, "too large"));
	{
		struct stat after;

		assert_int_equal(stat(path, &after), 0);
		assert_int_equal(after.st_size, st.st_size);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(counts_and_histogram, setup, teardown),
		cmocka_unit_test_setup_teardown(background_scans, setup, teardown),
		cmocka_unit_test_setup_teardown(landed_updates, setup, teardown),
		cmocka_unit_test_setup_teardown(links_refused, setup, teardown),
		cmocka_unit_test(unwritable),
		cmocka_unit_test_setup_teardown(too_large_is_not_rewritten, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
