#include "event.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "build-config.h"
#include "mask.h"

const char *pg_event_kind_name(enum pg_event_kind kind)
{
	switch (kind) {
	case PG_EVENT_REJECTED:
		return "push.rejected";
	case PG_EVENT_WARNED:
		return "push.warned";
	case PG_EVENT_BYPASSED:
		return "push.bypassed";
	case PG_EVENT_UNCHECKED:
		return "push.unchecked";
	case PG_EVENT_SCANNED:
		return "push.scanned";
	case PG_EVENT_LANDED:
		return "push.landed";
	case PG_EVENT_POLICY_CHANGED:
		return "policy.changed";
	default:
		return "push.accepted";
	}
}

const char *pg_event_kind_word(enum pg_event_kind kind)
{
	return kind == PG_EVENT_POLICY_CHANGED ? "policy" : pg_event_kind_name(kind) + strlen("push.");
}

void pg_event_new_id(char id[37])
{
	unsigned char r[16];
	size_t got = 0;

	while (got < sizeof(r)) {
		ssize_t n = getrandom(r + got, sizeof(r) - got, 0);

		if (n <= 0)
			break;
		got += (size_t)n;
	}
	if (got < sizeof(r)) { /* no getrandom: time, pid and a counter still make it unique here */
		static unsigned counter;
		struct timespec ts;

		clock_gettime(CLOCK_REALTIME, &ts);
		snprintf((char *)r, sizeof(r), "%08lx%04x%03x", (unsigned long)ts.tv_nsec ^ (unsigned long)ts.tv_sec,
			 (unsigned)getpid() & 0xffff, counter++ & 0xfff);
	}
	r[6] = (unsigned char)((r[6] & 0x0f) | 0x40);
	r[8] = (unsigned char)((r[8] & 0x3f) | 0x80);
	snprintf(id, 37, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
		 r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8], r[9], r[10], r[11], r[12], r[13],
		 r[14], r[15]);
}

