/* Test texts with random parts: credential-looking fixtures are generated at
 * run time, so none lives in the repository.
 *
 *   {SPEC:N}   N random characters from SPEC: A = A-Z, a = a-z, 0 = 0-9,
 *              h = 0-9a-f, H = 0-9A-F, 7 = 2-7, any other character stands
 *              for itself; {[chars]:N} draws from exactly those characters
 *   {uuid}     a random lower-case UUID
 *   << >>      mark the secret a rule must report (at most one pair)
 *   \n \t \{ \} \< \> \\   escapes
 *
 * Used by the rule-pack and corpus unit tests and by bench/detection.sh's
 * corpus generator. */
#ifndef PG_TEST_TEMPLATE_H
#define PG_TEST_TEMPLATE_H

#include <stdint.h>

#include "buf.h"

struct tpl_text {
	struct pg_buf text;
	long sstart, send; /* the marked secret, -1 when unmarked */
};

#define TPL_TEXT_INIT { PG_BUF_INIT, -1, -1 }

/* Seeds the generator (0 is taken as 1). */
void tpl_seed(uint64_t seed);
/* Expands template t into g; NULL, or what is wrong with the template. */
const char *tpl_expand(struct tpl_text *g, const char *t);
/* File mode, for whole files full of braces and backslashes (the labelled
 * corpus, tests/corpus/): only "@{SPEC:N}" and "@{uuid}" are tokens,
 * everything else is copied as it is. */
const char *tpl_expand_file(struct pg_buf *out, const char *t);
void tpl_text_release(struct tpl_text *g);

#endif
