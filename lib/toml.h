/* A strict reader for the subset of TOML v1.0 that configuration files such
 * as gitleaks rules need: tables, arrays of tables ([[a.b]] incl. nested),
 * dotted and quoted keys, basic/literal strings (single- and multi-line),
 * integers (decimal, 0x, 0o, 0b), floats (incl. inf/nan), booleans, arrays
 * (multi-line, trailing comma) and inline tables. Dates and times are rejected.
 *
 * Every node remembers the line it was written on. Errors are PG_ECONFIG with
 * "FILE:LINE: what is wrong". Input size, nesting depth, node count and table
 * width are capped, so hostile input cannot exhaust the stack or memory. */
#ifndef PG_TOML_H
#define PG_TOML_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"

#define PG_TOML_MAX_INPUT ((size_t)8 << 20) /* bytes */
#define PG_TOML_MAX_DEPTH 32                /* nested arrays / inline tables / key parts */
#define PG_TOML_MAX_NODES 500000
#define PG_TOML_MAX_KEYS 10000              /* members of one table */

enum pg_toml_type {
	PG_TOML_TABLE,
	PG_TOML_ARRAY,
	PG_TOML_STRING,
	PG_TOML_INTEGER,
	PG_TOML_FLOAT,
	PG_TOML_BOOL,
};

struct pg_toml {
	enum pg_toml_type type;
	int line;              /* line of the value, or of the table's header */
	char *key;             /* key in the parent table; NULL for array elements and the root */
	union {                /* the value: read the member its type names */
		struct {
			char *str;     /* STRING: NUL-terminated (strings holding U+0000 are rejected) */
			size_t len;    /* STRING: strlen(str) */
		};
		long long i;   /* INTEGER */
		double f;      /* FLOAT */
		bool b;        /* BOOL */
	};
	struct pg_toml **kids; /* TABLE: members in definition order; ARRAY: elements */
	unsigned n, alloc;     /* how many kids (at most PG_TOML_MAX_NODES), room for */
	unsigned flags;        /* internal: how a table or array came to be; the root's mark */
};

/* Parses text[0..len) (need not be NUL-terminated); `file` names it in errors.
 * On success *out is the root table; free it with pg_toml_free(). */
int pg_toml_parse(struct pg_toml **out, const char *text, size_t len, const char *file,
		  struct pg_error *err);
/* Frees a document (nothing for a node that is not a document's root). */
void pg_toml_free(struct pg_toml *t);

/* The member `key` of a table, or NULL (also when t is NULL or not a table). */
const struct pg_toml *pg_toml_get(const struct pg_toml *t, const char *key);

/* "table", "array", "string", "integer", "float", "boolean". */
const char *pg_toml_type_name(enum pg_toml_type type);

#endif
