#include "push.h"

#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "identity.h"

#define MAX_INPUT ((size_t)64 << 20)
#define MAX_PUSH_OPTIONS 1000

bool pg_oid_hex_is_zero(const char *hex)
{
	for (; *hex; hex++)
		if (*hex != '0')
			return false;
	return true;
}

static bool is_hex_oid(const char *s, size_t len)
{
	if (len != 40 && len != 64)
		return false;
	for (size_t i = 0; i < len; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return false;
	return true;
}

void pg_push_release(struct pg_push *push)
{
	for (size_t i = 0; i < push->nupdates; i++)
		free(push->updates[i].ref);
	free(push->updates);
	pg_strvec_release(&push->options);
	free(push->pusher);
	free(push->protocol);
	pg_buf_release(&push->raw_input);
	*push = (struct pg_push)PG_PUSH_INIT;
}

static int add(struct pg_push *push, const char *ref, size_t reflen, const char *old,
	       const char *new, size_t hexlen, struct pg_error *err)
{
	struct pg_ref_update *u;

	if (push->nupdates >= PG_MAX_REF_UPDATES)
		return pg_error_set(err, PG_EINPUT, "push updates more than %d refs", PG_MAX_REF_UPDATES);
	if (PG_GROW(push->updates, push->nupdates + 1, push->alloc) < 0)
		return pg_error_oom(err);
	u = &push->updates[push->nupdates];
	memset(u, 0, sizeof(*u));
	if (!(u->ref = strndup(ref, reflen)))
		return pg_error_oom(err);
	memcpy(u->old, old, hexlen);
	memcpy(u->new, new, hexlen);
	u->created = pg_oid_hex_is_zero(u->old);
	u->deleted = pg_oid_hex_is_zero(u->new);
	if (!strncmp(u->ref, "refs/heads/", 11)) {
		u->kind = PG_REF_BRANCH;
		u->short_name = u->ref + 11;
	} else if (!strncmp(u->ref, "refs/tags/", 10)) {
		u->kind = PG_REF_TAG;
		u->short_name = u->ref + 10;
	} else {
		u->kind = PG_REF_OTHER;
		u->short_name = u->ref;
	}
	push->nupdates++;
	return 0;
}

static int check_ref(const char *ref, size_t len)
{
	if (len < 5 || memcmp(ref, "refs/", 5))
		return -1;
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)ref[i] < 0x20 || ref[i] == 0x7f)
			return -1;
	return 0;
}

int pg_push_add_update(struct pg_push *push, const char *ref, const char *old,
		       const char *new, struct pg_error *err)
{
	size_t hexlen = strlen(old);

	if (!is_hex_oid(old, hexlen) || strlen(new) != hexlen || !is_hex_oid(new, hexlen))
		return pg_error_set(err, PG_EINPUT, "update hook: invalid object ids '%.80s' '%.80s' for %.200s",
				    old, new, ref);
	if (check_ref(ref, strlen(ref)) < 0)
		return pg_error_set(err, PG_EINPUT, "update hook: invalid ref name '%.200s'", ref);
	return add(push, ref, strlen(ref), old, new, hexlen, err);
}

int pg_push_add_line(struct pg_push *push, const char *line, size_t len, size_t lineno,
		     struct pg_error *err)
{
	const char *sp1 = memchr(line, ' ', len), *sp2;
	size_t hexlen;

	if (len && line[len - 1] == '\r')
		len--;
	if (!sp1)
		goto bad;
	hexlen = (size_t)(sp1 - line);
	if (!is_hex_oid(line, hexlen) || len < 2 * hexlen + 3)
		goto bad;
	sp2 = line + 2 * hexlen + 1;
	if (*sp2 != ' ' || !is_hex_oid(sp1 + 1, hexlen))
		goto bad;
	if (check_ref(sp2 + 1, (size_t)(line + len - sp2 - 1)) < 0 || memchr(sp2 + 1, ' ', (size_t)(line + len - sp2 - 1)))
		goto bad;
	{
		char old[PG_HEX_MAX + 1] = "", new[PG_HEX_MAX + 1] = "";

		memcpy(old, line, hexlen);
		memcpy(new, sp1 + 1, hexlen);
		return add(push, sp2 + 1, (size_t)(line + len - sp2 - 1), old, new, hexlen, err);
	}
bad:
	return pg_error_set(err, PG_EINPUT, "pre-receive input line %zu is not 'OLD NEW REF': '%.*s'",
			    lineno, (int)(len < 120 ? len : 120), line);
}

int pg_push_read(struct pg_push *push, FILE *in, struct pg_error *err)
{
	char chunk[65536];
	size_t n, lineno = 0;
	const char *p, *end;

	pg_buf_init(&push->raw_input, MAX_INPUT);
	while ((n = fread(chunk, 1, sizeof(chunk), in)) > 0)
		if (pg_buf_add(&push->raw_input, chunk, n) < 0)
			return pg_error_set(err, PG_EINPUT, "pre-receive input exceeds %zu bytes", MAX_INPUT);
	if (ferror(in))
		return pg_error_set(err, PG_ERR, "cannot read pre-receive input");
	p = push->raw_input.ptr;
	end = p + push->raw_input.len;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);

		lineno++;
		if (len && pg_push_add_line(push, p, len, lineno, err) < 0)
			return err->code;
		p += len + 1;
	}
	return 0;
}

int pg_push_read_env(struct pg_push *push, struct pg_error *err)
{
	const char *count = getenv("GIT_PUSH_OPTION_COUNT");
	long n = 0;

	if (count && *count) {
		char *end;

		n = strtol(count, &end, 10);
		if (*end || n < 0 || n > MAX_PUSH_OPTIONS)
			return pg_error_set(err, PG_EINPUT, "GIT_PUSH_OPTION_COUNT is not a count: '%.40s'", count);
	}
	for (long i = 0; i < n; i++) {
		char name[64];
		const char *v;

		snprintf(name, sizeof(name), "GIT_PUSH_OPTION_%ld", i);
		v = getenv(name);
		if (pg_strvec_push(&push->options, v ? v : "") < 0)
			return pg_error_oom(err);
	}
	return pg_identity_resolve(&push->pusher, &push->pusher_source, &push->protocol, err);
}

/* ---- the handle and its accessors (pushguard.h) ---- */

int pg_push_new(struct pg_push **out, struct pg_error *err)
{
	static const struct pg_push init = PG_PUSH_INIT;

	if (!(*out = malloc(sizeof(**out))))
		return pg_error_oom(err);
	**out = init;
	return 0;
}

void pg_push_free(struct pg_push *push)
{
	if (!push)
		return;
	pg_push_release(push);
	free(push);
}

size_t pg_push_nupdates(const struct pg_push *push)
{
	return push->nupdates;
}

struct pg_ref_update *pg_push_update_at(struct pg_push *push, size_t i)
{
	return i < push->nupdates ? &push->updates[i] : NULL;
}
