#!/usr/bin/env bash
# The developer side (issue 18): `pushguard client install` in a real clone of a bare
# repository that runs pushguard as its server hooks and keeps a policy ref
# (pushguard.policyRef = refs/meta/pushguard, made here with git plumbing); then the
# pre-commit hook stops a staged secret, the pre-push hook stops a commit made with
# --no-verify before anything is sent (the server's audit log, refs and objects prove it),
# clean work commits and pushes, a hook that was there keeps running, the last policy copy
# is used offline (and said so), and what the policy ref says is what is enforced.
# Every credential-looking value is generated here from random characters.
. "$PG_LIB"

PG="$PG_BIN/pushguard"
POLREF=refs/meta/pushguard

rand() { LC_ALL=C tr -dc "$2" </dev/urandom | head -c "$1"; }
# a GitHub personal access token shape (prefix split so no literal token is in this file)
gh_token() { printf '%s%s' "gh""p_" "$(rand 36 'A-Za-z0-9')"; }

# set_policy_ref REPO CONF: REPO's refs/meta/pushguard is a commit whose tree holds
# pushguard.conf = CONF (written with plumbing, as an admin's push would leave it)
set_policy_ref() {
	local repo=$1 conf=$2 blob tree parent commit
	blob=$(printf '%s\n' "$conf" | git --git-dir="$repo" hash-object -w --stdin)
	tree=$(printf '100644 blob %s\tpushguard.conf\n' "$blob" | git --git-dir="$repo" mktree)
	if parent=$(git --git-dir="$repo" rev-parse -q --verify "$POLREF"); then
		commit=$(git --git-dir="$repo" commit-tree "$tree" -p "$parent" -m "policy")
	else
		commit=$(git --git-dir="$repo" commit-tree "$tree" -m "policy")
	fi
	git --git-dir="$repo" update-ref "$POLREF" "$commit"
}

# set_policy_tree REPO DIR: REPO's refs/meta/pushguard is a commit of the files under DIR
set_policy_tree() {
	local repo=$1 dir=$2 tree parent commit idx="$PG_CASE_DIR/policy.index"
	rm -f "$idx"
	GIT_INDEX_FILE="$idx" git --git-dir="$repo" --work-tree="$dir" add -A .
	tree=$(GIT_INDEX_FILE="$idx" git --git-dir="$repo" write-tree)
	if parent=$(git --git-dir="$repo" rev-parse -q --verify "$POLREF"); then
		commit=$(git --git-dir="$repo" commit-tree "$tree" -p "$parent" -m "policy")
	else
		commit=$(git --git-dir="$repo" commit-tree "$tree" -m "policy")
	fi
	git --git-dir="$repo" update-ref "$POLREF" "$commit"
}

# audit_lines: lines in the server's audit log so far
audit_lines() { if [ -f "$AUDIT" ]; then wc -l <"$AUDIT"; else echo 0; fi; }

# client_repo: ./srv.git with pushguard, an audit log and a policy ref denying *.pem;
# ./w a clone with main pushed (cwd -> w). Sets R, AUDIT.
client_repo() {
	R=$(new_bare_repo srv)
	install_hook "$R"
	AUDIT="$PG_CASE_DIR/audit.jsonl"
	set_config "$R" pushguard.auditLog "$AUDIT"
	set_config "$R" pushguard.policyRef "$POLREF"
	set_policy_ref "$R" '[pushguard "files"]
	deny = *.pem'
	clone "$R" w
	cd w
	seed
}

# install_client [options]: pushguard client install in the clone (cwd), which succeeds
install_client() {
	run "$PG" client install "$@"
	assert_rc 0
}

