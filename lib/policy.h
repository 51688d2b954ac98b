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
#include "regex.h"
#include "strvec.h"

struct pg_policy_ref;

enum pg_mode { PG_MODE_ENFORCE, PG_MODE_WARN, PG_MODE_OFF };

/* What a key's values must look like; checked when the policy loads, so
 * `pushguard check` and the hooks report every bad value up front. */
enum pg_key_kind {
	PG_KEY_BOOL,       /* true/false/yes/no/on/off/1/0 */
	PG_KEY_SIZE,       /* 512k, 100m, 1g (0 = no limit) */
	PG_KEY_COUNT,      /* whole number */
	PG_KEY_DURATION,   /* 3s, 500ms, 2m, 1h; a bare number is seconds */
	PG_KEY_STRING,
	PG_KEY_ENUM,       /* one of choices, "a|b|c" (case-insensitive) */
	PG_KEY_REGEX,      /* PCRE2 */
	PG_KEY_PATH,       /* absolute file path */
	PG_KEY_URL,        /* http:// or https:// */
	PG_KEY_STRINGS,    /* multi-valued strings */
	PG_KEY_REF_GLOBS,  /* multi-valued full ref globs (refs/heads/...) */
	PG_KEY_PATH_GLOBS, /* multi-valued path globs */
};

/* A configuration key. Modules own their keys: each exports a table ending
 * with a { NULL } entry, listed in policy.c's key_tables. */
struct pg_key_def {
	const char *name;    /* canonical spelling, e.g. "pushguard.files.maxSize" */
	enum pg_key_kind kind;
	const char *choices; /* PG_KEY_ENUM only */
	const char *help;    /* one line for `pushguard help config` */
	/* For the configuration reference (`pushguard help config --format
	 * markdown`, docs/config.md), Markdown: the built-in default as an admin
	 * would write it (`4s`), or what applies when the key is unset ("all
	 * refs"); "" when unset means nothing. Every key has one (test_policy). */
	const char *def;
	/* The reference's description when it says more than help; NULL: help. */
	const char *doc;
};
enum pg_on_error { PG_ON_ERROR_REJECT, PG_ON_ERROR_ACCEPT };

/* One effective value and where it came from ("built-in" or a file path). */
struct pg_setting {
	const char *key; /* canonical spelling, static */
	char *value;
	char *origin;
};

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

struct pg_policy_paths {
	const char *system_file; /* NULL: PUSHGUARD_SYSTEM_CONFIG or SYSCONFDIR/pushguard/config */
	const char *policy_dir;  /* NULL: PUSHGUARD_POLICY_DIR or DATADIR/pushguard/policies */
	const char *repo_config; /* the repository's config file; NULL for none */
	/* The policy ref's content (policy_ref.h), read before the repository's
	 * config; NULL for none. Not owned; p->ref points to it. */
	const struct pg_policy_ref *ref;
};

void pg_policy_init(struct pg_policy *p);
void pg_policy_release(struct pg_policy *p);

/* Loads and validates every layer. Returns 0, or PG_ECONFIG when any key or
 * value is invalid: then err holds the first problem, p->problems all of them,
 * and p->on_error is still the configured one when that key itself is valid.
 * Release p in every case. */
int pg_policy_load(struct pg_policy *p, const struct pg_policy_paths *paths,
		   struct pg_error *err);

/* True when a section limited by `scope` (ref globs; empty = all refs) applies to ref. */
bool pg_policy_scope_matches(const struct pg_strvec *scope, const char *ref);

const char *pg_policy_mode_name(enum pg_mode mode);

/* The i-th known key across all modules; NULL past the end. */
const struct pg_key_def *pg_policy_key(size_t i);

/* Reading any key's effective value(s) (for modules that own their keys).
 * Values were validated at load, so these cannot fail: an unset key yields
 * the default. */
const struct pg_setting *pg_policy_setting(const struct pg_policy *p, const char *key);
/* Where key's effective value came from, for messages: a file path, or
 * "built-in" when no file sets it. */
const char *pg_policy_origin(const struct pg_policy *p, const char *key);
const char *pg_policy_str(const struct pg_policy *p, const char *key, const char *def);
bool pg_policy_bool(const struct pg_policy *p, const char *key, bool def);
/* Sizes and counts in bytes/units, durations in milliseconds. */
int64_t pg_policy_int(const struct pg_policy *p, const char *key, int64_t def);
/* Appends every value of a multi-valued key; -1 on allocation failure. */
int pg_policy_list(const struct pg_policy *p, const char *key, struct pg_strvec *out);

/* Parses a duration ("3s", "500ms", "2m", "1h", bare number = seconds) into
 * milliseconds; -1 when invalid. */
int64_t pg_policy_parse_duration(const char *s);

#endif
