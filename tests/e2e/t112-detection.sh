#!/usr/bin/env bash
# Secret detection on real content, with the default policy: private key material refused
# by what it is whatever the file is called, public keys and certificates accepted under
# any name; generic credentials refused across the syntaxes people use, their look-alikes
# accepted; confidence (high, medium, low) and pushguard.secrets.block decide what refuses,
# and what does not is shown to the pusher and recorded. Keys are made here with openssl,
# ssh-keygen, gpg and keytool; every credential-looking value is random.
. "$PG_LIB"

# rand N CHARSET: N random characters from a tr(1) charset
rand() { LC_ALL=C tr -dc "$2" </dev/urandom | head -c "$1"; }
# a password as people choose them, and a generated secret
pw() { printf '%s%s' "$(rand 10 'A-Za-z')" "$(rand 4 '0-9')"; }
secret() { rand 32 'A-Za-z0-9'; }

# push_alone PATH BRANCH: commit the file at PATH alone on a new branch from main, push it
push_alone() {
	git checkout -q -B "$2" main
	git add -f -- "$1"
	git commit -q -m "add $1"
	push origin "HEAD:refs/heads/$2"
}

# ---------------------------------------------------------------- private keys by content
c_private_keys_by_content() {
	setup_repo
	local k="$PG_CASE_DIR/keys" f bad= i=0
	mkdir -p "$k" stuff
	openssl genrsa -traditional -out "$k/rsa.pem" 2048 2>/dev/null
	openssl genpkey -algorithm ed25519 -out "$k/pkcs8.pem" 2>/dev/null
	openssl ecparam -name prime256v1 -genkey -noout -out "$k/ec.pem" 2>/dev/null
	openssl genrsa -traditional -aes128 -passout pass:x -out "$k/rsa-enc.pem" 2048 2>/dev/null
	openssl pkcs8 -topk8 -v2 aes256 -in "$k/pkcs8.pem" -passout pass:x -out "$k/pkcs8-enc.pem" 2>/dev/null
	openssl rsa -in "$k/rsa.pem" -outform DER -out "$k/rsa.der" 2>/dev/null
	openssl req -x509 -key "$k/rsa.pem" -out "$k/cert.pem" -days 1 -subj /CN=t 2>/dev/null
	openssl pkcs12 -export -in "$k/cert.pem" -inkey "$k/rsa.pem" -passout pass:x -out "$k/store.p12" 2>/dev/null
	ssh-keygen -q -t ed25519 -N '' -C ci -f "$k/openssh" </dev/null
	export GNUPGHOME="$PG_CASE_DIR/gnupg"
	mkdir -m 700 "$GNUPGHOME"
	gpg -q --batch --passphrase '' --quick-gen-key 'CI <ci@example.com>' ed25519 sign 1d 2>/dev/null
	gpg -q --batch --pinentry-mode loopback --passphrase '' --armor --export-secret-keys >"$k/pgp.asc"
	gpg -q --batch --pinentry-mode loopback --passphrase '' --export-secret-keys >"$k/pgp.bin"
	{ printf 'PuTTY-User-Key-File-3: ssh-ed25519\nEncryption: none\nComment: ci\nPublic-Lines: 2\n'
	  rand 64 'A-Za-z0-9+/'; echo; printf 'Private-Lines: 1\n'; rand 64 'A-Za-z0-9+/'; echo; } >"$k/putty.txt"
	if command -v keytool >/dev/null; then
		keytool -genkeypair -alias a -keyalg RSA -keystore "$k/store.jks" -storetype JKS -storepass changeit \
			-keypass changeit -dname CN=t -validity 1 >/dev/null 2>&1
	else # a JKS holding one private key entry, by its documented layout
		{ printf '\xfe\xed\xfe\xed\x00\x00\x00\x02\x00\x00\x00\x01\x00\x00\x00\x01\x00\x01a'
		  printf '\x00\x00\x01\x8b\x00\x00\x00\x00\x00\x00\x00\x10'; head -c 16 /dev/urandom
		  printf '\x00\x00\x00\x00'; head -c 20 /dev/urandom; } >"$k/store.jks"
	fi
	# each under a name that says nothing, pushed alone
	for f in rsa.pem:private-key-rsa pkcs8.pem:private-key-pkcs8 ec.pem:private-key-ec \
		rsa-enc.pem:private-key-rsa pkcs8-enc.pem:private-key-pkcs8-encrypted rsa.der:private-key-der \
		store.p12:private-key-pkcs12 openssh:private-key-openssh pgp.asc:private-key-pgp \
		pgp.bin:private-key-pgp-binary putty.txt:private-key-putty store.jks:private-key-java-keystore; do
		i=$((i + 1))
		cp "$k/${f%%:*}" "stuff/data$i.bin"
		push_alone "stuff/data$i.bin" "k$i"
		if [ "$RC" -eq 0 ]; then
			bad="$bad ${f%%:*}(accepted)"
		elif ! grep -q "secrets  ${f#*:}" "$OUT" || ! grep -q "stuff/data$i.bin" "$OUT"; then
			bad="$bad ${f%%:*}(refused without naming ${f#*:} and the file)"
		fi
	done
	[ -z "$bad" ] || fail "every kind of private key refused by content, whatever its name" "$bad"
	assert_output_not_contains "(confidence"  # key material is high confidence
}

