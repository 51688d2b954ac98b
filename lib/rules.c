#include "rules.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "buf.h"
#include "crypto_loader.h"
#include "hexdigit.h"
#include "re2.h"
#include "rules_snapshot.h"
#include "toml.h"

#define MAX_EXTEND_DEPTH 4

/* ---- the digest -------------------------------------------------------- */

struct pg_ruleset_digest {
	struct pg_buf input; /* the bytes still to hash: [previous digest hex] files... */
	char hex[65];        /* "" until computed */
};

const char *pg_ruleset_digest(const struct pg_ruleset *rs)
{
	struct pg_ruleset_digest *d = rs->digest;
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;

	if (!d)
		return "";
	if (d->hex[0] || pg_buf_failed(&d->input))
		return d->hex;
	if (pg_crypto_load("hashing the rules", &(struct pg_error)PG_ERROR_INIT) < 0)
		return "";
	if (pg_crypto.EVP_Digest(d->input.ptr ? d->input.ptr : "", d->input.len, md, &mdlen, pg_crypto.EVP_sha256(),
				 NULL) != 1 ||
	    mdlen != 32)
		return "";
	for (unsigned i = 0; i < mdlen; i++) {
		d->hex[2 * i] = "0123456789abcdef"[md[i] >> 4];
		d->hex[2 * i + 1] = "0123456789abcdef"[md[i] & 15];
	}
	d->hex[64] = '\0';
	pg_buf_release(&d->input);
	return d->hex;
}

/* Starts a load's part of the digest: after an earlier load, the chain. */
static int digest_begin(struct pg_ruleset *rs)
{
	char prev[65];

	if (!rs->digest) {
		if (!(rs->digest = calloc(1, sizeof(*rs->digest))))
			return -1;
		rs->digest->input = (struct pg_buf)PG_BUF_INIT;
		return 0;
	}
	snprintf(prev, sizeof(prev), "%s", pg_ruleset_digest(rs));
	if (!prev[0])
		return -1;
	pg_buf_release(&rs->digest->input);
	rs->digest->hex[0] = '\0';
	return pg_buf_add(&rs->digest->input, prev, 64);
}

/* ---- release ----------------------------------------------------------- */

static void allowlist_release(struct pg_allowlist *al)
{
	free(al->description);
	pg_strvec_release(&al->commits);
	for (size_t i = 0; i < al->npaths; i++)
		pg_regex_free(al->paths[i]);
	free(al->paths);
	for (size_t i = 0; i < al->nregexes; i++)
		pg_regex_free(al->regexes[i]);
	free(al->regexes);
	pg_strvec_release(&al->stopwords);
	memset(al, 0, sizeof(*al));
}

static void rule_release(struct pg_rule *r)
{
	free(r->id);
	free(r->description);
	free(r->regex_src);
	pg_regex_free(r->regex);
	pg_strvec_release(&r->keywords);
	pg_regex_free(r->path);
	pg_strvec_release(&r->tags);
	for (size_t i = 0; i < r->nallowlists; i++)
		allowlist_release(&r->allowlists[i]);
	free(r->allowlists);
	free(r->origin);
	memset(r, 0, sizeof(*r));
}

void pg_ruleset_release(struct pg_ruleset *rs)
{
	for (size_t i = 0; i < rs->n; i++)
		rule_release(&rs->rules[i]);
	free(rs->rules);
	for (size_t i = 0; i < rs->nallowlists; i++)
		allowlist_release(&rs->allowlists[i]);
	free(rs->allowlists);
	rs->rules = NULL;
	rs->allowlists = NULL;
	rs->n = rs->nallowlists = rs->alloc = 0;
	if (rs->digest)
		pg_buf_release(&rs->digest->input);
	free(rs->digest);
	rs->digest = NULL;
}

/* ---- loading ----------------------------------------------------------- */

struct load {
	struct pg_buf *hashed; /* the digest's input (pg_ruleset_digest) */
	const char *builtin;
	struct pg_error *err;
	const char *text; /* the top file's content when given in memory (no [extend] path then) */
	size_t len;
};

struct file {
	const char *name;
	struct pg_error *err;
	bool shipped; /* the built-in pack: its patterns are tested, so compiled on first use */
};

__attribute__((format(printf, 3, 4)))
static int cfail(const struct file *f, int line, const char *fmt, ...)
{
	char msg[768];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return pg_error_set(f->err, PG_ECONFIG, "%s:%d: %s", f->name, line, msg);
}

