#include "walk.h"

#include "budget.h"
#include "buf.h"
#include "reencode.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int pg_walk_peel_commit(git_oid *out, git_repository *repo, const char *hex,
			struct pg_error *err)
{
	git_object *obj = NULL, *peeled = NULL;
	git_oid oid;
	int ret = PG_ERR;

	if (git_oid_fromstr(&oid, hex) < 0)
		return pg_error_git(err, "invalid object id %s", hex);
	if (git_object_lookup(&obj, repo, &oid, GIT_OBJECT_ANY) < 0) {
		ret = pg_error_git(err, "object %s is missing from the repository", hex);
		goto out;
	}
	if (git_object_peel(&peeled, obj, GIT_OBJECT_COMMIT) < 0) {
		git_error_clear();
		ret = 1;
		goto out;
	}
	git_oid_cpy(out, git_object_id(peeled));
	ret = 0;
out:
	git_object_free(peeled);
	git_object_free(obj);
	return ret;
}

static char *dup_sig_field(const char *s, const char *encoding)
{
	return pg_reencode_utf8(s ? s : "", encoding);
}

static int add_ref(struct pg_commit *c, size_t ref)
{
	size_t *r;

	for (size_t i = 0; i < c->nrefs; i++)
		if (c->refs[i] == ref)
			return 0;
	if (!(r = realloc(c->refs, (c->nrefs + 1) * sizeof(*r))))
		return -1;
	c->refs = r;
	c->refs[c->nrefs++] = ref;
	return 0;
}

static int add_commit(struct pg_walk *w, git_commit *commit, struct pg_error *err)
{
	struct pg_commit *c;
	const git_signature *a = git_commit_author(commit), *m = git_commit_committer(commit);
	const char *summary = git_commit_summary(commit), *msg = git_commit_message(commit);
	const char *enc = git_commit_message_encoding(commit);

	if (w->n == w->alloc) {
		size_t n = w->alloc ? w->alloc * 2 : 64;
		void *v = realloc(w->commits, n * sizeof(*w->commits));

		if (!v)
			return pg_error_set(err, PG_ERR, "out of memory");
		w->commits = v;
		w->alloc = n;
	}
	c = &w->commits[w->n];
	memset(c, 0, sizeof(*c));
	git_oid_cpy(&c->oid, git_commit_id(commit));
	git_oid_tostr(c->hex, sizeof(c->hex), &c->oid);
	c->subject = pg_reencode_utf8(summary ? summary : "", enc);
	c->message = pg_reencode_utf8(msg ? msg : "", enc);
	c->author_name = dup_sig_field(a ? a->name : NULL, enc);
	c->author_email = dup_sig_field(a ? a->email : NULL, enc);
	c->committer_name = dup_sig_field(m ? m->name : NULL, enc);
	c->committer_email = dup_sig_field(m ? m->email : NULL, enc);
	c->time = (int64_t)git_commit_time(commit);
	c->nparents = git_commit_parentcount(commit);
	w->n++; /* counted now so that release frees what was allocated */
	if (c->nparents && (c->parent_ids = malloc(c->nparents * sizeof(*c->parent_ids))))
		for (unsigned i = 0; i < c->nparents; i++)
			git_oid_cpy(&c->parent_ids[i], git_commit_parent_id(commit, i));
	if (!c->subject || !c->message || !c->author_name || !c->author_email ||
	    !c->committer_name || !c->committer_email || (c->nparents && !c->parent_ids) ||
	    pg_oidmap_put(&w->index, &c->oid, w->n - 1) < 0)
		return pg_error_set(err, PG_ERR, "out of memory");
	return 0;
}

