#!/usr/bin/env bash
# Secrets in the headers of commits and annotated tags, through real pushes:
# - a token in the message of a signed tag merged (the merge's mergetag header carries the
#   whole tag), in a header git does not know (git hash-object on crafted text), in the
#   encoding header (git commit with that i18n.commitEncoding), in a tagger's name, in an
#   annotated tag's own name: refused, the finding naming the header and line, the token
#   masked in the output and the audit log; a token in a message or author that the encoding
#   header makes read as other characters (UTF-16LE) is refused too, and so is one after a
#   NUL in a commit's or tag's message (git log shows nothing after it);
# - real gpg- and ssh-signed commits and the merge of a signed tag (gpgsig, mergetag) that
#   hold no secret are accepted; pushguard scan finds a header's secret in history, masked.
# Every credential-looking value is generated here from random characters.
. "$PG_LIB"

command -v gpg >/dev/null && command -v ssh-keygen >/dev/null || {
	echo "t155: gpg and ssh-keygen are needed (apt-get install gnupg openssh-client)" >&2
	exit 1
}

rand() { LC_ALL=C tr -dc "$2" </dev/urandom | head -c "$1"; }
gh_token() { printf '%s%s' "gh""p_" "$(rand 36 'A-Za-z0-9')"; }
aws_key_id() { printf '%s%s' "AK""IA" "$(rand 16 'A-Z2-7')"; }

# ---------------------------------------------------------------- keys, made once per file
KEYS="$PG_TEST_TMP/keys"
mkdir -p "$KEYS"
export GNUPGHOME="$KEYS/gnupg"
mkdir -p -m 700 "$GNUPGHOME"
trap 'gpgconf --homedir "$GNUPGHOME" --kill all 2>/dev/null' EXIT
gpg --batch --quiet --passphrase '' --quick-gen-key 'Alice Author <alice@example.com>' ed25519 sign never 2>/dev/null
gpg --batch --quiet --passphrase '' --quick-gen-key 'Rita RSA <rita@example.com>' rsa3072 sign never 2>/dev/null
ssh-keygen -q -t ed25519 -N '' -C 'alice@test' -f "$KEYS/ssh_ed"
ssh-keygen -q -t rsa -b 3072 -N '' -C 'rita@test' -f "$KEYS/ssh_rsa"

# signed KIND KEY ARGS...: git with KIND (openpgp, ssh) signing under KEY
signed() {
	local kind=$1 key=$2
	shift 2
	git -c gpg.format="$kind" -c user.signingKey="$key" "$@"
}

# crafted_commit HEADERS MESSAGE: a commit on HEAD with these header lines after the
# committer, written by git hash-object (which checks it as git fsck would); prints its id
crafted_commit() {
	{
		printf 'tree %s\nparent %s\n' "$(git rev-parse 'HEAD^{tree}')" "$(git rev-parse HEAD)"
		git cat-file commit HEAD | grep -E '^(author|committer) '
		printf '%s\n\n%s\n' "$1" "$2"
	} | git hash-object -t commit -w --stdin
}

c_mergetag() {
	setup_repo
	local tok short
	tok=$(gh_token)
	git checkout -q -b release
	commit release.txt "1.0" "Prepare release 1"
	signed openpgp alice@example.com tag -s v1 -m "Release 1 built with $tok"
	git checkout -q main
	commit main.txt "main" "Work on main"
	# a merge of the signed tag: git records the whole tag in a mergetag header; the message
	# given here holds no token, so the header alone does
	git merge -q --no-ff -m "Merge release 1" v1
	git cat-file commit HEAD | grep -q '^mergetag object ' || fail "the merge has a mergetag header" "none"
	short=$(git rev-parse --short=7 HEAD)
	push origin HEAD:refs/heads/main
	assert_push_refused
	assert_output_contains "github-pat"
	# mergetag object, type, tag, tagger, the blank line, then the tag's message
	assert_output_contains "commit $short header mergetag:6"
	assert_output_contains "in the commit's mergetag header"
	assert_output_contains "git merge TAG^{commit}"
	assert_output_contains "ghp_…"
	assert_output_not_contains "$tok"
	assert_output_not_contains "${tok:0:12}"
	assert_ref "$R" refs/heads/main "$(oid HEAD~1~1)"
}

