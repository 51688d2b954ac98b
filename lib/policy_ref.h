/* The policy ref (pushguard.policyRef, e.g. refs/meta/pushguard): a policy
 * layer kept in the repository itself, between the named policy and the
 * repository's own config, maintained by pushes of pushguard.policyAdmins.
 *
 * Its commit's tree may hold:
 *   pushguard.conf    git-config syntax, pushguard.* keys only; keys naming
 *                     server paths (PG_KEY_PATH keys, secrets.rules, ...) and
 *                     the policy ref's own keys are refused there
 *   rules/NAME.toml   extra gitleaks-format rules (like pushguard.secrets.rules)
 *   ignore            allowed finding fingerprints (like secrets.ignoreFile)
 *   allowed_signers   trusted SSH signing keys (added to the server's)
 *   keyring.asc       trusted OpenPGP keys (added to the server's)
 *   README, README.md free text, not read
 * Anything else is a problem. Nothing from the ref is ever executed or used
 * as a path: it is data, each file at most PG_POLICY_REF_MAX_FILE bytes,
 * parsed by the same bounded parsers as the files it stands beside.
 * Values from it are named "REF:FILE:LINE" (refs/meta/pushguard:pushguard.conf:3). */
#ifndef PG_POLICY_REF_H
#define PG_POLICY_REF_H

#include <git2.h>
#include <stdbool.h>
#include <stddef.h>

#include "error.h"
#include "policy.h"
#include "strvec.h"

#define PG_POLICY_REF_MAX_FILE ((size_t)256 << 10) /* bytes per file */
#define PG_POLICY_REF_MAX_RULES 64                 /* files under rules/ */
#define PG_POLICY_REF_MAX_ENTRIES 256              /* entries at the top and in rules/ */

/* One file of the ref's tree; data NULL when the tree does not have it. */
struct pg_policy_ref_file {
	char *path; /* in the tree: "pushguard.conf", "rules/aws.toml" */
	char *data; /* NUL-terminated copy of the blob (the blob may hold NULs) */
	size_t len;
};

struct pg_policy_ref {
	char *refname;                   /* "refs/meta/pushguard" */
	git_oid oid;                     /* the commit read */
	char commit[GIT_OID_HEXSZ + 1];  /* its hex */
	struct pg_policy_ref_file conf;  /* pushguard.conf */
	struct pg_policy_ref_file ignore;
	struct pg_policy_ref_file allowed_signers;
	struct pg_policy_ref_file keyring; /* keyring.asc */
	struct pg_policy_ref_file *rules;  /* the .toml files under rules/, in tree order */
	size_t nrules;
	struct pg_strvec unknown;        /* tree entries that are none of the above ("FILE: why") */
};

#define PG_POLICY_REF_INIT { NULL, { { 0 } }, "", { NULL, NULL, 0 }, { NULL, NULL, 0 }, \
			     { NULL, NULL, 0 }, { NULL, NULL, 0 }, NULL, 0, PG_STRVEC_INIT }

extern const struct pg_key_def pg_policy_ref_keys[];

/* Reads the policy ref refname of repo as it is now (in a hook: before the
 * push, refs are not moved yet). Returns 1 when found, 0 when the ref does
 * not exist, <0 on error (PG_ECONFIG naming "REF:FILE" when a file is too
 * large or not a regular file; PG_ERR otherwise). Release out in every case. */
int pg_policy_ref_read(struct pg_policy_ref *out, git_repository *repo, const char *refname,
		       struct pg_error *err);
/* The same for a given commit (a pushed new value, its objects visible in
 * the quarantine); refname names it in messages. Returns 1 or <0. */
int pg_policy_ref_read_commit(struct pg_policy_ref *out, git_repository *repo, const char *refname,
			      const git_oid *commit, struct pg_error *err);
void pg_policy_ref_release(struct pg_policy_ref *r);

/* "REF:PATH" for messages and origins, into buf (truncated to fit). */
const char *pg_policy_ref_name(const struct pg_policy_ref *r, const struct pg_policy_ref_file *f,
			       char *buf, size_t n);

/* pg_policy_load_repo, the effective policy of a repository with its
 * policy ref layer: pushguard.h. */

/* The same with the ref's content given (a pushed value being validated):
 * ref NULL loads without a ref layer. ref stays owned by the caller and must
 * outlive p (p->ref points to it; p does not release it). */
int pg_policy_load_with_ref(struct pg_policy *p, const char *config, const struct pg_policy_ref *ref,
			    struct pg_error *err);

