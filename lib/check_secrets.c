#include "check_secrets.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "alloc.h"
#include "blob_stream.h"
#include "budget.h"
#include "buf.h"
#include "build-config.h"
#include "keyfile.h"
#include "lineset.h"
#include "mask.h"
#include "packread.h"
#include "policy_ref.h"
#include "render.h"
#include "repo.h"
#include "secrets_stream.h"
#include "textenc.h"

const struct pg_key_def pg_secrets_keys[] = {
	{ "pushguard.secrets.enabled", PG_KEY_BOOL, NULL, "scan what a push adds for credentials (default true)",
	  "`true`", "bool: scan what a push adds for credentials ([Secret scanning](secrets.md))" },
	{ "pushguard.secrets.refs", PG_KEY_REF_GLOBS, NULL, "ref globs the secrets check applies to (default: all)",
	  "all refs", "ref globs the secrets check applies to (multi)" },
	{ "pushguard.secrets.rules", PG_KEY_STRINGS, NULL, "extra rules files, gitleaks TOML format (multi-valued, absolute paths)",
	  "", "extra rules files, gitleaks TOML format, absolute paths (multi; [Secret rules](secrets.md#secret-rules))" },
	{ "pushguard.secrets.builtin", PG_KEY_BOOL, NULL, "use the built-in rule pack (default true)",
	  "`true`", "bool: use the built-in rule pack" },
	{ "pushguard.secrets.maxBlobSize", PG_KEY_SIZE, NULL, "larger files are not scanned: a text one is a finding (default 64m; 0: no limit)",
	  "`64m`", "larger files are not scanned: a text one is then a finding, `too-large-to-scan` (see `onOversize`); binary ones are skipped (below it, their text is read for tokens and keys); `0`: no limit. Files over 4 MiB are streamed in 4 MiB windows, so raising it costs time (about 1.1 s for 64 MB), not memory" },
	{ "pushguard.secrets.allowInline", PG_KEY_BOOL, NULL,
	  "a pushguard:allow (or gitleaks:allow) comment on the line allows a finding (default true; shown and recorded)",
	  "`true`", "bool: a `pushguard:allow` (or `gitleaks:allow`) comment on the line allows a finding (shown to the pusher and recorded); `false`: such comments allow nothing, only the ignore file and rules-file allowlists do ([Allowing a finding](secrets.md))" },
	{ "pushguard.secrets.onOversize", PG_KEY_ENUM, "reject|accept",
	  "a text file over maxBlobSize, not scanned: reject (default) | accept (the pusher is warned, it is recorded)",
	  "`reject`", "a text file over `maxBlobSize`: `reject` (refused, with the fix) | `accept` (let in unscanned; the pusher is warned and it is recorded as an allowed finding)" },
	{ "pushguard.secrets.ignoreFile", PG_KEY_PATH, NULL, "file of allowed finding fingerprints, commit:path:rule:line",
	  "", "absolute path: allowed findings, one fingerprint `commit:path:rule:line` a line (gitleaks' `.gitleaksignore` format; `commit` is the full 40-hex commit id the hook prints)" },
	{ "pushguard.secrets.cacheDir", PG_KEY_PATH, NULL, "where the compiled rules database is cached (default ~/.cache/pushguard)",
	  "`~/.cache/pushguard` (or `$XDG_CACHE_HOME/pushguard`) of the account that runs the hooks", "where the compiled rules database is cached (only needed for extra rules files, or when the installed database does not fit: see [How it is fast](secrets.md#how-it-is-fast))" },
	{ "pushguard.secrets.block", PG_KEY_ENUM, "high|medium|low",
	  "the lowest confidence that refuses: high | medium (default) | low; lower findings are shown and recorded",
	  "`medium`", "the lowest confidence that refuses: `high` | `medium` | `low`; findings below it are shown to the pusher and recorded, not refused ([Confidence](secrets.md#confidence-and-secretsblock))" },
	{ NULL },
};

static const char *builtin_rules(char *buf, size_t n)
{
	const char *dir = getenv("PUSHGUARD_RULES_DIR");

	snprintf(buf, n, "%s/default.toml", dir && *dir ? dir : PG_DATADIR "/pushguard/rules");
	return buf;
}

/* ~/.cache/pushguard (or $XDG_CACHE_HOME/pushguard), created private; NULL if unusable. */
static char *default_cache_dir(void)
{
	const char *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
	struct pg_buf b = PG_BUF_INIT;
	struct stat st;

	if (xdg && *xdg == '/')
		pg_buf_addf(&b, "%s", xdg);
	else if (home && *home == '/')
		pg_buf_addf(&b, "%s/.cache", home);
	else
		return NULL;
	mkdir(b.ptr, 0700);
	pg_buf_adds(&b, "/pushguard");
	if (mkdir(b.ptr, 0700) < 0 && errno != EEXIST)
		goto none;
	if (lstat(b.ptr, &st) < 0 || !S_ISDIR(st.st_mode) || st.st_uid != geteuid() || access(b.ptr, W_OK) < 0)
		goto none;
	return pg_buf_detach(&b);
none:
	pg_buf_release(&b);
	return NULL;
}

static int origin_error(struct pg_error *err, const struct pg_policy *p, const char *key,
			const char *what)
{
	return pg_error_set(err, PG_ECONFIG, "%s in %s: %s", key, pg_policy_origin(p, key), what);
}

/* One fingerprint line of an ignore file (blank lines and # comments skipped). */
static int add_ignore_line(struct pg_secret_engine *e, char *s, struct pg_error *err)
{
	s[strcspn(s, "\r\n")] = '\0';
	while (*s == ' ' || *s == '\t')
		s++;
	if (!*s || *s == '#')
		return 0;
	return pg_strvec_push(&e->ignored, s) < 0 ? pg_error_oom(err) : 0;
}

/* The policy ref's ignore file (policy_ref.h), beside the server's. */
static int load_ref_ignore(struct pg_secret_engine *e, const struct pg_policy *p, struct pg_error *err)
{
	const struct pg_policy_ref_file *f = p->ref ? &p->ref->ignore : NULL;
	char *copy, *line, *save = NULL;
	int ret = 0;

	if (!f || !f->data)
		return 0;
	if (!(copy = strdup(f->data))) /* up to a NUL: the ignore file is text */
		return pg_error_oom(err);
	for (line = strtok_r(copy, "\n", &save); line && ret == 0; line = strtok_r(NULL, "\n", &save))
		ret = add_ignore_line(e, line, err);
	free(copy);
	return ret;
}

/* The policy ref's rules files, after the server's. */
static int load_ref_rules(struct pg_secret_engine *e, const struct pg_policy *p, const char *builtin,
			  struct pg_error *err)
{
	for (size_t i = 0; p->ref && i < p->ref->nrules; i++) {
		const struct pg_policy_ref_file *f = &p->ref->rules[i];
		char name[1024];
		int ret;

		pg_policy_ref_name(p->ref, f, name, sizeof(name));
		if ((ret = pg_ruleset_load_buffer(&e->rules, name, f->data, f->len, builtin, err)) < 0)
			return ret;
	}
	return 0;
}

