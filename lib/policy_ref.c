#include "policy_ref.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"

const struct pg_key_def pg_policy_ref_keys[] = {
	{ "pushguard.policyRef", PG_KEY_STRING, NULL,
	  "ref whose tree is a policy layer kept in the repository (e.g. refs/meta/pushguard)",
	  "", "full ref name (system file, named policy or repository config): its commit's tree is a policy layer between the named policy and the repository's config, updated by pushes of `pushguard.policyAdmins` ([Policy ref](policy.md#the-policy-ref))" },
	{ "pushguard.policyAdmins", PG_KEY_STRINGS, NULL,
	  "pushers who may update the policy ref (multi-valued)",
	  "", "pusher identities (as `pushguard.bypassUsers`) who may update the policy ref and delete a ref whose name conflicts with it (below it or one of its directories: those names are reserved); nobody else can (multi)" },
	{ "pushguard.policyRequireSigned", PG_KEY_BOOL, NULL,
	  "new commits of the policy ref need a good signature from a trusted key",
	  "`false`", "bool: every new commit pushed to the policy ref needs a good signature from a key the server trusts (`pushguard.signatures.*`)" },
	{ NULL },
};

bool pg_policy_ref_key_refused(const struct pg_key_def *key)
{
	static const char *const refused[] = {
		"pushguard.policy", "pushguard.policyRef", "pushguard.policyAdmins",
		"pushguard.policyRequireSigned", "pushguard.secrets.rules", "pushguard.webhook.url", NULL,
	};

	/* a path names a server file; a URL is where the server sends its
	 * credentials (the tracker token, the webhook's secret) and its events */
	if (key->kind == PG_KEY_PATH || key->kind == PG_KEY_URL)
		return true;
	for (size_t i = 0; refused[i]; i++)
		if (!strcasecmp(key->name, refused[i]))
			return true;
	return false;
}

/* ---- the policy ref's name ---------------------------------------------- */

/* The component of a ref name at s (leading '/'s skipped), its length in *n (0: no more). */
static const char *component(const char *s, size_t *n)
{
	while (*s == '/')
		s++;
	*n = strcspn(s, "/");
	return s;
}

enum pg_refname_relation pg_refname_relation(const char *ref, const char *policy_ref)
{
	const char *a, *b;
	size_t na, nb;

	if (!ref || !policy_ref)
		return PG_REFNAME_APART;
	a = component(ref, &na);
	b = component(policy_ref, &nb);
	if (!na || !nb)
		return PG_REFNAME_APART;
	for (;;) {
		if (!na)
			return nb ? PG_REFNAME_ABOVE : PG_REFNAME_SAME;
		if (!nb)
			return PG_REFNAME_BELOW;
		if (na != nb || memcmp(a, b, na))
			return PG_REFNAME_APART;
		a = component(a + na, &na);
		b = component(b + nb, &nb);
	}
}

/* ---- git-config text ---------------------------------------------------- */

struct cfg_parse {
	const char *s, *end, *name;
	int line;
	struct pg_buf section; /* "pushguard" or "pushguard.files" */
	struct pg_error *err;
};

