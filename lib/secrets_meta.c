/* The secrets check outside file contents (check_secrets.h): ref names,
 * commit and annotated tag messages, the commits' author and committer
 * (names and emails; both decoded and, when the encoding header makes them
 * read otherwise, as written), every other header field of those commits
 * and tags but the object ids (mergetag, encoding, gpgsig, the tagger, the
 * tag's name, headers git does not know), the paths of added files. They are
 * small: the texts of one push are laid end to end, one per line or lines,
 * and scanned in one pass of the same engine as file contents (in chunks of
 * at most META_CHUNK bytes); each secret found is traced back to its text.
 * Every secret is registered for masking (mask.h) before the findings of its
 * chunk are added. */
#include "check_secrets.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "budget.h"
#include "buf.h"
#include "mask.h"
#include "object.h"

#define META_CHUNK ((size_t)4 << 20)
#define MAX_TAG_DEPTH 64

enum meta_kind { META_REF, META_MESSAGE, META_IDENT, META_TAG, META_PATH, META_HEADER, META_TAG_HEADER };


/* An annotated tag whose message is scanned. */
struct meta_tag {
	char hex[GIT_OID_HEXSZ + 1];
	char *name;      /* its "tag" header, else its short id */
	char *subject;   /* the first paragraph of its message on one line */
	const char *ref; /* the pushed ref naming it (or a tag that does), or NULL */
};

struct tags {
	struct meta_tag *v;
	size_t n, alloc;
};

/* One commit adding a path (paths are scanned once, however many commits add them). */
struct path_at {
	const char *path;
	const struct pg_commit *c;
	const char *ref; /* the ref in scope that brings c, or NULL (pushguard scan) */
	size_t order;    /* walk order: the first commit adding it comes first */
};

struct item {
	enum meta_kind kind;
	size_t start, len;    /* in the chunk */
	size_t first_line;    /* the chunk's 0-based line where it starts */
	const struct pg_commit *c;  /* META_MESSAGE, META_IDENT, META_HEADER */
	const char *ref;      /* the ref in scope bringing it, or NULL */
	bool report;          /* META_REF: a finding (else masked only) */
	bool raw;             /* META_MESSAGE, META_IDENT: as written, not decoded (walk.h: pg_commit_raw) */
	size_t tag;           /* META_TAG, META_TAG_HEADER: its index in meta.tags */
	size_t field;         /* META_HEADER, META_TAG_HEADER: its place in the header, from 1 */
	size_t at, nat;       /* META_PATH: its entries in the sorted path_at array */
};

struct meta {
	struct pg_secret_engine *e;
	git_repository *repo;
	struct pg_findings *out; /* NULL: masked only */
	struct pg_secrets_scanner scanner;
	bool ready;
	struct pg_buf buf;
	size_t lines;            /* newlines in buf */
	struct item *items;
	size_t n, alloc;
	const struct path_at *paths;
	struct pg_secrets_found found;
	const struct tags *tags;
	bool always;             /* ref names: scanned whatever the time budget says */
	struct pg_buf field;     /* one header field, its continuation lines unfolded */
};

static int oom(struct pg_error *err)
{
	return pg_error_oom(err);
}

/* The item holding chunk offset off. */
static const struct item *item_at(const struct meta *m, size_t off)
{
	size_t lo = 0, hi = m->n;

	while (hi - lo > 1) {
		size_t mid = (lo + hi) / 2;

		if (m->items[mid].start <= off)
			lo = mid;
		else
			hi = mid;
	}
	return &m->items[lo];
}

/* Rules' allowlists that name commits or paths: the chunk was scanned
 * without them (it holds many commits' texts); the rest were applied. */
static bool allowlisted(const struct pg_secret_engine *e, const struct pg_rule *r, const char *commit,
			const char *path, const char *secret, const char *line, char *why, size_t n)
{
	for (size_t i = 0; i < r->nallowlists; i++) {
		const struct pg_allowlist *al = &r->allowlists[i];

		if ((al->commits.n || al->npaths) && pg_allowlist_allows(al, commit, path, secret, NULL, line)) {
			snprintf(why, n, "allowlist of rule %s%s%s", r->id, al->description ? ": " : "",
				 al->description ? al->description : "");
			return true;
		}
	}
	for (size_t i = 0; i < e->rules.nallowlists; i++) {
		const struct pg_allowlist *al = &e->rules.allowlists[i];

		if ((al->commits.n || al->npaths) &&
		    pg_allowlist_allows_ex(al, commit, path, secret, NULL, line, r->value_check == PG_VALUE_CHECK_NONE)) {
			snprintf(why, n, "global allowlist%s%s", al->description ? ": " : "",
				 al->description ? al->description : "");
			return true;
		}
	}
	return false;
}

