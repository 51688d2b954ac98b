/* libFuzzer target for lib/object.c: the bytes as a raw commit, a raw tag and
 * a raw tree (pg_object_commit_parse, pg_object_tag_parse,
 * pg_object_tree_read, pg_object_tree_explain), the commit's summary, its header fields and what
 * the walk keeps of them (pg_object_commit_other_headers, walked again as a
 * cut header). Every pointer a parser hands back lies inside the input; a
 * problem text is always terminated; a tree read without libgit2 has its
 * entries whole, one after the other, in git's order, and covers the input.
 *
 *   make fuzz && build-fuzz/fuzz_object -max_total_time=60 tests/fuzz/corpus_object
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "object.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void inside(const char *p, size_t n, const char *data, size_t size)
{
	if (n && (p < data || p + n > data + size))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *d = (const char *)data;
	struct pg_object_commit c;
	struct pg_object_tag t;
	struct pg_object_field f;
	char why[PG_OBJECT_PROBLEM_MAX], *summary, *other;

	if (pg_object_commit_parse(&c, d, size) == 0) {
		if (!memchr(c.problem, '\0', sizeof(c.problem)))
			abort();
		inside(c.author.name, c.author.name_len, d, size);
		inside(c.author.email, c.author.email_len, d, size);
		inside(c.committer.name, c.committer.name_len, d, size);
		inside(c.committer.email, c.committer.email_len, d, size);
		inside(c.encoding, c.encoding_len, d, size);
		inside(c.message, c.message_len, d, size);
		if (c.nparents > size / 48)
			abort(); /* each parent is a 48-byte line */
		if ((summary = pg_object_summary(c.message, c.message_len))) {
			if (strlen(summary) > c.message_len)
				abort();
			free(summary);
		}
		if (pg_object_commit_other_headers(&other, &c, d, size) == 0 && other) {
			size_t n = strlen(other), fields = 0;

			if (n > size + 1 || other[n - 1] != '\n')
				abort();
			pg_object_fields_cut(&f, other, n);
			while (pg_object_field_next(&f)) {
				inside(f.text, f.len, other, n);
				if (++fields != f.index)
					abort();
			}
			free(other);
		}
		pg_object_commit_release(&c);
	}
	pg_object_fields(&f, d, size);
	while (pg_object_field_next(&f)) {
		inside(f.text, f.len, d, size);
		if (f.key_len > f.len)
			abort();
	}
	pg_object_tag_parse(&t, d, size);
	if (!memchr(t.problem, '\0', sizeof(t.problem)))
		abort();
	inside(t.tagger.name, t.tagger.name_len, d, size);
	inside(t.tagger.email, t.tagger.email_len, d, size);
	{
		struct pg_object_tree_entry *v = NULL;
		size_t n = 0, alloc = 0, at = 0;

		if (pg_object_tree_read(d, size, &v, &n, &alloc) == 0) {
			for (size_t i = 0; i < n; i++) {
				/* "MODE NAME\0" and the id: the entry starts where the last ended */
				inside(v[i].name, v[i].len + 1 + 20, d, size);
				if (v[i].name < d + at || v[i].name[v[i].len] != '\0' ||
				    v[i].oid != (const unsigned char *)v[i].name + v[i].len + 1 || !v[i].len ||
				    memchr(v[i].name, '/', v[i].len))
					abort();
				at = (size_t)(v[i].name - d) + v[i].len + 1 + 20;
			}
			if (at != size)
				abort();
		}
		free(v);
	}
	pg_object_tree_explain(d, size, why, sizeof(why));
	if (!memchr(why, '\0', sizeof(why)))
		abort();
	(void)pg_object_canon_mode(size ? (uint32_t)data[0] << 12 : 0);
	return 0;
}