static int nomem(const struct file *f)
{
	return pg_error_set(f->err, PG_ERR, "%s: out of memory", f->name);
}

/* Joins the NULL-terminated strings into buf, cut to fit: the labels errors
 * would name, made for every key of every rule (snprintf cost as much as the
 * rest of loading the built-in pack). */
static const char *label(char *buf, size_t size, ...)
{
	size_t len = 0;
	const char *part;
	va_list ap;

	va_start(ap, size);
	while ((part = va_arg(ap, const char *))) {
		size_t n = strlen(part);

		if (n > size - 1 - len)
			n = size - 1 - len;
		memcpy(buf + len, part, n);
		len += n;
	}
	va_end(ap);
	buf[len] = '\0';
	return buf;
}

static int want(const struct file *f, const struct pg_toml *v, enum pg_toml_type t, const char *what)
{
	if (v->type == t || (t == PG_TOML_FLOAT && v->type == PG_TOML_INTEGER))
		return 0;
	return cfail(f, v->line, "%s must be %s %s, not %s %s", what, (t == PG_TOML_INTEGER || t == PG_TOML_ARRAY) ? "an" : "a",
		     pg_toml_type_name(t), v->type == PG_TOML_INTEGER || v->type == PG_TOML_ARRAY ? "an" : "a",
		     pg_toml_type_name(v->type));
}

static int get_string(const struct file *f, const struct pg_toml *v, const char *what, char **out)
{
	if (want(f, v, PG_TOML_STRING, what) < 0)
		return -1;
	free(*out);
	if (!(*out = strdup(v->str)))
		return nomem(f);
	return 0;
}

static int get_strings(const struct file *f, const struct pg_toml *v, const char *what, bool lower,
		       struct pg_strvec *out)
{
	if (want(f, v, PG_TOML_ARRAY, what) < 0)
		return -1;
	for (size_t i = 0; i < v->n; i++) {
		const struct pg_toml *e = v->kids[i];
		size_t before = out->n;

		if (want(f, e, PG_TOML_STRING, what) < 0)
			return -1;
		if (!e->len)
			return cfail(f, e->line, "%s: empty string", what);
		if (pg_strvec_push(out, e->str) < 0)
			return nomem(f);
		if (lower)
			for (char *c = out->v[before]; *c; c++)
				if (*c >= 'A' && *c <= 'Z')
					*c = (char)(*c + 32);
	}
	return 0;
}

/* Translates and compiles one Go regex written at v. */
static int get_regex(const struct file *f, const struct pg_toml *v, const char *what,
		     struct pg_regex **out, char **src_out, int *ngroups)
{
	char *src = NULL, where[512];
	struct pg_error e = PG_ERROR_INIT;
	int ret = -1;

	if (want(f, v, PG_TOML_STRING, what) < 0)
		return -1;
	if (pg_re2_translate(&src, ngroups, v->str, &e) < 0) {
		ret = e.code == PG_ECONFIG ? cfail(f, v->line, "%s '%s': %s", what, v->str, e.msg)
					   : pg_error_set(f->err, e.code, "%s", e.msg);
		goto out;
	}
	snprintf(where, sizeof(where), "%s:%d: %s", f->name, v->line, what);
	if ((ret = (f->shipped ? pg_regex_compile_lazy : pg_regex_compile)(out, src, where, f->err)) < 0)
		goto out;
	if (src_out) {
		*src_out = src;
		src = NULL;
	}
	ret = 0;
out:
	free(src);
	return ret;
}

static int get_regexes(const struct file *f, const struct pg_toml *v, const char *what,
		       struct pg_regex ***out, size_t *n)
{
	size_t alloc = *n; /* the array holds exactly *n */

	if (want(f, v, PG_TOML_ARRAY, what) < 0)
		return -1;
	if (PG_GROW(*out, *n + v->n, alloc) < 0)
		return nomem(f);
	for (size_t i = 0; i < v->n; i++) {
		if (get_regex(f, v->kids[i], what, &(*out)[*n], NULL, NULL) < 0)
			return -1;
		(*n)++;
	}
	return 0;
}

/* Parses an allowlist table; targets (global allowlists only) receives targetRules. */
static int parse_allowlist(const struct file *f, const struct pg_toml *t, const char *where,
			   struct pg_allowlist *al, struct pg_strvec *targets)
{
	char what[320];

