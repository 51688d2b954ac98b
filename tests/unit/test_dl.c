/* pg_dl_load: a library that is missing, one that lacks a symbol, one of the
 * wrong version, and one that loads (zlib stands in: every build links it). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "curl_loader.h"
#include "dl.h"
#include "deflate_loader.h"
#include "hs_loader.h"

static struct {
	const char *(*zlibVersion)(void);
	unsigned long (*crc32)(unsigned long, const unsigned char *, unsigned);
	void *nothing;
} Z;

static bool version_fails(char *why, size_t n)
{
	snprintf(why, n, "it is zlib %s", Z.zlibVersion());
	return false;
}

static void test_missing_library(void **state)
{
	struct pg_dl_sym syms[] = { PG_DL_SYM(Z, "", zlibVersion), { NULL, NULL } };
	struct pg_dl_lib lib = { "libpushguard-no-such-library.so.7", "libnosuch 1.0", syms, NULL, NULL };
	struct pg_error err = PG_ERROR_INIT;

	(void)state;
	Z.zlibVersion = (void *)&err; /* stale, as after an earlier failure */
	assert_int_equal(pg_dl_load(&lib, "the test", &err), PG_ERR);
	assert_non_null(strstr(err.msg, "cannot load libpushguard-no-such-library.so.7 for the test"));
	assert_non_null(strstr(err.msg, "install libnosuch 1.0"));
	assert_null(Z.zlibVersion);
	assert_null(lib.handle);
}

static void test_missing_symbol_leaves_nothing(void **state)
{
	struct pg_dl_sym syms[] = { PG_DL_SYM(Z, "", zlibVersion), PG_DL_SYM(Z, "", crc32),
				    { "pg_no_such_function", &Z.nothing }, { NULL, NULL } };
	struct pg_dl_lib lib = { "libz.so.1", "zlib 1.2", syms, NULL, NULL };
	struct pg_error err = PG_ERROR_INIT;

	(void)state;
	assert_int_equal(pg_dl_load(&lib, "the test", &err), PG_ERR);
	assert_non_null(strstr(err.msg, "libz.so.1 has no pg_no_such_function, which the test needs: zlib 1.2 required"));
	/* the symbols found before the missing one are not left pointing into an unloaded library */
	assert_null(Z.zlibVersion);
	assert_null(Z.crc32);
	assert_null(lib.handle);
}

static void test_wrong_version_leaves_nothing(void **state)
{
	struct pg_dl_sym syms[] = { PG_DL_SYM(Z, "", zlibVersion), { NULL, NULL } };
	struct pg_dl_lib lib = { "libz.so.1", "zlib 9", syms, version_fails, NULL };
	struct pg_error err = PG_ERROR_INIT;

	(void)state;
	assert_int_equal(pg_dl_load(&lib, "the test", &err), PG_ERR);
	assert_non_null(strstr(err.msg, "libz.so.1 cannot be used for the test: it is zlib "));
	assert_non_null(strstr(err.msg, "(zlib 9 required)"));
	assert_null(Z.zlibVersion);
	assert_null(lib.handle);
}

static void test_loads_once(void **state)
{
	struct pg_dl_sym syms[] = { PG_DL_SYM(Z, "", zlibVersion), PG_DL_SYM(Z, "", crc32), { NULL, NULL } };
	struct pg_dl_lib lib = { "libz.so.1", "zlib", syms, NULL, NULL };
	struct pg_error err = PG_ERROR_INIT;
	void *h;

	(void)state;
	assert_int_equal(pg_dl_load(&lib, "the test", &err), PG_OK);
	assert_non_null(lib.handle);
	assert_int_equal(Z.crc32(0, (const unsigned char *)"a", 1), 0xe8b7be43UL);
	assert_true(Z.zlibVersion()[0] == '1');
	h = lib.handle;
	assert_int_equal(pg_dl_load(&lib, "the test", &err), PG_OK);
	assert_ptr_equal(lib.handle, h);
}

/* The real tables: every symbol pushguard calls exists in the installed
 * libraries, and their versions pass. */
static void test_real_libraries_load(void **state)
{
	struct pg_error err = PG_ERROR_INIT;

	(void)state;
	assert_int_equal(pg_hs_load(&err), PG_OK);
	assert_non_null(pg_hs.scan);
	assert_int_equal(pg_curl_load("the test", &err), PG_OK);
	assert_non_null(pg_curl.version_info);
	assert_int_equal(pg_deflate_load(&err), PG_OK);
	assert_true(pg_deflate_loaded());
	assert_non_null(pg_deflate.zlib_decompress_ex);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_missing_library),
		cmocka_unit_test(test_missing_symbol_leaves_nothing),
		cmocka_unit_test(test_wrong_version_leaves_nothing),
		cmocka_unit_test(test_loads_once),
		cmocka_unit_test(test_real_libraries_load),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
