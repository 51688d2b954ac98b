#!/usr/bin/env bash
# Issue 15, item 5 (the rest): secrets outside file contents, through real pushes.
# - a token in a commit message, an annotated tag's message (pushed, or reached through
#   another tag), a ref name, a file name or a symbolic link's target is refused, the
#   finding naming where, the token masked;
# - a token in a ref name never reaches the pusher, the audit log, the webhook payload, the
#   time-out text or the post-receive record raw;
# - ordinary messages, tags, names and links pass; a message or a name already on the server
#   is not reported again; pushguard.secrets.refs limits it like file contents;
# - pushguard scan finds messages, paths, ref names and tags in history, masked in every format.
# Every credential-looking value is generated here from random characters.
. "$PG_LIB"

STUB="$(dirname "$PG_LIB")/webhook_stub.py"
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY all_proxy ALL_PROXY no_proxy NO_PROXY

rand() { LC_ALL=C tr -dc "$2" </dev/urandom | head -c "$1"; }
gh_token() { printf '%s%s' "gh""p_" "$(rand 36 'A-Za-z0-9')"; }
aws_key_id() { printf '%s%s' "AK""IA" "$(rand 16 'A-Z2-7')"; }

# assert_file_not_contains FILE TEXT
assert_file_not_contains() {
	! grep -qF -- "$2" "$1" || { OUT=$1 fail "$1 does not contain $2" "found"; }
}
assert_file_contains() {
	grep -qF -- "$2" "$1" || { OUT=$1 fail "$1 contains $2" "not found"; }
}
# assert_remote_not_contains TEXT: not in what the server wrote ("remote: " lines); git's own
# lines repeat the ref name the pusher typed
assert_remote_not_contains() {
	! grep '^remote:' "$OUT" | grep -qF -- "$1" || fail "remote output does not contain $1" "found"
}

c_commit_message() {
	setup_repo
	local tok key
	tok=$(gh_token)
	key=$(aws_key_id)
	commit a.txt "plain" "Deploy with $tok" -m "Second paragraph." -m "aws_access_key_id = $key"
	push origin HEAD:refs/heads/main
	assert_push_refused
	assert_output_contains "github-pat"
	assert_output_contains "commit $(git rev-parse --short=7 HEAD) message:1"
	assert_output_contains "aws-access-key-id"
	assert_output_contains "commit $(git rev-parse --short=7 HEAD) message:5"
	assert_output_contains "in the commit message"
	assert_output_contains "ghp_…"
	assert_output_not_contains "$tok"
	assert_output_not_contains "$key"
	assert_output_not_contains "${tok:0:8}" # the subject quoted with the findings is masked too
	assert_ref "$R" refs/heads/main "$(oid HEAD~1)"
}

c_author_and_committer() {
	setup_repo
	local tok tok2
	tok=$(gh_token)
	tok2=$(gh_token)
	GIT_AUTHOR_NAME="deploy $tok" commit a.txt "plain" "Plain subject"
	push origin HEAD:refs/heads/main
	assert_push_refused
	assert_output_contains "commit $(git rev-parse --short=7 HEAD) author:1"
	assert_output_contains "in the commit's author"
	assert_output_contains "--reset-author"
	assert_output_not_contains "$tok"
	git reset -q --hard HEAD~1
	GIT_COMMITTER_EMAIL="$tok2@example.com" commit b.txt "plain" "Plain subject"
	push origin HEAD:refs/heads/main
	assert_push_refused
	assert_output_contains "commit $(git rev-parse --short=7 HEAD) committer:2"
	assert_output_not_contains "$tok2"
	git reset -q --hard HEAD~1
	commit c.txt "plain" "Plain subject"
	push origin HEAD:refs/heads/main
	assert_push_ok
}

c_tag_message() {
	setup_repo
	local tok tok2
	tok=$(gh_token)
	tok2=$(gh_token)
	git tag -a v1 -m "Release 1 built with $tok"
	push origin refs/tags/v1
	assert_push_refused
	assert_output_contains "tag v1 message:1"
	assert_output_contains "in the annotated tag's message"
	assert_output_not_contains "$tok"
	assert_ref_absent "$R" refs/tags/v1
	# a tag reached through another tag: the outer one is clean
	git tag -a inner -m "Inner" -m "token $tok2"
	git tag -a outer -m "Outer, clean" inner
	push origin refs/tags/outer
	assert_push_refused
	assert_output_contains "tag inner message:3"
	assert_output_not_contains "$tok2"
	assert_ref_absent "$R" refs/tags/outer
}

