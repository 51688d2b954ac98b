/* A push that updates the policy ref (policy_ref.h): who may, how, and
 * whether what is pushed is a valid policy; and the names reserved for it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "check_secrets.h"
#include "finding.h"
#include "policy_ref.h"
#include "push.h"
#include "rules.h"
#include "signature.h"

struct guard {
	struct pg_policy_push *out;
	git_repository *repo;
	const struct pg_push *push;
	const struct pg_policy *p;
	const char *config;
	struct pg_findings *findings;
	const struct pg_ref_update *u;
	struct pg_error *err;
};

/* commit NULL: a finding about the ref (who, delete, force); else about that commit. */
static int finding(struct guard *g, const char *rule, const char *commit, const char *path, size_t line,
		   const char *message, const char *fix)
{
	git_commit *c = NULL;
	git_oid oid;
	int rc;

	g->out->refused = true;
	if (commit && git_oid_fromstr(&oid, commit) == 0 && git_commit_lookup(&c, g->repo, &oid) < 0)
		c = NULL;
	rc = pg_findings_add(g->findings, &(struct pg_finding_spec){ "policy", rule, g->u->ref, commit,
			     c ? git_commit_summary(c) : NULL, path, line }, message, fix, g->err);
	git_commit_free(c);
	return rc;
}

/* "REF:FILE:LINE: ..." or "... in REF:FILE:LINE ...": the file and line a
 * problem names, for the finding's path and line. */
static void locate(const char *problem, const char *ref, char *path, size_t n, size_t *line)
{
	size_t rl = strlen(ref);
	const char *at = problem, *colon;

	*path = '\0';
	*line = 0;
	while ((at = strstr(at, ref)) && at[rl] != ':')
		at += rl;
	if (!at)
		return;
	at += rl + 1;
	colon = at + strcspn(at, ": (");
	snprintf(path, n, "%.*s", (int)(colon - at), at);
	if (*colon == ':' && colon[1] >= '0' && colon[1] <= '9')
		*line = (size_t)strtoul(colon + 1, NULL, 10);
}

static int invalid(struct guard *g, const char *problem)
{
	char path[512];
	size_t line;

	locate(problem, g->u->ref, path, sizeof(path), &line);
	return finding(g, "policy-invalid", g->u->new, *path ? path : NULL, line, problem,
		       "fix the policy file at the place named and push again (`pushguard check` names the\n"
		       "same problems once the file is valid; docs/policy.md: The policy ref)");
}

static bool is_admin(const struct pg_strvec *admins, const char *pusher)
{
	for (size_t i = 0; pusher && i < admins->n; i++)
		if (!strcmp(admins->v[i], pusher))
			return true;
	return false;
}

/* "the name REF is reserved for the policy ref P (why)", for a ref whose name
 * conflicts with the policy ref's (rel BELOW or ABOVE). */
static void reserved_name(struct pg_buf *b, const char *ref, const char *pref, enum pg_refname_relation rel)
{
	pg_buf_addf(b, "the name %s is reserved for the policy ref %s (%s keeps git from creating the policy ref)",
		    ref, pref, rel == PG_REFNAME_BELOW ? "a ref below it" : "a ref named as one of its directories");
}

/* Whether the pusher is a policy admin; when not, a finding: about the
 * policy ref itself (rel SAME) or a name reserved for it (pref, rel). */
