/* Generic credentials: is a value assigned to a password, secret or token key
 * a live credential, or one of the many things that share its syntax
 * (placeholders, references, templates, code identifiers, UI text, paths)?
 * And how sure is a finding (confidence)?
 *
 * Provider tokens have a checkable structure and need none of this; generic
 * rules (`valueCheck` in a rules file, rules.h) match "KEY = VALUE" in some
 * syntax and leave the value to pg_credential_judge(). Everything here is a
 * pure function over bytes: no I/O, no allocation, safe from any thread. */
#ifndef PG_CREDENTIAL_H
#define PG_CREDENTIAL_H

#include <stdbool.h>
#include <stddef.h>

#include "pushguard.h"

/* enum pg_confidence, how sure a finding is that it is a live credential:
 * pushguard.h. */

/* "low", "medium", "high". */
const char *pg_confidence_name(enum pg_confidence c);
/* 0 and *out set, or -1 when name is none of the above (case-insensitive). */
int pg_confidence_parse(enum pg_confidence *out, const char *name);

/* How a generic rule's value is judged. */
enum pg_value_check {
	PG_VALUE_CHECK_NONE = 0,
	PG_VALUE_CHECK_PASSWORD,   /* chosen by a person: short and weak values count */
	PG_VALUE_CHECK_SECRET,     /* generated: the value must look random */
	PG_VALUE_CHECK_CREDENTIAL, /* by the key's name: a password word -> PASSWORD, else SECRET */
};

/* "password", "secret", "credential" -> 0 and *out; -1 otherwise. */
int pg_value_check_parse(enum pg_value_check *out, const char *name);

struct pg_credential_value {
	const char *key;   /* the assignment's key name; NULL: not an assignment */
	size_t key_len;
	const char *user;  /* a user name beside the value (user:password); NULL: none */
	size_t user_len;
	const char *value; /* as the rule matched it: may still carry its quotes */
	size_t value_len;
	const char *path;  /* the file's path; NULL: unknown */
	/* the text value lies in, for what is set around it (a user of the
	 * same value nearby: pg_credential_user_nearby); NULL: none */
	const char *text;
	size_t text_len;
};

/* Judges v under `how`. Returns NULL when the value is a credential, with
 * [*start, *end) its bytes within v->value (quotes and trailing punctuation
 * taken off); otherwise a short static reason why it is not ("placeholder",
 * "reference to a variable", ...), for tests and debugging. */
const char *pg_credential_judge(enum pg_value_check how, const struct pg_credential_value *v,
				size_t *start, size_t *end);

/* True when the value at text[at, at + n) is also what a user name, login,
 * account or database is set to on its line or within three lines of it
 * (MYSQL_USER=wordpress beside MYSQL_PASSWORD=wordpress), or the name of the
 * block it is set in (reader:\n  password: reader): a demonstration's
 * default, not a password someone keeps secret. */
bool pg_credential_user_nearby(const char *text, size_t len, size_t at, size_t n);

/* True when key names a password (password, passwd, pwd, pass, passphrase,
 * bind_pw, ...) rather than a generated secret. */
bool pg_credential_key_is_password(const char *key, size_t len);

/* True for documentation (*.md, *.rst, *.txt, docs/, ...), test fixtures
 * (test/, tests/, spec/, testdata/, fixtures/, *_test.go, ...) and example
 * files (*.example, *.sample, *.dist): a generic finding there is an example
 * more often than a live credential, so it is found with low confidence. */
bool pg_credential_path_is_example(const char *path);

/* True for source code (by extension), where an unquoted value is an
 * identifier or an expression, never a literal. */
bool pg_credential_path_is_code(const char *path);

#endif
