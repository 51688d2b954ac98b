/* Unit tests for lib/policy_ref.c and lib/policy_push.c's pure parts: the
 * in-memory git-config parser, the ref layer's place among the layers and its
 * origins, the keys refused there, what changed between two refs, and which
 * ref names conflict with the policy ref's. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <git2.h>

#include "buf.h"
#include "policy.h"
#include "policy_ref.h"

static int group_setup(void **state)
{
	(void)state;
	return git_libgit2_init() < 0 ? -1 : 0;
}

static int group_teardown(void **state)
{
	(void)state;
	git_libgit2_shutdown();
	return 0;
}

/* Every entry as "LINE key=value" (value "(none)" for a bare key), one a line. */
static int collect(void *ctx, const char *key, const char *value, int line)
{
	pg_buf_addf(ctx, "%d %s=%s\n", line, key, value ? value : "(none)");
	return 0;
}

static int parse(const char *text, struct pg_buf *out, struct pg_error *err)
{
	pg_buf_reset(out);
	*err = (struct pg_error)PG_ERROR_INIT;
	return pg_gitconfig_parse(text, strlen(text), "REF:pushguard.conf", collect, out, err);
}

static void gitconfig_syntax(void **state)
{
	struct pg_buf out = PG_BUF_INIT;
	struct pg_error err;

	(void)state;
	assert_int_equal(parse("# comment\n"
			       "[pushguard]\n"
			       "\tmode = warn ; trailing comment\n"
			       "[pushguard \"files\"]\n"
			       "  deny = *.env\n"
			       "  Deny = \"a b\"  # quoted\n"
			       "[PushGuard.Commits]\n"
			       "requireSignoff\n"
			       "messagePattern = ^(feat|fix)\\\\: \\\n"
			       "  .+\n"
			       "[pushguard \"Sub\\\"x\"] key = \"tab\\there\"\n"
			       "\n"
			       "[pushguard]\n"
			       "\tempty =\n",
			       &out, &err),
			 0);
	assert_string_equal(out.ptr,
			    "3 pushguard.mode=warn\n"
			    "5 pushguard.files.deny=*.env\n"
			    "6 pushguard.files.deny=a b\n"
			    "8 pushguard.commits.requiresignoff=(none)\n"
			    /* as git: the blank before the backslash and those opening the next line */
			    "9 pushguard.commits.messagepattern=^(feat|fix)\\:   .+\n"
			    "11 pushguard.Sub\"x.key=tab\there\n"
			    "14 pushguard.empty=\n");
	pg_buf_release(&out);
}

static void gitconfig_errors_name_line(void **state)
{
	static const struct {
		const char *text, *msg;
	} cases[] = {
		{ "[pushguard\nmode = warn\n", "REF:pushguard.conf:1: bad section header" },
		{ "mode = warn\n", "REF:pushguard.conf:1: a key before any [section]" },
		{ "[pushguard]\n\n\tmode = \"warn\n", "REF:pushguard.conf:3: unterminated quote" },
		{ "[pushguard]\n\tmode = w\\qarn\n", "REF:pushguard.conf:2: unknown escape \\q" },
		{ "[pushguard]\n\tmo de = warn\n", "REF:pushguard.conf:2: bad key name" },
		{ "[pushguard]\n\t=warn\n", "REF:pushguard.conf:2: expected a key name" },
		{ "[pushguard]\n\tmode = a\0b\n", "REF:pushguard.conf:2: a NUL byte" },
	};
	struct pg_buf out = PG_BUF_INIT;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		struct pg_error err = PG_ERROR_INIT;
		size_t len = strlen(cases[i].text);

		if (i == 6)
			len = sizeof("[pushguard]\n\tmode = a\0b\n") - 1;
		pg_buf_reset(&out);
		assert_int_equal(pg_gitconfig_parse(cases[i].text, len, "REF:pushguard.conf", collect, &out, &err),
				 PG_ECONFIG);
		if (strncmp(err.msg, cases[i].msg, strlen(cases[i].msg)))
			fail_msg("case %zu: '%s', want '%s...'", i, err.msg, cases[i].msg);
	}
	pg_buf_release(&out);
}

