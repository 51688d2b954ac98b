#include "tickets.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "alloc.h"
#include "buf.h"
#include "secretfile.h"
#include "ticket_cache.h"

const struct pg_key_def pg_tickets_keys[] = {
	{ "pushguard.tickets.required", PG_KEY_BOOL, NULL, "every new commit must cite a change ticket (default false)",
	  "`false`", "bool: every new commit cites a change ticket ([Change tickets](tickets.md))" },
	{ "pushguard.tickets.refs", PG_KEY_REF_GLOBS, NULL, "ref globs the ticket check applies to (default: all)",
	  "all refs", "ref globs the ticket check applies to (multi)" },
	{ "pushguard.tickets.scope", PG_KEY_ENUM, "message|subject", "where tickets are looked for: message (default) | subject",
	  "`message`", "`message` (subject and body) | `subject` (first line only)" },
	{ "pushguard.tickets.pattern", PG_KEY_REGEX, NULL, "PCRE2 for a ticket reference; named groups ticket, project (default by type)",
	  "by type ([What counts as a ticket](tickets.md))", "PCRE2 for a ticket reference; named groups `ticket`, `project`" },
	{ "pushguard.tickets.projects", PG_KEY_STRINGS, NULL, "project keys that count (multi-valued; PROJ for PROJ-123)",
	  "", "project keys whose tickets count (multi); required with the Jira-style pattern" },
	{ "pushguard.tickets.perPush", PG_KEY_BOOL, NULL, "one valid ticket per push (a commit or -o ticket=KEY) is enough",
	  "`false`", "bool: one valid ticket per push (any new commit, or `git push -o ticket=KEY`)" },
	{ "pushguard.tickets.skipMerges", PG_KEY_BOOL, NULL, "merge commits need no ticket (default false)",
	  "`false`", "bool: merge commits need no ticket" },
	{ "pushguard.tickets.skipPattern", PG_KEY_REGEX, NULL, "PCRE2: commits whose message matches need no ticket, e.g. ^Revert \"",
	  "", "PCRE2: commits whose message matches need no ticket, e.g. `^Revert \"`" },
	{ "pushguard.tickets.exemptUsers", PG_KEY_STRINGS, NULL, "pushers exempt from the ticket check (multi-valued)",
	  "", "pushers that need no tickets, e.g. release bots (multi)" },
	{ "pushguard.tickets.url", PG_KEY_URL, NULL, "tracker URL template with {ticket} (ServiceNow: the change_request table)",
	  "", "tracker URL template with `{ticket}` (ServiceNow: the `change_request` table URL); set = live lookups" },
	{ "pushguard.tickets.type", PG_KEY_ENUM, "jira|servicenow|github|gitlab|http", "tracker kind (default jira)",
	  "`jira`", "`jira` | `servicenow` | `github` | `gitlab` | `http`" },
	{ "pushguard.tickets.allowedStatus", PG_KEY_STRINGS, NULL, "tracker states that allow a change (multi-valued; category:KEY for Jira)",
	  "by type ([the trackers' table](tickets.md))", "tracker states that allow a change (multi; Jira also `category:KEY`)" },
	{ "pushguard.tickets.checkWindow", PG_KEY_BOOL, NULL, "ServiceNow: the push must fall in the change's planned window",
	  "`false`", "bool, ServiceNow: the push must fall in the change's planned window" },
	{ "pushguard.tickets.tokenFile", PG_KEY_PATH, NULL, "file holding the tracker token (Bearer) or user:token (Basic)",
	  "", "file whose first line is the token (`Authorization: Bearer`), or `user:token` with `auth = basic`; refused if every user can read it (`chmod 600`)" },
	{ "pushguard.tickets.auth", PG_KEY_ENUM, "bearer|basic", "how the token is sent: bearer (default) | basic",
	  "`bearer`", "`bearer` | `basic`" },
	{ "pushguard.tickets.caFile", PG_KEY_PATH, NULL, "CA bundle for a tracker with a private CA",
	  "system CAs", "CA bundle for a tracker behind a private CA" },
	{ "pushguard.tickets.timeout", PG_KEY_DURATION, NULL, "connect and total time for all lookups of a push (default 3s; 100ms to 60s)",
	  "`3s`", "connect and total time for all lookups of one push (`3s`, `500ms`), `100ms` to `60s` (outside: a configuration error)" },
	{ "pushguard.tickets.cacheTtl", PG_KEY_DURATION, NULL, "keep valid answers this long, per repository (default 0: off)",
	  "`0` (off)", "keep valid answers this long, in `REPO/pushguard-tickets.cache`" },
	{ "pushguard.tickets.onUnreachable", PG_KEY_ENUM, "reject|accept", "tracker down: reject (default) | accept (recorded)",
	  "`reject`", "`reject` | `accept` (pusher told, push recorded as unchecked)" },
	{ NULL },
};

