/* The labelled corpus (tests/corpus/, corpus.h) through the secret engine as
 * a push runs it, with the built-in pack: every file under refuse/ must give
 * a finding of at least medium confidence (so the default
 * pushguard.secrets.block refuses it), every file under accept/ none; the
 * masked excerpt never holds more than the first characters of a secret.
 * Both ways of choosing rules run: keywords only (small pushes) and the
 * Hyperscan prefilter (large ones). Random parts are new at every run
 * (PG_CORPUS_SEED=N repeats one). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "corpus.h"
#include "prefilter.h"
#include "rules.h"
#include "secrets.h"
#include "template.h"

#define PACK "policies/rules/default.toml"
#define CORPUS "tests/corpus"
#define ROUNDS 5

static struct pg_ruleset rs = PG_RULESET_INIT;
static struct corpus_case *cases;
static size_t ncases;

static int setup(void **state)
{
	struct pg_error err = PG_ERROR_INIT;
	const char *seed = getenv("PG_CORPUS_SEED");
	char why[512];
	uint64_t s = seed ? strtoull(seed, NULL, 10) : (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 20);

	fprintf(stderr, "# corpus seed %llu (PG_CORPUS_SEED)\n", (unsigned long long)s);
	tpl_seed(s);
	if (pg_ruleset_load(&rs, PACK, NULL, &err) < 0) {
		fprintf(stderr, "loading %s: %s\n", PACK, err.msg);
		return -1;
	}
	if (corpus_load(CORPUS, &cases, &ncases, why, sizeof(why)) < 0) {
		fprintf(stderr, "%s\n", why);
		return -1;
	}
	return 0;
}

static int teardown(void **state)
{
	corpus_free(cases, ncases);
	pg_ruleset_release(&rs);
	return 0;
}

/* The strongest finding that is not allowed (0: none); its rule in rule[]. */
static enum pg_confidence strongest(const struct pg_prefilter *pf, const char *text, size_t len,
				    const char *path, char *rule, size_t rule_len, bool *excerpt_ok)
{
	struct pg_secrets_scanner sc = PG_SECRETS_SCANNER_INIT;
	struct pg_secrets_found found = PG_SECRETS_FOUND_INIT;
	struct pg_error err = PG_ERROR_INIT;
	enum pg_confidence best = 0;

	*excerpt_ok = true;
	if (pg_secrets_scanner_init(&sc, &rs, pf, &err) < 0 ||
	    pg_secrets_scan(&sc, text, len, path, NULL, NULL, NULL, &found, &err) < 0)
		fail_msg("scanning %s: %s", path, err.msg);
	for (size_t i = 0; i < found.n; i++) {
		const struct pg_secret *x = &found.v[i];
		size_t shown = strlen(x->excerpt);

		/* the excerpt is a few characters and an ellipsis, never the secret */
		if (x->end - x->start > PG_SECRET_EXCERPT_CHARS + 4 && shown > PG_SECRET_EXCERPT_CHARS * 4 + 3)
			*excerpt_ok = false;
		if (x->allowed_by[0] || x->confidence <= best)
			continue;
		best = x->confidence;
		snprintf(rule, rule_len, "%s", x->rule->id);
	}
	pg_secrets_found_release(&found);
	pg_secrets_scanner_release(&sc);
	return best;
}

static void run(const struct pg_prefilter *pf)
{
	struct pg_buf text = PG_BUF_INIT;
	size_t bad = 0, refuse = 0, accept = 0;

	for (int round = 0; round < ROUNDS; round++) {
		for (size_t i = 0; i < ncases; i++) {
			const struct corpus_case *c = &cases[i];
			const char *why = tpl_expand_file(&text, c->content);
			char rule[80] = "";
			bool excerpt_ok;
			enum pg_confidence conf;

			if (why)
				fail_msg("%s/%s: %s", CORPUS, c->name, why);
			conf = strongest(pf, text.ptr, text.len, c->path, rule, sizeof(rule), &excerpt_ok);
			if (!excerpt_ok) {
				print_error("%s: an excerpt shows too much of a secret\n", c->name);
				bad++;
			}
			if (c->refuse && conf < PG_CONFIDENCE_MEDIUM) {
				print_error("%s (%s): not refused (round %d)%s%s\n", c->name, c->path, round,
					    conf ? ", only low confidence from " : "", rule);
				bad++;
			} else if (!c->refuse && conf >= PG_CONFIDENCE_MEDIUM) {
				print_error("%s (%s): refused by %s, confidence %s (round %d)\n", c->name, c->path,
					    rule, pg_confidence_name(conf), round);
				bad++;
			}
			refuse += c->refuse;
			accept += !c->refuse;
		}
	}
	pg_buf_release(&text);
	assert_true(refuse >= 40 * ROUNDS);
	assert_true(accept >= 25 * ROUNDS);
	if (bad)
		fail_msg("%zu corpus files decided wrong", bad);
}

static void test_corpus_keywords(void **state)
{
	run(NULL);
}

static void test_corpus_prefilter(void **state)
{
	char dir[] = "/tmp/pg-corpus-XXXXXX", cmd[128];
	struct pg_prefilter *pf = NULL;
	struct pg_error err = PG_ERROR_INIT;

	assert_non_null(mkdtemp(dir));
	if (pg_prefilter_build(&pf, &rs, dir, &err) < 0)
		fail_msg("prefilter: %s", err.msg);
	run(pf);
	pg_prefilter_free(pf);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	assert_int_equal(system(cmd), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_corpus_keywords),
		cmocka_unit_test(test_corpus_prefilter),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
