#!/usr/bin/env bash
# Issue 18: the policy ref (pushguard.policyRef = refs/meta/pushguard). Its tree is a policy
# layer between the named policy and the repository's config, updated by real pushes of
# pushguard.policyAdmins only, validated like `pushguard check`, never deleted or
# force-pushed, enforced from the next push on, recorded as policy.changed. The names that
# conflict with it in git's ref store (below it, its directories) are reserved for it.
. "$PG_LIB"

command -v ssh-keygen >/dev/null || {
	echo "t160: ssh-keygen is needed (apt-get install openssh-client)" >&2
	exit 1
}
KEYS="$PG_TEST_TMP/keys"
mkdir -p "$KEYS"
ssh-keygen -q -t ed25519 -N '' -C admin@test -f "$KEYS/admin"
ssh-keygen -q -t ed25519 -N '' -C other@test -f "$KEYS/other"
echo "alice@example.com namespaces=\"git\" $(cat "$KEYS/admin.pub")" >"$KEYS/allowed_signers"

PREF=refs/meta/pushguard

# policy_repo [install.sh options]: ./srv.git with pushguard, policyRef set, alice the policy admin, an audit
# log; ./w a clone with main pushed; ./pol a work tree for the policy ref (cwd).
policy_repo() {
	setup_repo "$@"
	cd .. || return
	set_config "$R" pushguard.policyRef "$PREF"
	add_config "$R" pushguard.policyAdmins alice
	add_config "$R" pushguard.policyAdmins carol
	AUDIT="$PWD/audit.jsonl"
	set_config "$R" pushguard.auditLog "$AUDIT"
	git init -q pol
	cd pol || return
	git remote add origin "$(repo_url "$R")"
}

# conf TEXT: write pushguard.conf (printf format) and commit it
conf() {
	# shellcheck disable=SC2059
	printf "$1" >pushguard.conf
	git add pushguard.conf
	git commit -q -m "${2:-policy}"
}

# push_policy PUSHER [git push args]: push HEAD to the policy ref as PUSHER
push_policy() {
	local who=$1
	shift
	PUSHGUARD_PUSHER=$who push "$@" origin "HEAD:$PREF"
}

c_admin_push_enforced_next_push() {
	policy_repo
	(cd ../w && commit a.env "X=1" "Add a.env" && git push -q origin main) ||
		fail "before the policy: *.env accepted"
	conf '[pushguard "files"]\n\tdeny = *.env\n'
	push_policy alice
	assert_push_ok
	assert_ref "$R" "$PREF" "$(oid HEAD)"
	cd ../w
	commit b.env "Y=2" "Add b.env"
	push origin main
	assert_push_refused
	assert_output_contains "b.env"
	assert_output_contains "pushguard.files.deny"
}

c_policy_in_force_is_the_old_one() {
	# the push that brings a policy is judged by the policy before it
	policy_repo
	conf '[pushguard "files"]\n\tdeny = *.env\n'
	git checkout -q -b envs
	commit c.env "Z=3" "an .env file on a branch"
	git checkout -q -
	PUSHGUARD_PUSHER=alice push origin "HEAD:$PREF" envs:refs/heads/envs
	assert_push_ok
	assert_ref "$R" "$PREF" "$(oid HEAD)"
	assert_ref "$R" refs/heads/envs "$(oid envs)"
	git checkout -q envs
	commit d.env "W=4" "another one, after the policy"
	push origin envs
	assert_push_refused
	assert_output_contains "d.env"
}

c_non_admin_refused() {
	policy_repo
	conf '[pushguard "files"]\n\tdeny = *.env\n'
	push_policy mallory
	assert_push_refused
	assert_output_contains "policy-admin"
	assert_output_contains "'mallory' is not one"
	assert_ref_absent "$R" "$PREF"
}

