#include "policy.h"

#include <ctype.h>
#include <git2.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "alloc.h"
#include "buf.h"
#include "budget.h"
#include "build-config.h"
#include "check_secrets.h"
#include "glob.h"
#include "policy_ref.h"
#include "record.h"
#include "signature.h"
#include "tickets.h"

#define F(field) offsetof(struct pg_policy, field)
#define MODULE_KEY ((size_t)-1)

/* The push rules' keys, applied to typed fields of struct pg_policy. */
static const struct pg_key_def core_keys[] = {
	{ "pushguard.mode", PG_KEY_ENUM, "enforce|warn|off", "enforce (default) | warn (report, accept) | off",
	  "`enforce`", "`enforce` (refuse) | `warn` (report, accept) | `off`" },
	{ "pushguard.onError", PG_KEY_ENUM, "reject|accept", "reject (default) | accept: what an internal error or bad config does",
	  "`reject`", "`reject` | `accept`: what an internal error or invalid setting does" },
	{ "pushguard.policy", PG_KEY_STRING, NULL, "named policy (default: default) or a path to a policy file",
	  "`default`", "policy name or path (system file or repository only): `NAME` is `PREFIX/share/pushguard/policies/NAME.conf`, a value containing `/` is a path ([Layers](policy.md#configuration))" },
	{ "pushguard.refs.refs", PG_KEY_REF_GLOBS, NULL, "ref globs the refs rules apply to (default: all)",
	  "all refs", "limit the `refs` section's rules to these ref globs (multi; see [Sections scoped by ref](policy.md#globs-patterns-and-scoped-sections))" },
	{ "pushguard.refs.denyDelete", PG_KEY_REF_GLOBS, NULL, "ref globs that cannot be deleted (multi-valued)",
	  "", "ref globs that cannot be deleted (multi)" },
	{ "pushguard.refs.denyForcePush", PG_KEY_REF_GLOBS, NULL, "ref globs that only fast-forward (multi-valued)",
	  "", "ref globs that only accept fast-forwards (multi)" },
	{ "pushguard.refs.branchPattern", PG_KEY_REGEX, NULL, "PCRE2 that names of new branches must match",
	  "", "PCRE2 that the name of a **new** branch (without `refs/heads/`) must match" },
	{ "pushguard.refs.tagPattern", PG_KEY_REGEX, NULL, "PCRE2 that names of new tags must match",
	  "", "PCRE2 that the name of a **new** tag (without `refs/tags/`) must match" },
	{ "pushguard.commits.refs", PG_KEY_REF_GLOBS, NULL, "ref globs the commits rules apply to (default: all)",
	  "all refs", "limit the `commits` section's rules to these ref globs (multi; see [Sections scoped by ref](policy.md#globs-patterns-and-scoped-sections))" },
	{ "pushguard.commits.messagePattern", PG_KEY_REGEX, NULL, "PCRE2 every commit message must match",
	  "", "PCRE2 every new commit's message must match" },
	{ "pushguard.commits.rejectMessagePattern", PG_KEY_REGEX, NULL, "PCRE2 no commit message may match",
	  "", "PCRE2 no new commit's message may match" },
	{ "pushguard.commits.authorEmailPattern", PG_KEY_REGEX, NULL, "PCRE2 author emails must match", "", NULL },
	{ "pushguard.commits.committerEmailPattern", PG_KEY_REGEX, NULL, "PCRE2 committer emails must match", "", NULL },
	{ "pushguard.commits.requireSignoff", PG_KEY_BOOL, NULL, "require a Signed-off-by: line for the author (DCO)",
	  "`false`", "a `Signed-off-by:` line with the author's email (DCO)" },
	{ "pushguard.files.refs", PG_KEY_REF_GLOBS, NULL, "ref globs the files rules apply to (default: all)",
	  "all refs", "limit the `files` section's rules to these ref globs (multi; see [Sections scoped by ref](policy.md#globs-patterns-and-scoped-sections))" },
	{ "pushguard.files.deny", PG_KEY_PATH_GLOBS, NULL, "path globs that cannot be added (multi-valued)",
	  "", "path globs a push may not add (multi)" },
	{ "pushguard.files.maxSize", PG_KEY_SIZE, NULL, "largest file that can be added (512k, 100m; 0 = no limit)",
	  "no limit", "largest file a push may add, git-style size (`512k`, `100m`, `1g`; `0` = none)" },
	{ "pushguard.files.maxPathLength", PG_KEY_COUNT, NULL, "longest path in bytes (0 = no limit)",
	  "no limit", "longest path in bytes (`0` = none)" },
	{ NULL },
};

