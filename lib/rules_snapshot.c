#include "rules_snapshot.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "build-config.h"

#define NONE 0xffffffffu

/* ---- writing ------------------------------------------------------------- */

static void put_u32(struct pg_buf *b, uint32_t v)
{
	unsigned char x[4] = { (unsigned char)v, (unsigned char)(v >> 8), (unsigned char)(v >> 16),
			       (unsigned char)(v >> 24) };

	pg_buf_add(b, x, sizeof(x));
}

static void put_u64(struct pg_buf *b, uint64_t v)
{
	put_u32(b, (uint32_t)v);
	put_u32(b, (uint32_t)(v >> 32));
}

static void put_str(struct pg_buf *b, const char *s)
{
	size_t n = s ? strlen(s) : 0;

	put_u32(b, s ? (uint32_t)n : NONE);
	pg_buf_add(b, s, n);
}

static void put_strvec(struct pg_buf *b, const struct pg_strvec *sv)
{
	put_u32(b, (uint32_t)sv->n);
	for (size_t i = 0; i < sv->n; i++)
		put_str(b, sv->v[i]);
}

/* "NAME:REST" -> REST; NULL when s does not start with name and a colon */
static const char *after_name(const char *s, const char *name)
{
	size_t n = strlen(name);

	return s && !strncmp(s, name, n) && s[n] == ':' ? s + n + 1 : NULL;
}

static int put_regex(struct pg_buf *b, const struct pg_regex *re, const char *name, struct pg_error *err)
{
	const char *where;

	if (!re) {
		put_str(b, NULL);
		return 0;
	}
	if (!(where = after_name(pg_regex_what(re), name)))
		return pg_error_set(err, PG_ECONFIG, "%s: a pattern from another file (%s) cannot be in its snapshot",
				    name, pg_regex_what(re));
	put_str(b, pg_regex_pattern(re));
	put_str(b, where);
	return 0;
}

static int put_regexes(struct pg_buf *b, struct pg_regex *const *v, size_t n, const char *name,
		       struct pg_error *err)
{
	put_u32(b, (uint32_t)n);
	for (size_t i = 0; i < n; i++)
		if (put_regex(b, v[i], name, err) < 0)
			return PG_ECONFIG;
	return 0;
}

static int put_allowlist(struct pg_buf *b, const struct pg_allowlist *al, const char *name, struct pg_error *err)
{
	put_str(b, al->description);
	put_u32(b, al->match_all);
	put_strvec(b, &al->commits);
	if (put_regexes(b, al->paths, al->npaths, name, err) < 0 ||
	    put_regexes(b, al->regexes, al->nregexes, name, err) < 0)
		return PG_ECONFIG;
	put_u32(b, (uint32_t)al->regex_target);
	put_strvec(b, &al->stopwords);
	return 0;
}

static int put_allowlists(struct pg_buf *b, const struct pg_allowlist *v, size_t n, const char *name,
			  struct pg_error *err)
{
	put_u32(b, (uint32_t)n);
	for (size_t i = 0; i < n; i++)
		if (put_allowlist(b, &v[i], name, err) < 0)
			return PG_ECONFIG;
	return 0;
}

static int put_rule(struct pg_buf *b, const struct pg_rule *r, const char *name, struct pg_error *err)
{
	const char *line = after_name(r->origin, name);
	uint64_t entropy;

	if (!line)
		return pg_error_set(err, PG_ECONFIG, "%s: rule '%s' comes from another file (%s)", name, r->id,
				    r->origin ? r->origin : "(unknown)");
	if (r->regex && (!r->regex_src || strcmp(r->regex_src, pg_regex_pattern(r->regex))))
		return pg_error_set(err, PG_ECONFIG, "%s: rule '%s': its pattern and source differ", name, r->id);
	memcpy(&entropy, &r->entropy, sizeof(entropy));
	put_str(b, r->id);
	put_str(b, r->description);
	if (put_regex(b, r->regex, name, err) < 0)
		return PG_ECONFIG;
	put_u32(b, (uint32_t)r->secret_group);
	put_u64(b, entropy);
	put_strvec(b, &r->keywords);
	if (put_regex(b, r->path, name, err) < 0)
		return PG_ECONFIG;
	put_strvec(b, &r->tags);
	if (put_allowlists(b, r->allowlists, r->nallowlists, name, err) < 0)
		return PG_ECONFIG;
	put_str(b, line);
	put_u32(b, (uint32_t)r->confidence);
	put_u32(b, (uint32_t)r->value_check);
	put_u32(b, (uint32_t)r->key_group);
	put_u32(b, (uint32_t)r->user_group);
	put_u32(b, r->skip_report);
	return 0;
}

