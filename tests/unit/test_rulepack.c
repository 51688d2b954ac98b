/* Unit tests for the built-in rule pack (policies/rules/default.toml).
 *
 * For every rule, tests/unit/rulepack_cases.txt holds one line
 *     id || true-positive template || false-positive template [|| path]
 * Templates are expanded at run time with random characters, so no
 * credential-like literal lives in the repository:
 *     {SPEC:N}   N random characters from SPEC: A = A-Z, a = a-z, 0 = 0-9,
 *                h = 0-9a-f, H = 0-9A-F, 7 = 2-7, any other character stands
 *                for itself; {[chars]:N} draws from exactly those characters
 *     {uuid}     a random lower-case UUID
 *     << >>      mark the secret the rule must report (true positive only)
 *     \n \t \{ \} \< \> \\   escapes
 * Each true positive must produce a finding (regex, secretGroup, entropy,
 * allowlists) whose secret is the marked text and whose match contains one of
 * the rule's keywords; each false positive must produce none. A rule without a
 * case, or a case without a rule, fails the test. PG_RULEPACK_SEED=N changes
 * the random seed. */
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
#include "rules.h"

#define PACK "policies/rules/default.toml"
#define CASES "tests/unit/rulepack_cases.txt"
#define ITERATIONS 12
#define DEFAULT_PATH "deploy/settings.conf"

static struct pg_ruleset rs = PG_RULESET_INIT;
static uint64_t rng_state;

static uint64_t rnd(void)
{
	uint64_t x = rng_state;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return rng_state = x;
}

