#include "allowed_signers.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "alloc.h"
#include "buf.h"

#define MAX_FILE ((size_t)16 << 20)

/* ---------------------------------------------------------------- patterns */

static bool match_pattern(const char *s, const char *p, size_t plen)
{
	const char *star_p = NULL, *star_s = NULL, *pend = p + plen;

	while (*s) {
		if (p < pend && (*p == '?' || *p == *s)) {
			p++;
			s++;
		} else if (p < pend && *p == '*') {
			star_p = ++p;
			star_s = s;
		} else if (star_p) {
			p = star_p;
			s = ++star_s;
		} else {
			return false;
		}
	}
	while (p < pend && *p == '*')
		p++;
	return p == pend;
}

int pg_ssh_match_list(const char *s, const char *list)
{
	int got_positive = 0;

	for (const char *p = list; *p;) {
		const char *comma = strchrnul(p, ',');
		bool neg = *p == '!';
		const char *pat = neg ? p + 1 : p;

		if (match_pattern(s, pat, (size_t)(comma - pat))) {
			if (neg)
				return 0;
			got_positive = 1;
		}
		p = *comma ? comma + 1 : comma;
	}
	return got_positive;
}

/* ---------------------------------------------------------------- times */

int64_t pg_allowed_signers_parse_time(const char *s)
{
	size_t n = strspn(s, "0123456789");
	bool utc = false;
	struct tm tm = { 0 };
	int v[6] = { 0 };
	time_t t;

	if (s[n] == 'Z' || s[n] == 'z') {
		utc = true;
		if (s[n + 1])
			return -1;
	} else if (s[n]) {
		return -1;
	}
	if (n != 8 && n != 12 && n != 14)
		return -1;
	sscanf(s, "%4d%2d%2d", &v[0], &v[1], &v[2]);
	if (n >= 12)
		sscanf(s + 8, "%2d%2d", &v[3], &v[4]);
	if (n == 14)
		sscanf(s + 12, "%2d", &v[5]);
	if (v[1] < 1 || v[1] > 12 || v[2] < 1 || v[2] > 31 || v[3] > 23 || v[4] > 59 || v[5] > 60)
		return -1;
	tm.tm_year = v[0] - 1900;
	tm.tm_mon = v[1] - 1;
	tm.tm_mday = v[2];
	tm.tm_hour = v[3];
	tm.tm_min = v[4];
	tm.tm_sec = v[5];
	tm.tm_isdst = -1;
	t = utc ? timegm(&tm) : mktime(&tm);
	if (t == (time_t)-1)
		return -1;
	return (int64_t)t;
}

/* ---------------------------------------------------------------- parsing */

/* Reads a double-quoted string at *pp (backslash escapes the next char);
 * *pp ends past the closing quote. NULL when unterminated. */
static char *read_quoted(const char **pp)
{
	struct pg_buf b = PG_BUF_INIT;
	const char *p = *pp + 1;

	for (; *p && *p != '"'; p++) {
		if (*p == '\\' && p[1])
			p++;
		pg_buf_addch(&b, *p);
	}
	if (*p != '"') {
		pg_buf_release(&b);
		return NULL;
	}
	*pp = p + 1;
	return pg_buf_detach(&b);
}

/* Options come between the principals and the key; a key starts with its type. */
static bool is_option_start(const char *p)
{
	return strncmp(p, "ssh-", 4) && strncmp(p, "ecdsa-", 6) && strncmp(p, "sk-", 3);
}

static int line_error(struct pg_error *err, const char *path, size_t line, const char *what)
{
	return pg_error_set(err, PG_ECONFIG, "%s:%zu: %s", path, line, what);
}

/* Options up to the first unquoted whitespace. */
static int parse_options(struct pg_allowed_signer *s, const char **pp, const char *path,
			 struct pg_error *err)
{
	const char *p = *pp;

	for (;;) {
		size_t nlen = strcspn(p, "=, \t");
		char *value = NULL;
		int ret = 0;

		if (p[nlen] == '=') {
			const char *v = p + nlen + 1;

			if (*v == '"') {
				if (!(value = read_quoted(&v)))
					return line_error(err, path, s->line, "unterminated quoted option value");
			} else {
				size_t vlen = strcspn(v, ", \t");

				value = strndup(v, vlen);
				v += vlen;
			}
			if (!value)
				return pg_error_oom(err);
			if (nlen == 10 && !strncasecmp(p, "namespaces", nlen)) {
				free(s->namespaces);
				s->namespaces = value;
				value = NULL;
			} else if ((nlen == 11 && !strncasecmp(p, "valid-after", nlen)) ||
				   (nlen == 12 && !strncasecmp(p, "valid-before", nlen))) {
				int64_t t = pg_allowed_signers_parse_time(value);

				if (t < 0)
					ret = line_error(err, path, s->line,
							 "invalid time (expected YYYYMMDD[HHMM[SS]][Z])");
				else if (nlen == 11)
					s->valid_after = t;
				else
					s->valid_before = t;
			} else {
				ret = line_error(err, path, s->line, "unknown option");
			}
			free(value);
			if (ret < 0)
				return ret;
			p = v;
		} else if (nlen == 14 && !strncasecmp(p, "cert-authority", nlen)) {
			s->cert_authority = true;
			p += nlen;
		} else {
			return line_error(err, path, s->line, "unknown option");
		}
		if (*p != ',')
			break;
		p++;
	}
	*pp = p;
	return 0;
}

static int parse_line(struct pg_allowed_signer *s, const char *line, const char *path,
		      struct pg_error *err)
{
	const char *p = line;
	struct pg_error kerr = PG_ERROR_INIT;
	int rc;

