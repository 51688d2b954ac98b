#include "signature.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "allowed_signers.h"
#include "check.h"
#include "finding.h"
#include "openpgp.h"
#include "policy_ref.h"
#include "sshsig.h"

#define MAX_KEYS_FILE ((size_t)16 << 20)

const struct pg_key_def pg_signatures_keys[] = {
	{ "pushguard.signatures.required", PG_KEY_BOOL, NULL,
	  "require a good signature from a trusted key on new commits (and annotated tags) in scope",
	  "`false`", "bool: new commits (and annotated tags) in scope need a good signature from a trusted key ([Signed commits](signatures.md))" },
	{ "pushguard.signatures.refs", PG_KEY_REF_GLOBS, NULL,
	  "ref globs where signatures are required (default: refs/heads/**)",
	  "`refs/heads/**`", "ref globs where signatures are required (multi)" },
	{ "pushguard.signatures.keyring", PG_KEY_PATH, NULL,
	  "file of trusted OpenPGP public keys (gpg --armor --export)",
	  "", "absolute path: trusted OpenPGP public keys (`gpg --armor --export`, armored or binary)" },
	{ "pushguard.signatures.gnupgHome", PG_KEY_PATH, NULL,
	  "GnuPG home whose public keyring (pubring.kbx) holds trusted OpenPGP keys",
	  "", "absolute path: a GnuPG home whose public keyring (`pubring.kbx`/`pubring.gpg`) is trusted" },
	{ "pushguard.signatures.allowedSignersFile", PG_KEY_PATH, NULL,
	  "trusted SSH signing keys, in ssh-keygen's allowed signers format",
	  "", "absolute path: trusted SSH keys, ssh-keygen's allowed signers format" },
	{ "pushguard.signatures.revokedKeys", PG_KEY_PATH, NULL,
	  "file of revoked keys, one per line: SSH public keys or OpenPGP fingerprints",
	  "", "absolute path: revoked keys, one per line: SSH public keys (`ssh-ed25519 AAAA...`) or OpenPGP fingerprints" },
	{ "pushguard.signatures.matchCommitter", PG_KEY_BOOL, NULL,
	  "the signer's identity (user id email / principal) must be the committer's email",
	  "`false`", "bool: the signer's identity (a user id's email / an allowed-signers principal) must be the committer's email" },
	{ "pushguard.signatures.exemptCommitters", PG_KEY_STRINGS, NULL,
	  "committer emails whose commits need no signature (multi-valued; e.g. a merge bot)",
	  "", "committer emails whose commits need no signature (multi; see [the risk](signatures.md))" },
	{ NULL },
};

#define K_REQUIRED "pushguard.signatures.required"
#define K_REFS "pushguard.signatures.refs"
#define K_KEYRING "pushguard.signatures.keyring"
#define K_HOME "pushguard.signatures.gnupgHome"
#define K_SIGNERS "pushguard.signatures.allowedSignersFile"
#define K_REVOKED "pushguard.signatures.revokedKeys"
#define K_MATCH "pushguard.signatures.matchCommitter"
#define K_EXEMPT "pushguard.signatures.exemptCommitters"

/* ---------------------------------------------------------------- verdicts */

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

/* ---------------------------------------------------------------- parsing objects */

void pg_signed_release(struct pg_signed *s)
{
	pg_buf_release(&s->payload);
	pg_buf_release(&s->signature);
	free(s->email);
	free(s->subject);
	*s = (struct pg_signed)PG_SIGNED_INIT;
}

static bool starts_with(const char *s, size_t len, const char *prefix)
{
	size_t n = strlen(prefix);

	return len >= n && !memcmp(s, prefix, n);
}

