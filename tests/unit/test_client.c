/* Unit tests for lib/client.c: git's pre-push input, what the developer's
 * machine skips, and the staged changes as one commit for the checks. */
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

#include "check.h"
#include "client.h"
#include "clock.h"
#include "policy.h"
#include "repo_fixture.h"

#define A40 "0123456789abcdef0123456789abcdef01234567"
#define B40 "fedcba9876543210fedcba9876543210fedcba98"

static void test_parse_pre_push(void **state)
{
	struct pg_push push = PG_PUSH_INIT;
	struct pg_error err = PG_ERROR_INIT;
	const char *in = "refs/heads/main " A40 " refs/heads/main " B40 "\n"
			 "HEAD " A40 " refs/heads/new " Z40 "\r\n"
			 "\n"
			 "(delete) " Z40 " refs/tags/v1 " B40;

	(void)state;
	assert_int_equal(pg_client_parse_pre_push(&push, in, strlen(in), &err), 0);
	assert_int_equal(push.nupdates, 3);
	/* the remote ref, its remote value as old, the local value as new */
	assert_string_equal(push.updates[0].ref, "refs/heads/main");
	assert_string_equal(push.updates[0].old, B40);
	assert_string_equal(push.updates[0].new, A40);
	assert_false(push.updates[0].created);
	assert_false(push.updates[0].deleted);
	assert_string_equal(push.updates[1].ref, "refs/heads/new");
	assert_true(push.updates[1].created);
	assert_string_equal(push.updates[1].short_name, "new");
	assert_string_equal(push.updates[2].ref, "refs/tags/v1");
	assert_true(push.updates[2].deleted);
	assert_int_equal(push.updates[2].kind, PG_REF_TAG);
	pg_push_release(&push);
	/* nothing to push: nothing */
	assert_int_equal(pg_client_parse_pre_push(&push, "", 0, &err), 0);
	assert_int_equal(push.nupdates, 0);
}

static void test_parse_pre_push_bad(void **state)
{
	static const char *const bad[] = {
		"refs/heads/main " A40 " refs/heads/main",                /* three fields */
		"refs/heads/main " A40 " refs/heads/main " B40 " extra",  /* five */
		"refs/heads/main xyz refs/heads/main " B40,               /* not an id */
		"refs/heads/main " A40 " refs/heads/main " B40 "0",       /* lengths differ */
		"refs/heads/main " A40 " main " B40,                      /* not a full ref */
	};

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		struct pg_push push = PG_PUSH_INIT;
		struct pg_error err = PG_ERROR_INIT;
		char in[300];

		snprintf(in, sizeof(in), "refs/heads/ok " A40 " refs/heads/ok " B40 "\n%s\n", bad[i]);
		assert_int_equal(pg_client_parse_pre_push(&push, in, strlen(in), &err), PG_EINPUT);
		if (!strstr(err.msg, "pre-push input line 2"))
			fail_msg("case %zu: %s", i, err.msg);
		pg_push_release(&push);
	}
}

/* A policy from one system file holding text. */
static void load_policy(struct pg_policy *p, const char *dir, const char *text)
{
	char path[512];
	struct pg_error err = PG_ERROR_INIT;
	FILE *fp;

	snprintf(path, sizeof(path), "%s/default.conf", dir); /* the named policy: empty */
	assert_non_null(fp = fopen(path, "w"));
	fclose(fp);
	snprintf(path, sizeof(path), "%s/system.conf", dir);
	assert_non_null(fp = fopen(path, "w"));
	fputs(text, fp);
	fclose(fp);
	pg_policy_init(p);
	if (pg_policy_load(p, &(struct pg_policy_paths){ path, dir, NULL }, &err) < 0)
		fail_msg("%s", err.msg);
}

