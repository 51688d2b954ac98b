#!/usr/bin/env bash
# Scenario 1 (and a few others) over git:// : a git daemon with receive-pack enabled, started on
# a free port on 127.0.0.1 for this file and always killed (EXIT trap here, pid file for run.sh).
. "$PG_LIB"
. "$(dirname "$0")/cases_default.sh"

if ! start_daemon "$PG_TEST_TMP"; then
	echo "cannot start git daemon" >&2
	exit 1
fi

c_url_is_git_protocol() {
	setup_repo
	assert_eq "$(git remote get-url origin)" "git://127.0.0.1:$PG_DAEMON_PORT/${R#"$PG_TEST_TMP"/}" "origin URL"
	commit_key id_rsa "Key"
	push origin main
	assert_push_refused
	# the message reaches the pusher through the daemon as remote: lines
	grep -q '^remote: pushguard: push refused' "$OUT" || fail "a 'remote: pushguard: push refused' line" "none"
}

c_daemon_all_or_nothing() {
	setup_repo
	git checkout -q -b a main
	commit a.txt a "a"
	git checkout -q -b b main
	commit_key id_rsa "b"
	push origin a b
	assert_push_refused
	assert_ref_absent "$R" refs/heads/a
	assert_ref_absent "$R" refs/heads/b
}

c_daemon_update_hook() {
	setup_repo --hook update
	git checkout -q -b a main
	commit a.txt a "a"
	git checkout -q -b b main
	commit_key id_rsa "b"
	push origin a b
	assert_rc_nonzero
	assert_ref "$R" refs/heads/a "$(oid a)"
	assert_ref_absent "$R" refs/heads/b
}

c_daemon_warn_mode() {
	setup_repo
	set_config "$R" pushguard.mode warn
	commit_key id_rsa "Key"
	push origin main
	assert_push_ok
	assert_output_contains "would be refused"
}

c_daemon_quarantine() {
	setup_repo
	local before
	before=$(count_objects "$R")
	commit_key id_rsa "Key"
	push origin main
	assert_push_refused
	assert_eq "$(count_objects "$R")" "$before" "object count"
	assert_object_absent "$R" "$(oid HEAD:id_rsa)"
}

c_daemon_config_error() {
	setup_repo
	set_config "$R" pushguard.mode bogus
	commit a.txt a "Clean"
	push origin main
	assert_push_refused
	assert_output_contains_i "pushguard.mode"
}

run_default_cases
run_case "git:// URL used; refusal shown as remote: lines" c_url_is_git_protocol
run_case "pre-receive all-or-nothing over git://" c_daemon_all_or_nothing
run_case "update hook per ref over git://" c_daemon_update_hook
run_case "warn mode over git://" c_daemon_warn_mode
run_case "quarantine over git://" c_daemon_quarantine
run_case "invalid config fails closed over git://" c_daemon_config_error

stop_daemon
