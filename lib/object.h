/* Commits, tags and trees read from their raw bytes, the way git reads them.
 *
 * git accepts objects that libgit2 refuses to parse (a commit without an
 * author, an author without <>, a date past 2^63, a tree entry name longer
 * than 65535 bytes; `git hash-object --literally` writes any of them, and a
 * push carries them unless receive.fsckObjects is on). pushguard must read
 * every commit git can walk, or one such commit anywhere in history would stop
 * every later push. So the parsers here are tolerant where git is tolerant
 * (they fail only on allocation), and each also says what `git fsck` would
 * call an error in the object: the walk reports that as a finding for objects
 * a push brings (check "objects", rule "malformed").
 *
 * Nothing here reads the repository: callers hand in the raw bytes. */
#ifndef PG_OBJECT_H
#define PG_OBJECT_H

#include <git2.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Room for a problem's text, e.g. "the author line has no <email>". */
#define PG_OBJECT_PROBLEM_MAX 160

/* An author, committer or tagger line as git reads it: name before the first
 * '<', email up to the next '>', the date after it (0 when there is none git
 * can read). Pointers into the raw object, not NUL-terminated. */
struct pg_object_ident {
	const char *name, *email;
	size_t name_len, email_len;
	int64_t time;
	bool present;
};

struct pg_object_commit {
	git_oid tree;
	bool has_tree;
	git_oid *parents;     /* the "parent" lines right after the tree line, as git takes them */
	size_t nparents;
	struct pg_object_ident author, committer;
	const char *encoding; /* value of the first "encoding" header, or NULL */
	size_t encoding_len;
	const char *message;  /* after the blank line that ends the header ("" if none) */
	size_t message_len;
	char problem[PG_OBJECT_PROBLEM_MAX]; /* the first error git fsck would report; "" when none */
};

#define PG_OBJECT_COMMIT_INIT { { { 0 } }, false, NULL, 0, { NULL, NULL, 0, 0, 0, false }, \
				{ NULL, NULL, 0, 0, 0, false }, NULL, 0, "", 0, "" }

/* Parses a raw commit. Never fails on content: what git could not walk
 * either (no tree line, a bad parent line) leaves has_tree false or the
 * parents cut short, and every error is described in out->problem. Returns 0,
 * or -1 when out of memory. out points into data: keep data alive. Release
 * out with pg_object_commit_release(). */
int pg_object_commit_parse(struct pg_object_commit *out, const char *data, size_t len);
void pg_object_commit_release(struct pg_object_commit *c);

/* The header fields of a raw commit that no field above holds, for the
 * secrets check (secrets_meta.c): the header with an empty line in place of
 * each line read elsewhere, so that every other field keeps its place
 * (pg_object_fields_cut() walks it). Read elsewhere: a tree or parent line
 * that is exactly "tree <id>" or "parent <id>", and the name and email of the
 * first author and committer line (the walk keeps them); that line keeps its
 * key and what follows the email unless that is a date and time zone
 * ("author 1700000000 +0000 more" keeps " more" too) or nothing. What is
 * left: encoding, mergetag, gpgsig, gpgsig-sha256, any header git does not
 * know, a second author, continuation lines. *out: a string the caller
 * frees, or NULL when nothing is left (most commits). c is data parsed.
 * Returns 0, or -1 when out of memory. */
int pg_object_commit_other_headers(char **out, const struct pg_object_commit *c, const char *data, size_t len);

/* One field of an object's header: its first line, "KEY VALUE", and the
 * continuation lines after it (each starts with a space), as git reads
 * them (a gpgsig or mergetag header spans many lines). */
struct pg_object_field {
	const char *text;      /* the field, from its key to the end of its last line (not the newline) */
	size_t len;
	size_t key_len;        /* text[0..key_len): up to the first space; 0 on an empty line */
	size_t index;          /* its place in the header, from 1 */
	const char *next, *end; /* where the next field starts, where the header ends */
	bool raw;              /* an empty line ends the header */
};

/* Starts on the header of a raw commit or tag: up to the blank line that
 * ends it, or to a NUL byte (git reads no further). */
void pg_object_fields(struct pg_object_field *f, const char *data, size_t len);
/* Starts on a header cut out already (pg_object_commit_other_headers()):
 * every line of header[0..len) belongs to it, an empty line is a field
 * with nothing in it. */
void pg_object_fields_cut(struct pg_object_field *f, const char *header, size_t len);
/* Moves f to the next field; false after the last. */
bool pg_object_field_next(struct pg_object_field *f);
/* True when f is exactly "KEY <40 hex>" on one line. */
bool pg_object_field_is_id(const struct pg_object_field *f, const char *key);

struct pg_object_tag {
	git_oid target;
	bool has_target;
	git_object_t type;    /* from the "type" line; GIT_OBJECT_INVALID when unknown */
	struct pg_object_ident tagger;
	char problem[PG_OBJECT_PROBLEM_MAX];
};

/* Parses a raw tag (never fails: see pg_object_commit_parse). The caller
 * compares out->type with the target's real type. */
void pg_object_tag_parse(struct pg_object_tag *out, const char *data, size_t len);

/* What git fsck would call an error in a tree that libgit2 parsed (empty
 * name, '/' in a name, ".", "..", ".git" in any case, entries out of git's
 * order or named twice): writes it to why and returns true; false when none. */
bool pg_object_tree_problem(const git_tree *tree, char *why, size_t n);

/* One entry of a raw tree, pointing into the tree's bytes. */
struct pg_object_tree_entry {
	const char *name;          /* NUL-terminated (by the tree's own NUL) */
	size_t len;
	uint32_t mode;             /* as written: 040000, 0100644, 0100755, 0120000 or 0160000 */
	const unsigned char *oid;  /* GIT_OID_RAWSZ bytes */
};

/* Reads a raw tree without libgit2, for walking many of them: the entries
 * into *v (*n of them; *v grown as PG_GROW grows it, *alloc its room, kept
 * between calls). Returns 0 for a tree that git and libgit2 read alike and
 * that has no problem pg_object_tree_problem() would name; 1 for any other
 * (a mode written otherwise than git writes it, a cut entry, a problem):
 * then read it through libgit2, which is the reference; -1 out of memory. */
int pg_object_tree_read(const char *data, size_t len, struct pg_object_tree_entry **v, size_t *n,
			size_t *alloc);

/* git's order of tree entries: by name, a directory's as if it ended in
 * '/'; 0 for the same name, whatever the types (two such entries in one tree
 * are a duplicate). */
int pg_object_tree_entry_cmp(const struct pg_object_tree_entry *a, const struct pg_object_tree_entry *b);

/* Why libgit2 could not parse this raw tree (a mode git takes but libgit2
 * does not, a name longer than 65535 bytes, a cut entry): writes it to why. */
void pg_object_tree_explain(const char *data, size_t len, char *why, size_t n);

/* git's type for a tree entry of this raw mode (canon_mode() in git): a
 * regular file 0100644 or 0100755, a symlink 0120000, a directory 0040000,
 * anything else a gitlink 0160000, whose object git never reads. */
uint32_t pg_object_canon_mode(uint32_t raw);

/* The summary git and libgit2 show for a message: its first paragraph on
 * one line. Caller frees; NULL when out of memory. */
char *pg_object_summary(const char *message, size_t len);

#endif
