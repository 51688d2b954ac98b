#include "sender.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
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

/* One run of a sender over a spool. */
struct run {
	struct pg_sender_stats *st;
	const struct pg_webhook *w;
	const char *own_id;
	bool flush;
	bool tripped;          /* the endpoint failed an event: try no other */
	struct pg_strvec seen; /* names this run has dealt with (tried or passed over) */
	struct pg_error *err;
};

static time_t next_retry(const struct pg_spool_item *item, time_t now)
{
	time_t age = now - item->created, delay = 2 * (age > 0 ? age : 0);

	if (delay < PG_SENDER_MIN_DELAY_S)
		delay = PG_SENDER_MIN_DELAY_S;
	if (delay > PG_SENDER_MAX_DELAY_S)
		delay = PG_SENDER_MAX_DELAY_S;
	return now + delay;
}

/* Never tried: pg_spool_defer puts the retry time at least PG_SENDER_MIN_DELAY_S
 * after the try, so a retry time that close to the file's creation is the
 * one pg_spool_write gave it. */
static bool never_tried(const struct pg_spool_item *item)
{
	return item->not_before - item->created < PG_SENDER_MIN_DELAY_S;
}

static void problem(struct pg_sender_stats *st, const char *name, const char *why)
{
	struct pg_buf b = PG_BUF_INIT;

	if (pg_buf_addf(&b, "%s: %s", name, why) == 0)
		(void)pg_strvec_push(&st->problems, b.ptr); /* out of memory: the counts still say it */
	pg_buf_release(&b);
}

static bool seen(const struct run *r, const char *name)
{
	for (size_t i = 0; i < r->seen.n; i++)
		if (!strcmp(r->seen.v[i], name))
			return true;
	return false;
}

/* An undelivered file of the old format keeps the URL with its credentials:
 * written again without them. */
static void upgrade(struct run *r, struct pg_spool_item *item)
{
	struct pg_error e = PG_ERROR_INIT;
	char *dest = NULL;

	if (item->version != 1 || pg_webhook_destination(&dest, item->dest) < 0)
		goto out;
	if (pg_spool_rewrite(item, dest, &e) < 0)
		problem(r->st, item->path ? item->path : "spool", e.msg);
	else
		r->st->rewritten++;
out:
	free(dest);
}

/* One claimed file: attempts (1 + retries) POSTs. */
static int deliver(struct run *r, struct pg_spool_item *item, const char *name, int retries)
{
	char why[256];
	int rc = PG_WEBHOOK_RETRY;

	for (int attempt = 0; attempt <= retries; attempt++) {
		if (attempt) {
			unsigned delay = 1u << (attempt - 1 < 6 ? attempt - 1 : 6);

			sleep(delay);
		}
		if ((rc = pg_webhook_post(r->w, item->event, why, sizeof(why), r->err)) < 0) {
			pg_spool_release(item);
			return rc;
		}
		if (rc != PG_WEBHOOK_RETRY)
			break;
	}
	if (rc == PG_WEBHOOK_DELIVERED || rc == PG_WEBHOOK_GONE) {
		struct pg_error e = PG_ERROR_INIT;

		if (rc == PG_WEBHOOK_DELIVERED)
			r->st->delivered++;
		else {
			r->st->dropped++;
			problem(r->st, name, why);
		}
		(void)pg_spool_done(item, &e); /* removal failure: retried, receivers dedupe by id */
		return 0;
	}
	r->st->failed++;
	r->tripped = true;
	problem(r->st, name, why);
	upgrade(r, item);
	if (item->fd >= 0)
		pg_spool_defer(item, next_retry(item, time(NULL)));
	else
		pg_spool_release(item);
	return 0;
}

/* One look at the spool: every file this run has not dealt with yet, the own
 * event first, then oldest first. *tried: how many were POSTed. */