/* Where each core key lands in struct pg_policy, in core_keys order. */
static const size_t core_offsets[] = {
	F(mode), F(on_error), F(name), F(refs_scope), F(deny_delete), F(deny_force_push),
	F(branch_pattern), F(tag_pattern), F(commits_scope), F(message_pattern),
	F(reject_message_pattern), F(author_email_pattern), F(committer_email_pattern),
	F(require_signoff), F(files_scope), F(files_deny), F(files_max_size), F(files_max_path_length),
};
#undef F

/* Keys owned by other modules (signatures, tickets, ...): add their tables here. */
static const struct pg_key_def *const module_tables[] = {
	pg_secrets_keys,
	pg_tickets_keys,
	pg_signatures_keys,
	pg_reporting_keys,
	pg_budget_keys,
	pg_policy_ref_keys,
	NULL,
};

struct key {
	const struct pg_key_def *def;
	size_t offset; /* into struct pg_policy, or MODULE_KEY */
};

/* One raw "key = value" as read from a layer, in reading order. */
struct entry {
	struct key key;
	char *value;
	const char *origin; /* owned by the loader's origins list */
};

struct loader {
	struct pg_policy *p;
	struct entry *entries;
	size_t n, alloc;
	struct pg_strvec origins;
};

static const char *const BUILTIN = "built-in";

static bool find_key(const char *name, struct key *out)
{
	for (size_t i = 0; core_keys[i].name; i++) {
		if (!strcasecmp(core_keys[i].name, name)) {
			*out = (struct key){ &core_keys[i], core_offsets[i] };
			return true;
		}
	}
	for (size_t t = 0; module_tables[t]; t++)
		for (const struct pg_key_def *d = module_tables[t]; d->name; d++)
			if (!strcasecmp(d->name, name)) {
				*out = (struct key){ d, MODULE_KEY };
				return true;
			}
	return false;
}

const struct pg_key_def *pg_policy_key(size_t i)
{
	size_t n = sizeof(core_keys) / sizeof(*core_keys) - 1;

	if (i < n)
		return &core_keys[i];
	i -= n;
	for (size_t t = 0; module_tables[t]; t++)
		for (const struct pg_key_def *d = module_tables[t]; d->name; d++)
			if (!i--)
				return d;
	return NULL;
}

static bool is_multi(enum pg_key_kind k)
{
	return k == PG_KEY_STRINGS || k == PG_KEY_REF_GLOBS || k == PG_KEY_PATH_GLOBS;
}

