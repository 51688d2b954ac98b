#include "webhook.h"

#include <ctype.h>
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include "base64.h"
#include "buf.h"
#include "build-config.h"
#include "crypto_loader.h"
#include "curl_loader.h"
#include "hexdigit.h"
#include "secretfile.h"

#define K(name) "pushguard.webhook." name

unsigned pg_webhook_parse_events(const char *value)
{
	unsigned bits = 0;
	const char *p = value;

	while (*p) {
		size_t n = strcspn(p, ", ");

		if (n) {
			if (n == 3 && !strncasecmp(p, "all", 3))
				bits |= (1u << PG_EVENT_NKINDS) - 1;
			else if (n == 8 && !strncasecmp(p, "accepted", n))
				bits |= 1u << PG_EVENT_ACCEPTED;
			else if (n == 8 && !strncasecmp(p, "rejected", n))
				bits |= 1u << PG_EVENT_REJECTED;
			else if (n == 6 && !strncasecmp(p, "warned", n))
				bits |= 1u << PG_EVENT_WARNED;
			else if (n == 8 && !strncasecmp(p, "bypassed", n))
				bits |= 1u << PG_EVENT_BYPASSED;
			else if (n == 9 && !strncasecmp(p, "unchecked", n))
				bits |= 1u << PG_EVENT_UNCHECKED;
			else if (n == 7 && !strncasecmp(p, "scanned", n))
				bits |= 1u << PG_EVENT_SCANNED;
			else if (n == 6 && !strncasecmp(p, "landed", n))
				bits |= 1u << PG_EVENT_LANDED;
			else if (n == 6 && !strncasecmp(p, "policy", n))
				bits |= 1u << PG_EVENT_POLICY_CHANGED;
			else
				return 0;
		}
		p += n;
		p += strspn(p, ", ");
	}
	return bits;
}

/* The first line of a secret file, trailing blanks stripped; never quoted in errors. */
static int read_secret(char **out, const struct pg_policy *p, const char *key, const char *path,
		       struct pg_error *err)
{
	return pg_secretfile_read(out, key, path, pg_policy_origin(p, key), PG_WEBHOOK_MAX_SECRET, err);
}

static int dup_opt(char **out, const char *s)
{
	*out = NULL;
	return s && !(*out = strdup(s)) ? -1 : 0;
}

/* ------------------------------------------------------------------- URLs */

/* Where the authority ends and what it holds: *scheme_len, *host and *host_len
 * (after any user:password@). false when there is no "scheme://". */
static bool split_url(const char *url, size_t *scheme_len, const char **host, size_t *host_len, const char **rest)
{
	const char *sep = strstr(url, "://"), *auth, *end, *at;

	if (!sep || sep == url || strspn(url, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+.-") !=
				     (size_t)(sep - url))
		return false;
	*scheme_len = (size_t)(sep - url);
	auth = sep + 3;
	end = auth + strcspn(auth, "/?#");
	at = NULL;
	for (const char *q = auth; q < end; q++)
		if (*q == '@')
			at = q;
	*host = at ? at + 1 : auth;
	*host_len = (size_t)(end - *host);
	*rest = end;
	return true;
}

int pg_webhook_url_display(struct pg_buf *out, const char *url)
{
	const char *host, *rest;
	size_t scheme_len, host_len;
	int rc = 0;

	if (!split_url(url, &scheme_len, &host, &host_len, &rest))
		return pg_buf_adds(out, "(not a URL)");
	for (size_t i = 0; i < scheme_len; i++)
		rc |= pg_buf_addch(out, (char)tolower((unsigned char)url[i]));
	rc |= pg_buf_adds(out, "://");
	for (size_t i = 0; i < host_len; i++) /* no control characters or blanks, whatever the URL holds */
		rc |= pg_buf_addch(out, (unsigned char)host[i] <= 0x20 || host[i] == 0x7f ? '?' : host[i]);
	if (*rest)
		rc |= pg_buf_adds(out, "/\xe2\x80\xa6"); /* "/…": path and query may hold credentials too */
	return rc < 0 ? -1 : 0;
}

/* NULL when url is one pushguard delivers to, else what is wrong with it. */
static const char *url_problem(const char *url)
{
	const char *host, *rest;
	size_t scheme_len, host_len;

	for (const unsigned char *q = (const unsigned char *)url; *q; q++)
		if (*q <= 0x20 || *q == 0x7f)
			return "it holds blanks or control characters";
	if (!split_url(url, &scheme_len, &host, &host_len, &rest) ||
	    !((scheme_len == 4 && !strncasecmp(url, "http", 4)) || (scheme_len == 5 && !strncasecmp(url, "https", 5))))
		return "expected an http:// or https:// URL";
	if (!host_len || *host == ':')
		return "it names no host";
	return NULL;
}

#define SALT_BYTES 8

static int url_hash(char out[65], const unsigned char salt[SALT_BYTES], const char *url)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	EVP_MD_CTX *ctx;
	int ok;

	if (pg_crypto_load("hashing a webhook URL", &(struct pg_error)PG_ERROR_INIT) < 0)
		return -1;
	ctx = pg_crypto.EVP_MD_CTX_new();
	ok = ctx && pg_crypto.EVP_DigestInit_ex(ctx, pg_crypto.EVP_sha256(), NULL) &&
	     pg_crypto.EVP_DigestUpdate(ctx, salt, SALT_BYTES) && pg_crypto.EVP_DigestUpdate(ctx, url, strlen(url)) &&
	     pg_crypto.EVP_DigestFinal_ex(ctx, md, &mdlen) && mdlen == 32;
	pg_crypto.EVP_MD_CTX_free(ctx);
	if (!ok)
		return -1;
	for (unsigned i = 0; i < mdlen; i++)
		snprintf(out + 2 * i, 3, "%02x", md[i]);
	return 0;
}

