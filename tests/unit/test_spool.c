/* Unit tests for lib/spool.c (write, list, claim, remove, defer, the old
 * format and its rewrite, the sender lock) and lib/audit.c (whole lines,
 * appended, no symbolic links). */
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
#include <sys/wait.h>
#include <unistd.h>

#include "audit.h"
#include "spool.h"

#define SCRATCH "/tmp/pg-unit"

struct fx {
	char dir[256];
	char spool[300];
	struct pg_error err;
	struct pg_strvec names;
};

static int setup(void **state)
{
	struct fx *fx = calloc(1, sizeof(*fx));

	if (!fx)
		return -1;
	if (mkdir(SCRATCH, 0700) < 0 && errno != EEXIST)
		return -1;
	snprintf(fx->dir, sizeof(fx->dir), SCRATCH "/spool.XXXXXX");
	if (!mkdtemp(fx->dir))
		return -1;
	snprintf(fx->spool, sizeof(fx->spool), "%s/a/spool", fx->dir);
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

	pg_strvec_release(&fx->names);
	nftw(fx->dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	free(fx);
	return 0;
}

static void write_read_remove(void **state)
{
	struct fx *fx = *state;
	struct pg_spool_item item;
	struct stat st;

	assert_int_equal(pg_spool_list(&fx->names, fx->spool, &fx->err), 0); /* missing dir: empty */
	assert_int_equal(fx->names.n, 0);
	assert_int_equal(pg_spool_write(fx->spool, "id-1", "http://x/hook", "{\"id\":\"id-1\"}", &fx->err), 0);
	assert_int_equal(stat(fx->spool, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0700);
	assert_int_equal(pg_spool_list(&fx->names, fx->spool, &fx->err), 0);
	assert_int_equal(fx->names.n, 1);
	assert_non_null(strstr(fx->names.v[0], "-id-1.event"));
	assert_int_equal(pg_spool_claim(&item, fx->spool, fx->names.v[0], &fx->err), 1);
	assert_string_equal(item.dest, "http://x/hook");
	assert_int_equal(item.version, 2);
	assert_string_equal(item.event, "{\"id\":\"id-1\"}");
	assert_int_equal(pg_spool_done(&item, &fx->err), 0);
	pg_strvec_clear(&fx->names);
	assert_int_equal(pg_spool_list(&fx->names, fx->spool, &fx->err), 0);
	assert_int_equal(fx->names.n, 0);
	/* a name that is gone is simply not claimed */
	assert_int_equal(pg_spool_claim(&item, fx->spool, "1-gone.event", &fx->err), 0);
}

static void claim_is_exclusive(void **state)
{
	struct fx *fx = *state;
	struct pg_spool_item a, b;
	pid_t pid;
	int status;

	assert_int_equal(pg_spool_write(fx->spool, "id-2", "http://x/", "{}", &fx->err), 0);
	assert_int_equal(pg_spool_list(&fx->names, fx->spool, &fx->err), 0);
	assert_int_equal(pg_spool_claim(&a, fx->spool, fx->names.v[0], &fx->err), 1);
	/* flock is per open file: a second claim, even in this process, fails */
	assert_int_equal(pg_spool_claim(&b, fx->spool, fx->names.v[0], &fx->err), 0);
	pid = fork();
	if (pid == 0)
		_exit(pg_spool_claim(&b, fx->spool, fx->names.v[0], &fx->err) == 0 ? 0 : 1);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_int_equal(WEXITSTATUS(status), 0);
	assert_int_equal(pg_spool_done(&a, &fx->err), 0);
	/* after delivery, nobody can claim it again */
	assert_int_equal(pg_spool_claim(&b, fx->spool, fx->names.v[0], &fx->err), 0);
}

static void defer_sets_retry_time(void **state)
{
	struct fx *fx = *state;
	struct pg_spool_item item;
	time_t now = time(NULL);

	assert_int_equal(pg_spool_write(fx->spool, "id-3", "http://x/", "{}", &fx->err), 0);
	assert_true(pg_spool_has_due(fx->spool, now + 1));
	assert_int_equal(pg_spool_list(&fx->names, fx->spool, &fx->err), 0);
	assert_int_equal(pg_spool_claim(&item, fx->spool, fx->names.v[0], &fx->err), 1);
	pg_spool_defer(&item, now + 600);
	assert_false(pg_spool_has_due(fx->spool, now + 1));
	assert_true(pg_spool_has_due(fx->spool, now + 601));
	assert_int_equal(pg_spool_claim(&item, fx->spool, fx->names.v[0], &fx->err), 1);
	assert_int_equal((long)item.not_before, (long)(now + 600));
	pg_spool_release(&item);
}

static void oldest_first_and_junk(void **state)
{
	struct fx *fx = *state;
	struct pg_spool_item item;
	char path[512];
	FILE *fp;

	assert_int_equal(pg_spool_write(fx->spool, "new", "u", "{}", &fx->err), 0);
	snprintf(path, sizeof(path), "%s/100-old.event", fx->spool);
	fp = fopen(path, "w");
	fputs("garbage\n", fp);
	fclose(fp);
	snprintf(path, sizeof(path), "%s/.tmp-half", fx->spool);
	fp = fopen(path, "w");
	fclose(fp);
	assert_int_equal(pg_spool_list(&fx->names, fx->spool, &fx->err), 0);
	assert_int_equal(fx->names.n, 2); /* temp files are not listed */
	assert_string_equal(fx->names.v[0], "100-old.event");
	assert_int_equal(pg_spool_claim(&item, fx->spool, "100-old.event", &fx->err), PG_EINPUT);
	assert_non_null(strstr(fx->err.msg, "not a pushguard spool file"));
}

static void unwritable_spool(void **state)
{
	struct fx *fx = *state;
	char file[512];
	FILE *fp;

	snprintf(file, sizeof(file), "%s/plainfile", fx->dir);
	fp = fopen(file, "w");
	fclose(fp);
	strcat(file, "/spool");
	assert_int_equal(pg_spool_write(file, "id", "u", "{}", &fx->err), PG_ERR);
	assert_non_null(strstr(fx->err.msg, file));
	assert_int_equal(pg_spool_write(fx->spool, "id", "u", "two\nlines", &fx->err), PG_EINPUT);
}

static void audit_lines(void **state)
{
	struct fx *fx = *state;
	char path[512], line[512], buf[4096];
	FILE *fp;
	int n = 0;
	pid_t pids[4];

	snprintf(path, sizeof(path), "%s/audit.jsonl", fx->dir);
	for (int p = 0; p < 4; p++) {
		if ((pids[p] = fork()) == 0) {
			struct pg_error e = PG_ERROR_INIT;

			for (int i = 0; i < 200; i++) {
				snprintf(line, sizeof(line), "{\"p\":%d,\"i\":%03d,\"pad\":\"%0400d\"}", p, i, 0);
				if (pg_audit_append(path, line, &e) < 0)
					_exit(1);
			}
			_exit(0);
		}
	}
	for (int p = 0; p < 4; p++) {
		int status;

		assert_int_equal(waitpid(pids[p], &status, 0), pids[p]);
		assert_int_equal(WEXITSTATUS(status), 0);
	}
	fp = fopen(path, "r");
	assert_non_null(fp);
	while (fgets(buf, sizeof(buf), fp)) {
		assert_int_equal(buf[0], '{');
		assert_non_null(strstr(buf, "}\n"));
		assert_int_equal(strlen(buf), strlen("{\"p\":0,\"i\":000,\"pad\":\"\"}\n") + 400);
		n++;
	}
	fclose(fp);
	assert_int_equal(n, 800);
	snprintf(path, sizeof(path), "%s/no/such/dir/audit", fx->dir);
	assert_int_equal(pg_audit_append(path, "{}", &fx->err), PG_ERR);
	assert_non_null(strstr(fx->err.msg, "pushguard.auditLog"));
}

static void old_format_read_and_rewritten(void **state)
{
	struct fx *fx = *state;
	struct pg_spool_item item;
	char path[512], text[1024];
	FILE *fp;
	size_t n;

	snprintf(path, sizeof(path), "%s/a", fx->dir);
	assert_int_equal(mkdir(path, 0700), 0);
	assert_int_equal(mkdir(fx->spool, 0700), 0);
	snprintf(path, sizeof(path), "%s/100-id-old.event", fx->spool);
	assert_non_null(fp = fopen(path, "w"));
	fputs("pushguard-spool 1 https://bob:hunter2@x.example/hook\n{\"id\":\"id-old\"}\n", fp);
	fclose(fp);
	assert_int_equal(pg_spool_claim(&item, fx->spool, "100-id-old.event", &fx->err), 1);
	assert_int_equal(item.version, 1);
	assert_string_equal(item.dest, "https://bob:hunter2@x.example/hook");
	assert_int_equal(pg_spool_rewrite(&item, "https://x.example/\xe2\x80\xa6 00:ff", &fx->err), 0);
	/* still claimed, now the new file */
	assert_int_equal(item.version, 2);
	assert_string_equal(item.dest, "https://x.example/\xe2\x80\xa6 00:ff");
	{
		struct pg_spool_item other;

		assert_int_equal(pg_spool_claim(&other, fx->spool, "100-id-old.event", &fx->err), 0);
	}
	pg_spool_defer(&item, time(NULL) + 600);
	assert_non_null(fp = fopen(path, "r"));
	n = fread(text, 1, sizeof(text) - 1, fp);
	text[n] = '\0';
	fclose(fp);
	assert_null(strstr(text, "hunter2"));
	assert_string_equal(text, "pushguard-spool 2 https://x.example/\xe2\x80\xa6 00:ff\n{\"id\":\"id-old\"}\n");
	assert_false(pg_spool_has_due(fx->spool, time(NULL) + 1)); /* the retry time is the new file's */
	assert_int_equal(pg_spool_claim(&item, fx->spool, "100-id-old.event", &fx->err), 1);
	assert_int_equal(item.version, 2);
	assert_int_equal((long)item.created, 100);
	pg_spool_release(&item);
}

static void sender_lock_one_holder(void **state)
{
	struct fx *fx = *state;
	char lock[512];
	int a, b, status;
	pid_t pid;

	assert_int_equal(pg_spool_lock(&a, fx->spool, &fx->err), 1); /* creates the spool */
	assert_true(a >= 0);
	assert_int_equal(pg_spool_lock(&b, fx->spool, &fx->err), 0);
	assert_int_equal(b, -1);
	pid = fork();
	if (pid == 0)
		_exit(pg_spool_lock(&b, fx->spool, &fx->err) == 0 ? 0 : 1);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_int_equal(WEXITSTATUS(status), 0);
	/* a fork of the holder holds it as well, after the holder let go of its copy */
	pid = fork();
	if (pid == 0) {
		sleep(1);
		_exit(0);
	}
	close(a);
	assert_int_equal(pg_spool_lock(&b, fx->spool, &fx->err), 0);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_int_equal(pg_spool_lock(&b, fx->spool, &fx->err), 1);
	close(b);
	/* the lock file is not a spool file */
	assert_int_equal(pg_spool_list(&fx->names, fx->spool, &fx->err), 0);
	assert_int_equal(fx->names.n, 0);
	/* a link planted as the lock file is not followed */
	snprintf(lock, sizeof(lock), "%s/.sender.lock", fx->spool);
	assert_int_equal(unlink(lock), 0);
	assert_int_equal(symlink("/tmp/pg-unit-not-created", lock), 0);
	assert_int_equal(pg_spool_lock(&b, fx->spool, &fx->err), PG_ERR);
	assert_non_null(strstr(fx->err.msg, "symbolic link"));
	assert_int_equal(access("/tmp/pg-unit-not-created", F_OK), -1);
}

static void audit_refuses_links(void **state)
{
	struct fx *fx = *state;
	char target[512], link[512], dirlink[512], path[600];
	struct stat st;
	FILE *fp;

	snprintf(target, sizeof(target), "%s/victim", fx->dir);
	assert_non_null(fp = fopen(target, "w"));
	fputs("precious\n", fp);
	fclose(fp);
	snprintf(link, sizeof(link), "%s/audit.jsonl", fx->dir);
	assert_int_equal(symlink(target, link), 0);
	assert_int_equal(pg_audit_append(link, "{}", &fx->err), PG_ERR);
	assert_non_null(strstr(fx->err.msg, "symbolic link"));
	assert_non_null(strstr(fx->err.msg, "pushguard.auditLog"));
	assert_int_equal(stat(target, &st), 0);
	assert_int_equal(st.st_size, 9); /* untouched */
	/* a dangling link: nothing created where it points */
	assert_int_equal(unlink(link), 0);
	assert_int_equal(symlink("/tmp/pg-unit-audit-not-created", link), 0);
	assert_int_equal(pg_audit_append(link, "{}", &fx->err), PG_ERR);
	assert_int_equal(access("/tmp/pg-unit-audit-not-created", F_OK), -1);
	/* the directory as a link */
	snprintf(dirlink, sizeof(dirlink), "%s/logs", fx->dir);
	assert_int_equal(symlink(fx->dir, dirlink), 0);
	snprintf(path, sizeof(path), "%s/real.jsonl", dirlink);
	assert_int_equal(pg_audit_append(path, "{}", &fx->err), PG_ERR);
	assert_non_null(strstr(fx->err.msg, "its directory"));
	assert_non_null(strstr(fx->err.msg, "symbolic link"));
	/* a FIFO does not hang the push */
	snprintf(path, sizeof(path), "%s/fifo", fx->dir);
	assert_int_equal(mkfifo(path, 0600), 0);
	assert_int_equal(pg_audit_append(path, "{}", &fx->err), PG_ERR);
	/* the real path works */
	snprintf(path, sizeof(path), "%s/real.jsonl", fx->dir);
	assert_int_equal(pg_audit_append(path, "{}", &fx->err), 0);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0640);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(write_read_remove, setup, teardown),
		cmocka_unit_test_setup_teardown(claim_is_exclusive, setup, teardown),
		cmocka_unit_test_setup_teardown(defer_sets_retry_time, setup, teardown),
		cmocka_unit_test_setup_teardown(oldest_first_and_junk, setup, teardown),
		cmocka_unit_test_setup_teardown(unwritable_spool, setup, teardown),
		cmocka_unit_test_setup_teardown(audit_lines, setup, teardown),
		cmocka_unit_test_setup_teardown(old_format_read_and_rewritten, setup, teardown),
		cmocka_unit_test_setup_teardown(sender_lock_one_holder, setup, teardown),
		cmocka_unit_test_setup_teardown(audit_refuses_links, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
