#!/usr/bin/env bash
# Scenario 6: content already on the server is not checked again; only new commits are.
. "$PG_LIB"

MSG_RE='^(feat|fix|docs): .+'

# server has main with a commit whose message breaks MSG_RE and that adds id_rsa, pushed
# while pushguard.mode=off; afterwards mode=enforce and the message rule are active
bad_history() {
	setup_repo "$@"
	set_config "$R" pushguard.mode off
	commit_key config/id_rsa "bad message, and a key"
	push origin main
	assert_push_ok
	BAD=$(oid HEAD)
	set_config "$R" pushguard.mode enforce
	set_config "$R" pushguard.commits.messagePattern "$MSG_RE"
}

c_new_branch_at_existing_commit() {
	bad_history
	push origin HEAD:refs/heads/topic
	assert_push_ok
	assert_ref "$R" refs/heads/topic "$BAD"
}

c_new_tag_at_existing_commit() {
	bad_history
	git tag snapshot
	push origin snapshot
	assert_push_ok
	assert_ref "$R" refs/tags/snapshot "$BAD"
}

c_good_commit_on_top() {
	bad_history
	commit a.txt a "feat: good message on top"
	push origin main
	assert_push_ok
	assert_ref "$R" refs/heads/main "$(oid HEAD)"
}

c_bad_commit_on_top_still_refused() {
	bad_history
	commit a.txt a "another bad message"
	push origin main
	assert_push_refused
	assert_ref "$R" refs/heads/main "$BAD"
}

c_new_branch_with_good_commit_on_old() {
	bad_history
	git checkout -q -b topic2
	commit b.txt b "fix: only this commit is new"
	push origin topic2
	assert_push_ok
	assert_ref "$R" refs/heads/topic2 "$(oid HEAD)"
}

# the key already in the tree is not reported again when an unrelated file changes
c_old_file_not_rechecked() {
	bad_history
	commit README.md "changed" "docs: touch README only"
	push origin main
	assert_push_ok
	assert_output_not_contains "id_rsa"
}

# a new branch from an older commit, fast-forwarding over existing history
c_existing_commits_on_other_branch() {
	setup_repo
	git checkout -q -b side
	commit s.txt s "side work, unchecked"
	push origin side
	assert_push_ok
	set_config "$R" pushguard.commits.messagePattern "$MSG_RE"
	git checkout -q main
	git merge -q --ff-only side
	push origin main
	assert_push_ok
	assert_ref "$R" refs/heads/main "$(oid side)"
}

c_update_hook_old_content() {
	bad_history --hook update
	push origin HEAD:refs/heads/topic
	assert_push_ok
	commit a.txt a "feat: good message on top"
	push origin main
	assert_push_ok
	commit b.txt b "bad message"
	push origin main
	assert_push_refused
}

run_case "new branch at an existing bad commit accepted" c_new_branch_at_existing_commit
run_case "new tag at an existing bad commit accepted" c_new_tag_at_existing_commit
run_case "good commit on top of a bad one accepted" c_good_commit_on_top
run_case "bad commit on top still refused" c_bad_commit_on_top_still_refused
run_case "new branch: only its new commit is checked" c_new_branch_with_good_commit_on_old
run_case "file already on the server not reported again" c_old_file_not_rechecked
run_case "fast-forward to commits already on another branch accepted" c_existing_commits_on_other_branch
run_case "update hook: old content not re-checked, new still is" c_update_hook_old_content