int pg_webhook_destination(char **out, const char *url)
{
	struct pg_buf b = PG_BUF_INIT;
	unsigned char salt[SALT_BYTES];
	char hash[65];
	size_t got = 0;

	*out = NULL;
	while (got < sizeof(salt)) {
		ssize_t n = getrandom(salt + got, sizeof(salt) - got, 0);

		if (n <= 0)
			return -1;
		got += (size_t)n;
	}
	if (url_hash(hash, salt, url) < 0 || pg_webhook_url_display(&b, url) < 0 || pg_buf_addch(&b, ' ') < 0)
		goto fail;
	for (size_t i = 0; i < sizeof(salt); i++)
		if (pg_buf_addf(&b, "%02x", salt[i]) < 0)
			goto fail;
	if (pg_buf_addf(&b, ":%s", hash) < 0)
		goto fail;
	*out = pg_buf_detach(&b);
	return *out ? 0 : -1;
fail:
	pg_buf_release(&b);
	return -1;
}

bool pg_webhook_destination_matches(const char *dest, const char *url)
{
	const char *tag = strrchr(dest, ' ');
	unsigned char salt[SALT_BYTES];
	char hash[65];

	if (!tag || strlen(++tag) != 2 * SALT_BYTES + 1 + 64 || tag[2 * SALT_BYTES] != ':')
		return false;
	for (size_t i = 0; i < SALT_BYTES; i++) {
		int hi = pg_hexdigit(tag[2 * i]), lo = pg_hexdigit(tag[2 * i + 1]);

		if (hi < 0 || lo < 0)
			return false;
		salt[i] = (unsigned char)(hi << 4 | lo);
	}
	if (url_hash(hash, salt, url) < 0)
		return false;
	return pg_crypto.CRYPTO_memcmp(hash, tag + 2 * SALT_BYTES + 1, 64) == 0;
}

/* ---------------------------------------------------------- configuration */

struct load {
	const struct pg_policy *p;
	struct pg_strvec *problems;
	struct pg_error *err;
	int ret; /* the first problem's code */
};

/* One problem: the first goes to err; each to problems. Returns -1 when even
 * that cannot be recorded (out of memory). */
static int problem(struct load *l, const struct pg_error *e)
{
	if (!l->ret) {
		l->ret = e->code;
		if (l->err)
			*l->err = *e;
	}
	if (l->problems && pg_strvec_push(l->problems, e->msg) < 0)
		return -1;
	return 0;
}

