/* The push as git hands it to a hook: ref updates, push options, who pushed.
 *
 * pre-receive reads "OLD NEW REF" lines on stdin; update gets REF OLD NEW as
 * arguments. An all-zero OLD means the ref is created, an all-zero NEW means it
 * is deleted (40 zeros for SHA-1, 64 for SHA-256 repositories). */
#ifndef PG_PUSH_H
#define PG_PUSH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "buf.h"
#include "error.h"
#include "pushguard.h"
#include "strvec.h"

/* PG_HEX_MAX, enum pg_ref_kind, struct pg_ref_update: pushguard.h. */
#define PG_MAX_REF_UPDATES 100000

struct pg_push {
	struct pg_ref_update *updates;
	size_t nupdates;
	size_t alloc;
	struct pg_strvec options;  /* GIT_PUSH_OPTION_0..N-1, verbatim */
	char *pusher;              /* who pushed, see identity.h */
	const char *pusher_source; /* which variable said so (static string) */
	char *protocol;            /* ssh, http, git, local, or what the server says */
	struct pg_buf raw_input;   /* stdin exactly as read, replayed to chained hooks */
};

#define PG_PUSH_INIT { NULL, 0, 0, PG_STRVEC_INIT, NULL, NULL, NULL, PG_BUF_INIT }

void pg_push_release(struct pg_push *push);

/* Parses one "OLD NEW REF" line (without its newline) and appends it. */
int pg_push_add_line(struct pg_push *push, const char *line, size_t len, size_t lineno,
		     struct pg_error *err);
/* pg_push_add_update (and pg_push_new, pg_push_free, the accessors): pushguard.h. */
/* Reads all of pre-receive's stdin; keeps it in raw_input. */
int pg_push_read(struct pg_push *push, FILE *in, struct pg_error *err);
/* Fills options, pusher and protocol from the environment. */
int pg_push_read_env(struct pg_push *push, struct pg_error *err);

bool pg_oid_hex_is_zero(const char *hex);

#endif
