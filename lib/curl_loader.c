#include "curl_loader.h"

#include <dlfcn.h>

struct pg_curl_api pg_curl;

int pg_curl_load(const char *purpose, struct pg_error *err)
{
	static void *lib;
	void *h;

	if (lib)
		return 0;
	if (!(h = dlopen("libcurl.so.4", RTLD_NOW | RTLD_LOCAL)))
		return pg_error_set(err, PG_ERR, "cannot load libcurl (libcurl.so.4) for %s: %s", purpose,
				    dlerror());
#define SYM(f) do { if (!(*(void **)&pg_curl.f = dlsym(h, "curl_" #f))) goto missing; } while (0)
	SYM(easy_cleanup);
	SYM(easy_getinfo);
	SYM(easy_init);
	SYM(easy_perform);
	SYM(easy_setopt);
	SYM(easy_strerror);
	SYM(global_cleanup);
	SYM(global_init);
	SYM(multi_add_handle);
	SYM(multi_cleanup);
	SYM(multi_info_read);
	SYM(multi_init);
	SYM(multi_perform);
	SYM(multi_poll);
	SYM(multi_remove_handle);
	SYM(multi_setopt);
	SYM(slist_append);
	SYM(slist_free_all);
#undef SYM
	lib = h;
	return 0;
missing:
	dlclose(h);
	return pg_error_set(err, PG_ERR, "libcurl.so.4 lacks a function pushguard needs (libcurl 7.66 or later required)");
}
