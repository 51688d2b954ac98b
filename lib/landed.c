#include "landed.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "chain.h"
#include "check_secrets.h"
#include "clock.h"
#include "error.h"
#include "policy.h"
#include "policy_ref.h"
#include "push.h"
#include "record.h"
#include "render.h"
#include "repo.h"

static void warn(const char *msg)
{
	struct pg_buf line = PG_BUF_INIT;

	pg_buf_adds(&line, "pushguard: warning: ");
	pg_render_safe(&line, msg);
	pg_buf_adds(&line, " (post-receive: the push has landed)");
	pg_render_write(stderr, line.ptr, NULL);
	pg_buf_release(&line);
}

/* The record names the refs: a secret in a name is masked there as in the
 * decision's record (check_secrets.h); a failure is a warning. */
static void mask_ref_names(const struct pg_push *push, const struct pg_policy *policy)
{
	struct pg_secret_engine e;
	struct pg_error err = PG_ERROR_INIT;

	if (!pg_policy_bool(policy, "pushguard.secrets.enabled", true))
		return;
	if (pg_secret_engine_open(&e, policy, &err) < 0 || pg_secret_engine_scan_refs(&e, push, NULL, &err) < 0)
		warn(err.msg);
	pg_secret_engine_release(&e);
}

/* Records push.landed; every problem becomes a warning. */
static void record_landed(const struct pg_push *push, int64_t start_ms)
{
	struct pg_error err = PG_ERROR_INIT;
	struct pg_strvec problems = PG_STRVEC_INIT;
	struct pg_policy policy;
	struct pg_verdict verdict = { false, NULL, false, false, start_ms };
	git_repository *repo = NULL;
	char *config = NULL;
	int rc;

	pg_policy_init(&policy);
	if (pg_repo_global_init(&err) < 0 || pg_repo_open(&repo, NULL, &err) < 0)
		goto fail;
	if (!(config = pg_repo_config_path(repo))) {
		pg_error_oom(&err);
		goto fail;
	}
	/* a bad setting elsewhere does not stop the record: the valid ones still say where it goes */
	rc = pg_policy_load_repo(&policy, repo, config, NULL, &err);
	if (rc == PG_ERR)
		goto fail;
	if (!pg_record_configured(&policy))
		goto out;
	mask_ref_names(push, &policy);
	pg_record(&problems, &(struct pg_record_input){ "post-receive", push, &policy, NULL, NULL, &verdict, repo,
							NULL, NULL, true });
	for (size_t i = 0; i < problems.n; i++)
		warn(problems.v[i]);
	goto out;
fail:
	warn(err.msg);
out:
	pg_strvec_release(&problems);
	pg_policy_release(&policy);
	free(config);
	git_repository_free(repo);
	git_libgit2_shutdown();
}

int pg_landed_main(int argc, char **argv)
{
	struct pg_push push = PG_PUSH_INIT;
	struct pg_error err = PG_ERROR_INIT;
	const char *chain_dir = NULL;
	char *failed = NULL;
	int64_t start_ms = pg_clock_ms();
	int i, rc, status = 0;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--chain") && i + 1 < argc)
			chain_dir = argv[++i];
		else
			break;
	}
	if (i != argc) {
		fputs("usage: pushguard-post-receive [--chain DIR]   (ref updates on stdin)\n", stderr);
		return 1;
	}
	signal(SIGPIPE, SIG_IGN);
	if (pg_push_read(&push, stdin, &err) < 0 || pg_push_read_env(&push, &err) < 0)
		warn(err.msg); /* nothing recorded; the chained hooks still get what git sent */
	else if (push.nupdates)
		record_landed(&push, start_ms);
	rc = pg_chain_run_all(&failed, chain_dir, NULL, 0, push.raw_input.ptr, push.raw_input.len, &err);
	if (rc < 0) {
		warn(err.msg);
		status = 1;
	} else if (rc > 0) {
		struct pg_buf line = PG_BUF_INIT;

		pg_buf_adds(&line, "pushguard: the chained post-receive hook ");
		pg_render_safe(&line, failed);
		pg_buf_adds(&line, " failed (the push has landed)");
		pg_render_write(stderr, line.ptr, NULL);
		pg_buf_release(&line);
		status = 1;
	}
	free(failed);
	pg_push_release(&push);
	return status;
}
