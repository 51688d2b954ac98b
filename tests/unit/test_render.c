/* Unit tests for lib/render.c: what the pusher reads. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render.h"

#define HEX1 "3f2a91c0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a6"
#define HEX2 "0123456789abcdef0123456789abcdef01234567"

struct fx {
	struct pg_findings f;
	struct pg_buf out;
	struct pg_error err;
};

static int setup(void **state)
{
	struct fx *fx = calloc(1, sizeof(*fx));

	if (!fx)
		return -1;
	fx->f = (struct pg_findings)PG_FINDINGS_INIT;
	fx->out = (struct pg_buf)PG_BUF_INIT;
	pg_render_write_reset(); /* each test starts a new pusher's output */
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fx *fx = *state;

	pg_findings_release(&fx->f);
	pg_buf_release(&fx->out);
	free(fx);
	return 0;
}

static void add(struct fx *fx, const char *check, const char *rule, const char *ref,
		const char *commit, const char *subject, const char *path,
		const char *message, const char *fix)
{
	struct pg_finding_spec spec = { check, rule, ref, commit, subject, path, 0, NULL, NULL };

	assert_int_equal(pg_findings_add(&fx->f, &spec, message, fix, &fx->err), PG_OK);
}

static size_t count(const char *hay, const char *needle)
{
	size_t n = 0;

	for (const char *p = hay; (p = strstr(p, needle)); p += strlen(needle))
		n++;
	return n;
}

static const char *first_line_end(const char *s)
{
	const char *nl = strchr(s, '\n');

	assert_non_null(nl);
	return nl;
}

static void safe(struct fx *fx, const char *in, const char *want)
{
	pg_buf_reset(&fx->out);
	pg_render_safe(&fx->out, in);
	assert_string_equal(fx->out.ptr, want);
}

static void test_safe_strips_controls(void **state)
{
	struct fx *fx = *state;

	safe(fx, "plain text", "plain text");
	safe(fx, "a\x1b[31mred\x1b[0m", "a?[31mred?[0m");
	safe(fx, "\x01\x07\x08\t\n\r\x1f", "???????");
	safe(fx, "del\x7f" "ete", "del?ete");
	safe(fx, "csi\xc2\x9b" "31m", "csi?31m");  /* UTF-8 encoded C1 CSI */
	safe(fx, "\xc2\x80|\xc2\x9f", "?|?");
	safe(fx, "nbsp\xc2\xa0ok", "nbsp\xc2\xa0ok"); /* U+00A0 is not a control */
	safe(fx, "h\xc3\xa9llo \xe2\x9c\x93 \xe6\x97\xa5\xe6\x9c\xac", "h\xc3\xa9llo \xe2\x9c\x93 \xe6\x97\xa5\xe6\x9c\xac");
	safe(fx, "", "");
	/* appends, does not replace */
	pg_buf_reset(&fx->out);
	pg_buf_adds(&fx->out, "x:");
	pg_render_safe(&fx->out, "\x1b");
	assert_string_equal(fx->out.ptr, "x:?");
}

/* Characters that make text read as something else, "Trojan Source" style:
 * replaced, while ordinary non-ASCII text stays as it is. */
