/* Unit tests for lib/policy.c: layered git-config policy loading. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <git2.h>

#include "budget.h"
#include "check_secrets.h"
#include "policy.h"
#include "tickets.h"
#include "webhook.h"

#define SCRATCH "/tmp/pg-unit"

struct fx {
	char dir[256];
	char sys[320];  /* system file (absent unless a test writes it) */
	char pdir[320]; /* policy dir, holding default.conf */
	char repo[320]; /* repository config (absent unless a test writes it) */
	struct pg_policy p;
	struct pg_error err;
	struct pg_policy_paths paths;
};

static int group_setup(void **state)
{
	(void)state;
	unsetenv("PUSHGUARD_SYSTEM_CONFIG");
	unsetenv("PUSHGUARD_POLICY_DIR");
	return git_libgit2_init() < 0 ? -1 : 0;
}

static int group_teardown(void **state)
{
	(void)state;
	git_libgit2_shutdown();
	return 0;
}

static void write_file(const char *path, const char *content)
{
	FILE *fp = fopen(path, "w");

	if (!fp)
		fail_msg("cannot write %s: %s", path, strerror(errno));
	fputs(content, fp);
	fclose(fp);
}

static int setup(void **state)
{
	struct fx *fx = calloc(1, sizeof(*fx));

	if (!fx)
		return -1;
	if (mkdir(SCRATCH, 0700) < 0 && errno != EEXIST)
		return -1;
	snprintf(fx->dir, sizeof(fx->dir), SCRATCH "/policy.XXXXXX");
	if (!mkdtemp(fx->dir))
		return -1;
	snprintf(fx->sys, sizeof(fx->sys), "%s/system.conf", fx->dir);
	snprintf(fx->pdir, sizeof(fx->pdir), "%s/policies", fx->dir);
	snprintf(fx->repo, sizeof(fx->repo), "%s/repo-config", fx->dir);
	if (mkdir(fx->pdir, 0700) < 0)
		return -1;
	{
		char def[400];
		FILE *fp;

		snprintf(def, sizeof(def), "%s/default.conf", fx->pdir);
		if (!(fp = fopen(def, "w")))
			return -1;
		fputs("# the default policy: empty unless a test writes it\n", fp);
		fclose(fp);
	}
	fx->paths.system_file = fx->sys;
	fx->paths.policy_dir = fx->pdir;
	fx->paths.repo_config = fx->repo;
	pg_policy_init(&fx->p);
	fx->err = (struct pg_error)PG_ERROR_INIT;
	*state = fx;
	return 0;
}