static int load_ignore_file(struct pg_secret_engine *e, const struct pg_policy *p, struct pg_error *err)
{
	const char *path = pg_policy_str(p, "pushguard.secrets.ignoreFile", NULL);
	char line[4096];
	FILE *fp;

	if (!path)
		return 0;
	if (!(fp = fopen(path, "r"))) {
		char what[4200];

		snprintf(what, sizeof(what), "cannot read %s: %s", path, strerror(errno));
		return origin_error(err, p, "pushguard.secrets.ignoreFile", what);
	}
	while (fgets(line, sizeof(line), fp)) {
		if (add_ignore_line(e, line, err) < 0) {
			fclose(fp);
			return err->code;
		}
	}
	fclose(fp);
	return 0;
}

int pg_secret_engine_open(struct pg_secret_engine *e, const struct pg_policy *p, struct pg_error *err)
{
	struct pg_strvec files = PG_STRVEC_INIT;
	char builtin[4096];
	int ret = PG_ERR;

	memset(e, 0, sizeof(*e));
	e->rules = (struct pg_ruleset)PG_RULESET_INIT;
	e->enabled = pg_policy_bool(p, "pushguard.secrets.enabled", true);
	e->max_blob = pg_policy_int(p, "pushguard.secrets.maxBlobSize", PG_SECRETS_DEFAULT_MAX_BLOB);
	e->oversize_accept = !strcasecmp(pg_policy_str(p, "pushguard.secrets.onOversize", "reject"), "accept");
	e->allow_inline = pg_policy_bool(p, "pushguard.secrets.allowInline", true);
	e->cache_dir = pg_policy_str(p, "pushguard.secrets.cacheDir", NULL);
	if (pg_confidence_parse(&e->block, pg_policy_str(p, "pushguard.secrets.block", "medium")) < 0)
		return origin_error(err, p, "pushguard.secrets.block", "must be high, medium or low");
	if (!e->enabled)
		return 0;
	builtin_rules(builtin, sizeof(builtin));
	if (pg_policy_list(p, "pushguard.secrets.refs", &e->scope) < 0 ||
	    pg_policy_list(p, "pushguard.secrets.rules", &files) < 0) {
		ret = pg_error_oom(err);
		goto out;
	}
	if (pg_policy_bool(p, "pushguard.secrets.builtin", true)) {
		if ((ret = pg_ruleset_load(&e->rules, builtin, builtin, err)) < 0)
			goto out;
		if (!files.n && !(p->ref && p->ref->nrules)) /* default.toml -> default.hsdb beside it */
			snprintf(e->shipped_db, sizeof(e->shipped_db), "%.*s.hsdb",
				 (int)(strlen(builtin) - strlen(".toml")), builtin);
	}
	for (size_t i = 0; i < files.n; i++) {
		if (files.v[i][0] != '/') {
			ret = origin_error(err, p, "pushguard.secrets.rules", "rules files must be given as absolute paths");
			goto out;
		}
		if ((ret = pg_ruleset_load(&e->rules, files.v[i], builtin, err)) < 0)
			goto out;
	}
	if ((ret = load_ref_rules(e, p, builtin, err)) < 0)
		goto out;
	if (!e->rules.n) {
		ret = origin_error(err, p, "pushguard.secrets.builtin",
				   "no secret rules are left (built-in pack off, no pushguard.secrets.rules and no rules in a policy ref)");
		goto out;
	}
	if ((ret = load_ignore_file(e, p, err)) < 0)
		goto out;
	e->ignored_server = e->ignored.n;
	if ((ret = load_ref_ignore(e, p, err)) < 0)
		goto out;
	ret = 0;
out:
	pg_strvec_release(&files);
	return ret;
}

/* The multi-pattern database pays off past a few hundred kilobytes; below
 * that, loading it (or compiling it, the first time) costs more than it saves. */
int pg_secret_engine_prefilter(struct pg_secret_engine *e, uint64_t bytes, struct pg_error *err)
{
	struct pg_error ignored = PG_ERROR_INIT;
	char *cache_dir;
	int ret;

	if (e->pf || bytes < PG_SECRETS_PREFILTER_MIN_BYTES)
		return 0;
	/* the built-in pack alone: its database was compiled at build time */
	if (*e->shipped_db && pg_prefilter_load(&e->pf, &e->rules, e->shipped_db, &ignored) == 0)
		return 0;
	cache_dir = e->cache_dir ? strdup(e->cache_dir) : default_cache_dir();
	ret = pg_prefilter_build(&e->pf, &e->rules, cache_dir, err);
	free(cache_dir);
	return ret;
}

static int prepare(struct pg_secret_engine *e, uint64_t bytes, struct pg_error *err)
{
	int ret;

	if ((ret = pg_secret_engine_prefilter(e, bytes, err)) < 0)
		return ret;
	ret = pg_secrets_scanner_init(&e->scanner, &e->rules, e->pf, err);
	e->scanner.no_inline_allow = !e->allow_inline;
	return ret;
}

void pg_secret_engine_release(struct pg_secret_engine *e)
{
	pg_secrets_scanner_release(&e->scanner);
	pg_prefilter_free(e->pf);
	pg_ruleset_release(&e->rules);
	pg_strvec_release(&e->scope);
	pg_strvec_release(&e->ignored);
	pg_oidmap_release(&e->seen);
	memset(e, 0, sizeof(*e));
}

/* The lines the parents already had at this path, read on first need. */
struct parent_lines {
	git_repository *repo;
	const struct pg_commit *commit; /* its parents' trees come from the walk */
	const char *path;
	bool loaded;
	struct pg_lineset lines;
};

/* git_blob_is_binary(): git looks at the first 8000 bytes */
#define BINARY_CHECK_BYTES 8000

/* A large blob read as text: UTF-16/UTF-32 text (textenc.h) is decoded to
 * UTF-8 on the way, in pieces, so it is streamed like any other; a binary
 * one is read as its printable text (pg_textenc_strings). */
#define TEXT_CHUNK ((size_t)64 << 10)

struct text_reader {
	struct pg_blob_stream bs;
	struct pg_textenc_decoder dec;
	unsigned char head[BINARY_CHECK_BYTES]; /* read to recognise the encoding, given back first */
	size_t head_len, head_off;
	bool strings;                          /* binary: read as its printable text */
	struct pg_textenc_strings sf;
	bool done;
	char *out;                             /* decoded, not yet handed out */
	size_t out_len, out_off;
	unsigned char *raw;
};

static void text_reader_close(struct text_reader *r)
{
	pg_blob_stream_close(&r->bs);
	free(r->out);
	free(r->raw);
	r->out = NULL;
	r->raw = NULL;
}

static int text_reader_open(struct text_reader *r, git_repository *repo, const git_oid *oid,
			    struct pg_error *err)
{
	ssize_t got = 0;
	size_t bom;

