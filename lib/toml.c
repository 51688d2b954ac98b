#include "toml.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "buf.h"
#include "hexdigit.h"

/* How a table or array came to be (TOML forbids redefining tables). */
#define F_DEFINED 1u /* by a [header], [[header]] or inline table */
#define F_DOTTED 2u  /* by a dotted key a.b = 1 */
#define F_INLINE 4u  /* inline table or array value: closed for additions */
#define F_AOT 8u     /* array of tables made by [[header]] */
#define F_ROOT 16u   /* the document: a struct doc, which owns the arena */

/* A document's nodes, keys and strings are allocated from chunks freed
 * together: a rules file holds thousands of small values, and allocating and
 * freeing each one cost as much as parsing them (the built-in pack on every
 * push). */
struct chunk {
	struct chunk *next;
	size_t used, size;
	max_align_t data[];
};

struct pg_toml_arena {
	struct chunk *head;
};

/* The root table and what its document owns. */
struct doc {
	struct pg_toml root;
	struct pg_toml_arena arena;
};

#define CHUNK_BYTES ((size_t)32 << 10)

struct parser {
	const char *p, *end;
	int line;
	const char *file;
	struct pg_error *err;
	size_t nodes;
	struct pg_toml_arena *arena;
	struct pg_buf scratch; /* the string or key part being read */
};

struct key {
	char *part[PG_TOML_MAX_DEPTH];
	int n;
	int line;
};

__attribute__((format(printf, 3, 4)))
static int fail_at(struct parser *ps, int line, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return pg_error_set(ps->err, PG_ECONFIG, "%s:%d: %s", ps->file, line, msg);
}

#define fail(ps, ...) fail_at((ps), (ps)->line, __VA_ARGS__)

static int oom(struct parser *ps)
{
	return pg_error_set(ps->err, PG_ERR, "%s:%d: out of memory", ps->file, ps->line);
}

/* A printable rendering of the byte at p, for messages. */
static const char *show(const struct parser *ps, char buf[8])
{
	unsigned char c;

	if (ps->p >= ps->end)
		return "end of file";
	c = (unsigned char)*ps->p;
	if (c == '\n' || c == '\r')
		return "end of line";
	if (c >= 0x20 && c < 0x7f)
		snprintf(buf, 8, "'%c'", c);
	else
		snprintf(buf, 8, "\\x%02x", c);
	return buf;
}

const char *pg_toml_type_name(enum pg_toml_type type)
{
	switch (type) {
	case PG_TOML_TABLE: return "table";
	case PG_TOML_ARRAY: return "array";
	case PG_TOML_STRING: return "string";
	case PG_TOML_INTEGER: return "integer";
	case PG_TOML_FLOAT: return "float";
	case PG_TOML_BOOL: return "boolean";
	}
	return "value";
}

void pg_toml_free(struct pg_toml *t)
{
	struct doc *d = (struct doc *)t; /* root is its first member */

	if (!t || !(t->flags & F_ROOT))
		return;
	for (struct chunk *c = d->arena.head, *next; c; c = next) {
		next = c->next;
		free(c);
	}
	free(d);
}

/* size bytes from the arena at a multiple of align (a power of two up to
 * that of max_align_t); NULL when out of memory. Strings are packed byte to
 * byte and nodes word to word: the built-in pack's tree took twice the
 * memory when everything was aligned for any value, and every page a push's
 * hook touches first costs a page fault. */
static void *arena_alloc(struct parser *ps, size_t size, size_t align)
{
	struct chunk *c = ps->arena->head;
	size_t at = c ? (c->used + align - 1) & ~(align - 1) : 0;
	void *p;

	if (!c || at > c->size || c->size - at < size) {
		size_t bytes = size > CHUNK_BYTES ? size : CHUNK_BYTES;

		if (bytes > SIZE_MAX - sizeof(*c) || !(c = malloc(sizeof(*c) + bytes)))
			return NULL;
		c->used = 0;
		c->size = bytes;
		c->next = ps->arena->head;
		ps->arena->head = c;
		at = 0;
	}
	p = (char *)c->data + at;
	c->used = at + size;
	return p;
}

