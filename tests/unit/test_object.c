/* Unit tests for lib/object.c: commits, tags and trees read from their raw
 * bytes as git reads them, and what git fsck would call an error in them.
 * Objects that libgit2 refuses are written with git_odb_write, as
 * `git hash-object --literally -w` writes them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <git2.h>

#include "object.h"
#include "repo_fixture.h"

#define T40 "4b825dc642cb6eb9a060e54bf8d69288fbee4904" /* the empty tree */
#define P40 "1111111111111111111111111111111111111111"
#define Q40 "2222222222222222222222222222222222222222"
#define GOOD_AUTHOR "author Alice Author <alice@example.com> 1700000000 +0100\n"
#define GOOD_COMMITTER "committer Carl Committer <carl@example.com> 1700000001 -0200\n"

static int setup(void **state)
{
	struct repo_fx *fx = malloc(sizeof(*fx));

	if (!fx || repo_fx_init(fx, "object") < 0) {
		free(fx);
		return -1;
	}
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	repo_fx_release(*state);
	free(*state);
	return 0;
}

static void parse(struct pg_object_commit *c, const char *raw)
{
	assert_int_equal(pg_object_commit_parse(c, raw, strlen(raw)), 0);
}

static void assert_span(const char *p, size_t n, const char *want)
{
	if (n != strlen(want) || memcmp(p, want, n))
		fail_msg("got '%.*s', want '%s'", (int)n, p ? p : "", want);
}

static void test_commit_well_formed(void **state)
{
	static const char raw[] =
		"tree " T40 "\n"
		"parent " P40 "\n"
		"parent " Q40 "\n"
		GOOD_AUTHOR
		GOOD_COMMITTER
		"encoding ISO-8859-1\n"
		"gpgsig -----BEGIN SSH SIGNATURE-----\n"
		" U1NIU0lH\n"
		" -----END SSH SIGNATURE-----\n"
		"\n"
		"Subject line\n\nBody.\n";
	struct pg_object_commit c;
	char hex[41];

	(void)state;
	parse(&c, raw);
	assert_string_equal(c.problem, "");
	assert_true(c.has_tree);
	git_oid_tostr(hex, sizeof(hex), &c.tree);
	assert_string_equal(hex, T40);
	assert_int_equal(c.nparents, 2);
	git_oid_tostr(hex, sizeof(hex), &c.parents[1]);
	assert_string_equal(hex, Q40);
	assert_span(c.author.name, c.author.name_len, "Alice Author");
	assert_span(c.author.email, c.author.email_len, "alice@example.com");
	assert_int_equal(c.author.time, 1700000000);
	assert_span(c.committer.name, c.committer.name_len, "Carl Committer");
	assert_int_equal(c.committer.time, 1700000001);
	assert_span(c.encoding, c.encoding_len, "ISO-8859-1");
	assert_span(c.message, c.message_len, "Subject line\n\nBody.\n");
	pg_object_commit_release(&c);
}

