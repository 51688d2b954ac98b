#include "tracker.h"

#include "clock.h"

#include <curl/curl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "buf.h"
#include "curl_loader.h"
#include "build-config.h"

enum pg_tracker_type pg_tracker_type_parse(const char *name)
{
	if (!strcasecmp(name, "jira"))
		return PG_TRACKER_JIRA;
	if (!strcasecmp(name, "servicenow"))
		return PG_TRACKER_SERVICENOW;
	if (!strcasecmp(name, "github"))
		return PG_TRACKER_GITHUB;
	if (!strcasecmp(name, "gitlab"))
		return PG_TRACKER_GITLAB;
	return PG_TRACKER_HTTP;
}

const char *pg_tracker_type_title(enum pg_tracker_type type)
{
	switch (type) {
	case PG_TRACKER_JIRA:
		return "Jira";
	case PG_TRACKER_SERVICENOW:
		return "ServiceNow";
	case PG_TRACKER_GITHUB:
		return "GitHub";
	case PG_TRACKER_GITLAB:
		return "GitLab";
	default:
		return "the ticket endpoint";
	}
}

const char *pg_tracker_default_allowed(enum pg_tracker_type type)
{
	switch (type) {
	case PG_TRACKER_JIRA:
		return "category:new|category:indeterminate";
	case PG_TRACKER_SERVICENOW:
		return "-2|-1";
	case PG_TRACKER_GITHUB:
		return "open";
	case PG_TRACKER_GITLAB:
		return "opened";
	default:
		return "";
	}
}

bool pg_tracker_needs_placeholder(enum pg_tracker_type type)
{
	return type != PG_TRACKER_SERVICENOW;
}

const char *pg_ticket_verdict_name(enum pg_ticket_verdict v)
{
	switch (v) {
	case PG_TICKET_VALID:
		return "valid";
	case PG_TICKET_NOT_ALLOWED:
		return "not-allowed";
	case PG_TICKET_MISSING:
		return "missing";
	case PG_TICKET_UNREACHABLE:
		return "unreachable";
	default:
		return "config";
	}
}

void pg_ticket_result_release(struct pg_ticket_result *r)
{
	free(r->state);
	free(r->detail);
	r->state = r->detail = NULL;
}

static void set_result(struct pg_ticket_result *r, enum pg_ticket_verdict v, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void set_result(struct pg_ticket_result *r, enum pg_ticket_verdict v, const char *fmt, ...)
{
	struct pg_buf b = PG_BUF_INIT;
	va_list ap;

	r->verdict = v;
	free(r->detail);
	r->detail = NULL;
	if (!fmt)
		return;
	va_start(ap, fmt);
	pg_buf_vaddf(&b, fmt, ap);
	va_end(ap);
	r->detail = pg_buf_detach(&b);
}

/* ------------------------------------------------------------------ URLs */

static int escape_into(struct pg_buf *b, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";

	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
		    *p == '-' || *p == '_' || *p == '.' || *p == '~') {
			if (pg_buf_addch(b, (char)*p) < 0)
				return -1;
		} else if (pg_buf_addf(b, "%%%c%c", hex[*p >> 4], hex[*p & 15]) < 0) {
			return -1;
		}
	}
	return 0;
}

int pg_tracker_url(char **out, const struct pg_tracker *t, const char *ticket, struct pg_error *err)
{
	struct pg_buf b = PG_BUF_INIT;
	const char *p = t->url, *ph;
	int rc = 0;

	*out = NULL;
	while (!rc && (ph = strstr(p, "{ticket}"))) {
		rc = pg_buf_add(&b, p, (size_t)(ph - p));
		if (!rc)
			rc = escape_into(&b, ticket);
		p = ph + strlen("{ticket}");
	}
	if (!rc)
		rc = pg_buf_adds(&b, p);
	if (!rc && t->type == PG_TRACKER_SERVICENOW) {
		rc = pg_buf_adds(&b, strchr(t->url, '?') ? "&" : "?");
		if (!rc)
			rc = pg_buf_adds(&b, "sysparm_query=number%3D");
		if (!rc)
			rc = escape_into(&b, ticket);
		if (!rc)
			rc = pg_buf_adds(&b, "&sysparm_fields=number%2Cstate%2Capproval%2Cstart_date%2Cend_date"
					 "&sysparm_limit=1&sysparm_display_value=false");
	}
	if (rc) {
		pg_buf_release(&b);
		return pg_error_oom(err);
	}
	*out = pg_buf_detach(&b);
	return 0;
}

