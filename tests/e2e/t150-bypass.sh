#!/usr/bin/env bash
# Bypasses of issue 15, closed, each replayed with the attacker's own commands:
# 1. scoped sections (signatures.refs, commits.refs, files.refs, secrets.refs) judge every
#    commit that enters their refs, also one staged first under an out-of-scope ref;
# 2. malformed commits, trees and tags (git hash-object --literally) are a finding
#    ("objects  malformed"), never an internal error, and one in history blocks nothing;
# 3. refs and annotated tags naming a blob or tree are scanned like any content.
# Every credential-looking value is generated here from random characters.
. "$PG_LIB"

command -v ssh-keygen >/dev/null || {
	echo "t150: ssh-keygen is needed (apt-get install openssh-client)" >&2
	exit 1
}

# rand N CHARSET: N random characters from a tr(1) charset
rand() { LC_ALL=C tr -dc "$2" </dev/urandom | head -c "$1"; }
# a GitHub personal access token shape (prefix split so no literal token is in this file)
gh_token() { printf '%s%s' "gh""p_" "$(rand 36 'A-Za-z0-9')"; }

# an SSH signing key the server trusts, made once per file
KEYS="$PG_TEST_TMP/keys"
mkdir -p "$KEYS"
ssh-keygen -q -t ed25519 -N '' -C t150 -f "$KEYS/signer"
echo "alice@example.com namespaces=\"git\" $(cat "$KEYS/signer.pub")" >"$KEYS/allowed_signers"

require_signatures() {
	set_config "$R" pushguard.signatures.required true
	set_config "$R" pushguard.signatures.allowedSignersFile "$KEYS/allowed_signers"
}
signed_commit() { git -c gpg.format=ssh -c user.signingKey="$KEYS/signer.pub" commit -q -S "$@"; }

# raw TYPE FORMAT ARGS...: an object of exactly these bytes, written as an attacker does
# (git hash-object --literally); prints its id
raw() {
	local type=$1 fmt=$2
	shift 2
	# shellcheck disable=SC2059
	printf "$fmt" "$@" | git hash-object -t "$type" --literally -w --stdin
}
AUTHOR='author Alice Author <alice@example.com> 1700000000 +0000'
COMMITTER='committer Alice Author <alice@example.com> 1700000000 +0000'

# tree_of ENTRIES: a tree of "MODE NAME HEX" lines, written literally (names may be anything)
tree_of() {
	python3 -c '
import binascii, sys
out = b""
for line in sys.argv[1].split("\n"):
    if line:
        mode, name, hexid = line.split(" ")
        name = name.replace("@LONG@", "x" * 70000).encode()
        out += mode.encode() + b" " + name + b"\0" + binascii.unhexlify(hexid)
sys.stdout.buffer.write(out)' "$1" | git hash-object -t tree --literally -w --stdin
}

# ================================================================ 1. staging bypass

# The attack as reported: unsigned C under a tag (out of scope: accepted), then C:main.
c_signatures_staged_under_a_tag() {
	setup_repo
	require_signatures
	commit a.txt "unsigned" "Unsigned change"
	local c
	c=$(oid HEAD)
	push origin "$c:refs/tags/staging"
	assert_push_ok
	push origin "$c:refs/heads/main"
	assert_push_refused
	assert_output_contains "signatures"
	assert_output_contains "refs/heads/main  ${c:0:7} \"Unsigned change\""
	assert_ref "$R" refs/heads/main "$(oid HEAD~1)"
	# a signed commit on top brings C in with it
	echo signed >b.txt
	git add b.txt
	signed_commit -m "Signed change on top"
	push origin HEAD:refs/heads/main
	assert_push_refused
	assert_output_contains "${c:0:7} \"Unsigned change\""
	assert_output_not_contains "$(git rev-parse --short=7 HEAD) \"Signed change on top\""
	assert_ref "$R" refs/heads/main "$(oid HEAD~2)"
	# signed all the way: accepted
	git reset -q --hard HEAD~2
	echo unsigned >a.txt
	git add a.txt
	signed_commit -m "Signed change"
	push origin HEAD:refs/heads/main
	assert_push_ok
}
run_case "signatures.refs: a commit staged under a tag is judged when it enters main" c_signatures_staged_under_a_tag

