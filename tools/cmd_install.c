/* pushguard install / pushguard uninstall: the wiring of install.sh, its
 * options checked here, the work done by lib/install.c. */
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "pushguard.h"

static const char synopsis[] =
	"usage: pushguard install [--server TYPE] [--hook pre-receive|update] [--policy NAME] [--fsck-objects]\n"
	"                         [--dry-run] [--prefix DIR] [--all DIR]... REPO.git...\n"
	"       pushguard install [--server plain|gitlab] --global DIR [--dry-run] [--prefix DIR]\n"
	"       pushguard install --server gitolite --gitolite-local DIR [--dry-run] [--prefix DIR]\n"
	"       pushguard uninstall [--hook HOOK] [--server TYPE] [--dry-run] [--all DIR]... REPO.git...\n"
	"       pushguard uninstall [--server TYPE] (--global DIR | --gitolite-local DIR) [--dry-run]\n"
	"TYPE: plain, gitea (or forgejo), gitlab, gitolite; default: detected per repository.\n"
	"See pushguard-install(1).\n";

struct args {
	bool uninstall;
	const char *prefix;
	const char *hook;
	const char *server;
	bool hook_set, policy_set;
	struct pg_strvec repos, all_dirs;
	struct pg_install_opts o;
};

static int usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "pushguard %s: error: ", cmd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n%s", synopsis);
	return 2;
}

/* The value of option name (argv[*i] is "--name" or "--name=VALUE"), or NULL
 * when argv[*i] is another option. *missing when it has no value. */
static const char *option(int argc, char **argv, int *i, const char *name, bool *missing)
{
	size_t n = strlen(name);
	const char *a = argv[*i];

	if (strncmp(a, name, n))
		return NULL;
	if (a[n] == '=')
		return a + n + 1;
	if (a[n])
		return NULL;
	if (*i + 1 >= argc) {
		*missing = true;
		return NULL;
	}
	return argv[++*i];
}

/* argv into a; 0, 1 for --help, or 2 after a usage error. */
static int parse(struct args *a, int argc, char **argv)
{
	const char *cmd = argv[0], *v;
	bool missing = false;

	for (int i = 1; i < argc; i++) {
		const char *arg = argv[i];

		if (!strcmp(arg, "-h") || !strcmp(arg, "--help"))
			return 1;
		if (!strcmp(arg, "--")) {
			for (i++; i < argc; i++)
				if (pg_strvec_push(&a->repos, argv[i]) < 0)
					return usage_error(cmd, "%s", "out of memory");
			break;
		}
		if (!strcmp(arg, "--fsck-objects")) {
			a->o.fsck_objects = true;
		} else if (!strcmp(arg, "--dry-run")) {
			a->o.dry_run = true;
		} else if (!a->uninstall && (v = option(argc, argv, &i, "--prefix", &missing))) {
			a->prefix = v;
		} else if ((v = option(argc, argv, &i, "--policy", &missing))) {
			a->o.policy = v;
			a->policy_set = true;
		} else if ((v = option(argc, argv, &i, "--hook", &missing))) {
			a->hook = v;
			a->hook_set = true;
		} else if ((v = option(argc, argv, &i, "--server", &missing))) {
			a->server = v;
		} else if ((v = option(argc, argv, &i, "--all", &missing))) {
			if (pg_strvec_push(&a->all_dirs, v) < 0)
				return usage_error(cmd, "%s", "out of memory");
		} else if ((v = option(argc, argv, &i, "--global", &missing))) {
			a->o.global_dir = v;
		} else if ((v = option(argc, argv, &i, "--gitolite-local", &missing))) {
			a->o.gitolite_local = v;
		} else if (missing) {
			return usage_error(cmd, "option %s needs an argument", arg);
		} else if (arg[0] == '-' && arg[1]) {
			return usage_error(cmd, "unknown option: %s", arg);
		} else if (pg_strvec_push(&a->repos, arg) < 0) {
			return usage_error(cmd, "%s", "out of memory");
		}
		if (missing)
			return usage_error(cmd, "option %s needs an argument", arg);
	}
	return 0;
}