static void problem(struct pg_policy *p, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void problem(struct pg_policy *p, const char *fmt, ...)
{
	struct pg_buf b = PG_BUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	pg_buf_vaddf(&b, fmt, ap);
	va_end(ap);
	pg_strvec_push(&p->problems, pg_buf_failed(&b) ? "out of memory describing a configuration problem" : b.ptr);
	pg_buf_release(&b);
}

static int add_entry(struct loader *l, const char *name, const char *value, const char *origin)
{
	struct key key;

	if (!find_key(name, &key))
		return -1;
	if (PG_GROW(l->entries, l->n + 1, l->alloc) < 0)
		return -1;
	l->entries[l->n].key = key;
	l->entries[l->n].origin = origin;
	if (!(l->entries[l->n].value = strdup(value)))
		return -1;
	l->n++;
	return 0;
}

/* Reads every pushguard.* entry of one file, in file order. `may_name_policy`
 * false makes pushguard.policy a problem (a policy file cannot name another). */
static int read_layer(struct loader *l, const char *path, bool may_name_policy, struct pg_error *err)
{
	git_config *cfg = NULL;
	git_config_iterator *it = NULL;
	git_config_entry *e;
	const char *origin;
	int ret = PG_ERR, rc;

	if (pg_strvec_push(&l->origins, path) < 0)
		return pg_error_oom(err);
	origin = l->origins.v[l->origins.n - 1];
	if (git_config_open_ondisk(&cfg, path) < 0) {
		problem(l->p, "%s: cannot be read as git-config: %s", path,
			git_error_last() ? git_error_last()->message : "unknown error");
		ret = 0;
		goto out;
	}
	/* Not git_config_iterator_glob_new(): libgit2 1.5 leaks its match data
	 * for every key that does not match. */
	if (git_config_iterator_new(&it, cfg) < 0) {
		problem(l->p, "%s: cannot be parsed: %s", path,
			git_error_last() ? git_error_last()->message : "unknown error");
		ret = 0;
		goto out;
	}
	while ((rc = git_config_next(&e, it)) == 0) {
		struct key key;

		if (strncasecmp(e->name, "pushguard.", 10))
			continue;
		if (!find_key(e->name, &key)) {
			problem(l->p, "unknown key '%s' in %s (`pushguard help config` lists them)", e->name, path);
			continue;
		}
		if (key.def == &core_keys[2] && !may_name_policy) {
			problem(l->p, "%s: pushguard.policy cannot be set in a policy file; set it in the "
				"repository's config or the system file", path);
			continue;
		}
		if (add_entry(l, e->name, e->value ? e->value : (key.def->kind == PG_KEY_BOOL ? "true" : ""),
			      origin) < 0) {
			ret = pg_error_oom(err);
			goto out;
		}
	}
	if (rc != GIT_ITEROVER)
		problem(l->p, "%s: cannot be parsed: %s", path,
			git_error_last() ? git_error_last()->message : "unknown error");
	ret = 0;
out:
	git_config_iterator_free(it);
	git_config_free(cfg);
	return ret;
}

/* The policy ref's pushguard.conf, parsed from memory: each value's origin
 * is "REF:pushguard.conf:LINE". */
struct ref_layer {
	struct loader *l;
	const char *file; /* "REF:pushguard.conf" */
	struct pg_error *err;
};

static int ref_entry(void *ctx, const char *name, const char *value, int line)
{
	struct ref_layer *rl = ctx;
	struct loader *l = rl->l;
	struct pg_buf origin = PG_BUF_INIT;
	struct key key;
	int ret = 0;

	pg_buf_addf(&origin, "%s:%d", rl->file, line);
	if (pg_buf_failed(&origin) || pg_strvec_push(&l->origins, origin.ptr) < 0) {
		ret = pg_error_oom(rl->err);
		goto out;
	}
	if (strncasecmp(name, "pushguard.", 10)) {
		problem(l->p, "%s: '%s': only pushguard.* keys can be set in a policy ref", origin.ptr, name);
		goto out;
	}
	if (!find_key(name, &key)) {
		problem(l->p, "unknown key '%s' in %s (`pushguard help config` lists them)", name, origin.ptr);
		goto out;
	}
	if (pg_policy_ref_key_refused(key.def)) {
		problem(l->p, "%s: %s cannot be set in a policy ref (it names a server path or URL, or governs the "
			"policy ref itself); set it in the system file or the repository's config", origin.ptr,
			key.def->name);
		goto out;
	}
	if (add_entry(l, name, value ? value : (key.def->kind == PG_KEY_BOOL ? "true" : ""),
		      l->origins.v[l->origins.n - 1]) < 0)
		ret = pg_error_oom(rl->err);
out:
	pg_buf_release(&origin);
	return ret;
}

static int read_ref_layer(struct loader *l, const struct pg_policy_ref *ref, struct pg_error *err)
{
	char file[1024];
	struct ref_layer rl = { l, file, err };
	struct pg_error perr = PG_ERROR_INIT;
	int rc;

	if (!ref->conf.data)
		return 0;
	pg_policy_ref_name(ref, &ref->conf, file, sizeof(file));
	rc = pg_gitconfig_parse(ref->conf.data, ref->conf.len, file, ref_entry, &rl, &perr);
	if (rc == PG_ERR)
		return err && err->code ? err->code : pg_error_set(err, PG_ERR, "%s", perr.msg);
	if (rc < 0)
		problem(l->p, "%s", perr.msg);
	return 0;
}

static const char *env_or(const char *var, const char *fallback)
{
	const char *v = getenv(var);

	return v && *v ? v : fallback;
}

static int add_setting(struct pg_policy *p, const char *key, const char *value, const char *origin)
{
	struct pg_setting *s = realloc(p->settings, (p->nsettings + 1) * sizeof(*s));

	if (!s)
		return -1;
	p->settings = s;
	s = &p->settings[p->nsettings];
	s->key = key;
	s->value = strdup(value);
	s->origin = strdup(origin);
	if (!s->value || !s->origin) {
		free(s->value);
		free(s->origin);
		return -1;
	}
	p->nsettings++;
	return 0;
}

int64_t pg_policy_parse_duration(const char *s)
{
	char *end;
	double v;

	if (!*s || isspace((unsigned char)*s) || *s == '-')
		return -1;
	v = strtod(s, &end);
	if (end == s)
		return -1;
	if (!*end || !strcmp(end, "s"))
		v *= 1000;
	else if (!strcmp(end, "ms"))
		;
	else if (!strcmp(end, "m"))
		v *= 60000;
	else if (!strcmp(end, "h"))
		v *= 3600000;
	else
		return -1;
	if (v < 0 || v > 1e15)
		return -1;
	return (int64_t)v;
}

static bool in_choices(const char *choices, const char *v)
{
	size_t n = strlen(v);

	for (const char *c = choices; c && *c;) {
		const char *bar = strchrnul(c, '|');

		if ((size_t)(bar - c) == n && !strncasecmp(c, v, n))
			return true;
		c = *bar ? bar + 1 : bar;
	}
	return false;
}

/* Checks one effective value against its key's kind. */
static bool valid(struct pg_policy *p, const struct entry *e)
{
	const struct pg_key_def *d = e->key.def;
	const char *v = e->value, *why;
	int64_t n;
	int b;

	switch (d->kind) {
	case PG_KEY_BOOL:
		if (git_config_parse_bool(&b, v) == 0)
			return true;
		problem(p, "%s = '%s' in %s: expected true or false", d->name, v, e->origin);
		return false;
	case PG_KEY_SIZE:
		if (*v && git_config_parse_int64(&n, v) == 0 && n >= 0)
			return true;
		problem(p, "%s = '%s' in %s: expected a size such as 512k, 100m or 1g (0 = no limit)",
			d->name, v, e->origin);
		return false;
	case PG_KEY_COUNT:
		if (*v && strspn(v, "0123456789") == strlen(v) && strlen(v) < 18)
			return true;
		problem(p, "%s = '%s' in %s: expected a whole number (0 = no limit)", d->name, v, e->origin);
		return false;
	case PG_KEY_DURATION:
		if (pg_policy_parse_duration(v) >= 0)
			return true;
		problem(p, "%s = '%s' in %s: expected a duration such as 3s, 500ms or 2m", d->name, v, e->origin);
		return false;
	case PG_KEY_STRING:
		return true;
	case PG_KEY_ENUM:
		if (in_choices(d->choices, v))
			return true;
		problem(p, "%s = '%s' in %s: expected one of %s", d->name, v, e->origin, d->choices);
		return false;
	case PG_KEY_REGEX: {
		struct pg_regex *re = NULL;
		struct pg_error rerr = PG_ERROR_INIT;
		char what[512];

		if (!*v)
			return true; /* empty: unset */
		snprintf(what, sizeof(what), "%s in %s", d->name, e->origin);
		if (pg_regex_compile(&re, v, what, &rerr) < 0) {
			problem(p, "%s", rerr.msg);
			return false;
		}
		pg_regex_free(re);
		return true;
	}
	case PG_KEY_PATH:
		if (v[0] == '/')
			return true;
		problem(p, "%s = '%s' in %s: expected an absolute path", d->name, v, e->origin);
		return false;
	case PG_KEY_URL:
		if ((!strncasecmp(v, "http://", 7) && v[7]) || (!strncasecmp(v, "https://", 8) && v[8])) {
			if (!strpbrk(v, " \t\r\n"))
				return true;
		}
		problem(p, "%s = '%s' in %s: expected an http:// or https:// URL", d->name, v, e->origin);
		return false;
	case PG_KEY_STRINGS:
		return true;
	case PG_KEY_REF_GLOBS:
	case PG_KEY_PATH_GLOBS:
		if ((why = pg_glob_check(v))) {
			problem(p, "%s = '%s' in %s: invalid glob: %s", d->name, v, e->origin, why);
			return false;
		}
		if (d->kind == PG_KEY_REF_GLOBS && strncmp(v, "refs/", 5)) {
			problem(p, "%s = '%s' in %s: not a full ref name; write refs/heads/%s or refs/tags/%s",
				d->name, v, e->origin, v, v);
			return false;
		}
		return true;
	}
	return false;
}

/* Stores a valid value of a core key in its typed field. */
static void apply_core(struct pg_policy *p, const struct entry *e)
{
	void *field = (char *)p + e->key.offset;
	const char *v = e->value;
	int64_t n;
	int b;

	if (e->key.offset == offsetof(struct pg_policy, mode)) {
		p->mode = !strcasecmp(v, "warn") ? PG_MODE_WARN : !strcasecmp(v, "off") ? PG_MODE_OFF
											: PG_MODE_ENFORCE;
		return;
	}
	if (e->key.offset == offsetof(struct pg_policy, on_error)) {
		p->on_error = !strcasecmp(v, "accept") ? PG_ON_ERROR_ACCEPT : PG_ON_ERROR_REJECT;
		return;
	}
	switch (e->key.def->kind) {
	case PG_KEY_BOOL:
		git_config_parse_bool(&b, v);
		*(bool *)field = b != 0;
		break;
	case PG_KEY_SIZE:
	case PG_KEY_COUNT:
		git_config_parse_int64(&n, v);
		*(int64_t *)field = n;
		break;
	case PG_KEY_REGEX: {
		char what[512];

		pg_regex_free(*(struct pg_regex **)field);
		*(struct pg_regex **)field = NULL;
		snprintf(what, sizeof(what), "%s in %s", e->key.def->name, e->origin);
		if (*v)
			pg_regex_compile(field, v, what, NULL);
		break;
	}
	case PG_KEY_REF_GLOBS:
	case PG_KEY_PATH_GLOBS:
		pg_strvec_push(field, v);
		break;
	default:
		break; /* pushguard.policy: resolved before the layers are read */
	}
}

/* Validates, applies and records the effective value(s) of every key. */
static int settle(struct pg_policy *p, const struct loader *l)
{
	for (size_t i = 0; i < l->n; i++) {
		const struct entry *e = &l->entries[i];
		bool effective = true;

		if (is_multi(e->key.def->kind)) {
			/* survives unless a later empty value of the same key clears it */
			for (size_t j = i + 1; j < l->n && effective; j++)
				if (l->entries[j].key.def == e->key.def && !*l->entries[j].value)
					effective = false;
			if (!*e->value)
				effective = false;
		} else {
			for (size_t j = i + 1; j < l->n && effective; j++)
				if (l->entries[j].key.def == e->key.def)
					effective = false;
		}
		/* every layer's values are checked, even those a higher layer overrides */
		if (!*e->value && is_multi(e->key.def->kind))
			continue;
		if (!valid(p, e) || !effective)
			continue;
		if (add_setting(p, e->key.def->name, e->value, e->origin) < 0)
			return -1;
		if (e->key.offset != MODULE_KEY)
			apply_core(p, e);
	}
	return 0;
}

static char *resolve_policy(struct pg_policy *p, const struct entry *e, const char *dir, bool report)
{
	const char *name = e->value;
	char *path = NULL;

	if (!*name) {
		if (report)
			problem(p, "pushguard.policy is empty in %s: name a policy (default, strict, ...) or a file",
				e->origin);
		return NULL;
	}
	if (strchr(name, '/')) {
		path = strdup(name);
	} else {
		size_t n = strlen(dir) + strlen(name) + 8;

		if ((path = malloc(n)))
			snprintf(path, n, "%s/%s.conf", dir, name);
	}
	if (path && access(path, R_OK) < 0) {
		if (report)
			problem(p, "pushguard.policy = '%s' in %s: cannot read %s", name, e->origin, path);
		free(path);
		return NULL;
	}
	return path;
}

void pg_policy_init(struct pg_policy *p)
{
	memset(p, 0, sizeof(*p));
	p->mode = PG_MODE_ENFORCE;
	p->on_error = PG_ON_ERROR_REJECT;
}

void pg_policy_release(struct pg_policy *p)
{
	for (size_t k = 0; core_keys[k].name; k++) {
		void *field = (char *)p + core_offsets[k];

		if (core_keys[k].kind == PG_KEY_REGEX)
			pg_regex_free(*(struct pg_regex **)field);
		else if (is_multi(core_keys[k].kind))
			pg_strvec_release(field);
	}
	for (size_t i = 0; i < p->nsettings; i++) {
		free(p->settings[i].value);
		free(p->settings[i].origin);
	}
	free(p->settings);
	free(p->name);
	free(p->policy_file);
	pg_strvec_release(&p->problems);
	if (p->ref_owned) {
		pg_policy_ref_release(p->ref_owned);
		free(p->ref_owned);
	}
	pg_policy_init(p);
}

static void loader_release(struct loader *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->entries[i].value);
	free(l->entries);
	pg_strvec_release(&l->origins);
}