static int check_admin(struct guard *g, const char *pref, enum pg_refname_relation rel, bool *ok)
{
	struct pg_strvec admins = PG_STRVEC_INIT;
	struct pg_buf msg = PG_BUF_INIT;
	int rc = 0;

	if (pg_policy_list(g->p, "pushguard.policyAdmins", &admins) < 0)
		return pg_error_oom(g->err);
	*ok = is_admin(&admins, g->push->pusher);
	if (!*ok) {
		if (rel == PG_REFNAME_SAME)
			pg_buf_addf(&msg, "the policy ref %s can be updated by policy admins only", g->u->ref);
		else {
			reserved_name(&msg, g->u->ref, pref, rel);
			pg_buf_adds(&msg, " and can be changed by policy admins only");
		}
		if (!admins.n)
			pg_buf_adds(&msg, ", and none are configured (pushguard.policyAdmins)");
		else
			pg_buf_addf(&msg, " (pushguard.policyAdmins); '%s' is not one",
				    g->push->pusher ? g->push->pusher : "(unknown pusher)");
		rc = finding(g, rel == PG_REFNAME_SAME ? "policy-admin" : "policy-reserved", NULL, NULL, 0,
			     pg_buf_failed(&msg) ? "not a policy admin" : msg.ptr,
			     rel == PG_REFNAME_SAME
				     ? "ask a policy admin to push the change (or an admin of the server to add you\n"
				       "to pushguard.policyAdmins)"
				     : "push it under another name: the policy ref's name, the names below it and\n"
				       "those of its directories are reserved (docs/policy.md: The policy ref)");
	}
	pg_buf_release(&msg);
	pg_strvec_release(&admins);
	return rc;
}

/* A ref whose name conflicts with the policy ref's (policy_ref.h: below it, or
 * one of its directories): while it exists, git cannot create the policy ref.
 * Policy admins only, and even they may only delete one (one left from before
 * the name was reserved, or made behind pushguard's back), never create or
 * move one. */
static int check_reserved(struct guard *g, const char *pref, enum pg_refname_relation rel)
{
	struct pg_buf msg = PG_BUF_INIT, fix = PG_BUF_INIT;
	bool admin;
	int rc;

	if ((rc = check_admin(g, pref, rel, &admin)) < 0 || !admin || g->u->deleted)
		return rc;
	reserved_name(&msg, g->u->ref, pref, rel);
	pg_buf_addf(&msg, ": a policy admin may delete a ref there, not %s one", g->u->created ? "create" : "update");
	pg_buf_adds(&fix, "push it under another name");
	if (!g->u->created)
		pg_buf_addf(&fix, ", then delete this one (git push origin :%s)", g->u->ref);
	rc = finding(g, "policy-reserved", NULL, NULL, 0,
		     pg_buf_failed(&msg) ? "a name reserved for the policy ref" : msg.ptr,
		     pg_buf_failed(&fix) ? "push it under another name" : fix.ptr);
	pg_buf_release(&msg);
	pg_buf_release(&fix);
	return rc;
}

/* Every rules file on its own (they must compile whether or not secrets are on). */
static int validate_rules(struct guard *g, const struct pg_policy_ref *ref)
{
	for (size_t i = 0; i < ref->nrules; i++) {
		struct pg_ruleset rs = PG_RULESET_INIT;
		struct pg_error rerr = PG_ERROR_INIT;
		char name[1024];
		int rc;

		pg_policy_ref_name(ref, &ref->rules[i], name, sizeof(name));
		rc = pg_ruleset_load_buffer(&rs, name, ref->rules[i].data, ref->rules[i].len, NULL, &rerr);
		pg_ruleset_release(&rs);
		if (rc == PG_ERR)
			return pg_error_set(g->err, PG_ERR, "%s", rerr.msg);
		/* useDefault needs the built-in pack: the engine below loads it */
		if (rc < 0 && !strstr(rerr.msg, "useDefault") && invalid(g, rerr.msg) < 0)
			return -1;
	}
	return 0;
}

