/* Hooks that ran before pushguard was installed keep running: install.sh
 * moves them into HOOK.d/, and once pushguard accepts a push it runs every
 * executable there in name order (dotfiles, *~ and *.sample are skipped). */
#ifndef PG_CHAIN_H
#define PG_CHAIN_H

#include <stddef.h>

#include "error.h"

/* Runs each chained hook with args (argv[1..]) and `input` on its stdin
 * (pre-receive) or pushguard's own stdin when input is NULL (update).
 * Returns 0 when all exit 0 (or dir does not exist), 1 when one refuses
 * (*out_refused names it; caller frees), negative on an error. */
int pg_chain_run(char **out_refused, const char *dir, char *const *args, size_t nargs,
		 const char *input, size_t input_len, struct pg_error *err);

/* The same, but every chained hook runs whatever the others return (post-receive:
 * the refs have moved, nothing is refused any more); 1 and *out_refused name the
 * first that failed. */
int pg_chain_run_all(char **out_refused, const char *dir, char *const *args, size_t nargs,
		     const char *input, size_t input_len, struct pg_error *err);

#endif
