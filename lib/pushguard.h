/* libpushguard: the public API.
 *
 * This header is the whole contract between libpushguard and the programs
 * built on it: the admin CLI (tools/), the server hooks (hooks/) and any
 * program of an admin's own. Such a program includes this header, the
 * standard and system headers it needs, and nothing else of the library's;
 * `make check-api` (part of `make check`) holds tools/ and hooks/ to that.
 * docs/api.md says how the API is laid out and how to add to it.
 *
 * Conventions, everywhere below:
 *
 * - Names are pg_<module>_<verb>(). Opaque handles (pg_policy, pg_walk, ...)
 *   are made by pg_<module>_new() or pg_<module>_open() into an out-parameter
 *   and given back with pg_<module>_free(), which accepts NULL. Their fields
 *   are read through accessors; a program never sees their layout.
 * - Plain value types (struct pg_error, struct pg_buf, struct pg_strvec,
 *   struct pg_finding, ...) are part of the contract, fields and all: a
 *   program declares them, usually with their PG_*_INIT initialiser, and
 *   empties them with pg_<type>_release(), which is safe on a merely
 *   initialised value.
 * - Functions that can fail return 0 (or a documented positive value) on
 *   success and a negative enum pg_error_code on failure, and fill the
 *   caller's struct pg_error with a message naming the file, key or object at
 *   fault; err may not be NULL.
 * - Strings a function returns as `const char *` belong to the handle they
 *   came from and live as long as it does; a returned `char *` is the
 *   caller's to free().
 * - libpushguard works on libgit2 repositories: git_repository, git_odb,
 *   git_oid, git_index and git_tree below are libgit2's, and this header
 *   includes <git2.h>. A program calls pg_repo_global_init() once before any
 *   libgit2 call and git_libgit2_shutdown() when done.
 *
 * Text that came from a push (ref names, paths, messages, identities) may
 * hold anything; pg_render_safe() makes it fit for a terminal. */
#ifndef PUSHGUARD_H
#define PUSHGUARD_H

#include <git2.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* ================================================================ version */

/* The library's version, "MAJOR.MINOR.PATCH" (static). */
const char *pg_version(void);

/* ================================================================ errors */

enum pg_error_code {
	PG_OK = 0,
	PG_ERR = -1,      /* internal failure (I/O, libgit2, out of memory) */
	PG_ECONFIG = -2,  /* the admin's configuration is invalid */
	PG_EINPUT = -3,   /* git handed us input we cannot parse */
	PG_ETIMEOUT = -4, /* the push's time budget ran out */
};

/* What went wrong: a code (enum pg_error_code) and one line of text naming
 * the file, key or object at fault. Never holds a secret. */
struct pg_error {
	int code;
	char msg[1024];
};

#define PG_ERROR_INIT { 0, "" }

