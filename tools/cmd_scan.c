/* pushguard scan: audit a repository's existing history with its policy's
 * secret rules, like `gitleaks git`, before enforcing them on pushes. */
#include <errno.h>
#include <getopt.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "pushguard.h"

/* Objects git fsck would refuse are read as git reads them and scanned like
 * any other; the admin is told about them, but they are not secrets. */
static void note_one(const struct pg_bad_object *b, void *arg)
{
	size_t *shown = arg;
	char *path = b->path ? pg_render_safe_dup(b->path[0] ? b->path : "the top directory") : NULL;
	char *what = pg_render_safe_dup(b->what); /* names from the objects: no control characters */

	fprintf(stderr, "pushguard scan: note: malformed %s %s%s%s%s: %s\n", b->type, b->hex, path ? " (" : "",
		path ? path : "", path ? ")" : "", what ? what : "");
	free(path);
	free(what);
	(*shown)++;
}

static void note_malformed(const pg_walk *w)
{
	size_t shown = 0, total = pg_walk_each_malformed(w, 20, note_one, &shown);

	if (total > shown)
		fprintf(stderr, "pushguard scan: note: %zu more malformed objects\n", total - shown);
	if (total)
		fprintf(stderr, "pushguard scan: note: they were scanned as git reads them (git fsck lists them)\n");
}

static void usage(FILE *fp)
{
	fputs("usage: pushguard scan [--format text|json|sarif] [--output FILE] [--range A..B] [--jobs N] [REPO]\n"
	      "Scans every commit reachable from the repository's refs (or the range), and the\n"
	      "trees and blobs refs name directly, for credentials, with the repository's\n"
	      "pushguard.secrets.* policy: file contents, commit messages, the paths commits add,\n"
	      "and (without --range) ref names and annotated tag messages; on N threads (default:\n"
	      "every core). On a terminal, progress is shown on standard error.\n"
	      "Exit status: 0 clean, 1 findings, 2 error.\n", fp);
}

/* Progress on a terminal: a line on standard error, rewritten twice a
 * second from what the walk and the engine count; nothing when standard
 * error is not a terminal. */
struct progress {
	const pg_walk *walk;
	const pg_secret_engine *engine;
	pthread_t th;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	bool stop, started, shown;
};

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void progress_line(struct progress *p)
{
	size_t listed = pg_walk_listed(p->walk);
	struct pg_scan_progress sp;
	size_t blobs, done;
	uint64_t bytes, bdone;
	static double scan_t0;

	pg_secret_engine_progress(p->engine, &sp);
	blobs = sp.blobs;
	done = sp.blobs_done;
	bytes = sp.bytes;
	bdone = sp.bytes_done;

	if (!blobs) {
		fprintf(stderr, "\rpushguard scan: %zu commits walked\033[K", listed);
	} else {
		double t = now_s(), mib = (double)bdone / (1 << 20), rate;

		if (scan_t0 == 0)
			scan_t0 = t;
		rate = t > scan_t0 ? mib / (t - scan_t0) : 0;
		fprintf(stderr, "\rpushguard scan: %zu commits walked, %zu/%zu blobs, %.1f/%.1f MiB",
			listed, done, blobs, mib, (double)bytes / (1 << 20));
		if (rate > 0 && bytes >= bdone) {
			long eta = (long)((double)(bytes - bdone) / (1 << 20) / rate + 0.5);

			fprintf(stderr, ", %.1f MiB/s, ETA %ld:%02ld", rate, eta / 60, eta % 60);
		}
		fputs("\033[K", stderr);
	}
	fflush(stderr);
	p->shown = true;
}

static void *progress_thread(void *arg)
{
	struct progress *p = arg;

	pthread_mutex_lock(&p->lock);
	while (!p->stop) {
		struct timespec until;

		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_nsec += 500000000L;
		if (until.tv_nsec >= 1000000000L) {
			until.tv_sec++;
			until.tv_nsec -= 1000000000L;
		}
		if (pthread_cond_timedwait(&p->cond, &p->lock, &until) != 0 && !p->stop)
			progress_line(p);
	}
	if (p->shown) /* the summary and notes start on a clean line */
		fputs("\r\033[K", stderr);
	pthread_mutex_unlock(&p->lock);
	return NULL;
}

static void progress_start(struct progress *p, const pg_walk *walk, const pg_secret_engine *engine)
{
	*p = (struct progress){ .walk = walk, .engine = engine };
	pthread_mutex_init(&p->lock, NULL);
	pthread_cond_init(&p->cond, NULL);
	if (isatty(STDERR_FILENO) && pthread_create(&p->th, NULL, progress_thread, p) == 0)
		p->started = true;
}

