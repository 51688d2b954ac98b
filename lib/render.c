#include "render.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mask.h"

/* Length of the valid UTF-8 sequence at p (1-4), or 0 when it is not one. */
static size_t utf8_len(const unsigned char *p, unsigned *cp)
{
	size_t n;
	unsigned c;

	if (p[0] < 0x80) {
		*cp = p[0];
		return 1;
	}
	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		n = 2, c = p[0] & 0x1f;
	else if (p[0] >= 0xe0 && p[0] <= 0xef)
		n = 3, c = p[0] & 0x0f;
	else if (p[0] >= 0xf0 && p[0] <= 0xf4)
		n = 4, c = p[0] & 0x07;
	else
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (p[i] & 0x3f);
	}
	if ((n == 3 && c < 0x800) || (n == 4 && (c < 0x10000 || c > 0x10ffff)) || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return n;
}

/* Characters that change how the text around them is shown without being
 * seen themselves: bidirectional embeddings, overrides and isolates (the
 * "Trojan Source" characters), zero-width and other format characters
 * (Unicode category Cf), line and paragraph separators, invisible fillers,
 * variation selectors and tags. A pusher must read what is there. */
static const struct { unsigned lo, hi; } disguise[] = {
	{ 0x00ad, 0x00ad }, { 0x034f, 0x034f }, { 0x0600, 0x0605 }, { 0x061c, 0x061c },
	{ 0x06dd, 0x06dd }, { 0x070f, 0x070f }, { 0x0890, 0x0891 }, { 0x08e2, 0x08e2 },
	{ 0x115f, 0x1160 }, { 0x17b4, 0x17b5 }, { 0x180b, 0x180f }, { 0x200b, 0x200f },
	{ 0x2028, 0x202e }, { 0x2060, 0x206f }, { 0x3164, 0x3164 }, { 0xfe00, 0xfe0f },
	{ 0xfeff, 0xfeff }, { 0xffa0, 0xffa0 }, { 0xfff9, 0xfffb }, { 0x110bd, 0x110bd },
	{ 0x110cd, 0x110cd }, { 0x13430, 0x1343f }, { 0x1bca0, 0x1bca3 }, { 0x1d173, 0x1d17a },
	{ 0xe0000, 0xe0fff },
};

static bool disguises(unsigned cp)
{
	if (cp < disguise[0].lo)
		return false;
	for (size_t i = 0; i < sizeof(disguise) / sizeof(*disguise); i++)
		if (cp >= disguise[i].lo && cp <= disguise[i].hi)
			return true;
	return false;
}

static const char ellipsis[] = "\u2026";
#define ELLIPSIS_LEN (sizeof(ellipsis) - 1)

/* Appends the first n bytes of s (less if s ends before), made safe, in at
 * most max bytes: a text that does not fit is cut after a whole character
 * and ends with "\u2026". It reads about as much of s as it writes, so a
 * huge text costs no more than max. s is a NUL-terminated string (n may end
 * inside it). Returns true when the text was cut. */
static bool safe_n_masked(struct pg_buf *out, const char *s, size_t n, size_t max);

/* Secrets found in names and messages (mask.h) are masked first, so that a
 * cut never leaves one partly shown; that reads the whole of s. */
static bool safe_n(struct pg_buf *out, const char *s, size_t n, size_t max)
{
	char *masked;
	size_t len;
	bool cut;

	if (!pg_mask_active())
		return safe_n_masked(out, s, n, max);
	if (!(masked = pg_mask_dupn(s, n, &len))) {
		pg_buf_add(out, "?", 1); /* out of memory: nothing rather than the raw text */
		return true;
	}
	cut = safe_n_masked(out, masked, len, max);
	free(masked);
	return cut;
}