static int configured_problem(struct load *l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int configured_problem(struct load *l, const char *fmt, ...)
{
	struct pg_error e = PG_ERROR_INIT;
	struct pg_buf b = PG_BUF_INIT;
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = pg_buf_vaddf(&b, fmt, ap);
	va_end(ap);
	if (rc < 0) {
		pg_buf_release(&b);
		return -1;
	}
	pg_error_set(&e, PG_ECONFIG, "%s", b.ptr);
	pg_buf_release(&b);
	return problem(l, &e);
}

int pg_webhook_load(struct pg_webhook *w, const struct pg_policy *p, const char *git_dir,
		    struct pg_strvec *problems, struct pg_error *err)
{
	struct pg_strvec events = PG_STRVEC_INIT;
	struct pg_buf shown = PG_BUF_INIT;
	struct pg_error e = PG_ERROR_INIT;
	struct load l = { p, problems, err, 0 };
	const char *url = pg_policy_str(p, K("url"), NULL);
	const char *fmt = pg_policy_str(p, K("format"), "json");
	const char *secret = pg_policy_str(p, K("secretFile"), NULL);
	const char *token = pg_policy_str(p, K("tokenFile"), NULL);
	const char *spool = pg_policy_str(p, K("spoolDir"), NULL);
	const char *why;
	int64_t retries;
	int rc, ret = PG_ERR;

	*w = (struct pg_webhook)PG_WEBHOOK_INIT;
	if (!url || !*url)
		return 0;
	if (dup_opt(&w->url, url) < 0 || dup_opt(&w->ca_file, pg_policy_str(p, K("caFile"), NULL)) < 0)
		goto oom;
	if (spool && *spool) {
		if (dup_opt(&w->spool_dir, spool) < 0)
			goto oom;
	} else {
		struct pg_buf b = PG_BUF_INIT;

		if (pg_buf_addf(&b, "%s/pushguard-spool", git_dir ? git_dir : ".") < 0)
			goto oom;
		w->spool_dir = pg_buf_detach(&b);
	}
	if ((why = url_problem(url))) {
		/* nowhere to deliver: the pusher and `pushguard check` are told, the audit log keeps the event */
		if (pg_webhook_url_display(&shown, url) < 0 ||
		    configured_problem(&l, "%s = '%s' in %s: %s (reporting goes on without the webhook)", K("url"),
				       shown.ptr, pg_policy_origin(p, K("url")), why) < 0)
			goto oom;
	} else {
		w->spoolable = true;
	}
	/* which events: an unknown word is a problem, and then the default set is
	 * kept in the spool until the setting is fixed */
	if (pg_policy_list(p, K("events"), &events) < 0)
		goto oom;
	for (size_t i = 0; i < events.n; i++) {
		unsigned bits = pg_webhook_parse_events(events.v[i]);

		if (!bits) {
			if (configured_problem(&l, "%s = '%s' in %s: expected accepted, rejected, warned, bypassed, "
					       "unchecked, scanned, policy, landed or all", K("events"), events.v[i],
					       pg_policy_origin(p, K("events"))) < 0)
				goto oom;
			w->events = 0;
			break;
		}
		w->events |= bits;
	}
	if (!w->events)
		w->events = PG_WEBHOOK_DEFAULT_EVENTS;
	w->format = !strcasecmp(fmt, "slack") ? PG_WEBHOOK_SLACK
		    : !strcasecmp(fmt, "splunk-hec") ? PG_WEBHOOK_SPLUNK_HEC : PG_WEBHOOK_JSON;
	w->timeout_ms = pg_policy_int(p, K("timeout"), PG_WEBHOOK_DEFAULT_TIMEOUT_MS);
	if (w->timeout_ms < PG_WEBHOOK_MIN_TIMEOUT_MS || w->timeout_ms > PG_WEBHOOK_MAX_TIMEOUT_MS) {
		if (configured_problem(&l, "%s = '%s' in %s: out of range: expected %dms to %ds (default %ds)",
				       K("timeout"), pg_policy_str(p, K("timeout"), ""), pg_policy_origin(p, K("timeout")),
				       PG_WEBHOOK_MIN_TIMEOUT_MS, PG_WEBHOOK_MAX_TIMEOUT_MS / 1000,
				       PG_WEBHOOK_DEFAULT_TIMEOUT_MS / 1000) < 0)
			goto oom;
		w->timeout_ms = PG_WEBHOOK_DEFAULT_TIMEOUT_MS;
	}
	retries = pg_policy_int(p, K("retries"), PG_WEBHOOK_DEFAULT_RETRIES);
	if (retries < 0 || retries > PG_WEBHOOK_MAX_RETRIES) {
		if (configured_problem(&l, "%s = '%s' in %s: out of range: expected 0 to %d (default %d)", K("retries"),
				       pg_policy_str(p, K("retries"), ""), pg_policy_origin(p, K("retries")),
				       PG_WEBHOOK_MAX_RETRIES, PG_WEBHOOK_DEFAULT_RETRIES) < 0)
			goto oom;
		retries = PG_WEBHOOK_DEFAULT_RETRIES;
	}
	w->retries = (int)retries;
	if (secret && *secret && (rc = read_secret(&w->secret, p, K("secretFile"), secret, &e)) < 0) {
		if (rc == PG_ERR || problem(&l, &e) < 0)
			goto fail;
	}
	if (token && *token && (rc = read_secret(&w->token, p, K("tokenFile"), token, &e)) < 0) {
		if (rc == PG_ERR || problem(&l, &e) < 0)
			goto fail;
	}
	if (w->format == PG_WEBHOOK_SPLUNK_HEC && !w->token && !(token && *token) &&
	    configured_problem(&l, "%s = splunk-hec in %s needs the HEC token in %s", K("format"),
			       pg_policy_origin(p, K("format")), K("tokenFile")) < 0)
		goto oom;
	ret = l.ret;
	goto out;
fail:
	if (rc == PG_ERR) {
		if (err)
			*err = e;
		ret = PG_ERR;
		goto out;
	}
oom:
	ret = pg_error_oom(err);
out:
	pg_strvec_release(&events);
	pg_buf_release(&shown);
	return ret;
}

void pg_webhook_release(struct pg_webhook *w)
{
	if (w->secret)
		explicit_bzero(w->secret, strlen(w->secret));
	if (w->token)
		explicit_bzero(w->token, strlen(w->token));
	free(w->url);
	free(w->secret);
	free(w->token);
	free(w->ca_file);
	free(w->spool_dir);
	*w = (struct pg_webhook)PG_WEBHOOK_INIT;
}

/* ------------------------------------------------------------- signatures */

int pg_webhook_sign_github(char out[72], const char *key, size_t keylen, const void *body, size_t len)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;

	if (pg_crypto_load("signing a webhook delivery", &(struct pg_error)PG_ERROR_INIT) < 0)
		return -1;
	if (!pg_crypto.HMAC(pg_crypto.EVP_sha256(), key, (int)keylen, body, len, md, &mdlen) || mdlen != 32)
		return -1;
	memcpy(out, "sha256=", 7);
	for (unsigned i = 0; i < mdlen; i++)
		snprintf(out + 7 + 2 * i, 3, "%02x", md[i]);
	return 0;
}

