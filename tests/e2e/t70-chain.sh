#!/usr/bin/env bash
# Scenario 9: an existing hook is preserved by install.sh, still runs (through --chain) after
# pushguard accepts, can refuse the push, and is restored by install.sh --uninstall.
# Plus the hook wrapper shape, hooks in HOOK.d, idempotence, --dry-run and --all.
. "$PG_LIB"

# write_hook PATH EXIT: a hook that records its stdin and args in $PWD/marker, then exits EXIT
write_hook() {
	local m="$PWD/marker"
	mkdir -p "$(dirname "$1")"
	cat >"$1" <<EOF
#!/bin/sh
# site hook, not pushguard's
{ echo "args: \$*"; cat; } >>'$m'
echo "site hook says hello" >&2
exit $2
EOF
	chmod +x "$1"
}

# server repo with an existing pre-receive hook exiting EXIT, then pushguard installed
repo_with_hook() {
	R=$(new_bare_repo srv)
	write_hook "$R/hooks/pre-receive" "$1"
	cp "$R/hooks/pre-receive" orig-hook
	install_hook "$R"
	clone "$R" w
	cd w || return
}

c_wrapper_shape() {
	R=$(new_bare_repo srv)
	install_hook "$R"
	local expected
	expected=$(printf '%s\n' '#!/bin/sh' \
		'# pushguard: managed hook. Remove with: install.sh --uninstall REPO' \
		"exec '$PG_PREFIX/bin/pushguard-pre-receive' --chain \"\${0%/*}/pre-receive.d\" \"\$@\"")
	assert_eq "$(cat "$R/hooks/pre-receive")" "$expected" "hooks/pre-receive"
	[ -x "$R/hooks/pre-receive" ] || fail "hooks/pre-receive executable" "not executable"
}

c_existing_hook_moved() {
	repo_with_hook 0
	grep -q '^# pushguard: managed hook' "$R/hooks/pre-receive" || fail "hooks/pre-receive is pushguard's wrapper" "$(head -3 "$R/hooks/pre-receive")"
	cmp -s "../orig-hook" "$R/hooks/pre-receive.d/00-original" || fail "original hook moved to pre-receive.d/00-original unchanged" "$(ls -la "$R/hooks/pre-receive.d" 2>&1)"
	[ -x "$R/hooks/pre-receive.d/00-original" ] || fail "00-original executable" "not executable"
}

c_existing_hook_runs_on_accept() {
	repo_with_hook 0
	commit a.txt a "First"
	push origin main
	assert_push_ok
	assert_output_contains "site hook says hello"
	assert_file_exists ../marker
	grep -qE "^$ZERO_OID [0-9a-f]{40} refs/heads/main\$" ../marker ||
		fail "chained hook got the push's stdin line" "$(cat ../marker)"
}

c_existing_hook_not_run_on_refusal() {
	repo_with_hook 0
	commit_key id_rsa "Key"
	push origin main
	assert_push_refused
	assert_output_contains "id_rsa"
	assert_file_absent ../marker
}

c_existing_hook_refuses() {
	repo_with_hook 1
	commit a.txt a "Clean but the site hook says no"
	push origin main
	assert_push_refused
	assert_output_contains "site hook says hello"
	assert_ref_absent "$R" refs/heads/main
}

c_uninstall_restores() {
	repo_with_hook 0
	run "$PG_TOP/install.sh" --prefix "$PG_PREFIX" --uninstall "$R"
	assert_rc 0
	cmp -s ../orig-hook "$R/hooks/pre-receive" || fail "uninstall restores the original hooks/pre-receive" "$(head -3 "$R/hooks/pre-receive" 2>&1)"
	[ -x "$R/hooks/pre-receive" ] || fail "restored hook executable" "not executable"
	assert_file_absent "$R/hooks/pre-receive.d"
	# pushguard is gone, the site hook still runs
	commit_key id_rsa "Key, no pushguard any more"
	push origin main
	assert_push_ok
	assert_file_exists ../marker
}

c_uninstall_without_original() {
	R=$(new_bare_repo srv)
	install_hook "$R"
	run "$PG_TOP/install.sh" --prefix "$PG_PREFIX" --uninstall "$R"
	assert_rc 0
	assert_file_absent "$R/hooks/pre-receive"
	assert_file_absent "$R/hooks/pre-receive.d"
}

c_install_idempotent() {
	repo_with_hook 0
	install_hook "$R"
	install_hook "$R"
	assert_eq "$(ls -A "$R/hooks/pre-receive.d" | tr '\n' ' ')" "00-original " "pre-receive.d contents"
	cmp -s ../orig-hook "$R/hooks/pre-receive.d/00-original" || fail "00-original is still the site hook" "changed"
}

c_chain_dir_order() {
	setup_repo
	local d="$R/hooks/pre-receive.d" log="$PWD/../chain.log" n
	mkdir -p "$d"
	for n in 20-b 10-a 15-skip~ .hidden; do
		printf '#!/bin/sh\ncat >/dev/null\necho %s >>"%s"\n' "$n" "$log" >"$d/$n"
		chmod +x "$d/$n"
	done
	printf '#!/bin/sh\necho not-executable >>"%s"\n' "$log" >"$d/30-noexec"
	commit a.txt a "Run the chain"
	push origin main
	assert_push_ok
	assert_eq "$(tr '\n' ' ' <"$log")" "10-a 20-b " "chained hooks run (in order)"
}