static int rm_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static int teardown(void **state)
{
	struct fx *fx = *state;

	pg_policy_release(&fx->p);
	nftw(fx->dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	free(fx);
	return 0;
}

static int load(struct fx *fx)
{
	pg_policy_release(&fx->p);
	pg_policy_init(&fx->p);
	fx->err = (struct pg_error)PG_ERROR_INIT;
	return pg_policy_load(&fx->p, &fx->paths, &fx->err);
}

static void policy_path(const struct fx *fx, const char *name, char *out, size_t n)
{
	snprintf(out, n, "%s/%s.conf", fx->pdir, name);
}

static void write_policy(const struct fx *fx, const char *name, const char *content)
{
	char path[400];

	policy_path(fx, name, path, sizeof(path));
	write_file(path, content);
}

#define assert_has(hay, needle)                                                   \
	do {                                                                      \
		if (!strstr((hay), (needle)))                                     \
			fail_msg("'%s' not found in '%s'", (needle), (hay));      \
	} while (0)

/* The n-th recorded setting of key (canonical spelling), or NULL. */
static const struct pg_setting *setting(const struct fx *fx, const char *key, size_t n)
{
	for (size_t i = 0; i < fx->p.nsettings; i++)
		if (!strcmp(fx->p.settings[i].key, key) && n-- == 0)
			return &fx->p.settings[i];
	return NULL;
}

static size_t nsettings(const struct fx *fx, const char *key)
{
	size_t n = 0;

	for (size_t i = 0; i < fx->p.nsettings; i++)
		if (!strcmp(fx->p.settings[i].key, key))
			n++;
	return n;
}

static void assert_setting(const struct fx *fx, const char *key, size_t n, const char *value,
			   const char *origin)
{
	const struct pg_setting *s = setting(fx, key, n);

	if (!s)
		fail_msg("no setting #%zu for %s", n, key);
	assert_string_equal(s->value, value);
	assert_string_equal(s->origin, origin);
}

/* Asserts a PG_ECONFIG load whose first problem mentions every needle. */
static void expect_econfig(struct fx *fx, const char *const *needles, size_t n)
{
	int rc = load(fx);

	if (rc != PG_ECONFIG)
		fail_msg("pg_policy_load returned %d, want PG_ECONFIG (%d); msg '%s'", rc, PG_ECONFIG, fx->err.msg);
	assert_int_equal(fx->err.code, PG_ECONFIG);
	assert_true(fx->p.problems.n >= 1);
	for (size_t i = 0; i < n; i++)
		assert_has(fx->err.msg, needles[i]);
}

#define EXPECT_ECONFIG(fx, ...)                                                   \
	do {                                                                      \
		const char *const needles_[] = { __VA_ARGS__ };                   \
		expect_econfig((fx), needles_, sizeof(needles_) / sizeof(*needles_)); \
	} while (0)

static void test_builtin_defaults(void **state)
{
	struct fx *fx = *state;
	char def[400];

	assert_int_equal(load(fx), PG_OK);
	assert_int_equal(fx->err.code, 0);
	assert_int_equal(fx->p.problems.n, 0);
	assert_int_equal(fx->p.mode, PG_MODE_ENFORCE);
	assert_int_equal(fx->p.on_error, PG_ON_ERROR_REJECT);
	assert_string_equal(fx->p.name, "default");
	policy_path(fx, "default", def, sizeof(def));
	assert_string_equal(fx->p.policy_file, def);
	assert_int_equal(fx->p.deny_delete.n, 0);
	assert_int_equal(fx->p.deny_force_push.n, 0);
	assert_int_equal(fx->p.files_deny.n, 0);
	assert_int_equal(fx->p.refs_scope.n, 0);
	assert_int_equal(fx->p.commits_scope.n, 0);
	assert_int_equal(fx->p.files_scope.n, 0);
	assert_null(fx->p.branch_pattern);
	assert_null(fx->p.tag_pattern);
	assert_null(fx->p.message_pattern);
	assert_null(fx->p.reject_message_pattern);
	assert_null(fx->p.author_email_pattern);
	assert_null(fx->p.committer_email_pattern);
	assert_false(fx->p.require_signoff);
	assert_int_equal(fx->p.files_max_size, 0);
	assert_int_equal(fx->p.files_max_path_length, 0);
	assert_setting(fx, "pushguard.mode", 0, "enforce", "built-in");
	assert_setting(fx, "pushguard.onError", 0, "reject", "built-in");
	assert_setting(fx, "pushguard.policy", 0, "default", "built-in");
	assert_int_equal(nsettings(fx, "pushguard.mode"), 1);
}

static void test_missing_default_policy(void **state)
{
	struct fx *fx = *state;
	char def[400];

	policy_path(fx, "default", def, sizeof(def));
	assert_int_equal(unlink(def), 0);
	EXPECT_ECONFIG(fx, def, "pushguard.policy");
	assert_null(fx->p.policy_file);
	/* a config problem keeps the fail-closed default */
	assert_int_equal(fx->p.on_error, PG_ON_ERROR_REJECT);
}

static void test_missing_named_policy(void **state)
{
	struct fx *fx = *state;
	char want[400];

	write_file(fx->repo, "[pushguard]\n\tpolicy = nosuch\n");
	policy_path(fx, "nosuch", want, sizeof(want));
	EXPECT_ECONFIG(fx, want, "nosuch", fx->repo);
	assert_string_equal(fx->p.name, "nosuch");
}

static void test_empty_policy_name(void **state)
{
	struct fx *fx = *state;

	write_file(fx->repo, "[pushguard]\n\tpolicy =\n");
	EXPECT_ECONFIG(fx, "pushguard.policy", fx->repo);
}

static void test_layering_single_values(void **state)
{
	struct fx *fx = *state;

	write_file(fx->sys, "[pushguard]\n\tmode = warn\n[pushguard \"files\"]\n\tmaxSize = 1k\n");
	write_policy(fx, "default", "[pushguard \"files\"]\n\tmaxSize = 2k\n\tmaxPathLength = 100\n");
	write_file(fx->repo, "[core]\n\tbare = true\n[pushguard \"files\"]\n\tmaxSize = 3k\n");
	assert_int_equal(load(fx), PG_OK);
	assert_int_equal(fx->p.files_max_size, 3072);
	assert_int_equal(fx->p.files_max_path_length, 100);
	assert_int_equal(fx->p.mode, PG_MODE_WARN);
	assert_int_equal(nsettings(fx, "pushguard.files.maxSize"), 1);
	assert_setting(fx, "pushguard.files.maxSize", 0, "3k", fx->repo);
	assert_setting(fx, "pushguard.mode", 0, "warn", fx->sys);
	{
		char def[400];

		policy_path(fx, "default", def, sizeof(def));
		assert_setting(fx, "pushguard.files.maxPathLength", 0, "100", def);
	}

	/* without the repository's value the policy file wins over the system file */
	assert_int_equal(unlink(fx->repo), 0);
	assert_int_equal(load(fx), PG_OK);
	assert_int_equal(fx->p.files_max_size, 2048);

	/* and without the policy's, the system file's */
	write_policy(fx, "default", "");
	assert_int_equal(load(fx), PG_OK);
	assert_int_equal(fx->p.files_max_size, 1024);
	assert_setting(fx, "pushguard.files.maxSize", 0, "1k", fx->sys);
}

static void test_last_value_in_one_file_wins(void **state)
{
	struct fx *fx = *state;

	write_file(fx->repo, "[pushguard]\n\tmode = off\n\tmode = warn\n");
	assert_int_equal(load(fx), PG_OK);
	assert_int_equal(fx->p.mode, PG_MODE_WARN);
	assert_int_equal(nsettings(fx, "pushguard.mode"), 1);
	assert_setting(fx, "pushguard.mode", 0, "warn", fx->repo);
}

static void test_multi_valued_accumulate(void **state)
{
	struct fx *fx = *state;
	char def[400];

	policy_path(fx, "default", def, sizeof(def));
	write_file(fx->sys, "[pushguard \"files\"]\n\tdeny = *.pem\n");
	write_policy(fx, "default", "[pushguard \"files\"]\n\tdeny = id_rsa\n\tdeny = *.key\n"
				    "[pushguard \"refs\"]\n\tdenyDelete = refs/heads/main\n");
	write_file(fx->repo, "[pushguard \"files\"]\n\tdeny = .env\n"
			     "[pushguard \"refs\"]\n\tdenyDelete = refs/heads/release/*\n");
	assert_int_equal(load(fx), PG_OK);
	assert_int_equal(fx->p.files_deny.n, 4);
	assert_string_equal(fx->p.files_deny.v[0], "*.pem");
	assert_string_equal(fx->p.files_deny.v[1], "id_rsa");
	assert_string_equal(fx->p.files_deny.v[2], "*.key");
	assert_string_equal(fx->p.files_deny.v[3], ".env");
	assert_int_equal(fx->p.deny_delete.n, 2);
	assert_string_equal(fx->p.deny_delete.v[0], "refs/heads/main");
	assert_string_equal(fx->p.deny_delete.v[1], "refs/heads/release/*");
	assert_int_equal(nsettings(fx, "pushguard.files.deny"), 4);
	assert_setting(fx, "pushguard.files.deny", 0, "*.pem", fx->sys);
	assert_setting(fx, "pushguard.files.deny", 1, "id_rsa", def);
	assert_setting(fx, "pushguard.files.deny", 2, "*.key", def);
	assert_setting(fx, "pushguard.files.deny", 3, ".env", fx->repo);
}

static void test_empty_value_clears_lower_layers(void **state)
{
	struct fx *fx = *state;

	write_file(fx->sys, "[pushguard \"files\"]\n\tdeny = *.pem\n");
	write_policy(fx, "default", "[pushguard \"files\"]\n\tdeny = a\n\tdeny = b\n"
				    "[pushguard \"refs\"]\n\tdenyForcePush = refs/heads/main\n");
	write_file(fx->repo, "[pushguard \"files\"]\n\tdeny =\n\tdeny = c\n"
			     "[pushguard \"refs\"]\n\tdenyForcePush = \"\"\n");
	assert_int_equal(load(fx), PG_OK);
	assert_int_equal(fx->p.files_deny.n, 1);
	assert_string_equal(fx->p.files_deny.v[0], "c");
	assert_int_equal(fx->p.deny_force_push.n, 0);
	assert_int_equal(nsettings(fx, "pushguard.files.deny"), 1);
	assert_setting(fx, "pushguard.files.deny", 0, "c", fx->repo);
	assert_int_equal(nsettings(fx, "pushguard.refs.denyForcePush"), 0);
}

static void test_empty_value_clears_within_file(void **state)
{
	struct fx *fx = *state;

	write_file(fx->repo, "[pushguard \"files\"]\n\tdeny = a\n\tdeny =\n\tdeny = b\n\tdeny = d\n");
	assert_int_equal(load(fx), PG_OK);
	assert_int_equal(fx->p.files_deny.n, 2);
	assert_string_equal(fx->p.files_deny.v[0], "b");
	assert_string_equal(fx->p.files_deny.v[1], "d");
}

static void test_policy_chosen_in_system_overridden_in_repo(void **state)
{
	struct fx *fx = *state;
	char strict[400], relaxed[400];

	policy_path(fx, "strict", strict, sizeof(strict));
	policy_path(fx, "relaxed", relaxed, sizeof(relaxed));
	write_policy(fx, "default", "[pushguard \"files\"]\n\tmaxSize = 1k\n");
	write_policy(fx, "strict", "[pushguard \"files\"]\n\tmaxSize = 5k\n\tdeny = strict-only\n");
	write_policy(fx, "relaxed", "[pushguard \"files\"]\n\tmaxPathLength = 999\n");
	write_file(fx->sys, "[pushguard]\n\tpolicy = strict\n");

	assert_int_equal(load(fx), PG_OK);
	assert_string_equal(fx->p.name, "strict");
	assert_string_equal(fx->p.policy_file, strict);
	assert_int_equal(fx->p.files_max_size, 5120);
	assert_int_equal(fx->p.files_deny.n, 1);
	assert_setting(fx, "pushguard.files.maxSize", 0, "5k", strict);
	assert_setting(fx, "pushguard.policy", 0, "strict", fx->sys);

	write_file(fx->repo, "[pushguard]\n\tpolicy = relaxed\n");
	assert_int_equal(load(fx), PG_OK);
	assert_string_equal(fx->p.name, "relaxed");
	assert_string_equal(fx->p.policy_file, relaxed);
	assert_int_equal(fx->p.files_max_size, 0);  /* neither strict's nor default's */
	assert_int_equal(fx->p.files_deny.n, 0);
	assert_int_equal(fx->p.files_max_path_length, 999);
	assert_int_equal(nsettings(fx, "pushguard.policy"), 1);
	assert_setting(fx, "pushguard.policy", 0, "relaxed", fx->repo);
}

static void test_policy_given_as_path(void **state)
{
	struct fx *fx = *state;
	char custom[400], repo[600];

	snprintf(custom, sizeof(custom), "%s/elsewhere.conf", fx->dir);
	write_file(custom, "[pushguard \"commits\"]\n\trequireSignoff = true\n");
	snprintf(repo, sizeof(repo), "[pushguard]\n\tpolicy = %s\n", custom);
	write_file(fx->repo, repo);
	assert_int_equal(load(fx), PG_OK);
	assert_string_equal(fx->p.policy_file, custom);
	assert_string_equal(fx->p.name, custom);
	assert_true(fx->p.require_signoff);
	assert_setting(fx, "pushguard.commits.requireSignoff", 0, "true", custom);
}

static void test_policy_file_cannot_name_policy(void **state)
{
	struct fx *fx = *state;
	char def[400];

	policy_path(fx, "default", def, sizeof(def));
	write_policy(fx, "strict", "");
	write_policy(fx, "default", "[pushguard]\n\tpolicy = strict\n");
	EXPECT_ECONFIG(fx, "pushguard.policy", def);
	assert_string_equal(fx->p.name, "default");
}

static void test_unknown_key(void **state)
{
	struct fx *fx = *state;

	write_file(fx->repo, "[pushguard \"files\"]\n\tmaxSise = 1k\n");
	EXPECT_ECONFIG(fx, "pushguard.files.maxsise", fx->repo);

	unlink(fx->repo);
	write_file(fx->sys, "[pushguard]\n\tbogus = 1\n");
	EXPECT_ECONFIG(fx, "pushguard.bogus", fx->sys);

	unlink(fx->sys);
	write_policy(fx, "default", "[pushguard \"nosection\"]\n\tdeny = x\n");
	{
		char def[400];

		policy_path(fx, "default", def, sizeof(def));
		EXPECT_ECONFIG(fx, "pushguard.nosection.deny", def);
	}
}

static void test_other_sections_ignored(void **state)
{
	struct fx *fx = *state;

	write_file(fx->repo, "[core]\n\tbare = true\n\trepositoryformatversion = 0\n"
			     "[receive]\n\tdenyNonFastForwards = true\n"
			     "[pushguardx]\n\tmode = nonsense\n"
			     "[remote \"pushguard\"]\n\turl = x\n");
	assert_int_equal(load(fx), PG_OK);
	assert_int_equal(fx->p.problems.n, 0);
}

static void test_bad_mode(void **state)
{
	struct fx *fx = *state;

	write_file(fx->repo, "[pushguard]\n\tmode = strict\n");
	EXPECT_ECONFIG(fx, "pushguard.mode", "strict", fx->repo);
}

static void test_bad_on_error(void **state)
{
	struct fx *fx = *state;

	write_file(fx->sys, "[pushguard]\n\tonError = maybe\n");
	EXPECT_ECONFIG(fx, "pushguard.onError", "maybe", fx->sys);
	assert_int_equal(fx->p.on_error, PG_ON_ERROR_REJECT);
}

static void test_bad_bool(void **state)
{
	struct fx *fx = *state;

	write_file(fx->repo, "[pushguard \"commits\"]\n\trequireSignoff = perhaps\n");
	EXPECT_ECONFIG(fx, "pushguard.commits.requireSignoff", "perhaps", fx->repo);
	assert_false(fx->p.require_signoff);
}

static void test_bools(void **state)
{
	struct fx *fx = *state;
	static const struct {
		const char *text;
		bool want;
	} c[] = {
		{ "\trequireSignoff = true\n", true },
		{ "\trequireSignoff = yes\n", true },
		{ "\trequireSignoff = on\n", true },
		{ "\trequireSignoff = 1\n", true },
		{ "\trequireSignoff\n", true }, /* a bare key is true in git-config */
		{ "\trequireSignoff = false\n", false },
		{ "\trequireSignoff = no\n", false },
		{ "\trequireSignoff = 0\n", false },
	};
	char text[200];

	for (size_t i = 0; i < sizeof(c) / sizeof(*c); i++) {
		snprintf(text, sizeof(text), "[pushguard \"commits\"]\n%s", c[i].text);
		write_file(fx->repo, text);
		if (load(fx) != PG_OK)
			fail_msg("'%s': %s", c[i].text, fx->err.msg);
		if (fx->p.require_signoff != c[i].want)
			fail_msg("'%s' gave %d", c[i].text, fx->p.require_signoff);
	}
}

static void test_bad_size(void **state)
{
	struct fx *fx = *state;
	static const char *const bad[] = { "12q", "-1", "k", "1.5m", "ten" };
	char text[200];

	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		snprintf(text, sizeof(text), "[pushguard \"files\"]\n\tmaxSize = %s\n", bad[i]);
		write_file(fx->repo, text);
		{
			char quoted[64];

			snprintf(quoted, sizeof(quoted), "'%s'", bad[i]);
			EXPECT_ECONFIG(fx, "pushguard.files.maxSize", quoted, fx->repo);
		}
		assert_int_equal(fx->p.files_max_size, 0);
	}
	/* an empty size is bad too */
	write_file(fx->repo, "[pushguard \"files\"]\n\tmaxSize =\n");
	EXPECT_ECONFIG(fx, "pushguard.files.maxSize", fx->repo);
}