int pg_webhook_sign_standard(char out[64], const char *secret, const char *id, int64_t timestamp,
			     const void *body, size_t len)
{
	unsigned char key[PG_WEBHOOK_MAX_SECRET], md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	size_t keylen = strlen(secret);
	struct pg_buf msg = PG_BUF_INIT;
	char *b64;
	int ret = -1;

	if (pg_crypto_load("signing a webhook delivery", &(struct pg_error)PG_ERROR_INIT) < 0)
		return -1;
	if (!strncmp(secret, "whsec_", 6)) {
		unsigned char *dec = NULL;
		size_t n = 0;

		if ((keylen - 6) % 4 || pg_base64_decode(&dec, &n, secret + 6, keylen - 6) < 0)
			return -1;
		if (n <= sizeof(key))
			memcpy(key, dec, n);
		explicit_bzero(dec, n);
		free(dec);
		if (n > sizeof(key))
			return -1;
		keylen = n;
	} else {
		if (keylen > sizeof(key))
			return -1;
		memcpy(key, secret, keylen);
	}
	pg_buf_init(&msg, len + 256);
	if (pg_buf_addf(&msg, "%s.%lld.", id, (long long)timestamp) < 0 || pg_buf_add(&msg, body, len) < 0)
		goto out;
	if (!pg_crypto.HMAC(pg_crypto.EVP_sha256(), key, (int)keylen, (const unsigned char *)msg.ptr, msg.len,
			    md, &mdlen) || mdlen != 32)
		goto out;
	if (!(b64 = pg_base64_encode(md, mdlen, true))) /* 44 characters */
		goto out;
	snprintf(out, 64, "v1,%s", b64);
	free(b64);
	ret = 0;
out:
	explicit_bzero(key, sizeof(key));
	pg_buf_release(&msg);
	return ret;
}

/* --------------------------------------------------------------- payloads */