c_mode_off_from_ref_still_guards_it() {
	policy_repo
	conf '[pushguard]\n\tmode = off\n'
	push_policy alice
	assert_push_ok
	conf '[pushguard]\n\tmode = warn\n' "second"
	push_policy mallory
	assert_push_refused
	assert_output_contains "policy admins only"
	assert_ref "$R" "$PREF" "$(oid HEAD~1)"
}

c_invalid_value_refused_with_file_and_line() {
	policy_repo
	conf '# team policy\n[pushguard "files"]\n\tmaxSize = lots\n'
	push_policy alice
	assert_push_refused
	assert_output_contains "policy-invalid"
	assert_output_contains "$PREF:pushguard.conf:3"
	assert_output_contains "expected a size"
	assert_ref_absent "$R" "$PREF"
}

c_unknown_key_and_syntax_refused() {
	policy_repo
	conf '[pushguard]\n\tmode = warn\n\tnoSuchKey = 1\n'
	push_policy alice
	assert_push_refused
	assert_output_contains "unknown key 'pushguard.nosuchkey' in $PREF:pushguard.conf:3"
	conf '[pushguard\n\tmode = warn\n' "broken"
	push_policy alice
	assert_push_refused
	assert_output_contains "$PREF:pushguard.conf:1: bad section header"
	conf '[core]\n\tbare = false\n' "not ours"
	push_policy alice
	assert_push_refused
	assert_output_contains "only pushguard.* keys"
	assert_ref_absent "$R" "$PREF"
}

c_bad_rules_and_unknown_file_refused() {
	policy_repo
	mkdir -p rules
	printf '[[rules]]\nid = "acme"\nregex = """ACME-([0-9]{8}"""\n' >rules/acme.toml
	git add rules && git commit -q -m "bad regex"
	push_policy alice
	assert_push_refused
	assert_output_contains "$PREF:rules/acme.toml:3"
	git rm -q -r rules && echo x >hooks.sh && git add hooks.sh && git commit -q -m "unknown file"
	push_policy alice
	assert_push_refused
	assert_output_contains "$PREF:hooks.sh: unknown file"
	assert_ref_absent "$R" "$PREF"
}

c_server_path_keys_refused() {
	policy_repo
	conf '[pushguard]\n\tauditLog = /tmp/elsewhere.jsonl\n'
	push_policy alice
	assert_push_refused
	assert_output_contains "$PREF:pushguard.conf:2: pushguard.auditLog cannot be set in a policy ref"
	conf '[pushguard "secrets"]\n\trules = /etc/passwd\n\tcacheDir = /tmp\n' "paths"
	push_policy alice
	assert_push_refused
	assert_output_contains "pushguard.secrets.rules cannot be set in a policy ref"
	assert_output_contains "pushguard.secrets.cacheDir cannot be set in a policy ref"
	conf '[pushguard]\n\tpolicyAdmins = mallory\n' "admins"
	push_policy alice
	assert_push_refused
	assert_output_contains "pushguard.policyAdmins cannot be set in a policy ref"
	# a URL is where the server sends the tracker token or the webhook's events
	conf '[pushguard "tickets"]\n\turl = http://127.0.0.1:9/steal/{ticket}\n[pushguard "webhook"]\n\turl = http://127.0.0.1:9/\n' "urls"
	push_policy alice
	assert_push_refused
	assert_output_contains "$PREF:pushguard.conf:2: pushguard.tickets.url cannot be set in a policy ref"
	assert_output_contains "$PREF:pushguard.conf:4: pushguard.webhook.url cannot be set in a policy ref"
	assert_ref_absent "$R" "$PREF"
}

c_cannot_delete_or_force_push() {
	policy_repo
	conf '[pushguard "files"]\n\tdeny = *.env\n'
	push_policy alice
	assert_push_ok
	local first
	first=$(oid HEAD)
	PUSHGUARD_PUSHER=alice push origin ":$PREF"
	assert_push_refused
	assert_output_contains "policy-delete"
	assert_ref "$R" "$PREF" "$first"
	conf '[pushguard "files"]\n\tdeny = *.pem\n' "rewritten"
	git reset -q --soft HEAD~1 && git commit -q --amend -m "rewritten history"
	push_policy alice -f
	assert_push_refused
	assert_output_contains "policy-force-push"
	assert_ref "$R" "$PREF" "$first"
}

