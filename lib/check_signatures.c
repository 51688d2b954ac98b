/* The check "signatures" (check.h): every new commit, and annotated tag, on
 * the refs in pushguard.signatures.refs carries a good signature from a
 * trusted key, when pushguard.signatures.required is true. Each verdict that
 * is not G is a finding, with the fix for that letter. */
#include "signature.h"

#include <stdbool.h>

#include "buf.h"
#include "check.h"
#include "finding.h"

static const char *rule_name(char letter)
{
	switch (letter) {
	case 'B': return "bad-signature";
	case 'U': return "untrusted-key";
	case 'X': return "expired-signature";
	case 'Y': return "expired-key";
	case 'R': return "revoked-key";
	case 'N': return "unsigned";
	default: return "cannot-check";
	}
}

static void add_fix(struct pg_buf *fix, char letter, enum pg_sig_format format, bool is_tag,
		    const char *hex)
{
	const char *trust =
		"get your key trusted: send an admin your public key (gpg --armor --export YOUR-KEY-ID, or\n"
		"your ~/.ssh/*.pub), to add to pushguard.signatures.keyring or as a line\n"
		"`you@example.com namespaces=\"git\" ssh-ed25519 AAAA...` in pushguard.signatures.allowedSignersFile";

	if (is_tag) {
		pg_buf_addf(fix, "re-create the tag signed: git tag -f -s TAG %.7s (or -u KEY), then push it again", hex);
		if (letter == 'U' || letter == 'E')
			pg_buf_addf(fix, ";\n%s", trust);
		return;
	}
	switch (letter) {
	case 'U':
	case 'E':
		if (format == PG_SIG_X509 || format == PG_SIG_NONE)
			pg_buf_adds(fix, "sign with an OpenPGP or SSH key (git config gpg.format openpgp|ssh), then re-sign:\n");
		else
			pg_buf_adds(fix, "sign with a key the server trusts, or ");
		pg_buf_adds(fix, trust);
		pg_buf_adds(fix, ";\nthen re-sign: ");
		break;
	case 'Y':
	case 'X':
		pg_buf_adds(fix, "extend your key's expiry (gpg --quick-set-expire FPR 1y; re-send the public key\n"
			    "to an admin) or ask an admin to renew the allowed signers entry; then re-sign: ");
		break;
	case 'R':
		pg_buf_adds(fix, "the key was revoked: sign with a new key the server trusts, then re-sign: ");
		break;
	default:
		pg_buf_adds(fix, "sign it: ");
		break;
	}
	pg_buf_addf(fix, "git commit --amend --no-edit -S (the last commit) or\n"
		    "git rebase --exec 'git commit --amend --no-edit -S' %.7s~ (several), then push again", hex);
}

static int add_finding(struct pg_check_ctx *ctx, const char *ref, const char *hex,
		       const struct pg_signed *obj, const struct pg_sig_verdict *v, bool is_tag,
		       struct pg_error *err)
{
	struct pg_finding_spec spec = { "signatures", rule_name(v->letter), ref, hex, obj->subject, NULL, 0,
					NULL, NULL };
	struct pg_buf msg = PG_BUF_INIT, fix = PG_BUF_INIT;
	int rc;

	pg_buf_addf(&msg, "%s%s (%c): %s", is_tag ? "tag: " : "", pg_sig_letter_name(v->letter), v->letter,
		    v->reason ? v->reason : "");
	if (v->key) {
		pg_buf_addf(&msg, "\nsigned by key %s", v->key);
		if (v->signer)
			pg_buf_addf(&msg, " (%s)", v->signer);
	}
	add_fix(&fix, v->letter, v->format, is_tag, hex);
	rc = pg_buf_failed(&msg) || pg_buf_failed(&fix) ? pg_error_oom(err)
				: pg_findings_add(ctx->findings, &spec, msg.ptr, fix.ptr, err);
	pg_buf_release(&msg);
	pg_buf_release(&fix);
	return rc;
}

static int check_one(struct pg_check_ctx *ctx, const struct pg_signatures *s, git_odb *odb,
		     const git_oid *oid, const char *ref, bool is_tag, struct pg_error *err)
{
	struct pg_signed obj = PG_SIGNED_INIT;
	struct pg_sig_verdict v = PG_SIG_VERDICT_INIT;
	char hex[GIT_OID_HEXSZ + 1];
	int rc;

	git_oid_tostr(hex, sizeof(hex), oid);
	rc = pg_signatures_verify_oid(s, odb, oid, &obj, &v, err);
	if (rc == 0 && v.letter != 'G' && !pg_signatures_exempt(s, obj.email))
		rc = add_finding(ctx, ref, hex, &obj, &v, is_tag, err);
	pg_sig_verdict_release(&v);
	pg_signed_release(&obj);
	return rc;
}

int pg_check_signatures(struct pg_check_ctx *ctx, struct pg_error *err)
{
	struct pg_signatures s = PG_SIGNATURES_INIT;
	git_odb *odb = NULL;
	bool loaded = false;
	int ret;

	if ((ret = pg_signatures_load(&s, ctx->policy, err)) < 0 || !s.required)
		goto out;
	if (git_repository_odb(&odb, ctx->repo) < 0) {
		ret = pg_error_git(err, "cannot open the object database");
		goto out;
	}
	for (size_t i = 0; i < ctx->walk->n; i++) {
		const struct pg_commit *c = &ctx->walk->commits[i];
		const struct pg_ref_update *u = pg_check_commit_ref(ctx, c, &s.refs);

		if (!u || c->synthetic)
			continue; /* a blob or tree a ref names carries no signature (a tag of it does, below) */
		/* exempt committers skip before anything is read */
		if (pg_signatures_exempt(&s, c->committer_email))
			continue;
		if (!loaded && (ret = pg_signatures_load_keys(&s, ctx->policy, err)) < 0)
			goto out;
		loaded = true;
		if ((ret = check_one(ctx, &s, odb, &c->oid, u->ref, false, err)) < 0)
			goto out;
	}
	for (size_t i = 0; i < ctx->push->nupdates; i++) {
		const struct pg_ref_update *u = &ctx->push->updates[i];
		git_object_t type;
		size_t size;
		git_oid oid;

		if (u->deleted || !pg_policy_scope_matches(&s.refs, u->ref))
			continue;
		if (git_oid_fromstr(&oid, u->new) < 0 || git_odb_read_header(&size, &type, odb, &oid) < 0) {
			ret = pg_error_git(err, "cannot read object %s (%s)", u->new, u->ref);
			goto out;
		}
		if (type != GIT_OBJECT_TAG)
			continue;
		if (!loaded && (ret = pg_signatures_load_keys(&s, ctx->policy, err)) < 0)
			goto out;
		loaded = true;
		if ((ret = check_one(ctx, &s, odb, &oid, u->ref, true, err)) < 0)
			goto out;
	}
	ret = 0;
out:
	git_odb_free(odb);
	pg_signatures_release(&s);
	return ret;
}