static bool safe_n_masked(struct pg_buf *out, const char *s, size_t n, size_t max)
{
	const unsigned char *p = (const unsigned char *)s, *run = p;
	size_t reserve = max < ELLIPSIS_LEN ? max : ELLIPSIS_LEN;
	size_t used = 0, mark = SIZE_MAX;

	while (n && *p) {
		unsigned cp = 0;
		size_t k = utf8_len(p, &cp), w;
		/* invalid bytes, C0 and C1 controls, DEL: a terminal could act on
		 * them; format characters: they disguise the text around them */
		bool bad = !k || k > n || cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) || disguises(cp);

		if (!k || k > n)
			k = 1;
		w = bad ? 1 : k;
		if (mark == SIZE_MAX && used + w > max - reserve) {
			pg_buf_add(out, run, (size_t)(p - run));
			run = p;
			mark = out->len; /* where the ellipsis goes if the rest does not fit */
		}
		if (used + w > max) {
			if (out->alloc && mark <= out->len) {
				out->len = mark;
				out->ptr[mark] = '\0';
			}
			if (reserve == ELLIPSIS_LEN)
				pg_buf_add(out, ellipsis, ELLIPSIS_LEN);
			return true;
		}
		if (bad) {
			pg_buf_add(out, run, (size_t)(p - run));
			pg_buf_addch(out, '?');
			run = p + k;
		}
		used += w;
		p += k;
		n -= k;
	}
	pg_buf_add(out, run, (size_t)(p - run));
	return false;
}

void pg_render_safe(struct pg_buf *out, const char *s)
{
	safe_n(out, s, SIZE_MAX, SIZE_MAX);
}

char *pg_render_safe_dup(const char *s)
{
	struct pg_buf b = PG_BUF_INIT;

	pg_render_safe(&b, s);
	return pg_buf_detach(&b);
}

static const char *plural(size_t n, const char *one, const char *many)
{
	return n == 1 ? one : many;
}

/* One problem block under construction: it ends at `end` at the latest,
 * less the few bytes of its fixed words (BLOCK_WORDS). */
struct block {
	struct pg_buf *out;
	size_t end;
};

#define BLOCK_WORDS 160 /* "\n\u2717 ", "    ", "  ", " \"", "   fingerprint ", the line number, ... */

static size_t room(const struct block *b, size_t limit)
{
	size_t left = b->end > b->out->len ? b->end - b->out->len : 0;

	return limit < left ? limit : left;
}

/* A field of pushed text, cut to its limit and to what the block has left. */
static void field(struct block *b, const char *s, size_t limit)
{
	safe_n(b->out, s, SIZE_MAX, room(b, limit));
}

/* A multi-line text, every line after the first indented, in at most limit
 * bytes (less if the block has less left): a line cut short ends with
 * "\u2026", and so does an indented line of its own when whole lines are
 * left out (room for it is kept). */
static void add_indented(struct block *b, const char *text, const char *indent, size_t limit)
{
	size_t start = b->out->len, ilen = strlen(indent), more = ilen + ELLIPSIS_LEN + 1;

	for (const char *p = text; *p;) {
		const char *eol = strchrnul(p, '\n');
		size_t used = b->out->len - start, left = room(b, used < limit ? limit - used : 0);
		size_t lead = p != text ? ilen : 0, keep = *eol && eol[1] ? more : 0; /* lines follow */
		bool cut;

		if (left < lead + ELLIPSIS_LEN + 1 + keep) {
			/* not even an ellipsis and what follows: say lines were left out */
			if (left >= lead + ELLIPSIS_LEN + 1) {
				pg_buf_add(b->out, indent, lead);
				pg_buf_add(b->out, ellipsis, ELLIPSIS_LEN);
				pg_buf_addch(b->out, '\n');
			}
			return;
		}
		pg_buf_add(b->out, indent, lead);
		cut = safe_n(b->out, p, (size_t)(eol - p), left - lead - 1 - keep);
		pg_buf_addch(b->out, '\n');
		if (cut)
			return;
		p = *eol ? eol + 1 : eol;
	}
}

