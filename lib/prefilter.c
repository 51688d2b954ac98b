#include "prefilter.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "atomic_file.h"
#include "buf.h"
#include "hs_loader.h"

#define CACHE_FORMAT "pg-prefilter-4"

/* Pattern ids: a rule's regex (prefilter mode) has the rule's index; its
 * keywords are literals with KW_PRESENT (one report enough) or, for a rule
 * run in windows, KW_HIT (every occurrence, with its end offset). */
#define KW_PRESENT 0x40000000u
#define KW_HIT 0x80000000u
#define RULE_OF(id) ((id) & ~(KW_PRESENT | KW_HIT))

/* How a rule is prefiltered (one byte per rule in the cache file). */
enum { BY_REGEX, BY_KEYWORD, ALWAYS, WINDOWED };

struct pg_prefilter {
	hs_database_t *db;     /* NULL when no rule is prefiltered */
	size_t nrules;
	unsigned char *how;    /* per rule */
	bool *always;          /* rules that run on every blob */
	bool *has_keywords;    /* rules whose regex must also find a keyword */
	size_t by_regex, by_keyword, nalways, windowed;
	enum pg_prefilter_source source;
};

struct pg_prefilter_scratch {
	hs_scratch_t *hs;
	size_t nrules;
	bool *regex_hit, *kw_present;   /* per rule, for the text being scanned */
	struct pg_keyword_hits *hits;   /* per rule; only windowed rules fill theirs */
};

struct pattern_set {
	char **exprs;
	unsigned *flags, *ids;
	size_t n, alloc;
};

static int add_pattern(struct pattern_set *ps, char *expr, unsigned flags, unsigned id)
{
	if (!expr)
		return -1;
	if (ps->n == ps->alloc) {
		size_t n = ps->alloc ? ps->alloc * 2 : 256;
		char **e = realloc(ps->exprs, n * sizeof(*e));
		unsigned *f = e ? realloc(ps->flags, n * sizeof(*f)) : NULL;
		unsigned *i = f ? realloc(ps->ids, n * sizeof(*i)) : NULL;

		if (e)
			ps->exprs = e;
		if (f)
			ps->flags = f;
		if (!i) {
			free(expr);
			return -1;
		}
		ps->ids = i;
		ps->alloc = n;
	}
	ps->exprs[ps->n] = expr;
	ps->flags[ps->n] = flags;
	ps->ids[ps->n] = id;
	ps->n++;
	return 0;
}

static void pattern_set_release(struct pattern_set *ps)
{
	for (size_t i = 0; i < ps->n; i++)
		free(ps->exprs[i]);
	free(ps->exprs);
	free(ps->flags);
	free(ps->ids);
}

/* A literal as a Hyperscan expression: every byte hex-escaped. */
static char *literal_expr(const char *lit)
{
	size_t n = strlen(lit);
	char *e = malloc(n * 4 + 1), *p = e;

	if (!e)
		return NULL;
	for (size_t i = 0; i < n; i++)
		p += sprintf(p, "\\x%02x", (unsigned char)lit[i]);
	*p = '\0';
	return e;
}

static bool hs_accepts(const char *expr, unsigned flags)
{
	hs_expr_info_t *info = NULL;
	hs_compile_error_t *cerr = NULL;
	bool ok = pg_hs.expression_info(expr, flags, &info, &cerr) == HS_SUCCESS;

	free(info);
	if (cerr)
		pg_hs.free_compile_error(cerr);
	return ok;
}

/* Rule i's keywords as caseless literals: reported once (KW_PRESENT) or at
 * every occurrence (KW_HIT, for a rule run in windows around them). */
static int add_keywords(struct pattern_set *ps, const struct pg_rule *r, unsigned id, unsigned kind)
{
	unsigned flags = HS_FLAG_CASELESS | (kind == KW_PRESENT ? HS_FLAG_SINGLEMATCH : 0);

	for (size_t k = 0; k < r->keywords.n; k++)
		if (add_pattern(ps, literal_expr(r->keywords.v[k]), flags, id | kind) < 0)
			return -1;
	return 0;
}

