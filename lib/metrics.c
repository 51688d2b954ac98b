#include "metrics.h"

#include "alloc.h"
#include "atomic_file.h"

#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"

#define MAX_FILE ((size_t)32 << 20)
#define WHAT "the metrics file"
#define KEY "pushguard.metricsFile"

static const char *const buckets[] = { "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1", "2.5", "5", "10", "+Inf" };
#define NBUCKETS (sizeof(buckets) / sizeof(*buckets))

struct sample {
	char *key; /* name{labels} */
	double value;
};

struct samples {
	struct sample *v;
	size_t n, alloc;
};

static void samples_release(struct samples *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->v[i].key);
	free(s->v);
}

static int add(struct samples *s, const char *key, size_t keylen, double delta)
{
	for (size_t i = 0; i < s->n; i++)
		if (strlen(s->v[i].key) == keylen && !memcmp(s->v[i].key, key, keylen)) {
			s->v[i].value += delta;
			return 0;
		}
	if (PG_GROW(s->v, s->n + 1, s->alloc) < 0)
		return -1;
	if (!(s->v[s->n].key = strndup(key, keylen)))
		return -1;
	s->v[s->n++].value = delta;
	return 0;
}

static double get(const struct samples *s, const char *key)
{
	for (size_t i = 0; i < s->n; i++)
		if (!strcmp(s->v[i].key, key))
			return s->v[i].value;
	return 0;
}

static void label(struct pg_buf *b, const char *name, const char *value, bool first)
{
	pg_buf_addf(b, "%s%s=\"", first ? "" : ",", name);
	for (const char *p = value ? value : ""; *p; p++) {
		if (*p == '\\' || *p == '"')
			pg_buf_addch(b, '\\'), pg_buf_addch(b, *p);
		else if (*p == '\n')
			pg_buf_adds(b, "\\n");
		else
			pg_buf_addch(b, *p);
	}
	pg_buf_addch(b, '"');
}

static int parse(struct samples *s, const char *text)
{
	for (const char *p = text; *p;) {
		const char *eol = strchrnul(p, '\n'), *sp;

		if (*p != '#' && !strncmp(p, "pushguard_", 10)) {
			for (sp = eol; sp > p && sp[-1] != ' '; sp--)
				;
			if (sp > p + 1 && add(s, p, (size_t)(sp - 1 - p), strtod(sp, NULL)) < 0)
				return -1;
		}
		p = *eol ? eol + 1 : eol;
	}
	return 0;
}

static int cmp_sample(const void *a, const void *b)
{
	return strcmp(((const struct sample *)a)->key, ((const struct sample *)b)->key);
}

static bool has_family(const struct samples *s, const char *prefix)
{
	size_t plen = strlen(prefix);

	for (size_t i = 0; i < s->n; i++)
		if (!strncmp(s->v[i].key, prefix, plen) && s->v[i].key[plen] == '{')
			return true;
	return false;
}

static void write_family(struct pg_buf *out, const struct samples *s, const char *prefix, const char *help)
{
	size_t plen = strlen(prefix);

	pg_buf_addf(out, "# HELP %s %s\n# TYPE %s counter\n", prefix, help, prefix);
	for (size_t i = 0; i < s->n; i++)
		if (!strncmp(s->v[i].key, prefix, plen) && s->v[i].key[plen] == '{')
			pg_buf_addf(out, "%s %.15g\n", s->v[i].key, s->v[i].value);
}

/* Adds delta to counter{repository[, label=value]}, the findings, and
 * (duration_ms >= 0) a hook duration. */
static int update(const char *path, const char *counter, const char *label_name, const char *value,
		  double delta, const char *repository, const struct pg_findings *findings, int64_t duration_ms,
		  struct pg_error *err)
{
	struct samples s = { 0 };
	struct pg_buf lock = PG_BUF_INIT, old = PG_BUF_INIT, key = PG_BUF_INIT, out = PG_BUF_INIT;
	double secs = (double)duration_ms / 1000.0;
	const char *name;
	int dfd = -1, lfd = -1, fd = -1, ret = PG_ERR;
	char chunk[8192];
	ssize_t n;