/* Each of these git accepts (receive.fsckObjects off); git fsck calls it an error. */
static void test_commit_problems(void **state)
{
	static const struct {
		const char *raw, *problem;
	} cases[] = {
		{ "tree " T40 "\n" GOOD_COMMITTER "\nno author\n", "no author line" },
		{ "tree " T40 "\nauthor Alice alice@example.com 1700000000 +0000\n" GOOD_COMMITTER "\nx\n",
		  "the author line has no <email>" },
		{ "tree " T40 "\nauthor <alice@example.com> 1700000000 +0000\n" GOOD_COMMITTER "\nx\n",
		  "the author line has no name before the <email>" },
		{ "tree " T40 "\nauthor Alice<alice@example.com> 1700000000 +0000\n" GOOD_COMMITTER "\nx\n",
		  "the author line has no space before the <email>" },
		{ "tree " T40 "\nauthor Alice <alice@example.com 1700000000 +0000\n" GOOD_COMMITTER "\nx\n",
		  "the author line's <email> is not closed by '>'" },
		{ "tree " T40 "\nauthor Al>ice <a@x> 1700000000 +0000\n" GOOD_COMMITTER "\nx\n",
		  "the author line has a '>' in the name" },
		{ "tree " T40 "\nauthor Alice <a@x>1700000000 +0000\n" GOOD_COMMITTER "\nx\n",
		  "the author line has no space before the date" },
		{ "tree " T40 "\nauthor Alice <a@x> 99999999999999999999999 +0000\n" GOOD_COMMITTER "\nx\n",
		  "the author line's date is too large" },
		{ "tree " T40 "\nauthor Alice <a@x> 9223372036854775808 +0000\n" GOOD_COMMITTER "\nx\n",
		  "the author line's date is too large" },
		{ "tree " T40 "\nauthor Alice <a@x> abc +0000\n" GOOD_COMMITTER "\nx\n",
		  "the author line's date is not a number of seconds" },
		{ "tree " T40 "\nauthor Alice <a@x> 0017 +0000\n" GOOD_COMMITTER "\nx\n",
		  "the author line's date is zero-padded" },
		{ "tree " T40 "\nauthor Alice <a@x> 1700000000 0000\n" GOOD_COMMITTER "\nx\n",
		  "the author line's time zone is not +HHMM or -HHMM" },
		{ "tree " T40 "\nauthor Alice <a@x> 1700000000 +00000\n" GOOD_COMMITTER "\nx\n",
		  "the author line's time zone" },
		{ "tree " T40 "\n" GOOD_AUTHOR "committer Carl carl@example.com 1700000000 +0000\n\nx\n",
		  "the committer line has no <email>" },
		{ "tree " T40 "\n" GOOD_AUTHOR "committer Carl <c@x> 99999999999999999999999 +0000\n\nx\n",
		  "the committer line's date is too large" },
		{ "tree " T40 "\n" GOOD_AUTHOR "\nno committer\n", "no committer line" },
		{ "tree " T40 "\n" GOOD_AUTHOR GOOD_AUTHOR GOOD_COMMITTER "\nx\n", "two author lines" },
		{ "tree " T40 "\n" GOOD_AUTHOR GOOD_COMMITTER GOOD_COMMITTER "\nx\n", "a second committer line" },
		{ "tree " T40 "\ntree " T40 "\n" GOOD_AUTHOR GOOD_COMMITTER "\nx\n", "no author line" },
		{ "tree " T40 "\n" GOOD_AUTHOR GOOD_COMMITTER "tree " T40 "\n\nx\n", "a second tree line" },
		{ "tree " T40 "\n" GOOD_AUTHOR GOOD_COMMITTER "encoding a\nencoding b\n\nx\n", "a second encoding line" },
		{ "tree " T40 "\n" GOOD_AUTHOR GOOD_COMMITTER "gpgsig x\ngpgsig y\n\nx\n", "a second gpgsig line" },
		{ "tree " T40 "\n" GOOD_AUTHOR GOOD_COMMITTER "parent " P40 "\n\nx\n", "a parent line after the author" },
		{ "tree " T40 "\n" GOOD_AUTHOR "x-extra 1\n" GOOD_COMMITTER "\nx\n",
		  "the committer line does not follow the author line" },
		{ "tree " T40 "\n" GOOD_AUTHOR GOOD_COMMITTER, "" }, /* the header may end the object */
		{ "tree " T40 "\n" GOOD_AUTHOR "committer Carl <c@x> 1700000000 +0000", "the header does not end with a newline" },
		{ "tree zzzz\n" GOOD_AUTHOR GOOD_COMMITTER "\nx\n", "the tree line is not 'tree <object id>'" },
		{ GOOD_AUTHOR GOOD_COMMITTER "\nx\n", "no tree line" },
		{ "tree " T40 "\nparent 12345\n" GOOD_AUTHOR GOOD_COMMITTER "\nx\n", "parent line 1 is not" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct pg_object_commit c;

		parse(&c, cases[i].raw);
		if (!cases[i].problem[0] ? c.problem[0] != '\0' : !strstr(c.problem, cases[i].problem))
			fail_msg("case %zu: problem '%s', want '%s'", i, c.problem, cases[i].problem);
		pg_object_commit_release(&c);
	}
}

/* A NUL in the header (git fsck: nulInHeader) */
static void test_commit_nul_in_header(void **state)
{
	static const char raw[] = "tree " T40 "\n" GOOD_AUTHOR "committer Carl <c@x> 17\0 +0000\n\nx\n";
	struct pg_object_commit c;

	(void)state;
	assert_int_equal(pg_object_commit_parse(&c, raw, sizeof(raw) - 1), 0);
	assert_string_equal(c.problem, "NUL byte in the header");
	assert_true(c.has_tree);
	pg_object_commit_release(&c);
}

/* What libgit2 cannot read is still read as git reads it. */
static void test_commit_tolerant_fields(void **state)
{
	struct pg_object_commit c;

	(void)state;
	parse(&c, "tree " T40 "\nparent " P40 "\nauthor Alice alice@example.com 1700000000 +0000\n"
		  "committer Carl <carl@example.com> 99999999999999999999999 +0000\n\n\n\nSubject\n");
	assert_true(c.problem[0]);
	assert_int_equal(c.nparents, 1);
	assert_span(c.author.name, c.author.name_len, "Alice alice@example.com 1700000000 +0000");
	assert_span(c.author.email, c.author.email_len, "");
	assert_span(c.committer.email, c.committer.email_len, "carl@example.com");
	assert_int_equal(c.committer.time, 0); /* git reads an overflowing date as 0 too */
	assert_span(c.message, c.message_len, "Subject\n"); /* leading newlines dropped, as libgit2 does */
	pg_object_commit_release(&c);

	/* no author at all, no blank line: empty fields, empty message */
	parse(&c, "tree " T40 "\n" GOOD_COMMITTER);
	assert_false(c.author.present);
	assert_true(c.committer.present);
	assert_int_equal(c.message_len, 0);
	pg_object_commit_release(&c);

	/* a bad parent line ends the parents there, as in git */
	parse(&c, "tree " T40 "\nparent " P40 "\nparent xyz\nparent " Q40 "\n" GOOD_AUTHOR GOOD_COMMITTER "\nm\n");
	assert_int_equal(c.nparents, 1);
	assert_non_null(strstr(c.problem, "parent line 2"));
	pg_object_commit_release(&c);
}

static void test_tag_parse(void **state)
{
	static const struct {
		const char *raw, *problem;
		git_object_t type;
	} cases[] = {
		{ "object " P40 "\ntype commit\ntag v1\ntagger T <t@x> 1700000000 +0000\n\nmsg\n", "", GIT_OBJECT_COMMIT },
		{ "object " P40 "\ntype tree\ntag v1\n\nno tagger is no error\n", "", GIT_OBJECT_TREE },
		{ "type commit\ntag v1\n\nm\n", "no object line", GIT_OBJECT_COMMIT },
		{ "object " P40 "\ntag v1\n\nm\n", "no type line", GIT_OBJECT_INVALID },
		{ "object " P40 "\ntype bogus\ntag v1\n\nm\n", "unknown object type 'bogus'", GIT_OBJECT_INVALID },
		{ "object " P40 "\ntype blob\n\nm\n", "no tag line", GIT_OBJECT_BLOB },
		{ "object " P40 "\ntype commit\ntag v1\ntagger T t@x 1700000000 +0000\n\nm\n",
		  "the tagger line has no <email>", GIT_OBJECT_COMMIT },
		{ "object " P40 "\ntype commit\ntag v1\ntagger T <t@x> 1 +0000\ntagger U <u@x> 1 +0000\n\nm\n",
		  "a second tagger line", GIT_OBJECT_COMMIT },
		{ "object " P40 "\ntype commit\ntag v1\ntag v2\n\nm\n", "a second tag line", GIT_OBJECT_COMMIT },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct pg_object_tag t;
		char hex[41];

		pg_object_tag_parse(&t, cases[i].raw, strlen(cases[i].raw));
		if (!cases[i].problem[0] ? t.problem[0] != '\0' : !strstr(t.problem, cases[i].problem))
			fail_msg("case %zu: problem '%s', want '%s'", i, t.problem, cases[i].problem);
		assert_int_equal(t.type, cases[i].type);
		if (strncmp(cases[i].raw, "object ", 7))
			continue;
		assert_true(t.has_target);
		git_oid_tostr(hex, sizeof(hex), &t.target);
		assert_string_equal(hex, P40);
	}
}

/* ---- header fields ------------------------------------------------------- */

#define MERGETAG "mergetag object " Q40 "\n type commit\n tag v1\n tagger T <t@x> 1 +0000\n \n Release 1\n"

/* Fields with their continuation lines, as git reads them; the header ends at
 * the blank line, whatever the message holds. */
static void test_fields(void **state)
{
	static const char raw[] = "tree " T40 "\nparent " P40 "\n" GOOD_AUTHOR GOOD_COMMITTER MERGETAG
				  "x-odd one\n two\n\nmessage\nnot-a-header here\n";
	static const char *const want[] = { "tree " T40, "parent " P40,
					    "author Alice Author <alice@example.com> 1700000000 +0100",
					    "committer Carl Committer <carl@example.com> 1700000001 -0200",
					    "mergetag object " Q40 "\n type commit\n tag v1\n tagger T <t@x> 1 +0000\n \n Release 1",
					    "x-odd one\n two" };
	static const size_t keys[] = { 4, 6, 6, 9, 8, 5 };
	struct pg_object_field f;
	size_t n = 0;

	(void)state;
	pg_object_fields(&f, raw, sizeof(raw) - 1);
	while (pg_object_field_next(&f)) {
		assert_true(n < sizeof(want) / sizeof(want[0]));
		assert_span(f.text, f.len, want[n]);
		assert_int_equal(f.key_len, keys[n]);
		assert_int_equal(f.index, n + 1);
		n++;
	}
	assert_int_equal(n, 6);
	pg_object_fields(&f, raw, sizeof(raw) - 1);
	assert_true(pg_object_field_next(&f));
	assert_true(pg_object_field_is_id(&f, "tree"));
	assert_false(pg_object_field_is_id(&f, "parent"));
	assert_true(pg_object_field_next(&f));
	assert_true(pg_object_field_is_id(&f, "parent"));

	/* git reads no further than a NUL; an empty header has no field */
	{
		static const char nul[] = "tree " T40 "\nx-a 1\nx-b 2\0\nx-c 3\n\nm\n";

		n = 0;
		pg_object_fields(&f, nul, sizeof(nul) - 1);
		while (pg_object_field_next(&f))
			n++;
		assert_int_equal(n, 2);
		pg_object_fields(&f, "\n\nm\n", 4);
		assert_false(pg_object_field_next(&f));
	}
	/* a cut header: an empty line is a field of its own, continuation lines stay with theirs */
	pg_object_fields_cut(&f, "\n\nx-a 1\n 2\n\n", 12);
	assert_true(pg_object_field_next(&f));
	assert_int_equal(f.len, 0);
	assert_true(pg_object_field_next(&f));
	assert_true(pg_object_field_next(&f));
	assert_span(f.text, f.len, "x-a 1\n 2");
	assert_int_equal(f.index, 3);
	assert_true(pg_object_field_next(&f));
	assert_int_equal(f.len, 0);
	assert_false(pg_object_field_next(&f));
	/* "tree <id>" only: not with more on the line, nor on a continuation line */
	pg_object_fields(&f, "tree " T40 " x\n\n", 48);
	assert_true(pg_object_field_next(&f));
	assert_false(pg_object_field_is_id(&f, "tree"));
	pg_object_fields(&f, "tree " T40 "\n more\n\n", 54);
	assert_true(pg_object_field_next(&f));
	assert_false(pg_object_field_is_id(&f, "tree"));
}

/* What the walk keeps of a header for the secrets check: every field no other
 * field of the walk holds, in its place. */
static void test_commit_other_headers(void **state)
{
	static const struct {
		const char *raw, *want; /* want NULL: nothing left */
	} cases[] = {
		/* an ordinary commit, a merge */
		{ "tree " T40 "\nparent " P40 "\n" GOOD_AUTHOR GOOD_COMMITTER "\nm\n", NULL },
		{ "tree " T40 "\nparent " P40 "\nparent " Q40 "\n" GOOD_AUTHOR GOOD_COMMITTER "\n", NULL },
		/* encoding, mergetag, gpgsig and unknown ones, in their places */
		{ "tree " T40 "\nparent " P40 "\n" GOOD_AUTHOR GOOD_COMMITTER "encoding ISO-8859-1\n" MERGETAG
		  "gpgsig -----BEGIN PGP SIGNATURE-----\n iQ\n -----END PGP SIGNATURE-----\nx-y z\n\nm\n",
		  "\n\n\n\nencoding ISO-8859-1\n" MERGETAG
		  "gpgsig -----BEGIN PGP SIGNATURE-----\n iQ\n -----END PGP SIGNATURE-----\nx-y z\n" },
		/* a tree or parent line that is not an id; a second author */
		{ "tree " T40 " junk\nparent xyz\n" GOOD_AUTHOR GOOD_AUTHOR GOOD_COMMITTER "\nm\n",
		  "tree " T40 " junk\nparent xyz\n\n" GOOD_AUTHOR }, /* no empty line after the last field kept */
		/* after the email: what is not a date; continuation lines of an ident */
		{ "tree " T40 "\nauthor A <a@x> 1700000000 +0000 more\ncommitter C <c@x> 1 +0000\n cont\n\nm\n",
		  "\nauthor 1700000000 +0000 more\ncommitter\n cont\n" },
		{ "tree " T40 "\nauthor A <a@x>extra\n" GOOD_COMMITTER "\n", "\nauthorextra\n" },
		/* no '<' or no '>': the name or the email runs to the end of the line, read */
		{ "tree " T40 "\nauthor A a@x 1 +0000\ncommitter C <c@x 1 +0000\n\n", NULL },
		/* a continuation line first; the last line without its newline */
		{ " lead\ntree " T40 "\nx-last v", " lead\n\nx-last v\n" },
		/* a NUL ends the header as in git (git fsck calls it an error: check objects) */
		{ "tree " T40 "\n" GOOD_AUTHOR GOOD_COMMITTER "x-a 1\0x-b\n\nm\n", NULL },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		size_t len = strlen(cases[i].raw);
		struct pg_object_commit c;
		char *out = (char *)"unset";

		if (i == sizeof(cases) / sizeof(cases[0]) - 1) /* the bytes after the NUL too */
			len += 1 + strlen(cases[i].raw + len + 1);
		assert_int_equal(pg_object_commit_parse(&c, cases[i].raw, len), 0);
		assert_int_equal(pg_object_commit_other_headers(&out, &c, cases[i].raw, len), 0);
		if (!cases[i].want ? out != NULL : !out || strcmp(out, cases[i].want))
			fail_msg("case %zu: got '%s', want '%s'", i, out ? out : "(null)",
				 cases[i].want ? cases[i].want : "(null)");
		free(out);
		pg_object_commit_release(&c);
	}
}

/* Raw tree bytes: "MODE NAME\0<20 bytes>" per entry. */
struct raw_tree {
	char buf[300000];
	size_t len;
};

static void entry(struct raw_tree *t, const char *mode, const char *name, size_t name_len, const char *hex)
{
	git_oid id;

	assert_int_equal(git_oid_fromstr(&id, hex), 0);
	t->len += (size_t)sprintf(t->buf + t->len, "%s ", mode);
	memcpy(t->buf + t->len, name, name_len);
	t->len += name_len;
	t->buf[t->len++] = '\0';
	memcpy(t->buf + t->len, id.id, GIT_OID_RAWSZ);
	t->len += GIT_OID_RAWSZ;
}

/* pg_object_tree_read() on t's bytes: takes the tree (clean) with the very
 * entries libgit2 read, or leaves it to libgit2. */
static void assert_tree_read_as_libgit2(const struct raw_tree *t, const git_tree *tree, bool clean)
{
	struct pg_object_tree_entry *v = NULL;
	size_t n = 0, alloc = 0;

	assert_int_equal(pg_object_tree_read(t->buf, t->len, &v, &n, &alloc), clean ? 0 : 1);
	if (clean) {
		assert_int_equal(n, git_tree_entrycount(tree));
		for (size_t i = 0; i < n; i++) {
			const git_tree_entry *e = git_tree_entry_byindex(tree, i);

			assert_string_equal(v[i].name, git_tree_entry_name(e));
			assert_int_equal(v[i].len, strlen(git_tree_entry_name(e)));
			assert_int_equal(v[i].mode, (uint32_t)git_tree_entry_filemode_raw(e));
			assert_memory_equal(v[i].oid, git_tree_entry_id(e)->id, GIT_OID_RAWSZ);
		}
	}
	free(v);
}

/* The tree problem of the tree with these entries ("" when none). */
static void tree_problem(struct repo_fx *fx, const char *const *entries, size_t n, char *why, size_t wn)
{
	static struct raw_tree t;
	char hex[41];
	git_tree *tree = NULL;
	git_oid id;

	t.len = 0;
	for (size_t i = 0; i < n; i += 2)
		entry(&t, entries[i], entries[i + 1], strlen(entries[i + 1]),
		      !strcmp(entries[i], "40000") ? T40 : P40);
	fx_object(fx, "tree", t.buf, t.len, hex);
	assert_int_equal(git_oid_fromstr(&id, hex), 0);
	if (git_tree_lookup(&tree, fx->repo, &id) < 0)
		fail_msg("libgit2 cannot read the tree: %s", git_error_last()->message);
	why[0] = '\0';
	if (!pg_object_tree_problem(tree, why, wn))
		why[0] = '\0';
	assert_tree_read_as_libgit2(&t, tree, !why[0]);
	git_tree_free(tree);
}

static void test_tree_problems(void **state)
{
	struct repo_fx *fx = *state;
	static const struct {
		const char *entries[8];
		size_t n;
		const char *problem;
	} cases[] = {
		{ { "100644", "a", "40000", "d", "100755", "run" }, 6, "" },
		{ { "100644", "f", "40000", "f.d", "100644", "f.txt" }, 6, "" },
		{ { "100644", ".git" }, 2, "an entry is named '.git'" },
		{ { "40000", ".GIT" }, 2, "an entry is named '.GIT'" },
		{ { "40000", ".git. ." }, 2, "an entry is named '.git. .'" },
		{ { "40000", "GIT~1" }, 2, "an entry is named 'GIT~1'" },
		{ { "40000", ".gitignore" }, 2, "" },
		{ { "100644", "." }, 2, "an entry is named '.'" },
		{ { "40000", ".." }, 2, "an entry is named '..'" },
		{ { "100644", "a/b" }, 2, "the entry 'a/b' has a '/' in its name" },
		{ { "100644", "b", "100644", "a" }, 4, "the entries are not in git's order ('a' after 'b')" },
		{ { "100644", "a", "100644", "a" }, 4, "the entry 'a' appears twice" },
		{ { "100644", "a", "40000", "a" }, 4, "the entry 'a' appears twice" },
		/* a file and a directory of the same name, not neighbours */
		{ { "100644", "f", "100644", "f.txt", "40000", "f" }, 6, "the entry 'f' appears twice" },
		/* a directory sorts as if its name ended in '/' */
		{ { "40000", "f", "100644", "f.txt" }, 4, "the entries are not in git's order ('f.txt' after 'f')" },
	};
	char why[PG_OBJECT_PROBLEM_MAX];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		tree_problem(fx, cases[i].entries, cases[i].n, why, sizeof(why));
		if (!cases[i].problem[0] ? why[0] != '\0' : !strstr(why, cases[i].problem))
			fail_msg("case %zu: problem '%s', want '%s'", i, why, cases[i].problem);
	}
}

