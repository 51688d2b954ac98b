/* The admin's trust set (signature.h): the pushguard.signatures.* keys and
 * settings, the key files they name (OpenPGP keyring and GnuPG home, SSH
 * allowed signers, revocations, the policy ref's keys), loaded once. The
 * rest of signed commits: signature_parse.c (what an object holds),
 * signature_verify.c (one object's verdict), signature_verdict.c (the
 * verdict), check_signatures.c (the push check). */
#include "signature.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "allowed_signers.h"
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