/* The rules install.sh has always had; 0 or 2 after a usage error. */
static int check(struct args *a, const char *cmd)
{
	bool server_wide = false;
	int s = PG_INSTALL_DETECT;

	if (strcmp(a->hook, "pre-receive") && strcmp(a->hook, "update"))
		return usage_error(cmd, "--hook must be pre-receive or update, not '%s'", a->hook);
	if (a->prefix && !*a->prefix)
		return usage_error(cmd, "%s", "--prefix needs a non-empty directory");
	if (a->policy_set && !*a->o.policy)
		return usage_error(cmd, "%s", "--policy needs a non-empty name or path");
	if (a->server && *a->server && (s = pg_install_server_parse(a->server)) < 0)
		return usage_error(cmd, "--server must be plain, gitea, forgejo, gitlab or gitolite, not '%s'", a->server);
	a->o.server = (enum pg_install_server)s;
	if (a->o.global_dir) {
		if (s == PG_INSTALL_DETECT)
			return usage_error(cmd, "%s", "--global needs --server plain or --server gitlab");
		if (s != PG_INSTALL_PLAIN && s != PG_INSTALL_GITLAB)
			return usage_error(cmd, "--global works with --server plain or gitlab, not %s",
					   pg_install_server_name(a->o.server));
		server_wide = true;
	}
	if (s == PG_INSTALL_GITOLITE) {
		if (!a->o.gitolite_local)
			return usage_error(cmd, "%s", "--server gitolite needs --gitolite-local DIR (gitolite's LOCAL_CODE)");
		if (a->hook_set && strcmp(a->hook, "pre-receive"))
			return usage_error(cmd, "%s", "gitolite reserves the update hook for itself; pushguard installs as pre-receive");
		server_wide = true;
	} else if (a->o.gitolite_local) {
		return usage_error(cmd, "%s", "--gitolite-local goes with --server gitolite");
	}
	if (server_wide) {
		if (a->repos.n || a->all_dirs.n || a->policy_set)
			return usage_error(cmd, "%s", "--global and --server gitolite install once for the whole server: no REPO, --all or --policy (set the policy in the system file)");
	} else if (!a->repos.n && !a->all_dirs.n) {
		return usage_error(cmd, "%s", "no repository given");
	}
	if (a->uninstall && a->policy_set)
		return usage_error(cmd, "%s", "--policy makes no sense with --uninstall");
	if (a->o.fsck_objects && (a->uninstall || server_wide))
		return usage_error(cmd, "%s", "--fsck-objects sets receive.fsckObjects in each REPO/config; server-wide: git config --system receive.fsckObjects true");
	return 0;
}

/* --prefix DIR's bin, else the directory this program runs from. */
static char *bindir_of(const char *prefix)
{
	char self[PATH_MAX], *abs, *bin = NULL;
	ssize_t n;

	if (prefix) {
		if ((abs = pg_install_abspath(prefix)) &&
		    asprintf(&bin, "%s%sbin", abs, abs[strlen(abs) - 1] == '/' ? "" : "/") < 0)
			bin = NULL;
		free(abs);
		return bin;
	}
	if ((n = readlink("/proc/self/exe", self, sizeof(self) - 1)) <= 0)
		return NULL;
	self[n] = '\0';
	*strrchr(self, '/') = '\0';
	return strdup(self[0] ? self : "/");
}

int pg_cmd_install(int argc, char **argv)
{
	static const char *const git_env[] = { "GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_OBJECT_DIRECTORY",
					       "GIT_COMMON_DIR", "GIT_ALTERNATE_OBJECT_DIRECTORIES", "GIT_NAMESPACE" };
	struct pg_error err = PG_ERROR_INIT;
	struct args a = { .uninstall = !strcmp(argv[0], "uninstall"), .hook = "pre-receive",
			  .repos = PG_STRVEC_INIT, .all_dirs = PG_STRVEC_INIT };
	char *bindir = NULL;
	int ret;

	if ((ret = parse(&a, argc, argv)) == 1) {
		fputs(synopsis, stdout);
		ret = 0;
		goto out;
	}
	if (ret || (ret = check(&a, argv[0])))
		goto out;
	if (!(bindir = bindir_of(a.prefix))) {
		fprintf(stderr, "pushguard %s: error: cannot tell where pushguard is installed; give --prefix\n", argv[0]);
		ret = 1;
		goto out;
	}
	a.o.bindir = bindir;
	a.o.hook = a.hook;
	a.o.hook_set = a.hook_set;
	/* a caller's git environment (a hook running this) must not redirect git */
	for (size_t i = 0; i < sizeof(git_env) / sizeof(*git_env); i++)
		unsetenv(git_env[i]);
	if (pg_repo_global_init(&err) < 0 || pg_install_run(&a.o, a.uninstall, &a.repos, &a.all_dirs, &err) < 0) {
		fflush(stdout);
		fprintf(stderr, "pushguard: error: %s\n", err.msg);
		ret = 1;
	}
	git_libgit2_shutdown();
out:
	free(bindir);
	pg_strvec_release(&a.repos);
	pg_strvec_release(&a.all_dirs);
	return ret;
}