c_unknown_header() {
	setup_repo
	local tok key c short audit=$PG_CASE_DIR/audit.jsonl
	tok=$(gh_token)
	key=$(aws_key_id)
	set_config "$R" pushguard.auditLog "$audit"
	commit a.txt "plain" "Ordinary change"
	c=$(crafted_commit "$(printf 'x-deploy-token %s\nx-build-notes built on ci\n region eu\n key %s' "$tok" "$key")" \
		"Ordinary change")
	git update-ref refs/heads/main "$c"
	git cat-file commit HEAD | grep -q "^x-deploy-token " || fail "the commit has the header" "none"
	short=$(git rev-parse --short=7 HEAD)
	push origin HEAD:refs/heads/main
	assert_push_refused
	assert_output_contains "commit $short header x-deploy-token:1"
	assert_output_contains "in the commit's x-deploy-token header"
	assert_output_contains "git rebase --force-rebase COMMIT~"
	assert_output_contains "aws-access-key-id"
	assert_output_contains "commit $short header x-build-notes:3"
	assert_output_not_contains "$tok"
	assert_output_not_contains "$key"
	grep -qF '"push.rejected"' "$audit" || fail "audit log has push.rejected" "not found"
	grep -qF "header x-deploy-token" "$audit" || fail "audit log names the header" "not found"
	! grep -qF "$tok" "$audit" || fail "audit log does not contain the token" "found"
	! grep -qF "$key" "$audit" || fail "audit log does not contain the key" "found"
	assert_ref "$R" refs/heads/main "$(oid HEAD~2)"
	# without the crafted commit the change is accepted
	git reset -q --hard HEAD~1
	push origin HEAD:refs/heads/main
	assert_push_ok
}

c_tagger() {
	setup_repo
	local tok
	tok=$(gh_token)
	GIT_COMMITTER_NAME="release $tok" git tag -a v1 -m "Release 1"
	git cat-file tag v1 | grep -q "^tagger release " || fail "the tagger holds the name" "not found"
	push origin refs/tags/v1
	assert_push_refused
	assert_output_contains "tag v1 header tagger:1"
	assert_output_contains "in the annotated tag's tagger header"
	assert_output_contains "git tag -f -a NAME COMMIT"
	assert_output_not_contains "$tok"
	assert_ref_absent "$R" refs/tags/v1
	# the same tag under the pusher's own name passes
	git tag -d v1 >/dev/null
	git tag -a v1 -m "Release 1"
	push origin refs/tags/v1
	assert_push_ok
}

c_tag_name_header() {
	setup_repo
	local tok t
	tok=$(gh_token)
	# a tag object whose own name (its "tag" header) is not the ref's
	t=$(printf 'object %s\ntype commit\ntag %s\ntagger Tina <tina@example.com> 1704067200 +0000\n\nRelease 2\n' \
		"$(oid HEAD)" "$tok" | git hash-object -t tag -w --stdin)
	git update-ref refs/tags/v2 "$t"
	push origin refs/tags/v2
	assert_push_refused
	assert_output_contains "tag ghp_… header tag:1"
	assert_output_not_contains "$tok"
	assert_ref_absent "$R" refs/tags/v2
}

c_encoding() {
	setup_repo
	local tok short
	tok=$(gh_token)
	# git writes whatever i18n.commitEncoding says into the encoding header
	printf 'plain\n' >a.txt
	git add a.txt
	git -c i18n.commitEncoding="$tok" commit -q -m "Ordinary change"
	git cat-file commit HEAD | grep -q "^encoding ghp_" || fail "the commit has the encoding header" "none"
	short=$(git rev-parse --short=7 HEAD)
	push origin HEAD:refs/heads/main
	assert_push_refused
	assert_output_contains "commit $short header encoding:1"
	assert_output_contains "in the commit's encoding header"
	assert_output_contains "i18n.commitEncoding=UTF-8"
	assert_output_not_contains "$tok"
	assert_ref "$R" refs/heads/main "$(oid HEAD~1)"
	# a real encoding is no finding
	git reset -q --hard HEAD~1
	printf 'caf\xe9\n' >b.txt
	git add b.txt
	git -c i18n.commitEncoding=ISO-8859-1 commit -q -m "$(printf 'Caf\xe9 menu')"
	git cat-file commit HEAD | grep -q "^encoding ISO-8859-1" || fail "the commit has the encoding header" "none"
	push origin HEAD:refs/heads/main
	assert_push_ok
}