c_policy_changed_recorded() {
	policy_repo
	conf '[pushguard "files"]\n\tdeny = *.env\n'
	push_policy alice
	assert_push_ok
	local first second
	first=$(oid HEAD)
	conf '[pushguard "files"]\n\tdeny = *.env\n\tmaxSize = 1m\n[pushguard]\n\tmode = warn\n' "size and mode"
	printf '# none yet\n' >ignore
	git add ignore && git commit -q -m "ignore file"
	second=$(oid HEAD)
	push_policy carol
	assert_push_ok
	[ -s "$AUDIT" ] || fail "audit log written" "empty"
	run jq -c 'select(.event == "policy.changed")' "$AUDIT"
	assert_eq "$(wc -l <"$OUT")" 2 "policy.changed events"
	run jq -r 'select(.event == "policy.changed") | [.pusher, .policy_ref.ref, .policy_ref.old, .policy_ref.new, (.changed_keys | join(",")), (.changed_files | join(","))] | join(" ")' "$AUDIT"
	assert_output_contains "alice $PREF $ZERO_OID $first pushguard.files.deny pushguard.conf"
	assert_output_contains "carol $PREF $first $second pushguard.mode,pushguard.files.maxSize pushguard.conf,ignore"
	# and the push's own event as for any push
	run jq -r 'select(.event == "push.accepted") | .refs[0].ref' "$AUDIT"
	assert_output_contains "$PREF"
	# pushguard report counts them apart from the decisions
	run "$PG_BIN/pushguard" report "$AUDIT"
	assert_rc 0
	assert_output_contains "policy ref changes: 2 (policy.changed)"
	assert_output_not_contains "skipped"
}

c_refused_policy_push_is_not_a_change() {
	policy_repo
	conf '[pushguard "files"]\n\tmaxSize = lots\n'
	push_policy alice
	assert_push_refused
	run jq -r '.event' "$AUDIT"
	assert_output_contains "push.rejected"
	assert_output_not_contains "policy.changed"
}

c_check_names_ref_origins() {
	policy_repo
	run "$PG_BIN/pushguard" check "$R"
	assert_output_contains "# policy ref: $PREF (absent: no layer)"
	conf '# team policy\n[pushguard "files"]\n\tdeny = *.env\n[pushguard]\n\tmode = warn\n'
	push_policy alice
	assert_push_ok
	run "$PG_BIN/pushguard" check "$R"
	assert_rc 0
	assert_output_contains "# policy ref: $PREF at $(oid HEAD)"
	assert_output_matches "^pushguard\.files\.deny = \*\.env	\($PREF:pushguard\.conf:3\)$"
	assert_output_matches "^pushguard\.mode = warn	\($PREF:pushguard\.conf:5\)$"
	assert_output_contains "pushguard.policyRef = $PREF	($R/config)"
	# the repository's config stays above the ref
	set_config "$R" pushguard.mode enforce
	run "$PG_BIN/pushguard" check "$R"
	assert_output_contains "pushguard.mode = enforce	($R/config)"
}

c_ref_rules_and_ignore_reach_the_scan() {
	policy_repo
	mkdir -p rules
	printf '[[rules]]\nid = "acme-token"\ndescription = "ACME token"\nregex = """ACME-[0-9]{12}"""\nkeywords = ["acme-"]\n' >rules/acme.toml
	git add rules && git commit -q -m "ACME rule"
	push_policy alice
	assert_push_ok
	cd ../w
	commit token.txt "token ACME-123456789012" "Add token"
	push origin main
	assert_push_refused
	assert_output_contains "acme-token"
	local fp
	fp=$(grep -o '[0-9a-f]\{40\}:token.txt:acme-token:[0-9]*' "$OUT" | head -1)
	[ -n "$fp" ] || fail "a fingerprint for the finding" "none"
	cd ../pol
	printf '%s\n' "$fp" >ignore
	git add ignore && git commit -q -m "allow the test token"
	push_policy alice
	assert_push_ok
	cd ../w
	push origin main
	assert_push_ok
	assert_output_contains "ignore file (the policy ref's ignore)"
}

