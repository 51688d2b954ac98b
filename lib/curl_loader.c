#include "curl_loader.h"

#include <stdio.h>

#include "crypto_loader.h"
#include "dl.h"

struct pg_curl_api pg_curl;

static const struct pg_dl_sym syms[] = {
	PG_DL_SYM(pg_curl, "curl_", easy_cleanup),
	PG_DL_SYM(pg_curl, "curl_", easy_getinfo),
	PG_DL_SYM(pg_curl, "curl_", easy_init),
	PG_DL_SYM(pg_curl, "curl_", easy_perform),
	PG_DL_SYM(pg_curl, "curl_", easy_setopt),
	PG_DL_SYM(pg_curl, "curl_", easy_strerror),
	PG_DL_SYM(pg_curl, "curl_", global_cleanup),
	PG_DL_SYM(pg_curl, "curl_", global_init),
	PG_DL_SYM(pg_curl, "curl_", multi_add_handle),
	PG_DL_SYM(pg_curl, "curl_", multi_cleanup),
	PG_DL_SYM(pg_curl, "curl_", multi_info_read),
	PG_DL_SYM(pg_curl, "curl_", multi_init),
	PG_DL_SYM(pg_curl, "curl_", multi_perform),
	PG_DL_SYM(pg_curl, "curl_", multi_poll),
	PG_DL_SYM(pg_curl, "curl_", multi_remove_handle),
	PG_DL_SYM(pg_curl, "curl_", multi_setopt),
	PG_DL_SYM(pg_curl, "curl_", slist_append),
	PG_DL_SYM(pg_curl, "curl_", slist_free_all),
	PG_DL_SYM(pg_curl, "curl_", version_info),
	{ NULL, NULL },
};

/* At least the release whose headers pushguard was built with: the options
 * it sets exist there. */
static bool version_ok(char *why, size_t n)
{
	const curl_version_info_data *v = pg_curl.version_info(CURLVERSION_NOW);

	if (v && v->version_num >= LIBCURL_VERSION_NUM)
		return true;
	snprintf(why, n, "it is libcurl %s, older than the %s pushguard was built with",
		 v && v->version ? v->version : "(unknown)", LIBCURL_VERSION);
	return false;
}

static struct pg_dl_lib lib = { "libcurl.so.4", "libcurl " LIBCURL_VERSION " or later", syms, version_ok, NULL };

int pg_curl_load(const char *purpose, struct pg_error *err)
{
	struct pg_error ignored = PG_ERROR_INIT;
	int ret = pg_dl_load(&lib, purpose, err);

	/* libcurl links libcrypto: ours is loaded beside it now, in this thread.
	 * (Opened again later from another thread, glibc 2.36 loses a block of
	 * its own in _dl_map_object_deps, which valgrind reports as a leak.) A
	 * failure here is the caller's to meet when it needs libcrypto. */
	if (ret == 0)
		(void)pg_crypto_load("libcurl's companion", &ignored);
	return ret;
}
