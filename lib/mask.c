#include "mask.h"

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "secrets.h"

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static char **secrets;
static size_t *lens;
static size_t nsecrets, alloc;

void pg_mask_excerpt(char *out, size_t n, const char *secret, size_t len)
{
	size_t keep = 0, chars = 0;

	/* whole UTF-8 characters only */
	while (keep < len && chars < PG_SECRET_EXCERPT_CHARS) {
		keep++;
		while (keep < len && ((unsigned char)secret[keep] & 0xc0) == 0x80)
			keep++;
		chars++;
	}
	snprintf(out, n, "%.*s\u2026", (int)keep, secret);
}

int pg_mask_add(const char *secret, size_t len)
{
	int ret = 0;

	if (len <= PG_SECRET_EXCERPT_CHARS || memchr(secret, '\0', len))
		return 0;
	pthread_mutex_lock(&lock);
	for (size_t i = 0; i < nsecrets; i++)
		if (lens[i] == len && !memcmp(secrets[i], secret, len))
			goto out;
	if (nsecrets == alloc) {
		size_t n = alloc ? alloc * 2 : 8;
		char **s = realloc(secrets, n * sizeof(*s));
		size_t *l = s ? realloc(lens, n * sizeof(*l)) : NULL;

		if (s)
			secrets = s;
		if (!s || !l) {
			ret = -1;
			goto out;
		}
		lens = l;
		alloc = n;
	}
	if (!(secrets[nsecrets] = strndup(secret, len))) {
		ret = -1;
		goto out;
	}
	lens[nsecrets] = len;
	__atomic_store_n(&nsecrets, nsecrets + 1, __ATOMIC_RELEASE);
out:
	pthread_mutex_unlock(&lock);
	return ret;
}

bool pg_mask_active(void)
{
	return __atomic_load_n(&nsecrets, __ATOMIC_RELAXED) != 0;
}

/* The longest registered secret at s (n bytes left), or SIZE_MAX. Called locked. */
static size_t secret_at(const char *s, size_t n)
{
	size_t best = SIZE_MAX;

	for (size_t i = 0; i < nsecrets; i++)
		if (lens[i] <= n && (best == SIZE_MAX || lens[i] > lens[best]) && !memcmp(s, secrets[i], lens[i]))
			best = i;
	return best;
}

char *pg_mask_dupn(const char *s, size_t n, size_t *out_len)
{
	struct pg_buf b = PG_BUF_INIT;
	bool any = false;
	char *d;

	n = strnlen(s, n);
	pthread_mutex_lock(&lock);
	for (size_t i = 0; i < nsecrets && !any; i++)
		any = lens[i] <= n && memmem(s, n, secrets[i], lens[i]);
	if (!any) {
		pthread_mutex_unlock(&lock);
		if ((d = strndup(s, n)) && out_len)
			*out_len = n;
		return d;
	}
	for (size_t i = 0, run = 0; i <= n; i++) {
		size_t k = i < n ? secret_at(s + i, n - i) : SIZE_MAX;
		char masked[64];

		if (i < n && k == SIZE_MAX)
			continue;
		pg_buf_add(&b, s + run, i - run);
		if (i == n)
			break;
		pg_mask_excerpt(masked, sizeof(masked), secrets[k], lens[k]);
		pg_buf_adds(&b, masked);
		i += lens[k] - 1;
		run = i + 1;
	}
	pthread_mutex_unlock(&lock);
	if (pg_buf_failed(&b)) {
		pg_buf_release(&b);
		return NULL;
	}
	if (out_len)
		*out_len = b.len;
	return pg_buf_detach(&b);
}

char *pg_mask_dup(const char *s)
{
	return s ? pg_mask_dupn(s, SIZE_MAX, NULL) : NULL;
}

void pg_mask_reset(void)
{
	pthread_mutex_lock(&lock);
	for (size_t i = 0; i < nsecrets; i++)
		free(secrets[i]);
	free(secrets);
	free(lens);
	secrets = NULL;
	lens = NULL;
	nsecrets = alloc = 0;
	pthread_mutex_unlock(&lock);
}
