/* Unit tests for lib/background.c: the hand-over file, the ref snapshot,
 * finding and watching receive-pack, and deciding when a push has landed, on
 * real repositories and real processes. (Starting the detached check re-runs
 * the hook binary: tests/e2e/t145-background-scan.sh covers it.) */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <git2.h>

#include "background.h"
#include "clock.h"
#include "repo_fixture.h"
#include "repo.h"

#define H1 "1111111111111111111111111111111111111111"
#define H2 "2222222222222222222222222222222222222222"

static struct repo_fx fx; /* a scratch repository per test (repo_fixture.h) */

static int setup(void **state)
{
	(void)state;
	return repo_fx_init(&fx, "background");
}

static int teardown(void **state)
{
	(void)state;
	repo_fx_release(&fx);
	return 0;
}

/* fx's repository, opened afresh (fx owns it) */
static git_repository *open_repo(void)
{
	fx_open_repo(&fx);
	return fx.repo;
}

/* ------------------------------------------------------- hand-over file */

static void handover_round_trip(void **state)
{
	struct pg_background_job a = PG_BACKGROUND_JOB_INIT, b = PG_BACKGROUND_JOB_INIT;
	struct pg_error err = PG_ERROR_INIT;
	struct pg_buf text = PG_BUF_INIT;
	static const char *const options[] = { "pushguard.bypass=prod down, INC-4711", "x\\y", "tab\there \xff\xfe", "" };
	git_oid tips[2];

	(void)state;
	snprintf(a.hook, sizeof(a.hook), "update");
	snprintf(a.unchecked_id, sizeof(a.unchecked_id), "0b5e3f9c-1111-4222-8333-444455556666");
	assert_non_null(a.git_dir = strdup("/srv/git/team app\\x.git"));
	a.receive_pack.pid = 4242;
	a.receive_pack.start = 123456789012ULL;
	assert_int_equal(pg_push_add_update(&a.push, "refs/heads/we ird\xc3\xa9$(x)", H1, H2, &err), 0);
	assert_int_equal(pg_push_add_update(&a.push, "refs/tags/v1", H2, Z40, &err), 0);
	for (size_t i = 0; i < sizeof(options) / sizeof(*options); i++)
		assert_int_equal(pg_strvec_push(&a.push.options, options[i]), 0);
	assert_non_null(a.push.pusher = strdup("bob smith\n"));
	assert_non_null(a.push.protocol = strdup("ssh"));
	assert_int_equal(git_oid_fromstr(&tips[0], H1), 0);
	assert_int_equal(git_oid_fromstr(&tips[1], H2), 0);
	a.tips = tips;
	a.ntips = 2;

	assert_int_equal(pg_background_encode(&text, &a), 0);
	/* one field per line: no raw newline, space or high byte inside a value */
	assert_null(strstr(text.ptr, "bob smith\n"));
	assert_non_null(strstr(text.ptr, "pusher bob\\x20smith\\x0a\n"));
	assert_int_equal(pg_background_decode(&b, text.ptr, text.len, &err), 0);
	assert_string_equal(b.hook, "update");
	assert_string_equal(b.unchecked_id, a.unchecked_id);
	assert_string_equal(b.git_dir, a.git_dir);
	assert_int_equal(b.receive_pack.pid, 4242);
	assert_true(b.receive_pack.start == 123456789012ULL);
	assert_int_equal(b.push.nupdates, 2);
	assert_string_equal(b.push.updates[0].ref, "refs/heads/we ird\xc3\xa9$(x)");
	assert_string_equal(b.push.updates[0].old, H1);
	assert_string_equal(b.push.updates[0].new, H2);
	assert_true(b.push.updates[1].deleted);
	assert_int_equal(b.push.options.n, 4);
	for (size_t i = 0; i < 4; i++)
		assert_string_equal(b.push.options.v[i], options[i]);
	assert_string_equal(b.push.pusher, "bob smith\n");
	assert_string_equal(b.push.protocol, "ssh");
	assert_int_equal(b.ntips, 2);
	assert_int_equal(git_oid_cmp(&b.tips[1], &tips[1]), 0);

	a.tips = NULL; /* not owned here */
	pg_background_job_release(&a);
	pg_background_job_release(&b);
	pg_buf_release(&text);
}