c_ref_name() {
	setup_repo
	local tok d=$PG_CASE_DIR
	tok=$(gh_token)
	AUDIT="$d/audit.jsonl"
	rand 40 'A-Za-z0-9' >"$d/secret"
	chmod 600 "$d/secret"
	: >"$d/webhook.log"
	start_stub webhook "$STUB" --log "$d/webhook.log" --secret-file "$d/secret"
	set_config "$R" pushguard.auditLog "$AUDIT"
	set_config "$R" pushguard.webhook.url "http://127.0.0.1:$STUB_PORT/hook"
	set_config "$R" pushguard.webhook.secretFile "$d/secret"
	set_config "$R" pushguard.webhook.spoolDir "$d/spool"
	set_config "$R" pushguard.webhook.retries 0
	commit a.txt "plain" "Ordinary change"
	push origin "HEAD:refs/heads/$tok"
	assert_push_refused
	assert_output_contains "ref name refs/heads/ghp_…"
	assert_output_contains "in the name of the ref"
	assert_remote_not_contains "$tok"
	assert_remote_not_contains "${tok:0:8}"
	assert_ref_absent "$R" "refs/heads/$tok"
	assert_file_contains "$AUDIT" '"ref":"refs/heads/ghp_…"'
	assert_file_contains "$AUDIT" '"push.rejected"'
	assert_file_not_contains "$AUDIT" "$tok"
	local i
	for i in $(seq 1 100); do
		[ -s "$d/webhook.log" ] && break
		sleep 0.1
	done
	assert_file_contains "$d/webhook.log" "push.rejected"
	assert_file_not_contains "$d/webhook.log" "$tok"
	# the name of a ref already there is old: masked, never a finding (deleting it is fine);
	# it got there with the secrets check off (and nothing recorded)
	set_config "$R" pushguard.secrets.enabled false
	unset_config "$R" pushguard.auditLog
	unset_config "$R" pushguard.webhook.url
	push origin "HEAD:refs/heads/$tok"
	assert_push_ok
	set_config "$R" pushguard.secrets.enabled true
	set_config "$R" pushguard.auditLog "$AUDIT"
	set_config "$R" pushguard.webhook.url "http://127.0.0.1:$STUB_PORT/hook"
	set_config "$R" pushguard.webhook.events all
	commit b.txt "plain" "Another ordinary change"
	push origin "HEAD:refs/heads/$tok"
	assert_push_ok
	assert_remote_not_contains "$tok"
	push origin --delete "refs/heads/$tok"
	assert_push_ok
	assert_remote_not_contains "$tok"
	assert_file_contains "$AUDIT" '"push.landed"'
	assert_file_not_contains "$AUDIT" "$tok"
	sleep 0.5
	assert_file_not_contains "$d/webhook.log" "$tok"
}

c_ref_name_time_budget() {
	setup_repo
	local tok
	tok=$(gh_token)
	AUDIT="$PG_CASE_DIR/audit.jsonl"
	set_config "$R" pushguard.auditLog "$AUDIT"
	# a branch already there (its name is old: masked, not a finding), updated by a push
	# that runs out of time
	set_config "$R" pushguard.secrets.enabled false
	unset_config "$R" pushguard.auditLog
	push origin "HEAD:refs/heads/$tok"
	assert_push_ok
	set_config "$R" pushguard.secrets.enabled true
	set_config "$R" pushguard.auditLog "$AUDIT"
	set_config "$R" pushguard.timeBudget 1ms
	commit a.txt "plain" "Ordinary change"
	push origin "HEAD:refs/heads/$tok"
	assert_push_refused
	assert_output_contains "too large to check in time"
	assert_output_contains "git push origin HASH:'refs/heads/ghp_…'"
	assert_remote_not_contains "$tok"
	assert_file_contains "$AUDIT" '"ref":"refs/heads/ghp_…"'
	assert_file_not_contains "$AUDIT" "$tok"
}

c_ref_name_landed() {
	setup_repo
	local tok
	tok=$(gh_token)
	AUDIT="$PG_CASE_DIR/audit.jsonl"
	set_config "$R" pushguard.auditLog "$AUDIT"
	set_config "$R" pushguard.mode warn
	commit a.txt "plain" "Ordinary change"
	push origin "HEAD:refs/heads/$tok"
	assert_push_ok
	assert_output_contains "would be refused"
	assert_remote_not_contains "$tok"
	assert_ref "$R" "refs/heads/$tok" "$(oid HEAD)"
	assert_file_contains "$AUDIT" '"push.warned"'
	assert_file_contains "$AUDIT" '"push.landed"'
	assert_file_not_contains "$AUDIT" "$tok"
}