static char *cache_path(const struct pg_ruleset *rs, const char *dir)
{
	struct pg_buf b = PG_BUF_INIT;

	if (!dir || !*pg_ruleset_digest(rs))
		return NULL;
	pg_buf_addf(&b, "%s/%s-%s-%s.hsdb", dir, CACHE_FORMAT, pg_hs.version(), pg_ruleset_digest(rs));
	for (char *p = b.ptr + strlen(dir) + 1; *p; p++)
		if (*p == ' ' || *p == '/')
			*p = '_';
	return pg_buf_detach(&b);
}

/* The database file (the cache's and the shipped one alike): a header naming
 * the rules' digest, one byte per rule saying how it is prefiltered (the
 * classification costs as much as a small compile), then Hyperscan's
 * serialized database. */
#define DB_MAGIC "PGPF3\n"
#define DB_HEAD(nrules) (sizeof(DB_MAGIC) - 1 + 64 + 1 + (nrules))

/* "5.4.0" from "Version: 5.4.0 Features: AVX2 Mode: BLOCK" or "5.4.0 2023-01-01": the
 * first run of digits and dots after the prefix. */
static size_t version_span(const char *s, const char *prefix, const char **at)
{
	size_t n = strlen(prefix);

	if (strncmp(s, prefix, n))
		return 0;
	*at = s + n;
	return strspn(*at, "0123456789.");
}

/* Hyperscan's own account of the serialized bytes: built by this version, in
 * block mode. The platform (CPU features) is checked by hs_deserialize_database. */
static int check_info(const char *bytes, size_t len, const char *path, struct pg_error *err)
{
	char *info = NULL;
	const char *have, *want;
	size_t nhave, nwant;
	int ret = PG_ERR;

	hs_error_t hrc = pg_hs.serialized_database_info(bytes, len, &info);

	nwant = version_span(pg_hs.version(), "", &want);
	if (hrc == HS_DB_VERSION_ERROR && len >= 8) {
		/* the header's second u32, little-endian: major.minor.patch in its top three bytes */
		const unsigned char *v = (const unsigned char *)bytes + 4;

		ret = pg_error_set(err, PG_ERR, "%s was compiled by Hyperscan %u.%u.%u; this is %.*s",
				   path, v[3], v[2], v[1], (int)nwant, want);
		goto out;
	}
	if (hrc != HS_SUCCESS || !info) {
		ret = pg_error_set(err, PG_ERR, "%s: not a Hyperscan database", path);
		goto out;
	}
	nhave = version_span(info, "Version: ", &have);
	if (!nhave || nhave != nwant || strncmp(have, want, nhave)) {
		ret = pg_error_set(err, PG_ERR, "%s was compiled by Hyperscan %.*s; this is %.*s", path,
				   (int)nhave, nhave ? have : "", (int)nwant, want);
		goto out;
	}
	if (!strstr(info, "Mode: BLOCK")) {
		ret = pg_error_set(err, PG_ERR, "%s: not a block-mode database (%s)", path, info);
		goto out;
	}
	ret = 0;
out:
	free(info); /* hs_misc_alloc is malloc unless hs_set_allocator was called */
	return ret;
}

/* Reads a database file compiled from exactly rs. owner_only: the file must
 * belong to this user (the cache); otherwise to this user or root, writable by
 * no one else (the installed tree). */