/* The ignore file: fingerprints commit:path:rule:line, one a line. */
static int validate_ignore(struct guard *g, const struct pg_policy_ref *ref)
{
	const char *s = ref->ignore.data, *end = s + ref->ignore.len;
	size_t line = 0;

	if (!s)
		return 0;
	if (memchr(s, '\0', ref->ignore.len)) {
		struct pg_buf b = PG_BUF_INIT;
		int rc;

		pg_buf_addf(&b, "%s:ignore: a NUL byte: not a text file", ref->refname);
		rc = invalid(g, pg_buf_failed(&b) ? "ignore: not a text file" : b.ptr);
		pg_buf_release(&b);
		return rc;
	}
	while (s < end) {
		const char *eol = memchr(s, '\n', (size_t)(end - s)), *p = s;
		size_t n = eol ? (size_t)(eol - s) : (size_t)(end - s);
		int colons = 0;

		line++;
		while (p < s + n && (*p == ' ' || *p == '\t'))
			p++;
		for (const char *q = p; q < s + n; q++)
			colons += *q == ':';
		if (p < s + n && *p != '#' && *p != '\r' && colons < 3) {
			struct pg_buf b = PG_BUF_INIT;
			int rc;

			pg_buf_addf(&b, "%s:ignore:%zu: expected a fingerprint commit:path:rule:line", ref->refname,
				    line);
			rc = invalid(g, pg_buf_failed(&b) ? "ignore: bad line" : b.ptr);
			pg_buf_release(&b);
			if (rc < 0)
				return rc;
		}
		s += n + (eol ? 1 : 0);
	}
	return 0;
}

/* The pushed tree as a policy: what `pushguard check` would say of it. */
static int validate(struct guard *g, const struct pg_policy_ref *ref)
{
	struct pg_policy np;
	struct pg_error lerr = PG_ERROR_INIT;
	size_t before = g->findings->n;
	int rc;

	pg_policy_init(&np);
	rc = pg_policy_load_with_ref(&np, g->config, ref, &lerr);
	if (rc == PG_ERR) {
		pg_policy_release(&np);
		return pg_error_set(g->err, PG_ERR, "%s", lerr.msg);
	}
	for (size_t i = 0; i < np.problems.n; i++)
		if (invalid(g, np.problems.v[i]) < 0)
			goto fail;
	if (validate_rules(g, ref) < 0 || validate_ignore(g, ref) < 0)
		goto fail;
	if (g->findings->n == before) {
		struct pg_secret_engine e;
		struct pg_error xerr = PG_ERROR_INIT;

		if (pg_secret_engine_open(&e, &np, &xerr) < 0 && invalid(g, xerr.msg) < 0) {
			pg_secret_engine_release(&e);
			goto fail;
		}
		pg_secret_engine_release(&e);
		if (ref->keyring.data || ref->allowed_signers.data ||
		    pg_policy_bool(&np, "pushguard.signatures.required", false)) {
			struct pg_signatures s = PG_SIGNATURES_INIT;

			xerr = (struct pg_error)PG_ERROR_INIT;
			if ((pg_signatures_load(&s, &np, &xerr) < 0 || pg_signatures_load_keys(&s, &np, &xerr) < 0) &&
			    invalid(g, xerr.msg) < 0) {
				pg_signatures_release(&s);
				goto fail;
			}
			pg_signatures_release(&s);
		}
	}
	pg_policy_release(&np);
	return 0;
fail:
	pg_policy_release(&np);
	return -1;
}

