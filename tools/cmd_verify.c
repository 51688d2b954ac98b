/* pushguard verify [REPO] [REV...]: each commit's (or annotated tag's)
 * signature verdict in git's terms, against the repository's trusted keys.
 * Exit 0 all good, 1 some not good, 2 error. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "pushguard.h"

struct verify_run {
	git_repository *repo;
	git_odb *odb;
	pg_signatures *sigs;
	size_t good, bad;
};

static void print_safe(FILE *fp, const char *s)
{
	struct pg_buf b = PG_BUF_INIT;

	pg_render_safe(&b, s ? s : "");
	fputs(pg_buf_failed(&b) ? "(out of memory)" : b.ptr, fp);
	pg_buf_release(&b);
}

static int verify_one(struct verify_run *r, const git_oid *oid, struct pg_error *err)
{
	pg_signed *obj = NULL;
	struct pg_sig_verdict v = PG_SIG_VERDICT_INIT;
	char hex[GIT_OID_HEXSZ + 1];
	int rc;

	git_oid_tostr(hex, sizeof(hex), oid);
	if ((rc = pg_signed_new(&obj, err)) < 0 ||
	    (rc = pg_signatures_verify_oid(r->sigs, r->odb, oid, obj, &v, err)) < 0)
		goto out;
	printf("%c %.7s %s", v.letter, hex, pg_sig_letter_name(v.letter));
	if (v.key) {
		printf("  key %s", v.key);
		if (v.signer) {
			fputs(" (", stdout);
			print_safe(stdout, v.signer);
			putchar(')');
		}
	}
	fputs("  \"", stdout);
	print_safe(stdout, pg_signed_subject(obj));
	putchar('"');
	if (pg_signatures_exempt(r->sigs, pg_signed_email(obj)))
		fputs("  [exempt committer: the hook would not ask for a signature]", stdout);
	putchar('\n');
	if (v.reason) {
		fputs("    ", stdout);
		print_safe(stdout, v.reason);
		putchar('\n');
	}
	if (v.letter == 'G')
		r->good++;
	else
		r->bad++;
out:
	pg_sig_verdict_release(&v);
	pg_signed_free(obj);
	return rc;
}

static int verify_range(struct verify_run *r, const char *range, struct pg_error *err)
{
	git_revwalk *walk = NULL;
	git_oid oid;
	int rc, ret = -1;

	if (git_revwalk_new(&walk, r->repo) < 0 || git_revwalk_push_range(walk, range) < 0) {
		ret = pg_error_git(err, "bad revision range '%s'", range);
		goto out;
	}
	git_revwalk_sorting(walk, GIT_SORT_TOPOLOGICAL | GIT_SORT_TIME);
	while ((rc = git_revwalk_next(&oid, walk)) == 0)
		if ((ret = verify_one(r, &oid, err)) < 0)
			goto out;
	if (rc != GIT_ITEROVER) {
		ret = pg_error_git(err, "walking '%s'", range);
		goto out;
	}
	ret = 0;
out:
	git_revwalk_free(walk);
	return ret;
}

static int verify_rev(struct verify_run *r, const char *rev, struct pg_error *err)
{
	git_object *obj = NULL;
	int ret;

	if (strstr(rev, ".."))
		return verify_range(r, rev, err);
	if (git_revparse_single(&obj, r->repo, rev) < 0)
		return pg_error_git(err, "unknown revision '%s'", rev);
	if (git_object_type(obj) != GIT_OBJECT_COMMIT && git_object_type(obj) != GIT_OBJECT_TAG) {
		git_object_free(obj);
		return pg_error_set(err, PG_EINPUT, "'%s' is neither a commit nor an annotated tag", rev);
	}
	ret = verify_one(r, git_object_id(obj), err);
	git_object_free(obj);
	return ret;
}

static bool is_dir(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

int pg_cmd_verify(int argc, char **argv)
{
	struct verify_run r = { NULL, NULL, NULL, 0, 0 };
	struct pg_error err = PG_ERROR_INIT;
	pg_policy *policy = NULL;
	char *config = NULL;
	const char *path = NULL;
	int i = 1, ret = 2;

	if (argc > 1 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
		puts("usage: pushguard verify [REPO] [REV...]\n"
		     "  REV: a commit, an annotated tag or a range A..B (default HEAD)\n"
		     "  prints git's letter (G B U X Y R E N) for each; exit 0 all good, 1 not, 2 error");
		return 0;
	}
	if (pg_policy_new(&policy, &err) < 0 || pg_repo_global_init(&err) < 0)
		goto fail;
	/* the first argument is the repository when it is a directory git can open */
	if (argc > 1 && is_dir(argv[1]) && pg_repo_open(&r.repo, argv[1], &err) == 0) {
		path = argv[1];
		i = 2;
	}
	err = (struct pg_error)PG_ERROR_INIT;
	if (!r.repo && pg_repo_open(&r.repo, path, &err) < 0)
		goto fail;
	if (!(config = pg_repo_config_path(r.repo))) {
		pg_error_oom(&err);
		goto fail;
	}
	if (pg_policy_load_repo(policy, r.repo, config, NULL, &err) < 0 ||
	    pg_signatures_open(&r.sigs, policy, &err) < 0)
		goto fail;
	if (git_repository_odb(&r.odb, r.repo) < 0) {
		pg_error_git(&err, "cannot open the object database");
		goto fail;
	}
	if (i == argc) {
		if (verify_rev(&r, "HEAD", &err) < 0)
			goto fail;
	}
	for (; i < argc; i++)
		if (verify_rev(&r, argv[i], &err) < 0)
			goto fail;
	ret = r.bad ? 1 : 0;
	goto out;
fail:
	fputs("pushguard: ", stderr);
	print_safe(stderr, err.msg);
	fputc('\n', stderr);
	ret = 2;
out:
	free(config);
	pg_signatures_free(r.sigs);
	pg_policy_free(policy);
	git_odb_free(r.odb);
	git_repository_free(r.repo);
	git_libgit2_shutdown();
	return ret;
}