#define FIX_REVOKE "revoke or rotate the secret at its provider (it was pushed);\n"
#define FIX_IDENT FIX_REVOKE "then make the commit again under your own name and email: git config user.name\n" \
		  "and user.email, then git commit --amend --reset-author (the last commit) or git rebase -i\n" \
		  "COMMIT~ with exec git commit --amend --no-edit --reset-author (older ones), and push again"

/* The name of the header field an item holds: its key when it reads as one
 * (at most 64 letters, digits, '-', '_' or '.'), else "#N", its place in the
 * header (a key is the pusher's text, like a path: masked, but kept short). */
static void field_label(const struct meta *m, const struct item *it, char *out, size_t n)
{
	const char *p = m->buf.ptr + it->start;
	size_t k = 0;

	while (k < it->len && k <= 64 && (isalnum((unsigned char)p[k]) || p[k] == '-' || p[k] == '_' || p[k] == '.'))
		k++;
	if (k && k <= 64 && (k == it->len || p[k] == ' ' || p[k] == '\n'))
		snprintf(out, n, "%.*s", (int)k, p);
	else
		snprintf(out, n, "#%zu", it->field);
}

/* How to take the secret out of a commit header: git commit --amend keeps
 * mergetag and unknown headers (git's read_commit_extra_headers), drops
 * encoding (unless i18n.commitEncoding says otherwise) and gpgsig; git
 * rebase writes only the headers it knows. */
static const char *header_fix(const char *label)
{
	if (!strcmp(label, "mergetag"))
		return FIX_REVOKE "then merge again: a mergetag header is a copy of the signed tag merged (git merge TAG);\n"
				  "make the tag again without it (git tag -f -a TAG COMMIT) and merge that, or merge the commit\n"
				  "it names (git merge TAG^{commit}), and push again";
	if (!strcmp(label, "gpgsig") || !strcmp(label, "gpgsig-sha256"))
		return FIX_REVOKE "then sign the commit again: git commit --amend --no-edit -S (the last commit) or git\n"
				  "rebase -i COMMIT~ with exec git commit --amend --no-edit -S (older ones), and push again";
	if (!strcmp(label, "encoding"))
		return FIX_REVOKE "then make the commit again in UTF-8: git -c i18n.commitEncoding=UTF-8 commit --amend\n"
				  "--no-edit (the last commit), and push again";
	if (!strcmp(label, "author") || !strcmp(label, "committer"))
		return FIX_IDENT;
	return FIX_REVOKE "then make the commit again without that header (git commit --amend keeps it, a rebase\n"
			  "does not): git rebase --force-rebase COMMIT~, and push again";
}

