/* Unit tests for lib/rules.c: gitleaks-compatible rules files, Go regex
 * translation, entropy and allowlists. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "re2.h"
#include "rules.h"

struct fx {
	char dir[64];
	struct pg_ruleset rs;
	struct pg_error err;
};

static int setup(void **state)
{
	struct fx *fx = calloc(1, sizeof(*fx));

	if (!fx)
		return -1;
	strcpy(fx->dir, "/tmp/pg-rules-XXXXXX");
	if (!mkdtemp(fx->dir))
		return -1;
	fx->rs = (struct pg_ruleset)PG_RULESET_INIT;
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fx *fx = *state;
	char cmd[128];

	pg_ruleset_release(&fx->rs);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", fx->dir); /* our own mkdtemp path */
	if (system(cmd) != 0)
		return -1;
	free(fx);
	return 0;
}

static const char *put(struct fx *fx, const char *name, const char *text)
{
	static char path[8][160];
	static int slot;
	char *p = path[slot++ % 8];
	FILE *f;

	snprintf(p, 160, "%s/%s", fx->dir, name);
	f = fopen(p, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	return p;
}

static int load(struct fx *fx, const char *name, const char *builtin)
{
	char p[160];

	pg_ruleset_release(&fx->rs);
	fx->err = (struct pg_error)PG_ERROR_INIT;
	snprintf(p, sizeof(p), "%s/%s", fx->dir, name);
	return pg_ruleset_load(&fx->rs, p, builtin, &fx->err);
}

/* Loading `text` fails with PG_ECONFIG naming FILE:LINE and containing `what`. */
static void load_fails(struct fx *fx, const char *text, int line, const char *what)
{
	char want[256];

	put(fx, "bad.toml", text);
	assert_int_equal(load(fx, "bad.toml", NULL), PG_ECONFIG);
	snprintf(want, sizeof(want), "%s/bad.toml:%d: ", fx->dir, line);
	if (strncmp(fx->err.msg, want, strlen(want)) || !strstr(fx->err.msg, what))
		fail_msg("for:\n%s\n got: %s\nwant: %s...%s", text, fx->err.msg, want, what);
}

static const struct pg_rule *rule(const struct pg_ruleset *rs, const char *id)
{
	for (size_t i = 0; i < rs->n; i++)
		if (!strcmp(rs->rules[i].id, id))
			return &rs->rules[i];
	return NULL;
}

/* ---- translation -------------------------------------------------------- */

static void test_translate(void **state)
{
	static const char *const ok[][2] = {
		{ "(?i)abc", "(?i)abc" },
		{ "a$", "a\\z" },
		{ "(?m)a$", "(?m)a$" },
		{ "(?m:a$)b$", "(?m:a$)b\\z" },
		{ "(?i:x)$", "(?i:x)\\z" },
		{ "\\s+", "[\\t\\n\\f\\r ]+" },
		{ "[\\s,]", "[\\t\\n\\f\\r ,]" },
		{ "\\S", "[^\\t\\n\\f\\r ]" },
		{ "\\v", "\\x{0B}" },
		{ "\\x41\\x{263a}", "\\x{41}\\x{263A}" },
		{ "\\101\\0", "\\o{101}\\o{0}" },
		{ "\\Qa.b*\\E+", "a\\.b\\*+" },
		{ "\\Qopen", "open" },
		{ "(?P<name>x)", "(?<name>x)" },
		{ "(?<n>x)", "(?<n>x)" },
		{ "(?:a|b)", "(?:a|b)" },
		{ "a{,3}", "a\\{,3\\}" },
		{ "a{x}", "a\\{x\\}" },
		{ "x{2,5}?y{3}z{1,}", "x{2,5}?y{3}z{1,}" },
		{ "[]a]", "[\\]a]" },
		{ "[^]a]", "[^\\]a]" },
		{ "[[:alpha:][:^digit:]]", "[[:alpha:][:^digit:]]" },
		{ "[a[b]", "[a\\[b]" },
		{ "\\pL\\p{Greek}\\PN", "\\pL\\p{Greek}\\PN" },
		{ "\\A\\bx\\B\\z", "\\A\\bx\\B\\z" },
		{ "\\.\\-\\_\\ ", "\\.\\-\\_\\ " },
		{ "caf\xc3\xa9[\xc3\xa9-\xc3\xbf]", "caf\xc3\xa9[\xc3\xa9-\xc3\xbf]" },
		{ "(?U)a+", "(?U)a+" },
		{ "a*?b+?c??", "a*?b+?c??" },
	};
	static const char *const bad[][2] = {
		{ "(?=x)", "lookaround" },
		{ "(?!x)", "lookaround" },
		{ "(?<=x)", "lookaround" },
		{ "(?<!x)", "lookaround" },
		{ "(?>x)", "atomic" },
		{ "(a)\\1", "backreference" },
		{ "\\k<n>", "backreference" },
		{ "(?P=n)", "backreference" },
		{ "a**", "nested repetition" },
		{ "a++", "nested repetition" },
		{ "a{2}{3}", "nested repetition" },
		{ "a*?+", "nested repetition" },
		{ "*a", "nothing to repeat" },
		{ "(?i)*", "nothing to repeat" },
		{ "(?x)a", "flag 'x'" },
		{ "(?)a", "invalid flag" },
		{ "\\Z", "\\Z" },
		{ "\\h", "PCRE syntax" },
		{ "\\R", "PCRE syntax" },
		{ "\\e", "invalid escape" },
		{ "\\8", "invalid escape" },
		{ "(a", "missing ')'" },
		{ "a)", "unmatched ')'" },
		{ "[a", "missing ']'" },
		{ "x{1001}", "at most 1000" },
		{ "x{5,2}", "repeat count" },
		{ "a\\", "trailing backslash" },
		{ "\\xZZ", "two hexadecimal" },
		{ "[\\b]", "inside a character class" },
		{ "(?#c)", "PCRE syntax" },
		{ "(?<1a>x)", "starts with a digit" },
	};
	struct pg_error err = PG_ERROR_INIT;
	size_t nbad = 0;

	for (size_t i = 0; i < sizeof(ok) / sizeof(*ok); i++) {
		char *out = NULL;
		struct pg_regex *re = NULL;

		if (pg_re2_translate(&out, NULL, ok[i][0], &err) != 0) {
			print_error("%s: %s\n", ok[i][0], err.msg);
			nbad++;
			continue;
		}
		if (strcmp(out, ok[i][1])) {
			print_error("%s -> %s, want %s\n", ok[i][0], out, ok[i][1]);
			nbad++;
		}
		if (pg_regex_compile(&re, out, "t", &err) != 0) {
			print_error("%s: PCRE2 rejects %s: %s\n", ok[i][0], out, err.msg);
			nbad++;
		}
		pg_regex_free(re);
		free(out);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		char *out = (char *)(uintptr_t)1;

		err = (struct pg_error)PG_ERROR_INIT;
		if (pg_re2_translate(&out, NULL, bad[i][0], &err) != PG_ECONFIG || out || !strstr(err.msg, bad[i][1])) {
			print_error("%s: want error '%s', got '%s'\n", bad[i][0], bad[i][1], err.msg);
			nbad++;
		}
	}
	if (nbad)
		fail_msg("%zu translation cases wrong", nbad);
}

static int go_match(const char *go, const char *subject, size_t len)
{
	char *src = NULL;
	struct pg_regex *re = NULL;
	struct pg_error err = PG_ERROR_INIT;
	int rc;

	assert_int_equal(pg_re2_translate(&src, NULL, go, &err), 0);
	assert_int_equal(pg_regex_compile(&re, src, "t", &err), 0);
	rc = pg_regex_match(re, subject, len, &err);
	pg_regex_free(re);
	free(src);
	return rc;
}

/* The translated patterns match what Go's would, where PCRE2 alone differs. */
static void test_translated_semantics(void **state)
{
	assert_int_equal(go_match("key$", "key\n", 4), 0);      /* PCRE2's $ allows a final \n */
	assert_int_equal(go_match("key$", "key", 3), 1);
	assert_int_equal(go_match("(?m)key$", "key\nx", 5), 1);
	assert_int_equal(go_match("a\\sb", "a\vb", 3), 0);      /* Go's \s has no VT */
	assert_int_equal(go_match("a\\sb", "a\tb", 3), 1);
	assert_int_equal(go_match("a[\\S]b", "a\vb", 3), 1);
	assert_int_equal(go_match("a[\\S]b", "a b", 3), 0);
	assert_int_equal(go_match("a\\vb", "a\vb", 3), 1);
	assert_int_equal(go_match("a\\vb", "a\nb", 3), 0);      /* PCRE2's \v is any vertical space */
	assert_int_equal(go_match("x{,2}", "x{,2}", 5), 1);     /* literal in Go */
	assert_int_equal(go_match("\\Q(a)\\E", "(a)", 3), 1);
	assert_int_equal(go_match("\\101", "A", 1), 1);
	assert_int_equal(go_match("(?i)abc", "ABC", 3), 1);
}

static void test_entropy(void **state)
{
	assert_true(pg_rules_entropy("", 0) == 0);
	assert_true(pg_rules_entropy("aaaa", 4) == 0);
	assert_true(fabs(pg_rules_entropy("ab", 2) - 1.0) < 1e-9);
	assert_true(fabs(pg_rules_entropy("abcd", 4) - 2.0) < 1e-9);
	assert_true(fabs(pg_rules_entropy("0123456789abcdef", 16) - 4.0) < 1e-9);
	assert_true(fabs(pg_rules_entropy("aab", 3) - 0.9182958340544896) < 1e-9);
	assert_true(fabs(pg_rules_entropy("changeme", 8) - 2.75) < 1e-9);
	/* only len bytes count */
	assert_true(fabs(pg_rules_entropy("abXYZ", 2) - 1.0) < 1e-9);
}

/* ---- loading ------------------------------------------------------------ */

static void test_load_basic(void **state)
{
	struct fx *fx = *state;
	const struct pg_rule *r;
	char digest1[65];

	put(fx, "r.toml",
	    "title = \"mine\"\n"
	    "[[rules]]\n"
	    "id = \"acme-token\"\n"
	    "description = \"Acme token\"\n"
	    "regex = '''\\b(acme_[a-z0-9]{8})\\b'''\n"
	    "secretGroup = 1\n"
	    "entropy = 2\n"
	    "keywords = [\"ACME_\"]\n"
	    "tags = [\"Acme\", \"token\"]\n"
	    "path = '''\\.env$'''\n"
	    "skipReport = false\n"
	    "\n"
	    "[[rules]]\n"
	    "id = \"key-file\"\n"
	    "path = '''(?:^|/)id_rsa$'''\n");
	assert_int_equal(load(fx, "r.toml", NULL), 0);
	assert_int_equal(fx->rs.n, 2);
	r = rule(&fx->rs, "acme-token");
	assert_non_null(r);
	assert_string_equal(r->description, "Acme token");
	assert_string_equal(r->regex_src, "\\b(acme_[a-z0-9]{8})\\b");
	assert_int_equal(r->secret_group, 1);
	assert_true(r->entropy == 2.0);
	assert_int_equal(r->keywords.n, 1);
	assert_string_equal(r->keywords.v[0], "acme_");
	assert_string_equal(r->tags.v[0], "Acme");
	assert_non_null(r->path);
	assert_int_equal(pg_regex_match(r->path, "app/.env", 8, NULL), 1);
	assert_non_null(strstr(r->origin, "/r.toml:2"));
	r = rule(&fx->rs, "key-file");
	assert_null(r->regex);
	assert_null(r->regex_src);
	assert_non_null(r->path);
	assert_int_equal(strlen(pg_ruleset_digest(&fx->rs)), 64);
	strcpy(digest1, pg_ruleset_digest(&fx->rs));
	/* the digest follows the bytes */
	put(fx, "r.toml", "[[rules]]\nid = \"x\"\nregex = 'x'\n");
	assert_int_equal(load(fx, "r.toml", NULL), 0);
	assert_string_not_equal(pg_ruleset_digest(&fx->rs), digest1);
	/* sha256 of exactly these bytes */
	assert_string_equal(pg_ruleset_digest(&fx->rs), "e18d8967ba70c732829d823831cc56f2a59561d23b9d716cd04f14e2f7374fc6");
}

static void test_load_errors(void **state)
{
	struct fx *fx = *state;

	load_fails(fx, "[[rules]]\nid = \"a\"\nregex = 'x'\nregexp = 'y'\n", 4, "unknown key 'regexp'");
	load_fails(fx, "\n[[rules]]\ndescription = \"no id\"\nregex = 'x'\n", 2, "has no 'id'");
	load_fails(fx, "[[rules]]\nid = \"\"\nregex = 'x'\n", 2, "is empty");
	load_fails(fx, "[[rules]]\nid = \"a\"\ndescription = \"d\"\n", 1, "needs a 'regex' or a 'path'");
	load_fails(fx, "[[rules]]\nid = \"a\"\n\nregex = '(?=x)'\n", 4, "rule 'a': 'regex' '(?=x)': lookaround");
	load_fails(fx, "[[rules]]\nid = \"a\"\nregex = '[z-a]'\n", 3, "invalid regular expression");
	load_fails(fx, "[[rules]]\nid = \"a\"\npath = '(x'\n", 3, "missing ')'");
	load_fails(fx, "[[rules]]\nid = \"a\"\nregex = '(x)'\nsecretGroup = 2\n", 4, "has 1 capture group");
	load_fails(fx, "[[rules]]\nid = \"a\"\nregex = 'x'\nsecretGroup = -1\n", 4, "between 0 and 99");
	load_fails(fx, "[[rules]]\nid = \"a\"\nregex = 'x'\nentropy = \"high\"\n", 4, "must be a float, not a string");
	load_fails(fx, "[[rules]]\nid = \"a\"\nregex = 'x'\nkeywords = \"k\"\n", 4, "must be an array");
	load_fails(fx, "[[rules]]\nid = \"a\"\nregex = 'x'\nkeywords = [1]\n", 4, "must be a string");
	load_fails(fx, "[[rules]]\nid = \"a\"\nregex = 'x'\nkeywords = [\"\"]\n", 4, "empty string");
	load_fails(fx, "[[rules]]\nid = \"a\"\nregex = 'x'\n[[rules.required]]\nid = \"b\"\n", 4, "composite rules");
	load_fails(fx, "[[rules]]\nid = \"a\"\nregex = 'x'\n[[rules.allowlists]]\ncondition = \"XOR\"\nstopwords = [\"s\"]\n",
		   5, "must be \"OR\" or \"AND\"");
	load_fails(fx, "[[rules]]\nid = \"a\"\nregex = 'x'\n[rules.allowlist]\nregexTarget = \"body\"\nregexes = ['x']\n",
		   5, "\"secret\", \"match\" or \"line\"");
	load_fails(fx, "[[rules]]\nid = \"a\"\nregex = 'x'\n[[rules.allowlists]]\ndescription = \"empty\"\n", 4,
		   "has nothing to match");
	load_fails(fx, "[[rules]]\nid = \"a\"\nregex = 'x'\n[[rules.allowlists]]\npaths = ['(?!x)']\n", 5, "lookaround");
	load_fails(fx, "[[rules]]\nid = \"a\"\nregex = 'x'\n[[rules.allowlists]]\nstopwords = ['x']\ntargetRules = ['a']\n", 6,
		   "unknown key 'targetRules'");
	load_fails(fx, "[allowlist]\nstopwords = ['x']\nbogus = 1\n", 3, "unknown key 'bogus'");
	load_fails(fx, "[[allowlists]]\nstopwords = ['x']\ntargetRules = ['nope']\n", 1, "no rule with id 'nope'");
	load_fails(fx, "rule = 1\n", 1, "unknown key 'rule'");
	load_fails(fx, "rules = 1\n", 1, "array of tables");
	load_fails(fx, "[extend]\nuseDefault = true\n", 2, "no built-in rules file");
	load_fails(fx, "[extend]\nurl = \"https://x\"\n", 2, "url is not supported");
	load_fails(fx, "[extend]\nuseDefault = \"yes\"\n", 2, "must be a boolean");
	load_fails(fx, "[extend]\npath = \"missing.toml\"\n", 2, "[extend] path \"missing.toml\": ");
	load_fails(fx, "[extend]\npath = \"bad.toml\"\n", 2, "nested more than");
	load_fails(fx, "[[rules]]\nid = 'a'\nregex = \"\\d\"\n", 3, "invalid escape");
	/* a missing file */
	assert_int_equal(load(fx, "absent.toml", NULL), PG_ECONFIG);
	assert_non_null(strstr(fx->err.msg, "absent.toml: cannot open rules file"));
}

static void test_extend_and_disabled_rules(void **state)
{
	struct fx *fx = *state;
	const struct pg_rule *r;
	const char *builtin;

	builtin = put(fx, "builtin.toml",
		      "[[rules]]\nid = \"b-one\"\ndescription = \"builtin one\"\nregex = '''(one_[0-9]{4})'''\n"
		      "keywords = [\"one_\"]\ntags = [\"t1\"]\n"
		      "[[rules]]\nid = \"b-two\"\nregex = 'two'\n"
		      "[[rules]]\nid = \"b-three\"\nregex = 'three'\n");
	{
		char sub[128];

		snprintf(sub, sizeof(sub), "%s/sub", fx->dir);
		assert_int_equal(mkdir(sub, 0700), 0);
	}
	put(fx, "sub/base.toml",
	    "[extend]\nuseDefault = true\ndisabledRules = [\"b-three\", \"not-a-rule\"]\n"
	    "[[rules]]\nid = \"base-rule\"\nregex = 'base'\n");
	put(fx, "sub/child.toml",
	    "[extend]\npath = \"base.toml\"\ndisabledRules = [\"base-rule\"]\n"
	    "[[rules]]\nid = \"b-one\"\nkeywords = [\"ONE\"]\n"
	    "[[rules.allowlists]]\nstopwords = [\"0000\"]\n"
	    "[[rules]]\nid = \"b-two\"\nregex = '(two)'\nsecretGroup = 1\ndescription = \"mine\"\n"
	    "[[rules]]\nid = \"child\"\nregex = 'c'\n");
	assert_int_equal(load(fx, "sub/child.toml", builtin), 0);
	assert_int_equal(fx->rs.n, 3);
	assert_null(rule(&fx->rs, "b-three"));
	assert_null(rule(&fx->rs, "base-rule"));
	r = rule(&fx->rs, "b-one"); /* merged: regex from the builtin, allowlist and keyword added */
	assert_non_null(r);
	assert_string_equal(r->regex_src, "(one_[0-9]{4})");
	assert_string_equal(r->description, "builtin one");
	assert_int_equal(r->keywords.n, 2);
	assert_string_equal(r->keywords.v[1], "one");
	assert_int_equal(r->nallowlists, 1);
	assert_true(pg_allowlist_allows(&r->allowlists[0], NULL, NULL, "one_0000", NULL, NULL));
	r = rule(&fx->rs, "b-two"); /* overridden fields win */
	assert_string_equal(r->regex_src, "(two)");
	assert_string_equal(r->description, "mine");
	assert_int_equal(r->secret_group, 1);
	assert_non_null(rule(&fx->rs, "child"));
	/* a rule with only an id that extends nothing is an error */
	put(fx, "lone.toml", "[[rules]]\nid = \"b-one\"\n[[rules.allowlists]]\nstopwords = ['x']\n");
	assert_int_equal(load(fx, "lone.toml", builtin), PG_ECONFIG);
	assert_non_null(strstr(fx->err.msg, "needs a 'regex' or a 'path'"));
	/* the same id twice in one file: the later replaces the earlier */
	put(fx, "twice.toml", "[[rules]]\nid = \"a\"\nregex = 'first'\n[[rules]]\nid = \"a\"\nregex = 'second'\n");
	assert_int_equal(load(fx, "twice.toml", NULL), 0);
	assert_int_equal(fx->rs.n, 1);
	assert_string_equal(fx->rs.rules[0].regex_src, "second");
	/* loading twice into one set chains the digest and appends */
	{
		char d1[65];

		strcpy(d1, pg_ruleset_digest(&fx->rs));
		assert_int_equal(pg_ruleset_load(&fx->rs, builtin, NULL, &fx->err), 0);
		assert_int_equal(fx->rs.n, 4);
		assert_string_not_equal(pg_ruleset_digest(&fx->rs), d1);
		strcpy(d1, pg_ruleset_digest(&fx->rs));
		/* computed on first use: the same chain when nobody asked in between */
		assert_int_equal(load(fx, "twice.toml", NULL), 0);
		assert_int_equal(pg_ruleset_load(&fx->rs, builtin, NULL, &fx->err), 0);
		assert_string_equal(pg_ruleset_digest(&fx->rs), d1);
	}
}

/* ---- allowlists --------------------------------------------------------- */

static void test_allowlists(void **state)
{
	struct fx *fx = *state;
	const struct pg_rule *r;
	const struct pg_allowlist *a;

	put(fx, "al.toml",
	    "[[rules]]\nid = \"r\"\nregex = '''tok_([a-z0-9]{8})'''\n"
	    /* OR (default): any criterion */
	    "[[rules.allowlists]]\ndescription = \"or\"\npaths = ['''^test/''']\nstopwords = [\"DUMMY\"]\n"
	    "commits = [\"ABCDEF1\"]\n"
	    /* AND: every given criterion */
	    "[[rules.allowlists]]\ncondition = \"and\"\npaths = ['''\\.md$''']\nregexes = ['''^tok_0''']\nregexTarget = \"match\"\n"
	    /* line target */
	    "[[rules.allowlists]]\nregexes = ['''#\\s*nosecret''']\nregexTarget = \"line\"\n"
	    /* secret target (default) */
	    "[[rules.allowlists]]\nregexes = ['''^0+$''']\n");
	assert_int_equal(load(fx, "al.toml", NULL), 0);
	r = rule(&fx->rs, "r");
	assert_int_equal(r->nallowlists, 4);
	a = &r->allowlists[0];
	assert_false(a->match_all);
	assert_string_equal(a->description, "or");
	assert_string_equal(a->stopwords.v[0], "dummy");
	assert_true(pg_allowlist_allows(a, NULL, "test/x.c", "zz", NULL, NULL));
	assert_false(pg_allowlist_allows(a, NULL, "src/test/x.c", "zz", NULL, NULL));
	assert_true(pg_allowlist_allows(a, NULL, "src/x.c", "aDuMmY1", NULL, NULL));
	assert_true(pg_allowlist_allows(a, "abcdef1234567890", "src/x.c", "zz", NULL, NULL)); /* prefix */
	assert_false(pg_allowlist_allows(a, "abcdef0", "src/x.c", "zz", NULL, NULL));
	assert_false(pg_allowlist_allows(a, NULL, NULL, NULL, NULL, NULL));
	a = &r->allowlists[1];
	assert_true(a->match_all);
	assert_int_equal(a->regex_target, PG_TARGET_MATCH);
	assert_true(pg_allowlist_allows(a, NULL, "doc/README.md", "0abc", "tok_0abc", NULL));
	assert_false(pg_allowlist_allows(a, NULL, "doc/README.md", "1abc", "tok_1abc", NULL));
	assert_false(pg_allowlist_allows(a, NULL, "src/x.c", "0abc", "tok_0abc", NULL));
	assert_false(pg_allowlist_allows(a, NULL, NULL, "0abc", "tok_0abc", NULL));
	/* the target decides what the regexes see */
	assert_false(pg_allowlist_allows(a, NULL, "doc/README.md", "tok_0abc", "0abc", NULL));
	a = &r->allowlists[2];
	assert_int_equal(a->regex_target, PG_TARGET_LINE);
	assert_true(pg_allowlist_allows(a, NULL, NULL, "s", "m", "x = tok_12345678 # nosecret"));
	assert_false(pg_allowlist_allows(a, NULL, NULL, "# nosecret", "# nosecret", "x = tok_12345678"));
	a = &r->allowlists[3];
	assert_int_equal(a->regex_target, PG_TARGET_SECRET);
	assert_true(pg_allowlist_allows(a, NULL, NULL, "00000000", "tok_x", "line"));
	assert_false(pg_allowlist_allows(a, NULL, NULL, "00000001", "00000000", "00000000"));
	/* ruleset-level: rule allowlists, then global ones */
	assert_true(pg_ruleset_allows(&fx->rs, r, NULL, "test/a", "x", NULL, NULL));
	assert_false(pg_ruleset_allows(&fx->rs, r, NULL, "src/a", "x", NULL, NULL));
	assert_false(pg_ruleset_allows(&fx->rs, NULL, NULL, "test/a", "x", NULL, NULL));
}

/* A file in the shape organisations keep for gitleaks: the old single
 * [allowlist] tables and the newer [[...allowlists]] arrays side by side. */
static void test_gitleaks_config(void **state)
{
	struct fx *fx = *state;
	const struct pg_rule *r;

	put(fx, "gitleaks.toml",
	    "title = \"Org gitleaks config\"\n"
	    "\n"
	    "[allowlist]\n"
	    "description = \"global allow list\"\n"
	    "paths = [\n"
	    "    '''gitleaks\\.toml''',\n"
	    "    '''(?:^|/)vendor/''',\n"
	    "]\n"
	    "regexes = ['''(?i)^true|false|null$''']\n"
	    "stopwords = [\"Example\"]\n"
	    "commits = [\"0123abcd\"]\n"
	    "\n"
	    "[[allowlists]]\n"
	    "description = \"only for the internal rule\"\n"
	    "targetRules = [\"internal-token\"]\n"
	    "regexTarget = \"line\"\n"
	    "regexes = ['''(?i)fixture''']\n"
	    "\n"
	    "[[rules]]\n"
	    "id = \"internal-token\"\n"
	    "description = \"Internal service token\"\n"
	    "regex = '''(?i)(?:internal)(?:[0-9a-z\\-_\\t .]{0,20})(?:[\\s|']|[\\s|\"]){0,3}(?:=|>|:{1,3}=|\\|\\|:|<=|=>|:|\\?=)(?:'|\\\"|\\s|=|\\x60){0,5}([a-z0-9]{32})(?:['|\\\"|\\n|\\r|\\s|\\x60|;]|$)'''\n"
	    "secretGroup = 1\n"
	    "entropy = 3.5\n"
	    "keywords = [\"internal\"]\n"
	    "tags = [\"internal\"]\n"
	    "[rules.allowlist]\n"
	    "paths = ['''^docs/''']\n"
	    "\n"
	    "[[rules]]\n"
	    "id = \"legacy-key\"\n"
	    "regex = '''LEGACY-(?P<key>[A-Z0-9]{16})\\z'''\n"
	    "keywords = [\"legacy-\"]\n"
	    "[[rules.allowlists]]\n"
	    "condition = \"AND\"\n"
	    "paths = ['''_test\\.go$''']\n"
	    "stopwords = [\"TESTKEY\"]\n"
	    "[[rules.allowlists]]\n"
	    "commits = [\"deadbeef\"]\n");
	assert_int_equal(load(fx, "gitleaks.toml", NULL), 0);
	assert_int_equal(fx->rs.n, 2);
	assert_int_equal(fx->rs.nallowlists, 1); /* the targeted one went to its rule */
	assert_string_equal(fx->rs.allowlists[0].description, "global allow list");
	assert_int_equal(fx->rs.allowlists[0].npaths, 2);
	assert_string_equal(fx->rs.allowlists[0].stopwords.v[0], "example");
	r = rule(&fx->rs, "internal-token");
	assert_int_equal(r->nallowlists, 2);
	assert_int_equal(r->allowlists[1].regex_target, PG_TARGET_LINE);
	assert_true(pg_ruleset_allows(&fx->rs, r, NULL, "src/a.py", "x", "m", "internal = FIXTURE"));
	assert_true(pg_ruleset_allows(&fx->rs, r, NULL, "docs/a.md", "x", "m", "l"));
	assert_true(pg_ruleset_allows(&fx->rs, r, NULL, "lib/vendor/x.go", "x", "m", "l"));
	assert_true(pg_ruleset_allows(&fx->rs, r, "0123abcd99", "src/a", "x", "m", "l"));
	assert_false(pg_ruleset_allows(&fx->rs, r, "99", "src/a.py", "x", "m", "l"));
	{
		static const char text[] = "internal_api_token = \"0123456789abcdefghijklmnopqrstuv\"\n";
		struct pg_regex_span g[2];

		assert_int_equal(pg_regex_find(r->regex, text, strlen(text), 0, g, 2, NULL), 1);
		assert_int_equal(g[1].end - g[1].start, 32);
	}
	r = rule(&fx->rs, "legacy-key");
	assert_true(r->allowlists[0].match_all);
	assert_true(pg_ruleset_allows(&fx->rs, r, NULL, "a_test.go", "MYTESTKEY1234567", NULL, NULL));
	assert_false(pg_ruleset_allows(&fx->rs, r, NULL, "a.go", "MYTESTKEY1234567", NULL, NULL));
	assert_true(pg_ruleset_allows(&fx->rs, r, "DEADBEEF00", "a.go", "K", NULL, NULL));
	assert_int_equal(pg_regex_match(r->regex, "LEGACY-ABCDEF0123456789", 23, NULL), 1);
	assert_int_equal(pg_regex_match(r->regex, "LEGACY-ABCDEF0123456789\n", 24, NULL), 0);
}

/* The shipped pack loads and extends. */
static void test_builtin_pack_extends(void **state)
{
	struct fx *fx = *state;

	put(fx, "org.toml",
	    "[extend]\nuseDefault = true\ndisabledRules = [\"generic-api-key\"]\n"
	    "[[rules]]\nid = \"github-pat\"\n[[rules.allowlists]]\npaths = ['''^fixtures/''']\n");
	assert_int_equal(load(fx, "org.toml", "policies/rules/default.toml"), 0);
	assert_true(fx->rs.n >= 120);
	assert_null(rule(&fx->rs, "generic-api-key"));
	assert_non_null(rule(&fx->rs, "github-pat"));
	assert_true(rule(&fx->rs, "github-pat")->nallowlists >= 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_translate),
		cmocka_unit_test(test_translated_semantics),
		cmocka_unit_test(test_entropy),
		cmocka_unit_test_setup_teardown(test_load_basic, setup, teardown),
		cmocka_unit_test_setup_teardown(test_load_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_extend_and_disabled_rules, setup, teardown),
		cmocka_unit_test_setup_teardown(test_allowlists, setup, teardown),
		cmocka_unit_test_setup_teardown(test_gitleaks_config, setup, teardown),
		cmocka_unit_test_setup_teardown(test_builtin_pack_extends, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