c_install() {
	client_repo
	# a pre-push hook the developer had: kept, and still run
	printf '#!/bin/sh\necho "old pre-push hook ran: $1" >&2\n' >.git/hooks/pre-push
	chmod +x .git/hooks/pre-push
	install_client --pre-commit --pre-push
	assert_output_contains "fetched the policy $POLREF from origin into refs/pushguard/policy"
	assert_output_contains "moved to $PWD/.git/hooks/pre-push.local"
	assert_output_contains "pre-push hook installed: $PWD/.git/hooks/pre-push"
	assert_output_contains "pre-commit hook installed: $PWD/.git/hooks/pre-commit"
	assert_eq "$(git rev-parse refs/pushguard/policy)" "$(server_oid "$R" "$POLREF")" "refs/pushguard/policy"
	[ -x .git/hooks/pre-push ] && [ -x .git/hooks/pre-commit ] && [ -x .git/hooks/pre-push.local ] ||
		fail "pre-push, pre-commit and pre-push.local executable" "$(ls -l .git/hooks)"
	grep -q 'old pre-push hook ran' .git/hooks/pre-push.local || fail "the old hook is pre-push.local" "$(cat .git/hooks/pre-push.local)"
	assert_eq "$(git config pushguardClient.remote)" origin "pushguardClient.remote"
	assert_eq "$(git config pushguardClient.policyRef)" "$POLREF" "pushguardClient.policyRef"
	# twice: nothing moves, nothing is lost
	install_client --pre-commit --pre-push
	assert_output_contains "pre-push hook already installed, unchanged"
	assert_output_contains "pre-commit hook already installed, unchanged"
	assert_output_not_contains "moved to"
	grep -q 'old pre-push hook ran' .git/hooks/pre-push.local || fail "pre-push.local kept" "changed"
	assert_eq "$(find .git/hooks -name 'pre-push*' ! -name '*.sample' | sort | tr '\n' ' ')" \
		".git/hooks/pre-push .git/hooks/pre-push.local " "the pre-push hooks"
	# the default is --pre-push alone
	rm .git/hooks/pre-commit
	install_client
	assert_file_absent .git/hooks/pre-commit
	# core.hooksPath is where git looks: the hooks go there
	git config core.hooksPath .githooks
	install_client --pre-commit
	assert_output_contains "pre-commit hook installed: $PWD/.githooks/pre-commit"
	[ -x .githooks/pre-commit ] || fail ".githooks/pre-commit installed" "missing"
	# not a working clone, an unknown remote, a bad ref: refused with the reason
	run_in "$R" "$PG" client install
	assert_rc 1
	assert_output_contains "bare repository"
	run "$PG" client install --remote nowhere
	assert_rc 1
	assert_output_contains "no remote named 'nowhere'"
	run "$PG" client install --ref meta/pushguard
	assert_rc 2
	assert_output_contains "expected a full ref name"
}

c_pre_commit_secret() {
	local tok head
	client_repo
	install_client --pre-commit --pre-push
	tok=$(gh_token)
	printf 'name = "demo"\ntoken = "%s"\n' "$tok" >app.cfg
	git add app.cfg
	head=$(oid HEAD)
	run git commit -m "add config"
	assert_rc_nonzero
	assert_output_contains "app.cfg:2: GitHub personal access token"
	assert_output_contains "ghp_…"
	assert_output_not_contains "$tok"
	assert_output_contains "nothing was committed"
	assert_eq "$(oid HEAD)" "$head" "HEAD (no commit made)"
	# a file the policy ref denies: refused too, with the fix
	git reset -q
	rm app.cfg
	printf 'not a secret\n' >server.pem
	git add server.pem
	run git commit -m "add cert"
	assert_rc_nonzero
	assert_output_contains "server.pem matches the denied file pattern '*.pem' (pushguard.files.deny)"
	assert_output_contains "git rm --cached 'server.pem'"
	git reset -q
	rm server.pem
	# a line HEAD already has is not new: only what is staged counts
	printf 'hello\nmore\n' >README.md
	git add README.md
	run git commit -m "more readme"
	assert_rc 0
	# git commit -a hands the hook a temporary index: that is the one scanned
	printf 'hello\nmore\nkey = "%s"\n' "$(gh_token)" >README.md
	run git commit -a -m "commit -a"
	assert_rc_nonzero
	assert_output_contains "README.md:3: GitHub personal access token"
}

c_pre_commit_empty_repo() {
	local tok
	mkdir fresh
	cd fresh
	git init -q
	tok=$(gh_token)
	mkdir -p src
	printf 'x = 1\ny = "%s"\n' "$tok" >src/settings.py
	git add src/settings.py
	run "$PG" pre-commit
	assert_rc 1
	assert_output_contains "src/settings.py:2: GitHub personal access token"
	assert_output_not_contains "$tok"
	printf 'x = 1\n' >src/settings.py
	git add src/settings.py
	run "$PG" pre-commit
	assert_rc 0
}

