#include "re2.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "hexdigit.h"

#define MAX_GROUP_DEPTH 200

struct xl {
	const char *s;   /* pattern */
	size_t i;        /* read position */
	struct pg_buf out;
	int groups;      /* capture groups seen */
	bool mstack[MAX_GROUP_DEPTH + 1]; /* (?m) in force at each group depth */
	int depth;
	int rep;         /* 0: no quantifier just before; 1: after a quantifier; 2: after a lazy one */
	struct pg_error *err;
};

__attribute__((format(printf, 2, 3)))
static int xl_fail(struct xl *x, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return pg_error_set(x->err, PG_ECONFIG, "%s (at offset %zu)", msg, x->i);
}

static int xl_add(struct xl *x, const char *s)
{
	return pg_buf_adds(&x->out, s) < 0 ? pg_error_oom(x->err) : 0;
}

static int xl_addn(struct xl *x, const char *s, size_t n)
{
	return pg_buf_add(&x->out, s, n) < 0 ? pg_error_oom(x->err) : 0;
}

static int xl_addf(struct xl *x, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int xl_addf(struct xl *x, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = pg_buf_vaddf(&x->out, fmt, ap);
	va_end(ap);
	return rc < 0 ? pg_error_oom(x->err) : 0;
}

/* c escaped with a backslash (formatting it would cost more than the rest
 * of the translation). */
static int xl_esc(struct xl *x, char c)
{
	char e[2] = { '\\', c };

	return xl_addn(x, e, 2);
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool is_alnum(char c)
{
	return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* An escape shared by both contexts; x->i is just past the backslash.
 * Returns 1 when handled, 0 when c is left to the caller, negative on error. */
static int xl_escape_common(struct xl *x, bool in_class)
{
	char c = x->s[x->i];

	switch (c) {
	case 'd': case 'D': case 'w': case 'W':
	case 'a': case 'f': case 't': case 'n': case 'r':
		x->i++;
		return xl_esc(x, c) < 0 ? -1 : 1;
	case 'v': /* PCRE2's \v is a class of vertical space; Go's is VT */
		x->i++;
		return xl_add(x, "\\x{0B}") < 0 ? -1 : 1;
	case 's': /* Go's \s is [\t\n\f\r ]; PCRE2's also has VT */
		x->i++;
		return xl_add(x, in_class ? "\\t\\n\\f\\r " : "[\\t\\n\\f\\r ]") < 0 ? -1 : 1;
	case 'S':
		x->i++;
		return xl_add(x, in_class ? "\\x{0}-\\x{8}\\x{B}\\x{E}-\\x{1F}\\x{21}-\\x{10FFFF}"
					  : "[^\\t\\n\\f\\r ]") < 0 ? -1 : 1;
	case 'p': case 'P': {
		size_t start = x->i++;

		if (x->s[x->i] == '{') {
			while (x->s[x->i] && x->s[x->i] != '}')
				x->i++;
			if (!x->s[x->i])
				return xl_fail(x, "unterminated \\%c{...}", c);
			x->i++;
		} else if (is_alnum(x->s[x->i])) {
			x->i++;
		} else {
			return xl_fail(x, "invalid character class \\%c", c);
		}
		return xl_addf(x, "\\%.*s", (int)(x->i - start), x->s + start) < 0 ? -1 : 1;
	}
	case 'x': {
		unsigned long v = 0;
		int nd = 0;

		x->i++;
		if (x->s[x->i] == '{') {
			x->i++;
			while (pg_hexdigit(x->s[x->i]) >= 0 && nd < 8) {
				v = v * 16 + (unsigned long)pg_hexdigit(x->s[x->i++]);
				nd++;
			}
			if (!nd || x->s[x->i] != '}' || v > 0x10ffff)
				return xl_fail(x, "invalid escape \\x{...}");
			x->i++;
		} else {
			for (; nd < 2; nd++) {
				if (pg_hexdigit(x->s[x->i]) < 0)
					return xl_fail(x, "escape \\x needs two hexadecimal digits or {...}");
				v = v * 16 + (unsigned long)pg_hexdigit(x->s[x->i++]);
			}
		}
		return xl_addf(x, "\\x{%lX}", v) < 0 ? -1 : 1;
	}
	case '0': case '1': case '2': case '3': case '4': case '5': case '6': case '7': {
		unsigned v = 0;
		int nd = 0;

		if (c != '0' && !is_digit(x->s[x->i + 1]))
			return xl_fail(x, "backreference \\%c is not supported (Go's RE2 has no backreferences)", c);
		while (nd < 3 && x->s[x->i] >= '0' && x->s[x->i] <= '7') {
			v = v * 8 + (unsigned)(x->s[x->i++] - '0');
			nd++;
		}
		return xl_addf(x, "\\o{%o}", v) < 0 ? -1 : 1;
	}
	default:
		if ((unsigned char)c < 0x80 && c && !is_alnum(c)) {
			x->i++;
			return xl_esc(x, c) < 0 ? -1 : 1;
		}
		return 0;
	}
}

static int xl_bad_escape(struct xl *x)
{
	char c = x->s[x->i];

	if (!c)
		return xl_fail(x, "trailing backslash");
	switch (c) {
	case 'k': case 'g':
		return xl_fail(x, "backreference \\%c is not supported (Go's RE2 has no backreferences)", c);
	case 'Z':
		return xl_fail(x, "\\Z is not in Go's RE2 syntax; use \\z or $");
	case 'h': case 'H': case 'R': case 'X': case 'K': case 'G': case 'N': case 'C': case 'V':
		return xl_fail(x, "escape \\%c is PCRE syntax, not Go's RE2", c);
	}
	if ((unsigned char)c >= 0x80)
		return xl_fail(x, "invalid escape of a non-ASCII character");
	return xl_fail(x, "invalid escape \\%c in Go's RE2 syntax", c);
}

static int xl_class(struct xl *x)
{
	bool first = true;

	x->i++; /* [ */
	if (xl_add(x, "[") < 0)
		return -1;
	if (x->s[x->i] == '^') {
		x->i++;
		if (xl_add(x, "^") < 0)
			return -1;
	}
	for (;;) {
		char c = x->s[x->i];

		if (!c)
			return xl_fail(x, "missing ']' to close a character class");
		if (c == ']' && !first) {
			x->i++;
			return xl_add(x, "]");
		}
		first = false;
		if (c == '[' && x->s[x->i + 1] == ':') {
			const char *end = strstr(x->s + x->i + 2, ":]");
			size_t n;

			if (!end)
				return xl_fail(x, "unterminated [:class:]");
			n = (size_t)(end + 2 - (x->s + x->i));
			if (xl_addn(x, x->s + x->i, (size_t)(n)) < 0)
				return -1;
			x->i += n;
		} else if (c == '\\') {
			int rc;

			x->i++;
			if ((rc = xl_escape_common(x, true)) < 0)
				return -1;
			if (!rc)
				return x->s[x->i] == 'b' ? xl_fail(x, "\\b is not valid inside a character class in Go's RE2")
							 : xl_bad_escape(x);
		} else if (c == '[' || c == ']') {
			x->i++;
			if (xl_esc(x, c) < 0)
				return -1;
		} else {
			/* one UTF-8 sequence or byte */
			size_t n = 1;

			while ((x->s[x->i + n] & 0xc0) == 0x80)
				n++;
			if (xl_addn(x, x->s + x->i, (size_t)(n)) < 0)
				return -1;
			x->i += n;
		}
	}
}

/* Go accepts {n}, {n,}, {n,m} with counts up to 1000; anything else is a literal '{'. */
static int xl_repeat_len(const char *s, int *bad_count)
{
	const char *p = s + 1;
	char *e;
	long a = -1, b = -1;

	*bad_count = 0;
	if (!is_digit(*p))
		return 0;
	a = strtol(p, &e, 10);
	p = e;
	if (*p == ',') {
		p++;
		if (is_digit(*p)) {
			b = strtol(p, &e, 10);
			p = e;
		}
	} else {
		b = a;
	}
	if (*p != '}')
		return 0;
	if (a > 1000 || b > 1000 || (b >= 0 && b < a))
		*bad_count = 1;
	return (int)(p + 1 - s);
}

static int xl_group(struct xl *x)
{
	const char *s = x->s + x->i;
	bool m = x->mstack[x->depth];

	if (s[1] != '?') {
		x->i++;
		x->groups++;
		goto push;
	}
	if (!strncmp(s, "(?P<", 4) || (!strncmp(s, "(?<", 3) && s[3] != '=' && s[3] != '!')) {
		const char *name = s + (s[2] == 'P' ? 4 : 3), *e = name;

		while (is_alnum(*e) || *e == '_')
			e++;
		if (*e != '>' || e == name)
			return xl_fail(x, "invalid named capture group");
		if (is_digit(*name))
			return xl_fail(x, "group name '%.*s' starts with a digit, which PCRE2 cannot accept",
				       (int)(e - name), name);
		if (xl_addf(x, "(?<%.*s>", (int)(e - name), name) < 0)
			return -1;
		x->i = (size_t)(e + 1 - x->s);
		x->groups++;
		goto pushed;
	}
	if (!strncmp(s, "(?=", 3) || !strncmp(s, "(?!", 3) || !strncmp(s, "(?<=", 4) || !strncmp(s, "(?<!", 4))
		return xl_fail(x, "lookaround assertions are not in Go's RE2 syntax (gitleaks would reject this pattern)");
	if (!strncmp(s, "(?>", 3))
		return xl_fail(x, "atomic groups are not in Go's RE2 syntax");
	if (!strncmp(s, "(?P=", 4) || !strncmp(s, "(?P>", 4))
		return xl_fail(x, "backreferences and recursion are not in Go's RE2 syntax");
	if (!strncmp(s, "(?#", 3) || !strncmp(s, "(?|", 3) || !strncmp(s, "(?(", 3) || !strncmp(s, "(?R", 3) ||
	    !strncmp(s, "(?&", 3) || (s[2] && is_digit(s[2])) || s[2] == '+')
		return xl_fail(x, "'%.3s' is PCRE syntax, not Go's RE2", s);
	if (s[2] == ':') {
		x->i += 3;
		if (xl_add(x, "(?:") < 0)
			return -1;
		goto pushed;
	}
	/* flags: (?flags) or (?flags:re) with flags from imsU, '-' negating */
	{
		const char *p = s + 2;
		bool neg = false, any = false, nm = m;

		for (; *p && *p != ')' && *p != ':'; p++) {
			if (*p == '-') {
				if (neg)
					return xl_fail(x, "invalid flag group '%.*s'", (int)(p - s + 1), s);
				neg = true;
				any = false;
				continue;
			}
			if (!strchr("imsU", *p))
				return xl_fail(x, "flag '%c' is not supported in Go's RE2 (only i, m, s, U)", *p);
			if (*p == 'm')
				nm = !neg;
			any = true;
		}
		if (!*p || !any)
			return xl_fail(x, "invalid flag group");
		if (xl_addn(x, s, (size_t)(p - s + 1)) < 0)
			return -1;
		x->i = (size_t)(p + 1 - x->s);
		if (*p == ')') {
			x->mstack[x->depth] = nm;
			x->rep = 3; /* nothing to repeat */
			return 0;
		}
		m = nm;
		goto pushed;
	}
push:
	if (xl_add(x, "(") < 0)
		return -1;
pushed:
	if (x->depth >= MAX_GROUP_DEPTH)
		return xl_fail(x, "groups nested too deeply");
	x->mstack[++x->depth] = m;
	x->rep = 3;
	return 0;
}

int pg_re2_translate(char **out, int *ngroups, const char *go, struct pg_error *err)
{
	struct xl x = { .s = go, .out = PG_BUF_INIT, .err = err };
	int ret = -1;

	*out = NULL;
	pg_buf_init(&x.out, 1 << 20);
	x.rep = 3;
	while (go[x.i]) {
		char c = go[x.i];
		int prev = x.rep;

		x.rep = 0;
		switch (c) {
		case '\\': {
			int rc;

			x.i++;
			if (go[x.i] == 'Q') {
				const char *e = strstr(go + x.i + 1, "\\E");
				size_t end = e ? (size_t)(e - go) : strlen(go);

				for (x.i++; x.i < end; x.i++) {
					char q = go[x.i];

					if ((unsigned char)q < 0x80 && !is_alnum(q) && q != '_' && q != ' ') {
						if (xl_esc(&x, q) < 0)
							goto out;
					} else if (xl_addn(&x, &q, 1) < 0) {
						goto out;
					}
				}
				if (e)
					x.i += 2;
				break;
			}
			if (go[x.i] == 'A' || go[x.i] == 'z' || go[x.i] == 'b' || go[x.i] == 'B') {
				if (xl_esc(&x, go[x.i++]) < 0)
					goto out;
				x.rep = 3;
				break;
			}
			if ((rc = xl_escape_common(&x, false)) < 0)
				goto out;
			if (!rc) {
				xl_bad_escape(&x);
				goto out;
			}
			break;
		}
		case '[':
			if (xl_class(&x) < 0)
				goto out;
			break;
		case '(':
			if (xl_group(&x) < 0)
				goto out;
			break;
		case ')':
			if (x.depth == 0) {
				xl_fail(&x, "unmatched ')'");
				goto out;
			}
			x.depth--;
			x.i++;
			if (xl_add(&x, ")") < 0)
				goto out;
			break;
		case '|':
			x.i++;
			x.rep = 3;
			if (xl_add(&x, "|") < 0)
				goto out;
			break;
		case '$':
			x.i++;
			x.rep = 3;
			if (xl_add(&x, x.mstack[x.depth] ? "$" : "\\z") < 0)
				goto out;
			break;
		case '^':
			x.i++;
			x.rep = 3;
			if (xl_add(&x, "^") < 0)
				goto out;
			break;
		case '*': case '+': case '?': case '{': {
			int len = 1, bad = 0;

			if (c == '{' && !(len = xl_repeat_len(go + x.i, &bad))) {
				x.i++;
				x.rep = 0;
				if (xl_add(&x, "\\{") < 0)
					goto out;
				break;
			}
			if (bad) {
				xl_fail(&x, "invalid repeat count '%.*s' (Go allows at most 1000)", len, go + x.i);
				goto out;
			}
			if (prev == 1 && c == '?') {
				x.rep = 2; /* lazy */
			} else if (prev == 1 || prev == 2) {
				xl_fail(&x, "nested repetition operator '%c' (Go rejects it; PCRE2 would read a possessive or nested quantifier)", c);
				goto out;
			} else if (prev == 3) {
				xl_fail(&x, "repetition operator '%c' with nothing to repeat", c);
				goto out;
			} else {
				x.rep = 1;
			}
			if (xl_addn(&x, go + x.i, (size_t)len) < 0)
				goto out;
			x.i += (size_t)len;
			break;
		}
		case '}':
			x.i++;
			if (xl_add(&x, "\\}") < 0)
				goto out;
			break;
		default: {
			size_t n = 1;

			while ((go[x.i + n] & 0xc0) == 0x80)
				n++;
			if (xl_addn(&x, go + x.i, (size_t)(n)) < 0)
				goto out;
			x.i += n;
		}
		}
	}
	if (x.depth) {
		xl_fail(&x, "missing ')'");
		goto out;
	}
	if (ngroups)
		*ngroups = x.groups;
	*out = pg_buf_detach(&x.out);
	ret = *out ? 0 : pg_error_oom(err);
out:
	pg_buf_release(&x.out);
	if (ret < 0 && err && err->code)
		ret = err->code;
	return ret;
}
