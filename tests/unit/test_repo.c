/* pg_repo_global_init: libgit2 started as every pushguard program starts it.
 * pushguard uses none of libgit2's network transports, and the executables
 * skip starting them (lib/libgit2_no_net.c): a connection through libgit2
 * must fail with an error, never reach the skipped set-up (a crash). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <dlfcn.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "pushguard.h"

static int setup(void **state)
{
	struct pg_error err = PG_ERROR_INIT;

	(void)state;
	return pg_repo_global_init(&err) < 0 ? -1 : 0;
}

static int teardown(void **state)
{
	(void)state;
	git_libgit2_shutdown();
	return 0;
}

/* libgit2's code is in this program (make's default), not a shared library */
static bool libgit2_linked_in(void)
{
	Dl_info info;

	return !dladdr((void *)git_libgit2_version, &info) || !info.dli_fname ||
	       !strstr(info.dli_fname, "libgit2");
}

/* Connects an in-memory remote to url for a fetch; returns libgit2's result
 * and copies its last error message into msg. */
static int connect_to(const char *url, char *msg, size_t n)
{
	git_remote *remote = NULL;
	const git_error *e;
	int rc;

	msg[0] = '\0';
	assert_int_equal(git_remote_create_detached(&remote, url), 0);
	rc = git_remote_connect(remote, GIT_DIRECTION_FETCH, NULL, NULL, NULL);
	if ((e = git_error_last()) && e->message)
		snprintf(msg, n, "%s", e->message);
	git_remote_free(remote);
	return rc;
}

static void test_tls_connection_refused(void **state)
{
	char msg[512];

	(void)state;
	/* nothing listens there: the refusal comes before any connection */
	assert_true(connect_to("https://127.0.0.1:9/repo.git", msg, sizeof(msg)) < 0);
	assert_non_null(strstr(msg, "pushguard opens no TLS connections through libgit2"));
}

static void test_ssh_connection_refused(void **state)
{
	char msg[512];

	(void)state;
	assert_true(connect_to("ssh://git@127.0.0.1:9/repo.git", msg, sizeof(msg)) < 0);
	if (libgit2_linked_in()) /* shared: libssh2 is there, and the connection itself fails */
		assert_non_null(strstr(msg, "pushguard opens no SSH connections through libgit2"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tls_connection_refused),
		cmocka_unit_test(test_ssh_connection_refused),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
