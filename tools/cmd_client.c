/* The developer side: `pushguard client install` sets a working clone up
 * (the policy ref's copy, the git hooks); `pushguard pre-push` and
 * `pushguard pre-commit` are what those hooks run (client.h). */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "pushguard.h"

#define CFG_REMOTE "pushguardClient.remote"
#define CFG_REF "pushguardClient.policyRef"

/* ---------------------------------------------------------------- shared */

/* The clone's own setting (pushguardClient.*), or def. Caller frees. */
static char *client_setting(git_repository *repo, const char *key, const char *def)
{
	git_config *cfg = NULL;
	git_buf b = GIT_BUF_INIT;
	char *v = NULL;

	if (git_repository_config_snapshot(&cfg, repo) == 0 && git_config_get_string_buf(&b, cfg, key) == 0 && b.size)
		v = strdup(b.ptr);
	else if (def)
		v = strdup(def);
	git_error_clear();
	git_buf_dispose(&b);
	git_config_free(cfg);
	return v;
}

/* The remote whose name is `name` (when one is configured with that name) or
 * whose URL or push URL is `url` (url may be NULL), or NULL. Read from the
 * config entries directly: libgit2's remote lookup leaks its regex match data.
 * Caller frees. */
static char *find_remote(git_repository *repo, const char *name, const char *url)
{
	git_config *cfg = NULL;
	git_config_iterator *it = NULL;
	git_config_entry *e;
	char *by_name = NULL, *by_url = NULL;

	if (git_repository_config_snapshot(&cfg, repo) < 0 || git_config_iterator_new(&it, cfg) < 0)
		goto out;
	while (!by_name && git_config_next(&e, it) == 0) {
		const char *n = e->name, *dot;
		size_t len;

		if (strncasecmp(n, "remote.", 7) || !(dot = strrchr(n + 7, '.')) || dot == n + 7)
			continue;
		if (strcasecmp(dot, ".url") && strcasecmp(dot, ".pushurl"))
			continue;
		len = (size_t)(dot - (n + 7));
		if (name && strlen(name) == len && !strncmp(n + 7, name, len))
			by_name = strndup(n + 7, len);
		else if (!by_url && url && e->value && !strcmp(e->value, url))
			by_url = strndup(n + 7, len);
	}
out:
	git_error_clear();
	git_config_iterator_free(it);
	git_config_free(cfg);
	if (by_name) {
		free(by_url);
		return by_name;
	}
	return by_url;
}

/* The effective policy the server would apply, as far as the clone knows it:
 * built-in defaults, this machine's system file and named policy, and the
 * copy of the server's policy ref (refs/pushguard/policy; none yet: no such
 * layer). The server repository's own config is not known here, and the
 * clone's config is not a layer: a developer's setting never loosens it. */
static int load_policy(pg_policy *policy, git_repository *repo, struct pg_error *err)
{
	return pg_policy_load_repo(policy, repo, NULL, PG_CLIENT_POLICY_REF, err);
}

/* "commit abc1234 of 2026-12-05" for the copy, into buf; "" when there is none. */
static void describe_copy(char *buf, size_t n, git_repository *repo)
{
	git_oid oid;
	git_commit *c = NULL;

	buf[0] = '\0';
	if (git_reference_name_to_id(&oid, repo, PG_CLIENT_POLICY_REF) < 0) {
		git_error_clear();
		return;
	}
	if (git_commit_lookup(&c, repo, &oid) == 0) {
		time_t t = (time_t)git_commit_time(c);
		struct tm tm;
		char day[32] = "";

		if (gmtime_r(&t, &tm))
			strftime(day, sizeof(day), "%Y-%m-%d", &tm);
		snprintf(buf, n, "commit %.7s of %s", git_oid_tostr_s(&oid), day);
		git_commit_free(c);
	} else {
		snprintf(buf, n, "%.7s", git_oid_tostr_s(&oid));
	}
	git_error_clear();
}

/* The last line git wrote on standard error, made safe, into buf. */
static void last_line(char *buf, size_t n, const struct pg_buf *errout)
{
	const char *s = errout->ptr, *end = s + errout->len, *line;
	char *safe;

	while (end > s && (end[-1] == '\n' || end[-1] == '\r' || end[-1] == ' '))
		end--;
	for (line = end; line > s && line[-1] != '\n'; line--)
		;
	snprintf(buf, n, "%.*s", (int)(end - line), line);
	if ((safe = pg_render_safe_dup(buf))) {
		snprintf(buf, n, "%s", safe);
		free(safe);
	}
	if (!buf[0])
		snprintf(buf, n, "no message");
}

/* git fetch REMOTE +REF:refs/pushguard/policy [EXTRA...] (ref NULL: the
 * extras alone): 0 when fetched; otherwise why not in `why`, and *no_ref set
 * when the remote said it has no such ref. */