static struct pg_policy_ref make_ref(const char *conf)
{
	struct pg_policy_ref r = PG_POLICY_REF_INIT;

	r.refname = strdup("refs/meta/pushguard");
	if (conf) {
		r.conf.path = strdup("pushguard.conf");
		r.conf.data = strdup(conf);
		r.conf.len = strlen(conf);
	}
	return r;
}

/* A policy dir with an empty default.conf, a repository config; loads with ref. */
static int load_with(struct pg_policy *p, const struct pg_policy_ref *ref, const char *repo_conf,
		     struct pg_error *err)
{
	char dir[] = "/tmp/pg-unit-polref.XXXXXX", path[128], repo[128];
	FILE *fp;
	int rc;

	if (!mkdtemp(dir))
		fail_msg("mkdtemp");
	snprintf(path, sizeof(path), "%s/default.conf", dir);
	snprintf(repo, sizeof(repo), "%s/config", dir);
	if (!(fp = fopen(path, "w")))
		fail_msg("fopen");
	fputs("[pushguard \"files\"]\n\tdeny = id_rsa\n", fp);
	fclose(fp);
	if (!(fp = fopen(repo, "w")))
		fail_msg("fopen");
	fputs(repo_conf, fp);
	fclose(fp);
	setenv("PUSHGUARD_SYSTEM_CONFIG", "/nonexistent/system", 1);
	setenv("PUSHGUARD_POLICY_DIR", dir, 1);
	pg_policy_init(p);
	rc = pg_policy_load_with_ref(p, repo, ref, err);
	unlink(path);
	unlink(repo);
	rmdir(dir);
	return rc;
}

static void ref_layer_between_policy_and_repo(void **state)
{
	struct pg_policy_ref ref = make_ref("# team\n[pushguard \"files\"]\n\tdeny = *.env\n\tmaxSize = 1m\n"
					    "[pushguard]\n\tmode = warn\n");
	struct pg_error err = PG_ERROR_INIT;
	struct pg_strvec deny = PG_STRVEC_INIT;
	struct pg_policy p;

	(void)state;
	assert_int_equal(load_with(&p, &ref, "[pushguard]\n\tmode = enforce\n", &err), 0);
	/* multi-valued: the named policy's and the ref's add up */
	assert_int_equal(pg_policy_list(&p, "pushguard.files.deny", &deny), 0);
	assert_int_equal(deny.n, 2);
	assert_string_equal(deny.v[0], "id_rsa");
	assert_string_equal(deny.v[1], "*.env");
	assert_string_equal(pg_policy_origin(&p, "pushguard.files.maxSize"), "refs/meta/pushguard:pushguard.conf:4");
	assert_int_equal(p.files_max_size, 1 << 20);
	/* the repository's config stays above the ref */
	assert_int_equal(p.mode, PG_MODE_ENFORCE);
	assert_ptr_equal(p.ref, &ref);
	pg_strvec_release(&deny);
	pg_policy_release(&p);
	pg_policy_ref_release(&ref);
}

static void ref_layer_refuses_server_keys(void **state)
{
	struct pg_policy_ref ref = make_ref("[pushguard]\n\tauditLog = /tmp/x\n\tpolicyAdmins = mallory\n"
					    "[pushguard \"secrets\"]\n\trules = /etc/passwd\n[core]\n\tbare = true\n"
					    "[pushguard]\n\tnoSuchKey = 1\n\tmode = sometimes\n");
	struct pg_error err = PG_ERROR_INIT;
	struct pg_policy p;
	static const char *const want[] = {
		"refs/meta/pushguard:pushguard.conf:2: pushguard.auditLog cannot be set in a policy ref",
		"refs/meta/pushguard:pushguard.conf:3: pushguard.policyAdmins cannot be set in a policy ref",
		"refs/meta/pushguard:pushguard.conf:5: pushguard.secrets.rules cannot be set in a policy ref",
		"refs/meta/pushguard:pushguard.conf:7: 'core.bare': only pushguard.* keys",
		"unknown key 'pushguard.nosuchkey' in refs/meta/pushguard:pushguard.conf:9",
		"pushguard.mode = 'sometimes' in refs/meta/pushguard:pushguard.conf:10: expected one of",
	};

	(void)state;
	assert_int_equal(load_with(&p, &ref, "", &err), PG_ECONFIG);
	assert_int_equal(p.problems.n, sizeof(want) / sizeof(*want));
	for (size_t i = 0; i < p.problems.n; i++)
		if (strncmp(p.problems.v[i], want[i], strlen(want[i])))
			fail_msg("problem %zu: '%s', want '%s...'", i, p.problems.v[i], want[i]);
	pg_policy_release(&p);
	pg_policy_ref_release(&ref);
}

