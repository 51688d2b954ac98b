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

/* Whole-string match. */
bool pg_glob_match(const char *pattern, const char *text);

/* Path match, gitignore-like: a pattern with a leading '/' is anchored at the
 * top of the tree; any other pattern matches at any depth, so "id_rsa" matches
 * "home/id_rsa" and ".aws/credentials" matches "x/.aws/credentials". */
bool pg_glob_match_path(const char *pattern, const char *path);

/* The same, ignoring ASCII case (credential file names: ID_RSA is id_rsa on
 * the case-insensitive file systems of the developers' machines). */
bool pg_glob_match_path_casefold(const char *pattern, const char *path);

/* Syntax check: returns NULL or a static description of what is wrong. */
const char *pg_glob_check(const char *pattern);

#endif
