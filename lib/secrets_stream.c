#include "secrets_stream.h"

#include <git2.h>
#include <stdlib.h>
#include <string.h>

#include "budget.h"
#include "textenc.h"

#define BINARY_PROBE 8000 /* bytes git and libgit2 look at for a NUL */

/* A line longer than a window: its hash, known once it ends. */
struct long_line {
	size_t lineno; /* 1-based */
	uint64_t hash;
};

/* A finding on a line that was not whole in its window. */
struct pending {
	size_t index;  /* in out */
	size_t lineno;
};

struct stream_scan {
	struct pg_secrets_stream *st;
	struct pg_secrets_scanner *s;
	char *win;
	size_t fill, window, overlap;
	uint64_t base;          /* offset of win[0] in the text */
	size_t base_line;       /* lines that end before win[0] */
	bool midline;           /* win[0] is not the start of a line */
	bool eof;
	/* the line being read, hashed as it arrives */
	struct pg_line_hasher cur;
	size_t cur_line;
	struct long_line *longs;
	size_t nlongs, alongs;
	struct pending *pend;
	size_t npend, apend;
	const struct pg_lineset *old;
	bool old_loaded;
	size_t first;           /* this text's first finding in out */
};

static int grow(void **v, size_t *alloc, size_t n, size_t size)
{
	void *p;

	if (n < *alloc)
		return 0;
	if (!(p = realloc(*v, (*alloc ? *alloc * 2 : 8) * size)))
		return -1;
	*v = p;
	*alloc = *alloc ? *alloc * 2 : 8;
	return 0;
}

static int end_line(struct stream_scan *ss)
{
	if (ss->cur.bytes >= ss->window - ss->overlap) {
		if (grow((void **)&ss->longs, &ss->alongs, ss->nlongs, sizeof(*ss->longs)) < 0)
			return -1;
		ss->longs[ss->nlongs++] = (struct long_line){ ss->cur_line, pg_line_hasher_final(&ss->cur) };
	}
	pg_line_hasher_init(&ss->cur);
	ss->cur_line++;
	return 0;
}

/* Hashes bytes as they arrive, keeping the hash of every long line. */
static int hash_lines(struct stream_scan *ss, const char *p, size_t n)
{
	const char *end = p + n;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));

		pg_line_hasher_add(&ss->cur, p, (size_t)((nl ? nl : end) - p));
		if (!nl)
			break;
		if (end_line(ss) < 0)
			return -1;
		p = nl + 1;
	}
	return 0;
}

static int old_lines(struct stream_scan *ss, struct pg_error *err)
{
	int rc = 0;

	if (!ss->old_loaded && ss->st->old_lines)
		rc = ss->st->old_lines(ss->st->old_payload, &ss->old, err);
	ss->old_loaded = true;
	return rc;
}

/* The scanner's question "is this line new?": answered for whole lines; a
 * line cut by the window is provisionally new and decided at its end. */
static int line_filter(void *payload, const char *line, size_t len, struct pg_error *err)
{
	struct stream_scan *ss = payload;
	int rc;

	if ((line == ss->win && ss->midline) || (line + len == ss->win + ss->fill && !ss->eof))
		return 1;
	if ((rc = old_lines(ss, err)) < 0)
		return rc;
	return !ss->old || !pg_lineset_has(ss->old, line, len);
}

static size_t count_lines(const char *p, size_t n)
{
	size_t lines = 0;

	for (const char *end = p + n; (p = memchr(p, '\n', (size_t)(end - p))); p++)
		lines++;
	return lines;
}

/* Where the next window starts: see secrets_stream.h. */
static size_t next_start(const struct stream_scan *ss)
{
	size_t limit = ss->fill - ss->overlap;
	const char *nl = memrchr(ss->win, '\n', limit);

	return nl && nl + 1 > ss->win ? (size_t)(nl + 1 - ss->win) : limit;
}

static bool same_secret(const struct pg_secret *a, const struct pg_secret *b)
{
	return a->rule == b->rule && a->line == b->line && a->start < b->end && b->start < a->end;
}