static void test_safe_replaces_disguising_characters(void **state)
{
	static const char *const disguising[] = {
		"\xe2\x80\xaa", "\xe2\x80\xab", "\xe2\x80\xac", "\xe2\x80\xad", "\xe2\x80\xae", /* U+202A-E */
		"\xe2\x81\xa6", "\xe2\x81\xa7", "\xe2\x81\xa8", "\xe2\x81\xa9",                   /* U+2066-9 */
		"\xe2\x80\x8b", "\xe2\x80\x8c", "\xe2\x80\x8d", "\xe2\x80\x8e", "\xe2\x80\x8f", /* U+200B-F */
		"\xe2\x80\xa8", "\xe2\x80\xa9",                                                   /* U+2028-9 */
		"\xe2\x81\xa0", "\xe2\x81\xa4",                                                   /* U+2060, 2064 */
		"\xc2\xad", "\xd8\x9c", "\xef\xbb\xbf", "\xef\xb8\x8f", "\xe3\x85\xa4",             /* U+00AD 061C FEFF FE0F 3164 */
		"\xf3\xa0\x80\x81", "\xf3\xa0\x81\x81", "\xf3\xa0\x84\x80",                         /* U+E0001 E0041 E0100 */
	};
	struct fx *fx = *state;
	char in[64], want[64];

	for (size_t i = 0; i < sizeof(disguising) / sizeof(*disguising); i++) {
		snprintf(in, sizeof(in), "a%sb", disguising[i]);
		snprintf(want, sizeof(want), "a?b");
		safe(fx, in, want);
	}
	/* the classic: a comment that the terminal shows reversed */
	safe(fx, "access\xe2\x80\xae\xe2\x81\xa6// admin\xe2\x81\xa9\xe2\x81\xa6", "access?" "?// admin?" "?");
	/* ordinary text around them stays */
	safe(fx, "caf\xc3\xa9 \xe2\x9c\x93 \xf0\x9f\x98\x80 \xc2\xa0 \xe2\x80\x94 \xe2\x82\xac",
	     "caf\xc3\xa9 \xe2\x9c\x93 \xf0\x9f\x98\x80 \xc2\xa0 \xe2\x80\x94 \xe2\x82\xac");
	/* neighbours of the ranges are not touched */
	safe(fx, "\xe2\x80\xa7\xe2\x80\xaf\xe2\x81\xb0", "\xe2\x80\xa7\xe2\x80\xaf\xe2\x81\xb0"); /* U+2027 202F 2070 */
	/* pg_render_safe_dup does the same */
	{
		char *d = pg_render_safe_dup("x\xe2\x80\xaey");

		assert_non_null(d);
		assert_string_equal(d, "x?y");
		free(d);
	}
}

/* True when s is valid UTF-8 throughout (a cut never splits a character). */
static bool valid_utf8(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	while (*p) {
		size_t n = *p < 0x80 ? 1 : (*p & 0xe0) == 0xc0 ? 2 : (*p & 0xf0) == 0xe0 ? 3 : (*p & 0xf8) == 0xf0 ? 4 : 0;

		if (!n)
			return false;
		for (size_t i = 1; i < n; i++)
			if ((p[i] & 0xc0) != 0x80)
				return false;
		p += n;
	}
	return true;
}

static char *repeat(const char *unit, size_t times)
{
	size_t n = strlen(unit);
	char *s = malloc(n * times + 1);

	assert_non_null(s);
	for (size_t i = 0; i < times; i++)
		memcpy(s + i * n, unit, n);
	s[n * times] = '\0';
	return s;
}

/* Every field of a finding as large as a push can make it: each block stays
 * within PG_RENDER_MAX_BLOCK, cut on character boundaries with an ellipsis. */
static void test_block_bounded_whatever_the_fields_hold(void **state)
{
	struct fx *fx = *state;
	struct pg_render_opts o = { PG_MODE_ENFORCE, "default" };
	char *big = repeat("\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80x", 100000); /* 1 MB of 1-4 byte characters */
	char *lines = repeat("line\n", 200000);
	struct pg_finding_spec spec = { "secrets", big, big, HEX1, big, big, 7, big, big, NULL };
	const char *p, *next;

	for (int i = 0; i < 3; i++)
		assert_int_equal(pg_findings_add(&fx->f, &spec, i == 1 ? lines : big, i == 2 ? lines : big, &fx->err),
				 PG_OK);
	pg_render_findings(&fx->out, &fx->f, &o);
	assert_true(valid_utf8(fx->out.ptr));
	assert_int_equal(count(fx->out.ptr, "\xe2\x9c\x97 secrets  "), 3);
	/* block by block */
	p = strstr(fx->out.ptr, "\n\xe2\x9c\x97 ");
	for (int i = 0; i < 3; i++) {
		assert_non_null(p);
		next = strstr(p + 1, "\n\xe2\x9c\x97 ");
		if (!next)
			next = strstr(p, "\n\npushguard: no ref was updated");
		assert_non_null(next);
		assert_true((size_t)(next - p) <= PG_RENDER_MAX_BLOCK);
		assert_true((size_t)(next - p) > PG_RENDER_MAX_BLOCK / 2); /* cut, not dropped */
		assert_non_null(memmem(p, (size_t)(next - p), "\xe2\x80\xa6", 3));
		p = next;
	}
	/* the subject was cut when the finding was made; the ref line shows it */
	assert_non_null(strstr(fx->out.ptr, "  3f2a91c \""));
	/* every block still says where and what to do */
	assert_int_equal(count(fx->out.ptr, "\n    fix: "), 3);
	assert_true(fx->out.len < 4 * PG_RENDER_MAX_BLOCK);
	free(big);
	free(lines);
}