static void expect_bad(const char *text)
{
	struct pg_background_job job = PG_BACKGROUND_JOB_INIT;
	struct pg_error err = PG_ERROR_INIT;

	if (pg_background_decode(&job, text, strlen(text), &err) != PG_EINPUT)
		fail_msg("accepted: %s", text);
	assert_int_equal(err.code, PG_EINPUT);
	pg_background_job_release(&job);
}

#define HEAD "pushguard-background 1\nhook pre-receive\nunchecked-id 0b5e3f9c-1111-4222-8333-444455556666\n" \
	     "git-dir /srv/a.git\n"

static void handover_malformed(void **state)
{
	struct pg_background_job job = PG_BACKGROUND_JOB_INIT;
	struct pg_error err = PG_ERROR_INIT;

	(void)state;
	/* the smallest valid file */
	assert_int_equal(pg_background_decode(&job, HEAD "end\n", strlen(HEAD "end\n"), &err), 0);
	assert_int_equal(job.push.nupdates, 0);
	assert_int_equal(job.receive_pack.pid, 0);
	pg_background_job_release(&job);

	expect_bad("");
	expect_bad("pushguard-background 2\nend\n");
	expect_bad(HEAD);                                   /* cut short: no end */
	expect_bad(HEAD "update " H1 " " H2 " refs/heads/m\n"); /* cut short after a line */
	expect_bad(HEAD "end");                             /* no final newline */
	expect_bad(HEAD "end\ntip " H1 "\n");               /* after the end */
	expect_bad(HEAD "colour blue\nend\n");              /* unknown key */
	expect_bad(HEAD "tip 12345\nend\n");
	expect_bad(HEAD "update " H1 " " H2 "\nend\n");     /* no ref */
	expect_bad(HEAD "update " H1 " nothex refs/heads/m\nend\n");
	expect_bad(HEAD "option a\\x0\nend\n");             /* escape cut short */
	expect_bad(HEAD "option a\\x00b\nend\n");           /* NUL */
	expect_bad(HEAD "option a\\q41\nend\n");
	expect_bad(HEAD "pusher a b\nend\n");               /* raw space in a value */
	expect_bad(HEAD "receive-pack 12\nend\n");
	expect_bad(HEAD "git-dir /other\nend\n");           /* twice */
	expect_bad("pushguard-background 1\nhook post-receive\nunchecked-id 0b5e3f9c-1111-4222-8333-444455556666\n"
		   "git-dir /srv/a.git\nend\n");
	expect_bad("pushguard-background 1\nhook update\nunchecked-id ../../etc/passwd\ngit-dir /srv/a.git\nend\n");
	expect_bad("pushguard-background 1\nhook update\nunchecked-id 0b5e3f9c-1111-4222-8333-444455556666\n"
		   "git-dir relative.git\nend\n");
	expect_bad("pushguard-background 1\nhook update\ngit-dir /srv/a.git\nend\n"); /* no id */
}

/* ------------------------------------------------------------ snapshot */

static int cmp_oid(const void *a, const void *b)
{
	return git_oid_cmp(a, b);
}

static void snapshot_every_direct_ref(void **state)
{
	struct pg_background_job job = PG_BACKGROUND_JOB_INIT;
	struct pg_error err = PG_ERROR_INIT;
	git_repository *repo;
	char c0[41], c1[41], tag[41];
	git_oid want[3];

	(void)state;
	/* an empty repository has no tips */
	repo = open_repo();
	assert_int_equal(pg_background_snapshot(&job, repo, &err), 0);
	assert_int_equal(job.ntips, 0);

	fx_sh(&fx, "git commit -q --allow-empty -m C0 && git branch b0 && git commit -q --allow-empty -m C1 && "
	   "git tag -a -m T v1 HEAD~1 && git branch b1 && git symbolic-ref refs/heads/sym refs/heads/main && git pack-refs --all");
	fx_sh(&fx, "git update-ref refs/custom/x HEAD");
	fx_rev(&fx, "HEAD~1", c0);
	fx_rev(&fx, "HEAD", c1);
	fx_rev(&fx, "refs/tags/v1", tag);
	repo = open_repo();
	assert_int_equal(pg_background_snapshot(&job, repo, &err), 0);
	/* main, b1, refs/custom/x at C1; b0 at C0; the tag object: three ids, sorted, once each */
	assert_int_equal(job.ntips, 3);
	assert_int_equal(git_oid_fromstr(&want[0], c0), 0);
	assert_int_equal(git_oid_fromstr(&want[1], c1), 0);
	assert_int_equal(git_oid_fromstr(&want[2], tag), 0);
	qsort(want, 3, sizeof(*want), cmp_oid);
	for (size_t i = 0; i < 3; i++)
		assert_int_equal(git_oid_cmp(&job.tips[i], &want[i]), 0);
	pg_background_job_release(&job);
}