int pg_rules_snapshot_write(struct pg_buf *out, const struct pg_ruleset *rs, const char *name,
			    const char *toml, size_t len, struct pg_error *err)
{
	pg_buf_adds(out, PG_RULES_SNAPSHOT_MAGIC);
	put_u64(out, len);
	put_u32(out, (uint32_t)crc32_z(0, (const unsigned char *)toml, len));
	put_str(out, PG_VERSION);
	put_u32(out, (uint32_t)rs->n);
	for (size_t i = 0; i < rs->n; i++)
		if (put_rule(out, &rs->rules[i], name, err) < 0)
			return PG_ECONFIG;
	if (put_allowlists(out, rs->allowlists, rs->nallowlists, name, err) < 0)
		return PG_ECONFIG;
	return pg_buf_failed(out) ? pg_error_oom(err) : 0;
}

/* ---- reading ------------------------------------------------------------- */

struct cursor {
	const unsigned char *p, *end;
	const char *name;  /* the TOML file's, for origins and patterns */
	bool bad;          /* malformed: the snapshot is not used */
	bool nomem;
};

static uint32_t get_u32(struct cursor *c)
{
	uint32_t v;

	if (c->bad || c->end - c->p < 4) {
		c->bad = true;
		return 0;
	}
	v = (uint32_t)c->p[0] | (uint32_t)c->p[1] << 8 | (uint32_t)c->p[2] << 16 | (uint32_t)c->p[3] << 24;
	c->p += 4;
	return v;
}

static uint64_t get_u64(struct cursor *c)
{
	uint64_t lo = get_u32(c);

	return lo | (uint64_t)get_u32(c) << 32;
}

/* A count of items each at least `least` bytes long: never more than the rest
 * of the snapshot holds, so a damaged count cannot ask for a huge array. */
static size_t get_count(struct cursor *c, size_t least)
{
	uint32_t n = get_u32(c);

	if (!c->bad && (size_t)n > (size_t)(c->end - c->p) / least)
		c->bad = true;
	return c->bad ? 0 : n;
}

/* A string (malloc'ed), or NULL with *none set for none. */
static char *get_str(struct cursor *c, bool *none)
{
	uint32_t n = get_u32(c);
	char *s;

	*none = n == NONE;
	if (c->bad || *none)
		return NULL;
	if ((size_t)n > (size_t)(c->end - c->p) || memchr(c->p, '\0', n)) {
		c->bad = true;
		return NULL;
	}
	if (!(s = malloc((size_t)n + 1))) {
		c->nomem = c->bad = true;
		return NULL;
	}
	memcpy(s, c->p, n);
	s[n] = '\0';
	c->p += n;
	return s;
}

/* A string that must be there */
static char *get_some(struct cursor *c)
{
	bool none;
	char *s = get_str(c, &none);

	if (none)
		c->bad = true;
	return s;
}

/* The strings go into sv as read (pg_strvec_push would copy each again). */
static int get_strvec(struct cursor *c, struct pg_strvec *sv)
{
	size_t n = get_count(c, 4);

	if (!n)
		return c->bad ? -1 : 0;
	if (!(sv->v = calloc(n, sizeof(*sv->v)))) {
		c->nomem = c->bad = true;
		return -1;
	}
	sv->alloc = n;
	for (; sv->n < n && !c->bad; sv->n++)
		sv->v[sv->n] = get_some(c);
	return c->bad ? -1 : 0;
}

/* "NAME:REST", malloc'ed */
static char *with_name(struct cursor *c, const char *rest)
{
	size_t n = strlen(c->name), r = strlen(rest);
	char *s = malloc(n + 1 + r + 1);

	if (!s) {
		c->nomem = c->bad = true;
		return NULL;
	}
	memcpy(s, c->name, n);
	s[n] = ':';
	memcpy(s + n + 1, rest, r + 1);
	return s;
}

/* A pattern as the shipped pack's are: compiled on first use. */
static struct pg_regex *get_regex(struct cursor *c, bool *none)
{
	struct pg_error ignored = PG_ERROR_INIT;
	struct pg_regex *re = NULL;
	char *pattern = get_str(c, none), *rest, *where = NULL;

	if (*none || c->bad)
		return NULL;
	rest = get_some(c);
	if (!c->bad && (where = with_name(c, rest)) && pg_regex_compile_lazy(&re, pattern, where, &ignored) < 0)
		c->nomem = c->bad = true;
	free(where);
	free(pattern);
	free(rest);
	return re;
}

static int get_regexes(struct cursor *c, struct pg_regex ***v, size_t *n)
{
	size_t count = get_count(c, 4);

	if (c->bad || !count)
		return c->bad ? -1 : 0;
	if (!(*v = calloc(count, sizeof(**v)))) {
		c->nomem = c->bad = true;
		return -1;
	}
	for (; *n < count && !c->bad; (*n)++) {
		bool none;

		if (!((*v)[*n] = get_regex(c, &none)) && none)
			c->bad = true;
	}
	return c->bad ? -1 : 0;
}

