/* Unit tests for the built-in rule pack (policies/rules/default.toml).
 *
 * For every rule, tests/unit/rulepack_cases.txt holds one line
 *     id || true-positive template || false-positive template [|| path]
 * Templates (tests/unit/template.h) are expanded at run time with random
 * characters, so no credential-like literal lives in the repository.
 * Each case runs through the real engine (pg_secrets_scan) with that rule
 * alone: the true positive must be reported, not allowed, with the marked
 * text as its secret and a match holding one of the rule's keywords; the
 * false positive must not be reported (or only as allowed). A rule without a
 * case, or a case without a rule, fails the test. The whole pack, with its
 * Hyperscan prefilter, must then find every true positive too.
 * PG_RULEPACK_SEED=N changes the random seed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "prefilter.h"
#include "rules.h"
#include "secrets.h"
#include "template.h"

#define PACK "policies/rules/default.toml"
#define CASES "tests/unit/rulepack_cases.txt"
#define ITERATIONS 12
#define DEFAULT_PATH "deploy/settings.conf"

static struct pg_ruleset rs = PG_RULESET_INIT;

static int setup_pack(void **state)
{
	struct pg_error err = PG_ERROR_INIT;
	const char *seed = getenv("PG_RULEPACK_SEED");

	tpl_seed(seed ? strtoull(seed, NULL, 10) : 0x9e3779b97f4a7c15ULL);
	if (pg_ruleset_load(&rs, PACK, NULL, &err) < 0) {
		fprintf(stderr, "loading %s: %s\n", PACK, err.msg);
		return -1;
	}
	return 0;
}

static int teardown_pack(void **state)
{
	pg_ruleset_release(&rs);
	return 0;
}

struct finding {
	size_t sstart, send; /* secret */
	char rule[80];
};

/* True when some match of rule r in text[0..len) contains one of its keywords. */
static bool match_has_keyword(const struct pg_rule *r, const char *text, size_t len)
{
	size_t off = 0;

	while (off <= len) {
		struct pg_regex_span g[1];
		struct pg_error err = PG_ERROR_INIT;
		char *match;
		bool ok = false;

		if (pg_regex_find(r->regex, text, len, off, g, 1, &err) != 1)
			return false;
		match = strndup(text + g[0].start, g[0].end - g[0].start);
		assert_non_null(match);
		for (char *c = match; *c; c++)
			if (*c >= 'A' && *c <= 'Z')
				*c = (char)(*c + 32);
		for (size_t k = 0; k < r->keywords.n && !ok; k++)
			ok = strstr(match, r->keywords.v[k]) != NULL;
		free(match);
		if (ok)
			return true;
		off = g[0].end > g[0].start ? g[0].end : g[0].start + 1;
	}
	return false;
}

/* Scans text as a file at path with the rules of set (the whole pack, or a
 * view of one rule) and prefilter pf (NULL: keywords only), as a push would;
 * reports the first finding that is not allowed. */
static bool scan(const struct pg_ruleset *set, const struct pg_prefilter *pf, const char *text,
		 size_t len, const char *path, struct finding *out)
{
	struct pg_secrets_scanner sc = PG_SECRETS_SCANNER_INIT;
	struct pg_secrets_found found = PG_SECRETS_FOUND_INIT;
	struct pg_error err = PG_ERROR_INIT;
	bool hit = false;

	if (pg_secrets_scanner_init(&sc, set, pf, &err) < 0 ||
	    pg_secrets_scan(&sc, text, len, path, NULL, NULL, NULL, &found, &err) < 0)
		fail_msg("scanning: %s", err.msg);
	for (size_t i = 0; i < found.n && !hit; i++)
		if (!found.v[i].allowed_by[0] && !found.v[i].in_base64) {
			out->sstart = found.v[i].start;
			out->send = found.v[i].end;
			snprintf(out->rule, sizeof(out->rule), "%s", found.v[i].rule->id);
			hit = true;
		}
	pg_secrets_found_release(&found);
	pg_secrets_scanner_release(&sc);
	return hit;
}