/* ---------------------------------------------------- receive-pack */

static void receive_pack_command_lines(void **state)
{
#define RP(s) pg_proc_is_receive_pack(s, sizeof(s) - 1)
	(void)state;
	assert_true(RP("git-receive-pack\0/srv/a.git\0"));
	assert_true(RP("/usr/lib/git-core/git-receive-pack\0'/srv/a.git'\0"));
	assert_true(RP("git\0receive-pack\0--stateless-rpc\0/srv/a.git\0"));
	assert_true(RP("/usr/bin/git\0-c\0receive.fsckObjects=true\0--no-replace-objects\0receive-pack\0.\0"));
	assert_true(RP("git-receive-pack")); /* truncated: no final NUL */
	assert_true(RP("git\0receive-pack"));
	assert_false(RP("git\0upload-pack\0/srv/a.git\0"));
	assert_false(RP("git\0-c\0receive-pack\0upload-pack\0"));  /* receive-pack is -c's value */
	assert_false(RP("sh\0-c\0git-receive-pack '/srv/a.git'\0"));
	assert_false(RP("pushguard-pre-receive\0"));
	assert_false(RP("git\0-c\0"));
	assert_false(pg_proc_is_receive_pack("", 0));
#undef RP
}

/* A stand-in receive-pack: sh run as "git-receive-pack" with a child of its own. */
static pid_t fake_receive_pack(pid_t *child)
{
	char pidfile[300], script[1024], buf[32] = "";
	pid_t pid;
	FILE *fp;

	snprintf(pidfile, sizeof(pidfile), "%s/child.pid", fx.dir);
	snprintf(script, sizeof(script), "sleep 30 & echo $! >'%s.tmp' && mv '%s.tmp' '%s'; wait", pidfile, pidfile,
		 pidfile);
	if ((pid = fork()) == 0) {
		execl("/bin/sh", "git-receive-pack", "-c", script, (char *)NULL);
		_exit(127);
	}
	assert_true(pid > 0);
	for (int i = 0; i < 200 && !(fp = fopen(pidfile, "r")); i++)
		usleep(10000);
	assert_non_null(fp);
	assert_non_null(fgets(buf, sizeof(buf), fp));
	fclose(fp);
	*child = (pid_t)atol(buf);
	assert_true(*child > 0);
	return pid;
}

static void receive_pack_found_and_watched(void **state)
{
	struct pg_proc rp, none;
	pid_t pid, child, r;
	int status;

	(void)state;
	pg_proc_find_receive_pack(&none, getpid());
	assert_int_equal(none.pid, 0);

	pid = fake_receive_pack(&child);
	pg_proc_find_receive_pack(&rp, child); /* from a descendant, like the hook */
	assert_int_equal(rp.pid, pid);
	assert_true(rp.start > 0);
	assert_true(pg_proc_alive(&rp));
	{
		struct pg_proc reused = rp;

		reused.start++; /* same pid, another process */
		assert_false(pg_proc_alive(&reused));
	}
	kill(child, SIGKILL);
	kill(pid, SIGKILL);
	usleep(50000);
	assert_false(pg_proc_alive(&rp)); /* a zombie is gone */
	do
		r = waitpid(pid, &status, 0);
	while (r < 0 && errno == EINTR);
	assert_false(pg_proc_alive(&rp));
}

/* ------------------------------------------------------------- landing */