static char *arena_strndup(struct parser *ps, const char *s, size_t n)
{
	char *d = n < SIZE_MAX ? arena_alloc(ps, n + 1, 1) : NULL;

	if (d) {
		memcpy(d, s, n);
		d[n] = '\0';
	}
	return d;
}

static struct pg_toml *find(const struct pg_toml *t, const char *key)
{
	if (!t || t->type != PG_TOML_TABLE)
		return NULL;
	for (size_t i = 0; i < t->n; i++)
		if (!strcmp(t->kids[i]->key, key))
			return t->kids[i];
	return NULL;
}

const struct pg_toml *pg_toml_get(const struct pg_toml *t, const char *key)
{
	return find(t, key);
}

static struct pg_toml *node_new(struct parser *ps, enum pg_toml_type type, int line)
{
	struct pg_toml *n;

	if (ps->nodes >= PG_TOML_MAX_NODES) {
		fail(ps, "too many values (limit %d)", PG_TOML_MAX_NODES);
		return NULL;
	}
	if (!(n = arena_alloc(ps, sizeof(*n), _Alignof(struct pg_toml)))) {
		oom(ps);
		return NULL;
	}
	memset(n, 0, sizeof(*n));
	ps->nodes++;
	n->type = type;
	n->line = line;
	return n;
}

/* Appends kid to t (a full array is copied to one twice its size, in the arena). */
static int node_add(struct parser *ps, struct pg_toml *t, struct pg_toml *kid)
{
	if (t->type == PG_TOML_TABLE && t->n >= PG_TOML_MAX_KEYS)
		return fail(ps, "too many keys in one table (limit %d)", PG_TOML_MAX_KEYS);
	if (t->n == t->alloc) {
		size_t alloc = t->alloc ? (size_t)t->alloc * 2 : 4;
		struct pg_toml **kids = alloc <= UINT_MAX ? arena_alloc(ps, alloc * sizeof(*kids), _Alignof(struct pg_toml *))
							  : NULL;

		if (!kids)
			return oom(ps);
		if (t->n)
			memcpy(kids, t->kids, t->n * sizeof(*kids));
		t->kids = kids;
		t->alloc = (unsigned)alloc;
	}
	t->kids[t->n++] = kid;
	return 0;
}

/* A new table member named key (copied). */
static struct pg_toml *member_new(struct parser *ps, struct pg_toml *t, const char *key,
				  enum pg_toml_type type, int line, unsigned flags)
{
	struct pg_toml *n = node_new(ps, type, line);

	if (!n)
		return NULL;
	n->flags = flags;
	if (!(n->key = arena_strndup(ps, key, strlen(key)))) {
		oom(ps);
		return NULL;
	}
	if (node_add(ps, t, n) < 0)
		return NULL;
	return n;
}

static bool at(const struct parser *ps, const char *s)
{
	size_t n = strlen(s);

	return (size_t)(ps->end - ps->p) >= n && !memcmp(ps->p, s, n);
}

static void skip_ws(struct parser *ps)
{
	while (ps->p < ps->end && (*ps->p == ' ' || *ps->p == '\t'))
		ps->p++;
}

static bool eat_newline(struct parser *ps)
{
	if (at(ps, "\n")) {
		ps->p++;
	} else if (at(ps, "\r\n")) {
		ps->p += 2;
	} else {
		return false;
	}
	ps->line++;
	return true;
}

static void skip_comment(struct parser *ps)
{
	if (ps->p < ps->end && *ps->p == '#')
		while (ps->p < ps->end && *ps->p != '\n' && *ps->p != '\r')
			ps->p++;
}

/* Whitespace, comments and newlines (inside arrays). */
static void skip_blank(struct parser *ps)
{
	for (;;) {
		skip_ws(ps);
		skip_comment(ps);
		if (!eat_newline(ps))
			return;
	}
}

/* After a key/value pair or a header: only a comment may follow on the line. */
static int end_of_line(struct parser *ps, const char *after)
{
	char b[8];

	skip_ws(ps);
	skip_comment(ps);
	if (ps->p >= ps->end || eat_newline(ps))
		return 0;
	return fail(ps, "expected the end of the line after %s, found %s", after, show(ps, b));
}

/* Control characters, bare CRs and invalid UTF-8 are rejected up front, so the
 * parser only meets well-formed text. */