# Other out-of-scope places to stage it, and an annotated tag of it
c_signatures_staged_elsewhere() {
	setup_repo
	require_signatures
	commit a.txt "unsigned" "Unsigned change"
	local c ref
	c=$(oid HEAD)
	for ref in refs/pull/1/head refs/notes/staging refs/backup/main; do
		push origin "$c:$ref"
		assert_push_ok
	done
	git tag -a v1 -m "tag of it" "$c"
	push origin v1
	assert_push_ok
	push origin "v1^{}:refs/heads/release"
	assert_push_refused
	assert_output_contains "refs/heads/release  ${c:0:7}"
	assert_ref_absent "$R" refs/heads/release
	# the same push bringing it to the tag and main at once
	git reset -q --hard HEAD~1
	commit c.txt "unsigned too" "Second unsigned"
	push origin "HEAD:refs/tags/staging2" "HEAD:refs/heads/main"
	assert_push_refused
	assert_ref_absent "$R" refs/tags/staging2
}
run_case "signatures.refs: staged under refs/pull, refs/notes, refs/backup or an annotated tag: judged too" c_signatures_staged_elsewhere

# Commits already on a ref of the scope are not judged again, on any other ref of it.
c_in_scope_not_rejudged() {
	setup_repo
	commit a.txt "wip" "WIP: half done"
	push origin HEAD:refs/heads/main
	assert_push_ok
	set_config "$R" pushguard.commits.rejectMessagePattern '^WIP'
	add_config "$R" pushguard.commits.refs 'refs/heads/*'
	push origin HEAD:refs/heads/release
	assert_push_ok
	commit b.txt "done" "Finish it"
	push origin HEAD:refs/heads/main
	assert_push_ok
}
run_case "commits.refs: a commit already on a ref of the scope is not judged again" c_in_scope_not_rejudged

# commits.refs: a topic branch out of scope, merged or fast-forwarded into main
c_commits_topic_into_main() {
	setup_repo
	set_config "$R" pushguard.commits.rejectMessagePattern '^WIP'
	add_config "$R" pushguard.commits.refs refs/heads/main
	local base wip
	base=$(oid HEAD)
	git checkout -q -b topic
	commit t.txt "topic" "WIP: not ready"
	wip=$(oid HEAD)
	push origin topic
	assert_push_ok
	git checkout -q main
	commit m.txt "main" "Work on main"
	git merge -q --no-ff --no-edit topic
	push origin HEAD:refs/heads/main
	assert_push_refused
	assert_output_contains "reject-message-pattern"
	assert_output_contains "refs/heads/main  ${wip:0:7} \"WIP: not ready\""
	assert_ref "$R" refs/heads/main "$base"
	push origin topic:refs/heads/main
	assert_push_refused
	assert_output_contains "${wip:0:7}"
}
run_case "commits.refs: a topic branch's commits are judged as they enter main (merge, fast-forward)" c_commits_topic_into_main

c_files_staged() {
	setup_repo
	add_config "$R" pushguard.files.deny '*.pem'
	add_config "$R" pushguard.files.refs refs/heads/main
	commit certs/server.pem "not a real key" "Add certificate"
	push origin HEAD:refs/heads/topic
	assert_push_ok
	push origin HEAD:refs/heads/main
	assert_push_refused
	assert_output_contains "files  deny"
	assert_output_contains "certs/server.pem"
}
run_case "files.refs: a denied file staged on a topic branch is refused as it enters main" c_files_staged

