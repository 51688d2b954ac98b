/* One object's verdict (signature.h): what its signature is found to be,
 * as facts (struct pg_sig_facts), from lib/openpgp.c (librnp) for OpenPGP,
 * from here over lib/sshsig.c and lib/allowed_signers.c for SSH, and here for
 * no signature, X.509 and unknown formats; then the facts in words by
 * pg_sig_verdict_explain (signature_verdict.c). */
#include "signature.h"

#include <stdlib.h>
#include <string.h>

#include "allowed_signers.h"
#include "openpgp.h"
#include "sshsig.h"

/* A copy of s, or NULL when s is NULL; -1 when memory runs out. */
static int dup_opt(char **out, const char *s)
{
	free(*out);
	*out = NULL;
	return s && !(*out = strdup(s)) ? -1 : 0;
}

/* Where the allowed signers line (or file) that decided is: into out. */
static int at_line(struct pg_sig_facts *out, const struct pg_signatures *s, const struct pg_allowed_signer *line)
{
	out->line = line ? line->line : 0;
	return dup_opt(&out->file, s->signers->path);
}

static int verify_ssh(const struct pg_signatures *s, const struct pg_signed *obj,
		      const char *email, struct pg_sig_facts *out, struct pg_error *err)
{
	struct pg_sshsig sig = PG_SSHSIG_INIT;
	struct pg_error serr = PG_ERROR_INIT;
	const struct pg_allowed_signer *line = NULL;
	int rc, ret = -1;

	out->format = PG_SIG_SSH;
	if ((rc = pg_sshsig_parse(&sig, obj->signature.ptr, obj->signature.len, &serr)) < 0) {
		if (rc == PG_ERR) {
			ret = pg_error_set(err, PG_ERR, "%s", serr.msg);
			goto out;
		}
		ret = pg_sig_facts_set(out, PG_SIG_SSH_MALFORMED, serr.msg);
		goto out;
	}
	if (!(out->key = pg_sshkey_fingerprint(&sig.key)))
		goto oom;
	if (!sig.key.supported) {
		ret = pg_sig_facts_set(out, PG_SIG_SSH_KEY_UNSUPPORTED, sig.key.type);
		if (ret == 0)
			ret = dup_opt(&out->why, sig.key.why);
		goto out;
	}
	if ((rc = pg_sshsig_verify(&sig, obj->payload.ptr, obj->payload.len, "git", &serr)) < 0) {
		ret = pg_error_set(err, rc, "%s", serr.msg);
		goto out;
	}
	if (rc == 0) {
		ret = pg_sig_facts_set(out, PG_SIG_SSH_MISMATCH, serr.msg);
		goto out;
	}
	for (size_t i = 0; i < s->nrevoked_keys; i++)
		if (pg_sshkey_equal(&s->revoked_keys[i], &sig.key)) {
			ret = pg_sig_facts_set(out, PG_SIG_SSH_REVOKED_LISTED, NULL);
			goto out;
		}
	if (!s->signers) {
		ret = pg_sig_facts_set(out, PG_SIG_SSH_NO_SIGNERS_FILE, NULL);
		goto out;
	}
	switch (pg_allowed_signers_find(s->signers, &sig.key, "git", obj->time, email, &line)) {
	case PG_AS_TRUSTED:
		if (!(out->signer = strdup(email ? email : line->principals)))
			goto oom;
		ret = pg_sig_facts_set(out, PG_SIG_GOOD, NULL);
		break;
	case PG_AS_NOT_LISTED:
		ret = at_line(out, s, NULL) < 0 ? -1 : pg_sig_facts_set(out, PG_SIG_SSH_NOT_LISTED, NULL);
		break;
	case PG_AS_NAMESPACE:
		ret = at_line(out, s, line) < 0 ? -1 : pg_sig_facts_set(out, PG_SIG_SSH_NAMESPACE, line->namespaces);
		break;
	case PG_AS_NOT_YET:
		out->when = line->valid_after;
		ret = at_line(out, s, line) < 0 ? -1 : pg_sig_facts_set(out, PG_SIG_SSH_NOT_YET, NULL);
		break;
	case PG_AS_EXPIRED:
		out->when = line->valid_before;
		ret = at_line(out, s, line) < 0 ? -1 : pg_sig_facts_set(out, PG_SIG_SSH_EXPIRED, NULL);
		break;
	case PG_AS_PRINCIPAL:
		ret = at_line(out, s, line) < 0 || dup_opt(&out->email, email) < 0
			      ? -1 : pg_sig_facts_set(out, PG_SIG_SSH_PRINCIPAL, line->principals);
		if (!(out->signer = strdup(line->principals)))
			goto oom;
		break;
	}
	if (ret == -1)
		goto oom;
	goto out;
oom:
	ret = pg_error_oom(err);
out:
	pg_sshsig_release(&sig);
	return ret;
}

int pg_signatures_verify(const struct pg_signatures *s, const struct pg_signed *obj,
			 const char *email, struct pg_sig_verdict *out, struct pg_error *err)
{
	struct pg_sig_facts f = PG_SIG_FACTS_INIT;
	int rc = 0;

	f.format = obj->format;
	if (!obj->signature.len)
		pg_sig_facts_set(&f, obj->other_hash_only ? PG_SIG_SHA256_ONLY : PG_SIG_UNSIGNED, NULL);
	else if (obj->format == PG_SIG_OPENPGP && !s->pgp)
		pg_sig_facts_set(&f, PG_SIG_NO_OPENPGP_KEYS, NULL);
	else if (obj->format == PG_SIG_OPENPGP)
		rc = pg_openpgp_verify(s->pgp, obj->payload.ptr, obj->payload.len, obj->signature.ptr,
				       obj->signature.len, obj->time, email, &s->revoked_fprs, &f, err);
	else if (obj->format == PG_SIG_SSH)
		rc = verify_ssh(s, obj, email, &f, err);
	else if (obj->format == PG_SIG_X509)
		pg_sig_facts_set(&f, PG_SIG_X509_UNSUPPORTED, NULL);
	else
		pg_sig_facts_set(&f, PG_SIG_FORMAT_UNKNOWN, NULL);
	/* the verdict in words: signature_verdict.c */
	if (rc == 0 && pg_sig_verdict_explain(out, &f) < 0)
		rc = pg_error_oom(err);
	pg_sig_facts_release(&f);
	return rc;
}

int pg_signatures_verify_oid(const struct pg_signatures *s, git_odb *odb, const git_oid *oid,
			     struct pg_signed *obj, struct pg_sig_verdict *out, struct pg_error *err)
{
	git_odb_object *o = NULL;
	char hex[GIT_OID_HEXSZ + 1];
	int rc;

	if (git_odb_read(&o, odb, oid) < 0)
		return pg_error_git(err, "cannot read object %s", git_oid_tostr(hex, sizeof(hex), oid));
	rc = pg_signed_parse(obj, git_odb_object_data(o), git_odb_object_size(o), git_odb_object_type(o), err);
	git_odb_object_free(o);
	if (rc < 0)
		return rc;
	return pg_signatures_verify(s, obj, s->match_committer ? obj->email : NULL, out, err);
}

