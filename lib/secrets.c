#include "secrets.h"

#include <ctype.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include <sys/random.h>

#include "alloc.h"
#include "base64.h"
#include "crypto_loader.h"
#include "mask.h"

#define MAX_GROUPS 10
#define MIN_BASE64_RUN 32
#define MAX_HITS_PER_BLOB 1000

void pg_secrets_found_release(struct pg_secrets_found *f)
{
	free(f->v);
	*f = (struct pg_secrets_found)PG_SECRETS_FOUND_INIT;
}

int pg_secrets_found_add(struct pg_secrets_found *f, const struct pg_secret *s)
{
	if (PG_GROW(f->v, f->n + 1, f->alloc) < 0)
		return -1;
	f->v[f->n++] = *s;
	return 0;
}

int pg_secrets_scanner_init(struct pg_secrets_scanner *s, const struct pg_ruleset *rs,
			    const struct pg_prefilter *pf, struct pg_error *err)
{
	*s = (struct pg_secrets_scanner)PG_SECRETS_SCANNER_INIT;
	s->rs = rs;
	s->pf = pf;
	if (!(s->fired = calloc(rs->n ? rs->n : 1, sizeof(*s->fired))) ||
	    (!pf && !(s->hits = calloc(rs->n ? rs->n : 1, sizeof(*s->hits))))) {
		pg_secrets_scanner_release(s);
		return pg_error_oom(err);
	}
	return pf ? pg_prefilter_scratch_new(&s->scratch, pf, err) : 0;
}

void pg_secrets_scanner_release(struct pg_secrets_scanner *s)
{
	pg_prefilter_scratch_free(s->scratch);
	for (size_t i = 0; s->hits && i < s->rs->n; i++)
		pg_keyword_hits_release(&s->hits[i]);
	free(s->hits);
	free(s->windows);
	free(s->fired);
	*s = (struct pg_secrets_scanner)PG_SECRETS_SCANNER_INIT;
}

/* Where lines start, for turning offsets into line numbers (built once per blob). */
struct line_index {
	size_t *starts;
	size_t n;
};

/* Built on first need: most blobs have no candidate and never need it. */
static int index_lines(struct line_index *li, const char *data, size_t len)
{
	size_t alloc = 256;

	if (li->starts)
		return 0;
	if (!(li->starts = malloc(alloc * sizeof(*li->starts))))
		return -1;
	li->starts[0] = 0;
	li->n = 1;
	/* 16 bytes at a time, each newline from the mask: lines are short, and a
	 * memchr() call per line cost more than the search itself */
	for (size_t at = 0; at < len; at += 16) {
		unsigned m = 0;

#if defined(__SSE2__)
		if (len - at >= 16)
			m = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(
				_mm_loadu_si128((const __m128i *)(const void *)(data + at)), _mm_set1_epi8('\n')));
		else
#endif
			for (size_t k = 0; k < 16 && at + k < len; k++)
				m |= (unsigned)(data[at + k] == '\n') << k;
		for (; m; m &= m - 1) {
			if (li->n == alloc) {
				size_t *s = realloc(li->starts, (alloc *= 2) * sizeof(*s));

				if (!s)
					return -1;
				li->starts = s;
			}
			li->starts[li->n++] = at + (size_t)__builtin_ctz(m) + 1;
		}
	}
	return 0;
}