static void refused_keys(void **state)
{
	const struct pg_key_def *k;
	size_t refused = 0;

	(void)state;
	for (size_t i = 0; (k = pg_policy_key(i)); i++) {
		if (k->kind == PG_KEY_PATH)
			assert_true(pg_policy_ref_key_refused(k));
		refused += pg_policy_ref_key_refused(k);
	}
	for (size_t i = 0; (k = pg_policy_key(i)); i++) {
		if (!strcmp(k->name, "pushguard.files.deny") || !strcmp(k->name, "pushguard.mode") ||
		    !strcmp(k->name, "pushguard.secrets.ignoreFile"))
			assert_int_equal(pg_policy_ref_key_refused(k), !strcmp(k->name, "pushguard.secrets.ignoreFile"));
		if (!strcmp(k->name, "pushguard.policyRef") || !strcmp(k->name, "pushguard.policyAdmins") ||
		    !strcmp(k->name, "pushguard.policyRequireSigned") || !strcmp(k->name, "pushguard.policy") ||
		    !strcmp(k->name, "pushguard.secrets.rules") || !strcmp(k->name, "pushguard.webhook.url") ||
		    !strcmp(k->name, "pushguard.tickets.url"))
			assert_true(pg_policy_ref_key_refused(k));
	}
	assert_true(refused >= 20);
}

static void diff_keys_and_files(void **state)
{
	struct pg_policy_ref a = make_ref("[pushguard \"files\"]\n\tdeny = *.env\n[pushguard]\n\tmode = warn\n");
	struct pg_policy_ref b = make_ref("[pushguard]\n\tmode = warn\n[pushguard \"files\"]\n\tdeny = *.env\n"
					  "\tdeny = *.pem\n\tmaxSize = 1m\n");
	struct pg_strvec keys = PG_STRVEC_INIT, files = PG_STRVEC_INIT;
	struct pg_error err = PG_ERROR_INIT;

	(void)state;
	b.ignore.path = strdup("ignore");
	b.ignore.data = strdup("# none\n");
	b.ignore.len = 7;
	assert_int_equal(pg_policy_ref_diff(&a, &b, &keys, &files, &err), 0);
	assert_int_equal(keys.n, 2); /* in key-table order; mode unchanged though moved */
	assert_string_equal(keys.v[0], "pushguard.files.deny");
	assert_string_equal(keys.v[1], "pushguard.files.maxSize");
	assert_int_equal(files.n, 2);
	assert_string_equal(files.v[0], "pushguard.conf");
	assert_string_equal(files.v[1], "ignore");
	pg_strvec_clear(&keys);
	pg_strvec_clear(&files);
	/* from nothing (the ref is created): every key it sets */
	assert_int_equal(pg_policy_ref_diff(NULL, &a, &keys, &files, &err), 0);
	assert_int_equal(keys.n, 2);
	assert_string_equal(keys.v[0], "pushguard.mode");
	assert_string_equal(keys.v[1], "pushguard.files.deny");
	pg_strvec_release(&keys);
	pg_strvec_release(&files);
	pg_policy_ref_release(&a);
	pg_policy_ref_release(&b);
}

