/* Unit tests for lib/toml.c: the strict TOML subset reader. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "toml.h"

static struct pg_toml *parse_ok(const char *doc)
{
	struct pg_toml *t = NULL;
	struct pg_error err = PG_ERROR_INIT;
	int rc = pg_toml_parse(&t, doc, strlen(doc), "t.toml", &err);

	if (rc != 0)
		fail_msg("unexpected error: %s", err.msg);
	assert_non_null(t);
	return t;
}

/* The document must fail with PG_ECONFIG, "t.toml:LINE: " and `what` in the message. */
static void expect_error(const char *doc, size_t len, int line, const char *what)
{
	struct pg_toml *t = (struct pg_toml *)1;
	struct pg_error err = PG_ERROR_INIT;
	char prefix[32];

	if (pg_toml_parse(&t, doc, len, "t.toml", &err) != PG_ECONFIG) {
		pg_toml_free(t);
		fail_msg("no error for: %s", doc);
	}
	assert_null(t);
	snprintf(prefix, sizeof(prefix), "t.toml:%d: ", line);
	if (strncmp(err.msg, prefix, strlen(prefix)) || !strstr(err.msg, what))
		fail_msg("for %s\n got: %s\nwant: %s...%s", doc, err.msg, prefix, what);
}

#define ERR(doc, line, what) expect_error(doc, strlen(doc), line, what)

static const struct pg_toml *at(const struct pg_toml *t, const char *path)
{
	char buf[256], *save = NULL;

	snprintf(buf, sizeof(buf), "%s", path);
	for (char *k = strtok_r(buf, ".", &save); k; k = strtok_r(NULL, ".", &save)) {
		if (t && t->type == PG_TOML_ARRAY) {
			size_t i = (size_t)atoi(k);

			t = i < t->n ? t->kids[i] : NULL;
		} else {
			t = pg_toml_get(t, k);
		}
	}
	if (!t)
		fail_msg("no value at %s", path);
	return t;
}

static void test_gitleaks_shape(void **state)
{
	static const char doc[] =
		"# a rules file\n"
		"title = \"x\"\n"
		"\n"
		"[extend]\n"
		"useDefault = true\n"
		"disabledRules = [ \"a\", 'b', ]  # trailing comma\n"
		"\n"
		"[[rules]]\n"
		"id = \"one\"\n"
		"regex = '''(?i)key\\s*=\\s*'([a-z]{4})''''\n"
		"secretGroup = 1\n"
		"entropy = 3.5\n"
		"keywords = [\n"
		"  \"key\",  # comment inside\n"
		"  \"k2\",\n"
		"]\n"
		"[rules.allowlist]\n"
		"paths = ['''\\.md$''']\n"
		"[[rules.allowlists]]\n"
		"condition = \"AND\"\n"
		"[[rules.allowlists]]\n"
		"stopwords = []\n"
		"[[rules]]\n"
		"id = \"two\"\n"
		"[allowlist]\n"
		"regexTarget = \"line\"\n";
	struct pg_toml *t = parse_ok(doc);
	const struct pg_toml *r = at(t, "rules");

	assert_int_equal(r->type, PG_TOML_ARRAY);
	assert_int_equal(r->n, 2);
	assert_int_equal(r->kids[0]->line, 8);
	assert_int_equal(r->kids[1]->line, 23);
	assert_string_equal(at(t, "rules.0.regex")->str, "(?i)key\\s*=\\s*'([a-z]{4})'");
	assert_int_equal(at(t, "rules.0.regex")->line, 10);
	assert_int_equal(at(t, "rules.0.secretGroup")->i, 1);
	assert_true(at(t, "rules.0.entropy")->f == 3.5);
	assert_int_equal(at(t, "rules.0.keywords")->n, 2);
	assert_int_equal(at(t, "rules.0.keywords.1")->line, 15);
	assert_string_equal(at(t, "rules.0.allowlist.paths.0")->str, "\\.md$");
	assert_int_equal(at(t, "rules.0.allowlists")->n, 2);
	assert_string_equal(at(t, "rules.0.allowlists.0.condition")->str, "AND");
	assert_int_equal(at(t, "rules.0.allowlists.1.stopwords")->n, 0);
	assert_true(at(t, "extend.useDefault")->b);
	assert_string_equal(at(t, "extend.disabledRules.1")->str, "b");
	assert_string_equal(at(t, "allowlist.regexTarget")->str, "line");
	assert_null(pg_toml_get(t, "missing"));
	assert_null(pg_toml_get(at(t, "title"), "x"));
	pg_toml_free(t);
}

