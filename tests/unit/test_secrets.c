/* Unit tests for lib/secrets.c and lib/prefilter.c: one blob scanned with a
 * small rules file written at test time. Credential-looking values are built
 * from random characters at run time. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "prefilter.h"
#include "rules.h"
#include "secrets.h"

static const char RULES[] =
	"[[rules]]\n"
	"id = \"acme-token\"\n"
	"description = \"ACME API token\"\n"
	"regex = '''acme_[a-z0-9]{24}'''\n"
	"keywords = [\"acme_\"]\n"
	"\n"
	"[[rules]]\n"
	"id = \"generic-password\"\n"
	"description = \"Password assignment\"\n"
	"regex = '''(?i)password\\s*[:=]\\s*\"([^\"\\s]{8,64})\"'''\n"
	"secretGroup = 1\n"
	"entropy = 3.0\n"
	"keywords = [\"password\"]\n"
	"[[rules.allowlists]]\n"
	"description = \"examples\"\n"
	"regexes = ['''^example''']\n"
	"\n"
	"[[rules]]\n"
	"id = \"keystore-file\"\n"
	"description = \"Java keystore\"\n"
	"path = '''\\.jks$'''\n"
	"\n"
	"[[allowlists]]\n"
	"description = \"placeholders\"\n"
	"stopwords = [\"placeholder\"]\n";

struct fx {
	char dir[64];
	char rules_path[128];
	struct pg_ruleset rs;
	struct pg_prefilter *pf;
	struct pg_secrets_scanner sc;
	struct pg_secrets_found found;
	struct pg_error err;
};

static void rand_chars(char *out, size_t n, const char *set)
{
	size_t k = strlen(set);

	for (size_t i = 0; i < n; i++)
		out[i] = set[(size_t)rand() % k];
	out[n] = '\0';
}

static void acme_token(char *out) /* "acme_" + 24 random */
{
	memcpy(out, "acme_", 5);
	rand_chars(out + 5, 24, "abcdefghijklmnopqrstuvwxyz0123456789");
}

static int setup(void **state)
{
	struct fx *fx = calloc(1, sizeof(*fx));
	FILE *fp;

	if (!fx)
		return -1;
	srand((unsigned)getpid());
	strcpy(fx->dir, "/tmp/pg-secrets-XXXXXX");
	if (!mkdtemp(fx->dir))
		return -1;
	snprintf(fx->rules_path, sizeof(fx->rules_path), "%s/rules.toml", fx->dir);
	if (!(fp = fopen(fx->rules_path, "w")))
		return -1;
	fputs(RULES, fp);
	fclose(fp);
	fx->rs = (struct pg_ruleset)PG_RULESET_INIT;
	if (pg_ruleset_load(&fx->rs, fx->rules_path, fx->rules_path, &fx->err) < 0) {
		fprintf(stderr, "%s\n", fx->err.msg);
		return -1;
	}
	if (pg_prefilter_build(&fx->pf, &fx->rs, fx->dir, &fx->err) < 0 ||
	    pg_secrets_scanner_init(&fx->sc, &fx->rs, fx->pf, &fx->err) < 0)
		return -1;
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fx *fx = *state;
	char cmd[128];

	pg_secrets_found_release(&fx->found);
	pg_secrets_scanner_release(&fx->sc);
	pg_prefilter_free(fx->pf);
	pg_ruleset_release(&fx->rs);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", fx->dir);
	if (system(cmd) != 0)
		return -1;
	free(fx);
	return 0;
}

static size_t scan(struct fx *fx, const char *text, const char *path, pg_secrets_line_filter *filter,
		   void *payload)
{
	pg_secrets_found_release(&fx->found);
	assert_int_equal(pg_secrets_scan(&fx->sc, text, strlen(text), path, "c0ffee", filter, payload,
					 &fx->found, &fx->err), PG_OK);
	return fx->found.n;
}

static void test_token_found_with_line_and_masked_excerpt(void **state)
{
	struct fx *fx = *state;
	char tok[64], text[256];

	acme_token(tok);
	snprintf(text, sizeof(text), "line one\nline two\nkey = \"%s\"\n", tok);
	assert_int_equal(scan(fx, text, "src/a.c", NULL, NULL), 1);
	assert_string_equal(fx->found.v[0].rule->id, "acme-token");
	assert_int_equal(fx->found.v[0].line, 3);
	assert_string_equal(fx->found.v[0].excerpt, "acme\u2026");
	assert_null(strstr(fx->found.v[0].excerpt, tok + 5));
	assert_string_equal(fx->found.v[0].allowed_by, "");
}