static void add_many(struct fx *fx, const char *check, const char *rule, size_t n)
{
	for (size_t i = 0; i < n; i++)
		add(fx, check, rule, "refs/heads/main", HEX1, "s", "p", "m", NULL);
}

/* The problems past the blocks are all counted, by check and rule, the most
 * frequent first. */
static void test_rest_summarised_by_check_and_rule(void **state)
{
	struct fx *fx = *state;
	struct pg_render_opts o = { PG_MODE_ENFORCE, "default" };
	struct pg_finding_spec allowed = { "secrets", "github-pat", "refs/heads/main", HEX1, "s", "p", 1,
					   NULL, NULL, "inline comment" };
	const char *rest, *a, *b, *c;

	add_many(fx, "files", "deny", PG_RENDER_MAX_FINDINGS); /* the blocks */
	add_many(fx, "secrets", "aws-access-key", 3);
	add_many(fx, "files", "deny", 300);
	assert_int_equal(pg_findings_add(&fx->f, &allowed, "m", NULL, &fx->err), PG_OK); /* not counted */
	add_many(fx, "secrets", "github-pat", 7);
	add_many(fx, "commits", "signoff", 3);
	pg_render_findings(&fx->out, &fx->f, &o);
	assert_non_null(strstr(fx->out.ptr, "push refused: 333 problems in 1 commit"));
	assert_int_equal(count(fx->out.ptr, "\xe2\x9c\x97 "), PG_RENDER_MAX_FINDINGS);
	rest = strstr(fx->out.ptr, "\n... and 313 more problems not shown:\n");
	assert_non_null(rest);
	a = strstr(rest, "\n    300 \xc3\x97 files  deny\n");
	b = strstr(rest, "\n    7 \xc3\x97 secrets  github-pat\n");
	c = strstr(rest, "\n    3 \xc3\x97 commits  signoff\n");
	assert_non_null(a);
	assert_non_null(b);
	assert_non_null(c);
	assert_true(a < b && b < c);
	/* equal counts: by check, then rule */
	assert_true(c < strstr(rest, "\n    3 \xc3\x97 secrets  aws-access-key\n"));
	assert_non_null(strstr(fx->out.ptr, "pushguard: 1 finding allowed and recorded:\n  \xe2\x9c\x93 secrets  github-pat  p:1  allowed by inline comment\n"));
}

static void test_rest_summary_has_at_most_max_lines(void **state)
{
	struct fx *fx = *state;
	struct pg_render_opts o = { PG_MODE_ENFORCE, "default" };
	const size_t rules = PG_RENDER_MAX_SUMMARY + 7;
	char rule[32], want[96];

	add_many(fx, "refs", "deny-delete", PG_RENDER_MAX_FINDINGS);
	for (size_t i = 0; i < rules; i++) {
		snprintf(rule, sizeof(rule), "rule-%03zu", i);
		add_many(fx, "secrets", rule, i < PG_RENDER_MAX_SUMMARY ? 2 : 1);
	}
	pg_render_findings(&fx->out, &fx->f, &o);
	assert_int_equal(count(fx->out.ptr, " \xc3\x97 secrets  rule-"), PG_RENDER_MAX_SUMMARY);
	snprintf(want, sizeof(want), "\n    7 more under 7 other rules\n");
	assert_non_null(strstr(fx->out.ptr, want));
	snprintf(want, sizeof(want), "... and %zu more problems not shown:", 2 * (size_t)PG_RENDER_MAX_SUMMARY + 7);
	assert_non_null(strstr(fx->out.ptr, want));
}

/* The attacker's push: a 4 MB subject and 400 denied files. Rendering stays
 * small; the subject was cut when each finding was made. */