/* Rule r alone, with the pack's global allowlists. */
static bool find(const struct pg_rule *r, const char *text, size_t len, const char *path,
		 struct finding *out, bool *keyword_ok)
{
	struct pg_rule copy = *r; /* shallow: the set only reads it */
	struct pg_ruleset one = { &copy, 1, rs.allowlists, rs.nallowlists, NULL, 1 };

	*keyword_ok = match_has_keyword(r, text, len);
	return scan(&one, NULL, text, len, path, out);
}

struct rcase {
	char *id, *tp, *fp, *path;
	int lineno;
	bool used;
};

static size_t load_cases(struct rcase **out)
{
	FILE *fp = fopen(CASES, "r");
	char *line = NULL;
	size_t cap = 0, n = 0;
	int lineno = 0;
	struct rcase *v = NULL;

	if (!fp)
		fail_msg("cannot open %s", CASES);
	while (getline(&line, &cap, fp) > 0) {
		char *f[4] = { NULL }, *p = line;
		int nf = 0;

		lineno++;
		line[strcspn(line, "\n")] = '\0';
		if (!line[0] || line[0] == '#')
			continue;
		while (nf < 4) {
			char *sep = strstr(p, " || ");

			f[nf++] = p;
			if (!sep)
				break;
			*sep = '\0';
			p = sep + 4;
		}
		if (nf < 3)
			fail_msg("%s:%d: expected 'id || true positive || false positive [|| path]'", CASES, lineno);
		v = realloc(v, (n + 1) * sizeof(*v));
		assert_non_null(v);
		v[n].id = strdup(f[0]);
		v[n].tp = strdup(f[1]);
		v[n].fp = strdup(f[2]);
		v[n].path = strdup(nf > 3 ? f[3] : DEFAULT_PATH);
		v[n].lineno = lineno;
		v[n].used = false;
		n++;
	}
	free(line);
	fclose(fp);
	*out = v;
	return n;
}

static void free_cases(struct rcase *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].id);
		free(v[i].tp);
		free(v[i].fp);
		free(v[i].path);
	}
	free(v);
}

static void test_pack_size_and_shape(void **state)
{
	size_t bad = 0;

	assert_true(rs.n >= 120);
	for (size_t i = 0; i < rs.n; i++) {
		const struct pg_rule *r = &rs.rules[i];
		const char *src = r->regex_src ? r->regex_src : "";
		static const char *const banned[] = { "(?=", "(?!", "(?<=", "(?<!", ".*", ".+", ")*", ")+", "]*", "]+" };

		if (!r->regex || !r->keywords.n || !r->description || !r->tags.n) {
			print_error("rule %s lacks a regex, keywords, description or tags\n", r->id);
			bad++;
		}
		for (size_t k = 0; k < r->keywords.n; k++)
			for (const char *c = r->keywords.v[k]; *c; c++)
				if (*c >= 'A' && *c <= 'Z') {
					print_error("rule %s: keyword '%s' is not lower-case\n", r->id, r->keywords.v[k]);
					bad++;
					break;
				}
		for (size_t b = 0; b < sizeof(banned) / sizeof(*banned); b++)
			if (strstr(src, banned[b])) {
				print_error("rule %s: regex uses '%s' (lookaround or unbounded repetition)\n", r->id,
					    banned[b]);
				bad++;
			}
	}
	if (bad)
		fail_msg("%zu rule shape problems", bad);
}

/* Expands a true-positive template, drawing again while the marked secret
 * falls below the rule's own entropy floor: a random draw can (26 characters
 * of [a-z0-9] with many repeats), and such a value is rightly not reported. */
static const char *expand_true_positive(struct tpl_text *g, const char *t, double entropy)
{
	const char *why = NULL;

	for (int draw = 0; draw < 20; draw++)
		if ((why = tpl_expand(g, t)) || g->sstart < 0 || entropy <= 0 ||
		    pg_rules_entropy(g->text.ptr + g->sstart, (size_t)(g->send - g->sstart)) >= entropy)
			break;
	return why;
}

