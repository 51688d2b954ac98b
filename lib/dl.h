/* dl: a shared library loaded on first use, from a table.
 *
 * libcurl, librnp and Hyperscan are loaded with dlopen() rather than linked:
 * linked, each adds milliseconds to the start of every hook process, for
 * every push, whether it is used or not (curl_loader.h, openpgp.c,
 * hs_loader.h). A struct pg_dl_lib names the library, its soname, the
 * symbols with the slots that receive them, and a check of the loaded
 * version; pg_dl_load() fills every slot or none, so a failed load never
 * leaves a pointer into an unloaded library. */
#ifndef PG_DL_H
#define PG_DL_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"

struct pg_dl_sym {
	const char *name; /* "curl_easy_init" */
	void **slot;      /* receives the address; NULL again when the load fails */
};

/* { "curl_" "easy_init", (void **)&pg_curl.easy_init } from PG_DL_SYM(pg_curl, "curl_", easy_init) */
#define PG_DL_SYM(api, prefix, f) { prefix #f, (void **)&(api).f }

struct pg_dl_lib {
	const char *soname;            /* "libcurl.so.4" */
	const char *needs;             /* "libcurl 7.66 or later": said when a symbol or the version is wrong */
	const struct pg_dl_sym *syms;  /* ends with { NULL, NULL } */
	/* Once every symbol is in: whether the loaded library is one pushguard
	 * works with (its version against the build's); false with a reason in
	 * why. NULL: no check. */
	bool (*version_ok)(char *why, size_t n);
	void *handle;                  /* set once loaded; later calls return at once */
};

/* Loads lib for `purpose` ("secret scanning"), once per process. Not
 * thread-safe: call it before starting threads. The error names the soname,
 * the purpose and what is wrong (not found, a missing symbol, the version). */
int pg_dl_load(struct pg_dl_lib *lib, const char *purpose, struct pg_error *err);

#endif