	memset(r, 0, sizeof(*r));
	r->bs = (struct pg_blob_stream)PG_BLOB_STREAM_INIT;
	if (pg_blob_stream_open(&r->bs, repo, oid, err) < 0)
		return PG_ERR;
	while (r->head_len < sizeof(r->head) &&
	       (got = pg_blob_stream_read(&r->bs, (char *)r->head + r->head_len, sizeof(r->head) - r->head_len, err)) > 0)
		r->head_len += (size_t)got;
	if (got < 0)
		goto fail;
	r->dec = (struct pg_textenc_decoder)PG_TEXTENC_DECODER_INIT(
		pg_textenc_detect(r->head, r->head_len < PG_TEXTENC_SNIFF ? r->head_len : PG_TEXTENC_SNIFF, &bom));
	r->head_off = bom;
	r->strings = r->dec.enc == PG_TEXTENC_NONE && pg_textenc_binary(r->head, r->head_len);
	r->sf = (struct pg_textenc_strings)PG_TEXTENC_STRINGS_INIT;
	if ((r->dec.enc != PG_TEXTENC_NONE || r->strings) &&
	    (!(r->out = malloc(r->strings ? TEXT_CHUNK + PG_TEXTENC_STRINGS_MIN : pg_textenc_max_out(TEXT_CHUNK))) ||
	     !(r->raw = malloc(TEXT_CHUNK)))) {
		pg_error_oom(err);
		goto fail;
	}
	return 0;
fail:
	text_reader_close(r);
	return PG_ERR;
}

static ssize_t read_text(void *payload, char *buf, size_t n, struct pg_error *err)
{
	struct text_reader *r = payload;

	if (r->dec.enc == PG_TEXTENC_NONE && !r->strings) {
		if (r->head_off < r->head_len) {
			size_t k = r->head_len - r->head_off < n ? r->head_len - r->head_off : n;

			memcpy(buf, r->head + r->head_off, k);
			r->head_off += k;
			return (ssize_t)k;
		}
		return pg_blob_stream_read(&r->bs, buf, n, err);
	}
	while (r->out_off == r->out_len && !r->done) {
		size_t got = 0;
		ssize_t k = 0;

		if (r->head_off < r->head_len) {
			got = r->head_len - r->head_off;
			memcpy(r->raw, r->head + r->head_off, got);
			r->head_off += got;
		} else if ((k = pg_blob_stream_read(&r->bs, (char *)r->raw, TEXT_CHUNK, err)) < 0) {
			return k;
		} else {
			got = (size_t)k;
		}
		r->done = got == 0;
		r->out_len = r->strings ? pg_textenc_strings(&r->sf, r->raw, got, r->out, r->done)
					: pg_textenc_decode(&r->dec, r->raw, got, r->out, r->done);
		r->out_off = 0;
	}
	{
		size_t k = r->out_len - r->out_off < n ? r->out_len - r->out_off : n;

		memcpy(buf, r->out + r->out_off, k);
		r->out_off += k;
		return (ssize_t)k;
	}
}

/* A binary blob's printable text (pg_textenc_strings), as the scan reads it:
 * 1 with *out (malloc'd) and *out_len, 0 when data is not binary, -1 out of memory. */
static int binary_strings(char **out, size_t *out_len, const void *data, size_t len)
{
	struct pg_textenc_strings st = PG_TEXTENC_STRINGS_INIT;

	*out = NULL;
	*out_len = 0;
	if (!pg_textenc_binary(data, len < BINARY_CHECK_BYTES ? len : BINARY_CHECK_BYTES))
		return 0;
	if (!(*out = malloc(len + PG_TEXTENC_STRINGS_MIN + 1)))
		return -1;
	*out_len = pg_textenc_strings(&st, data, len, *out, true);
	(*out)[*out_len] = '\0';
	return 1;
}

/* In a binary file's text, only the findings of high confidence stand: a
 * provider token, a private key. Its short lines of noise around an `=` are
 * no evidence of a password. */
static void keep_high(struct pg_secrets_found *found, size_t first)
{
	size_t n = first;

	for (size_t i = first; i < found->n; i++)
		if (found->v[i].confidence == PG_CONFIDENCE_HIGH)
			found->v[n++] = found->v[i];
	found->n = n;
}

/* Adds the lines of blob oid to set, streaming it when it is large. */
static int add_blob_lines(struct pg_lineset *set, git_repository *repo, const git_oid *oid,
			  struct pg_error *err)
{
	struct text_reader tr = { .bs = PG_BLOB_STREAM_INIT };
	struct pg_line_hasher open;
	git_odb *odb = NULL;
	git_blob *blob = NULL;
	git_object_t type;
	char *buf = NULL;
	size_t size;
	ssize_t got;
	int ret = PG_ERR;

	if (git_repository_odb(&odb, repo) < 0 || git_odb_read_header(&size, &type, odb, oid) < 0) {
		ret = pg_error_git(err, "cannot read blob %s", git_oid_tostr_s(oid));
		goto out;
	}
	if (size < PG_SECRETS_STREAM_MIN) {
		char *text = NULL;
		size_t len = 0;
		int dec = 0;

		if (git_blob_lookup(&blob, repo, oid) < 0)
			ret = pg_error_git(err, "cannot read blob %s", git_oid_tostr_s(oid));
		else if ((dec = pg_textenc_to_utf8(&text, &len, git_blob_rawcontent(blob),
						   (size_t)git_blob_rawsize(blob))) < 0 ||
			 (!dec && (dec = binary_strings(&text, &len, git_blob_rawcontent(blob),
							(size_t)git_blob_rawsize(blob))) < 0) ||
			 pg_lineset_add_text(set, dec ? text : git_blob_rawcontent(blob),
					     dec ? len : (size_t)git_blob_rawsize(blob)) < 0)
			ret = pg_error_oom(err);
		else
			ret = 0;
		free(text);
		goto out;
	}
	pg_line_hasher_init(&open);
	if (!(buf = malloc(PG_SECRETS_WINDOW))) {
		ret = pg_error_oom(err);
		goto out;
	}
	if (text_reader_open(&tr, repo, oid, err) < 0)
		goto out;
	while ((got = read_text(&tr, buf, PG_SECRETS_WINDOW, err)) > 0)
		if (pg_lineset_add_piece(set, &open, buf, (size_t)got) < 0) {
			ret = pg_error_oom(err);
			goto out;
		}
	if (got < 0)
		goto out;
	if (pg_lineset_add_end(set, &open) < 0) {
		ret = pg_error_oom(err);
		goto out;
	}
	ret = 0;
out:
	free(buf);
	text_reader_close(&tr);
	git_blob_free(blob);
	git_odb_free(odb);
	return ret;
}

static int load_parent_lines(struct parent_lines *pl, struct pg_error *err)
{
	pl->loaded = true;
	/* a tagged tree or blob has no parents; a parent tree the walk could
	 * not read counts as empty: every line is new */
	for (size_t i = 0; i < pl->commit->nparent_trees; i++) {
		git_tree *tree = NULL;
		git_tree_entry *entry = NULL;
		int added = 0;

		if (git_tree_lookup(&tree, pl->repo, &pl->commit->parent_trees[i]) == 0 &&
		    git_tree_entry_bypath(&entry, tree, pl->path) == 0 && git_tree_entry_type(entry) == GIT_OBJECT_BLOB)
			added = add_blob_lines(&pl->lines, pl->repo, git_tree_entry_id(entry), err);
		git_error_clear(); /* no such path in that parent: nothing to add */
		git_tree_entry_free(entry);
		git_tree_free(tree);
		if (added < 0)
			return added; /* err names the blob */
	}
	return 0;
}

