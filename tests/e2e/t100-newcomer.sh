#!/usr/bin/env bash
# install.sh for a newcomer (issue 17): a repository path that does not exist is created as a
# bare repository; root needed and not root: install.sh runs itself again through sudo; run
# as root on another user's checkout (sudo), the build is that user's and nothing is left
# root's; --demo shows a generated secret refused, a denied file, the fixed push, the audit.
# (The Quick start itself, on a fresh Debian 12, is tests/debian/run.sh.)
. "$PG_LIB"

c_missing_repo_created() {
	run "$PG_TOP/install.sh" --prefix "$PG_PREFIX" "$PWD/srv/git/project.git"
	assert_rc 0
	assert_output_contains "$PWD/srv/git/project.git did not exist: created it as a bare repository (owner $(id -un))"
	assert_eq "$(git --git-dir="$PWD/srv/git/project.git" rev-parse --is-bare-repository)" true "bare"
	assert_file_exists "$PWD/srv/git/project.git/hooks/pre-receive"
	# and it guards: a key file refused, a clean commit accepted
	R="$PWD/srv/git/project.git"
	clone "$R" w
	cd w
	commit_key id_rsa "Add key"
	push origin HEAD:refs/heads/main
	assert_push_refused
	assert_output_contains "id_rsa"
	git reset -q --hard HEAD~ 2>/dev/null || { git update-ref -d HEAD; git rm -q --cached id_rsa; rm -f id_rsa; }
	commit README.md "hello" "Initial commit"
	push origin HEAD:refs/heads/main
	assert_push_ok
}

c_missing_repo_dry_run() {
	run "$PG_TOP/install.sh" --prefix "$PG_PREFIX" --dry-run "$PWD/new.git"
	assert_rc 0
	assert_output_contains "new.git does not exist: would create it as a bare repository"
	assert_file_absent "$PWD/new.git"
}

c_repo_under_a_file_refused() {
	echo "a file" >plain
	run "$PG_TOP/install.sh" --prefix "$PG_PREFIX" "$PWD/plain/project.git"
	assert_rc_nonzero
	assert_output_contains "plain/project.git: cannot create a bare repository there"
}

# traverse DIR: let other users walk down to DIR (the harness's temp dirs are private)
traverse() {
	local d=$1
	while [ "$d" != / ] && [ "$d" != /tmp ]; do
		chmod o+x "$d"
		d=$(dirname "$d")
	done
}

# root (as through sudo) on a checkout another user owns: the build runs as that user,
# what root left in the checkout goes back to them, a new repository is theirs
c_sudo_build_stays_the_users() {
	local src="$PWD/checkout"
	cp -a "$PG_TOP" "$src"
	chown -R 65534:65534 "$src"
	traverse "$src"
	touch "$src/lib/buf.c"             # one object to rebuild: as whom?
	mkdir -p "$src/build/old"
	echo stale >"$src/build/old/root-file" # what an older `sudo make` left root's
	run env SUDO_UID=65534 SUDO_GID=65534 SUDO_USER=nobody \
		"$src/install.sh" --prefix "$PG_PREFIX" "$PWD/repos/project.git"
	assert_rc 0
	assert_eq "$(stat -c %u "$src/build/lib/buf.o")" 65534 "owner of the rebuilt build/lib/buf.o"
	assert_eq "$(find "$src" -uid 0 | head -n 3)" "" "files owned by root in the checkout"
	assert_eq "$(stat -c %u "$PWD/repos/project.git")" 65534 "owner of the new repository"
	assert_eq "$(stat -c %u "$PWD/repos/project.git/hooks/pre-receive")" 65534 "owner of its hook"
	assert_output_contains "created it as a bare repository (owner nobody)"
}

# a user who cannot write where it installs: install.sh runs itself again through sudo
c_user_goes_through_sudo() {
	mkdir -p bin
	printf '#!/bin/sh\nprintf "%%s\\n" "$@" >"%s/sudo.args"\n' "$PWD" >bin/sudo
	chmod 0755 bin/sudo
	traverse "$PWD/bin"
	traverse "$PG_TOP"
	chmod o+w "$PWD"
	run setpriv --reuid=65534 --regid=65534 --clear-groups env PATH="$PWD/bin:$PATH" \
		"$PG_TOP/install.sh" --prefix "$PG_PREFIX" "$PWD/srv/project.git"
	assert_rc 0
	assert_output_contains "root is needed (for: $PG_PREFIX"
	assert_output_contains "running again through sudo"
	assert_eq "$(tr '\n' ' ' <sudo.args)" \
		"-- env PUSHGUARD_SKIP_DEPS=1 $PG_TOP/install.sh --prefix $PG_PREFIX $PWD/srv/project.git " "sudo's arguments"
	assert_file_absent "$PWD/srv"
}

c_demo() {
	run "$PG_TOP/install.sh" --prefix "$PG_PREFIX" --demo
	assert_rc 0
	# a generated token refused, masked, with where and how to fix it
	assert_output_contains "github-pat"
	assert_output_contains "scripts/deploy.sh:3   ghp_…"
	assert_output_contains "fix: remove the secret and revoke or rotate it"
	if grep -qE 'ghp_[A-Za-z0-9]{36}' "$OUT"; then fail "no raw token in the demo's output" "found"; fi
	# a denied file refused, then the fixed push accepted
	assert_output_contains "keys/id_rsa matches the denied file pattern"
	assert_output_contains "(push accepted: as expected)"
	# the audit lines, and the report over them
	assert_output_contains '"event":"push.rejected"'
	assert_output_contains '"event":"push.accepted"'
	assert_output_contains "accepted 1, rejected 2"
	assert_output_contains "demo done"
	local d
	d=$(sed -n 's/^## demo done; removing //p' "$OUT")
	assert_file_absent "$d"
}

run_case "install.sh creates a missing repository as a bare one, says so, and guards it" c_missing_repo_created
run_case "install.sh --dry-run says it would create a missing repository, creates nothing" c_missing_repo_dry_run
run_case "install.sh refuses a repository path under a file" c_repo_under_a_file_refused
if [ "$(id -u)" -eq 0 ]; then
	run_case "install.sh as root on another user's checkout (sudo): built as that user, nothing left root's" c_sudo_build_stays_the_users
	run_case "install.sh as a user who cannot write the prefix runs itself again through sudo" c_user_goes_through_sudo
else
	skip_case "install.sh as root on another user's checkout (sudo): built as that user" "needs root (chown, setpriv); run as $(id -un)"
	skip_case "install.sh as a user who cannot write the prefix runs itself again through sudo" "needs root (setpriv); run as $(id -un)"
fi
run_case "install.sh --demo: secret refused masked with its fix, file denied, fixed push accepted, audit lines" c_demo
