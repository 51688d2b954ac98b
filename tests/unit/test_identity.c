/* Unit tests for lib/identity.c: who pushed, over what. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "identity.h"

/* In precedence order. */
static const char *const pusher_vars[] = {
	"GL_USERNAME", "GITEA_PUSHER_NAME", "GL_USER", "GITHUB_USER_LOGIN",
	"REMOTE_USER", "PUSHGUARD_PUSHER",
};
#define NPUSHER (sizeof(pusher_vars) / sizeof(*pusher_vars))

static const char *const protocol_vars[] = {
	"GL_PROTOCOL", "REQUEST_METHOD", "SSH_CONNECTION", "SSH_CLIENT", "REMOTE_ADDR",
};

struct fx {
	char *pusher;
	const char *source;
	char *protocol;
	struct pg_error err;
};

static void clear_env(void)
{
	for (size_t i = 0; i < NPUSHER; i++)
		unsetenv(pusher_vars[i]);
	for (size_t i = 0; i < sizeof(protocol_vars) / sizeof(*protocol_vars); i++)
		unsetenv(protocol_vars[i]);
}

static int setup(void **state)
{
	struct fx *fx = calloc(1, sizeof(*fx));

	if (!fx)
		return -1;
	clear_env();
	*state = fx;
	return 0;
}

static void reset(struct fx *fx)
{
	free(fx->pusher);
	free(fx->protocol);
	fx->pusher = fx->protocol = NULL;
	fx->source = NULL;
	fx->err = (struct pg_error)PG_ERROR_INIT;
}

static int teardown(void **state)
{
	struct fx *fx = *state;

	reset(fx);
	free(fx);
	clear_env();
	return 0;
}

static void resolve(struct fx *fx)
{
	reset(fx);
	assert_int_equal(pg_identity_resolve(&fx->pusher, &fx->source, &fx->protocol, &fx->err), PG_OK);
	assert_non_null(fx->pusher);
	assert_non_null(fx->source);
	assert_non_null(fx->protocol);
}

static void test_each_variable_alone(void **state)
{
	struct fx *fx = *state;

	for (size_t i = 0; i < NPUSHER; i++) {
		char value[64];

		clear_env();
		snprintf(value, sizeof(value), "user-from-%zu", i);
		setenv(pusher_vars[i], value, 1);
		resolve(fx);
		assert_string_equal(fx->pusher, value);
		assert_string_equal(fx->source, pusher_vars[i]);
	}
}

static void test_precedence(void **state)
{
	struct fx *fx = *state;
	char value[64];

	for (size_t i = 0; i < NPUSHER; i++) {
		snprintf(value, sizeof(value), "who-%s", pusher_vars[i]);
		setenv(pusher_vars[i], value, 1);
	}
	/* remove the winner one at a time: the next one in line takes over */
	for (size_t i = 0; i < NPUSHER; i++) {
		resolve(fx);
		snprintf(value, sizeof(value), "who-%s", pusher_vars[i]);
		assert_string_equal(fx->pusher, value);
		assert_string_equal(fx->source, pusher_vars[i]);
		unsetenv(pusher_vars[i]);
	}
}

static void test_precedence_reverse_setting_order(void **state)
{
	struct fx *fx = *state;

	/* the order variables were set in does not matter */
	setenv("PUSHGUARD_PUSHER", "forced", 1);
	setenv("REMOTE_USER", "http-user", 1);
	setenv("GL_USER", "gitolite-user", 1);
	resolve(fx);
	assert_string_equal(fx->pusher, "gitolite-user");
	assert_string_equal(fx->source, "GL_USER");
}

static void test_empty_values_skipped(void **state)
{
	struct fx *fx = *state;

	setenv("GL_USERNAME", "", 1);
	setenv("GITEA_PUSHER_NAME", "", 1);
	setenv("GL_USER", "carol", 1);
	setenv("REMOTE_USER", "dave", 1);
	resolve(fx);
	assert_string_equal(fx->pusher, "carol");
	assert_string_equal(fx->source, "GL_USER");

	unsetenv("GL_USER");
	setenv("GITHUB_USER_LOGIN", "", 1);
	resolve(fx);
	assert_string_equal(fx->pusher, "dave");
	assert_string_equal(fx->source, "REMOTE_USER");
}