/* Trees read without libgit2 are the trees git writes; any other is left to
 * libgit2 (1), which is the reference, and nothing is read past the bytes. */
static void test_tree_read(void **state)
{
	struct repo_fx *fx = *state;
	static struct raw_tree t;
	struct pg_object_tree_entry *v = NULL;
	size_t n = 99, alloc = 0;
	static const char *const others[] = { "100664", "040000", "0100644", "1000000", "10064x", "" };
	char hex[41];
	git_tree *tree = NULL;
	git_oid id;

	/* the empty tree; every mode git writes; a long name */
	assert_int_equal(pg_object_tree_read("", 0, &v, &n, &alloc), 0);
	assert_int_equal(n, 0);
	t.len = 0;
	entry(&t, "100644", "a.txt", 5, P40);
	entry(&t, "100755", "b.sh", 4, Q40);
	entry(&t, "120000", "c", 1, P40);
	entry(&t, "40000", "d", 1, T40);
	entry(&t, "160000", "e", 1, Q40);
	fx_object(fx, "tree", t.buf, t.len, hex);
	assert_int_equal(git_oid_fromstr(&id, hex), 0);
	assert_int_equal(git_tree_lookup(&tree, fx->repo, &id), 0);
	assert_tree_read_as_libgit2(&t, tree, true);
	git_tree_free(tree);

	/* a mode written otherwise than git writes it, even one libgit2 reads */
	for (size_t i = 0; i < sizeof(others) / sizeof(others[0]); i++) {
		t.len = 0;
		entry(&t, others[i], "a", 1, P40);
		if (pg_object_tree_read(t.buf, t.len, &v, &n, &alloc) != 1)
			fail_msg("mode '%s' was read without libgit2", others[i]);
	}
	/* cut short: in the object id, in the name, in the mode */
	t.len = 0;
	entry(&t, "100644", "a", 1, P40);
	for (size_t cut = 1; cut < t.len; cut++)
		if (pg_object_tree_read(t.buf, t.len - cut, &v, &n, &alloc) != 1)
			fail_msg("a tree cut %zu bytes short was read", cut);
	/* a name longer than libgit2 reads */
	{
		static char longname[65537];

		memset(longname, 'x', sizeof(longname) - 1);
		t.len = 0;
		entry(&t, "100644", longname, sizeof(longname) - 1, P40);
		assert_int_equal(pg_object_tree_read(t.buf, t.len, &v, &n, &alloc), 1);
		t.len = 0;
		entry(&t, "100644", longname, sizeof(longname) - 2, P40);
		assert_int_equal(pg_object_tree_read(t.buf, t.len, &v, &n, &alloc), 0);
		assert_int_equal(v[0].len, 65535);
	}
	free(v);
}