static int report(struct meta *m, const struct item *it, const struct pg_secret *s, size_t line,
		  const struct pg_commit *c, const char *ref, const char *path, struct pg_error *err)
{
	struct pg_secret_engine *e = m->e;
	struct pg_buf where = PG_BUF_INIT, fp = PG_BUF_INIT, msg = PG_BUF_INIT;
	const char *commit = "", *subject = NULL, *fix = NULL, *in = NULL;
	const char *allowed = s->allowed_by[0] ? s->allowed_by : NULL;
	enum pg_confidence conf = s->confidence;
	char why[200], secret[1024] = "", text[1024] = "", label[80] = "", inbuf[120];
	int rc;

	switch (it->kind) {
	case META_MESSAGE:
		commit = c->hex;
		subject = c->subject;
		pg_buf_addf(&where, "commit %.7s message", c->hex);
		in = it->raw ? "in the commit message as written (its encoding header makes it read otherwise)"
			     : "in the commit message";
		fix = FIX_REVOKE "then reword the commit: git commit --amend (the last commit) or git rebase -i\n"
		      "COMMIT~ (older ones, mark it reword), and push again";
		break;
	case META_IDENT:
		commit = c->hex;
		subject = c->subject;
		pg_buf_addf(&where, "commit %.7s %s", c->hex, line == 1 ? "author" : "committer");
		in = it->raw ? line == 1 ? "in the commit's author as written (its encoding header makes it read otherwise)"
					 : "in the commit's committer as written (its encoding header makes it read otherwise)"
		     : line == 1 ? "in the commit's author"
				 : "in the commit's committer";
		fix = FIX_IDENT;
		break;
	case META_HEADER:
		commit = c->hex;
		subject = c->subject;
		field_label(m, it, label, sizeof(label));
		pg_buf_addf(&where, "commit %.7s header %s", c->hex, label);
		snprintf(inbuf, sizeof(inbuf), label[0] == '#' ? "in the commit's header %s" : "in the commit's %s header",
			 label);
		in = inbuf;
		fix = header_fix(label);
		break;
	case META_TAG_HEADER:
		commit = m->tags->v[it->tag].hex;
		subject = m->tags->v[it->tag].subject;
		field_label(m, it, label, sizeof(label));
		pg_buf_addf(&where, "tag %s header %s", m->tags->v[it->tag].name, label);
		snprintf(inbuf, sizeof(inbuf),
			 label[0] == '#' ? "in the annotated tag's header %s" : "in the annotated tag's %s header", label);
		in = inbuf;
		fix = !strcmp(label, "tagger")
			      ? FIX_REVOKE "then make the tag again under your own name and email: git config user.name and\n"
					   "user.email, then git tag -f -a NAME COMMIT, and push it again"
			      : FIX_REVOKE "then make the tag again (git writes only the headers it knows): git tag -f -a NAME\n"
					   "COMMIT, and push it again";
		break;
	case META_TAG:
		commit = m->tags->v[it->tag].hex;
		subject = m->tags->v[it->tag].subject;
		pg_buf_addf(&where, "tag %s message", m->tags->v[it->tag].name);
		in = "in the annotated tag's message";
		fix = FIX_REVOKE "then make the tag again with another message: git tag -f -a NAME COMMIT,\n"
		      "and push it again";
		break;
	case META_REF:
		pg_buf_addf(&where, "ref name %s", ref);
		in = "in the name of the ref";
		fix = FIX_REVOKE "push under a name without it, e.g. git push origin HEAD:refs/heads/NEW-NAME";
		break;
	case META_PATH:
		commit = c->hex;
		subject = c->subject;
		pg_buf_addf(&where, "path %s", path);
		in = "in the path of an added file";
		fix = FIX_REVOKE "then rename it: git mv PATH NEW-PATH, git commit --amend (the last commit)\n"
		      "or git rebase -i COMMIT~ (older ones), and push again";
		break;
	}
	/* what the allowlists read: the secret and its line, cut to a size */
	{
		const char *data = m->buf.ptr, *ls, *le;
		size_t end = it->start + it->len, a = s->start < end ? s->start : end, b = s->end > a ? s->end : a;

		snprintf(secret, sizeof(secret), "%.*s", (int)(b - a), data + a);
		ls = memrchr(data + it->start, '\n', a - it->start);
		ls = ls ? ls + 1 : data + it->start;
		le = memchr(data + a, '\n', end - a);
		le = le ? le : data + end;
		snprintf(text, sizeof(text), "%.*s", (int)(le - ls), ls);
	}
	if (!allowed && allowlisted(e, s->rule, *commit ? commit : NULL, it->kind == META_PATH ? path : NULL,
				    secret, text, why, sizeof(why)))
		allowed = why;
	if (it->kind == META_PATH && conf < PG_CONFIDENCE_HIGH && pg_credential_path_is_example(path))
		conf = PG_CONFIDENCE_LOW;
	/* a message is prose, like documentation: a generic credential there is
	 * mostly an example (`redis-cli -a foobar`); provider tokens stay high.
	 * A mergetag header holds the message of the tag merged. */
	if ((it->kind == META_MESSAGE || it->kind == META_TAG || (it->kind == META_HEADER && !strcmp(label, "mergetag"))) &&
	    conf < PG_CONFIDENCE_HIGH)
		conf = PG_CONFIDENCE_LOW;
	pg_buf_addf(&fp, "%s:%s:%s:%zu", commit, where.ptr, s->rule->id, line);
	if (!allowed)
		allowed = pg_secret_engine_ignored_by(e, fp.ptr);
	pg_buf_addf(&msg, "%s, %s%s", s->rule->description ? s->rule->description : s->rule->id, in,
		    s->in_base64 ? " (inside a base64-encoded value)" : "");
	if (pg_buf_failed(&where) || pg_buf_failed(&fp) || pg_buf_failed(&msg)) {
		rc = oom(err);
		goto out;
	}
	/* pg_findings_add() masks every field: where and the fingerprint too */
	rc = pg_findings_add(m->out, &(struct pg_finding_spec){ "secrets", s->rule->id, ref, commit, subject,
				     where.ptr, line, s->excerpt, fp.ptr, allowed, conf, conf < e->block },
			     msg.ptr, fix, err);
out:
	pg_buf_release(&where);
	pg_buf_release(&fp);
	pg_buf_release(&msg);
	return rc;
}

