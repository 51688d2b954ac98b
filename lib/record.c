#include "record.h"

#include "buf.h"
#include "clock.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "audit.h"
#include "event.h"
#include "metrics.h"
#include "sender.h"
#include "spool.h"
#include "webhook.h"

const struct pg_key_def pg_reporting_keys[] = {
	{ "pushguard.auditLog", PG_KEY_PATH, NULL, "append every push decision to this file, one JSON event per line",
	  "", "file: one event per line (JSON Lines; [Reporting](reporting.md)); writable by the account that runs the hooks" },
	{ "pushguard.metricsFile", PG_KEY_PATH, NULL, "Prometheus text file (node_exporter textfile collector) to count pushes into",
	  "", "Prometheus text file for node_exporter's textfile collector" },
	{ "pushguard.bypassUsers", PG_KEY_STRINGS, NULL, "pushers who may push -o pushguard.bypass=\"reason\" (multi-valued)",
	  "nobody", "pushers who may bypass with `-o pushguard.bypass=\"reason\"` (multi)" },
	/* a string for the policy: a bad URL is a reporting problem (webhook.c), never a refused push */
	{ "pushguard.webhook.url", PG_KEY_STRING, NULL, "POST push events here (http/https)",
	  "", "`http://` or `https://` endpoint for events (credentials in it, `user:password@` or `?token=`, stay in the config: see [the spool](reporting.md))" },
	{ "pushguard.webhook.secretFile", PG_KEY_PATH, NULL, "file holding the HMAC secret that signs every webhook body",
	  "unsigned", "file whose first line is the HMAC secret that signs each body" },
	{ "pushguard.webhook.tokenFile", PG_KEY_PATH, NULL, "file holding an Authorization token (Splunk HEC token for splunk-hec, else Bearer)",
	  "", "file with an `Authorization` token: `Splunk <token>` for `splunk-hec`, else `Bearer <token>`" },
	{ "pushguard.webhook.events", PG_KEY_STRINGS, NULL, "events to send: rejected, warned, bypassed, unchecked, scanned, policy, accepted, landed or all (default: all but accepted and landed)",
	  "`rejected, warned, bypassed, unchecked, scanned, policy`", "`rejected`, `warned`, `bypassed`, `unchecked`, `scanned`, `policy` (policy.changed), `accepted`, `landed` or `all` (multi, or comma-separated)" },
	{ "pushguard.webhook.format", PG_KEY_ENUM, "json|slack|splunk-hec", "body format: json (default) | slack | splunk-hec",
	  "`json`", "`json` (the event) | `slack` (`{\"text\": ...}`) | `splunk-hec` (`{\"time\",\"host\",\"source\",\"sourcetype\",\"event\"}`)" },
	{ "pushguard.webhook.timeout", PG_KEY_DURATION, NULL, "connect and total time per delivery attempt (default 5s; 100ms to 60s)",
	  "`5s`", "connect and total time per delivery attempt, `100ms` to `60s`" },
	{ "pushguard.webhook.caFile", PG_KEY_PATH, NULL, "CA bundle for an endpoint with a private CA",
	  "system CAs", "CA bundle for an endpoint with a private CA" },
	{ "pushguard.webhook.spoolDir", PG_KEY_PATH, NULL, "where undelivered events wait (default <GIT_DIR>/pushguard-spool)",
	  "`<GIT_DIR>/pushguard-spool`, in the repository", "where undelivered events wait" },
	{ "pushguard.webhook.retries", PG_KEY_COUNT, NULL, "background retries after a failed delivery, 1s, 2s, 4s, ... apart (default 4; 0 to 20)",
	  "`4`", "background retries after a failed attempt, 1 s, 2 s, 4 s, ... apart, `0` to `20`" },
	{ NULL }
};

static enum pg_event_kind decide_kind(const struct pg_record_input *in)
{
	if (in->policy_change)
		return PG_EVENT_POLICY_CHANGED;
	if (in->landed)
		return PG_EVENT_LANDED;
	if (in->scan)
		return PG_EVENT_SCANNED;
	if (in->verdict->refused)
		return PG_EVENT_REJECTED;
	if (in->verdict->timed_out)
		return PG_EVENT_UNCHECKED;
	if (in->bypass && in->bypass->honoured)
		return PG_EVENT_BYPASSED;
	if (in->findings && pg_findings_count_blocking(in->findings) && in->policy->mode == PG_MODE_WARN)
		return PG_EVENT_WARNED;
	return PG_EVENT_ACCEPTED;
}

static void note(struct pg_strvec *problems, const struct pg_error *err)
{
	pg_strvec_push(problems, err->msg);
}

/* The repository's directory, absolute. Caller frees. */
static char *git_dir_of(git_repository *repo)
{
	const char *d = repo ? git_repository_path(repo) : NULL;
	char *abs;

	if (!d)
		d = getenv("GIT_DIR");
	if (!d || !*d)
		d = ".";
	if ((abs = realpath(d, NULL)))
		return abs;
	return strdup(d);
}

static bool set(const char *v)
{
	return v && *v;
}

bool pg_record_configured(const struct pg_policy *p)
{
	return set(pg_policy_str(p, "pushguard.auditLog", NULL)) || set(pg_policy_str(p, "pushguard.metricsFile", NULL)) ||
	       set(pg_policy_str(p, "pushguard.webhook.url", NULL));
}