static void test_unix_user_fallback(void **state)
{
	struct fx *fx = *state;
	struct passwd *pw = getpwuid(geteuid());
	char uid[32];

	/* every variable empty counts as unset */
	for (size_t i = 0; i < NPUSHER; i++)
		setenv(pusher_vars[i], "", 1);
	resolve(fx);
	snprintf(uid, sizeof(uid), "uid:%u", (unsigned)geteuid());
	assert_string_equal(fx->pusher, pw && pw->pw_name ? pw->pw_name : uid);
	for (size_t i = 0; i < NPUSHER; i++)
		assert_string_not_equal(fx->source, pusher_vars[i]);
	assert_true(strlen(fx->source) > 0);
}

static void test_pusher_is_a_copy(void **state)
{
	struct fx *fx = *state;

	setenv("GL_USERNAME", "alice", 1);
	resolve(fx);
	setenv("GL_USERNAME", "mallory", 1);
	assert_string_equal(fx->pusher, "alice");
}

static void test_protocol_gl_protocol(void **state)
{
	struct fx *fx = *state;

	setenv("GL_PROTOCOL", "web", 1);
	setenv("REQUEST_METHOD", "POST", 1);
	setenv("SSH_CONNECTION", "10.0.0.1 5555 10.0.0.2 22", 1);
	setenv("REMOTE_ADDR", "10.0.0.1", 1);
	resolve(fx);
	assert_string_equal(fx->protocol, "web");

	/* an empty GL_PROTOCOL falls through */
	setenv("GL_PROTOCOL", "", 1);
	resolve(fx);
	assert_string_equal(fx->protocol, "http");
}

static void test_protocol_http(void **state)
{
	struct fx *fx = *state;

	setenv("REQUEST_METHOD", "POST", 1);
	setenv("SSH_CONNECTION", "10.0.0.1 5555 10.0.0.2 22", 1);
	setenv("REMOTE_ADDR", "10.0.0.1", 1);
	resolve(fx);
	assert_string_equal(fx->protocol, "http");
}

static void test_protocol_ssh(void **state)
{
	struct fx *fx = *state;

	setenv("SSH_CONNECTION", "10.0.0.1 5555 10.0.0.2 22", 1);
	setenv("REMOTE_ADDR", "10.0.0.1", 1);
	resolve(fx);
	assert_string_equal(fx->protocol, "ssh");

	/* older sshd sets only SSH_CLIENT */
	unsetenv("SSH_CONNECTION");
	setenv("SSH_CLIENT", "10.0.0.1 5555 22", 1);
	resolve(fx);
	assert_string_equal(fx->protocol, "ssh");
}

static void test_protocol_git_daemon(void **state)
{
	struct fx *fx = *state;

	setenv("REMOTE_ADDR", "10.0.0.1", 1);
	resolve(fx);
	assert_string_equal(fx->protocol, "git");
}

static void test_protocol_local(void **state)
{
	struct fx *fx = *state;

	resolve(fx);
	assert_string_equal(fx->protocol, "local");
}

static void test_protocol_independent_of_pusher(void **state)
{
	struct fx *fx = *state;

	setenv("GL_USERNAME", "alice", 1);
	setenv("SSH_CONNECTION", "10.0.0.1 5555 10.0.0.2 22", 1);
	resolve(fx);
	assert_string_equal(fx->pusher, "alice");
	assert_string_equal(fx->source, "GL_USERNAME");
	assert_string_equal(fx->protocol, "ssh");
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_each_variable_alone),
		T(test_precedence),
		T(test_precedence_reverse_setting_order),
		T(test_empty_values_skipped),
		T(test_unix_user_fallback),
		T(test_pusher_is_a_copy),
		T(test_protocol_gl_protocol),
		T(test_protocol_http),
		T(test_protocol_ssh),
		T(test_protocol_git_daemon),
		T(test_protocol_local),
		T(test_protocol_independent_of_pusher),
	};
#undef T

	return cmocka_run_group_tests_name("identity", tests, NULL, NULL);
}