static int fetch_policy(const char *remote, const char *ref, const char *const *extra, size_t nextra, char *why,
			size_t n, bool *no_ref, struct pg_error *err)
{
	struct pg_buf errout = PG_BUF_INIT, missing = PG_BUF_INIT;
	const char **argv = calloc(nextra + 10, sizeof(*argv));
	char *spec = NULL;
	size_t k = 0;
	int rc;

	if (no_ref)
		*no_ref = false;
	if (!argv || (ref && asprintf(&spec, "+%s:%s", ref, PG_CLIENT_POLICY_REF) < 0)) {
		free(argv);
		return pg_error_oom(err);
	}
	argv[k++] = "git";
	argv[k++] = "fetch";
	argv[k++] = "--quiet";
	argv[k++] = "--no-tags";
	argv[k++] = "--no-write-fetch-head";
	argv[k++] = "--";
	argv[k++] = remote;
	if (spec)
		argv[k++] = spec;
	for (size_t i = 0; i < nextra; i++)
		argv[k++] = extra[i];
	argv[k] = NULL;
	rc = pg_client_git(NULL, &errout, PG_CLIENT_FETCH_TIMEOUT_MS, argv, err);
	if (rc == PG_CLIENT_TIMED_OUT)
		snprintf(why, n, "git fetch gave no answer in %d s", PG_CLIENT_FETCH_TIMEOUT_MS / 1000);
	else if (rc > 0)
		last_line(why, n, &errout);
	if (rc > 0 && ref && no_ref) {
		pg_buf_addf(&missing, "couldn't find remote ref %s\n", ref);
		*no_ref = !pg_buf_failed(&missing) && errout.len && strstr(errout.ptr, missing.ptr);
	}
	free(spec);
	free(argv);
	pg_buf_release(&errout);
	pg_buf_release(&missing);
	return rc;
}

/* The remote has no policy ref (any more): neither has the copy. */
static void drop_copy(git_repository *repo)
{
	git_reference *r = NULL;

	if (git_reference_lookup(&r, repo, PG_CLIENT_POLICY_REF) == 0)
		(void)git_reference_delete(r);
	git_reference_free(r);
	git_error_clear();
}

static void put(const char *text)
{
	pg_render_write(stderr, text, NULL);
}

static void putf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void putf(const char *fmt, ...)
{
	struct pg_buf b = PG_BUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	pg_buf_vaddf(&b, fmt, ap);
	va_end(ap);
	if (!pg_buf_failed(&b))
		put(b.ptr);
	pg_buf_release(&b);
}

/* --chain HOOK: the hook that was there before pushguard's, when it is executable. */
static int run_chained(const char *chain, const char *const *args, const char *input, size_t len)
{
	struct pg_error err = PG_ERROR_INIT;
	int rc;

	if (!chain || access(chain, X_OK) != 0)
		return 0;
	if ((rc = pg_client_run_hook(chain, args, input, len, &err)) < 0) {
		putf("pushguard: %s", err.msg);
		return 1;
	}
	return rc;
}

/* ---------------------------------------------------------------- client install */

static void install_usage(FILE *fp)
{
	fputs("usage: pushguard client install [--remote NAME] [--ref REF] [--pre-commit] [--pre-push]\n"
	      "In a working clone: fetches the remote's policy ref (REF, default " PG_CLIENT_DEFAULT_REF ")\n"
	      "into " PG_CLIENT_POLICY_REF " and installs git hooks that run pushguard before a commit\n"
	      "(--pre-commit) and before a push (--pre-push, the default). A hook already there keeps\n"
	      "running: it is moved to HOOK.local and run after pushguard's check. Run it again to update.\n",
	      fp);
}

/* The absolute path of this program, for the hooks to run. */
static int self_path(char *out, size_t n, const char *argv0)
{
	char buf[PATH_MAX];
	ssize_t len;

	if (argv0 && strchr(argv0, '/') && realpath(argv0, buf)) {
		snprintf(out, n, "%s", buf);
		return 0;
	}
	if ((len = readlink("/proc/self/exe", buf, sizeof(buf) - 1)) <= 0)
		return -1;
	buf[len] = '\0';
	snprintf(out, n, "%s", buf);
	return 0;
}

static char *read_small(const char *path)
{
	FILE *fp = fopen(path, "r");
	char *s;
	size_t n;

	if (!fp)
		return NULL;
	if (!(s = calloc(1, 8193))) {
		fclose(fp);
		return NULL;
	}
	n = fread(s, 1, 8192, fp);
	s[n] = '\0';
	fclose(fp);
	return s;
}

