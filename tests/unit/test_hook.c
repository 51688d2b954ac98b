/* Unit tests for lib/hook.c: pg_hook_main as git runs it, in this process.
 * Each test builds a scratch repository with the git CLI, points GIT_DIR at
 * it, feeds the ref updates on standard input (pre-receive) or as arguments
 * (update), and checks the exit status and what the pusher reads on
 * standard error. The system file is the test's own; the policies are the
 * source tree's (run from the top of the tree, as `make unit` does). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hook.h"
#include "repo_fixture.h"

struct fx {
	struct repo_fx r;
	char system[300];  /* the system file this test writes */
	char out[65536];   /* what the hook wrote on standard error */
	char base[41];     /* C0: refs/heads/main */
	char clean[41];    /* C0 + a harmless file, no ref */
	char denied[41];   /* C0 + id_rsa, refused by the default policy's files.deny */
};

static void write_system(struct fx *fx, const char *text)
{
	FILE *f = fopen(fx->system, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static int setup(void **state)
{
	struct fx *fx = calloc(1, sizeof(*fx));

	if (!fx || repo_fx_init(&fx->r, "hook") < 0)
		return -1;
	snprintf(fx->system, sizeof(fx->system), "%s/system.conf", fx->r.dir);
	write_system(fx, "[pushguard]\n\ttimeBudget = 0\n");
	setenv("PUSHGUARD_SYSTEM_CONFIG", fx->system, 1);
	setenv("PUSHGUARD_POLICY_DIR", "policies", 1);
	setenv("PUSHGUARD_RULES_DIR", "policies/rules", 1);
	fx_write_file(&fx->r, "README", "base\n");
	fx_commit(&fx->r, "C0", fx->base);
	fx_write_file(&fx->r, "notes.txt", "nothing to see\n");
	fx_commit(&fx->r, "C1 clean", fx->clean);
	fx_sh(&fx->r, "git reset -q --hard %s", fx->base);
	fx_write_file(&fx->r, "id_rsa", "HELLO=world\n");
	fx_commit(&fx->r, "C1 with a denied file", fx->denied);
	fx_sh(&fx->r, "git reset -q --hard %s", fx->base);
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fx *fx = *state;

	unsetenv("GIT_DIR");
	unsetenv("GL_ID");
	unsetenv("PUSHGUARD_SYSTEM_CONFIG");
	unsetenv("PUSHGUARD_POLICY_DIR");
	unsetenv("PUSHGUARD_RULES_DIR");
	repo_fx_release(&fx->r);
	free(fx);
	return 0;
}

/* Runs the hook with `input` on standard input and argv; its standard error
 * lands in fx->out. Returns the exit status. */
static int run(struct fx *fx, enum pg_hook_kind kind, const char *input, int argc, char **argv)
{
	char in_path[300], err_path[300];
	int in_fd, err_fd, saved_in, saved_err, status;
	FILE *f;
	size_t n;

	snprintf(in_path, sizeof(in_path), "%s/.git/hook-input", fx->r.dir);
	snprintf(err_path, sizeof(err_path), "%s/.git/hook-stderr", fx->r.dir);
	assert_non_null(f = fopen(in_path, "w"));
	fputs(input, f);
	fclose(f);
	assert_true((in_fd = open(in_path, O_RDONLY)) >= 0);
	assert_true((err_fd = open(err_path, O_WRONLY | O_CREAT | O_TRUNC, 0600)) >= 0);
	fflush(stderr);
	saved_in = dup(0);
	saved_err = dup(2);
	dup2(in_fd, 0);
	dup2(err_fd, 2);
	clearerr(stdin);
	status = pg_hook_main(kind, argc, argv);
	fflush(stderr);
	dup2(saved_in, 0);
	dup2(saved_err, 2);
	close(saved_in);
	close(saved_err);
	close(in_fd);
	close(err_fd);
	clearerr(stdin);
	assert_non_null(f = fopen(err_path, "r"));
	n = fread(fx->out, 1, sizeof(fx->out) - 1, f);
	fx->out[n] = '\0';
	fclose(f);
	return status;
}

static int pre_receive(struct fx *fx, const char *old, const char *new, const char *ref)
{
	char line[200], gitdir[300], name[] = "pushguard-pre-receive";
	char *argv[] = { name, NULL };

	snprintf(gitdir, sizeof(gitdir), "%s/.git", fx->r.dir);
	setenv("GIT_DIR", gitdir, 1);
	snprintf(line, sizeof(line), "%s %s %s\n", old, new, ref);
	return run(fx, PG_HOOK_PRE_RECEIVE, line, 1, argv);
}

#define assert_has(hay, needle) \
	do { if (!strstr((hay), (needle))) fail_msg("no '%s' in:\n%s", (needle), (hay)); } while (0)
#define assert_lacks(hay, needle) \
	do { if (strstr((hay), (needle))) fail_msg("unexpected '%s' in:\n%s", (needle), (hay)); } while (0)

static void a_clean_push_is_accepted_in_silence(void **state)
{
	struct fx *fx = *state;

	assert_int_equal(pre_receive(fx, fx->base, fx->clean, "refs/heads/main"), 0);
	assert_lacks(fx->out, "refused");
}

static void a_denied_file_is_refused_with_its_fix(void **state)
{
	struct fx *fx = *state;

	assert_int_equal(pre_receive(fx, fx->base, fx->denied, "refs/heads/main"), 1);
	assert_has(fx->out, "refused");
	assert_has(fx->out, "id_rsa");
	assert_has(fx->out, "refs/heads/main");
}

static void warn_mode_shows_and_accepts(void **state)
{
	struct fx *fx = *state;

	write_system(fx, "[pushguard]\n\ttimeBudget = 0\n\tmode = warn\n");
	assert_int_equal(pre_receive(fx, fx->base, fx->denied, "refs/heads/main"), 0);
	assert_has(fx->out, "id_rsa");
}

static void off_mode_checks_nothing(void **state)
{
	struct fx *fx = *state;

	write_system(fx, "[pushguard]\n\tmode = off\n");
	assert_int_equal(pre_receive(fx, fx->base, fx->denied, "refs/heads/main"), 0);
	assert_string_equal(fx->out, "");
}

static void gitlab_sees_its_prefix_on_refusals(void **state)
{
	struct fx *fx = *state;

	setenv("GL_ID", "user-1", 1);
	assert_int_equal(pre_receive(fx, fx->base, fx->denied, "refs/heads/main"), 1);
	unsetenv("GL_ID");
	assert_has(fx->out, "GL-HOOK-ERR: ");
}

static void bad_input_is_refused_whatever_on_error_says(void **state)
{
	struct fx *fx = *state;

	assert_int_equal(pre_receive(fx, "nothex", fx->clean, "refs/heads/main"), 1);
	assert_has(fx->out, "nothex");
	/* the input is read before the policy: onError cannot apply to it */
	write_system(fx, "[pushguard]\n\ttimeBudget = 0\n\tonError = accept\n");
	assert_int_equal(pre_receive(fx, "nothex", fx->clean, "refs/heads/main"), 1);
}

#define MISSING "1111111111111111111111111111111111111111"

static void an_internal_error_refuses_unless_on_error_accepts(void **state)
{
	struct fx *fx = *state;

	assert_int_equal(pre_receive(fx, fx->base, MISSING, "refs/heads/main"), 1);
	assert_has(fx->out, MISSING);
	write_system(fx, "[pushguard]\n\ttimeBudget = 0\n\tonError = accept\n");
	assert_int_equal(pre_receive(fx, fx->base, MISSING, "refs/heads/main"), 0);
	assert_has(fx->out, "onError");
}

static void an_invalid_policy_is_refused_naming_the_file(void **state)
{
	struct fx *fx = *state;

	write_system(fx, "[pushguard]\n\tnoSuchKey = 1\n");
	assert_int_equal(pre_receive(fx, fx->base, fx->clean, "refs/heads/main"), 1);
	assert_has(fx->out, "nosuchkey");
	assert_has(fx->out, "system.conf");
}

static void the_update_hook_takes_its_arguments(void **state)
{
	struct fx *fx = *state;
	char gitdir[300], name[] = "pushguard-update", ref[] = "refs/heads/main";
	char *good[] = { name, ref, fx->base, fx->denied, NULL };
	char *bad[] = { name, ref, NULL };

	snprintf(gitdir, sizeof(gitdir), "%s/.git", fx->r.dir);
	setenv("GIT_DIR", gitdir, 1);
	assert_int_equal(run(fx, PG_HOOK_UPDATE, "", 4, good), 1);
	assert_has(fx->out, "id_rsa");
	assert_int_equal(run(fx, PG_HOOK_UPDATE, "", 2, bad), 1);
	assert_has(fx->out, "usage: pushguard-update");
}

static void a_chained_hook_runs_only_after_acceptance(void **state)
{
	struct fx *fx = *state;
	char gitdir[300], chain[300], name[] = "pushguard-pre-receive", opt[] = "--chain";
	char *argv[] = { name, opt, chain, NULL };
	char line[200];

	snprintf(gitdir, sizeof(gitdir), "%s/.git", fx->r.dir);
	snprintf(chain, sizeof(chain), "%s/chain.d", fx->r.dir);
	setenv("GIT_DIR", gitdir, 1);
	fx_sh(&fx->r, "mkdir chain.d && printf '#!/bin/sh\\ncat >%s/chain-saw\\necho nope >&2\\nexit 3\\n' "
		      ">chain.d/10-local && chmod +x chain.d/10-local", fx->r.dir);
	snprintf(line, sizeof(line), "%s %s refs/heads/main\n", fx->base, fx->clean);
	assert_int_equal(run(fx, PG_HOOK_PRE_RECEIVE, line, 3, argv), 1);
	assert_has(fx->out, "refused by the chained hook");
	fx_sh(&fx->r, "grep -q refs/heads/main chain-saw && rm chain-saw");
	/* a refused push never reaches the chained hook */
	snprintf(line, sizeof(line), "%s %s refs/heads/main\n", fx->base, fx->denied);
	assert_int_equal(run(fx, PG_HOOK_PRE_RECEIVE, line, 3, argv), 1);
	assert_lacks(fx->out, "chained hook");
	fx_sh(&fx->r, "test ! -e chain-saw");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(a_clean_push_is_accepted_in_silence, setup, teardown),
		cmocka_unit_test_setup_teardown(a_denied_file_is_refused_with_its_fix, setup, teardown),
		cmocka_unit_test_setup_teardown(warn_mode_shows_and_accepts, setup, teardown),
		cmocka_unit_test_setup_teardown(off_mode_checks_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(gitlab_sees_its_prefix_on_refusals, setup, teardown),
		cmocka_unit_test_setup_teardown(bad_input_is_refused_whatever_on_error_says, setup, teardown),
		cmocka_unit_test_setup_teardown(an_internal_error_refuses_unless_on_error_accepts, setup, teardown),
		cmocka_unit_test_setup_teardown(an_invalid_policy_is_refused_naming_the_file, setup, teardown),
		cmocka_unit_test_setup_teardown(the_update_hook_takes_its_arguments, setup, teardown),
		cmocka_unit_test_setup_teardown(a_chained_hook_runs_only_after_acceptance, setup, teardown),
	};

	return cmocka_run_group_tests(tests, repo_fx_group_setup, repo_fx_group_teardown);
}
