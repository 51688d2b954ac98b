/* The check "objects": commits, trees and annotated tags that git accepted
 * although git fsck calls them broken (walk.h keeps them, object.h says what
 * is wrong). Such an object was not written by git itself, and libgit2, like
 * other tools, may not read it: each is a finding, never an internal error. */
#include "check.h"

#include <stdint.h>
#include <string.h>

#include "buf.h"
#include "oidmap.h"

#define COMMIT_FIX "it was not written by git itself (git hash-object --literally, a broken tool or an\n" \
		   "import); git fsck shows the problem. Recreate it with git: git commit --amend\n" \
		   "--reset-author (the last commit) or git rebase -i COMMIT~ (older ones), then push again"
#define TAG_FIX "it was not written by git itself; git fsck shows the problem. Re-create the tag\n" \
		"with git (git tag -f -a NAME TARGET) and push it again"

static int report(struct pg_check_ctx *ctx, struct pg_oidmap *seen, const struct pg_bad_object *b,
		  const char *ref, const struct pg_commit *c, struct pg_error *err)
{
	struct pg_finding_spec spec = { "objects", "malformed", ref, c ? c->hex : NULL, c ? c->subject : NULL,
					NULL, 0, NULL, NULL, NULL };
	struct pg_buf msg = PG_BUF_INIT;
	git_oid id;
	int rc;

	if (git_oid_fromstr(&id, b->hex) == 0) {
		if (pg_oidmap_get(seen, &id, NULL))
			return 0; /* one finding per object, however many commits hold it */
		if (pg_oidmap_put(seen, &id, 1) < 0)
			return pg_error_oom(err);
	}
	pg_buf_addf(&msg, "malformed %s %s", b->type, b->hex);
	if (b->path && b->path[0])
		pg_buf_addf(&msg, " (the directory %s)", b->path);
	else if (b->path)
		pg_buf_adds(&msg, " (the top directory)");
	pg_buf_addf(&msg, ": %s", b->what);
	rc = pg_findings_add(ctx->findings, &spec, msg.ptr, b->fix ? b->fix : c ? COMMIT_FIX : TAG_FIX, err);
	pg_buf_release(&msg);
	return rc;
}

int pg_check_objects(struct pg_check_ctx *ctx, struct pg_error *err)
{
	const struct pg_walk *w = ctx->walk;
	struct pg_oidmap seen = PG_OIDMAP_INIT;
	int rc = 0;

	for (size_t i = 0; i < w->nbad_tags && !rc; i++) {
		const struct pg_bad_object *b = &w->bad_tags[i];

		rc = report(ctx, &seen, b, b->ref < ctx->push->nupdates ? ctx->push->updates[b->ref].ref : NULL,
			    NULL, err);
	}
	for (size_t i = 0; i < w->n && !rc; i++) {
		const struct pg_commit *c = &w->commits[i];
		const char *ref = c->nrefs ? ctx->push->updates[c->refs[0]].ref : NULL;

		if (c->existing)
			continue; /* already on the server: never judged again */
		for (size_t j = 0; j < c->nbad && !rc; j++)
			rc = report(ctx, &seen, &c->bad[j], ref, c, err);
		if (!rc && c->nbad_dropped)
			rc = pg_findings_note(ctx->findings, err, "%zu more malformed objects in %.7s not shown",
					      c->nbad_dropped, c->hex);
	}
	pg_oidmap_release(&seen);
	return rc;
}