static void test_huge_subject_many_findings(void **state)
{
	struct fx *fx = *state;
	struct pg_render_opts o = { PG_MODE_ENFORCE, "default" };
	char *subject = repeat("0123456789abcdef", (size_t)4 << 16);
	char path[32];

	for (size_t i = 0; i < 400; i++) {
		snprintf(path, sizeof(path), "f%zu.pem", i);
		add(fx, "files", "deny", "refs/heads/main", HEX1, subject, path, "denied", "git rm --cached x");
	}
	for (size_t i = 0; i < fx->f.n; i++)
		assert_true(strlen(fx->f.v[i].subject) <= 4 * PG_FINDING_MAX_SUBJECT + 3);
	pg_render_findings(&fx->out, &fx->f, &o);
	assert_true(fx->out.len < PG_RENDER_MAX_FINDINGS * PG_RENDER_MAX_BLOCK);
	assert_non_null(strstr(fx->out.ptr, "... and 380 more problems not shown:\n    380 \xc3\x97 files  deny\n"));
	free(subject);
}

static void test_notes_bounded(void **state)
{
	struct fx *fx = *state;
	char *big = repeat("n", 100000);

	for (int i = 0; i < PG_RENDER_MAX_NOTES + 5; i++)
		assert_int_equal(pg_findings_note(&fx->f, &fx->err, "%s", big), PG_OK);
	pg_render_notes(&fx->out, &fx->f);
	assert_int_equal(count(fx->out.ptr, "pushguard: n"), PG_RENDER_MAX_NOTES);
	assert_non_null(strstr(fx->out.ptr, "pushguard: ... and 5 more notes\n"));
	assert_true(fx->out.len < (PG_RENDER_MAX_NOTES + 1) * (PG_RENDER_MAX_NOTE + 20));
	free(big);
}

static void test_header_singular(void **state)
{
	struct fx *fx = *state;
	struct pg_render_opts o = { PG_MODE_ENFORCE, "strict" };

	add(fx, "files", "deny", "refs/heads/main", HEX1, "Add deploy key", "keys/id_rsa",
	    "keys/id_rsa matches the denied file pattern 'id_rsa'",
	    "take the file out of the commit: git rm --cached keys/id_rsa && git commit --amend");
	pg_render_findings(&fx->out, &fx->f, &o);
	assert_true(strncmp(fx->out.ptr, "pushguard: push refused: 1 problem in 1 commit (policy: strict)\n",
			    strlen("pushguard: push refused: 1 problem in 1 commit (policy: strict)\n")) == 0);
	assert_non_null(strstr(fx->out.ptr, "\xe2\x9c\x97 files  deny\n"));
	/* ref, short commit id and subject */
	assert_non_null(strstr(fx->out.ptr, "    refs/heads/main  3f2a91c \"Add deploy key\"\n"));
	assert_null(strstr(fx->out.ptr, HEX1));
	/* the path on its own line */
	assert_non_null(strstr(fx->out.ptr, "\n    keys/id_rsa\n"));
	assert_non_null(strstr(fx->out.ptr, "    keys/id_rsa matches the denied file pattern 'id_rsa'\n"));
	assert_non_null(strstr(fx->out.ptr, "    fix: take the file out of the commit: git rm --cached keys/id_rsa"));
	assert_null(strstr(fx->out.ptr, "would be refused"));
}

static void test_header_plural(void **state)
{
	struct fx *fx = *state;
	struct pg_render_opts o = { PG_MODE_ENFORCE, "default" };

	add(fx, "commits", "message-pattern", "refs/heads/main", HEX1, "one", NULL, "m1", NULL);
	add(fx, "commits", "signoff", "refs/heads/main", HEX1, "one", NULL, "m2", NULL);
	add(fx, "commits", "signoff", "refs/heads/main", HEX2, "two", NULL, "m3", NULL);
	pg_render_findings(&fx->out, &fx->f, &o);
	assert_memory_equal(fx->out.ptr, "pushguard: push refused: 3 problems in 2 commits (policy: default)\n",
			    strlen("pushguard: push refused: 3 problems in 2 commits (policy: default)\n"));

	pg_findings_release(&fx->f);
	pg_buf_reset(&fx->out);
	add(fx, "commits", "message-pattern", "refs/heads/main", HEX1, "one", NULL, "m1", NULL);
	add(fx, "commits", "signoff", "refs/heads/main", HEX1, "one", NULL, "m2", NULL);
	pg_render_findings(&fx->out, &fx->f, &o);
	assert_memory_equal(fx->out.ptr, "pushguard: push refused: 2 problems in 1 commit (policy: default)\n",
			    strlen("pushguard: push refused: 2 problems in 1 commit (policy: default)\n"));
}

