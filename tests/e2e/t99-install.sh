#!/usr/bin/env bash
# install.sh itself: argument errors, non-bare repositories, reinstalling, unusual prefixes.
. "$PG_LIB"

c_non_bare_refused() {
	git init -q work
	run "$PG_TOP/install.sh" --prefix "$PG_PREFIX" "$PWD/work"
	assert_rc_nonzero
	assert_output_contains "$PWD/work"
	assert_file_absent work/.git/hooks/pre-receive
}

c_missing_repo_uninstall_refused() {
	run "$PG_TOP/install.sh" --prefix "$PG_PREFIX" --uninstall "$PWD/nope.git"
	assert_rc_nonzero
	assert_output_contains "nope.git: no such directory"
	assert_file_absent "$PWD/nope.git"
}

c_bad_option() {
	R=$(new_bare_repo srv)
	run "$PG_TOP/install.sh" --prefix "$PG_PREFIX" --hook post-receive "$R"
	assert_rc_nonzero
	assert_file_absent "$R/hooks/post-receive"
	run "$PG_TOP/install.sh" --prefix "$PG_PREFIX" --frobnicate "$R"
	assert_rc_nonzero
	assert_file_absent "$R/hooks/pre-receive"
}

c_one_bad_repo_changes_nothing() {
	R=$(new_bare_repo srv)
	git init -q work
	run "$PG_TOP/install.sh" --prefix "$PG_PREFIX" "$R" "$PWD/new.git" "$PWD/work"
	assert_rc_nonzero
	assert_file_absent "$R/hooks/pre-receive"
	assert_file_absent "$PWD/new.git"
}

c_reinstall_after_uninstall() {
	setup_repo
	run "$PG_TOP/install.sh" --prefix "$PG_PREFIX" --uninstall "$R"
	assert_rc 0
	commit_key id_rsa "Key while uninstalled"
	push origin main
	assert_push_ok
	install_hook "$R"
	commit_key deploy/id_ed25519 "Key after reinstall"
	push origin main
	assert_push_refused
}

c_uninstall_dry_run() {
	R=$(new_bare_repo srv)
	install_hook "$R"
	run "$PG_TOP/install.sh" --prefix "$PG_PREFIX" --uninstall --dry-run "$R"
	assert_rc 0
	grep -q 'pushguard: managed hook' "$R/hooks/pre-receive" || fail "hook still installed after --uninstall --dry-run" "gone"
}

# a prefix with a space, built from a private copy of the sources (the shared build stays as is)
c_prefix_with_space() {
	mkdir src
	tar -C "$PG_TOP" --exclude=./build --exclude=./.git -cf - . | tar -C src -xf -
	R=$(new_bare_repo srv)
	local p="$PWD/pre fix"
	run src/install.sh --prefix "$p" "$R"
	: # fixed (was a known bug)
	[ ! -e src/fix ] || fail "make install does not create stray directories in the source tree" "src/fix exists"
	assert_rc 0
	[ -x "$p/bin/pushguard-pre-receive" ] || fail "installed under '$p'" "missing"
	clone "$R" w
	cd w || return
	commit_key id_rsa "Key"
	push origin main
	assert_push_refused
}

run_case "install.sh refuses a non-bare repository" c_non_bare_refused
run_case "install.sh --uninstall refuses a missing repository" c_missing_repo_uninstall_refused
run_case "install.sh: bad --hook / unknown option refused, nothing written" c_bad_option
run_case "install.sh: one bad repository, nothing changed anywhere" c_one_bad_repo_changes_nothing
run_case "install.sh: reinstall after uninstall" c_reinstall_after_uninstall
run_case "install.sh --uninstall --dry-run changes nothing" c_uninstall_dry_run
run_case "install.sh --prefix with a space" c_prefix_with_space