static double rule_entropy(const char *id)
{
	for (size_t i = 0; i < rs.n; i++)
		if (!strcmp(rs.rules[i].id, id))
			return rs.rules[i].entropy;
	return 0;
}

static void test_every_rule_true_and_false_positive(void **state)
{
	struct rcase *cases = NULL;
	size_t ncases = load_cases(&cases), bad = 0;
	struct tpl_text g = TPL_TEXT_INIT;

	for (size_t i = 0; i < rs.n; i++) {
		const struct pg_rule *r = &rs.rules[i];
		struct rcase *c = NULL;

		for (size_t j = 0; j < ncases; j++)
			if (!strcmp(cases[j].id, r->id)) {
				if (c) {
					print_error("%s:%d: second case for rule %s\n", CASES, cases[j].lineno, r->id);
					bad++;
				}
				c = &cases[j];
			}
		if (!c) {
			print_error("rule %s has no case in %s\n", r->id, CASES);
			bad++;
			continue;
		}
		c->used = true;
		for (int it = 0; it < ITERATIONS; it++) {
			struct finding f;
			bool kw;
			const char *why;

			why = expand_true_positive(&g, c->tp, r->entropy);
			if (why) {
				print_error("%s:%d: %s\n", CASES, c->lineno, why);
				bad++;
				break;
			}
			if (!find(r, g.text.ptr, g.text.len, c->path, &f, &kw)) {
				print_error("rule %s: true positive not found (iteration %d)\n", r->id, it);
				bad++;
				break;
			}
			if (!kw) {
				print_error("rule %s: the match contains none of the rule's keywords\n", r->id);
				bad++;
				break;
			}
			if (g.sstart >= 0 && (f.sstart != (size_t)g.sstart || f.send != (size_t)g.send)) {
				print_error("rule %s: secret is [%zu,%zu), want [%ld,%ld) (iteration %d)\n", r->id, f.sstart,
					    f.send, g.sstart, g.send, it);
				bad++;
				break;
			}
			if ((why = tpl_expand(&g, c->fp))) {
				print_error("%s:%d: %s\n", CASES, c->lineno, why);
				bad++;
				break;
			}
			if (find(r, g.text.ptr, g.text.len, c->path, &f, &kw)) {
				print_error("rule %s: false positive reported (iteration %d)\n", r->id, it);
				bad++;
				break;
			}
		}
	}
	for (size_t j = 0; j < ncases; j++)
		if (!cases[j].used) {
			print_error("%s:%d: case for unknown rule '%s'\n", CASES, cases[j].lineno, cases[j].id);
			bad++;
		}
	tpl_text_release(&g);
	free_cases(cases, ncases);
	if (bad)
		fail_msg("%zu rule pack problems", bad);
}

/* Values that look like credentials but are placeholders, checksums, ids or
 * public keys: no rule may report them once allowlists apply. */