static enum pg_sig_format format_of(const char *sig, size_t len)
{
	if (starts_with(sig, len, "-----BEGIN PGP SIGNATURE-----") ||
	    starts_with(sig, len, "-----BEGIN PGP MESSAGE-----"))
		return PG_SIG_OPENPGP;
	if (starts_with(sig, len, "-----BEGIN SSH SIGNATURE-----"))
		return PG_SIG_SSH;
	if (starts_with(sig, len, "-----BEGIN SIGNED MESSAGE-----"))
		return PG_SIG_X509;
	return PG_SIG_NONE;
}

/* "NAME <EMAIL> TIME TZ" (after "committer " / "tagger "). */
static int parse_ident(struct pg_signed *out, const char *v, size_t len)
{
	const char *lt = memchr(v, '<', len), *gt;

	if (out->email)
		return 0; /* a repeated committer/tagger header: the first counts, as in libgit2 */
	out->time = 0;
	if (!lt || !(gt = memchr(lt, '>', len - (size_t)(lt - v)))) {
		out->email = strdup("");
		return out->email ? 0 : -1;
	}
	if (!(out->email = strndup(lt + 1, (size_t)(gt - lt - 1))))
		return -1;
	for (const char *p = gt + 1; p < v + len && (*p == ' ' || isdigit((unsigned char)*p)); p++) {
		if (isdigit((unsigned char)*p)) {
			if (out->time > (INT64_MAX - 9) / 10)
				break;
			out->time = out->time * 10 + (*p - '0');
		} else if (out->time) {
			break;
		}
	}
	return 0;
}

static int set_subject(struct pg_signed *out, const char *msg, size_t len)
{
	const char *p = msg, *end = msg + len, *eol;

	while (p < end && *p == '\n')
		p++;
	eol = memchr(p, '\n', (size_t)(end - p));
	out->subject = strndup(p, eol ? (size_t)(eol - p) : (size_t)(end - p));
	return out->subject ? 0 : -1;
}

/* Mirrors git's parse_buffer_signed_by_header (commit.c): the signature is the
 * value of the gpgsig header (continuation lines without their leading space);
 * the payload is the object without any gpgsig* header. Only headers count:
 * everything after the first empty line is message, copied as is. */
static int parse_commit(struct pg_signed *out, const char *buf, size_t size)
{
	const char *line = buf, *tail = buf + size;
	bool in_sig = false, other_sig = false, saw_sha256 = false;

	while (line < tail) {
		const char *next = memchr(line, '\n', (size_t)(tail - line));
		const char *sig = NULL;
		size_t len;

		next = next ? next + 1 : tail;
		len = (size_t)(next - line);
		if (in_sig && line[0] == ' ') {
			sig = line + 1;
		} else if (starts_with(line, len, "gpgsig ")) {
			sig = line + 7;
			other_sig = false;
		} else if (starts_with(line, len, "gpgsig")) {
			other_sig = true;
			saw_sha256 |= starts_with(line, len, "gpgsig-sha256 ");
		} else if (other_sig && line[0] != ' ') {
			other_sig = false;
		}
		if (sig) {
			if (pg_buf_add(&out->signature, sig, (size_t)(next - sig)) < 0)
				return -1;
			in_sig = true;
		} else {
			if (*line == '\n') {
				if (pg_buf_add(&out->payload, line, (size_t)(tail - line)) < 0 ||
				    set_subject(out, line, (size_t)(tail - line)) < 0)
					return -1;
				break;
			}
			if (!other_sig && pg_buf_add(&out->payload, line, len) < 0)
				return -1;
			if (!other_sig && starts_with(line, len, "committer ") &&
			    parse_ident(out, line + 10, len - 10) < 0)
				return -1;
			in_sig = false;
		}
		line = next;
	}
	out->other_hash_only = saw_sha256 && !out->signature.len;
	return 0;
}

/* git's parse_signed_buffer: the signature starts at the last line that opens
 * a signature block; the payload is everything before it. */
