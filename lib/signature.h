/* Signed commits and tags: find the real signature of a commit (its gpgsig
 * header, never a look-alike in the message) or an annotated tag (the block
 * appended to its message), verify it in-process against the keys the admin
 * trusts, and state the result in git's terms (%G?).
 *
 * The trust set is loaded once per push: an OpenPGP keyring file and/or a
 * GnuPG home (lib/openpgp.c, librnp), an ssh-keygen allowed signers file
 * (lib/allowed_signers.c, lib/sshsig.c) and a revocation list.
 *
 * Files: signature.c (settings and the trust set), signature_parse.c (what
 * an object holds), signature_verify.c (one object's verdict),
 * signature_verdict.c (the verdict), check_signatures.c (the push check). */
#ifndef PG_SIGNATURE_H
#define PG_SIGNATURE_H

#include <git2.h>
#include <stdbool.h>
#include <stdint.h>

#include "buf.h"
#include "error.h"
#include "policy.h"
#include "pushguard.h"
#include "strvec.h"

struct pg_allowed_signers;
struct pg_check_ctx;
struct pg_openpgp;
struct pg_sshkey;

/* enum pg_sig_format, struct pg_sig_verdict (one verdict in git's %G?
 * terms), PG_SIG_VERDICT_INIT, pg_sig_verdict_release and
 * pg_sig_letter_name: pushguard.h. */