/* Writes the hook NAME into dir, keeping one that is there (not ours) as NAME.local. */
static int install_hook(const char *dir, const char *name, const char *exe, struct pg_error *err)
{
	struct pg_buf body = PG_BUF_INIT, path = PG_BUF_INIT, local = PG_BUF_INIT, tmp = PG_BUF_INIT;
	char *old = NULL;
	const char *done;
	FILE *fp = NULL;
	struct stat st;
	int ret = PG_ERR;

	pg_buf_addf(&path, "%s/%s", dir, name);
	pg_buf_addf(&local, "%s/%s.local", dir, name);
	pg_buf_addf(&tmp, "%s/.%s.pushguard.tmp", dir, name);
	pg_buf_addf(&body, "#!/bin/sh\n"
		    PG_CLIENT_HOOK_MARK ", written by `pushguard client install` (run it again to update it).\n"
		    "# Checks with the server's policy before git %s; the server checks again.\n"
		    "# The hook that was here before, if any, is %s.local: it runs after pushguard's check.\n"
		    "pg=", !strcmp(name, "pre-push") ? "sends anything (git push --no-verify skips it)"
		    : "commits (git commit --no-verify skips it)", name);
	pg_buf_add_shell_quoted(&body, exe);
	pg_buf_addf(&body, "\n"
		    "if [ -x \"$pg\" ]; then\n"
		    "\texec \"$pg\" %s --chain \"$0.local\" \"$@\"\n"
		    "fi\n"
		    "echo \"pushguard: $pg is missing: not checked here (run pushguard client install again)\" >&2\n"
		    "if [ -x \"$0.local\" ]; then exec \"$0.local\" \"$@\"; fi\n"
		    "exit 0\n", name);
	if (pg_buf_failed(&body) || pg_buf_failed(&path) || pg_buf_failed(&local) || pg_buf_failed(&tmp)) {
		pg_error_oom(err);
		goto out;
	}
	done = "installed";
	if (lstat(path.ptr, &st) == 0) {
		old = read_small(path.ptr);
		if (old && strstr(old, PG_CLIENT_HOOK_MARK)) {
			done = !strcmp(old, body.ptr) ? "already installed, unchanged" : "updated";
		} else if (lstat(local.ptr, &st) == 0) {
			pg_error_set(err, PG_ERR, "%s is not pushguard's and %s exists too: move one of them "
				     "away and run pushguard client install again", path.ptr, local.ptr);
			goto out;
		} else {
			if (rename(path.ptr, local.ptr) < 0) {
				pg_error_set(err, PG_ERR, "cannot move %s to %s: %s", path.ptr, local.ptr, strerror(errno));
				goto out;
			}
			printf("kept the %s hook that was there: moved to %s, it runs after pushguard's check\n",
			       name, local.ptr);
		}
	}
	if (strcmp(done, "already installed, unchanged")) {
		bool written = (fp = fopen(tmp.ptr, "w")) && fputs(body.ptr, fp) != EOF;

		if ((fp && fclose(fp) != 0) || !written) {
			pg_error_set(err, PG_ERR, "cannot write %s: %s", tmp.ptr, strerror(errno));
			unlink(tmp.ptr);
			goto out;
		}
		if (chmod(tmp.ptr, 0755) < 0 || rename(tmp.ptr, path.ptr) < 0) {
			pg_error_set(err, PG_ERR, "cannot install %s: %s", path.ptr, strerror(errno));
			unlink(tmp.ptr);
			goto out;
		}
	}
	printf("%s hook %s: %s\n", name, done, path.ptr);
	ret = 0;
out:
	free(old);
	pg_buf_release(&body);
	pg_buf_release(&path);
	pg_buf_release(&local);
	pg_buf_release(&tmp);
	return ret;
}

/* The clone's hooks directory, as git finds it (core.hooksPath respected), absolute. */
static int hooks_dir(char *out, size_t n, struct pg_error *err)
{
	static const char *const argv[] = { "git", "rev-parse", "--git-path", "hooks", NULL };
	struct pg_buf dir = PG_BUF_INIT, errout = PG_BUF_INIT;
	char why[512], real[PATH_MAX];
	int rc = pg_client_git(&dir, &errout, 0, argv, err);

	if (rc < 0)
		goto out;
	if (rc != 0) {
		last_line(why, sizeof(why), &errout);
		rc = pg_error_set(err, PG_ERR, "git rev-parse --git-path hooks: %s", why);
		goto out;
	}
	while (dir.len && (dir.ptr[dir.len - 1] == '\n' || dir.ptr[dir.len - 1] == '\r'))
		dir.ptr[--dir.len] = '\0';
	if (!dir.len) {
		rc = pg_error_set(err, PG_ERR, "git rev-parse --git-path hooks: no answer");
		goto out;
	}
	if (mkdir(dir.ptr, 0777) < 0 && errno != EEXIST) {
		rc = pg_error_set(err, PG_ERR, "cannot create the hooks directory %s: %s", dir.ptr, strerror(errno));
		goto out;
	}
	if (!realpath(dir.ptr, real)) {
		rc = pg_error_set(err, PG_ERR, "%s: %s", dir.ptr, strerror(errno));
		goto out;
	}
	snprintf(out, n, "%s", real);
	rc = 0;
out:
	pg_buf_release(&dir);
	pg_buf_release(&errout);
	return rc;
}

