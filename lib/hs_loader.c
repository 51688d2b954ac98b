#include "hs_loader.h"

#include <dlfcn.h>

struct pg_hs_api pg_hs;

int pg_hs_load(struct pg_error *err)
{
	static void *lib;
	void *h;

	if (lib)
		return 0;
	if (!(h = dlopen("libhs.so.5", RTLD_NOW | RTLD_LOCAL)))
		return pg_error_set(err, PG_ERR, "cannot load Hyperscan (libhs.so.5) for secret scanning: %s",
				    dlerror());
#define SYM(f) do { if (!(*(void **)&pg_hs.f = dlsym(h, "hs_" #f))) goto missing; } while (0)
	SYM(alloc_scratch);
	SYM(compile_multi);
	SYM(deserialize_database);
	SYM(expression_info);
	SYM(free_compile_error);
	SYM(free_database);
	SYM(free_scratch);
	SYM(scan);
	SYM(serialize_database);
	SYM(serialized_database_info);
	SYM(version);
#undef SYM
	lib = h;
	return 0;
missing:
	dlclose(h);
	return pg_error_set(err, PG_ERR, "Hyperscan (libhs.so.5) lacks a function pushguard needs");
}
