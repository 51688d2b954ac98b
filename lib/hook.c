#include "hook.h"

#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "background.h"
#include "budget.h"
#include "buf.h"
#include "chain.h"
#include "check.h"
#include "clock.h"
#include "decide.h"
#include "check_secrets.h"
#include "error.h"
#include "event.h"
#include "finding.h"
#include "policy.h"
#include "policy_ref.h"
#include "push.h"
#include "record.h"
#include "render.h"
#include "signature.h"
#include "tickets.h"
#include "repo.h"
#include "walk.h"

struct hook_run {
	enum pg_hook_kind kind;
	const char *chain_dir;
	char **update_args; /* REF OLD NEW */
	struct pg_push push;
	struct pg_policy policy;
	struct pg_walk walk;
	struct pg_findings findings;
	git_repository *repo;
	const char *out_prefix; /* "GL-HOOK-ERR: " under GitLab when refusing */
	struct pg_bypass bypass;   /* -o pushguard.bypass=REASON, decided after the checks */
	struct pg_verdict verdict; /* how the push was decided, for the record */
	char event_id[37];         /* the recorded event's id */
	bool background;           /* accepted unchecked: checked afterwards by a detached process */
	char *config;              /* the repository's config file */
	struct pg_policy_push policy_push; /* an update of the policy ref (policy_ref.h) */
};

static const char *hook_name(enum pg_hook_kind kind)
{
	return kind == PG_HOOK_UPDATE ? "update" : "pre-receive";
}

/* Writes what was rendered for the pusher; a buffer that failed (out of
 * memory, buf.h) is said to be incomplete, not passed off as the whole text. */
static void write_out(const struct pg_buf *b, const char *prefix)
{
	pg_render_write(stderr, b->ptr, prefix);
	if (pg_buf_failed(b))
		pg_render_write(stderr, "pushguard: (out of memory: the text above is incomplete)", prefix);
}

static void usage(enum pg_hook_kind kind)
{
	fprintf(stderr, "usage: pushguard-%s [--chain DIR]%s\n", hook_name(kind),
		kind == PG_HOOK_UPDATE ? " REF OLD NEW" : "   (ref updates on stdin)");
}

/* Everything up to the verdict. Findings land in run->findings. */
static int check_push(struct hook_run *run, struct pg_error *err)
{
	return pg_check_push(&run->walk, &run->findings, run->repo, &run->push, &run->policy,
			     pg_budget_deadline(&run->policy, run->verdict.start_ms), err);
}

static int load(struct hook_run *run, FILE *in, struct pg_error *err)
{
	int rc;

	if (run->kind == PG_HOOK_PRE_RECEIVE)
		rc = pg_push_read(&run->push, in, err);
	else
		rc = pg_push_add_update(&run->push, run->update_args[0], run->update_args[1],
					run->update_args[2], err);
	if (rc < 0)
		return rc;
	if ((rc = pg_push_read_env(&run->push, err)) < 0)
		return rc;
	if ((rc = pg_repo_open(&run->repo, NULL, err)) < 0)
		return rc;
	if (!(run->config = pg_repo_config_path(run->repo)))
		return pg_error_oom(err);
	return pg_policy_load_repo(&run->policy, run->repo, run->config, NULL, err);
}

static int run_chain(struct hook_run *run)
{
	struct pg_error err = PG_ERROR_INIT;
	char *refused = NULL;
	int rc;

	if (run->kind == PG_HOOK_PRE_RECEIVE)
		rc = pg_chain_run(&refused, run->chain_dir, NULL, 0, run->push.raw_input.ptr,
				  run->push.raw_input.len, &err);
	else
		rc = pg_chain_run(&refused, run->chain_dir, run->update_args, 3, NULL, 0, &err);
	if (rc < 0) {
		struct pg_buf out = PG_BUF_INIT;

		pg_render_error(&out, &err, false);
		write_out(&out, run->out_prefix);
		pg_buf_release(&out);
		return 1;
	}
	if (rc > 0) {
		struct pg_buf out = PG_BUF_INIT;

		pg_buf_adds(&out, "pushguard: push refused by the chained hook ");
		pg_render_safe(&out, refused);
		write_out(&out, run->out_prefix);
		pg_buf_release(&out);
		free(refused);
		return 1;
	}
	return 0;
}

/* Audit log, metrics, webhook spool (record.h): never changes the verdict. */
static void record(struct hook_run *run, int status)
{
	struct pg_strvec problems = PG_STRVEC_INIT;
	struct pg_record_input in = { hook_name(run->kind), &run->push, &run->policy, &run->findings,
				      &run->bypass, &run->verdict, run->repo, run->event_id, NULL };

	run->verdict.refused = status != 0;
	pg_record(&problems, &in);
	for (size_t i = 0; i < problems.n; i++) {
		struct pg_buf line = PG_BUF_INIT;

		pg_buf_adds(&line, "pushguard: warning: ");
		pg_render_safe(&line, problems.v[i]);
		pg_buf_adds(&line, " (the push decision stands)");
		write_out(&line, NULL);
		pg_buf_release(&line);
	}
	pg_strvec_release(&problems);
}

