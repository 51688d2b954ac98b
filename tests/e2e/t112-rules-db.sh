#!/usr/bin/env bash
# The built-in rule pack's Hyperscan database is compiled at build time and installed
# beside the pack (share/pushguard/rules/default.hsdb): a fresh server's first large push
# loads it and compiles nothing (the account's cache stays empty). Extra rules files are
# compiled into the cache. (A precompiled file that does not fit: t113.)
# Every credential-looking value is generated here from random characters.
. "$PG_LIB"

rand() { LC_ALL=C tr -dc "$2" </dev/urandom | head -c "$1"; }
gh_token() { printf '%s%s' "gh""p_" "$(rand 36 'A-Za-z0-9')"; }

INSTALLED_RULES="$PG_PREFIX/share/pushguard/rules"

# big_commit LINE: about 600 KiB of ordinary text (past the size where the database is
# used) with LINE as line 3 of the last file
big_commit() {
	local i
	mkdir -p data
	for i in 1 2 3 4; do
		seq 1 4000 | sed "s/^/ordinary line of part $i, number /" >"data/part$i.txt"
	done
	{ printf 'line one\nline two\n%s\n' "$1"; cat data/part4.txt; } >data/p4
	mv data/p4 data/part4.txt
	git add data
	git commit -q -m "Add data"
}

# cache_files: the database files in this case's cache dir
cache_files() { find "$XDG_CACHE_HOME" -name '*.hsdb' 2>/dev/null | wc -l; }

c_shipped_installed() {
	assert_file_exists "$INSTALLED_RULES/default.hsdb"
	assert_file_exists "$INSTALLED_RULES/default.toml"
	[ "$(head -c 6 "$INSTALLED_RULES/default.hsdb")" = "PGPF3" ] ||
		fail "default.hsdb starts with PGPF3" "$(head -c 6 "$INSTALLED_RULES/default.hsdb" | od -c | head -n 1)"
	# the digest in its header is the sha256 of the installed pack
	assert_eq "$(head -c 70 "$INSTALLED_RULES/default.hsdb" | tail -c 64)" \
		"$(sha256sum "$INSTALLED_RULES/default.toml" | cut -d' ' -f1)" "digest in default.hsdb"
}

c_first_large_push_compiles_nothing() {
	export XDG_CACHE_HOME="$PG_CASE_DIR/cache"
	setup_repo
	local tok
	tok=$(gh_token)
	big_commit "export GITHUB_TOKEN=$tok"
	push origin HEAD:refs/heads/main
	assert_push_refused
	assert_output_contains "data/part4.txt:3"
	assert_output_contains "${tok:0:4}…"
	assert_output_not_contains "$tok"
	assert_eq "$(cache_files)" 0 "database files compiled into the cache"
	# without the secret: accepted, still nothing compiled
	git reset -q --hard HEAD~
	big_commit 'export GITHUB_TOKEN="$TOKEN"'
	push origin HEAD:refs/heads/main
	assert_push_ok
	assert_eq "$(cache_files)" 0 "database files compiled into the cache"
}

c_extra_rules_compiled_into_cache() {
	export XDG_CACHE_HOME="$PG_CASE_DIR/cache"
	setup_repo
	local tok
	cat >"$PG_CASE_DIR/extra.toml" <<'TOML'
[[rules]]
id = "acme-token"
description = "ACME token"
regex = '''acme_[a-z0-9]{24}'''
keywords = ["acme_"]
TOML
	set_config "$R" pushguard.secrets.rules "$PG_CASE_DIR/extra.toml"
	set_config "$R" pushguard.timeBudget 120s # the compile (3-4 s) is what this case is about
	tok="acme_$(rand 24 'a-z0-9')"
	big_commit "see $tok"
	push origin HEAD:refs/heads/main
	assert_push_refused
	assert_output_contains "acme-token"
	assert_output_contains "data/part4.txt:3"
	assert_eq "$(cache_files)" 1 "database files compiled into the cache"
}

run_case "make install puts the pack's precompiled database beside it" c_shipped_installed
run_case "a fresh server's first large push loads the precompiled database, compiles nothing" c_first_large_push_compiles_nothing
run_case "extra rules files: compiled into the cache" c_extra_rules_compiled_into_cache
