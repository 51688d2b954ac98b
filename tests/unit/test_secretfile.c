/* Unit tests for lib/secretfile.c: token and secret files readable by every
 * user are refused, group-readable ones are not. */
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

#include "secretfile.h"

static int check_mode(mode_t mode, struct pg_error *err)
{
	char path[] = "/tmp/pg-unit-secretfile.XXXXXX";
	int fd = mkstemp(path), rc;
	FILE *fp;

	assert_true(fd >= 0);
	assert_int_equal(fchmod(fd, mode), 0);
	assert_non_null(fp = fdopen(fd, "r"));
	rc = pg_secretfile_check(fp, "pushguard.tickets.tokenFile", path, "/srv/x.git/config", err);
	fclose(fp);
	unlink(path);
	return rc;
}

static void private_file_ok(void **state)
{
	struct pg_error err = PG_ERROR_INIT;

	(void)state;
	assert_int_equal(check_mode(0600, &err), 0);
	assert_int_equal(check_mode(0400, &err), 0);
}

static void group_readable_ok(void **state)
{
	struct pg_error err = PG_ERROR_INIT;

	(void)state;
	assert_int_equal(check_mode(0640, &err), 0);
	assert_int_equal(check_mode(0660, &err), 0);
}

static void world_readable_refused(void **state)
{
	struct pg_error err = PG_ERROR_INIT;

	(void)state;
	assert_int_equal(check_mode(0644, &err), PG_ECONFIG);
	assert_non_null(strstr(err.msg, "pushguard.tickets.tokenFile"));
	assert_non_null(strstr(err.msg, "/tmp/pg-unit-secretfile."));
	assert_non_null(strstr(err.msg, "/srv/x.git/config"));
	assert_non_null(strstr(err.msg, "chmod 600 /tmp/pg-unit-secretfile."));
	assert_non_null(strstr(err.msg, "0644"));
	err = (struct pg_error)PG_ERROR_INIT;
	assert_int_equal(check_mode(0604, &err), PG_ECONFIG);
	assert_non_null(strstr(err.msg, "0604"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(private_file_ok),
		cmocka_unit_test(group_readable_ok),
		cmocka_unit_test(world_readable_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
