#include "render.h"

#include <stdlib.h>
#include <string.h>

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

void pg_render_safe(struct pg_buf *out, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	while (*p) {
		unsigned cp;
		size_t n = utf8_len(p, &cp);

		/* invalid bytes, C0 and C1 controls, DEL: a terminal could act on them */
		if (!n || cp < 0x20 || (cp >= 0x7f && cp <= 0x9f)) {
			pg_buf_addch(out, '?');
			p += n ? n : 1;
			continue;
		}
		pg_buf_add(out, p, n);
		p += n;
	}
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

/* Indents every line of a multi-line text after the first. */
static void add_indented(struct pg_buf *out, const char *text, const char *indent)
{
	for (const char *p = text; *p;) {
		const char *eol = strchrnul(p, '\n');
		char *line = strndup(p, (size_t)(eol - p));

		if (p != text)
			pg_buf_adds(out, indent);
		if (line)
			pg_render_safe(out, line);
		free(line);
		pg_buf_addch(out, '\n');
		p = *eol ? eol + 1 : eol;
	}
}

static void render_one(struct pg_buf *out, const struct pg_finding *x)
{
	pg_buf_addf(out, "\n\u2717 %s  %s", x->check, x->rule);
	if (x->confidence != PG_CONFIDENCE_HIGH)
		pg_buf_addf(out, "  (confidence %s)", pg_confidence_name(x->confidence));
	pg_buf_addch(out, '\n');
	if (x->ref) {
		pg_buf_adds(out, "    ");
		pg_render_safe(out, x->ref);
		if (x->commit[0]) {
			pg_buf_addf(out, "  %.7s \"", x->commit);
			pg_render_safe(out, x->subject ? x->subject : "");
			pg_buf_addch(out, '"');
		}
		pg_buf_addch(out, '\n');
	}
	if (x->path) {
		pg_buf_adds(out, "    ");
		pg_render_safe(out, x->path);
		if (x->line)
			pg_buf_addf(out, ":%zu", x->line);
		if (x->excerpt) {
			pg_buf_adds(out, "   ");
			pg_render_safe(out, x->excerpt);
		}
		if (x->fingerprint) {
			pg_buf_adds(out, "   fingerprint ");
			pg_render_safe(out, x->fingerprint);
		}
		pg_buf_addch(out, '\n');
	}
	pg_buf_adds(out, "    ");
	add_indented(out, x->message, "    ");
	if (x->fix) {
		pg_buf_adds(out, "    fix: ");
		add_indented(out, x->fix, "         ");
	}
}

void pg_render_findings(struct pg_buf *out, const struct pg_findings *f,
			const struct pg_render_opts *opts)
{
	size_t ncommits = pg_findings_count_commits(f);
	size_t nblocking = pg_findings_count_blocking(f), shown = 0;
	bool warn = opts->mode == PG_MODE_WARN;

	pg_buf_addf(out, "pushguard: push %s: %zu %s", warn ? "would be refused (warn mode)" : "refused",
		    nblocking, plural(nblocking, "problem", "problems"));
	if (ncommits)
		pg_buf_addf(out, " in %zu %s", ncommits, plural(ncommits, "commit", "commits"));
	pg_buf_adds(out, " (policy: ");
	pg_render_safe(out, opts->policy_name ? opts->policy_name : "default");
	pg_buf_adds(out, ")\n");
	for (size_t i = 0; i < f->n && shown < PG_RENDER_MAX_FINDINGS; i++) {
		if (!pg_finding_blocks(&f->v[i]))
			continue;
		render_one(out, &f->v[i]);
		shown++;
	}
	if (nblocking > shown)
		pg_buf_addf(out, "\n... and %zu more problems not shown\n", nblocking - shown);
	pg_buf_adds(out, "\n");
	pg_render_minor(out, f, opts->block);
	if (warn)
		pg_buf_adds(out, "pushguard: accepted anyway because pushguard.mode = warn; "
			    "fix these before the policy is enforced.\n");
	else
		pg_buf_adds(out, "pushguard: no ref was updated. Fix the problems above and push again;\n"
			    "pushguard: if a rule is wrong for this change, ask a repository admin.\n");
}

/* "  path:line  excerpt" for a one-line listing. */
static void where(struct pg_buf *out, const struct pg_finding *x)
{
	if (x->path) {
		pg_buf_adds(out, "  ");
		pg_render_safe(out, x->path);
		if (x->line)
			pg_buf_addf(out, ":%zu", x->line);
	} else if (x->ref) {
		pg_buf_adds(out, "  ");
		pg_render_safe(out, x->ref);
	}
	if (x->commit[0] && !x->path)
		pg_buf_addf(out, " %.7s", x->commit);
	if (x->excerpt) {
		pg_buf_adds(out, "  ");
		pg_render_safe(out, x->excerpt);
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
			pg_buf_addf(out, "  ! %s  %s  %s", x->check, x->rule, pg_confidence_name(x->confidence));
			where(out, x);
			if (x->fingerprint) {
				pg_buf_adds(out, "  fingerprint ");
				pg_render_safe(out, x->fingerprint);
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
			pg_buf_addf(out, "  \u2713 %s  %s", x->check, x->rule);
			where(out, x);
			pg_buf_adds(out, "  allowed by ");
			pg_render_safe(out, x->allowed_by);
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
		pg_render_safe(out, f->notes.v[i]);
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

void pg_render_write(FILE *fp, const char *text, const char *prefix)
{
	for (const char *p = text; *p;) {
		const char *eol = strchrnul(p, '\n');

		if (prefix)
			fputs(prefix, fp);
		fwrite(p, 1, (size_t)(eol - p), fp);
		fputc('\n', fp);
		p = *eol ? eol + 1 : eol;
	}
	fflush(fp);
}