	if (want(f, t, PG_TOML_TABLE, where) < 0)
		return -1;
	for (size_t i = 0; i < t->n; i++) {
		const struct pg_toml *v = t->kids[i];
		const char *k = v->key;
		int rc;

		label(what, sizeof(what), where, ": '", k, "'", (char *)NULL);
		if (!strcmp(k, "description")) {
			rc = get_string(f, v, what, &al->description);
		} else if (!strcmp(k, "condition")) {
			if ((rc = want(f, v, PG_TOML_STRING, what)) == 0) {
				if (!strcasecmp(v->str, "AND") || !strcmp(v->str, "&&"))
					al->match_all = true;
				else if (!strcasecmp(v->str, "OR") || !strcmp(v->str, "||") || !v->str[0])
					al->match_all = false;
				else
					rc = cfail(f, v->line, "%s must be \"OR\" or \"AND\", not \"%s\"", what, v->str);
			}
		} else if (!strcmp(k, "regexTarget")) {
			if ((rc = want(f, v, PG_TOML_STRING, what)) == 0) {
				if (!strcmp(v->str, "secret") || !v->str[0])
					al->regex_target = PG_TARGET_SECRET;
				else if (!strcmp(v->str, "match"))
					al->regex_target = PG_TARGET_MATCH;
				else if (!strcmp(v->str, "line"))
					al->regex_target = PG_TARGET_LINE;
				else
					rc = cfail(f, v->line, "%s must be \"secret\", \"match\" or \"line\", not \"%s\"",
						   what, v->str);
			}
		} else if (!strcmp(k, "commits")) {
			rc = get_strings(f, v, what, true, &al->commits);
		} else if (!strcmp(k, "paths")) {
			rc = get_regexes(f, v, what, &al->paths, &al->npaths);
		} else if (!strcmp(k, "regexes")) {
			rc = get_regexes(f, v, what, &al->regexes, &al->nregexes);
		} else if (!strcmp(k, "stopwords")) {
			rc = get_strings(f, v, what, true, &al->stopwords);
		} else if (!strcmp(k, "targetRules") && targets) {
			rc = get_strings(f, v, what, false, targets);
		} else {
			rc = cfail(f, v->line, "%s: unknown key '%s' (known: description, condition, commits, paths, regexes, regexTarget, stopwords%s)",
				   where, k, targets ? ", targetRules" : "");
		}
		if (rc < 0)
			return -1;
	}
	if (!al->commits.n && !al->npaths && !al->nregexes && !al->stopwords.n)
		return cfail(f, t->line, "%s has nothing to match: give commits, paths, regexes or stopwords", where);
	return 0;
}

static int add_allowlist(struct pg_allowlist **v, size_t *n, struct pg_allowlist *al)
{
	struct pg_allowlist *grown = realloc(*v, (*n + 1) * sizeof(**v));

	if (!grown)
		return -1;
	*v = grown;
	grown[(*n)++] = *al;
	memset(al, 0, sizeof(*al));
	return 0;
}

/* Allowlists under a table: the old single [x.allowlist] and the newer [[x.allowlists]]. */
static int parse_allowlists(const struct file *f, const struct pg_toml *t, const char *owner,
			    struct pg_allowlist **v, size_t *n, bool global,
			    struct pg_strvec *pending_targets, struct pg_allowlist **pending, size_t *npending)
{
	static const char *const keys[] = { "allowlist", "allowlists" };

	for (int k = 0; k < 2; k++) {
		const struct pg_toml *a = pg_toml_get(t, keys[k]);
		size_t count;

		if (!a)
			continue;
		if (k == 0 && a->type != PG_TOML_TABLE)
			return cfail(f, a->line, "%s: 'allowlist' must be a table ([%sallowlist])", owner,
				     global ? "" : "rules.");
		if (k == 1 && (a->type != PG_TOML_ARRAY))
			return cfail(f, a->line, "%s: 'allowlists' must be an array of tables ([[%sallowlists]])", owner,
				     global ? "" : "rules.");
		count = k == 0 ? 1 : a->n;
		for (size_t i = 0; i < count; i++) {
			const struct pg_toml *e = k == 0 ? a : a->kids[i];
			struct pg_allowlist al = { 0 };
			struct pg_strvec targets = PG_STRVEC_INIT;
			char where[160];
			int rc;

			snprintf(where, sizeof(where), "%s%s", owner, k == 0 ? " allowlist" : " allowlists");
			rc = parse_allowlist(f, e, where, &al, global ? &targets : NULL);
			if (rc == 0 && targets.n) {
				/* a global allowlist for some rules only: attached to them once loaded */
				for (size_t j = 0; j < targets.n && rc == 0; j++) {
					char tag[512];

					snprintf(tag, sizeof(tag), "%zu:%d:%s", *npending, e->line, targets.v[j]);
					if (pg_strvec_push(pending_targets, tag) < 0)
						rc = nomem(f);
				}
				if (rc == 0 && add_allowlist(pending, npending, &al) < 0)
					rc = nomem(f);
			} else if (rc == 0 && add_allowlist(v, n, &al) < 0) {
				rc = nomem(f);
			}
			allowlist_release(&al);
			pg_strvec_release(&targets);
			if (rc < 0)
				return -1;
		}
	}
	return 0;
}