static void test_strings(void **state)
{
	static const char doc[] =
		"a = \"tab\\there \\\"q\\\" \\\\ \\u00e9 \\U0001F600\"\n"
		"b = 'C:\\path\\no\\escapes'\n"
		"c = \"\"\"\n"
		"line1\n"
		"line2\"\"\"\n"
		"d = \"\"\"\\\n"
		"    folded \\\n"
		"    text\"\"\"\n"
		"e = '''\n"
		"raw \\n '' quotes'''\n"
		"f = \"\"\"two quotes at end\"\"\"\"\"\n"
		"\"quoted key\" = 1\n"
		"'lit.key' = 2\n"
		"g = \"\"\n"
		"h = \"caf\xc3\xa9\"\n";
	struct pg_toml *t = parse_ok(doc);

	assert_string_equal(at(t, "a")->str, "tab\there \"q\" \\ \xc3\xa9 \xf0\x9f\x98\x80");
	assert_string_equal(at(t, "b")->str, "C:\\path\\no\\escapes");
	assert_string_equal(at(t, "c")->str, "line1\nline2");
	assert_int_equal(at(t, "c")->line, 3);
	assert_string_equal(at(t, "d")->str, "folded text");
	assert_string_equal(at(t, "e")->str, "raw \\n '' quotes");
	assert_string_equal(at(t, "f")->str, "two quotes at end\"\"");
	assert_int_equal(pg_toml_get(t, "quoted key")->i, 1);
	assert_int_equal(pg_toml_get(t, "lit.key")->i, 2);
	assert_int_equal(at(t, "g")->len, 0);
	assert_int_equal(at(t, "h")->len, 5);
	assert_int_equal(at(t, "h")->line, 15);
	pg_toml_free(t);
}

static void test_numbers_and_booleans(void **state)
{
	static const char doc[] =
		"i1 = 42\ni2 = -17\ni3 = +5\ni4 = 1_000_000\ni5 = 0xDEAD_beef\ni6 = 0o755\ni7 = 0b1010\n"
		"i8 = 0\ni9 = 9223372036854775807\n"
		"f1 = 3.5\nf2 = -0.01\nf3 = 5e+22\nf4 = 1E6\nf5 = 6.626e-34\nf6 = inf\nf7 = -inf\nf8 = nan\n"
		"f9 = 1_0.2_5\n"
		"t = true\nf = false\n";
	struct pg_toml *t = parse_ok(doc);

	assert_int_equal(at(t, "i1")->i, 42);
	assert_int_equal(at(t, "i2")->i, -17);
	assert_int_equal(at(t, "i3")->i, 5);
	assert_int_equal(at(t, "i4")->i, 1000000);
	assert_int_equal(at(t, "i5")->i, 0xdeadbeef);
	assert_int_equal(at(t, "i6")->i, 0755);
	assert_int_equal(at(t, "i7")->i, 10);
	assert_int_equal(at(t, "i8")->i, 0);
	assert_true(at(t, "i9")->i == 9223372036854775807LL);
	assert_int_equal(at(t, "f1")->type, PG_TOML_FLOAT);
	assert_true(at(t, "f1")->f == 3.5);
	assert_true(at(t, "f2")->f == -0.01);
	assert_true(at(t, "f3")->f == 5e22);
	assert_true(at(t, "f4")->f == 1e6);
	assert_true(isinf(at(t, "f6")->f) && at(t, "f6")->f > 0);
	assert_true(isinf(at(t, "f7")->f) && at(t, "f7")->f < 0);
	assert_true(isnan(at(t, "f8")->f));
	assert_true(at(t, "f9")->f == 10.25);
	assert_int_equal(at(t, "t")->type, PG_TOML_BOOL);
	assert_true(at(t, "t")->b);
	assert_false(at(t, "f")->b);
	pg_toml_free(t);
}