static int check_text(struct parser *ps)
{
	const unsigned char *s = (const unsigned char *)ps->p, *e = (const unsigned char *)ps->end;
	int line = 1;

	while (s < e) {
		unsigned c = *s;
		size_t n;
		unsigned cp, min;

		if (c - 0x20u < 0x5fu) { /* printable ASCII, nearly every byte */
			s++;
			continue;
		}
		if (c < 0x80) {
			if (c == '\n') {
				line++;
			} else if (c == '\r') {
				if (s + 1 >= e || s[1] != '\n')
					return fail_at(ps, line, "carriage return not followed by a newline");
			} else if ((c < 0x20 && c != '\t') || c == 0x7f) {
				return fail_at(ps, line, "control character U+%04X is not allowed (escape it in a string)", c);
			}
			s++;
			continue;
		}
		if ((c & 0xe0) == 0xc0) {
			n = 2, cp = c & 0x1f, min = 0x80;
		} else if ((c & 0xf0) == 0xe0) {
			n = 3, cp = c & 0x0f, min = 0x800;
		} else if ((c & 0xf8) == 0xf0) {
			n = 4, cp = c & 0x07, min = 0x10000;
		} else {
			return fail_at(ps, line, "invalid UTF-8");
		}
		if ((size_t)(e - s) < n)
			return fail_at(ps, line, "invalid UTF-8 (truncated sequence)");
		for (size_t i = 1; i < n; i++) {
			if ((s[i] & 0xc0) != 0x80)
				return fail_at(ps, line, "invalid UTF-8");
			cp = (cp << 6) | (s[i] & 0x3f);
		}
		if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return fail_at(ps, line, "invalid UTF-8");
		s += n;
	}
	return 0;
}