unsigned pg_rules_id_hash(const char *id)
{
	unsigned h = 2166136261u; /* FNV-1a */

	for (; *id; id++)
		h = (h ^ (unsigned char)*id) * 16777619u;
	return h;
}

/* Each new rule is looked up among those loaded (hundreds in the built-in
 * pack), so the hash is compared before the id. */
static struct pg_rule *find_rule(struct pg_ruleset *rs, const char *id, size_t *idx)
{
	unsigned h = pg_rules_id_hash(id);

	for (size_t i = 0; i < rs->n; i++) {
		if (rs->rules[i].id_hash == h && !strcmp(rs->rules[i].id, id)) {
			if (idx)
				*idx = i;
			return &rs->rules[i];
		}
	}
	return NULL;
}

static int parse_rule(const struct file *f, const struct pg_toml *t, struct pg_rule *r)
{
	const struct pg_toml *idv = pg_toml_get(t, "id"), *sg = NULL, *kg = NULL, *ug = NULL;
	int ngroups = 0;
	char what[200], owner[160];

	if (want(f, t, PG_TOML_TABLE, "[[rules]]") < 0)
		return -1;
	if (!idv)
		return cfail(f, t->line, "[[rules]] entry has no 'id'");
	if (get_string(f, idv, "rule 'id'", &r->id) < 0)
		return -1;
	if (!r->id[0])
		return cfail(f, idv->line, "rule 'id' is empty");
	snprintf(owner, sizeof(owner), "rule '%s'", r->id);
	{
		char o[600];

		snprintf(o, sizeof(o), "%s:%d", f->name, t->line);
		if (!(r->origin = strdup(o)))
			return nomem(f);
	}
	for (size_t i = 0; i < t->n; i++) {
		const struct pg_toml *v = t->kids[i];
		const char *k = v->key;
		int rc = 0;

		label(what, sizeof(what), "rule '", r->id, "': '", k, "'", (char *)NULL);
		if (!strcmp(k, "id") || !strcmp(k, "allowlist") || !strcmp(k, "allowlists")) {
			continue;
		} else if (!strcmp(k, "description")) {
			rc = get_string(f, v, what, &r->description);
		} else if (!strcmp(k, "regex")) {
			rc = get_regex(f, v, what, &r->regex, &r->regex_src, &ngroups);
		} else if (!strcmp(k, "path")) {
			rc = get_regex(f, v, what, &r->path, NULL, NULL);
		} else if (!strcmp(k, "secretGroup")) {
			if ((rc = want(f, v, PG_TOML_INTEGER, what)) == 0) {
				if (v->i < 0 || v->i > 99)
					rc = cfail(f, v->line, "%s must be between 0 and 99", what);
				r->secret_group = (int)v->i;
				sg = v;
			}
		} else if (!strcmp(k, "entropy")) {
			if ((rc = want(f, v, PG_TOML_FLOAT, what)) == 0) {
				double e = v->type == PG_TOML_INTEGER ? (double)v->i : v->f;

				if (!(e >= 0 && e <= 32))
					rc = cfail(f, v->line, "%s must be between 0 and 32", what);
				r->entropy = e;
			}
		} else if (!strcmp(k, "keywords")) {
			rc = get_strings(f, v, what, true, &r->keywords);
		} else if (!strcmp(k, "tags")) {
			rc = get_strings(f, v, what, false, &r->tags);
		} else if (!strcmp(k, "skipReport")) {
			if ((rc = want(f, v, PG_TOML_BOOL, what)) == 0)
				r->skip_report = v->b;
		} else if (!strcmp(k, "confidence")) {
			if ((rc = want(f, v, PG_TOML_STRING, what)) == 0 && pg_confidence_parse(&r->confidence, v->str) < 0)
				rc = cfail(f, v->line, "%s must be \"high\", \"medium\" or \"low\", not \"%s\"", what, v->str);
		} else if (!strcmp(k, "valueCheck")) {
			if ((rc = want(f, v, PG_TOML_STRING, what)) == 0 && pg_value_check_parse(&r->value_check, v->str) < 0)
				rc = cfail(f, v->line, "%s must be \"password\", \"secret\" or \"credential\", not \"%s\"",
					   what, v->str);
		} else if (!strcmp(k, "keyGroup") || !strcmp(k, "userGroup")) {
			if ((rc = want(f, v, PG_TOML_INTEGER, what)) == 0) {
				if (v->i < 1 || v->i > 99)
					rc = cfail(f, v->line, "%s must be between 1 and 99", what);
				if (k[0] == 'k')
					r->key_group = (int)v->i, kg = v;
				else
					r->user_group = (int)v->i, ug = v;
			}
		} else if (!strcmp(k, "required")) {
			rc = cfail(f, v->line, "%s: composite rules ([[rules.required]]) are not supported", owner);
		} else {
			rc = cfail(f, v->line, "%s: unknown key '%s' (known: id, description, regex, secretGroup, entropy, keywords, path, tags, allowlist, allowlists, skipReport, confidence, valueCheck, keyGroup, userGroup)",
				   owner, k);
		}
		if (rc < 0)
			return -1;
	}
	if (sg && r->regex && r->secret_group > ngroups)
		return cfail(f, sg->line, "rule '%s': secretGroup is %d but the regex has %d capture group%s", r->id,
			     r->secret_group, ngroups, ngroups == 1 ? "" : "s");
	if (sg && !r->regex && r->secret_group)
		return cfail(f, sg->line, "rule '%s': secretGroup without a regex", r->id);
	if (kg && r->regex && r->key_group > ngroups)
		return cfail(f, kg->line, "rule '%s': keyGroup is %d but the regex has %d capture group%s", r->id,
			     r->key_group, ngroups, ngroups == 1 ? "" : "s");
	if (kg && !r->regex)
		return cfail(f, kg->line, "rule '%s': keyGroup without a regex", r->id);
	if (ug && r->regex && r->user_group > ngroups)
		return cfail(f, ug->line, "rule '%s': userGroup is %d but the regex has %d capture group%s", r->id,
			     r->user_group, ngroups, ngroups == 1 ? "" : "s");
	if (ug && !r->regex)
		return cfail(f, ug->line, "rule '%s': userGroup without a regex", r->id);
	return parse_allowlists(f, t, owner, &r->allowlists, &r->nallowlists, false, NULL, NULL, NULL);
}