static void test_tables_and_dotted_keys(void **state)
{
	static const char doc[] =
		"a.b.c = 1\n"
		"a.b.d = 2\n"
		"[x.y]\n"
		"z = 1\n"
		"[x]\n"              /* an implicitly created table may be defined later */
		"w = 2\n"
		"[x.y.deep]\n"
		"v = 3\n"
		"[[p.q]]\n"
		"n = 1\n"
		"[[p.q]]\n"
		"n = 2\n"
		"[p.q.sub]\n"        /* belongs to the last [[p.q]] */
		"s = 1\n"
		"[[p.q.items]]\n"
		"k = 'v'\n"
		"inl = { a = 1, b.c = \"two\", arr = [1, [2, 3]] }\n"
		"empty = {}\n"
		"mixed = [ 1, 'a', { k = true } ]\n";
	struct pg_toml *t = parse_ok(doc);

	assert_int_equal(at(t, "a.b.c")->i, 1);
	assert_int_equal(at(t, "a.b.d")->i, 2);
	assert_int_equal(at(t, "x.y.z")->i, 1);
	assert_int_equal(at(t, "x.w")->i, 2);
	assert_int_equal(at(t, "x")->line, 5);
	assert_int_equal(at(t, "x.y.deep.v")->i, 3);
	assert_int_equal(at(t, "p.q")->n, 2);
	assert_int_equal(at(t, "p.q.1.n")->i, 2);
	assert_int_equal(at(t, "p.q.1.sub.s")->i, 1);
	assert_string_equal(at(t, "p.q.1.items.0.k")->str, "v");
	assert_string_equal(at(t, "p.q.1.items.0.inl.b.c")->str, "two");
	assert_int_equal(at(t, "p.q.1.items.0.inl.arr.1.1")->i, 3);
	assert_int_equal(at(t, "p.q.1.items.0.empty")->n, 0);
	assert_int_equal(at(t, "p.q.1.items.0.mixed.2.k")->type, PG_TOML_BOOL);
	assert_string_equal(pg_toml_type_name(at(t, "p.q")->type), "array");
	pg_toml_free(t);
}

static void test_errors_name_file_and_line(void **state)
{
	ERR("a = 1\na = 2\n", 2, "duplicate key 'a' (first defined on line 1)");
	ERR("[t]\nx = 1\n[t]\n", 3, "[t] is defined twice");
	ERR("x.y = 1\n[x.y]\n", 2, "defined twice");
	ERR("[t]\nx = 1\n[t.u]\n[x]\nt.x = 2\n[x.t]\n", 6, "defined twice");
	ERR("\n\na = \"bad \\q escape\"\n", 3, "invalid escape");
	ERR("a = 1\nb = \"open\n", 2, "newline in a single-line string");
	ERR("a = 1\n\nb = \"\"\"never closed\n\n", 3, "unterminated string");
	ERR("a = '''x\n", 1, "unterminated string");
	ERR("key value\n", 1, "expected '=' after a key");
	ERR("a = bare\n", 1, "strings must be quoted");
	ERR("a = 1979-05-27\n", 1, "dates and times are not supported");
	ERR("a = 07:32:00\n", 1, "dates and times are not supported");
	ERR("a = 0123\n", 1, "leading zeros");
	ERR("a = 1__0\n", 1, "'_'");
	ERR("a = _1\n", 1, "");
	ERR("a = 99999999999999999999\n", 1, "out of range");
	ERR("a = 0xfffffffffffffffff\n", 1, "out of range");
	ERR("a = 1.\n", 1, "decimal point");
	ERR("a = 1e\n", 1, "exponent");
	ERR("a = 0b102\n", 1, "invalid digit");
	ERR("a = 1 b = 2\n", 1, "expected the end of the line");
	ERR("a = [1, 2\n", 2, "expected ',' or ']'");
	ERR("a = [1 2]\n", 1, "expected ',' or ']'");
	ERR("a = {x = 1,}\n", 1, "expected a key");
	ERR("a = {x = 1\n", 1, "expected ',' or '}'");
	ERR("a = {x = 1}\n[a]\n", 2, "defined twice");
	ERR("a = {x = 1}\na.y = 2\n", 2, "inline table");
	ERR("a = [1]\n[[a]]\n", 2, "static array");
	ERR("[a]\n[[a]]\n", 2, "already a table");
	ERR("a = 1\n[a.b]\n", 2, "'a' is already a value");
	ERR("[a\nx = 1\n", 1, "expected ']' to close");
	ERR("[[a]\n", 1, "expected ']]'");
	ERR("[a] x = 1\n", 1, "expected the end of the line");
	ERR("a = \"\\u0000\"\n", 1, "\\u0000 is not allowed");
	ERR("a = \"\\uD800\"\n", 1, "not a Unicode scalar value");
	ERR("a = \"\\u12\"\n", 1, "hexadecimal digits");
	ERR("a = 1\nb = \"ctl\x01\"\n", 2, "control character U+0001");
	ERR("a = 1\r\nb = 2\rc = 3\n", 2, "carriage return");
	ERR("a = 1\nb = \"\xc3\x28\"\n", 2, "invalid UTF-8");
	ERR("a = 1\nb = \"\xed\xa0\x80\"\n", 2, "invalid UTF-8");
	ERR("a = 1\n\nb = \"\xe2\x82\"", 3, "invalid UTF-8");
	ERR("a = \"\"\"x\"\"\"\"\"\"\n", 1, "too many quotes");
	ERR("a =\n", 1, "expected a value");
	ERR("= 1\n", 1, "expected a key");
	ERR("a = truex\n", 1, "strings must be quoted");
	expect_error("a = 1\0b = 2\n", 11, 1, "control character U+0000");
}