static void test_limit_policy(void **state)
{
	struct repo_fx fx;
	struct pg_policy p;
	struct pg_strvec notes = PG_STRVEC_INIT;
	struct pg_error err = PG_ERROR_INIT;
	char conf[1024];

	(void)state;
	assert_int_equal(repo_fx_init(&fx, "client-policy"), 0);
	load_policy(&p, fx.dir, "[pushguard \"tickets\"]\n\trequired = true\n\tprojects = PROJ\n"
		    "\turl = https://tracker.example/{ticket}\n"
		    "[pushguard \"files\"]\n\tdeny = *.pem\n");
	/* no token on this machine: only the syntax, said so; everything else as it was */
	assert_int_equal(pg_client_limit_policy(&p, false, &notes, &err), 0);
	assert_int_equal(notes.n, 1);
	assert_non_null(strstr(notes.v[0], "ticket lookups skipped here (no tracker token on this machine"));
	assert_null(pg_policy_str(&p, "pushguard.tickets.url", NULL));
	assert_true(pg_policy_bool(&p, "pushguard.tickets.required", false));
	assert_int_equal(p.files_deny.n, 1);
	pg_policy_release(&p);
	pg_strvec_clear(&notes);

	/* a readable token: lookups stay, unless offline */
	snprintf(conf, sizeof(conf), "[pushguard \"tickets\"]\n\trequired = true\n\tprojects = PROJ\n"
		 "\turl = https://tracker.example/{ticket}\n\ttokenFile = %s/token\n", fx.dir);
	fx_write_file(&fx, "token", "secret\n");
	load_policy(&p, fx.dir, conf);
	assert_int_equal(pg_client_limit_policy(&p, false, &notes, &err), 0);
	assert_int_equal(notes.n, 0);
	assert_string_equal(pg_policy_str(&p, "pushguard.tickets.url", ""), "https://tracker.example/{ticket}");
	assert_int_equal(pg_client_limit_policy(&p, true, &notes, &err), 0);
	assert_int_equal(notes.n, 1);
	assert_non_null(strstr(notes.v[0], "ticket lookups skipped here (the remote could not be reached)"));
	assert_null(pg_policy_str(&p, "pushguard.tickets.url", NULL));
	pg_policy_release(&p);
	pg_strvec_clear(&notes);

	/* a token file this machine cannot read */
	load_policy(&p, fx.dir, "[pushguard \"tickets\"]\n\trequired = true\n\tprojects = PROJ\n"
		    "\turl = https://tracker.example/{ticket}\n\ttokenFile = /nonexistent/token\n");
	assert_int_equal(pg_client_limit_policy(&p, false, &notes, &err), 0);
	assert_int_equal(notes.n, 1);
	assert_non_null(strstr(notes.v[0], "pushguard.tickets.tokenFile"));
	assert_null(pg_policy_str(&p, "pushguard.tickets.url", NULL));
	pg_policy_release(&p);
	pg_strvec_clear(&notes);

	/* signatures required, no trusted keys here: skipped, said so */
	load_policy(&p, fx.dir, "[pushguard \"signatures\"]\n\trequired = true\n");
	assert_int_equal(pg_client_limit_policy(&p, false, &notes, &err), 0);
	assert_int_equal(notes.n, 1);
	assert_non_null(strstr(notes.v[0], "signature check skipped here"));
	assert_false(pg_policy_bool(&p, "pushguard.signatures.required", false));
	pg_policy_release(&p);
	pg_strvec_release(&notes);
	repo_fx_release(&fx);
}

static const struct pg_added_file *file_at(const struct pg_commit *c, const char *path)
{
	for (size_t i = 0; i < c->nfiles; i++)
		if (!strcmp(c->files[i].path, path))
			return &c->files[i];
	return NULL;
}

static void staged(struct repo_fx *fx, struct pg_walk *w, bool unborn)
{
	git_index *index = NULL;
	git_object *tree = NULL;
	struct pg_error err = PG_ERROR_INIT;

	fx_open_repo(fx);
	assert_int_equal(git_repository_index(&index, fx->repo), 0);
	if (!unborn)
		assert_int_equal(git_revparse_single(&tree, fx->repo, "HEAD^{tree}"), 0);
	if (pg_client_staged_walk(w, fx->repo, index, (git_tree *)tree, true, &err) < 0)
		fail_msg("%s", err.msg);
	git_object_free(tree);
	git_index_free(index);
}

static void test_staged_walk(void **state)
{
	struct repo_fx fx;
	struct pg_walk w = PG_WALK_INIT;
	char head[GIT_OID_HEXSZ + 1];
	const struct pg_added_file *f;

	(void)state;
	assert_int_equal(repo_fx_init(&fx, "client-staged"), 0);
	fx_write_file(&fx, "a.txt", "one\n");
	fx_write_file(&fx, "same.txt", "same\n");
	fx_commit(&fx, "first", head);
	fx_write_file(&fx, "a.txt", "one\ntwo\n");
	fx_write_file(&fx, "b.txt", "new\n");
	fx_write_file(&fx, "unstaged.txt", "not added\n");
	fx_write_file(&fx, "later.txt", "intent to add\n");
	fx_sh(&fx, "git add a.txt b.txt && git add -N later.txt");
	staged(&fx, &w, false);
	assert_int_equal(w.n, 1);
	assert_int_equal(w.commits[0].nfiles, 2);
	assert_non_null(f = file_at(&w.commits[0], "a.txt"));
	assert_int_equal(f->size, 8);
	assert_non_null(file_at(&w.commits[0], "b.txt"));
	assert_null(file_at(&w.commits[0], "same.txt"));
	assert_null(file_at(&w.commits[0], "unstaged.txt"));
	assert_null(file_at(&w.commits[0], "later.txt"));
	assert_int_equal(w.commits[0].nparent_trees, 1);
	assert_int_equal(w.commits[0].nrefs, 1);
	pg_walk_release(&w);
	repo_fx_release(&fx);

	/* an unborn branch: everything staged is new, no parent */
	assert_int_equal(repo_fx_init(&fx, "client-unborn"), 0);
	fx_write_file(&fx, "a.txt", "one\n");
	fx_sh(&fx, "git add a.txt");
	staged(&fx, &w, true);
	assert_int_equal(w.commits[0].nfiles, 1);
	assert_int_equal(w.commits[0].nparent_trees, 0);
	pg_walk_release(&w);
	repo_fx_release(&fx);
}