/* An accepted update of the policy ref: policy.changed, beside the push's own event. */
static void record_policy_change(struct hook_run *run)
{
	struct pg_strvec problems = PG_STRVEC_INIT;
	struct pg_record_policy change = { run->policy_push.ref, run->policy_push.old, run->policy_push.new,
					   &run->policy_push.changed_keys, &run->policy_push.changed_files };
	struct pg_record_input in = { hook_name(run->kind), &run->push, &run->policy, NULL, NULL, &run->verdict,
				      run->repo, NULL, NULL, false, &change };

	pg_record(&problems, &in);
	for (size_t i = 0; i < problems.n; i++) {
		struct pg_buf line = PG_BUF_INIT;

		pg_buf_adds(&line, "pushguard: warning: ");
		pg_render_safe(&line, problems.v[i]);
		pg_buf_adds(&line, " (the push decision stands)");
		write_out(&line, NULL);
		pg_buf_release(&line);
	}
	pg_strvec_release(&problems);
}

/* pushguard.onTimeout = accept-and-report, once the push is accepted and
 * recorded: the check goes on in a detached process (background.h). */
static void start_background(struct hook_run *run)
{
	struct pg_error err = PG_ERROR_INIT;
	struct pg_buf line = PG_BUF_INIT;

	if (pg_background_start(run->repo, &run->push, hook_name(run->kind), run->event_id, &err) == 0)
		return;
	pg_buf_adds(&line, "pushguard: warning: no background check of this push: ");
	pg_render_safe(&line, err.msg);
	pg_buf_adds(&line, " (the push decision stands)");
	write_out(&line, NULL);
	pg_buf_release(&line);
}

/* What the pusher reads about the decision (render.h), on standard error:
 * refusals with GitLab's prefix, everything else plain. */
static void tell(struct hook_run *run, const struct pg_decision *d, const struct pg_error *err)
{
	struct pg_buf out = PG_BUF_INIT;
	size_t blocking = pg_findings_count_blocking(&run->findings);

	switch (d->outcome) {
	case PG_OUTCOME_OFF:
		break;
	case PG_OUTCOME_TIMEOUT_ACCEPT:
	case PG_OUTCOME_TIMEOUT_REFUSE:
		pg_budget_render(&out, err, &run->policy, &run->push, d->accepted, d->background);
		break;
	case PG_OUTCOME_ERROR_ACCEPT:
	case PG_OUTCOME_ERROR_REFUSE:
		pg_render_error(&out, err, d->accepted);
		break;
	case PG_OUTCOME_REFUSE:
	case PG_OUTCOME_WARN: {
		/* a refused update of the policy ref is refused whatever the mode */
		struct pg_render_opts opts = { run->policy_push.refused ? PG_MODE_ENFORCE : run->policy.mode,
					       run->policy.name, pg_secrets_block(&run->policy) };

		pg_render_notes(&out, &run->findings);
		write_out(&out, NULL);
		pg_buf_reset(&out);
		pg_render_findings(&out, &run->findings, &opts);
		if (d->cut_short)
			pg_buf_adds(&out, "pushguard: the time budget (pushguard.timeBudget) ran out before every check had run:\n"
					  "pushguard: there may be more problems after these are fixed.\n");
		pg_bypass_render(&out, &run->bypass, 0);
		break;
	}
	case PG_OUTCOME_ACCEPT:
	case PG_OUTCOME_BYPASS:
		pg_render_notes(&out, &run->findings);
		/* what was found below the block level or allowed is still shown */
		pg_render_minor(&out, &run->findings, pg_secrets_block(&run->policy));
		pg_bypass_render(&out, &run->bypass, blocking);
		break;
	}
	if (out.len)
		write_out(&out, d->accepted ? NULL : run->out_prefix);
	pg_buf_release(&out);
}

static bool only_policy_ref(const struct hook_run *run)
{
	for (size_t i = 0; i < run->push.nupdates; i++)
		if (strcmp(run->push.updates[i].ref, run->policy_push.ref))
			return false;
	return true;
}

/* The policy in force is invalid, and this push replaces the policy ref with a
 * valid one (policy_push.c validated it with every other layer as it is): so
 * what is invalid is the policy ref in force, which must not lock its own fix
 * out. The push is judged without the ref layer. */
static int repair(struct hook_run *run, struct pg_error *err)
{
	struct pg_error lerr = PG_ERROR_INIT;
	int rc;

	pg_policy_release(&run->policy);
	pg_policy_init(&run->policy);
	rc = pg_policy_load_with_ref(&run->policy, run->config, NULL, &lerr);
	*err = lerr;
	if (rc == 0)
		pg_findings_note(&run->findings, NULL, "the policy ref in force (%s) is invalid: this push, which "
				 "replaces it with a valid one, is judged without it", run->policy_push.ref);
	return rc;
}