static int move_strings(struct pg_strvec *to, struct pg_strvec *from)
{
	for (size_t i = 0; i < from->n; i++) {
		bool dup = false;

		for (size_t j = 0; j < to->n && !dup; j++)
			dup = !strcmp(to->v[j], from->v[i]);
		if (!dup && pg_strvec_push(to, from->v[i]) < 0)
			return -1;
	}
	return 0;
}

/* gitleaks' [extend] merge: what the extending rule sets wins, lists are joined. */
static int merge_rule(struct pg_rule *base, struct pg_rule *r)
{
#define TAKE(field) do { if (r->field) { void *tmp_ = base->field; base->field = r->field; r->field = tmp_; } } while (0)
	TAKE(description);
	if (r->regex) {
		TAKE(regex);
		TAKE(regex_src);
		TAKE(origin);
		base->secret_group = r->secret_group;
		base->key_group = r->key_group; /* group numbers belong to the regex */
		base->user_group = r->user_group;
	}
	TAKE(path);
#undef TAKE
	if (r->secret_group)
		base->secret_group = r->secret_group;
	if (r->entropy)
		base->entropy = r->entropy;
	if (r->skip_report)
		base->skip_report = true;
	if (r->confidence)
		base->confidence = r->confidence;
	if (r->value_check)
		base->value_check = r->value_check;
	if (r->key_group)
		base->key_group = r->key_group;
	if (r->user_group)
		base->user_group = r->user_group;
	if (move_strings(&base->keywords, &r->keywords) < 0 || move_strings(&base->tags, &r->tags) < 0)
		return -1;
	for (size_t i = 0; i < r->nallowlists; i++)
		if (add_allowlist(&base->allowlists, &base->nallowlists, &r->allowlists[i]) < 0)
			return -1;
	return 0;
}

