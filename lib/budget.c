#include "budget.h"

#include "clock.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "render.h"

const struct pg_key_def pg_budget_keys[] = {
	{ "pushguard.timeBudget", PG_KEY_DURATION, NULL, "time to check one push (default 4s; 0 = no limit)",
	  "`4s`", "time to check one push (`4s`, `500ms`; `0` = no limit); see [Time budget](policy.md#time-budget)" },
	{ "pushguard.onTimeout", PG_KEY_ENUM, "reject|accept-and-report",
	  "budget spent: reject (default) | accept-and-report (accepted unchecked, recorded as push.unchecked, "
	  "checked in the background: push.scanned)",
	  "`reject`", "`reject` | `accept-and-report`: what a push that needs more than the budget gets ([Time budget](policy.md#time-budget))" },
	{ NULL },
};

int64_t pg_budget_deadline(const struct pg_policy *p, int64_t start_ms)
{
	int64_t budget = pg_policy_int(p, "pushguard.timeBudget", PG_BUDGET_DEFAULT_MS);

	return budget > 0 ? start_ms + budget : 0;
}

bool pg_budget_expired(int64_t deadline_ms)
{
	return deadline_ms && pg_clock_ms() >= deadline_ms;
}

int pg_budget_error(struct pg_error *err, const char *where)
{
	return pg_error_set(err, PG_ETIMEOUT, "the time budget (pushguard.timeBudget) ran out while %s", where);
}

bool pg_budget_accepts(const struct pg_policy *p)
{
	return !strcasecmp(pg_policy_str(p, "pushguard.onTimeout", "reject"), "accept-and-report");
}

/* The ref as a word a shell reads back unchanged: made safe for the terminal
 * first, then single-quoted unless it holds only characters no shell treats
 * specially (ref names may hold $, `, ;, ( and ) and non-ASCII text). */
static void add_ref_word(struct pg_buf *out, const char *ref)
{
	char *safe = pg_render_safe_dup(ref);
	const char *s = safe ? safe : "refs/heads/BRANCH";

	if (*s && !s[strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789/._-+,=@%")])
		pg_buf_adds(out, s);
	else
		pg_buf_add_shell_quoted(out, s);
	free(safe);
}

void pg_budget_render(struct pg_buf *out, const struct pg_error *err, const struct pg_policy *p,
		      const struct pg_push *push, bool accepted, bool background)
{
	const char *branch = "refs/heads/BRANCH";
	int64_t budget = pg_policy_int(p, "pushguard.timeBudget", PG_BUDGET_DEFAULT_MS);

	for (size_t i = 0; i < push->nupdates; i++)
		if (!push->updates[i].deleted && !strncmp(push->updates[i].ref, "refs/heads/", 11)) {
			branch = push->updates[i].ref;
			break;
		}
	if (accepted) {
		pg_buf_addf(out, "pushguard: warning: push NOT fully checked: too large to check within %lld ms (",
			    (long long)budget);
		pg_render_safe(out, err->msg);
		pg_buf_adds(out, ")\npushguard: accepted because pushguard.onTimeout = accept-and-report; "
			    "recorded as push.unchecked for an admin to review\n");
		if (background)
			pg_buf_adds(out, "pushguard: it is checked in full in the background now; what that finds is "
				    "reported to the admins\n");
		return;
	}
	pg_buf_addf(out, "pushguard: push refused: the push is too large to check in time (%lld ms; ", (long long)budget);
	pg_render_safe(out, err->msg);
	pg_buf_adds(out, ")\npushguard: push fewer commits at a time, an older commit first, e.g.\n"
		    "pushguard:     git push origin HASH:");
	add_ref_word(out, branch);
	pg_buf_adds(out, "\npushguard: with HASH a commit some way back (git log --oneline; e.g. a few hundred "
		    "commits back),\npushguard: then push again, until the whole branch is pushed. No ref was updated.\n");
}
