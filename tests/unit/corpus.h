/* The labelled corpus (tests/corpus/): realistic files that must be refused
 * (refuse/) or accepted (accept/) by the default policy. Each file is
 *
 *     path: WHERE/IT/LIVES/IN/A/REPOSITORY
 *     ---
 *     CONTENT, with @{SPEC:N} and @{uuid} random tokens (template.h)
 *
 * Used by tests/unit/test_corpus.c and by bench/detection.sh (through
 * build/tests/corpus-gen, which writes the expanded files into a tree). */
#ifndef PG_TEST_CORPUS_H
#define PG_TEST_CORPUS_H

#include <stdbool.h>
#include <stddef.h>

struct corpus_case {
	char *name;     /* refuse/dotenv.txt */
	char *path;     /* services/api/.env */
	bool refuse;
	char *content;  /* the template, after the header */
};

/* Loads every case under dir (sorted by name). 0, or -1 with why[] set. */
int corpus_load(const char *dir, struct corpus_case **out, size_t *n, char *why, size_t why_len);
void corpus_free(struct corpus_case *v, size_t n);

#endif
