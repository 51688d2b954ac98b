/* pushguard flush [REPO]: deliver the webhook events waiting in REPO's spool
 * now (for cron or a systemd timer). Exit 0 when nothing is left pending,
 * 1 when some events are still undelivered, 2 on a configuration error (a bad
 * pushguard.webhook setting: named with its fix, and how many events wait
 * for it in the spool; none is delivered or dropped). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "pushguard.h"

static void print_safe(FILE *fp, const char *s)
{
	struct pg_buf b = PG_BUF_INIT;

	pg_render_safe(&b, s ? s : "");
	fputs(pg_buf_failed(&b) ? "(out of memory)" : b.ptr, fp);
	pg_buf_release(&b);
}

int pg_cmd_flush(int argc, char **argv)
{
	struct pg_error err = PG_ERROR_INIT;
	pg_policy *policy = NULL;
	pg_webhook *w = NULL;
	struct pg_sender_stats st = PG_SENDER_STATS_INIT;
	struct pg_strvec problems = PG_STRVEC_INIT, waiting = PG_STRVEC_INIT;
	git_repository *repo = NULL;
	char *config = NULL, *git_dir = NULL;
	int rc, ret = 2;

	if (argc > 2 || (argc == 2 && argv[1][0] == '-')) {
		fputs("usage: pushguard flush [REPO]\n", stderr);
		return 2;
	}
	if (pg_policy_new(&policy, &err) < 0 || pg_repo_global_init(&err) < 0 ||
	    pg_repo_open(&repo, argc == 2 ? argv[1] : NULL, &err) < 0)
		goto fail;
	if (!(config = pg_repo_config_path(repo)) || !(git_dir = realpath(git_repository_path(repo), NULL))) {
		pg_error_oom(&err);
		goto fail;
	}
	if (pg_policy_load_repo(policy, repo, config, NULL, &err) < 0)
		goto fail;
	if ((rc = pg_webhook_open(&w, policy, git_dir, &problems, &err)) == PG_ERR)
		goto fail;
	if (!pg_webhook_url(w)) {
		printf("pushguard: %s: no pushguard.webhook.url, nothing to deliver\n", git_dir);
		ret = 0;
		goto out;
	}
	if (rc < 0) {
		/* nothing is delivered with a bad setting (an unsigned event, say), nothing is dropped */
		for (size_t i = 0; i < problems.n; i++) {
			fputs("pushguard: ", stderr);
			print_safe(stderr, problems.v[i]);
			fputc('\n', stderr);
		}
		if (pg_spool_list(&waiting, pg_webhook_spool_dir(w), &err) < 0)
			goto fail;
		printf("pushguard: %s: delivered 0, still pending %zu: the webhook event%s wait%s in %s until "
		       "the setting above is fixed; run pushguard flush again then\n", git_dir, waiting.n,
		       waiting.n == 1 ? "" : "s", waiting.n == 1 ? "s" : "", pg_webhook_spool_dir(w));
		ret = 2;
		goto out;
	}
	if (pg_sender_run(&st, w, NULL, true, &err) < 0)
		goto fail;
	for (size_t i = 0; i < st.problems.n; i++) {
		fputs("pushguard: not delivered: ", stderr);
		print_safe(stderr, st.problems.v[i]);
		fputc('\n', stderr);
	}
	printf("pushguard: %s: delivered %zu, still pending %zu", git_dir, st.delivered,
	       st.failed + st.untried + st.busy);
	if (st.untried)
		printf(" (%zu not tried: the endpoint had just failed)", st.untried);
	if (st.busy)
		printf(" (%zu being delivered by another sender)", st.busy);
	if (st.dropped)
		printf(", dropped %zu (410 Gone or unreadable)", st.dropped);
	if (st.other)
		printf(", %zu addressed to another URL left alone", st.other);
	if (st.rewritten)
		printf(", %zu rewritten without the URL's credentials", st.rewritten);
	printf("\n");
	ret = st.failed || st.untried ? 1 : 0;
	goto out;
fail:
	fputs("pushguard: ", stderr);
	print_safe(stderr, err.msg);
	fputc('\n', stderr);
out:
	pg_sender_stats_release(&st);
	pg_strvec_release(&problems);
	pg_strvec_release(&waiting);
	pg_webhook_free(w);
	pg_policy_free(policy);
	free(config);
	free(git_dir);
	git_repository_free(repo);
	git_libgit2_shutdown();
	return ret;
}
