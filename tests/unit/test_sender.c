/* Unit tests for lib/sender.c: delivery from the spool to a loopback receiver
 * (a forked child of this test), the sender lock (one sender per spool), an
 * endpoint that fails (the other events are not tried in that run), events
 * addressed elsewhere, and old spool files rewritten without the URL. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <git2.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "sender.h"
#include "spool.h"

struct fx {
	char dir[64];
	char spool[96];
	char log[96];
	char url[128];
	pid_t server;
	struct pg_webhook w;
	struct pg_sender_stats st;
	struct pg_error err;
};

static int setup(void **state)
{
	struct fx *fx = calloc(1, sizeof(*fx));

	if (!fx)
		return -1;
	snprintf(fx->dir, sizeof(fx->dir), "/tmp/pg-unit-sender.XXXXXX");
	if (!mkdtemp(fx->dir))
		return -1;
	snprintf(fx->spool, sizeof(fx->spool), "%s/spool", fx->dir);
	snprintf(fx->log, sizeof(fx->log), "%s/requests", fx->dir);
	fx->w = (struct pg_webhook)PG_WEBHOOK_INIT;
	fx->w.spool_dir = fx->spool;
	fx->w.timeout_ms = 2000;
	fx->w.events = PG_WEBHOOK_DEFAULT_EVENTS;
	fx->st = (struct pg_sender_stats)PG_SENDER_STATS_INIT;
	signal(SIGPIPE, SIG_IGN);
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fx *fx = *state;
	char cmd[128];

	if (fx->server > 0) {
		kill(fx->server, SIGKILL);
		waitpid(fx->server, NULL, 0);
	}
	pg_sender_stats_release(&fx->st);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", fx->dir);
	if (system(cmd) != 0)
		return -1;
	free(fx);
	return 0;
}

/* A receiver on the loopback: answers each POST with `status`, appends its
 * body and a newline to fx->log; with spool_extra, writes one more event into
 * the spool while it answers the first request (an event spooled while the
 * sender runs). Sets fx->url. */
static void start_server(struct fx *fx, int status, bool spool_extra)
{
	struct sockaddr_in a = { 0 };
	socklen_t len = sizeof(a);
	int s = socket(AF_INET, SOCK_STREAM, 0), one = 1;

	assert_true(s >= 0);
	setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(s, (struct sockaddr *)&a, sizeof(a)), 0);
	assert_int_equal(listen(s, 16), 0);
	assert_int_equal(getsockname(s, (struct sockaddr *)&a, &len), 0);
	snprintf(fx->url, sizeof(fx->url), "http://user:pw-%d@127.0.0.1:%d/hook?token=t", getpid(), ntohs(a.sin_port));
	fx->server = fork();
	assert_true(fx->server >= 0);
	if (fx->server == 0) {
		for (int n = 0;; n++) {
			char buf[65536], reply[128];
			size_t got = 0;
			char *body = NULL;
			long clen = -1;
			int c = accept(s, NULL, NULL);
			FILE *fp;

			if (c < 0)
				_exit(1);
			while (got < sizeof(buf) - 1) {
				ssize_t r = read(c, buf + got, sizeof(buf) - 1 - got);

				if (r <= 0)
					break;
				got += (size_t)r;
				buf[got] = '\0';
				if (!body && (body = strstr(buf, "\r\n\r\n"))) {
					char *cl = strcasestr(buf, "Content-Length:");

					body += 4;
					clen = cl ? atol(cl + 15) : 0;
				}
				if (body && (long)(got - (size_t)(body - buf)) >= clen)
					break;
			}
			if (body && (fp = fopen(fx->log, "a"))) {
				fprintf(fp, "%.*s\n", (int)clen, body);
				fclose(fp);
			}
			if (spool_extra && n == 0) {
				struct pg_error e = PG_ERROR_INIT;
				char *dest = NULL;

				if (pg_webhook_destination(&dest, fx->url) < 0 ||
				    pg_spool_write(fx->spool, "extra-event", dest, "{\"id\":\"extra-event\",\"event\":\"push.rejected\"}",
						   &e) < 0)
					_exit(1);
				free(dest);
			}
			snprintf(reply, sizeof(reply), "HTTP/1.1 %d X\r\nContent-Length: 0\r\nConnection: close\r\n\r\n", status);
			if (write(c, reply, strlen(reply)) < 0)
				_exit(1);
			close(c);
		}
	}
	close(s);
	fx->w.url = fx->url;
}

