/* What a loaded rule set decides at match time: a rule's window, a secret's
 * entropy, whether an allowlist (a rule's own or a global one) allows a
 * finding. Loading is in rules.c; the declarations in rules.h. */
#include "rules.h"

#include <math.h>
#include <stdlib.h>
#include <stdbool.h>
#include <string.h>
#include <strings.h>

bool pg_rule_windowed(const struct pg_rule *r)
{
	return r->value_check != PG_VALUE_CHECK_NONE && r->regex && r->keywords.n > 0;
}

double pg_rules_entropy(const char *s, size_t len)
{
	size_t count[256] = { 0 };
	double h = 0;

	if (!len)
		return 0;
	for (size_t i = 0; i < len; i++)
		count[(unsigned char)s[i]]++;
	for (int c = 0; c < 256; c++) {
		if (count[c]) {
			double p = (double)count[c] / (double)len;

			h -= p * log2(p);
		}
	}
	return h;
}

static bool any_regex(struct pg_regex *const *re, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (pg_regex_match(re[i], s, strlen(s), NULL) == 1)
			return true;
	return false;
}

static bool has_stopword(const struct pg_strvec *sw, const char *secret)
{
	size_t len = strlen(secret);
	char small[256], *low = len < sizeof(small) ? small : malloc(len + 1);
	bool hit = false;

	if (!low)
		return false;
	for (size_t i = 0; i <= len; i++)
		low[i] = (secret[i] >= 'A' && secret[i] <= 'Z') ? (char)(secret[i] + 32) : secret[i];
	for (size_t i = 0; i < sw->n && !hit; i++)
		hit = strstr(low, sw->v[i]) != NULL;
	if (low != small)
		free(low);
	return hit;
}

static bool commit_listed(const struct pg_strvec *commits, const char *commit)
{
	for (size_t i = 0; i < commits->n; i++)
		if (!strncasecmp(commits->v[i], commit, strlen(commits->v[i])))
			return true;
	return false;
}

bool pg_allowlist_allows(const struct pg_allowlist *al, const char *commit, const char *path,
			 const char *secret, const char *match, const char *line)
{
	return pg_allowlist_allows_ex(al, commit, path, secret, match, line, true);
}

bool pg_allowlist_allows_ex(const struct pg_allowlist *al, const char *commit, const char *path,
			    const char *secret, const char *match, const char *line, bool stopwords)
{
	int checks = 0, hits = 0;

	if (al->commits.n) {
		checks++;
		hits += commit && commit_listed(&al->commits, commit);
	}
	if (al->npaths) {
		checks++;
		hits += path && any_regex(al->paths, al->npaths, path);
	}
	if (al->nregexes) {
		const char *t = al->regex_target == PG_TARGET_LINE ? line
			      : al->regex_target == PG_TARGET_MATCH ? match : secret;

		checks++;
		hits += t && any_regex(al->regexes, al->nregexes, t);
	}
	if (al->stopwords.n && stopwords) {
		checks++;
		hits += secret && has_stopword(&al->stopwords, secret);
	}
	return al->match_all ? checks > 0 && hits == checks : hits > 0;
}

bool pg_ruleset_allows(const struct pg_ruleset *rs, const struct pg_rule *rule, const char *commit,
		       const char *path, const char *secret, const char *match, const char *line)
{
	for (size_t i = 0; rule && i < rule->nallowlists; i++)
		if (pg_allowlist_allows(&rule->allowlists[i], commit, path, secret, match, line))
			return true;
	for (size_t i = 0; i < rs->nallowlists; i++)
		if (pg_allowlist_allows(&rs->allowlists[i], commit, path, secret, match, line))
			return true;
	return false;
}