/* Line numbers wherever the newlines fall (the line index reads 16 bytes at a
 * time): lines of every length from 0 to 40 before the token, and a last line
 * without a newline. */
static void test_line_numbers_across_block_edges(void **state)
{
	struct fx *fx = *state;
	char tok[64], text[4096];

	acme_token(tok);
	for (int width = 0; width <= 40; width++)
		for (int lines = 1; lines <= 7; lines++) {
			size_t n = 0;

			for (int l = 0; l < lines; l++) {
				memset(text + n, 'x', (size_t)width);
				n += (size_t)width;
				text[n++] = '\n';
			}
			n += (size_t)snprintf(text + n, sizeof(text) - n, "key = \"%s\"%s", tok, width % 2 ? "\n" : "");
			assert_true(n < sizeof(text));
			assert_int_equal(scan(fx, text, "src/a.c", NULL, NULL), 1);
			assert_int_equal(fx->found.v[0].line, lines + 1);
		}
}

static void test_ordinary_text_has_nothing(void **state)
{
	struct fx *fx = *state;

	assert_int_equal(scan(fx, "int main(void) { return acme_init(); }\n", "main.c", NULL, NULL), 0);
}

static void test_secret_group_and_entropy(void **state)
{
	struct fx *fx = *state;
	char pw[32], text[128];

	rand_chars(pw, 20, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789");
	snprintf(text, sizeof(text), "password = \"%s\"\n", pw);
	assert_int_equal(scan(fx, text, "cfg.py", NULL, NULL), 1);
	assert_string_equal(fx->found.v[0].rule->id, "generic-password");
	assert_int_equal(strncmp(fx->found.v[0].excerpt, pw, 4), 0); /* the group, not "pass" */
	/* low entropy: not a secret */
	assert_int_equal(scan(fx, "password = \"aaaaaaaaaaaa\"\n", "cfg.py", NULL, NULL), 0);
}

static void test_rule_allowlist_records_allowed(void **state)
{
	struct fx *fx = *state;

	assert_int_equal(scan(fx, "password = \"exampleQx7Zp2Lm\"\n", "cfg.py", NULL, NULL), 1);
	assert_non_null(strstr(fx->found.v[0].allowed_by, "allowlist of rule generic-password"));
}

static void test_global_stopword_and_inline_allow(void **state)
{
	struct fx *fx = *state;
	char tok[64], text[256];

	assert_int_equal(scan(fx, "password = \"placeholderXy7Q\"\n", "cfg.py", NULL, NULL), 1);
	assert_non_null(strstr(fx->found.v[0].allowed_by, "global allowlist: placeholders"));
	acme_token(tok);
	snprintf(text, sizeof(text), "t = \"%s\" # pushguard:allow\nu = \"%s\" // gitleaks:allow\n", tok, tok);
	assert_int_equal(scan(fx, text, "a.py", NULL, NULL), 2);
	assert_non_null(strstr(fx->found.v[0].allowed_by, "pushguard:allow"));
	assert_non_null(strstr(fx->found.v[1].allowed_by, "pushguard:allow"));
}

static int only_line_two(void *payload, const char *line, size_t len, struct pg_error *err)
{
	(*(int *)payload)++;
	return len >= 4 && !strncmp(line, "two ", 4);
}

static void test_line_filter_limits_to_added_lines(void **state)
{
	struct fx *fx = *state;
	char a[64], b[64], text[256];
	int calls = 0;

	acme_token(a);
	acme_token(b);
	snprintf(text, sizeof(text), "one %s\ntwo %s\nthree\n", a, b);
	assert_int_equal(scan(fx, text, "x", only_line_two, &calls), 1);
	assert_int_equal(fx->found.v[0].line, 2);
	assert_int_equal(calls, 2); /* asked only about lines with a candidate */
	calls = 0;
	assert_int_equal(scan(fx, "nothing to see\nhere\n", "x", only_line_two, &calls), 0);
	assert_int_equal(calls, 0);
}

static void test_base64_value_decoded_one_level(void **state)
{
	struct fx *fx = *state;
	static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	char tok[64], plain[128], enc[256], text[512];
	size_t n, o = 0;

	acme_token(tok);
	n = (size_t)snprintf(plain, sizeof(plain), "api_key: %s", tok);
	for (size_t i = 0; i < n; i += 3) {
		unsigned v = (unsigned)(unsigned char)plain[i] << 16;

		v |= i + 1 < n ? (unsigned)(unsigned char)plain[i + 1] << 8 : 0;
		v |= i + 2 < n ? (unsigned)(unsigned char)plain[i + 2] : 0;
		enc[o++] = b64[(v >> 18) & 63];
		enc[o++] = b64[(v >> 12) & 63];
		enc[o++] = i + 1 < n ? b64[(v >> 6) & 63] : '=';
		enc[o++] = i + 2 < n ? b64[v & 63] : '=';
	}
	enc[o] = '\0';
	snprintf(text, sizeof(text), "kind: Secret\ndata:\n  key: %s\n", enc);
	assert_int_equal(scan(fx, text, "secret.yaml", NULL, NULL), 1);
	assert_true(fx->found.v[0].in_base64);
	assert_int_equal(fx->found.v[0].line, 3);
	assert_string_equal(fx->found.v[0].rule->id, "acme-token");
}

static void test_path_only_rule(void **state)
{
	struct fx *fx = *state;

	assert_int_equal(scan(fx, "\x01\x02 binary-ish", "certs/app.jks", NULL, NULL), 1);
	assert_string_equal(fx->found.v[0].rule->id, "keystore-file");
	assert_int_equal(fx->found.v[0].line, 0);
	assert_int_equal(scan(fx, "text", "certs/app.txt", NULL, NULL), 0);
}

static void test_keywords_gate_the_rule(void **state)
{
	struct fx *fx = *state;

	/* the regex would match, but the rule's keyword is absent */
	assert_int_equal(scan(fx, "PASSWD = \"Zq8vLm2Xp9Rt\"\n", "x", NULL, NULL), 0);
}

static void test_prefilter_cached_and_reused(void **state)
{
	struct fx *fx = *state;
	struct pg_prefilter *again = NULL;
	size_t by_regex, by_kw, always, n = 0;
	char cmd[160];
	FILE *p;

	pg_prefilter_stats(fx->pf, &by_regex, &by_kw, &always);
	assert_int_equal(by_regex + by_kw + always, fx->rs.n);
	assert_int_equal(always, 1); /* the path-only rule */
	snprintf(cmd, sizeof(cmd), "ls '%s' | grep -c '\\.hsdb$'", fx->dir);
	p = popen(cmd, "r");
	assert_non_null(p);
	assert_int_equal(fscanf(p, "%zu", &n), 1);
	pclose(p);
	assert_int_equal(n, 1);
	assert_int_equal(pg_prefilter_build(&again, &fx->rs, fx->dir, &fx->err), PG_OK);
	pg_prefilter_free(again);
}

static void rewrite_byte(const char *path, long off, int delta)
{
	FILE *fp = fopen(path, "r+b");
	int c;

	assert_non_null(fp);
	assert_int_equal(fseek(fp, off, SEEK_SET), 0);
	c = fgetc(fp);
	assert_int_not_equal(c, EOF);
	assert_int_equal(fseek(fp, off, SEEK_SET), 0);
	assert_int_not_equal(fputc((c + delta) & 0xff, fp), EOF);
	assert_int_equal(fclose(fp), 0);
}

/* the built-in pack's database is compiled at build time and loaded, never compiled, by a
 * hook; a file from other rules, another Hyperscan version or an unsafe owner is refused */
static void test_precompiled_database(void **state)
{
	struct fx *fx = *state;
	struct pg_prefilter *pf = NULL;
	struct pg_secrets_scanner sc;
	struct pg_ruleset other = PG_RULESET_INIT;
	char db[160], rules2[160], tok[64], text[128], cmd[400];
	long head = 6 + 64 + 1 + (long)fx->rs.n; /* magic, digest, newline, a byte per rule */
	FILE *fp;

	snprintf(db, sizeof(db), "%s/default.hsdb", fx->dir);
	/* for this CPU (make install), then for any (make deb) */
	assert_int_equal(pg_prefilter_save(&fx->rs, db, false, &fx->err), PG_OK);
	assert_int_equal(pg_prefilter_load(&pf, &fx->rs, db, &fx->err), PG_OK);
	pg_prefilter_free(pf);
	assert_int_equal(pg_prefilter_save(&fx->rs, db, true, &fx->err), PG_OK);
	assert_int_equal(pg_prefilter_load(&pf, &fx->rs, db, &fx->err), PG_OK);
	assert_int_equal(pg_prefilter_source(pf), PG_PREFILTER_SHIPPED);
	assert_int_equal(pg_prefilter_source(fx->pf), PG_PREFILTER_COMPILED);
	/* it finds what the freshly compiled one finds */
	assert_int_equal(pg_secrets_scanner_init(&sc, &fx->rs, pf, &fx->err), PG_OK);
	acme_token(tok);
	snprintf(text, sizeof(text), "key = \"%s\"\n", tok);
	pg_secrets_found_release(&fx->found);
	assert_int_equal(pg_secrets_scan(&sc, text, strlen(text), "a.c", "c0ffee", NULL, NULL,
					 &fx->found, &fx->err), PG_OK);
	assert_int_equal(fx->found.n, 1);
	assert_string_equal(fx->found.v[0].rule->id, "acme-token");
	pg_secrets_scanner_release(&sc);
	pg_prefilter_free(pf);
	pf = NULL;

	/* compiled from other rules (an edited pack): refused */
	snprintf(rules2, sizeof(rules2), "%s/other.toml", fx->dir);
	assert_non_null(fp = fopen(rules2, "w"));
	fputs(RULES, fp);
	fputs("\n# edited\n", fp);
	fclose(fp);
	assert_int_equal(pg_ruleset_load(&other, rules2, rules2, &fx->err), PG_OK);
	assert_int_equal(pg_prefilter_load(&pf, &other, db, &fx->err), PG_ERR);
	assert_null(pf);
	assert_non_null(strstr(fx->err.msg, "compiled from other rules"));
	pg_ruleset_release(&other);

	/* writable by others: refused */
	assert_int_equal(chmod(db, 0666), 0);
	assert_int_equal(pg_prefilter_load(&pf, &fx->rs, db, &fx->err), PG_ERR);
	assert_non_null(strstr(fx->err.msg, "writable by no one else"));
	assert_int_equal(chmod(db, 0644), 0);

	/* Hyperscan's header says another release (the u32 version: patch level in byte 1) */
	rewrite_byte(db, head + 4 + 1, 1);
	assert_int_equal(pg_prefilter_load(&pf, &fx->rs, db, &fx->err), PG_ERR);
	assert_null(pf);
	assert_non_null(strstr(fx->err.msg, "was compiled by Hyperscan"));
	rewrite_byte(db, head + 4 + 1, -1);

	/* damaged bytecode (the CRC fails) */
	rewrite_byte(db, head + 64, 1);
	assert_int_equal(pg_prefilter_load(&pf, &fx->rs, db, &fx->err), PG_ERR);
	assert_null(pf);
	assert_non_null(strstr(fx->err.msg, "damaged"));

	/* missing */
	snprintf(cmd, sizeof(cmd), "%s/none.hsdb", fx->dir);
	assert_int_equal(pg_prefilter_load(&pf, &fx->rs, cmd, &fx->err), PG_ERR);
	assert_non_null(strstr(fx->err.msg, "cannot open"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_token_found_with_line_and_masked_excerpt),
		cmocka_unit_test(test_line_numbers_across_block_edges),
		cmocka_unit_test(test_ordinary_text_has_nothing),
		cmocka_unit_test(test_secret_group_and_entropy),
		cmocka_unit_test(test_rule_allowlist_records_allowed),
		cmocka_unit_test(test_global_stopword_and_inline_allow),
		cmocka_unit_test(test_line_filter_limits_to_added_lines),
		cmocka_unit_test(test_base64_value_decoded_one_level),
		cmocka_unit_test(test_path_only_rule),
		cmocka_unit_test(test_keywords_gate_the_rule),
		cmocka_unit_test(test_prefilter_cached_and_reused),
		cmocka_unit_test(test_precompiled_database),
	};

	return cmocka_run_group_tests_name("secrets", tests, setup, teardown);
}
