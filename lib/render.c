#include "render.h"

#include <stdlib.h>
#include <string.h>

void pg_render_safe(struct pg_buf *out, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	for (; *p; p++) {
		if (*p < 0x20 || *p == 0x7f) {
			pg_buf_addch(out, '?');
		} else if (*p == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f) {
			pg_buf_addch(out, '?'); /* UTF-8 encoded C1 control, e.g. U+009B CSI */
			p++;
		} else {
			pg_buf_addch(out, (char)*p);
		}
	}
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
	pg_buf_addf(out, "\n\u2717 %s  %s\n", x->check, x->rule);
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
	bool warn = opts->mode == PG_MODE_WARN;

	pg_buf_addf(out, "pushguard: push %s: %zu %s", warn ? "would be refused (warn mode)" : "refused",
		    f->n, plural(f->n, "problem", "problems"));
	if (ncommits)
		pg_buf_addf(out, " in %zu %s", ncommits, plural(ncommits, "commit", "commits"));
	pg_buf_adds(out, " (policy: ");
	pg_render_safe(out, opts->policy_name ? opts->policy_name : "default");
	pg_buf_adds(out, ")\n");
	for (size_t i = 0; i < f->n && i < PG_RENDER_MAX_FINDINGS; i++)
		render_one(out, &f->v[i]);
	if (f->n > PG_RENDER_MAX_FINDINGS)
		pg_buf_addf(out, "\n... and %zu more problems not shown\n", f->n - PG_RENDER_MAX_FINDINGS);
	pg_buf_adds(out, "\n");
	if (warn)
		pg_buf_adds(out, "pushguard: accepted anyway because pushguard.mode = warn; "
			    "fix these before the policy is enforced.\n");
	else
		pg_buf_adds(out, "pushguard: no ref was updated. Fix the problems above and push again;\n"
			    "pushguard: if a rule is wrong for this change, ask a repository admin.\n");
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