	if (*p == '"') {
		if (!(s->principals = read_quoted(&p)))
			return line_error(err, path, s->line, "unterminated quoted principals");
	} else {
		size_t n = strcspn(p, " \t");

		if (!(s->principals = strndup(p, n)))
			return pg_error_oom(err);
		p += n;
	}
	if (!*s->principals)
		return line_error(err, path, s->line, "empty principals");
	if (*p != ' ' && *p != '\t')
		return line_error(err, path, s->line, "expected principals, then a public key");
	p += strspn(p, " \t");
	if (is_option_start(p)) {
		if ((rc = parse_options(s, &p, path, err)) < 0)
			return rc;
		if (*p != ' ' && *p != '\t')
			return line_error(err, path, s->line, "expected a public key after the options");
		p += strspn(p, " \t");
	}
	if ((rc = pg_sshkey_from_text(&s->key, p, NULL, &kerr)) < 0) {
		if (rc == PG_ERR)
			return pg_error_set(err, PG_ERR, "%s", kerr.msg);
		return line_error(err, path, s->line, kerr.msg);
	}
	if (s->valid_after != INT64_MIN && s->valid_before != INT64_MAX && s->valid_before <= s->valid_after)
		return line_error(err, path, s->line, "valid-before is not after valid-after");
	return 0;
}

int pg_allowed_signers_parse(struct pg_allowed_signers *as, const char *text, size_t len,
			     const char *path, struct pg_error *err)
{
	size_t lineno = 0;
	char *line = NULL;
	int ret = -1;

	if (!(as->path = strdup(path)))
		return pg_error_oom(err);
	for (size_t off = 0; off < len;) {
		const char *start = text + off, *eol = memchr(start, '\n', len - off);
		size_t n = eol ? (size_t)(eol - start) : len - off;
		const char *p;
		struct pg_allowed_signer *s;

		off += n + (eol ? 1 : 0);
		lineno++;
		free(line);
		if (!(line = strndup(start, n))) {
			ret = pg_error_oom(err);
			goto out;
		}
		if (strlen(line) != n) {
			ret = line_error(err, path, lineno, "NUL byte in line");
			goto out;
		}
		if (n && line[n - 1] == '\r')
			line[n - 1] = '\0';
		p = line + strspn(line, " \t");
		if (!*p || *p == '#')
			continue;
		if (PG_GROW(as->v, as->n + 1, as->alloc) < 0) {
			ret = pg_error_oom(err);
			goto out;
		}
		s = &as->v[as->n++];
		*s = (struct pg_allowed_signer){ NULL, NULL, INT64_MIN, INT64_MAX, false, PG_SSHKEY_INIT, lineno };
		if ((ret = parse_line(s, p, path, err)) < 0)
			goto out;
	}
	ret = 0;
out:
	free(line);
	return ret;
}

int pg_allowed_signers_load(struct pg_allowed_signers *as, const char *path, struct pg_error *err)
{
	struct pg_buf b = PG_BUF_INIT;
	FILE *fp = fopen(path, "r");
	char chunk[8192];
	size_t n;
	int ret;

	if (!fp)
		return pg_error_set(err, PG_ECONFIG, "cannot read allowed signers file %s: %s", path,
				    strerror(errno));
	pg_buf_init(&b, MAX_FILE);
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0) {
		if (pg_buf_add(&b, chunk, n) < 0) {
			fclose(fp);
			pg_buf_release(&b);
			return pg_error_set(err, PG_ECONFIG, "allowed signers file %s is too large", path);
		}
	}
	if (ferror(fp)) {
		fclose(fp);
		pg_buf_release(&b);
		return pg_error_set(err, PG_ECONFIG, "cannot read allowed signers file %s: %s", path,
				    strerror(errno));
	}
	fclose(fp);
	ret = pg_allowed_signers_parse(as, b.ptr, b.len, path, err);
	pg_buf_release(&b);
	return ret;
}

void pg_allowed_signers_release(struct pg_allowed_signers *as)
{
	for (size_t i = 0; i < as->n; i++) {
		free(as->v[i].principals);
		free(as->v[i].namespaces);
		pg_sshkey_release(&as->v[i].key);
	}
	free(as->v);
	free(as->path);
	*as = (struct pg_allowed_signers)PG_ALLOWED_SIGNERS_INIT;
}

enum pg_as_result pg_allowed_signers_find(const struct pg_allowed_signers *as,
					  const struct pg_sshkey *key, const char *ns,
					  int64_t when, const char *principal,
					  const struct pg_allowed_signer **match)
{
	enum pg_as_result first = PG_AS_NOT_LISTED;

	*match = NULL;
	for (size_t i = 0; i < as->n; i++) {
		const struct pg_allowed_signer *s = &as->v[i];
		enum pg_as_result r;

		if (s->cert_authority || !pg_sshkey_equal(&s->key, key))
			continue;
		if (s->namespaces && pg_ssh_match_list(ns, s->namespaces) != 1)
			r = PG_AS_NAMESPACE;
		else if (when < s->valid_after)
			r = PG_AS_NOT_YET;
		else if (when > s->valid_before)
			r = PG_AS_EXPIRED;
		else if (principal && pg_ssh_match_list(principal, s->principals) != 1)
			r = PG_AS_PRINCIPAL;
		else
			r = PG_AS_TRUSTED;
		if (r == PG_AS_TRUSTED) {
			*match = s;
			return r;
		}
		if (first == PG_AS_NOT_LISTED) {
			first = r;
			*match = s;
		}
	}
	return first;
}