static int db_load(hs_database_t **out, const char *path, const struct pg_ruleset *rs,
		   unsigned char *how, bool owner_only, struct pg_error *err)
{
	hs_database_t *db = NULL;
	struct stat st;
	char *bytes = NULL;
	size_t head = DB_HEAD(rs->n);
	const char *digest = pg_ruleset_digest(rs);
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW), ret = PG_ERR;
	hs_error_t hrc;

	*out = NULL;
	if (fd < 0) {
		ret = pg_error_set(err, PG_ERR, "cannot open %s: %s", path, strerror(errno));
		goto out;
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) ||
	    (owner_only ? st.st_uid != geteuid()
			: (st.st_uid != geteuid() && st.st_uid != 0) || (st.st_mode & 022))) {
		ret = pg_error_set(err, PG_ERR, "%s: not a regular file owned by this user%s", path,
				   owner_only ? "" : " or root, writable by no one else");
		goto out;
	}
	if ((size_t)st.st_size <= head || st.st_size > (256 << 20) ||
	    !(bytes = malloc((size_t)st.st_size)) || read(fd, bytes, (size_t)st.st_size) != st.st_size ||
	    memcmp(bytes, DB_MAGIC, sizeof(DB_MAGIC) - 1)) {
		ret = pg_error_set(err, PG_ERR, "%s: not a pushguard rules database", path);
		goto out;
	}
	if (!*digest || memcmp(bytes + sizeof(DB_MAGIC) - 1, digest, 64)) {
		ret = pg_error_set(err, PG_ERR, "%s was compiled from other rules than these", path);
		goto out;
	}
	if ((ret = check_info(bytes + head, (size_t)st.st_size - head, path, err)) < 0)
		goto out;
	hrc = pg_hs.deserialize_database(bytes + head, (size_t)st.st_size - head, &db);
	if (hrc != HS_SUCCESS) {
		db = NULL;
		ret = pg_error_set(err, PG_ERR, "%s: %s", path,
				   hrc == HS_DB_PLATFORM_ERROR ? "compiled for CPU features this machine lacks"
				   : hrc == HS_DB_VERSION_ERROR ? "compiled by another Hyperscan version"
				   : "damaged (Hyperscan cannot read it)");
		goto out;
	}
	memcpy(how, bytes + DB_HEAD(0), rs->n);
	*out = db;
	ret = 0;
out:
	free(bytes);
	if (fd >= 0)
		close(fd);
	return ret;
}

static int db_store(const char *path, const hs_database_t *db, const struct pg_ruleset *rs,
		    const unsigned char *how, mode_t mode, struct pg_error *err)
{
	struct pg_buf file = PG_BUF_INIT;
	char *bytes = NULL;
	size_t len = 0;
	int ret = PG_ERR;

	if (pg_hs.serialize_database(db, &bytes, &len) != HS_SUCCESS) {
		ret = pg_error_set(err, PG_ERR, "cannot serialize the secret-scanning database");
		goto out;
	}
	pg_buf_init(&file, DB_HEAD(rs->n) + len + 1);
	if (pg_buf_adds(&file, DB_MAGIC) < 0 || pg_buf_add(&file, pg_ruleset_digest(rs), 64) < 0 ||
	    pg_buf_adds(&file, "\n") < 0 || pg_buf_add(&file, how, rs->n) < 0 ||
	    pg_buf_add(&file, bytes, len) < 0) {
		ret = pg_error_oom(err);
		goto out;
	}
	ret = pg_atomic_file_write(path, file.ptr, file.len, mode, "the compiled rules database", err);
out:
	pg_buf_release(&file);
	free(bytes);
	return ret;
}

static int compile(hs_database_t **out, struct pattern_set *ps, const struct pg_ruleset *rs,
		   struct pg_prefilter *pf, const hs_platform_info_t *platform, struct pg_error *err)
{
	for (int attempt = 0; attempt < 1000; attempt++) {
		hs_compile_error_t *cerr = NULL;
		int bad;

		if (pg_hs.compile_multi((const char *const *)ps->exprs, ps->flags, ps->ids,
				     (unsigned)ps->n, HS_MODE_BLOCK, platform, out, &cerr) == HS_SUCCESS)
			return 0;
		bad = cerr ? cerr->expression : -1;
		if (bad < 0 || (size_t)bad >= ps->n || !(ps->flags[bad] & HS_FLAG_PREFILTER)) {
			int ret = pg_error_set(err, PG_ERR, "cannot build the secret-scanning database: %s",
					       cerr ? cerr->message : "unknown error");
			if (cerr)
				pg_hs.free_compile_error(cerr);
			return ret;
		}
		pg_hs.free_compile_error(cerr);
		/* This rule's regex is too much for Hyperscan: its keywords (already
		 * in the set) decide alone, or it runs on every blob. */
		{
			unsigned id = ps->ids[bad];

			free(ps->exprs[bad]);
			ps->exprs[bad] = ps->exprs[ps->n - 1];
			ps->flags[bad] = ps->flags[ps->n - 1];
			ps->ids[bad] = ps->ids[ps->n - 1];
			ps->n--;
			pf->how[id] = rs->rules[id].keywords.n ? BY_KEYWORD : ALWAYS;
			if (!ps->n)
				return 0;
		}
	}
	return pg_error_set(err, PG_ERR, "cannot build the secret-scanning database");
}