/* Trees git takes and libgit2 cannot read: what is wrong, said from the bytes. */
static void test_tree_explain(void **state)
{
	struct repo_fx *fx = *state;
	static struct raw_tree t;
	static char longname[70001];
	char why[PG_OBJECT_PROBLEM_MAX], hex[41];
	git_tree *tree = NULL;
	git_oid id;

	memset(longname, 'x', sizeof(longname) - 1);
	t.len = 0;
	entry(&t, "100644", longname, sizeof(longname) - 1, P40);
	fx_object(fx, "tree", t.buf, t.len, hex);
	assert_int_equal(git_oid_fromstr(&id, hex), 0);
	assert_true(git_tree_lookup(&tree, fx->repo, &id) < 0);
	pg_object_tree_explain(t.buf, t.len, why, sizeof(why));
	assert_non_null(strstr(why, "has a name of 70000 bytes (libgit2 reads at most 65535)"));

	t.len = 0;
	entry(&t, "1000000", "a", 1, P40);
	fx_object(fx, "tree", t.buf, t.len, hex);
	assert_int_equal(git_oid_fromstr(&id, hex), 0);
	assert_true(git_tree_lookup(&tree, fx->repo, &id) < 0);
	pg_object_tree_explain(t.buf, t.len, why, sizeof(why));
	assert_string_equal(why, "the entry 'a' has the mode 1000000, too large for libgit2");

	t.len = 0;
	entry(&t, "10064x", "a", 1, P40);
	pg_object_tree_explain(t.buf, t.len, why, sizeof(why));
	assert_string_equal(why, "an entry's mode '10064x' is not an octal number");

	t.len = 0;
	entry(&t, "100644", "a", 1, P40);
	t.len -= 5;
	pg_object_tree_explain(t.buf, t.len, why, sizeof(why));
	assert_string_equal(why, "the entry 'a' is cut short (no full object id)");

	/* a control character in a name is not printed as itself */
	t.len = 0;
	entry(&t, "1000000", "a\033[31mb", 8, P40);
	pg_object_tree_explain(t.buf, t.len, why, sizeof(why));
	assert_non_null(strstr(why, "'a?[31mb'"));
}