/* The path up to the end of the component holding byte `end` (exclusive) of it. */
static char *path_prefix(const char *path, size_t end)
{
	size_t len = strlen(path);
	const char *slash = strchr(path + (end > len ? len : end ? end - 1 : 0), '/');

	return strndup(path, slash ? (size_t)(slash - path) : len);
}

/* True when no parent of c has prefix (a file or directory): the name is new there. */
static bool new_in(git_repository *repo, const struct pg_commit *c, const char *prefix)
{
	bool had = false;

	for (size_t i = 0; i < c->nparent_trees && !had; i++) {
		git_tree *tree = NULL;
		git_tree_entry *entry = NULL;

		had = git_tree_lookup(&tree, repo, &c->parent_trees[i]) == 0 &&
		      git_tree_entry_bypath(&entry, tree, prefix) == 0;
		git_tree_entry_free(entry);
		git_tree_free(tree);
	}
	git_error_clear();
	return !had;
}

/* A commit's idents as one text, line 1 the author's and line 2 the
 * committer's: decoded, or as written (raw). */
static void ident_text(struct pg_buf *t, const struct pg_commit *c, bool raw)
{
	const char *an = raw ? c->raw->author_name : c->author_name, *ae = raw ? c->raw->author_email : c->author_email;
	const char *cn = raw ? c->raw->committer_name : c->committer_name;
	const char *ce = raw ? c->raw->committer_email : c->committer_email;

	pg_buf_addf(t, "author %s <%s>\ncommitter %s <%s>\n", an ? an : "", ae ? ae : "", cn ? cn : "", ce ? ce : "");
}

/* True when the decoded form of a raw item (its message, or its idents)
 * holds these bytes too: a Latin-1 message keeps its ASCII token, found and
 * reported there. */
static bool decoded_has(const struct item *it, const char *secret, size_t n)
{
	const struct pg_commit *c = it->c;
	struct pg_buf t = PG_BUF_INIT;
	bool has;

	if (it->kind == META_MESSAGE)
		return memmem(c->message, strlen(c->message), secret, n) != NULL;
	ident_text(&t, c, false);
	has = !pg_buf_failed(&t) && memmem(t.ptr, t.len, secret, n);
	pg_buf_release(&t);
	return has;
}

static int report_found(struct meta *m, const struct pg_secret *s, struct pg_error *err)
{
	const struct item *it = item_at(m, s->start);
	size_t line = it->kind == META_MESSAGE || it->kind == META_IDENT || it->kind == META_TAG ||
				      it->kind == META_HEADER || it->kind == META_TAG_HEADER
			      ? s->line - it->first_line
			      : 0;
	int rc = 0;

	switch (it->kind) {
	case META_REF:
		if (it->report)
			rc = report(m, it, s, 0, NULL, it->ref, NULL, err);
		break;
	case META_MESSAGE:
	case META_IDENT:
		if (it->raw && decoded_has(it, m->buf.ptr + s->start, s->end - s->start))
			break; /* found where the commit reads so: reported there */
		/* fall through */
	case META_HEADER:
		rc = report(m, it, s, line, it->c, it->ref, NULL, err);
		break;
	case META_TAG:
	case META_TAG_HEADER:
		rc = report(m, it, s, line, NULL, it->ref, NULL, err);
		break;
	case META_PATH: {
		/* a finding where the part of the path holding it is new: never
		 * for a file changed under an old name */
		char *prefix = path_prefix(m->paths[it->at].path, s->end - it->start);

		if (!prefix)
			return oom(err);
		for (size_t k = it->at; k < it->at + it->nat && rc == 0; k++)
			if (new_in(m->repo, m->paths[k].c, prefix))
				rc = report(m, it, s, 0, m->paths[k].c, m->paths[k].ref, m->paths[k].path, err);
		free(prefix);
		break;
	}
	}
	return rc;
}

/* Scans the chunk: every secret masked from now on, then reported. */
static int flush(struct meta *m, struct pg_error *err)
{
	int rc = 0;

	if (!m->n)
		return 0;
	if (!m->always && pg_budget_expired(m->e->deadline_ms))
		return pg_budget_error(err, "scanning for secrets (messages and names)");
	if (!m->ready) {
		if ((rc = pg_secrets_scanner_init(&m->scanner, &m->e->rules, m->e->pf, err)) < 0)
			return rc;
		m->scanner.no_inline_allow = !m->e->allow_inline;
		m->ready = true;
	}
	if (pg_buf_failed(&m->buf))
		return oom(err);
	m->found.n = 0;
	if ((rc = pg_secrets_scan(&m->scanner, m->buf.ptr, m->buf.len, NULL, NULL, NULL, NULL, &m->found, err)) < 0)
		return rc;
	for (size_t i = 0; i < m->found.n; i++)
		if (pg_mask_add(m->buf.ptr + m->found.v[i].start, m->found.v[i].end - m->found.v[i].start) < 0)
			return oom(err);
	for (size_t i = 0; i < m->found.n && m->out && rc == 0; i++)
		rc = report_found(m, &m->found.v[i], err);
	pg_buf_reset(&m->buf);
	m->lines = 0;
	m->n = 0;
	return rc;
}

