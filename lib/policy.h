/* The effective policy of one repository, read from git-config files.
 *
 * Layers, lowest to highest: built-in defaults < system file < the named
 * policy (pushguard.policy, from the system file or the repository; a NAME is
 * looked up as POLICY_DIR/NAME.conf, a value containing '/' is a path) < the
 * policy ref (pushguard.policyRef, policy_ref.h) < the repository's own
 * config. A single-valued key takes its highest layer's value;
 * multi-valued keys accumulate from the lowest layer up, and an empty value
 * clears what lower layers gave. Only keys under "pushguard." are read. */
#ifndef PG_POLICY_H
#define PG_POLICY_H

#include <stdbool.h>
#include <stdint.h>

#include "error.h"
#include "pushguard.h"
#include "regex.h"
#include "strvec.h"

struct pg_policy_ref;

/* enum pg_mode, enum pg_on_error, enum pg_key_kind, struct pg_key_def and
 * struct pg_setting are public: pushguard.h. */

struct pg_policy {
	enum pg_mode mode;
	enum pg_on_error on_error;
	char *name;        /* pushguard.policy */
	char *policy_file; /* the named policy's resolved path */

	struct pg_strvec refs_scope;      /* pushguard.refs.refs */
	struct pg_strvec deny_delete;     /* ref globs */
	struct pg_strvec deny_force_push; /* ref globs */
	struct pg_regex *branch_pattern;
	struct pg_regex *tag_pattern;

	struct pg_strvec commits_scope;
	struct pg_regex *message_pattern;
	struct pg_regex *reject_message_pattern;
	struct pg_regex *author_email_pattern;
	struct pg_regex *committer_email_pattern;
	bool require_signoff;

	struct pg_strvec files_scope;
	struct pg_strvec files_deny;       /* path globs */
	int64_t files_max_size;            /* bytes; 0 = no limit */
	int64_t files_max_path_length;     /* bytes; 0 = no limit */

	struct pg_setting *settings;       /* every value set, for `pushguard check` */
	size_t nsettings;
	struct pg_strvec problems;         /* each invalid key or value, naming key and file */

	/* The policy ref layer in force (policy_ref.h), NULL when none: its
	 * rules, ignore list and keys are used beside the server's files. */
	const struct pg_policy_ref *ref;
	struct pg_policy_ref *ref_owned;   /* ref when p owns it (released with p) */
};

void pg_policy_init(struct pg_policy *p);
void pg_policy_release(struct pg_policy *p);

/* pg_policy_load (and pg_policy_new, pg_policy_free, the accessors): pushguard.h. */

/* True when a section limited by `scope` (ref globs; empty = all refs) applies to ref. */
bool pg_policy_scope_matches(const struct pg_strvec *scope, const char *ref);

const char *pg_policy_mode_name(enum pg_mode mode);

/* Reading any key's effective value(s) (for modules that own their keys).
 * Values were validated at load, so these cannot fail: an unset key yields
 * the default. */
const struct pg_setting *pg_policy_setting(const struct pg_policy *p, const char *key);
/* pg_policy_origin, pg_policy_str, pg_policy_bool: pushguard.h. */
/* Sizes and counts in bytes/units, durations in milliseconds. */
int64_t pg_policy_int(const struct pg_policy *p, const char *key, int64_t def);
/* Appends every value of a multi-valued key; -1 on allocation failure. */
int pg_policy_list(const struct pg_policy *p, const char *key, struct pg_strvec *out);

/* Parses a duration ("3s", "500ms", "2m", "1h", bare number = seconds) into
 * milliseconds; -1 when invalid. */
int64_t pg_policy_parse_duration(const char *s);

#endif
