/* ssh-keygen's allowed signers file (ssh-keygen(1), ALLOWED SIGNERS), which
 * git's gpg.ssh.allowedSignersFile uses:
 *
 *   principals [options] keytype base64 [comment]
 *
 * principals: comma-separated patterns (* ? and !negation, as ssh's
 * match_pattern_list), optionally in double quotes. Options (comma-separated):
 * cert-authority, namespaces="git,...", valid-after="YYYYMMDD[HHMM[SS]][Z]",
 * valid-before="...". Times without Z are local time, as in ssh-keygen.
 * Blank lines and lines starting with # are ignored. */
#ifndef PG_ALLOWED_SIGNERS_H
#define PG_ALLOWED_SIGNERS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "sshsig.h"

struct pg_allowed_signer {
	char *principals;     /* comma-separated pattern list, as written */
	char *namespaces;     /* pattern list, NULL = any namespace */
	int64_t valid_after;  /* seconds since the epoch, INT64_MIN when unset */
	int64_t valid_before; /* INT64_MAX when unset */
	bool cert_authority;
	struct pg_sshkey key;
	size_t line;
};

struct pg_allowed_signers {
	struct pg_allowed_signer *v;
	size_t n, alloc;
	char *path;           /* for messages */
};

#define PG_ALLOWED_SIGNERS_INIT { NULL, 0, 0, NULL }

/* Parses text (len bytes; need not be NUL-terminated). Any malformed line is
 * an error naming path and line (PG_ECONFIG). Release in every case. */
int pg_allowed_signers_parse(struct pg_allowed_signers *as, const char *text, size_t len,
			     const char *path, struct pg_error *err);
/* Reads and parses the file; an unreadable file is PG_ECONFIG naming it. */
int pg_allowed_signers_load(struct pg_allowed_signers *as, const char *path, struct pg_error *err);
void pg_allowed_signers_release(struct pg_allowed_signers *as);

/* Parses YYYYMMDD[HHMM[SS]][Z] into seconds since the epoch; -1 when invalid. */
int64_t pg_allowed_signers_parse_time(const char *s);

/* ssh's match_pattern_list: 1 when s matches a positive pattern of the
 * comma-separated list and no negated one, else 0. */
int pg_ssh_match_list(const char *s, const char *list);

enum pg_as_result {
	PG_AS_NOT_LISTED,  /* no line has this key (as a plain key) */
	PG_AS_TRUSTED,     /* a line has it, its namespaces and validity fit */
	PG_AS_NAMESPACE,   /* listed, but not for this namespace */
	PG_AS_NOT_YET,     /* listed, valid-after lies after `when` */
	PG_AS_EXPIRED,     /* listed, valid-before lies before `when` */
	PG_AS_PRINCIPAL,   /* listed and valid, but no line's principals match `principal` */
};

/* Looks the key up for namespace ns at time `when`. principal NULL: any
 * principal will do; otherwise a fitting line's principals must match it.
 * *match is the deciding line (the trusted one, or the first listed one
 * that explains the refusal), NULL when not listed. */
enum pg_as_result pg_allowed_signers_find(const struct pg_allowed_signers *as,
					  const struct pg_sshkey *key, const char *ns,
					  int64_t when, const char *principal,
					  const struct pg_allowed_signer **match);

#endif