static void test_caps(void **state)
{
	char deep[200], *big;
	size_t i, n = PG_TOML_MAX_INPUT + 1;

	/* nesting */
	strcpy(deep, "a = ");
	for (i = 0; i < 40; i++)
		strcat(deep, "[");
	ERR(deep, 1, "nested too deeply");
	/* size */
	big = malloc(n);
	assert_non_null(big);
	memset(big, '#', n);
	{
		struct pg_toml *t = NULL;
		struct pg_error err = PG_ERROR_INIT;

		assert_int_equal(pg_toml_parse(&t, big, n, "big.toml", &err), PG_ECONFIG);
		assert_non_null(strstr(err.msg, "too large"));
	}
	free(big);
	/* key parts */
	{
		char k[300] = "a";

		for (i = 0; i < 40; i++)
			strcat(k, ".b");
		strcat(k, " = 1\n");
		ERR(k, 1, "too many parts");
	}
}

/* Every prefix of a valid document either parses or fails cleanly with a
 * message naming the file and a line; never crashes or leaks (ASan). */
static void test_truncated_documents(void **state)
{
	static const char doc[] =
		"title = \"t\"\n[extend]\nuseDefault = true\n[[rules]]\nid = \"x\"\n"
		"regex = '''a{2,3}'''\nentropy = 3.5e0\nkeywords = [\"a\", 'b',]\n"
		"[[rules.allowlists]]\nregexes = [\"\"\"q\"\"\", '''r''']\ninl = { a = [1, {b = 0x1f}] }\n";

	for (size_t len = 0; len <= sizeof(doc) - 1; len++) {
		struct pg_toml *t = NULL;
		struct pg_error err = PG_ERROR_INIT;
		int rc = pg_toml_parse(&t, doc, len, "cut.toml", &err);

		if (rc == 0) {
			assert_non_null(t);
			pg_toml_free(t);
		} else {
			assert_int_equal(rc, PG_ECONFIG);
			assert_null(t);
			if (strncmp(err.msg, "cut.toml:", 9))
				fail_msg("prefix %zu: %s", len, err.msg);
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_gitleaks_shape),
		cmocka_unit_test(test_strings),
		cmocka_unit_test(test_numbers_and_booleans),
		cmocka_unit_test(test_tables_and_dotted_keys),
		cmocka_unit_test(test_errors_name_file_and_line),
		cmocka_unit_test(test_caps),
		cmocka_unit_test(test_truncated_documents),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