c_pre_push_refuses_before_sending() {
	local tok before main
	client_repo
	install_client --pre-commit --pre-push
	main=$(server_oid "$R" refs/heads/main)
	before=$(audit_lines)
	[ "$before" -ge 1 ] || fail "the seed push is in the audit log" "$before lines"
	tok=$(gh_token)
	printf 'name = "demo"\ntoken = "%s"\n' "$tok" >app.cfg
	git add app.cfg
	git commit -q --no-verify -m "add config"
	push origin HEAD:refs/heads/main
	assert_rc_nonzero
	assert_output_contains "pushguard: push refused: 1 problem in 1 commit"
	assert_output_contains "app.cfg:2"
	assert_output_contains "ghp_…"
	assert_output_not_contains "$tok"
	assert_output_contains "nothing was sent to origin"
	assert_output_not_contains "remote:"
	# the server never saw it: no audit entry, the ref did not move, the object is not there
	assert_eq "$(audit_lines)" "$before" "audit log lines"
	assert_ref "$R" refs/heads/main "$main"
	assert_object_absent "$R" "$(oid HEAD)"
	# the remote's value is not new: a second commit is judged alone once the first is gone
	git reset -q --hard HEAD~1
	commit notes.txt "clean" "clean change"
	push origin HEAD:refs/heads/main
	assert_push_ok
	assert_ref "$R" refs/heads/main "$(oid HEAD)"
	[ "$(audit_lines)" -gt "$before" ] || fail "the clean push reached the server" "no audit line"
}

c_clean_push_and_chained_hook() {
	client_repo
	printf '#!/bin/sh\n{ echo "args: $*"; cat; } >"%s/old-hook.out"\nexit 0\n' "$PG_CASE_DIR" >.git/hooks/pre-push
	chmod +x .git/hooks/pre-push
	install_client --pre-commit --pre-push
	commit lib/util.c "int util(void) { return 1; }" "add util"
	push origin HEAD:refs/heads/main
	assert_push_ok
	assert_output_contains "checking the push to origin with its policy $POLREF (fresh copy"
	assert_ref "$R" refs/heads/main "$(oid HEAD)"
	# the old hook ran with git's arguments and input
	assert_file_exists "$PG_CASE_DIR/old-hook.out"
	grep -q "^args: origin file://$R" "$PG_CASE_DIR/old-hook.out" || fail "old hook got REMOTE URL" "$(cat "$PG_CASE_DIR/old-hook.out")"
	grep -q "^HEAD $(oid HEAD) refs/heads/main $(oid HEAD~1)\$" "$PG_CASE_DIR/old-hook.out" ||
		fail "old hook got the pre-push input" "$(cat "$PG_CASE_DIR/old-hook.out")"
	# a refusing old hook still refuses
	printf '#!/bin/sh\necho "old hook says no" >&2\nexit 1\n' >.git/hooks/pre-push.local
	commit lib/more.c "int more(void) { return 2; }" "add more"
	push origin HEAD:refs/heads/main
	assert_rc_nonzero
	assert_output_contains "old hook says no"
	assert_ref "$R" refs/heads/main "$(oid HEAD~1)"
}

c_policy_from_ref() {
	client_repo
	install_client
	printf 'demo\n' >server.pem
	git add server.pem
	git commit -q -m "add cert"
	push origin HEAD:refs/heads/main
	assert_rc_nonzero
	assert_output_contains "server.pem matches the denied file pattern '*.pem' (pushguard.files.deny)"
	assert_output_contains "nothing was sent to origin"
	assert_ref "$R" refs/heads/main "$(oid HEAD~1)"
	# the server enforces the same (the hook skipped: its refusal, not ours)
	push --no-verify origin HEAD:refs/heads/main
	assert_push_refused
	assert_output_contains "server.pem matches the denied file pattern '*.pem'"
	# the admin changes the policy ref: the next push refreshes the copy and passes
	set_policy_ref "$R" '[pushguard "files"]
	maxSize = 1m'
	push origin HEAD:refs/heads/main
	assert_push_ok
	assert_eq "$(git rev-parse refs/pushguard/policy)" "$(server_oid "$R" "$POLREF")" "refreshed copy"
	assert_ref "$R" refs/heads/main "$(oid HEAD)"
}

