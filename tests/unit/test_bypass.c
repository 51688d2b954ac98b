/* Unit tests for lib/bypass.c: who may bypass, the reason, what the pusher reads. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <git2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bypass.h"

#define SCRATCH "/tmp/pg-unit"

struct fx {
	char dir[256], sys[300], repo[300], pdir[300];
	struct pg_policy p;
	struct pg_push push;
	struct pg_bypass b;
	struct pg_buf out;
};

static void write_file(const char *path, const char *content)
{
	FILE *fp = fopen(path, "w");

	if (!fp)
		fail_msg("cannot write %s: %s", path, strerror(errno));
	fputs(content, fp);
	fclose(fp);
}

static int group_setup(void **state)
{
	(void)state;
	return git_libgit2_init() < 0 ? -1 : 0;
}

static int group_teardown(void **state)
{
	(void)state;
	git_libgit2_shutdown();
	return 0;
}

static int setup(void **state)
{
	struct fx *fx = calloc(1, sizeof(*fx));
	char def[400];

	if (!fx)
		return -1;
	if (mkdir(SCRATCH, 0700) < 0 && errno != EEXIST)
		return -1;
	snprintf(fx->dir, sizeof(fx->dir), SCRATCH "/bypass.XXXXXX");
	if (!mkdtemp(fx->dir))
		return -1;
	snprintf(fx->sys, sizeof(fx->sys), "%s/system.conf", fx->dir);
	snprintf(fx->repo, sizeof(fx->repo), "%s/config", fx->dir);
	snprintf(fx->pdir, sizeof(fx->pdir), "%s", fx->dir);
	snprintf(def, sizeof(def), "%s/default.conf", fx->dir);
	write_file(def, "");
	write_file(fx->sys, "");
	pg_policy_init(&fx->p);
	fx->push = (struct pg_push)PG_PUSH_INIT;
	fx->out = (struct pg_buf)PG_BUF_INIT;
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fx *fx = *state;
	char def[400];

	pg_bypass_release(&fx->b);
	pg_policy_release(&fx->p);
	pg_push_release(&fx->push);
	pg_buf_release(&fx->out);
	snprintf(def, sizeof(def), "%s/default.conf", fx->dir);
	unlink(def);
	unlink(fx->sys);
	unlink(fx->repo);
	rmdir(fx->dir);
	free(fx);
	return 0;
}

/* repo config, pusher, push options; then decide */
static void decide(struct fx *fx, const char *config, const char *pusher, const char *option)
{
	struct pg_error err = PG_ERROR_INIT;
	struct pg_policy_paths paths = { fx->sys, fx->pdir, fx->repo };

	write_file(fx->repo, config);
	assert_int_equal(pg_policy_load(&fx->p, &paths, &err), 0);
	fx->push.pusher = pusher ? strdup(pusher) : NULL;
	if (option)
		assert_int_equal(pg_strvec_push(&fx->push.options, option), 0);
	assert_int_equal(pg_bypass_decide(&fx->b, &fx->push, &fx->p), 0);
}

static const char *USERS = "[pushguard]\n\tbypassUsers = alice\n\tbypassUsers = bob\n";

static void honoured(void **state)
{
	struct fx *fx = *state;

	decide(fx, USERS, "bob", "pushguard.bypass=prod down, INC-7");
	assert_true(fx->b.requested);
	assert_true(fx->b.honoured);
	assert_string_equal(fx->b.reason, "prod down, INC-7");
	assert_null(fx->b.refused);
	pg_bypass_render(&fx->out, &fx->b, 2);
	assert_non_null(strstr(fx->out.ptr, "bypass honoured: prod down, INC-7"));
	assert_non_null(strstr(fx->out.ptr, "2 problems overridden"));
}

static void not_requested(void **state)
{
	struct fx *fx = *state;

	decide(fx, USERS, "bob", "ticket=PROJ-1");
	assert_false(fx->b.requested);
	assert_false(fx->b.honoured);
	pg_bypass_render(&fx->out, &fx->b, 0);
	assert_int_equal(fx->out.len, 0);
}

static void not_listed(void **state)
{
	struct fx *fx = *state;

	decide(fx, USERS, "mallory", "pushguard.bypass=trust me");
	assert_true(fx->b.requested);
	assert_false(fx->b.honoured);
	assert_non_null(strstr(fx->b.refused, "not listed in pushguard.bypassUsers"));
	pg_bypass_render(&fx->out, &fx->b, 0);
	assert_non_null(strstr(fx->out.ptr, "bypass not honoured"));
}

static void no_users_configured(void **state)
{
	struct fx *fx = *state;

	decide(fx, "", "alice", "pushguard.bypass=x");
	assert_false(fx->b.honoured);
	assert_non_null(strstr(fx->b.refused, "no bypass users"));
}

static void no_reason(void **state)
{
	struct fx *fx = *state;

	decide(fx, USERS, "alice", "pushguard.bypass");
	assert_true(fx->b.requested);
	assert_false(fx->b.honoured);
	assert_non_null(strstr(fx->b.refused, "needs a reason"));
}

static void blank_reason(void **state)
{
	struct fx *fx = *state;

	decide(fx, USERS, "alice", "pushguard.bypass=   ");
	assert_false(fx->b.honoured);
	assert_non_null(strstr(fx->b.refused, "needs a reason"));
}

static void similar_option_is_not_bypass(void **state)
{
	struct fx *fx = *state;

	decide(fx, USERS, "alice", "pushguard.bypassed=yes");
	assert_false(fx->b.requested);
}

static void reason_sanitised_and_capped(void **state)
{
	struct fx *fx = *state;
	char opt[2000];

	snprintf(opt, sizeof(opt), "pushguard.bypass=a\x1b[31mb");
	memset(opt + strlen(opt), 'x', sizeof(opt) - 1 - strlen(opt));
	opt[sizeof(opt) - 1] = '\0';
	decide(fx, USERS, "alice", opt);
	assert_true(fx->b.honoured);
	assert_null(strchr(fx->b.reason, '\x1b'));
	assert_int_equal(strncmp(fx->b.reason, "a?[31mb", 7), 0);
	assert_true(strlen(fx->b.reason) <= PG_BYPASS_MAX_REASON);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(honoured, setup, teardown),
		cmocka_unit_test_setup_teardown(not_requested, setup, teardown),
		cmocka_unit_test_setup_teardown(not_listed, setup, teardown),
		cmocka_unit_test_setup_teardown(no_users_configured, setup, teardown),
		cmocka_unit_test_setup_teardown(no_reason, setup, teardown),
		cmocka_unit_test_setup_teardown(blank_reason, setup, teardown),
		cmocka_unit_test_setup_teardown(similar_option_is_not_bypass, setup, teardown),
		cmocka_unit_test_setup_teardown(reason_sanitised_and_capped, setup, teardown),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