/* Keeps what this window owns, in the whole text's offsets and line numbers. */
static int adopt(struct stream_scan *ss, struct pg_secrets_found *out, size_t first, size_t next)
{
	size_t keep = first, last_line = count_lines(ss->win, ss->fill);

	for (size_t i = first; i < out->n; i++) {
		struct pg_secret x = out->v[i];
		bool dup = false, cut;

		if (x.line == 0) { /* a rule on the path alone: once, in the first window */
			if (ss->base)
				continue;
			out->v[keep++] = x;
			continue;
		}
		if (!ss->eof && x.start >= next)
			continue; /* the next window owns it */
		cut = (x.line == 1 && ss->midline) || (x.line - 1 == last_line && !ss->eof);
		x.line += ss->base_line;
		x.start += ss->base;
		x.end += ss->base;
		for (size_t k = ss->first; k < first && !dup; k++)
			dup = same_secret(&out->v[k], &x);
		if (dup)
			continue;
		if (cut) {
			if (grow((void **)&ss->pend, &ss->apend, ss->npend, sizeof(*ss->pend)) < 0)
				return -1;
			ss->pend[ss->npend++] = (struct pending){ keep, x.line };
		}
		out->v[keep++] = x;
	}
	out->n = keep;
	return 0;
}

/* Drops the waiting findings whose (long) line turned out not to be new. */
static int settle(struct stream_scan *ss, struct pg_secrets_found *out, struct pg_error *err)
{
	size_t keep = 0, p = 0;
	int rc;

	if (!ss->npend)
		return 0;
	if ((rc = old_lines(ss, err)) < 0)
		return rc;
	for (size_t i = 0; i < out->n; i++) {
		bool drop = false;

		if (p < ss->npend && ss->pend[p].index == i) {
			uint64_t hash = 0;
			bool known = false;

			for (size_t k = 0; k < ss->nlongs && !known; k++)
				if (ss->longs[k].lineno == ss->pend[p].lineno) {
					hash = ss->longs[k].hash;
					known = true;
				}
			/* unknown cannot happen; if it did, reporting is the safe side */
			drop = known && ss->old && pg_lineset_has_hash(ss->old, hash);
			p++;
		}
		if (!drop)
			out->v[keep++] = out->v[i];
	}
	out->n = keep;
	return 0;
}

static int fill_window(struct stream_scan *ss, struct pg_error *err)
{
	while (ss->fill < ss->window && !ss->eof) {
		ssize_t got = ss->st->read(ss->st->read_payload, ss->win + ss->fill, ss->window - ss->fill, err);

		if (got < 0)
			return (int)got;
		if (got == 0) {
			ss->eof = true;
			if (ss->cur.bytes && end_line(ss) < 0)
				return pg_error_oom(err);
			break;
		}
		if (hash_lines(ss, ss->win + ss->fill, (size_t)got) < 0)
			return pg_error_oom(err);
		ss->fill += (size_t)got;
		ss->st->bytes += (uint64_t)got;
	}
	return 0;
}

int pg_secrets_scan_stream(struct pg_secrets_scanner *s, struct pg_secrets_stream *st,
			   struct pg_secrets_found *out, struct pg_error *err)
{
	struct stream_scan ss = { st, s };
	int ret = PG_ERR;

	ss.window = st->window ? st->window : PG_SECRETS_WINDOW;
	ss.overlap = ss.window / 4 < PG_SECRETS_OVERLAP ? ss.window / 4 : PG_SECRETS_OVERLAP;
	ss.cur_line = 1;
	ss.first = out->n;
	pg_line_hasher_init(&ss.cur);
	st->binary = false;
	st->bytes = 0;
	if (!(ss.win = malloc(ss.window))) {
		ret = pg_error_oom(err);
		goto out;
	}
	for (;;) {
		size_t first = out->n, next;

		if ((ret = fill_window(&ss, err)) < 0)
			goto out;
		if (!ss.base &&
		    pg_textenc_binary(ss.win, ss.fill < BINARY_PROBE ? ss.fill : BINARY_PROBE)) {
			st->binary = true;
			break;
		}
		next = ss.eof ? ss.fill : next_start(&ss);
		if ((ret = pg_secrets_scan(s, ss.win, ss.fill, st->path, st->commit, line_filter, &ss,
					   out, err)) < 0)
			goto out;
		if (adopt(&ss, out, first, next) < 0) {
			ret = pg_error_oom(err);
			goto out;
		}
		if (ss.eof)
			break;
		if (pg_budget_expired(st->deadline_ms)) {
			ret = pg_budget_error(err, "scanning a large file for secrets");
			goto out;
		}
		ss.base_line += count_lines(ss.win, next);
		ss.midline = ss.win[next - 1] != '\n';
		memmove(ss.win, ss.win + next, ss.fill - next);
		ss.base += next;
		ss.fill -= next;
	}
	ret = settle(&ss, out, err);
out:
	free(ss.win);
	free(ss.longs);
	free(ss.pend);
	return ret;
}