/* The effective pushguard.policy among the entries read so far. */
static const struct entry *policy_entry(const struct loader *l)
{
	const struct entry *last = NULL;

	for (size_t i = 0; i < l->n; i++)
		if (l->entries[i].key.def == &core_keys[2])
			last = &l->entries[i];
	return last;
}

int pg_policy_load(struct pg_policy *p, const struct pg_policy_paths *paths,
		   struct pg_error *err)
{
	const char *system_file = paths->system_file ? paths->system_file
		: env_or("PUSHGUARD_SYSTEM_CONFIG", PG_SYSCONFDIR "/pushguard/config");
	const char *policy_dir = paths->policy_dir ? paths->policy_dir
		: env_or("PUSHGUARD_POLICY_DIR", PG_DATADIR "/pushguard/policies");
	bool have_system = access(system_file, F_OK) == 0;
	bool have_repo = paths->repo_config && access(paths->repo_config, F_OK) == 0;
	struct loader peek = { p, NULL, 0, 0, PG_STRVEC_INIT };
	struct loader l = { p, NULL, 0, 0, PG_STRVEC_INIT };
	const struct entry *pe;
	int ret = PG_ERR;

	/* Which policy? The system file and the repository may say. Problems
	 * seen while peeking are reported once, by the full read below. */
	if (add_entry(&peek, "pushguard.policy", "default", BUILTIN) < 0 ||
	    (have_system && read_layer(&peek, system_file, true, err) < 0) ||
	    (have_repo && read_layer(&peek, paths->repo_config, true, err) < 0))
		goto fail;
	pg_strvec_clear(&p->problems);
	pe = policy_entry(&peek);
	if (!(p->name = strdup(pe->value)))
		goto fail;
	p->policy_file = resolve_policy(p, pe, policy_dir, false);
	p->ref = paths->ref;

