#!/usr/bin/env bash
# Scenario 3: creating and deleting branches and tags, several refs in one push,
# custom refs.denyDelete / refs.denyForcePush globs.
. "$PG_LIB"

c_create_branch() {
	setup_repo
	git checkout -q -b feature
	commit f.txt f "Feature"
	push origin feature
	assert_push_ok
	assert_ref "$R" refs/heads/feature "$(oid HEAD)"
}

c_delete_branch() {
	setup_repo
	push origin HEAD:refs/heads/old
	assert_push_ok
	push origin --delete old
	assert_push_ok
	assert_ref_absent "$R" refs/heads/old
}

c_lightweight_tag() {
	setup_repo
	git tag v0.1
	commit a.txt a "Next"
	git tag light-on-new-commit
	push origin v0.1 light-on-new-commit
	assert_push_ok
	assert_ref "$R" refs/tags/v0.1 "$(oid HEAD~1)"
	assert_ref "$R" refs/tags/light-on-new-commit "$(oid HEAD)"
}

c_annotated_tag_accepted() {
	setup_repo
	set_config "$R" pushguard.refs.tagPattern '^v[0-9]+\.[0-9]+\.[0-9]+$'
	commit a.txt a "Release work"
	git tag -a v1.0.0 -m "Release 1.0.0"
	push origin v1.0.0
	assert_push_ok
	assert_ref "$R" refs/tags/v1.0.0 "$(oid refs/tags/v1.0.0)"
	assert_ref "$R" 'refs/tags/v1.0.0^{commit}' "$(oid HEAD)"
}

c_annotated_tag_refused() {
	setup_repo
	set_config "$R" pushguard.refs.tagPattern '^v[0-9]+\.[0-9]+\.[0-9]+$'
	git tag -a nightly-2024 -m "Nightly"
	push origin nightly-2024
	assert_push_refused
	assert_output_contains "nightly-2024"
	assert_ref_absent "$R" refs/tags/nightly-2024
}

# content reachable only through a new tag is checked like a branch's
c_tag_to_bad_commit_refused() {
	setup_repo
	git checkout -q --detach
	commit_key id_rsa "Key only reachable through a tag"
	git tag -a v9.9.9 -m "Tag with a key"
	push origin v9.9.9
	assert_push_refused
	assert_output_contains "id_rsa"
	assert_ref_absent "$R" refs/tags/v9.9.9
}

c_delete_tag() {
	setup_repo
	git tag -a v1.0.0 -m one
	push origin v1.0.0
	assert_push_ok
	push origin --delete refs/tags/v1.0.0
	assert_push_ok
	assert_ref_absent "$R" refs/tags/v1.0.0
}

c_many_refs_one_push() {
	setup_repo
	local b
	for b in a b c; do
		git checkout -q -b "$b" main
		commit "$b.txt" "$b" "Work on $b"
	done
	git tag -a v2.0.0 -m two
	push origin a b c v2.0.0
	assert_push_ok
	for b in a b c; do assert_ref "$R" "refs/heads/$b" "$(oid "$b")"; done
	assert_ref "$R" refs/tags/v2.0.0 "$(oid v2.0.0)"
}

c_many_refs_create_update_delete() {
	setup_repo
	push origin HEAD:refs/heads/doomed
	assert_push_ok
	commit m.txt m "Main moves"
	git branch fresh
	push origin main fresh :doomed
	assert_push_ok
	assert_ref "$R" refs/heads/main "$(oid main)"
	assert_ref "$R" refs/heads/fresh "$(oid main)"
	assert_ref_absent "$R" refs/heads/doomed
}

c_custom_deny_delete() {
	setup_repo
	set_config "$R" pushguard.refs.denyDelete 'refs/heads/release/*'
	push origin HEAD:refs/heads/release/1 HEAD:refs/heads/scratch
	assert_push_ok
	push origin --delete release/1
	assert_push_refused
	assert_output_contains "refs/heads/release/1"
	assert_ref "$R" refs/heads/release/1 "$(oid HEAD)"
	push origin --delete scratch
	assert_push_ok
	assert_ref_absent "$R" refs/heads/scratch
}

c_deny_delete_star_one_level() {
	# `*` does not cross `/`: release/* protects release/1, not release/a/b; `**` does
	setup_repo
	set_config "$R" pushguard.refs.denyDelete 'refs/heads/release/*'
	add_config "$R" pushguard.refs.denyDelete 'refs/heads/keep/**'
	push origin HEAD:refs/heads/release/a/b HEAD:refs/heads/keep/x/y
	assert_push_ok
	push origin --delete release/a/b
	assert_push_ok
	assert_ref_absent "$R" refs/heads/release/a/b
	push origin --delete keep/x/y
	assert_push_refused
	assert_ref "$R" refs/heads/keep/x/y "$(oid HEAD)"
}

c_custom_deny_force_push() {
	setup_repo
	set_config "$R" pushguard.refs.denyForcePush 'refs/heads/release/*'
	git checkout -q -b release/2
	commit r.txt r "Release work"
	push origin release/2
	assert_push_ok
	local tip
	tip=$(oid HEAD)
	git commit -q --amend -m "Release work, rewritten"
	push --force origin release/2
	assert_push_refused
	assert_output_contains "refs/heads/release/2"
	assert_ref "$R" refs/heads/release/2 "$tip"
	# a fast-forward is not a force push
	git reset -q --hard "$tip"
	commit r2.txt r2 "More release work"
	push origin release/2
	assert_push_ok
}

run_case "create a branch" c_create_branch
run_case "delete a branch" c_delete_branch
run_case "lightweight tags (old and new commit)" c_lightweight_tag
run_case "annotated tag matching tagPattern accepted" c_annotated_tag_accepted
run_case "annotated tag not matching tagPattern refused" c_annotated_tag_refused
run_case "new tag to a commit adding id_rsa refused" c_tag_to_bad_commit_refused
run_case "delete a tag" c_delete_tag
run_case "many refs in one push (git push origin a b c tag)" c_many_refs_one_push
run_case "create, update and delete in one push" c_many_refs_create_update_delete
run_case "refs.denyDelete glob refuses release/1, not scratch" c_custom_deny_delete
run_case "refs globs: * stays within one level, ** crosses levels" c_deny_delete_star_one_level
run_case "refs.denyForcePush glob refuses rewriting release/2, fast-forward fine" c_custom_deny_force_push
