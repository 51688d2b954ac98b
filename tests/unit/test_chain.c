/* Unit tests for lib/chain.c: chained hooks run in name order with the push's
 * input; pg_chain_run stops at the first that refuses and names it,
 * pg_chain_run_all (post-receive) runs every one and names the first that
 * failed; what is not a hook is skipped. */
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

#include "chain.h"

struct fx {
	char dir[64];
	char log[96];
};

static int setup(void **state)
{
	struct fx *fx = calloc(1, sizeof(*fx));

	if (!fx)
		return -1;
	snprintf(fx->dir, sizeof(fx->dir), "/tmp/pg-unit-chain.XXXXXX");
	if (!mkdtemp(fx->dir))
		return -1;
	snprintf(fx->log, sizeof(fx->log), "%s/log", fx->dir);
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fx *fx = *state;
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", fx->dir);
	if (system(cmd) != 0)
		return -1;
	free(fx);
	return 0;
}

/* A hook NAME that appends "NAME <its stdin>" to the log and exits with status. */
static void hook(struct fx *fx, const char *name, int status, mode_t mode)
{
	char path[160];
	FILE *fp;

	snprintf(path, sizeof(path), "%s/%s", fx->dir, name);
	assert_non_null(fp = fopen(path, "w"));
	fprintf(fp, "#!/bin/sh\nprintf '%%s %%s\\n' '%s' \"$(cat)\" >>'%s'\nexit %d\n", name, fx->log, status);
	fclose(fp);
	assert_int_equal(chmod(path, mode), 0);
}

static char *slurp(const char *path)
{
	static char buf[4096];
	FILE *fp = fopen(path, "r");
	size_t n = 0;

	if (fp) {
		n = fread(buf, 1, sizeof(buf) - 1, fp);
		fclose(fp);
	}
	buf[n] = '\0';
	return buf;
}

static void stops_at_first_refusal(void **state)
{
	struct fx *fx = *state;
	struct pg_error err = PG_ERROR_INIT;
	char *refused = NULL, want[160];

	hook(fx, "10-ok", 0, 0755);
	hook(fx, "20-no", 3, 0755);
	hook(fx, "30-after", 0, 0755);
	hook(fx, "40-not-executable", 0, 0644);
	hook(fx, "50-x.sample", 0, 0755);
	assert_int_equal(pg_chain_run(&refused, fx->dir, NULL, 0, "old new ref", 11, &err), 1);
	snprintf(want, sizeof(want), "%s/20-no", fx->dir);
	assert_string_equal(refused, want);
	assert_string_equal(slurp(fx->log), "10-ok old new ref\n20-no old new ref\n");
	free(refused);
}

static void all_run_for_post_receive(void **state)
{
	struct fx *fx = *state;
	struct pg_error err = PG_ERROR_INIT;
	char *failed = NULL, want[160];

	hook(fx, "10-no", 1, 0755);
	hook(fx, "20-no-either", 2, 0755);
	hook(fx, "30-ok", 0, 0755);
	assert_int_equal(pg_chain_run_all(&failed, fx->dir, NULL, 0, "o n r", 5, &err), 1);
	snprintf(want, sizeof(want), "%s/10-no", fx->dir);
	assert_string_equal(failed, want); /* the first that failed */
	assert_string_equal(slurp(fx->log), "10-no o n r\n20-no-either o n r\n30-ok o n r\n");
	free(failed);
	failed = NULL;
	/* none there: nothing to do */
	assert_int_equal(pg_chain_run_all(&failed, "/nonexistent/dir", NULL, 0, "", 0, &err), 0);
	assert_null(failed);
	assert_int_equal(pg_chain_run_all(&failed, NULL, NULL, 0, "", 0, &err), 0);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(stops_at_first_refusal),
		T(all_run_for_post_receive),
	};
#undef T

	return cmocka_run_group_tests_name("chain", tests, NULL, NULL);
}
