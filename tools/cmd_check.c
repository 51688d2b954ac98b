/* pushguard check: the effective policy of a repository, each value with the
 * file it came from, and every problem with it, as the hook would find them. */
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"
#include "pushguard.h"
#include "signature.h"
#include "tickets.h"
#include "webhook.h"

/* What the checks themselves refuse at push time: files they cannot read,
 * rules files that do not parse. Each problem is pushed onto `out`. */
static void lint_checks(struct pg_strvec *out, const struct pg_policy *p)
{
	struct pg_error err = PG_ERROR_INIT;

	if (pg_policy_bool(p, "pushguard.secrets.enabled", true)) {
		struct pg_secret_engine e; /* rules files parse, ignore file readable */

		if (pg_secret_engine_open(&e, p, &err) < 0)
			pg_strvec_push(out, err.msg);
		pg_secret_engine_release(&e);
	}
	if (pg_policy_bool(p, "pushguard.tickets.required", false)) {
		struct pg_tickets_config tickets; /* token and CA files readable, URL usable */

		if (pg_tickets_config_load(&tickets, p, &err) < 0)
			pg_strvec_push(out, err.msg);
		pg_tickets_config_release(&tickets);
	}
	if (pg_policy_bool(p, "pushguard.signatures.required", false)) {
		struct pg_signatures sigs = PG_SIGNATURES_INIT; /* key files readable and valid */

		if (pg_signatures_load(&sigs, p, &err) < 0 || pg_signatures_load_keys(&sigs, p, &err) < 0)
			pg_strvec_push(out, err.msg);
		pg_signatures_release(&sigs);
	}
}

/* Reporting problems never change a verdict: the pusher is told, the push goes on. */
static void lint_reporting(struct pg_strvec *out, const struct pg_policy *p, const char *git_dir)
{
	struct pg_error err = PG_ERROR_INIT;

	if (pg_policy_str(p, "pushguard.webhook.url", NULL)) {
		struct pg_webhook hook; /* secret and token files readable, events known */

		if (pg_webhook_load(&hook, p, git_dir, &err) < 0)
			pg_strvec_push(out, err.msg);
		pg_webhook_release(&hook);
	}
}

int pg_cmd_check(int argc, char **argv)
{
	struct pg_error err = PG_ERROR_INIT;
	struct pg_strvec reporting = PG_STRVEC_INIT;
	struct pg_policy policy;
	git_repository *repo = NULL;
	char *config = NULL;
	int ret = 2;

	if (argc > 2) {
		fputs("usage: pushguard check [REPO]\n", stderr);
		return 2;
	}
	pg_policy_init(&policy);
	if (pg_repo_global_init(&err) < 0 || pg_repo_open(&repo, argc == 2 ? argv[1] : NULL, &err) < 0) {
		fprintf(stderr, "pushguard: %s\n", err.msg);
		goto out;
	}
	if (!(config = pg_repo_config_path(repo)))
		goto out;
	pg_policy_load(&policy, &(struct pg_policy_paths){ NULL, NULL, config }, &err);
	if (err.code == PG_ERR) {
		fprintf(stderr, "pushguard: %s\n", err.msg);
		goto out;
	}
	printf("# effective pushguard policy for %s\n", git_repository_path(repo));
	printf("# policy: %s (%s)\n", policy.name ? policy.name : "default",
	       policy.policy_file ? policy.policy_file : "not found");
	for (size_t i = 0; i < policy.nsettings; i++) {
		const struct pg_setting *s = &policy.settings[i];

		printf("%s = %s\t(%s)\n", s->key, s->value, s->origin);
	}
	if (!policy.problems.n) {
		lint_checks(&policy.problems, &policy);
		lint_reporting(&reporting, &policy, git_repository_path(repo));
	}
	for (size_t i = 0; i < policy.problems.n; i++)
		fprintf(stderr, "error: %s\n", policy.problems.v[i]);
	for (size_t i = 0; i < reporting.n; i++)
		fprintf(stderr, "error: %s\n", reporting.v[i]);
	if (policy.problems.n)
		fprintf(stderr, "pushguard: %zu problem%s: pushes to this repository are refused until fixed%s\n",
			policy.problems.n, policy.problems.n == 1 ? "" : "s",
			policy.on_error == PG_ON_ERROR_ACCEPT ? " (onError = accept: they are let through UNCHECKED)" : "");
	if (reporting.n)
		fprintf(stderr, "pushguard: %zu reporting problem%s: pushes are judged as usual, but not all of "
			"them are recorded or delivered\n", reporting.n, reporting.n == 1 ? "" : "s");
	if (policy.problems.n || reporting.n) {
		ret = 1;
		goto out;
	}
	printf("# policy OK\n");
	ret = 0;
out:
	free(config);
	pg_strvec_release(&reporting);
	pg_policy_release(&policy);
	git_repository_free(repo);
	git_libgit2_shutdown();
	return ret;
}