static void count(struct pg_prefilter *pf, const struct pg_ruleset *rs)
{
	const unsigned char *how = pf->how;

	pf->by_regex = pf->by_keyword = pf->nalways = pf->windowed = 0;
	for (size_t i = 0; i < pf->nrules; i++) {
		pf->always[i] = how[i] == ALWAYS;
		pf->has_keywords[i] = rs->rules[i].keywords.n > 0;
		pf->by_regex += how[i] == BY_REGEX;
		pf->by_keyword += how[i] == BY_KEYWORD;
		pf->nalways += how[i] == ALWAYS;
		pf->windowed += how[i] == WINDOWED;
	}
}

static struct pg_prefilter *prefilter_new(const struct pg_ruleset *rs)
{
	struct pg_prefilter *pf = calloc(1, sizeof(*pf));
	size_t n = rs->n ? rs->n : 1;

	if (!pf || !(pf->how = calloc(n, 1)) || !(pf->always = calloc(n, sizeof(*pf->always))) ||
	    !(pf->has_keywords = calloc(n, sizeof(*pf->has_keywords)))) {
		pg_prefilter_free(pf);
		return NULL;
	}
	pf->nrules = rs->n;
	return pf;
}

/* Classifies every rule into pf->how and compiles the database into pf. */
static int build_fresh(struct pg_prefilter *pf, const struct pg_ruleset *rs,
		       const hs_platform_info_t *platform, struct pg_error *err)
{
	struct pattern_set ps = { 0 };
	int ret = PG_ERR;

	for (size_t i = 0; i < rs->n; i++) {
		const struct pg_rule *r = &rs->rules[i];
		unsigned flags = HS_FLAG_PREFILTER | HS_FLAG_SINGLEMATCH | HS_FLAG_ALLOWEMPTY |
				 HS_FLAG_UTF8;

		if (r->regex_src && pg_rule_windowed(r)) {
			/* a generic rule: every keyword occurrence, for PCRE2 to look around */
			if (add_keywords(&ps, r, (unsigned)i, KW_HIT) < 0)
				goto oom;
			pf->how[i] = WINDOWED;
			continue;
		}
		if (r->regex_src && r->keywords.n && add_keywords(&ps, r, (unsigned)i, KW_PRESENT) < 0)
			goto oom;
		if (r->regex_src && hs_accepts(r->regex_src, flags)) {
			if (add_pattern(&ps, strdup(r->regex_src), flags, (unsigned)i) < 0)
				goto oom;
			pf->how[i] = BY_REGEX;
		} else if (r->regex_src && r->keywords.n) {
			pf->how[i] = BY_KEYWORD;
		} else {
			pf->how[i] = ALWAYS; /* path-only rules, and regexes with nothing to prefilter on */
		}
	}
	if (ps.n) {
		/* compile() demotes the rules whose regex Hyperscan cannot build */
		if ((ret = compile(&pf->db, &ps, rs, pf, platform, err)) < 0)
			goto out;
	}
	count(pf, rs);
	ret = 0;
	goto out;
oom:
	ret = pg_error_oom(err);
out:
	pattern_set_release(&ps);
	return ret;
}