void pg_record(struct pg_strvec *problems, const struct pg_record_input *in)
{
	const struct pg_policy *p = in->policy;
	const char *audit = pg_policy_str(p, "pushguard.auditLog", NULL);
	const char *metrics = pg_policy_str(p, "pushguard.metricsFile", NULL);
	const char *url = pg_policy_str(p, "pushguard.webhook.url", NULL);
	struct pg_webhook w = PG_WEBHOOK_INIT;
	struct pg_error err = PG_ERROR_INIT, conf = PG_ERROR_INIT;
	struct pg_event ev = { 0 };
	char *git_dir = NULL, *repository = NULL, *json = NULL, *dest = NULL;
	bool spooled = false;
	int rc;

	if ((!audit || !*audit) && (!metrics || !*metrics) && (!url || !*url))
		return; /* nothing to record: costs nothing */
	git_dir = git_dir_of(in->repo);
	repository = pg_event_repository(git_dir);
	if (in->id)
		snprintf(ev.id, sizeof(ev.id), "%s", in->id);
	else
		pg_event_new_id(ev.id);
	ev.kind = decide_kind(in);
	ev.time_ms = pg_event_now_ms();
	ev.hook = in->hook;
	ev.repository = repository;
	ev.push = in->push;
	ev.findings = in->findings;
	ev.policy = p->name ? p->name : "default";
	ev.mode = pg_policy_mode_name(p->mode);
	ev.duration_ms = pg_clock_ms() - in->verdict->start_ms;
	ev.error = in->verdict->error;
	ev.unchecked = in->verdict->unchecked;
	if (in->bypass && in->bypass->honoured)
		ev.bypass_reason = in->bypass->reason;
	if (in->bypass && in->bypass->requested && !in->bypass->honoured)
		ev.bypass_refused = in->bypass->refused;
	if (in->scan) {
		ev.result = in->scan->result;
		ev.unchecked_id = in->scan->unchecked_id;
		ev.not_landed = in->scan->not_landed;
		ev.duration_ms = in->scan->duration_ms;
	}
	if (in->policy_change) {
		ev.policy_ref = in->policy_change->ref;
		ev.policy_old = in->policy_change->old;
		ev.policy_new = in->policy_change->new;
		ev.changed_keys = in->policy_change->changed_keys;
		ev.changed_files = in->policy_change->changed_files;
		ev.findings = NULL;
	}
	if (!git_dir || !repository || pg_event_to_json(&json, &ev, &err) < 0) {
		pg_strvec_push(problems, "cannot record the push: out of memory");
		goto out;
	}
	if (audit && *audit && pg_audit_append(audit, json, &err) < 0)
		note(problems, &err);
	if (metrics && *metrics && !in->policy_change &&
	    (in->landed ? pg_metrics_update_landed(metrics, repository, in->push ? in->push->nupdates : 0, &err)
	     : in->scan ? pg_metrics_update_scan(metrics, repository, ev.result, in->findings, &err)
			: pg_metrics_update(metrics, repository, pg_event_kind_word(ev.kind), in->findings, ev.duration_ms,
					    &err)) < 0)
		note(problems, &err);
	if (!url || !*url)
		goto out;
	/* A bad webhook setting never loses the event: it waits in the spool
	 * until the setting is fixed (then `pushguard flush` or the next push
	 * sends it), unless the URL itself is at fault: nowhere to address it. */
	if ((rc = pg_webhook_load(&w, p, git_dir, NULL, &conf)) == PG_ERR) {
		note(problems, &conf);
		goto out;
	}
	if (rc < 0 && (in->landed || in->policy_change) && !(w.events & (1u << ev.kind)))
		goto out; /* the push's decision said so already; this event is not for the webhook */
	if (rc < 0 && !w.spoolable) {
		pg_strvec_push(problems, conf.msg);
		if (w.events & (1u << ev.kind))
			pg_strvec_push(problems, "the webhook event for this push is not sent (the audit log has it if configured)");
		goto out;
	}
	if (w.events & (1u << ev.kind)) {
		if (pg_webhook_destination(&dest, w.url) < 0 ||
		    pg_spool_write(w.spool_dir, ev.id, dest, json, &err) < 0) {
			pg_strvec_push(problems, dest ? err.msg : "cannot spool the webhook event: out of memory");
			pg_strvec_push(problems, "the webhook event for this push is lost (the audit log has it if configured)");
		} else {
			spooled = true;
		}
	}
	if (rc < 0) {
		struct pg_buf line = PG_BUF_INIT;

		pg_buf_adds(&line, conf.msg);
		if (spooled)
			pg_buf_addf(&line, "; the webhook event for this push waits in %s until this is fixed "
				    "(then `pushguard flush` sends it)", w.spool_dir);
		pg_strvec_push(problems, line.ptr);
		pg_buf_release(&line);
		goto out;
	}
	/* at most one sender per spool: with one running, this event is left to it */
	if ((spooled || pg_spool_has_due(w.spool_dir, time(NULL))) &&
	    pg_sender_spawn(&w, spooled ? ev.id : NULL, &err) < 0)
		note(problems, &err); /* the spool keeps it: the next push or `pushguard flush` sends it */
out:
	pg_webhook_release(&w);
	free(dest);
	free(json);
	free(repository);
	free(git_dir);
}