static int parse_tag(struct pg_signed *out, const char *buf, size_t size)
{
	size_t len = 0, match = size, body = size;

	while (len < size) {
		const char *eol = memchr(buf + len, '\n', size - len);

		if (format_of(buf + len, size - len) != PG_SIG_NONE)
			match = len;
		if (body == size && buf[len] == '\n')
			body = len;
		if (body == size && starts_with(buf + len, size - len, "tagger ")) {
			size_t l = eol ? (size_t)(eol - buf - len) : size - len;

			if (parse_ident(out, buf + len + 7, l - 7) < 0)
				return -1;
		}
		len += eol ? (size_t)(eol - (buf + len)) + 1 : size - len;
	}
	if (!out->email && !(out->email = strdup("")))
		return -1;
	if (pg_buf_add(&out->payload, buf, match) < 0 ||
	    pg_buf_add(&out->signature, buf + match, size - match) < 0)
		return -1;
	if (body < match && set_subject(out, buf + body, match - body) < 0)
		return -1;
	return 0;
}

int pg_signed_parse(struct pg_signed *out, const char *raw, size_t len, git_object_t type,
		    struct pg_error *err)
{
	int rc;

	pg_buf_init(&out->payload, 0);
	pg_buf_init(&out->signature, 0);
	if (type == GIT_OBJECT_COMMIT)
		rc = parse_commit(out, raw, len);
	else if (type == GIT_OBJECT_TAG)
		rc = parse_tag(out, raw, len);
	else
		return pg_error_set(err, PG_EINPUT, "not a commit or tag object");
	if (rc < 0)
		return pg_error_set(err, PG_ERR, "out of memory (or object too large)");
	if (!out->email && !(out->email = strdup("")))
		return pg_error_oom(err);
	if (!out->subject && !(out->subject = strdup("")))
		return pg_error_oom(err);
	out->format = format_of(out->signature.ptr, out->signature.len);
	return 0;
}

/* ---------------------------------------------------------------- settings and keys */

void pg_signatures_release(struct pg_signatures *s)
{
	pg_strvec_release(&s->refs);
	pg_strvec_release(&s->exempt);
	pg_openpgp_free(s->pgp);
	if (s->signers) {
		pg_allowed_signers_release(s->signers);
		free(s->signers);
	}
	pg_strvec_release(&s->revoked_fprs);
	for (size_t i = 0; i < s->nrevoked_keys; i++)
		pg_sshkey_release(&s->revoked_keys[i]);
	free(s->revoked_keys);
	*s = (struct pg_signatures)PG_SIGNATURES_INIT;
}

int pg_signatures_load(struct pg_signatures *s, const struct pg_policy *p, struct pg_error *err)
{
	s->required = pg_policy_bool(p, K_REQUIRED, false);
	s->match_committer = pg_policy_bool(p, K_MATCH, false);
	if (pg_policy_list(p, K_REFS, &s->refs) < 0 || pg_policy_list(p, K_EXEMPT, &s->exempt) < 0 ||
	    (!s->refs.n && pg_strvec_push(&s->refs, "refs/heads/**") < 0))
		return pg_error_oom(err);
	return 0;
}

/* "KEY in FILE" for messages. */
static void where(const struct pg_policy *p, const char *key, char *buf, size_t n)
{
	snprintf(buf, n, "%s in %s", key, pg_policy_origin(p, key));
}

static bool is_fingerprint(const char *s, char *out, size_t outsz)
{
	size_t n = 0;

	for (; *s; s++) {
		if (*s == ' ')
			continue;
		if (!isxdigit((unsigned char)*s) || n + 1 >= outsz)
			return false;
		out[n++] = (char)toupper((unsigned char)*s);
	}
	out[n] = '\0';
	return n == 40 || n == 64;
}

static int load_revoked(struct pg_signatures *s, const char *path, const char *what,
			struct pg_error *err)
{
	FILE *fp = fopen(path, "r");
	char *line = NULL;
	size_t cap = 0, lineno = 0, total = 0;
	ssize_t n;
	int ret = -1;