	if (add_entry(&l, "pushguard.mode", "enforce", BUILTIN) < 0 ||
	    add_entry(&l, "pushguard.onError", "reject", BUILTIN) < 0 ||
	    add_entry(&l, "pushguard.policy", "default", BUILTIN) < 0 ||
	    (have_system && read_layer(&l, system_file, true, err) < 0) ||
	    (p->policy_file && read_layer(&l, p->policy_file, false, err) < 0) ||
	    (paths->ref && read_ref_layer(&l, paths->ref, err) < 0) ||
	    (have_repo && read_layer(&l, paths->repo_config, true, err) < 0))
		goto fail;
	if (!p->policy_file)
		free(resolve_policy(p, pe, policy_dir, true));
	if (settle(p, &l) < 0)
		goto fail;
	if (p->problems.n) {
		ret = pg_error_set(err, PG_ECONFIG, "%s%s", p->problems.v[0],
				   p->problems.n > 1 ? " (and more: run `pushguard check`)" : "");
		goto out;
	}
	ret = 0;
	goto out;
fail:
	if (!err || !err->code)
		ret = pg_error_oom(err);
	else
		ret = err->code;
out:
	loader_release(&peek);
	loader_release(&l);
	return ret;
}

bool pg_policy_scope_matches(const struct pg_strvec *scope, const char *ref)
{
	if (!scope->n)
		return true;
	for (size_t i = 0; i < scope->n; i++)
		if (pg_glob_match(scope->v[i], ref))
			return true;
	return false;
}

