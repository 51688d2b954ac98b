/* A program of an admin's own, built on libpushguard through pushguard.h
 * alone (tests/api/check-api.sh compiles it with no other project header in
 * reach, links it against libpushguard.a and compares what it prints).
 *
 *   example POLICY_DIR
 *
 * loads the default policy from POLICY_DIR as `pushguard help config` does,
 * says what it holds, and goes through the value types a program uses. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pushguard.h"

int main(int argc, char **argv)
{
	struct pg_policy_paths paths = { .system_file = "", .policy_dir = NULL, .repo_config = NULL };
	struct pg_error err = PG_ERROR_INIT;
	struct pg_buf b = PG_BUF_INIT;
	struct pg_strvec sv = PG_STRVEC_INIT;
	struct pg_findings findings = PG_FINDINGS_INIT;
	struct pg_decision d;
	pg_policy *policy = NULL;
	size_t nkeys = 0, nset;
	int ret = 1;

	if (argc != 2) {
		fputs("usage: example POLICY_DIR\n", stderr);
		return 2;
	}
	paths.policy_dir = argv[1];
	printf("version %s\n", strcmp(pg_version(), "") ? "set" : "empty");
	if (pg_repo_global_init(&err) < 0 || pg_policy_new(&policy, &err) < 0 ||
	    pg_policy_load(policy, &paths, &err) < 0) {
		fprintf(stderr, "example: %s\n", err.msg);
		goto out;
	}
	while (pg_policy_key(nkeys))
		nkeys++;
	nset = pg_policy_nsettings(policy);
	printf("keys %s\n", nkeys >= 60 ? "60 or more" : "fewer than 60");
	printf("policy %s, mode %s, onError %s, %s problems\n", pg_policy_name(policy) ? pg_policy_name(policy) : "default",
	       pg_policy_mode(policy) == PG_MODE_ENFORCE ? "enforce" : "not enforce",
	       pg_policy_on_error(policy) == PG_ON_ERROR_REJECT ? "reject" : "accept",
	       pg_policy_problems(policy)->n ? "some" : "no");
	printf("settings %s, first %s, past the end %s\n", nset ? "some" : "none",
	       nset && pg_policy_setting_at(policy, 0)->origin ? "has an origin" : "-",
	       pg_policy_setting_at(policy, nset) ? "a setting" : "NULL");
	printf("maxSize %s from %s\n", pg_policy_str(policy, "pushguard.files.maxSize", "unset"),
	       strstr(pg_policy_origin(policy, "pushguard.files.maxSize"), "default.conf") ? "default.conf" : "elsewhere");

	pg_render_safe(&b, "a\033[31mred\033[0m name");
	pg_strvec_push(&sv, b.ptr);
	printf("safe '%s' (%zu)\n", sv.v[0], sv.n);
	if (pg_findings_note(&findings, &err, "note %d", 1) < 0)
		goto out;
	pg_decide(&d, &(struct pg_decide_input){ 0, pg_policy_mode(policy), pg_policy_on_error(policy), false, false,
						 pg_findings_count_blocking(&findings), false });
	printf("decision %s, %zu note\n", d.accepted ? "accepted" : "refused", findings.notes.n);
	pg_decide(&d, &(struct pg_decide_input){ PG_ECONFIG, pg_policy_mode(NULL), pg_policy_on_error(NULL), false,
						 false, 0, false });
	printf("on an error %s\n", d.accepted ? "accepted" : "refused");
	ret = 0;
out:
	pg_findings_release(&findings);
	pg_strvec_release(&sv);
	pg_buf_release(&b);
	pg_policy_free(policy);
	git_libgit2_shutdown();
	return ret;
}