static void test_header_ref_only_findings(void **state)
{
	struct fx *fx = *state;
	struct pg_render_opts o = { PG_MODE_ENFORCE, NULL };
	const char *eol;

	add(fx, "refs", "deny-delete", "refs/heads/main", NULL, NULL, NULL,
	    "deleting refs/heads/main is not allowed", "keep the ref");
	pg_render_findings(&fx->out, &fx->f, &o);
	eol = first_line_end(fx->out.ptr);
	assert_int_equal((size_t)(eol - fx->out.ptr), strlen("pushguard: push refused: 1 problem (policy: default)"));
	assert_memory_equal(fx->out.ptr, "pushguard: push refused: 1 problem (policy: default)\n",
			    strlen("pushguard: push refused: 1 problem (policy: default)\n"));
	/* a ref line without a commit */
	assert_non_null(strstr(fx->out.ptr, "\n    refs/heads/main\n"));
	assert_non_null(strstr(fx->out.ptr, "    fix: keep the ref\n"));
}

static void test_warn_mode(void **state)
{
	struct fx *fx = *state;
	struct pg_render_opts o = { PG_MODE_WARN, "default" };

	add(fx, "files", "max-size", "refs/heads/main", HEX1, "big", "a.bin", "too big", NULL);
	pg_render_findings(&fx->out, &fx->f, &o);
	assert_memory_equal(fx->out.ptr, "pushguard: push would be refused (warn mode): 1 problem in 1 commit",
			    strlen("pushguard: push would be refused (warn mode): 1 problem in 1 commit"));
	assert_null(strstr(fx->out.ptr, "push refused"));
}

static void test_multiline_message_and_fix_indented(void **state)
{
	struct fx *fx = *state;
	struct pg_render_opts o = { PG_MODE_ENFORCE, "default" };

	add(fx, "commits", "signoff", "refs/heads/main", HEX1, "subj", NULL,
	    "first line\nsecond line", "git commit --amend --signoff\ngit push again");
	pg_render_findings(&fx->out, &fx->f, &o);
	assert_non_null(strstr(fx->out.ptr, "\n    first line\n    second line\n"));
	assert_non_null(strstr(fx->out.ptr, "\n    fix: git commit --amend --signoff\n         git push again\n"));
}

static void test_pusher_text_is_made_safe(void **state)
{
	struct fx *fx = *state;
	struct pg_render_opts o = { PG_MODE_ENFORCE, "default" };

	add(fx, "files", "deny", "refs/heads/\x1b[2Jx", HEX1, "evil\x1b]0;title\x07subject",
	    "dir/\x1b[31mred\xc2\x9b.pem", "path dir/\x1b[31mred.pem denied", "git rm \x1b[K");
	pg_render_findings(&fx->out, &fx->f, &o);
	assert_null(strchr(fx->out.ptr, '\x1b'));
	assert_null(strchr(fx->out.ptr, '\x07'));
	assert_null(strstr(fx->out.ptr, "\xc2\x9b"));
	assert_non_null(strstr(fx->out.ptr, "evil?]0;title?subject"));
	assert_non_null(strstr(fx->out.ptr, "dir/?[31mred?.pem"));
}

static void test_percent_in_text_is_verbatim(void **state)
{
	struct fx *fx = *state;
	struct pg_render_opts o = { PG_MODE_ENFORCE, "default" };

	add(fx, "files", "deny", "refs/heads/main", HEX1, "100%s done", "a/%n%s.key",
	    "a/%n%s.key is denied", "git rm --cached 'a/%n%s.key'");
	pg_render_findings(&fx->out, &fx->f, &o);
	assert_non_null(strstr(fx->out.ptr, "\"100%s done\""));
	assert_non_null(strstr(fx->out.ptr, "    a/%n%s.key\n"));
	assert_non_null(strstr(fx->out.ptr, "git rm --cached 'a/%n%s.key'"));
}