static int add_utf8(struct parser *ps, struct pg_buf *b, unsigned long cp)
{
	char u[4];
	size_t n;

	if (cp == 0)
		return fail(ps, "\\u0000 is not allowed in strings");
	if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return fail(ps, "escape \\U%08lX is not a Unicode scalar value", cp);
	if (cp < 0x80) {
		u[0] = (char)cp, n = 1;
	} else if (cp < 0x800) {
		u[0] = (char)(0xc0 | (cp >> 6)), u[1] = (char)(0x80 | (cp & 0x3f)), n = 2;
	} else if (cp < 0x10000) {
		u[0] = (char)(0xe0 | (cp >> 12)), u[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		u[2] = (char)(0x80 | (cp & 0x3f)), n = 3;
	} else {
		u[0] = (char)(0xf0 | (cp >> 18)), u[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
		u[2] = (char)(0x80 | ((cp >> 6) & 0x3f)), u[3] = (char)(0x80 | (cp & 0x3f)), n = 4;
	}
	return pg_buf_add(b, u, n) < 0 ? oom(ps) : 0;
}

static int parse_escape(struct parser *ps, struct pg_buf *b)
{
	char c, out;
	int digits;
	unsigned long cp = 0;

	ps->p++; /* backslash */
	if (ps->p >= ps->end)
		return fail(ps, "unterminated escape sequence");
	c = *ps->p++;
	switch (c) {
	case 'b': out = '\b'; break;
	case 't': out = '\t'; break;
	case 'n': out = '\n'; break;
	case 'f': out = '\f'; break;
	case 'r': out = '\r'; break;
	case '"': out = '"'; break;
	case '\\': out = '\\'; break;
	case 'u':
	case 'U':
		digits = c == 'u' ? 4 : 8;
		for (int i = 0; i < digits; i++) {
			int h = ps->p < ps->end ? pg_hexdigit(*ps->p) : -1;

			if (h < 0)
				return fail(ps, "escape \\%c needs %d hexadecimal digits", c, digits);
			cp = cp << 4 | (unsigned long)h;
			ps->p++;
		}
		return add_utf8(ps, b, cp);
	default:
		ps->p--;
		{
			char sb[8];

			return fail(ps, "invalid escape sequence \\%s in a string (use \\\\ for a backslash, or a '...' literal string)",
				    show(ps, sb));
		}
	}
	return pg_buf_addch(b, out) < 0 ? oom(ps) : 0;
}

/* A string of any of the four kinds; ps->p is at the opening quote. */
static int parse_string(struct parser *ps, struct pg_buf *b, bool allow_multi)
{
	char q = *ps->p;
	bool literal = q == '\'';
	bool multi = allow_multi && at(ps, literal ? "'''" : "\"\"\"");
	int start = ps->line;

	if (multi) {
		ps->p += 3;
		eat_newline(ps); /* a newline right after the opening quotes is trimmed */
	} else {
		ps->p++;
	}
	for (;;) {
		char c;

		if (ps->p >= ps->end)
			return fail_at(ps, start, "unterminated string");
		c = *ps->p;
		if (c == q) {
			size_t nq = 0;

			if (!multi) {
				ps->p++;
				return 0;
			}
			while (ps->p + nq < ps->end && ps->p[nq] == q)
				nq++;
			if (nq >= 3) {
				if (nq > 5)
					return fail(ps, "too many quotes at the end of a multi-line string");
				if (pg_buf_add(b, ps->p, nq - 3) < 0)
					return oom(ps);
				ps->p += nq;
				return 0;
			}
			if (pg_buf_add(b, ps->p, nq) < 0)
				return oom(ps);
			ps->p += nq;
		} else if (c == '\n' || c == '\r') {
			if (!multi)
				return fail(ps, "newline in a single-line string (use \"\"\" or ''' for multi-line strings)");
			eat_newline(ps);
			if (pg_buf_addch(b, '\n') < 0)
				return oom(ps);
		} else if (c == '\\' && !literal) {
			if (multi) {
				const char *s = ps->p + 1;

				while (s < ps->end && (*s == ' ' || *s == '\t'))
					s++;
				if (s < ps->end && (*s == '\n' || *s == '\r')) {
					/* line-ending backslash: drop it and all following whitespace */
					ps->p = s;
					for (;;) {
						skip_ws(ps);
						if (!eat_newline(ps))
							break;
					}
					continue;
				}
			}
			if (parse_escape(ps, b) < 0)
				return -1;
		} else {
			/* a run of plain characters at once */
			const char *s = ps->p + 1;

			while (s < ps->end && *s != q && *s != '\n' && *s != '\r' && (literal || *s != '\\'))
				s++;
			if (pg_buf_add(b, ps->p, (size_t)(s - ps->p)) < 0)
				return oom(ps);
			ps->p = s;
		}
	}
}

static bool is_bare(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
	       c == '_' || c == '-';
}

static void key_release(struct key *k)
{
	k->n = 0; /* the parts are the document's (arena) */
}

/* "a.b.c" for messages. */
static const char *key_str(const struct key *k, int n, char *buf, size_t size)
{
	size_t len = 0;

	buf[0] = '\0';
	for (int i = 0; i < n && len < size; i++)
		len += (size_t)snprintf(buf + len, size - len, "%s%s", i ? "." : "", k->part[i]);
	return buf;
}

static int parse_key(struct parser *ps, struct key *k)
{
	char b[8];

	k->n = 0;
	k->line = ps->line;
	for (;;) {
		struct pg_buf *part = &ps->scratch;

		pg_buf_reset(part);
		skip_ws(ps);
		if (k->n >= PG_TOML_MAX_DEPTH)
			return fail(ps, "key has too many parts (limit %d)", PG_TOML_MAX_DEPTH);
		if (ps->p < ps->end && (*ps->p == '"' || *ps->p == '\'')) {
			if (parse_string(ps, part, false) < 0)
				return -1;
		} else {
			const char *s = ps->p;

			while (ps->p < ps->end && is_bare(*ps->p))
				ps->p++;
			if (ps->p == s)
				return fail(ps, "expected a key, found %s", show(ps, b));
			if (pg_buf_add(part, s, (size_t)(ps->p - s)) < 0)
				return oom(ps);
		}
		if (!(k->part[k->n] = arena_strndup(ps, part->ptr ? part->ptr : "", part->len)))
			return oom(ps);
		k->n++;
		skip_ws(ps);
		if (ps->p < ps->end && *ps->p == '.') {
			ps->p++;
			continue;
		}
		return 0;
	}
}

static int parse_value(struct parser *ps, int depth, struct pg_toml **out);

static int check_underscores(struct parser *ps, const char *s, size_t n, bool hex)
{
	for (size_t i = 0; i < n; i++) {
		if (s[i] != '_')
			continue;
		if (i == 0 || i + 1 == n || !(hex ? pg_hexdigit(s[i - 1]) >= 0 : (s[i - 1] >= '0' && s[i - 1] <= '9')) ||
		    !(hex ? pg_hexdigit(s[i + 1]) >= 0 : (s[i + 1] >= '0' && s[i + 1] <= '9')))
			return fail(ps, "'_' in a number must sit between two digits");
	}
	return 0;
}

static bool all_digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return n > 0;
}

static int parse_number(struct parser *ps, struct pg_toml *v)
{
	const char *s = ps->p;
	size_t n = 0, j = 0;
	char tok[128];

	while (s + n < ps->end && (is_bare(s[n]) || s[n] == '+' || s[n] == '.' || s[n] == ':'))
		n++;
	if (n >= sizeof(tok))
		return fail(ps, "number too long");
	memcpy(tok, s, n);
	tok[n] = '\0';
	if ((n >= 10 && all_digits(tok, 4) && tok[4] == '-') || (n >= 5 && all_digits(tok, 2) && tok[2] == ':'))
		return fail(ps, "dates and times are not supported; quote the value");
	ps->p += n;
	{
		const char *t = tok + (tok[0] == '+' || tok[0] == '-');

		if (!strcmp(t, "inf") || !strcmp(t, "nan")) {
			v->type = PG_TOML_FLOAT;
			v->f = strtod(tok, NULL);
			return 0;
		}
	}
	if (n > 2 && tok[0] == '0' && (tok[1] == 'x' || tok[1] == 'o' || tok[1] == 'b')) {
		int base = tok[1] == 'x' ? 16 : tok[1] == 'o' ? 8 : 2;
		unsigned long long acc = 0;

		if (check_underscores(ps, tok + 2, n - 2, base == 16) < 0)
			return -1;
		for (size_t i = 2; i < n; i++) {
			int d = pg_hexdigit(tok[i]);

			if (tok[i] == '_')
				continue;
			if (d < 0 || d >= base)
				return fail(ps, "invalid digit '%c' in a base-%d integer", tok[i], base);
			if (acc > ((unsigned long long)LLONG_MAX - (unsigned)d) / (unsigned)base)
				return fail(ps, "integer out of range");
			acc = acc * (unsigned)base + (unsigned)d;
		}
		v->type = PG_TOML_INTEGER;
		v->i = (long long)acc;
		return 0;
	}
	/* decimal: [+-] int [. digits] [e [+-] digits] */
	{
		char clean[128];
		size_t i = 0, intstart, intlen;
		bool isfloat = false;
		char *endp;

		if (tok[i] == '+' || tok[i] == '-')
			clean[j++] = tok[i++];
		intstart = i;
		while (i < n && ((tok[i] >= '0' && tok[i] <= '9') || tok[i] == '_'))
			i++;
		intlen = i - intstart;
		if (!intlen)
			return fail(ps, "invalid value '%s' (strings must be quoted)", tok);
		if (check_underscores(ps, tok + intstart, intlen, false) < 0)
			return -1;
		if (intlen > 1 && tok[intstart] == '0')
			return fail(ps, "leading zeros are not allowed in '%s'", tok);
		if (i < n && tok[i] == '.') {
			size_t fs = ++i;

			isfloat = true;
			while (i < n && ((tok[i] >= '0' && tok[i] <= '9') || tok[i] == '_'))
				i++;
			if (i == fs)
				return fail(ps, "a decimal point must be followed by digits in '%s'", tok);
			if (check_underscores(ps, tok + fs, i - fs, false) < 0)
				return -1;
		}
		if (i < n && (tok[i] == 'e' || tok[i] == 'E')) {
			size_t es;

			isfloat = true;
			i++;
			if (i < n && (tok[i] == '+' || tok[i] == '-'))
				i++;
			es = i;
			while (i < n && ((tok[i] >= '0' && tok[i] <= '9') || tok[i] == '_'))
				i++;
			if (i == es)
				return fail(ps, "an exponent needs digits in '%s'", tok);
			if (check_underscores(ps, tok + es, i - es, false) < 0)
				return -1;
		}
		if (i != n)
			return fail(ps, "invalid value '%s' (strings must be quoted)", tok);
		for (size_t k = (size_t)(tok[0] == '+' || tok[0] == '-'); k < n; k++)
			if (tok[k] != '_')
				clean[j++] = tok[k];
		clean[j] = '\0';
		errno = 0;
		if (isfloat) {
			v->type = PG_TOML_FLOAT;
			v->f = strtod(clean, &endp);
		} else {
			v->type = PG_TOML_INTEGER;
			v->i = strtoll(clean, &endp, 10);
			if (errno == ERANGE)
				return fail(ps, "integer '%s' out of range", tok);
		}
		if (*endp)
			return fail(ps, "invalid number '%s'", tok);
	}
	return 0;
}

/* Sets `val` at key k inside t, creating dotted-key tables on the way.
 * Takes ownership of val. */
static int assign(struct parser *ps, struct pg_toml *t, const struct key *k, struct pg_toml *val,
		  unsigned extra)
{
	char ks[256];

	for (int i = 0; i < k->n - 1; i++) {
		struct pg_toml *c = find(t, k->part[i]);

		if (!c) {
			c = member_new(ps, t, k->part[i], PG_TOML_TABLE, k->line, F_DOTTED | extra);
			if (!c)
				goto fail;
		} else if (c->type != PG_TOML_TABLE) {
			fail_at(ps, k->line, "key '%s' is already a %s (line %d)",
				key_str(k, i + 1, ks, sizeof(ks)), pg_toml_type_name(c->type), c->line);
			goto fail;
		} else if ((c->flags & F_INLINE) && !(extra & F_INLINE)) {
			fail_at(ps, k->line, "cannot add keys to inline table '%s' (line %d)",
				key_str(k, i + 1, ks, sizeof(ks)), c->line);
			goto fail;
		} else if (!(c->flags & F_DOTTED)) {
			fail_at(ps, k->line, "table '%s' is already defined (line %d); dotted keys cannot extend it",
				key_str(k, i + 1, ks, sizeof(ks)), c->line);
			goto fail;
		}
		t = c;
	}
	{
		struct pg_toml *c = find(t, k->part[k->n - 1]);

		if (c) {
			fail_at(ps, k->line, "duplicate key '%s' (first defined on line %d)",
				key_str(k, k->n, ks, sizeof(ks)), c->line);
			goto fail;
		}
	}
	val->key = k->part[k->n - 1]; /* both the document's */
	return node_add(ps, t, val);
fail:
	return -1;
}

static int parse_inline_table(struct parser *ps, int depth, struct pg_toml *t)
{
	char b[8];

	ps->p++; /* { */
	skip_ws(ps);
	if (ps->p < ps->end && *ps->p == '}') {
		ps->p++;
		return 0;
	}
	for (;;) {
		struct key k = { .n = 0 };
		struct pg_toml *v = NULL;
		int rc;

		if (parse_key(ps, &k) < 0) {
			key_release(&k);
			return -1;
		}
		if (ps->p >= ps->end || *ps->p != '=') {
			key_release(&k);
			return fail(ps, "expected '=' after a key, found %s", show(ps, b));
		}
		ps->p++;
		skip_ws(ps);
		if (parse_value(ps, depth + 1, &v) < 0) {
			key_release(&k);
			return -1;
		}
		rc = assign(ps, t, &k, v, F_INLINE);
		key_release(&k);
		if (rc < 0)
			return -1;
		skip_ws(ps);
		if (ps->p < ps->end && *ps->p == ',') {
			ps->p++;
			skip_ws(ps);
			continue;
		}
		if (ps->p < ps->end && *ps->p == '}') {
			ps->p++;
			return 0;
		}
		return fail(ps, "expected ',' or '}' in an inline table, found %s", show(ps, b));
	}
}

static int parse_array(struct parser *ps, int depth, struct pg_toml *a)
{
	char b[8];

	ps->p++; /* [ */
	for (;;) {
		struct pg_toml *v = NULL;

		skip_blank(ps);
		if (ps->p < ps->end && *ps->p == ']') {
			ps->p++;
			return 0;
		}
		if (parse_value(ps, depth + 1, &v) < 0)
			return -1;
		if (node_add(ps, a, v) < 0)
			return -1;
		skip_blank(ps);
		if (ps->p < ps->end && *ps->p == ',') {
			ps->p++;
			continue;
		}
		if (ps->p < ps->end && *ps->p == ']') {
			ps->p++;
			return 0;
		}
		return fail(ps, "expected ',' or ']' in an array, found %s", show(ps, b));
	}
}

static int parse_value(struct parser *ps, int depth, struct pg_toml **out)
{
	struct pg_toml *v;
	char b[8];
	int rc;

	*out = NULL;
	if (depth >= PG_TOML_MAX_DEPTH)
		return fail(ps, "values nested too deeply (limit %d)", PG_TOML_MAX_DEPTH);
	if (ps->p >= ps->end || *ps->p == '\n' || *ps->p == '\r' || *ps->p == '#')
		return fail(ps, "expected a value, found %s", show(ps, b));
	if (!(v = node_new(ps, PG_TOML_STRING, ps->line)))
		return -1;
	switch (*ps->p) {
	case '"':
	case '\'': {
		struct pg_buf *s = &ps->scratch;

		pg_buf_reset(s);
		if (parse_string(ps, s, true) < 0) {
			rc = -1;
			break;
		}
		v->len = s->len;
		if (!(v->str = arena_strndup(ps, s->ptr ? s->ptr : "", s->len)))
			rc = oom(ps);
		else if (strlen(v->str) != v->len)
			rc = fail(ps, "NUL in string");
		else
			rc = 0;
		break;
	}
	case '[':
		v->type = PG_TOML_ARRAY;
		v->flags = F_INLINE;
		rc = parse_array(ps, depth, v);
		break;
	case '{':
		v->type = PG_TOML_TABLE;
		v->flags = F_INLINE | F_DEFINED;
		rc = parse_inline_table(ps, depth, v);
		break;
	default:
		if (at(ps, "true") || at(ps, "false")) {
			size_t n = at(ps, "true") ? 4 : 5;

			if (ps->p + n < ps->end && (is_bare(ps->p[n]) || ps->p[n] == '.')) {
				rc = fail(ps, "invalid value (strings must be quoted)");
				break;
			}
			v->type = PG_TOML_BOOL;
			v->b = n == 4;
			ps->p += n;
			rc = 0;
		} else if ((*ps->p >= '0' && *ps->p <= '9') || *ps->p == '+' || *ps->p == '-' ||
			   at(ps, "inf") || at(ps, "nan")) {
			rc = parse_number(ps, v);
		} else {
			rc = fail(ps, "expected a value, found %s (strings must be quoted)", show(ps, b));
		}
	}
	if (rc < 0)
		return -1;
	*out = v;
	return 0;
}

static int parse_header(struct parser *ps, struct pg_toml *root, struct pg_toml **cur)
{
	bool aot = at(ps, "[[");
	struct key k = { .n = 0 };
	struct pg_toml *t = root, *c;
	char ks[256], b[8];
	int ret = -1;

	ps->p += aot ? 2 : 1;
	if (parse_key(ps, &k) < 0)
		goto out;
	if (!at(ps, aot ? "]]" : "]")) {
		fail(ps, "expected '%s' to close the table header, found %s", aot ? "]]" : "]", show(ps, b));
		goto out;
	}
	ps->p += aot ? 2 : 1;
	if (end_of_line(ps, "a table header") < 0)
		goto out;
	for (int i = 0; i < k.n - 1; i++) {
		c = find(t, k.part[i]);
		if (!c) {
			if (!(c = member_new(ps, t, k.part[i], PG_TOML_TABLE, k.line, 0)))
				goto out;
		} else if (c->type == PG_TOML_ARRAY && (c->flags & F_AOT)) {
			c = c->kids[c->n - 1];
		} else if (c->type != PG_TOML_TABLE || (c->flags & F_INLINE)) {
			fail_at(ps, k.line, "'%s' is already %s (line %d)", key_str(&k, i + 1, ks, sizeof(ks)),
				c->type == PG_TOML_TABLE ? "an inline table" : c->type == PG_TOML_ARRAY ? "an array" : "a value",
				c->line);
			goto out;
		}
		t = c;
	}
	key_str(&k, k.n, ks, sizeof(ks));
	c = find(t, k.part[k.n - 1]);
	if (aot) {
		struct pg_toml *e;

		if (!c) {
			if (!(c = member_new(ps, t, k.part[k.n - 1], PG_TOML_ARRAY, k.line, F_AOT)))
				goto out;
		} else if (c->type != PG_TOML_ARRAY || !(c->flags & F_AOT)) {
			fail_at(ps, k.line, "[[%s]]: '%s' is already %s (line %d)", ks, ks,
				c->type == PG_TOML_ARRAY ? "a static array" : c->type == PG_TOML_TABLE ? "a table" : "a value",
				c->line);
			goto out;
		}
		if (!(e = node_new(ps, PG_TOML_TABLE, k.line)))
			goto out;
		e->flags = F_DEFINED;
		if (node_add(ps, c, e) < 0)
			goto out;
		*cur = e;
	} else {
		if (!c) {
			if (!(c = member_new(ps, t, k.part[k.n - 1], PG_TOML_TABLE, k.line, F_DEFINED)))
				goto out;
		} else if (c->type == PG_TOML_TABLE && !(c->flags & (F_DEFINED | F_DOTTED | F_INLINE))) {
			c->flags |= F_DEFINED;
			c->line = k.line;
		} else {
			fail_at(ps, k.line, "[%s] is defined twice (first on line %d)", ks, c->line);
			goto out;
		}
		*cur = c;
	}
	ret = 0;
out:
	key_release(&k);
	return ret;
}

int pg_toml_parse(struct pg_toml **out, const char *text, size_t len, const char *file,
		  struct pg_error *err)
{
	struct parser ps = { text, text + len, 1, file, err, 0, NULL, PG_BUF_INIT };
	struct doc *d = NULL;
	struct pg_toml *root = NULL, *cur;
	char b[8];
	int ret = -1;

	*out = NULL;
	if (len > PG_TOML_MAX_INPUT) {
		ret = pg_error_set(err, PG_ECONFIG, "%s: file too large (%zu bytes; limit %zu)", file, len,
				   PG_TOML_MAX_INPUT);
		goto out;
	}
	if (check_text(&ps) < 0)
		goto out;
	if (len >= 3 && !memcmp(text, "\xef\xbb\xbf", 3))
		ps.p += 3; /* byte order mark */
	if (!(d = calloc(1, sizeof(*d)))) {
		oom(&ps);
		goto out;
	}
	root = &d->root;
	root->type = PG_TOML_TABLE;
	root->line = 1;
	root->flags = F_DEFINED | F_ROOT; /* the arena is freed with the root from now on */
	ps.arena = &d->arena;
	ps.nodes++;
	cur = root;
	while (ps.p < ps.end) {
		skip_ws(&ps);
		skip_comment(&ps);
		if (ps.p >= ps.end)
			break;
		if (eat_newline(&ps))
			continue;
		if (*ps.p == '[') {
			if (parse_header(&ps, root, &cur) < 0)
				goto out;
		} else {
			struct key k = { .n = 0 };
			struct pg_toml *v = NULL;
			int rc;

			if (parse_key(&ps, &k) < 0) {
				key_release(&k);
				goto out;
			}
			if (ps.p >= ps.end || *ps.p != '=') {
				key_release(&k);
				fail(&ps, "expected '=' after a key, found %s", show(&ps, b));
				goto out;
			}
			ps.p++;
			skip_ws(&ps);
			if (parse_value(&ps, 0, &v) < 0) {
				key_release(&k);
				goto out;
			}
			rc = assign(&ps, cur, &k, v, 0);
			key_release(&k);
			if (rc < 0 || end_of_line(&ps, "a value") < 0)
				goto out;
		}
	}
	*out = root;
	root = NULL;
	ret = 0;
out:
	pg_toml_free(root);
	pg_buf_release(&ps.scratch);
	if (ret < 0 && err && err->code == 0)
		ret = pg_error_set(err, PG_ECONFIG, "%s: invalid TOML", file);
	else if (ret < 0 && err)
		ret = err->code;
	return ret;
}