/* 0-based line of offset. */
static size_t line_of(const struct line_index *li, size_t off)
{
	size_t lo = 0, hi = li->n;

	while (hi - lo > 1) {
		size_t mid = (lo + hi) / 2;

		if (li->starts[mid] <= off)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

static size_t line_end(const char *data, size_t len, size_t start)
{
	const char *nl = memchr(data + start, '\n', len - start);

	return nl ? (size_t)(nl - data) : len;
}

static bool inline_allowed(const char *line, size_t len)
{
	return memmem(line, len, "pushguard:allow", 15) || memmem(line, len, "gitleaks:allow", 14);
}

struct candidate {
	const struct pg_rule *rule;
	const char *data;  /* the text the rule matched in (blob or decoded base64) */
	size_t len;
	struct pg_regex_span whole, secret, key, user;
	const char *line;  /* the blob's line */
	size_t line_len;
	size_t lineno;     /* 1-based */
	bool in_base64;
	size_t b64_start, b64_end; /* the encoded run in the blob */
};

/* A keyed hash of a secret: the key is random per process, so the id tells
 * two findings of one value apart from others and says nothing about it. */
static unsigned char id_key[32];

static void id_key_init(void)
{
	if (getrandom(id_key, sizeof(id_key), 0) != (ssize_t)sizeof(id_key))
		for (size_t i = 0; i < sizeof(id_key); i++) /* no entropy source: still keyed per process */
			id_key[i] = (unsigned char)(i * 131u + (unsigned)getpid() + (unsigned)time(NULL));
}

static int value_id(unsigned char out[16], const char *secret, size_t len, struct pg_error *err)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int n = 0;
	int ret;

	if ((ret = pg_crypto_load("keying a finding's id", err)) < 0)
		return ret;
	pthread_once(&once, id_key_init);
	if (!pg_crypto.HMAC(pg_crypto.EVP_sha256(), id_key, sizeof(id_key), (const unsigned char *)secret, len,
			    md, &n) || n < 16)
		memset(md, 0, 16);
	memcpy(out, md, 16);
	return 0;
}

static char *dup_span(const char *data, size_t start, size_t end)
{
	return strndup(data + start, end - start);
}

/* One blob's scan. */
struct scan_job {
	struct pg_secrets_scanner *s;
	const char *data;     /* blob */
	size_t len;
	const char *path, *commit;
	pg_secrets_line_filter *filter;
	void *payload;
	struct line_index li;
	struct pg_secrets_found *out;
	/* The last candidate's line and what was asked of it: a line of a
	 * megabyte may hold thousands of candidates, each asked once per line,
	 * not once per candidate. */
	const char *line;     /* NULL: none yet */
	size_t line_len;
	char *line_copy;      /* NUL-terminated, for the allowlists; NULL: not made yet */
	int inline_allow;     /* -1: not asked yet */
	int added;            /* the filter's answer (1 added, 0 not); -1: not asked yet */
};

#define SCAN_JOB_INIT(s, data, len, path, commit, filter, payload, out) \
	{ s, data, len, path, commit, filter, payload, { NULL, 0 }, out, NULL, 0, NULL, -1, -1 }

/* Makes the job's line cache about line[0..len). */
static void job_line(struct scan_job *j, const char *line, size_t len)
{
	if (j->line == line && j->line_len == len)
		return;
	free(j->line_copy);
	j->line = line;
	j->line_len = len;
	j->line_copy = NULL;
	j->inline_allow = -1;
	j->added = -1;
}

/* Decides about one confirmed match and appends it (allowed or not). */
static int consider(struct scan_job *j, const struct candidate *c, struct pg_error *err)
{
	struct pg_secrets_scanner *s = j->s;
	const char *path = j->path, *commit = j->commit;
	struct pg_secrets_found *out = j->out;
	const struct pg_rule *r = c->rule;
	struct pg_regex_span secret_span = c->secret;
	struct pg_secret *x;
	char *secret = NULL, *match = NULL;
	const char *line;
	const char *why = NULL;
	char whybuf[160] = "";
	int ret = PG_ERR;

	if (r->value_check) {
		struct pg_credential_value v = { NULL, 0, NULL, 0, c->data + c->secret.start,
						 c->secret.end - c->secret.start, path, c->data, c->len };
		size_t a, b;

		if (c->key.start != PG_REGEX_UNSET) {
			v.key = c->data + c->key.start;
			v.key_len = c->key.end - c->key.start;
		}
		if (c->user.start != PG_REGEX_UNSET) {
			v.user = c->data + c->user.start;
			v.user_len = c->user.end - c->user.start;
		}
		if (pg_credential_judge(r->value_check, &v, &a, &b))
			return 0; /* a placeholder, a reference, code...: not a credential */
		secret_span.end = secret_span.start + b;
		secret_span.start += a;
	}
	if (r->entropy > 0 &&
	    pg_rules_entropy(c->data + secret_span.start, secret_span.end - secret_span.start) < r->entropy)
		return 0;
	if (out->n >= MAX_HITS_PER_BLOB)
		return 0;
	job_line(j, c->line, c->line_len);
	if (!j->line_copy)
		j->line_copy = strndup(c->line, c->line_len);
	line = j->line_copy;
	secret = dup_span(c->data, secret_span.start, secret_span.end);
	match = dup_span(c->data, c->whole.start, c->whole.end);
	if (!secret || !match || !line) {
		ret = pg_error_oom(err);
		goto out;
	}
	for (size_t i = 0; i < r->nallowlists && !why; i++)
		if (pg_allowlist_allows(&r->allowlists[i], commit, path, secret, match, line)) {
			snprintf(whybuf, sizeof(whybuf), "allowlist of rule %s%s%s", r->id,
				 r->allowlists[i].description ? ": " : "",
				 r->allowlists[i].description ? r->allowlists[i].description : "");
			why = whybuf;
		}
	/* the global allowlists' stop-words are for tokens; a judged value's
	 * placeholders were recognised by pg_credential_judge() */
	for (size_t i = 0; i < s->rs->nallowlists && !why; i++)
		if (pg_allowlist_allows_ex(&s->rs->allowlists[i], commit, path, secret, match, line,
					   r->value_check == PG_VALUE_CHECK_NONE)) {
			const char *d = s->rs->allowlists[i].description;

			snprintf(whybuf, sizeof(whybuf), "global allowlist%s%s", d ? ": " : "", d ? d : "");
			why = whybuf;
		}
	if (!why && !s->no_inline_allow) {
		if (j->inline_allow < 0)
			j->inline_allow = inline_allowed(c->line, c->line_len);
		if (j->inline_allow)
			why = "inline pushguard:allow comment";
	}
	if (pg_secrets_found_add(out, &(struct pg_secret){ 0 }) < 0) {
		ret = pg_error_oom(err);
		goto out;
	}
	x = &out->v[out->n - 1];
	x->rule = r;
	x->line = c->lineno;
	if (c->in_base64) {
		x->start = c->b64_start;
		x->end = c->b64_end;
	} else {
		x->start = secret_span.start;
		x->end = secret_span.end;
	}
	x->in_base64 = c->in_base64;
	x->confidence = r->confidence ? r->confidence : PG_CONFIDENCE_HIGH;
	if (x->confidence < PG_CONFIDENCE_HIGH && pg_credential_path_is_example(path))
		x->confidence = PG_CONFIDENCE_LOW;
	if ((ret = value_id(x->value_id, secret, strlen(secret), err)) < 0)
		goto out;
	pg_mask_excerpt(x->excerpt, sizeof(x->excerpt), secret, strlen(secret));
	if (why)
		snprintf(x->allowed_by, sizeof(x->allowed_by), "%s", why);
	ret = 0;
out:
	free(secret);
	free(match);
	return ret;
}

static void pick_secret(const struct pg_rule *r, const struct pg_regex_span *g, struct pg_regex_span *out)
{
	*out = g[0];
	if (r->secret_group > 0) {
		if (r->secret_group < MAX_GROUPS && g[r->secret_group].start != PG_REGEX_UNSET)
			*out = g[r->secret_group];
		return;
	}
	for (int i = 1; i < MAX_GROUPS; i++)
		if (g[i].start != PG_REGEX_UNSET && g[i].end > g[i].start) {
			*out = g[i];
			return;
		}
}

/* Without the multi-pattern database (small pushes do not need it): a rule
 * may match where one of its keywords occurs, or always when it has none;
 * for a windowed rule, every occurrence is kept. */
static int keywords_fired(struct pg_secrets_scanner *s, const char *text, size_t len,
			  struct pg_error *err)
{
	char *lower = malloc(len + 1);

	if (!lower)
		return pg_error_oom(err);
	for (size_t i = 0; i < len; i++)
		lower[i] = (char)tolower((unsigned char)text[i]);
	lower[len] = '\0';
	for (size_t i = 0; i < s->rs->n; i++) {
		const struct pg_rule *r = &s->rs->rules[i];
		bool windowed = pg_rule_windowed(r);

		s->hits[i].n = 0;
		s->hits[i].overflow = false;
		s->fired[i] = !r->keywords.n;
		for (size_t k = 0; k < r->keywords.n && (windowed || !s->fired[i]); k++) {
			size_t kl = strlen(r->keywords.v[k]);

			for (const char *p = lower; (p = memmem(p, len - (size_t)(p - lower), r->keywords.v[k], kl));
			     p++) {
				s->fired[i] = true;
				if (!windowed)
					break;
				pg_keyword_hits_add(&s->hits[i], (size_t)(p - lower) + kl);
			}
		}
	}
	free(lower);
	return 0;
}

static int cmp_size(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;

	return x < y ? -1 : x > y;
}

/* Start of the line holding text[at] (at < len), looking back no further than floor. */
static size_t line_start_from(const char *text, size_t at, size_t floor)
{
	const char *nl = at > floor ? memrchr(text + floor, '\n', at - floor) : NULL;

	return nl ? (size_t)(nl - text) + 1 : floor;
}

/* The stretches of text a windowed rule runs on: around each keyword
 * occurrence, its line and the lines before and after (cut at
 * PG_RULE_WINDOW bytes from the keyword), overlapping stretches merged. Returns the number
 * of windows in s->windows, 0 for none, or (size_t)-1 when the rule must run
 * on the whole text (too many occurrences). */
static size_t rule_windows(struct pg_secrets_scanner *s, size_t rule, const char *text, size_t len)
{
	const struct pg_keyword_hits *h = s->pf ? pg_prefilter_hits(s->scratch, rule) : &s->hits[rule];
	size_t n = 0;

	if (!h || h->overflow)
		return (size_t)-1;
	if (h->n > s->nwindows_alloc) {
		struct pg_regex_span *w = realloc(s->windows, h->n * sizeof(*w));

		if (!w)
			return (size_t)-1;
		s->windows = w;
		s->nwindows_alloc = h->n;
	}
	for (size_t i = 1; i < h->n; i++)
		if (h->end[i] < h->end[i - 1]) { /* not in order (several keywords overlapping) */
			qsort(h->end, h->n, sizeof(*h->end), cmp_size);
			break;
		}
	for (size_t i = 0; i < h->n; i++) {
		size_t e = h->end[i] < len ? h->end[i] : len, floor = e > PG_RULE_WINDOW ? e - PG_RULE_WINDOW : 0;
		size_t cap = e + PG_RULE_WINDOW < len ? e + PG_RULE_WINDOW : len, a = 0, b;
		/* a keyword inside the last window: this window starts before e,
		 * so it merges with that one whatever its start (hits are sorted) */
		bool inside = n && e <= s->windows[n - 1].end;
		const char *nl;

		if (!inside) {
			a = line_start_from(text, e ? e - 1 : 0, floor);
			if (a > floor)
				a = line_start_from(text, a - 1, floor); /* the line before */
		}
		nl = memchr(text + e, '\n', cap - e);
		if (nl && (size_t)(nl - text) + 1 < cap) /* and the line after */
			nl = memchr(nl + 1, '\n', cap - (size_t)(nl - text) - 1);
		b = nl ? (size_t)(nl - text) + 1 : cap;

		if (inside || (n && a <= s->windows[n - 1].end))
			s->windows[n - 1].end = b;
		else
			s->windows[n++] = (struct pg_regex_span){ a, b };
	}
	return n;
}

/* A rule whose regex ran into PCRE2's limits on this file (PG_ECONFIG from
 * regex.c): the rule is what needs mending (the push is refused, not let
 * through unscanned). */
static int gave_up(const struct scan_job *j, struct pg_error *err)
{
	char why[sizeof(err->msg)];

	snprintf(why, sizeof(why), "%s", err->msg);
	return pg_error_set(err, PG_ECONFIG, "%s, on %s%s%s; the rule's regex backtracks too much: rewrite it",
			    why, j->path ? j->path : "a file", j->commit ? " in commit " : "",
			    j->commit ? j->commit : "");
}

/* Runs every fired rule over text; text is the blob itself, or a decoded
 * base64 value found on blob line `b64_line` (0-based). */
static int run_rules(struct scan_job *j, const char *text, size_t len, long b64_line,
		     size_t b64_start, size_t b64_end, struct pg_error *err)
{
	struct pg_secrets_scanner *s = j->s;
	int rc;

	if (s->pf)
		rc = pg_prefilter_scan(s->pf, s->scratch, text, len, s->fired, err);
	else
		rc = keywords_fired(s, text, len, err);
	if (rc < 0)
		return rc;
	for (size_t i = 0; i < s->rs->n; i++) {
		const struct pg_rule *r = &s->rs->rules[i];
		size_t off = 0, nwin = 0, win = 0;

		if (!s->fired[i] || r->skip_report)
			continue;
		if (r->path && (!j->path || pg_regex_match(r->path, j->path, strlen(j->path), err) != 1))
			continue;
		if (!r->regex) {
			/* a rule on the file's path alone: reported once, for the file */
			struct candidate c = { r, j->data, j->len, { 0, 0 }, { 0, 0 }, { PG_REGEX_UNSET, PG_REGEX_UNSET },
					       { PG_REGEX_UNSET, PG_REGEX_UNSET }, "", 0, 0, false };

			if (b64_line < 0 && (rc = consider(j, &c, err)) < 0)
				return rc;
			continue;
		}
		if (pg_rule_windowed(r)) {
			nwin = rule_windows(s, i, text, len);
			win = 0;
			if (nwin == (size_t)-1)
				nwin = 0; /* whole text */
			else if (!nwin)
				continue;
			else
				off = s->windows[0].start;
		}
		while (off <= len) {
			struct pg_regex_span g[MAX_GROUPS];
			struct candidate c = { r, text, len };
			size_t ln, ls, kept, end = nwin ? s->windows[win].end : len;

			if (nwin && off >= end) {
				if (++win == nwin)
					break;
				off = s->windows[win].start;
				continue;
			}
			rc = pg_regex_find_in(r->regex, text, len, off, end, g, MAX_GROUPS, err);
			if (rc == PG_ECONFIG)
				return gave_up(j, err);
			if (rc < 0)
				return rc;
			if (rc == 0) {
				if (nwin && ++win < nwin) {
					off = s->windows[win].start;
					continue;
				}
				break;
			}
			if (index_lines(&j->li, j->data, j->len) < 0)
				return pg_error_oom(err);
			off = g[0].end > g[0].start ? g[0].end : g[0].end + 1;
			c.whole = g[0];
			pick_secret(r, g, &c.secret);
			c.key = r->key_group > 0 && r->key_group < MAX_GROUPS ? g[r->key_group]
									       : (struct pg_regex_span){ PG_REGEX_UNSET, PG_REGEX_UNSET };
			c.user = r->user_group > 0 && r->user_group < MAX_GROUPS ? g[r->user_group]
										 : (struct pg_regex_span){ PG_REGEX_UNSET, PG_REGEX_UNSET };
			if (b64_line >= 0) {
				ln = (size_t)b64_line;
				c.in_base64 = true;
				c.b64_start = b64_start;
				c.b64_end = b64_end;
			} else {
				ln = line_of(&j->li, c.secret.start); /* the match may begin on the line before */
			}
			ls = j->li.starts[ln];
			c.line = j->data + ls;
			c.line_len = line_end(j->data, j->len, ls) - ls;
			c.lineno = ln + 1;
			kept = j->out->n;
			if ((rc = consider(j, &c, err)) < 0)
				return rc;
			/* Is the line one the commit adds? Asked only of a match that
			 * would be reported (most are placeholders, code, low entropy):
			 * the answer may mean reading the parents' version of the file.
			 * consider() only appends, so the order changes nothing found. */
			if (b64_line < 0 && j->filter && j->out->n > kept) {
				job_line(j, c.line, c.line_len);
				if (j->added < 0 && (j->added = j->filter(j->payload, c.line, c.line_len, err)) < 0)
					return j->added;
				if (!j->added)
					j->out->n = kept;
			}
		}
	}
	return 0;
}

/* Decodes a base64 run; returns the decoded length, or 0 when it does not
 * look like text (then it is not worth scanning). */
static size_t decode_text(char *out, const char *in, size_t len)
{
	size_t n = pg_base64_decode_run((unsigned char *)out, in, len), printable = 0;

	for (size_t i = 0; i < n; i++)
		printable += (out[i] >= 0x20 && out[i] < 0x7f) || out[i] == '\n' || out[i] == '\r' || out[i] == '\t';
	out[n] = '\0';
	return n >= 16 && printable * 10 >= n * 9 ? n : 0;
}

/* Skips, 64 bytes at a time, text where no run of MIN_BASE64_RUN digits
 * starts; returns where one may (a run starting at p is whole: p is the
 * text's start or follows a byte that is no digit, or one already looked at). */
_Static_assert(MIN_BASE64_RUN == 32, "skip_no_b64_run() looks for runs of 32");

static const char *skip_no_b64_run(pg_base64_digits64_fn *digits64, const char *p, const char *end)
{
	while (end - p >= 64) {
		uint64_t m = digits64(p), x = m;

		x &= x >> 1;
		x &= x >> 2;
		x &= x >> 4;
		x &= x >> 8;
		x &= x >> 16; /* bit i: p[i .. i + 32) are all digits */
		if (x)
			return p;
		/* a run reaching the block's end may go on: start there next */
		p += 64 - (size_t)(m >> 63 ? __builtin_clzll(~m) : 0);
	}
	return p;
}

static int scan_base64(struct scan_job *j, struct pg_error *err)
{
	const char *p = j->data, *end = j->data + j->len;
	pg_base64_digits64_fn *digits64 = pg_base64_digits64();
	long last_line = -1;
	int last_ok = 0;
	char *dec = NULL;
	size_t dec_alloc = 0;
	int ret = 0;

	while (end - p >= MIN_BASE64_RUN) {
		const char *probe = p + MIN_BASE64_RUN - 1, *q, *r, *skipped;
		size_t run, ln, n, kept;
		int rc = 0;

		if ((skipped = skip_no_b64_run(digits64, p, end)) != p) {
			p = skipped;
			continue;
		}
		/* A run of MIN_BASE64_RUN digits starting in [p, probe] covers probe:
		 * look there first and skip the whole window when it is not a digit. */
		if (pg_base64_digit[(unsigned char)*probe] < 0) {
			p = probe + 1;
			continue;
		}
		for (r = probe; r > p && pg_base64_digit[(unsigned char)r[-1]] >= 0; r--)
			;
		for (q = probe + 1; q < end && pg_base64_digit[(unsigned char)*q] >= 0; q++)
			;
		run = (size_t)(q - r);
		if (run < MIN_BASE64_RUN) {
			p = q;
			continue;
		}
		p = r;
		if (run + 1 > dec_alloc) { /* one buffer for the blob's runs */
			free(dec);
			dec_alloc = run + 1 > 4096 ? run + 1 : 4096;
			if (!(dec = malloc(dec_alloc))) {
				ret = pg_error_oom(err);
				break;
			}
		}
		/* decode first: most long runs (identifiers) are not base64 of text */
		if (!(n = decode_text(dec, p, run))) {
			p = q;
			continue;
		}
		if (index_lines(&j->li, j->data, j->len) < 0) {
			ret = pg_error_oom(err);
			break;
		}
		ln = line_of(&j->li, (size_t)(p - j->data));
		kept = j->out->n;
		rc = run_rules(j, dec, n, (long)ln, (size_t)(p - j->data), (size_t)(q - j->data), err);
		/* Only what the rules found (or failed on) needs the line to be one
		 * the commit adds: asking may mean reading the parents. A line that
		 * is not added counts for nothing, its findings and errors alike. */
		if ((rc < 0 || j->out->n > kept) && j->filter) {
			if ((long)ln != last_line) {
				size_t ls = j->li.starts[ln];
				struct pg_error ferr = PG_ERROR_INIT;

				last_line = (long)ln;
				last_ok = j->filter(j->payload, j->data + ls, line_end(j->data, j->len, ls) - ls, &ferr);
				if (last_ok < 0) {
					*err = ferr;
					ret = last_ok;
					break;
				}
			}
			if (!last_ok) {
				j->out->n = kept;
				if (rc < 0)
					*err = (struct pg_error)PG_ERROR_INIT;
				rc = 0;
			}
		}
		if (rc < 0) {
			ret = rc;
			break;
		}
		p = q;
	}
	free(dec);
	return ret;
}

/* One secret, one finding: a later rule's hit on bytes an earlier rule already
 * reported on the same line is dropped (hits are in rule order). */
static void drop_overlaps(struct pg_secrets_found *out, size_t first)
{
	size_t keep = first;

	for (size_t i = first; i < out->n; i++) {
		const struct pg_secret *x = &out->v[i];
		bool dup = false;

		for (size_t k = first; k < keep && !dup; k++) {
			const struct pg_secret *y = &out->v[k];

			dup = y->line == x->line && y->rule != x->rule && x->line &&
			      x->start < y->end && y->start < x->end;
		}
		if (!dup)
			out->v[keep++] = *x;
	}
	out->n = keep;
}

int pg_secrets_scan(struct pg_secrets_scanner *s, const char *data, size_t len, const char *path,
		    const char *commit, pg_secrets_line_filter *filter, void *payload,
		    struct pg_secrets_found *out, struct pg_error *err)
{
	struct scan_job j = SCAN_JOB_INIT(s, data, len, path, commit, filter, payload, out);
	int ret;

	size_t first = out->n;

	ret = run_rules(&j, data, len, -1, 0, 0, err);
	if (ret == 0)
		ret = scan_base64(&j, err);
	free(j.li.starts);
	free(j.line_copy);
	if (ret == 0)
		drop_overlaps(out, first);
	return ret;
}