static void render_one(struct pg_buf *out, const struct pg_finding *x)
{
	struct block b = { out, out->len + PG_RENDER_MAX_BLOCK - BLOCK_WORDS };

	pg_buf_addf(out, "\n\u2717 %.16s  ", x->check);
	field(&b, x->rule, 64);
	if (x->confidence != PG_CONFIDENCE_HIGH)
		pg_buf_addf(out, "  (confidence %s)", pg_confidence_name(x->confidence));
	pg_buf_addch(out, '\n');
	if (x->ref) {
		pg_buf_adds(out, "    ");
		field(&b, x->ref, 160);
		if (x->commit[0]) {
			pg_buf_addf(out, "  %.7s \"", x->commit);
			field(&b, x->subject ? x->subject : "", 200);
			pg_buf_addch(out, '"');
		}
		pg_buf_addch(out, '\n');
	}
	if (x->path) {
		pg_buf_adds(out, "    ");
		field(&b, x->path, 256);
		if (x->line)
			pg_buf_addf(out, ":%zu", x->line);
		if (x->excerpt) {
			pg_buf_adds(out, "   ");
			field(&b, x->excerpt, 64);
		}
		if (x->fingerprint) {
			pg_buf_adds(out, "   fingerprint ");
			field(&b, x->fingerprint, 320);
		}
		pg_buf_addch(out, '\n');
	}
	pg_buf_adds(out, "    ");
	add_indented(&b, x->message, "    ", 400);
	if (x->fix) {
		pg_buf_adds(out, "    fix: ");
		add_indented(&b, x->fix, "         ", 500);
	}
}

/* The problems not shown, by check and rule. */
struct tally {
	const char *check, *rule;
	size_t n;
};

static int by_check_rule(const void *a, const void *b)
{
	const struct pg_finding *x = *(const struct pg_finding *const *)a, *y = *(const struct pg_finding *const *)b;
	int c = strcmp(x->check, y->check);

	return c ? c : strcmp(x->rule, y->rule);
}

static int by_count(const void *a, const void *b)
{
	const struct tally *x = a, *y = b;
	int c;

	if (x->n != y->n)
		return x->n > y->n ? -1 : 1;
	c = strcmp(x->check, y->check);
	return c ? c : strcmp(x->rule, y->rule);
}

/* "... and N more problems not shown:" and one line per check and rule, the
 * most frequent first, at most PG_RENDER_MAX_SUMMARY of them. */
static void render_rest(struct pg_buf *out, const struct pg_findings *f, size_t from, size_t nrest)
{
	const struct pg_finding **rest = malloc(nrest * sizeof(*rest));
	struct tally *t = malloc(nrest * sizeof(*t));
	size_t k = 0, nt = 0, other = 0, nother = 0;

	pg_buf_addf(out, "\n... and %zu more %s not shown", nrest, plural(nrest, "problem", "problems"));
	if (!rest || !t)
		goto out; /* out of memory: the count alone */
	for (size_t i = from; i < f->n && k < nrest; i++)
		if (pg_finding_blocks(&f->v[i]))
			rest[k++] = &f->v[i];
	qsort(rest, k, sizeof(*rest), by_check_rule);
	for (size_t i = 0; i < k; i++) {
		if (!nt || by_check_rule(&rest[i - 1], &rest[i]))
			t[nt++] = (struct tally){ rest[i]->check, rest[i]->rule, 0 };
		t[nt - 1].n++;
	}
	qsort(t, nt, sizeof(*t), by_count);
	pg_buf_adds(out, ":");
	for (size_t i = 0; i < nt; i++) {
		if (i >= PG_RENDER_MAX_SUMMARY) {
			other += t[i].n;
			nother++;
			continue;
		}
		pg_buf_addf(out, "\n    %zu \u00d7 %.16s  ", t[i].n, t[i].check);
		safe_n(out, t[i].rule, SIZE_MAX, 100);
	}
	if (nother)
		pg_buf_addf(out, "\n    %zu more under %zu other %s", other, nother, plural(nother, "rule", "rules"));
out:
	pg_buf_addch(out, '\n');
	free(rest);
	free(t);
}