static void spool_event(struct fx *fx, const char *id, const char *url)
{
	char *dest = NULL, json[256];

	snprintf(json, sizeof(json), "{\"id\":\"%s\",\"event\":\"push.rejected\"}", id);
	assert_int_equal(pg_webhook_destination(&dest, url), 0);
	assert_int_equal(pg_spool_write(fx->spool, id, dest, json, &fx->err), 0);
	free(dest);
}

static size_t count_lines(const char *path)
{
	FILE *fp = fopen(path, "r");
	size_t n = 0;
	int c;

	if (!fp)
		return 0;
	while ((c = fgetc(fp)) != EOF)
		n += c == '\n';
	fclose(fp);
	return n;
}

static size_t spooled(struct fx *fx)
{
	struct pg_strvec names = PG_STRVEC_INIT;
	size_t n;

	assert_int_equal(pg_spool_list(&names, fx->spool, &fx->err), 0);
	n = names.n;
	pg_strvec_release(&names);
	return n;
}

static void delivers_everything_and_what_comes_meanwhile(void **state)
{
	struct fx *fx = *state;

	start_server(fx, 200, true);
	spool_event(fx, "ev-1", fx->url);
	spool_event(fx, "ev-2", fx->url);
	assert_int_equal(pg_sender_run(&fx->st, &fx->w, "ev-2", false, &fx->err), 0);
	/* ev-2 first (its own), ev-1, and the event the receiver spooled meanwhile */
	assert_int_equal(fx->st.delivered, 3);
	assert_int_equal(fx->st.failed + fx->st.untried + fx->st.busy + fx->st.other, 0);
	assert_int_equal(count_lines(fx->log), 3);
	assert_int_equal(spooled(fx), 0);
	{
		FILE *fp = fopen(fx->log, "r");
		char line[256];

		assert_non_null(fp);
		assert_non_null(fgets(line, sizeof(line), fp));
		assert_non_null(strstr(line, "\"ev-2\""));
		fclose(fp);
	}
}

static void lock_held_nothing_sent(void **state)
{
	struct fx *fx = *state;
	int lfd;

	start_server(fx, 200, false);
	spool_event(fx, "ev-1", fx->url);
	assert_int_equal(pg_spool_lock(&lfd, fx->spool, &fx->err), 1);
	/* another sender runs: this one leaves the event to it */
	assert_int_equal(pg_sender_run(&fx->st, &fx->w, "ev-1", false, &fx->err), 0);
	assert_int_equal(fx->st.busy, 1);
	assert_int_equal(fx->st.delivered, 0);
	assert_int_equal(pg_sender_spawn(&fx->w, "ev-1", &fx->err), 1); /* nothing started */
	usleep(200 * 1000);
	assert_int_equal(count_lines(fx->log), 0);
	assert_int_equal(spooled(fx), 1);
	close(lfd);
	/* free again: a spawned sender delivers it, in the background */
	assert_int_equal(pg_sender_spawn(&fx->w, "ev-1", &fx->err), 0);
	for (int i = 0; i < 100 && spooled(fx); i++)
		usleep(50 * 1000);
	assert_int_equal(spooled(fx), 0);
	assert_int_equal(count_lines(fx->log), 1);
	/* and has let go of the lock */
	for (int i = 0; i < 100; i++) {
		int rc = pg_spool_lock(&lfd, fx->spool, &fx->err);

		if (rc == 1) {
			close(lfd);
			break;
		}
		assert_int_equal(rc, 0);
		usleep(50 * 1000);
	}
}

