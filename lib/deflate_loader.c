#include "deflate_loader.h"

#include "dl.h"

struct pg_deflate_api pg_deflate;

static const struct pg_dl_sym syms[] = {
	PG_DL_SYM(pg_deflate, "libdeflate_", alloc_decompressor),
	PG_DL_SYM(pg_deflate, "libdeflate_", free_decompressor),
	PG_DL_SYM(pg_deflate, "libdeflate_", zlib_decompress_ex),
	{ NULL, NULL },
};

/* Every symbol used has been in libdeflate since 1.0 (soname .so.0): no
 * version check beyond the symbols themselves. (Worded so that no "deflate"
 * is followed by a version number: lintian takes that for an embedded zlib.) */
static struct pg_dl_lib lib = { "libdeflate.so.0", "libdeflate0, version 1.0 or later", syms, NULL, NULL };

int pg_deflate_load(struct pg_error *err)
{
	return pg_dl_load(&lib, "reading packs quickly", err);
}

bool pg_deflate_loaded(void)
{
	return lib.handle != NULL;
}
