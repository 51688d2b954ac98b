#!/usr/bin/env bash
# `pushguard check --all DIR`: lint every bare repository of a server in one run
# (lib/discover.c, as pushguard install --all), one line per repository, a summary, exit 1 on problems.
. "$PG_LIB"

PG="$PG_BIN/pushguard"

# ./fleet with three bare repositories (team/broken.git has an invalid mode and a bad regex),
# a work tree, a symlink to a repository and a repository nested inside another one.
make_fleet() {
	mkdir -p fleet/team
	git init -q --bare fleet/alpha.git
	git init -q --bare fleet/team/beta.git
	git init -q --bare fleet/team/broken.git
	git config -f fleet/team/broken.git/config pushguard.mode bogus
	git config -f fleet/team/broken.git/config pushguard.commits.messagePattern '('
	git init -q fleet/worktree
	ln -s "$PWD/fleet/alpha.git" fleet/link.git
	git init -q --bare fleet/alpha.git/inner.git
}

c_fleet_lists_each_repo() {
	make_fleet
	run "$PG" check --all "$PWD/fleet"
	assert_rc 1
	assert_output_contains "$PWD/fleet/alpha.git: OK"
	assert_output_contains "$PWD/fleet/team/beta.git: OK"
	assert_output_matches "^$PWD/fleet/team/broken.git: 2 problems"
	assert_output_contains "pushguard.mode = 'bogus'"
	assert_output_contains_i "pushguard.commits.messagePattern"
	assert_output_contains "broken.git/config"
	assert_output_contains "3 repositories checked: 2 OK, 1 with problems (2 problems)"
	# one line per repository, in name order; the summary last
	local lines
	lines=$(grep -c '\.git: ' "$OUT")
	assert_eq "$lines" 3 "repository lines"
	grep -n '\.git: ' "$OUT" | head -1 | grep -q 'alpha.git' || fail "alpha.git first" "$(grep '\.git: ' "$OUT")"
	tail -n 1 "$OUT" | grep -q 'repositories checked' || fail "the summary is the last line" "$(tail -n 1 "$OUT")"
}

c_fleet_skips_non_repos() {
	make_fleet
	run "$PG" check --all "$PWD/fleet"
	assert_rc 1 # team/broken.git
	assert_output_contains "3 repositories checked"
	assert_output_not_contains "worktree"
	assert_output_not_contains "link.git"
	assert_output_not_contains "inner.git"
}

c_fleet_all_ok() {
	make_fleet
	git config -f fleet/team/broken.git/config --unset pushguard.mode
	git config -f fleet/team/broken.git/config --unset pushguard.commits.messagePattern
	run "$PG" check --all "$PWD/fleet/"
	assert_rc 0
	assert_output_contains "3 repositories checked: 3 OK, 0 with problems"
	assert_output_not_contains "error"
}

c_fleet_broken_policy_file() {
	# a repository whose named policy is missing is reported, the others still checked
	make_fleet
	git config -f fleet/team/broken.git/config --unset pushguard.mode
	git config -f fleet/team/broken.git/config --unset pushguard.commits.messagePattern
	git config -f fleet/alpha.git/config pushguard.policy nosuchpolicy
	run "$PG" check --all "$PWD/fleet"
	assert_rc 1
	assert_output_matches "^$PWD/fleet/alpha.git: 1 problem"
	assert_output_contains "nosuchpolicy"
	assert_output_contains "$PWD/fleet/team/broken.git: OK"
	assert_output_contains "3 repositories checked: 2 OK, 1 with problems"
}

c_fleet_usage_errors() {
	run "$PG" check --all "$PWD/nope"
	assert_rc 2
	assert_output_contains "nope"
	run "$PG" check --all
	assert_rc 2
	assert_output_contains "usage"
	mkdir empty
	run "$PG" check --all "$PWD/empty"
	assert_rc 0
	assert_output_contains "0 repositories checked"
}

run_case "check --all: one line per repository, problems, summary, exit 1" c_fleet_lists_each_repo
run_case "check --all: skips work trees, symlinks, repositories inside repositories" c_fleet_skips_non_repos
run_case "check --all: every repository OK exits 0" c_fleet_all_ok
run_case "check --all: a missing named policy is that repository's problem" c_fleet_broken_policy_file
run_case "check --all: missing DIR, missing argument, empty DIR" c_fleet_usage_errors
