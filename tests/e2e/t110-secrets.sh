#!/usr/bin/env bash
# Secret scanning at push time: refused with location and masked excerpt, ordinary code
# accepted, allowed findings accepted, old secrets never re-reported, base64-wrapped keys,
# gitleaks-format rules files, the ignore file, and `pushguard scan` reports.
# Every credential-looking value is generated here from random characters.
. "$PG_LIB"

# rand N CHARSET: N random characters from a tr(1) charset
rand() { LC_ALL=C tr -dc "$2" </dev/urandom | head -c "$1"; }
# a GitHub personal access token shape (prefix split so no literal token is in this file)
gh_token() { printf '%s%s' "gh""p_" "$(rand 36 'A-Za-z0-9')"; }
aws_key_id() { printf '%s%s' "AK""IA" "$(rand 16 'A-Z2-7')"; }

c_secret_refused() {
	setup_repo
	local tok
	tok=$(gh_token)
	mkdir -p scripts
	printf '#!/bin/sh\necho deploying\nexport GITHUB_TOKEN=%s\n' "$tok" >scripts/deploy.sh
	git add scripts/deploy.sh
	git commit -q -m "Add deploy script"
	push origin HEAD:refs/heads/main
	assert_push_refused
	assert_output_contains "secrets"
	assert_output_contains "scripts/deploy.sh:3"
	assert_output_contains "$(git rev-parse --short=7 HEAD)"
	assert_output_contains "${tok:0:4}…"
	assert_output_contains "$(git rev-parse HEAD):scripts/deploy.sh:"
	assert_output_not_contains "$tok"
	assert_output_not_contains "${tok:4:20}"
	assert_ref "$R" refs/heads/main "$(git rev-parse HEAD~)"
}

c_ordinary_code_accepted() {
	setup_repo
	cat >app.py <<'PY'
import os

def connect(password=None):
    password = password or os.environ["DB_PASSWORD"]
    token = get_token()  # fetched at run time
    return Client(password=password, token=token)
PY
	git add app.py
	git commit -q -m "Add client"
	push origin HEAD:refs/heads/main
	assert_push_ok
	assert_output_not_contains "refused"
}

c_inline_allow_accepted_and_reported() {
	setup_repo
	printf 'TOKEN = "%s"  # pushguard:allow (test fixture)\n' "$(gh_token)" >fixture.py
	git add fixture.py
	git commit -q -m "Add fixture"
	push origin HEAD:refs/heads/main
	assert_push_ok
}

c_old_secret_not_rereported() {
	setup_repo
	set_config "$R" pushguard.mode off
	printf 'key = "%s"\nother = 1\n' "$(gh_token)" >conf.ini
	git add conf.ini
	git commit -q -m "Add config (pushed while checks were off)"
	push origin HEAD:refs/heads/main
	assert_push_ok
	set_config "$R" pushguard.mode enforce
	# same file, another line changed: the old secret's line is not an added line
	sed -i 's/other = 1/other = 2/' conf.ini
	git commit -q -am "Change another setting"
	push origin HEAD:refs/heads/main
	assert_push_ok
	# a new branch at an existing commit adds nothing
	push origin HEAD~:refs/heads/old-copy
	assert_push_ok
}

c_merge_bringing_nothing_new_accepted() {
	setup_repo
	set_config "$R" pushguard.mode off
	git checkout -q -b topic
	printf 'token: %s\n' "$(gh_token)" >topic.yml
	git add topic.yml
	git commit -q -m "Topic work with an old secret"
	push origin topic
	git checkout -q main
	commit main.txt "main work" "Main work"
	push origin main
	assert_push_ok
	set_config "$R" pushguard.mode enforce
	git merge -q --no-edit topic
	push origin main
	assert_push_ok
}

c_base64_wrapped_refused() {
	setup_repo
	local tok b64
	tok=$(gh_token)
	b64=$(printf 'github_token=%s' "$tok" | base64 -w0)
	cat >secret.yaml <<YAML
apiVersion: v1
kind: Secret
metadata:
  name: deploy
type: Opaque
data:
  credentials: $b64
YAML
	git add secret.yaml
	git commit -q -m "Add deploy secret"
	push origin HEAD:refs/heads/main
	assert_push_refused
	assert_output_contains "secret.yaml:7"
	assert_output_contains "base64"
	assert_output_not_contains "$tok"
}