static void test_placeholders_pass(void **state)
{
	static const char *const templates[] = {
		"api_key = \"xxxxxxxxxxxxxxxxxxxxxxxxxxxx\"",
		"API_TOKEN=XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX",
		"github_token: ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
		"password: $\\{DB_PASSWORD\\}",
		"export SECRET_KEY=\"$\\{SECRET_KEY\\}\"",
		"DATABASE_URL=postgres://app:$\\{DB_PASSWORD\\}@db.internal:5432/app",
		"token: \\{\\{ .Values.apiToken \\}\\}",
		"password: \"\\{\\{ .Values.db.password \\}\\}\"",
		"client_secret = \\{\\{ client_secret \\}\\}",
		"password = \"changeme\"",
		"DB_PASSWORD=changeme",
		"mysql://root:changeme@localhost/db",
		"aws_access_key_id = AKIA" "IOSFODNN7" "EXAMPLE",
		"aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCY" "EXAMPLEKEY",
		"\"integrity\": \"sha512-{Aa0+/:86}==\",",
		"integrity sha512-{Aa0+/:86}==",
		"commit {h:40}",
		"secret_revision = \"{h:40}\"",
		"token_sha = {h:40}",
		"request_token: {uuid}",
		"\"client_secret\": \"{uuid}\"",
		"id = \"{uuid}\"",
		"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI{Aa0+/:43} alice@host",
		"authorized_key: \"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI{Aa0+/:43} alice@host\"",
		"public_key = ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQ{Aa0+/:300} bob@host",
		"password = process.env.DB_PASSWORD",
		"token = settings.api.token_value",
		"\"password\": \"<your password here>\"",
		"https://user:password@git.internal/repo.git",
	};
	struct tpl_text g = TPL_TEXT_INIT;
	size_t bad = 0;

	for (size_t t = 0; t < sizeof(templates) / sizeof(*templates); t++) {
		for (int it = 0; it < 4; it++) {
			const char *why = tpl_expand(&g, templates[t]);
			struct finding f;

			assert_null(why);
			if (scan(&rs, NULL, g.text.ptr, g.text.len, DEFAULT_PATH, &f)) {
				print_error("rule %s reports placeholder line %zu (\"%.*s\")\n", f.rule, t,
					    (int)(f.send - f.sstart) > 6 ? 6 : (int)(f.send - f.sstart),
					    g.text.ptr + f.sstart);
				bad++;
			}
		}
	}
	tpl_text_release(&g);
	if (bad)
		fail_msg("%zu placeholder findings", bad);
}

/* The whole pack behind its Hyperscan prefilter (as large pushes run it) finds
 * every true positive: some rule reports the marked secret. */
static void test_pack_with_prefilter_finds_every_case(void **state)
{
	char dir[] = "/tmp/pg-rulepack-XXXXXX";
	struct pg_prefilter *pf = NULL;
	struct pg_error err = PG_ERROR_INIT;
	struct rcase *cases = NULL;
	size_t ncases, bad = 0;
	struct tpl_text g = TPL_TEXT_INIT;

	assert_non_null(mkdtemp(dir));
	if (pg_prefilter_build(&pf, &rs, dir, &err) < 0)
		fail_msg("prefilter: %s", err.msg);
	ncases = load_cases(&cases);
	for (size_t j = 0; j < ncases; j++) {
		struct finding f;

		assert_null(expand_true_positive(&g, cases[j].tp, rule_entropy(cases[j].id)));
		if (!scan(&rs, pf, g.text.ptr, g.text.len, cases[j].path, &f) ||
		    (g.sstart >= 0 && (f.send <= (size_t)g.sstart || f.sstart >= (size_t)g.send))) {
			print_error("%s:%d: rule %s: true positive not found by the whole pack\n", CASES,
				    cases[j].lineno, cases[j].id);
			bad++;
		}
	}
	tpl_text_release(&g);
	free_cases(cases, ncases);
	pg_prefilter_free(pf);
	{
		char cmd[128];

		snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
		assert_int_equal(system(cmd), 0);
	}
	if (bad)
		fail_msg("%zu true positives missed by the whole pack", bad);
}

/* The generator itself: a broken template must be noticed. */
static void test_template_errors(void **state)
{
	struct tpl_text g = TPL_TEXT_INIT;

	assert_null(tpl_expand(&g, "a{h:4}b"));
	assert_int_equal(g.text.len, 6);
	assert_null(tpl_expand(&g, "x<<{[ab]:3}>>y"));
	assert_int_equal(g.sstart, 1);
	assert_int_equal(g.send, 4);
	assert_non_null(tpl_expand(&g, "{h4}"));
	assert_non_null(tpl_expand(&g, "<<abc"));
	assert_non_null(tpl_expand(&g, "{h:4"));
	tpl_text_release(&g);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_template_errors),
		cmocka_unit_test(test_pack_size_and_shape),
		cmocka_unit_test(test_every_rule_true_and_false_positive),
		cmocka_unit_test(test_placeholders_pass),
		cmocka_unit_test(test_pack_with_prefilter_finds_every_case),
	};

	return cmocka_run_group_tests(tests, setup_pack, teardown_pack);
}
