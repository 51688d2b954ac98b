#include "glob.h"

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

static bool match(const char *p, const char *t)
{
	while (*p) {
		switch (*p) {
		case '*':
			if (p[1] == '*') {
				while (*p == '*')
					p++;
				if (*p == '/' && match(p + 1, t))
					return true; /* "**" + "/" matching no directory at all */
				for (;; t++) {
					if (match(p, t))
						return true;
					if (!*t)
						return false;
				}
			}
			p++;
			for (;; t++) {
				if (match(p, t))
					return true;
				if (!*t || *t == '/')
					return false;
			}
		case '?':
			if (!*t || *t == '/')
				return false;
			p++, t++;
			break;
		case '[': {
			int r;

			if (!*t || *t == '/')
				return false;
			r = match_class(&p, (unsigned char)*t);
			if (r < 0)
				return false;
			if (!r)
				return false;
			t++;
			break;
		}
		case '\\':
			if (p[1])
				p++;
			/* fall through */
		default:
			if (*p != *t)
				return false;
			p++, t++;
		}
	}
	return !*t;
}

bool pg_glob_match(const char *pattern, const char *text)
{
	return match(pattern, text);
}

bool pg_glob_match_path(const char *pattern, const char *path)
{
	if (*pattern == '/')
		return match(pattern + 1, path);
	for (const char *s = path;; s++) {
		if (match(pattern, s))
			return true;
		s = strchr(s, '/');
		if (!s)
			return false;
	}
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