c_update_hook_chain() {
	R=$(new_bare_repo srv)
	write_hook "$R/hooks/update" 0
	install_hook "$R" --hook update
	cmp -s <(sed -n 3p "$R/hooks/update") <(printf '%s\n' "exec '$PG_PREFIX/bin/pushguard-update' --chain \"\${0%/*}/update.d\" \"\$@\"") ||
		fail "hooks/update is the update wrapper" "$(cat "$R/hooks/update")"
	clone "$R" w
	cd w || return
	commit a.txt a "First"
	push origin main
	assert_push_ok
	grep -qE "^args: refs/heads/main $ZERO_OID [0-9a-f]{40}\$" ../marker ||
		fail "chained update hook got REF OLD NEW" "$(cat ../marker 2>&1)"
}

c_update_hook_chain_refuses() {
	R=$(new_bare_repo srv)
	write_hook "$R/hooks/update" 1
	install_hook "$R" --hook update
	clone "$R" w
	cd w || return
	commit a.txt a "First"
	push origin main
	assert_push_refused
	assert_ref_absent "$R" refs/heads/main
}

c_dry_run_changes_nothing() {
	R=$(new_bare_repo srv)
	write_hook "$R/hooks/pre-receive" 0
	local before
	before=$(cd "$R" && find . -type f -exec md5sum {} + | sort)
	run "$PG_TOP/install.sh" --prefix "$PG_PREFIX" --dry-run "$R"
	assert_rc 0
	assert_eq "$(cd "$R" && find . -type f -exec md5sum {} + | sort)" "$before" "repository files after --dry-run"
	assert_file_absent "$R/hooks/pre-receive.d"
}

c_install_all() {
	mkdir -p repos/team
	git init -q --bare repos/one.git
	git init -q --bare repos/team/two.git
	git init -q repos/worktree
	run "$PG_TOP/install.sh" --prefix "$PG_PREFIX" --all "$PWD/repos"
	assert_rc 0
	grep -q 'pushguard: managed hook' repos/one.git/hooks/pre-receive || fail "one.git has the hook" "missing"
	grep -q 'pushguard: managed hook' repos/team/two.git/hooks/pre-receive || fail "team/two.git has the hook" "missing"
	assert_file_absent repos/worktree/.git/hooks/pre-receive
}

c_install_policy_option() {
	R=$(new_bare_repo srv)
	install_hook "$R" --policy strict
	assert_eq "$(git config -f "$R/config" pushguard.policy)" strict "pushguard.policy in REPO/config"
}

c_chain_env() {
	# a chained hook sees what git gives hooks: cwd = the repository, GIT_DIR, and the
	# quarantined objects of the push (git cat-file must find the new commit)
	R=$(new_bare_repo srv)
	local m="$PWD/env.log"
	cat >"$R/hooks/pre-receive" <<EOF
#!/bin/sh
while read old new ref; do
	echo "pwd=\$(pwd)" >>'$m'
	echo "GIT_DIR=\${GIT_DIR:-unset}" >>'$m'
	git cat-file -t "\$new" >>'$m' 2>&1 || { echo "cannot read \$new" >&2; exit 1; }
done
EOF
	chmod +x "$R/hooks/pre-receive"
	install_hook "$R"
	clone "$R" w
	cd w || return
	commit a.txt a "First"
	push origin main
	assert_push_ok
	grep -qx "pwd=$R" "$m" || fail "chained hook runs in $R" "$(cat "$m")"
	grep -qx "commit" "$m" || fail "chained hook can read the pushed commit" "$(cat "$m")"
	! grep -qx 'GIT_DIR=unset' "$m" || fail "chained hook has GIT_DIR set" "$(cat "$m")"
}

run_case "install.sh writes the exact wrapper the documentation shows" c_wrapper_shape
run_case "existing pre-receive moved to pre-receive.d/00-original" c_existing_hook_moved
run_case "existing hook runs (same stdin) when pushguard accepts" c_existing_hook_runs_on_accept
run_case "existing hook does not run when pushguard refuses" c_existing_hook_not_run_on_refusal
run_case "existing hook exiting 1 refuses the push" c_existing_hook_refuses
run_case "install.sh --uninstall restores the original hook" c_uninstall_restores
run_case "install.sh --uninstall without an original removes the hook" c_uninstall_without_original
run_case "installing twice keeps one 00-original (the site hook)" c_install_idempotent
run_case "pre-receive.d: executables run sorted, *~ dotfiles non-executables skipped" c_chain_dir_order
run_case "chained hook: cwd, GIT_DIR and quarantined objects as from git" c_chain_env
run_case "update hook: existing hook chained with REF OLD NEW" c_update_hook_chain
run_case "update hook: chained hook exiting 1 refuses" c_update_hook_chain_refuses
run_case "install.sh --dry-run changes nothing" c_dry_run_changes_nothing
run_case "install.sh --all DIR installs into every bare repo below DIR" c_install_all
run_case "install.sh --policy sets pushguard.policy" c_install_policy_option
