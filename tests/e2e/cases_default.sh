# shellcheck shell=bash
# Default-policy cases, transport-agnostic: run over file:// by t10-default-policy.sh and over
# git daemon (git://) by t90-daemon.sh. Each function builds its own server repo and clone.

dp_normal_push_accepted() {
	setup_repo
	commit src/app.c "int main(void) { return 0; }" "Add app"
	commit docs/readme.md "docs" "Add docs"
	push origin main
	assert_push_ok
	assert_ref "$R" refs/heads/main "$(oid HEAD)"
}

dp_id_rsa_refused() {
	setup_repo
	local before
	before=$(oid HEAD)
	commit_key keys/id_rsa "Add deploy key"
	push origin main
	assert_push_refused
	assert_output_contains "keys/id_rsa"
	assert_output_contains "refs/heads/main"
	assert_output_contains "pushguard: push refused"
	assert_ref "$R" refs/heads/main "$before"
}

# every credential file name of default.conf, each pushed alone on a new branch
dp_credential_names_refused() {
	setup_repo
	local base f bad=
	base=$(oid HEAD)
	for f in id_rsa deploy/id_ed25519 .aws/credentials home/u/.aws/credentials .netrc .git-credentials \
		conf/.pgpass web/.htpasswd etc/shadow config/master.key .vault-token infra/prod.tfstate; do
		git checkout -q -B "t" "$base"
		commit_key "$f" "Add $f"
		push origin "HEAD:refs/heads/b-${f//\//-}"
		if [ "$RC" -eq 0 ] || ! grep -q 'hook declined' "$OUT"; then
			bad="$bad $f"
		elif ! grep -qF -- "$f" "$OUT"; then
			bad="$bad $f(refused, path not named)"
		fi
	done
	[ -z "$bad" ] || fail "default policy refuses every credential file name" "accepted:$bad"
}

dp_harmless_names_accepted() {
	setup_repo
	commit id_rsa.pub "ssh-ed25519 AAAA test" "Add public key"
	commit docs/pem-format.md "about pem" "Docs"
	commit aws/credentials.example "example" "Example"
	# certificates under key-like names: judged by what they hold, not by name
	mkdir -p certs
	openssl req -x509 -newkey rsa:2048 -nodes -keyout "$PG_CASE_DIR/k.pem" -out certs/server.pem \
		-days 1 -subj /CN=t 2>/dev/null
	cp certs/server.pem certs/server.key
	printf 'registry=https://registry.npmjs.org/\n' >.npmrc
	git add -A
	git commit -q -m "Certificates and npm registry"
	push origin main
	assert_push_ok
	assert_ref "$R" refs/heads/main "$(oid HEAD)"
}

dp_delete_main_refused() {
	setup_repo
	local tip
	tip=$(oid HEAD)
	push origin --delete main
	assert_push_refused
	assert_output_contains "refs/heads/main"
	assert_ref "$R" refs/heads/main "$tip"
}

dp_force_push_main_refused() {
	setup_repo
	commit a.txt "one" "Second commit"
	push origin main
	assert_push_ok
	local tip
	tip=$(oid HEAD)
	git reset -q --hard HEAD~1
	commit b.txt "two" "Rewritten history"
	push --force origin main
	assert_push_refused
	assert_output_contains "refs/heads/main"
	assert_ref "$R" refs/heads/main "$tip"
}

dp_feature_branch_force_and_delete_accepted() {
	setup_repo
	git checkout -q -b feature
	commit f.txt "one" "Feature work"
	push origin feature
	assert_push_ok
	git commit -q --amend -m "Feature work, amended"
	push --force origin feature
	assert_push_ok
	assert_ref "$R" refs/heads/feature "$(oid HEAD)"
	push origin --delete feature
	assert_push_ok
	assert_ref_absent "$R" refs/heads/feature
}

# a key added in the middle of a series and removed again is still refused
dp_key_in_intermediate_commit_refused() {
	setup_repo
	local before
	before=$(oid HEAD)
	commit a.txt "a" "First"
	commit_key id_ed25519 "Oops"
	git rm -q id_ed25519
	git commit -q -m "Remove key again"
	push origin main
	assert_push_refused
	assert_output_contains "id_ed25519"
	assert_ref "$R" refs/heads/main "$before"
}

run_default_cases() {
	run_case "normal push accepted" dp_normal_push_accepted
	run_case "push adding keys/id_rsa refused, message names path and ref" dp_id_rsa_refused
	run_case "every default credential file name refused" dp_credential_names_refused
	run_case "look-alike harmless names accepted" dp_harmless_names_accepted
	run_case "deleting main refused" dp_delete_main_refused
	run_case "force-pushing main refused" dp_force_push_main_refused
	run_case "force-pushing and deleting a feature branch accepted" dp_feature_branch_force_and_delete_accepted
	run_case "key added then removed within the pushed commits refused" dp_key_in_intermediate_commit_refused
}