/* pushguard.policyRequireSigned: every new commit signed by a key the policy in force trusts. */
static int check_signed(struct guard *g, const git_oid *new, const git_oid *old)
{
	struct pg_signatures s = PG_SIGNATURES_INIT;
	struct pg_error serr = PG_ERROR_INIT;
	git_revwalk *walk = NULL;
	git_odb *odb = NULL;
	git_oid oid;
	size_t n = 0;
	int rc = 0;

	if (pg_signatures_load(&s, g->p, &serr) < 0 || pg_signatures_load_keys(&s, g->p, &serr) < 0) {
		struct pg_buf b = PG_BUF_INIT;

		pg_buf_addf(&b, "pushguard.policyRequireSigned is set, but the trusted keys cannot be loaded: %s",
			    serr.msg);
		rc = finding(g, "policy-unsigned", g->u->new, NULL, 0, pg_buf_failed(&b) ? serr.msg : b.ptr,
			     "an admin of the server must configure trusted keys (pushguard.signatures.keyring\n"
			     "or pushguard.signatures.allowedSignersFile)");
		pg_buf_release(&b);
		goto out;
	}
	if (git_repository_odb(&odb, g->repo) < 0 || git_revwalk_new(&walk, g->repo) < 0 ||
	    git_revwalk_push(walk, new) < 0 || (old && git_revwalk_hide(walk, old) < 0)) {
		rc = pg_error_git(g->err, "%s: cannot walk the new commits", g->u->ref);
		goto out;
	}
	while (rc == 0 && git_revwalk_next(&oid, walk) == 0) {
		struct pg_signed obj = PG_SIGNED_INIT;
		struct pg_sig_verdict v = PG_SIG_VERDICT_INIT;
		struct pg_error verr = PG_ERROR_INIT;
		char hex[GIT_OID_HEXSZ + 1];

		if (++n > 10000) {
			rc = finding(g, "policy-unsigned", g->u->new, NULL, 0,
				     "more than 10000 new commits on the policy ref", "push fewer commits");
			break;
		}
		git_oid_tostr(hex, sizeof(hex), &oid);
		if (pg_signatures_verify_oid(&s, odb, &oid, &obj, &v, &verr) < 0) {
			v.letter = 'E';
			free(v.reason);
			v.reason = strdup(verr.msg);
		}
		if (v.letter != 'G') {
			struct pg_buf b = PG_BUF_INIT;

			pg_buf_addf(&b, "commit %s of the policy ref %s has no good signature from a trusted key "
				    "(pushguard.policyRequireSigned): %s", hex, g->u->ref,
				    v.reason ? v.reason : pg_sig_letter_name(v.letter));
			rc = pg_findings_add(g->findings, &(struct pg_finding_spec){ "policy", "policy-unsigned",
					     g->u->ref, hex, obj.subject, NULL, 0 },
					     pg_buf_failed(&b) ? "unsigned policy commit" : b.ptr,
					     "sign the commit with a key the server trusts (git commit --amend -S, with\n"
					     "gpg.format = ssh and user.signingKey for an SSH key) and push again", g->err);
			g->out->refused = true;
			pg_buf_release(&b);
		}
		pg_sig_verdict_release(&v);
		pg_signed_release(&obj);
	}
out:
	git_revwalk_free(walk);
	git_odb_free(odb);
	pg_signatures_release(&s);
	return rc;
}

static int check_update(struct guard *g)
{
	const struct pg_ref_update *u = g->u;
	struct pg_policy_ref nref = PG_POLICY_REF_INIT, oref = PG_POLICY_REF_INIT;
	git_oid new, old;
	size_t before = g->findings->n;
	bool admin;
	int rc;

	if ((rc = check_admin(g, u->ref, PG_REFNAME_SAME, &admin)) < 0 || !admin)
		return rc;
	if (u->deleted)
		return finding(g, "policy-delete", NULL, NULL, 0, "the policy ref cannot be deleted",
			       "to stop using it, an admin of the server unsets pushguard.policyRef; to change\n"
			       "the policy, push a new commit on top of it");
	if (git_oid_fromstr(&new, u->new) < 0 || (!u->created && git_oid_fromstr(&old, u->old) < 0))
		return pg_error_set(g->err, PG_ERR, "%s: bad object id", u->ref);
	if (!u->created && !git_oid_equal(&new, &old) && git_graph_descendant_of(g->repo, &new, &old) != 1) {
		struct pg_buf b = PG_BUF_INIT;

		pg_buf_addf(&b, "the policy ref cannot be force-pushed: %s is not a descendant of %s", u->new, u->old);
		rc = finding(g, "policy-force-push", NULL, NULL, 0, pg_buf_failed(&b) ? "force push" : b.ptr,
			     "fetch the policy ref, make your change on top of it and push again");
		pg_buf_release(&b);
		return rc;
	}
	rc = pg_policy_ref_read_commit(&nref, g->repo, u->ref, &new, g->err);
	if (rc == PG_ECONFIG) {
		rc = invalid(g, g->err->msg);
		*g->err = (struct pg_error)PG_ERROR_INIT;
		goto out;
	}
	if (rc < 0 || (rc = validate(g, &nref)) < 0)
		goto out;
	if (pg_policy_bool(g->p, "pushguard.policyRequireSigned", false) &&
	    (rc = check_signed(g, &new, u->created ? NULL : &old)) < 0)
		goto out;
	rc = 0;
	if (g->findings->n != before)
		goto out;
	/* accepted: what changed, for policy.changed */
	if (!u->created && (rc = pg_policy_ref_read_commit(&oref, g->repo, u->ref, &old, g->err)) < 0) {
		if (rc != PG_ECONFIG)
			goto out;
		*g->err = (struct pg_error)PG_ERROR_INIT; /* an old tree we cannot read: everything changed */
		pg_policy_ref_release(&oref);
	}
	free(g->out->ref);
	pg_strvec_clear(&g->out->changed_keys);
	pg_strvec_clear(&g->out->changed_files);
	if (!(g->out->ref = strdup(u->ref))) {
		rc = pg_error_oom(g->err);
		goto out;
	}
	snprintf(g->out->old, sizeof(g->out->old), "%s", u->old);
	snprintf(g->out->new, sizeof(g->out->new), "%s", u->new);
	rc = pg_policy_ref_diff(&oref, &nref, &g->out->changed_keys, &g->out->changed_files, g->err);
	g->out->changed = rc == 0;
out:
	pg_policy_ref_release(&nref);
	pg_policy_ref_release(&oref);
	return rc < 0 ? rc : 0;
}

