#include "sender.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "spool.h"

extern char **environ;

void pg_sender_stats_release(struct pg_sender_stats *st)
{
	pg_strvec_release(&st->problems);
	*st = (struct pg_sender_stats)PG_SENDER_STATS_INIT;
}

static time_t next_retry(const struct pg_spool_item *item, time_t now)
{
	time_t age = now - item->created, delay = 2 * (age > 0 ? age : 0);

	if (delay < 30)
		delay = 30;
	if (delay > 3600)
		delay = 3600;
	return now + delay;
}

static void problem(struct pg_sender_stats *st, const char *name, const char *why)
{
	struct pg_buf b = PG_BUF_INIT;

	if (pg_buf_addf(&b, "%s: %s", name, why) == 0)
		pg_strvec_push(&st->problems, b.ptr);
	pg_buf_release(&b);
}

/* One claimed file: attempts (1 + retries) POSTs. */
static int deliver(struct pg_sender_stats *st, const struct pg_webhook *w, struct pg_spool_item *item,
		   const char *name, int retries, struct pg_error *err)
{
	char why[256];
	int rc = PG_WEBHOOK_RETRY;

	for (int attempt = 0; attempt <= retries; attempt++) {
		if (attempt) {
			unsigned delay = 1u << (attempt - 1 < 6 ? attempt - 1 : 6);

			sleep(delay);
		}
		if ((rc = pg_webhook_post(w, item->event, why, sizeof(why), err)) < 0) {
			pg_spool_release(item);
			return rc;
		}
		if (rc != PG_WEBHOOK_RETRY)
			break;
	}
	if (rc == PG_WEBHOOK_DELIVERED || rc == PG_WEBHOOK_GONE) {
		if (rc == PG_WEBHOOK_DELIVERED)
			st->delivered++;
		else {
			st->dropped++;
			problem(st, name, why);
		}
		return pg_spool_done(item, err) < 0 ? 0 : 0; /* removal failure: retried, receivers dedupe by id */
	}
	st->failed++;
	problem(st, name, why);
	pg_spool_defer(item, next_retry(item, time(NULL)));
	return 0;
}

int pg_sender_run(struct pg_sender_stats *st, const struct pg_webhook *w, const char *own_id,
		  bool flush, struct pg_error *err)
{
	struct pg_strvec names = PG_STRVEC_INIT;
	int ret = 0;

	if (!w->url)
		return 0;
	if ((ret = pg_spool_list(&names, w->spool_dir, err)) < 0)
		return ret;
	/* own event first, then the rest oldest first */
	for (int pass = own_id ? 0 : 1; pass < 2 && ret >= 0; pass++) {
		for (size_t i = 0; i < names.n && ret >= 0; i++) {
			struct pg_spool_item item;
			bool own = own_id && strstr(names.v[i], own_id) != NULL;
			int rc;

			if ((pass == 0) != own)
				continue;
			rc = pg_spool_claim(&item, w->spool_dir, names.v[i], err);
			if (rc < 0) {
				st->failed++;
				problem(st, names.v[i], err->msg);
				ret = 0;
				continue;
			}
			if (rc == 0) {
				st->busy++;
				continue;
			}
			if (strcmp(item.url, w->url)) {
				st->other++;
				pg_spool_release(&item);
				continue;
			}
			if (!own && !flush && item.not_before > time(NULL)) {
				pg_spool_release(&item);
				continue;
			}
			ret = deliver(st, w, &item, names.v[i], own ? w->retries : 0, err);
		}
	}
	pg_strvec_release(&names);
	return ret;
}

static void drop_git_env(void)
{
	for (;;) {
		char name[256];
		size_t n;
		char **e;

		for (e = environ; *e && strncmp(*e, "GIT_", 4); e++)
			;
		if (!*e)
			break;
		n = strcspn(*e, "=");
		if (n >= sizeof(name)) { /* absurd name: remove by hand */
			for (char **s = e; *s; s++)
				s[0] = s[1];
			continue;
		}
		memcpy(name, *e, n);
		name[n] = '\0';
		unsetenv(name);
	}
}

int pg_sender_spawn(const struct pg_webhook *w, const char *own_id, struct pg_error *err)
{
	pid_t pid = fork(), r;
	int status;

	if (pid < 0)
		return pg_error_set(err, PG_ERR, "cannot start the webhook sender: %s", strerror(errno));
	if (pid == 0) {
		struct pg_sender_stats st = PG_SENDER_STATS_INIT;
		struct pg_error e2 = PG_ERROR_INIT;
		int fd;

		setsid();
		if (fork() != 0)
			_exit(0);
		if ((fd = open("/dev/null", O_RDWR)) >= 0) {
			dup2(fd, 0);
			dup2(fd, 1);
			dup2(fd, 2);
		}
		closefrom(3);
		if (chdir("/") < 0)
			_exit(1);
		drop_git_env();
		signal(SIGPIPE, SIG_IGN);
		pg_sender_run(&st, w, own_id, false, &e2);
		_exit(0);
	}
	do
		r = waitpid(pid, &status, 0);
	while (r < 0 && errno == EINTR);
	return 0;
}