static void test_sizes(void **state)
{
	struct fx *fx = *state;
	static const struct {
		const char *text;
		int64_t want;
	} c[] = {
		{ "512k", 512 * 1024 },
		{ "100m", (int64_t)100 * 1024 * 1024 },
		{ "1g", (int64_t)1024 * 1024 * 1024 },
		{ "1G", (int64_t)1024 * 1024 * 1024 },
		{ "1234", 1234 },
		{ "0", 0 },
	};
	char text[200];

	for (size_t i = 0; i < sizeof(c) / sizeof(*c); i++) {
		snprintf(text, sizeof(text), "[pushguard \"files\"]\n\tmaxSize = %s\n", c[i].text);
		write_file(fx->repo, text);
		if (load(fx) != PG_OK)
			fail_msg("maxSize = %s: %s", c[i].text, fx->err.msg);
		if (fx->p.files_max_size != c[i].want)
			fail_msg("maxSize = %s gave %lld, want %lld", c[i].text,
				 (long long)fx->p.files_max_size, (long long)c[i].want);
	}
}

static void test_bad_count(void **state)
{
	struct fx *fx = *state;
	static const char *const bad[] = { "12k", "abc", "-5", "1.0", "" };
	char text[200];

	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		snprintf(text, sizeof(text), "[pushguard \"files\"]\n\tmaxPathLength = %s\n", bad[i]);
		write_file(fx->repo, text);
		EXPECT_ECONFIG(fx, "pushguard.files.maxPathLength", fx->repo);
	}
	write_file(fx->repo, "[pushguard \"files\"]\n\tmaxPathLength = 255\n");
	assert_int_equal(load(fx), PG_OK);
	assert_int_equal(fx->p.files_max_path_length, 255);
}