c_require_signed() {
	policy_repo
	set_config "$R" pushguard.policyRequireSigned true
	set_config "$R" pushguard.signatures.allowedSignersFile "$KEYS/allowed_signers"
	conf '[pushguard "files"]\n\tdeny = *.env\n'
	push_policy alice
	assert_push_refused
	assert_output_contains "policy-unsigned"
	assert_output_contains "pushguard.policyRequireSigned"
	assert_ref_absent "$R" "$PREF"
	# signed by a key the server does not trust
	git -c gpg.format=ssh -c user.signingKey="$KEYS/other.pub" commit -q --amend -S -m "policy, other key"
	push_policy alice
	assert_push_refused
	assert_output_contains "policy-unsigned"
	# signed by the trusted key
	git -c gpg.format=ssh -c user.signingKey="$KEYS/admin.pub" commit -q --amend -S -m "policy, signed"
	push_policy alice
	assert_push_ok
	assert_ref "$R" "$PREF" "$(oid HEAD)"
}

c_ref_allowed_signers_are_trusted() {
	# keys from the ref's allowed_signers are added to the server's
	policy_repo
	set_config "$R" pushguard.signatures.required true
	set_config "$R" pushguard.signatures.allowedSignersFile "$KEYS/allowed_signers"
	cd ../w
	printf 'b\n' >b.txt && git add b.txt
	git -c gpg.format=ssh -c user.signingKey="$KEYS/other.pub" commit -q -S -m "signed by the other key"
	push origin main
	assert_push_refused
	assert_output_contains "signature"
	cd ../pol
	echo "alice@example.com namespaces=\"git\" $(cat "$KEYS/other.pub")" >allowed_signers
	git add allowed_signers
	git -c gpg.format=ssh -c user.signingKey="$KEYS/admin.pub" commit -q -S -m "trust the other key"
	push_policy alice
	assert_push_ok
	cd ../w
	push origin main
	assert_push_ok
}

c_bounds_and_odd_files_refused() {
	policy_repo
	{
		printf '[pushguard]\n\tmode = warn\n'
		head -c 300000 /dev/zero | tr '\0' '#'
		printf '\n'
	} >pushguard.conf
	git add pushguard.conf && git commit -q -m "huge"
	push_policy alice
	assert_push_refused
	assert_output_contains "$PREF:pushguard.conf: 300"
	assert_output_contains "larger than the 262144 a policy file may have"
	rm pushguard.conf && ln -s /etc/passwd pushguard.conf
	git add -A && git commit -q -m "a link"
	push_policy alice
	assert_push_refused
	assert_output_contains "$PREF:pushguard.conf: not a regular file"
	assert_ref_absent "$R" "$PREF"
}

c_ref_keyring_is_trusted() {
	command -v gpg >/dev/null || { echo "gpg missing" >&2; return 1; }
	export GNUPGHOME="$PG_CASE_DIR/gnupg"
	mkdir -p -m 700 "$GNUPGHOME"
	gpg --batch --quiet --passphrase '' --quick-gen-key 'Alice Author <alice@example.com>' ed25519 sign never 2>/dev/null
	local fpr
	fpr=$(gpg --with-colons --list-keys alice@example.com | awk -F: '$1=="fpr"{print $10; exit}')
	policy_repo
	set_config "$R" pushguard.signatures.required true
	set_config "$R" pushguard.signatures.allowedSignersFile "$KEYS/allowed_signers"
	cd ../w
	printf 'c\n' >c.txt && git add c.txt
	git -c gpg.format=openpgp -c user.signingKey="$fpr" commit -q -S -m "signed with OpenPGP"
	push origin main
	assert_push_refused
	assert_output_contains "signature"
	cd ../pol
	gpg --armor --export "$fpr" >keyring.asc 2>/dev/null
	git add keyring.asc && git commit -q -m "trust Alice's OpenPGP key"
	push_policy alice
	assert_push_ok
	cd ../w
	push origin main
	assert_push_ok
	gpgconf --homedir "$GNUPGHOME" --kill all 2>/dev/null || true
}

