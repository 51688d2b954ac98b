/* pushguard check: the effective policy of a repository, each value with the
 * file it came from, and every problem with it, as the hook would find them. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "pushguard.h"

/* What the checks themselves refuse at push time: files they cannot read,
 * rules files that do not parse. Each problem is pushed onto `out`. */
static void lint_checks(struct pg_strvec *out, const pg_policy *p)
{
	struct pg_error err = PG_ERROR_INIT;

	if (pg_policy_bool(p, "pushguard.secrets.enabled", true)) {
		pg_secret_engine *e = NULL; /* rules files parse, ignore file readable */

		if (pg_secret_engine_new(&e, p, &err) < 0)
			pg_strvec_push(out, err.msg);
		pg_secret_engine_free(e);
	}
	if (pg_policy_bool(p, "pushguard.tickets.required", false)) {
		pg_tickets_config *tickets = NULL; /* token and CA files readable, URL usable, timeout in range */

		if (pg_tickets_config_open(&tickets, p, &err) < 0)
			pg_strvec_push(out, err.msg);
		pg_tickets_config_free(tickets);
	} else {
		int64_t ms; /* set for later: its range all the same */

		if (pg_tickets_timeout(&ms, p, &err) < 0)
			pg_strvec_push(out, err.msg);
	}
	if (pg_policy_bool(p, "pushguard.signatures.required", false)) {
		pg_signatures *sigs = NULL; /* key files readable and valid */

		if (pg_signatures_open(&sigs, p, &err) < 0)
			pg_strvec_push(out, err.msg);
		pg_signatures_free(sigs);
	}
}

/* A link at an audit log or metrics path (or as its directory): the hook refuses to write there. */
static void lint_link(struct pg_strvec *out, const pg_policy *p, const char *key)
{
	const char *path = pg_policy_str(p, key, NULL), *slash;
	struct pg_buf b = PG_BUF_INIT, dir = PG_BUF_INIT;
	struct stat st;

	if (!path || !*path || !(slash = strrchr(path, '/')))
		return;
	pg_buf_add(&dir, path, (size_t)(slash - path) + (slash == path));
	if (lstat(path, &st) == 0 && S_ISLNK(st.st_mode))
		pg_buf_addf(&b, "%s = '%s' in %s: it is a symbolic link, which pushguard does not follow (nothing "
			    "is written there): remove it or give the real path", key, path, pg_policy_origin(p, key));
	else if (lstat(dir.ptr, &st) == 0 && S_ISLNK(st.st_mode))
		pg_buf_addf(&b, "%s = '%s' in %s: its directory %s is a symbolic link, which pushguard does not "
			    "follow (nothing is written there): give the real path", key, path, pg_policy_origin(p, key),
			    dir.ptr);
	if (b.len)
		pg_strvec_push(out, b.ptr);
	pg_buf_release(&b);
	pg_buf_release(&dir);
}

/* Reporting problems never change a verdict: the pusher is told, the push goes on. */
static void lint_reporting(struct pg_strvec *out, const pg_policy *p, const char *git_dir)
{
	struct pg_error err = PG_ERROR_INIT;

	lint_link(out, p, "pushguard.auditLog");
	lint_link(out, p, "pushguard.metricsFile");
	if (pg_policy_str(p, "pushguard.webhook.url", NULL)) {
		pg_webhook *hook = NULL; /* URL usable, secret and token files readable, events known, limits kept */
		struct pg_strvec waiting = PG_STRVEC_INIT;
		int rc = pg_webhook_open(&hook, p, git_dir, out, &err);

		if (rc == PG_ERR)
			pg_strvec_push(out, err.msg);
		else if (rc < 0 && pg_webhook_spoolable(hook) && pg_webhook_spool_dir(hook) && out->n &&
			 pg_spool_list(&waiting, pg_webhook_spool_dir(hook), &err) == 0 && waiting.n) {
			struct pg_buf b = PG_BUF_INIT; /* said with the (last) problem: not one more */

			pg_buf_addf(&b, "%s; %zu webhook event%s wait%s in the spool %s until this is fixed (then "
				    "`pushguard flush` sends them)", out->v[out->n - 1], waiting.n, waiting.n == 1 ? "" : "s",
				    waiting.n == 1 ? "s" : "", pg_webhook_spool_dir(hook));
			if (b.len) {
				free(out->v[out->n - 1]);
				out->v[out->n - 1] = pg_buf_detach(&b);
			}
			pg_buf_release(&b);
		}
		pg_strvec_release(&waiting);
		pg_webhook_free(hook);
	}
}