static void remove_rule(struct pg_ruleset *rs, size_t idx)
{
	rule_release(&rs->rules[idx]);
	memmove(&rs->rules[idx], &rs->rules[idx + 1], (rs->n - idx - 1) * sizeof(*rs->rules));
	rs->n--;
}

static int copy_allowlist(struct pg_allowlist *out, const struct pg_allowlist *al, struct pg_error *err)
{
	memset(out, 0, sizeof(*out));
	*out = *al;
	out->description = NULL;
	out->commits = (struct pg_strvec)PG_STRVEC_INIT;
	out->stopwords = (struct pg_strvec)PG_STRVEC_INIT;
	out->paths = out->regexes = NULL;
	out->npaths = out->nregexes = 0;
	if ((al->description && !(out->description = strdup(al->description))) ||
	    pg_strvec_copy(&out->commits, &al->commits) < 0 || pg_strvec_copy(&out->stopwords, &al->stopwords) < 0 ||
	    (al->npaths && !(out->paths = calloc(al->npaths, sizeof(*out->paths)))) ||
	    (al->nregexes && !(out->regexes = calloc(al->nregexes, sizeof(*out->regexes)))))
		return pg_error_oom(err);
	for (; out->npaths < al->npaths; out->npaths++)
		if (pg_regex_compile(&out->paths[out->npaths], pg_regex_pattern(al->paths[out->npaths]),
				     pg_regex_what(al->paths[out->npaths]), err) < 0)
			return -1;
	for (; out->nregexes < al->nregexes; out->nregexes++)
		if (pg_regex_compile(&out->regexes[out->nregexes], pg_regex_pattern(al->regexes[out->nregexes]),
				     pg_regex_what(al->regexes[out->nregexes]), err) < 0)
			return -1;
	return 0;
}

/* Appends the file's bytes to out (the digest's input, which the file is
 * then parsed from: one copy of it in memory). */
static int read_file(const char *path, struct pg_buf *out, struct pg_error *err)
{
	FILE *fp = fopen(path, "rb");
	char chunk[65536];
	size_t n, start = out->len;
	int ret = -1;

	if (!fp)
		return pg_error_set(err, PG_ECONFIG, "%s: cannot open rules file: %s", path, strerror(errno));
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0) {
		if (out->len - start + n > PG_TOML_MAX_INPUT) {
			ret = pg_error_set(err, PG_ECONFIG, "%s: rules file larger than %zu bytes", path,
					   PG_TOML_MAX_INPUT);
			goto out;
		}
		if (pg_buf_add(out, chunk, n) < 0) {
			ret = pg_error_oom(err);
			goto out;
		}
	}
	if (ferror(fp)) {
		ret = pg_error_set(err, PG_ECONFIG, "%s: cannot read rules file: %s", path, strerror(errno));
		goto out;
	}
	ret = 0;
out:
	fclose(fp);
	return ret;
}

static int load_file(struct pg_ruleset *rs, struct load *ld, const char *path, int depth);

/* The built-in pack's snapshot (rules_snapshot.h), default.snap beside
 * default.toml, when it is the pack's and rs is empty: 1 loaded, 0 not (parse
 * the TOML), PG_ERR when out of memory. */
static int load_snapshot(struct pg_ruleset *rs, const char *path, const char *toml, size_t len,
			 struct pg_error *err)
{
	struct pg_buf snap_path = PG_BUF_INIT, snap = PG_BUF_INIT;
	size_t plen = strlen(path);
	int ret = 0;

	if (rs->n || rs->nallowlists || plen < 5 || strcmp(path + plen - 5, ".toml"))
		return 0;
	pg_buf_add(&snap_path, path, plen - 5);
	pg_buf_adds(&snap_path, ".snap");
	if (pg_buf_failed(&snap_path)) {
		ret = pg_error_oom(err);
	} else if (read_file(snap_path.ptr, &snap, &(struct pg_error)PG_ERROR_INIT) == 0) {
		ret = pg_rules_snapshot_read(rs, path, toml, len, snap.ptr ? snap.ptr : "", snap.len, err);
	}
	pg_buf_release(&snap);
	pg_buf_release(&snap_path);
	return ret;
}