c_secrets_staged() {
	setup_repo
	add_config "$R" pushguard.secrets.refs refs/heads/main
	local tok
	tok=$(gh_token)
	printf 'TOKEN=%s\n' "$tok" >deploy.env
	git add deploy.env
	git commit -q -m "Add deploy settings"
	push origin HEAD:refs/tags/staging
	assert_push_ok
	push origin HEAD:refs/heads/main
	assert_push_refused
	assert_output_contains "secrets"
	assert_output_contains "deploy.env:1"
	assert_output_contains "${tok:0:4}…"
	assert_output_not_contains "$tok"
}
run_case "secrets.refs: a secret staged under a tag is refused as it enters main" c_secrets_staged

# A blob (or tree) staged under an out-of-scope ref, then named by a ref in scope
c_secrets_blob_staged() {
	setup_repo
	add_config "$R" pushguard.secrets.refs 'refs/tags/release-*'
	local tok blob tree
	tok=$(gh_token)
	blob=$(printf 'TOKEN=%s\n' "$tok" | git hash-object -w --stdin)
	push origin "$blob:refs/tags/tmp-blob"
	assert_push_ok
	push origin "$blob:refs/tags/release-blob"
	assert_push_refused
	assert_output_contains "secrets"
	assert_output_contains "${tok:0:4}…"
	assert_ref_absent "$R" refs/tags/release-blob
	tree=$(tree_of "100644 deploy.env $blob")
	push origin "$tree:refs/tags/tmp-tree"
	assert_push_ok
	push origin "$tree:refs/tags/release-tree"
	assert_push_refused
	assert_output_contains "deploy.env:1"
}
run_case "secrets.refs: a blob or tree staged under an out-of-scope tag is refused as it enters scope" c_secrets_blob_staged

c_update_hook_staged() {
	setup_repo --hook update
	require_signatures
	commit a.txt "unsigned" "Unsigned change"
	local c
	c=$(oid HEAD)
	push origin "$c:refs/tags/staging"
	assert_push_ok
	push origin "$c:refs/heads/main"
	assert_push_refused
	assert_output_contains "signatures"
	assert_ref "$R" refs/heads/main "$(oid HEAD~1)"
	# one push, two refs: the update hook decides per ref, the tag lands first
	git reset -q --hard HEAD~1
	commit c.txt "unsigned too" "Second unsigned"
	push origin "HEAD:refs/tags/staging2" "HEAD:refs/heads/main"
	assert_rc_nonzero
	assert_output_contains "signatures"
	assert_ref "$R" refs/tags/staging2 "$(oid HEAD)"
	assert_ref "$R" refs/heads/main "$(oid HEAD~1)"
}
run_case "update hook: a commit staged under a tag (or in the same push) is judged for main" c_update_hook_staged

# ================================================================ 2. malformed objects

# malformed_commit WHAT HEADER...: a commit on HEAD with these header lines (no tree/parent)
malformed_commit() {
	local body=$1
	shift
	raw commit 'tree %s\nparent %s\n%s\n%s\n' "$(oid 'HEAD^{tree}')" "$(oid HEAD)" "$*" "$body"
}

c_malformed_commits() {
	setup_repo
	local before c what
	before=$(oid HEAD)
	while IFS='|' read -r what header; do
		c=$(malformed_commit "Malformed: $what" "$(printf '%b' "$header")")
		push origin "$c:refs/heads/main"
		assert_push_refused
		assert_output_contains "objects  malformed"
		assert_output_contains "malformed commit $c: $what"
		assert_output_not_contains "internal error"
		assert_ref "$R" refs/heads/main "$before"
	done <<EOF
no author line|$COMMITTER
the author line has no <email>|author Alice alice@example.com 1700000000 +0000\n$COMMITTER
the author line's date is too large (over 2^63 seconds)|author Alice <a@x> 99999999999999999999999 +0000\n$COMMITTER
the author line's date is not a number of seconds|author Alice <a@x> soon +0000\n$COMMITTER
the committer line has no <email>|$AUTHOR\ncommitter Alice a@x 1700000000 +0000
the committer line's date is too large (over 2^63 seconds)|$AUTHOR\ncommitter Alice <a@x> 99999999999999999999999 +0000
no committer line|$AUTHOR
two author lines|$AUTHOR\nauthor Mallory <m@x> 1700000000 +0000\n$COMMITTER
a second committer line|$AUTHOR\n$COMMITTER\ncommitter Mallory <m@x> 1700000000 +0000
a second gpgsig line|$AUTHOR\n$COMMITTER\ngpgsig a\ngpgsig b
EOF
	# onError=accept changes nothing: a finding, not an error
	set_config "$R" pushguard.onError accept
	push origin "$c:refs/heads/main"
	assert_push_refused
	assert_output_contains "objects  malformed"
	assert_output_not_contains "unchecked"
	assert_ref "$R" refs/heads/main "$before"
	# mode=warn: accepted with the warning
	set_config "$R" pushguard.mode warn
	push origin "$c:refs/heads/main"
	assert_push_ok
	assert_output_contains "objects  malformed"
}
run_case "malformed commits (git hash-object --literally) are refused as objects/malformed, also with onError=accept" c_malformed_commits