static void test_invalid_regex(void **state)
{
	struct fx *fx = *state;

	write_file(fx->repo, "[pushguard \"commits\"]\n\tmessagePattern = ^(ABC|DEF-[0-9]+\n");
	EXPECT_ECONFIG(fx, "pushguard.commits.messagePattern", fx->repo, "offset", "^(ABC|DEF-[0-9]+");
	assert_null(fx->p.message_pattern);

	write_file(fx->repo, "[pushguard \"refs\"]\n\tbranchPattern = [z-a]\n");
	EXPECT_ECONFIG(fx, "pushguard.refs.branchPattern", fx->repo, "offset 3");
}

static void test_valid_regexes(void **state)
{
	struct fx *fx = *state;

	write_policy(fx, "default", "[pushguard \"commits\"]\n\tmessagePattern = ^old\n");
	write_file(fx->repo, "[pushguard \"refs\"]\n\tbranchPattern = ^(feature|fix)/[a-z0-9-]+$\n"
			     "\ttagPattern = ^v[0-9]+\n"
			     "[pushguard \"commits\"]\n\tmessagePattern = ^[A-Z]+-[0-9]+ \n"
			     "\tauthorEmailPattern = @example\\\\.com$\n");
	assert_int_equal(load(fx), PG_OK);
	assert_non_null(fx->p.branch_pattern);
	assert_string_equal(pg_regex_pattern(fx->p.branch_pattern), "^(feature|fix)/[a-z0-9-]+$");
	assert_non_null(fx->p.tag_pattern);
	assert_string_equal(pg_regex_pattern(fx->p.tag_pattern), "^v[0-9]+");
	assert_non_null(fx->p.message_pattern);
	assert_string_equal(pg_regex_pattern(fx->p.message_pattern), "^[A-Z]+-[0-9]+");
	assert_non_null(fx->p.author_email_pattern);
	assert_string_equal(pg_regex_pattern(fx->p.author_email_pattern), "@example\\.com$");
	assert_null(fx->p.committer_email_pattern);

	/* an empty value unsets a lower layer's pattern */
	write_file(fx->repo, "[pushguard \"commits\"]\n\tmessagePattern =\n");
	assert_int_equal(load(fx), PG_OK);
	assert_null(fx->p.message_pattern);
}