c_file_name() {
	setup_repo
	local tok
	tok=$(gh_token)
	commit "config/$tok.txt" "nothing secret inside" "Add a config file"
	push origin HEAD:refs/heads/main
	assert_push_refused
	assert_output_contains "path config/ghp_…"
	assert_output_contains "in the path of an added file"
	assert_output_not_contains "$tok"
	# a directory named so: the same
	git reset -q --hard HEAD~1
	commit "$tok/notes.txt" "nothing secret inside" "Add notes"
	push origin HEAD:refs/heads/main
	assert_push_refused
	assert_output_contains "path ghp_…/notes.txt"
	assert_output_not_contains "$tok"
}

c_symlink_target() {
	setup_repo
	local tok
	tok=$(gh_token)
	ln -s "/srv/keys/$tok" link
	git add link
	git commit -q -m "Add a link"
	push origin HEAD:refs/heads/main
	assert_push_refused
	assert_output_contains "github-pat"
	assert_output_contains "link:1"
	assert_output_contains "in the target of this symbolic link"
	assert_output_not_contains "$tok"
}

c_clean() {
	setup_repo
	mkdir -p docs
	commit docs/guide.md "How to use it." "Fix the frobnicator when the count exceeds the limit" \
		-m "The loop did not stop at the configured maximum (issue #12); stop there." \
		-m "Signed-off-by: Alice Author <alice@example.com>"
	ln -s docs/guide.md GUIDE
	git add GUIDE
	git commit -q -m "Link the guide from the top"
	git tag -a v1.0 -m "Release 1.0" -m "Fixes the frobnicator; see docs/guide.md."
	push origin HEAD:refs/heads/main refs/tags/v1.0 HEAD:refs/heads/feature/api-key-rotation
	assert_push_ok
	assert_ref "$R" refs/tags/v1.0 "$(oid v1.0)"
}

c_old_history() {
	setup_repo
	local tok tok2
	tok=$(gh_token)
	tok2=$(gh_token)
	# on the server before pushguard looked for them
	set_config "$R" pushguard.secrets.enabled false
	commit "old/$tok2.txt" "one" "Old change with $tok"
	git tag -a old-tag -m "old tag $tok"
	push origin HEAD:refs/heads/main refs/tags/old-tag
	assert_push_ok
	set_config "$R" pushguard.secrets.enabled true
	# a new commit on top, changing the file under its old name, and a new ref to the old tag
	commit "old/$tok2.txt" "two" "A clean change"
	push origin HEAD:refs/heads/main old-tag:refs/tags/old-tag-copy
	assert_push_ok
	assert_output_not_contains "$tok"
	assert_output_not_contains "$tok2"
	# a new file in a directory already there: the part holding the token is old
	set_config "$R" pushguard.secrets.enabled false
	commit "d-$tok2/a.txt" "a" "A directory"
	push origin HEAD:refs/heads/main
	assert_push_ok
	set_config "$R" pushguard.secrets.enabled true
	commit "d-$tok2/b.txt" "b" "Another file there"
	push origin HEAD:refs/heads/main
	assert_push_ok
	assert_output_not_contains "$tok2"
	# while a new name holding it is new
	commit "new-$tok2.txt" "c" "A new name"
	push origin HEAD:refs/heads/main
	assert_push_refused
	assert_output_contains "path new-ghp_…"
}

c_scope() {
	setup_repo
	local tok
	tok=$(gh_token)
	set_config "$R" pushguard.secrets.refs refs/heads/main
	commit a.txt "plain" "Try $tok"
	push origin HEAD:refs/heads/sandbox
	assert_push_ok
	push origin HEAD:refs/heads/main
	assert_push_refused
	assert_output_contains "message:1"
	assert_output_not_contains "$tok"
}

c_scan() {
	setup_repo
	local tok tok2 tok3 f
	tok=$(gh_token)
	tok2=$(gh_token)
	tok3=$(gh_token)
	set_config "$R" pushguard.secrets.enabled false
	commit a.txt "plain" "Old change with $tok"
	commit "cfg/$tok2" "plain" "Add cfg"
	git tag -a v1 -m "Tag $tok3"
	push origin HEAD:refs/heads/main refs/tags/v1
	assert_push_ok
	set_config "$R" pushguard.secrets.enabled true
	for f in text json sarif; do
		run "$PG_BIN/pushguard" scan --format "$f" "$R"
		assert_rc 1
		assert_output_contains "message"
		assert_output_contains "cfg/ghp_"
		assert_output_contains "tag v1 message"
		assert_output_not_contains "$tok"
		assert_output_not_contains "$tok2"
		assert_output_not_contains "$tok3"
	done
	run "$PG_BIN/pushguard" scan --format text "$R"
	assert_output_contains "path cfg/ghp_…"
	run "$PG_BIN/pushguard" scan --format json "$R"
	assert_output_contains "\"path\": \"commit $(git rev-parse --short=7 HEAD~1) message\""
	assert_output_contains "\"line\": 1"
}