/* --------------------------------------------------------- interpretation */

/* allowed-state list, from the configuration or the type's default */
static bool state_in(const struct pg_tracker *t, bool (*match)(const char *entry, const void *arg), const void *arg)
{
	if (t->allowed && t->allowed->n) {
		for (size_t i = 0; i < t->allowed->n; i++)
			if (match(t->allowed->v[i], arg))
				return true;
		return false;
	}
	for (const char *c = pg_tracker_default_allowed(t->type); *c;) {
		const char *bar = strchrnul(c, '|');
		char *e = strndup(c, (size_t)(bar - c));
		bool hit = e && match(e, arg);

		free(e);
		if (hit)
			return true;
		c = *bar ? bar + 1 : bar;
	}
	return false;
}

static void allowed_text(struct pg_buf *b, const struct pg_tracker *t)
{
	if (t->allowed && t->allowed->n) {
		for (size_t i = 0; i < t->allowed->n; i++)
			pg_buf_addf(b, "%s%s", i ? ", " : "", t->allowed->v[i]);
		return;
	}
	for (const char *c = pg_tracker_default_allowed(t->type); *c; c++)
		if (*c == '|')
			pg_buf_adds(b, ", ");
		else
			pg_buf_addch(b, *c);
}

static const char *jstr(json_t *obj, const char *key)
{
	json_t *v = json_is_object(obj) ? json_object_get(obj, key) : NULL;

	return json_is_string(v) ? json_string_value(v) : NULL;
}

struct jira_state {
	const char *name, *category;
};

static bool jira_match(const char *entry, const void *arg)
{
	const struct jira_state *s = arg;

	if (!strncasecmp(entry, "category:", 9))
		return s->category && !strcasecmp(entry + 9, s->category);
	return !strcasecmp(entry, s->name);
}

static void not_allowed(struct pg_ticket_result *r, const struct pg_tracker *t)
{
	struct pg_buf b = PG_BUF_INIT;

	pg_buf_addf(&b, "%s in %s; allowed: ", r->state ? r->state : "(no state)", pg_tracker_type_title(t->type));
	allowed_text(&b, t);
	set_result(r, PG_TICKET_NOT_ALLOWED, "%s", pg_buf_failed(&b) ? "not in an allowed state" : b.ptr);
	pg_buf_release(&b);
}

static void interpret_jira(struct pg_ticket_result *r, const struct pg_tracker *t, json_t *root)
{
	json_t *fields = json_object_get(root, "fields");
	json_t *status = json_is_object(fields) ? json_object_get(fields, "status") : NULL;
	struct jira_state s = { jstr(status, "name"), NULL };

	if (!s.name) {
		set_result(r, PG_TICKET_UNREACHABLE, "malformed answer from Jira: no fields.status.name "
			   "(is pushguard.tickets.url an issue URL such as .../rest/api/2/issue/{ticket}?fields=status?)");
		return;
	}
	s.category = jstr(json_object_get(status, "statusCategory"), "key");
	r->state = strdup(s.name);
	if (state_in(t, jira_match, &s))
		set_result(r, PG_TICKET_VALID, NULL);
	else
		not_allowed(r, t);
}

/* ServiceNow change_request states (choice values and their labels). */
static const struct {
	const char *code, *name;
} snow_states[] = {
	{ "-5", "New" }, { "-4", "Assess" }, { "-3", "Authorize" }, { "-2", "Scheduled" },
	{ "-1", "Implement" }, { "0", "Review" }, { "3", "Closed" }, { "4", "Canceled" },
};

static const char *snow_code(const char *s)
{
	for (size_t i = 0; i < sizeof(snow_states) / sizeof(*snow_states); i++)
		if (!strcasecmp(s, snow_states[i].code) || !strcasecmp(s, snow_states[i].name))
			return snow_states[i].code;
	return s;
}

static const char *snow_name(const char *code)
{
	for (size_t i = 0; i < sizeof(snow_states) / sizeof(*snow_states); i++)
		if (!strcmp(code, snow_states[i].code))
			return snow_states[i].name;
	return NULL;
}