int pg_policy_push_check(struct pg_policy_push *out, git_repository *repo, const struct pg_push *push,
			 const struct pg_policy *p, const char *config, struct pg_findings *findings,
			 struct pg_error *err)
{
	const char *refname = pg_policy_str(p, "pushguard.policyRef", NULL);
	struct guard g = { out, repo, push, p, config, findings, NULL, err };

	if (!refname || !*refname)
		return 0;
	for (size_t i = 0; i < push->nupdates; i++) {
		struct pg_error uerr = PG_ERROR_INIT;
		enum pg_refname_relation rel = pg_refname_relation(push->updates[i].ref, refname);

		if (rel == PG_REFNAME_APART)
			continue;
		g.u = &push->updates[i];
		g.err = &uerr;
		if ((rel == PG_REFNAME_SAME ? check_update(&g) : check_reserved(&g, refname, rel)) < 0) {
			struct pg_buf b = PG_BUF_INIT;

			if (uerr.code == PG_ERR && !strcmp(uerr.msg, "out of memory"))
				return pg_error_oom(err);
			g.err = err;
			pg_buf_addf(&b, "the policy ref update could not be checked: %s", uerr.msg);
			if (finding(&g, "policy-error", g.u->new, NULL, 0, pg_buf_failed(&b) ? uerr.msg : b.ptr,
				    "try again; if it persists, tell an admin of the server") < 0) {
				pg_buf_release(&b);
				return err->code ? err->code : PG_ERR;
			}
			pg_buf_release(&b);
		}
	}
	return 0;
}

void pg_policy_push_release(struct pg_policy_push *pp)
{
	free(pp->ref);
	pg_strvec_release(&pp->changed_keys);
	pg_strvec_release(&pp->changed_files);
	*pp = (struct pg_policy_push)PG_POLICY_PUSH_INIT;
}

/* ---- what changed -------------------------------------------------------- */

struct kv {
	struct pg_strvec v; /* "key\nvalue" in file order */
};

static int collect(void *ctx, const char *key, const char *value, int line)
{
	struct kv *kv = ctx;
	struct pg_buf b = PG_BUF_INIT;
	int rc;

	pg_buf_addf(&b, "%s\n%s", key, value ? value : "\001"); /* bare key: a value of its own */
	rc = pg_buf_failed(&b) || pg_strvec_push(&kv->v, b.ptr) < 0 ? -1 : 0;
	pg_buf_release(&b);
	return rc;
}