/* The parents' lines, read on first need (pg_secrets_old_lines). */
static int old_lines(void *payload, const struct pg_lineset **out, struct pg_error *err)
{
	struct parent_lines *pl = payload;
	int rc;

	if (!pl->loaded && (rc = load_parent_lines(pl, err)) < 0)
		return rc;
	*out = &pl->lines;
	return 0;
}

/* For a blob scanned whole: is this line one no parent has (pg_secrets_line_filter)? */
static int line_is_added(void *payload, const char *line, size_t len, struct pg_error *err)
{
	const struct pg_lineset *old;
	int rc = old_lines(payload, &old, err);

	return rc < 0 ? rc : !pg_lineset_has(old, line, len);
}

/* Which ignore file allows the fingerprint, for allowed_by; NULL: none. The
 * fingerprint as the hook prints it is masked where it holds a secret found
 * in a name or message (mask.h): the ignore file may hold either form. */
const char *pg_secret_engine_ignored_by(const struct pg_secret_engine *e, const char *fingerprint)
{
	char *masked = pg_mask_active() ? pg_mask_dup(fingerprint) : NULL;
	const char *by = NULL;

	for (size_t i = 0; i < e->ignored.n && !by; i++)
		if (!strcmp(e->ignored.v[i], fingerprint) || (masked && !strcmp(e->ignored.v[i], masked)))
			by = i < e->ignored_server ? "ignore file (pushguard.secrets.ignoreFile)"
						   : "ignore file (the policy ref's ignore)";
	free(masked);
	return by;
}

#define FIX_SECRET "remove the secret and revoke or rotate it at its provider (it was pushed);\n" \
		   "then git commit --amend (the last commit) or git rebase -i COMMIT~ (older ones)\n" \
		   "and push again. "

static int report(struct pg_secret_engine *e, const struct pg_commit *c, const char *ref,
		  const struct pg_added_file *f, const struct pg_secret *s, bool repeated, bool binary,
		  struct pg_findings *out, struct pg_error *err)
{
	struct pg_buf fp = PG_BUF_INIT, msg = PG_BUF_INIT;
	const char *allowed = s->allowed_by[0] ? s->allowed_by : NULL;
	enum pg_confidence conf = repeated ? PG_CONFIDENCE_LOW : s->confidence;
	struct pg_finding_spec spec;
	int rc;

	pg_buf_addf(&fp, "%s:%s:%s:%zu", c->hex, f->path, s->rule->id, s->line);
	if (!allowed)
		allowed = pg_secret_engine_ignored_by(e, fp.ptr);
	pg_buf_addf(&msg, "%s%s%s%s", s->rule->description ? s->rule->description : s->rule->id,
		    s->in_base64 ? " (inside a base64-encoded value)" : "",
		    f->mode == GIT_FILEMODE_LINK ? ", in the target of this symbolic link" : "",
		    binary && s->line ? ", in the text of a binary file (LINE counts its runs of text)" : "");
	if (conf == PG_CONFIDENCE_LOW && s->confidence > PG_CONFIDENCE_LOW)
		pg_buf_addf(&msg, "; the same value is in %d or more files of this push: an example?",
			    PG_SECRETS_EXAMPLE_REPEATS);
	else if (conf == PG_CONFIDENCE_LOW && s->rule->confidence != PG_CONFIDENCE_LOW)
		pg_buf_adds(&msg, "; in documentation, a test fixture or an example file");
	spec = (struct pg_finding_spec){ "secrets", s->rule->id, ref, c->hex, c->subject, f->path,
					 s->line, s->line ? s->excerpt : NULL, fp.ptr, allowed, conf,
					 conf < e->block };
	rc = pg_findings_add(out, &spec, msg.ptr,
			     f->mode == GIT_FILEMODE_LINK
				     ? "revoke or rotate the secret at its provider (it was pushed); point the link\n"
				       "elsewhere (ln -sfn TARGET PATH, git add PATH), then git commit --amend (the last\n"
				       "commit) or git rebase -i COMMIT~ (older ones) and push again. A false positive?\n"
				       "ask an admin to add the fingerprint to the ignore file"
			     : e->allow_inline ? FIX_SECRET "A false positive? add the comment pushguard:allow to that line,\n"
					       "or ask an admin to add the fingerprint to the ignore file"
					     : FIX_SECRET "A false positive? ask an admin to add the fingerprint to the ignore\n"
					       "file (inline pushguard:allow comments are off: pushguard.secrets.allowInline)",
			     err);
	pg_buf_release(&fp);
	pg_buf_release(&msg);
	return rc;
}

/* One added blob to scan, and what the scan found. */
struct task {
	const struct pg_commit *commit;
	const struct pg_added_file *file;
	const char *ref;
	struct pg_secrets_found found;
	bool binary;
	uint64_t bytes;
	size_t also_at;      /* other paths the push adds this same blob at */
	bool packed;         /* pos: where a pack holds it (packread.h) */
	struct pg_pack_pos pos;
};

/* A blob too large to hold whole is read and scanned in windows. */
static int scan_task_streamed(struct pg_secrets_scanner *scanner, git_repository *repo,
			      struct task *t, struct parent_lines *pl, int64_t deadline_ms,
			      struct pg_error *err)
{
	struct text_reader tr;
	struct pg_secrets_stream st = { read_text, &tr, old_lines, pl, t->file->path, t->commit->hex,
					PG_SECRETS_WINDOW, deadline_ms };
	int ret;
	size_t first = t->found.n;

	if (text_reader_open(&tr, repo, &t->file->oid, err) < 0)
		return PG_ERR;
	ret = pg_secrets_scan_stream(scanner, &st, &t->found, err);
	t->binary = tr.strings;
	text_reader_close(&tr);
	if (t->binary)
		keep_high(&t->found, first);
	t->bytes = t->binary ? 0 : st.bytes;
	return ret;
}

/* The engine's own rules for key containers recognised by structure (keyfile.h). */
static struct pg_rule keyfile_rules[PG_KEYFILE_OPENPGP + 1];
static char keyfile_text[PG_KEYFILE_OPENPGP + 1][2][120];
static pthread_once_t keyfile_once = PTHREAD_ONCE_INIT;

static void keyfile_rules_init(void)
{
	for (int k = PG_KEYFILE_NONE + 1; k <= PG_KEYFILE_OPENPGP; k++) {
		snprintf(keyfile_text[k][0], sizeof(keyfile_text[k][0]), "%s", pg_keyfile_rule(k));
		snprintf(keyfile_text[k][1], sizeof(keyfile_text[k][1]), "%s", pg_keyfile_description(k));
		keyfile_rules[k].id = keyfile_text[k][0];
		keyfile_rules[k].description = keyfile_text[k][1];
		keyfile_rules[k].confidence = k == PG_KEYFILE_PKCS12_SEALED ? PG_CONFIDENCE_LOW : PG_CONFIDENCE_HIGH;
	}
}