/* Which names conflict with the policy ref's in git's ref store. */
static void refname_relation(void **state)
{
	static const struct {
		const char *ref, *pref;
		enum pg_refname_relation want;
	} cases[] = {
		{ "refs/meta/pushguard", "refs/meta/pushguard", PG_REFNAME_SAME },
		{ "refs/meta/pushguard/x", "refs/meta/pushguard", PG_REFNAME_BELOW },
		{ "refs/meta/pushguard/a/b/c", "refs/meta/pushguard", PG_REFNAME_BELOW },
		{ "refs/meta", "refs/meta/pushguard", PG_REFNAME_ABOVE },
		{ "refs", "refs/meta/pushguard", PG_REFNAME_ABOVE },
		{ "refs/meta/pushguard", "refs/meta/pushguard/policy", PG_REFNAME_ABOVE },
		{ "refs/meta/pushguard/policy", "refs/meta/pushguard", PG_REFNAME_BELOW },
		/* a common prefix that is not a whole component: no conflict */
		{ "refs/meta/pushguard2", "refs/meta/pushguard", PG_REFNAME_APART },
		{ "refs/meta/pushguard2/x", "refs/meta/pushguard", PG_REFNAME_APART },
		{ "refs/meta/pushguar", "refs/meta/pushguard", PG_REFNAME_APART },
		{ "refs/meta/pushguard.old", "refs/meta/pushguard", PG_REFNAME_APART },
		{ "refs/meta/pushguard-x/y", "refs/meta/pushguard", PG_REFNAME_APART },
		{ "refs/meta/pushguard", "refs/meta/pushguard2", PG_REFNAME_APART },
		{ "refs/meta/other", "refs/meta/pushguard", PG_REFNAME_APART },
		{ "refs/heads/main", "refs/meta/pushguard", PG_REFNAME_APART },
		{ "refs/heads/meta/pushguard", "refs/meta/pushguard", PG_REFNAME_APART },
		{ "refs/metapushguard", "refs/meta/pushguard", PG_REFNAME_APART },
		/* components compare exactly (git's ref names are case-sensitive) */
		{ "refs/meta/PushGuard/x", "refs/meta/pushguard", PG_REFNAME_APART },
		/* trailing, leading and doubled slashes are not components */
		{ "refs/meta/pushguard/", "refs/meta/pushguard", PG_REFNAME_SAME },
		{ "refs/meta/pushguard", "refs/meta/pushguard/", PG_REFNAME_SAME },
		{ "refs/meta/pushguard/x", "refs/meta/pushguard/", PG_REFNAME_BELOW },
		{ "refs/meta/pushguard/", "refs/meta/pushguard/x", PG_REFNAME_ABOVE },
		{ "refs/meta/pushguard//x", "refs/meta/pushguard", PG_REFNAME_BELOW },
		{ "/refs/meta/pushguard", "refs/meta/pushguard", PG_REFNAME_SAME },
		{ "refs/meta/", "refs/meta/pushguard", PG_REFNAME_ABOVE },
		/* no name: nothing is reserved, nothing conflicts */
		{ "refs/meta/pushguard", "", PG_REFNAME_APART },
		{ "refs/meta/pushguard", "/", PG_REFNAME_APART },
		{ "", "refs/meta/pushguard", PG_REFNAME_APART },
		{ "/", "refs/meta/pushguard", PG_REFNAME_APART },
		{ "refs/meta/pushguard", NULL, PG_REFNAME_APART },
		{ NULL, "refs/meta/pushguard", PG_REFNAME_APART },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++)
		if (pg_refname_relation(cases[i].ref, cases[i].pref) != cases[i].want)
			fail_msg("'%s' against the policy ref '%s': %d, want %d",
				 cases[i].ref ? cases[i].ref : "(null)", cases[i].pref ? cases[i].pref : "(null)",
				 (int)pg_refname_relation(cases[i].ref, cases[i].pref), (int)cases[i].want);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(gitconfig_syntax),
		cmocka_unit_test(gitconfig_errors_name_line),
		cmocka_unit_test(ref_layer_between_policy_and_repo),
		cmocka_unit_test(ref_layer_refuses_server_keys),
		cmocka_unit_test(refused_keys),
		cmocka_unit_test(diff_keys_and_files),
		cmocka_unit_test(refname_relation),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
