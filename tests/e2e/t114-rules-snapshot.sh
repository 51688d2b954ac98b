#!/usr/bin/env bash
# The built-in pack's snapshot (lib/rules_snapshot.h): installed beside the pack, read by
# the hook instead of parsing the pack, and passed over once the pack is edited. Which of
# the two the hook read shows in a finding's description: the snapshot's copy of one rule
# is altered (same length) in the cases' own copy of the installed rules.
# Every credential-looking value is generated here from random characters.
. "$PG_LIB"

rand() { LC_ALL=C tr -dc "$2" </dev/urandom | head -c "$1"; }
gh_token() { printf '%s%s' "gh""p_" "$(rand 36 'A-Za-z0-9')"; }

INSTALLED_RULES="$PG_PREFIX/share/pushguard/rules"
DESC="GitHub personal access token (classic)"
ALTERED="GitHub personal access token (CLASSIC)"

c_snapshot_installed() {
	assert_file_exists "$INSTALLED_RULES/default.snap"
	assert_eq "$(head -n 1 "$INSTALLED_RULES/default.snap")" "pushguard rules snapshot 1" "the snapshot's magic line"
}

# rules_copy: the installed rules, with the snapshot's description of github-pat altered
rules_copy() {
	local rules="$PG_CASE_DIR/rules"
	mkdir -p "$rules"
	cp "$INSTALLED_RULES/default.toml" "$INSTALLED_RULES/default.hsdb" "$rules/"
	LC_ALL=C sed "s/$DESC/$ALTERED/" "$INSTALLED_RULES/default.snap" >"$rules/default.snap"
	cmp -s "$INSTALLED_RULES/default.snap" "$rules/default.snap" && fail "the snapshot holds '$DESC'" "it does not"
	export PUSHGUARD_RULES_DIR="$rules"
}

push_token() {
	setup_repo
	printf 'export GITHUB_TOKEN=%s\n' "$(gh_token)" >env.sh
	git add env.sh
	git commit -q -m "Add env"
	push origin HEAD:refs/heads/main
	assert_push_refused
	assert_output_contains "env.sh:1"
}

c_hook_reads_the_snapshot() {
	rules_copy
	push_token
	assert_output_contains "$ALTERED"
	assert_output_not_contains "$DESC"
}

c_edited_pack_is_parsed() {
	rules_copy
	printf '\n# edited by the admin\n' >>"$PUSHGUARD_RULES_DIR/default.toml"
	push_token
	assert_output_contains "$DESC"
	assert_output_not_contains "$ALTERED"
}

c_damaged_snapshot_is_passed_over() {
	rules_copy
	head -c 30000 "$INSTALLED_RULES/default.snap" >"$PUSHGUARD_RULES_DIR/default.snap"
	push_token
	assert_output_contains "$DESC"
}

run_case "the snapshot is installed beside the pack" c_snapshot_installed
run_case "the hook reads the pack's snapshot" c_hook_reads_the_snapshot
run_case "an edited pack is parsed, its stale snapshot passed over" c_edited_pack_is_parsed
run_case "a damaged snapshot is passed over" c_damaged_snapshot_is_passed_over