# Enough files for the blobs to be read on worker threads while the messages and names are
# scanned: every finding is masked, the file's own (which quotes the path and the subject)
# too, and the report is the same on one thread.
c_scan_many_files() {
	setup_repo
	local tok tok2 tok3 i one
	tok=$(gh_token)
	tok2=$(gh_token)
	tok3=$(gh_token)
	set_config "$R" pushguard.secrets.enabled false
	for i in $(seq 1 80); do printf 'line %s\n' "$i" >"f$i.txt"; done
	mkdir -p "cfg/$tok2"
	printf 'token = %s\n' "$tok3" >"cfg/$tok2/key.txt"
	git add . && git commit -q -m "Add cfg with $tok"
	push origin HEAD:refs/heads/main
	assert_push_ok
	set_config "$R" pushguard.secrets.enabled true
	run "$PG_BIN/pushguard" scan --jobs 2 --format json "$R"
	assert_rc 1
	one=$(cat "$OUT")
	assert_output_contains "commit $(git rev-parse --short=7 HEAD) message"
	assert_output_contains '"path": "cfg/ghp_\u2026/key.txt"' # the file's own finding
	assert_output_not_contains "$tok"
	assert_output_not_contains "$tok2"
	assert_output_not_contains "$tok3"
	run "$PG_BIN/pushguard" scan --jobs 1 --format json "$R"
	assert_rc 1
	[ "$(cat "$OUT")" = "$one" ] || fail "the same report on 1 thread as on 2" "$(diff <(echo "$one") "$OUT" | head -20)"
}

c_allowed() {
	setup_repo
	local tok tok2 fp
	tok=$(gh_token)
	tok2=$(gh_token)
	# an inline comment on the message's line allows it, shown and recorded
	commit a.txt "plain" "Example token $tok2 pushguard:allow"
	push origin HEAD:refs/heads/main
	assert_push_ok
	assert_output_contains "allowed by inline pushguard:allow comment"
	assert_output_not_contains "$tok2"
	# the fingerprint, copied from the refusal into the ignore file, allows it
	commit b.txt "plain" "Reviewed: $tok is a revoked test token"
	push origin HEAD:refs/heads/main
	assert_push_refused
	fp=$(grep -F "message:1   ghp_" "$OUT" | sed 's/.*fingerprint //; s/[[:space:]]*$//')
	assert_eq "$fp" "$(oid HEAD):commit $(git rev-parse --short=7 HEAD) message:github-pat:1" "fingerprint"
	printf '%s\n' "$fp" >"$PG_CASE_DIR/ignore"
	set_config "$R" pushguard.secrets.ignoreFile "$PG_CASE_DIR/ignore"
	push origin HEAD:refs/heads/main
	assert_push_ok
	assert_output_contains "allowed by ignore file"
	assert_output_not_contains "$tok"
}

run_case "a token in a commit message is refused, the finding at commit ID message:LINE, masked" c_commit_message
run_case "a token in a commit's author or committer name or email is refused, masked" c_author_and_committer
run_case "a token in an annotated tag's message, pushed or reached through another tag, is refused" c_tag_message
run_case "a token in a ref name is refused and never raw in the output, the audit log or the webhook" c_ref_name
run_case "a token in a ref name is masked in the time-budget refusal and its record" c_ref_name_time_budget
run_case "a ref name let through (warn mode) is masked in push.warned and push.landed" c_ref_name_landed
run_case "a token in a file or directory name is refused, the path masked" c_file_name
run_case "a token in a symbolic link's target is refused" c_symlink_target
run_case "ordinary messages, tags, names and links pass" c_clean
run_case "messages, names and tags already on the server are not reported again" c_old_history
run_case "pushguard.secrets.refs limits messages like file contents" c_scope
run_case "a message finding is allowed by an inline comment or its fingerprint in the ignore file" c_allowed
run_case "pushguard scan finds messages, paths and tags in history, masked in text, JSON and SARIF" c_scan
run_case "pushguard scan of many files: a file's finding quoting a secret path and subject is masked, the same on 1 thread" c_scan_many_files