#define K(name) "pushguard.tickets." name
#define PG_XSTR(x) #x
#define PG_STR(x) PG_XSTR(x)
#define MAX_TOKEN 8192

static bool has_ctl(const char *s)
{
	for (const unsigned char *q = (const unsigned char *)s; *q; q++)
		if (*q < 0x20 || *q == 0x7f)
			return true;
	return false;
}

/* Reads the token: the first line, without trailing whitespace. The token
 * itself never goes into err. */
static int read_token(struct pg_tickets_config *c, const struct pg_policy *p, const char *path,
		      struct pg_error *err)
{
	const char *origin = pg_policy_origin(p, K("tokenFile"));
	char *token = NULL;
	int ret;

	if ((ret = pg_secretfile_read(&token, K("tokenFile"), path, origin, MAX_TOKEN, err)) < 0)
		return ret;
	ret = PG_ECONFIG;
	if (has_ctl(token)) {
		pg_error_set(err, PG_ECONFIG, "%s = '%s' in %s: the token file's first line is not a usable token "
			     "(it has control characters)", K("tokenFile"), path, origin);
		goto out;
	}
	if (c->tracker.basic && !strchr(token, ':')) {
		pg_error_set(err, PG_ECONFIG, "%s = '%s' in %s: pushguard.tickets.auth = basic needs user:token "
			     "in the token file", K("tokenFile"), path, origin);
		goto out;
	}
	c->token = token;
	c->tracker.token = c->token;
	token = NULL;
	ret = 0;
out:
	if (token) {
		explicit_bzero(token, strlen(token));
		free(token);
	}
	return ret;
}

static const char *default_pattern(enum pg_tracker_type type)
{
	switch (type) {
	case PG_TRACKER_SERVICENOW:
		return PG_TICKET_PATTERN_SERVICENOW;
	case PG_TRACKER_GITHUB:
	case PG_TRACKER_GITLAB:
		return PG_TICKET_PATTERN_ISSUE;
	default:
		return PG_TICKET_PATTERN_JIRA;
	}
}

int pg_tickets_timeout(int64_t *out, const struct pg_policy *p, struct pg_error *err)
{
	int64_t ms = pg_policy_int(p, K("timeout"), PG_TICKETS_DEFAULT_TIMEOUT_MS);

	*out = PG_TICKETS_DEFAULT_TIMEOUT_MS;
	if (ms < PG_TICKETS_MIN_TIMEOUT_MS || ms > PG_TICKETS_MAX_TIMEOUT_MS) /* the lookups hold the push */
		return pg_error_set(err, PG_ECONFIG, "%s = '%s' in %s: out of range: expected %dms to %ds "
				    "(the tracker lookups hold the push; default %ds)", K("timeout"),
				    pg_policy_str(p, K("timeout"), ""), pg_policy_origin(p, K("timeout")),
				    PG_TICKETS_MIN_TIMEOUT_MS, PG_TICKETS_MAX_TIMEOUT_MS / 1000,
				    PG_TICKETS_DEFAULT_TIMEOUT_MS / 1000);
	*out = ms;
	return 0;
}

int pg_tickets_config_load(struct pg_tickets_config *c, const struct pg_policy *p,
			   struct pg_error *err)
{
	const char *type = pg_policy_str(p, K("type"), "jira");
	const char *pattern = pg_policy_str(p, K("pattern"), "");
	const char *skip = pg_policy_str(p, K("skipPattern"), "");
	const char *url = pg_policy_str(p, K("url"), "");
	const char *token_file = pg_policy_str(p, K("tokenFile"), "");
	const char *ca_file = pg_policy_str(p, K("caFile"), "");
	struct pg_strvec projects = PG_STRVEC_INIT;
	char what[512];
	int rc, ret = PG_ERR;