static int pass(struct run *r, size_t *tried)
{
	struct pg_strvec names = PG_STRVEC_INIT;
	const struct pg_webhook *w = r->w;
	int ret;

	*tried = 0;
	if ((ret = pg_spool_list(&names, w->spool_dir, r->err)) < 0)
		return ret;
	for (int round = r->own_id ? 0 : 1; round < 2 && ret >= 0; round++) {
		for (size_t i = 0; i < names.n && ret >= 0; i++) {
			struct pg_spool_item item;
			bool own = r->own_id && strstr(names.v[i], r->own_id) != NULL, fresh, mine;
			int rc;

			if ((round == 0) != own || seen(r, names.v[i]))
				continue;
			if (pg_strvec_push(&r->seen, names.v[i]) < 0) {
				ret = pg_error_oom(r->err);
				break;
			}
			rc = pg_spool_claim(&item, w->spool_dir, names.v[i], r->err);
			if (rc < 0) {
				r->st->failed++;
				problem(r->st, names.v[i], r->err->msg);
				continue;
			}
			if (rc == 0) {
				r->st->busy++;
				continue;
			}
			mine = item.version == 1 ? !strcmp(item.dest, w->url) : pg_webhook_destination_matches(item.dest, w->url);
			if (!mine) {
				r->st->other++;
				upgrade(r, &item);
				pg_spool_release(&item);
				continue;
			}
			fresh = never_tried(&item);
			if (!r->flush && !own && !fresh && item.not_before > time(NULL)) {
				upgrade(r, &item);
				pg_spool_release(&item); /* not due yet */
				continue;
			}
			if (r->tripped) {
				r->st->untried++;
				upgrade(r, &item);
				pg_spool_release(&item);
				continue;
			}
			(*tried)++;
			ret = deliver(r, &item, names.v[i], !r->flush && (own || fresh) ? w->retries : 0);
		}
	}
	pg_strvec_release(&names);
	return ret;
}

/* Is there a spool file this run has not dealt with? (spooled meanwhile) */
static bool something_new(struct run *r)
{
	struct pg_strvec names = PG_STRVEC_INIT;
	struct pg_error e = PG_ERROR_INIT;
	bool any = false;

	if (pg_spool_list(&names, r->w->spool_dir, &e) == 0)
		for (size_t i = 0; i < names.n && !any; i++)
			any = !seen(r, names.v[i]);
	pg_strvec_release(&names);
	return any;
}

/* A background sender holding the lock on lfd: delivers until a look at the
 * spool finds nothing new, lets go of the lock, and goes on if something was
 * spooled meanwhile and the lock can be had again. */
static int run_locked(struct run *r, int lfd)
{
	size_t tried;
	int ret;

	for (;;) {
		do
			ret = pass(r, &tried);
		while (ret >= 0 && tried && !r->tripped);
		if (ret < 0 || r->tripped)
			break;
		flock(lfd, LOCK_UN);
		if (!something_new(r) || flock(lfd, LOCK_EX | LOCK_NB) < 0)
			break;
	}
	return ret;
}

int pg_sender_run(struct pg_sender_stats *st, const struct pg_webhook *w, const char *own_id,
		  bool flush, struct pg_error *err)
{
	struct run r = { st, w, own_id, flush, false, PG_STRVEC_INIT, err };
	size_t tried;
	int lfd = -1, ret = 0;

	if (!w->url)
		return 0;
	if (flush) {
		ret = pass(&r, &tried);
		goto out;
	}
	if ((ret = pg_spool_lock(&lfd, w->spool_dir, err)) <= 0) {
		if (ret == 0)
			st->busy++;
		goto out;
	}
	ret = run_locked(&r, lfd);
out:
	if (lfd >= 0)
		close(lfd);
	pg_strvec_release(&r.seen);
	return ret < 0 ? ret : 0;
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
	pid_t pid, r;
	int status, lfd = -1, rc;

	/* taken here, before any fork: a push that finds a sender running starts none */
	if ((rc = pg_spool_lock(&lfd, w->spool_dir, err)) <= 0)
		return rc < 0 ? rc : 1;
	pid = fork();
	if (pid < 0) {
		close(lfd);
		return pg_error_set(err, PG_ERR, "cannot start the webhook sender: %s", strerror(errno));
	}
	if (pid == 0) {
		struct pg_sender_stats st = PG_SENDER_STATS_INIT;
		struct pg_error e2 = PG_ERROR_INIT;
		struct run run = { &st, w, own_id, false, false, PG_STRVEC_INIT, &e2 };
		int fd;

		setsid();
		if (fork() != 0)
			_exit(0);
		/* the lock travels with its open file: keep it as fd 3, close the rest */
		if (lfd != 3 && dup2(lfd, 3) < 0)
			_exit(1);
		if ((fd = open("/dev/null", O_RDWR)) >= 0) {
			dup2(fd, 0);
			dup2(fd, 1);
			dup2(fd, 2);
		}
		closefrom(4);
		if (chdir("/") < 0)
			_exit(1);
		drop_git_env();
		signal(SIGPIPE, SIG_IGN);
		run_locked(&run, 3);
		pg_strvec_release(&run.seen);
		pg_sender_stats_release(&st);
		_exit(0);
	}
	close(lfd); /* the sender's copy holds the lock on */
	do
		r = waitpid(pid, &status, 0);
	while (r < 0 && errno == EINTR);
	return 0;
}