c_public_material_accepted() {
	setup_repo
	local k="$PG_CASE_DIR/keys"
	mkdir -p "$k" certs keys tls ssh signing
	openssl genrsa -traditional -out "$k/rsa.pem" 2048 2>/dev/null
	openssl req -x509 -key "$k/rsa.pem" -out certs/server.key -days 1 -subj /CN=t 2>/dev/null
	openssl rsa -in "$k/rsa.pem" -pubout -out keys/jwt-signing.pem 2>/dev/null
	openssl req -new -key "$k/rsa.pem" -out tls/api.csr -subj /CN=t 2>/dev/null
	openssl x509 -in certs/server.key -outform DER -out certs/ca.der
	openssl pkcs12 -export -in certs/server.key -nokeys -passout pass: -out certs/truststore.p12 2>/dev/null
	ssh-keygen -q -t ed25519 -N '' -C ci -f "$k/id" </dev/null
	cp "$k/id.pub" ssh/id_ed25519.pub
	cat "$k/id.pub" >ssh/authorized_keys
	printf 'git.internal %s\n' "$(cut -d' ' -f1,2 "$k/id.pub")" >ssh/known_hosts
	export GNUPGHOME="$PG_CASE_DIR/gnupg"
	mkdir -m 700 "$GNUPGHOME"
	gpg -q --batch --passphrase '' --quick-gen-key 'Release <rel@example.com>' ed25519 sign 1d 2>/dev/null
	gpg -q --armor --export >signing/release.key
	gpg -q --export >signing/release.gpg
	if command -v keytool >/dev/null; then
		keytool -importcert -noprompt -alias ca -file certs/server.key -keystore certs/trust.jks \
			-storetype JKS -storepass changeit >/dev/null 2>&1
	fi
	git add -A
	git commit -q -m "Add certificates and public keys"
	push origin HEAD:refs/heads/main
	assert_push_ok
	assert_output_not_contains "refused"
	assert_output_not_contains "below pushguard.secrets.block"
	assert_ref "$R" refs/heads/main "$(oid HEAD)"
}