/* A blob that is a key store or a binary private key, whatever its name. */
static int check_keyfile(const struct pg_ruleset *rs, struct task *t, const void *data, size_t len,
			 struct pg_error *err)
{
	enum pg_keyfile_kind kind;
	struct pg_secret s = { 0 };
	int ret;

	if ((ret = pg_keyfile_detect(&kind, data, len, err)) < 0)
		return ret;
	if (kind == PG_KEYFILE_NONE)
		return 0;
	pthread_once(&keyfile_once, keyfile_rules_init);
	s.rule = &keyfile_rules[kind];
	s.confidence = s.rule->confidence;
	if (pg_ruleset_allows(rs, NULL, t->commit->hex, t->file->path, NULL, NULL, NULL))
		snprintf(s.allowed_by, sizeof(s.allowed_by), "global allowlist");
	if (pg_secrets_found_add(&t->found, &s) < 0)
		return pg_error_oom(err);
	return 0;
}

/* pack: this thread's pack reader, or NULL (every blob through libgit2). */
static int scan_task(struct pg_secrets_scanner *scanner, git_repository *repo, struct pg_pack_reader *pack,
		     struct task *t, int64_t deadline_ms, struct pg_error *err)
{
	struct parent_lines pl = { repo, t->commit, t->file->path, false, PG_LINESET_INIT };
	git_blob *blob = NULL;
	const char *data = NULL;
	char *text = NULL;
	size_t len = 0, size = 0, first;
	int ret;

	if (t->file->size >= (int64_t)PG_SECRETS_STREAM_MIN) {
		ret = scan_task_streamed(scanner, repo, t, &pl, deadline_ms, err);
		goto out;
	}
	if (pack && t->packed) {
		struct pg_error ignored = PG_ERROR_INIT;
		git_object_t type;

		/* anything the pack reader cannot read, libgit2 reads (and judges) */
		if (pg_pack_read(pack, &t->pos, &data, &size, &type, &ignored) < 0 || type != GIT_OBJECT_BLOB)
			data = NULL;
	}
	if (!data) {
		if (git_blob_lookup(&blob, repo, &t->file->oid) < 0)
			return pg_error_git(err, "cannot read %s in commit %s", t->file->path, t->commit->hex);
		data = git_blob_rawcontent(blob);
		size = (size_t)git_blob_rawsize(blob);
	}
	if ((ret = check_keyfile(scanner->rs, t, data, size, err)) < 0)
		goto out;
	/* UTF-16/UTF-32 text is NUL-patterned, binary to git: decoded, it is text */
	if ((ret = pg_textenc_to_utf8(&text, &len, data, size)) < 0) {
		ret = pg_error_oom(err);
		goto out;
	}
	/* binary to git: its printable text, for tokens and keys */
	if (!text && (ret = binary_strings(&text, &len, data, size)) != 0) {
		if (ret < 0) {
			ret = pg_error_oom(err);
			goto out;
		}
		t->binary = true;
	}
	t->bytes = t->binary ? 0 : text ? len : size;
	first = t->found.n;
	ret = pg_secrets_scan(scanner, text ? text : data, text ? len : size,
			      t->file->path, t->commit->hex, line_is_added, &pl, &t->found, err);
	if (t->binary)
		keep_high(&t->found, first);
out:
	free(text);
	pg_lineset_release(&pl.lines);
	git_blob_free(blob);
	return ret;
}

/* One blob done, for whoever shows progress (pushguard scan on a terminal). */
static void progress(struct pg_secret_engine *e, const struct task *t)
{
	__atomic_fetch_add(&e->progress_blobs_done, 1, __ATOMIC_RELAXED);
	__atomic_fetch_add(&e->progress_bytes_done, (uint64_t)(t->file->size > 0 ? t->file->size : 0),
			   __ATOMIC_RELAXED);
}

struct pool {
	struct pg_secret_engine *e;
	const char *repo_path;   /* NULL: the hook's repository, from the environment */
	struct task *tasks;
	const size_t *order;     /* the tasks in the order to scan them (pack order) */
	size_t ntasks;
	size_t chunk;            /* tasks taken at a time: neighbours in a pack share delta bases */
	const struct pg_packs *packs; /* or NULL */
	size_t next;             /* next task to take (atomic) */
	int failed;              /* set once (atomic); the first error wins */
	struct pg_error err;
	pthread_mutex_t lock;
	pthread_t th[PG_SECRETS_MAX_THREADS];
	size_t started;
};

static void *worker(void *arg)
{
	struct pool *pool = arg;
	struct pg_secrets_scanner scanner;
	struct pg_error err = PG_ERROR_INIT;
	struct pg_pack_reader *pack = NULL;
	git_repository *repo = NULL;
	size_t i;

	if (pg_repo_open(&repo, pool->repo_path, &err) < 0 ||
	    (pool->packs && pg_pack_reader_new(&pack, pool->packs, &err) < 0) ||
	    pg_secrets_scanner_init(&scanner, &pool->e->rules, pool->e->pf, &err) < 0)
		goto fail;
	scanner.no_inline_allow = !pool->e->allow_inline;
	while (!__atomic_load_n(&pool->failed, __ATOMIC_RELAXED) &&
	       (i = __atomic_fetch_add(&pool->next, pool->chunk, __ATOMIC_RELAXED)) < pool->ntasks) {
		for (size_t end = i + pool->chunk < pool->ntasks ? i + pool->chunk : pool->ntasks;
		     i < end && !__atomic_load_n(&pool->failed, __ATOMIC_RELAXED); i++) {
			if (pg_budget_expired(pool->e->deadline_ms)) {
				pg_budget_error(&err, "scanning for secrets");
				pg_secrets_scanner_release(&scanner);
				goto fail;
			}
			if (scan_task(&scanner, repo, pack, &pool->tasks[pool->order[i]], pool->e->deadline_ms, &err) < 0) {
				pg_secrets_scanner_release(&scanner);
				goto fail;
			}
			progress(pool->e, &pool->tasks[pool->order[i]]);
		}
	}
	pg_secrets_scanner_release(&scanner);
	pg_pack_reader_free(pack);
	git_repository_free(repo);
	return NULL;
fail:
	pthread_mutex_lock(&pool->lock);
	if (!pool->failed) {
		pool->err = err;
		__atomic_store_n(&pool->failed, 1, __ATOMIC_RELAXED);
	}
	pthread_mutex_unlock(&pool->lock);
	pg_pack_reader_free(pack);
	git_repository_free(repo);
	return NULL;
}

/* Starts scanning the tasks on nthreads cores; each worker has its own
 * repository handle and scratch space, as libgit2 and Hyperscan require. */
static void pool_start(struct pool *pool, size_t nthreads)
{
	/* runs of neighbours in the packs, yet enough runs to share the work out */
	pool->chunk = pool->ntasks / (nthreads * 16);
	pool->chunk = pool->chunk < 1 ? 1 : pool->chunk > 256 ? 256 : pool->chunk;
	for (pool->started = 0; pool->started < nthreads; pool->started++)
		if (pthread_create(&pool->th[pool->started], NULL, worker, pool) != 0)
			break;
}

