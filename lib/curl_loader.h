/* libcurl, loaded on first use rather than linked.
 *
 * Linking libcurl (and the two dozen libraries it pulls in) adds about 4 ms to
 * the start of every hook process, for every push, whether or not anything is
 * fetched. The ticket lookups (tracker.c) and webhook delivery (webhook.c)
 * call it through pg_curl once pg_curl_load() has succeeded. */
#ifndef PG_CURL_LOADER_H
#define PG_CURL_LOADER_H

#include <curl/curl.h>

#include "error.h"

struct pg_curl_api {
	__typeof__(curl_easy_cleanup) *easy_cleanup;
	__typeof__(curl_easy_getinfo) *easy_getinfo;
	__typeof__(curl_easy_init) *easy_init;
	__typeof__(curl_easy_perform) *easy_perform;
	__typeof__(curl_easy_setopt) *easy_setopt;
	__typeof__(curl_easy_strerror) *easy_strerror;
	__typeof__(curl_global_cleanup) *global_cleanup;
	__typeof__(curl_global_init) *global_init;
	__typeof__(curl_multi_add_handle) *multi_add_handle;
	__typeof__(curl_multi_cleanup) *multi_cleanup;
	__typeof__(curl_multi_info_read) *multi_info_read;
	__typeof__(curl_multi_init) *multi_init;
	__typeof__(curl_multi_perform) *multi_perform;
	__typeof__(curl_multi_poll) *multi_poll;
	__typeof__(curl_multi_remove_handle) *multi_remove_handle;
	__typeof__(curl_multi_setopt) *multi_setopt;
	__typeof__(curl_slist_append) *slist_append;
	__typeof__(curl_slist_free_all) *slist_free_all;
	__typeof__(curl_version_info) *version_info;
};

/* Filled by pg_curl_load(); all NULL before and after a failed load. */
extern struct pg_curl_api pg_curl;

/* Loads libcurl.so.4 once per process (later calls return 0 at once), and
 * refuses one older than the headers pushguard was built with.
 * purpose names the caller in the error ("the ticket lookups"). */
int pg_curl_load(const char *purpose, struct pg_error *err);

#endif
