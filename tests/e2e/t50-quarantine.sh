#!/usr/bin/env bash
# Scenario 7: a push refused by pre-receive leaves no new objects in the server repository
# (git's quarantine is discarded; pushguard must read the quarantined objects, not migrate them).
. "$PG_LIB"

no_quarantine_leftovers() {
	local left
	left=$(find "$1/objects" -maxdepth 1 -name '*incoming*' | head -n 3)
	[ -z "$left" ] || fail "no quarantine directory left in $1/objects" "$left"
}

c_refused_small_push() {
	setup_repo
	local before blob commit_oid
	before=$(count_objects "$R")
	commit_key keys/id_rsa "Add key"
	blob=$(oid HEAD:keys/id_rsa)
	commit_oid=$(oid HEAD)
	push origin main
	assert_push_refused
	assert_eq "$(count_objects "$R")" "$before" "object count after the refused push"
	assert_object_absent "$R" "$blob"
	assert_object_absent "$R" "$commit_oid"
	no_quarantine_leftovers "$R"
}

c_refused_large_push_pack() {
	# more objects than transfer.unpackLimit (100): git keeps the pack instead of unpacking
	setup_repo
	local before packs i blob
	before=$(count_objects "$R")
	packs=$(find "$R/objects/pack" -name '*.pack' | wc -l)
	for i in $(seq 1 150); do printf 'file %s\n' "$i" >"f$i.txt"; done
	git add .
	git commit -q -m "Many files"
	commit_key deep/dir/id_ed25519 "And a key"
	blob=$(oid HEAD:deep/dir/id_ed25519)
	push origin main
	assert_push_refused
	assert_eq "$(count_objects "$R")" "$before" "object count after the refused push"
	assert_eq "$(find "$R/objects/pack" -name '*.pack' | wc -l)" "$packs" "number of packs"
	assert_object_absent "$R" "$blob"
	assert_object_absent "$R" "$(oid HEAD~1)"
	no_quarantine_leftovers "$R"
}

c_refused_by_message_rule() {
	setup_repo
	set_config "$R" pushguard.commits.messagePattern '^feat: '
	local before
	before=$(count_objects "$R")
	commit new.txt "brand new content $RANDOM$RANDOM" "not conventional"
	push origin main
	assert_push_refused
	assert_eq "$(count_objects "$R")" "$before" "object count after the refused push"
	assert_object_absent "$R" "$(oid HEAD:new.txt)"
}

c_refused_then_accepted() {
	setup_repo
	local before
	before=$(count_objects "$R")
	commit_key id_rsa "Add key"
	push origin main
	assert_push_refused
	git reset -q --hard HEAD~1
	commit ok.txt "fine content $RANDOM$RANDOM" "Fine"
	push origin main
	assert_push_ok
	assert_object_present "$R" "$(oid HEAD:ok.txt)"
	assert_eq "$(count_objects "$R")" "$((before + 3))" "object count (blob, tree, commit added)"
}

c_refused_multi_ref_push() {
	setup_repo
	local before
	before=$(count_objects "$R")
	git checkout -q -b good
	commit g.txt "good $RANDOM$RANDOM" "Good"
	git checkout -q -b bad main
	commit_key .ssh/id_rsa "Bad"
	push origin good bad
	assert_push_refused
	assert_eq "$(count_objects "$R")" "$before" "object count after the refused push"
	assert_object_absent "$R" "$(oid good)"
}

run_case "refused push: object count unchanged, key blob and commit absent" c_refused_small_push
run_case "refused push of 150+ objects: no pack kept" c_refused_large_push_pack
run_case "refused by a commit rule: new blob absent" c_refused_by_message_rule
run_case "refused then fixed push: only the accepted objects arrive" c_refused_then_accepted
run_case "refused two-ref push: the good ref's objects absent too" c_refused_multi_ref_push