int pg_prefilter_build(struct pg_prefilter **out, const struct pg_ruleset *rs,
		       const char *cache_dir, struct pg_error *err)
{
	struct pg_prefilter *pf = NULL;
	struct pg_error ignored = PG_ERROR_INIT;
	char *cpath = NULL;
	int ret = PG_ERR;

	*out = NULL;
	if ((ret = pg_hs_load(err)) < 0)
		goto out;
	if (!(pf = prefilter_new(rs))) {
		ret = pg_error_oom(err);
		goto out;
	}
	cpath = cache_path(rs, cache_dir);
	if (cpath && db_load(&pf->db, cpath, rs, pf->how, true, &ignored) == 0) {
		count(pf, rs);
		pf->source = PG_PREFILTER_CACHED;
		goto done;
	}
	if ((ret = build_fresh(pf, rs, NULL, err)) < 0)
		goto out;
	pf->source = PG_PREFILTER_COMPILED;
	/* best effort: a cache that cannot be written only costs compile time */
	if (cpath && pf->db)
		db_store(cpath, pf->db, rs, pf->how, 0644, &ignored);
done:
	*out = pf;
	pf = NULL;
	ret = 0;
out:
	free(cpath);
	pg_prefilter_free(pf);
	return ret;
}

int pg_prefilter_load(struct pg_prefilter **out, const struct pg_ruleset *rs, const char *path,
		      struct pg_error *err)
{
	struct pg_prefilter *pf = NULL;
	int ret = PG_ERR;

	*out = NULL;
	if ((ret = pg_hs_load(err)) < 0)
		goto out;
	if (!(pf = prefilter_new(rs))) {
		ret = pg_error_oom(err);
		goto out;
	}
	if ((ret = db_load(&pf->db, path, rs, pf->how, false, err)) < 0)
		goto out;
	count(pf, rs);
	pf->source = PG_PREFILTER_SHIPPED;
	*out = pf;
	pf = NULL;
	ret = 0;
out:
	pg_prefilter_free(pf);
	return ret;
}

int pg_prefilter_save(const struct pg_ruleset *rs, const char *path, bool portable, struct pg_error *err)
{
	/* portable: no CPU feature beyond the architecture's baseline, so that the
	 * file is read on whatever machine a package is installed on */
	const hs_platform_info_t generic = { HS_TUNE_FAMILY_GENERIC, 0, 0, 0 };
	struct pg_prefilter *pf = NULL;
	int ret = PG_ERR;

	if ((ret = pg_hs_load(err)) < 0)
		goto out;
	if (!(pf = prefilter_new(rs))) {
		ret = pg_error_oom(err);
		goto out;
	}
	if ((ret = build_fresh(pf, rs, portable ? &generic : NULL, err)) < 0)
		goto out;
	if (!pf->db) {
		ret = pg_error_set(err, PG_ERR, "no rule can be prefiltered: nothing to compile");
		goto out;
	}
	ret = db_store(path, pf->db, rs, pf->how, 0644, err);
out:
	pg_prefilter_free(pf);
	return ret;
}

enum pg_prefilter_source pg_prefilter_source(const struct pg_prefilter *pf)
{
	return pf->source;
}

void pg_prefilter_free(struct pg_prefilter *pf)
{
	if (!pf)
		return;
	if (pf->db)
		pg_hs.free_database(pf->db);
	free(pf->how);
	free(pf->always);
	free(pf->has_keywords);
	free(pf);
}

int pg_prefilter_scratch_new(struct pg_prefilter_scratch **out, const struct pg_prefilter *pf,
			     struct pg_error *err)
{
	struct pg_prefilter_scratch *s = calloc(1, sizeof(*s));
	size_t n = pf->nrules ? pf->nrules : 1;

	*out = NULL;
	if (!s || !(s->regex_hit = calloc(n, sizeof(*s->regex_hit))) ||
	    !(s->kw_present = calloc(n, sizeof(*s->kw_present))) || !(s->hits = calloc(n, sizeof(*s->hits)))) {
		pg_prefilter_scratch_free(s);
		return pg_error_oom(err);
	}
	s->nrules = pf->nrules;
	if (pf->db && pg_hs.alloc_scratch(pf->db, &s->hs) != HS_SUCCESS) {
		pg_prefilter_scratch_free(s);
		return pg_error_set(err, PG_ERR, "cannot allocate secret-scanning scratch space");
	}
	*out = s;
	return 0;
}

