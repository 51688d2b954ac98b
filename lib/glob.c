#include "glob.h"

#include <stdlib.h>
#include <string.h>

/* Matches a bracket class at *pp against c; advances *pp past the class.
 * Returns 1 match, 0 no match, -1 malformed (unterminated). */
static int match_class(const char **pp, unsigned char c)
{
	const char *p = *pp + 1;
	bool negate = false, found = false;

	if (*p == '!' || *p == '^') {
		negate = true;
		p++;
	}
	if (*p == ']') { /* a leading ']' is literal */
		found = c == ']';
		p++;
	}
	while (*p && *p != ']') {
		unsigned char lo = (unsigned char)*p, hi;

		if (lo == '\\' && p[1])
			lo = (unsigned char)*++p;
		hi = lo;
		if (p[1] == '-' && p[2] && p[2] != ']') {
			hi = (unsigned char)p[2];
			p += 2;
		}
		if (c >= lo && c <= hi)
			found = true;
		p++;
	}
	if (*p != ']')
		return -1;
	*pp = p + 1;
	return found != negate;
}

/* Results of one matching attempt. The two aborts prune the search the way
 * git's wildmatch does, so a pusher-chosen path cannot make matching
 * exponential: ABORT_ALL means no later start can match either, ABORT_TO_STARSTAR
 * that only an enclosing "**" may try further. */
enum { MATCH, NOMATCH, ABORT_ALL, ABORT_TO_STARSTAR };

/* The pruning is not enough for patterns with many "**": each one retries
 * the rest at every later position, and each retry repeats the same
 * (pattern, text) attempts. The result of an attempt depends on those two
 * positions only, so after MEMO_AFTER attempts they are remembered (one byte
 * each, up to MEMO_MAX bytes): polynomial, where it was exponential. */
#define MEMO_AFTER 4096
#define MEMO_MAX ((size_t)64 << 20)

struct wild {
	const char *p0, *t0;
	size_t plen, tlen;
	unsigned long calls;
	unsigned char *memo; /* [(p - p0) * (tlen + 1) + (t - t0)]: result + 1, 0 unknown */
};

static int dowild_at(struct wild *w, const char *p, const char *t);

static int dowild(struct wild *w, const char *p, const char *t)
{
	size_t i;
	int r;

	if (!w->memo && ++w->calls == MEMO_AFTER && (w->plen + 1) <= MEMO_MAX / (w->tlen + 1))
		w->memo = calloc((w->plen + 1) * (w->tlen + 1), 1); /* NULL: go on unremembered */
	if (!w->memo)
		return dowild_at(w, p, t);
	i = (size_t)(p - w->p0) * (w->tlen + 1) + (size_t)(t - w->t0);
	if (w->memo[i])
		return w->memo[i] - 1;
	r = dowild_at(w, p, t);
	w->memo[i] = (unsigned char)(r + 1);
	return r;
}

static int dowild_at(struct wild *w, const char *p, const char *t)
{
	for (; *p; p++, t++) {
		if (!*t && *p != '*')
			return ABORT_ALL;
		switch (*p) {
		case '\\':
			if (p[1])
				p++;
			if (*t != *p)
				return NOMATCH;
			break;
		case '?':
			if (*t == '/')
				return NOMATCH;
			break;
		case '[': {
			const char *q = p;
			int r;

			if (*t == '/')
				return NOMATCH;
			r = match_class(&q, (unsigned char)*t);
			if (r <= 0)
				return r < 0 ? ABORT_ALL : NOMATCH;
			p = q - 1;
			break;
		}
		case '*': {
			bool starstar = p[1] == '*';

			while (*p == '*')
				p++;
			if (starstar && *p == '/' && dowild(w, p + 1, t) == MATCH)
				return MATCH; /* "**" + "/" matching no directory at all */
			if (!*p)
				return !starstar && strchr(t, '/') ? ABORT_TO_STARSTAR : MATCH;
			for (; *t; t++) {
				int m = dowild(w, p, t);

				if (m != NOMATCH) {
					if (!starstar || m != ABORT_TO_STARSTAR)
						return m;
				} else if (!starstar && *t == '/') {
					return ABORT_TO_STARSTAR;
				}
			}
			return ABORT_ALL;
		}
		default:
			if (*t != *p)
				return NOMATCH;
		}
	}
	return *t ? NOMATCH : MATCH;
}