static void slack_escape(struct pg_buf *b, const char *s)
{
	for (; s && *s; s++) {
		if (*s == '&')
			pg_buf_adds(b, "&amp;");
		else if (*s == '<')
			pg_buf_adds(b, "&lt;");
		else if (*s == '>')
			pg_buf_adds(b, "&gt;");
		else if ((unsigned char)*s < 0x20)
			pg_buf_addch(b, ' ');
		else
			pg_buf_addch(b, *s);
	}
}

static const char *jget(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);

	return json_is_string(v) ? json_string_value(v) : NULL;
}

static char *slack_text(json_t *ev)
{
	struct pg_buf b = PG_BUF_INIT;
	const char *kind = jget(ev, "event"), *icon = ":white_check_mark:";
	json_t *refs = json_object_get(ev, "refs"), *findings = json_object_get(ev, "findings");
	size_t nf = json_array_size(findings), shown = 0;

	if (kind && !strcmp(kind, "push.rejected"))
		icon = ":no_entry:";
	else if (kind && !strcmp(kind, "push.warned"))
		icon = ":warning:";
	else if (kind && !strcmp(kind, "push.bypassed"))
		icon = ":rotating_light:";
	else if (kind && !strcmp(kind, "push.scanned"))
		icon = jget(ev, "result") && !strcmp(jget(ev, "result"), "clean") ? ":mag:" : ":rotating_light:";
	else if (kind && !strcmp(kind, "policy.changed"))
		icon = ":scroll:";
	pg_buf_addf(&b, "%s pushguard: *%s* by ", icon, kind ? kind : "push");
	if (jget(ev, "result")) { /* push.scanned: the unchecked push's background check */
		pg_buf_adds(&b, "(result: ");
		slack_escape(&b, jget(ev, "result"));
		pg_buf_adds(&b, ") ");
	}
	slack_escape(&b, jget(ev, "pusher"));
	pg_buf_adds(&b, " to `");
	slack_escape(&b, jget(ev, "repository"));
	pg_buf_adds(&b, "`");
	for (size_t i = 0; i < json_array_size(refs) && i < 5; i++) {
		pg_buf_adds(&b, i ? ", " : " (");
		slack_escape(&b, jget(json_array_get(refs, i), "ref"));
	}
	if (json_array_size(refs))
		pg_buf_adds(&b, json_array_size(refs) > 5 ? ", ...)" : ")");
	pg_buf_addf(&b, ", policy %s", jget(ev, "policy") ? jget(ev, "policy") : "default");
	if (jget(ev, "bypass_reason")) {
		pg_buf_adds(&b, "\nbypass reason: ");
		slack_escape(&b, jget(ev, "bypass_reason"));
	}
	if (jget(ev, "error")) {
		pg_buf_adds(&b, "\nerror: ");
		slack_escape(&b, jget(ev, "error"));
	}
	if (json_is_array(json_object_get(ev, "changed_keys"))) { /* policy.changed */
		json_t *keys = json_object_get(ev, "changed_keys"), *files = json_object_get(ev, "changed_files");

		pg_buf_adds(&b, "\nchanged keys:");
		for (size_t i = 0; i < json_array_size(keys) && i < 20; i++) {
			pg_buf_adds(&b, " `");
			slack_escape(&b, json_string_value(json_array_get(keys, i)));
			pg_buf_adds(&b, "`");
		}
		if (!json_array_size(keys))
			pg_buf_adds(&b, " none");
		pg_buf_adds(&b, "; files:");
		for (size_t i = 0; i < json_array_size(files) && i < 20; i++) {
			pg_buf_adds(&b, " `");
			slack_escape(&b, json_string_value(json_array_get(files, i)));
			pg_buf_adds(&b, "`");
		}
	}
	for (size_t i = 0; i < nf && shown < 10; i++) {
		json_t *f = json_array_get(findings, i);
		json_t *line = json_object_get(f, "line");

		if (json_is_true(json_object_get(f, "allowed")))
			continue;
		shown++;
		pg_buf_adds(&b, "\n• ");
		slack_escape(&b, jget(f, "check"));
		pg_buf_adds(&b, " / ");
		slack_escape(&b, jget(f, "rule"));
		if (jget(f, "path")) {
			pg_buf_adds(&b, " `");
			slack_escape(&b, jget(f, "path"));
			if (json_is_integer(line))
				pg_buf_addf(&b, ":%lld", (long long)json_integer_value(line));
			pg_buf_adds(&b, "`");
		}
		pg_buf_adds(&b, ": ");
		slack_escape(&b, jget(f, "message"));
	}
	if (nf > shown && shown == 10)
		pg_buf_addf(&b, "\n(and more: %zu findings in all)", nf);
	return pg_buf_detach(&b);
}