	/* The lock, the read and the rename all happen in one directory, opened
	 * once, and no link is followed: not at the file's name, not at the
	 * lock's, not as the directory. */
	if ((ret = pg_open_dir_of(&dfd, &name, path, WHAT, KEY, err)) < 0)
		goto out;
	ret = PG_ERR;
	if (pg_buf_addf(&lock, "%s.lock", path) < 0)
		goto oom;
	if ((lfd = openat(dfd, lock.ptr + (name - path), O_RDWR | O_CREAT | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC,
			  0644)) < 0) {
		ret = pg_refuse_link(errno, dfd, lock.ptr + (name - path), lock.ptr, "the lock file", KEY, err);
		goto out;
	}
	while (flock(lfd, LOCK_EX) < 0 && errno == EINTR)
		;
	pg_buf_init(&old, MAX_FILE);
	if ((fd = openat(dfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)) >= 0) {
		struct stat st;

		if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
			ret = pg_error_set(err, PG_ERR, "refused to open " WHAT " %s (" KEY "): not a regular file", path);
			goto out;
		}
		while ((n = read(fd, chunk, sizeof(chunk))) > 0)
			if (pg_buf_add(&old, chunk, (size_t)n) < 0)
				break;
		close(fd);
		fd = -1;
		if (pg_buf_failed(&old)) { /* never rewrite it from a part of it */
			ret = pg_error_set(err, PG_ERR, "%s (pushguard.metricsFile) is too large", path);
			goto out;
		}
	} else if (errno != ENOENT) {
		ret = pg_refuse_link(errno, dfd, name, path, WHAT, KEY, err);
		goto out;
	}
	if (parse(&s, old.ptr) < 0)
		goto oom;

	pg_buf_addf(&key, "%s{", counter);
	label(&key, "repository", repository, true);
	if (label_name)
		label(&key, label_name, value, false);
	pg_buf_addch(&key, '}');
	if (pg_buf_failed(&key) || add(&s, key.ptr, key.len, delta) < 0)
		goto oom;
	for (size_t i = 0; findings && i < findings->n; i++) {
		const struct pg_finding *x = &findings->v[i];

		if (x->allowed_by)
			continue;
		pg_buf_reset(&key);
		pg_buf_adds(&key, x->warning ? "pushguard_warnings_total{" : "pushguard_findings_total{");
		label(&key, "repository", repository, true);
		label(&key, "check", x->check, false);
		label(&key, "rule", x->rule, false);
		label(&key, "confidence", pg_confidence_name(x->confidence), false);
		pg_buf_addch(&key, '}');
		if (pg_buf_failed(&key) || add(&s, key.ptr, key.len, 1) < 0)
			goto oom;
	}
	for (size_t i = 0; duration_ms >= 0 && i < NBUCKETS; i++) {
		pg_buf_reset(&key);
		pg_buf_addf(&key, "pushguard_hook_duration_seconds_bucket{le=\"%s\"}", buckets[i]);
		if (pg_buf_failed(&key) || add(&s, key.ptr, key.len, (i == NBUCKETS - 1 || secs <= strtod(buckets[i], NULL)) ? 1 : 0) < 0)
			goto oom;
	}
	if (duration_ms >= 0 &&
	    (add(&s, "pushguard_hook_duration_seconds_sum", strlen("pushguard_hook_duration_seconds_sum"), secs) < 0 ||
	     add(&s, "pushguard_hook_duration_seconds_count", strlen("pushguard_hook_duration_seconds_count"), 1) < 0))
		goto oom;
	qsort(s.v, s.n, sizeof(*s.v), cmp_sample);

	write_family(&out, &s, "pushguard_pushes_total", "Push decisions by repository and event.");
	if (has_family(&s, "pushguard_background_scans_total")) /* only where onTimeout = accept-and-report ran one */
		write_family(&out, &s, "pushguard_background_scans_total",
			     "Background checks of pushes accepted unchecked, by repository and result.");
	if (has_family(&s, "pushguard_ref_updates_landed_total")) /* only where the post-receive hook records */
		write_family(&out, &s, "pushguard_ref_updates_landed_total",
			     "Ref updates that entered the repository (post-receive), by repository.");
	write_family(&out, &s, "pushguard_findings_total",
		     "Findings that counted, by repository, check, rule and confidence.");
	if (has_family(&s, "pushguard_warnings_total")) /* only once a finding fell below pushguard.secrets.block */
		write_family(&out, &s, "pushguard_warnings_total",
			     "Findings below pushguard.secrets.block (shown, not refused), by repository, check, rule and confidence.");
	pg_buf_adds(&out, "# HELP pushguard_hook_duration_seconds Time from hook start to decision recorded.\n"
		    "# TYPE pushguard_hook_duration_seconds histogram\n");
	for (size_t i = 0; i < NBUCKETS; i++) {
		pg_buf_reset(&key);
		pg_buf_addf(&key, "pushguard_hook_duration_seconds_bucket{le=\"%s\"}", buckets[i]);
		if (pg_buf_failed(&key))
			goto oom;
		pg_buf_addf(&out, "%s %.15g\n", key.ptr, get(&s, key.ptr));
	}
	pg_buf_addf(&out, "pushguard_hook_duration_seconds_sum %.15g\n", get(&s, "pushguard_hook_duration_seconds_sum"));
	pg_buf_addf(&out, "pushguard_hook_duration_seconds_count %.15g\n",
		    get(&s, "pushguard_hook_duration_seconds_count"));

	if (pg_buf_failed(&out))
		goto oom;
	ret = pg_atomic_file_writeat(dfd, path, name, out.ptr, out.len, 0644, KEY, err);
	goto out;
oom:
	ret = pg_error_oom(err);
out:
	if (fd >= 0)
		close(fd);
	if (lfd >= 0)
		close(lfd);
	if (dfd >= 0)
		close(dfd);
	samples_release(&s);
	pg_buf_release(&lock);
	pg_buf_release(&old);
	pg_buf_release(&key);
	pg_buf_release(&out);
	return ret;
}

int pg_metrics_update(const char *path, const char *repository, const char *event_word,
		      const struct pg_findings *findings, int64_t duration_ms, struct pg_error *err)
{
	return update(path, "pushguard_pushes_total", "event", event_word, 1, repository, findings,
		      duration_ms < 0 ? 0 : duration_ms, err);
}

int pg_metrics_update_landed(const char *path, const char *repository, size_t nrefs, struct pg_error *err)
{
	return update(path, "pushguard_ref_updates_landed_total", NULL, NULL, (double)nrefs, repository, NULL, -1,
		      err);
}

int pg_metrics_update_scan(const char *path, const char *repository, const char *result,
			   const struct pg_findings *findings, struct pg_error *err)
{
	return update(path, "pushguard_background_scans_total", "result", result, 1, repository, findings, -1, err);
}