/* Adds a text to the chunk (scanning the chunk first when it is full). */
static int add(struct meta *m, const struct item *it, const char *text, size_t len, struct pg_error *err)
{
	struct item *x;
	int rc;

	if (m->buf.len && m->buf.len + len + 1 > META_CHUNK && (rc = flush(m, err)) < 0)
		return rc;
	if (PG_GROW(m->items, m->n + 1, m->alloc) < 0)
		return oom(err);
	x = &m->items[m->n++];
	*x = *it;
	x->start = m->buf.len;
	x->len = len;
	x->first_line = m->lines;
	pg_buf_add(&m->buf, text, len);
	if (pg_buf_failed(&m->buf))
		return oom(err);
	/* a NUL (a tag message holds what git does not show after one) is a line break */
	text = m->buf.ptr + x->start;
	for (char *p = m->buf.ptr + x->start; (p = memchr(p, '\0', len - (size_t)(p - text))); p++)
		*p = '\n';
	for (const char *p = text; (p = memchr(p, '\n', len - (size_t)(p - text))); p++)
		m->lines++;
	if (!len || text[len - 1] != '\n') {
		pg_buf_addch(&m->buf, '\n');
		m->lines++;
	}
	return pg_buf_failed(&m->buf) ? oom(err) : 0;
}

static void meta_release(struct meta *m)
{
	if (m->ready)
		pg_secrets_scanner_release(&m->scanner);
	pg_buf_release(&m->buf);
	pg_buf_release(&m->field);
	free(m->items);
	pg_secrets_found_release(&m->found);
}

int pg_secret_engine_scan_refs(struct pg_secret_engine *e, const struct pg_push *push,
			       struct pg_findings *out, struct pg_error *err)
{
	struct meta m = { e, NULL, out, PG_SECRETS_SCANNER_INIT, false, PG_BUF_INIT, 0, NULL, 0, 0, NULL,
			  PG_SECRETS_FOUND_INIT, NULL, true, PG_BUF_INIT };
	int rc = 0;

	if (!e->enabled)
		return 0;
	for (size_t i = 0; i < push->nupdates && rc == 0; i++) {
		const struct pg_ref_update *u = &push->updates[i];
		struct item it = { .kind = META_REF, .ref = u->ref,
				   .report = out && u->created && !u->deleted && pg_policy_scope_matches(&e->scope, u->ref) };

		rc = add(&m, &it, u->ref, strlen(u->ref), err);
	}
	if (rc == 0)
		rc = flush(&m, err);
	meta_release(&m);
	return rc;
}

/* ------------------------------------------------------------ header fields */

/* A header field as git reads its value: each continuation line without its
 * leading space (a mergetag header holds a whole tag, a gpgsig header a
 * signature block), so that what spans lines is found as it was written.
 * Its lines are the field's lines: LINE 1 is the key's. */
static int add_field(struct meta *m, const struct item *it, const struct pg_object_field *f, struct pg_error *err)
{
	pg_buf_reset(&m->field);
	for (const char *p = f->text, *end = f->text + f->len; p < end;) {
		const char *nl = memchr(p, '\n', (size_t)(end - p)), *e = nl ? nl + 1 : end;

		pg_buf_add(&m->field, p, (size_t)(e - p));
		p = e < end && *e == ' ' ? e + 1 : e;
	}
	if (pg_buf_failed(&m->field))
		return oom(err);
	return add(m, it, m->field.ptr, m->field.len, err);
}

/* The commit's header fields the walk holds in no other field (walk.h). */
static int add_headers(struct meta *m, const struct pg_commit *c, const char *ref, struct pg_error *err)
{
	struct pg_object_field f;
	int rc = 0;

	if (!c->headers)
		return 0;
	pg_object_fields_cut(&f, c->headers, strlen(c->headers));
	while (rc == 0 && pg_object_field_next(&f))
		if (f.len) /* an empty line stands for a field read elsewhere */
			rc = add_field(m, &(struct item){ .kind = META_HEADER, .c = c, .ref = ref, .field = f.index }, &f,
				       err);
	return rc;
}

