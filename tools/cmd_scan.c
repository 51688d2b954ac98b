/* pushguard scan: audit a repository's existing history with its policy's
 * secret rules, like `gitleaks git`, before enforcing them on pushes. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "pushguard.h"

/* Objects git fsck would refuse are read as git reads them and scanned like
 * any other; the admin is told about them, but they are not secrets. */
static void note_one(const struct pg_bad_object *b)
{
	char *path = b->path ? pg_render_safe_dup(b->path[0] ? b->path : "the top directory") : NULL;
	char *what = pg_render_safe_dup(b->what); /* names from the objects: no control characters */

	fprintf(stderr, "pushguard scan: note: malformed %s %s%s%s%s: %s\n", b->type, b->hex, path ? " (" : "",
		path ? path : "", path ? ")" : "", what ? what : "");
	free(path);
	free(what);
}

static void note_malformed(const struct pg_walk *w)
{
	size_t shown = 0, total = w->nbad_tags;

	for (size_t i = 0; i < w->nbad_tags && shown < 20; i++, shown++)
		note_one(&w->bad_tags[i]);
	for (size_t i = 0; i < w->n; i++) {
		const struct pg_commit *c = &w->commits[i];

		total += c->nbad + c->nbad_dropped;
		for (size_t j = 0; j < c->nbad && shown < 20; j++, shown++)
			note_one(&c->bad[j]);
	}
	if (total > shown)
		fprintf(stderr, "pushguard scan: note: %zu more malformed objects\n", total - shown);
	if (total)
		fprintf(stderr, "pushguard scan: note: they were scanned as git reads them (git fsck lists them)\n");
}

static void usage(FILE *fp)
{
	fputs("usage: pushguard scan [--format text|json|sarif] [--output FILE] [--range A..B] [REPO]\n"
	      "Scans every commit reachable from the repository's refs (or the range), and the\n"
	      "trees and blobs refs name directly, for credentials, with the repository's\n"
	      "pushguard.secrets.* policy.\n"
	      "Exit status: 0 clean, 1 findings, 2 error.\n", fp);
}

int pg_cmd_scan(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "output", required_argument, NULL, 'o' },
		{ "range", required_argument, NULL, 'r' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct pg_error err = PG_ERROR_INIT;
	struct pg_policy policy;
	struct pg_secret_engine engine;
	struct pg_walk walk = PG_WALK_INIT;
	struct pg_findings findings = PG_FINDINGS_INIT;
	git_repository *repo = NULL;
	const char *output = NULL, *range = NULL;
	int format = PG_REPORT_TEXT, c, ret = 2;
	char *config = NULL;
	FILE *out = stdout;

	pg_policy_init(&policy);
	memset(&engine, 0, sizeof(engine));
	optind = 1;
	while ((c = getopt_long(argc, argv, "f:o:r:h", opts, NULL)) != -1) {
		switch (c) {
		case 'f':
			if ((format = pg_report_format_parse(optarg)) < 0) {
				fprintf(stderr, "pushguard scan: unknown format '%s' (text, json or sarif)\n", optarg);
				return 2;
			}
			break;
		case 'o':
			output = optarg;
			break;
		case 'r':
			range = optarg;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (argc - optind > 1) {
		usage(stderr);
		return 2;
	}
	if (pg_repo_global_init(&err) < 0)
		goto fail;
	/* Blobs are read from the packs directly (packread.h), in pack order:
	 * libgit2's object cache only serves the walk (commits and trees). */
	git_libgit2_opts(GIT_OPT_SET_CACHE_MAX_SIZE, (ssize_t)16 << 20);
	if (pg_repo_open(&repo, optind < argc ? argv[optind] : NULL, &err) < 0)
		goto fail;
	if (!(config = pg_repo_config_path(repo))) {
		pg_error_set(&err, PG_ERR, "out of memory");
		goto fail;
	}
	if (pg_policy_load(&policy, &(struct pg_policy_paths){ NULL, NULL, config }, &err) < 0)
		goto fail;
	if (!pg_policy_bool(&policy, "pushguard.secrets.enabled", true)) {
		pg_error_set(&err, PG_ECONFIG, "pushguard.secrets.enabled is false for this repository");
		goto fail;
	}
	if (pg_secret_engine_open(&engine, &policy, &err) < 0)
		goto fail;
	engine.repo_path = optind < argc ? argv[optind] : NULL; /* worker threads open their own */
	if (pg_walk_history(&walk, repo, range, &err) < 0 ||
	    pg_secret_engine_scan(&engine, repo, &walk, NULL, &findings, &err) < 0)
		goto fail;
	note_malformed(&walk);
	if (output && !(out = fopen(output, "w"))) {
		pg_error_set(&err, PG_ERR, "cannot write %s: %s", output, strerror(errno));
		goto fail;
	}
	if (pg_report_write(out, format, &findings, &engine.rules, &err) < 0)
		goto fail;
	fprintf(stderr, "pushguard scan: %zu commits, %zu blobs (%.1f MiB) scanned, %zu binary and %zu over "
		"maxBlobSize skipped, %zu findings\n", walk.n, engine.scanned,
		(double)engine.scanned_bytes / (1 << 20), engine.skipped_binary, engine.skipped_large,
		pg_findings_count_blocking(&findings));
	ret = pg_findings_count_blocking(&findings) ? 1 : 0;
	goto out;
fail:
	fprintf(stderr, "pushguard scan: %s\n", err.msg);
	ret = 2;
out:
	if (out && out != stdout && fclose(out) != 0 && ret != 2) {
		fprintf(stderr, "pushguard scan: cannot write %s\n", output);
		ret = 2;
	}
	free(config);
	pg_findings_release(&findings);
	pg_walk_release(&walk);
	pg_secret_engine_release(&engine);
	pg_policy_release(&policy);
	git_repository_free(repo);
	git_libgit2_shutdown();
	return ret;
}