int pg_webhook_payload(char **out, const struct pg_webhook *w, const char *event_json,
		       struct pg_error *err)
{
	json_t *ev = NULL, *doc = NULL;
	json_error_t jerr;
	int ret = PG_ERR;

	*out = NULL;
	if (w->format == PG_WEBHOOK_JSON) {
		if (!(*out = strdup(event_json)))
			return pg_error_oom(err);
		return 0;
	}
	if (!(ev = json_loads(event_json, 0, &jerr)) || !json_is_object(ev)) {
		ret = pg_error_set(err, PG_EINPUT, "spooled event is not JSON: %s", jerr.text);
		goto out;
	}
	if (w->format == PG_WEBHOOK_SLACK) {
		char *text = slack_text(ev);

		doc = text ? json_pack("{s:s}", "text", text) : NULL;
		free(text);
	} else {
		char host[256] = "localhost";
		const char *when = jget(ev, "time");
		struct tm tm = { 0 };
		double t = 0;

		gethostname(host, sizeof(host) - 1);
		host[sizeof(host) - 1] = '\0';
		if (when && strptime(when, "%Y-%m-%dT%H:%M:%S", &tm))
			t = (double)timegm(&tm) + (strlen(when) >= 23 ? atoi(when + 20) / 1000.0 : 0);
		doc = json_pack("{s:f,s:s,s:s,s:s,s:O}", "time", t, "host", host, "source", "pushguard",
				"sourcetype", "pushguard:push", "event", ev);
	}
	if (!doc || !(*out = json_dumps(doc, JSON_COMPACT | JSON_PRESERVE_ORDER))) {
		ret = pg_error_oom(err);
		goto out;
	}
	ret = 0;
out:
	json_decref(doc);
	json_decref(ev);
	return ret;
}

/* --------------------------------------------------------------- delivery */

static size_t discard(char *data, size_t size, size_t n, void *arg)
{
	(void)data;
	(void)arg;
	return size * n;
}

