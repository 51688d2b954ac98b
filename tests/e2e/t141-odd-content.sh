#!/usr/bin/env bash
# Odd content, decided right and printed safely: paths that are not UTF-8 or hold spaces,
# symlinks, submodules, empty commits, octopus merges, commits with an encoding header
# and with a mergetag header; the audit log stays one valid JSON object a line.
# Every credential-looking value is generated here from random characters.
. "$PG_LIB"

rand() { LC_ALL=C tr -dc "$2" </dev/urandom | head -c "$1"; }
gh_token() { printf '%s%s' "gh""p_" "$(rand 36 'A-Za-z0-9')"; }

# audit_valid FILE: every line of the audit log parses as one JSON object
audit_valid() {
	run python3 -c '
import json, sys
n = 0
for line in open(sys.argv[1], "rb"):
    json.loads(line)
    n += 1
assert n > 0, "empty audit log"
' "$1"
	assert_rc 0
}

c_non_utf8_and_space_paths() {
	setup_repo
	set_config "$R" pushguard.auditLog "$PG_CASE_DIR/audit.jsonl"
	local latin1 tok
	latin1=$(printf 'caf\351 menu.txt')   # "café menu.txt" in ISO-8859-1: not UTF-8
	tok=$(gh_token)
	printf 'token: %s\n' "$tok" >"$latin1"
	git add -- "$latin1" && git commit -q -m "Add a latin-1 named file"
	push origin main
	assert_push_refused
	assert_output_contains "caf? menu.txt:1"
	assert_output_not_contains "$tok"
	LC_ALL=C grep -q $'\351' "$OUT" && fail "no invalid UTF-8 byte reaches the pusher" "found one"
	# clean content under the same path is accepted
	printf 'soup of the day\n' >"$latin1"
	git commit -q --amend -a -m "Add a latin-1 named file"
	push origin main
	assert_push_ok
	audit_valid "$PG_CASE_DIR/audit.jsonl"
	# the refusal was recorded with the finding's path
	grep '"push.rejected"' "$PG_CASE_DIR/audit.jsonl" | grep -q 'menu.txt' ||
		fail "the refusal in the audit log names the path" "$(cat "$PG_CASE_DIR/audit.jsonl")"
}
run_case "a path that is not UTF-8 (with a space): decided right, printed safely, audit lines valid JSON" c_non_utf8_and_space_paths

c_symlinks_and_submodules() {
	setup_repo
	# a symlink's target is a path, not content: accepted
	ln -s ../../etc/hosts hosts-link
	git add hosts-link && git commit -q -m "Add a symlink"
	push origin main
	assert_push_ok
	# a gitlink (submodule) entry: the server has no such commit, and needs none
	git update-index --add --cacheinfo 160000,"$(printf '%040d' 7)",vendor/lib
	git commit -q -m "Add a submodule"
	push origin main
	assert_push_ok
	# a symlink named like a private key is still a denied name
	ln -s hosts-link id_rsa
	git add id_rsa && git commit -q -m "Add a link named id_rsa"
	push origin main
	assert_push_refused
	assert_output_contains "id_rsa"
}
run_case "symlinks and submodule entries accepted; a denied name is denied as a symlink too" c_symlinks_and_submodules

c_empty_and_octopus() {
	setup_repo
	local base tok
	base=$(oid HEAD)
	git commit -q --allow-empty -m "Nothing changes"
	push origin main
	assert_push_ok
	# an octopus merge of three branches, one of which adds a token: refused, naming that commit
	tok=$(gh_token)
	for b in one two three; do
		git checkout -q -b "$b" "$base"
		if [ "$b" = two ]; then
			printf 'TOKEN=%s\n' "$tok" >"$b.env"
		else
			printf 'plain %s\n' "$b" >"$b.txt"
		fi
		git add -A && git commit -q -m "Branch $b"
	done
	git checkout -q main
	git merge -q --no-edit one two three
	[ "$(git rev-list --parents -n1 HEAD | wc -w)" -eq 5 ] || fail "an octopus merge (4 parents)" "$(git rev-list --parents -n1 HEAD)"
	push origin main
	assert_push_refused
	assert_output_contains "two.env:1"
	assert_output_contains "Branch two"
	assert_output_not_contains "$tok"
	# the same octopus without the token is accepted
	git reset -q --hard HEAD~1
	git checkout -q two && git rm -q two.env && git commit -q --amend -m "Branch two" --allow-empty
	git checkout -q main
	git merge -q --no-edit one two three
	push origin main
	assert_push_ok
}
run_case "an empty commit accepted; an octopus merge decided by what each branch adds" c_empty_and_octopus

c_encoding_and_mergetag_headers() {
	setup_repo
	set_config "$R" pushguard.auditLog "$PG_CASE_DIR/audit.jsonl"
	local tok
	tok=$(gh_token)
	# a commit message in ISO-8859-1, declared by an encoding header
	printf 'Men\374 mit Schl\374ssel\n' >"$PG_CASE_DIR/msg"
	printf 'KEY=%s\n' "$tok" >config.env
	git add config.env
	git -c i18n.commitEncoding=ISO-8859-1 commit -q -F "$PG_CASE_DIR/msg"
	git cat-file commit HEAD | grep -q '^encoding ISO-8859-1' || fail "an encoding header" "none"
	push origin main
	assert_push_refused
	assert_output_contains "config.env:1"
	assert_output_contains "Menü mit Schlüssel" # re-encoded to UTF-8, as git log shows it
	LC_ALL=C grep -q $'\374' "$OUT" && fail "no invalid UTF-8 byte reaches the pusher" "found one"
	git reset -q --hard HEAD~1
	# merging a signed tag writes a mergetag header (the whole tag) into the merge commit
	ssh-keygen -q -t ed25519 -N '' -C tagger -f "$PG_CASE_DIR/tagkey"
	git checkout -q -b feature
	commit feature.txt "a feature" "Add a feature"
	git -c gpg.format=ssh -c user.signingKey="$PG_CASE_DIR/tagkey" tag -s -m "Release 1" v1
	git checkout -q main
	commit main.txt "on main" "Work on main"
	git merge -q --no-ff --no-edit v1
	git cat-file commit HEAD | grep -q '^mergetag ' || fail "a mergetag header" "none"
	push origin main
	assert_push_ok
	assert_ref "$R" refs/heads/main "$(oid HEAD)"
	audit_valid "$PG_CASE_DIR/audit.jsonl"
}
run_case "commits with an encoding header and a mergetag header: decided right, printed safely" c_encoding_and_mergetag_headers
