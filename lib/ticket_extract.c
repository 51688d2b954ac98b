#include "ticket_extract.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

int pg_ticket_extractor_init(struct pg_ticket_extractor *x, const char *pattern,
			     const char *what, const struct pg_strvec *projects,
			     bool subject_only, struct pg_error *err)
{
	int rc;

	if ((rc = pg_regex_compile(&x->re, pattern, what, err)) < 0)
		return rc;
	x->ticket_group = pg_regex_group(x->re, "ticket");
	x->project_group = pg_regex_group(x->re, "project");
	x->subject_only = subject_only;
	if (projects && pg_strvec_copy(&x->projects, projects) < 0)
		return pg_error_oom(err);
	return 0;
}

void pg_ticket_extractor_release(struct pg_ticket_extractor *x)
{
	pg_regex_free(x->re);
	pg_strvec_release(&x->projects);
	*x = (struct pg_ticket_extractor)PG_TICKET_EXTRACTOR_INIT;
}

bool pg_ticket_project_allowed(const struct pg_ticket_extractor *x, const char *id,
			       const char *project)
{
	const char *dash;
	size_t n;

	if (!x->projects.n)
		return true;
	if (project) {
		n = strlen(project);
	} else if ((dash = strrchr(id, '-')) && dash != id) {
		project = id;
		n = (size_t)(dash - id);
	} else {
		return true; /* no project part: #123, CHG0012345 */
	}
	for (size_t i = 0; i < x->projects.n; i++)
		if (strlen(x->projects.v[i]) == n && !strncasecmp(x->projects.v[i], project, n))
			return true;
	return false;
}

static bool contains(const struct pg_strvec *sv, const char *s)
{
	for (size_t i = 0; i < sv->n; i++)
		if (!strcmp(sv->v[i], s))
			return true;
	return false;
}

static bool span_set(const struct pg_regex_span *s)
{
	return s->start != PG_REGEX_UNSET && s->end >= s->start;
}

int pg_ticket_extract(struct pg_strvec *out, const struct pg_ticket_extractor *x,
		      const char *text, struct pg_error *err)
{
	struct pg_regex_span sp[16];
	size_t len = strlen(text), off = 0, nsp = sizeof(sp) / sizeof(*sp);
	int added = 0, rc = 0;

	while (added < PG_TICKET_MAX_PER_MESSAGE &&
	       (rc = pg_regex_find(x->re, text, len, off, sp, nsp, err)) == 1) {
		const struct pg_regex_span *t = &sp[0], *p = NULL;
		char *id = NULL, *project = NULL;
		bool keep;

		if (x->ticket_group > 0 && (size_t)x->ticket_group < nsp && span_set(&sp[x->ticket_group]))
			t = &sp[x->ticket_group];
		if (x->project_group > 0 && (size_t)x->project_group < nsp && span_set(&sp[x->project_group]))
			p = &sp[x->project_group];
		/* step on; past an empty match by one character */
		if (sp[0].end > off) {
			off = sp[0].end;
		} else {
			off++;
			while (off < len && ((unsigned char)text[off] & 0xc0) == 0x80)
				off++; /* never inside a UTF-8 character */
		}
		if (!span_set(t) || t->end == t->start)
			continue;
		id = strndup(text + t->start, t->end - t->start);
		project = p ? strndup(text + p->start, p->end - p->start) : NULL;
		if (!id || (p && !project)) {
			free(id);
			free(project);
			return pg_error_oom(err);
		}
		keep = pg_ticket_project_allowed(x, id, project) && !contains(out, id);
		if (keep && pg_strvec_push(out, id) < 0)
			rc = pg_error_oom(err);
		free(id);
		free(project);
		if (rc < 0)
			return rc;
		if (keep)
			added++;
	}
	return rc < 0 ? rc : added;
}

int pg_ticket_extract_commit(struct pg_strvec *out, const struct pg_ticket_extractor *x,
			     const char *message, const char *subject, struct pg_error *err)
{
	return pg_ticket_extract(out, x, x->subject_only ? subject : message, err);
}