	memset(c, 0, sizeof(*c));
	c->extractor = (struct pg_ticket_extractor)PG_TICKET_EXTRACTOR_INIT;
	c->required = pg_policy_bool(p, K("required"), false);
	c->per_push = pg_policy_bool(p, K("perPush"), false);
	c->skip_merges = pg_policy_bool(p, K("skipMerges"), false);
	c->accept_unreachable = !strcasecmp(pg_policy_str(p, K("onUnreachable"), "reject"), "accept");
	c->cache_ttl_ms = pg_policy_int(p, K("cacheTtl"), 0);
	c->tracker.type = pg_tracker_type_parse(type);
	c->tracker.basic = !strcasecmp(pg_policy_str(p, K("auth"), "bearer"), "basic");
	if ((ret = pg_tickets_timeout(&c->tracker.timeout_ms, p, err)) < 0)
		goto out;
	ret = PG_ERR;
	c->tracker.check_window = pg_policy_bool(p, K("checkWindow"), false);
	c->tracker.allowed = &c->allowed;
	if (pg_policy_list(p, K("refs"), &c->refs) < 0 || pg_policy_list(p, K("projects"), &projects) < 0 ||
	    pg_policy_list(p, K("exemptUsers"), &c->exempt_users) < 0 ||
	    pg_policy_list(p, K("allowedStatus"), &c->allowed) < 0) {
		ret = pg_error_oom(err);
		goto out;
	}
	if (!*pattern) {
		pattern = default_pattern(c->tracker.type);
		if (c->tracker.type != PG_TRACKER_SERVICENOW && c->tracker.type != PG_TRACKER_GITHUB &&
		    c->tracker.type != PG_TRACKER_GITLAB && !projects.n && c->required) {
			ret = pg_error_set(err, PG_ECONFIG, "%s is not set: list the project keys whose tickets count "
					   "(e.g. git config --add %s PROJ), so that words like UTF-8 or SHA-256 "
					   "are not taken for tickets; or set %s", K("projects"), K("projects"),
					   K("pattern"));
			goto out;
		}
		snprintf(what, sizeof(what), "%s (default for type %s)", K("pattern"), type);
	} else {
		snprintf(what, sizeof(what), "%s in %s", K("pattern"), pg_policy_origin(p, K("pattern")));
	}
	if ((rc = pg_ticket_extractor_init(&c->extractor, pattern, what, &projects,
					   !strcasecmp(pg_policy_str(p, K("scope"), "message"), "subject"), err)) < 0) {
		ret = rc;
		goto out;
	}
	if (*skip) {
		snprintf(what, sizeof(what), "%s in %s", K("skipPattern"), pg_policy_origin(p, K("skipPattern")));
		if ((rc = pg_regex_compile(&c->skip_pattern, skip, what, err)) < 0) {
			ret = rc;
			goto out;
		}
	}
	if (*url) {
		c->live = true;
		c->tracker.url = url;
		if (pg_tracker_needs_placeholder(c->tracker.type) && !strstr(url, "{ticket}")) {
			ret = pg_error_set(err, PG_ECONFIG, "%s = '%s' in %s: has no {ticket} placeholder, which "
					   "type %s needs (e.g. .../rest/api/2/issue/{ticket}?fields=status)",
					   K("url"), url, pg_policy_origin(p, K("url")), type);
			goto out;
		}
	}
	if (*ca_file) {
		if (access(ca_file, R_OK) < 0) {
			ret = pg_error_set(err, PG_ECONFIG, "%s = '%s' in %s: cannot read the CA file: %s", K("caFile"),
					   ca_file, pg_policy_origin(p, K("caFile")), strerror(errno));
			goto out;
		}
		c->tracker.ca_file = ca_file;
	}
	if (*token_file && c->live && (rc = read_token(c, p, token_file, err)) < 0) {
		ret = rc;
		goto out;
	}
	ret = 0;
out:
	pg_strvec_release(&projects);
	return ret;
}

void pg_tickets_config_release(struct pg_tickets_config *c)
{
	pg_strvec_release(&c->refs);
	pg_ticket_extractor_release(&c->extractor);
	pg_regex_free(c->skip_pattern);
	pg_strvec_release(&c->exempt_users);
	pg_strvec_release(&c->allowed);
	if (c->token) {
		explicit_bzero(c->token, strlen(c->token));
		free(c->token);
	}
	memset(c, 0, sizeof(*c));
}

/* ------------------------------------------------------------------ check */

struct checked {
	const struct pg_commit *c;
	const struct pg_ref_update *u;
	struct pg_strvec tickets;
};