/* How the ref name ref stands to the policy ref's name policy_ref in git's
 * ref store, where a ref cannot be both a name and a directory of names (the
 * files backend keeps refs as files; packed refs and reftable refuse the same
 * conflicts): compared component by component ('/' separated; empty
 * components, such as from a trailing or doubled '/', are ignored). */
enum pg_refname_relation {
	PG_REFNAME_APART = 0, /* no conflict: refs/meta/pushguard2, refs/heads/main; also an empty name */
	PG_REFNAME_SAME,      /* the policy ref itself */
	PG_REFNAME_BELOW,     /* refs/meta/pushguard/x: the policy ref's name would be its directory */
	PG_REFNAME_ABOVE,     /* refs/meta for refs/meta/pushguard: its name is a directory of the policy ref's */
};

enum pg_refname_relation pg_refname_relation(const char *ref, const char *policy_ref);

/* ---- a push that updates the policy ref (policy_push.c) ---------------- */

/* Run by the hooks before the checks, with the policy in force (the ref as
 * it was before this push). For each update of the configured policy ref:
 * the pusher must be one of pushguard.policyAdmins; it cannot be deleted or
 * force-pushed; its new tree must be a valid policy (every file parses, keys
 * known, values valid, rules compile, keys load), as `pushguard check` would
 * find it; with pushguard.policyRequireSigned every new commit needs a good
 * signature from a key the policy in force trusts. Each violation is a
 * finding of check "policy" (rules policy-admin, policy-delete,
 * policy-force-push, policy-invalid, policy-unsigned, policy-error) with
 * FILE and LINE where they apply; any of them sets refused, which refuses
 * the push whatever the mode, onError or a bypass say. When the update is
 * accepted, change says what changed, for the policy.changed event.
 * The names that conflict with the policy ref's (pg_refname_relation: below
 * it, or one of its directories) are reserved for it, whether it exists or
 * not: a ref there would keep git from creating it. Creating, updating or
 * deleting one is refused unless the pusher is a policy admin, and a policy
 * admin may only delete one (rule policy-reserved). Without
 * pushguard.policyRef nothing is guarded or reserved. */
struct pg_policy_push {
	bool refused;
	bool changed;                   /* an update of the policy ref passed */
	char *ref;
	char old[65], new[65];          /* hex, as the push gave them (SHA-1 or SHA-256) */
	struct pg_strvec changed_keys;  /* canonical key names */
	struct pg_strvec changed_files; /* paths in the tree */
};

#define PG_POLICY_PUSH_INIT { false, false, NULL, "", "", PG_STRVEC_INIT, PG_STRVEC_INIT }

struct pg_findings;
struct pg_push;

/* config: the repository's config file (validation loads the new policy with
 * it). Errors are findings (policy-error); returns <0 only when out of memory. */
int pg_policy_push_check(struct pg_policy_push *out, git_repository *repo, const struct pg_push *push,
			 const struct pg_policy *p, const char *config, struct pg_findings *findings,
			 struct pg_error *err);
void pg_policy_push_release(struct pg_policy_push *pp);

/* The keys whose values differ between two pushguard.conf texts (either may be
 * NULL: absent), canonical names appended to out in key-table order; and the
 * files that differ between two refs' trees. */
int pg_policy_ref_diff(const struct pg_policy_ref *old, const struct pg_policy_ref *new,
		       struct pg_strvec *keys, struct pg_strvec *files, struct pg_error *err);

/* True when key may not be set from a policy ref: keys naming server paths
 * (every PG_KEY_PATH key, pushguard.secrets.rules), pushguard.policy,
 * pushguard.webhook.url and the policy ref's own keys. */
bool pg_policy_ref_key_refused(const struct pg_key_def *key);

/* A bounded git-config parser for text held in memory (a blob): sections
 * [name], [name "sub"] and [name.sub], `key = value` and bare `key` (value
 * NULL), quotes, the \\ \" \n \t \b escapes, `#`/`;` comments and a backslash
 * at the end of a line continuing the value. No includes. cb gets the full
 * name (section and key lower-cased, subsection as written) and the line the
 * entry starts on; a non-zero return stops the parse and is returned. A
 * syntax error is PG_ECONFIG "NAME:LINE: why". */
int pg_gitconfig_parse(const char *text, size_t len, const char *name,
		       int (*cb)(void *ctx, const char *key, const char *value, int line), void *ctx,
		       struct pg_error *err);

#endif