static void test_cap_at_max_findings(void **state)
{
	struct fx *fx = *state;
	struct pg_render_opts o = { PG_MODE_ENFORCE, "default" };
	const size_t n = PG_RENDER_MAX_FINDINGS + 50;
	char msg[64], want[64];

	for (size_t i = 0; i < n; i++) {
		snprintf(msg, sizeof(msg), "problem number %zu.", i);
		add(fx, "refs", "deny-delete", "refs/heads/x", NULL, NULL, NULL, msg, NULL);
	}
	pg_render_findings(&fx->out, &fx->f, &o);
	snprintf(want, sizeof(want), "push refused: %zu problems", n);
	assert_non_null(strstr(fx->out.ptr, want));
	assert_int_equal(count(fx->out.ptr, "\xe2\x9c\x97 refs  deny-delete"), PG_RENDER_MAX_FINDINGS);
	snprintf(msg, sizeof(msg), "problem number %d.", PG_RENDER_MAX_FINDINGS - 1);
	assert_non_null(strstr(fx->out.ptr, msg));
	snprintf(msg, sizeof(msg), "problem number %d.", PG_RENDER_MAX_FINDINGS);
	assert_null(strstr(fx->out.ptr, msg));
	assert_non_null(strstr(fx->out.ptr, "... and 50 more"));
}

static void test_exactly_max_findings_has_no_more_line(void **state)
{
	struct fx *fx = *state;
	struct pg_render_opts o = { PG_MODE_ENFORCE, "default" };

	for (size_t i = 0; i < PG_RENDER_MAX_FINDINGS; i++)
		add(fx, "refs", "deny-delete", "refs/heads/x", NULL, NULL, NULL, "m", NULL);
	pg_render_findings(&fx->out, &fx->f, &o);
	assert_int_equal(count(fx->out.ptr, "\xe2\x9c\x97 refs  deny-delete"), PG_RENDER_MAX_FINDINGS);
	assert_null(strstr(fx->out.ptr, "... and"));
}

static void test_render_error(void **state)
{
	struct fx *fx = *state;
	struct pg_error e = PG_ERROR_INIT;

	e.code = PG_ECONFIG;
	snprintf(e.msg, sizeof(e.msg), "unknown key 'pushguard.x' in /r/config\x1b[2J");
	pg_render_error(&fx->out, &e, false);
	assert_non_null(strstr(fx->out.ptr, "push refused"));
	assert_non_null(strstr(fx->out.ptr, "invalid configuration"));
	assert_non_null(strstr(fx->out.ptr, "unknown key 'pushguard.x' in /r/config?[2J"));
	assert_null(strchr(fx->out.ptr, '\x1b'));

	pg_buf_reset(&fx->out);
	e.code = PG_ERR;
	pg_render_error(&fx->out, &e, true);
	assert_null(strstr(fx->out.ptr, "push refused"));
	assert_non_null(strstr(fx->out.ptr, "NOT checked"));
	assert_non_null(strstr(fx->out.ptr, "internal error"));
	assert_non_null(strstr(fx->out.ptr, "onError = accept"));
}

static char *write_to_string(const char *text, const char *prefix)
{
	char *s = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&s, &len);

	assert_non_null(fp);
	pg_render_write(fp, text, prefix);
	fclose(fp);
	assert_non_null(s);
	return s;
}

static void test_write_prefix_every_line(void **state)
{
	char *s;

	(void)state;
	s = write_to_string("line1\nline2\n", "GL-HOOK-ERR: ");
	assert_string_equal(s, "GL-HOOK-ERR: line1\nGL-HOOK-ERR: line2\n");
	free(s);

	s = write_to_string("a\n\nb", "GL-HOOK-ERR: ");
	assert_string_equal(s, "GL-HOOK-ERR: a\nGL-HOOK-ERR: \nGL-HOOK-ERR: b\n");
	free(s);

	s = write_to_string("no prefix\nhere", NULL);
	assert_string_equal(s, "no prefix\nhere\n");
	free(s);

	s = write_to_string("", "P: ");
	assert_string_equal(s, "");
	free(s);
}