struct run {
	struct pg_check_ctx *ctx;
	struct pg_tickets_config cfg;
	struct checked *commits;
	size_t ncommits, acommits;
	const struct pg_ref_update *too_many_entering;
	struct pg_strvec all;          /* distinct tickets of the push */
	struct pg_ticket_result *res;  /* answers, parallel to all */
	struct pg_strvec options;      /* tickets from -o ticket=KEY */
	const struct pg_ref_update *first_ref;
	bool unreachable_accepted;
	bool unreachable_reported;
};

static size_t index_of(const struct pg_strvec *sv, const char *s)
{
	for (size_t i = 0; i < sv->n; i++)
		if (!strcmp(sv->v[i], s))
			return i;
	return (size_t)-1;
}

static int add_distinct(struct pg_strvec *sv, const struct pg_strvec *from)
{
	for (size_t i = 0; i < from->n; i++)
		if (index_of(sv, from->v[i]) == (size_t)-1 && pg_strvec_push(sv, from->v[i]) < 0)
			return -1;
	return 0;
}

/* A ticket as the pusher knows it: #123 for issue numbers. */
static void add_ticket_name(struct pg_buf *b, const struct run *r, const char *t)
{
	bool issue = (r->cfg.tracker.type == PG_TRACKER_GITHUB || r->cfg.tracker.type == PG_TRACKER_GITLAB) &&
		     t[0] && strspn(t, "0123456789") == strlen(t);

	pg_buf_addf(b, "%s%s", issue ? "#" : "", t);
}

/* "3f2a91c "Subject"" with the subject cut to a readable length. */
static void add_commit_name(struct pg_buf *b, const struct pg_commit *c)
{
	size_t n = strlen(c->subject);

	pg_buf_addf(b, "%.7s \"%.*s%s\"", c->hex, n > 60 ? 57 : (int)n, c->subject, n > 60 ? "..." : "");
}

static bool exempt_user(const struct run *r)
{
	const char *who = r->ctx->push->pusher;

	if (!who)
		return false;
	for (size_t i = 0; i < r->cfg.exempt_users.n; i++)
		if (!strcmp(r->cfg.exempt_users.v[i], who))
			return true;
	return false;
}

static int note_skip(struct run *r, const struct pg_commit *c, const char *why, struct pg_error *err)
{
	struct pg_buf b = PG_BUF_INIT;
	int rc;

	pg_buf_adds(&b, "ticket check skipped for ");
	add_commit_name(&b, c);
	rc = pg_buf_failed(&b) ? pg_error_oom(err)
			       : pg_findings_note(r->ctx->findings, err, "%s (%s)", b.ptr, why);
	pg_buf_release(&b);
	return rc;
}

/* Takes commit c, brought into scope by u, into the check (or notes why not). */
static int consider(struct run *r, const struct pg_commit *c, const struct pg_ref_update *u,
		    struct pg_error *err)
{
	struct checked *k;
	int rc;

	if (c->synthetic)
		return 0; /* a tagged tree or blob: no message to cite a ticket */
	if (r->cfg.skip_merges && c->nparents > 1)
		return note_skip(r, c, "merge commit; pushguard.tickets.skipMerges", err);
	if (r->cfg.skip_pattern) {
		rc = pg_regex_match(r->cfg.skip_pattern, c->message, strlen(c->message), err);
		if (rc < 0)
			return rc;
		if (rc == 1)
			return note_skip(r, c, "message matches pushguard.tickets.skipPattern", err);
	}
	if (PG_GROW(r->commits, r->ncommits + 1, r->acommits) < 0)
		return pg_error_oom(err);
	if (!r->first_ref)
		r->first_ref = u;
	k = &r->commits[r->ncommits++];
	memset(k, 0, sizeof(*k));
	k->c = c;
	k->u = u;
	if ((rc = pg_ticket_extract_commit(&k->tickets, &r->cfg.extractor, c->message, c->subject, err)) < 0)
		return rc;
	if (r->all.n > PG_TICKETS_MAX_LOOKUPS)
		return 0; /* refused anyway (too many tickets): keep the work linear */
	if (add_distinct(&r->all, &k->tickets) < 0)
		return pg_error_oom(err);
	return 0;
}

