#include "dl.h"

#include <dlfcn.h>

static void clear(const struct pg_dl_lib *lib)
{
	for (const struct pg_dl_sym *s = lib->syms; s->name; s++)
		*s->slot = NULL;
}

int pg_dl_load(struct pg_dl_lib *lib, const char *purpose, struct pg_error *err)
{
	char why[256] = "";
	void *h;

	if (lib->handle)
		return 0;
	if (!(h = dlopen(lib->soname, RTLD_NOW | RTLD_LOCAL))) {
		const char *e = dlerror();

		clear(lib);
		return pg_error_set(err, PG_ERR, "cannot load %s for %s: %s (install %s)", lib->soname, purpose,
				    e ? e : "not found", lib->needs);
	}
	for (const struct pg_dl_sym *s = lib->syms; s->name; s++) {
		if (!(*s->slot = dlsym(h, s->name))) {
			clear(lib);
			dlclose(h);
			return pg_error_set(err, PG_ERR, "%s has no %s, which %s needs: %s required", lib->soname,
					    s->name, purpose, lib->needs);
		}
	}
	if (lib->version_ok && !lib->version_ok(why, sizeof(why))) {
		clear(lib);
		dlclose(h);
		return pg_error_set(err, PG_ERR, "%s cannot be used for %s: %s (%s required)", lib->soname, purpose,
				    why, lib->needs);
	}
	lib->handle = h;
	return 0;
}