static bool snow_match(const char *entry, const void *arg)
{
	return !strcasecmp(snow_code(entry), snow_code(arg));
}

/* "YYYY-MM-DD HH:MM:SS" (UTC, as the Table API returns it) to epoch seconds; -1 when not that. */
static int64_t snow_time(const char *s)
{
	struct tm tm = { 0 };
	char *end;

	if (!s || !*s || !(end = strptime(s, "%Y-%m-%d %H:%M:%S", &tm)) || *end)
		return -1;
	return (int64_t)timegm(&tm);
}

static void interpret_servicenow(struct pg_ticket_result *r, const struct pg_tracker *t, json_t *root)
{
	json_t *list = json_object_get(root, "result"), *rec, *st;
	const char *approval, *name;
	char code[32];
	int64_t start, end;
	struct pg_buf b = PG_BUF_INIT;

	if (!json_is_array(list)) {
		set_result(r, PG_TICKET_UNREACHABLE, "malformed answer from ServiceNow: no \"result\" list "
			   "(is pushguard.tickets.url the change_request table, .../api/now/table/change_request?)");
		return;
	}
	if (!json_array_size(list)) {
		set_result(r, PG_TICKET_MISSING, "no such change request in ServiceNow (or invisible to the account)");
		return;
	}
	rec = json_array_get(list, 0);
	st = json_object_get(rec, "state");
	if (json_is_string(st))
		snprintf(code, sizeof(code), "%s", json_string_value(st));
	else if (json_is_integer(st))
		snprintf(code, sizeof(code), "%lld", (long long)json_integer_value(st));
	else {
		set_result(r, PG_TICKET_UNREACHABLE, "malformed answer from ServiceNow: no state field");
		return;
	}
	approval = jstr(rec, "approval");
	name = snow_name(snow_code(code));
	if (name && strcmp(name, code))
		pg_buf_addf(&b, "%s (%s)", name, snow_code(code));
	else
		pg_buf_adds(&b, code);
	pg_buf_addf(&b, ", approval %s", approval && *approval ? approval : "(none)");
	r->state = pg_buf_detach(&b);
	if (!approval || strcasecmp(approval, "approved")) {
		set_result(r, PG_TICKET_NOT_ALLOWED, "the change is not approved in ServiceNow (approval is '%s')",
			   approval && *approval ? approval : "none");
		return;
	}
	if (!state_in(t, snow_match, code)) {
		not_allowed(r, t);
		return;
	}
	if (t->check_window) {
		const char *s = jstr(rec, "start_date"), *e = jstr(rec, "end_date");

		start = snow_time(s);
		end = snow_time(e);
		if (start < 0 || end < 0) {
			set_result(r, PG_TICKET_NOT_ALLOWED, "the change has no planned window (start_date, end_date), "
				   "and pushguard.tickets.checkWindow is on");
			return;
		}
		if (t->now < start) {
			set_result(r, PG_TICKET_NOT_ALLOWED, "the change's planned window has not started: %s .. %s UTC", s, e);
			return;
		}
		if (t->now > end) {
			set_result(r, PG_TICKET_NOT_ALLOWED, "the change's planned window is over: %s .. %s UTC", s, e);
			return;
		}
		r->valid_until = end;
	}
	set_result(r, PG_TICKET_VALID, NULL);
}

static bool plain_match(const char *entry, const void *arg)
{
	return !strcasecmp(entry, arg);
}

static void interpret_issue(struct pg_ticket_result *r, const struct pg_tracker *t, json_t *root)
{
	const char *state = jstr(root, "state");

	if (!state) {
		set_result(r, PG_TICKET_UNREACHABLE, "malformed answer from %s: no \"state\" field "
			   "(is pushguard.tickets.url an issue URL?)", pg_tracker_type_title(t->type));
		return;
	}
	r->state = strdup(state);
	if (state_in(t, plain_match, state))
		set_result(r, PG_TICKET_VALID, NULL);
	else
		not_allowed(r, t);
}

