#!/usr/bin/env bash
# Scenario 8: an invalid configuration fails closed (the push is refused, the message names
# the key and the file), unless pushguard.onError=accept.
. "$PG_LIB"

# bad_config KEY VALUE [install.sh options]: server with one bad setting; a clean commit is pushed
bad_config() {
	local key=$1 value=$2
	shift 2
	setup_repo "$@"
	add_config "$R" "$key" "$value"
	commit clean.txt "nothing wrong here" "Clean change"
}

assert_names_config_file() {
	grep -qF -- "$R/config" "$OUT" || fail "output names the config file $R/config" "not found"
}

c_bad_mode() {
	bad_config pushguard.mode bogus
	push origin main
	assert_push_refused
	assert_output_contains_i "pushguard.mode"
	assert_names_config_file
	assert_ref "$R" refs/heads/main "$(oid HEAD~1)"
}

c_bad_regex() {
	bad_config pushguard.commits.messagePattern '^(feat|fix: unclosed'
	push origin main
	assert_push_refused
	assert_output_contains_i "pushguard.commits.messagePattern"
	assert_names_config_file
}

c_bad_size() {
	bad_config pushguard.files.maxSize 12q
	push origin main
	assert_push_refused
	assert_output_contains_i "pushguard.files.maxSize"
	assert_output_contains "12q"
	assert_names_config_file
}

c_unknown_key() {
	bad_config pushguard.refs.denyDelet refs/heads/main
	push origin main
	assert_push_refused
	assert_output_contains_i "pushguard.refs.denyDelet"
	assert_names_config_file
}

c_unknown_section() {
	bad_config pushguard.file.maxSize 1m
	push origin main
	assert_push_refused
	assert_output_contains_i "pushguard.file.maxSize"
	assert_names_config_file
}

c_bad_bool() {
	bad_config pushguard.commits.requireSignoff maybe
	push origin main
	assert_push_refused
	assert_output_contains_i "pushguard.commits.requireSignoff"
	assert_names_config_file
}

c_bad_path_length() {
	bad_config pushguard.files.maxPathLength -5
	push origin main
	assert_push_refused
	assert_output_contains_i "pushguard.files.maxPathLength"
}

c_bad_on_error_value() {
	bad_config pushguard.onError sometimes
	push origin main
	assert_push_refused
	assert_output_contains_i "pushguard.onError"
}

c_bad_config_update_hook() {
	bad_config pushguard.mode bogus --hook update
	push origin main
	assert_push_refused
	assert_output_contains_i "pushguard.mode"
	assert_ref "$R" refs/heads/main "$(oid HEAD~1)"
}

c_bad_config_delete_refused() {
	# fail closed for every kind of update, deletions included
	setup_repo
	push origin HEAD:refs/heads/topic
	assert_push_ok
	set_config "$R" pushguard.files.maxSize 12q
	push origin --delete topic
	assert_push_refused
	assert_ref "$R" refs/heads/topic "$(oid HEAD)"
}

c_on_error_accept_bad_regex() {
	bad_config pushguard.commits.messagePattern '^(feat|fix: unclosed'
	set_config "$R" pushguard.onError accept
	push origin main
	assert_push_ok
	assert_output_contains_i "pushguard.commits.messagePattern"
	assert_output_contains_i "warning"
	assert_ref "$R" refs/heads/main "$(oid HEAD)"
}

run_case "mode=bogus refuses, names key and file" c_bad_mode
run_case "invalid PCRE2 in messagePattern refuses, names key and file" c_bad_regex
run_case "files.maxSize=12q refuses, names key, value and file" c_bad_size
run_case "unknown key pushguard.refs.denyDelet refuses, names key and file" c_unknown_key
run_case "unknown key pushguard.file.maxSize refuses" c_unknown_section
run_case "requireSignoff=maybe refuses" c_bad_bool
run_case "files.maxPathLength=-5 refuses" c_bad_path_length
run_case "onError=sometimes refuses" c_bad_on_error_value
run_case "invalid config refuses with the update hook too" c_bad_config_update_hook
run_case "invalid config refuses a branch deletion too" c_bad_config_delete_refused
run_case "onError=accept: invalid regex lets the push through with a warning" c_on_error_accept_bad_regex