c_update_hook() {
	# installed as the update hook: the same guard, once per ref
	policy_repo --hook update
	conf '[pushguard "files"]\n\tdeny = *.env\n'
	push_policy mallory
	assert_push_refused
	assert_output_contains "policy-admin"
	push_policy alice
	assert_push_ok
	PUSHGUARD_PUSHER=alice push origin ":$PREF"
	assert_push_refused
	assert_output_contains "policy-delete"
	run jq -r 'select(.event == "policy.changed") | .hook' "$AUDIT"
	assert_output_contains "update"
	cd ../w
	commit e.env "E=1" "an .env"
	push origin main
	assert_push_refused
	assert_output_contains "e.env"
}

c_broken_ref_in_force_can_be_repaired() {
	# a policy ref made invalid behind pushguard's back (here: update-ref on the server)
	# refuses pushes naming it, and only an admin's valid replacement gets through
	policy_repo
	conf '[pushguard "files"]\n\tmaxSize = lots\n'
	git push -q origin HEAD:refs/heads/tmp 2>/dev/null || fail "pushing the raw commit to a branch"
	git --git-dir="$R" update-ref "$PREF" refs/heads/tmp
	cd ../w
	commit x.txt x "any push"
	push origin main
	assert_push_refused
	assert_output_contains "$PREF:pushguard.conf:2"
	cd ../pol
	conf '[pushguard "files"]\n\tmaxSize = 1m\n' "fix"
	push_policy mallory
	assert_push_refused
	assert_ref "$R" "$PREF" "$(oid HEAD~1)"
	push_policy alice
	assert_push_ok
	assert_output_contains "judged without it"
	assert_ref "$R" "$PREF" "$(oid HEAD)"
	cd ../w
	push origin main
	assert_push_ok
}

# The names that conflict with the policy ref's in git's ref store (below it, or one of its
# directories) are reserved for it, whether it exists or not: a ref there keeps git from
# creating the policy ref, which would lock its admins out.
c_reserved_below_refused() {
	policy_repo
	conf '[pushguard "files"]\n\tdeny = *.env\n'
	push_policy mallory
	assert_push_refused
	assert_output_contains "policy-admin"
	PUSHGUARD_PUSHER=mallory push origin "HEAD:$PREF/x"
	assert_push_refused
	assert_output_contains "policy-reserved"
	assert_output_contains "the name $PREF/x is reserved for the policy ref $PREF (a ref below it keeps git from creating the policy ref) and can be changed by policy admins only (pushguard.policyAdmins); 'mallory' is not one"
	assert_output_contains "fix: push it under another name"
	assert_ref_absent "$R" "$PREF/x"
	# deeper, in the same push as an ordinary branch (pre-receive: all or nothing), in mode = off
	set_config "$R" pushguard.mode off
	PUSHGUARD_PUSHER=mallory push origin "HEAD:$PREF/a/b" HEAD:refs/heads/feature
	assert_push_refused
	assert_output_contains "the name $PREF/a/b is reserved"
	assert_ref_absent "$R" "$PREF/a/b"
	assert_ref_absent "$R" refs/heads/feature
	unset_config "$R" pushguard.mode
	# a name that only starts like it is not reserved
	PUSHGUARD_PUSHER=mallory push origin "HEAD:${PREF}2" "HEAD:$PREF-old/x"
	assert_push_ok
	assert_ref "$R" "${PREF}2" "$(oid HEAD)"
	# the admin is not locked out
	push_policy alice
	assert_push_ok
	assert_ref "$R" "$PREF" "$(oid HEAD)"
	# once it exists, below it is still pushguard's refusal, not git's
	PUSHGUARD_PUSHER=mallory push origin "HEAD:$PREF/y"
	assert_push_refused
	assert_output_contains "the name $PREF/y is reserved"
	assert_ref "$R" "$PREF" "$(oid HEAD)"
}

