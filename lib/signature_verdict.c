/* A signature verdict in git's terms (signature.h): its letter, the letter's
 * name, setting and releasing it; and the one place where what a verifier
 * found (struct pg_sig_facts) is put in the words the pusher reads. */
#include "signature.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "buf.h"
#include "openpgp.h"

void pg_sig_verdict_release(struct pg_sig_verdict *v)
{
	free(v->key);
	free(v->signer);
	free(v->reason);
	*v = (struct pg_sig_verdict)PG_SIG_VERDICT_INIT;
}

int pg_sig_verdict_set(struct pg_sig_verdict *v, char letter, const char *fmt, ...)
{
	struct pg_buf b = PG_BUF_INIT;
	va_list ap;

	v->letter = letter;
	free(v->reason);
	v->reason = NULL;
	if (!fmt)
		return 0;
	va_start(ap, fmt);
	pg_buf_vaddf(&b, fmt, ap);
	va_end(ap);
	if (!(v->reason = pg_buf_detach(&b)))
		return -1;
	return 0;
}

const char *pg_sig_letter_name(char letter)
{
	switch (letter) {
	case 'G': return "good signature";
	case 'B': return "bad signature";
	case 'U': return "untrusted key";
	case 'X': return "expired signature";
	case 'Y': return "expired key";
	case 'R': return "revoked key";
	case 'N': return "no signature";
	default: return "cannot check the signature";
	}
}

/* ---------------------------------------------------------------- facts in words */

void pg_sig_facts_release(struct pg_sig_facts *f)
{
	free(f->key);
	free(f->signer);
	free(f->what);
	free(f->why);
	free(f->file);
	free(f->email);
	*f = (struct pg_sig_facts)PG_SIG_FACTS_INIT;
}

int pg_sig_facts_set(struct pg_sig_facts *f, enum pg_sig_fact fact, const char *what)
{
	f->fact = fact;
	free(f->what);
	f->what = NULL;
	if (what && !(f->what = strdup(what)))
		return -1;
	return 0;
}

static const char *fmt_time(int64_t t, char *buf, size_t n)
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (!gmtime_r(&tt, &tm) || !strftime(buf, n, "%Y-%m-%d %H:%M:%S UTC", &tm))
		snprintf(buf, n, "%lld", (long long)t);
	return buf;
}