const char *pg_policy_mode_name(enum pg_mode mode)
{
	switch (mode) {
	case PG_MODE_WARN:
		return "warn";
	case PG_MODE_OFF:
		return "off";
	default:
		return "enforce";
	}
}

const struct pg_setting *pg_policy_setting(const struct pg_policy *p, const char *key)
{
	for (size_t i = p->nsettings; i-- > 0;)
		if (!strcasecmp(p->settings[i].key, key))
			return &p->settings[i];
	return NULL;
}

const char *pg_policy_origin(const struct pg_policy *p, const char *key)
{
	const struct pg_setting *s = pg_policy_setting(p, key);

	return s ? s->origin : BUILTIN;
}

const char *pg_policy_str(const struct pg_policy *p, const char *key, const char *def)
{
	const struct pg_setting *s = pg_policy_setting(p, key);

	return s ? s->value : def;
}

bool pg_policy_bool(const struct pg_policy *p, const char *key, bool def)
{
	const struct pg_setting *s = pg_policy_setting(p, key);
	int b;

	if (!s || git_config_parse_bool(&b, s->value) < 0)
		return def;
	return b != 0;
}

int64_t pg_policy_int(const struct pg_policy *p, const char *key, int64_t def)
{
	const struct pg_setting *s = pg_policy_setting(p, key);
	struct key k;
	int64_t n;

	if (!s || !find_key(key, &k))
		return def;
	if (k.def->kind == PG_KEY_DURATION)
		return (n = pg_policy_parse_duration(s->value)) < 0 ? def : n;
	return git_config_parse_int64(&n, s->value) < 0 ? def : n;
}

