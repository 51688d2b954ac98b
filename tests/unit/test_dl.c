/* pg_dl_load: a library that is missing, one that lacks a symbol, one of the
 * wrong version, and one that loads (zlib stands in: every build links it). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "crypto_loader.h"
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

/* libcrypto is loaded by whichever thread needs it first (a scan's workers
 * key finding ids and read DER key files): every thread sees it loaded and
 * working, and SHA-256 through it is SHA-256. */
static void *crypto_thread(void *arg)
{
	struct pg_error err = PG_ERROR_INIT;
	unsigned char md[32];
	unsigned int n = 0;
	int *ok = arg;

	*ok = pg_crypto_load("the test", &err) == PG_OK &&
	      pg_crypto.EVP_Digest("abc", 3, md, &n, pg_crypto.EVP_sha256(), NULL) == 1 && n == 32 &&
	      !memcmp(md, "\xba\x78\x16\xbf\x8f\x01\xcf\xea\x41\x41\x40\xde\x5d\xae\x22\x23"
			  "\xb0\x03\x61\xa3\x96\x17\x7a\x9c\xb4\x10\xff\x61\xf2\x00\x15\xad", 32);
	return NULL;
}

static void test_crypto_loads_once_from_any_thread(void **state)
{
	pthread_t t[4];
	int ok[4] = { 0 };

	(void)state;
	for (int i = 0; i < 4; i++)
		assert_int_equal(pthread_create(&t[i], NULL, crypto_thread, &ok[i]), 0);
	for (int i = 0; i < 4; i++) {
		pthread_join(t[i], NULL);
		assert_true(ok[i]);
	}
	assert_non_null(pg_crypto.OPENSSL_sk_pop_free);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_missing_library),
		cmocka_unit_test(test_missing_symbol_leaves_nothing),
		cmocka_unit_test(test_wrong_version_leaves_nothing),
		cmocka_unit_test(test_loads_once),
		cmocka_unit_test(test_crypto_loads_once_from_any_thread), /* first: libcurl loads it too */
		cmocka_unit_test(test_real_libraries_load),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