c_malformed_trees_and_tags() {
	setup_repo
	local before blob t c tag what entries
	before=$(oid HEAD)
	blob=$(echo hello | git hash-object -w --stdin)
	while IFS='|' read -r what entries; do
		t=$(tree_of "$(printf '%b' "$entries")")
		c=$(raw commit 'tree %s\nparent %s\n%s\n%s\n\nOdd tree\n' "$t" "$before" "$AUTHOR" "$COMMITTER")
		push origin "$c:refs/heads/main"
		assert_push_refused
		assert_output_contains "malformed tree $t (the top directory): "
		assert_output_contains "$what"
		assert_output_not_contains "internal error"
		assert_ref "$R" refs/heads/main "$before"
	done <<EOF
an entry is named '.git' (git's own directory)|100644 .git $blob
an entry is named '.GIT' (git's own directory)|100644 .GIT $blob
the entries are not in git's order ('a' after 'b')|100644 b $blob\n100644 a $blob
the entry 'a' appears twice|100644 a $blob\n100644 a $blob
the entry 'x' has the mode 1000000, too large for libgit2|1000000 x $blob
has a name of 70000 bytes (libgit2 reads at most 65535)|100644 @LONG@ $blob
EOF
	# a malformed tree deeper down names its directory
	t=$(tree_of "100644 a.txt $blob
40000 sub $(tree_of "100644 .git $blob")")
	c=$(raw commit 'tree %s\nparent %s\n%s\n%s\n\nDeep\n' "$t" "$before" "$AUTHOR" "$COMMITTER")
	push origin "$c:refs/heads/main"
	assert_push_refused
	assert_output_contains "(the directory sub/): an entry is named '.git'"
	# tags: a tagger without <>, two taggers
	tag=$(raw tag 'object %s\ntype commit\ntag v1\ntagger Mallory m@x 1700000000 +0000\n\nrelease\n' "$before")
	push origin "$tag:refs/tags/v1"
	assert_push_refused
	assert_output_contains "malformed tag $tag: the tagger line has no <email>"
	assert_output_contains "git tag -f -a"
	assert_ref_absent "$R" refs/tags/v1
	tag=$(raw tag 'object %s\ntype commit\ntag v2\n%s\ntagger Mallory <m@x> 1 +0000\n\nx\n' "$before" "${AUTHOR/author/tagger}")
	push origin "$tag:refs/tags/v2"
	assert_push_refused
	assert_output_contains "malformed tag $tag: a second tagger line"
}
run_case "malformed trees and tags are refused as objects/malformed, naming the object and the problem" c_malformed_trees_and_tags

# One malformed commit in history (pushed while pushguard was off) blocks nothing afterwards.
c_malformed_history_blocks_nothing() {
	setup_repo
	local bad
	bad=$(malformed_commit "Broken committer" "$AUTHOR
committer Mallory m@x 1700000000 +0000")
	set_config "$R" pushguard.mode off
	push origin "$bad:refs/heads/main"
	assert_push_ok
	unset_config "$R" pushguard.mode
	git reset -q --hard "$bad"
	commit b.txt "next" "On top of the broken one"
	push origin HEAD:refs/heads/main
	assert_push_ok
	assert_output_not_contains "internal error"
	git checkout -q -b feature
	commit c.txt "feature" "Feature work"
	push origin feature
	assert_push_ok
	# denyForcePush on main (the default policy) still tells a fast-forward through it
	git checkout -q main
	commit d.txt "more" "More on main"
	push origin main
	assert_push_ok
	# on the server already: a new branch at it is not judged again
	push origin "$bad:refs/heads/old"
	assert_push_ok
	# onError=accept never meets an error here either
	set_config "$R" pushguard.onError accept
	commit e.txt "again" "Again"
	push origin main
	assert_push_ok
	assert_output_not_contains "unchecked"
	# pushguard scan reads it as git does: a note, no error
	run "$PG_BIN/pushguard" scan "$R"
	assert_rc 0
	assert_output_contains "note: malformed commit $bad: the committer line has no <email>"
	assert_output_not_contains "cannot"
}
run_case "a malformed commit already in history blocks no later push, and pushguard scan reads it" c_malformed_history_blocks_nothing

c_malformed_history_update_hook() {
	setup_repo --hook update
	local bad c
	bad=$(malformed_commit "No author" "$COMMITTER")
	set_config "$R" pushguard.mode off
	push origin "$bad:refs/heads/main"
	assert_push_ok
	unset_config "$R" pushguard.mode
	git reset -q --hard "$bad"
	commit b.txt "next" "On top"
	push origin HEAD:refs/heads/main
	assert_push_ok
	# and a new malformed one is refused by the update hook too
	c=$(malformed_commit "No author either" "$COMMITTER")
	push origin "$c:refs/heads/main"
	assert_push_refused
	assert_output_contains "malformed commit $c: no author line"
}
run_case "update hook: malformed history blocks nothing, a new malformed commit is refused" c_malformed_history_update_hook

# A mode git reads as a gitlink may name a missing object: git accepts it, so must pushguard.
c_odd_mode_is_a_gitlink() {
	setup_repo
	local t c
	t=$(tree_of "100644 README.md $(oid HEAD:README.md)
20000 dev deadbeefdeadbeefdeadbeefdeadbeefdeadbeef")
	c=$(raw commit 'tree %s\nparent %s\n%s\n%s\n\nOdd mode\n' "$t" "$(oid HEAD)" "$AUTHOR" "$COMMITTER")
	push origin "$c:refs/heads/main"
	assert_push_ok
	assert_output_not_contains "internal error"
	assert_ref "$R" refs/heads/main "$c"
}
run_case "a tree entry git reads as a gitlink (odd mode, missing object) is accepted like git does" c_odd_mode_is_a_gitlink

c_install_fsck_objects() {
	R=$(new_bare_repo srv)
	install_hook "$R" --fsck-objects
	assert_output_contains "set receive.fsckObjects = true in $R/config"
	[ "$(git config -f "$R/config" --get receive.fsckObjects)" = true ] ||
		fail "receive.fsckObjects = true" "$(git config -f "$R/config" --get receive.fsckObjects)"
	install_hook "$R" --fsck-objects
	assert_output_contains "already up to date"
	clone "$R" w
	cd w
	seed
	local c
	c=$(malformed_commit "No author" "$COMMITTER")
	push origin "$c:refs/heads/main"
	assert_rc_nonzero
	assert_output_contains "missingAuthor"
	run "$PG_TOP/install.sh" --prefix "$PG_PREFIX" --uninstall --fsck-objects "$R"
	assert_rc 2
	assert_output_contains "--fsck-objects sets receive.fsckObjects in each REPO/config"
}
run_case "install.sh --fsck-objects sets receive.fsckObjects: git itself refuses malformed objects" c_install_fsck_objects

# ================================================================ 3. refs naming blobs and trees

c_blob_ref_with_secret() {
	setup_repo
	local tok blob tree
	tok=$(gh_token)
	blob=$(printf 'TOKEN=%s\n' "$tok" | git hash-object -w --stdin)
	push origin "$blob:refs/tags/blob"
	assert_push_refused
	assert_output_contains "secrets"
	assert_output_contains "refs/tags/blob of a blob"
	assert_output_contains "${tok:0:4}…"
	assert_output_not_contains "$tok"
	assert_output_not_contains "internal error"
	assert_ref_absent "$R" refs/tags/blob
	# any namespace, and with onError=accept alike
	set_config "$R" pushguard.onError accept
	push origin "$blob:refs/stash-of/blob"
	assert_push_refused
	assert_output_not_contains "unchecked"
	assert_ref_absent "$R" refs/stash-of/blob
	# a tree holding it, and an annotated tag of the blob
	tree=$(tree_of "100644 deploy.env $blob")
	push origin "$tree:refs/tags/tree"
	assert_push_refused
	assert_output_contains "deploy.env:1"
	git tag -a blobtag -m "a tag of a blob" "$blob"
	push origin blobtag
	assert_push_refused
	assert_output_contains "${tok:0:4}…"
	assert_ref_absent "$R" refs/tags/blobtag
}
run_case "a ref (or annotated tag) naming a blob or tree with a secret is refused, not an internal error" c_blob_ref_with_secret

c_tree_ref_file_rules() {
	setup_repo
	local blob tree
	blob=$(echo "not a key" | git hash-object -w --stdin)
	tree=$(tree_of "40000 keys $(tree_of "100644 id_rsa $blob")")
	push origin "$tree:refs/trees/keys"
	assert_push_refused
	assert_output_contains "files  deny"
	assert_output_contains "keys/id_rsa"
}
run_case "file rules apply to a tree a ref names" c_tree_ref_file_rules

c_blob_ref_update_hook() {
	setup_repo --hook update
	local tok blob
	tok=$(gh_token)
	blob=$(printf 'TOKEN=%s\n' "$tok" | git hash-object -w --stdin)
	push origin "$blob:refs/tags/blob"
	assert_push_refused
	assert_output_contains "${tok:0:4}…"
	assert_output_not_contains "internal error"
}
run_case "update hook: a ref naming a blob with a secret is refused" c_blob_ref_update_hook

c_scan_finds_blob_refs() {
	setup_repo
	local tok blob tree
	tok=$(gh_token)
	blob=$(printf 'TOKEN=%s\n' "$tok" | git hash-object -w --stdin)
	tree=$(tree_of "100644 deploy.env $(printf 'KEY=%s\n' "$(gh_token)" | git hash-object -w --stdin)")
	set_config "$R" pushguard.mode off
	push origin "$blob:refs/tags/blob" "$tree:refs/tags/tree"
	assert_push_ok
	run "$PG_BIN/pushguard" scan "$R"
	assert_rc 1
	assert_output_contains "refs/tags/blob"
	assert_output_contains "deploy.env:1"
	assert_output_contains "2 findings"
	assert_output_not_contains "$tok"
}
run_case "pushguard scan scans blobs and trees that refs name" c_scan_finds_blob_refs

# signatures.refs covering tags: a ref naming a blob has nothing to sign (no internal error);
# an annotated tag of it is checked as a tag
c_signatures_blob_under_tags() {
	setup_repo
	require_signatures
	add_config "$R" pushguard.signatures.refs 'refs/tags/**'
	local blob
	blob=$(echo "just data" | git hash-object -w --stdin)
	push origin "$blob:refs/tags/data"
	assert_push_ok
	assert_output_not_contains "internal error"
	git tag -a datatag -m "unsigned tag of a blob" "$blob"
	push origin datatag
	assert_push_refused
	assert_output_contains "signatures"
	assert_output_contains "tag: "
	assert_output_not_contains "internal error"
}
run_case "signatures.refs over tags: a ref naming a blob is no internal error, an unsigned tag of it is refused" c_signatures_blob_under_tags
