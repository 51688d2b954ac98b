/* Unit tests for lib/render.c: what the pusher reads. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

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

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_safe_strips_controls),
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
	};
#undef T

	return cmocka_run_group_tests_name("render", tests, NULL, NULL);
}