int pg_policy_list(const struct pg_policy *p, const char *key, struct pg_strvec *out)
{
	for (size_t i = 0; i < p->nsettings; i++)
		if (!strcasecmp(p->settings[i].key, key) && pg_strvec_push(out, p->settings[i].value) < 0)
			return -1;
	return 0;
}

/* ---- the handle and its accessors (pushguard.h) ---- */

int pg_policy_new(struct pg_policy **out, struct pg_error *err)
{
	if (!(*out = malloc(sizeof(**out))))
		return pg_error_oom(err);
	pg_policy_init(*out);
	return 0;
}

void pg_policy_free(struct pg_policy *p)
{
	if (!p)
		return;
	pg_policy_release(p);
	free(p);
}

enum pg_mode pg_policy_mode(const struct pg_policy *p)
{
	return p ? p->mode : PG_MODE_ENFORCE;
}

enum pg_on_error pg_policy_on_error(const struct pg_policy *p)
{
	return p ? p->on_error : PG_ON_ERROR_REJECT;
}

const char *pg_policy_name(const struct pg_policy *p)
{
	return p->name;
}

const char *pg_policy_file(const struct pg_policy *p)
{
	return p->policy_file;
}

size_t pg_policy_nsettings(const struct pg_policy *p)
{
	return p->nsettings;
}

const struct pg_setting *pg_policy_setting_at(const struct pg_policy *p, size_t i)
{
	return i < p->nsettings ? &p->settings[i] : NULL;
}

struct pg_strvec *pg_policy_problems(struct pg_policy *p)
{
	return &p->problems;
}