static void test_canon_mode(void **state)
{
	(void)state;
	assert_int_equal(pg_object_canon_mode(0100644), 0100644);
	assert_int_equal(pg_object_canon_mode(0100664), 0100644);
	assert_int_equal(pg_object_canon_mode(0100600), 0100644);
	assert_int_equal(pg_object_canon_mode(0100755), 0100755);
	assert_int_equal(pg_object_canon_mode(0100744), 0100755);
	assert_int_equal(pg_object_canon_mode(0120000), 0120000);
	assert_int_equal(pg_object_canon_mode(0040000), 0040000);
	assert_int_equal(pg_object_canon_mode(0160000), 0160000);
	/* anything else is a gitlink to git: its object is never read */
	assert_int_equal(pg_object_canon_mode(0020000), 0160000);
	assert_int_equal(pg_object_canon_mode(0), 0160000);
	assert_int_equal(pg_object_canon_mode(0170000), 0160000);
}

/* The subject is libgit2's git_commit_summary(), to the byte. */
static void test_summary_as_libgit2(void **state)
{
	struct repo_fx *fx = *state;
	static const char *const messages[] = {
		"Subject\n",
		"Subject",
		"Subject\n\nBody\n",
		"  leading spaces\n",
		"\tleading tab\n",
		"one\ntwo\nthree\n\nfour\n",
		"multi  space\tsubject  \n",
		"line one\n \t \nafter a blank-looking line\n",
		"trailing   \n\n",
		"",
		"\n",
		"x\r\ny\n",
		"a \n b\n",
		"caf\xc3\xa9 \xff bytes\n",
	};

	for (size_t i = 0; i < sizeof(messages) / sizeof(messages[0]); i++) {
		char raw[512], hex[41], *mine;
		struct pg_object_commit c;
		git_commit *commit = NULL;
		git_oid id;
		int n = snprintf(raw, sizeof(raw), "tree " T40 "\n" GOOD_AUTHOR GOOD_COMMITTER "\n%s", messages[i]);

		fx_object(fx, "commit", raw, (size_t)n, hex);
		assert_int_equal(git_oid_fromstr(&id, hex), 0);
		assert_int_equal(git_commit_lookup(&commit, fx->repo, &id), 0);
		parse(&c, raw);
		assert_non_null(mine = pg_object_summary(c.message, c.message_len));
		if (strcmp(mine, git_commit_summary(commit)))
			fail_msg("message %zu: summary '%s', libgit2 '%s'", i, mine, git_commit_summary(commit));
		assert_int_equal(c.message_len, strlen(git_commit_message(commit)));
		free(mine);
		pg_object_commit_release(&c);
		git_commit_free(commit);
	}
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_commit_well_formed),
		T(test_commit_problems),
		T(test_commit_nul_in_header),
		T(test_commit_tolerant_fields),
		T(test_tag_parse),
		T(test_fields),
		T(test_commit_other_headers),
		T(test_tree_problems),
		T(test_tree_read),
		T(test_tree_explain),
		T(test_canon_mode),
		T(test_summary_as_libgit2),
	};

	return cmocka_run_group_tests(tests, repo_fx_group_setup, repo_fx_group_teardown);
}
