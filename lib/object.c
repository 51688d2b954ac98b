#include "object.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "alloc.h"
#include "hexdigit.h"

/* Sets the first problem found; later ones are dropped (git fsck reports the first too). */
static void problem(char *out, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void problem(char *out, const char *fmt, ...)
{
	va_list ap;

	if (out[0])
		return;
	va_start(ap, fmt);
	vsnprintf(out, PG_OBJECT_PROBLEM_MAX, fmt, ap);
	va_end(ap);
}

/* A pushed name, safe to print: printable ASCII kept, anything else '?', cut at 40 bytes. */
static void safe_name(char *out, size_t n, const char *s, size_t len)
{
	size_t o = 0;

	for (size_t i = 0; i < len && o + 4 < n; i++) {
		if (i == 40) {
			memcpy(out + o, "...", 3);
			o += 3;
			break;
		}
		out[o++] = (s[i] >= 0x20 && s[i] < 0x7f) ? s[i] : '?';
	}
	out[o] = '\0';
}

static bool parse_hex_oid(git_oid *out, const char *p, const char *end)
{
	if (end - p < GIT_OID_HEXSZ)
		return false;
	for (int i = 0; i < GIT_OID_HEXSZ; i++)
		if (pg_hexdigit(p[i]) < 0)
			return false;
	return git_oid_fromstrn(out, p, GIT_OID_HEXSZ) == 0;
}

/* "KEY <40 hex>\n" at p: the id, and p moved past the line. */
static bool id_line(git_oid *out, const char **p, const char *end, const char *key)
{
	size_t k = strlen(key);
	const char *q = *p;

	if ((size_t)(end - q) < k + GIT_OID_HEXSZ + 1 || memcmp(q, key, k) ||
	    !parse_hex_oid(out, q + k, end) || q[k + GIT_OID_HEXSZ] != '\n')
		return false;
	*p = q + k + GIT_OID_HEXSZ + 1;
	return true;
}

static bool starts(const char *p, const char *end, const char *key)
{
	size_t k = strlen(key);

	return (size_t)(end - p) >= k && !memcmp(p, key, k);
}

static const char *eol(const char *p, const char *end)
{
	const char *nl = memchr(p, '\n', (size_t)(end - p));

	return nl ? nl : end;
}

/* Where the header ends (the '\n' of its last line, or end), and the header
 * problems git fsck checks first (verify_headers): a NUL byte, no end. */
static const char *header_end(const char *data, size_t len, char *why)
{
	for (size_t i = 0; i < len; i++) {
		if (data[i] == '\0') {
			problem(why, "NUL byte in the header");
			break;
		}
		if (data[i] == '\n' && i + 1 < len && data[i + 1] == '\n')
			return data + i;
	}
	{
		const char *nl = memchr(data, '\n', len), *last = NULL;

		while (nl) { /* the header may end at the end of the object, on a newline */
			last = nl;
			nl = memchr(nl + 1, '\n', len - (size_t)(nl + 1 - data));
		}
		if (!len || data[len - 1] != '\n')
			problem(why, "the header does not end with a newline");
		if (memchr(data, '\0', len)) {
			const char *z = memchr(data, '\0', len);

			/* read no further than the NUL: git does not either */
			nl = memchr(data, '\n', (size_t)(z - data));
			for (last = NULL; nl; nl = memchr(nl + 1, '\n', (size_t)(z - nl - 1)))
				last = nl;
			return last ? last : data;
		}
		return len && data[len - 1] == '\n' ? data + len - 1 : data + len;
	}
}

/* Reads an ident line's value [p, e) tolerantly, as git's split_ident_line does. */
static void read_ident(struct pg_object_ident *id, const char *p, const char *e)
{
	const char *lt = memchr(p, '<', (size_t)(e - p)), *gt, *name_end;

	id->present = true;
	id->name = p;
	id->time = 0;
	if (!lt) {
		id->name_len = (size_t)(e - p);
		id->email = e;
		id->email_len = 0;
		return;
	}
	name_end = lt;
	while (name_end > p && (name_end[-1] == ' ' || name_end[-1] == '\t'))
		name_end--;
	id->name_len = (size_t)(name_end - p);
	gt = memchr(lt + 1, '>', (size_t)(e - lt - 1));
	id->email = lt + 1;
	id->email_len = (size_t)((gt ? gt : e) - id->email);
	if (gt) {
		const char *d = gt + 1;
		int64_t t = 0;

		while (d < e && *d == ' ')
			d++;
		for (; d < e && *d >= '0' && *d <= '9'; d++) {
			if (t > (INT64_MAX - (*d - '0')) / 10) {
				t = 0; /* git reads an overflowing date as 0 too */
				break;
			}
			t = t * 10 + (*d - '0');
		}
		id->time = t;
	}
}

/* git fsck's fsck_ident() on the value [p, e) of line `what`. */
static void check_ident(char *why, const char *what, const char *p, const char *e)
{
	const char *q = p;
	uint64_t t = 0;
	bool overflow = false;

	if (why[0])
		return;
	if (q < e && *q == '<') {
		problem(why, "the %s line has no name before the <email>", what);
		return;
	}
	q += strcspn(q, "<>\n");
	if (q >= e || *q != '<') {
		problem(why, q < e && *q == '>' ? "the %s line has a '>' in the name" : "the %s line has no <email>",
			what);
		return;
	}
	if (q == p || q[-1] != ' ') {
		problem(why, "the %s line has no space before the <email>", what);
		return;
	}
	q++;
	q += strcspn(q, "<>\n");
	if (q >= e || *q != '>') {
		problem(why, "the %s line's <email> is not closed by '>'", what);
		return;
	}
	q++;
	if (q >= e || *q != ' ') {
		problem(why, "the %s line has no space before the date", what);
		return;
	}
	q++;
	if (q < e && *q == '0' && q + 1 < e && q[1] != ' ') {
		problem(why, "the %s line's date is zero-padded", what);
		return;
	}
	{
		const char *d = q;

		for (; d < e && *d >= '0' && *d <= '9'; d++) {
			if (t > (UINT64_MAX - (uint64_t)(*d - '0')) / 10)
				overflow = true;
			else
				t = t * 10 + (uint64_t)(*d - '0');
		}
		if (overflow || (d > q && t > (uint64_t)INT64_MAX)) {
			problem(why, "the %s line's date is too large (over 2^63 seconds)", what);
			return;
		}
		if (d == q || d >= e || *d != ' ') {
			problem(why, "the %s line's date is not a number of seconds", what);
			return;
		}
		q = d + 1;
	}
	if (e - q != 5 || (q[0] != '+' && q[0] != '-') || !isdigit((unsigned char)q[1]) ||
	    !isdigit((unsigned char)q[2]) || !isdigit((unsigned char)q[3]) || !isdigit((unsigned char)q[4]))
		problem(why, "the %s line's time zone is not +HHMM or -HHMM", what);
}

/* A header line's key ("author" for "author A <a> 1 +0000"). */
static size_t key_len(const char *p, const char *e)
{
	const char *sp = memchr(p, ' ', (size_t)(e - p));

	return (size_t)((sp ? sp : e) - p);
}

static bool key_is(const char *p, size_t klen, const char *key)
{
	return klen == strlen(key) && !memcmp(p, key, klen);
}

int pg_object_commit_parse(struct pg_object_commit *out, const char *data, size_t len)
{
	static const char *const once[] = { "tree", "parent", "author", "committer", "encoding", "gpgsig",
					    "gpgsig-sha256" };
	const char *end = data + len, *hend, *p = data;
	size_t seen[sizeof(once) / sizeof(once[0])] = { 0 };
	size_t alloc = 0;

	*out = (struct pg_object_commit)PG_OBJECT_COMMIT_INIT;
	hend = header_end(data, len, out->problem);
	if (hend < end && *hend == '\n')
		hend++; /* include the last header line's newline */

	/* git's grammar: tree, parents, then the rest (parse_commit_buffer) */
	if (id_line(&out->tree, &p, hend, "tree "))
		out->has_tree = true;
	else
		problem(out->problem, starts(p, hend, "tree ") ? "the tree line is not 'tree <object id>'"
							      : "no tree line");
	while (starts(p, hend, "parent ")) {
		git_oid id;

		if (!id_line(&id, &p, hend, "parent ")) {
			problem(out->problem, "parent line %zu is not 'parent <object id>'", out->nparents + 1);
			break;
		}
		if (PG_GROW(out->parents, out->nparents + 1, alloc) < 0)
			return -1;
		out->parents[out->nparents++] = id;
	}
	/* git fsck: one author, then one committer, right after the parents */
	if (!starts(p, hend, "author "))
		problem(out->problem, "no author line");
	else {
		const char *e = eol(p, hend);

		check_ident(out->problem, "author", p + 7, e);
		if (e < hend && starts(e + 1, hend, "author "))
			problem(out->problem, "two author lines");
	}
	/* every header line: the fields, and keys that may appear only once */
	for (const char *q = data; q < hend;) {
		const char *e = eol(q, hend);
		size_t k = key_len(q, e);

		if (q[0] != ' ') { /* not a continuation line */
			for (size_t i = 0; i < sizeof(once) / sizeof(once[0]); i++)
				if (key_is(q, k, once[i]) && ++seen[i] == 2 && i != 1 && i != 2)
					problem(out->problem, "a second %s line", once[i]);
			if (key_is(q, k, "author") && !out->author.present)
				read_ident(&out->author, q + 7 > e ? e : q + 7, e);
			else if (key_is(q, k, "committer") && !out->committer.present)
				read_ident(&out->committer, q + 10 > e ? e : q + 10, e);
			else if (key_is(q, k, "encoding") && !out->encoding) {
				out->encoding = q + 9 > e ? e : q + 9;
				out->encoding_len = (size_t)(e - out->encoding);
			}
		}
		q = e + 1;
	}
	if (seen[1] > out->nparents)
		problem(out->problem, "a parent line after the author");
	if (!seen[3]) {
		problem(out->problem, "no committer line");
	} else if (starts(p, hend, "author ")) {
		const char *q = p;

		while (q < hend && starts(q, hend, "author "))
			q = eol(q, hend) + 1;
		if (!starts(q, hend, "committer "))
			problem(out->problem, "the committer line does not follow the author line");
		else
			check_ident(out->problem, "committer", q + 10, eol(q, hend));
	}
	/* the message: after the blank line, without leading newlines (as libgit2 gives it) */
	p = hend;
	if (p < end && *p == '\n')
		p++;
	while (p < end && *p == '\n')
		p++;
	out->message = p;
	out->message_len = (size_t)(end - p);
	return 0;
}

void pg_object_commit_release(struct pg_object_commit *c)
{
	free(c->parents);
	c->parents = NULL;
	c->nparents = 0;
}

/* ------------------------------------------------------------ header fields */

void pg_object_fields(struct pg_object_field *f, const char *data, size_t len)
{
	char ignored[PG_OBJECT_PROBLEM_MAX] = "";
	const char *hend = header_end(data, len, ignored);

	memset(f, 0, sizeof(*f));
	f->next = data;
	f->end = hend < data + len && *hend == '\n' ? hend + 1 : hend;
	f->raw = true;
}

void pg_object_fields_cut(struct pg_object_field *f, const char *header, size_t len)
{
	memset(f, 0, sizeof(*f));
	f->next = header;
	f->end = header + len;
}

bool pg_object_field_next(struct pg_object_field *f)
{
	const char *p = f->next, *end = f->end, *e;

	if (p >= end || (f->raw && *p == '\n'))
		return false;
	e = eol(p, end);
	f->text = p;
	f->key_len = key_len(p, e);
	f->index++;
	if (e > p) /* an empty line is a field of its own: no continuation */
		while (e + 1 < end && e[1] == ' ')
			e = eol(e + 1, end);
	f->len = (size_t)(e - p);
	f->next = e < end ? e + 1 : e;
	return true;
}

bool pg_object_field_is_id(const struct pg_object_field *f, const char *key)
{
	size_t k = strlen(key);
	git_oid id;

	return f->key_len == k && !memcmp(f->text, key, k) && f->len == k + 1 + GIT_OID_HEXSZ &&
	       parse_hex_oid(&id, f->text + k + 1, f->text + f->len);
}

/* " SECONDS +HHMM": what git writes after an ident's email. */
static bool is_date(const char *p, const char *e)
{
	const char *d;

	if (p >= e || *p++ != ' ')
		return false;
	for (d = p; d < e && *d >= '0' && *d <= '9'; d++)
		;
	return d > p && e - d == 6 && d[0] == ' ' && (d[1] == '+' || d[1] == '-') && isdigit((unsigned char)d[2]) &&
	       isdigit((unsigned char)d[3]) && isdigit((unsigned char)d[4]) && isdigit((unsigned char)d[5]);
}

/* The ident of c that field f holds (its first author or committer), or NULL. */
static const struct pg_object_ident *ident_in(const struct pg_object_commit *c, const struct pg_object_field *f,
					      const char *line_end)
{
	const struct pg_object_ident *id = key_is(f->text, f->key_len, "author")      ? &c->author
					   : key_is(f->text, f->key_len, "committer") ? &c->committer
										    : NULL;

	return id && id->present && id->name >= f->text && id->name <= line_end ? id : NULL;
}

int pg_object_commit_other_headers(char **out, const struct pg_object_commit *c, const char *data, size_t len)
{
	struct pg_object_field f;
	size_t blanks = 0, o = 0;
	char *s = NULL;

	*out = NULL;
	pg_object_fields(&f, data, len);
	while (pg_object_field_next(&f)) {
		const char *line_end = eol(f.text, f.text + f.len), *tail = line_end;
		const struct pg_object_ident *id = ident_in(c, &f, line_end);
		size_t keep;

		if (pg_object_field_is_id(&f, "tree") || pg_object_field_is_id(&f, "parent")) {
			blanks++;
			continue;
		}
		if (id) {
			const char *gt = id->email + id->email_len;

			/* the name and email are read; a '>' closes the email, the rest is the date */
			if (gt < line_end && *gt == '>' && !is_date(gt + 1, line_end))
				tail = gt + 1;
			if (tail == line_end && line_end == f.text + f.len) {
				blanks++;
				continue;
			}
		}
		if (!s) {
			if (!(s = malloc(len + 2))) /* a last line without its newline gets one */
				return -1;
			memset(s, '\n', blanks);
			o = blanks;
		} else {
			memset(s + o, '\n', blanks);
			o += blanks;
		}
		blanks = 0;
		if (id) { /* the key, what follows the email, the continuation lines */
			memcpy(s + o, f.text, f.key_len);
			o += f.key_len;
			keep = (size_t)(f.text + f.len - tail);
			memcpy(s + o, tail, keep);
			o += keep;
		} else {
			memcpy(s + o, f.text, f.len);
			o += f.len;
		}
		s[o++] = '\n';
	}
	if (s)
		s[o] = '\0';
	*out = s;
	return 0;
}

static git_object_t type_named(const char *p, size_t n)
{
	static const struct {
		const char *name;
		git_object_t type;
	} types[] = { { "commit", GIT_OBJECT_COMMIT }, { "tree", GIT_OBJECT_TREE }, { "blob", GIT_OBJECT_BLOB },
		      { "tag", GIT_OBJECT_TAG } };

	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		if (strlen(types[i].name) == n && !memcmp(types[i].name, p, n))
			return types[i].type;
	return GIT_OBJECT_INVALID;
}

void pg_object_tag_parse(struct pg_object_tag *out, const char *data, size_t len)
{
	static const char *const once[] = { "object", "type", "tag", "tagger" };
	const char *end = data + len, *hend, *p = data;
	size_t seen[4] = { 0 };

	memset(out, 0, sizeof(*out));
	out->type = GIT_OBJECT_INVALID;
	hend = header_end(data, len, out->problem);
	if (hend < end && *hend == '\n')
		hend++;
	/* git fsck_tag_standalone(): object, type, tag, then an optional tagger */
	if (id_line(&out->target, &p, hend, "object "))
		out->has_target = true;
	else
		problem(out->problem, starts(p, hend, "object ") ? "the object line is not 'object <object id>'"
								: "no object line");
	if (!starts(p, hend, "type ")) {
		problem(out->problem, "no type line");
	} else {
		const char *e = eol(p, hend);
		char name[48];

		out->type = type_named(p + 5, (size_t)(e - p - 5));
		if (out->type == GIT_OBJECT_INVALID) {
			safe_name(name, sizeof(name), p + 5, (size_t)(e - p - 5));
			problem(out->problem, "unknown object type '%s'", name);
		}
		p = e < hend ? e + 1 : e;
	}
	if (!starts(p, hend, "tag "))
		problem(out->problem, "no tag line");
	else
		p = eol(p, hend) + 1;
	for (const char *q = data; q < hend;) {
		const char *e = eol(q, hend);
		size_t k = key_len(q, e);

		if (q[0] != ' ')
			for (size_t i = 0; i < 4; i++)
				if (key_is(q, k, once[i]) && ++seen[i] == 2)
					problem(out->problem, "a second %s line", once[i]);
		if (key_is(q, k, "tagger") && !out->tagger.present) {
			read_ident(&out->tagger, q + 7 > e ? e : q + 7, e);
			check_ident(out->problem, "tagger", q + 7 > e ? e : q + 7, e);
		}
		q = e + 1;
	}
}

uint32_t pg_object_canon_mode(uint32_t raw)
{
	switch (raw & 0170000) {
	case 0100000:
		return (raw & 0100) ? 0100755 : 0100644;
	case 0120000:
		return 0120000;
	case 0040000:
		return 0040000;
	default:
		return 0160000;
	}
}

/* git's order of tree entries: by name, a directory's name as if it ended in '/'. */
static int entry_cmp(const char *a, size_t alen, bool adir, const char *b, size_t blen, bool bdir)
{
	size_t n = alen < blen ? alen : blen;
	int c = (n && a[0] != b[0]) ? (unsigned char)a[0] - (unsigned char)b[0] : memcmp(a, b, n);
	unsigned char ca, cb;

	if (c)
		return c;
	ca = n < alen ? (unsigned char)a[n] : adir ? '/' : 0;
	cb = n < blen ? (unsigned char)b[n] : bdir ? '/' : 0;
	if (n == alen && n == blen)
		return 0; /* the same name, whatever the types: a duplicate */
	return ca < cb ? -1 : ca > cb;
}

/* ".git" in any case, also as NTFS reads it (".git " or ".git." with trailing
 * dots and spaces, or the short name "git~1"): git refuses to check it out. */
static bool is_dotgit(const char *name, size_t len)
{
	if (name[0] != '.' && name[0] != 'g' && name[0] != 'G')
		return false; /* most names: one comparison */
	if (len == 5 && !strncasecmp(name, "git~1", 5))
		return true;
	if (len < 4 || strncasecmp(name, ".git", 4))
		return false;
	for (size_t i = 4; i < len; i++)
		if (name[i] != ' ' && name[i] != '.')
			return false;
	return true;
}

/* A tree's entries, from libgit2's parse or from pg_object_tree_read(): the
 * checks below read either through entry_at(). */
struct entries {
	const git_tree *tree;                     /* or */
	const struct pg_object_tree_entry *v;
	size_t n;
};

static void entry_at(const struct entries *t, size_t i, const char **name, size_t *len, bool *dir)
{
	if (t->tree) {
		const git_tree_entry *e = git_tree_entry_byindex(t->tree, i);

		*name = git_tree_entry_name(e);
		*len = strlen(*name);
		*dir = pg_object_canon_mode((uint32_t)git_tree_entry_filemode_raw(e)) == 0040000;
	} else {
		*name = t->v[i].name;
		*len = t->v[i].len;
		*dir = pg_object_canon_mode(t->v[i].mode) == 0040000;
	}
}

/* Is there a file (not a directory) named like directory entry i, before it?
 * The entries are in git's order by now, so a binary search finds it: in git's
 * order a file "f" comes before "f.txt", which comes before the directory "f". */
static bool file_named_like(const struct entries *t, size_t i, const char *name, size_t len)
{
	size_t lo = 0, hi = i;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2, nlen;
		const char *n;
		bool dir;
		int c;

		entry_at(t, mid, &n, &nlen, &dir);
		c = entry_cmp(n, nlen, dir, name, len, false);
		if (c == 0)
			return true;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return false;
}

static bool entries_problem(const struct entries *t, char *why, size_t n)
{
	const char *prev = NULL;
	size_t prevlen = 0;
	bool prevdir = false;
	char shown[48], shown2[48];

	for (size_t i = 0; i < t->n; i++) {
		const char *name;
		size_t len;
		bool dir;
		int order;

		entry_at(t, i, &name, &len, &dir);
		order = prev ? entry_cmp(prev, prevlen, prevdir, name, len, dir) : -1;
		if (!len || order >= 0 || memchr(name, '/', len) ||
		    (name[0] == '.' && (len == 1 || (len == 2 && name[1] == '.'))) || is_dotgit(name, len) ||
		    (dir && file_named_like(t, i, name, len))) {
			safe_name(shown, sizeof(shown), name, len);
			if (!len)
				snprintf(why, n, "an entry has an empty name");
			else if (memchr(name, '/', len))
				snprintf(why, n, "the entry '%s' has a '/' in its name", shown);
			else if (name[0] == '.' && (len == 1 || (len == 2 && name[1] == '.')))
				snprintf(why, n, "an entry is named '%s'", shown);
			else if (is_dotgit(name, len))
				snprintf(why, n, "an entry is named '%s' (git's own directory)", shown);
			else if (order > 0) {
				safe_name(shown2, sizeof(shown2), prev, prevlen);
				snprintf(why, n, "the entries are not in git's order ('%s' after '%s')", shown, shown2);
			} else /* the same name twice, next to each other or not ("f", "f.txt", "f/") */
				snprintf(why, n, "the entry '%s' appears twice", shown);
			return true;
		}
		prev = name;
		prevlen = len;
		prevdir = dir;
	}
	return false;
}

int pg_object_tree_entry_cmp(const struct pg_object_tree_entry *a, const struct pg_object_tree_entry *b)
{
	return entry_cmp(a->name, a->len, pg_object_canon_mode(a->mode) == 0040000, b->name, b->len,
			 pg_object_canon_mode(b->mode) == 0040000);
}

bool pg_object_tree_problem(const git_tree *tree, char *why, size_t n)
{
	struct entries t = { tree, NULL, git_tree_entrycount(tree) };

	return entries_problem(&t, why, n);
}

/* The modes git writes, as it writes them: any other (a leading zero, 100664)
 * leaves the tree to libgit2, whose reading of it is the reference. */
static uint32_t written_mode(const char *p, size_t n)
{
	switch (n) {
	case 5:
		return !memcmp(p, "40000", 5) ? 0040000 : 0;
	case 6:
		return !memcmp(p, "100644", 6)	 ? 0100644
		       : !memcmp(p, "100755", 6) ? 0100755
		       : !memcmp(p, "120000", 6) ? 0120000
		       : !memcmp(p, "160000", 6) ? 0160000
						 : 0;
	default:
		return 0;
	}
}

int pg_object_tree_read(const char *data, size_t len, struct pg_object_tree_entry **v, size_t *n,
			size_t *alloc)
{
	const char *p = data, *end = data + len;
	struct entries t;
	char why[PG_OBJECT_PROBLEM_MAX];

	*n = 0;
	while (p < end) {
		const char *sp = memchr(p, ' ', (size_t)(end - p) < 7 ? (size_t)(end - p) : 7), *nul;
		uint32_t mode = sp ? written_mode(p, (size_t)(sp - p)) : 0;

		if (!mode || !(nul = memchr(sp + 1, '\0', (size_t)(end - sp - 1))) || nul - sp - 1 > 0xffff ||
		    end - (nul + 1) < GIT_OID_RAWSZ)
			return 1;
		if (PG_GROW(*v, *n + 1, *alloc) < 0)
			return -1;
		(*v)[(*n)++] = (struct pg_object_tree_entry){ sp + 1, (size_t)(nul - sp - 1), mode,
							       (const unsigned char *)nul + 1 };
		p = nul + 1 + GIT_OID_RAWSZ;
	}
	t = (struct entries){ NULL, *v, *n };
	return entries_problem(&t, why, sizeof(why)) ? 1 : 0;
}

void pg_object_tree_explain(const char *data, size_t len, char *why, size_t n)
{
	const char *p = data, *end = data + len;
	char shown[48];

	while (p < end) {
		const char *sp = memchr(p, ' ', (size_t)(end - p)), *nul;
		uint64_t mode = 0;

		if (!sp || sp == p) {
			snprintf(why, n, "an entry has no mode");
			return;
		}
		for (const char *m = p; m < sp; m++) {
			if (*m < '0' || *m > '7') {
				safe_name(shown, sizeof(shown), p, (size_t)(sp - p));
				snprintf(why, n, "an entry's mode '%s' is not an octal number", shown);
				return;
			}
			if (mode <= 0xffffffffu)
				mode = mode * 8 + (uint64_t)(*m - '0');
		}
		nul = memchr(sp + 1, '\0', (size_t)(end - sp - 1));
		if (!nul) {
			snprintf(why, n, "the last entry is cut short (no end to its name)");
			return;
		}
		safe_name(shown, sizeof(shown), sp + 1, (size_t)(nul - sp - 1));
		if (nul == sp + 1) {
			snprintf(why, n, "an entry has an empty name");
			return;
		}
		if (nul - sp - 1 > 0xffff) {
			snprintf(why, n, "the entry '%s' has a name of %zu bytes (libgit2 reads at most 65535)",
				 shown, (size_t)(nul - sp - 1));
			return;
		}
		if (mode > 0xffff) {
			snprintf(why, n, "the entry '%s' has the mode %.*s, too large for libgit2", shown,
				 (int)(sp - p > 24 ? 24 : sp - p), p);
			return;
		}
		if (end - (nul + 1) < GIT_OID_RAWSZ) {
			snprintf(why, n, "the entry '%s' is cut short (no full object id)", shown);
			return;
		}
		p = nul + 1 + GIT_OID_RAWSZ;
	}
	snprintf(why, n, "it cannot be parsed");
}

static bool space_nonlf(char c)
{
	return c == ' ' || c == '\t' || c == '\v' || c == '\f' || c == '\r';
}

char *pg_object_summary(const char *msg, size_t len)
{
	const char *end = msg + len, *space = NULL;
	bool space_nl = false;
	char *out = malloc(len + 1);
	size_t o = 0;

	if (!out)
		return NULL;
	/* libgit2's git_commit_summary(), to the byte: the first paragraph, a
	 * whitespace run that holds a newline collapsed to one space, trailing
	 * whitespace dropped (leading whitespace is kept) */
	for (const char *p = msg; p < end && *p; p++) {
		if (*p == '\n') {
			const char *next = p + 1;

			if (next >= end || !*next || *next == '\n')
				break;
			while (next < end && *next && space_nonlf(*next))
				next++;
			if (next >= end || !*next || *next == '\n')
				break;
		}
		if (space_nonlf(*p) || *p == '\n') {
			if (!space) {
				space = p;
				space_nl = false;
			}
			space_nl |= *p == '\n';
			continue;
		}
		if (space) {
			if (space_nl) {
				out[o++] = ' ';
			} else {
				memcpy(out + o, space, (size_t)(p - space));
				o += (size_t)(p - space);
			}
		}
		space = NULL;
		out[o++] = *p;
	}
	out[o] = '\0';
	return out;
}
