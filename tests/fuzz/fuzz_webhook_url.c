/* libFuzzer target for the URL handling of lib/webhook.c: the input, cut at its
 * first NUL, is a pushguard.webhook.url. How it is shown (pg_webhook_url_display)
 * must never hold what follows "user:password@" or the host; the spool
 * destination made for it (pg_webhook_destination) must match it and hold no
 * more of it than that display; and the input read as a spool destination
 * (pg_webhook_destination_matches) must never crash. Values are bounded as
 * config values are.
 *
 *   make fuzz && build-fuzz/fuzz_webhook_url -max_total_time=60 tests/fuzz/corpus_webhook_url
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "webhook.h"

#define MAX_URL 4096

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pg_buf shown = PG_BUF_INIT;
	char *url, *dest = NULL;

	if (size > MAX_URL || !(url = malloc(size + 1)))
		return 0;
	memcpy(url, data, size);
	url[size] = '\0';
	if (pg_webhook_url_display(&shown, url) < 0)
		abort();
	/* the path, query and userinfo never shown: nothing after the authority but "/…" */
	if (strstr(url, "://") && strstr(shown.ptr, "://")) {
		const char *after = strstr(shown.ptr, "://") + 3;
		const char *slash = strchr(after, '/');

		if (slash && strcmp(slash, "/\xe2\x80\xa6"))
			abort();
		if (strchr(after, '@'))
			abort();
	}
	if (!strchr(url, '\n')) {
		if (pg_webhook_destination(&dest, url) < 0)
			abort();
		if (!pg_webhook_destination_matches(dest, url) || strncmp(dest, shown.ptr, shown.len) ||
		    dest[shown.len] != ' ')
			abort();
	}
	(void)pg_webhook_destination_matches(url, "https://example.com/hook");
	free(dest);
	free(url);
	pg_buf_release(&shown);
	return 0;
}