void pg_tracker_interpret(struct pg_ticket_result *out, const struct pg_tracker *t,
			  long status, bool rate_limited, const char *body, size_t len)
{
	const char *title = pg_tracker_type_title(t->type);
	json_error_t jerr;
	json_t *root;

	free(out->state);
	out->state = NULL;
	out->valid_until = 0;
	if (status == 401 || (status == 403 && !rate_limited)) {
		set_result(out, PG_TICKET_CONFIG, "%s refused pushguard's credentials (HTTP %ld): check "
			   "pushguard.tickets.tokenFile and pushguard.tickets.auth, and that the account may read tickets",
			   title, status);
		return;
	}
	if (status == 429 || status == 403) {
		set_result(out, PG_TICKET_UNREACHABLE, "%s is rate-limiting pushguard (HTTP %ld)", title, status);
		return;
	}
	if (status >= 500 || status < 200) {
		set_result(out, PG_TICKET_UNREACHABLE, "%s answered HTTP %ld", title, status);
		return;
	}
	if (status >= 300 && status < 400) {
		set_result(out, PG_TICKET_CONFIG, "%s answered with a redirect (HTTP %ld), which pushguard does not "
			   "follow: check pushguard.tickets.url", title, status);
		return;
	}
	if (status == 404 || status == 410) {
		set_result(out, PG_TICKET_MISSING, "not found in %s (HTTP %ld; it does not exist, or the account "
			   "pushguard uses cannot see it)", title, status);
		return;
	}
	if (status >= 400) {
		if (t->type == PG_TRACKER_HTTP)
			set_result(out, PG_TICKET_NOT_ALLOWED, "the ticket endpoint answered HTTP %ld", status);
		else
			set_result(out, PG_TICKET_CONFIG, "%s answered HTTP %ld: check pushguard.tickets.url", title, status);
		return;
	}
	if (t->type == PG_TRACKER_HTTP) {
		set_result(out, PG_TICKET_VALID, NULL);
		return;
	}
	if (!(root = json_loadb(body ? body : "", len, JSON_REJECT_DUPLICATES, &jerr)) || !json_is_object(root)) {
		set_result(out, PG_TICKET_UNREACHABLE, "malformed answer from %s: not a JSON object (%s)", title,
			   root ? "another JSON value" : jerr.text);
		json_decref(root);
		return;
	}
	switch (t->type) {
	case PG_TRACKER_JIRA:
		interpret_jira(out, t, root);
		break;
	case PG_TRACKER_SERVICENOW:
		interpret_servicenow(out, t, root);
		break;
	default:
		interpret_issue(out, t, root);
		break;
	}
	json_decref(root);
}

/* ----------------------------------------------------------------- lookups */

/* libcurl is loaded when the first lookup runs, not linked (curl_loader.h). */
#define C pg_curl

static int load_curl(struct pg_error *err)
{
	return pg_curl_load("the ticket lookups", err);
}

struct xfer {
	CURL *h;
	struct pg_buf body;
	bool overflow;
	bool rate_limited;
	bool done;
	size_t index;
	char errbuf[CURL_ERROR_SIZE];
};

static size_t on_body(char *data, size_t size, size_t n, void *arg)
{
	struct xfer *x = arg;

	if (pg_buf_add(&x->body, data, size * n) < 0) {
		x->overflow = true;
		return 0;
	}
	return size * n;
}

static size_t on_header(char *data, size_t size, size_t n, void *arg)
{
	struct xfer *x = arg;
	size_t len = size * n;

	if ((len >= 12 && !strncasecmp(data, "Retry-After:", 12)) ||
	    (len >= 24 && !strncasecmp(data, "X-RateLimit-Remaining: 0", 24) &&
	     (len == 24 || data[24] == '\r' || data[24] == '\n')))
		x->rate_limited = true;
	return len;
}

/* The headers every lookup sends; Authorization holds the token. */
static int build_headers(struct curl_slist **out, const struct pg_tracker *t)
{
	struct curl_slist *h = NULL, *n;
	struct pg_buf auth = PG_BUF_INIT;

	*out = NULL;
	if (!(n = C.slist_append(h, "Accept: application/json")))
		goto fail;
	h = n;
	if (t->token && !t->basic) {
		pg_buf_init(&auth, 0);
		if (pg_buf_addf(&auth, "Authorization: Bearer %s", t->token) < 0)
			goto fail;
		n = C.slist_append(h, auth.ptr);
		explicit_bzero(auth.ptr, auth.len);
		pg_buf_release(&auth);
		if (!n)
			goto fail;
		h = n;
	}
	*out = h;
	return 0;
fail:
	if (auth.alloc)
		explicit_bzero(auth.ptr, auth.len);
	pg_buf_release(&auth);
	C.slist_free_all(h);
	return -1;
}