static int set_client_setting(git_repository *repo, const char *key, const char *value, struct pg_error *err)
{
	git_config *cfg = NULL;
	int rc = 0;

	if (git_repository_config(&cfg, repo) < 0 || git_config_set_string(cfg, key, value) < 0)
		rc = pg_error_git(err, "cannot set %s in the clone's config", key);
	git_config_free(cfg);
	return rc;
}

static int cmd_install(int argc, char **argv, const char *argv0)
{
	static const struct option opts[] = {
		{ "remote", required_argument, NULL, 'r' },
		{ "ref", required_argument, NULL, 'R' },
		{ "pre-commit", no_argument, NULL, 'c' },
		{ "pre-push", no_argument, NULL, 'p' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct pg_error err = PG_ERROR_INIT;
	git_repository *repo = NULL;
	char *known = NULL;
	char *remote = NULL, *ref = NULL, dir[PATH_MAX], exe[PATH_MAX], why[512], copy[128];
	const char *opt_remote = NULL, *opt_ref = NULL;
	bool pre_commit = false, pre_push = false, no_ref = false;
	int c, ret = 2, rc;

	optind = 1;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'r':
			opt_remote = optarg;
			break;
		case 'R':
			opt_ref = optarg;
			break;
		case 'c':
			pre_commit = true;
			break;
		case 'p':
			pre_push = true;
			break;
		case 'h':
			install_usage(stdout);
			return 0;
		default:
			install_usage(stderr);
			return 2;
		}
	}
	if (optind != argc) {
		install_usage(stderr);
		return 2;
	}
	if (!pre_commit && !pre_push)
		pre_push = true;
	if (opt_ref && (strncmp(opt_ref, "refs/", 5) || strpbrk(opt_ref, " :~^?*[\\"))) {
		fprintf(stderr, "pushguard client install: --ref %s: expected a full ref name (refs/...)\n", opt_ref);
		return 2;
	}
	if (pg_repo_global_init(&err) < 0 || pg_repo_open(&repo, NULL, &err) < 0)
		goto fail;
	if (git_repository_is_bare(repo)) {
		pg_error_set(&err, PG_ERR, "this is a bare repository: run it in a working clone "
			     "(the server side is install.sh)");
		goto fail;
	}
	remote = opt_remote ? strdup(opt_remote) : client_setting(repo, CFG_REMOTE, "origin");
	ref = opt_ref ? strdup(opt_ref) : client_setting(repo, CFG_REF, PG_CLIENT_DEFAULT_REF);
	if (!remote || !ref) {
		pg_error_oom(&err);
		goto fail;
	}
	if (!(known = find_remote(repo, remote, NULL))) {
		pg_error_set(&err, PG_ERR, "no remote named '%s' in this clone (git remote -v lists them; "
			     "--remote NAME)", remote);
		goto fail;
	}
	if ((rc = fetch_policy(remote, ref, NULL, 0, why, sizeof(why), &no_ref, &err)) < 0)
		goto fail;
	if (no_ref)
		drop_copy(repo);
	describe_copy(copy, sizeof(copy), repo);
	if (rc == 0)
		printf("fetched the policy %s from %s into %s (%s)\n", ref, remote, PG_CLIENT_POLICY_REF, copy);
	else if (no_ref)
		printf("warning: %s has no policy ref %s (ask an admin, or --ref REF): the hooks check with "
		       "pushguard's built-in policy, and fetch it on every push\n", remote, ref);
	else if (copy[0])
		printf("warning: could not fetch the policy %s from %s (%s): the hooks use the last copy, %s (%s)\n",
		       ref, remote, why, PG_CLIENT_POLICY_REF, copy);
	else
		printf("warning: could not fetch the policy %s from %s (%s): until a fetch succeeds the hooks "
		       "check with pushguard's built-in policy\n", ref, remote, why);
	if (set_client_setting(repo, CFG_REMOTE, remote, &err) < 0 || set_client_setting(repo, CFG_REF, ref, &err) < 0)
		goto fail;
	if (self_path(exe, sizeof(exe), argv0) < 0) {
		pg_error_set(&err, PG_ERR, "cannot tell where this pushguard program is");
		goto fail;
	}
	if (hooks_dir(dir, sizeof(dir), &err) < 0)
		goto fail;
	if ((pre_push && install_hook(dir, "pre-push", exe, &err) < 0) ||
	    (pre_commit && install_hook(dir, "pre-commit", exe, &err) < 0))
		goto fail;
	printf("pushguard client: set up for remote %s (%s = %s, %s = %s)\n", remote, CFG_REMOTE, remote, CFG_REF, ref);
	ret = 0;
	goto out;
fail:
	fprintf(stderr, "pushguard client install: %s\n", err.msg);
	ret = 1;
out:
	free(remote);
	free(ref);
	free(known);
	git_repository_free(repo);
	git_libgit2_shutdown();
	return ret;
}

