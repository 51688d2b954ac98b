#include "policy.h"

#include <git2.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "buf.h"
#include "build-config.h"
#include "glob.h"

enum kind { K_MODE, K_ON_ERROR, K_POLICY, K_BOOL, K_SIZE, K_COUNT, K_REGEX, K_REF_GLOBS, K_PATH_GLOBS };

struct key_def {
	const char *name; /* canonical spelling; matched case-insensitively */
	enum kind kind;
	size_t offset;
	const char *help;
};

#define F(field) offsetof(struct pg_policy, field)
static const struct key_def keys[] = {
	{ "pushguard.mode", K_MODE, F(mode), "enforce (default) | warn (report, accept) | off" },
	{ "pushguard.onError", K_ON_ERROR, F(on_error), "reject (default) | accept: what an internal error or bad config does" },
	{ "pushguard.policy", K_POLICY, F(name), "named policy (default: default) or a path to a policy file" },
	{ "pushguard.refs.refs", K_REF_GLOBS, F(refs_scope), "ref globs the refs rules apply to (default: all)" },
	{ "pushguard.refs.denyDelete", K_REF_GLOBS, F(deny_delete), "ref globs that cannot be deleted (multi-valued)" },
	{ "pushguard.refs.denyForcePush", K_REF_GLOBS, F(deny_force_push), "ref globs that only fast-forward (multi-valued)" },
	{ "pushguard.refs.branchPattern", K_REGEX, F(branch_pattern), "PCRE2 that names of new branches must match" },
	{ "pushguard.refs.tagPattern", K_REGEX, F(tag_pattern), "PCRE2 that names of new tags must match" },
	{ "pushguard.commits.refs", K_REF_GLOBS, F(commits_scope), "ref globs the commits rules apply to (default: all)" },
	{ "pushguard.commits.messagePattern", K_REGEX, F(message_pattern), "PCRE2 every commit message must match" },
	{ "pushguard.commits.rejectMessagePattern", K_REGEX, F(reject_message_pattern), "PCRE2 no commit message may match" },
	{ "pushguard.commits.authorEmailPattern", K_REGEX, F(author_email_pattern), "PCRE2 author emails must match" },
	{ "pushguard.commits.committerEmailPattern", K_REGEX, F(committer_email_pattern), "PCRE2 committer emails must match" },
	{ "pushguard.commits.requireSignoff", K_BOOL, F(require_signoff), "bool: require Signed-off-by: for the author" },
	{ "pushguard.files.refs", K_REF_GLOBS, F(files_scope), "ref globs the files rules apply to (default: all)" },
	{ "pushguard.files.deny", K_PATH_GLOBS, F(files_deny), "path globs that cannot be added (multi-valued)" },
	{ "pushguard.files.maxSize", K_SIZE, F(files_max_size), "largest file that can be added (512k, 100m; 0 = no limit)" },
	{ "pushguard.files.maxPathLength", K_COUNT, F(files_max_path_length), "longest path in bytes (0 = no limit)" },
};
#undef F
#define NKEYS (sizeof(keys) / sizeof(*keys))