static void test_ref_glob_must_be_full_ref(void **state)
{
	struct fx *fx = *state;

	write_file(fx->repo, "[pushguard \"refs\"]\n\tdenyDelete = main\n");
	EXPECT_ECONFIG(fx, "pushguard.refs.denyDelete", "'main'", fx->repo);
	assert_int_equal(fx->p.deny_delete.n, 0);

	write_file(fx->repo, "[pushguard \"commits\"]\n\trefs = heads/*\n");
	EXPECT_ECONFIG(fx, "pushguard.commits.refs", fx->repo);

	write_file(fx->repo, "[pushguard \"refs\"]\n\tdenyForcePush = refs/heads/[abc\n");
	EXPECT_ECONFIG(fx, "pushguard.refs.denyForcePush", fx->repo);

	/* path globs need no refs/ prefix, but must be well-formed */
	write_file(fx->repo, "[pushguard \"files\"]\n\tdeny = id_rsa\n");
	assert_int_equal(load(fx), PG_OK);
	write_file(fx->repo, "[pushguard \"files\"]\n\tdeny = keys/[abc\n");
	EXPECT_ECONFIG(fx, "pushguard.files.deny", fx->repo);
}

static void test_on_error_accept_survives_bad_value(void **state)
{
	struct fx *fx = *state;

	write_file(fx->repo, "[pushguard]\n\tonError = accept\n\tmode = bogus\n");
	EXPECT_ECONFIG(fx, "pushguard.mode", "bogus");
	assert_int_equal(fx->p.on_error, PG_ON_ERROR_ACCEPT);

	/* onError from the system file, the bad value in the policy file */
	unlink(fx->repo);
	write_file(fx->sys, "[pushguard]\n\tonError = accept\n");
	write_policy(fx, "default", "[pushguard \"files\"]\n\tmaxSize = 12q\n");
	EXPECT_ECONFIG(fx, "pushguard.files.maxSize");
	assert_int_equal(fx->p.on_error, PG_ON_ERROR_ACCEPT);

	/* even with an unknown key after it */
	write_file(fx->sys, "[pushguard]\n\tonError = accept\n\tnonsense = 1\n");
	write_policy(fx, "default", "");
	EXPECT_ECONFIG(fx, "pushguard.nonsense");
	assert_int_equal(fx->p.on_error, PG_ON_ERROR_ACCEPT);
}