__attribute__((format(printf, 2, 3)))
static int cfg_fail(struct cfg_parse *c, const char *fmt, ...)
{
	char why[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	return pg_error_set(c->err, PG_ECONFIG, "%s:%d: %s", c->name, c->line, why);
}

static bool is_blank(int ch)
{
	return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\f' || ch == '\v';
}

static void skip_blank(struct cfg_parse *c)
{
	while (c->s < c->end && is_blank((unsigned char)*c->s))
		c->s++;
}

/* After a header or value: nothing but a comment up to the end of the line. */
static void skip_comment(struct cfg_parse *c)
{
	if (c->s < c->end && (*c->s == '#' || *c->s == ';'))
		while (c->s < c->end && *c->s != '\n')
			c->s++;
}

static int parse_header(struct cfg_parse *c)
{
	c->s++; /* '[' */
	pg_buf_reset(&c->section);
	skip_blank(c);
	while (c->s < c->end && (isalnum((unsigned char)*c->s) || *c->s == '-' || *c->s == '.'))
		pg_buf_addch(&c->section, (char)tolower((unsigned char)*c->s++));
	if (!c->section.len)
		return cfg_fail(c, "bad section header: expected a section name");
	if (c->s < c->end && is_blank((unsigned char)*c->s)) {
		skip_blank(c);
		if (c->s >= c->end || *c->s != '"')
			return cfg_fail(c, "bad section header: expected \"subsection\" or ]");
		c->s++;
		pg_buf_addch(&c->section, '.');
		for (;;) {
			if (c->s >= c->end || *c->s == '\n')
				return cfg_fail(c, "bad section header: unterminated subsection name");
			if (*c->s == '"')
				break;
			if (*c->s == '\\') {
				c->s++;
				if (c->s >= c->end || *c->s == '\n')
					return cfg_fail(c, "bad section header: unterminated subsection name");
			}
			pg_buf_addch(&c->section, *c->s++);
		}
		c->s++;
	}
	if (c->s >= c->end || *c->s != ']')
		return cfg_fail(c, "bad section header: expected ]");
	c->s++;
	return pg_buf_failed(&c->section) ? pg_error_oom(c->err) : 0;
}

/* The value after '=', up to the end of its (possibly continued) line. */
static int parse_value(struct cfg_parse *c, struct pg_buf *v)
{
	bool quote = false;
	size_t spaces = 0;

	skip_blank(c);
	while (c->s < c->end && *c->s != '\n') {
		char ch = *c->s++;

		if (!quote && (ch == '#' || ch == ';')) {
			c->s--;
			skip_comment(c);
			break;
		}
		if (!quote && is_blank((unsigned char)ch)) {
			if (v->len)
				spaces++;
			continue;
		}
		for (; spaces; spaces--)
			pg_buf_addch(v, ' ');
		if (ch == '"') {
			quote = !quote;
			continue;
		}
		if (ch == '\\') {
			if (c->s >= c->end)
				return cfg_fail(c, "a backslash ends the file");
			ch = *c->s++;
			switch (ch) {
			case '\n':
				c->line++;
				continue;
			case 'n':
				ch = '\n';
				break;
			case 't':
				ch = '\t';
				break;
			case 'b':
				ch = '\b';
				break;
			case '\\':
			case '"':
				break;
			default:
				return cfg_fail(c, "unknown escape \\%c in a value", isprint((unsigned char)ch) ? ch : '?');
			}
		}
		pg_buf_addch(v, ch);
	}
	if (quote)
		return cfg_fail(c, "unterminated quote in a value");
	return pg_buf_failed(v) ? pg_error_oom(c->err) : 0;
}

int pg_gitconfig_parse(const char *text, size_t len, const char *name,
		       int (*cb)(void *ctx, const char *key, const char *value, int line), void *ctx,
		       struct pg_error *err)
{
	struct cfg_parse c = { text, text + len, name, 1, PG_BUF_INIT, err };
	struct pg_buf key = PG_BUF_INIT, value = PG_BUF_INIT;
	int ret = 0;

	if (memchr(text, '\0', len)) {
		c.line = 1;
		for (const char *p = text; *p; p++)
			c.line += *p == '\n';
		ret = cfg_fail(&c, "a NUL byte: not a text file");
		goto out;
	}
	if (len >= 3 && !memcmp(text, "\xef\xbb\xbf", 3)) /* a UTF-8 byte order mark, as git allows */
		c.s += 3;
	while (c.s < c.end) {
		bool has_value = false;
		int line;

		skip_blank(&c);
		if (c.s >= c.end)
			break;
		if (*c.s == '\n') {
			c.s++;
			c.line++;
			continue;
		}
		if (*c.s == '#' || *c.s == ';') {
			skip_comment(&c);
			continue;
		}
		if (*c.s == '[') {
			if ((ret = parse_header(&c)) < 0)
				goto out;
			continue; /* as in git, a key may follow on the same line */
		}
		if (!isalpha((unsigned char)*c.s)) {
			ret = cfg_fail(&c, "expected a key name, a [section] or a comment");
			goto out;
		}
		if (!c.section.len) {
			ret = cfg_fail(&c, "a key before any [section]");
			goto out;
		}
		line = c.line;
		pg_buf_reset(&key);
		pg_buf_reset(&value);
		pg_buf_addf(&key, "%s.", c.section.ptr);
		while (c.s < c.end && (isalnum((unsigned char)*c.s) || *c.s == '-'))
			pg_buf_addch(&key, (char)tolower((unsigned char)*c.s++));
		skip_blank(&c);
		if (c.s < c.end && *c.s == '=') {
			c.s++;
			has_value = true;
			if ((ret = parse_value(&c, &value)) < 0)
				goto out;
		} else {
			skip_comment(&c);
			if (c.s < c.end && *c.s != '\n') {
				ret = cfg_fail(&c, "bad key name or missing '=' after '%.*s'",
					       (int)(key.len - c.section.len - 1), key.ptr + c.section.len + 1);
				goto out;
			}
		}
		if (pg_buf_failed(&key) || pg_buf_failed(&value)) {
			ret = pg_error_oom(err);
			goto out;
		}
		if ((ret = cb(ctx, key.ptr, has_value ? value.ptr : NULL, line)) != 0)
			goto out;
	}
out:
	pg_buf_release(&c.section);
	pg_buf_release(&key);
	pg_buf_release(&value);
	return ret;
}

/* ---- reading the ref ---------------------------------------------------- */

static void file_release(struct pg_policy_ref_file *f)
{
	free(f->path);
	free(f->data);
	*f = (struct pg_policy_ref_file){ NULL, NULL, 0 };
}

void pg_policy_ref_release(struct pg_policy_ref *r)
{
	free(r->refname);
	file_release(&r->conf);
	file_release(&r->ignore);
	file_release(&r->allowed_signers);
	file_release(&r->keyring);
	for (size_t i = 0; i < r->nrules; i++)
		file_release(&r->rules[i]);
	free(r->rules);
	pg_strvec_release(&r->unknown);
	*r = (struct pg_policy_ref)PG_POLICY_REF_INIT;
}

const char *pg_policy_ref_name(const struct pg_policy_ref *r, const struct pg_policy_ref_file *f,
			       char *buf, size_t n)
{
	snprintf(buf, n, "%s:%s", r->refname ? r->refname : "(policy ref)", f && f->path ? f->path : "");
	return buf;
}

static int unknown(struct pg_policy_ref *r, const char *path, const char *why, struct pg_error *err)
{
	struct pg_buf b = PG_BUF_INIT;
	int ret = 0;

	pg_buf_addf(&b, "%s:%s: %s", r->refname, path, why);
	if (pg_buf_failed(&b) || pg_strvec_push(&r->unknown, b.ptr) < 0)
		ret = pg_error_oom(err);
	pg_buf_release(&b);
	return ret;
}

/* Reads one blob entry into f, bounded; path is its place in the tree. */
static int read_blob(struct pg_policy_ref *r, struct pg_policy_ref_file *f, git_repository *repo,
		     const git_tree_entry *te, const char *path, struct pg_error *err)
{
	git_odb *odb = NULL;
	git_odb_object *obj = NULL;
	git_object_t type;
	size_t size;
	int ret = PG_ERR;

	if (!(f->path = strdup(path)))
		return pg_error_oom(err);
	if (git_tree_entry_filemode(te) != GIT_FILEMODE_BLOB &&
	    git_tree_entry_filemode(te) != GIT_FILEMODE_BLOB_EXECUTABLE)
		return pg_error_set(err, PG_ECONFIG, "%s:%s: not a regular file (a symbolic link, a directory or "
				    "a submodule): policy files are plain files", r->refname, path);
	if (git_repository_odb(&odb, repo) < 0)
		return pg_error_git(err, "%s:%s: cannot open the object database", r->refname, path);
	if (git_odb_read_header(&size, &type, odb, git_tree_entry_id(te)) < 0) {
		ret = pg_error_git(err, "%s:%s: cannot read it", r->refname, path);
		goto out;
	}
	if (size > PG_POLICY_REF_MAX_FILE) {
		ret = pg_error_set(err, PG_ECONFIG, "%s:%s: %zu bytes, larger than the %zu a policy file may have",
				   r->refname, path, size, PG_POLICY_REF_MAX_FILE);
		goto out;
	}
	if (git_odb_read(&obj, odb, git_tree_entry_id(te)) < 0) {
		ret = pg_error_git(err, "%s:%s: cannot read it", r->refname, path);
		goto out;
	}
	f->len = git_odb_object_size(obj);
	if (f->len > PG_POLICY_REF_MAX_FILE || !(f->data = malloc(f->len + 1))) {
		ret = f->len > PG_POLICY_REF_MAX_FILE
			? pg_error_set(err, PG_ECONFIG, "%s:%s: larger than %zu bytes", r->refname, path,
				       PG_POLICY_REF_MAX_FILE)
			: pg_error_oom(err);
		goto out;
	}
	memcpy(f->data, git_odb_object_data(obj), f->len);
	f->data[f->len] = '\0';
	ret = 0;
out:
	git_odb_object_free(obj);
	git_odb_free(odb);
	return ret;
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n > m && !strcmp(s + n - m, suffix);
}

static int read_rules_dir(struct pg_policy_ref *r, git_repository *repo, const git_tree_entry *te,
			  struct pg_error *err)
{
	git_tree *tree = NULL;
	int ret = 0;

	if (git_tree_entry_type(te) != GIT_OBJECT_TREE)
		return unknown(r, "rules", "expected a directory of .toml rules files", err);
	if (git_tree_lookup(&tree, repo, git_tree_entry_id(te)) < 0)
		return pg_error_git(err, "%s:rules: cannot read the directory", r->refname);
	if (git_tree_entrycount(tree) > PG_POLICY_REF_MAX_ENTRIES) {
		git_tree_free(tree);
		return pg_error_set(err, PG_ECONFIG, "%s:rules: more than %d entries", r->refname,
				    PG_POLICY_REF_MAX_ENTRIES);
	}
	for (size_t i = 0; i < git_tree_entrycount(tree) && ret == 0; i++) {
		const git_tree_entry *e = git_tree_entry_byindex(tree, i);
		const char *name = git_tree_entry_name(e);
		char path[1024];
		void *grown;

		snprintf(path, sizeof(path), "rules/%s", name);
		if (!ends_with(name, ".toml") || git_tree_entry_type(e) != GIT_OBJECT_BLOB) {
			ret = unknown(r, path, "not a rules file (rules/NAME.toml)", err);
			continue;
		}
		if (r->nrules >= PG_POLICY_REF_MAX_RULES) {
			ret = pg_error_set(err, PG_ECONFIG, "%s:rules: more than %d rules files", r->refname,
					   PG_POLICY_REF_MAX_RULES);
			break;
		}
		if (!(grown = realloc(r->rules, (r->nrules + 1) * sizeof(*r->rules)))) {
			ret = pg_error_oom(err);
			break;
		}
		r->rules = grown;
		r->rules[r->nrules] = (struct pg_policy_ref_file){ NULL, NULL, 0 };
		ret = read_blob(r, &r->rules[r->nrules++], repo, e, path, err);
	}
	git_tree_free(tree);
	return ret;
}

int pg_policy_ref_read_commit(struct pg_policy_ref *out, git_repository *repo, const char *refname,
			      const git_oid *commit, struct pg_error *err)
{
	git_commit *c = NULL;
	git_tree *tree = NULL;
	int ret = PG_ERR;

	*out = (struct pg_policy_ref)PG_POLICY_REF_INIT;
	if (!(out->refname = strdup(refname)))
		return pg_error_oom(err);
	out->oid = *commit;
	git_oid_tostr(out->commit, sizeof(out->commit), commit);
	if (git_commit_lookup(&c, repo, commit) < 0) {
		ret = pg_error_set(err, PG_ECONFIG, "%s: %s is not a commit", refname, out->commit);
		goto out;
	}
	if (git_commit_tree(&tree, c) < 0) {
		ret = pg_error_git(err, "%s: cannot read the tree of %s", refname, out->commit);
		goto out;
	}
	if (git_tree_entrycount(tree) > PG_POLICY_REF_MAX_ENTRIES) {
		ret = pg_error_set(err, PG_ECONFIG, "%s: more than %d files at the top of the tree of %s", refname,
				   PG_POLICY_REF_MAX_ENTRIES, out->commit);
		goto out;
	}
	for (size_t i = 0; i < git_tree_entrycount(tree); i++) {
		const git_tree_entry *e = git_tree_entry_byindex(tree, i);
		const char *name = git_tree_entry_name(e);
		struct pg_policy_ref_file *f = NULL;
		int rc = 0;

		if (!strcmp(name, "pushguard.conf"))
			f = &out->conf;
		else if (!strcmp(name, "ignore"))
			f = &out->ignore;
		else if (!strcmp(name, "allowed_signers"))
			f = &out->allowed_signers;
		else if (!strcmp(name, "keyring.asc"))
			f = &out->keyring;
		else if (!strcmp(name, "rules"))
			rc = read_rules_dir(out, repo, e, err);
		else if (strcmp(name, "README") && strcmp(name, "README.md"))
			rc = unknown(out, name, "unknown file (known: pushguard.conf, rules/NAME.toml, ignore, "
				     "allowed_signers, keyring.asc, README.md)", err);
		if (f && rc == 0)
			rc = read_blob(out, f, repo, e, name, err);
		if (rc < 0) {
			ret = rc;
			goto out;
		}
	}
	ret = 1;
out:
	git_tree_free(tree);
	git_commit_free(c);
	return ret;
}

int pg_policy_ref_read(struct pg_policy_ref *out, git_repository *repo, const char *refname,
		       struct pg_error *err)
{
	git_reference *ref = NULL, *resolved = NULL;
	git_object *obj = NULL;
	int rc, ret = PG_ERR;

	*out = (struct pg_policy_ref)PG_POLICY_REF_INIT;
	rc = git_reference_lookup(&ref, repo, refname);
	if (rc == GIT_ENOTFOUND)
		return 0;
	if (rc == GIT_EINVALIDSPEC)
		return pg_error_set(err, PG_ECONFIG, "pushguard.policyRef = '%s': not a valid ref name", refname);
	if (rc < 0)
		return pg_error_git(err, "%s: cannot read the policy ref", refname);
	if (git_reference_resolve(&resolved, ref) < 0) {
		ret = git_error_last() && git_error_last()->klass == GIT_ERROR_REFERENCE ? 0 : PG_ERR;
		if (ret)
			pg_error_git(err, "%s: cannot resolve the policy ref", refname);
		goto out;
	}
	if (git_reference_peel(&obj, resolved, GIT_OBJECT_COMMIT) < 0) {
		ret = pg_error_set(err, PG_ECONFIG, "%s: does not point to a commit", refname);
		goto out;
	}
	ret = pg_policy_ref_read_commit(out, repo, refname, git_object_id(obj), err);
out:
	git_object_free(obj);
	git_reference_free(resolved);
	git_reference_free(ref);
	return ret;
}

/* ---- the effective policy with the ref layer ---------------------------- */

/* An invalid key or value anywhere makes the load PG_ECONFIG, naming the first. */
static int problems_error(const struct pg_policy *p, int rc, struct pg_error *err)
{
	if (rc == 0 && p->problems.n)
		rc = pg_error_set(err, PG_ECONFIG, "%s%s", p->problems.v[0],
				  p->problems.n > 1 ? " (and more: run `pushguard check`)" : "");
	return rc;
}

int pg_policy_load_with_ref(struct pg_policy *p, const char *config, const struct pg_policy_ref *ref,
			    struct pg_error *err)
{
	int rc = pg_policy_load(p, &(struct pg_policy_paths){ NULL, NULL, config, ref }, err);

	/* files the tree should not have are problems of the policy too */
	for (size_t i = 0; ref && i < ref->unknown.n; i++)
		if (pg_strvec_push(&p->problems, ref->unknown.v[i]) < 0)
			return pg_error_oom(err);
	return problems_error(p, rc, err);
}

/* Loads the policy without the ref layer (pushguard.policyRef cannot be set
 * from the ref). Without a policyRef that is the policy: it is moved into p
 * and *refname stays NULL (the hook's usual case: loaded once, not twice). */
static int load_without_ref(struct pg_policy *p, char **refname, const char *config, struct pg_error *err)
{
	struct pg_policy peek;
	struct pg_error perr = PG_ERROR_INIT;
	const char *v;
	int rc;

	*refname = NULL;
	pg_policy_init(&peek);
	rc = pg_policy_load(&peek, &(struct pg_policy_paths){ NULL, NULL, config, NULL }, &perr);
	if (rc == PG_ERR) {
		pg_policy_release(&peek);
		return pg_error_set(err, PG_ERR, "%s", perr.msg);
	}
	v = pg_policy_str(&peek, "pushguard.policyRef", NULL);
	if (v && *v) {
		*refname = strdup(v);
		pg_policy_release(&peek);
		return *refname ? 0 : pg_error_oom(err);
	}
	pg_policy_release(p);
	*p = peek;
	if (rc < 0)
		return pg_error_set(err, rc, "%s", perr.msg);
	return problems_error(p, rc, err);
}

int pg_policy_load_repo(struct pg_policy *p, git_repository *repo, const char *config,
			const char *refname_override, struct pg_error *err)
{
	struct pg_policy_ref *ref = NULL;
	char *refname = NULL;
	int valid = 0, rc;

	if (refname_override) {
		if (!(refname = strdup(refname_override)))
			return pg_error_oom(err);
	} else {
		rc = load_without_ref(p, &refname, config, err);
		if (rc == PG_ERR || !refname)
			return rc;
	}
	if (refname && repo) {
		if (strncmp(refname, "refs/", 5) || git_reference_name_is_valid(&valid, refname) < 0 || !valid) {
			rc = pg_policy_load(p, &(struct pg_policy_paths){ NULL, NULL, config, NULL }, err);
			if (rc != PG_ERR) {
				struct pg_buf b = PG_BUF_INIT;

				pg_buf_addf(&b, "pushguard.policyRef = '%s' in %s: expected a full ref name such as "
					    "refs/meta/pushguard", refname, pg_policy_origin(p, "pushguard.policyRef"));
				pg_strvec_push(&p->problems, pg_buf_failed(&b) ? "pushguard.policyRef: invalid" : b.ptr);
				pg_buf_release(&b);
				rc = pg_error_set(err, PG_ECONFIG, "%s", p->problems.v[0]);
			}
			free(refname);
			return rc;
		}
		if (!(ref = malloc(sizeof(*ref)))) {
			free(refname);
			return pg_error_oom(err);
		}
		rc = pg_policy_ref_read(ref, repo, refname, err);
		if (rc <= 0) {
			pg_policy_ref_release(ref);
			free(ref);
			ref = NULL;
		}
		if (rc < 0) {
			int code = rc;
			struct pg_error lerr = PG_ERROR_INIT;

			/* the rest of the policy still loads (onError, mode), the ref is its problem */
			pg_policy_load(p, &(struct pg_policy_paths){ NULL, NULL, config, NULL }, &lerr);
			pg_strvec_push(&p->problems, err->msg);
			free(refname);
			return code == PG_ERR ? code : pg_error_set(err, PG_ECONFIG, "%s", p->problems.v[0]);
		}
	}
	free(refname);
	rc = pg_policy_load_with_ref(p, config, ref, err);
	p->ref_owned = ref;
	return rc;
}

const char *pg_policy_ref_layer(const struct pg_policy *p, const char **commit)
{
	if (commit)
		*commit = p->ref ? p->ref->commit : NULL;
	return p->ref ? p->ref->refname : NULL;
}