/* Waits for the workers (or, when none could start, does their work). */
static int pool_join(struct pool *pool, struct pg_error *err)
{
	if (!pool->started)
		worker(pool);
	for (size_t i = 0; i < pool->started; i++)
		pthread_join(pool->th[i], NULL);
	pool->started = 0;
	if (pool->failed) {
		*err = pool->err;
		return err->code ? err->code : PG_ERR;
	}
	return 0;
}

/* Stops the workers early, as a failure does: they take no further task
 * (pool_join() then reports a failure, which the caller ignores). */
static void pool_stop(struct pool *pool)
{
	__atomic_store_n(&pool->failed, 1, __ATOMIC_RELAXED);
}

static size_t cores(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	if (n < 1)
		return 1;
	return n > PG_SECRETS_MAX_THREADS ? PG_SECRETS_MAX_THREADS : (size_t)n;
}

/* e->jobs (pushguard scan --jobs), else every core */
static size_t threads(const struct pg_secret_engine *e)
{
	if (!e->jobs)
		return cores();
	return e->jobs > PG_SECRETS_MAX_THREADS ? PG_SECRETS_MAX_THREADS : e->jobs;
}

static const struct task *sort_tasks;

static int cmp_pack_order(const void *a, const void *b)
{
	const struct task *x = &sort_tasks[*(const size_t *)a], *y = &sort_tasks[*(const size_t *)b];

	if (x->packed != y->packed)
		return x->packed ? -1 : 1;
	if (x->pos.pack != y->pos.pack)
		return x->pos.pack < y->pos.pack ? -1 : 1;
	if (x->pos.offset != y->pos.offset)
		return x->pos.offset < y->pos.offset ? -1 : 1;
	return *(const size_t *)a < *(const size_t *)b ? -1 : 1;
}

/* The order to read the blobs in: many of them (a history, a large push) are
 * read from the packs directly, sorted by pack and offset (packread.h): a
 * history's packs, or a push's (its quarantine); the rest, and every blob of
 * a small push, through libgit2 in walk order. */
static int plan_reads(const struct pg_secret_engine *e, git_repository *repo, struct task *tasks, size_t ntasks,
		      struct pg_packs **packs, size_t **order, struct pg_error *err)
{
	static pthread_mutex_t sort_lock = PTHREAD_MUTEX_INITIALIZER;

	if (!(*order = malloc((ntasks ? ntasks : 1) * sizeof(**order))))
		return pg_error_oom(err);
	for (size_t i = 0; i < ntasks; i++)
		(*order)[i] = i;
	if (ntasks < PG_SECRETS_PARALLEL_MIN)
		return 0;
	if (pg_packs_open(packs, git_repository_commondir(repo), e->repo_path ? NULL : getenv("GIT_OBJECT_DIRECTORY"),
			  err) < 0)
		return PG_ERR;
	if (!*packs)
		return 0;
	for (size_t i = 0; i < ntasks; i++)
		tasks[i].packed = tasks[i].file->size < (int64_t)PG_SECRETS_STREAM_MIN &&
				  pg_packs_find(*packs, &tasks[i].file->oid, &tasks[i].pos);
	pthread_mutex_lock(&sort_lock);
	sort_tasks = tasks;
	qsort(*order, ntasks, sizeof(**order), cmp_pack_order);
	sort_tasks = NULL;
	pthread_mutex_unlock(&sort_lock);
	return 0;
}

struct value_at {
	const unsigned char *id; /* the secret's keyed hash (secrets.h) */
	const char *path;
	size_t also_at;          /* the same blob at that many more paths */
	size_t finding;          /* index over every task's findings, in order */
};

static int cmp_value_at(const void *a, const void *b)
{
	const struct value_at *x = a, *y = b;
	int c = memcmp(x->id, y->id, sizeof(((struct pg_secret *)0)->value_id));

	return c ? c : strcmp(x->path, y->path);
}

/* Marks, in *out (one flag per finding, in task order), the generic findings
 * (below high confidence) whose value the push has in at least
 * PG_SECRETS_EXAMPLE_REPEATS files: a value repeated across files is an
 * example. Caller frees *out. */
static int find_examples(const struct task *tasks, size_t ntasks, bool **out, struct pg_error *err)
{
	struct value_at *v = NULL;
	size_t n = 0, total = 0;

	for (size_t i = 0; i < ntasks; i++)
		total += tasks[i].found.n;
	if (!(*out = calloc(total ? total : 1, sizeof(**out))) || !(v = calloc(total ? total : 1, sizeof(*v)))) {
		free(v);
		return pg_error_oom(err);
	}
	for (size_t i = 0, x = 0; i < ntasks; i++)
		for (size_t k = 0; k < tasks[i].found.n; k++, x++)
			if (tasks[i].found.v[k].confidence < PG_CONFIDENCE_HIGH && tasks[i].found.v[k].line)
				v[n++] = (struct value_at){ tasks[i].found.v[k].value_id, tasks[i].file->path,
							    tasks[i].also_at, x };
	qsort(v, n, sizeof(*v), cmp_value_at);
	for (size_t a = 0, b; a < n; a = b) {
		size_t files = 1 + v[a].also_at;

		for (b = a + 1; b < n && !memcmp(v[b].id, v[a].id, sizeof(((struct pg_secret *)0)->value_id)); b++)
			files += (strcmp(v[b].path, v[b - 1].path) != 0) + v[b].also_at;
		for (size_t k = a; files >= PG_SECRETS_EXAMPLE_REPEATS && k < b; k++)
			(*out)[v[k].finding] = true;
	}
	free(v);
	return 0;
}

static void size_text(char *out, size_t n, int64_t bytes)
{
	if (bytes >= (int64_t)1 << 20)
		snprintf(out, n, "%.1f MiB", (double)bytes / (1 << 20));
	else if (bytes >= 1024)
		snprintf(out, n, "%.1f KiB", (double)bytes / 1024);
	else
		snprintf(out, n, "%lld bytes", (long long)bytes);
}

/* A file over maxBlobSize is not scanned. Its first 8000 bytes tell whether
 * it is binary, as for any blob (binary ones are not scanned whatever their
 * size); a text one is a finding, too-large-to-scan, that refuses the push
 * unless pushguard.secrets.onOversize = accept (then it is allowed: recorded,
 * and the pusher is told in a note) or its fingerprint is in the ignore file. */
static int oversize(struct pg_secret_engine *e, git_repository *repo, const struct pg_commit *c,
		    const char *ref, const struct pg_added_file *f, struct pg_findings *out,
		    struct pg_error *err)
{
	struct pg_blob_stream bs = PG_BLOB_STREAM_INIT;
	struct pg_buf fp = PG_BUF_INIT, msg = PG_BUF_INIT, fix = PG_BUF_INIT;
	const char *allowed = e->oversize_accept ? "pushguard.secrets.onOversize = accept" : NULL;
	char head[8000], *path = NULL, size[32], limit[32];
	size_t got = 0;
	ssize_t n = 0;
	int ret = PG_ERR;