static int do_extend(struct pg_ruleset *rs, struct load *ld, const struct file *f, const struct pg_toml *ext,
		     int depth)
{
	const struct pg_toml *use = NULL, *p = NULL, *dis = NULL;
	struct pg_strvec disabled = PG_STRVEC_INIT;
	char *rel = NULL;
	int ret = -1;

	if (want(f, ext, PG_TOML_TABLE, "[extend]") < 0)
		return -1;
	for (size_t i = 0; i < ext->n; i++) {
		const struct pg_toml *v = ext->kids[i];

		if (!strcmp(v->key, "useDefault"))
			use = v;
		else if (!strcmp(v->key, "path"))
			p = v;
		else if (!strcmp(v->key, "disabledRules"))
			dis = v;
		else if (!strcmp(v->key, "url"))
			return cfail(f, v->line, "[extend] url is not supported; download the file and use path");
		else
			return cfail(f, v->line, "[extend]: unknown key '%s' (known: useDefault, path, disabledRules)", v->key);
	}
	if (use && want(f, use, PG_TOML_BOOL, "[extend] useDefault") < 0)
		return -1;
	if (p && want(f, p, PG_TOML_STRING, "[extend] path") < 0)
		return -1;
	if (dis && get_strings(f, dis, "[extend] disabledRules", false, &disabled) < 0)
		goto out;
	if ((use && use->b) || p) {
		if (depth >= MAX_EXTEND_DEPTH) {
			ret = cfail(f, (use ? use : p)->line, "[extend] nested more than %d files deep (a cycle?)",
				    MAX_EXTEND_DEPTH);
			goto out;
		}
	}
	if (use && use->b) {
		if (!ld->builtin) {
			ret = cfail(f, use->line, "[extend] useDefault = true, but no built-in rules file is available");
			goto out;
		}
		if (load_file(rs, ld, ld->builtin, depth + 1) < 0)
			goto out;
	}
	if (p) {
		const char *slash = strrchr(f->name, '/');

		if (!p->str[0]) {
			ret = cfail(f, p->line, "[extend] path is empty");
			goto out;
		}
		if (ld->text) {
			ret = cfail(f, p->line, "[extend] path cannot be used here (only useDefault): a rules "
				    "file from a policy ref names no file of the server");
			goto out;
		}
		if (p->str[0] != '/' && slash) {
			if (asprintf(&rel, "%.*s/%s", (int)(slash - f->name), f->name, p->str) < 0) {
				rel = NULL;
				ret = nomem(f);
				goto out;
			}
		}
		if (load_file(rs, ld, rel ? rel : p->str, depth + 1) < 0) {
			/* name the including line too */
			char inner[sizeof(ld->err->msg)];

			snprintf(inner, sizeof(inner), "%s", ld->err->msg);
			ret = pg_error_set(ld->err, ld->err->code, "%s:%d: [extend] path \"%s\": %s", f->name, p->line,
					   p->str, inner);
			goto out;
		}
	}
	for (size_t i = 0; i < disabled.n; i++) {
		size_t idx;

		if (find_rule(rs, disabled.v[i], &idx))
			remove_rule(rs, idx); /* unknown ids are ignored, as gitleaks does */
	}
	ret = 0;
out:
	free(rel);
	pg_strvec_release(&disabled);
	return ret;
}

