#!/usr/bin/env bash
# Scenario 2: every rule, refusing and accepting, each configured in REPO/config on top of
# the default policy (set after the first commit is pushed).
. "$PG_LIB"

# rules KEY VALUE [KEY VALUE...]: setup_repo (cwd: clone w, $R: server), then configure
rules() {
	setup_repo
	while [ $# -gt 0 ]; do
		add_config "$R" "$1" "$2"
		shift 2
	done
}

# push_refused REF [TEXT...]: push HEAD to REF, expect refusal naming every TEXT, REF unchanged
push_refused() {
	local ref=$1 before
	shift
	before=$(server_oid "$R" "$ref") || before="(absent)"
	push origin "HEAD:$ref"
	assert_push_refused
	assert_output_contains "pushguard: push refused"
	local t
	for t in "$@"; do assert_output_contains "$t"; done
	if [ "$before" = "(absent)" ]; then assert_ref_absent "$R" "$ref"; else assert_ref "$R" "$ref" "$before"; fi
}

# push_accepted REF: push HEAD to REF, expect acceptance and REF at HEAD
push_accepted() {
	push origin "HEAD:$1"
	assert_push_ok
	assert_ref "$R" "$1" "$(oid HEAD)"
}

short() { git rev-parse HEAD | cut -c1-7; }

# ---------------------------------------------------------------- refs.branchPattern
BRANCH_RE='^(main|feature/[a-z0-9-]+)$'
c_branch_pattern_refused() {
	rules pushguard.refs.branchPattern "$BRANCH_RE"
	push_refused refs/heads/Bad_Name "Bad_Name"
}
c_branch_pattern_accepted() {
	rules pushguard.refs.branchPattern "$BRANCH_RE"
	push_accepted refs/heads/feature/login
}
c_branch_pattern_existing_update_ok() {
	setup_repo
	push_accepted refs/heads/legacy_Branch
	add_config "$R" pushguard.refs.branchPattern "$BRANCH_RE"
	commit more.txt "more" "More work"
	push_accepted refs/heads/legacy_Branch
}

# ---------------------------------------------------------------- refs.tagPattern
TAG_RE='^v[0-9]+\.[0-9]+\.[0-9]+$'
c_branch_pattern_delete_ok() {
	setup_repo
	push_accepted refs/heads/Old_Name
	add_config "$R" pushguard.refs.branchPattern "$BRANCH_RE"
	push origin --delete Old_Name
	assert_push_ok
	assert_ref_absent "$R" refs/heads/Old_Name
}

c_tag_pattern_refused() {
	rules pushguard.refs.tagPattern "$TAG_RE"
	git tag release-1
	push origin refs/tags/release-1
	assert_push_refused
	assert_output_contains "release-1"
	assert_ref_absent "$R" refs/tags/release-1
}
c_tag_pattern_accepted() {
	rules pushguard.refs.tagPattern "$TAG_RE"
	git tag v1.2.3
	push origin refs/tags/v1.2.3
	assert_push_ok
	assert_ref "$R" refs/tags/v1.2.3 "$(oid HEAD)"
}
c_tag_pattern_branch_unaffected() {
	rules pushguard.refs.tagPattern "$TAG_RE"
	push_accepted refs/heads/whatever_name
}
c_tag_pattern_existing_update_ok() {
	setup_repo
	git tag old-tag
	push origin refs/tags/old-tag
	assert_push_ok
	add_config "$R" pushguard.refs.tagPattern "$TAG_RE"
	commit more.txt "more" "More work"
	push origin main
	assert_push_ok
	git tag -f old-tag >/dev/null
	push --force origin refs/tags/old-tag
	assert_push_ok
	assert_ref "$R" refs/tags/old-tag "$(oid HEAD)"
}

# ---------------------------------------------------------------- commits.messagePattern
MSG_RE='^(feat|fix|docs)(\([a-z]+\))?: .+'
c_message_pattern_refused() {
	rules pushguard.commits.messagePattern "$MSG_RE"
	commit a.txt a "fixed stuff"
	push_refused refs/heads/main "$(short)"
}
c_message_pattern_accepted() {
	rules pushguard.commits.messagePattern "$MSG_RE"
	commit a.txt a "fix(core): typo in greeting"
	commit b.txt b "docs: explain"
	push_accepted refs/heads/main
}
c_message_pattern_one_bad_in_series() {
	rules pushguard.commits.messagePattern "$MSG_RE"
	commit a.txt a "feat: one"
	commit b.txt b "two without prefix"
	local bad
	bad=$(short)
	commit c.txt c "feat: three"
	push_refused refs/heads/main "$bad"
}

# ---------------------------------------------------------------- commits.rejectMessagePattern
c_reject_message_refused() {
	rules pushguard.commits.rejectMessagePattern '^(WIP|fixup!|squash!)'
	commit a.txt a "WIP: half done"
	push_refused refs/heads/main "$(short)"
}
c_reject_message_accepted() {
	rules pushguard.commits.rejectMessagePattern '^(WIP|fixup!|squash!)'
	commit a.txt a "Finish the WIP feature"
	push_accepted refs/heads/main
}

# ---------------------------------------------------------------- commits.authorEmailPattern
c_author_email_refused() {
	rules pushguard.commits.authorEmailPattern '@example\.com$'
	commit a.txt a "Outside work" --author "Mallory <mallory@evil.test>"
	push_refused refs/heads/main "mallory@evil.test"
}
c_author_email_accepted() {
	rules pushguard.commits.authorEmailPattern '@example\.com$'
	commit a.txt a "Inside work" --author "Bob <bob@example.com>"
	push_accepted refs/heads/main
}

# ---------------------------------------------------------------- commits.committerEmailPattern
c_committer_email_refused() {
	rules pushguard.commits.committerEmailPattern '@example\.com$'
	GIT_COMMITTER_EMAIL=bot@ci.invalid commit a.txt a "Committed by a bot"
	push_refused refs/heads/main "bot@ci.invalid"
}
c_committer_email_accepted() {
	rules pushguard.commits.committerEmailPattern '@example\.com$'
	# the author does not matter for this rule
	commit a.txt a "Committed by alice" --author "Outsider <out@elsewhere.test>"
	push_accepted refs/heads/main
}

# ---------------------------------------------------------------- commits.requireSignoff
c_signoff_missing_refused() {
	rules pushguard.commits.requireSignoff true
	commit a.txt a "No sign-off here"
	push_refused refs/heads/main "$(short)"
}
c_signoff_present_accepted() {
	rules pushguard.commits.requireSignoff true
	commit a.txt a "Signed work" -s
	git log -1 --format=%B | grep -q '^Signed-off-by: Alice Author <alice@example.com>$'
	push_accepted refs/heads/main
}
c_signoff_with_other_trailers_accepted() {
	rules pushguard.commits.requireSignoff true
	commit a.txt a "$(printf 'Work with a co-author\n\nSigned-off-by: Alice Author <alice@example.com>\nCo-authored-by: Bob <bob@example.com>')"
	push_accepted refs/heads/main
}

c_signoff_other_email_refused() {
	rules pushguard.commits.requireSignoff true
	commit a.txt a "$(printf 'Signed by someone else\n\nSigned-off-by: Bob <bob@example.com>')"
	push_refused refs/heads/main "$(short)"
}

# ---------------------------------------------------------------- files.maxSize
c_max_size_refused() {
	rules pushguard.files.maxSize 1k
	commit_size data/blob.bin 2048 "Add big blob"
	push_refused refs/heads/main "data/blob.bin"
}
c_max_size_accepted() {
	rules pushguard.files.maxSize 1k
	commit_size data/small.bin 512 "Add small blob"
	commit_size data/exact.bin 1024 "Add blob of exactly 1k"
	push_accepted refs/heads/main
}
c_max_size_one_over_refused() {
	rules pushguard.files.maxSize 1k
	commit_size data/over.bin 1025 "Add blob of 1k+1"
	push_refused refs/heads/main "data/over.bin"
}

# ---------------------------------------------------------------- files.deny
c_deny_glob_at_depth_refused() {
	rules pushguard.files.deny '*.secret'
	commit a/b/c/db.secret "k" "Add secret deep down"
	push_refused refs/heads/main "a/b/c/db.secret"
}
c_deny_glob_accepted() {
	rules pushguard.files.deny '*.secret'
	commit a/b/db.secrets "k" "Not a secret"
	commit a/secret.txt "k" "Nor this"
	commit a/.secret/x.txt "k" "Nor this"
	push_accepted refs/heads/main
}
c_deny_doublestar_refused() {
	rules pushguard.files.deny 'secrets/**'
	commit secrets/prod/db.txt "x" "Add secrets"
	push_refused refs/heads/main "secrets/prod/db.txt"
}
c_deny_anchored_root_refused() {
	rules pushguard.files.deny '/top.txt'
	commit top.txt "x" "Add top.txt at the root"
	push_refused refs/heads/main "top.txt"
}
c_deny_anchored_subdir_accepted() {
	rules pushguard.files.deny '/top.txt'
	commit sub/top.txt "x" "Add top.txt below the root"
	push_accepted refs/heads/main
}
c_deny_multi_values() {
	rules pushguard.files.deny '*.secret' pushguard.files.deny '*.sqlite'
	commit db/dump.sqlite "x" "Add db dump"
	push_refused refs/heads/main "db/dump.sqlite"
}

# deny_table GLOB... -- PATH=EXPECT...: each PATH committed alone on its own new branch;
# EXPECT is refused or accepted
deny_table() {
	setup_repo
	while [ "$1" != "--" ]; do
		add_config "$R" pushguard.files.deny "$1"
		shift
	done
	shift
	local base f want got bad=
	base=$(oid HEAD)
	for f in "$@"; do
		want=${f#*=}
		f=${f%=*}
		git checkout -q -B t "$base"
		commit "$f" x "Add $f"
		push origin "HEAD:refs/heads/b-${f//\//-}"
		if [ "$RC" -eq 0 ]; then got=accepted; elif grep -q 'hook declined' "$OUT"; then got=refused; else got="error($RC)"; fi
		[ "$got" = "$want" ] || bad="$bad $f:$got"
	done
	[ -z "$bad" ] || fail "every path as in the table" "wrong:$bad"
}

c_deny_glob_classes() {
	deny_table 'dump-[0-9].sql' 'tmp?.bin' -- \
		dump-3.sql=refused x/dump-7.sql=refused dump-a.sql=accepted \
		tmp1.bin=refused tmp12.bin=accepted tmp.bin=accepted
}

c_deny_glob_doublestar() {
	deny_table '**/build/*.bin' 'docs/**/private.txt' -- \
		build/a.bin=refused x/y/build/a.bin=refused build/sub/a.bin=accepted \
		docs/private.txt=refused docs/a/b/private.txt=refused docs/a/b/public.txt=accepted
}

# ---------------------------------------------------------------- files.maxPathLength
c_max_path_refused() {
	rules pushguard.files.maxPathLength 30
	local p=a/very/long/path/that/exceeds/the/limit.txt
	commit "$p" "x" "Add long path"
	push_refused refs/heads/main "$p"
}
c_max_path_accepted() {
	rules pushguard.files.maxPathLength 30
	commit short/enough.txt "x" "Add short path"
	push_accepted refs/heads/main
}

# ---------------------------------------------------------------- section scoping (refs)
c_commits_refs_scope() {
	rules pushguard.commits.refs refs/heads/main pushguard.commits.messagePattern "$MSG_RE"
	git checkout -q -b topic
	commit a.txt a "bad message on topic"
	push_accepted refs/heads/topic
	git checkout -q main
	commit b.txt b "bad message on main"
	push_refused refs/heads/main "$(short)"
}
c_files_refs_scope() {
	rules pushguard.files.refs 'refs/heads/release/*' pushguard.files.maxSize 1k
	commit_size big.bin 4096 "Big file"
	# release first: once topic holds the commit it is no longer new content
	push_refused refs/heads/release/1 "big.bin"
	push_accepted refs/heads/topic
}

run_case "refs.branchPattern: new branch not matching refused" c_branch_pattern_refused
run_case "refs.branchPattern: new branch matching accepted" c_branch_pattern_accepted
run_case "refs.branchPattern: existing non-matching branch can be updated" c_branch_pattern_existing_update_ok
run_case "refs.branchPattern: deleting a non-matching branch is fine" c_branch_pattern_delete_ok
run_case "refs.tagPattern: new tag not matching refused" c_tag_pattern_refused
run_case "refs.tagPattern: new tag matching accepted" c_tag_pattern_accepted
run_case "refs.tagPattern: does not apply to branches" c_tag_pattern_branch_unaffected
run_case "refs.tagPattern: existing non-matching tag can be updated" c_tag_pattern_existing_update_ok
run_case "commits.messagePattern: non-matching message refused (short oid shown)" c_message_pattern_refused
run_case "commits.messagePattern: matching messages accepted" c_message_pattern_accepted
run_case "commits.messagePattern: one bad commit in a series refused" c_message_pattern_one_bad_in_series
run_case "commits.rejectMessagePattern: matching message refused" c_reject_message_refused
run_case "commits.rejectMessagePattern: other message accepted" c_reject_message_accepted
run_case "commits.authorEmailPattern: foreign author refused" c_author_email_refused
run_case "commits.authorEmailPattern: matching author accepted" c_author_email_accepted
run_case "commits.committerEmailPattern: foreign committer refused" c_committer_email_refused
run_case "commits.committerEmailPattern: matching committer accepted" c_committer_email_accepted
run_case "commits.requireSignoff: missing sign-off refused" c_signoff_missing_refused
run_case "commits.requireSignoff: sign-off by the author accepted" c_signoff_present_accepted
run_case "commits.requireSignoff: sign-off followed by another trailer accepted" c_signoff_with_other_trailers_accepted
run_case "commits.requireSignoff: sign-off by someone else refused" c_signoff_other_email_refused
run_case "files.maxSize=1k: 2k file refused" c_max_size_refused
run_case "files.maxSize=1k: 512 and 1024 byte files accepted" c_max_size_accepted
run_case "files.maxSize=1k: 1025 byte file refused" c_max_size_one_over_refused
run_case "files.deny '*.secret' matches at depth" c_deny_glob_at_depth_refused
run_case "files.deny '*.secret' does not match look-alikes" c_deny_glob_accepted
run_case "files.deny 'secrets/**' matches nested files" c_deny_doublestar_refused
run_case "files.deny '/top.txt' matches at the root" c_deny_anchored_root_refused
run_case "files.deny '/top.txt' does not match below the root" c_deny_anchored_subdir_accepted
run_case "files.deny with several values" c_deny_multi_values
run_case "files.deny globs: [0-9] and ?" c_deny_glob_classes
run_case "files.deny globs: ** at the start and in the middle" c_deny_glob_doublestar
run_case "files.maxPathLength: long path refused" c_max_path_refused
run_case "files.maxPathLength: short path accepted" c_max_path_accepted
run_case "commits.refs scoping: bad message accepted on topic, refused on main" c_commits_refs_scope
run_case "files.refs scoping: big file refused on release/1, accepted on topic" c_files_refs_scope