/* Which commits are checked, and the tickets each cites. */
static int collect(struct run *r, struct pg_error *err)
{
	const struct pg_walk *w = r->ctx->walk;
	int rc;

	size_t nentering = 0;

	/* new commits on the refs of tickets.refs, and commits the server had
	 * that enter those refs now (a topic branch merged into main) */
	for (size_t i = 0; i < w->n; i++) {
		const struct pg_commit *c = &w->commits[i];
		const struct pg_ref_update *u = pg_check_commit_ref(r->ctx, c, &r->cfg.refs);

		if (u && c->existing && ++nentering > PG_TICKETS_MAX_ENTERING) {
			r->too_many_entering = u;
			return 0;
		}
	}
	for (size_t i = 0; i < w->n; i++) {
		const struct pg_commit *c = &w->commits[i];
		const struct pg_ref_update *u = pg_check_commit_ref(r->ctx, c, &r->cfg.refs);

		if (u && (rc = consider(r, c, u, err)) < 0)
			return rc;
	}
	for (size_t i = 0; i < r->ctx->push->options.n; i++) {
		const char *o = r->ctx->push->options.v[i];

		if (strncasecmp(o, "ticket=", 7))
			continue;
		if (!r->cfg.per_push) {
			if ((rc = pg_findings_note(r->ctx->findings, err, "push option '%.80s' ignored: each commit must "
						   "cite its ticket (pushguard.tickets.perPush is off)", o)) < 0)
				return rc;
			continue;
		}
		if ((rc = pg_ticket_extract(&r->options, &r->cfg.extractor, o + 7, err)) < 0)
			return rc;
	}
	if (r->ncommits && r->all.n <= PG_TICKETS_MAX_LOOKUPS && add_distinct(&r->all, &r->options) < 0)
		return pg_error_oom(err);
	return 0;
}

static int add_finding(struct run *r, const struct pg_commit *c, const struct pg_ref_update *u,
		       const char *rule, const char *msg, const char *fix, struct pg_error *err)
{
	struct pg_finding_spec spec = { "tickets", rule, u ? u->ref : NULL, c ? c->hex : NULL,
					c ? c->subject : NULL, NULL, 0, NULL, NULL, NULL };

	return pg_findings_add(r->ctx->findings, &spec, msg, fix, err);
}

/* "https://host[:port]" of the tracker: no path, query or user info. */
static void add_tracker_origin(struct pg_buf *b, const char *url)
{
	const char *host = strstr(url, "://"), *end, *at;

	if (!host) {
		pg_buf_adds(b, "the tracker");
		return;
	}
	host += 3;
	end = host + strcspn(host, "/?#");
	at = memchr(host, '@', (size_t)(end - host));
	pg_buf_add(b, url, (size_t)(host - url));
	if (at)
		host = at + 1;
	pg_buf_add(b, host, (size_t)(end - host));
}

static bool tracker_says_no(const struct pg_ticket_result *x)
{
	return x->verdict == PG_TICKET_NOT_ALLOWED || x->verdict == PG_TICKET_MISSING;
}

static void ticket_list(struct pg_buf *b, const struct run *r, enum pg_ticket_verdict v, size_t *count)
{
	size_t n = 0;

	for (size_t i = 0; i < r->all.n; i++) {
		if (r->res[i].verdict != v)
			continue;
		if (n < 10) {
			pg_buf_adds(b, n ? ", " : "");
			add_ticket_name(b, r, r->all.v[i]);
		} else if (n == 10) {
			pg_buf_adds(b, ", ...");
		}
		n++;
	}
	*count = n;
}

/* Looks every distinct ticket up (cache first). A credential the tracker
 * refuses is a configuration error; an unreachable tracker is a finding, or a
 * note when pushguard.tickets.onUnreachable = accept. */