c_offline_last_copy() {
	local url main
	client_repo
	install_client
	url=$(git remote get-url origin)
	main=$(server_oid "$R" refs/heads/main)
	# fetches go nowhere, pushes still reach the server: the refresh fails, the copy is used
	git remote set-url origin "file://$PG_CASE_DIR/gone.git"
	git remote set-url --push origin "$url"
	printf 'demo\n' >server.pem
	git add server.pem
	git commit -q -m "add cert"
	push origin HEAD:refs/heads/main
	assert_rc_nonzero
	assert_output_contains "could not refresh the policy from origin"
	assert_output_contains "using the last copy"
	assert_output_contains "last copy, commit $(git rev-parse --short=7 refs/pushguard/policy)"
	assert_output_contains "server.pem matches the denied file pattern '*.pem' (pushguard.files.deny)"
	assert_ref "$R" refs/heads/main "$main"
	# the hook by hand, with nothing reachable at all
	git remote set-url --push origin "file://$PG_CASE_DIR/gone.git"
	printf 'refs/heads/main %s refs/heads/main %s\n' "$(oid HEAD)" "$main" >input
	LAST_CMD="pushguard pre-push origin (offline)"
	if "$PG" pre-push origin "file://$PG_CASE_DIR/gone.git" <input >"$OUT" 2>&1; then RC=0; else RC=$?; fi
	assert_rc 1
	assert_output_contains "using the last copy"
	assert_output_contains "pushguard.files.deny"
	# no copy and no server: the built-in policy, said so; a clean push passes
	git update-ref -d refs/pushguard/policy
	git reset -q --hard HEAD~1
	commit notes.txt "clean" "clean change"
	printf 'refs/heads/main %s refs/heads/main %s\n' "$(oid HEAD)" "$main" >input
	if "$PG" pre-push origin "file://$PG_CASE_DIR/gone.git" <input >"$OUT" 2>&1; then RC=0; else RC=$?; fi
	assert_rc 0
	assert_output_contains "no copy yet: checking with the built-in policy"
}

c_pre_push_input() {
	client_repo
	install_client
	printf 'garbage line\n' >input
	LAST_CMD="pushguard pre-push origin URL <garbage"
	if "$PG" pre-push origin "$(git remote get-url origin)" <input >"$OUT" 2>&1; then RC=0; else RC=$?; fi
	assert_rc 1
	assert_output_contains "pre-push input line 1 is not '<local ref> <local oid> <remote ref> <remote oid>'"
	# nothing to push: nothing to say
	if "$PG" pre-push origin "$(git remote get-url origin)" </dev/null >"$OUT" 2>&1; then RC=0; else RC=$?; fi
	assert_rc 0
	run "$PG" pre-push
	assert_rc 2
	assert_output_contains "usage: pushguard pre-push"
}

c_pre_commit_hooks_yaml() {
	local y="$PG_TOP/.pre-commit-hooks.yaml"
	assert_file_exists "$y"
	run cat "$y"
	assert_output_contains "- id: pushguard"
	assert_output_contains "entry: pushguard pre-commit"
	assert_output_contains "language: system"
	assert_output_contains "pass_filenames: false"
}

c_policy_ref_rules() {
	local tok
	client_repo
	# the admin adds a rule of their own to the policy ref
	mkdir -p "$PG_CASE_DIR/pol/rules"
	printf '[pushguard "files"]\n\tdeny = *.pem\n' >"$PG_CASE_DIR/pol/pushguard.conf"
	printf '[[rules]]\nid = "acme-token"\ndescription = "ACME token"\nregex = """ACME-[0-9]{12}"""\nkeywords = ["acme-"]\n' \
		>"$PG_CASE_DIR/pol/rules/acme.toml"
	set_policy_tree "$R" "$PG_CASE_DIR/pol"
	install_client --pre-commit --pre-push
	tok="ACME-$(rand 12 '0-9')"
	printf 'use %s\n' "$tok" >token.txt
	git add token.txt
	run git commit -m "add token"
	assert_rc_nonzero
	assert_output_contains "token.txt:1: ACME token [secrets acme-token]"
	assert_output_not_contains "$tok"
	git commit -q --no-verify -m "add token"
	push origin HEAD:refs/heads/main
	assert_rc_nonzero
	assert_output_contains "acme-token"
	assert_output_contains "token.txt:1"
	assert_output_contains "nothing was sent to origin"
	assert_ref "$R" refs/heads/main "$(oid HEAD~1)"
}

