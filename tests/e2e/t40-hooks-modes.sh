#!/usr/bin/env bash
# Scenarios 4 and 5: pre-receive is all-or-nothing, the update hook decides per ref;
# pushguard.mode=warn and pushguard.mode=off.
. "$PG_LIB"

# three new branches a, b, c; b adds a private key
three_branches() {
	local b
	for b in a b c; do
		git checkout -q -b "$b" main
		if [ "$b" = b ]; then commit_key "keys/id_rsa" "Add key on b"; else commit "$b.txt" "$b" "Work on $b"; fi
	done
	git checkout -q main
}

c_pre_receive_all_or_nothing() {
	setup_repo
	three_branches
	push origin a b c
	assert_push_refused
	assert_output_contains "keys/id_rsa"
	assert_output_contains "refs/heads/b"
	assert_ref_absent "$R" refs/heads/a
	assert_ref_absent "$R" refs/heads/b
	assert_ref_absent "$R" refs/heads/c
}

c_pre_receive_all_or_nothing_updates() {
	# same with updates of existing branches: none of them moves
	setup_repo
	push origin main:a main:b main:c
	assert_push_ok
	local base
	base=$(oid main)
	three_branches
	push origin a b c
	assert_push_refused
	assert_ref "$R" refs/heads/a "$base"
	assert_ref "$R" refs/heads/b "$base"
	assert_ref "$R" refs/heads/c "$base"
}

c_update_hook_per_ref() {
	setup_repo --hook update
	[ -x "$R/hooks/update" ] || fail "hooks/update installed by install.sh --hook update" "missing"
	three_branches
	push origin a b c
	assert_rc_nonzero
	assert_output_contains "hook declined"
	assert_output_contains "keys/id_rsa"
	assert_ref "$R" refs/heads/a "$(oid a)"
	assert_ref_absent "$R" refs/heads/b
	assert_ref "$R" refs/heads/c "$(oid c)"
}

c_update_hook_default_policy() {
	setup_repo --hook update
	commit a.txt a "Second"
	push origin main
	assert_push_ok
	local tip
	tip=$(oid HEAD)
	git reset -q --hard HEAD~1
	commit b.txt b "Rewrite"
	push --force origin main
	assert_push_refused
	assert_output_contains "refs/heads/main"
	assert_ref "$R" refs/heads/main "$tip"
}

c_update_hook_delete_main() {
	# git itself refuses deleting the current branch before the update hook runs; let it through
	setup_repo --hook update
	git config -f "$R/config" receive.denyDeleteCurrent ignore
	push origin --delete main
	assert_push_refused
	assert_output_contains "refs/heads/main"
	assert_ref "$R" refs/heads/main "$(oid HEAD)"
}

c_update_hook_accepts_clean_push() {
	setup_repo --hook update
	commit a.txt a "Clean"
	git tag -a v1.0.0 -m one
	push origin main v1.0.0
	assert_push_ok
	assert_ref "$R" refs/heads/main "$(oid HEAD)"
	assert_ref "$R" refs/tags/v1.0.0 "$(oid v1.0.0)"
}

c_warn_mode() {
	setup_repo
	set_config "$R" pushguard.mode warn
	commit_key keys/id_rsa "Add key in warn mode"
	push origin main
	assert_push_ok
	assert_output_contains "would be refused"
	assert_output_contains "keys/id_rsa"
	assert_ref "$R" refs/heads/main "$(oid HEAD)"
}

c_warn_mode_force_push_main() {
	setup_repo
	set_config "$R" pushguard.mode warn
	commit a.txt a "Second"
	push origin main
	assert_push_ok
	git reset -q --hard HEAD~1
	commit b.txt b "Rewrite"
	push --force origin main
	assert_push_ok
	assert_output_contains "would be refused"
	assert_ref "$R" refs/heads/main "$(oid HEAD)"
}

c_warn_mode_update_hook() {
	setup_repo --hook update
	set_config "$R" pushguard.mode warn
	commit_key id_ed25519 "Add key in warn mode"
	push origin main
	assert_push_ok
	assert_output_contains "would be refused"
	assert_ref "$R" refs/heads/main "$(oid HEAD)"
}

c_warn_mode_clean_push_quiet() {
	setup_repo
	set_config "$R" pushguard.mode warn
	commit a.txt a "Clean"
	push origin main
	assert_push_ok
	assert_output_not_contains "would be refused"
}

c_off_mode() {
	setup_repo
	set_config "$R" pushguard.mode off
	set_config "$R" pushguard.commits.messagePattern '^feat: '
	commit_key keys/id_rsa "Add key with checks off"
	push origin main
	assert_push_ok
	assert_output_not_contains "would be refused"
	assert_output_not_contains "push refused"
	assert_ref "$R" refs/heads/main "$(oid HEAD)"
}

c_off_mode_update_hook() {
	setup_repo --hook update
	set_config "$R" pushguard.mode off
	commit_key keys/id_rsa "Add key with checks off"
	push origin main
	assert_push_ok
	assert_output_not_contains "would be refused"
	assert_ref "$R" refs/heads/main "$(oid HEAD)"
}

c_enforce_is_default() {
	setup_repo
	set_config "$R" pushguard.mode enforce
	commit_key keys/id_rsa "Add key"
	push origin main
	assert_push_refused
}

run_case "pre-receive: one bad ref of three new ones, nothing moves" c_pre_receive_all_or_nothing
run_case "pre-receive: one bad ref of three updates, nothing moves" c_pre_receive_all_or_nothing_updates
run_case "update hook: only the bad ref is rejected, the others move" c_update_hook_per_ref
run_case "update hook: force-push of main refused" c_update_hook_default_policy
run_case "update hook: deleting main refused" c_update_hook_delete_main
run_case "update hook: clean push with a tag accepted" c_update_hook_accepts_clean_push
run_case "mode=warn: key accepted, output says would be refused" c_warn_mode
run_case "mode=warn: force-push of main accepted with a warning" c_warn_mode_force_push_main
run_case "mode=warn with the update hook" c_warn_mode_update_hook
run_case "mode=warn: clean push has no warning" c_warn_mode_clean_push_quiet
run_case "mode=off: no checks at all" c_off_mode
run_case "mode=off with the update hook" c_off_mode_update_hook
run_case "mode=enforce explicitly set refuses" c_enforce_is_default