	if (pg_budget_expired(e->deadline_ms))
		return pg_budget_error(err, "scanning for secrets");
	if (pg_blob_stream_open(&bs, repo, &f->oid, err) < 0)
		goto out;
	while (got < sizeof(head) && (n = pg_blob_stream_read(&bs, head + got, sizeof(head) - got, err)) > 0)
		got += (size_t)n;
	if (n < 0)
		goto out;
	if (pg_textenc_binary(head, got) && pg_textenc_detect(head, got, &(size_t){ 0 }) == PG_TEXTENC_NONE) {
		e->skipped_binary++;
		ret = 0;
		goto out;
	}
	e->skipped_large++;
	if (!(path = pg_render_safe_dup(f->path)))
		goto oom;
	pg_buf_addf(&fp, "%s:%s:too-large-to-scan:0", c->hex, f->path);
	if (!allowed)
		allowed = pg_secret_engine_ignored_by(e, fp.ptr);
	size_text(size, sizeof(size), f->size);
	size_text(limit, sizeof(limit), e->max_blob);
	pg_buf_addf(&msg, "%s is %s, over pushguard.secrets.maxBlobSize (%s): it was not scanned for secrets",
		    path, size, limit);
	pg_buf_adds(&fix, "keep files this large out of the repository (Git LFS or an artifact store):\n"
		    "git rm --cached ");
	pg_buf_add_shell_quoted(&fix, path);
	pg_buf_adds(&fix, " && git commit --amend (older commits: git rebase -i COMMIT~), or split it;\n"
		    "or ask an admin to raise pushguard.secrets.maxBlobSize, or to allow this file\n"
		    "(its fingerprint in the ignore file, or pushguard.secrets.onOversize = accept)");
	if (pg_buf_failed(&fp) || pg_buf_failed(&msg) || pg_buf_failed(&fix))
		goto oom;
	if ((ret = pg_findings_add(out, &(struct pg_finding_spec){ .check = "secrets", .rule = "too-large-to-scan",
				   .ref = ref, .commit = c->hex, .subject = c->subject, .path = f->path,
				   .fingerprint = fp.ptr, .allowed_by = allowed }, msg.ptr, fix.ptr, err)) < 0)
		goto out;
	if (e->oversize_accept)
		ret = pg_findings_note(out, err, "warning: %s (%s, commit %.7s) was not scanned for secrets: over "
				       "pushguard.secrets.maxBlobSize (%s); accepted (pushguard.secrets.onOversize = "
				       "accept) and recorded", path, size, c->hex, limit);
	goto out;
oom:
	ret = pg_error_oom(err);
out:
	pg_blob_stream_close(&bs);
	pg_buf_release(&fp);
	pg_buf_release(&msg);
	pg_buf_release(&fix);
	free(path);
	return ret;
}

/* A blob over maxBlobSize, reported (oversize()) once the others are scanned. */
struct oversized {
	const struct pg_commit *commit;
	const char *ref;
	const struct pg_added_file *file;
};

/* One scan of the blobs a walk adds, in phases: blobs_collect() lists them,
 * blobs_start() sets the workers going, blobs_finish() waits for them and
 * reports; in between, the caller may do something else (the history scan
 * scans the messages and names). */
struct blob_scan {
	struct task *tasks;
	size_t ntasks, alloc, *order;
	struct oversized *big;
	size_t nbig, big_alloc;
	uint64_t bytes;              /* of the tasks' blobs */
	struct pg_packs *packs;
	bool parallel;               /* pool is running */
	struct pool pool;
};

/* Each new blob once, in walk order. */
static int blobs_collect(struct pg_secret_engine *e, const struct pg_walk *walk, const struct pg_check_ctx *ctx,
			 struct blob_scan *bs, struct pg_error *err)
{
	for (size_t i = 0; i < walk->n; i++) {
		const struct pg_commit *c = &walk->commits[i];
		const char *ref = NULL;

		if (ctx) {
			const struct pg_ref_update *u = pg_check_commit_ref(ctx, c, &e->scope);

			if (!u)
				continue;
			ref = u->ref;
		}
		for (size_t j = 0; j < c->nfiles; j++) {
			const struct pg_added_file *f = &c->files[j];
			size_t at;

			/* a symbolic link's blob is its target: scanned like a file (a
			 * finding there says so) */
			if (f->mode == GIT_FILEMODE_COMMIT)
				continue;
			if (pg_oidmap_get(&e->seen, &f->oid, &at)) {
				/* the same content at another path: counts for find_examples() */
				if (at > 0 && at <= bs->ntasks && git_oid_equal(&bs->tasks[at - 1].file->oid, &f->oid) &&
				    strcmp(bs->tasks[at - 1].file->path, f->path))
					bs->tasks[at - 1].also_at++;
				continue;
			}
			if (pg_oidmap_put(&e->seen, &f->oid,
					  e->max_blob > 0 && f->size > e->max_blob ? 0 : bs->ntasks + 1) < 0)
				return pg_error_oom(err);
			if (e->max_blob > 0 && f->size > e->max_blob) {
				if (PG_GROW(bs->big, bs->nbig + 1, bs->big_alloc) < 0)
					return pg_error_oom(err);
				bs->big[bs->nbig++] = (struct oversized){ c, ref, f };
				continue;
			}
			if (PG_GROW(bs->tasks, bs->ntasks + 1, bs->alloc) < 0)
				return pg_error_oom(err);
			bs->tasks[bs->ntasks++] = (struct task){ c, f, ref, PG_SECRETS_FOUND_INIT, false, 0, 0, false,
								 { 0, 0 } };
			bs->bytes += (uint64_t)(f->size > 0 ? f->size : 0);
		}
	}
	return 0;
}

/* Plans the reads and, for many blobs on several cores, starts the workers. */
static int blobs_start(struct pg_secret_engine *e, git_repository *repo, struct blob_scan *bs,
		       struct pg_error *err)
{
	int ret;

	__atomic_store_n(&e->progress_bytes, bs->bytes, __ATOMIC_RELAXED);
	__atomic_store_n(&e->progress_blobs, bs->ntasks, __ATOMIC_RELAXED);
	if (!e->scanner.rs && (ret = prepare(e, bs->bytes, err)) < 0)
		return ret;
	if ((ret = plan_reads(e, repo, bs->tasks, bs->ntasks, &bs->packs, &bs->order, err)) < 0)
		return ret;
	if (bs->ntasks >= PG_SECRETS_PARALLEL_MIN && threads(e) > 1) {
		bs->pool = (struct pool){ e, e->repo_path, bs->tasks, bs->order, bs->ntasks, 1, bs->packs, 0, 0,
					  PG_ERROR_INIT, PTHREAD_MUTEX_INITIALIZER };
		pool_start(&bs->pool, threads(e));
		bs->parallel = true;
	}
	return 0;
}

/* Scans what the workers do not (everything, on one core), then reports:
 * the blobs too large to scan, then every finding in walk order. */