c_tickets_syntax_only() {
	client_repo
	# the tracker is the machine's own setting: a policy ref cannot name a URL
	{ cat "$PG_SYSTEM_CONFIG" 2>/dev/null || true
	  printf '[pushguard "tickets"]\n\turl = http://127.0.0.1:9/rest/api/2/issue/{ticket}\n'; } >"$PG_CASE_DIR/system.conf"
	export PUSHGUARD_SYSTEM_CONFIG="$PG_CASE_DIR/system.conf"
	set_policy_ref "$R" '[pushguard "tickets"]
	required = true
	projects = PROJ'
	install_client
	commit a.txt "a" "no ticket here"
	push origin HEAD:refs/heads/main
	assert_rc_nonzero
	assert_output_contains "ticket lookups skipped here (no tracker token on this machine"
	assert_output_contains "cites no ticket"
	assert_output_contains "nothing was sent to origin"
	# the syntax is right: accepted here, the lookup is the server's (which cannot reach
	# its tracker in this test and refuses: the server, not us)
	git commit -q --amend -m "PROJ-12 a ticket"
	push origin HEAD:refs/heads/main
	assert_rc_nonzero
	assert_output_contains "ticket lookups skipped here"
	assert_output_not_contains "nothing was sent"
	assert_output_contains "remote:"
}

c_force_push_unknown_remote_tip() {
	local main
	client_repo
	install_client
	# someone else pushed; this clone has not fetched it
	git clone -q "file://$R" ../other
	(cd ../other && commit b.txt "b" "theirs" && git push -q --no-verify origin main) 2>/dev/null
	main=$(server_oid "$R" refs/heads/main)
	commit c.txt "c" "mine"
	# main only fast-forwards (default policy): the remote tip is fetched to tell, refused here
	push --force origin HEAD:refs/heads/main
	assert_rc_nonzero
	assert_output_contains "refs/heads/main cannot be rewritten: this push is not a fast-forward"
	assert_output_contains "nothing was sent to origin"
	assert_ref "$R" refs/heads/main "$main"
	# a branch the policy lets rewrite: pushed
	push origin HEAD:refs/heads/topic
	assert_push_ok
	git commit -q --amend -m "mine, reworded"
	push --force origin HEAD:refs/heads/topic
	assert_push_ok
	assert_ref "$R" refs/heads/topic "$(oid HEAD)"
}

c_no_policy_ref() {
	client_repo
	install_client
	# the admin removes the policy ref: the copy goes too, the server's policy has no such layer
	git --git-dir="$R" update-ref -d "$POLREF"
	printf 'demo\n' >server.pem
	git add server.pem
	git commit -q -m "add cert"
	push origin HEAD:refs/heads/main
	assert_push_ok
	assert_output_contains "origin has no policy ref $POLREF: checking with pushguard's built-in policy"
	assert_output_not_contains "could not refresh"
	run git rev-parse -q --verify refs/pushguard/policy
	assert_rc_nonzero
	# the built-in policy still refuses a credential
	printf 'token = "%s"\n' "$(gh_token)" >app.cfg
	git add app.cfg
	git commit -q -m "add config"
	push origin HEAD:refs/heads/main
	assert_rc_nonzero
	assert_output_contains "nothing was sent to origin"
	# a fresh install says what is missing
	install_client
	assert_output_contains "warning: origin has no policy ref $POLREF"
}