int pg_cmd_client(int argc, char **argv, const char *argv0)
{
	if (argc >= 2 && !strcmp(argv[1], "install"))
		return cmd_install(argc - 1, argv + 1, argv0);
	fputs("usage: pushguard client install [--remote NAME] [--ref REF] [--pre-commit] [--pre-push]\n", stderr);
	return 2;
}

/* ---------------------------------------------------------------- pre-push */

/* Ids the remote has: its remote-tracking refs' and the pushed refs' remote
 * values, those this clone has. */
struct hide_list {
	git_oid *v;
	size_t n, alloc;
	git_odb *odb;
};

static int hide_add(struct hide_list *h, const git_oid *id)
{
	if (!git_odb_exists(h->odb, id))
		return 0;
	if (h->n == h->alloc) {
		size_t n = h->alloc ? h->alloc * 2 : 16;
		git_oid *v = realloc(h->v, n * sizeof(*v));

		if (!v)
			return -1;
		h->v = v;
		h->alloc = n;
	}
	h->v[h->n++] = *id;
	return 0;
}

static int hide_tracking(struct hide_list *h, git_repository *repo, const char *remote)
{
	git_reference_iterator *it = NULL;
	git_reference *r;
	char glob[1024];
	int rc = 0;

	snprintf(glob, sizeof(glob), "refs/remotes/%s/*", remote);
	if (git_reference_iterator_glob_new(&it, repo, glob) < 0) {
		git_error_clear();
		return 0;
	}
	while (rc == 0 && git_reference_next(&r, it) == 0) {
		git_reference *res = NULL;

		if (git_reference_resolve(&res, r) == 0 && git_reference_target(res))
			rc = hide_add(h, git_reference_target(res));
		git_reference_free(res);
		git_reference_free(r);
	}
	git_error_clear();
	git_reference_iterator_free(it);
	return rc;
}

/* The trusted keys here are the policy ref's alone; the server may trust
 * more (its own keyring, allowed signers file): a key unknown here is the
 * server's to judge, shown as allowed, not refused. */
static int server_keys_may_trust(struct pg_findings *f, struct pg_error *err)
{
	for (size_t i = 0; i < f->n; i++) {
		struct pg_finding *x = &f->v[i];

		if (strcmp(x->check, "signatures") || x->allowed_by || !x->rule ||
		    (strcmp(x->rule, "untrusted-key") && strcmp(x->rule, "cannot-check")))
			continue;
		if (!(x->allowed_by = strdup("not refused here: the server may trust the key (its own keys "
					     "besides the policy ref's); it decides")))
			return pg_error_oom(err);
	}
	return 0;
}

static void prepush_usage(FILE *fp)
{
	fputs("usage: pushguard pre-push [--chain HOOK] REMOTE [URL]   (git's pre-push input on stdin)\n"
	      "Checks the commits a push sends, and the refs it updates, with the server's policy\n"
	      "(refreshed from the remote's policy ref when it can be reached) before anything is sent;\n"
	      "exit 1 refuses the push. --chain HOOK: run that hook too when pushguard accepts.\n", fp);
}

static void tell(const struct pg_decision *d, const struct pg_findings *findings, const pg_policy *policy,
		 const struct pg_error *err)
{
	struct pg_buf out = PG_BUF_INIT;

	switch (d->outcome) {
	case PG_OUTCOME_OFF:
		break;
	case PG_OUTCOME_TIMEOUT_ACCEPT:
	case PG_OUTCOME_TIMEOUT_REFUSE:
	case PG_OUTCOME_ERROR_ACCEPT:
	case PG_OUTCOME_ERROR_REFUSE:
		pg_render_error(&out, err, d->accepted);
		break;
	case PG_OUTCOME_REFUSE:
	case PG_OUTCOME_WARN: {
		struct pg_render_opts opts = { pg_policy_mode(policy), pg_policy_name(policy), pg_secrets_block(policy) };

		pg_render_notes(&out, findings);
		pg_render_findings(&out, findings, &opts);
		break;
	}
	case PG_OUTCOME_ACCEPT:
	case PG_OUTCOME_BYPASS:
		pg_render_notes(&out, findings);
		pg_render_minor(&out, findings, pg_secrets_block(policy));
		break;
	}
	if (out.len)
		put(out.ptr);
	if (pg_buf_failed(&out))
		put("pushguard: (out of memory: the text above is incomplete)");
	pg_buf_release(&out);
}