void pg_prefilter_scratch_free(struct pg_prefilter_scratch *s)
{
	if (!s)
		return;
	if (s->hs)
		pg_hs.free_scratch(s->hs);
	for (size_t i = 0; s->hits && i < s->nrules; i++)
		pg_keyword_hits_release(&s->hits[i]);
	free(s->hits);
	free(s->regex_hit);
	free(s->kw_present);
	free(s);
}

void pg_keyword_hits_add(struct pg_keyword_hits *h, size_t end)
{
	if (h->overflow)
		return;
	if (h->n == h->alloc) {
		size_t n = h->alloc ? h->alloc * 2 : 16;
		size_t *v = n <= PG_KEYWORD_HITS_MAX ? realloc(h->end, n * sizeof(*v)) : NULL;

		if (!v) { /* too many, or no memory: the rule runs on the whole text */
			h->overflow = true;
			return;
		}
		h->end = v;
		h->alloc = n;
	}
	h->end[h->n++] = end;
}

void pg_keyword_hits_release(struct pg_keyword_hits *h)
{
	free(h->end);
	*h = (struct pg_keyword_hits){ NULL, 0, 0, false };
}

struct scan_ctx {
	struct pg_prefilter_scratch *s;
	size_t base; /* offset of this chunk in the text */
};

static int on_match(unsigned id, unsigned long long from, unsigned long long to,
		    unsigned flags, void *arg)
{
	struct scan_ctx *ctx = arg;
	unsigned rule = RULE_OF(id);

	if (id & KW_HIT)
		pg_keyword_hits_add(&ctx->s->hits[rule], ctx->base + (size_t)to);
	else if (id & KW_PRESENT)
		ctx->s->kw_present[rule] = true;
	else
		ctx->s->regex_hit[rule] = true;
	return 0;
}

int pg_prefilter_scan(const struct pg_prefilter *pf, struct pg_prefilter_scratch *s,
		      const char *data, size_t len, bool *fired, struct pg_error *err)
{
	struct scan_ctx ctx = { s, 0 };

	memset(s->regex_hit, 0, pf->nrules * sizeof(*s->regex_hit));
	memset(s->kw_present, 0, pf->nrules * sizeof(*s->kw_present));
	for (size_t i = 0; i < pf->nrules; i++)
		s->hits[i].n = 0, s->hits[i].overflow = false;
	while (pf->db && ctx.base < len) {
		/* Hyperscan takes at most 4 GiB - 1 per call; blobs that large are
		 * refused long before by maxBlobSize, but stay correct anyway. */
		size_t left = len - ctx.base;
		unsigned chunk = left > 0xffff0000u ? 0xffff0000u : (unsigned)left;

		if (pg_hs.scan(pf->db, data + ctx.base, chunk, 0, s->hs, on_match, &ctx) != HS_SUCCESS)
			return pg_error_set(err, PG_ERR, "secret scanning failed inside Hyperscan");
		ctx.base += chunk;
	}
	for (size_t i = 0; i < pf->nrules; i++) {
		switch (pf->how[i]) {
		case BY_REGEX:
			fired[i] = s->regex_hit[i] && (!pf->has_keywords[i] || s->kw_present[i]);
			break;
		case BY_KEYWORD:
			fired[i] = s->kw_present[i];
			break;
		case WINDOWED:
			fired[i] = s->hits[i].n > 0 || s->hits[i].overflow;
			break;
		default:
			fired[i] = true;
		}
	}
	return 0;
}

const struct pg_keyword_hits *pg_prefilter_hits(const struct pg_prefilter_scratch *s, size_t rule)
{
	return rule < s->nrules ? &s->hits[rule] : NULL;
}

void pg_prefilter_stats(const struct pg_prefilter *pf, size_t *by_regex, size_t *by_keyword,
			size_t *always)
{
	*by_regex = pf->by_regex;
	*by_keyword = pf->by_keyword + pf->windowed;
	*always = pf->nalways;
}
