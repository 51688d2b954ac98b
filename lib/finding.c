#include "finding.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "buf.h"
#include "mask.h"

/* Every string is copied with the secrets found in names and messages
 * masked (mask.h): a finding is shown, recorded and reported. */
static char *dup_or_null(const char *s, int *failed)
{
	char *d;

	if (!s)
		return NULL;
	if (!(d = pg_mask_active() ? pg_mask_dup(s) : strdup(s)))
		*failed = 1;
	return d;
}

/* The subject cut to PG_FINDING_MAX_SUBJECT characters: before the first
 * byte of the next character (one that does not continue a UTF-8 sequence);
 * text that is not UTF-8 is cut after 4 bytes a character at the latest. */
static char *dup_subject(const char *s, int *failed)
{
	static const char more[] = "\u2026";
	size_t i, chars = 0;
	char *d, *masked = NULL;

	if (!s)
		return NULL;
	/* masked before it is cut: a cut could leave a secret's start whole */
	if (pg_mask_active()) {
		if (!(masked = pg_mask_dup(s))) {
			*failed = 1;
			return NULL;
		}
		s = masked;
	}
	for (i = 0; s[i]; i++) {
		if (((unsigned char)s[i] & 0xc0) != 0x80 && chars++ == PG_FINDING_MAX_SUBJECT)
			break;
		if (i == 4 * PG_FINDING_MAX_SUBJECT)
			break;
	}
	if (!s[i]) {
		if (masked)
			return masked;
		return dup_or_null(s, failed);
	}
	if (!(d = malloc(i + sizeof(more)))) {
		*failed = 1;
		free(masked);
		return NULL;
	}
	memcpy(d, s, i);
	memcpy(d + i, more, sizeof(more));
	free(masked);
	return d;
}

int pg_findings_add(struct pg_findings *f, const struct pg_finding_spec *spec,
		    const char *message, const char *fix, struct pg_error *err)
{
	struct pg_finding *x;
	int failed = 0;

	if (PG_GROW(f->v, f->n + 1, f->alloc) < 0)
		return pg_error_oom(err);
	x = &f->v[f->n];
	memset(x, 0, sizeof(*x));
	x->check = spec->check;
	x->rule = dup_or_null(spec->rule ? spec->rule : "", &failed);
	x->line = spec->line;
	if (spec->commit)
		snprintf(x->commit, sizeof(x->commit), "%s", spec->commit);
	x->ref = dup_or_null(spec->ref, &failed);
	x->subject = dup_subject(spec->subject, &failed);
	x->path = dup_or_null(spec->path, &failed);
	x->excerpt = dup_or_null(spec->excerpt, &failed);
	x->fingerprint = dup_or_null(spec->fingerprint, &failed);
	x->allowed_by = dup_or_null(spec->allowed_by, &failed);
	x->message = dup_or_null(message, &failed);
	x->fix = dup_or_null(fix, &failed);
	x->confidence = spec->confidence ? spec->confidence : PG_CONFIDENCE_HIGH;
	x->warning = spec->warning && !spec->allowed_by;
	f->n++;
	if (failed)
		return pg_error_oom(err);
	return 0;
}

void pg_findings_release(struct pg_findings *f)
{
	for (size_t i = 0; i < f->n; i++) {
		struct pg_finding *x = &f->v[i];

		free(x->rule);
		free(x->ref);
		free(x->subject);
		free(x->path);
		free(x->message);
		free(x->fix);
		free(x->excerpt);
		free(x->fingerprint);
		free(x->allowed_by);
	}
	free(f->v);
	pg_strvec_release(&f->notes);
	*f = (struct pg_findings)PG_FINDINGS_INIT;
}

int pg_findings_note(struct pg_findings *f, struct pg_error *err, const char *fmt, ...)
{
	struct pg_buf b = PG_BUF_INIT;
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = pg_buf_vaddf(&b, fmt, ap);
	va_end(ap);
	if (rc == 0 && pg_mask_active()) {
		char *masked = pg_mask_dup(b.ptr);

		rc = masked ? pg_strvec_push(&f->notes, masked) : -1;
		free(masked);
	} else if (rc == 0) {
		rc = pg_strvec_push(&f->notes, b.ptr);
	}
	pg_buf_release(&b);
	return rc < 0 ? pg_error_oom(err) : 0;
}

static int by_string(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Sorted, not compared pairwise: a push can bring a hundred thousand findings. */
size_t pg_findings_count_commits(const struct pg_findings *f)
{
	const char **ids = malloc((f->n ? f->n : 1) * sizeof(*ids)), *prev = NULL;
	size_t n = 0, k = 0;

	for (size_t i = 0; i < f->n; i++) {
		if (!f->v[i].commit[0] || !pg_finding_blocks(&f->v[i]))
			continue;
		if (!ids) { /* out of memory: changes between neighbours, an upper bound */
			n += !prev || strcmp(prev, f->v[i].commit);
			prev = f->v[i].commit;
			continue;
		}
		ids[k++] = f->v[i].commit;
	}
	if (!ids)
		return n;
	qsort(ids, k, sizeof(*ids), by_string);
	for (size_t i = 0; i < k; i++)
		n += !i || strcmp(ids[i - 1], ids[i]);
	free(ids);
	return n;
}

bool pg_finding_blocks(const struct pg_finding *x)
{
	return !x->allowed_by && !x->warning;
}

size_t pg_findings_count_blocking(const struct pg_findings *f)
{
	size_t n = 0;

	for (size_t i = 0; i < f->n; i++)
		n += pg_finding_blocks(&f->v[i]);
	return n;
}

size_t pg_findings_count_warnings(const struct pg_findings *f)
{
	size_t n = 0;

	for (size_t i = 0; i < f->n; i++)
		n += !f->v[i].allowed_by && f->v[i].warning;
	return n;
}

size_t pg_findings_count_allowed(const struct pg_findings *f)
{
	size_t n = 0;

	for (size_t i = 0; i < f->n; i++)
		n += f->v[i].allowed_by != NULL;
	return n;
}