static void test_all_problems_collected(void **state)
{
	struct fx *fx = *state;
	bool saw_mode = false, saw_size = false;

	write_file(fx->repo, "[pushguard]\n\tmode = bogus\n[pushguard \"files\"]\n\tmaxSize = 12q\n");
	assert_int_equal(load(fx), PG_ECONFIG);
	assert_int_equal(fx->p.problems.n, 2);
	for (size_t i = 0; i < fx->p.problems.n; i++) {
		saw_mode |= strstr(fx->p.problems.v[i], "pushguard.mode") != NULL;
		saw_size |= strstr(fx->p.problems.v[i], "pushguard.files.maxSize") != NULL;
	}
	assert_true(saw_mode);
	assert_true(saw_size);
	assert_has(fx->err.msg, "more");
}

static void test_unparseable_file(void **state)
{
	struct fx *fx = *state;

	write_file(fx->repo, "[pushguard\n\tmode = warn\n");
	EXPECT_ECONFIG(fx, fx->repo);
}

static void test_case_insensitive_keys(void **state)
{
	struct fx *fx = *state;

	write_file(fx->repo, "[pushguard \"files\"]\n\tMAXSIZE = 7k\n\tDeny = x.key\n"
			     "[PushGuard]\n\tMode = warn\n"
			     "[pushguard \"commits\"]\n\tREQUIRESIGNOFF = true\n");
	assert_int_equal(load(fx), PG_OK);
	assert_int_equal(fx->p.files_max_size, 7 * 1024);
	assert_int_equal(fx->p.files_deny.n, 1);
	assert_int_equal(fx->p.mode, PG_MODE_WARN);
	assert_true(fx->p.require_signoff);
	/* recorded under the canonical spelling */
	assert_setting(fx, "pushguard.files.maxSize", 0, "7k", fx->repo);
	assert_setting(fx, "pushguard.commits.requireSignoff", 0, "true", fx->repo);
}