static void test_write_whole_refusal_prefixed(void **state)
{
	struct fx *fx = *state;
	struct pg_render_opts o = { PG_MODE_ENFORCE, "default" };
	size_t lines = 0;
	char *s;

	add(fx, "files", "deny", "refs/heads/main", HEX1, "Add deploy key", "keys/id_rsa",
	    "denied\nreally", "git rm --cached keys/id_rsa\ngit commit --amend");
	add(fx, "refs", "deny-delete", "refs/heads/main", NULL, NULL, NULL, "no", NULL);
	pg_render_findings(&fx->out, &fx->f, &o);
	s = write_to_string(fx->out.ptr, "GL-HOOK-ERR: ");
	for (const char *p = s; *p;) {
		const char *eol = strchr(p, '\n');

		assert_non_null(eol);
		if (strncmp(p, "GL-HOOK-ERR: ", 13))
			fail_msg("line without prefix: '%.*s'", (int)(eol - p), p);
		lines++;
		p = eol + 1;
	}
	assert_int_equal(lines, count(fx->out.ptr, "\n") + (fx->out.ptr[fx->out.len - 1] != '\n'));
	assert_true(lines > 10);
	free(s);
}

/* Whatever is written, one process writes at most PG_RENDER_MAX_OUTPUT
 * bytes, prefixes and newlines counted, whole lines, the last one saying so. */
static void test_write_bounded_in_all(void **state)
{
	static const char cut[] = "pushguard: (the rest is not shown: pushguard writes at most 64 KiB per push)\n";
	char *line = repeat("x", 999), *text, *s = NULL, *last;
	size_t len = 0, lines = 0;
	FILE *fp = open_memstream(&s, &len);

	(void)state;
	assert_non_null(fp);
	text = malloc(1000 * 30 + 1);
	assert_non_null(text);
	for (int i = 0; i < 30; i++) {
		memcpy(text + i * 1000, line, 999);
		text[i * 1000 + 999] = '\n';
	}
	text[30000] = '\0';
	pg_render_write(fp, text, "GL-HOOK-ERR: "); /* 30 lines of 1013 bytes */
	fflush(fp);
	assert_int_equal(len, 30 * 1013);
	pg_render_write(fp, text, NULL);  /* 30 of 1000 more: 60390, fits */
	fflush(fp);
	assert_int_equal(len, 30 * 1013 + 30 * 1000);
	pg_render_write(fp, text, "GL-HOOK-ERR: ");
	pg_render_write(fp, "more\n", NULL); /* nothing once cut */
	fclose(fp);
	assert_true(len <= PG_RENDER_MAX_OUTPUT);
	for (const char *p = s; (p = strchr(p, '\n')); p++)
		lines++;
	assert_int_equal(s[len - 1], '\n');
	last = s + len - (sizeof(cut) - 1);
	assert_string_equal(last, cut);
	assert_int_equal(count(s, "more\n"), 0);
	/* every line before the cut one is whole */
	assert_int_equal(lines, 60 + (len - 60390 - (sizeof(cut) - 1)) / 1013 + 1);
	free(s);

	/* exactly at the limit: a text that leaves just room for the cut line fits */
	pg_render_write_reset();
	s = NULL;
	fp = open_memstream(&s, &len);
	assert_non_null(fp);
	{
		size_t n = PG_RENDER_MAX_OUTPUT - (sizeof(cut) - 1) - 1;
		char *exact = repeat("y", n);

		pg_render_write(fp, exact, NULL);
		fflush(fp);
		assert_int_equal(len, n + 1);
		pg_render_write(fp, "z", NULL);
		fclose(fp);
		assert_int_equal(len, PG_RENDER_MAX_OUTPUT);
		assert_string_equal(s + n + 1, cut);
		free(exact);
	}
	free(s);
	free(line);
	free(text);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_safe_strips_controls),
		T(test_safe_replaces_disguising_characters),
		T(test_block_bounded_whatever_the_fields_hold),
		T(test_rest_summarised_by_check_and_rule),
		T(test_rest_summary_has_at_most_max_lines),
		T(test_huge_subject_many_findings),
		T(test_notes_bounded),
		T(test_header_singular),
		T(test_header_plural),
		T(test_header_ref_only_findings),
		T(test_warn_mode),
		T(test_multiline_message_and_fix_indented),
		T(test_pusher_text_is_made_safe),
		T(test_percent_in_text_is_verbatim),
		T(test_cap_at_max_findings),
		T(test_exactly_max_findings_has_no_more_line),
		T(test_render_error),
		T(test_write_prefix_every_line),
		T(test_write_whole_refusal_prefixed),
		T(test_write_bounded_in_all),
	};
#undef T

	return cmocka_run_group_tests_name("render", tests, NULL, NULL);
}