int64_t pg_event_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void pg_event_format_time(char out[32], int64_t time_ms)
{
	time_t t = (time_t)(time_ms / 1000);
	struct tm tm;

	char date[24];

	gmtime_r(&t, &tm);
	strftime(date, sizeof(date), "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(out, 32, "%.20s.%03uZ", date, (unsigned)(time_ms % 1000) % 1000u);
}

char *pg_event_repository(const char *git_dir)
{
	const char *gl = getenv("GL_PROJECT_PATH");
	const char *gu = getenv("GITEA_REPO_USER_NAME"), *gn = getenv("GITEA_REPO_NAME");
	struct pg_buf b = PG_BUF_INIT;

	if (gl && *gl)
		return strdup(gl);
	if (gu && *gu && gn && *gn) {
		if (pg_buf_addf(&b, "%s/%s", gu, gn) < 0)
			return NULL;
		return pg_buf_detach(&b);
	}
	if (pg_buf_adds(&b, git_dir ? git_dir : ".") < 0)
		return NULL;
	while (b.len > 1 && b.ptr[b.len - 1] == '/')
		b.ptr[--b.len] = '\0';
	if (b.len > 5 && !strcmp(b.ptr + b.len - 5, "/.git")) {
		b.len -= 5;
		b.ptr[b.len] = '\0';
	}
	return pg_buf_detach(&b);
}

/* jansson refuses invalid UTF-8; ref names and paths from a push may hold any bytes. */
static json_t *jstr_masked(const char *s);

/* Every string of an event: secrets found in names and messages masked (mask.h). */
static json_t *jstr(const char *s)
{
	char *masked;
	json_t *v;

	if (!s || !pg_mask_active())
		return jstr_masked(s);
	if (!(masked = pg_mask_dup(s)))
		return NULL; /* the event fails: never the raw text */
	v = jstr_masked(masked);
	free(masked);
	return v;
}

static json_t *jstr_masked(const char *s)
{
	json_t *v;
	struct pg_buf b = PG_BUF_INIT;

	if (!s)
		return json_null();
	if ((v = json_string(s)))
		return v;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		pg_buf_addch(&b, *p < 0x80 ? (char)*p : '?');
	if (pg_buf_failed(&b)) { /* never a cut value: the event fails */
		pg_buf_release(&b);
		return NULL;
	}
	v = json_string(b.ptr);
	pg_buf_release(&b);
	return v ? v : json_null();
}

static int set(json_t *o, const char *key, json_t *v)
{
	return v ? json_object_set_new(o, key, v) : -1;
}

static json_t *finding_json(const struct pg_finding *x)
{
	json_t *o = json_object();
	int bad = !o;

	if (bad)
		return NULL;
	bad |= set(o, "check", jstr(x->check));
	bad |= set(o, "rule", jstr(x->rule));
	bad |= set(o, "ref", jstr(x->ref));
	bad |= set(o, "commit", x->commit[0] ? jstr(x->commit) : json_null());
	if (x->path)
		bad |= set(o, "path", jstr(x->path));
	if (x->line)
		bad |= set(o, "line", json_integer((json_int_t)x->line));
	bad |= set(o, "message", jstr(x->message));
	bad |= set(o, "fingerprint", jstr(x->fingerprint));
	bad |= set(o, "confidence", json_string(pg_confidence_name(x->confidence)));
	if (x->warning && !x->allowed_by)
		bad |= set(o, "warning", json_true());
	if (x->allowed_by) {
		bad |= set(o, "allowed", json_true());
		bad |= set(o, "allowed_by", jstr(x->allowed_by));
	}
	if (bad) {
		json_decref(o);
		return NULL;
	}
	return o;
}

int pg_event_to_json(char **out, const struct pg_event *ev, struct pg_error *err)
{
	json_t *o = json_object(), *refs = json_array(), *findings = json_array(), *notes = NULL;
	char when[32];
	size_t nf = ev->findings ? ev->findings->n : 0;
	int bad = !o || !refs || !findings;

	*out = NULL;
	pg_event_format_time(when, ev->time_ms);
	for (size_t i = 0; !bad && ev->push && i < ev->push->nupdates; i++) {
		const struct pg_ref_update *u = &ev->push->updates[i];
		json_t *r = json_object();

		bad |= !r || set(r, "ref", jstr(u->ref)) || set(r, "old", jstr(u->old)) ||
		       set(r, "new", jstr(u->new)) || json_array_append_new(refs, r);
	}
	for (size_t i = 0; !bad && i < nf && i < PG_EVENT_MAX_FINDINGS; i++)
		bad |= json_array_append_new(findings, finding_json(&ev->findings->v[i]));
	if (!bad) {
		bad |= set(o, "id", json_string(ev->id));
		bad |= set(o, "event", json_string(pg_event_kind_name(ev->kind)));
		bad |= set(o, "time", json_string(when));
		bad |= set(o, "repository", jstr(ev->repository));
		bad |= set(o, "pusher", jstr(ev->push ? ev->push->pusher : NULL));
		bad |= set(o, "protocol", jstr(ev->push ? ev->push->protocol : NULL));
		bad |= json_object_set(o, "refs", refs);
		bad |= json_object_set(o, "findings", findings);
		bad |= set(o, "policy", jstr(ev->policy ? ev->policy : "default"));
		bad |= set(o, "mode", jstr(ev->mode));
		bad |= set(o, "duration_ms", json_integer((json_int_t)ev->duration_ms));
		bad |= set(o, "pushguard_version", json_string(PG_VERSION));
	}
	if (!bad && ev->hook)
		bad |= set(o, "hook", json_string(ev->hook));
	if (!bad && nf > PG_EVENT_MAX_FINDINGS)
		bad |= set(o, "findings_truncated", json_integer((json_int_t)(nf - PG_EVENT_MAX_FINDINGS)));
	if (!bad && ev->findings && ev->findings->notes.n) {
		bad |= !(notes = json_array());
		for (size_t i = 0; !bad && i < ev->findings->notes.n; i++)
			bad |= json_array_append_new(notes, jstr(ev->findings->notes.v[i]));
		bad |= json_object_set(o, "notes", notes);
	}
	if (!bad && ev->bypass_reason)
		bad |= set(o, "bypass_reason", jstr(ev->bypass_reason));
	if (!bad && ev->bypass_refused)
		bad |= set(o, "bypass_refused", jstr(ev->bypass_refused));
	if (!bad && ev->error)
		bad |= set(o, "error", jstr(ev->error));
	if (!bad && ev->unchecked)
		bad |= set(o, "unchecked", json_true());
	if (!bad && ev->result)
		bad |= set(o, "result", jstr(ev->result));
	if (!bad && ev->unchecked_id)
		bad |= set(o, "unchecked_id", jstr(ev->unchecked_id));
	if (!bad && ev->not_landed && ev->not_landed->n) {
		json_t *nl = json_array();

		for (size_t i = 0; nl && !bad && i < ev->not_landed->n; i++)
			bad |= json_array_append_new(nl, jstr(ev->not_landed->v[i]));
		if (bad)
			json_decref(nl);
		else
			bad |= set(o, "not_landed", nl); /* takes nl; NULL: -1 */
	}
	if (!bad && ev->kind == PG_EVENT_POLICY_CHANGED) {
		json_t *pr = json_object(), *keys = json_array(), *files = json_array();

		bad |= !pr || !keys || !files;
		bad |= bad || set(pr, "ref", jstr(ev->policy_ref)) || set(pr, "old", jstr(ev->policy_old)) ||
		       set(pr, "new", jstr(ev->policy_new));
		for (size_t i = 0; !bad && ev->changed_keys && i < ev->changed_keys->n; i++)
			bad |= json_array_append_new(keys, jstr(ev->changed_keys->v[i]));
		for (size_t i = 0; !bad && ev->changed_files && i < ev->changed_files->n; i++)
			bad |= json_array_append_new(files, jstr(ev->changed_files->v[i]));
		bad |= bad || json_object_set(o, "policy_ref", pr) || json_object_set(o, "changed_keys", keys) ||
		       json_object_set(o, "changed_files", files);
		json_decref(pr);
		json_decref(keys);
		json_decref(files);
	}
	if (!bad)
		*out = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(refs);
	json_decref(findings);
	json_decref(notes);
	json_decref(o);
	if (!*out)
		return pg_error_set(err, PG_ERR, "out of memory building the push event");
	return 0;
}
