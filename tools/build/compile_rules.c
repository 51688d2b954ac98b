/* Build-time helper (not installed): what loading a rules file produces,
 * made once at build time and written where the hooks read it.
 *
 *   compile_rules [--portable] RULES.toml OUT.hsdb
 *   compile_rules --snapshot RULES.toml OUT.snap
 *
 * The first compiles the file's Hyperscan prefilter database (prefilter.h);
 * --portable compiles for any CPU of the architecture (make deb), else for
 * this one (make, make install: fastest where it is built). The second writes
 * the loaded rules' snapshot (rules_snapshot.h). The Makefile runs both on
 * policies/rules/default.toml; `make install` puts the results beside the
 * installed pack, so no push ever waits for the compile or parses the pack. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "atomic_file.h"
#include "error.h"
#include "prefilter.h"
#include "rules.h"
#include "rules_snapshot.h"

static int read_all(const char *path, struct pg_buf *out, struct pg_error *err)
{
	FILE *fp = fopen(path, "rb");
	char chunk[65536];
	size_t n;
	int bad;

	if (!fp)
		return pg_error_set(err, PG_ERR, "cannot open %s", path);
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		pg_buf_add(out, chunk, n);
	bad = ferror(fp);
	fclose(fp);
	if (bad)
		return pg_error_set(err, PG_ERR, "cannot read %s", path);
	return pg_buf_failed(out) ? pg_error_oom(err) : 0;
}

/* The pack's snapshot: the pack read once and loaded from those bytes (so
 * always parsed, never from a snapshot already beside it), written as
 * prefilter.c writes the database, after it reads back into as many rules. */
static int snapshot(const char *toml_path, const char *out, struct pg_error *err)
{
	struct pg_buf toml = PG_BUF_INIT, snap = PG_BUF_INIT;
	struct pg_ruleset rs = PG_RULESET_INIT, back = PG_RULESET_INIT;
	int ret;

	if ((ret = read_all(toml_path, &toml, err)) < 0 ||
	    (ret = pg_ruleset_load_buffer(&rs, toml_path, toml.ptr, toml.len, toml_path, err)) < 0 ||
	    (ret = pg_rules_snapshot_write(&snap, &rs, toml_path, toml.ptr, toml.len, err)) < 0)
		goto out;
	if ((ret = pg_rules_snapshot_read(&back, toml_path, toml.ptr, toml.len, snap.ptr, snap.len, err)) != 1 ||
	    back.n != rs.n || back.nallowlists != rs.nallowlists) {
		ret = ret < 0 ? ret : pg_error_set(err, PG_ERR, "%s: the snapshot does not read back", out);
		goto out;
	}
	if ((ret = pg_atomic_file_write(out, snap.ptr, snap.len, 0644, "the rules snapshot", err)) == 0)
		printf("%s: %zu rules, %zu bytes\n", out, rs.n, snap.len);
out:
	pg_ruleset_release(&back);
	pg_ruleset_release(&rs);
	pg_buf_release(&snap);
	pg_buf_release(&toml);
	return ret;
}

int main(int argc, char **argv)
{
	struct pg_ruleset rs = PG_RULESET_INIT;
	struct pg_error err = PG_ERROR_INIT;
	size_t by_regex = 0, by_keyword = 0, always = 0;
	struct pg_prefilter *pf = NULL;
	bool portable = argc > 1 && !strcmp(argv[1], "--portable");
	bool snap = argc > 1 && !strcmp(argv[1], "--snapshot");
	int ret = 1;

	argc -= portable || snap;
	argv += portable || snap;
	if (argc != 3) {
		fprintf(stderr, "usage: compile_rules [--portable] RULES.toml OUT.hsdb\n"
				"       compile_rules --snapshot RULES.toml OUT.snap\n");
		return 2;
	}
	if (snap) {
		if (snapshot(argv[1], argv[2], &err) < 0)
			goto fail;
		ret = 0;
		goto out;
	}
	if (pg_ruleset_load(&rs, argv[1], argv[1], &err) < 0)
		goto fail;
	if (pg_prefilter_save(&rs, argv[2], portable, &err) < 0 || pg_prefilter_load(&pf, &rs, argv[2], &err) < 0)
		goto fail;
	pg_prefilter_stats(pf, &by_regex, &by_keyword, &always);
	printf("%s: %zu rules (%zu by regex, %zu by keyword, %zu always run), for %s\n", argv[2], rs.n,
	       by_regex, by_keyword, always, portable ? "any CPU of this architecture" : "this CPU");
	ret = 0;
	goto out;
fail:
	fprintf(stderr, "%s: %s\n", argv[0], err.msg);
out:
	pg_prefilter_free(pf);
	pg_ruleset_release(&rs);
	return ret;
}
