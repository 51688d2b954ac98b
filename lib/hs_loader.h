/* Hyperscan, loaded on first use rather than linked.
 *
 * Linking libhs (and the C++ runtime it brings) adds about 1.5 ms to the start
 * of every hook process; only pushes of more than a few hundred kilobytes and
 * `pushguard scan` use it (prefilter.c), through pg_hs once pg_hs_load() has
 * succeeded. */
#ifndef PG_HS_LOADER_H
#define PG_HS_LOADER_H

#include <hs.h>

#include "error.h"

struct pg_hs_api {
	__typeof__(hs_alloc_scratch) *alloc_scratch;
	__typeof__(hs_compile_multi) *compile_multi;
	__typeof__(hs_deserialize_database) *deserialize_database;
	__typeof__(hs_expression_info) *expression_info;
	__typeof__(hs_free_compile_error) *free_compile_error;
	__typeof__(hs_free_database) *free_database;
	__typeof__(hs_free_scratch) *free_scratch;
	__typeof__(hs_scan) *scan;
	__typeof__(hs_serialize_database) *serialize_database;
	__typeof__(hs_serialized_database_info) *serialized_database_info;
	__typeof__(hs_version) *version;
};

/* Filled by pg_hs_load(); all NULL before and after a failed load. */
extern struct pg_hs_api pg_hs;

/* Loads libhs.so.5 once per process (later calls return 0 at once), of the
 * major version pushguard was built with. Not thread-safe: call it before
 * starting threads. */
int pg_hs_load(struct pg_error *err);

#endif