/* Takes every commit the walk yields into w. */
static int collect(struct pg_walk *w, git_repository *repo, git_revwalk *rw, struct pg_error *err)
{
	git_oid oid;
	int rc;

	while ((rc = git_revwalk_next(&oid, rw)) == 0) {
		git_commit *commit;

		if (pg_budget_expired(w->deadline_ms))
			return pg_budget_error(err, "listing the new commits");

		if (git_commit_lookup(&commit, repo, &oid) < 0) {
			char hex[GIT_OID_HEXSZ + 1];

			return pg_error_git(err, "cannot read commit %s", git_oid_tostr(hex, sizeof(hex), &oid));
		}
		rc = add_commit(w, commit, err);
		git_commit_free(commit);
		if (rc < 0)
			return rc;
	}
	if (rc != GIT_ITEROVER)
		return pg_error_git(err, "cannot walk the commits");
	return 0;
}

/* Hides w->hide from rw: each id peeled to its commit; ids of trees and
 * blobs (tags of them) hide nothing. */
static int hide_saved(git_revwalk *rw, const struct pg_walk *w, git_repository *repo, struct pg_error *err)
{
	for (size_t i = 0; i < w->nhide; i++) {
		git_object *obj = NULL, *peeled = NULL;
		char hex[GIT_OID_HEXSZ + 1];
		int rc = 0;

		if (git_object_lookup(&obj, repo, &w->hide[i], GIT_OBJECT_ANY) < 0)
			rc = pg_error_git(err, "cannot read %s, a ref tip before the push",
					  git_oid_tostr(hex, sizeof(hex), &w->hide[i]));
		else if (git_object_peel(&peeled, obj, GIT_OBJECT_COMMIT) < 0)
			git_error_clear();
		else if (git_revwalk_hide(rw, git_object_id(peeled)) < 0)
			rc = pg_error_git(err, "cannot hide %s from the walk",
					  git_oid_tostr(hex, sizeof(hex), &w->hide[i]));
		git_object_free(peeled);
		git_object_free(obj);
		if (rc < 0)
			return rc;
	}
	return 0;
}

/* Every commit reachable from the tips and from no existing ref, in one walk
 * (a walk per ref would cost refs x history). */
static int walk_new(struct pg_walk *w, git_repository *repo, const git_oid *tips, size_t ntips,
		    struct pg_error *err)
{
	git_revwalk *rw = NULL;
	int ret = PG_ERR;

	if (git_revwalk_new(&rw, repo) < 0 ||
	    git_revwalk_sorting(rw, GIT_SORT_TOPOLOGICAL | GIT_SORT_REVERSE) < 0) {
		ret = pg_error_git(err, "cannot walk the new commits");
		goto out;
	}
	for (size_t i = 0; i < ntips; i++)
		if (git_revwalk_push(rw, &tips[i]) < 0) {
			ret = pg_error_git(err, "cannot walk the new commits");
			goto out;
		}
	if (w->hide) {
		if ((ret = hide_saved(rw, w, repo, err)) < 0)
			goto out;
	} else if (git_revwalk_hide_glob(rw, "refs/*") < 0) {
		ret = pg_error_git(err, "cannot read the existing refs");
		goto out;
	}
	ret = collect(w, repo, rw, err);
out:
	git_revwalk_free(rw);
	return ret;
}

/* Records ref on every new commit reachable from tip: a depth-first walk that
 * never leaves the new commits. seen[] holds the last ref that visited. */
static int attribute(struct pg_walk *w, const git_oid *tip, size_t ref, size_t *seen,
		     struct pg_error *err)
{
	size_t *stack = NULL, n = 0, alloc = 0, pos;
	int ret = PG_ERR;

