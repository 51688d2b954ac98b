/* pushguard: the admin's command line. A user of libpushguard only. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "build-config.h"
#include "pushguard.h"

static void usage(FILE *fp)
{
	fputs("usage: pushguard <command> [args]\n"
	      "\n"
	      "  check [REPO]     print the repository's effective policy, each value with\n"
	      "                   the file it came from, and report every invalid key or value\n"
	      "  version          print the version\n"
	      "  help [config]    this text, or every configuration key\n"
	      "\n"
	      "REPO defaults to $GIT_DIR or the current directory.\n"
	      "The hooks are pushguard-pre-receive and pushguard-update; install them with install.sh.\n",
	      fp);
}

static int cmd_help_config(void)
{
	const struct pg_key_def *k;

	for (size_t i = 0; (k = pg_policy_key(i)); i++)
		printf("%-42s %s\n", k->name, k->help);
	return 0;
}

static int cmd_check(int argc, char **argv)
{
	struct pg_error err = PG_ERROR_INIT;
	struct pg_policy policy;
	git_repository *repo = NULL;
	char *config = NULL;
	const char *path = NULL;
	int ret = 2;

	if (argc > 2) {
		fputs("usage: pushguard check [REPO]\n", stderr);
		return 2;
	}
	if (argc == 2)
		path = argv[1];
	pg_policy_init(&policy);
	if (pg_repo_global_init(&err) < 0 || pg_repo_open(&repo, path, &err) < 0) {
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
	if (policy.problems.n) {
		for (size_t i = 0; i < policy.problems.n; i++)
			fprintf(stderr, "error: %s\n", policy.problems.v[i]);
		fprintf(stderr, "pushguard: %zu problem%s: pushes to this repository are refused until fixed%s\n",
			policy.problems.n, policy.problems.n == 1 ? "" : "s",
			policy.on_error == PG_ON_ERROR_ACCEPT ? " (onError = accept: they are let through UNCHECKED)" : "");
		ret = 1;
		goto out;
	}
	printf("# policy OK\n");
	ret = 0;
out:
	free(config);
	pg_policy_release(&policy);
	git_repository_free(repo);
	git_libgit2_shutdown();
	return ret;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	if (!strcmp(argv[1], "check"))
		return cmd_check(argc - 1, argv + 1);
	if (!strcmp(argv[1], "version") || !strcmp(argv[1], "--version")) {
		printf("pushguard %s\n", PG_VERSION);
		return 0;
	}
	if (!strcmp(argv[1], "help") || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		if (argc > 2 && !strcmp(argv[2], "config"))
			return cmd_help_config();
		usage(stdout);
		return 0;
	}
	fprintf(stderr, "pushguard: unknown command '%s'\n\n", argv[1]);
	usage(stderr);
	return 2;
}