static int look_up(struct run *r, struct pg_error *err)
{
	struct pg_ticket_cache cache = PG_TICKET_CACHE_INIT;
	struct pg_error cerr = PG_ERROR_INIT;
	struct pg_buf b = PG_BUF_INIT, list = PG_BUF_INIT;
	int64_t now = (int64_t)time(NULL);
	uint64_t h = PG_TICKET_CACHE_HASH_SEED;
	size_t nunreach = 0;
	int rc, ret = PG_ERR;

	r->cfg.tracker.now = now;
	if (!(r->res = calloc(r->all.n ? r->all.n : 1, sizeof(*r->res)))) {
		ret = pg_error_oom(err);
		goto out;
	}
	if (!r->cfg.live || !r->all.n) {
		ret = 0; /* presence only: every cited ticket counts */
		goto out;
	}
	if (r->cfg.cache_ttl_ms > 0) {
		h = pg_ticket_cache_hash(h, pg_tracker_type_title(r->cfg.tracker.type));
		h = pg_ticket_cache_hash(h, r->cfg.tracker.url);
		h = pg_ticket_cache_hash(h, r->cfg.tracker.check_window ? "window" : "");
		for (size_t i = 0; i < r->cfg.allowed.n; i++)
			h = pg_ticket_cache_hash(h, r->cfg.allowed.v[i]);
		pg_buf_addf(&b, "%s%s", git_repository_path(r->ctx->repo), PG_TICKETS_CACHE_FILE);
		if ((rc = pg_buf_failed(&b) ? pg_error_oom(err)
					    : pg_ticket_cache_load(&cache, b.ptr, h, now, err)) < 0) {
			ret = rc;
			goto out;
		}
		for (size_t i = 0; i < r->all.n; i++) {
			const struct pg_ticket_cache_entry *e = pg_ticket_cache_get(&cache, r->all.v[i], now);

			if (e) {
				r->res[i].cached = true;
				r->res[i].verdict = PG_TICKET_VALID;
				if (*e->state && !(r->res[i].state = strdup(e->state))) {
					ret = pg_error_oom(err);
					goto out;
				}
			}
		}
	}
	if ((rc = pg_tracker_lookup(r->res, &r->cfg.tracker, r->all.v, r->all.n, err)) < 0) {
		ret = rc;
		goto out;
	}
	for (size_t i = 0; i < r->all.n; i++) {
		const struct pg_ticket_result *x = &r->res[i];

		if (x->verdict != PG_TICKET_CONFIG)
			continue;
		pg_buf_reset(&b);
		add_tracker_origin(&b, r->cfg.tracker.url);
		ret = pg_error_set(err, PG_ECONFIG, "ticket check: %s (looking up %s at %s)", x->detail, r->all.v[i], b.ptr);
		goto out;
	}
	if (r->cfg.cache_ttl_ms > 0) {
		for (size_t i = 0; i < r->all.n; i++) {
			const struct pg_ticket_result *x = &r->res[i];
			int64_t expires = now + (r->cfg.cache_ttl_ms + 999) / 1000;

			if (x->cached || x->verdict != PG_TICKET_VALID)
				continue;
			if (x->valid_until && x->valid_until < expires)
				expires = x->valid_until;
			if ((rc = pg_ticket_cache_put(&cache, r->all.v[i], x->state, expires, err)) < 0) {
				ret = rc;
				goto out;
			}
		}
		pg_ticket_cache_save(&cache, now, &cerr); /* a cache that cannot be written only costs time */
	}
	ticket_list(&list, r, PG_TICKET_UNREACHABLE, &nunreach);
	if (nunreach) {
		const char *why = NULL;

		for (size_t i = 0; i < r->all.n && !why; i++)
			if (r->res[i].verdict == PG_TICKET_UNREACHABLE)
				why = r->res[i].detail;
		pg_buf_reset(&b);
		if (pg_buf_failed(&list)) {
			rc = pg_error_oom(err);
		} else if (r->cfg.accept_unreachable) {
			r->unreachable_accepted = true;
			rc = pg_findings_note(r->ctx->findings, err, "ticket tracker unreachable (%s): %zu %s unchecked "
					      "(%s); accepted because pushguard.tickets.onUnreachable = accept",
					      why ? why : "no answer", nunreach, nunreach == 1 ? "ticket" : "tickets",
					      list.ptr);
		} else {
			struct pg_buf fix = PG_BUF_INIT;

			r->unreachable_reported = true;
			pg_buf_addf(&b, "could not check %zu %s (%s): %s\n(pushguard.tickets.onUnreachable = reject)",
				    nunreach, nunreach == 1 ? "ticket" : "tickets", list.ptr, why ? why : "no answer");
			pg_buf_adds(&fix, "push again in a moment; if the tracker stays unreachable, tell a repository admin");
			rc = pg_buf_failed(&b) ? pg_error_oom(err)
				: add_finding(r, NULL, r->first_ref, "tracker-unreachable", b.ptr, fix.ptr, err);
			pg_buf_release(&fix);
		}
		if (rc < 0) {
			ret = rc;
			goto out;
		}
	}
	ret = 0;
out:
	pg_ticket_cache_release(&cache);
	pg_buf_release(&b);
	pg_buf_release(&list);
	return ret;
}

