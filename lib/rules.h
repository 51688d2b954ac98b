/* Secret-detection rules: a gitleaks-compatible TOML rules file, loaded into
 * compiled rules. The format (gitleaks v8):
 *
 *   [extend]            useDefault = true | path = "other.toml"; disabledRules = ["id", ...]
 *   [[rules]]           id, description, regex, secretGroup, entropy, keywords, path, tags
 *                       and pushguard's own keys (gitleaks ignores them):
 *                       confidence = "high" | "medium" | "low" (default high);
 *                       valueCheck = "password" | "secret" | "credential": the engine judges
 *                       the secret as a generic credential value (credential.h);
 *                       keyGroup = N: the capture group holding the assignment's key name;
 *                       userGroup = N: the group holding a user name next to the secret
 *                       (user:password in a URL or on a command line)
 *   [[rules.allowlists]] (or the older single [rules.allowlist])
 *   [[allowlists]]      (or the older single [allowlist]): global allowlists
 *   allowlist fields:   description, condition ("OR" default | "AND"), commits, paths,
 *                       regexes, regexTarget ("secret" default | "match" | "line"), stopwords
 *
 * Regular expressions are written in Go's RE2 syntax; they are translated to
 * PCRE2 where the two differ and rejected with file:line and the reason where
 * they cannot be. */
#ifndef PG_RULES_H
#define PG_RULES_H

#include <stdbool.h>
#include <stddef.h>

#include "credential.h"
#include "error.h"
#include "regex.h"
#include "strvec.h"

enum pg_regex_target { PG_TARGET_SECRET, PG_TARGET_MATCH, PG_TARGET_LINE };

struct pg_allowlist {
	char *description;
	bool match_all;               /* condition = "AND": every given criterion must hold */
	struct pg_strvec commits;     /* full or abbreviated commit ids */
	struct pg_regex **paths;      /* on the file's path */
	size_t npaths;
	struct pg_regex **regexes;    /* on regex_target */
	size_t nregexes;
	enum pg_regex_target regex_target;
	struct pg_strvec stopwords;   /* lower-case; a secret containing one is allowed */
};

struct pg_rule {
	char *id;
	char *description;
	char *regex_src;      /* PCRE2 syntax (translated); NULL for a path-only rule */
	struct pg_regex *regex;
	int secret_group;     /* capture group holding the secret; 0 = first non-empty group, else whole match */
	double entropy;       /* minimum Shannon entropy of the secret; 0 = no check */
	struct pg_strvec keywords; /* lower-case; the rule runs only where one occurs */
	struct pg_regex *path; /* only files whose path matches; NULL = all */
	struct pg_strvec tags;
	struct pg_allowlist *allowlists;
	size_t nallowlists;
	char *origin;         /* "FILE:LINE" where the rule was defined */
	enum pg_confidence confidence;  /* of its findings (default high) */
	enum pg_value_check value_check; /* NONE: the regex alone decides */
	int key_group;        /* capture group of the key name; 0 = none */
	int user_group;       /* capture group of a user name beside the secret; 0 = none */
	bool skip_report;     /* gitleaks' skipReport; loaded and kept, composite rules are not supported */
	unsigned id_hash;     /* of id, to find a rule by id quickly while loading */
};

struct pg_ruleset {
	struct pg_rule *rules;
	size_t n;
	struct pg_allowlist *allowlists; /* global */
	size_t nallowlists;
	struct pg_ruleset_digest *digest; /* what pg_ruleset_digest() hashes, on first use */
	size_t alloc;                     /* room in rules */
};

#define PG_RULESET_INIT { NULL, 0, NULL, 0, NULL, 0 }

/* Loads one rules file into rs (appending; a later rule with the same id
 * replaces the earlier). [extend] useDefault loads builtin_path first; [extend]
 * path loads that file first (relative to the including file's directory;
 * depth-limited). Errors are PG_ECONFIG naming FILE:LINE and what is wrong.
 *
 * As in gitleaks, a rule that repeats the id of a rule from an extended file
 * is merged into it: the fields it sets win, keywords, tags and allowlists are
 * added (so `id` plus [[rules.allowlists]] alone extends a built-in rule);
 * disabledRules drops extended rules (unknown ids are ignored). A global
 * allowlist with targetRules = [...] is attached to those rules instead.
 * On error rs may hold part of the load: release it. */
int pg_ruleset_load(struct pg_ruleset *rs, const char *path, const char *builtin_path,
		    struct pg_error *err);
/* The same for a file held in memory (a policy ref's rules/NAME.toml), named
 * `name` in errors; its [extend] may use useDefault but not path. */
int pg_ruleset_load_buffer(struct pg_ruleset *rs, const char *name, const char *text, size_t len,
			   const char *builtin_path, struct pg_error *err);
void pg_ruleset_release(struct pg_ruleset *rs);

/* The rules' identity, for the cache of compiled databases: SHA-256 (hex)
 * over every loaded file's bytes in load order; a second load into the same
 * rs chains it (sha256 of the previous digest's hex followed by the new
 * files). Computed on first use, since a push that needs no compiled
 * database never needs it (and so never starts OpenSSL); "" when nothing was
 * loaded or hashing failed. */
const char *pg_ruleset_digest(const struct pg_ruleset *rs);

/* The hash of a rule id kept in pg_rule.id_hash (FNV-1a). */
unsigned pg_rules_id_hash(const char *id);

/* True for a rule run only around its keywords (a rule with a valueCheck
 * and keywords): on the line of each keyword occurrence and the lines before
 * and after, at most PG_RULE_WINDOW bytes from it. Its matches must lie there, which
 * the built-in pack's tests check. */
#define PG_RULE_WINDOW 1024
bool pg_rule_windowed(const struct pg_rule *r);

/* Shannon entropy in bits per character of s[0..len). */
double pg_rules_entropy(const char *s, size_t len);

/* True when the allowlist allows a finding with these facts (any may be NULL;
 * a criterion whose fact is NULL does not hold). condition OR: any given
 * criterion holds; AND: every given criterion holds. Commits match by prefix. */
bool pg_allowlist_allows(const struct pg_allowlist *al, const char *commit, const char *path,
			 const char *secret, const char *match, const char *line);

/* The same; stopwords false leaves the stop-word criterion out (for a value
 * the engine judged itself, valueCheck: its placeholder words are more
 * precise than a substring match, "example" in "ExamplePas123"). */
bool pg_allowlist_allows_ex(const struct pg_allowlist *al, const char *commit, const char *path,
			    const char *secret, const char *match, const char *line, bool stopwords);

/* True when one of rule's allowlists (rule may be NULL) or one of the global
 * allowlists allows the finding. */
bool pg_ruleset_allows(const struct pg_ruleset *rs, const struct pg_rule *rule, const char *commit,
		       const char *path, const char *secret, const char *match, const char *line);

#endif