/* Loads the policy of the repository at git_dir (its config file at config)
 * and lints it: invalid settings and what the checks refuse go to problems,
 * reporting problems to reporting. Returns -1 (err set) when the policy cannot
 * be loaded at all, else 0. */
static int lint_repo(pg_policy *policy, struct pg_strvec *reporting, git_repository *repo,
		     const char *git_dir, const char *config, struct pg_error *err)
{
	pg_policy_load_repo(policy, repo, config, NULL, err);
	if (err->code == PG_ERR)
		return -1;
	if (!pg_policy_problems(policy)->n) {
		lint_checks(pg_policy_problems(policy), policy);
		lint_reporting(reporting, policy, git_dir);
	}
	return 0;
}

/* Every setting of the effective policy, each with its origin. */
static void print_policy(const pg_policy *policy, const char *git_dir)
{
	const char *ref_commit, *ref = pg_policy_ref_layer(policy, &ref_commit);

	printf("# effective pushguard policy for %s\n", git_dir);
	printf("# policy: %s (%s)\n", pg_policy_name(policy) ? pg_policy_name(policy) : "default",
	       pg_policy_file(policy) ? pg_policy_file(policy) : "not found");
	if (ref)
		printf("# policy ref: %s at %s\n", ref, ref_commit);
	else if (pg_policy_str(policy, "pushguard.policyRef", NULL))
		printf("# policy ref: %s (absent: no layer)\n", pg_policy_str(policy, "pushguard.policyRef", NULL));
	for (size_t i = 0; i < pg_policy_nsettings(policy); i++) {
		const struct pg_setting *s = pg_policy_setting_at(policy, i);

		printf("%s = %s\t(%s)\n", s->key, s->value, s->origin);
	}
}

/* pushguard check [REPO]: one repository, its effective policy and problems. */
static int check_one(const char *path)
{
	struct pg_error err = PG_ERROR_INIT;
	struct pg_strvec reporting = PG_STRVEC_INIT;
	pg_policy *policy = NULL;
	git_repository *repo = NULL;
	char *config = NULL;
	int ret = 2;

	if (pg_policy_new(&policy, &err) < 0 || pg_repo_global_init(&err) < 0 || pg_repo_open(&repo, path, &err) < 0) {
		fprintf(stderr, "pushguard: %s\n", err.msg);
		goto out;
	}
	if (!(config = pg_repo_config_path(repo)))
		goto out;
	if (lint_repo(policy, &reporting, repo, git_repository_path(repo), config, &err) < 0) {
		fprintf(stderr, "pushguard: %s\n", err.msg);
		goto out;
	}
	print_policy(policy, git_repository_path(repo));
	for (size_t i = 0; i < pg_policy_problems(policy)->n; i++)
		fprintf(stderr, "error: %s\n", pg_policy_problems(policy)->v[i]);
	for (size_t i = 0; i < reporting.n; i++)
		fprintf(stderr, "error: %s\n", reporting.v[i]);
	if (pg_policy_problems(policy)->n)
		fprintf(stderr, "pushguard: %zu problem%s: pushes to this repository are refused until fixed%s\n",
			pg_policy_problems(policy)->n, pg_policy_problems(policy)->n == 1 ? "" : "s",
			pg_policy_on_error(policy) == PG_ON_ERROR_ACCEPT ? " (onError = accept: they are let through UNCHECKED)" : "");
	if (reporting.n)
		fprintf(stderr, "pushguard: %zu reporting problem%s: pushes are judged as usual, but not all of "
			"them are recorded or delivered\n", reporting.n, reporting.n == 1 ? "" : "s");
	if (pg_policy_problems(policy)->n || reporting.n) {
		ret = 1;
		goto out;
	}
	printf("# policy OK\n");
	ret = 0;
out:
	free(config);
	pg_strvec_release(&reporting);
	pg_policy_free(policy);
	git_repository_free(repo);
	git_libgit2_shutdown();
	return ret;
}