static void landed_states(void **state)
{
	struct pg_push push = PG_PUSH_INIT;
	struct pg_error err = PG_ERROR_INIT;
	git_repository *repo;
	char c0[41], c1[41], c2[41];

	(void)state;
	fx_sh(&fx, "git commit -q --allow-empty -m C0 && git commit -q --allow-empty -m C1 && "
	   "git commit -q --allow-empty -m C2");
	fx_rev(&fx, "HEAD~2", c0);
	fx_rev(&fx, "HEAD~1", c1);
	fx_rev(&fx, "HEAD", c2);
	fx_sh(&fx, "git update-ref refs/heads/main %s && git update-ref refs/heads/gone %s", c0, c0);
	assert_int_equal(pg_push_add_update(&push, "refs/heads/main", c0, c1, &err), 0);
	assert_int_equal(pg_push_add_update(&push, "refs/heads/gone", c0, Z40, &err), 0);
	assert_int_equal(pg_push_add_update(&push, "refs/heads/new", Z40, c1, &err), 0);
	repo = open_repo();
	assert_false(pg_background_landed(repo, &push.updates[0])); /* not yet */
	assert_false(pg_background_landed(repo, &push.updates[1]));
	assert_false(pg_background_landed(repo, &push.updates[2]));
	fx_sh(&fx, "git update-ref refs/heads/main %s && git update-ref -d refs/heads/gone && git update-ref refs/heads/new %s", c1, c2);
	assert_true(pg_background_landed(repo, &push.updates[0]));
	assert_true(pg_background_landed(repo, &push.updates[1]));
	assert_true(pg_background_landed(repo, &push.updates[2])); /* moved on by a later push */
	fx_sh(&fx, "git update-ref refs/heads/main %s", c0);                /* rewound: not ours */
	assert_false(pg_background_landed(repo, &push.updates[0]));
	pg_push_release(&push);
}

static void wait_ends(void **state)
{
	struct pg_push push = PG_PUSH_INIT;
	struct pg_error err = PG_ERROR_INIT;
	struct pg_proc none = { 0, 0 }, rp;
	bool landed[2];
	char c0[41], c1[41];
	int64_t t;
	pid_t pid, child;
	int status;

	(void)state;
	fx_sh(&fx, "git commit -q --allow-empty -m C0 && git commit -q --allow-empty -m C1");
	fx_rev(&fx, "HEAD~1", c0);
	fx_rev(&fx, "HEAD", c1);
	fx_sh(&fx, "git update-ref refs/heads/main %s", c0);
	assert_int_equal(pg_push_add_update(&push, "refs/heads/main", c0, c1, &err), 0);
	assert_int_equal(pg_push_add_update(&push, "refs/heads/other", Z40, c1, &err), 0);

	/* no receive-pack known: up to the bound */
	t = pg_clock_ms();
	assert_int_equal(pg_background_wait(landed, fx.dir, &push, &none, 300, 20), 0);
	assert_true(pg_clock_ms() - t >= 300);
	assert_false(landed[0] || landed[1]);

	/* receive-pack gone: at once, with what landed */
	pid = fake_receive_pack(&child);
	pg_proc_find_receive_pack(&rp, pid);
	kill(child, SIGKILL);
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	fx_sh(&fx, "git update-ref refs/heads/main %s", c1);
	t = pg_clock_ms();
	assert_int_equal(pg_background_wait(landed, fx.dir, &push, &rp, 60000, 20), 1);
	assert_true(pg_clock_ms() - t < 5000);
	assert_true(landed[0]);
	assert_false(landed[1]);

	/* everything landed: at once, whoever is alive */
	fx_sh(&fx, "git update-ref refs/heads/other %s", c1);
	t = pg_clock_ms();
	assert_int_equal(pg_background_wait(landed, fx.dir, &push, &none, 60000, 20), 2);
	assert_true(pg_clock_ms() - t < 5000);

	/* a directory that is no repository: nothing lands, the bound holds */
	assert_int_equal(pg_background_wait(landed, "/nonexistent/repo.git", &push, &none, 100, 20), 0);
	pg_push_release(&push);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(handover_round_trip),
		T(handover_malformed),
		T(snapshot_every_direct_ref),
		T(receive_pack_command_lines),
		T(receive_pack_found_and_watched),
		T(landed_states),
		T(wait_ends),
	};
#undef T

	return cmocka_run_group_tests_name("background", tests, repo_fx_group_setup, repo_fx_group_teardown);
}
