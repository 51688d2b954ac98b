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