	if (!fp)
		return pg_error_set(err, PG_ECONFIG, "cannot read revoked keys file %s (%s): %s", path, what,
				    strerror(errno));
	while ((n = getline(&line, &cap, fp)) >= 0) {
		char *p = line, fpr[80];
		struct pg_error kerr = PG_ERROR_INIT;
		struct pg_sshkey key;
		void *v;

		lineno++;
		if ((total += (size_t)n) > MAX_KEYS_FILE) {
			ret = pg_error_set(err, PG_ECONFIG, "revoked keys file %s (%s) is too large", path, what);
			goto out;
		}
		p[strcspn(p, "\r\n")] = '\0';
		p += strspn(p, " \t");
		if (!*p || *p == '#')
			continue;
		if (is_fingerprint(p, fpr, sizeof(fpr))) {
			if (pg_strvec_push(&s->revoked_fprs, fpr) < 0)
				goto oom;
			continue;
		}
		if ((ret = pg_sshkey_from_text(&key, p, NULL, &kerr)) < 0) {
			ret = pg_error_set(err, ret == PG_ERR ? PG_ERR : PG_ECONFIG, "%s:%zu (%s): %s",
					   path, lineno, what, kerr.msg);
			goto out;
		}
		if (!(v = realloc(s->revoked_keys, (s->nrevoked_keys + 1) * sizeof(key)))) {
			pg_sshkey_release(&key);
			goto oom;
		}
		s->revoked_keys = v;
		s->revoked_keys[s->nrevoked_keys++] = key;
	}
	if (ferror(fp)) {
		ret = pg_error_set(err, PG_ECONFIG, "cannot read revoked keys file %s (%s): %s", path, what,
				   strerror(errno));
		goto out;
	}
	ret = 0;
	goto out;
oom:
	ret = pg_error_oom(err);
out:
	free(line);
	fclose(fp);
	return ret;
}

/* The policy ref's allowed_signers and keyring.asc (policy_ref.h), added to
 * the server's trust set. */
static int load_ref_keys(struct pg_signatures *s, const struct pg_policy *p, struct pg_error *err)
{
	const struct pg_policy_ref *ref = p->ref;
	char name[1024];
	int rc;

	if (ref->keyring.data) {
		pg_policy_ref_name(ref, &ref->keyring, name, sizeof(name));
		if (!s->pgp && (rc = pg_openpgp_new(&s->pgp, err)) < 0)
			return rc;
		if ((rc = pg_openpgp_load_buffer(s->pgp, ref->keyring.data, ref->keyring.len, name, err)) < 0)
			return rc;
	}
	if (ref->allowed_signers.data) {
		struct pg_allowed_signers more = PG_ALLOWED_SIGNERS_INIT;

		pg_policy_ref_name(ref, &ref->allowed_signers, name, sizeof(name));
		if ((rc = pg_allowed_signers_parse(&more, ref->allowed_signers.data, ref->allowed_signers.len, name,
						   err)) < 0) {
			pg_allowed_signers_release(&more);
			return rc;
		}
		if (!s->signers) {
			if (!(s->signers = malloc(sizeof(*s->signers)))) {
				pg_allowed_signers_release(&more);
				return pg_error_oom(err);
			}
			*s->signers = more;
			return 0;
		}
		/* appended to the server's: the entries move, the server's file names them all */
		if (more.n) {
			void *v = realloc(s->signers->v, (s->signers->n + more.n) * sizeof(*more.v));

			if (!v) {
				pg_allowed_signers_release(&more);
				return pg_error_oom(err);
			}
			s->signers->v = v;
			memcpy(s->signers->v + s->signers->n, more.v, more.n * sizeof(*more.v));
			s->signers->n += more.n;
			s->signers->alloc = s->signers->n;
			more.n = 0;
		}
		pg_allowed_signers_release(&more);
	}
	return 0;
}

static bool ref_has_keys(const struct pg_policy *p)
{
	return p->ref && (p->ref->keyring.data || p->ref->allowed_signers.data);
}