/* Sets code and message; returns code so callers can `return pg_error_set(...)`. */
int pg_error_set(struct pg_error *err, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Out of memory: sets PG_ERR with one message, the same everywhere; returns PG_ERR. */
int pg_error_oom(struct pg_error *err);
/* Like pg_error_set with PG_ERR, appending libgit2's last error message. */
int pg_error_git(struct pg_error *err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* ================================================================ buffers */

/* Growable byte buffer: never NULL, always NUL-terminated, capped, and it
 * remembers a failure (as curl's dynbuf does).
 *
 * A buffer set up with PG_BUF_INIT points at a shared empty string until the
 * first append, so pg_buf_release() is safe on a merely-initialised buffer.
 * An append beyond `cap` bytes (0 = PG_BUF_DEFAULT_CAP), so that hostile
 * input cannot exhaust memory, or one that cannot get memory, returns -1,
 * leaves the contents unchanged and marks the buffer failed. A failed buffer
 * stays failed: every later append returns -1 at once and changes nothing,
 * so the text is always a whole prefix of what was written, never one with a
 * hole in the middle. Callers may therefore ignore each append's result and
 * check pg_buf_failed() once, where the text is used (written, sent, stored
 * in a finding); pg_buf_detach() gives NULL for a failed buffer.
 * pg_buf_reset() and pg_buf_release() empty the buffer and clear the failure. */
#define PG_BUF_DEFAULT_CAP ((size_t)64 << 20)

struct pg_buf {
	char *ptr;    /* the text, NUL-terminated; owned by the buffer */
	size_t len;   /* bytes in ptr, without the NUL */
	size_t alloc;
	size_t cap;
	int failed;   /* an append failed: see above */
};

extern char pg_buf_empty[];
#define PG_BUF_INIT { pg_buf_empty, 0, 0, 0, 0 }

/* An empty buffer holding at most cap bytes (0: PG_BUF_DEFAULT_CAP). */
void pg_buf_init(struct pg_buf *b, size_t cap);
/* Frees the text; b is empty (with its cap) and usable again. */
void pg_buf_release(struct pg_buf *b);
/* Empties b, keeping its memory. */
void pg_buf_reset(struct pg_buf *b);
/* Appends: 0, or -1 (b failed, see above). */
int pg_buf_add(struct pg_buf *b, const void *data, size_t len);
int pg_buf_adds(struct pg_buf *b, const char *s);
int pg_buf_addch(struct pg_buf *b, char c);
int pg_buf_addf(struct pg_buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
int pg_buf_vaddf(struct pg_buf *b, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));
/* Appends s quoted for a POSIX shell ('it'\''s'), so a suggested command
 * stays correct whatever the path or name holds. */
int pg_buf_add_shell_quoted(struct pg_buf *b, const char *s);
/* True once an append has failed (cap reached or out of memory). */
static inline int pg_buf_failed(const struct pg_buf *b)
{
	return b->failed;
}
/* Hands the string to the caller (free() it); the buffer is re-initialised.
 * NULL when the buffer failed (its contents are released) or out of memory. */
char *pg_buf_detach(struct pg_buf *b);

/* ================================================================ string lists */

/* A growable array of owned, NUL-terminated strings: v[0] .. v[n - 1]. */
struct pg_strvec {
	char **v;
	size_t n;
	size_t alloc;
};

#define PG_STRVEC_INIT { NULL, 0, 0 }

/* Appends a copy of s; returns 0 or -1 on allocation failure. */
int pg_strvec_push(struct pg_strvec *sv, const char *s);
/* Frees every string; sv is empty and keeps its array. */
void pg_strvec_clear(struct pg_strvec *sv);
/* Frees every string and the array; sv is as PG_STRVEC_INIT. */
void pg_strvec_release(struct pg_strvec *sv);
/* Appends a copy of every string of src to out; 0, or -1 on allocation failure. */
int pg_strvec_copy(struct pg_strvec *out, const struct pg_strvec *src);

/* ================================================================ repositories */

/* Initialises libgit2 once per process (call it before any other libgit2
 * or pushguard function that takes a repository). Owner validation is off:
 * git itself already chose to run the hook in this repository, and pushguard
 * never runs commands named by a repository's config. Objects are not
 * re-hashed on read: git hashed them when they arrived. libgit2 opens no TLS
 * connection (pushguard uses none of its network transports; an attempt fails
 * with an error). PG_ERR when libgit2 cannot be initialised. */
int pg_repo_global_init(struct pg_error *err);

/* Opens a repository into *out. path NULL: the hook's repository, from
 * GIT_DIR and with the quarantined objects of a push in progress visible
 * (GIT_OBJECT_DIRECTORY, GIT_ALTERNATE_OBJECT_DIRECTORIES); without GIT_DIR,
 * the one at or above the current directory. Otherwise the repository at
 * path, exactly (no search upwards). The caller
 * frees *out with git_repository_free(). */
int pg_repo_open(git_repository **out, const char *path, struct pg_error *err);

/* The repository's own config file path ("<gitdir>/config"); caller frees;
 * NULL when out of memory. */
char *pg_repo_config_path(git_repository *repo);

/* ================================================================ policy */

/* The effective policy of one repository, read from git-config files.
 *
 * Layers, lowest to highest: built-in defaults < system file < the named
 * policy (pushguard.policy) < the policy ref (pushguard.policyRef) < the
 * repository's own config. A single-valued key takes its highest layer's
 * value; multi-valued keys accumulate from the lowest layer up, and an empty
 * value clears what lower layers gave. Only keys under "pushguard." are
 * read. docs/policy.md says it for admins. */
typedef struct pg_policy pg_policy;
/* The content of a policy ref (refs/meta/pushguard): opaque. */
typedef struct pg_policy_ref pg_policy_ref;

enum pg_mode { PG_MODE_ENFORCE, PG_MODE_WARN, PG_MODE_OFF };
enum pg_on_error { PG_ON_ERROR_REJECT, PG_ON_ERROR_ACCEPT };

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
 * with a { NULL } entry; pg_policy_key() goes through all of them. */
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

/* One effective value and where it came from ("built-in" or a file path). */
struct pg_setting {
	const char *key; /* canonical spelling, static */
	char *value;
	char *origin;
};

/* Where the layers are read from (pg_policy_load). */
struct pg_policy_paths {
	const char *system_file; /* NULL: PUSHGUARD_SYSTEM_CONFIG or SYSCONFDIR/pushguard/config; "": none */
	const char *policy_dir;  /* NULL: PUSHGUARD_POLICY_DIR or DATADIR/pushguard/policies */
	const char *repo_config; /* the repository's config file; NULL for none */
	/* The policy ref's content, read before the repository's config; NULL
	 * for none. Not owned: it must outlive the policy. */
	const struct pg_policy_ref *ref;
};

/* A new, empty policy in *out (nothing loaded: every key at its built-in
 * default). PG_ERR when out of memory. Free it with pg_policy_free(). */
int pg_policy_new(pg_policy **out, struct pg_error *err);
/* Frees p and everything it holds; NULL does nothing. */
void pg_policy_free(pg_policy *p);

/* Loads and validates every layer into p (new, nothing loaded yet). Returns
 * 0, or PG_ECONFIG when any key or value is invalid: then err holds the
 * first problem, pg_policy_problems() all of them, and pg_policy_on_error()
 * is still the configured one when that key itself is valid. */
int pg_policy_load(pg_policy *p, const struct pg_policy_paths *paths, struct pg_error *err);

/* The effective policy of repo including the policy ref layer: built-in <
 * system file < named policy < policy ref < config (the repository's config
 * file path, may be NULL). refname_override non-NULL: that ref is the layer
 * (the developer client's refs/pushguard/policy), whatever pushguard.policyRef
 * says; NULL: pushguard.policyRef, when set. A missing ref is no layer.
 * Returns as pg_policy_load(); a ref that cannot be read at all is
 * PG_ECONFIG (in the problems too). */
int pg_policy_load_repo(pg_policy *p, git_repository *repo, const char *config,
			const char *refname_override, struct pg_error *err);

/* pushguard.mode and pushguard.onError as loaded. p NULL (no policy could
 * even be made): the built-in defaults, enforce and reject, so that a caller
 * deciding after a failure fails closed. */
enum pg_mode pg_policy_mode(const pg_policy *p);
enum pg_on_error pg_policy_on_error(const pg_policy *p);
/* pushguard.policy (NULL: the default policy) and the file it resolved to
 * (NULL: none was found). */
const char *pg_policy_name(const pg_policy *p);
const char *pg_policy_file(const pg_policy *p);
/* The policy ref layer in force: its ref name, and in *commit (when not
 * NULL) the hex id of the commit read; NULL (and *commit NULL) when there
 * is no such layer. */
const char *pg_policy_ref_layer(const pg_policy *p, const char **commit);
/* Every value set, in the order `pushguard check` prints them: the i-th, or
 * NULL past the end (i >= pg_policy_nsettings()). */
size_t pg_policy_nsettings(const pg_policy *p);
const struct pg_setting *pg_policy_setting_at(const pg_policy *p, size_t i);
/* Each invalid key or value, naming key and file. Owned by p; a linter may
 * append its own problems (pg_strvec_push) and they are released with p. */
struct pg_strvec *pg_policy_problems(pg_policy *p);

/* The i-th known key across all modules; NULL past the end. */
const struct pg_key_def *pg_policy_key(size_t i);
/* Reading any key's effective value. Values were validated at load, so
 * these cannot fail: an unset key yields def. */
const char *pg_policy_str(const pg_policy *p, const char *key, const char *def);
bool pg_policy_bool(const pg_policy *p, const char *key, bool def);
/* Where key's effective value came from, for messages: a file path, or
 * "built-in" when no file sets it. */
const char *pg_policy_origin(const pg_policy *p, const char *key);

/* ================================================================ the push */

/* The push as git hands it to a hook: ref updates, push options, who
 * pushed. An all-zero id means the ref is created (old) or deleted (new),
 * 40 zeros for SHA-1, 64 for SHA-256 repositories. */
typedef struct pg_push pg_push;

#define PG_HEX_MAX 64

enum pg_ref_kind { PG_REF_BRANCH, PG_REF_TAG, PG_REF_OTHER };

/* One ref update of a push. */
struct pg_ref_update {
	char old[PG_HEX_MAX + 1];
	char new[PG_HEX_MAX + 1];
	char *ref;              /* full ref name; owned by the push */
	bool created;
	bool deleted;
	enum pg_ref_kind kind;
	const char *short_name; /* points into ref: name without refs/heads/ or refs/tags/ */
};

/* A new push with no updates in *out; PG_ERR when out of memory. Free it
 * with pg_push_free(). */
int pg_push_new(pg_push **out, struct pg_error *err);
void pg_push_free(pg_push *push);
/* Validates and appends one update (as the update hook's arguments give it):
 * PG_EINPUT naming what is wrong. */
int pg_push_add_update(pg_push *push, const char *ref, const char *old, const char *new,
		       struct pg_error *err);
/* The updates, in the order they were added: the i-th, owned by the push,
 * or NULL past the end (i >= pg_push_nupdates). The caller may change old
 * and new before the checks. */
size_t pg_push_nupdates(const pg_push *push);
struct pg_ref_update *pg_push_update_at(pg_push *push, size_t i);

/* ================================================================ the walk */

/* What a push adds: every commit new to the repository (or to the refs of a
 * section limited to some refs), with the files each adds; or, for an audit,
 * every commit of a repository's history. One walk feeds every check. */
typedef struct pg_walk pg_walk;

/* An object git accepted that git fsck would refuse (a value type). */
struct pg_bad_object {
	char hex[GIT_OID_HEXSZ + 1];
	const char *type;   /* "commit", "tree" or "tag" (static) */
	char *path;         /* a tree: where it sits in the commit ("" for the top), else NULL */
	char *what;         /* what is wrong, in plain words */
	size_t ref;         /* a tag: index of the push update naming it; else SIZE_MAX */
	const char *fix;    /* how to fix it (static), when not by re-creating it with git; else NULL */
};

/* A new, empty walk in *out; PG_ERR when out of memory. Free it with
 * pg_walk_free(). */
int pg_walk_new(pg_walk **out, struct pg_error *err);
void pg_walk_free(pg_walk *w);
/* Before pg_walk_history: threads listing files; 0 = every core. */
void pg_walk_set_jobs(pg_walk *w, size_t jobs);
/* Before pg_check_push: "existing" means reachable from these ids instead of
 * from every ref (ids that name no commit are ignored); hide non-NULL with
 * nhide 0 hides nothing. Not copied: hide must outlive the walk's use. */
void pg_walk_set_hide(pg_walk *w, const git_oid *hide, size_t nhide);

/* For auditing existing history: every commit reachable from all refs (with
 * a synthetic entry for each ref, or annotated tag, naming a tree or blob),
 * or those of `range` ("A..B", or one revision and its ancestors), each with
 * its added files. A range git cannot resolve is an error naming it. */
int pg_walk_history(pg_walk *w, git_repository *repo, const char *range, struct pg_error *err);

/* Commits walked (synthetic entries included). */
size_t pg_walk_ncommits(const pg_walk *w);
/* Progress, safe to call from another thread while pg_walk_history runs:
 * commits whose files are listed so far. */
size_t pg_walk_listed(const pg_walk *w);
/* The malformed objects the walk kept, annotated tags first, then each
 * commit's in walk order: fn is called for each of the first `max` of them.
 * Returns how many there are in all, those not kept (beyond the per-commit
 * limit) counted too. */
size_t pg_walk_each_malformed(const pg_walk *w, size_t max, void (*fn)(const struct pg_bad_object *b, void *arg),
			      void *arg);

/* ================================================================ findings */

/* How sure a finding is that it is a live credential. A finding refuses the
 * push when its confidence is at least pushguard.secrets.block. */
enum pg_confidence {
	PG_CONFIDENCE_LOW = 1,    /* a generic finding in documentation or test fixtures, or an example */
	PG_CONFIDENCE_MEDIUM = 2, /* a generic credential with a credible value */
	PG_CONFIDENCE_HIGH = 3,   /* a token with a checkable structure, private key material */
};

/* A finding: one problem a check found in the push. The same record feeds the
 * pusher's text, the audit log, webhook events and the CLI's reports, so it
 * never holds a raw secret: only a masked excerpt and a fingerprint. Every
 * string is owned by the list it is in (pg_findings_release frees them). */
struct pg_finding {
	const char *check;   /* "refs", "commits", "files", ... (static) */
	char *rule;          /* "deny-delete", "message-pattern", a secret rule's id, ... */
	char *ref;
	char commit[65];     /* full hex id, "" when the finding is about a ref */
	char *subject;       /* commit subject, cut, or NULL */
	char *path;          /* NULL when not about a file */
	size_t line;         /* 0 when not about a line */
	char *message;       /* what is wrong, in plain words */
	char *fix;           /* how to fix it: the commands */
	char *excerpt;       /* masked excerpt, or NULL */
	char *fingerprint;   /* stable id an admin can allow, or NULL */
	char *allowed_by;    /* NULL when the finding counts; else why it was allowed
	                      * (inline comment, allowlist, ignore file): recorded, not refused.
	                      * A caller may set it (a malloc'd string) to allow a finding. */
	enum pg_confidence confidence; /* how sure: high for every check but generic secrets */
	bool warning;        /* below pushguard.secrets.block: shown and recorded, not refused */
};

/* The findings of one push or scan: v[0] .. v[n - 1]. */
struct pg_findings {
	struct pg_finding *v;
	size_t n, alloc;
	/* Short lines for the pusher and the record that are not problems: an
	 * exemption applied, a check skipped ("ticket check skipped for ..."). */
	struct pg_strvec notes;
};

#define PG_FINDINGS_INIT { NULL, 0, 0, PG_STRVEC_INIT }

void pg_findings_release(struct pg_findings *f);
/* Appends a note (printf format; one line, no trailing newline); 0, or
 * PG_ERR when out of memory. */
int pg_findings_note(struct pg_findings *f, struct pg_error *err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Number of findings that count, i.e. refuse the push (neither allowed nor a warning). */
size_t pg_findings_count_blocking(const struct pg_findings *f);

/* ================================================================ checks */

/* Every check on push, in this order: the walk (pg_walk_set_hide first to
 * judge what is new against given ids), then objects, refs, commits, files,
 * secrets, tickets, signatures, appending to findings. deadline_ms: the
 * monotonic time in ms to stop with PG_ETIMEOUT, 0 = none. The hooks run
 * exactly this. Returns 0 whatever was found; negative on an error
 * (PG_ECONFIG for a bad setting). No check decides: pg_decide() does. */
int pg_check_push(pg_walk *walk, struct pg_findings *findings, git_repository *repo, const pg_push *push,
		  const pg_policy *policy, int64_t deadline_ms, struct pg_error *err);

/* ================================================================ the verdict */

enum pg_outcome {
	PG_OUTCOME_ACCEPT,         /* nothing blocks (warnings and allowed findings are still shown) */
	PG_OUTCOME_OFF,            /* pushguard.mode = off: nothing checked, accepted */
	PG_OUTCOME_REFUSE,         /* blocking findings, mode enforce */
	PG_OUTCOME_WARN,           /* blocking findings, mode warn: shown, accepted */
	PG_OUTCOME_BYPASS,         /* blocking findings, a bypass honoured: accepted, recorded */
	PG_OUTCOME_ERROR_REFUSE,   /* an internal or configuration error, onError = reject */
	PG_OUTCOME_ERROR_ACCEPT,   /* ... onError = accept: accepted unchecked */
	PG_OUTCOME_TIMEOUT_REFUSE, /* the time budget ran out, onTimeout = reject */
	PG_OUTCOME_TIMEOUT_ACCEPT, /* ... onTimeout = accept or accept-and-report: accepted unchecked */
};

/* What pg_decide() decides from. */
struct pg_decide_input {
	int rc;                 /* of loading and checking: 0, PG_ETIMEOUT or another error */
	enum pg_mode mode;      /* pushguard.mode; read only when the policy loaded (rc 0 or PG_ETIMEOUT) */
	enum pg_on_error on_error;  /* pushguard.onError */
	bool timeout_accepts;   /* pushguard.onTimeout accepts */
	bool recorded;          /* events go somewhere: a background check can report */
	size_t blocking;        /* findings that refuse (pg_findings_count_blocking) */
	bool bypass_honoured;   /* a bypass was honoured */
};

/* The verdict. */
struct pg_decision {
	enum pg_outcome outcome;
	bool accepted;   /* the hook accepts (chained hooks still run and may refuse) */
	bool failed;     /* an error or the time budget decided, not the findings */
	bool cut_short;  /* refused for what was found before the budget ran out */
	bool unchecked;  /* accepted without every check having run */
	bool background; /* accepted unchecked and checked afterwards */
};

/* The verdict on a push: pure, no I/O, no allocation. */
void pg_decide(struct pg_decision *out, const struct pg_decide_input *in);

/* ================================================================ telling people */

/* What pg_render_findings() says besides the findings. */
struct pg_render_opts {
	enum pg_mode mode;        /* warn: "would be refused" */
	const char *policy_name;
	enum pg_confidence block; /* pushguard.secrets.block, named with findings below it */
};

/* The refusal (or warning) for a set of findings, appended to out. Bounded
 * whatever the push holds; pushed text is made safe (pg_render_safe). */
void pg_render_findings(struct pg_buf *out, const struct pg_findings *f, const struct pg_render_opts *opts);
/* The findings that do not refuse: those below pushguard.secrets.block
 * (check, rule, confidence, path:line, masked excerpt, fingerprint) and the
 * allowed ones (rule, path:line, why), one line each, at most 20 of each
 * kind; nothing when there are none. `block` is the confidence that
 * refuses, named in the heading. */
void pg_render_minor(struct pg_buf *out, const struct pg_findings *f, enum pg_confidence block);
/* The findings' notes (exemptions applied, checks skipped), one
 * "pushguard: ..." line each of at most 400 bytes, at most 20 of them. */
void pg_render_notes(struct pg_buf *out, const struct pg_findings *f);
/* An internal or configuration error; accepted: pushguard.onError = accept let it through. */
void pg_render_error(struct pg_buf *out, const struct pg_error *err, bool accepted);
/* Appends s with control characters (C0, DEL, C1), invalid UTF-8 and the
 * characters that disguise text (bidi embeddings, overrides and isolates
 * U+202A-U+202E and U+2066-U+2069, zero-width and other format characters,
 * line and paragraph separators, invisible fillers, variation selectors,
 * tags) replaced by '?'. */
void pg_render_safe(struct pg_buf *out, const char *s);
/* The same as a new string (caller frees; NULL on allocation failure), for
 * quoting pushed text (paths, emails) inside a message. */
char *pg_render_safe_dup(const char *s);
/* Writes text to fp, each line prefixed with `prefix` (may be NULL), e.g.
 * "GL-HOOK-ERR: " so GitLab shows the refusal in its web UI. Whole lines
 * only, and 64 KiB in all per process (prefixes and newlines counted): the
 * line that would pass it is replaced by one saying the rest is not shown,
 * and nothing more is written after that. */
void pg_render_write(FILE *fp, const char *text, const char *prefix);

/* ================================================================ secret scanning */

/* The secrets engine: the rules (built-in pack and pushguard.secrets.rules
 * files), the ignore file and the scanner, loaded once and used for many
 * blobs. */
typedef struct pg_secret_engine pg_secret_engine;
/* A set of secret rules, as the engine loaded them (opaque). */
typedef struct pg_ruleset pg_ruleset;

/* What a scan did (pg_secret_engine_stats). */
struct pg_scan_stats {
	size_t scanned;          /* blobs scanned */
	uint64_t scanned_bytes;  /* their bytes */
	size_t skipped_binary;   /* binary blobs, not scanned */
	size_t skipped_large;    /* blobs over pushguard.secrets.maxBlobSize, not scanned */
};

/* How far a scan is (pg_secret_engine_progress): blobs to scan and their
 * bytes, then those done. */
struct pg_scan_progress {
	size_t blobs, blobs_done;
	uint64_t bytes, bytes_done;
};

/* Loads the engine for policy p into *out. PG_ECONFIG names the key, file
 * and line of a rule or ignore file at fault. *out is set whenever memory
 * allowed, error or not: free it with pg_secret_engine_free() in every case. */
int pg_secret_engine_new(pg_secret_engine **out, const pg_policy *p, struct pg_error *err);
void pg_secret_engine_free(pg_secret_engine *e);
/* Before a scan: threads scanning (0: every core, at most 8), and the path
 * the worker threads open the repository at (NULL: as pg_repo_open(NULL)).
 * path is not copied. */
void pg_secret_engine_set_jobs(pg_secret_engine *e, size_t jobs);
void pg_secret_engine_set_repo_path(pg_secret_engine *e, const char *path);

/* Scans what walk (pg_walk_history) found, as `pushguard scan` does: the
 * full message of every commit, the messages of annotated tags, the paths
 * commits add and, with with_refs, every ref name of repo and the messages
 * of the annotated tags they name, in the calling thread, while the added
 * files of every commit are read and scanned on the other threads. Their
 * findings come first in out, the files' after them; every secret found in
 * a name or message is masked in what is reported afterwards. Findings are
 * appended to out; negative on an error. */
int pg_secret_engine_scan_history(pg_secret_engine *e, git_repository *repo, const pg_walk *walk,
				  bool with_refs, struct pg_findings *out, struct pg_error *err);
/* What the scans so far did. */
void pg_secret_engine_stats(const pg_secret_engine *e, struct pg_scan_stats *out);
/* How far the running scan is; safe to call from another thread. */
void pg_secret_engine_progress(const pg_secret_engine *e, struct pg_scan_progress *out);
/* The engine's rules, for pg_report_write; owned by e. */
const pg_ruleset *pg_secret_engine_rules(const pg_secret_engine *e);

/* pushguard.secrets.block: the lowest confidence that refuses (medium when
 * unset or invalid). */
enum pg_confidence pg_secrets_block(const pg_policy *p);

/* ================================================================ reports */

enum pg_report_format { PG_REPORT_TEXT, PG_REPORT_JSON, PG_REPORT_SARIF };

/* Parses "text", "json" or "sarif"; -1 when unknown. */
int pg_report_format_parse(const char *name);
/* Writes f to fp as plain text, JSON or SARIF 2.1.0. rules (may be NULL)
 * describes the rules for SARIF's tool.driver.rules. PG_ERR when it cannot
 * be written or memory runs out. */
int pg_report_write(FILE *fp, enum pg_report_format format, const struct pg_findings *f,
		    const pg_ruleset *rules, struct pg_error *err);

/* ================================================================ signatures */

/* The admin's trust set (OpenPGP keyring and GnuPG home, SSH allowed signers,
 * revocations) and pushguard.signatures.* settings, loaded once. */
typedef struct pg_signatures pg_signatures;
/* A commit or annotated tag read for verification: what is signed, the
 * signature, the committer's (or tagger's) email, the subject. */
typedef struct pg_signed pg_signed;

enum pg_sig_format { PG_SIG_NONE, PG_SIG_OPENPGP, PG_SIG_SSH, PG_SIG_X509 };

/* One verdict. letter is git's %G?:
 *   G good signature from a trusted key      B bad signature
 *   U good signature, key not trusted        X good signature, expired
 *   Y good signature, key expired            R good signature, key revoked
 *   E cannot be checked                      N no signature */
struct pg_sig_verdict {
	char letter;
	enum pg_sig_format format;
	char *key;    /* the signing key's fingerprint (OpenPGP hex, SSH SHA256:...), or NULL */
	char *signer; /* OpenPGP user id or allowed-signers principals, or NULL */
	char *reason; /* why it is not G, in plain words; NULL for G */
};

#define PG_SIG_VERDICT_INIT { 'E', PG_SIG_NONE, NULL, NULL, NULL }

void pg_sig_verdict_release(struct pg_sig_verdict *v);
/* "good", "bad signature", "untrusted key", ... for a letter (static). */
const char *pg_sig_letter_name(char letter);

/* Reads the pushguard.signatures.* settings of p and loads every key file
 * they name into *out. An unreadable or invalid key file, or no trusted keys
 * at all, is PG_ECONFIG naming the key, the file and where it was set. *out
 * is set whenever memory allowed: free it with pg_signatures_free() in every
 * case. */
int pg_signatures_open(pg_signatures **out, const pg_policy *p, struct pg_error *err);
void pg_signatures_free(pg_signatures *s);
/* True when email is one of pushguard.signatures.exemptCommitters. */
bool pg_signatures_exempt(const pg_signatures *s, const char *email);

/* An empty object to verify into; PG_ERR when out of memory. */
int pg_signed_new(pg_signed **out, struct pg_error *err);
void pg_signed_free(pg_signed *s);
/* Its first message line and its committer's (or tagger's) email ("" when
 * absent); NULL before anything was read into it. Owned by s. */
const char *pg_signed_subject(const pg_signed *s);
const char *pg_signed_email(const pg_signed *s);

/* Reads the commit or annotated tag oid from odb into obj, and its verdict
 * into *out (release it with pg_sig_verdict_release). Negative when the
 * object cannot be read or parsed; a bad or missing signature is a verdict,
 * not an error. */
int pg_signatures_verify_oid(const pg_signatures *s, git_odb *odb, const git_oid *oid, pg_signed *obj,
			     struct pg_sig_verdict *out, struct pg_error *err);

/* ================================================================ change tickets */

/* The pushguard.tickets.* settings, validated (token and CA files read, URL
 * template usable). */
typedef struct pg_tickets_config pg_tickets_config;

/* Reads and validates the pushguard.tickets.* settings of p into *out:
 * PG_ECONFIG names the key and the file it was set in (never the token). *out
 * is set whenever memory allowed: free it with pg_tickets_config_free() in
 * every case (the token is wiped). */
int pg_tickets_config_open(pg_tickets_config **out, const pg_policy *p, struct pg_error *err);
void pg_tickets_config_free(pg_tickets_config *c);
/* pushguard.tickets.timeout in milliseconds (default 3 s); PG_ECONFIG naming
 * the key and its origin when it is outside 100ms..60s. */
int pg_tickets_timeout(int64_t *out, const pg_policy *p, struct pg_error *err);

/* ================================================================ webhook and spool */

/* The pushguard.webhook.* settings: where events go and how. */
typedef struct pg_webhook pg_webhook;

/* Reads pushguard.webhook.* from p into *out. git_dir (absolute) places the
 * default spool, <git_dir>/pushguard-spool. With no url set, returns 0 and
 * pg_webhook_url() is NULL.
 *
 * A bad setting is PG_ECONFIG naming the key and the file it was set in (err
 * gets the first, problems, when not NULL, every one), and events must not be
 * delivered; but the webhook is still filled as far as it goes (its URL,
 * spool and whether the URL is one pushguard could deliver to), so that the
 * caller keeps events in the spool until the setting is fixed. PG_ERR: out of
 * memory. *out is set whenever memory allowed: free it with
 * pg_webhook_free() in every case. */
int pg_webhook_open(pg_webhook **out, const pg_policy *p, const char *git_dir, struct pg_strvec *problems,
		    struct pg_error *err);
void pg_webhook_free(pg_webhook *w);
/* pushguard.webhook.url (NULL: none configured), with its credentials: never
 * show it as it is. */
const char *pg_webhook_url(const pg_webhook *w);
/* The spool directory (absolute), where events wait for delivery. */
const char *pg_webhook_spool_dir(const pg_webhook *w);
/* The URL is one pushguard can deliver to: events may wait in the spool. */
bool pg_webhook_spoolable(const pg_webhook *w);

/* Names (not paths) of the spool files in dir, oldest first, appended to
 * out. A missing dir is empty. */
int pg_spool_list(struct pg_strvec *out, const char *dir, struct pg_error *err);

/* What one run of the sender did (a value type). */
struct pg_sender_stats {
	size_t delivered;   /* POSTed, 2xx, removed */
	size_t dropped;     /* 410 Gone or not an event: removed undelivered */
	size_t failed;      /* tried, still in the spool */
	size_t untried;     /* not tried: the endpoint had just failed another one */
	size_t busy;        /* claimed by another sender just now */
	size_t other;       /* addressed to another endpoint: left alone */
	size_t rewritten;   /* old spool files rewritten without the URL's credentials */
	struct pg_strvec problems; /* one line per failure: "<id>: HTTP 503" */
};

#define PG_SENDER_STATS_INIT { 0, 0, 0, 0, 0, 0, 0, PG_STRVEC_INIT }

void pg_sender_stats_release(struct pg_sender_stats *st);
/* Delivers the spool files addressed to w's URL (w loaded without
 * problems). flush: every file gets one attempt, whatever its retry time
 * (`pushguard flush`); else it is a background sender (it takes the spool's
 * sender lock, delivers own_id, may be NULL, first, and retries with
 * backoff). Negative only when the spool cannot be read or libcurl cannot
 * load. */
int pg_sender_run(struct pg_sender_stats *st, const pg_webhook *w, const char *own_id, bool flush,
		  struct pg_error *err);

/* ================================================================ audit log reports */

/* The audit logs summed up (`pushguard report`). */
typedef struct pg_dashboard pg_dashboard;

/* since: "YYYY-MM-DD" or a full RFC 3339 UTC time, or NULL for everything.
 * PG_EINPUT when since is neither. Free *out with pg_dashboard_free(). */
int pg_dashboard_new(pg_dashboard **out, const char *since, struct pg_error *err);
void pg_dashboard_free(pg_dashboard *d);
/* Adds every event of an audit log; lines that are not events are counted
 * as skipped. name is used in errors. */
int pg_dashboard_add_file(pg_dashboard *d, FILE *fp, const char *name, struct pg_error *err);
/* The summary as text, or as one self-contained HTML page, appended to out
 * (check pg_buf_failed). */
void pg_dashboard_text(struct pg_buf *out, const pg_dashboard *d);
void pg_dashboard_html(struct pg_buf *out, const pg_dashboard *d);

/* ================================================================ the developer's clone */

/* A developer's clone keeps a copy of the server's policy ref in
 * PG_CLIENT_POLICY_REF; `pushguard pre-push` runs the server's own checks
 * (pg_check_push, pg_decide) on what a push is about to send, and
 * `pushguard pre-commit` the files and secrets checks on the staged changes. */
#define PG_CLIENT_POLICY_REF "refs/pushguard/policy"   /* the local copy */
#define PG_CLIENT_DEFAULT_REF "refs/meta/pushguard"    /* the server's ref, unless --ref */
#define PG_CLIENT_HOOK_MARK "# pushguard client hook"  /* first comment line of the hooks it writes */
#define PG_CLIENT_FETCH_TIMEOUT_MS 20000               /* the policy refresh gives up after this */
#define PG_CLIENT_MAX_INPUT ((size_t)16 << 20)         /* bytes of pre-push input */

/* Appends the updates of git's pre-push input ("<local ref> <local oid>
 * <remote ref> <remote oid>" lines) to push: ref = the remote ref, old = the
 * remote oid, new = the local oid (all zeros: a deletion). Returns 0, or
 * PG_EINPUT naming the line. */
int pg_client_parse_pre_push(pg_push *push, const char *input, size_t len, struct pg_error *err);

/* Runs git (the one found at build time) with argv (argv[0] "git",
 * NULL-terminated), stdin /dev/null, GIT_TERMINAL_PROMPT=0; its standard
 * output into out (NULL: discarded) and its standard error into errout
 * (NULL: discarded), each bounded; killed after timeout_ms (0: none).
 * Returns its exit status, PG_CLIENT_TIMED_OUT when killed for the time, or
 * a negative error when it could not run. */
#define PG_CLIENT_TIMED_OUT 1000
int pg_client_git(struct pg_buf *out, struct pg_buf *errout, int64_t timeout_ms, const char *const *argv,
		  struct pg_error *err);

/* Runs the hook at path (a hook that was there before pushguard's: chained)
 * with args (NULL-terminated, without argv[0]) and input on its stdin (NULL:
 * /dev/null); its output goes where ours goes. Returns its exit status, or a
 * negative error. */
int pg_client_run_hook(const char *path, const char *const *args, const char *input, size_t len,
		       struct pg_error *err);

/* What the developer's machine cannot check is skipped, each with a note in
 * notes saying why and that the server still checks it: ticket lookups
 * unless this machine has a readable tracker token and the remote answered
 * (offline false), only the syntax then; signatures when the trusted keys
 * cannot be loaded here. Returns 0 or an error (out of memory). */
int pg_client_limit_policy(pg_policy *p, bool offline, struct pg_strvec *notes, struct pg_error *err);

/* The staged changes as one synthetic commit for the files and secrets
 * checks: every path of index whose entry differs from head_tree (NULL: an
 * unborn branch, everything staged is new), with head_tree as its parent's
 * tree, so that only lines HEAD does not have count. The commit is
 * reachable from push update 0 when with_push_ref. Returns 0 or an error. */
int pg_client_staged_walk(pg_walk *w, git_repository *repo, git_index *index, const git_tree *head_tree,
			  bool with_push_ref, struct pg_error *err);

/* The files and secrets checks on the walk pg_client_staged_walk made, as
 * the push's would run them: findings to findings; negative on an error. */
int pg_client_check_staged(git_repository *repo, const pg_push *push, const pg_policy *policy,
			   const pg_walk *walk, struct pg_findings *findings, struct pg_error *err);

/* ================================================================ installing the hooks */

/* Finding the bare repositories of a server: what `pushguard install --all DIR`
 * and `pushguard check --all DIR` both work on, found the one same way. */

/* True when dir is a bare git repository: libgit2 opens it as a repository of
 * its own (no search upwards) and says it is bare. libgit2 must be initialised
 * (pg_repo_global_init). */
bool pg_is_bare_repo(const char *dir);

/* Appends to out every bare repository at or below dir, sorted by path (byte
 * order): a directory with HEAD (a file), objects/ and refs/ (directories) that
 * pg_is_bare_repo() accepts. It does not descend into a repository it finds
 * (bare or not), nor follow a symbolic link; unreadable directories are skipped.
 * Paths are dir joined with what is below it ("dir/a.git", dir's trailing
 * slash not doubled). Returns 0, or PG_ERR when memory runs out. */
int pg_discover_bare_repos(struct pg_strvec *out, const char *dir, struct pg_error *err);

/* Wiring pushguard's hooks into a server: `pushguard install` and `pushguard
 * uninstall` (tools/cmd_install.c; install.sh calls them after `make install`).
 *
 * Per repository, by server type:
 *   plain:  REPO/hooks/HOOK is pushguard's wrapper (it execs BINDIR/pushguard-HOOK
 *           --chain HOOK.d); a hook already there that is not ours moves to
 *           hooks/HOOK.d/00-original (or 00-original-N) and still runs;
 *   gitea:  REPO/hooks/HOOK.d/pushguard (Gitea's own HOOK runs each HOOK.d entry);
 *   gitlab: REPO/custom_hooks/HOOK.d/pushguard.
 * Server-wide: plain --global DIR (DIR/HOOK and core.hooksPath = DIR in git's
 * system config), gitlab --global DIR (DIR/HOOK.d/pushguard, Gitaly's
 * custom_hooks_dir), gitolite LOCAL_CODE/hooks/common/HOOK.
 * post-receive (what landed) is installed alongside HOOK. Every file written
 * starts "#!/bin/sh" and has "# pushguard: managed hook" as its second line: uninstall
 * removes only those, and puts back what it displaced. Files are written
 * whole and renamed into place, mode 0755; run as root, what is created gets
 * the owner of the directory it is in. Each step is printed to `out` as it is
 * taken ("  would ..." with dry_run, which changes nothing). */

enum pg_install_server {
	PG_INSTALL_DETECT = 0, /* per repository: pg_install_detect_server() */
	PG_INSTALL_PLAIN,
	PG_INSTALL_GITEA,      /* also Forgejo */
	PG_INSTALL_GITLAB,
	PG_INSTALL_GITOLITE,
};

struct pg_install_opts {
	const char *bindir;          /* absolute: the wrappers exec BINDIR/pushguard-HOOK */
	const char *hook;            /* "pre-receive" (default when NULL) or "update" */
	bool hook_set;               /* --hook given: uninstall removes that one only */
	const char *policy;          /* pushguard.policy to set in each REPO/config, or NULL */
	bool fsck_objects;           /* receive.fsckObjects = true in each REPO/config */
	bool dry_run;
	enum pg_install_server server;
	const char *global_dir;      /* --global DIR (plain or gitlab), or NULL */
	const char *gitolite_local;  /* --gitolite-local DIR (gitolite), or NULL */
	FILE *out;                   /* what is done (NULL: stdout) */
	FILE *errout;                /* warnings and per-repository errors (NULL: stderr) */
};

/* "plain", "gitea", "gitlab", "gitolite" (NULL for PG_INSTALL_DETECT). */
const char *pg_install_server_name(enum pg_install_server s);
/* From a name: plain, gitea, forgejo (= gitea), gitlab or gitolite; -1 if none. */
int pg_install_server_parse(const char *name);

/* Which server runs repository repo: gitea (hooks/pre-receive.d/gitea or
 * hooks/update.d/gitea, or a hooks/pre-receive not ours that names Gitea or
 * Forgejo), gitlab (custom_hooks/, or an @hashed path), gitolite (gl-conf),
 * else plain. */
enum pg_install_server pg_install_detect_server(const char *repo);

/* The whole wiring: every repository of repos (a path that does not exist is
 * created as a bare repository, unless uninstalling) and every bare repository
 * found under each of all_dirs (lib/discover.c), each checked before anything
 * changes; or, with global_dir or gitolite_local, the server-wide place (repos
 * and all_dirs then empty). Prints what it does and a summary line. Returns 0;
 * PG_ECONFIG when a repository is unusable (nothing is changed then) or some
 * failed, naming how many; PG_ERR when a file or git could not be written or
 * run (what was done before stays). libgit2 must be initialised. */
int pg_install_run(const struct pg_install_opts *o, bool uninstall, const struct pg_strvec *repos,
		   const struct pg_strvec *all_dirs, struct pg_error *err);

/* path made absolute and normalised (".", ".." and repeated slashes resolved
 * by name; symbolic links are kept), as the paths baked into the hooks are.
 * Returns a string to free, or NULL when memory runs out or the working
 * directory cannot be read. */
char *pg_install_abspath(const char *path);

/* ================================================================ the server hooks */

enum pg_hook_kind { PG_HOOK_PRE_RECEIVE, PG_HOOK_UPDATE };

/* The whole pre-receive or update hook: parses the hook's own arguments
 * ([--chain DIR], and REF OLD NEW for update), reads the push, loads the
 * policy, checks, decides, tells the pusher, runs chained hooks, records.
 * Returns the exit status: 0 accept, 1 refuse. Never lets a push through on
 * an internal error unless pushguard.onError = accept. */
int pg_hook_main(enum pg_hook_kind kind, int argc, char **argv);

/* The whole post-receive hook: pushguard-post-receive [--chain DIR] reads
 * git's "OLD NEW REF" lines on stdin, records push.landed where reporting is
 * configured, runs every chained hook in DIR with the same input. Returns
 * the exit status: 0, or 1 when a chained hook failed or could not run. */
int pg_landed_main(int argc, char **argv);

#endif