	if (!pg_oidmap_get(&w->index, tip, &pos))
		return 0;
	if (!(stack = malloc((alloc = 64) * sizeof(*stack))))
		return pg_error_set(err, PG_ERR, "out of memory");
	stack[n++] = pos;
	seen[pos] = ref + 1;
	while (n) {
		struct pg_commit *c = &w->commits[stack[--n]];

		if (add_ref(c, ref) < 0)
			goto oom;
		for (size_t i = 0; i < c->nparents; i++) {
			if (!pg_oidmap_get(&w->index, &c->parent_ids[i], &pos) || seen[pos] == ref + 1)
				continue;
			seen[pos] = ref + 1;
			if (n == alloc) {
				size_t *s = realloc(stack, (alloc *= 2) * sizeof(*s));

				if (!s)
					goto oom;
				stack = s;
			}
			stack[n++] = pos;
		}
	}
	ret = 0;
	goto out;
oom:
	ret = pg_error_set(err, PG_ERR, "out of memory");
out:
	free(stack);
	return ret;
}

struct file_list {
	struct pg_added_file *v;
	size_t n, alloc;
};

static int push_file(struct file_list *l, const char *path, const git_oid *oid, uint32_t mode)
{
	if (l->n == l->alloc) {
		size_t n = l->alloc ? l->alloc * 2 : 16;
		void *v = realloc(l->v, n * sizeof(*l->v));

		if (!v)
			return -1;
		l->v = v;
		l->alloc = n;
	}
	l->v[l->n].path = strdup(path);
	if (!l->v[l->n].path)
		return -1;
	git_oid_cpy(&l->v[l->n].oid, oid);
	l->v[l->n].mode = mode;
	l->v[l->n].size = -1;
	l->n++;
	return 0;
}

/* True when some other parent already has exactly this blob at this path. */
static bool from_other_parent(git_tree **trees, size_t ntrees, const struct pg_added_file *f)
{
	for (size_t i = 1; i < ntrees; i++) {
		git_tree_entry *e = NULL;
		bool same = false;

		if (git_tree_entry_bypath(&e, trees[i], f->path) == 0) {
			same = !git_oid_cmp(git_tree_entry_id(e), &f->oid) &&
			       (uint32_t)git_tree_entry_filemode(e) == f->mode;
			git_tree_entry_free(e);
		} else {
			git_error_clear();
		}
		if (same)
			return true;
	}
	return false;
}

/* What `new` has that `old` (NULL: an empty tree) has not at the same path,
 * with the same mode: blobs, symlinks and gitlinks, in tree order. Descends
 * only into subtrees whose id differs, so an unchanged directory costs one
 * comparison. (libgit2's tree diff does the same job with iterators and a
 * config snapshot per call: five times slower over a history.) */
static int tree_changes(struct file_list *files, git_repository *repo, const git_tree *old,
			const git_tree *new, struct pg_buf *path, const char *commit, struct pg_error *err)
{
	size_t base = path->len;

	for (size_t i = 0, n = git_tree_entrycount(new); i < n; i++) {
		const git_tree_entry *e = git_tree_entry_byindex(new, i);
		const git_tree_entry *o = old ? git_tree_entry_byname(old, git_tree_entry_name(e)) : NULL;
		int rc = 0;

		if (o && !git_oid_cmp(git_tree_entry_id(o), git_tree_entry_id(e)) &&
		    git_tree_entry_filemode(o) == git_tree_entry_filemode(e))
			continue;
		if (pg_buf_adds(path, git_tree_entry_name(e)) < 0)
			return pg_error_set(err, PG_ERR, "out of memory");
		if (git_tree_entry_type(e) == GIT_OBJECT_TREE) {
			git_tree *sub = NULL, *osub = NULL;

			if (git_tree_lookup(&sub, repo, git_tree_entry_id(e)) < 0 ||
			    (o && git_tree_entry_type(o) == GIT_OBJECT_TREE &&
			     git_tree_lookup(&osub, repo, git_tree_entry_id(o)) < 0))
				rc = pg_error_git(err, "cannot read tree %s of commit %s", path->ptr, commit);
			else if (pg_buf_addch(path, '/') < 0)
				rc = pg_error_set(err, PG_ERR, "out of memory");
			else
				rc = tree_changes(files, repo, osub, sub, path, commit, err);
			git_tree_free(osub);
			git_tree_free(sub);
		} else if (push_file(files, path->ptr, git_tree_entry_id(e),
				     (uint32_t)git_tree_entry_filemode(e)) < 0) {
			rc = pg_error_set(err, PG_ERR, "out of memory");
		}
		path->len = base;
		path->ptr[base] = '\0';
		if (rc < 0)
			return rc;
	}
	return 0;
}