/* One raw "key = value" as read from a layer, in reading order. */
struct entry {
	const struct key_def *def;
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

static const struct key_def *find_key(const char *name)
{
	for (size_t i = 0; i < NKEYS; i++)
		if (!strcasecmp(keys[i].name, name))
			return &keys[i];
	return NULL;
}

static bool is_multi(enum kind k)
{
	return k == K_REF_GLOBS || k == K_PATH_GLOBS;
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
	pg_strvec_push(&p->problems, b.ptr);
	pg_buf_release(&b);
}

static int add_entry(struct loader *l, const struct key_def *def, const char *value,
		     const char *origin)
{
	if (l->n == l->alloc) {
		size_t n = l->alloc ? l->alloc * 2 : 32;
		void *e = realloc(l->entries, n * sizeof(*l->entries));

		if (!e)
			return -1;
		l->entries = e;
		l->alloc = n;
	}
	l->entries[l->n].def = def;
	l->entries[l->n].origin = origin;
	if (!(l->entries[l->n].value = strdup(value)))
		return -1;
	l->n++;
	return 0;
}

static const char *intern_origin(struct loader *l, const char *path)
{
	if (pg_strvec_push(&l->origins, path) < 0)
		return NULL;
	return l->origins.v[l->origins.n - 1];
}

/* Reads every pushguard.* entry of one file, in file order. `want_policy`
 * false makes pushguard.policy a problem (a policy file cannot name another). */
static int read_layer(struct loader *l, const char *path, bool want_policy, struct pg_error *err)
{
	git_config *cfg = NULL;
	git_config_iterator *it = NULL;
	git_config_entry *e;
	const char *origin;
	int ret = -1, rc;

	if (!(origin = intern_origin(l, path)))
		return pg_error_set(err, PG_ERR, "out of memory");
	if (git_config_open_ondisk(&cfg, path) < 0) {
		problem(l->p, "%s: cannot be read as git-config: %s", path,
			git_error_last() ? git_error_last()->message : "unknown error");
		ret = 0;
		goto out;
	}
	if (git_config_iterator_glob_new(&it, cfg, "^pushguard\\.") < 0) {
		ret = pg_error_git(err, "%s: cannot list pushguard keys", path);
		goto out;
	}
	while ((rc = git_config_next(&e, it)) == 0) {
		const struct key_def *def = find_key(e->name);

		if (!def) {
			problem(l->p, "unknown key '%s' in %s (see `pushguard help config`)", e->name, path);
			continue;
		}
		if (def->kind == K_POLICY && !want_policy) {
			problem(l->p, "%s: %s cannot be set in a policy file; set it in the repository's config or the system file",
				path, def->name);
			continue;
		}
		if (add_entry(l, def, e->value ? e->value : "", origin) < 0) {
			ret = pg_error_set(err, PG_ERR, "out of memory");
			goto out;
		}
	}
	if (rc != GIT_ITEROVER) {
		problem(l->p, "%s: cannot be parsed: %s", path,
			git_error_last() ? git_error_last()->message : "unknown error");
	}
	ret = 0;
out:
	git_config_iterator_free(it);
	git_config_free(cfg);
	return ret;
}

static const char *env_or(const char *var, const char *fallback)
{
	const char *v = getenv(var);

	return v && *v ? v : fallback;
}

static int setting(struct pg_policy *p, const char *key, const char *value, const char *origin)
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

static bool parse_bool(const char *v, bool *out)
{
	int b;

	if (git_config_parse_bool(&b, v) < 0)
		return false;
	*out = b != 0;
	return true;
}

/* Applies the effective value of one single-valued key. */
static void apply_single(struct pg_policy *p, const struct entry *e)
{
	void *field = (char *)p + e->def->offset;
	const char *v = e->value;
	const char *key = e->def->name;

	switch (e->def->kind) {
	case K_MODE:
		if (!strcasecmp(v, "enforce"))
			p->mode = PG_MODE_ENFORCE;
		else if (!strcasecmp(v, "warn"))
			p->mode = PG_MODE_WARN;
		else if (!strcasecmp(v, "off"))
			p->mode = PG_MODE_OFF;
		else
			problem(p, "%s = '%s' in %s: expected enforce, warn or off", key, v, e->origin);
		break;
	case K_ON_ERROR:
		if (!strcasecmp(v, "reject"))
			p->on_error = PG_ON_ERROR_REJECT;
		else if (!strcasecmp(v, "accept"))
			p->on_error = PG_ON_ERROR_ACCEPT;
		else
			problem(p, "%s = '%s' in %s: expected reject or accept", key, v, e->origin);
		break;
	case K_POLICY:
		break; /* resolved before the policy layer is read */
	case K_BOOL:
		if (!parse_bool(v, field))
			problem(p, "%s = '%s' in %s: expected true or false", key, v, e->origin);
		break;
	case K_SIZE:
	case K_COUNT: {
		int64_t n;

		if (!*v || git_config_parse_int64(&n, v) < 0 || n < 0 ||
		    (e->def->kind == K_COUNT && strspn(v, "0123456789") != strlen(v)))
			problem(p, "%s = '%s' in %s: expected %s", key, v, e->origin,
				e->def->kind == K_SIZE ? "a size such as 512k, 100m or 1g (0 = no limit)"
						       : "a whole number (0 = no limit)");
		else
			*(int64_t *)field = n;
		break;
	}
	case K_REGEX: {
		struct pg_regex **re = field;
		struct pg_error rerr = PG_ERROR_INIT;
		char what[512];

		pg_regex_free(*re);
		*re = NULL;
		if (!*v)
			break; /* empty: unset */
		snprintf(what, sizeof(what), "%s in %s", key, e->origin);
		if (pg_regex_compile(re, v, what, &rerr) < 0)
			problem(p, "%s", rerr.msg);
		break;
	}
	case K_REF_GLOBS:
	case K_PATH_GLOBS:
		break;
	}
}

static void apply_multi(struct pg_policy *p, const struct entry *e)
{
	struct pg_strvec *sv = (struct pg_strvec *)((char *)p + e->def->offset);
	const char *why;

	if (!*e->value) {
		pg_strvec_clear(sv);
		return;
	}
	if ((why = pg_glob_check(e->value))) {
		problem(p, "%s = '%s' in %s: invalid glob: %s", e->def->name, e->value, e->origin, why);
		return;
	}
	if (e->def->kind == K_REF_GLOBS && strncmp(e->value, "refs/", 5)) {
		problem(p, "%s = '%s' in %s: not a full ref name; write refs/heads/%s or refs/tags/%s",
			e->def->name, e->value, e->origin, e->value, e->value);
		return;
	}
	pg_strvec_push(sv, e->value);
}

static int record_settings(struct pg_policy *p, struct loader *l)
{
	for (size_t k = 0; k < NKEYS; k++) {
		const struct key_def *def = &keys[k];
		const struct entry *last = NULL;

		if (is_multi(def->kind)) {
			/* values that survived the last clearing */
			size_t start = 0;

			for (size_t i = 0; i < l->n; i++)
				if (l->entries[i].def == def && !*l->entries[i].value)
					start = i + 1;
			for (size_t i = start; i < l->n; i++)
				if (l->entries[i].def == def &&
				    setting(p, def->name, l->entries[i].value, l->entries[i].origin) < 0)
					return -1;
			continue;
		}
		for (size_t i = 0; i < l->n; i++)
			if (l->entries[i].def == def)
				last = &l->entries[i];
		if (last && setting(p, def->name, last->value, last->origin) < 0)
			return -1;
	}
	return 0;
}

/* The effective pushguard.policy among the entries read so far. */
static const struct entry *policy_entry(const struct loader *l)
{
	const struct entry *last = NULL;

	for (size_t i = 0; i < l->n; i++)
		if (l->entries[i].def->kind == K_POLICY)
			last = &l->entries[i];
	return last;
}

static char *resolve_policy(struct pg_policy *p, const struct entry *e, const char *dir)
{
	const char *name = e->value;
	char *path = NULL;

	if (!*name) {
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
	for (size_t k = 0; k < NKEYS; k++) {
		void *field = (char *)p + keys[k].offset;

		if (keys[k].kind == K_REGEX)
			pg_regex_free(*(struct pg_regex **)field);
		else if (is_multi(keys[k].kind))
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
	pg_policy_init(p);
}

int pg_policy_load(struct pg_policy *p, const struct pg_policy_paths *paths,
		   struct pg_error *err)
{
	struct loader l = { p, NULL, 0, 0, PG_STRVEC_INIT };
	const char *system_file = paths->system_file ? paths->system_file
		: env_or("PUSHGUARD_SYSTEM_CONFIG", PG_SYSCONFDIR "/pushguard/config");
	const char *policy_dir = paths->policy_dir ? paths->policy_dir
		: env_or("PUSHGUARD_POLICY_DIR", PG_DATADIR "/pushguard/policies");
	const struct entry *pe;
	struct loader sys_repo = { p, NULL, 0, 0, PG_STRVEC_INIT };
	int ret = PG_ERR;

	/* Which policy? The system file and the repository may say. */
	if (add_entry(&sys_repo, find_key("pushguard.policy"), "default", BUILTIN) < 0)
		goto oom;
	if (access(system_file, F_OK) == 0 && read_layer(&sys_repo, system_file, true, err) < 0)
		goto out;
	if (paths->repo_config && access(paths->repo_config, F_OK) == 0 &&
	    read_layer(&sys_repo, paths->repo_config, true, err) < 0)
		goto out;
	pe = policy_entry(&sys_repo);
	if (!(p->name = strdup(pe->value)))
		goto oom;
	p->policy_file = resolve_policy(p, pe, policy_dir);

	/* Discard problems found while peeking; the full read reports them once. */
	pg_strvec_clear(&p->problems);

	if (add_entry(&l, find_key("pushguard.mode"), "enforce", BUILTIN) < 0 ||
	    add_entry(&l, find_key("pushguard.onError"), "reject", BUILTIN) < 0 ||
	    add_entry(&l, find_key("pushguard.policy"), "default", BUILTIN) < 0)
		goto oom;
	if (access(system_file, F_OK) == 0 && read_layer(&l, system_file, true, err) < 0)
		goto out;
	if (p->policy_file && read_layer(&l, p->policy_file, false, err) < 0)
		goto out;
	if (paths->repo_config && access(paths->repo_config, F_OK) == 0 &&
	    read_layer(&l, paths->repo_config, true, err) < 0)
		goto out;
	if (!p->policy_file) /* report the unresolvable policy after any parse problems */
		free(resolve_policy(p, pe, policy_dir));

	/* onError first, so that it is known even when other values are bad. */
	for (size_t k = 0; k < NKEYS; k++) {
		const struct entry *last = NULL;

		if (is_multi(keys[k].kind)) {
			for (size_t i = 0; i < l.n; i++)
				if (l.entries[i].def == &keys[k])
					apply_multi(p, &l.entries[i]);
			continue;
		}
		for (size_t i = 0; i < l.n; i++)
			if (l.entries[i].def == &keys[k])
				last = &l.entries[i];
		if (last)
			apply_single(p, last);
	}
	if (record_settings(p, &l) < 0)
		goto oom;

	if (p->problems.n) {
		ret = pg_error_set(err, PG_ECONFIG, "%s%s", p->problems.v[0],
				   p->problems.n > 1 ? " (and more: run `pushguard check`)" : "");
		goto out;
	}
	ret = 0;
	goto out;
oom:
	ret = pg_error_set(err, PG_ERR, "out of memory");
out:
	for (size_t i = 0; i < l.n; i++)
		free(l.entries[i].value);
	for (size_t i = 0; i < sys_repo.n; i++)
		free(sys_repo.entries[i].value);
	free(l.entries);
	free(sys_repo.entries);
	pg_strvec_release(&l.origins);
	pg_strvec_release(&sys_repo.origins);
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

const char *pg_policy_key(size_t i, const char **out_help)
{
	if (i >= NKEYS)
		return NULL;
	if (out_help)
		*out_help = keys[i].help;
	return keys[i].name;
}