static int cmd_pre_push(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "chain", required_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct pg_error err = PG_ERROR_INIT;
	pg_push *push = NULL;
	pg_policy *policy = NULL;
	pg_walk *walk = NULL;
	struct pg_findings findings = PG_FINDINGS_INIT;
	struct pg_strvec notes = PG_STRVEC_INIT, fetch_extra = PG_STRVEC_INIT;
	struct hide_list hide = { NULL, 0, 0, NULL };
	struct pg_buf input = PG_BUF_INIT;
	struct pg_decision d;
	git_repository *repo = NULL;
	const char *chain = NULL, *remote_arg, *url_arg;
	char *installed = NULL, *ref = NULL, *remote = NULL, why[512] = "", copy[128];
	bool offline = false;
	int c, rc = 0, status;
	static const git_oid none;

	optind = 1;
	while ((c = getopt_long(argc, argv, "+h", opts, NULL)) != -1) {
		switch (c) {
		case 'c':
			chain = optarg;
			break;
		case 'h':
			prepush_usage(stdout);
			return 0;
		default:
			prepush_usage(stderr);
			return 2;
		}
	}
	if (argc - optind < 1 || argc - optind > 2) {
		prepush_usage(stderr);
		return 2;
	}
	remote_arg = argv[optind];
	url_arg = argc - optind > 1 ? argv[optind + 1] : remote_arg;
	signal(SIGPIPE, SIG_IGN);

	/* git's input, kept to hand to the chained hook */
	pg_buf_init(&input, PG_CLIENT_MAX_INPUT);
	{
		char chunk[65536];
		size_t n;

		while ((n = fread(chunk, 1, sizeof(chunk), stdin)) > 0)
			if (pg_buf_add(&input, chunk, n) < 0)
				break;
		if (pg_buf_failed(&input) || ferror(stdin)) {
			rc = pg_error_set(&err, PG_EINPUT, "cannot read the pre-push input (over %zu bytes?)",
					  PG_CLIENT_MAX_INPUT);
			goto decide;
		}
	}
	if ((rc = pg_policy_new(&policy, &err)) < 0 || (rc = pg_push_new(&push, &err)) < 0 ||
	    (rc = pg_walk_new(&walk, &err)) < 0 || (rc = pg_repo_global_init(&err)) < 0 ||
	    (rc = pg_repo_open(&repo, NULL, &err)) < 0 ||
	    (rc = pg_client_parse_pre_push(push, input.ptr, input.len, &err)) < 0)
		goto decide;
	if (git_repository_odb(&hide.odb, repo) < 0) {
		rc = pg_error_git(&err, "cannot open the object database");
		goto decide;
	}
	/* which remote: a name, or a URL one of the remotes has */
	remote = find_remote(repo, remote_arg, url_arg);
	installed = client_setting(repo, CFG_REMOTE, NULL);
	ref = client_setting(repo, CFG_REF, PG_CLIENT_DEFAULT_REF);
	if (!ref) {
		rc = pg_error_oom(&err);
		goto decide;
	}

	/* refresh the policy from the remote it belongs to; the remote values
	 * of pushed refs this clone lacks come along (forced pushes) */
	for (size_t i = 0; i < pg_push_nupdates(push); i++) {
		const struct pg_ref_update *u = pg_push_update_at(push, i);
		git_oid old;

		if (u->created || git_oid_fromstr(&old, u->old) < 0 || git_odb_exists(hide.odb, &old))
			continue;
		if (pg_strvec_push(&fetch_extra, u->ref) < 0) {
			rc = pg_error_oom(&err);
			goto decide;
		}
	}
	if (pg_push_nupdates(push) && remote && (!installed || !strcmp(installed, remote))) {
		bool no_ref = false;

		rc = fetch_policy(remote, ref, (const char *const *)fetch_extra.v, fetch_extra.n, why, sizeof(why),
				  &no_ref, &err);
		if (rc < 0)
			goto decide;
		offline = rc != 0 && !no_ref;
		if (no_ref) {
			/* the server has no policy ref (any more): a stale copy is not its policy */
			drop_copy(repo);
			putf("pushguard: %s has no policy ref %s: checking with pushguard's built-in policy", remote, ref);
			if (fetch_extra.n && fetch_policy(remote, NULL, (const char *const *)fetch_extra.v, fetch_extra.n,
							  why, sizeof(why), NULL, &err) < 0)
				goto decide;
		}
		rc = 0;
		describe_copy(copy, sizeof(copy), repo);
		if (offline)
			putf("pushguard: could not refresh the policy from %s (%s): %s", remote, why,
			     copy[0] ? "using the last copy" : "no copy yet: checking with the built-in policy");
		if (copy[0])
			putf("pushguard: checking the push to %s with its policy %s (%s copy, %s) before anything is sent",
			     remote, ref, offline ? "last" : "fresh", copy);
	} else if (pg_push_nupdates(push)) {
		describe_copy(copy, sizeof(copy), repo);
		if (installed && copy[0])
			putf("pushguard: checking the push to %s with %s's policy (%s) before anything is sent",
			     remote ? remote : url_arg, installed, copy);
		else
			putf("pushguard: checking the push to %s with %s before anything is sent", remote ? remote : url_arg,
			     copy[0] ? "the policy copy in " PG_CLIENT_POLICY_REF : "pushguard's built-in policy");
	}

	if ((rc = load_policy(policy, repo, &err)) < 0)
		goto decide;
	if (pg_policy_mode(policy) == PG_MODE_OFF)
		goto decide;
	if ((rc = pg_client_limit_policy(policy, offline, &notes, &err)) < 0)
		goto decide;
	for (size_t i = 0; i < notes.n; i++)
		if ((rc = pg_findings_note(&findings, &err, "%s", notes.v[i])) < 0)
			goto decide;

	/* what the remote has is not new */
	if (remote && hide_tracking(&hide, repo, remote) < 0) {
		rc = pg_error_oom(&err);
		goto decide;
	}
	for (size_t i = 0; i < pg_push_nupdates(push); i++) {
		struct pg_ref_update *u = pg_push_update_at(push, i);
		git_oid old;

		if (u->created || git_oid_fromstr(&old, u->old) < 0)
			continue;
		if (!git_odb_exists(hide.odb, &old)) {
			/* neither here nor fetched: whether it rewrites history is the server's to tell */
			if ((rc = pg_findings_note(&findings, &err, "%s: the remote's %.7s is not in this clone: whether "
						   "this push rewrites history is left to the server (git fetch first to "
						   "check it here)", u->ref, u->old)) < 0)
				goto decide;
			memcpy(u->old, u->new, sizeof(u->old));
			continue;
		}
		if (hide_add(&hide, &old) < 0) {
			rc = pg_error_oom(&err);
			goto decide;
		}
	}
	pg_walk_set_hide(walk, hide.v ? hide.v : &none, hide.n); /* non-NULL: with nhide 0 it hides nothing */
	rc = pg_check_push(walk, &findings, repo, push, policy, 0, &err);
	if (rc == 0)
		rc = server_keys_may_trust(&findings, &err);
decide:
	pg_decide(&d, &(struct pg_decide_input){ rc, pg_policy_mode(policy), pg_policy_on_error(policy), false, false,
						 pg_findings_count_blocking(&findings), false });
	tell(&d, &findings, policy, &err);
	if (!d.accepted) {
		putf("pushguard: nothing was sent to %s. (git push --no-verify skips this check, not the server's; "
		     "a bypass the server allows: git push --no-verify -o pushguard.bypass=REASON)",
		     remote ? remote : url_arg);
		status = 1;
	} else {
		const char *args[] = { remote_arg, url_arg, NULL };

		status = run_chained(chain, args, input.ptr, input.len);
	}
	free(installed);
	free(ref);
	free(remote);
	free(hide.v);
	git_odb_free(hide.odb);
	pg_buf_release(&input);
	pg_strvec_release(&notes);
	pg_strvec_release(&fetch_extra);
	pg_findings_release(&findings);
	pg_walk_free(walk);
	pg_policy_free(policy);
	pg_push_free(push);
	git_repository_free(repo);
	git_libgit2_shutdown();
	return status;
}