/* One repository of check --all: "PATH: OK" or "PATH: N problems" and the
 * problems. Returns its number of problems (1 if it cannot be read). */
static size_t check_fleet_repo(const char *path)
{
	struct pg_error err = PG_ERROR_INIT;
	struct pg_strvec reporting = PG_STRVEC_INIT;
	pg_policy *policy = NULL;
	git_repository *repo = NULL;
	char config[4096];
	size_t n;

	snprintf(config, sizeof(config), "%s/config", path);
	if (pg_policy_new(&policy, &err) < 0 || pg_repo_open(&repo, path, &err) < 0 ||
	    lint_repo(policy, &reporting, repo, path, config, &err) < 0) {
		printf("%s: 1 problem\n  error: %s\n", path, err.msg);
		n = 1;
		goto out;
	}
	n = pg_policy_problems(policy)->n + reporting.n;
	if (!n) {
		printf("%s: OK\n", path);
		goto out;
	}
	printf("%s: %zu problem%s%s\n", path, n, n == 1 ? "" : "s",
	       pg_policy_problems(policy)->n ? ": pushes are refused until fixed" : "");
	for (size_t i = 0; i < pg_policy_problems(policy)->n; i++)
		printf("  error: %s\n", pg_policy_problems(policy)->v[i]);
	for (size_t i = 0; i < reporting.n; i++)
		printf("  error (reporting): %s\n", reporting.v[i]);
out:
	pg_strvec_release(&reporting);
	pg_policy_free(policy);
	git_repository_free(repo);
	return n;
}

/* pushguard check --all DIR: every bare repository under DIR, a summary, exit 1
 * if any has a problem. */
static int check_all(const char *dir)
{
	struct pg_error err = PG_ERROR_INIT;
	struct pg_strvec repos = PG_STRVEC_INIT;
	size_t bad = 0, problems = 0;
	struct stat st;
	int ret = 2;

	if (stat(dir, &st) < 0 || !S_ISDIR(st.st_mode)) {
		fprintf(stderr, "pushguard: check --all %s: no such directory\n", dir);
		return 2;
	}
	if (pg_repo_global_init(&err) < 0) {
		fprintf(stderr, "pushguard: %s\n", err.msg);
		goto out;
	}
	if (pg_discover_bare_repos(&repos, dir, &err) < 0) {
		fprintf(stderr, "pushguard: %s\n", err.msg);
		goto out;
	}
	for (size_t i = 0; i < repos.n; i++) {
		size_t n = check_fleet_repo(repos.v[i]);

		if (n) {
			bad++;
			problems += n;
		}
	}
	printf("pushguard: %zu repositor%s checked: %zu OK, %zu with problems (%zu problem%s)\n",
	       repos.n, repos.n == 1 ? "y" : "ies", repos.n - bad, bad, problems, problems == 1 ? "" : "s");
	ret = bad ? 1 : 0;
out:
	pg_strvec_release(&repos);
	git_libgit2_shutdown();
	return ret;
}

int pg_cmd_check(int argc, char **argv)
{
	if (argc >= 2 && !strcmp(argv[1], "--all")) {
		if (argc != 3) {
			fputs("usage: pushguard check --all DIR\n", stderr);
			return 2;
		}
		return check_all(argv[2]);
	}
	if (argc > 2 || (argc == 2 && argv[1][0] == '-')) {
		fputs("usage: pushguard check [REPO]\n       pushguard check --all DIR\n", stderr);
		return 2;
	}
	return check_one(argc == 2 ? argv[1] : NULL);
}
