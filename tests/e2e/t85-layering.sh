#!/usr/bin/env bash
# Scenario 11: policy layers: built-in < $PREFIX/etc/pushguard/config < named policy < REPO/config.
# The system config of the shared temp prefix is written directly and removed after each case
# (run.sh also restores it after this file).
. "$PG_LIB"

sysconf() { # KEY VALUE...: write the system config
	mkdir -p "$(dirname "$PG_SYSTEM_CONFIG")"
	rm -f "$PG_SYSTEM_CONFIG"
	while [ $# -gt 0 ]; do
		git config -f "$PG_SYSTEM_CONFIG" --add "$1" "$2"
		shift 2
	done
}

lcase() {
	rm -f "$PG_SYSTEM_CONFIG"
	run_case "$@"
	rm -f "$PG_SYSTEM_CONFIG"
}

MSG_RE='^(feat|fix|docs): .+'

c_system_config_applies() {
	setup_repo
	sysconf pushguard.commits.messagePattern "$MSG_RE"
	commit a.txt a "no prefix"
	push origin main
	assert_push_refused
	git commit -q --amend -m "feat: prefixed"
	push origin main
	assert_push_ok
}

c_repo_overrides_system() {
	setup_repo
	sysconf pushguard.commits.messagePattern "$MSG_RE"
	set_config "$R" pushguard.commits.messagePattern '^[A-Z]'
	commit a.txt a "Capitalised, no prefix"
	push origin main
	assert_push_ok
}

c_policy_overrides_system() {
	# default.conf (named policy) sits above the system config: its maxSize=100m wins over 1k
	setup_repo
	sysconf pushguard.files.maxSize 1k
	commit_size big.bin 2048 "2k file"
	push origin main
	assert_push_ok
}

c_repo_mode_overrides_policy() {
	setup_repo
	set_config "$R" pushguard.mode warn
	commit_key id_rsa "Key"
	push origin main
	assert_push_ok
	assert_output_contains "would be refused"
}

c_system_deny_accumulates() {
	setup_repo
	sysconf pushguard.files.deny '*.secret'
	commit app.secret x "Add secret"
	push origin main
	assert_push_refused
	assert_output_contains "app.secret"
	git reset -q --hard HEAD~1
	commit_key id_rsa "Default list still active"
	push origin main
	assert_push_refused
}

c_repo_deny_accumulates() {
	setup_repo
	add_config "$R" pushguard.files.deny '*.sqlite'
	commit db.sqlite x "Add db"
	push origin main
	assert_push_refused
	git reset -q --hard HEAD~1
	commit_key id_rsa "Default list still active"
	push origin main
	assert_push_refused
}

c_empty_value_clears() {
	setup_repo
	add_config "$R" pushguard.files.deny ''
	commit_key id_rsa "Key allowed once the list is cleared"
	push origin main
	assert_push_ok
}

c_empty_value_clears_deny_delete() {
	setup_repo
	git config -f "$R/config" receive.denyDeleteCurrent ignore
	add_config "$R" pushguard.refs.denyDelete ''
	push origin --delete main
	assert_push_ok
	assert_ref_absent "$R" refs/heads/main
}

c_repo_policy_strict() {
	setup_repo
	set_config "$R" pushguard.policy strict
	commit a.txt a "plain message" -s
	push origin main
	assert_push_refused
	git commit -q --amend -m "feat: conventional but not signed off"
	push origin main
	assert_push_refused
	git commit -q --amend -s -m "feat: conventional and signed off"
	push origin main
	assert_push_ok
}

c_strict_refs() {
	# strict.conf: tags cannot be deleted (refs/tags/**), new branches need a kind/ prefix
	setup_repo
	set_config "$R" pushguard.policy strict
	git tag -a v1.0.0 -m "one"
	push origin v1.0.0
	assert_push_ok
	push origin --delete refs/tags/v1.0.0
	assert_push_refused
	assert_ref "$R" refs/tags/v1.0.0 "$(oid v1.0.0)"
	push origin HEAD:refs/heads/random-name
	assert_push_refused
	push origin HEAD:refs/heads/feature/login-form
	assert_push_ok
}

c_install_policy_strict() {
	setup_repo
	install_hook "$R" --policy strict
	commit a.txt a "plain message" -s
	push origin main
	assert_push_refused
}

c_system_policy_strict() {
	setup_repo
	sysconf pushguard.policy strict
	commit a.txt a "plain message"
	push origin main
	assert_push_refused
	git commit -q --amend -s -m "fix: conventional and signed off"
	push origin main
	assert_push_ok
}

c_repo_policy_overrides_system_policy() {
	setup_repo
	sysconf pushguard.policy strict
	set_config "$R" pushguard.policy default
	commit a.txt a "plain message"
	push origin main
	assert_push_ok
}

c_policy_absolute_path() {
	setup_repo
	local p
	p=$(cd .. && pwd)/custom-policy.conf
	git config -f "$p" pushguard.files.maxSize 1k
	git config -f "$p" pushguard.commits.rejectMessagePattern '^tmp'
	set_config "$R" pushguard.policy "$p"
	commit_size big.bin 2048 "Big file"
	push origin main
	assert_push_refused
	assert_output_contains "big.bin"
	git reset -q --hard HEAD~1
	commit a.txt a "tmp stuff"
	push origin main
	assert_push_refused
	git commit -q --amend -m "Proper message"
	push origin main
	assert_push_ok
}

c_policy_missing() {
	setup_repo
	set_config "$R" pushguard.policy no-such-policy
	commit a.txt a "Clean"
	push origin main
	assert_push_refused
	assert_output_contains "no-such-policy"
}

c_bad_value_in_system_config() {
	setup_repo
	sysconf pushguard.commits.authorEmailPattern '[a-'
	commit a.txt a "Clean"
	push origin main
	assert_push_refused
	assert_output_contains_i "pushguard.commits.authorEmailPattern"
	assert_output_contains "$PG_SYSTEM_CONFIG"
}

c_unknown_key_in_system_config() {
	setup_repo
	sysconf pushguard.files.maxsise 1k
	commit a.txt a "Clean"
	push origin main
	assert_push_refused
	assert_output_contains_i "pushguard.files.maxsise"
	assert_output_contains "$PG_SYSTEM_CONFIG"
}

# a bad value in a lower layer that a higher layer overrides (default.conf sets maxSize=100m)
c_overridden_bad_value_in_system_config() {
	setup_repo
	sysconf pushguard.files.maxSize 12q
	run "$PG_BIN/pushguard" check "$R"
	assert_rc 1
	assert_output_contains "12q"
	commit a.txt a "Clean"
	push origin main
	assert_push_refused
	assert_output_contains "$PG_SYSTEM_CONFIG"
}

c_bad_key_in_policy_file() {
	setup_repo
	local p
	p=$(cd .. && pwd)/broken.conf
	git config -f "$p" pushguard.commits.requireSignof true
	set_config "$R" pushguard.policy "$p"
	commit a.txt a "Clean"
	push origin main
	assert_push_refused
	assert_output_contains_i "pushguard.commits.requireSignof"
	assert_output_contains "$p"
}

c_env_system_config() {
	setup_repo
	local p
	p=$(cd .. && pwd)/sys.conf
	git config -f "$p" pushguard.commits.messagePattern "$MSG_RE"
	commit a.txt a "no prefix"
	PUSHGUARD_SYSTEM_CONFIG="$p" push origin main
	assert_push_refused
	push origin main
	assert_push_ok
}

c_env_policy_dir() {
	setup_repo
	local d
	d=$(cd .. && pwd)/policies
	mkdir -p "$d"
	git config -f "$d/default.conf" pushguard.files.maxSize 1k
	commit_size big.bin 2048 "Big file"
	PUSHGUARD_POLICY_DIR="$d" push origin main
	assert_push_refused
	assert_output_contains "big.bin"
}

c_check_shows_system_origin() {
	R=$(new_bare_repo srv)
	install_hook "$R"
	sysconf pushguard.commits.messagePattern "$MSG_RE"
	run "$PG_BIN/pushguard" check "$R"
	assert_rc 0
	grep -iE "^pushguard\.commits\.messagePattern *= .*[[:space:]]\\($PG_SYSTEM_CONFIG" "$OUT" >/dev/null ||
		fail "a line: pushguard.commits.messagePattern = …  ($PG_SYSTEM_CONFIG…)" "none"
}

lcase "system config rule applies" c_system_config_applies
lcase "repo config overrides a system config value" c_repo_overrides_system
lcase "named policy overrides the system config (maxSize)" c_policy_overrides_system
lcase "repo mode=warn overrides the built-in mode=enforce" c_repo_mode_overrides_policy
lcase "system files.deny accumulates with default.conf's list" c_system_deny_accumulates
lcase "repo files.deny accumulates with default.conf's list" c_repo_deny_accumulates
lcase "empty files.deny in repo clears the inherited list" c_empty_value_clears
lcase "empty refs.denyDelete in repo clears the inherited list" c_empty_value_clears_deny_delete
lcase "pushguard.policy=strict: conventional + signed off required" c_repo_policy_strict
lcase "strict: tag deletion and unprefixed new branches refused" c_strict_refs
lcase "install.sh --policy strict takes effect" c_install_policy_strict
lcase "pushguard.policy=strict in the system config" c_system_policy_strict
lcase "repo pushguard.policy overrides the system's" c_repo_policy_overrides_system_policy
lcase "pushguard.policy as an absolute path" c_policy_absolute_path
lcase "unknown policy name refuses, naming it" c_policy_missing
lcase "bad value in the system config names that file" c_bad_value_in_system_config
lcase "unknown key in the system config names that file" c_unknown_key_in_system_config
lcase "overridden bad value in the system config still reported" c_overridden_bad_value_in_system_config
lcase "unknown key in a policy file names that file" c_bad_key_in_policy_file
lcase "PUSHGUARD_SYSTEM_CONFIG env overrides the system config path" c_env_system_config
lcase "PUSHGUARD_POLICY_DIR env overrides the policy directory" c_env_policy_dir
lcase "check shows the system config as origin" c_check_shows_system_origin