int pg_cmd_pre_push(int argc, char **argv)
{
	return cmd_pre_push(argc, argv);
}

/* ---------------------------------------------------------------- pre-commit */

static void precommit_usage(FILE *fp)
{
	fputs("usage: pushguard pre-commit [--chain HOOK]\n"
	      "Scans the staged changes (the index against HEAD) for credentials and files the\n"
	      "server's policy denies; exit 1 when it finds any. --chain HOOK: run that hook too.\n", fp);
}

static void show_finding(const struct pg_finding *x, bool warning)
{
	struct pg_buf b = PG_BUF_INIT;

	pg_buf_addf(&b, "pushguard: %s", warning ? "warning: " : "");
	if (x->path && (x->line || !x->message || strncmp(x->message, x->path, strlen(x->path)))) {
		pg_render_safe(&b, x->path);
		if (x->line)
			pg_buf_addf(&b, ":%zu", x->line);
		pg_buf_adds(&b, ": ");
	}
	pg_render_safe(&b, x->message ? x->message : "");
	pg_buf_adds(&b, " [");
	pg_buf_adds(&b, x->check);
	pg_buf_adds(&b, " ");
	pg_render_safe(&b, x->rule ? x->rule : "");
	pg_buf_adds(&b, "]");
	if (x->excerpt) {
		pg_buf_adds(&b, "\n  found: ");
		pg_render_safe(&b, x->excerpt);
	}
	if (!warning && !strcmp(x->check, "secrets"))
		pg_buf_adds(&b, "\n  fix: take the credential out of the file (read it from the environment or a secret\n"
			    "  store) and git add it again; a false positive: the comment pushguard:allow on that line");
	else if (!warning && x->path) {
		pg_buf_adds(&b, "\n  fix: unstage it: git rm --cached ");
		pg_buf_add_shell_quoted(&b, x->path);
	}
	if (!pg_buf_failed(&b))
		put(b.ptr);
	pg_buf_release(&b);
}

