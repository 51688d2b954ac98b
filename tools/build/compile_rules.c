/* Build-time helper (not installed): compiles a rules file's Hyperscan
 * prefilter database and writes it where pg_prefilter_load reads it.
 *
 *   compile_rules [--portable] RULES.toml OUT.hsdb
 *
 * --portable compiles for any CPU of the architecture (make deb), else for this
 * one (make, make install: fastest where it is built).
 * The Makefile runs it on policies/rules/default.toml; `make install` puts the
 * result beside the installed pack, so no push ever waits for this compile. */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "error.h"
#include "prefilter.h"
#include "rules.h"

int main(int argc, char **argv)
{
	struct pg_ruleset rs = PG_RULESET_INIT;
	struct pg_error err = PG_ERROR_INIT;
	size_t by_regex = 0, by_keyword = 0, always = 0;
	struct pg_prefilter *pf = NULL;
	bool portable = argc > 1 && !strcmp(argv[1], "--portable");
	int ret = 1;

	argc -= portable;
	argv += portable;
	if (argc != 3) {
		fprintf(stderr, "usage: compile_rules [--portable] RULES.toml OUT.hsdb\n");
		return 2;
	}
	if (pg_ruleset_load(&rs, argv[1], argv[1], &err) < 0 ||
	    pg_prefilter_save(&rs, argv[2], portable, &err) < 0 ||
	    pg_prefilter_load(&pf, &rs, argv[2], &err) < 0) {
		fprintf(stderr, "%s: %s\n", argv[0], err.msg);
		goto out;
	}
	pg_prefilter_stats(pf, &by_regex, &by_keyword, &always);
	printf("%s: %zu rules (%zu by regex, %zu by keyword, %zu always run), for %s\n", argv[2], rs.n,
	       by_regex, by_keyword, always, portable ? "any CPU of this architecture" : "this CPU");
	ret = 0;
out:
	pg_prefilter_free(pf);
	pg_ruleset_release(&rs);
	return ret;
}