int pg_sig_verdict_explain(struct pg_sig_verdict *out, struct pg_sig_facts *f)
{
	char tbuf[64];

	out->format = f->format;
	free(out->key);
	free(out->signer);
	out->key = f->key;
	out->signer = f->signer;
	f->key = f->signer = NULL;
	switch (f->fact) {
	case PG_SIG_GOOD:
		return pg_sig_verdict_set(out, 'G', NULL);
	case PG_SIG_UNSIGNED:
		return pg_sig_verdict_set(out, 'N', "the commit is not signed");
	case PG_SIG_SHA256_ONLY:
		return pg_sig_verdict_set(out, 'E', "only a gpgsig-sha256 signature (over the SHA-256 form "
					  "of the commit), which cannot be checked in this SHA-1 repository");
	case PG_SIG_NO_OPENPGP_KEYS:
		return pg_sig_verdict_set(out, 'E', "OpenPGP signature, but no OpenPGP keys are configured "
					  "(pushguard.signatures.keyring or gnupgHome)");
	case PG_SIG_X509_UNSUPPORTED:
		return pg_sig_verdict_set(out, 'E', "X.509 (gpgsm, gitsign) signatures are not supported; "
					  "sign with an OpenPGP or SSH key");
	case PG_SIG_FORMAT_UNKNOWN:
		return pg_sig_verdict_set(out, 'E', "the signature is in an unknown format");

	case PG_SIG_PGP_UNPARSABLE:
		return pg_sig_verdict_set(out, 'B', "the OpenPGP signature cannot be parsed");
	case PG_SIG_PGP_KEY_UNKNOWN:
		return pg_sig_verdict_set(out, 'E', "the signing key%s%s is not in the trusted OpenPGP keys",
					  out->key ? " " : "", out->key ? out->key : "");
	case PG_SIG_PGP_WEAK_HASH:
		return pg_sig_verdict_set(out, 'B', "the signature uses %s, a hash algorithm considered insecure "
					  "for signatures made at that date", f->what);
	case PG_SIG_PGP_REVOKED:
		return pg_sig_verdict_set(out, 'R', "the key %s was revoked by its owner", out->key);
	case PG_SIG_PGP_REVOKED_LISTED:
		return pg_sig_verdict_set(out, 'R', "the key %s is listed in pushguard.signatures.revokedKeys",
					  out->key);
	case PG_SIG_PGP_KEY_EXPIRED:
		return pg_sig_verdict_set(out, 'Y', "the key %s expired on %s, before the commit's date", out->key,
					  fmt_time(f->when, tbuf, sizeof(tbuf)));
	case PG_SIG_PGP_SIG_EXPIRED:
		return pg_sig_verdict_set(out, 'X', "the signature expired on %s, before the commit's date",
					  fmt_time(f->when, tbuf, sizeof(tbuf)));
	case PG_SIG_PGP_EXPIRED_AT_DATE:
		return pg_sig_verdict_set(out, 'X', "the signature had expired at the commit's date");
	case PG_SIG_PGP_WEAK_KEY:
		return pg_sig_verdict_set(out, 'B', "the key %s is %s-%u: keys shorter than %d bits are refused as weak",
					  out->key, f->what, f->bits, PG_OPENPGP_MIN_KEY_BITS);
	case PG_SIG_PGP_NO_UID:
		return pg_sig_verdict_set(out, 'U', "no user id of the key %s has the committer's email <%s> "
					  "(pushguard.signatures.matchCommitter)", out->key, f->email);
	case PG_SIG_PGP_MISMATCH:
		return pg_sig_verdict_set(out, 'B', "the signature does not match the signed data "
					  "(altered after signing, or made over other content)");
	case PG_SIG_PGP_UNCHECKABLE:
		return pg_sig_verdict_set(out, 'E', "the OpenPGP signature cannot be checked: %s", f->what);

	case PG_SIG_SSH_MALFORMED:
		return pg_sig_verdict_set(out, 'B', "malformed SSH signature: %s", f->what);
	case PG_SIG_SSH_KEY_UNSUPPORTED:
		return pg_sig_verdict_set(out, 'E', "%s key: %s", f->what, f->why);
	case PG_SIG_SSH_MISMATCH:
		return pg_sig_verdict_set(out, 'B', "%s", f->what);
	case PG_SIG_SSH_REVOKED_LISTED:
		return pg_sig_verdict_set(out, 'R', "the key is listed in pushguard.signatures.revokedKeys");
	case PG_SIG_SSH_NO_SIGNERS_FILE:
		return pg_sig_verdict_set(out, 'U', "SSH signature, but no allowed signers file is configured "
					  "(pushguard.signatures.allowedSignersFile)");
	case PG_SIG_SSH_NOT_LISTED:
		return pg_sig_verdict_set(out, 'U', "the key is not in the allowed signers file %s", f->file);
	case PG_SIG_SSH_NAMESPACE:
		return pg_sig_verdict_set(out, 'U', "%s:%zu allows this key only for namespaces=\"%s\", not \"git\"",
					  f->file, f->line, f->what);
	case PG_SIG_SSH_NOT_YET:
		return pg_sig_verdict_set(out, 'Y', "%s:%zu makes this key valid only after %s (valid-after); "
					  "the commit is dated before", f->file, f->line,
					  fmt_time(f->when, tbuf, sizeof(tbuf)));
	case PG_SIG_SSH_EXPIRED:
		return pg_sig_verdict_set(out, 'Y', "%s:%zu made this key valid only until %s (valid-before); "
					  "the commit is dated after", f->file, f->line,
					  fmt_time(f->when, tbuf, sizeof(tbuf)));
	case PG_SIG_SSH_PRINCIPAL:
		return pg_sig_verdict_set(out, 'U', "the committer's email <%s> is not a principal of this key "
					  "(%s:%zu lists \"%s\"; pushguard.signatures.matchCommitter)", f->email,
					  f->file, f->line, f->what);
	}
	return pg_sig_verdict_set(out, 'E', "the signature is in an unknown format");
}