void pg_render_findings(struct pg_buf *out, const struct pg_findings *f,
			const struct pg_render_opts *opts)
{
	size_t ncommits = pg_findings_count_commits(f);
	size_t nblocking = pg_findings_count_blocking(f), shown = 0, i;
	bool warn = opts->mode == PG_MODE_WARN;

	pg_buf_addf(out, "pushguard: push %s: %zu %s", warn ? "would be refused (warn mode)" : "refused",
		    nblocking, plural(nblocking, "problem", "problems"));
	if (ncommits)
		pg_buf_addf(out, " in %zu %s", ncommits, plural(ncommits, "commit", "commits"));
	pg_buf_adds(out, " (policy: ");
	safe_n(out, opts->policy_name ? opts->policy_name : "default", SIZE_MAX, 100);
	pg_buf_adds(out, ")\n");
	for (i = 0; i < f->n && shown < PG_RENDER_MAX_FINDINGS; i++) {
		if (!pg_finding_blocks(&f->v[i]))
			continue;
		render_one(out, &f->v[i]);
		shown++;
	}
	if (nblocking > shown)
		render_rest(out, f, i, nblocking - shown);
	pg_buf_adds(out, "\n");
	pg_render_minor(out, f, opts->block);
	if (warn)
		pg_buf_adds(out, "pushguard: accepted anyway because pushguard.mode = warn; "
			    "fix these before the policy is enforced.\n");
	else
		pg_buf_adds(out, "pushguard: no ref was updated. Fix the problems above and push again;\n"
			    "pushguard: if a rule is wrong for this change, ask a repository admin.\n");
}

/* "  path:line  excerpt" for a one-line listing, each pushed field cut to
 * PG_RENDER_MAX_FIELD bytes. */
static void where(struct pg_buf *out, const struct pg_finding *x)
{
	if (x->path) {
		pg_buf_adds(out, "  ");
		safe_n(out, x->path, SIZE_MAX, PG_RENDER_MAX_FIELD);
		if (x->line)
			pg_buf_addf(out, ":%zu", x->line);
	} else if (x->ref) {
		pg_buf_adds(out, "  ");
		safe_n(out, x->ref, SIZE_MAX, PG_RENDER_MAX_FIELD);
	}
	if (x->commit[0] && !x->path)
		pg_buf_addf(out, " %.7s", x->commit);
	if (x->excerpt) {
		pg_buf_adds(out, "  ");
		safe_n(out, x->excerpt, SIZE_MAX, PG_RENDER_MAX_FIELD);
	}
}

