#!/usr/bin/env bash
# Scenario 10: `pushguard check|version|help`; scenario 12: GL-HOOK-ERR: prefix when GL_ID is set
# (running the installed hook binaries by hand inside the bare repository).
. "$PG_LIB"

PG="$PG_BIN/pushguard"
DEFAULT_CONF="$PG_POLICY_DIR_INSTALLED/default.conf"

c_check_default() {
	R=$(new_bare_repo srv)
	install_hook "$R"
	run "$PG" check "$R"
	assert_rc 0
	assert_output_matches '^pushguard\.mode *= *enforce'
	assert_output_contains "$DEFAULT_CONF"
	grep -iE '^pushguard\.refs\.denyDelete *= *refs/heads/main[[:space:]]+\(.*default\.conf' "$OUT" >/dev/null ||
		fail "a line: pushguard.refs.denyDelete = refs/heads/main  (…default.conf…)" "none"
	grep -iE "^pushguard\.files\.deny *= *.*id_rsa.*\\(.*default\\.conf" "$OUT" >/dev/null ||
		fail "a line: pushguard.files.deny = …id_rsa…  (…default.conf…)" "none"
}

c_check_repo_origin() {
	R=$(new_bare_repo srv)
	install_hook "$R"
	set_config "$R" pushguard.files.maxSize 1k
	run "$PG" check "$R"
	assert_rc 0
	grep -iE "^pushguard\.files\.maxSize *= *1k[[:space:]]+\\($R/config" "$OUT" >/dev/null ||
		fail "a line: pushguard.files.maxSize = 1k  ($R/config…)" "none"
	grep -iE '^pushguard\.files\.maxSize *= *100m' "$OUT" >/dev/null &&
		fail "the overridden default maxSize (100m) not shown as effective" "shown"
	return 0
}

c_check_cwd() {
	R=$(new_bare_repo srv)
	install_hook "$R"
	run_in "$R" "$PG" check
	assert_rc 0
	assert_output_contains "pushguard.mode"
}

c_check_bad_value() {
	R=$(new_bare_repo srv)
	install_hook "$R"
	set_config "$R" pushguard.mode bogus
	run "$PG" check "$R"
	assert_rc 1
	assert_output_contains_i "pushguard.mode"
	assert_output_contains "bogus"
	assert_output_contains "$R/config"
}

c_check_bad_regex() {
	R=$(new_bare_repo srv)
	install_hook "$R"
	set_config "$R" pushguard.commits.authorEmailPattern '[a-'
	run "$PG" check "$R"
	assert_rc 1
	assert_output_contains_i "pushguard.commits.authorEmailPattern"
}

c_check_unknown_key() {
	R=$(new_bare_repo srv)
	install_hook "$R"
	set_config "$R" pushguard.refs.denyDelet refs/heads/main
	run "$PG" check "$R"
	assert_rc 1
	assert_output_contains_i "pushguard.refs.denyDelet"
}

c_check_not_a_repo() {
	mkdir plain
	run "$PG" check "$PWD/plain"
	assert_rc_nonzero
}

c_version() {
	run "$PG" version
	assert_rc 0
	assert_output_matches '^pushguard [0-9]+\.[0-9]+\.[0-9]+$'
	# the libgit2 that reads pushed objects, and whether a libgit2 update needs a rebuild
	assert_output_matches '^libgit2 [0-9]+\.[0-9]+\.[0-9]+ \((linked in|/.*libgit2[^ ]*)\)$'
}

c_help() {
	run "$PG" help
	assert_rc 0
	assert_output_contains "check"
	run "$PG" no-such-command
	assert_rc_nonzero
}

# GitLab: GL_ID set => every output line prefixed GL-HOOK-ERR:
# Server repo holds a commit adding id_rsa that no ref points to (pushed with mode=off, ref
# deleted again); then the hook binaries are run by hand like git would.
gl_setup() {
	setup_repo
	OLD=$(oid HEAD)
	set_config "$R" pushguard.mode off
	commit_key keys/id_rsa "Add deploy key"
	NEW=$(oid HEAD)
	push origin HEAD:refs/heads/tmp
	assert_push_ok
	git --git-dir="$R" update-ref -d refs/heads/tmp
	set_config "$R" pushguard.mode enforce
}

# every_line_prefixed FILE
every_line_prefixed() {
	local bad
	bad=$(grep -v '^GL-HOOK-ERR:' "$1" | head -n 3)
	[ -z "$bad" ] || fail "every output line starts with GL-HOOK-ERR:" "$bad"
}

c_gl_pre_receive() {
	gl_setup
	LAST_CMD="echo '$OLD $NEW refs/heads/main' | (cd $R && GIT_DIR=. GL_ID=user-1 pushguard-pre-receive)"
	if printf '%s %s refs/heads/main\n' "$OLD" "$NEW" |
		(cd "$R" && GIT_DIR=. GL_ID=user-1 GL_PROTOCOL=web GL_REPOSITORY=project-1 "$PG_BIN/pushguard-pre-receive") >"$OUT" 2>&1; then RC=0; else RC=$?; fi
	assert_rc 1
	[ -s "$OUT" ] || fail "some output" "none"
	every_line_prefixed "$OUT"
	assert_output_contains "keys/id_rsa"
	assert_output_matches '^GL-HOOK-ERR: ?pushguard: push refused'
}

c_gl_absent_no_prefix() {
	gl_setup
	LAST_CMD="echo '$OLD $NEW refs/heads/main' | (cd $R && GIT_DIR=. pushguard-pre-receive)"
	if printf '%s %s refs/heads/main\n' "$OLD" "$NEW" |
		(cd "$R" && GIT_DIR=. "$PG_BIN/pushguard-pre-receive") >"$OUT" 2>&1; then RC=0; else RC=$?; fi
	assert_rc 1
	assert_output_not_contains "GL-HOOK-ERR"
	assert_output_contains "keys/id_rsa"
}