static int load_file(struct pg_ruleset *rs, struct load *ld, const char *path, int depth)
{
	const char *text;
	size_t len, start = ld->hashed->len;
	struct pg_toml *doc = NULL;
	struct file f = { path, ld->err, ld->builtin && !strcmp(path, ld->builtin) };
	struct pg_strvec targets = PG_STRVEC_INIT;
	struct pg_allowlist *pending = NULL;
	size_t npending = 0, first_own;
	const struct pg_toml *rules, *ext;
	int ret = -1;

	if (ld->text && depth == 0) {
		if (ld->len > PG_TOML_MAX_INPUT) {
			ret = pg_error_set(ld->err, PG_ECONFIG, "%s: rules file larger than %zu bytes", path,
					   PG_TOML_MAX_INPUT);
			goto out;
		}
		if (pg_buf_add(ld->hashed, ld->text, ld->len) < 0) {
			ret = pg_error_oom(ld->err);
			goto out;
		}
	} else if ((ret = read_file(path, ld->hashed, ld->err)) < 0) {
		goto out;
	} else if (f.shipped && (ret = load_snapshot(rs, path, ld->hashed->ptr + start, ld->hashed->len - start,
						     ld->err)) != 0) {
		ret = ret > 0 ? 0 : ret; /* the pack's rules, as its snapshot holds them */
		goto out;
	}
	/* parsed before an [extend] reads the next file into the same buffer */
	text = ld->hashed->ptr + start;
	len = ld->hashed->len - start;
	if ((ret = pg_toml_parse(&doc, text, len, path, ld->err)) < 0)
		goto out;
	ret = -1;
	for (size_t i = 0; i < doc->n; i++) {
		const struct pg_toml *v = doc->kids[i];

		if (!strcmp(v->key, "title") || !strcmp(v->key, "minVersion")) {
			if (want(&f, v, PG_TOML_STRING, v->key) < 0)
				goto out;
		} else if (strcmp(v->key, "extend") && strcmp(v->key, "rules") && strcmp(v->key, "allowlist") &&
			   strcmp(v->key, "allowlists")) {
			cfail(&f, v->line, "unknown key '%s' (known: title, minVersion, extend, rules, allowlist, allowlists)",
			      v->key);
			goto out;
		}
	}
	if ((ext = pg_toml_get(doc, "extend")) && do_extend(rs, ld, &f, ext, depth) < 0)
		goto out;
	first_own = rs->n;
	if ((rules = pg_toml_get(doc, "rules"))) {
		if (rules->type != PG_TOML_ARRAY) {
			cfail(&f, rules->line, "'rules' must be an array of tables ([[rules]])");
			goto out;
		}
		for (size_t i = 0; i < rules->n; i++) {
			struct pg_rule r = { 0 };
			struct pg_rule *old;
			size_t idx = 0;
			int rc;

			rc = parse_rule(&f, rules->kids[i], &r);
			if (rc == 0) {
				r.id_hash = pg_rules_id_hash(r.id);
				old = find_rule(rs, r.id, &idx);
				if (old && idx < first_own) {
					rc = merge_rule(old, &r) < 0 ? nomem(&f) : 0;
				} else if (!r.regex && !r.path) {
					rc = cfail(&f, rules->kids[i]->line, "rule '%s' needs a 'regex' or a 'path'", r.id);
				} else if (old) {
					rule_release(old); /* the same id twice in one file: the later wins */
					*old = r;
					memset(&r, 0, sizeof(r));
				} else {
					if (PG_GROW(rs->rules, rs->n + 1, rs->alloc) < 0) {
						rc = nomem(&f);
					} else {
						rs->rules[rs->n++] = r;
						memset(&r, 0, sizeof(r));
					}
				}
			}
			rule_release(&r);
			if (rc < 0)
				goto out;
		}
	}
	if (parse_allowlists(&f, doc, "global", &rs->allowlists, &rs->nallowlists, true, &targets,
			     &pending, &npending) < 0)
		goto out;
	/* global allowlists with targetRules become allowlists of those rules */
	for (size_t i = 0; i < targets.n; i++) {
		char *colon;
		size_t a = (size_t)strtoul(targets.v[i], &colon, 10);
		int line = (int)strtol(colon + 1, &colon, 10);
		const char *id = colon + 1;
		struct pg_rule *r = find_rule(rs, id, NULL);
		struct pg_allowlist copy;

		if (!r) {
			cfail(&f, line, "allowlist targetRules: no rule with id '%s'", id);
			goto out;
		}
		if (copy_allowlist(&copy, &pending[a], ld->err) < 0) {
			allowlist_release(&copy);
			goto out;
		}
		if (add_allowlist(&r->allowlists, &r->nallowlists, &copy) < 0) {
			allowlist_release(&copy);
			nomem(&f);
			goto out;
		}
	}
	ret = 0;
out:
	for (size_t i = 0; i < npending; i++)
		allowlist_release(&pending[i]);
	free(pending);
	pg_strvec_release(&targets);
	pg_toml_free(doc);
	if (ret < 0 && ld->err && ld->err->code)
		ret = ld->err->code;
	return ret;
}

static int load_top(struct pg_ruleset *rs, const char *path, const char *text, size_t len,
		    const char *builtin_path, struct pg_error *err)
{
	struct load ld = { NULL, builtin_path, err, text, len };

	if (err)
		err->code = 0;
	if (digest_begin(rs) < 0)
		return pg_error_oom(err);
	ld.hashed = &rs->digest->input;
	return load_file(rs, &ld, path, 0);
}

int pg_ruleset_load(struct pg_ruleset *rs, const char *path, const char *builtin_path,
		    struct pg_error *err)
{
	return load_top(rs, path, NULL, 0, builtin_path, err);
}

int pg_ruleset_load_buffer(struct pg_ruleset *rs, const char *name, const char *text, size_t len,
			   const char *builtin_path, struct pg_error *err)
{
	return load_top(rs, name, text ? text : "", len, builtin_path, err);
}