int pg_signatures_load_keys(struct pg_signatures *s, const struct pg_policy *p,
			    struct pg_error *err)
{
	const char *keyring = pg_policy_str(p, K_KEYRING, NULL);
	const char *home = pg_policy_str(p, K_HOME, NULL);
	const char *signers = pg_policy_str(p, K_SIGNERS, NULL);
	const char *revoked = pg_policy_str(p, K_REVOKED, NULL);
	char what[1200];
	int rc;

	if (keyring && !*keyring)
		keyring = NULL;
	if (home && !*home)
		home = NULL;
	if (signers && !*signers)
		signers = NULL;
	if (revoked && !*revoked)
		revoked = NULL;
	if (!keyring && !home && !signers && !ref_has_keys(p))
		return pg_error_set(err, PG_ECONFIG, "signatures are checked but no trusted keys are configured: "
				    "set pushguard.signatures.keyring, pushguard.signatures.gnupgHome or "
				    "pushguard.signatures.allowedSignersFile");
	if (keyring || home) {
		if ((rc = pg_openpgp_new(&s->pgp, err)) < 0)
			return rc;
		if (keyring) {
			where(p, K_KEYRING, what, sizeof(what));
			if ((rc = pg_openpgp_load_file(s->pgp, keyring, what, err)) < 0)
				return rc;
		}
		if (home) {
			where(p, K_HOME, what, sizeof(what));
			if ((rc = pg_openpgp_load_home(s->pgp, home, what, err)) < 0)
				return rc;
		}
	}
	if (signers) {
		struct pg_error serr = PG_ERROR_INIT;

		if (!(s->signers = calloc(1, sizeof(*s->signers))))
			return pg_error_oom(err);
		*s->signers = (struct pg_allowed_signers)PG_ALLOWED_SIGNERS_INIT;
		if ((rc = pg_allowed_signers_load(s->signers, signers, &serr)) < 0) {
			where(p, K_SIGNERS, what, sizeof(what));
			return pg_error_set(err, serr.code, "%s (%s)", serr.msg, what);
		}
	}
	if (ref_has_keys(p) && (rc = load_ref_keys(s, p, err)) < 0)
		return rc;
	if (revoked) {
		where(p, K_REVOKED, what, sizeof(what));
		if ((rc = load_revoked(s, revoked, what, err)) < 0)
			return rc;
	}
	return 0;
}

bool pg_signatures_exempt(const struct pg_signatures *s, const char *email)
{
	for (size_t i = 0; i < s->exempt.n; i++)
		if (!strcasecmp(s->exempt.v[i], email))
			return true;
	return false;
}

/* ---------------------------------------------------------------- verification */

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

/* ---------------------------------------------------------------- the push check */

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

/* ---------------------------------------------------------------- handles (pushguard.h) */

int pg_signatures_open(struct pg_signatures **out, const struct pg_policy *p, struct pg_error *err)
{
	static const struct pg_signatures init = PG_SIGNATURES_INIT;
	int ret;

	if (!(*out = malloc(sizeof(**out))))
		return pg_error_oom(err);
	**out = init;
	if ((ret = pg_signatures_load(*out, p, err)) < 0)
		return ret;
	return pg_signatures_load_keys(*out, p, err);
}

void pg_signatures_free(struct pg_signatures *s)
{
	if (!s)
		return;
	pg_signatures_release(s);
	free(s);
}

int pg_signed_new(struct pg_signed **out, struct pg_error *err)
{
	static const struct pg_signed init = PG_SIGNED_INIT;

	if (!(*out = malloc(sizeof(**out))))
		return pg_error_oom(err);
	**out = init;
	return 0;
}

void pg_signed_free(struct pg_signed *s)
{
	if (!s)
		return;
	pg_signed_release(s);
	free(s);
}

const char *pg_signed_subject(const struct pg_signed *s)
{
	return s->subject;
}

const char *pg_signed_email(const struct pg_signed *s)
{
	return s->email;
}