c_gl_update() {
	gl_setup
	LAST_CMD="(cd $R && GIT_DIR=. GL_ID=user-1 pushguard-update refs/heads/main $OLD $NEW)"
	if (cd "$R" && GIT_DIR=. GL_ID=user-1 "$PG_BIN/pushguard-update" refs/heads/main "$OLD" "$NEW") </dev/null >"$OUT" 2>&1; then RC=0; else RC=$?; fi
	assert_rc 1
	every_line_prefixed "$OUT"
	assert_output_contains "keys/id_rsa"
}

c_gl_config_error() {
	gl_setup
	set_config "$R" pushguard.files.maxSize 12q
	LAST_CMD="echo '$OLD $NEW refs/heads/main' | (cd $R && GIT_DIR=. GL_ID=user-1 pushguard-pre-receive)"
	if printf '%s %s refs/heads/main\n' "$OLD" "$NEW" |
		(cd "$R" && GIT_DIR=. GL_ID=user-1 "$PG_BIN/pushguard-pre-receive") >"$OUT" 2>&1; then RC=0; else RC=$?; fi
	assert_rc 1
	every_line_prefixed "$OUT"
	assert_output_contains_i "pushguard.files.maxSize"
}

c_gl_through_push() {
	# GL_ID in the environment of a file:// push reaches the hook
	setup_repo
	commit_key id_rsa "Key"
	GL_ID=user-1 push origin main
	assert_push_refused
	grep -q '^remote: GL-HOOK-ERR:' "$OUT" || fail "remote: GL-HOOK-ERR: lines" "none"
	local bad
	bad=$(grep '^remote: ' "$OUT" | grep -v '^remote: GL-HOOK-ERR:' | head -n 3)
	[ -z "$bad" ] || fail "every remote: line prefixed" "$bad"
}

# the hook binaries run by hand: fail closed on bad input
hook_direct() { # STDIN CMD...: run CMD in $R with GIT_DIR=. and STDIN
	local in=$1
	shift
	LAST_CMD="printf '$in' | (cd $R && GIT_DIR=. $*)"
	if printf '%s' "$in" | (cd "$R" && GIT_DIR=. "$@") >"$OUT" 2>&1; then RC=0; else RC=$?; fi
}

c_hook_empty_stdin() {
	setup_repo
	hook_direct "" "$PG_BIN/pushguard-pre-receive"
	assert_rc 0
}

c_hook_garbage_stdin() {
	setup_repo
	hook_direct $'garbage\n' "$PG_BIN/pushguard-pre-receive"
	assert_rc_nonzero
}

c_hook_missing_object() {
	setup_repo
	hook_direct "$(oid HEAD) 1234567890123456789012345678901234567890 refs/heads/main"$'\n' "$PG_BIN/pushguard-pre-receive"
	assert_rc_nonzero
}

c_hook_outside_repo() {
	mkdir plain
	LAST_CMD="(cd plain && pushguard-pre-receive)"
	if printf '%s %s refs/heads/x\n' "$ZERO_OID" "$ZERO_OID" | (cd plain && "$PG_BIN/pushguard-pre-receive") >"$OUT" 2>&1; then RC=0; else RC=$?; fi
	assert_rc_nonzero
}

c_update_hook_bad_args() {
	setup_repo
	hook_direct "" "$PG_BIN/pushguard-update" refs/heads/main
	assert_rc_nonzero
	assert_output_contains "usage"
}

c_hook_direct_clean_accept() {
	setup_repo
	local old
	old=$(oid HEAD)
	commit a.txt a "Clean"
	push origin HEAD:refs/heads/tmp
	assert_push_ok
	hook_direct "$old $(oid HEAD) refs/heads/main"$'\n' "$PG_BIN/pushguard-pre-receive"
	assert_rc 0
	hook_direct "" "$PG_BIN/pushguard-update" refs/heads/main "$old" "$(oid HEAD)"
	assert_rc 0
}

run_case "check: default policy listed with default.conf origins" c_check_default
run_case "check: repo value shown with REPO/config origin" c_check_repo_origin
run_case "check: without REPO uses the current bare repository" c_check_cwd
run_case "check: mode=bogus exits 1 naming key, value and file" c_check_bad_value
run_case "check: invalid regex exits 1 naming the key" c_check_bad_regex
run_case "check: unknown key exits 1 naming it" c_check_unknown_key
run_case "check: not a repository exits non-zero" c_check_not_a_repo
run_case "version prints pushguard X.Y.Z" c_version
run_case "help exits 0, unknown command non-zero" c_help
run_case "GL_ID: pre-receive refusal lines all prefixed GL-HOOK-ERR:" c_gl_pre_receive
run_case "no GL_ID: no GL-HOOK-ERR: prefix" c_gl_absent_no_prefix
run_case "GL_ID: update hook refusal lines prefixed" c_gl_update
run_case "GL_ID: config error lines prefixed" c_gl_config_error
run_case "GL_ID through a real push: every remote: line prefixed" c_gl_through_push
run_case "hook binary: empty stdin accepted" c_hook_empty_stdin
run_case "hook binary: malformed stdin refused" c_hook_garbage_stdin
run_case "hook binary: missing object refused" c_hook_missing_object
run_case "hook binary: outside a repository refused" c_hook_outside_repo
run_case "update binary: wrong arguments refused with usage" c_update_hook_bad_args
run_case "hook binaries by hand: clean update accepted" c_hook_direct_clean_accept