/* A ticket the tracker refused, for one commit (c NULL: a push option). */
static int bad_ticket(struct run *r, const struct checked *k, size_t t, struct pg_error *err)
{
	const struct pg_ticket_result *x = &r->res[t];
	struct pg_buf msg = PG_BUF_INIT, fix = PG_BUF_INIT;
	const char *title = pg_tracker_type_title(r->cfg.tracker.type);
	int rc;

	add_ticket_name(&msg, r, r->all.v[t]);
	pg_buf_addf(&msg, ": %s", x->detail ? x->detail : "refused by the tracker");
	if (x->state && (!x->detail || !strstr(x->detail, x->state)))
		pg_buf_addf(&msg, "\n(state in %s: %s)", title, x->state);
	if (k) {
		pg_buf_addf(&fix, "cite a ticket that is open for work or approved: git commit --amend (the last commit) or\n"
			    "git rebase -i %.7s~ and mark it 'reword' (an older one), then push again;\n"
			    "or get ", k->c->hex);
		add_ticket_name(&fix, r, r->all.v[t]);
		pg_buf_addf(&fix, " %s in %s", x->verdict == PG_TICKET_MISSING ? "created (or shared with pushguard's account)"
			    : "approved or reopened", title);
	} else {
		pg_buf_adds(&fix, "push again with a ticket that is open for work or approved: git push -o ticket=KEY");
	}
	rc = pg_buf_failed(&msg) || pg_buf_failed(&fix) ? pg_error_oom(err) :
	     add_finding(r, k ? k->c : NULL, k ? k->u : r->first_ref,
			 x->verdict == PG_TICKET_MISSING ? "ticket-not-found" : "ticket-not-allowed", msg.ptr, fix.ptr, err);
	pg_buf_release(&msg);
	pg_buf_release(&fix);
	return rc;
}

static void example(struct pg_buf *b, const struct run *r)
{
	const struct pg_strvec *pr = &r->cfg.extractor.projects;

	switch (r->cfg.tracker.type) {
	case PG_TRACKER_SERVICENOW:
		pg_buf_adds(b, "a change number such as CHG0012345");
		return;
	case PG_TRACKER_GITHUB:
	case PG_TRACKER_GITLAB:
		pg_buf_adds(b, "an issue reference such as #123");
		return;
	default:
		break;
	}
	if (!pr->n) {
		pg_buf_addf(b, "a ticket matching %s", pg_regex_pattern(r->cfg.extractor.re));
		return;
	}
	pg_buf_addf(b, "a ticket such as %s-123 (projects: ", pr->v[0]);
	for (size_t i = 0; i < pr->n; i++)
		pg_buf_addf(b, "%s%s", i ? ", " : "", pr->v[i]);
	pg_buf_addch(b, ')');
}

static int judge(struct run *r, struct pg_error *err)
{
	const char *where = r->cfg.extractor.subject_only ? "subject" : "message";
	bool any_valid = false;
	int rc;

	for (size_t i = 0; i < r->all.n; i++)
		if (r->res[i].verdict == PG_TICKET_VALID ||
		    (r->res[i].verdict == PG_TICKET_UNREACHABLE && r->unreachable_accepted))
			any_valid = true;
	for (size_t i = 0; i < r->ncommits; i++) {
		const struct checked *k = &r->commits[i];

		if (!k->tickets.n && !r->cfg.per_push) {
			struct pg_buf msg = PG_BUF_INIT, fix = PG_BUF_INIT;

			pg_buf_addf(&msg, "the commit %s cites no ticket; expected ", where);
			example(&msg, r);
			pg_buf_adds(&msg, " (pushguard.tickets.required)");
			pg_buf_addf(&fix, "name the ticket in the %s: git commit --amend (the last commit) or\n"
				    "git rebase -i %.7s~ and mark it 'reword' (an older one), then push again", where, k->c->hex);
			rc = pg_buf_failed(&msg) || pg_buf_failed(&fix) ? pg_error_oom(err)
				: add_finding(r, k->c, k->u, "no-ticket", msg.ptr, fix.ptr, err);
			pg_buf_release(&msg);
			pg_buf_release(&fix);
			if (rc < 0)
				return rc;
		}
		for (size_t j = 0; j < k->tickets.n; j++) {
			size_t t = index_of(&r->all, k->tickets.v[j]);

			if (t != (size_t)-1 && tracker_says_no(&r->res[t]) && (rc = bad_ticket(r, k, t, err)) < 0)
				return rc;
		}
	}
	for (size_t j = 0; j < r->options.n && r->ncommits; j++) {
		size_t t = index_of(&r->all, r->options.v[j]);

		if (t != (size_t)-1 && tracker_says_no(&r->res[t]) && (rc = bad_ticket(r, NULL, t, err)) < 0)
			return rc;
	}
	if (r->cfg.per_push && r->ncommits && !any_valid && !r->unreachable_reported) {
		struct pg_buf msg = PG_BUF_INIT, fix = PG_BUF_INIT;

		pg_buf_addf(&msg, "no new commit cites a valid ticket, and no push option names one; expected ");
		example(&msg, r);
		pg_buf_adds(&msg, " (pushguard.tickets.required, pushguard.tickets.perPush)");
		pg_buf_addf(&fix, "name the ticket when pushing: git push -o ticket=KEY ...\n"
			    "or in a commit %s: git commit --amend, then push again", where);
		rc = pg_buf_failed(&msg) || pg_buf_failed(&fix) ? pg_error_oom(err)
			: add_finding(r, NULL, r->first_ref, "no-ticket", msg.ptr, fix.ptr, err);
		pg_buf_release(&msg);
		pg_buf_release(&fix);
		if (rc < 0)
			return rc;
	}
	return 0;
}