c_encoding_hides_nothing() {
	setup_repo
	local tok tok2 short
	tok=$(gh_token)
	tok2=$(gh_token)
	# git writes the message and the author's name as given and declares them UTF-16LE: decoded
	# so (as git log does), their ASCII bytes read as other characters; what is written is scanned
	printf 'plain\n' >a.txt
	git add a.txt
	GIT_AUTHOR_NAME="Dep $tok2" git -c i18n.commitEncoding=UTF-16LE commit -q -m "ab $tok"
	git cat-file commit HEAD | grep -q "^encoding UTF-16LE" || fail "the commit has the encoding header" "none"
	short=$(git rev-parse --short=7 HEAD)
	push origin HEAD:refs/heads/main
	assert_push_refused
	assert_output_contains "commit $short message:1"
	assert_output_contains "in the commit message as written (its encoding header makes it read otherwise)"
	assert_output_contains "commit $short author:1"
	assert_output_not_contains "$tok"
	assert_output_not_contains "$tok2"
	assert_ref "$R" refs/heads/main "$(oid HEAD~1)"
}

c_nul_hides_nothing() {
	setup_repo
	local tok tok2 c t short
	tok=$(gh_token)
	tok2=$(gh_token)
	# git log and git show stop at a NUL in a message; the bytes after it are in the
	# repository all the same (git hash-object writes them; git fsck checks only the header)
	c=$({
		printf 'tree %s\nparent %s\n' "$(git rev-parse 'HEAD^{tree}')" "$(git rev-parse HEAD)"
		git cat-file commit HEAD | grep -E '^(author|committer) '
		printf '\nFix typo\0 deploy with %s\n' "$tok"
	} | git hash-object -t commit -w --stdin)
	[ "$(git log -1 --format=%B "$c" | tr -d '\n')" = "Fix typo" ] || fail "git log shows the message up to the NUL" "$(git log -1 --format=%B "$c")"
	short=$(git rev-parse --short=7 "$c")
	push origin "$c:refs/heads/main"
	assert_push_refused
	assert_output_contains "commit $short message:2"
	assert_output_contains "in the commit message"
	assert_output_not_contains "$tok"
	assert_ref "$R" refs/heads/main "$(oid HEAD)"
	# an annotated tag's message likewise
	t=$(printf 'object %s\ntype commit\ntag v3\ntagger Tina <tina@example.com> 1704067200 +0000\n\nRelease 3\0%s\n' \
		"$(oid HEAD)" "$tok2" | git hash-object -t tag -w --stdin)
	git update-ref refs/tags/v3 "$t"
	push origin refs/tags/v3
	assert_push_refused
	assert_output_contains "tag v3 message:2"
	assert_output_not_contains "$tok2"
	assert_ref_absent "$R" refs/tags/v3
	# a NUL alone hides nothing and refuses nothing
	git tag -d v3 >/dev/null
	t=$(printf 'object %s\ntype commit\ntag v3\ntagger Tina <tina@example.com> 1704067200 +0000\n\nRelease 3\0notes\n' \
		"$(oid HEAD)" | git hash-object -t tag -w --stdin)
	git update-ref refs/tags/v3 "$t"
	push origin refs/tags/v3
	assert_push_ok
}