c_signatures() {
	local k
	for k in refkey srvkey stranger; do ssh-keygen -q -t ed25519 -N '' -C "$k@test" -f "$PG_CASE_DIR/$k"; done
	client_repo
	# the server trusts srvkey in its own file; the policy ref requires signatures and adds refkey
	echo "alice@example.com namespaces=\"git\" $(cat "$PG_CASE_DIR/srvkey.pub")" >"$PG_CASE_DIR/server_signers"
	set_config "$R" pushguard.signatures.allowedSignersFile "$PG_CASE_DIR/server_signers"
	mkdir -p "$PG_CASE_DIR/pol"
	printf '[pushguard "signatures"]\n\trequired = true\n' >"$PG_CASE_DIR/pol/pushguard.conf"
	echo "alice@example.com namespaces=\"git\" $(cat "$PG_CASE_DIR/refkey.pub")" >"$PG_CASE_DIR/pol/allowed_signers"
	set_policy_tree "$R" "$PG_CASE_DIR/pol"
	install_client
	# unsigned: refused here
	commit a.txt "a" "unsigned change"
	push origin HEAD:refs/heads/main
	assert_rc_nonzero
	assert_output_contains "unsigned"
	assert_output_contains "nothing was sent to origin"
	# signed with the ref's key: accepted here and there
	git -c gpg.format=ssh -c user.signingKey="$PG_CASE_DIR/refkey.pub" commit -q --amend -S -m "signed change"
	push origin HEAD:refs/heads/main
	assert_push_ok
	assert_ref "$R" refs/heads/main "$(oid HEAD)"
	# a key only the server's own file trusts: not refused here, and the server accepts it
	printf 'b\n' >b.txt && git add b.txt
	git -c gpg.format=ssh -c user.signingKey="$PG_CASE_DIR/srvkey.pub" commit -q -S -m "signed by srvkey"
	push origin HEAD:refs/heads/main
	assert_push_ok
	assert_output_contains "not refused here: the server may trust the key"
	assert_ref "$R" refs/heads/main "$(oid HEAD)"
	# a key nobody trusts: not refused here either, the server refuses it
	printf 'c\n' >c.txt && git add c.txt
	git -c gpg.format=ssh -c user.signingKey="$PG_CASE_DIR/stranger.pub" commit -q -S -m "signed by a stranger"
	push origin HEAD:refs/heads/main
	assert_push_refused
	assert_output_contains "not refused here: the server may trust the key"
	assert_output_not_contains "nothing was sent"
	assert_ref "$R" refs/heads/main "$(oid HEAD~1)"
}

c_push_to_another_remote() {
	local fork
	client_repo
	install_client
	fork=$(new_bare_repo ../fork)
	git remote add fork "file://$fork"
	# a remote without pushguard still gets origin's policy: a credential stays here
	printf 'token = "%s"\n' "$(gh_token)" >app.cfg
	git add app.cfg
	git commit -q --no-verify -m "add config"
	push fork HEAD:refs/heads/main
	assert_rc_nonzero
	assert_output_contains "checking the push to fork with origin's policy (commit "
	assert_output_contains "app.cfg:1"
	assert_output_contains "nothing was sent to fork"
	assert_ref_absent "$fork" refs/heads/main
	# the policy copy was not replaced by the fork's (it has none)
	assert_eq "$(git rev-parse refs/pushguard/policy)" "$(server_oid "$R" "$POLREF")" "refs/pushguard/policy"
	git reset -q --hard HEAD~1
	push fork HEAD:refs/heads/main
	assert_push_ok
	assert_ref "$fork" refs/heads/main "$(oid HEAD)"
}

run_case "client install: policy ref fetched, hooks installed (existing one kept), idempotent, core.hooksPath" c_install
run_case "pre-commit: a staged secret or denied file stops git commit (path:line, masked)" c_pre_commit_secret
run_case "pre-commit in an empty repository: everything staged is scanned" c_pre_commit_empty_repo
run_case "pre-push: a --no-verify commit with a secret is refused before anything is sent" c_pre_push_refuses_before_sending
run_case "pre-push: a clean commit pushes; the hook that was there runs with git's input" c_clean_push_and_chained_hook
run_case "pre-push: the policy ref's pushguard.conf is enforced, refreshed on every push" c_policy_from_ref
run_case "pre-push offline: the last policy copy is used, and said so" c_offline_last_copy
run_case "pre-push: bad input and usage" c_pre_push_input
run_case "the policy ref's rules/*.toml are enforced by pre-commit and pre-push" c_policy_ref_rules
run_case "tickets: the syntax is checked here, lookups skipped without a token (said so)" c_tickets_syntax_only
run_case "a forced push over a remote tip this clone lacks: fetched, judged as the server would" c_force_push_unknown_remote_tip
run_case "a server without a policy ref: the copy is dropped, the built-in policy applies" c_no_policy_ref
run_case "a push to another remote is checked with origin's policy, which stays origin's" c_push_to_another_remote
if command -v ssh-keygen >/dev/null; then
	run_case "signatures: checked with the policy ref's keys; a key unknown here is the server's to judge" c_signatures
else
	skip_case "signatures: checked with the policy ref's keys" "ssh-keygen not installed (Debian package: openssh-client)"
fi
run_case ".pre-commit-hooks.yaml runs pushguard pre-commit" c_pre_commit_hooks_yaml