static void failing_endpoint_trips(void **state)
{
	struct fx *fx = *state;
	time_t now = time(NULL);

	/* nothing listens on port 1 of the loopback: connection refused, quickly */
	snprintf(fx->url, sizeof(fx->url), "http://127.0.0.1:1/hook");
	fx->w.url = fx->url;
	fx->w.retries = 0;
	spool_event(fx, "ev-1", fx->w.url);
	spool_event(fx, "ev-2", fx->w.url);
	spool_event(fx, "ev-3", fx->w.url);
	assert_int_equal(pg_sender_run(&fx->st, &fx->w, NULL, false, &fx->err), 0);
	assert_int_equal(fx->st.failed, 1);
	assert_int_equal(fx->st.untried, 2); /* one timeout per run, not one per event */
	assert_int_equal(fx->st.problems.n, 1);
	assert_int_equal(spooled(fx), 3);
	/* the one tried waits for its retry time; the others are still due */
	assert_true(pg_spool_has_due(fx->spool, now + 1));
	pg_sender_stats_release(&fx->st);
	assert_int_equal(pg_sender_run(&fx->st, &fx->w, NULL, true, &fx->err), 0);
	assert_int_equal(fx->st.failed, 1);
	assert_int_equal(fx->st.untried, 2);
}

static void elsewhere_left_alone_old_files_rewritten(void **state)
{
	struct fx *fx = *state;
	char path[256], text[512];
	FILE *fp;
	size_t n;

	start_server(fx, 200, false);
	spool_event(fx, "ev-other", "https://other.example/hook");
	/* files of the old format: one for this endpoint, one for another, both with credentials */
	assert_int_equal(mkdir(fx->spool, 0700) == 0 || errno == EEXIST, 1);
	snprintf(path, sizeof(path), "%s/100-old-mine.event", fx->spool);
	assert_non_null(fp = fopen(path, "w"));
	fprintf(fp, "pushguard-spool 1 %s\n{\"id\":\"old-mine\",\"event\":\"push.rejected\"}\n", fx->url);
	fclose(fp);
	snprintf(path, sizeof(path), "%s/101-old-theirs.event", fx->spool);
	assert_non_null(fp = fopen(path, "w"));
	fputs("pushguard-spool 1 https://bob:hunter2@other.example/hook\n{\"id\":\"old-theirs\",\"event\":\"push.rejected\"}\n", fp);
	fclose(fp);
	assert_int_equal(pg_sender_run(&fx->st, &fx->w, NULL, true, &fx->err), 0);
	assert_int_equal(fx->st.delivered, 1);
	assert_int_equal(fx->st.other, 2);
	assert_int_equal(fx->st.rewritten, 1);
	assert_int_equal(spooled(fx), 2);
	assert_non_null(fp = fopen(path, "r"));
	n = fread(text, 1, sizeof(text) - 1, fp);
	text[n] = '\0';
	fclose(fp);
	assert_null(strstr(text, "hunter2"));
	assert_int_equal(strncmp(text, "pushguard-spool 2 https://other.example/", 40), 0);
	assert_true(pg_webhook_destination_matches(strtok(text + strlen("pushguard-spool 2 "), "\n"),
						   "https://bob:hunter2@other.example/hook"));
	/* the event reached the receiver, not the URL: nothing of it in the spool */
	assert_int_equal(count_lines(fx->log), 1);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(delivers_everything_and_what_comes_meanwhile),
		T(lock_held_nothing_sent),
		T(failing_endpoint_trips),
		T(elsewhere_left_alone_old_files_rewritten),
	};
#undef T

	return cmocka_run_group_tests_name("sender", tests, NULL, NULL);
}
