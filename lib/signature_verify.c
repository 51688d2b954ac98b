/* One object's verdict (signature.h): an OpenPGP signature is judged by
 * lib/openpgp.c (librnp), an SSH one here over lib/sshsig.c and
 * lib/allowed_signers.c; no signature, X.509 and unknown formats get their
 * verdict here too. */
#include "signature.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "allowed_signers.h"
#include "openpgp.h"
#include "sshsig.h"

static const char *fmt_day(int64_t t, char *buf, size_t n)
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (!gmtime_r(&tt, &tm) || !strftime(buf, n, "%Y-%m-%d %H:%M:%S UTC", &tm))
		snprintf(buf, n, "%lld", (long long)t);
	return buf;
}

static int verify_ssh(const struct pg_signatures *s, const struct pg_signed *obj,
		      const char *email, struct pg_sig_verdict *out, struct pg_error *err)
{
	struct pg_sshsig sig = PG_SSHSIG_INIT;
	struct pg_error serr = PG_ERROR_INIT;
	const struct pg_allowed_signer *line = NULL;
	char tbuf[64];
	int rc, ret = -1;

	out->format = PG_SIG_SSH;
	if ((rc = pg_sshsig_parse(&sig, obj->signature.ptr, obj->signature.len, &serr)) < 0) {
		if (rc == PG_ERR) {
			ret = pg_error_set(err, PG_ERR, "%s", serr.msg);
			goto out;
		}
		ret = pg_sig_verdict_set(out, 'B', "malformed SSH signature: %s", serr.msg);
		goto out;
	}
	if (!(out->key = pg_sshkey_fingerprint(&sig.key)))
		goto oom;
	if (!sig.key.supported) {
		ret = pg_sig_verdict_set(out, 'E', "%s key: %s", sig.key.type, sig.key.why);
		goto out;
	}
	if ((rc = pg_sshsig_verify(&sig, obj->payload.ptr, obj->payload.len, "git", &serr)) < 0) {
		ret = pg_error_set(err, rc, "%s", serr.msg);
		goto out;
	}
	if (rc == 0) {
		ret = pg_sig_verdict_set(out, 'B', "%s", serr.msg);
		goto out;
	}
	for (size_t i = 0; i < s->nrevoked_keys; i++)
		if (pg_sshkey_equal(&s->revoked_keys[i], &sig.key)) {
			ret = pg_sig_verdict_set(out, 'R', "the key is listed in pushguard.signatures.revokedKeys");
			goto out;
		}
	if (!s->signers) {
		ret = pg_sig_verdict_set(out, 'U', "SSH signature, but no allowed signers file is configured "
					 "(pushguard.signatures.allowedSignersFile)");
		goto out;
	}
	switch (pg_allowed_signers_find(s->signers, &sig.key, "git", obj->time, email, &line)) {
	case PG_AS_TRUSTED:
		if (!(out->signer = strdup(email ? email : line->principals)))
			goto oom;
		ret = pg_sig_verdict_set(out, 'G', NULL);
		break;
	case PG_AS_NOT_LISTED:
		ret = pg_sig_verdict_set(out, 'U', "the key is not in the allowed signers file %s",
					 s->signers->path);
		break;
	case PG_AS_NAMESPACE:
		ret = pg_sig_verdict_set(out, 'U', "%s:%zu allows this key only for namespaces=\"%s\", not \"git\"",
					 s->signers->path, line->line, line->namespaces);
		break;
	case PG_AS_NOT_YET:
		ret = pg_sig_verdict_set(out, 'Y', "%s:%zu makes this key valid only after %s (valid-after); "
					 "the commit is dated before", s->signers->path, line->line,
					 fmt_day(line->valid_after, tbuf, sizeof(tbuf)));
		break;
	case PG_AS_EXPIRED:
		ret = pg_sig_verdict_set(out, 'Y', "%s:%zu made this key valid only until %s (valid-before); "
					 "the commit is dated after", s->signers->path, line->line,
					 fmt_day(line->valid_before, tbuf, sizeof(tbuf)));
		break;
	case PG_AS_PRINCIPAL:
		ret = pg_sig_verdict_set(out, 'U', "the committer's email <%s> is not a principal of this key "
					 "(%s:%zu lists \"%s\"; pushguard.signatures.matchCommitter)", email,
					 s->signers->path, line->line, line->principals);
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
	int rc = 0;

	out->format = obj->format;
	if (!obj->signature.len) {
		if (obj->other_hash_only)
			rc = pg_sig_verdict_set(out, 'E', "only a gpgsig-sha256 signature (over the SHA-256 form "
						"of the commit), which cannot be checked in this SHA-1 repository");
		else
			rc = pg_sig_verdict_set(out, 'N', "the commit is not signed");
	} else if (obj->format == PG_SIG_OPENPGP) {
		if (!s->pgp)
			rc = pg_sig_verdict_set(out, 'E', "OpenPGP signature, but no OpenPGP keys are configured "
						"(pushguard.signatures.keyring or gnupgHome)");
		else
			return pg_openpgp_verify(s->pgp, obj->payload.ptr, obj->payload.len, obj->signature.ptr,
						 obj->signature.len, obj->time, email, &s->revoked_fprs, out, err);
	} else if (obj->format == PG_SIG_SSH) {
		return verify_ssh(s, obj, email, out, err);
	} else if (obj->format == PG_SIG_X509) {
		rc = pg_sig_verdict_set(out, 'E', "X.509 (gpgsm, gitsign) signatures are not supported; "
					"sign with an OpenPGP or SSH key");
	} else {
		rc = pg_sig_verdict_set(out, 'E', "the signature is in an unknown format");
	}
	if (rc < 0)
		return pg_error_oom(err);
	return 0;
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