static int setup_pack(void **state)
{
	struct pg_error err = PG_ERROR_INIT;
	const char *seed = getenv("PG_RULEPACK_SEED");

	rng_state = seed ? strtoull(seed, NULL, 10) : 0x9e3779b97f4a7c15ULL;
	if (!rng_state)
		rng_state = 1;
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

struct gen {
	struct pg_buf text;
	long sstart, send; /* the marked secret, -1 when unmarked */
};

/* Expands a template; returns NULL or a description of what is wrong with it. */
static const char *expand(struct gen *g, const char *t)
{
	pg_buf_reset(&g->text);
	g->sstart = g->send = -1;
	while (*t) {
		if (t[0] == '<' && t[1] == '<') {
			g->sstart = (long)g->text.len;
			t += 2;
		} else if (t[0] == '>' && t[1] == '>') {
			g->send = (long)g->text.len;
			t += 2;
		} else if (*t == '\\') {
			char c = t[1];

			if (!c)
				return "trailing backslash";
			pg_buf_addch(&g->text, c == 'n' ? '\n' : c == 't' ? '\t' : c);
			t += 2;
		} else if (*t == '{') {
			const char *close = strchr(t, '}');
			char set[256];
			size_t nset = 0;
			long n;
			const char *colon;

			if (!close)
				return "unterminated {";
			if (!strncmp(t, "{uuid}", 6)) {
				static const int groups[] = { 8, 4, 4, 4, 12 };

				for (int i = 0; i < 5; i++) {
					if (i)
						pg_buf_addch(&g->text, '-');
					for (int j = 0; j < groups[i]; j++)
						pg_buf_addch(&g->text, "0123456789abcdef"[rnd() % 16]);
				}
				t += 6;
				continue;
			}
			if (t[1] == '[') {
				const char *e = strchr(t + 2, ']');

				if (!e || e[1] != ':')
					return "bad {[set]:N}";
				for (const char *p = t + 2; p < e && nset < sizeof(set); p++)
					set[nset++] = *p;
				colon = e + 1;
				close = strchr(colon, '}');
			} else {
				colon = NULL;
				for (const char *p = close; p > t; p--)
					if (*p == ':') {
						colon = p;
						break;
					}
				if (!colon)
					return "missing :N in {SPEC:N}";
				for (const char *p = t + 1; p < colon; p++) {
					const char *add = *p == 'A' ? "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
							: *p == 'a' ? "abcdefghijklmnopqrstuvwxyz"
							: *p == '0' ? "0123456789"
							: *p == 'h' ? "0123456789abcdef"
							: *p == 'H' ? "0123456789ABCDEF"
							: *p == '7' ? "234567" : NULL;
					if (add) {
						for (; *add && nset < sizeof(set); add++)
							set[nset++] = *add;
					} else if (nset < sizeof(set)) {
						set[nset++] = *p;
					}
				}
			}
			n = strtol(colon + 1, NULL, 10);
			if (!nset || n <= 0 || n > 4096)
				return "bad {SPEC:N}";
			for (long i = 0; i < n; i++)
				pg_buf_addch(&g->text, set[rnd() % nset]);
			t = close + 1;
		} else {
			pg_buf_addch(&g->text, *t++);
		}
	}
	if ((g->sstart < 0) != (g->send < 0) || g->send < g->sstart)
		return "unbalanced << >>";
	return NULL;
}

struct finding {
	size_t start, end;   /* match */
	size_t sstart, send; /* secret */
};

/* Runs one rule over text as the engine does: regex, secret group, entropy,
 * rule and global allowlists. Reports the first finding, if any. */
static bool find(const struct pg_rule *r, const char *text, size_t len, const char *path,
		 struct finding *out, bool *keyword_ok)
{
	size_t off = 0;

	*keyword_ok = false;
	if (r->path && pg_regex_match(r->path, path, strlen(path), NULL) != 1)
		return false;
	while (off <= len) {
		struct pg_regex_span g[16], sp, sec;
		struct pg_error err = PG_ERROR_INIT;
		char *secret, *match, *line;
		size_t ls, le;
		bool allowed;
		int rc = pg_regex_find(r->regex, text, len, off, g, 16, &err);

		if (rc < 0)
			fail_msg("rule %s: %s", r->id, err.msg);
		if (rc == 0)
			return false;
		sp = sec = g[0];
		if (r->secret_group > 0) { /* as gitleaks: the group, or else the first non-empty group */
			if (r->secret_group < 16 && g[r->secret_group].start != PG_REGEX_UNSET)
				sec = g[r->secret_group];
		} else {
			for (int i = 1; i < 16; i++)
				if (g[i].start != PG_REGEX_UNSET && g[i].end > g[i].start) {
					sec = g[i];
					break;
				}
		}
		off = sp.end > sp.start ? sp.end : sp.start + 1;
		for (ls = sp.start; ls > 0 && text[ls - 1] != '\n'; ls--)
			;
		for (le = sp.start; le < len && text[le] != '\n'; le++)
			;
		secret = strndup(text + sec.start, sec.end - sec.start);
		match = strndup(text + sp.start, sp.end - sp.start);
		line = strndup(text + ls, le - ls);
		assert_non_null(secret);
		assert_non_null(match);
		assert_non_null(line);
		for (char *c = match; *c; c++)
			if (*c >= 'A' && *c <= 'Z')
				*c = (char)(*c + 32);
		for (size_t k = 0; k < r->keywords.n; k++)
			if (strstr(match, r->keywords.v[k]))
				*keyword_ok = true;
		allowed = (r->entropy > 0 && pg_rules_entropy(secret, strlen(secret)) < r->entropy) ||
			  pg_ruleset_allows(&rs, r, NULL, path, secret, match, line);
		free(secret);
		free(match);
		free(line);
		if (!allowed) {
			out->start = sp.start;
			out->end = sp.end;
			out->sstart = sec.start;
			out->send = sec.end;
			return true;
		}
	}
	return false;
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

static void test_every_rule_true_and_false_positive(void **state)
{
	struct rcase *cases = NULL;
	size_t ncases = load_cases(&cases), bad = 0;
	struct gen g = { PG_BUF_INIT, -1, -1 };

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

			if ((why = expand(&g, c->tp))) {
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
			if ((why = expand(&g, c->fp))) {
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
	pg_buf_release(&g.text);
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
	struct gen g = { PG_BUF_INIT, -1, -1 };
	size_t bad = 0;

	for (size_t t = 0; t < sizeof(templates) / sizeof(*templates); t++) {
		for (int it = 0; it < 4; it++) {
			const char *why = expand(&g, templates[t]);

			assert_null(why);
			for (size_t i = 0; i < rs.n; i++) {
				struct finding f;
				bool kw;

				if (find(&rs.rules[i], g.text.ptr, g.text.len, DEFAULT_PATH, &f, &kw)) {
					print_error("rule %s reports placeholder line %zu (\"%.*s\")\n", rs.rules[i].id, t,
						    (int)(f.send - f.sstart) > 6 ? 6 : (int)(f.send - f.sstart),
						    g.text.ptr + f.sstart);
					bad++;
				}
			}
		}
	}
	pg_buf_release(&g.text);
	if (bad)
		fail_msg("%zu placeholder findings", bad);
}

/* The generator itself: a broken template must be noticed. */
static void test_template_errors(void **state)
{
	struct gen g = { PG_BUF_INIT, -1, -1 };

	assert_null(expand(&g, "a{h:4}b"));
	assert_int_equal(g.text.len, 6);
	assert_null(expand(&g, "x<<{[ab]:3}>>y"));
	assert_int_equal(g.sstart, 1);
	assert_int_equal(g.send, 4);
	assert_non_null(expand(&g, "{h4}"));
	assert_non_null(expand(&g, "<<abc"));
	assert_non_null(expand(&g, "{h:4"));
	pg_buf_release(&g.text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_template_errors),
		cmocka_unit_test(test_pack_size_and_shape),
		cmocka_unit_test(test_every_rule_true_and_false_positive),
		cmocka_unit_test(test_placeholders_pass),
	};

	return cmocka_run_group_tests(tests, setup_pack, teardown_pack);
}