c_gitleaks_rules_file_used() {
	setup_repo
	local rules="$PG_CASE_DIR/rules.toml" code
	cat >"$rules" <<'TOML'
title = "acme rules"

[[rules]]
id = "acme-internal-key"
description = "ACME internal API key"
regex = '''acme_key_[a-z0-9]{24}'''
keywords = ["acme_key_"]
tags = ["internal"]

[allowlist]
description = "test fixtures"
paths = ['''(^|/)fixtures/''']
TOML
	set_config "$R" pushguard.secrets.rules "$rules"
	code="acme_key_$(rand 24 'a-z0-9')"
	mkdir -p fixtures src
	printf 'k = "%s"\n' "$code" >fixtures/sample.txt
	git add fixtures/sample.txt
	git commit -q -m "Fixture"
	push origin HEAD:refs/heads/main
	assert_push_ok
	printf 'k = "%s"\n' "$code" >src/client.txt
	git add src/client.txt
	git commit -q -m "Client"
	push origin HEAD:refs/heads/main
	assert_push_refused
	assert_output_contains "acme-internal-key"
	assert_output_contains "src/client.txt:1"
}

c_broken_rules_file_fails_closed() {
	setup_repo
	local rules="$PG_CASE_DIR/broken.toml"
	printf '[[rules]]\nid = "x"\nregex = "unterminated\n' >"$rules"
	set_config "$R" pushguard.secrets.rules "$rules"
	commit a.txt "harmless" "Harmless change"
	push origin HEAD:refs/heads/main
	assert_push_refused
	assert_output_contains "$rules:3"
}

c_ignore_file_allows_fingerprint() {
	setup_repo
	printf 'token: %s\n' "$(gh_token)" >leak.yml
	git add leak.yml
	git commit -q -m "Known test token"
	push origin HEAD:refs/heads/main
	assert_push_refused
	local fp
	fp=$(grep -o "$(git rev-parse HEAD):leak.yml:[^ ]*" "$OUT" | head -n1)
	[ -n "$fp" ] || fail "a fingerprint in the output" "none"
	# the fingerprint is exact: the short commit id shown beside the ref allows nothing
	printf '%s\n' "$(git rev-parse --short=7 HEAD):${fp#*:}" >"$PG_CASE_DIR/ignore"
	set_config "$R" pushguard.secrets.ignoreFile "$PG_CASE_DIR/ignore"
	push origin HEAD:refs/heads/main
	assert_push_refused
	printf '# reviewed\n%s\n' "$fp" >"$PG_CASE_DIR/ignore"
	push origin HEAD:refs/heads/main
	assert_push_ok
	assert_output_contains "allowed by ignore file"
}

c_binary_text_read() {
	setup_repo
	local tok
	tok=$(gh_token)
	# one NUL makes a file binary to git (git diff shows no line of it); its text is read
	# all the same, for tokens and keys: a NUL put in front of a dotenv hides nothing
	{ printf 'bin\0ary\0\n'; printf 'GITHUB_TOKEN=%s\n' "$tok"; } >app.env
	git add app.env
	git commit -q -m "Binary"
	git diff --numstat HEAD~1 HEAD | grep -q '^-	-	app.env' || fail "git calls app.env binary" "$(git diff --numstat HEAD~1 HEAD)"
	push origin HEAD:refs/heads/main
	assert_push_refused
	assert_output_contains "secrets  github-pat"
	assert_output_contains "in the text of a binary file"
	assert_output_not_contains "$tok"
	assert_ref "$R" refs/heads/main "$(oid HEAD~1)"
	# the same over 4 MiB, where files are streamed: the token after 5 MB of binary noise
	git reset -q --hard HEAD~1
	{ head -c 5000000 /dev/urandom; printf '\nGITHUB_TOKEN=%s\n' "$(gh_token)"; } >blob.bin
	git add blob.bin
	git commit -q -m "Large binary"
	push origin HEAD:refs/heads/main
	assert_push_refused
	assert_output_contains "secrets  github-pat"
	assert_output_contains "blob.bin"
	# what is only a generic credential in binary noise is no finding (confidence high only),
	# and random binary content passes
	git reset -q --hard HEAD~1
	{ printf 'bin\0ary\0\n'; printf 'password = "Hx7%s"\n' "$(rand 12 'A-Za-z0-9')"; head -c 300000 /dev/urandom; } >data.bin
	git add data.bin
	git commit -q -m "Binary data"
	push origin HEAD:refs/heads/main
	assert_push_ok
	assert_output_not_contains "generic"
	# a token a binary file already had is not reported again when the file changes
	{ printf 'v1\0\n'; printf 'TOKEN=%s\n' "$tok"; } >old.bin
	git add old.bin
	git commit -q -m "Old token"
	set_config "$R" pushguard.secrets.enabled false
	push origin HEAD:refs/heads/main
	assert_push_ok
	set_config "$R" pushguard.secrets.enabled true
	printf 'more\0data\n' >>old.bin
	git commit -q -am "Change the binary file"
	push origin HEAD:refs/heads/main
	assert_push_ok
	assert_ref "$R" refs/heads/main "$(oid HEAD)"
}