static void test_scope_matches(void **state)
{
	struct pg_strvec scope = PG_STRVEC_INIT;

	(void)state;
	assert_true(pg_policy_scope_matches(&scope, "refs/heads/main"));
	assert_true(pg_policy_scope_matches(&scope, "refs/tags/v1"));
	assert_int_equal(pg_strvec_push(&scope, "refs/heads/release/*"), 0);
	assert_true(pg_policy_scope_matches(&scope, "refs/heads/release/1.0"));
	assert_false(pg_policy_scope_matches(&scope, "refs/heads/release/1.0/hotfix"));
	assert_false(pg_policy_scope_matches(&scope, "refs/heads/main"));
	assert_false(pg_policy_scope_matches(&scope, "refs/tags/release/1"));
	assert_int_equal(pg_strvec_push(&scope, "refs/heads/main"), 0);
	assert_true(pg_policy_scope_matches(&scope, "refs/heads/main"));
	assert_false(pg_policy_scope_matches(&scope, "refs/heads/mainline"));
	assert_int_equal(pg_strvec_push(&scope, "refs/tags/**"), 0);
	assert_true(pg_policy_scope_matches(&scope, "refs/tags/a/b/c"));
	pg_strvec_release(&scope);
}

static void test_scope_loaded(void **state)
{
	struct fx *fx = *state;

	write_file(fx->repo, "[pushguard \"commits\"]\n\trefs = refs/heads/main\n\trefs = refs/heads/release/*\n"
			     "[pushguard \"files\"]\n\trefs = refs/heads/**\n");
	assert_int_equal(load(fx), PG_OK);
	assert_int_equal(fx->p.commits_scope.n, 2);
	assert_true(pg_policy_scope_matches(&fx->p.commits_scope, "refs/heads/release/2"));
	assert_false(pg_policy_scope_matches(&fx->p.commits_scope, "refs/heads/topic"));
	assert_true(pg_policy_scope_matches(&fx->p.files_scope, "refs/heads/a/b"));
	assert_false(pg_policy_scope_matches(&fx->p.files_scope, "refs/tags/v1"));
	assert_true(pg_policy_scope_matches(&fx->p.refs_scope, "refs/tags/v1"));
}

static void test_env_overrides_default_paths(void **state)
{
	struct fx *fx = *state;

	write_file(fx->sys, "[pushguard]\n\tmode = warn\n");
	write_policy(fx, "default", "[pushguard \"files\"]\n\tmaxSize = 9k\n");
	setenv("PUSHGUARD_SYSTEM_CONFIG", fx->sys, 1);
	setenv("PUSHGUARD_POLICY_DIR", fx->pdir, 1);
	fx->paths.system_file = NULL;
	fx->paths.policy_dir = NULL;
	assert_int_equal(load(fx), PG_OK);
	unsetenv("PUSHGUARD_SYSTEM_CONFIG");
	unsetenv("PUSHGUARD_POLICY_DIR");
	assert_int_equal(fx->p.mode, PG_MODE_WARN);
	assert_int_equal(fx->p.files_max_size, 9 * 1024);
	assert_setting(fx, "pushguard.mode", 0, "warn", fx->sys);

	/* explicit paths win over the environment */
	setenv("PUSHGUARD_SYSTEM_CONFIG", "/nonexistent/pushguard/config", 1);
	setenv("PUSHGUARD_POLICY_DIR", "/nonexistent/policies", 1);
	fx->paths.system_file = fx->sys;
	fx->paths.policy_dir = fx->pdir;
	assert_int_equal(load(fx), PG_OK);
	unsetenv("PUSHGUARD_SYSTEM_CONFIG");
	unsetenv("PUSHGUARD_POLICY_DIR");
	assert_int_equal(fx->p.mode, PG_MODE_WARN);
	assert_int_equal(fx->p.files_max_size, 9 * 1024);
}