c_reserved_directory_refused() {
	# policyRef refs/meta/pushguard/policy: refs/meta/pushguard is one of its directories
	local PREF=refs/meta/pushguard/policy
	policy_repo
	conf '[pushguard "files"]\n\tdeny = *.env\n'
	PUSHGUARD_PUSHER=mallory push origin HEAD:refs/meta/pushguard
	assert_push_refused
	assert_output_contains "policy-reserved"
	assert_output_contains "the name refs/meta/pushguard is reserved for the policy ref $PREF (a ref named as one of its directories keeps git from creating the policy ref) and can be changed by policy admins only (pushguard.policyAdmins); 'mallory' is not one"
	assert_ref_absent "$R" refs/meta/pushguard
	# a sibling of the policy ref is no conflict
	PUSHGUARD_PUSHER=mallory push origin HEAD:refs/meta/pushguard/other
	assert_push_ok
	push_policy alice
	assert_push_ok
	assert_ref "$R" "$PREF" "$(oid HEAD)"
	# no admin configured: nobody, said so
	unset_config "$R" pushguard.policyAdmins
	PUSHGUARD_PUSHER=mallory push origin "HEAD:$PREF/x"
	assert_push_refused
	assert_output_contains "the name $PREF/x is reserved for the policy ref $PREF (a ref below it keeps git from creating the policy ref) and can be changed by policy admins only, and none are configured (pushguard.policyAdmins)"
}

c_reserved_admin_may_only_delete() {
	# a conflicting ref made before the name was reserved (here: update-ref on the server)
	# locks the policy ref out; only a policy admin can delete it, nobody can make another
	policy_repo
	conf '[pushguard "files"]\n\tdeny = *.env\n'
	git push -q origin HEAD:refs/heads/tmp 2>/dev/null || fail "pushing the commit to a branch"
	git --git-dir="$R" update-ref "$PREF/old" refs/heads/tmp
	push_policy alice
	assert_rc_nonzero
	assert_output_contains "'$PREF/old' exists"
	assert_output_not_contains "hook declined"
	assert_ref_absent "$R" "$PREF"
	PUSHGUARD_PUSHER=mallory push origin ":$PREF/old"
	assert_push_refused
	assert_output_contains "the name $PREF/old is reserved"
	assert_output_contains "'mallory' is not one"
	assert_ref "$R" "$PREF/old" "$(oid HEAD)"
	commit README "the team's policy" "readme"
	PUSHGUARD_PUSHER=alice push origin "HEAD:$PREF/old"
	assert_push_refused
	assert_output_contains "policy-reserved"
	assert_output_contains "the name $PREF/old is reserved for the policy ref $PREF (a ref below it keeps git from creating the policy ref): a policy admin may delete a ref there, not update one"
	assert_output_contains "git push origin :$PREF/old"
	assert_ref "$R" "$PREF/old" "$(oid HEAD~1)"
	PUSHGUARD_PUSHER=alice push origin "HEAD:$PREF/new"
	assert_push_refused
	assert_output_contains "a policy admin may delete a ref there, not create one"
	assert_ref_absent "$R" "$PREF/new"
	PUSHGUARD_PUSHER=alice push origin ":$PREF/old"
	assert_push_ok
	assert_ref_absent "$R" "$PREF/old"
	push_policy alice
	assert_push_ok
	assert_ref "$R" "$PREF" "$(oid HEAD)"
}