/* "type commit" (or tree, blob, tag): what git reads, nothing else. */
static bool tag_type_field(const struct pg_object_field *f)
{
	static const char *const types[] = { "type commit", "type tree", "type blob", "type tag" };

	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		if (f->len == strlen(types[i]) && !memcmp(f->text, types[i], f->len))
			return true;
	return false;
}

/* ------------------------------------------------------------ tags */

static void tags_release(struct tags *t)
{
	for (size_t i = 0; i < t->n; i++) {
		free(t->v[i].name);
		free(t->v[i].subject);
	}
	free(t->v);
}

/* The objects the repository had before the push (its quarantine aside), or NULL. */
static git_odb *odb_before(git_repository *repo)
{
	git_odb *odb = NULL;
	char *path;

	if (!getenv("GIT_QUARANTINE_PATH"))
		return NULL;
	if (asprintf(&path, "%s/objects", git_repository_commondir(repo)) < 0)
		return NULL;
	if (git_odb_open(&odb, path) < 0) {
		git_error_clear();
		odb = NULL;
	}
	free(path);
	return odb;
}

/* A tag the server had before the push: in its objects outside the
 * quarantine, the ref's old value, or (a check after the push: walk->hide)
 * a ref tip saved before it. */
static bool tag_is_old(const git_oid *id, const struct pg_ref_update *u, git_odb *before,
		       const struct pg_walk *walk)
{
	char hex[GIT_OID_HEXSZ + 1];

	git_oid_tostr(hex, sizeof(hex), id);
	if (u && !strcmp(u->old, hex))
		return true;
	if (before)
		return git_odb_exists(before, id);
	for (size_t i = 0; walk && walk->hide && i < walk->nhide; i++)
		if (git_oid_equal(&walk->hide[i], id))
			return true;
	return false;
}

/* The value of header `name` in a raw tag (up to the blank line), or NULL. */
static char *tag_header(const char *data, size_t len, const char *name)
{
	size_t nl = strlen(name);

	for (const char *p = data, *end = data + len; p < end;) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));

		if (!eol || eol == p)
			break;
		if ((size_t)(eol - p) > nl && !memcmp(p, name, nl) && p[nl] == ' ')
			return strndup(p + nl + 1, (size_t)(eol - p) - nl - 1);
		p = eol + 1;
	}
	return NULL;
}

/* Follows the tags from id (a ref's new value), adding the message of each
 * tag new to the repository; stops at the first old one (what it names is
 * older still). */
static int add_tags(struct meta *m, struct tags *tags, git_odb *odb, git_odb *before, const struct pg_walk *walk,
		    const git_oid *id, const struct pg_ref_update *u, const char *ref, bool all, struct pg_error *err)
{
	git_oid cur = *id;

	for (int depth = 0; depth < MAX_TAG_DEPTH; depth++) {
		git_odb_object *o = NULL;
		struct pg_object_tag tag;
		struct pg_object_field f;
		const char *data, *body;
		size_t len, size;
		git_object_t type;
		struct meta_tag *t;
		bool seen = false;
		int rc;

		if (git_odb_read_header(&size, &type, odb, &cur) < 0) {
			git_error_clear(); /* missing: the walk says so */
			return 0;
		}
		if (type != GIT_OBJECT_TAG || (!all && tag_is_old(&cur, depth ? NULL : u, before, walk)))
			return 0;
		for (size_t i = 0; i < tags->n && !seen; i++)
			seen = !strcmp(tags->v[i].hex, git_oid_tostr_s(&cur));
		if (seen)
			return 0;
		if (git_odb_read(&o, odb, &cur) < 0) {
			git_error_clear();
			return 0;
		}
		data = git_odb_object_data(o);
		size = git_odb_object_size(o);
		len = strnlen(data, size); /* the header: git stops at a NUL too */
		pg_object_tag_parse(&tag, data, len);
		if (PG_GROW(tags->v, tags->n + 1, tags->alloc) < 0) {
			git_odb_object_free(o);
			return oom(err);
		}
		t = &tags->v[tags->n];
		memset(t, 0, sizeof(*t));
		git_oid_tostr(t->hex, sizeof(t->hex), &cur);
		t->ref = ref;
		/* the message: all of it, what follows a NUL too (add() makes it a line break) */
		body = memmem(data, size, "\n\n", 2);
		body = body ? body + 2 : data + size;
		if (!(t->name = tag_header(data, len, "tag")) && !(t->name = strndup(t->hex, 7))) {
			git_odb_object_free(o);
			return oom(err);
		}
		if (!(t->subject = pg_object_summary(body, strnlen(body, (size_t)(data + size - body))))) {
			free(t->name);
			git_odb_object_free(o);
			return oom(err);
		}
		tags->n++;
		rc = add(m, &(struct item){ .kind = META_TAG, .tag = tags->n - 1, .ref = ref }, body,
			 (size_t)(data + size - body), err);
		/* its header but the object id and type: tagger, tag name, unknown fields */
		pg_object_fields(&f, data, len);
		while (rc == 0 && pg_object_field_next(&f))
			if (f.len && !pg_object_field_is_id(&f, "object") && !tag_type_field(&f))
				rc = add_field(m, &(struct item){ .kind = META_TAG_HEADER, .tag = tags->n - 1, .ref = ref,
								  .field = f.index },
					       &f, err);
		git_odb_object_free(o);
		if (rc < 0)
			return rc;
		if (!tag.has_target)
			return 0;
		cur = tag.target;
	}
	return 0;
}