/* Load, check, decide (decide.h), tell the pusher, run the chained hooks
 * when accepted, record; then, for a push accepted unchecked, the
 * background check. Returns the exit status. */
static int run_hook(struct hook_run *run, FILE *in)
{
	struct pg_error err = PG_ERROR_INIT;
	struct pg_decision d;
	int status, rc;

	rc = pg_repo_global_init(&err);
	if (rc == 0)
		rc = load(run, in, &err);
	/* the policy ref is guarded in every mode (`mode = off` set from it cannot open it), and with
	 * an invalid setting elsewhere too (onError = accept does not open it either) */
	if (rc == 0) {
		rc = pg_policy_push_check(&run->policy_push, run->repo, &run->push, &run->policy, run->config,
					  &run->findings, &err);
	} else if (rc == PG_ECONFIG) {
		struct pg_error gerr = PG_ERROR_INIT;

		if (pg_policy_push_check(&run->policy_push, run->repo, &run->push, &run->policy, run->config,
					 &run->findings, &gerr) < 0)
			run->policy_push.refused = true;
		else if (run->policy_push.changed && only_policy_ref(run))
			rc = repair(run, &err);
	}
	if (rc == 0 && run->policy.mode != PG_MODE_OFF)
		rc = check_push(run, &err);
	if ((rc == 0 || rc == PG_ETIMEOUT) && run->policy.mode != PG_MODE_OFF)
		(void)pg_bypass_decide(&run->bypass, &run->push, &run->policy); /* out of memory: not honoured */
	pg_decide(&d, &(struct pg_decide_input){ rc, run->policy.mode, run->policy.on_error,
						 pg_budget_accepts(&run->policy), pg_record_configured(&run->policy),
						 pg_findings_count_blocking(&run->findings), run->bypass.honoured });
	if (run->policy_push.refused && d.accepted) {
		/* neither mode, onError, onTimeout nor a bypass lets a refused policy update through */
		d = (struct pg_decision){ PG_OUTCOME_REFUSE, false, false, false, false, false };
		pg_bypass_release(&run->bypass);
		run->bypass = (struct pg_bypass)PG_BYPASS_INIT;
		rc = 0;
	}
	if (d.failed) { /* a bypass overrides findings, not errors or the budget */
		pg_bypass_release(&run->bypass);
		run->bypass = (struct pg_bypass)PG_BYPASS_INIT;
	}
	run->verdict.error = d.failed ? err.msg : NULL;
	run->verdict.unchecked = d.unchecked;
	run->verdict.timed_out = d.outcome == PG_OUTCOME_TIMEOUT_ACCEPT;
	run->background = d.background;
	tell(run, &d, &err);
	status = d.accepted ? run_chain(run) : 1;
	record(run, status);
	if (status == 0 && run->policy_push.changed)
		record_policy_change(run);
	if (status == 0 && run->background)
		start_background(run);
	return status;
}

int pg_hook_main(enum pg_hook_kind kind, int argc, char **argv)
{
	struct hook_run run = { 0 };
	int i, status;

	if (argc == 3 && !strcmp(argv[1], "--background-scan")) /* hidden: started by start_background() */
		return pg_background_main(argv[2]);
	run.kind = kind;
	run.verdict.start_ms = pg_clock_ms();
	pg_event_new_id(run.event_id);
	run.push = (struct pg_push)PG_PUSH_INIT;
	pg_policy_init(&run.policy);
	run.policy_push = (struct pg_policy_push)PG_POLICY_PUSH_INIT;
	run.walk = (struct pg_walk)PG_WALK_INIT;
	run.findings = (struct pg_findings)PG_FINDINGS_INIT;
	run.out_prefix = getenv("GL_ID") ? "GL-HOOK-ERR: " : NULL;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--chain") && i + 1 < argc) {
			run.chain_dir = argv[++i];
		} else if (!strcmp(argv[i], "--")) {
			i++;
			break;
		} else if (argv[i][0] == '-' && argv[i][1] == '-') {
			usage(kind);
			return 1;
		} else {
			break;
		}
	}
	if ((kind == PG_HOOK_UPDATE && argc - i != 3) || (kind == PG_HOOK_PRE_RECEIVE && argc != i)) {
		usage(kind);
		return 1;
	}
	run.update_args = argv + i;
	signal(SIGPIPE, SIG_IGN);

	status = run_hook(&run, stdin);

	pg_bypass_release(&run.bypass);
	pg_findings_release(&run.findings);
	pg_walk_release(&run.walk);
	pg_policy_release(&run.policy);
	pg_policy_push_release(&run.policy_push);
	free(run.config);
	pg_push_release(&run.push);
	git_repository_free(run.repo);
	git_libgit2_shutdown();
	return status;
}