# ---------------------------------------------------------------- generic credentials
c_generic_credentials_refused() {
	setup_repo
	local v i=0 bad= f
	declare -A cases
	v=$(pw); cases[".env"]="DB_HOST=db.internal
DB_PASSWORD=$v|$v"
	v=$(pw); cases["public_html/wp-config.php"]="<?php
define( 'DB_PASSWORD', '$v' );|$v"
	v=$(pw); cases["config/cache.yml"]="production:
  url: redis://:$v@cache.internal:6379/0|$v"
	v=$(pw); cases[".m2/settings.xml"]="<servers><server><id>r</id><password>$v</password></server></servers>|$v"
	v=$(pw); cases["NuGet.Config"]="<add key=\"ClearTextPassword\" value=\"$v\" />|$v"
	v=$(pw); cases["db/init.sql"]="CREATE USER 'app'@'%' IDENTIFIED BY '$v';|$v"
	v=$(pw); cases["scripts/backup.sh"]="mysqldump -u backup -p'$v' shop > shop.sql|$v"
	v=$(pw); cases["ci/publish.sh"]="docker login -u ci -p $v registry.internal|$v"
	v=$(pw); cases["scripts/call.sh"]="curl -u deploy:$v https://ci.internal/api|$v"
	v=$(secret); cases["mysite/settings.py"]="SECRET_KEY = '$v'|$v"
	v=$(secret); cases["src/config.json"]="{ \"apiKey\": \"$v\" }|$v"
	v=$(pw); cases["roles/ldap/sssd.conf"]="ldap_default_authtok = $v|$v"
	for f in "${!cases[@]}"; do
		i=$((i + 1))
		mkdir -p "$(dirname "$f")"
		printf '%s\n' "${cases[$f]%|*}" >"$f"
		v=${cases[$f]##*|}
		push_alone "$f" "g$i"
		if [ "$RC" -eq 0 ]; then
			bad="$bad $f(accepted)"
		elif ! grep -qF "(confidence medium)" "$OUT" || ! grep -qF "$f:" "$OUT" ||
			! grep -qF "${v:0:4}…" "$OUT"; then
			bad="$bad $f(refused without confidence, path:line or masked excerpt)"
		elif grep -qF "$v" "$OUT"; then
			bad="$bad $f(raw value echoed)"
		fi
	done
	[ -z "$bad" ] || fail "generic credentials refused in every syntax, masked" "$bad"
}

c_lookalikes_accepted() {
	setup_repo
	mkdir -p config src/locales infra app lib
	printf 'DB_PASSWORD=changeme\nAPI_KEY=your-api-key-here\nSECRET_KEY=\n' >.env.example
	printf 'production:\n  password: <%%= ENV["DB_PASSWORD"] %%>\n' >config/database.yml
	printf 'services:\n  db:\n    environment:\n      POSTGRES_PASSWORD: ${POSTGRES_PASSWORD}\n' >docker-compose.yml
	printf 'env:\n  - name: DB_PASSWORD\n    valueFrom:\n      secretKeyRef:\n        key: password\n' >deploy.yaml
	printf 'password: "{{ vault_db_password }}"\n' >config/vars.yml
	printf 'import os\nSECRET_KEY = os.environ["SECRET_KEY"]\npassword = password\n' >app/settings.py
	printf '\t.private_key_filename = private_key_filename,\n\ts->token = next_token(s);\n' >lib/ssl.c
	printf '{ "password": "Passwort", "forgotPassword": "Passwort vergessen?" }\n' >src/locales/de.json
	printf 'password = var.db_password\n' >infra/rds.tf
	printf '{ "node_modules/js-tokens": { "integrity": "sha512-%s==" } }\n' "$(rand 86 'A-Za-z0-9+/')" \
		>package-lock.json
	printf 'revision: %s\ntenant_id: "%s-%s-%s-%s-%s"\n' "$(rand 40 0-9a-f)" "$(rand 8 0-9a-f)" \
		"$(rand 4 0-9a-f)" "$(rand 4 0-9a-f)" "$(rand 4 0-9a-f)" "$(rand 12 0-9a-f)" >config/ids.yml
	git add -A
	git commit -q -m "Configuration templates"
	push origin HEAD:refs/heads/main
	assert_push_ok
	assert_output_not_contains "refused"
	assert_output_not_contains "below pushguard.secrets.block"
}

# What public repositories' configuration really holds (a sweep of eight, December 2026): a
# demonstration's defaults pass; the same files with a password someone chose refuse.
c_demonstration_defaults_accepted() {
	setup_repo
	local v
	mkdir -p wordpress app/Http/Requests redis
	printf 'services:\n  db:\n    environment:\n      - MYSQL_DATABASE=wordpress\n      - MYSQL_USER=wordpress\n      - MYSQL_PASSWORD=wordpress\n      - MYSQL_ROOT_PASSWORD=mysecretpassword\n' \
		>wordpress/compose.yaml
	printf "<?php\nreturn [\n    'password' => 'required|string|min:8|confirmed',\n];\n" \
		>app/Http/Requests/RegisterRequest.php
	printf 'services:\n  redis:\n    command: redis-server --requirepass "$$(cat $$REDIS_PASS_FILE)"\n' >redis/compose.yaml
	git add -A
	git commit -q -m "Examples"
	push origin HEAD:refs/heads/main
	assert_push_ok
	assert_output_not_contains "refused"
	assert_output_not_contains "below pushguard.secrets.block"
	v=$(pw)
	sed -i "s/MYSQL_PASSWORD=wordpress/MYSQL_PASSWORD=$v/" wordpress/compose.yaml
	git commit -q -am "Set the database password"
	push origin HEAD:refs/heads/main
	assert_push_refused
	assert_output_contains "wordpress/compose.yaml:6"
	assert_output_not_contains "$v"
}

# ---------------------------------------------------------------- confidence and secrets.block
c_docs_example_warns_and_is_recorded() {
	setup_repo
	local v audit="$PG_CASE_DIR/audit.jsonl"
	set_config "$R" pushguard.auditLog "$audit"
	v=$(secret)
	mkdir -p docs
	printf '# Setup\n\n    export SECRET_KEY=%s\n' "$v" >docs/setup.md
	git add docs/setup.md
	git commit -q -m "Document the secret key"
	push origin HEAD:refs/heads/main
	assert_push_ok
	assert_output_contains "1 finding below pushguard.secrets.block = medium, not refused"
	assert_output_matches "! secrets  generic-api-key  low  docs/setup.md:3  ${v:0:4}…  fingerprint [0-9a-f]{40}:docs/setup.md:generic-api-key:3"
	assert_output_not_contains "$v"
	grep -q '"confidence":"low"' "$audit" && grep -q '"warning":true' "$audit" ||
		fail "the audit log records the finding with its confidence" "$(cat "$audit")"
	# an admin who wants every example refused says so
	set_config "$R" pushguard.secrets.block low
	git checkout -q -b strict
	printf '    export SECRET_KEY=%s\n' "$(secret)" >>docs/setup.md
	git commit -q -am "Another example"
	push origin HEAD:refs/heads/strict
	assert_push_refused
	assert_output_contains "generic-api-key  (confidence low)"
}

# A program's file named like documentation is no documentation: the password
# an install script sets refuses the push; the same line in INSTALL warns.
c_install_script_is_not_documentation() {
	setup_repo
	local v
	v=$(pw)
	printf '#!/bin/sh\nDB_PASSWORD=%s ./configure\n' "$v" >install.sh
	git add install.sh
	git commit -q -m "Add the install script"
	push origin HEAD:refs/heads/main
	assert_push_refused
	assert_output_contains "install.sh:2"
	assert_output_not_contains "$v"
	git reset -q --hard HEAD~1
	printf 'To install:\n\n    DB_PASSWORD=%s ./configure\n' "$v" >INSTALL
	git add INSTALL
	git commit -q -m "Document the install"
	push origin HEAD:refs/heads/main
	assert_push_ok
	assert_output_contains "1 finding below pushguard.secrets.block = medium, not refused"
	assert_output_contains "low  INSTALL:3"
}

c_block_high_refuses_only_certain_findings() {
	setup_repo
	set_config "$R" pushguard.secrets.block high
	printf 'DB_PASSWORD=%s\n' "$(pw)" >.env
	git add .env
	git commit -q -m "Add env"
	push origin HEAD:refs/heads/main
	assert_push_ok
	assert_output_contains "below pushguard.secrets.block = high, not refused"
	assert_output_contains "! secrets  generic-password  medium  .env:1"
	# a token with a checkable structure is high: refused all the same
	printf 'GITHUB_TOKEN=%s%s\n' "gh""p_" "$(rand 36 'A-Za-z0-9')" >ci.env
	git add ci.env
	git commit -q -m "Add CI env"
	push origin HEAD:refs/heads/main
	assert_push_refused
	assert_output_contains "secrets  github-pat"
	# a bad value is a configuration error naming the key
	set_config "$R" pushguard.secrets.block sometimes
	push origin HEAD:refs/heads/main
	assert_push_refused
	assert_output_contains "pushguard.secrets.block"
}

c_repeated_value_is_an_example() {
	setup_repo
	local v d
	v=$(secret)
	mkdir -p a b c
	for d in a b c; do printf '# service %s\nSESSION_SECRET=%s\n' "$d" "$v" >"$d/app.env"; done
	git add -A
	git commit -q -m "Three copies of one value"
	push origin HEAD:refs/heads/main
	assert_push_ok
	assert_output_contains "3 findings below pushguard.secrets.block = medium"
	assert_output_contains "! secrets  generic-api-key  low  b/app.env:2"
	run "$PG_PREFIX/bin/pushguard" scan "$R"
	assert_rc 0
	assert_output_contains "the same value is in 3 or more files of this push"
	# one file copied to three places is the same example
	git checkout -q -b copies main~
	v=$(secret)
	mkdir -p x y z
	for d in x y z; do printf 'SESSION_SECRET=%s\n' "$v" >"$d/app.env"; done
	git add -A
	git commit -q -m "One file, three places"
	push origin HEAD:refs/heads/copies
	assert_push_ok
	assert_output_contains "1 finding below pushguard.secrets.block = medium"
	# in two files it is a credential
	git checkout -q -b two main~
	v=$(secret)
	mkdir -p a b
	for d in a b; do printf '# service %s\nSESSION_SECRET=%s\n' "$d" "$v" >"$d/app.env"; done
	git add -A
	git commit -q -m "Two copies"
	push origin HEAD:refs/heads/two
	assert_push_refused
	assert_output_contains "a/app.env:2"
	assert_output_contains "b/app.env:2"
}

c_allowed_findings_are_shown() {
	setup_repo
	printf 'DB_PASSWORD=%s  # pushguard:allow (throwaway test database)\n' "$(pw)" >test.env
	git add test.env
	git commit -q -m "Add test env"
	push origin HEAD:refs/heads/main
	assert_push_ok
	assert_output_contains "1 finding allowed and recorded:"
	assert_output_contains "✓ secrets  generic-password  test.env:1"
	assert_output_contains "allowed by inline pushguard:allow comment"
	# an admin turns inline allows off: the same comment no longer allows, and the fix
	# no longer suggests it
	set_config "$R" pushguard.secrets.allowInline false
	printf 'API_PASSWORD=%s  # pushguard:allow\n' "$(pw)" >more.env
	git add more.env
	git commit -q -m "Add more env"
	push origin HEAD:refs/heads/main
	assert_push_refused
	assert_output_contains "secrets  generic-password"
	assert_output_contains "more.env:1"
	assert_output_contains "inline pushguard:allow comments are off: pushguard.secrets.allowInline"
	assert_output_not_contains "allowed by inline"
	# a value that is not a boolean fails closed, naming the key
	set_config "$R" pushguard.secrets.allowInline sometimes
	push origin HEAD:refs/heads/main
	assert_push_refused
	assert_output_contains "pushguard.secrets.allowInline"
}

c_scan_reports_confidence() {
	setup_repo
	set_config "$R" pushguard.mode off
	mkdir -p docs
	printf 'DB_PASSWORD=%s\n' "$(pw)" >prod.env
	printf 'export API_TOKEN=%s\n' "$(secret)" >docs/howto.md
	git add -A
	git commit -q -m "Config and docs"
	push origin HEAD:refs/heads/main
	assert_push_ok
	run "$PG_PREFIX/bin/pushguard" scan --format json --output "$PG_CASE_DIR/out.json" "$R"
	assert_rc 1
	run python3 - "$PG_CASE_DIR/out.json" <<'PY'
import json, sys
f = {x["path"]: x for x in json.load(open(sys.argv[1]))}
assert f["prod.env"]["confidence"] == "medium" and not f["prod.env"]["warning"], f["prod.env"]
assert f["docs/howto.md"]["confidence"] == "low" and f["docs/howto.md"]["warning"], f["docs/howto.md"]
PY
	assert_rc 0
	run "$PG_PREFIX/bin/pushguard" scan --format sarif --output "$PG_CASE_DIR/out.sarif" "$R"
	assert_rc 1
	run python3 - "$PG_CASE_DIR/out.sarif" <<'PY'
import json, sys
r = {x["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]: x
     for x in json.load(open(sys.argv[1]))["runs"][0]["results"]}
assert r["prod.env"]["level"] == "error" and r["prod.env"]["properties"]["confidence"] == "medium"
assert r["docs/howto.md"]["level"] == "warning" and r["docs/howto.md"]["properties"]["confidence"] == "low"
PY
	assert_rc 0
	# only the medium finding counts in a scan with the default block level
	run "$PG_PREFIX/bin/pushguard" scan "$R"
	assert_output_contains "1 finding, 1 below pushguard.secrets.block, 0 allowed"
}

c_rules_file_confidence_and_checks() {
	setup_repo
	cat >"$PG_CASE_DIR/extra.toml" <<'EOF'
[[rules]]
id = "acme-internal-key"
description = "ACME internal key"
regex = '''acme_key\s*=\s*"([a-z0-9]{20})"'''
secretGroup = 1
keywords = ["acme_key"]
confidence = "low"
EOF
	set_config "$R" pushguard.secrets.rules "$PG_CASE_DIR/extra.toml"
	printf 'acme_key = "%s"\n' "$(rand 20 'a-z0-9')" >acme.conf
	git add acme.conf
	git commit -q -m "Add acme config"
	push origin HEAD:refs/heads/main
	assert_push_ok
	assert_output_contains "! secrets  acme-internal-key  low  acme.conf:1"
	# an unknown valueCheck is a configuration error naming the file and line
	printf 'valueCheck = "magic"\n' >>"$PG_CASE_DIR/extra.toml"
	commit b.txt b "Another change"
	push origin HEAD:refs/heads/main
	assert_push_refused
	assert_output_contains "extra.toml:8"
	assert_output_contains "valueCheck"
}

run_case "private keys of every kind refused by content, under names that say nothing" c_private_keys_by_content
run_case "certificates, public keys, CSRs, authorized_keys, known_hosts, trust stores accepted" c_public_material_accepted
run_case "generic credentials refused in twelve syntaxes, masked, with confidence medium" c_generic_credentials_refused
run_case "placeholders, references, code, translations, lockfiles and ids accepted" c_lookalikes_accepted
run_case "demonstration defaults (user=password, validation rules, \$\$(cat), filler words) accepted; a chosen password refused" c_demonstration_defaults_accepted
run_case "an example in docs: accepted, shown with confidence low, recorded; secrets.block=low refuses it" c_docs_example_warns_and_is_recorded
run_case "a password in install.sh refuses; the same line in INSTALL only warns" c_install_script_is_not_documentation
run_case "secrets.block=high: a generic password warns, a structured token refuses; a bad value fails closed" c_block_high_refuses_only_certain_findings
run_case "a value in three files of one push is an example (low); in two it refuses" c_repeated_value_is_an_example
run_case "allowed findings are listed to the pusher with the reason; allowInline=false turns inline allows off" c_allowed_findings_are_shown
run_case "pushguard scan: confidence in JSON, SARIF level warning for low" c_scan_reports_confidence
run_case "a rules file sets a rule's confidence; an unknown valueCheck fails closed with file:line" c_rules_file_confidence_and_checks
