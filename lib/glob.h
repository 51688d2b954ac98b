/* Glob matching for ref names and paths.
 *
 *   *      any run of characters except '/'
 *   **     any run of characters including '/' (followed by '/', also none: a/ ** /b matches a/b)
 *   ?      one character except '/'
 *   [a-z]  a class; [!...] or [^...] negates it
 *   \x     the character x
 */
#ifndef PG_GLOB_H
#define PG_GLOB_H

#include <stdbool.h>
#include <stddef.h>

/* Whole-string match. */
bool pg_glob_match(const char *pattern, const char *text);

/* Path match, gitignore-like: a pattern with a leading '/' is anchored at the
 * top of the tree; any other pattern matches at any depth, so "id_rsa" matches
 * "home/id_rsa" and ".aws/credentials" matches "x/.aws/credentials". */
bool pg_glob_match_path(const char *pattern, const char *path);

/* The same, ignoring ASCII case (credential file names: ID_RSA is id_rsa on
 * the case-insensitive file systems of the developers' machines). */
bool pg_glob_match_path_casefold(const char *pattern, const char *path);

/* Path patterns prepared once to be matched against many paths (a push's
 * added files against pushguard.files.deny): lower-cased once when casefold,
 * and a pattern without wildcards compared with the path's end instead of
 * being interpreted. Matches as pg_glob_match_path(_casefold) does. */
struct pg_globset_pattern {
	char *text;   /* lower-cased when casefold */
	size_t len;
	bool literal; /* no * ? [ \ */
};

struct pg_globset {
	struct pg_globset_pattern *v;
	size_t n;
	bool casefold;
	char *path;   /* the path in hand, lower-cased */
	size_t path_alloc;
};

#define PG_GLOBSET_INIT { NULL, 0, false, NULL, 0 }

/* -1 when out of memory (gs is then empty). */
int pg_globset_init(struct pg_globset *gs, const char *const *patterns, size_t n, bool casefold);
/* The index of the first pattern matching path, or -1 (also when out of memory). */
long pg_globset_match(struct pg_globset *gs, const char *path);
void pg_globset_release(struct pg_globset *gs);

/* Syntax check: returns NULL or a static description of what is wrong. */
const char *pg_glob_check(const char *pattern);

#endif