/* ------------------------------------------------------------ paths */

static int cmp_path_at(const void *a, const void *b)
{
	const struct path_at *x = a, *y = b;
	int c = strcmp(x->path, y->path);

	return c ? c : x->order < y->order ? -1 : x->order > y->order;
}

static int add_paths(struct meta *m, const struct pg_walk *walk, const struct pg_check_ctx *ctx,
		     struct path_at **out, struct pg_error *err)
{
	struct path_at *v = NULL;
	size_t n = 0, alloc = 0;
	int rc = 0;

	for (size_t i = 0; i < walk->n; i++) {
		const struct pg_commit *c = &walk->commits[i];
		const struct pg_ref_update *u = ctx ? pg_check_commit_ref(ctx, c, &m->e->scope) : NULL;

		if (ctx && !u)
			continue;
		for (size_t j = 0; j < c->nfiles; j++) {
			if (PG_GROW(v, n + 1, alloc) < 0) {
				free(v);
				return oom(err);
			}
			v[n] = (struct path_at){ c->files[j].path, c, u ? u->ref : NULL, n };
			n++;
		}
	}
	*out = v;
	m->paths = v;
	if (!n)
		return 0;
	qsort(v, n, sizeof(*v), cmp_path_at);
	for (size_t a = 0, b; a < n && rc == 0; a = b) {
		for (b = a + 1; b < n && !strcmp(v[b].path, v[a].path); b++)
			;
		rc = add(m, &(struct item){ .kind = META_PATH, .at = a, .nat = b - a }, v[a].path, strlen(v[a].path), err);
	}
	return rc;
}

/* ------------------------------------------------------------ all of it */

/* Every ref's name, and the annotated tags it names (pushguard scan); names
 * keeps the names, which the chunk's items point to until it is scanned. */
static int add_refs(struct meta *m, struct tags *tags, git_odb *odb, git_repository *repo,
		    struct pg_strvec *names, struct pg_error *err)
{
	git_reference_iterator *it = NULL;
	git_reference *ref;
	int rc = 0, next;

	if (git_reference_iterator_new(&it, repo) < 0)
		return pg_error_git(err, "cannot list the refs");
	while (rc == 0 && (next = git_reference_next(&ref, it)) == 0) {
		git_reference *resolved = NULL;
		const git_oid *target = git_reference_target(ref);
		const char *name;

		/* a direct ref names its object already (resolving it would look it up again) */
		if (!target && git_reference_resolve(&resolved, ref) == 0)
			target = git_reference_target(resolved);
		git_error_clear(); /* a dangling symbolic ref names nothing: its name is still scanned */
		if (pg_strvec_push(names, git_reference_name(ref)) < 0)
			rc = oom(err);
		name = rc == 0 ? names->v[names->n - 1] : NULL;
		if (rc == 0)
			rc = add(m, &(struct item){ .kind = META_REF, .ref = name, .report = true }, name, strlen(name),
				 err);
		if (rc == 0 && target)
			rc = add_tags(m, tags, odb, NULL, NULL, target, NULL, name, true, err);
		git_reference_free(resolved);
		git_reference_free(ref);
	}
	if (rc == 0 && next != GIT_ITEROVER)
		rc = pg_error_git(err, "cannot list the refs");
	git_reference_iterator_free(it);
	return rc;
}

/* Who made the commit, as two lines (line 1 the author, line 2 the
 * committer): a token pasted into user.name or user.email travels with
 * every commit made under it. */