c_nothing_reserved_without_policy_ref() {
	setup_repo
	PUSHGUARD_PUSHER=mallory push origin HEAD:refs/meta/pushguard/x
	assert_push_ok
	assert_ref "$R" refs/meta/pushguard/x "$(oid HEAD)"
	PUSHGUARD_PUSHER=mallory push origin HEAD:refs/meta/other
	assert_push_ok
}

c_reserved_update_hook() {
	# installed as the update hook: the same reservation, decided per ref
	policy_repo --hook update
	conf '[pushguard "files"]\n\tdeny = *.env\n'
	PUSHGUARD_PUSHER=mallory push origin "HEAD:$PREF/x" HEAD:refs/heads/feature
	assert_push_refused
	assert_output_contains "policy-reserved"
	assert_output_contains "the name $PREF/x is reserved for the policy ref $PREF"
	assert_output_contains "'mallory' is not one"
	assert_output_contains "hook declined to update $PREF/x"
	assert_ref_absent "$R" "$PREF/x"
	assert_ref "$R" refs/heads/feature "$(oid HEAD)"
	PUSHGUARD_PUSHER=alice push origin "HEAD:$PREF/x"
	assert_push_refused
	assert_output_contains "a policy admin may delete a ref there, not create one"
	assert_ref_absent "$R" "$PREF/x"
	push_policy alice
	assert_push_ok
	assert_ref "$R" "$PREF" "$(oid HEAD)"
}

run_case "an admin's policy push is accepted and enforced on the next push" c_admin_push_enforced_next_push
run_case "the push that brings a policy is judged by the policy before it" c_policy_in_force_is_the_old_one
run_case "a non-admin's policy push is refused" c_non_admin_refused
run_case "mode = off from the ref does not open the ref to non-admins" c_mode_off_from_ref_still_guards_it
run_case "an invalid value is refused naming pushguard.conf and the line" c_invalid_value_refused_with_file_and_line
run_case "unknown keys, bad syntax and foreign sections are refused" c_unknown_key_and_syntax_refused
run_case "a rules file that does not compile and an unknown file are refused" c_bad_rules_and_unknown_file_refused
run_case "keys naming server paths and the ref's own keys are refused in the ref" c_server_path_keys_refused
run_case "the policy ref cannot be deleted or force-pushed" c_cannot_delete_or_force_push
run_case "policy.changed lands in the audit log with old, new, pusher and changed keys" c_policy_changed_recorded
run_case "a refused policy push records no policy.changed" c_refused_policy_push_is_not_a_change
run_case "pushguard check names REF:pushguard.conf:LINE origins" c_check_names_ref_origins
run_case "the ref's rules and ignore file reach the secrets scan" c_ref_rules_and_ignore_reach_the_scan
run_case "policyRequireSigned: unsigned and untrusted refused, trusted signature accepted" c_require_signed
run_case "the ref's allowed_signers are trusted beside the server's" c_ref_allowed_signers_are_trusted
run_case "an invalid policy ref in force can be replaced by an admin, by nobody else" c_broken_ref_in_force_can_be_repaired
run_case "a file over 256 KiB and a symbolic link in the ref are refused" c_bounds_and_odd_files_refused
run_case "the ref's keyring.asc is trusted beside the server's keys" c_ref_keyring_is_trusted
run_case "installed as the update hook: the same guard and record" c_update_hook
run_case "a non-admin cannot create a ref below the policy ref; the admin is not locked out" c_reserved_below_refused
run_case "a non-admin cannot create a ref named as a directory of the policy ref" c_reserved_directory_refused
run_case "a conflicting ref left on the server: only a policy admin deletes it, nobody makes one" c_reserved_admin_may_only_delete
run_case "without pushguard.policyRef nothing is reserved" c_nothing_reserved_without_policy_ref
run_case "installed as the update hook: the reserved names refused per ref" c_reserved_update_hook