static void free_headers(struct curl_slist *h)
{
	for (struct curl_slist *p = h; p; p = p->next)
		explicit_bzero(p->data, strlen(p->data));
	C.slist_free_all(h);
}

static int setup_xfer(struct xfer *x, const struct pg_tracker *t, const char *url,
		      struct curl_slist *headers, long timeout_ms)
{
	CURL *h = x->h;
	int bad = 0;

	bad |= C.easy_setopt(h, CURLOPT_URL, url) != CURLE_OK;
	bad |= C.easy_setopt(h, CURLOPT_NOSIGNAL, 1L) != CURLE_OK;
	bad |= C.easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https") != CURLE_OK;
	bad |= C.easy_setopt(h, CURLOPT_REDIR_PROTOCOLS_STR, "http,https") != CURLE_OK;
	bad |= C.easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L) != CURLE_OK;
	bad |= C.easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L) != CURLE_OK;
	bad |= C.easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L) != CURLE_OK;
	bad |= C.easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, timeout_ms) != CURLE_OK;
	bad |= C.easy_setopt(h, CURLOPT_TIMEOUT_MS, timeout_ms) != CURLE_OK;
	bad |= C.easy_setopt(h, CURLOPT_HTTPHEADER, headers) != CURLE_OK;
	bad |= C.easy_setopt(h, CURLOPT_USERAGENT, "pushguard/" PG_VERSION) != CURLE_OK;
	bad |= C.easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body) != CURLE_OK;
	bad |= C.easy_setopt(h, CURLOPT_WRITEDATA, x) != CURLE_OK;
	bad |= C.easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header) != CURLE_OK;
	bad |= C.easy_setopt(h, CURLOPT_HEADERDATA, x) != CURLE_OK;
	bad |= C.easy_setopt(h, CURLOPT_ERRORBUFFER, x->errbuf) != CURLE_OK;
	bad |= C.easy_setopt(h, CURLOPT_PRIVATE, x) != CURLE_OK;
	bad |= C.easy_setopt(h, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)PG_TRACKER_MAX_BODY) != CURLE_OK;
	if (t->ca_file)
		bad |= C.easy_setopt(h, CURLOPT_CAINFO, t->ca_file) != CURLE_OK;
	if (t->token && t->basic) {
		bad |= C.easy_setopt(h, CURLOPT_HTTPAUTH, (long)CURLAUTH_BASIC) != CURLE_OK;
		bad |= C.easy_setopt(h, CURLOPT_USERPWD, t->token) != CURLE_OK;
	}
	return bad ? -1 : 0;
}

/* A transport failure in plain words; curl's error text names hosts, never headers. */
static void transport_failure(struct pg_ticket_result *r, const struct pg_tracker *t, CURLcode code,
			      const struct xfer *x)
{
	const char *title = pg_tracker_type_title(t->type);
	const char *why = x->errbuf[0] ? x->errbuf : C.easy_strerror(code);

	if (x->overflow || code == CURLE_FILESIZE_EXCEEDED)
		set_result(r, PG_TICKET_UNREACHABLE, "malformed answer from %s: larger than %zu bytes", title,
			   PG_TRACKER_MAX_BODY);
	else if (code == CURLE_OPERATION_TIMEDOUT)
		set_result(r, PG_TICKET_UNREACHABLE, "%s did not answer within %lld ms (pushguard.tickets.timeout)",
			   title, (long long)t->timeout_ms);
	else if (code == CURLE_SSL_CACERT || code == CURLE_PEER_FAILED_VERIFICATION ||
		 code == CURLE_SSL_CACERT_BADFILE || code == CURLE_SSL_CERTPROBLEM)
		set_result(r, PG_TICKET_CONFIG, "cannot verify %s's TLS certificate (%s): check pushguard.tickets.caFile",
			   title, why);
	else if (code == CURLE_UNSUPPORTED_PROTOCOL || code == CURLE_URL_MALFORMAT)
		set_result(r, PG_TICKET_CONFIG, "cannot use the ticket URL (%s): check pushguard.tickets.url", why);
	else
		set_result(r, PG_TICKET_UNREACHABLE, "%s unreachable: %s", title, why);
}

