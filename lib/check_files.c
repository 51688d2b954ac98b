#include "check.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "glob.h"
#include "render.h"

static void human_size(char *out, size_t n, int64_t bytes)
{
	static const char *const units[] = { "bytes", "KiB", "MiB", "GiB", "TiB" };
	double v = (double)bytes;
	size_t u = 0;

	while (v >= 1024 && u < 4) {
		v /= 1024;
		u++;
	}
	if (u == 0)
		snprintf(out, n, "%lld bytes", (long long)bytes);
	else
		snprintf(out, n, "%.1f %s", v, units[u]);
}

static int add(struct pg_check_ctx *ctx, const struct pg_commit *c, const struct pg_ref_update *u,
	       const struct pg_added_file *f, const char *rule, const char *msg, const char *fix,
	       struct pg_error *err)
{
	struct pg_finding_spec spec = { "files", rule, u->ref, c->hex, c->subject, f->path, 0, NULL, NULL };

	return pg_findings_add(ctx->findings, &spec, msg, fix, err);
}

static int check_file(struct pg_check_ctx *ctx, struct pg_globset *deny, const struct pg_commit *c,
		      const struct pg_ref_update *u, const struct pg_added_file *f,
		      struct pg_error *err)
{
	const struct pg_policy *p = ctx->policy;
	struct pg_buf msg = PG_BUF_INIT, fix = PG_BUF_INIT;
	char *path = NULL;
	long i = pg_globset_match(deny, f->path);
	int rc = 0;

	if (i < 0 && !(p->files_max_size > 0 && f->size > p->files_max_size) &&
	    !(p->files_max_path_length > 0 && (int64_t)strlen(f->path) > p->files_max_path_length))
		return 0;
	if (!(path = pg_render_safe_dup(f->path))) /* pushed text: no control characters */
		return pg_error_oom(err);
	if (i >= 0) {
		pg_buf_addf(&msg, "%s matches the denied file pattern '%s' (pushguard.files.deny)",
			    path, p->files_deny.v[i]);
		pg_buf_adds(&fix, "take the file out of the commit: git rm --cached ");
		pg_buf_add_shell_quoted(&fix, path);
		pg_buf_adds(&fix, " && git commit --amend\n"
			    "(older commits: git rebase -i COMMIT~, 'edit'); if it held a credential, revoke and rotate it");
		rc = pg_buf_failed(&msg) || pg_buf_failed(&fix) ? pg_error_oom(err)
			: add(ctx, c, u, f, "deny", msg.ptr, fix.ptr, err);
	}
	if (!rc && p->files_max_size > 0 && f->size > p->files_max_size) {
		char have[32], limit[32];

		human_size(have, sizeof(have), f->size);
		human_size(limit, sizeof(limit), p->files_max_size);
		pg_buf_reset(&msg);
		pg_buf_reset(&fix);
		pg_buf_addf(&msg, "%s is %s, over the %s limit (pushguard.files.maxSize)", path, have, limit);
		pg_buf_adds(&fix, "remove it from the commit: git rm --cached ");
		pg_buf_add_shell_quoted(&fix, path);
		pg_buf_adds(&fix, " && git commit --amend\n"
			    "(older commits: git rebase -i COMMIT~); keep large files in Git LFS or an artifact store");
		rc = pg_buf_failed(&msg) || pg_buf_failed(&fix) ? pg_error_oom(err)
			: add(ctx, c, u, f, "max-size", msg.ptr, fix.ptr, err);
	}
	if (!rc && p->files_max_path_length > 0 && (int64_t)strlen(f->path) > p->files_max_path_length) {
		pg_buf_reset(&msg);
		pg_buf_addf(&msg, "path is %zu bytes long, over the limit of %lld (pushguard.files.maxPathLength)",
			    strlen(f->path), (long long)p->files_max_path_length);
		rc = pg_buf_failed(&msg) ? pg_error_oom(err) :
		     add(ctx, c, u, f, "max-path-length", msg.ptr,
			 "rename it to a shorter path: git mv OLD NEW && git commit --amend", err);
	}
	pg_buf_release(&msg);
	pg_buf_release(&fix);
	free(path);
	return rc;
}

int pg_check_files(struct pg_check_ctx *ctx, struct pg_error *err)
{
	const struct pg_policy *p = ctx->policy;
	struct pg_globset deny;
	int rc = 0;

	if (!p->files_deny.n && !p->files_max_size && !p->files_max_path_length)
		return 0;
	/* denied names ignore case: ID_RSA is id_rsa on a developer's file system */
	if (pg_globset_init(&deny, (const char *const *)p->files_deny.v, p->files_deny.n, true) < 0)
		return pg_error_oom(err);
	for (size_t i = 0; i < ctx->walk->n && rc == 0; i++) {
		const struct pg_commit *c = &ctx->walk->commits[i];
		const struct pg_ref_update *u = pg_check_commit_ref(ctx, c, &p->files_scope);

		for (size_t j = 0; u && j < c->nfiles && rc == 0; j++)
			rc = check_file(ctx, &deny, c, u, &c->files[j], err);
	}
	pg_globset_release(&deny);
	return rc < 0 ? rc : 0;
}