static int blobs_finish(struct pg_secret_engine *e, git_repository *repo, struct blob_scan *bs,
			struct pg_findings *out, struct pg_error *err)
{
	struct pg_pack_reader *reader = NULL;
	bool *examples = NULL;
	int ret;

	if (bs->parallel) {
		bs->parallel = false;
		if ((ret = pool_join(&bs->pool, err)) < 0)
			goto out;
	} else {
		if (bs->packs && (ret = pg_pack_reader_new(&reader, bs->packs, err)) < 0)
			goto out;
		for (size_t i = 0; i < bs->ntasks; i++) {
			if (pg_budget_expired(e->deadline_ms)) {
				ret = pg_budget_error(err, "scanning for secrets");
				goto out;
			}
			if ((ret = scan_task(&e->scanner, repo, reader, &bs->tasks[bs->order[i]], e->deadline_ms, err)) < 0)
				goto out;
			progress(e, &bs->tasks[bs->order[i]]);
		}
	}
	for (size_t i = 0; i < bs->nbig; i++)
		if ((ret = oversize(e, repo, bs->big[i].commit, bs->big[i].ref, bs->big[i].file, out, err)) < 0)
			goto out;
	if ((ret = find_examples(bs->tasks, bs->ntasks, &examples, err)) < 0)
		goto out;
	for (size_t i = 0, x = 0; i < bs->ntasks; i++) {
		struct task *t = &bs->tasks[i];

		e->skipped_binary += t->binary;
		e->scanned += !t->binary;
		e->scanned_bytes += t->bytes;
		for (size_t k = 0; k < t->found.n; k++, x++)
			if ((ret = report(e, t->commit, t->ref, t->file, &t->found.v[k], examples[x], t->binary, out,
					  err)) < 0)
				goto out;
	}
	ret = 0;
out:
	free(examples);
	pg_pack_reader_free(reader);
	return ret;
}

static void blobs_release(struct blob_scan *bs)
{
	if (bs->parallel) { /* given up on: the workers stop at their next blob */
		struct pg_error ignored = PG_ERROR_INIT;

		pool_stop(&bs->pool);
		pool_join(&bs->pool, &ignored);
	}
	for (size_t i = 0; i < bs->ntasks; i++)
		pg_secrets_found_release(&bs->tasks[i].found);
	free(bs->tasks);
	free(bs->order);
	free(bs->big);
	pg_packs_free(bs->packs);
}

int pg_secret_engine_scan(struct pg_secret_engine *e, git_repository *repo,
			  const struct pg_walk *walk, const struct pg_check_ctx *ctx,
			  struct pg_findings *out, struct pg_error *err)
{
	struct blob_scan bs = { 0 };
	int ret = blobs_collect(e, walk, ctx, &bs, err);

	if (ret == 0)
		ret = blobs_start(e, repo, &bs, err);
	if (ret == 0)
		ret = blobs_finish(e, repo, &bs, out, err);
	blobs_release(&bs);
	return ret;
}

enum pg_confidence pg_secrets_block(const struct pg_policy *p)
{
	enum pg_confidence c;

	return pg_confidence_parse(&c, pg_policy_str(p, "pushguard.secrets.block", "medium")) < 0
		       ? PG_CONFIDENCE_MEDIUM : c;
}

int pg_check_secrets(struct pg_check_ctx *ctx, struct pg_error *err)
{
	struct pg_secret_engine e;
	int rc;

	if (!pg_policy_bool(ctx->policy, "pushguard.secrets.enabled", true))
		return 0;
	/* pg_check_push() scanned the ref names before the walk, and the
	 * messages and paths after it, with the engine it opened */
	if (ctx->secrets)
		return ctx->walk->n ? pg_secret_engine_scan(ctx->secrets, ctx->repo, ctx->walk, ctx, ctx->findings, err)
				    : 0;
	if ((rc = pg_secret_engine_open(&e, ctx->policy, err)) == 0) {
		e.deadline_ms = ctx->deadline_ms;
		rc = pg_secret_engine_scan_refs(&e, ctx->push, ctx->findings, err);
		if (rc == 0)
			rc = pg_secret_engine_scan_meta(&e, ctx->repo, ctx->walk, ctx, false, ctx->findings, err);
		if (rc == 0 && ctx->walk->n)
			rc = pg_secret_engine_scan(&e, ctx->repo, ctx->walk, ctx, ctx->findings, err);
	}
	pg_secret_engine_release(&e);
	return rc;
}

/* ---- the handle and its accessors (pushguard.h) ---- */

int pg_secret_engine_new(struct pg_secret_engine **out, const struct pg_policy *p, struct pg_error *err)
{
	if (!(*out = calloc(1, sizeof(**out))))
		return pg_error_oom(err);
	return pg_secret_engine_open(*out, p, err);
}

void pg_secret_engine_free(struct pg_secret_engine *e)
{
	if (!e)
		return;
	pg_secret_engine_release(e);
	free(e);
}

void pg_secret_engine_set_jobs(struct pg_secret_engine *e, size_t jobs)
{
	e->jobs = jobs;
}

void pg_secret_engine_set_repo_path(struct pg_secret_engine *e, const char *path)
{
	e->repo_path = path;
}

int pg_secret_engine_scan_history(struct pg_secret_engine *e, git_repository *repo, const struct pg_walk *walk,
				  bool with_refs, struct pg_findings *out, struct pg_error *err)
{
	struct blob_scan bs = { 0 };
	int ret;

	if (!e->enabled)
		return 0;
	/* The blobs are read and scanned on every core while this thread scans
	 * the messages, tags and names; their findings are reported first, so
	 * that what the files' findings quote is masked then. One database for
	 * both, loaded before any worker starts. */
	if ((ret = blobs_collect(e, walk, NULL, &bs, err)) == 0 &&
	    (ret = pg_secret_engine_prefilter(e, bs.bytes + pg_secret_engine_meta_bytes(walk), err)) == 0 &&
	    (ret = blobs_start(e, repo, &bs, err)) == 0 &&
	    (ret = pg_secret_engine_scan_meta(e, repo, walk, NULL, with_refs, out, err)) == 0)
		ret = blobs_finish(e, repo, &bs, out, err);
	blobs_release(&bs);
	return ret;
}

void pg_secret_engine_stats(const struct pg_secret_engine *e, struct pg_scan_stats *out)
{
	out->scanned = e->scanned;
	out->scanned_bytes = e->scanned_bytes;
	out->skipped_binary = e->skipped_binary;
	out->skipped_large = e->skipped_large;
}

void pg_secret_engine_progress(const struct pg_secret_engine *e, struct pg_scan_progress *out)
{
	out->blobs = __atomic_load_n(&e->progress_blobs, __ATOMIC_RELAXED);
	out->blobs_done = __atomic_load_n(&e->progress_blobs_done, __ATOMIC_RELAXED);
	out->bytes = __atomic_load_n(&e->progress_bytes, __ATOMIC_RELAXED);
	out->bytes_done = __atomic_load_n(&e->progress_bytes_done, __ATOMIC_RELAXED);
}

const struct pg_ruleset *pg_secret_engine_rules(const struct pg_secret_engine *e)
{
	return &e->rules;
}
