#include "finding.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *dup_or_null(const char *s, int *failed)
{
	char *d;

	if (!s)
		return NULL;
	if (!(d = strdup(s)))
		*failed = 1;
	return d;
}

int pg_findings_add(struct pg_findings *f, const struct pg_finding_spec *spec,
		    const char *message, const char *fix, struct pg_error *err)
{
	struct pg_finding *x;
	int failed = 0;

	if (f->n == f->alloc) {
		size_t n = f->alloc ? f->alloc * 2 : 8;
		void *v = realloc(f->v, n * sizeof(*f->v));

		if (!v)
			return pg_error_set(err, PG_ERR, "out of memory");
		f->v = v;
		f->alloc = n;
	}
	x = &f->v[f->n];
	memset(x, 0, sizeof(*x));
	x->check = spec->check;
	x->rule = spec->rule;
	x->line = spec->line;
	if (spec->commit)
		snprintf(x->commit, sizeof(x->commit), "%s", spec->commit);
	x->ref = dup_or_null(spec->ref, &failed);
	x->subject = dup_or_null(spec->subject, &failed);
	x->path = dup_or_null(spec->path, &failed);
	x->excerpt = dup_or_null(spec->excerpt, &failed);
	x->fingerprint = dup_or_null(spec->fingerprint, &failed);
	x->message = dup_or_null(message, &failed);
	x->fix = dup_or_null(fix, &failed);
	f->n++;
	if (failed)
		return pg_error_set(err, PG_ERR, "out of memory");
	return 0;
}

void pg_findings_release(struct pg_findings *f)
{
	for (size_t i = 0; i < f->n; i++) {
		struct pg_finding *x = &f->v[i];

		free(x->ref);
		free(x->subject);
		free(x->path);
		free(x->message);
		free(x->fix);
		free(x->excerpt);
		free(x->fingerprint);
	}
	free(f->v);
	*f = (struct pg_findings)PG_FINDINGS_INIT;
}

size_t pg_findings_count_commits(const struct pg_findings *f)
{
	size_t n = 0;

	for (size_t i = 0; i < f->n; i++) {
		size_t j;

		if (!f->v[i].commit[0])
			continue;
		for (j = 0; j < i; j++)
			if (!strcmp(f->v[i].commit, f->v[j].commit))
				break;
		if (j == i)
			n++;
	}
	return n;
}