static bool wild_match(const char *pattern, const char *text)
{
	struct wild w = { pattern, text, strlen(pattern), strlen(text), 0, NULL };
	bool ok = dowild(&w, pattern, text) == MATCH;

	free(w.memo);
	return ok;
}

bool pg_glob_match(const char *pattern, const char *text)
{
	return wild_match(pattern, text);
}

bool pg_glob_match_path(const char *pattern, const char *path)
{
	char small[512], *buf = small;
	size_t n = strlen(pattern);
	bool ok;

	if (*pattern == '/')
		return wild_match(pattern + 1, path);
	/* Unanchored: the same as "**" + "/" + pattern, which also matches at the top. */
	if (n + 4 > sizeof(small) && !(buf = malloc(n + 4)))
		return false;
	memcpy(buf, "**/", 3);
	memcpy(buf + 3, pattern, n + 1);
	ok = wild_match(buf, path);
	if (buf != small)
		free(buf);
	return ok;
}

static char *lower_dup(const char *s)
{
	char *d = strdup(s);

	for (char *p = d; p && *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	return d;
}

bool pg_glob_match_path_casefold(const char *pattern, const char *path)
{
	char *p = lower_dup(pattern), *t = lower_dup(path);
	bool ok = p && t && pg_glob_match_path(p, t);

	free(p);
	free(t);
	return ok;
}

void pg_globset_release(struct pg_globset *gs)
{
	for (size_t i = 0; i < gs->n; i++)
		free(gs->v[i].text);
	free(gs->v);
	free(gs->path);
	*gs = (struct pg_globset)PG_GLOBSET_INIT;
}

int pg_globset_init(struct pg_globset *gs, const char *const *patterns, size_t n, bool casefold)
{
	*gs = (struct pg_globset)PG_GLOBSET_INIT;
	gs->casefold = casefold;
	if (n && !(gs->v = calloc(n, sizeof(*gs->v))))
		return -1;
	for (size_t i = 0; i < n; i++) {
		struct pg_globset_pattern *g = &gs->v[gs->n];

		if (!(g->text = casefold ? lower_dup(patterns[i]) : strdup(patterns[i]))) {
			pg_globset_release(gs);
			return -1;
		}
		g->len = strlen(g->text);
		g->literal = !strpbrk(g->text, "*?[\\");
		gs->n++;
	}
	return 0;
}

/* A literal pattern: anchored ("/a/b"), the path itself; otherwise the path
 * or its end after a '/' (what "**" "/" + pattern matches). */
static bool literal_match(const struct pg_globset_pattern *g, const char *path, size_t len)
{
	if (g->text[0] == '/')
		return len == g->len - 1 && !memcmp(path, g->text + 1, len);
	if (len < g->len || memcmp(path + len - g->len, g->text, g->len))
		return false;
	return len == g->len || path[len - g->len - 1] == '/';
}

long pg_globset_match(struct pg_globset *gs, const char *path)
{
	size_t len = strlen(path);

	if (gs->casefold) {
		if (len + 1 > gs->path_alloc) {
			char *p = realloc(gs->path, len + 1);

			if (!p)
				return -1;
			gs->path = p;
			gs->path_alloc = len + 1;
		}
		for (size_t i = 0; i <= len; i++)
			gs->path[i] = path[i] >= 'A' && path[i] <= 'Z' ? (char)(path[i] - 'A' + 'a') : path[i];
		path = gs->path;
	}
	for (size_t i = 0; i < gs->n; i++)
		if (gs->v[i].literal ? literal_match(&gs->v[i], path, len) : pg_glob_match_path(gs->v[i].text, path))
			return (long)i;
	return -1;
}

const char *pg_glob_check(const char *pattern)
{
	if (!*pattern)
		return "empty pattern";
	for (const char *p = pattern; *p; p++) {
		if (*p == '\\') {
			if (!p[1])
				return "trailing backslash";
			p++;
		} else if (*p == '[') {
			const char *q = p;

			if (match_class(&q, 'a') < 0)
				return "unterminated [ class";
			p = q - 1;
		}
	}
	return NULL;
}