/* Sets letter and reason (printf format); returns 0, or -1 on OOM. */
int pg_sig_verdict_set(struct pg_sig_verdict *v, char letter, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* What verifying one signature found, before it is put in words. The
 * verifiers (openpgp.c for OpenPGP, signature_verify.c over sshsig.c and
 * allowed_signers.c for SSH) return facts; pg_sig_verdict_explain()
 * (signature_verdict.c) makes the verdict of them, letter and reason, so
 * that every text the pusher reads about a signature is written in one
 * place. Each fact names the fields it uses; the letter it gives is last. */
enum pg_sig_fact {
	PG_SIG_GOOD,                /* signer (the matched user id or principal): G */
	PG_SIG_UNSIGNED,            /* N */
	PG_SIG_SHA256_ONLY,         /* only a gpgsig-sha256 signature: E */
	PG_SIG_NO_OPENPGP_KEYS,     /* an OpenPGP signature, no OpenPGP keys configured: E */
	PG_SIG_X509_UNSUPPORTED,    /* E */
	PG_SIG_FORMAT_UNKNOWN,      /* E */
	/* OpenPGP (openpgp.c) */
	PG_SIG_PGP_UNPARSABLE,      /* B */
	PG_SIG_PGP_KEY_UNKNOWN,     /* key: its key id, or NULL: E */
	PG_SIG_PGP_WEAK_HASH,       /* what: the hash algorithm: B */
	PG_SIG_PGP_REVOKED,         /* key: revoked by its owner: R */
	PG_SIG_PGP_REVOKED_LISTED,  /* key: listed in pushguard.signatures.revokedKeys: R */
	PG_SIG_PGP_KEY_EXPIRED,     /* key, when: the key's expiry: Y */
	PG_SIG_PGP_SIG_EXPIRED,     /* when: the signature's expiry: X */
	PG_SIG_PGP_EXPIRED_AT_DATE, /* the signature had expired at the commit's date: X */
	PG_SIG_PGP_WEAK_KEY,        /* key, what: the algorithm, bits: B */
	PG_SIG_PGP_NO_UID,          /* key, email: no user id has it: U */
	PG_SIG_PGP_MISMATCH,        /* the data is not what was signed: B */
	PG_SIG_PGP_UNCHECKABLE,     /* what: librnp's status: E */
	/* SSH (signature_verify.c) */
	PG_SIG_SSH_MALFORMED,       /* what: the parser's reason: B */
	PG_SIG_SSH_KEY_UNSUPPORTED, /* what: the key type, why: the reason: E */
	PG_SIG_SSH_MISMATCH,        /* what: the verifier's reason: B */
	PG_SIG_SSH_REVOKED_LISTED,  /* listed in pushguard.signatures.revokedKeys: R */
	PG_SIG_SSH_NO_SIGNERS_FILE, /* U */
	PG_SIG_SSH_NOT_LISTED,      /* file: the allowed signers file: U */
	PG_SIG_SSH_NAMESPACE,       /* file, line, what: its namespaces: U */
	PG_SIG_SSH_NOT_YET,         /* file, line, when: valid-after: Y */
	PG_SIG_SSH_EXPIRED,         /* file, line, when: valid-before: Y */
	PG_SIG_SSH_PRINCIPAL,       /* email, file, line, what: its principals: U */
};

struct pg_sig_facts {
	enum pg_sig_fact fact;
	enum pg_sig_format format;
	char *key;          /* the signing key's fingerprint (or key id), or NULL: goes to the verdict */
	char *signer;       /* user id or principals, or NULL: goes to the verdict */
	char *what;         /* the word the fact names (above), or NULL */
	char *why;
	char *file;
	char *email;
	size_t line;
	int64_t when;
	unsigned bits;
};

#define PG_SIG_FACTS_INIT { PG_SIG_GOOD, PG_SIG_NONE, NULL, NULL, NULL, NULL, NULL, NULL, 0, 0, 0 }

void pg_sig_facts_release(struct pg_sig_facts *f);
/* Sets f->fact, and f->what (a copy of what, may be NULL); -1 on OOM. */
int pg_sig_facts_set(struct pg_sig_facts *f, enum pg_sig_fact fact, const char *what);
/* The verdict the facts give: out->letter and out->reason in words, and
 * f's format, key and signer, which move to out (f keeps none of them).
 * Returns 0, or -1 out of memory. f is to be released still. */
int pg_sig_verdict_explain(struct pg_sig_verdict *out, struct pg_sig_facts *f);

/* What a raw commit or tag object holds. */
struct pg_signed {
	struct pg_buf payload;   /* the bytes the signature covers */
	struct pg_buf signature; /* the armored signature; empty when unsigned */
	enum pg_sig_format format;
	bool other_hash_only;    /* only a gpgsig-sha256 header (a SHA-256 signature) */
	char *email;             /* committer (commit) or tagger (tag) email; "" when absent */
	int64_t time;            /* committer or tagger time, 0 when absent */
	char *subject;           /* first line of the message */
};

#define PG_SIGNED_INIT { PG_BUF_INIT, PG_BUF_INIT, PG_SIG_NONE, false, NULL, 0, NULL }

/* Splits a raw commit (GIT_OBJECT_COMMIT) or tag (GIT_OBJECT_TAG) into what
 * is signed and the signature. A commit's signature is its gpgsig header (the
 * payload is the object without it, and without any gpgsig-sha256 header);
 * a tag's is the last signature block of its message. Release in every case. */
int pg_signed_parse(struct pg_signed *out, const char *raw, size_t len, git_object_t type,
		    struct pg_error *err);
void pg_signed_release(struct pg_signed *s);

/* The admin's trust set and settings, loaded once. */
struct pg_signatures {
	bool required;
	bool match_committer;
	struct pg_strvec refs;      /* ref globs; default refs/heads/(all) */
	struct pg_strvec exempt;    /* committer emails */
	struct pg_openpgp *pgp;     /* NULL when neither keyring nor gnupgHome is set */
	struct pg_allowed_signers *signers; /* NULL when no allowedSignersFile */
	struct pg_strvec revoked_fprs;      /* OpenPGP fingerprints (upper-case hex) */
	struct pg_sshkey *revoked_keys;     /* SSH public keys */
	size_t nrevoked_keys;
};

#define PG_SIGNATURES_INIT { false, false, PG_STRVEC_INIT, PG_STRVEC_INIT, NULL, NULL, \
			     PG_STRVEC_INIT, NULL, 0 }

/* Reads the pushguard.signatures.* settings of p (cheap; no file is read). */
int pg_signatures_load(struct pg_signatures *s, const struct pg_policy *p, struct pg_error *err);
/* Loads every key file the settings name, once. An unreadable or invalid key
 * file, or no trusted keys at all, is PG_ECONFIG naming the key, the file and
 * where it was set. Release in every case. */
int pg_signatures_load_keys(struct pg_signatures *s, const struct pg_policy *p,
			    struct pg_error *err);
void pg_signatures_release(struct pg_signatures *s);

/* The verdict on one parsed object. email_to_match: NULL, or the address the
 * signer's identity must equal (matchCommitter). */
int pg_signatures_verify(const struct pg_signatures *s, const struct pg_signed *obj,
			 const char *email_to_match, struct pg_sig_verdict *out, struct pg_error *err);

/* pg_signatures_verify_oid (the object read from the repository, parsed and
 * verified), pg_signatures_exempt, pg_signatures_open, pg_signatures_free
 * and pg_signed_new, pg_signed_free, its accessors: pushguard.h. */

extern const struct pg_key_def pg_signatures_keys[];

#endif