c_signed_clean() {
	setup_repo
	local i
	# commits signed with gpg (Ed25519, RSA) and ssh (Ed25519, RSA): their signatures are scanned
	# and are no secret
	for i in 1 2 3; do
		printf '%s\n' "$i" >gpg-ed.txt
		git add gpg-ed.txt
		signed openpgp alice@example.com commit -q -S -m "Signed with gpg ed25519 $i"
		printf '%s\n' "$i" >gpg-rsa.txt
		git add gpg-rsa.txt
		signed openpgp rita@example.com commit -q -S -m "Signed with gpg rsa $i"
		printf '%s\n' "$i" >ssh-ed.txt
		git add ssh-ed.txt
		signed ssh "$KEYS/ssh_ed.pub" commit -q -S -m "Signed with ssh ed25519 $i"
		printf '%s\n' "$i" >ssh-rsa.txt
		git add ssh-rsa.txt
		signed ssh "$KEYS/ssh_rsa.pub" commit -q -S -m "Signed with ssh rsa $i"
	done
	assert_eq "$(for c in $(git rev-list -12 HEAD); do git cat-file commit "$c" | grep -q '^gpgsig ' && echo x; done | wc -l)" \
		12 "signed commits (a gpgsig header)"
	# the merge of a signed tag (gpg and ssh), itself signed: mergetag and gpgsig headers
	git checkout -q -b release
	commit release.txt "1.0" "Prepare release 1"
	signed openpgp rita@example.com tag -s v1 -m "Release 1" -m "Fixes the frobnicator; see docs/guide.md."
	commit release.txt "1.1" "Prepare release 1.1"
	signed ssh "$KEYS/ssh_ed.pub" tag -s v1.1 -m "Release 1.1"
	git checkout -q main
	signed openpgp alice@example.com merge -q --no-ff -S --no-edit v1
	git cat-file commit HEAD | grep -q '^mergetag object ' || fail "the merge has a mergetag header" "none"
	git cat-file commit HEAD | grep -q '^gpgsig ' || fail "the merge is signed" "not signed"
	signed ssh "$KEYS/ssh_rsa.pub" merge -q --no-ff -S --no-edit v1.1
	git cat-file commit HEAD | grep -q '^mergetag object ' || fail "the second merge has a mergetag header" "none"
	push origin HEAD:refs/heads/main refs/tags/v1 refs/tags/v1.1
	assert_push_ok
	assert_output_not_contains "pushguard" # not even a finding below pushguard.secrets.block, or allowed
	assert_ref "$R" refs/heads/main "$(oid HEAD)"
	assert_ref "$R" refs/tags/v1 "$(oid v1)"
}

c_scan() {
	setup_repo
	local tok
	tok=$(gh_token)
	set_config "$R" pushguard.secrets.enabled false
	commit a.txt "plain" "Ordinary change"
	git update-ref refs/heads/main "$(crafted_commit "x-token $tok" "Crafted")"
	push origin HEAD:refs/heads/main
	assert_push_ok
	set_config "$R" pushguard.secrets.enabled true
	run "$PG_BIN/pushguard" scan --format text "$R"
	assert_rc 1
	assert_output_contains "commit $(git rev-parse --short=7 HEAD) header x-token:1"
	assert_output_not_contains "$tok"
	# and the next push on top does not report it again
	commit b.txt "plain" "On top"
	push origin HEAD:refs/heads/main
	assert_push_ok
	assert_output_not_contains "$tok"
}

run_case "a token in the message of a signed tag merged (mergetag header) is refused, masked" c_mergetag
run_case "a token in a header git does not know is refused, masked in the output and the audit log" c_unknown_header
run_case "a token in an annotated tag's tagger name is refused, masked" c_tagger
run_case "a token in an annotated tag's own name (tag header) is refused, masked" c_tag_name_header
run_case "a token in a commit's encoding header is refused; a real encoding passes" c_encoding
run_case "a token in a message or author an encoding header makes read otherwise is refused" c_encoding_hides_nothing
run_case "a token after a NUL in a commit or tag message (git log shows none of it) is refused" c_nul_hides_nothing
run_case "gpg- and ssh-signed commits and merges of signed tags without secrets are accepted" c_signed_clean
run_case "pushguard scan finds a header's secret in history; a later push does not report it again" c_scan
