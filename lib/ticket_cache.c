#include "ticket_cache.h"

#include "alloc.h"
#include "atomic_file.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"

#define MAGIC "pushguard-ticket-cache 1"

uint64_t pg_ticket_cache_hash(uint64_t h, const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		h ^= *p;
		h *= 0x100000001b3ULL;
	}
	h ^= 0xff; /* separator, so ("ab","c") and ("a","bc") differ */
	h *= 0x100000001b3ULL;
	return h;
}

static bool clean(const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			return false;
	return true;
}

static struct pg_ticket_cache_entry *find(const struct pg_ticket_cache *c, const char *ticket)
{
	for (size_t i = 0; i < c->n; i++)
		if (!strcmp(c->v[i].ticket, ticket))
			return &c->v[i];
	return NULL;
}

static int put(struct pg_ticket_cache *c, const char *ticket, const char *state, int64_t expires)
{
	struct pg_ticket_cache_entry *e = find(c, ticket);
	char *st;

	if (!clean(ticket) || !clean(state) || !*ticket)
		return 0;
	if (!(st = strdup(state)))
		return -1;
	if (e) {
		free(e->state);
		e->state = st;
		e->expires = expires;
		return 0;
	}
	if (c->n >= PG_TICKET_CACHE_MAX_ENTRIES) {
		free(st);
		return 0;
	}
	if (PG_GROW(c->v, c->n + 1, c->alloc) < 0) {
		free(st);
		return -1;
	}
	e = &c->v[c->n];
	if (!(e->ticket = strdup(ticket))) {
		free(st);
		return -1;
	}
	e->state = st;
	e->expires = expires;
	c->n++;
	return 0;
}

int pg_ticket_cache_load(struct pg_ticket_cache *c, const char *path, uint64_t config_hash,
			 int64_t now, struct pg_error *err)
{
	struct pg_buf content = PG_BUF_INIT;
	char chunk[8192], head[128];
	FILE *fp = NULL;
	size_t got;
	int ret = PG_ERR;

	c->config_hash = config_hash;
	if (!(c->path = strdup(path)))
		return pg_error_oom(err);
	if (!(fp = fopen(path, "r")))
		return 0; /* no cache yet */
	pg_buf_init(&content, PG_TICKET_CACHE_MAX_BYTES);
	while ((got = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		if (pg_buf_add(&content, chunk, got) < 0) {
			ret = 0; /* too big: start afresh */
			goto out;
		}
	snprintf(head, sizeof(head), MAGIC " %016" PRIx64 "\n", config_hash);
	if (strncmp(content.ptr, head, strlen(head))) {
		c->dirty = true; /* other settings: rewrite it */
		ret = 0;
		goto out;
	}
	for (char *line = content.ptr + strlen(head); *line;) {
		char *eol = strchrnul(line, '\n'), *t1, *t2, *end;
		long long exp;

		if (*eol)
			*eol++ = '\0';
		t1 = strchr(line, '\t');
		t2 = t1 ? strchr(t1 + 1, '\t') : NULL;
		if (t2) {
			*t1 = *t2 = '\0';
			exp = strtoll(t1 + 1, &end, 10);
			if (end != t1 + 1 && !*end && exp > now && put(c, line, t2 + 1, exp) < 0) {
				ret = pg_error_oom(err);
				goto out;
			}
		}
		line = eol;
	}
	ret = 0;
out:
	if (fp)
		fclose(fp);
	pg_buf_release(&content);
	return ret;
}

const struct pg_ticket_cache_entry *pg_ticket_cache_get(const struct pg_ticket_cache *c,
							 const char *ticket, int64_t now)
{
	const struct pg_ticket_cache_entry *e = find(c, ticket);

	return e && e->expires > now ? e : NULL;
}

int pg_ticket_cache_put(struct pg_ticket_cache *c, const char *ticket, const char *state,
			int64_t expires, struct pg_error *err)
{
	if (put(c, ticket, state ? state : "", expires) < 0)
		return pg_error_oom(err);
	c->dirty = true;
	return 0;
}

int pg_ticket_cache_save(struct pg_ticket_cache *c, int64_t now, struct pg_error *err)
{
	struct pg_buf text = PG_BUF_INIT;
	int ret = PG_ERR;

	if (!c->dirty || !c->path)
		return 0;
	pg_buf_init(&text, PG_TICKET_CACHE_MAX_BYTES);
	pg_buf_addf(&text, MAGIC " %016" PRIx64 "\n", c->config_hash);
	for (size_t i = 0; i < c->n; i++)
		if (c->v[i].expires > now &&
		    pg_buf_addf(&text, "%s\t%lld\t%s\n", c->v[i].ticket, (long long)c->v[i].expires,
				c->v[i].state) < 0)
			break; /* over the cap: keep what fits */
	if ((ret = pg_atomic_file_write(c->path, text.ptr, text.len, 0600, "the ticket cache", err)) < 0)
		goto out;
	c->dirty = false;
	ret = 0;
out:
	pg_buf_release(&text);
	return ret;
}

void pg_ticket_cache_release(struct pg_ticket_cache *c)
{
	for (size_t i = 0; i < c->n; i++) {
		free(c->v[i].ticket);
		free(c->v[i].state);
	}
	free(c->v);
	free(c->path);
	*c = (struct pg_ticket_cache)PG_TICKET_CACHE_INIT;
}