/* The files check over the staged commit: what the server's check says. */
static void test_staged_files_check(void **state)
{
	struct repo_fx fx;
	struct pg_walk w = PG_WALK_INIT;
	struct pg_policy p;
	struct pg_findings findings = PG_FINDINGS_INIT;
	struct pg_error err = PG_ERROR_INIT;
	char head[GIT_OID_HEXSZ + 1];

	(void)state;
	assert_int_equal(repo_fx_init(&fx, "client-files"), 0);
	fx_write_file(&fx, "a.txt", "one\n");
	fx_commit(&fx, "first", head);
	fx_write_file(&fx, "server.pem", "x\n");
	fx_sh(&fx, "git add server.pem");
	staged(&fx, &w, false);
	pg_policy_init(&p);
	assert_int_equal(pg_strvec_push(&p.files_deny, "*.pem"), 0);
	fx_update(&fx, "refs/heads/main", head, head);
	{
		struct pg_check_ctx ctx = { fx.repo, &fx.push, &p, &w, &findings, 0 };

		assert_int_equal(pg_check_files(&ctx, &err), 0);
	}
	assert_int_equal(findings.n, 1);
	assert_string_equal(findings.v[0].path, "server.pem");
	assert_string_equal(findings.v[0].rule, "deny");
	/* a section limited to other refs does not judge this branch */
	pg_findings_release(&findings);
	assert_int_equal(pg_strvec_push(&p.files_scope, "refs/heads/release"), 0);
	{
		struct pg_check_ctx ctx = { fx.repo, &fx.push, &p, &w, &findings, 0 };

		assert_int_equal(pg_check_files(&ctx, &err), 0);
	}
	assert_int_equal(findings.n, 0);
	pg_findings_release(&findings);
	pg_policy_release(&p);
	pg_walk_release(&w);
	repo_fx_release(&fx);
}

static void test_git(void **state)
{
	struct pg_buf out = PG_BUF_INIT, errout = PG_BUF_INIT;
	struct pg_error err = PG_ERROR_INIT;
	static const char *const version[] = { "git", "--version", NULL };
	static const char *const bad[] = { "git", "rev-parse", "--git-dir", NULL };
	static const char *const slow[] = { "git", "-c", "alias.slow=!sleep 3", "slow", NULL };
	static const char *const leaves[] = { "git", "-c", "alias.leaves=!(sleep 3 &); echo done", "leaves", NULL };
	char cwd[4096];
	int64_t t;

	(void)state;
	assert_non_null(getcwd(cwd, sizeof(cwd)));
	assert_int_equal(pg_client_git(&out, &errout, 0, version, &err), 0);
	assert_non_null(strstr(out.ptr, "git version"));
	pg_buf_reset(&out);
	/* outside any repository: git's exit status and message */
	assert_int_equal(chdir("/"), 0);
	setenv("GIT_CEILING_DIRECTORIES", "/", 1);
	assert_int_equal(pg_client_git(&out, &errout, 0, bad, &err), 128);
	assert_non_null(strstr(errout.ptr, "not a git repository"));
	unsetenv("GIT_CEILING_DIRECTORIES");
	assert_int_equal(chdir(cwd), 0);
	/* killed at the deadline */
	t = pg_clock_ms();
	assert_int_equal(pg_client_git(NULL, NULL, 300, slow, &err), PG_CLIENT_TIMED_OUT);
	assert_true(pg_clock_ms() - t < 2000);
	/* git is done though something it started still holds the pipes: done */
	pg_buf_reset(&out);
	t = pg_clock_ms();
	assert_int_equal(pg_client_git(&out, NULL, 10000, leaves, &err), 0);
	assert_true(pg_clock_ms() - t < 2000);
	assert_non_null(strstr(out.ptr, "done"));
	pg_buf_release(&out);
	pg_buf_release(&errout);
}

static void test_run_hook(void **state)
{
	struct repo_fx fx;
	struct pg_error err = PG_ERROR_INIT;
	const char *args[] = { "origin", "file:///x", NULL };
	char path[512], got[256];

	(void)state;
	assert_int_equal(repo_fx_init(&fx, "client-hook"), 0);
	snprintf(path, sizeof(path), "%s/hook", fx.dir);
	fx_write_file(&fx, "hook", "#!/bin/sh\nread line\necho \"$1 $2 $line\" >\"$(dirname \"$0\")/out\"\nexit 3\n");
	fx_sh(&fx, "chmod +x hook");
	assert_int_equal(pg_client_run_hook(path, args, "refs/heads/main A refs/heads/main B\n", 35, &err), 3);
	fx_sh_out(&fx, got, sizeof(got), "cat out");
	assert_string_equal(got, "origin file:///x refs/heads/main A refs/heads/main B");
	repo_fx_release(&fx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_pre_push),
		cmocka_unit_test(test_parse_pre_push_bad),
		cmocka_unit_test(test_limit_policy),
		cmocka_unit_test(test_staged_walk),
		cmocka_unit_test(test_staged_files_check),
		cmocka_unit_test(test_git),
		cmocka_unit_test(test_run_hook),
	};

	return cmocka_run_group_tests(tests, repo_fx_group_setup, repo_fx_group_teardown);
}