static void test_no_repo_config(void **state)
{
	struct fx *fx = *state;

	write_policy(fx, "default", "[pushguard \"files\"]\n\tmaxSize = 1k\n");
	fx->paths.repo_config = NULL;
	assert_int_equal(load(fx), PG_OK);
	assert_int_equal(fx->p.files_max_size, 1024);
}

/* Every key documents its built-in default (docs/config.md shows it), and a
 * default written as one literal, `VALUE`, is a valid value of its key; the
 * numeric ones are the values the code falls back on. */
static void test_key_defaults_documented(void **state)
{
	struct fx *fx = *state;
	const struct pg_key_def *k;
	char *cfg = NULL;
	size_t len = 0, literals = 0;
	FILE *fp = open_memstream(&cfg, &len);

	assert_non_null(fp);
	for (size_t i = 0; (k = pg_policy_key(i)); i++) {
		const char *d = k->def, *name = k->name + strlen("pushguard."), *dot = strrchr(name, '.');
		size_t n;

		if (!d)
			fail_msg("%s: no def in its pg_key_def", k->name);
		assert_non_null(k->help);
		n = strlen(d);
		if (n < 2 || d[0] != '`' || d[n - 1] != '`' || memchr(d + 1, '`', n - 2))
			continue; /* prose ("all refs", "system CAs") or unset */
		if (dot)
			fprintf(fp, "[pushguard \"%.*s\"]\n\t%s = \"%.*s\"\n", (int)(dot - name), name, dot + 1,
				(int)(n - 2), d + 1);
		else
			fprintf(fp, "[pushguard]\n\t%s = \"%.*s\"\n", name, (int)(n - 2), d + 1);
		literals++;
	}
	fclose(fp);
	assert_true(literals >= 20);
	write_file(fx->repo, cfg);
	free(cfg);
	if (load(fx) != 0)
		fail_msg("a documented default is not a valid value: %s", fx->err.msg);
	assert_int_equal(fx->p.nsettings >= literals, 1);
	assert_true(pg_policy_int(&fx->p, "pushguard.timeBudget", -1) == PG_BUDGET_DEFAULT_MS);
	assert_true(pg_policy_int(&fx->p, "pushguard.tickets.timeout", -1) == PG_TICKETS_DEFAULT_TIMEOUT_MS);
	assert_true(pg_policy_int(&fx->p, "pushguard.webhook.timeout", -1) == PG_WEBHOOK_DEFAULT_TIMEOUT_MS);
	assert_true(pg_policy_int(&fx->p, "pushguard.webhook.retries", -1) == PG_WEBHOOK_DEFAULT_RETRIES);
	assert_true(pg_policy_int(&fx->p, "pushguard.secrets.maxBlobSize", -1) == PG_SECRETS_DEFAULT_MAX_BLOB);
	assert_string_equal(pg_policy_str(&fx->p, "pushguard.secrets.block", ""), "medium");
	assert_string_equal(pg_policy_str(&fx->p, "pushguard.mode", ""), "enforce");
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_builtin_defaults),
		T(test_key_defaults_documented),
		T(test_missing_default_policy),
		T(test_missing_named_policy),
		T(test_empty_policy_name),
		T(test_layering_single_values),
		T(test_last_value_in_one_file_wins),
		T(test_multi_valued_accumulate),
		T(test_empty_value_clears_lower_layers),
		T(test_empty_value_clears_within_file),
		T(test_policy_chosen_in_system_overridden_in_repo),
		T(test_policy_given_as_path),
		T(test_policy_file_cannot_name_policy),
		T(test_unknown_key),
		T(test_other_sections_ignored),
		T(test_bad_mode),
		T(test_bad_on_error),
		T(test_bad_bool),
		T(test_bools),
		T(test_bad_size),
		T(test_sizes),
		T(test_bad_count),
		T(test_invalid_regex),
		T(test_valid_regexes),
		T(test_ref_glob_must_be_full_ref),
		T(test_on_error_accept_survives_bad_value),
		T(test_all_problems_collected),
		T(test_unparseable_file),
		T(test_case_insensitive_keys),
		cmocka_unit_test(test_scope_matches),
		T(test_scope_loaded),
		T(test_env_overrides_default_paths),
		T(test_no_repo_config),
	};
#undef T

	return cmocka_run_group_tests_name("policy", tests, group_setup, group_teardown);
}