static int add_header(struct curl_slist **h, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int add_header(struct curl_slist **h, const char *fmt, ...)
{
	struct pg_buf b = PG_BUF_INIT;
	struct curl_slist *n;
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = pg_buf_vaddf(&b, fmt, ap);
	va_end(ap);
	n = rc < 0 ? NULL : pg_curl.slist_append(*h, b.ptr);
	if (b.alloc)
		explicit_bzero(b.ptr, b.len);
	pg_buf_release(&b);
	if (!n)
		return -1;
	*h = n;
	return 0;
}

int pg_webhook_post(const struct pg_webhook *w, const char *event_json, char *why, size_t whylen,
		    struct pg_error *err)
{
	json_t *ev = NULL;
	char *body = NULL, sig[72], std[64], errbuf[CURL_ERROR_SIZE] = "";
	const char *id, *kind;
	struct curl_slist *h = NULL;
	CURL *c = NULL;
	CURLcode code;
	long status = 0;
	int64_t now = (int64_t)time(NULL);
	int ret = PG_ERR, bad = 0;

	snprintf(why, whylen, "not sent");
	if ((ret = pg_curl_load("webhook delivery", err)) < 0)
		return ret;
	ret = PG_ERR;
	if (!(ev = json_loads(event_json, 0, NULL)) || !(id = jget(ev, "id")) || !(kind = jget(ev, "event"))) {
		/* a spool file that is not an event is never going to become one */
		snprintf(why, whylen, "not an event");
		ret = PG_WEBHOOK_GONE;
		goto out;
	}
	if ((ret = pg_webhook_payload(&body, w, event_json, err)) < 0)
		goto out;
	ret = PG_ERR;
	bad |= add_header(&h, "Content-Type: application/json");
	bad |= add_header(&h, "X-Pushguard-Event: %s", kind);
	bad |= add_header(&h, "X-Pushguard-Delivery: %s", id);
	bad |= add_header(&h, "webhook-id: %s", id);
	bad |= add_header(&h, "webhook-timestamp: %lld", (long long)now);
	if (w->secret) {
		if (pg_webhook_sign_github(sig, w->secret, strlen(w->secret), body, strlen(body)) < 0 ||
		    pg_webhook_sign_standard(std, w->secret, id, now, body, strlen(body)) < 0) {
			ret = pg_error_set(err, PG_ECONFIG, "cannot sign the webhook body (is the whsec_ secret in "
					   "pushguard.webhook.secretFile valid base64?)");
			goto out;
		}
		bad |= add_header(&h, "X-Pushguard-Signature-256: %s", sig);
		bad |= add_header(&h, "webhook-signature: %s", std);
	}
	if (w->token)
		bad |= add_header(&h, "Authorization: %s %s", w->format == PG_WEBHOOK_SPLUNK_HEC ? "Splunk" : "Bearer",
				  w->token);
	if (bad || !(c = pg_curl.easy_init())) {
		ret = pg_error_oom(err);
		goto out;
	}
	bad |= pg_curl.easy_setopt(c, CURLOPT_URL, w->url) != CURLE_OK;
	bad |= pg_curl.easy_setopt(c, CURLOPT_NOSIGNAL, 1L) != CURLE_OK;
	bad |= pg_curl.easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https") != CURLE_OK;
	bad |= pg_curl.easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "http,https") != CURLE_OK;
	bad |= pg_curl.easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L) != CURLE_OK;
	bad |= pg_curl.easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L) != CURLE_OK;
	bad |= pg_curl.easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L) != CURLE_OK;
	bad |= pg_curl.easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, (long)w->timeout_ms) != CURLE_OK;
	bad |= pg_curl.easy_setopt(c, CURLOPT_TIMEOUT_MS, (long)w->timeout_ms) != CURLE_OK;
	bad |= pg_curl.easy_setopt(c, CURLOPT_HTTPHEADER, h) != CURLE_OK;
	bad |= pg_curl.easy_setopt(c, CURLOPT_USERAGENT, "pushguard/" PG_VERSION) != CURLE_OK;
	bad |= pg_curl.easy_setopt(c, CURLOPT_POSTFIELDS, body) != CURLE_OK;
	bad |= pg_curl.easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)strlen(body)) != CURLE_OK;
	bad |= pg_curl.easy_setopt(c, CURLOPT_WRITEFUNCTION, discard) != CURLE_OK;
	bad |= pg_curl.easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf) != CURLE_OK;
	if (w->ca_file)
		bad |= pg_curl.easy_setopt(c, CURLOPT_CAINFO, w->ca_file) != CURLE_OK;
	if (bad) {
		ret = pg_error_set(err, PG_ERR, "cannot set up the webhook request (libcurl)");
		goto out;
	}
	code = pg_curl.easy_perform(c);
	if (code != CURLE_OK) {
		if (code == CURLE_OPERATION_TIMEDOUT)
			snprintf(why, whylen, "no answer within %lld ms (pushguard.webhook.timeout)",
				 (long long)w->timeout_ms);
		else
			snprintf(why, whylen, "%s", errbuf[0] ? errbuf : pg_curl.easy_strerror(code));
		ret = PG_WEBHOOK_RETRY;
		goto out;
	}
	pg_curl.easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
	snprintf(why, whylen, "HTTP %ld", status);
	ret = status >= 200 && status < 300 ? PG_WEBHOOK_DELIVERED : status == 410 ? PG_WEBHOOK_GONE : PG_WEBHOOK_RETRY;
out:
	if (c)
		pg_curl.easy_cleanup(c);
	for (struct curl_slist *p = h; p; p = p->next)
		explicit_bzero(p->data, strlen(p->data));
	if (h)
		pg_curl.slist_free_all(h);
	free(body);
	json_decref(ev);
	return ret;
}

/* ---- the handle and its accessors (pushguard.h) ---- */

int pg_webhook_open(struct pg_webhook **out, const struct pg_policy *p, const char *git_dir,
		    struct pg_strvec *problems, struct pg_error *err)
{
	if (!(*out = malloc(sizeof(**out))))
		return pg_error_oom(err);
	return pg_webhook_load(*out, p, git_dir, problems, err);
}

void pg_webhook_free(struct pg_webhook *w)
{
	if (!w)
		return;
	pg_webhook_release(w);
	free(w);
}

const char *pg_webhook_url(const struct pg_webhook *w)
{
	return w->url;
}

const char *pg_webhook_spool_dir(const struct pg_webhook *w)
{
	return w->spool_dir;
}

bool pg_webhook_spoolable(const struct pg_webhook *w)
{
	return w->spoolable;
}