void pg_render_minor(struct pg_buf *out, const struct pg_findings *f, enum pg_confidence block)
{
	size_t nwarn = pg_findings_count_warnings(f), nallowed = pg_findings_count_allowed(f), shown = 0;

	if (nwarn) {
		pg_buf_addf(out, "pushguard: %zu %s below pushguard.secrets.block = %s, not refused (check them):\n",
			    nwarn, plural(nwarn, "finding", "findings"), pg_confidence_name(block));
		for (size_t i = 0; i < f->n && shown < PG_RENDER_MAX_MINOR; i++) {
			const struct pg_finding *x = &f->v[i];

			if (x->allowed_by || !x->warning)
				continue;
			pg_buf_addf(out, "  ! %.16s  ", x->check);
			safe_n(out, x->rule, SIZE_MAX, 100);
			pg_buf_addf(out, "  %s", pg_confidence_name(x->confidence));
			where(out, x);
			if (x->fingerprint) {
				pg_buf_adds(out, "  fingerprint ");
				safe_n(out, x->fingerprint, SIZE_MAX, PG_RENDER_MAX_FIELD);
			}
			pg_buf_addch(out, '\n');
			shown++;
		}
		if (nwarn > shown)
			pg_buf_addf(out, "  ... and %zu more\n", nwarn - shown);
	}
	shown = 0;
	if (nallowed) {
		pg_buf_addf(out, "pushguard: %zu %s allowed and recorded:\n", nallowed,
			    plural(nallowed, "finding", "findings"));
		for (size_t i = 0; i < f->n && shown < PG_RENDER_MAX_MINOR; i++) {
			const struct pg_finding *x = &f->v[i];

			if (!x->allowed_by)
				continue;
			pg_buf_addf(out, "  \u2713 %.16s  ", x->check);
			safe_n(out, x->rule, SIZE_MAX, 100);
			where(out, x);
			pg_buf_adds(out, "  allowed by ");
			safe_n(out, x->allowed_by, SIZE_MAX, PG_RENDER_MAX_FIELD);
			pg_buf_addch(out, '\n');
			shown++;
		}
		if (nallowed > shown)
			pg_buf_addf(out, "  ... and %zu more\n", nallowed - shown);
	}
}

void pg_render_notes(struct pg_buf *out, const struct pg_findings *f)
{
	for (size_t i = 0; i < f->notes.n && i < PG_RENDER_MAX_NOTES; i++) {
		pg_buf_adds(out, "pushguard: ");
		safe_n(out, f->notes.v[i], SIZE_MAX, PG_RENDER_MAX_NOTE);
		pg_buf_addch(out, '\n');
	}
	if (f->notes.n > PG_RENDER_MAX_NOTES)
		pg_buf_addf(out, "pushguard: ... and %zu more notes\n", f->notes.n - PG_RENDER_MAX_NOTES);
}

void pg_render_error(struct pg_buf *out, const struct pg_error *err, bool accepted)
{
	const char *kind = err->code == PG_ECONFIG ? "invalid configuration" : "internal error";

	if (accepted) {
		pg_buf_addf(out, "pushguard: warning: push NOT checked (%s): ", kind);
		pg_render_safe(out, err->msg);
		pg_buf_adds(out, "\npushguard: accepted because pushguard.onError = accept\n");
		return;
	}
	pg_buf_addf(out, "pushguard: push refused: %s: ", kind);
	pg_render_safe(out, err->msg);
	pg_buf_addch(out, '\n');
	if (err->code == PG_ECONFIG)
		pg_buf_adds(out, "pushguard: ask a repository admin to fix it (`pushguard check` lists every problem).\n");
	else
		pg_buf_adds(out, "pushguard: no ref was updated; try again, and tell an admin if it persists.\n");
}

/* What pg_render_write() has written in this process. */
static size_t written;
static bool write_cut;

static const char cut_line[] = "pushguard: (the rest is not shown: pushguard writes at most 64 KiB per push)";

void pg_render_write_reset(void)
{
	written = 0;
	write_cut = false;
}

void pg_render_write(FILE *fp, const char *text, const char *prefix)
{
	size_t plen = prefix ? strlen(prefix) : 0;

	for (const char *p = text; *p && !write_cut;) {
		const char *eol = strchrnul(p, '\n');
		size_t n = plen + (size_t)(eol - p) + 1;

		/* room is always kept for the line that says the output was cut
		 * (sizeof counts its newline) */
		if (n > PG_RENDER_MAX_OUTPUT - sizeof(cut_line) - written) {
			fputs(cut_line, fp);
			fputc('\n', fp);
			written += sizeof(cut_line);
			write_cut = true;
			break;
		}
		if (prefix)
			fputs(prefix, fp);
		fwrite(p, 1, (size_t)(eol - p), fp);
		fputc('\n', fp);
		written += n;
		p = *eol ? eol + 1 : eol;
	}
	fflush(fp);
}
