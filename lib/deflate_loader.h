/* libdeflate, loaded on first use rather than linked.
 *
 * The pack reader (packread.h) inflates every blob of a history scan or a
 * large push: with zlib that is a quarter of a history scan's CPU time.
 * libdeflate inflates a whole buffer of known size two to three times as
 * fast (it checks the same Adler-32). Linked, it would add about 0.2 ms to
 * the start of every hook process; a one-commit push never reads a pack. When
 * it cannot be loaded, the reader inflates with zlib, as before: slower,
 * never different. */
#ifndef PG_DEFLATE_LOADER_H
#define PG_DEFLATE_LOADER_H

#include <libdeflate.h>
#include <stdbool.h>

#include "error.h"

struct pg_deflate_api {
	__typeof__(libdeflate_alloc_decompressor) *alloc_decompressor;
	__typeof__(libdeflate_free_decompressor) *free_decompressor;
	__typeof__(libdeflate_zlib_decompress_ex) *zlib_decompress_ex;
};

/* Filled by pg_deflate_load(); all NULL before and after a failed load. */
extern struct pg_deflate_api pg_deflate;

/* Loads libdeflate.so.0 once per process (later calls return 0 at once).
 * Not thread-safe: call it before starting threads. */
int pg_deflate_load(struct pg_error *err);

/* Whether pg_deflate is usable (a load succeeded). */
bool pg_deflate_loaded(void);

#endif