int pg_tracker_lookup(struct pg_ticket_result *out, const struct pg_tracker *t,
		      char *const *tickets, size_t n, struct pg_error *err)
{
	struct xfer *xs = NULL;
	struct curl_slist *headers = NULL;
	CURLM *multi = NULL;
	bool global = false;
	int64_t deadline;
	long timeout_ms = t->timeout_ms > 0 ? (long)t->timeout_ms : 3000;
	int ret = PG_ERR, running = 0;
	size_t npending = 0;

	for (size_t i = 0; i < n; i++)
		if (!out[i].cached)
			npending++;
	if (!npending)
		return 0;
	if ((ret = load_curl(err)) < 0)
		return ret;
	ret = PG_ERR;
	deadline = pg_clock_ms() + timeout_ms;
	if (C.global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		ret = pg_error_set(err, PG_ERR, "cannot start libcurl for the ticket lookups");
		goto out;
	}
	global = true;
	if (!(xs = calloc(n, sizeof(*xs))) || !(multi = C.multi_init()) || build_headers(&headers, t) < 0) {
		ret = pg_error_oom(err);
		goto out;
	}
	C.multi_setopt(multi, CURLMOPT_MAX_TOTAL_CONNECTIONS, (long)PG_TRACKER_MAX_PARALLEL);
	C.multi_setopt(multi, CURLMOPT_MAX_HOST_CONNECTIONS, (long)PG_TRACKER_MAX_PARALLEL);
	for (size_t i = 0; i < n; i++) {
		char *url = NULL;
		int rc;

		xs[i].index = i;
		pg_buf_init(&xs[i].body, PG_TRACKER_MAX_BODY);
		if (out[i].cached)
			continue;
		if ((rc = pg_tracker_url(&url, t, tickets[i], err)) < 0) {
			ret = rc;
			goto out;
		}
		xs[i].h = C.easy_init();
		rc = !xs[i].h || setup_xfer(&xs[i], t, url, headers, timeout_ms) < 0 ||
		     C.multi_add_handle(multi, xs[i].h) != CURLM_OK;
		free(url);
		if (rc) {
			ret = pg_error_set(err, PG_ERR, "cannot set up the ticket lookup (libcurl)");
			goto out;
		}
	}
	do {
		CURLMsg *m;
		int left, wait;
		int64_t rem = deadline - pg_clock_ms();

		if (C.multi_perform(multi, &running) != CURLM_OK) {
			ret = pg_error_set(err, PG_ERR, "the ticket lookups failed inside libcurl");
			goto out;
		}
		while ((m = C.multi_info_read(multi, &left))) {
			struct xfer *x = NULL;
			long status = 0;

			if (m->msg != CURLMSG_DONE)
				continue;
			C.easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, (char **)&x);
			x->done = true;
			if (m->data.result != CURLE_OK) {
				transport_failure(&out[x->index], t, m->data.result, x);
				continue;
			}
			C.easy_getinfo(m->easy_handle, CURLINFO_RESPONSE_CODE, &status);
			pg_tracker_interpret(&out[x->index], t, status, x->rate_limited, x->body.ptr, x->body.len);
		}
		if (!running || rem <= 0)
			break;
		wait = rem > 1000 ? 1000 : (int)rem;
		if (C.multi_poll(multi, NULL, 0, wait, NULL) != CURLM_OK) {
			ret = pg_error_set(err, PG_ERR, "the ticket lookups failed inside libcurl");
			goto out;
		}
	} while (1);
	for (size_t i = 0; i < n; i++)
		if (xs[i].h && !xs[i].done)
			set_result(&out[i], PG_TICKET_UNREACHABLE,
				   "%s did not answer within %ld ms (pushguard.tickets.timeout)",
				   pg_tracker_type_title(t->type), timeout_ms);
	ret = 0;
out:
	if (xs) {
		for (size_t i = 0; i < n; i++) {
			if (xs[i].h) {
				if (multi)
					C.multi_remove_handle(multi, xs[i].h);
				C.easy_cleanup(xs[i].h);
			}
			pg_buf_release(&xs[i].body);
		}
		free(xs);
	}
	if (multi)
		C.multi_cleanup(multi);
	free_headers(headers);
	if (global)
		C.global_cleanup();
	return ret;
}