static int add_ident(struct meta *m, const struct pg_commit *c, const char *ref, bool raw, struct pg_error *err)
{
	struct pg_buf t = PG_BUF_INIT;
	int rc;

	ident_text(&t, c, raw);
	rc = pg_buf_failed(&t)
		     ? oom(err)
		     : add(m, &(struct item){ .kind = META_IDENT, .c = c, .ref = ref, .raw = raw }, t.ptr, t.len, err);
	pg_buf_release(&t);
	return rc;
}

/* The message and idents as written, when the commit's encoding header makes
 * them read otherwise: a token in ASCII under "encoding UTF-16LE" reads as
 * other characters once decoded, and is in the object as it was written. */
static int add_raw(struct meta *m, const struct pg_commit *c, const char *ref, struct pg_error *err)
{
	int rc = add(m, &(struct item){ .kind = META_MESSAGE, .c = c, .ref = ref, .raw = true }, c->raw->message,
		     strlen(c->raw->message), err);

	return rc < 0 ? rc : add_ident(m, c, ref, true, err);
}

uint64_t pg_secret_engine_meta_bytes(const struct pg_walk *walk)
{
	uint64_t n = 0;

	for (size_t i = 0; i < walk->n; i++) {
		n += strlen(walk->commits[i].message) + 64;
		if (walk->commits[i].headers)
			n += strlen(walk->commits[i].headers);
		if (walk->commits[i].raw)
			n += strlen(walk->commits[i].raw->message) + 64;
		for (size_t j = 0; j < walk->commits[i].nfiles; j++)
			n += strlen(walk->commits[i].files[j].path);
	}
	return n;
}

int pg_secret_engine_scan_meta(struct pg_secret_engine *e, git_repository *repo,
			       const struct pg_walk *walk, const struct pg_check_ctx *ctx,
			       bool with_refs, struct pg_findings *out, struct pg_error *err)
{
	struct tags tags = { NULL, 0, 0 };
	struct meta m = { e, repo, out, PG_SECRETS_SCANNER_INIT, false, PG_BUF_INIT, 0, NULL, 0, 0, NULL,
			  PG_SECRETS_FOUND_INIT, &tags, false, PG_BUF_INIT };
	struct path_at *paths = NULL;
	git_odb *odb = NULL, *before = NULL;
	struct pg_strvec names = PG_STRVEC_INIT;
	int rc = 0;

	if (!e->enabled)
		return 0;
	if ((rc = pg_secret_engine_prefilter(e, pg_secret_engine_meta_bytes(walk), err)) < 0)
		return rc;
	/* the commits' messages */
	for (size_t i = 0; i < walk->n && rc == 0; i++) {
		const struct pg_commit *c = &walk->commits[i];
		const struct pg_ref_update *u = ctx ? pg_check_commit_ref(ctx, c, &e->scope) : NULL;

		if (c->synthetic || (ctx && !u))
			continue;
		rc = add(&m, &(struct item){ .kind = META_MESSAGE, .c = c, .ref = u ? u->ref : NULL }, c->message,
			 strlen(c->message), err);
		if (rc == 0)
			rc = add_ident(&m, c, u ? u->ref : NULL, false, err);
		if (rc == 0 && c->raw)
			rc = add_raw(&m, c, u ? u->ref : NULL, err);
		if (rc == 0)
			rc = add_headers(&m, c, u ? u->ref : NULL, err);
	}
	/* the annotated tags' */
	if (rc == 0 && (ctx || with_refs) && git_repository_odb(&odb, repo) < 0)
		rc = pg_error_git(err, "cannot open the object database");
	if (rc == 0 && ctx) {
		before = odb_before(repo);
		for (size_t i = 0; i < ctx->push->nupdates && rc == 0; i++) {
			const struct pg_ref_update *u = &ctx->push->updates[i];
			git_oid id;

			if (u->deleted || !pg_policy_scope_matches(&e->scope, u->ref) || git_oid_fromstr(&id, u->new) < 0)
				continue;
			rc = add_tags(&m, &tags, odb, before, walk, &id, u, u->ref, false, err);
		}
	} else if (rc == 0 && with_refs) {
		/* pushguard scan: every ref's name, and the tags they name */
		rc = add_refs(&m, &tags, odb, repo, &names, err);
	}
	/* the paths the commits add */
	if (rc == 0)
		rc = add_paths(&m, walk, ctx, &paths, err);
	if (rc == 0)
		rc = flush(&m, err);
	meta_release(&m);
	tags_release(&tags);
	free(paths);
	pg_strvec_release(&names);
	git_odb_free(before);
	git_odb_free(odb);
	return rc;
}