static int list_files(struct pg_commit *c, git_repository *repo, git_odb *odb, struct pg_error *err)
{
	git_commit *commit = NULL;
	git_tree *tree = NULL, **ptrees = NULL;
	struct file_list files = { NULL, 0, 0 };
	struct pg_buf path = PG_BUF_INIT;
	size_t np = 0;
	int ret = PG_ERR;

	if (git_commit_lookup(&commit, repo, &c->oid) < 0 || git_commit_tree(&tree, commit) < 0) {
		ret = pg_error_git(err, "cannot read the tree of commit %s", c->hex);
		goto out;
	}
	np = git_commit_parentcount(commit);
	if (np && !(ptrees = calloc(np, sizeof(*ptrees)))) {
		ret = pg_error_set(err, PG_ERR, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < np; i++) {
		git_commit *parent = NULL;
		int rc = git_commit_parent(&parent, commit, (unsigned)i);

		if (rc == 0)
			rc = git_commit_tree(&ptrees[i], parent);
		git_commit_free(parent);
		if (rc < 0) {
			ret = pg_error_git(err, "cannot read parent %zu of commit %s", i + 1, c->hex);
			goto out;
		}
	}
	if ((ret = tree_changes(&files, repo, np ? ptrees[0] : NULL, tree, &path, c->hex, err)) < 0)
		goto out;
	for (size_t i = 0; i < files.n; i++) {
		struct pg_added_file *f = &files.v[i];
		size_t size;
		git_object_t type;

		if (np > 1 && from_other_parent(ptrees, np, f)) {
			free(f->path);
			files.v[i--] = files.v[--files.n];
			continue;
		}
		if (f->mode == GIT_FILEMODE_COMMIT)
			continue;
		if (git_odb_read_header(&size, &type, odb, &f->oid) < 0) {
			char hex[GIT_OID_HEXSZ + 1];

			ret = pg_error_git(err, "cannot read blob %s (%s in commit %s)",
					   git_oid_tostr(hex, sizeof(hex), &f->oid), f->path, c->hex);
			goto out;
		}
		f->size = (int64_t)size;
	}
	c->files = files.v;
	c->nfiles = files.n;
	files.v = NULL;
	files.n = 0;
	ret = 0;
out:
	for (size_t i = 0; i < files.n; i++)
		free(files.v[i].path);
	free(files.v);
	pg_buf_release(&path);
	for (size_t i = 0; ptrees && i < np; i++)
		git_tree_free(ptrees[i]);
	free(ptrees);
	git_tree_free(tree);
	git_commit_free(commit);
	return ret;
}

/* Tags of trees and blobs carry content but no commit: a synthetic entry
 * lists their blobs, so the file and secret checks see them too. */
struct tagged {
	struct file_list files;
	git_odb *odb;
	git_odb *before; /* the objects the server had before this push, or NULL */
	const char *root;
	struct pg_error *err;
	int failed;
};

static int add_tagged_blob(struct tagged *t, const char *path, const git_oid *oid, uint32_t mode)
{
	size_t size;
	git_object_t type;

	if (t->before && git_odb_exists(t->before, oid))
		return 0; /* already on the server: never judged again */
	if (push_file(&t->files, path, oid, mode) < 0) {
		t->failed = pg_error_set(t->err, PG_ERR, "out of memory");
		return -1;
	}
	if (mode != GIT_FILEMODE_COMMIT) {
		if (git_odb_read_header(&size, &type, t->odb, oid) < 0) {
			t->failed = pg_error_git(t->err, "cannot read a blob tagged by %s", t->root);
			return -1;
		}
		t->files.v[t->files.n - 1].size = (int64_t)size;
	}
	return 0;
}

static int tree_entry_cb(const char *root, const git_tree_entry *e, void *payload)
{
	struct tagged *t = payload;
	char *path;
	int rc;

	if (git_tree_entry_type(e) == GIT_OBJECT_TREE)
		return t->before && git_odb_exists(t->before, git_tree_entry_id(e)) ? 1 : 0;
	if (asprintf(&path, "%s%s", root, git_tree_entry_name(e)) < 0) {
		t->failed = pg_error_set(t->err, PG_ERR, "out of memory");
		return -1;
	}
	rc = add_tagged_blob(t, path, git_tree_entry_id(e), (uint32_t)git_tree_entry_filemode(e));
	free(path);
	return rc;
}

static int add_tagged(struct pg_walk *w, git_repository *repo, git_odb *odb, git_odb *before,
		      const struct pg_ref_update *u, size_t ref, struct pg_error *err)
{
	struct tagged t = { { NULL, 0, 0 }, odb, before, u->ref, err, 0 };
	git_object *obj = NULL, *peeled = NULL;
	struct pg_commit *c;
	git_oid oid;
	int ret = PG_ERR;

	if (git_oid_fromstr(&oid, u->new) < 0 || git_object_lookup(&obj, repo, &oid, GIT_OBJECT_ANY) < 0 ||
	    git_object_dup(&peeled, obj) < 0) {
		ret = pg_error_git(err, "cannot read what %s points to", u->ref);
		goto out;
	}
	while (git_object_type(peeled) == GIT_OBJECT_TAG) {
		git_object *next = NULL;

		if (git_tag_target(&next, (git_tag *)peeled) < 0) {
			ret = pg_error_git(err, "cannot read what %s points to", u->ref);
			goto out;
		}
		git_object_free(peeled);
		peeled = next;
	}
	if (git_object_type(peeled) == GIT_OBJECT_TREE) {
		if (!(before && git_odb_exists(before, git_object_id(peeled))) &&
		    git_tree_walk((git_tree *)peeled, GIT_TREEWALK_PRE, tree_entry_cb, &t) < 0) {
			ret = t.failed ? t.failed : pg_error_git(err, "cannot read the tree tagged by %s", u->ref);
			goto out;
		}
	} else if (git_object_type(peeled) == GIT_OBJECT_BLOB) {
		if (add_tagged_blob(&t, u->short_name, git_object_id(peeled), GIT_FILEMODE_BLOB) < 0) {
			ret = t.failed;
			goto out;
		}
	}
	if (!t.files.n) {
		ret = 0;
		goto out;
	}
	if (w->n == w->alloc) {
		size_t n = w->alloc ? w->alloc * 2 : 64;
		void *v = realloc(w->commits, n * sizeof(*w->commits));

		if (!v) {
			ret = pg_error_set(err, PG_ERR, "out of memory");
			goto out;
		}
		w->commits = v;
		w->alloc = n;
	}
	c = &w->commits[w->n++];
	memset(c, 0, sizeof(*c));
	c->synthetic = true;
	git_oid_cpy(&c->oid, git_object_id(peeled));
	git_oid_tostr(c->hex, sizeof(c->hex), &c->oid);
	c->files = t.files.v;
	c->nfiles = t.files.n;
	t.files.v = NULL;
	t.files.n = 0;
	if (asprintf(&c->subject, "%s of a %s", u->ref, git_object_type2string(git_object_type(peeled))) < 0)
		c->subject = NULL;
	c->message = strdup("");
	c->author_name = strdup("");
	c->author_email = strdup("");
	c->committer_name = strdup("");
	c->committer_email = strdup("");
	if (!c->subject || !c->message || !c->author_name || !c->author_email || !c->committer_name ||
	    !c->committer_email || add_ref(c, ref) < 0) {
		ret = pg_error_set(err, PG_ERR, "out of memory");
		goto out;
	}
	ret = 0;
out:
	for (size_t i = 0; i < t.files.n; i++)
		free(t.files.v[i].path);
	free(t.files.v);
	git_object_free(peeled);
	git_object_free(obj);
	return ret;
}

/* The object database as it was before the push: during pre-receive the
 * pushed objects sit in a quarantine directory of their own. */
static git_odb *odb_before_push(git_repository *repo)
{
	git_odb *odb = NULL;
	char *path;

	if (!getenv("GIT_QUARANTINE_PATH"))
		return NULL;
	if (asprintf(&path, "%s/objects", git_repository_commondir(repo)) < 0)
		return NULL;
	if (git_odb_open(&odb, path) < 0) {
		git_error_clear();
		odb = NULL;
	}
	free(path);
	return odb;
}

int pg_walk_run(struct pg_walk *w, git_repository *repo, const struct pg_push *push,
		bool with_files, struct pg_error *err)
{
	git_oid *tips = calloc(push->nupdates ? push->nupdates : 1, sizeof(*tips));
	bool *is_commit = calloc(push->nupdates ? push->nupdates : 1, sizeof(*is_commit));
	size_t ntips = 0, *seen = NULL;
	git_odb *odb = NULL, *before = NULL;
	int ret = PG_ERR, rc;

	if (!tips || !is_commit) {
		ret = pg_error_set(err, PG_ERR, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < push->nupdates; i++) {
		if (push->updates[i].deleted)
			continue;
		if ((rc = pg_walk_peel_commit(&tips[ntips], repo, push->updates[i].new, err)) < 0) {
			ret = rc;
			goto out;
		}
		if (rc == 0) {
			is_commit[i] = true;
			ntips++;
		}
	}
	if (ntips && (ret = walk_new(w, repo, tips, ntips, err)) < 0)
		goto out;
	if (w->n && !(seen = calloc(w->n, sizeof(*seen)))) {
		ret = pg_error_set(err, PG_ERR, "out of memory");
		goto out;
	}
	for (size_t i = 0, t = 0; i < push->nupdates; i++)
		if (is_commit[i] && (ret = attribute(w, &tips[t++], i, seen, err)) < 0)
			goto out;
	if (!with_files) {
		ret = 0;
		goto out;
	}
	if (git_repository_odb(&odb, repo) < 0) {
		ret = pg_error_git(err, "cannot open the object database");
		goto out;
	}
	for (size_t i = 0; i < w->n; i++) {
		if (pg_budget_expired(w->deadline_ms)) {
			ret = pg_budget_error(err, "listing the files the commits add");
			goto out;
		}
		if ((ret = list_files(&w->commits[i], repo, odb, err)) < 0)
			goto out;
	}
	for (size_t i = 0; i < push->nupdates; i++) {
		if (push->updates[i].deleted || is_commit[i])
			continue;
		if (!before)
			before = odb_before_push(repo); /* only pushes of tagged trees and blobs need it */
		if ((ret = add_tagged(w, repo, odb, before, &push->updates[i], i, err)) < 0)
			goto out;
	}
	ret = 0;
out:
	git_odb_free(before);
	git_odb_free(odb);
	free(seen);
	free(is_commit);
	free(tips);
	return ret;
}

/* Listing each commit's added files is independent work: history has
 * thousands of commits, so every core takes some, each with its own
 * repository handle (libgit2 objects are not shared between threads). */
struct lister {
	struct pg_walk *w;
	const char *path;
	size_t next;  /* atomic */
	int failed;   /* atomic */
	struct pg_error err;
	pthread_mutex_t lock;
};

static void *list_worker(void *arg)
{
	struct lister *l = arg;
	struct pg_error err = PG_ERROR_INIT;
	git_repository *repo = NULL;
	git_odb *odb = NULL;
	size_t i;

	if (git_repository_open_ext(&repo, l->path, GIT_REPOSITORY_OPEN_NO_SEARCH, NULL) < 0 ||
	    git_repository_odb(&odb, repo) < 0) {
		pg_error_git(&err, "cannot open %s", l->path);
		goto fail;
	}
	while (!__atomic_load_n(&l->failed, __ATOMIC_RELAXED) &&
	       (i = __atomic_fetch_add(&l->next, 1, __ATOMIC_RELAXED)) < l->w->n)
		if (list_files(&l->w->commits[i], repo, odb, &err) < 0)
			goto fail;
	git_odb_free(odb);
	git_repository_free(repo);
	return NULL;
fail:
	pthread_mutex_lock(&l->lock);
	if (!l->failed) {
		l->err = err;
		__atomic_store_n(&l->failed, 1, __ATOMIC_RELAXED);
	}
	pthread_mutex_unlock(&l->lock);
	git_odb_free(odb);
	git_repository_free(repo);
	return NULL;
}

static int list_files_parallel(struct pg_walk *w, git_repository *repo, struct pg_error *err)
{
	struct lister l = { w, git_repository_path(repo), 0, 0, PG_ERROR_INIT, PTHREAD_MUTEX_INITIALIZER };
	long cores = sysconf(_SC_NPROCESSORS_ONLN);
	pthread_t th[8];
	size_t n = cores < 1 ? 1 : cores > 8 ? 8 : (size_t)cores, started = 0;

	if (w->n < 64)
		n = 1;
	for (; n > 1 && started < n; started++)
		if (pthread_create(&th[started], NULL, list_worker, &l) != 0)
			break;
	if (!started)
		list_worker(&l);
	for (size_t i = 0; i < started; i++)
		pthread_join(th[i], NULL);
	if (l.failed) {
		*err = l.err;
		return err->code ? err->code : PG_ERR;
	}
	return 0;
}

int pg_walk_history(struct pg_walk *w, git_repository *repo, const char *range,
		    struct pg_error *err)
{
	git_revwalk *rw = NULL;
	int ret = PG_ERR, rc;

	if (git_revwalk_new(&rw, repo) < 0 ||
	    git_revwalk_sorting(rw, GIT_SORT_TOPOLOGICAL | GIT_SORT_REVERSE) < 0) {
		ret = pg_error_git(err, "cannot walk the history");
		goto out;
	}
	if (!range)
		rc = git_revwalk_push_glob(rw, "refs/*");
	else if (strstr(range, ".."))
		rc = git_revwalk_push_range(rw, range);
	else {
		git_object *obj = NULL;

		rc = git_revparse_single(&obj, repo, range);
		if (rc == 0)
			rc = git_revwalk_push(rw, git_object_id(obj));
		git_object_free(obj);
	}
	if (rc < 0) {
		ret = pg_error_git(err, "cannot resolve '%s'", range ? range : "refs/*");
		goto out;
	}
	if ((ret = collect(w, repo, rw, err)) < 0)
		goto out;
	ret = list_files_parallel(w, repo, err);
out:
	git_revwalk_free(rw);
	return ret;
}

void pg_walk_release(struct pg_walk *w)
{
	for (size_t i = 0; i < w->n; i++) {
		struct pg_commit *c = &w->commits[i];

		free(c->subject);
		free(c->message);
		free(c->author_name);
		free(c->author_email);
		free(c->committer_name);
		free(c->committer_email);
		free(c->refs);
		free(c->parent_ids);
		for (size_t j = 0; j < c->nfiles; j++)
			free(c->files[j].path);
		free(c->files);
	}
	free(w->commits);
	pg_oidmap_release(&w->index);
	*w = (struct pg_walk)PG_WALK_INIT;
}
