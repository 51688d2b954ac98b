#include "hs_loader.h"

#include <stdio.h>
#include <stdlib.h>

#include "dl.h"

struct pg_hs_api pg_hs;

static const struct pg_dl_sym syms[] = {
	PG_DL_SYM(pg_hs, "hs_", alloc_scratch),
	PG_DL_SYM(pg_hs, "hs_", compile_multi),
	PG_DL_SYM(pg_hs, "hs_", deserialize_database),
	PG_DL_SYM(pg_hs, "hs_", expression_info),
	PG_DL_SYM(pg_hs, "hs_", free_compile_error),
	PG_DL_SYM(pg_hs, "hs_", free_database),
	PG_DL_SYM(pg_hs, "hs_", free_scratch),
	PG_DL_SYM(pg_hs, "hs_", scan),
	PG_DL_SYM(pg_hs, "hs_", serialize_database),
	PG_DL_SYM(pg_hs, "hs_", serialized_database_info),
	PG_DL_SYM(pg_hs, "hs_", version),
	{ NULL, NULL },
};

#define STR_(x) #x
#define STR(x) STR_(x)

/* The major version pushguard was built with: the API (and the databases
 * built at build time, prefilter.h) change between them. */
static bool version_ok(char *why, size_t n)
{
	const char *v = pg_hs.version();

	if (v && strtol(v, NULL, 10) == HS_MAJOR)
		return true;
	snprintf(why, n, "it is Hyperscan %.20s, not the %d.x pushguard was built with", v ? v : "(unknown)", HS_MAJOR);
	return false;
}

static struct pg_dl_lib lib = { "libhs.so.5", "Hyperscan " STR(HS_MAJOR) ".x (libhyperscan5)", syms, version_ok, NULL };

int pg_hs_load(struct pg_error *err)
{
	return pg_dl_load(&lib, "secret scanning", err);
}