int pg_check_tickets(struct pg_check_ctx *ctx, struct pg_error *err)
{
	struct run r = { 0 };
	int rc, ret = PG_ERR;

	r.ctx = ctx;
	r.all = (struct pg_strvec)PG_STRVEC_INIT;
	r.options = (struct pg_strvec)PG_STRVEC_INIT;
	if (!pg_policy_bool(ctx->policy, K("required"), false))
		return 0;
	if ((rc = pg_tickets_config_load(&r.cfg, ctx->policy, err)) < 0) {
		ret = rc;
		goto out;
	}
	if (exempt_user(&r)) {
		bool any = false;

		for (size_t i = 0; i < ctx->walk->n && !any; i++)
			any = pg_check_commit_ref(ctx, &ctx->walk->commits[i], &r.cfg.refs) != NULL;
		ret = any ? pg_findings_note(ctx->findings, err, "ticket check skipped for the push by %s "
					     "(exempt user; pushguard.tickets.exemptUsers)", ctx->push->pusher) : 0;
		goto out;
	}
	if ((rc = collect(&r, err)) < 0) {
		ret = rc;
		goto out;
	}
	if (r.too_many_entering) {
		struct pg_buf msg = PG_BUF_INIT;

		pg_buf_adds(&msg, "the push brings more than " PG_STR(PG_TICKETS_MAX_ENTERING) " commits that are "
			    "already on the server into ");
		pg_buf_adds(&msg, r.too_many_entering->ref);
		pg_buf_adds(&msg, ", which needs tickets (pushguard.tickets.refs); pushguard does not check that many");
		ret = pg_buf_failed(&msg) ? pg_error_oom(err) :
		      add_finding(&r, NULL, r.too_many_entering, "too-many-commits", msg.ptr,
				  "bring the history in smaller steps, or ask an admin to push it as an exempt user "
				  "(pushguard.tickets.exemptUsers)", err);
		pg_buf_release(&msg);
		goto out;
	}
	if (r.all.n > PG_TICKETS_MAX_LOOKUPS) {
		struct pg_buf msg = PG_BUF_INIT;

		pg_buf_addf(&msg, "the push cites more than %d distinct tickets, more than pushguard checks in one push",
			    PG_TICKETS_MAX_LOOKUPS);
		ret = add_finding(&r, NULL, r.first_ref, "too-many-tickets", msg.ptr,
				  "push the commits in smaller parts", err);
		pg_buf_release(&msg);
		goto out;
	}
	if ((rc = look_up(&r, err)) < 0 || (rc = judge(&r, err)) < 0) {
		ret = rc;
		goto out;
	}
	ret = 0;
out:
	for (size_t i = 0; i < r.ncommits; i++)
		pg_strvec_release(&r.commits[i].tickets);
	free(r.commits);
	if (r.res)
		for (size_t i = 0; i < r.all.n; i++)
			pg_ticket_result_release(&r.res[i]);
	free(r.res);
	pg_strvec_release(&r.all);
	pg_strvec_release(&r.options);
	pg_tickets_config_release(&r.cfg);
	return ret;
}

/* ---- the handle (pushguard.h) ---- */

int pg_tickets_config_open(struct pg_tickets_config **out, const struct pg_policy *p, struct pg_error *err)
{
	if (!(*out = malloc(sizeof(**out))))
		return pg_error_oom(err);
	return pg_tickets_config_load(*out, p, err);
}

void pg_tickets_config_free(struct pg_tickets_config *c)
{
	if (!c)
		return;
	pg_tickets_config_release(c);
	free(c);
}
