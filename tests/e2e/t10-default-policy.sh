#!/usr/bin/env bash
# Scenario 1: the default policy (policies/default.conf) over file://, and the output shape.
. "$PG_LIB"
. "$(dirname "$0")/cases_default.sh"

# the pusher's view, as documented in "What the pusher reads" (git prefixes "remote: " and pads lines with spaces)
c_output_shape_refused() {
	setup_repo
	commit_key keys/id_rsa "Add deploy key"
	local s1
	s1=$(git rev-parse HEAD | cut -c1-7)
	commit_key id_ed25519 "Another key"
	push origin main
	assert_push_refused
	local first
	first=$(grep -m1 '^remote: ' "$OUT" | sed 's/[[:space:]]*$//')
	assert_eq "$first" "remote: pushguard: push refused: 2 problems in 2 commits (policy: default)" "first remote line"
	assert_output_matches '^remote: ✗ files  deny[[:space:]]*$'
	assert_output_matches "^remote:     refs/heads/main  $s1 \"Add deploy key\"[[:space:]]*\$"
	assert_output_matches '^remote:     keys/id_rsa[[:space:]]*$'
	assert_output_matches '^remote:     fix: '
}

c_output_shape_warn() {
	setup_repo
	set_config "$R" pushguard.mode warn
	commit_key keys/id_rsa "Add deploy key"
	push origin main
	assert_push_ok
	local first
	first=$(grep -m1 '^remote: ' "$OUT" | sed 's/[[:space:]]*$//')
	assert_eq "$first" "remote: pushguard: push would be refused (warn mode): 1 problem in 1 commit (policy: default)" "first remote line"
}

c_output_clean_push_quiet() {
	setup_repo
	commit a.txt a "Fine"
	push origin main
	assert_push_ok
	local n
	n=$(grep -c '^remote: ' "$OUT" || true)
	[ "$n" -le 1 ] || fail "a clean push is silent (at most one remote: line)" "$n lines"
}

run_default_cases
run_case "output shape of a refusal, as documented" c_output_shape_refused
run_case "output shape in warn mode, as documented" c_output_shape_warn
run_case "clean push: at most one line of output" c_output_clean_push_quiet