c_disabled_binary_and_large_skipped() {
	setup_repo
	# over maxBlobSize: not scanned, so refused as such (t151 has the rest); accepted with onOversize
	set_config "$R" pushguard.secrets.maxBlobSize 1k
	{ head -c 2000 /dev/zero | tr '\0' 'x'; printf '\n%s\n' "$(gh_token)"; } >big.txt
	git add big.txt
	git commit -q -m "Big"
	push origin HEAD:refs/heads/main
	assert_push_refused
	assert_output_contains "secrets  too-large-to-scan"
	set_config "$R" pushguard.secrets.onOversize accept
	push origin HEAD:refs/heads/main
	assert_push_ok
	assert_output_contains "big.txt (2.0 KiB, commit"
	# disabled: not scanned
	set_config "$R" pushguard.secrets.enabled false
	printf 'T=%s\n' "$(gh_token)" >t.env
	git add t.env
	git commit -q -m "Token while disabled"
	push origin HEAD:refs/heads/main
	assert_push_ok
}

c_scan_reports() {
	setup_repo
	set_config "$R" pushguard.mode off
	printf 'aws_access_key_id = %s\n' "$(aws_key_id)" >creds.cfg
	printf 'GITHUB_TOKEN=%s\n' "$(gh_token)" >ci.env
	git add creds.cfg ci.env
	git commit -q -m "Leaky commit"
	push origin HEAD:refs/heads/main
	assert_push_ok
	run "$PG_PREFIX/bin/pushguard" scan "$R"
	assert_rc 1
	assert_output_contains "ci.env:1"
	run "$PG_PREFIX/bin/pushguard" scan --format sarif --output "$PG_CASE_DIR/out.sarif" "$R"
	assert_rc 1
	run python3 - "$PG_CASE_DIR/out.sarif" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
assert d["version"] == "2.1.0", d["version"]
assert "sarif" in d["$schema"]
run = d["runs"][0]
drv = run["tool"]["driver"]
assert drv["name"] == "pushguard" and drv["version"]
ids = {r["id"] for r in drv["rules"]}
assert run["results"], "no results"
for r in run["results"]:
    assert r["ruleId"] in ids
    assert drv["rules"][r["ruleIndex"]]["id"] == r["ruleId"]
    loc = r["locations"][0]["physicalLocation"]
    assert loc["artifactLocation"]["uri"]
    assert loc["region"]["startLine"] >= 1
    assert r["message"]["text"]
print("sarif ok", len(run["results"]))
PY
	assert_rc 0
	run "$PG_PREFIX/bin/pushguard" scan --format json --output "$PG_CASE_DIR/out.json" "$R"
	assert_rc 1
	run python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert any(x["path"]=="ci.env" for x in d)' "$PG_CASE_DIR/out.json"
	assert_rc 0
	run "$PG_PREFIX/bin/pushguard" scan --range "HEAD~..HEAD~" "$R"
	assert_rc 0
}

run_case "a pushed token is refused with path:line, masked excerpt and fingerprint" c_secret_refused
run_case "ordinary code is accepted" c_ordinary_code_accepted
run_case "an inline pushguard:allow comment lets the line through" c_inline_allow_accepted_and_reported
run_case "a secret already on the server is not re-reported" c_old_secret_not_rereported
run_case "a merge that brings in nothing new is accepted" c_merge_bringing_nothing_new_accepted
run_case "a base64-wrapped token (Kubernetes Secret) is refused" c_base64_wrapped_refused
run_case "a gitleaks-format rules file is loaded and used" c_gitleaks_rules_file_used
run_case "a broken rules file fails closed naming file:line" c_broken_rules_file_fails_closed
run_case "the ignore file allows a reviewed fingerprint (the full commit id; a short one allows nothing)" c_ignore_file_allows_fingerprint
run_case "a binary file's text is read for tokens and keys: a NUL in front hides none, a changed binary is no repeat" c_binary_text_read
run_case "oversized files and disabled scanning let the push through" c_disabled_binary_and_large_skipped
run_case "pushguard scan: text, SARIF 2.1.0 and JSON reports" c_scan_reports