static void get_allowlist(struct cursor *c, struct pg_allowlist *al)
{
	bool none;
	uint32_t target;

	al->description = get_str(c, &none);
	al->match_all = get_u32(c) != 0;
	if (get_strvec(c, &al->commits) < 0 || get_regexes(c, &al->paths, &al->npaths) < 0 ||
	    get_regexes(c, &al->regexes, &al->nregexes) < 0)
		return;
	if ((target = get_u32(c)) > PG_TARGET_LINE)
		c->bad = true;
	al->regex_target = (enum pg_regex_target)target;
	get_strvec(c, &al->stopwords);
}

static void get_allowlists(struct cursor *c, struct pg_allowlist **v, size_t *n)
{
	size_t count = get_count(c, 4);

	if (c->bad || !count)
		return;
	if (!(*v = calloc(count, sizeof(**v)))) {
		c->nomem = c->bad = true;
		return;
	}
	for (; *n < count && !c->bad; (*n)++)
		get_allowlist(c, &(*v)[*n]);
}

static void get_rule(struct cursor *c, struct pg_rule *r)
{
	uint64_t entropy;
	bool none;
	char *line;

	r->id = get_some(c);
	r->description = get_str(c, &none);
	r->regex = get_regex(c, &none);
	if (r->regex && !(r->regex_src = strdup(pg_regex_pattern(r->regex))))
		c->nomem = c->bad = true;
	r->secret_group = (int)get_u32(c);
	entropy = get_u64(c);
	memcpy(&r->entropy, &entropy, sizeof(entropy));
	get_strvec(c, &r->keywords);
	r->path = get_regex(c, &none);
	get_strvec(c, &r->tags);
	get_allowlists(c, &r->allowlists, &r->nallowlists);
	line = get_some(c);
	if (!c->bad)
		r->origin = with_name(c, line);
	free(line);
	r->confidence = (enum pg_confidence)get_u32(c);
	r->value_check = (enum pg_value_check)get_u32(c);
	r->key_group = (int)get_u32(c);
	r->user_group = (int)get_u32(c);
	r->skip_report = get_u32(c) != 0;
	/* what loading the TOML guarantees */
	if (!c->bad && (!r->id[0] || (!r->regex && !r->path) || r->secret_group < 0 || r->secret_group > 99 ||
			!(r->entropy >= 0 && r->entropy <= 32) || r->confidence > PG_CONFIDENCE_HIGH ||
			r->value_check > PG_VALUE_CHECK_CREDENTIAL || r->key_group < 0 || r->key_group > 99 ||
			r->user_group < 0 || r->user_group > 99))
		c->bad = true;
	if (!c->bad)
		r->id_hash = pg_rules_id_hash(r->id);
}

int pg_rules_snapshot_read(struct pg_ruleset *rs, const char *name, const char *toml, size_t len,
			   const char *snap, size_t snaplen, struct pg_error *err)
{
	struct cursor c = { (const unsigned char *)snap, (const unsigned char *)snap + snaplen, name, false,
			    false };
	struct pg_ruleset got = PG_RULESET_INIT;
	size_t magic = sizeof(PG_RULES_SNAPSHOT_MAGIC) - 1, n;
	char *version;

	if (rs->n || rs->nallowlists || snaplen < magic || memcmp(snap, PG_RULES_SNAPSHOT_MAGIC, magic))
		return 0;
	c.p += magic;
	if (get_u64(&c) != (uint64_t)len || get_u32(&c) != (uint32_t)crc32_z(0, (const unsigned char *)toml, len))
		return 0;
	version = get_some(&c);
	if (c.bad || strcmp(version, PG_VERSION)) {
		free(version);
		return c.nomem ? pg_error_oom(err) : 0;
	}
	free(version);
	if ((n = get_count(&c, 4)) && !(got.rules = calloc(n, sizeof(*got.rules))))
		return pg_error_oom(err);
	got.alloc = n;
	for (; got.n < n && !c.bad; got.n++)
		get_rule(&c, &got.rules[got.n]);
	get_allowlists(&c, &got.allowlists, &got.nallowlists);
	if (c.bad || c.p != c.end) {
		pg_ruleset_release(&got);
		return c.nomem ? pg_error_oom(err) : 0;
	}
	rs->rules = got.rules;
	rs->n = got.n;
	rs->alloc = got.alloc;
	rs->allowlists = got.allowlists;
	rs->nallowlists = got.nallowlists;
	return 1;
}