/* The values of key (lower-cased name) in kv, joined, into b. */
static void values_of(const struct kv *kv, const char *key, struct pg_buf *b)
{
	size_t n = strlen(key);

	pg_buf_reset(b);
	for (size_t i = 0; i < kv->v.n; i++)
		if (!strncasecmp(kv->v.v[i], key, n) && kv->v.v[i][n] == '\n') {
			pg_buf_adds(b, kv->v.v[i] + n);
			pg_buf_addch(b, '\036'); /* between values */
		}
}

static int parse_kv(struct kv *kv, const struct pg_policy_ref *r)
{
	struct pg_error ignored = PG_ERROR_INIT;

	if (!r || !r->conf.data)
		return 0;
	/* a text that does not parse was refused when pushed: its keys count as changed */
	return pg_gitconfig_parse(r->conf.data, r->conf.len, "pushguard.conf", collect, kv, &ignored) == -1 &&
			       ignored.code != PG_ECONFIG
		       ? -1
		       : 0;
}

static bool same_file(const struct pg_policy_ref_file *a, const struct pg_policy_ref_file *b)
{
	if (!a->data || !b->data)
		return !a->data && !b->data;
	return a->len == b->len && !memcmp(a->data, b->data, a->len);
}

static const struct pg_policy_ref_file *find_rules(const struct pg_policy_ref *r, const char *path)
{
	for (size_t i = 0; r && i < r->nrules; i++)
		if (!strcmp(r->rules[i].path, path))
			return &r->rules[i];
	return NULL;
}

int pg_policy_ref_diff(const struct pg_policy_ref *old, const struct pg_policy_ref *new,
		       struct pg_strvec *keys, struct pg_strvec *files, struct pg_error *err)
{
	static const struct pg_policy_ref_file none = { NULL, NULL, 0 };
	struct kv a = { PG_STRVEC_INIT }, b = { PG_STRVEC_INIT };
	struct pg_buf va = PG_BUF_INIT, vb = PG_BUF_INIT;
	const struct pg_key_def *d;
	int ret = pg_error_oom(err);

	if (parse_kv(&a, old) < 0 || parse_kv(&b, new) < 0)
		goto out;
	for (size_t i = 0; (d = pg_policy_key(i)); i++) {
		values_of(&a, d->name, &va);
		values_of(&b, d->name, &vb);
		if (pg_buf_failed(&va) || pg_buf_failed(&vb))
			goto out;
		if ((va.len != vb.len || memcmp(va.ptr, vb.ptr, va.len)) && pg_strvec_push(keys, d->name) < 0)
			goto out;
	}
	{
		const struct pg_policy_ref_file *fa[] = { old ? &old->conf : &none, old ? &old->ignore : &none,
							   old ? &old->allowed_signers : &none, old ? &old->keyring : &none };
		const struct pg_policy_ref_file *fb[] = { new ? &new->conf : &none, new ? &new->ignore : &none,
							   new ? &new->allowed_signers : &none, new ? &new->keyring : &none };
		static const char *const names[] = { "pushguard.conf", "ignore", "allowed_signers", "keyring.asc" };

		for (size_t i = 0; i < 4; i++)
			if (!same_file(fa[i], fb[i]) && pg_strvec_push(files, names[i]) < 0)
				goto out;
	}
	for (size_t i = 0; old && i < old->nrules; i++) {
		const struct pg_policy_ref_file *o = &old->rules[i], *n = find_rules(new, o->path);

		if (!same_file(o, n ? n : &none) && pg_strvec_push(files, o->path) < 0)
			goto out;
	}
	for (size_t i = 0; new && i < new->nrules; i++)
		if (!find_rules(old, new->rules[i].path) && pg_strvec_push(files, new->rules[i].path) < 0)
			goto out;
	*err = (struct pg_error)PG_ERROR_INIT;
	ret = 0;
out:
	pg_strvec_release(&a.v);
	pg_strvec_release(&b.v);
	pg_buf_release(&va);
	pg_buf_release(&vb);
	return ret;
}