int pg_cmd_pre_commit(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "chain", required_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct pg_error err = PG_ERROR_INIT;
	pg_push *push = NULL;
	pg_policy *policy = NULL;
	pg_walk *walk = NULL;
	struct pg_findings findings = PG_FINDINGS_INIT;
	struct pg_decision d;
	git_repository *repo = NULL;
	git_index *index = NULL;
	git_reference *head = NULL;
	git_commit *head_commit = NULL;
	git_tree *head_tree = NULL;
	const char *chain = NULL, *index_file = getenv("GIT_INDEX_FILE");
	char ref[1024] = "refs/heads/HEAD", old[GIT_OID_HEXSZ + 1];
	size_t blocking = 0;
	int c, rc, status;

	optind = 1;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'c':
			chain = optarg;
			break;
		case 'h':
			precommit_usage(stdout);
			return 0;
		default:
			precommit_usage(stderr);
			return 2;
		}
	}
	if (optind != argc) {
		precommit_usage(stderr);
		return 2;
	}
	memset(old, '0', GIT_OID_HEXSZ);
	old[GIT_OID_HEXSZ] = '\0';
	if ((rc = pg_policy_new(&policy, &err)) < 0 || (rc = pg_push_new(&push, &err)) < 0 ||
	    (rc = pg_walk_new(&walk, &err)) < 0 || (rc = pg_repo_global_init(&err)) < 0 ||
	    (rc = pg_repo_open(&repo, NULL, &err)) < 0)
		goto decide;
	if (git_repository_is_bare(repo)) {
		rc = pg_error_set(&err, PG_ERR, "a bare repository has no staged changes");
		goto decide;
	}
	/* git commit -a / git commit PATH hand the hook a temporary index */
	if (index_file && *index_file ? git_index_open(&index, index_file) < 0 : git_repository_index(&index, repo) < 0) {
		rc = pg_error_git(&err, "cannot read the index");
		goto decide;
	}
	if (git_reference_lookup(&head, repo, "HEAD") == 0 && git_reference_type(head) == GIT_REFERENCE_SYMBOLIC)
		snprintf(ref, sizeof(ref), "%s", git_reference_symbolic_target(head));
	git_error_clear();
	{
		git_oid id;

		if (git_reference_name_to_id(&id, repo, "HEAD") == 0 && git_commit_lookup(&head_commit, repo, &id) == 0 &&
		    git_commit_tree(&head_tree, head_commit) == 0)
			git_oid_tostr(old, sizeof(old), &id);
		git_error_clear(); /* an unborn branch: everything staged is new */
	}
	if ((rc = pg_push_add_update(push, ref, old, old, &err)) < 0)
		goto decide;
	if ((rc = load_policy(policy, repo, &err)) < 0 || pg_policy_mode(policy) == PG_MODE_OFF)
		goto decide;
	if ((rc = pg_client_staged_walk(walk, repo, index, head_tree, true, &err)) < 0)
		goto decide;
	rc = pg_client_check_staged(repo, push, policy, walk, &findings, &err);
decide:
	blocking = pg_findings_count_blocking(&findings);
	pg_decide(&d, &(struct pg_decide_input){ rc, pg_policy_mode(policy), pg_policy_on_error(policy), false, false,
						 blocking, false });
	if (d.failed) {
		struct pg_buf out = PG_BUF_INIT;

		pg_render_error(&out, &err, d.accepted);
		put(out.ptr);
		pg_buf_release(&out);
	} else if (d.outcome != PG_OUTCOME_OFF) {
		for (size_t i = 0; i < findings.n; i++)
			if (!findings.v[i].allowed_by)
				show_finding(&findings.v[i], findings.v[i].warning);
		if (blocking)
			putf("pushguard: %zu %s in the staged changes%s", blocking, blocking == 1 ? "problem" : "problems",
			     d.accepted ? " (pushguard.mode = warn: committed anyway)"
					: ": nothing was committed. Fix them, git add, and commit again\n"
					  "pushguard: (git commit --no-verify skips this check; the push is checked again)");
	}
	if (!d.accepted) {
		status = 1;
	} else {
		const char *args[] = { NULL };

		status = run_chained(chain, args, NULL, 0);
	}
	pg_findings_release(&findings);
	pg_walk_free(walk);
	pg_policy_free(policy);
	pg_push_free(push);
	git_tree_free(head_tree);
	git_commit_free(head_commit);
	git_reference_free(head);
	git_index_free(index);
	git_repository_free(repo);
	git_libgit2_shutdown();
	return status;
}