static void progress_stop(struct progress *p)
{
	if (p->started) {
		pthread_mutex_lock(&p->lock);
		p->stop = true;
		pthread_cond_signal(&p->cond);
		pthread_mutex_unlock(&p->lock);
		pthread_join(p->th, NULL);
		p->started = false;
	}
	pthread_cond_destroy(&p->cond);
	pthread_mutex_destroy(&p->lock);
}

int pg_cmd_scan(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "output", required_argument, NULL, 'o' },
		{ "range", required_argument, NULL, 'r' },
		{ "jobs", required_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct pg_error err = PG_ERROR_INIT;
	pg_policy *policy = NULL;
	pg_secret_engine *engine = NULL;
	pg_walk *walk = NULL;
	struct pg_scan_stats stats;
	struct pg_findings findings = PG_FINDINGS_INIT;
	git_repository *repo = NULL;
	const char *output = NULL, *range = NULL;
	int format = PG_REPORT_TEXT, c, ret = 2;
	char *config = NULL, *end;
	FILE *out = stdout;
	long jobs = 0;
	struct progress progress;
	bool progress_on = false;

	optind = 1;
	while ((c = getopt_long(argc, argv, "f:o:r:j:h", opts, NULL)) != -1) {
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
		case 'j':
			errno = 0;
			jobs = strtol(optarg, &end, 10);
			if (errno || end == optarg || *end || jobs < 1 || jobs > 1024) {
				fprintf(stderr, "pushguard scan: --jobs wants a number of threads, 1 or more, not '%s'\n",
					optarg);
				return 2;
			}
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
	if (pg_policy_new(&policy, &err) < 0 || pg_walk_new(&walk, &err) < 0 || pg_repo_global_init(&err) < 0)
		goto fail;
	if (pg_repo_open(&repo, optind < argc ? argv[optind] : NULL, &err) < 0)
		goto fail;
	if (!(config = pg_repo_config_path(repo))) {
		pg_error_oom(&err);
		goto fail;
	}
	if (pg_policy_load_repo(policy, repo, config, NULL, &err) < 0)
		goto fail;
	if (!pg_policy_bool(policy, "pushguard.secrets.enabled", true)) {
		pg_error_set(&err, PG_ECONFIG, "pushguard.secrets.enabled is false for this repository");
		goto fail;
	}
	if (pg_secret_engine_new(&engine, policy, &err) < 0)
		goto fail;
	pg_secret_engine_set_repo_path(engine, optind < argc ? argv[optind] : NULL); /* worker threads open their own */
	pg_secret_engine_set_jobs(engine, (size_t)jobs);
	pg_walk_set_jobs(walk, (size_t)jobs);
	progress_start(&progress, walk, engine);
	progress_on = true;
	if (pg_walk_history(walk, repo, range, &err) < 0)
		goto fail;
	/* The walk holds ids and strings, no libgit2 object: a fresh handle lets
	 * the pack windows and trees the walk read go before the blobs are read. */
	git_repository_free(repo);
	repo = NULL;
	if (pg_repo_open(&repo, optind < argc ? argv[optind] : NULL, &err) < 0 ||
	    pg_secret_engine_scan_history(engine, repo, walk, !range, &findings, &err) < 0)
		goto fail;
	progress_stop(&progress);
	progress_on = false;
	note_malformed(walk);
	if (output && !(out = fopen(output, "w"))) {
		pg_error_set(&err, PG_ERR, "cannot write %s: %s", output, strerror(errno));
		goto fail;
	}
	if (pg_report_write(out, format, &findings, pg_secret_engine_rules(engine), &err) < 0)
		goto fail;
	pg_secret_engine_stats(engine, &stats);
	fprintf(stderr, "pushguard scan: %zu commits, %zu blobs (%.1f MiB) scanned, %zu binary read for tokens and "
		"keys, %zu over maxBlobSize skipped, %zu findings\n", pg_walk_ncommits(walk), stats.scanned,
		(double)stats.scanned_bytes / (1 << 20), stats.skipped_binary, stats.skipped_large,
		pg_findings_count_blocking(&findings));
	ret = pg_findings_count_blocking(&findings) ? 1 : 0;
	goto out;
fail:
	if (progress_on)
		progress_stop(&progress);
	progress_on = false;
	fprintf(stderr, "pushguard scan: %s\n", err.msg);
	ret = 2;
out:
	if (out && out != stdout && fclose(out) != 0 && ret != 2) {
		fprintf(stderr, "pushguard scan: cannot write %s\n", output);
		ret = 2;
	}
	free(config);
	pg_findings_release(&findings);
	pg_walk_free(walk);
	pg_secret_engine_free(engine);
	pg_policy_free(policy);
	git_repository_free(repo);
	git_libgit2_shutdown();
	return ret;
}
