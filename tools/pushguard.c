/* pushguard: the admin's command line. A user of libpushguard only. */
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "pushguard.h"

/* The version, and the libgit2 that reads pushed objects: linked in (make's
 * default) or the shared library's file. A libgit2 linked in is the one the
 * build found, so a libgit2 security update needs pushguard rebuilt; this
 * line says which applies. */
static void print_version(void)
{
	int major = 0, minor = 0, rev = 0;
	Dl_info info;
	const char *where = "linked in";

	git_libgit2_version(&major, &minor, &rev);
	if (dladdr((void *)git_libgit2_version, &info) && info.dli_fname && strstr(info.dli_fname, "libgit2"))
		where = info.dli_fname;
	printf("pushguard %s\nlibgit2 %d.%d.%d (%s)\n", pg_version(), major, minor, rev, where);
}

static void usage(FILE *fp)
{
	fputs("usage: pushguard <command> [args]\n"
	      "\n"
	      "  check [REPO]     print the repository's effective policy, each value with\n"
	      "                   the file it came from, and report every invalid key or value\n"
	      "  check --all DIR  lint every bare repository under DIR: one line each (OK or\n"
	      "                   N problems) and the problems, a summary; exit 1 if any has one\n"
	      "  scan [--format text|json|sarif] [--output FILE] [--range A..B] [REPO]\n"
	      "                   scan the repository's history for credentials (exit 1: findings)\n"
	      "  verify [REPO] [REV...]  each commit's signature verdict in git's terms\n"
	      "                   (G B U X Y R E N) against the trusted keys; exit 0 all good\n"
	      "  flush [REPO]     deliver the webhook events waiting in the spool now\n"
	      "                   (exit 1: some are still undelivered)\n"
	      "  install [--server TYPE] [--hook HOOK] [--policy NAME] [--fsck-objects] [--all DIR]\n"
	      "          [--global DIR] [--gitolite-local DIR] [--dry-run] [--prefix DIR] REPO...\n"
	      "                   install the server hooks into each bare REPO (created when it\n"
	      "                   does not exist), chaining the hooks already there (pushguard-install(1))\n"
	      "  uninstall [--hook HOOK] [--server TYPE] [--all DIR] [--global DIR]\n"
	      "          [--gitolite-local DIR] [--dry-run] REPO...\n"
	      "                   remove them, putting back the hooks they displaced\n"
	      "  report [--html FILE] [--since DATE] AUDITLOG...\n"
	      "                   summarise audit logs as text, or as a self-contained HTML page\n"
	      "  client install [--remote NAME] [--ref REF] [--pre-commit] [--pre-push]\n"
	      "                   in a developer's clone: fetch the remote's policy ref into\n"
	      "                   refs/pushguard/policy and install git hooks that check before\n"
	      "                   a commit or a push (default --pre-push); existing hooks keep running\n"
	      "  pre-push REMOTE [URL]  (the pre-push hook) check what a push sends with the\n"
	      "                   server's policy before anything is sent (exit 1: refused)\n"
	      "  pre-commit       (the pre-commit hook) scan the staged changes for credentials\n"
	      "                   and denied files (exit 1: findings)\n"
	      "  version          print the version, and the libgit2 it reads objects with\n"
	      "  help [config [--format text|markdown]]\n"
	      "                   this text, or every configuration key (markdown: the\n"
	      "                   reference with each key's defaults, docs/config.md)\n"
	      "\n"
	      "REPO defaults to $GIT_DIR or the current directory.\n"
	      "The server hooks are pushguard-pre-receive and pushguard-update; install them with\n"
	      "pushguard install (install.sh builds, installs and runs it). A developer's clone:\n"
	      "pushguard client install.\n",
	      fp);
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	if (!strcmp(argv[1], "scan"))
		return pg_cmd_scan(argc - 1, argv + 1);
	if (!strcmp(argv[1], "flush"))
		return pg_cmd_flush(argc - 1, argv + 1);
	if (!strcmp(argv[1], "report"))
		return pg_cmd_report(argc - 1, argv + 1);
	if (!strcmp(argv[1], "verify"))
		return pg_cmd_verify(argc - 1, argv + 1);
	if (!strcmp(argv[1], "client"))
		return pg_cmd_client(argc - 1, argv + 1, argv[0]);
	if (!strcmp(argv[1], "pre-push"))
		return pg_cmd_pre_push(argc - 1, argv + 1);
	if (!strcmp(argv[1], "pre-commit"))
		return pg_cmd_pre_commit(argc - 1, argv + 1);
	if (!strcmp(argv[1], "check"))
		return pg_cmd_check(argc - 1, argv + 1);
	if (!strcmp(argv[1], "install") || !strcmp(argv[1], "uninstall"))
		return pg_cmd_install(argc - 1, argv + 1);
	if (!strcmp(argv[1], "version") || !strcmp(argv[1], "--version")) {
		print_version();
		return 0;
	}
	if (!strcmp(argv[1], "help") || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		if (argc > 2 && !strcmp(argv[2], "config"))
			return pg_cmd_help_config(argc - 2, argv + 2);
		usage(stdout);
		return 0;
	}
	fprintf(stderr, "pushguard: unknown command '%s'\n\n", argv[1]);
	usage(stderr);
	return 2;
}
